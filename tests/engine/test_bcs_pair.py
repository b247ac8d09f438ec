r"""A BCS pair :math:`(k, -k)` with pairing field :math:`\Delta` and gain/loss on both modes.

.. math::

    H = \xi (n_k + n_{-k}) + \Delta\, c_k^\dagger c_{-k}^\dagger + \bar\Delta\, c_{-k} c_k ,
    \qquad \text{jumps } \gamma_{in} D[c_q^\dagger],\ \gamma_{out} D[c_q]\ (q = k, -k),

:math:`\xi` real, :math:`\Delta` complex, :math:`\Gamma = \gamma_{in} + \gamma_{out}`.

Closed form (by hand).  With :math:`a = \langle c_{-k} c_k\rangle` and :math:`n = \langle n_k\rangle
= \langle n_{-k}\rangle` (the model is symmetric under :math:`k \leftrightarrow -k,\ \Delta \to -\Delta`),
using :math:`[c_k^\dagger c_{-k}^\dagger, c_{-k} c_k] = n_k + n_{-k} - 1`:

.. math::

    \dot a = -(2i\xi + \Gamma) a + i\Delta (2n - 1), \qquad
    \dot n = \gamma_{in} - \Gamma n - 2\,\mathrm{Im}(\bar\Delta a).

Steady state, with :math:`f = \gamma_{in}/\Gamma` and
:math:`d = \Gamma^2 + 4\xi^2 + 4|\Delta|^2`:

.. math::

    n = \frac{2|\Delta|^2 + f(\Gamma^2 + 4\xi^2)}{d}, \qquad
    a = \frac{i\Delta (2f - 1)(\Gamma - 2i\xi)}{d}.

Pure loss is :math:`f = 0`: :math:`n = 2|\Delta|^2/d`, :math:`a = -\Delta(2\xi + i\gamma)/d`.
Single-particle spectrum: :math:`\dot\Psi = -iK\Psi` with eigenvalues
:math:`\pm E - i\Gamma/2`, :math:`E = \sqrt{\xi^2 + |\Delta|^2}`, each twice (Nambu doubling):
:math:`\det(\omega - K) = ((\omega + i\Gamma/2)^2 - E^2)^2`.
"""

from __future__ import annotations

import functools
import warnings

import numpy as np
import pytest
import sympy as sp

import keldysh as kd
from keldysh.engine.greens import distribution_matrix

xi = sp.Symbol("xi", real=True)
D = sp.Symbol("Delta")
g, gin, gout = sp.symbols("gamma gamma_in gamma_out", positive=True)
w = kd.omega
ck, cmk = kd.fermions("c_k c_mk")
absD2 = D * sp.conjugate(D)


def hamiltonian(xi, D):
    return xi * (ck.dag() * ck + cmk.dag() * cmk) + D * ck.dag() * cmk.dag() + sp.conjugate(D) * cmk * ck


def closed_form(Gamma, f):
    d = Gamma**2 + 4 * xi**2 + 4 * absD2
    n = (2 * absD2 + f * (Gamma**2 + 4 * xi**2)) / d
    a = sp.I * D * (2 * f - 1) * (Gamma - 2 * sp.I * xi) / d
    return n, a


@functools.cache
def lossy():
    return kd.Lindbladian(hamiltonian(xi, D), jumps=[(g, ck), (g, cmk)])


@functools.cache
def gain_loss():
    return kd.Lindbladian(hamiltonian(xi, D), jumps=[(gin, ck.dag()), (gout, ck), (gin, cmk.dag()), (gout, cmk)])


def is_zero(expr) -> bool:
    return sp.simplify(expr) == 0


def test_equations_of_motion():
    L = gain_loss()
    a, n_k, n_mk = L.mean(cmk * ck), L.mean(ck.dag() * ck), L.mean(cmk.dag() * cmk)
    Gamma = gin + gout
    # d<c_mk c_k>/dt, written with <n_k> and <n_mk> separately
    assert is_zero(L.eom(cmk * ck) - (-(2 * sp.I * xi + Gamma) * a + sp.I * D * (n_k + n_mk - 1)))
    # d<n_k>/dt = gin - Gamma n - 2 Im(conj(D) a) = gin - Gamma n + i (conj(D) a - D conj(a))
    rhs = gin - Gamma * n_k + sp.I * (sp.conjugate(D) * a - D * sp.conjugate(a))
    assert is_zero(L.eom(ck.dag() * ck) - rhs)


def test_steady_state_pure_loss():
    ss = lossy().steady_state()
    n, a = closed_form(g, 0)
    assert is_zero(ss[ck.dag() * ck] - n)
    assert is_zero(ss[cmk.dag() * cmk] - n)
    assert is_zero(ss[cmk * ck] - a)
    assert is_zero(a - (-D * (2 * xi + sp.I * g) / (g**2 + 4 * xi**2 + 4 * absD2)))
    assert ss[ck.dag() * cmk] == 0


def test_letter_order_and_conjugates():
    ss = lossy().steady_state()
    _, a = closed_form(g, 0)
    assert is_zero(ss[ck * cmk] + a)  # <c_k c_mk> = -<c_mk c_k>
    assert is_zero(ss[ck.dag() * cmk.dag()] - sp.conjugate(a))  # <c_k^+ c_mk^+> = conj <c_mk c_k>
    assert is_zero(ss[ck * ck.dag()] - (1 - closed_form(g, 0)[0]))


def test_spectrum_of_retarded_kernel():
    for L, Gamma in ((lossy(), g), (gain_loss(), gin + gout)):
        K = L.retarded_kernel()
        det = (w * sp.eye(4) - K).det()
        assert sp.expand(det - ((w + sp.I * Gamma / 2) ** 2 - xi**2 - absD2) ** 2) == 0


VALUES = {xi: 0.35, D: 0.4 - 0.25j, gin: 0.15, gout: 0.45}


def test_numeric_matches_closed_form():
    ss = gain_loss().steady_state(values=VALUES)
    n, a = closed_form(gin + gout, gin / (gin + gout))
    subs = {k: sp.nsimplify(v) for k, v in VALUES.items()}
    # 4x4 Lyapunov (Bartels-Stewart) with condition ~ |K| / Gamma ~ 2: rounding ~1e-15
    assert abs(ss.correlation[0, 0] - complex(n.subs(subs))) < 1e-13
    assert abs(ss.correlation[1, 1] - complex(n.subs(subs))) < 1e-13
    assert abs(ss.anomalous[1, 0] - complex(a.subs(subs))) < 1e-13  # A_ij = <c_i c_j>, i = mk, j = k


def test_numeric_matches_qutip():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        qutip = pytest.importorskip("qutip")
    x, d, pin, pout = 0.35, 0.4 - 0.25j, 0.15, 0.45
    a_k, a_mk = qutip.fdestroy(2, 0), qutip.fdestroy(2, 1)
    H = x * (a_k.dag() * a_k + a_mk.dag() * a_mk) + d * a_k.dag() * a_mk.dag() + np.conj(d) * a_mk * a_k
    c_ops = [np.sqrt(pin) * a_k.dag(), np.sqrt(pout) * a_k, np.sqrt(pin) * a_mk.dag(), np.sqrt(pout) * a_mk]
    rho = qutip.steadystate(H, c_ops)
    ss = gain_loss().steady_state(values=VALUES)
    ops = [a_k, a_mk]
    for i in range(2):
        for j in range(2):
            # 16x16 direct solve vs 4x4 Lyapunov: both at rounding, condition ~ 1 / Gamma
            assert abs(qutip.expect(ops[i].dag() * ops[j], rho) - ss.correlation[i, j]) < 1e-10
            assert abs(qutip.expect(ops[i] * ops[j], rho) - ss.anomalous[i, j]) < 1e-10


def test_equal_time_keldysh_exact():
    # exact rational parameters: int dw/2pi G^K = -i F, every entry, exactly (residues)
    R = sp.Rational
    L = kd.Lindbladian(
        hamiltonian(R(1, 3), R(2, 5) + sp.I * R(3, 7)),
        jumps=[(R(1, 5), ck.dag()), (R(1, 2), ck), (R(1, 5), cmk.dag()), (R(1, 2), cmk)],
    )
    _, _, GK = L.greens()
    F = distribution_matrix(L)
    for i in range(4):
        for j in range(4):
            assert sp.expand(kd.integrate_omega(GK[i, j], w) + sp.I * F[i, j]) == 0
    # F from the closed form: F_00 = <[c_k, c_k^+]> = 1 - 2n, F_03 = 2 <c_k c_mk> = -2a
    n, a = closed_form(R(7, 10), R(2, 7))
    at = {xi: R(1, 3), D: R(2, 5) + sp.I * R(3, 7)}
    assert sp.expand(F[0, 0] - (1 - 2 * n).subs(at)) == 0
    assert sp.expand(F[0, 3] + 2 * a.subs(at)) == 0
