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
from keldysh.plotting import STYLE, time_scale


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

    plt.rcParams.update(STYLE)  # the package's one figure style (keldysh.plotting)
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(10, 3.8), layout="constrained")
    t, dev = r.times, r.abs_Delta / st6.delta - 1
    f, t_label = time_scale(float(t[-1]))  # t / 10^6 on the axis, no offset
    sel = t > 6e5
    ax.plot(t[sel] / f, dev[sel], lw=0.8, label="dynamics, Eqs. (9) + (18)")
    t0 = 1.2e6
    a0 = float(np.max(np.abs(dev[(t > t0) & (t < t0 + st6.oscillation["period"])])))
    tt = np.linspace(t0, t[-1], 200)
    env = a0 * np.exp(-(tt - t0) / st6.oscillation["decay_time"])
    tau = st6.oscillation["decay_time"]
    ax.plot(tt / f, env, "k--", lw=1, label=rf"linear mode: $e^{{-t/\tau}}$, $\tau = {tau / 1e5:.3g}\times10^{{5}}$")
    ax.plot(tt / f, -env, "k--", lw=1)
    ax.set_ylim(-0.3, 0.6)
    ax.set_xlabel(t_label)
    ax.set_ylabel(r"$|\Delta(t)|/\Delta_{ss} - 1$")
    period = st6.oscillation["period"]
    ax.set_title(rf"(a) Fig. 6(b), pumped start: linear period ${period / 1e4:.3g}\times10^{{4}}$")
    ax.legend(loc="upper right")

    for st, name, mk in ((st4, r"Fig. 4, $V = 5$", "o"), (st6, r"Fig. 6(b), $V = 20$", "s")):
        lam = st.eigenvalues
        w = st.oscillation["frequency"]
        near = (np.abs(lam.imag) < 6 * max(w, 1e-12)) & (lam.real > -6 * st.oscillation["damping"])
        scale = st.oscillation["frequency"]
        bx.plot(lam.real[near] / scale, lam.imag[near] / scale, mk, ms=3, mfc="none", label=name)
        lo = st.oscillation["eigenvalue"]
        bx.plot([lo.real / scale] * 2, [lo.imag / scale, -lo.imag / scale], mk, ms=10, mfc="none", color="k")
    bx.axvline(0, color="gray", lw=0.5)
    bx.set_xlabel(r"Re $\lambda$ / $\omega_{\mathrm{osc}}$")
    bx.set_ylabel(r"Im $\lambda$ / $\omega_{\mathrm{osc}}$")
    bx.set_title(r"(b) linearised spectrum near $\lambda = 0$ (circled: dominant mode)")
    bx.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0))  # beside the panel: no point hidden
    fig.savefig(out, dpi=150)
    plt.close(fig)
    return out


if __name__ == "__main__":
    print(main())
