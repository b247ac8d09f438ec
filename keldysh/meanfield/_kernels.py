"""Compiled right-hand side of the mean-field dynamics (numba), with the NumPy twin as reference.

``dG_k/dt = A_k + A_k^+ + M_k`` with ``A_k = -i K_k(Delta) G_k`` and
``K_k(Delta) = K0_k + Delta hD_k + conj(Delta) hDb_k``: a few hundred multiply-adds per node, where
NumPy's batched ``matmul`` of ``4 x 4`` blocks spends its time in call overhead.
"""

from __future__ import annotations

import numpy as np

from keldysh._jit import first_call_locked

__all__ = ["bilinear_rhs", "bilinear_rhs_numpy", "HAVE_NUMBA"]

try:  # pragma: no cover - whichever branch is installed
    from numba import njit

    HAVE_NUMBA = True
except Exception:  # pragma: no cover
    HAVE_NUMBA = False


def bilinear_rhs_numpy(G, K0, hD, hDb, M, D):
    """Reference: ``A + A^+ + M`` with ``A = -i (K0 + D hD + conj(D) hDb) G`` (no dephasing)."""
    A = -1j * ((K0 + D * hD + np.conj(D) * hDb) @ G)
    return A + A.conj().transpose(0, 2, 1) + M


def _rhs_loop(G, K0, hD, hDb, M, D, out):  # pragma: no cover - compiled
    Nk, d = G.shape[0], G.shape[1]
    Dc = np.conj(D)
    A = np.empty((d, d), dtype=np.complex128)
    for k in range(Nk):
        for i in range(d):
            for j in range(d):
                acc = 0j
                for l in range(d):
                    acc += (K0[k, i, l] + D * hD[k, i, l] + Dc * hDb[k, i, l]) * G[k, l, j]
                A[i, j] = -1j * acc
        for i in range(d):
            for j in range(d):
                out[k, i, j] = A[i, j] + np.conj(A[j, i]) + M[k, i, j]


if HAVE_NUMBA:  # pragma: no cover
    _rhs_compiled = first_call_locked(njit(cache=True, nogil=True)(_rhs_loop), _rhs_loop)


def bilinear_rhs(G, K0, hD, hDb, M, D):
    """Compiled :func:`bilinear_rhs_numpy` (the NumPy twin when numba is missing)."""
    if not HAVE_NUMBA:
        return bilinear_rhs_numpy(G, K0, hD, hDb, M, D)
    out = np.empty_like(G)
    _rhs_compiled(G, K0, hD, hDb, M, complex(D), out)
    return out
