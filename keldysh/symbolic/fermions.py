"""A small normal-ordered algebra of fermion operators with SymPy coefficients.

An operator is a dict mapping a *word* -- a tuple of ``(mode, dagger)`` letters -- to a
SymPy coefficient.  :func:`normal_order` brings every word to the canonical form: all
creators to the left (ascending mode), then all annihilators (ascending mode), using
``{c_i, c_j^dagger} = delta_ij`` and ``{c_i, c_j} = 0``.  Canonical words are unique, so two
operators are equal iff their normal-ordered dicts are equal.
"""

from __future__ import annotations

from typing import Dict, Tuple

import sympy as sp

Letter = Tuple[int, bool]  # (mode, is_creator)
Word = Tuple[Letter, ...]
Operator = Dict[Word, sp.Expr]

__all__ = [
    "Operator",
    "cdag",
    "c",
    "const",
    "add",
    "scale",
    "mul",
    "dagger",
    "comm",
    "normal_order",
    "is_zero",
    "degree",
]


def _key(letter: Letter) -> tuple:
    mode, dag = letter
    # creators first (ascending), then annihilators (ascending)
    return (0, mode) if dag else (1, mode)


def c(mode: int) -> Operator:
    """Annihilator ``c_mode``."""
    return {((mode, False),): sp.Integer(1)}


def cdag(mode: int) -> Operator:
    """Creator ``c_mode^dagger``."""
    return {((mode, True),): sp.Integer(1)}


def const(value) -> Operator:
    """The identity times ``value``."""
    return {(): sp.sympify(value)}


def _accumulate(out: Operator, word: Word, coeff) -> None:
    if coeff == 0:
        return
    new = out.get(word, 0) + coeff
    if new == 0:
        out.pop(word, None)
    else:
        out[word] = new


def add(*ops: Operator) -> Operator:
    """Sum of operators."""
    out: Operator = {}
    for op in ops:
        for w, cf in op.items():
            _accumulate(out, w, cf)
    return out


def scale(op: Operator, factor) -> Operator:
    """``factor * op``."""
    factor = sp.sympify(factor)
    if factor == 0:
        return {}
    return {w: factor * cf for w, cf in op.items()}


def _normal_word(word: Word) -> Operator:
    """Normal-order a single word with coefficient 1 (recursive)."""
    for i in range(len(word) - 1):
        a, b = word[i], word[i + 1]
        if a == b:  # c c = 0, c^+ c^+ = 0 (adjacent identical letters)
            return {}
        if _key(a) > _key(b):
            swapped = word[:i] + (b, a) + word[i + 2 :]
            res = scale(_normal_word(swapped), -1)
            if a[0] == b[0] and a[1] != b[1]:  # c_i c_i^+ = 1 - c_i^+ c_i
                res = add(res, _normal_word(word[:i] + word[i + 2 :]))
            return res
    return {word: sp.Integer(1)}


def normal_order(op: Operator) -> Operator:
    """The canonical normal-ordered form of ``op`` (coefficients expanded)."""
    out: Operator = {}
    for w, cf in op.items():
        for w2, cf2 in _normal_word(w).items():
            _accumulate(out, w2, sp.expand(cf * cf2))
    return {w: cf for w, cf in out.items() if cf != 0}


def mul(*ops: Operator) -> Operator:
    """Normal-ordered product of operators."""
    res: Operator = const(1)
    for op in ops:
        prod: Operator = {}
        for w1, c1 in res.items():
            for w2, c2 in op.items():
                _accumulate(prod, w1 + w2, c1 * c2)
        res = normal_order(prod)
    return res


def dagger(op: Operator) -> Operator:
    """Hermitian conjugate (coefficients conjugated, words reversed)."""
    out: Operator = {}
    for w, cf in op.items():
        _accumulate(out, tuple((m, not d) for m, d in reversed(w)), sp.conjugate(cf))
    return normal_order(out)


def comm(a: Operator, b: Operator) -> Operator:
    """Commutator ``[a, b]``, normal-ordered."""
    return add(mul(a, b), scale(mul(b, a), -1))


def is_zero(op: Operator) -> bool:
    """True when the normal-ordered operator vanishes."""
    return all(sp.simplify(cf) == 0 for cf in normal_order(op).values())


def degree(op: Operator) -> int:
    """Largest word length present (0 for a c-number)."""
    return max((len(w) for w in op), default=0)
