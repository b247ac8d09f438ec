"""Sect. II.A derived: the (k, -k) block of Eq. (2) with the dissipators of Eq. (5).

Modes of one momentum pair: ``0 = c_k^1, 1 = c_k^2, 2 = c_{-k}^1, 3 = c_{-k}^2``.
The paper's variables are ``n^{ab}_k = <c_k^a+ c_k^b>`` and ``s^{ab}_k = <c_k^a+ c_{-k}^b+>``;
with ``E_a(k) = E_a(-k)`` the symmetric sector has ``n_{-k} = n_k``, ``s^{12}_k = -s^{21}_k``
and ``s^{11} = s^{22} = 0`` (plus zero same-momentum pairs), which closes the set
``{n11, n22, n21, s21}`` (Eqs. (6), (9)).

Everything here is *derived* with :class:`~keldysh.paper.symbolic.lindblad.QuadraticLindbladian`;
the printed forms of the paper live in :mod:`keldysh.paper.checks` for comparison only.
"""

from __future__ import annotations

from functools import cache

import sympy as sp

from keldysh.paper import symbols as S
from keldysh.paper.symbolic import fermions as F
from keldysh.paper.symbolic.lindblad import Bilinears, QuadraticLindbladian

__all__ = [
    "paper_variables",
    "pair_hamiltonian",
    "pair_lindbladian",
    "lab_eom",
    "rwa_eom",
    "rotating_frame_average",
    "steady_state",
    "steady_component",
    "population_deviation_expr",
    "anomalous_expr",
]

# mode labels
K1, K2, MK1, MK2 = 0, 1, 2, 3

# the paper's variables (Eqs. (6), (9))
n11 = sp.Symbol("n^{11}", real=True)
n22 = sp.Symbol("n^{22}", real=True)
n21 = sp.Symbol("n^{21}")
s21 = sp.Symbol("s^{21}")


def paper_variables() -> tuple[sp.Symbol, sp.Symbol, sp.Symbol, sp.Symbol]:
    """The symbols ``(n11, n22, n21, s21)``; ``n12 = conj(n21)``."""
    return n11, n22, n21, s21


def pair_hamiltonian(frame: str = "lab", Delta: sp.Expr = S.Delta) -> F.Operator:
    """Eq. (2) restricted to one (k, -k) pair, with the mean-field pairing term as printed.

    ``frame="lab"``: energies ``E_1, E_2`` and drive ``Omega cos(omega0 t)``.
    ``frame="rwa"``: energies ``Etilde_1, Etilde_2`` and static drive ``Omega/2`` (Eqs. (7)-(9)).
    The pairing term ``(i/2) Delta sum c_k^a+ sigma^y_ab c_{-k}^b+ + h.c.`` is built
    literally from Eq. (2), summed over both momenta of the pair.
    """
    if frame == "lab":
        e1, e2, drive = S.E1, S.E2, S.Omega * sp.cos(S.omega0 * S.t)
    elif frame == "rwa":
        e1, e2, drive = S.Et1, S.Et2, S.Omega / 2
    else:
        raise ValueError("frame must be 'lab' or 'rwa'")
    H: F.Operator = {}
    sy = sp.Matrix([[0, -sp.I], [sp.I, 0]])
    sx = sp.Matrix([[0, 1], [1, 0]])
    modes = {(+1, 1): K1, (+1, 2): K2, (-1, 1): MK1, (-1, 2): MK2}
    for kk in (+1, -1):
        for a, e in ((1, e1), (2, e2)):
            H = F.add(H, F.scale(F.mul(F.cdag(modes[kk, a]), F.c(modes[kk, a])), e))
        for a in (1, 2):
            for b in (1, 2):
                if sx[a - 1, b - 1] != 0:
                    H = F.add(H, F.scale(F.mul(F.cdag(modes[kk, a]), F.c(modes[kk, b])), drive * sx[a - 1, b - 1]))
                if sy[a - 1, b - 1] != 0:
                    pair = F.scale(
                        F.mul(F.cdag(modes[kk, a]), F.cdag(modes[-kk, b])),
                        sp.I / 2 * Delta * sy[a - 1, b - 1],
                    )
                    anti = F.scale(
                        F.mul(F.c(modes[kk, a]), F.c(modes[-kk, b])),
                        -sp.I / 2 * sp.conjugate(Delta) * sy[a - 1, b - 1],
                    )
                    H = F.add(H, pair, anti)
    return F.normal_order(H)


def pair_lindbladian(frame: str = "lab", rate_factor: int = 2, Delta: sp.Expr = S.Delta) -> QuadraticLindbladian:
    """Master equation (5) for one (k, -k) pair.

    Jump operators ``c^+`` with rate ``rate_factor * Gamma_a * f_a`` and ``c`` with rate
    ``rate_factor * Gamma_a * (1 - f_a)``, where ``f_a = n_F(E_a(k))``.  ``rate_factor = 2``
    reproduces the relaxation ``-2 Gamma_a (n - n_F)`` of Eqs. (6a)-(6b); the printed Eq. (5)
    has ``rate_factor = 1`` (see the errata).
    """
    jumps = []
    for mode, G, f in ((K1, S.Gamma1, S.f1), (MK1, S.Gamma1, S.f1), (K2, S.Gamma2, S.f2), (MK2, S.Gamma2, S.f2)):
        jumps.append((rate_factor * G * f, F.cdag(mode)))
        jumps.append((rate_factor * G * (1 - f), F.c(mode)))
    return QuadraticLindbladian(4, pair_hamiltonian(frame, Delta), jumps)


def _symmetric_substitution(table: Bilinears) -> dict[sp.Expr, sp.Expr]:
    """Map the four-mode bilinears onto the paper's variables in the k <-> -k symmetric sector."""
    return {
        table.n(K1, K1): n11,
        table.n(MK1, MK1): n11,
        table.n(K2, K2): n22,
        table.n(MK2, MK2): n22,
        table.n(K1, K2): sp.conjugate(n21),  # <c_k^1+ c_k^2> = n^{12} = conj(n^{21})
        table.n(MK1, MK2): sp.conjugate(n21),
        table.n(K1, MK1): 0,  # momentum conservation: <c_k^+ c_{-k}> = 0
        table.n(K1, MK2): 0,
        table.n(K2, MK1): 0,
        table.n(K2, MK2): 0,
        table.s(K2, MK1): s21,  # <c_k^2+ c_{-k}^1+>
        table.s(K1, MK2): -s21,  # s^{12}_k = -s^{21}_{-k} = -s^{21}_k
        table.s(K1, MK1): 0,  # intraband s^{11}, s^{22}: odd in k, zero in the symmetric sector
        table.s(K2, MK2): 0,
        table.s(K1, K2): 0,  # total momentum 2k: zero
        table.s(MK1, MK2): 0,
    }


def _observables() -> dict[str, F.Operator]:
    return {
        "n11": F.mul(F.cdag(K1), F.c(K1)),
        "n22": F.mul(F.cdag(K2), F.c(K2)),
        "n21": F.mul(F.cdag(K2), F.c(K1)),
        "s21": F.mul(F.cdag(K2), F.cdag(MK1)),
    }


def _to_paper(L: QuadraticLindbladian) -> dict[str, sp.Expr]:
    table = Bilinears(4)
    sub = _symmetric_substitution(table)
    raw = L.eom_system(_observables(), table)
    # substitute conjugated symbols first so conj(n_01) -> n21 etc.
    out = {}
    for name, rhs in raw.items():
        out[name] = sp.expand(rhs.xreplace({k: v for k, v in sub.items()}))
    return out


@cache
def lab_eom(rate_factor: int = 2) -> dict[str, sp.Expr]:
    """Eq. (6): lab-frame equations of motion of ``n11, n22, n21, s21`` (derived)."""
    return _to_paper(pair_lindbladian("lab", rate_factor))


def rotating_frame_average(
    eoms: dict[str, sp.Expr], phases: dict[str, int]
) -> tuple[dict[str, sp.Expr], dict[str, sp.Expr]]:
    """Go to the rotating frame and drop terms oscillating at ``2 omega0`` (RWA).

    Each variable ``X`` with phase ``p`` is written ``X = Xtilde z^p`` with
    ``z = exp(i omega0 t)``; the lab energies are ``E_1 = Etilde_1 - omega0/2``,
    ``E_2 = Etilde_2 + omega0/2`` and ``cos(omega0 t) = (z + 1/z)/2``.  Then
    ``dXtilde/dt = z^-p dX/dt - i p omega0 Xtilde`` is a Laurent polynomial in ``z``; its
    ``z^0`` part is kept.  Returns ``(kept, dropped)``.
    """
    z = sp.Symbol("z")
    tilde = {name: sp.Symbol(f"~{name}") for name in eoms}
    names = {"n11": n11, "n22": n22, "n21": n21, "s21": s21}
    sub = {}
    for name, p in phases.items():
        sub[names[name]] = tilde[name] * z**p
        sub[sp.conjugate(names[name])] = sp.conjugate(tilde[name]) * z ** (-p)
    sub[sp.cos(S.omega0 * S.t)] = (z + 1 / z) / 2
    sub[S.E1] = S.Et1 - S.omega0 / 2
    sub[S.E2] = S.Et2 + S.omega0 / 2
    kept, dropped = {}, {}
    back = {tilde[nm]: names[nm] for nm in eoms}
    back.update({sp.conjugate(tilde[nm]): sp.conjugate(names[nm]) for nm in eoms})
    for name, rhs in eoms.items():
        p = phases[name]
        r = sp.expand(rhs.xreplace(sub) * z ** (-p) - sp.I * p * S.omega0 * tilde[name])
        k0, osc = sp.Integer(0), sp.Integer(0)
        for term in sp.Add.make_args(r):
            _, e = term.as_coeff_exponent(z)
            if e == 0:
                k0 += term
            else:
                osc += term
        kept[name] = sp.expand(k0.xreplace(back))
        dropped[name] = osc.xreplace(back)
    return kept, dropped


#: phases of the lab-frame variables: n21_lab = n21_rot * exp(+i omega0 t)
RWA_PHASES = {"n11": 0, "n22": 0, "n21": 1, "s21": 0}


@cache
def rwa_eom(rate_factor: int = 2, variables: str = "tilde") -> dict[str, sp.Expr]:
    """Eq. (9): rotating-frame equations of motion after the RWA (derived from Eq. (6)).

    ``variables="tilde"`` gives them in ``Etilde_1, Etilde_2``; ``variables="E_eps"`` in
    ``E = Etilde_1 + Etilde_2`` and ``epsilon = Etilde_2 - Etilde_1``.
    """
    kept, _ = rotating_frame_average(lab_eom(rate_factor), RWA_PHASES)
    if variables == "E_eps":
        sub = {S.Et1: (S.E - S.eps) / 2, S.Et2: (S.E + S.eps) / 2}
        kept = {k: sp.expand(v.xreplace(sub)) for k, v in kept.items()}
    return kept


def exact_det(A: sp.Matrix) -> sp.Expr:
    """The expanded determinant of a matrix of polynomials: fraction-free elimination in SymPy's
    polynomial domain (``DomainMatrix``, here ``QQ_I[...]``), ~10x faster than Berkowitz on
    expressions and the same expanded polynomial; Berkowitz where no polynomial domain fits."""
    from sympy.polys.matrices import DomainMatrix

    try:
        dM = DomainMatrix.from_Matrix(A)
    except Exception:  # noqa: BLE001 - no domain: the expression-level route
        return sp.expand(A.det(method="berkowitz"))
    if dM.domain.is_EXRAW or dM.domain.is_EX:
        return sp.expand(A.det(method="berkowitz"))
    return sp.expand(dM.domain.to_sympy(dM.det()))


def _cramer(A: sp.Matrix, b: sp.Matrix, i: int) -> sp.Expr:
    Ai = A.copy()
    Ai[:, i] = b
    return exact_det(Ai)


def _ratio(num: sp.Expr, den: sp.Expr) -> sp.Expr:
    g = sp.gcd(num, den)
    if g != 1:
        num, den = sp.cancel(num / g), sp.cancel(den / g)
    return sp.factor(num) / sp.factor(den)


@cache
def steady_state(rate_factor: int = 2) -> dict[str, sp.Expr]:
    """Exact steady state of Eq. (9) for complex ``Delta`` (Cramer's rule on the linear system).

    The conjugate equations are added with ``conj(n21) -> n12``, ``conj(s21) -> sbar21`` and
    ``conj(Delta) -> Deltabar`` as independent unknowns/symbols, so the 6 x 6 system is
    solved exactly (determinants in the polynomial domain, :func:`exact_det`; no ``simplify``).  Returns ``x = n11 + n22 - 1``
    and ``s21`` as functions of ``E, epsilon, Omega, Gamma1, Gamma2, f1, f2, Delta, Deltabar``,
    plus the matrix ``A`` and right-hand side ``b`` (``A u = b``).
    """
    eqs = rwa_eom(rate_factor, "E_eps")
    n12_, s12c = sp.symbols("n^{12} sbar^{21}")
    Dc = sp.Symbol("Deltabar")
    rep = {sp.conjugate(n21): n12_, sp.conjugate(s21): s12c, sp.conjugate(S.Delta): Dc}
    system = []
    for name in ("n11", "n22", "n21", "s21"):
        system.append(eqs[name].xreplace(rep))
        if name in ("n21", "s21"):
            ec = sp.conjugate(eqs[name]).xreplace(rep)
            system.append(ec.xreplace({sp.conjugate(S.Delta): Dc, sp.conjugate(Dc): S.Delta}))
    unknowns = [n11, n22, n21, n12_, s21, s12c]
    A, b = sp.linear_eq_to_matrix(system, unknowns)
    det = exact_det(A)
    if det == 0:
        raise RuntimeError("the steady state of Eq. (9) is not unique")
    num_n11, num_n22, num_s21 = (_cramer(A, b, i) for i in (0, 1, 4))
    num_x = sp.expand(num_n11 + num_n22 - det)
    return {
        "A": A,
        "b": b,
        "unknowns": unknowns,
        "det": det,
        "num_x": num_x,
        "num_s21": num_s21,
        "x": _ratio(num_x, det),
        "Deltabar": Dc,
    }


@cache
def steady_component(name: str) -> sp.Expr:
    """One component (``n11, n22, n21, n12, s21, sbar21``) of the exact steady state of Eq. (9)."""
    ss = steady_state()
    i = [str(u) for u in ss["unknowns"]].index(
        {"n11": "n^{11}", "n22": "n^{22}", "n21": "n^{21}", "n12": "n^{12}", "s21": "s^{21}", "sbar21": "sbar^{21}"}[
            name
        ]
    )
    return _ratio(_cramer(ss["A"], ss["b"], i), ss["det"])


def _omega_parts(expr: sp.Expr):
    num, den = sp.fraction(sp.together(expr))
    return sp.Poly(sp.expand(num), S.Omega), sp.Poly(sp.expand(den), S.Omega)


@cache
def population_deviation_expr(kind: str = "exact") -> sp.Expr:
    """Population deviation ``x = n11 + n22 - 1`` in terms of ``|Delta|``.

    kind
        ``"exact"``: the exact steady state of Eq. (9) (any ``f1, f2``);
        ``"eq11"``: Eqs. (11)-(12) (the exact one at ``f1 = 1, f2 = 0``);
        ``"eq13"``: its ``Omega -> infinity`` limit (Eq. (13));
        ``"eq14"``: its leading order in ``Omega^2`` (Eq. (14)).

    Symbols: ``E, epsilon, |Delta|, Omega, Gamma1, Gamma2, f1, f2``.
    """
    ss = steady_state()
    D = S.Delta_abs
    x = ss["x"].xreplace({S.Delta: D, ss["Deltabar"]: D})
    if kind == "exact":
        return x
    x0 = sp.factor(x.xreplace({S.f1: 1, S.f2: 0}))
    if kind == "eq11":
        return x0
    P, Q = _omega_parts(x0)
    if kind == "eq13":
        if P.degree() != Q.degree():
            raise RuntimeError("unexpected Omega-degree in Eq. (11)")
        return sp.factor(P.LC() / Q.LC())
    if kind == "eq14":
        # lowest order in Omega: numerator ~ Omega^2, denominator ~ Omega^0
        p_low = min(m[0] for m in P.monoms())
        q_low = min(m[0] for m in Q.monoms())
        pc = P.as_expr().coeff(S.Omega, p_low)
        qc = Q.as_expr().coeff(S.Omega, q_low) if q_low else Q.as_expr().subs(S.Omega, 0)
        return sp.factor(pc / qc) * S.Omega ** (p_low - q_low)
    raise ValueError(f"unknown kind {kind!r}")


@cache
def anomalous_expr() -> sp.Expr:
    """Eq. (10): ``s21`` in the steady state in terms of ``x`` (derived: ``-conj(Delta) x/(E + i Gamma)``)."""
    ss = steady_state()
    return sp.factor(sp.cancel(ss["num_s21"] / ss["num_x"])) * sp.Symbol("x")
