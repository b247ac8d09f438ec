r"""Exact frequency integrals :math:`\int_{-\infty}^{\infty} \frac{d\omega}{2\pi} R(\omega)` by residues.

Closed forms (contour closed in the upper half plane):

.. math::

    \int \frac{d\omega}{2\pi} \frac{\gamma}{\omega^2 + \gamma^2} = \frac12, \qquad
    \int \frac{d\omega}{2\pi} \frac{1}{(\omega^2 + \gamma^2)^2} = \frac{1}{4\gamma^3}, \qquad
    \int \frac{d\omega}{2\pi} G^R G^A = \int \frac{d\omega}{2\pi} \frac{1}{(\omega-e)^2 + \Gamma^2/4} = \frac{1}{\Gamma},

    \int \frac{d\omega}{2\pi} \frac{1}{A\omega^2 + 1} = \frac{1}{2\sqrt{A}}, \qquad
    \int \frac{d\omega}{2\pi} \frac{1}{(\omega - z_1)(\omega - \bar z_2)} = \frac{i}{\bar z_2 - z_1}\ (\mathrm{Im}\, z_{1,2} < 0),

the last one being :math:`i` times the residue at the upper pole :math:`\bar z_2`.

Anything whose value is not determined -- a pole on the axis, a :math:`1/\omega` tail, a pole
whose half plane the assumptions do not fix -- raises :class:`keldysh.IntegrationError`, never
a wrong number.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from scipy.integrate import quad

import keldysh as kd

w = kd.omega
e = sp.Symbol("e", real=True)
g, h, A = sp.symbols("gamma h A", positive=True)
R = sp.Rational


def is_zero(expr) -> bool:
    return sp.simplify(expr) == 0


def quad_2pi(f) -> complex:
    """Adaptive quadrature over the real line / 2 pi (real and imaginary parts)."""
    re = quad(lambda x: complex(f(x)).real, -np.inf, np.inf, epsabs=1e-13, epsrel=1e-12, limit=400)[0]
    im = quad(lambda x: complex(f(x)).imag, -np.inf, np.inf, epsabs=1e-13, epsrel=1e-12, limit=400)[0]
    return complex(re, im) / (2 * np.pi)


@pytest.mark.parametrize(
    "expr, value",
    [
        (g / (w**2 + g**2), R(1, 2)),
        (1 / (w**2 + g**2) ** 2, 1 / (4 * g**3)),  # double pole
        (1 / ((2 * w - e) ** 2 + g**2), 1 / (4 * g)),  # non-monic factors
        (1 / (A * w**2 + 1), 1 / (2 * sp.sqrt(A))),  # irreducible, one root in each half plane
        (1 / ((w - e + sp.I * g / 2) * (w - e - sp.I * g / 2)), 1 / g),  # G^R G^A
        (1 / ((w - e + sp.I * g) * (w + e - sp.I * h)), sp.I / ((-e + sp.I * h) - (e - sp.I * g))),  # z1, conj z2
    ],
    ids=["lorentzian", "double-pole", "non-monic", "irreducible", "GR-GA", "two-poles"],
)
def test_closed_forms(expr, value):
    assert is_zero(kd.integrate_omega(expr, w) - value)


@pytest.mark.parametrize(
    "expr, at",
    [
        (1 / (w**2 + g**2) ** 2 + g / (w**2 + g**2), {g: 0.7}),  # symbolic result, then numbers
        ((w**2 + 3 * w - R(2, 5)) / (((w - R(1, 3)) ** 2 + R(1, 4)) * ((w + 1) ** 2 + R(9, 5)) ** 2), {}),
        (1 / ((w - R(1, 2) + sp.I * R(3, 5)) ** 3 * (w + sp.I / 4 - 2) * (w - sp.I * R(3, 5))), {}),
    ],
    ids=["symbolic", "mixed-orders", "triple-pole"],
)
def test_against_quadrature(expr, at):
    exact = complex(kd.integrate_omega(expr, w).subs(at))
    f = sp.lambdify(w, expr.subs(at))
    # adaptive Gauss-Kronrod, requested 1e-12 relative; integrands O(1) with O(1) widths
    assert abs(exact - quad_2pi(f)) < 1e-9


def test_numeric_coefficients_are_exact():
    # rationals: (w - 1/3)^2 + 1/16 splits over Q(i); the result is an exact rational
    assert kd.integrate_omega(1 / ((w - R(1, 3)) ** 2 + R(1, 16)), w) == 2
    val = kd.integrate_omega(1 / (((w - R(1, 3)) ** 2 + R(1, 16)) * ((w + R(1, 5)) ** 2 + R(1, 9))), w)
    assert val.is_Rational
    f = sp.lambdify(w, 1 / (((w - R(1, 3)) ** 2 + R(1, 16)) * ((w + R(1, 5)) ** 2 + R(1, 9))))
    assert abs(float(val) - quad_2pi(f).real) < 1e-10
    # complex rationals
    assert kd.integrate_omega(1 / ((w - 1 + sp.I) * (w - 2 - sp.I / 3)), w) == R(12, 25) + R(9, 25) * sp.I


def test_float_coefficients():
    val = kd.integrate_omega(1 / (3.0 * w**2 + 1), w)
    # irreducible over Q(i): roots located to 30 digits
    assert abs(complex(val) - 1 / (2 * np.sqrt(3))) < 1e-14
    val = kd.integrate_omega(0.5 / ((w - 0.25) ** 2 + 0.25), w)
    assert abs(complex(val) - 0.5) < 1e-14


@pytest.mark.parametrize(
    "expr",
    [
        1 / (w**2 + 0),
        1 / ((w - e) ** 2 + 0),
        1 / (w**2 - 1),
        1 / ((w - R(1, 2)) * (w**2 + 1)),
    ],
    ids=["origin", "symbolic-real", "two-real", "one-real"],
)
def test_pole_on_the_real_axis(expr):
    with pytest.raises(kd.IntegrationError, match="real axis"):
        kd.integrate_omega(expr, w)


@pytest.mark.parametrize("expr", [1 / (w + sp.I), (w + 1) / (w**2 + g**2), 1 / (w - e + sp.I * g)])
def test_slow_decay(expr):
    with pytest.raises(kd.IntegrationError, match="decays"):
        kd.integrate_omega(expr, w)


@pytest.mark.parametrize(
    "expr",
    [
        1 / (w**2 + sp.Symbol("a") ** 2),  # a could be real: poles on the axis
        1 / ((w - sp.Symbol("z")) * (w - sp.Symbol("u"))),  # nothing known
        1 / ((w - e) ** 2 + sp.Symbol("b", real=True) ** 2),  # b = 0 allowed: a real pole
        1 / ((w - e + sp.I * sp.Symbol("k", real=True)) * (w - e - sp.I * g)),  # sign of k unknown
    ],
    ids=["complex-a", "free-poles", "real-b", "sign-unknown"],
)
def test_undecidable_half_plane(expr):
    with pytest.raises(kd.IntegrationError):
        kd.integrate_omega(expr, w)


def test_not_rational_or_not_decaying():
    with pytest.raises(kd.IntegrationError, match="rational"):
        kd.integrate_omega(sp.exp(-(w**2)), w)
    with pytest.raises(kd.IntegrationError, match="does not decay"):
        kd.integrate_omega(g, w)
    assert kd.integrate_omega(sp.Integer(0), w) == 0
    with pytest.raises(TypeError):
        kd.integrate_omega(1 / (w**2 + 1), "omega")
