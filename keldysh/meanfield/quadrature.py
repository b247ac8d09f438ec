"""Momentum grids that find the integrand's sharp features themselves.

Features of a mean-field integrand on ``[a, b]``:

* **Fermi steps**: zeros of the first argument of every ``fermi(x(k), T)`` in the model (a
  discontinuity at ``T = 0``: an exact panel boundary; width ``T/|x'|`` at ``T > 0``);
* **resonances**: zeros of the eigenvalues of the Hermitian Nambu matrix ``h_0(k)`` (the
  normal-state quasi-particle energies), width ``gamma/|lambda'|`` with ``gamma`` the local
  damping (smallest ``-Im`` eigenvalue of ``K``);
* the user's ``points``.

Panels are graded geometrically away from each feature (first panel half a width), capped at
``(b - a)/max_panels_fraction``; each panel carries Gauss-Legendre nodes of ``order``.  The
quadrature error is estimated by the same rule on the grid with every panel halved.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import sympy as sp
from scipy.optimize import brentq

from keldysh.engine.compile import compile as kd_compile
from keldysh.errors import ParameterError

__all__ = ["Grid", "build_grid", "features"]

SAMPLES = 2001


class Grid:
    """Nodes, weights and panel edges of a composite Gauss-Legendre rule."""

    def __init__(self, edges: np.ndarray, order: int) -> None:
        self.edges = np.asarray(edges, dtype=float)
        self.order = order
        x, w = np.polynomial.legendre.leggauss(order)
        a, b = self.edges[:-1, None], self.edges[1:, None]
        self.k = (0.5 * (b - a) * x[None] + 0.5 * (b + a)).ravel()
        self.w = (0.5 * (b - a) * w[None]).ravel()

    def refined(self) -> Grid:
        """Every panel halved (for the error estimate)."""
        mids = 0.5 * (self.edges[:-1] + self.edges[1:])
        return Grid(np.sort(np.r_[self.edges, mids]), self.order)

    def __len__(self) -> int:
        return self.k.size


def _sign_changes(x: np.ndarray, y: np.ndarray, noise: float = 0.0) -> list[tuple[float, float]]:
    """Brackets of the zeros of ``y``; values within ``noise`` (rounding) carry no sign of their own."""
    if np.all(np.abs(y) <= noise):
        return []  # zero everywhere to rounding: a flat curve has no isolated feature
    s = np.where(np.abs(y) > noise, np.sign(y), 0.0)
    idx = np.flatnonzero(s[:-1] * s[1:] < 0)
    out = [(x[i], x[i + 1]) for i in idx]
    out += [(x[i], x[i]) for i in np.flatnonzero(y == 0)]
    return out


def features(
    model, vals: Mapping[sp.Symbol, float], a: float, b: float, omega: float = 0.0
) -> list[tuple[float, float]]:
    """``[(k_f, width), ...]`` of the model's Fermi steps, resonances and given points.

    Resonances in the frame rotating at ``omega``: zeros of the quasi-particle energies
    ``lambda_a(k) - omega`` and of the pair energies ``lambda_a + lambda_b - 2 omega`` (sign changes,
    and touching zeros: local minima of ``|y|`` below the damping, width ``sqrt(damping/|y''|)``).
    """
    fermi_steps, ks, lam, damp, pair_energies = _sampled(model, vals, a, b)
    out = list(fermi_steps)
    curves = [(lam[:, c] - omega, damp) for c in range(lam.shape[1])]
    if pair_energies:  # a pair decays at the sum of the two damping rates
        curves += [
            (lam[:, c] + lam[:, e] - 2 * omega, 2 * damp) for c in range(lam.shape[1]) for e in range(c, lam.shape[1])
        ]
    dk = ks[1] - ks[0]
    noise = 1e-12 * max(float(np.abs(lam).max()), float(damp.max()))
    for y, damp in curves:
        if np.all(np.abs(y) <= noise):
            continue  # flat (e.g. a pair energy that vanishes identically): nothing to grade towards
        for lo, hi in _sign_changes(ks, y, noise):
            i = int(np.searchsorted(ks, lo))
            j = min(i + 1, ks.size - 1)
            y0, y1 = y[i], y[j]
            kf = lo if (lo == hi or y1 == y0) else lo + (hi - lo) * y0 / (y0 - y1)
            slope = abs(y1 - y0) / max(ks[j] - ks[i], 1e-300) or 1.0
            out.append((kf, damp[i] / slope))
        ay = np.abs(y)
        for i in np.flatnonzero((ay[1:-1] < ay[:-2]) & (ay[1:-1] <= ay[2:]) & (ay[1:-1] < damp[1:-1])) + 1:
            curv = abs(y[i + 1] - 2 * y[i] + y[i - 1]) / dk**2
            out.append((ks[i], np.sqrt(damp[i] / curv) if curv > 0 else damp[i]))
    for p in model.points:
        try:
            kp = float(p.xreplace(vals))
        except (TypeError, ValueError, OverflowError):
            raise ParameterError("points", f"{p} is not a real number at these values") from None
        if a <= kp <= b:
            out.append((kp, 0.0))
    return sorted(set((round(k, 15), w) for k, w in out))


def _sampled(model, vals: Mapping[sp.Symbol, float], a: float, b: float):
    """The frame-independent part of :func:`features` on ``SAMPLES`` momenta, remembered per model
    and parameter point (a scan over the frame ``omega`` rebuilds its grid at every ``omega``):
    ``(fermi_steps, ks, lam, damp, pair_energies)``."""
    key = (tuple(sorted((s.name, float(v)) for s, v in vals.items())), float(a), float(b))
    memo = model.__dict__.setdefault("_sampled_memo", {})
    if key in memo:
        return memo[key]
    from keldysh.meanfield.numeric import kernel

    ks = np.linspace(a, b, SAMPLES)
    out: list[tuple[float, float]] = []
    args_syms = [model.k, *model.parameters]
    argv = [vals[s] for s in model.parameters]
    for f in model._fermi_atoms():
        x, T = f.args
        if not x.has(model.k):
            continue
        fx = kd_compile(x, args_syms)
        fT = float(T.xreplace(vals)) if T.free_symbols <= set(vals) else 0.0
        fd = kd_compile(sp.diff(x, model.k), args_syms)
        with np.errstate(over="ignore", invalid="ignore"):  # overflow is judged by node_data below
            y = np.real(np.broadcast_to(fx(ks, *argv), ks.shape))
        for lo, hi in _sign_changes(ks, y):
            # NumPy floats (inf on overflow) rather than Python floats (OverflowError)
            kf = lo if lo == hi else brentq(lambda q: float(np.real(fx(np.float64(q), *argv))), lo, hi, xtol=1e-14)
            slope = abs(float(np.real(fd(kf, *argv)))) or 1.0
            out.append((kf, fT / slope))
    nd = model.node_data(ks, np.ones_like(ks), vals)
    h = 0.5 * (nd.h0 + nd.h0.conj().transpose(0, 2, 1))
    n = model.L.n
    if not np.any(h[:, :n, n:]):
        # number-conserving h_0 = diag(h, -h^T): the Nambu spectrum is symmetric, so its sorted
        # eigenvalues only touch zero; those of the particle block h change sign at a resonance
        h = h[:, :n, :n]
        pair_energies = True
    else:
        pair_energies = False
    lam = np.linalg.eigvalsh(h)
    damp = np.maximum(-np.linalg.eigvals(kernel(nd, 0.0, 0.0)).imag.max(axis=1), 1e-300)
    if len(memo) >= 8:
        memo.pop(next(iter(memo)))
    memo[key] = (tuple(out), ks, lam, damp, pair_energies)
    return memo[key]


def build_grid(
    model, vals: Mapping[sp.Symbol, float], order: int = 8, min_panels: int = 24, omega: float = 0.0
) -> tuple[Grid, list[tuple[float, float]]]:
    """A graded composite Gauss-Legendre grid on the model's domain (features in the frame ``omega``)."""
    a, b = model.limits(vals)
    feats = features(model, vals, a, b, omega)
    span = b - a
    edges = [a, b]
    tiny = 1e-6 * span
    used: list[float] = []
    for kf, width in sorted(feats, key=lambda f: f[1]):  # narrowest first
        if not a < kf < b and kf not in (a, b):
            continue
        if any(abs(kf - k0) <= max(width, tiny) / 2 for k0 in used):
            continue  # within half a width of a narrower feature, whose grading already resolves it
        used.append(kf)
        edges.append(kf)
        w0 = max(width, tiny) / 2
        step = w0
        while step < span:
            for e in (kf - step, kf + step):
                if a < e < b:
                    edges.append(e)
            step *= 2
    edges = np.unique(np.clip(edges, a, b))
    # cap panel widths
    cap = span / min_panels
    out = [edges[0]]
    for e in edges[1:]:
        gap = e - out[-1]
        if gap > cap:
            m = int(np.ceil(gap / cap))
            out.extend(np.linspace(out[-1], e, m + 1)[1:-1])
        out.append(e)
    return Grid(np.unique(out), order), feats
