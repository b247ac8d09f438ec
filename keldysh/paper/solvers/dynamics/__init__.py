"""Time dynamics of the order parameter (Sect. II.C).

The equations of motion of Eq. (9) -- *derived* by :func:`keldysh.paper.symbolic.master.rwa_eom`
and lambdified by :func:`keldysh.paper.build.rwa_rhs_func`, never retyped here -- are integrated on
a momentum grid (:func:`keldysh.paper.quadrature.momentum_grid`), with ``Delta(t)`` updated
self-consistently at every instant from Eq. (18),

    Delta^*(t) = V int (dk) s21_k(t) Re[1/(E_k + i Gamma)] (E_k + i Gamma) ,

or, optionally, from the unprojected Eq. (17), ``Delta^* = V int (dk) s21_k``.

Integrators
-----------
For a given ``Delta`` the right-hand sides of Eq. (9) are *affine* in the six real unknowns
``u_k = (n11, n22, Re n21, Im n21, Re s21, Im s21)`` of each momentum node, and the
coefficients are real-affine in ``Delta``:

    du_k/dt = A_k(Delta) [u_k; 1],   A_k(Delta) = A0_k + Re(Delta) Ar_k + Im(Delta) Ai_k ,

with 6 x 7 (augmented to 7 x 7) matrices.  :func:`block_matrices` obtains ``A0, Ar, Ai`` by
*probing the derived right-hand side* on the unit vectors (exact: the RHS is affine), and
checks the affinity on a random point.  Two integrators use this form:

* ``"DOP853"`` (scipy) on the vectorised affine RHS (one batched mat-vec per evaluation);
* ``"magnus4"``: every node is advanced with the exact exponential of the fourth-order
  Magnus generator ``h/2 (A(Delta_1) + A(Delta_2)) + (sqrt(3)/12) h^2 [A(Delta_2), A(Delta_1)]``
  (commutator filtered for nodes rotating faster than ``pi/h``), ``Delta_{1,2}`` at the Gauss
  points from the cubic Hermite path of ``Delta`` and ``dDelta/dt`` over the step, whose end
  values are solved self-consistently (quasi-Newton fixed point, Broyden, warm-started).  The fast phases
  ``exp(i E_k t)`` never limit the step, which grows to many periods in the slow approach of
  Fig. 6; a constant ``Delta`` is integrated exactly, so the fixed points of the scheme are
  exactly the steady states of Eq. (9).  ``"magnus2"`` drops the commutator (each step is then
  the exact evolution of a Lindbladian: positivity is preserved structurally).

``method="auto"`` (default) uses DOP853 for runs shorter than ``AUTO_CYCLES`` periods of the
fastest node (Figs. 4, 5, where the Rabi ripples of ``Delta`` must be resolved anyway) and
``magnus4`` for the long runs (Fig. 6).  Any other ``scipy.integrate`` solver is available by
name, as a reference.

Initial state (Sect. II.C): ``n11 = n_F(E1)``, ``n22 = n_F(E2)`` (1 and 0 at T = 0),
``n21 = 0``, plus a pairing seed: a uniform ``s21_k = c`` with ``c`` chosen so that
``Delta(0) = seed``.  A pure filled/empty state admits no pairing at all (the Nambu
correlation matrix of the block must lie between 0 and 1, which forces
``|s21|^2 <= n22 (1 - n11)``), so the populations are nudged by the least amount that makes
the seeded state physical (at T = 0: ``n11 = 1 - |c|``, ``n22 = |c|``, a change of order
``seed / V``).

The lab frame without the RWA (Eq. (6), :func:`keldysh.paper.symbolic.master.lab_eom`) is integrated
by :func:`simulate_lab`.

The subpackage, by concern: :mod:`.options` (:class:`DynamicsOptions`), :mod:`.result`
(:class:`DynamicsResult`), :mod:`.rhs` (derived right-hand sides, :func:`block_matrices`),
:mod:`.magnus` (exponential integrator), :mod:`.scipy_batch` (``scipy.integrate`` on a batch of
couplings), :mod:`.state` (seeding, pumped state, Nambu positivity), :mod:`.runtime` (recorder,
progress, validation), :mod:`.solve` (:func:`simulate`, :func:`simulate_many`), :mod:`.lab`
(:func:`simulate_lab`) and :mod:`.analysis` (:func:`t_converged`, :func:`relaxation_fit`,
:func:`steady_anomalous`).
"""

from __future__ import annotations

# The private names are re-exported for the tests, benchmarks and sibling solvers that use them.
# ruff: noqa: F401
from keldysh.paper.solvers.dynamics.analysis import relaxation_fit, steady_anomalous, t_converged
from keldysh.paper.solvers.dynamics.lab import _run_scipy_lab, simulate_lab
from keldysh.paper.solvers.dynamics.magnus import (
    _FTOL_FACTOR,
    _GAUSS,
    _RESCALE,
    _SQ3,
    _TAYLOR,
    _hermite,
    _hermite_deriv,
    _run_magnus,
    expm_batched,
)
from keldysh.paper.solvers.dynamics.options import (
    AUTO_CYCLES,
    LINEAR_BACKACTION,
    MAGNUS_METHODS,
    PROJECTIONS,
    SCIPY_METHODS,
    DynamicsOptions,
    _clean,
)
from keldysh.paper.solvers.dynamics.result import DynamicsResult
from keldysh.paper.solvers.dynamics.rhs import _eval_rhs, _to_real, block_matrices, lab_rhs_func, rhs_func
from keldysh.paper.solvers.dynamics.runtime import _early_stop, _Member, _progress, _Recorder, _validate_common
from keldysh.paper.solvers.dynamics.scipy_batch import _run_scipy_batch
from keldysh.paper.solvers.dynamics.solve import simulate, simulate_many
from keldysh.paper.solvers.dynamics.state import (
    SEED_PROFILES,
    _projection_weights,
    _seed_shape,
    _seeded_state,
    nambu_eigenvalues,
    pumped_state,
)

__all__ = [
    "DynamicsOptions",
    "DynamicsResult",
    "simulate",
    "simulate_many",
    "simulate_lab",
    "block_matrices",
    "rhs_func",
    "lab_rhs_func",
    "expm_batched",
    "nambu_eigenvalues",
    "t_converged",
    "relaxation_fit",
    "steady_anomalous",
    "pumped_state",
]
