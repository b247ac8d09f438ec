"""The one matplotlib style of the package's figures, and small helpers for labelled axes.

``keldysh reproduce`` and the scripts in ``docs/figures`` draw with :data:`STYLE` (through
:func:`style`, a :func:`matplotlib.rc_context`); the ``.plot(ax=...)`` methods of the result
objects draw into the caller's axes with the caller's style.  Nothing here selects a backend:
figures written to files are :class:`matplotlib.figure.Figure` objects (see :func:`new_figure`),
which need no backend and no pyplot, and matplotlib is imported only when a function is called.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

__all__ = ["STYLE", "style", "new_figure", "save_figure", "time_scale", "math_number", "spans_decades"]

#: Colour-blind safe cycle (Okabe-Ito without yellow); the paper's colour coding is by coupling.
COLORS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#56B4E9", "#E69F00", "#000000")

#: rcParams of every figure the package writes.
STYLE: dict[str, Any] = {
    "font.size": 9.0,
    "axes.titlesize": 9.5,
    "axes.labelsize": 9.5,
    "xtick.labelsize": 8.5,
    "ytick.labelsize": 8.5,
    "legend.fontsize": 8.0,
    "figure.titlesize": 10.5,
    "font.family": "serif",
    "font.serif": ["STIXGeneral", "DejaVu Serif"],
    "mathtext.fontset": "stix",
    "axes.linewidth": 0.8,
    "lines.linewidth": 1.4,
    "lines.markersize": 4.0,
    "xtick.direction": "in",
    "ytick.direction": "in",
    "xtick.top": True,
    "ytick.right": True,
    "xtick.minor.visible": True,
    "ytick.minor.visible": True,
    "legend.frameon": False,
    "legend.handlelength": 2.4,
    # no "1e6" offsets: time axes are scaled explicitly and labelled t / 10^n (time_scale)
    "axes.formatter.useoffset": False,
    "axes.formatter.use_mathtext": True,
    "axes.formatter.limits": (-3, 4),
    "savefig.dpi": 200,
    "savefig.bbox": "tight",
    "savefig.pad_inches": 0.04,
    "pdf.fonttype": 42,
}


def _cycle() -> Any:
    from cycler import cycler

    return cycler(color=list(COLORS))


@contextlib.contextmanager
def style() -> Iterator[None]:
    """Context in which new figures use :data:`STYLE` (``matplotlib.rc_context``)."""
    import matplotlib

    with matplotlib.rc_context({**STYLE, "axes.prop_cycle": _cycle()}):
        yield


def new_figure(width: float = 7.0, height: float = 3.0) -> Any:
    """A :class:`matplotlib.figure.Figure` with constrained layout (no pyplot, no backend).

    Call inside :func:`style` so that it and its axes take the package's style.
    """
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def save_figure(fig: Any, stem: Path | str, formats: tuple[str, ...] = ("png", "pdf")) -> list[Path]:
    """Write ``fig`` as ``stem.png``, ``stem.pdf`` (atomically); returns the paths."""
    from keldysh.fileio import atomic_path

    stem = Path(stem)
    paths = []
    for fmt in formats:
        path = stem.with_name(f"{stem.name}.{fmt}")
        with atomic_path(path) as tmp:
            fig.savefig(tmp, format=fmt)
        paths.append(path)
    return paths


def time_scale(t_max: float) -> tuple[float, str]:
    """``(factor, label)`` for a time axis up to ``t_max``: plot ``t / factor`` under ``label``.

    Below ``10^4`` the factor is 1 and the label ``$t$``; above, a power of ``10^3`` such that
    the ticks read 0..999 (``$t\\;/\\;10^{6}$`` for runs to a few million).  Times are in the
    paper's dimensionless units (hbar = 1, energies in the units of the model parameters).
    """
    if not (math.isfinite(t_max) and t_max >= 1e4):
        return 1.0, "$t$"
    p = 3 * int(math.floor(math.log10(t_max) / 3))
    return 10.0**p, rf"$t\;/\;10^{{{p}}}$"


def math_number(x: float, digits: int = 3) -> str:
    """A number as math text: ``0.5``, ``10^{-2}``, ``2\\times10^{-3}`` (no ``$``).

    Powers of ten below 0.1 or above 100 are written as such, as in the paper's captions.
    """
    x = float(x)
    if x == 0 or not math.isfinite(x):
        return f"{x:g}"
    e = int(math.floor(math.log10(abs(x))))
    m = x / 10.0**e
    if abs(abs(m) - 1) < 1e-9 and not -1 <= e <= 2:
        return rf"{'-' if m < 0 else ''}10^{{{e}}}"
    if -2 <= e <= 3:
        return f"{x:.{digits}g}"
    return rf"{m:.{digits}g}\times10^{{{e}}}"


def spans_decades(values: Any, decades: float = 3.0) -> bool:
    """Whether the positive finite ``values`` span more than ``decades`` powers of ten."""
    import numpy as np

    v = np.abs(np.asarray(values, dtype=float))
    v = v[np.isfinite(v) & (v > 0)]
    return bool(v.size >= 2 and math.log10(v.max() / v.min()) > decades)
