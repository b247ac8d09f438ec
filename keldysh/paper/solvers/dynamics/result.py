"""The outcome of a run of the Sect. II.C dynamics (:class:`DynamicsResult`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from keldysh.errors import ParameterError
from keldysh.paper.solvers.dynamics.options import DynamicsOptions, _clean
from keldysh.results import ArrayResultMixin, _num


@dataclass(repr=False)
class DynamicsResult(ArrayResultMixin):
    """Outcome of :func:`simulate` (Sect. II.C).

    Shown compactly (key numbers; arrays by shape and range); ``plot(ax)`` draws ``|Delta(t)|``
    (or ``s21(q)``), ``to_xarray()`` / ``to_dataframe()`` give labelled tables (dimensions ``t``
    and ``q``), ``save(path)`` / ``DynamicsResult.load(path)`` a file that records the package
    version, parameters and time (:mod:`keldysh.results`).

    Attributes
    ----------
    times : ndarray
        Sample times.
    Delta : ndarray (complex)
        ``Delta(t)`` at ``times`` (self-consistent, Eq. (18) or (17)).
    q : ndarray
        Momentum nodes; ``w`` their weights (measure included).
    s21, n11, n22, n21 : ndarray
        The final state per node (rotating frame).
    t_converged : float or None
        Time after which ``|Delta|`` stays within 1% of its final value (``None``: never).
    diagnostics : dict
        Population bounds, Nambu-positivity eigenvalue bounds, steps, rejected steps,
        exponentials / RHS evaluations, wall time, early stop.
    """

    times: np.ndarray
    Delta: np.ndarray
    q: np.ndarray
    w: np.ndarray
    s21: np.ndarray
    n11: np.ndarray
    n22: np.ndarray
    n21: np.ndarray
    V: float
    seed: complex
    projection: str
    frame: str
    t_max: float
    options: DynamicsOptions
    params: dict[str, Any]
    diagnostics: dict[str, Any] = field(default_factory=dict)
    t_converged: float | None = None

    _DIMS: ClassVar[dict[str, str]] = {
        "times": "t",
        "Delta": "t",
        **{name: "q" for name in ("q", "w", "s21", "n11", "n22", "n21")},
    }
    _COORDS: ClassVar[dict[str, str]] = {"t": "times", "q": "q"}
    _LONG_NAMES: ClassVar[dict[str, str]] = {
        "times": "time t (hbar = 1, units of the model's energies)",
        "Delta": "order parameter Delta(t), self-consistent (Eq. (18) or (17))",
        "q": "momentum node q",
        "w": "quadrature weight of the node (measure included)",
        "s21": "anomalous correlator s21_q at the end of the run (Eq. (9d))",
        "n11": "population n11_q at the end of the run",
        "n22": "population n22_q at the end of the run",
        "n21": "coherence n21_q at the end of the run",
    }

    def _summary(self) -> list[tuple[str, str]]:
        tc = "never" if self.t_converged is None else _num(self.t_converged, 4)
        return [
            ("V", _num(self.V)),
            ("|Delta|_final", _num(self.delta_final)),
            ("t_end", _num(float(self.times[-1]), 4)),
            ("t_converged", tc),
            ("frame", self.frame),
            ("projection", self.projection),
            ("method", self.options.method),
            ("nodes", str(self.q.size)),
        ]

    def plot(self, ax: Any = None, *, kind: str = "Delta", log: bool | None = None) -> Any:
        """Draw ``|Delta(t)|`` (``kind="Delta"``) or ``s21(q)`` at the end of the run (``kind="s21"``).

        Parameters
        ----------
        ax : matplotlib Axes, optional
            Where to draw; default a new figure (``matplotlib.pyplot.subplots``).
        kind : {"Delta", "s21"}
        log : bool, optional
            Logarithmic ``|Delta|`` axis; default when the values span more than three decades
            (a decaying seed, the collapses of Fig. 6).  Long runs are drawn against
            ``t / 10^n`` (labelled) instead of an axis offset.

        Returns
        -------
        matplotlib Axes
        """
        from keldysh.plotting import spans_decades, time_scale

        if kind not in ("Delta", "s21"):
            raise ParameterError("kind", f"must be 'Delta' or 's21' (got {kind!r})")
        if ax is None:
            import matplotlib.pyplot as plt

            _, ax = plt.subplots()
        if kind == "s21":
            ax.plot(self.q, self.s21.real, label=rf"Re $\tilde s^{{21}}_q$, $V = {self.V:g}$")
            ax.plot(self.q, self.s21.imag, ls="-.", label=rf"Im $\tilde s^{{21}}_q$, $V = {self.V:g}$")
            ax.set_xlabel("$q$")
            ax.set_ylabel(r"$\tilde s^{21}_q$")
            return ax
        a = self.abs_Delta
        if log is None:
            log = spans_decades(a)
        factor, label = time_scale(float(self.times[-1]))
        ax.plot(self.times / factor, np.where(a > 0, a, np.nan) if log else a, label=rf"$V = {self.V:g}$")
        if log:
            ax.set_yscale("log")
        ax.set_xlabel(label)
        ax.set_ylabel(r"$|\Delta(t)|$")
        return ax

    @classmethod
    def from_run(
        cls,
        times: np.ndarray,
        D: np.ndarray,
        grid: Any,
        u: np.ndarray,
        model: Any,
        *,
        V: float,
        seed: complex,
        projection: str,
        frame: str,
        t_max: float,
        options: DynamicsOptions,
        diagnostics: dict[str, Any],
    ) -> DynamicsResult:
        """The result of a run: the final state ``u`` (columns ``n11, n22, Re/Im n21, Re/Im s21``)
        on ``grid``, ``Delta(t)``, and the diagnostics with their ``physical`` flag (Nambu positivity
        0 <= M <= 1 to 1e-6) set."""
        from keldysh.paper.solvers.dynamics.analysis import t_converged

        d = diagnostics
        d["physical"] = bool(d["nambu_min_eig"] > -1e-6 and d["nambu_max_eig"] < 1 + 1e-6)
        return cls(
            times=times,
            Delta=D,
            q=np.asarray(grid.q),
            w=np.asarray(grid.w),
            s21=u[:, 4] + 1j * u[:, 5],
            n11=u[:, 0].copy(),
            n22=u[:, 1].copy(),
            n21=u[:, 2] + 1j * u[:, 3],
            V=V,
            seed=seed,
            projection=projection,
            frame=frame,
            t_max=t_max,
            options=options,
            params=model.to_dict(),
            diagnostics=d,
            t_converged=t_converged(times, np.abs(D)),
        )

    @property
    def abs_Delta(self) -> np.ndarray:
        """``|Delta|(t)``."""
        return np.abs(self.Delta)

    @property
    def delta_final(self) -> float:
        """``|Delta|`` at the last sample."""
        return float(abs(self.Delta[-1]))

    def delta_average(self, fraction: float = 0.1) -> float:
        """Time average of ``|Delta|`` over the last ``fraction`` of the run (trapezoid rule).

        In a weakly damped approach (Fig. 6(b): ~9 periods per e-fold) the last sample sits
        somewhere on the residual ring; the average over many periods is the steady value.
        """
        if not 0 < fraction <= 1:
            raise ParameterError("fraction", f"must lie in (0, 1] (got {fraction})")
        t, a = self.times, self.abs_Delta
        sel = t >= t[-1] - fraction * (t[-1] - t[0])
        if sel.sum() < 2:
            return float(a[-1])
        return float(np.trapezoid(a[sel], t[sel]) / (t[sel][-1] - t[sel][0]))

    @property
    def phase_velocity(self) -> float:
        """``d arg(Delta)/dt`` over the last 10% of the run (non-zero with Eq. (17), see :func:`simulate`)."""
        t, D = self.times, self.Delta
        sel = t >= t[-1] - 0.1 * (t[-1] - t[0])
        if sel.sum() < 2 or np.any(D[sel] == 0):
            return 0.0
        ph = np.unwrap(np.angle(D[sel]))
        return float(np.polyfit(t[sel], ph, 1)[0])

    def to_json(self, arrays: bool = False) -> dict[str, Any]:
        """JSON-ready dict; ``arrays=True`` adds ``times``, ``abs_Delta``, ``q``, ``s21`` (re/im)."""
        out: dict[str, Any] = {
            "V": self.V,
            "seed": [self.seed.real, self.seed.imag],
            "projection": self.projection,
            "frame": self.frame,
            "t_max": self.t_max,
            "t_end": float(self.times[-1]),
            "delta_final": self.delta_final,
            "delta_average_last_10pct": self.delta_average(0.1),
            "t_converged": self.t_converged,
            "phase_velocity": self.phase_velocity,
            "params": self.params,
            "options": self.options.to_json(),
            "diagnostics": self.diagnostics,
            "nodes": int(self.q.size),
        }
        if arrays:
            out.update(
                times=self.times.tolist(),
                abs_Delta=self.abs_Delta.tolist(),
                q=self.q.tolist(),
                s21_re=self.s21.real.tolist(),
                s21_im=self.s21.imag.tolist(),
            )
        return _clean(out)

    def __str__(self) -> str:
        tc = "never (within 1%)" if self.t_converged is None else f"{self.t_converged:.4g}"
        d = self.diagnostics
        return (
            f"|Delta|(t_end = {self.times[-1]:.4g}) = {self.delta_final:.8g}  (V = {self.V:g}, {self.projection}, "
            f"{self.frame} frame)\n"
            f"converged (1%) at t = {tc}; {d.get('steps')} steps ({d.get('rejected')} rejected), "
            f"{self.q.size} nodes, method {self.options.method}, {d.get('seconds', 0):.2f} s"
        )
