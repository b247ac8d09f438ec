"""Landau coefficients and linear stability of any mean-field model, each against another route.

* ``chi``, ``b`` (exact Taylor coefficients by the Lyapunov recursion) against finite differences of
  the full integrand, and for the paper's model against the paper's own ring coefficients
  (:func:`keldysh.paper.solvers.saddle.ring_coefficients`, Eq. (52), a separate implementation in
  the Keldysh formalism) and its threshold ``V_c = 2.14`` (Fig. 4);
* the linearised dynamics: the phase mode, the threshold where the growth rate changes sign
  against ``V_c`` of linear response, and the growth rate against the integrated dynamics.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import keldysh as kd
from keldysh.errors import ParameterError
from keldysh.meanfield.gap import Integrand
from keldysh.meanfield.landau import landau_coefficients
from keldysh.meanfield.quadrature import build_grid
from keldysh.meanfield.stability import _physical_basis, linear_stability
from keldysh.models.bcs import bcs_pair_model, bcs_values
from keldysh.models.laser import laser_model, laser_values


@pytest.fixture(scope="module")
def bcs():
    return bcs_pair_model(), bcs_values()


@pytest.mark.parametrize("omega", [0.0, 3e-3])
def test_taylor_coefficients_against_finite_differences(bcs, omega):
    """``I(D)/D - chi - b D^2 = O(D^4)``: halving ``D`` divides the remainder by 16 (next term a_5)."""
    m, vals = bcs
    lc = landau_coefficients(m, vals, omega=omega)
    v = m.resolve(vals)
    grid, _ = build_grid(m, v, 8)
    I = Integrand(m, m.node_data(grid.k, grid.w, v), "master")
    rem = [abs(I(D, omega) / D - lc.chi - lc.b * D * D) for D in (1e-3, 5e-4)]
    # a_5 D^4 dominates; the D^6 term shifts the ratio by O(D^2 a_7/a_5) ~ a few percent here
    assert 14.0 < rem[0] / rem[1] < 18.0
    # and without b the remainder is O(D^2): b is needed, and right
    assert abs(I(1e-3, omega) / 1e-3 - lc.chi) > 50 * rem[0]


def test_paper_model_matches_the_papers_ring_coefficients():
    """Engine perturbation theory = the paper's ring series (conj: the engine's ``s`` is ``conj(s21)``)."""
    from keldysh.paper.quadrature import momentum_grid
    from keldysh.paper.solvers.saddle import ring_coefficients

    m = kd.preset("fig4")
    lc = landau_coefficients(laser_model(), laser_values(m))
    g = momentum_grid(m, order=12)
    a1, a3 = ring_coefficients(m, g, 2)
    # both grids resolve the Lorentzian features; their quadrature errors are ~1e-10 (lc.quadrature_error)
    assert lc.quadrature_error < 1e-8
    assert abs(lc.chi - np.conj(g.integrate(a1))) < 1e-8 * abs(lc.chi)
    assert abs(lc.b - np.conj(g.integrate(a3))) < 1e-8 * abs(lc.b)
    assert lc.V_c == pytest.approx(2.14, abs=0.01)  # the value quoted for Fig. 4
    # Eq. (55)'s Omega >> Gamma cubic term is 8% off the exact two-ring term at Fig. 4
    from keldysh.paper.solvers.gap import solve_gap as paper_solve_gap

    r = paper_solve_gap(m, 5.0, "keldysh-eq55")
    assert r.delta / lc.delta_in_phase(5.0) == pytest.approx(1.0392, abs=2e-3)


def test_landau_estimate_near_threshold(bcs):
    """Just above ``V_c`` the in-phase solution approaches ``sqrt((1/V - Re chi)/Re b)``."""
    m, vals = bcs
    lc = landau_coefficients(m, vals)
    assert lc.continuous
    err = []
    for eps in (2e-3, 1e-3):
        V = lc.V_c * (1 + eps)
        r = kd.solve_gap(m, V, vals, condition="in-phase")
        err.append(r.delta**2 / lc.delta_in_phase(V) ** 2 - 1)
    # the relative correction to |Delta|^2 is O(|Delta|^2 a_5/b) = O(V/V_c - 1): it halves with eps
    assert abs(err[0]) < 0.05
    assert err[0] / err[1] == pytest.approx(2.0, rel=0.05)


def test_physical_basis_spans_nambu_covariance_tangent_space():
    E = _physical_basis(6)
    assert E.shape[0] == 2 * 9 - 3
    gram = np.real(np.einsum("iab,jab->ij", E.conj(), E))
    assert np.allclose(gram, np.diag(np.diag(gram)))  # orthogonal
    assert np.allclose(E, E.conj().transpose(0, 2, 1))  # Hermitian


@pytest.fixture(scope="module")
def unpaired(bcs):
    m, vals = bcs
    return {V: linear_stability(m, V, vals, delta=0.0, order=2) for V in (0.8, 1.0)}


def test_phase_mode_and_approach(bcs):
    m, vals = bcs
    s = linear_stability(m, 1.0, vals, order=2)
    assert s.delta > 0 and s.omega != 0
    assert abs(s.phase_mode) < 1e-10  # U(1): found, not put in
    assert s.stable
    assert "phase_mode" in s.to_json() and len(repr(s)) < 300


def test_instability_threshold_equals_linear_response_threshold(bcs):
    """The unpaired state turns unstable where ``1/V = Re chi(omega_c)``, ``Im chi(omega_c) = 0``."""
    m, vals = bcs
    r = kd.solve_gap(m, 1.0, vals, order=2)
    below = linear_stability(m, 0.99 * r.V_c, vals, delta=0.0, order=2).growth_rate
    above = linear_stability(m, 1.01 * r.V_c, vals, delta=0.0, order=2).growth_rate
    assert below < 0 < above


def test_growth_rate_against_integrated_dynamics(bcs, unpaired):
    """The largest eigenvalue at ``Delta = 0`` is the exponential growth of a tiny seed."""
    m, vals = bcs
    lam = unpaired[1.0].eigenvalues[0]
    assert lam.real == unpaired[1.0].growth_rate > 0
    run = kd.simulate(m, 1.0, vals, t_max=700.0, Delta0=1e-10, order=2, samples=701, progress=False)
    t, D = run.times, run.Delta
    sel = (t >= 400) & (t <= 700)
    rate = np.polyfit(t[sel], np.log(np.abs(D[sel])), 1)[0]
    wind = abs(np.polyfit(t[sel], np.unwrap(np.angle(D[sel])), 1)[0])
    # other modes decay at >= G = 0.01, so their share at t = 400 is < e^{-11}; DOP853 at rtol 1e-8
    assert rate == pytest.approx(lam.real, rel=1e-3)
    assert wind == pytest.approx(abs(lam.imag), rel=1e-3, abs=1e-6)
    assert unpaired[0.8].growth_rate < 0


def test_errors(bcs):
    m, vals = bcs
    with pytest.raises(ParameterError, match="V"):
        linear_stability(m, 0.0, vals)
    with pytest.raises(ParameterError, match="delta"):
        linear_stability(m, 1.0, vals, delta=-1.0)
    with pytest.raises(ParameterError, match="omega"):
        landau_coefficients(m, vals, omega=math.nan)
    with pytest.raises(ParameterError, match="model"):
        landau_coefficients(None, vals)
