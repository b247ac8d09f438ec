"""The mean-field contract runs as written, and its two routes and two conditions behave as promised.

The model is the contract's BCS pair (fixture ``bcs`` in ``conftest.py``, built verbatim from the
contract); ``solve()`` with no arguments is the contract's ``kd.solve_gap(model, V=1.0, values=vals)``.

Tolerances.  ``method="master"`` (a Kronecker solve of the steady bilinear equations) and
``method="keldysh"`` (``int dw/2pi G^K`` by residues) compute the same ``G_k`` on the same grid
to rounding (~1e-14 relative per node, measured ~1e-15 on ``|Delta|``); the root finders stop at
relative 1e-12, so 1e-8 leaves four orders of margin and still fails on any real discrepancy
(the complete and in-phase solutions differ by 4e-3 relative).
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

import keldysh as kd

from .conftest import T_HOT, V_HOT

ROUTE_TOL = 1e-8

#: values measured when the contract was fixed (quoted to the digits given there; the independent
#: closed-form route of test_routes.py checks them to ~1e-9)
CONTRACT = {
    "complete": dict(delta=0.0166492, omega=0.000916534, V_c=0.869633),
    "in-phase": dict(delta=0.0167145, omega=0.0, V_c=0.869461),
}


def test_contract_values(bcs):
    vals = bcs.values()
    assert vals == {bcs.mu: 1.0, bcs.G: 0.01, bcs.T: 0.0, bcs.kmax: 2.0}
    assert set(bcs.model.parameters) == {bcs.mu, bcs.G, bcs.T, bcs.kmax}


@pytest.mark.parametrize("condition", ["complete", "in-phase"])
def test_contract_numbers(solve, condition):
    r = solve(condition=condition)
    assert isinstance(r, kd.MeanFieldResult)
    assert r.converged and r.reason == ""
    assert r.condition == condition and r.method == "master"
    want = CONTRACT[condition]
    # the contract quotes 6 significant digits: half a unit of the last one
    assert r.delta == pytest.approx(want["delta"], rel=5e-6)
    assert r.omega == pytest.approx(want["omega"], rel=5e-6, abs=0.0 if want["omega"] else 1e-300)
    assert r.V_c == pytest.approx(want["V_c"], rel=5e-6)


@pytest.mark.parametrize("T", [0.0, T_HOT], ids=["T=0", "T>0"])
@pytest.mark.parametrize("condition", ["complete", "in-phase"])
def test_master_equals_keldysh(solve, condition, T):
    V = 1.0 if T == 0 else V_HOT
    rm = solve(V=V, T=T, condition=condition)
    rk = solve(V=V, T=T, condition=condition, method="keldysh")
    assert rm.converged and rk.converged
    assert rm.reason == rk.reason == ""
    assert rk.method == "keldysh"
    assert rm.delta > 0
    assert rk.delta == pytest.approx(rm.delta, rel=ROUTE_TOL)
    assert rk.omega == pytest.approx(rm.omega, rel=ROUTE_TOL, abs=1e-300)
    assert rk.V_c == pytest.approx(rm.V_c, rel=ROUTE_TOL)
    assert rk.omega_c == pytest.approx(rm.omega_c, rel=ROUTE_TOL, abs=1e-300)


@pytest.mark.parametrize("T", [0.0, T_HOT], ids=["T=0", "T>0"])
def test_complete_is_not_in_phase(solve, T):
    """The complete solution rotates; the in-phase one does not, and its |Delta| is off."""
    V = 1.0 if T == 0 else V_HOT
    rc, ri = solve(V=V, T=T), solve(V=V, T=T, condition="in-phase")
    assert ri.omega == 0.0 and ri.omega_c == 0.0
    assert abs(rc.omega) > 1e-5
    assert abs(rc.delta - ri.delta) / ri.delta > 1e-4
    # both thresholds are below the coupling, and the complete one is the larger (Im chi = 0 costs)
    assert ri.V_c < rc.V_c < V


def test_contract_at_finite_temperature_is_below_threshold(solve):
    """At T = 0.05 the contract's V = 1 is below V_c (~1.28): no gap, and the reason says so."""
    for condition in ("complete", "in-phase"):
        r = solve(T=T_HOT, condition=condition)
        assert r.delta == 0.0 and r.converged
        assert "threshold" in r.reason
        assert r.V_c > 1.0
        assert r.V_c == pytest.approx(solve(V=V_HOT, T=T_HOT, condition=condition).V_c, rel=1e-12)


@pytest.mark.parametrize("condition", ["complete", "in-phase"])
def test_to_json(solve, condition):
    r = solve(condition=condition)
    d = r.to_json()
    for key in ("delta", "omega", "V_c", "converged", "reason", "condition", "method", "params"):
        assert key in d, key
    back = json.loads(json.dumps(d))
    assert back["delta"] == r.delta and back["omega"] == r.omega and back["V_c"] == r.V_c
    assert back["converged"] is True and back["reason"] == ""
    assert back["condition"] == condition and back["method"] == "master"
    assert back["params"] == {"mu": 1.0, "G": 0.01, "T": 0.0, "k_max": 2.0}


def test_to_json_below_threshold_and_non_finite(solve):
    """A no-gap result serialises too; non-finite numbers become null (strict JSON)."""
    r = solve(T=T_HOT)
    json.dumps(r.to_json(), allow_nan=False)
    r2 = kd.MeanFieldResult(
        delta=0.0,
        omega=0.0,
        V=1.0,
        V_c=math.inf,
        omega_c=math.nan,
        condition="complete",
        method="master",
        converged=True,
        reason="x",
        params={},
    )
    d = json.loads(json.dumps(r2.to_json(), allow_nan=False))
    assert d["V_c"] is None and d["omega_c"] is None


def test_simulate_call_of_the_contract(bcs):
    """``kd.simulate(model, V=1.0, values=vals, t_max=...)`` returns times and complex Delta(t).

    (The contract's t_max = 6000 takes ~50 s; convergence is tested in test_dynamics.py.)
    """
    run = kd.simulate(bcs.model, V=1.0, values=bcs.values(), t_max=2.0, samples=5)
    assert isinstance(run, kd.MeanFieldRun)
    assert run.times.shape == run.Delta.shape == (5,)
    assert run.times[0] == 0.0 and run.times[-1] == pytest.approx(2.0)
    assert np.iscomplexobj(run.Delta) and np.all(np.isfinite(run.Delta))
