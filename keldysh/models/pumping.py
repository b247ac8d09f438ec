"""Sect. III as an engine model: the optically pumped two-band semiconductor (Eqs. (34)-(41)).

One block per momentum with the two modes that pair, ``c_k^1`` (energy ``E_1(q)``) and
``c_{-k}^2`` (energy ``E_2(-q)``), the pairing of Eq. (2) (``-Delta c_{-k}^{2+} c_k^{1+} + h.c.``),
intraband relaxation towards the quasi-equilibria of Eq. (34) (jumps ``c^+`` at
``2 Gamma_a f_a``, ``c`` at ``2 Gamma_a (1 - f_a)``, ``f_a = n_F(E_a - mu_a, T)``), the pair
dephasing that makes the pair decay at ``Gamma_12`` (a Hermitian jump ``n_k^1 + n_{-k}^2`` at
rate ``(Gamma_12 - Gamma_1 - Gamma_2)/2``, completely positive for ``Gamma_12 >= Gamma_1 + Gamma_2``),
and the self-consistency ``Delta = V int (dk) <c_k^1 c_{-k}^2>`` (Eq. (17) for this pair).
"""

from __future__ import annotations

from functools import cache

import sympy as sp

__all__ = ["pumping_model", "pumping_values"]

q = sp.Symbol("q", real=True)
E1S, vp, vm, kp, km, mu1, mu2 = sp.symbols("E_1S v_+ v_- kappa_+ kappa_- mu_1 mu_2", real=True)
T = sp.Symbol("T", nonnegative=True)
Gamma1, Gamma2, Gamma12 = sp.symbols("Gamma_1 Gamma_2 Gamma_12", positive=True)
kmax, weight = sp.symbols("k_max w_q", positive=True)
V = sp.Symbol("V", real=True)
Delta = sp.Symbol("Delta")


@cache
def pumping_model():
    """The Sect. III model as a :class:`keldysh.MeanFieldModel`."""
    from keldysh.engine import Lindbladian, fermi, fermions
    from keldysh.meanfield import MeanFieldModel

    a, b = fermions("c_k^1 c_-k^2")
    E1 = E1S + (vp - vm) / 2 * q + (kp - km) / 2 * q**2
    E2m = -E1S + (vp + vm) / 2 * q + (kp + km) / 2 * q**2
    f1, f2 = fermi(E1 - mu1, T), fermi(E2m - mu2, T)
    H = E1 * a.dag() * a + E2m * b.dag() * b - Delta * b.dag() * a.dag() - sp.conjugate(Delta) * a * b
    jumps = [
        (2 * Gamma1 * f1, a.dag()),
        (2 * Gamma1 * (1 - f1), a),
        (2 * Gamma2 * f2, b.dag()),
        (2 * Gamma2 * (1 - f2), b),
        ((Gamma12 - Gamma1 - Gamma2) / 2, a.dag() * a + b.dag() * b),
    ]
    L = Lindbladian(H, jumps)
    return MeanFieldModel(
        L,
        order_parameter=Delta,
        coupling=V,
        self_consistency=V * L.mean(a * b),
        momentum=q,
        domain=(-kmax, kmax),
        measure=weight,
    )


def pumping_values(m) -> dict[sp.Symbol, float]:
    """Values of :func:`pumping_model`'s parameters for a :class:`keldysh.paper.pumping.PumpingModel`."""
    from keldysh.errors import ParameterError

    if m.Gamma12 < m.Gamma1 + m.Gamma2:
        raise ParameterError("Gamma12", "the Lindblad form needs Gamma12 >= Gamma1 + Gamma2 (pair dephasing rate >= 0)")
    return {
        E1S: m.E1_S,
        vp: m.v_plus,
        vm: m.v_minus,
        kp: m.kappa_plus,
        km: m.kappa_minus,
        mu1: m.mu1,
        mu2: m.mu2,
        T: m.T,
        Gamma1: m.Gamma1,
        Gamma2: m.Gamma2,
        Gamma12: m.Gamma12,
        kmax: m.kmax,
        weight: m.q_weight,
    }
