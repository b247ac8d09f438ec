"""Figure for docs/engine_benchmark.md: steady state of the boundary-driven chain, keldysh.engine
vs qutip.steadystate, and the density / current profile of the 100-site chain.

Uses the model and timing helpers of ``benchmarks/bench_engine.py`` (best of several repeats,
BLAS limited to one thread unless OPENBLAS_NUM_THREADS / OMP_NUM_THREADS are set).  Takes about
a minute (qutip.steadystate at N = 7 dominates; N = 8 would take minutes per solve).

Run:  python docs/figures/make_engine_benchmark.py   (writes docs/figures/engine_chain_benchmark.png)
"""

from __future__ import annotations

import os

for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import importlib.util  # noqa: E402
from pathlib import Path  # noqa: E402

import matplotlib  # noqa: E402
import matplotlib.ticker  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from keldysh.plotting import STYLE  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
ENGINE_SIZES = (2, 3, 4, 5, 6, 7, 10, 14, 20, 30, 50, 70, 100, 140, 200)
QUTIP_SIZES = (2, 3, 4, 5, 6, 7)


def _bench():
    spec = importlib.util.spec_from_file_location("bench_engine", ROOT / "benchmarks" / "bench_engine.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def measure(b, repeat: int = 5):
    b.warm_up()
    rows = {N: b.engine_row(N, repeat) for N in ENGINE_SIZES}
    q = {}
    for N in QUTIP_SIZES:
        r = b.qutip_row(rows[N]["lindbladian"], N, repeat if N < 7 else 3, budget=30.0)
        dev = max(np.abs(r["density"] - rows[N]["density"]).max(), np.abs(r["current"] - rows[N]["current"]).max())
        if dev > b.TOL:
            raise SystemExit(f"N = {N}: engine and qutip differ by {dev:.2e}")
        q[N] = r
    return rows, q


def main(out: Path = Path(__file__).with_name("engine_chain_benchmark.png")) -> Path:
    plt.rcParams.update(STYLE)  # the package's one figure style (keldysh.plotting)
    b = _bench()
    rows, q = measure(b)
    Ns = np.array(ENGINE_SIZES)
    solve = np.array([rows[N]["solve_s"] for N in Ns])
    lind = np.array([rows[N]["lindbladian_s"] for N in Ns])
    build = lind + np.array([rows[N]["ops_s"] for N in Ns])
    Nq = np.array(QUTIP_SIZES)
    tq = np.array([q[N]["steadystate_s"] for N in Nq])

    fig = plt.figure(figsize=(10.5, 4.6))
    gs = fig.add_gridspec(2, 2, width_ratios=(1.25, 1), hspace=0.12, wspace=0.3)
    ax = fig.add_subplot(gs[:, 0])
    ax.loglog(Nq, tq, "s-", color="C3", label="qutip.steadystate (Fock space, 4^N)")
    ax.loglog(Ns, solve, "o-", color="C0", label="engine: steady_state(values=...)")
    ax.loglog(Ns, build, "^--", color="C2", ms=5, label="engine build: operator sum + Lindbladian(...)")
    ax.loglog(Ns, lind, "v:", color="C2", ms=4, label="engine build: Lindbladian(...) alone")
    ax.axhline(1.0, color="0.6", lw=0.8, zorder=0)
    ax.text(2.1, 1.15, "1 s", color="0.45", fontsize=8)
    r7 = tq[-1] / rows[7]["solve_s"]
    ax.annotate(
        f"N = 7: qutip / engine = {r7:,.0f}x",
        xy=(7, tq[-1]),
        xytext=(10, tq[-1] * 0.9),
        fontsize=8,
        arrowprops=dict(arrowstyle="->", color="0.3", lw=0.8),
        va="center",
    )
    ax.set_xticks([2, 5, 10, 20, 50, 100, 200])
    ax.xaxis.set_major_formatter(matplotlib.ticker.ScalarFormatter())
    ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    ax.set_xlabel("chain length N (sites)")
    ax.set_ylabel("wall time (s), best of repeats")
    ax.set_ylim(1e-4, max(tq.max(), build.max()) * 20)
    ax.set_title("steady state of the boundary-driven chain", fontsize=10)
    ax.legend(fontsize=7.5, loc="upper left", frameon=False)
    ax.grid(True, which="major", alpha=0.3)

    N = 100
    i = np.arange(N)
    dens, cur = rows[N]["density"], rows[N]["current"]
    ax1 = fig.add_subplot(gs[0, 1])
    ax1.plot(i, dens, ".", color="C0", ms=4)
    ax1.set_ylabel(r"density $\langle n_i\rangle$")
    ax1.set_ylim(0.44, 0.56)
    ax1.tick_params(labelbottom=False)
    ax1.set_title(rf"N = {N}, $J = 1$, $\Gamma_L = \Gamma_R = 0.5$", fontsize=10)
    ax1.annotate(
        rf"$n_0$ = {dens[0]:.4f} (9/17)",
        xy=(0, dens[0]),
        xytext=(12, 0.548),
        fontsize=8,
        arrowprops=dict(arrowstyle="->", color="0.3", lw=0.8),
        va="center",
    )
    ax1.annotate(
        rf"$n_{{99}}$ = {dens[-1]:.4f} (8/17)",
        xy=(N - 1, dens[-1]),
        xytext=(45, 0.452),
        fontsize=8,
        arrowprops=dict(arrowstyle="->", color="0.3", lw=0.8),
        va="center",
    )
    ax2 = fig.add_subplot(gs[1, 1], sharex=ax1)
    jx = b.exact_current()
    dev = np.abs(cur - jx).max()
    ax2.plot(i[:-1] + 0.5, cur, ".", color="C1", ms=4, label=rf"engine, bond $i \to i+1$ (max dev. {dev:.0e})")
    ax2.axhline(jx, color="k", lw=0.8, ls="--", label=f"exact 4/17 = {jx:.5f}")
    ax2.set_ylim(0.0, 0.35)
    ax2.set_xlabel("site i")
    ax2.set_ylabel(r"current $j_i = 2J\,\mathrm{Im}\langle c_i^\dagger c_{i+1}\rangle$", fontsize=9)
    ax2.legend(fontsize=7.5, loc="lower center", frameon=False)
    fig.subplots_adjust(left=0.07, right=0.98, top=0.93, bottom=0.11)
    fig.savefig(out, dpi=120)
    for n_, r in q.items():
        print(f"N = {n_}: qutip {r['steadystate_s']:.4g} s, engine {rows[n_]['solve_s'] * 1e3:.3g} ms")
    print(f"N = 100 solve {rows[100]['solve_s'] * 1e3:.3g} ms, N = 200 solve {rows[200]['solve_s'] * 1e3:.3g} ms")
    return out


if __name__ == "__main__":
    print(main())
