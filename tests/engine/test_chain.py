r"""Boundary-driven tight-binding chain of N sites.

.. math::

    H = -J\sum_{i=0}^{N-2} (c_i^\dagger c_{i+1} + c_{i+1}^\dagger c_i), \qquad
    \text{jumps } \gamma_l D[c_0^\dagger],\ \gamma_r D[c_{N-1}] .

**Reference equation** (derived here, independent of the engine).  With
:math:`H = \sum h_{ij} c_i^\dagger c_j` (:math:`h` real symmetric) and :math:`C_{ij} = \langle c_i^\dagger c_j\rangle`,
:math:`i[H, c_i^\dagger c_j] = i\sum_k (h_{ki} c_k^\dagger c_j - h_{jk} c_i^\dagger c_k)`, a loss
:math:`\gamma D[c_m]` adds :math:`-\tfrac{\gamma}{2}(\delta_{im} + \delta_{jm}) C_{ij}` and a gain
:math:`\gamma D[c_m^\dagger]` adds :math:`\gamma\delta_{im}\delta_{jm} - \tfrac{\gamma}{2}(\delta_{im}+\delta_{jm}) C_{ij}`:

.. math::

    \dot C = X C + C X^\dagger + P, \qquad X = i h - \Gamma/2,

:math:`\Gamma = \mathrm{diag}(\gamma_l, 0, .., 0, \gamma_r)`, :math:`P = \mathrm{diag}(\gamma_l, 0, .., 0)`:
a Lyapunov equation solved with SciPy.

**Closed form** (N >= 2, by hand).  The ansatz :math:`C = \mathrm{diag}(n_0, m, .., m, n_{N-1})
+ i a (S - S^T)` (:math:`S` the shift, :math:`S_{i,i+1} = 1`) solves the equation with
:math:`[h, S - S^T] = 2J\,\mathrm{diag}(1, 0, .., 0, -1)`: the diagonal gives
:math:`n_0 = 1 - 2Ja/\gamma_l`, :math:`n_{N-1} = 2Ja/\gamma_r`, the two boundary bonds give
:math:`J(n_0 - m) = \gamma_l a/2` and :math:`J(m - n_{N-1}) = \gamma_r a/2`, hence

.. math::

    j = 2Ja = \frac{4J^2\gamma_l\gamma_r}{(\gamma_l + \gamma_r)(4J^2 + \gamma_l\gamma_r)}, \quad
    n_0 = 1 - j/\gamma_l, \quad n_{N-1} = j/\gamma_r, \quad
    m = j\,\frac{4J^2 + \gamma_r^2}{4J^2\gamma_r},

on every bond the current :math:`j_i = 2J\,\mathrm{Im}\, C_{i,i+1} = j` (continuity), a flat bulk
and no correlations beyond nearest neighbours.  :math:`J = 1`, :math:`\gamma_l = \gamma_r = 1/2`:
:math:`n_0 = 9/17`, :math:`j = 4/17`, :math:`m = 1/2`.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest
import scipy.linalg as sla
import sympy as sp

import keldysh as kd

J, gl, gr = sp.symbols("J gamma_l gamma_r", positive=True)


@functools.cache
def chain(N: int):
    c = kd.fermions(" ".join(f"s{i}" for i in range(N)))
    H = sum((-J * (c[i].dag() * c[i + 1] + c[i + 1].dag() * c[i]) for i in range(N - 1)), 0 * c[0])
    return kd.Lindbladian(H, jumps=[(gl, c[0].dag()), (gr, c[-1])]), c


def closed_form(J, gl, gr):
    """``(n_0, m, n_{N-1}, a, j)`` of the module docstring (numbers or SymPy symbols)."""
    j = 4 * J**2 * gl * gr / ((gl + gr) * (4 * J**2 + gl * gr))
    return 1 - j / gl, j * (4 * J**2 + gr**2) / (4 * J**2 * gr), j / gr, j / (2 * J), j


def closed_form_matrix(N, J, gl, gr):
    n0, m, nN, a, _ = closed_form(J, gl, gr)
    C = np.diag([n0] + [m] * (N - 2) + [nN]).astype(complex)
    idx = np.arange(N - 1)
    C[idx, idx + 1] = 1j * a
    C[idx + 1, idx] = -1j * a
    return C


def reference_lyapunov(N, J, gl, gr):
    h = -J * (np.eye(N, k=1) + np.eye(N, k=-1))
    Gamma = np.zeros(N)
    Gamma[0] += gl
    Gamma[-1] += gr
    P = np.zeros((N, N))
    P[0, 0] = gl
    X = 1j * h - np.diag(Gamma) / 2
    return sla.solve_continuous_lyapunov(X, -P)


@pytest.mark.parametrize("N, values", [(100, (1.0, 0.5, 0.5)), (37, (0.7, 1.3, 0.2))])
def test_numeric_steady_state(N, values):
    Jv, lv, rv = values
    L, _ = chain(N)
    ss = L.steady_state(values={J: Jv, gl: lv, gr: rv})
    C, j = closed_form_matrix(N, Jv, lv, rv), closed_form(Jv, lv, rv)[-1]
    C_ref = reference_lyapunov(N, Jv, lv, rv)
    # Bartels-Stewart on N x N; condition ~ |h| / (slowest decay rate): a chain mode of wave
    # number k ~ pi/N has weight ~ k^2/N on the boundary sites and decays at ~ gamma pi^2 / N^3
    # (9e-6 at N = 100), so the condition is ~ 2e5 and rounding ~ 1e-16 x 2e5 ~ 2e-11 < 1e-9
    assert np.abs(ss.correlation - C_ref).max() < 1e-9
    assert np.abs(ss.correlation - C).max() < 1e-9
    assert np.abs(ss.anomalous).max() == 0.0  # number conserving: the pairing block is exactly zero
    current = 2 * Jv * ss.correlation[np.arange(N - 1), np.arange(1, N)].imag
    assert np.abs(current - j).max() < 1e-9  # continuity: the same current on every bond
    assert abs(lv * (1 - ss.density[0]) - j) < 1e-9  # injected = transported
    assert abs(rv * ss.density[-1] - j) < 1e-9  # transported = extracted


def test_symmetric_point_numbers():
    L, _ = chain(100)
    ss = L.steady_state(values={J: 1, gl: 0.5, gr: 0.5})
    assert abs(ss.density[0] - 9 / 17) < 1e-9
    assert abs(ss.density[-1] - 8 / 17) < 1e-9
    assert np.abs(ss.density[1:-1] - 0.5).max() < 1e-9
    assert abs(2 * ss.correlation[49, 50].imag - 4 / 17) < 1e-9


def test_exact_steady_state_at_rational_rates():
    """The exact (rational) steady state equals the closed form entry by entry, N = 4."""
    R = sp.Rational
    Jv, lv, rv = R(1), R(1, 2), R(1, 3)
    c = kd.fermions("t0 t1 t2 t3")
    H = sum((-Jv * (c[i].dag() * c[i + 1] + c[i + 1].dag() * c[i]) for i in range(3)), 0 * c[0])
    ss = kd.Lindbladian(H, jumps=[(lv, c[0].dag()), (rv, c[-1])]).steady_state()
    n0, m, nN, a, j = closed_form(Jv, lv, rv)
    C = sp.diag(n0, m, m, nN)
    for i in range(3):
        C[i, i + 1], C[i + 1, i] = sp.I * a, -sp.I * a
    assert j == R(24, 125) and n0 == R(77, 125)  # 4 J^2 gl gr / ((gl + gr)(4 J^2 + gl gr)) at these rates
    for i in range(4):
        for k in range(4):
            assert ss[c[i].dag() * c[k]] == C[i, k]  # exact rationals: equality, no tolerance
            assert ss[c[i] * c[k]] == 0
