"""Peer check with QuTiP: the (k, -k) block of Eqs. (2), (5) built independently.

QuTiP provides its own Jordan-Wigner fermions (``qutip.fdestroy``), Lindbladian
(``qutip.liouvillian``), steady-state solver (``qutip.steadystate``) and ODE integrator
(``qutip.mesolve``).  We compare with :mod:`keldysh.paper.fock` and with the exact symbolic steady
state of Eq. (9) (``keldysh.paper.symbolic.master.steady_state``).  Bilinears are compared (they
do not depend on the Jordan-Wigner convention); the Liouvillian matrices are compared too,
since QuTiP happens to use the same ordering (site 0 leftmost, ``Z`` strings on the left)
and the same column-stacking vectorisation.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from keldysh.paper import fock as F
from keldysh.paper.symbolic import master


class _Qutip:
    """``qutip``, imported by the first test that uses it (not at collection: every test worker
    collects this file, and the import costs ~2.5 s); a test skips when QuTiP is missing."""

    def __getattr__(self, name: str):
        if name.startswith("_"):  # pytest probes module objects for its own markers at collection
            raise AttributeError(name)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # qutip warns when matplotlib is missing
            module = pytest.importorskip("qutip")
        return getattr(module, name)


qutip = _Qutip()


K1, K2, MK1, MK2 = 0, 1, 2, 3

PARAMS = dict(Et1=0.35, Et2=-0.2, Omega=0.9, Gamma1=0.4, Gamma2=0.07, f1=0.95, f2=0.1, Delta=0.5 - 0.3j)


def qutip_block(frame: str, p: dict, omega0: float | None = None):
    """Eq. (2) for one (k, -k) pair and the jumps of Eq. (5) (rates 2 Gamma_a f_a, 2 Gamma_a (1 - f_a)), in QuTiP.

    Written directly from the paper: ``sum E_a n + drive sum_k (c_k^1+ c_k^2 + h.c.)
    + (i/2) Delta sum_k c_k^a+ sigma^y_ab c_{-k}^b+ + h.c.``.
    Returns ``(H0, H_drive or None, c_ops, c)``.
    """
    c = [qutip.fdestroy(4, j) for j in range(4)]
    cd = [x.dag() for x in c]
    modes = {(+1, 1): K1, (+1, 2): K2, (-1, 1): MK1, (-1, 2): MK2}
    if frame == "lab":
        e = {1: p["Et1"] - omega0 / 2, 2: p["Et2"] + omega0 / 2}
    else:
        e = {1: p["Et1"], 2: p["Et2"]}
    sy = {(1, 2): -1j, (2, 1): 1j}
    H0 = 0 * cd[0] * c[0]
    hop = 0 * cd[0] * c[0]
    for kk in (+1, -1):
        for a in (1, 2):
            H0 += e[a] * cd[modes[kk, a]] * c[modes[kk, a]]
        hop += cd[modes[kk, 1]] * c[modes[kk, 2]] + cd[modes[kk, 2]] * c[modes[kk, 1]]
        for (a, b), y in sy.items():
            pair = 0.5j * p["Delta"] * y * cd[modes[kk, a]] * cd[modes[-kk, b]]
            H0 += pair + pair.dag()
    G = {1: p["Gamma1"], 2: p["Gamma2"]}
    f = {1: p["f1"], 2: p["f2"]}
    c_ops = []
    for (_kk, a), j in modes.items():
        if f[a] > 0:
            c_ops.append(np.sqrt(2 * G[a] * f[a]) * cd[j])
        if f[a] < 1:
            c_ops.append(np.sqrt(2 * G[a] * (1 - f[a])) * c[j])
    if frame == "lab":
        return H0, p["Omega"] * hop, c_ops, c
    return H0 + 0.5 * p["Omega"] * hop, None, c_ops, c


def _bilinear_ops(c):
    """``n11, n22, n21, s21`` of Eq. (9) as QuTiP operators, plus all 16 ``n_ij``, ``s_ij``."""
    cd = [x.dag() for x in c]
    paper = [cd[K1] * c[K1], cd[K2] * c[K2], cd[K2] * c[K1], cd[K2] * cd[MK1]]
    allb = [cd[i] * c[j] for i in range(4) for j in range(4)] + [cd[i] * cd[j] for i in range(4) for j in range(4)]
    return paper, allb


def _fock_all(rho):
    n, s = F.bilinears(rho)
    return np.concatenate([n.reshape(*n.shape[:-2], 16), s.reshape(*s.shape[:-2], 16)], axis=-1)


def _rwa_model(p=PARAMS):
    return F.pair_block("rwa", **p)


def test_liouvillian_matrices_agree():
    """Same Jordan-Wigner order and column stacking: the 256 x 256 Lindbladians coincide.

    Both are sums of Kronecker products of exact 0/+-1 matrices times the same doubles:
    agreement to rounding (1e-13).
    """
    H0, _, c_ops, _ = qutip_block("rwa", PARAMS)
    Lq = qutip.liouvillian(H0, c_ops).full()
    Lf = _rwa_model().liouvillian()
    assert np.abs(Lq - Lf).max() < 1e-13


def test_steadystate_matches_fock_and_symbolic():
    """``qutip.steadystate`` (direct sparse LU) vs ``keldysh.paper.fock`` vs the exact Eq. (9) steady state.

    Both numerical routes solve a 256-dim linear system in double precision (error
    ~ eps / rcond ~ 1e-14); tolerance 1e-10.
    """
    H0, _, c_ops, c = qutip_block("rwa", PARAMS)
    rho_q = qutip.steadystate(H0, c_ops)
    paper_ops, all_ops = _bilinear_ops(c)
    q_all = np.array([qutip.expect(op, rho_q) for op in all_ops])
    rho_f = _rwa_model().steady_state()
    assert np.abs(q_all - _fock_all(rho_f)).max() < 1e-10
    assert np.abs(rho_q.full() - rho_f).max() < 1e-10  # same JW convention: same matrix

    # exact symbolic steady state of Eq. (9): A u = b, u = (n11, n22, n21, n12, s21, sbar21)
    from keldysh.paper import symbols as S

    ss = master.steady_state()
    p = PARAMS
    E, eps = p["Et1"] + p["Et2"], p["Et2"] - p["Et1"]
    sub = {
        S.E: E,
        S.eps: eps,
        S.Omega: p["Omega"],
        S.Gamma1: p["Gamma1"],
        S.Gamma2: p["Gamma2"],
        S.f1: p["f1"],
        S.f2: p["f2"],
        S.Delta: p["Delta"],
        ss["Deltabar"]: np.conj(p["Delta"]),
    }
    A = np.array(ss["A"].subs(sub).evalf(), dtype=complex)
    b = np.array(ss["b"].subs(sub).evalf(), dtype=complex).ravel()
    u = np.linalg.solve(A, b)
    q = np.array([qutip.expect(op, rho_q) for op in paper_ops])
    q_u = np.array([q[0], q[1], q[2], np.conj(q[2]), q[3], np.conj(q[3])])
    assert np.abs(q_u - u).max() < 1e-10
    assert abs(q[3]) > 1e-3  # a genuinely anomalous steady state


def _initial_state(c):
    """A representation-independent, non-Gaussian, k <-> -k symmetric initial state.

    ``0.6 |psi><psi| + 0.4 rho_prod`` with ``|psi> ~ (1 + 0.7 c_k^2+ c_{-k}^1+ - 0.7 c_{-k}^2+ c_k^1+
    + 0.4i c_k^1+ c_{-k}^1+ c_k^2+ c_{-k}^2+)|0>`` and ``rho_prod`` the product state with
    ``<n^1> = 0.8``, ``<n^2> = 0.3`` -- built from the creation operators of the representation
    at hand.
    """
    is_q = isinstance(c[0], qutip.Qobj)
    cd = [x.dag() for x in c] if is_q else [x.conj().T for x in c]
    d = 16
    vac = qutip.basis([2] * 4, [0] * 4) if is_q else np.eye(d)[:, 0]
    mul = (lambda A, v: A * v) if is_q else (lambda A, v: A @ v)
    psi = vac + 0.7 * mul(cd[K2], mul(cd[MK1], vac)) - 0.7 * mul(cd[MK2], mul(cd[K1], vac))
    psi = psi + 0.4j * mul(cd[K1], mul(cd[MK1], mul(cd[K2], mul(cd[MK2], vac))))
    if is_q:
        psi = psi.unit()
        pure = psi * psi.dag()
        nops = [x * y for x, y in zip(cd, c)]
        one = qutip.qeye([2] * 4)
    else:
        psi = psi / np.linalg.norm(psi)
        pure = np.outer(psi, psi.conj())
        nops = [x @ y for x, y in zip(cd, c)]
        one = np.eye(d)
    occ = [0.8, 0.3, 0.8, 0.3]
    prod = one
    for o, nj in zip(occ, nops):
        fac = o * nj + (1 - o) * (one - nj)
        prod = prod * fac if is_q else prod @ fac
    return 0.6 * pure + 0.4 * prod


def test_mesolve_rwa_matches_fock_exponential():
    """``qutip.mesolve`` (Adams, atol = 1e-12, rtol = 1e-10) vs ``exp(L t)`` from ``keldysh.paper.fock``.

    With those step tolerances the global error over ~5 decay times is a few 1e-10 on O(1)
    expectation values; ``expm_multiply`` is exact to ~1e-14.  Tolerance 1e-8.
    """
    H0, _, c_ops, c = qutip_block("rwa", PARAMS)
    _, all_ops = _bilinear_ops(c)
    times = np.linspace(0.0, 12.0, 7)
    rho0_q = _initial_state(c)
    opts = {"atol": 1e-12, "rtol": 1e-10, "nsteps": 100000, "progress_bar": ""}
    res = qutip.mesolve(H0, rho0_q, times, c_ops, e_ops=all_ops, options=opts)
    q = np.array(res.expect).T
    C = F.annihilators(4)
    rho0_f = _initial_state([x.astype(complex) for x in C])
    f = _fock_all(_rwa_model().evolve(rho0_f, times))
    assert np.abs(q[0] - f[0]).max() < 1e-13  # same initial state built in both representations
    assert np.abs(q - f).max() < 1e-8
    assert np.abs(f[-1] - f[0]).max() > 0.05  # it did evolve


def test_mesolve_lab_frame_matches_fock_driven():
    """Lab frame, ``H(t) = H0 + Omega cos(omega0 t) H_x``: QuTiP vs ``keldysh.paper.fock.evolve_driven``.

    QuTiP: Adams with atol = 1e-12, rtol = 1e-10; keldysh: DOP853 with rtol = 1e-11,
    atol = 1e-13.  Over ~30 drive periods both are accurate to ~1e-9; tolerance 1e-7.
    """
    w = 12.0
    H0, Hd, c_ops, c = qutip_block("lab", PARAMS, omega0=w)
    _, all_ops = _bilinear_ops(c)
    times = np.linspace(0.0, 16.0, 5)
    H = [H0, [Hd, lambda t: np.cos(w * t)]]
    opts = {"atol": 1e-12, "rtol": 1e-10, "nsteps": 200000, "progress_bar": ""}
    res = qutip.mesolve(H, _initial_state(c), times, c_ops, e_ops=all_ops, options=opts)
    q = np.array(res.expect).T
    p = dict(PARAMS)
    Et1, Et2 = p.pop("Et1"), p.pop("Et2")
    model = F.pair_block("lab", E1=Et1 - w / 2, E2=Et2 + w / 2, omega0=w, **p)
    rho0 = _initial_state([x.astype(complex) for x in F.annihilators(4)])
    f = _fock_all(model.evolve(rho0, times, rtol=1e-11, atol=1e-13))
    assert np.abs(q - f).max() < 1e-7
