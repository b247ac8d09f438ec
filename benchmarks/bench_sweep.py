"""Benchmark: a 100 x 100 gap diagram of the Fig. 4 model, ``kd.sweep`` against sequential ``solve_gap``.

keldysh: ``kd.sweep(preset("fig4"), condition="in-phase", V=100 values, Omega=100 values, store=...)``
(the paper's Eq. (18) prescription; every point equals ``keldysh gap --condition in-phase``),
in-process (with a Zarr store written chunk by chunk, and in memory; with and without warm
starts) and on a local Dask cluster of 2 worker processes (as ``workers=2``), whose start-up
(processes, imports, the paper's caches in each worker) is timed apart.
baseline (same run): ``keldysh.solve_gap(model, V, condition="in-phase")`` called once per point.
By default a random subset of the 10,000 points is timed and the time per point extrapolated
(``--full`` runs all 10,000 calls); the subset also checks that the sweep's ``|Delta|`` equals the
single calls (relative difference printed; ``V_c`` and the reasons must agree exactly).

The complete condition is not benchmarked here: its points go through the engine solver
(``keldysh.meanfield.solve_gap``, seconds each), where the sweep's gain is the parallel run.

Run:  python benchmarks/bench_sweep.py [--full] [--subset N]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

import keldysh as kd

N = 100


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--full", action="store_true", help="time all 10,000 sequential calls")
    ap.add_argument("--subset", type=int, default=500, help="sequential calls timed (default 500)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    m = kd.preset("fig4")
    Vs = np.linspace(1.0, 10.0, N)
    Oms = np.linspace(0.1, 1.0, N)
    # warm every cache once (the paper's lambdified populations, the compiled root loop, imports)
    kd.solve_gap(m, 5.0, condition="in-phase")
    kd.sweep(m, condition="in-phase", V=Vs[:3], Omega=Oms[:2], progress=False)

    with tempfile.TemporaryDirectory() as tmp:
        sweep = dict(condition="in-phase", V=Vs, Omega=Oms, progress=False)
        t = time.perf_counter()
        kd.sweep(m, store=Path(tmp) / "w.zarr", **{**sweep, "V": Vs[:4]})  # first store: Zarr's own warm-up
        t = time.perf_counter()
        local = kd.sweep(m, store=Path(tmp) / "a.zarr", **sweep)
        t_local = time.perf_counter() - t
        t = time.perf_counter()
        kd.sweep(m, **sweep)
        t_mem = time.perf_counter() - t
        t = time.perf_counter()
        cold = kd.sweep(m, warm_start=False, **sweep)
        t_cold = time.perf_counter() - t
        # two worker processes: start-up (processes, imports, the paper's caches) timed apart from the sweep
        from distributed import Client, LocalCluster

        t = time.perf_counter()
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
            with Client(cluster) as client:
                kd.sweep(m, client=client, chunk=2, **{**sweep, "V": Vs[:2], "Omega": Oms[:2]})  # warm both workers
                t_start = time.perf_counter() - t
                t = time.perf_counter()
                dist = kd.sweep(m, store=Path(tmp) / "b.zarr", client=client, **sweep)
                t_dist = time.perf_counter() - t
        chunks = local.attrs["chunks"]

    rng = np.random.default_rng(args.seed)
    points = [(i, j) for i in range(N) for j in range(N)]
    if not args.full:
        points = [points[k] for k in rng.choice(len(points), size=min(args.subset, len(points)), replace=False)]
    worst = 0.0
    t = time.perf_counter()
    results = [kd.solve_gap(m.replace(Omega=float(Oms[j])), float(Vs[i]), condition="in-phase") for i, j in points]
    t_seq = time.perf_counter() - t
    for (i, j), r in zip(points, results):
        pt = local.isel(V=i, Omega=j)
        if float(pt.V_c) != r.V_c or str(pt.reason.values) != r.reason:
            raise SystemExit(f"point V={Vs[i]:g}, Omega={Oms[j]:g} differs from the single call")
        if r.delta > 0:
            worst = max(worst, abs(float(pt.delta) / r.delta - 1))
    same_dist = np.array_equal(local.delta.values, dist.delta.values)
    sc = local.delta.values > 0
    warm_cold = float(np.max(np.abs(local.delta.values[sc] / cold.delta.values[sc] - 1))) if sc.any() else 0.0
    per_seq = t_seq / len(points)
    n = N * N
    print(f"gap diagram of the Fig. 4 model, in-phase (Eq. (18)): V x Omega = {N} x {N} = {n} points, chunks {chunks}")
    print(f"{'route':<52}{'wall time':>12}{'per point':>13}{'ratio':>9}")
    rows = [
        (f"sequential solve_gap ({len(points)} calls timed{'' if args.full else ', extrapolated'})", per_seq * n),
        ("kd.sweep in-process, Zarr store", t_local),
        ("kd.sweep in-process, in memory", t_mem),
        ("kd.sweep in-process, in memory, no warm starts", t_cold),
        ("kd.sweep 2 workers, Zarr store (started, warm)", t_dist),
        ("kd.sweep 2 workers, Zarr store, with start-up", t_dist + t_start),
    ]
    for name, tt in rows:
        print(f"{name:<52}{tt:>10.2f} s{tt / n * 1e3:>10.3f} ms{per_seq * n / tt:>8.1f}x")
    print(
        f"sweep vs single calls: max relative difference in |Delta| {worst:.1e} (solver rtol 1e-12); V_c, reasons equal"
    )
    print(f"warm vs cold starts: max relative difference in |Delta| {warm_cold:.1e}")
    print(f"workers=2 store equal to the in-process one: {same_dist}")
    print(f"2-worker start-up (processes, imports, the paper's caches in each worker): {t_start:.1f} s")
    if not (t_local < per_seq * n and t_dist < per_seq * n):
        raise SystemExit("the sweep does not beat the sequential calls per point")


if __name__ == "__main__":
    main()
