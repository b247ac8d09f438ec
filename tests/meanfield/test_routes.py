r"""Independent routes to the same numbers.

(a) one momentum node: the batched mean-field covariance (``keldysh.meanfield.numeric``) against
    the engine's own numeric steady state and against QuTiP, of the block in the rotating frame
    ``H - omega (n_k + n_mk)`` written as a new :class:`keldysh.Lindbladian`;
(b) linear response: ``V_c`` against a Richardson-extrapolated finite difference of ``I(Delta)``;
(c) no gap below the threshold or for the wrong sign of ``V``;
(d) the quadrature: error estimate, features, order independence;
(e) a closed form: for this pair the block's steady state is known by hand
    (``tests/engine/test_bcs_pair.py``): with ``xi' = xi - omega``, ``Gamma = 2G``, ``f = n_F(xi)``,

    .. math::

        \langle c_{-k} c_k\rangle = \frac{i\Delta(2f - 1)(\Gamma - 2i\xi')}{\Gamma^2 + 4\xi'^2 + 4|\Delta|^2},
        \qquad
        \frac{I}{|\Delta|} = \frac1\pi \int_0^{k_{max}} \frac{(1 - 2f)(2\xi' + i\Gamma)}
        {\Gamma^2 + 4\xi'^2 + 4|\Delta|^2}\, dk ,

    so the gap equations ``1 = V I/|Delta|`` (complete: both parts; in-phase: ``omega = 0``, real
    part) are solved here with ``scipy.integrate.quad`` and SciPy root finders, sharing no code
    with the package.  A corollary: ``Gamma`` and ``|Delta|`` enter only through
    ``Gamma^2 + 4|Delta|^2``, so ``omega`` and ``|Delta|^2 + G^2`` do not depend on ``G``.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import sympy as sp
from scipy.integrate import IntegrationWarning, quad
from scipy.optimize import brentq, fsolve

import keldysh as kd
from keldysh.engine.functions import fermi_numeric
from keldysh.meanfield.numeric import covariance_keldysh, covariance_master, functional, kernel
from keldysh.meanfield.quadrature import build_grid

from .conftest import GAMMA, KMAX, MU, T_HOT, V_HOT

KF = np.sqrt(2 * MU)


# ----------------------------------------------------------------------------- (a) one node
W = sp.Symbol("W", real=True)


def rotating_block(bcs, jumps, k0, T):
    """The block in the rotating frame, written directly with the engine: ``H - W Q``, same jumps.

    At ``T > 0`` the Fermi function in the rates is replaced by its number at ``k0``: the engine's
    numeric routes cannot evaluate ``fermi(x, T > 0)`` at numbers (see
    ``test_engine_evaluates_fermi_at_positive_temperature``)."""
    Q = bcs.ck.dag() * bcs.ck + bcs.cmk.dag() * bcs.cmk
    if T > 0:
        nf = sp.Float(float(fermi_numeric(k0**2 / 2 - MU, T)))
        jumps = [(sp.sympify(r).xreplace({bcs.nF: nf}), J) for r, J in jumps]
    return kd.Lindbladian(bcs.H - W * Q, jumps=jumps)


def test_engine_evaluates_fermi_at_positive_temperature(bcs):
    # the engine's numeric route evaluates kd.fermi at T > 0 (evalf) as the compiled code does
    import numpy as np

    from keldysh.engine.functions import fermi_numeric

    ss = bcs.L.steady_state(values={bcs.k: 1.45, bcs.mu: MU, bcs.G: GAMMA, bcs.T: T_HOT, bcs.D: 0.03})
    assert ss[bcs.ck.dag() * bcs.ck] > 0
    x = 1.45**2 / 2 - MU
    assert abs(float(kd.fermi(sp.Float(x), sp.Float(T_HOT)).evalf()) - float(fermi_numeric(x, T_HOT))) < 1e-15
    assert np.isfinite(ss[bcs.ck.dag() * bcs.ck])


def _nambu_from_qutip(L, values):
    """``G_ij = <Psi_i Psi_j^+>`` of QuTiP's steady state (Fock space, Jordan-Wigner order)."""
    qutip = pytest.importorskip("qutip")
    rho = qutip.steadystate(L.to_qutip(values))
    a = [qutip.fdestroy(L.n, i) for i in range(L.n)]
    psi = a + [x.dag() for x in a]
    return np.array([[qutip.expect(p * q.dag(), rho) for q in psi] for p in psi])


NODES = [  # (T, k0, |Delta|, omega)
    (0.0, 1.2, 0.05, 0.003),
    (0.0, float(KF), 0.0166, 0.0009),  # on the Fermi step: n_F = 1/2
    (T_HOT, 1.45, 0.03, -0.002),
    (T_HOT, 0.3, 0.2, 0.01),
]


@pytest.mark.parametrize("T,k0,Delta,omega", NODES)
def test_node_equals_engine_and_qutip(bcs, T, k0, Delta, omega):
    """Tolerances: both the batched Kronecker solve and the engine's Lyapunov route are direct
    linear solves of a well-conditioned 16 x 16 / 4 x 4 system (rates ~1e-2, energies ~1):
    agreement to rounding, checked at 1e-12.  ``qutip.steadystate`` solves the 16 x 16 Fock-space
    Liouvillian with a sparse LU; its residual is ~1e-12 with condition ~1/G, so 1e-8."""
    model, vals = bcs.model, bcs.values(T)
    nd = model.node_data(np.array([k0]), np.array([1.0]), model.resolve(vals))
    K = kernel(nd, Delta, omega)
    G_master = covariance_master(nd, K)[0]
    G_keldysh = covariance_keldysh(nd, K)[0]

    Lrot = rotating_block(bcs, bcs.L.jumps, k0, T)
    engine_vals = {bcs.k: k0, bcs.mu: MU, bcs.G: GAMMA, bcs.T: T, bcs.D: Delta, W: omega}
    ss = Lrot.steady_state(values=engine_vals)
    np.testing.assert_allclose(G_master, ss.nambu, rtol=0, atol=1e-12)
    np.testing.assert_allclose(G_keldysh, ss.nambu, rtol=0, atol=1e-12)
    # the self-consistency per unit coupling, S/V = -<c_mk c_k>, from the engine's observable
    s = functional(model, nd, G_master[None])[0]
    assert abs(s - (-ss[bcs.cmk * bcs.ck])) < 1e-12
    assert abs(ss[bcs.ck.dag() * bcs.ck] - G_master[2, 2].real) < 1e-12  # n_k = G[c_k^+, c_k]

    G_qutip = _nambu_from_qutip(Lrot, engine_vals)
    np.testing.assert_allclose(G_master, G_qutip, rtol=0, atol=1e-8)
    # the rotation matters: the same node in the lab frame (omega = 0) is visibly different
    assert np.abs(covariance_master(nd, kernel(nd, Delta, 0.0))[0] - G_master).max() > 1e-4


@pytest.fixture(scope="module")
def dephased(bcs):
    gphi = sp.Symbol("gamma_phi", positive=True)
    ck, cmk = bcs.ck, bcs.cmk
    L = kd.Lindbladian(bcs.H, jumps=[*bcs.L.jumps, (gphi, ck.dag() * ck), (gphi, cmk.dag() * cmk)])
    model = kd.MeanFieldModel(
        L,
        order_parameter=bcs.D,
        coupling=bcs.V,
        self_consistency=-bcs.V * L.mean(cmk * ck),
        momentum=bcs.k,
        domain=(0, bcs.kmax),
        measure=1 / sp.pi,
    )
    return gphi, L, model


def test_node_with_dephasing_equals_engine_and_qutip(bcs, dephased):
    """The master route with a dephasing jump (the Keldysh route refuses it, see test_errors.py).
    Same tolerances as above."""
    gphi, L, model = dephased
    k0, Delta, omega, T = 1.3, 0.04, 0.002, 0.02
    vals = {**bcs.values(T), gphi: 0.007}
    nd = model.node_data(np.array([k0]), np.array([1.0]), model.resolve(vals))
    assert nd.deph_r.shape == (2, 1)
    G_master = covariance_master(nd, kernel(nd, Delta, omega))[0]
    Lrot = rotating_block(bcs, L.jumps, k0, T)
    engine_vals = {bcs.k: k0, bcs.mu: MU, bcs.G: GAMMA, bcs.T: T, bcs.D: Delta, W: omega, gphi: 0.007}
    np.testing.assert_allclose(G_master, Lrot.steady_state(values=engine_vals).nambu, rtol=0, atol=1e-12)
    np.testing.assert_allclose(G_master, _nambu_from_qutip(Lrot, engine_vals), rtol=0, atol=1e-8)


def test_structured_solve_equals_kronecker_and_falls_back(bcs, dephased):
    """``covariance_master`` solves in the real Nambu coordinates (``2 n^2 - n`` unknowns); the plain
    ``d^2`` Kronecker solve is the reference (both backward stable: agreement to rounding, 1e-12,
    on a grid with the quasi-particle resonance, with and without dephasing).  Data that break the
    Nambu structure leave a residual in the reduced solve, and those nodes fall back to the
    Kronecker solve."""
    from keldysh.meanfield.numeric import _covariance_kronecker

    gphi, _, model = dephased
    for mdl, vals in ((bcs.model, bcs.values(0.02)), (model, {**bcs.values(0.02), gphi: 0.007})):
        v = mdl.resolve(vals)
        grid, _ = build_grid(mdl, v, omega=0.01)
        nd = mdl.node_data(grid.k, grid.w, v)
        K = kernel(nd, 0.03 + 0.02j, 0.01)
        ref = _covariance_kronecker(nd, K)
        np.testing.assert_allclose(covariance_master(nd, K), 0.5 * (ref + ref.conj().transpose(0, 2, 1)), atol=1e-12)
    # break the structure on one node: M no longer particle-hole symmetric
    M = nd.M.copy()
    M[3, 0, 0] += 0.3
    from dataclasses import replace

    bad = replace(nd, M=M)
    ref = _covariance_kronecker(bad, K)
    G = covariance_master(bad, K)
    np.testing.assert_allclose(G[3], 0.5 * (ref[3] + ref[3].conj().T), atol=1e-12)


# ----------------------------------------------------------------------------- (e) closed form
def _one_minus_2f(k, T):
    x = k * k / 2 - MU
    return np.sign(x) if T == 0 else np.tanh(x / (2 * T))


def closed_I(Delta, omega, T, G=GAMMA):
    """``I/|Delta|`` of the closed form (adaptive quadrature, breakpoints at and around k_F)."""
    Gam = 2 * G

    def den(k):
        return Gam**2 + 4 * (k * k / 2 - MU - omega) ** 2 + 4 * Delta**2

    pts = sorted({KF + s * h for s in (-1, 1) for h in (0.0, 1e-3, 1e-2, 5e-2)})
    opts = dict(points=pts, limit=500, epsabs=1e-15, epsrel=1e-13)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", IntegrationWarning)  # roundoff flag at the 1e-13 request
        re = quad(lambda k: _one_minus_2f(k, T) * 2 * (k * k / 2 - MU - omega) / den(k), 0, KMAX, **opts)[0]
        im = quad(lambda k: _one_minus_2f(k, T) * Gam / den(k), 0, KMAX, **opts)[0]
    return (re + 1j * im) / np.pi


def closed_solution(V, T, condition, G=GAMMA):
    """(|Delta|, omega, V_c) of the closed form."""
    if condition == "in-phase":
        Vc = 1 / closed_I(0.0, 0.0, T, G).real
        D = brentq(lambda d: V * closed_I(d, 0.0, T, G).real - 1, 1e-5, 1.0, xtol=1e-16, rtol=1e-14)
        return D, 0.0, Vc
    wc = brentq(lambda w: closed_I(0.0, w, T, G).imag, -0.1, 0.1, xtol=1e-16, rtol=1e-14)
    Vc = 1 / closed_I(0.0, wc, T, G).real
    D0, _, _ = closed_solution(V, T, "in-phase", G)
    D, w = fsolve(
        lambda x: [V * closed_I(x[0], x[1], T, G).real - 1, closed_I(x[0], x[1], T, G).imag], [D0, wc], xtol=1e-14
    )
    return D, w, Vc


CASES = [(1.0, 0.0), (V_HOT, T_HOT)]


@pytest.mark.parametrize("condition", ["complete", "in-phase"])
@pytest.mark.parametrize("V,T", CASES, ids=["T=0", "T>0"])
def test_closed_form(solve, V, T, condition):
    """Tolerance: quad is asked for 1e-13 and the package's grid error is ~1e-13 (test_quadrature);
    measured agreement ~1e-11 relative (the closed-form roots near k_F limit it), checked at 1e-9."""
    r = solve(V=V, T=T, condition=condition)
    D, w, Vc = closed_solution(V, T, condition)
    assert r.delta == pytest.approx(D, rel=1e-9)
    assert r.omega == pytest.approx(w, rel=1e-9, abs=1e-300)
    assert r.V_c == pytest.approx(Vc, rel=1e-9)


def test_omega_does_not_depend_on_the_damping(solve):
    """Corollary of the closed form: halving G keeps omega and |Delta|^2 + G^2 (complete, T = 0).
    Tolerance: two solves, each ~1e-12 relative: 1e-9."""
    r1, r2 = solve(), solve(G=GAMMA / 2)
    assert r2.omega == pytest.approx(r1.omega, rel=1e-9)
    assert r2.delta**2 + (GAMMA / 2) ** 2 == pytest.approx(r1.delta**2 + GAMMA**2, rel=1e-9)
    assert r2.delta > r1.delta


# ----------------------------------------------------------------------------- (b) linear response
@pytest.fixture(scope="module")
def integrand(bcs):
    """``I(Delta, omega)`` on the solver's grid, by the Keldysh route (the solver's V_c used master)."""
    model = bcs.model
    vals = model.resolve(bcs.values())
    grid, _ = build_grid(model, vals, 8)
    nd = model.node_data(grid.k, grid.w, vals)

    def I(Delta, omega):
        G = covariance_keldysh(nd, kernel(nd, Delta, omega))
        return complex(np.sum(nd.weight * functional(model, nd, G)))

    return I


def _richardson_chi(I, omega, eps=2e-4):
    """``chi = lim I/Delta`` from ``I/eps = chi + c eps^2 + O(eps^4)`` at eps and eps/2.
    The cubic term's scale is the damping G = 0.01: (eps/G)^4 ~ 2e-7, times a small constant."""
    c1, c2 = I(eps, omega) / eps, I(eps / 2, omega) / (eps / 2)
    return (4 * c2 - c1) / 3, c1, c2


def test_in_phase_threshold_from_finite_differences(solve, integrand):
    r = solve(condition="in-phase")
    chi, c1, c2 = _richardson_chi(integrand, 0.0)
    assert abs(c1 - c2) / abs(chi) > 1e-5  # the nonlinearity is visible at these eps ...
    assert 1 / chi.real == pytest.approx(r.V_c, rel=1e-6)  # ... and extrapolated away
    assert 1 / closed_I(0.0, 0.0, 0.0).real == pytest.approx(r.V_c, rel=1e-9)


def test_complete_threshold_is_a_zero_of_im_chi(solve, integrand):
    """At the returned omega_c: Im chi = 0 (relative to Re chi; Im chi changes by ~|Re chi| over
    a frequency shift ~G, so 1e-6 relative pins omega_c to ~1e-8 G) and V_c = 1/Re chi(omega_c)."""
    r = solve()
    assert r.omega_c != 0.0
    chi, _, _ = _richardson_chi(integrand, r.omega_c)
    assert abs(chi.imag) < 1e-6 * abs(chi.real)
    assert 1 / chi.real == pytest.approx(r.V_c, rel=1e-6)
    # omega_c is not a trivial zero: Im chi(0) is not small
    chi0, _, _ = _richardson_chi(integrand, 0.0)
    assert abs(chi0.imag) > 1e-3 * abs(chi0.real)
    # the independent closed form has the same zero and threshold
    assert closed_I(0.0, r.omega_c, 0.0).imag < 1e-9 * closed_I(0.0, r.omega_c, 0.0).real
    assert 1 / closed_I(0.0, r.omega_c, 0.0).real == pytest.approx(r.V_c, rel=1e-9)


# ----------------------------------------------------------------------------- (c) no gap
@pytest.mark.parametrize("condition", ["complete", "in-phase"])
def test_below_threshold(solve, condition):
    Vc = solve(condition=condition).V_c
    r = solve(V=0.5 * Vc, condition=condition)
    assert r.delta == 0.0 and r.converged
    assert "threshold" in r.reason
    assert r.V_c == pytest.approx(Vc, rel=1e-12)


@pytest.mark.parametrize("condition", ["complete", "in-phase"])
def test_wrong_sign_of_the_coupling(solve, condition):
    r = solve(V=-1.0, condition=condition)
    assert r.delta == 0.0
    assert "sign" in r.reason and "positive" in r.reason


# ----------------------------------------------------------------------------- (d) quadrature
@pytest.mark.parametrize(
    "V,T,condition", [(1.0, 0.0, "in-phase"), (V_HOT, T_HOT, "complete")], ids=["T=0-in-phase", "T>0-complete"]
)
def test_quadrature(solve, V, T, condition):
    """The error estimate (same rule, every panel halved) is small; the Fermi step is a feature;
    order 8 -> 12 Gauss-Legendre nodes per panel moves |Delta|, omega and V_c by < 1e-9 relative
    (measured <= 5e-13: the grid is graded into the Fermi step and the resonance).  (T = 0 with
    the complete condition is the same integrand at another (|Delta|, omega) and costs 3 s more.)"""
    r8, r12 = solve(V=V, T=T, condition=condition), solve(V=V, T=T, condition=condition, order=12)
    assert r8.diagnostics["quadrature_error"] < 1e-8
    assert any(abs(k - KF) < 1e-12 for k in r8.diagnostics["features"])
    assert r12.diagnostics["nodes"] > r8.diagnostics["nodes"]
    assert r12.delta == pytest.approx(r8.delta, rel=1e-9)
    assert r12.omega == pytest.approx(r8.omega, rel=1e-9)
    assert r12.V_c == pytest.approx(r8.V_c, rel=1e-9)


def test_resonance_is_a_feature(bcs):
    """Besides the Fermi step (width T/k_F at T > 0) the normal-state resonance xi = 0 is found,
    with width (amplitude damping G) / (dxi/dk = k_F).  It is the narrower one at T = 0.05."""
    from keldysh.meanfield.quadrature import features

    model = bcs.model
    feats = features(model, model.resolve(bcs.values(T_HOT)), 0.0, KMAX)
    near = sorted(w for k, w in feats if abs(k - KF) < 1e-6)
    assert len(near) == 2
    assert near[0] == pytest.approx(GAMMA / KF, rel=1e-2)  # sampled slope and damping
    assert near[1] == pytest.approx(T_HOT / KF, rel=1e-12)  # exact derivative
