r"""Random three-mode models against QuTiP's Fock-space steady state.

.. math::

    H = \sum_{ij} h_{ij} c_i^\dagger c_j + \sum_{i<j} (\Delta_{ij} c_i^\dagger c_j^\dagger + h.c.),

with linear jumps :math:`L = \sum_i (u_i c_i + v_i c_i^\dagger)` (random complex :math:`u, v`) and
Hermitian quadratic jumps: dephasing :math:`n_i + i b` (the imaginary c-number shift acts as
an extra Hamiltonian :math:`r b\, n_i`) and :math:`e^{i\phi} c_i^\dagger c_j + h.c.`

Every coefficient is a Gaussian rational with denominator 16, exactly representable as a
float, so the exact symbolic model (Rational coefficients), the numeric Nambu route and the
QuTiP model (built here from the same arrays with ``qutip.fdestroy``, not through
``to_qutip``) describe the same Lindbladian to the last bit.

Nambu route (:mod:`keldysh.engine.gaussian`): :math:`\dot\Psi = -iK\Psi` and
:math:`\dot G = -iKG + iGK^\dagger + M + \sum_d r_d l_d G l_d` for :math:`G = \langle\Psi\Psi^\dagger\rangle`;
both are compared with the operator-algebra equations of motion of the Lindbladian.
"""

from __future__ import annotations

import functools
import warnings

import numpy as np
import pytest
import sympy as sp

import keldysh as kd
from keldysh.engine.gaussian import gaussian_data

N = 3
SEEDS = [11, 23, 37, 41]  # 11, 23 with dephasing-type jumps; 37, 41 linear jumps only
# SEEDS[::2] = (11, 37): one of each kind, for the costlier symbolic checks


def q(z: complex) -> sp.Expr:
    """The exact Gaussian rational of a float with denominator 16."""
    z = complex(z)
    re, im = round(z.real * 16), round(z.imag * 16)
    assert re == z.real * 16 and im == z.imag * 16
    return sp.Rational(re, 16) + sp.I * sp.Rational(im, 16)


@functools.cache
def model(seed: int):
    """Random coefficient arrays (all multiples of 1/16)."""
    rng = np.random.default_rng(seed)

    def cplx(shape):
        return (rng.integers(-8, 9, shape) + 1j * rng.integers(-8, 9, shape)) / 8

    h = cplx((N, N))
    h = (h + h.conj().T) / 2
    delta = cplx((N, N))
    delta = np.triu(delta - delta.T, 1) / 2
    linear = []  # (rate, u, v): L = sum_i u_i c_i + v_i c_i^+, two random letters per jump
    for _ in range(3):
        u, v = np.zeros(N, complex), np.zeros(N, complex)
        i, j = rng.integers(N, size=2)
        u[i], v[j] = cplx(2)
        linear.append((rng.integers(1, 5) / 4, u, v))
    quadratic = []
    if seed in (11, 23):
        i = int(rng.integers(N))
        quadratic.append((rng.integers(1, 5) / 8, ("n", i, rng.integers(-4, 5) / 4)))  # n_i + i b
        i, j = (int(x) for x in rng.choice(N, 2, replace=False))
        quadratic.append((rng.integers(1, 5) / 8, ("hop", i, j, cplx(1)[0])))  # e c_i^+ c_j + h.c.
    return h, delta, linear, quadratic


@functools.cache
def lindbladian(seed: int):
    h, delta, linear, quadratic = model(seed)
    c = kd.fermions(" ".join(f"c{i}" for i in range(N)))
    H = sum((q(h[i, j]) * c[i].dag() * c[j] for i in range(N) for j in range(N)), 0 * c[0])
    for i in range(N):
        for j in range(i + 1, N):
            H = H + q(delta[i, j]) * c[i].dag() * c[j].dag() + sp.conjugate(q(delta[i, j])) * c[j] * c[i]
    jumps = []
    for r, u, v in linear:
        jumps.append((q(r), sum((q(u[i]) * c[i] + q(v[i]) * c[i].dag() for i in range(N) if u[i] or v[i]), 0 * c[0])))
    for r, spec in quadratic:
        if spec[0] == "n":
            _, i, b = spec
            jumps.append((q(r), c[i].dag() * c[i] + sp.I * q(b)))
        else:
            _, i, j, e = spec
            jumps.append((q(r), q(e) * c[i].dag() * c[j] + sp.conjugate(q(e)) * c[j].dag() * c[i]))
    return kd.Lindbladian(H, jumps=jumps), c


def qutip_steady_state(seed: int):
    """``(C, A)`` with ``C_ij = <c_i^+ c_j>``, ``A_ij = <c_i c_j>`` from ``qutip.steadystate``."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        qutip = pytest.importorskip("qutip")
    h, delta, linear, quadratic = model(seed)
    a = [qutip.fdestroy(N, i) for i in range(N)]
    H = 0 * a[0].dag() * a[0]
    for i in range(N):
        for j in range(N):
            H += h[i, j] * a[i].dag() * a[j]
            if i < j:
                H += delta[i, j] * a[i].dag() * a[j].dag() + np.conj(delta[i, j]) * a[j] * a[i]
    c_ops = [np.sqrt(r) * sum(u[i] * a[i] + v[i] * a[i].dag() for i in range(N)) for r, u, v in linear]
    one = qutip.qeye([2] * N)
    for r, spec in quadratic:
        if spec[0] == "n":
            _, i, b = spec
            c_ops.append(np.sqrt(r) * (a[i].dag() * a[i] + 1j * b * one))
        else:
            _, i, j, e = spec
            c_ops.append(np.sqrt(r) * (e * a[i].dag() * a[j] + np.conj(e) * a[j].dag() * a[i]))
    rho = qutip.steadystate(H, c_ops)
    C = np.array([[qutip.expect(a[i].dag() * a[j], rho) for j in range(N)] for i in range(N)])
    A = np.array([[qutip.expect(a[i] * a[j], rho) for j in range(N)] for i in range(N)])
    return C, A


# direct sparse LU of the 64 x 64 Liouvillian (QuTiP) vs a 6 x 6 Lyapunov / 36 x 36 Kronecker
# LU (engine): both at rounding ~1e-16 x condition; the condition is 1 / (smallest decay rate),
# a few tens for these O(1) random models, so 1e-8 leaves a margin of 1e5 and still fails for
# any wrong sign or factor of two.
TOL = 1e-8


@pytest.mark.parametrize("seed", SEEDS)
def test_numeric_steady_state_matches_qutip(seed):
    L, _ = lindbladian(seed)
    ss = L.steady_state(values={})
    C, A = qutip_steady_state(seed)
    assert np.abs(ss.correlation - C).max() < TOL
    assert np.abs(ss.anomalous - A).max() < TOL


@pytest.mark.parametrize("seed", SEEDS[::2])
def test_exact_steady_state_matches_qutip(seed):
    L, c = lindbladian(seed)
    ss = L.steady_state()
    C, A = qutip_steady_state(seed)
    for i in range(N):
        for j in range(N):
            assert abs(complex(ss[c[i].dag() * c[j]]) - C[i, j]) < TOL
            assert abs(complex(ss[c[i] * c[j]]) - A[i, j]) < TOL


@pytest.mark.parametrize("seed", SEEDS[::2])
def test_retarded_kernel_matches_nambu_data(seed):
    L, _ = lindbladian(seed)
    K_exact = np.array(L.retarded_kernel().evalf(), dtype=complex)  # from the graded adjoint of Psi
    K_nambu = gaussian_data(L, {}).K  # from the formula of the module docstring
    # the same rationals summed in a different order: rounding only
    assert np.abs(K_exact - K_nambu).max() < 1e-13


@pytest.mark.parametrize("seed", SEEDS[:2])
def test_covariance_equation_matches_eom_system(seed):
    """dG/dt of the Nambu formula equals the operator-algebra EOMs at a random (unphysical) G."""
    L, _ = lindbladian(seed)
    rng = np.random.default_rng(seed + 1)
    C = rng.normal(size=(N, N)) + 1j * rng.normal(size=(N, N))
    C = C + C.conj().T
    A = rng.normal(size=(N, N)) + 1j * rng.normal(size=(N, N))
    A = A - A.T
    # G = <Psi Psi^+>, Psi = (c, c^+): blocks <c_i c_j^+> = 1 - C^T, <c_i c_j> = A, <c_i^+ c_j> = C
    G = np.block([[np.eye(N) - C.T, A], [A.conj().T, C]])
    d = gaussian_data(L, {})
    rhs = -1j * d.K @ G + 1j * G @ d.K.conj().T + d.M + sum(r * ell @ G @ ell for r, ell in d.dephasing)

    eqs = L.eom_system()
    subs, where = {}, {}
    for s, op in L.canonical():  # <c_i^+ c_j> (i <= j) and <c_i c_j> (i < j)
        (((mi, dag), (mj, _)),) = op
        i, j = L.index[mi], L.index[mj]
        value, where[s] = (C[i, j], (N + i, N + j)) if dag else (A[i, j], (i, N + j))
        subs[s] = sp.Float(value.real) + sp.I * sp.Float(value.imag)
        subs[sp.conjugate(s)] = sp.conjugate(subs[s])
    for s, expr in eqs.items():
        # O(1) entries, a handful of products: rounding ~1e-15
        assert abs(complex(expr.xreplace(subs)) - rhs[where[s]]) < 1e-12, s


@pytest.mark.parametrize("seed", SEEDS[:1])
def test_to_qutip_is_the_same_liouvillian(seed):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        qutip = pytest.importorskip("qutip")
    L, _ = lindbladian(seed)
    rho = qutip.steadystate(L.to_qutip({}))
    C, _ = qutip_steady_state(seed)
    a = [qutip.fdestroy(N, i) for i in range(N)]
    C2 = np.array([[qutip.expect(a[i].dag() * a[j], rho) for j in range(N)] for i in range(N)])
    assert np.abs(C - C2).max() < TOL
