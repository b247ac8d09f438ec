"""General isotropic dispersions ``E1(k)``, ``E2(k)`` in d = 1, 2, 3 (numeric side).

The user gives lab-frame band energies (measured from ``mu = 0``) as expression strings in ``k``,
parsed against a whitelist (:func:`keldysh.engine.parse.parse_expression`, never evaluated); :func:`dispersion_funcs` lambdifies them and their first two derivatives through
:mod:`keldysh.paper.build` (cached).  :func:`isotropic_features` locates the resonant surface
``eps(k0) = E2 - E1 - omega0 = 0`` and the zeros of ``E = E1 + E2`` (Sect. II.B.1) so the
momentum quadrature can resolve them, and :func:`near_resonance_model` Taylor-expands the
rotating-frame dispersions at ``k0`` into the paper's ``v_{1,2}``, ``kappa_{1,2}`` with
``N0 = S_d k0^(d-1) / ((2 pi)^d |v_-|)`` (Eq. (19)), for comparison with the closed forms.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
from scipy.optimize import brentq, minimize_scalar

from keldysh.engine.parse import parse_expression
from keldysh.errors import ParameterError

__all__ = ["dispersion_funcs", "isotropic_energies", "isotropic_features", "resonances", "near_resonance_model"]


def dispersion_funcs(E1: str, E2: str) -> Callable:
    """Callable ``k -> (E1, E2, E1', E2', E1'', E2'')`` for the given expressions (cached)."""
    from keldysh.paper.build import lambdified

    def expr():
        import sympy as sp

        from keldysh.paper import symbols as S

        out = []
        for txt, name in ((E1, "E1"), (E2, "E2")):
            e = parse_expression(txt, {"k": S.k}, param=name)  # whitelist parser: never evaluates
            extra = e.free_symbols - {S.k}
            if extra:
                raise ParameterError(name, f"may only depend on k (found {', '.join(map(str, extra))})")
            out.append(e)
        d1 = [sp.diff(e, S.k) for e in out]
        d2 = [sp.diff(e, S.k, 2) for e in out]
        return [out[0], out[1], d1[0], d1[1], d2[0], d2[1]]

    def args():
        from keldysh.paper import symbols as S

        return (S.k,)

    fn = lambdified(f"dispersion[{E1}|{E2}]", expr, args)

    def vec(k):
        k = np.asarray(k, dtype=float)
        with np.errstate(all="ignore"):  # a pole (1/k at k = 0) gives inf: judged where the values are used
            vals = fn(k)
        out = []
        for i, v in enumerate(vals):
            v = np.asarray(v)
            if np.iscomplexobj(v):  # e.g. sqrt(-1): a complex energy is no band
                if np.any(v.imag[np.isfinite(v.imag)] != 0):
                    raise ParameterError(("E1", "E2")[i % 2], "must be real on [0, kmax]")
                v = v.real
            out.append(np.broadcast_to(v.astype(float), k.shape))
        return out

    return vec


def isotropic_energies(model: Any, k: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lab-frame ``E1(k), E2(k)`` on the nodes (validated finite)."""
    with np.errstate(all="ignore"):
        E1, E2, *_ = dispersion_funcs(model.E1, model.E2)(k)
    for name, E in (("E1", E1), ("E2", E2)):
        if not np.all(np.isfinite(E)):
            raise ParameterError(name, "is not finite on [0, kmax]")
    return E1, E2


def _roots(f: Callable, a: float, b: float, n: int = 4001) -> list[float]:
    ks = np.linspace(a, b, n)
    v = f(ks)
    out = []
    for i in np.nonzero(np.sign(v[:-1]) * np.sign(v[1:]) <= 0)[0]:
        if v[i] == 0:
            out.append(float(ks[i]))
        elif v[i + 1] != 0:
            out.append(brentq(f, ks[i], ks[i + 1], xtol=1e-15))
    # tangential zeros: local minima of |f| that nearly touch 0
    av = np.abs(v)
    scale = np.max(av) if np.max(av) > 0 else 1.0
    for i in range(1, n - 1):
        if av[i] <= av[i - 1] and av[i] <= av[i + 1] and av[i] < 1e-6 * scale:
            res = minimize_scalar(
                lambda x: abs(float(f(np.array(x)))),
                bounds=(ks[i - 1], ks[i + 1]),
                method="bounded",
                options={"xatol": 1e-14},
            )
            out.append(float(res.x))
    return sorted(set(round(r, 14) for r in out))


def resonances(model: Any) -> list[float]:
    """Radii ``k0`` of the resonant surface ``E2(k0) - E1(k0) = omega0`` in ``[0, kmax]``."""
    fns = dispersion_funcs(model.E1, model.E2)
    return _roots(lambda k: fns(k)[1] - fns(k)[0] - model.omega0, 0.0, model.kmax)


def isotropic_features(model: Any) -> list[tuple[float, float]]:
    """``(centre, width)`` features: resonances (``Gamma/|eps'|``, ``Omega/|eps'|``) and zeros of ``E``."""
    fns = dispersion_funcs(model.E1, model.E2)
    G = model.Gamma
    out = []
    for k0 in resonances(model):
        _, _, d1a, d1b, _, _ = (float(np.asarray(x)) for x in fns(np.array(k0)))
        slope = abs(d1b - d1a)
        if slope > 0:
            out.append((k0, G / slope))
            if model.Omega > 0:
                out.append((k0, model.Omega / slope))
    for kz in _roots(lambda k: fns(k)[0] + fns(k)[1], 0.0, model.kmax):
        _, _, d1a, d1b, d2a, d2b = (float(np.asarray(x)) for x in fns(np.array(kz)))
        v, kap = abs(d1a + d1b), abs(d2a + d2b) / 2
        w = min([x for x in (G / v if v > 0 else math.inf, math.sqrt(G / kap) if kap > 0 else math.inf)])
        if math.isfinite(w):
            out.append((kz, w))
    if not out:
        out.append((0.0, model.kmax))
    return out


def near_resonance_model(model: Any, which: int = 0):
    """The paper's near-resonance model Taylor-expanded at a resonance ``k0`` (Sect. II.B.1).

    Returns ``(LaserModel, k0, E(k0))`` with ``v_a = E_a'(k0)``, ``kappa_a = E_a''(k0)/2`` and
    ``N0 = S_d k0^(d-1)/((2 pi)^d |v_-|)``; ``E(k0)`` should vanish for the optimal chemical
    potential (``mu`` halfway between the bands at ``k0``).
    """
    from keldysh.paper.params import LaserModel

    ks = resonances(model)
    if not ks:
        raise ParameterError("omega0", "no resonance E2(k) - E1(k) = omega0 inside [0, kmax]")
    k0 = ks[which]
    E1, E2, d1a, d1b, d2a, d2b = (float(np.asarray(x)) for x in dispersion_funcs(model.E1, model.E2)(np.array(k0)))
    v1, v2, kap1, kap2 = d1a, d1b, d2a / 2, d2b / 2
    S_d = {1: 2.0, 2: 2.0 * math.pi, 3: 4.0 * math.pi}[model.d]
    N0 = S_d * k0 ** (model.d - 1) / (2 * math.pi) ** model.d / abs(v2 - v1)
    return (
        LaserModel(
            v1=v1,
            v2=v2,
            kappa1=kap1,
            kappa2=kap2,
            Omega=model.Omega,
            Gamma1=model.Gamma1,
            Gamma2=model.Gamma2,
            kmax=model.kmax,
            N0=N0,
            name=f"{model.name} near k0 = {k0:.6g}",
        ),
        k0,
        E1 + E2,
    )  # E(k0) = Etilde1 + Etilde2 = E1 + E2 (the omega0/2 shifts cancel)
