"""Exact Fock-space Lindblad dynamics of a few fermion modes (NumPy/SciPy only).

This package is an *independent* numerical route to the equations of motion of Sect. II.A:
instead of deriving closed equations for the bilinears (Eqs. (6), (9)) it represents the
density matrix of ``M`` fermion modes on the full ``2^M``-dimensional Fock space and
evolves it with the Lindblad master equation (5).  One ``(k, -k)`` pair has ``M = 4``
modes (16-dimensional Fock space, 256-dimensional Liouville space).

Conventions
-----------
* **Jordan-Wigner ordering.**  Mode ``j`` is tensor factor ``j`` counted from the left
  (mode 0 is the most significant bit): the occupation basis state
  ``|n_0 n_1 ... n_{M-1}>`` has index ``sum_j n_j 2^(M-1-j)`` and equals
  ``(c_0^+)^{n_0} (c_1^+)^{n_1} ... |0>``.  Then
  ``c_j = Z x ... x Z x a x 1 x ... x 1`` with ``j`` factors ``Z = diag(1, -1)`` and
  ``a = [[0, 1], [0, 0]]`` (``a|1> = |0>``).
* **Hamiltonian.**  ``H = sum_ij h_ij c_i^+ c_j + sum_ij (g_ij c_i^+ c_j^+ + h.c.)/2``,
  the convention of :func:`keldysh.paper.symbolic.lindblad.quadratic_hamiltonian`.
* **Dissipator** (Eq. (5)): ``rate * D[X] rho = rate * (X rho X^+ - {X^+ X, rho}/2)`` for a
  linear jump operator ``X = sum_i (a_i c_i + b_i c_i^+)``.
* **Vectorisation.**  Column stacking, ``vec(rho)[i + d j] = rho[i, j]`` (Fortran order), so
  ``vec(A X B) = (B^T kron A) vec(X)`` and the Lindbladian superoperator is

      L = -i (1 kron H - H^T kron 1)
          + sum_k r_k [ conj(X_k) kron X_k - (1 kron X_k^+ X_k + (X_k^+ X_k)^T kron 1)/2 ] .

* **The paper's pair block** (:func:`pair_block`): modes ``0 = c_k^1, 1 = c_k^2,
  2 = c_{-k}^1, 3 = c_{-k}^2``; jumps ``c^+`` with rate ``2 Gamma_a f_a`` and ``c`` with rate
  ``2 Gamma_a (1 - f_a)`` (the factor 2 restores the relaxation ``-2 Gamma_a (n - n_F)`` of
  Eqs. (6a)-(6b); ``Gamma_a`` are amplitude decay rates).

Submodules: :mod:`~keldysh.paper.fock.operators` (Jordan-Wigner operators, superoperators,
bilinears), :mod:`~keldysh.paper.fock.dynamics` (steady state, time evolution, Floquet state)
and :mod:`~keldysh.paper.fock.model` (:class:`FockModel`, :func:`pair_block`); every public
name is importable from ``keldysh.paper.fock``.  SymPy is never imported here.
"""

from __future__ import annotations

from keldysh.paper.fock.dynamics import FloquetState, evolve, evolve_driven, floquet_steady_state, steady_state
from keldysh.paper.fock.model import PAIR_MODES, FockModel, pair_block
from keldysh.paper.fock.operators import (
    annihilators,
    apply_liouvillian,
    bilinears,
    dissipator_superoperator,
    hamiltonian_superoperator,
    linear_jump,
    liouvillian,
    mode_permutation,
    quadratic_hamiltonian,
    random_density_matrix,
    unvec,
    vec,
)

__all__ = [
    "annihilators",
    "quadratic_hamiltonian",
    "linear_jump",
    "vec",
    "unvec",
    "hamiltonian_superoperator",
    "dissipator_superoperator",
    "liouvillian",
    "apply_liouvillian",
    "steady_state",
    "evolve",
    "evolve_driven",
    "FloquetState",
    "floquet_steady_state",
    "bilinears",
    "mode_permutation",
    "random_density_matrix",
    "FockModel",
    "pair_block",
    "PAIR_MODES",
]
