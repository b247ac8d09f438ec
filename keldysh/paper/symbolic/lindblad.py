"""Equations of motion of fermion bilinears from a Lindblad master equation (paper layer).

A thin view of :class:`keldysh.engine.Lindbladian` with the paper's integer modes and
symbol tables.  For a Hamiltonian that is quadratic in the fermions (pairing terms allowed)
and jump operators that are linear in them, or Hermitian and quadratic (dephasing), the
adjoint Lindblad generator maps bilinears onto bilinears and c-numbers, so the expectation values

    n_ij = <c_i^dagger c_j>,   s_ij = <c_i^dagger c_j^dagger>

obey a closed set of linear equations.  With the dissipator of Eq. (5),
``D[X] rho = X rho X^dagger - {X^dagger X, rho}/2``, the Heisenberg-picture generator is

    dO/dt = i [H, O] + sum_j r_j ( [X_j^dagger, O] X_j + X_j^dagger [O, X_j] ) / 2 .

(The paper's identity after Eq. (6) omits the factor 1/2; see the errata.)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import sympy as sp

from keldysh.engine.lindblad import ClosureError, _check_hamiltonian, classify_jump, heisenberg
from keldysh.engine.operators import as_scalar
from keldysh.paper.symbolic import fermions as F
from keldysh.paper.symbolic.fermions import Operator

__all__ = ["QuadraticLindbladian", "Bilinears", "quadratic_hamiltonian"]


@dataclass
class Bilinears:
    """SymPy symbols for the bilinears of ``n_modes`` fermion modes.

    ``n(i, j) = <c_i^+ c_j>`` (``n(j, i) = conj(n(i, j))``, diagonal real) and
    ``s(i, j) = <c_i^+ c_j^+>`` (``s(j, i) = -s(i, j)``, ``s(i, i) = 0``).
    """

    n_modes: int
    prefix_n: str = "n"
    prefix_s: str = "s"
    _cache: dict = field(default_factory=dict, repr=False)

    def _sym(self, kind: str, i: int, j: int) -> sp.Symbol:
        key = (kind, i, j)
        if key not in self._cache:
            real = kind == "n" and i == j
            pre = self.prefix_n if kind == "n" else self.prefix_s
            self._cache[key] = sp.Symbol(f"{pre}_{i}{j}", real=real) if real else sp.Symbol(f"{pre}_{i}{j}")
        return self._cache[key]

    def n(self, i: int, j: int) -> sp.Expr:
        if i <= j:
            return self._sym("n", i, j)
        return sp.conjugate(self._sym("n", j, i))

    def s(self, i: int, j: int) -> sp.Expr:
        if i == j:
            return sp.Integer(0)
        if i < j:
            return self._sym("s", i, j)
        return -self._sym("s", j, i)

    def expectation(self, op: Operator) -> sp.Expr:
        """``<op>`` for an operator of degree <= 2 (normal-ordered first)."""
        total = sp.Integer(0)
        for word, cf in F.normal_order(op).items():
            if len(word) == 0:
                total += cf
            elif len(word) == 2:
                (i, di), (j, dj) = word
                if di and dj:
                    total += cf * self.s(i, j)
                elif di and not dj:
                    total += cf * self.n(i, j)
                else:  # <c_i c_j> = conj(<c_j^+ c_i^+>)
                    total += cf * sp.conjugate(self.s(j, i))
            else:
                raise ValueError(f"expectation of a word of degree {len(word)} is not a bilinear: {word}")
        return total

    def symbols(self) -> list[sp.Symbol]:
        """The independent symbols ``n_ij`` (i <= j) and ``s_ij`` (i < j)."""
        out = [self._sym("n", i, j) for i in range(self.n_modes) for j in range(i, self.n_modes)]
        out += [self._sym("s", i, j) for i in range(self.n_modes) for j in range(i + 1, self.n_modes)]
        return out


def quadratic_hamiltonian(h: sp.Matrix, g: sp.Matrix | None = None) -> Operator:
    """``H = sum_ij h_ij c_i^+ c_j + sum_{ij} (g_ij c_i^+ c_j^+ + h.c.)/2``.

    ``h`` must be Hermitian; ``g`` (pairing) is antisymmetrised.
    """
    M = h.shape[0]
    H: Operator = {}
    for i in range(M):
        for j in range(M):
            if h[i, j] != 0:
                H = F.add(H, F.scale(F.mul(F.cdag(i), F.c(j)), h[i, j]))
    if g is not None:
        for i in range(M):
            for j in range(M):
                if g[i, j] != 0:
                    term = F.scale(F.mul(F.cdag(i), F.cdag(j)), g[i, j] / 2)
                    H = F.add(H, term, F.dagger(term))
    return F.normal_order(H)


@dataclass
class QuadraticLindbladian:
    """Lindblad generator with a quadratic Hamiltonian and closing jump operators.

    The paper layer's front to :mod:`keldysh.engine.lindblad`: the closure test
    (:func:`~keldysh.engine.lindblad.classify_jump`) and the parity-graded adjoint
    (:func:`~keldysh.engine.lindblad.heisenberg`) are the engine's.

    Parameters
    ----------
    n_modes : int
        Number of fermion modes ``c_0 ... c_{M-1}``.
    H : Operator
        The Hamiltonian (degree <= 2; coefficients may depend on time symbols).
    jumps : sequence of (rate, X)
        Dissipators ``rate * D[X]`` (Eq. (5)) with ``X`` linear in the fermions, or Hermitian
        and quadratic (pure dephasing, Sect. III).
    """

    n_modes: int
    H: Operator
    jumps: Sequence[tuple[sp.Expr, Operator]] = ()

    def __post_init__(self) -> None:
        self.H = F.normal_order(self.H)
        _check_hamiltonian(self.H)
        self.jumps = [(as_scalar(r, "rate"), F.normal_order(X)) for r, X in self.jumps]
        for k, (_, X) in enumerate(self.jumps):
            classify_jump(X, f"jump {k}")

    def adjoint(self, O: Operator) -> Operator:
        """Heisenberg-picture generator acting on ``O`` (normal-ordered; parity-graded)."""
        out = heisenberg(self.H, self.jumps, F.normal_order(O))
        if F.degree(out) > F.degree(F.normal_order(O)) and F.degree(out) > 2:
            raise ClosureError("equation of motion did not close on bilinears")
        return out

    def eom(self, O: Operator, table: Bilinears | None = None) -> sp.Expr:
        """``d<O>/dt`` expressed through the bilinear symbols of ``table``."""
        table = table or Bilinears(self.n_modes)
        return sp.expand(table.expectation(self.adjoint(O)))

    def eom_system(self, observables: Mapping[str, Operator], table: Bilinears | None = None) -> dict[str, sp.Expr]:
        """Equations of motion of several named observables."""
        table = table or Bilinears(self.n_modes)
        return {name: self.eom(op, table) for name, op in observables.items()}
