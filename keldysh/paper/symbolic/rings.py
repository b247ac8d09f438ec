"""Sect. IV: the ring-diagram series Eq. (52), its resummation Eq. (53), the expansion Eq. (54)
and the saddle-point equation Eq. (55) -- derived from the Tr ln of the Nambu-Keldysh action.

Derivation (conventions of :mod:`keldysh.paper.symbolic.greens`).  For one pair ``(k, -k)`` the
fermion action after the Hubbard-Stratonovich step Eq. (48) is ``Psibar (G_0^-1 - Sigma) Psi``
with, in Keldysh (cl, q) space, ``Sigma = [[0, D], [D^+, 0]]_Nambu (x) (Delta_cl 1 + delta sigma^x)``,
``D = i sigma^y`` (per unit ``Delta``; the pairing of Eq. (2) appears once for ``k`` and once for
``-k``, which doubles the ``(i/2) Delta sigma^y`` of Eq. (2) into ``Delta i sigma^y``),
``Delta_cl = (Delta^+ + Delta^-)/2 = Delta``, ``delta = (Delta^+ - Delta^-)/2``.
``S~ = -i Tr ln(G_0^-1 - Sigma)`` gives ``d S~/d delta = i Tr[G (sigma^x (x) P)]`` with
``G = sum_m G_0 (Sigma G_0)^m``.  Only odd ``m = 2n - 1`` survive the Nambu trace.  Writing the
particle Keldysh matrix ``X(omega) = [[G^R, G^K], [0, G^A]](omega)`` and the hole matrix
``Y(omega) = i sigma^y [[G^A(-w)^T, G^K(-w)^T], [0, G^R(-w)^T]] i sigma^y`` (the hole block is
``-[[G^A(-w), G^K(-w), G^R(-w)]]^T``), per unit time and volume (``sum_pairs = (1/2) int (dk)``)::

    d L~/d delta |_0 = (i/2) sum_{n>=1} Delta^(2n-1) int (dk) int dw/(2 pi)
                        { tr_K (X Y)^n + tr_K (Y X)^n } ,                    (Eq. (52), derived)

where ``tr_K M = tr[sigma^x M] = tr M^K`` (the Keldysh component).  The printed Eq. (52) has
``|Delta/2|^(2n-1)`` with ``int (dk)``, no ``i``, no transposes on the hole functions, and a
garbled second sum (three factors); the second sum is ``tr_K (Y X)^n``.  Resummed
(``Z = Delta^2 X Y`` is block upper-triangular, ``sum_n Z^n`` has Keldysh component
``(1 - Z^R)^-1 Z^K (1 - Z^A)^-1``)::

    d L~/d delta |_0 = (i Delta/2) int (dk) int dw/(2 pi) tr{ (1 - Delta^2 R)^-1 K (1 - Delta^2 A)^-1 } + (Y X),
    R = G^R isy G^A(-w)^T isy,  A = G^A isy G^R(-w)^T isy,
    K = G^R isy G^K(-w)^T isy + G^K isy G^R(-w)^T isy ,                       (Eq. (53), derived)

i.e. Eq. (53) with ``|Delta|^2/4 -> |Delta|^2`` and a factor ``i``.  Because the Keldysh
Dyson equation is exact, the sum equals ``i Tr[G^K_full P]`` of the Delta-dressed Nambu
problem: ``d L~/d delta = 4 Re int (dk) s21`` with the EXACT steady state of Eq. (9).

Pure SymPy (never imports NumPy).  Exact evaluations at rational parameter values use
:func:`keldysh.paper.symbolic.residues.real_line_integral_split` with the denominators already
split by half plane.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

import sympy as sp

from keldysh.paper import symbols as S
from keldysh.paper.symbolic import greens as Gr
from keldysh.paper.symbolic.residues import lyapunov_solve, real_line_integral_split

__all__ = [
    "KMatrix",
    "particle_matrix",
    "hole_matrix",
    "ring_term",
    "series_integrand",
    "resummed_integrand",
    "eq54_integrand",
    "exact_ring_coefficients",
    "exact_series_vs_resummed",
    "nambu_anomalous_exact",
    "nambu_taylor_exact",
    "master_taylor_exact",
    "master_s21_exact",
    "cubic_coefficient_expr",
    "eq55_cubic_limit",
    "RATIONAL_POINT",
]

isy = Gr.isy


# ------------------------------------------------------------------------------ Keldysh algebra
@dataclass
class KMatrix:
    """A Keldysh block ``[[R, K], [0, A]]`` of 2x2 matrices (upper triangular after the rotation)."""

    R: sp.Matrix
    K: sp.Matrix
    A: sp.Matrix

    def __mul__(self, other: KMatrix) -> KMatrix:
        return KMatrix(self.R * other.R, self.R * other.K + self.K * other.A, self.A * other.A)

    def trK(self) -> sp.Expr:
        """``tr[sigma^x M]`` = trace of the Keldysh component."""
        return self.K.trace()

    def applyfunc(self, fn) -> KMatrix:
        return KMatrix(self.R.applyfunc(fn), self.K.applyfunc(fn), self.A.applyfunc(fn))


def _paper_F(f: sp.Matrix | None) -> sp.Matrix:
    f = Gr.population_matrix("symbols") if f is None else f
    return sp.eye(2) - 2 * f


def particle_matrix(omega: sp.Expr = S.omega, f: sp.Matrix | None = None) -> KMatrix:
    """``X(omega) = [[G^R, G^K], [0, G^A]]`` with the paper's ``G^K = G^R F - F G^A`` (Eq. (52))."""
    return KMatrix(Gr.retarded(omega), Gr.keldysh_paper(omega, f), Gr.advanced(omega))


def hole_matrix(omega: sp.Expr = S.omega, f: sp.Matrix | None = None, transpose: bool = True) -> KMatrix:
    """``Y(omega) = isy [[G^A(-w)^T, G^K(-w)^T], [0, G^R(-w)^T]] isy`` (Eq. (52)).

    ``transpose=False`` drops the transposes as printed in Eqs. (52)-(54); it matters only for
    ``G^K`` (``G^R``, ``G^A`` are symmetric), i.e. it replaces ``f`` by ``f^T`` in the hole line.
    """
    t = (lambda M: M.T) if transpose else (lambda M: M)
    return KMatrix(
        isy * t(Gr.advanced(-omega)) * isy,
        isy * t(Gr.keldysh_paper(-omega, f)) * isy,
        isy * t(Gr.retarded(-omega)) * isy,
    )


def _power(M: KMatrix, n: int) -> KMatrix:
    out = M
    for _ in range(n - 1):
        out = out * M
    return out


def ring_term(n: int, X: KMatrix, Y: KMatrix, ordering: str = "XY") -> sp.Expr:
    """``tr_K (X Y)^n`` (first sum of Eq. (52)) or ``tr_K (Y X)^n`` (second sum, corrected)."""
    if n < 1:
        raise ValueError("n must be >= 1")
    base = X * Y if ordering == "XY" else Y * X
    return _power(base, n).trK()


def series_integrand(
    N: int, Delta: sp.Expr = S.Delta_abs, omega: sp.Expr = S.omega, f: sp.Matrix | None = None, transpose: bool = True
) -> sp.Expr:
    """Integrand of ``int (dk) int dw/2pi`` in Eq. (52) (derived normalisation), orders ``n <= N``.

    ``(i/2) sum_{n=1}^N Delta^(2n-1) [tr_K (X Y)^n + tr_K (Y X)^n]``.
    """
    X, Y = particle_matrix(omega, f), hole_matrix(omega, f, transpose)
    XY, YX = X * Y, Y * X
    total, PXY, PYX = sp.Integer(0), XY, YX
    for n in range(1, N + 1):
        if n > 1:
            PXY, PYX = PXY * XY, PYX * YX
        total += Delta ** (2 * n - 1) * (PXY.trK() + PYX.trK())
    return sp.I / 2 * total


def _resolvent_K(Z: KMatrix, t: sp.Expr) -> sp.Expr:
    """Keldysh trace of ``sum_{n>=1} (t Z)^n / t``: ``tr[(1 - t R)^-1 K (1 - t A)^-1]``."""
    I2 = sp.eye(2)
    return ((I2 - t * Z.R).inv() * Z.K * (I2 - t * Z.A).inv()).trace()


def resummed_integrand(
    Delta: sp.Expr = S.Delta_abs,
    omega: sp.Expr = S.omega,
    f: sp.Matrix | None = None,
    transpose: bool = True,
    printed: bool = False,
) -> sp.Expr:
    """Integrand of the resummed Eq. (53) (per ``int (dk) int dw/2pi``).

    Derived: ``(i Delta/2) { tr[(1 - D^2 R)^-1 K (1 - D^2 A)^-1]_{XY} + (same)_{YX} }``.
    ``printed=True`` gives the printed Eq. (53): ``|Delta|^2/4`` in the resolvents, prefactor
    ``|Delta|/2`` (from ``|Delta|/(4 pi) int d omega``), no ``i``, no transposes.
    """
    X, Y = particle_matrix(omega, f), hole_matrix(omega, f, transpose and not printed)
    t = Delta**2 / 4 if printed else Delta**2
    pref = Delta / 2 if printed else sp.I * Delta / 2
    return pref * (_resolvent_K(X * Y, t) + _resolvent_K(Y * X, t))


def eq54_integrand(
    Delta: sp.Expr = S.Delta_abs,
    omega: sp.Expr = S.omega,
    f: sp.Matrix | None = None,
    transpose: bool = True,
    printed: bool = False,
) -> tuple[sp.Expr, sp.Expr]:
    """Linear and cubic terms of Eq. (54) as integrands: ``(c1 |Delta|, c3 |Delta|^3)``.

    Derived: ``(i/2) Delta tr_K(XY + YX)`` and ``(i/2) Delta^3 tr[(XY)^K ((XY)^R + (XY)^A)] + (YX)``.
    ``printed=True``: prefactors ``|Delta|/2`` and ``|Delta|^3/8`` and no transposes, as printed.
    """
    X, Y = particle_matrix(omega, f), hole_matrix(omega, f, transpose and not printed)
    XY, YX = X * Y, Y * X
    lin = XY.trK() + YX.trK()
    cub = (XY.K * (XY.R + XY.A)).trace() + (YX.K * (YX.R + YX.A)).trace()
    if printed:
        return Delta / 2 * lin, Delta**3 / 8 * cub
    return sp.I / 2 * Delta * lin, sp.I / 2 * Delta**3 * cub


# ------------------------------------------------------------------------------ exact evaluation
#: distinct primes (as exact rationals) for parameter values: E, eps, Omega, Gamma1, Gamma2, f1, f2
RATIONAL_POINT: dict[str, sp.Rational] = {
    "E": sp.Rational(3, 7),
    "eps": sp.Rational(-5, 11),
    "Omega": sp.Rational(13, 17),
    "Gamma1": sp.Rational(2, 19),
    "Gamma2": sp.Rational(1, 23),
    "f1": sp.Integer(1),
    "f2": sp.Integer(0),
}


def _exact(v: sp.Expr) -> sp.Expr:
    """``v`` with floats turned into rationals (``nsimplify``); exact input as it is (``nsimplify`` of
    an exact complex number re-identifies it from its float value: the same number, ~40 ms each)."""
    return sp.nsimplify(v) if v.has(sp.Float) else v


def _subs_map(values: Mapping[str, sp.Expr]) -> dict[sp.Symbol, sp.Expr]:
    names = {"E": S.E, "eps": S.eps, "Omega": S.Omega, "Gamma1": S.Gamma1, "Gamma2": S.Gamma2, "f1": S.f1, "f2": S.f2}
    return {names[k]: sp.nsimplify(v) for k, v in values.items()}


def _steady_f(sub: dict[sp.Symbol, sp.Expr]) -> sp.Matrix:
    """Exact Delta = 0 populations at a rational point: the 2x2 Lyapunov equation (Eq. (9) at Delta = 0)."""
    f = Gr.population_matrix("symbols")
    res = Gr.lyapunov_residual(f).xreplace(sub)
    unknowns = list(Gr.population_symbols())
    sol = sp.solve(list(res), unknowns, dict=True)
    if len(sol) != 1:
        raise RuntimeError("the Delta = 0 steady state is not unique")
    return f.xreplace(sol[0])


class _Rat:
    """Matrix numerator over the four half-plane denominators ``(dR, dA, dAm, dRm)^e``."""

    __slots__ = ("M", "e")

    def __init__(self, M: sp.Matrix, e: tuple[int, int, int, int]):
        self.M, self.e = M, e


def exact_ring_coefficients(
    N: int, values: Mapping[str, sp.Expr] | None = None, transpose: bool = True
) -> list[sp.Expr]:
    """Exact ``c_n = (i/2) int dw/2pi [tr_K (XY)^n + tr_K (YX)^n]`` for ``n = 1..N`` (Eq. (52)).

    At rational parameter values (default :data:`RATIONAL_POINT`) with ``f`` the exact
    ``Delta = 0`` steady state; integrals by residues
    (:func:`~keldysh.paper.symbolic.residues.real_line_integral_split`), denominators pre-split:
    ``det(w - H + i G)`` and ``det(-w - H - i G)`` below the axis, their conjugates above.
    Then ``d L~/d delta = int (dk) sum_n c_n Delta^(2n-1)``.
    """
    values = dict(RATIONAL_POINT if values is None else values)
    sub = _subs_map(values)
    w = S.omega
    f = _steady_f(sub)
    F = sp.eye(2) - 2 * f
    H = Gr.hamiltonian_matrix().xreplace(sub)
    Gm = Gr.gamma_matrix().xreplace(sub)
    I2 = sp.eye(2)

    def adj(A):
        return sp.Matrix([[A[1, 1], -A[0, 1]], [-A[1, 0], A[0, 0]]])

    mR, mA = w * I2 - H + sp.I * Gm, w * I2 - H - sp.I * Gm
    mAm, mRm = -w * I2 - H - sp.I * Gm, -w * I2 - H + sp.I * Gm
    dens = [sp.expand(m.det()) for m in (mR, mA, mAm, mRm)]
    aR, aA, aAm, aRm = (adj(m) for m in (mR, mA, mAm, mRm))
    # particle and hole Keldysh matrices as (numerator, exponents)
    XR, XA = _Rat(aR, (1, 0, 0, 0)), _Rat(aA, (0, 1, 0, 0))
    XK = _Rat((aR * F * dens[1] - F * aA * dens[0]).applyfunc(sp.expand), (1, 1, 0, 0))
    # hole: isy G^A(-w)^T isy etc.; G^K(-w) = G^R(-w) F - F G^A(-w) has dens (dRm, dAm)
    GKm = (aRm * F * dens[2] - F * aAm * dens[3]).applyfunc(sp.expand)
    t = (lambda M: M.T) if transpose else (lambda M: M)
    YR = _Rat(isy * t(aAm) * isy, (0, 0, 1, 0))
    YA = _Rat(isy * t(aRm) * isy, (0, 0, 0, 1))
    YK = _Rat(isy * t(GKm) * isy, (0, 0, 1, 1))

    def mul(a: _Rat, b: _Rat) -> _Rat:
        return _Rat((a.M * b.M).applyfunc(sp.expand), tuple(x + y for x, y in zip(a.e, b.e)))

    def add(a: _Rat, b: _Rat) -> _Rat:
        e = tuple(max(x, y) for x, y in zip(a.e, b.e))
        fa = sp.Mul(*[dens[i] ** (e[i] - a.e[i]) for i in range(4)])
        fb = sp.Mul(*[dens[i] ** (e[i] - b.e[i]) for i in range(4)])
        return _Rat((a.M * sp.expand(fa) + b.M * sp.expand(fb)).applyfunc(sp.expand), e)

    def kmul(P, Q):
        (PR, PK, PA), (QR, QK, QA) = P, Q
        return (mul(PR, QR), add(mul(PR, QK), mul(PK, QA)), mul(PA, QA))

    X, Y = (XR, XK, XA), (YR, YK, YA)
    XY, YX = kmul(X, Y), kmul(Y, X)
    out, PXY, PYX = [], XY, YX
    for n in range(1, N + 1):
        if n > 1:
            PXY, PYX = kmul(PXY, XY), kmul(PYX, YX)
        total = sp.Integer(0)
        for P in (PXY, PYX):
            K = P[1]
            num = sp.expand(K.M.trace())
            up = sp.Mul(*[dens[i] ** K.e[i] for i in (1, 3)])
            down = sp.Mul(*[dens[i] ** K.e[i] for i in (0, 2)])
            total += real_line_integral_split(num, up, down, w) / (2 * sp.pi)
        out.append(_exact(sp.expand(sp.I / 2 * total)))
    return out


def exact_series_vs_resummed(
    N: int, omega_value: sp.Expr = sp.Rational(7, 29), values: Mapping[str, sp.Expr] | None = None
) -> sp.Expr:
    """Taylor series (in ``Delta``, to order ``2N - 1``) of the resummed integrand Eq. (53) minus the
    explicit sum of the ``n <= N`` ring terms of Eq. (52), at a rational ``omega`` and rational
    parameters (exact arithmetic); returns the difference polynomial (zero if they agree order by order).
    """
    values = dict(RATIONAL_POINT if values is None else values)
    sub = _subs_map(values)
    f = _steady_f(sub)
    D = sp.Symbol("D")
    res = resummed_integrand(D, omega_value, f).xreplace(sub)
    ser = series_integrand(N, D, omega_value, f).xreplace(sub)
    # Taylor coefficients of P(D)/Q(D) by power-series division (exact, no sp.series)
    num, den = sp.fraction(sp.together(sp.expand(res)))
    Pn = sp.Poly(sp.expand(num), D)
    Pd = sp.Poly(sp.expand(den), D)
    order = 2 * N
    p = [Pn.coeff_monomial(D**k) for k in range(order)]
    q = [Pd.coeff_monomial(D**k) for k in range(order)]
    c = []
    for k in range(order):
        c.append(sp.expand((p[k] - sum(c[j] * q[k - j] for j in range(k))) / q[0]))
    taylor = sum(ck * D**k for k, ck in enumerate(c))
    return sp.expand(taylor - sp.expand(ser))


def _nambu_parts(values: Mapping[str, sp.Expr] | None, source: str):
    values = dict(RATIONAL_POINT if values is None else values)
    sub = _subs_map(values)
    HN0 = Gr.nambu_hamiltonian(0).xreplace(sub)
    GN = Gr.nambu_gamma().xreplace(sub)
    if source == "paper":
        f = _steady_f(sub)
        FN = Gr.nambu_F(sp.eye(2) - 2 * f)
        Sk = HN0 * FN - FN * HN0 - sp.I * (GN * FN + FN * GN)
    elif source == "reservoir":
        Sk = Gr.nambu_sigma_keldysh().xreplace(sub)
    else:
        raise ValueError("source must be 'paper' or 'reservoir'")
    P = Gr.nambu_hamiltonian(1).xreplace(sub) - HN0
    return HN0 - sp.I * GN, P, Sk


def _s21_of_X(X: sp.Matrix) -> sp.Expr:
    return sp.expand(sp.conjugate(-sp.I * X[1, 2] / 2))  # f_N = (1 - i X)/2 ; s21 = conj(f_N[p2, h1])


def nambu_anomalous_exact(
    values: Mapping[str, sp.Expr] | None = None, Delta: sp.Expr = sp.Rational(1, 5), source: str = "paper"
) -> sp.Expr:
    """``s21`` of the Delta-dressed Nambu problem at a rational ``Delta``, exact, from the Green's functions.

    ``X = int dw/2pi G^R_N S G^A_N`` solves ``M X - X M^+ = -i S`` (``M = H_N - i Gamma_N``) with
    the source ``S = [H_N0, F_N] - i {Gamma_N, F_N}`` (``source="paper"``: the resummed ring
    series Eq. (53) with ``G^K = G^R F - F G^A`` and ``f`` the Delta = 0 populations) or
    ``S = Sigma^K_N`` (``"reservoir"``).  ``f_N = (1 - i X)/2`` and ``s21 = conj(f_N[p2, h1])``.
    """
    M0, P, Sk = _nambu_parts(values, source)
    X = lyapunov_solve(M0 + Delta * P, Sk)
    return _s21_of_X(X)


def nambu_taylor_exact(N: int, values: Mapping[str, sp.Expr] | None = None, source: str = "paper") -> list[sp.Expr]:
    """Exact Taylor coefficients ``[a_1, a_3, ..., a_{2N-1}]`` of ``s21 = sum a_{2n-1} Delta^(2n-1)``.

    Order ``2n - 1`` is the ``n``-ring term of Eq. (52) (Dyson recursion
    ``M0 X_m - X_m M0^+ = -(P X_{m-1} - X_{m-1} P^+)``, one exact 16 x 16 rational LU); even
    orders vanish.  Comparing ``2N - 1 >= 19`` orders with the master equation proves the
    identity of the two rational functions of ``Delta`` (their cross-multiplied difference is a
    polynomial of degree <= 18).
    """
    M0, P, Sk = _nambu_parts(values, source)
    n = 4
    syms = [sp.Symbol(f"x_{i}_{j}") for i in range(n) for j in range(n)]
    Xs = sp.Matrix(n, n, syms)
    A, _ = sp.linear_eq_to_matrix(list(M0 * Xs - Xs * M0.H), syms)
    L, U, perm = A.LUdecomposition()

    def solve(C: sp.Matrix) -> sp.Matrix:
        b = sp.Matrix(list(C))
        sol = _lu_solve(L, U, perm, b)
        return sp.Matrix(n, n, [_exact(sp.expand(v)) for v in sol])

    X = solve(-sp.I * Sk)
    out = []
    for m in range(1, 2 * int(N)):
        X = solve(-(P * X - X * P.H))
        if m % 2 == 1:
            out.append(_s21_of_X(X))
    return out


def _lu_solve(L: sp.Matrix, U: sp.Matrix, perm, b: sp.Matrix) -> list[sp.Expr]:
    b = b.copy()
    for i, j in perm:
        b.row_swap(i, j)
    n = L.shape[0]
    y = [sp.Integer(0)] * n
    for i in range(n):
        y[i] = sp.expand(b[i] - sum(L[i, k] * y[k] for k in range(i)))
    x = [sp.Integer(0)] * n
    for i in reversed(range(n)):
        x[i] = sp.expand((y[i] - sum(U[i, k] * x[k] for k in range(i + 1, n))) / U[i, i])
    return x


def master_taylor_exact(N: int, values: Mapping[str, sp.Expr] | None = None) -> list[sp.Expr]:
    """Taylor coefficients ``[a_1, ..., a_{2N-1}]`` of the master-equation ``s21(Delta)`` (Eq. (9), exact)."""
    D = sp.Symbol("D", real=True)
    s = master_s21_exact(values, D)
    ser = sp.series(s, D, 0, 2 * int(N)).removeO()
    return [sp.expand(ser.coeff(D, 2 * n - 1)) for n in range(1, int(N) + 1)]


def master_s21_exact(values: Mapping[str, sp.Expr] | None = None, Delta: sp.Expr = None) -> sp.Expr:
    """``s21`` of the exact steady state of Eq. (9) (real ``Delta``) at rational parameters.

    Solves the linear system of :func:`keldysh.paper.symbolic.master.steady_state` at the point.
    """
    from keldysh.paper.symbolic.master import steady_state

    values = dict(RATIONAL_POINT if values is None else values)
    sub = _subs_map(values)
    D = sp.Symbol("D", real=True) if Delta is None else Delta
    ss = steady_state()
    rep = dict(sub)
    rep.update({S.Delta: D, ss["Deltabar"]: D})
    A, b = ss["A"].xreplace(rep), ss["b"].xreplace(rep)
    sol = A.LUsolve(b)
    return sp.factor(sp.cancel(sol[4]))


# ------------------------------------------------------------------------------ Eq. (55)
@cache
def cubic_coefficient_expr() -> tuple[sp.Expr, sp.Expr]:
    """``(x0, x2)`` with ``x = n11 + n22 - 1 = x0 + x2 |Delta|^2 + O(|Delta|^4)`` (exact, Eq. (9)).

    The derived Eq. (55) reads
    ``0 = |Delta|/V + |Delta| int (dk) Re[1/(E + i Gamma)] x0 + |Delta|^3 int (dk) Re[1/(E + i Gamma)] x2``;
    the printed form has ``(1 - n11 - n22) = -x0`` in both integrals and ``x2 -> +4 x0/(E^2 + Gamma^2)``.
    """
    from keldysh.paper.symbolic.master import population_deviation_expr

    x = population_deviation_expr("exact")
    u = sp.Symbol("u", nonnegative=True)
    num, den = sp.fraction(sp.cancel(sp.together(x.xreplace({S.Delta_abs: sp.sqrt(u)}))))
    Pn, Pd = sp.Poly(sp.expand(num), u), sp.Poly(sp.expand(den), u)
    n0, n1 = Pn.coeff_monomial(1), Pn.coeff_monomial(u)
    d0, d1 = Pd.coeff_monomial(1), Pd.coeff_monomial(u)
    x0 = sp.factor(n0 / d0)
    x2 = sp.factor((n1 * d0 - n0 * d1) / d0**2)
    return x0, x2


def eq55_cubic_limit() -> sp.Expr:
    """``lim_{Omega -> inf} x2 / x0`` (should be ``-4/(E^2 + Gamma^2)``, the Eq. (13) / Eq. (55) value)."""
    x0, x2 = cubic_coefficient_expr()
    r = sp.cancel(x2 / x0)
    num, den = sp.fraction(r)
    Pn, Pd = sp.Poly(sp.expand(num), S.Omega), sp.Poly(sp.expand(den), S.Omega)
    if Pn.degree() != Pd.degree():
        return sp.limit(r, S.Omega, sp.oo)
    return sp.factor(Pn.LC() / Pd.LC())
