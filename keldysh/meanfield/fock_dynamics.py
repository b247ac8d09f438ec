"""Self-consistent dynamics on the Fock route: every node's density matrix, ``Delta(t)`` from all of them.

For a block whose bilinear equations do not close (``closure="fock"``) -- and, as a check, for any
block -- :func:`keldysh.meanfield.simulate` integrates the density matrix of every momentum node in
the part of its Liouville space reachable from the model's reference state with pairing on
(:func:`keldysh.engine.fock.reachable`),

    d rho_k/dt = L_k(Delta(t)) rho_k,     Delta(t) = V int measure s_k(rho_k(t)) dk

(lab frame, the complete self-consistency or its in-phase part as on the Nambu route).  The
generator is affine in ``Delta`` and ``conj(Delta)``: three block-diagonal sparse matrices over
all nodes, assembled once; SciPy's DOP853 integrates the complex state.

Start.  As on the Nambu route, the steady state at the seed ``Delta0`` -- unless the pairing leaves
the reference sector for good (:meth:`keldysh.meanfield.fock.FockIntegrand.sector_leak`, e.g. the
Appendix's three-band model): then no such steady state is connected to the normal one, and the
run starts from the normal state plus its linear response to ``Delta0``.  The run then shows how
long the weak-pairing (threshold) picture holds before the populations leave the sector.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sps
from scipy.integrate import solve_ivp

from keldysh.meanfield.fock import FockIntegrand

__all__ = ["run_fock"]


def _block_diagonal(rp, values: np.ndarray) -> sps.csr_matrix:
    """``blockdiag(A_1, ..., A_N)`` of the nodes' generators on the pattern of ``rp`` (values ``(N, nnz)``)."""
    N, m = values.shape[0], rp.size
    off = (np.arange(N) * m)[:, None]
    rows = (off + rp.rows[None, :]).ravel()
    cols = (off + rp.cols[None, :]).ravel()
    return sps.csr_matrix((values.ravel(), (rows, cols)), shape=(N * m, N * m))


def _initial(I: FockIntegrand, R: np.ndarray, D0: complex) -> tuple[np.ndarray, str]:
    """The start on ``R``: the steady state at ``D0``, or (sector leak) the normal state plus its linear response."""
    N, m = I.k.size, R.size
    if not I.sector_leak():
        act = I._active("c0", "cD", "cDb")
        R_s, x = I._steady(act, I._coef_rows(D0, 0.0))
        out = np.zeros((N, m), dtype=complex)
        out[:, np.searchsorted(R, R_s)] = x
        return out, "steady state at Delta0"
    R0, rho0 = I.normal_state()
    out = np.zeros((N, m), dtype=complex)
    out[:, np.searchsorted(R, R0)] = rho0
    if I._response is None:
        I._prepare_response()
    # first order in Delta0 = |D0| e^{i phi}: the phase enters through the pairing terms, whose
    # coherences of charge dq carry e^{i phi dq/2}
    phase = D0 / abs(D0) if D0 != 0 else 1.0
    for dq, lam, y, Rq, Vr in I._response_states:
        x = np.einsum("nij,nj->ni", Vr, y / lam) * abs(D0) * phase ** (dq / 2)
        out[:, np.searchsorted(R, Rq)] += x
    return out, "normal state + linear response to Delta0 (the pairing leaves the reference sector)"


def run_fock(
    model, V: float, vals, grid, D0: complex, t_max: float, t_eval: np.ndarray, rtol: float, in_phase_rot, bar
) -> tuple[np.ndarray, np.ndarray, dict[str, Any]]:
    """Integrate the nodes' density matrices (see the module docstring); ``(times, Delta, diagnostics)``.

    ``in_phase_rot``: ``None`` for the complete self-consistency, else ``e^{i phi}`` of the in-phase
    projection ``Delta = e^{i phi} Re[e^{-i phi} V I]``.
    """
    fk = model.fock
    nd = model.node_data(grid.k, grid.w, vals)
    I = FockIntegrand(fk, nd.k, nd.weight, vals, keep_response_states=True)
    R, rp = I.reachable_space()
    N, m = nd.k.size, R.size
    c = I.coef
    zeros = np.zeros((N, 1), dtype=complex)
    M0 = _block_diagonal(rp, rp.assemble(np.concatenate([c["c0"], zeros], axis=1)))
    MD = _block_diagonal(rp, rp.assemble(np.concatenate([c["cD"], zeros], axis=1)))
    MDb = _block_diagonal(rp, rp.assemble(np.concatenate([c["cDb"], zeros], axis=1)))
    reads = fk.reads(R)
    ws = nd.weight[:, None] * c["s"]  # (N, n_terms)

    def delta_of(x: np.ndarray) -> complex:
        X = x.reshape(N, m)
        total = 0j
        for t, (fr, conj) in enumerate(reads):
            v = X @ fr
            total += np.dot(ws[:, t], np.conj(v) if conj else v)
        D = V * total
        return in_phase_rot * (np.conj(in_phase_rot) * D).real if in_phase_rot is not None else D

    # the three matrices share one pattern (the same restricted pieces): L(Delta) is one matrix whose
    # entries are updated per evaluation, a single product with the state
    same = all(np.array_equal(M0.indptr, M.indptr) and np.array_equal(M0.indices, M.indices) for M in (MD, MDb))
    L = M0.copy()

    def f(t: float, x: np.ndarray) -> np.ndarray:
        if bar is not None and t > bar.n:
            bar.update(t - bar.n)
        D = delta_of(x)
        if not same:
            return M0 @ x + D * (MD @ x) + np.conj(D) * (MDb @ x)
        L.data = M0.data + D * MD.data + np.conj(D) * MDb.data
        return L @ x

    x0, start = _initial(I, R, D0)
    sol = solve_ivp(f, (0.0, t_max), x0.ravel(), method="DOP853", t_eval=t_eval, rtol=rtol, atol=rtol * 1e-3)
    if not sol.success:
        raise RuntimeError(f"simulate: the integrator failed ({sol.message})")
    Ds = np.array([delta_of(y) for y in sol.y.T])
    # the trace of every node is conserved by the generator: its drift is the integration error
    diag_idx = np.flatnonzero(fk.vec_diag[R])
    last = sol.y[:, -1].reshape(N, m)
    trace_error = float(np.abs(last[:, diag_idx].sum(axis=1) - 1.0).max())
    return (
        sol.t,
        Ds,
        {
            "route": "fock",
            "start": start,
            "liouville_states": m,
            "rhs_evaluations": int(sol.nfev),
            "trace_error": trace_error,
        },
    )
