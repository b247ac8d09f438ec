"""The conventions of docs/conventions.md, tested.

- s21 = <c_k^2+ c_{-k}^1+> and Eq. (2)'s pairing term equals -Delta sum c_k^2+ c_{-k}^1+ + h.c.
- rates: Eq. (5) with dissipator rate 2 Gamma_a gives -2 Gamma_a (n - f) and coherence decay Gamma1 + Gamma2.
- V > 0 attractive: with an attractive BCS-like check (the equilibrium-like sign of the gap equation).
"""

import sympy as sp

from keldysh.paper import symbols as S
from keldysh.paper.symbolic import fermions as F
from keldysh.paper.symbolic import master as M


def test_eq2_pairing_term_is_minus_delta_c2dag_c1dag():
    H = M.pair_hamiltonian("rwa")
    # remove the normal part: keep words with two creators or two annihilators
    pairing = {w: c for w, c in H.items() if len(w) == 2 and w[0][1] == w[1][1]}
    expected = F.add(
        F.scale(F.mul(F.cdag(M.K2), F.cdag(M.MK1)), -S.Delta),
        F.scale(F.mul(F.cdag(M.MK2), F.cdag(M.K1)), -S.Delta),
    )
    expected = F.add(expected, F.dagger(expected))
    diff = F.add(pairing, F.scale(F.normal_order(expected), -1))
    assert all(sp.simplify(c) == 0 for c in diff.values())


def test_rates_factor_two():
    eq = M.rwa_eom(2)
    n11, n22, n21, s21 = M.paper_variables()
    assert sp.simplify(eq["n11"].coeff(n11) + 2 * S.Gamma1) == 0
    assert sp.simplify(eq["n21"].coeff(n21) - (sp.I * (S.Et2 - S.Et1) - S.Gamma1 - S.Gamma2)) == 0
    # with the printed rate (factor 1) populations would relax at Gamma_1 only
    assert sp.simplify(M.rwa_eom(1)["n11"].coeff(n11) + S.Gamma1) == 0


def test_s21_steady_state_eq10():
    ratio = M.anomalous_expr() / sp.Symbol("x")
    expected = -sp.Symbol("Deltabar") / (S.E + sp.I * (S.Gamma1 + S.Gamma2))
    assert sp.simplify(ratio - expected) == 0


def test_eq11_12_exact_at_zero_temperature():
    x = M.population_deviation_expr("eq11")
    G = S.Gamma1 + S.Gamma2
    g1, g2 = S.Gamma1 / G, S.Gamma2 / G
    L = S.Omega**2 / (S.eps**2 + G**2)
    D = S.Delta_abs
    Xi = 4 * g1 * g2 + 4 * D**2 / (S.E**2 + G**2) + L * (1 + 4 * D**2 / (S.E**2 + G**2))
    printed = (g1 - g2) / Xi * L
    # distinct primes instead of simplify (exact rational arithmetic)
    for vals in (
        {S.E: 3, S.eps: 5, S.Gamma1: 7, S.Gamma2: 11, S.Omega: 13, D: 17},
        {S.E: -2, S.eps: 19, S.Gamma1: 23, S.Gamma2: 29, S.Omega: 31, D: 37},
    ):
        assert sp.nsimplify(x.subs(vals) - printed.subs(vals)) == 0
