"""``MeanFieldModel``: a momentum family of engine Lindbladians closed by a self-consistency.

The user writes one block ``L(k, Delta)`` with the engine (:class:`keldysh.Lindbladian`), the
order parameter ``Delta`` (a complex symbol in ``H``), the coupling ``V`` and the
self-consistency ``Delta = int_domain measure(k) S(k) dk`` with ``S`` linear in the means of
``L`` and in ``V``.  The model derives, once and symbolically, the Nambu data of the block

    h(k) = h_0(k) + Delta h_D(k) + conj(Delta) h_Dbar(k),   M(k),   dephasing (r_d(k), l_d(k)),

the particle-number generator ``Q`` of the block (the frame ``Delta(t) = |Delta| e^{-2 i omega t}``
of a rotating solution: ``H -> H(|Delta|) - omega Q``, the dissipators are invariant) and the
linear functional ``S(G)`` on ``G = <Psi Psi^+>``; then compiles them (:func:`keldysh.compile`)
into NumPy functions of ``(k, parameters)`` evaluated on every momentum node at once.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from keldysh.engine.compile import compile as kd_compile
from keldysh.engine.lindblad import Lindbladian, Mean
from keldysh.engine.operators import as_scalar
from keldysh.errors import ParameterError, ParameterTypeError, shown

__all__ = ["MeanFieldModel", "NodeData"]

#: largest |momentum| of a domain (beyond it double precision no longer resolves the integrand's features)
MAX_MOMENTUM = 1e12


def _scalar(x: Any, what: str) -> sp.Expr:
    """:func:`as_scalar` of a model argument (a number or a SymPy expression, never a string); a number
    must be finite in double precision.  Errors name the argument (:class:`ParameterTypeError`)."""
    try:
        e = as_scalar(x, what)
    except TypeError as exc:
        raise ParameterTypeError(what, str(exc).removeprefix(f"{what} ")) from None
    if not e.free_symbols:
        try:
            z = complex(e)
        except (TypeError, ValueError, OverflowError):
            z = complex(math.nan)
        if not (math.isfinite(z.real) and math.isfinite(z.imag)):
            raise ParameterError(what, f"must be finite in double precision (got {shown(x)})")
        if z.imag != 0:
            raise ParameterError(what, f"must be real (got {shown(x)})")
    return e


def _charge(word) -> int:
    return sum(1 if d else -1 for _, d in word)


def _bdg_symbolic(terms, index: Mapping[Any, int], n: int) -> tuple[sp.Matrix, sp.Expr]:
    """Symbolic ``(h, z)`` with ``terms = Psi^+ h Psi / 2 + z`` (the convention of :mod:`keldysh.engine.gaussian`)."""
    h = sp.zeros(2 * n, 2 * n)
    z = sp.Integer(0)
    for w, cf in terms.items():
        if len(w) == 0:
            z += cf
            continue
        (m1, d1), (m2, d2) = w
        i, j = index[m1], index[m2]
        if d1 and not d2:
            h[i, j] += cf
            h[n + j, n + i] -= cf
            if i == j:
                z += cf / 2
        elif d1 and d2:
            h[i, n + j] += cf
            h[j, n + i] -= cf
        else:
            h[n + i, j] += cf
            h[n + j, i] -= cf
    return h, z


@dataclass
class NodeData:
    """Numeric Nambu data on the momentum nodes (arrays with a leading node axis)."""

    k: np.ndarray
    weight: np.ndarray  # quadrature weight x measure(k)
    h0: np.ndarray
    hD: np.ndarray
    hDb: np.ndarray
    M: np.ndarray
    deph_r: np.ndarray  # (n_deph, Nk)
    deph_l: np.ndarray  # (n_deph, Nk, d, d)
    s_coef: np.ndarray  # (n_terms, Nk) coefficients of S per unit coupling

    @property
    def d(self) -> int:
        return self.h0.shape[-1]


class MeanFieldModel:
    """A mean-field model: an engine block per momentum and a self-consistency.

    Parameters
    ----------
    lindbladian : keldysh.Lindbladian
        The block at momentum ``momentum``; its Hamiltonian contains ``order_parameter`` and its
        conjugate (pairing terms ``Delta c^+ c^+ + conj(Delta) c c``).
    order_parameter : sympy.Symbol
        ``Delta`` (complex).
    coupling : sympy.Symbol
        ``V``; the self-consistency must be linear in it.
    self_consistency : sympy.Expr
        ``S`` in ``Delta = int_domain measure S dk``, linear in the means of the block
        (``L.mean(...)``), e.g. ``-V * L.mean(cmk * ck)``.
    momentum : sympy.Symbol
        ``k`` (real).
    domain : (a, b)
        Integration limits (numbers or expressions in the parameters), ``a < b``.
    measure : sympy.Expr
        Weight of ``dk`` (e.g. ``1/pi`` for ``int_{-kmax}^{kmax} dk/2pi`` of an even integrand).
    points : sequence, optional
        Momenta (numbers or expressions) where the integrand has features the automatic search
        may miss; they become panel boundaries.
    reference : sequence of modes, optional
        Fock route only (:mod:`keldysh.meanfield.fock`): the occupied modes of the basis state
        whose conserved sector holds each node's steady state (default: the vacuum).  Needed when
        the block conserves more than the Nambu route assumes, e.g. the number of electrons per
        momentum of a band model without reservoirs.

    Notes
    -----
    The rotating frame of the complete self-consistency is generated by the block's particle
    number ``Q = sum_i c_i^+ c_i``: the pairing terms must have charge +-2 and every jump a
    definite charge (checked here).

    A block built with ``closure="fock"`` whose bilinear equations do not close (a jump such
    as ``c_3^+ c_2``, a quartic term of ``H``) is solved on the Fock route only
    (``solve_gap(..., method="fock")``, the default for such a model); the Nambu data
    (:meth:`node_data`) then hold only its quadratic part, used to place the quadrature nodes.
    """

    def __init__(
        self,
        lindbladian: Lindbladian,
        order_parameter: sp.Symbol,
        coupling: sp.Symbol,
        self_consistency: sp.Expr,
        momentum: sp.Symbol,
        domain: Sequence[Any],
        measure: Any = 1,
        points: Sequence[Any] = (),
        reference: Sequence[Any] | None = None,
    ) -> None:
        if not isinstance(lindbladian, Lindbladian):
            raise TypeError("MeanFieldModel: lindbladian must be a keldysh.Lindbladian")
        for name, s in (("order_parameter", order_parameter), ("coupling", coupling), ("momentum", momentum)):
            if not isinstance(s, sp.Symbol):
                raise TypeError(f"MeanFieldModel: {name} must be a SymPy symbol")
        if not isinstance(self_consistency, sp.Expr):
            raise TypeError("MeanFieldModel: self_consistency must be a SymPy expression (use L.mean(...))")
        if momentum.is_real is not True:
            raise ValueError("MeanFieldModel: declare the momentum real (sp.Symbol('k', real=True))")
        if isinstance(domain, (str, bytes)) or not isinstance(domain, Sequence) or len(domain) != 2:
            raise ParameterTypeError("domain", f"must be a pair (a, b) (got {shown(domain)})")
        if isinstance(points, (str, bytes)) or not isinstance(points, Sequence):
            raise ParameterTypeError("points", f"must be a sequence of momenta (got {shown(points)})")
        self.L = lindbladian
        self.Delta, self.V, self.k = order_parameter, coupling, momentum
        self.S = sp.expand(self_consistency)
        self.domain = tuple(_scalar(d, "domain") for d in domain)  # numbers or expressions; never strings
        self.measure = _scalar(measure, "measure")
        self.points = tuple(_scalar(p, "points") for p in points)
        self.reference = None if reference is None else tuple(reference)
        self._check_structure()
        self._derive()
        self._compiled: dict[str, Any] | None = None
        self._fock = None
        if self.reference is not None:
            self.fock  # noqa: B018 (validates the reference now)

    @property
    def closed(self) -> bool:
        """True when the block's bilinear equations close (the master, Keldysh and dynamics routes apply)."""
        return self.L.closed

    def require_closed(self, what: str) -> None:
        """Raise :class:`ParameterError` (naming ``what``) when the block is solvable on the Fock route only."""
        if not self.closed:
            try:
                self.L._require_closed(what)
            except ValueError as exc:
                raise ParameterError(
                    what, f"{exc}; this model is solved by solve_gap(..., method='fock') only"
                ) from None

    @property
    def fock(self):
        """The Fock-route data of the block (:class:`keldysh.meanfield.fock.FockNodes`), built on first use."""
        if self._fock is None:
            from keldysh.meanfield.fock import FockNodes

            self._fock = FockNodes(self)
        return self._fock

    # -- structure
    def _check_structure(self) -> None:
        D, Db = self.Delta, sp.conjugate(self.Delta)
        for w, cf in self.L.H.items():
            q = _charge(w)
            plain = sp.expand(cf).xreplace({Db: sp.Dummy("b")}).has(D)
            if q == 0 and (plain or cf.has(Db)):
                raise ValueError(
                    f"MeanFieldModel: the order parameter appears in a number-conserving term "
                    f"({cf}); only pairing order parameters (charge 2) are supported"
                )
            if q == 2 and (cf.has(Db) or not plain):
                raise ValueError(f"MeanFieldModel: the pairing term coefficient must be proportional to {D} (got {cf})")
            if q == -2 and (plain or not cf.has(Db)):
                raise ValueError(
                    f"MeanFieldModel: the anti-pairing coefficient must be proportional to conj({D}) (got {cf})"
                )
        for k, (_, J) in enumerate(self.L.jumps):
            charges = {_charge(w) for w in J if w}
            if len(charges) > 1:
                raise ValueError(
                    f"MeanFieldModel: jump {k} has no definite charge: the rotating frame "
                    "of the complete self-consistency would not be stationary"
                )
        S_V = sp.expand(self.S)
        if S_V.subs(self.V, 0) != 0 or sp.diff(S_V, self.V, 2) != 0:
            raise ValueError("MeanFieldModel: self_consistency must be proportional to the coupling V")
        means = set(self.L.means)
        self.s_unit = sp.expand(S_V / self.V)
        if self.s_unit.has(self.Delta):
            raise ValueError("MeanFieldModel: self_consistency may not contain the order parameter itself")
        if not any(self.s_unit.has(m) for m in means):
            raise ValueError("MeanFieldModel: self_consistency contains none of the block's means (use L.mean(...))")

    def _derive(self) -> None:
        L, n = self.L, self.L.n
        D, Db = self.Delta, sp.conjugate(self.Delta)
        quadratic = {w: cf for w, cf in L.H.items() if len(w) <= 2}  # all of H unless closure="fock"
        h, _ = _bdg_symbolic(quadratic, L.index, n)
        h = h.applyfunc(sp.expand)
        self.hD = h.applyfunc(lambda e: e.coeff(D))
        self.hDb = h.applyfunc(lambda e: e.coeff(Db))
        self.h0 = (h - D * self.hD - Db * self.hDb).applyfunc(sp.expand)
        if any(e.has(D) or e.has(Db) for e in list(self.hD) + list(self.hDb) + list(self.h0)):
            raise ValueError("MeanFieldModel: H must be linear in the order parameter and its conjugate")
        rest = (h - self.h0 - D * self.hD - Db * self.hDb).applyfunc(sp.expand)
        if rest != sp.zeros(2 * n, 2 * n):
            raise ValueError("MeanFieldModel: H must be linear in the order parameter and its conjugate")
        self.Q = sp.diag(*([1] * n + [-1] * n))
        # jumps: linear -> M; quadratic -> dephasing
        M = sp.zeros(2 * n, 2 * n)
        deph: list[tuple[sp.Expr, sp.Matrix]] = []
        for (rate, J), kind in zip(L.jumps, L.jump_kinds):
            if kind == "linear":
                lam = sp.zeros(2 * n, 1)
                for w, cf in J.items():
                    m, d = w[0]
                    lam[L.index[m] + (n if d else 0)] += cf
                M += rate * lam.conjugate() * lam.T
            elif kind == "quadratic":
                ell, z = _bdg_symbolic(J, L.index, n)
                self.h0 = self.h0 + rate * sp.im(z) * ell
                deph.append((rate, ell))
        self.M = M.applyfunc(sp.expand)
        self.dephasing = deph
        # the functional S(G) per unit coupling: sum coef * G[p, q] (conj if flagged)
        terms: list[tuple[sp.Expr, int, int, bool]] = []
        expr = self.s_unit
        for s, op in L.canonical():
            for conj, target in ((False, s), (True, sp.conjugate(s))):
                if s.is_real and conj:
                    continue
                coef = sp.expand(expr).coeff(target)
                if coef != 0:
                    (m1, d1), (m2, d2) = next(iter(op))
                    p = L.index[m1] + (n if d1 else 0)
                    q = L.index[m2] + (n if d2 else 0)
                    qbar = q + n if q < n else q - n
                    terms.append((coef, p, qbar, conj))
                    expr = sp.expand(expr - coef * target)
        if expr.free_symbols & set(L.means) or any(isinstance(a, Mean) for a in expr.atoms(sp.Symbol)):
            raise ValueError("MeanFieldModel: self_consistency must be linear in the means")
        if expr != 0:
            raise ValueError(f"MeanFieldModel: self_consistency has a part without means ({expr})")
        self.s_terms = terms
        means = set(L.means)
        syms = set()
        for e in (
            list(self.h0)
            + list(self.hD)
            + list(self.hDb)
            + list(self.M)
            + [t[0] for t in terms]
            + [self.measure, *self.domain, *self.points]
        ):
            syms |= e.free_symbols
        for r, ell in deph:
            syms |= r.free_symbols | set().union(*[e.free_symbols for e in ell])
        if not L.closed:  # the parts only the Fock route sees
            syms |= L.free_symbols()
        self.parameters = sorted((syms - {self.k, self.Delta, self.V}) - means, key=lambda s: s.name)

    # -- compiled evaluation
    def _compile(self) -> dict[str, Any]:
        if self._compiled is None:
            args = [self.k, *self.parameters]

            def entries(Mx: sp.Matrix):
                idx = [(i, j) for i in range(Mx.rows) for j in range(Mx.cols) if Mx[i, j] != 0]
                return idx, (kd_compile([Mx[i, j] for i, j in idx], args) if idx else None)

            c = {name: entries(getattr(self, name)) for name in ("h0", "hD", "hDb", "M")}
            c["deph"] = [(kd_compile(r, args), entries(ell)) for r, ell in self.dephasing]
            c["s"] = kd_compile([t[0] for t in self.s_terms], args)
            c["measure"] = kd_compile(self.measure, args)
            self._compiled = c
        return self._compiled

    def resolve(self, values: Mapping[Any, Any]) -> dict[sp.Symbol, float]:
        """Numeric values of :attr:`parameters` from ``values`` (keys: symbols or names); validated."""
        if not isinstance(values, Mapping):
            raise ParameterError("values", "must be a mapping {symbol: number}")
        by_name = {s.name: s for s in self.parameters}
        out: dict[sp.Symbol, float] = {}
        for key, v in values.items():
            sym = by_name.get(key) if isinstance(key, str) else key
            if isinstance(key, str) and sym is None:
                raise ParameterError(key, f"is not a parameter of this model ({', '.join(sorted(by_name)) or 'none'})")
            if sym not in self.parameters:
                continue
            try:
                x = complex(v)
            except (TypeError, ValueError, OverflowError, ArithmeticError):
                raise ParameterError(sym.name, f"must be a finite real number (got {shown(v)})") from None
            if not np.isfinite(x.real) or not np.isfinite(x.imag) or x.imag != 0:
                raise ParameterError(sym.name, f"must be a finite real number (got {shown(v)})")
            if sym.is_positive and x.real <= 0:
                raise ParameterError(sym.name, f"must be > 0 (got {shown(v)})")
            if sym.is_nonnegative and x.real < 0:
                raise ParameterError(sym.name, f"must be >= 0 (got {shown(v)})")
            out[sym] = float(x.real)
        missing = [s.name for s in self.parameters if s not in out]
        if missing:
            raise ParameterError(missing[0], f"needs a value (missing: {', '.join(missing)})")
        for f in self._fermi_atoms():
            T = float(f.args[1].xreplace(out)) if f.args[1].free_symbols <= set(out) else None
            if T is not None and T < 0:
                raise ParameterError(str(f.args[1]), f"temperature must be >= 0 (got {T})")
        return out

    def _fermi_atoms(self):
        from keldysh.engine.functions import fermi

        atoms = set()
        for cf in self.L.H.values():
            atoms |= cf.atoms(fermi)
        for r, _J in self.L.jumps:
            atoms |= r.atoms(fermi)
        return atoms

    def limits(self, vals: Mapping[sp.Symbol, float]) -> tuple[float, float]:
        """Numeric ``(a, b)`` of the momentum domain."""
        ends = []
        for x in self.domain:
            try:
                z = complex(x.xreplace(vals))
            except (TypeError, ValueError, OverflowError):
                z = complex(math.nan)
            if z.imag != 0:
                raise ParameterError("domain", f"must be real (got {x} = {z})")
            ends.append(z.real)
        a, b = ends
        if not (np.isfinite(a) and np.isfinite(b)) or not b - a > max(1e-300, 1e-12 * max(abs(a), abs(b))):
            raise ParameterError("domain", f"needs finite a < b, apart beyond rounding (got ({a}, {b}))")
        if max(abs(a), abs(b)) > MAX_MOMENTUM:
            # double precision spaces momenta ~1e-4 apart there: no feature of the integrand is resolved
            raise ParameterError("domain", f"ends must lie within +-{MAX_MOMENTUM:g} (got ({a:g}, {b:g}))")
        return a, b

    def node_data(self, k: np.ndarray, w: np.ndarray, vals: Mapping[sp.Symbol, float]) -> NodeData:
        """Evaluate every compiled piece on the nodes ``k`` with quadrature weights ``w``."""
        c = self._compile()
        args = [k] + [vals[s] for s in self.parameters]
        Nk, d = len(k), 2 * self.L.n

        def fill(entry) -> np.ndarray:
            idx, f = entry
            out = np.zeros((Nk, d, d), dtype=complex)
            if f is not None:
                for (i, j), v in zip(idx, f(*args)):
                    out[:, i, j] = v
            return out

        with np.errstate(all="ignore"):
            h0, hD, hDb, M = (fill(c[name]) for name in ("h0", "hD", "hDb", "M"))
            deph_r = np.array([np.broadcast_to(np.real(r(*args)), (Nk,)) for r, _ in c["deph"]]).reshape(-1, Nk)
            deph_l = np.array([fill(e) for _, e in c["deph"]]).reshape(-1, Nk, d, d)
            s_coef = np.array([np.broadcast_to(v, (Nk,)) for v in c["s"](*args)], dtype=complex).reshape(-1, Nk)
            meas = np.real_if_close(np.asarray(c["measure"](*args)))
        if np.iscomplexobj(meas):  # an imaginary part beyond rounding would be dropped by a cast
            raise ParameterError("measure", "must be real on the momentum domain at these values")
        meas = np.broadcast_to(meas, (Nk,)).astype(float)
        for name, arr in (("H", h0), ("H", hD), ("jumps", M), ("self_consistency", s_coef), ("measure", meas)):
            if not np.all(np.isfinite(arr)):
                raise ParameterError(name, "is not finite on the momentum domain at these values")
        rate_diag = np.real(np.einsum("kii->ki", M))
        if np.any(rate_diag < -1e-12) or np.any(deph_r < 0):
            raise ParameterError("jumps", "a rate is negative somewhere on the momentum domain")
        # a dephasing channel whose rate vanishes on every node adds 0 * l G l (no bit changes) at a
        # cost of its own (e.g. the pair dephasing of Sect. III at Gamma_12 = Gamma_1 + Gamma_2): dropped
        keep = np.any(deph_r != 0, axis=1)
        if not keep.all():
            deph_r, deph_l = deph_r[keep], deph_l[keep]
        return NodeData(k=k, weight=w * meas, h0=h0, hD=hD, hDb=hDb, M=M, deph_r=deph_r, deph_l=deph_l, s_coef=s_coef)

    def __repr__(self) -> str:
        return (
            f"<MeanFieldModel: {self.L.n}-mode block, order parameter {self.Delta}, coupling {self.V}, "
            f"momentum {self.k} in {self.domain}; parameters {', '.join(p.name for p in self.parameters)}>"
        )
