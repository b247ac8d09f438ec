"""Fermion operators with SymPy coefficients, always kept normal-ordered.

An operator is stored as a dict mapping a *word* -- a tuple of ``(mode, dagger)`` letters --
to a SymPy coefficient.  :func:`normal_order` brings every word to the canonical form: all
creators to the left (ascending mode), then all annihilators (ascending mode), using
``{c_i, c_j^+} = delta_ij`` and ``{c_i, c_j} = 0``.  Canonical words are unique, so two
operators are equal iff their normal-ordered dicts are equal.

Modes may be any totally ordered hashable objects: the paper's derivations use integers,
user code uses :class:`Mode` objects made by :func:`fermions` (ordered by creation).

:class:`FermionOperator` wraps the dict with arithmetic::

    (c, d) = fermions("c d")
    H = eps * c.dag() * c + (g * c.dag() * d.dag() + sp.conjugate(g) * d * c)

Scalars are SymPy expressions or Python / NumPy numbers; strings are rejected (they are
never evaluated).
"""

from __future__ import annotations

import itertools
import numbers
import re
from collections.abc import Hashable, Iterable
from typing import Any

import sympy as sp

__all__ = [
    "Mode",
    "FermionOperator",
    "fermions",
    "as_scalar",
    "normal_order",
    "add",
    "scale",
    "mul",
    "dagger",
    "comm",
    "is_zero",
    "degree",
    "word_str",
]

Letter = tuple[Hashable, bool]  # (mode, is_creator)
Word = tuple[Letter, ...]
Terms = dict[Word, sp.Expr]

# ----------------------------------------------------------------------------- dict algebra


def _key(letter: Letter) -> tuple:
    mode, dag = letter
    return (0, mode) if dag else (1, mode)  # creators first (ascending), then annihilators


def _accumulate(out: Terms, word: Word, coeff) -> None:
    if coeff == 0:
        return
    new = out.get(word, 0) + coeff
    if new == 0:
        out.pop(word, None)
    else:
        out[word] = new


def add(*ops: Terms) -> Terms:
    """Sum of operators (dicts)."""
    out: Terms = {}
    for op in ops:
        for w, cf in op.items():
            _accumulate(out, w, cf)
    return out


def scale(op: Terms, factor) -> Terms:
    """``factor * op``."""
    factor = as_scalar(factor)
    if factor == 0:
        return {}
    return {w: factor * cf for w, cf in op.items()}


def _normal_word(word: Word) -> Terms:
    """Normal-order a single word with coefficient 1 (recursive swaps)."""
    for i in range(len(word) - 1):
        a, b = word[i], word[i + 1]
        if a == b:  # c c = 0, c^+ c^+ = 0
            return {}
        if _key(a) > _key(b):
            res = scale(_normal_word(word[:i] + (b, a) + word[i + 2 :]), -1)
            if a[0] == b[0] and a[1] != b[1]:  # c_i c_i^+ = 1 - c_i^+ c_i
                res = add(res, _normal_word(word[:i] + word[i + 2 :]))
            return res
    return {word: sp.Integer(1)}


def normal_order(op: Terms) -> Terms:
    """The canonical normal-ordered form of ``op`` (coefficients expanded)."""
    out: Terms = {}
    for w, cf in op.items():
        for w2, cf2 in _normal_word(w).items():
            _accumulate(out, w2, sp.expand(cf * cf2))
    return {w: cf for w, cf in out.items() if cf != 0}


def mul(*ops: Terms) -> Terms:
    """Normal-ordered product of operators."""
    res: Terms = {(): sp.Integer(1)}
    for op in ops:
        prod: Terms = {}
        for w1, c1 in res.items():
            for w2, c2 in op.items():
                _accumulate(prod, w1 + w2, c1 * c2)
        res = normal_order(prod)
    return res


def dagger(op: Terms) -> Terms:
    """Hermitian conjugate (coefficients conjugated, words reversed)."""
    out: Terms = {}
    for w, cf in op.items():
        _accumulate(out, tuple((m, not d) for m, d in reversed(w)), sp.conjugate(cf))
    return normal_order(out)


def comm(a: Terms, b: Terms) -> Terms:
    """Commutator ``[a, b]``, normal-ordered."""
    return add(mul(a, b), scale(mul(b, a), -1))


def is_zero(op: Terms) -> bool:
    """True when the normal-ordered operator vanishes (coefficients simplified)."""
    return all(sp.simplify(cf) == 0 for cf in normal_order(op).values())


def degree(op: Terms) -> int:
    """Largest word length present (0 for a c-number)."""
    return max((len(w) for w in op), default=0)


def word_str(word: Word) -> str:
    """``c_1^+ c_2`` style text of a word (``1`` for the empty word)."""
    if not word:
        return "1"
    return " ".join(f"{m}^+" if d else f"{m}" for m, d in word)


# ----------------------------------------------------------------------------- user objects

_COUNTER = itertools.count()
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_^{}\-+']*$")


class Mode:
    """One fermion mode.  Modes are ordered by creation (the mode order of a Lindbladian)."""

    __slots__ = ("name", "_order")

    def __init__(self, name: str) -> None:
        self.name = name
        self._order = next(_COUNTER)

    def __lt__(self, other: Mode) -> bool:
        return self._order < other._order

    def __gt__(self, other: Mode) -> bool:
        return self._order > other._order

    def __repr__(self) -> str:
        return self.name

    __str__ = __repr__


def as_scalar(x: Any, what: str = "coefficient") -> sp.Expr:
    """A SymPy scalar from a SymPy expression or a Python / NumPy number (never a string)."""
    if isinstance(x, sp.Basic):
        if isinstance(x, sp.MatrixBase) or not isinstance(x, sp.Expr):
            raise TypeError(f"{what} must be a scalar expression, got {type(x).__name__}")
        return x
    if isinstance(x, bool):
        raise TypeError(f"{what} must be a number or a SymPy expression, got a bool")
    if isinstance(x, numbers.Integral):
        return sp.Integer(int(x))
    if isinstance(x, numbers.Real):
        return sp.Float(float(x))
    if isinstance(x, numbers.Complex):
        z = complex(x)
        return sp.Float(z.real) + sp.I * sp.Float(z.imag)
    raise TypeError(f"{what} must be a number or a SymPy expression, got {type(x).__name__}")


class FermionOperator:
    """A polynomial in fermion creators and annihilators with SymPy coefficients.

    Made by :func:`fermions`; combine with ``+``, ``-``, ``*`` (among operators and with
    scalars on either side) and ``.dag()``.  Always normal-ordered (creators left).
    """

    __slots__ = ("terms",)
    __array_ufunc__ = None  # NumPy scalars defer to __rmul__ / __radd__

    def __init__(self, terms: Terms | None = None) -> None:
        self.terms: Terms = normal_order(terms or {})

    # -- construction helpers
    @classmethod
    def _wrap(cls, terms: Terms) -> FermionOperator:
        op = cls.__new__(cls)
        op.terms = terms
        return op

    @staticmethod
    def _coerce(other: Any) -> Terms:
        if isinstance(other, FermionOperator):
            return other.terms
        s = as_scalar(other)
        return {(): s} if s != 0 else {}

    # -- arithmetic
    def __add__(self, other: Any) -> FermionOperator:
        try:
            o = self._coerce(other)
        except TypeError:
            return NotImplemented
        return self._wrap(add(self.terms, o))  # both normal-ordered: the sum is too

    __radd__ = __add__

    def __neg__(self) -> FermionOperator:
        return self._wrap(scale(self.terms, -1))

    def __pos__(self) -> FermionOperator:
        return self

    def __sub__(self, other: Any) -> FermionOperator:
        try:
            o = self._coerce(other)
        except TypeError:
            return NotImplemented
        return self._wrap(add(self.terms, scale(o, -1)))

    def __rsub__(self, other: Any) -> FermionOperator:
        return (-self).__add__(other)

    def __mul__(self, other: Any) -> FermionOperator:
        try:
            o = self._coerce(other)
        except TypeError:
            return NotImplemented
        return self._wrap(mul(self.terms, o))

    def __rmul__(self, other: Any) -> FermionOperator:
        try:
            o = self._coerce(other)
        except TypeError:
            return NotImplemented
        return self._wrap(mul(o, self.terms))

    def __truediv__(self, other: Any) -> FermionOperator:
        if isinstance(other, FermionOperator):
            return NotImplemented
        return self * (1 / as_scalar(other, "divisor"))

    def __pow__(self, n: int) -> FermionOperator:
        if not isinstance(n, numbers.Integral) or n < 0:
            return NotImplemented
        out = FermionOperator._wrap({(): sp.Integer(1)})
        for _ in range(int(n)):
            out = out * self
        return out

    def dag(self) -> FermionOperator:
        """Hermitian conjugate."""
        return self._wrap(dagger(self.terms))

    # -- inspection
    @property
    def degree(self) -> int:
        """Largest number of fermion operators in one term (0 for a c-number)."""
        return degree(self.terms)

    @property
    def modes(self) -> set:
        """The modes the operator acts on."""
        return {m for w in self.terms for m, _ in w}

    def is_zero(self) -> bool:
        """True when every coefficient simplifies to zero."""
        return all(sp.simplify(cf) == 0 for cf in self.terms.values())

    def is_hermitian(self) -> bool:
        """True when ``self - self.dag()`` simplifies to zero (needs real symbols declared real)."""
        return (self - self.dag()).is_zero()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FermionOperator):
            return (self - other).is_zero()
        try:
            return (self - as_scalar(other)).is_zero()
        except TypeError:
            return NotImplemented

    __hash__ = None  # mutable-looking value type: compare, do not hash

    def __repr__(self) -> str:
        if not self.terms:
            return "0"
        parts = []
        for w, cf in sorted(self.terms.items(), key=lambda t: (len(t[0]), [_key(l) for l in t[0]])):
            parts.append(f"({cf})*{word_str(w)}" if w else f"({cf})")
        return " + ".join(parts)

    def _repr_latex_(self) -> str:
        if not self.terms:
            return "$0$"
        parts = []
        for w, cf in self.terms.items():
            ops = " ".join(
                f"{sp.latex(sp.Symbol(str(m)))}^\\dagger" if d else sp.latex(sp.Symbol(str(m))) for m, d in w
            )
            parts.append(f"\\left({sp.latex(cf)}\\right) {ops}")
        return "$" + " + ".join(parts) + "$"


def fermions(names: str) -> tuple[FermionOperator, ...]:
    """Annihilators of new fermion modes, in mode order.

    Parameters
    ----------
    names : str
        Names separated by spaces or commas, e.g. ``"c"`` or ``"c_k c_mk"``.  Names are
        labels only (letters, digits, ``_ ^ { } - + '``); nothing is evaluated.

    Returns
    -------
    tuple of FermionOperator
        ``c`` for each name; ``c.dag()`` is the creator.  Modes made earlier come first in
        every Lindbladian (Jordan-Wigner order of ``qutip.fdestroy(n, i)``).

    Examples
    --------
    >>> (c,) = fermions("c")
    >>> c * c.dag() + c.dag() * c
    (1)
    """
    if not isinstance(names, str):
        raise TypeError("fermions() takes a string of names, e.g. fermions('c d')")
    parts = [p for p in re.split(r"[\s,]+", names.strip()) if p]
    if not parts:
        raise ValueError("fermions(): no mode names given")
    for p in parts:
        if not _NAME.match(p):
            raise ValueError(f"fermions(): invalid mode name {p!r} (letters, digits and _^{{}}-+' only)")
    if len(set(parts)) != len(parts):
        raise ValueError(f"fermions(): repeated mode name in {names!r}")
    return tuple(FermionOperator._wrap({((Mode(p), False),): sp.Integer(1)}) for p in parts)


def operator_terms(op: Any, what: str) -> Terms:
    """The normal-ordered dict of an operator argument (a FermionOperator or a scalar)."""
    if isinstance(op, FermionOperator):
        return op.terms
    if isinstance(op, dict):
        return normal_order(op)
    try:
        s = as_scalar(op, what)
    except TypeError:
        raise TypeError(f"{what} must be a FermionOperator (from kd.fermions), got {type(op).__name__}") from None
    return {(): s} if s != 0 else {}


def iter_letters(terms: Terms) -> Iterable[Letter]:
    for w in terms:
        yield from w
