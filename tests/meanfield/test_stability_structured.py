"""The structured spectrum of the linearised dynamics against the dense one (``method="dense"``).

``J = blockdiag_k L_k + B G^T`` (:mod:`keldysh.meanfield.lowrank`): per-node eigenproblems plus the
roots of the ``2 x 2`` secular determinant, against ``eig`` of the assembled matrix, on grids small
enough for the dense route (a few hundred modes):

* the BCS pair of the contract (``keldysh.models.bcs``, at ``T = 0.05``: 74 nodes at grid order 2)
  at ``|Delta| = 0`` just below and just above the linear-response ``V_c`` -- where the growth rate
  changes sign -- and at the rotating solution of the complete condition (the phase mode);
* the Fig. 4 model on the engine (``keldysh.models.paper.engine_model``) on a coarse grid (every
  sixth panel edge: 12 nodes, 336 modes), at ``|Delta| = 0`` and at the in-phase ``|Delta|`` of Eq. (18);
* the paper's projected dynamics (Eqs. (9) + (18)) on a coarse grid.

Tolerance.  Both routes compute eigenvalues to ``~eps ||J|| kappa`` (``kappa`` the eigenvalue
condition number; the blocks are mildly non-normal, ``kappa <~ 1e2`` here), so an eigenvalue ``lam``
must agree to ``1e-9 |lam| + 1e-12 s`` with ``s`` the spectral radius: 1e-9 relative for the modes
that matter, and an absolute floor three decades above rounding for the rest (measured: <= 2e-12 s).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.optimize import linear_sum_assignment

import keldysh as kd
from keldysh.meanfield.lowrank import block_rank2_spectrum
from keldysh.meanfield.quadrature import Grid, build_grid
from keldysh.meanfield.stability import dominant_modes, linear_stability, linearisation
from keldysh.models.bcs import bcs_pair_model, bcs_values

REL, ABS = 1e-9, 1e-12


def close(a: complex, b: complex, s: float) -> bool:
    return abs(a - b) <= REL * abs(b) + ABS * s


def assert_same_spectrum(a: np.ndarray, b: np.ndarray) -> float:
    """Equal as multisets (optimal matching); returns the spectral radius."""
    assert a.size == b.size
    s = float(np.abs(b).max())
    D = np.abs(a[:, None] - b[None, :])
    i, j = linear_sum_assignment(D)
    assert np.all(D[i, j] <= REL * np.abs(b[j]) + ABS * s), D[i, j].max() / s
    return s


def assert_same_report(st, dn) -> None:
    """Every field of two ``MeanFieldStability`` results agrees (the spectrum to its conditioning)."""
    s = assert_same_spectrum(st.eigenvalues, dn.eigenvalues)
    assert (st.V, st.delta, st.omega, st.params) == (dn.V, dn.delta, dn.omega, dn.params)
    assert st.stable == dn.stable
    assert close(st.growth_rate, dn.growth_rate, s)
    assert (st.phase_mode is None) == (dn.phase_mode is None)
    if dn.phase_mode is not None:  # found, not imposed: zero to rounding in both
        assert abs(st.phase_mode) < 1e-13 * s and abs(dn.phase_mode) < 1e-13 * s
    a, b = st.approach, dn.approach
    assert close(a["eigenvalue"], b["eigenvalue"], s)
    for key in ("period", "decay_time"):
        assert a[key] == pytest.approx(b[key], rel=1e-9) or (math.isinf(a[key]) and math.isinf(b[key]))
    assert st.to_json().keys() == dn.to_json().keys()
    assert st.diagnostics["method"] == "structured" and st.diagnostics["fallback"] is None


@pytest.fixture(scope="module")
def bcs():
    m, vals = bcs_pair_model(), bcs_values(T_=0.05)
    r = kd.solve_gap(m, 1.5, vals, order=2)  # the rotating solution, and V_c of linear response
    assert r.delta > 0 and r.omega != 0 and 1.0 < r.V_c < 1.5
    return m, vals, r


@pytest.mark.parametrize("factor", [0.99, 1.01])
def test_bcs_unpaired_state_changes_stability_at_linear_response_threshold(bcs, factor):
    m, vals, r = bcs
    st, dn = (linear_stability(m, factor * r.V_c, vals, delta=0.0, order=2, method=x) for x in ("structured", "dense"))
    assert_same_report(st, dn)
    assert st.diagnostics["modes"] == 74 * 6 and st.diagnostics["moved"] < st.diagnostics["modes"]
    assert (st.growth_rate > 0) == (factor > 1) and st.phase_mode is None
    # the pairing instability is a discrete mode: off every pole of the blocks
    assert abs(st.eigenvalues[0] - dn.eigenvalues[0]) <= REL * abs(dn.eigenvalues[0])


def test_bcs_rotating_solution(bcs):
    m, vals, r = bcs
    st, dn = (
        linear_stability(m, 1.5, vals, delta=r.delta, omega=r.omega, order=2, method=x) for x in ("structured", "dense")
    )
    assert_same_report(st, dn)
    assert st.stable and math.isfinite(st.approach["period"])


def coarse_engine_grid(model, vals, step: int = 6) -> Grid:
    """The engine's own grid with every ``step``-th panel edge: the same features, few nodes."""
    grid, _ = build_grid(model, vals, 2)
    return Grid(np.r_[grid.edges[:-1:step], grid.edges[-1]], 2)


@pytest.mark.parametrize("delta", [0.0, 0.0192773])
def test_fig4_engine_model_on_a_coarse_grid(delta):
    """Fig. 4 on the engine (``4``-mode blocks, ``m = 28``): the unpaired state, and the linearisation
    about the in-phase ``|Delta|`` of Eq. (18) (not a fixed point of the complete dynamics, so no
    exact phase mode -- the same matrix for both routes all the same)."""
    from keldysh.models.paper import engine_model

    model, values = engine_model(kd.preset("fig4"))
    vals = model.resolve(values)
    L, B, G = linearisation(model, 5.0, vals, delta, 0.0, grid=coarse_engine_grid(model, vals))
    assert L.shape == (12, 28, 28)
    st, dn = (block_rank2_spectrum(L, B, G, x) for x in ("structured", "dense"))
    s = assert_same_spectrum(st.eigenvalues, dn.eigenvalues)
    assert st.diagnostics["fallback"] is None and st.diagnostics["moved"] < L.shape[0] * 28
    reports = []
    for sp in (st, dn):
        weight = np.abs(sp.residues[:, 0, 0]) + np.abs(sp.residues[:, 1, 1])
        phase, growth, j, _ = dominant_modes(sp.eigenvalues, weight, delta > 0)
        reports.append((phase, growth, sp.eigenvalues[j], weight[j]))
    (p1, g1, l1, w1), (p2, g2, l2, w2) = reports
    assert close(g1, g2, s) and close(l1, l2, s) and w1 == pytest.approx(w2, rel=1e-8)
    assert (p1 is None and p2 is None) or close(p1, p2, s)


def test_paper_projected_dynamics_on_a_coarse_grid():
    """The paper's linearisation of Eqs. (9) + (18) (``6 x 6`` blocks) through the same routine."""
    from keldysh.paper.quadrature import _build, momentum_grid
    from keldysh.paper.solvers.stability import linear_stability as paper_stability

    m = kd.preset("fig4")
    g = momentum_grid(m, order=2)
    g = _build(m, np.r_[g.breakpoints[:-1:3], g.breakpoints[-1]], 2)
    st, dn = (paper_stability(m, 5.0, grid=g, method=x) for x in ("structured", "dense"))
    s = assert_same_spectrum(st.eigenvalues, dn.eigenvalues)
    assert abs(st.phase_mode) < 1e-13 * s and close(st.growth_rate, dn.growth_rate, s)
    a, b = st.oscillation, dn.oscillation
    assert close(a["eigenvalue"], b["eigenvalue"], s) and a["weight"] == pytest.approx(b["weight"], rel=1e-8)
    assert st.slowest_decay_time == pytest.approx(dn.slowest_decay_time, rel=1e-9)
    assert st.diagnostics["fallback"] is None


def test_method_is_checked(bcs):
    m, vals, _ = bcs
    with pytest.raises(kd.ParameterError, match="method"):
        linear_stability(m, 1.0, vals, delta=0.0, method="arnoldi")
