"""Sect. III rebuilt on the engine (keldysh.models.pumping) against the paper's own solver, and the
complete condition for it."""

from __future__ import annotations

import pytest

import keldysh as kd
from keldysh.models.pumping import pumping_model, pumping_values
from keldysh.paper import pumping as P


@pytest.mark.parametrize("name", sorted(P.PRESETS))
def test_engine_model_reproduces_the_paper_solver_in_phase(name):
    # independent pipelines (engine block with a dephasing jump + meanfield grid vs the derived
    # Eq. (41) kernel on the paper solver's grid): both resolve the features to ~1e-10
    pm = P.PRESETS[name]
    ref = kd.solve_gap(pm, 5.0, condition="in-phase")
    r = kd.solve_gap(pumping_model(), 5.0, pumping_values(pm), condition="in-phase")
    assert r.converged and abs(r.delta - ref.delta) < 1e-7 * ref.delta
    assert abs(r.V_c - ref.V_c) < 1e-7 * ref.V_c


def test_complete_condition_has_no_rotating_solution():
    """The pumped population deviation keeps one sign in the window, so Im chi(omega) never vanishes."""
    r = kd.solve_gap(pumping_model(), 5.0, pumping_values(P.PRESETS["pumping"]), condition="complete")
    assert r.delta == 0.0 and "no rotating solution" in r.reason


def test_lindblad_form_needs_gamma12_at_least_gamma():
    with pytest.raises(kd.ParameterError) as info:
        pumping_values(P.PumpingModel(Gamma12=0.005))
    assert info.value.param == "Gamma12"
