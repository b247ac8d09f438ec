r"""One level with gain and loss.

.. math::

    H = \epsilon\, c^\dagger c, \qquad
    \mathcal{L}\rho = -i[H,\rho] + \gamma_{in} D[c^\dagger]\rho + \gamma_{out} D[c]\rho .

Closed form (by hand):

* :math:`d\langle n\rangle/dt = \gamma_{in}(1-\langle n\rangle) - \gamma_{out}\langle n\rangle`,
  so :math:`n = \gamma_{in}/(\gamma_{in}+\gamma_{out})`;
* :math:`dc/dt = (-i\epsilon - \Gamma/2) c` with :math:`\Gamma = \gamma_{in}+\gamma_{out}`, so
  :math:`G^R = 1/(\omega-\epsilon+i\Gamma/2)` (particle) and
  :math:`1/(\omega+\epsilon+i\Gamma/2)` (hole);
* :math:`F_{00} = \langle [c, c^\dagger]\rangle = 1-2n`,
  :math:`G^K_{00} = (1-2n)(G^R-G^A)_{00}` and :math:`\int d\omega/2\pi\, G^K_{00} = -i(1-2n)`.
"""

from __future__ import annotations

import functools
import warnings

import numpy as np
import pytest
import sympy as sp

import keldysh as kd

eps = sp.Symbol("epsilon", real=True)
gin, gout = sp.symbols("gamma_in gamma_out", positive=True)
w = kd.omega
(c,) = kd.fermions("c")
n_op = c.dag() * c

L = kd.Lindbladian(eps * n_op, jumps=[(gin, c.dag()), (gout, c)])


@functools.cache
def greens():
    return L.greens()


Gamma = gin + gout
n_exact = gin / Gamma
GR_particle = 1 / (w - eps + sp.I * Gamma / 2)
GR_hole = 1 / (w + eps + sp.I * Gamma / 2)

VALUES = {eps: 0.3, gin: 0.2, gout: 0.5}


def is_zero(expr) -> bool:
    return sp.simplify(expr) == 0


def test_rate_equation():
    n = L.mean(n_op)
    assert is_zero(L.eom(n_op) - (gin - (gin + gout) * n))


def test_adjoint_of_annihilator():
    # linear jumps: dc/dt = -i eps c - (gin + gout)/2 c, exactly
    assert L.adjoint(c) == (-sp.I * eps - Gamma / 2) * c


def test_exact_steady_state():
    ss = L.steady_state()
    assert is_zero(ss[n_op] - n_exact)
    assert is_zero(ss[c * c.dag()] - (1 - n_exact))


def test_retarded_kernel():
    K = L.retarded_kernel()
    expected = sp.diag(eps - sp.I * Gamma / 2, -eps - sp.I * Gamma / 2)
    assert (K - expected).applyfunc(sp.simplify) == sp.zeros(2, 2)


def test_greens_closed_form():
    GR, GA, GK = greens()
    assert is_zero(GR[0, 0] - GR_particle)
    assert is_zero(GR[1, 1] - GR_hole)
    assert GR[0, 1] == 0 and GR[1, 0] == 0
    # w real: G^A = (G^R)^+
    assert is_zero(GA[0, 0] - sp.conjugate(GR_particle))
    assert is_zero(GK[0, 0] - (1 - 2 * n_exact) * (GR_particle - sp.conjugate(GR_particle)))


def test_equal_time_keldysh_is_minus_i_F():
    _, _, GK = greens()
    assert is_zero(kd.integrate_omega(GK[0, 0], w) - (-sp.I * (1 - 2 * n_exact)))


def test_numeric_steady_state():
    ss = L.steady_state(values=VALUES)
    # 2/7: a 1x1 Lyapunov solve is one division, exact to rounding (1 ulp ~ 6e-17)
    assert abs(ss[n_op] - 0.2857142857142857) < 1e-14
    assert abs(ss.density[0] - 2 / 7) < 1e-14


def test_numeric_greens_match_closed_form():
    ws = np.linspace(-3.0, 3.0, 13)
    GR, GA, GK = L.greens(ws, values=VALUES)
    e, G = 0.3, 0.7
    n = 0.2 / 0.7
    gr = 1 / (ws - e + 1j * G / 2)
    # 2x2 inverse of a diagonal matrix: rounding only (|G^R| <= 2/Gamma ~ 3, ulp ~ 1e-16)
    assert np.allclose(GR[:, 0, 0], gr, rtol=0, atol=1e-13)
    assert np.allclose(GA[:, 0, 0], gr.conj(), rtol=0, atol=1e-13)
    assert np.allclose(GK[:, 0, 0], (1 - 2 * n) * (gr - gr.conj()), rtol=0, atol=1e-13)


def test_qutip_steadystate():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        qutip = pytest.importorskip("qutip")
    a = qutip.fdestroy(1, 0)
    H = 0.3 * a.dag() * a
    rho = qutip.steadystate(H, [np.sqrt(0.2) * a.dag(), np.sqrt(0.5) * a])
    n_qutip = qutip.expect(a.dag() * a, rho)
    # 4x4 direct sparse solve of the Liouvillian: rounding ~1e-15 x condition (~10)
    assert abs(n_qutip - L.steady_state(values=VALUES)[n_op]) < 1e-12
