"""Benchmark: one gap solve at the Fig. 4 parameters to relative accuracy 1e-8 in |Delta|.

keldysh: precomputed |Delta|^2-polynomial kernel on the graded Gauss grid + brentq.
baseline (same run): scipy.integrate.quad over q (adaptive, breakpoint at the resonance) of
the same lambdified integrand for every trial |Delta|, inside scipy.optimize.brentq.
Both must agree to 1e-8; the table prints wall times and their ratio.

Run:  python benchmarks/bench_gap.py
"""

from __future__ import annotations

import math
import statistics
import time

from scipy.integrate import quad
from scipy.optimize import brentq

import keldysh
from keldysh.paper.build import population_deviation_func
from keldysh.paper.solvers.gap import solve_gap as paper_solve_gap


def baseline(model, V):
    x = population_deviation_func("exact")
    G = model.Gamma

    def integrand(q, d):
        Et1 = model.v1 * q + model.kappa1 * q * q
        Et2 = model.v2 * q + model.kappa2 * q * q
        E, eps = Et1 + Et2, Et2 - Et1
        return float(x(E, eps, d, model.Omega, model.Gamma1, model.Gamma2, 1.0, 0.0)) * E / (E * E + G * G)

    def F(d):
        I = 0.0
        for a, b in ((-model.kmax, 0.0), (0.0, model.kmax)):
            I += quad(integrand, a, b, args=(d,), epsabs=1e-14, epsrel=1e-12, limit=400)[0]
        return 1.0 + V * I / (2 * math.pi)

    hi = G
    while F(hi) < 0:
        hi *= 4
    return brentq(F, 0.0, hi, rtol=1e-12, xtol=1e-300)


def timeit(fn, repeat):
    ts = []
    for _ in range(repeat):
        t = time.perf_counter()
        val = fn()
        ts.append(time.perf_counter() - t)
    return val, statistics.median(ts)


def main() -> None:
    m = keldysh.preset("fig4")
    V = 5.0
    paper_solve_gap(m, V)  # warm the symbolic cache (one-off derivation + lambdify)
    d_k, t_k = timeit(lambda: paper_solve_gap(m, V, estimate_error=False).delta, 50)
    d_b, t_b = timeit(lambda: baseline(m, V), 3)
    rel = abs(d_k / d_b - 1)
    print("gap solve at Fig. 4 parameters (V = 5, method master), target rel. accuracy 1e-8")
    print(f"{'route':<34}{'|Delta|':>22}{'time per solve':>18}")
    print(f"{'keldysh (graded Gauss + brentq)':<34}{d_k:>22.15g}{t_k * 1e3:>15.2f} ms")
    print(f"{'baseline (scipy quad + brentq)':<34}{d_b:>22.15g}{t_b * 1e3:>15.2f} ms")
    print(f"relative difference {rel:.2e} (must be < 1e-8)")
    print(f"speed-up ratio baseline/keldysh = {t_b / t_k:.0f}x   (target: keldysh <= 20 ms per solve)")
    if rel > 1e-8:
        raise SystemExit("accuracy target missed")


if __name__ == "__main__":
    main()
