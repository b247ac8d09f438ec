"""Benchmark: the Magnus integrator of ``keldysh.meanfield.simulate`` against its DOP853, at equal accuracy.

Two engine models, ``kd.simulate(model, ..., method=...)`` on the same grid and initial state:

* the BCS pair of the mean-field contract (``keldysh.models.bcs``, block ``d = 4``: 7 x 7 augmented
  exponentials per node), complete self-consistency (Eq. (17)): (a) the growth from the default seed,
  t = 200; (b) the approach to the rotating steady state from 0.98 of the in-phase ``|Delta|``, t = 4000
  (magnus4 integrates in a frame that tracks the phase of ``Delta``);
* the paper's Fig. 4 model on the engine (``keldysh.models.paper.engine_model``, V = 5, block
  ``d = 8``: 29 x 29), in-phase projection (Eq. (18)): (c) the growth from ``Delta0 = 1e-3``,
  t = 100; (d) the slow approach from 1.01 of the in-phase ``|Delta|``, t = 2000 (not with ``--quick``).

Accuracy: the largest deviation of ``Delta(t)`` on the output samples from a DOP853 reference at a
tolerance 100x tighter than any run, relative to ``max |Delta|``.  For each accuracy target the cheapest
run of each method's tolerance ladder that meets it is taken; the speed is printed as the ratio
``time(DOP853) / time(magnus4)`` of the same run (> 1: magnus4 faster).  Nothing is asserted.

Run:  python benchmarks/bench_meanfield_magnus.py [--quick]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

import keldysh as kd
from keldysh.models.bcs import bcs_pair_model, bcs_values
from keldysh.models.paper import engine_model

TARGETS = (1e-3, 1e-5)


def _run(model, V, values, method, rtol, **kw):
    t0 = time.perf_counter()
    r = kd.simulate(model, V, values, method=method, rtol=rtol, progress=False, **kw)
    return r, time.perf_counter() - t0


def case(name, model, V, values, ladders, ref_rtol, **kw):
    """Reference, ladders, and the cheapest run per method and target."""
    ref, t_ref = _run(model, V, values, "dop853", ref_rtol, **kw)
    scale = np.abs(ref.Delta).max()
    rows = []
    for method, rtols in ladders.items():
        for rtol in rtols:
            r, dt = _run(model, V, values, method, rtol, **kw)
            err = float(np.abs(r.Delta - ref.Delta).max() / scale)
            work = r.diagnostics.get("steps", r.diagnostics.get("rhs_evaluations"))
            rows.append((method, rtol, err, dt, work))
    print(f"\n{name}  (reference: DOP853 rtol {ref_rtol:g}, {t_ref:.1f} s)")
    print(f"  {'method':8s} {'rtol':>7s} {'error':>9s} {'time [s]':>9s} {'steps/evals':>12s}")
    for method, rtol, err, dt, work in rows:
        print(f"  {method:8s} {rtol:7.0e} {err:9.1e} {dt:9.2f} {work:12d}")
    out = []
    for target in TARGETS:
        best = {}
        for method in ladders:
            ok = [(dt, rtol, err) for m, rtol, err, dt, _ in rows if m == method and err <= target]
            best[method] = min(ok) if ok else None
        d, m4 = best.get("dop853"), best.get("magnus4")
        if d and m4:
            ratio = f"{d[0] / m4[0]:.2f}"
        else:
            ratio = "n/a (a ladder does not reach the target)"
        out.append((name, target, d, m4, ratio))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="skip the long Fig. 4 approach (d)")
    args = ap.parse_args()
    bcs, bvals = bcs_pair_model(), bcs_values()
    fig4, fvals = engine_model(kd.preset("fig4"))
    # warm-up: derivations, compiled kernels (numba caches), grids
    for model, V, vals in ((bcs, 1.0, bvals), (fig4, 5.0, fvals)):
        for method in ("dop853", "magnus4"):
            kd.simulate(model, V, vals, t_max=1.0, samples=2, order=2, method=method, progress=False)
    ri = kd.solve_gap(bcs, 1.0, bvals, condition="in-phase", order=2)
    fi = kd.solve_gap(fig4, 5.0, fvals, condition="in-phase", order=2)
    summary = []
    summary += case(
        "(a) BCS pair, complete, growth from the seed, t = 200",
        bcs,
        1.0,
        bvals,
        {"dop853": (1e-5, 1e-6, 1e-8), "magnus4": (1e-6, 1e-7, 1e-8, 1e-9)},
        1e-12,
        t_max=200.0,
        samples=201,
        order=2,
    )
    summary += case(
        "(b) BCS pair, complete, approach to the rotating state, t = 4000",
        bcs,
        1.0,
        bvals,
        {"dop853": (1e-5, 1e-6, 1e-7), "magnus4": (1e-5, 1e-6, 1e-7, 1e-8)},
        1e-10,
        t_max=4000.0,
        samples=401,
        order=2,
        Delta0=0.98 * ri.delta,
    )
    summary += case(
        "(c) Fig. 4 on the engine, in-phase, growth from 1e-3, t = 100",
        fig4,
        5.0,
        fvals,
        {"dop853": (1e-5, 1e-6, 1e-8), "magnus4": (1e-6, 1e-7, 1e-8)},
        1e-11,
        t_max=100.0,
        samples=101,
        order=2,
        projection="in-phase",
        Delta0=1e-3,
    )
    if not args.quick:
        summary += case(
            "(d) Fig. 4 on the engine, in-phase, approach from 1.01 |Delta|, t = 2000",
            fig4,
            5.0,
            fvals,
            {"dop853": (1e-5, 1e-6), "magnus4": (1e-5, 1e-6)},
            1e-9,
            t_max=2000.0,
            samples=201,
            order=2,
            projection="in-phase",
            Delta0=1.01 * fi.delta,
        )
    print(f"\n{'case':72s} {'target':>7s} {'DOP853 [s]':>11s} {'magnus4 [s]':>12s}  DOP853/magnus4")
    for name, target, d, m4, ratio in summary:
        ds = f"{d[0]:.2f}" if d else "-"
        ms = f"{m4[0]:.2f}" if m4 else "-"
        print(f"{name:72s} {target:7.0e} {ds:>11s} {ms:>12s}  {ratio}")


if __name__ == "__main__":
    main()
