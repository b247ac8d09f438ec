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


def check_finite(name: str, value: Any) -> float:
    """Return ``value`` as a float, or raise ParameterError if it is not a finite real number."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ParameterError(name, f"must be a real number (got {value!r})") from None
    if not math.isfinite(x):
        raise ParameterError(name, f"must be finite (got {value!r})")
    return x


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
