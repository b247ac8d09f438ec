"""Sect. III numerically: the optically pumped two-band semiconductor (Eqs. (34)-(46)).

:class:`PumpingModel` implements the model protocol of :mod:`keldysh.paper.quadrature` and
:func:`keldysh.solve_gap`.  Near the surface S (``E_1(k) + E_2(-k) = 0``) with ``q`` the
momentum perpendicular to S::

    E_1(q)  = E1_S + v_1 q + kappa_1 q^2,     E_2(-q) = -E1_S + v_2 q + kappa_2 q^2,
    E(q)    = E_1 + E_2(-q) = v_+ q + kappa_+ q^2,

``v_{1,2} = (v_+ -+ v_-)/2``, ``kappa_{1,2} = (kappa_+ -+ kappa_-)/2``; the quasi-equilibrium
occupations (Eq. (34)) ``f_1 = n_F(E_1 - mu_1)``, ``f_2 = n_F(E_2(-q) - mu_2)`` at temperature
``T`` and ``N(q) = f_1 + f_2 - 1`` (Eq. (44)).  The measure is ``(dk) = N0 |v_-| dq`` with the
paper's 1D reduction ``N0 |v_-| = 1/(2 pi)`` by default (as for :class:`~keldysh.paper.params.LaserModel`).

The gap equation (Eq. (41), derived in :mod:`keldysh.paper.symbolic.pumping`) is
``1 + V int (dk) g = 0`` with ``g = E x / (E^2 + Gamma_12^2)`` and::

    x = N Gamma_1 Gamma_2 (E^2 + Gamma_12^2)
        / (Gamma_1 Gamma_2 (E^2 + Gamma_12^2) + Gamma Gamma_12 |Delta|^2),   Gamma = Gamma_1 + Gamma_2 .

V > 0 is attractive (package convention).  The closed forms below are the derived ones; the
printed variants are kept as ``*_printed`` for comparison.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from keldysh.errors import ParameterError, check_finite, check_magnitude, check_nonnegative, check_positive
from keldysh.paper.params import NearResonanceMeasure, fermi

__all__ = [
    "PumpingModel",
    "DEFAULTS",
    "PRESETS",
    "model_from_options",
    "kernel_exact",
    "kernel_printed",
    "kernel_func",
    "N_on_surface",
    "sign_rule_eq43",
    "quartic_integral",
    "gap_rhs_eq42",
    "gap_rhs_eq42_printed",
    "V_c_eq44",
    "delta_eq45",
    "delta_eq45_printed",
    "delta_cutoff",
    "v_plus_bound_eq46",
    "v_plus_bound_eq46_printed",
    "line_integral",
    "gap_rhs_max",
]

#: Default parameters (dimensionless; energies in the unit of :mod:`keldysh.paper.units`).
DEFAULTS: dict[str, float] = {
    "mu1": 0.0,
    "mu2": 2.0,
    "T": 0.05,
    "Gamma1": 0.004,
    "Gamma2": 0.006,
    "Gamma12": 0.01,
    "v_plus": 0.0,
    "v_minus": 10.0,
    "kappa_plus": -50.0,
    "kappa_minus": 0.0,
    "E1_S": -1.0,
    "kmax": 0.2,
}


@dataclass(frozen=True)
class PumpingModel(NearResonanceMeasure):
    """Optically pumped two-band semiconductor of Sect. III (Eqs. (34)-(41)).

    Parameters
    ----------
    mu1, mu2 : float
        Quasi-chemical potentials of bands 1 and 2 (Eq. (34)), measured from the gate
        potential ``mu = 0``.
    T : float
        Lattice temperature (>= 0), enters ``n_F`` of Eq. (34).
    Gamma1, Gamma2 : float
        Intraband relaxation rates (> 0): populations relax at ``2 Gamma_a`` (Eq. (35)).
    Gamma12 : float
        Decay rate of the pair amplitude (> 0; Eq. (35)).  ``Gamma12 = Gamma1 + Gamma2`` is the
        Lindblad value; a larger one is a pure pair dephasing (see
        :mod:`keldysh.paper.symbolic.pumping`).
    v_plus, kappa_plus : float
        ``E = E_1(k) + E_2(-k) = v_+ q + kappa_+ q^2`` near S.
    v_minus, kappa_minus : float
        ``v_- = v_2 - v_1``, ``kappa_- = kappa_2 - kappa_1``: how ``E_1`` and ``E_2(-k)``
        separately vary across S (they enter only through ``N(q)``); ``v_minus != 0``.
    E1_S : float
        Energy of band 1 on S (band 2 has ``-E1_S`` there).
    kmax : float
        Momentum cutoff ``|q| <= kmax``.
    N0 : float or None
        Density of states at S; ``None`` is the 1D reduction ``(dk) = dq/(2 pi)``.
    """

    mu1: float = DEFAULTS["mu1"]
    mu2: float = DEFAULTS["mu2"]
    T: float = DEFAULTS["T"]
    Gamma1: float = DEFAULTS["Gamma1"]
    Gamma2: float = DEFAULTS["Gamma2"]
    Gamma12: float = DEFAULTS["Gamma12"]
    v_plus: float = DEFAULTS["v_plus"]
    kappa_plus: float = DEFAULTS["kappa_plus"]
    v_minus: float = DEFAULTS["v_minus"]
    kappa_minus: float = DEFAULTS["kappa_minus"]
    E1_S: float = DEFAULTS["E1_S"]
    kmax: float = DEFAULTS["kmax"]
    N0: float | None = None
    name: str = field(default="pumping", compare=False)

    def __post_init__(self) -> None:
        for nm in ("mu1", "mu2", "v_plus", "kappa_plus", "kappa_minus", "E1_S"):
            object.__setattr__(self, nm, check_finite(nm, getattr(self, nm)))
        for nm in ("Gamma1", "Gamma2", "Gamma12", "kmax"):
            object.__setattr__(self, nm, check_positive(nm, getattr(self, nm)))
        object.__setattr__(self, "T", check_nonnegative("T", self.T))
        vm = check_finite("v_minus", self.v_minus)
        if vm == 0:
            raise ParameterError("v_minus", "must be non-zero (the density of states N0 = 1/(2 pi |v_-|) diverges)")
        object.__setattr__(self, "v_minus", vm)
        if self.N0 is not None:
            object.__setattr__(self, "N0", check_positive("N0", self.N0))
        # the range of LaserModel: |x| <= 1e6 keeps the closed forms finite, rates >= 1e-30 above underflow
        for nm in ("mu1", "mu2", "v_plus", "v_minus", "kappa_plus", "kappa_minus", "E1_S", "T", "kmax", "N0"):
            if getattr(self, nm) is not None:
                check_magnitude(nm, getattr(self, nm), hi=1e6)
        for nm in ("Gamma1", "Gamma2", "Gamma12"):
            check_magnitude(nm, getattr(self, nm), hi=1e6, lo=1e-30)
        if self.kappa_plus == 0 and self.v_plus == 0:
            raise ParameterError(
                "kappa_plus", "E = v_+ q + kappa_+ q^2 vanishes identically; give kappa_plus or v_plus != 0"
            )

    # ------------------------------------------------------------------ derived
    @property
    def Gamma(self) -> float:
        """``Gamma = Gamma1 + Gamma2`` (``gamma_a = Gamma_a / Gamma``, Eq. (37))."""
        return self.Gamma1 + self.Gamma2

    @property
    def gamma1(self) -> float:
        return self.Gamma1 / self.Gamma

    @property
    def gamma2(self) -> float:
        return self.Gamma2 / self.Gamma

    @property
    def v1(self) -> float:
        return (self.v_plus - self.v_minus) / 2

    @property
    def v2(self) -> float:
        return (self.v_plus + self.v_minus) / 2

    @property
    def kappa1(self) -> float:
        return (self.kappa_plus - self.kappa_minus) / 2

    @property
    def kappa2(self) -> float:
        return (self.kappa_plus + self.kappa_minus) / 2

    # ------------------------------------------------------------------ model protocol
    def _fermi_steps(self) -> list[float]:
        import numpy as np

        out = []
        for c0, c1, c2 in ((self.E1_S - self.mu1, self.v1, self.kappa1), (-self.E1_S - self.mu2, self.v2, self.kappa2)):
            roots = np.roots([c2, c1, c0]) if c2 != 0 else (np.array([-c0 / c1]) if c1 != 0 else np.array([]))
            for r in np.atleast_1d(roots):
                if abs(r.imag) < 1e-12 and -self.kmax <= r.real <= self.kmax:
                    out.append((float(r.real), abs(c1 + 2 * c2 * r.real)))
        return out

    def grid_scales(self) -> list[tuple[float, float]]:
        """Features: ``E ~ kappa_+ q^2`` on ``sqrt(Gamma12/|kappa_+|)``, ``v_+ q`` on ``Gamma12/|v_+|``,
        the second zero of ``E`` at ``-v_+/kappa_+``, and the Fermi steps of ``N(q)``."""
        G = self.Gamma12
        out = []
        if self.kappa_plus != 0:
            out.append((0.0, math.sqrt(G / abs(self.kappa_plus))))
        if self.v_plus != 0:
            out.append((0.0, G / abs(self.v_plus)))
            if self.kappa_plus != 0:
                out.append((-self.v_plus / self.kappa_plus, G / abs(self.v_plus)))
        for centre, slope in self._fermi_steps():
            width = max(self.T, G) / slope if slope > 0 else G
            out.append((centre, width))
        return out

    def grid_fields(self, q) -> dict[str, Any]:
        """``E, E1, E2m`` (= ``E_2(-q)``), ``f1, f2`` (Eq. (34)) and ``N = f1 + f2 - 1`` on the nodes."""
        import numpy as np

        q = np.asarray(q, dtype=float)
        E1 = self.E1_S + self.v1 * q + self.kappa1 * q**2
        E2m = -self.E1_S + self.v2 * q + self.kappa2 * q**2
        f1 = fermi(E1 - self.mu1, self.T)
        f2 = fermi(E2m - self.mu2, self.T)
        return {"E": E1 + E2m, "E1": E1, "E2m": E2m, "f1": f1, "f2": f2, "N": f1 + f2 - 1.0}

    def gap_methods(self) -> dict[str, Callable]:
        """``"exact"``: the derived Eq. (41) (default); ``"printed"``: Eq. (41) as printed."""
        return {"exact": kernel_exact, "printed": kernel_printed}

    def sign_rule_note(self) -> str:
        """The paper's sign rule for this model, for messages (Eq. (43))."""
        N = N_on_surface(self)
        return (
            f"Eq. (43): sgn V = -sgn(kappa_+) sgn(N) = {-int(math.copysign(1, self.kappa_plus)):+d} x "
            f"{(0 if N == 0 else int(math.copysign(1, N))):+d} (N = {N:.6g} on S)"
        )

    def threshold_note(self) -> str:
        """Which printed threshold the numerical V_c corresponds to (Eq. (44))."""
        return "Eq. (44) at this cutoff"

    def to_dict(self) -> dict[str, Any]:
        out = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        out.update(
            model="pumping",
            Gamma=self.Gamma,
            gamma1=self.gamma1,
            gamma2=self.gamma2,
            N0_eff=self.N0_eff,
            N_S=N_on_surface(self),
        )
        return out


#: Named parameter sets.
PRESETS: dict[str, PumpingModel] = {
    "pumping": PumpingModel(),
    # Gamma12 != Gamma: separates the derived Eqs. (37), (45) from the printed ones
    "pumping-dephased": PumpingModel(Gamma12=0.03, name="pumping-dephased"),
}


def model_from_options(options: dict[str, float | None]) -> PumpingModel:
    """Build a :class:`PumpingModel` from CLI-style options (``None`` = default, see :data:`DEFAULTS`).

    Recognised keys: the keys of :data:`DEFAULTS` and ``N0``; unknown keys raise ParameterError.
    """
    allowed = set(DEFAULTS) | {"N0"}
    kw: dict[str, Any] = {}
    for key, val in options.items():
        if key not in allowed:
            raise ParameterError(
                key, f"not a parameter of the pumping model (choose from {', '.join(sorted(allowed))})"
            )
        if val is not None:
            kw[key] = val
    return PumpingModel(**kw)


# ------------------------------------------------------------------ kernels (Eq. (41))
def kernel_func() -> Callable:
    """NumPy callable of the derived kernel ``g(E, |Delta|, Gamma1, Gamma2, Gamma12, N)`` (Eq. (41))."""
    from keldysh.paper.build import lambdified

    def expr():
        from keldysh.paper.symbolic.pumping import gap_kernel_expr

        return gap_kernel_expr()

    def args():
        from keldysh.paper import symbols as S
        from keldysh.paper.symbolic.pumping import Gamma12, Ncal

        return (S.E, S.Delta_abs, S.Gamma1, S.Gamma2, Gamma12, Ncal)

    return lambdified("pumping_gap_kernel", expr, args)


def kernel_exact(model: PumpingModel, grid: Any, delta: float) -> Any:
    """Kernel of the derived gap equation (41): ``g = E x / (E^2 + Gamma12^2)``, finite at ``delta = 0``."""
    import numpy as np

    fn = kernel_func()
    return np.asarray(
        fn(grid.E, float(delta), model.Gamma1, model.Gamma2, model.Gamma12, grid.N), dtype=float
    ) * np.ones_like(grid.q)


def kernel_printed(model: PumpingModel, grid: Any, delta: float) -> Any:
    """Eq. (41) as printed: ``a E N / (a (E^2 + Gamma12^2) + |Delta|^2)``, ``a = g1 g2 (Gamma/Gamma12)^2``."""
    a = model.gamma1 * model.gamma2 * (model.Gamma / model.Gamma12) ** 2
    E = grid.E
    return a * E * grid.N / (a * (E**2 + model.Gamma12**2) + delta**2)


# ------------------------------------------------------------------ closed forms (Eqs. (42)-(46))
def N_on_surface(model: PumpingModel) -> float:
    """``N = n_F(E_1, mu_1) + n_F(E_2(-k), mu_2) - 1`` on S (``q = 0``; Eq. (44))."""
    f = model.grid_fields([0.0])
    return float(f["N"][0])


def sign_rule_eq43(model: PumpingModel) -> int:
    """Eq. (43): the sign V must have, ``sgn V = -sgn(kappa_+) sgn(N)`` (0 if ``N = 0``)."""
    N = N_on_surface(model)
    return int(-math.copysign(1, model.kappa_plus) * (0 if N == 0 else math.copysign(1, N)))


def quartic_integral(kappa: float, B: float, U: float | None = None) -> float:
    """``int_{-U}^{U} kappa q^2 / (kappa^2 q^4 + B^2) dq`` (``U = None``: the real line, ``pi/sqrt 2`` form).

    Closed form of :func:`keldysh.paper.symbolic.pumping.quartic_integral_expr` (Eqs. (42), (A13)-(A15)).
    """
    kappa = check_finite("kappa", kappa)
    B = check_positive("B", B)
    if kappa == 0:
        return 0.0
    pref = math.copysign(1.0, kappa) / math.sqrt(abs(kappa) * B)
    if U is None:
        return pref * math.pi / math.sqrt(2.0)
    u = check_positive("U", U) * math.sqrt(abs(kappa) / B)
    r2 = math.sqrt(2.0)
    twoJ = (
        0.5 * math.log((u * u - r2 * u + 1) / (u * u + r2 * u + 1)) + math.atan(r2 * u + 1) + math.atan(r2 * u - 1)
    ) / r2
    return pref * twoJ


def _B(model: PumpingModel, delta: float) -> float:
    """``B^2 = Gamma12^2 + |Delta|^2 Gamma12 Gamma / (Gamma1 Gamma2)`` (derived Eq. (41) with ``E = kappa q^2``)."""
    return math.sqrt(model.Gamma12**2 + delta**2 * model.Gamma12 * model.Gamma / (model.Gamma1 * model.Gamma2))


def gap_rhs_eq42(model: PumpingModel, V: float, delta: float, kmax: float | None = None) -> float:
    """Derived Eq. (42): ``R`` in ``1 = R`` with ``E = kappa_+ q^2``, ``N`` uniform (``kmax=None``: infinite line).

    ``R = -V N0|v_-| N sgn(kappa_+) (pi/sqrt 2) |kappa_+|^(-1/2) (g1 g2 Gamma/Gamma12)^(1/4)
    / (|Delta|^2 + g1 g2 Gamma Gamma12)^(1/4)``.
    """
    V = check_finite("V", V)
    delta = check_nonnegative("delta", delta)
    return -V * model.q_weight * N_on_surface(model) * quartic_integral(model.kappa_plus, _B(model, delta), kmax)


def gap_rhs_eq42_printed(model: PumpingModel, V: float, delta: float) -> float:
    """Eq. (42) as printed (``(Gamma/Gamma12)^(1/2)`` and ``g1 g2 Gamma^2``)."""
    g12 = model.gamma1 * model.gamma2
    return (
        -math.pi
        / math.sqrt(2)
        * model.q_weight
        * V
        * math.copysign(1, model.kappa_plus)
        / math.sqrt(abs(model.kappa_plus))
        * g12**0.25
        * math.sqrt(model.Gamma / model.Gamma12)
        * N_on_surface(model)
        / (delta**2 + g12 * model.Gamma**2) ** 0.25
    )


def V_c_eq44(model: PumpingModel, kmax: float | None = None) -> float:
    """Eq. (44): ``V_c''' = (sqrt 2/pi) sqrt(|kappa_+| Gamma12) / (N0 |v_-| |N|)`` (``kmax=None``).

    With ``kmax`` the momentum integral is cut at ``|q| <= kmax`` (closed form); ``inf`` when
    ``N = 0`` (no population imbalance, no pairing).
    """
    N = N_on_surface(model)
    if N == 0 or model.kappa_plus == 0:
        return math.inf
    return 1.0 / abs(model.q_weight * N * quartic_integral(model.kappa_plus, model.Gamma12, kmax))


def delta_eq45(model: PumpingModel, V: float) -> float:
    """Derived Eq. (45): ``|Delta| = sqrt(Gamma1 Gamma2 Gamma12 / Gamma) sqrt((V/V_c''')^4 - 1)`` (0 below threshold or wrong sign)."""
    V = check_finite("V", V)
    Vc = V_c_eq44(model)
    if math.copysign(1, V) != sign_rule_eq43(model) or abs(V) <= Vc:
        return 0.0
    return math.sqrt(model.Gamma1 * model.Gamma2 * model.Gamma12 / model.Gamma) * math.sqrt((V / Vc) ** 4 - 1)


def delta_eq45_printed(model: PumpingModel, V: float) -> float:
    """Eq. (45) as printed: ``sqrt(g1 g2) Gamma sqrt((V/V_c''')^4 - 1)``."""
    V = check_finite("V", V)
    Vc = V_c_eq44(model)
    if math.copysign(1, V) != sign_rule_eq43(model) or abs(V) <= Vc:
        return 0.0
    return math.sqrt(model.gamma1 * model.gamma2) * model.Gamma * math.sqrt((V / Vc) ** 4 - 1)


def delta_cutoff(model: PumpingModel, V: float) -> float:
    """``|Delta|`` from Eq. (42) with the cutoff ``|q| <= kmax`` kept (closed-form integral, 1D root in ``B``)."""
    from scipy.optimize import brentq

    V = check_finite("V", V)
    N = N_on_surface(model)
    if N == 0 or math.copysign(1, V) != sign_rule_eq43(model):
        return 0.0
    c = abs(V * model.q_weight * N)
    F = lambda B: c * abs(quartic_integral(model.kappa_plus, B, model.kmax)) - 1.0  # noqa: E731 decreasing in B
    G12 = model.Gamma12
    if F(G12) <= 0:
        return 0.0
    hi = 2 * G12
    while F(hi) > 0:
        hi *= 2
        if hi > 1e300:
            raise ParameterError("V", "no finite gap: the cutoff integral does not decay")
    B = brentq(F, G12, hi, rtol=1e-14, xtol=1e-300)
    return math.sqrt(max(B * B - G12 * G12, 0.0) * model.Gamma1 * model.Gamma2 / (G12 * model.Gamma))


def v_plus_bound_eq46(model: PumpingModel, V: float) -> float:
    """Derived Eq. (46): results unchanged for ``|v_+| << sqrt(|kappa_+| Gamma12) |V| / V_c'''``.

    ``sqrt(|kappa_+| B)`` with ``B = Gamma12 (V/V_c''')^2`` the width of ``E`` at the solution.
    """
    V = check_finite("V", V)
    return math.sqrt(abs(model.kappa_plus) * model.Gamma12) * abs(V) / V_c_eq44(model)


def v_plus_bound_eq46_printed(model: PumpingModel, V: float) -> float:
    """Eq. (46) as printed: ``sqrt(|kappa_+| Gamma) |V| / V_c'''``."""
    V = check_finite("V", V)
    return math.sqrt(abs(model.kappa_plus) * model.Gamma) * abs(V) / V_c_eq44(model)


def line_integral(kappa: float, v_plus: float, B: float) -> float:
    """``int_R dq E/(E^2 + B^2)`` for ``E = v_+ q + kappa q^2`` in closed form (used for Eq. (46)).

    ``E - iB = kappa u^2 - w`` with ``u = q + v_+/(2 kappa)`` and ``w = v_+^2/(4 kappa) + iB``, so the
    integral is ``Re[i pi / sqrt(kappa w)]`` (``kappa > 0``, root in the upper half plane) or
    ``Re[-pi / sqrt(|kappa| w)]`` (``kappa < 0``, principal root).
    """
    import cmath

    kappa = check_finite("kappa", kappa)
    v_plus = check_finite("v_plus", v_plus)
    B = check_positive("B", B)
    if kappa == 0:
        raise ParameterError("kappa", "must be non-zero")
    w = v_plus * v_plus / (4 * kappa) + 1j * B
    if kappa > 0:
        r = cmath.sqrt(kappa * w)
        r = r if r.imag > 0 else -r
        return (1j * math.pi / r).real
    return (-math.pi / cmath.sqrt(-kappa * w)).real


def gap_rhs_max(model: PumpingModel, V: float) -> tuple[float, float]:
    """``max_{B >= Gamma12} |V| N0|v_-| |N| |I(B)|`` on the real line, ``I`` of :func:`line_integral` (Eq. (46)).

    The derived Eq. (41) with ``E = v_+ q + kappa_+ q^2`` and uniform ``N`` reads
    ``1 = |V| N0|v_-| |N| |I(B)|`` with ``B^2 = Gamma12^2 + |Delta|^2 Gamma Gamma12/(Gamma1 Gamma2)``,
    so a non-zero ``|Delta|`` exists iff the maximum is >= 1.  Returns ``(maximum, B_at_max)``.
    The unconstrained maximum over ``B`` is ``(pi/sqrt 2) |V| N0|v_-| |N| / |v_+|``: the existence
    condition is exactly ``|v_+| <= sqrt(|kappa_+| Gamma12) |V| / V_c`` (Eq. (46) derived, ``V_c`` of
    Eq. (44)) whenever the maximiser lies above ``Gamma12``.
    """
    import numpy as np
    from scipy.optimize import minimize_scalar

    V = check_finite("V", V)
    c = abs(V * model.q_weight * N_on_surface(model))
    f = lambda lb: -c * abs(line_integral(model.kappa_plus, model.v_plus, math.exp(lb)))  # noqa: E731
    lo = math.log(model.Gamma12)
    grid = lo + np.linspace(0.0, 30.0, 301)
    vals = [f(x) for x in grid]
    i = int(np.argmin(vals))
    if i == 0:
        return -vals[0], model.Gamma12
    a, b = grid[max(i - 1, 0)], grid[min(i + 1, len(grid) - 1)]
    res = minimize_scalar(f, bounds=(a, b), method="bounded", options={"xatol": 1e-12})
    return -float(res.fun), math.exp(float(res.x))
