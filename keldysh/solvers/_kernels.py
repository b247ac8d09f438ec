"""Compiled inner loops of the time dynamics (numba), with a NumPy twin of identical semantics.

The right-hand side of Eq. (9) for a batch of runs (several couplings on one grid) in the
affine form of :func:`keldysh.solvers.dynamics.block_matrices`,

    du_k/dt = (A0_k + Re(Delta) Ar_k + Im(Delta) Ai_k) [u_k; 1],   Delta = conj(sum_k K_k s21_k),

is ~100 multiply-adds per node: NumPy spends its time in call overhead at the grid
sizes of the paper (N ~ 200), numba compiles the loop (``cache=True``: once per machine).
The NumPy twin (:func:`affine_rhs_numpy`) is the reference the tests compare against, and the
fallback when numba cannot be imported.
"""

from __future__ import annotations

import numpy as np

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
    _affine_rhs_compiled = njit(cache=True, fastmath=False, nogil=True)(_affine_rhs_loop)


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
        self._args = (np.ascontiguousarray(self.K.real), np.ascontiguousarray(self.K.imag),
                      np.ascontiguousarray(A0), np.ascontiguousarray(Ar), np.ascontiguousarray(Ai))

    def __call__(self, U: np.ndarray) -> np.ndarray:
        if self.compiled:
            out = np.empty_like(U)
            return _affine_rhs_compiled(np.ascontiguousarray(U), *self._args, out)
        return affine_rhs_numpy(U, self.K, *self.mats)
