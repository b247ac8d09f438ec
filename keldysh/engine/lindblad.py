"""The Lindbladian of an open quadratic fermion system: closure test, equations of motion
of bilinears, exact symbolic steady state.

Master equation (QuTiP's, with ``c_op = sqrt(rate) L``)::

    drho/dt = -i [H, rho] + sum_k rate_k ( L_k rho L_k^+ - {L_k^+ L_k, rho}/2 ).

**Parity-graded adjoint.**  For the Heisenberg evolution of an operator ``O`` of definite
fermion parity ``p(O)`` the jump term is ``(-1)^{p(O) p(L)} L^+ O L - {L^+ L, O}/2``.  For even
``O`` (bilinears, expectation values) the sign is ``+1`` and this is the plain adjoint of the
master equation.  For odd ``O`` (``c``, ``c^+``: Green's functions) the sign is what the master
equation of a fermionic system acting on the odd operator ``O rho`` carries (the jump operator
anticommutes past ``O`` when the reservoir is traced out): without it a loss on mode 1 would
damp mode 2 (``D^+[c_1] c_2 = -2 c_2 n_1`` instead of ``0``) and the equations of odd operators
would not even close.  ``docs/engine.md`` derives it and ``tests/engine`` checks it against
QuTiP's Liouvillian spectrum.

**Supported** (the bilinear equations close exactly): Hermitian ``H`` of degree <= 2 with no
odd terms; jumps linear in the fermions (any combination of ``c`` and ``c^+``), or quadratic
and Hermitian up to a c-number (dephasing ``c^+ c``, ``c_1^+ c_2 + c_2^+ c_1``, ...).  Anything
else raises :class:`ClosureError` naming the term -- unless the model is built with
``closure="fock"``: then any even Hermitian ``H`` and any jump of definite parity are accepted
and the numeric steady state is computed exactly in the ``2^n``-dimensional Fock space
(:mod:`keldysh.engine.fock`); the bilinear methods (:meth:`Lindbladian.eom_system`, the exact
steady state, Green's functions) still need the closed class and say so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import sympy as sp

from keldysh.engine import operators as O
from keldysh.engine.operators import FermionOperator, Terms, as_scalar, operator_terms, word_str

__all__ = [
    "Lindbladian",
    "ClosureError",
    "SteadyStateError",
    "Mean",
    "heisenberg",
    "classify_jump",
    "omega",
    "CLOSURES",
]

#: the real frequency symbol of Green's functions
omega = sp.Symbol("omega", real=True)

#: ``"bilinear"``: only models whose bilinear equations close; ``"fock"``: any model, solved in Fock space
CLOSURES = ("bilinear", "fock")


class ClosureError(ValueError):
    """The model is outside the closed (quadratic) class; the message names the term."""


class SteadyStateError(ValueError):
    """The Lindbladian has no unique steady state (or it could not be found)."""


class Mean(sp.Symbol):
    """A symbol standing for an expectation value ``<O>`` (prints as ``<c^+ d>``)."""

    def _latex(self, printer) -> str:
        body = self.name.strip("<>").replace("^+", r"^{\dagger}")
        return r"\langle " + body + r" \rangle"


# ----------------------------------------------------------------------------- structure
def _parity_split(terms: Terms) -> tuple[Terms, Terms]:
    even = {w: c for w, c in terms.items() if len(w) % 2 == 0}
    odd = {w: c for w, c in terms.items() if len(w) % 2 == 1}
    return even, odd


def classify_jump(terms: Terms, label: str = "jump") -> str:
    """``"linear"``, ``"quadratic"`` (Hermitian up to a c-number) or ``"trivial"`` (a c-number).

    Raises
    ------
    ClosureError
        For jumps that mix parities, have terms of degree > 2, or are quadratic but not
        Hermitian up to a constant (their bilinear equations do not close).
    """
    degs = {len(w) for w in terms}
    if not degs or degs == {0}:
        return "trivial"
    if max(degs) > 2:
        w = next(w for w in terms if len(w) > 2)
        raise ClosureError(f"{label}: term {word_str(w)} has degree {len(w)}; jumps must be linear or quadratic")
    if degs == {1}:
        return "linear"
    if 1 in degs:
        w = next(w for w in terms if len(w) == 1)
        raise ClosureError(
            f"{label}: mixes an odd term ({word_str(w)}) with even ones; a jump must have definite fermion parity"
        )
    quad = {w: c for w, c in terms.items() if len(w) == 2}
    diff = O.add(quad, O.scale(O.dagger(quad), -1))
    bad = [w for w, c in O.normal_order(diff).items() if len(w) == 2 and sp.simplify(c) != 0]
    if bad:
        raise ClosureError(
            f"{label}: the quadratic jump is not Hermitian (term {word_str(bad[0])}); only Hermitian quadratic "
            "jumps (dephasing) keep the bilinear equations closed (declare real symbols real=True)"
        )
    return "quadratic"


_FOCK_HINT = " (or pass closure='fock' to solve the model exactly in its Fock space)"


def _check_hamiltonian(terms: Terms, closure: str = "bilinear") -> None:
    for w in terms:
        if len(w) > 2 and closure != "fock":
            raise ClosureError(
                f"H: term {word_str(w)} has degree {len(w)}; H must be quadratic (mean-field decouple it first)"
                + _FOCK_HINT
            )
        if len(w) % 2 == 1:
            raise ClosureError(f"H: term {word_str(w)} is odd in the fermions; H must be even")
    diff = O.normal_order(O.add(terms, O.scale(O.dagger(terms), -1)))
    bad = [w for w, c in diff.items() if sp.simplify(c) != 0]
    if bad:
        raise ClosureError(
            f"H is not Hermitian: term {word_str(bad[0])} lacks its conjugate (declare real symbols real=True)"
        )


def heisenberg(H: Terms, jumps: Sequence[tuple[sp.Expr, Terms]], op: Terms) -> Terms:
    """Parity-graded Heisenberg generator ``dO/dt`` of ``op`` (normal-ordered dict).

    ``i [H, O] + sum_k r_k ( s L_k^+ O L_k - {L_k^+ L_k, O}/2 )`` with ``s = (-1)^{p(O) p(L_k)}``;
    ``op`` of mixed parity is split into its even and odd parts.
    """
    out = O.scale(O.comm(H, op), sp.I)
    parts = [p for p in _parity_split(op) if p]
    for rate, L in jumps:
        Lodd = any(len(w) % 2 for w in L)
        Ld = O.dagger(L)
        LdL = O.mul(Ld, L)
        for part in parts:
            podd = any(len(w) % 2 for w in part)
            sign = -1 if (Lodd and podd) else 1
            term = O.add(
                O.scale(O.mul(Ld, part, L), sign),
                O.scale(O.mul(LdL, part), sp.Rational(-1, 2)),
                O.scale(O.mul(part, LdL), sp.Rational(-1, 2)),
            )
            out = O.add(out, O.scale(term, rate))
    return O.normal_order(out)


# ----------------------------------------------------------------------------- Lindbladian
class Lindbladian:
    """Lindblad generator of an open fermion system with a quadratic Hamiltonian.

    Parameters
    ----------
    H : FermionOperator
        Hermitian Hamiltonian of degree <= 2 (number-conserving and pairing terms; c-numbers
        allowed).  Coefficients are SymPy expressions (declare real symbols ``real=True``).
    jumps : sequence of (rate, L)
        Dissipators ``rate * D[L]``, ``D[L] rho = L rho L^+ - {L^+ L, rho}/2`` (QuTiP's
        ``c_op = sqrt(rate) L``).  ``L`` linear in the fermions, or quadratic and Hermitian up
        to a c-number (dephasing).
    modes : sequence of FermionOperator, optional
        Annihilators fixing the mode order (default: every mode of ``H`` and the jumps in the
        order they were created by :func:`keldysh.fermions`).
    closure : {"bilinear", "fock"}
        ``"bilinear"`` (default): the model must be in the closed class above (else
        :class:`ClosureError`).  ``"fock"``: any even Hermitian ``H`` (e.g. a local
        interaction) and any jump of definite parity (e.g. a decay ``c_3^+ c_2`` between
        bands); numeric steady states are exact in Fock space (at most
        :data:`keldysh.engine.fock.MAX_FOCK_MODES` modes).

    Examples
    --------
    >>> import sympy as sp, keldysh as kd
    >>> eps, gin, gout = sp.symbols("epsilon gamma_in gamma_out", positive=True)
    >>> (c,) = kd.fermions("c")
    >>> L = kd.Lindbladian(eps * c.dag() * c, jumps=[(gin, c.dag()), (gout, c)])
    >>> L.steady_state()[c.dag() * c]
    gamma_in/(gamma_in + gamma_out)
    """

    def __init__(
        self,
        H: Any,
        jumps: Iterable[tuple[Any, Any]] = (),
        modes: Sequence[Any] | None = None,
        closure: str = "bilinear",
    ) -> None:
        if closure not in CLOSURES:
            raise ValueError(f"closure must be one of {CLOSURES} (got {closure!r})")
        self.closure = closure
        self.H: Terms = operator_terms(H, "H")
        _check_hamiltonian(self.H, closure)
        self.jumps: list[tuple[sp.Expr, Terms]] = []
        self.jump_kinds: list[str] = []
        for k, item in enumerate(jumps):
            try:
                rate, L = item
            except (TypeError, ValueError):
                raise TypeError(f"jump {k}: expected a (rate, operator) pair") from None
            rate = as_scalar(rate, f"rate of jump {k}")
            if rate.is_negative or (rate.is_real is False):
                raise ValueError(f"rate of jump {k} must be real and >= 0 (got {rate})")
            terms = operator_terms(L, f"jump {k}")
            label = f"jump {k} ({_op_text(terms)})"
            try:
                kind = classify_jump(terms, label)
            except ClosureError as exc:
                parities = {len(w) % 2 for w in terms if w}
                if closure != "fock" or len(parities) > 1:
                    raise ClosureError(str(exc) + (_FOCK_HINT if len(parities) == 1 else "")) from None
                kind = "general"
            self.jumps.append((rate, terms))
            self.jump_kinds.append(kind)
        self.modes: tuple[Any, ...] = self._mode_order(modes)
        self.index: dict[Any, int] = {m: i for i, m in enumerate(self.modes)}
        names = [str(m) for m in self.modes]
        dup = {n for n in names if names.count(n) > 1}
        if dup:
            raise ValueError(f"two different modes are both named {sorted(dup)[0]!r}: create each mode once")
        self._means: dict[tuple[str, int, int], Mean] = {}
        self._ss_cache: Any | None = None

    # -- modes and bilinears
    def _mode_order(self, modes) -> tuple[Any, ...]:
        found = {m for w in self.H for m, _ in w}
        for _, L in self.jumps:
            found |= {m for w in L for m, _ in w}
        if modes is None:
            return tuple(sorted(found))
        out = []
        for k, m in enumerate(modes):
            t = operator_terms(m, f"modes[{k}]") if isinstance(m, FermionOperator) else {((m, False),): 1}
            if len(t) != 1 or len(next(iter(t))) != 1 or next(iter(t))[0][1]:
                raise TypeError(f"modes[{k}] must be an annihilator from kd.fermions")
            out.append(next(iter(t))[0][0])
        missing = found - set(out)
        if missing:
            raise ValueError(f"modes does not list {sorted(map(str, missing))}")
        return tuple(out)

    @property
    def n(self) -> int:
        """Number of fermion modes."""
        return len(self.modes)

    @property
    def closed(self) -> bool:
        """True when the bilinear equations close (quadratic ``H``; linear or dephasing jumps)."""
        return O.degree(self.H) <= 2 and "general" not in self.jump_kinds

    def _require_closed(self, what: str) -> None:
        if not self.closed:
            w = next((w for w in self.H if len(w) > 2), None)
            cause = (
                f"H has the term {word_str(w)}"
                if w is not None
                else f"jump {self.jump_kinds.index('general')} is neither linear nor Hermitian"
            )
            raise ClosureError(
                f"{what} needs closed bilinear equations, and {cause}; use the Fock route "
                "(steady_state(values=..., reference=...))"
            )

    @property
    def is_gaussian(self) -> bool:
        """True when every jump is linear (the steady state is Gaussian: Wick's theorem holds).

        Green's functions exist also with dephasing (quantum regression closes on linear
        operators), but higher correlators then do not factorise.
        """
        return self.closed and all(k != "quadratic" for k in self.jump_kinds)

    def _sym(self, kind: str, i: int, j: int) -> Mean:
        key = (kind, i, j)
        if key not in self._means:
            a, b = self.modes[i], self.modes[j]
            if kind == "n":
                self._means[key] = Mean(f"<{a}^+ {b}>", real=True) if i == j else Mean(f"<{a}^+ {b}>")
            else:
                self._means[key] = Mean(f"<{a} {b}>")
        return self._means[key]

    def _n(self, i: int, j: int) -> sp.Expr:
        return self._sym("n", i, j) if i <= j else sp.conjugate(self._sym("n", j, i))

    def _a(self, i: int, j: int) -> sp.Expr:
        if i == j:
            return sp.Integer(0)
        return self._sym("a", i, j) if i < j else -self._sym("a", j, i)

    def canonical(self) -> list[tuple[Mean, Terms]]:
        """The independent bilinears: ``<c_i^+ c_j>`` (i <= j) and ``<c_i c_j>`` (i < j), with operators."""
        out = []
        n = self.n
        for i in range(n):
            for j in range(i, n):
                out.append((self._sym("n", i, j), {((self.modes[i], True), (self.modes[j], False)): sp.Integer(1)}))
        for i in range(n):
            for j in range(i + 1, n):
                out.append((self._sym("a", i, j), {((self.modes[i], False), (self.modes[j], False)): sp.Integer(1)}))
        return out

    @property
    def means(self) -> list[Mean]:
        """The symbols of the independent bilinears (see :meth:`canonical`)."""
        return [s for s, _ in self.canonical()]

    def _word_mean(self, w) -> sp.Expr:
        if len(w) == 0:
            return sp.Integer(1)
        if len(w) != 2:
            raise ValueError(f"<{word_str(w)}> is not a bilinear (degree {len(w)})")
        (m1, d1), (m2, d2) = w
        try:
            i, j = self.index[m1], self.index[m2]
        except KeyError as exc:
            raise ValueError(f"mode {exc.args[0]} is not a mode of this Lindbladian") from None
        if d1 and not d2:
            return self._n(i, j)
        if not d1 and not d2:
            return self._a(i, j)
        if d1 and d2:  # <c_i^+ c_j^+> = conj <c_j c_i>
            return sp.conjugate(self._a(j, i))
        raise AssertionError("word not normal-ordered")

    def mean(self, op: Any) -> sp.Expr:
        """``<op>`` for an even operator of degree <= 2, in the symbols :attr:`means` (any order of letters)."""
        terms = operator_terms(op, "observable")
        total = sp.Integer(0)
        for w, cf in terms.items():
            total += cf * self._word_mean(w)
        return total

    # -- dynamics
    def adjoint(self, op: Any) -> FermionOperator:
        """``dO/dt`` in the Heisenberg picture (parity-graded, see the module docstring)."""
        return FermionOperator._wrap(heisenberg(self.H, self.jumps, operator_terms(op, "operator")))

    def eom(self, op: Any) -> sp.Expr:
        """``d<O>/dt`` for an even ``O`` of degree <= 2, in terms of :meth:`mean` symbols."""
        terms = operator_terms(op, "observable")
        if any(len(w) % 2 for w in terms) or O.degree(terms) > 2:
            raise ValueError("eom() takes an even operator of degree <= 2 (use adjoint() for others)")
        res = heisenberg(self.H, self.jumps, terms)
        if O.degree(res) > 2:  # cannot happen for the classified model: a guard, not a check
            raise ClosureError(f"d<O>/dt contains {word_str(max(res, key=len))}")
        return sp.expand(self.mean(FermionOperator._wrap(res)))

    def eom_system(self) -> dict[Mean, sp.Expr]:
        """``{<X>: d<X>/dt}`` for every independent bilinear (:meth:`canonical`)."""
        self._require_closed("eom_system")
        return {
            s: sp.expand(self.mean(FermionOperator._wrap(heisenberg(self.H, self.jumps, op))))
            for s, op in self.canonical()
        }

    # -- steady state
    def steady_state(self, values: Mapping[Any, Any] | None = None, simplify: bool = True, reference: Any = None):
        """The steady state, exact (``values=None``) or numeric.

        Parameters
        ----------
        values : mapping, optional
            ``{symbol or its name: number}`` for every free symbol.  When given, the numeric
            route of :mod:`keldysh.engine.gaussian` is used (covariance matrix and a Lyapunov
            solve; no Fock space, no symbolic algebra); for a model built with
            ``closure="fock"`` the exact Fock-space route of :mod:`keldysh.engine.fock`.
        simplify : bool
            Factor the exact solution (symbolic route only).
        reference : sequence of modes, optional
            Fock route only: the occupied modes of the basis state whose sector (of the
            conserved quantities) holds the steady state; default the vacuum.

        Returns
        -------
        SteadyState, NumericSteadyState or FockSteadyState
            ``ss[O]`` gives ``<O>`` for any bilinear ``O`` (any operator on the Fock route).

        Raises
        ------
        SteadyStateError
            When the steady state is not unique (an undamped mode or a conserved quantity).
        """
        if reference is not None and (values is None or self.closure != "fock"):
            raise ValueError("reference is an argument of the Fock route: closure='fock' and numeric values")
        if values is not None:
            if self.closure == "fock":
                from keldysh.engine.fock import fock_steady_state

                return fock_steady_state(self, values, reference)
            from keldysh.engine.gaussian import numeric_steady_state

            return numeric_steady_state(self, values)
        self._require_closed("the exact steady state")
        if self._ss_cache is None or self._ss_cache[0] != simplify:
            from keldysh.engine.steady import symbolic_steady_state

            self._ss_cache = (simplify, symbolic_steady_state(self, simplify))
        return self._ss_cache[1]

    # -- Green's functions
    def greens(self, w: Any = omega, values: Mapping[Any, Any] | None = None):
        """Nambu ``(G^R, G^A, G^K)`` at frequency ``w`` in the steady state.

        Nambu basis ``Psi = (c_1..c_n, c_1^+..c_n^+)``; ``G^R_ij(t) = -i theta(t) <{Psi_i(t), Psi_j^+}>``,
        ``G^K_ij(t) = -i <[Psi_i(t), Psi_j^+]>``, ``G(w) = int dt e^{iwt} G(t)``, so
        ``G^R = (w - K)^-1``, ``G^A = (G^R)^+`` and ``G^K = G^R F - F G^A`` with
        ``F = <[Psi, Psi^+]>`` (quantum regression).  Symbolic ``2n x 2n`` matrices, or with
        ``values`` NumPy arrays of shape ``w.shape + (2n, 2n)``.
        """
        from keldysh.engine import greens as G

        self._require_closed("greens")
        if values is not None:
            return G.numeric_greens(self, w, values)
        return G.symbolic_greens(self, w)

    def retarded_kernel(self) -> sp.Matrix:
        """``K`` with ``dPsi/dt = -i K Psi`` (derived from the graded adjoint), so ``G^R = (w - K)^-1``."""
        self._require_closed("retarded_kernel")
        from keldysh.engine.greens import retarded_kernel

        return retarded_kernel(self)

    def sigma_keldysh(self) -> sp.Matrix:
        """Keldysh self-energy ``Sigma^K = K F - F K^+`` (frequency independent), so ``G^K = G^R Sigma^K G^A``."""
        self._require_closed("sigma_keldysh")
        from keldysh.engine.greens import sigma_keldysh

        return sigma_keldysh(self)

    # -- numeric data and peers
    def free_symbols(self) -> set:
        """Every free symbol of ``H`` and of the rates and jumps."""
        out = set()
        for cf in self.H.values():
            out |= cf.free_symbols
        for r, L in self.jumps:
            out |= r.free_symbols
            for cf in L.values():
                out |= cf.free_symbols
        return out

    def to_qutip(self, values: Mapping[Any, Any], kind: str = "liouvillian"):
        """QuTiP objects in Jordan-Wigner order of ``qutip.fdestroy(n, i)`` (extra ``peers``).

        ``kind="liouvillian"``: ``qutip.liouvillian(H, c_ops)``; ``"operators"``: ``(H, c_ops)``
        with ``c_op = sqrt(rate) L``.
        """
        from keldysh.engine.qutip import to_qutip

        return to_qutip(self, values, kind)

    def __repr__(self) -> str:
        kinds = ", ".join(f"{k}" for k in self.jump_kinds) or "none"
        tail = "; closure fock" if self.closure == "fock" else ""
        return f"<Lindbladian: {self.n} modes ({', '.join(map(str, self.modes))}); jumps: {kinds}{tail}>"


def _op_text(terms: Terms) -> str:
    txt = repr(FermionOperator._wrap(terms))
    return txt if len(txt) < 80 else txt[:77] + "..."
