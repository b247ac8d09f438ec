"""Model parameters of Sect. II (laser-driven, dissipative two-band semiconductor).

:class:`LaserModel` is a frozen dataclass whose field names follow the paper.  It holds
either the rotating-frame dispersions near the resonant surface (Sect. II.B.1, II.C),

    Etilde_{1,2}(q) = v_{1,2} q + kappa_{1,2} q^2 ,

with ``q`` the momentum perpendicular to S_omega0 and the measure ``(dk) -> N0 |v_-| dq``
(the paper's one-dimensional reduction of Sect. II.C uses ``N0 |v_-| = 1/(2 pi)``, i.e.
``(dk) = dq / (2 pi)``), or general isotropic *lab-frame* dispersions ``E1(k)``, ``E2(k)``
given as SymPy expressions of ``k`` in ``d = 1, 2, 3`` dimensions with the laser frequency
``omega0`` and the measure ``d^d k / (2 pi)^d``.

This module never imports SymPy at import time (``import keldysh`` stays cheap).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any, ClassVar

from keldysh.errors import (
    ParameterError,
    check_finite,
    check_int,
    check_magnitude,
    check_nonnegative,
    check_open_unit,
    check_positive,
    shown,
)

__all__ = ["LaserModel", "preset", "PRESETS", "FIGURES"]


@dataclass(frozen=True)
class LaserModel:
    """Parameters of the laser-driven two-band model (Eqs. (2), (5), (9)).

    Parameters
    ----------
    v1, v2, kappa1, kappa2 : float
        Rotating-frame dispersion near the resonant surface, ``Etilde_a = v_a q + kappa_a q^2``
        (Sect. II.B.1).  ``v_+- = v2 +- v1``, ``kappa_+- = kappa2 +- kappa1``.
    Omega : float
        Rabi frequency (the drive is ``Omega cos(omega0 t)``, Eq. (2)); >= 0.
    Gamma1, Gamma2 : float
        Amplitude decay rates of bands 1 and 2 (> 0).  Populations relax at ``2 Gamma_a``
        (Eqs. (6a)-(6b)); ``Gamma = Gamma1 + Gamma2`` is the decay rate of coherences (Eq. (9)).
    T : float
        Temperature of the reservoirs (>= 0).  At ``T > 0`` the lab-frame energies
        ``E1 = Etilde1 - omega0/2``, ``E2 = Etilde2 + omega0/2`` enter ``n_F`` (Eq. (5)), so
        ``omega0`` is required.
    omega0 : float or None
        Laser frequency (> 0).  Needed when ``T > 0`` or with general dispersions.
    kmax : float
        Momentum cutoff (> 0): ``|q| <= kmax`` (near-resonance model) or ``k <= kmax``
        (isotropic model).  The paper's Fig. 4 uses ``kmax = 0.2``.
    N0 : float or None
        Density of states at the resonance (Eq. (19)).  ``None`` means the paper's 1D
        reduction of Sect. II.C, ``(dk) = dq/(2 pi)``, i.e. ``N0 = 1/(2 pi |v_-|)``.
    E1, E2 : str or None
        Optional general isotropic lab-frame dispersions (expression strings in ``k``, parsed
        against a whitelist by :func:`keldysh.engine.parse.parse_expression`, never evaluated);
        when given, ``omega0`` is required and ``v``/``kappa`` are not used for the quadrature.
    d : int
        Spatial dimension for the isotropic model (1, 2 or 3).
    """

    v1: float = -5.0
    v2: float = 5.0
    kappa1: float = -25.0
    kappa2: float = -25.0
    Omega: float = 0.5
    Gamma1: float = 0.00999
    Gamma2: float = 0.00001
    T: float = 0.0
    omega0: float | None = None
    kmax: float = 0.2
    N0: float | None = None
    E1: str | None = None
    E2: str | None = None
    d: int = 1
    name: str = field(default="custom", compare=False)

    # ------------------------------------------------------------------ validation
    def __post_init__(self) -> None:
        for nm in ("v1", "v2", "kappa1", "kappa2"):
            object.__setattr__(self, nm, check_finite(nm, getattr(self, nm)))
        # dimensionless units: the closed forms of the steady state (Eqs. (10)-(14)) are polynomials of
        # degree ~8 in these numbers, so |x| <= 1e6 keeps them finite and rates >= 1e-30 keep them
        # above the underflow
        for nm in ("v1", "v2", "kappa1", "kappa2", "Omega", "Gamma1", "Gamma2", "T", "kmax", "omega0", "N0"):
            val = getattr(self, nm)
            if val is not None:
                check_magnitude(nm, val, hi=1e6, lo=1e-30 if nm in ("Gamma1", "Gamma2") else 0.0)
        object.__setattr__(self, "Omega", check_nonnegative("Omega", self.Omega))
        object.__setattr__(self, "Gamma1", check_positive("Gamma1", self.Gamma1))
        object.__setattr__(self, "Gamma2", check_positive("Gamma2", self.Gamma2))
        object.__setattr__(self, "T", check_nonnegative("T", self.T))
        object.__setattr__(self, "kmax", check_positive("kmax", self.kmax))
        if self.omega0 is not None:
            object.__setattr__(self, "omega0", check_positive("omega0", self.omega0))
        if self.N0 is not None:
            object.__setattr__(self, "N0", check_positive("N0", self.N0))
        object.__setattr__(self, "d", check_int("d", self.d, 1, 3))
        if (self.E1 is None) != (self.E2 is None):
            raise ParameterError("E1", "E1 and E2 must be given together")
        if self.E1 is not None and self.omega0 is None:
            raise ParameterError("omega0", "is required with general dispersions E1, E2")
        if self.E1 is not None:  # parse now (whitelist, never evaluated) so bad input fails here
            from keldysh.engine.parse import parse_expression
            from keldysh.paper import symbols as S

            for name in ("E1", "E2"):
                e = parse_expression(getattr(self, name), {"k": S.k}, param=name)
                if e.free_symbols - {S.k}:
                    raise ParameterError(name, "may only depend on k")
        if self.T > 0 and self.omega0 is None:
            raise ParameterError(
                "omega0",
                "is required when T > 0 (n_F is evaluated at the lab-frame energies "
                "E1 = Etilde1 - omega0/2, E2 = Etilde2 + omega0/2, Eq. (5))",
            )

    # ------------------------------------------------------------------ constructors
    @classmethod
    def from_paper(
        cls,
        *,
        v_minus: float,
        kappa_plus: float,
        Omega: float,
        Gamma: float,
        gamma2: float,
        v_plus: float = 0.0,
        kappa_minus: float = 0.0,
        **kw: Any,
    ) -> LaserModel:
        """Build from the paper's combinations ``v_+-``, ``kappa_+-``, ``Gamma``, ``gamma2``.

        ``v_{1,2} = (v_+ -+ v_-)/2``, ``kappa_{1,2} = (kappa_+ -+ kappa_-)/2``,
        ``Gamma_2 = gamma2 Gamma``, ``Gamma_1 = (1 - gamma2) Gamma`` (Sect. II.A, II.B.1).
        """
        for nm, val in (
            ("v_minus", v_minus),
            ("v_plus", v_plus),
            ("kappa_plus", kappa_plus),
            ("kappa_minus", kappa_minus),
            ("Omega", Omega),
            ("Gamma", Gamma),
        ):
            check_magnitude(nm, val, hi=1e6, lo=1e-30 if nm == "Gamma" else 0.0)
        v_minus = check_finite("v_minus", v_minus)
        v_plus = check_finite("v_plus", v_plus)
        kappa_plus = check_finite("kappa_plus", kappa_plus)
        kappa_minus = check_finite("kappa_minus", kappa_minus)
        Gamma = check_positive("Gamma", Gamma)
        gamma2 = check_open_unit("gamma2", gamma2)
        if min(gamma2, 1.0 - gamma2) * Gamma < 1e-30:
            raise ParameterError(
                "gamma2", f"makes a rate below 1e-30 (Gamma1 = {(1 - gamma2) * Gamma:g}, Gamma2 = {gamma2 * Gamma:g})"
            )
        return cls(
            v1=(v_plus - v_minus) / 2,
            v2=(v_plus + v_minus) / 2,
            kappa1=(kappa_plus - kappa_minus) / 2,
            kappa2=(kappa_plus + kappa_minus) / 2,
            Omega=Omega,
            Gamma1=(1.0 - gamma2) * Gamma,
            Gamma2=gamma2 * Gamma,
            **kw,
        )

    def replace(self, **changes: Any) -> LaserModel:
        """A copy with fields changed; accepts the paper's combinations too.

        Recognised combinations: ``v_minus``, ``v_plus``, ``kappa_plus``, ``kappa_minus``,
        ``Gamma``, ``gamma2``, ``gamma1``.  Every value is validated.
        """
        fields = {f.name for f in dataclasses.fields(self)}
        for key in changes:
            if key not in fields and key not in _COMBOS:
                raise ParameterError(
                    str(key), f"is not a parameter of LaserModel ({', '.join(sorted(fields | _COMBOS))})"
                )
        combo = {k: changes.pop(k) for k in list(changes) if k in _COMBOS}
        if combo:
            if "gamma1" in combo:
                g1 = check_open_unit("gamma1", combo.pop("gamma1"))
                combo.setdefault("gamma2", 1.0 - g1)
            cur = dict(
                v_minus=self.v_minus,
                v_plus=self.v_plus,
                kappa_plus=self.kappa_plus,
                kappa_minus=self.kappa_minus,
                Gamma=self.Gamma,
                gamma2=self.gamma2,
            )
            cur.update(combo)
            vm = check_finite("v_minus", cur["v_minus"])
            vp = check_finite("v_plus", cur["v_plus"])
            kp = check_finite("kappa_plus", cur["kappa_plus"])
            km = check_finite("kappa_minus", cur["kappa_minus"])
            G = check_positive("Gamma", cur["Gamma"])
            for nm, val in (("v_minus", vm), ("v_plus", vp), ("kappa_plus", kp), ("kappa_minus", km), ("Gamma", G)):
                check_magnitude(nm, val, hi=1e6, lo=1e-30 if nm == "Gamma" else 0.0)
            g2 = check_open_unit("gamma2", cur["gamma2"])
            if min(g2, 1.0 - g2) * G < 1e-30:
                raise ParameterError(
                    "gamma2", f"makes a rate below 1e-30 (Gamma1 = {(1 - g2) * G:g}, Gamma2 = {g2 * G:g})"
                )
            base = dict(
                v1=(vp - vm) / 2,
                v2=(vp + vm) / 2,
                kappa1=(kp - km) / 2,
                kappa2=(kp + km) / 2,
                Gamma1=(1.0 - g2) * G,
                Gamma2=g2 * G,
            )
            base.update(changes)
            changes = base
        return dataclasses.replace(self, **changes)

    # ------------------------------------------------------------------ model protocol
    # (used by keldysh.paper.quadrature and keldysh.paper.solvers.gap; other models implement the same)
    def grid_domain(self) -> tuple[float, float]:
        """Integration domain in ``q``: ``[-kmax, kmax]`` (near resonance) or ``[0, kmax]`` (isotropic)."""
        return (0.0, self.kmax) if self.isotropic else (-self.kmax, self.kmax)

    def grid_scales(self) -> list[tuple[float, float]]:
        """Features the momentum quadrature must resolve: ``(centre, width)`` pairs.

        Near the resonance ``q = 0``: ``eps ~ v_- q`` varies on ``Gamma/|v_-|`` and
        ``E ~ v_+ q + kappa_+ q^2`` on ``Gamma/|v_+|`` or ``sqrt(Gamma/|kappa_+|)``; the Rabi
        window ``|eps| < Omega`` on ``Omega/|v_-|``.
        """
        G = self.Gamma
        if self.isotropic:
            from keldysh.paper.dispersion import isotropic_features

            return isotropic_features(self)
        out = []
        if self.v_minus != 0:
            out.append((0.0, G / abs(self.v_minus)))
            if self.Omega > 0:
                out.append((0.0, self.Omega / abs(self.v_minus)))
        if self.kappa_plus != 0:
            out.append((0.0, math.sqrt(G / abs(self.kappa_plus))))
        if self.omega0 is not None:  # Fermi steps of n_F(E_a) where a lab band crosses mu = 0
            for v, kap, shift in ((self.v1, self.kappa1, -self.omega0 / 2), (self.v2, self.kappa2, self.omega0 / 2)):
                for r in _quadratic_roots(kap, v, shift):
                    out.append((r, max(self.T, 1e-3 * G)))
        if self.v_plus != 0:
            out.append((0.0, G / abs(self.v_plus)))
            if self.kappa_plus != 0:  # second zero of E at q = -v_+/kappa_+
                q2 = -self.v_plus / self.kappa_plus
                out.append((q2, G / abs(self.v_plus)))
        return out

    def grid_fields(self, q):
        """Arrays on the momentum nodes: ``Et1, Et2, E, eps`` (Eq. (9)) and ``f1, f2 = n_F(E_a)`` (Eq. (5))."""
        import numpy as np

        q = np.asarray(q, dtype=float)
        if self.isotropic:
            from keldysh.paper.dispersion import isotropic_energies

            E1, E2 = isotropic_energies(self, q)
            Et1, Et2 = E1 + self.omega0 / 2, E2 - self.omega0 / 2
        else:
            Et1 = self.v1 * q + self.kappa1 * q**2
            Et2 = self.v2 * q + self.kappa2 * q**2
            if self.omega0 is not None:
                E1, E2 = Et1 - self.omega0 / 2, Et2 + self.omega0 / 2
            else:  # T = 0 and bands far from mu: lower band full, upper band empty
                E1, E2 = np.full_like(q, -np.inf), np.full_like(q, np.inf)
        return {
            "Et1": Et1,
            "Et2": Et2,
            "E": Et1 + Et2,
            "eps": Et2 - Et1,
            "f1": fermi(E1, self.T) * np.ones_like(q),
            "f2": fermi(E2, self.T) * np.ones_like(q),
        }

    def measure(self, q):
        """Weight of ``dq`` in ``(dk)``: ``N0 |v_-|`` (1/(2 pi) in Sect. II.C) or ``S_d q^(d-1)/(2 pi)^d``."""
        import numpy as np

        q = np.asarray(q, dtype=float)
        if self.isotropic:
            S_d = {1: 2.0, 2: 2.0 * math.pi, 3: 4.0 * math.pi}[self.d]
            return S_d * q ** (self.d - 1) / (2.0 * math.pi) ** self.d
        return np.full_like(q, self.q_weight)

    def gap_methods(self) -> dict[str, Any]:
        """Gap-equation kernels of Eq. (18) for this model, by name (first = default): the exact
        populations (Eqs. (10)-(12)), those of Eq. (13) (Eq. (19)), the Keldysh saddle point to all
        orders (Eqs. (51)-(53)) and its two-ring truncation (Eq. (55))."""
        # imported here, not at the top: `import keldysh` (which defines the presets) stays free of
        # SciPy; the solvers never import this module at import time, so there is no cycle to hide
        from keldysh.paper.solvers.gap import kernel_eq19, kernel_master
        from keldysh.paper.solvers.saddle import kernel_eq55, kernel_keldysh

        return {"master": kernel_master, "eq19": kernel_eq19, "keldysh": kernel_keldysh, "keldysh-eq55": kernel_eq55}

    def sign_rule_note(self) -> str:
        """The paper's sign rule, Eq. (21), for messages ("" without a curvature ``kappa_+``)."""
        if self.kappa_plus == 0:
            return ""
        return (
            f"Eq. (21): sgn V = sgn(gamma2 - gamma1) * sgn(kappa_+) = "
            f"{int(math.copysign(1, self.gamma2 - self.gamma1)) if self.gamma2 != self.gamma1 else 0:+d} * "
            f"{int(math.copysign(1, self.kappa_plus)):+d} in the paper's limit"
        )

    def threshold_note(self) -> str:
        """Which printed threshold the numerical ``V_c`` corresponds to (Eq. (22))."""
        return "Eq. (22) at this cutoff"

    #: Eq. (18) fixes ``|Delta|`` as well as ``V_c`` for this model
    THRESHOLD_ONLY: ClassVar[bool] = False

    def vanishing_cause(self) -> str:
        """The exact cause of a vanishing kernel at ``Delta = 0`` that rounding would hide ("" if none)."""
        if self.Omega == 0:
            return NO_DRIVE
        if self.v_plus == 0 and self.kappa_plus == 0 and not self.isotropic:
            return FLAT_PAIR_ENERGY
        return ""

    # ------------------------------------------------------------------ derived
    @property
    def Gamma(self) -> float:
        """``Gamma = Gamma1 + Gamma2`` (Eq. (9))."""
        return self.Gamma1 + self.Gamma2

    @property
    def gamma1(self) -> float:
        """``gamma1 = Gamma1 / Gamma`` (Eq. (11))."""
        return self.Gamma1 / self.Gamma

    @property
    def gamma2(self) -> float:
        """``gamma2 = Gamma2 / Gamma`` (Eq. (11))."""
        return self.Gamma2 / self.Gamma

    @property
    def v_minus(self) -> float:
        return self.v2 - self.v1

    @property
    def v_plus(self) -> float:
        return self.v2 + self.v1

    @property
    def kappa_plus(self) -> float:
        return self.kappa2 + self.kappa1

    @property
    def kappa_minus(self) -> float:
        return self.kappa2 - self.kappa1

    @property
    def isotropic(self) -> bool:
        """True when general isotropic dispersions ``E1(k)``, ``E2(k)`` are used."""
        return self.E1 is not None

    @property
    def N0_eff(self) -> float:
        """Density of states at the resonance used by the measure (Eq. (19)).

        The paper's 1D reduction (Sect. II.C) has ``(dk) = dq/(2 pi)``, i.e.
        ``N0 = 1/(2 pi |v_-|)`` -- the caption's "N0 = 1/2pi" is the density per unit
        ``q``, ``N0 |v_-|`` (see the errata).
        """
        if self.N0 is not None:
            return self.N0
        if self.v_minus == 0:
            return math.inf
        return 1.0 / (2.0 * math.pi * abs(self.v_minus))

    @property
    def q_weight(self) -> float:
        """Weight of ``dq`` in the near-resonance measure: ``(dk) = q_weight * dq``."""
        if self.N0 is None:
            return 1.0 / (2.0 * math.pi)
        return self.N0 * abs(self.v_minus)

    def to_dict(self) -> dict[str, Any]:
        """Every field and the paper's combinations, JSON-ready."""
        out = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        out.update(
            Gamma=self.Gamma,
            gamma1=self.gamma1,
            gamma2=self.gamma2,
            v_minus=self.v_minus,
            v_plus=self.v_plus,
            kappa_plus=self.kappa_plus,
            kappa_minus=self.kappa_minus,
            N0_eff=self.N0_eff,
        )
        return out

    def subs(self) -> dict:
        """Map the fields onto :mod:`keldysh.paper.symbols` (for ``expr.subs(model.subs())``)."""
        from keldysh.paper import symbols as S

        return {
            S.v1: self.v1,
            S.v2: self.v2,
            S.kappa1: self.kappa1,
            S.kappa2: self.kappa2,
            S.v_minus: self.v_minus,
            S.v_plus: self.v_plus,
            S.kappa_plus: self.kappa_plus,
            S.kappa_minus: self.kappa_minus,
            S.Omega: self.Omega,
            S.Gamma1: self.Gamma1,
            S.Gamma2: self.Gamma2,
            S.Gamma: self.Gamma,
            S.gamma1: self.gamma1,
            S.gamma2: self.gamma2,
            S.N0: self.N0_eff,
            S.T: self.T,
        }


def _quadratic_roots(a: float, b: float, c: float) -> list[float]:
    """Real roots of ``a q^2 + b q + c``."""
    if a == 0:
        return [-c / b] if b != 0 else []
    disc = b * b - 4 * a * c
    if disc < 0:
        return []
    r = math.sqrt(disc)
    return [(-b - r) / (2 * a), (-b + r) / (2 * a)]


def fermi(e, T: float):
    """Fermi-Dirac ``n_F(e) = 1/(1 + exp(e/T))`` (a step, 1/2 at ``e = 0``, when ``T = 0``)."""
    import numpy as np

    if T == 0:
        return np.where(e < 0, 1.0, np.where(e > 0, 0.0, 0.5))
    with np.errstate(over="ignore"):  # e/T beyond the double range: tanh(+-inf) = +-1 is the exact step
        return 0.5 * (1.0 - np.tanh(np.asarray(e) / (2.0 * T)))


_COMBOS = {"v_minus", "v_plus", "kappa_plus", "kappa_minus", "Gamma", "gamma2", "gamma1"}

#: exact causes of a vanishing in-phase kernel at ``Delta = 0`` (``vanishing_cause`` of the models)
NO_DRIVE = (
    "there is no drive (Omega = 0): the populations stay at the reservoirs' (x = 0, Eq. (11)), so the "
    "kernel vanishes and V_c is infinite"
)
FLAT_PAIR_ENERGY = (
    "the pair energy E = Etilde_1 + Etilde_2 vanishes identically (v_+ = kappa_+ = 0): the in-phase kernel "
    "x E/(E^2 + Gamma^2) (Eq. (18)) is zero and V_c is infinite"
)


class NearResonanceMeasure:
    """Shared part of the model protocol for models reduced to the line ``|q| <= kmax``.

    Needs fields ``kmax``, ``N0`` (or None) and a ``v_minus`` attribute: the measure is
    ``(dk) = N0 |v_-| dq`` with the paper's ``N0 |v_-| = 1/(2 pi)`` by default (Sect. II.C).
    """

    #: the model fixes ``|Delta|`` too (``False``) or only ``V_c`` and the sign rule (``True``)
    THRESHOLD_ONLY: ClassVar[bool] = False

    def vanishing_cause(self) -> str:
        """The exact cause of a vanishing kernel at ``Delta = 0`` that rounding would hide ("" if none)."""
        return FLAT_PAIR_ENERGY if self.v_plus == 0 and self.kappa_plus == 0 else ""

    @property
    def q_weight(self) -> float:
        """``N0 |v_-|``: weight of ``dq`` in ``(dk)`` (``1/(2 pi)`` by default)."""
        return 1.0 / (2.0 * math.pi) if self.N0 is None else self.N0 * abs(self.v_minus)

    @property
    def N0_eff(self) -> float:
        """The density of states at the resonant surface used by the measure."""
        return self.q_weight / abs(self.v_minus)

    def grid_domain(self) -> tuple[float, float]:
        """``[-kmax, kmax]``."""
        return (-self.kmax, self.kmax)

    def measure(self, q):
        """``N0 |v_-|`` on every node."""
        import numpy as np

        return np.full_like(np.asarray(q, dtype=float), self.q_weight)

    def replace(self, **changes: Any):
        """A validated copy with fields changed."""
        fields = {f.name for f in dataclasses.fields(self)}
        for key in changes:
            if key not in fields:
                raise ParameterError(
                    str(key), f"is not a parameter of {type(self).__name__} ({', '.join(sorted(fields))})"
                )
        return dataclasses.replace(self, **changes)


def _fig(name: str, **kw: Any) -> LaserModel:
    base = dict(v_minus=10.0, kappa_plus=-50.0, Omega=0.5, Gamma=1e-2, gamma2=1e-3, kmax=0.2)
    base.update(kw)
    m = LaserModel.from_paper(**base)
    return dataclasses.replace(m, name=name)


#: Parameter sets of the figure captions (Figs. 4-6).
PRESETS: dict[str, LaserModel] = {
    "fig4": _fig("fig4"),
    "fig5": _fig("fig5", gamma2=0.2),  # caption: gamma1 = 0.8
    "fig6": _fig("fig6", Omega=1e-2, gamma2=1e-4),  # panel (a): Omega = Gamma
    "fig6a": _fig("fig6a", Omega=1e-2, gamma2=1e-4),
    "fig6b": _fig("fig6b", Omega=2e-3, gamma2=1e-4),  # panel (b): Omega = Gamma/5
}

#: The couplings V of each figure (captions of Figs. 4-6) and its panels.
FIGURES: dict[str, dict[str, Any]] = {
    "fig4": {"panels": {"": ("fig4", (5.0, 2.3, 1.0))}, "V_c_paper": 2.14},
    "fig5": {"panels": {"": ("fig5", (5.0,))}},
    "fig6": {"panels": {"a": ("fig6a", (20.0,)), "b": ("fig6b", (20.0,))}},
}


def preset(name: str) -> LaserModel:
    """The model of a figure caption: ``fig4``, ``fig5``, ``fig6`` (= ``fig6a``), ``fig6b``."""
    try:
        return PRESETS[name]
    except (KeyError, TypeError):  # TypeError: an unhashable name
        raise ParameterError(
            "preset", f"unknown preset {shown(name)}; choose one of {', '.join(sorted(PRESETS))}"
        ) from None
