"""A textbook example as an engine model: the BCS pair ``(c_k, c_{-k})`` with reservoirs.

``xi = k^2/2 - mu``, pairing ``Delta c_k^+ c_{-k}^+ + h.c.``, each mode filled at ``2 G n_F(xi, T)``
and emptied at ``2 G (1 - n_F(xi, T))``, self-consistency ``Delta = -V int_0^kmax dk/pi <c_{-k} c_k>``.
It is the model of the mean-field contract (``docs/meanfield.md``), where the population deviation
changes sign at the Fermi surface and the complete condition has a rotating solution.
"""

from __future__ import annotations

from functools import cache

import sympy as sp

__all__ = ["bcs_pair_model", "bcs_values"]

k = sp.Symbol("k", real=True)
mu, G, T, kmax, V = sp.symbols("mu G T k_max V", real=True)
Delta = sp.Symbol("Delta")


@cache
def bcs_pair_model():
    """The BCS pair with reservoirs as a :class:`keldysh.MeanFieldModel` (symbols above)."""
    from keldysh.engine import Lindbladian, fermi, fermions
    from keldysh.meanfield import MeanFieldModel

    ck, cmk = fermions("c_k c_mk")
    xi = k**2 / 2 - mu
    nF = fermi(xi, T)
    H = xi * (ck.dag() * ck + cmk.dag() * cmk) + Delta * ck.dag() * cmk.dag() + sp.conjugate(Delta) * cmk * ck
    L = Lindbladian(
        H, jumps=[(2 * G * nF, ck.dag()), (2 * G * (1 - nF), ck), (2 * G * nF, cmk.dag()), (2 * G * (1 - nF), cmk)]
    )
    return MeanFieldModel(
        L,
        order_parameter=Delta,
        coupling=V,
        self_consistency=-V * L.mean(cmk * ck),
        momentum=k,
        domain=(0, kmax),
        measure=1 / sp.pi,
    )


def bcs_values(mu_: float = 1.0, G_: float = 0.01, T_: float = 0.0, kmax_: float = 2.0) -> dict[sp.Symbol, float]:
    """Parameter values (default: the contract's ``mu = 1, G = 0.01, T = 0, k_max = 2``)."""
    return {mu: mu_, G: G_, T: T_, kmax: kmax_}
