"""Benchmark: linear stability of the Fig. 4 model on the engine -- structured vs dense spectrum.

keldysh (``method="structured"``, the default of ``keldysh.meanfield.linear_stability``): one
``m x m`` eigenproblem per momentum node (``m = 28`` for the 4-mode block) and all roots of the
``2 x 2`` secular determinant of the rank-two self-consistency (Ehrlich-Aberth,
``keldysh/meanfield/lowrank.py``).
baseline (same run, same Jacobian): ``method="dense"``, ``scipy.linalg.eig`` of the assembled
``N m x N m`` Jacobian with left and right eigenvectors.

Two fixed points of the Fig. 4 model (``keldysh.models.paper.engine_model``, ``V = 5``): the unpaired
state (the complete condition's solution) and the in-phase ``|Delta|`` of Eq. (18) (``omega = 0``;
more coupled modes).  Grid orders 2 and 3 (``--quick``: 2 only; ``--orders 2 3 4`` for more).  Also
the paper's own projected dynamics (Eqs. (9) + (18), ``6 x 6`` blocks) at grid order 3, through the
same routine.  Printed: wall and CPU time of both routes (structured: median of 3 runs) and their ratio, and the agreement: growth
rate and approach eigenvalue (relative), whole spectrum (largest distance after optimal matching,
relative to the spectral radius).  Nothing about absolute times is asserted; the exit code is
non-zero only if the routes disagree beyond ``1e-9`` (growth, approach) or ``1e-10`` (spectrum).

BLAS threads: 1 unless ``--blas-threads K`` (``0``: library default) or the environment says
otherwise -- a multithreaded dense ``eig`` on a small shared machine costs several times its
single-thread CPU time (spinning threads), which would flatter the structured route.

Run:  python benchmarks/bench_stability.py [--quick] [--orders 2 3] [--blas-threads K]
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
    return os.environ.get("OPENBLAS_NUM_THREADS") or os.environ.get("OMP_NUM_THREADS") or "library default"


if __name__ == "__main__":
    BLAS_THREADS = _early_blas_threads(sys.argv[1:])
else:
    BLAS_THREADS = os.environ.get("OPENBLAS_NUM_THREADS") or os.environ.get("OMP_NUM_THREADS") or "library default"

import argparse  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
from scipy.optimize import linear_sum_assignment  # noqa: E402

import keldysh as kd  # noqa: E402
from keldysh.meanfield.stability import linear_stability  # noqa: E402
from keldysh.models.paper import engine_model  # noqa: E402
from keldysh.paper.quadrature import momentum_grid  # noqa: E402
from keldysh.paper.solvers.stability import linear_stability as paper_stability  # noqa: E402

#: the in-phase |Delta| of Eq. (18) at Fig. 4, V = 5 (`keldysh gap --preset fig4 --V 5 --condition in-phase`)
DELTA_IN_PHASE = 0.0192773


def timed(fn, repeat: int = 1):
    """``(result, wall, cpu)``: the median of ``repeat`` runs."""
    ws, cs = [], []
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        out = fn()
        ws.append(time.perf_counter() - w)
        cs.append(time.process_time() - c)
    return out, statistics.median(ws), statistics.median(cs)


def agreement(st, dn, approach: str) -> tuple[float, float, float]:
    """Relative differences: growth rate, approach eigenvalue, spectrum (max matched distance / radius)."""
    a, b = st.eigenvalues, dn.eigenvalues
    D = np.abs(a[:, None] - b[None, :])
    i, j = linear_sum_assignment(D)
    la, lb = getattr(st, approach)["eigenvalue"], getattr(dn, approach)["eigenvalue"]
    return (
        abs(st.growth_rate - dn.growth_rate) / abs(dn.growth_rate),
        abs(la - lb) / abs(lb),
        float(D[i, j].max() / np.abs(b).max()),
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="grid order 2 only")
    ap.add_argument("--orders", type=int, nargs="+", default=None, help="grid orders (default 2 3)")
    ap.add_argument("--blas-threads", default=None, help="BLAS threads (default 1; 0: library default)")
    args = ap.parse_args()
    orders = args.orders or ([2] if args.quick else [2, 3])
    model, values = engine_model(kd.preset("fig4"))
    linear_stability(model, 5.0, values, delta=0.0, order=2)  # warm the compiled model
    print(f"linear stability, Fig. 4 on the engine (V = 5); BLAS threads: {BLAS_THREADS}")
    head = f"{'point':<16}{'order':>6}{'modes':>7}{'moved':>7}{'dense s (cpu)':>17}{'struct s (cpu)':>17}"
    print(head + f"{'speed-up wall, cpu':>20}{'d growth':>10}{'d approach':>11}{'d spectrum':>11}")
    worst = [0.0, 0.0, 0.0]
    rows = [(o, name, d) for o in orders for name, d in (("unpaired", 0.0), ("in-phase Delta", DELTA_IN_PHASE))]
    for order, name, delta in rows:

        def run(method, order=order, delta=delta):
            return linear_stability(model, 5.0, values, delta=delta, omega=0.0, order=order, method=method)

        st, ws, cs = timed(lambda: run("structured"), repeat=3)
        dn, wd, cd = timed(lambda: run("dense"))
        dif = agreement(st, dn, "approach")
        worst = [max(x, y) for x, y in zip(worst, dif)]
        print(
            f"{name:<16}{order:>6}{st.eigenvalues.size:>7}{st.diagnostics['moved']:>7}"
            f"{wd:>9.2f} ({cd:5.1f}){ws:>9.3f} ({cs:5.2f}){wd / ws:>11.0f}x,{cd / cs:>6.0f}x"
            f"{dif[0]:>10.1e}{dif[1]:>11.1e}{dif[2]:>11.1e}"
        )
    m = kd.preset("fig4")
    grid = momentum_grid(m, order=3)
    paper_stability(m, 5.0, grid=grid)  # the steady state solved once (both routes then reuse the caches)
    st, ws, cs = timed(lambda: paper_stability(m, 5.0, grid=grid), repeat=3)
    dn, wd, cd = timed(lambda: paper_stability(m, 5.0, grid=grid, method="dense"))
    dif = agreement(st, dn, "oscillation")
    worst = [max(x, y) for x, y in zip(worst, dif)]
    print(
        f"{'paper Eq. (18)':<16}{3:>6}{st.eigenvalues.size:>7}{'':>7}"
        f"{wd:>9.2f} ({cd:5.1f}){ws:>9.3f} ({cs:5.2f}){wd / ws:>11.0f}x,{cd / cs:>6.0f}x"
        f"{dif[0]:>10.1e}{dif[1]:>11.1e}{dif[2]:>11.1e}"
    )
    print("(times: wall seconds, CPU seconds in parentheses, each including the Jacobian's assembly;")
    print(" d: relative difference structured vs dense -- growth rate, approach eigenvalue, whole spectrum)")
    if worst[0] > 1e-9 or worst[1] > 1e-9 or worst[2] > 1e-10:
        raise SystemExit(f"the routes disagree: {worst}")


if __name__ == "__main__":
    main()
