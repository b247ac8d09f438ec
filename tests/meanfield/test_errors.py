"""Bad input to the mean-field layer fails early and names what is wrong.

``keldysh.ParameterError`` (a ``ValueError`` with ``.param``) for numbers and options of a
solve; ``ValueError`` for a model the mean-field layer cannot handle.
"""

from __future__ import annotations

import math

import pytest
import sympy as sp

import keldysh as kd


def _param_error(param, fn, *args, **kwargs):
    with pytest.raises(kd.ParameterError) as info:
        fn(*args, **kwargs)
    assert info.value.param == param
    assert str(info.value).startswith(f"{param}:")
    return info.value


# ----------------------------------------------------------------------------- solve_gap inputs
@pytest.mark.parametrize("V", [0, 0.0, math.nan, math.inf, "one"])
def test_bad_coupling(bcs, V):
    _param_error("V", kd.solve_gap, bcs.model, V=V, values=bcs.values())


def test_missing_value_is_named(bcs):
    vals = bcs.values()
    del vals[bcs.mu]
    err = _param_error("mu", kd.solve_gap, bcs.model, V=1.0, values=vals)
    assert "needs a value" in str(err)


def test_unknown_string_key(bcs):
    vals = {**bcs.values(), "m_u": 1.0}
    err = _param_error("m_u", kd.solve_gap, bcs.model, V=1.0, values=vals)
    assert "not a parameter" in str(err) and "mu" in str(err)


def test_string_keys_are_accepted(bcs):
    """The names of the parameters work as keys (a below-threshold call: fast)."""
    r = kd.solve_gap(bcs.model, V=0.5, values={"mu": 1.0, "G": 0.01, "T": 0.0, "k_max": 2.0}, condition="in-phase")
    assert r.delta == 0.0 and "threshold" in r.reason


@pytest.mark.parametrize("value", [math.nan, 1j, "hot"])
def test_non_numeric_value(bcs, value):
    _param_error("T", kd.solve_gap, bcs.model, V=1.0, values={**bcs.values(), bcs.T: value})


def test_negative_temperature(bcs):
    err = _param_error("T", kd.solve_gap, bcs.model, V=1.0, values=bcs.values(-0.01))
    assert "temperature" in str(err)


def test_bad_domain(bcs):
    _param_error("domain", kd.solve_gap, bcs.model, V=1.0, values={**bcs.values(), bcs.kmax: -1.0})


def test_negative_rate(bcs):
    _param_error("jumps", kd.solve_gap, bcs.model, V=1.0, values={**bcs.values(), bcs.G: -0.01})


@pytest.mark.parametrize(
    "kwargs,param",
    [
        (dict(condition="x"), "condition"),
        (dict(condition="in_phase"), "condition"),
        (dict(method="x"), "method"),
        (dict(order=1), "order"),
        (dict(order=8.0), "order"),
    ],
)
def test_bad_options(bcs, kwargs, param):
    _param_error(param, kd.solve_gap, bcs.model, V=1.0, values=bcs.values(), **kwargs)


def test_values_must_be_a_mapping(bcs):
    _param_error("values", kd.solve_gap, bcs.model, V=1.0, values=[1.0, 0.01, 0.0, 2.0])


@pytest.mark.parametrize(
    "kwargs,param",
    [
        (dict(t_max=0.0), "t_max"),
        (dict(t_max=-5.0), "t_max"),
        (dict(t_max=10.0, V=math.nan), "V"),
        (dict(t_max=10.0, samples=1), "samples"),
    ],
)
def test_simulate_bad_input(bcs, kwargs, param):
    kwargs = {"V": 1.0, **kwargs}
    _param_error(param, kd.simulate, bcs.model, values=bcs.values(), **kwargs)


# ----------------------------------------------------------------------------- the model
def _model(bcs, L=None, **over):
    L = bcs.L if L is None else L
    kwargs = dict(
        order_parameter=bcs.D,
        coupling=bcs.V,
        self_consistency=-bcs.V * L.mean(bcs.cmk * bcs.ck),
        momentum=bcs.k,
        domain=(0, bcs.kmax),
        measure=1 / sp.pi,
    )
    kwargs.update(over)
    return kd.MeanFieldModel(L, **kwargs)


def test_self_consistency_without_the_coupling(bcs):
    with pytest.raises(ValueError, match="proportional to the coupling V"):
        _model(bcs, self_consistency=-bcs.L.mean(bcs.cmk * bcs.ck))


def test_self_consistency_quadratic_in_the_coupling(bcs):
    with pytest.raises(ValueError, match="proportional to the coupling V"):
        _model(bcs, self_consistency=-(bcs.V**2) * bcs.L.mean(bcs.cmk * bcs.ck))


def test_self_consistency_without_means(bcs):
    with pytest.raises(ValueError, match="none of the block's means"):
        _model(bcs, self_consistency=-bcs.V * bcs.mu)


def test_self_consistency_with_a_constant_part(bcs):
    with pytest.raises(ValueError, match="without means"):
        _model(bcs, self_consistency=-bcs.V * (bcs.L.mean(bcs.cmk * bcs.ck) + bcs.mu))


def test_momentum_must_be_real(bcs):
    with pytest.raises(ValueError, match="real"):
        _model(bcs, momentum=sp.Symbol("q"))


@pytest.mark.parametrize("name", ["order_parameter", "coupling", "momentum"])
def test_symbols_must_be_symbols(bcs, name):
    with pytest.raises(TypeError, match=name):
        _model(bcs, **{name: sp.Integer(1)})


def test_order_parameter_in_a_number_conserving_term(bcs):
    """Delta in a c^+ c term: the rotating frame would not remove its phase."""
    D, ck = bcs.D, bcs.ck
    H = bcs.H + (D + sp.conjugate(D)) * ck.dag() * ck
    L = kd.Lindbladian(H, jumps=bcs.L.jumps)
    with pytest.raises(ValueError, match="number-conserving"):
        _model(bcs, L=L)


def test_pairing_term_must_carry_the_order_parameter(bcs):
    ck, cmk = bcs.ck, bcs.cmk
    d = sp.Symbol("d", real=True)
    H = bcs.xi * (ck.dag() * ck + cmk.dag() * cmk) + d * ck.dag() * cmk.dag() + d * cmk * ck
    L = kd.Lindbladian(H, jumps=bcs.L.jumps)
    with pytest.raises(ValueError, match="proportional to"):
        _model(bcs, L=L)


def test_jump_without_definite_charge(bcs):
    g = sp.Symbol("g", positive=True)
    L = kd.Lindbladian(bcs.H, jumps=[*bcs.L.jumps, (g, bcs.ck + bcs.cmk.dag())])
    with pytest.raises(ValueError, match="definite charge"):
        _model(bcs, L=L)


def test_keldysh_route_refuses_dephasing(bcs):
    gphi = sp.Symbol("gamma_phi", positive=True)
    L = kd.Lindbladian(bcs.H, jumps=[*bcs.L.jumps, (gphi, bcs.ck.dag() * bcs.ck)])
    model = _model(bcs, L=L)
    vals = {**bcs.values(), gphi: 0.005}
    with pytest.raises(kd.ParameterError, match="keldysh.*dephasing") as info:
        kd.solve_gap(model, V=1.0, values=vals, method="keldysh", condition="in-phase")
    assert info.value.param == "method"  # one line naming the parameter, before any work
    # the master route handles it
    r = kd.solve_gap(model, V=1.0, values=vals, condition="in-phase")
    assert r.converged and 0 < r.delta < kd.solve_gap(bcs.model, V=1.0, values=bcs.values(), condition="in-phase").delta
