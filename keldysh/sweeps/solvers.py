"""Gap and dynamics solvers for a *group* of sweep points: one model, many couplings ``V``.

Every point of a sweep is the single call at the same parameters (:func:`keldysh.solve_gap`,
:func:`keldysh.simulate`); where the model allows, a group shares the work that does not depend on ``V``:

* paper models (:mod:`keldysh.paper.solvers.gap`, Eqs. (18)-(19)): the momentum grid and the
  ``|Delta|^2``-polynomial kernel are built once; the threshold ``V_c = -1/int (dk) g(k; 0)``
  (Eq. (22) at the cutoff), the bistable scan and the bracket expansion use integrals that do not
  depend on ``V``; the roots of ``1 + V int (dk) g(k; |Delta|) = 0`` are found for all ``V`` at
  once, in one compiled loop (Illinois false position, :mod:`keldysh.sweeps._roots`), to the solver's ``rtol``.
  Along the innermost axis the neighbouring point's ``|Delta|`` seeds the bracket (a warm start,
  used only when it lies inside the single call's bracket and brackets a sign change there).
* :class:`keldysh.MeanFieldModel` and the paper's models under the complete condition (their engine
  form, :func:`keldysh.models.paper.engine_model`): every point is the single call
  :func:`keldysh.meanfield.solve_gap` (Eq. (17) complete, or Eq. (18) in-phase); these points cost
  seconds each, and the sweep's gain is the parallel run and the checkpoint.
* dynamics: :func:`keldysh.paper.solvers.dynamics.simulate_many` advances the couplings of a
  paper model together; engine models run :func:`keldysh.meanfield.simulate` per point.  Every run
  starts from the model's standard initial state, so ``t_converged`` keeps its meaning.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from keldysh.errors import ParameterError
from keldysh.sweeps._roots import rational_integral, roots

__all__ = ["GAP_FIELDS", "DYNAMICS_FIELDS", "paper_gap_group", "engine_gap_group", "dynamics_group", "error_row"]

#: variables of a gap sweep (name -> (dtype, fill value))
GAP_FIELDS: dict[str, tuple[str, Any]] = {
    "delta": ("f8", math.nan),
    "omega": ("f8", math.nan),
    "V_c": ("f8", math.nan),
    "converged": ("bool", False),
    "reason": ("str", ""),
}
#: variables of a dynamics sweep
DYNAMICS_FIELDS: dict[str, tuple[str, Any]] = {
    "delta_final": ("f8", math.nan),
    "t_converged": ("f8", math.nan),
    "reason": ("str", ""),
}

#: relative half-width of the warm-start bracket around the neighbour's |Delta|
WARM_WIDTH = 0.05


def error_row(fields: dict[str, tuple[str, Any]], n: int, exc: BaseException) -> dict[str, np.ndarray]:
    """Values of ``n`` points whose solve raised ``exc`` (a parameter out of range, no steady state)."""
    out = _empty(fields, n)
    out["reason"][:] = f"error: {exc}"
    return out


def _empty(fields: dict[str, tuple[str, Any]], n: int) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {}
    for name, (dtype, fill) in fields.items():
        out[name] = np.full(n, fill, dtype=object if dtype == "str" else dtype)
    return out


# ------------------------------------------------------------------------------ paper models
def paper_gap_group(
    model: Any, Vs: Sequence[float], method: str | None, order: int, rtol: float, seeds: np.ndarray | None = None
) -> dict[str, np.ndarray]:
    """Gap of a paper model (:class:`keldysh.LaserModel`, Sect. III/Appendix models) at every ``V``.

    Equal to ``keldysh.solve_gap(model, V, method, order=order, rtol=rtol)`` at each ``V`` (Eqs.
    18-19; ``V_c`` and the reasons to the last bit, ``|Delta|`` to the solver's ``rtol``).

    Parameters
    ----------
    model : LaserModel, PumpingModel or ThreeBandModel
    Vs : sequence of float
        Couplings (non-zero, finite; validated by the caller).
    method : str or None
        Kernel (``model.gap_methods()``); ``None`` the model's default.
    order, rtol : int, float
        Gauss nodes per panel and relative tolerance of the root (the solver's defaults: 12, 1e-12).
    seeds : ndarray, optional
        ``|Delta|`` of the neighbouring point for each ``V`` (0 or NaN: none): warm-start brackets.
    """
    from keldysh.paper.quadrature import momentum_grid
    from keldysh.paper.solvers import gap as PG

    Vs = np.asarray(Vs, dtype=float)
    n = Vs.size
    out = _empty(GAP_FIELDS, n)
    out["omega"][:] = 0.0
    method, kernel = PG.get_kernel(model, method)
    grid = momentum_grid(model, order=order)
    if kernel not in (PG.kernel_master, PG.kernel_eq19):
        # kernels that take a scalar |Delta| only: the solver itself on the shared grid
        for i, V in enumerate(Vs):
            r = PG.solve_gap(model, float(V), method, grid=grid, order=order, rtol=rtol, estimate_error=False)
            out["delta"][i], out["V_c"][i], out["converged"][i], out["reason"][i] = (
                r.delta,
                r.V_c,
                r.converged,
                r.reason,
            )
        return out

    # -- as solve_gap: the kernel at |Delta| = 0, threshold and sign rule (bitwise the same numbers)
    k0 = kernel(model, grid, 0.0)
    I0 = float(np.real(grid.integrate(k0))) if grid.size else 0.0
    I0_abs = float(np.real(grid.integrate(np.abs(k0)))) if grid.size else 0.0
    if not np.isfinite(I0):
        raise ParameterError("model", "the gap kernel is not finite at |Delta| = 0; check the parameters")
    if abs(I0) <= 64 * np.finfo(float).eps * I0_abs or PG._identically_zero(model, grid):
        I0 = 0.0
    need = -int(np.sign(I0)) if I0 != 0 else 0
    V_c = (-1.0 / I0) * need if I0 != 0 else math.inf
    V_c = abs(V_c) if math.isfinite(V_c) else V_c
    out["V_c"][:] = V_c
    out["converged"][:] = True
    if need == 0:
        out["delta"][:] = 0.0
        out["reason"][:] = "no superconducting solution: " + PG._vanishing_reason(model, grid, I0_abs)
        return out

    w = grid.w
    # the kernel is P(|Delta|^2)/Q(|Delta|^2) per node, coefficients precomputed by the paper solver
    P, Q = grid.cache[("population", "exact" if kernel is PG.kernel_master else "eq13")]

    def integral(d: np.ndarray) -> np.ndarray:  # int (dk) g(k; |Delta|) for an array of |Delta|
        return rational_integral(P, Q, w, d)

    out["delta"][:] = 0.0
    wrong = np.sign(Vs) != need
    for i in np.flatnonzero(wrong):
        out["reason"][i] = PG._sign_rule_text(model, need)
    lo = np.full(n, np.nan)
    hi = np.full(n, np.nan)
    below = ~wrong & (np.abs(Vs) <= V_c)
    if below.any():  # the single call's scan for a finite-|Delta| branch below threshold
        ds = np.geomspace(1e-4, 1e3, 57) * model.Gamma
        Ids = integral(ds)
        for i in np.flatnonzero(below):
            vals = 1.0 + Vs[i] * Ids
            neg = np.nonzero(vals < 0)[0]
            if neg.size == 0 or neg[-1] + 1 >= ds.size:
                out["reason"][i] = (
                    f"no superconducting solution: |V| = {abs(Vs[i]):g} is below the threshold "
                    f"V_c = {V_c:.6g} ({PG._threshold_note(model)})"
                )
            else:
                lo[i], hi[i] = ds[neg[-1]], ds[neg[-1] + 1]
    above = ~wrong & ~below
    if above.any() and model.THRESHOLD_ONLY:
        for i in np.flatnonzero(above):
            out["reason"][i] = (
                f"above threshold (|V| = {abs(Vs[i]):g} > V_c = {V_c:.6g}), but this model fixes only the "
                f"threshold and the sign, not |Delta| ({PG._threshold_note(model)})"
            )
        above[:] = False
    if above.any():  # the single call's bracket: [0, G], then [4^(j-1) G, 4^j G] until F(hi) >= 0
        G = max(model.Gamma, 1e-300)
        his = G * 4.0 ** np.arange(201)
        Ih = np.full(his.size, np.nan)
        todo = np.flatnonzero(above)
        j0 = 0
        while todo.size and j0 < his.size:
            j1 = min(j0 + 8, his.size)
            Ih[j0:j1] = integral(his[j0:j1])
            F = 1.0 + Vs[todo, None] * Ih[None, j0:j1]
            ok = F >= 0
            hit = ok.any(axis=1)
            first = np.argmax(ok, axis=1) + j0
            idx = todo[hit]
            hi[idx] = his[first[hit]]
            lo[idx] = np.where(first[hit] == 0, 0.0, his[np.maximum(first[hit] - 1, 0)])
            todo = todo[~hit]
            j0 = j1
        for i in todo:
            out["reason"][i] = "no root found: |Delta| grows without bound (check the cutoff)"
            out["converged"][i] = False
    act = np.flatnonzero(np.isfinite(lo) & np.isfinite(hi))
    if act.size:
        Va = Vs[act]
        a, b = lo[act], hi[act]
        fa = 1.0 + Va * integral(a)
        fb = 1.0 + Va * integral(b)
        if seeds is not None:  # warm start: a narrow bracket around the neighbour's |Delta|
            s = np.asarray(seeds, dtype=float)[act]
            use = np.isfinite(s) & (s > 0) & (s / (1 + WARM_WIDTH) > a) & (s * (1 + WARM_WIDTH) < b)
            if use.any():
                u = np.flatnonzero(use)
                wa, wb = s[u] / (1 + WARM_WIDTH), s[u] * (1 + WARM_WIDTH)
                fwa = 1.0 + Va[u] * integral(wa)
                fwb = 1.0 + Va[u] * integral(wb)
                good = (fwa < 0) & (fwb >= 0)
                g = u[good]
                a[g], b[g], fa[g], fb[g] = wa[good], wb[good], fwa[good], fwb[good]
        x, conv = roots(P, Q, w, Va, a, b, fa, fb, max(rtol, 4 * np.finfo(float).eps))
        out["delta"][act] = x
        out["converged"][act] = conv
    return out


# ------------------------------------------------------------------------------ engine models
def engine_gap_group(
    model: Any,
    values: dict,
    Vs: Sequence[float],
    condition: str,
    method: str | None,
    order: int | None,
    tol: float | None,
) -> dict[str, np.ndarray]:
    """Gap of a :class:`keldysh.MeanFieldModel` at every ``V``: the single call at each point.

    :func:`keldysh.meanfield.solve_gap` (complete condition, Eq. (17): ``|Delta|`` and ``omega``; or
    in-phase, Eq. (18)) with the solver's own defaults for the options not given, so that a point is
    the single call to the last bit.

    Parameters
    ----------
    model : MeanFieldModel
    values : dict
        Values of every parameter of the model.
    Vs : sequence of float
        Couplings.
    condition : {"complete", "in-phase"}
    method, order, tol : optional
        Solver options (``None``: the solver's default).

    Returns
    -------
    dict of str to ndarray
        ``delta, omega, V_c, converged, reason`` per coupling.
    """
    from keldysh.meanfield.gap import solve_gap

    opts = {k: v for k, v in (("method", method), ("order", order), ("tol", tol)) if v is not None}
    Vs = np.asarray(Vs, dtype=float)
    out = _empty(GAP_FIELDS, Vs.size)
    for i, V in enumerate(Vs):
        r = solve_gap(model, float(V), values, condition=condition, **opts)
        out["delta"][i], out["omega"][i], out["V_c"][i] = r.delta, r.omega, r.V_c
        out["converged"][i], out["reason"][i] = r.converged, r.reason
    return out


# ------------------------------------------------------------------------------ dynamics
def dynamics_group(
    model: Any,
    values: dict | None,
    Vs: Sequence[float],
    condition: str,
    t_max: float,
    engine: bool,
) -> dict[str, np.ndarray]:
    """``|Delta(t_max)|`` and the time to converge (1%) of the self-consistent dynamics at every ``V``.

    Paper :class:`keldysh.LaserModel`: Eq. (9) with the in-phase self-consistency Eq. (18)
    (``condition="in-phase"``) or the full Eq. (17) (``"complete"``), all ``V`` advanced together
    (:func:`keldysh.paper.solvers.dynamics.simulate_many`).  :class:`keldysh.MeanFieldModel`: the
    lab-frame bilinear equations with the full self-consistency (:func:`keldysh.meanfield.simulate`).
    ``t_converged`` is :func:`keldysh.paper.solvers.dynamics.t_converged` (NaN: not within the run).

    Parameters
    ----------
    model : LaserModel or MeanFieldModel
    values : dict or None
        Parameter values (``MeanFieldModel``).
    Vs : sequence of float
        Couplings.
    condition : {"complete", "in-phase"}
        Projection of the paper's dynamics (Eq. (17) or Eq. (18)).
    t_max : float
        Length of each run.
    engine : bool
        ``model`` is a ``MeanFieldModel``.

    Returns
    -------
    dict of str to ndarray
        ``delta_final, t_converged, reason`` per coupling.
    """
    from keldysh.paper.solvers.dynamics import t_converged

    Vs = np.asarray(Vs, dtype=float)
    out = _empty(DYNAMICS_FIELDS, Vs.size)
    if engine:
        from keldysh.meanfield.dynamics import simulate

        for i, V in enumerate(Vs):
            run = simulate(model, float(V), values, t_max, progress=False)
            a = np.abs(run.Delta)
            tc = t_converged(run.times, a)
            out["delta_final"][i] = float(a[-1])
            out["t_converged"][i] = math.nan if tc is None else tc
        return out
    from keldysh.paper.solvers.dynamics import simulate_many

    projection = "eq18" if condition == "in-phase" else "eq17"
    runs = simulate_many(model, [float(v) for v in Vs], t_max=t_max, projection=projection, progress=False)
    for i, r in enumerate(runs):
        out["delta_final"][i] = r.delta_final
        out["t_converged"][i] = math.nan if r.t_converged is None else r.t_converged
    return out
