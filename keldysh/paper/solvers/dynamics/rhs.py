"""The derived right-hand sides of Eq. (9) (rotating frame) and Eq. (6) (lab frame), and the
per-node affine matrices of Eq. (9) probed from them (:func:`block_matrices`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np


def rhs_func() -> Callable:
    """The derived right-hand sides of Eq. (9) (``keldysh.paper.build.rwa_rhs_func``)."""
    from keldysh.paper.build import rwa_rhs_func

    return rwa_rhs_func()


def lab_rhs_func(modules: str = "numpy") -> Callable:
    """NumPy callable for the lab-frame equations of motion, Eq. (6) (derived, no RWA).

    Signature ``rhs(n11, n22, n21, s21, E1, E2, Delta, Omega, omega0, t, Gamma1, Gamma2, f1, f2)``
    returning ``(dn11, dn22, dn21, ds21)`` with ``Omega(t) = Omega cos(omega0 t)``; built from
    :func:`keldysh.paper.symbolic.master.lab_eom` through :func:`keldysh.paper.build.lambdified`.
    """
    from keldysh.paper.build import lambdified

    def expr():
        from keldysh.paper.symbolic.master import lab_eom

        eqs = lab_eom(2)
        return [eqs["n11"], eqs["n22"], eqs["n21"], eqs["s21"]]

    def args():
        from keldysh.paper import symbols as S
        from keldysh.paper.symbolic.master import n11, n21, n22, s21

        return (n11, n22, n21, s21, S.E1, S.E2, S.Delta, S.Omega, S.omega0, S.t, S.Gamma1, S.Gamma2, S.f1, S.f2)

    return lambdified("lab_rhs", expr, args, modules)


def _to_real(d11, d22, d21, ds, shape) -> np.ndarray:
    out = np.empty(shape + (6,))
    out[..., 0] = np.real(np.broadcast_to(d11, shape))
    out[..., 1] = np.real(np.broadcast_to(d22, shape))
    d21 = np.broadcast_to(d21, shape)
    ds = np.broadcast_to(ds, shape)
    out[..., 2], out[..., 3] = np.real(d21), np.imag(d21)
    out[..., 4], out[..., 5] = np.real(ds), np.imag(ds)
    return out


def _eval_rhs(fn: Callable, u: np.ndarray, Delta: complex, E, eps, model, f1, f2) -> np.ndarray:
    """Real 6-vector RHS of Eq. (9) per node from the derived callable."""
    r = fn(
        u[..., 0],
        u[..., 1],
        u[..., 2] + 1j * u[..., 3],
        u[..., 4] + 1j * u[..., 5],
        E,
        eps,
        Delta,
        model.Omega,
        model.Gamma1,
        model.Gamma2,
        f1,
        f2,
    )
    return _to_real(*r, shape=u.shape[:-1])


def block_matrices(model: Any, grid: Any, *, check: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-node affine matrices of Eq. (9): ``du/dt = (A0 + Re(Delta) Ar + Im(Delta) Ai) [u; 1]``.

    Obtained by probing the derived right-hand side (:func:`rhs_func`) on the unit vectors of
    ``u = (n11, n22, Re n21, Im n21, Re s21, Im s21)`` at ``Delta = 0, 1, i``; exact because
    Eq. (9) is affine in ``u`` and real-affine in ``Delta``, which ``check=True`` verifies on
    a random point (so a change of the derived equations cannot pass silently).

    Returns
    -------
    A0, Ar, Ai : ndarray, shape (N, 7, 7)
        Augmented matrices (last row zero, last column the inhomogeneous term).
    """
    fn = rhs_func()
    E, eps, f1, f2 = grid.E, grid.eps, grid.f1, grid.f2
    N = E.size
    probes = np.zeros((7, N, 6))
    for j in range(6):
        probes[j, :, j] = 1.0  # probe 6 is the zero state
    mats = []
    for D in (0.0, 1.0, 1j):
        r = _eval_rhs(fn, probes, D, E, eps, model, f1, f2)  # (7, N, 6)
        A = np.zeros((N, 7, 7))
        A[:, :6, 6] = r[6]
        A[:, :6, :6] = np.transpose(r[:6] - r[6][None], (1, 2, 0))
        mats.append(A)
    A0, A1, Ai1 = mats
    Ar, Ai = A1 - A0, Ai1 - A0
    if check:
        rng = np.random.default_rng(12345)
        u = rng.normal(size=(N, 6))
        D = complex(rng.normal(), rng.normal())
        direct = _eval_rhs(fn, u, D, E, eps, model, f1, f2)
        M = A0 + D.real * Ar + D.imag * Ai
        via = np.einsum("kij,kj->ki", M[:, :6, :6], u) + M[:, :6, 6]
        scale = 1.0 + np.abs(direct).max()
        if not np.allclose(direct, via, rtol=0, atol=1e-9 * scale):
            raise RuntimeError("Eq. (9) is not affine in the state / real-affine in Delta as assumed")
    return A0, Ar, Ai
