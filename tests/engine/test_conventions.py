r"""The Green's-function conventions of :mod:`keldysh.engine.greens`, checked from their definitions.

Nambu spinor :math:`\Psi = (c_1..c_n, c_1^\dagger..c_n^\dagger)`, :math:`G(\omega) = \int dt\, e^{i\omega t} G(t)`:

.. math::

    G^R_{ij}(t) = -i\theta(t)\langle\{\Psi_i(t), \Psi_j^\dagger(0)\}\rangle, \quad
    G^A_{ij}(t) = i\theta(-t)\langle\{\Psi_i(t), \Psi_j^\dagger(0)\}\rangle, \quad
    G^K_{ij}(t) = -i\langle[\Psi_i(t), \Psi_j^\dagger(0)]\rangle .

**Independent route (QuTiP, Fock space).**  Two-time functions by the quantum regression
theorem, :math:`\langle A(t) B(0)\rangle = \mathrm{Tr}[A\, e^{\mathcal{L}t}(B\rho)]`, with one
fermionic subtlety: for odd :math:`X = B\rho` the jump term is :math:`-L X L^\dagger` (the jump
anticommutes past :math:`B`).  With the total parity :math:`P = (-1)^N` this is QuTiP's own
Liouvillian for the jumps :math:`L P` (:math:`P X P = -X` for odd :math:`X`, :math:`+X` for even),
so, for :math:`t > 0` and :math:`\mathcal{L}'` the Liouvillian of :math:`(H, \{L_k P\})`,

.. math::

    G^R_{ij}(\omega) = i\,\mathrm{Tr}[\Psi_i (\mathcal{L}' + i\omega)^{-1}(\Psi_j^\dagger\rho + \rho\Psi_j^\dagger)],
    \quad
    G^A_{ij}(\omega) = -i\,\mathrm{Tr}[\Psi_j^\dagger (\mathcal{L}' - i\omega)^{-1}(\rho\Psi_i + \Psi_i\rho)],

and :math:`G^K = X - X^\dagger` with
:math:`X_{ij} = i\,\mathrm{Tr}[\Psi_i(\mathcal{L}' + i\omega)^{-1}(\Psi_j^\dagger\rho - \rho\Psi_j^\dagger)]`
(using :math:`G^K(-t) = -G^K(t)^\dagger`).  Without the parity (plain QuTiP regression) the
result is different: the "ungraded" convention, shown to fail below.

**Spectrum.**  With :math:`z_a` the eigenvalues of :math:`K` (:math:`\dot\Psi = -iK\Psi`), the
Liouvillian spectrum is the set of sums of distinct rapidities :math:`\lambda_a = -iz_a`
(third quantisation).  :math:`K` is particle-hole symmetric: :math:`-\bar z_b = z_{\bar b}`, so
:math:`-i(z_a - \bar z_b) = \lambda_a + \lambda_{\bar b}` is an eigenvalue for every
:math:`\bar b \ne a`, while :math:`2\lambda_a` (Pauli) generically is not.

**Equal time and self-energy.**  :math:`\int d\omega/2\pi\, G^K = -iF`,
:math:`F = 2\langle\Psi\Psi^\dagger\rangle - 1`; :math:`(\omega - K) G^K (\omega - K^\dagger) = KF - FK^\dagger
= \Sigma^K` is constant and, for linear jumps (Lyapunov equation of :math:`G`), equals
:math:`-i(M - \tau\bar M\tau)`.
"""

from __future__ import annotations

import functools
import warnings

import numpy as np
import pytest
import sympy as sp

import keldysh as kd
from keldysh.engine import operators as ops
from keldysh.engine.gaussian import _tau, gaussian_data

CASES = [(2, 5), (2, 8), (3, 13)]  # (modes, seed)
WS = np.array([-2.3, -0.6, 0.0, 0.45, 1.7])


@functools.cache
def random_model(n: int, seed: int):
    """Random hopping, pairing and linear jumps (mixtures of c and c^+) on n modes."""
    rng = np.random.default_rng(seed)
    c = kd.fermions(" ".join(f"d{i}" for i in range(n)))
    h = rng.normal(size=(n, n)) + 1j * rng.normal(size=(n, n))
    h = (h + h.conj().T) / 2
    H = sum((complex(h[i, j]) * c[i].dag() * c[j] for i in range(n) for j in range(n)), 0 * c[0])
    for i in range(n):
        for j in range(i + 1, n):
            d = complex(rng.normal() + 1j * rng.normal()) / 2
            H = H + d * c[i].dag() * c[j].dag() + np.conj(d) * c[j] * c[i]
    jumps = []
    for _ in range(n + 1):
        u = rng.normal(size=n) + 1j * rng.normal(size=n)
        v = rng.normal(size=n) + 1j * rng.normal(size=n)
        L = sum((complex(u[i]) * c[i] + complex(v[i]) / 2 * c[i].dag() for i in range(n)), 0 * c[0])
        jumps.append((float(rng.uniform(0.1, 0.4)), L))
    return kd.Lindbladian(H, jumps=jumps)


def qutip_greens(L, values, ws, graded=True):
    """``(G^R, G^A, G^K)`` from the quantum regression theorem in Fock space (module docstring)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        qutip = pytest.importorskip("qutip")
    H, c_ops = L.to_qutip(values, kind="operators")
    n = L.n
    a = [qutip.fdestroy(n, i) for i in range(n)]
    one = qutip.qeye([2] * n)
    P = one
    for x in a:
        P = P * (one - 2 * x.dag() * x)
    rho = qutip.steadystate(H, c_ops).full()
    Lp = qutip.liouvillian(H, [x * P for x in c_ops] if graded else c_ops).full()
    psi = np.array([x.full() for x in a] + [x.dag().full() for x in a])  # Psi_a as matrices
    psid = np.conj(np.swapaxes(psi, 1, 2))  # Psi_a^+
    d = rho.shape[0]
    m = 2 * n

    def vec(X):  # QuTiP's column stacking, for a stack of matrices: one column each
        return X.reshape(len(X), -1, order="F").T if X.ndim == 3 else X.reshape(-1, order="F")

    def traces(A, Y):  # Tr[A_i Y_j] for stacks A (i) and vectorised Y (columns j)
        Ym = Y.T.reshape(-1, d, d).transpose(0, 2, 1)  # undo the column stacking
        return np.einsum("ikl,jlk->ij", A, Ym)

    ret_src = np.hstack([vec(psid @ rho + rho @ psid), vec(psid @ rho - rho @ psid)])
    adv_src = vec(rho @ psi + psi @ rho)
    GR = np.zeros((len(ws), m, m), complex)
    GA, X = np.zeros_like(GR), np.zeros_like(GR)
    for k, w in enumerate(ws):
        yr = np.linalg.solve(Lp + 1j * w * np.eye(d * d), ret_src)
        ya = np.linalg.solve(Lp - 1j * w * np.eye(d * d), adv_src)
        GR[k] = 1j * traces(psi, yr[:, :m])
        X[k] = 1j * traces(psi, yr[:, m:])
        GA[k] = -1j * traces(psid, ya).T  # G^A_ij = -i Tr[Psi_j^+ Y_i]
    GK = X - np.conj(np.swapaxes(X, -1, -2))
    return GR, GA, GK


@pytest.mark.parametrize("n, seed", CASES)
def test_greens_match_quantum_regression(n, seed):
    L = random_model(n, seed)
    GR, GA, GK = L.greens(WS, values={})
    GRq, GAq, GKq = qutip_greens(L, {}, WS)
    # dense LU of the 4^n x 4^n and 2n x 2n resolvents; condition ~ |w - K| / (smallest decay
    # rate, >= 0.3 for these seeds) ~ 10: rounding ~1e-16 x 10 x (4^n terms per trace) << 1e-12
    assert np.abs(GR - GRq).max() < 1e-12
    assert np.abs(GA - GAq).max() < 1e-12
    assert np.abs(GK - GKq).max() < 1e-12
    assert np.abs(GA - np.conj(np.swapaxes(GR, -1, -2))).max() < 1e-14  # G^A = (G^R)^+ at real w


@pytest.mark.parametrize("n, seed", CASES)
def test_poles_are_liouvillian_rapidities(n, seed):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pytest.importorskip("qutip")  # L.to_qutip
    L = random_model(n, seed)
    z = np.linalg.eigvals(gaussian_data(L, {}).K)
    spectrum = np.linalg.eigvals(L.to_qutip({}).full())
    partner = [int(np.argmin(np.abs(z + np.conj(zb)))) for zb in z]  # z_bbar = -conj(z_b)
    assert np.abs(z[partner] + np.conj(z)).max() < 1e-12
    # dense eigenvalues of a non-normal 4^n x 4^n matrix: error ~ 1e-16 x |L| x eigenvalue
    # condition, which is unbounded near coalescing eigenvalues (then ~ sqrt(1e-16)): 1e-8
    tol = 1e-8
    for a in range(2 * n):
        assert np.abs(spectrum - (-1j * z[a])).min() < tol  # a pole of G^R decays like this
        for b in range(2 * n):
            dist = np.abs(spectrum - (-1j * (z[a] - np.conj(z[b])))).min()
            if partner[b] != a:
                assert dist < tol
            else:  # 2 lambda_a: the same rapidity twice is not an eigenvalue (>= 0.03 away here)
                assert dist > 1e-3


@pytest.mark.parametrize("n, seed", CASES)
def test_equal_time_keldysh_is_minus_i_F(n, seed):
    L = random_model(n, seed)
    F = 2 * L.steady_state(values={}).nambu - np.eye(2 * n)
    # w = tan(theta): the integrand G^K(tan th) / cos^2 th is analytic and pi-periodic (G^K is
    # rational with decay w^-2), so the midpoint rule converges like exp(-2 m d), d = min |Im
    # arctan(z_a)| the distance of the nearest pole from the real theta axis (>= 0.08 for these
    # seeds): exp(-2 x 2048 x 0.08) ~ 1e-142, the sum is at rounding (~1e-15 x 2048 terms).
    m = 2048
    th = -np.pi / 2 + (np.arange(m) + 0.5) * np.pi / m
    _, _, GK = L.greens(np.tan(th), values={})
    integral = np.einsum("k,kij->ij", 1 / np.cos(th) ** 2, GK) * (np.pi / m) / (2 * np.pi)
    assert np.abs(integral - (-1j * F)).max() < 1e-12


@pytest.mark.parametrize("n, seed", CASES)
def test_sigma_keldysh_constant_and_from_jumps(n, seed):
    L = random_model(n, seed)
    d = gaussian_data(L, {})
    tau = _tau(n)
    sigma = -1j * (d.M - tau @ d.M.conj() @ tau)
    GR, GA, GK = L.greens(WS, values={})
    I = np.eye(2 * n)
    for k, w in enumerate(WS):
        # G^R^-1 G^K G^A^-1: rounding x |w - K|^2 |G^K| ~ 1e-13
        assert np.abs((w * I - d.K) @ GK[k] @ (w * I - d.K.conj().T) - sigma).max() < 1e-11


def test_sigma_keldysh_exact():
    R = sp.Rational
    a, b = kd.fermions("a b")
    H = (
        R(1, 3) * a.dag() * a
        - R(1, 2) * b.dag() * b
        + (R(1, 4) + sp.I / 5) * a.dag() * b.dag()
        + (R(1, 4) - sp.I / 5) * b * a
    )
    L = kd.Lindbladian(H, jumps=[(R(1, 2), a + sp.I / 3 * b.dag()), (R(1, 5), b), (R(1, 7), a.dag())])
    d = gaussian_data(L, {})
    tau = _tau(2)
    expected = -1j * (d.M - tau @ d.M.conj() @ tau)
    exact = np.array(L.sigma_keldysh().evalf(), dtype=complex)
    # exact rationals vs float data of the same rationals
    assert np.abs(exact - expected).max() < 1e-14


# ----------------------------------------------------------------------------- graded adjoint
e1, e2 = sp.symbols("epsilon_1 epsilon_2", real=True)
g1, p1, g2 = sp.symbols("gamma_1 p_1 gamma_2", positive=True)
c1, c2 = kd.fermions("c1 c2")
independent = kd.Lindbladian(e1 * c1.dag() * c1 + e2 * c2.dag() * c2, jumps=[(g1, c1), (p1, c1.dag()), (g2, c2)])


def test_loss_on_mode_1_does_not_touch_mode_2():
    assert independent.adjoint(c2) == (-sp.I * e2 - g2 / 2) * c2
    GR, _, _ = independent.greens()
    assert sp.simplify(GR[1, 1] - 1 / (kd.omega - e2 + sp.I * g2 / 2)) == 0
    assert not GR[1, 1].free_symbols & {g1, p1, e1}


def test_ungraded_adjoint_would_damp_mode_2():
    L1 = c1.terms
    Ld = ops.dagger(L1)
    LdL = ops.mul(Ld, L1)
    O = c2.terms
    anticomm = ops.add(ops.mul(LdL, O), ops.mul(O, LdL))
    ungraded = ops.add(ops.mul(Ld, O, L1), ops.scale(anticomm, sp.Rational(-1, 2)))
    graded = ops.add(ops.scale(ops.mul(Ld, O, L1), -1), ops.scale(anticomm, sp.Rational(-1, 2)))
    n1 = c1.dag() * c1
    assert kd.FermionOperator(ungraded) == -2 * c2 * n1  # not even linear: no closed G^R
    assert kd.FermionOperator(graded) == 0
    L = kd.Lindbladian(0 * c1, jumps=[(1, c1)], modes=[c1, c2])
    assert L.adjoint(c2) == 0


def test_graded_regression_in_fock_space():
    """QuTiP agrees with 1/(w - e2 + i g2/2) only with the parity-graded regression."""
    values = {e1: 0.4, e2: -0.3, g1: 0.9, p1: 0.2, g2: 0.25}
    closed = 1 / (WS + 0.3 + 0.125j)
    GR, _, _ = qutip_greens(independent, values, WS)
    GRu, _, _ = qutip_greens(independent, values, WS, graded=False)
    assert np.abs(GR[:, 1, 1] - closed).max() < 1e-12  # 16 x 16 LU, condition ~ 1 / 0.125
    assert np.abs(GRu[:, 1, 1] - closed).max() > 0.1  # plain regression: mode 1's rates leak in
