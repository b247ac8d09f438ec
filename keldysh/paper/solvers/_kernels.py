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


def _commutators(A0: np.ndarray, Ar: np.ndarray, Ai: np.ndarray) -> np.ndarray:
    """``[A0, Ar]``, ``[A0, Ai]``, ``[Ar, Ai]`` per node, shape ``(3, N, 7, 7)``.

    By bilinearity ``[A(D2), A(D1)] = (Re D1 - Re D2) [A0, Ar] + (Im D1 - Im D2) [A0, Ai]
    + (Re D2 Im D1 - Im D2 Re D1) [Ar, Ai]`` for ``A(D) = A0 + Re(D) Ar + Im(D) Ai``.
    """
    return np.ascontiguousarray(np.stack([A0 @ Ar - Ar @ A0, A0 @ Ai - Ai @ A0, Ar @ Ai - Ai @ Ar]))


def _mm7(A, B, C):  # pragma: no cover - compiled
    # C = A B for augmented 7 x 7 matrices (last rows (0, ..., 0, a66) and (0, ..., 0, b66)):
    # rows 0-5 in i-k-j order without the zero products of the last row of B
    for i in range(6):
        for j in range(7):
            C[i, j] = 0.0
        for k in range(6):
            a = A[i, k]
            for j in range(7):
                C[i, j] += a * B[k, j]
        C[i, 6] += A[i, 6] * B[6, 6]
    for j in range(6):
        C[6, j] = 0.0
    C[6, 6] = A[6, 6] * B[6, 6]


def _magnus_step_loop(A0, Ar, Ai, C, u, d1r, d1i, d2r, d2i, h, filt, use_comm, out):  # pragma: no cover - compiled
    N = A0.shape[0]
    A1 = np.empty((7, 7))
    X = np.empty((7, 7))
    X2 = np.empty((7, 7))
    X3 = np.empty((7, 7))
    X4 = np.empty((7, 7))
    T = np.empty((7, 7))
    P = np.empty((7, 7))
    v = np.empty(6)
    w = np.empty(6)
    c = (1.0, 1.0, 0.5, 1.0 / 6, 1.0 / 24, 1.0 / 120, 1.0 / 720, 1.0 / 5040, 1.0 / 40320)
    # the commutator [A(D2), A(D1)] from the precomputed ones (see _commutators)
    cr = d1r - d2r
    ci = d1i - d2i
    cri = d2r * d1i - d2i * d1r
    for k in range(N):
        for i in range(7):
            for j in range(7):
                a1 = A0[k, i, j] + d1r * Ar[k, i, j] + d1i * Ai[k, i, j]
                a2 = A0[k, i, j] + d2r * Ar[k, i, j] + d2i * Ai[k, i, j]
                X[i, j] = 0.5 * h * (a1 + a2)
        if use_comm:
            fk = filt[k]
            for i in range(7):
                for j in range(7):
                    X[i, j] += fk * (cr * C[0, k, i, j] + ci * C[1, k, i, j] + cri * C[2, k, i, j])
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
        # P^(2^s) [u; 1]: s - m squarings, then 2^m products with the vector (m = min(s, 3):
        # fewest operations, a product with a vector costs 1/6 of one with a matrix)
        m = min(s, 3)
        for _ in range(s - m):
            _mm7(P, P, T)
            for i in range(7):
                for j in range(7):
                    P[i, j] = T[i, j]
        for j in range(6):
            v[j] = u[k, j]
        for _ in range(2**m):
            for i in range(6):
                acc = P[i, 6]
                for j in range(6):
                    acc += P[i, j] * v[j]
                w[i] = acc
            for i in range(6):
                v[i] = w[i]
        for i in range(6):
            out[k, i] = v[i]
    return out


def delta_terms_numpy(S: np.ndarray, K: np.ndarray, u: np.ndarray) -> tuple[complex, complex, float, float]:
    """NumPy reference of :meth:`MagnusStep.delta_terms` (``S``: the three ``(N, 2, 7)`` pairing rows)."""
    S0, Sr, Si = S
    E = complex(np.conj(np.dot(K, u[:, 4] + 1j * u[:, 5])))
    ua = np.concatenate([u, np.ones((u.shape[0], 1))], axis=1)
    ds = np.einsum("kij,kj->ki", S0 + E.real * Sr + E.imag * Si, ua)
    dE = complex(np.conj(np.dot(K, ds[:, 0] + 1j * ds[:, 1])))
    coh = float(np.dot(np.abs(K), np.hypot(u[:, 4], u[:, 5])))
    smax = float(np.abs(u[:, 4:6]).max())
    return E, dE, coh, smax


def _delta_terms_loop(S, Kw, u):  # pragma: no cover - compiled
    # S: (3, N, 2, 7) pairing rows of A0, Ar, Ai; Kw: (3, N) rows Re K, Im K, |K|
    N = u.shape[0]
    dr = 0.0  # sum_k K_k s21_k = dr + i di
    di = 0.0
    z = np.zeros(6)  # sum_k K_k [S_m [u_k; 1]]_(s21) for m = 0, r, i: (re, im) pairs
    coh = 0.0
    smax = 0.0
    nan = False
    for k in range(N):
        kr = Kw[0, k]
        ki = Kw[1, k]
        sr = u[k, 4]
        si = u[k, 5]
        dr += kr * sr - ki * si
        di += kr * si + ki * sr
        coh += Kw[2, k] * np.hypot(sr, si)
        if sr != sr or si != si:
            nan = True
        smax = max(smax, abs(sr), abs(si))
        for m in range(3):
            p = S[m, k, 0, 6]
            q = S[m, k, 1, 6]
            for j in range(6):
                p += S[m, k, 0, j] * u[k, j]
                q += S[m, k, 1, j] * u[k, j]
            z[2 * m] += kr * p - ki * q
            z[2 * m + 1] += kr * q + ki * p
    er = dr
    ei = -di
    # ds21/dt is affine in Delta: dDelta/dt = conj(z_0 + Re(E) z_r + Im(E) z_i)
    der = z[0] + er * z[2] + ei * z[4]
    dei = -(z[1] + er * z[3] + ei * z[5])
    if nan:
        smax = np.nan
    return complex(er, ei), complex(der, dei), coh, smax


def _magnus_delta_loop(A0, Ar, Ai, C, S, Kw, u, d1r, d1i, d2r, d2i, h, filt, use_comm, out):  # pragma: no cover
    _magnus_step_jit(A0, Ar, Ai, C, u, d1r, d1i, d2r, d2i, h, filt, use_comm, out)
    E, dE, coh, smax = _delta_terms_jit(S, Kw, out)
    return out, E, dE, coh, smax


if HAVE_NUMBA:  # pragma: no cover
    # not inlined: four call sites of one small loop nest; inlining only lengthened the compilation
    # (measured 6.4 s -> 5.2 s for the step and the fused call, the same run time)
    _mm7 = njit(cache=True, nogil=True, fastmath=True)(_mm7)
    _magnus_step_jit = njit(cache=True, nogil=True, fastmath=True)(_magnus_step_loop)
    _magnus_step_compiled = first_call_locked(_magnus_step_jit, _magnus_step_loop)
    # IEEE semantics (no fastmath): a NaN state must give a NaN Delta and max |s21|
    _delta_terms_jit = njit(cache=True, nogil=True)(_delta_terms_loop)
    _delta_terms_compiled = first_call_locked(_delta_terms_jit, _delta_terms_loop)
    _magnus_delta_compiled = first_call_locked(njit(cache=True, nogil=True)(_magnus_delta_loop), _magnus_delta_loop)


def _scalars(D1: complex, D2: complex, h: float, filt, u: np.ndarray) -> tuple:
    """The scalar arguments of the compiled step: ``Delta`` at the two Gauss points, ``h``, the
    commutator filter (zeros when ``None``) and whether to use it."""
    f = np.zeros(u.shape[0]) if filt is None else np.ascontiguousarray(filt, dtype=float)
    return D1.real, D1.imag, D2.real, D2.imag, float(h), f, filt is not None


class MagnusStep:
    """One step of the Magnus integrator for every node, compiled when numba is available.

    ``u1_k = [exp(Om_k)]_{6x7} [u_k; 1]`` with the generator
    ``Om_k = h/2 (A_k(D1) + A_k(D2)) + filt_k [A_k(D2), A_k(D1)]`` (``filt=None``: 2nd order),
    ``A_k(D) = A0_k + Re(D) Ar_k + Im(D) Ai_k``; the exponential by scaling (per node) and
    squaring of a degree-8 Taylor polynomial, as :func:`keldysh.paper.solvers.dynamics.expm_batched`
    (which the NumPy twin :func:`magnus_step_numpy` uses with one scaling for all nodes).  The
    compiled loop takes the commutator from the per-node commutators of ``A0, Ar, Ai``
    (:func:`_commutators`) and applies the last (up to 3) squarings as products with ``[u_k; 1]``:
    the same quantities, summed in another order.

    Parameters
    ----------
    mats : (A0, Ar, Ai)
        Per-node augmented matrices, shape ``(N, 7, 7)``.
    compiled : bool or None
        ``None``: numba if importable; ``False``: the NumPy twin.
    K : ndarray, shape (N,), optional
        Self-consistency weights (``Delta = conj(sum_k K_k s21_k)``); needed by
        :meth:`delta_terms` and :meth:`step_delta`.
    """

    def __init__(self, mats, compiled: bool | None = None, K: np.ndarray | None = None):
        self.mats = tuple(np.ascontiguousarray(a, dtype=float) for a in mats)
        self.compiled = HAVE_NUMBA if compiled is None else (bool(compiled) and HAVE_NUMBA)
        self._C = _commutators(*self.mats) if self.compiled else None
        self.K = None if K is None else np.ascontiguousarray(K, dtype=complex)
        if self.K is not None:
            self._S = np.ascontiguousarray(np.stack([a[:, 4:6, :] for a in self.mats]))
            self._Kw = np.ascontiguousarray(np.stack([self.K.real, self.K.imag, np.abs(self.K)]))

    def __call__(self, u, D1: complex, D2: complex, h: float, filt=None):
        if not self.compiled:
            return magnus_step_numpy(*self.mats, u, D1, D2, h, filt)
        out = np.empty((u.shape[0], 6))
        return _magnus_step_compiled(*self.mats, self._C, np.ascontiguousarray(u), *_scalars(D1, D2, h, filt, u), out)

    def delta_terms(self, u: np.ndarray) -> tuple[complex, complex, float, float]:
        """``Delta``, ``dDelta/dt`` and two scales of the state ``u`` (shape ``(N, 6)``).

        Returns
        -------
        E : complex
            ``Delta = conj(sum_k K_k s21_k)``.
        dE : complex
            ``dDelta/dt = conj(sum_k K_k ds21_k/dt)`` at ``Delta = E``.
        coh : float
            Coherent amplitude ``sum_k |K_k| |s21_k|``.
        smax : float
            ``max_k max(|Re s21_k|, |Im s21_k|)`` (NaN if any ``s21_k`` is NaN).
        """
        if not self.compiled:
            return delta_terms_numpy(self._S, self.K, u)
        return _delta_terms_compiled(self._S, self._Kw, np.ascontiguousarray(u))

    def step_delta(
        self, u: np.ndarray, D1: complex, D2: complex, h: float, filt: np.ndarray | None = None
    ) -> tuple[np.ndarray, complex, complex, float, float]:
        """One step (as :meth:`__call__`) and :meth:`delta_terms` of the new state, in one call.

        Returns
        -------
        u1 : ndarray, shape (N, 6)
            The advanced state.
        E, dE, coh, smax
            :meth:`delta_terms` of ``u1``.
        """
        if not self.compiled:
            with np.errstate(over="ignore", invalid="ignore"):
                u1 = magnus_step_numpy(*self.mats, u, D1, D2, h, filt)
                return (u1, *delta_terms_numpy(self._S, self.K, u1))
        out = np.empty((u.shape[0], 6))
        u = np.ascontiguousarray(u)
        return _magnus_delta_compiled(*self.mats, self._C, self._S, self._Kw, u, *_scalars(D1, D2, h, filt, u), out)
