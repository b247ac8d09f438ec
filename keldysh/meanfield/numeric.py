"""Batched Nambu numerics of a mean-field model on its momentum nodes.

Two independent routes to the equal-time ``G_k = <Psi Psi^+>`` of every node:

* ``master``: the bilinear equations of motion in steady state,
  ``-i K G + i G K^+ + sum_d r_d l_d G l_d = -M`` (:mod:`keldysh.engine.gaussian`), one batched
  Kronecker solve for all nodes (dephasing included);
* ``keldysh``: ``int dw/2pi G^K = int dw/2pi G^R Sigma^K G^A`` by residues in the eigenbasis of
  ``K`` with the reservoir self-energy ``Sigma^K = -i (M - tau M^* tau)`` of the jump data
  (linear jumps only): ``X = V [ (V^-1 Sigma^K V^-+)_ab i/(conj(z_b) - z_a) ] V^+``,
  ``F = i X``, ``G = (1 + F)/2``.
"""

from __future__ import annotations

import numpy as np

from keldysh.engine.lindblad import SteadyStateError
from keldysh.errors import ParameterError
from keldysh.meanfield.model import NodeData

__all__ = ["kernel", "covariance_master", "covariance_keldysh", "functional", "rhs"]


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
    ev = np.linalg.eigvals(K)
    worst = ev.imag.max()
    scale = max(1.0, np.abs(K).max())
    if worst > -1e-13 * scale:
        i = np.unravel_index(np.argmax(ev.imag), ev.shape)[0]
        rate = max(-worst, 0.0) + 0.0
        why = "undamped" if rate == 0 else f"damped at {rate:.3g}, zero to the rounding of energies ~{scale:.3g}"
        raise UndampedModeError("jumps", f"no unique steady state at these values: a mode is {why} (momentum node {i})")


def covariance_master(nd: NodeData, K: np.ndarray, check: bool = True) -> np.ndarray:
    """Steady ``G_k`` of every node from the equations of motion (batched Kronecker solve)."""
    if check:
        _check(K)
    Nk, d = K.shape[0], K.shape[1]
    eye = np.eye(d)
    A = np.einsum("ij,kab->kiajb", eye, -1j * K) + np.einsum("kij,ab->kiajb", 1j * K.conj(), eye)
    for r, ell in zip(nd.deph_r, nd.deph_l):
        A = A + r[:, None, None, None, None] * np.einsum("kji,kab->kiajb", ell, ell)
    A = A.reshape(Nk, d * d, d * d)
    rhs = -nd.M.transpose(0, 2, 1).reshape(Nk, d * d)
    g = np.linalg.solve(A, rhs[..., None])[..., 0]
    G = g.reshape(Nk, d, d).transpose(0, 2, 1)
    return 0.5 * (G + G.conj().transpose(0, 2, 1))


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
