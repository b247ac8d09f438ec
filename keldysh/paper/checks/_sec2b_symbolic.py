"""Symbols, base integrals and printed forms of the Sect. II.B checks (Eqs. (18)-(33)).

:func:`_sym` holds the shorthand symbols (``k = |kappa_+|``, ``w = |v_-|``, ``g = gamma1 gamma2``,
``d = |gamma1 - gamma2|``, ...), :func:`base_integrals` and :func:`even_quartic_integral` the
momentum integrals done with SymPy, :func:`printed_forms` the printed Eqs. (20)-(33) and
:func:`_signs_ok` the sign rule of Eq. (21).  Re-exported by :mod:`keldysh.paper.checks.sec2b`.
"""

from __future__ import annotations

import math
from functools import cache

from keldysh.paper.checks._common import is_identity

__all__ = ["base_integrals", "even_quartic_integral", "printed_forms"]


@cache
def _sym():
    import sympy as sp

    from keldysh.paper import symbols as S

    k, w = sp.symbols("k w", positive=True)  # |kappa_+|, |v_-|
    g = sp.Symbol("g", positive=True)  # gamma1 gamma2
    d = sp.Symbol("d", positive=True)  # |gamma1 - gamma2|
    Va = sp.Symbol("V_a", positive=True)  # |V|
    rho = sp.Symbol("rho", positive=True)  # |V| / V_c
    return {
        "k": k,
        "w": w,
        "g": g,
        "d": d,
        "Va": Va,
        "rho": rho,
        "G": S.Gamma,
        "D": S.Delta_abs,
        "Om": S.Omega,
        "N0": S.N0,
        "V": S.V,
        "dg": sp.Symbol("dg", real=True),
    }


@cache
def base_integrals():
    """``int_R q^2/(q^4+c^4)``, ``int_R 1/(q^4+c^4)``, ``int_R 1/(q^2+b^2)`` and ``int_R 1/(u^2 + r)`` (SymPy)."""
    import sympy as sp

    q = sp.Symbol("q", real=True)
    c, b, r = sp.symbols("c b r", positive=True)
    inf = sp.oo
    return {
        "q2_quartic": sp.integrate(q**2 / (q**4 + c**4), (q, -inf, inf)),
        "one_quartic": sp.integrate(1 / (q**4 + c**4), (q, -inf, inf)),
        "one_quadratic": sp.integrate(1 / (q**2 + b**2), (q, -inf, inf)),
        "one_shifted": sp.integrate(1 / (q**2 + r), (q, -inf, inf)),
        "c": c,
        "b": b,
        "r": r,
    }


@cache
def _quartic_times_lorentzian():
    """``J(c, b) = int_R q^2 / ((q^4 + c^4)(q^2 + b^2)) dq`` by partial fractions (derived)."""
    import sympy as sp

    B = base_integrals()
    c, b = B["c"], B["b"]
    q = sp.Symbol("q", real=True)
    al, be, ga = sp.symbols("alpha beta gamma")
    eqs = sp.Poly(sp.expand((al * q**2 + be) * (q**2 + b**2) + ga * (q**4 + c**4) - q**2), q).all_coeffs()
    sol = sp.solve(eqs, [al, be, ga], dict=True)[0]
    J = sol[al] * B["q2_quartic"] + sol[be] * B["one_quartic"] + sol[ga] * B["one_quadratic"]
    closed = sp.pi / (sp.sqrt(2) * c * (b**2 + sp.sqrt(2) * b * c + c**2))
    if not is_identity(J, closed):
        raise AssertionError("partial-fraction integral J(c, b) does not match its closed form")
    return closed, c, b


@cache
def even_quartic_integral():
    """``int_R u^2/(a u^4 + b u^2 + c) du = pi/(sqrt(a) sqrt(b + 2 sqrt(a c)))`` (derived, real positive roots).

    Partial fractions in ``u^2`` with roots ``-r1, -r2`` (``r1 + r2 = b/a``, ``r1 r2 = c/a``) give
    ``pi/(sqrt r1 + sqrt r2)/a``; ``(sqrt r1 + sqrt r2)^2 = b/a + 2 sqrt(c/a)``.  The result
    continues analytically to complex-conjugate roots (checked numerically by the caller).
    """
    import sympy as sp

    B = base_integrals()
    r1, r2 = sp.symbols("r_1 r_2", positive=True)
    # u^2/((u^2+r1)(u^2+r2)) = [r1/(u^2+r1) - r2/(u^2+r2)]/(r1 - r2)
    u = sp.Symbol("u", real=True)
    pf = r1 / (u**2 + r1) / (r1 - r2) - r2 / (u**2 + r2) / (r1 - r2)
    if not is_identity(pf, u**2 / ((u**2 + r1) * (u**2 + r2))):
        raise AssertionError("partial fractions in u^2 failed")
    one = B["one_shifted"]
    K = (r1 * one.subs(B["r"], r1) - r2 * one.subs(B["r"], r2)) / (r1 - r2)
    if not is_identity(K, sp.pi / (sp.sqrt(r1) + sp.sqrt(r2)), reducer="simplify"):
        raise AssertionError("int u^2/((u^2+r1)(u^2+r2)) != pi/(sqrt r1 + sqrt r2)")
    if not is_identity((sp.sqrt(r1) + sp.sqrt(r2)) ** 2, r1 + r2 + 2 * sp.sqrt(r1 * r2), reducer="simplify"):
        raise AssertionError("square of the root sum")
    a, b, c = sp.symbols("a b c", positive=True)
    return sp.pi / (sp.sqrt(a) * sp.sqrt(b + 2 * sp.sqrt(a * c))), (a, b, c)


def _quad_check(f, exact: float, scales) -> float:
    """Relative difference between ``exact`` and ``int_R f`` (adaptive quadrature split at ``scales``)."""
    from scipy.integrate import quad

    pts = sorted(set([0.0] + [s for s in scales if s > 0]))
    total = 0.0
    edges = pts + [math.inf]
    for lo, hi in zip(edges[:-1], edges[1:]):
        total += quad(lambda x: f(x) + f(-x), lo, hi, limit=400, epsabs=0, epsrel=1e-11)[0]
    return abs(total / exact - 1)


# --------------------------------------------------------------------------- printed forms
def printed_forms() -> dict[str, object]:
    """The printed Eqs. (20)-(33) in the symbols of :func:`_sym` (``sigma = +-1`` kept symbolic)."""
    import sympy as sp

    s = _sym()
    k, w, g, d, G, D, Om, N0, V, dg = (s[n] for n in ("k", "w", "g", "d", "G", "D", "Om", "N0", "V", "dg"))
    sig = sp.Symbol("sigma")
    Va, rho = s["Va"], s["rho"]
    Vc = sp.sqrt(2) / sp.pi / N0 * sp.sqrt(k) / w * sp.sqrt(G) / d
    Vcp = 4 * sp.sqrt(2) / sp.pi / N0 * (w**2 + k * G) / (w * sp.sqrt(k)) * g * G ** sp.Rational(3, 2) / d / Om**2
    return {
        "sigma": sig,
        "20": -sp.pi / sp.sqrt(2) * N0 * V * w * sig / sp.sqrt(k) * dg / (4 * D**2 + G**2) ** sp.Rational(1, 4),
        "22": Vc,
        "23": G / 2 * sp.sqrt(rho**4 - 1),
        "24": sp.pi**2 / 4 * (N0 * Va) ** 2 * w**2 / k * d**2,
        "25": sp.sqrt(k * G) * Va / Vc,
        "26": (
            -sp.pi
            / (4 * sp.sqrt(2))
            * N0
            * V
            * w
            * sig
            * sp.sqrt(k)
            / (w**2 * sp.sqrt(D**2 + g * G**2) + sp.sqrt(g * G**2) * k)
            / g ** sp.Rational(1, 4)
            * dg
            / (D**2 + g * G**2) ** sp.Rational(1, 4)
            * Om**2
        ),
        "28": Vcp,
        "28 (text)": 4 * g * G**2 / Om**2 * (k * G / (w**2 + G * k)),
        "29": G * sp.sqrt(g) * sp.sqrt(rho ** sp.Rational(4, 3) - 1),
        "30": (
            sp.pi
            / sp.sqrt(2)
            * N0
            * V
            * (-dg)
            * Om
            * w
            * sig
            / ((Om**2 * k**2 * G**2 * (4 * D**2 + Om**2)) ** sp.Rational(1, 4) + 2 * w * D)
        ),
        "32": sp.sqrt(2) / sp.pi / N0 * sp.sqrt(k) / w * G / d,
        "33": Om / 2 * sp.sqrt(G * k) / w * (rho - 1),
    }


def _signs_ok(rhs, sig) -> bool:
    """Eq. (21)-type sign rule: ``rhs > 0`` iff ``sgn V = sgn(gamma2 - gamma1) sgn kappa_+`` (all 8 cases)."""
    s = _sym()
    V, dg, Va, d = s["V"], s["dg"], s["Va"], s["d"]
    for sv in (1, -1):
        for sd in (1, -1):
            for sk in (1, -1):
                val = rhs.subs({sig: sk, V: sv * Va, dg: sd * d})
                rule = sv == (-sd) * sk
                if bool(val.is_positive) != rule or (not rule and not val.is_negative):
                    return False
    return True
