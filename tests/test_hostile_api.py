"""Property-based tests of the Python entry points over hostile input.

The contract (issue: hostile input): every public entry point either returns a finite result or
raises :class:`keldysh.ParameterError` whose ``param`` names the offending argument -- never another
exception from deep inside (``AttributeError``, ``OverflowError``, ``ZeroDivisionError``, a SciPy or
NumPy error), never a NaN in a result, never a string evaluated as code.

Entry points: :class:`keldysh.LaserModel` (constructor, ``from_paper``, ``replace``), the paper's gap
solver (``keldysh.solve_gap(..., condition="in-phase")`` and the complete condition's validation),
``keldysh.simulate`` with tiny ``t_max``, ``keldysh.linear_stability``, and the mean-field layer
(``keldysh.MeanFieldModel``, ``keldysh.meanfield.solve_gap``, ``keldysh.meanfield.simulate``) with the
BCS pair of ``keldysh/models/bcs.py``.  Values mix plausible numbers with hostile ones: nan, inf,
-0.0, subnormals, 1e308, integers of hundreds of digits, strings (payloads included), None, bools,
complex numbers, containers.  Examples are derandomized and few (``KELDYSH_HYPOTHESIS_SCALE``
multiplies them for a hunt).
"""

from __future__ import annotations

import json
import math
import os
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import keldysh as kd
from keldysh.errors import ParameterError

SCALE = int(os.environ.get("KELDYSH_HYPOTHESIS_SCALE", "1"))
PAYLOAD = "__import__('os').system('touch PWNED')"


def fast(n: int) -> settings:
    """Derandomized settings with ``n`` examples (times ``KELDYSH_HYPOTHESIS_SCALE``)."""
    return settings(
        max_examples=n * SCALE,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


# ----------------------------------------------------------------------------- strategies
HOSTILE_VALUES = [
    math.nan,
    math.inf,
    -math.inf,
    -0.0,
    0.0,
    1e-320,
    5e-324,
    1e308,
    -1e308,
    10**400,
    -(10**400),
    2**63,
    True,
    False,
    None,
    "",
    "1.5",
    "nan",
    PAYLOAD,
    "ünïcødé",
    1j,
    complex(1.0, 0.0),
    [1.0],
    (),
    {},
    object(),
    np.float64("nan"),
    np.float32(1e-45),
    np.int64(-(2**62)),
    np.array([1.0, 2.0]),
    Fraction(1, 3),
    Decimal("NaN"),
    Decimal("sNaN"),
    Decimal("1e999999"),
]
hostile = st.sampled_from(HOSTILE_VALUES)


def _long(x) -> bool:
    """A finite number > 2 (a run length that is valid but long: the dynamics runs for real)."""
    if isinstance(x, int) and abs(x) > 2**1024:
        return False  # beyond the double range: rejected, not run
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x) and x > 2


#: hostile run lengths (a valid but long ``t_max`` such as 1e308 is a long run, not an error)
HOSTILE_SHORT = st.sampled_from([x for x in HOSTILE_VALUES if not _long(x)])
any_float = st.floats()  # nan, inf, -0.0, subnormals, huge


def value(lo: float, hi: float, *, log: bool = False) -> st.SearchStrategy:
    """Mostly a plausible float in ``[lo, hi]``; else a hostile value or any float."""
    if log:
        plausible = st.floats(min_value=math.log10(lo), max_value=math.log10(hi)).map(lambda e: 10.0**e)
    else:
        plausible = st.floats(min_value=lo, max_value=hi)
    return st.one_of(plausible, plausible, plausible, hostile, any_float)


def _finite_json(obj) -> None:
    """``obj`` serialises to strict JSON (no NaN, no infinity)."""
    json.dumps(obj, allow_nan=False)


def raises_named(param_names: set[str], fn, *args, **kwargs):
    """Call ``fn``; a ParameterError must name one of ``param_names``; any other exception fails the test."""
    try:
        return fn(*args, **kwargs), None
    except ParameterError as exc:
        assert exc.param in param_names, f"ParameterError names {exc.param!r}, expected one of {sorted(param_names)}"
        assert str(exc).startswith(f"{exc.param}:") and "\n" not in str(exc)
        return None, exc


# ----------------------------------------------------------------------------- LaserModel
LASER_FIELDS = {
    "v1": value(-50, 50),
    "v2": value(-50, 50),
    "kappa1": value(-100, 100),
    "kappa2": value(-100, 100),
    "Omega": value(1e-4, 10, log=True),
    "Gamma1": value(1e-5, 1, log=True),
    "Gamma2": value(1e-5, 1, log=True),
    "T": value(0, 0.1),
    "omega0": st.one_of(st.none(), value(0.5, 10)),
    "kmax": value(1e-3, 1, log=True),
    "N0": st.one_of(st.none(), value(1e-3, 1, log=True)),
    "d": st.one_of(st.sampled_from([1, 2, 3]), hostile),
    "E1": st.one_of(st.none(), st.sampled_from(["-k**2/2", PAYLOAD, "zoo", "", "k**2/0"]), hostile),
    "E2": st.one_of(st.none(), st.sampled_from(["k**2/2", PAYLOAD, "x", "1e308*k**2"]), hostile),
}
NUMERIC_FIELDS = ("v1", "v2", "kappa1", "kappa2", "Omega", "Gamma1", "Gamma2", "T", "kmax")


@st.composite
def laser_kwargs(draw) -> dict:
    names = draw(st.lists(st.sampled_from(sorted(LASER_FIELDS)), min_size=1, max_size=4, unique=True))
    return {n: draw(LASER_FIELDS[n], label=n) for n in names}


def _check_laser_model(m: kd.LaserModel) -> None:
    for name in NUMERIC_FIELDS:
        x = getattr(m, name)
        assert type(x) is float and math.isfinite(x), (name, x)
    for name in ("omega0", "N0"):
        x = getattr(m, name)
        assert x is None or (type(x) is float and math.isfinite(x) and x > 0), (name, x)
    assert type(m.d) is int and m.d in (1, 2, 3)
    assert m.Gamma1 > 0 and m.Gamma2 > 0 and m.kmax > 0 and m.Omega >= 0 and m.T >= 0
    _finite_json({k: v for k, v in m.to_dict().items() if k != "N0_eff" or math.isfinite(v)})


@fast(150)
@given(kwargs=laser_kwargs())
def test_laser_model_constructor_property(kwargs, tmp_path, monkeypatch):
    """``LaserModel(**fields)``: a validated model (finite floats) or ParameterError naming a field."""
    monkeypatch.chdir(tmp_path)
    m, _ = raises_named(set(LASER_FIELDS), kd.LaserModel, **kwargs)
    if m is not None:
        _check_laser_model(m)
    assert not (tmp_path / "PWNED").exists()


COMBOS = {
    "v_minus": value(-50, 50),
    "v_plus": value(-5, 5),
    "kappa_plus": value(-100, 100),
    "kappa_minus": value(-100, 100),
    "Omega": value(1e-4, 10, log=True),
    "Gamma": value(1e-5, 1, log=True),
    "gamma2": value(1e-4, 0.999),
    "gamma1": value(1e-4, 0.999),
    "kmax": value(1e-3, 1, log=True),
    "T": value(0, 0.1),
    "omega0": value(0.5, 10),
}


@fast(120)
@given(names=st.lists(st.sampled_from(sorted(COMBOS)), min_size=1, max_size=3, unique=True), data=st.data())
def test_laser_model_replace_and_from_paper_property(names, data):
    """``preset(name).replace(**combos)`` and ``LaserModel.from_paper(**combos)``: the same contract
    (an unknown preset or keyword is named too)."""
    kwargs = {n: data.draw(COMBOS[n], label=n) for n in names}
    if data.draw(st.integers(0, 9), label="unknown keyword") == 0:
        kwargs[data.draw(st.sampled_from(["omega", "gamma", "", PAYLOAD, "Kmax"]), label="keyword")] = 1.0
    name = data.draw(st.one_of(st.sampled_from(sorted(kd.PRESETS)), hostile), label="preset")
    base, _ = raises_named({"preset"}, kd.preset, name)
    if base is None:
        return
    m, _ = raises_named(set(COMBOS) | set(LASER_FIELDS) | set(kwargs), base.replace, **kwargs)
    if m is not None:
        _check_laser_model(m)
    full = {"v_minus": 10.0, "kappa_plus": -50.0, "Omega": 0.5, "Gamma": 0.01, "gamma2": 1e-3}
    full.update({k: v for k, v in kwargs.items() if k in COMBOS and k != "gamma1"})
    m, _ = raises_named(set(COMBOS) | set(LASER_FIELDS), kd.LaserModel.from_paper, **full)
    if m is not None:
        _check_laser_model(m)


# ----------------------------------------------------------------------------- the paper's gap solver
@st.composite
def valid_laser_models(draw) -> kd.LaserModel:
    """Valid but extreme models: every field within its accepted range (up to 1e6, rates down to 1e-30)."""

    def sym(lo, hi):
        return st.one_of(
            st.just(0.0), st.floats(lo, hi).map(lambda e: 10.0**e), st.floats(lo, hi).map(lambda e: -(10.0**e))
        )

    base = kd.preset(draw(st.sampled_from(sorted(kd.PRESETS))))
    changes = {}
    for name, strat in (
        ("v_minus", sym(-3, 6)),
        ("v_plus", sym(-3, 6)),
        ("kappa_plus", sym(-3, 6)),
        ("Omega", st.one_of(st.just(0.0), st.floats(-6, 6).map(lambda e: 10.0**e))),
        ("Gamma", st.floats(-29, 6).map(lambda e: 10.0**e)),
        ("kmax", st.floats(-8, 6).map(lambda e: 10.0**e)),
    ):
        if draw(st.booleans()):
            changes[name] = draw(strat, label=name)
    if not changes:
        return base
    try:
        return base.replace(**changes)
    except ParameterError:  # e.g. a rate below 1e-30 for this gamma2: the preset then
        return base


def _check_gap_result(res) -> None:
    assert math.isfinite(res.delta) and res.delta >= 0
    assert res.V_c >= 0 and not math.isnan(res.V_c)
    if res.delta == 0:
        assert res.reason
    _finite_json(res.to_json())


GAP_ARGS = {"model", "V", "method", "order", "rtol", "condition", "grid"}


@fast(40)
@given(
    model=valid_laser_models(),
    V=value(-20, 20),
    method=st.one_of(st.sampled_from(["master", "eq19", "keldysh", "keldysh-eq55"]), hostile),
)
def test_paper_gap_solver_property(model, V, method):
    """``keldysh.solve_gap(model, V, method, condition="in-phase")`` on valid extreme models."""
    res, _ = raises_named(GAP_ARGS, kd.solve_gap, model, V, method, condition="in-phase")
    if res is not None:
        _check_gap_result(res)


FIG4 = kd.preset("fig4")


@fast(40)
@given(
    model=st.one_of(hostile, st.just(FIG4)),
    V=st.one_of(hostile, st.just(5.0)),
    order=st.one_of(st.sampled_from([12, 12, 2]), st.integers(-(10**20), 10**20), hostile),
    rtol=st.one_of(st.just(1e-12), hostile),
    condition=st.one_of(st.sampled_from(["in-phase", "in-phase", "complete"]), hostile),
)
def test_gap_options_property(model, V, order, rtol, condition):
    """Hostile models, couplings and options of ``keldysh.solve_gap``: rejected by name before any
    work (the complete condition too), or a finite result."""
    kwargs = {"order": order, "condition": condition}
    if isinstance(condition, str) and condition == "complete":
        # the complete solve costs seconds: keep a valid call out (an invalid order must stop it first)
        if model is FIG4 and type(V) is float and V == 5.0 and type(order) is int and 2 <= order <= 64:
            kwargs["order"] = 10**9
    else:
        kwargs["rtol"] = rtol
    res, _ = raises_named(GAP_ARGS | {"tol"}, kd.solve_gap, model, V, **kwargs)
    if res is not None:
        _check_gap_result(res)


# ----------------------------------------------------------------------------- dynamics and stability
@fast(25)
@given(
    V=value(-20, 20),
    t_max=st.one_of(st.floats(1e-3, 2.0), HOSTILE_SHORT, any_float.filter(lambda x: not (math.isfinite(x) and x > 2))),
    seed=st.one_of(st.just(1e-3), hostile, st.complex_numbers(max_magnitude=1.0)),
    projection=st.one_of(st.just("eq18"), st.sampled_from(["eq17", "", PAYLOAD])),
    initial=st.one_of(st.none(), st.sampled_from(["pumped", "random", PAYLOAD])),
    order=st.one_of(st.just(2), hostile, st.integers(-5, 5)),
)
def test_simulate_property(V, t_max, seed, projection, initial, order):
    """``keldysh.simulate(preset, V, t_max=...)`` with tiny run lengths and hostile options."""
    names = {"V", "t_max", "seed", "projection", "initial", "order", "options", "model"}
    res, _ = raises_named(
        names,
        kd.simulate,
        kd.preset("fig5"),
        V,
        t_max=t_max,
        seed=seed,
        projection=projection,
        initial=initial,
        options={"order": order},
        progress=False,
    )
    if res is not None:
        assert np.all(np.isfinite(res.Delta)) and math.isfinite(res.delta_final)


@fast(20)
@given(
    model=st.one_of(st.just(FIG4), hostile),
    V=st.one_of(st.just(5.0), hostile, any_float),
    order=st.one_of(st.just(2), st.integers(-3, 3), hostile),
    delta=st.one_of(st.none(), hostile, any_float),
)
def test_linear_stability_property(model, V, order, delta):
    """``keldysh.linear_stability``: the valid calls are few (each is an eigenproblem); hostile ones
    are rejected by name before any work."""
    names = {"model", "V", "order", "delta", "grid"}
    res, _ = raises_named(names, kd.linear_stability, model, V, order=order, delta=delta)
    if res is not None:
        assert math.isfinite(res.growth_rate) and math.isfinite(res.delta)
        _finite_json(res.to_json())


# ----------------------------------------------------------------------------- the mean-field layer
@pytest.fixture(scope="module")
def bcs():
    from keldysh.models import bcs

    return bcs


BCS_VALUES = {
    "mu": value(-1, 2),
    "G": value(1e-3, 0.1, log=True),
    "T": value(0, 0.1),
    "k_max": value(0.5, 3),
}


@fast(30)
@given(
    values=st.fixed_dictionaries({}, optional=BCS_VALUES),
    extra=st.dictionaries(st.sampled_from(["x", "", PAYLOAD, "V", "k", "Delta"]), hostile, max_size=1),
    V=value(0.2, 1.5),
    method=st.one_of(st.sampled_from(["master", "keldysh"]), hostile),
    order=st.one_of(st.just(8), st.just(4), st.integers(-3, 40), hostile),
    tol=st.one_of(st.just(1e-12), hostile),
)
def test_meanfield_solve_gap_property(bcs, values, extra, V, method, order, tol):
    """``keldysh.meanfield.solve_gap`` of the BCS pair (in-phase condition: the complete one shares the
    validation and costs seconds per solve)."""
    from keldysh.meanfield import solve_gap

    model = bcs.bcs_pair_model()
    names = {"model", "V", "values", "condition", "method", "order", "tol", "domain", "jumps", "measure", "H"}
    names |= set(BCS_VALUES) | set(extra)
    res, _ = raises_named(
        names, solve_gap, model, V, {**values, **extra}, condition="in-phase", method=method, order=order, tol=tol
    )
    if res is not None:
        assert math.isfinite(res.delta) and res.delta >= 0 and (res.delta > 0 or res.reason)
        _finite_json(res.to_json())


@fast(15)
@given(
    V=value(0.2, 1.5),
    t_max=st.one_of(st.floats(1e-3, 2.0), HOSTILE_SHORT),
    Delta0=st.one_of(st.none(), hostile, st.complex_numbers(max_magnitude=1.0)),
    samples=st.one_of(st.just(3), st.integers(-2, 5), hostile),
    rtol=st.one_of(st.just(1e-6), hostile),
    order=st.one_of(st.just(2), st.integers(-2, 3), hostile),
)
def test_meanfield_simulate_property(bcs, V, t_max, Delta0, samples, rtol, order):
    """``keldysh.simulate`` of the BCS pair with tiny run lengths."""
    model, vals = bcs.bcs_pair_model(), bcs.bcs_values()
    names = {"model", "V", "values", "t_max", "Delta0", "samples", "rtol", "order"}
    res, _ = raises_named(
        names, kd.simulate, model, V, vals, t_max=t_max, Delta0=Delta0, samples=samples, rtol=rtol, order=order
    )
    if res is not None:
        assert np.all(np.isfinite(res.Delta))


@fast(15)
@given(
    a=st.one_of(st.just(0), hostile),
    b=st.one_of(st.just("kmax"), hostile),
    measure=st.one_of(st.just("1/pi"), hostile),
    points=st.one_of(st.just(()), st.lists(st.one_of(st.floats(0.1, 1.0), hostile), max_size=2).map(tuple)),
)
def test_meanfield_model_numbers_property(bcs, a, b, measure, points, tmp_path, monkeypatch):
    """``keldysh.MeanFieldModel(..., domain=(a, b), measure=..., points=...)``: numbers (or SymPy
    expressions) only -- strings are never parsed -- and a rejected one is named; a model that is
    built solves to a finite answer or a named error."""
    import sympy as sp

    monkeypatch.chdir(tmp_path)
    proto = bcs.bcs_pair_model()
    b = bcs.kmax if isinstance(b, str) and b == "kmax" else b
    measure = 1 / sp.pi if isinstance(measure, str) and measure == "1/pi" else measure
    try:
        model = kd.MeanFieldModel(
            proto.L,
            order_parameter=proto.Delta,
            coupling=proto.V,
            self_consistency=proto.S,
            momentum=proto.k,
            domain=(a, b),
            measure=measure,
            points=points,
        )
    except ParameterError as exc:
        assert exc.param in {"domain", "measure", "points"}
        assert isinstance(exc, TypeError) or isinstance(exc, ValueError)
        return
    res, _ = raises_named(
        # the engine model's own arguments may be named too: H, jumps (e.g. damping lost to rounding)
        {"domain", "measure", "points", "values", "k_max", "H", "jumps", "self_consistency"},
        kd.solve_gap,
        model,
        1.0,
        values=bcs.bcs_values(),
        condition="in-phase",
    )
    if res is not None:
        assert math.isfinite(res.delta) and res.delta >= 0
        _finite_json(res.to_json())
    assert not (tmp_path / "PWNED").exists()
