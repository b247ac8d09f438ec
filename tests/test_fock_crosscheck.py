"""Exact Fock-space cross-check of the bilinear equations of motion (Eqs. (5), (6), (9)-(12)).

Two independent routes:

* symbolic: :class:`keldysh.paper.symbolic.lindblad.QuadraticLindbladian` derives closed linear
  equations for ``n_ij = <c_i^+ c_j>`` and ``s_ij = <c_i^+ c_j^+>`` (and ``master.lab_eom``
  = Eq. (6), ``master.rwa_eom`` = Eq. (9), ``master.steady_state`` = Eqs. (10)-(12) exactly);
* numeric: :mod:`keldysh.paper.fock` builds the Jordan-Wigner Fock space (16 states for one
  ``(k, -k)`` pair), the 256 x 256 Lindbladian of Eq. (5), and computes
  ``d<O>/dt = tr(O L[rho])`` for arbitrary (non-Gaussian) density matrices.

The bilinear equations are exact operator identities (the adjoint generator maps a bilinear
onto bilinears and a constant), so they must hold for *every* state, not only Gaussian ones.

Tolerances: the Fock-space side is a matrix-vector product / LU solve / ``expm_multiply`` in double
precision on at most 256 x 256 matrices with entries O(10); its rounding error is
~1e-14 relative, so 1e-10 (absolute, on O(1)-O(10) numbers) leaves four orders of margin
while any wrong sign, factor or missing term in the equations gives O(0.01)-O(1) errors.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.integrate import solve_ivp

from keldysh.errors import ParameterError
from keldysh.paper import fock as F
from keldysh.paper import symbols as S
from keldysh.paper.build import lambdified, population_deviation_func, rwa_rhs_func
from keldysh.paper.symbolic import fermions as Fs
from keldysh.paper.symbolic import master
from keldysh.paper.symbolic.lindblad import Bilinears, QuadraticLindbladian, quadratic_hamiltonian

K1, K2, MK1, MK2 = 0, 1, 2, 3
TOL = 1e-10  # double-precision linear algebra on <= 256 x 256 matrices, see module docstring


# ----------------------------------------------------------------------------- helpers
def _exact(x: float) -> sp.Rational:
    """The exact binary value of a double as a SymPy Rational (same number on both routes)."""
    return sp.Rational(float(x))


def _exact_c(z: complex) -> sp.Expr:
    return _exact(z.real) + sp.I * _exact(z.imag)


def _all_bilinear_observables(M: int) -> dict:
    obs = {}
    for i in range(M):
        for j in range(i, M):
            obs[f"n{i}{j}"] = Fs.mul(Fs.cdag(i), Fs.c(j))
    for i in range(M):
        for j in range(i + 1, M):
            obs[f"s{i}{j}"] = Fs.mul(Fs.cdag(i), Fs.cdag(j))
    return obs


def _flatten(n: np.ndarray, s: np.ndarray, M: int) -> np.ndarray:
    """Values in the order of ``Bilinears(M).symbols()``: n_ij (i <= j), then s_ij (i < j)."""
    iu = np.triu_indices(M)
    iu1 = np.triu_indices(M, 1)
    return np.concatenate([n[..., iu[0], iu[1]], s[..., iu1[0], iu1[1]]], axis=-1)


def _momentum_charge() -> np.ndarray:
    """``Q = N_k - N_{-k}`` on the occupation basis (mode 0 = leftmost bit)."""
    idx = np.arange(16)
    occ = (idx[:, None] >> (3 - np.arange(4))) & 1
    return occ[:, K1] + occ[:, K2] - occ[:, MK1] - occ[:, MK2]


def symmetric_state(rho: np.ndarray) -> np.ndarray:
    """Project a 4-mode state onto the sector of Eqs. (6), (9): momentum-conserving and k <-> -k symmetric.

    Dephasing in ``Q = N_k - N_{-k}`` removes ``<c_k^+ c_{-k}>`` and same-momentum pairs;
    averaging with the exchange ``P c_k P^+ = c_{-k}`` removes ``s^{11}, s^{22}`` and makes
    ``n_{-k} = n_k``, ``s^{12}_k = -s^{21}_k``.  The result is generally non-Gaussian.
    """
    Q = _momentum_charge()
    r = np.where(Q[:, None] == Q[None, :], rho, 0.0)
    P = F.mode_permutation([MK1, MK2, K1, K2])
    r = 0.5 * (r + P @ r @ P.T)
    return r / np.trace(r).real


def paper_values(rho: np.ndarray) -> np.ndarray:
    """``(n11, n22, n21, s21)`` of Eqs. (6), (9) from a (batch of) Fock-space operator(s)."""
    n, s = F.bilinears(rho)
    return np.stack([n[..., K1, K1], n[..., K2, K2], n[..., K2, K1], s[..., K2, MK1]], axis=-1)


def assert_symmetric_sector(rho: np.ndarray, atol: float = 1e-13) -> None:
    """The substitutions of ``master._symmetric_substitution`` hold for ``rho``."""
    n, s = F.bilinears(rho)
    zero = [n[K1, MK1], n[K1, MK2], n[K2, MK1], n[K2, MK2], s[K1, MK1], s[K2, MK2], s[K1, K2], s[MK1, MK2]]
    assert np.max(np.abs(zero)) < atol
    assert abs(n[MK1, MK1] - n[K1, K1]) < atol and abs(n[MK2, MK2] - n[K2, K2]) < atol
    assert abs(n[MK1, MK2] - n[K1, K2]) < atol
    assert abs(s[K1, MK2] + s[K2, MK1]) < atol


def lab_eom_func():
    """Eq. (6) lambdified: ``(n11, n22, n21, s21, E1, E2, Omega, omega0, t, Delta, Gamma1, Gamma2, f1, f2)``."""

    def expr():
        eqs = master.lab_eom()
        return [eqs[k] for k in ("n11", "n22", "n21", "s21")]

    def args():
        n11, n22, n21, s21 = master.paper_variables()
        return (n11, n22, n21, s21, S.E1, S.E2, S.Omega, S.omega0, S.t, S.Delta, S.Gamma1, S.Gamma2, S.f1, S.f2)

    return lambdified("test_fock.lab_eom", expr, args)


def rwa_eom_func():
    """Eq. (9) lambdified in the tilde energies: ``(n11, n22, n21, s21, Et1, Et2, Omega, Delta, Gamma1, Gamma2, f1, f2)``."""

    def expr():
        eqs = master.rwa_eom()
        return [eqs[k] for k in ("n11", "n22", "n21", "s21")]

    def args():
        n11, n22, n21, s21 = master.paper_variables()
        return (n11, n22, n21, s21, S.Et1, S.Et2, S.Omega, S.Delta, S.Gamma1, S.Gamma2, S.f1, S.f2)

    return lambdified("test_fock.rwa_eom", expr, args)


def steady_system_func():
    """``A, b`` of ``master.steady_state()`` (``A u = b``, ``u = (n11, n22, n21, n12, s21, sbar21)``)."""

    def expr():
        ss = master.steady_state()
        return [ss["A"], ss["b"]]

    def args():
        return (S.E, S.eps, S.Omega, S.Gamma1, S.Gamma2, S.f1, S.f2, S.Delta, master.steady_state()["Deltabar"])

    return lambdified("test_fock.steady_system", expr, args)


def anomalous_func():
    """Eq. (10) as derived by ``master.anomalous_expr()``: ``s21(x, E, Gamma1, Gamma2, Deltabar)``."""

    def args():
        return (sp.Symbol("x"), S.E, S.Gamma1, S.Gamma2, master.steady_state()["Deltabar"])

    return lambdified("test_fock.anomalous", master.anomalous_expr, args)


def _call(fn, vals: np.ndarray, *params) -> np.ndarray:
    n11, n22, n21, s21 = vals
    return np.array(fn(n11.real, n22.real, n21, s21, *params), dtype=complex)


def _random_pair_params(rng: np.random.Generator) -> dict:
    return dict(
        Et1=rng.uniform(-2, 2),
        Et2=rng.uniform(-2, 2),
        Omega=rng.uniform(0.1, 2.0),
        Gamma1=rng.uniform(0.05, 1.0),
        Gamma2=rng.uniform(0.05, 1.0),
        f1=rng.uniform(0, 1),
        f2=rng.uniform(0, 1),
        Delta=complex(rng.normal(), rng.normal()) * 0.7,
    )


# ----------------------------------------------------------------------------- (a) generic
finite = st.floats(-2.0, 2.0, allow_nan=False, allow_infinity=False, allow_subnormal=False, width=32)


@st.composite
def quadratic_lindbladians(draw):
    """Random quadratic ``H`` (with pairing) and random linear jumps on 3 or 4 modes."""
    M = draw(st.sampled_from([3, 4]))

    def cplx(n):
        return np.array(draw(st.lists(finite, min_size=2 * n, max_size=2 * n))).reshape(2, n)

    A = cplx(M * M)
    A = (A[0] + 1j * A[1]).reshape(M, M)
    h = A + A.conj().T
    G = cplx(M * M)
    g = (G[0] + 1j * G[1]).reshape(M, M)
    jumps = []
    for _ in range(draw(st.integers(1, 3))):
        rate = draw(st.floats(0.0625, 2.0, width=32))
        a, b = cplx(M), cplx(M)
        jumps.append((rate, a[0] + 1j * a[1], b[0] + 1j * b[1]))
    seed = draw(st.integers(0, 2**32 - 1))
    return M, h, g, jumps, seed


def _engine(M, h, g, jumps, symbolic_rates: bool = False):
    """The symbolic engine's EOMs for ALL bilinears, from the same (exact) numbers, lambdified.

    Random-coefficient systems are one-off expressions, so they are lambdified here directly
    instead of through the cached ``keldysh.paper.build.lambdified``.  With ``symbolic_rates`` the
    rates stay symbols (one derivation for several rate sets): ``rhs(values, rates)``.
    """
    Hs = quadratic_hamiltonian(
        sp.Matrix(M, M, lambda i, j: _exact_c(h[i, j])), sp.Matrix(M, M, lambda i, j: _exact_c(g[i, j]))
    )
    js = []
    rate_syms = [sp.Symbol(f"rate_{k}", positive=True) for k in range(len(jumps))]
    for k, (rate, a, b) in enumerate(jumps):
        X = Fs.add(
            *[Fs.scale(Fs.c(i), _exact_c(a[i])) for i in range(M)],
            *[Fs.scale(Fs.cdag(i), _exact_c(b[i])) for i in range(M)],
        )
        js.append((rate_syms[k] if symbolic_rates else _exact(rate), X))
    table = Bilinears(M)
    eqs = QuadraticLindbladian(M, Hs, js).eom_system(_all_bilinear_observables(M), table)
    syms = table.symbols()
    fn = sp.lambdify([*syms, *rate_syms], list(eqs.values()), modules="numpy", cse=True)
    real = np.array([bool(sy.is_real) for sy in syms])
    default_rates = [float(r) for r, _, _ in jumps]

    def rhs(values: np.ndarray, rates=None) -> np.ndarray:
        vals = [v.real if r else v for v, r in zip(values, real)]
        return np.array(fn(*vals, *(default_rates if rates is None else rates)), dtype=complex)

    return rhs


@pytest.mark.slow
# 3 random systems (each an exact symbolic derivation, ~1.5 s), three states each; the fixed four-mode
# example below adds a fourth system with a negative control
@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True, database=None)
@given(quadratic_lindbladians())
def test_generic_bilinear_eoms_match_fock_lindbladian(system):
    """Engine EOMs == tr(O L[rho]) for random quadratic Lindbladians and random states (Eq. (5))."""
    M, h, g, jumps, seed = system
    rhs = _engine(M, h, g, jumps)
    L = F.liouvillian(F.quadratic_hamiltonian(h, g), [(r, F.linear_jump(a, b)) for r, a, b in jumps])
    rng = np.random.default_rng(seed)
    d = 2**M
    for rank in (d, 1, 2):  # mixed, pure and low-rank states: generically non-Gaussian
        rho = F.random_density_matrix(d, rng, rank=rank)
        n, s = F.bilinears(rho)
        engine = rhs(_flatten(n, s, M))
        dn, ds = F.bilinears(F.apply_liouvillian(L, rho))
        fock = _flatten(dn, ds, M)
        scale = 1.0 + np.abs(fock).max()
        assert np.abs(engine - fock).max() < TOL * scale


@pytest.mark.slow
def test_generic_fixed_four_mode_example_and_negative_control():
    """A fixed 4-mode system; halving one rate in the engine must break the agreement."""
    rng = np.random.default_rng(20150217)
    M = 4
    A = rng.normal(size=(M, M)) + 1j * rng.normal(size=(M, M))
    h, g = A + A.conj().T, rng.normal(size=(M, M)) + 1j * rng.normal(size=(M, M))
    jumps = [
        (
            rng.uniform(0.2, 1),
            rng.normal(size=M) + 1j * rng.normal(size=M),
            rng.normal(size=M) + 1j * rng.normal(size=M),
        )
        for _ in range(2)
    ]
    L = F.liouvillian(F.quadratic_hamiltonian(h, g), [(r, F.linear_jump(a, b)) for r, a, b in jumps])
    rho = F.random_density_matrix(16, rng)
    dn, ds = F.bilinears(F.apply_liouvillian(L, rho))
    fock = _flatten(dn, ds, M)
    n, s = F.bilinears(rho)
    rhs = _engine(M, h, g, jumps, symbolic_rates=True)  # one derivation for both rate sets
    good = rhs(_flatten(n, s, M))
    assert np.abs(good - fock).max() < TOL * (1 + np.abs(fock).max())
    # the printed Eq. (5) without the factor-2 fix: every rate halved
    bad = rhs(_flatten(n, s, M), [r / 2 for r, _, _ in jumps])
    assert np.abs(bad - fock).max() > 1e-3


# ----------------------------------------------------------------------------- (b) paper's block
def _symmetric_states(model: F.FockModel, rng: np.random.Generator, n_random: int = 3) -> list:
    states = [symmetric_state(F.random_density_matrix(16, rng, rank=r)) for r in (16, 1, 3)[:n_random]]
    return states


def test_lab_frame_eq6_matches_fock_lindbladian():
    """Eq. (6) (``master.lab_eom``) == tr(O L(t)[rho]) in the symmetric sector, at random t."""
    rng = np.random.default_rng(6)
    fn = lab_eom_func()
    worst = 0.0
    for _ in range(4):
        p = _random_pair_params(rng)
        w = rng.uniform(5, 30)
        E1, E2 = p.pop("Et1") - w / 2, p.pop("Et2") + w / 2
        model = F.pair_block("lab", E1=E1, E2=E2, omega0=w, **p)
        t = rng.uniform(0, 10)
        L = model.liouvillian(t)
        states = _symmetric_states(model, rng)
        states.append(model.floquet(10).rho(t))  # the long-time periodic state at time t
        for rho in states:
            assert_symmetric_sector(rho)
            vals = paper_values(rho)
            engine = _call(fn, vals, E1, E2, p["Omega"], w, t, p["Delta"], p["Gamma1"], p["Gamma2"], p["f1"], p["f2"])
            fock = paper_values(F.apply_liouvillian(L, rho))
            worst = max(worst, np.abs(engine - fock).max())
    assert worst < TOL


def test_rwa_eq9_matches_fock_lindbladian():
    """Eq. (9) (``master.rwa_eom``) == the rotating-frame Fock Lindbladian, for symmetric states."""
    rng = np.random.default_rng(9)
    fn = rwa_eom_func()
    worst = 0.0
    for _ in range(4):
        p = _random_pair_params(rng)
        model = F.pair_block("rwa", **p)
        L = model.liouvillian()
        states = _symmetric_states(model, rng)
        states += list(model.evolve(states[1], [0.3, 1.7]))  # evolved non-Gaussian symmetric states
        for rho in states:
            assert_symmetric_sector(rho, atol=1e-12)
            vals = paper_values(rho)
            engine = _call(
                fn, vals, p["Et1"], p["Et2"], p["Omega"], p["Delta"], p["Gamma1"], p["Gamma2"], p["f1"], p["f2"]
            )
            fock = paper_values(F.apply_liouvillian(L, rho))
            worst = max(worst, np.abs(engine - fock).max())
    assert worst < TOL


def test_printed_rate_factor_disagrees_with_fock():
    """Negative control: Eq. (6) with the printed Eq. (5) normalisation (rate_factor=1) is wrong."""
    rng = np.random.default_rng(5)
    p = _random_pair_params(rng)
    model = F.pair_block("rwa", **p)
    rho = symmetric_state(F.random_density_matrix(16, rng))
    fock = paper_values(F.apply_liouvillian(model.liouvillian(), rho))
    n11, n22, n21, s21 = master.paper_variables()
    eqs = master.rwa_eom(rate_factor=1)
    vals = paper_values(rho)
    sub = {
        n11: vals[0].real,
        n22: vals[1].real,
        n21: vals[2],
        s21: vals[3],
        S.Et1: p["Et1"],
        S.Et2: p["Et2"],
        S.Omega: p["Omega"],
        S.Delta: p["Delta"],
        S.Gamma1: p["Gamma1"],
        S.Gamma2: p["Gamma2"],
        S.f1: p["f1"],
        S.f2: p["f2"],
    }
    engine = np.array([complex(eqs[k].subs(sub).evalf()) for k in ("n11", "n22", "n21", "s21")])
    assert np.abs(engine - fock).max() > 1e-2


# ----------------------------------------------------------------------------- (c) steady state
def test_exact_steady_state_matches_fock_null_vector():
    """``steady_state()``, ``population_deviation_expr("exact")`` and ``anomalous_expr()`` (Eqs. (10)-(12), exact)
    == the null vector of the 256 x 256 RWA Lindbladian.

    Tolerance 1e-10: the Fock null vector solves a 256 x 256 linear system (LU in double
    precision) whose error is ~ eps / rcond ~ 1e-16 * (||L|| / Gamma_min) <~ 1e-13 here; the
    6 x 6 system of the symbolic route is solved in double precision as well.
    """
    rng = np.random.default_rng(10)
    Asys = steady_system_func()
    xfn = population_deviation_func("exact")
    sfn = anomalous_func()
    worst = 0.0
    cases = [_random_pair_params(rng) for _ in range(10)]
    cases[0].update(f1=1.0, f2=0.0)  # Eqs. (11)-(12) regime: only one jump per mode
    cases[1].update(f1=0.0, f2=1.0)
    for p in cases:
        model = F.pair_block("rwa", **p)
        rho = model.steady_state()
        assert_symmetric_sector(rho, atol=1e-12)
        n11, n22, n21, s21 = paper_values(rho)
        E, eps = p["Et1"] + p["Et2"], p["Et2"] - p["Et1"]
        D = p["Delta"]
        A, b = (
            np.asarray(m, dtype=complex)
            for m in Asys(E, eps, p["Omega"], p["Gamma1"], p["Gamma2"], p["f1"], p["f2"], D, D.conjugate())
        )
        u = np.linalg.solve(A, b.ravel())
        fock_u = np.array([n11, n22, n21, np.conj(n21), s21, np.conj(s21)])
        x_fock = (n11 + n22 - 1).real
        x_sym = xfn(E, eps, abs(D), p["Omega"], p["Gamma1"], p["Gamma2"], p["f1"], p["f2"])
        s_sym = complex(sfn(x_sym, E, p["Gamma1"], p["Gamma2"], D.conjugate()))
        worst = max(worst, np.abs(u - fock_u).max(), abs(x_sym - x_fock), abs(s_sym - s21))
        # Eq. (10): s21 = -conj(Delta) x / (E + i Gamma), checked on the Fock state itself
        G = p["Gamma1"] + p["Gamma2"]
        worst = max(worst, abs(s21 + D.conjugate() * x_fock / (E + 1j * G)))
    assert worst < TOL


# ----------------------------------------------------------------------------- (d) time evolution
def test_rwa_time_evolution_matches_fock():
    """Eq. (9) integrated (``rwa_rhs_func``) vs ``exp(L t) rho0`` in Fock space from the same state.

    The ODE uses DOP853 with rtol = 1e-12, atol = 1e-14 on O(1) variables over ~6 decay times;
    the global error stays below ~1e-11 (a few hundred steps, each with local error <= 1e-12
    and contracting dynamics).  ``expm_multiply`` is accurate to ~1e-14.  Tolerance: 1e-9.
    """
    rng = np.random.default_rng(4)
    rhs = rwa_rhs_func()
    p = _random_pair_params(rng)
    model = F.pair_block("rwa", **p)
    rho0 = symmetric_state(F.random_density_matrix(16, rng, rank=2))  # non-Gaussian start
    E, eps = p["Et1"] + p["Et2"], p["Et2"] - p["Et1"]
    args = (E, eps, p["Delta"], p["Omega"], p["Gamma1"], p["Gamma2"], p["f1"], p["f2"])

    def f(t, y):
        return np.array(rhs(y[0].real, y[1].real, y[2], y[3], *args), dtype=complex)

    Gmin = min(p["Gamma1"], p["Gamma2"])
    times = np.linspace(0, 3 / Gmin, 7)
    sol = solve_ivp(
        f, (0, times[-1]), paper_values(rho0).astype(complex), method="DOP853", t_eval=times, rtol=1e-12, atol=1e-14
    )
    assert sol.success
    fock = paper_values(model.evolve(rho0, times))
    err = np.abs(sol.y.T - fock).max()
    assert err < 1e-9
    # the evolution is not trivial: the state moved by O(0.1) at least
    assert np.abs(fock[-1] - fock[0]).max() > 0.05


# ----------------------------------------------------------------------------- (e) lab vs RWA
def _lab_vs_rwa_error(p: dict, w: float) -> tuple[float, float]:
    """(time-averaged, max-over-period) deviation of the lab-frame periodic state from the RWA one."""
    q = dict(p)
    Et1, Et2 = q.pop("Et1"), q.pop("Et2")
    rwa = paper_values(F.pair_block("rwa", Et1=Et1, Et2=Et2, **q).steady_state())
    fl = F.pair_block("lab", E1=Et1 - w / 2, E2=Et2 + w / 2, omega0=w, **q).floquet(12)
    assert fl.tail < 1e-12
    # rotating-frame averages: n11, n22, s21 from harmonic 0; n21_lab = n21_rot exp(+i omega0 t) -> harmonic +1
    h0, h1 = paper_values(fl.harmonic(0)), paper_values(fl.harmonic(1))
    avg = np.array([h0[0], h0[1], h1[2], h0[3]])
    ts = np.linspace(0, 2 * np.pi / w, 33)
    inst = paper_values(fl.rho(ts))
    inst[:, 2] *= np.exp(-1j * w * ts)
    return float(np.abs(avg - rwa).max()), float(np.abs(inst - rwa).max())


def test_lab_frame_approaches_rwa_as_omega0_grows():
    """Lab-frame Floquet state -> RWA steady state (Eq. (9)) with error ~ Omega / omega0."""
    p = dict(Et1=0.2, Et2=-0.1, Omega=0.8, Gamma1=0.3, Gamma2=0.05, f1=1.0, f2=0.0, Delta=0.4 + 0.3j)
    ws = np.array([10.0, 20.0, 40.0, 80.0, 160.0])
    errs = np.array([_lab_vs_rwa_error(p, w) for w in ws])
    slope_avg = np.polyfit(np.log(ws), np.log(errs[:, 0]), 1)[0]
    slope_max = np.polyfit(np.log(ws), np.log(errs[:, 1]), 1)[0]
    # both deviations fall like 1/omega0 (Bloch-Siegert shift Omega^2/omega0 in the average,
    # counter-rotating wiggles of amplitude ~ Omega/omega0 within a period)
    assert -1.15 < slope_avg < -0.85, (errs, slope_avg)
    assert -1.15 < slope_max < -0.85, (errs, slope_max)
    assert np.all(np.diff(errs[:, 1]) < 0)
    assert errs[-1, 1] < 0.01


def test_floquet_state_is_the_driven_evolution():
    """The Floquet harmonics solve ``d rho/dt = (L0 + cos(omega0 t) L1) rho`` (checked by ``solve_ivp``).

    DOP853 with rtol = 1e-11, atol = 1e-13 over one period: error ~1e-11; tolerance 1e-9.
    """
    p = dict(Omega=0.8, Gamma1=0.3, Gamma2=0.05, f1=0.9, f2=0.2, Delta=0.4 + 0.3j)
    w = 15.0
    model = F.pair_block("lab", E1=0.2 - w / 2, E2=-0.1 + w / 2, omega0=w, **p)
    fl = model.floquet(12)
    ts = np.linspace(0, 2 * np.pi / w, 5)
    rho_t = model.evolve(fl.rho(0.0), ts, rtol=1e-11, atol=1e-13)
    assert np.abs(rho_t - fl.rho(ts)).max() < 1e-9
    assert np.abs(rho_t[-1] - rho_t[0]).max() < 1e-9  # periodic
    assert np.abs(rho_t[2] - rho_t[0]).max() > 1e-3  # but not static


# ----------------------------------------------------------------------------- validation
@pytest.mark.parametrize(
    "bad, param",
    [
        (dict(Gamma1=0.0), "Gamma1"),
        (dict(Gamma2=-1.0), "Gamma2"),
        (dict(f1=1.5), "f1"),
        (dict(f2=-0.1), "f2"),
        (dict(Omega=float("nan")), "Omega"),
        (dict(Delta=complex(1, float("inf"))), "Delta"),
        (dict(Et1=float("inf")), "Et1"),
    ],
)
def test_pair_block_rejects_bad_input(bad, param):
    p = dict(Et1=0.1, Et2=-0.1, Omega=0.5, Gamma1=0.1, Gamma2=0.2, f1=1.0, f2=0.0, Delta=0.1)
    p.update(bad)
    with pytest.raises(ParameterError) as info:
        F.pair_block("rwa", **p)
    assert info.value.param == param


def test_frame_and_model_errors():
    with pytest.raises(ParameterError):
        F.pair_block("lab", Et1=0.0, Et2=0.0, Omega=1, Gamma1=1, Gamma2=1, f1=0, f2=0)
    with pytest.raises(ParameterError):
        F.pair_block("moving", Et1=0.0, Et2=0.0, Omega=1, Gamma1=1, Gamma2=1, f1=0, f2=0)
    lab = F.pair_block("lab", E1=-1, E2=1, omega0=2.0, Omega=1, Gamma1=1, Gamma2=1, f1=0, f2=0)
    with pytest.raises(ParameterError):
        lab.steady_state()
    with pytest.raises(ParameterError):
        lab.hamiltonian()
    with pytest.raises(ParameterError):
        F.quadratic_hamiltonian(np.array([[0, 1], [0, 0]]))  # not Hermitian
    with pytest.raises(ParameterError):
        F.liouvillian(np.eye(2), [(-1.0, np.eye(2))])
    # a Lindbladian without dissipation has no unique steady state
    with pytest.raises(ParameterError):
        F.steady_state(F.liouvillian(F.quadratic_hamiltonian(np.eye(2))))


def test_fock_conventions():
    """CAR, the column-stacking vec identity and the exchange unitary."""
    C = F.annihilators(4)
    I = np.eye(16)
    anti = np.einsum("iab,jbc->ijac", C, np.transpose(C, (0, 2, 1))) + np.einsum(
        "jab,ibc->ijac", np.transpose(C, (0, 2, 1)), C
    )
    assert np.allclose(anti, np.einsum("ij,ac->ijac", np.eye(4), I), atol=0)
    assert np.allclose(np.einsum("iab,jbc->ijac", C, C) + np.einsum("jab,ibc->ijac", C, C), 0, atol=0)
    rng = np.random.default_rng(0)
    X, Y, R = (rng.normal(size=(16, 16)) + 1j * rng.normal(size=(16, 16)) for _ in range(3))
    assert np.allclose(F.vec(X @ R @ Y), np.kron(Y.T, X) @ F.vec(R))
    assert F.vec(R)[1] == R[1, 0]
    P = F.mode_permutation([2, 3, 0, 1])
    assert all(np.allclose(P @ C[i] @ P.T, C[j]) for i, j in enumerate([2, 3, 0, 1]))
    assert np.allclose(P @ P.T, I)
