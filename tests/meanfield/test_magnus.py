"""The Magnus integrator and the in-phase projection of ``keldysh.meanfield.simulate``, for any model.

Independent routes compared:

* the probed affine form of :mod:`keldysh.meanfield.magnus` against the bilinear equation of
  :func:`keldysh.meanfield.numeric.rhs` (any block size: the BCS pair ``d = 4``, the paper's
  Sect. II model on the engine ``d = 8``), and the compiled step against its NumPy twin;
* ``magnus4`` / ``magnus2`` against DOP853 at a tight tolerance (BCS pair of the contract);
* the convergence order at a fixed step (``magnus4``: the error falls 16x per halving, ``magnus2`` 4x);
* ``projection="in-phase"`` (Eq. (18)) against ``"complete"`` (Eq. (17)): a constant phase against the
  winding at the ``omega`` of ``solve_gap(condition="complete")``;
* dephasing included (Sect. III's pumped pair with the ``Gamma_12`` dephasing jump);
* the Fig. 4 model on the engine: the in-phase dynamics holds the paper's Eq. (18) steady state.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg as sla

import keldysh as kd
from keldysh.errors import ParameterError
from keldysh.meanfield import magnus as mg
from keldysh.meanfield import magnus_step as ms
from keldysh.meanfield.numeric import covariance_master, kernel, rhs
from keldysh.meanfield.quadrature import build_grid

ORDER = 2  # Gauss nodes per panel: 122 nodes for the BCS pair, enough for the dynamics checked here
#: Magnus against DOP853: the error of Delta relative to max |Delta| stays below BOUND x steps x rtol
BOUND = 5.0


def _nodes(model, values, order=ORDER):
    vals = model.resolve(values)
    grid, _ = build_grid(model, vals, order)
    return model.node_data(grid.k, grid.w, vals)


@pytest.fixture(scope="module")
def fig4():
    """The paper's Fig. 4 model rebuilt on the engine (4-mode block, ``d = 8``) and its values."""
    from keldysh.models.paper import engine_model

    return engine_model(kd.preset("fig4"))


@pytest.fixture(scope="module")
def start(bcs):
    """A seed away from every fixed point: half the in-phase ``|Delta|``, phase 0.3 (``order=2``)."""
    ri = kd.solve_gap(bcs.model, V=1.0, values=bcs.values(), condition="in-phase", order=ORDER)
    return ri, 0.5 * ri.delta * np.exp(0.3j)


# ----------------------------------------------------------------------------- building blocks
@pytest.mark.parametrize("which", ["bcs", "fig4"])
def test_affine_form_is_the_bilinear_equation(bcs, fig4, which):
    """``A(Delta) [u; 1]`` in the coordinates equals ``-i K G + i G K^+ + M`` of ``numeric.rhs`` at a
    random physical ``G`` and complex ``Delta`` (exact probing of an affine map: rounding, 1e-12), and
    ``Delta`` of the coordinates is the self-consistency ``V int measure s(G)`` (Eq. (17))."""
    model, values = (bcs.model, bcs.values()) if which == "bcs" else fig4
    nd = _nodes(model, values)
    system = mg.affine_system(nd, model.s_terms, 0.7)
    rng = np.random.default_rng(3)
    u = rng.normal(size=(nd.h0.shape[0], system.m))
    D = complex(0.02, -0.01)
    G = system.covariance(u)
    np.testing.assert_allclose(system.coords(G), u, atol=1e-14)
    ref = rhs(nd, kernel(nd, D, 0.0), G)
    A = system.A0 + D.real * system.Ar + D.imag * system.Ai
    du = np.einsum("kij,kj->ki", A[:, : system.m, : system.m], u) + A[:, : system.m, -1]
    got = system.covariance(du) - 0.5 * np.eye(nd.d)
    np.testing.assert_allclose(got, ref, rtol=0, atol=1e-12 * np.abs(ref).max())
    s = np.zeros(len(u), complex)
    for (_c, p, q, conj), c in zip(model.s_terms, nd.s_coef):
        s += c * (np.conj(G[:, p, q]) if conj else G[:, p, q])
    assert system.delta(u) == pytest.approx(0.7 * np.sum(nd.weight * s), rel=1e-12)


def test_compiled_step_equals_numpy_twin():
    """One step of every node, compiled loop against the NumPy twin (``7 x 7`` and ``29 x 29``
    augmented blocks): the same degree-8 Taylor polynomial and per-node scaling, 1e-13."""
    rng = np.random.default_rng(5)
    for N, n1 in ((20, 7), (6, 29)):
        A0, Ar, Ai = (rng.normal(size=(N, n1, n1)) / n1 for _ in range(3))
        for A in (A0, Ar, Ai):
            A[:, -1, :] = 0.0
        A0 *= np.geomspace(0.01, 30, N)[:, None, None]
        u = rng.normal(size=(N, n1 - 1))
        filt = rng.uniform(0, 0.01, N)
        ref = ms.magnus_step(A0, Ar, Ai, u, 0.1 + 0.2j, -0.1j, 0.3, filt, compiled=False)
        got = ms.magnus_step(A0, Ar, Ai, u, 0.1 + 0.2j, -0.1j, 0.3, filt, compiled=True)
        np.testing.assert_allclose(got, ref, rtol=0, atol=1e-13 * np.abs(ref).max())


def test_expm_batched_per_matrix_matches_scipy():
    """Per-matrix scaling (norms over 4 decades in one stack) against ``scipy.linalg.expm``:
    truncation (1/4)^9/9! = 1e-11 plus squaring round-off."""
    rng = np.random.default_rng(1)
    A = rng.normal(size=(20, 7, 7)) * np.geomspace(0.01, 60, 20)[:, None, None]
    ref = np.array([sla.expm(a) for a in A])
    for per in (False, True):
        got = ms.expm_batched(A, per_matrix=per)
        err = np.abs(got - ref).max(axis=(1, 2)) / np.abs(ref).max(axis=(1, 2))
        assert err.max() < 1e-9


# ----------------------------------------------------------------------------- against DOP853
@pytest.fixture(scope="module")
def dop853_reference(bcs, start):
    """DOP853 at rtol 1e-11 (its own error: 2e-10 at rtol 1e-9, measured), t in [0, 15]."""
    _, D0 = start
    return kd.simulate(bcs.model, 1.0, bcs.values(), t_max=15.0, Delta0=D0, samples=31, rtol=1e-11, order=ORDER)


@pytest.mark.parametrize("method, rtol", [("magnus4", 1e-9), ("magnus2", 1e-7)])
def test_magnus_equals_dop853(bcs, start, dop853_reference, method, rtol):
    """The Magnus path of ``Delta(t)`` equals DOP853's, to the accumulated tolerance.

    The step control bounds the local error of ``Delta`` by ``rtol max(|Delta|, sum_k |contribution_k|)``
    per step; along the neutral phase mode (U(1)) nothing damps it, so the global error grows like
    ``steps x rtol``.  Measured, error / (steps rtol): 0.34 (magnus4) and 1.9 (magnus2) here, 0.4-1.0
    and 1.4 over t = 60 for rtol = 1e-7 ... 1e-10; the bound is ``BOUND = 5`` (the reference is 100x
    tighter)."""
    _, D0 = start
    ref = dop853_reference
    run = kd.simulate(
        bcs.model, 1.0, bcs.values(), t_max=15.0, Delta0=D0, samples=31, rtol=rtol, order=ORDER, method=method
    )
    d = run.diagnostics
    assert d["method"] == method and d["projection"] == "complete" and d["unconverged_steps"] == 0
    np.testing.assert_array_equal(run.times, ref.times)
    assert run.Delta[0] == pytest.approx(ref.Delta[0], rel=1e-14)  # the same initial state and self-consistency
    err = np.abs(run.Delta - ref.Delta).max() / np.abs(ref.Delta).max()
    assert err < BOUND * d["steps"] * rtol
    assert err > 1e-13  # an independent integration, not a copy of the reference


@pytest.mark.parametrize("projection", ["in-phase", "complete"])
def test_magnus_with_dephasing_equals_dop853(projection):
    """Sect. III's pumped pair with the dephasing jump of ``Gamma_12`` (``keldysh.models.pumping``, a
    quadratic jump: the ``l G l`` term) on the engine, V = 5, from half its in-phase gap at phase 0.4:
    magnus4 (rtol 1e-9) against DOP853 (rtol 1e-11), t in [0, 20]; bound as in
    :func:`test_magnus_equals_dop853` (measured 9e-8 in-phase, 2e-8 complete, ~200-300 steps)."""
    from keldysh.models.paper import engine_model
    from keldysh.paper.pumping import PRESETS

    model, values = engine_model(PRESETS["pumping-dephased"])
    assert model.dephasing
    gap = kd.solve_gap(model, 5.0, values, condition="in-phase", order=ORDER)
    common = dict(t_max=20.0, Delta0=0.5 * gap.delta * np.exp(0.4j), samples=21, order=ORDER, projection=projection)
    ref = kd.simulate(model, 5.0, values, rtol=1e-11, **common)
    run = kd.simulate(model, 5.0, values, rtol=1e-9, method="magnus4", **common)
    err = np.abs(run.Delta - ref.Delta).max() / np.abs(ref.Delta).max()
    assert 1e-14 < err < BOUND * run.diagnostics["steps"] * 1e-9


@pytest.mark.parametrize("order4, p", [(True, 4), (False, 2)])
def test_convergence_order(bcs, start, order4, p):
    """Fixed steps h = 0.5, 0.25, 0.125 on t in [0, 10] (fixed point solved to 1e-14): the differences of
    ``Delta(10)`` between successive halvings fall by 2^p (measured 15.2-15.8 and 4.0-4.1 against a
    converged reference)."""
    nd = _nodes(bcs.model, bcs.values())
    system = mg.affine_system(nd, bcs.model.s_terms, 1.0)
    _, D0 = start
    u0 = system.coords(covariance_master(nd, kernel(nd, D0, 0.0)))
    end = []
    for h in (0.5, 0.25, 0.125):
        out, _, stats = mg.run_magnus(system, u0, 10.0, np.array([10.0]), rtol=1e-14, fixed_step=h, order4=order4)
        assert stats["steps"] == round(10.0 / h)
        end.append(out[0])
    ratio = abs(end[0] - end[1]) / abs(end[1] - end[2])
    assert 2**p * 0.8 < ratio < 2**p * 1.25


# ----------------------------------------------------------------------------- projections
def test_in_phase_keeps_the_phase_complete_winds(bcs, solve, start):
    """From the same state (0.98 of the in-phase ``|Delta|``, phase 0.3): ``projection="in-phase"``
    (Eq. (18)) keeps ``arg Delta = 0.3`` (to rounding: ``Delta`` is a real multiple of ``e^{0.3 i}`` by
    construction) and settles on the in-phase ``|Delta|``; ``"complete"`` (Eq. (17)) winds at the
    ``omega`` of ``solve_gap(condition="complete")`` on the same grid, with the complete ``|Delta|``.

    Tolerances, t = 800: the transients (period ~200, decaying by e in ~100) leave ~1e-5 of
    ``|Delta|`` (measured 8e-6 in-phase, 7e-6 and 1e-6 complete); the fitted ``omega`` is off by 1e-8
    with DOP853 (rtol 1e-6) and by 4e-4 with magnus4 at its loose rtol 1e-5 (~180 steps)."""
    ri, _ = start
    rc = solve(order=ORDER)
    D0 = 0.98 * ri.delta * np.exp(0.3j)
    common = dict(t_max=800.0, Delta0=D0, samples=201, order=ORDER)
    ip = kd.simulate(bcs.model, 1.0, bcs.values(), projection="in-phase", method="magnus4", rtol=1e-5, **common)
    assert np.abs(np.angle(ip.Delta * np.exp(-0.3j))).max() < 1e-12
    assert ip.magnitude() == pytest.approx(ri.delta, rel=1e-4)
    assert ip.frequency() == pytest.approx(0.0, abs=1e-12)
    for method, rtol, tol in (("dop853", 1e-6, 1e-6), ("magnus4", 1e-5, 2e-3)):
        full = kd.simulate(bcs.model, 1.0, bcs.values(), projection="complete", method=method, rtol=rtol, **common)
        assert full.frequency() == pytest.approx(rc.omega, rel=tol)
        assert full.magnitude() == pytest.approx(rc.delta, rel=1e-4)
        assert abs(full.magnitude() - ri.delta) > 1e-3 * ri.delta  # not the in-phase state
    assert full.diagnostics["frame_omega"] == pytest.approx(rc.omega, rel=2e-3)  # the frame magnus4 tracked


def test_fig4_on_the_engine_holds_the_paper_steady_state(fig4):
    """The paper's Fig. 4 model (V = 5) rebuilt on the engine, in-phase dynamics from its in-phase state.

    The paper's own dynamics (``keldysh.paper.solvers.dynamics.simulate``, projection of Eq. (18)) and
    this one cannot agree along the way: the paper weighs ``s21`` by the fixed ``Re[1/(E + i Gamma)]
    (E + i Gamma)``, which is the in-phase part only in a steady state (Eq. (10)), while
    ``projection="in-phase"`` keeps the in-phase part at every instant -- other transients, other grids.
    Their steady states are the same: the state of the engine's ``solve_gap(condition="in-phase")`` is
    a fixed point of the in-phase dynamics (magnus4 at rtol 1e-8 keeps ``|Delta|`` to 1e-7 over
    t = 2000, measured 5e-9; a constant ``Delta`` is integrated exactly), and it is the paper's Eq. (18)
    steady state (the paper's gap solver, to which its dynamics converges, ``tests/test_dynamics.py``):
    equal to 1e-6 (grids of order 3 and 12: 3e-8 measured).  Eq. (17) does not hold it: the complete
    self-consistency of the same state has an imaginary part 0.29 of the real one (measured)."""
    from keldysh.paper.solvers.gap import solve_gap as paper_gap

    model, values = fig4
    gap = kd.solve_gap(model, 5.0, values, condition="in-phase", order=3)
    run = kd.simulate(
        model,
        5.0,
        values,
        t_max=2000.0,
        Delta0=gap.delta,
        samples=21,
        order=3,
        method="magnus4",
        rtol=1e-8,
        projection="in-phase",
    )
    assert np.abs(np.abs(run.Delta) / gap.delta - 1).max() < 1e-7
    assert np.abs(run.Delta.imag).max() == 0.0
    assert run.diagnostics["steps"] < 50  # the stationary state lets the step grow without bound
    assert gap.delta == pytest.approx(paper_gap(kd.preset("fig4"), 5.0).delta, rel=1e-6)
    full = kd.simulate(model, 5.0, values, t_max=1e-3, Delta0=gap.delta, samples=2, order=3)
    assert abs(full.Delta[0].imag) > 0.2 * gap.delta


@pytest.mark.slow
def test_fig4_on_the_engine_magnus_equals_dop853(fig4):
    """The 8 x 8 block (29 x 29 augmented) through a transient: in-phase dynamics from half the in-phase
    gap, magnus4 (rtol 1e-9) against DOP853 (rtol 1e-11), t in [0, 20]; bound as in
    :func:`test_magnus_equals_dop853` (measured: 3.7e-8 after 234 steps, 0.16 steps x rtol)."""
    model, values = fig4
    common = dict(t_max=20.0, Delta0=0.0096, samples=21, order=ORDER, projection="in-phase")
    ref = kd.simulate(model, 5.0, values, rtol=1e-11, **common)
    run = kd.simulate(model, 5.0, values, rtol=1e-9, method="magnus4", **common)
    err = np.abs(run.Delta - ref.Delta).max() / np.abs(ref.Delta).max()
    assert 1e-14 < err < BOUND * run.diagnostics["steps"] * 1e-9


# ----------------------------------------------------------------------------- validation
@pytest.mark.parametrize(
    "kwargs, param",
    [
        ({"method": "rk4"}, "method"),
        ({"method": None}, "method"),
        ({"projection": "eq18"}, "projection"),
        ({"projection": "in_phase"}, "projection"),
        ({"projection": 1}, "projection"),
    ],
)
def test_unknown_names_raise(bcs, kwargs, param):
    with pytest.raises(ParameterError) as info:
        kd.simulate(bcs.model, 1.0, bcs.values(), t_max=1.0, **kwargs)
    assert info.value.param == param
