"""Benchmark: the time dynamics of Figs. 4 and 6 (Sect. II.C) -- keldysh vs plain RK45.

keldysh, run exactly as `keldysh reproduce` runs it (keldysh.commands.reproduce.SETTINGS):
Fig. 4: the three couplings batched (simulate_many) with DOP853 on the compiled affine
right-hand side of the derived Eq. (9), t = 15000, grid order 4; Fig. 6: panel (a) from the
state of Sect. II.C, panel (b) from the pumped state, both to t = 3e6, adaptive Magnus
integrator (exact per-node exponentials, self-consistent Delta), rtol 1e-4, rtol_linear 1e-2,
grid order 2.
baseline (same run, same grid, same seed and rtol): ``scipy.integrate.solve_ivp(method="RK45")``
on the plain vectorised (einsum) right-hand side, one curve at a time.  For Fig. 6 RK45 is timed
on a fixed fraction of each run and extrapolated linearly (said in the output: its step is
bounded by stability at the fastest node, so the rate is constant).

Optionally (if qutip is importable): one momentum node at fixed Delta, the 16-dimensional
Fock block of ``keldysh.paper.fock.pair_block`` evolved by ``qutip.mesolve`` against the 6 bilinears
of Eq. (9) by the exact exponential of this module.

Run:  python benchmarks/bench_dynamics.py [--fig6-fraction 0.01]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from scipy.integrate import solve_ivp

from keldysh import preset
from keldysh.commands.reproduce import SETTINGS
from keldysh.paper.params import FIGURES
from keldysh.paper.quadrature import momentum_grid
from keldysh.paper.solvers.dynamics import (
    _projection_weights,
    _seeded_state,
    block_matrices,
    pumped_state,
    simulate_many,
)


def rk45_baseline(model, V, t_max, order, rtol, initial="paper", seed=1e-3):
    """Plain solve_ivp(RK45) on the same grid, seed and vectorised RHS of Eq. (9)."""
    g = momentum_grid(model, order=order)
    K = _projection_weights(model, g, V, "eq18")
    base = pumped_state(model, g) if initial == "pumped" else None
    u0 = _seeded_state(g, K, seed, np.ones_like(g.E), base)
    A0, Ar, Ai = block_matrices(model, g)
    N = g.size
    A0m, Arm, Aim = A0[:, :6, :6].copy(), Ar[:, :6, :6].copy(), Ai[:, :6, :6].copy()
    A0c, Arc, Aic = A0[:, :6, 6].copy(), Ar[:, :6, 6].copy(), Ai[:, :6, 6].copy()

    def f(t, y):
        u = y.reshape(N, 6)
        D = np.conj(np.dot(K, u[:, 4] + 1j * u[:, 5]))
        M = A0m + D.real * Arm + D.imag * Aim
        return (np.einsum("kij,kj->ki", M, u) + A0c + D.real * Arc + D.imag * Aic).ravel()

    t0 = time.perf_counter()
    sol = solve_ivp(f, (0.0, t_max), u0.ravel(), method="RK45", rtol=rtol, atol=1e-12)
    u = sol.y[:, -1].reshape(N, 6)
    D = np.conj(np.dot(K, u[:, 4] + 1j * u[:, 5]))
    return time.perf_counter() - t0, abs(D)


def qutip_check() -> str:
    try:
        import qutip  # noqa: F401
    except ImportError:
        return "qutip not importable: skipped"
    try:
        from keldysh.paper import fock
    except ImportError:
        return "keldysh.paper.fock not available: skipped"
    import qutip as qt
    import scipy.linalg as sla

    # one node near resonance of Fig. 4, Delta fixed
    m = preset("fig4")
    q = 0.01
    Et1, Et2 = m.v1 * q + m.kappa1 * q * q, m.v2 * q + m.kappa2 * q * q
    D = 0.02 + 0.01j
    T = 200.0
    blk = fock.pair_block(
        "rwa", Et1=Et1, Et2=Et2, Omega=m.Omega, Gamma1=m.Gamma1, Gamma2=m.Gamma2, f1=1.0, f2=0.0, Delta=D
    )
    H = qt.Qobj(blk.H0 if hasattr(blk, "H0") else blk.hamiltonian())
    c_ops = [np.sqrt(r) * qt.Qobj(X) for r, X in blk.jumps if r > 0]
    rho0 = np.zeros((16, 16), complex)
    # |1_{k,1} 0_{k,2} 1_{-k,1} 0_{-k,2}>: index sum n_j 2^(3-j) = 8 + 2
    rho0[10, 10] = 1.0
    t0 = time.perf_counter()
    out = qt.mesolve(H, qt.Qobj(rho0), [0.0, T], c_ops=c_ops, options={"atol": 1e-10, "rtol": 1e-8})
    t_q = time.perf_counter() - t0
    n, s = fock.bilinears(out.states[-1].full())

    # the same node with this module's exact exponential (block_matrices at Delta)
    class G:  # a one-node grid
        E = np.array([Et1 + Et2])
        eps = np.array([Et2 - Et1])
        f1 = np.array([1.0])
        f2 = np.array([0.0])

    A0, Ar, Ai = block_matrices(m, G)
    M = (A0 + D.real * Ar + D.imag * Ai)[0]
    t0 = time.perf_counter()
    P = sla.expm(M * T)
    u = P[:6, :6] @ np.array([1.0, 0, 0, 0, 0, 0]) + P[:6, 6]
    t_k = time.perf_counter() - t0
    s21_q = s[1, 2]
    s21_k = u[4] + 1j * u[5]
    return (
        f"one node at fixed Delta, t = {T:g}: qutip.mesolve (16-dim Fock block) {t_q * 1e3:.1f} ms, "
        f"exact 7x7 exponential {t_k * 1e3:.2f} ms; |s21 difference| = {abs(s21_q - s21_k):.1e}, "
        f"|n11 difference| = {abs(n[0, 0].real - u[0]):.1e}"
    )


def _run(fig: str, panel: str):
    spec = SETTINGS[(fig, panel)]["full"]
    name, Vs = FIGURES[fig]["panels"][panel]
    m = preset(name)
    g = momentum_grid(m, order=spec.order)
    t0 = time.perf_counter()
    rs = simulate_many(
        m,
        list(Vs),
        t_max=spec.t_max,
        grid=g,
        progress=False,
        initial=None if spec.initial == "paper" else spec.initial,
        options={"order": spec.order, "rtol": spec.rtol, "method": spec.method, "rtol_linear": spec.rtol_linear},
    )
    return m, spec, Vs, time.perf_counter() - t0, rs


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--fig6-fraction", type=float, default=0.01, help="fraction of each Fig. 6 run timed for RK45")
    args = ap.parse_args()
    simulate_many(preset("fig4"), [5.0], t_max=1.0, options={"order": 3})  # warm the derivation and JIT caches
    rows, summary = [], []
    # Fig. 4: three curves, full runs (keldysh batched; RK45 one by one)
    m, spec, Vs, tk, rs = _run("fig4", "")
    tr = 0.0
    for V, r in zip(Vs, rs):
        dt, d_rk = rk45_baseline(m, V, spec.t_max, spec.order, spec.rtol)
        tr += dt
        rows.append((f"fig4 V={V:g}", r.options.method, r.delta_final, d_rk))
    summary.append((f"Fig. 4 (3 curves, t = {spec.t_max:g})", tk, tr, "full runs"))
    # Fig. 6: two panels; RK45 on a fraction, extrapolated
    tk = tr = 0.0
    for panel in ("a", "b"):
        m, spec, Vs, dt_k, rs = _run("fig6", panel)
        tk += dt_k
        for V, r in zip(Vs, rs):
            dt, d_rk = rk45_baseline(m, V, spec.t_max * args.fig6_fraction, spec.order, spec.rtol, spec.initial)
            tr += dt / args.fig6_fraction
            rows.append((f"fig6{panel} V={V:g}", r.options.method, r.delta_final, d_rk))
    summary.append(
        ("Fig. 6 (a, b: t = 3e6)", tk, tr, f"RK45 timed on {args.fig6_fraction:.0%} of each run, extrapolated linearly")
    )

    print(f"{'case':34s} {'keldysh [s]':>12s} {'RK45 [s]':>10s} {'ratio':>7s}  note")
    for case, a, b, note in summary:
        print(f"{case:34s} {a:12.1f} {b:10.1f} {b / a:7.1f}  {note}")
    print("targets: Fig. 4 <= 20 s, Fig. 6 <= 120 s (keldysh column)")
    print()
    print(
        f"{'curve':16s} {'method':8s} {'|Delta| keldysh':>16s} {'|Delta| RK45':>14s}  (RK45 Fig. 6: at the end of its fraction)"
    )
    for case, meth, a, b in rows:
        print(f"{case:16s} {meth:8s} {a:16.8g} {b:14.8g}")
    print()
    print(qutip_check())


if __name__ == "__main__":
    main()
