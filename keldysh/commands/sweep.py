"""``keldysh sweep``: phase diagrams -- the gap equation or the dynamics over a grid of parameters."""

from __future__ import annotations

import argparse
import sys

from keldysh.commands._common import _float, print_json, progress_enabled

NAME = "sweep"
ORDER = 15
HELP = "phase diagrams: |Delta| (or the dynamics) over any parameters, into a Zarr store"
DESCRIPTION = (
    "Sweep the self-consistent gap (or the dynamics) over one or more axes and write a labelled "
    "Zarr store (xarray.open_zarr) chunk by chunk: every finished chunk is kept, --resume computes "
    "only what is missing.  Every point equals the single `keldysh gap` call at the same parameters.  "
    "An axis is NAME=START:STOP:NUM (inclusive, as numpy.linspace) or NAME=a,b,c; NAME is V, a field "
    "of the preset's model (Omega, gamma2, Gamma, T, kmax, ...) or a parameter of a FILE.py:NAME model.  "
    "Parallel on Dask: --workers N (local cluster) or --scheduler tcp://HOST:PORT."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    src = p.add_mutually_exclusive_group()
    src.add_argument(
        "--preset",
        default=None,
        metavar="NAME",
        help="a paper model: fig4 (default), fig5, fig6, fig6a, fig6b (Sect. II), pumping, pumping-dephased "
        "(Sect. III), fig10 (Appendix)",
    )
    src.add_argument(
        "--model",
        default=None,
        metavar="FILE.py:NAME",
        help="a kd.MeanFieldModel named NAME in your file (its parameters via --param)",
    )
    p.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=X",
        help="a fixed parameter (repeatable): a model field of the preset, a parameter of FILE.py:NAME, or V "
        "(default V = 5 when V is not an axis)",
    )
    p.add_argument(
        "--axis",
        action="append",
        default=[],
        metavar="NAME=SPEC",
        help="an axis (repeatable, the last is innermost): NAME=START:STOP:NUM or NAME=a,b,c",
    )
    p.add_argument(
        "--condition",
        action="append",
        default=None,
        metavar="complete|in-phase",
        help="self-consistency: complete (default, as `keldysh gap`: |Delta| and omega from both parts of Eq. (17); "
        "the paper's models through their engine form) or in-phase (Eq. (18), the paper's prescription); "
        "both (repeat, or complete,in-phase) for side-by-side diagrams; --kind dynamics of a preset: in-phase "
        "projects with Eq. (18) (default, as kd.simulate), complete integrates the full Eq. (17)",
    )
    p.add_argument("--kind", choices=("gap", "dynamics"), default="gap", help="gap (default) or dynamics")
    p.add_argument(
        "--method",
        default=None,
        help="route, as `keldysh gap`: master (default) or keldysh for the complete condition and FILE.py:NAME "
        "models; master, eq19, keldysh, keldysh-eq55 (Sect. II) or exact, printed (Sect. III) for in-phase",
    )
    p.add_argument(
        "--t-max", type=_float, default=None, metavar="T", help="--kind dynamics: length of each run (required)"
    )
    p.add_argument("--out", required=True, metavar="DIR.zarr", help="the Zarr store (created, or continued)")
    ex = p.add_mutually_exclusive_group()
    ex.add_argument("--workers", type=int, default=None, metavar="N", help="a local Dask cluster of N processes")
    ex.add_argument("--scheduler", default=None, metavar="tcp://HOST:PORT", help="join an existing Dask cluster")
    p.add_argument("--resume", action="store_true", help="continue an existing store (only missing chunks)")
    p.add_argument("--chunk", type=int, default=None, metavar="N", help="points per task (default by model)")
    p.add_argument("--plot", default=None, metavar="FILE.png", help="write the phase diagram")
    p.add_argument("--json", action="store_true", help="print one JSON summary")
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def _preset(name: str):
    from keldysh.errors import ParameterError
    from keldysh.paper import pumping, threeband
    from keldysh.paper.params import PRESETS

    table = {**PRESETS, **pumping.PRESETS, **threeband.PRESETS}
    if name not in table:
        raise ParameterError("preset", f"unknown preset {name!r}; choose one of {', '.join(sorted(table))}")
    return table[name]


def _conditions(given: list[str] | None) -> tuple[str, ...] | None:
    from keldysh.errors import ParameterError

    if not given:
        return None
    out: list[str] = []
    for item in given:
        for c in item.split(","):
            c = c.strip()
            if c == "both":
                out += ["complete", "in-phase"]
            elif c in ("complete", "in-phase"):
                out.append(c)
            else:
                raise ParameterError("condition", f"must be complete, in-phase or both (got {c!r})")
    return tuple(dict.fromkeys(out))


def run(args: argparse.Namespace) -> int:
    from keldysh.commands.gap import _params, _user_model
    from keldysh.errors import ParameterError
    from keldysh.sweeps.axes import parse_axis
    from keldysh.sweeps.core import build_job
    from keldysh.sweeps.run import run_sweep

    if not args.axis:
        raise ParameterError("axis", "give at least one --axis NAME=START:STOP:NUM (or NAME=a,b,c)")
    axes = [parse_axis(a) for a in args.axis]
    fixed = _params(args.param)
    if "V" not in fixed and "V" not in [a.name for a in axes]:
        fixed["V"] = 5.0  # as `keldysh gap`
    if args.model is not None:
        model = _user_model(args.model)
    else:
        model = _preset(args.preset or "fig4")
    job = build_job(
        model,
        None,
        _conditions(args.condition),
        args.kind,
        axes,
        fixed,
        method=args.method,
        t_max=args.t_max,
        chunk=args.chunk,
    )
    res = run_sweep(
        job,
        store=args.out,
        resume=args.resume,
        workers=args.workers,
        scheduler=args.scheduler,
        progress=progress_enabled(args),
        store_param="out",
    )
    if args.plot:
        from keldysh.sweeps.plot import plot_sweep

        plot_sweep(res.dataset, args.plot)
        res.extra["plot"] = args.plot
    if args.json:
        print_json(res.to_json())
    else:
        info = res.to_json()
        dims = " x ".join(f"{d} ({n})" for d, n in info["dims"].items())
        sc = info.get("superconducting_points")
        sc_txt = ""
        if isinstance(sc, dict):
            sc_txt = "; superconducting: " + ", ".join(f"{c} {n}" for c, n in sc.items())
        elif sc is not None:
            sc_txt = f"; superconducting: {sc}"
        err = f"; {info['errors']} points failed (reason 'error: ...')" if info.get("errors") else ""
        sys.stdout.write(
            f"{res.store}: {info['kind']} over {dims}, {res.points} points ({res.computed_points} computed now, "
            f"{res.points - res.computed_points} from the store){sc_txt}{err}; {res.executor}, {res.seconds:.1f} s\n"
        )
        if args.plot:
            sys.stdout.write(f"phase diagram: {args.plot}\n")
    return 0
