"""Bad and edge inputs: a finite answer or one line naming the parameter (exit 2), never a traceback;
output files written atomically; Ctrl-C exits 130 with one line."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import keldysh as kd
from keldysh.cli import main


def _run(argv, capsys):
    capsys.readouterr()  # start clean (property tests reuse the fixture)
    try:
        rc = main(argv)
    except SystemExit as exc:  # argparse usage errors: one line, status 2
        rc = exc.code
    out, err = capsys.readouterr()
    return rc, out, err


@pytest.mark.parametrize(
    "argv, param",
    [
        (["gap", "--Omega", "1e300"], "Omega"),
        (["gap", "--Gamma", "1e300"], "Gamma"),
        (["gap", "--Omega", "1e200", "--stability"], "Omega"),
        (["gap", "--Gamma", "1e-320"], "Gamma"),
        (["estimate", "--Gamma-eV", "1e-320"], "Gamma-eV"),
        (["estimate", "--VN0", "1e308", "--json"], "VN0"),
        (["estimate", "--m-eff", "1e-320"], "m-eff"),
        (["reproduce", "fig5", "--out", ""], "out"),
    ],
)
def test_one_line_naming_the_parameter(argv, param, capsys):
    rc, out, err = _run(argv, capsys)
    assert rc == 2 and len(err.strip().splitlines()) == 1 and f"invalid parameter {param}:" in err


@pytest.mark.parametrize(
    "argv, words",
    [
        (["gap", "--Omega", "0", "--condition", "in-phase", "--json"], "no drive"),
        (["gap", "--kmax", "1e-8", "--condition", "in-phase", "--json"], "momentum window is empty"),
        (["gap", "--kappa-plus", "0", "--condition", "in-phase", "--json"], "pair energy"),
        # the complete condition (default): chi(omega) = 0 at every omega without drive; with a flat pair
        # energy Re chi(0) = 0 but chi(omega != 0) does not vanish: Im chi keeps its sign instead
        (["gap", "--Omega", "0", "--json"], "linear response vanishes at every omega"),
        (["gap", "--kappa-plus", "0", "--json"], "Im chi(omega) < 0 at every omega"),
    ],
)
def test_vanishing_kernel_has_its_exact_reason(argv, words, capsys):
    rc, out, _ = _run(argv, capsys)
    res = json.loads(out)
    assert rc == 0 and res["delta"] == 0.0 and res["V_c"] is None and words in res["reason"]


def test_api_rejects_non_models_and_huge_orders():
    for bad in (None, "fig4", 3.0):
        with pytest.raises(kd.ParameterError) as info:
            kd.solve_gap(bad, 5.0)
        assert info.value.param == "model"
    with pytest.raises(kd.ParameterError) as info:
        kd.solve_gap(kd.preset("fig4"), 5.0, order=100000)
    assert info.value.param == "order"


def test_failed_validation_creates_no_folder(tmp_path, capsys):
    out = tmp_path / "never"
    rc, _, err = _run(["reproduce", "fig5", "--t-max", "-1", "--out", str(out)], capsys)
    assert rc == 2 and "t-max" in err and not out.exists()


def test_flat_run_is_not_converged():
    import numpy as np

    from keldysh.paper.solvers.dynamics import t_converged

    t = np.linspace(0.0, 1e-9, 50)
    assert t_converged(t, np.full_like(t, 0.02)) is None  # no approach seen, not "converged at t = 0"


def test_interrupt_exits_130_with_one_line(monkeypatch, capsys):
    from keldysh.commands import gap

    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(gap, "run", interrupted)
    from keldysh import cli

    parser = cli.build_parser()
    monkeypatch.setattr(cli, "build_parser", lambda: parser)
    for action in parser._subparsers._group_actions[0].choices.values():  # point the parsed command at the stub
        if action.prog.endswith(" gap"):
            action.set_defaults(_run=interrupted)
    rc, _, err = _run(["gap"], capsys)
    assert rc == 130 and len(err.strip().splitlines()) == 1 and "interrupted" in err


def test_atomic_write_leaves_no_partial_file(tmp_path):
    from keldysh.fileio import atomic_path, atomic_write_text

    target = tmp_path / "summary.json"
    atomic_write_text(target, "old")
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_text("half")
            raise RuntimeError("interrupted while writing")
    assert target.read_text() == "old" and sorted(p.name for p in tmp_path.iterdir()) == ["summary.json"]


finite = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([0.0, 1e-320, 1e300, -1.0]))


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    flag=st.sampled_from(["--Omega", "--Gamma", "--gamma2", "--kmax", "--kappa-plus", "--v-minus", "--V", "--T"]),
    value=finite,
)
def test_gap_flags_property(flag, value, capsys):
    """Every value of a flag gives exit 0 with finite JSON, or exit 2 with one line naming a parameter."""
    # the in-phase prescription (milliseconds per solve); the flags are validated as for the complete one
    rc, out, err = _run(["gap", f"{flag}={value!r}", "--condition", "in-phase", "--json"], capsys)
    if rc == 0:
        res = json.loads(out)  # the CLI writes allow_nan=False JSON: parsing proves it finite
        assert res["delta"] >= 0 and math.isfinite(res["delta"])
    else:
        assert rc == 2 and len(err.strip().splitlines()) == 1 and flag.lstrip("-") in err.replace("_", "-")


def test_simulate_dispatches_by_model_type():
    from keldysh.paper.solvers.dynamics import DynamicsResult

    assert isinstance(kd.simulate(kd.preset("fig4"), 5.0, t_max=20.0), DynamicsResult)
    with pytest.raises(kd.ParameterError) as info:
        kd.simulate("fig4", 5.0, t_max=1.0)
    assert info.value.param == "model"
