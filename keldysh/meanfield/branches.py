"""Every self-consistent solution of a :class:`MeanFieldModel`, not only the branch from ``Delta = 0``.

:func:`keldysh.meanfield.solve_gap` follows one branch: from the bifurcation at the linear-response
threshold it walks up in ``|Delta|`` to the first root.  :func:`gap_solutions` maps the whole
solution set of the self-consistency in the rotating frame, ``|Delta| = V I(|Delta|, omega)``
(the complex Eq. (17)), or of its in-phase part alone (the paper's Eq. (18)), on a window of
``|Delta|``: branches disconnected from ``Delta = 0`` (first-order, bistable), other ``omega``
branches, and every root along a branch.  See :func:`gap_solutions` for the method, its cost and
what it can miss.
"""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np
from scipy.optimize import brentq

from keldysh.errors import ParameterError, check_finite, check_int, shown
from keldysh.meanfield.gap import (
    Integrand,
    MeanFieldResult,
    _check_arguments,
    _energy_scale,
    _linear_response,
    _omega_roots,
    _solution_errors,
    _threshold,
    _track_omega,
    build_grid,
)
from keldysh.meanfield.model import MeanFieldModel, NodeData
from keldysh.meanfield.numeric import kernel

__all__ = ["gap_solutions"]

#: a refined candidate with a larger residual ``|V I - |Delta||/|Delta|`` is a jump between curves, not a root
REJECT_RESIDUAL = 1e-6
#: the smallest relative tolerance scipy's brentq accepts
_RTOL = 4 * np.finfo(float).eps


class _Memo:
    """``I(D, omega)`` remembered: the scans, the trackers and Brent's method revisit points."""

    def __init__(self, I: Integrand) -> None:
        self.I, self.cache = I, {}

    def __call__(self, D: float, w: float) -> complex:
        key = (float(D), float(w))
        val = self.cache.get(key)
        if val is None:
            if len(self.cache) > 20000:
                self.cache.clear()
            val = self.cache[key] = self.I(D, w)
        return val


def _integrand(model: MeanFieldModel, k: np.ndarray, w: np.ndarray, vals: Mapping, method: str) -> Integrand:
    """:class:`Integrand` on the nodes (dephasing channels of zero rate are dropped by ``node_data``)."""
    return Integrand(model, model.node_data(k, w, vals), method)


def _check_options(D_range: Any, n_D: Any, n_omega: Any, stability: Any, condition: str):
    if D_range is not None:
        try:
            lo, hi = D_range
        except (TypeError, ValueError):
            raise ParameterError(
                "D_range", f"must be a pair (lo, hi) with 0 < lo < hi (got {shown(D_range)})"
            ) from None
        lo, hi = check_finite("D_range", lo), check_finite("D_range", hi)
        if not 0 < lo < hi:
            raise ParameterError("D_range", f"must satisfy 0 < lo < hi (got {shown(D_range)})")
        D_range = (lo, hi)
    n_D = check_int("n_D", n_D, 1, 1000)
    n_omega = check_int("n_omega", n_omega, 3, 100001)
    if not isinstance(stability, bool):
        raise ParameterError("stability", f"must be True or False (got {shown(stability)})")
    if stability and condition != "complete":
        raise ParameterError(
            "stability",
            "is the linearised dynamics about a fixed point of the complete condition; an in-phase solution "
            "of Eq. (18) is not one (its Im part does not vanish)",
        )
    return D_range, n_D, n_omega


def _link(rows: list[tuple[float, list[float], list[float]]], dw: float) -> list[dict]:
    """Curves ``omega_j(D)`` from the zeros of every row: nearest neighbour of the position predicted
    by the curve's slope (in ``log D``), within ``max(3 dw, 3 |last step|)``; the rest start or end curves."""
    curves: list[dict] = []
    active: list[int] = []
    for i, (D, ws, gs) in enumerate(rows):
        x = math.log(D)
        pairs = []
        for c in active:
            cv = curves[c]
            w1, x1 = cv["w"][-1], math.log(cv["D"][-1])
            step = 0.0
            if len(cv["w"]) > 1:
                w0, x0 = cv["w"][-2], math.log(cv["D"][-2])
                step = (w1 - w0) * (x - x1) / (x1 - x0)
            cap = max(3 * dw, 3 * abs(step))
            for j, w in enumerate(ws):
                d = abs(w - (w1 + step))
                if d <= cap:
                    pairs.append((d, c, j))
        used_c, used_z, nxt = set(), set(), []
        for _, c, j in sorted(pairs):
            if c in used_c or j in used_z:
                continue
            used_c.add(c)
            used_z.add(j)
            curves[c]["D"].append(D)
            curves[c]["w"].append(ws[j])
            curves[c]["g"].append(gs[j])
            nxt.append(c)
        for j, w in enumerate(ws):
            if j not in used_z:
                curves.append({"D": [D], "w": [w], "g": [gs[j]], "start": i})
                nxt.append(len(curves) - 1)
        for c in active:
            if c not in used_c:
                curves[c]["end"] = i - 1
        active = nxt
    for c in active:
        curves[c]["end"] = len(rows) - 1
    return curves


def _folds(curves: list[dict], rows: list) -> list[tuple[float, float, float, float, float, float]]:
    """Pairs of curves that end (or start) at the same row next to each other in ``omega``: the two
    halves of a curve ``omega(D)`` folding back between that row and the next (previous) one.

    Returns ``(w_a, g_a, w_b, g_b, D_both, D_none)``: the two ends and the rows with both and no zeros.
    """
    out = []
    for key, delta, end in (("end", 1, -1), ("start", -1, 0)):
        by_row: dict[int, list[int]] = {}
        for c, cv in enumerate(curves):
            if 0 <= cv[key] + delta < len(rows):  # not the first or last row of the grid
                by_row.setdefault(cv[key], []).append(c)
        for r, cs in by_row.items():
            zeros = sorted(rows[r][1])
            cs = sorted(cs, key=lambda c: curves[c]["w"][end])
            for a, b in zip(cs, cs[1:]):
                wa, wb = curves[a]["w"][end], curves[b]["w"][end]
                if zeros.index(wb) == zeros.index(wa) + 1:  # neighbours in omega: no zero between them
                    out.append((wa, curves[a]["g"][end], wb, curves[b]["g"][end], rows[r][0], rows[r + delta][0]))
    return out


def gap_solutions(
    model: MeanFieldModel,
    V: float,
    values: Mapping[Any, Any],
    condition: str = "complete",
    method: str = "master",
    order: int = 8,
    D_range: tuple[float, float] | None = None,
    n_D: int = 5,
    n_omega: int = 61,
    tol: float = 1e-12,
    stability: bool = False,
) -> list[MeanFieldResult]:
    """Every solution with ``|Delta| > 0`` of the self-consistency on a window of ``|Delta|``.

    In the frame rotating at ``omega`` (``Delta(t) = |Delta| e^{-2 i omega t}``) the self-consistency
    Eq. (17) reads ``|Delta| = V I(|Delta|, omega)``.  ``condition="complete"`` solves both parts,
    ``Im I(|Delta|, omega) = 0`` and ``V Re I(|Delta|, omega) / |Delta| = 1``; ``condition="in-phase"``
    sets ``omega = 0`` and solves the second only (the paper's Eq. (18)).  Unlike
    :func:`keldysh.meanfield.solve_gap`, which follows the branch from the linear-response threshold to
    its first root, this lists solutions on branches disconnected from ``Delta = 0`` (first-order,
    bistable: for ``|V| < V_c`` too), on every ``omega`` branch, and every root along each branch.

    The unpaired state ``Delta = 0`` solves the self-consistency for every ``V`` and is **not** listed:
    the list holds the paired solutions only (empty if there are none in the window).

    Parameters
    ----------
    model : MeanFieldModel
    V : float
        Coupling (nonzero, finite).
    values : mapping
        Numbers for every parameter of the model (symbols or names).
    condition : {"complete", "in-phase"}
        Both parts of Eq. (17) (default) or the in-phase prescription of Eq. (18).
    method : {"master", "keldysh"}
        Route to the steady covariances, as in :func:`keldysh.meanfield.solve_gap`.
    order : int
        Gauss-Legendre nodes per panel (2..32).
    D_range : (float, float), optional
        Window ``lo < |Delta| < hi``.  Default: ``lo = min(1e-6 E, 1e-4 gamma)``, ``hi = 10 E``, with
        ``E`` the energy scale of :func:`keldysh.meanfield.solve_gap` (largest ``|h_0|`` or jump entry on
        the grid: the band width at the cutoff) and ``gamma`` the smallest damping rate of a node.
    n_D : int
        Points of the logarithmic ``|Delta|`` grid per decade (default 5: neighbours a factor 1.58 apart).
    n_omega : int
        Points of the ``omega`` scan on ``[-E, E]`` at each ``|Delta|`` (complete condition; default 61).
    tol : float
        Relative tolerance of each root in ``|Delta|``.
    stability : bool
        Complete condition only: add ``diagnostics["stability"]``, the linearised self-consistent
        dynamics about each solution (the ``to_json()`` of :func:`keldysh.meanfield.linear_stability`
        on the same grid, where the solution is an exact fixed point: the phase mode comes out at
        rounding), and ``diagnostics["stable"]``.  About 0.8 s per solution for the BCS pair at order 8.

    Returns
    -------
    list of MeanFieldResult
        Sorted by ``|Delta|``.  Each has ``V_c``, ``omega_c`` of the linear-response threshold (as
        :func:`keldysh.meanfield.solve_gap`), ``reason = ""``, and in ``diagnostics`` the residual
        ``|V I - |Delta||/|Delta|`` (its real part for in-phase), the quadrature error (the same
        solution on the grid with every panel halved) and ``delta_error``, the error in ``|Delta|`` it
        implies; ``slope``, ``|Delta| dg/d|Delta|`` of ``g = V Re I/|Delta| - 1`` along the curve
        (its sign tells the roots of a bistable pair apart); the bracket it was refined from and its
        ``source`` (``"curve"`` or ``"fold"``, below).  ``converged`` follows the rule of
        :func:`keldysh.meanfield.solve_gap` (residual < 1e-8, quadrature error < 1e-6).

    Notes
    -----
    **Method.**  On ``N = n_D log10(hi/lo) + 1`` logarithmically spaced ``|Delta|``: (complete) all
    zeros in ``omega`` of ``Im I(|Delta|, .)`` on ``[-E, E]`` -- sign changes of a scan on ``n_omega``
    points (values within the rounding of the sum carry no sign), refined by Brent's method; (in-phase)
    ``omega = 0``.  The zeros of neighbouring rows are linked into curves ``omega_j(|Delta|)`` (nearest
    neighbour of the position extrapolated along the curve's slope).  Along each curve every sign
    change of ``g = V Re I(|Delta|, omega_j)/|Delta| - 1`` between two rows is refined by Brent's method
    in ``|Delta|`` with ``omega`` tracked (secant from the interpolated curve).  Two curves that end
    (or start) side by side between two rows are the halves of one curve folding back in ``|Delta|``;
    a sign change of ``g`` across such a fold is refined along ``omega`` (Brent's method) with
    ``|Delta|`` solved at each ``omega`` from ``Im I = 0``.  Candidates closer than ``1e-9`` (relative)
    are merged; a candidate whose residual exceeds 1e-6 (a jump between two curves, not a root) is
    dropped.

    **Cost.**  ``N (n_omega + ~10 per zero)`` evaluations of ``I`` for the complete condition (about
    ``35 x 70 = 2500`` for the default window of the BCS pair of ``docs/meanfield.md``: ~6 s at ~490
    nodes), ``N`` for in-phase, plus ~10-40 per solution; one evaluation is a batched solve over the
    momentum nodes.

    **Limits.**  A sampled search: it can miss (i) two zeros of ``Im I`` in ``omega`` closer than the
    scan spacing ``2E/(n_omega - 1)`` (a pair of curves is then invisible), (ii) two roots of ``g`` on
    one curve between neighbouring rows (an even number of sign changes cancels: a short bistable window
    narrower than the factor ``10^(1/n_D)``), (iii) solutions outside ``D_range`` or with
    ``|omega| > E``; and curve linking can break where curves come closer than their step between rows.
    Refine by raising ``n_D`` and ``n_omega`` or narrowing ``D_range`` around a region of interest; the
    result is trustworthy when it does not change.  For long momentum windows ``E`` is large (the band
    width at the cutoff): the default window and scan spacing then follow ``E``, so pass ``D_range``
    (and a larger ``n_omega``).
    """
    t0 = time.perf_counter()
    V, tol = _check_arguments(model, V, condition, method, order, tol)
    if method == "fock":
        raise ParameterError(
            "method", "gap_solutions scans the Nambu routes (master or keldysh); use solve_gap for fock"
        )
    D_range, n_D, n_omega = _check_options(D_range, n_D, n_omega, stability, condition)
    vals = model.resolve(values)
    grid, feats = build_grid(model, vals, order)
    if len(grid) == 0:
        return []
    raw = _integrand(model, grid.k, grid.w, vals, method)
    nd: NodeData = raw.nd
    E = _energy_scale(nd)
    if D_range is None:
        gam = float(np.min(-np.linalg.eigvals(kernel(nd, 0.0, 0.0)).imag.max(axis=1)))
        lo = min(1e-6 * E, 1e-4 * gam) if gam > 0 else 1e-6 * E
        D_range = (lo, 10 * E)
    lo, hi = D_range
    chi, chi0, noise, _ = _linear_response(raw, E, eps=min(1e-7 * E, 0.1 * lo))
    Vc, omega_c, chi0, _ = _threshold(chi, chi0, noise, len(grid), E, condition, V)
    I = _Memo(raw)
    complete = condition == "complete"

    # -- rows: the zeros of Im I in omega at every |Delta| of the grid, and g on them
    Ds = np.geomspace(lo, hi, max(2, math.ceil(n_D * math.log10(hi / lo)) + 1))
    rows = []
    for D in Ds:
        D = float(D)
        if complete:
            I.cache[(D, 0.0)] = raw(D, 0.0)
            noise_D = max(256 * np.finfo(float).eps * raw.abs_sum, noise * D)
            ws = _omega_roots(lambda w, D=D: I(D, w).imag, E, noise=noise_D, n=n_omega)
        else:
            ws = [0.0]
        rows.append((D, ws, [V * I(D, w).real / D - 1.0 for w in ws]))
    curves = _link(rows, 2 * E / (n_omega - 1))

    # -- sign changes of g along every curve, refined with omega tracked
    found: list[tuple[float, float, tuple[float, float], str]] = []

    def on_curve(Da: float, wa: float, Db: float, wb: float) -> None:
        la, lb = math.log(Da), math.log(Db)
        last = {}

        def g(D: float) -> float:
            if not complete:
                return V * I(D, 0.0).real / D - 1.0
            guess = wa + (wb - wa) * (math.log(D) - la) / (lb - la)
            w = wa if D == Da else wb if D == Db else _track_omega(I, D, guess, E)
            if w is None:
                raise ValueError("omega lost")
            last[D] = w
            return V * I(D, w).real / D - 1.0

        try:
            D = brentq(g, Da, Db, xtol=tol * Da, rtol=max(tol, _RTOL))
            g(D)
        except ValueError:  # the tracker left the curve, or the bracket did not survive tracking
            return
        found.append((D, last.get(D, 0.0), (Da, Db), "curve"))

    for cv in curves:
        for a in range(len(cv["D"])):
            if cv["g"][a] == 0.0:
                found.append((cv["D"][a], cv["w"][a], (cv["D"][a], cv["D"][a]), "curve"))
            elif a + 1 < len(cv["D"]) and cv["g"][a] * cv["g"][a + 1] < 0:
                on_curve(cv["D"][a], cv["w"][a], cv["D"][a + 1], cv["w"][a + 1])

    # -- sign changes of g around a fold of omega(|Delta|) between two rows
    for wa, ga, wb, gb, D_both, D_none in _folds(curves, rows) if complete else []:
        if ga * gb >= 0:
            continue
        d_lo, d_hi = sorted((D_both, D_none))
        at = {}

        def h(w: float, wa=wa, wb=wb, ga=ga, gb=gb, d_lo=d_lo, d_hi=d_hi, at=at) -> float:
            if w in (wa, wb):
                return ga if w == wa else gb
            D = brentq(lambda x: I(math.exp(x), w).imag, math.log(d_lo), math.log(d_hi), xtol=tol, rtol=_RTOL)
            at[w] = math.exp(D)
            return V * I(at[w], w).real / at[w] - 1.0

        try:
            w = brentq(h, wa, wb, xtol=1e-14 * E, rtol=_RTOL)
            h(w)
        except ValueError:
            warnings.warn(
                f"gap_solutions: a solution may lie at a fold of omega(|Delta|) between |Delta| = {d_lo:.4g} "
                f"and {d_hi:.4g} (omega ~ {0.5 * (wa + wb):.4g}) that could not be refined: raise n_D there",
                RuntimeWarning,
                stacklevel=2,
            )
            continue
        if w in at:
            found.append((at[w], w, (d_lo, d_hi), "fold"))

    # -- merge duplicates, check, and build the results
    found.sort()
    unique: list[tuple[float, float, tuple[float, float], str]] = []
    for s in found:
        if not any(abs(s[0] - u[0]) <= 1e-9 * s[0] and abs(s[1] - u[1]) <= 1e-9 * E for u in unique):
            unique.append(s)
    I2 = _integrand(model, grid.refined().k, grid.refined().w, vals, method)
    params = {s.name: v for s, v in vals.items()}
    out: list[MeanFieldResult] = []
    rejected = 0
    for D, w, bracket, source in unique:
        resid, qerr, converged = _solution_errors(raw, I2, V, D, w, condition)
        if not resid <= REJECT_RESIDUAL:
            rejected += 1
            continue
        # slope of g = V Re I/|Delta| - 1 along the curve: the quadrature error in |Delta|
        D1 = D * (1 + 1e-6)
        w1 = _track_omega(I, D1, w, E) if complete else 0.0
        slope = (V * I(D1, w1).real / D1 - V * I(D, w).real / D) / (D1 - D) if w1 is not None else math.nan
        diag: dict[str, Any] = {
            "nodes": len(grid),
            "features": [k for k, _ in feats],
            "chi0": [chi0.real, chi0.imag],
            "residual": resid,
            "quadrature_error": qerr,
            "slope": D * slope,
            "delta_error": qerr / abs(slope) if slope else math.inf,
            "bracket": list(bracket),
            "source": source,
        }
        if stability:
            from keldysh.meanfield.stability import linear_stability

            st = linear_stability(model, V, values, delta=D, omega=w, order=order)
            diag.update(stability=st.to_json(), stable=bool(st.stable))
        out.append(
            MeanFieldResult(
                delta=float(D),
                omega=float(w),
                V=V,
                V_c=abs(Vc),
                omega_c=float(omega_c),
                condition=condition,
                method=method,
                converged=converged,
                reason="",
                params=params,
                diagnostics=diag,
            )
        )
    summary = {
        "D_grid": [lo, hi, len(Ds)],
        "n_omega": n_omega if complete else 1,
        "curves": len(curves),
        "rejected": rejected,
        "calls": raw.calls + I2.calls,
        "seconds": time.perf_counter() - t0,
    }
    for r in out:
        r.diagnostics.update(summary)
    return out
