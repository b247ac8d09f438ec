"""`keldysh reproduce`: files, summary.json shape and agreement with the gap solver (Figs. 4-6)."""

import json
from datetime import datetime

import pytest

import keldysh
from keldysh.cli import main
from keldysh.commands import reproduce


@pytest.mark.slow  # ~6 s; the fast lane runs reproduce in test_reproduce_failed_check_exits_1 (fig5, t = 20)
def test_reproduce_fig5_quick(tmp_path, capsys):
    """Fig. 5 (V = 5, gamma1 = 0.8) with a short run: every file written, JSON printed and saved."""
    out = tmp_path / "res"
    rc = main(["reproduce", "fig5", "--quick", "--t-max", "6000", "--out", str(out), "--json", "--quiet"])
    assert rc == 0
    printed = json.loads(capsys.readouterr().out)
    saved = json.loads((out / "summary.json").read_text())
    assert set(printed) == {"fig5"} and saved["fig5"] == printed["fig5"]
    blk = printed["fig5"]
    assert len(blk["curves"]) == 1
    c = blk["curves"][0]
    for key in ("V", "Omega", "delta_final", "t_converged", "delta_steady_state", "delta_eq23", "delta_eq23_cutoff"):
        assert key in c
    assert c["V"] == 5.0 and c["Omega"] == 0.5
    # converged by t = 6000 (Fig. 5 relaxes fast, gamma2 = 0.2): the dynamics equals the gap
    # equation on the same grid to the remaining relaxation (measured 8e-6 at order 3)
    assert c["delta_final"] == pytest.approx(c["delta_steady_state"], rel=1e-3)
    assert c["t_converged"] is not None
    # Fig. 5 caption: Eq. (23) is off (the approximations of Sect. II.B fail for gamma1 ~ gamma2)
    assert c["delta_eq23"] > 1.5 * c["delta_steady_state"]
    assert c["s21_max_relative_deviation"] < 1e-2
    # the linear-stability route: a stable steady state with an exact phase mode (rounding of a
    # ~1000-dimensional eigenproblem); Fig. 5 approaches it overdamped (decay 232 < period 2297)
    assert c["stable"] is True and c["phase_mode"] < 1e-12
    assert c["relaxation_time_linear"] == pytest.approx(232, rel=0.05)
    assert c["delta_average_last_10pct"] == pytest.approx(c["delta_steady_state"], rel=1e-3)
    for name in blk["files"]:
        assert (out / name).stat().st_size > 0
    # one figure file with both panels, as PNG and as PDF, next to the CSV data
    assert {"fig5.png", "fig5.pdf", "fig5_V5_delta.csv", "fig5_V5_s21.csv"} <= set(blk["files"])
    # provenance: package version, ISO-8601 UTC timestamps, the parameters of the run
    assert blk["version"] == keldysh.__version__
    started, finished = (datetime.fromisoformat(blk[k]) for k in ("started", "finished"))
    assert started.utcoffset().total_seconds() == 0 and started <= finished
    par = blk["parameters"]
    assert par["mode"] == "quick" and par["reference"] is False and par["t_max"] == 6000.0
    assert par["panels"][""]["preset"] == "fig5" and par["panels"][""]["V"] == [5.0]
    assert par["panels"][""]["model"]["Omega"] == 0.5 and par["panels"][""]["run"]["t_max"] == 6000.0
    # the agreement checks: all decided ones pass (this run converges: Fig. 5 relaxes fast)
    status = {ch["check"]: ch["status"] for ch in blk["checks"]}
    assert status["steady_state"] == status["s21_eq10"] == status["nambu"] == status["stable"] == "pass"
    assert "fail" not in status.values()


@pytest.mark.slow  # two figures, with the complete-condition run of Fig. 4 (~15 s)
def test_reproduce_merges_summaries(tmp_path, capsys):
    """Two figures into one folder: summary.json holds both; the second run prints the human summary."""
    # --no-stability: the linear-stability route is tested by the Fig. 5 run above, not here
    out = tmp_path / "r"
    argv = ["--quick", "--t-max", "50", "--out", str(out), "--no-stability"]
    assert main(["reproduce", "fig4", *argv, "--quiet"]) == 0
    capsys.readouterr()
    assert main(["reproduce", "fig5", *argv]) == 0  # not quiet: the human summary
    text = capsys.readouterr().out
    assert "fig5:" in text and "exact gap eq." in text and "summary:" in text
    saved = json.loads((out / "summary.json").read_text())
    assert set(saved) == {"fig4", "fig5"}
    assert [c["V"] for c in saved["fig4"]["curves"]] == [5.0, 2.3, 1.0]
    # V = 1 < V_c: no steady pairing, and a short run is not converged
    assert saved["fig4"]["curves"][2]["delta_steady_state"] == 0.0
    # the complete condition next to the paper's prescription (docs/meanfield.md)
    cc = saved["fig4"]["complete_condition"]
    assert cc["delta_complete"] == 0.0 and cc["delta_in_phase"] > 0.019 and cc["t_max"] == 50.0
    assert cc["full_dynamics_final_abs_Delta"] < cc["delta_in_phase"]


@pytest.mark.parametrize(
    "argv",
    [
        ["reproduce", "fig7"],
        ["reproduce", "fig4", "--method", "euler", "--quiet"],
        ["reproduce", "fig4", "--t-max", "-3", "--quiet"],
        ["reproduce", "fig6", "--initial", "random", "--quiet"],
    ],
)
def test_reproduce_bad_input_exits_2(tmp_path, argv, capsys):
    try:
        rc = main(argv + ["--out", str(tmp_path)])
    except SystemExit as exc:  # argparse choices
        rc = exc.code
    assert rc == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1


def test_reproduce_failed_check_exits_1(tmp_path, capsys, monkeypatch):
    """A failed agreement check: exit status 1 and one line per failed check naming it; files still written.

    Treating a 20-unit run as the reference run makes its steady-state checks decide, and they fail
    (|Delta| is nowhere near the gap equation yet).
    """
    monkeypatch.setattr(reproduce, "_reference", lambda args, mode: True)
    out = tmp_path / "r"
    rc = main(["reproduce", "fig5", "--quick", "--t-max", "20", "--out", str(out), "--quiet", "--no-stability"])
    assert rc == 1
    lines = capsys.readouterr().err.splitlines()
    assert sorted(line.split(": ")[3] for line in lines) == ["s21_eq10", "steady_state"]
    assert all(line.startswith("keldysh reproduce: check failed: fig5 V = 5: ") for line in lines)
    saved = json.loads((out / "summary.json").read_text())["fig5"]
    assert {ch["check"] for ch in saved["checks"] if ch["status"] == "fail"} == {"s21_eq10", "steady_state"}
    assert (out / "fig5.png").stat().st_size > 0


@pytest.mark.slow  # a second run with a check failing (the fast lane has test_reproduce_failed_check_exits_1)
def test_reproduce_check_tolerance_decides(tmp_path, capsys, monkeypatch):
    """The checks that hold for any run length decide always: a zero tolerance on the (rounding-sized)
    phase mode fails, in a shortened run too."""
    monkeypatch.setitem(reproduce.TOLERANCES, "phase_mode", 0.0)
    rc = main(["reproduce", "fig5", "--quick", "--t-max", "20", "--out", str(tmp_path), "--quiet"])
    assert rc == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert "fig5 V = 5: phase_mode:" in line and "(tolerance 0)" in line
