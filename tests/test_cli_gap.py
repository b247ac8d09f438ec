"""`keldysh gap` contract: JSON fields, flags over presets, exit status 2 with one line on bad input."""

import json
import subprocess
import sys

import pytest

from keldysh.cli import main


def run_cli(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_gap_json_contract(capsys):
    code, out, err = run_cli(
        capsys, "gap", "--preset", "fig4", "--method", "eq19", "--V", "5", "--condition", "in-phase", "--json"
    )
    assert code == 0
    d = json.loads(out)
    for key in ("delta", "V_c", "method", "converged", "reason", "params"):
        assert key in d
    assert d["method"] == "eq19" and d["converged"] is True and d["reason"] == ""
    assert d["condition"] == "in-phase" and d["omega"] == 0.0
    assert round(d["V_c"], 2) == 2.14 and d["delta"] > 0
    for p in ("Omega", "Gamma1", "Gamma2", "kmax", "v_minus", "kappa_plus", "gamma2", "T"):
        assert p in d["params"]


def test_flags_override_preset(capsys):
    code, out, _ = run_cli(
        capsys, "gap", "--preset", "fig4", "--Gamma", "0.02", "--kmax", "0.3", "--condition", "in-phase", "--json"
    )
    d = json.loads(out)
    assert d["params"]["Gamma"] == pytest.approx(0.02) and d["params"]["kmax"] == 0.3


def test_no_solution_reports_reason(capsys):
    code, out, _ = run_cli(capsys, "gap", "--V", "-5", "--condition", "in-phase", "--json")
    d = json.loads(out)
    assert code == 0 and d["delta"] == 0.0 and "sgn V must equal +1" in d["reason"]


@pytest.mark.parametrize(
    "argv, name",
    [
        (["--Gamma", "-1"], "Gamma"),
        (["--Gamma", "0"], "Gamma"),
        (["--Omega", "nan"], "Omega"),
        (["--kmax", "inf"], "kmax"),
        (["--kmax", "0"], "kmax"),
        (["--kmax", "-0.2"], "kmax"),
        (["--gamma2", "1"], "gamma2"),
        (["--gamma2", "0"], "gamma2"),
        (["--preset", "fig9"], "preset"),
        (["--V", "abc"], "--V"),
        (["--V", "0"], "V"),
    ],
)
def test_bad_input_exit_2_one_line(capsys, argv, name):
    with pytest.raises(SystemExit) if argv[1] == "abc" else _no_raise():
        code, out, err = run_cli(capsys, "gap", *argv)
        assert code == 2
        lines = [ln for ln in err.splitlines() if ln.strip()]
        assert len(lines) == 1 and name in lines[0]
        assert "Traceback" not in err


class _no_raise:
    def __enter__(self):
        return self

    def __exit__(self, *a):
        return False


def test_console_script_help_and_version():
    out = subprocess.run([sys.executable, "-m", "keldysh", "gap", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "--method" in out.stdout and "--json" in out.stdout
    v = subprocess.run([sys.executable, "-m", "keldysh", "--version"], capture_output=True, text=True)
    assert v.returncode == 0 and v.stdout.startswith("keldysh ")
    bad = subprocess.run([sys.executable, "-m", "keldysh", "gap", "--V", "abc"], capture_output=True, text=True)
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "model, method", [("pumping", None), ("pumping", "printed"), ("threeband", None), ("threeband", "large-rabi")]
)
def test_other_models_json_contract(capsys, model, method):
    argv = ["gap", "--model", model, "--V", "-5" if model == "threeband" else "5", "--condition", "in-phase", "--json"]
    if method:
        argv += ["--method", method]
    code, out, _ = run_cli(capsys, *argv)
    d = json.loads(out)
    assert code == 0 and d["converged"] is True and d["delta"] >= 0 and d["V_c"] > 0
    assert d["params"]["model"] == model


def test_model_specific_flags_are_checked(capsys):
    code, _, err = run_cli(capsys, "gap", "--model", "pumping", "--tau", "3")
    assert code == 2 and "tau" in err
    code, _, err = run_cli(capsys, "gap", "--mu1", "1")
    assert code == 2 and "mu1" in err


def test_gap_stability_flag(capsys):
    """--stability appends the linearised dynamics about the steady state: Fig. 4 at V = 5 relaxes
    with the oscillation of period 344 and decay time 655 (docs/dynamics.md; grid order 3)."""
    code, out, err = run_cli(
        capsys, "gap", "--preset", "fig4", "--V", "5", "--condition", "in-phase", "--stability", "--json"
    )
    assert code == 0
    st = json.loads(out)["stability"]
    assert st["stable"] is True and abs(st["phase_mode"][0]) < 1e-12
    assert st["oscillation"]["period"] == pytest.approx(344, rel=0.02)
    assert st["oscillation"]["decay_time"] == pytest.approx(655, rel=0.02)
    code, out, err = run_cli(capsys, "gap", "--model", "pumping", "--condition", "in-phase", "--stability")
    assert code == 2 and "stability" in err and "Traceback" not in err


def test_complete_condition_is_the_default_for_the_papers_models(capsys):
    """``keldysh gap --preset fig4 --V 5 --json``: the complete condition (engine form of Sect. II) gives
    no superconducting state, with the physical reason: Im chi(omega) < 0 at every omega."""
    code, out, err = run_cli(capsys, "gap", "--preset", "fig4", "--V", "5", "--json")
    assert code == 0, err
    d = json.loads(out)
    for key in ("delta", "V_c", "method", "converged", "reason", "params", "condition", "omega"):
        assert key in d
    assert d["condition"] == "complete" and d["delta"] == 0.0 and d["omega"] == 0.0 and d["V_c"] is None
    assert "Im chi(omega) < 0 at every omega" in d["reason"]


@pytest.mark.parametrize(
    "argv, name",
    [
        (["--method", "eq19"], "method"),
        (["--model", "threeband", "--V", "-5", "--all-solutions"], "all-solutions"),
        (["--preset", "fig4", "--T", "0.1"], "T"),
    ],
)
def test_complete_condition_limits_are_one_line_errors(capsys, argv, name):
    code, _, err = run_cli(capsys, "gap", *argv, "--condition", "complete")
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert code == 2 and len(lines) == 1 and name in lines[0] and "Traceback" not in err
