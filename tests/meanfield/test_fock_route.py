"""The Fock route of the mean-field solver (``method="fock"``) against the Nambu routes.

For the quadratic block of the contract all three routes are exact; they differ in rounding
(the steady-state solves, condition numbers ~1e3) and in how the linear response is taken (the
Fock route exactly, the Nambu routes at a small amplitude, to ~1e-9 relative by construction of
``_linear_amplitude``).  Hence ``|Delta|`` and ``omega`` to 1e-10, ``V_c`` to 1e-8.
"""

from __future__ import annotations

import numpy as np
import pytest

import keldysh as kd
from keldysh.meanfield.fock import FockIntegrand
from keldysh.meanfield.quadrature import build_grid

from .conftest import T_HOT, V_HOT


@pytest.mark.parametrize("condition", ["complete", "in-phase"])
@pytest.mark.parametrize("T,V", [(0.0, 1.0), (T_HOT, V_HOT)], ids=["T=0", "T>0"])
def test_fock_route_equals_master(solve, condition, T, V):
    m = solve(V=V, T=T, condition=condition)
    f = solve(V=V, T=T, condition=condition, method="fock")
    assert f.method == "fock" and f.converged and m.converged
    assert f.delta == pytest.approx(m.delta, rel=1e-10)
    assert f.omega == pytest.approx(m.omega, rel=1e-10, abs=1e-14)
    assert f.V_c == pytest.approx(m.V_c, rel=1e-8)
    assert f.omega_c == pytest.approx(m.omega_c, rel=1e-8, abs=1e-14)


def test_exact_linear_response_is_the_small_amplitude_limit(bcs):
    """``chi(omega)`` from the eigen-decomposition of the normal state's generator against
    ``I(eps, omega)/eps`` from the nonlinear Fock steady state: they differ at ``O(eps^2)`` (the
    gap equation is odd in ``|Delta|``), so the difference falls fourfold when ``eps`` halves, and
    is ~1e-7 relative at ``eps = 1e-5`` (``(eps/Gamma)^2 = 1e-6`` with ``Gamma = 1e-2``)."""
    vals = bcs.model.resolve(bcs.values())
    grid, _ = build_grid(bcs.model, vals, 8)
    nd = bcs.model.node_data(grid.k, grid.w, vals)
    I = FockIntegrand(bcs.model.fock, nd.k, nd.weight, vals)
    for w in (0.0, 3e-4, -0.01):
        chi = I.linear(w)
        d1, d2 = (abs(I(e, w) / e - chi) for e in (2e-5, 1e-5))
        assert d2 < 1e-6 * abs(chi)
        assert d1 / d2 == pytest.approx(4.0, rel=0.05)


def test_other_solvers_name_the_fock_route():
    """The gap solver and the dynamics have a Fock route; the stability, the Landau coefficients and
    the Nambu routes need closed bilinear equations and say which route the model takes."""
    import sympy as sp

    k, V = sp.Symbol("k", real=True), sp.Symbol("V", real=True)
    D = sp.Symbol("Delta")
    a, b, c = kd.fermions("a b c")
    H = k**2 * (a.dag() * a + b.dag() * b) + D * a.dag() * b.dag() + sp.conjugate(D) * b * a
    L = kd.Lindbladian(H, jumps=[(0.1, c.dag() * a), (0.1, a.dag() * c), (0.1, b)], closure="fock")
    model = kd.MeanFieldModel(L, D, V, V * L.mean(a * b), momentum=k, domain=(0, 1))
    assert not model.closed
    for call in (
        lambda: kd.simulate(model, 1.0, values={}, t_max=1.0, route="nambu"),
        lambda: kd.linear_stability(model, 1.0, values={}),
        lambda: kd.landau_coefficients(model, values={}),
        lambda: kd.solve_gap(model, 1.0, values={}, method="master"),
    ):
        with pytest.raises(kd.ParameterError, match="method='fock'"):
            call()
    r = kd.solve_gap(model, 1.0, values={})  # the default route of a non-quadratic block
    assert r.method == "fock" and r.converged and r.reason
    import json

    json.dumps(r.to_json(), allow_nan=False)


@pytest.mark.slow  # the paper's four-mode block (~1.6 s); the fast lane compares the routes on the contract
def test_sect_ii_block_on_the_fock_route_equals_the_master_route():
    """The paper's Sect. II block (four modes, Fig. 4, V = 5, in-phase): each node on its 16 Fock states
    against the Nambu master route on the same grid (measured: 1e-15 in |Delta|)."""
    from keldysh.models.laser import laser_model, laser_values
    from keldysh.paper import params

    model, values = laser_model(), laser_values(params.preset("fig4"))
    f = kd.solve_gap(model, 5.0, values, condition="in-phase", method="fock")
    m = kd.solve_gap(model, 5.0, values, condition="in-phase", method="master")
    assert f.delta == pytest.approx(m.delta, rel=1e-10) and f.V_c == pytest.approx(m.V_c, rel=1e-8)


def test_fock_route_input_errors_name_the_parameter():
    """A rate negative on part of the domain, a reference that is not a list of annihilators, and a
    block beyond the Fock route's size: one ParameterError each, naming the argument."""
    import sympy as sp

    k, V = sp.Symbol("k", real=True), sp.Symbol("V", real=True)
    D = sp.Symbol("Delta")
    a, b, c = kd.fermions("a b c")
    H = k**2 * (a.dag() * a + b.dag() * b) + D * a.dag() * b.dag() + sp.conjugate(D) * b * a
    L = kd.Lindbladian(H, jumps=[(k - 0.5, c.dag() * a), (0.1, a.dag() * c), (0.1, b)], closure="fock")
    with pytest.raises(kd.ParameterError, match="jumps: a rate is negative"):
        kd.solve_gap(kd.MeanFieldModel(L, D, V, V * L.mean(a * b), momentum=k, domain=(0, 1)), 1.0, values={})
    for bad in (["a"], [a.dag()], "a"):
        with pytest.raises(kd.ParameterError, match="reference"):
            kd.MeanFieldModel(L, D, V, V * L.mean(a * b), momentum=k, domain=(0, 1), reference=bad)
    many = kd.fermions(" ".join(f"m{i}" for i in range(11)))
    big = kd.Lindbladian(sum((x.dag() * x for x in many), 0 * a.dag() * a), jumps=[(0.1, many[0])], closure="fock")
    with pytest.raises(kd.ParameterError, match="n_modes"):
        big.steady_state(values={})


@pytest.mark.parametrize("projection", ["complete", pytest.param("in-phase", marks=pytest.mark.slow)])
def test_fock_dynamics_equals_nambu_dynamics(bcs, projection):
    """The contract's pair from the steady state at the seed: every node's density matrix (Fock
    route) against its bilinears (Nambu route), both DOP853 at rtol 1e-8 (global error ~1e-7 of
    max |Delta| over the growth and the first ring); the trace of every node stays 1."""
    runs = [
        kd.simulate(bcs.model, 1.0, bcs.values(), t_max=300.0, samples=31, order=4, route=r, projection=projection)
        for r in ("nambu", "fock")
    ]
    scale = np.abs(runs[0].Delta).max()
    assert np.abs(runs[1].Delta - runs[0].Delta).max() < 1e-6 * scale
    assert runs[1].diagnostics["route"] == "fock" and runs[1].diagnostics["trace_error"] < 1e-10
    with pytest.raises(kd.ParameterError, match="dop853"):
        kd.simulate(bcs.model, 1.0, bcs.values(), t_max=1.0, route="fock", method="magnus4")
