"""General isotropic dispersions in d = 1, 2, 3 against the paper's near-resonance reduction.

A 3D band pair with opposite velocities at k0 = 1 (v_+ = 0, E(k0) = 0):
E1 = -5/4 - k^2, E2 = 3/4 + 2 k^2 - k^4/2, omega0 = 9/2, so v_- = 4, kappa_+ = -2.
Away from k0 the populations are suppressed by Omega^2/(eps^2 + Gamma^2) (exact route), so the full
radial integral agrees with the Taylor-expanded model up to curvature corrections of the measure
(k^2 varies by ~ 2 dq/k0 over the resonance width); we assert 0.5 %.
"""

import math

import pytest

import keldysh
from keldysh.paper.dispersion import near_resonance_model, resonances

ISO = dict(
    E1="-1.25 - k**2", E2="0.75 + 2*k**2 - k**4/2", omega0=4.5, kmax=1.8, Omega=0.05, Gamma1=0.0009, Gamma2=0.0001
)


@pytest.mark.parametrize("d", [1, 2, 3])
def test_isotropic_matches_near_resonance(d):
    m = keldysh.LaserModel(d=d, **ISO)
    assert resonances(m) == [pytest.approx(1.0, abs=1e-12)]
    nr, k0, Ek0 = near_resonance_model(m)
    assert nr.v_minus == pytest.approx(4.0) and nr.v_plus == pytest.approx(0.0, abs=1e-12)
    assert nr.kappa_plus == pytest.approx(-2.0) and Ek0 == pytest.approx(0.0, abs=1e-12)
    S_d = {1: 2, 2: 2 * math.pi, 3: 4 * math.pi}[d]
    assert nr.N0_eff == pytest.approx(S_d / (2 * math.pi) ** d / 4)
    iso = keldysh.solve_gap(m, 5.0 * 2 ** (d - 1), "master", condition="in-phase")
    red = keldysh.solve_gap(nr.replace(kmax=0.8), 5.0 * 2 ** (d - 1), "master", condition="in-phase")
    assert iso.V_c == pytest.approx(red.V_c, rel=5e-3)
    assert iso.delta == pytest.approx(red.delta, rel=2e-2)


def test_isotropic_validation():
    with pytest.raises(keldysh.ParameterError, match="omega0"):
        keldysh.LaserModel(E1="-k**2", E2="k**2")
    with pytest.raises(keldysh.ParameterError, match="E1"):
        m = keldysh.LaserModel(E1="-k**2 + y", E2="k**2", omega0=1.0)
        keldysh.solve_gap(m, 1.0)
