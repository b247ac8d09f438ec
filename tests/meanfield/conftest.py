"""Shared fixtures: the BCS pair of the mean-field contract, built once, and cached gap solutions.

The model is built exactly as in the usage contract of :class:`keldysh.MeanFieldModel` (checked
line by line in ``test_contract.py``); ``solve`` memoises :func:`keldysh.solve_gap` so that the
modules comparing routes reuse the few solutions they share (a complete solution takes seconds).
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import sympy as sp

import keldysh as kd

#: the contract's parameter point; ``T`` and ``V`` vary in the tests
MU, GAMMA, KMAX = 1.0, 0.01, 2.0
#: a temperature at which the pair is still superconducting for ``V = V_HOT`` (``V_c`` is ~1.28 there)
T_HOT, V_HOT = 0.05, 1.5


@pytest.fixture(scope="session")
def bcs():
    """The contract, as written: symbols, the engine block ``L`` and the ``MeanFieldModel``."""
    k = sp.Symbol("k", real=True)
    mu, G, T, kmax, V = sp.symbols("mu G T k_max V", real=True)
    D = sp.Symbol("Delta")
    ck, cmk = kd.fermions("c_k c_mk")
    xi = k**2 / 2 - mu
    nF = kd.fermi(xi, T)
    H = xi * (ck.dag() * ck + cmk.dag() * cmk) + D * ck.dag() * cmk.dag() + sp.conjugate(D) * cmk * ck
    L = kd.Lindbladian(
        H, jumps=[(2 * G * nF, ck.dag()), (2 * G * (1 - nF), ck), (2 * G * nF, cmk.dag()), (2 * G * (1 - nF), cmk)]
    )
    model = kd.MeanFieldModel(
        L,
        order_parameter=D,
        coupling=V,
        self_consistency=-V * L.mean(cmk * ck),
        momentum=k,
        domain=(0, kmax),
        measure=1 / sp.pi,
    )

    def values(T_value: float = 0.0, **extra):
        return {mu: MU, G: GAMMA, T: T_value, kmax: KMAX, **extra}

    return SimpleNamespace(
        k=k, mu=mu, G=G, T=T, kmax=kmax, V=V, D=D, ck=ck, cmk=cmk, xi=xi, nF=nF, H=H, L=L, model=model, values=values
    )


@pytest.fixture(scope="session")
def solve(bcs):
    """``solve(V=1.0, T=0.0, condition=..., method=..., order=...)``: memoised ``kd.solve_gap``.

    Arguments at their defaults are not passed, so ``solve()`` is the contract's
    ``kd.solve_gap(model, V=1.0, values=vals)`` verbatim.
    """
    cache = {}

    def run(
        V: float = 1.0,
        T: float = 0.0,
        condition: str = "complete",
        method: str = "master",
        order: int = 8,
        G: float = GAMMA,
    ):
        key = (V, T, condition, method, order, G)
        if key not in cache:
            kwargs = {}
            if condition != "complete":
                kwargs["condition"] = condition
            if method != "master":
                kwargs["method"] = method
            if order != 8:
                kwargs["order"] = order
            vals = bcs.values(T)
            vals[bcs.G] = G
            cache[key] = kd.solve_gap(bcs.model, V=V, values=vals, **kwargs)
        return cache[key]

    return run
