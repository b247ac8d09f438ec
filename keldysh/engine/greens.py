"""Nambu Green's functions ``G^R``, ``G^A``, ``G^K`` and the Keldysh self-energy of a
quadratic Lindbladian in its steady state.

Conventions (stated once; ``docs/engine.md``, tested in ``tests/engine/test_conventions.py``):

* Nambu spinor ``Psi = (c_1..c_n, c_1^+..c_n^+)`` in the Lindbladian's mode order.
* ``G^R_ij(t) = -i theta(t) <{Psi_i(t), Psi_j^+(0)}>``, ``G^K_ij(t) = -i <[Psi_i(t), Psi_j^+(0)]>``,
  ``G(w) = int dt e^{+i w t} G(t)``, ``hbar = 1``.
* The parity-graded Heisenberg equation of the spinor is linear, ``dPsi/dt = -i K Psi``
  (derived here from :func:`keldysh.engine.lindblad.heisenberg`, not assumed), hence
  ``G^R(w) = (w - K)^-1`` with every pole in the lower half plane and ``G^A = (G^R)^+``.
* Quantum regression (exact for a Lindbladian whose adjoint maps linear operators to linear
  ones: linear jumps and Hermitian quadratic ones) gives ``G^K(t > 0) = -i e^{-iKt} F`` with
  ``F = <[Psi, Psi^+]> = 2 <Psi Psi^+> - 1``, i.e. ``G^K = G^R F - F G^A``, and
  ``int dw/2pi G^K(w) = -i F``.
* ``G^K = G^R Sigma^K G^A`` with the frequency-independent ``Sigma^K = K F - F K^+``; for linear
  jumps it equals ``-i (M - tau conj(M) tau)`` of the jump data (:mod:`keldysh.engine.gaussian`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import sympy as sp

from keldysh.engine import operators as O
from keldysh.engine.lindblad import ClosureError, heisenberg
from keldysh.engine.operators import Terms, word_str

__all__ = [
    "nambu_spinor",
    "retarded_kernel",
    "symbolic_greens",
    "sigma_keldysh",
    "numeric_greens",
    "block_inverse",
    "distribution_matrix",
    "jump_matrix",
    "reservoir_sigma_keldysh",
]


def nambu_spinor(L) -> list[Terms]:
    """The operators ``Psi_a`` (``c_1..c_n, c_1^+..c_n^+``) as normal-ordered dicts."""
    out = [{((m, False),): sp.Integer(1)} for m in L.modes]
    out += [{((m, True),): sp.Integer(1)} for m in L.modes]
    return out


def _nambu_position(L, letter) -> int:
    m, d = letter
    return L.index[m] + (L.n if d else 0)


def retarded_kernel(L) -> sp.Matrix:
    """``K`` of ``dPsi/dt = -i K Psi``, derived from the parity-graded adjoint of each ``Psi_a``."""
    n2 = 2 * L.n
    K = sp.zeros(n2, n2)
    for a, psi in enumerate(nambu_spinor(L)):
        res = heisenberg(L.H, L.jumps, psi)
        for w, cf in res.items():
            if len(w) != 1:
                raise ClosureError(
                    f"d Psi_{a}/dt contains {word_str(w)}: the Heisenberg equation of the spinor is not linear"
                )
            K[a, _nambu_position(L, w[0])] += sp.I * cf
    return K.applyfunc(sp.expand)


def block_inverse(A: sp.Matrix) -> sp.Matrix:
    """Exact inverse of ``A`` block by block (connected components of its sparsity pattern)."""
    from keldysh.engine.steady import sparsity_blocks

    n = A.shape[0]
    inv = sp.zeros(n, n)
    for idx in sparsity_blocks(A):
        sub = A.extract(idx, idx)
        if len(idx) == 1:
            sinv = sp.Matrix([[1 / sub[0, 0]]])
        else:
            sinv = sub.inv(method="LU")
        for p, i in enumerate(idx):
            for q, j in enumerate(idx):
                inv[i, j] = sp.cancel(sp.together(sinv[p, q]))
    return inv


def distribution_matrix(L, ss=None) -> sp.Matrix:
    """``F = <[Psi, Psi^+]> = 2 <Psi Psi^+> - 1`` in the exact steady state (``ss`` given or computed)."""
    ss = L.steady_state() if ss is None else ss
    psi = nambu_spinor(L)
    n2 = len(psi)
    F = sp.zeros(n2, n2)
    for a in range(n2):
        for b in range(n2):
            prod = O.mul(psi[a], O.dagger(psi[b]))
            F[a, b] = 2 * ss[O.FermionOperator._wrap(prod)] - (1 if a == b else 0)
    return F.applyfunc(sp.cancel)


def symbolic_greens(L, w: Any):
    """``(G^R, G^A, G^K)`` as exact ``2n x 2n`` SymPy matrices at frequency ``w``."""
    K = retarded_kernel(L)
    n2 = K.shape[0]
    I = sp.eye(n2)
    GR = block_inverse(w * I - K)
    GA = block_inverse(w * I - K.H)
    F = distribution_matrix(L)
    GK = (GR * F - F * GA).applyfunc(lambda e: sp.cancel(sp.together(e)))
    return GR, GA, GK


def sigma_keldysh(L) -> sp.Matrix:
    """``Sigma^K = K F - F K^+`` (constant in frequency) in the exact steady state."""
    K = retarded_kernel(L)
    F = distribution_matrix(L)
    return (K * F - F * K.H).applyfunc(lambda e: sp.factor(sp.cancel(e)))


def jump_matrix(L) -> sp.Matrix:
    """``M = sum_k r_k conj(lambda_k) lambda_k^T`` of the linear jumps ``L_k = sum_a lambda_ka Psi_a`` (exact)."""
    n2 = 2 * L.n
    M = sp.zeros(n2, n2)
    for (rate, J), kind in zip(L.jumps, L.jump_kinds):
        if kind != "linear":
            continue
        lam = sp.zeros(n2, 1)
        for w, cf in J.items():
            lam[_nambu_position(L, w[0])] += cf
        M += rate * lam.conjugate() * lam.T
    return M


def reservoir_sigma_keldysh(L) -> sp.Matrix:
    """``Sigma^K = -i (M - tau conj(M) tau)`` from the jump data alone (linear jumps, Markov reservoirs).

    Equals :func:`sigma_keldysh` (``K F - F K^+``) exactly when ``F`` is the steady state:
    the Lyapunov equation of :mod:`keldysh.engine.gaussian` rewritten.
    """
    if not L.is_gaussian:
        raise ValueError("reservoir_sigma_keldysh: only for linear jumps (dephasing is not a reservoir self-energy)")
    n = L.n
    M = jump_matrix(L)
    tau = sp.zeros(2 * n, 2 * n)
    for i in range(n):
        tau[i, n + i] = tau[n + i, i] = 1
    return (-sp.I * (M - tau * M.conjugate() * tau)).applyfunc(sp.expand)


def numeric_greens(L, w: Any, values: Mapping[Any, Any]):
    """``(G^R, G^A, G^K)`` as arrays of shape ``w.shape + (2n, 2n)`` at real frequencies ``w``."""
    from keldysh.engine.gaussian import gaussian_data, steady_covariance

    wa = np.asarray(w, dtype=float)
    if not np.all(np.isfinite(wa)):
        from keldysh.errors import ParameterError

        raise ParameterError("w", "frequencies must be finite real numbers")
    data = gaussian_data(L, values)
    G = steady_covariance(data)
    n2 = G.shape[0]
    F = 2 * G - np.eye(n2)
    GR = np.linalg.inv(wa[..., None, None] * np.eye(n2) - data.K)
    GA = np.conj(np.swapaxes(GR, -1, -2))
    GK = GR @ F - F @ GA
    return GR, GA, GK
