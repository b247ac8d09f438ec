"""Time dynamics of the order parameter (Sect. II.C, Figs. 4-6): keldysh.paper.solvers.dynamics.

Independent routes compared:
* the per-node affine matrices (probed) against the lambdified derived RHS of Eq. (9);
* the Magnus integrator against scipy's DOP853 at tight tolerance (same grid, same seed);
* the converged |Delta| against the steady-state gap equation (Eq. (18) with the exact
  populations of Eq. (9), keldysh.solve_gap(method="master")) on the same grid and cutoff;
* the converged s21(q) against Eq. (10) with x from population_deviation_func("exact");
* the lab frame (Eq. (6), no RWA) against the rotating frame as omega0 grows;
* the exact Nambu positivity 0 <= M <= 1 of every (k, -k) block along the runs.
"""

import math

import numpy as np
import pytest
import scipy.linalg as sla

from keldysh import preset
from keldysh.errors import ParameterError
from keldysh.paper.quadrature import momentum_grid
from keldysh.paper.solvers import dynamics as dyn
from keldysh.paper.solvers.dynamics import (
    DynamicsOptions,
    block_matrices,
    expm_batched,
    nambu_eigenvalues,
    simulate,
    simulate_lab,
    steady_anomalous,
    t_converged,
)
from keldysh.paper.solvers.gap import solve_gap


@pytest.fixture(scope="module")
def fig4_grid():
    m = preset("fig4")
    return m, momentum_grid(m, order=3)


@pytest.fixture(scope="module")
def fig4_run(fig4_grid):
    """Fig. 4, V = 5, from the state of Sect. II.C to t = 2e4 (DOP853, rtol 1e-6, the order-3 grid): one
    run for the convergence, projection and relaxation tests below."""
    m, g = fig4_grid
    return simulate(m, 5.0, t_max=20000.0, grid=g, options={"method": "DOP853", "rtol": 1e-6})


@pytest.fixture(scope="module")
def fig4_stability(fig4_grid):
    """The linearisation (Eqs. (9) + (18)) about the steady state of Fig. 4, V = 5, on the same grid."""
    from keldysh.paper.solvers.stability import linear_stability

    m, g = fig4_grid
    return linear_stability(m, 5.0, grid=g)


# ----------------------------------------------------------------------------- building blocks
def test_block_matrices_equal_derived_rhs(fig4_grid):
    """The probed affine form reproduces the lambdified derived Eq. (9) at random points."""
    m, g = fig4_grid
    A0, Ar, Ai = block_matrices(m, g)
    fn = dyn.rhs_func()
    rng = np.random.default_rng(0)
    for _ in range(3):
        u = rng.uniform(-1, 1, size=(g.size, 6))
        D = complex(*rng.normal(size=2)) * 0.1
        direct = dyn._eval_rhs(fn, u, D, g.E, g.eps, m, g.f1, g.f2)
        M = A0 + D.real * Ar + D.imag * Ai
        via = np.einsum("kij,kj->ki", M[:, :6, :6], u) + M[:, :6, 6]
        # both are exact evaluations of the same polynomial: only rounding differs
        assert np.allclose(direct, via, rtol=1e-12, atol=1e-13)
    # the pairing block: d s21/dt at Delta = 1 contains i conj(Delta) (n11 + n22 - 1), Eq. (9d)
    assert np.allclose(Ar[:, 5, 0], 1.0) and np.allclose(Ar[:, 5, 6], -1.0)


def test_expm_batched_matches_scipy():
    rng = np.random.default_rng(1)
    A = rng.normal(size=(20, 7, 7)) * np.array([0.1, 1, 10, 60])[rng.integers(0, 4, 20), None, None]
    ref = np.array([sla.expm(a) for a in A])
    got = expm_batched(A)
    # degree-8 Taylor after scaling to norm 1/4: truncation 1e-11, plus squaring round-off
    err = np.abs(got - ref).max(axis=(1, 2)) / np.abs(ref).max(axis=(1, 2))
    assert err.max() < 1e-9


def test_nambu_positivity_condition():
    """The eigenvalue test is the exact Gaussian-state condition (|s|^2 <= n22 (1 - n11))."""
    ok = np.array([[0.9, 0.1, 0.0, 0.0, 0.0, 0.0]])
    ok[0, 4] = math.sqrt(0.1 * 0.1) * 0.999  # just inside |s|^2 <= n22 (1 - n11) = 0.01
    bad = ok.copy()
    bad[0, 4] = 0.11  # |s|^2 > n22 (1 - n11) = 0.01
    assert nambu_eigenvalues(ok).min() >= -1e-12
    assert nambu_eigenvalues(bad).min() < 0


def test_t_converged():
    t = np.linspace(0, 100, 101)
    v = 1 - np.exp(-t / 10)
    tc = t_converged(t, v)
    # |v - v_end| <= 1% of v_end first holds for good at t = 10 ln(100) ~ 46
    assert 45 <= tc <= 47
    assert t_converged(t, np.exp(-t / 10)) is None  # decays forever: never within 1%


def test_options_are_validated():
    with pytest.raises(ParameterError, match="unknown option"):
        DynamicsOptions.make({"rtoll": 1e-6})
    with pytest.raises(ParameterError, match="method"):
        DynamicsOptions(method="euler")
    with pytest.raises(ParameterError, match="rtol"):
        DynamicsOptions(rtol=0.5)
    with pytest.raises(ParameterError, match="atol"):
        DynamicsOptions(method="RK45", atol=0.0)
    m = preset("fig4")
    with pytest.raises(ParameterError, match="V"):
        simulate(m, 0.0, t_max=1.0)
    with pytest.raises(ParameterError, match="t_max"):
        simulate(m, 5.0, t_max=-1.0)
    with pytest.raises(ParameterError, match="projection"):
        simulate(m, 5.0, t_max=1.0, projection="eq99")
    with pytest.raises(ParameterError, match="seed"):
        simulate(m, 5.0, t_max=1.0, seed=1.0)  # cannot be a physical Gaussian state


def test_initial_state_and_seed(fig4_grid):
    """Sect. II.C initial state: n11 = 1, n22 = 0, n21 = 0 (T = 0) up to the seed; Delta(0) = seed."""
    m, g = fig4_grid
    r = simulate(m, 5.0, t_max=1e-3, grid=g, seed=2e-3 * np.exp(0.7j), options={"method": "DOP853"})
    assert r.Delta[0] == pytest.approx(2e-3 * np.exp(0.7j), rel=1e-12)
    assert r.diagnostics["physical"]


# ----------------------------------------------------------------------------- integrator accuracy
@pytest.fixture(scope="module")
def fig4_reference(fig4_grid):
    m, g = fig4_grid
    return simulate(m, 5.0, t_max=500.0, grid=g, options={"method": "DOP853", "rtol": 1e-10, "atol": 1e-13})


@pytest.mark.parametrize("method,tol", [("magnus4", 2e-4), ("magnus2", 3e-3)])
def test_magnus_matches_tight_reference(fig4_grid, fig4_reference, method, tol):
    """Magnus (rtol 1e-6 on Delta) vs DOP853 at rtol 1e-10 through the growth of the instability.

    Fig. 4, V = 5, until t = 500 (the first overshoot of |Delta|).  The Magnus error is
    controlled on the path of Delta; the exponentials of the nodes are exact.  Measured
    deviation of Delta(t_end) relative to max |Delta|: 6e-4 (magnus2, second order), 4e-5
    (magnus4); the bounds leave a factor >= 4.
    """
    m, g = fig4_grid
    ref = fig4_reference
    res = simulate(m, 5.0, t_max=500.0, grid=g, options={"method": method, "rtol": 1e-6})
    scale = np.abs(ref.Delta).max()
    assert abs(res.Delta[-1] - ref.Delta[-1]) / scale < tol
    # along the run: compare on the reference's samples (Magnus samples are its steps)
    mid = np.interp(res.times, ref.times, np.abs(ref.Delta))
    sel = res.times > 50
    assert np.max(np.abs(np.abs(res.Delta[sel]) - mid[sel])) / scale < 1e-2  # includes interpolation error
    assert res.diagnostics["physical"] and ref.diagnostics["physical"]


# ----------------------------------------------------------------------------- physics
@pytest.mark.parametrize("name,V,t_max,tol", [("fig5", 5.0, 6000.0, 1e-4), ("fig4", 5.0, 20000.0, 2e-4)])
def test_converged_gap_equals_steady_state(name, V, t_max, tol, request):
    """Figs. 4(a), 5(a): |Delta(t -> inf)| = steady-state gap equation (Eq. (18), populations of Eq. (9)).

    Same grid and cutoff for both, so the only differences are (i) the remaining slow
    relaxation at t_max (measured: 8e-6 for Fig. 5 at t = 6000, 3e-5 for Fig. 4 at t = 2e4; the
    slowest rate of Fig. 4 is ~1/2000, set by the weak relaxation of the off-resonant upper
    band), and (ii) the integrator (rtol 1e-6 on the state).  Figs. 4(b), 5(b): s21(q) equals
    Eq. (10) at the converged Delta (same residual).
    """
    if name == "fig4":  # the shared run (same V, t_max, grid and options)
        m, g = request.getfixturevalue("fig4_grid")
        r = request.getfixturevalue("fig4_run")
        assert (r.V, r.times[-1]) == (V, t_max)
    else:
        m = preset(name)
        g = momentum_grid(m, order=3)
        r = simulate(m, V, t_max=t_max, grid=g, options={"method": "DOP853", "rtol": 1e-6})
    ss = solve_gap(m, V, "master", grid=g, estimate_error=False)
    assert ss.delta > 0
    assert r.delta_final == pytest.approx(ss.delta, rel=tol)
    s10 = steady_anomalous(m, g, r.Delta[-1])
    assert np.abs(r.s21 - s10).max() / np.abs(s10).max() < 10 * tol
    assert r.t_converged is not None and r.t_converged < t_max
    assert r.diagnostics["physical"]
    assert 0 <= r.diagnostics["population_min"] and r.diagnostics["population_max"] <= 1


def test_below_threshold_decays(fig4_grid):
    """Fig. 4, V = 1 < V_c = 2.15: the seed decays, no steady pairing."""
    m, g = fig4_grid
    r = simulate(m, 1.0, t_max=3000.0, grid=g, options={"method": "DOP853", "rtol": 1e-6})
    assert solve_gap(m, 1.0, "master", grid=g, estimate_error=False).delta == 0.0
    assert r.delta_final < 1e-3 * abs(r.seed)
    assert r.t_converged is None


def test_projection_eq17_makes_the_phase_wind(fig4_grid, fig4_run):
    """Eq. (17) (no projection): Delta^* = V int s21 with s21 = -Delta^* x/(E + i Gamma) is a
    complex condition that a constant Delta cannot meet, so arg Delta winds (Delta ~ exp(-i mu t)
    shifts E -> E - mu).  At the Fig. 4 parameters the winding pair amplitude even decays
    (V = 5): the projection of Eq. (18) is what makes the paper's steady state; with it the
    phase settles (the shared Eq. (18) run, to t = 2e4; the Eq. (17) run to t = 4e3 has wound
    for ~60 turns by then)."""
    m, g = fig4_grid
    r18 = fig4_run
    r17 = simulate(m, 5.0, t_max=4000.0, grid=g, projection="eq17", options={"method": "DOP853", "rtol": 1e-6})
    assert abs(r18.phase_velocity) < 1e-4  # measured 5e-9 at t = 2e4 (4.5e-6 at t = 4e3)
    assert abs(r17.phase_velocity) > 1e-2  # measured 0.09
    assert r18.delta_final > 0.01 and r17.delta_final < 1e-6


def test_fig6_seed_decays_before_the_instability():
    """Fig. 6(a) (Omega = Gamma, gamma2 = 1e-4), shortened: x = n11 + n22 - 1 starts at 0, so
    s21 first decays at rate Gamma (Eq. (9d)) while the populations build up; the pairing
    instability regrows only later (t ~ 1.5e4, then bursts: the oscillations of Fig. 6), and
    convergence takes t ~ 1e6 (`keldysh reproduce fig6`)."""
    m = preset("fig6a")
    g = momentum_grid(m, order=2)
    r = simulate(m, 20.0, t_max=3000.0, grid=g, options={"method": "DOP853", "rtol": 1e-6})
    a = r.abs_Delta
    # |Delta| ~ seed exp(-Gamma t) (dephasing of the seed makes it faster): e^{-30} ~ 1e-13
    assert a[-1] < 1e-10
    assert r.diagnostics["physical"]


@pytest.mark.slow
def test_lab_frame_approaches_rwa():
    """Eq. (6) without the RWA: the time-averaged |Delta| tends to the RWA one as omega0 grows.

    A fast-relaxing model (Gamma = 0.05, gamma2 = 0.3, V = 2 V_c) on a coarse grid.  Both
    frames are averaged over the same window (10 periods of omega0 = 6, an integer number of
    periods of every omega0 used) at the same times, the RWA run interpolated (max_step 0.2:
    interpolation error ~1e-6).  Measured deviation at t = 150: 2.3e-3, 5.2e-4, 1.2e-4 at
    omega0 = 6, 12, 24 (at t = 250: 1.0e-3, 2.5e-4, 6.1e-5), i.e. ~ (Omega/omega0)^2: the
    counter-rotating terms enter at second order.  The run at omega0 = 24 (half the cost: the lab
    frame's steps follow omega0) is left out; one halving of 1/omega0 shows the order.
    """
    m = preset("fig4").replace(Gamma=0.05, gamma2=0.3, Omega=0.5)
    g = momentum_grid(m, order=2)
    V, T = 50.0, 150.0
    rwa = simulate(m, V, t_max=T, grid=g, options={"method": "DOP853", "rtol": 1e-8, "max_step": 0.2})
    devs = []
    for w0 in (6.0, 12.0):
        lab = simulate_lab(m, V, omega0=w0, t_max=T, grid=g, options={"rtol": 1e-7})
        sel = lab.times >= T - 10 * 2 * np.pi / 6.0
        tl = lab.times[sel]
        lab_avg = np.trapezoid(lab.abs_Delta[sel], tl)
        rwa_avg = np.trapezoid(np.interp(tl, rwa.times, rwa.abs_Delta), tl)
        devs.append(abs(lab_avg / rwa_avg - 1))
        assert lab.diagnostics["physical"]
    # second order in 1/omega0: doubling it divides the deviation by ~4 (measured 4.4)
    assert 3.0 < devs[0] / devs[1] < 5.5
    assert devs[1] < 1e-3


def test_pumped_start_grows_at_the_linear_rate():
    """initial="pumped": the unpaired steady state of Eq. (9) (x of Eqs. (11)-(12) at Delta = 0), where
    the seed grows at once at the rate of the linearised Eqs. (9d) + (18): the largest eigenvalue
    of diag(i E_k - Gamma) + i x_k K_j (Fig. 6(b): 0.012)."""
    from keldysh.paper.build import population_deviation_func

    m = preset("fig6b")
    g = momentum_grid(m, order=2)
    u = dyn.pumped_state(m, g)
    x = population_deviation_func("exact")(g.E, g.eps, 0.0, m.Omega, m.Gamma1, m.Gamma2, g.f1, g.f2)
    assert np.allclose(u[:, 0] + u[:, 1] - 1, x, atol=1e-12)  # two exact routes to the same x
    V = 20.0
    K = dyn._projection_weights(m, g, V, "eq18")
    ev = np.linalg.eigvals(np.diag(1j * g.E - m.Gamma) + 1j * np.outer(x, K))
    lam = ev[np.argmax(ev.real)].real
    r = simulate(m, V, t_max=300.0, grid=g, initial="pumped", seed=1e-6, options={"method": "DOP853", "rtol": 1e-8})
    sel = r.times > 100  # after the non-modal transient
    rate = np.polyfit(r.times[sel], np.log(r.abs_Delta[sel]), 1)[0]
    # a pure exponential up to the oscillation of the complex pair (Im lambda ~ 0.01) and the
    # decaying continuum; the fitted rate agrees to ~10%
    assert rate == pytest.approx(lam, rel=0.15)


# ----------------------------------------------------------------------------- batching, kernels
def test_compiled_rhs_equals_numpy_twin(fig4_grid):
    """The compiled batched RHS (numba) equals its NumPy twin and the probed affine form."""
    from keldysh.paper.solvers._kernels import HAVE_NUMBA, AffineRHS, affine_rhs_numpy

    m, g = fig4_grid
    mats = block_matrices(m, g)
    K = np.stack([dyn._projection_weights(m, g, V, "eq18") for V in (5.0, -2.0)])
    rng = np.random.default_rng(3)
    U = rng.uniform(-1, 1, size=(2, g.size, 6))
    ref = affine_rhs_numpy(U, K, *mats)
    # one member against the unbatched affine form of block_matrices
    D = np.conj(np.dot(K[1], U[1, :, 4] + 1j * U[1, :, 5]))
    M = mats[0] + D.real * mats[1] + D.imag * mats[2]
    assert np.allclose(ref[1], np.einsum("kij,kj->ki", M[:, :6, :6], U[1]) + M[:, :6, 6], rtol=1e-13, atol=1e-13)
    fast = AffineRHS(mats, K)
    assert fast.compiled == HAVE_NUMBA
    # the same sums in another order: rounding only
    assert np.allclose(fast(U), ref, rtol=1e-13, atol=1e-13)
    assert np.allclose(AffineRHS(mats, K, compiled=False)(U), ref, rtol=0, atol=0)


def test_compiled_magnus_step_equals_numpy_twin(fig4_grid):
    """One Magnus step of every node: the compiled loop (per-node scaling) equals the NumPy twin
    (expm_batched, one scaling for the stack) -- both degree-8 Taylor with ||X|| <= 1/4, so they
    agree to ~1e-11 relative to the propagated state -- and, for a constant Delta, the exact
    exponential (scipy.linalg.expm) of each node."""
    from keldysh.paper.solvers._kernels import HAVE_NUMBA, MagnusStep

    m, g = fig4_grid
    mats = block_matrices(m, g)
    rng = np.random.default_rng(5)
    u = rng.uniform(0, 0.5, size=(g.size, 6))
    fast, ref = MagnusStep(mats), MagnusStep(mats, compiled=False)
    assert fast.compiled == HAVE_NUMBA
    for h in (0.5, 30.0):
        D1, D2 = 0.02 + 0.01j, 0.015 - 0.004j
        filt = np.full(g.size, 0.1 * h * h)
        for f in (None, filt):
            a, b = fast(u, D1, D2, h, f), ref(u, D1, D2, h, f)
            assert np.allclose(a, b, rtol=1e-9, atol=1e-10 * np.abs(b).max())
    D = 0.02 + 0.01j
    M = mats[0] + D.real * mats[1] + D.imag * mats[2]
    exact = np.array([(sla.expm(3.0 * Mk) @ np.r_[uk, 1.0])[:6] for Mk, uk in zip(M, u)])
    assert np.allclose(fast(u, D, D, 3.0, None), exact, rtol=1e-10, atol=1e-11)


def test_compiled_step_delta_equals_numpy_twin(fig4_grid):
    """The integrator's fused call: one step and the functional of the new state (``Delta``,
    ``dDelta/dt``, the coherent amplitude, ``max |s21|``), compiled against the NumPy twin (the
    step to the Taylor tolerance as above, the functional to rounding of its sums); ``Delta``
    equals the definition ``conj(sum_k K_k s21_k)``; a NaN state gives a NaN ``max |s21|``."""
    from keldysh.paper.solvers._kernels import MagnusStep

    m, g = fig4_grid
    mats = block_matrices(m, g)
    rng = np.random.default_rng(7)
    u = rng.uniform(0, 0.5, size=(g.size, 6))
    K = rng.normal(size=g.size) + 1j * rng.normal(size=g.size)
    fast, ref = MagnusStep(mats, K=K), MagnusStep(mats, compiled=False, K=K)
    E, dE, coh, smax = fast.delta_terms(u)
    Er, dEr, cohr, smaxr = ref.delta_terms(u)
    assert E == pytest.approx(np.conj(np.dot(K, u[:, 4] + 1j * u[:, 5])), rel=1e-13)
    assert (E, dE) == (pytest.approx(Er, rel=1e-13), pytest.approx(dEr, rel=1e-12))
    assert (coh, smax) == (pytest.approx(cohr, rel=1e-13), smaxr)
    filt = np.full(g.size, 0.1)
    for f in (None, filt):
        a, b = (
            fast.step_delta(u, 0.02 + 0.01j, 0.015 - 0.004j, 1.5, f),
            ref.step_delta(u, 0.02 + 0.01j, 0.015 - 0.004j, 1.5, f),
        )
        assert np.allclose(a[0], b[0], rtol=1e-9, atol=1e-10 * np.abs(b[0]).max())
        for x, y in zip(a[1:], b[1:]):
            assert x == pytest.approx(y, rel=1e-8)
    bad = u.copy()
    bad[3, 4] = np.nan
    assert math.isnan(fast.delta_terms(bad)[3]) and math.isnan(ref.delta_terms(bad)[3])


def test_batch_equals_single_runs(fig4_grid):
    """simulate_many integrates the couplings together (one step sequence, tolerances / sqrt(B)):
    each member equals its own single run to the integration tolerance (rtol 1e-8: the global
    error of DOP853 over t = 300, through the growth of the instability, is ~1e-7 of max |Delta|)."""
    from keldysh.paper.solvers.dynamics import simulate_many

    m, g = fig4_grid
    opts = {"method": "DOP853", "rtol": 1e-8, "atol": 1e-12}
    batch = simulate_many(m, [5.0, 2.3], t_max=300.0, grid=g, options=opts)
    for V, rb in zip((5.0, 2.3), batch):
        rs = simulate(m, V, t_max=300.0, grid=g, options=opts)
        scale = np.abs(rs.Delta).max()
        assert abs(rb.Delta[-1] - rs.Delta[-1]) / scale < 1e-6
        assert rb.V == V and rb.diagnostics["batch"] == 2
        assert np.allclose(rb.s21, rs.s21, atol=1e-6 * np.abs(rs.s21).max())
    with pytest.raises(ParameterError):
        simulate_many(m, [], t_max=1.0, grid=g)
    with pytest.raises(ParameterError):
        simulate_many(m, [5.0, 0.0], t_max=1.0, grid=g)


@pytest.mark.slow
def test_linear_regime_tolerance_only_shifts_the_regrowth():
    """DynamicsOptions.rtol_linear: while |Delta| < delta_linear the pairing sector is linear and
    homogeneous, so a looser relative tolerance there only shifts the regrowth of the instability.
    Fig. 6(a) from the state of Sect. II.C: |Delta| decays to ~1e-20 and bursts at t = 13657
    (DOP853, rtol 1e-9, atol 1e-30: the reference).  Measured with magnus4 at rtol 1e-4: shift
    2.7 with rtol throughout, 185 (1.4%) with rtol_linear = 1e-2 (the setting of `keldysh
    reproduce fig6`) for ~35% fewer steps; the bound leaves a factor ~1.6 on the shift."""
    m = preset("fig6a")
    g = momentum_grid(m, order=2)
    ss = solve_gap(m, 20.0, "master", grid=g, estimate_error=False).delta
    ref = simulate(m, 20.0, t_max=1.4e4, grid=g, options={"method": "DOP853", "rtol": 1e-9, "atol": 1e-30})
    loose = simulate(m, 20.0, t_max=1.4e4, grid=g, options={"method": "magnus4", "rtol": 1e-4, "rtol_linear": 1e-2})

    def burst(r):
        i = int(np.argmax(r.abs_Delta > 0.5 * ss))
        assert r.abs_Delta[i] > 0.5 * ss
        return r.times[i]

    assert loose.diagnostics["delta_linear"] > 0
    assert abs(burst(loose) - burst(ref)) < 300.0
    assert loose.abs_Delta.min() == pytest.approx(ref.abs_Delta.min(), rel=0.5)  # the depth of the collapse, ~1e-20


# ----------------------------------------------------------------------------- linear stability
def test_phase_mode_and_stability_of_fig4(fig4_grid, fig4_stability):
    """Linearised Eqs. (9) + (18) about the steady state of Fig. 4 (V = 5): the gauge (phase)
    mode is an exact zero eigenvalue (Eq. (18) is covariant under Delta -> Delta e^{i phi}; rounding
    of a 972 x 972 eigenproblem with entries up to ~2: ~1e-15) and every other mode decays."""
    from keldysh.paper.solvers.stability import linear_stability, steady_state

    m, g = fig4_grid
    st = fig4_stability
    assert abs(st.phase_mode) < 1e-12
    assert st.stable and st.growth_rate < -1e-4
    # the steady state used is self-consistent: Eq. (18) returns the Delta it was built with
    assert st.diagnostics["self_consistency_residual"] < 1e-10
    # and its s21 is Eq. (10) with the exact populations (two routes to the same state)
    u = steady_state(m, g, st.delta)
    assert np.allclose(u[:, 4] + 1j * u[:, 5], steady_anomalous(m, g, st.delta), rtol=1e-10, atol=1e-16)
    # below threshold the unpaired state is stable too (V = 1 < V_c), above it is not (V = 5)
    assert linear_stability(m, 1.0, grid=g).growth_rate < 0
    assert linear_stability(m, 5.0, grid=g, delta=0.0).growth_rate > 0


@pytest.mark.slow
def test_dynamics_approach_matches_linear_modes_fig4(fig4_run, fig4_stability):
    """Fig. 4, V = 5, from the state of Sect. II.C: the damped oscillation with which |Delta(t)|
    settles (relaxation_fit of the dynamics) has the period and decay time of the dominant
    eigenvalue of the linearised dynamics (measured 355.3 vs 344.0: 3.3%; 640.6 vs 654.7: 2.2%, the
    same to t = 1.5e4 or 2e4; the fit window starts at 10% from the final value, where the mode is
    not yet purely linear)."""
    from keldysh.paper.solvers.dynamics import relaxation_fit

    st, r = fig4_stability, fig4_run
    fit = relaxation_fit(r.times, r.abs_Delta, final=st.delta)
    assert fit is not None and fit["swings"] >= 6
    assert fit["period"] == pytest.approx(st.oscillation["period"], rel=0.08)
    assert fit["decay_time"] == pytest.approx(st.oscillation["decay_time"], rel=0.15)


@pytest.mark.slow
def test_fig6b_kicked_steady_state_rings_at_the_linear_mode():
    """Fig. 6(b): a 2% kick of the steady state (the per-node steady state at 1.02 |Delta|) relaxes
    through the slow, weakly damped oscillation of the text ("it takes a long time for the
    oscillations to decay"); the Magnus dynamics reproduces the eigenvalue of the linearised
    equations: measured period 1.817e4 vs 1.787e4 (1.7%), decay time 1.61e5 vs 1.67e5 (3.5%)."""
    from keldysh.paper.solvers.dynamics import relaxation_fit
    from keldysh.paper.solvers.stability import linear_stability, steady_state

    m = preset("fig6b")
    g = momentum_grid(m, order=2)
    st = linear_stability(m, 20.0, grid=g)
    assert st.stable and st.oscillation["period"] == pytest.approx(1.79e4, rel=0.02)
    r = simulate(
        m,
        20.0,
        t_max=2.0e5,
        grid=g,
        initial=steady_state(m, g, 1.02 * st.delta),
        options={"method": "magnus4", "rtol": 1e-4},
    )
    fit = relaxation_fit(r.times, r.abs_Delta, final=st.delta, band=1.0, floor=1e-6)
    assert fit is not None
    assert fit["period"] == pytest.approx(st.oscillation["period"], rel=0.05)
    assert fit["decay_time"] == pytest.approx(st.oscillation["decay_time"], rel=0.1)
    assert r.diagnostics["physical"]


def test_fig6b_from_sect_iic_state_falls_below_double_precision():
    """Fig. 6(b) from the state of Sect. II.C: the seed decays at ~Gamma while the weak drive
    (Omega = Gamma/5) builds the imbalance; by t = 3e4 |Delta| < 1e-100 (measured ~1e-130 at rtol
    1e-3; ~1e-320 by t ~ 1e5), a range no plain double-precision integration follows -- why
    `reproduce` starts panel (b) from the pumped state.  The Magnus integrator keeps it (the linear
    pairing sector is rescaled exactly), and the state stays physical.  Loose tolerances: only the
    depth of the decay (tens of decades) is asserted."""
    m = preset("fig6b")
    g = momentum_grid(m, order=2)
    r = simulate(m, 20.0, t_max=3.0e4, grid=g, options={"method": "magnus4", "rtol": 1e-2, "rtol_linear": 0.2})
    logd = np.log10(r.abs_Delta)
    assert 0 < r.abs_Delta[-1] < 1e-100
    # a ringing decay, no regrowth yet: the envelope of the second half is far below the first
    half = r.times > 1.5e4
    assert logd[half].max() < logd[~half & (r.times > 1e3)].max() - 40
    assert r.diagnostics["physical"]


def test_jacobian_equals_central_differences_of_the_rhs(fig4_grid):
    """The linearisation (block diagonal + rank-two coupling through Eq. (18)) against central
    differences of the full right-hand side: F is quadratic in u (Delta is linear in s21, the
    equations are affine in u for given Delta), so central differences are exact up to rounding."""
    from keldysh.paper.solvers._kernels import affine_rhs_numpy
    from keldysh.paper.solvers.stability import jacobian

    m, g = fig4_grid
    mats = block_matrices(m, g)
    K = dyn._projection_weights(m, g, 5.0, "eq18")
    rng = np.random.default_rng(11)
    u = rng.uniform(0, 0.5, size=(g.size, 6))
    v = rng.normal(size=(g.size, 6))
    J = jacobian(m, g, K, u, mats)
    eps = 1e-3

    def F(x):
        return affine_rhs_numpy(x[None], K[None], *mats)[0].ravel()

    fd = (F(u + eps * v) - F(u - eps * v)) / (2 * eps)
    assert np.allclose(J @ v.ravel(), fd, rtol=1e-9, atol=1e-9 * np.abs(fd).max())
