"""``simulate``: the self-consistent time evolution ``Delta(t)`` of a mean-field model.

Lab frame (no rotating frame, no RWA): every node's ``G_k = <Psi Psi^+>`` obeys
``dG/dt = -i K(Delta) G + i G K(Delta)^+ + M + sum_d r_d l_d G l_d`` with the instantaneous
self-consistency ``Delta(t) = V int measure s_k(G_k(t)) dk`` (Eq. (17), ``projection="complete"``)
or its part in phase with ``Delta`` (Eq. (18), ``projection="in-phase"``); integrated by SciPy's
DOP853 (default) or the adaptive Magnus integrator of :mod:`keldysh.meanfield.magnus`.
A stationary rotating solution shows as ``Delta(t) = |Delta| e^{-2 i omega t}``.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.integrate import solve_ivp

from keldysh.errors import ParameterError, check_finite, check_int, check_positive, shown
from keldysh.meanfield._kernels import bilinear_rhs
from keldysh.meanfield.magnus import MAGNUS_METHODS, affine_system, run_magnus
from keldysh.meanfield.model import MeanFieldModel
from keldysh.meanfield.numeric import covariance_master, kernel
from keldysh.meanfield.quadrature import build_grid
from keldysh.results import ArrayResultMixin

__all__ = ["simulate", "MeanFieldRun", "METHODS", "PROJECTIONS"]

#: integrators of :func:`simulate`
METHODS = ("dop853",) + MAGNUS_METHODS
#: self-consistencies of :func:`simulate`: Eq. (17) and its in-phase part, Eq. (18)
#: (the paper solver's ``projection="eq17"`` and ``"eq18"``)
PROJECTIONS = ("complete", "in-phase")
#: state spaces of :func:`simulate`: the Nambu bilinears or the nodes' Fock-space density matrices
ROUTES = ("nambu", "fock")


@dataclass
class MeanFieldRun(ArrayResultMixin):
    """``Delta(t)`` of :func:`simulate` (``Delta`` complex) and run diagnostics.

    ``to_xarray()`` / ``to_dataframe()`` (dimension ``t``), ``save`` / ``load`` (version,
    parameters and time recorded; :mod:`keldysh.results`).
    """

    times: np.ndarray
    Delta: np.ndarray
    V: float
    params: dict[str, float]
    diagnostics: dict[str, Any] = field(default_factory=dict)

    _DIMS = {"times": "t", "Delta": "t"}
    _COORDS = {"t": "times"}
    _LONG_NAMES = {"times": "time t", "Delta": "order parameter Delta(t) (complex)"}

    def _summary(self) -> list[tuple[str, str]]:
        return [("V", f"{self.V:g}"), ("t_end", f"{self.times[-1]:g}"), ("final |Delta|", f"{abs(self.Delta[-1]):.6g}")]

    def frequency(self, fraction: float = 0.25) -> float:
        """``omega`` of ``Delta ~ e^{-2 i omega t}`` fitted on the last ``fraction`` of the run."""
        n = max(int(len(self.times) * fraction), 3)
        phase = np.unwrap(np.angle(self.Delta[-n:]))
        slope = np.polyfit(self.times[-n:], phase, 1)[0]
        return float(-slope / 2)

    def magnitude(self, fraction: float = 0.1) -> float:
        """Mean ``|Delta|`` over the last ``fraction`` of the run."""
        n = max(int(len(self.times) * fraction), 1)
        return float(np.mean(np.abs(self.Delta[-n:])))

    def plot(self, ax=None, log: bool = True):
        """``|Delta(t)|`` (log axis by default) into ``ax`` (a new figure when ``None``); returns the axes."""
        if ax is None:
            import matplotlib.pyplot as plt

            _, ax = plt.subplots(figsize=(6.4, 4.0))
        a = np.abs(self.Delta)
        ax.plot(self.times, np.where(a > 0, a, np.nan), label=f"V = {self.V:g}")
        if log:
            ax.set_yscale("log")
        ax.set_xlabel("$t$")
        ax.set_ylabel(r"$|\Delta(t)|$")
        return ax

    def __repr__(self) -> str:
        return (
            f"<MeanFieldRun: t in [0, {self.times[-1]:g}], {len(self.times)} samples, "
            f"final |Delta| = {abs(self.Delta[-1]):.6g}>"
        )


def simulate(
    model: MeanFieldModel,
    V: float,
    values: Mapping[Any, Any],
    t_max: float,
    Delta0: complex | None = None,
    samples: int = 2001,
    rtol: float = 1e-8,
    order: int = 8,
    progress: bool | None = None,
    method: str = "dop853",
    projection: str = "complete",
    route: str | None = None,
) -> MeanFieldRun:
    """Integrate the self-consistent bilinear equations from the normal steady state plus a seed.

    Parameters
    ----------
    model : MeanFieldModel
    V : float
        Coupling.
    values : mapping
        Parameter values.
    t_max : float
        Final time (> 0).
    Delta0 : complex, optional
        Seed: the run starts from the steady state of the block at ``Delta = Delta0`` (default
        ``1e-3`` of the energy scale).
    samples : int
        Output times (uniform).
    rtol : float
        ``"dop853"``: relative tolerance on every entry of ``G`` (absolute: ``rtol * 1e-3``).
        Magnus methods: local error of the ``Delta`` path per step, ``<= rtol max(|Delta|,
        sum_k |contribution_k|)`` (absolute tolerance 0, as in the paper solver); the global error
        then grows like ``steps x rtol``, against ~``rtol`` for DOP853.
    order : int
        Gauss-Legendre nodes per panel of the momentum grid (2..32).
    progress : bool or None
        Progress bar over ``t`` (``tqdm.auto``); ``None``: shown on a terminal or in a notebook, after 2 s.
    method : {"dop853", "magnus4", "magnus2"}
        ``"dop853"`` (default): SciPy's DOP853 on ``G`` (the step follows the fastest node).
        ``"magnus4"`` / ``"magnus2"``: the adaptive exponential integrator of
        :mod:`keldysh.meanfield.magnus` (exact per-node exponentials of the 4th/2nd-order Magnus
        generator, self-consistent ``Delta`` at the Gauss points; the step follows ``Delta`` only;
        with ``projection="complete"`` in a frame that follows the phase of ``Delta``).  The Magnus
        methods pay off for long runs towards a stationary (in-phase) or uniformly rotating
        (complete) state at moderate accuracy; DOP853 for transients and tight tolerances.
    projection : {"complete", "in-phase"}
        ``"complete"`` (default): ``Delta = V int measure s_k dk``, both parts of the complex
        self-consistency (Eq. (17); the paper solver's ``projection="eq17"``).  ``"in-phase"``:
        only its part in phase with ``Delta``, ``Delta = e^{i phi} Re[e^{-i phi} V int measure s_k dk]``
        with ``phi = arg Delta0`` -- the prescription of Eq. (18) (``projection="eq18"`` of the paper
        solver) for any model: ``arg Delta`` stays ``phi`` (mod ``pi``) and the fixed points are those
        of ``solve_gap(condition="in-phase")``.  For the paper's model Eq. (18) keeps the in-phase part
        through the fixed weights ``Re[1/(E + i Gamma)] (E + i Gamma)``, exact in a steady state only
        (Eq. (10)): same steady states, different transients.

    route : {"nambu", "fock"}, optional
        ``"nambu"``: the bilinear equations of ``G`` (the default for a quadratic block);
        ``"fock"``: every node's density matrix on its reachable Fock states
        (:mod:`keldysh.meanfield.fock_dynamics`; the default, and the only route, for a block whose
        bilinear equations do not close; DOP853 only).

    Returns
    -------
    MeanFieldRun
        ``diagnostics`` holds ``method``, ``projection``, ``route`` and the integrator's counters.
    """
    t0 = time.perf_counter()
    if not isinstance(model, MeanFieldModel):
        raise ParameterError("model", f"must be a MeanFieldModel (got {type(model).__name__})")
    if route is None:
        route = "nambu" if model.closed else "fock"
    if route not in ROUTES:
        raise ParameterError("route", f"must be one of {', '.join(ROUTES)} (got {shown(route)})")
    if route == "nambu":
        model.require_closed("route")  # the bilinear equations
    if not isinstance(method, str) or method.lower() not in METHODS:
        raise ParameterError("method", f"must be one of {', '.join(METHODS)} (got {shown(method)})")
    method = method.lower()
    if route == "fock" and method != "dop853":
        raise ParameterError(
            "method", "the Fock route integrates with dop853 (the Magnus methods act on the bilinears)"
        )
    if not isinstance(projection, str) or projection not in PROJECTIONS:
        raise ParameterError("projection", f"must be one of {', '.join(PROJECTIONS)} (got {shown(projection)})")
    V = check_finite("V", V)
    t_max = check_positive("t_max", t_max)
    samples = check_int("samples", samples, 2, 10**6)
    order = check_int("order", order, 2, 32)
    rtol = check_positive("rtol", rtol)
    if not rtol < 0.1:
        raise ParameterError("rtol", f"must be < 0.1 (got {rtol!r})")
    if Delta0 is not None:
        try:
            Delta0 = complex(Delta0)
        except (TypeError, ValueError, OverflowError, ArithmeticError):
            raise ParameterError("Delta0", f"must be a (complex) number (got {shown(Delta0)})") from None
        if not (math.isfinite(Delta0.real) and math.isfinite(Delta0.imag)):
            raise ParameterError("Delta0", f"must be finite (got {shown(Delta0)})")
    vals = model.resolve(values)
    grid, _ = build_grid(model, vals, order)
    nd = model.node_data(grid.k, grid.w, vals)
    scale = float(max(np.abs(nd.h0).max(), np.abs(nd.M).max(), 1e-12))
    # |G| <= 1, so |Delta| <= |V| sum_k |w_k s_k|: beyond 1e6 times the block's energy scale the
    # equations are stiffer than any step resolves (the same range as the paper's models)
    reach = abs(V) * float(np.sum(np.abs(nd.weight * nd.s_coef)))
    if reach > 1e6 * scale:
        raise ParameterError(
            "V", f"|V| = {abs(V):g} lets |Delta| reach {reach:.3g}, beyond 1e6 x the energy scale {scale:.3g}"
        )
    D0 = complex(1e-3 * scale if Delta0 is None else Delta0)
    # in-phase (Eq. (18)): Delta = rot Re[conj(rot) V I] keeps arg Delta = arg Delta0 (mod pi)
    rot = D0 / abs(D0) if D0 != 0 else 1.0 + 0j
    t_eval = np.linspace(0.0, t_max, samples)
    diag: dict[str, Any] = {"method": method, "projection": projection, "route": route}

    from keldysh.progress import progress_bar as _progress

    bar = _progress(progress, t_max, "simulate")
    try:
        if route == "fock":
            from keldysh.meanfield.fock_dynamics import run_fock

            times, Ds, info = run_fock(
                model, V, vals, grid, D0, t_max, t_eval, rtol, None if projection == "complete" else rot, bar
            )
            diag.update(info)
        elif method in MAGNUS_METHODS:
            G0 = covariance_master(nd, kernel(nd, D0, 0.0))
            system = affine_system(
                nd, model.s_terms, V, None if projection == "complete" else math.atan2(rot.imag, rot.real)
            )
            u0 = system.coords(G0)
            Ds, _, stats = run_magnus(
                system,
                u0,
                t_max,
                t_eval,
                order4=method == "magnus4",
                rtol=rtol,
                track_phase=projection == "complete",
                bar=bar,
            )
            times = t_eval
            diag.update(stats)
        else:
            G0 = covariance_master(nd, kernel(nd, D0, 0.0))
            times, Ds, nfev = _run_dop853(model, nd, V, G0, t_max, t_eval, rtol, projection, rot, bar)
            diag["rhs_evaluations"] = nfev
    finally:
        if bar is not None:
            bar.close()
    diag.update({"nodes": len(grid), "seconds": time.perf_counter() - t0, "Delta0": [D0.real, D0.imag]})
    return MeanFieldRun(times=times, Delta=Ds, V=V, params={s.name: v for s, v in vals.items()}, diagnostics=diag)


def _run_dop853(model, nd, V, G0, t_max, t_eval, rtol, projection, rot, bar):
    """DOP853 on ``G`` (compiled right-hand side), ``Delta`` at ``t_eval``; returns ``(t, Delta, nfev)``."""
    shape = G0.shape
    K0 = kernel(nd, 0.0, 0.0)
    terms = [(nd.weight * c, p, q, conj) for (_, p, q, conj), c in zip(model.s_terms, nd.s_coef)]
    deph = list(zip(nd.deph_r[:, :, None, None], nd.deph_l))
    in_phase = projection == "in-phase"

    def delta_of(G: np.ndarray) -> complex:
        total = 0j
        for wc, p, q, conj in terms:
            v = G[:, p, q]
            total += np.dot(wc, np.conj(v) if conj else v)
        D = V * total
        return rot * (rot.conjugate() * D).real if in_phase else D

    def f(t: float, y: np.ndarray) -> np.ndarray:
        if bar is not None and t > bar.n:
            bar.update(t - bar.n)
        G = y.view(complex).reshape(shape)
        out = bilinear_rhs(G, K0, nd.hD, nd.hDb, nd.M, delta_of(G))  # -iKG + iGK^+ + M
        for r, ell in deph:
            out += r * (ell @ G @ ell)
        return out.reshape(-1).view(float)

    sol = solve_ivp(
        f,
        (0.0, t_max),
        G0.reshape(-1).view(float).copy(),
        method="DOP853",
        t_eval=t_eval,
        rtol=rtol,
        atol=rtol * 1e-3,
    )
    if not sol.success:
        raise RuntimeError(f"simulate: the integrator failed ({sol.message})")
    Ds = np.array([delta_of(y.view(complex).reshape(shape)) for y in sol.y.T.copy()])
    return sol.t, Ds, int(sol.nfev)
