"""Jordan-Wigner operators, Lindblad superoperators and bilinears on the Fock space of a few modes.

Conventions (mode ordering, vectorisation) as in :mod:`keldysh.paper.fock`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from functools import cache

import numpy as np

from keldysh.errors import ParameterError, check_finite, check_nonnegative

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
    "bilinears",
    "mode_permutation",
    "random_density_matrix",
]

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
    ``a = [[0, 1], [0, 0]]`` (see :mod:`keldysh.paper.fock`).

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
    """Superoperator of ``rho -> -i [H, rho]`` (the coherent part of Eq. (5)), column stacking."""
    H = _check_operator("H", H)
    one = np.eye(H.shape[0])
    return -1j * (np.kron(one, H) - np.kron(H.T, one))


def dissipator_superoperator(X: np.ndarray) -> np.ndarray:
    """Superoperator of ``D[X] rho = X rho X^+ - {X^+ X, rho}/2`` (Eq. (5)), column stacking."""
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


# ----------------------------------------------------------------------------- observables
def bilinears(rho: np.ndarray, n_modes: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``n_ij = tr(rho c_i^+ c_j)`` and ``s_ij = tr(rho c_i^+ c_j^+)`` (the variables of Eq. (6)).

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
    carries the fermionic reordering signs.  Used to symmetrise states of Eqs. (6), (9).
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
