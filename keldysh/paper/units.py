"""Physical units <-> the models' dimensionless parameters, and the Conclusions' estimate.

Conventions (see ``docs/units.md``): hbar = k_B = 1.  A :class:`UnitSystem` fixes an energy
unit ``E_u`` (in eV) and a velocity unit ``u`` (a fraction of c; default c itself).  Then

* time unit ``hbar / E_u``; a rate ``1/s`` becomes the energy ``hbar * rate``;
* length unit ``l_u = hbar u / E_u`` (so a velocity in units of ``u`` is its dimensionless value);
* momentum unit ``E_u / u``; temperature unit ``E_u / k_B``;
* band curvature ``kappa`` (``E = kappa p^2``) in units of ``E_u l_u^2``:
  ``kappa = hbar^2/(2 m*)`` -> ``E_u / (2 m* u^2)``; a curvature given in ``eV^-1 c^2`` (the
  Conclusions' ``kappa ~ (10^6 eV)^-1 c^2``, i.e. ``E[eV] = kappa p[eV/c]^2``) -> ``kappa E_u / (u/c)^2``;
* density of states per energy per volume in ``d`` dimensions in units of ``1/(E_u l_u^d)``;
* a laser of intensity ``I`` (W/m^2) in a medium of refractive index ``n`` has the field
  amplitude ``E_0 = sqrt(2 I / (c eps_0 n))``; with a dipole matrix element ``d`` the drive of
  Eq. (2), ``Omega cos(omega_0 t)``, has ``Omega = d E_0`` (an energy; ``hbar = 1``).

The Conclusions' threshold (Eqs. (22), (44) without their ``sqrt 2/pi``):
``|V| N0 |v_-| / (|kappa|^(1/2) Gamma^(1/2)) > 1``.  The combination is dimensionless in any
``d``: ``V N0`` is the dimensionless coupling (the analogue of BCS's ``V rho(k_F)``) and
``|v_-|/sqrt(|kappa| Gamma)`` is a pure number; with ``kappa = 1e-6 eV^-1 c^2``,
``Gamma = 1e-3 eV``, ``|v_-| = 1e-2 c`` it is ``1e-2 / sqrt(1e-9) = 10^2.5``, hence the paper's
"0.2 x 10^2.5 > 1".
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from keldysh.errors import ParameterError, check_finite, check_positive

__all__ = [
    "HBAR_EV_S",
    "H_EV_S",
    "KB_EV_K",
    "C_M_S",
    "ME_C2_EV",
    "E_CHARGE_C",
    "EPS0",
    "DEBYE_C_M",
    "UnitSystem",
    "bcs_coupling",
    "threshold_ratio",
    "ThresholdEstimate",
    "conclusions_estimate",
    "critical_temperature",
    "PAPER_ESTIMATE",
]

# CODATA 2018 (exact where SI defines them)
HBAR_EV_S = 6.582119569e-16  # eV s
H_EV_S = 4.135667696e-15  # eV s
KB_EV_K = 8.617333262e-5  # eV / K
C_M_S = 299792458.0  # m / s
ME_C2_EV = 0.51099895000e6  # electron rest energy, eV
E_CHARGE_C = 1.602176634e-19  # C
EPS0 = 8.8541878128e-12  # F / m
DEBYE_C_M = 3.33564095e-30  # C m

_ENERGY_UNITS = {
    "eV": 1.0,
    "meV": 1e-3,
    "ueV": 1e-6,
    "K": KB_EV_K,
    "THz": H_EV_S * 1e12,
    "GHz": H_EV_S * 1e9,
    "1/s": HBAR_EV_S,
    "J": 1.0 / E_CHARGE_C,
}
_DIPOLE_UNITS = {"C m": 1.0, "e nm": E_CHARGE_C * 1e-9, "e A": E_CHARGE_C * 1e-10, "D": DEBYE_C_M}


@dataclass(frozen=True)
class UnitSystem:
    """Energy unit ``E_u`` (eV) and velocity unit ``u`` (fraction of c); hbar = k_B = 1.

    Parameters
    ----------
    energy_eV : float
        The energy unit in eV (default 1 meV).
    velocity_c : float
        The velocity unit as a fraction of the speed of light (default 1: velocities in c).
    """

    energy_eV: float = 1e-3
    velocity_c: float = 1.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "energy_eV", check_positive("energy_eV", self.energy_eV))
        object.__setattr__(self, "velocity_c", check_positive("velocity_c", self.velocity_c))

    # -------------------------------------------------------------- derived units
    @property
    def time_s(self) -> float:
        """Time unit ``hbar / E_u`` in seconds."""
        return HBAR_EV_S / self.energy_eV

    @property
    def velocity_m_s(self) -> float:
        return self.velocity_c * C_M_S

    @property
    def length_m(self) -> float:
        """Length unit ``hbar u / E_u`` in metres."""
        return self.time_s * self.velocity_m_s

    @property
    def temperature_K(self) -> float:
        """Temperature unit ``E_u / k_B`` in kelvin."""
        return self.energy_eV / KB_EV_K

    def describe(self) -> dict[str, float]:
        """Every unit of this system (JSON-ready)."""
        return dict(
            asdict(self),
            time_s=self.time_s,
            length_m=self.length_m,
            velocity_m_s=self.velocity_m_s,
            temperature_K=self.temperature_K,
        )

    # -------------------------------------------------------------- energies, rates, temperatures
    def energy(self, value: float, unit: str = "eV") -> float:
        """Dimensionless energy from ``value`` in ``unit``: eV, meV, ueV, J, K (``k_B T``),
        THz/GHz (``h f``) or 1/s (a rate or angular frequency, ``hbar * value``)."""
        value = check_finite("energy", value)
        try:
            scale = _ENERGY_UNITS[unit]
        except KeyError:
            raise ParameterError(
                "unit", f"unknown energy unit {unit!r}; choose one of {', '.join(_ENERGY_UNITS)}"
            ) from None
        return value * scale / self.energy_eV

    def energy_to(self, value: float, unit: str = "eV") -> float:
        """Inverse of :meth:`energy`."""
        value = check_finite("energy", value)
        return value * self.energy_eV / self.energy(1.0, unit) / self.energy_eV

    def temperature(self, kelvin: float) -> float:
        """Dimensionless ``k_B T / E_u`` (Eq. (5)'s ``n_F``)."""
        if check_finite("T", kelvin) < 0:
            raise ParameterError("T", f"must be >= 0 K (got {kelvin})")
        return kelvin / self.temperature_K

    def temperature_to_K(self, T: float) -> float:
        """Inverse of :meth:`temperature`."""
        return check_finite("T", T) * self.temperature_K

    # -------------------------------------------------------------- velocities and curvatures
    def velocity(self, value: float, unit: str = "m/s") -> float:
        """Dimensionless velocity from m/s or a fraction of c (``unit="c"``)."""
        value = check_finite("velocity", value)
        if unit == "m/s":
            return value / self.velocity_m_s
        if unit == "c":
            return value / self.velocity_c
        raise ParameterError("unit", f"unknown velocity unit {unit!r}; choose 'm/s' or 'c'")

    def velocity_to(self, value: float, unit: str = "m/s") -> float:
        """Inverse of :meth:`velocity`."""
        return check_finite("velocity", value) / self.velocity(1.0, unit)

    def curvature(self, value: float, unit: str = "eV^-1 c^2") -> float:
        """Dimensionless band curvature ``kappa`` (``E = kappa p^2``).

        ``unit="eV^-1 c^2"``: ``E[eV] = value * p[eV/c]^2`` (the Conclusions' units);
        ``unit="m_e"``: ``value`` is an effective mass ``m*/m_e`` and ``kappa = hbar^2/(2 m*)``
        (negative masses give negative curvature).
        """
        value = check_finite("kappa", value)
        if unit == "eV^-1 c^2":
            return value * self.energy_eV / self.velocity_c**2
        if unit == "m_e":
            if value == 0:
                raise ParameterError("m_eff", "an effective mass must be non-zero")
            return self.energy_eV / (2.0 * value * ME_C2_EV * self.velocity_c**2)
        raise ParameterError("unit", f"unknown curvature unit {unit!r}; choose 'eV^-1 c^2' or 'm_e'")

    def curvature_to(self, value: float, unit: str = "eV^-1 c^2") -> float:
        """Inverse of :meth:`curvature` (``unit="m_e"`` returns the effective mass ``m*/m_e``)."""
        value = check_finite("kappa", value)
        if unit == "m_e":
            if value == 0:
                raise ParameterError("kappa", "zero curvature has no effective mass")
            return self.energy_eV / (2.0 * value * ME_C2_EV * self.velocity_c**2)
        return value / self.curvature(1.0, unit)

    def density_of_states(self, value: float, d: int = 3) -> float:
        """Dimensionless DOS from states per eV per m^d: ``N0 E_u l_u^d``."""
        if d not in (1, 2, 3):
            raise ParameterError("d", f"must be 1, 2 or 3 (got {d!r})")
        return check_positive("N0", value) * self.energy_eV * self.length_m**d

    def density_of_states_to(self, value: float, d: int = 3) -> float:
        """Inverse of :meth:`density_of_states` (states per eV per m^d)."""
        return check_positive("N0", value) / self.density_of_states(1.0, d)

    # -------------------------------------------------------------- laser
    def rabi(self, intensity_W_m2: float, dipole: float, dipole_unit: str = "e nm", n_refr: float = 1.0) -> float:
        """Dimensionless Rabi frequency ``Omega = d E_0`` of Eq. (2) for a laser intensity and dipole element.

        ``E_0 = sqrt(2 I / (c eps_0 n))`` (peak field of ``I = c eps_0 n E_0^2 / 2``).
        """
        intensity = check_positive("intensity", intensity_W_m2)
        n_refr = check_positive("n_refr", n_refr)
        try:
            d_SI = check_finite("dipole", dipole) * _DIPOLE_UNITS[dipole_unit]
        except KeyError:
            raise ParameterError(
                "dipole_unit", f"unknown unit {dipole_unit!r}; choose one of {', '.join(_DIPOLE_UNITS)}"
            ) from None
        E0 = math.sqrt(2.0 * intensity / (C_M_S * EPS0 * n_refr))
        return abs(d_SI) * E0 / E_CHARGE_C / self.energy_eV

    def rabi_frequency_Hz(self, Omega: float) -> float:
        """The ordinary frequency ``Omega / (2 pi hbar)`` in Hz of a dimensionless ``Omega``."""
        return check_finite("Omega", Omega) * self.energy_eV / H_EV_S


# ------------------------------------------------------------------ Conclusions
def bcs_coupling(omega_D: float, Delta: float, form: str = "paper") -> float:
    """The BCS coupling ``V rho(k_F)`` the Conclusions compare with (any common unit).

    ``form="paper"``: ``V rho ln(omega_D / Delta) = 1`` as written in the Conclusions (0.217 for
    100 K and 1 K); ``form="bcs"``: weak-coupling ``Delta = 2 omega_D exp(-1/(V rho))`` (0.189).
    """
    omega_D = check_positive("omega_D", omega_D)
    Delta = check_positive("Delta", Delta)
    fac = {"paper": 1.0, "bcs": 2.0}.get(form)
    if fac is None:
        raise ParameterError("form", f"must be 'paper' or 'bcs' (got {form!r})")
    if fac * omega_D <= Delta:
        raise ParameterError("Delta", "must be smaller than the Debye energy")
    return 1.0 / math.log(fac * omega_D / Delta)


def threshold_ratio(VN0: float, kappa: float, Gamma: float, v_minus: float, exact_prefactor: bool = False) -> float:
    """``|V| N0 |v_-| / (|kappa|^(1/2) Gamma^(1/2))`` in any consistent units (Conclusions).

    With ``exact_prefactor`` the factor ``pi/sqrt 2`` of Eqs. (22) and (44) is included, so the
    result is ``|V| / V_c`` for ``|gamma_1 - gamma_2| = 1`` (Eq. (22)) or ``|N| = 1`` and
    ``Gamma -> Gamma_12`` (Eq. (44)), at infinite cutoff.
    """
    VN0 = check_finite("VN0", VN0)
    if VN0 == 0:
        raise ParameterError("VN0", "must be non-zero")
    kappa = check_finite("kappa", kappa)
    if kappa == 0:
        raise ParameterError("kappa", "must be non-zero (a flat E has no threshold of this form)")
    Gamma = check_positive("Gamma", Gamma)
    v_minus = check_finite("v_minus", v_minus)
    if v_minus == 0:
        raise ParameterError("v_minus", "must be non-zero")
    for name, x in (("VN0", VN0), ("kappa", kappa), ("Gamma", Gamma), ("v_minus", v_minus)):
        if not 1e-100 <= abs(x) <= 1e100:  # the ratio below stays within [1e-300, 1e300]
            raise ParameterError(name, f"|{name}| must lie in [1e-100, 1e100] (got {x:g})")
    r = abs(VN0) * abs(v_minus) / math.sqrt(abs(kappa) * Gamma)
    return r * (math.pi / math.sqrt(2.0) if exact_prefactor else 1.0)


@dataclass(frozen=True)
class ThresholdEstimate:
    """The Conclusions' estimate with its inputs (physical units) and results."""

    VN0: float
    kappa_eV_inv_c2: float
    Gamma_eV: float
    v_minus_c: float
    ratio: float
    log10_ratio: float
    kinematic_factor: float
    ratio_exact_prefactor: float
    met: bool

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        verdict = "threshold met (> 1)" if self.met else "threshold NOT met (<= 1)"
        return (
            f"|V| N0 |v_-| / (|kappa|^1/2 Gamma^1/2) = {self.ratio:.4g}"
            f"  (= {abs(self.VN0):g} x 10^{math.log10(self.kinematic_factor):.2f})  -> {verdict}\n"
            f"inputs: |V| N0 = {abs(self.VN0):g}, kappa = {self.kappa_eV_inv_c2:g} eV^-1 c^2, "
            f"Gamma = {self.Gamma_eV:g} eV, |v_-| = {abs(self.v_minus_c):g} c\n"
            f"with the prefactor pi/sqrt(2) of Eqs. (22)/(44): |V|/V_c = {self.ratio_exact_prefactor:.4g}"
        )


#: The Conclusions' numbers: V rho ~ 0.2, kappa ~ (10^6 eV)^-1 c^2, Gamma ~ 1e-3 eV, ``|v_-|`` ~ 1e-2 c.
PAPER_ESTIMATE: dict[str, float] = {"VN0": 0.2, "kappa_eV_inv_c2": 1e-6, "Gamma_eV": 1e-3, "v_minus_c": 1e-2}


def conclusions_estimate(
    VN0: float = 0.2, kappa_eV_inv_c2: float = 1e-6, Gamma_eV: float = 1e-3, v_minus_c: float = 1e-2
) -> ThresholdEstimate:
    """The Conclusions' threshold estimate ``|V| N0 |v_-| / (|kappa| Gamma)^(1/2) > 1`` in physical units.

    ``kappa`` in ``eV^-1 c^2`` (``E[eV] = kappa p[eV/c]^2``; ``1e-6`` is ``hbar^2/(2 m)`` with
    ``m c^2 = 0.5 MeV``, about the free electron mass), ``Gamma`` in eV, ``v_-`` in units of c.
    In units ``c = 1`` and energies in eV every factor is a plain number; the kinematic factor
    ``|v_-|/sqrt(|kappa| Gamma)`` is ``10^2.5`` for the defaults.
    """
    try:
        kin = threshold_ratio(1.0, kappa_eV_inv_c2, Gamma_eV, v_minus_c)
    except ParameterError as exc:  # name the physical-unit input
        names = {"kappa": "kappa_eV_inv_c2", "Gamma": "Gamma_eV", "v_minus": "v_minus_c"}
        raise ParameterError(names.get(exc.param, exc.param), str(exc).split(": ", 1)[1]) from None
    if abs(v_minus_c) >= 2.0:
        raise ParameterError("v_minus_c", f"|v_-| = |v_2 - v_1| must be below 2c (got {v_minus_c})")
    r = threshold_ratio(VN0, kappa_eV_inv_c2, Gamma_eV, v_minus_c)
    return ThresholdEstimate(
        VN0=VN0,
        kappa_eV_inv_c2=kappa_eV_inv_c2,
        Gamma_eV=Gamma_eV,
        v_minus_c=v_minus_c,
        ratio=r,
        log10_ratio=math.log10(r),
        kinematic_factor=kin,
        ratio_exact_prefactor=r * math.pi / math.sqrt(2.0),
        met=r > 1.0,
    )


def critical_temperature(
    Gamma_of_T: Callable[[float], float],
    VN0: float = 0.2,
    kappa_eV_inv_c2: float = 1e-6,
    v_minus_c: float = 1e-2,
    T_range_K: tuple[float, float] = (1.0, 1000.0),
    exact_prefactor: bool = False,
) -> float:
    """``T_c`` from ``|V| N0 |v_-| / (|kappa|^(1/2) Gamma(T_c)^(1/2)) = 1`` (Conclusions).

    Parameters
    ----------
    Gamma_of_T : callable
        ``Gamma(T)`` in eV for ``T`` in kelvin (finite, > 0; e.g. a phonon law).
    VN0, kappa_eV_inv_c2, v_minus_c : float
        As in :func:`conclusions_estimate`.
    T_range_K : (float, float)
        Bracket searched for the crossing.
    exact_prefactor : bool
        Include the ``pi/sqrt 2`` of Eqs. (22)/(44).

    Returns
    -------
    float
        ``T_c`` in kelvin: the threshold is met below it (for a rate growing with ``T``).

    Raises
    ------
    ParameterError
        If the ratio does not cross 1 inside ``T_range_K`` (the message says on which side it is).
    """
    from scipy.optimize import brentq

    if not callable(Gamma_of_T):
        raise ParameterError("Gamma_of_T", "must be a callable T[K] -> Gamma[eV]")
    lo, hi = (check_positive("T_range_K", t) for t in T_range_K)
    if not hi > lo:
        raise ParameterError("T_range_K", f"must be an increasing pair (got {T_range_K!r})")

    def f(T: float) -> float:
        G = Gamma_of_T(T)
        try:
            G = check_positive("Gamma_of_T", G)
        except ParameterError:
            raise ParameterError("Gamma_of_T", f"returned {G!r} at T = {T} K; must be finite and > 0 (eV)") from None
        return math.log(threshold_ratio(VN0, kappa_eV_inv_c2, G, v_minus_c, exact_prefactor))

    flo, fhi = f(lo), f(hi)
    if flo * fhi > 0:
        where = "met" if flo > 0 else "not met"
        raise ParameterError("T_range_K", f"the threshold is {where} on the whole range {lo:g}-{hi:g} K; widen it")
    return float(brentq(f, lo, hi, xtol=1e-12, rtol=1e-12))
