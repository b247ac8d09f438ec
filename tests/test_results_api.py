"""The result objects as a user meets them: compact display, plots into given axes, labelled
tables and files (keldysh.results).

Every round trip is exact (the same float64 / complex128 numbers come back): the checks compare
with ``np.array_equal`` / ``==``, not with a tolerance.
"""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

import keldysh as kd
from keldysh.errors import ParameterError
from keldysh.meanfield import MeanFieldResult, MeanFieldRun
from keldysh.paper.solvers.dynamics import DynamicsResult, simulate
from keldysh.paper.solvers.gap import GapResult, solve_gap
from keldysh.paper.solvers.stability import StabilityResult, linear_stability
from keldysh.results import load_result


@pytest.fixture(scope="module")
def dyn() -> DynamicsResult:
    # a short run through the first instants of Fig. 4 (V = 5) on a coarse grid: ~100 samples
    return simulate(kd.preset("fig4"), 5.0, t_max=60.0, options={"order": 2}, progress=False)


@pytest.fixture(scope="module")
def gap() -> GapResult:
    return solve_gap(kd.preset("fig4"), 5.0, "eq19")  # the paper's in-phase route


@pytest.fixture(scope="module")
def stab() -> StabilityResult:
    return linear_stability(kd.preset("fig5"), 5.0, order=2)


@pytest.fixture(scope="module")
def mf_result() -> MeanFieldResult:
    return MeanFieldResult(
        delta=0.0166492,
        omega=9.16534e-4,
        V=1.0,
        V_c=0.869633,
        omega_c=math.nan,
        condition="complete",
        method="master",
        converged=True,
        reason="",
        params={"mu": 1.0, "G": 0.01, "T": 0.0, "k_max": 2.0},
        diagnostics={"nodes": 96, "residual": 1e-15},
    )


@pytest.fixture(scope="module")
def mf_run() -> MeanFieldRun:
    t = np.linspace(0.0, 50.0, 401)
    return MeanFieldRun(
        times=t, Delta=0.0166 * np.exp(-2j * 9.2e-4 * t), V=1.0, params={"mu": 1.0}, diagnostics={"nodes": 96}
    )


@pytest.fixture(scope="module")
def results(dyn, gap, stab, mf_result, mf_run) -> dict:
    return {"dynamics": dyn, "gap": gap, "stability": stab, "mf_result": mf_result, "mf_run": mf_run}


def _axes():
    from matplotlib.figure import Figure  # no pyplot, no backend: what a library test needs

    return Figure().subplots()


# ----------------------------------------------------------------------------- display
@pytest.mark.parametrize("name", ["dynamics", "gap", "stability", "mf_result", "mf_run"])
def test_repr_is_compact(results, name):
    """A result shown in a notebook fits on a screen: a few lines, arrays by shape and range."""
    r = results[name]
    text = repr(r)
    assert len(text) <= 600 and text.count("\n") <= 4
    assert "array(" not in text  # no NumPy array printout
    html = r._repr_html_()
    assert html.startswith("<table") and len(html) <= 4000


def test_repr_names_the_key_numbers(dyn, stab):
    assert "V=5" in repr(dyn) and "Delta[" in repr(dyn) and f"q[{dyn.q.size}]" in repr(dyn)
    assert f"eigenvalues[{stab.eigenvalues.size}]" in repr(stab) and "stable=True" in repr(stab)


# ----------------------------------------------------------------------------- plots
def test_plots_draw_into_the_given_axes(dyn, stab, mf_run):
    ax = _axes()
    assert dyn.plot(ax) is ax
    (line,) = ax.get_lines()
    assert np.array_equal(line.get_xdata(), dyn.times) and np.array_equal(line.get_ydata(), dyn.abs_Delta)
    ax = _axes()
    assert dyn.plot(ax, kind="s21") is ax and len(ax.get_lines()) == 2
    ax = _axes()
    assert stab.plot(ax) is ax and len(ax.get_lines()) >= 2  # the spectrum and the circled mode
    ax = _axes()
    assert mf_run.plot(ax) is ax and ax.get_yscale() == "log"
    with pytest.raises(ParameterError):
        dyn.plot(_axes(), kind="n11")


def test_long_runs_are_drawn_against_scaled_time(dyn):
    from dataclasses import replace

    long = replace(dyn, times=dyn.times * 5e4)  # t_end = 3e6: drawn as t / 10^6, no axis offset
    ax = long.plot(_axes())
    assert ax.get_xlabel() == r"$t\;/\;10^{6}$"
    assert ax.get_lines()[0].get_xdata().max() == pytest.approx(3.0)


def test_library_never_selects_a_backend():
    """matplotlib.use is for applications; the results and the figures of reproduce draw on Figure
    objects or on the user's axes, so a notebook keeps its inline backend."""
    root = Path(kd.__file__).parent
    files = [root / "results.py", root / "plotting.py", *root.glob("commands/*.py")]
    for sub in ("paper", "meanfield", "engine", "models"):
        files += (root / sub).rglob("*.py")
    offenders = [str(p.relative_to(root)) for p in files if "matplotlib.use(" in p.read_text()]
    assert offenders == []


# ----------------------------------------------------------------------------- tables
def test_dynamics_to_xarray_and_back(dyn):
    ds = dyn.to_xarray()
    assert dict(ds.sizes) == {"t": dyn.times.size, "q": dyn.q.size}
    assert np.array_equal(ds["t"].values, dyn.times) and np.array_equal(ds["Delta"].values, dyn.Delta)
    assert np.array_equal(ds["s21"].values, dyn.s21) and ds["s21"].dims == ("q",)
    assert ds.attrs["V"] == 5.0 and ds.attrs["param_Omega"] == kd.preset("fig4").Omega
    back = DynamicsResult.from_xarray(ds)
    for name in ("times", "Delta", "q", "w", "s21", "n11", "n22", "n21"):
        assert np.array_equal(getattr(back, name), getattr(dyn, name)), name
    assert back.options == dyn.options and back.seed == dyn.seed and back.params == dyn.params
    assert back.diagnostics == dyn.diagnostics and back.t_converged == dyn.t_converged


def test_to_dataframe_along_each_dimension(dyn, stab, mf_run):
    df = dyn.to_dataframe()
    assert df.index.name == "t" and list(df.columns) == ["Delta"]
    assert np.array_equal(df.index.values, dyn.times) and np.array_equal(df["Delta"].values, dyn.Delta)
    dq = dyn.to_dataframe("q")
    assert list(dq.columns) == ["w", "s21", "n11", "n22", "n21"] and np.array_equal(dq.index.values, dyn.q)
    assert np.array_equal(stab.to_dataframe()["eigenvalues"].values, stab.eigenvalues)
    assert np.array_equal(mf_run.to_dataframe()["Delta"].values, mf_run.Delta)
    with pytest.raises(ParameterError):
        dyn.to_dataframe("omega")


# ----------------------------------------------------------------------------- files
def _utc(stamp: str) -> datetime:
    t = datetime.fromisoformat(stamp)
    assert t.tzinfo is not None and t.utcoffset().total_seconds() == 0
    return t


@pytest.mark.parametrize("suffix", [".json", ".nc"])
def test_dynamics_save_load_round_trip(dyn, tmp_path, suffix):
    path = dyn.save(tmp_path / f"run{suffix}")
    back = DynamicsResult.load(path)
    for name in ("times", "Delta", "q", "w", "s21", "n11", "n22", "n21"):
        assert np.array_equal(getattr(back, name), getattr(dyn, name)), name
    assert back.options == dyn.options and back.V == dyn.V and back.seed == dyn.seed
    assert back.params == dyn.params and back.diagnostics == dyn.diagnostics
    prov = back.provenance
    assert prov["version"] == kd.__version__
    assert _utc(prov["created"]) <= _utc(prov["saved"]) <= datetime.now(UTC)
    assert type(load_result(path)) is DynamicsResult


@pytest.mark.parametrize("name", ["gap", "stability", "mf_result", "mf_run"])
def test_save_load_round_trip(results, tmp_path, name):
    r = results[name]
    path = r.save(tmp_path / "r.json")
    meta = json.loads(path.read_text())
    assert meta["version"] == kd.__version__ and meta["class"] == type(r).__name__
    assert meta["parameters"] == json.loads(json.dumps(r.params)) and _utc(meta["saved"])
    back = type(r).load(path)
    assert back.provenance["saved"] == meta["saved"]
    for f in r.__dataclass_fields__:
        a, b = getattr(r, f), getattr(back, f)
        if isinstance(a, np.ndarray):
            assert np.array_equal(a, b), f
        elif isinstance(a, float) and math.isnan(a):
            assert math.isnan(b), f
        else:
            assert a == b, f


def test_load_refuses_what_it_cannot_trust(dyn, gap, tmp_path):
    path = dyn.save(tmp_path / "run.json")
    with pytest.raises(ParameterError, match="holds a DynamicsResult"):
        GapResult.load(path)
    npz = tmp_path / "run.npz"
    with np.load(npz) as z:
        arrays = {k: z[k] for k in z.files}
    arrays["Delta"] = arrays["Delta"] * 2
    np.savez(npz, **arrays)  # changed behind the JSON's back
    with pytest.raises(ParameterError, match="does not match"):
        DynamicsResult.load(path)
    with pytest.raises(ParameterError, match=r"\.json or \.nc"):
        gap.save(tmp_path / "gap.pkl")
    with pytest.raises(ParameterError, match="no arrays"):
        gap.save(tmp_path / "gap.nc")
    (tmp_path / "other.json").write_text('{"class": "os.system"}')
    with pytest.raises(ParameterError):
        load_result(tmp_path / "other.json")


# ----------------------------------------------------------------------------- package surface
def test_entry_points_and_marker():
    assert kd.DynamicsResult is DynamicsResult and kd.StabilityResult is StabilityResult
    assert kd.GapResult is GapResult and callable(kd.simulate) and callable(kd.linear_stability)
    assert callable(kd.load_result)
    assert (Path(kd.__file__).parent / "py.typed").is_file()


def test_progress_bars_are_tqdm_auto(monkeypatch):
    """Bars come from tqdm.auto (a widget in Jupyter); automatic mode stays silent when nobody watches."""
    import tqdm.auto

    from keldysh.paper.solvers.dynamics import _progress

    assert _progress(None, 10.0, "x") is None  # pytest captures stderr: not a terminal, no kernel
    bar = _progress(True, 10.0, "x")
    try:
        assert isinstance(bar, tqdm.auto.tqdm)
    finally:
        bar.close()
