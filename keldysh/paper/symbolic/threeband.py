"""Appendix derived: the laser-driven three-band semiconductor (Eqs. (A1)-(A15)).

Bands 1 (lower), 3 (middle, the "storage") and 2 (upper); the laser drives 1 <-> 2 only.
Population dynamics (Eq. (A11)) are incoherent interband transitions:

* ``Gamma_1``: 2 -> 3, jump ``L = c^3+ c^2``;   ``Gamma_2``: 2 -> 1, ``L = c^1+ c^2``;
* ``Gamma_3``: 3 -> 1, ``L = c^1+ c^3``;         pure dephasing ``L = n^2`` (rate ``2 gamma_phi``),

each as ``rate * D[L]`` (Eq. (5)'s dissipator).  These jumps are *quadratic*, so the
equations of motion of bilinears are closed only in the sector of one electron per ``k``
(``n11 + n22 + n33 = 1``, the conservation law stated after Eq. (A11)): there every
normal-ordered quartic word has zero expectation, and dropping them is exact.  The
coherence then decays at ``1/tau = (Gamma_1 + Gamma_2)/2 + gamma_phi`` -- the printed
``1/tau`` is the *total* dephasing rate (so ``1/tau >= (Gamma_1 + Gamma_2)/2``).

Pairing (Eqs. (A4), (A9), (A10)) couples ``c_k^2`` with ``c_{-k}^1``; as in Sect. III its decay
``Gamma_12`` is modelled by a pure dephasing of the pair number
(a Hermitian quadratic jump ``N_pair`` of the engine's adjoint, :func:`keldysh.engine.lindblad.heisenberg`).  We use the package's sign convention
(pairing ``-Delta c_k^2+ c_{-k}^1+ + h.c.``, ``Delta^* = V int (dk) s21``, V > 0 attractive,
as in Eqs. (10) and (19)); the printed A4 has ``+Delta``.

Everything returned here is derived; the printed forms live in
:mod:`keldysh.paper.checks.appendix_threeband`.
"""

from __future__ import annotations

from functools import cache

import sympy as sp

from keldysh.engine.lindblad import heisenberg
from keldysh.paper import symbols as S
from keldysh.paper.symbolic import fermions as F
from keldysh.paper.symbolic.lindblad import Bilinears

__all__ = [
    "Gamma3",
    "Gamma12",
    "tau",
    "E3",
    "n11",
    "n22",
    "n33",
    "n21",
    "heisenberg_a5",
    "threeband_eom",
    "threeband_steady_state",
    "population_deviation_expr",
    "large_rabi_population_expr",
    "pair_eom",
    "anomalous_expr",
    "gap_kernel_expr",
    "threshold_expr",
]

Gamma3 = sp.Symbol("Gamma_3", positive=True)
Gamma12 = sp.Symbol("Gamma_12", positive=True)
tau = sp.Symbol("tau", positive=True)
E3 = sp.Symbol("E_3", real=True)
gphi = sp.Symbol("gamma_phi", nonnegative=True)

n11, n22, n33 = sp.symbols("n^{11} n^{22} n^{33}", real=True)
n21 = sp.Symbol("n^{21}")  # <c^2+ c^1>
n12 = sp.Symbol("n^{12}")
s21 = sp.Symbol("s^{21}")  # <c_k^2+ c_{-k}^1+>

# one-k modes for the populations: 0 = band 1, 1 = band 2, 2 = band 3
B1, B2, B3 = 0, 1, 2


def heisenberg_a5() -> dict[str, sp.Expr]:
    """Eq. (A5) derived: ``i dc/dt = [c, H]`` for ``H`` of Eqs. (A1)-(A4) as printed.

    Modes ``0 = c_k^1, 1 = c_k^2, 2 = c_{-k}^1, 3 = c_{-k}^2, 4 = c_k^3, 5 = c_{-k}^3``; the drive
    ``Omega(t)`` is a complex symbol ``W``.  Returns ``{"c2": [c_k^2, H], "c3": ..., "c1": ...}`` as
    fermion operators (dicts), and the symbols used.
    """
    W = sp.Symbol("W")  # Omega(t)
    e1, e2, e3 = sp.symbols("E_1 E_2 E_3", real=True)
    H: F.Operator = {}
    for m, e in ((0, e1), (2, e1), (1, e2), (3, e2), (4, e3), (5, e3)):
        H = F.add(H, F.scale(F.mul(F.cdag(m), F.c(m)), e))
    for up, lo in ((1, 0), (3, 2)):  # H_Laser = sum_k Omega(t) c_k^2+ c_k^1 + h.c.
        term = F.scale(F.mul(F.cdag(up), F.c(lo)), W)
        H = F.add(H, term, F.dagger(term))
    for a2, b1 in ((1, 2), (3, 0)):  # H_Super = sum_k Delta c_k^2+ c_{-k}^1+ + h.c.
        term = F.scale(F.mul(F.cdag(a2), F.cdag(b1)), S.Delta)
        H = F.add(H, term, F.dagger(term))
    H = F.normal_order(H)
    return {
        "c2": F.comm(F.c(1), H),
        "c3": F.comm(F.c(4), H),
        "c1": F.comm(F.c(0), H),
        "symbols": (W, e1, e2, e3),
    }


def _one_electron_expectation(op: F.Operator, table: Bilinears) -> sp.Expr:
    """``<op>`` in the one-electron-per-k sector: normal-ordered quartic words vanish there."""
    kept = {w: cf for w, cf in op.items() if len(w) <= 2}
    for w in op:
        if len(w) > 2 and not all(d for _, d in w[: len(w) // 2]):
            raise AssertionError(f"word {w} is not normal-ordered")
    return sp.expand(table.expectation(kept))


@cache
def threeband_eom() -> dict[str, sp.Expr]:
    """Eq. (A11) derived (rotating frame, RWA, ``Delta -> 0``): ``d/dt`` of ``n11, n22, n33, n21``.

    Rotating-frame Hamiltonian ``Et1 n^1 + Et2 n^2 + E3 n^3 + (Omega/2)(c^2+ c^1 + h.c.)`` (the
    RWA of Eq. (A3) exactly as Eq. (9) from Eq. (2)), with the four dissipators of the module
    docstring; ``epsilon = Et2 - Et1``.  Expressed with ``gamma_phi`` eliminated through
    ``1/tau = (Gamma_1 + Gamma_2)/2 + gamma_phi``.
    """
    H = F.add(
        F.scale(F.mul(F.cdag(B1), F.c(B1)), S.Et1),
        F.scale(F.mul(F.cdag(B2), F.c(B2)), S.Et2),
        F.scale(F.mul(F.cdag(B3), F.c(B3)), E3),
        F.scale(F.mul(F.cdag(B2), F.c(B1)), S.Omega / 2),
        F.scale(F.mul(F.cdag(B1), F.c(B2)), S.Omega / 2),
    )
    jumps = [
        (S.Gamma1, F.mul(F.cdag(B3), F.c(B2))),
        (S.Gamma2, F.mul(F.cdag(B1), F.c(B2))),
        (Gamma3, F.mul(F.cdag(B1), F.c(B3))),
        (2 * gphi, F.mul(F.cdag(B2), F.c(B2))),
    ]
    obs = {
        "n11": F.mul(F.cdag(B1), F.c(B1)),
        "n22": F.mul(F.cdag(B2), F.c(B2)),
        "n33": F.mul(F.cdag(B3), F.c(B3)),
        "n21": F.mul(F.cdag(B2), F.c(B1)),
    }
    table = Bilinears(3)
    sub = {
        table.n(B1, B1): n11,
        table.n(B2, B2): n22,
        table.n(B3, B3): n33,
        table._sym("n", B1, B2): n12,  # <c^1+ c^2>
        sp.conjugate(table._sym("n", B1, B2)): n21,
        table._sym("n", B1, B3): 0,  # no coherence with the undriven band 3
        table._sym("n", B2, B3): 0,
    }
    out = {}
    for name, O in obs.items():
        op = heisenberg(H, jumps, O)  # the engine's adjoint (no closure: one-electron sector below)
        rhs = _one_electron_expectation(op, table)
        rhs = sp.expand(rhs.xreplace(sub).xreplace(sub))
        rhs = sp.expand(rhs.subs(gphi, 1 / tau - (S.Gamma1 + S.Gamma2) / 2))
        out[name] = rhs
    return out


@cache
def threeband_steady_state() -> dict[str, sp.Expr]:
    """Steady state of Eq. (A11) in the sector ``n11 + n22 + n33 = 1`` (``Delta -> 0``).

    The four equations have one conserved combination, so one of them is replaced by the
    conservation law; ``epsilon = Et2 - Et1``.
    """
    eqs = threeband_eom()
    sub = {S.Et2: S.Et1 + S.eps}
    e = {k: sp.expand(v.xreplace(sub)) for k, v in eqs.items()}
    total = sp.simplify(e["n11"] + e["n22"] + e["n33"])
    if total != 0:
        raise AssertionError(f"Eq. (A11) does not conserve n11 + n22 + n33: {total}")
    n21c = sp.conjugate(e["n21"]).xreplace({sp.conjugate(n21): n12, sp.conjugate(n12): n21})
    system = [e["n22"], e["n33"], e["n21"], n21c, n11 + n22 + n33 - 1]
    sol = sp.solve(system, [n11, n22, n33, n21, n12], dict=True)
    if len(sol) != 1:
        raise RuntimeError("the steady state of Eq. (A11) is not unique")
    sol = sol[0]
    x = sp.factor(sp.cancel(sol[n11] + sol[n22] - 1))
    return {
        "n11": sp.factor(sol[n11]),
        "n22": sp.factor(sol[n22]),
        "n33": sp.factor(sol[n33]),
        "n21": sp.factor(sol[n21]),
        "x": x,
    }


@cache
def population_deviation_expr() -> sp.Expr:
    """Eq. (A12) derived: ``x = n11 + n22 - 1 = -n33`` at ``Delta -> 0``.

    ``x = -Gamma_1 R / (Gamma_3 (Gamma_1 + Gamma_2) + R (Gamma_1 + 2 Gamma_3))`` with the
    transition rate ``R = Omega^2 / (2 tau (epsilon^2 + tau^-2))`` (printed: ``|Omega|^-1`` in the
    numerator).
    """
    return threeband_steady_state()["x"]


def large_rabi_population_expr() -> sp.Expr:
    """``Omega -> infinity`` limit of :func:`population_deviation_expr`: ``-Gamma_1/(Gamma_1 + 2 Gamma_3)``."""
    x = population_deviation_expr()
    return sp.factor(sp.limit(x, S.Omega, sp.oo))


@cache
def pair_eom() -> sp.Expr:
    """Eq. (A9) derived: ``d s21/dt = (i E - Gamma_12) s21 + i conj(Delta) (n11 + n22 - 1)``.

    Pair ``(c_k^2, c_{-k}^1)`` with energies ``Et2, Et1``, pairing ``-Delta c_k^2+ c_{-k}^1+ + h.c.``
    and the pair dephasing of rate ``Gamma_12/2`` (jump ``N_pair``).  Returned with
    ``E = Et1 + Et2`` and ``x = n11 + n22 - 1`` substituted.
    """
    a, b = 0, 1  # 0 = c_k^2, 1 = c_{-k}^1
    H = F.add(
        F.scale(F.mul(F.cdag(a), F.c(a)), S.Et2),
        F.scale(F.mul(F.cdag(b), F.c(b)), S.Et1),
    )
    pair = F.scale(F.mul(F.cdag(a), F.cdag(b)), -S.Delta)
    H = F.normal_order(F.add(H, pair, F.dagger(pair)))
    O = F.mul(F.cdag(a), F.cdag(b))
    Npair = F.add(F.mul(F.cdag(a), F.c(a)), F.mul(F.cdag(b), F.c(b)))
    op = heisenberg(H, [(Gamma12 / 2, Npair)], O)  # pair dephasing: a Hermitian quadratic jump
    table = Bilinears(2)
    rhs = sp.expand(table.expectation(op))
    x = sp.Symbol("x", real=True)
    rhs = rhs.xreplace({table._sym("s", a, b): s21, table.n(a, a): n22, table.n(b, b): n11})
    rhs = sp.expand(rhs.xreplace({S.Et2: S.E - S.Et1}).subs(n11, x + 1 - n22))
    return rhs


def anomalous_expr() -> sp.Expr:
    """Eq. (A10) derived: the steady state of :func:`pair_eom`, ``s21 = -conj(Delta) x/(E + i Gamma_12)``."""
    sol = sp.solve(pair_eom(), s21)
    return sp.factor(sol[0])


@cache
def gap_kernel_expr() -> sp.Expr:
    """Eq. (A13) derived kernel: ``g = E x / (E^2 + Gamma_12^2)`` of ``1 + V int (dk) g = 0``.

    ``x`` from :func:`population_deviation_expr` (weak pairing, populations at ``Delta = 0``),
    the in-phase part of Eq. (A10) as in Eq. (18).  Symbols ``E, epsilon, Omega, tau,
    Gamma_1, Gamma_2, Gamma_3, Gamma_12``.
    """
    return sp.factor(S.E * population_deviation_expr() / (S.E**2 + Gamma12**2))


def threshold_expr() -> sp.Expr:
    """Eq. (A15) derived (``Omega -> oo``, ``kmax -> oo``, ``E = kappa_+ q^2``, ``(dk) = N0|v_-| dq``).

    ``V_c = (sqrt 2/pi) sqrt(|kappa_+| Gamma_12) (1 + 2 Gamma_3/Gamma_1) / (N0 |v_-|)``.
    """
    from keldysh.paper.symbolic.pumping import quartic_integral_expr

    xinf = large_rabi_population_expr()
    integral = S.N0 * sp.Abs(S.v_minus) * xinf * quartic_integral_expr(S.kappa_plus, Gamma12)
    return sp.simplify(sp.Abs(1 / integral))
