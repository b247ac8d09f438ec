#!/usr/bin/env python3
"""Figures of docs/sweep.md: where the complete condition admits a superconducting steady state,
against the paper's in-phase region, over the paper's parameter space (``kd.sweep``).

sweep_sect2.png      Sect. II, Fig. 4 model: (V, Omega) and (gamma2, Omega) at V = 5
sweep_thermal.png    Sect. II at T > 0 (docs/figures/laser_thermal.py): thresholds over (omega0, T)
sweep_pumping_bcs.png  Sect. III (mu2, T) at V = 5, and the contract's BCS pair (V, T) for contrast

The in-phase diagrams (the paper's solver, Eq. (18)) are cheap and drawn on fine grids; the
complete condition (Eq. (17), the engine solver, seconds per point) on coarse grids, stated in the
titles.  Every sweep runs on a local Dask cluster of two workers.

Run: python docs/figures/make_sweep_diagrams.py [--keep DIR]   (a few minutes on a 2-core machine)
"""

from __future__ import annotations

import argparse
import importlib.util
import logging
import tempfile
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import keldysh as kd  # noqa: E402
from keldysh.sweeps import plot_sweep  # noqa: E402

HERE = Path(__file__).resolve().parent


def _thermal():
    spec = importlib.util.spec_from_file_location("laser_thermal", HERE / "laser_thermal.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _count(ds) -> str:
    n = int((ds.delta > 0).sum())
    vc = ds.V_c.values[np.isfinite(ds.V_c.values)]
    rng = f"V_c in [{vc.min():.4g}, {vc.max():.4g}]" if vc.size else "V_c infinite everywhere"
    return f"{n}/{ds.delta.size} superconducting, {rng}"


def main() -> None:
    ap = argparse.ArgumentParser(description="figures of docs/sweep.md")
    ap.add_argument("--keep", default=None, help="folder for the Zarr stores (default: a temporary one)")
    args = ap.parse_args()
    from distributed import Client, LocalCluster

    t0 = time.perf_counter()
    tmp = tempfile.TemporaryDirectory()
    out = Path(args.keep or tmp.name)
    out.mkdir(parents=True, exist_ok=True)
    fig4 = kd.preset("fig4")
    log = []
    quiet = dict(dashboard_address=None, silence_logs=logging.CRITICAL)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, **quiet) as cluster:
        with Client(cluster) as client:

            def sweep(name, model, *a, **kw):
                t = time.perf_counter()
                ds = kd.sweep(model, *a, client=client, store=out / f"{name}.zarr", resume=True, progress=False, **kw)
                log.append(f"{name}: {_count(ds)} ({time.perf_counter() - t:.0f} s)")
                return ds

            # Sect. II, Fig. 4 model
            Vf, Of = np.linspace(1, 10, 60), np.linspace(0.05, 1, 48)
            Vc_, Oc = np.array([2.0, 5.0, 10.0]), np.linspace(0.1, 1, 4)
            a_in = sweep("a_inphase", fig4, condition="in-phase", V=Vf, Omega=Of)
            a_co = sweep("a_complete", fig4, condition="complete", method="keldysh", V=Vc_, Omega=Oc)
            gf, gc = np.linspace(0.02, 0.98, 49), np.array([0.1, 0.35, 0.65, 0.9])
            b_in = sweep("b_inphase", fig4, condition="in-phase", V=5.0, gamma2=gf, Omega=Of)
            b_co = sweep("b_complete", fig4, condition="complete", method="keldysh", V=5.0, gamma2=gc, Omega=Oc)
            # Sect. II at T > 0: the paper's in-phase solver, the thermal engine model for the complete condition
            th = _thermal()
            w0f, Tf = np.linspace(0.05, 1.0, 40), np.linspace(0.005, 0.1, 39)
            w0c, Tc = np.linspace(0.1, 0.9, 5), np.linspace(0.01, 0.09, 5)
            base = fig4.replace(T=0.01, omega0=1.0)
            c_in = sweep("c_inphase", base, condition="in-phase", V=5.0, omega0=w0f, T=Tf)
            vals = {k: v for k, v in th.values(base).items() if k not in ("T", "omega_0")}
            c_co = sweep("c_complete", th.model, vals, "complete", method="keldysh", V=5.0, omega_0=w0c, T=Tc)
            ri = kd.solve_gap(th.model, 5.0, th.values(base), condition="in-phase")  # the thermal model's in-phase
            rp = kd.solve_gap(base, 5.0, condition="in-phase")  # = the paper's solver at T > 0
            log.append(
                f"thermal model in-phase vs paper at T=0.01, omega0=1: |Delta| {ri.delta:.10g} vs {rp.delta:.10g}"
            )
            # Sect. III and the BCS pair
            from keldysh.models.bcs import bcs_pair_model, bcs_values
            from keldysh.paper.pumping import PRESETS

            pm = PRESETS["pumping"]
            mf, Tpf = np.linspace(0.9, 2.5, 49), np.linspace(0.005, 0.1, 40)
            mc, Tpc = np.array([0.9, 1.2, 1.8, 2.5]), np.array([0.005, 0.05, 0.1])
            d_in = sweep("d_inphase", pm, condition="in-phase", V=5.0, mu2=mf, T=Tpf)
            d_co = sweep("d_complete", pm, condition="complete", V=5.0, mu2=mc, T=Tpc)
            bcs = bcs_pair_model()
            bv = {s.name: v for s, v in bcs_values().items() if s.name != "T"}
            Vb, Tb = np.linspace(0.5, 2.0, 7), np.array([0.0, 0.03, 0.06])
            e = sweep("e_bcs", bcs, bv, ("complete", "in-phase"), method="keldysh", V=Vb, T=Tb)

    # -- figure 1: Sect. II
    fig, axs = plt.subplots(2, 2, figsize=(11, 8.6))
    for ax, ds, title in (
        (axs[0, 0], a_co, "complete (Eq. (17)), 3 x 4 points"),
        (axs[0, 1], a_in, "in-phase (Eq. (18)), 60 x 48 points"),
        (axs[1, 0], b_co, "complete, V = 5, 4 x 4 points"),
        (axs[1, 1], b_in, "in-phase, V = 5, 49 x 48 points"),
    ):
        plot_sweep(ds, axes=[ax])
        ax.set_title(title, fontsize=10)
    fig.suptitle("Sect. II, Fig. 4 model: $|\\Delta|$ of the steady state", fontsize=11)
    fig.tight_layout()
    fig.savefig(HERE / "sweep_sect2.png", dpi=110)
    plt.close(fig)

    # -- figure 2: thresholds at T > 0
    fig, axs = plt.subplots(1, 2, figsize=(11, 4.3))
    for ax, ds, title in (
        (axs[0], c_co, "complete: $V_c$ (thermal engine model, 5 x 5 points)"),
        (axs[1], c_in, "in-phase: $V_c$ (paper's solver, 40 x 39 points)"),
    ):
        name = "omega_0" if "omega_0" in ds.dims else "omega0"
        x, y = ds[name].values, ds["T"].values
        Vc = ds.V_c.values.T if ds.V_c.dims[0] == name else ds.V_c.values
        finite = np.isfinite(Vc)
        ax.pcolormesh(x, y, np.where(finite, np.nan, 1.0), cmap="Greys", vmin=0, vmax=3, shading="nearest")
        m = ax.pcolormesh(
            x,
            y,
            np.ma.masked_invalid(np.log10(np.where(finite, Vc, np.nan))),
            cmap="viridis_r",
            vmin=0.3,
            vmax=3,
            shading="nearest",
        )
        fig.colorbar(m, ax=ax, label=r"$\log_{10} V_c$ (grey: $V_c = \infty$)")
        ax.set_xlabel(r"laser frequency $\omega_0$")
        ax.set_ylabel("$T$")
        ax.set_title(title, fontsize=10)
    fig.suptitle("Sect. II at $T > 0$: thresholds of the two conditions (Fig. 4 parameters otherwise)", fontsize=11)
    fig.tight_layout()
    fig.savefig(HERE / "sweep_thermal.png", dpi=110)
    plt.close(fig)

    # -- figure 3: Sect. III and the BCS pair
    fig, axs = plt.subplots(2, 2, figsize=(11, 8.6))
    for ax, ds, title in (
        (axs[0, 0], d_co, "Sect. III complete, V = 5, 4 x 3 points"),
        (axs[0, 1], d_in, "Sect. III in-phase, V = 5, 49 x 40 points"),
    ):
        plot_sweep(ds, axes=[ax])
        ax.set_xlabel(r"pumping: $\mu_2$ ($\mu_1 = 0$)")
        ax.set_title(title, fontsize=10)
    plot_sweep(e, axes=[axs[1, 0], axs[1, 1]])
    axs[1, 0].set_title("BCS pair (contract) complete, 7 x 3 points", fontsize=10)
    axs[1, 1].set_title("BCS pair in-phase, 7 x 3 points", fontsize=10)
    fig.suptitle("Sect. III (pumping) and, for contrast, the BCS pair with reservoirs", fontsize=11)
    fig.tight_layout()
    fig.savefig(HERE / "sweep_pumping_bcs.png", dpi=110)
    plt.close(fig)
    tmp.cleanup()
    print("\n".join(log))
    print(f"wrote sweep_sect2.png, sweep_thermal.png, sweep_pumping_bcs.png in {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
