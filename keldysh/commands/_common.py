"""Shared command-line helpers: model flags, JSON output, progress bars."""

from __future__ import annotations

import argparse
import json
import math
import sys
from typing import Any

from keldysh.errors import ParameterError
from keldysh.paper.params import PRESETS, LaserModel, preset

#: CLI flag -> (LaserModel.replace keyword, help)
MODEL_FLAGS = {
    "--v-minus": ("v_minus", "v_- = v2 - v1 (Sect. II.B.1)"),
    "--v-plus": ("v_plus", "v_+ = v2 + v1"),
    "--kappa-plus": ("kappa_plus", "kappa_+ = kappa2 + kappa1"),
    "--kappa-minus": ("kappa_minus", "kappa_- = kappa2 - kappa1"),
    "--Omega": ("Omega", "Rabi frequency"),
    "--Gamma": ("Gamma", "Gamma = Gamma1 + Gamma2 (amplitude decay rate of coherences)"),
    "--gamma2": ("gamma2", "gamma2 = Gamma2/Gamma, in (0, 1)"),
    "--T": ("T", "reservoir temperature (needs --omega0 when > 0)"),
    "--omega0": ("omega0", "laser frequency (lab-frame energies for n_F)"),
    "--kmax": ("kmax", "momentum cutoff |q| <= kmax"),
}


def _float(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid number: {text!r}") from None


def add_model_arguments(p: argparse.ArgumentParser) -> None:
    """``--preset`` and the parameter flags of the Sect. II model."""
    p.add_argument(
        "--preset",
        default="fig4",
        help=f"parameter set of a figure caption ({', '.join(sorted(PRESETS))}); default fig4",
    )
    for flag, (_, hlp) in MODEL_FLAGS.items():
        p.add_argument(flag, type=_float, default=None, metavar="X", help=hlp)
    p.add_argument(
        "--E1",
        default=None,
        metavar="EXPR",
        help="general isotropic lab-frame dispersion of band 1 in k (needs --E2, --omega0)",
    )
    p.add_argument("--E2", default=None, metavar="EXPR", help="general isotropic lab-frame dispersion of band 2 in k")
    p.add_argument("--d", type=int, default=None, choices=(1, 2, 3), help="dimension of the isotropic model")


def model_from_args(args: argparse.Namespace) -> LaserModel:
    """The preset with the flags given on the command line applied (every value validated)."""
    m = preset(args.preset)
    changes = {}
    for flag, (key, _) in MODEL_FLAGS.items():
        val = getattr(args, flag.lstrip("-").replace("-", "_"))
        if val is not None:
            if not math.isfinite(val):
                raise ParameterError(key, f"must be finite (got {val!r})")
            changes[key] = val
    for key in ("E1", "E2", "d"):
        val = getattr(args, key, None)
        if val is not None:
            changes[key] = val
    return m.replace(**changes) if changes else m


def print_json(obj: Any) -> None:
    """Print one JSON object (NaN/inf are not valid JSON: they must be cleaned before)."""
    sys.stdout.write(json.dumps(obj, indent=2, allow_nan=False) + "\n")


def progress_enabled(args: argparse.Namespace) -> bool:
    """Progress bars go to stderr, only on a terminal and unless ``--quiet``."""
    return not getattr(args, "quiet", False) and sys.stderr.isatty()
