"""Analysis of a trajectory: convergence time, fitted relaxation oscillation, and the steady
anomalous correlator of Eq. (10) to compare with."""

from __future__ import annotations

from typing import Any

import numpy as np


def t_converged(times: np.ndarray, values: np.ndarray, rtol: float = 0.01) -> float | None:
    """First time after which ``values`` stays within ``rtol`` (relative) of its final value.

    ``None`` when the final value is 0, when the band is entered only in the last 10% of
    the run (then "converged" would merely mean "close to where the run stopped"), or when the
    run never leaves the band (no approach seen: e.g. a run far shorter than the relaxation).
    """
    times = np.asarray(times, float)
    v = np.asarray(values, float)
    if v.size < 2:
        return None
    final = v[-1]
    if final == 0 or not np.isfinite(final):
        return None
    outside = np.nonzero(np.abs(v - final) > rtol * abs(final))[0]
    if outside.size == 0:
        return None
    i = int(outside[-1]) + 1
    if i >= v.size - 1 or times[i] > times[-1] - 0.1 * (times[-1] - times[0]):
        return None
    return float(times[i])


def relaxation_fit(
    times: np.ndarray, values: np.ndarray, final: float | None = None, band: float = 0.1, floor: float = 1e-4
) -> dict[str, float] | None:
    """Period and decay time of the damped oscillation with which ``values`` settles.

    After ``values`` has entered the band ``|values - final| <= band * final`` for good (the
    linear regime of the approach), its leading run of evenly spaced local extrema gives the
    period (twice their mean spacing) and, through the peak-to-peak swings averaged over
    neighbours (which removes a slow monotonic creep), the decay time of the oscillation
    (exponential fit, swings down to ``floor * final``).  This is the route independent of
    :func:`keldysh.paper.solvers.stability.linear_stability`, whose dominant eigenvalue predicts
    both.  ``None`` when the approach is not such an oscillation: too few evenly spaced
    extrema (within 40% of the first spacings), or swings not exponentially decaying
    (``R^2 < 0.8``).
    """
    t = np.asarray(times, float)
    v = np.asarray(values, float)
    if final is None:
        final = float(v[-1])
    if t.size < 8 or not final > 0:
        return None
    outside = np.nonzero(np.abs(v - final) > band * final)[0]
    start = int(outside[-1]) + 1 if outside.size else 0
    t, v = t[start:], v[start:]
    if t.size < 8:
        return None
    sl = np.sign(np.diff(v))
    ext = np.nonzero(sl[1:] * sl[:-1] < 0)[0] + 1
    if ext.size < 6:
        return None
    te = t[ext]
    spacing = np.diff(te)
    ref = float(np.median(spacing[:4]))
    # the leading run of evenly spaced extrema (a slow creep or noise ends the oscillation)
    irregular = np.nonzero(np.abs(spacing - ref) > 0.4 * ref)[0]
    n = int(irregular[0]) if irregular.size else spacing.size
    swing = 0.5 * np.abs(np.diff(v[ext]))[:n]
    swing_t = 0.5 * (te[1:] + te[:-1])[:n]
    # average neighbouring half swings: a superposed monotonic creep alternately adds to and
    # subtracts from them
    full = 0.5 * (swing[1:] + swing[:-1])
    full_t = 0.5 * (swing_t[1:] + swing_t[:-1])
    keep = full >= floor * final
    if keep.sum() < 3:
        return None
    full, full_t = full[keep], full_t[keep]
    y = np.log(full)
    slope, icpt = np.polyfit(full_t, y, 1)
    r2 = 1.0 - float(np.sum((y - (slope * full_t + icpt)) ** 2)) / max(float(np.sum((y - y.mean()) ** 2)), 1e-300)
    if slope >= 0 or r2 < 0.8:
        return None
    return {
        "period": 2.0 * float(np.mean(spacing[:n])),
        "decay_time": -1.0 / float(slope),
        "swings": int(n),
        "t_start": float(t[0]),
        "r2": r2,
    }


def steady_anomalous(model: Any, grid: Any, delta: complex) -> np.ndarray:
    """Eq. (10): ``s21 = -conj(Delta) x / (E + i Gamma)`` with the exact steady-state ``x`` of Eq. (9).

    ``x = n11 + n22 - 1`` from :func:`keldysh.paper.build.population_deviation_func` ("exact",
    Eqs. (11)-(12) at T = 0) at ``|Delta|``.
    """
    from keldysh.paper.build import population_deviation_func

    x = population_deviation_func("exact")(
        grid.E, grid.eps, abs(delta), model.Omega, model.Gamma1, model.Gamma2, grid.f1, grid.f2
    )
    x = np.broadcast_to(np.asarray(x, float), grid.E.shape)
    return -np.conj(delta) * x / (grid.E + 1j * model.Gamma)
