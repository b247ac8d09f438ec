"""The Fock route of a mean-field model: every momentum node solved exactly in its Fock space.

For a block whose bilinear equations do not close (a jump such as ``c_3^+ c_2``, a local
interaction; the engine's ``closure="fock"``) the mean-field decoupling still makes the nodes
independent: node ``k`` evolves under its own Lindbladian ``L_k(Delta)`` on the ``2^n`` states
of its ``n`` modes, and the self-consistency couples the nodes only through ``Delta``.  For a
quadratic block the route is exact as well, and equals the master and Keldysh routes (a test).

The generator of a node is ``sum_p (c0_p + Delta cD_p + conj(Delta) cDb_p) P_p - omega P_Q``
(:func:`keldysh.engine.fock.liouvillian_pieces`; ``P_Q = -i [Q, .]`` the rotating frame of
``Delta(t) = |Delta| e^{-2 i omega t}``, the same frame as the Nambu routes).  Its coefficients are
split from the block's symbolic coefficients and compiled once.

* **Steady state** at ``(|Delta|, omega)``: in the part of Liouville space reachable from the
  model's ``reference`` state (its conserved sectors; :func:`keldysh.engine.fock.reachable`).
* **Linear response** (the threshold) exactly, not by a small ``|Delta|``: the normal state
  ``rho_0`` (``Delta = 0``) is stationary in every frame (it has no charge coherence), and
  ``delta rho = -(L_0 - omega P_Q)^-1 (d L/d|Delta|) rho_0`` lives in the coherences of charge
  ``dq = +-2``, where ``P_Q = -i dq`` is a number.  One eigendecomposition of ``L_0`` on them
  gives ``chi(omega) = sum_j r_j / (lambda_j + i dq omega)`` at every ``omega``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import scipy.sparse as sps
import sympy as sp

from keldysh.engine.compile import compile as kd_compile
from keldysh.engine.fock import (
    FockSpace,
    SingularNode,
    StackedPieces,
    liouvillian_pieces,
    reachable,
    reference_index,
    steady_vectors,
)
from keldysh.engine.lindblad import SteadyStateError
from keldysh.errors import ParameterError

__all__ = ["FockNodes", "FockIntegrand"]


class FockNodes:
    """Symbolic pieces of a model's node Lindbladian, compiled (see the module docstring)."""

    def __init__(self, model) -> None:
        L = model.L
        self.model = model
        self.space = space = FockSpace(L.n)
        D, Db = model.Delta, sp.conjugate(model.Delta)
        pieces = liouvillian_pieces(space, L.H, L.jumps, L.index)
        c0, cD, cDb = [], [], []
        # the diagonal parts r |a_i|^2 of every dissipator: their signs are the rates' (checked per node)
        self.rate_pieces = np.array([p.rate for p in pieces], dtype=bool)
        for p in pieces:
            e = sp.expand(p.coef)
            a = e.coeff(D)
            b = e.coeff(Db)
            rest = sp.expand(e - a * D - b * Db)
            if rest.has(D) or rest.has(Db) or a.has(D) or a.has(Db) or b.has(D) or b.has(Db):
                raise ValueError(f"MeanFieldModel: {p.label} is not linear in the order parameter and its conjugate")
            c0.append(rest)
            cD.append(a)
            cDb.append(b)
        Q = space.number()
        eye = sps.identity(space.dim, format="csr")
        self.P = [p.P for p in pieces] + [(-1j * (sps.kron(eye, Q) - sps.kron(Q.T, eye))).tocsr()]
        self.stacked = StackedPieces(self.P)
        self.labels = [p.label for p in pieces] + ["frame: Q"]
        self.n_pieces = len(pieces)
        self._exprs = (c0, cD, cDb)
        # the self-consistency per unit coupling: sum_t coef_t <op_t> (or its conjugate)
        terms = []
        expr = sp.expand(model.s_unit)
        for s, op in L.canonical():
            for conj, target in ((False, s), (True, sp.conjugate(s))):
                if s.is_real and conj:
                    continue
                coef = expr.coeff(target)
                if coef != 0:
                    M = space.operator(op, L.index, {}, "self_consistency")
                    terms.append((coef, space.expectation_vector(M), conj))
                    expr = sp.expand(expr - coef * target)
        self.s_terms = terms
        qa = space.occupation.sum(axis=1)
        idx = np.arange(space.dim**2)
        self.vec_charge = qa[idx % space.dim] - qa[idx // space.dim]  # ket charge - bra charge
        self.vec_diag = (idx % space.dim) == (idx // space.dim)
        self._compiled = None
        self._ref = reference_index(space, L, model.reference)

    def _compile(self):
        if self._compiled is None:
            args = [self.model.k, *self.model.parameters]
            c0, cD, cDb = self._exprs
            flat = [*c0, *cD, *cDb, *[t[0] for t in self.s_terms]]
            self._compiled = kd_compile(flat, args)
        return self._compiled

    def coefficients(self, k: np.ndarray, vals: Mapping[sp.Symbol, float]) -> dict[str, np.ndarray]:
        """``c0, cD, cDb`` (shape ``(N, n_pieces)``) and the self-consistency coefficients ``s`` ``(N, n_terms)``."""
        f = self._compile()
        out = f(k, *[vals[s] for s in self.model.parameters])
        N, P = len(k), self.n_pieces
        arr = np.array([np.broadcast_to(np.asarray(v, dtype=complex), (N,)) for v in out]).T.reshape(N, -1)
        if not np.all(np.isfinite(arr)):
            raise ParameterError("H", "a coefficient of the block is not finite on the momentum domain at these values")
        rates = arr[:, :P][:, self.rate_pieces]
        if np.any(rates.real < -1e-12 * max(1.0, float(np.abs(rates).max(initial=0.0)))):
            raise ParameterError("jumps", "a rate is negative somewhere on the momentum domain")
        return {"c0": arr[:, :P], "cD": arr[:, P : 2 * P], "cDb": arr[:, 2 * P : 3 * P], "s": arr[:, 3 * P :]}

    def structure(self, active: np.ndarray) -> sps.csr_matrix:
        """Sparsity pattern of the pieces flagged in ``active`` (the frame piece is diagonal)."""
        return self.stacked.structure(active)

    def reads(self, R: np.ndarray) -> list[tuple[np.ndarray, bool]]:
        """``[(f_t on R, conj_t), ...]``: the self-consistency's expectation vectors restricted to ``R``
        (remembered per index set: the solvers evaluate them at every call)."""
        key = R.tobytes()
        memo = self.__dict__.setdefault("_reads", {})
        if key not in memo:
            if len(memo) >= 16:
                memo.pop(next(iter(memo)))
            memo[key] = [(np.asarray(f[:, R].todense()).ravel(), conj) for _, f, conj in self.s_terms]
        return memo[key]

    def functional(self, R: np.ndarray, s: np.ndarray, x: np.ndarray) -> np.ndarray:
        """``S_n = sum_t s_nt <op_t>_n`` on the nodes from vectors ``x`` on the index set ``R``."""
        out = np.zeros(x.shape[0], dtype=complex)
        for t, (fr, conj) in enumerate(self.reads(R)):
            v = x @ fr
            out += s[:, t] * (np.conj(v) if conj else v)
        return out


class FockIntegrand:
    """``I(|Delta|, omega) = sum_n w_n S_n`` and its exact linear response on a grid (Fock route)."""

    def __init__(
        self,
        fock: FockNodes,
        k: np.ndarray,
        weight: np.ndarray,
        vals: Mapping[sp.Symbol, float],
        keep_response_states: bool = False,
    ) -> None:
        self.fock = fock
        #: keep the response of every charge sector, also those the self-consistency does not read (the
        #: dynamics starts from it); ``_response_states`` then lists ``(dq, lam, y, R_q, V_q)``
        self.keep_response_states = keep_response_states
        self._response_states: list = []
        self.k = np.asarray(k, dtype=float)
        self.weight = np.asarray(weight, dtype=float)
        self.coef = fock.coefficients(self.k, vals)
        self.calls = 0
        self.abs_sum = 0.0
        self._normal = None
        self._response = None
        self._full: dict[Any, Any] = {}

    # -- the normal state and the linear response
    def _active(self, *names: str) -> np.ndarray:
        act = np.zeros(self.fock.n_pieces + 1, dtype=bool)
        for nm in names:
            act[: self.fock.n_pieces] |= np.any(self.coef[nm] != 0, axis=0)
        return act

    def _coef_rows(self, Delta: float, omega: float) -> np.ndarray:
        c = self.coef["c0"] + Delta * self.coef["cD"] + np.conj(Delta) * self.coef["cDb"]
        return np.concatenate([c, np.full((c.shape[0], 1), -omega, dtype=complex)], axis=1)

    def _steady_space(self, active: np.ndarray) -> None:
        """The reachable space of the reference state under the ``active`` pieces, restricted once."""
        fk = self.fock
        key = tuple(active)
        if key not in self._full:
            seed = fk._ref + fk.space.dim * fk._ref
            R = reachable(fk.structure(active), [seed])
            self._full[key] = (R, fk.stacked.restrict(R), np.flatnonzero(fk.vec_diag[R]))

    def reachable_space(self) -> tuple[np.ndarray, Any]:
        """``(R, restricted pieces)``: the states reachable from the reference with pairing on (the
        dynamics' state space)."""
        act = self._active("c0", "cD", "cDb")
        self._steady_space(act)
        R, rp, _ = self._full[tuple(act)]
        return R, rp

    def _steady(self, active: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        self._steady_space(active)
        R, rp, diag = self._full[tuple(active)]
        try:
            x = steady_vectors(rp, rp.assemble(rows), diag)
        except SingularNode as exc:
            raise SteadyStateError(
                f"momentum {self.k[exc.index]:.6g}: {exc.what} (a conserved quantity or an undamped coherence); "
                "choose the model's reference state or add dissipation"
            ) from None
        return R, x

    def normal_state(self) -> tuple[np.ndarray, np.ndarray]:
        """``(R0, rho_0)``: the steady state at ``Delta = 0`` on every node (vectors on ``R0``)."""
        if self._normal is None:
            self._normal = self._steady(self._active("c0"), self._coef_rows(0.0, 0.0))
        return self._normal

    def _prepare_response(self):
        fk = self.fock
        R0, rho0 = self.normal_state()
        N = rho0.shape[0]
        dim2 = fk.space.dim**2
        # d L / d|Delta| rho_0 (Delta real in the rotating frame), on the full Liouville space
        dcoef = self.coef["cD"] + self.coef["cDb"]
        rhs = np.zeros((N, dim2), dtype=complex)
        for p in np.flatnonzero(np.any(dcoef != 0, axis=0)):
            Pr = fk.P[p][:, R0]
            rhs += dcoef[:, p, None] * (Pr @ rho0.T).T
        support = np.flatnonzero(np.any(np.abs(rhs) > 0, axis=0))
        if support.size == 0:
            self._response = []
            return
        R1 = reachable(fk.structure(self._active("c0")), support)
        charges = fk.vec_charge[R1]
        if np.any(charges == 0):
            raise SteadyStateError(
                "the pairing perturbation reaches the charge-neutral sector of the normal state: the "
                "order parameter does not carry charge 2 in this model"
            )
        sectors = []
        for dq in np.unique(charges):
            Rq = R1[charges == dq]
            reads = [fr for fr, _ in fk.reads(Rq)]
            if not any(np.any(fr) for fr in reads) and not self.keep_response_states:
                continue  # the self-consistency does not read this sector (e.g. the conjugate coherences)
            rp = fk.stacked.restrict(Rq, fk.n_pieces)
            A = rp.dense(rp.assemble(self.coef["c0"]))  # (N, m, m), omega = 0
            b = -rhs[:, Rq]
            lam, Vr = np.linalg.eig(A)
            try:
                y = np.linalg.solve(Vr, b[..., None])[..., 0]
            except np.linalg.LinAlgError:
                raise SteadyStateError("the linear response of a node has a defective spectrum") from None
            if np.any(lam.real >= 0):
                n = int(np.flatnonzero(np.any(lam.real >= 0, axis=1))[0])
                raise SteadyStateError(
                    f"momentum {self.k[n]:.6g}: a pair coherence is not damped (eigenvalue {lam[n][lam[n].real >= 0][0]:.3g})"
                )
            # S = sum_t s_t f_t . x (conj for conjugated terms), x = V diag(1/(lam + i dq omega)) y
            left = [(fr @ Vr, conj) for fr, (_, _, conj) in zip(reads, fk.s_terms)]
            sectors.append((float(dq), lam, y, left))
            if self.keep_response_states:
                self._response_states.append((float(dq), lam, y, Rq, Vr))
            # accuracy of the eigen-route: the residual of its solution at omega = 0
            x_eig = np.einsum("nij,nj->ni", Vr, y / lam)
            res = np.einsum("nij,nj->ni", A, x_eig) - b
            err = np.abs(res).max() / max(np.abs(b).max(), 1e-300)
            if err > 1e-8:
                raise SteadyStateError(
                    f"the linear response is ill-conditioned on this grid (residual of the eigenbasis solution {err:.1e})"
                )
        self._response = sectors

    def linear(self, omega: float) -> complex:
        """``chi(omega) = dI/d|Delta|`` at ``Delta = 0`` in the frame rotating at ``omega`` (exact)."""
        if self._response is None:
            self._prepare_response()
        s = self.coef["s"]
        parts = np.zeros(self.k.size, dtype=complex)
        for dq, lam, y, left in self._response:
            z = y / (lam + 1j * dq * omega)
            for t, (fV, conj) in enumerate(left):
                v = np.einsum("ni,ni->n", fV, z)
                parts += s[:, t] * (np.conj(v) if conj else v)
        parts *= self.weight
        self.abs_sum_linear = float(np.sum(np.abs(parts)))
        return complex(np.sum(parts))

    def noise(self) -> float:
        """Rounding scale of :meth:`linear` (its last sum of absolute contributions)."""
        return 256 * np.finfo(float).eps * getattr(self, "abs_sum_linear", 0.0)

    def sector_leak(self) -> str:
        """Why ``|Delta|`` is not fixed ("" when it is): the pairing leaves the normal state's sector for good.

        When ``Delta`` moves weight out of the conserved sector of the reference state (e.g. the
        number of electrons at each momentum, which no process of the block restores), the
        steady state at any ``Delta != 0`` lies elsewhere, and the normal state's linear
        response -- the threshold -- holds only on times short against that leak (the
        weak-pairing limit).  Detected from the sparsity of the generator: some population
        reachable with ``Delta`` cannot return to the reference sector without it.
        """
        fk = self.fock
        full = fk.structure(self._active("c0", "cD", "cDb"))
        seed = fk._ref + fk.space.dim * fk._ref
        R_full = reachable(full, [seed])
        R0 = self.normal_state()[0]
        out = np.setdiff1d(R_full[fk.vec_diag[R_full]], R0)
        if out.size == 0:
            return ""
        normal = fk.structure(self._active("c0"))
        back = reachable(normal, out[:1])
        if np.intersect1d(back, R0).size:
            return ""
        occ = fk.space.occupation[int(out[0]) % fk.space.dim]
        modes = [str(m) for m, o in zip(fk.model.L.modes, occ) if o]
        return (
            "the pairing moves the block out of the reference sector and no process of the block brings it "
            f"back (e.g. to the state with {', '.join(modes) or 'no mode'} occupied): a steady state with "
            "Delta != 0 is not connected to the normal state, so the model fixes the threshold and the sign "
            "(weak-pairing limit), not |Delta|"
        )

    # -- the nonlinear steady state
    def __call__(self, Delta: float, omega: float) -> complex:
        self.calls += 1
        rows = self._coef_rows(Delta, omega)
        act = self._active("c0", "cD", "cDb") if Delta != 0 else self._active("c0")
        R, x = self._steady(act, rows)
        parts = self.weight * self.fock.functional(R, self.coef["s"], x)
        self.abs_sum = float(np.sum(np.abs(parts)))
        return complex(np.sum(parts))
