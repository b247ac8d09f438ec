"""Roots of the paper's gap equation for many couplings at once (numba), with a NumPy twin.

With the populations of Eqs. (10)-(13) the kernel of Eqs. (18)-(19) on the momentum nodes is a
rational function of ``|Delta|^2``, ``g_k = P_k(|Delta|^2) / Q_k(|Delta|^2)`` (the coefficients the
paper solver precomputes per grid), so the gap equation at coupling ``V`` reads

    F_V(d) = 1 + V sum_k w_k P_k(d^2) / Q_k(d^2) = 0 .

:func:`roots` brackets-and-refines one root per coupling by Illinois false position with a
bisection guard, each element until its bracket is narrower than ``2 rtol |d|``: one compiled loop
(numba, ``cache=True``) instead of a Python callback per evaluation.  :func:`roots_numpy` is the
same iteration vectorised over the couplings, the reference of the tests and the fallback without
numba.
"""

from __future__ import annotations

import numpy as np

from keldysh._jit import first_call_locked

__all__ = ["roots", "roots_numpy", "rational_integral", "HAVE_NUMBA"]

try:  # pragma: no cover - exercised by whichever branch is installed
    from numba import njit

    HAVE_NUMBA = True
except Exception:  # pragma: no cover
    HAVE_NUMBA = False

MAXITER = 400


def rational_integral(P: np.ndarray, Q: np.ndarray, w: np.ndarray, d: np.ndarray) -> np.ndarray:
    """``sum_k w_k P_k(d^2)/Q_k(d^2)`` for an array ``d`` (NumPy; ``P``, ``Q``: ``(degree + 1, nodes)``)."""
    d2 = np.asarray(d, dtype=float)[..., None] ** 2
    num = P[-1]
    for c in P[-2::-1]:
        num = num * d2 + c
    den = Q[-1]
    for c in Q[-2::-1]:
        den = den * d2 + c
    return (num / den) @ w


def _integral_loop(P, Q, w, d):  # pragma: no cover - compiled
    d2 = d * d
    s = 0.0
    nP = P.shape[0]
    nQ = Q.shape[0]
    for k in range(w.size):
        num = P[nP - 1, k]
        for j in range(nP - 2, -1, -1):
            num = num * d2 + P[j, k]
        den = Q[nQ - 1, k]
        for j in range(nQ - 2, -1, -1):
            den = den * d2 + Q[j, k]
        s += w[k] * (num / den)
    return s


if HAVE_NUMBA:  # pragma: no cover
    _integral_k = njit(cache=True, nogil=True)(_integral_loop)
else:  # pragma: no cover
    _integral_k = _integral_loop


def _roots_loop(P, Q, w, Vs, lo, hi, flo, fhi, rtol, x, ok):  # pragma: no cover - compiled
    for i in range(Vs.size):
        a = lo[i]
        b = hi[i]
        fa = flo[i]
        fb = fhi[i]
        if fb == 0.0:
            x[i] = b
            ok[i] = True
            continue
        if fa == 0.0:
            x[i] = a
            ok[i] = True
            continue
        ga = fa
        gb = fb
        side = 0
        slow = 0
        done = False
        for _ in range(400):
            if b - a <= 2.0 * rtol * max(abs(a), abs(b)) + 1e-300:
                done = True
                break
            c = b - gb * (b - a) / (gb - ga)
            if not (a < c < b) or slow >= 3:
                c = 0.5 * (a + b)
                bis = True
            else:
                bis = False
            fc = 1.0 + Vs[i] * _integral_k(P, Q, w, c)
            width = b - a
            if fc == 0.0:
                a = c
                b = c
                fa = 0.0
                fb = 0.0
                done = True
                break
            if fc < 0.0:
                if side == -1:
                    gb *= 0.5
                a = c
                fa = fc
                ga = fc
                side = -1
            else:
                if side == 1:
                    ga *= 0.5
                b = c
                fb = fc
                gb = fc
                side = 1
            if bis or b - a <= 0.5 * width:
                slow = 0
            else:
                slow += 1
        x[i] = a if abs(fa) <= abs(fb) else b
        ok[i] = done


if HAVE_NUMBA:  # pragma: no cover
    _roots_compiled = first_call_locked(njit(cache=True, nogil=True)(_roots_loop), _roots_loop)


def roots_numpy(P, Q, w, Vs, lo, hi, flo, fhi, rtol: float) -> tuple[np.ndarray, np.ndarray]:
    """The iteration of :func:`roots` vectorised over the couplings with NumPy (reference and fallback)."""
    Vs = np.asarray(Vs, dtype=float)
    lo, hi, flo, fhi = (np.array(a, dtype=float) for a in (lo, hi, flo, fhi))
    n = Vs.size
    done = (fhi == 0) | (flo == 0)
    side = np.zeros(n, dtype=int)
    slow = np.zeros(n, dtype=int)
    glo, ghi = flo.copy(), fhi.copy()
    for _ in range(MAXITER):
        done |= hi - lo <= 2.0 * rtol * np.maximum(np.abs(lo), np.abs(hi)) + 1e-300
        act = np.flatnonzero(~done)
        if act.size == 0:
            break
        a, b, ga, gb = lo[act], hi[act], glo[act], ghi[act]
        c = b - gb * (b - a) / (gb - ga)
        bis = ~((a < c) & (c < b)) | (slow[act] >= 3)
        c = np.where(bis, 0.5 * (a + b), c)
        fc = 1.0 + Vs[act] * rational_integral(P, Q, w, c)
        zero = fc == 0
        neg = fc < 0
        s = side[act]
        lo[act] = np.where(neg | zero, c, a)
        hi[act] = np.where(neg & ~zero, b, c)
        flo[act] = np.where(neg | zero, fc, flo[act])
        fhi[act] = np.where(neg & ~zero, fhi[act], fc)
        glo[act] = np.where(neg, fc, np.where(s == 1, 0.5 * ga, ga))
        ghi[act] = np.where(neg, np.where(s == -1, 0.5 * gb, gb), fc)
        slow[act] = np.where(bis | (hi[act] - lo[act] <= 0.5 * (b - a)), 0, slow[act] + 1)
        side[act] = np.where(neg, -1, 1)
        done[act[zero]] = True
    x = np.where(np.abs(flo) <= np.abs(fhi), lo, hi)
    return x, done


def roots(P, Q, w, Vs, lo, hi, flo, fhi, rtol: float) -> tuple[np.ndarray, np.ndarray]:
    """Root of ``F_V(d) = 1 + V sum_k w_k P_k(d^2)/Q_k(d^2)`` in ``[lo, hi]`` for every ``V``.

    Parameters
    ----------
    P, Q : ndarray
        Polynomial coefficients in ``d^2`` per node, ``(degree + 1, nodes)``, lowest degree first.
    w : ndarray
        Quadrature weights (measure included).
    Vs, lo, hi, flo, fhi : ndarray
        Couplings, brackets and ``F`` at the brackets (``flo < 0 <= fhi``).
    rtol : float
        Relative width at which a bracket counts as converged.

    Returns
    -------
    x, converged : ndarray
        The end of the final bracket with the smaller ``|F|``; whether the width criterion was met.
    """
    if not HAVE_NUMBA:  # pragma: no cover
        return roots_numpy(P, Q, w, Vs, lo, hi, flo, fhi, rtol)
    n = len(Vs)
    x = np.empty(n)
    ok = np.zeros(n, dtype=np.bool_)
    _roots_compiled(
        np.ascontiguousarray(P, dtype=float),
        np.ascontiguousarray(Q, dtype=float),
        np.ascontiguousarray(w, dtype=float),
        np.ascontiguousarray(Vs, dtype=float),
        np.ascontiguousarray(lo, dtype=float),
        np.ascontiguousarray(hi, dtype=float),
        np.ascontiguousarray(flo, dtype=float),
        np.ascontiguousarray(fhi, dtype=float),
        float(rtol),
        x,
        ok,
    )
    return x, ok
