"""Steady states and time evolution of Fock-space Lindbladians (Eq. (5)): static, driven, Floquet.

Conventions (vectorisation by column stacking) as in :mod:`keldysh.paper.fock`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.linalg as sla
import scipy.sparse as sps
import scipy.sparse.linalg as spsla
from scipy.integrate import solve_ivp

from keldysh.errors import ParameterError, check_finite, check_positive
from keldysh.paper.fock.operators import _check_operator, _hermitian_normalised, _trace_row, unvec, vec

__all__ = ["steady_state", "evolve", "evolve_driven", "FloquetState", "floquet_steady_state"]


def steady_state(L: np.ndarray, uniqueness_tol: float = 1e-12) -> np.ndarray:
    """Steady state of Eq. (5): the normalised Hermitian null vector of ``L``.

    Because ``tr(L[x]) = 0`` for every ``x``, the row of ``L`` for ``rho[0, 0]`` is minus the
    sum of the other diagonal rows; it is replaced by the trace condition ``tr rho = 1`` and
    the resulting square system is solved by LU.  Its reciprocal condition number
    (LAPACK ``zgecon``) is checked: below ``uniqueness_tol`` the steady state is not unique
    and :class:`ParameterError` is raised.  The error of the solution is about
    ``eps / rcond`` (double precision).

    Returns
    -------
    ndarray, shape (d, d)
        ``rho`` with ``tr rho = 1`` and ``rho = rho^+``.
    """
    L = _check_operator("L", L)
    D = L.shape[0]
    d = math.isqrt(D)
    if d * d != D:
        raise ParameterError("L", f"dimension {D} is not a square")
    A = L.astype(complex, copy=True)
    A[0, :] = _trace_row(d)
    rhs = np.zeros(D, complex)
    rhs[0] = 1.0
    lu, piv, info = sla.lapack.zgetrf(A)
    rcond = 0.0
    if info == 0:
        anorm = np.abs(A).sum(axis=0).max()
        rcond, _ = sla.lapack.zgecon(lu, anorm, norm="1")
    if info != 0 or rcond < uniqueness_tol:
        raise ParameterError("L", f"steady state is not unique (reciprocal condition number {rcond:.3g})")
    x, _ = sla.lapack.zgetrs(lu, piv, rhs)
    return _hermitian_normalised(unvec(x))


def evolve(L: np.ndarray, rho0: np.ndarray, times: Sequence[float]) -> np.ndarray:
    """Exact evolution ``rho(t) = exp(L t) rho0`` for a time-independent Lindbladian (Eq. (5)).

    Each time is computed from ``rho0`` with its own
    :func:`scipy.sparse.linalg.expm_multiply` (Al-Mohy-Higham truncated Taylor series,
    accurate to double precision, on the sparse Lindbladian), so errors do not accumulate
    from one output time to the next.

    Returns
    -------
    ndarray, shape (len(times), d, d)
    """
    L = _check_operator("L", L)
    rho0 = _check_operator("rho0", rho0)
    if L.shape[0] != rho0.size:
        raise ParameterError("rho0", f"must be {math.isqrt(L.shape[0])}-dimensional")
    times = np.atleast_1d(np.asarray(times, dtype=float))
    if not np.all(np.isfinite(times)):
        raise ParameterError("times", "must be finite")
    S = sps.csc_matrix(L)
    v0 = vec(rho0).astype(complex)
    return np.stack([unvec(spsla.expm_multiply(S * t, v0) if t else v0) for t in times])


def evolve_driven(
    L0: np.ndarray,
    L1: np.ndarray,
    omega0: float,
    rho0: np.ndarray,
    times: Sequence[float],
    t0: float = 0.0,
    rtol: float = 1e-11,
    atol: float = 1e-13,
    method: str = "DOP853",
) -> np.ndarray:
    """Evolve ``d rho/dt = (L0 + cos(omega0 t) L1) rho`` (lab frame of Eqs. (2), (5), (6)).

    Integrated with :func:`scipy.integrate.solve_ivp` (default DOP853, ``rtol``/``atol``
    per step; the global error is a small multiple of ``rtol`` times the number of
    decay times integrated).

    Parameters
    ----------
    L0, L1 : (d^2, d^2) array_like
        Static part and the part multiplying ``cos(omega0 t)``.
    omega0 : float
        Laser frequency (> 0).
    rho0 : (d, d) array_like
        State at ``t0``.
    times : sequence of float
        Increasing output times ``>= t0``.

    Returns
    -------
    ndarray, shape (len(times), d, d)
    """
    L0 = _check_operator("L0", L0)
    L1 = _check_operator("L1", L1, L0.shape[0])
    w = check_positive("omega0", omega0)
    rho0 = _check_operator("rho0", rho0)
    t0 = check_finite("t0", t0)
    check_positive("rtol", rtol)
    check_positive("atol", atol)
    times = np.atleast_1d(np.asarray(times, dtype=float))
    if not np.all(np.isfinite(times)) or np.any(np.diff(times) < 0) or times[0] < t0:
        raise ParameterError("times", "must be finite, increasing and >= t0")

    S0, S1 = sps.csr_matrix(L0), sps.csr_matrix(L1)  # Lindbladians of few-body operators are sparse

    def rhs(t, y):
        return S0 @ y + math.cos(w * t) * (S1 @ y)

    sol = solve_ivp(rhs, (t0, times[-1]), vec(rho0), method=method, t_eval=times, rtol=rtol, atol=atol)
    if not sol.success:
        raise RuntimeError(f"solve_ivp failed: {sol.message}")
    return unvec(sol.y.T)


# ----------------------------------------------------------------------------- Floquet
@dataclass(frozen=True)
class FloquetState:
    """Periodic long-time state ``rho(t) = sum_m r_m exp(i m omega0 t)`` of a driven Eq. (5).

    Attributes
    ----------
    omega0 : float
        Drive frequency.
    harmonics : ndarray, shape (2K+1, d, d)
        ``r_m`` for ``m = -K..K`` (``r_{-m} = r_m^+``, ``tr r_0 = 1``).
    tail : float
        ``max(||r_K||, ||r_-K||) / ||r_0||`` (Frobenius): the truncation error estimate.
    """

    omega0: float
    harmonics: np.ndarray = field(repr=False)
    tail: float

    @property
    def K(self) -> int:
        return (self.harmonics.shape[0] - 1) // 2

    def harmonic(self, m: int) -> np.ndarray:
        """``r_m`` (zero beyond the truncation)."""
        if abs(m) > self.K:
            return np.zeros_like(self.harmonics[0])
        return self.harmonics[m + self.K]

    def rho(self, t) -> np.ndarray:
        """``rho(t)``; ``t`` scalar or 1-D array (then shape ``(len(t), d, d)``)."""
        t = np.asarray(t, dtype=float)
        m = np.arange(-self.K, self.K + 1)
        ph = np.exp(1j * self.omega0 * np.multiply.outer(t, m))
        return _hermitian_normalised(np.tensordot(ph, self.harmonics, axes=(-1, 0)))


def floquet_steady_state(L0: np.ndarray, L1: np.ndarray, omega0: float, n_harmonics: int = 12) -> FloquetState:
    """Periodic steady state of ``d rho/dt = (L0 + cos(omega0 t) L1) rho`` (lab frame, Eq. (5)).

    Inserting ``rho(t) = sum_m r_m e^{i m omega0 t}`` gives the block-tridiagonal system::

        (L0 - i m omega0) r_m + (L1/2) (r_{m-1} + r_{m+1}) = 0 ,   |m| <= K,  r_{+-(K+1)} = 0,

    solved by sparse LU with one redundant row of the ``m = 0`` block replaced by
    ``tr r_0 = 1``.  Harmonics fall off like ``(|L1| / omega0)^|m|``, so the truncation
    error is about ``tail`` (reported on the result).

    Parameters
    ----------
    L0, L1 : (d^2, d^2) array_like
    omega0 : float
        Drive frequency (> 0).
    n_harmonics : int
        ``K`` (>= 1).
    """
    L0 = _check_operator("L0", L0)
    L1 = _check_operator("L1", L1, L0.shape[0])
    w = check_positive("omega0", omega0)
    if isinstance(n_harmonics, bool) or not isinstance(n_harmonics, (int, np.integer)) or n_harmonics < 1:
        raise ParameterError("n_harmonics", f"must be an integer >= 1 (got {n_harmonics!r})")
    K = int(n_harmonics)
    D = L0.shape[0]
    d = math.isqrt(D)
    nb = 2 * K + 1
    m = np.arange(-K, K + 1)
    A = (
        sps.kron(sps.identity(nb), sps.csr_matrix(L0))
        - 1j * w * sps.kron(sps.diags(m.astype(float)), sps.identity(D))
        + sps.kron(sps.diags([np.ones(nb - 1), np.ones(nb - 1)], [-1, 1]), sps.csr_matrix(0.5 * L1))
    ).tolil()
    row = K * D  # element rho[0, 0] of the m = 0 block: redundant (trace of the block row is 0)
    A[row, :] = 0
    A[row, K * D + np.arange(0, D, d + 1)] = 1.0
    rhs = np.zeros(nb * D, complex)
    rhs[row] = 1.0
    x = spsla.spsolve(A.tocsc(), rhs)
    if not np.all(np.isfinite(x)):
        raise RuntimeError("Floquet system is singular: no unique periodic state")
    harm = unvec(x.reshape(nb, D))
    norms = np.linalg.norm(harm.reshape(nb, -1), axis=1)
    tail = float(max(norms[0], norms[-1]) / norms[K])
    return FloquetState(omega0=w, harmonics=harm, tail=tail)
