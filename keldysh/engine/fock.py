"""Exact Fock-space route: any Lindbladian of a few modes, its steady state and linear response.

The bilinear route of the engine needs a quadratic Lindbladian (quadratic ``H``, linear jumps,
Hermitian quadratic dephasing).  Everything else -- a quadratic jump such as ``c_3^+ c_2`` (a
decay between bands), a quartic ``H`` (a local interaction) -- is treated here exactly, on the
``2^n``-dimensional Fock space of the ``n`` modes.

Conventions
-----------
* Basis state ``b`` (an integer): bit ``i`` of ``b`` is the occupation of mode ``i`` (the mode
  order of the :class:`~keldysh.engine.lindblad.Lindbladian`).  Jordan-Wigner:
  ``c_i |b> = (-1)^{sum_{j<i} b_j} |b - 2^i>`` when bit ``i`` is set.
* Density matrices are vectorised by columns: ``vec(rho)[a + D b] = rho[a, b]`` (``D = 2^n``),
  so ``vec(A rho B) = (B^T kron A) vec(rho)``.
* ``D[L] rho = L rho L^+ - {L^+ L, rho}/2`` with rate ``r`` as in the bilinear route (QuTiP's
  ``c_op = sqrt(r) L``).  Jumps of odd parity act on even density matrices as in QuTiP.

The generator is kept as a sum of *pieces* ``sum_p c_p P_p``: a fixed sparse superoperator
``P_p`` per word of ``H`` and per pair of words of a jump, times a SymPy coefficient ``c_p``
(derived once; :mod:`keldysh.meanfield.fock` compiles the coefficients and evaluates them on
every momentum node).  The steady state is sought in the subspace of Liouville space
reachable from a reference state (:func:`reachable`): conserved quantities -- the parity, the
particle number of a number-conserving model -- then select their sector, and a steady state
that is still not unique there is reported, not guessed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.linalg as sla
import scipy.sparse as sps
import scipy.sparse.linalg as spla
import sympy as sp
from scipy.sparse.csgraph import breadth_first_order

from keldysh.engine.operators import Terms, operator_terms, word_str
from keldysh.errors import ParameterError

__all__ = [
    "MAX_FOCK_MODES",
    "FockSpace",
    "Piece",
    "liouvillian_pieces",
    "reachable",
    "StackedPieces",
    "RestrictedPieces",
    "steady_vectors",
    "FockSteadyState",
    "fock_steady_state",
    "reference_index",
    "SingularNode",
]

#: largest number of modes of the Fock route (``4^n`` Liouville space, kept sparse)
MAX_FOCK_MODES = 10

#: restricted Liouville spaces up to this size are solved densely (batched over nodes)
DENSE_LIMIT = 200


class FockSpace:
    """Jordan-Wigner Fock space of ``n`` modes (sparse CSR operators; see the module docstring)."""

    def __init__(self, n: int) -> None:
        if not 1 <= n <= MAX_FOCK_MODES:
            raise ParameterError("n_modes", f"the Fock route takes 1..{MAX_FOCK_MODES} modes (got {n})")
        self.n = n
        self.dim = 2**n
        b = np.arange(self.dim)
        self.occupation = ((b[:, None] >> np.arange(n)[None, :]) & 1).astype(np.int8)  # (D, n)
        self._ann: list[sps.csr_matrix] = []
        for i in range(n):
            has = np.flatnonzero(self.occupation[:, i])
            sign = (-1.0) ** self.occupation[has, :i].sum(axis=1)
            self._ann.append(sps.csr_matrix((sign, (has - 2**i, has)), shape=(self.dim, self.dim)))
        self._eye = sps.identity(self.dim, format="csr", dtype=float)

    def annihilator(self, i: int) -> sps.csr_matrix:
        """``c_i`` as a sparse matrix."""
        return self._ann[i]

    def word(self, w, index: Mapping[Any, int]) -> sps.csr_matrix:
        """The matrix of a word ``((mode, dagger), ...)`` (letters multiplied left to right)."""
        out = self._eye
        for m, d in w:
            a = self._ann[index[m]]
            out = out @ (a.T.tocsr() if d else a)
        return out.tocsr()

    def operator(self, terms: Terms, index: Mapping[Any, int], subs: Mapping[sp.Symbol, Any], what: str):
        """The numeric matrix of an operator dict at ``subs`` (complex CSR)."""
        from keldysh.engine.gaussian import _num

        out = sps.csr_matrix((self.dim, self.dim), dtype=complex)
        for w, cf in terms.items():
            out = out + _num(cf, subs, what) * self.word(w, index)
        return out

    def number(self) -> sps.csr_matrix:
        """Total particle number ``Q = sum_i c_i^+ c_i`` (diagonal)."""
        return sps.diags(self.occupation.sum(axis=1).astype(float)).tocsr()

    def basis_state(self, occupied: Iterable[int]) -> int:
        """Index of the basis state with the given modes occupied."""
        return int(sum(2**i for i in set(occupied)))

    def expectation_vector(self, op: sps.spmatrix) -> sps.csr_matrix:
        """Row vector ``f`` with ``<op> = tr(op rho) = f . vec(rho)``."""
        coo = sps.coo_matrix(op)
        # tr(op rho) = sum_{b,a} op[b, a] rho[a, b]; rho[a, b] sits at a + D b
        return sps.csr_matrix(
            (coo.data, (np.zeros_like(coo.row), coo.col + self.dim * coo.row)), shape=(1, self.dim**2)
        )


def _commutator_super(A: sps.spmatrix, eye: sps.spmatrix) -> sps.csr_matrix:
    """``-i [A, .]`` in column-stacked Liouville space."""
    return (-1j * (sps.kron(eye, A) - sps.kron(A.T, eye))).tocsr()


def _dissipator_super(Wi: sps.spmatrix, Wj: sps.spmatrix, eye: sps.spmatrix) -> sps.csr_matrix:
    """``rho -> W_i rho W_j^+ - {W_j^+ W_i, rho}/2`` (the ``(i, j)`` part of ``D[sum a_i W_i]``)."""
    Wjd = Wj.conj().T
    P = Wjd @ Wi
    return (sps.kron(Wjd.T, Wi) - 0.5 * sps.kron(eye, P) - 0.5 * sps.kron(P.T, eye)).tocsr()


@dataclass
class Piece:
    """One term ``coef * P`` of the Liouvillian: ``P`` a sparse superoperator, ``coef`` SymPy.

    ``rate`` marks the diagonal parts ``r |a_i|^2`` of a dissipator, whose sign is the rate's.
    """

    coef: sp.Expr
    P: sps.csr_matrix
    label: str
    rate: bool = False


def liouvillian_pieces(
    space: FockSpace, H: Terms, jumps: Sequence[tuple[sp.Expr, Terms]], index: Mapping[Any, int]
) -> list[Piece]:
    """The Liouvillian ``-i[H, .] + sum_k r_k D[L_k]`` as pieces (see the module docstring).

    A word ``w`` of ``H`` with coefficient ``h_w`` gives ``h_w (-i [w, .])`` (the Hermiticity of
    ``H`` is the sum's); a jump ``L = sum_i a_i w_i`` at rate ``r`` gives
    ``r a_i conj(a_j) (w_i . w_j^+ - {w_j^+ w_i, .}/2)`` for every pair ``(i, j)``.
    """
    eye = space._eye
    pieces: list[Piece] = []
    for w, cf in H.items():
        if len(w) == 0:
            continue  # a c-number commutes
        pieces.append(Piece(cf, _commutator_super(space.word(w, index), eye), f"H: {word_str(w)}"))
    for k, (rate, J) in enumerate(jumps):
        words = [(w, cf) for w, cf in J.items() if len(w)]
        const = J.get((), sp.Integer(0))
        mats = [(space.word(w, index), cf, word_str(w)) for w, cf in words]
        if const != 0:
            mats.append((eye, const, "1"))
        for i, (Wi, ai, li) in enumerate(mats):
            for j, (Wj, aj, lj) in enumerate(mats):
                coef = sp.expand(rate * ai * sp.conjugate(aj))
                if coef != 0:
                    pieces.append(Piece(coef, _dissipator_super(Wi, Wj, eye), f"jump {k}: ({li}, {lj})", rate=i == j))
    return pieces


def reachable(structure: sps.spmatrix, seeds: Iterable[int]) -> np.ndarray:
    """Sorted Liouville indices reachable from ``seeds`` under a superoperator's sparsity pattern.

    ``x -> P x`` moves weight from column ``j`` to every row ``i`` with ``P[i, j] != 0``: a
    breadth-first search on that directed graph from each seed.  The set is closed under ``P``,
    so the generator restricted to it is exact.
    """
    G = abs(sps.csr_matrix(structure)).T.tocsr()  # edges j -> i
    out: set[int] = set()
    for s in seeds:
        if s in out:
            continue
        out.update(breadth_first_order(G, int(s), directed=True, return_predecessors=False).tolist())
    return np.array(sorted(out), dtype=np.int64)


class StackedPieces:
    """All pieces in one coordinate list ``(piece, row, col, value)``: fast patterns and restrictions."""

    def __init__(self, mats: Sequence[sps.spmatrix]) -> None:
        coo = [sps.coo_matrix(P) for P in mats]
        self.n = len(coo)
        self.shape = coo[0].shape if coo else (0, 0)
        self.pid = np.concatenate([np.full(c.nnz, p, dtype=np.int64) for p, c in enumerate(coo)] or [np.zeros(0, int)])
        self.row = np.concatenate([c.row.astype(np.int64) for c in coo] or [np.zeros(0, int)])
        self.col = np.concatenate([c.col.astype(np.int64) for c in coo] or [np.zeros(0, int)])
        self.val = np.concatenate([c.data.astype(complex) for c in coo] or [np.zeros(0, complex)])

    def structure(self, active: np.ndarray) -> sps.csr_matrix:
        """The sparsity pattern (ones) of the pieces flagged in ``active``."""
        sel = np.asarray(active, dtype=bool)[self.pid] & (self.val != 0)
        ones = np.ones(int(sel.sum()))
        return sps.csr_matrix((ones, (self.row[sel], self.col[sel])), shape=self.shape)

    def restrict(self, R: np.ndarray, n_pieces: int | None = None) -> RestrictedPieces:
        """The first ``n_pieces`` pieces (default all) restricted to the index set ``R``."""
        return RestrictedPieces(self, R, n_pieces)


class RestrictedPieces:
    """The pieces restricted to an index set ``R`` of Liouville space, on one shared sparsity pattern.

    ``data[p]`` holds piece ``p`` on the union pattern ``(rows, cols)`` of all pieces (local
    indices into ``R``), so that a node's generator is ``coefs @ data`` on that pattern.
    """

    def __init__(
        self, mats: Sequence[sps.spmatrix] | StackedPieces, R: np.ndarray, n_pieces: int | None = None
    ) -> None:
        st = mats if isinstance(mats, StackedPieces) else StackedPieces(mats)
        n = st.n if n_pieces is None else n_pieces
        self.R = R
        m = len(R)
        pos = np.full(st.shape[0], -1, dtype=np.int64)
        pos[R] = np.arange(m)
        lr, lc = pos[st.row], pos[st.col]
        sel = (lr >= 0) & (lc >= 0) & (st.pid < n)
        keys_all = lr[sel] * m + lc[sel]
        keys, inv = np.unique(keys_all, return_inverse=True)
        self.rows, self.cols = keys // m, keys % m
        self.data = np.zeros((n, keys.size), dtype=complex)
        np.add.at(self.data, (st.pid[sel], inv), st.val[sel])

    @property
    def size(self) -> int:
        return len(self.R)

    def assemble(self, coefs: np.ndarray) -> np.ndarray:
        """Values on the pattern for coefficient rows ``coefs`` (shape ``(N, n_pieces)``)."""
        return np.asarray(coefs) @ self.data

    def dense(self, values: np.ndarray) -> np.ndarray:
        """``(N, m, m)`` dense generators from pattern values ``(N, nnz)``."""
        out = np.zeros((values.shape[0], self.size, self.size), dtype=complex)
        out[:, self.rows, self.cols] = values
        return out

    def sparse(self, values_row: np.ndarray) -> sps.csc_matrix:
        """The sparse generator of one node."""
        return sps.csc_matrix((values_row, (self.rows, self.cols)), shape=(self.size, self.size))


def _solve_batch(rp: RestrictedPieces, values: np.ndarray, rhs: np.ndarray, what: str) -> np.ndarray:
    """Solve ``A_n x_n = rhs_n`` for every node ``n`` (dense batched or sparse LU per node)."""
    N = values.shape[0]
    if rp.size <= DENSE_LIMIT:
        A = rp.dense(values)
        try:
            return np.linalg.solve(A, rhs[..., None])[..., 0]
        except np.linalg.LinAlgError:
            pass  # find the singular node below for the message
        out = np.empty((N, rp.size), dtype=complex)
        for i in range(N):
            try:
                out[i] = np.linalg.solve(A[i], rhs[i])
            except np.linalg.LinAlgError:
                raise SingularNode(i, what) from None
        return out
    out = np.empty((N, rp.size), dtype=complex)
    for i in range(N):
        try:
            out[i] = spla.splu(rp.sparse(values[i])).solve(rhs[i])
        except RuntimeError:
            raise SingularNode(i, what) from None
    return out


class SingularNode(ValueError):
    """The restricted generator of node ``index`` is singular (``what`` says which problem)."""

    def __init__(self, index: int, what: str) -> None:
        super().__init__(f"node {index}: {what}")
        self.index = index
        self.what = what


def steady_vectors(rp: RestrictedPieces, values: np.ndarray, diag_local: np.ndarray, check: bool = True) -> np.ndarray:
    """Steady states on the restricted space for every node: ``L x = 0``, ``tr x = 1``.

    The trace is a left null vector of every Lindbladian (``tr L rho = 0``), so the row of one
    diagonal element carries no information and is replaced by the trace; the system is then
    regular exactly when the steady state in ``R`` is unique.  ``diag_local`` are the local
    indices of the diagonal elements ``rho[a, a]`` in ``R``.

    Raises
    ------
    SingularNode
        When a node's steady state in ``R`` is not unique (a conserved quantity or an undamped
        coherence within the reachable sector).
    """
    N = values.shape[0]
    r0 = int(diag_local[0])
    vals = values.copy()
    on_r0 = rp.rows == r0
    vals[:, on_r0] = 0.0
    # the trace row: entries (r0, a) for every diagonal a; add them to the pattern if absent
    extra_cols = np.setdiff1d(diag_local, rp.cols[on_r0])
    if extra_cols.size:
        rp2 = _with_entries(rp, r0, extra_cols)
        vals = np.concatenate([vals, np.zeros((N, extra_cols.size), dtype=complex)], axis=1)
    else:
        rp2 = rp
    pos = {(int(r), int(c)): i for i, (r, c) in enumerate(zip(rp2.rows, rp2.cols)) if r == r0}
    for a in diag_local:
        vals[:, pos[(r0, int(a))]] = 1.0
    rhs = np.zeros((N, rp.size), dtype=complex)
    rhs[:, r0] = 1.0
    x = _solve_batch(rp2, vals, rhs, "the steady state reachable from the reference state is not unique")
    if check:
        res = np.abs(_apply(rp, values, x)).max(axis=1, initial=0.0)
        scale = np.abs(values).max(axis=1, initial=0.0) * np.maximum(np.abs(x).max(axis=1), 1.0)
        bad = np.flatnonzero(~np.isfinite(res) | (res > 1e-8 * np.maximum(scale, 1e-300)))
        if bad.size:
            raise SingularNode(int(bad[0]), "the steady state reachable from the reference state is not unique")
    return x


def _with_entries(rp: RestrictedPieces, row: int, cols: np.ndarray) -> RestrictedPieces:
    out = RestrictedPieces.__new__(RestrictedPieces)
    out.R = rp.R
    out.rows = np.concatenate([rp.rows, np.full(cols.size, row)])
    out.cols = np.concatenate([rp.cols, cols])
    out.data = np.concatenate([rp.data, np.zeros((rp.data.shape[0], cols.size), dtype=complex)], axis=1)
    return out


def _apply(rp: RestrictedPieces, values: np.ndarray, x: np.ndarray) -> np.ndarray:
    """``A_n x_n`` for every node (pattern values ``(N, nnz)``)."""
    out = np.zeros_like(x)
    np.add.at(out, (slice(None), rp.rows), values * x[:, rp.cols])
    return out


# ----------------------------------------------------------------------------- one Lindbladian
class FockSteadyState:
    """The exact steady state of a Lindbladian at numeric values (``ss[O]`` for any operator ``O``).

    Attributes
    ----------
    rho : ndarray
        The ``2^n x 2^n`` density matrix (basis of :class:`FockSpace`).
    """

    def __init__(self, lindbladian, space: FockSpace, rho: np.ndarray, subs: Mapping[sp.Symbol, Any]) -> None:
        self.lindbladian = lindbladian
        self.space = space
        self.rho = rho
        self._subs = dict(subs)

    @property
    def density(self) -> np.ndarray:
        """``<c_i^+ c_i>`` for every mode."""
        p = np.real(np.diag(self.rho))
        return self.space.occupation.T.astype(float) @ p

    def __getitem__(self, op: Any):
        from keldysh.engine.gaussian import _hermitian

        terms = operator_terms(op, "observable")
        M = self.space.operator(terms, self.lindbladian.index, self._subs, "observable coefficient")
        val = complex((M @ self.rho).diagonal().sum())
        return float(val.real) if _hermitian(terms) else val

    def __repr__(self) -> str:
        return f"<FockSteadyState: {self.space.n} modes, total density {self.density.sum():.6g}>"


def reference_index(space: FockSpace, lindbladian, reference: Any) -> int:
    """The basis state of ``reference``: ``None`` (the vacuum) or the occupied modes (annihilators)."""
    if reference is None:
        return 0
    if isinstance(reference, (str, bytes)) or not isinstance(reference, Iterable):
        raise ParameterError("reference", "must be a sequence of occupied modes (annihilators from kd.fermions)")
    occ = []
    for k, m in enumerate(reference):
        try:
            t = operator_terms(m, f"reference[{k}]")
        except TypeError:
            t = {}
        if len(t) != 1 or len(next(iter(t))) != 1 or next(iter(t))[0][1]:
            raise ParameterError("reference", f"entry {k} must be an annihilator from kd.fermions")
        mode = next(iter(t))[0][0]
        if mode not in lindbladian.index:
            raise ParameterError("reference", f"mode {mode} is not a mode of this Lindbladian")
        occ.append(lindbladian.index[mode])
    return space.basis_state(occ)


def fock_steady_state(L, values: Mapping[Any, Any], reference: Any = None) -> FockSteadyState:
    """Exact steady state of ``L`` in the sector reachable from ``reference`` (see module docstring).

    Parameters
    ----------
    L : keldysh.Lindbladian
    values : mapping
        Numbers for every free symbol.
    reference : sequence of modes, optional
        The occupied modes of the basis state the sector is reached from (default: the vacuum).

    Raises
    ------
    SteadyStateError
        When the steady state in that sector is not unique.
    """
    from keldysh.engine.gaussian import _num, resolve_values
    from keldysh.engine.lindblad import SteadyStateError

    subs = resolve_values(L, values)
    space = FockSpace(L.n)
    pieces = liouvillian_pieces(space, L.H, L.jumps, L.index)
    coefs = np.array([[_num(p.coef, subs, p.label) for p in pieces]])
    total = sum((c * p.P for c, p in zip(coefs[0], pieces)), sps.csr_matrix((space.dim**2, space.dim**2)))
    b0 = reference_index(space, L, reference)
    R = reachable(total, [b0 + space.dim * b0])
    rp = RestrictedPieces([p.P for p in pieces], R)
    diag_local = np.flatnonzero((R % space.dim) == (R // space.dim))
    try:
        x = steady_vectors(rp, rp.assemble(coefs), diag_local)[0]
    except SingularNode:
        raise SteadyStateError(
            "the steady state reachable from the reference state is not unique (a conserved quantity "
            "or an undamped coherence): choose another reference or add dissipation"
        ) from None
    full = np.zeros(space.dim**2, dtype=complex)
    full[R] = x
    rho = full.reshape(space.dim, space.dim, order="F")
    rho = 0.5 * (rho + rho.conj().T)
    ev = sla.eigvalsh(rho) if space.dim <= 512 else None
    if ev is not None and ev.min() < -1e-8:
        raise SteadyStateError(f"the steady state is not positive (eigenvalue {ev.min():.3g}): check the rates")
    return FockSteadyState(L, space, rho, subs)
