"""Closed forms of Sect. II.B (Eqs. (20)-(33)), each with the limit where it holds.

All of them follow from the gap equation (18) with ``E(eps) = (kappa_+/v_-^2) eps^2``
(``v_+ = kappa_- = 0``), the momentum integral extended to the real line
(``kmax -> infinity``) and ``(dk) = N0 |v_-| dq``.  Where the printed formula is not what
the derivation gives, the function implements the derived form and says so (see
``docs/errata.md`` and ``keldysh check``); the printed variant is kept under a
``*_printed`` name for comparison.

Regimes
-------
* Eqs. (20)-(25): ``Omega >> Gamma`` (populations of Eq. (13)).
* Eqs. (26)-(29): ``Omega << Gamma`` (populations of Eq. (14)), leading order in
  ``|kappa_+| Gamma / v_-^2``.
* Eqs. (30)-(33): ``gamma1 gamma2 -> 0`` and ``Omega << Gamma`` (exact populations, Eq. (11)).
"""

from __future__ import annotations

import math
from typing import Any

from keldysh.errors import ParameterError, check_finite

__all__ = [
    "sign_rule_eq21",
    "gap_rhs_eq20",
    "V_c_eq22",
    "delta_eq23",
    "delta_eq24",
    "v_plus_bound_eq25",
    "gap_rhs_eq14_exact",
    "V_c_eq28",
    "V_c_eq28_printed",
    "delta_eq29",
    "gap_rhs_eq30",
    "gap_rhs_eq30_printed",
    "V_c_eq32",
    "V_c_eq32_printed",
    "delta_eq30",
    "delta_eq33_printed",
]


def _require_curvature(model: Any) -> None:
    if model.kappa_plus == 0:
        raise ParameterError("kappa_plus", "the closed forms of Sect. II.B.1 need kappa_+ != 0")
    if model.v_minus == 0:
        raise ParameterError("v_minus", "the closed forms of Sect. II.B.1 need v_- != 0")


def _V(V: float) -> float:
    V = check_finite("V", V)
    if V == 0:
        raise ParameterError("V", "must be non-zero")
    return V


def sign_rule_eq21(model: Any) -> int:
    """Eq. (21) (= Eqs. (27), (31)): the sign V must have, ``sgn(gamma2 - gamma1) sgn(kappa_+)``."""
    s = math.copysign(1, model.gamma2 - model.gamma1) if model.gamma2 != model.gamma1 else 0
    return int(s * (1 if model.kappa_plus > 0 else -1 if model.kappa_plus < 0 else 0))


def gap_rhs_eq20(model: Any, V: float, delta: float) -> float:
    """Right-hand side of Eq. (20) (equals 1 at a solution), ``Omega >> Gamma``, ``kmax -> inf``:

    ``-(pi/sqrt 2) N0 V |v_-| sgn(kappa_+) / sqrt|kappa_+| (gamma1 - gamma2) / (4|Delta|^2 + Gamma^2)^(1/4)``.
    """
    _require_curvature(model)
    V = _V(V)
    kp = model.kappa_plus
    return (
        -(math.pi / math.sqrt(2))
        * model.N0_eff
        * V
        * abs(model.v_minus)
        * math.copysign(1, kp)
        / math.sqrt(abs(kp))
        * (model.gamma1 - model.gamma2)
        / (4 * delta**2 + model.Gamma**2) ** 0.25
    )


def V_c_eq22(model: Any) -> float:
    """Eq. (22): ``V_c = (sqrt2/pi) (1/N0) sqrt|kappa_+|/|v_-| sqrt(Gamma)/|gamma1 - gamma2|`` (``kmax -> inf``)."""
    _require_curvature(model)
    dg = abs(model.gamma1 - model.gamma2)
    if dg == 0:
        return math.inf
    return (
        math.sqrt(2)
        / math.pi
        / model.N0_eff
        * math.sqrt(abs(model.kappa_plus))
        / abs(model.v_minus)
        * math.sqrt(model.Gamma)
        / dg
    )


def delta_eq23(model: Any, V: float, V_c: float | None = None) -> float:
    """Eq. (23): ``|Delta| = (Gamma/2) sqrt((V/V_c)^4 - 1)``; 0 below threshold or for the wrong sign.

    ``V_c`` defaults to Eq. (22); pass a cutoff-corrected value (as the paper does for Fig. 4).
    """
    V = _V(V)
    Vc = V_c_eq22(model) if V_c is None else V_c
    if math.copysign(1, V) != sign_rule_eq21(model) or abs(V) <= Vc:
        return 0.0
    return model.Gamma / 2 * math.sqrt((abs(V) / Vc) ** 4 - 1)


def delta_eq24(model: Any, V: float) -> float:
    """Eq. (24), the ``Gamma -> 0`` limit of Eq. (23): ``(pi^2/4) (N0 V)^2 v_-^2/|kappa_+| (gamma1 - gamma2)^2``."""
    _require_curvature(model)
    V = _V(V)
    return (
        math.pi**2
        / 4
        * (model.N0_eff * V) ** 2
        * model.v_minus**2
        / abs(model.kappa_plus)
        * (model.gamma1 - model.gamma2) ** 2
    )


def v_plus_bound_eq25(model: Any, V: float) -> float:
    """Eq. (25): results hold for ``|v_+| <= sqrt(|kappa_+| Gamma) |V|/V_c`` (a heuristic bound)."""
    V = _V(V)
    return math.sqrt(abs(model.kappa_plus) * model.Gamma) * abs(V) / V_c_eq22(model)


# ----------------------------------------------------------------------- weak Rabi (Eq. (14))
def _J(kappa: float, v: float, G: float, a: float) -> float:
    """``int dq kappa q^2 / ((kappa^2 q^4 + a^2)(v^2 q^2 + G^2))`` over the real line (exact)."""
    ka, va = abs(kappa), abs(v)
    D = G**4 * ka**2 + a**2 * va**4
    J = math.pi / D * (math.sqrt(ka) * (G**2 * ka + a * va**2) / (math.sqrt(2) * math.sqrt(a)) - G * ka * va)
    return math.copysign(J, kappa)


def gap_rhs_eq14_exact(model: Any, V: float, delta: float) -> float:
    """Right-hand side of the gap equation with the populations of Eq. (14), integrated exactly.

    ``-V N0 |v_-| (gamma1 - gamma2)/(4 gamma1 gamma2) Omega^2 J`` with
    ``J = int dq E/(E^2 + a^2) / (v_-^2 q^2 + Gamma^2)``, ``E = kappa_+ q^2``,
    ``a^2 = Gamma^2 + |Delta|^2/(gamma1 gamma2)``.  Eq. (26) is its leading order in
    ``sqrt(|kappa_+| Gamma)/|v_-|``.
    """
    _require_curvature(model)
    V = _V(V)
    g1, g2 = model.gamma1, model.gamma2
    a = math.sqrt(model.Gamma**2 + delta**2 / (g1 * g2))
    J = _J(model.kappa_plus, model.v_minus, model.Gamma, a)
    return -V * model.N0_eff * abs(model.v_minus) * (g1 - g2) / (4 * g1 * g2) * model.Omega**2 * J


def V_c_eq28(model: Any) -> float:
    """Eq. (28) at leading order in ``|kappa_+| Gamma/v_-^2`` (the order Eq. (29) uses):

    ``V_c' = (4 sqrt2/pi) (1/N0) |v_-|/sqrt|kappa_+| gamma1 gamma2 Gamma^(3/2) / (|gamma1 - gamma2| Omega^2)``.
    The printed ``(v_-^2 + |kappa_+| Gamma)`` is not the next order (that is ``-sqrt(2|kappa_+|Gamma)/|v_-|``
    relative); see :func:`V_c_eq28_printed`.
    """
    _require_curvature(model)
    if model.Omega == 0:
        return math.inf
    dg = abs(model.gamma1 - model.gamma2)
    return (
        4
        * math.sqrt(2)
        / math.pi
        / model.N0_eff
        * abs(model.v_minus)
        / math.sqrt(abs(model.kappa_plus))
        * model.gamma1
        * model.gamma2
        * model.Gamma**1.5
        / (dg * model.Omega**2)
    )


def V_c_eq28_printed(model: Any) -> float:
    """Eq. (28) as printed, with ``(v_-^2 + |kappa_+| Gamma)/(|v_-| sqrt|kappa_+|)``."""
    return V_c_eq28(model) * (model.v_minus**2 + abs(model.kappa_plus) * model.Gamma) / model.v_minus**2


def delta_eq29(model: Any, V: float) -> float:
    """Eq. (29): ``|Delta| = Gamma sqrt(gamma1 gamma2) sqrt((|V|/V_c')^(4/3) - 1)`` (``v_-^2 >> |kappa_+| Gamma``)."""
    V = _V(V)
    Vc = V_c_eq28(model)
    if math.copysign(1, V) != sign_rule_eq21(model) or abs(V) <= Vc:
        return 0.0
    return model.Gamma * math.sqrt(model.gamma1 * model.gamma2) * math.sqrt((abs(V) / Vc) ** (4.0 / 3.0) - 1)


# ------------------------------------------------------------- gamma1 gamma2 -> 0 (Eqs. (30)-(33))
def gap_rhs_eq30(model: Any, V: float, delta: float) -> float:
    """Right-hand side of Eq. (30) as derived (``gamma1 gamma2 = 0``, ``Omega << Gamma``, ``kmax -> inf``):

    ``pi N0 V (gamma2 - gamma1) Omega |v_-| sgn(kappa_+) / sqrt(4 |Delta|^2 v_-^2 + 2 |kappa_+| Gamma Omega sqrt(Omega^2 + 4|Delta|^2))``.
    It equals the printed form at ``|Delta| = 0``; the printed denominator replaces
    ``sqrt(a + b)`` by ``(sqrt a + sqrt b)/sqrt2``-type terms.
    """
    _require_curvature(model)
    V = _V(V)
    O, v, kp, G = model.Omega, abs(model.v_minus), model.kappa_plus, model.Gamma
    den = math.sqrt(4 * delta**2 * v**2 + 2 * abs(kp) * G * O * math.sqrt(O**2 + 4 * delta**2))
    return math.pi * model.N0_eff * V * (model.gamma2 - model.gamma1) * O * v * math.copysign(1, kp) / den


def gap_rhs_eq30_printed(model: Any, V: float, delta: float) -> float:
    """Eq. (30) as printed: ``(pi/sqrt2) N0 V (gamma2-gamma1) Omega |v_-| sgn kappa_+ / ([Omega^2 kappa_+^2 Gamma^2 (4|Delta|^2+Omega^2)]^(1/4) + 2|v_-||Delta|)``."""
    _require_curvature(model)
    V = _V(V)
    O, v, kp, G = model.Omega, abs(model.v_minus), model.kappa_plus, model.Gamma
    den = (O**2 * kp**2 * G**2 * (4 * delta**2 + O**2)) ** 0.25 + 2 * v * delta
    return (
        math.pi / math.sqrt(2) * model.N0_eff * V * (model.gamma2 - model.gamma1) * O * v * math.copysign(1, kp) / den
    )


def V_c_eq32(model: Any) -> float:
    """Eq. (32) as derived: the same threshold as Eq. (22) (``sqrt(Gamma)``; printed ``Gamma``)."""
    return V_c_eq22(model)


def V_c_eq32_printed(model: Any) -> float:
    """Eq. (32) as printed, with ``Gamma`` instead of ``sqrt(Gamma)`` (dimensionally inconsistent)."""
    return V_c_eq22(model) * math.sqrt(model.Gamma)


def delta_eq30(model: Any, V: float) -> float:
    """``|Delta|`` solving the derived Eq. (30) exactly (closed form of a quadratic in ``s = sqrt(Omega^2 + 4|Delta|^2)``)."""
    V = _V(V)
    Vc = V_c_eq32(model)
    if math.copysign(1, V) != sign_rule_eq21(model) or abs(V) <= Vc:
        return 0.0
    R2 = (abs(V) / Vc) ** 2
    O, v2, k = model.Omega, model.v_minus**2, abs(model.kappa_plus) * model.Gamma
    s = (-k * O + math.sqrt(k**2 * O**2 + 2 * v2 * (v2 * O**2 / 2 + R2 * k * O**2))) / v2
    return math.sqrt(max(s * s - O * O, 0.0)) / 2


def delta_eq33_printed(model: Any, V: float) -> float:
    """Eq. (33) as printed: ``(Omega/2) sqrt(Gamma|kappa_+|)/|v_-| (|V|/V_c'' - 1)`` (from the printed Eq. (30))."""
    V = _V(V)
    Vc = V_c_eq32(model)
    if math.copysign(1, V) != sign_rule_eq21(model) or abs(V) <= Vc:
        return 0.0
    return model.Omega / 2 * math.sqrt(model.Gamma * abs(model.kappa_plus)) / abs(model.v_minus) * (abs(V) / Vc - 1)
