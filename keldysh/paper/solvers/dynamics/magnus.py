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


def _hermite_at(D0: complex, d0: complex, D1: complex, d1: complex, h: float, s: float) -> complex:
    """:func:`_hermite` at one fraction ``s`` (the same arithmetic, as a Python complex)."""
    s2, s3 = s * s, s * s * s
    return (2 * s3 - 3 * s2 + 1) * D0 + (s3 - 2 * s2 + s) * h * d0 + (-2 * s3 + 3 * s2) * D1 + (s3 - s2) * h * d1


def _hermite_deriv_at(D0: complex, d0: complex, D1: complex, d1: complex, h: float, s: float) -> complex:
    """:func:`_hermite_deriv` at one fraction ``s`` (the same arithmetic, as a Python complex)."""
    s2 = s * s
    return ((6 * s2 - 6 * s) * D0 + (-6 * s2 + 6 * s) * D1) / h + (3 * s2 - 4 * s + 1) * d0 + (3 * s2 - 2 * s) * d1


def _broyden_update4(J: list[float], dx: tuple[float, ...], df: tuple[float, ...]) -> None:
    """:func:`_broyden_update` on 4 unknowns, ``J`` the inverse Jacobian as a flat row-major list (in place)."""
    v = _matvec4(J, df)
    den = dx[0] * v[0] + dx[1] * v[1] + dx[2] * v[2] + dx[3] * v[3]
    if den != 0.0 and math.isfinite(den):
        w = [dx[0] * J[j] + dx[1] * J[4 + j] + dx[2] * J[8 + j] + dx[3] * J[12 + j] for j in range(4)]
        for i in range(4):
            a = dx[i] - v[i]
            for j in range(4):
                J[4 * i + j] += a * w[j] / den


def _matvec4(J: list[float], f: tuple[float, ...]) -> tuple[float, ...]:
    """``J f`` for a flat row-major ``4 x 4`` matrix ``J``."""
    f0, f1, f2, f3 = f
    return (
        J[0] * f0 + J[1] * f1 + J[2] * f2 + J[3] * f3,
        J[4] * f0 + J[5] * f1 + J[6] * f2 + J[7] * f3,
        J[8] * f0 + J[9] * f1 + J[10] * f2 + J[11] * f3,
        J[12] * f0 + J[13] * f1 + J[14] * f2 + J[15] * f3,
    )


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

    ``delta_of`` gives the initial ``Delta``; the steps evaluate the same functional
    ``Delta = conj(sum_k K_k s21_k)`` with the exponentials (:meth:`MagnusStep.step_delta`).
    The 4 unknowns and the inverse Jacobian are Python floats (per pass they are cheaper
    than NumPy arrays of 4 elements).
    """
    from keldysh.paper.solvers._kernels import MagnusStep

    rtol_linear = opts.rtol if opts.rtol_linear is None else max(opts.rtol, opts.rtol_linear)
    order4 = opts.method == "magnus4"
    # fastest free frequency of each node (imaginary parts of the eigenvalues of A0)
    omega_k = np.abs(np.linalg.eigvals(A0[:, :6, :6]).imag).max(axis=1)
    # one step of every node, with Delta, dDelta/dt = conj(K . ds21/dt) and the scales of the new state
    stepper = MagnusStep((A0, Ar, Ai), K=K)
    # the cubic Hermite path at the Gauss points s (as _hermite sums it): the weights of the
    # step's start (D, h dD) and end (D1, h dD1)
    gauss = [(s, s * s, s * s * s) for s in _GAUSS.tolist()]
    (g1, g1_2, g1_3), (g2, g2_2, g2_3) = gauss
    c1, c2 = -2 * g1_3 + 3 * g1_2, -2 * g2_3 + 3 * g2_2

    rate = float(np.abs(A0).sum(axis=-1).max())
    h = opts.first_step if opts.first_step is not None else 0.1 / max(rate, 1e-300)
    h = min(h, opts.max_step, t_max)
    t = 0.0
    u = u0.copy()
    D = delta_of(u)
    _, dD, coh, _ = stepper.delta_terms(u)
    prev = None  # (D_prev, dD_prev, h_prev) for the extrapolating predictor
    rec.add(t, D, force=True)
    check_state(u, True)
    steps = rejected = iters = 0
    log_scale = 0  # s21 and Delta are stored times _RESCALE**log_scale (underflow guard)
    n_rec = 0
    safety, pexp = 0.9, 0.25
    max_it = max(3, opts.corrector_iterations + 6)
    min_it = opts.corrector_iterations - 1
    J0 = [-1.0, 0.0, 0.0, 0.0, 0.0, -1.0, 0.0, 0.0, 0.0, 0.0, -1.0, 0.0, 0.0, 0.0, 0.0, -1.0]
    # inverse Jacobian of the fixed-point residual (Broyden, warm-started), flat row-major
    Jinv = J0.copy()
    while t < t_max:
        h = min(h, t_max - t)
        if t + h >= t_max * (1 - 1e-12):
            h = t_max - t
        # predictor: extrapolate the previous step's Hermite cubic (Taylor on the first step)
        if prev is None:
            D1p, dD1p = D + dD * h, dD
        else:
            Dp, dDp, hp = prev
            the = 1.0 + h / hp
            D1p = _hermite_at(Dp, dDp, D, dD, hp, the)
            dD1p = _hermite_deriv_at(Dp, dDp, D, dD, hp, the)
        atol = opts.atol if log_scale == 0 or opts.atol == 0 else 1e300  # atol is for the true Delta
        # Tolerance scale of the Delta path: the coherent amplitude sum_k |K_k s21_k| of which
        # Delta is the (possibly cancelling) sum, and |Delta| itself; in the linear regime
        # (|Delta| < delta_linear, see DynamicsOptions.rtol_linear) the looser rtol_linear.
        true_abs = abs(D) * _RESCALE ** (-log_scale) if log_scale else abs(D)
        rtol = rtol_linear if true_abs < delta_linear else opts.rtol
        scale = atol + rtol * max(abs(D), abs(D1p), coh)
        ftol = _FTOL_FACTOR * scale
        filt = None
        if order4:
            # The commutator term of the 4th-order Magnus generator is the Taylor expansion of
            # the forced response in h: for a node rotating fast (omega_k h >> 1) it is wrong by
            # a factor ~ omega_k h.  It is filtered by 1/(1 + (omega_k h/pi)^2), which changes
            # the local error only at O(h^5) (the method stays 4th order as h -> 0), and leaves
            # the fast nodes with the bounded lag error O(h dDelta/dt / omega_k) of the
            # exponential midpoint rule.
            filt = (_SQ3 / 12.0 * h * h) / (1.0 + (omega_k * h / math.pi) ** 2)
        # the path at the Gauss points is p + c D1 + e dD1 (p: the part of the step's start)
        p1 = (2 * g1_3 - 3 * g1_2 + 1) * D + (g1_3 - 2 * g1_2 + g1) * h * dD
        p2 = (2 * g2_3 - 3 * g2_2 + 1) * D + (g2_3 - 2 * g2_2 + g2) * h * dD
        e1, e2 = (g1_3 - g1_2) * h, (g2_3 - g2_2) * h
        # fixed point z = G(z): quasi-Newton with Broyden's ("good") update of the inverse
        # Jacobian of f = G(z) - z, warm-started from the previous steps (the map changes
        # slowly from step to step); the first pass of a fresh start is the plain iteration.
        x = (D1p.real, D1p.imag, h * dD1p.real, h * dD1p.imag)
        ok = False
        xp = fp = None
        fpmax = 0.0
        for it in range(max_it):
            D1 = complex(x[0], x[1])
            dD1 = complex(x[2], x[3]) / h
            u1, E1, dE1, coh1, smax = stepper.step_delta(u, p1 + c1 * D1 + e1 * dD1, p2 + c2 * D1 + e2 * dD1, h, filt)
            iters += 1
            f = (E1.real - x[0], E1.imag - x[1], h * dE1.real - x[2], h * dE1.imag - x[3])
            fmax = max(abs(f[0]), abs(f[1]), abs(f[2]), abs(f[3]))
            if math.isnan(f[0] + f[1] + f[2] + f[3]):
                fmax = math.nan  # max() of Python floats does not propagate NaN
            if it >= min_it and fmax <= ftol:
                ok = True
                break
            if not math.isfinite(fmax) or (fp is not None and fmax > 1e3 * fpmax + ftol):
                break  # a diverging quasi-Newton step: reject, restart from the plain iteration
            if fp is not None:
                _broyden_update4(
                    Jinv,
                    (x[0] - xp[0], x[1] - xp[1], x[2] - xp[2], x[3] - xp[3]),
                    (f[0] - fp[0], f[1] - fp[1], f[2] - fp[2], f[3] - fp[3]),
                )
            xp, fp, fpmax = x, f, fmax
            dx = _matvec4(Jinv, f)
            x = (x[0] - dx[0], x[1] - dx[1], x[2] - dx[2], x[3] - dx[3])
        if not ok or not all(map(math.isfinite, Jinv)):
            Jinv = J0.copy()
        D1, dD1 = E1, dE1
        scale = atol + rtol * max(abs(D), abs(D1), coh)
        ratio = _path_error_ratio(h, None if prev is None else hp)  # Hermite path vs predictor error
        err = ratio * abs(D1 - D1p) / scale if scale > 0 else 0.0
        if not ok:
            err = max(err, 4.0)
        if err <= 1.0 or h <= 1e-12 * max(1.0, t):
            prev = (D, dD, h)
            t += h
            u, D, dD, coh = u1, D1, dD1, coh1
            steps += 1
            if bar is not None:
                bar.update(h)
            # A decayed seed would underflow (|s21| < 1e-308) and could never regrow.  While
            # |s21| is tiny the pairing sector is linear and homogeneous in (s21, Delta) (the
            # populations feel it only at O(|s21|^2)), so it is rescaled exactly by 10^150
            # and the recorded Delta carries the factor back.
            if 0 < smax < 1e-200:
                u[:, 4:6] *= _RESCALE
                log_scale += 1
                D, dD = D * _RESCALE, dD * _RESCALE
                prev = (prev[0] * _RESCALE, prev[1] * _RESCALE, prev[2])
                coh = stepper.delta_terms(u)[2]
            elif log_scale > 0 and smax > 1e-40:
                u[:, 4:6] /= _RESCALE
                log_scale -= 1
                D, dD = D / _RESCALE, dD / _RESCALE
                prev = (prev[0] / _RESCALE, prev[1] / _RESCALE, prev[2])
                coh = stepper.delta_terms(u)[2]
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
        {"steps": steps, "rejected": rejected, "exponentials": iters, "fixed_point_iterations": iters},
    )
