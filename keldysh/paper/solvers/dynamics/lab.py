"""The lab frame without the RWA: Eq. (6) integrated by :func:`simulate_lab`."""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import numpy as np

from keldysh.errors import ParameterError, check_positive
from keldysh.paper.solvers.dynamics.options import MAGNUS_METHODS, DynamicsOptions
from keldysh.paper.solvers.dynamics.result import DynamicsResult
from keldysh.paper.solvers.dynamics.rhs import _to_real, lab_rhs_func
from keldysh.paper.solvers.dynamics.runtime import _early_stop, _Member, _progress, _validate_common
from keldysh.paper.solvers.dynamics.state import _projection_weights, _seed_shape, _seeded_state


def _run_scipy_lab(model, grid, u0, t_max, opts, delta_of, rec, check_state, bar, omega0):
    """``scipy.integrate`` solver (by name) on the derived lab-frame Eq. (6)."""
    import scipy.integrate as si

    E = grid.E
    f1 = np.broadcast_to(np.asarray(grid.f1, float), E.shape)
    f2 = np.broadcast_to(np.asarray(grid.f2, float), E.shape)
    N = E.size
    nfev = [0]
    # Eq. (6) is affine in the state and real-affine in Delta and in cos(omega0 t): probe
    # the lambdified derived RHS at cos = 1 and cos = 0 (t = 0 and t = pi/(2 omega0))
    fn = lab_rhs_func()
    E1 = grid.Et1 - omega0 / 2
    E2 = grid.Et2 + omega0 / 2
    probes = np.zeros((7, N, 6))
    for j in range(6):
        probes[j, :, j] = 1.0

    def probe(D: complex, t: float) -> np.ndarray:
        r = fn(
            probes[..., 0],
            probes[..., 1],
            probes[..., 2] + 1j * probes[..., 3],
            probes[..., 4] + 1j * probes[..., 5],
            E1,
            E2,
            D,
            model.Omega,
            omega0,
            t,
            model.Gamma1,
            model.Gamma2,
            f1,
            f2,
        )
        r = _to_real(*r, shape=(7, N))
        A = np.zeros((N, 6, 7))
        A[:, :, 6] = r[6]
        A[:, :, :6] = np.transpose(r[:6] - r[6][None], (1, 2, 0))
        return A

    tq = math.pi / (2 * omega0)
    B0 = probe(0.0, tq)
    Bc = probe(0.0, 0.0) - B0
    Br = probe(1.0, tq) - B0
    Bi = probe(1j, tq) - B0
    rng = np.random.default_rng(7)
    uu, DD, tt = rng.normal(size=(N, 6)), complex(*rng.normal(size=2)), float(rng.uniform(0, 10))
    direct = _to_real(
        *fn(
            uu[:, 0],
            uu[:, 1],
            uu[:, 2] + 1j * uu[:, 3],
            uu[:, 4] + 1j * uu[:, 5],
            E1,
            E2,
            DD,
            model.Omega,
            omega0,
            tt,
            model.Gamma1,
            model.Gamma2,
            f1,
            f2,
        ),
        shape=(N,),
    )
    Mt = B0 + math.cos(omega0 * tt) * Bc + DD.real * Br + DD.imag * Bi
    via = np.einsum("kij,kj->ki", Mt[:, :, :6], uu) + Mt[:, :, 6]
    if not np.allclose(direct, via, rtol=0, atol=1e-9 * (1 + np.abs(direct).max())):
        raise RuntimeError("Eq. (6) is not affine in the state / Delta / cos(omega0 t) as assumed")
    B0m, Bcm, Brm, Bim = (np.ascontiguousarray(b[:, :, :6]) for b in (B0, Bc, Br, Bi))
    B0c, Bcc, Brc, Bic = (np.ascontiguousarray(b[:, :, 6]) for b in (B0, Bc, Br, Bi))

    def f(t: float, y: np.ndarray) -> np.ndarray:
        nfev[0] += 1
        u = y.reshape(N, 6)
        D = delta_of(u)
        c = math.cos(omega0 * t)
        M = B0m + c * Bcm + D.real * Brm + D.imag * Bim
        du = np.einsum("kij,kj->ki", M, u)
        du += B0c + c * Bcc + D.real * Brc + D.imag * Bic
        return du.ravel()

    rec.add(0.0, delta_of(u0), force=True)
    check_state(u0, True)
    extra: dict[str, Any] = {}
    if math.isfinite(opts.max_step):
        extra["max_step"] = opts.max_step
    if opts.first_step is not None:
        extra["first_step"] = opts.first_step
    solver = getattr(si, opts.method)(f, 0.0, u0.ravel().copy(), t_max, rtol=opts.rtol, atol=opts.atol, **extra)
    steps = 0
    n_rec = 0
    last = 0.0
    while solver.status == "running":
        msg = solver.step()
        if solver.status == "failed":
            raise RuntimeError(f"{opts.method} failed at t = {solver.t:.6g}: {msg}")
        steps += 1
        u = solver.y.reshape(N, 6)
        if bar is not None:
            bar.update(solver.t - last)
            last = solver.t
        if rec.add(solver.t, delta_of(u), force=solver.status != "running"):
            n_rec += 1
            check_state(u, n_rec % opts.check_every == 0)
        if _early_stop(rec, opts):
            break
    return solver.y.reshape(N, 6).copy(), float(solver.t), {"steps": steps, "rejected": 0, "rhs_evaluations": nfev[0]}


def simulate_lab(
    model: Any,
    V: float,
    *,
    omega0: float | None = None,
    t_max: float,
    grid: Any = None,
    seed: complex = 1e-3,
    options: DynamicsOptions | Mapping[str, Any] | None = None,
    progress: bool | None = None,
    projection: str = "eq18",
    average_periods: int = 20,
    seed_profile: str = "uniform",
) -> DynamicsResult:
    """Integrate the lab-frame equations of motion, Eq. (6), *without* the RWA.

    The drive is ``Omega(t) = Omega cos(omega0 t)`` and the lab energies are
    ``E1 = Etilde1 - omega0/2``, ``E2 = Etilde2 + omega0/2`` (Sect. II.A); the right-hand
    sides are :func:`keldysh.paper.symbolic.master.lab_eom` lambdified (:func:`lab_rhs_func`).
    ``s21`` is invariant under the rotation of Eqs. (7)-(8) (``E1 + E2 = E``), so ``Delta``
    and the self-consistency (Eq. (18)/(17)) are the same as in the rotating frame; ``n21``
    here is the lab-frame coherence ``n21_rot exp(+i omega0 t)``.  The counter-rotating
    terms make ``|Delta|`` oscillate at ``2 omega0``; ``diagnostics["delta_time_averaged"]``
    is its average over the last ``average_periods`` periods ``2 pi/omega0``, which tends to
    the RWA steady state as ``omega0 -> infinity``.

    Parameters
    ----------
    model : LaserModel
    V : float
        Coupling (non-zero).
    omega0 : float, optional
        Laser frequency (> 0); default ``model.omega0``.
    t_max : float
        Final time (> 0).
    grid, seed, options, progress, projection, seed_profile
        As in :func:`simulate`; ``options.method`` must be a scipy method (default here
        ``"DOP853"`` when ``"magnus4"``/``"magnus2"`` is requested: the drive is explicitly
        time dependent).
    average_periods : int
        Number of drive periods of the final time average (>= 1).

    Returns
    -------
    DynamicsResult
        With ``frame="lab"``.
    """
    from keldysh.paper.quadrature import momentum_grid

    wall0 = time.perf_counter()
    V, t_max, seed = _validate_common(model, V, t_max, seed, projection)
    if omega0 is None:
        omega0 = model.omega0
    if omega0 is None:
        raise ParameterError("omega0", "the lab frame needs the laser frequency omega0 (argument or model.omega0)")
    omega0 = check_positive("omega0", omega0)
    if int(average_periods) != average_periods or average_periods < 1:
        raise ParameterError("average_periods", f"must be an integer >= 1 (got {average_periods!r})")
    opts = DynamicsOptions.make(options)
    if opts.method in MAGNUS_METHODS + ("auto",):
        opts = replace(opts, method="DOP853")
    if model.omega0 != omega0:
        model = model.replace(omega0=omega0)
    if grid is None:
        grid = momentum_grid(model, order=opts.order)
    K = _projection_weights(model, grid, V, projection)
    u0 = _seeded_state(grid, K, seed, _seed_shape(model, grid, seed_profile))
    mem = _Member(K, u0, opts, math.nan)
    delta_of, check_state, rec, diag = mem.delta_of, mem.check_state, mem.rec, mem.diag

    bar = _progress(progress, t_max, f"lab V={V:g}")
    try:
        u, t_end, stats = _run_scipy_lab(model, grid, u0, t_max, opts, delta_of, rec, check_state, bar, omega0)
    finally:
        if bar is not None:
            bar.close()
    check_state(u, True)
    times, D = np.asarray(rec.t), np.asarray(rec.D, complex)
    window = average_periods * 2 * math.pi / omega0
    sel = times >= times[-1] - window
    if sel.sum() >= 3 and times[-1] - times[0] > window:
        avg = float(np.trapezoid(np.abs(D[sel]), times[sel]) / (times[sel][-1] - times[sel][0]))
    else:
        avg = float(abs(D[-1]))
    diag.update(stats)
    diag.update(
        seconds=time.perf_counter() - wall0,
        omega0=omega0,
        delta_time_averaged=avg,
        averaging_window=window,
        early_stop=bool(t_end < t_max),
    )
    return DynamicsResult.from_run(
        times,
        D,
        grid,
        u,
        model,
        V=V,
        seed=seed,
        projection=projection,
        frame="lab",
        t_max=t_max,
        options=opts,
        diagnostics=diag,
    )
