"""Shared tools of the check modules: records, the ``guarded`` group decorator, symbolic identity tests.

A record is ``verified`` only when a symbolic identity was proven (difference reduced to 0
by ``expand``/``cancel``, plus exact evaluation at several points of distinct primes):
:func:`is_identity` and :func:`differs` do both.  :func:`latex` and :func:`eom_latex` format the
printed and derived forms of a record; :func:`run_script` is the body of a ``derivations/*.py``
script.  Private module: :func:`keldysh.paper.checks.check_modules` skips it; the public names
are re-exported by :mod:`keldysh.paper.checks.sec2a`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from functools import cache, wraps

from keldysh.paper.checks import EquationRecord

__all__ = [
    "FIG4",
    "LATEX_NAMES",
    "differs",
    "eom_latex",
    "guarded",
    "is_identity",
    "latex",
    "prime_points",
    "rec",
    "run_script",
]

#: Parameters of the caption of Fig. 4 (Sect. II.C), used for measured errors.
FIG4 = {"kappa_plus": -50, "v_minus": 10, "Omega": 0.5, "Gamma": 0.01, "gamma2": 0.001}

_PRIMES = (
    2,
    3,
    5,
    7,
    11,
    13,
    17,
    19,
    23,
    29,
    31,
    37,
    41,
    43,
    47,
    53,
    59,
    61,
    67,
    71,
    73,
    79,
    83,
    89,
    97,
    101,
    103,
    107,
    109,
    113,
    127,
    131,
    137,
    139,
    149,
    151,
    157,
    163,
    167,
    173,
    179,
    181,
    191,
    193,
    197,
    199,
)


# --------------------------------------------------------------------------- helpers
def _strict(x):
    """SymPy object of ``x`` (SymPy or a number); strings are rejected, never parsed (strict sympify)."""
    from sympy.core.sympify import _sympify as to_sympy_strict

    return to_sympy_strict(x)


def rec(
    equation: str, section: str, status: str, note: str, printed: str = "", derived: str = "", why: str = ""
) -> EquationRecord:
    """Shorthand for :class:`~keldysh.paper.checks.EquationRecord`."""
    return EquationRecord(
        equation=equation, section=section, status=status, note=note, printed=printed, derived=derived, why=why
    )


def guarded(labels: Sequence[tuple[str, str]]) -> Callable:
    """Decorate a group check: cache it, time it, and turn an exception into ``failed`` records.

    ``labels`` lists ``(equation, section)`` of the records the group produces, so that a
    crash still reports every equation of the group as ``failed``.
    """

    def deco(fn: Callable[[], list[EquationRecord]]) -> Callable[[], list[EquationRecord]]:
        @cache
        def cached() -> tuple[EquationRecord, ...]:
            t0 = time.perf_counter()
            try:
                out = list(fn())
            except Exception as exc:  # a crash is a failed check, reported, not hidden
                msg = f"{fn.__name__} raised {type(exc).__name__}: {exc}"
                out = [rec(eq, sec, "failed", msg) for eq, sec in labels]
            dt = (time.perf_counter() - t0) / max(len(out), 1)
            for r in out:
                r.seconds = round(dt, 4)
            return tuple(out)

        @wraps(fn)
        def wrapper() -> list[EquationRecord]:
            from dataclasses import replace

            return [replace(r) for r in cached()]

        wrapper.labels = tuple(labels)  # type: ignore[attr-defined]
        return wrapper

    return deco


def prime_points(symbols: Iterable, n: int = 3) -> list[dict]:
    """``n`` substitutions giving every symbol a distinct ratio of primes (chempy-style).

    Real symbols get ``p/q``; complex ones ``p/q + i r/s``; signs are not flipped, so the
    points respect ``positive=True`` assumptions.
    """
    import sympy as sp

    syms = sorted(set(symbols), key=str)
    pts = []
    k = 0
    for _ in range(n):
        pt = {}
        for s in syms:
            a = sp.Rational(_PRIMES[k % len(_PRIMES)], _PRIMES[(k + 7) % len(_PRIMES)])
            k += 1
            if s.is_real:
                pt[s] = a
            else:
                b = sp.Rational(_PRIMES[k % len(_PRIMES)], _PRIMES[(k + 11) % len(_PRIMES)])
                k += 1
                pt[s] = a + sp.I * b
        pts.append(pt)
    return pts


def _numeric_zero(value) -> bool:
    """Zero test of a number: exact for (Gaussian) rationals, 60-digit evaluation for radicals.

    The symbolic reduction is the proof; the point evaluation guards it (chempy-style).
    """
    import sympy as sp

    value = _strict(value)
    if value == 0:
        return True
    re_, im_ = value.as_real_imag() if not value.is_Rational else (value, 0)
    if _strict(re_).is_Rational and _strict(im_).is_Rational:
        return False
    return abs(complex(sp.N(value, 60))) < 1e-45


def _reduce(expr, reducer: str):
    import sympy as sp

    if reducer == "expand":
        return sp.expand(expr)
    if reducer == "cancel":  # rational functions: numerator of the combined fraction
        num, _ = sp.fraction(sp.together(expr))
        return sp.expand(num)
    if reducer == "simplify":
        return sp.simplify(expr)
    raise ValueError(f"unknown reducer {reducer!r}")


def is_identity(lhs, rhs, points: int = 3, reducer: str = "cancel") -> bool:
    """True iff ``lhs - rhs`` reduces to 0 symbolically AND vanishes exactly at prime points.

    ``reducer``: ``"expand"`` (polynomials/linear forms, e.g. equations of motion),
    ``"cancel"`` (rational functions: the numerator of the combined fraction expands to 0)
    or ``"simplify"`` (radicals, signs).
    """

    diff = _strict(lhs) - _strict(rhs)
    if _reduce(diff, reducer) != 0:
        return False
    for pt in prime_points(diff.free_symbols, points):
        if not _numeric_zero(
            _reduce(diff.xreplace(pt), "expand" if reducer == "expand" else "cancel")
            if reducer != "simplify"
            else diff.xreplace(pt)
        ):
            return False
    return True


def differs(lhs, rhs, points: int = 2) -> bool:
    """True iff ``lhs - rhs`` is non-zero at a point of distinct primes (an exact witness)."""

    diff = _strict(lhs) - _strict(rhs)
    for pt in prime_points(diff.free_symbols, points):
        val = diff.xreplace(pt)
        if not _numeric_zero(val):
            return True
    return False


#: LaTeX names of the shorthand symbols used by the checks (see :mod:`keldysh.paper.checks.sec2b`)
LATEX_NAMES = {
    "|Delta|": r"|\Delta|",
    "k": r"|\kappa_+|",
    "w": r"|v_-|",
    "g": r"\gamma_1\gamma_2",
    "d": r"|\gamma_1 - \gamma_2|",
    "dg": r"(\gamma_1 - \gamma_2)",
    "V_a": r"|V|",
    "sigma": r"\mathrm{sgn}\,\kappa_+",
    "rho": r"\rho",
}


def latex(expr) -> str:
    """``sympy.latex`` with the paper's notation for the shorthand symbols."""
    import sympy as sp

    expr = _strict(expr)
    names = {s: LATEX_NAMES[s.name] for s in expr.free_symbols if getattr(s, "name", None) in LATEX_NAMES}
    return sp.latex(expr, symbol_names=names)


def eom_latex(eqs: dict[str, object], names: Sequence[str], tilde: bool = False) -> str:
    """LaTeX of a set of equations of motion ``d<X>/dt = rhs``."""
    lhs = {"n11": "n^{11}", "n22": "n^{22}", "n21": "n^{21}", "s21": "s^{21}"}
    t = "\\tilde " if tilde else ""
    return r" \\ ".join(rf"\frac{{d}}{{dt}}{t}{lhs[n]} = {latex(eqs[n])}" for n in names)


def run_script(*groups: Callable[[], list[EquationRecord]], stream=None) -> int:
    """Body of a ``derivations/*.py`` script: run the group checks, print each record, return the exit status.

    For every record: the label, section and status, the derived form (LaTeX), the printed form
    and, for an erratum, why.  Returns 1 if any record ``failed``, else 0.
    """
    import sys

    stream = stream or sys.stdout
    failed = 0
    for group in groups:
        doc = (group.__doc__ or group.__name__).strip().splitlines()[0]
        stream.write(f"== {doc}\n")
        for r in group():
            stream.write(f"\nEq. ({r.equation}) [{r.section}]: {r.status.upper()}\n")
            stream.write(f"  derived: {r.derived}\n" if r.derived else "")
            stream.write(f"  printed: {r.printed}\n" if r.printed else "")
            if r.status == "erratum":
                stream.write(f"  why:     {r.why}\n")
            stream.write(f"  check:   {r.note}\n")
            failed += r.status == "failed"
        stream.write("\n")
    stream.write(f"{'FAILED: ' + str(failed) + ' record(s)' if failed else 'all records passed'}\n")
    return 1 if failed else 0
