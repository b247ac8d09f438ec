"""Axes: ``NAME=START:STOP:NUM`` (inclusive, numpy.linspace) and ``NAME=a,b,c``, and their errors."""

from __future__ import annotations

import numpy as np
import pytest

import keldysh as kd
from keldysh.sweeps import make_axis, parse_axis


def test_range_is_numpy_linspace_inclusive():
    ax = parse_axis("V=1:10:200")
    assert ax.name == "V" and len(ax) == 200
    assert np.array_equal(ax.values, np.linspace(1, 10, 200)) and ax.values[-1] == 10.0
    assert ax.spec == "1:10:200"


def test_list_keeps_the_given_order():
    ax = parse_axis(" Omega = 0.5, 0.1 ,1e-2")
    assert ax.name == "Omega" and list(ax.values) == [0.5, 0.1, 0.01]


def test_single_point_range():
    assert list(parse_axis("T=0:0:1").values) == [0.0]


@pytest.mark.parametrize(
    "text, words",
    [
        ("V", "expected NAME="),
        ("=1:2:3", "name"),
        ("1V=1,2", "name"),
        ("V=", "no values"),
        ("V=1:2", "three fields"),
        ("V=1:2:3:4", "three fields"),
        ("V=a:2:3", "START must be a number"),
        ("V=1:inf:3", "STOP must be finite"),
        ("V=1:2:0", "NUM must lie"),
        ("V=1:2:2.5", "NUM must be a positive integer"),
        ("V=1:1:3", "equal values"),
        ("V=1,,2", "empty entry"),
        ("V=1,nan", "finite"),
        ("V=1,2,1", "distinct"),
    ],
)
def test_bad_axes_are_one_line_parameter_errors(text, words):
    with pytest.raises(kd.ParameterError) as info:
        parse_axis(text)
    assert info.value.param == "axis" and words in str(info.value) and "\n" not in str(info.value)


@pytest.mark.parametrize(
    "values, words",
    [
        ([], "at least one"),
        ([[1, 2], [3, 4]], "one-dimensional"),
        ([1, 1], "distinct"),
        (["x"], "real"),
        ([1, np.inf], "finite"),
    ],
)
def test_python_axes_are_validated(values, words):
    with pytest.raises(kd.ParameterError) as info:
        make_axis("Omega", values)
    assert info.value.param == "Omega" and words in str(info.value)


def test_a_number_is_a_one_point_axis():
    assert list(make_axis("V", 5.0).values) == [5.0]
