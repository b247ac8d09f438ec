"""keldysh.paper.units: conventions, round trips, known numbers and the Conclusions' estimate."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from keldysh.cli import main
from keldysh.errors import ParameterError
from keldysh.paper import units as U

# SI values (CODATA 2018) used as an independent route in the known-number tests
HBAR_J_S = 1.054571817e-34
H_J_S = 6.62607015e-34
ME_KG = 9.1093837015e-31
QE = 1.602176634e-19


def test_paper_estimate_is_0p2_times_10_to_2p5():
    e = U.conclusions_estimate()
    # 1e-2 / sqrt(1e-6 * 1e-3) = 10^2.5 exactly (only round-off)
    assert e.kinematic_factor == pytest.approx(10**2.5, rel=1e-14)
    assert e.ratio == pytest.approx(0.2 * 10**2.5, rel=1e-14)
    assert e.log10_ratio == pytest.approx(math.log10(0.2) + 2.5, rel=1e-14)
    assert e.met
    assert e.ratio_exact_prefactor == pytest.approx(0.2 * 10**2.5 * math.pi / math.sqrt(2), rel=1e-14)
    assert not U.conclusions_estimate(VN0=1e-3).met  # 0.32 < 1


@pytest.mark.parametrize("E_u,u", [(1e-3, 1.0), (1.0, 1.0), (U.KB_EV_K * 7.0, 1e-3), (0.25, 0.02)])
def test_ratio_is_unit_independent(E_u, u):
    """The threshold ratio from dimensionless values in any unit system equals the physical one."""
    us = U.UnitSystem(energy_eV=E_u, velocity_c=u)
    kappa = us.curvature(1e-6, "eV^-1 c^2")
    Gamma = us.energy(1e-3, "eV")
    v = us.velocity(1e-2, "c")
    assert U.threshold_ratio(0.2, kappa, Gamma, v) == pytest.approx(0.2 * 10**2.5, rel=1e-12)


def test_known_numbers():
    us = U.UnitSystem(energy_eV=1e-3)
    assert us.temperature_K == pytest.approx(11.604518, rel=1e-6)
    assert us.energy(1.0, "THz") == pytest.approx(H_J_S * 1e12 / QE / 1e-3, rel=1e-9)  # h * 1 THz = 4.1357 meV
    assert us.length_m == pytest.approx(HBAR_J_S * 299792458.0 / (1e-3 * QE), rel=1e-9)  # hbar c / 1 meV = 197.3 um
    assert us.time_s == pytest.approx(HBAR_J_S / (1e-3 * QE), rel=1e-9)
    # kappa = hbar^2/(2 m_e) expressed in eV^-1 c^2 is 1/(2 m_e c^2) = (1.022 MeV)^-1
    k = us.curvature(1.0, "m_e")
    assert us.curvature_to(k, "eV^-1 c^2") == pytest.approx(1 / (2 * ME_KG * 299792458.0**2 / QE), rel=1e-9)
    assert us.curvature_to(k, "m_e") == pytest.approx(1.0, rel=1e-14)
    # the Conclusions' kappa ~ (1e6 eV)^-1 c^2 is an effective mass of 0.978 m_e
    assert us.curvature_to(us.curvature(1e-6), "m_e") == pytest.approx(1e6 / (2 * U.ME_C2_EV), rel=1e-12)
    assert U.bcs_coupling(100.0, 1.0) == pytest.approx(1 / math.log(100), rel=1e-15)
    assert U.bcs_coupling(100.0, 1.0, "bcs") == pytest.approx(1 / math.log(200), rel=1e-15)


def test_rabi_from_intensity():
    """1 mW on 1 mm^2 with d = 0.5 e nm: Omega = d E0 ~ 105 MHz (SI route)."""
    us = U.UnitSystem(energy_eV=1e-6)
    I, d = 1e3, 0.5e-9 * QE
    E0 = math.sqrt(2 * I / (299792458.0 * 8.8541878128e-12))
    f_SI = d * E0 / H_J_S
    Om = us.rabi(I, 0.5, "e nm")
    assert us.rabi_frequency_Hz(Om) == pytest.approx(f_SI, rel=1e-8)
    assert 5e7 < f_SI < 2e8
    # Omega ~ sqrt(I) and ~ d; the refractive index lowers the field as n^-1/2
    assert us.rabi(4 * I, 0.5) == pytest.approx(2 * Om, rel=1e-14)
    assert us.rabi(I, 0.5, n_refr=4.0) == pytest.approx(Om / 2, rel=1e-14)
    assert us.rabi(I, 1.0, "D") == pytest.approx(Om * U.DEBYE_C_M / d, rel=1e-8)


@settings(max_examples=40, deadline=None)
@given(E_u=st.floats(1e-6, 10.0), u=st.floats(1e-4, 1.0), x=st.floats(1e-8, 1e8))
def test_round_trips(E_u, u, x):
    us = U.UnitSystem(E_u, u)
    for unit in ("eV", "meV", "K", "THz", "1/s"):
        assert us.energy_to(us.energy(x, unit), unit) == pytest.approx(x, rel=1e-12)
    assert us.temperature_to_K(us.temperature(x)) == pytest.approx(x, rel=1e-12)
    for unit in ("m/s", "c"):
        assert us.velocity_to(us.velocity(x, unit), unit) == pytest.approx(x, rel=1e-12)
    for unit in ("eV^-1 c^2", "m_e"):
        assert us.curvature_to(us.curvature(x, unit), unit) == pytest.approx(x, rel=1e-12)
    for d in (1, 2, 3):
        assert us.density_of_states_to(us.density_of_states(x, d), d) == pytest.approx(x, rel=1e-12)


def test_critical_temperature_power_law():
    """Gamma(T) = G0 (T/300)^p: T_c = 300 (Gamma_c/G0)^(1/p), Gamma_c = (V N0 v)^2/kappa (c = 1, eV)."""
    G0, p = 1e-3, 3.0
    law = lambda T: G0 * (T / 300.0) ** p  # noqa: E731
    Gc = (0.2 * 1e-2) ** 2 / 1e-6
    Tc = U.critical_temperature(law, T_range_K=(1.0, 1e5))
    assert Tc == pytest.approx(300.0 * (Gc / G0) ** (1 / p), rel=1e-10)
    Tc2 = U.critical_temperature(law, exact_prefactor=True, T_range_K=(1.0, 1e5))
    assert Tc2 == pytest.approx(300.0 * (Gc * math.pi**2 / 2 / G0) ** (1 / p), rel=1e-10)
    # below T_c the threshold is met, above it is not
    assert U.threshold_ratio(0.2, 1e-6, law(0.9 * Tc), 1e-2) > 1 > U.threshold_ratio(0.2, 1e-6, law(1.1 * Tc), 1e-2)


def test_critical_temperature_errors():
    with pytest.raises(ParameterError, match="met on the whole range"):
        U.critical_temperature(lambda T: 1e-3, T_range_K=(1.0, 1000.0))
    with pytest.raises(ParameterError, match="Gamma_of_T"):
        U.critical_temperature(lambda T: -1.0)
    with pytest.raises(ParameterError):
        U.critical_temperature(3.0)
    with pytest.raises(ParameterError):
        U.critical_temperature(lambda T: 1e-3 * T, T_range_K=(10.0, 1.0))


def test_validation():
    with pytest.raises(ParameterError):
        U.UnitSystem(energy_eV=0.0)
    us = U.UnitSystem()
    for call in (
        lambda: us.energy(1.0, "furlong"),
        lambda: us.velocity(1.0, "mph"),
        lambda: us.curvature(0.0, "m_e"),
        lambda: us.temperature(-1.0),
        lambda: us.density_of_states(1.0, d=4),
        lambda: us.rabi(-1.0, 0.5),
        lambda: U.threshold_ratio(0.2, 0.0, 1e-3, 1e-2),
        lambda: U.conclusions_estimate(v_minus_c=3.0),
        lambda: U.bcs_coupling(1.0, 5.0),
    ):
        with pytest.raises(ParameterError):
            call()


def test_cli_estimate(capsys):
    assert main(["estimate"]) == 0
    out = capsys.readouterr().out
    assert "63.25" in out and "threshold met" in out and "10^2.50" in out
    assert main(["estimate", "--json", "--VN0", "0.001"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["met"] is False and data["ratio"] == pytest.approx(1e-3 * 10**2.5, rel=1e-12)
    assert main(["estimate", "--json", "--m-eff", "0.5", "--Gamma-eV", "0.004"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["kappa_eV_inv_c2"] == pytest.approx(1 / U.ME_C2_EV, rel=1e-12)
    for bad in (["--Gamma-eV", "0"], ["--kappa", "0"], ["--v-minus-c", "nan"], ["--m-eff", "0"]):
        assert main(["estimate", *bad]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "invalid parameter" in err
