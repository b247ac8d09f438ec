"""Benchmark: the Python/NumPy overhead of the paper's adaptive Magnus integrator (Fig. 6(b)).

keldysh, run as `keldysh reproduce fig6` runs panel (b) (keldysh.commands.reproduce.SETTINGS: pumped
start, grid order 2, rtol 1e-4, rtol_linear 1e-2, magnus4), shortened to ``--t-max`` (default 3e5,
a tenth of the full run: the decay of the seed and the first relaxation burst).
baseline (same process, right after the run): the compiled step alone -- the integrator's calls of
``MagnusStep.step_delta`` (exponentials of every node, new ``Delta`` and ``dDelta/dt``), recorded
with their arguments in a second, identical run and replayed: the same number of calls on the same
arrays and step sizes (the cost of a call depends on ``h`` through the number of squarings).
The overhead fraction ``1 - kernel / integrator`` is the share of the integrator's time (its own
clock, ``diagnostics["seconds"]``) spent outside the compiled step (fixed-point iteration, step
control, recording, state checks).  Nothing is asserted.

Run:  python benchmarks/bench_paper_magnus_overhead.py [--t-max 3e5] [--repeat 2]
"""

from __future__ import annotations

import argparse
import time

from keldysh import preset
from keldysh.commands.reproduce import SETTINGS
from keldysh.paper.quadrature import momentum_grid
from keldysh.paper.solvers._kernels import HAVE_NUMBA, MagnusStep
from keldysh.paper.solvers.dynamics import simulate


def _run(model, grid, spec, t_max: float):
    opts = {"method": "magnus4", "rtol": spec.rtol, "rtol_linear": spec.rtol_linear}
    t0 = time.perf_counter()
    r = simulate(model, 20.0, t_max=t_max, grid=grid, initial=spec.initial, progress=False, options=opts)
    return r, time.perf_counter() - t0


def _recorded_calls(model, grid, spec, t_max: float) -> list:
    """The integrator's ``step_delta`` calls of one run: ``(stepper, u, D1, D2, h, filt)`` each."""
    calls = []
    step_delta = MagnusStep.step_delta

    def recording(self, u, D1, D2, h, filt=None):
        calls.append((self, u, D1, D2, h, filt))
        return step_delta(self, u, D1, D2, h, filt)

    MagnusStep.step_delta = recording
    try:
        _run(model, grid, spec, t_max)
    finally:
        MagnusStep.step_delta = step_delta
    return calls


def _replay(calls: list) -> float:
    t0 = time.perf_counter()
    for stepper, u, D1, D2, h, filt in calls:
        stepper.step_delta(u, D1, D2, h, filt)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--t-max", type=float, default=3e5, help="length of the shortened Fig. 6(b) run")
    ap.add_argument("--repeat", type=int, default=2, help="timed runs (the fastest is reported)")
    args = ap.parse_args()
    spec = SETTINGS[("fig6", "b")]["full"]
    m = preset("fig6b")
    g = momentum_grid(m, order=spec.order)
    _run(m, g, spec, 1000.0)  # warm the derivation and JIT caches
    runs = [_run(m, g, spec, args.t_max) for _ in range(max(1, args.repeat))]
    r, t_run = min(runs, key=lambda x: x[1])
    d = r.diagnostics
    t_int = d["seconds"]  # the integrator alone (simulate also builds the pumped start)
    calls = _recorded_calls(m, g, spec, args.t_max)
    t_kernel = min(_replay(calls) for _ in range(max(1, args.repeat)))
    n = d["exponentials"]

    print(f"Fig. 6(b), V = 20, N = {g.E.size} nodes, t = {args.t_max:g}, magnus4 (numba: {HAVE_NUMBA})")
    print(f"steps {d['steps']}, rejected {d['rejected']}, exponentials {n}; replayed calls {len(calls)}")
    print(f"{'case':28s} {'time [s]':>9s} {'per call [us]':>14s}")
    print(f"{'simulate (whole call)':28s} {t_run:9.2f} {t_run / n * 1e6:14.1f}")
    print(f"{'integrator (_run_magnus)':28s} {t_int:9.2f} {t_int / n * 1e6:14.1f}")
    print(f"{'kernel (step_delta replay)':28s} {t_kernel:9.2f} {t_kernel / len(calls) * 1e6:14.1f}")
    print(f"overhead fraction 1 - kernel/integrator = {1 - t_kernel / t_int:.2f}")


if __name__ == "__main__":
    main()
