"""Invalid input fails loudly, with the offending term or parameter named; caches are never stale.

Closure class of the engine: Hermitian ``H`` of degree <= 2 with no odd terms; jumps linear in
the fermions, or quadratic and Hermitian up to a c-number.  A unique steady state needs every
mode damped and no conserved quantity.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

import keldysh as kd
from keldysh.engine.compile import clear_cache
from keldysh.paper import build

eps = sp.Symbol("epsilon", real=True)
g = sp.Symbol("gamma", positive=True)
c1, c2 = kd.fermions("c1 c2")
(c,) = kd.fermions("c")
n = c.dag() * c


# ----------------------------------------------------------------------------- closure
def test_quartic_hamiltonian_names_the_term():
    with pytest.raises(kd.ClosureError, match=r"c1\^\+ c2\^\+ c1 c2"):  # normal order of c1^+ c2^+ c2 c1
        kd.Lindbladian(c1.dag() * c2.dag() * c2 * c1, jumps=[(g, c1), (g, c2)])


@pytest.mark.parametrize(
    "H",
    [
        sp.Symbol("epsilon_c") * c1.dag() * c1,  # complex symbol: eps - conj(eps) != 0
        1j * c1.dag() * c2,  # lacks its conjugate
        c1.dag() * c2 + 1j * c2.dag() * c1,  # wrong conjugate
    ],
    ids=["complex-symbol", "no-conjugate", "wrong-conjugate"],
)
def test_non_hermitian_hamiltonian(H):
    with pytest.raises(kd.ClosureError, match="not Hermitian"):
        kd.Lindbladian(H, jumps=[(g, c1), (g, c2)])


def test_hermitian_pairing_is_accepted():
    D = sp.Symbol("Delta")
    L = kd.Lindbladian(
        eps * c1.dag() * c1 + D * c1.dag() * c2.dag() + sp.conjugate(D) * c2 * c1, jumps=[(g, c1), (g, c2)]
    )
    assert L.n == 2


def test_linear_term_in_hamiltonian():
    with pytest.raises(kd.ClosureError, match=r"term c1 is odd"):
        kd.Lindbladian(c1.dag() * c1 + c1 + c1.dag(), jumps=[(g, c1)])


def test_non_hermitian_quadratic_jump():
    with pytest.raises(kd.ClosureError, match=r"not Hermitian \(term c1\^\+ c2\)"):
        kd.Lindbladian(eps * c1.dag() * c1, jumps=[(g, c1.dag() * c2)])


def test_mixed_parity_jump():
    with pytest.raises(kd.ClosureError, match="definite fermion parity"):
        kd.Lindbladian(eps * n, jumps=[(g, c + c.dag() * c)])


def test_cubic_jump():
    with pytest.raises(kd.ClosureError, match="degree 3"):
        kd.Lindbladian(eps * c1.dag() * c1, jumps=[(g, c1.dag() * c2.dag() * c1)])


def test_closure_errors_are_value_errors():
    assert issubclass(kd.ClosureError, ValueError) and issubclass(kd.SteadyStateError, ValueError)


# ----------------------------------------------------------------------------- steady state
def test_no_dissipation():
    L = kd.Lindbladian(eps * n)
    with pytest.raises(kd.SteadyStateError):
        L.steady_state()
    with pytest.raises(kd.SteadyStateError, match="damping"):
        L.steady_state(values={eps: 0.7})


def test_pure_dephasing_conserves_populations():
    L = kd.Lindbladian(eps * n, jumps=[(g, n)])
    with pytest.raises(kd.SteadyStateError):
        L.steady_state()
    with pytest.raises(kd.SteadyStateError, match="singular"):
        L.steady_state(values={eps: 0.7, g: 0.3})


def test_pure_dephasing_two_modes():
    L = kd.Lindbladian(eps * (c1.dag() * c2 + c2.dag() * c1), jumps=[(g, c1.dag() * c1), (g, c2.dag() * c2)])
    with pytest.raises(kd.SteadyStateError):
        L.steady_state(values={eps: 0.7, g: 0.3})


def test_undamped_second_mode():
    L = kd.Lindbladian(eps * (c1.dag() * c1 + c2.dag() * c2), jumps=[(g, c1)])
    with pytest.raises(kd.SteadyStateError):
        L.steady_state()
    with pytest.raises(kd.SteadyStateError):
        L.steady_state(values={eps: 0.7, g: 0.3})


@pytest.mark.parametrize("rate", [-0.1, sp.Symbol("r", negative=True), sp.I, 0.1 + 0.2j])
def test_rate_must_be_nonnegative_real(rate):
    with pytest.raises(ValueError, match="rate of jump 0"):
        kd.Lindbladian(eps * n, jumps=[(rate, c)])


def test_negative_value_of_a_real_rate_symbol():
    r = sp.Symbol("r", real=True)
    L = kd.Lindbladian(eps * n, jumps=[(r, c)])
    with pytest.raises(kd.ParameterError, match="rate of jump 0"):
        L.steady_state(values={eps: 0.5, r: -0.2})


def test_missing_value_names_the_symbol():
    L = kd.Lindbladian(eps * n, jumps=[(g, c)])
    with pytest.raises(kd.ParameterError, match="gamma") as info:
        L.steady_state(values={eps: 0.5})
    assert info.value.param == "gamma"
    with pytest.raises(kd.ParameterError) as info:
        L.greens(np.array([0.0]), values={g: 0.5})
    assert info.value.param == "epsilon"


def test_misspelt_or_foreign_parameter():
    L = kd.Lindbladian(eps * n, jumps=[(g, c)])
    with pytest.raises(kd.ParameterError) as info:
        L.steady_state(values={"epsilon": 0.5, "gama": 1.0})
    assert info.value.param == "gama"
    with pytest.raises(kd.ParameterError, match="assumptions") as info:
        L.steady_state(values={eps: 0.5, sp.Symbol("gamma"): 1.0})  # not the model's gamma (positive)
    assert info.value.param == "gamma"


def test_value_violating_assumptions():
    L = kd.Lindbladian(eps * n, jumps=[(g, c)])
    with pytest.raises(kd.ParameterError, match="positive"):
        L.steady_state(values={eps: 0.5, g: -1.0})
    with pytest.raises(kd.ParameterError, match="real"):
        L.steady_state(values={eps: 0.5 + 1j, g: 1.0})
    with pytest.raises(kd.ParameterError, match="finite"):
        L.steady_state(values={eps: np.nan, g: 1.0})


# ----------------------------------------------------------------------------- strings
CODE = "open('evaluated', 'w')"  # would leave a file behind if anything evaluated it


@pytest.mark.parametrize(
    "make",
    [
        lambda: CODE * c,
        lambda: c * CODE,
        lambda: c + CODE,
        lambda: CODE + c,
        lambda: c - CODE,
        lambda: CODE - c,
        lambda: c / CODE,
        lambda: kd.Lindbladian(n, jumps=[(CODE, c)]),
        lambda: kd.Lindbladian(CODE, jumps=[(1, c)]),
        lambda: kd.Lindbladian(n, jumps=[(1, CODE)]),
        lambda: kd.Lindbladian(n, jumps=[(1, c)]).mean(CODE),
        lambda: kd.compile(CODE, [eps]),
        lambda: kd.compile(eps, CODE),
    ],
    ids=["rmul", "mul", "add", "radd", "sub", "rsub", "div", "rate", "H", "jump", "mean", "compile", "compile-args"],
)
def test_strings_are_never_evaluated(make, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(TypeError):
        make()
    assert not (tmp_path / "evaluated").exists()


def test_string_value_is_rejected(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    L = kd.Lindbladian(eps * n, jumps=[(g, c)])
    with pytest.raises(kd.ParameterError):
        L.steady_state(values={eps: CODE, g: 1.0})
    assert not (tmp_path / "evaluated").exists()


def test_mode_names_are_labels_only():
    with pytest.raises(ValueError, match="invalid mode name"):
        kd.fermions("a (b)")
    with pytest.raises(ValueError, match="repeated"):
        kd.fermions("a a")


# ----------------------------------------------------------------------------- caches
x = sp.Symbol("x")


@pytest.fixture
def private_cache(tmp_path, monkeypatch):
    """A private disk cache and an empty memory cache."""
    monkeypatch.setenv("KELDYSH_CACHE_DIR", str(tmp_path))
    clear_cache()
    yield tmp_path
    clear_cache()


def test_compile_is_keyed_by_the_expression(private_cache):
    assert float(kd.compile(x**2, [x])(2.0)) == 4.0
    assert float(kd.compile(x**3, [x])(2.0)) == 8.0
    assert float(kd.compile(x**2, [x])(2.0)) == 4.0


def test_compile_is_keyed_by_assumptions(private_cache):
    xp = sp.Symbol("x", positive=True)
    assert float(kd.compile(sp.Abs(x), [x])(-2.0)) == 2.0
    assert float(kd.compile(sp.Abs(xp), [xp])(-2.0)) == -2.0  # Abs(x) = x for x > 0: a different function


def test_lambdified_with_the_same_name_is_never_stale(private_cache):
    f = build.lambdified("same", lambda: x**2, lambda: [x])
    assert float(f(2.0)) == 4.0
    f = build.lambdified("same", lambda: x**3, lambda: [x])
    assert float(f(2.0)) == 8.0


def test_lambdified_package_closure_is_never_stale(private_cache):
    """A derivation inside the package is keyed by its code *and* its closure values."""

    def derivation(expr):
        fn = lambda: expr  # noqa: E731
        fn.__module__ = "keldysh.example"  # keyed like a derivation inside the package
        return fn

    assert float(build.lambdified("closure", derivation(x**2), lambda: [x])(2.0)) == 4.0
    assert float(build.lambdified("closure", derivation(x**3), lambda: [x])(2.0)) == 8.0


def test_disk_round_trip_is_bitwise(private_cache):
    y = sp.Symbol("y", real=True)
    expr = sp.exp(-(x**2)) * sp.sin(y) / (1 + x**2) + sp.sqrt(1 + x**2 * y**2) * sp.cos(x * y) ** 2
    xs = np.linspace(-3, 3, 101)
    ys = np.linspace(0.1, 2, 101)
    f = kd.compile(expr, [x, y])
    assert not f.from_disk
    assert list(private_cache.glob("*.json"))
    first = np.asarray(f(xs, ys))
    clear_cache()  # memory only: the next call reads the generated code back from disk
    g = kd.compile(expr, [x, y])
    assert g.from_disk
    again = np.asarray(g(xs, ys))
    assert first.dtype == again.dtype and first.tobytes() == again.tobytes()
    assert g.expr == expr and g.args == (x, y)
