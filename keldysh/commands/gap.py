"""``keldysh gap``: solve the self-consistent gap equation (Eqs. 18-19, 51-55)."""

from __future__ import annotations

import argparse

from ._common import add_model_arguments, model_from_args, print_json, _float

NAME = "gap"
ORDER = 10
HELP = "solve the gap equation for |Delta| and the threshold V_c"
DESCRIPTION = (
    "Solve the self-consistent gap equation of the laser-driven two-band model for |Delta|, "
    "with the threshold V_c at the given cutoff.  Methods: master (exact steady-state "
    "populations, Eq. 18), eq19 (populations of Eq. 13, i.e. Eq. 19), keldysh (resummed "
    "ring diagrams, Eqs. 51-53), keldysh-eq55 (linear + cubic truncation, Eq. 55).  Flags "
    "override the preset.  V > 0 is attractive."
)

METHODS = ("master", "eq19", "keldysh", "keldysh-eq55")


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_model_arguments(p)
    p.add_argument("--V", type=_float, default=5.0, metavar="X", help="interaction strength (default 5; V > 0 attractive)")
    p.add_argument("--method", choices=METHODS, default="master", help="route to the gap equation (default master)")
    p.add_argument("--json", action="store_true", help="print one JSON object")


def run(args: argparse.Namespace) -> int:
    from ..solvers.gap import solve_gap

    model = model_from_args(args)
    res = solve_gap(model, args.V, args.method)
    if args.json:
        print_json(res.to_json())
    else:
        print(res)
    return 0
