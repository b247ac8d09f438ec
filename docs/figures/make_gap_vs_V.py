"""Figure for docs/gap_equation.md: |Delta|(V) at the Fig. 4 parameters by the two Master-equation routes.

Run:  python docs/figures/make_gap_vs_V.py   (writes docs/figures/gap_vs_V.png)
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

import keldysh
from keldysh.paper import analytic as A
from keldysh.paper.solvers.gap import gap_sweep
from keldysh.paper.solvers.gap import solve_gap as paper_solve_gap
from keldysh.plotting import STYLE


def main(out: Path = Path(__file__).with_name("gap_vs_V.png")) -> Path:
    plt.rcParams.update(STYLE)  # the package's one figure style (keldysh.plotting)
    m = keldysh.preset("fig4")
    Vs = np.linspace(1.0, 8.0, 141)
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(9, 3.6))
    curves = {meth: gap_sweep(m, Vs, meth) for meth in ("master", "eq19")}
    ax.plot(Vs, curves["master"], label="exact populations (master)")
    ax.plot(Vs, curves["eq19"], label="Eq. (13) populations (eq19)")
    ax.plot(Vs, [A.delta_eq23(m, V) for V in Vs], "k--", lw=1, label=r"Eq. (23) ($k_{\max} = \infty$)")
    vc19 = paper_solve_gap(m, 5.0, "eq19").V_c
    ax.plot(Vs, [A.delta_eq23(m, V, V_c=vc19) for V in Vs], "k:", lw=1, label=rf"Eq. (23) with $V_c = {vc19:.3f}$")
    ax.set_xlabel("$V$")
    ax.set_ylabel(r"$|\Delta|$")
    ax.set_title(r"Fig. 4 parameters, $|q| \leq 0.2$")
    ax.legend(fontsize=7)
    Om = np.geomspace(0.02, 50, 40)
    ratio = [
        paper_solve_gap(m.replace(Omega=o), 5.0, "master").V_c / paper_solve_gap(m.replace(Omega=o), 5.0, "eq19").V_c
        for o in Om
    ]
    bx.semilogx(Om / m.Gamma, np.array(ratio) - 1)
    bx.set_xlabel(r"$\Omega / \Gamma$")
    bx.set_ylabel(r"$V_c^{\rm master} / V_c^{\rm eq19} - 1$")
    bx.set_title(r"Eq. (13) is the $\Omega \gg \Gamma$ limit")
    fig.tight_layout()
    fig.savefig(out, dpi=120, bbox_inches="tight")
    return out


if __name__ == "__main__":
    print(main())
