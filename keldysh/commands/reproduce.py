"""``keldysh reproduce``: the time-dynamics figures of Sect. II.C (Figs. 4, 5 and 6)."""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import sys
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from keldysh.commands._reproduce_checks import TOLERANCES, _checks, _failure_line
from keldysh.errors import ParameterError

NAME = "reproduce"
HELP = "reproduce Figs. 4-6: |Delta|(t) from Eq. (9) with self-consistent Delta, and s21(q) vs Eq. (10)"
DESCRIPTION = (
    "Integrate the rotating-frame equations of motion (Eq. (9)) on a momentum grid with the "
    "order parameter updated self-consistently at every instant (Eq. (18)), for the couplings "
    "and parameters of the captions of Figs. 4, 5 and 6.  Writes, per figure, one PNG and one "
    "PDF with the panels side by side ((a) |Delta|(t) with horizontal lines for Eq. (23) with the "
    "cutoff-corrected V_c and for the exact gap equation; (b) s21(q) from the dynamics against "
    "Eq. (10)), CSV data and DIR/summary.json.  Exits with status 1, one line per failed check on "
    "stderr, when the dynamics disagrees with the steady state beyond the tolerances."
)

FIGS = ("fig4", "fig5", "fig6")
INITIALS = ("paper", "pumped")


@dataclass(frozen=True)
class RunSpec:
    """How one panel is integrated: run length, grid order, tolerance, start, integrator."""

    t_max: float
    order: int
    rtol: float
    initial: str = "paper"  # "paper": the state of Sect. II.C; "pumped": the unpaired steady state
    method: str = "auto"
    rtol_linear: float | None = None  # DynamicsOptions.rtol_linear (Magnus: the tiny-|Delta| phases)


#: Per (figure, panel): the full and the --quick run.  Figs. 4 and 5 converge by t ~ 8e3
#: (decay time of the relaxation oscillation ~650, slowest relaxation ~3e3), Fig. 6 ~100x
#: later: panel (a) creeps with the off-resonant populations (slowest relaxation 4.6e5);
#: panel (b) settles through a train of relaxation bursts (period 1.8e4, decay 1.7e5).
#: Panel (b) starts from the pumped unpaired state: from the state of Sect. II.C its seed
#: decays below 1e-300 (for ~2e5, out of reach of any double-precision integration, hence
#: not what the paper did) before the first burst at t ~ 4.5e5 (--initial paper shows it).
#: In the long collapses of Fig. 6 (|Delta| down to 1e-170) the pairing sector is linear and
#: the looser rtol_linear = 1e-2 only shifts the next burst (by ~1% of its time, measured)
#: for half the steps.
SETTINGS: dict[tuple, dict[str, RunSpec]] = {
    ("fig4", ""): {"full": RunSpec(15000.0, 4, 1e-6), "quick": RunSpec(4000.0, 3, 1e-5)},
    ("fig5", ""): {"full": RunSpec(6000.0, 4, 1e-6), "quick": RunSpec(3000.0, 3, 1e-5)},
    ("fig6", "a"): {
        "full": RunSpec(3.0e6, 2, 1e-4, rtol_linear=1e-2),
        "quick": RunSpec(5.0e4, 2, 1e-3, rtol_linear=1e-2),
    },
    ("fig6", "b"): {
        "full": RunSpec(3.0e6, 2, 1e-4, "pumped", rtol_linear=1e-2),
        "quick": RunSpec(5.0e4, 2, 1e-3, "pumped", rtol_linear=1e-2),
    },
}


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("figure", choices=FIGS + ("all",), help="which figure (or all)")
    p.add_argument("--out", default="results", metavar="DIR", help="output directory (default: results)")
    p.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    p.add_argument("--quick", action="store_true", help="reduced grid and run length (smoke run)")
    p.add_argument("--quiet", action="store_true", help="no progress bars, no human summary")
    p.add_argument(
        "--method", default=None, help="integrator (default: auto -- DOP853 for Figs. 4-5, magnus4 for Fig. 6)"
    )
    p.add_argument("--t-max", type=float, default=None, metavar="T", help="override the run length of every curve")
    p.add_argument(
        "--initial",
        choices=INITIALS,
        default=None,
        help="start of every curve: 'paper' (Sect. II.C) or 'pumped' (default: per panel, see docs)",
    )
    p.add_argument(
        "--no-stability", action="store_true", help="skip the linear-stability analysis of the steady states"
    )


def _panels(fig: str) -> list[str]:
    """The panel keys of one figure (``""`` or ``"a"``, ``"b"``)."""
    from keldysh.paper.params import FIGURES

    return list(FIGURES[fig]["panels"])


def _spec(fig: str, panel: str, mode: str, args: argparse.Namespace) -> RunSpec:
    spec = SETTINGS[(fig, panel)][mode]
    changes: dict[str, Any] = {}
    if args.t_max is not None:
        if not (math.isfinite(args.t_max) and args.t_max > 0):
            raise ParameterError("t-max", f"must be > 0 (got {args.t_max})")
        changes["t_max"] = float(args.t_max)
    if args.method:
        changes["method"] = args.method
    if args.initial:
        changes["initial"] = args.initial
    return replace(spec, **changes) if changes else spec


def _panel(
    fig: str, panel: str, preset_name: str, Vs: tuple, mode: str, args: argparse.Namespace
) -> list[dict[str, Any]]:
    """Integrate every coupling of one panel (batched) and compare with the steady states."""
    from keldysh.paper.analytic import delta_eq23
    from keldysh.paper.params import preset
    from keldysh.paper.quadrature import momentum_grid
    from keldysh.paper.solvers.dynamics import relaxation_fit, simulate_many, steady_anomalous
    from keldysh.paper.solvers.gap import solve_gap
    from keldysh.paper.solvers.stability import linear_stability

    model = preset(preset_name)
    spec = _spec(fig, panel, mode, args)
    grid = momentum_grid(model, order=spec.order)
    progress = False if args.quiet else None
    runs = simulate_many(
        model,
        [float(V) for V in Vs],
        t_max=spec.t_max,
        grid=grid,
        progress=progress,
        initial=None if spec.initial == "paper" else spec.initial,
        options={"order": spec.order, "rtol": spec.rtol, "method": spec.method, "rtol_linear": spec.rtol_linear},
    )
    curves = []
    for V, res in zip(Vs, runs):
        V = float(V)
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
        stab: dict[str, Any] = {}
        if not args.no_stability and master.delta > 0:
            st = linear_stability(model, V, grid=grid, delta=master.delta)
            fit = relaxation_fit(res.times, res.abs_Delta, final=master.delta)
            stab = {
                "stable": st.stable,
                "phase_mode": abs(st.phase_mode) if st.phase_mode is not None else None,
                "relaxation_period_linear": st.oscillation["period"],
                "relaxation_time_linear": st.oscillation["decay_time"],
                "slowest_relaxation_linear": st.slowest_decay_time,
                "relaxation_period_dynamics": fit["period"] if fit else None,
                "relaxation_time_dynamics": fit["decay_time"] if fit else None,
            }
        label = f"V = {V:g}" + (f" ({panel})" if panel else "")
        curves.append(
            {
                "figure": fig,
                "panel": panel,
                "preset": preset_name,
                "label": label,
                "V": V,
                "Omega": model.Omega,
                "Gamma": model.Gamma,
                "gamma2": model.gamma2,
                "initial": spec.initial,
                "delta_final": res.delta_final,
                "t_converged": res.t_converged,
                "delta_steady_state": master.delta,
                "V_c_master": master.V_c,
                "delta_eq23": d23,
                "delta_eq23_cutoff": d23c,
                "delta_eq19": eq19.delta,
                "V_c_eq19": eq19.V_c,
                "relative_difference": (res.delta_final / master.delta - 1.0) if master.delta > 0 else None,
                "delta_average_last_10pct": res.delta_average(0.1),
                "relative_difference_average": (res.delta_average(0.1) / master.delta - 1.0)
                if master.delta > 0
                else None,
                "s21_max_relative_deviation": s_dev,
                **stab,
                "t_max": spec.t_max,
                "t_end": float(res.times[-1]),
                "method": res.options.method,
                "rtol": res.options.rtol,
                "nodes": int(grid.size),
                "steps": res.diagnostics.get("steps"),
                "seconds": res.diagnostics.get("seconds"),
                "physical": res.diagnostics.get("physical"),
                "nambu_min_eig": res.diagnostics.get("nambu_min_eig"),
                "nambu_max_eig": res.diagnostics.get("nambu_max_eig"),
                # arrays for the files (dropped from the JSON summary)
                "_times": res.times,
                "_Delta": res.Delta,
                "_q": grid.q,
                "_s21": res.s21,
                "_s21_eq10": s_eq10,
            }
        )
    return curves


def _complete_condition(fig: str, mode: str, out: Path, curves: list[dict[str, Any]], t_limit: float) -> dict[str, Any]:
    """Fig. 4 seen with the complete self-consistency (docs/meanfield.md): the paper's model rebuilt on
    the engine, both conditions at V = 5, and the full Eq. (17) dynamics started at the in-phase |Delta|."""
    from keldysh.meanfield import simulate, solve_gap
    from keldysh.models.laser import laser_model, laser_values
    from keldysh.paper import params
    from keldysh.paper.results_plot import write_csv
    from keldysh.plotting import COLORS, math_number, new_figure, save_figure, style, time_scale

    preset_name, Vs = params.FIGURES[fig]["panels"][""]
    V = max(Vs)
    model, values = laser_model(), laser_values(params.preset(preset_name))
    ip = solve_gap(model, V, values, condition="in-phase")
    cp = solve_gap(model, V, values, condition="complete")
    t_max = min(1000.0 if mode == "quick" else 3000.0, t_limit)  # |Delta| reaches rounding by t ~ 2500
    run = simulate(model, V, values, t_max=t_max, Delta0=ip.delta, samples=301, rtol=1e-7)
    absd = np.abs(run.Delta)
    name = f"{fig}_V{V:g}_complete_delta.csv"
    write_csv(out / name, ["t", "abs_Delta", "Re_Delta", "Im_Delta"], [run.times, absd, run.Delta.real, run.Delta.imag])
    paper = next((c for c in curves if c["V"] == V), None)
    # the window of the decay of Eq. (17) and as long again of the in-phase run settled
    t_end = max(float(run.times[-1]), min(2 * float(run.times[-1]), float(paper["_times"][-1]) if paper else 0.0))
    t_factor, t_label = time_scale(t_end)
    with style():
        figure = new_figure(5.2, 3.6)
        ax = figure.subplots()
        if paper is not None:
            a = np.abs(paper["_Delta"])
            keep = paper["_times"] <= t_end
            ax.plot(
                paper["_times"][keep] / t_factor,
                np.where(a > 0, a, np.nan)[keep],
                color=COLORS[0],
                label="Eq. (18), in-phase projection (the paper's)",
            )
        ax.plot(
            run.times / t_factor,
            np.where(absd > 0, absd, np.nan),
            color=COLORS[1],
            label=r"Eq. (17) in full, from the in-phase $|\Delta|$",
        )
        ax.axhline(ip.delta, color="k", ls=":", lw=1.3, label=rf"in-phase gap equation, $|\Delta| = {ip.delta:.4g}$")
        ax.set_yscale("log")
        ax.set_xlim(0, t_end / t_factor)
        ax.set_xlabel(t_label)
        ax.set_ylabel(r"$|\Delta(t)|$, log scale")
        cond = "no solution" if cp.delta == 0 else rf"$|\Delta| = {math_number(cp.delta)}$"
        ax.set_title(
            rf"{fig[:3].capitalize()}. {fig[3:]}, $V = {V:g}$: dynamics under the two self-consistencies"
            + "\n"
            + rf"(complete condition, Eq. (17): {cond})"
        )
        figure.legend(loc="outside lower center", ncols=1)
        paths = save_figure(figure, out / f"{fig}_complete")
    return {
        "V": V,
        "delta_in_phase": ip.delta,
        "delta_complete": cp.delta,
        "reason_complete": cp.reason,
        "full_dynamics_final_abs_Delta": float(absd[-1]),
        "t_max": t_max,
        "files": [name] + [p.name for p in paths],
    }


def _plot(fig: str, curves: list[dict[str, Any]], out: Path) -> list[Path]:
    """The figure files (PNG and PDF) of one figure from its curves (with their arrays)."""
    from keldysh.paper.results_plot import figure_delta_panels, figure_delta_s21, figure_s21_panels
    from keldysh.plotting import math_number

    plot_curves = [
        dict(
            times=c["_times"],
            abs_Delta=np.abs(c["_Delta"]),
            label=rf"$V = {c['V']:g}$",
            delta_eq23_cutoff=c["delta_eq23_cutoff"],
            delta_steady_state=c["delta_steady_state"],
            q=c["_q"],
            s21=c["_s21"],
            s21_eq10=c["_s21_eq10"],
        )
        for c in curves
    ]
    m0 = curves[0]
    head = f"{fig[:3].capitalize()}. {fig[3:]}"
    if fig == "fig6":
        panels = []
        for c, pc in zip(curves, plot_curves):
            pc["delta_eq23_cutoff"] = None  # Eq. (23) assumes Omega >> Gamma: not drawn for Fig. 6
            pc["label"] = r"dynamics, Eqs. (9), (18)"
            start = "state of Sect. II.C" if c["initial"] == "paper" else "pumped unpaired state"
            panels.append(
                {
                    "title": rf"({c['panel']}) $\Omega = {math_number(c['Omega'])}$, start: {start}",
                    "curves": [pc],
                }
            )
        caption = (
            rf"{head}: $\Gamma = {math_number(m0['Gamma'])}$, $\gamma_2 = {math_number(m0['gamma2'])}$, "
            rf"$V = {m0['V']:g}$"
        )
        paths = figure_delta_panels(out / fig, panels, caption)
        paths += figure_s21_panels(
            out / f"{fig}_s21",
            [{**p, "title": p["title"].split(",")[0]} for p in panels],
            caption + r": $\tilde s^{21}_q$ at the end of the run",
            qmax=0.05,
        )
    else:
        caption = (
            rf"{head}: $\Omega = {math_number(m0['Omega'])}$, $\Gamma = {math_number(m0['Gamma'])}$, "
            rf"$\gamma_2 = {math_number(m0['gamma2'])}$"
        )
        sc = [pc for pc, c in zip(plot_curves, curves) if c["delta_steady_state"] > 0] or plot_curves
        paths = figure_delta_s21(out / fig, plot_curves, caption, s21_curves=sc, qmax=0.06)
    return paths


def _figure(fig: str, mode: str, out: Path, args: argparse.Namespace) -> dict[str, Any]:
    from keldysh.paper.params import FIGURES
    from keldysh.paper.results_plot import write_csv

    curves: list[dict[str, Any]] = []
    for panel, (preset_name, Vs) in FIGURES[fig]["panels"].items():
        curves += _panel(fig, panel, preset_name, tuple(Vs), mode, args)
    files: list[str] = []
    for c in curves:
        tag = f"{fig}{c['panel']}_V{c['V']:g}"
        files.append(
            write_csv(
                out / f"{tag}_delta.csv",
                ["t", "abs_Delta", "Re_Delta", "Im_Delta"],
                [c["_times"], np.abs(c["_Delta"]), c["_Delta"].real, c["_Delta"].imag],
            ).name
        )
        files.append(
            write_csv(
                out / f"{tag}_s21.csv",
                ["q", "Re_s21_dynamics", "Im_s21_dynamics", "Re_s21_eq10", "Im_s21_eq10"],
                [c["_q"], c["_s21"].real, c["_s21"].imag, c["_s21_eq10"].real, c["_s21_eq10"].imag],
            ).name
        )
    paths = _plot(fig, curves, out)
    files += [p.name for p in paths]
    result: dict[str, Any] = {}
    if fig == "fig4":  # the paper's prescription and the complete condition side by side
        cc = _complete_condition(fig, mode, out, curves, _spec(fig, "", mode, args).t_max)
        files += cc.pop("files")
        result["complete_condition"] = cc
    checks = _checks(fig, curves, result.get("complete_condition"), _reference(args, mode))
    clean = [{k: v for k, v in c.items() if not k.startswith("_")} for c in curves]
    return {"curves": clean, "files": files, **result, "checks": checks}


# ----------------------------------------------------------------------------- agreement checks
def _reference(args: argparse.Namespace, mode: str) -> bool:
    """Whether the run uses the reference settings (full length, default integrator and start)."""
    return mode == "full" and args.t_max is None and not args.method and not args.initial


def _human(summary: dict[str, Any]) -> str:
    lines = []
    for fig, blk in summary.items():
        lines.append(f"{fig}:")
        for c in blk["curves"]:
            tc = "never (1%)" if c["t_converged"] is None else f"{c['t_converged']:.4g}"
            rel = (
                ""
                if c["relative_difference"] is None
                else (
                    f" ({c['relative_difference']:+.1e}; average over the last 10%: {c['relative_difference_average']:+.1e})"
                )
            )
            dev = (
                ""
                if c["s21_max_relative_deviation"] is None
                else f"; s21 vs Eq. (10): {c['s21_max_relative_deviation']:.1e}"
            )
            lines.append(
                f"  {c['label']:>14}: |Delta|(t={c['t_end']:.3g}) = {c['delta_final']:.6g}; exact gap eq. {c['delta_steady_state']:.6g}{rel}; "
                f"Eq. (23) (cutoff V_c) {c['delta_eq23_cutoff']:.4g}; converged at t = {tc}{dev}; {c['seconds']:.1f} s"
            )
            if c.get("relaxation_period_linear") is not None:
                pd, td = c.get("relaxation_period_dynamics"), c.get("relaxation_time_dynamics")
                fitted = "not resolved" if pd is None else f"period {pd:.4g}, decay time {td:.4g}"
                lines.append(
                    f"  {'':>14}  approach: linearised Eqs. (9) + (18): period {c['relaxation_period_linear']:.4g}, decay time "
                    f"{c['relaxation_time_linear']:.4g} (slowest {c['slowest_relaxation_linear']:.3g}); dynamics: {fitted}"
                )
        cc = blk.get("complete_condition")
        if cc:
            lines.append(
                f"  complete condition (Eq. (17) in full), V = {cc['V']:g}: |Delta| = {cc['delta_complete']:g} "
                f"({cc['reason_complete'] or 'superconducting'}); in-phase {cc['delta_in_phase']:.6g}; the full "
                f"dynamics from the in-phase state reaches |Delta| = {cc['full_dynamics_final_abs_Delta']:.2e} at t = {cc['t_max']:g}"
            )
        counts = {s: sum(ch["status"] == s for ch in blk["checks"]) for s in ("pass", "skip", "fail")}
        skipped = f", {counts['skip']} skipped (run shortened or changed)" if counts["skip"] else ""
        lines.append(f"  checks: {counts['pass']} passed, {counts['fail']} failed{skipped}")
        lines.append(f"  files: {', '.join(blk['files'])}")
    return "\n".join(lines)


def _parameters(fig: str, mode: str, args: argparse.Namespace) -> dict[str, Any]:
    """What a figure was computed with: the options, and per panel the preset, couplings, model and run."""
    from keldysh.paper.params import FIGURES, preset

    return {
        "mode": mode,
        "reference": _reference(args, mode),
        "t_max": args.t_max,
        "method": args.method or "auto",
        "initial": args.initial,
        "stability": not args.no_stability,
        "panels": {
            panel: {
                "preset": preset_name,
                "V": [float(V) for V in Vs],
                "model": preset(preset_name).to_dict(),
                "run": asdict(_spec(fig, panel, mode, args)),
            }
            for panel, (preset_name, Vs) in FIGURES[fig]["panels"].items()
        },
        "tolerances": dict(TOLERANCES),
    }


def run(args: argparse.Namespace) -> int:
    from keldysh._version import __version__
    from keldysh.paper.solvers.dynamics import DynamicsOptions
    from keldysh.results import utc_now

    if args.method is not None:
        DynamicsOptions.make(method=args.method)  # validate early (ParameterError -> exit 2)
    if not str(args.out).strip():
        raise ParameterError("out", "must name a directory (got an empty string)")
    out = Path(args.out)
    figs = FIGS if args.figure == "all" else (args.figure,)
    mode = "quick" if args.quick else "full"
    for fig in figs:  # validate every option before anything is created
        for panel in _panels(fig):
            _spec(fig, panel, mode, args)
    missing = [p for p in (out, *out.parents) if not os.path.lexists(p)]  # what mkdir creates
    try:
        out.mkdir(parents=True, exist_ok=True)
    except (OSError, ValueError) as exc:  # ValueError: a NUL character (possible through the Python API)
        for p in missing:  # innermost first: a failed run leaves no folder behind
            with contextlib.suppress(OSError, ValueError):
                p.rmdir()
        why = getattr(exc, "strerror", None) or str(exc)
        raise ParameterError("out", f"cannot create {str(out)[:60]!r}: {why}") from None
    t0 = time.perf_counter()
    summary: dict[str, Any] = {}
    for fig in figs:
        started = utc_now()
        blk = _figure(fig, mode, out, args)
        summary[fig] = {
            "version": __version__,
            "started": started,
            "finished": utc_now(),
            "parameters": _parameters(fig, mode, args),
            **blk,
        }
    # merge with an existing summary so `reproduce fig4` then `reproduce fig6` keeps both
    from keldysh.fileio import atomic_write_text, locked
    from keldysh.paper.solvers.dynamics import _clean

    path = out / "summary.json"
    with locked(out):  # concurrent runs into one folder merge one after the other
        merged: dict[str, Any] = {}
        if path.exists():
            try:
                merged = json.loads(path.read_text())
            except (OSError, ValueError):
                merged = {}
        merged.update(summary)
        atomic_write_text(path, json.dumps(_clean(merged), indent=2, allow_nan=False) + "\n")
    if args.json:
        sys.stdout.write(json.dumps(_clean(summary), indent=2, allow_nan=False) + "\n")
    elif not args.quiet:
        print(_human(summary))
        print(f"summary: {path}  ({time.perf_counter() - t0:.1f} s)")
    failed = [chk for blk in summary.values() for chk in blk["checks"] if chk["status"] == "fail"]
    for chk in failed:
        sys.stderr.write(_failure_line(chk) + "\n")
    return 1 if failed else 0
