"""Parameters of Sect. II: presets from the captions, paper combinations, validation."""

import math

import pytest

from keldysh import LaserModel, ParameterError, preset


def test_fig4_preset_matches_caption():
    m = preset("fig4")  # kappa_+ = -50, v_- = 10, Omega = 0.5, Gamma = 1e-2, gamma2 = 1e-3, kmax = 0.2
    assert m.kappa_plus == -50 and m.v_minus == 10 and m.v_plus == 0 and m.kappa_minus == 0
    assert m.Omega == 0.5 and math.isclose(m.Gamma, 1e-2) and math.isclose(m.gamma2, 1e-3)
    assert m.kmax == 0.2
    # Sect. II.C: (dk) = dq/(2 pi), i.e. N0 = 1/(2 pi |v_-|)
    assert math.isclose(m.N0_eff, 1 / (2 * math.pi * 10))


def test_fig5_fig6_presets():
    assert math.isclose(preset("fig5").gamma1, 0.8)
    a, b = preset("fig6a"), preset("fig6b")
    assert math.isclose(a.Omega, a.Gamma) and math.isclose(b.Omega, b.Gamma / 5)
    assert math.isclose(a.gamma2, 1e-4)


def test_replace_with_combinations_roundtrip():
    m = preset("fig4").replace(v_plus=0.3, kappa_minus=2.0, Gamma=0.02, gamma2=0.25)
    assert math.isclose(m.v_plus, 0.3) and math.isclose(m.v_minus, 10)
    assert math.isclose(m.kappa_minus, 2.0) and math.isclose(m.kappa_plus, -50)
    assert math.isclose(m.Gamma2, 0.005) and math.isclose(m.Gamma1, 0.015)


@pytest.mark.parametrize(
    "kw, name",
    [
        (dict(Gamma1=-1.0), "Gamma1"),
        (dict(Gamma2=0.0), "Gamma2"),
        (dict(kmax=0.0), "kmax"),
        (dict(kmax=float("inf")), "kmax"),
        (dict(Omega=float("nan")), "Omega"),
        (dict(T=-1.0), "T"),
        (dict(T=0.1), "omega0"),
        (dict(d=4), "d"),
    ],
)
def test_validation_names_the_parameter(kw, name):
    with pytest.raises(ParameterError) as exc:
        LaserModel(**kw)
    assert exc.value.param == name


@pytest.mark.parametrize("g2", [0.0, 1.0, -0.1, 2.0, float("nan")])
def test_gamma2_outside_unit_interval(g2):
    with pytest.raises(ParameterError, match="gamma2"):
        preset("fig4").replace(gamma2=g2)


def test_unknown_preset():
    with pytest.raises(ParameterError, match="preset"):
        preset("fig7")


def test_import_is_cheap():
    import subprocess
    import sys

    code = "import sys, keldysh; print('sympy' in sys.modules, 'scipy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "False"]
