"""Sect. III (optical pumping): Eqs. (34)-(46) against independent routes.

Routes compared: the symbolic steady state (SymPy solve) vs time integration of the derived
equations of motion (35); the bilinear equations vs an exact many-body Lindblad steady state
of the two-mode pair (Fock space, 16 x 16 Liouvillian); the protocol solver
(``keldysh.solve_gap``, Gauss panels) vs adaptive quadrature + brentq; the numerics vs the
closed forms (42)-(46) in their limits.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import quad, solve_ivp
from scipy.optimize import brentq

from keldysh.errors import ParameterError
from keldysh.paper import pumping as PM
from keldysh.paper.solvers.gap import solve_gap as paper_solve_gap


# --------------------------------------------------------------------------- symbolic layer
def _steady_numbers(G1, G2, G12, E, D, f1, f2):
    """Derived closed form: x, n1, n2 and s (Eqs. (36)-(38) as derived) for real Delta = D."""
    y = D**2 * G12 / (E**2 + G12**2)
    N = f1 + f2 - 1
    x = N / (1 + y * (G1 + G2) / (G1 * G2))
    n1 = f1 - y * x / G1
    n2 = f2 - y * x / G2
    s = -D * x / (E + 1j * G12)
    return x, n1, n2, s


def test_eom_time_evolution_reaches_symbolic_steady_state():
    """Integrate the derived Eq. (35) (lambdified) and compare with the solved steady state."""
    import sympy as sp

    from keldysh.paper import symbols as S
    from keldysh.paper.symbolic import pumping as P

    eqs = P.pumping_eom()
    vals = {S.Gamma1: 0.3, S.Gamma2: 0.7, P.Gamma12: 1.6, P.E1k: 0.4, P.E2mk: -1.1, P.fk1: 0.8, P.fmk2: 0.35}
    D = 0.45
    n1s, n2s, sr, si = sp.symbols("a b c d", real=True)
    sub = {P.n1: n1s, P.n2: n2s, P.s: sr + sp.I * si, S.Delta: D}
    rhs = [sp.expand(eqs[k].xreplace(vals).xreplace(sub)) for k in ("n1", "n2", "s")]
    f = sp.lambdify((n1s, n2s, sr, si), [sp.re(rhs[0]), sp.re(rhs[1]), sp.re(rhs[2]), sp.im(rhs[2])])
    sol = solve_ivp(lambda t, y: f(*y), (0, 80), [1.0, 0.0, 0.0, 0.0], rtol=1e-11, atol=1e-13)
    n1, n2, sre, sim = sol.y[:, -1]
    x, n1c, n2c, sc = _steady_numbers(0.3, 0.7, 1.6, 0.4 - 1.1, D, 0.8, 0.35)
    # slowest rate 2*Gamma1 = 0.6 -> e^{-48} after t = 80; integrator tolerance 1e-11
    assert n1 == pytest.approx(n1c, abs=1e-9)
    assert n2 == pytest.approx(n2c, abs=1e-9)
    assert complex(sre, sim) == pytest.approx(sc, abs=1e-9)


def test_symbolic_population_deviation_matches_closed_form():
    g = PM.kernel_func()  # lambdified from the SymPy derivation through keldysh.paper.build
    E, D, G1, G2, G12, N = 0.3, 0.2, 0.01, 0.03, 0.05, 0.7
    x, *_ = _steady_numbers(G1, G2, G12, E, D, (N + 1) / 2, (N + 1) / 2)
    assert g(E, D, G1, G2, G12, N) == pytest.approx(E * x / (E**2 + G12**2), rel=1e-13)


# --------------------------------------------------------------------------- many-body Lindblad
def _two_mode_ops():
    a = np.array([[0, 1], [0, 0]], dtype=complex)  # annihilator on |0>,|1> (basis index = occupation)
    Z = np.diag([1.0, -1.0]).astype(complex)
    I2 = np.eye(2, dtype=complex)
    c0 = np.kron(a, I2)  # Jordan-Wigner: mode 0 = c_k^1
    c1 = np.kron(Z, a)  # mode 1 = c_{-k}^2
    return c0, c1


def _liouvillian(H, jumps):
    d = H.shape[0]
    I = np.eye(d)
    L = -1j * (np.kron(H, I) - np.kron(I, H.T))  # row-major vec: vec(A rho B) = kron(A, B.T) vec(rho)
    for r, X in jumps:
        XdX = X.conj().T @ X
        L += r * (np.kron(X, X.conj()) - 0.5 * np.kron(XdX, I) - 0.5 * np.kron(I, XdX.T))
    return L


@pytest.mark.parametrize("G12_extra", [0.0, 0.37])
def test_many_body_lindblad_steady_state(G12_extra):
    """Exact steady state of the pair (c_k^1, c_-k^2) with Eq. (5)'s jumps + pair dephasing vs Eqs. (36)-(38) derived."""
    G1, G2, E1, E2, f1, f2, D = 0.21, 0.53, 0.3, -0.1, 0.9, 0.6, 0.4
    G12 = G1 + G2 + G12_extra
    a, b = _two_mode_ops()
    na, nb = a.conj().T @ a, b.conj().T @ b
    pair = b.conj().T @ a.conj().T  # c_{-k}^2+ c_k^1+
    H = E1 * na + E2 * nb - D * pair - D * pair.conj().T
    jumps = [
        (2 * G1 * f1, a.conj().T),
        (2 * G1 * (1 - f1), a),
        (2 * G2 * f2, b.conj().T),
        (2 * G2 * (1 - f2), b),
        ((G12 - G1 - G2) / 2, na + nb),
    ]
    L = _liouvillian(H, jumps)
    w, v = np.linalg.eig(L)
    rho = v[:, np.argmin(abs(w))].reshape(4, 4)
    rho /= np.trace(rho)
    exp = lambda O: np.trace(O @ rho)  # noqa: E731
    x, n1c, n2c, sc = _steady_numbers(G1, G2, G12, E1 + E2, D, f1, f2)
    # eigen-decomposition of a 16 x 16 matrix: round-off ~1e-13
    assert exp(na).real == pytest.approx(n1c, abs=1e-10)
    assert exp(nb).real == pytest.approx(n2c, abs=1e-10)
    assert exp(pair) == pytest.approx(sc, abs=1e-10)


@settings(max_examples=60, deadline=None)
@given(
    G1=st.floats(1e-3, 1.0),
    G2=st.floats(1e-3, 1.0),
    extra=st.floats(0.0, 2.0),
    E=st.floats(-3, 3),
    D=st.floats(0.0, 3.0),
    f1=st.floats(0.0, 1.0),
    f2=st.floats(0.0, 1.0),
)
def test_steady_state_is_physical(G1, G2, extra, E, D, f1, f2):
    """0 <= n <= 1 and |s|^2 <= n2 (1 - n1), n1 (1 - n2) (Cauchy-Schwarz) for the CP model Gamma12 >= Gamma."""
    x, n1, n2, s = _steady_numbers(G1, G2, G1 + G2 + extra, E, D, f1, f2)
    tol = 1e-12  # round-off of the closed form
    assert -tol <= n1 <= 1 + tol and -tol <= n2 <= 1 + tol
    assert abs(s) ** 2 <= n2 * (1 - n1) + tol and abs(s) ** 2 <= n1 * (1 - n2) + tol


# --------------------------------------------------------------------------- gap equation (41)
def _independent_gap(m: PM.PumpingModel, V: float) -> tuple[float, float]:
    """V_c and |Delta| with adaptive quadrature and brentq (no momentum_grid, no solve_gap)."""
    G1, G2, G12 = m.Gamma1, m.Gamma2, m.Gamma12
    w = math.sqrt(G12 / abs(m.kappa_plus))

    def I(D):
        def g(q):
            f = m.grid_fields(np.array([q]))
            E, N = f["E"][0], f["N"][0]
            return E * G1 * G2 * N / (G1 * G2 * (E**2 + G12**2) + G12 * (G1 + G2) * D**2)

        pts = sorted({0.0, w, -w, 10 * w, -10 * w})
        return quad(g, -m.kmax, m.kmax, points=pts, limit=500, epsabs=1e-15, epsrel=1e-13)[0] * m.q_weight

    Vc = 1 / abs(I(0.0))
    D = brentq(lambda D: 1 + V * I(D), 0.0, 1.0, xtol=1e-15, rtol=1e-13)
    return Vc, D


def test_solve_gap_matches_independent_quadrature():
    m = PM.PumpingModel(T=0.0, Gamma12=0.02)
    V = 4.0
    res = paper_solve_gap(m, V)
    Vc, D = _independent_gap(m, V)
    assert res.converged and res.method == "exact"
    # both quadratures converge to ~1e-12 relative (Gauss panels: error estimate in diagnostics)
    assert res.V_c == pytest.approx(Vc, rel=1e-9)
    assert res.delta == pytest.approx(D, rel=1e-8)


def test_kernel_finite_at_zero_and_printed_kernel_same_threshold():
    from keldysh.paper.quadrature import momentum_grid

    m = PM.PRESETS["pumping-dephased"]
    grid = momentum_grid(m)
    g0 = PM.kernel_exact(m, grid, 0.0)
    assert np.all(np.isfinite(g0))
    # Eq. (41) printed and derived coincide at Delta = 0 (only the |Delta| dependence differs)
    np.testing.assert_allclose(PM.kernel_printed(m, grid, 0.0), g0, rtol=1e-12, atol=0)
    assert not np.allclose(PM.kernel_printed(m, grid, 0.05), PM.kernel_exact(m, grid, 0.05), rtol=1e-3)


def test_threshold_eq44_with_and_without_cutoff():
    m = PM.PumpingModel(T=0.0)
    res = paper_solve_gap(m, 1.0, estimate_error=False)
    # closed-form cutoff integral vs Gauss panels: both exact to round-off
    assert res.V_c == pytest.approx(PM.V_c_eq44(m, m.kmax), rel=1e-10)
    big = m.replace(kmax=50.0)
    U = big.kmax * math.sqrt(abs(big.kappa_plus) / big.Gamma12)
    tail = (2 / U) / (math.pi / math.sqrt(2))  # 2 int_U^oo t^2/(1+t^4) ~ 2/U relative to pi/sqrt 2
    rel = paper_solve_gap(big, 1.0, estimate_error=False).V_c / PM.V_c_eq44(big) - 1
    # V_c ratio = 1/(1 - t) - 1 = t + O(t^2) with t ~ 1e-3, and int_U^oo t^2/(1+t^4) = 1/U + O(U^-5): 5% is generous
    assert rel == pytest.approx(tail, rel=0.05)
    # the paper's Fig.-style value: (sqrt 2/pi) sqrt(50 * 0.01) * 2 pi = 2.0 exactly at N = 1
    assert PM.V_c_eq44(m) == pytest.approx(2.0, rel=1e-12)


@pytest.mark.parametrize("G12", [0.01, 0.03])
def test_delta_eq45_derived_vs_printed(G12):
    m = PM.PumpingModel(T=0.0, Gamma12=G12, kmax=0.2)
    V = 2.5 * PM.V_c_eq44(m, m.kmax)
    d = paper_solve_gap(m, V).delta
    # cutoff kept: closed form is exact for uniform N (T = 0, N = 1 on the whole window)
    assert d == pytest.approx(PM.delta_cutoff(m, V), rel=1e-8)
    mb = m.replace(kmax=200.0)
    Vb = 2.5 * PM.V_c_eq44(mb)
    db = paper_solve_gap(mb, Vb).delta
    # infinite-line closed form; tail 2/U relative in the integral -> ~4 x (V/Vc)^4/((V/Vc)^4-1) x 2/U/2.22 in |Delta|
    assert db == pytest.approx(PM.delta_eq45(mb, Vb), rel=5e-3)
    printed = PM.delta_eq45_printed(mb, Vb)
    if G12 == mb.Gamma:
        assert printed == pytest.approx(PM.delta_eq45(mb, Vb), rel=1e-12)
    else:  # the printed Gamma instead of sqrt(Gamma Gamma12): off by sqrt(Gamma/Gamma12) = 0.577
        assert printed / db == pytest.approx(math.sqrt(mb.Gamma / G12), rel=5e-3)


def test_gap_rhs_eq42_consistent_with_delta_eq45():
    m = PM.PumpingModel(T=0.0, Gamma12=0.02)
    V = 3 * PM.V_c_eq44(m)
    d = PM.delta_eq45(m, V)
    assert PM.gap_rhs_eq42(m, V, d) == pytest.approx(1.0, rel=1e-12)
    assert PM.gap_rhs_eq42(m, V, 0.0) == pytest.approx(3.0, rel=1e-12)
    # the printed Eq. (42) is a different function of |Delta| when Gamma12 != Gamma
    assert PM.gap_rhs_eq42_printed(m, V, d) != pytest.approx(1.0, rel=1e-3)


@pytest.mark.parametrize("kappa,mu1,mu2", [(-50.0, 0.0, 2.0), (50.0, 0.0, 2.0), (-50.0, -2.0, 0.0), (50.0, -2.0, 0.0)])
def test_sign_rule_eq43(kappa, mu1, mu2):
    m = PM.PumpingModel(T=0.0, kappa_plus=kappa, mu1=mu1, mu2=mu2)
    need = PM.sign_rule_eq43(m)
    N = PM.N_on_surface(m)
    assert abs(N) == 1.0
    assert need == -np.sign(kappa) * np.sign(N)
    good = paper_solve_gap(m, 4.0 * need, estimate_error=False)
    bad = paper_solve_gap(m, -4.0 * need, estimate_error=False)
    assert good.delta > 0 and bad.delta == 0.0 and "sgn V" in bad.reason


def test_no_population_imbalance_no_pairing():
    """N = 0 (one electron per pair on S: band 1 full, band 2 empty) -> no threshold (Eq. (44) infinite)."""
    m = PM.PumpingModel(T=0.0, mu1=0.0, mu2=0.0)
    assert PM.N_on_surface(m) == 0.0 and math.isinf(PM.V_c_eq44(m))
    res = paper_solve_gap(m, 10.0, estimate_error=False)
    assert res.delta == 0.0


def test_v_plus_robustness_eq46():
    """|Delta| changes by O((v_+/bound)^2): < 1% at 0.1 x the derived bound, > 5% at 0.5 x."""
    m = PM.PumpingModel(T=0.0, Gamma12=0.03, kmax=1.0)
    V = 1.5 * PM.V_c_eq44(m)
    d0 = paper_solve_gap(m, V, estimate_error=False).delta
    b = PM.v_plus_bound_eq46(m, V)
    r1 = paper_solve_gap(m.replace(v_plus=0.1 * b), V, estimate_error=False).delta / d0 - 1
    r5 = paper_solve_gap(m.replace(v_plus=0.5 * b), V, estimate_error=False).delta / d0 - 1
    assert abs(r1) < 0.01 and r5 < -0.05
    assert r5 / r1 == pytest.approx(25, rel=0.3)  # quadratic in v_+ at small v_+


def test_quartic_integral_closed_form():
    import sympy as sp

    from keldysh.paper.symbolic.pumping import quartic_integral_expr

    for kappa, B, U in ((-50.0, 0.01, 0.2), (3.0, 0.7, 1.3)):
        num = quad(lambda q: kappa * q * q / (kappa**2 * q**4 + B**2), -U, U, points=[0.0], epsabs=1e-14, epsrel=1e-13)[
            0
        ]
        assert PM.quartic_integral(kappa, B, U) == pytest.approx(num, rel=1e-11)
        sym = float(quartic_integral_expr(sp.Float(kappa), sp.Float(B), sp.Float(U)))
        assert PM.quartic_integral(kappa, B, U) == pytest.approx(sym, rel=1e-12)
    assert PM.quartic_integral(-2.0, 0.5) == pytest.approx(-math.pi / math.sqrt(2) / 1.0, rel=1e-14)


# --------------------------------------------------------------------------- protocol and validation
def test_model_from_options_and_validation():
    m = PM.model_from_options({k: None for k in PM.DEFAULTS})
    assert m == PM.PumpingModel()
    m2 = PM.model_from_options({"mu1": 0.1, "Gamma12": 0.05, "T": None})
    assert m2.mu1 == 0.1 and m2.Gamma12 == 0.05 and m2.T == PM.DEFAULTS["T"]
    with pytest.raises(ParameterError, match="Omega"):
        PM.model_from_options({"Omega": 1.0})
    for bad in (
        {"Gamma1": 0.0},
        {"Gamma12": -1.0},
        {"v_minus": 0.0},
        {"T": -0.1},
        {"mu1": float("nan")},
        {"kmax": 0.0},
        {"kappa_plus": 0.0},
    ):
        with pytest.raises(ParameterError):
            PM.PumpingModel(**bad)
    d = m.to_dict()
    assert d["model"] == "pumping" and d["Gamma"] == pytest.approx(0.01)
    assert set(m.gap_methods()) == {"exact", "printed"}


def test_line_integral_closed_form():
    for kappa, vp, B in ((-50.0, 1.0, 0.02), (50.0, 0.7, 0.01), (-3.0, 2.0, 0.5)):
        f = lambda q: (vp * q + kappa * q * q) / ((vp * q + kappa * q * q) ** 2 + B * B)  # noqa: E731
        num = (
            quad(f, -50, 50, points=sorted([0.0, -vp / kappa]), limit=2000, epsabs=1e-14, epsrel=1e-12)[0]
            + quad(f, 50, np.inf)[0]
            + quad(f, -np.inf, -50)[0]
        )
        assert PM.line_integral(kappa, vp, B) == pytest.approx(num, rel=1e-9)  # adaptive quadrature ~1e-11
    assert PM.line_integral(-2.0, 0.0, 0.5) == pytest.approx(PM.quartic_integral(-2.0, 0.5), rel=1e-14)


@pytest.mark.parametrize("r", [0.9, 0.97, 1.02])
def test_eq46_is_the_exact_existence_condition(r):
    """Real line: max_B of the gap function = bound/|v_+|, so a root exists iff |v_+| <= bound (Eq. (46) with Gamma12)."""
    m = PM.PumpingModel(T=0.0, Gamma12=0.03)
    V = 2 * PM.V_c_eq44(m)
    b = PM.v_plus_bound_eq46(m, V)
    mx, Bstar = PM.gap_rhs_max(m.replace(v_plus=r * b), V)
    assert mx == pytest.approx(1 / r, rel=1e-9)  # bounded scalar minimisation, xatol 1e-12 in log B
    assert Bstar > m.Gamma12
    # the printed bound (sqrt(Gamma) instead of sqrt(Gamma12)) is smaller by sqrt(Gamma/Gamma12)
    assert PM.v_plus_bound_eq46_printed(m, V) / b == pytest.approx(math.sqrt(m.Gamma / m.Gamma12), rel=1e-14)
