"""Adaptive Magnus (exponential) integrator of the self-consistent bilinear dynamics of any model.

Every node obeys the affine equation (Eq. (9) for the paper's model)

    dG_k/dt = -i K_k(Delta) G_k + i G_k K_k(Delta)^+ + M_k + sum_d r_d l_d G_k l_d ,

``K_k(Delta) = K0_k + Delta hD_k + conj(Delta) hDb_k`` (:func:`keldysh.meanfield.numeric.rhs`), with
``Delta(t)`` given at every instant by a linear functional of the ``G_k`` (Eq. (17), or its
in-phase part, Eq. (18): :func:`affine_system`).  The scheme is the paper solver's
(``keldysh/paper/solvers/dynamics/magnus.py``) for a block of any size ``d = 2 n``:

* ``magnus4``: every node is advanced by the exact exponential of the fourth-order Magnus generator
  ``h/2 (A(Delta_1) + A(Delta_2)) + (sqrt(3)/12) h^2 [A(Delta_2), A(Delta_1)]`` at the Gauss points
  (the commutator filtered by ``1/(1 + (omega_k h/pi)^2)`` for nodes rotating faster than ``pi/h``,
  an ``O(h^5)`` change); ``magnus2`` drops the commutator (second order);
* ``Delta_{1,2}`` come from the cubic Hermite path of ``Delta`` over the step, whose end values
  ``(Delta, h dDelta/dt)`` are the fixed point of "path -> exponentials -> new state -> its
  ``Delta``", solved by a quasi-Newton iteration (Broyden, 4 real unknowns, warm-started) to
  ``0.2 (atol + rtol scale)``;
* the step is accepted when the error of the Hermite path at the Gauss points (estimated from the
  extrapolating predictor) is below ``atol + rtol max(|Delta|, sum_k |contribution_k|)``; the step
  factor is ``0.9 err^(-1/4)`` in ``[0.2, 5]`` (``[0.1, 0.5]`` on rejection), as in the paper solver.

A constant ``Delta`` is integrated exactly, so the fixed points of the scheme are exactly the steady
states; the fast phases of the nodes never limit the step.  With the complete self-consistency a
steady state *rotates*, ``|Delta| e^{-2 i omega t}``: ``track_phase`` integrates in the frame
``H -> H - omega_f Q`` with ``omega_f`` following the phase velocity of ``Delta`` (an exact change of
variables), so that it too is a constant of the scheme.  Output at given times is the Hermite path of
``Delta`` (the controlled quantity), returned in the lab frame.

Accuracy: the local error per step is bounded, and nothing damps it along the neutral U(1) phase
mode, so the global error of ``Delta`` grows like ``steps x rtol`` (measured: 0.4-1.4 ``steps rtol``
relative to ``max |Delta|``); DOP853's global error on the same runs is ~``rtol``.  The method pays
off for long runs whose ``Delta`` becomes stationary (in-phase) or uniformly rotating (complete),
where its step grows to many periods of the fastest node (``docs/meanfield.md``).

State representation
--------------------
Each ``G_k`` is written ``G_k = 1/2 + sum_j u_kj E_j`` in the real basis ``E_j`` of the tangent
space of Nambu covariances (:func:`keldysh.meanfield.numeric.nambu_basis`, ``m = 2 n^2 - n``
real coordinates), augmented by a constant 1 for the affine terms: ``du_k/dt = A_k(Delta) [u_k; 1]``
with ``A_k = A0_k + Re(Delta) Ar_k + Im(Delta) Ai_k`` of size ``(m + 1) x (m + 1)``, probed once from
the bilinear equation at ``Delta = 0, 1, i`` (exact: real-affine in ``Delta``) and checked to be closed
on the basis.  Chosen over ``vec(G)`` augmented by 1 because

* it is real and minimal: ``7 x 7`` real for ``n = 2`` (the BCS pair; the same size as the paper's
  six numbers per node), ``29 x 29`` real for the 4-mode block of the paper's model on the engine
  against ``65 x 65`` complex for ``vec(G)`` (~45x fewer flops per exponential);
* Hermiticity and the particle-hole structure ``G_22 = 1 - G_11^T`` hold exactly whatever the
  rounding (no spurious directions, as for :func:`keldysh.meanfield.linear_stability`);
* ``Delta`` is a real-linear functional ``sum_k g_k . [u_k; 1]`` of the coordinates, so the
  in-phase projection of Eq. (18) is only a change of ``g``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from keldysh.meanfield.magnus_step import (
    _FTOL_FACTOR,
    _GAUSS,
    _RESCALE,
    _SQ3,
    _broyden_update,
    _hermite,
    _hermite_deriv,
    _path_error_ratio,
    magnus_step,
)
from keldysh.meanfield.model import NodeData
from keldysh.meanfield.numeric import kernel, nambu_basis

__all__ = ["AffineSystem", "affine_system", "run_magnus", "MAGNUS_METHODS"]

MAGNUS_METHODS = ("magnus4", "magnus2")


# ----------------------------------------------------------------------------- affine form
@dataclass
class AffineSystem:
    """The per-node affine form ``du_k/dt = A_k(Delta) [u_k; 1]`` and ``Delta = sum_k g_k . [u_k; 1]``.

    Attributes
    ----------
    A0, Ar, Ai : ndarray, shape (N, m + 1, m + 1)
        Real augmented matrices (last row zero): ``A_k(Delta) = A0_k + Re(Delta) Ar_k + Im(Delta) Ai_k``.
    AQ : ndarray, shape (N, m + 1, m + 1)
        The change of ``A_k`` per unit frame frequency ``omega`` (``H -> H - omega Q``).
    g : ndarray, shape (N, m + 1)
        Complex weights of the self-consistency (coupling, quadrature weight and measure included).
    basis : ndarray, shape (m, d, d)
        The real basis ``E_j`` (``G = 1/2 + sum_j u_j E_j``).
    anomalous : ndarray of bool, shape (m,)
        Coordinates of the anomalous (charge 2) block of ``G``.
    """

    A0: np.ndarray
    Ar: np.ndarray
    Ai: np.ndarray
    AQ: np.ndarray
    g: np.ndarray
    basis: np.ndarray
    anomalous: np.ndarray

    @property
    def m(self) -> int:
        return self.basis.shape[0]

    def coords(self, G: np.ndarray) -> np.ndarray:
        """Coordinates ``u`` (shape ``(N, m)``) of the covariances ``G`` (shape ``(N, d, d)``)."""
        E = self.basis
        X = G - 0.5 * np.eye(E.shape[1])[None]
        norm2 = np.real(np.einsum("jab,jab->j", E.conj(), E))
        return np.real(np.einsum("jab,kab->kj", E.conj(), X)) / norm2

    def covariance(self, u: np.ndarray) -> np.ndarray:
        """``G_k = 1/2 + sum_j u_kj E_j``."""
        return 0.5 * np.eye(self.basis.shape[1])[None] + np.einsum("kj,jab->kab", u, self.basis)

    def delta(self, u: np.ndarray) -> complex:
        """``Delta`` of the coordinates ``u``."""
        return complex(np.sum(self.g[:, :-1] * u) + np.sum(self.g[:, -1]))


def affine_system(
    nd: NodeData, s_terms: Sequence[tuple[Any, int, int, bool]], V: float, phase: float | None = None
) -> AffineSystem:
    """The affine form of the bilinear equations of ``nd`` and of the self-consistency.

    Parameters
    ----------
    nd : NodeData
        Nambu data on the momentum nodes (:meth:`MeanFieldModel.node_data`).
    s_terms : sequence
        ``MeanFieldModel.s_terms``: ``s_k = sum_t c_tk G_k[p, q]`` (conjugated when flagged), with
        the coefficients ``c_tk = nd.s_coef[t]``.
    V : float
        Coupling.
    phase : float or None
        ``None``: the complete self-consistency, ``Delta = V int measure s_k dk`` (Eq. (17)).  A
        number ``phi``: its part in phase with ``e^{i phi}``, ``Delta = e^{i phi} Re[e^{-i phi} V int
        measure s_k dk]`` -- the prescription of Eq. (18) for any model (``arg Delta`` stays ``phi``
        mod ``pi``).

    Raises
    ------
    RuntimeError
        If the bilinear equations leave the space of Nambu covariances (a model inconsistency).
    """
    d, Nk = nd.d, nd.h0.shape[0]
    n = d // 2
    E, norm2 = nambu_basis(d)
    m = E.shape[0]
    half = 0.5 * np.eye(d)
    mats = []
    for D, w in ((0.0, 0.0), (1.0, 0.0), (1j, 0.0), (0.0, 1.0)):
        K = kernel(nd, D, w)
        Kd = K.conj().transpose(0, 2, 1)
        X = np.concatenate([np.broadcast_to(E, (Nk, m, d, d)), np.broadcast_to(half, (Nk, 1, d, d))], axis=1)
        LX = -1j * np.einsum("kab,kjbc->kjac", K, X) + 1j * np.einsum("kjab,kbc->kjac", X, Kd)
        for r, ell in zip(nd.deph_r, nd.deph_l):
            LX = LX + r[:, None, None, None] * np.einsum("kab,kjbc,kcd->kjad", ell, X, ell)
        LX[:, m] += nd.M
        C = np.real(np.einsum("iab,kjab->kij", E.conj(), LX)) / norm2[None, :, None]  # column j: L(X_j)
        back = np.einsum("kij,iab->kjab", C, E)
        scale = 1.0 + float(np.abs(LX).max()) if LX.size else 1.0
        if LX.size and float(np.abs(back - LX).max()) > 1e-10 * scale:
            raise RuntimeError("the bilinear equations leave the space of Nambu covariances (model inconsistency)")
        A = np.zeros((Nk, m + 1, m + 1))
        A[:, :m, :] = C
        mats.append(A)
    A0 = mats[0]
    Ar, Ai, AQ = mats[1] - A0, mats[2] - A0, mats[3] - A0
    g = np.zeros((Nk, m + 1), complex)
    for (_c, p, q, conj), c in zip(s_terms, nd.s_coef):
        ent = np.r_[E[:, p, q], half[p, q]]
        g += (V * nd.weight * c)[:, None] * (np.conj(ent)[None] if conj else ent[None])
    if phase is not None:
        rot = complex(math.cos(phase), math.sin(phase))
        g = rot * np.real(np.conj(rot) * g)
    anomalous = np.array([bool(np.any(Ej[:n, n:])) for Ej in E], dtype=bool)
    return AffineSystem(A0=A0, Ar=Ar, Ai=Ai, AQ=AQ, g=g, basis=E, anomalous=anomalous)


# ----------------------------------------------------------------------------- the integrator
def run_magnus(
    system: AffineSystem,
    u0: np.ndarray,
    t_max: float,
    times: np.ndarray,
    *,
    order4: bool = True,
    rtol: float = 1e-8,
    atol: float = 0.0,
    track_phase: bool = False,
    fixed_step: float | None = None,
    first_step: float | None = None,
    max_step: float = math.inf,
    corrector_iterations: int = 1,
    bar: Any = None,
) -> tuple[np.ndarray, np.ndarray, dict[str, Any]]:
    """Integrate from ``u0`` at ``t = 0`` to ``t_max`` (see module docstring).

    Parameters
    ----------
    system : AffineSystem
    u0 : ndarray, shape (N, m)
        Initial coordinates.
    t_max : float
        Final time.
    times : ndarray
        Increasing output times in ``[0, t_max]``: ``Delta`` there from the Hermite path of the step.
    order4 : bool
        ``magnus4`` (default) or ``magnus2``.
    rtol, atol : float
        Local error of the ``Delta`` path per step: ``<= atol + rtol max(|Delta|, sum_k |g_k . [u_k; 1]|)``.
    track_phase : bool
        Integrate in a frame rotating with the phase of ``Delta`` (complete self-consistency only:
        the self-consistency must be covariant under ``Delta -> Delta e^{-2 i theta}``).  After every
        step the frame frequency becomes the phase velocity of ``Delta``, so a rotating steady state
        ``|Delta| e^{-2 i omega t}`` is a constant of the scheme and is integrated exactly (the step
        then grows without bound, as for the paper's stationary Eq. (18) states).  The change of
        frame is an exact change of variables; the output is ``Delta`` of the lab frame.
    fixed_step : float or None
        A constant step (no error control; every step accepted) -- for convergence studies.
    first_step, max_step : float
        First step (default ``0.1 /`` the largest rate of ``A0``) and the largest step.
    corrector_iterations : int
        Least number of fixed-point passes per step.
    bar : progress bar or None

    Returns
    -------
    (Delta, u, stats)
        ``Delta`` at ``times`` (lab frame), the final coordinates (in the final frame) and the step
        statistics (``frame_omega``: the final frame frequency).
    """
    A0, Ar, Ai, AQ, g = system.A0, system.Ar, system.Ai, system.AQ, system.g
    N, m = u0.shape
    times = np.asarray(times, float)
    ones = np.ones((N, 1))
    # dDelta/dt = sum_k g_k . A_k(Delta) [u_k; 1]: the weights g A precomputed
    gA0, gAr, gAi, gAQ = (np.einsum("ki,kij->kj", g[:, :m], A[:, :m, :]) for A in (A0, Ar, Ai, AQ))
    # underflow guard only when Delta reads the anomalous block alone (the sector is then linear
    # and homogeneous in (anomalous coordinates, Delta) while they are tiny)
    an = system.anomalous
    guard = bool(an.any()) and not np.any(g[:, :m][:, ~an]) and not np.any(g[:, m])
    frame = {"w": 0.0, "w_lab": math.nan, "w_eig": math.nan, "A0": A0, "gA0": gA0, "omega_k": np.zeros(N)}

    def set_frame(w: float, h: float) -> None:
        frame["w"] = w
        frame["A0"] = A0 + w * AQ if w else A0
        frame["gA0"] = gA0 + w * gAQ if w else gA0
        # fastest free frequency of each node (commutator filter), refreshed when it moved noticeably
        if N and m and not abs(w - frame["w_eig"]) * h < 0.05:
            frame["omega_k"] = np.abs(np.linalg.eigvals(frame["A0"][:, :m, :m]).imag).max(axis=1)
            frame["w_eig"] = w

    def delta_of(u: np.ndarray) -> complex:
        return complex(np.sum(g[:, :m] * u) + np.sum(g[:, m]))

    def ddelta(u: np.ndarray, D: complex) -> complex:
        ua = np.concatenate([u, ones], axis=1)
        return complex(np.sum((frame["gA0"] + D.real * gAr + D.imag * gAi) * ua))

    counters = {"exp": 0}

    def advance(u, D, dD, D1, dD1, h):
        Dg = _hermite(D, dD, D1, dD1, h, _GAUSS)
        filt = None
        if order4:
            # the commutator is the Taylor expansion of the forced response in h: wrong by ~omega_k h
            # for a node rotating fast; filtered by 1/(1 + (omega_k h/pi)^2) -- an O(h^5) change
            filt = (_SQ3 / 12.0 * h * h) / (1.0 + (frame["omega_k"] * h / math.pi) ** 2)
        u1 = magnus_step(frame["A0"], Ar, Ai, u, complex(Dg[0]), complex(Dg[1]), h, filt)
        counters["exp"] += 1
        E1 = delta_of(u1)
        return u1, E1, ddelta(u1, E1)

    def pack(D1, dD1, h):
        return np.array([D1.real, D1.imag, h * dD1.real, h * dD1.imag])

    out = np.zeros(times.size, complex)
    rate = float(np.abs(A0).sum(axis=-1).max()) if N else 1.0
    h = fixed_step or first_step or 0.1 / max(rate, 1e-300)
    h = min(h, max_step, t_max)
    set_frame(0.0, h)
    t = theta = 0.0  # theta: the phase of the frame, Delta_lab = e^{-2 i theta} Delta
    u = np.array(u0, float)
    D = delta_of(u)
    dD = ddelta(u, D)
    i_out = int(np.searchsorted(times, 0.0, side="right"))
    out[:i_out] = D
    prev = None  # (D_prev, dD_prev, h_prev) of the extrapolating predictor
    steps = rejected = iters = unconverged = 0
    log_scale = 0
    safety, pexp = 0.9, 0.25
    max_it = max(3, corrector_iterations + 6) if fixed_step is None else 40
    Jinv = -np.eye(4)
    while t < t_max:
        if fixed_step is not None:
            h = fixed_step
        h = min(h, t_max - t)
        if t + h >= t_max * (1 - 1e-12):
            h = t_max - t
        if prev is None:
            D1p, dD1p = D + dD * h, dD
        else:
            Dp, dDp, hp = prev
            the = 1.0 + h / hp
            D1p = complex(_hermite(Dp, dDp, D, dD, hp, the)[0])
            dD1p = complex(_hermite_deriv(Dp, dDp, D, dD, hp, the)[0])
        at = atol if log_scale == 0 or atol == 0 else 1e300  # atol is for the true Delta
        coh = float(np.sum(np.abs(np.einsum("kj,kj->k", g[:, :m], u) + g[:, m])))
        scale = at + rtol * max(abs(D), abs(D1p), coh)
        ftol = _FTOL_FACTOR * scale
        x = pack(D1p, dD1p, h)
        ok = False
        xp = fp = None
        for it in range(max_it):
            D1 = complex(x[0], x[1])
            dD1 = complex(x[2], x[3]) / h
            with np.errstate(over="ignore", invalid="ignore"):
                u1, E1, dE1 = advance(u, D, dD, D1, dD1, h)
            iters += 1
            f = pack(E1, dE1, h) - x
            fmax = float(np.max(np.abs(f)))
            if it >= corrector_iterations - 1 and fmax <= ftol:
                ok = True
                break
            if not math.isfinite(fmax) or (fp is not None and fmax > 1e3 * float(np.max(np.abs(fp))) + ftol):
                break  # a diverging quasi-Newton step: reject, restart from the plain iteration
            if fp is not None:  # Broyden's ("good") update of the inverse Jacobian of G(z) - z
                _broyden_update(Jinv, x - xp, f - fp)
            xp, fp = x, f
            x = x - Jinv @ f
        if not ok or not np.all(np.isfinite(Jinv)):
            Jinv = -np.eye(4)
        D1, dD1 = E1, dE1
        scale = at + rtol * max(abs(D), abs(D1), coh)
        ratio = _path_error_ratio(h, None if prev is None else hp)
        err = ratio * abs(D1 - D1p) / scale if scale > 0 else 0.0
        if not ok:
            err = max(err, 4.0)
        if fixed_step is not None or err <= 1.0 or h <= 1e-12 * max(1.0, t):
            if not np.all(np.isfinite(u1)):
                raise RuntimeError(f"magnus: the state is not finite at t = {t + h:g} (step {h:g})")
            unconverged += not ok
            t_new = t_max if h == t_max - t else t + h
            j = int(np.searchsorted(times, t_new * (1 + 1e-14), side="right"))
            if j > i_out:
                s = times[i_out:j] - t
                lab = np.exp(-2j * (theta + frame["w"] * s))
                out[i_out:j] = lab * _hermite(D, dD, D1, dD1, h, s / h) / (_RESCALE**log_scale if log_scale else 1.0)
                i_out = j
            theta += frame["w"] * (t_new - t)
            prev = (D, dD, h)
            t = t_new
            u, D, dD = u1, D1, dD1
            steps += 1
            if bar is not None:
                bar.update(h)
            if guard:  # rescale a decayed pairing sector by 1e150 (exact while it is linear), and back
                smax = float(np.abs(u[:, an]).max())
                if 0 < smax < 1e-200:
                    u[:, an] *= _RESCALE
                    log_scale += 1
                    D, dD = D * _RESCALE, dD * _RESCALE
                    prev = (prev[0] * _RESCALE, prev[1] * _RESCALE, prev[2])
                elif log_scale > 0 and smax > 1e-40:
                    u[:, an] /= _RESCALE
                    log_scale -= 1
                    D, dD = D / _RESCALE, dD / _RESCALE
                    prev = (prev[0] / _RESCALE, prev[1] / _RESCALE, prev[2])
            if fixed_step is None:
                fac = 5.0 if err == 0 else min(5.0, max(0.2, safety * err ** (-pexp)))
                h = min(h * fac, max_step)
            if track_phase and D != 0:
                # new frame: remove the phase velocity of Delta; the predictor's data transform exactly
                # (Delta_new(s) = Delta_old(s) e^{2 i dw (s - t)})
                # only once two successive estimates of the lab frequency agree to 10% of the
                # correction: a ringing transient would change the frame every step, to no gain
                dw = -(dD / D).imag / 2
                w_lab = frame["w"] + dw
                steady = abs(w_lab - frame["w_lab"]) < 0.1 * abs(dw)
                frame["w_lab"] = w_lab
                if dw != 0 and math.isfinite(dw) and steady:
                    set_frame(frame["w"] + dw, h)
                    dD = dD + 2j * dw * D
                    Dp, dDp, hp = prev
                    ph = complex(math.cos(2 * dw * hp), -math.sin(2 * dw * hp))
                    prev = (Dp * ph, (dDp + 2j * dw * Dp) * ph, hp)
        else:
            rejected += 1
            h *= max(0.1, min(0.5, safety * err ** (-pexp)))
    if i_out < times.size:
        out[i_out:] = np.exp(-2j * theta) * D / (_RESCALE**log_scale if log_scale else 1.0)
    if log_scale:
        u[:, an] /= _RESCALE**log_scale  # may underflow to 0: the true value
    stats = {
        "steps": steps,
        "rejected": rejected,
        "exponentials": counters["exp"],
        "fixed_point_iterations": iters,
        "unconverged_steps": unconverged,
        "frame_omega": frame["w"],
    }
    return out, u, stats
