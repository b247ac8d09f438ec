"""Spectrum of a block-diagonal matrix with a rank-two coupling: ``J = blockdiag_k L_k + B G^T``.

The linearised self-consistent dynamics of a mean-field model has this form
(:mod:`keldysh.meanfield.stability`, and the paper's projected dynamics,
:mod:`keldysh.paper.solvers.stability`): one small real block ``L_k`` (``m x m``) per momentum node
and the self-consistency as a rank-two coupling, ``B`` and ``G`` of shape ``(N m, 2)`` (the response
to ``Re, Im Delta`` and the functionals ``Re, Im Delta`` of the state).  Two routes to the full
spectrum and to the residue of the response ``G^T (lambda - J)^{-1} B`` at every eigenvalue:

``"dense"``
    ``scipy.linalg.eig`` of the assembled ``J`` with left and right eigenvectors: ``O((N m)^3)``.

``"structured"``
    The Weinstein-Aronszajn identity (matrix determinant lemma)

        det(lambda - J) = prod_k det(lambda - L_k) * det(I_2 - H(lambda)),
        H(lambda) = G^T (lambda - L)^{-1} B = sum_p a_p c_p^T / (lambda - mu_p),

    in the eigenbasis of the blocks (one batched ``m x m`` eigenproblem per node, ``L_k = R mu R^{-1}``:
    ``a = R^T G``, ``c = R^{-1} B``).  Eigenvalues ``mu`` of the blocks whose residue
    ``a_p c_p^T`` vanishes (to rounding) are eigenvalues of ``J`` -- the modes the coupling does not
    see (the bulk of the continuum).  Coinciding poles (the same ``mu`` on several nodes, or a
    degenerate ``mu`` of one block) are merged first and their summed residue factored by its
    rank ``r <= 2``: ``|C| - r`` copies stay at ``mu``.  The remaining ``M`` eigenvalues are the
    roots of the degree-``M`` polynomial ``q(lambda) = prod_p (lambda - mu_p) det(I_2 - H(lambda))``.
    At a finite grid these are *all* coupled poles, moved by ``O(weight of the node)``, plus the
    discrete modes that leave the continuum (the phase mode, the relaxation of ``|Delta|``, the
    pairing instability).  They are found all at once by the Ehrlich-Aberth iteration, started at
    the diagonal ``mu_p + c_p . a_p`` of the reduced matrix ``diag(mu) + C A^T``: every sweep costs
    ``O(M^2)`` (``q'/q`` is a sum over the poles, ``2 x 2`` algebra, no factorisation) and the
    iteration converges cubically, without starting points to guess.

    Why all roots and not a few (shift-invert Arnoldi with a Woodbury resolvent, or an
    argument-principle count right of the continuum): the report needs the *global* largest real
    part and the mode of largest weight over the whole spectrum; at a finite grid the moved
    continuum roots may carry either, and a local method cannot certify it has missed nothing.
    Here the number of roots is known exactly (the degree ``M``), and the trace identity
    ``sum roots = tr(diag(mu) + C A^T)`` checks the set; should either check (or the eigenbasis
    of a block, near an exceptional point) fail, the routine falls back on ``eig`` of the reduced
    ``M x M`` matrix, or on the dense route (said in ``diagnostics["fallback"]``).

The residue of the response at a simple root ``lambda_j`` is ``-x y / (y H'(lambda_j) x)`` with
``x``, ``y`` the right and left null vectors of ``I_2 - H(lambda_j)`` (no eigenvector of ``J`` is
formed); at an eigenvalue the coupling does not move it is zero.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.linalg as sla
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

__all__ = ["BlockRank2Spectrum", "block_rank2_spectrum", "METHODS"]

METHODS = ("structured", "dense")
EPS = np.finfo(float).eps
#: poles closer than this (relative to the spectral scale) are merged: exact degeneracies only
CLUSTER_TOL = 1e-11
#: a (merged) residue below this fraction of the scale of its terms is rounding: the pole stays
RANK_TOL = 1e-12
#: a block whose eigenbasis has a larger condition number is too close to an exceptional point
COND_MAX = 1e8
MAX_SWEEPS = 300


@dataclass
class BlockRank2Spectrum:
    """Eigenvalues of ``J = blockdiag_k L_k + B G^T`` and the residues of ``G^T (lambda - J)^{-1} B``.

    Attributes
    ----------
    eigenvalues : numpy.ndarray
        All ``N m`` eigenvalues, sorted by decreasing real part.
    residues : numpy.ndarray
        ``(N m, 2, 2)``: the residue of the ``2 x 2`` response at each eigenvalue (zero at the
        eigenvalues the coupling does not move).
    diagnostics : dict
        ``method``; for the structured route ``moved`` (the degree ``M``), ``sweeps`` and
        ``fallback`` (``None`` or the reason).
    """

    eigenvalues: np.ndarray
    residues: np.ndarray
    diagnostics: dict[str, Any] = field(default_factory=dict)


def block_rank2_spectrum(L: np.ndarray, B: np.ndarray, G: np.ndarray, method: str = "structured") -> BlockRank2Spectrum:
    """The spectrum of ``blockdiag_k L_k + B G^T`` (module docstring).

    Parameters
    ----------
    L : numpy.ndarray
        ``(N, m, m)`` real blocks.
    B, G : numpy.ndarray
        ``(N, m, 2)`` real: the two columns of the coupling, node by node.
    method : {"structured", "dense"}

    Returns
    -------
    BlockRank2Spectrum
    """
    t0 = time.perf_counter()
    L, B, G = (np.asarray(x, dtype=float) for x in (L, B, G))
    if method == "dense":
        out = _dense(L, B, G)
    elif method == "structured":
        try:
            out = _structured(L, B, G)
        except _Fallback as exc:
            out = _dense(L, B, G)
            out.diagnostics["fallback"] = str(exc)
    else:
        raise ValueError(f"method must be one of {METHODS} (got {method!r})")
    out.diagnostics["seconds"] = time.perf_counter() - t0
    return out


class _Fallback(Exception):
    pass


def _sorted(lam: np.ndarray, res: np.ndarray, diagnostics: dict) -> BlockRank2Spectrum:
    idx = np.argsort(-lam.real, kind="stable")
    return BlockRank2Spectrum(lam[idx], res[idx], diagnostics)


def _dense(L: np.ndarray, B: np.ndarray, G: np.ndarray) -> BlockRank2Spectrum:
    """``eig`` of the assembled matrix; residue ``(G^T r)(w^H B) / (w^H r)`` per eigenpair."""
    Bf, Gf = B.reshape(-1, 2), G.reshape(-1, 2)
    J = sla.block_diag(*L) + Bf @ Gf.T
    lam, W, R = sla.eig(J, left=True, right=True)
    norm = np.einsum("ij,ij->j", W.conj(), R)
    res = np.einsum("aj,jb->jab", Gf.T @ R, W.conj().T @ Bf) / norm[:, None, None]
    return _sorted(lam, res, {"method": "dense", "fallback": None})


def _poles(L: np.ndarray, B: np.ndarray, G: np.ndarray):
    """Eigenvalues of the blocks and the factors ``a = G^T r``, ``c = l^T B`` of their residues."""
    mu, R = np.linalg.eig(L)
    try:
        Ri = np.linalg.inv(R)
    except np.linalg.LinAlgError:
        raise _Fallback("a block is defective (exceptional point on a node)") from None
    cond = np.linalg.norm(R, axis=(1, 2)) * np.linalg.norm(Ri, axis=(1, 2))
    if not np.all(np.isfinite(cond)) or cond.max() > COND_MAX:
        raise _Fallback(f"a block's eigenbasis is ill-conditioned (condition {cond.max():.2g})")
    a = np.einsum("kai,kax->kix", R, G)
    c = Ri @ B
    # rounding scale of a residue on node k: |G_k| |B_k| cond_k
    scale = np.linalg.norm(G, axis=(1, 2)) * np.linalg.norm(B, axis=(1, 2)) * cond
    m = L.shape[1]
    return mu.ravel(), a.reshape(-1, 2), c.reshape(-1, 2), np.repeat(scale, m)


def _reduce(mu, a, c, rscale, s):
    """Merge coinciding poles, factor their residues by rank; the moved poles and the eigenvalues left.

    Returns ``(P, A, C, stay)``: poles with rank-one factors (``H = sum_p A_p C_p^T/(lambda - P_p)``)
    and the indices of the block eigenvalues that are eigenvalues of ``J``.
    """
    rho = np.linalg.norm(a, axis=1) * np.linalg.norm(c, axis=1)
    pairs = cKDTree(np.c_[mu.real, mu.imag]).query_pairs(CLUSTER_TOL * s, output_type="ndarray")
    labels = _components(mu.size, pairs)
    size = np.bincount(labels)
    single = size[labels] == 1
    moved = single & (rho > RANK_TOL * rscale)
    P, A, C = [mu[moved]], [a[moved]], [c[moved]]
    stay = [np.flatnonzero(single & ~moved)]
    multi = np.flatnonzero(~single)
    if multi.size:  # merged clusters, all at once: summed residue, its SVD and rank
        _, inv, cnt = np.unique(labels[multi], return_inverse=True, return_counts=True)
        nc = cnt.size
        Rc = np.zeros((nc, 2, 2), complex)
        np.add.at(Rc, inv, np.einsum("pa,pb->pab", a[multi], c[multi]))
        U, S, Vh = np.linalg.svd(Rc)
        tol = np.zeros(nc)
        np.maximum.at(tol, inv, rscale[multi])
        tol = RANK_TOL * np.maximum(tol, np.bincount(inv, weights=rho[multi], minlength=nc))
        r = (S > tol[:, None]).sum(1)
        loc = (np.bincount(inv, mu[multi].real, nc) + 1j * np.bincount(inv, mu[multi].imag, nc)) / cnt
        for j in range(2):
            sel = r > j
            P.append(loc[sel])
            A.append(U[sel, :, j] * S[sel, j, None])
            C.append(Vh[sel, j, :])
        # the |C| - r members of smallest residue stay where they are
        o = np.lexsort((rho[multi], inv))
        start = np.r_[0, np.cumsum(cnt)[:-1]]
        pos = np.arange(multi.size) - start[inv[o]]
        stay.append(multi[o][pos < (cnt - r)[inv[o]]])
    return np.concatenate(P), np.concatenate(A), np.concatenate(C), np.concatenate(stay)


def _secular(z, P, A, C, chunk: int = 256):
    """``H(z)`` and ``H'(z)`` (each ``(len(z), 2, 2)``) and ``sum_p 1/(z - P_p)``."""
    AC = np.einsum("pa,pb->pab", A, C).reshape(-1, 4)
    H = np.empty((z.size, 4), complex)
    Hp = np.empty((z.size, 4), complex)
    S = np.empty(z.size, complex)
    with np.errstate(all="ignore"):  # an iterate on a pole gives inf/nan: the caller nudges it
        for i in range(0, z.size, chunk):
            Z = 1.0 / (z[i : i + chunk, None] - P[None, :])
            H[i : i + chunk] = Z @ AC
            Hp[i : i + chunk] = -(Z * Z) @ AC
            S[i : i + chunk] = Z.sum(1)
    return H.reshape(-1, 2, 2), Hp.reshape(-1, 2, 2), S


def _newton(z, P, A, C):
    """``q(z)/q'(z)`` with ``q = prod_p (z - P_p) det(I - H)``, in a form without division by ``det``."""
    H, Hp, S = _secular(z, P, A, C)
    T00, T01, T10, T11 = 1 - H[:, 0, 0], -H[:, 0, 1], -H[:, 1, 0], 1 - H[:, 1, 1]
    det = T00 * T11 - T01 * T10
    # tr(adj(T) T') with T' = -H'
    tr = -(T11 * Hp[:, 0, 0] - T01 * Hp[:, 1, 0] - T10 * Hp[:, 0, 1] + T00 * Hp[:, 1, 1])
    with np.errstate(all="ignore"):
        return det / (S * det + tr)


def _aberth(P, A, C, z0, s):
    """All roots of ``q`` by the Ehrlich-Aberth iteration (Jacobi sweeps over the unconverged roots)."""
    z = z0.astype(complex)
    M = z.size
    active = np.ones(M, bool)
    last = np.full(M, np.inf)
    floor = 1e-3 * s
    sweeps = 0
    for sweeps in range(1, MAX_SWEEPS + 1):  # noqa: B007
        idx = np.flatnonzero(active)
        if idx.size == 0:
            break
        N = _newton(z[idx], P, A, C)
        rep = np.empty(idx.size, complex)  # sum_{j != i} 1/(z_i - z_j), in chunks of rows
        for i in range(0, idx.size, 256):
            diff = z[idx[i : i + 256], None] - z[None, :]
            diff[np.arange(diff.shape[0]), idx[i : i + 256]] = np.inf
            with np.errstate(all="ignore"):
                rep[i : i + 256] = (1.0 / diff).sum(1)
        with np.errstate(all="ignore"):
            w = N / (1 - N * rep)
        bad = ~np.isfinite(w)
        if bad.any():  # an iterate on a pole: nudge it
            w[bad] = -1e-8 * s * np.exp(2j * math.pi * (idx[bad] * 0.6180339887498949 % 1))
        z[idx] -= w
        # converged: the Newton correction is at rounding, or small and no longer shrinking (its floor)
        step = np.abs(N)
        size = np.abs(z[idx]) + floor
        done = (step <= 4 * EPS * size) | ((step <= 1e-9 * size) & (step > 0.5 * last[idx]))
        last[idx] = step
        active[idx[done]] = False
    return z, sweeps, int(active.sum())


def _residues(z, P, A, C, s):
    """Residue of ``G^T (lambda - J)^{-1} B`` at the roots ``z``: ``-x y / (y H' x)`` at a simple root.

    At a semisimple double root ``I - H`` vanishes altogether: the pair's residue is
    ``-H'(lambda)^{-1}``, split equally between its two members (the split of the dense route is
    arbitrary, set by rounding).
    """
    if z.size == 0:
        return np.zeros((0, 2, 2), complex)
    H, Hp, _ = _secular(z, P, A, C)
    T = np.eye(2)[None] - H
    r0, r1 = np.abs(T[:, 0]).sum(1), np.abs(T[:, 1]).sum(1)
    x = np.where((r0 >= r1)[:, None], np.c_[T[:, 0, 1], -T[:, 0, 0]], np.c_[T[:, 1, 1], -T[:, 1, 0]])
    c0, c1 = np.abs(T[:, :, 0]).sum(1), np.abs(T[:, :, 1]).sum(1)
    y = np.where((c0 >= c1)[:, None], np.c_[T[:, 1, 0], -T[:, 0, 0]], np.c_[T[:, 1, 1], -T[:, 0, 1]])
    den = np.einsum("ja,jab,jb->j", y, Hp, x)
    with np.errstate(all="ignore"):
        res = -np.einsum("ja,jb->jab", x, y) / den[:, None, None]
    double = np.flatnonzero(np.abs(T).max(axis=(1, 2)) <= 1e-8)
    if double.size:
        pairs = cKDTree(np.c_[z[double].real, z[double].imag]).query_pairs(1e-6 * s, output_type="ndarray")
        labels = _components(double.size, pairs)
        for lab in np.unique(labels):
            g = double[labels == lab]
            Hp_g = _secular(np.array([z[g].mean()]), P, A, C)[1][0]
            res[g] = -np.linalg.pinv(Hp_g) / g.size
    res[~np.all(np.isfinite(res), axis=(1, 2))] = 0.0  # a defective multiple root: no simple residue
    return res


def _components(n: int, pairs: np.ndarray) -> np.ndarray:
    """Labels of the connected components of ``n`` points joined by ``pairs``."""
    if not len(pairs):
        return np.arange(n)
    graph = coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
    return connected_components(graph, directed=False)[1]


def _moments_agree(z, P, A, C, s) -> bool:
    """``sum z`` and ``sum z^2`` against ``tr J_r`` and ``tr J_r^2`` of the reduced ``J_r = diag(P) + C A^T``
    (``O(M)``): a root found twice, or one missed, shows here."""
    ac = np.einsum("pa,pa->p", A, C)
    X = A.T @ C  # 2 x 2: tr (C A^T)^2 = tr (A^T C)^2
    t1 = P.sum() + ac.sum()
    t2 = (P * P).sum() + 2 * (P * ac).sum() + np.trace(X @ X)
    tol = 1e-10 * (np.abs(z).sum() + s)
    return abs(z.sum() - t1) <= tol and abs((z * z).sum() - t2) <= tol * (np.abs(z).max(initial=0.0) + s)


def _real_pairs(z: np.ndarray, s: float) -> np.ndarray:
    """Eigenvalues of a real matrix: snap rounding-level imaginary parts of real roots to zero."""
    tiny = np.abs(z.imag) <= 16 * EPS * (np.abs(z) + s)
    return np.where(tiny, z.real + 0j, z)


def _structured(L: np.ndarray, B: np.ndarray, G: np.ndarray) -> BlockRank2Spectrum:
    mu, a, c, rscale = _poles(L, B, G)
    s = float(max(np.abs(mu).max(initial=0.0), np.linalg.norm(a) * np.linalg.norm(c), np.finfo(float).tiny))
    P, A, C, stay = _reduce(mu, a, c, rscale, s)
    M = P.size
    z0 = P + np.einsum("pa,pa->p", A, C)
    # distinct starting points (coinciding diagonal entries would stall the iteration)
    z0 = z0 + 1e-9 * s * np.exp(2j * math.pi * (np.arange(M) * 0.6180339887498949 % 1))
    fallback = None
    z, sweeps, unconverged = _aberth(P, A, C, z0, s)
    if unconverged or not np.all(np.isfinite(z)) or not _moments_agree(z, P, A, C, s):
        fallback = f"Ehrlich-Aberth: {unconverged} roots unconverged or trace check failed; eig of the reduced matrix"
        z = np.linalg.eigvals(np.diag(P) + C @ A.T)
    z = _real_pairs(z, s)
    lam = np.concatenate([mu[stay], z])
    res = np.concatenate([np.zeros((stay.size, 2, 2), complex), _residues(z, P, A, C, s)])
    diag = {"method": "structured", "moved": int(M), "sweeps": sweeps, "fallback": fallback}
    return _sorted(lam, res, diag)
