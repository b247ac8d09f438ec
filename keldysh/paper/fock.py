"""Exact Fock-space Lindblad dynamics of a few fermion modes (NumPy/SciPy only).

This module is an *independent* numerical route to the equations of motion of Sect. II.A:
instead of deriving closed equations for the bilinears (Eqs. 6, 9) it represents the
density matrix of ``M`` fermion modes on the full ``2^M``-dimensional Fock space and
evolves it with the Lindblad master equation (5).  One ``(k, -k)`` pair has ``M = 4``
modes (16-dimensional Fock space, 256-dimensional Liouville space).

Conventions
-----------
* **Jordan-Wigner ordering.**  Mode ``j`` is tensor factor ``j`` counted from the left
  (mode 0 is the most significant bit): the occupation basis state
  ``|n_0 n_1 ... n_{M-1}>`` has index ``sum_j n_j 2^(M-1-j)`` and equals
  ``(c_0^+)^{n_0} (c_1^+)^{n_1} ... |0>``.  Then
  ``c_j = Z x ... x Z x a x 1 x ... x 1`` with ``j`` factors ``Z = diag(1, -1)`` and
  ``a = [[0, 1], [0, 0]]`` (``a|1> = |0>``).
* **Hamiltonian.**  ``H = sum_ij h_ij c_i^+ c_j + sum_ij (g_ij c_i^+ c_j^+ + h.c.)/2``,
  the convention of :func:`keldysh.paper.symbolic.lindblad.quadratic_hamiltonian`.
* **Dissipator** (Eq. 5): ``rate * D[X] rho = rate * (X rho X^+ - {X^+ X, rho}/2)`` for a
  linear jump operator ``X = sum_i (a_i c_i + b_i c_i^+)``.
* **Vectorisation.**  Column stacking, ``vec(rho)[i + d j] = rho[i, j]`` (Fortran order), so
  ``vec(A X B) = (B^T kron A) vec(X)`` and the Lindbladian superoperator is

      L = -i (1 kron H - H^T kron 1)
          + sum_k r_k [ conj(X_k) kron X_k - (1 kron X_k^+ X_k + (X_k^+ X_k)^T kron 1)/2 ] .

* **The paper's pair block** (:func:`pair_block`): modes ``0 = c_k^1, 1 = c_k^2,
  2 = c_{-k}^1, 3 = c_{-k}^2``; jumps ``c^+`` with rate ``2 Gamma_a f_a`` and ``c`` with rate
  ``2 Gamma_a (1 - f_a)`` (the factor 2 restores the relaxation ``-2 Gamma_a (n - n_F)`` of
  Eqs. 6a-b; ``Gamma_a`` are amplitude decay rates).

SymPy is never imported here.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import scipy.linalg as sla
import scipy.sparse as sps
import scipy.sparse.linalg as spsla
from scipy.integrate import solve_ivp

from keldysh.errors import ParameterError, check_finite, check_nonnegative, check_positive

__all__ = [
    "annihilators",
    "quadratic_hamiltonian",
    "linear_jump",
    "vec",
    "unvec",
    "hamiltonian_superoperator",
    "dissipator_superoperator",
    "liouvillian",
    "apply_liouvillian",
    "steady_state",
    "evolve",
    "evolve_driven",
    "FloquetState",
    "floquet_steady_state",
    "bilinears",
    "mode_permutation",
    "random_density_matrix",
    "FockModel",
    "pair_block",
    "PAIR_MODES",
]

#: mode labels of one momentum pair: 0 = c_k^1, 1 = c_k^2, 2 = c_{-k}^1, 3 = c_{-k}^2
PAIR_MODES = {"k1": 0, "k2": 1, "mk1": 2, "mk2": 3}

_MAX_MODES = 7  # 2^7 = 128-dim Fock space, 16384-dim Liouville space: the dense limit here


# ----------------------------------------------------------------------------- validation
def _check_modes(n_modes: int) -> int:
    if isinstance(n_modes, bool) or not isinstance(n_modes, (int, np.integer)):
        raise ParameterError("n_modes", f"must be an integer (got {n_modes!r})")
    if not 1 <= int(n_modes) <= _MAX_MODES:
        raise ParameterError("n_modes", f"must lie in 1..{_MAX_MODES} (got {n_modes!r})")
    return int(n_modes)


def _check_complex(name: str, value) -> complex:
    try:
        z = complex(value)
    except (TypeError, ValueError):
        raise ParameterError(name, f"must be a (complex) number (got {value!r})") from None
    if not (math.isfinite(z.real) and math.isfinite(z.imag)):
        raise ParameterError(name, f"must be finite (got {value!r})")
    return z


def _check_array(name: str, value, shape: tuple[int, ...]) -> np.ndarray:
    arr = np.asarray(value, dtype=complex)
    if arr.shape != shape:
        raise ParameterError(name, f"must have shape {shape} (got {arr.shape})")
    if not np.all(np.isfinite(arr)):
        raise ParameterError(name, "must be finite")
    return arr


def _check_fraction(name: str, value) -> float:
    x = check_finite(name, value)
    if not 0.0 <= x <= 1.0:
        raise ParameterError(name, f"must lie in [0, 1] (got {x!r})")
    return x


def _check_operator(name: str, value, dim: int | None = None) -> np.ndarray:
    arr = np.asarray(value, dtype=complex)
    if arr.ndim != 2 or arr.shape[0] != arr.shape[1]:
        raise ParameterError(name, f"must be a square matrix (got shape {arr.shape})")
    if dim is not None and arr.shape[0] != dim:
        raise ParameterError(name, f"must be {dim} x {dim} (got {arr.shape})")
    if not np.all(np.isfinite(arr)):
        raise ParameterError(name, "must be finite")
    return arr


# ----------------------------------------------------------------------------- operators
def annihilators(n_modes: int) -> np.ndarray:
    """Jordan-Wigner annihilators ``c_0 ... c_{M-1}`` as dense ``2^M x 2^M`` matrices.

    Used to represent the fermions of Eqs. (2) and (5) exactly.  Mode 0 is the leftmost
    tensor factor; ``c_j = Z^{x j} x a x 1^{x (M-j-1)}`` with ``Z = diag(1, -1)`` and
    ``a = [[0, 1], [0, 0]]`` (see the module docstring).

    Parameters
    ----------
    n_modes : int
        Number of modes ``M`` (1..7).

    Returns
    -------
    ndarray, shape (M, 2^M, 2^M)
        Real matrices satisfying ``{c_i, c_j^+} = delta_ij`` and ``{c_i, c_j} = 0``.
    """
    return _annihilators(_check_modes(n_modes)).copy()


@cache
def _annihilators(M: int) -> np.ndarray:
    Z = np.diag([1.0, -1.0])
    a = np.array([[0.0, 1.0], [0.0, 0.0]])
    one = np.eye(2)
    out = np.empty((M, 2**M, 2**M))
    for j in range(M):
        op = np.ones((1, 1))
        for site in range(M):
            op = np.kron(op, Z if site < j else (a if site == j else one))
        out[j] = op
    out.setflags(write=False)  # cached: shared read-only
    return out


def quadratic_hamiltonian(h, g=None) -> np.ndarray:
    """Fock-space matrix of ``H = sum_ij h_ij c_i^+ c_j + sum_ij (g_ij c_i^+ c_j^+ + h.c.)/2``.

    The same convention as :func:`keldysh.paper.symbolic.lindblad.quadratic_hamiltonian`, the
    quadratic form of Eq. (2) (hopping/drive in ``h``, mean-field pairing in ``g``).

    Parameters
    ----------
    h : (M, M) array_like
        Hermitian single-particle matrix.
    g : (M, M) array_like, optional
        Pairing matrix (need not be antisymmetric; only its antisymmetric part survives).

    Returns
    -------
    ndarray, shape (2^M, 2^M)
        The Hermitian Hamiltonian.
    """
    h = np.asarray(h, dtype=complex)
    if h.ndim != 2 or h.shape[0] != h.shape[1]:
        raise ParameterError("h", f"must be a square matrix (got shape {h.shape})")
    M = h.shape[0]
    h = _check_array("h", h, (M, M))
    if not np.allclose(h, h.conj().T, rtol=0, atol=1e-13 * max(1.0, np.abs(h).max())):
        raise ParameterError("h", "must be Hermitian")
    C = _annihilators(M)
    Cd = np.transpose(C, (0, 2, 1))  # real matrices: dagger = transpose
    H = np.einsum("ij,iab,jbc->ac", h, Cd, C)
    if g is not None:
        g = _check_array("g", g, (M, M))
        P = 0.5 * np.einsum("ij,iab,jbc->ac", g, Cd, Cd)
        H = H + P + P.conj().T
    return 0.5 * (H + H.conj().T)


def linear_jump(a=None, b=None, n_modes: int | None = None) -> np.ndarray:
    """Jump operator ``X = sum_i (a_i c_i + b_i c_i^+)`` of the dissipators in Eq. (5).

    Parameters
    ----------
    a, b : (M,) array_like, optional
        Coefficients of the annihilators and creators (missing means zero).
    n_modes : int, optional
        ``M``; inferred from ``a`` or ``b`` when omitted.
    """
    if n_modes is None:
        ref = a if a is not None else b
        if ref is None:
            raise ParameterError("a", "give a, b or n_modes")
        n_modes = len(np.atleast_1d(ref))
    M = _check_modes(n_modes)
    a = np.zeros(M, complex) if a is None else _check_array("a", np.atleast_1d(a), (M,))
    b = np.zeros(M, complex) if b is None else _check_array("b", np.atleast_1d(b), (M,))
    C = annihilators(M)
    return np.einsum("i,iab->ab", a, C) + np.einsum("i,iba->ab", b, C)


# ----------------------------------------------------------------------------- superoperators
def vec(rho: np.ndarray) -> np.ndarray:
    """Column-stacking vectorisation, ``vec(rho)[i + d j] = rho[i, j]``."""
    rho = np.asarray(rho)
    return np.swapaxes(rho, -1, -2).reshape(rho.shape[:-2] + (-1,))


def unvec(v: np.ndarray) -> np.ndarray:
    """Inverse of :func:`vec` (the last axis of length ``d^2`` becomes ``(d, d)``)."""
    v = np.asarray(v)
    d = math.isqrt(v.shape[-1])
    if d * d != v.shape[-1]:
        raise ParameterError("v", f"length {v.shape[-1]} is not a perfect square")
    return np.swapaxes(v.reshape(v.shape[:-1] + (d, d)), -1, -2)


def hamiltonian_superoperator(H: np.ndarray) -> np.ndarray:
    """Superoperator of ``rho -> -i [H, rho]`` (the coherent part of Eq. 5), column stacking."""
    H = _check_operator("H", H)
    one = np.eye(H.shape[0])
    return -1j * (np.kron(one, H) - np.kron(H.T, one))


def dissipator_superoperator(X: np.ndarray) -> np.ndarray:
    """Superoperator of ``D[X] rho = X rho X^+ - {X^+ X, rho}/2`` (Eq. 5), column stacking."""
    X = _check_operator("X", X)
    one = np.eye(X.shape[0])
    XdX = X.conj().T @ X
    return np.kron(X.conj(), X) - 0.5 * (np.kron(one, XdX) + np.kron(XdX.T, one))


def liouvillian(H: np.ndarray, jumps: Iterable[tuple[float, np.ndarray]] = ()) -> np.ndarray:
    """Lindbladian of Eq. (5): ``L rho = -i [H, rho] + sum_k r_k D[X_k] rho`` (column stacking).

    Parameters
    ----------
    H : (d, d) array_like
        Hamiltonian.
    jumps : iterable of (rate, X)
        Rates ``r_k >= 0`` and jump operators ``X_k`` (``d x d``).

    Returns
    -------
    ndarray, shape (d^2, d^2)
    """
    H = _check_operator("H", H)
    L = hamiltonian_superoperator(H)
    for k, (rate, X) in enumerate(jumps):
        r = check_nonnegative(f"rate[{k}]", rate)
        if r:
            L = L + r * dissipator_superoperator(_check_operator(f"X[{k}]", X, H.shape[0]))
    return L


def apply_liouvillian(L: np.ndarray, rho: np.ndarray) -> np.ndarray:
    """``L[rho]`` as a matrix (``rho`` may carry leading batch axes)."""
    return unvec(vec(rho) @ np.asarray(L).T)


def _trace_row(d: int) -> np.ndarray:
    row = np.zeros(d * d, complex)
    row[:: d + 1] = 1.0  # diagonal elements rho[j, j] sit at j + d j
    return row


def _hermitian_normalised(rho: np.ndarray) -> np.ndarray:
    rho = 0.5 * (rho + np.swapaxes(rho.conj(), -1, -2))
    return rho / np.trace(rho, axis1=-2, axis2=-1)[..., None, None].real


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
    """Exact evolution ``rho(t) = exp(L t) rho0`` for a time-independent Lindbladian (Eq. 5).

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
    """Evolve ``d rho/dt = (L0 + cos(omega0 t) L1) rho`` (lab frame of Eqs. 2, 5, 6).

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
    """Periodic steady state of ``d rho/dt = (L0 + cos(omega0 t) L1) rho`` (lab frame, Eq. 5).

    Inserting ``rho(t) = sum_m r_m e^{i m omega0 t}`` gives the block-tridiagonal system

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


# ----------------------------------------------------------------------------- observables
def bilinears(rho: np.ndarray, n_modes: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``n_ij = tr(rho c_i^+ c_j)`` and ``s_ij = tr(rho c_i^+ c_j^+)`` (the variables of Eq. 6).

    ``rho`` may be any matrix (also ``L[rho]``, giving the time derivatives) and may carry
    leading batch axes.

    Returns
    -------
    n, s : ndarray, shape (..., M, M)
    """
    rho = np.asarray(rho)
    d = rho.shape[-1]
    M = n_modes if n_modes is not None else int(round(math.log2(d)))
    if 2**M != d or rho.shape[-2] != d:
        raise ParameterError("rho", f"shape {rho.shape} is not a {M}-mode Fock-space operator")
    C = _annihilators(_check_modes(M))
    Cd = np.transpose(C, (0, 2, 1))
    CdC = np.einsum("ibc,jcd->ijbd", Cd, C)
    CdCd = np.einsum("ibc,jcd->ijbd", Cd, Cd)
    n = np.einsum("...ab,ijba->...ij", rho, CdC)
    s = np.einsum("...ab,ijba->...ij", rho, CdCd)
    return n, s


def mode_permutation(perm: Sequence[int]) -> np.ndarray:
    """Unitary ``P`` with ``P c_i P^+ = c_{perm[i]}`` (e.g. ``k <-> -k``: ``perm = [2, 3, 0, 1]``).

    Built by mapping ``(c_0^+)^{n_0} ... |0>`` to ``(c_{perm[0]}^+)^{n_0} ... |0>``, which
    carries the fermionic reordering signs.  Used to symmetrise states of Eqs. (6, 9).
    """
    perm = [int(p) for p in perm]
    M = _check_modes(len(perm))
    if sorted(perm) != list(range(M)):
        raise ParameterError("perm", f"must be a permutation of 0..{M - 1} (got {perm})")
    C = annihilators(M)
    d = 2**M
    vac = np.zeros(d)
    vac[0] = 1.0
    P = np.empty((d, d))
    for idx in range(d):
        occ = [(idx >> (M - 1 - j)) & 1 for j in range(M)]
        v = vac
        for j in reversed(range(M)):
            if occ[j]:
                v = C[perm[j]].T @ v
        P[:, idx] = v
    return P


def random_density_matrix(dim: int, rng: np.random.Generator, rank: int | None = None) -> np.ndarray:
    """A random (generally non-Gaussian) density matrix ``G G^+ / tr(G G^+)`` (Ginibre ``G``)."""
    if rank is None:
        rank = dim
    G = rng.normal(size=(dim, rank)) + 1j * rng.normal(size=(dim, rank))
    rho = G @ G.conj().T
    return _hermitian_normalised(rho)


# ----------------------------------------------------------------------------- models
@dataclass(frozen=True)
class FockModel:
    """A Lindblad model ``H(t) = H0 + cos(omega0 t) H_drive`` with linear jumps (Eqs. 2, 5).

    Attributes
    ----------
    n_modes : int
    H0 : ndarray (2^M, 2^M)
        Static Hamiltonian.
    jumps : tuple of (rate, X)
        Dissipators ``rate * D[X]``.
    H_drive : ndarray or None
        Operator multiplying ``cos(omega0 t)`` (lab frame); ``None`` when static.
    omega0 : float or None
        Drive frequency.
    """

    n_modes: int
    H0: np.ndarray = field(repr=False)
    jumps: tuple = field(repr=False)
    H_drive: np.ndarray | None = field(default=None, repr=False)
    omega0: float | None = None

    @property
    def driven(self) -> bool:
        return self.H_drive is not None

    def hamiltonian(self, t: float | None = None) -> np.ndarray:
        """``H(t)``; ``t`` is required for a driven model."""
        if not self.driven:
            return self.H0
        if t is None:
            raise ParameterError("t", "a driven (lab-frame) model needs a time")
        return self.H0 + math.cos(self.omega0 * check_finite("t", t)) * self.H_drive

    @property
    def H(self) -> np.ndarray | Callable[[float], np.ndarray]:
        """The Hamiltonian: a matrix (static) or a callable ``t -> H(t)`` (driven)."""
        return self.hamiltonian if self.driven else self.H0

    def superoperators(self) -> tuple[np.ndarray, np.ndarray | None]:
        """``(L0, L1)`` with ``L(t) = L0 + cos(omega0 t) L1`` (``L1 = None`` when static)."""
        L0 = liouvillian(self.H0, self.jumps)
        L1 = hamiltonian_superoperator(self.H_drive) if self.driven else None
        return L0, L1

    def liouvillian(self, t: float | None = None) -> np.ndarray:
        """``L(t)`` (Eq. 5)."""
        return liouvillian(self.hamiltonian(t), self.jumps)

    def steady_state(self) -> np.ndarray:
        """Steady state of a static model (use :meth:`floquet` for a driven one)."""
        if self.driven:
            raise ParameterError("frame", "a driven model has no static steady state; use floquet()")
        return steady_state(self.liouvillian())

    def floquet(self, n_harmonics: int = 12) -> FloquetState:
        """Periodic long-time state of a driven model (:func:`floquet_steady_state`)."""
        if not self.driven:
            raise ParameterError("frame", "floquet() needs a driven (lab-frame) model")
        L0, L1 = self.superoperators()
        return floquet_steady_state(L0, L1, self.omega0, n_harmonics)

    def evolve(self, rho0: np.ndarray, times: Sequence[float], **options) -> np.ndarray:
        """``rho(t)`` from ``rho0`` at ``t = 0``: exact exponential (static) or ``solve_ivp`` (driven)."""
        if self.driven:
            L0, L1 = self.superoperators()
            return evolve_driven(L0, L1, self.omega0, rho0, times, **options)
        if options:
            raise ParameterError("options", f"unused for a static model: {sorted(options)}")
        return evolve(self.liouvillian(), rho0, times)


def pair_block(
    frame: str = "rwa",
    *,
    E1: float | None = None,
    E2: float | None = None,
    Et1: float | None = None,
    Et2: float | None = None,
    Omega: float,
    omega0: float | None = None,
    Gamma1: float,
    Gamma2: float,
    f1: float,
    f2: float,
    Delta: complex = 0.0,
    rate_factor: float = 2.0,
) -> FockModel:
    """One ``(k, -k)`` pair of Eq. (2) with the dissipators of Eq. (5), on 4 modes.

    Mirrors :func:`keldysh.paper.symbolic.master.pair_hamiltonian` / ``pair_lindbladian``:
    ``H = sum_{k,a} E_a n_k^a + drive sum_k (c_k^1+ c_k^2 + h.c.)
    + (i/2) Delta sum_{k,ab} c_k^a+ sigma^y_ab c_{-k}^b+ + h.c.``, built literally from
    ``sigma^x`` and ``sigma^y``; jumps ``c^+`` (rate ``rate_factor Gamma_a f_a``) and ``c``
    (rate ``rate_factor Gamma_a (1 - f_a)``) on every mode.

    Parameters
    ----------
    frame : {"lab", "rwa"}
        ``"lab"``: energies ``E1, E2``, drive ``Omega cos(omega0 t)`` (Eq. 6).
        ``"rwa"``: rotating-frame energies ``Et1, Et2``, static drive ``Omega/2`` (Eq. 9).
    Omega : float
        Rabi frequency (>= 0).
    omega0 : float
        Laser frequency (> 0), lab frame only.
    Gamma1, Gamma2 : float
        Amplitude decay rates (> 0).
    f1, f2 : float
        Reservoir occupations ``n_F(E_a)`` in ``[0, 1]``.
    Delta : complex
        Mean-field order parameter.
    rate_factor : float
        2 (default, see the errata of Eq. 5) or 1 (the printed Eq. 5).

    Returns
    -------
    FockModel
        ``H0``, ``H_drive`` (lab frame), ``omega0`` and ``jumps``.
    """
    if frame == "lab":
        if E1 is None or E2 is None or omega0 is None:
            raise ParameterError("frame", "frame='lab' needs E1, E2 and omega0")
        if Et1 is not None or Et2 is not None:
            raise ParameterError("Et1", "rotating-frame energies are not used with frame='lab'")
        e1, e2 = check_finite("E1", E1), check_finite("E2", E2)
        w = check_positive("omega0", omega0)
    elif frame == "rwa":
        if Et1 is None or Et2 is None:
            raise ParameterError("frame", "frame='rwa' needs Et1 and Et2")
        if E1 is not None or E2 is not None:
            raise ParameterError("E1", "lab-frame energies are not used with frame='rwa'")
        e1, e2 = check_finite("Et1", Et1), check_finite("Et2", Et2)
        w = None if omega0 is None else check_positive("omega0", omega0)
    else:
        raise ParameterError("frame", f"must be 'lab' or 'rwa' (got {frame!r})")
    Om = check_nonnegative("Omega", Omega)
    G1, G2 = check_positive("Gamma1", Gamma1), check_positive("Gamma2", Gamma2)
    F1, F2 = _check_fraction("f1", f1), _check_fraction("f2", f2)
    D = _check_complex("Delta", Delta)
    rf = check_positive("rate_factor", rate_factor)

    sx = np.array([[0, 1], [1, 0]], complex)
    sy = np.array([[0, -1j], [1j, 0]])
    mode = {(+1, 0): 0, (+1, 1): 1, (-1, 0): 2, (-1, 1): 3}  # (k, band-1)
    h0 = np.zeros((4, 4), complex)
    hx = np.zeros((4, 4), complex)
    g = np.zeros((4, 4), complex)
    for kk in (+1, -1):
        for a, e in ((0, e1), (1, e2)):
            h0[mode[kk, a], mode[kk, a]] = e
        for a in (0, 1):
            for b in (0, 1):
                hx[mode[kk, a], mode[kk, b]] += sx[a, b]
                # (i/2) Delta c^a+ sigma^y_ab c^b+ = (g_ij c_i^+ c_j^+)/2 with g_ij = i Delta sigma^y_ab
                g[mode[kk, a], mode[-kk, b]] += 1j * D * sy[a, b]
    C = annihilators(4)
    jumps = []
    for j, (G, f) in zip(range(4), ((G1, F1), (G2, F2), (G1, F1), (G2, F2))):
        jumps.append((rf * G * f, C[j].T.astype(complex)))
        jumps.append((rf * G * (1.0 - f), C[j].astype(complex)))
    if frame == "lab":
        return FockModel(4, quadratic_hamiltonian(h0, g), tuple(jumps), Om * quadratic_hamiltonian(hx), w)
    return FockModel(4, quadratic_hamiltonian(h0 + 0.5 * Om * hx, g), tuple(jumps), None, w)
