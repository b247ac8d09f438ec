"""The self-consistent gap equation (Eqs. (17)-(19), and Eq. (51) for the Keldysh route).

Every route writes the gap equation for real ``|Delta|`` as::

    1 + V * int (dk) g(k; |Delta|) = 0 ,                                    (*)

with a *kernel* ``g``:

* ``method="master"``: ``g = x(k, |Delta|) E_k / (E_k^2 + Gamma^2)`` with the exact
  steady-state population deviation ``x = n11 + n22 - 1`` of Eq. (9) (Eqs. (10)-(12) at T = 0).
  This is Eq. (18): only the part of ``s21`` in phase with ``Delta^*`` enters.
* ``method="eq19"``: the same with the ``Omega >> Gamma`` populations of Eq. (13), i.e.
  Eq. (19) (integrated over the model's momentum cutoff, as for the paper's V_c = 2.14).
* ``method="keldysh"`` / ``"keldysh-eq55"``: the saddle point of Eq. (51) from the
  resummed ring diagrams (Eq. (53)) or the linear + cubic truncation (Eqs. (54)-(55));
  provided by :mod:`keldysh.paper.solvers.saddle`.

At ``|Delta| = 0`` (*) gives the threshold ``V_c = -1 / int (dk) g(k; 0)``, and a solution
exists only if ``sgn V = -sgn int g(k; 0)`` -- the sign rule of Eq. (21),
``sgn V = sgn(gamma2 - gamma1) sgn(kappa_+)`` in the paper's limit -- and ``|V| > V_c``.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol, runtime_checkable

import numpy as np
from scipy.optimize import brentq

from keldysh.errors import ParameterError, check_finite, shown
from keldysh.paper.quadrature import MomentumGrid, momentum_grid
from keldysh.results import ResultMixin, _num

__all__ = [
    "GapResult",
    "GapModel",
    "solve_gap",
    "critical_coupling",
    "gap_sweep",
    "kernel_master",
    "kernel_eq19",
    "get_kernel",
]

Kernel = Callable[[Any, MomentumGrid, float], np.ndarray]


@runtime_checkable
class GapModel(Protocol):
    """What the paper's in-phase solver needs of a model (:class:`keldysh.paper.params.LaserModel`,
    :class:`keldysh.paper.pumping.PumpingModel`, :class:`keldysh.paper.threeband.ThreeBandModel`).

    * ``grid_domain()`` and ``grid_fields(q)``: the momentum window and the fields on the nodes
      (:func:`keldysh.paper.quadrature.momentum_grid`);
    * ``gap_methods()``: the kernels of Eq. (18) by name (the first the default), each a callable
      ``kernel(model, grid, |Delta|) -> array`` over the nodes;
    * ``sign_rule_note()``: the paper's sign rule for this model ("" when it has none), for messages;
    * ``threshold_note()``: which printed threshold the numerical ``V_c`` corresponds to;
    * ``vanishing_cause()``: the exact cause of a vanishing kernel at ``Delta = 0`` ("" if none);
    * ``THRESHOLD_ONLY``: whether the model fixes only ``V_c`` and the sign, not ``|Delta|``;
      ``Gamma`` (the scale of ``|Delta|`` for the root search) and ``kmax``.
    """

    def grid_domain(self) -> tuple[float, float]: ...

    def grid_fields(self, q: Any) -> dict[str, Any]: ...

    def gap_methods(self) -> dict[str, Kernel]: ...

    def sign_rule_note(self) -> str: ...

    def threshold_note(self) -> str: ...

    def vanishing_cause(self) -> str: ...

    THRESHOLD_ONLY: bool
    Gamma: float
    kmax: float


# ------------------------------------------------------------------------------ kernels
def _population_kernel(kind: str, model: Any, grid: MomentumGrid, delta: float) -> np.ndarray:
    """``x(k, |Delta|) E / (E^2 + Gamma^2)`` with ``x = P(|Delta|^2)/Q(|Delta|^2)`` precomputed per grid."""
    key = ("population", kind)
    coeffs = grid.cache.get(key)
    if coeffs is None:
        from keldysh.paper.build import rational_coefficients_func

        fn = rational_coefficients_func(kind)
        raw = fn(grid.E, grid.eps, model.Omega, model.Gamma1, model.Gamma2, grid.f1, grid.f2)
        shape = grid.q.shape
        arr = [np.broadcast_to(np.asarray(c, dtype=float), shape) for c in raw]
        dP, dQ = fn.degrees
        G2 = model.Gamma**2
        weight = grid.E / (grid.E**2 + G2)
        P = np.array(arr[: dP + 1]) * weight  # fold E/(E^2+Gamma^2) into the numerator
        Q = np.array(arr[dP + 1 : dP + 1 + dQ + 1])
        coeffs = (P, Q)
        grid.cache[key] = coeffs
    P, Q = coeffs
    d2 = delta * delta
    num = P[-1]
    for c in P[-2::-1]:
        num = num * d2 + c
    den = Q[-1]
    for c in Q[-2::-1]:
        den = den * d2 + c
    return num / den


def kernel_master(model: Any, grid: MomentumGrid, delta: float) -> np.ndarray:
    """Kernel of Eq. (18) with the exact steady-state populations of Eq. (9) (Eqs. (10)-(12))."""
    return _population_kernel("exact", model, grid, delta)


def kernel_eq19(model: Any, grid: MomentumGrid, delta: float) -> np.ndarray:
    """Kernel of Eq. (19): Eq. (18) with the ``Omega >> Gamma`` populations of Eq. (13)."""
    return _population_kernel("eq13", model, grid, delta)


def get_kernel(model: GapModel, method: str | None) -> tuple[str, Kernel]:
    """Resolve a method name to its kernel for this model (``None``: the model's default)."""
    if not isinstance(model, GapModel):
        raise ParameterError("model", f"must be a model of the paper (got {type(model).__name__})")
    methods = model.gap_methods()
    if method is None:
        method = next(iter(methods))
    if not isinstance(method, str) or method not in methods:
        raise ParameterError(
            "method", f"unknown method {shown(method)} for this model; choose one of {', '.join(methods)}"
        )
    return method, methods[method]


# ------------------------------------------------------------------------------ result
@dataclass(repr=False)
class GapResult(ResultMixin):
    """Solution of the gap equation (Eqs. (17)-(19)/(51)).

    Attributes
    ----------
    delta : float
        ``|Delta| >= 0``; 0.0 when there is no superconducting solution.
    V : float
        The coupling (V > 0 attractive, see docs/conventions.md).
    V_c : float
        The threshold ``|V|`` at these parameters and cutoff (``inf`` if the kernel vanishes).
    method : str
    converged : bool
        Root found (or absence of a solution established) with the requested accuracy.
    reason : str
        Empty when superconducting; otherwise the physical reason (sign rule of Eq. (21),
        or ``|V| < V_c``, Eq. (22)).
    sign_required : int
        The sign V must have for a solution (``-sgn int g(k; 0)``).
    params : dict
        Every model parameter used.
    diagnostics : dict
        Nodes, quadrature error estimates, iterations, residual, wall time.
    """

    delta: float
    V: float
    V_c: float
    method: str
    converged: bool
    reason: str
    sign_required: int
    params: dict[str, Any]
    diagnostics: dict[str, Any] = field(default_factory=dict)

    @property
    def superconducting(self) -> bool:
        return self.delta > 0

    def _summary(self) -> list[tuple[str, str]]:
        items = [
            ("delta", _num(self.delta, 10)),
            ("V", _num(self.V)),
            ("V_c", _num(self.V_c, 10)),
            ("method", self.method),
            ("converged", str(self.converged)),
        ]
        if self.reason:
            items.append(("reason", repr(self.reason if len(self.reason) <= 60 else self.reason[:57] + "...")))
        return items

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict (``inf`` becomes ``null``)."""
        d = asdict(self)

        def clean(v):
            if isinstance(v, float) and not math.isfinite(v):
                return None
            if isinstance(v, dict):
                return {k: clean(x) for k, x in v.items()}
            if isinstance(v, (np.floating, np.integer)):
                return clean(v.item())
            return v

        return clean(d)

    def __str__(self) -> str:
        if self.delta > 0:
            head = f"|Delta| = {self.delta:.10g}"
        elif self.reason.startswith("above threshold"):
            head = "above threshold, |Delta| not fixed by this model"
        else:
            head = "no superconducting solution"
        lines = [
            f"{head}   (method {self.method}, V = {self.V:g}, V_c = {self.V_c:.10g})",
        ]
        if self.reason:
            lines.append(f"reason: {self.reason}")
        dg = self.diagnostics
        if dg:
            lines.append(
                f"quadrature: {dg.get('nodes')} nodes, est. error in |Delta| {dg.get('delta_error', 0):.1e}; "
                f"converged: {self.converged}; {dg.get('seconds', 0) * 1e3:.1f} ms"
            )
        return "\n".join(lines)


# ------------------------------------------------------------------------------ solver
def _sign_rule_text(model: Any, need: int) -> str:
    word = "attractive (V > 0)" if need > 0 else "repulsive (V < 0)"
    txt = f"no superconducting solution: sgn V must equal {need:+d}, i.e. the coupling must be {word}"
    note = model.sign_rule_note()
    return f"{txt} ({note})" if note else txt


def _threshold_note(model: GapModel) -> str:
    return model.threshold_note()


def solve_gap(
    model: Any,
    V: float,
    method: str | None = None,
    *,
    grid: MomentumGrid | None = None,
    order: int = 12,
    rtol: float = 1e-12,
    estimate_error: bool = True,
    scan_bistable: bool = True,
) -> GapResult:
    """Solve the self-consistent gap equation for ``|Delta|``.

    Implements Eq. (18) (``method="master"``, exact populations of Eq. (9)), Eq. (19)
    (``method="eq19"``, populations of Eq. (13)) and the Keldysh saddle point Eq. (51)
    (``method="keldysh"``: resummed Eq. (53); ``"keldysh-eq55"``: Eq. (55)).

    Parameters
    ----------
    model : LaserModel (or another model implementing the protocol)
    V : float
        Interaction strength (finite, non-zero); V > 0 is attractive.
    method : str, optional
        One of ``model.gap_methods()``; default: the first (``"master"``).
    grid : MomentumGrid, optional
        Reuse a grid (e.g. in sweeps); default ``momentum_grid(model, order)``.
    order : int
        Gauss nodes per panel of the default grid.
    rtol : float
        Relative tolerance of the root in ``|Delta|``.
    estimate_error : bool
        Estimate the quadrature error by a grid of twice the order (doubles the cost).
    scan_bistable : bool
        Below threshold, scan ``|Delta|`` on a logarithmic grid for a finite-gap branch that
        the ``|Delta| = 0`` test cannot see (non-monotonic kernels, ``v_+ != 0``); the largest
        such root is returned.

    Returns
    -------
    GapResult
    """
    t0 = time.perf_counter()
    from keldysh.paper.params import LaserModel
    from keldysh.paper.pumping import PumpingModel
    from keldysh.paper.threeband import ThreeBandModel

    if not isinstance(model, (LaserModel, PumpingModel, ThreeBandModel)):
        raise ParameterError(
            "model",
            f"must be a LaserModel, PumpingModel, ThreeBandModel or MeanFieldModel "
            f"(e.g. keldysh.preset('fig4')); got {type(model).__name__}",
        )
    V = check_finite("V", V)
    if V == 0:
        raise ParameterError("V", "must be non-zero (V = 0 has no pairing)")
    if isinstance(order, bool) or not isinstance(order, int) or not 2 <= order <= 64:
        raise ParameterError(
            "order", f"must be an integer in 2..64 Gauss-Legendre nodes per panel (got {shown(order)})"
        )
    rtol = check_finite("rtol", rtol)
    if not (0 < rtol < 1e-2):
        raise ParameterError("rtol", f"must lie in (0, 1e-2) (got {rtol})")
    method, kernel = get_kernel(model, method)
    grid = grid if grid is not None else momentum_grid(model, order=order)

    def integral(delta: float, g: MomentumGrid = grid) -> float:
        val = g.integrate(kernel(model, g, delta))
        return float(np.real(val))

    k0 = kernel(model, grid, 0.0)
    I0 = float(np.real(grid.integrate(k0))) if grid.size else 0.0
    I0_abs = float(np.real(grid.integrate(np.abs(k0)))) if grid.size else 0.0
    params = model.to_dict()
    diag: dict[str, Any] = {"nodes": grid.size, "I0": I0}
    if not np.isfinite(I0):
        raise ParameterError("model", "the gap kernel is not finite at |Delta| = 0; check the parameters")
    if abs(I0) <= 64 * np.finfo(float).eps * I0_abs or _identically_zero(model, grid):
        I0 = 0.0  # the kernel vanishes (exactly, or its parts cancel to rounding): V_c is infinite
    need = -int(np.sign(I0)) if I0 != 0 else 0
    V_c = (-1.0 / I0) * need if I0 != 0 else math.inf
    V_c = abs(V_c) if math.isfinite(V_c) else V_c

    def done(delta: float, converged: bool, reason: str) -> GapResult:
        diag["seconds"] = time.perf_counter() - t0
        return GapResult(float(delta), V, float(V_c), method, converged, reason, need, params, diag)

    if need == 0:
        return done(0.0, True, "no superconducting solution: " + _vanishing_reason(model, grid, I0_abs))
    if np.sign(V) != need:
        return done(0.0, True, _sign_rule_text(model, need))
    F = lambda d: 1.0 + V * integral(d)  # noqa: E731  F(0) < 0 above threshold, F(inf) = 1
    if abs(V) <= V_c:
        # Below threshold the Delta = 0 test is negative, but a finite-|Delta| branch can still
        # exist when the kernel is not monotonic (v_+ != 0, Eqs. (25)/(46)): scan for it.
        hit = _scan_finite_branch(F, model.Gamma) if scan_bistable else None
        if hit is None:
            return done(
                0.0,
                True,
                f"no superconducting solution: |V| = {abs(V):g} is below the threshold "
                f"V_c = {V_c:.6g} ({_threshold_note(model)})",
            )
        diag["bistable"] = True
        lo, hi = hit
        root, info = brentq(
            F, lo, hi, xtol=1e-300, rtol=max(rtol, 4 * np.finfo(float).eps), full_output=True, disp=False
        )
        diag.update(iterations=info.iterations, function_calls=info.function_calls, residual=F(root))
        return done(root, bool(info.converged), "")
    if model.THRESHOLD_ONLY:
        return done(
            0.0,
            True,
            f"above threshold (|V| = {abs(V):g} > V_c = {V_c:.6g}), but this model fixes only the "
            f"threshold and the sign, not |Delta| ({_threshold_note(model)})",
        )
    lo, hi = 0.0, max(model.Gamma, 1e-300)
    it = 0
    while F(hi) < 0:
        lo, hi = hi, hi * 4.0
        it += 1
        if it > 200:
            return done(0.0, False, "no root found: |Delta| grows without bound (check the cutoff)")
    root, info = brentq(F, lo, hi, xtol=1e-300, rtol=max(rtol, 4 * np.finfo(float).eps), full_output=True, disp=False)
    diag.update(iterations=info.iterations, function_calls=info.function_calls, residual=F(root))
    converged = bool(info.converged)
    if estimate_error:
        fine = grid.refined(2)
        dI = abs(integral(root, fine) - integral(root, grid))
        h = max(root * 1e-6, 1e-300)
        slope = abs((integral(root + h) - integral(root - h if root > h else root)) / (2 * h if root > h else h))
        diag["quadrature_error"] = dI
        diag["delta_error"] = dI / slope if slope > 0 else math.inf
        diag["relative_delta_error"] = diag["delta_error"] / root
    return done(root, converged, "")


def _identically_zero(model: GapModel, grid: MomentumGrid) -> bool:
    """Exact causes of a vanishing kernel that round-off would hide (x = 0 without drive, E = 0)."""
    return grid.size == 0 or bool(model.vanishing_cause())


def _vanishing_reason(model: GapModel, grid: MomentumGrid, I0_abs: float) -> str:
    """Why the kernel at |Delta| = 0 integrates to zero (V_c is infinite): the exact cause."""
    if grid.size == 0:
        return f"the momentum window is empty at the quadrature's resolution (kmax = {model.kmax:g}); V_c is infinite"
    cause = model.vanishing_cause()
    if cause:
        return cause
    if I0_abs == 0:
        return "the gap kernel vanishes identically (no population inversion, Eq. (11)); V_c is infinite"
    return "the gap kernel integrates to zero (its positive and negative parts cancel); V_c is infinite"


def _scan_finite_branch(F: Callable[[float], float], scale: float) -> tuple[float, float] | None:
    """Bracket of the largest root of ``F`` on ``|Delta| in [1e-4, 1e3] * scale`` (log grid), if any."""
    ds = np.geomspace(1e-4, 1e3, 57) * scale
    vals = np.array([F(d) for d in ds])
    neg = np.nonzero(vals < 0)[0]
    if neg.size == 0:
        return None
    i = neg[-1]
    if i + 1 >= ds.size:
        return None
    return float(ds[i]), float(ds[i + 1])


def critical_coupling(model: Any, method: str | None = None, *, order: int = 12) -> float:
    """The threshold ``V_c = 1/|int (dk) g(k; 0)|`` of the gap equation (Eq. (22) at the model's cutoff)."""
    res = solve_gap(model, 1.0, method, order=order, estimate_error=False)
    return res.V_c


def gap_sweep(model: Any, Vs, method: str | None = None, *, order: int = 12) -> np.ndarray:
    """``|Delta|(V)`` for an array of couplings, sharing one momentum grid."""
    _, _ = get_kernel(model, method)
    grid = momentum_grid(model, order=order)
    return np.array(
        [solve_gap(model, float(V), method, grid=grid, estimate_error=False).delta for V in np.atleast_1d(Vs)]
    )
