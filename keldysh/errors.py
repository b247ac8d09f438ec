"""Errors raised for invalid input.

Every invalid parameter raises :class:`ParameterError`, a ``ValueError`` whose
message names the offending parameter, so that the command line can print it as
one line and exit with status 2.
"""

from __future__ import annotations

import math
from typing import Any


class ParameterError(ValueError):
    """An input parameter is invalid; ``param`` names it."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(f"{param}: {message}")
        self.param = param


class ParameterTypeError(ParameterError, TypeError):
    """A parameter of the wrong type (a string where a number belongs, ...): both a
    :class:`ParameterError` naming it and a ``TypeError``."""


def shown(value: Any, limit: int = 40) -> str:
    """``repr(value)`` cut to ``limit`` characters, on one line (for error messages)."""
    try:
        text = repr(value)
    except Exception:  # a hostile __repr__
        text = f"<{type(value).__name__}>"
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 3] + "..."


def check_finite(name: str, value: Any) -> float:
    """Return ``value`` as a float, or raise ParameterError if it is not a finite real number."""
    if isinstance(value, bool):
        raise ParameterError(name, f"must be a real number (got {value!r})")
    try:
        x = float(value)
    except OverflowError:  # an integer beyond the double range
        raise ParameterError(name, f"must be finite in double precision (got {shown(value)})") from None
    except (TypeError, ValueError, ArithmeticError):  # ArithmeticError: decimal's signalling NaN
        raise ParameterError(name, f"must be a real number (got {shown(value)})") from None
    if not math.isfinite(x):
        raise ParameterError(name, f"must be finite (got {shown(value)})")
    return x


def check_int(name: str, value: Any, lo: int, hi: int | None = None) -> int:
    """Return ``value`` as an ``int`` in ``lo..hi``, or raise ParameterError (bools and non-integral
    numbers, e.g. ``4.5``, ``nan``, ``1j``, are rejected; ``4.0`` and NumPy integers are accepted)."""
    import numbers

    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ParameterError(name, f"must be an integer (got {shown(value)})")
    if not isinstance(value, numbers.Integral):
        x = float(value)
        if not (math.isfinite(x) and x == int(x)):
            raise ParameterError(name, f"must be an integer (got {shown(value)})")
        value = int(x)
    n = int(value)
    if n < lo or (hi is not None and n > hi):
        span = f"{lo}..{hi}" if hi is not None else f">= {lo}"
        raise ParameterError(name, f"must be an integer {span} (got {shown(value)})")
    return n


def check_positive(name: str, value: Any) -> float:
    """Finite and strictly positive."""
    x = check_finite(name, value)
    if x <= 0:
        raise ParameterError(name, f"must be > 0 (got {x!r})")
    return x


def check_nonnegative(name: str, value: Any) -> float:
    """Finite and >= 0."""
    x = check_finite(name, value)
    if x < 0:
        raise ParameterError(name, f"must be >= 0 (got {x!r})")
    return x


def check_open_unit(name: str, value: Any) -> float:
    """Finite and strictly inside (0, 1)."""
    x = check_finite(name, value)
    if not 0.0 < x < 1.0:
        raise ParameterError(name, f"must lie strictly between 0 and 1 (got {x!r})")
    return x


def check_magnitude(name: str, value: Any, hi: float = 1e6, lo: float = 0.0) -> float:
    """Finite with ``lo <= |x| <= hi`` (or ``x == 0`` when ``lo`` is 0): the range in which the
    derived closed forms evaluate without overflow or underflow in double precision."""
    x = check_finite(name, value)
    if abs(x) > hi:
        raise ParameterError(name, f"|{name}| must be <= {hi:g} (got {x:g}): out of the range the numerics resolve")
    if x != 0 and abs(x) < lo:
        raise ParameterError(name, f"|{name}| must be >= {lo:g} or 0 (got {x:g}): below double-precision resolution")
    return x
