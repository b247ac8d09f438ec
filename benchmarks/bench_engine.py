"""Benchmark: steady state of the boundary-driven tight-binding chain with keldysh.engine.

Model (N sites, Jordan-Wigner order c_0 .. c_{N-1})::

    H = -J sum_i (c_i^+ c_{i+1} + h.c.),   jumps  Gamma_L D[c_0^+]  (injection),  Gamma_R D[c_{N-1}]  (loss),

at J = 1, Gamma_L = Gamma_R = 0.5.  Observables: densities n_i = <c_i^+ c_i> and bond currents
j_i = 2 J Im <c_i^+ c_{i+1}>.  The exact current is N-independent,
j = 4 Gamma_L Gamma_R J^2 / ((Gamma_L + Gamma_R) (Gamma_L Gamma_R + 4 J^2))  (= 4/17 here).

keldysh: ``Lindbladian.steady_state(values=...)`` -- covariance matrix and one Lyapunov solve
(no Fock space).  The Lindbladian is built outside the timer; its build time is reported
separately, split into "ops" (the user's operator expression: ``kd.fermions`` and the sum
for H) and "Lindbladian" (``kd.Lindbladian(H, jumps)``: normal ordering and closure checks).
baseline (same run, N <= 7): ``qutip.steadystate(H, c_ops)`` with default options on the same
model from ``Lindbladian.to_qutip(values, kind="operators")`` (built outside the timer;
``to_qutip`` time reported separately).  Both must agree on densities and currents to 1e-8.

Every time is the best (minimum) of several repeats after a warm-up solve (first-call imports
excluded).  Targets, printed as PASS/FAIL (never asserted): the 7-site chain at least 20x faster
than qutip.steadystate; the 100-site solve <= 1 s.  The exit code is non-zero only when a
deviation check fails.

BLAS threads: by default the script sets OPENBLAS_NUM_THREADS / OMP_NUM_THREADS /
MKL_NUM_THREADS to 1 (unless already set) before NumPy is imported: on a small shared machine
multithreaded BLAS makes the dense LAPACK calls of both routes several times slower and much
noisier.  ``--blas-threads 0`` leaves the library default, ``--blas-threads K`` forces K.

Run:  python benchmarks/bench_engine.py [--quick] [--json [FILE]] [--blas-threads K]
      (--json without FILE prints JSON on stdout and the table on stderr)
"""

from __future__ import annotations

import os
import sys

_BLAS_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def _early_blas_threads(argv) -> str:
    """Apply --blas-threads before NumPy is imported; return a description of the setting."""
    val = None
    for k, a in enumerate(argv):
        if a == "--blas-threads" and k + 1 < len(argv):
            val = argv[k + 1]
        elif a.startswith("--blas-threads="):
            val = a.split("=", 1)[1]
    if val is None:
        for v in _BLAS_VARS:
            os.environ.setdefault(v, "1")
    elif int(val) > 0:
        for v in _BLAS_VARS:
            os.environ[v] = str(int(val))
    cur = os.environ.get("OPENBLAS_NUM_THREADS") or os.environ.get("OMP_NUM_THREADS")
    return cur if cur else "library default"


if __name__ == "__main__":
    BLAS_THREADS = _early_blas_threads(sys.argv[1:])
else:  # imported (e.g. by docs/figures/make_engine_benchmark.py): the caller decides
    BLAS_THREADS = os.environ.get("OPENBLAS_NUM_THREADS") or os.environ.get("OMP_NUM_THREADS") or "library default"

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
import sympy as sp  # noqa: E402

import keldysh as kd  # noqa: E402

J, GL, GR = sp.symbols("J Gamma_L Gamma_R", positive=True)
VALUES = {J: 1.0, GL: 0.5, GR: 0.5}
TOL = 1e-8
TARGET_RATIO_N7 = 20.0
TARGET_SOLVE_N100 = 1.0  # s


def exact_current(values=VALUES) -> float:
    j, gl, gr = (float(values[s]) for s in (J, GL, GR))
    return 4 * gl * gr * j * j / ((gl + gr) * (gl * gr + 4 * j * j))


def chain_operators(N: int):
    """``(H, jumps)`` as keldysh operators (the user's expression)."""
    c = kd.fermions(" ".join(f"c{i}" for i in range(N)))
    H = sum(-J * (c[i].dag() * c[i + 1] + c[i + 1].dag() * c[i]) for i in range(N - 1))
    return H, [(GL, c[0].dag()), (GR, c[-1])]


def best_of(fn, repeat: int, budget: float = float("inf")):
    """``(last value, min time, runs)``; stops early once ``budget`` seconds are spent (>= 1 run)."""
    ts, val = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        val = fn()
        ts.append(time.perf_counter() - t0)
        if sum(ts) > budget:
            break
    return val, min(ts), len(ts)


def observables(correlation: np.ndarray, Jval: float):
    """Densities and bond currents from ``C_ij = <c_i^+ c_j>``."""
    return np.real(np.diag(correlation)).copy(), 2 * Jval * np.imag(np.diag(correlation, 1))


def qutip_correlation(rho, N: int) -> np.ndarray:
    """``C_ii`` and ``C_{i,i+1}`` from a QuTiP density matrix (``fdestroy`` Jordan-Wigner order)."""
    import qutip

    a = [qutip.fdestroy(N, i) for i in range(N)]
    C = np.zeros((N, N), dtype=complex)
    for i in range(N):
        C[i, i] = qutip.expect(a[i].dag() * a[i], rho)
        if i + 1 < N:
            C[i, i + 1] = qutip.expect(a[i].dag() * a[i + 1], rho)
    return C


def engine_row(N: int, repeat: int) -> dict:
    """Build times (ops, Lindbladian) and solve time of the engine, plus its observables."""
    (H, jumps), t_ops, _ = best_of(lambda: chain_operators(N), repeat)
    L, t_lind, _ = best_of(lambda: kd.Lindbladian(H, jumps), repeat)
    ss, t_solve, _ = best_of(lambda: L.steady_state(values=VALUES), repeat)
    dens, cur = observables(ss.correlation, float(VALUES[J]))
    return {
        "N": N,
        "ops_s": t_ops,
        "lindbladian_s": t_lind,
        "solve_s": t_solve,
        "density": dens,
        "current": cur,
        "lindbladian": L,
        "dev_exact_current": float(np.abs(cur - exact_current()).max()),
    }


def qutip_row(L, N: int, repeat: int, budget: float) -> dict:
    import qutip

    (Hq, c_ops), t_to, _ = best_of(lambda: L.to_qutip(VALUES, kind="operators"), repeat)
    rho, t_ss, runs = best_of(lambda: qutip.steadystate(Hq, c_ops), repeat, budget)
    dens, cur = observables(qutip_correlation(rho, N), float(VALUES[J]))
    return {"to_qutip_s": t_to, "steadystate_s": t_ss, "runs": runs, "density": dens, "current": cur}


def warm_up() -> None:
    L = kd.Lindbladian(*chain_operators(3))
    L.steady_state(values=VALUES)


def run(compare_sizes, engine_sizes, repeat: int, qutip_repeat: int, qutip_budget: float, log=print) -> dict:
    warm_up()
    comparison, engine = [], []
    ok = True

    log(f"boundary-driven chain, J = 1, Gamma_L = Gamma_R = 0.5; exact current j = {exact_current():.15f}")
    log(
        f"BLAS threads: {BLAS_THREADS}; times are the best of {repeat} (qutip: up to {qutip_repeat}, "
        f"budget {qutip_budget:g} s per size)"
    )
    log("")
    log("engine vs qutip.steadystate (same model, same run)")
    hdr = (
        f"{'N':>3} {'engine solve':>13} {'qutip ss':>11} {'ratio':>9} {'runs':>5} {'ops':>9} {'Lindbladian':>12} "
        f"{'to_qutip':>9} {'max|dn|':>9} {'max|dj|':>9}"
    )
    log(hdr)
    for N in compare_sizes:
        e = engine_row(N, repeat)
        q = qutip_row(e["lindbladian"], N, qutip_repeat, qutip_budget)
        dn = float(np.abs(e["density"] - q["density"]).max())
        dj = float(np.abs(e["current"] - q["current"]).max())
        ratio = q["steadystate_s"] / e["solve_s"]
        ok &= dn < TOL and dj < TOL and e["dev_exact_current"] < TOL
        comparison.append(
            {
                "N": N,
                "engine_solve_s": e["solve_s"],
                "engine_ops_s": e["ops_s"],
                "engine_lindbladian_s": e["lindbladian_s"],
                "qutip_steadystate_s": q["steadystate_s"],
                "qutip_runs": q["runs"],
                "to_qutip_s": q["to_qutip_s"],
                "ratio_qutip_over_engine": ratio,
                "max_dev_density": dn,
                "max_dev_current": dj,
                "engine_dev_exact_current": e["dev_exact_current"],
            }
        )
        log(
            f"{N:>3} {e['solve_s'] * 1e3:>10.2f} ms {q['steadystate_s']:>9.3f} s {ratio:>8.0f}x {q['runs']:>5} "
            f"{e['ops_s'] * 1e3:>6.1f} ms {e['lindbladian_s'] * 1e3:>9.1f} ms {q['to_qutip_s'] * 1e3:>6.1f} ms "
            f"{dn:>9.1e} {dj:>9.1e}"
        )
    log("")
    log("engine alone")
    log(
        f"{'N':>4} {'solve':>11} {'ops':>11} {'Lindbladian':>12} {'n_0':>9} {'n_N/2':>9} {'n_N-1':>9} {'max|j-j_exact|':>15}"
    )
    for N in engine_sizes:
        e = engine_row(N, repeat)
        ok &= e["dev_exact_current"] < TOL
        d = e["density"]
        engine.append(
            {
                "N": N,
                "solve_s": e["solve_s"],
                "ops_s": e["ops_s"],
                "lindbladian_s": e["lindbladian_s"],
                "density_first": float(d[0]),
                "density_mid": float(d[N // 2]),
                "density_last": float(d[-1]),
                "dev_exact_current": e["dev_exact_current"],
            }
        )
        log(
            f"{N:>4} {_t(e['solve_s']):>11} {_t(e['ops_s']):>11} {_t(e['lindbladian_s']):>12} "
            f"{d[0]:>9.6f} {d[N // 2]:>9.6f} {d[-1]:>9.6f} {e['dev_exact_current']:>15.1e}"
        )

    targets = {}
    log("")
    r7 = next((r for r in comparison if r["N"] == 7), None)
    if r7 is None:
        targets["ratio_N7"] = None
        log(f"target N = 7: qutip.steadystate / engine >= {TARGET_RATIO_N7:g}x: not run (N = 7 not in this set)")
    else:
        targets["ratio_N7"] = bool(r7["ratio_qutip_over_engine"] >= TARGET_RATIO_N7)
        log(
            f"target N = 7: qutip.steadystate / engine >= {TARGET_RATIO_N7:g}x: "
            f"{r7['ratio_qutip_over_engine']:.0f}x  {'PASS' if targets['ratio_N7'] else 'FAIL'}"
        )
    r100 = next((r for r in engine if r["N"] == 100), None)
    if r100 is None:
        targets["solve_N100"] = None
        log(f"target N = 100: solve <= {TARGET_SOLVE_N100:g} s: not run")
    else:
        targets["solve_N100"] = bool(r100["solve_s"] <= TARGET_SOLVE_N100)
        log(
            f"target N = 100: solve <= {TARGET_SOLVE_N100:g} s: {r100['solve_s']:.3f} s  "
            f"{'PASS' if targets['solve_N100'] else 'FAIL'}"
        )
    log(f"deviation checks (engine vs qutip and vs the exact current, < {TOL:g}): {'PASS' if ok else 'FAIL'}")
    return {
        "model": "boundary-driven tight-binding chain",
        "values": {str(k): float(v) for k, v in VALUES.items()},
        "exact_current": exact_current(),
        "repeat": repeat,
        "blas_threads": BLAS_THREADS,
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "qutip": _qutip_version(),
        "comparison": comparison,
        "engine": engine,
        "targets": targets,
        "deviation_ok": bool(ok),
    }


def _t(s: float) -> str:
    return f"{s * 1e3:.2f} ms" if s < 1 else f"{s:.3f} s"


def _qutip_version():
    try:
        import qutip

        return qutip.__version__
    except ImportError:
        return None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--quick", action="store_true", help="reduced set (smoke test): N = 4, 5 vs qutip; N = 10, 100 alone"
    )
    ap.add_argument(
        "--json",
        nargs="?",
        const="-",
        default=None,
        metavar="FILE",
        help="write the results as JSON to FILE (or stdout, the table then goes to stderr)",
    )
    ap.add_argument(
        "--blas-threads",
        type=int,
        default=None,
        help="BLAS threads (default: 1 unless set in the environment; 0: library default)",
    )
    ap.add_argument("--repeat", type=int, default=None, help="repeats per timing (default 5, --quick 2)")
    ap.add_argument(
        "--qutip-budget",
        type=float,
        default=60.0,
        help="stop repeating qutip.steadystate for one size after this many seconds (default 60)",
    )
    args = ap.parse_args()
    try:
        import qutip  # noqa: F401
    except ImportError:
        raise SystemExit("this benchmark needs QuTiP: pip install 'keldysh[peers]'") from None
    if args.quick:
        compare, alone, repeat = (4, 5), (10, 100), args.repeat or 2
    else:
        compare, alone, repeat = (5, 6, 7), (10, 20, 50, 100, 200), args.repeat or 5
    to_stdout = args.json == "-"

    def log(msg=""):
        print(msg, file=sys.stderr if to_stdout else sys.stdout, flush=True)

    res = run(compare, alone, repeat, repeat, args.qutip_budget, log)
    if args.json:
        text = json.dumps(res, indent=2)
        if to_stdout:
            print(text)
        else:
            with open(args.json, "w") as fh:
                fh.write(text + "\n")
    if not res["deviation_ok"]:
        raise SystemExit("deviation check failed (see the table)")


if __name__ == "__main__":
    main()
