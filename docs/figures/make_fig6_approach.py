"""Figure for docs/dynamics.md: how Fig. 6(b) settles, against the linearised dynamics.

(a) |Delta(t)| / Delta_ss - 1 of the Fig. 6(b) run of `keldysh reproduce fig6` (pumped start,
    t = 3e6), with the decay envelope exp(-t / tau) of the dominant linear mode at the steady
    state (tau from keldysh.paper.solvers.stability.linear_stability), anchored at t = 1.2e6.
(b) The spectrum of the linearised Eqs. (9) + (18) near the origin for Fig. 4 (V = 5) and
    Fig. 6(b) (V = 20): the modes that carry the response of |Delta| are circled.

Run:  python docs/figures/make_fig6_approach.py   (writes docs/figures/fig6_approach.png, ~1 min)
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from keldysh import preset
from keldysh.commands.reproduce import SETTINGS
from keldysh.paper.quadrature import momentum_grid
from keldysh.paper.solvers.dynamics import simulate
from keldysh.paper.solvers.stability import linear_stability


def main(out: Path = Path(__file__).with_name("fig6_approach.png")) -> Path:
    spec = SETTINGS[("fig6", "b")]["full"]
    m6 = preset("fig6b")
    g6 = momentum_grid(m6, order=spec.order)
    st6 = linear_stability(m6, 20.0, grid=g6)
    r = simulate(
        m6,
        20.0,
        t_max=spec.t_max,
        grid=g6,
        initial=spec.initial,
        progress=False,
        options={"method": spec.method, "rtol": spec.rtol, "rtol_linear": spec.rtol_linear, "order": spec.order},
    )
    m4 = preset("fig4")
    st4 = linear_stability(m4, 5.0, grid=momentum_grid(m4, order=3))

    fig, (ax, bx) = plt.subplots(1, 2, figsize=(10, 3.8))
    t, dev = r.times, r.abs_Delta / st6.delta - 1
    sel = t > 6e5
    ax.plot(t[sel], dev[sel], lw=0.8, label="dynamics (Eq. 9 + Eq. 18)")
    t0 = 1.2e6
    a0 = float(np.max(np.abs(dev[(t > t0) & (t < t0 + st6.oscillation["period"])])))
    tt = np.linspace(t0, t[-1], 200)
    env = a0 * np.exp(-(tt - t0) / st6.oscillation["decay_time"])
    ax.plot(tt, env, "k--", lw=1, label=f"linear mode: decay time {st6.oscillation['decay_time']:.3g}")
    ax.plot(tt, -env, "k--", lw=1)
    ax.set_ylim(-0.3, 0.6)
    ax.set_xlabel("$t$")
    ax.set_ylabel(r"$|\Delta(t)|/\Delta_{ss} - 1$")
    ax.set_title(f"Fig. 6(b), pumped start: period {st6.oscillation['period']:.3g} (linear)", fontsize=10)
    ax.legend(fontsize=8)

    for st, name, mk in ((st4, "Fig. 4, V = 5", "o"), (st6, "Fig. 6(b), V = 20", "s")):
        lam = st.eigenvalues
        w = st.oscillation["frequency"]
        near = (np.abs(lam.imag) < 6 * max(w, 1e-12)) & (lam.real > -6 * st.oscillation["damping"])
        scale = st.oscillation["frequency"]
        bx.plot(lam.real[near] / scale, lam.imag[near] / scale, mk, ms=3, mfc="none", label=name)
        lo = st.oscillation["eigenvalue"]
        bx.plot([lo.real / scale] * 2, [lo.imag / scale, -lo.imag / scale], mk, ms=10, mfc="none", color="k")
    bx.axvline(0, color="gray", lw=0.5)
    bx.set_xlabel(r"Re $\lambda$ / $\omega_{osc}$")
    bx.set_ylabel(r"Im $\lambda$ / $\omega_{osc}$")
    bx.set_title("linearised spectrum near 0 (circled: dominant mode)", fontsize=10)
    bx.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out


if __name__ == "__main__":
    print(main())
