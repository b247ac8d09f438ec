"""Numerical options of the Sect. II.C dynamics (:class:`DynamicsOptions`), kept apart from the physics."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

import numpy as np

from keldysh.errors import ParameterError, check_finite, check_int, check_nonnegative, check_positive, shown
from keldysh.paper.quadrature import MAX_ORDER

#: is below this number of cycles, else with the Magnus integrator (see DynamicsOptions).
AUTO_CYCLES = 2.0e4

#: Integrators of this module (the rest are passed to ``scipy.integrate.solve_ivp``).
MAGNUS_METHODS = ("magnus4", "magnus2")
SCIPY_METHODS = ("RK45", "RK23", "DOP853", "LSODA", "BDF", "Radau")
PROJECTIONS = ("eq18", "eq17")
#: Linear regime of the pairing sector (DynamicsOptions.rtol_linear): |Delta|^2 / Gamma below
#: this fraction of rtol * 2 min(Gamma1, Gamma2).
LINEAR_BACKACTION = 1e-2


# ----------------------------------------------------------------------------- options
@dataclass(frozen=True)
class DynamicsOptions:
    """Numerical options of :func:`simulate` (kept apart from the physical parameters).

    Parameters
    ----------
    method : str
        ``"auto"`` (default): ``"DOP853"`` when ``t_max`` spans fewer than ``AUTO_CYCLES``
        periods of the fastest free frequency of the grid (Figs. 4, 5), else ``"magnus4"``
        (long runs such as Fig. 6, where the Magnus step grows to many periods);
        ``"magnus4"``: exact per-node exponentials, 4th-order Magnus in the
        self-consistent ``Delta(t)``; ``"magnus2"`` (2nd order, structurally
        positivity-preserving) or a ``scipy.integrate.solve_ivp`` method
        (``"RK45"``, ``"DOP853"``, ``"LSODA"``, ...).
    rtol, atol : float
        Tolerances.  For the Magnus methods they bound the local error of ``Delta(t)``
        (``|err| <= atol + rtol |Delta|``; default ``atol = 0``: relative accuracy survives
        the tiny ``|Delta|`` of a decayed seed, from which the pairing instability regrows);
        for the scipy methods they apply to every component of the state (default
        ``atol = 1e-12``).
    order : int
        Gauss-Legendre nodes per panel of the default momentum grid
        (:func:`keldysh.paper.quadrature.momentum_grid`).
    max_step : float
        Largest time step (``inf``: unbounded).
    first_step : float or None
        First time step (default: ``0.1 / max rate`` of the linear part).
    corrector_iterations : int
        Least number of corrector passes of the self-consistent ``Delta`` in a Magnus step
        (>= 1); the passes continue (quasi-Newton, at most ``corrector_iterations + 6``)
        until the fixed point is converged to ``0.2 (atol + rtol |Delta|)``.
    check_every : int
        The exact positivity of the Nambu correlation matrix (:func:`nambu_eigenvalues`) is
        checked every ``check_every`` recorded samples (and at the end).
    stop_rtol : float or None
        Stop before ``t_max`` once ``|Delta|`` has stayed within ``stop_rtol`` (relative)
        over the last ``stop_window`` fraction of the elapsed time; ``None``: run to ``t_max``.
    stop_window : float
        Fraction of the elapsed time the early-stop criterion looks back (0 < w < 1).
    record_every : float
        Record ``Delta`` at most every this much time (0: every accepted step).
    rtol_linear : float or None
        Magnus methods: a looser relative tolerance on ``Delta`` while the pairing sector is
        *linear*, ``|Delta| < delta_linear`` with ``delta_linear^2 / Gamma = LINEAR_BACKACTION
        * rtol * 2 min(Gamma1, Gamma2)`` (the pairing feeds the populations, Eqs. (9a)-(9b), at a
        rate far below the tolerance of their slowest relaxation).  There Eqs. (9d) + (18) are
        linear and homogeneous in ``(s21, Delta)``: the populations are unaffected and the later
        trajectory depends on the tiny ``Delta`` only through ``log |Delta|``, so the error made
        there only *shifts* the regrowth of the instability, by ~(accumulated relative error) /
        (growth rate).  Measured (Fig. 6(a), first burst at t = 13657 by DOP853 at rtol 1e-9):
        shifted by 2.7 with ``rtol = 1e-4`` throughout, by 56 with ``rtol_linear = 1e-3`` and
        by 185 (1.4%) with ``1e-2``, for 20-35% fewer steps; the long collapses of Fig. 6(b)
        take half the steps.  ``None`` (default): ``rtol`` throughout.
    """

    method: str = "auto"
    rtol: float = 1e-6
    atol: float | None = None
    order: int = 6
    max_step: float = math.inf
    first_step: float | None = None
    corrector_iterations: int = 1
    check_every: int = 25
    stop_rtol: float | None = None
    stop_window: float = 0.3
    record_every: float = 0.0
    rtol_linear: float | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.method, str) or self.method not in ("auto",) + MAGNUS_METHODS + SCIPY_METHODS:
            raise ParameterError(
                "method",
                f"unknown integrator {shown(self.method)}; choose one of auto, {', '.join(MAGNUS_METHODS + SCIPY_METHODS)}",
            )
        rtol = check_positive("rtol", self.rtol)
        if rtol >= 0.1:
            raise ParameterError("rtol", f"must be < 0.1 (got {rtol})")
        object.__setattr__(self, "rtol", rtol)
        if self.atol is None and self.method != "auto":
            object.__setattr__(self, "atol", 0.0 if self.method in MAGNUS_METHODS else 1e-12)
        if self.atol is not None:
            object.__setattr__(self, "atol", check_nonnegative("atol", self.atol))
        if self.method in SCIPY_METHODS and self.atol == 0:
            raise ParameterError("atol", "must be > 0 for the scipy integrators")
        object.__setattr__(self, "order", check_int("order", self.order, 2, MAX_ORDER))
        if not (isinstance(self.max_step, float) and self.max_step == math.inf):  # inf: no limit (default)
            object.__setattr__(self, "max_step", check_positive("max_step", self.max_step))
        if self.first_step is not None:
            object.__setattr__(self, "first_step", check_positive("first_step", self.first_step))
        object.__setattr__(
            self, "corrector_iterations", check_int("corrector_iterations", self.corrector_iterations, 1, 100)
        )
        object.__setattr__(self, "check_every", check_int("check_every", self.check_every, 1))
        if self.stop_rtol is not None:
            object.__setattr__(self, "stop_rtol", check_positive("stop_rtol", self.stop_rtol))
        w = check_finite("stop_window", self.stop_window)
        if not 0 < w < 1:
            raise ParameterError("stop_window", f"must lie strictly between 0 and 1 (got {w})")
        object.__setattr__(self, "record_every", check_nonnegative("record_every", self.record_every))
        if self.rtol_linear is not None:
            rl = check_positive("rtol_linear", self.rtol_linear)
            if rl >= 0.5:
                raise ParameterError("rtol_linear", f"must be < 0.5 (got {rl})")
            object.__setattr__(self, "rtol_linear", rl)

    @classmethod
    def make(cls, options: DynamicsOptions | Mapping[str, Any] | None = None, **changes: Any) -> DynamicsOptions:
        """Options from an instance, a mapping or keywords; unknown names raise ``ParameterError``."""
        known = {f.name for f in fields(cls)}
        if options is None:
            base = cls()
        elif isinstance(options, cls):
            base = options
        elif isinstance(options, Mapping):
            changes = {**dict(options), **changes}
            base = cls()
        else:
            raise ParameterError("options", f"must be DynamicsOptions or a mapping (got {type(options).__name__})")
        unknown = sorted(set(changes) - known)
        if unknown:
            raise ParameterError(
                "options", f"unknown option(s) {', '.join(map(repr, unknown))}; known: {', '.join(sorted(known))}"
            )
        if "method" in changes and "atol" not in changes:
            default_atol = None if base.method == "auto" else (0.0 if base.method in MAGNUS_METHODS else 1e-12)
            if base.atol == default_atol:
                changes["atol"] = None  # the new method's default
        return replace(base, **changes) if changes else base

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict (``inf`` becomes ``null``)."""
        return {f.name: _clean(getattr(self, f.name)) for f in fields(self)}


def _clean(v: Any) -> Any:
    if isinstance(v, (np.floating, np.integer)):
        v = v.item()
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, dict):
        return {k: _clean(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_clean(x) for x in v]
    return v
