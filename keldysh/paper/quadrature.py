"""Momentum quadrature that resolves the resonance.

The integrands of the gap equations (Eqs. (17)-(19), (41), (A13), (51)-(55)) are rational functions of
the momentum ``q`` with structure on several small scales around the resonant surface:
``eps = v_- q`` on ``Gamma/|v_-|``, ``E = kappa_+ q^2`` on ``sqrt(Gamma/|kappa_+|)``, the Rabi
window on ``Omega/|v_-|``.  A uniform grid would need ~10^5 nodes; instead the domain is cut
into panels graded geometrically (ratio 2 by default) around every feature centre, down to a
fraction of the smallest width, with ``order`` Gauss-Legendre nodes per panel.  The error is
estimated by comparing with a grid of twice the order (see :meth:`MomentumGrid.error_of`).

The measure is the model's: ``(dk) = model.measure(q) dq`` (``dq/(2 pi)`` in the paper's 1D
reduction of Sect. II.C).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from keldysh.errors import ParameterError, check_int

__all__ = ["MomentumGrid", "momentum_grid", "panel_breakpoints"]

#: most Gauss-Legendre nodes per panel (as :func:`keldysh.paper.solvers.gap.solve_gap`)
MAX_ORDER = 64


@lru_cache(maxsize=64)
def _gauss(order: int) -> tuple[np.ndarray, np.ndarray]:
    x, w = np.polynomial.legendre.leggauss(order)
    return x, w


def panel_breakpoints(
    domain: tuple[float, float],
    scales: list[tuple[float, float]],
    ratio: float = 2.0,
    depth: float = 1.0 / 16.0,
) -> np.ndarray:
    """Breakpoints graded geometrically around each ``(centre, width)`` feature.

    Around a centre ``c`` with width ``w`` the breakpoints are ``c +- w*depth*ratio^j`` for
    ``j = 0, 1, ...`` until the domain ends, plus ``c`` itself, so each panel spans a fixed
    fraction of its distance to the feature (the Gauss rule then converges geometrically).
    """
    a, b = map(float, domain)
    if not (np.isfinite(a) and np.isfinite(b) and b > a):
        raise ParameterError("kmax", f"invalid integration domain {domain!r}")
    if ratio <= 1:
        raise ParameterError("ratio", f"must be > 1 (got {ratio})")
    pts = [a, b]
    for c, w in scales:
        if not (np.isfinite(c) and np.isfinite(w)) or w <= 0:
            continue
        if a <= c <= b:
            pts.append(c)
        h = w * depth
        span = max(abs(c - a), abs(b - c))
        while h < span:
            for p in (c - h, c + h):
                if a < p < b:
                    pts.append(p)
            h *= ratio
    pts = np.unique(np.asarray(pts))
    # merge breakpoints closer than a tiny fraction of the smallest scale
    smallest = min([w for _, w in scales if w > 0] or [b - a]) * depth
    keep = [pts[0]]
    for p in pts[1:]:
        if p - keep[-1] > 1e-3 * smallest:
            keep.append(p)
    keep[-1] = b
    return np.asarray(keep)


@dataclass
class MomentumGrid:
    """Quadrature nodes ``q`` and weights ``w`` (measure included) with model fields.

    ``sum(grid.w * f(grid.q))`` approximates ``int (dk) f``.  Model fields (``E``, ``eps``,
    ``Et1``, ``Et2``, ``f1``, ``f2`` for the laser model) are attributes, computed once.
    """

    q: np.ndarray
    w: np.ndarray
    breakpoints: np.ndarray
    order: int
    fields: dict[str, np.ndarray] = field(default_factory=dict)
    model: Any = None
    cache: dict[Any, Any] = field(default_factory=dict, repr=False)

    def __getattr__(self, name: str) -> np.ndarray:
        fields = self.__dict__.get("fields", {})
        if name in fields:
            return fields[name]
        raise AttributeError(name)

    @property
    def size(self) -> int:
        return int(self.q.size)

    def integrate(self, values: np.ndarray) -> complex | float:
        """``int (dk) values`` on this grid."""
        return np.dot(self.w, values)

    def refined(self, factor: int = 2) -> MomentumGrid:
        """The same panels with ``factor`` times more Gauss nodes (for error estimates)."""
        return _build(self.model, self.breakpoints, self.order * factor)

    def error_of(self, fn: Callable[[MomentumGrid], np.ndarray]) -> float:
        """Estimated absolute quadrature error of ``int (dk) fn``: ``|I(order) - I(2 order)|``."""
        fine = self.refined(2)
        return float(abs(self.integrate(fn(self)) - fine.integrate(fn(fine))))


def _build(model: Any, bps: np.ndarray, order: int) -> MomentumGrid:
    x, wx = _gauss(order)
    a, b = bps[:-1, None], bps[1:, None]
    half = (b - a) / 2
    q = (a + half * (x[None, :] + 1)).ravel()
    w = (half * wx[None, :]).ravel()
    w = w * model.measure(q)
    return MomentumGrid(q=q, w=w, breakpoints=bps, order=order, fields=model.grid_fields(q), model=model)


def momentum_grid(model: Any, order: int = 12, ratio: float = 2.0, depth: float = 1.0 / 16.0) -> MomentumGrid:
    """Composite Gauss-Legendre grid for ``int (dk)`` over the model's domain.

    Parameters
    ----------
    model : LaserModel or any model implementing the protocol
        Provides ``grid_domain()``, ``grid_scales()``, ``grid_fields(q)``, ``measure(q)``.
    order : int
        Gauss-Legendre nodes per panel (>= 2).
    ratio : float
        Geometric grading ratio of the panels (> 1).
    depth : float
        Innermost panel half-width as a fraction of each feature's width.

    Returns
    -------
    MomentumGrid
    """
    order = check_int("order", order, 2, MAX_ORDER)
    if not 0 < depth <= 1:
        raise ParameterError("depth", f"must lie in (0, 1] (got {depth!r})")
    bps = panel_breakpoints(model.grid_domain(), model.grid_scales(), ratio, depth)
    return _build(model, bps, int(order))
