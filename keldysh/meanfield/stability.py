"""Linear stability of a mean-field model's self-consistent dynamics (any engine model).

:func:`keldysh.meanfield.simulate` integrates, on every momentum node, the bilinear equations
of motion ``dG/dt = F_k(G_k, Delta)`` (Eq. (9) for the paper's model) with ``Delta`` given at every
instant by the self-consistency ``Delta = V int measure s(G) dk`` (Eq. (17), both parts).  In
the frame rotating at ``omega`` (``H -> H - omega Q``) a solution of the complete condition,
``Delta(t) = |Delta| e^{-2 i omega t}``, is a fixed point.  Linearising about it,

    J = blockdiag_k L_k + b_x g_x^T + b_y g_y^T ,

with ``L_k = dF_k/dG_k`` (the Lyapunov operator of the node), ``b_{x,y} = dF/d(Re, Im Delta)`` and
``g_{x,y}`` the linear functionals ``d(Re, Im Delta)/dG`` of the self-consistency: a rank-two
coupling of the nodes.  Each ``G_k`` is a Nambu covariance, described by ``2 n^2 - n`` real
coordinates (``d = 2 n``; :func:`_physical_basis`).  The spectrum of ``J``:

* an exact zero eigenvalue at ``|Delta| > 0`` -- the phase mode of the U(1) symmetry
  ``Delta -> Delta e^{i phi}`` (a check of the derivation: it is found, not put in);
* the rate and period with which ``|Delta(t)|`` settles (the least-damped mode with a sizeable
  weight in the response of ``Delta``);
* at ``|Delta| = 0`` (``delta=0``): the growth rate of the pairing instability, positive above the
  threshold of the complete condition.

The paper's in-phase prescription (Eq. (18)) has no counterpart here: its solutions are not fixed
points of the dynamics whenever ``Im I != 0`` (``docs/meanfield.md``), so their stability is the
stability of the paper's projected dynamics (:func:`keldysh.paper.solvers.stability.linear_stability`).
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.linalg as sla

from keldysh.errors import ParameterError, check_finite
from keldysh.meanfield.model import MeanFieldModel
from keldysh.meanfield.numeric import covariance_master, kernel
from keldysh.meanfield.quadrature import build_grid

__all__ = ["MeanFieldStability", "linear_stability"]


def _physical_basis(d: int) -> np.ndarray:
    """Real basis of the tangent space of Nambu covariances ``G = <Psi Psi^+>``, ``Psi = (c, c^+)``.

    ``G`` is Hermitian with ``G_22 = 1 - G_11^T`` and an antisymmetric ``G_12 = G_21^+``: a
    perturbation is ``[[h, a], [a^+, -h^T]]`` with ``h`` Hermitian (``n^2`` real numbers) and ``a``
    antisymmetric (``n(n - 1)`` real numbers), ``2 n^2 - n`` coordinates in all (``d = 2 n``).
    The dynamics preserves this structure, so no spurious (unphysical) modes enter the spectrum.
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
    return np.array(out)


@dataclass
class MeanFieldStability:
    """Spectrum of the linearised self-consistent dynamics (see module docstring).

    Attributes
    ----------
    V, delta, omega : float
        Coupling, ``|Delta|`` and rotation frequency of the fixed point.
    growth_rate : float
        Largest real part of the spectrum without the phase mode (``> 0``: unstable).
    phase_mode : complex or None
        The eigenvalue closest to 0 at ``|Delta| > 0`` (the U(1) Goldstone mode; ~0).
    approach : dict
        The least-damped mode carrying >= 10% of the largest weight in the response of ``Delta``:
        ``eigenvalue``, ``period``, ``decay_time``.
    eigenvalues : numpy.ndarray
        Full spectrum, sorted by decreasing real part.
    params : dict
    diagnostics : dict
    """

    V: float
    delta: float
    omega: float
    growth_rate: float
    phase_mode: complex | None
    approach: dict[str, Any]
    eigenvalues: np.ndarray
    params: dict[str, float]
    diagnostics: dict[str, Any] = field(default_factory=dict)

    @property
    def stable(self) -> bool:
        """No mode grows (the phase mode excluded)."""
        return self.growth_rate < 0

    def to_json(self) -> dict[str, Any]:
        """JSON-ready summary (no arrays; complex numbers as ``[re, im]``)."""

        def c(z: complex | None):
            return None if z is None else [float(np.real(z)), float(np.imag(z))]

        app = {
            k: (c(v) if isinstance(v, complex) else (v if math.isfinite(v) else None)) for k, v in self.approach.items()
        }
        return {
            "V": self.V,
            "delta": self.delta,
            "omega": self.omega,
            "growth_rate": self.growth_rate,
            "stable": self.stable,
            "phase_mode": c(self.phase_mode),
            "approach": app,
            "params": self.params,
        }

    def __repr__(self) -> str:
        a = self.approach
        return (
            f"<MeanFieldStability |Delta|={self.delta:.6g}, omega={self.omega:.6g}: "
            f"{'stable' if self.stable else 'unstable'} (growth rate {self.growth_rate:.3g}), "
            f"approach period {a['period']:.4g}, decay time {a['decay_time']:.4g}; {self.eigenvalues.size} modes>"
        )


def linear_stability(
    model: MeanFieldModel,
    V: float,
    values: Mapping[Any, Any],
    *,
    delta: float | None = None,
    omega: float | None = None,
    order: int = 3,
) -> MeanFieldStability:
    """Linearise the self-consistent dynamics of ``model`` about a fixed point (module docstring).

    Parameters
    ----------
    model : MeanFieldModel
    V : float
        Coupling (nonzero).
    values : mapping
        Numbers for the model's parameters.
    delta, omega : float, optional
        The fixed point ``|Delta|``, ``omega``; default: the complete condition
        (:func:`keldysh.meanfield.solve_gap` on the same grid order).  ``delta=0`` linearises
        about the unpaired steady state (``omega`` then defaults to 0).
    order : int
        Gauss-Legendre nodes per panel (2..32); the dense spectrum costs ``(N d^2)^3``.

    Returns
    -------
    MeanFieldStability
    """
    from keldysh.meanfield.gap import solve_gap

    t0 = time.perf_counter()
    if not isinstance(model, MeanFieldModel):
        raise ParameterError("model", f"must be a MeanFieldModel (got {type(model).__name__})")
    V = check_finite("V", V)
    if V == 0:
        raise ParameterError("V", "must be nonzero")
    if not isinstance(order, int) or not 2 <= order <= 32:
        raise ParameterError("order", f"must be an integer in 2..32 (got {order!r})")
    vals = model.resolve(values)
    if delta is None:
        r = solve_gap(model, V, values, condition="complete", order=order)
        delta, omega = r.delta, (r.omega if r.delta > 0 else 0.0)
    delta = check_finite("delta", delta)
    if delta < 0:
        raise ParameterError("delta", f"must be >= 0 (got {delta})")
    omega = 0.0 if omega is None else check_finite("omega", omega)
    grid, _ = build_grid(model, vals, order)
    nd = model.node_data(grid.k, grid.w, vals)
    Nk, d = nd.h0.shape[0], nd.d
    if Nk * (d * d - d) // 2 > 6000:
        raise ParameterError("order", "the dense spectrum would have more than 6000 modes: lower the order")
    K = kernel(nd, delta, omega)
    G = covariance_master(nd, K)
    E = _physical_basis(d)  # (m, d, d), orthogonal under Re tr(X^+ Y)
    n = E.shape[0]
    norm2 = np.real(np.einsum("jab,jab->j", E.conj(), E))

    def coords(X: np.ndarray) -> np.ndarray:  # (Nk, d, d) in the tangent space -> (Nk, m) real
        return np.real(np.einsum("jab,kab->kj", E.conj(), X)) / norm2

    Kd = K.conj().transpose(0, 2, 1)
    # per-node Lyapunov operator on the basis: L_k(E_j) = -i K E_j + i E_j K^+ + sum r l E_j l
    LE = -1j * np.einsum("kab,jbc->kjac", K, E) + 1j * np.einsum("jab,kbc->kjac", E, Kd)
    for r, ell in zip(nd.deph_r, nd.deph_l):
        LE = LE + r[:, None, None, None] * np.einsum("kab,jbc,kcd->kjad", ell, E, ell)
    Lk = np.real(np.einsum("iab,kjab->kij", E.conj(), LE)) / norm2[None, :, None]  # column j: L(E_j)
    # dF/dx, dF/dy with Delta = x + i y: dK/dx = hD + hDb, dK/dy = i (hD - hDb)
    cols = []
    for dK in (nd.hD + nd.hDb, 1j * (nd.hD - nd.hDb)):
        dF = -1j * dK @ G + 1j * G @ dK.conj().transpose(0, 2, 1)
        cols.append(coords(dF).reshape(-1))
    bx, by = cols
    # Delta = V sum_k w_k s(G_k): linear in the coordinates (s uses G[p, q] or its conjugate)
    gvec = np.zeros((Nk, n), complex)
    for (_c, p, q, conj), c in zip(model.s_terms, nd.s_coef):
        ent = E[:, p, q]  # (n,) value of G[p, q] for each basis element
        gvec += (V * nd.weight * c)[:, None] * (np.conj(ent)[None] if conj else ent[None])
    gx, gy = np.real(gvec).reshape(-1), np.imag(gvec).reshape(-1)
    J = sla.block_diag(*Lk) + np.outer(bx, gx) + np.outer(by, gy)
    lam, W, R = sla.eig(J, left=True, right=True)
    idx = np.argsort(-lam.real)
    lam, W, R = lam[idx], W[:, idx], R[:, idx]
    rest = np.ones(lam.size, bool)
    phase = None
    if delta > 0:
        i0 = int(np.argmin(np.abs(lam)))
        phase = complex(lam[i0])
        rest[i0] = False
    growth = float(lam.real[rest].max())
    norm = np.einsum("ij,ij->j", W.conj(), R)
    weight = np.abs((gx @ R) * (W.conj().T @ bx) / norm) + np.abs((gy @ R) * (W.conj().T @ by) / norm)
    weight[~rest] = 0.0
    strong = np.nonzero(weight >= 0.1 * weight.max())[0]
    j = int(strong[np.argmax(lam.real[strong])])
    lj = complex(lam[j])
    approach = {
        "eigenvalue": lj,
        "period": 2 * math.pi / abs(lj.imag) if lj.imag != 0 else math.inf,
        "decay_time": -1.0 / lj.real if lj.real < 0 else math.inf,
    }
    return MeanFieldStability(
        V=V,
        delta=float(delta),
        omega=float(omega),
        growth_rate=growth,
        phase_mode=phase,
        approach=approach,
        eigenvalues=lam,
        params={s.name: v for s, v in vals.items()},
        diagnostics={"nodes": Nk, "modes": lam.size, "seconds": time.perf_counter() - t0},
    )
