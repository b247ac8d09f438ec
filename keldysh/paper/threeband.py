"""Appendix numerically: the laser-driven three-band semiconductor (Eqs. (A1)-(A15)).

:class:`ThreeBandModel` implements the model protocol of :mod:`keldysh.paper.quadrature` and
:func:`keldysh.solve_gap`.  Near the resonant surface (``q`` perpendicular to it),
``eps = v_- q + kappa_- q^2`` and ``E = v_+ q + kappa_+ q^2`` as in Sect. II.B.1; the measure is
``(dk) = N0 |v_-| dq`` (``1/(2 pi)`` by default).

Populations (Eq. (A11) -> (A12), derived in :mod:`keldysh.paper.symbolic.threeband`) in the weak-pairing
limit of the Appendix (populations at ``Delta = 0``):

    x = n11 + n22 - 1 = -n33 = -Gamma1 R / (Gamma3 (Gamma1 + Gamma2) + R (Gamma1 + 2 Gamma3)),
    R = Omega^2 / (2 tau (eps^2 + tau^-2)) ,

with ``Gamma1`` (2 -> 3), ``Gamma2`` (2 -> 1), ``Gamma3`` (3 -> 1) population rates and ``1/tau``
the total interband dephasing rate.  The gap kernel is ``g = E x/(E^2 + Gamma12^2)`` (Eq. (A13),
with the package's sign convention V > 0 attractive).

What the Appendix determines.  Its populations do not depend on ``|Delta|`` (weak-pairing
limit), so the gap equation fixes the *threshold* ``V_c`` and the sign rule (A14), not
``|Delta|``.  (Beyond that limit the mean-field model has no steady state with ``Delta != 0``:
pair creation changes the electron number of each ``(k, -k)`` pair while every dissipator
of Eq. (A11) conserves it, so a number-restoring process would have to be added.)
:func:`keldysh.solve_gap` therefore gives ``V_c`` and the sign rule for this model;
``THRESHOLD_ONLY = True`` marks it.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from keldysh.errors import ParameterError, check_finite, check_magnitude, check_positive
from keldysh.paper.params import NO_DRIVE, NearResonanceMeasure

__all__ = [
    "ThreeBandModel",
    "DEFAULTS",
    "PRESETS",
    "preset",
    "model_from_options",
    "kernel_appendix",
    "kernel_large_rabi",
    "population_func",
    "population_deviation",
    "large_rabi_population",
    "sign_rule_eq_a14",
    "V_c_eq_a15",
    "V_c_eq_a15_cutoff",
    "rabi_window",
]

#: Default (Fig. 10) parameters, dimensionless.  ``1/tau = 0.05 >> Gamma_a`` (the Appendix's
#: ``tau^-1 >> Gamma_{1,2,3}``); ``Omega = 0.5`` gives ``R(0) = Omega^2 tau / 2 = 2.5``, i.e.
#: the large-Rabi regime of Eq. (A15) across the pairing window ``|q| ~ sqrt(Gamma12/|kappa_+|)``.
DEFAULTS: dict[str, float] = {
    "Omega": 0.5,
    "tau": 20.0,
    "Gamma1": 0.01,
    "Gamma2": 0.001,
    "Gamma3": 0.002,
    "Gamma12": 0.01,
    "v_minus": 10.0,
    "v_plus": 0.0,
    "kappa_plus": -50.0,
    "kappa_minus": 0.0,
    "kmax": 0.2,
}


@dataclass(frozen=True)
class ThreeBandModel(NearResonanceMeasure):
    """Three-band model of the Appendix (Eqs. (A1)-(A15)).

    Parameters
    ----------
    Omega : float
        Rabi frequency of the 1 <-> 2 drive (>= 0; the RWA coupling is ``Omega/2``).
    tau : float
        Dephasing time (> 0): ``n21`` decays at ``1/tau`` (Eq. (A11)); physical when
        ``1/tau >= (Gamma1 + Gamma2)/2``.
    Gamma1, Gamma2, Gamma3 : float
        Population rates 2 -> 3, 2 -> 1 and 3 -> 1 (Eq. (A11)).  ``Gamma1 > 0`` and ``Gamma3 > 0``.
    Gamma12 : float
        Decay rate of the pair amplitude (Eq. (A9)).
    v_minus, v_plus, kappa_plus, kappa_minus : float
        ``eps = v_- q + kappa_- q^2``, ``E = v_+ q + kappa_+ q^2`` near the resonance.
    kmax : float
        Momentum cutoff ``|q| <= kmax``.
    N0 : float or None
        Density of states at the resonance; ``None`` is ``(dk) = dq/(2 pi)``.
    """

    Omega: float = DEFAULTS["Omega"]
    tau: float = DEFAULTS["tau"]
    Gamma1: float = DEFAULTS["Gamma1"]
    Gamma2: float = DEFAULTS["Gamma2"]
    Gamma3: float = DEFAULTS["Gamma3"]
    Gamma12: float = DEFAULTS["Gamma12"]
    v_minus: float = DEFAULTS["v_minus"]
    v_plus: float = DEFAULTS["v_plus"]
    kappa_plus: float = DEFAULTS["kappa_plus"]
    kappa_minus: float = DEFAULTS["kappa_minus"]
    kmax: float = DEFAULTS["kmax"]
    N0: float | None = None
    name: str = field(default="threeband", compare=False)

    #: the Appendix fixes V_c and the sign rule, not ``|Delta|`` (see the module docstring)
    THRESHOLD_ONLY: ClassVar[bool] = True

    def __post_init__(self) -> None:
        from keldysh.errors import check_nonnegative

        object.__setattr__(self, "Omega", check_nonnegative("Omega", self.Omega))
        for nm in ("tau", "Gamma1", "Gamma3", "Gamma12", "kmax"):
            object.__setattr__(self, nm, check_positive(nm, getattr(self, nm)))
        object.__setattr__(self, "Gamma2", check_nonnegative("Gamma2", self.Gamma2))
        for nm in ("v_plus", "kappa_plus", "kappa_minus"):
            object.__setattr__(self, nm, check_finite(nm, getattr(self, nm)))
        vm = check_finite("v_minus", self.v_minus)
        if vm == 0:
            raise ParameterError("v_minus", "must be non-zero (the density of states N0 = 1/(2 pi |v_-|) diverges)")
        object.__setattr__(self, "v_minus", vm)
        if self.N0 is not None:
            object.__setattr__(self, "N0", check_positive("N0", self.N0))
        # the range of LaserModel: |x| <= 1e6 keeps the closed forms finite, rates >= 1e-30 above underflow
        for nm in ("Omega", "v_plus", "v_minus", "kappa_plus", "kappa_minus", "kmax", "N0"):
            if getattr(self, nm) is not None:
                check_magnitude(nm, getattr(self, nm), hi=1e6)
        check_magnitude("tau", self.tau, hi=1e6, lo=1e-6)  # the dephasing rate 1/tau within the same range
        for nm in ("Gamma1", "Gamma3", "Gamma12"):
            check_magnitude(nm, getattr(self, nm), hi=1e6, lo=1e-30)
        check_magnitude("Gamma2", self.Gamma2, hi=1e6, lo=1e-30)  # 0 allowed (Gamma2 >= 0)
        if self.kappa_plus == 0 and self.v_plus == 0:
            raise ParameterError("kappa_plus", "E = v_+ q + kappa_+ q^2 vanishes identically")

    # ------------------------------------------------------------------ derived
    @property
    def Gamma(self) -> float:
        """The pair decay rate ``Gamma12`` (the width of ``E`` that the gap integral resolves)."""
        return self.Gamma12

    # ------------------------------------------------------------------ model protocol
    def grid_scales(self) -> list[tuple[float, float]]:
        """``sqrt(Gamma12/|kappa_+|)`` (pair window), ``1/(tau |v_-|)`` (dephasing Lorentzian),
        the Rabi window of :func:`rabi_window`, ``Gamma12/|v_+|``."""
        out = []
        if self.kappa_plus != 0:
            out.append((0.0, math.sqrt(self.Gamma12 / abs(self.kappa_plus))))
        out.append((0.0, 1.0 / (self.tau * abs(self.v_minus))))
        w = rabi_window(self)
        if w > 0:
            out.append((0.0, w / abs(self.v_minus)))
        if self.v_plus != 0:
            out.append((0.0, self.Gamma12 / abs(self.v_plus)))
            if self.kappa_plus != 0:
                out.append((-self.v_plus / self.kappa_plus, self.Gamma12 / abs(self.v_plus)))
        return out

    def grid_fields(self, q) -> dict[str, Any]:
        """``E``, ``eps`` and the weak-pairing population deviation ``x`` (Eq. (A12) derived)."""
        import numpy as np

        q = np.asarray(q, dtype=float)
        eps = self.v_minus * q + self.kappa_minus * q**2
        E = self.v_plus * q + self.kappa_plus * q**2
        return {"E": E, "eps": eps, "x": population_deviation(self, eps)}

    def gap_methods(self) -> dict[str, Callable]:
        """``"appendix"``: Eq. (A13) with the derived populations (default); ``"large-rabi"``: ``Omega -> oo``."""
        return {"appendix": kernel_appendix, "large-rabi": kernel_large_rabi}

    def sign_rule_note(self) -> str:
        """The paper's sign rule for this model, for messages (Eq. (A14))."""
        return f"Eq. (A14): sgn V = sgn(kappa_+) = {sign_rule_eq_a14(self):+d}"

    def vanishing_cause(self) -> str:
        """The exact cause of a vanishing kernel at ``Delta = 0`` ("" if none): no drive, or a flat pair energy."""
        return NO_DRIVE if self.Omega == 0 else super().vanishing_cause()

    def threshold_note(self) -> str:
        """Which printed threshold the numerical V_c corresponds to (Eq. (A15) in the large-Rabi limit)."""
        return "Eq. (A13) at this cutoff; Eq. (A15) for Omega -> oo"

    def to_dict(self) -> dict[str, Any]:
        out = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        out.update(model="threeband", N0_eff=self.N0_eff, threshold_only=True, x_large_rabi=large_rabi_population(self))
        return out


PRESETS: dict[str, ThreeBandModel] = {"fig10": ThreeBandModel(name="fig10")}


def preset(name: str = "fig10") -> ThreeBandModel:
    """The named parameter set (``"fig10"``: the setting of Fig. 10, values in :data:`DEFAULTS`)."""
    try:
        return PRESETS[name]
    except KeyError:
        raise ParameterError(
            "preset", f"unknown three-band preset {name!r}; choose one of {', '.join(PRESETS)}"
        ) from None


def model_from_options(options: dict[str, float | None]) -> ThreeBandModel:
    """Build a :class:`ThreeBandModel` from CLI-style options (``None`` = default, see :data:`DEFAULTS`)."""
    allowed = set(DEFAULTS) | {"N0"}
    kw: dict[str, Any] = {}
    for key, val in options.items():
        if key not in allowed:
            raise ParameterError(
                key, f"not a parameter of the three-band model (choose from {', '.join(sorted(allowed))})"
            )
        if val is not None:
            kw[key] = val
    return ThreeBandModel(name="threeband", **kw)


# ------------------------------------------------------------------ populations (Eq. (A12))
def population_func() -> Callable:
    """NumPy callable ``x(eps, Omega, tau, Gamma1, Gamma2, Gamma3)`` of the derived Eq. (A12)."""
    from keldysh.paper.build import lambdified

    def expr():
        from keldysh.paper.symbolic.threeband import population_deviation_expr

        return population_deviation_expr()

    def args():
        from keldysh.paper import symbols as S
        from keldysh.paper.symbolic.threeband import Gamma3, tau

        return (S.eps, S.Omega, tau, S.Gamma1, S.Gamma2, Gamma3)

    return lambdified("threeband_population", expr, args)


def population_deviation(model: ThreeBandModel, eps) -> Any:
    """Eq. (A12) derived: ``x = n11 + n22 - 1 = -n33`` at detuning ``eps`` (weak pairing)."""
    import numpy as np

    eps = np.asarray(eps, dtype=float)
    out = population_func()(eps, model.Omega, model.tau, model.Gamma1, model.Gamma2, model.Gamma3)
    return np.asarray(out, dtype=float) * np.ones_like(eps)


def large_rabi_population(model: ThreeBandModel) -> float:
    """``Omega -> oo`` limit of Eq. (A12): ``x = -Gamma1 / (Gamma1 + 2 Gamma3)``."""
    return -model.Gamma1 / (model.Gamma1 + 2 * model.Gamma3)


def rabi_window(model: ThreeBandModel) -> float:
    """Half-width in ``eps`` of the saturated region: ``R(eps) = Gamma3 (Gamma1 + Gamma2)/(Gamma1 + 2 Gamma3)``.

    Inside it ``x`` is within a factor 2 of its large-Rabi value; 0 when even ``R(0)`` is below.
    """
    Rstar = model.Gamma3 * (model.Gamma1 + model.Gamma2) / (model.Gamma1 + 2 * model.Gamma3)
    e2 = model.Omega**2 / (2 * model.tau * Rstar) - model.tau**-2
    return math.sqrt(e2) if e2 > 0 else 0.0


# ------------------------------------------------------------------ kernels (Eq. (A13))
def kernel_appendix(model: ThreeBandModel, grid: Any, delta: float) -> Any:
    """Eq. (A13) kernel ``g = E x / (E^2 + Gamma12^2)``; populations at ``Delta = 0`` (independent of ``delta``)."""
    E = grid.E
    return E * grid.x / (E**2 + model.Gamma12**2)


def kernel_large_rabi(model: ThreeBandModel, grid: Any, delta: float) -> Any:
    """Eq. (A13) in the large-Rabi limit: ``x -> -Gamma1/(Gamma1 + 2 Gamma3)`` uniformly (Eq. (A15))."""
    E = grid.E
    return E * large_rabi_population(model) / (E**2 + model.Gamma12**2)


# ------------------------------------------------------------------ closed forms
def sign_rule_eq_a14(model: ThreeBandModel) -> int:
    """Eq. (A14): ``sgn V = sgn(kappa_+)`` (V > 0 attractive; the storage band makes ``x < 0``)."""
    return int(math.copysign(1, model.kappa_plus)) if model.kappa_plus != 0 else 0


def V_c_eq_a15(model: ThreeBandModel) -> float:
    """Eq. (A15): ``V_c = (sqrt 2/pi) sqrt(|kappa_+| Gamma12) (1 + 2 Gamma3/Gamma1) / (N0 |v_-|)``."""
    return (
        math.sqrt(2)
        / math.pi
        * math.sqrt(abs(model.kappa_plus) * model.Gamma12)
        * (1 + 2 * model.Gamma3 / model.Gamma1)
        / model.q_weight
    )


def V_c_eq_a15_cutoff(model: ThreeBandModel) -> float:
    """Eq. (A15) with the momentum cutoff ``|q| <= kmax`` kept (closed-form integral)."""
    from keldysh.paper.pumping import quartic_integral

    I = quartic_integral(model.kappa_plus, model.Gamma12, model.kmax)
    return 1.0 / abs(model.q_weight * large_rabi_population(model) * I)
