"""Linear stability of the self-consistent steady state (Sect. II.C, Figs. 4-6).

The time dynamics of :mod:`keldysh.paper.solvers.dynamics` -- Eq. (9) on a momentum grid with
``Delta(t)`` given at every instant by Eq. (18) -- is an autonomous system
``du/dt = F(u)`` for the ``6 N`` real unknowns ``u_k = (n11, n22, Re n21, Im n21, Re s21,
Im s21)`` of the ``N`` nodes.  Its steady states are the solutions of the exact gap equation
(:func:`keldysh.solve_gap` with ``method="master"``) and their per-node populations.  This
module linearises ``F`` about such a steady state,

    J = blockdiag_k A_k(Delta) + b_r g_r^T + b_i g_i^T ,

with ``A_k(Delta)`` the per-node matrices of the *derived* Eq. (9)
(:func:`keldysh.paper.solvers.dynamics.block_matrices`), ``b_{r,i} = d F / d(Re, Im Delta)`` and
``g_{r,i} = d(Re, Im Delta)/du`` from Eq. (18) -- the self-consistency is a rank-two
coupling of the nodes, the structure of the engine models' linearisation
(:mod:`keldysh.meanfield.stability`), solved by the same routine
(:func:`keldysh.meanfield.lowrank.block_rank2_spectrum`: the ``6 x 6`` blocks and the roots of the
``2 x 2`` secular determinant, ``method="structured"``; ``eig`` of the assembled ``6 N x 6 N``
matrix with ``method="dense"``).  The spectrum of ``J`` is an independent route to the *time scales*
of the dynamics:

* the **phase mode**: Eq. (18) is invariant under ``Delta -> Delta e^{i phi}``,
  ``s21 -> s21 e^{-i phi}``, so ``J`` has an exact zero eigenvalue (a check of the
  derivation and of the projection);
* the **relaxation oscillation** of ``|Delta|``: the eigenvalue pair ``-gamma +- i omega``
  with the largest weight in the linear response of ``Re Delta`` -- the damped oscillation
  with which ``|Delta(t)|`` settles (Fig. 4: period ~340, decay time ~650; Fig. 6(b):
  period ~1.8e4, decay time ~1.7e5, the "highly oscillatory" slow approach of the text);
* the slowest relaxation (population modes of the off-resonant nodes, ``~ 2 Gamma_2``);
* at ``Delta = 0`` (below threshold, or the unpaired "pumped" state above it) the pairing
  block ``diag(i E_k - Gamma) + i x_k K_j`` gives the growth rate of the instability.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from keldysh.errors import ParameterError
from keldysh.meanfield.lowrank import block_rank2_spectrum
from keldysh.meanfield.stability import check_fixed_point, check_method, dominant_modes
from keldysh.results import ArrayResultMixin, _num

__all__ = ["StabilityResult", "linear_stability", "steady_state", "jacobian"]

#: largest momentum grid of the dense cross-check (dimension 6 N; N = 1000 is ~0.6 GB per matrix)
MAX_NODES = 1000
#: largest momentum grid of the structured spectrum (per-node 6 x 6 blocks and O(M^2) secular roots)
MAX_NODES_STRUCTURED = 20000


def steady_state(model: Any, grid: Any, delta: complex, mats: tuple | None = None) -> np.ndarray:
    """Per-node steady state of Eq. (9) at fixed ``Delta``: ``A_k(Delta) [u_k; 1] = 0``.

    Exact (a 6 x 6 linear solve per node; the free pairing block ``i E_k - Gamma`` is never
    singular for ``Gamma > 0``).  At ``Delta = 0`` this is the unpaired state under the laser
    (Eqs. (11)-(12) at ``Delta = 0``, ``s21 = 0``); at the self-consistent ``Delta`` it is the
    steady state of the dynamics, whose ``s21`` is Eq. (10).

    Returns
    -------
    ndarray, shape (N, 6)
        ``(n11, n22, Re n21, Im n21, Re s21, Im s21)`` per node.
    """
    from keldysh.paper.solvers.dynamics import block_matrices

    A0, Ar, Ai = mats if mats is not None else block_matrices(model, grid, check=False)
    delta = complex(delta)
    M = A0 + delta.real * Ar + delta.imag * Ai
    return np.linalg.solve(M[:, :6, :6], -M[:, :6, 6][..., None])[..., 0]


def _coupling(Ar: np.ndarray, Ai: np.ndarray, K: np.ndarray, u: np.ndarray) -> tuple:
    """``b_{r,i} = dF/d(Re, Im Delta)`` at ``u`` and ``g_{r,i} = d(Re, Im Delta)/du`` (Eq. (18))."""
    N = u.shape[0]
    ua = np.concatenate([u, np.ones((N, 1))], axis=1)
    b_r = np.einsum("kij,kj->ki", Ar[:, :6, :], ua).ravel()
    b_i = np.einsum("kij,kj->ki", Ai[:, :6, :], ua).ravel()
    # Delta = conj(K . s):  Re Delta = Re K u4 - Im K u5,  Im Delta = -(Im K u4 + Re K u5)
    g_r = np.zeros(6 * N)
    g_i = np.zeros(6 * N)
    g_r[4::6], g_r[5::6] = K.real, -K.imag
    g_i[4::6], g_i[5::6] = -K.imag, -K.real
    return b_r, b_i, g_r, g_i


def jacobian(model: Any, grid: Any, K: np.ndarray, u: np.ndarray, mats: tuple | None = None) -> np.ndarray:
    """Jacobian ``dF/du`` (``6N x 6N``) of Eq. (9) with ``Delta^* = sum_k K_k s21_k`` (Eq. (18)) at ``u``."""
    from keldysh.paper.solvers.dynamics import block_matrices

    A0, Ar, Ai = mats if mats is not None else block_matrices(model, grid, check=False)
    N = u.shape[0]
    D = complex(np.conj(np.dot(K, u[:, 4] + 1j * u[:, 5])))
    M = (A0 + D.real * Ar + D.imag * Ai)[:, :6, :6]
    J = np.zeros((6 * N, 6 * N))
    idx = np.arange(N)
    blocks = J.reshape(N, 6, N, 6)
    blocks[idx, :, idx, :] = M
    b_r, b_i, g_r, g_i = _coupling(Ar, Ai, K, u)
    J += np.outer(b_r, g_r) + np.outer(b_i, g_i)
    return J


@dataclass(repr=False)
class StabilityResult(ArrayResultMixin):
    """Spectrum of the linearised self-consistent dynamics about a steady state.

    Attributes
    ----------
    V : float
    delta : float
        ``|Delta|`` of the steady state (0: the unpaired state).
    eigenvalues : ndarray (complex)
        All eigenvalues of the Jacobian, sorted by decreasing real part.
    phase_mode : complex or None
        The eigenvalue of the gauge (phase) mode, exactly 0 in exact arithmetic (``None`` at
        ``Delta = 0``, where the mode is not defined).
    growth_rate : float
        Largest real part apart from the phase mode (< 0: linearly stable).
    oscillation : dict
        The mode that dominates the response of ``|Delta|``: ``eigenvalue``, ``frequency``
        (``|Im lambda|``), ``period``, ``damping`` (``-Re lambda``), ``decay_time``,
        ``weight`` (its residue in the response of ``Re Delta`` to a kick of ``Re Delta``):
        the least damped of the modes whose weight is at least 10% of the largest.
    slowest_decay_time : float
        ``1 / min(-Re lambda)`` over the stable modes (the slowest relaxation at all).
    diagnostics : dict
    """

    V: float
    delta: float
    eigenvalues: np.ndarray
    phase_mode: complex | None
    growth_rate: float
    oscillation: dict[str, Any]
    slowest_decay_time: float
    params: dict[str, Any]
    diagnostics: dict[str, Any] = field(default_factory=dict)

    _DIMS: ClassVar[dict[str, str]] = {"eigenvalues": "mode"}
    _LONG_NAMES: ClassVar[dict[str, str]] = {
        "eigenvalues": "eigenvalues of the Jacobian of Eqs. (9) + (18), by decreasing real part"
    }

    @property
    def stable(self) -> bool:
        """All modes but the phase mode decay."""
        return self.growth_rate < 0

    def _summary(self) -> list[tuple[str, str]]:
        o = self.oscillation
        return [
            ("V", _num(self.V)),
            ("delta", _num(self.delta)),
            ("stable", str(self.stable)),
            ("growth_rate", _num(self.growth_rate, 4)),
            ("period", _num(o.get("period"), 4)),
            ("decay_time", _num(o.get("decay_time"), 4)),
            ("slowest_decay_time", _num(self.slowest_decay_time, 4)),
        ]

    def plot(self, ax: Any = None, *, zoom: float | None = 30.0) -> Any:
        """The spectrum in the complex plane: ``Im lambda`` against ``Re lambda``.

        The mode that carries the relaxation of ``|Delta|`` (``oscillation``) is circled and the
        phase mode marked.

        Parameters
        ----------
        ax : matplotlib Axes, optional
            Where to draw; default a new figure (``matplotlib.pyplot.subplots``).
        zoom : float or None
            Show the window ``|Re lambda|, |Im lambda| <= zoom |lambda_osc|`` around the origin
            (the slow modes; the spectrum reaches out to the fast, strongly damped nodes);
            ``None``: every eigenvalue.

        Returns
        -------
        matplotlib Axes
        """
        if zoom is not None and not (isinstance(zoom, (int, float)) and math.isfinite(zoom) and zoom > 0):
            raise ParameterError("zoom", f"must be > 0 or None (got {zoom!r})")
        if ax is None:
            import matplotlib.pyplot as plt

            _, ax = plt.subplots()
        lam = np.asarray(self.eigenvalues)
        ax.plot(lam.real, lam.imag, ".", ms=3, color="0.35", label="eigenvalues")
        lo = self.oscillation.get("eigenvalue")
        if lo is not None:
            pair = ([lo.real, lo.real], [lo.imag, -lo.imag])
            ax.plot(*pair, "o", mfc="none", ms=9, color="C3", label=r"relaxation of $|\Delta|$")
        if self.phase_mode is not None:
            ax.plot([self.phase_mode.real], [self.phase_mode.imag], "x", ms=8, color="C0", label="phase mode")
        if zoom is not None and lo is not None and abs(lo) > 0:
            w = zoom * abs(lo)
            ax.set_xlim(-w, 0.1 * w)
            ax.set_ylim(-w, w)
        ax.axvline(0.0, color="k", lw=0.6)
        ax.set_xlabel(r"Re $\lambda$")
        ax.set_ylabel(r"Im $\lambda$")
        return ax

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict (the full spectrum is left out; complex numbers as [re, im])."""
        from keldysh.paper.solvers.dynamics import _clean

        osc = dict(self.oscillation)
        lam = osc.get("eigenvalue")
        if lam is not None:
            osc["eigenvalue"] = [lam.real, lam.imag]
        pm = self.phase_mode
        return _clean(
            {
                "V": self.V,
                "delta": self.delta,
                "stable": self.stable,
                "growth_rate": self.growth_rate,
                "phase_mode": None if pm is None else [pm.real, pm.imag],
                "oscillation": osc,
                "slowest_decay_time": self.slowest_decay_time,
                "params": self.params,
                "diagnostics": self.diagnostics,
            }
        )

    def __str__(self) -> str:
        o = self.oscillation
        per = "none (overdamped)" if not math.isfinite(o.get("period", math.inf)) else f"{o['period']:.4g}"
        return (
            f"|Delta| = {self.delta:.6g} (V = {self.V:g}): {'stable' if self.stable else 'UNSTABLE'}, "
            f"growth rate {self.growth_rate:.3e}; |Delta| relaxes with period {per}, "
            f"decay time {o.get('decay_time', math.nan):.4g}; slowest relaxation {self.slowest_decay_time:.4g}"
        )


def linear_stability(
    model: Any,
    V: float,
    *,
    grid: Any = None,
    order: int = 3,
    delta: float | None = None,
    method: str = "structured",
) -> StabilityResult:
    """Linearise the self-consistent dynamics (Eq. (9) + Eq. (18)) about its steady state.

    Parameters
    ----------
    model : LaserModel
    V : float
        Coupling (non-zero).
    grid : MomentumGrid, optional
        Default ``momentum_grid(model, order)`` -- use the grid of the dynamics to compare.
    order : int
        Gauss nodes per panel of the default grid.
    delta : float, optional
        ``|Delta|`` of the steady state; default: the exact gap equation
        (``solve_gap(model, V, "master", grid=grid)``).  ``0`` linearises about the unpaired
        state (the growth rate of the pairing instability).
    method : {"structured", "dense"}
        ``"structured"`` (default): the ``6 x 6`` blocks and the roots of the ``2 x 2`` secular
        determinant of the rank-two coupling (:mod:`keldysh.meanfield.lowrank`); ``"dense"``:
        ``eig`` of the assembled ``6 N x 6 N`` Jacobian (at most ``MAX_NODES`` nodes), the
        cross-check.  Both give the full spectrum.

    Returns
    -------
    StabilityResult
    """
    from keldysh.paper.params import LaserModel
    from keldysh.paper.quadrature import momentum_grid
    from keldysh.paper.solvers.dynamics import _projection_weights, block_matrices
    from keldysh.paper.solvers.gap import solve_gap

    wall0 = time.perf_counter()
    if not isinstance(model, LaserModel):
        raise ParameterError("model", f"must be a LaserModel, e.g. keldysh.preset('fig4') (got {type(model).__name__})")
    # validated before any work, in the range of the dynamics (simulate) and of the model's numbers
    V, delta, _ = check_fixed_point(V, delta, bounded=True)
    method = check_method(method)
    param = "order" if grid is None else "grid"
    if grid is None:
        grid = momentum_grid(model, order=order)
    cap = MAX_NODES if method == "dense" else MAX_NODES_STRUCTURED
    if grid.E.size > cap:
        raise ParameterError(
            param,
            f"{grid.E.size} momentum nodes make a {6 * grid.E.size}-dimensional eigenproblem; "
            f"at most {cap} nodes with method={method!r} (lower the order)",
        )
    if delta is None:
        delta = solve_gap(model, V, "master", grid=grid, estimate_error=False).delta
    mats = block_matrices(model, grid, check=False)
    K = _projection_weights(model, grid, V, "eq18")
    u = steady_state(model, grid, delta, mats)
    D = complex(np.conj(np.dot(K, u[:, 4] + 1j * u[:, 5])))
    residual = abs(D - delta) / delta if delta > 0 else abs(D)
    N = grid.E.size
    M = (mats[0] + D.real * mats[1] + D.imag * mats[2])[:, :6, :6]
    b_r, b_i, g_r, g_i = _coupling(mats[1], mats[2], K, u)
    spec = block_rank2_spectrum(
        M, np.stack([b_r, b_i], -1).reshape(N, 6, 2), np.stack([g_r, g_i], -1).reshape(N, 6, 2), method
    )
    lam = spec.eigenvalues
    # residues of the response of Re Delta to a kick along d F/d Re Delta; the late-time approach:
    # the least damped of the modes that carry a sizeable part (>= 10% of the largest) of it
    weight = np.abs(spec.residues[:, 0, 0])
    phase, growth, j, rest = dominant_modes(lam, weight, delta > 0)
    lj = complex(lam[j])
    osc = {
        "eigenvalue": lj,
        "frequency": abs(lj.imag),
        "period": 2 * math.pi / abs(lj.imag) if lj.imag != 0 else math.inf,
        "damping": -lj.real,
        "decay_time": -1.0 / lj.real if lj.real < 0 else math.inf,
        "weight": float(weight[j]),
    }
    stable_re = -lam.real[rest]
    slowest = float(1.0 / stable_re[stable_re > 0].min()) if np.any(stable_re > 0) else math.inf
    return StabilityResult(
        V=V,
        delta=float(delta),
        eigenvalues=lam,
        phase_mode=phase,
        growth_rate=growth,
        oscillation=osc,
        slowest_decay_time=slowest,
        params=model.to_dict(),
        diagnostics={
            "nodes": int(N),
            "dimension": int(6 * N),
            "self_consistency_residual": float(residual),
            "method": method,
            "fallback": spec.diagnostics.get("fallback"),
            "seconds": time.perf_counter() - wall0,
        },
    )
