"""Landau coefficients of any mean-field model: the ring series of Eqs. (52)-(55), generalised.

The steady state of a block in the frame rotating at ``omega`` solves the Lyapunov equation of
the bilinear equations of motion (Eq. (9) for the paper's model),

    L_omega(G) + Delta L_1(G) + conj(Delta) L_2(G) = -M ,
    L_omega(G) = -i K_omega G + i G K_omega^+ + sum_d r_d l_d G l_d ,
    L_1(G) = -i h_D G + i G h_Dbar^+ ,   L_2(G) = -i h_Dbar G + i G h_D^+ ,

because the kernel ``K = K_omega + Delta h_D + conj(Delta) h_Dbar`` is linear in the order
parameter and its conjugate.  Treating ``Delta`` and ``conj(Delta)`` as independent,
``G = sum_{m,n} Delta^m conj(Delta)^n G_{mn}`` with

    L_omega(G_00) = -M ,     L_omega(G_{mn}) = -L_1(G_{m-1,n}) - L_2(G_{m,n-1}) ,

one batched factorisation of ``L_omega`` per node, the recursion exact order by order.  The
self-consistency ``Delta = V int measure s(G) dk`` (``s`` linear in ``G`` and its conjugate)
then reads::

    Delta = V [chi(omega) Delta + b(omega) |Delta|^2 Delta + O(|Delta|^5)] ,

``chi = int s[G_10]`` (linear response, the one-ring term of Eq. (52)) and ``b = int s[G_21]``
(the two-ring term; Eqs. (54)-(55) for the paper's model).  Its Landau form:

* in-phase (Eq. (18)): ``1/V = Re chi(0) + Re b(0) |Delta|^2``;
* complete: ``Im chi(omega) + Im b(omega) |Delta|^2 = 0`` and
  ``Re chi(omega) + Re b(omega) |Delta|^2 = 1/V``,

so ``V_c = 1/Re chi(omega_c)`` at ``Im chi(omega_c) = 0`` and near the threshold
``|Delta|^2 ~ (1/V - Re chi)/Re b``: a supercritical (continuous) transition needs
``Re b / Re chi < 0``.  These are the exact Taylor coefficients of the integrand, checked in the
tests against finite differences of the full solution and against the paper's symbolic ring
coefficients (:func:`keldysh.paper.symbolic.rings.nambu_taylor_exact`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from keldysh.errors import ParameterError, check_finite
from keldysh.meanfield.model import MeanFieldModel, NodeData
from keldysh.meanfield.numeric import kernel
from keldysh.meanfield.quadrature import build_grid

__all__ = ["LandauCoefficients", "taylor_densities", "landau_coefficients"]


def _superop(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """``G -> -i left G + i G right^+`` on column-stacked ``G`` (as in ``covariance_master``)."""
    Nk, d = left.shape[0], left.shape[1]
    eye = np.eye(d)
    A = np.einsum("ij,kab->kiajb", eye, -1j * left) + np.einsum("kij,ab->kiajb", 1j * right.conj(), eye)
    return A.reshape(Nk, d * d, d * d)


def _vec(G: np.ndarray) -> np.ndarray:
    return G.transpose(0, 2, 1).reshape(G.shape[0], -1)


def _unvec(g: np.ndarray, d: int) -> np.ndarray:
    return g.reshape(g.shape[0], d, d).transpose(0, 2, 1)


def taylor_densities(model: MeanFieldModel, nd: NodeData, omega: float, order: int = 3) -> dict[int, np.ndarray]:
    """Per-node Taylor coefficients of ``s_k`` (per unit coupling) in ``Delta`` at ``Delta = 0``.

    Parameters
    ----------
    model : MeanFieldModel
    nd : NodeData
        Nambu data on the momentum nodes (:meth:`MeanFieldModel.node_data`).
    omega : float
        Frequency of the rotating frame (``Delta(t) = |Delta| e^{-2 i omega t}``).
    order : int
        Highest odd order ``2n - 1`` wanted (1, 3, 5, ...).

    Returns
    -------
    dict
        ``{2n - 1: a_{2n-1}(k)}`` with ``s_k = sum_n a_{2n-1}(k) |Delta|^{2n-2} Delta`` (complex arrays
        over the nodes): the ``n``-ring terms of Eq. (52) for this model.
    """
    if not isinstance(order, int) or order < 1 or order % 2 == 0 or order > 15:
        raise ParameterError("order", f"must be an odd integer in 1..15 (got {order!r})")
    omega = check_finite("omega", omega)
    d = nd.d
    K0 = kernel(nd, 0.0, omega)
    A0 = _superop(K0, K0)
    for r, ell in zip(nd.deph_r, nd.deph_l):
        A0 = A0 + r[:, None, None] * np.einsum("kji,kab->kiajb", ell, ell).reshape(A0.shape)
    A1 = _superop(nd.hD, nd.hDb)
    A2 = _superop(nd.hDb, nd.hD)
    try:
        A0inv = np.linalg.inv(A0)
    except np.linalg.LinAlgError:
        raise ParameterError(
            "values", "the Delta = 0 steady state is not unique at some node (a mode is undamped)"
        ) from None
    nmax = (order + 1) // 2  # conj(Delta) powers needed: G_{n, n-1} and G_{n-1, n}
    g: dict[tuple[int, int], np.ndarray] = {(0, 0): A0inv @ _vec(-nd.M)[..., None]}
    for tot in range(1, 2 * nmax):
        for m in range(0, tot + 1):
            n = tot - m
            if m > nmax or n > nmax:
                continue
            rhs = 0
            if m > 0:
                rhs = rhs - A1 @ g[(m - 1, n)]
            if n > 0:
                rhs = rhs - A2 @ g[(m, n - 1)]
            g[(m, n)] = A0inv @ rhs
    out: dict[int, np.ndarray] = {}
    for nring in range(1, nmax + 1):
        a, b = nring, nring - 1  # coefficient of Delta^a conj(Delta)^b = |Delta|^{2b} Delta
        Gab, Gba = _unvec(g[(a, b)][..., 0], d), _unvec(g[(b, a)][..., 0], d)
        s = np.zeros(nd.h0.shape[0], dtype=complex)
        for (_c, p, q, conj), c in zip(model.s_terms, nd.s_coef):
            s += c * (np.conj(Gba[:, p, q]) if conj else Gab[:, p, q])
        out[2 * nring - 1] = s
    return out


@dataclass(frozen=True)
class LandauCoefficients:
    """``chi(omega)`` and ``b(omega)`` of ``Delta = V (chi Delta + b |Delta|^2 Delta + ...)``.

    Attributes
    ----------
    omega : float
        Rotating-frame frequency at which they are evaluated.
    chi, b : complex
        Linear response (one ring) and cubic coefficient (two rings), integrated over the domain.
    quadrature_error : float
        Relative change of ``(chi, b)`` on the grid with twice the nodes per panel.
    params : dict
    """

    omega: float
    chi: complex
    b: complex
    quadrature_error: float
    params: dict[str, float]

    @property
    def V_c(self) -> float:
        """``1/Re chi`` (signed; ``inf`` when ``Re chi = 0``)."""
        return 1.0 / self.chi.real if self.chi.real != 0 else math.inf

    def delta_in_phase(self, V: float) -> float:
        """Landau estimate ``|Delta| = sqrt((1/V - Re chi)/Re b)`` (in-phase, Eq. (18)); 0 if negative."""
        V = check_finite("V", V)
        if V == 0:
            raise ParameterError("V", "must be nonzero")
        x = (1.0 / V - self.chi.real) / self.b.real if self.b.real != 0 else -1.0
        return math.sqrt(x) if x > 0 else 0.0

    @property
    def continuous(self) -> bool:
        """True when the bifurcation at ``V_c`` is supercritical (``Re b / Re chi < 0``)."""
        return self.b.real * self.chi.real < 0

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict (complex numbers as ``[re, im]``)."""
        return {
            "omega": self.omega,
            "chi": [self.chi.real, self.chi.imag],
            "b": [self.b.real, self.b.imag],
            "V_c": self.V_c if math.isfinite(self.V_c) else None,
            "continuous": self.continuous,
            "quadrature_error": self.quadrature_error,
            "params": self.params,
        }

    def __repr__(self) -> str:
        return (
            f"<LandauCoefficients omega={self.omega:.6g}: chi={self.chi:.6g}, b={self.b:.6g}, "
            f"V_c={self.V_c:.6g}, {'continuous' if self.continuous else 'discontinuous'}>"
        )


def landau_coefficients(
    model: MeanFieldModel, values: Mapping[Any, Any], omega: float = 0.0, order: int = 8
) -> LandauCoefficients:
    """``chi(omega)`` and ``b(omega)`` of a model, integrated over its momentum domain.

    The generalisation of the ring series Eqs. (52)-(55) to any :class:`MeanFieldModel`: the exact
    first- and third-order Taylor coefficients of the self-consistency integrand (module docstring),
    on the feature-adapted grid of :func:`keldysh.meanfield.quadrature.build_grid` (``order``
    Gauss-Legendre nodes per panel), with the change under refinement as the error estimate.

    Parameters
    ----------
    model : MeanFieldModel
    values : mapping
        Numbers for the model's parameters.
    omega : float
        Frequency of the rotating frame (0: the in-phase condition of Eq. (18)).
    order : int
        Gauss-Legendre nodes per panel (2..32).
    """
    if not isinstance(model, MeanFieldModel):
        raise ParameterError("model", f"must be a MeanFieldModel (got {type(model).__name__})")
    model.require_closed("model")  # landau_coefficients integrates the bilinear equations
    if not isinstance(order, int) or not 2 <= order <= 32:
        raise ParameterError("order", f"must be an integer in 2..32 (got {order!r})")
    omega = check_finite("omega", omega)
    vals = model.resolve(values)
    grid, _ = build_grid(model, vals, order)

    def integrate(gr) -> tuple[complex, complex]:
        nd = model.node_data(gr.k, gr.w, vals)
        a = taylor_densities(model, nd, omega, order=3)
        return complex(np.sum(nd.weight * a[1])), complex(np.sum(nd.weight * a[3]))

    chi, b = integrate(grid)
    chi2, b2 = integrate(grid.refined())
    err = max(abs(chi2 - chi) / max(abs(chi), 1e-300), abs(b2 - b) / max(abs(b), 1e-300))
    return LandauCoefficients(
        omega=float(omega), chi=chi, b=b, quadrature_error=float(err), params={s.name: v for s, v in vals.items()}
    )
