"""Eq. (9) for several couplings at once with a ``scipy.integrate`` solver (one batched system)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from keldysh.paper.solvers.dynamics.options import DynamicsOptions
from keldysh.paper.solvers.dynamics.runtime import _early_stop, _Member


def _run_scipy_batch(mats: tuple, members: list[_Member], t_max: float, opts: DynamicsOptions, bar) -> None:
    """``scipy.integrate`` solver (by name) on the derived Eq. (9) for all members at once."""
    import scipy.integrate as si

    from keldysh.paper.solvers._kernels import AffineRHS

    B = len(members)
    N = mats[0].shape[0]
    rhs = AffineRHS(mats, np.stack([m.K for m in members]))
    nfev = [0]

    def f(t: float, y: np.ndarray) -> np.ndarray:
        nfev[0] += 1
        return rhs(y.reshape(B, N, 6)).ravel()

    U0 = np.stack([m.u0 for m in members])  # (B, N, 6)
    for m in members:
        m.rec.add(0.0, m.delta_of(m.u0), force=True)
        m.check_state(m.u0, True)
    extra: dict[str, Any] = {}
    if math.isfinite(opts.max_step):
        extra["max_step"] = opts.max_step
    if opts.first_step is not None:
        extra["first_step"] = opts.first_step
    shrink = 1.0 / math.sqrt(B)  # RMS norm over the batch: each member within rtol, atol
    solver = getattr(si, opts.method)(
        f, 0.0, U0.ravel(), t_max, rtol=opts.rtol * shrink, atol=opts.atol * shrink, **extra
    )
    steps, last = 0, 0.0
    while solver.status == "running":
        msg = solver.step()
        if solver.status == "failed":
            raise RuntimeError(f"{opts.method} failed at t = {solver.t:.6g}: {msg}")
        steps += 1
        if bar is not None:
            bar.update(solver.t - last)
            last = solver.t
        U = solver.y.reshape(B, N, 6)
        done = solver.status != "running"
        for b, m in enumerate(members):
            u = U[b]
            m.record(solver.t, m.delta_of(u), u, done)
        if all(_early_stop(m.rec, opts) for m in members):
            break
    U = solver.y.reshape(B, N, 6)
    for b, m in enumerate(members):
        m.u = U[b].copy()
        m.t_end = float(solver.t)
        m.diag.update(steps=steps, rejected=0, rhs_evaluations=nfev[0])
