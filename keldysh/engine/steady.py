"""The exact steady state of the bilinear equations of motion (symbolic route).

The equations ``d<X>/dt = 0`` of every independent bilinear (and of their complex
conjugates, with ``conj(<X>)`` an unknown of its own) form a linear system ``A u = b``.  It
splits into independent blocks (connected components of ``A``); each is solved exactly by LU
over its coefficient field.  A singular block means the steady state is not unique.
"""

from __future__ import annotations

from typing import Any

import sympy as sp

__all__ = ["SteadyState", "symbolic_steady_state", "solve_linear_blocks", "sparsity_blocks"]


class SteadyState:
    """Exact steady state: ``ss[O]`` is ``<O>`` for any bilinear ``O``.

    Attributes
    ----------
    solution : dict
        ``{mean symbol: exact value}`` for the independent bilinears of the Lindbladian.
    """

    def __init__(self, lindbladian, solution: dict[sp.Symbol, sp.Expr]) -> None:
        self.lindbladian = lindbladian
        self.solution = solution
        self._subs = dict(solution)
        for s, v in solution.items():
            if not s.is_real:
                self._subs[sp.conjugate(s)] = sp.conjugate(v)

    def __getitem__(self, op: Any) -> sp.Expr:
        expr = self.lindbladian.mean(op)
        return self.substitute(expr)

    def substitute(self, expr: sp.Expr) -> sp.Expr:
        """Replace every mean symbol (and its conjugate) in ``expr`` by its steady-state value."""
        if not isinstance(expr, sp.Basic):
            raise TypeError(f"substitute: expected a SymPy expression (got {type(expr).__name__})")
        out = expr.xreplace(self._subs)
        return sp.factor(sp.cancel(out)) if out.free_symbols else out

    def items(self):
        return self.solution.items()

    def __repr__(self) -> str:
        nz = sum(1 for v in self.solution.values() if v != 0)
        return f"<SteadyState (exact): {len(self.solution)} bilinears, {nz} nonzero>"


def sparsity_blocks(A: sp.Matrix) -> list[list[int]]:
    """Index sets of the connected components of the nonzero pattern of a square matrix (union-find)."""
    n = A.shape[0]
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for r in range(n):
        for c in range(n):
            if A[r, c] != 0:
                parent[find(c)] = find(r)
    blocks: dict[int, list[int]] = {}
    for i in range(n):
        blocks.setdefault(find(i), []).append(i)
    return list(blocks.values())


def solve_linear_blocks(
    A: sp.Matrix, b: sp.Matrix, unknowns: list[sp.Symbol], what: str = "steady state"
) -> dict[sp.Symbol, sp.Expr]:
    """Solve ``A u = b`` block by block (connected components of the sparsity of ``A``), exactly.

    Raises
    ------
    SteadyStateError
        If a block is singular (the solution is not unique).
    """
    from sympy.polys.matrices import DomainMatrix

    from keldysh.engine.lindblad import SteadyStateError

    sol: dict[sp.Symbol, sp.Expr] = {}
    for idx in sparsity_blocks(A):
        sub = A.extract(idx, idx)
        rhs = b.extract(idx, [0])
        dA, db = DomainMatrix.from_Matrix(sub), DomainMatrix.from_Matrix(rhs)
        K = dA.domain.unify(db.domain)
        K = K if K.is_Field else K.get_field()
        try:
            x = dA.convert_to(K).lu_solve(db.convert_to(K)).to_Matrix()
        except (ZeroDivisionError, ValueError, sp.polys.matrices.exceptions.DMNonInvertibleMatrixError):
            names = ", ".join(_display(unknowns[i]) for i in idx[:4])
            raise SteadyStateError(
                f"no unique {what}: the equations of {names}{' ...' if len(idx) > 4 else ''} are singular "
                "(an undamped mode or a conserved quantity)"
            ) from None
        for i, v in zip(idx, x):
            sol[unknowns[i]] = v
    return sol


def _display(u: sp.Symbol) -> str:
    name = u.name
    return f"conj({name[len('_conj_') :]})" if isinstance(u, sp.Dummy) and name.startswith("_conj_") else name


def symbolic_steady_state(L, simplify: bool = True) -> SteadyState:
    """Exact steady state of the Lindbladian ``L`` (see module docstring)."""
    eqs = L.eom_system()
    unknowns: list[sp.Symbol] = []
    conj_of: dict[sp.Expr, sp.Symbol] = {}
    for s in eqs:
        unknowns.append(s)
    for s in eqs:
        if not s.is_real:
            d = sp.Dummy(f"_conj_{s.name}")
            conj_of[sp.conjugate(s)] = d
            unknowns.append(d)
    rows = []
    for s, rhs in eqs.items():
        rows.append(rhs.xreplace(conj_of))
        if not s.is_real:
            rows.append(sp.expand(sp.conjugate(rhs)).xreplace(conj_of))
    A, b = sp.linear_eq_to_matrix(rows, unknowns)
    raw = solve_linear_blocks(A, b, unknowns)
    out: dict[sp.Symbol, sp.Expr] = {}
    for s in eqs:
        v = raw[s]
        out[s] = sp.factor(sp.cancel(v)) if simplify and v.free_symbols else v
    return SteadyState(L, out)
