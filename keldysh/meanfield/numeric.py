"""Batched Nambu numerics of a mean-field model on its momentum nodes.

Two independent routes to the equal-time ``G_k = <Psi Psi^+>`` of every node:

* ``master``: the bilinear equations of motion in steady state,
  ``-i K G + i G K^+ + sum_d r_d l_d G l_d = -M`` (:mod:`keldysh.engine.gaussian`), one batched
  real solve in the ``2 n^2 - n`` Nambu coordinates for all nodes (dephasing included; the plain
  ``d^2`` Kronecker form is the reference and the fallback);
* ``keldysh``: ``int dw/2pi G^K = int dw/2pi G^R Sigma^K G^A`` by residues in the eigenbasis of
  ``K`` with the reservoir self-energy ``Sigma^K = -i (M - tau M^* tau)`` of the jump data
  (linear jumps only): ``X = V [ (V^-1 Sigma^K V^-+)_ab i/(conj(z_b) - z_a) ] V^+``,
  ``F = i X``, ``G = (1 + F)/2``.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from scipy import sparse

from keldysh.engine.lindblad import SteadyStateError
from keldysh.errors import ParameterError
from keldysh.meanfield.model import NodeData

__all__ = ["kernel", "nambu_basis", "covariance_master", "covariance_keldysh", "functional", "rhs"]


def _swap(n: int) -> np.ndarray:
    return np.r_[n : 2 * n, 0:n]


def kernel(nd: NodeData, Delta: complex, omega: float) -> np.ndarray:
    """``K_k`` of ``dPsi/dt = -i K Psi`` in the frame rotating at ``omega`` (``H -> H - omega Q``)."""
    d = nd.d
    n = d // 2
    q = np.r_[np.ones(n), -np.ones(n)]
    h = nd.h0 + Delta * nd.hD + np.conj(Delta) * nd.hDb
    h = h - omega * np.diag(q)[None]
    sw = _swap(n)
    K = h - 0.5j * (nd.M + nd.M.conj()[:, sw][:, :, sw])
    for r, ell in zip(nd.deph_r, nd.deph_l):
        K = K - 0.5j * r[:, None, None] * (ell @ ell)
    return K


class UndampedModeError(ParameterError, SteadyStateError):
    """No unique steady state at these parameter values: a mode is undamped (``param`` is ``"jumps"``,
    the rates that vanish); both a :class:`~keldysh.ParameterError` and a ``SteadyStateError``."""


def _check(K: np.ndarray) -> None:
    """Every mode of ``K`` is damped (``Im z < 0``), else :class:`UndampedModeError`.

    Fast path: ``Im z <= -lambda_min(Gamma)`` for the Hermitian damping ``Gamma = i (K - K^+)/2``
    (``Im z |v|^2 = -v^+ Gamma v``), so a batched Cholesky factorisation of ``Gamma - tol`` proves
    it; otherwise (semidefinite damping, e.g. a mode damped only through its coupling) the
    eigenvalues of ``K`` decide.
    """
    scale = max(1.0, np.abs(K).max())
    gamma = 0.5j * (K - K.conj().transpose(0, 2, 1))
    try:
        np.linalg.cholesky(gamma - 1e-13 * scale * np.eye(K.shape[-1]))
        return
    except np.linalg.LinAlgError:
        pass
    ev = np.linalg.eigvals(K)
    worst = ev.imag.max()
    if worst > -1e-13 * scale:
        i = np.unravel_index(np.argmax(ev.imag), ev.shape)[0]
        rate = max(-worst, 0.0) + 0.0
        why = "undamped" if rate == 0 else f"damped at {rate:.3g}, zero to the rounding of energies ~{scale:.3g}"
        raise UndampedModeError("jumps", f"no unique steady state at these values: a mode is {why} (momentum node {i})")


@lru_cache(maxsize=8)
def nambu_basis(d: int) -> tuple[np.ndarray, np.ndarray]:
    """Real basis of the tangent space of Nambu covariances ``G = <Psi Psi^+>``, ``Psi = (c, c^+)``.

    ``G`` is Hermitian with ``G_22 = 1 - G_11^T`` and an antisymmetric ``G_12 = G_21^+``: a
    perturbation is ``[[h, a], [a^+, -h^T]]`` with ``h`` Hermitian (``n^2`` real numbers) and ``a``
    antisymmetric (``n(n - 1)`` real numbers), ``2 n^2 - n`` coordinates in all (``d = 2 n``).
    Returns ``(E, norm2)``: the basis matrices (shape ``(2 n^2 - n, d, d)``), orthogonal under
    ``Re tr(A^+ B)``, and their squared norms.  The bilinear dynamics preserves this structure.
    """
    n = d // 2
    out = []

    def put(h: np.ndarray | None, a: np.ndarray | None) -> None:
        X = np.zeros((d, d), complex)
        if h is not None:
            X[:n, :n], X[n:, n:] = h, -h.T
        if a is not None:
            X[:n, n:], X[n:, :n] = a, a.conj().T
        out.append(X)

    for i in range(n):
        h = np.zeros((n, n), complex)
        h[i, i] = 1.0
        put(h, None)
    for i in range(n):
        for j in range(i + 1, n):
            for z in (1.0, 1j):
                h = np.zeros((n, n), complex)
                h[i, j], h[j, i] = z, np.conj(z)
                put(h, None)
                a = np.zeros((n, n), complex)
                a[i, j], a[j, i] = z, -z
                put(None, a)
    E = np.array(out)
    E.setflags(write=False)
    norm2 = np.einsum("jab,jab->j", E.conj(), E).real
    norm2.setflags(write=False)
    return E, norm2


@lru_cache(maxsize=8)
def _projected_lyapunov(d: int) -> sparse.csr_matrix:
    """The constant real sparse matrix ``T`` (shape ``(m^2, 2 d^2)``) with
    ``<E_i, -i K E_j + i E_j K^+> / |E_i|^2 = (T @ [vec Re K, vec Im K])[i m + j]``."""
    E, norm2 = nambu_basis(d)
    Ec = E.conj() / norm2[:, None, None]
    m = len(E)
    T1 = -1j * np.einsum("iab,jcb->acij", Ec, E).reshape(d * d, m * m)
    T2 = 1j * np.einsum("iab,jac->bcij", Ec, E).reshape(d * d, m * m)
    # Re(a T1 + conj(a) T2) = Re a (Re T1 + Re T2) + Im a (Im T2 - Im T1)
    # sparse (~1% filled: each basis matrix has <= 4 entries), transposed to act on (vec Re K, vec Im K)
    return sparse.csr_matrix(np.vstack([(T1 + T2).real, (T2 - T1).imag]).T)


def _lyapunov_map(nd: NodeData, K: np.ndarray, X: np.ndarray) -> np.ndarray:
    """``-i K X + i X K^+ + sum_d r_d l_d X l_d`` on every node (``X``: shape ``(Nk, d, d)``)."""
    out = -1j * (K @ X) + 1j * (X @ K.conj().transpose(0, 2, 1))
    for r, ell in zip(nd.deph_r, nd.deph_l):
        out = out + r[:, None, None] * (ell @ X @ ell)
    return out


def _covariance_kronecker(nd: NodeData, K: np.ndarray) -> np.ndarray:
    """The steady ``G_k`` by one batched solve of the ``d^2 x d^2`` Kronecker form (no structure used)."""
    Nk, d = K.shape[0], K.shape[1]
    eye = np.eye(d)
    A = np.einsum("ij,kab->kiajb", eye, -1j * K) + np.einsum("kij,ab->kiajb", 1j * K.conj(), eye)
    for r, ell in zip(nd.deph_r, nd.deph_l):
        A = A + r[:, None, None, None, None] * np.einsum("kji,kab->kiajb", ell, ell)
    A = A.reshape(Nk, d * d, d * d)
    rhs = -nd.M.transpose(0, 2, 1).reshape(Nk, d * d)
    g = np.linalg.solve(A, rhs[..., None])[..., 0]
    return g.reshape(Nk, d, d).transpose(0, 2, 1)


#: relative residual of the structured solve above which the Kronecker solve is used instead
_RESIDUAL_TOL = 1e-9


def covariance_master(nd: NodeData, K: np.ndarray, check: bool = True) -> np.ndarray:
    """Steady ``G_k`` of every node from the equations of motion ``0 = -i K G + i G K^+ + M + ...``.

    ``G = G_ref + sum_j x_j E_j`` with ``G_ref = diag(0, 1)`` (the filled Nambu state) and the real
    ``2 n^2 - n`` coordinates ``x`` of :func:`nambu_basis`: the equations projected on that
    (orthogonal) basis are one batched *real* solve of size ``2 n^2 - n`` per node, instead of the
    complex ``d^2 = 4 n^2`` of the Kronecker form (``n = 4``: 28 real against 64 complex unknowns,
    ~10x faster).  The residual of the full equations is checked on every node; where the model's
    data do not keep the Nambu structure (residual above ``1e-9`` relative) the Kronecker solve
    is used.
    """
    if check:
        _check(K)
    Nk, d = K.shape[0], K.shape[1]
    n = d // 2
    E, norm2 = nambu_basis(d)
    ref = np.zeros((d, d), complex)
    ref[n:, n:] = np.eye(n)
    m = len(E)
    Kf = K.reshape(Nk, d * d)
    # A[k, i, j] = <E_i, L_k E_j> / |E_i|^2 = Re(vec K @ T1 + vec conj(K) @ T2): one sparse product
    A = (_projected_lyapunov(d) @ np.hstack([Kf.real, Kf.imag]).T).T.reshape(Nk, m, m)
    if nd.deph_r.size:  # sum_d r_d l_d E_j l_d, projected
        Ec = E.conj() / norm2[:, None, None]
        for r, ell in zip(nd.deph_r, nd.deph_l):
            A = A + r[:, None, None] * np.einsum("iab,kac,jcd,kdb->kij", Ec, ell, E, ell, optimize=True).real
    P = (E.conj().reshape(m, d * d) / norm2[:, None]).T  # coordinates of X: Re(vec(X) @ P)
    b0 = _lyapunov_map(nd, K, np.broadcast_to(ref, (Nk, d, d))) + nd.M
    rhs = -(b0.reshape(Nk, d * d) @ P).real
    x = np.linalg.solve(A, rhs[..., None])[..., 0]
    Ef = E.reshape(m, d * d)
    G = ref + (x @ Ef.real + 1j * (x @ Ef.imag)).reshape(Nk, d, d)
    res = _lyapunov_map(nd, K, G) + nd.M
    scale = np.abs(K).max(axis=(1, 2)) + np.abs(nd.M).max(axis=(1, 2))
    bad = np.abs(res).max(axis=(1, 2)) > _RESIDUAL_TOL * np.maximum(scale, 1.0)
    if bad.any():
        sub = NodeData(**{f: _take(getattr(nd, f), bad, f) for f in NodeData.__dataclass_fields__})
        G[bad] = _covariance_kronecker(sub, K[bad])
    return 0.5 * (G + G.conj().transpose(0, 2, 1))


def _take(a: np.ndarray, mask: np.ndarray, name: str) -> np.ndarray:
    """The entries of a :class:`NodeData` array on the masked nodes (node axis 1 for dephasing data)."""
    if name in ("deph_r", "deph_l", "s_coef"):
        return a[:, mask]
    return a[mask]


def covariance_keldysh(nd: NodeData, K: np.ndarray, check: bool = True) -> np.ndarray:
    """Steady ``G_k`` from ``int dw/2pi G^R Sigma^K G^A`` by residues (linear jumps only)."""
    if nd.deph_r.size:
        raise ValueError("method='keldysh' needs linear jumps only (dephasing has no reservoir Sigma^K)")
    if check:
        _check(K)
    d = K.shape[1]
    n = d // 2
    sw = _swap(n)
    SK = -1j * (nd.M - nd.M.conj()[:, sw][:, :, sw])
    z, Vv = np.linalg.eig(K)
    Vi = np.linalg.inv(Vv)
    Sp = Vi @ SK @ Vi.conj().transpose(0, 2, 1)
    X = Vv @ (Sp * (1j / (z.conj()[:, None, :] - z[:, :, None]))) @ Vv.conj().transpose(0, 2, 1)
    F = 1j * X
    G = 0.5 * (np.eye(d)[None] + F)
    return 0.5 * (G + G.conj().transpose(0, 2, 1))


def functional(model, nd: NodeData, G: np.ndarray) -> np.ndarray:
    """``s_k`` per unit coupling on every node: the self-consistency evaluated at ``G_k``."""
    out = np.zeros(G.shape[0], dtype=complex)
    for (_coef, p, q, conj), c in zip(model.s_terms, nd.s_coef):
        v = G[:, p, q]
        out += c * (np.conj(v) if conj else v)
    return out


def rhs(nd: NodeData, K: np.ndarray, G: np.ndarray) -> np.ndarray:
    """``dG/dt = -i K G + i G K^+ + M + sum_d r_d l_d G l_d`` on every node."""
    out = -1j * (K @ G) + 1j * (G @ K.conj().transpose(0, 2, 1)) + nd.M
    for r, ell in zip(nd.deph_r, nd.deph_l):
        out = out + r[:, None, None] * (ell @ G @ ell)
    return out
