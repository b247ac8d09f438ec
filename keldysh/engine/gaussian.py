"""Numeric route: Nambu matrices of a quadratic Lindbladian and its steady state by a
Lyapunov solve (no Fock space, no symbolic algebra per mode pair).

Nambu spinor ``Psi = (c_1..c_n, c_1^+..c_n^+)``, ``tau`` the particle-hole swap
(``Psi^+ = (tau Psi)^T``).  With

* ``H = Psi^+ h Psi / 2 + const`` (``h`` Hermitian, particle-hole symmetric),
* linear jumps ``L_k = sum_a lambda_ka Psi_a``, ``M = sum_k r_k conj(lambda_k) lambda_k^T``,
* Hermitian quadratic jumps ``L_d = Psi^+ l_d Psi / 2 + z_d`` (dephasing),

the parity-graded Heisenberg equations (:func:`keldysh.engine.lindblad.heisenberg`) give
``dPsi/dt = -i K Psi`` with

    K = h + sum_d r_d Im(z_d) l_d - (i/2) (M + tau conj(M) tau) - (i/2) sum_d r_d l_d^2

and the equal-time function ``G = <Psi Psi^+>`` obeys

    dG/dt = -i K G + i G K^+ + M + sum_d r_d l_d G l_d .

Without dephasing the steady state is the Lyapunov equation ``(-iK) G + G (-iK)^+ = -M``.
Both formulas are checked against the symbolic equations of motion in ``tests/engine``.
"""

from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from keldysh.engine.operators import Terms, operator_terms, word_str
from keldysh.errors import ParameterError

__all__ = ["GaussianData", "gaussian_data", "numeric_steady_state", "NumericSteadyState", "resolve_values"]


def resolve_values(L, values: Mapping[Any, Any]) -> dict[sp.Symbol, Any]:
    """``{symbol: number}`` for the free symbols of ``L`` from ``values`` (keys: symbols or their names).

    Symbols that the model does not contain are ignored (one ``values`` may serve several
    models); a *name* that matches no parameter is an error (a typo).  Raises ParameterError for
    non-finite numbers, unknown names, a symbol whose assumptions differ from the model's
    symbol of that name, and missing symbols.
    """
    if not isinstance(values, Mapping):
        raise ParameterError("values", f"must be a mapping {{symbol: number}} (got {type(values).__name__})")
    free = L.free_symbols()
    by_name = {s.name: s for s in free}
    out: dict[sp.Symbol, Any] = {}
    for key, v in values.items():
        if isinstance(key, str):
            sym = by_name.get(key)
            if sym is None:
                known = ", ".join(sorted(by_name)) or "none"
                raise ParameterError(key, f"is not a parameter of this model (parameters: {known})")
        elif isinstance(key, sp.Symbol):
            sym = key
            if sym not in free and sym.name in by_name:
                raise ParameterError(
                    sym.name,
                    "the model's symbol of this name has other assumptions "
                    f"({by_name[sym.name].assumptions0 or 'none'}); pass the model's own symbol or its name",
                )
        else:
            raise ParameterError("values", f"keys must be SymPy symbols or their names (got {key!r})")
        if isinstance(v, sp.Basic):
            if v.free_symbols:
                raise ParameterError(str(sym), f"must be a number (got {v})")
            v = complex(v)
        if isinstance(v, bool) or not isinstance(v, numbers.Number):
            raise ParameterError(str(sym), f"must be a number (got {v!r})")
        z = complex(v)
        if not (math.isfinite(z.real) and math.isfinite(z.imag)):
            raise ParameterError(str(sym), f"must be finite (got {v!r})")
        if sym.is_real and z.imag != 0:
            raise ParameterError(str(sym), f"is declared real (got {v!r})")
        if sym.is_positive and z.real <= 0:
            raise ParameterError(str(sym), f"is declared positive (got {v!r})")
        if sym.is_nonnegative and z.real < 0:
            raise ParameterError(str(sym), f"is declared nonnegative (got {v!r})")
        out[sym] = sp.Float(z.real) if z.imag == 0 else sp.Float(z.real) + sp.I * sp.Float(z.imag)
    missing = sorted(s.name for s in free if s not in out)
    if missing:
        raise ParameterError(missing[0], f"needs a value (missing: {', '.join(missing)})")
    return out


def _num(expr: sp.Expr, subs: Mapping[sp.Symbol, Any], what: str) -> complex:
    if expr.is_Number:
        return complex(expr)
    val = expr.xreplace(subs)
    try:
        z = complex(val)
    except TypeError:
        raise ParameterError(what, f"does not evaluate to a number ({val})") from None
    if not (math.isfinite(z.real) and math.isfinite(z.imag)):
        raise ParameterError(what, f"is not finite at these values ({expr} = {z})")
    return z


def _nambu_index(letter, index: Mapping[Any, int], n: int) -> int:
    m, d = letter
    return index[m] + (n if d else 0)


def bdg_matrix(terms: Terms, index: Mapping[Any, int], n: int, subs, what: str) -> tuple[np.ndarray, complex]:
    """``(h, z)`` with ``terms = Psi^+ h Psi / 2 + z`` for an even operator of degree <= 2."""
    h = np.zeros((2 * n, 2 * n), dtype=complex)
    z = 0j
    for w, cf in terms.items():
        v = _num(cf, subs, what)
        if len(w) == 0:
            z += v
            continue
        (m1, d1), (m2, d2) = w
        i, j = index[m1], index[m2]
        if d1 and not d2:  # c_i^+ c_j
            h[i, j] += v
            h[n + j, n + i] -= v
            if i == j:
                z += v / 2
        elif d1 and d2:  # c_i^+ c_j^+
            h[i, n + j] += v
            h[j, n + i] -= v
        else:  # c_i c_j
            h[n + i, j] += v
            h[n + j, i] -= v
    return h, z


def linear_vector(terms: Terms, index: Mapping[Any, int], n: int, subs, what: str) -> np.ndarray:
    """``lambda`` with ``terms = sum_a lambda_a Psi_a`` for a linear operator."""
    lam = np.zeros(2 * n, dtype=complex)
    for w, cf in terms.items():
        lam[_nambu_index(w[0], index, n)] += _num(cf, subs, what)
    return lam


@dataclass
class GaussianData:
    """Numeric Nambu data of a Lindbladian at one parameter point (see module docstring)."""

    h: np.ndarray
    K: np.ndarray
    M: np.ndarray
    dephasing: list[tuple[float, np.ndarray]]

    @property
    def n(self) -> int:
        return self.h.shape[0] // 2


def gaussian_data(L, values: Mapping[Any, Any], subs: Mapping[sp.Symbol, Any] | None = None) -> GaussianData:
    """Evaluate ``h``, ``K``, ``M`` and the dephasing matrices at ``values`` (``subs``: already resolved)."""
    subs = resolve_values(L, values) if subs is None else subs
    n, index = L.n, L.index
    h, _ = bdg_matrix(L.H, index, n, subs, "H")
    M = np.zeros((2 * n, 2 * n), dtype=complex)
    deph: list[tuple[float, np.ndarray]] = []
    for k, ((rate, J), kind) in enumerate(zip(L.jumps, L.jump_kinds)):
        r = _num(rate, subs, f"rate of jump {k}")
        if abs(r.imag) > 0 or r.real < 0:
            raise ParameterError(f"rate of jump {k}", f"must be real and >= 0 (got {r} from {rate})")
        r = r.real
        if kind == "linear":
            lam = linear_vector(J, index, n, subs, f"jump {k}")
            M += r * np.outer(lam.conj(), lam)
        elif kind == "quadratic":
            ell, z = bdg_matrix(J, index, n, subs, f"jump {k}")
            h = h + r * z.imag * ell
            deph.append((r, ell))
    swap = np.r_[n : 2 * n, 0:n]  # tau X tau permutes rows and columns particle <-> hole
    K = h - 0.5j * (M + M.conj()[np.ix_(swap, swap)])
    for r, ell in deph:
        K = K - 0.5j * r * (ell @ ell)
    return GaussianData(h=h, K=K, M=M, dephasing=deph)


def _tau(n: int) -> np.ndarray:
    """The particle-hole swap ``tau`` (``Psi^+ = (tau Psi)^T``) as a matrix."""
    t = np.zeros((2 * n, 2 * n))
    t[:n, n:] = np.eye(n)
    t[n:, :n] = np.eye(n)
    return t


def _undamped_message(K: np.ndarray) -> str:
    ev = np.linalg.eigvals(K)
    worst = ev[np.argmax(ev.imag)]
    return (
        f"no unique steady state: the single-particle mode with frequency {worst.real:.6g} is undamped "
        f"(decay rate {max(-worst.imag, 0.0) + 0.0:.3g}); every mode needs damping > 0: add a jump that reaches it"
    )


def _check_damped(K: np.ndarray) -> None:
    from keldysh.engine.lindblad import SteadyStateError

    scale = max(1.0, float(np.abs(K).max()))
    ev = np.linalg.eigvals(K)
    if ev.imag.max() > -1e-12 * scale:
        raise SteadyStateError(_undamped_message(K))


def _solve_dephasing(data: GaussianData) -> np.ndarray:
    """Steady ``G`` with dephasing: dense Kronecker LU (small n) or Lyapunov-preconditioned GMRES."""
    import scipy.linalg as sla

    from keldysh.engine.lindblad import SteadyStateError

    K, M = data.K, data.M
    d = K.shape[0]
    if d * d <= 2500:
        I = np.eye(d)
        S = np.kron(I, -1j * K) + np.kron(1j * K.conj(), I)
        for r, ell in data.dephasing:
            S = S + r * np.kron(ell.T, ell)
        with warnings.catch_warnings():  # a singular S is reported below as a SteadyStateError
            warnings.simplefilter("ignore", sla.LinAlgWarning)
            lu, piv = sla.lu_factor(S, check_finite=False)
        piv_abs = np.abs(np.diag(lu))
        if piv_abs.min() <= 1e-11 * piv_abs.max():  # '<=': an all-zero block (1 x 1) is singular too
            raise SteadyStateError(
                "no unique steady state: the bilinear equations are singular "
                "(a conserved quantity, e.g. populations under pure dephasing)"
            )
        g = sla.lu_solve((lu, piv), -M.reshape(-1, order="F"))
        return g.reshape(d, d, order="F")
    import scipy.sparse.linalg as spla

    ev, V = np.linalg.eig(K)
    Vi = np.linalg.inv(V)
    den = -1j * (ev[:, None] - ev.conj()[None, :])

    def lyap(R: np.ndarray) -> np.ndarray:  # -iKY + iYK^+ = R
        Rp = Vi @ R @ Vi.conj().T
        return V @ (Rp / den) @ V.conj().T

    def apply(x: np.ndarray) -> np.ndarray:
        X = x.reshape(d, d)
        acc = sum(r * (ell @ X @ ell) for r, ell in data.dephasing)
        return (X + lyap(acc)).reshape(-1)

    op = spla.LinearOperator((d * d, d * d), matvec=apply, dtype=complex)
    rhs = lyap(-M).reshape(-1)
    x, info = spla.gmres(op, rhs, rtol=1e-12, atol=0.0, restart=60, maxiter=200)
    G = x.reshape(d, d)
    res = -1j * K @ G + 1j * G @ K.conj().T + M + sum(r * (ell @ G @ ell) for r, ell in data.dephasing)
    if info != 0 or np.abs(res).max() > 1e-8 * max(1.0, np.abs(M).max()):
        raise SteadyStateError(
            f"the dephasing steady state did not converge (GMRES info {info}, residual {np.abs(res).max():.2e})"
        )
    return G


def _blocks(data: GaussianData) -> list[np.ndarray]:
    """Index sets of the independent blocks (connected components of ``K``, ``M`` and the dephasing)."""
    from scipy.sparse.csgraph import connected_components

    pattern = (np.abs(data.K) + np.abs(data.M)) > 0
    for _, ell in data.dephasing:
        pattern |= np.abs(ell) > 0
    ncomp, labels = connected_components(pattern, directed=False)
    return [np.flatnonzero(labels == c) for c in range(ncomp)]


def steady_covariance(data: GaussianData) -> np.ndarray:
    """``G = <Psi Psi^+>`` in the steady state (Hermitian ``2n x 2n``).

    Solved block by block: ``G`` vanishes between independent blocks (their cross equations
    are homogeneous and damped).  A block that is the particle-hole image of a solved one is
    not solved again (``G_ab + G_{b'a'} = delta_ab``), so a number-conserving model costs one
    ``n x n`` solve instead of a ``2n x 2n`` one.
    """
    import scipy.linalg as sla

    d = data.K.shape[0]
    n = d // 2
    G = np.zeros((d, d), dtype=complex)
    solved = {}
    for idx in _blocks(data):
        ix = np.ix_(idx, idx)
        mirror = tuple(int(i) for i in np.sort((idx + n) % d))
        if mirror in solved:  # particle-hole image of a solved block: G_ab + G_{b' a'} = delta_ab
            src = solved[mirror]
            pos = {int(i): p for p, i in enumerate(src)}
            order = [pos[int((i + n) % d)] for i in idx]
            G[ix] = np.eye(len(idx)) - G[np.ix_(src, src)][np.ix_(order, order)].T
            continue
        solved[tuple(int(i) for i in idx)] = idx
        sub = GaussianData(
            h=data.h[ix], K=data.K[ix], M=data.M[ix], dephasing=[(r, ell[ix]) for r, ell in data.dephasing]
        )
        _check_damped(sub.K)
        if sub.dephasing:
            G[ix] = _solve_dephasing(sub)
        else:
            G[ix] = sla.solve_continuous_lyapunov(-1j * sub.K, -sub.M)
    return 0.5 * (G + G.conj().T)


class NumericSteadyState:
    """Numeric steady state: ``ss[O]`` is ``<O>`` for any bilinear ``O``.

    Attributes
    ----------
    nambu : ndarray
        ``G = <Psi Psi^+>``, ``Psi = (c_1..c_n, c_1^+..c_n^+)``.
    correlation : ndarray
        ``C_ij = <c_i^+ c_j>``.
    anomalous : ndarray
        ``A_ij = <c_i c_j>``.
    """

    def __init__(self, lindbladian, G: np.ndarray, subs: Mapping[sp.Symbol, Any]) -> None:
        self.lindbladian = lindbladian
        self.nambu = G
        self._subs = dict(subs)
        n = lindbladian.n
        self.correlation = G[n:, n:].copy()
        self.anomalous = G[:n, n:].copy()

    @property
    def density(self) -> np.ndarray:
        """``<c_i^+ c_i>`` for every mode."""
        return self.correlation.diagonal().real.copy()

    def __getitem__(self, op: Any):
        L = self.lindbladian
        terms = operator_terms(op, "observable")
        n = L.n
        total = 0j
        for w, cf in terms.items():
            v = _num(cf, self._subs, "observable coefficient")
            if len(w) == 0:
                total += v
                continue
            if len(w) != 2:
                raise ValueError(f"<{word_str(w)}> is not a bilinear (degree {len(w)})")
            try:
                p = _nambu_index(w[0], L.index, n)
                q = _nambu_index(w[1], L.index, n)
            except KeyError as exc:
                raise ValueError(f"mode {exc.args[0]} is not a mode of this Lindbladian") from None
            qbar = q + n if q < n else q - n
            total += v * self.nambu[p, qbar]
        if _hermitian(terms):
            return float(total.real)
        return complex(total)

    def __repr__(self) -> str:
        n = self.lindbladian.n
        return f"<NumericSteadyState: {n} modes, total density {self.density.sum():.6g}>"


def _hermitian(terms: Terms) -> bool:
    from keldysh.engine.operators import FermionOperator

    return FermionOperator._wrap(terms).is_hermitian()


def numeric_steady_state(L, values: Mapping[Any, Any]) -> NumericSteadyState:
    """Numeric steady state of ``L`` at ``values`` (see module docstring)."""
    subs = resolve_values(L, values)
    G = steady_covariance(gaussian_data(L, values, subs))
    return NumericSteadyState(L, G, subs)
