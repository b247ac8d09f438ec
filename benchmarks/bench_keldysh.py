"""Benchmark: Keldysh all-orders gap solve (Eqs. (51), (53)) at the fig4 preset.

Exact frequency integrals (residues in Lyapunov form, :mod:`keldysh.paper.solvers.saddle`) versus an
adaptive ``scipy.integrate.quad`` frequency integral, measured in the same run.  Prints a table.
Run: ``python benchmarks/bench_keldysh.py``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
from scipy.optimize import brentq

import keldysh
from keldysh.paper.quadrature import momentum_grid
from keldysh.paper.solvers import saddle
from keldysh.paper.solvers.gap import solve_gap as paper_solve_gap


def solve(model, grid, V, kernel, rtol=1e-10):
    F = lambda d: 1.0 + V * grid.integrate(kernel(model, grid, d))  # noqa: E731
    hi = model.Gamma
    while F(hi) < 0:
        hi *= 4
    calls = [0]

    def Fc(d):
        calls[0] += 1
        return F(d)

    root = brentq(Fc, 0.0, hi, rtol=rtol, xtol=1e-300)
    return root, calls[0]


def main() -> None:
    m = keldysh.preset("fig4")
    V = 2.3
    grid = momentum_grid(m)
    reps = 5
    t0 = time.perf_counter()
    for _ in range(reps):
        g = momentum_grid(m)
        d_exact, n_exact = solve(m, g, V, saddle.kernel_keldysh)
    t_exact = (time.perf_counter() - t0) / reps
    d_master = paper_solve_gap(m, V, method="master", estimate_error=False).delta
    # quad baseline: one kernel evaluation (all nodes), times the number of calls of the exact solve
    t0 = time.perf_counter()
    kq = saddle.kernel_keldysh_quad(m, grid, d_exact)
    t_call = time.perf_counter() - t0
    ke = saddle.kernel_keldysh(m, grid, d_exact)
    t_quad = t_call * n_exact
    print(f"{'route':34s} {'per solve':>12s} {'|Delta|':>20s}")
    print(f"{'keldysh, exact residues':34s} {t_exact * 1e3:10.1f} ms {d_exact:20.14g}")
    print(f"{'master (Eq. (18), exact populations)':34s} {'':>12s} {d_master:20.14g}")
    print(f"{'keldysh, adaptive quad (est.)':34s} {t_quad:10.1f} s  ({n_exact} kernel calls x {t_call:.2f} s)")
    print(
        f"nodes: {grid.size};  speed-up residues/quad: {t_quad / t_exact:.0f}x;  "
        f"max |g_quad - g_exact| / max |g| = {np.max(np.abs(kq - ke)) / np.max(np.abs(ke)):.1e};  "
        f"|Delta| keldysh/master - 1 = {d_exact / d_master - 1:.1e}"
    )


if __name__ == "__main__":
    main()
