"""A finite-gap branch that the |Delta| = 0 threshold test cannot see (Eq. (46) window, v_+ != 0).

For the pumping model on a long line the maximum over |Delta| of the gap function is 1/r with
r = |v_+| / (bound of Eq. (46)): for 1/r > 1 > (value at Delta = 0) a solution exists although
|V| < V_c.  solve_gap must find it (log scan + brentq) and the root must satisfy the equation.
"""

import pytest

import keldysh
from keldysh.paper import pumping as P
from keldysh.paper.quadrature import momentum_grid
from keldysh.paper.solvers.gap import get_kernel


def test_finite_branch_below_threshold_is_found():
    V = 5.0
    bound = P.v_plus_bound_eq46(P.PumpingModel(kmax=50.0), V)
    m = P.PumpingModel(kmax=50.0, v_plus=0.9 * bound)
    res = keldysh.solve_gap(m, V, condition="in-phase")
    assert abs(V) < res.V_c  # the Delta = 0 test says "below threshold" ...
    assert res.delta > 0 and res.diagnostics["bistable"]  # ... yet a gap exists
    _, kernel = get_kernel(m, None)
    g = momentum_grid(m)
    assert 1 + V * g.integrate(kernel(m, g, res.delta)) == pytest.approx(0.0, abs=1e-10)
    # without the scan the solver reports the threshold only
    assert keldysh.solve_gap(m, V, scan_bistable=False, condition="in-phase").delta == 0.0


def test_no_spurious_branch_for_monotonic_kernel():
    res = keldysh.solve_gap(keldysh.preset("fig4"), 2.0, condition="in-phase")
    assert res.delta == 0.0 and "below the threshold" in res.reason and not res.diagnostics.get("bistable")
