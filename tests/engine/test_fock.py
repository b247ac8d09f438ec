"""The Fock route of the engine (``closure="fock"``): exact steady states of any Lindbladian.

Two independent routes each: the Fock steady state of a *quadratic* model against the Nambu
covariance route (exact; agreement to rounding), and of a non-quadratic model against QuTiP's
own Jordan-Wigner Liouvillian and steady-state solver.  Tolerances: both routes solve the same
linear system to rounding (condition numbers here < 1e4), so 1e-10.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import sympy as sp

import keldysh as kd

eps, U = sp.symbols("epsilon U", real=True)
g, gp, gd = sp.symbols("gamma gamma_p gamma_d", positive=True)
D = sp.Symbol("Delta")


def test_quadratic_model_fock_equals_nambu():
    """A pair with pairing, pumping, loss and dephasing: every bilinear on both routes."""
    a, b = kd.fermions("a b")
    H = (
        eps * (a.dag() * a - b.dag() * b)
        + D * a.dag() * b.dag()
        + sp.conjugate(D) * b * a
        + 0.3 * (a.dag() * b + b.dag() * a)
    )
    jumps = [(g, a), (gp, a.dag()), (g, b), (gp, b.dag()), (gd, a.dag() * a + b.dag() * b)]
    vals = {eps: 0.4, D: 0.2 - 0.1j, g: 0.3, gp: 0.1, gd: 0.05}
    nambu = kd.Lindbladian(H, jumps).steady_state(values=vals)
    fock = kd.Lindbladian(H, jumps, closure="fock").steady_state(values=vals)
    for op in (a.dag() * a, b.dag() * b, a.dag() * b, b * a, a * b, b.dag() * a):
        assert complex(fock[op]) == pytest.approx(complex(nambu[op]), abs=1e-10)
    assert fock.rho.trace() == pytest.approx(1.0, abs=1e-12)
    assert np.linalg.eigvalsh(fock.rho).min() > -1e-12


def test_threeband_populations_equal_eq_a12():
    """One momentum of the Appendix (one electron in three bands): Eq. (A12) derived symbolically
    (``keldysh.paper.symbolic.threeband``) against the exact Fock steady state."""
    from keldysh.paper.threeband import population_func

    c1, c2, c3 = kd.fermions("c1 c2 c3")
    e, Om, tau, G1, G2, G3 = sp.symbols("epsilon Omega tau Gamma1 Gamma2 Gamma3", real=True)
    H = e / 2 * (c2.dag() * c2 - c1.dag() * c1) + Om / 2 * (c2.dag() * c1 + c1.dag() * c2)
    gphi = (1 / tau - (G1 + G2) / 2) / 2  # n21 dephases at 1/tau in total
    jumps = [(G1, c3.dag() * c2), (G2, c1.dag() * c2), (G3, c1.dag() * c3), (gphi, c2.dag() * c2 - c1.dag() * c1)]
    L = kd.Lindbladian(H, jumps, closure="fock")
    assert not L.closed and L.jump_kinds[:3] == ["general"] * 3
    for detuning in (0.0, 0.03, -0.2):
        vals = {e: detuning, Om: 0.5, tau: 20.0, G1: 0.01, G2: 0.001, G3: 0.002}
        ss = L.steady_state(values=vals, reference=[c1])
        x = ss[c1.dag() * c1] + ss[c2.dag() * c2] - 1
        assert x == pytest.approx(float(population_func()(detuning, 0.5, 20.0, 0.01, 0.001, 0.002)), abs=1e-12)
        assert ss[c1.dag() * c1 + c2.dag() * c2 + c3.dag() * c3] == pytest.approx(1.0, abs=1e-12)
    # the vacuum is a sector of its own: nothing moves an electron in
    assert L.steady_state(values=vals)[c1.dag() * c1] == 0.0


def test_non_quadratic_model_against_qutip():
    """A decay between two levels (``c2^+ c1``, not Hermitian), a local interaction ``U n1 n2``,
    pumping and loss: unique steady state in the whole Fock space, compared with QuTiP's."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        qutip = pytest.importorskip("qutip")
    c1, c2 = kd.fermions("c1 c2")
    H = (
        eps * c1.dag() * c1
        - eps * c2.dag() * c2
        + U * c1.dag() * c1 * c2.dag() * c2
        + 0.2 * (c1.dag() * c2 + c2.dag() * c1)
    )
    L = kd.Lindbladian(H, jumps=[(g, c2.dag() * c1), (gp, c1.dag()), (g, c2)], closure="fock")
    vals = {eps: 0.3, U: 1.1, g: 0.25, gp: 0.4}
    ss = L.steady_state(values=vals)
    rho = qutip.steadystate(L.to_qutip(vals))
    ops = {"n1": (c1.dag() * c1, 0, 0), "n2": (c2.dag() * c2, 1, 1), "c1+ c2": (c1.dag() * c2, 0, 1)}
    for _, (op, i, j) in ops.items():
        q = qutip.expect(qutip.fcreate(2, i) * qutip.fdestroy(2, j), rho)
        assert complex(ss[op]) == pytest.approx(complex(q), abs=1e-10)
    # a quartic observable too (no Wick factorisation here)
    q = qutip.expect(qutip.fcreate(2, 0) * qutip.fdestroy(2, 0) * qutip.fcreate(2, 1) * qutip.fdestroy(2, 1), rho)
    assert ss[c1.dag() * c1 * c2.dag() * c2] == pytest.approx(float(np.real(q)), abs=1e-10)


def test_bilinear_methods_refuse_a_non_closed_model():
    c1, c2 = kd.fermions("c1 c2")
    L = kd.Lindbladian(eps * c1.dag() * c1, jumps=[(g, c2.dag() * c1)], closure="fock")
    for call in (L.eom_system, L.steady_state, L.greens, L.retarded_kernel):
        with pytest.raises(kd.ClosureError, match="Fock route"):
            call()
    with pytest.raises(kd.ClosureError, match="closure='fock'"):
        kd.Lindbladian(eps * c1.dag() * c1, jumps=[(g, c2.dag() * c1)])
    with pytest.raises(kd.ClosureError, match="definite fermion parity"):
        kd.Lindbladian(eps * c1.dag() * c1, jumps=[(g, c1 + c1.dag() * c2)], closure="fock")
    with pytest.raises(ValueError, match="closure must be one of"):
        kd.Lindbladian(eps * c1.dag() * c1, closure="exact")


def test_undetermined_steady_state_is_reported():
    """A hopping electron whose only dissipator acts on the doubly occupied state: in the
    one-electron sector of the reference state every function of ``H`` is stationary."""
    c1, c2 = kd.fermions("c1 c2")
    H = eps * (c1.dag() * c2 + c2.dag() * c1)
    L = kd.Lindbladian(H, jumps=[(g, c1.dag() * c1 * c2.dag() * c2)], closure="fock")
    with pytest.raises(kd.SteadyStateError, match="not unique"):
        L.steady_state(values={eps: 0.2, g: 0.1}, reference=[c1])
    # the doubly occupied sector is one state: unique
    assert L.steady_state(values={eps: 0.2, g: 0.1}, reference=[c1, c2])[c1.dag() * c1] == pytest.approx(1.0)
