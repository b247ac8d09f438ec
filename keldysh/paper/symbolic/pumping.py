"""Sect. III derived: optical pumping of a two-band semiconductor (Eqs. (34)-(46)).

Model.  After the broad-band pump, each band is in its own quasi-equilibrium (Eq. (34)):
``n^{11}_k -> n_F(E_1(k), mu_1)``, ``n^{22}_{-k} -> n_F(E_2(-k), mu_2)`` and no interband
coherence (``n^{12}_k = 0``).  (The printed Eq. (34) labels the first population ``n^{21}_k``;
a coherence cannot equal a Fermi function -- it is ``n^{11}_k``.)

Which modes pair.  The pairing term of Eq. (2) (``-Delta sum_k c_k^2+ c_{-k}^1+ + h.c.`` in the
package's convention) couples ``c_k^1`` with ``c_{-k}^2``; the surface S of Sect. III is
``E_1(k) + E_2(-k) = 0``, so the closed set is ``{n^{11}_k, n^{22}_{-k}, s_k}`` with
``s_k = <c_{-k}^2+ c_k^1+>`` (the paper's ``s^{21}_{-k}``) and pair energy
``E_k = E_1(k) + E_2(-k)`` (the paper writes ``E_1(k) + E_2(k)``; equal only for symmetric
bands).  Modes (as in :mod:`keldysh.paper.symbolic.master`): ``0 = c_k^1, 1 = c_k^2, 2 = c_{-k}^1,
3 = c_{-k}^2``; the four energies ``E_a(+-k)`` are independent symbols.

Dissipation.  Intraband relaxation towards the quasi-equilibria of Eq. (34) is the Lindblad
form of Eq. (5) with rates ``2 Gamma_a f`` (jump ``c^+``) and ``2 Gamma_a (1 - f)`` (jump
``c``), ``f = n_F(E_a, mu_a)``: it gives ``-2 Gamma_a (n - f)`` (Eq. (35)) and a decay
``Gamma_1 + Gamma_2`` of ``s``.  The pairing decay ``Gamma_12 != Gamma_1 + Gamma_2`` is
phenomenological; we model the excess by a *pure dephasing* of the pair: the Hermitian jump
``L = N_pair = n_{k}^1 + n_{-k}^2`` with rate ``r = (Gamma_12 - Gamma_1 - Gamma_2)/2``.  Its
adjoint ``-(r/2)[N, [N, O]]`` leaves the populations alone and damps ``s`` by ``2 r``
(a Hermitian quadratic jump of the engine, :class:`keldysh.engine.Lindbladian`).  It is
a completely positive model for ``Gamma_12 >= Gamma_1 + Gamma_2``; for smaller ``Gamma_12``
the same equations are used as printed (a linearised collision integral, Ref. 26).

Everything returned here is derived; the printed forms live in
:mod:`keldysh.paper.checks.sec3_pumping`.
"""

from __future__ import annotations

from functools import cache

import sympy as sp

from keldysh.paper import symbols as S
from keldysh.paper.symbolic import fermions as F
from keldysh.paper.symbolic.lindblad import Bilinears, QuadraticLindbladian

__all__ = [
    "E1k",
    "E2k",
    "E1mk",
    "E2mk",
    "mu1",
    "mu2",
    "Gamma12",
    "Ncal",
    "n1",
    "n2",
    "s",
    "pair_hamiltonian_asym",
    "pumping_eom",
    "pumping_steady_state",
    "population_deviation_expr",
    "anomalous_expr",
    "gap_kernel_expr",
    "quartic_integral_expr",
    "gap_equation_closed_expr",
    "threshold_expr",
    "delta_expr",
]

# band energies at +-k (lab frame, measured from mu = 0); no symmetry E_a(k) = E_a(-k) assumed
E1k, E2k, E1mk, E2mk = sp.symbols("E_1(k) E_2(k) E_1(-k) E_2(-k)", real=True)
mu1, mu2 = sp.symbols("mu_1 mu_2", real=True)
Gamma12 = sp.Symbol("Gamma_12", positive=True)
#: N = n_F(E_1(k), mu_1) + n_F(E_2(-k), mu_2) - 1 (Eq. (44))
Ncal = sp.Symbol("N", real=True)
# quasi-equilibrium occupations of the four modes
fk1, fk2, fmk1, fmk2 = sp.symbols("f_1(k) f_2(k) f_1(-k) f_2(-k)", real=True)

# the closed set of Eq. (35)
n1 = sp.Symbol("n^{11}_k", real=True)
n2 = sp.Symbol("n^{22}_{-k}", real=True)
s = sp.Symbol("s_k")  # <c_{-k}^2+ c_k^1+>

K1, K2, MK1, MK2 = 0, 1, 2, 3


def pair_hamiltonian_asym(Delta: sp.Expr = S.Delta) -> F.Operator:
    """Eq. (2) without drive for one (k, -k) pair, with independent energies ``E_a(+-k)``.

    The pairing term is built literally as ``(i/2) Delta sum c_k^a+ sigma^y_ab c_{-k}^b+ + h.c.``
    over both momenta of the pair.
    """
    energies = {(+1, 1): E1k, (+1, 2): E2k, (-1, 1): E1mk, (-1, 2): E2mk}
    modes = {(+1, 1): K1, (+1, 2): K2, (-1, 1): MK1, (-1, 2): MK2}
    sy = sp.Matrix([[0, -sp.I], [sp.I, 0]])
    H: F.Operator = {}
    for kk in (+1, -1):
        for a in (1, 2):
            H = F.add(H, F.scale(F.mul(F.cdag(modes[kk, a]), F.c(modes[kk, a])), energies[kk, a]))
        for a in (1, 2):
            for b in (1, 2):
                if sy[a - 1, b - 1] != 0:
                    pair = F.scale(
                        F.mul(F.cdag(modes[kk, a]), F.cdag(modes[-kk, b])), sp.I / 2 * Delta * sy[a - 1, b - 1]
                    )
                    anti = F.scale(
                        F.mul(F.c(modes[kk, a]), F.c(modes[-kk, b])), -sp.I / 2 * sp.conjugate(Delta) * sy[a - 1, b - 1]
                    )
                    H = F.add(H, pair, anti)
    return F.normal_order(H)


def _lindbladian() -> QuadraticLindbladian:
    H = pair_hamiltonian_asym()
    jumps = []
    for mode, G, f in ((K1, S.Gamma1, fk1), (MK1, S.Gamma1, fmk1), (K2, S.Gamma2, fk2), (MK2, S.Gamma2, fmk2)):
        jumps.append((2 * G * f, F.cdag(mode)))
        jumps.append((2 * G * (1 - f), F.c(mode)))
    Npair = F.add(F.mul(F.cdag(K1), F.c(K1)), F.mul(F.cdag(MK2), F.c(MK2)))
    jumps.append(((Gamma12 - S.Gamma1 - S.Gamma2) / 2, Npair))  # pair dephasing (module docstring)
    return QuadraticLindbladian(4, H, jumps)


@cache
def pumping_eom() -> dict[str, sp.Expr]:
    """Eq. (35) derived: ``d/dt`` of ``n^{11}_k``, ``n^{22}_{-k}`` and ``s_k = <c_{-k}^2+ c_k^1+>``.

    Lindblad engine: intraband relaxation (Eq. (5) with rate factor 2) plus the pair dephasing of
    rate ``(Gamma_12 - Gamma_1 - Gamma_2)/2`` (a Hermitian quadratic jump).  Energies ``E_1(k)``,
    ``E_2(-k)``; ``f_1(k) = n_F(E_1(k), mu_1)``, ``f_2(-k) = n_F(E_2(-k), mu_2)``.
    Returns ``{"n1": ..., "n2": ..., "s": ...}`` in the symbols ``n1, n2, s, Delta``.
    """
    L = _lindbladian()
    table = Bilinears(4)
    obs = {
        "n1": F.mul(F.cdag(K1), F.c(K1)),
        "n2": F.mul(F.cdag(MK2), F.c(MK2)),
        "s": F.mul(F.cdag(MK2), F.cdag(K1)),
    }
    sub = {
        table.n(K1, K1): n1,
        table.n(MK2, MK2): n2,
        table.s(MK2, K1): s,
        table.s(K1, MK2): -s,
    }
    out = {}
    for name, O in obs.items():
        op = L.adjoint(O)
        rhs = sp.expand(table.expectation(op))
        rhs = sp.expand(rhs.xreplace(sub).xreplace({sp.conjugate(s): sp.conjugate(s)}))
        leftover = rhs.free_symbols - {n1, n2, s, S.Delta, S.Gamma1, S.Gamma2, Gamma12, E1k, E2mk, fk1, fmk2}
        if leftover:
            raise AssertionError(f"Eq. (35) did not close on (n11_k, n22_-k, s_k): {leftover}")
        out[name] = rhs
    return out


@cache
def pumping_steady_state() -> dict[str, sp.Expr]:
    """Eqs. (36)-(38) derived: exact steady state of :func:`pumping_eom` for complex ``Delta``.

    Unknowns ``n1, n2, s, sbar`` with ``conj(Delta) -> Deltabar`` independent; in the symbols
    ``E = E_1(k) + E_2(-k)``, ``N = f_1 + f_2 - 1``.  Returns ``x = n1 + n2 - 1``, ``s``, and the
    ratio ``s / x``.
    """
    eqs = pumping_eom()
    sbar, Dbar = sp.symbols("sbar_k Deltabar")
    rep = {sp.conjugate(s): sbar, sp.conjugate(S.Delta): Dbar}
    system = [eqs["n1"].xreplace(rep), eqs["n2"].xreplace(rep), eqs["s"].xreplace(rep)]
    sc = sp.conjugate(eqs["s"]).xreplace(rep)
    sc = sc.xreplace({sp.conjugate(Dbar): S.Delta, sp.conjugate(sbar): s})
    system.append(sc)
    sol = sp.solve(system, [n1, n2, s, sbar], dict=True)
    if len(sol) != 1:
        raise RuntimeError("the steady state of Eq. (35) is not unique")
    sol = sol[0]
    sub = {E1k: S.E - E2mk, fk1: Ncal + 1 - fmk2}
    x = sp.factor(sp.cancel((sol[n1] + sol[n2] - 1).xreplace(sub)))
    sval = sp.factor(sp.cancel(sol[s].xreplace(sub)))
    return {
        "x": x,
        "s": sval,
        "s_over_x": sp.factor(sp.cancel(sval / x)),
        "Deltabar": Dbar,
        "n1": sp.factor(sol[n1].xreplace(sub)),
        "n2": sp.factor(sol[n2].xreplace(sub)),
    }


@cache
def population_deviation_expr() -> sp.Expr:
    """Eq. (37) derived: ``x = n^{11}_k + n^{22}_{-k} - 1`` in ``E, |Delta|, Gamma_1, Gamma_2, Gamma_12, N``.

    Derived closed form: ``x = N / (1 + |Delta|^2 Gamma Gamma_12 / (Gamma_1 Gamma_2 (E^2 + Gamma_12^2)))``
    = ``4 g1 g2 (Gamma/Gamma_12) N / Xi''`` with ``Xi'' = 4 g1 g2 (Gamma/Gamma_12) + 4|Delta|^2/(E^2 + Gamma_12^2)``
    (the printed Eqs. (37)-(38) have ``(Gamma/Gamma_12)^2``; see the errata).
    """
    ss = pumping_steady_state()
    D = S.Delta_abs
    return sp.factor(ss["x"].xreplace({S.Delta: D, ss["Deltabar"]: D}))


@cache
def anomalous_expr() -> sp.Expr:
    """Eq. (36) derived: ``s_k / x = -conj(Delta) / (E + i Gamma_12)`` (times the symbol ``x``)."""
    return pumping_steady_state()["s_over_x"] * sp.Symbol("x")


@cache
def gap_kernel_expr() -> sp.Expr:
    """Eq. (41) derived: the kernel ``g = E x / (E^2 + Gamma_12^2)`` of ``1 + V int (dk) g = 0``.

    From ``Delta^* = V int (dk) s`` (Eq. (40)) keeping the part of ``s`` in phase with ``Delta^*``
    (the prescription of Eq. (18)): ``Re[1/(E + i Gamma_12)] = E/(E^2 + Gamma_12^2)``.
    """
    return sp.factor(S.E * population_deviation_expr() / (S.E**2 + Gamma12**2))


def quartic_integral_expr(kappa: sp.Expr, B: sp.Expr, U: sp.Expr | None = None) -> sp.Expr:
    """``int_{-U}^{U} dq kappa q^2 / (kappa^2 q^4 + B^2)`` in closed form (``U = None``: the real line).

    With ``u = q sqrt(|kappa|/B)``: ``sgn(kappa) (|kappa| B)^(-1/2) * 2 J(u_max)``,
    ``J(u) = int_0^u t^2/(1+t^4) dt`` and ``2 J(infinity) = pi/sqrt(2)`` (used for Eqs. (42), (A13)).
    """
    t = sp.Symbol("t", positive=True)
    if U is None:
        twoJ = 2 * sp.integrate(t**2 / (1 + t**4), (t, 0, sp.oo))
    else:
        um = U * sp.sqrt(sp.Abs(kappa) / B)
        twoJ = (
            sp.log((um**2 - sp.sqrt(2) * um + 1) / (um**2 + sp.sqrt(2) * um + 1)) / 2
            + sp.atan(sp.sqrt(2) * um + 1)
            + sp.atan(sp.sqrt(2) * um - 1)
        ) / sp.sqrt(2)
    return sp.sign(kappa) * twoJ / sp.sqrt(sp.Abs(kappa) * B)


@cache
def gap_equation_closed_expr() -> sp.Expr:
    """Eq. (42) derived: the right-hand side ``R(|Delta|)`` of ``1 = R`` for ``E = kappa_+ q^2``, ``kmax -> oo``.

    ``(dk) = N0 |v_-| dq``, ``N`` uniform near S:
    ``R = -(pi/sqrt 2) N0 V |v_-| sgn(kappa_+) |kappa_+|^(-1/2) N (g1 g2 Gamma/Gamma_12)^(1/4)
    / (|Delta|^2 + g1 g2 Gamma Gamma_12)^(1/4)`` (printed: ``(Gamma/Gamma_12)^(1/2)`` and
    ``g1 g2 Gamma^2``).
    """
    G1, G2, D = S.Gamma1, S.Gamma2, S.Delta_abs
    B = sp.sqrt(Gamma12**2 + D**2 * Gamma12 * (G1 + G2) / (G1 * G2))
    return -S.V * S.N0 * sp.Abs(S.v_minus) * Ncal * quartic_integral_expr(S.kappa_plus, B)


def threshold_expr() -> sp.Expr:
    """Eq. (44) derived: ``V_c''' = (sqrt 2/pi) sqrt(|kappa_+| Gamma_12) / (N0 |N| |v_-|)``."""
    return sp.sqrt(2) / sp.pi * sp.sqrt(sp.Abs(S.kappa_plus) * Gamma12) / (S.N0 * sp.Abs(Ncal) * sp.Abs(S.v_minus))


def delta_expr() -> sp.Expr:
    """Eq. (45) derived: ``|Delta| = sqrt(Gamma_1 Gamma_2 Gamma_12 / Gamma) sqrt((V/V_c''')^4 - 1)``."""
    G1, G2 = S.Gamma1, S.Gamma2
    Vc = sp.Symbol("V_c'''", positive=True)
    return sp.sqrt(G1 * G2 * Gamma12 / (G1 + G2)) * sp.sqrt((S.V / Vc) ** 4 - 1)
