"""Plotting and CSV helpers for the figures of Sect. II.C (Figs. 4-6).

matplotlib is imported lazily inside the functions, with the non-interactive Agg backend,
so ``import keldysh`` stays cheap and no display is needed.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["write_csv", "plot_delta_panel", "plot_s21_panel"]


def _pyplot():
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def _save(fig, path: Path | str) -> None:
    """Save a figure atomically (temporary file in the same folder, then rename)."""
    from keldysh.fileio import atomic_path

    path = Path(path)
    with atomic_path(path) as tmp:
        fig.savefig(tmp, dpi=120, format=path.suffix.lstrip(".") or "png")


def write_csv(path: Path | str, header: Sequence[str], columns: Iterable[np.ndarray]) -> Path:
    """Write equal-length columns to ``path`` as CSV with a header row."""
    from keldysh.fileio import atomic_path

    path = Path(path)
    cols = [np.asarray(c) for c in columns]
    with atomic_path(path) as tmp, tmp.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(list(header))
        for row in zip(*cols):
            w.writerow([f"{float(v):.12g}" for v in row])
    return path


def plot_delta_panel(
    path: Path | str, curves: list[dict[str, Any]], title: str, log: bool = False, log_companion: bool = False
) -> Path:
    """Panel (a) of Figs. 4-6: ``|Delta|(t)`` with horizontal lines for the steady states.

    Each curve dict needs ``times``, ``abs_Delta``, ``label``; optional horizontal lines
    ``delta_eq23_cutoff`` (Eq. 23 with the cutoff-corrected V_c, dashed) and
    ``delta_steady_state`` (exact gap equation, Eq. 18 with the populations of Eq. 9, dotted).
    ``log_companion=True`` adds a second, logarithmic axis below the linear one (Fig. 6:
    the collapses of |Delta| between the bursts span hundreds of decades).
    """
    plt = _pyplot()
    if log_companion:
        fig, (ax, axl) = plt.subplots(2, 1, figsize=(6.4, 6.0), sharex=True, gridspec_kw={"height_ratios": [3, 2]})
        for c in curves:
            a = np.asarray(c["abs_Delta"], float)
            axl.semilogy(c["times"], np.where(a > 0, a, np.nan), lw=1.0)
            if c.get("delta_steady_state"):
                axl.axhline(c["delta_steady_state"], color="k", ls=":", lw=1.0)
        axl.set_ylabel(r"$|\Delta(t)|$ (log)")
        axl.set_xlabel("$t$")
    else:
        fig, ax = plt.subplots(figsize=(6.4, 4.2))
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for i, c in enumerate(curves):
        col = colors[i % len(colors)]
        ax.plot(c["times"], c["abs_Delta"], color=col, lw=1.4, label=c["label"])
        if c.get("delta_eq23_cutoff"):
            ax.axhline(c["delta_eq23_cutoff"], color=col, ls="--", lw=0.9)
        if c.get("delta_steady_state"):
            ax.axhline(c["delta_steady_state"], color=col, ls=":", lw=1.2)
    if any(c.get("delta_eq23_cutoff") for c in curves):
        ax.plot([], [], "k--", lw=0.9, label="Eq. (23), cutoff-corrected $V_c$")
    ax.plot([], [], "k:", lw=1.2, label="exact gap equation (Eqs. 9, 18)")
    if log:
        ax.set_yscale("log")
    else:
        tops = [float(np.max(c["abs_Delta"])) for c in curves if len(c["abs_Delta"])]
        tops += [float(c.get("delta_eq23_cutoff") or 0) for c in curves]
        tops += [float(c.get("delta_steady_state") or 0) for c in curves]
        ax.set_ylim(0, 1.08 * max(tops + [1e-300]))
    if not log_companion:
        ax.set_xlabel("$t$")
    ax.set_ylabel(r"$|\Delta(t)|$")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8, loc="best")
    fig.tight_layout()
    path = Path(path)
    _save(fig, path)
    plt.close(fig)
    return path


def plot_s21_panel(path: Path | str, curves: list[dict[str, Any]], title: str, qmax: float | None = None) -> Path:
    """Panel (b) of Figs. 4-5: ``s21(q)`` from the dynamics (markers) against Eq. (10) (lines).

    Each curve dict needs ``q``, ``s21`` (dynamics, complex), ``s21_eq10`` (complex) and
    ``label``; Re and Im are drawn (Im dashed).
    """
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for i, c in enumerate(curves):
        col = colors[i % len(colors)]
        q = np.asarray(c["q"])
        sel = np.ones_like(q, bool) if qmax is None else np.abs(q) <= qmax
        ax.plot(q[sel], np.real(c["s21_eq10"])[sel], color=col, lw=1.2, label=f"{c['label']}: Re, Eq. (10)")
        ax.plot(q[sel], np.imag(c["s21_eq10"])[sel], color=col, lw=1.0, ls="--", label=f"{c['label']}: Im, Eq. (10)")
        step = max(1, int(sel.sum()) // 60)
        ax.plot(q[sel][::step], np.real(c["s21"])[sel][::step], "o", color=col, ms=3.5, mfc="none")
        ax.plot(q[sel][::step], np.imag(c["s21"])[sel][::step], "s", color=col, ms=3.0, mfc="none")
    ax.plot([], [], "ko", mfc="none", ms=3.5, label="dynamics (converged)")
    ax.set_xlabel("$q$")
    ax.set_ylabel(r"$\tilde s^{21}_q$")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=7, loc="best")
    fig.tight_layout()
    path = Path(path)
    _save(fig, path)
    plt.close(fig)
    return path
