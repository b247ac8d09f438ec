"""The only border between the symbolic and the numeric layer.

``*_expr()`` functions (in :mod:`keldysh.paper.symbolic`) return SymPy; the ``*_func()`` functions
here return NumPy callables made by :func:`keldysh.engine.compile` machinery, cached by the
source that derives them (never by a name alone).  Each callable carries ``.expr`` (the SymPy source) and ``.args``
(its argument symbols), so a user can print where a number comes from.
``modules="mpmath"`` gives a high-precision twin for tests.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import Any

from keldysh.engine.compile import (
    _CACHE,
    _LOCK,
    Lambdified,
    _build,
    _fingerprint,
    cache_dir,
    clear_cache,
    expression_key,
)

__all__ = [
    "lambdified",
    "Lambdified",
    "population_deviation_func",
    "rwa_rhs_func",
    "rational_coefficients_func",
    "clear_cache",
    "cache_dir",
]


def _source_key(expr_fn: Callable) -> str | None:
    """Key of a derivation defined inside the package: its module, name, code and closure values.

    Closure values enter by value (numbers and strings by ``repr``, SymPy objects by ``srepr``);
    other cells (output dicts, helper functions) are package code covered by the source
    fingerprint.  ``None`` for functions defined outside the package: their source is not
    covered by the fingerprint, so they are keyed by the expression they return.
    """
    import sympy as sp

    mod = getattr(expr_fn, "__module__", "") or ""
    code = getattr(expr_fn, "__code__", None)
    if code is None or not (mod == "keldysh" or mod.startswith("keldysh.")):
        return None
    simple = (str, int, float, bool, type(None))
    cells = []
    for c in getattr(expr_fn, "__closure__", None) or ():
        try:
            v = c.cell_contents
        except ValueError:  # empty cell
            continue
        if isinstance(v, simple) or (isinstance(v, tuple) and all(isinstance(x, simple) for x in v)):
            cells.append(repr(v))
        elif isinstance(v, (sp.Basic, sp.MatrixBase)) or (
            isinstance(v, (tuple, list)) and all(isinstance(x, sp.Basic) for x in v)
        ):
            cells.append(sp.srepr(v))
    text = "|".join([mod, expr_fn.__qualname__, code.co_code.hex(), repr(code.co_consts), *cells])
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def lambdified(
    name: str,
    expr_fn: Callable[[], object],
    args_fn: Callable[[], Sequence],
    modules: str = "numpy",
    meta_fn: Callable[[Any], dict[str, Any]] | None = None,
) -> Lambdified:
    """Lambdify ``expr_fn()`` in ``args_fn()`` once and cache it (memory and disk).

    The cache key is the *source that derives the expression*: for derivations of the package
    the name, the function's code and closure values and a hash of the package source
    (so SymPy work stays lazy: a disk hit never derives); for any other ``expr_fn`` the
    structure of the returned expression (:func:`keldysh.engine.compile.expression_key`).
    Never the name alone: a changed expression can not return a stale function.

    Parameters
    ----------
    name : str
        Label of the callable (part of the key, not all of it).
    expr_fn, args_fn : callables
        Produce the SymPy expression (or a list of them) and its argument symbols.
    modules : str
        ``"numpy"`` (default; also cached on disk, see :func:`cache_dir`) or ``"mpmath"``.
    meta_fn : callable, optional
        ``meta_fn(expr) -> dict`` of JSON-able extra data stored with the code and exposed as
        attributes of the callable.
    """
    skey = _source_key(expr_fn)
    expr = args = None
    if skey is None:
        expr, args = expr_fn(), tuple(args_fn())
        key = expression_key(expr, args, modules)
    else:
        key = hashlib.sha256(f"{name}|{skey}|{_fingerprint()}|{modules}".encode()).hexdigest()[:32]
    with _LOCK:
        fn = _CACHE.get(("src", key))
    if fn is not None:
        return fn
    fn = _build(name, key, expr_fn, args_fn, modules, True, meta_fn, expr=expr, args=args)
    with _LOCK:
        _CACHE[("src", key)] = fn
    return fn


def population_deviation_func(kind: str = "exact", modules: str = "numpy") -> Callable:
    """NumPy callable ``x(E, eps, |Delta|, Omega, Gamma1, Gamma2, f1, f2)`` = ``n11 + n22 - 1``.

    ``kind``: ``"exact"`` (steady state of Eq. (9)), ``"eq11"``, ``"eq13"``, ``"eq14"``
    (see :func:`keldysh.paper.symbolic.master.population_deviation_expr`).
    """

    def expr():
        from keldysh.paper.symbolic.master import population_deviation_expr

        return population_deviation_expr(kind)

    def args():
        from keldysh.paper import symbols as S

        return (S.E, S.eps, S.Delta_abs, S.Omega, S.Gamma1, S.Gamma2, S.f1, S.f2)

    return lambdified(f"population_deviation[{kind}]", expr, args, modules)


def rwa_rhs_func(modules: str = "numpy") -> Callable:
    """NumPy callable for the right-hand sides of Eq. (9) (derived).

    Signature ``rhs(n11, n22, n21, s21, E, eps, Delta, Omega, Gamma1, Gamma2, f1, f2)``
    returning ``(dn11, dn22, dn21, ds21)``; ``n21``, ``s21`` and ``Delta`` are complex.
    """

    def expr():

        from keldysh.paper.symbolic.master import rwa_eom

        eqs = rwa_eom(2, "E_eps")
        # conj() of complex arguments must survive lambdify: keep sp.conjugate
        return [eqs["n11"], eqs["n22"], eqs["n21"], eqs["s21"]]

    def args():
        from keldysh.paper import symbols as S
        from keldysh.paper.symbolic.master import n11, n21, n22, s21

        return (n11, n22, n21, s21, S.E, S.eps, S.Delta, S.Omega, S.Gamma1, S.Gamma2, S.f1, S.f2)

    return lambdified("rwa_rhs", expr, args, modules)


def rational_coefficients_func(kind: str = "exact", modules: str = "numpy") -> Lambdified:
    """Coefficient arrays of ``x = P(|Delta|^2) / Q(|Delta|^2)`` (population deviation, Eqs. (11)-(14)).

    The exact steady state of Eq. (9) is a ratio of polynomials in ``|Delta|^2`` whose
    coefficients depend on the momentum only; precomputing them once per momentum grid
    makes every evaluation of the gap equation a cheap polynomial in ``|Delta|^2``.
    Returns a callable ``(E, eps, Omega, Gamma1, Gamma2, f1, f2) -> [P_0, P_1, ..., Q_0, Q_1, ...]``
    with attribute ``.degrees = (deg P, deg Q)`` (in powers of ``|Delta|^2``).
    """
    split: dict = {}

    def expr():
        import sympy as sp

        from keldysh.paper import symbols as S
        from keldysh.paper.symbolic.master import population_deviation_expr

        x = population_deviation_expr(kind)
        num, den = sp.fraction(sp.together(x))
        D2 = sp.Symbol("D2", nonnegative=True)
        num = sp.expand(num).subs(S.Delta_abs**2, D2)
        den = sp.expand(den).subs(S.Delta_abs**2, D2)
        P = sp.Poly(num, D2).all_coeffs()[::-1]
        Q = sp.Poly(den, D2).all_coeffs()[::-1]
        split["degrees"] = [len(P) - 1, len(Q) - 1]
        return list(P) + list(Q)

    def args():
        from keldysh.paper import symbols as S

        return (S.E, S.eps, S.Omega, S.Gamma1, S.Gamma2, S.f1, S.f2)

    return lambdified(f"population_deviation_coeffs[{kind}]", expr, args, modules, meta_fn=lambda e: dict(split))
