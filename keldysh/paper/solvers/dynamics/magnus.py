"""The adaptive Magnus (exponential) integrator of Eq. (9) with self-consistent ``Delta(t)``.

Every node is advanced with the exact exponential of the fourth-order Magnus generator
``h/2 (A(Delta_1) + A(Delta_2)) + (sqrt(3)/12) h^2 [A(Delta_2), A(Delta_1)]`` (``magnus4``; the
commutator dropped: ``magnus2``); see :mod:`keldysh.paper.solvers.dynamics` and :func:`_run_magnus`.
"""

from __future__ import annotations

import math

import numpy as np

from keldysh.meanfield.magnus_step import (  # noqa: F401 (the one copy of each, re-exported)
    _FTOL_FACTOR,
    _GAUSS,
    _RESCALE,
    _SQ3,
    _TAYLOR,
    _broyden_update,
    _hermite,
    _hermite_deriv,
    _path_error_ratio,
    expm_batched,
)
from keldysh.paper.solvers.dynamics.runtime import _early_stop


def _run_magnus(A0, Ar, Ai, K, u0, t_max, opts, delta_of, rec, check_state, bar, delta_linear=0.0):
    """Adaptive exponential (Magnus) integrator with self-consistent ``Delta`` (see module doc).

    One step ``t -> t + h``: the unknown end values ``z = (Delta_1, h dDelta_1/dt)`` fix the
    cubic Hermite path of ``Delta`` on the step; the map ``z -> G(z)`` (path -> Magnus
    exponentials -> new state -> its ``Delta`` and ``dDelta/dt``) is solved for its fixed point
    by a quasi-Newton iteration (Broyden's update of the inverse Jacobian of ``G(z) - z`` on
    4 real unknowns, carried from step to step), which converges also when
    ``h`` exceeds the inverse pairing rate (where plain iteration diverges).  The step is
    accepted when the fixed point is converged and the estimated error of the Hermite path
    (from the extrapolating predictor, rescaled to the Gauss points) is within tolerance.
    """
    N = u0.shape[0]
    absK = np.abs(K)
    rtol_linear = opts.rtol if opts.rtol_linear is None else max(opts.rtol, opts.rtol_linear)
    order4 = opts.method == "magnus4"
    ones = np.ones((N, 1))
    # fastest free frequency of each node (imaginary parts of the eigenvalues of A0)
    omega_k = np.abs(np.linalg.eigvals(A0[:, :6, :6]).imag).max(axis=1)

    # the pairing rows (Re s21, Im s21) of the generator: dDelta/dt = conj(K . ds21/dt)
    S0, Sr, Si = (np.ascontiguousarray(A[:, 4:6, :]) for A in (A0, Ar, Ai))

    def ddelta(u: np.ndarray, D: complex) -> complex:
        ua = np.concatenate([u, ones], axis=1)
        ds = np.einsum("kij,kj->ki", S0 + D.real * Sr + D.imag * Si, ua)
        return complex(np.conj(np.dot(K, ds[:, 0] + 1j * ds[:, 1])))

    counters = {"exp": 0}

    from keldysh.paper.solvers._kernels import MagnusStep

    step_nodes = MagnusStep((A0, Ar, Ai))

    def advance(u, D, dD, D1, dD1, h):
        Dg = _hermite(D, dD, D1, dD1, h, np.array(_GAUSS))
        filt = None
        if order4:
            # The commutator term of the 4th-order Magnus generator is the Taylor expansion of
            # the forced response in h: for a node rotating fast (omega_k h >> 1) it is wrong by
            # a factor ~ omega_k h.  It is filtered by 1/(1 + (omega_k h/pi)^2), which changes
            # the local error only at O(h^5) (the method stays 4th order as h -> 0), and leaves
            # the fast nodes with the bounded lag error O(h dDelta/dt / omega_k) of the
            # exponential midpoint rule.
            filt = (_SQ3 / 12.0 * h * h) / (1.0 + (omega_k * h / math.pi) ** 2)
        u1 = step_nodes(u, complex(Dg[0]), complex(Dg[1]), h, filt)
        counters["exp"] += 1
        E1 = delta_of(u1)
        return u1, E1, ddelta(u1, E1)

    def pack(D1, dD1, h):
        return np.array([D1.real, D1.imag, h * dD1.real, h * dD1.imag])

    rate = float(np.abs(A0).sum(axis=-1).max())
    h = opts.first_step if opts.first_step is not None else 0.1 / max(rate, 1e-300)
    h = min(h, opts.max_step, t_max)
    t = 0.0
    u = u0.copy()
    D = delta_of(u)
    dD = ddelta(u, D)
    prev = None  # (D_prev, dD_prev, h_prev) for the extrapolating predictor
    rec.add(t, D, force=True)
    check_state(u, True)
    steps = rejected = iters = 0
    log_scale = 0  # s21 and Delta are stored times _RESCALE**log_scale (underflow guard)
    n_rec = 0
    safety, pexp = 0.9, 0.25
    max_it = max(3, opts.corrector_iterations + 6)
    Jinv = -np.eye(4)  # inverse Jacobian of the fixed-point residual (Broyden, warm-started)
    while t < t_max:
        h = min(h, t_max - t)
        if t + h >= t_max * (1 - 1e-12):
            h = t_max - t
        # predictor: extrapolate the previous step's Hermite cubic (Taylor on the first step)
        if prev is None:
            D1p, dD1p = D + dD * h, dD
        else:
            Dp, dDp, hp = prev
            the = np.array([1.0 + h / hp])
            D1p = complex(_hermite(Dp, dDp, D, dD, hp, the)[0])
            dD1p = complex(_hermite_deriv(Dp, dDp, D, dD, hp, the)[0])
        atol = opts.atol if log_scale == 0 or opts.atol == 0 else 1e300  # atol is for the true Delta
        # Tolerance scale of the Delta path: the coherent amplitude sum_k |K_k s21_k| of which
        # Delta is the (possibly cancelling) sum, and |Delta| itself; in the linear regime
        # (|Delta| < delta_linear, see DynamicsOptions.rtol_linear) the looser rtol_linear.
        coh = float(np.dot(absK, np.hypot(u[:, 4], u[:, 5])))
        true_abs = abs(D) * _RESCALE ** (-log_scale) if log_scale else abs(D)
        rtol = rtol_linear if true_abs < delta_linear else opts.rtol
        scale = atol + rtol * max(abs(D), abs(D1p), coh)
        ftol = _FTOL_FACTOR * scale
        # fixed point z = G(z): quasi-Newton with Broyden's ("good") update of the inverse
        # Jacobian of f = G(z) - z, warm-started from the previous steps (the map changes
        # slowly from step to step); the first pass of a fresh start is the plain iteration.
        x = pack(D1p, dD1p, h)
        ok = False
        xp = fp = None
        for it in range(max_it):
            D1 = complex(x[0], x[1])
            dD1 = complex(x[2], x[3]) / h
            with np.errstate(over="ignore", invalid="ignore"):
                u1, E1, dE1 = advance(u, D, dD, D1, dD1, h)
            iters += 1
            g = pack(E1, dE1, h)
            f = g - x
            fmax = float(np.max(np.abs(f)))
            if it >= opts.corrector_iterations - 1 and fmax <= ftol:
                ok = True
                break
            if not math.isfinite(fmax) or (fp is not None and fmax > 1e3 * float(np.max(np.abs(fp))) + ftol):
                break  # a diverging quasi-Newton step: reject, restart from the plain iteration
            if fp is not None:
                _broyden_update(Jinv, x - xp, f - fp)
            xp, fp = x, f
            x = x - Jinv @ f
        if not ok or not np.all(np.isfinite(Jinv)):
            Jinv = -np.eye(4)
        D1, dD1 = E1, dE1
        scale = atol + rtol * max(abs(D), abs(D1), coh)
        ratio = _path_error_ratio(h, None if prev is None else hp)  # Hermite path vs predictor error
        err = ratio * abs(D1 - D1p) / scale if scale > 0 else 0.0
        if not ok:
            err = max(err, 4.0)
        if err <= 1.0 or h <= 1e-12 * max(1.0, t):
            prev = (D, dD, h)
            t += h
            u, D, dD = u1, D1, dD1
            steps += 1
            if bar is not None:
                bar.update(h)
            # A decayed seed would underflow (|s21| < 1e-308) and could never regrow.  While
            # |s21| is tiny the pairing sector is linear and homogeneous in (s21, Delta) (the
            # populations feel it only at O(|s21|^2)), so it is rescaled exactly by 10^150
            # and the recorded Delta carries the factor back.
            smax = float(np.abs(u[:, 4:6]).max())
            if 0 < smax < 1e-200:
                u[:, 4:6] *= _RESCALE
                log_scale += 1
                D, dD = D * _RESCALE, dD * _RESCALE
                prev = (prev[0] * _RESCALE, prev[1] * _RESCALE, prev[2])
            elif log_scale > 0 and smax > 1e-40:
                u[:, 4:6] /= _RESCALE
                log_scale -= 1
                D, dD = D / _RESCALE, dD / _RESCALE
                prev = (prev[0] / _RESCALE, prev[1] / _RESCALE, prev[2])
            if rec.add(t, D / _RESCALE**log_scale if log_scale else D, force=t >= t_max):
                n_rec += 1
                check_state(u, n_rec % opts.check_every == 0)
            if _early_stop(rec, opts):
                break
            fac = 5.0 if err == 0 else min(5.0, max(0.2, safety * err ** (-pexp)))
            h = min(h * fac, opts.max_step)
        else:
            rejected += 1
            h *= max(0.1, min(0.5, safety * err ** (-pexp)))
    return (
        u,
        t,
        {"steps": steps, "rejected": rejected, "exponentials": counters["exp"], "fixed_point_iterations": iters},
    )
