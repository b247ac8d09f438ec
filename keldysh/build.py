"""The only border between the symbolic and the numeric layer.

``*_expr()`` functions (in :mod:`keldysh.symbolic`) return SymPy; the ``*_func()`` functions
here return NumPy callables made by ``sympy.lambdify(..., cse=True)``, cached by
``(name, modules)``.  Each callable carries ``.expr`` (the SymPy source) and ``.args``
(its argument symbols), so a user can print where a number comes from.
``modules="mpmath"`` gives a high-precision twin for tests.
"""

from __future__ import annotations

import threading
from typing import Callable, Sequence

__all__ = ["lambdified", "population_deviation_func", "rwa_rhs_func", "clear_cache"]

_CACHE: dict = {}
_LOCK = threading.Lock()


def lambdified(name: str, expr_fn: Callable[[], object], args_fn: Callable[[], Sequence], modules: str = "numpy") -> Callable:
    """Lambdify ``expr_fn()`` in ``args_fn()`` once per ``(name, modules)`` and cache it.

    Parameters
    ----------
    name : str
        Cache key (unique per expression).
    expr_fn, args_fn : callables
        Produce the SymPy expression (or a list/matrix of them) and its argument symbols;
        called only on a cache miss, so SymPy work stays lazy.
    modules : str
        ``"numpy"`` (default) or ``"mpmath"``.
    """
    key = (name, modules)
    with _LOCK:
        fn = _CACHE.get(key)
    if fn is not None:
        return fn
    import sympy as sp

    expr = expr_fn()
    args = tuple(args_fn())
    raw = sp.lambdify(args, expr, modules=modules, cse=True)

    def fn(*a, _raw=raw):
        return _raw(*a)

    fn.expr = expr  # type: ignore[attr-defined]
    fn.args = args  # type: ignore[attr-defined]
    fn.__name__ = name
    fn.__doc__ = f"Lambdified {name}: {expr}"
    with _LOCK:
        _CACHE[key] = fn
    return fn


def clear_cache() -> None:
    """Forget every cached callable (tests use it to time cold starts)."""
    with _LOCK:
        _CACHE.clear()


def population_deviation_func(kind: str = "exact", modules: str = "numpy") -> Callable:
    """NumPy callable ``x(E, eps, |Delta|, Omega, Gamma1, Gamma2, f1, f2)`` = ``n11 + n22 - 1``.

    ``kind``: ``"exact"`` (steady state of Eq. 9), ``"eq11"``, ``"eq13"``, ``"eq14"``
    (see :func:`keldysh.symbolic.master.population_deviation_expr`).
    """

    def expr():
        from .symbolic.master import population_deviation_expr

        return population_deviation_expr(kind)

    def args():
        from . import symbols as S

        return (S.E, S.eps, S.Delta_abs, S.Omega, S.Gamma1, S.Gamma2, S.f1, S.f2)

    return lambdified(f"population_deviation[{kind}]", expr, args, modules)


def rwa_rhs_func(modules: str = "numpy") -> Callable:
    """NumPy callable for the right-hand sides of Eq. (9) (derived).

    Signature ``rhs(n11, n22, n21, s21, E, eps, Delta, Omega, Gamma1, Gamma2, f1, f2)``
    returning ``(dn11, dn22, dn21, ds21)``; ``n21``, ``s21`` and ``Delta`` are complex.
    """

    def expr():
        import sympy as sp

        from . import symbols as S
        from .symbolic.master import n11, n21, n22, rwa_eom, s21

        eqs = rwa_eom(2, "E_eps")
        # conj() of complex arguments must survive lambdify: keep sp.conjugate
        return [eqs["n11"], eqs["n22"], eqs["n21"], eqs["s21"]]

    def args():
        from . import symbols as S
        from .symbolic.master import n11, n21, n22, s21

        return (n11, n22, n21, s21, S.E, S.eps, S.Delta, S.Omega, S.Gamma1, S.Gamma2, S.f1, S.f2)

    return lambdified("rwa_rhs", expr, args, modules)


def rational_coefficients_func(kind: str = "exact", modules: str = "numpy") -> Callable:
    """Coefficient arrays of ``x = P(|Delta|^2) / Q(|Delta|^2)`` (population deviation, Eqs. 11-14).

    The exact steady state of Eq. (9) is a ratio of polynomials in ``|Delta|^2`` whose
    coefficients depend on the momentum only; precomputing them once per momentum grid
    makes every evaluation of the gap equation a cheap polynomial in ``|Delta|^2``.
    Returns a callable ``(E, eps, Omega, Gamma1, Gamma2, f1, f2) -> [P_0, P_1, ..., Q_0, Q_1, ...]``
    with attribute ``.degrees = (deg P, deg Q)`` (in powers of ``|Delta|^2``).
    """

    def expr():
        import sympy as sp

        from . import symbols as S
        from .symbolic.master import population_deviation_expr

        x = population_deviation_expr(kind)
        num, den = sp.fraction(sp.together(x))
        D2 = sp.Symbol("D2", nonnegative=True)
        num = sp.expand(num).subs(S.Delta_abs**2, D2)
        den = sp.expand(den).subs(S.Delta_abs**2, D2)
        P = sp.Poly(num, D2).all_coeffs()[::-1]
        Q = sp.Poly(den, D2).all_coeffs()[::-1]
        expr.degrees = (len(P) - 1, len(Q) - 1)
        return list(P) + list(Q)

    def args():
        from . import symbols as S

        return (S.E, S.eps, S.Omega, S.Gamma1, S.Gamma2, S.f1, S.f2)

    fn = lambdified(f"population_deviation_coeffs[{kind}]", expr, args, modules)
    if not hasattr(fn, "degrees"):
        import sympy as sp

        from .symbolic.master import population_deviation_expr

        num, den = sp.fraction(sp.together(population_deviation_expr(kind)))
        from . import symbols as S

        dP = sp.Poly(sp.expand(num), S.Delta_abs).degree() // 2
        dQ = sp.Poly(sp.expand(den), S.Delta_abs).degree() // 2
        fn.degrees = (dP, dQ)
    return fn
