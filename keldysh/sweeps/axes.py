"""Axes of a sweep: ``NAME=START:STOP:NUM`` (inclusive, as :func:`numpy.linspace`) or ``NAME=a,b,c``.

An axis is a name (a model parameter, a value symbol of a :class:`keldysh.MeanFieldModel`, or the
coupling ``V``) and a one-dimensional array of distinct finite values.  Text is parsed here, never
evaluated: every number goes through :func:`float`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from keldysh.errors import ParameterError

__all__ = ["Axis", "parse_axis", "make_axis", "MAX_POINTS"]

#: Largest number of values on one axis (and of points in a sweep): beyond it a store would hold
#: more points than a run can compute in a lifetime of this package's solvers.
MAX_POINTS = 10**8


@dataclass(frozen=True, eq=False)
class Axis:
    """One dimension of a sweep.

    Attributes
    ----------
    name : str
        Parameter name (also the dimension name of the dataset).
    values : numpy.ndarray
        Distinct finite float values, in the order given.
    spec : str
        The text form (``START:STOP:NUM`` or ``a,b,c``) for messages and the store's attributes.
    """

    name: str
    values: np.ndarray
    spec: str

    def __len__(self) -> int:
        return int(self.values.size)

    def to_json(self) -> dict[str, Any]:
        """JSON-ready ``{"name", "spec", "values"}`` (values as a list of floats)."""
        return {"name": self.name, "spec": self.spec, "values": [float(v) for v in self.values]}


def _check_name(name: str, where: str) -> str:
    name = name.strip()
    if not name or not name.isidentifier():
        raise ParameterError("axis", f"{where}: the name must be a parameter name such as V or Omega (got {name!r})")
    return name


def _number(text: str, what: str, where: str) -> float:
    try:
        x = float(text)
    except ValueError:
        raise ParameterError("axis", f"{where}: {what} must be a number (got {text.strip()!r})") from None
    if not math.isfinite(x):
        raise ParameterError("axis", f"{where}: {what} must be finite (got {text.strip()!r})")
    return x


def _distinct(name: str, values: np.ndarray, where: str) -> np.ndarray:
    if np.unique(values).size != values.size:
        raise ParameterError("axis", f"{where}: the values of {name} must be distinct")
    return values


def parse_axis(text: str) -> Axis:
    """Parse ``NAME=START:STOP:NUM`` (``numpy.linspace(START, STOP, NUM)``) or ``NAME=a,b,c``.

    Parameters
    ----------
    text : str
        The axis as given on the command line, e.g. ``"V=1:10:200"`` or ``"Omega=0.1,0.5,1"``.

    Returns
    -------
    Axis

    Raises
    ------
    ParameterError
        ``axis``: a one-line message naming what is wrong (missing ``=``, a bad name, a number that
        is not one, ``NUM`` not a positive integer, repeated values).
    """
    if not isinstance(text, str):
        raise ParameterError("axis", f"must be a string NAME=START:STOP:NUM or NAME=a,b,c (got {text!r})")
    where = repr(text)
    name, sep, rhs = text.partition("=")
    if not sep:
        raise ParameterError("axis", f"{where}: expected NAME=START:STOP:NUM or NAME=a,b,c")
    name = _check_name(name, where)
    rhs = rhs.strip()
    if not rhs:
        raise ParameterError("axis", f"{where}: no values after '='")
    if ":" in rhs:
        parts = rhs.split(":")
        if len(parts) != 3:
            raise ParameterError("axis", f"{where}: a range is START:STOP:NUM (three fields, got {len(parts)})")
        start = _number(parts[0], "START", where)
        stop = _number(parts[1], "STOP", where)
        try:
            num = int(parts[2])
        except ValueError:
            raise ParameterError(
                "axis", f"{where}: NUM must be a positive integer (got {parts[2].strip()!r})"
            ) from None
        if not 1 <= num <= MAX_POINTS:
            raise ParameterError("axis", f"{where}: NUM must lie in 1..{MAX_POINTS:.0e} (got {num})")
        if num > 1 and start == stop:
            raise ParameterError("axis", f"{where}: START = STOP gives {num} equal values")
        values = np.linspace(start, stop, num)
        spec = f"{parts[0].strip()}:{parts[1].strip()}:{num}"
    else:
        items = [s for s in rhs.split(",")]
        if any(not s.strip() for s in items):
            raise ParameterError("axis", f"{where}: empty entry in the list of values")
        values = np.array([_number(s, "every value", where) for s in items], dtype=float)
        spec = ",".join(s.strip() for s in items)
    return Axis(name, _distinct(name, values, where), spec)


def make_axis(name: str, values: Any) -> Axis:
    """An :class:`Axis` from a Python name and an array-like of values (``kd.sweep(V=array)``).

    Raises
    ------
    ParameterError
        Named after the axis: values that are not finite real numbers, repeated, empty or not
        one-dimensional.
    """
    if not isinstance(name, str) or not name.isidentifier():
        raise ParameterError("axis", f"the name must be a parameter name such as V or Omega (got {name!r})")
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ParameterError(name, "axis values must be real numbers") from None
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.ndim != 1:
        raise ParameterError(name, f"axis values must be one-dimensional (got shape {arr.shape})")
    if arr.size == 0:
        raise ParameterError(name, "axis needs at least one value")
    if arr.size > MAX_POINTS:
        raise ParameterError(name, f"axis has more than {MAX_POINTS:.0e} values")
    if not np.all(np.isfinite(arr)):
        raise ParameterError(name, "axis values must be finite")
    if np.unique(arr).size != arr.size:
        raise ParameterError(name, "axis values must be distinct")
    arr = arr.copy()
    spec = ",".join(repr(float(v)) for v in arr) if arr.size <= 8 else f"{arr[0]!r}..{arr[-1]!r} ({arr.size} values)"
    return Axis(name, arr, spec)
