"""Green's functions of Sect. IV (text after Eq. (54)), the Nambu structure behind Eq. (52), and the
exact frequency integrals (residues) -- each checked against an independent route."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp
from scipy.integrate import quad

from keldysh.paper import symbols as S
from keldysh.paper.symbolic import fermions as F
from keldysh.paper.symbolic import greens as Gr
from keldysh.paper.symbolic.residues import (
    lyapunov_solve,
    real_line_integral,
    real_line_integral_roots,
    real_line_integral_split,
)
from keldysh.paper.symbolic.rings import RATIONAL_POINT, _steady_f, _subs_map

SUB = _subs_map(RATIONAL_POINT)
W = sp.Rational(5, 31)


def _num(M: sp.Matrix) -> np.ndarray:
    return np.array(M.evalf(30).tolist(), dtype=complex)


def test_advanced_is_dagger_of_retarded():
    # exact rational arithmetic: any nonzero entry is a real failure
    GR = Gr.retarded(W).xreplace(SUB)
    GA = Gr.advanced(W).xreplace(SUB)
    assert (GA - GR.H).applyfunc(sp.nsimplify) == sp.zeros(2)


def test_keldysh_forms_differ_by_lyapunov_residual():
    """G^R F - F G^A - G^R Sigma^K G^A = G^R L[F] G^A for a generic Hermitian f (Eq. (54) text)."""
    sub = dict(SUB)
    sub.update(
        dict(
            zip(
                Gr.population_symbols(), [sp.Rational(2, 3), sp.Rational(1, 7), sp.Rational(1, 11), sp.Rational(-1, 13)]
            )
        )
    )
    lhs = (Gr.keldysh_paper(W) - Gr.keldysh_reservoir(W)).xreplace(sub)
    rhs = Gr.keldysh_difference(W).xreplace(sub)
    assert (lhs - rhs).applyfunc(lambda e: sp.nsimplify(sp.expand(e))) == sp.zeros(2)
    assert Gr.lyapunov_residual().xreplace(sub) != sp.zeros(2)  # a generic f is not the steady state


def test_master_steady_state_solves_lyapunov_and_transpose_does_not():
    """The Delta = 0 steady state of Eq. (9) (from keldysh.paper.symbolic.master) solves L[F] = 0 exactly;
    f^T and diag(f1, f2) do not (then the two G^K differ by G^R L[F] G^A)."""
    f = Gr.population_matrix("steady").xreplace(SUB)
    assert Gr.lyapunov_residual(f).xreplace(SUB).applyfunc(sp.nsimplify) == sp.zeros(2)
    assert (f - _steady_f(SUB)).applyfunc(lambda e: sp.nsimplify(sp.expand(e))) == sp.zeros(
        2
    )  # same as solving the 2x2 Lyapunov equation directly
    resT = Gr.lyapunov_residual(f.T).xreplace(SUB).applyfunc(sp.nsimplify)
    resD = Gr.lyapunov_residual(Gr.population_matrix("diagonal")).xreplace(SUB).applyfunc(sp.nsimplify)
    # transposing f flips Im n21: L[F^T] = 2 [H, F^T - F] ... nonzero off-diagonal
    assert resT[0, 1] != 0 and resD[0, 1] != 0
    # quantify: |G^K_paper(f^T) - G^K_res| relative to |G^K_res| at omega = 5/31
    dK = _num(Gr.keldysh_difference(W, f.T).xreplace(SUB))
    K = _num(Gr.keldysh_reservoir(W).xreplace(SUB))
    assert np.linalg.norm(dK) / np.linalg.norm(K) > 1e-3


def test_equal_time_keldysh_exact_and_quad():
    """int dw/2pi G^K = -i (1 - 2 f): by residues (exact) and by adaptive quad (1e-10 abs)."""
    f = _steady_f(SUB)
    w = S.omega
    GK = Gr.keldysh_reservoir(w).xreplace(SUB)
    target = -sp.I * (sp.eye(2) - 2 * f)
    for i in range(2):
        for j in range(2):
            val = real_line_integral(GK[i, j], w) / (2 * sp.pi)
            assert sp.nsimplify(sp.expand(val - target[i, j])) == 0
    fn = sp.lambdify(w, GK, "numpy")
    tgt = _num(target)
    for i, j in ((0, 0), (0, 1)):
        re = quad(lambda x: np.real(fn(x)[i][j]), -np.inf, np.inf, epsabs=1e-12, limit=400)[0]
        im = quad(lambda x: np.imag(fn(x)[i][j]), -np.inf, np.inf, epsabs=1e-12, limit=400)[0]
        # quad absolute accuracy ~1e-12 on a Lorentzian of width ~0.1: 1e-9 is conservative
        assert abs((re + 1j * im) / (2 * math.pi) - tgt[i, j]) < 1e-9


def test_fluctuation_dissipation_at_zero_drive():
    """At Omega = 0 the constant Sigma^K gives G^K = (G^R - G^A)(1 - 2 n_F(E_a)) exactly (band FDT);
    the equilibrium FDT with (1 - 2 n_F(omega)) differs by (G^R - G^A) 2 (n_F(omega) - n_F(E_a)), whose
    integral at T = 0, E_a < 0 is (2i/pi) arctan(Gamma_a/|E_a|) -> 0 only as Gamma_a/|E_a| -> 0."""
    sub = dict(SUB)
    sub[S.Omega] = 0
    w = S.omega
    GR, GA, GK = (X.xreplace(sub) for X in (Gr.retarded(w), Gr.advanced(w), Gr.keldysh_reservoir(w)))
    diff = (GK - (GR - GA) * Gr.equilibrium_F().xreplace(sub)).applyfunc(sp.cancel)
    assert diff == sp.zeros(2)
    # band 1 at lab energy E1 = -0.3 (f1 = 1), Gamma1 = 0.02: the non-Markov correction
    E1, G1 = -0.3, 0.02
    gra = lambda x: -2 * G1 / ((x - E1) ** 2 + G1**2)  # Im of (G^R - G^A)  # noqa: E731
    val = quad(lambda x: gra(x) * 2 * (0.0 - 1.0), 0.0, np.inf, epsabs=1e-13, limit=200)[0] / (2 * math.pi)
    assert abs(val - (2 / math.pi) * math.atan(G1 / abs(E1))) < 1e-10  # quad error ~1e-13


def test_hole_block_retarded():
    """-G^A(-omega)^T = (omega + H^T + i Gamma_hat)^-1: the hole line of Eq. (52)."""
    lhs = Gr.hole_retarded(W).xreplace(SUB)
    H = Gr.hamiltonian_matrix().xreplace(SUB)
    rhs = (W * sp.eye(2) + H.T + sp.I * Gr.gamma_matrix().xreplace(SUB)).inv()
    assert (lhs - rhs).applyfunc(lambda e: sp.nsimplify(sp.expand(e))) == sp.zeros(2)


def test_nambu_hamiltonian_matches_eq2_pair():
    """Psi^+ H_N Psi equals the rotating-frame pair Hamiltonian of Eq. (2) up to the constant tr H."""
    from keldysh.paper.symbolic.master import pair_hamiltonian

    HN = Gr.nambu_hamiltonian(S.Delta, "tilde")
    psi = [F.c(0), F.c(1), F.cdag(2), F.cdag(3)]
    psid = [F.cdag(0), F.cdag(1), F.c(2), F.c(3)]
    op = {}
    for i in range(4):
        for j in range(4):
            if HN[i, j] != 0:
                op = F.add(op, F.scale(F.mul(psid[i], psi[j]), HN[i, j]))
    diff = F.add(F.normal_order(op), F.scale(pair_hamiltonian("rwa", S.Delta), -1))
    diff = F.normal_order(diff)
    rest = {w: sp.simplify(cf) for w, cf in diff.items() if sp.simplify(cf) != 0}
    assert set(rest) <= {()}  # only a c-number survives
    assert sp.simplify(rest.get((), 0) + (S.Et1 + S.Et2)) == 0  # H_pair = Psi^+ H_N Psi + tr H


def test_residue_integral_multiple_poles_vs_quad_and_roots():
    w = sp.Symbol("omega", real=True)
    a, b = sp.Rational(3, 7), sp.Rational(2, 5)
    expr = (w**2 + 1) / ((w - a + sp.I * b) ** 3 * (w - 2 - 3 * sp.I) ** 2)
    val = complex(real_line_integral(expr, w))
    fn = sp.lambdify(w, expr, "numpy")
    re = quad(lambda x: np.real(fn(x)), -np.inf, np.inf, epsabs=1e-13, limit=400)[0]
    im = quad(lambda x: np.imag(fn(x)), -np.inf, np.inf, epsabs=1e-13, limit=400)[0]
    assert abs(val - (re + 1j * im)) < 1e-10  # quad abs error ~1e-13 per part
    simple = 1 / ((w - a + sp.I * b) * (w - 2 - 3 * sp.I) * (w + 1 - sp.I))
    assert abs(complex(real_line_integral(simple, w)) - real_line_integral_roots(simple, w)) < 1e-14
    with pytest.raises(ValueError):
        real_line_integral_split(w**2, w - sp.I, w + sp.I, w)  # not convergent


def test_lyapunov_is_resolvent_sandwich():
    """X solving M X - X M^+ = -i S equals int dw/2pi (w - M)^-1 S (w - M^+)^-1 (entry by residues)."""
    M = Gr.hamiltonian_matrix().xreplace(SUB) - sp.I * Gr.gamma_matrix().xreplace(SUB)
    Sm = Gr.sigma_keldysh().xreplace(SUB)
    X = lyapunov_solve(M, Sm)
    w = S.omega
    sandwich = (w * sp.eye(2) - M).inv() * Sm * (w * sp.eye(2) - M.H).inv()
    val = real_line_integral(sp.cancel(sandwich[0, 1]), w) / (2 * sp.pi)
    assert sp.nsimplify(sp.expand(val - X[0, 1])) == 0


def test_engine_kernel_of_the_pair_is_the_paper_nambu_matrix():
    """The engine's parity-graded kernel of the full (k, -k) Lindbladian (Eq. (5), rwa frame of Eq. (9)),
    restricted to the paper's Nambu spinor (c_k^1, c_k^2, c_-k^1+, c_-k^2+), equals the printed
    pair matrix H_N - i Gamma_N of Sect. IV (exact symbolic identity)."""
    from keldysh.engine import Lindbladian
    from keldysh.paper.symbolic import master as M

    QL = M.pair_lindbladian("rwa")
    L = Lindbladian(QL.H, QL.jumps, modes=[0, 1, 2, 3])
    K = L.retarded_kernel()
    idx = [0, 1, 4 + 2, 4 + 3]  # Psi = (c_0..c_3, c_0^+..c_3^+): c_k^1, c_k^2, c_-k^1+, c_-k^2+
    expected = Gr.nambu_hamiltonian(S.Delta, "tilde") - sp.I * Gr.nambu_gamma()
    diff = (K.extract(idx, idx) - expected).applyfunc(sp.simplify)
    assert diff == sp.zeros(4, 4)
    # and the 2 x 2 retarded function is the printed (omega - H + i Gamma_hat)^-1
    printed = (S.omega * sp.eye(2) - Gr.hamiltonian_matrix() + sp.I * sp.diag(S.Gamma1, S.Gamma2)).inv()
    assert (Gr.retarded() - printed).applyfunc(sp.simplify) == sp.zeros(2, 2)
