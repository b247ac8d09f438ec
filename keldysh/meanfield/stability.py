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

The spectrum is computed from this structure (``method="structured"``, the default;
:mod:`keldysh.meanfield.lowrank`): the eigenvalues of the blocks ``L_k`` that the coupling does not
see, plus the roots of the ``2 x 2`` secular determinant ``det(I - G^T (lambda - L)^{-1} B)``, all of
them, by the Ehrlich-Aberth iteration: ``O(N m^3 + M^2)`` for ``N`` nodes, ``m = 2 n^2 - n`` and ``M``
coupled poles, against ``O((N m)^3)`` for ``eig`` of the assembled ``J`` (``method="dense"``, kept as
the cross-check).  Both give the full spectrum and the residues of the response of ``Delta``, so every
field of :class:`MeanFieldStability` is the same to rounding (``docs/meanfield.md``: two orders of
magnitude faster for the Fig. 4 model at grid orders 2 and 3).

The paper's in-phase prescription (Eq. (18)) is linearised here only through its own dynamics: its
solutions are not fixed points of the complete dynamics whenever ``Im I != 0`` (``docs/meanfield.md``).
For the paper's model that is :func:`keldysh.paper.solvers.stability.linear_stability`; for any model
the in-phase projected dynamics can be integrated (``simulate(..., projection="in-phase")``) but is
not linearised by this module.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from keldysh.errors import ParameterError, check_finite, check_magnitude
from keldysh.meanfield.lowrank import METHODS, block_rank2_spectrum
from keldysh.meanfield.model import MeanFieldModel
from keldysh.meanfield.numeric import covariance_master, kernel, nambu_basis
from keldysh.meanfield.quadrature import Grid, build_grid

__all__ = ["MeanFieldStability", "linear_stability", "linearisation", "check_fixed_point", "dominant_modes"]

#: largest spectrum of the dense cross-check (``method="dense"``)
MAX_DENSE_MODES = 6000


def _physical_basis(d: int) -> np.ndarray:
    """The real basis of the tangent space of Nambu covariances (:func:`keldysh.meanfield.numeric.nambu_basis`):
    ``2 n^2 - n`` matrices, so no spurious (unphysical) modes enter the spectrum."""
    return nambu_basis(d)[0]


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
        ``eigenvalue`` (of a complex pair, the one with ``Im >= 0``), ``period``, ``decay_time``.
    eigenvalues : numpy.ndarray
        Full spectrum, sorted by decreasing real part (either method).
    params : dict
    diagnostics : dict
        ``nodes``, ``modes``, ``method``, ``seconds``; the structured method adds ``moved`` (the
        roots of the secular determinant), ``sweeps`` and ``fallback`` (``None``, or why it fell
        back on ``eig`` of the reduced or the assembled matrix).
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


def check_fixed_point(V: Any, delta: Any = None, omega: Any = None, *, bounded: bool = False) -> tuple:
    """Validate the coupling and fixed point of a linearisation (shared with the paper's stability).

    Parameters
    ----------
    V : float
        Nonzero and finite.
    delta, omega : float or None
        ``|Delta| >= 0`` and the rotation frequency, finite (``None`` passes through).
    bounded : bool
        Also require ``1e-30 <= |V| <= 1e6`` and ``delta <= 1e6`` (the range of the paper's closed forms).

    Returns
    -------
    (V, delta, omega) as floats (or ``None``).
    """
    V = check_finite("V", V)
    if V == 0:
        raise ParameterError("V", "must be nonzero (V = 0 has no pairing)")
    if bounded:
        check_magnitude("V", V, hi=1e6, lo=1e-30)
    if delta is not None:
        delta = check_finite("delta", delta)
        if delta < 0:
            raise ParameterError("delta", f"must be >= 0 (got {delta})")
        if bounded:
            check_magnitude("delta", delta, hi=1e6)
    if omega is not None:
        omega = check_finite("omega", omega)
    return V, delta, omega


def check_method(method: Any) -> str:
    """``method`` of a linearisation: ``"structured"`` or ``"dense"`` (:mod:`keldysh.meanfield.lowrank`)."""
    if not isinstance(method, str) or method not in METHODS:
        raise ParameterError("method", f"must be one of {', '.join(METHODS)} (got {method!r})")
    return method


def dominant_modes(lam: np.ndarray, weight: np.ndarray, gauge: bool) -> tuple:
    """The phase mode, the growth rate and the mode of the approach, from a sorted spectrum.

    Parameters
    ----------
    lam : numpy.ndarray
        Eigenvalues by decreasing real part.
    weight : numpy.ndarray
        Weight of each mode in the response of ``Delta``.
    gauge : bool
        ``|Delta| > 0``: the eigenvalue closest to 0 is the U(1) phase mode, left out of the rest.

    Returns
    -------
    (phase, growth, j, rest)
        The phase mode (or ``None``), the largest real part of the rest, the index of the least
        damped mode with at least 10% of the largest weight, the mask of the rest.
    """
    rest = np.ones(lam.size, bool)
    phase = None
    if gauge:
        i0 = int(np.argmin(np.abs(lam)))
        phase = complex(lam[i0])
        rest[i0] = False
    growth = float(lam.real[rest].max())
    weight = np.where(rest, weight, 0.0)
    strong = np.nonzero(weight >= 0.1 * weight.max())[0]
    best = lam.real[strong].max()
    # of a complex-conjugate pair (equal real parts to rounding) the member with Im >= 0
    tie = strong[lam.real[strong] >= best - 1e-12 * np.abs(lam[strong])]
    j = int(tie[np.argmax(lam.imag[tie])])
    return phase, growth, j, rest


def linearisation(
    model: MeanFieldModel, V: float, vals: Mapping, delta: float, omega: float, order: int = 3, grid: Grid | None = None
) -> tuple:
    """The blocks and the rank-two coupling of the Jacobian (module docstring).

    Parameters
    ----------
    model : MeanFieldModel
    V : float
    vals : mapping
        Resolved parameter values (:meth:`MeanFieldModel.resolve`).
    delta, omega : float
        The fixed point.
    order : int
        Gauss-Legendre nodes per panel of the default grid (:func:`keldysh.meanfield.quadrature.build_grid`).
    grid : Grid, optional
        Another quadrature grid (e.g. a coarse one for a dense cross-check).

    Returns
    -------
    (L, B, G)
        ``L`` of shape ``(N, m, m)`` (``m = 2 n^2 - n``), ``B = (b_x, b_y)`` and ``G = (g_x, g_y)`` of
        shape ``(N, m, 2)``: ``J = blockdiag_k L_k + B G^T``.
    """
    if grid is None:
        grid, _ = build_grid(model, vals, order)
    nd = model.node_data(grid.k, grid.w, vals)
    Nk, d = nd.h0.shape[0], nd.d
    K = kernel(nd, delta, omega)
    Gc = covariance_master(nd, K)
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
        dF = -1j * dK @ Gc + 1j * Gc @ dK.conj().transpose(0, 2, 1)
        cols.append(coords(dF))
    # Delta = V sum_k w_k s(G_k): linear in the coordinates (s uses G[p, q] or its conjugate)
    gvec = np.zeros((Nk, n), complex)
    for (_c, p, q, conj), c in zip(model.s_terms, nd.s_coef):
        ent = E[:, p, q]  # (n,) value of G[p, q] for each basis element
        gvec += (V * nd.weight * c)[:, None] * (np.conj(ent)[None] if conj else ent[None])
    return Lk, np.stack(cols, axis=-1), np.stack([gvec.real, gvec.imag], axis=-1)


def linear_stability(
    model: MeanFieldModel,
    V: float,
    values: Mapping[Any, Any],
    *,
    delta: float | None = None,
    omega: float | None = None,
    order: int = 3,
    method: str = "structured",
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
        Gauss-Legendre nodes per panel (2..32).
    method : {"structured", "dense"}
        ``"structured"`` (default): per-node eigenproblems and the roots of the ``2 x 2`` secular
        determinant of the rank-two coupling, ``O(N m^3 + M^2)``
        (:mod:`keldysh.meanfield.lowrank`); ``"dense"``: ``eig`` of the assembled Jacobian,
        ``O((N m)^3)``, at most 6000 modes -- the cross-check.  Both give the full spectrum and
        every field of the result.

    Returns
    -------
    MeanFieldStability
    """
    from keldysh.meanfield.gap import solve_gap

    t0 = time.perf_counter()
    if not isinstance(model, MeanFieldModel):
        raise ParameterError("model", f"must be a MeanFieldModel (got {type(model).__name__})")
    model.require_closed("model")  # linear_stability integrates the bilinear equations
    V, delta, omega = check_fixed_point(V, delta, omega)
    method = check_method(method)
    if not isinstance(order, int) or not 2 <= order <= 32:
        raise ParameterError("order", f"must be an integer in 2..32 (got {order!r})")
    vals = model.resolve(values)
    if delta is None:
        r = solve_gap(model, V, values, condition="complete", order=order)
        delta, omega = r.delta, (r.omega if r.delta > 0 else 0.0)
    omega = 0.0 if omega is None else omega
    grid, _ = build_grid(model, vals, order)
    if method == "dense":
        d = 2 * model.L.n
        if grid.k.size * (d * d - d) // 2 > MAX_DENSE_MODES:
            raise ParameterError(
                "order", f"the dense spectrum would have more than {MAX_DENSE_MODES} modes: lower the order"
            )
    L, B, G = linearisation(model, V, vals, delta, omega, order, grid)
    spec = block_rank2_spectrum(L, B, G, method)
    lam = spec.eigenvalues
    weight = np.abs(spec.residues[:, 0, 0]) + np.abs(spec.residues[:, 1, 1])
    phase, growth, j, _ = dominant_modes(lam, weight, delta > 0)
    lj = complex(lam[j])
    approach = {
        "eigenvalue": lj,
        "period": 2 * math.pi / abs(lj.imag) if lj.imag != 0 else math.inf,
        "decay_time": -1.0 / lj.real if lj.real < 0 else math.inf,
    }
    diagnostics = {
        "nodes": L.shape[0],
        "modes": lam.size,
        "method": method,
        "seconds": time.perf_counter() - t0,
    }
    diagnostics.update({k: v for k, v in spec.diagnostics.items() if k in ("moved", "sweeps", "fallback")})
    return MeanFieldStability(
        V=V,
        delta=float(delta),
        omega=float(omega),
        growth_rate=growth,
        phase_mode=phase,
        approach=approach,
        eigenvalues=lam,
        params={s.name: v for s, v in vals.items()},
        diagnostics=diagnostics,
    )
