"""Figure for docs/keldysh.md: |Delta|(V) from the Keldysh saddle point (all orders, Eq. (53)),
the master equation (Eq. (18), exact populations), Eq. (19) and Eq. (55), at several Omega/Gamma.

Run: ``python docs/figures/make_keldysh_all_orders.py`` (writes keldysh_all_orders.png next to it).
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import keldysh  # noqa: E402
from keldysh.paper.quadrature import momentum_grid  # noqa: E402
from keldysh.paper.solvers.gap import solve_gap as paper_solve_gap  # noqa: E402
from keldysh.plotting import STYLE  # noqa: E402


def sweep(model, Vs, method):
    grid = momentum_grid(model)
    return np.array([paper_solve_gap(model, float(V), method, grid=grid, estimate_error=False).delta for V in Vs])


def main() -> dict:
    plt.rcParams.update(STYLE)  # the package's one figure style (keldysh.plotting)
    base = keldysh.preset("fig4")
    ratios = (50.0, 5.0, 1.0)
    fig, axes = plt.subplots(1, len(ratios), figsize=(13, 4))
    table = {}
    for ax, r in zip(axes, ratios):
        m = base.replace(Omega=r * base.Gamma)
        Vs = np.linspace(1.5, 12.0, 40)
        rows = {}
        for meth, style in (("keldysh", "-"), ("master", "--"), ("eq19", ":"), ("keldysh-eq55", "-.")):
            d = sweep(m, Vs, meth)
            rows[meth] = d
            ax.plot(Vs, d / m.Gamma, style, label=meth)
        table[r] = (Vs, rows)
        ax.set_title(rf"$\Omega/\Gamma = {r:g}$")
        ax.set_xlabel("$V$")
        ax.set_ylabel(r"$|\Delta| / \Gamma$")
        ax.legend()
    fig.tight_layout()
    fig.savefig(HERE / "keldysh_all_orders.png", dpi=110, bbox_inches="tight")
    for r, (Vs, rows) in table.items():
        k, mm = rows["keldysh"], rows["master"]
        both = (k > 0) & (mm > 0)
        dev = np.max(np.abs(k[both] / mm[both] - 1)) if both.any() else 0.0
        print(
            f"Omega/Gamma={r:g}: max|keldysh/master-1|={dev:.1e}; at V=5: keldysh {np.interp(5, Vs, k):.4e} "
            f"eq19 {np.interp(5, Vs, rows['eq19']):.4e} eq55 {np.interp(5, Vs, rows['keldysh-eq55']):.4e}"
        )
    return table


if __name__ == "__main__":
    main()
