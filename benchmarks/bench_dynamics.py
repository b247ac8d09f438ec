"""Benchmark: the time dynamics of Figs. 4 and 6 (Sect. II.C) -- keldysh vs plain RK45.

keldysh: ``simulate(..., options={"method": "auto"})`` on the graded Gauss grid: DOP853 on the
exact affine form of the derived Eq. (9) for Fig. 4 (a few thousand periods of the fastest
node), the adaptive Magnus integrator (exact per-node exponentials, self-consistent Delta by
Anderson-accelerated fixed point) for Fig. 6 (10^6 time units, ~10^5 periods).
baseline (same run, same grid): ``scipy.integrate.solve_ivp(method="RK45")`` on the same
vectorised right-hand side with the same rtol.  For Fig. 6 the baseline is timed on a fixed
fraction of the run and extrapolated linearly (said in the output).

Optionally (if qutip is importable): one momentum node at fixed Delta, the 16-dimensional
Fock block of ``keldysh.fock.pair_block`` evolved by ``qutip.mesolve`` against the 6 bilinears
of Eq. (9) by the exact exponential of this module.

Run:  python benchmarks/bench_dynamics.py [--fig6-fraction 0.02]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from scipy.integrate import solve_ivp

from keldysh import preset
from keldysh.quadrature import momentum_grid
from keldysh.solvers.dynamics import _projection_weights, _seeded_state, block_matrices, simulate

FIG4 = ("fig4", (5.0, 2.3, 1.0), 15000.0, 4, 1e-6)
#: Fig. 6 as `keldysh reproduce fig6` runs it: panel (a) to t = 1e6 (auto -> magnus4), panel (b)
#: to t = 5e4 with DOP853 (its seed only decays over that time, see docs/dynamics.md)
FIG6 = ((("fig6a", 20.0, 1.0e6, {}), ("fig6b", 20.0, 5.0e4, {"method": "DOP853", "atol": 1e-30})), 3, 1e-4)


def rk45_baseline(model, V, t_max, order, rtol, seed=1e-3):
    """Plain solve_ivp(RK45) on the same grid, seed and vectorised RHS of Eq. (9)."""
    g = momentum_grid(model, order=order)
    K = _projection_weights(model, g, V, "eq18")
    u0 = _seeded_state(g, K, seed, np.ones_like(g.E))
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
        from keldysh import fock
    except ImportError:
        return "keldysh.fock not available: skipped"
    import qutip as qt
    import scipy.linalg as sla


    # one node near resonance of Fig. 4, Delta fixed
    m = preset("fig4")
    q = 0.01
    Et1, Et2 = m.v1 * q + m.kappa1 * q * q, m.v2 * q + m.kappa2 * q * q
    D = 0.02 + 0.01j
    T = 200.0
    blk = fock.pair_block("rwa", Et1=Et1, Et2=Et2, Omega=m.Omega, Gamma1=m.Gamma1, Gamma2=m.Gamma2, f1=1.0, f2=0.0, Delta=D)
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
        E = np.array([Et1 + Et2]); eps = np.array([Et2 - Et1]); f1 = np.array([1.0]); f2 = np.array([0.0])
    A0, Ar, Ai = block_matrices(m, G)
    M = (A0 + D.real * Ar + D.imag * Ai)[0]
    t0 = time.perf_counter()
    P = sla.expm(M * T)
    u = P[:6, :6] @ np.array([1.0, 0, 0, 0, 0, 0]) + P[:6, 6]
    t_k = time.perf_counter() - t0
    s21_q = s[1, 2]
    s21_k = u[4] + 1j * u[5]
    return (f"one node at fixed Delta, t = {T:g}: qutip.mesolve (16-dim Fock block) {t_q * 1e3:.1f} ms, "
            f"exact 7x7 exponential {t_k * 1e3:.2f} ms; |s21 difference| = {abs(s21_q - s21_k):.1e}, "
            f"|n11 difference| = {abs(n[0, 0].real - u[0]):.1e}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--fig6-fraction", type=float, default=0.02, help="fraction of the Fig. 6 run timed for RK45")
    args = ap.parse_args()
    rows = []
    # Fig. 4: three curves, full runs
    name, Vs, T4, order4, rtol4 = FIG4
    m = preset(name)
    simulate(m, 5.0, t_max=1.0, options={"order": order4})  # warm the derivation cache
    tk = tr = 0.0
    for V in Vs:
        t0 = time.perf_counter()
        r = simulate(m, V, t_max=T4, options={"order": order4, "rtol": rtol4}, progress=False)
        tk += time.perf_counter() - t0
        dt, d_rk = rk45_baseline(m, V, T4, order4, rtol4)
        tr += dt
        rows.append((f"fig4 V={V:g}", r.options.method, r.delta_final, d_rk))
    summary = [("Fig. 4 (3 curves, t = 15000)", tk, tr, "full run")]
    # Fig. 6: two panels; RK45 on a fraction, extrapolated
    panels, order6, rtol6 = FIG6
    tk = tr = 0.0
    for name, V, T6, extra in panels:
        m = preset(name)
        t0 = time.perf_counter()
        r = simulate(m, V, t_max=T6, options={"order": order6, "rtol": rtol6, **extra}, progress=False)
        tk += time.perf_counter() - t0
        dt, d_rk = rk45_baseline(m, V, T6 * args.fig6_fraction, order6, rtol6)
        tr += dt / args.fig6_fraction
        rows.append((f"{name} V={V:g}", r.options.method, r.delta_final, d_rk))
    summary.append(("Fig. 6 (a: t = 1e6, b: t = 5e4)", tk, tr, f"RK45 timed on {args.fig6_fraction:.0%} of each run, extrapolated linearly"))

    print(f"{'case':34s} {'keldysh [s]':>12s} {'RK45 [s]':>10s} {'ratio':>7s}  note")
    for case, a, b, note in summary:
        print(f"{case:34s} {a:12.1f} {b:10.1f} {b / a:7.1f}  {note}")
    print("targets: Fig. 4 <= 20 s, Fig. 6 <= 120 s (keldysh column)")
    print()
    print(f"{'curve':16s} {'method':8s} {'|Delta| keldysh':>16s} {'|Delta| RK45':>14s}  (RK45 Fig. 6: at the end of its fraction)")
    for case, meth, a, b in rows:
        print(f"{case:16s} {meth:8s} {a:16.8g} {b:14.8g}")
    print()
    print(qutip_check())


if __name__ == "__main__":
    main()
