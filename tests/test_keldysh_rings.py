"""Ring series Eq. (52), resummation Eq. (53), expansion Eq. (54) and Eq. (55): exact checks at a
rational point made of distinct primes (no simplify needed: every comparison is exact arithmetic)."""

from __future__ import annotations

import pytest
import sympy as sp

from keldysh.paper import symbols as S
from keldysh.paper.symbolic import rings as R


@pytest.mark.slow  # exact residues of two ring orders (~2.5 s); the fast lane has the all-orders test below
def test_ring_terms_by_residues_equal_exact_taylor_coefficients():
    """n-ring terms (n = 1, 2) integrated exactly equal 4 Re a_{2n-1} of the exact s21 (Eq. (51) -> (18));
    the printed prefactor |Delta/2|^(2n-1) would be 4x too small at n = 2."""
    c = R.exact_ring_coefficients(2)
    a = R.nambu_taylor_exact(2)
    for ci, ai in zip(c, a):
        assert sp.nsimplify(sp.expand(ci - 4 * sp.re(ai))) == 0
    assert sp.nsimplify(sp.expand(c[1] / 4 - 4 * sp.re(a[1]))) != 0  # printed normalisation fails


def test_nambu_green_function_equals_master_to_all_orders():
    """Taylor coefficients of s21(Delta) to Delta^19 from the Nambu Green's functions (Dyson recursion,
    exact) equal those of the master equation (Eq. (9)): with both rational of degree <= 18 in total this
    proves the identity of the two functions at this point, i.e. all orders."""
    a = R.nambu_taylor_exact(10)
    b = R.master_taylor_exact(10)
    assert all(sp.nsimplify(sp.expand(x - y)) == 0 for x, y in zip(a, b))
    assert a[1] != 0  # the cubic coefficient is not trivially zero


def test_eq55_cubic_coefficient_limit():
    """x2/x0 -> -4/(E^2 + Gamma^2) as Omega -> infinity (the printed cubic term of Eq. (55), up to sign)."""
    lim = R.eq55_cubic_limit()
    assert sp.simplify(lim + 4 / (S.E**2 + (S.Gamma1 + S.Gamma2) ** 2)) == 0
    x0, x2 = R.cubic_coefficient_expr()
    # at finite Omega the ratio differs (prime point): the printed cubic term is only asymptotic
    sub = {
        S.E: sp.Rational(3, 7),
        S.eps: sp.Rational(-5, 11),
        S.Omega: sp.Rational(13, 17),
        S.Gamma1: sp.Rational(2, 19),
        S.Gamma2: sp.Rational(1, 23),
        S.f1: 1,
        S.f2: 0,
    }
    r = sp.nsimplify((x2 / x0).xreplace(sub))
    assert r != sp.nsimplify((-4 / (S.E**2 + (S.Gamma1 + S.Gamma2) ** 2)).xreplace(sub))
