"""``simulate`` (lab-frame bilinear dynamics with the instantaneous self-consistency) against
``solve_gap``, and the compiled right-hand side against its NumPy twin.

The dynamics never uses the rotating frame nor the condition ``Im I = 0``; that it settles on
``|Delta| e^{-2 i omega t}`` with the complete condition's ``|Delta|`` and ``omega`` (and not on the
in-phase ``|Delta|``) is the test of the complete condition.
"""

from __future__ import annotations

import numpy as np
import pytest

import keldysh as kd
from keldysh.meanfield import _kernels
from keldysh.meanfield.gap import Integrand
from keldysh.meanfield.quadrature import build_grid


@pytest.fixture(scope="module")
def run_from_in_phase(bcs, solve):
    """Start on the in-phase state (every block stationary at Delta = in-phase |Delta|, omega = 0).

    From there the distance to the complete solution (4e-3 relative) decays at ~1.2e-2 per unit
    time (measured), so t_max = 1000 leaves ~2e-8 (and the default seed 1e-3 would need t ~ 2000,
    ~2x the time).  401 samples: the fits use the last 10 % / 25 %, i.e. 40 / 100 points.
    """
    D_ip = solve(condition="in-phase").delta
    return D_ip, kd.simulate(bcs.model, V=1.0, values=bcs.values(), t_max=1000.0, Delta0=D_ip, samples=401)


@pytest.mark.slow
def test_simulate_converges_to_the_complete_solution(solve, run_from_in_phase):
    """Tolerances: DOP853 at rtol 1e-8 (atol 1e-11 on G) and a residual transient ~2e-8 relative at
    t = 1000 (measured: |Delta| 2e-8, omega 2e-10 relative): 1e-6 for |Delta|, 1e-5 for omega
    (a linear fit of the unwrapped phase over the last quarter)."""
    rc, ri = solve(), solve(condition="in-phase")
    D_ip, run = run_from_in_phase
    assert run.magnitude() == pytest.approx(rc.delta, rel=1e-6)
    assert run.frequency() == pytest.approx(rc.omega, rel=1e-5)
    assert abs(run.magnitude() - ri.delta) / ri.delta > 1e-3  # left the in-phase value behind
    # stationary rotation: |Delta| constant and the phase winding clockwise at 2 omega
    tail = np.abs(run.Delta[-40:])
    assert tail.std() < 1e-6 * rc.delta
    assert rc.omega > 0 and np.all(np.diff(np.unwrap(np.angle(run.Delta[-40:]))) < 0)


@pytest.mark.slow
def test_simulate_starts_self_consistently(bcs, solve, run_from_in_phase):
    """Delta(0) is V I(Delta0, 0) of the initial block states, computed by the gap solver's own
    integrand on the same grid (same nodes, summed in another order: 1e-12)."""
    D_ip, run = run_from_in_phase
    model = bcs.model
    vals = model.resolve(bcs.values())
    grid, _ = build_grid(model, vals, 8)
    I = Integrand(model, model.node_data(grid.k, grid.w, vals), "master")
    assert run.diagnostics["nodes"] == len(grid)
    assert run.Delta[0] == pytest.approx(1.0 * I(D_ip, 0.0), rel=1e-12)
    # the in-phase state has Re(V I) = |Delta| but Im(V I) != 0: it is not stationary
    assert run.Delta[0].real == pytest.approx(D_ip, rel=1e-9)
    assert abs(run.Delta[0].imag) > 1e-3 * D_ip


@pytest.mark.parametrize("d", [2, 4, 6])
def test_compiled_rhs_equals_numpy_twin(d):
    """Same arithmetic in another order (at most d = 6 products per entry): 1e-13 of the scale."""
    rng = np.random.default_rng(1234 + d)
    Nk = 57

    def c(*shape):
        return rng.normal(size=shape) + 1j * rng.normal(size=shape)

    G, K0, hD, hDb, M = (c(Nk, d, d) for _ in range(5))
    D = complex(0.3, -0.7)
    ref = _kernels.bilinear_rhs_numpy(G, K0, hD, hDb, M, D)
    got = _kernels.bilinear_rhs(G, K0, hD, hDb, M, D)
    assert got.shape == ref.shape and got.dtype == np.complex128
    np.testing.assert_allclose(got, ref, rtol=0, atol=1e-13 * np.abs(ref).max())
    # the loop itself, uncompiled (independent of numba being installed)
    out = np.empty_like(G)
    _kernels._rhs_loop(G[:5], K0[:5], hD[:5], hDb[:5], M[:5], D, out[:5])
    np.testing.assert_allclose(out[:5], ref[:5], rtol=0, atol=1e-13 * np.abs(ref).max())


def test_compiled_rhs_is_the_bilinear_equation(bcs):
    """On the model's data the twin is ``-i K G + i G K^+ + M`` of ``keldysh.meanfield.numeric.rhs``."""
    from keldysh.meanfield.numeric import kernel, rhs

    model = bcs.model
    vals = model.resolve(bcs.values())
    k = np.linspace(0.1, 1.9, 11)
    nd = model.node_data(k, np.ones_like(k), vals)
    rng = np.random.default_rng(7)
    G = rng.normal(size=(11, 4, 4)) + 1j * rng.normal(size=(11, 4, 4))
    G = G + G.conj().transpose(0, 2, 1)
    D = 0.02 - 0.01j
    ref = rhs(nd, kernel(nd, D, 0.0), G)
    got = _kernels.bilinear_rhs(G, kernel(nd, 0.0, 0.0), nd.hD, nd.hDb, nd.M, D)
    np.testing.assert_allclose(got, ref, rtol=0, atol=1e-13 * np.abs(ref).max())
