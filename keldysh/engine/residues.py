"""Exact frequency integrals for Sect. IV (Eqs. (52)-(55)): residues without root finding.

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

import sympy as sp

__all__ = [
    "integrate_omega",
    "IntegrationError",
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


def real_line_integral_split(num: sp.Expr, den_up: sp.Expr, den_down: sp.Expr, omega: sp.Symbol) -> sp.Expr:
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


# ----------------------------------------------------------------------------- integrate_omega
class IntegrationError(ValueError):
    """A frequency integral that cannot be done exactly (undecidable pole, slow decay, not rational)."""


def _generators_as_symbols(expr: sp.Expr, omega: sp.Symbol):
    """Replace non-symbol generators (``conjugate(x)``, ``Abs(x)``, functions) by dummies."""
    atoms = [a for a in expr.atoms(sp.Function, sp.conjugate, sp.Abs) if not a.has(omega)]
    rep = {a: sp.Dummy(f"g{i}") for i, a in enumerate(atoms)}
    return expr.xreplace(rep), {v: k for k, v in rep.items()}


def _abs_form(expr: sp.Expr) -> sp.Expr:
    """``x conj(x) -> |x|^2`` so that SymPy can see the sign of such products."""
    for c in expr.atoms(sp.conjugate):
        x = c.args[0]
        expr = expr.xreplace({c: sp.Abs(x) ** 2 / x})
    return sp.expand(expr) if expr.atoms(sp.Abs) else expr


def _side_of(root: sp.Expr) -> str | None:
    im = sp.im(_abs_form(root))
    for cand in (im, sp.simplify(im)):
        if cand.is_positive:
            return "up"
        if cand.is_negative:
            return "down"
        if cand.is_zero:
            return "real"
    return None


def _split_factor(fac: sp.Expr, omega: sp.Symbol, back: dict):
    """``("up"|"down", factor)`` pieces of one irreducible factor of the denominator."""
    poly = sp.Poly(fac, omega)
    if not (poly.free_symbols - {omega}):
        roots = poly.nroots(n=30, maxsteps=200)
        sides = set()
        scale = max(1, *[abs(complex(r)) for r in roots])
        for r in roots:
            im = float(sp.im(r))
            if abs(im) <= 1e-20 * scale:
                raise IntegrationError(f"integrate_omega: a pole lies on the real axis (root {r} of {fac})")
            sides.add("up" if im > 0 else "down")
        if len(sides) == 1:
            return [(sides.pop(), fac)]
        # fac = LC(fac) prod (omega - r): the leading coefficient stays in the denominator
        return [("up" if float(sp.im(r)) > 0 else "down", omega - r) for r in roots] + [("down", poly.LC())]
    roots = sp.roots(poly, omega)
    if sum(roots.values()) != poly.degree():
        raise IntegrationError(
            f"integrate_omega: cannot locate the poles of the factor {fac.xreplace(back)} (degree {poly.degree()}); "
            "substitute numbers for some symbols"
        )
    sides = {}
    for r in roots:
        s = _side_of(r.xreplace(back))
        if s is None:
            raise IntegrationError(
                f"integrate_omega: cannot decide the half plane of the pole {r.xreplace(back)}; declare the symbols' "
                "assumptions (rates positive=True, energies real=True) or substitute numbers"
            )
        if s == "real":
            raise IntegrationError(f"integrate_omega: the pole {r.xreplace(back)} lies on the real axis")
        sides[r] = s
    if len(set(sides.values())) == 1:
        return [(next(iter(sides.values())), fac)]
    # fac = LC(fac) prod (omega - r)^m: the leading coefficient stays in the denominator
    return [(sides[r], (omega - r) ** m) for r, m in roots.items()] + [("down", poly.LC())]


def integrate_omega(expr: sp.Expr, omega: sp.Symbol) -> sp.Expr:
    """Exact ``int_R dw/(2 pi) expr`` for a rational function of ``w`` by residues.

    Poles are assigned to the upper or lower half plane from the symbols' assumptions
    (``positive=True`` rates, ``real=True`` energies; ``x conj(x)`` is read as ``|x|^2``), or
    numerically when the coefficients are numbers; then the upper-half-plane residues are
    summed exactly (:func:`real_line_integral_split`, poles of any order).

    Parameters
    ----------
    expr : sympy.Expr
        Rational in ``omega``, decaying at least as ``omega^-2`` (e.g. ``G^K``, ``G^R G^A``).
    omega : sympy.Symbol
        The real integration variable (``keldysh.omega``).

    Returns
    -------
    sympy.Expr
        The exact integral.

    Raises
    ------
    IntegrationError
        If the integrand is not rational in ``omega``, decays only as ``1/omega`` (its value
        would depend on the cutoff), has a pole on the real axis, or a pole whose half plane
        cannot be decided from the assumptions (never a wrong answer).

    Examples
    --------
    >>> import sympy as sp
    >>> w = sp.Symbol("omega", real=True); g = sp.Symbol("gamma", positive=True)
    >>> integrate_omega(g / (w**2 + g**2), w)
    1/2
    """
    if not isinstance(omega, sp.Symbol):
        raise TypeError("integrate_omega: omega must be a SymPy symbol")
    if not isinstance(expr, sp.Expr):
        raise TypeError(
            f"integrate_omega: expr must be a SymPy expression (got {type(expr).__name__}); strings are never evaluated"
        )
    if not expr.has(omega):
        if expr == 0:
            return sp.Integer(0)
        raise IntegrationError("integrate_omega: the integrand does not decay (constant in omega)")
    gen_expr, back = _generators_as_symbols(sp.together(expr), omega)
    num, den = sp.fraction(sp.cancel(gen_expr))
    try:
        P, Q = sp.Poly(num, omega), sp.Poly(den, omega)
    except sp.PolynomialError:
        raise IntegrationError("integrate_omega: the integrand is not a rational function of omega") from None
    if any(c.has(omega) for c in list(P.coeffs()) + list(Q.coeffs())):
        raise IntegrationError("integrate_omega: the integrand is not a rational function of omega")
    if P.is_zero:
        return sp.Integer(0)
    if P.degree() > Q.degree() - 2:
        decay = Q.degree() - P.degree()
        raise IntegrationError(
            f"integrate_omega: the integrand decays as omega^-{decay}; the integral needs decay omega^-2 "
            "(G^R alone depends on the cutoff; integrate G^K or products G^R G^A)"
        )
    if Q.free_symbols - {omega}:
        coeff, factors = sp.factor_list(Q.as_expr(), extension=sp.I)
    elif any(c.atoms(sp.Float) for c in Q.coeffs()):
        coeff, factors = sp.factor_list(Q.as_expr(), omega)
    else:  # exact numbers: factor over Q(i) so that Lorentzians split into exact linear factors
        coeff, factors = sp.factor_list(Q.as_expr(), omega, extension=sp.I)
    up, down = sp.Integer(1), sp.Integer(coeff)
    for fac, mult in factors:
        if not fac.has(omega):
            down *= fac**mult
            continue
        for side, piece in _split_factor(fac, omega, back):
            if side == "up":
                up *= piece**mult
            else:
                down *= piece**mult
    val = real_line_integral_split(P.as_expr(), up, down, omega) / (2 * sp.pi)
    val = val.xreplace(back)
    return sp.factor(sp.cancel(sp.expand(val)))
