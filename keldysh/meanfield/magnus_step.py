"""One Magnus step of every node and its parts, shared by the generic and the paper's integrator.

The batched matrix exponential (:func:`expm_batched`), the 2nd/4th-order step of all nodes
(:func:`magnus_step`: compiled by numba for blocks up to :data:`_COMPILED_MAX`, a NumPy twin
otherwise), the cubic Hermite path of ``Delta`` on a step, the error ratio of that path and
Broyden's update of the fixed-point iteration (see :mod:`keldysh.meanfield.magnus`).
"""

from __future__ import annotations

import math

import numpy as np

from keldysh._jit import first_call_locked

__all__ = ["expm_batched", "magnus_step", "magnus_step_numpy"]

_SQ3 = math.sqrt(3.0)
_GAUSS = np.array([0.5 - _SQ3 / 6.0, 0.5 + _SQ3 / 6.0])
_FTOL_FACTOR = 0.2  # fixed-point tolerance of a step, in units of the error scale (paper solver)
_RESCALE = 1e150  # underflow guard of the pairing sector (paper solver)
#: scaling threshold of the exponential here: (1/8)^9/9! = 7e-14 relative truncation per step (the
#: paper solver's 1/4 gives 1e-11, enough for its default rtol 1e-6 but not for rtol 1e-8 here)
_THETA = 0.125
#: largest augmented block (m + 1) advanced by the compiled loop
_COMPILED_MAX = 32

try:  # pragma: no cover - whichever branch is installed
    from numba import njit

    HAVE_NUMBA = True
except Exception:  # pragma: no cover
    HAVE_NUMBA = False

# ----------------------------------------------------------------------------- matrix exponential
_TAYLOR = [1.0 / math.factorial(j) for j in range(9)]


def expm_batched(A: np.ndarray, theta: float = 0.25, per_matrix: bool = False) -> np.ndarray:
    """``exp(A)`` for a stack of small matrices ``A`` (shape ``(N, n, n)``).

    Scaling and squaring with a degree-8 Taylor polynomial (Paterson-Stockmeyer, 4 matrix
    products): after scaling ``||A / 2^s||_inf <= theta`` (default 1/4) the truncation error is
    ``<= theta^9/9!`` relative (``1e-11`` at 1/4).  One ``s`` serves the whole stack (vectorised);
    ``per_matrix=True``: each matrix its own ``s`` (the squarings masked), for stacks whose norms
    differ by orders of magnitude (fast and slow momentum nodes).
    """
    A = np.asarray(A)
    n = A.shape[-1]
    if per_matrix and A.ndim == 3 and A.shape[0]:
        norms = np.abs(A).sum(axis=-1).max(axis=-1)
        s = np.where(norms > theta, np.ceil(np.log2(np.maximum(norms, 1e-300) / theta)), 0.0).astype(int)
        X = A * (0.5**s)[:, None, None]
    else:
        norm = float(np.abs(A).sum(axis=-1).max()) if A.size else 0.0
        s = max(0, int(math.ceil(math.log2(norm / theta)))) if norm > theta else 0
        X = A / (2.0**s) if s else A
    I = np.eye(n)
    X2 = X @ X
    X3 = X2 @ X
    X4 = X2 @ X2
    c = _TAYLOR
    B0 = c[0] * I + c[1] * X + c[2] * X2 + c[3] * X3
    B1 = c[4] * I + c[5] * X + c[6] * X2 + c[7] * X3 + c[8] * X4
    P = B0 + X4 @ B1
    if isinstance(s, np.ndarray):
        for j in range(int(s.max())):
            idx = np.flatnonzero(s > j)
            if idx.size == s.size:
                P = P @ P
            else:
                P[idx] = P[idx] @ P[idx]
    else:
        for _ in range(s):
            P = P @ P
    return P


# ----------------------------------------------------------------------------- one step of every node
def magnus_step_numpy(A0, Ar, Ai, u, D1: complex, D2: complex, h: float, filt=None) -> np.ndarray:
    """``u1_k = [exp(Om_k)]_{m x (m+1)} [u_k; 1]`` with ``Om_k = h/2 (A_k(D1) + A_k(D2)) + filt_k [A_k(D2), A_k(D1)]``.

    ``filt=None``: no commutator (2nd order).  The exponential per node (:func:`expm_batched`,
    ``per_matrix=True``, scaling threshold ``_THETA``).
    """
    m = u.shape[1]
    A1 = A0 + D1.real * Ar + D1.imag * Ai
    A2 = A0 + D2.real * Ar + D2.imag * Ai
    Om = (0.5 * h) * (A1 + A2)
    if filt is not None:
        Om = Om + filt[:, None, None] * (A2 @ A1 - A1 @ A2)
    P = expm_batched(Om, _THETA, per_matrix=True)
    return np.einsum("kij,kj->ki", P[:, :m, :m], u) + P[:, :m, m]


def _mm(A, B, C):  # pragma: no cover - compiled
    # C = A B for augmented matrices (last row (0, ..., 0, a)): rows 0..m-1 in i-k-j order
    n1 = A.shape[0]
    m = n1 - 1
    for i in range(m):
        for j in range(n1):
            C[i, j] = 0.0
        for k in range(n1):
            a = A[i, k]
            for j in range(n1):
                C[i, j] += a * B[k, j]
    for j in range(n1):
        C[m, j] = A[m, m] * B[m, j]


def _step_loop(A0, Ar, Ai, u, d1r, d1i, d2r, d2i, h, filt, use_comm, theta, out):  # pragma: no cover - compiled
    N, n1 = A0.shape[0], A0.shape[1]
    m = n1 - 1
    A1 = np.empty((n1, n1))
    A2 = np.empty((n1, n1))
    X = np.empty((n1, n1))
    X2 = np.empty((n1, n1))
    X3 = np.empty((n1, n1))
    X4 = np.empty((n1, n1))
    T = np.empty((n1, n1))
    P = np.empty((n1, n1))
    c = (1.0, 1.0, 0.5, 1.0 / 6, 1.0 / 24, 1.0 / 120, 1.0 / 720, 1.0 / 5040, 1.0 / 40320)
    for k in range(N):
        for i in range(n1):
            for j in range(n1):
                A1[i, j] = A0[k, i, j] + d1r * Ar[k, i, j] + d1i * Ai[k, i, j]
                A2[i, j] = A0[k, i, j] + d2r * Ar[k, i, j] + d2i * Ai[k, i, j]
                X[i, j] = 0.5 * h * (A1[i, j] + A2[i, j])
        if use_comm:
            _mm(A2, A1, T)
            _mm(A1, A2, P)
            for i in range(n1):
                for j in range(n1):
                    X[i, j] += filt[k] * (T[i, j] - P[i, j])
        norm = 0.0
        for i in range(n1):
            r = 0.0
            for j in range(n1):
                r += abs(X[i, j])
            norm = max(norm, r)
        s = 0
        if norm > theta:
            s = int(np.ceil(np.log2(norm / theta)))
        sc = 0.5**s
        for i in range(n1):
            for j in range(n1):
                X[i, j] *= sc
        _mm(X, X, X2)
        _mm(X2, X, X3)
        _mm(X2, X2, X4)
        for i in range(n1):
            for j in range(n1):
                dg = 1.0 if i == j else 0.0
                A1[i, j] = c[4] * dg + c[5] * X[i, j] + c[6] * X2[i, j] + c[7] * X3[i, j] + c[8] * X4[i, j]
        _mm(X4, A1, T)
        for i in range(n1):
            for j in range(n1):
                dg = 1.0 if i == j else 0.0
                P[i, j] = c[0] * dg + c[1] * X[i, j] + c[2] * X2[i, j] + c[3] * X3[i, j] + T[i, j]
        for _ in range(s):
            _mm(P, P, T)
            for i in range(n1):
                for j in range(n1):
                    P[i, j] = T[i, j]
        for i in range(m):
            acc = P[i, m]
            for j in range(m):
                acc += P[i, j] * u[k, j]
            out[k, i] = acc
    return out


if HAVE_NUMBA:  # pragma: no cover
    # not inlined: the calls of one small loop nest; inlining only lengthened the compilation (5.0 s -> 3.3 s)
    _mm = njit(cache=True, nogil=True, fastmath=True)(_mm)
    _step_compiled = first_call_locked(njit(cache=True, nogil=True, fastmath=True)(_step_loop), _step_loop)


def magnus_step(A0, Ar, Ai, u, D1: complex, D2: complex, h: float, filt=None, compiled: bool | None = None):
    """:func:`magnus_step_numpy`, by a compiled loop over the nodes for blocks up to ``m + 1 = 32`` (
    NumPy's batched products of ``7 x 7`` matrices spend their time in call overhead); larger
    blocks (BLAS-bound) and a missing numba use the NumPy twin."""
    if compiled is None:
        compiled = A0.shape[-1] <= _COMPILED_MAX
    if not (compiled and HAVE_NUMBA):
        return magnus_step_numpy(A0, Ar, Ai, u, D1, D2, h, filt)
    out = np.empty(u.shape)
    f = np.zeros(u.shape[0]) if filt is None else np.ascontiguousarray(filt, dtype=float)
    return _step_compiled(
        np.ascontiguousarray(A0),
        np.ascontiguousarray(Ar),
        np.ascontiguousarray(Ai),
        np.ascontiguousarray(u),
        D1.real,
        D1.imag,
        D2.real,
        D2.imag,
        float(h),
        f,
        filt is not None,
        _THETA,
        out,
    )


def _hermite(D0: complex, d0: complex, D1: complex, d1: complex, h: float, x) -> np.ndarray:
    """Cubic Hermite path of ``Delta`` on a step of length ``h`` at the fractions ``x`` (a few points per
    call in the integrators' loops: plain complex arithmetic, faster there than array operations)."""
    out = []
    for s in np.atleast_1d(x).tolist():
        s2, s3 = s * s, s * s * s
        out.append(
            (2 * s3 - 3 * s2 + 1) * D0 + (s3 - 2 * s2 + s) * h * d0 + (-2 * s3 + 3 * s2) * D1 + (s3 - s2) * h * d1
        )
    return np.array(out)


def _hermite_deriv(D0: complex, d0: complex, D1: complex, d1: complex, h: float, x) -> np.ndarray:
    """Time derivative of :func:`_hermite`."""
    out = []
    for s in np.atleast_1d(x).tolist():
        s2 = s * s
        out.append(
            ((6 * s2 - 6 * s) * D0 + (-6 * s2 + 6 * s) * D1) / h + (3 * s2 - 4 * s + 1) * d0 + (3 * s2 - 2 * s) * d1
        )
    return np.array(out)


def _path_error_ratio(h: float, hp: float | None) -> float:
    """Error of the cubic Hermite path of ``Delta`` at the Gauss points over the error of the
    extrapolating predictor at the step end: both are ``theta^2 (theta - 1)^2 H^4 |d^4 Delta/dt^4| / 24``
    for their own ``theta`` and ``H`` (``hp``: the previous step; ``None`` on the first step, where the
    Taylor predictor is of lower order and a crude factor 1/4 is used)."""
    if hp is None:
        return 0.25
    the = 1.0 + h / hp
    tg = float(_GAUSS[0])
    return (tg * tg * (1 - tg) ** 2 * h**4) / (the * the * (the - 1) ** 2 * hp**4)


def _broyden_update(Jinv: np.ndarray, dx: np.ndarray, df: np.ndarray) -> None:
    """Broyden's ("good") rank-one update of the inverse Jacobian ``Jinv`` (in place) of the
    fixed-point residual of a Magnus step, from the last change ``dx`` of the unknowns and ``df`` of the
    residual; skipped when the update is singular."""
    v = Jinv @ df
    den = float(dx @ v)
    if den != 0.0 and math.isfinite(den):
        Jinv += np.outer(dx - v, dx @ Jinv) / den
