"""Phase diagrams of a sweep: ``|Delta|`` as a colour map with the threshold line ``|V| = V_c``.

Two axes: a colour map over the plane (first axis horizontal), normal points (``|Delta| = 0``)
white, points not computed or failed grey, and the contour ``|V| = V_c`` -- the ``V_c`` line; when
``V`` is an axis it is the curve ``V = V_c(p)``, otherwise the boundary of the region where the
fixed coupling exceeds the threshold.  One axis: ``|Delta|`` against it.  Several conditions: one
panel per condition, side by side, on a shared colour scale.  A dynamics sweep shows
``|Delta(t_max)|`` and ``t_converged``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from keldysh.errors import ParameterError

__all__ = ["plot_sweep"]

_LABELS = {
    "delta": r"$|\Delta|$",
    "delta_final": r"$|\Delta(t_{\max})|$",
    "t_converged": r"$t_{\rm converged}$ (1%)",
    "V_c": r"$V_c$",
    "omega": r"$\omega$",
}


def _label(name: str) -> str:
    greek = {
        "Omega": r"\Omega",
        "gamma1": r"\gamma_1",
        "gamma2": r"\gamma_2",
        "Gamma": r"\Gamma",
        "omega0": r"\omega_0",
    }
    return f"${greek[name]}$" if name in greek else name


def _panel(ax, ds, var: str, vmax: float | None, title: str, cmap: str):
    import matplotlib

    da = ds[var]
    dims = list(da.dims)
    done = ds["done"].values.astype(bool)
    val = np.where(done, da.values.astype(float), np.nan)
    if len(dims) == 1:
        x = ds[dims[0]].values
        ax.plot(x, val, "o-" if x.size < 40 else "-", ms=3, label=var)
        ax.set_xlabel(_label(dims[0]))
        ax.set_ylabel(_LABELS.get(var, var))
        if "V_c" in ds and dims[0] == "V":
            vc = np.unique(ds["V_c"].values[np.isfinite(ds["V_c"].values)])
            for v in vc[:1]:
                ax.axvline(v, color="k", ls="--", lw=0.8, label=f"$V_c$ = {v:.4g}")
                ax.legend(fontsize=8)
        ax.set_title(title, fontsize=10)
        return None
    xd, yd = dims[0], dims[1]
    x, y = ds[xd].values, ds[yd].values
    Z = val.T  # (y, x)
    zero = np.isfinite(Z) & (Z == 0)
    cm = matplotlib.colormaps[cmap].with_extremes(bad=(0, 0, 0, 0))
    missing = np.where(np.isfinite(Z), np.nan, 1.0)
    if np.isfinite(missing).any():
        ax.pcolormesh(x, y, np.ma.masked_invalid(missing), cmap="Greys", vmin=0, vmax=3, shading="nearest")
    pos = np.ma.masked_where(~np.isfinite(Z) | zero, Z)
    mesh = ax.pcolormesh(x, y, pos, cmap=cm, vmin=0 if var != "t_converged" else None, vmax=vmax, shading="nearest")
    handles = []
    if "V_c" in ds and var == "delta":
        # the threshold line for the sign of V swept: where the sign rule fails V_c belongs to -V
        wrong = np.vectorize(_wrong_sign, otypes=[bool])(ds["reason"].values) if ds["reason"].size else done
        Vc = np.where(done & ~wrong, ds["V_c"].values.astype(float), np.nan)
        if "V" in (xd, yd):  # V_c depends on the other parameter only: the line V = V_c(p)
            other = yd if xd == "V" else xd
            Vc_p = np.nanmin(Vc, axis=dims.index("V")) if np.isfinite(Vc).any() else np.full(ds[other].size, np.nan)
            p = ds[other].values
            V_lo, V_hi = np.abs(ds["V"].values).min(), np.abs(ds["V"].values).max()
            inside = np.isfinite(Vc_p) & (Vc_p >= V_lo) & (Vc_p <= V_hi)
            if inside.any():
                line = np.where(inside, Vc_p, np.nan)
                xs, ys = (line, p) if xd == "V" else (p, line)
                (h,) = ax.plot(xs, ys, color="k", lw=1.4, label=r"$|V| = V_c$")
                handles.append(h)
        else:  # a fixed V: the boundary of the region |V| > V_c
            Vfix = abs(float(ds.attrs.get("fixed", {}).get("V", np.nan)))
            f = Vfix - np.where(np.isfinite(Vc), Vc, np.inf).T
            f = np.clip(np.where(np.isfinite(f), f, -1e3), -1e3, 1e3)
            if f.max() > 0 > f.min() and min(x.size, y.size) > 1:
                ax.contour(x, y, f, levels=[0.0], colors="k", linewidths=1.4)
                (h,) = ax.plot([], [], color="k", lw=1.4, label=rf"$V_c = |V| = {Vfix:g}$")
                handles.append(h)
    if var in ("delta", "delta_final"):
        from matplotlib.patches import Patch

        if zero.any():
            handles.append(Patch(facecolor="white", edgecolor="0.5", label=r"$|\Delta| = 0$"))
        if np.isfinite(missing).any():
            handles.append(Patch(facecolor="0.8", edgecolor="0.5", label="not computed / failed"))
    if handles:
        ax.legend(handles=handles, fontsize=8, loc="best", framealpha=0.9)
    ax.set_xlabel(_label(xd))
    ax.set_ylabel(_label(yd))
    ax.set_title(title, fontsize=10)
    if var in ("delta", "delta_final") and not np.ma.count(pos):  # nothing to colour: say why instead
        reasons = [str(r) for r in ds["reason"].values[done].ravel()] if "reason" in ds else []
        common = max(set(reasons), key=reasons.count) if reasons else ""
        note = r"$|\Delta| = 0$ at every point" + (f"\n{_short(common)}" if common else "")
        gx, gy = np.meshgrid(x, y)
        ax.plot(gx[np.isfinite(Z)], gy[np.isfinite(Z)], ".", color="0.55", ms=3)  # the points computed
        ax.text(0.5, 0.5, note, transform=ax.transAxes, ha="center", va="center", fontsize=8.5, wrap=True)
        return None
    return mesh


def _wrong_sign(reason: str) -> bool:
    """The reason is the sign rule (paper solver: Eq. (21); engine solver: ``sign: ...``)."""
    return "sgn V must" in reason or reason.startswith("sign:")


def _short(reason: str, width: int = 48) -> str:
    """The reason up to its first colon-separated clause, wrapped to a few lines."""
    import textwrap

    head = reason.split(", so ")[0].split(" (")[0]
    return "\n".join(textwrap.wrap(head, width)[:3])


def plot_sweep(ds, path: str | Path | None = None, var: str | None = None, axes: Any = None, title: str | None = None):
    """Draw the phase diagram of a sweep dataset (:func:`keldysh.sweeps.sweep`, ``xarray.open_zarr``).

    Parameters
    ----------
    ds : xarray.Dataset
        One or two axes (plus ``condition`` when both conditions were swept).
    path : str or Path, optional
        Write the figure there (PNG, atomically); without ``axes`` the figure is drawn without
        pyplot, so no matplotlib backend is selected.
    var : str, optional
        Variable of the colour map (default ``delta``; ``delta_final`` and ``t_converged`` for a
        dynamics sweep).
    axes : matplotlib axes or sequence of them, optional
        Where to draw (one per panel); default a new figure.
    title : str, optional
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
    """

    dims = [d for d in ds["done"].dims if d != "condition"]
    if not 1 <= len(dims) <= 2:
        raise ParameterError(
            "plot", f"draws one or two axes (this sweep has {len(dims)}: {', '.join(dims)}); plot ds.isel(...) slices"
        )
    kind = ds.attrs.get("kind", "gap")
    names = [var] if var else (["delta"] if kind == "gap" else ["delta_final", "t_converged"])
    for nm in names:
        if nm not in ds:
            raise ParameterError("plot", f"the sweep has no variable {nm!r}")
    conds = [str(c) for c in ds["condition"].values] if "condition" in ds.dims else [None]
    panels = [(c, nm) for nm in names for c in conds]
    if axes is None:
        size = (5.2 * len(panels), 4.2)
        if path is not None:  # a figure of its own, drawn without pyplot (no backend is selected)
            from matplotlib.figure import Figure

            fig = Figure(figsize=size)
            axs = list(fig.subplots(1, len(panels), squeeze=False)[0])
        else:
            import matplotlib.pyplot as plt

            fig, axs = plt.subplots(1, len(panels), figsize=size, squeeze=False)
            axs = list(axs[0])
    else:
        axs = list(np.atleast_1d(axes))
        if len(axs) != len(panels):
            raise ParameterError("axes", f"needs {len(panels)} axes (got {len(axs)})")
        fig = axs[0].figure
    fixed = ds.attrs.get("conditions", [])
    single = fixed[0] if len(fixed) == 1 else None
    for nm in names:
        sub = [ds.sel(condition=c) if c is not None else ds for c in conds]
        vals = [np.where(s["done"].values, s[nm].values.astype(float), np.nan) for s in sub]
        finite = np.concatenate([v[np.isfinite(v)].ravel() for v in vals]) if vals else np.array([])
        vmax = float(finite.max()) if finite.size and finite.max() > 0 else None
        for c, s in zip(conds, sub):
            ax = axs[panels.index((c, nm))]
            cond = c or single or ""
            mesh = _panel(
                ax, s, nm, vmax, f"{cond} condition" if cond else "", "viridis" if nm != "t_converged" else "magma"
            )
            if mesh is not None:
                fig.colorbar(mesh, ax=ax, label=_LABELS.get(nm, nm))
    model = ds.attrs.get("model", {})
    head = title or f"{model.get('type', '')} {model.get('name', '')}".strip()
    if head:
        fig.suptitle(head, fontsize=11)
    fig.tight_layout()
    if path is not None:
        from keldysh.fileio import atomic_path

        path = Path(path)
        with atomic_path(path) as tmp:
            fig.savefig(tmp, dpi=130, format=path.suffix.lstrip(".") or "png")
    return fig
