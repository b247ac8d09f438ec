"""Compiled inner loops of the time dynamics (numba), with a NumPy twin of identical semantics.

The right-hand side of Eq. (9) for a batch of runs (several couplings on one grid) in the
affine form of :func:`keldysh.paper.solvers.dynamics.block_matrices`,

    du_k/dt = (A0_k + Re(Delta) Ar_k + Im(Delta) Ai_k) [u_k; 1],   Delta = conj(sum_k K_k s21_k),

is ~100 multiply-adds per node: NumPy spends its time in call overhead at the grid
sizes of the paper (N ~ 200), numba compiles the loop (``cache=True``: once per machine).
The NumPy twin (:func:`affine_rhs_numpy`) is the reference the tests compare against, and the
fallback when numba cannot be imported.
"""

from __future__ import annotations

import numpy as np

from keldysh._jit import first_call_locked

__all__ = ["AffineRHS", "affine_rhs_numpy", "HAVE_NUMBA"]

try:  # pragma: no cover - exercised by whichever branch is installed
    from numba import njit

    HAVE_NUMBA = True
except Exception:  # pragma: no cover
    HAVE_NUMBA = False


def _affine_rhs_loop(U, Kr, Ki, A0, Ar, Ai, out):  # pragma: no cover - compiled
    B, N = U.shape[0], U.shape[1]
    for b in range(B):
        dr = 0.0
        di = 0.0
        for k in range(N):  # Delta = conj(sum_k K_k s_k)
            sr = U[b, k, 4]
            si = U[b, k, 5]
            dr += Kr[b, k] * sr - Ki[b, k] * si
            di -= Ki[b, k] * sr + Kr[b, k] * si
        for k in range(N):
            for i in range(6):
                acc = A0[k, i, 6] + dr * Ar[k, i, 6] + di * Ai[k, i, 6]
                for j in range(6):
                    acc += (A0[k, i, j] + dr * Ar[k, i, j] + di * Ai[k, i, j]) * U[b, k, j]
                out[b, k, i] = acc
    return out


if HAVE_NUMBA:  # pragma: no cover
    _affine_rhs_compiled = first_call_locked(
        njit(cache=True, fastmath=False, nogil=True)(_affine_rhs_loop), _affine_rhs_loop
    )


def affine_rhs_numpy(U, K, A0, Ar, Ai):
    """NumPy reference: ``dU/dt`` for ``U`` (``B x N x 6``), weights ``K`` (``B x N``), matrices ``(N, 7, 7)``."""
    s = U[..., 4] + 1j * U[..., 5]
    D = np.conj(np.sum(K * s, axis=1))  # (B,)
    M = A0[None] + D.real[:, None, None, None] * Ar[None] + D.imag[:, None, None, None] * Ai[None]
    return np.einsum("bkij,bkj->bki", M[:, :, :6, :6], U) + M[:, :, :6, 6]


class AffineRHS:
    """``dU/dt`` of Eq. (9) for a batch of couplings, compiled when numba is available.

    Parameters
    ----------
    mats : (A0, Ar, Ai)
        Per-node augmented matrices, shape ``(N, 7, 7)`` (:func:`block_matrices`).
    K : ndarray, shape (B, N)
        Self-consistency weights of each member (``Delta^* = sum_k K_k s21_k``).
    compiled : bool or None
        ``None``: numba if importable; ``False``: the NumPy twin.
    """

    def __init__(self, mats, K, compiled=None):
        A0, Ar, Ai = (np.asarray(a, float) for a in mats)
        self.mats = (A0, Ar, Ai)
        self.K = np.atleast_2d(np.asarray(K, complex))
        self.compiled = HAVE_NUMBA if compiled is None else (bool(compiled) and HAVE_NUMBA)
        self._args = (
            np.ascontiguousarray(self.K.real),
            np.ascontiguousarray(self.K.imag),
            np.ascontiguousarray(A0),
            np.ascontiguousarray(Ar),
            np.ascontiguousarray(Ai),
        )

    def __call__(self, U: np.ndarray) -> np.ndarray:
        if self.compiled:
            out = np.empty_like(U)
            return _affine_rhs_compiled(np.ascontiguousarray(U), *self._args, out)
        return affine_rhs_numpy(U, self.K, *self.mats)


# ----------------------------------------------------------------------------- Magnus step
def magnus_step_numpy(A0, Ar, Ai, u, D1, D2, h, filt):
    """NumPy reference of one Magnus step of every node (see :class:`MagnusStep`)."""
    from keldysh.paper.solvers.dynamics import expm_batched

    A1 = A0 + D1.real * Ar + D1.imag * Ai
    A2 = A0 + D2.real * Ar + D2.imag * Ai
    Om = (0.5 * h) * (A1 + A2)
    if filt is not None:
        Om = Om + filt[:, None, None] * (A2 @ A1 - A1 @ A2)
    P = expm_batched(Om)
    return np.einsum("kij,kj->ki", P[:, :6, :6], u) + P[:, :6, 6]


def _mm7(A, B, C):  # pragma: no cover - compiled
    # C = A B for augmented 7 x 7 matrices (last row (0, ..., 0, *)): i-k-j order, rows 0-5 only
    for i in range(6):
        for j in range(7):
            C[i, j] = 0.0
        for k in range(7):
            a = A[i, k]
            for j in range(7):
                C[i, j] += a * B[k, j]
    for j in range(7):
        C[6, j] = A[6, 6] * B[6, j]


def _magnus_step_loop(A0, Ar, Ai, u, d1r, d1i, d2r, d2i, h, filt, use_comm, out):  # pragma: no cover - compiled
    N = A0.shape[0]
    A1 = np.empty((7, 7))
    A2 = np.empty((7, 7))
    X = np.empty((7, 7))
    X2 = np.empty((7, 7))
    X3 = np.empty((7, 7))
    X4 = np.empty((7, 7))
    T = np.empty((7, 7))
    P = np.empty((7, 7))
    c = (1.0, 1.0, 0.5, 1.0 / 6, 1.0 / 24, 1.0 / 120, 1.0 / 720, 1.0 / 5040, 1.0 / 40320)
    for k in range(N):
        for i in range(7):
            for j in range(7):
                A1[i, j] = A0[k, i, j] + d1r * Ar[k, i, j] + d1i * Ai[k, i, j]
                A2[i, j] = A0[k, i, j] + d2r * Ar[k, i, j] + d2i * Ai[k, i, j]
                X[i, j] = 0.5 * h * (A1[i, j] + A2[i, j])
        if use_comm:
            _mm7(A2, A1, T)
            _mm7(A1, A2, P)
            for i in range(7):
                for j in range(7):
                    X[i, j] += filt[k] * (T[i, j] - P[i, j])
        # exp(X): scaling to ||X / 2^s||_inf <= 1/4, degree-8 Taylor (Paterson-Stockmeyer), squaring
        norm = 0.0
        for i in range(7):
            r = 0.0
            for j in range(7):
                r += abs(X[i, j])
            if r > norm:
                norm = r
        s = 0
        if norm > 0.25:
            s = int(np.ceil(np.log2(norm / 0.25)))
        sc = 0.5**s
        for i in range(7):
            for j in range(7):
                X[i, j] *= sc
        _mm7(X, X, X2)
        _mm7(X2, X, X3)
        _mm7(X2, X2, X4)
        for i in range(7):
            for j in range(7):
                d = 1.0 if i == j else 0.0
                A1[i, j] = c[4] * d + c[5] * X[i, j] + c[6] * X2[i, j] + c[7] * X3[i, j] + c[8] * X4[i, j]
        _mm7(X4, A1, T)
        for i in range(7):
            for j in range(7):
                d = 1.0 if i == j else 0.0
                P[i, j] = c[0] * d + c[1] * X[i, j] + c[2] * X2[i, j] + c[3] * X3[i, j] + T[i, j]
        for _ in range(s):
            _mm7(P, P, T)
            for i in range(7):
                for j in range(7):
                    P[i, j] = T[i, j]
        for i in range(6):
            acc = P[i, 6]
            for j in range(6):
                acc += P[i, j] * u[k, j]
            out[k, i] = acc
    return out


if HAVE_NUMBA:  # pragma: no cover
    _mm7 = njit(cache=True, nogil=True, fastmath=True, inline="always")(_mm7)
    _magnus_step_compiled = first_call_locked(
        njit(cache=True, nogil=True, fastmath=True)(_magnus_step_loop), _magnus_step_loop
    )


class MagnusStep:
    """One step of the Magnus integrator for every node, compiled when numba is available.

    ``u1_k = [exp(Om_k)]_{6x7} [u_k; 1]`` with the generator
    ``Om_k = h/2 (A_k(D1) + A_k(D2)) + filt_k [A_k(D2), A_k(D1)]`` (``filt=None``: 2nd order),
    ``A_k(D) = A0_k + Re(D) Ar_k + Im(D) Ai_k``; the exponential by scaling (per node) and
    squaring of a degree-8 Taylor polynomial, as :func:`keldysh.paper.solvers.dynamics.expm_batched`
    (which the NumPy twin :func:`magnus_step_numpy` uses with one scaling for all nodes).
    """

    def __init__(self, mats, compiled=None):
        self.mats = tuple(np.ascontiguousarray(a, dtype=float) for a in mats)
        self.compiled = HAVE_NUMBA if compiled is None else (bool(compiled) and HAVE_NUMBA)

    def __call__(self, u, D1: complex, D2: complex, h: float, filt=None):
        if not self.compiled:
            return magnus_step_numpy(*self.mats, u, D1, D2, h, filt)
        out = np.empty((u.shape[0], 6))
        f = np.zeros(u.shape[0]) if filt is None else np.ascontiguousarray(filt, dtype=float)
        return _magnus_step_compiled(
            *self.mats, np.ascontiguousarray(u), D1.real, D1.imag, D2.real, D2.imag, float(h), f, filt is not None, out
        )
