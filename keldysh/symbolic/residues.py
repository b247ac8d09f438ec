"""Exact frequency integrals for Sect. IV (Eqs. 52-55): residues without root finding.

Every frequency integral of the Keldysh route is an integral over the real line of a
rational function ``R(omega) = P(omega) / (Q_up(omega) Q_down(omega))`` whose denominator
comes *already split* by half plane: retarded functions ``G^R(omega)`` and ``G^A(-omega)`` have
their poles in the lower half plane (factor ``Q_down``), advanced functions ``G^A(omega)`` and
``G^R(-omega)`` in the upper one (``Q_up``).  With ``deg P <= deg Q - 2``,

    int_R d omega R = 2 pi i  sum_{Im z > 0} Res R
                    = 2 pi i  [omega^(m-1)] A(omega) / lc(Q_up) ,       m = deg Q_up,

where ``A = P Q_down^(-1) mod Q_up`` is the upper-half-plane part of the partial fractions
``R = A/Q_up + B/Q_down`` (the sum of all residues of ``A/Q_up`` is its residue at infinity).
This is exact over any coefficient field -- Gaussian rationals at prime parameter values, or
rational functions of symbols -- handles poles of any multiplicity (ring diagrams of order n
have poles of order n) and never computes a root, so nearly colliding poles (``E_k -> 0``)
cost nothing.  :func:`real_line_integral_roots` is the textbook root-by-root form used as a
cross-check.

The equal-time integral of a resolvent sandwich has a linear-algebra form:

    X = int d omega/(2 pi) (omega - M)^-1 S (omega - M^dag)^-1   solves   M X - X M^dag = -i S

for ``M`` with spectrum in the lower half plane (proof: ``M X - X M^dag = int (G^R S - S G^A)
d omega/2 pi = -i S/2 - i S/2``).  :func:`lyapunov_solve` solves it exactly (Kronecker form).
"""

from __future__ import annotations

from typing import Iterable, Sequence

import sympy as sp

__all__ = [
    "real_line_integral",
    "real_line_integral_split",
    "real_line_integral_roots",
    "lyapunov_solve",
    "upper_lower_split",
]


def _poly(expr: sp.Expr, omega: sp.Symbol, domain=None) -> sp.Poly:
    if domain is None:
        return sp.Poly(sp.expand(expr), omega)
    return sp.Poly(sp.expand(expr), omega, domain=domain)


def real_line_integral_split(
    num: sp.Expr, den_up: sp.Expr, den_down: sp.Expr, omega: sp.Symbol
) -> sp.Expr:
    """``int_R d omega num / (den_up den_down)`` for a denominator split by half plane.

    Used for every frequency integral of Eqs. (52)-(54).

    Parameters
    ----------
    num : sympy.Expr
        Polynomial in ``omega``.
    den_up, den_down : sympy.Expr
        Polynomials in ``omega`` with all roots in the upper / lower half plane (not
        checked here; :func:`upper_lower_split` produces them).  Multiplicities allowed.
    omega : sympy.Symbol

    Returns
    -------
    sympy.Expr
        The exact integral (``2 pi i`` times the sum of upper-half-plane residues).

    Raises
    ------
    ValueError
        If ``deg num > deg den - 2`` (the integral does not converge absolutely).
    """
    P = _poly(num, omega)
    Qu = _poly(den_up, omega)
    Qd = _poly(den_down, omega)
    dom = P.domain.unify(Qu.domain).unify(Qd.domain)
    if not dom.is_Field:
        dom = dom.get_field()
    P, Qu, Qd = P.set_domain(dom), Qu.set_domain(dom), Qd.set_domain(dom)
    if P.is_zero:
        return sp.Integer(0)
    if P.degree() > Qu.degree() + Qd.degree() - 2:
        raise ValueError("real_line_integral: need deg(num) <= deg(den) - 2 for convergence")
    m = Qu.degree()
    if m <= 0:
        return sp.Integer(0)  # every pole below the axis: close the contour upward
    inv = Qd.invert(Qu)  # Q_down^(-1) mod Q_up (coprime: disjoint half planes)
    A = (P * inv).rem(Qu)
    c = A.coeff_monomial(omega ** (m - 1)) if A.degree() >= m - 1 else dom.zero
    c = dom.to_sympy(c) if not isinstance(c, sp.Basic) else c
    lc = Qu.LC()
    lc = dom.to_sympy(lc) if not isinstance(lc, sp.Basic) else lc
    return 2 * sp.pi * sp.I * c / lc


def upper_lower_split(den: sp.Expr, omega: sp.Symbol) -> tuple[sp.Expr, sp.Expr]:
    """Split a polynomial with numeric (exact) coefficients into upper/lower half-plane factors.

    Factors over the Gaussian rationals and locates one root of each irreducible factor
    numerically (50 digits); a root on the real axis raises ``ValueError``.
    """
    poly = _poly(den, omega)
    coeff, factors = sp.factor_list(poly.as_expr(), omega, extension=sp.I)
    up, down = sp.Integer(1), sp.Integer(coeff)
    for fac, mult in factors:
        fp = sp.Poly(fac, omega)
        if fp.degree() == 0:
            down *= fac**mult
            continue
        roots = fp.nroots(n=50)
        ims = [sp.im(r) for r in roots]
        if any(abs(v) < sp.Float(10) ** -40 for v in ims):
            raise ValueError("real_line_integral: a pole lies on the real axis")
        if all(v > 0 for v in ims):
            up *= fac**mult
        elif all(v < 0 for v in ims):
            down *= fac**mult
        else:  # irreducible over Q(i) yet straddling: cannot happen for our resolvents
            raise ValueError("irreducible factor with roots in both half planes")
    return up, down


def real_line_integral(expr: sp.Expr, omega: sp.Symbol) -> sp.Expr:
    """``int_R d omega expr`` for a rational function with exact numeric coefficients.

    Convenience wrapper: :func:`upper_lower_split` then :func:`real_line_integral_split`.
    """
    num, den = sp.fraction(sp.cancel(sp.together(expr)))
    up, down = upper_lower_split(den, omega)
    return sp.expand(real_line_integral_split(num, up, down, omega))


def real_line_integral_roots(expr: sp.Expr, omega: sp.Symbol, digits: int = 30) -> complex:
    """Cross-check: ``2 pi i sum Res`` over numerically located upper-half-plane roots.

    Assumes simple poles (generic parameter values); returns a Python complex.
    """
    num, den = sp.fraction(sp.cancel(sp.together(expr)))
    Pd = sp.Poly(den, omega)
    dP = Pd.diff(omega)
    total = 0
    for r in Pd.nroots(n=digits):
        if sp.im(r) > 0:
            total += complex(sp.N(num.subs(omega, r) / dP.as_expr().subs(omega, r), digits))
    return complex(2j * 3.141592653589793238 * total)


def lyapunov_solve(M: sp.Matrix, S: sp.Matrix) -> sp.Matrix:
    """Exact solution ``X`` of ``M X - X M^dag = -i S`` (the equal-time resolvent sandwich).

    ``X = int d omega/2 pi (omega - M)^-1 S (omega - M^dag)^-1`` when ``M`` has its spectrum in
    the lower half plane (``M = H - i Gamma_hat`` with ``Gamma_hat > 0``), Eqs. (53)-(54).
    Solved in Kronecker form with exact arithmetic (``M^dag`` is taken entrywise as the
    conjugate transpose, so entries must be explicit numbers or symbols declared real).
    """
    n = M.shape[0]
    if M.shape != (n, n) or S.shape != (n, n):
        raise ValueError("lyapunov_solve: M and S must be square of the same size")
    Md = M.H
    syms = [sp.Symbol(f"x_{i}_{j}") for i in range(n) for j in range(n)]
    X = sp.Matrix(n, n, syms)
    eqs = list(M * X - X * Md + sp.I * S)
    A, b = sp.linear_eq_to_matrix(eqs, syms)
    from sympy.polys.matrices import DomainMatrix

    dA, db = DomainMatrix.from_Matrix(A), DomainMatrix.from_Matrix(b)
    K = dA.domain.unify(db.domain)
    K = K if K.is_Field else K.get_field()
    sol = dA.convert_to(K).lu_solve(db.convert_to(K)).to_Matrix()
    return sp.Matrix(n, n, [sp.expand(v) for v in sol])
