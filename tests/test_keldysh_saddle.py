"""The Keldysh saddle point (Eqs. (51), (53), (55)) against the master-equation route (Eqs. (9), (18))."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

import keldysh
from keldysh.errors import ParameterError
from keldysh.paper.quadrature import momentum_grid
from keldysh.paper.solvers import saddle
from keldysh.paper.solvers.gap import kernel_master
from keldysh.paper.solvers.gap import solve_gap as paper_solve_gap


def _models():
    yield keldysh.preset("fig4")
    rng = np.random.default_rng(7)
    for _ in range(2):
        yield keldysh.LaserModel.from_paper(
            v_minus=float(rng.uniform(5, 15)),
            kappa_plus=-float(rng.uniform(20, 80)),
            Omega=float(rng.uniform(0.01, 0.5)),
            Gamma=float(rng.uniform(0.005, 0.02)),
            gamma2=float(rng.uniform(0.01, 0.3)),
            v_plus=float(rng.uniform(-0.5, 0.5)),
        )


@pytest.mark.parametrize("model", list(_models()), ids=lambda m: m.name)
def test_Vc_and_gap_keldysh_equal_master(model):
    # both routes are exact on the same grid: differences are rounding (~1e-15), 1e-8 as required
    Vk = paper_solve_gap(model, 1.0, method="keldysh", estimate_error=False).V_c
    Vm = paper_solve_gap(model, 1.0, method="master", estimate_error=False).V_c
    assert abs(Vk / Vm - 1) < 1e-8
    for fac in (1.1, 2.0):
        dk = paper_solve_gap(model, fac * Vm, method="keldysh", estimate_error=False).delta
        dm = paper_solve_gap(model, fac * Vm, method="master", estimate_error=False).delta
        assert dm > 0 and abs(dk / dm - 1) < 1e-8


def test_eq55_agrees_to_leading_order():
    m = keldysh.preset("fig4")
    g = momentum_grid(m)
    Vc = paper_solve_gap(m, 1.0, method="master", estimate_error=False).V_c
    assert abs(paper_solve_gap(m, 1.0, method="keldysh-eq55", estimate_error=False).V_c / Vc - 1) < 1e-12
    # near V_c: Omega/Gamma = 50 makes the Omega >> Gamma cubic coefficient accurate to a few per cent
    d55 = paper_solve_gap(m, 1.0005 * Vc, method="keldysh-eq55", estimate_error=False).delta
    dm = paper_solve_gap(m, 1.0005 * Vc, method="master", estimate_error=False).delta
    assert abs(d55 / dm - 1) < 0.06
    # with the general cubic coefficient the truncation error is O(Delta^4): halving Delta divides it by ~16
    err = [abs(g.integrate(saddle.kernel_cubic(m, g, d)) - g.integrate(kernel_master(m, g, d))) for d in (2e-4, 1e-4)]
    assert 12 < err[0] / err[1] < 20


def test_kernels_finite_at_zero_and_continuous():
    m = keldysh.preset("fig4")
    g = momentum_grid(m)
    k0 = saddle.kernel_keldysh(m, g, 0.0)
    k1 = saddle.kernel_keldysh(m, g, 1e-7)
    # O(Delta^2) correction: (1e-7/Gamma)^2 ~ 1e-10 relative, 1e-6 leaves room for near-resonant nodes
    assert np.all(np.isfinite(k0)) and abs(g.integrate(k1) / g.integrate(k0) - 1) < 1e-6
    assert np.allclose(k0, kernel_master(m, g, 0.0), rtol=1e-9, atol=1e-9)
    with pytest.raises(ParameterError):
        saddle.kernel_keldysh(m, g, -1.0)


def test_reduced_solver_equals_full_and_reservoir_source():
    m = keldysh.preset("fig5")
    g = momentum_grid(m, order=6)
    a = saddle.anomalous_s21(m, g, 3e-3)
    b = saddle.anomalous_s21(m, g, 3e-3, solver="full")
    c = saddle.anomalous_s21(m, g, 3e-3, source="reservoir", solver="full")
    scale = np.max(np.abs(a))
    assert np.max(np.abs(a - b)) < 1e-10 * scale and np.max(np.abs(a - c)) < 1e-10 * scale


def test_ring_coefficients_match_small_delta():
    m = keldysh.preset("fig4")
    g = momentum_grid(m, order=6)
    a1, a3 = saddle.ring_coefficients(m, g, 2)
    d = 1e-5
    s = saddle.anomalous_s21(m, g, d)
    # remainder a5 d^5 relative to a3 d^3 is ~ 4 d^2/Gamma^2 ~ 4e-6 node by node
    assert np.max(np.abs(s - a1 * d - a3 * d**3) / np.abs(a3 * d**3)) < 1e-4


def test_quad_baseline_agrees_with_residues_near_collision():
    """Adaptive quad over omega vs the exact residue (Lyapunov) form, including E_k = 0 nodes."""
    m = keldysh.preset("fig4")
    q = np.array([0.0, 1e-4, 0.003, -0.02])
    grid = SimpleNamespace(cache={}, **m.grid_fields(q))
    ex = saddle.kernel_keldysh(m, grid, 2e-3)
    qd = saddle.kernel_keldysh_quad(m, grid, 2e-3)
    # quad epsabs 1e-14 on integrands of size <= 1/Gamma: 1e-7 relative to the largest entry is safe
    assert np.max(np.abs(ex - qd)) < 1e-7 * np.max(np.abs(ex))


def test_transpose_and_diagonal_variants():
    """Dropping the transpose (printed Eq. (52)) changes V_c slightly; diag(f1, f2) removes pairing."""
    m = keldysh.LaserModel.from_paper(v_minus=10, kappa_plus=-50, Omega=0.05, Gamma=0.01, gamma2=0.3)
    g = momentum_grid(m, order=8)
    d = 1e-9
    I = {
        s: g.integrate(-np.real(saddle.anomalous_s21(m, g, d, source=s, solver="full")) / d)
        for s in ("paper", "no-transpose", "diagonal")
    }
    assert abs(I["no-transpose"] / I["paper"] - 1) > 1e-4
    assert abs(I["diagonal"]) < 1e-10 * abs(I["paper"])
