"""``keldysh reproduce``: the time-dynamics figures of Sect. II.C (Figs. 4, 5 and 6)."""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path
from typing import Any, Dict, List

import numpy as np

from ..errors import ParameterError

NAME = "reproduce"
ORDER = 30
HELP = "reproduce Figs. 4-6: |Delta|(t) from Eq. (9) with self-consistent Delta, and s21(q) vs Eq. (10)"
DESCRIPTION = (
    "Integrate the rotating-frame equations of motion (Eq. 9) on a momentum grid with the "
    "order parameter updated self-consistently at every instant (Eq. 18), for the couplings "
    "and parameters of the captions of Figs. 4, 5 and 6.  Writes, per figure, PNG panels "
    "((a) |Delta|(t) with horizontal lines for Eq. 23 with the cutoff-corrected V_c and for "
    "the exact gap equation; (b) s21(q) from the dynamics against Eq. 10), CSV data and "
    "DIR/summary.json."
)

FIGS = ("fig4", "fig5", "fig6")

#: Run length, grid and tolerance per figure: (t_max, order, rtol) for the full and --quick runs.
#: Fig. 6 (Gamma2 = 1e-6) converges ~100x more slowly than Fig. 4 (Sect. II.C).
SETTINGS: Dict[str, Dict[str, tuple]] = {
    "fig4": {"full": (15000.0, 4, 1e-6), "quick": (4000.0, 3, 1e-5)},
    "fig5": {"full": (6000.0, 4, 1e-6), "quick": (3000.0, 3, 1e-5)},
    "fig6": {"full": (1.0e6, 3, 1e-4), "quick": (5.0e4, 2, 1e-3)},
}

#: Per-panel overrides (full mode): (t_max, options).  Fig. 6(b) (Omega = Gamma/5) does not
#: converge by 1e6 from the state of Sect. II.C: the seed decays at rate ~Gamma for > 5e4
#: (see docs/dynamics.md).  That decaying sum of free oscillations is cheapest with DOP853
#: (the Magnus step must follow its oscillations to keep relative accuracy); atol = 1e-30
#: keeps s21 relatively accurate down to |Delta| ~ 1e-28.  Override with --t-max / --method.
PANEL_OVERRIDES: Dict[tuple, tuple] = {("fig6", "b"): (5.0e4, {"method": "DOP853", "atol": 1e-30})}


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("figure", choices=FIGS + ("all",), help="which figure (or all)")
    p.add_argument("--out", default="results", metavar="DIR", help="output directory (default: results)")
    p.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    p.add_argument("--quick", action="store_true", help="reduced grid and run length (smoke run)")
    p.add_argument("--quiet", action="store_true", help="no progress bars, no human summary")
    p.add_argument("--method", default=None, help="integrator (default magnus4; any DynamicsOptions method)")
    p.add_argument("--t-max", type=float, default=None, metavar="T", help="override the run length of every curve")


def _curve(fig: str, panel: str, preset_name: str, V: float, mode: str, args: argparse.Namespace) -> Dict[str, Any]:
    from ..analytic import delta_eq23
    from ..params import preset
    from ..quadrature import momentum_grid
    from ..solvers.dynamics import simulate, steady_anomalous
    from ..solvers.gap import solve_gap

    model = preset(preset_name)
    t_max, order, rtol = SETTINGS[fig][mode]
    extra: Dict[str, Any] = {}
    if mode == "full" and (fig, panel) in PANEL_OVERRIDES:
        t_max, extra = PANEL_OVERRIDES[(fig, panel)]
        extra = dict(extra)
        if args.method:
            extra = {}
    if args.t_max is not None:
        if not (math.isfinite(args.t_max) and args.t_max > 0):
            raise ParameterError("t-max", f"must be > 0 (got {args.t_max})")
        t_max = args.t_max
    opts: Dict[str, Any] = {"order": order, "rtol": rtol, **extra}
    if args.method:
        opts["method"] = args.method
    grid = momentum_grid(model, order=order)
    progress = False if args.quiet else None
    res = simulate(model, V, t_max=t_max, grid=grid, options=opts, progress=progress)
    # steady states on the same grid and cutoff
    master = solve_gap(model, V, "master", grid=grid, estimate_error=False)
    eq19 = solve_gap(model, V, "eq19", estimate_error=False)
    d23 = delta_eq23(model, V)
    d23c = delta_eq23(model, V, V_c=eq19.V_c)
    D_end = complex(res.Delta[-1])
    s_eq10 = steady_anomalous(model, grid, D_end)
    scale = float(np.abs(s_eq10).max())
    # meaningful only where there is a steady pairing (below threshold both sides tend to 0)
    s_dev = float(np.abs(res.s21 - s_eq10).max() / scale) if (scale > 0 and master.delta > 0) else None
    label = f"V = {V:g}" + (f" ({panel})" if panel else "")
    return {
        "figure": fig,
        "panel": panel,
        "preset": preset_name,
        "label": label,
        "V": V,
        "Omega": model.Omega,
        "Gamma": model.Gamma,
        "gamma2": model.gamma2,
        "delta_final": res.delta_final,
        "t_converged": res.t_converged,
        "delta_steady_state": master.delta,
        "V_c_master": master.V_c,
        "delta_eq23": d23,
        "delta_eq23_cutoff": d23c,
        "delta_eq19": eq19.delta,
        "V_c_eq19": eq19.V_c,
        "relative_difference": (res.delta_final / master.delta - 1.0) if master.delta > 0 else None,
        "s21_max_relative_deviation": s_dev,
        "t_max": t_max,
        "t_end": float(res.times[-1]),
        "method": res.options.method,
        "rtol": res.options.rtol,
        "nodes": int(grid.size),
        "steps": res.diagnostics.get("steps"),
        "seconds": res.diagnostics.get("seconds"),
        "physical": res.diagnostics.get("physical"),
        "nambu_min_eig": res.diagnostics.get("nambu_min_eig"),
        # arrays for the files (dropped from the JSON summary)
        "_times": res.times,
        "_Delta": res.Delta,
        "_q": grid.q,
        "_s21": res.s21,
        "_s21_eq10": s_eq10,
    }


def _figure(fig: str, mode: str, out: Path, args: argparse.Namespace) -> Dict[str, Any]:
    from ..params import FIGURES
    from ..results_plot import plot_delta_panel, plot_s21_panel, write_csv

    curves: List[Dict[str, Any]] = []
    for panel, (preset_name, Vs) in FIGURES[fig]["panels"].items():
        for V in Vs:
            curves.append(_curve(fig, panel, preset_name, float(V), mode, args))
    files: List[str] = []
    for c in curves:
        tag = f"{fig}{c['panel']}_V{c['V']:g}"
        files.append(write_csv(out / f"{tag}_delta.csv", ["t", "abs_Delta", "Re_Delta", "Im_Delta"],
                               [c["_times"], np.abs(c["_Delta"]), c["_Delta"].real, c["_Delta"].imag]).name)
        files.append(write_csv(out / f"{tag}_s21.csv", ["q", "Re_s21_dynamics", "Im_s21_dynamics", "Re_s21_eq10", "Im_s21_eq10"],
                               [c["_q"], c["_s21"].real, c["_s21"].imag, c["_s21_eq10"].real, c["_s21_eq10"].imag]).name)
    plot_curves = [dict(times=c["_times"], abs_Delta=np.abs(c["_Delta"]), label=c["label"],
                        delta_eq23_cutoff=c["delta_eq23_cutoff"], delta_steady_state=c["delta_steady_state"],
                        q=c["_q"], s21=c["_s21"], s21_eq10=c["_s21_eq10"]) for c in curves]
    m0 = curves[0]
    if fig == "fig6":
        for c, pc in zip(curves, plot_curves):
            pc["delta_eq23_cutoff"] = None  # Eq. (23) assumes Omega >> Gamma: not drawn for Fig. 6
            title = f"Fig. 6({c['panel']}): Omega = {c['Omega']:g}, Gamma = {c['Gamma']:g}, gamma2 = {c['gamma2']:g}, V = {c['V']:g}"
            files.append(plot_delta_panel(out / f"fig6{c['panel']}_delta.png", [pc], title).name)
            files.append(plot_s21_panel(out / f"fig6{c['panel']}_s21.png", [pc], f"Fig. 6({c['panel']}) s21(q)", qmax=0.05).name)
    else:
        caption = f"{fig[:3].capitalize()}. {fig[3:]}: Omega = {m0['Omega']:g}, Gamma = {m0['Gamma']:g}, gamma2 = {m0['gamma2']:g}"
        files.append(plot_delta_panel(out / f"{fig}_a_delta.png", plot_curves, caption + " (a)").name)
        sc = [pc for pc, c in zip(plot_curves, curves) if c["delta_steady_state"] > 0] or plot_curves
        files.append(plot_s21_panel(out / f"{fig}_b_s21.png", sc, caption + " (b)", qmax=0.06).name)
    clean = [{k: v for k, v in c.items() if not k.startswith("_")} for c in curves]
    return {"curves": clean, "files": files}


def _human(summary: Dict[str, Any]) -> str:
    lines = []
    for fig, blk in summary.items():
        lines.append(f"{fig}:")
        for c in blk["curves"]:
            tc = "never (1%)" if c["t_converged"] is None else f"{c['t_converged']:.4g}"
            rel = "" if c["relative_difference"] is None else f" ({c['relative_difference']:+.1e})"
            dev = "" if c["s21_max_relative_deviation"] is None else f"; s21 vs Eq. 10: {c['s21_max_relative_deviation']:.1e}"
            lines.append(
                f"  {c['label']:>14}: |Delta|(t={c['t_end']:.3g}) = {c['delta_final']:.6g}; exact gap eq. {c['delta_steady_state']:.6g}{rel}; "
                f"Eq. 23 (cutoff V_c) {c['delta_eq23_cutoff']:.4g}; converged at t = {tc}{dev}; {c['seconds']:.1f} s"
            )
        lines.append(f"  files: {', '.join(blk['files'])}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from ..solvers.dynamics import DynamicsOptions

    if args.method is not None:
        DynamicsOptions.make(method=args.method)  # validate early (ParameterError -> exit 2)
    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ParameterError("out", f"cannot create {str(out)!r}: {exc.strerror}") from None
    figs = FIGS if args.figure == "all" else (args.figure,)
    mode = "quick" if args.quick else "full"
    t0 = time.perf_counter()
    summary: Dict[str, Any] = {}
    for fig in figs:
        summary[fig] = _figure(fig, mode, out, args)
    # merge with an existing summary so `reproduce fig4` then `reproduce fig6` keeps both
    path = out / "summary.json"
    merged: Dict[str, Any] = {}
    if path.exists():
        try:
            merged = json.loads(path.read_text())
        except (OSError, ValueError):
            merged = {}
    merged.update(summary)
    from ..solvers.dynamics import _clean

    path.write_text(json.dumps(_clean(merged), indent=2, allow_nan=False) + "\n")
    if args.json:
        sys.stdout.write(json.dumps(_clean(summary), indent=2, allow_nan=False) + "\n")
    elif not args.quiet:
        print(_human(summary))
        print(f"summary: {path}  ({time.perf_counter() - t0:.1f} s)")
    return 0
