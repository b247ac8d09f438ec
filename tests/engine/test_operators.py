r"""Fermion operator algebra.

.. math::

    \{c_i, c_j^\dagger\} = \delta_{ij}, \qquad \{c_i, c_j\} = 0, \qquad
    (AB)^\dagger = B^\dagger A^\dagger .

Normal order: creators left (ascending mode), annihilators right (ascending mode); the
normal-ordered form is unique, so equality is equality of coefficients.  Independent route: the
Jordan-Wigner matrices :math:`c_i = Z^{\otimes i} \otimes \sigma^- \otimes 1` (built here with
NumPy), on which every identity is a matrix identity.
"""

from __future__ import annotations

import functools
import itertools

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import keldysh as kd
from keldysh.engine.operators import FermionOperator

N = 3
modes = kd.fermions("a b d")
a, b, d = modes
MA, MB = (next(iter(x.terms))[0][0] for x in (a, b))  # the Mode objects of a and b


@functools.cache
def jw(i: int) -> np.ndarray:
    """Jordan-Wigner annihilator of mode i among N (|1> = occupied)."""
    Z = np.diag([1.0, -1.0])  # (-1)^n on (|0>, |1>)
    sm = np.array([[0.0, 1.0], [0.0, 0.0]])  # |0><1|
    out = np.eye(1)
    for k in range(N):
        out = np.kron(out, Z if k < i else sm if k == i else np.eye(2))
    return out


def matrix(op: FermionOperator) -> np.ndarray:
    """The JW matrix of an operator with numeric coefficients."""
    index = {next(iter(m.terms))[0][0]: k for k, m in enumerate(modes)}  # Mode -> position
    out = np.zeros((2**N, 2**N), complex)
    for word, cf in op.terms.items():
        M = np.eye(2**N)
        for mode, dag in word:
            M = M @ (jw(index[mode]).T if dag else jw(index[mode]))
        out += complex(cf) * M
    return out


def test_canonical_anticommutation():
    for (i, x), (j, y) in itertools.product(enumerate(modes), repeat=2):
        assert x * y.dag() + y.dag() * x == (1 if i == j else 0)
        assert x * y + y * x == 0
        assert x.dag() * y.dag() + y.dag() * x.dag() == 0


def test_normal_order_is_canonical():
    assert a * a.dag() == 1 - a.dag() * a
    assert (a * a.dag()).terms == (1 - a.dag() * a).terms  # same dict: the form is unique
    assert b * a == -(a * b)
    assert list((b * a).terms) == [((MA, False), (MB, False))]  # c_a c_b: ascending
    assert list((a * b.dag()).terms) == [((MB, True), (MA, False))]  # creator left
    assert a * a == 0 and a.dag() * a.dag() == 0
    n = a.dag() * a
    assert n * n == n  # idempotent
    assert (a.dag() * a * b.dag() * b) == (b.dag() * b * a.dag() * a)


def test_symbolic_coefficients_on_either_side():
    D = sp.Symbol("Delta")
    pair = D * a.dag() * b.dag() + sp.conjugate(D) * b * a
    assert pair.is_hermitian()
    assert sp.conjugate(D) * (b * a) == (b * a) * sp.conjugate(D)
    assert (sp.conjugate(D) * (b * a)).terms == {((MA, False), (MB, False)): -sp.conjugate(D)}
    x = sp.Symbol("x")  # complex by default: x n is not Hermitian
    assert not (x * a.dag() * a).is_hermitian()
    assert (sp.Symbol("y", real=True) * a.dag() * a).is_hermitian()


@pytest.mark.parametrize(
    "s", [2, 0.5, 1j, 0.25 - 0.5j, np.float64(0.5), np.complex128(0.5 + 2j), np.int64(3), sp.Rational(1, 3), sp.I]
)
def test_numeric_scalars_on_either_side(s):
    op = a.dag() * b + b.dag() * a
    left, right = s * op, op * s
    assert isinstance(left, FermionOperator) and isinstance(right, FermionOperator)
    assert left == right
    assert np.allclose(matrix(left), complex(s) * matrix(op), atol=1e-15)
    assert s + op == op + s and isinstance(s + op, FermionOperator)
    assert np.allclose(matrix(s - op), complex(s) * np.eye(2**N) - matrix(op), atol=1e-15)


def test_dagger_of_products():
    z = sp.Rational(1, 2) + sp.I / 3
    op = z * a.dag() * b * d
    assert op.dag() == sp.conjugate(z) * d.dag() * b.dag() * a
    assert (a * b).dag() == b.dag() * a.dag()
    assert (a * b).dag() == -(a.dag() * b.dag())
    assert np.allclose(matrix(op.dag()), matrix(op).conj().T, atol=1e-15)


def test_equality():
    assert a.dag() * a == 1 - a * a.dag()
    assert a != b
    assert a.dag() * b != b.dag() * a
    assert (a + b) - b == a
    assert 0 * a == 0
    assert a != "a"  # never evaluated, simply unequal


def test_degree_and_modes():
    op = a.dag() * b.dag() * d + 2 * a
    assert op.degree == 3
    assert {str(m) for m in op.modes} == {"a", "b", "d"}
    assert (a * a.dag()).degree == 2


# ----------------------------------------------------------------------------- random words vs JW
letters = st.tuples(st.integers(0, N - 1), st.booleans())
coefficients = st.complex_numbers(max_magnitude=2, allow_nan=False, allow_infinity=False).map(
    lambda z: complex(round(z.real * 8) / 8, round(z.imag * 8) / 8)
)  # dyadic: exact in SymPy and NumPy
polynomials = st.lists(st.tuples(coefficients, st.lists(letters, max_size=4)), min_size=1, max_size=4)


def build(poly) -> FermionOperator:
    out = 0 * a
    for cf, word in poly:
        term = FermionOperator({(): sp.Integer(1)}) * cf
        for i, dag in word:
            term = term * (modes[i].dag() if dag else modes[i])
        out = out + term
    return out


@settings(max_examples=15, deadline=None, database=None)
@given(polynomials, polynomials)
def test_algebra_matches_jordan_wigner(p, q):
    A, B = build(p), build(q)
    # dyadic coefficients and 8 x 8 matrices with entries 0, +-1: products are exact in floats
    assert np.allclose(matrix(A * B), matrix(A) @ matrix(B), rtol=0, atol=1e-12)
    assert np.allclose(matrix(A + B), matrix(A) + matrix(B), rtol=0, atol=1e-12)
    assert np.allclose(matrix(A.dag()), matrix(A).conj().T, rtol=0, atol=1e-12)
    # the normal form is unique: operators are equal iff their matrices are
    assert (A == B) == np.allclose(matrix(A), matrix(B), rtol=0, atol=1e-12)
