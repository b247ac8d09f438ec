"""Run bookkeeping shared by the integrators: progress bar, recorder, early stop, input
validation and the per-coupling member of a (batched) run."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from keldysh.errors import ParameterError, check_finite, check_magnitude, check_positive, shown
from keldysh.paper.params import LaserModel
from keldysh.paper.solvers.dynamics.options import PROJECTIONS, DynamicsOptions
from keldysh.paper.solvers.dynamics.state import nambu_eigenvalues
from keldysh.progress import interactive as _interactive  # noqa: F401  (re-exported)
from keldysh.progress import progress_bar as _progress  # noqa: F401  (re-exported)


class _Recorder:
    def __init__(self, every: float):
        self.every = every
        self.t: list = []
        self.D: list = []

    def add(self, t: float, D: complex, force: bool = False) -> bool:
        if force or not self.t or self.every == 0 or t - self.t[-1] >= self.every:
            if self.t and t == self.t[-1]:
                self.D[-1] = D
                return False
            self.t.append(t)
            self.D.append(D)
            return True
        return False


def _early_stop(rec: _Recorder, opts: DynamicsOptions) -> bool:
    if opts.stop_rtol is None or len(rec.t) < 20:
        return False
    t = np.asarray(rec.t)
    a = np.abs(np.asarray(rec.D))
    sel = t >= t[-1] * (1 - opts.stop_window)
    if sel.sum() < 10 or a[-1] == 0:
        return False
    return bool(np.max(np.abs(a[sel] - a[-1])) <= opts.stop_rtol * a[-1])


def _validate_common(model: Any, V: float, t_max: float, seed: Any, projection: str):
    V = check_finite("V", V)
    if V == 0:
        raise ParameterError("V", "must be non-zero (V = 0 has no pairing)")
    # the range of the model's numbers (LaserModel): beyond it the self-consistent Eq. (9) is stiffer
    # than any step resolves, and below it no seed is a physical state
    check_magnitude("V", V, hi=1e6, lo=1e-30)
    t_max = check_positive("t_max", t_max)
    try:
        seed = complex(seed)
    except (TypeError, ValueError, OverflowError, ArithmeticError):
        raise ParameterError("seed", f"must be a (complex) number (got {shown(seed)})") from None
    if not (math.isfinite(seed.real) and math.isfinite(seed.imag)):
        raise ParameterError("seed", f"must be finite (got {shown(seed)})")
    if not isinstance(projection, str) or projection not in PROJECTIONS:
        raise ParameterError("projection", f"must be one of {', '.join(PROJECTIONS)} (got {shown(projection)})")
    if not isinstance(model, LaserModel):
        raise ParameterError("model", f"must be a LaserModel (got {type(model).__name__})")
    return V, t_max, seed


class _Member:
    """One coupling of a (batched) run: weights, state, recorder and diagnostics."""

    def __init__(self, K: np.ndarray, u0: np.ndarray, opts: DynamicsOptions, omega_max: float):
        self.K, self.u0, self.u, self.t_end = K, u0, u0, 0.0
        self.rec = _Recorder(opts.record_every)
        self.check_every = opts.check_every
        self.n_rec = 0
        self.diag: dict[str, Any] = {
            "omega_max": omega_max,
            "population_min": float(min(u0[:, 0].min(), u0[:, 1].min())),
            "population_max": float(max(u0[:, 0].max(), u0[:, 1].max())),
            "nambu_min_eig": math.inf,
            "nambu_max_eig": -math.inf,
            "steps": 0,
            "rejected": 0,
        }

    def delta_of(self, u: np.ndarray) -> complex:
        """Eq. (18) (or 17): ``Delta = conj(sum_k K_k s21_k)``."""
        return complex(np.conj(np.dot(self.K, u[:, 4] + 1j * u[:, 5])))

    def check_state(self, u: np.ndarray, full: bool) -> None:
        """Track the population range (and, if ``full``, the Nambu eigenvalues) of ``u``; raise
        ``FloatingPointError`` if it is not finite.  Called after every recorded step."""
        d = self.diag
        pops = u[:, :2]
        d["population_min"] = min(d["population_min"], float(pops.min()))
        d["population_max"] = max(d["population_max"], float(pops.max()))
        if full:
            ev = nambu_eigenvalues(u)
            d["nambu_min_eig"] = min(d["nambu_min_eig"], float(ev.min()))
            d["nambu_max_eig"] = max(d["nambu_max_eig"], float(ev.max()))
        if not np.isfinite(u).all():
            raise FloatingPointError("the state became non-finite")

    def record(self, t: float, D: complex, u: np.ndarray, force: bool) -> None:
        if self.rec.add(t, D, force=force):
            self.n_rec += 1
            self.check_state(u, self.n_rec % self.check_every == 0)
