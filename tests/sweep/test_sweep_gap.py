"""``kd.sweep`` / ``keldysh sweep``: the labelled dataset, every point equal to the single call, the
store's checkpoint (resume, refusal of a store made for other parameters), errors and the plot."""

from __future__ import annotations

import json

import numpy as np
import pytest
import zarr

import keldysh as kd
from keldysh.sweeps import open_sweep, plot_sweep
from keldysh.sweeps.core import build_job
from keldysh.sweeps.run import run_sweep
from keldysh.sweeps.store import SweepStore

from .conftest import OMEGA_AXIS, V_AXIS, cli

#: |Delta| of a sweep point against the single call: both bracket the root of the same gap equation
#: on the same grid until the bracket is narrower than 2 rtol |Delta| (rtol = 1e-12, the solver's
#: default), so they differ by at most ~4 rtol |Delta| away from the threshold
RTOL = 4e-12


def test_dataset_is_labelled(fig4_sweep):
    ds = fig4_sweep
    assert tuple(ds.delta.dims) == ("V", "Omega")
    assert np.array_equal(ds.V.values, V_AXIS) and np.array_equal(ds.Omega.values, OMEGA_AXIS)
    for name in ("delta", "omega", "V_c", "converged", "reason", "done"):
        assert name in ds and ds[name].shape == (V_AXIS.size, OMEGA_AXIS.size)
    assert ds.converged.dtype == bool and ds.done.values.all()
    assert ds.attrs["keldysh_version"] == kd.__version__ and len(ds.attrs["model_hash"]) == 32
    assert ds.attrs["model"]["parameters"]["Omega"] == 0.5 and ds.attrs["conditions"] == ["in-phase"]
    assert (ds.delta.values > 0).sum() >= 6  # a superconducting region, and
    assert (ds.delta.values == 0).sum() >= 8  # the sign rule, below threshold and no drive


def test_every_point_equals_solve_gap(fig4_sweep):
    m = kd.preset("fig4")
    for i, V in enumerate(V_AXIS):
        for j, Om in enumerate(OMEGA_AXIS):
            r = kd.solve_gap(m.replace(Omega=float(Om)), float(V), condition="in-phase")
            pt = fig4_sweep.isel(V=i, Omega=j)
            assert float(pt.V_c) == r.V_c  # the same grid and the same integral: bitwise
            assert str(pt.reason.values) == r.reason and bool(pt.converged) == r.converged
            assert float(pt.omega) == 0.0
            assert abs(float(pt.delta) - r.delta) <= RTOL * r.delta, (V, Om)


def test_cli_point_equals_keldysh_gap_json(tmp_path, capsys):
    store = tmp_path / "d.zarr"
    rc, out, err = cli(
        [
            "sweep",
            "--preset",
            "fig4",
            "--condition",
            "in-phase",
            "--axis",
            "V=2.5,6",
            "--axis",
            "Omega=0.3,0.8",
            "--out",
            store,
            "--json",
        ],
        capsys,
    )
    assert rc == 0, err
    summary = json.loads(out)
    assert summary["points"] == 4 and summary["computed_points"] == 4 and summary["dims"] == {"V": 2, "Omega": 2}
    ds = open_sweep(store)
    for V, Om in ((2.5, 0.8), (6.0, 0.3)):
        rc, out, err = cli(
            ["gap", "--preset", "fig4", "--condition", "in-phase", "--V", V, "--Omega", Om, "--json"], capsys
        )
        ref = json.loads(out)
        pt = ds.sel(V=V, Omega=Om)
        assert float(pt.V_c) == ref["V_c"] and str(pt.reason.values) == ref["reason"]
        assert abs(float(pt.delta) - ref["delta"]) <= RTOL * ref["delta"]


def test_fixed_parameters_and_any_field_as_axis():
    m = kd.preset("fig4")
    g2 = [0.001, 0.3, 0.7]
    ds = kd.sweep(m, condition="in-phase", V=4.0, gamma2=g2, progress=False)
    assert tuple(ds.delta.dims) == ("gamma2",) and ds.attrs["fixed"] == {"V": 4.0}
    for j, g in enumerate(g2):
        r = kd.solve_gap(m.replace(gamma2=g), 4.0, condition="in-phase")
        assert float(ds.V_c[j]) == r.V_c and str(ds.reason.values[j]) == r.reason
        assert abs(float(ds.delta[j]) - r.delta) <= RTOL * r.delta
    assert float(ds.delta[-1]) == 0.0 and "sgn V" in str(ds.reason.values[-1])  # gamma2 > gamma1: Eq. (21)


def test_engine_model_points_equal_single_calls_to_the_last_bit():
    from keldysh.models.bcs import bcs_pair_model, bcs_values

    model, vals = bcs_pair_model(), bcs_values()
    base = {s.name: v for s, v in vals.items() if s.name != "mu"}
    ds = kd.sweep(model, base, "in-phase", mu=[0.9, 1.0], V=[0.5, 1.2], order=4, progress=False)
    assert tuple(ds.delta.dims) == ("mu", "V")
    for i, mu in enumerate([0.9, 1.0]):
        for j, V in enumerate([0.5, 1.2]):
            r = kd.solve_gap(model, V, {**base, "mu": mu}, condition="in-phase", order=4)
            pt = ds.isel(mu=i, V=j)
            assert (float(pt.delta), float(pt.omega), float(pt.V_c)) == (r.delta, r.omega, r.V_c)
            assert str(pt.reason.values) == r.reason and bool(pt.converged) == r.converged


def test_complete_condition_of_a_paper_model_is_the_single_call():
    """The default condition, as ``kd.solve_gap``: the paper's Sect. III model through its engine form."""
    from keldysh.paper.pumping import PRESETS

    pm = PRESETS["pumping"]
    ds = kd.sweep(pm, V=[5.0], order=4, progress=False)
    r = kd.solve_gap(pm, 5.0, order=4)
    assert ds.attrs["conditions"] == ["complete"] and ds.attrs["model"]["engine"]
    assert (float(ds.delta[0]), float(ds.V_c[0]), str(ds.reason.values[0])) == (r.delta, r.V_c, r.reason)
    assert np.array_equal(ds.omega.values, [r.omega], equal_nan=True)


def test_resume_computes_only_the_missing_chunks(tmp_path):
    store = tmp_path / "r.zarr"
    axes = {"Omega": [0.2, 0.4, 0.6, 0.8], "V": [3.0, 6.0]}
    job = build_job(kd.preset("fig4"), None, "in-phase", "gap", [], axes, chunk=2)
    full = run_sweep(job, store=store)
    assert full.computed_chunks == 4
    ref = open_sweep(store)
    root = zarr.open_group(str(store), mode="r+")  # forget two chunks, as a killed run would leave them
    for name in ("done", "delta"):
        root[name][1:3, :] = np.zeros((2, 2), bool) if name == "done" else np.full((2, 2), np.nan)
    job2 = build_job(kd.preset("fig4"), None, "in-phase", "gap", [], axes)
    again = run_sweep(job2, store=store, resume=True)  # adopts the store's chunks
    assert again.computed_chunks == 2 and again.computed_points == 4
    for name in ("delta", "V_c", "converged", "done"):
        assert np.array_equal(again.dataset[name].values, ref[name].values)
    assert (again.dataset.reason.values == ref.reason.values).all()


def test_a_store_made_for_other_parameters_is_refused(tmp_path, capsys):
    store = tmp_path / "m.zarr"
    base = ["sweep", "--preset", "fig4", "--condition", "in-phase", "--axis", "V=3,6", "--out", store]
    assert cli(base, capsys)[0] == 0
    for extra, words in (
        (["--resume", "--axis", "Omega=0.4,0.6"], "made for other parameters"),
        (["--resume", "--param", "Omega=0.4"], "made for other parameters"),
        ([], "exists: pass --resume"),
    ):
        rc, out, err = cli(base + extra, capsys)
        assert rc == 2 and len(err.strip().splitlines()) == 1 and words in err, err
    rc, _, err = cli(
        ["sweep", "--preset", "fig5", "--condition", "in-phase", "--axis", "V=3,6", "--out", store, "--resume"], capsys
    )
    assert rc == 2 and "model" in err  # another model: its parameters and hash differ
    (tmp_path / "plain").mkdir()
    rc, _, err = cli(["sweep", "--axis", "V=3", "--out", tmp_path / "plain", "--resume"], capsys)
    assert rc == 2 and "not a sweep store" in err
    rc, out, err = cli(base + ["--resume"], capsys)  # the same sweep: nothing left to compute
    assert rc == 0 and "0 computed now" in out


def test_one_writer_at_a_time(tmp_path):
    job = build_job(kd.preset("fig4"), None, "in-phase", "gap", [], {"V": [3.0]})
    with SweepStore.open(tmp_path / "l.zarr", job, resume=False):
        with pytest.raises(kd.ParameterError, match="being written by another run"):
            SweepStore.open(tmp_path / "l.zarr", job, resume=True)


@pytest.mark.parametrize(
    "argv, param",
    [
        (["--axis", "Omegaa=1,2"], "Omegaa"),
        (["--axis", "V=-1,0,1"], "V"),
        (["--axis", "V=1:2:x"], "axis"),
        (["--axis", "Omega=-1,1"], "Omega"),
        (["--axis", "gamma1=0.2,0.4", "--axis", "gamma2=0.1,0.5"], "gamma2"),
        (["--axis", "V=1,2", "--kind", "dynamics"], "t_max"),
        (["--axis", "V=1,2", "--scheduler", "localhost"], "scheduler"),
        (["--axis", "V=1,2", "--condition", "full"], "condition"),
        (["--axis", "V=1,2", "--method", "eq55"], "method"),
        (["--axis", "V=1,2", "--preset", "pumping", "--condition", "complete", "--method", "keldysh"], "method"),
        (["--axis", "V=1,2", "--preset", "fig7"], "preset"),
        (["--axis", "V=1,2", "--model", "nofile.py:model"], "model"),
        (["--axis", "V=1,2", "--out", "/nonexistent-folder/x.zarr"], "out"),
    ],
)
def test_invalid_input_is_one_line_naming_the_parameter(tmp_path, capsys, argv, param):
    if "--out" not in argv:
        argv = argv + ["--out", tmp_path / "e.zarr"]
    if "--condition" not in argv:
        argv = argv + ["--condition", "in-phase"]
    rc, out, err = cli(["sweep", *argv], capsys)
    assert rc == 2 and len(err.strip().splitlines()) == 1 and f"invalid parameter {param}" in err, err
    assert not (tmp_path / "e.zarr").exists()


def test_python_errors():
    m = kd.preset("fig4")
    with pytest.raises(kd.ParameterError) as info:
        kd.sweep(m.replace(T=0.01, omega0=3.0), V=[5.0], condition="complete")
    assert info.value.param == "T"  # the engine form of Sect. II is built at T = 0
    with pytest.raises(kd.ParameterError) as info:
        kd.sweep(m, Omega=[0.5])
    assert info.value.param == "V"
    with pytest.raises(kd.ParameterError) as info:
        kd.sweep(m, V=[5.0], workers=2, scheduler="tcp://127.0.0.1:1")
    assert info.value.param == "workers"
    with pytest.raises(kd.ParameterError) as info:
        kd.sweep("fig4", V=[5.0])
    assert info.value.param == "model"


def test_dynamics_kind_matches_simulate():
    from keldysh.paper.solvers.dynamics import simulate

    m = kd.preset("fig4")
    ds = kd.sweep(m, kind="dynamics", t_max=40.0, V=[3.0, 6.0], progress=False)
    assert set(ds.data_vars) == {"delta_final", "t_converged", "reason", "done"}
    for j, V in enumerate([3.0, 6.0]):
        r = simulate(m, V, t_max=40.0, progress=False)
        # the sweep advances both couplings together (simulate_many: tolerances / sqrt(2)); rtol 1e-6
        assert abs(float(ds.delta_final[j]) - r.delta_final) <= 1e-4 * r.delta_final


def test_plot_side_by_side(fig4_sweep, tmp_path):
    import pandas as pd
    import xarray as xr

    both = xr.concat([fig4_sweep, fig4_sweep], dim=pd.Index(["complete", "in-phase"], name="condition"))
    fig = plot_sweep(both, tmp_path / "b.png")
    assert (tmp_path / "b.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert [a.get_title() for a in fig.axes if a.get_title()] == ["complete condition", "in-phase condition"]
    with pytest.raises(kd.ParameterError):
        plot_sweep(fig4_sweep.expand_dims(T=[0.0, 1.0]), tmp_path / "c.png")


def test_progress_bar_over_points(capsys):
    kd.sweep(kd.preset("fig4"), condition="in-phase", V=[3.0, 4.0], progress=True)
    assert "2/2" in capsys.readouterr().err
