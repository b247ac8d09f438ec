"""The figures of Sect. II.C (Figs. 4-6) as ``keldysh reproduce`` writes them, and its CSV helper.

One file per figure (PNG and PDF) with the paper's panels side by side, drawn in the package
style (:mod:`keldysh.plotting`) on :class:`matplotlib.figure.Figure` objects: no pyplot, no
backend is selected, so importing or calling this module never changes how a notebook plots.

The panel functions :func:`draw_delta` and :func:`draw_s21` draw into any axes.  A curve is a
dict with ``times``, ``abs_Delta``, ``label`` and optionally ``delta_eq23_cutoff`` (Eq. (23) with
the cutoff-corrected ``V_c``, dashed), ``delta_steady_state`` (the exact gap equation, Eq. (18)
with the populations of Eq. (9), dotted), ``q``, ``s21`` (dynamics, complex) and ``s21_eq10``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from keldysh.plotting import COLORS, new_figure, save_figure, spans_decades, style, time_scale

__all__ = [
    "write_csv",
    "draw_delta",
    "draw_s21",
    "figure_delta_s21",
    "figure_delta_panels",
    "figure_s21_panels",
]

_EQ23 = dict(ls="--", lw=0.9)
_GAP = dict(ls=":", lw=1.3)


def write_csv(path: Path | str, header: Sequence[str], columns: Iterable[np.ndarray]) -> Path:
    """Write equal-length columns to ``path`` as CSV with a header row (atomically)."""
    from keldysh.fileio import atomic_path

    path = Path(path)
    cols = [np.asarray(c) for c in columns]
    with atomic_path(path) as tmp, tmp.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(list(header))
        for row in zip(*cols):
            w.writerow([f"{float(v):.12g}" for v in row])
    return path


def _t_max(curves: list[dict[str, Any]]) -> float:
    return max(float(np.max(c["times"])) for c in curves if len(c["times"]))


def draw_delta(ax: Any, curves: list[dict[str, Any]], *, log: bool = False, t_factor: float = 1.0) -> Any:
    """Panel (a) of Figs. 4-6: ``|Delta(t)|`` per curve, with the steady states as horizontal lines.

    Parameters
    ----------
    ax : matplotlib Axes
    curves : list of dict
        See the module docstring; curve ``i`` takes colour ``i`` of ``keldysh.plotting.COLORS``
        unless it has a ``color``.
    log : bool
        Logarithmic ``|Delta|`` axis (zeros are left out).
    t_factor : float
        The times are drawn divided by this (see :func:`keldysh.plotting.time_scale`).

    Returns
    -------
    matplotlib Axes
    """
    for i, c in enumerate(curves):
        col = c.get("color", COLORS[i % len(COLORS)])
        a = np.asarray(c["abs_Delta"], float)
        t = np.asarray(c["times"], float) / t_factor
        ax.plot(t, np.where(a > 0, a, np.nan) if log else a, color=col, lw=1.3, label=c["label"])
        if c.get("delta_eq23_cutoff"):
            ax.axhline(c["delta_eq23_cutoff"], color=col, **_EQ23)
        if c.get("delta_steady_state"):
            ax.axhline(c["delta_steady_state"], color=col, **_GAP)
    if log:
        _log_axis(ax, [c["abs_Delta"] for c in curves] + [[c.get("delta_steady_state") or np.nan] for c in curves])
        ax.set_ylabel(r"$|\Delta(t)|$, log scale")
    else:
        tops = [float(np.max(c["abs_Delta"])) for c in curves if len(c["abs_Delta"])]
        tops += [float(c.get("delta_eq23_cutoff") or 0) for c in curves]
        tops += [float(c.get("delta_steady_state") or 0) for c in curves]
        ax.set_ylim(0, 1.08 * max(tops + [1e-300]))
        ax.set_ylabel(r"$|\Delta(t)|$")
    t_end = _t_max(curves) / t_factor
    ax.set_xlim(0, t_end)
    return ax


def _log_axis(ax: Any, values: list[Any]) -> None:
    """Log scale fitted to the positive ``values``, ticks at round strides of decades (1, 2, 5, 10, ...)."""
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

    v = np.concatenate([np.abs(np.asarray(x, float)).ravel() for x in values])
    v = v[np.isfinite(v) & (v > 0)]
    ax.set_yscale("log")
    if v.size < 2:
        return
    lo, hi = np.log10(v.min()), np.log10(v.max())
    span = max(hi - lo, 1.0)
    bottom, top = max(lo - 0.04 * span, -300.0), min(hi + 0.06 * span, 300.0)  # stay within double range
    ax.set_ylim(10.0**bottom, 10.0**top)
    if span <= 12:
        return  # matplotlib's own decade ticks read well
    stride = next((s for s in (2, 5, 10, 20, 25, 50, 100, 200) if span / s <= 6), 200)
    first = int(np.ceil(bottom / stride)) * stride
    ticks = 10.0 ** np.arange(first, top + 1e-9, stride)
    ax.yaxis.set_major_locator(FixedLocator(ticks))
    ax.yaxis.set_minor_locator(NullLocator())
    ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _: rf"$10^{{{int(round(np.log10(y)))}}}$"))


def draw_s21(ax: Any, curves: list[dict[str, Any]], qmax: float | None = None) -> Any:
    """Panel (b) of Figs. 4-5: ``s21(q)`` from the dynamics (markers) against Eq. (10) (lines).

    Re: solid line and circles; Im: dash-dotted line and squares; colours as in :func:`draw_delta`.

    Returns
    -------
    matplotlib Axes
    """
    for i, c in enumerate(curves):
        col = c.get("color", COLORS[i % len(COLORS)])
        q = np.asarray(c["q"])
        sel = np.ones_like(q, bool) if qmax is None else np.abs(q) <= qmax
        qs = q[sel]
        ax.plot(qs, np.real(c["s21_eq10"])[sel], color=col, lw=1.2)
        ax.plot(qs, np.imag(c["s21_eq10"])[sel], color=col, lw=1.1, ls="-.")
        step = max(1, int(sel.sum()) // 45)
        ax.plot(qs[::step], np.real(c["s21"])[sel][::step], "o", color=col, ms=3.6, mfc="none", mew=0.8)
        ax.plot(qs[::step], np.imag(c["s21"])[sel][::step], "s", color=col, ms=3.2, mfc="none", mew=0.8)
    ax.axhline(0.0, color="0.6", lw=0.5, zorder=0)
    ax.set_xlabel("$q$")
    ax.set_ylabel(r"$\tilde s^{21}_q$")
    if qmax is not None:
        ax.set_xlim(-qmax, qmax)
    return ax


def _style_handles(curves: list[dict[str, Any]], *, s21: bool) -> list[Any]:
    from matplotlib.lines import Line2D

    h = []
    if any(c.get("delta_eq23_cutoff") for c in curves):
        h.append(Line2D([], [], color="k", label=r"Eq. (23), cutoff-corrected $V_c$", **_EQ23))
    if any(c.get("delta_steady_state") for c in curves):
        h.append(Line2D([], [], color="k", label="steady state (gap equation)", **_GAP))
    if s21:
        h.append(Line2D([], [], color="k", marker="o", mfc="none", ms=3.6, lw=1.2, label="Re: Eq. (10) / dynamics"))
        h.append(
            Line2D([], [], color="k", marker="s", mfc="none", ms=3.2, lw=1.1, ls="-.", label="Im: Eq. (10) / dynamics")
        )
    return h


def _curve_handles(curves: list[dict[str, Any]]) -> list[Any]:
    from matplotlib.lines import Line2D

    return [
        Line2D([], [], color=c.get("color", COLORS[i % len(COLORS)]), lw=1.3, label=c["label"])
        for i, c in enumerate(curves)
    ]


def _legend(fig: Any, rows: list[list[Any]]) -> Any:
    """One legend under the panels, one row of entries per list in ``rows`` (couplings, then line styles)."""
    from matplotlib.lines import Line2D

    rows = [r for r in rows if r]
    ncols = max(len(r) for r in rows)
    blank = Line2D([], [], linestyle="none", label=" ")
    grid = [r + [blank] * (ncols - len(r)) for r in rows]
    handles = [grid[i][j] for j in range(ncols) for i in range(len(grid))]  # legend fills column by column
    return fig.legend(handles=handles, labels=[h.get_label() for h in handles], loc="outside lower center", ncols=ncols)


def figure_delta_s21(
    stem: Path | str,
    curves: list[dict[str, Any]],
    title: str,
    *,
    s21_curves: list[dict[str, Any]] | None = None,
    qmax: float | None = None,
) -> list[Path]:
    """Figs. 4 and 5: (a) ``|Delta(t)|``, (b) ``s21(q)`` at the end of the run, side by side.

    When the curves of (a) span more than three decades (Fig. 4: ``V = 1 < V_c`` decays to
    ~1e-67) a logarithmic copy of (a) is drawn under it.  Writes ``stem.png`` and ``stem.pdf``.

    Returns
    -------
    list of Path
    """
    s21_curves = curves if s21_curves is None else s21_curves
    log = any(spans_decades(c["abs_Delta"]) for c in curves)
    t_factor, t_label = time_scale(_t_max(curves))
    with style():
        fig = new_figure(7.2, 4.9 if log else 3.5)
        if log:
            gs = fig.add_gridspec(2, 2, height_ratios=[3, 2])
            ax = fig.add_subplot(gs[0, 0])
            axl = fig.add_subplot(gs[1, 0], sharex=ax)
            bx = fig.add_subplot(gs[:, 1])
        else:
            ax, bx = fig.subplots(1, 2)
        draw_delta(ax, curves, t_factor=t_factor)
        if log:
            draw_delta(axl, curves, log=True, t_factor=t_factor)
            axl.set_xlabel(t_label)
            ax.tick_params(labelbottom=False)
        else:
            ax.set_xlabel(t_label)
        ax.set_title(r"(a) order parameter $|\Delta(t)|$")
        # s21 curves keep the colour of their coupling in (a)
        by_label = {c["label"]: COLORS[i % len(COLORS)] for i, c in enumerate(curves)}
        draw_s21(bx, [{**c, "color": by_label.get(c["label"], "k")} for c in s21_curves], qmax=qmax)
        bx.set_title(r"(b) $\tilde s^{21}_q$ at the end of the run")
        fig.suptitle(title)
        _legend(fig, [_curve_handles(curves), _style_handles(curves, s21=True)])
        paths = save_figure(fig, stem)
    return paths


def figure_delta_panels(stem: Path | str, panels: list[dict[str, Any]], title: str) -> list[Path]:
    """Fig. 6: one column per panel ((a), (b)), ``|Delta(t)|`` on a linear axis over a log one.

    Each panel dict has ``title`` and ``curves`` (see :func:`draw_delta`).  The collapses of
    ``|Delta|`` between the bursts of Fig. 6 span hundreds of decades: the log row shows them.
    Writes ``stem.png`` and ``stem.pdf``.

    Returns
    -------
    list of Path
    """
    t_factor, t_label = time_scale(max(_t_max(p["curves"]) for p in panels))
    with style():
        fig = new_figure(3.6 * len(panels), 4.9)
        axes = fig.subplots(2, len(panels), sharex="col", height_ratios=[3, 2], squeeze=False)
        for j, p in enumerate(panels):
            ax, axl = axes[0, j], axes[1, j]
            draw_delta(ax, p["curves"], t_factor=t_factor)
            draw_delta(axl, p["curves"], log=True, t_factor=t_factor)
            ax.set_title(p["title"])
            ax.tick_params(labelbottom=False)
            axl.set_xlabel(t_label)
        fig.suptitle(title)
        curves = [c for p in panels for c in p["curves"]]
        _legend(fig, [_curve_handles(panels[0]["curves"]) + _style_handles(curves, s21=False)])
        paths = save_figure(fig, stem)
    return paths


def figure_s21_panels(
    stem: Path | str, panels: list[dict[str, Any]], title: str, qmax: float | None = None
) -> list[Path]:
    """``s21(q)`` at the end of each panel's run against Eq. (10), panels side by side (Fig. 6).

    Returns
    -------
    list of Path
    """
    with style():
        fig = new_figure(3.6 * len(panels), 3.2)
        axes = fig.subplots(1, len(panels), squeeze=False)[0]
        for bx, p in zip(axes, panels):
            draw_s21(bx, p["curves"], qmax=qmax)
            bx.set_title(p["title"])
        fig.suptitle(title)
        _legend(fig, [_style_handles([], s21=True)])
        paths = save_figure(fig, stem)
    return paths
