"""Benchmark: the Fock route (``closure="fock"``, ``solve_gap(method="fock")``) against baselines
measured in the same run.

1. **Steady state of a non-quadratic model** (two levels, a decay ``c_2^+ c_1``, an interaction
   ``U n_1 n_2``, pumping and loss): ``Lindbladian.steady_state(values=...)`` on the Fock route
   against ``qutip.steadystate`` of ``Lindbladian.to_qutip`` (extra ``peers``).  Agreement 1e-10.
2. **Gap equation of a quadratic block** (the BCS pair of the mean-field contract, complete
   condition): ``method="fock"`` against ``method="master"``.  Agreement 1e-10 in ``|Delta|``.
3. **The Appendix's threshold** (Fig. 10 parameters): the exact three-band nodes
   (``keldysh.models.threeband``, in-phase ``V_c``; 64 Fock states per node) with the paper's
   closed-form Eq. (A13) kernel for scale (the two thresholds differ, ``docs/meanfield.md``), and
   the complete condition -- a scan of ``chi(omega)`` over 61 frequencies and its refinement --
   against the in-phase threshold: the poles of the normal state's generator make every further
   frequency nearly free.

Times are the best of ``--repeat`` runs after a warm-up (first-call compilation excluded).
Targets, printed as PASS/FAIL (never asserted): (2) the Fock route within 4x the master route;
(3) the complete condition within 3x the in-phase threshold.  Exit status 1 only when an
agreement check fails.

Run:  python benchmarks/bench_fock.py [--repeat N] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings


def _best(f, repeat: int) -> tuple[float, object]:
    out = f()  # warm-up
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = f()
        best = min(best, time.perf_counter() - t0)
    return best, out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    import sympy as sp

    import keldysh as kd

    rows, ok = [], True

    # 1. non-quadratic steady state vs QuTiP
    eps, U = sp.symbols("epsilon U", real=True)
    g, gp = sp.symbols("gamma gamma_p", positive=True)
    c1, c2 = kd.fermions("c1 c2")
    H = (
        eps * (c1.dag() * c1 - c2.dag() * c2)
        + U * c1.dag() * c1 * c2.dag() * c2
        + 0.2 * (c1.dag() * c2 + c2.dag() * c1)
    )
    L = kd.Lindbladian(H, jumps=[(g, c2.dag() * c1), (gp, c1.dag()), (g, c2)], closure="fock")
    vals = {eps: 0.3, U: 1.1, g: 0.25, gp: 0.4}
    t_k, ss = _best(lambda: L.steady_state(values=vals), args.repeat)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import qutip
        Lq = L.to_qutip(vals)
        t_q, rho = _best(lambda: qutip.steadystate(Lq), args.repeat)
        n1 = qutip.expect(qutip.fcreate(2, 0) * qutip.fdestroy(2, 0), rho)
        dev = abs(ss[c1.dag() * c1] - float(n1))
        ok &= dev < 1e-10
        rows.append(("non-quadratic steady state (2 modes)", t_k, "qutip.steadystate", t_q, dev, None))
    except ImportError:
        rows.append(("non-quadratic steady state (2 modes)", t_k, "qutip missing", float("nan"), 0.0, None))

    # 2. the contract's gap equation: fock vs master
    from keldysh.models.bcs import bcs_pair_model, bcs_values

    model = bcs_pair_model()
    values = bcs_values()
    t_m, rm = _best(lambda: kd.solve_gap(model, 1.0, values, method="master"), args.repeat)
    t_f, rf = _best(lambda: kd.solve_gap(model, 1.0, values, method="fock"), args.repeat)
    dev = abs(rf.delta / rm.delta - 1)
    ok &= dev < 1e-10
    rows.append(("gap, BCS pair, complete: fock", t_f, "master", t_m, dev, 4.0))

    # 3. the Appendix's threshold: exact nodes vs the paper's kernel
    from keldysh.models.threeband import threeband_model, threeband_values
    from keldysh.paper.solvers.gap import solve_gap as paper_solve
    from keldysh.paper.threeband import preset

    m = preset("fig10")
    tb, tv = threeband_model(), threeband_values(m)
    t_e, re_ = _best(lambda: kd.solve_gap(tb, -5.0, tv, condition="in-phase"), args.repeat)
    t_c, _ = _best(lambda: kd.solve_gap(tb, -5.0, tv, condition="complete"), args.repeat)
    t_p, rp = _best(lambda: paper_solve(m, -5.0, estimate_error=False), args.repeat)
    rows.append(("threshold, Appendix: exact nodes", t_e, "Eq. (A13) kernel", t_p, 0.0, None))
    rows.append(("  the same, complete (omega scan)", t_c, "in-phase, exact nodes", t_e, 0.0, 3.0))

    out = []
    for name, t, base, tb_, dev, target in rows:
        ratio = t / tb_ if tb_ == tb_ and tb_ > 0 else float("nan")
        verdict = "" if target is None else ("PASS" if ratio <= target else "FAIL")
        out.append(
            {"case": name, "seconds": t, "baseline": base, "baseline_seconds": tb_, "ratio": ratio, "deviation": dev}
        )
        line = f"{name:40s} {t * 1e3:9.2f} ms   {base:22s} {tb_ * 1e3:9.2f} ms   ratio {ratio:7.2f}"
        if target is not None:
            line += f"   target <= {target:g}x: {verdict}"
        print(line, file=sys.stderr if args.json else sys.stdout)
    print(
        f"V_c: exact nodes {re_.V_c:.6g}, Eq. (A13) {rp.V_c:.6g}; |Delta| fock {rf.delta:.10g}, master {rm.delta:.10g}",
        file=sys.stderr if args.json else sys.stdout,
    )
    if args.json:
        print(json.dumps(out, indent=1))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
