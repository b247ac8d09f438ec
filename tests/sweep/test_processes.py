"""The sweep across processes: killed (SIGKILL) and interrupted (SIGINT) runs resume to the store of an
uninterrupted run; the same sweep on a Dask scheduler and worker started by hand on localhost."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import zarr

import keldysh as kd
from keldysh.cli import main

#: 150 chunks of one Omega and 8 couplings each: a run of a few seconds that writes a chunk every few ms
OMEGA = "0.1:1:150"
V = "1:10:8"
ARGS = ["sweep", "--preset", "fig4", "--condition", "in-phase", "--axis", f"Omega={OMEGA}", "--axis", f"V={V}"]
ARGS += ["--chunk", "8", "--quiet"]
VARS = ("delta", "omega", "V_c", "converged", "reason", "done")


def _done(store: Path) -> int:
    """Chunks flagged done (0 while the store does not exist yet)."""
    if not (store / "zarr.json").exists():
        return 0
    return int(np.asarray(zarr.open_group(str(store), mode="r")["done"][...]).all(axis=1).sum())


def _start(store: Path, *extra: str) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "keldysh", *ARGS, "--out", str(store), *extra]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for_chunks(proc: subprocess.Popen, store: Path, more_than: int, timeout: float = 240.0) -> int:
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        n = _done(store)
        if n > more_than or proc.poll() is not None:
            return n
        time.sleep(0.02)
    proc.kill()
    raise AssertionError("the sweep wrote no chunk in time")


@pytest.fixture(scope="module")
def reference():
    """The uninterrupted sweep, in this process and in memory, with the same chunks."""
    return kd.sweep(
        kd.preset("fig4"),
        condition="in-phase",
        Omega=np.linspace(0.1, 1, 150),
        V=np.linspace(1, 10, 8),
        chunk=8,
        progress=False,
    )


def _assert_same(ds, ref) -> None:
    for name in VARS:
        a, b = ds[name].values, ref[name].values
        assert np.array_equal(a, b) if a.dtype.kind in "fb" else (a == b).all(), name


def test_ctrl_c_exits_130_with_one_line_and_a_consistent_store(tmp_path, capsys, monkeypatch):
    from keldysh.sweeps import run

    calls = []
    compute = run.compute_chunk

    def interrupted(job, block):  # Ctrl-C while the third chunk is computed
        calls.append(block)
        if len(calls) == 3:
            signal.raise_signal(signal.SIGINT)
        return compute(job, block)

    monkeypatch.setattr(run, "compute_chunk", interrupted)
    store = tmp_path / "i.zarr"
    args = [a.replace(OMEGA, "0.1:1:6") for a in ARGS]
    assert main([*args, "--out", str(store)]) == 130
    assert capsys.readouterr().err.strip().splitlines() == [
        "keldysh sweep: interrupted (files already written are complete)"
    ]
    ds = kd.sweeps.open_sweep(store)
    done = ds.done.values
    assert done.all(axis=1).sum() == 2 and done.sum() == 16
    assert np.isfinite(ds.delta.values[done]).all() and np.isnan(ds.delta.values[~done]).all()
    monkeypatch.setattr(run, "compute_chunk", compute)
    assert main([*args, "--out", str(store), "--resume"]) == 0
    ref = kd.sweep(
        kd.preset("fig4"), condition="in-phase", Omega=np.linspace(0.1, 1, 6), V=np.linspace(1, 10, 8), chunk=8
    )
    _assert_same(kd.sweeps.open_sweep(store), ref)


def test_ctrl_c_is_held_while_a_chunk_is_written():
    from keldysh.sweeps.store import _deferred_sigint

    steps = []
    with pytest.raises(KeyboardInterrupt):
        with _deferred_sigint():
            signal.raise_signal(signal.SIGINT)
            steps.append("data")  # the chunk's data and its done flag are written before the interrupt
            steps.append("done")
    assert steps == ["data", "done"]


@pytest.mark.slow
def test_killed_run_resumes_to_the_uninterrupted_store(tmp_path, reference, capsys):
    store = tmp_path / "k.zarr"
    total = 150
    proc = _start(store)
    try:
        n = _wait_for_chunks(proc, store, 0)
        assert n < total, "the run finished before the kill"
        os.kill(proc.pid, signal.SIGKILL)  # no handler, no cleanup: only the chunks in flight are lost
        proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    killed = _done(store)
    assert 0 < killed < total
    assert main([*ARGS, "--out", str(store), "--resume"]) == 0
    assert f"{(total - killed) * 8} computed now" in capsys.readouterr().out
    assert not list(store.rglob("*.partial"))
    _assert_same(kd.sweeps.open_sweep(store), reference)


# ------------------------------------------------------------------------------ Dask by hand
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _dask(*args: str) -> list[str]:
    exe = Path(sys.executable).with_name("dask")
    return [str(exe), *args] if exe.exists() else [sys.executable, "-m", "dask", *args]


@pytest.fixture
def dask_cluster(tmp_path):
    """``dask scheduler`` and one ``dask worker`` on localhost, torn down afterwards."""
    from distributed import Client

    port = _free_port()
    addr = f"tcp://127.0.0.1:{port}"
    log = open(tmp_path / "dask.log", "w")
    procs = [
        subprocess.Popen(
            _dask("scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"),
            stdout=log,
            stderr=log,
        )
    ]
    try:
        procs.append(
            subprocess.Popen(
                _dask(
                    "worker",
                    addr,
                    "--no-nanny",
                    "--nthreads",
                    "1",
                    "--no-dashboard",
                    "--local-directory",
                    str(tmp_path),
                ),
                stdout=log,
                stderr=log,
            )
        )
        with Client(addr, timeout="120s") as client:
            client.wait_for_workers(1, timeout=180)
        yield addr
    finally:
        for p in reversed(procs):  # single processes (the worker runs without a nanny): nothing is orphaned
            p.kill()
            p.wait(timeout=30)
        log.close()


@pytest.mark.slow
def test_same_result_on_a_scheduler_and_worker_started_by_hand(dask_cluster, tmp_path):
    from keldysh.models.bcs import bcs_pair_model, bcs_values

    axes = dict(V=np.linspace(1.5, 9, 6), Omega=np.linspace(0.2, 1, 5))
    local = kd.sweep(kd.preset("fig4"), condition="in-phase", chunk=6, progress=False, **axes)
    remote = kd.sweep(
        kd.preset("fig4"),
        condition="in-phase",
        chunk=6,
        progress=False,
        scheduler=dask_cluster,
        store=tmp_path / "d.zarr",
        **axes,
    )
    _assert_same(remote, local)
    # an engine model travels to the worker (without its compiled callables) and gives the same bits
    model, vals = bcs_pair_model(), bcs_values()
    local = kd.sweep(model, vals, "in-phase", V=[0.5, 1.2], order=4, progress=False)
    remote = kd.sweep(model, vals, "in-phase", V=[0.5, 1.2], order=4, progress=False, scheduler=dask_cluster)
    _assert_same(remote, local)
