#!/usr/bin/env python3
"""Figure of docs/meanfield.md: the complete self-consistency decides the fate of Delta(t).

(a) |Delta(t)| of the self-consistent lab-frame dynamics (keldysh.simulate) for the BCS pair of the
    mean-field contract (converges to the complete solution, not the in-phase one) and for the
    paper's Fig. 4 model rebuilt on the engine (decays to 0 from the in-phase |Delta|);
(b) Im chi(omega) / Re chi(0) of the Fig. 4 model: negative for every omega, so no solution of the
    complete condition bifurcates from Delta = 0.

Run: python docs/figures/make_complete_condition.py   (about 3 minutes on a 2-core machine)
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import keldysh as kd  # noqa: E402
from keldysh.meanfield.gap import Integrand  # noqa: E402
from keldysh.meanfield.quadrature import build_grid  # noqa: E402
from keldysh.models.bcs import bcs_pair_model, bcs_values  # noqa: E402
from keldysh.models.laser import laser_model, laser_values  # noqa: E402
from keldysh.plotting import STYLE  # noqa: E402

OUT = Path(__file__).resolve().parent / "complete_condition.png"


def main() -> None:
    plt.rcParams.update(STYLE)  # the package's one figure style (keldysh.plotting)
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(11, 4.2))
    model, vals = bcs_pair_model(), bcs_values()  # the mean-field contract's model
    rc = kd.solve_gap(model, 1.0, vals)
    ri = kd.solve_gap(model, 1.0, vals, condition="in-phase")
    run = kd.simulate(model, 1.0, vals, t_max=3000, samples=601)
    ax.semilogy(run.times, np.abs(run.Delta), color="C0", label=r"BCS pair with loss, $V = 1$ (contract)")
    ax.axhline(
        rc.delta, color="C0", ls="--", lw=1, label=rf"complete: $|\Delta| = {rc.delta:.5f}$, $\omega = {rc.omega:.2e}$"
    )
    ax.axhline(ri.delta, color="C0", ls=":", lw=1, label=rf"in-phase: $|\Delta| = {ri.delta:.5f}$")
    lm = laser_model()
    lv = laser_values(kd.preset("fig4"))
    rl = kd.solve_gap(lm, 5.0, lv, condition="in-phase")
    runl = kd.simulate(lm, 5.0, lv, t_max=3000, Delta0=rl.delta, samples=601, rtol=1e-7)
    ax.semilogy(
        runl.times, np.abs(runl.Delta), color="C3", label=r"paper's Fig. 4 model, $V = 5$, from the in-phase $|\Delta|$"
    )
    ax.axhline(rl.delta, color="C3", ls=":", lw=1, label=rf"in-phase (Eq. (18)): $|\Delta| = {rl.delta:.4f}$")
    ax.set_xlabel(r"time $t$ (units of $\hbar/$energy)")
    ax.set_ylabel(r"$|\Delta(t)|$")
    ax.set_ylim(1e-14, 1)
    ax.set_title(r"(a) self-consistent dynamics, Eq. (17) in full")
    ax.legend(fontsize=7.5, loc="lower left")
    ws = np.linspace(-3, 3, 241)
    for name, color in (("fig4", "C3"), ("fig5", "C1"), ("fig6b", "C2")):
        vr = lm.resolve(laser_values(kd.preset(name)))

        def chi_at(w):  # grid resolving the features of the frame rotating at w
            g, _ = build_grid(lm, vr, omega=w)
            return Integrand(lm, lm.node_data(g.k, g.w, vr), "master")(1e-7, w) / 1e-7

        chi = np.array([chi_at(w) for w in ws])
        bx.plot(ws, chi.imag / abs(chi[120].real), color=color, label=rf"{name}: Im $\chi(\omega)$/|Re $\chi(0)$|")
    bx.axhline(0, color="k", lw=0.8)
    bx.set_xlabel(r"rotation frequency $\omega$")
    bx.set_ylabel(r"Im $\chi(\omega)$ / |Re $\chi(0)$|")
    bx.set_title(r"(b) linear response: Im $\chi$ never vanishes")
    bx.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    fig.savefig(OUT, dpi=130)
    print(
        f"wrote {OUT.name}: BCS complete {rc.delta:.8f} omega {rc.omega:.6e}, run {run.magnitude():.8f} "
        f"freq {run.frequency():.6e}; fig4 in-phase {rl.delta:.6f}, run final {abs(runl.Delta[-1]):.2e}"
    )


if __name__ == "__main__":
    main()
