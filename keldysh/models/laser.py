"""Sect. II as an engine model: the laser-driven two-band semiconductor (Eqs. (2), (5), (9), (17)).

One block per momentum pair ``(k, -k)`` with modes ``c_k^1, c_k^2, c_{-k}^1, c_{-k}^2`` (both at the
distance ``q`` from the resonant surface, ``E_a(k) = E_a(-k)``) in the
rotating frame of Eqs. (7)-(9) (``Etilde_a(q) = v_a q + kappa_a q^2``, static drive ``Omega/2``),
the pairing of Eq. (2) (``-Delta c_q^{2+} c_{-q}^{1+} - Delta c_{-q}^{2+} c_q^{1+} + h.c.``), the
reservoirs of Eq. (5) with the amplitude rates of ``docs/conventions.md`` (jumps ``c^+`` at
``2 Gamma_a f_a``, ``c`` at ``2 Gamma_a (1 - f_a)``), and the self-consistency of Eq. (17),
``Delta = V int (dk) conj(s21) = V int (dk) <c_{-q}^1 c_q^2>`` with ``(dk) = N0 |v_-| dq`` on
``|q| <= kmax``.  Everything else (equations of motion, steady state, Green's functions,
both conditions) comes from the engine and :mod:`keldysh.meanfield`.
"""

from __future__ import annotations

from functools import cache

import sympy as sp

from keldysh.paper.params import LaserModel

__all__ = ["laser_model", "laser_values"]

q = sp.Symbol("q", real=True)
v1, v2, kap1, kap2 = sp.symbols("v_1 v_2 kappa_1 kappa_2", real=True)
Omega = sp.Symbol("Omega", nonnegative=True)
Gamma1, Gamma2 = sp.symbols("Gamma_1 Gamma_2", positive=True)
f1, f2 = sp.symbols("f_1 f_2", real=True)
kmax, weight = sp.symbols("k_max w_q", positive=True)
V = sp.Symbol("V", real=True)
Delta = sp.Symbol("Delta")


@cache
def laser_model():
    """The Sect. II model as a :class:`keldysh.MeanFieldModel` (symbols above; ``f_a`` as parameters)."""
    from keldysh.engine import Lindbladian, fermions
    from keldysh.meanfield import MeanFieldModel

    a1, a2, b1, b2 = fermions("c_q^1 c_q^2 c_-q^1 c_-q^2")
    Et1 = lambda s: v1 * s + kap1 * s**2  # noqa: E731
    Et2 = lambda s: v2 * s + kap2 * s**2  # noqa: E731
    # q is the momentum perpendicular to the resonant surface: k and -k have the same q (E_a(k) = E_a(-k))
    H = (
        Et1(q) * a1.dag() * a1
        + Et2(q) * a2.dag() * a2
        + Et1(q) * b1.dag() * b1
        + Et2(q) * b2.dag() * b2
        + Omega / 2 * (a2.dag() * a1 + a1.dag() * a2 + b2.dag() * b1 + b1.dag() * b2)
        - Delta * (a2.dag() * b1.dag() + b2.dag() * a1.dag())
        - sp.conjugate(Delta) * (b1 * a2 + a1 * b2)
    )
    jumps = []
    for c, G, f in ((a1, Gamma1, f1), (b1, Gamma1, f1), (a2, Gamma2, f2), (b2, Gamma2, f2)):
        jumps += [(2 * G * f, c.dag()), (2 * G * (1 - f), c)]
    L = Lindbladian(H, jumps)
    return MeanFieldModel(
        L,
        order_parameter=Delta,
        coupling=V,
        self_consistency=V * L.mean(b1 * a2),
        momentum=q,
        domain=(-kmax, kmax),
        measure=weight,
    )


def laser_values(m: LaserModel) -> dict[sp.Symbol, float]:
    """Values of :func:`laser_model`'s parameters for a near-resonance :class:`LaserModel` at ``T = 0``.

    At ``T = 0`` without ``omega0`` the lower band is full and the upper one empty
    (``f_1 = 1``, ``f_2 = 0``), as in the paper's figures.
    """
    from keldysh.errors import ParameterError

    if m.isotropic or m.T != 0:
        raise ParameterError("model", "laser_values covers the near-resonance model at T = 0")
    return {
        v1: m.v1,
        v2: m.v2,
        kap1: m.kappa1,
        kap2: m.kappa2,
        Omega: m.Omega,
        Gamma1: m.Gamma1,
        Gamma2: m.Gamma2,
        f1: 1.0,
        f2: 0.0,
        kmax: m.kmax,
        weight: m.q_weight,
    }
