"""The rotating-frame solver of Sect. II.C: :func:`simulate` and :func:`simulate_many` (Eq. (9) + Eq. (18))."""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from keldysh.errors import ParameterError, shown
from keldysh.paper.solvers.dynamics.magnus import _run_magnus
from keldysh.paper.solvers.dynamics.options import AUTO_CYCLES, LINEAR_BACKACTION, MAGNUS_METHODS, DynamicsOptions
from keldysh.paper.solvers.dynamics.result import DynamicsResult
from keldysh.paper.solvers.dynamics.rhs import block_matrices
from keldysh.paper.solvers.dynamics.runtime import _Member, _progress, _validate_common
from keldysh.paper.solvers.dynamics.scipy_batch import _run_scipy_batch
from keldysh.paper.solvers.dynamics.state import _projection_weights, _seed_shape, _seeded_state, pumped_state


def simulate(
    model: Any,
    V: float,
    *,
    t_max: float,
    grid: Any = None,
    seed: complex = 1e-3,
    options: DynamicsOptions | Mapping[str, Any] | None = None,
    progress: bool | None = None,
    projection: str = "eq18",
    initial: np.ndarray | str | None = None,
    seed_profile: str = "uniform",
) -> DynamicsResult:
    """Integrate Eq. (9) on a momentum grid with ``Delta(t)`` self-consistent (Sect. II.C).

    Parameters
    ----------
    model : LaserModel
        Physical parameters (rotating-frame dispersions, ``Omega``, ``Gamma1``, ``Gamma2``,
        ``T``, cutoff ``kmax``), e.g. ``keldysh.preset("fig4")``.
    V : float
        Coupling (non-zero; V > 0 attractive).
    t_max : float
        Final time (> 0).
    grid : MomentumGrid, optional
        Momentum nodes/weights; default ``momentum_grid(model, order=options.order)``.
    seed : complex
        ``Delta(0)``: ``s21_k(0) = c shape_k`` with ``c`` such that Eq. (18) (or 17) gives exactly
        this value (the populations are shifted by the least amount keeping the state physical).
    options : DynamicsOptions or mapping
        Numerical options; unknown names raise ``ParameterError``.
    progress : bool or None
        Progress bar (``tqdm.auto``: a widget in Jupyter, stderr in a terminal); ``None``: shown on a
        terminal or in a notebook, after 2 s.
    projection : {"eq18", "eq17"}
        Self-consistency.  ``"eq18"`` (the paper's choice, Eq. (18)): ``Delta^* = V int (dk)
        s21 Re[1/(E + i Gamma)] (E + i Gamma)``; in the steady state ``Delta^*`` multiplies a
        real kernel, so ``Delta`` settles to a fixed phase.  ``"eq17"``: ``Delta^* = V int
        (dk) s21``.  Then ``s21 = -Delta^* x/(E + i Gamma)`` gives a *complex* gap equation,
        which a constant ``Delta`` cannot satisfy: the dynamics picks ``Delta ~ exp(-i mu t)``
        (``s21`` then sees ``E -> E - mu``), i.e. the phase winds at a constant rate
        (``DynamicsResult.phase_velocity``) while ``|Delta|`` converges to the solution of
        ``1 = -V int (dk) x/(E - mu + i Gamma)``.
    initial : ndarray, "pumped" or None
        ``None``: the state of Sect. II.C (equilibrium populations) plus the seed.
        ``"pumped"``: the unpaired steady state under the laser (:func:`pumped_state`) plus
        the seed -- the drive switched on long before the pairing is seeded, which avoids
        the long decay of the seed while the drive builds the population imbalance (Fig. 6).
        An array ``(N, 6)``: ``(n11, n22, Re n21, Im n21, Re s21, Im s21)`` per node
        (used as is; ``seed`` ignored).
    seed_profile : {"uniform", "lorentzian"}
        ``shape_k`` of the seed: 1 (default: every node; the cutoff then rings in ``Delta(t)``
        at ``|E(kmax)|`` for ``t ~ 1/Gamma``) or ``Gamma^2/(E_k^2 + Gamma^2)`` (pairs near the
        resonance only: smoother, but Eq. (18) weighs them by ``E^2/(E^2 + Gamma^2)``, so
        ``s21`` must be ~30x larger for the same ``Delta(0)`` and small ``V`` cannot be seeded).

    Returns
    -------
    DynamicsResult
    """
    return simulate_many(
        model,
        [V],
        t_max=t_max,
        grid=grid,
        seed=seed,
        options=options,
        progress=progress,
        projection=projection,
        initial=initial,
        seed_profile=seed_profile,
    )[0]


def simulate_many(
    model: Any,
    Vs: Sequence[float],
    *,
    t_max: float,
    grid: Any = None,
    seed: complex = 1e-3,
    options: DynamicsOptions | Mapping[str, Any] | None = None,
    progress: bool | None = None,
    projection: str = "eq18",
    initial: np.ndarray | str | None = None,
    seed_profile: str = "uniform",
) -> list[DynamicsResult]:
    """:func:`simulate` for several couplings ``Vs`` of one model on one grid (a sweep in V).

    The runs are independent.  With a scipy integrator they are advanced *together* as one
    system (one batched sparse mat-vec per evaluation, one step-size sequence; the
    tolerances are divided by ``sqrt(len(Vs))`` so that the RMS error norm of every member
    stays within the requested ``rtol``/``atol``), which amortises the per-step overhead of
    ``scipy.integrate`` over the curves (Fig. 4: three couplings).  The Magnus integrator
    controls its step on each ``Delta(t)`` and runs them one after the other.  Parameters as
    in :func:`simulate`; returns one :class:`DynamicsResult` per coupling, in order.
    """
    from keldysh.paper.quadrature import momentum_grid

    wall0 = time.perf_counter()
    try:
        Vs = [float(v) for v in np.atleast_1d(np.asarray(Vs, dtype=object))]
    except (TypeError, ValueError, OverflowError, ArithmeticError):
        raise ParameterError("V", f"must be a real number or a sequence of them (got {shown(Vs)})") from None
    if not Vs:
        raise ParameterError("V", "needs at least one coupling")
    checked = [_validate_common(model, V, t_max, seed, projection) for V in Vs]
    Vs = [c[0] for c in checked]
    t_max, seed = checked[0][1], checked[0][2]
    opts = DynamicsOptions.make(options)
    if grid is None:
        grid = momentum_grid(model, order=opts.order)
    N = grid.E.size
    Ks = [_projection_weights(model, grid, V, projection) for V in Vs]
    base = None
    if isinstance(initial, str):
        if initial != "pumped":
            raise ParameterError("initial", f"must be None, 'pumped' or an array (got {initial!r})")
        base = pumped_state(model, grid)
    if initial is not None and not isinstance(initial, str):
        arr = np.array(initial, dtype=float)
        if arr.shape == (N, 6):
            arr = np.broadcast_to(arr, (len(Vs), N, 6))
        if arr.shape != (len(Vs), N, 6) or not np.all(np.isfinite(arr)):
            raise ParameterError("initial", f"must be a finite array of shape ({N}, 6) (or ({len(Vs)}, {N}, 6))")
        u0s = [np.array(a) for a in arr]
    else:
        shape = _seed_shape(model, grid, seed_profile)
        u0s = [_seeded_state(grid, K, seed, shape, base) for K in Ks]
    A0, Ar, Ai = block_matrices(model, grid)
    omega_max = float(np.abs(np.linalg.eigvals(A0[:, :6, :6]).imag).max())
    if opts.method == "auto":
        chosen = "DOP853" if t_max * omega_max / (2 * math.pi) < AUTO_CYCLES else "magnus4"
        opts = replace(opts, method=chosen, atol=opts.atol)

    members = [_Member(K, u0, opts, omega_max) for K, u0 in zip(Ks, u0s)]
    label = f"V={Vs[0]:g}" if len(Vs) == 1 else f"V={','.join(f'{v:g}' for v in Vs)}"
    bar = _progress(progress, t_max * (len(Vs) if opts.method in MAGNUS_METHODS else 1), label)
    try:
        if opts.method in MAGNUS_METHODS:
            delta_linear = math.sqrt(LINEAR_BACKACTION * opts.rtol * model.Gamma * 2 * min(model.Gamma1, model.Gamma2))
            for mem in members:
                t0 = time.perf_counter()
                mem.u, mem.t_end, stats = _run_magnus(
                    A0, Ar, Ai, mem.K, mem.u0, t_max, opts, mem.delta_of, mem.rec, mem.check_state, bar, delta_linear
                )
                stats["delta_linear"] = delta_linear
                mem.diag.update(stats)
                mem.diag["seconds"] = time.perf_counter() - t0
        else:
            _run_scipy_batch((A0, Ar, Ai), members, t_max, opts, bar)
            for mem in members:
                mem.diag["seconds"] = (time.perf_counter() - wall0) / len(members)
    finally:
        if bar is not None:
            bar.close()
    out = []
    for V, mem in zip(Vs, members):
        u = mem.u
        mem.check_state(u, True)
        diag = mem.diag
        diag["early_stop"] = bool(mem.t_end < t_max)
        diag["batch"] = len(Vs)
        times = np.asarray(mem.rec.t)
        D = np.asarray(mem.rec.D, complex)
        out.append(
            DynamicsResult.from_run(
                times,
                D,
                grid,
                u,
                model,
                V=V,
                seed=seed,
                projection=projection,
                frame="rotating",
                t_max=t_max,
                options=opts,
                diagnostics=diag,
            )
        )
    return out
