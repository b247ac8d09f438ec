"""The Keldysh saddle point, Eq. (51), from the Green's functions of Sect. IV (numeric).

The saddle-point condition ``0 = d/d delta [-4 delta Delta / V + L~]`` with
``d L~/d delta = 4 Re int (dk) s21`` (derived in :mod:`keldysh.paper.symbolic.rings`) is written, for
real ``Delta > 0``, as the gap equation of :mod:`keldysh.paper.solvers.gap`,

    1 + V int (dk) g(k; Delta) = 0,      g = -Re s21(k; Delta) / Delta .

``s21`` is computed from the Nambu-Keldysh Green's functions, never from the master equation:

1. ``f`` (Delta = 0 populations) = the equal-time ``G^K`` of the 2x2 problem,
   ``int dw/2pi G^R Sigma^K G^A = -i (1 - 2 f)``, i.e. the Lyapunov equation
   ``[H, F] - i {Gamma_hat, F} = -2 i Gamma_hat F_eq`` (exact frequency integral).
2. The resummed ring series Eq. (53) = the Keldysh component of the Delta-dressed Nambu
   propagator ``(1 + G^R Sigma_Delta) G^K_0 (1 + Sigma_Delta G^A)`` with the paper's
   ``G^K_0 = G^R_0 F_N - F_N G^A_0``; its equal-time value
   ``X = int dw/2pi G^R_N S G^A_N``, ``S = [H_N0, F_N] - i {Gamma_N, F_N}``, solves
   ``M X - X M^+ = -i S`` with ``M = H_N - i Gamma_N`` -- the sum of the upper-half-plane
   residues, done as one batched 16 x 16 complex linear solve per momentum node (exact, robust
   when poles nearly collide at ``E_k = 0``, no frequency grid).
3. ``f_N = (1 - i X)/2``; ``s21 = conj(f_N[p2, h1])``.

Every function is vectorised over the momentum nodes of a
:class:`keldysh.paper.quadrature.MomentumGrid`.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from keldysh.errors import ParameterError, check_finite, check_nonnegative

__all__ = [
    "lyapunov_batched",
    "populations_delta0",
    "nambu_matrices",
    "anomalous_s21",
    "ring_coefficients",
    "kernel_keldysh",
    "kernel_eq55",
    "kernel_eq55_printed",
    "kernel_cubic",
    "kernel_keldysh_quad",
    "gap_integral",
]

_ISY = np.array([[0.0, 1.0], [-1.0, 0.0]])


# ------------------------------------------------------------------------------ linear algebra
def lyapunov_batched(M: np.ndarray, C: np.ndarray) -> np.ndarray:
    """Solve ``M X - X M^+ = C`` for a batch ``M, C`` of shape ``(..., n, n)`` (Kronecker form).

    With ``M = H - i Gamma`` (spectrum in the lower half plane) the solution is the exact
    frequency integral ``X = i int dw/2pi (w - M)^-1 C (w - M^+)^-1`` (residues, Eq. (53)).
    Row-major vectorisation: ``vec(M X) = (M (x) 1) vec X``, ``vec(X M^+) = (1 (x) conj M) vec X``.
    """
    M = np.asarray(M, dtype=complex)
    C = np.asarray(C, dtype=complex)
    n = M.shape[-1]
    eye = np.eye(n)
    K = np.einsum("...ij,kl->...ikjl", M, eye) - np.einsum("ij,...kl->...ikjl", eye, M.conj())
    K = K.reshape(M.shape[:-2] + (n * n, n * n))
    x = np.linalg.solve(K, C.reshape(C.shape[:-2] + (n * n, 1)))
    return x.reshape(C.shape)


def _fields(model: Any, grid: Any) -> tuple[np.ndarray, ...]:
    Et1 = np.asarray(grid.Et1, dtype=float)
    Et2 = np.asarray(grid.Et2, dtype=float)
    f1 = np.broadcast_to(np.asarray(grid.f1, dtype=float), Et1.shape)
    f2 = np.broadcast_to(np.asarray(grid.f2, dtype=float), Et1.shape)
    return Et1, Et2, f1, f2


def _h2(model: Any, Et1: np.ndarray, Et2: np.ndarray) -> np.ndarray:
    H = np.zeros(Et1.shape + (2, 2))
    H[..., 0, 0], H[..., 1, 1] = Et1, Et2
    H[..., 0, 1] = H[..., 1, 0] = model.Omega / 2
    return H


def populations_delta0(model: Any, grid: Any) -> np.ndarray:
    """The population matrices ``f = [[n11, n21], [n12, n22]]`` at ``Delta = 0`` on the nodes.

    From the equal-time Keldysh function, ``int dw/2pi G^R Sigma^K G^A = -i F`` (text after
    Eq. (54)), i.e. ``(H - i G) F - F (H + i G) = -2 i Gamma_hat F_eq``; shape ``(N, 2, 2)``.
    """
    Et1, Et2, f1, f2 = _fields(model, grid)
    H = _h2(model, Et1, Et2)
    G = np.diag([model.Gamma1, model.Gamma2])
    Feq = np.zeros(H.shape)
    Feq[..., 0, 0], Feq[..., 1, 1] = 1 - 2 * f1, 1 - 2 * f2
    F = lyapunov_batched(H - 1j * G, -2j * (G @ Feq))
    return (np.eye(2) - F) / 2


def nambu_matrices(model: Any, grid: Any, source: str = "paper") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(H_N0, Gamma_N, S)`` on the nodes: Nambu Hamiltonian at Delta = 0 and the source of Eq. (53).

    source
        ``"paper"``: ``S = [H_N0, F_N] - i {Gamma_N, F_N}`` from ``G^K = G^R F - F G^A`` with
        ``F_N = diag(F, -F^T)`` and ``f`` from :func:`populations_delta0` (the resummed ring
        series); ``"reservoir"``: ``S = Sigma^K_N = -2 i Gamma_N diag(F_eq, -F_eq)``;
        ``"no-transpose"``: like ``"paper"`` with ``F_N = diag(F, -F)`` (the printed Eq. (52)/(53)
        without transposes); ``"diagonal"``: ``"paper"`` with ``f = diag(f1, f2)``.
    """
    key = ("nambu", source)
    if key in grid.cache:
        return grid.cache[key]
    Et1, Et2, f1, f2 = _fields(model, grid)
    H = _h2(model, Et1, Et2)
    N = Et1.shape
    HN0 = np.zeros(N + (4, 4))
    HN0[..., :2, :2] = H
    HN0[..., 2:, 2:] = -np.swapaxes(H, -1, -2)
    GN = np.diag([model.Gamma1, model.Gamma2, model.Gamma1, model.Gamma2]).astype(float)
    if source == "reservoir":
        FN = np.zeros(N + (4, 4))
        for i, fa in ((0, f1), (1, f2)):
            FN[..., i, i] = 1 - 2 * fa
            FN[..., i + 2, i + 2] = -(1 - 2 * fa)
        S = -2j * (GN @ FN)
    elif source in ("paper", "no-transpose", "diagonal"):
        if source == "diagonal":
            f = np.zeros(N + (2, 2), dtype=complex)
            f[..., 0, 0], f[..., 1, 1] = f1, f2
        else:
            f = populations_delta0(model, grid)
        F = np.eye(2) - 2 * f
        FN = np.zeros(N + (4, 4), dtype=complex)
        FN[..., :2, :2] = F
        FN[..., 2:, 2:] = -(F if source == "no-transpose" else np.swapaxes(F, -1, -2))
        S = (HN0 @ FN - FN @ HN0) - 1j * (GN @ FN + FN @ GN)
    else:
        raise ParameterError("source", f"unknown source {source!r}")
    out = (HN0, GN, S)
    grid.cache[key] = out
    return out


def _pairing(delta: float) -> np.ndarray:
    P = np.zeros((4, 4))
    P[:2, 2:] = delta * _ISY
    P[2:, :2] = delta * _ISY.T
    return P


def _s21_from_X(X: np.ndarray) -> np.ndarray:
    # f_N = (1 - i X)/2 ; s21 = conj(f_N[1, 2]) = conj(-i X[1, 2] / 2)
    return np.conj(-0.5j * X[..., 1, 2])


# Symmetric-sector basis of Y = i X = 1 - 2 f_N (Hermitian):  F = 1 - 2 f = [[a, c], [c*, b]] in the
# particle block, -F^T in the hole block, anomalous block -2 kappa, kappa = p i sigma^y with
# p = <c_{-k}^2 c_k^1>; unknowns u = (a, b, Re c, Im c, Re 2p, Im 2p).  The solution of the
# Lyapunov equation lies in this subspace (k <-> -k and particle-hole symmetry), so six real
# equations (entries (0,0), (1,1), (0,1), (1,2) of M Y - Y M^+ = S) determine it.
def _basis() -> np.ndarray:
    B = np.zeros((6, 4, 4), dtype=complex)
    B[0, 0, 0], B[0, 2, 2] = 1, -1
    B[1, 1, 1], B[1, 3, 3] = 1, -1
    B[2, 0, 1] = B[2, 1, 0] = 1
    B[2, 2, 3] = B[2, 3, 2] = -1
    B[3, 0, 1], B[3, 1, 0], B[3, 2, 3], B[3, 3, 2] = 1j, -1j, 1j, -1j
    B[4, 1, 2], B[4, 0, 3], B[4, 2, 1], B[4, 3, 0] = 1, -1, 1, -1
    B[5, 1, 2], B[5, 0, 3], B[5, 2, 1], B[5, 3, 0] = 1j, -1j, -1j, 1j
    return B


_B = _basis()


def _rows(L: np.ndarray) -> np.ndarray:
    """The six independent real equations of an anti-Hermitian 4x4 (batched over leading axes)."""
    return np.stack(
        [
            L[..., 0, 0].imag,
            L[..., 1, 1].imag,
            L[..., 0, 1].real,
            L[..., 0, 1].imag,
            L[..., 1, 2].real,
            L[..., 1, 2].imag,
        ],
        axis=-1,
    )


def _reduced_system(model: Any, grid: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(A0, A1, b)``: the Lyapunov equation ``M Y - Y M^+ = S`` on the symmetric subspace,
    ``(A0 + Delta A1) u = b`` (``M = M0 + Delta P``); cached per grid."""
    key = ("reduced",)
    if key in grid.cache:
        return grid.cache[key]
    HN0, GN, S = nambu_matrices(model, grid, "paper")
    M0 = HN0 - 1j * GN
    P = _pairing(1.0)
    L0 = M0[..., None, :, :] @ _B - _B @ np.conj(np.swapaxes(M0, -1, -2))[..., None, :, :]
    L1 = P @ _B - _B @ P.T
    A0 = np.swapaxes(_rows(L0), -1, -2)  # (N, 6 equations, 6 unknowns)
    A1 = _rows(L1).T
    b = _rows(S)
    out = (A0, A1, b)
    grid.cache[key] = out
    return out


def _s21_from_u(u: np.ndarray) -> np.ndarray:
    # Y[1, 2] = u4 + i u5 ; X = -i Y ; s21 = conj(-i X[1, 2] / 2) = -conj(Y[1, 2]) / 2
    return -(u[..., 4] - 1j * u[..., 5]) / 2


def anomalous_s21(model: Any, grid: Any, delta: float, source: str = "paper", solver: str = "reduced") -> np.ndarray:
    """``s21 = <c_k^2+ c_{-k}^1+>`` on the nodes from the Delta-dressed Nambu Green's functions.

    All orders in ``Delta`` (the resummed Eq. (53) with exact frequency integrals); real ``Delta``.
    ``solver="full"``: the 16 x 16 Kronecker solve of :func:`lyapunov_batched` (any source);
    ``"reduced"`` (source ``"paper"`` or ``"reservoir"``): the same equation restricted to the
    six-dimensional symmetric subspace where its solution lies (6 x 6 real solve per node).
    """
    delta = check_nonnegative("delta", delta)
    if solver == "reduced" and source in ("paper",):
        A0, A1, b = _reduced_system(model, grid)
        u = np.linalg.solve(A0 + delta * A1, b[..., None])[..., 0]
        return _s21_from_u(u)
    if solver not in ("reduced", "full"):
        raise ParameterError("solver", f"must be 'reduced' or 'full' (got {solver!r})")
    HN0, GN, S = nambu_matrices(model, grid, source)
    M = HN0 + _pairing(delta) - 1j * GN
    X = lyapunov_batched(M, -1j * S)
    return _s21_from_X(X)


def ring_coefficients(model: Any, grid: Any, N: int, source: str = "paper") -> np.ndarray:
    """Taylor coefficients ``a_n`` of ``s21 = sum_n a_n Delta^(2n-1)`` (n = 1..N) on the nodes.

    Order ``2n - 1`` in ``Delta`` is the ``n``-ring term of Eq. (52) integrated over frequency:
    ``M0 X_m - X_m M0^+ = -(P X_{m-1} - X_{m-1} P^+)`` with ``P = dH_N/dDelta``, ``X_0`` from the
    source; each order is one exact (residue) solve.  Shape ``(N, nodes)``.
    """
    if int(N) != N or N < 1:
        raise ParameterError("N", f"must be an integer >= 1 (got {N!r})")
    HN0, GN, S = nambu_matrices(model, grid, source)
    M0 = HN0 - 1j * GN
    P = _pairing(1.0)
    X = lyapunov_batched(M0, -1j * S)
    out = []
    for m in range(1, 2 * int(N)):
        X = lyapunov_batched(M0, -(P @ X - X @ P.T))
        if m % 2 == 1:
            out.append(_s21_from_X(X))
    return np.array(out)


def _check(model: Any, grid: Any, delta: float) -> float:
    d = check_finite("delta", delta)
    if d < 0:
        raise ParameterError("delta", f"must be >= 0 (got {d})")
    return d


# ------------------------------------------------------------------------------ kernels
def kernel_keldysh(model: Any, grid: Any, delta: float) -> np.ndarray:
    """Gap kernel of the Keldysh saddle point Eq. (51) with the resummed rings Eq. (53), all orders.

    ``g = -Re s21 / Delta`` (so that the gap equation is ``1 + V sum(w g) = 0``); at
    ``Delta = 0`` the linear coefficient (one-ring term of Eq. (52)/(54)) is returned.
    """
    d = _check(model, grid, delta)
    if d == 0.0:
        key = ("keldysh-linear",)
        if key not in grid.cache:
            A0, A1, b = _reduced_system(model, grid)
            u0 = np.linalg.solve(A0, b[..., None])
            u1 = -np.linalg.solve(A0, A1 @ u0)[..., 0]  # first order in Delta: one ring
            grid.cache[key] = -np.real(_s21_from_u(u1))
        return grid.cache[key]
    g = -np.real(anomalous_s21(model, grid, d)) / d
    if not np.all(np.isfinite(g)):
        raise ParameterError("model", "the Keldysh kernel is not finite (check Gamma1, Gamma2 > 0)")
    return g


def _x0_weight(model: Any, grid: Any) -> tuple[np.ndarray, np.ndarray]:
    key = ("eq55-x0",)
    if key not in grid.cache:
        f = populations_delta0(model, grid)
        x0 = np.real(f[..., 0, 0] + f[..., 1, 1]) - 1.0
        E = np.asarray(grid.E, dtype=float)
        r = E / (E**2 + model.Gamma**2)  # Re 1/(E + i Gamma)
        grid.cache[key] = (x0, r)
    return grid.cache[key]


def kernel_eq55(model: Any, grid: Any, delta: float) -> np.ndarray:
    """Gap kernel of Eq. (55) with its sign corrected (linear + cubic, ``Omega >> Gamma`` cubic term).

    Derived Eq. (55): ``0 = |Delta|/V + |Delta| int Re[1/(E + i G)] x0
    - 4 |Delta|^3 int Re[1/(E + i G)] x0 / (E^2 + Gamma^2)`` with ``x0 = n11 + n22 - 1`` at
    ``Delta = 0`` (the printed form has ``1 - n11 - n22``); populations from the Green's functions.
    """
    d = _check(model, grid, delta)
    x0, r = _x0_weight(model, grid)
    E = np.asarray(grid.E, dtype=float)
    return x0 * r * (1.0 - 4.0 * d * d / (E**2 + model.Gamma**2))


def kernel_eq55_printed(model: Any, grid: Any, delta: float) -> np.ndarray:
    """Eq. (55) exactly as printed (``1 - n11 - n22`` in both integrals): the sign of ``g`` flips."""
    return -kernel_eq55(model, grid, delta)


def kernel_cubic(model: Any, grid: Any, delta: float) -> np.ndarray:
    """Eq. (55) with the GENERAL cubic coefficient (two-ring term of Eq. (52) at any ``Omega/Gamma``)."""
    d = _check(model, grid, delta)
    key = ("ring-coeffs-2",)
    if key not in grid.cache:
        grid.cache[key] = ring_coefficients(model, grid, 2)
    a1, a3 = grid.cache[key]
    return -np.real(a1 + d * d * a3)


def kernel_keldysh_quad(
    model: Any, grid: Any, delta: float, epsabs: float = 1e-14, epsrel: float = 1e-11
) -> np.ndarray:
    """Baseline: the kernel of :func:`kernel_keldysh` with adaptive ``scipy.integrate.quad`` over omega.

    ``Re s21 = Im X_{12} / 2`` with ``X = int dw/2pi G^R_N(w) S G^A_N(w)`` integrated numerically
    node by node (``points`` at the real parts of the poles).  Slow: for tests and benchmarks.
    At ``delta = 0`` a tiny ``delta`` (1e-9 Gamma) replaces it.
    """
    from scipy.integrate import quad

    d = _check(model, grid, delta)
    d = d if d > 0 else 1e-9 * model.Gamma
    HN0, GN, S = nambu_matrices(model, grid, "paper")
    M = HN0 + _pairing(d) - 1j * GN
    out = np.empty(M.shape[0])
    eye = np.eye(4)
    for i in range(M.shape[0]):
        Mi, Si = M[i], S[i]
        lam = np.linalg.eigvals(Mi)
        scale = float(np.max(np.abs(lam.real))) + 10 * model.Gamma + 1.0

        def integrand(w, Mi=Mi, Si=Si):
            GR = np.linalg.inv(w * eye - Mi)
            return float(np.imag(GR[1] @ Si @ GR.conj().T[:, 2]))

        pts = sorted(set(np.round(lam.real, 15)))
        total = 0.0
        edges = [-scale] + [p for p in pts if -scale < p < scale] + [scale]
        for a, b in zip(edges[:-1], edges[1:]):
            total += quad(integrand, a, b, epsabs=epsabs, epsrel=epsrel, limit=400)[0]
        total += quad(integrand, -np.inf, -scale, epsabs=epsabs, epsrel=epsrel, limit=400)[0]
        total += quad(integrand, scale, np.inf, epsabs=epsabs, epsrel=epsrel, limit=400)[0]
        out[i] = -(total / (2 * math.pi)) / 2 / d
    return out


def gap_integral(model: Any, grid: Any, delta: float, kernel=kernel_keldysh) -> float:
    """``int (dk) g(k; Delta)`` on the grid (the gap equation is ``1 + V * this = 0``)."""
    return float(np.real(grid.integrate(kernel(model, grid, delta))))
