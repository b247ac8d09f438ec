"""Appendix (three-band model): Eqs. (A5)-(A15) against independent routes.

Routes: the derived bilinear equations (A11) vs an exact Lindblad steady state of the
three-level (one-electron) problem built directly with matrices; time integration of (A11)
vs the solved steady state (A12); the protocol solver vs adaptive quadrature; the numerics vs
the large-Rabi threshold (A15).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import quad, solve_ivp

from keldysh.errors import ParameterError
from keldysh.paper import threeband as TB
from keldysh.paper.solvers.gap import solve_gap as paper_solve_gap


def _x_closed(eps, Om, tau, G1, G2, G3):
    R = Om**2 / (2 * tau * (eps**2 + tau**-2))
    return -G1 * R / (G3 * (G1 + G2) + R * (G1 + 2 * G3))


# --------------------------------------------------------------------------- A11, A12
def _three_level_steady_state(eps, Om, tau, G1, G2, G3):
    """One electron in bands 1, 2, 3: 3x3 density matrix, jumps |3><2|, |1><2|, |1><3| and dephasing of |2>."""
    H = np.zeros((3, 3), dtype=complex)
    H[1, 1] = eps  # rotating frame, Etilde1 = 0, Etilde2 = eps; band 3 energy irrelevant (no coherence)
    H[0, 1] = H[1, 0] = Om / 2
    P = lambda i, j: np.outer(np.eye(3)[i], np.eye(3)[j]).astype(complex)  # noqa: E731  |i><j|
    gphi = 1 / tau - (G1 + G2) / 2
    assert gphi >= 0
    jumps = [(G1, P(2, 1)), (G2, P(0, 1)), (G3, P(0, 2)), (2 * gphi, P(1, 1))]
    I = np.eye(3)
    L = -1j * (np.kron(H, I) - np.kron(I, H.T))
    for r, X in jumps:
        XdX = X.conj().T @ X
        L += r * (np.kron(X, X.conj()) - 0.5 * np.kron(XdX, I) - 0.5 * np.kron(I, XdX.T))
    w, v = np.linalg.eig(L)
    rho = v[:, np.argmin(abs(w))].reshape(3, 3)
    return rho / np.trace(rho)


@pytest.mark.parametrize("eps", [0.0, 0.07, -0.3])
def test_a12_against_three_level_lindblad(eps):
    Om, tau, G1, G2, G3 = 0.4, 5.0, 0.05, 0.02, 0.03
    rho = _three_level_steady_state(eps, Om, tau, G1, G2, G3)
    x_mb = (rho[0, 0] + rho[1, 1] - 1).real
    # 9 x 9 eigenproblem: round-off 1e-13
    assert x_mb == pytest.approx(_x_closed(eps, Om, tau, G1, G2, G3), abs=1e-11)
    assert TB.population_deviation(
        TB.ThreeBandModel(Omega=Om, tau=tau, Gamma1=G1, Gamma2=G2, Gamma3=G3), eps
    ) == pytest.approx(x_mb, abs=1e-11)


def test_a11_time_evolution_conserves_number_and_relaxes():
    import sympy as sp

    from keldysh.paper import symbols as S
    from keldysh.paper.symbolic import threeband as T

    eqs = T.threeband_eom()
    vals = {S.Omega: 0.6, T.tau: 4.0, S.Gamma1: 0.2, S.Gamma2: 0.05, T.Gamma3: 0.1, S.Et1: 0.0, S.Et2: 0.15}
    a, b, c, re, im = sp.symbols("a b c re im", real=True)
    sub = {T.n11: a, T.n22: b, T.n33: c, T.n21: re + sp.I * im, T.n12: re - sp.I * im}
    rhs = [sp.expand(eqs[k].xreplace(vals).xreplace(sub)) for k in ("n11", "n22", "n33", "n21")]
    f = sp.lambdify((a, b, c, re, im), [rhs[0], rhs[1], rhs[2], sp.re(rhs[3]), sp.im(rhs[3])])
    sol = solve_ivp(lambda t, y: np.real(f(*y)), (0, 400), [1.0, 0, 0, 0, 0], rtol=1e-11, atol=1e-13, dense_output=True)
    tot = sol.y[0] + sol.y[1] + sol.y[2]
    np.testing.assert_allclose(tot, 1.0, atol=1e-9)  # particle number of Eq. (A11) (integrator tolerance)
    x_end = sol.y[0, -1] + sol.y[1, -1] - 1
    # slowest rate ~ Gamma3 = 0.1 -> e^{-40} after t = 400
    assert x_end == pytest.approx(_x_closed(0.15, 0.6, 4.0, 0.2, 0.05, 0.1), abs=1e-9)


@settings(max_examples=50, deadline=None)
@given(
    eps=st.floats(-2, 2),
    Om=st.floats(0, 5),
    tau=st.floats(0.1, 100),
    G1=st.floats(1e-4, 1),
    G2=st.floats(0, 1),
    G3=st.floats(1e-4, 1),
)
def test_population_bounds(eps, Om, tau, G1, G2, G3):
    """x = -n33 lies in [-Gamma1/(Gamma1 + 2 Gamma3), 0]: the storage band can hold at most its large-Rabi share."""
    x = _x_closed(eps, Om, tau, G1, G2, G3)
    assert -G1 / (G1 + 2 * G3) - 1e-12 <= x <= 1e-15


def test_large_rabi_limit_converges_as_omega_minus_two():
    m = TB.preset("fig10")
    xinf = TB.large_rabi_population(m)
    errs = [abs(TB.population_deviation(m.replace(Omega=Om), 0.05) / xinf - 1) for Om in (10.0, 100.0)]
    # x = xinf / (1 + c/R) with R ~ Omega^2: relative error scales as Omega^-2
    assert errs[0] / errs[1] == pytest.approx(100.0, rel=1e-3)


# --------------------------------------------------------------------------- A13-A15
def test_threshold_matches_independent_quadrature():
    m = TB.preset("fig10")
    res = paper_solve_gap(m, -10.0, estimate_error=False)
    w = math.sqrt(m.Gamma12 / abs(m.kappa_plus))

    def g(q):
        eps, E = m.v_minus * q, m.kappa_plus * q * q
        return E * _x_closed(eps, m.Omega, m.tau, m.Gamma1, m.Gamma2, m.Gamma3) / (E * E + m.Gamma12**2)

    I = quad(g, -m.kmax, m.kmax, points=[-w, 0.0, w], limit=400, epsabs=1e-15, epsrel=1e-13)[0] / (2 * math.pi)
    assert res.V_c == pytest.approx(1 / abs(I), rel=1e-9)  # both quadratures ~1e-12
    assert res.sign_required == -1  # A14 with kappa_+ < 0


def test_a15_threshold_limits():
    m = TB.preset("fig10")
    big = m.replace(Omega=1e4)
    # large Rabi + cutoff kept: closed form exact up to the O(Omega^-2) population error (~1e-9 here)
    assert paper_solve_gap(big, 1.0, estimate_error=False).V_c == pytest.approx(TB.V_c_eq_a15_cutoff(big), rel=1e-7)
    lr = paper_solve_gap(m, 1.0, method="large-rabi", estimate_error=False).V_c
    assert lr == pytest.approx(TB.V_c_eq_a15_cutoff(m), rel=1e-10)
    # finite Omega raises the threshold (populations below saturation)
    assert paper_solve_gap(m, 1.0, estimate_error=False).V_c > lr
    # A15 itself: real line
    inf = big.replace(kmax=100.0)
    U = inf.kmax * math.sqrt(abs(inf.kappa_plus) / inf.Gamma12)
    rel = paper_solve_gap(inf, 1.0, estimate_error=False).V_c / TB.V_c_eq_a15(inf) - 1
    assert rel == pytest.approx((2 / U) / (math.pi / math.sqrt(2)), rel=0.05)  # the cutoff tail, as in Eq. (44)


def test_a15_printed_value_for_preset():
    m = TB.preset("fig10")
    # (sqrt 2/pi) sqrt(50 * 0.01) (1 + 2 * 0.002/0.01) * 2 pi = 2.8
    assert TB.V_c_eq_a15(m) == pytest.approx(2.8, rel=1e-12)


@pytest.mark.parametrize("kappa", [-50.0, 50.0])
def test_sign_rule_a14(kappa):
    m = TB.preset().replace(kappa_plus=kappa)
    res = paper_solve_gap(m, -2.0 * np.sign(kappa), estimate_error=False)
    assert res.sign_required == np.sign(kappa) == TB.sign_rule_eq_a14(m)
    assert res.delta == 0.0 and "sgn V" in res.reason


def test_kernel_is_threshold_only():
    from keldysh.paper.quadrature import momentum_grid

    m = TB.preset()
    grid = momentum_grid(m)
    g0 = TB.kernel_appendix(m, grid, 0.0)
    assert np.all(np.isfinite(g0))
    np.testing.assert_array_equal(TB.kernel_appendix(m, grid, 0.3), g0)
    assert m.THRESHOLD_ONLY and m.to_dict()["threshold_only"]


def test_model_from_options_and_validation():
    assert TB.model_from_options({k: None for k in TB.DEFAULTS}) == TB.preset()
    m = TB.model_from_options({"Gamma3": 0.01, "tau": 2.0})
    assert m.Gamma3 == 0.01 and m.tau == 2.0
    with pytest.raises(ParameterError, match="mu1"):
        TB.model_from_options({"mu1": 0.0})
    for bad in (
        {"Gamma1": 0.0},
        {"Gamma3": -1.0},
        {"tau": 0.0},
        {"Omega": -1.0},
        {"v_minus": 0.0},
        {"Gamma12": float("inf")},
    ):
        with pytest.raises(ParameterError):
            TB.ThreeBandModel(**bad)
    with pytest.raises(ParameterError):
        TB.preset("fig11")
