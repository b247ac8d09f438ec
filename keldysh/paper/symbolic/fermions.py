"""The paper layer's view of the engine's fermion algebra (integer modes).

Operators are normal-ordered dicts ``{word: coefficient}`` with words of ``(mode, dagger)``
letters; the algebra itself (:func:`normal_order`, :func:`mul`, :func:`dagger`, ...) is
:mod:`keldysh.engine.operators`.  The paper's derivations label modes by integers
(``0 = c_k^1, 1 = c_k^2, 2 = c_{-k}^1, 3 = c_{-k}^2``, see ``docs/conventions.md``).
"""

from __future__ import annotations

import sympy as sp

from keldysh.engine.operators import Terms as Operator
from keldysh.engine.operators import add, as_scalar, comm, dagger, degree, is_zero, mul, normal_order, scale

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


def c(mode: int) -> dict:
    """Annihilator ``c_mode``."""
    return {((mode, False),): sp.Integer(1)}


def cdag(mode: int) -> dict:
    """Creator ``c_mode^dagger``."""
    return {((mode, True),): sp.Integer(1)}


def const(value) -> dict:
    """The identity times ``value``."""
    return {(): as_scalar(value)}
