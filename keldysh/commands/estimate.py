"""``keldysh estimate``: the Conclusions' threshold estimate in physical units (Eqs. (22), (44))."""

from __future__ import annotations

import argparse

from keldysh.commands._common import _float, print_json

NAME = "estimate"
ORDER = 40
HELP = "the Conclusions' threshold estimate |V| N0 |v_-| / sqrt(|kappa| Gamma) in physical units"
DESCRIPTION = (
    "Evaluate the threshold ratio |V| N0 |v_-| / (|kappa|^1/2 Gamma^1/2) of the Conclusions "
    "(Eqs. (22) and (44) without their sqrt(2)/pi) from physical inputs, and say whether it exceeds 1.  "
    "Defaults are the paper's numbers: kappa = 1e-6 eV^-1 c^2, Gamma = 1e-3 eV, |v_-| = 1e-2 c, "
    "|V| N0 = 0.2, giving 0.2 x 10^2.5 = 63.  The ratio with the exact prefactor pi/sqrt(2) "
    "(= |V|/V_c at infinite cutoff) is printed too."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    g = p.add_mutually_exclusive_group()
    g.add_argument(
        "--kappa",
        type=_float,
        default=None,
        metavar="X",
        help="band curvature kappa_+ in eV^-1 c^2, E[eV] = kappa p[eV/c]^2 (default 1e-6)",
    )
    g.add_argument(
        "--m-eff",
        type=_float,
        default=None,
        metavar="X",
        help="alternatively an effective mass m*/m_e, kappa = hbar^2/(2 m*)",
    )
    p.add_argument(
        "--Gamma-eV", type=_float, default=1e-3, metavar="X", help="decay rate Gamma (or Gamma_12) in eV (default 1e-3)"
    )
    p.add_argument("--v-minus-c", type=_float, default=1e-2, metavar="X", help="|v_-| in units of c (default 1e-2)")
    p.add_argument(
        "--VN0", type=_float, default=0.2, metavar="X", help="dimensionless coupling |V| N0 (default 0.2, BCS-like)"
    )
    p.add_argument("--json", action="store_true", help="print one JSON object")


def run(args: argparse.Namespace) -> int:
    from keldysh.errors import ParameterError, check_finite
    from keldysh.paper.units import ME_C2_EV, conclusions_estimate

    if args.m_eff is not None:
        m = check_finite("m_eff", args.m_eff)
        if m == 0:
            raise ParameterError("m_eff", "must be non-zero")
        kappa = 1.0 / (2.0 * abs(m) * ME_C2_EV)
    else:
        kappa = 1e-6 if args.kappa is None else args.kappa
    try:
        est = conclusions_estimate(
            VN0=args.VN0, kappa_eV_inv_c2=kappa, Gamma_eV=args.Gamma_eV, v_minus_c=args.v_minus_c
        )
    except ParameterError as exc:  # report the command-line flag
        flags = {
            "kappa_eV_inv_c2": "m-eff" if args.m_eff is not None else "kappa",
            "Gamma_eV": "Gamma-eV",
            "v_minus_c": "v-minus-c",
        }
        raise ParameterError(flags.get(exc.param, exc.param), str(exc).split(": ", 1)[1]) from None
    if args.json:
        print_json(est.to_json())
    else:
        print(est)
    return 0
