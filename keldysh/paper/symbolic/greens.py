"""Sect. IV: the 2 x 2 Green's functions G^R, G^A, G^K of one momentum k (after Eq. (54)).

Conventions (stated once, also in ``docs/keldysh.md``):

* Rotating frame (Eqs. (7)-(9)); ``H(k) = [[Et1, Omega/2], [Omega/2, Et2]]`` (real symmetric),
  ``Gamma_hat = diag(Gamma1, Gamma2)`` (amplitude decay rates).
* Fourier sign ``G(omega) = int dt e^{+i omega t} G(t)``; retarded
  ``G^R(omega) = (omega - H + i Gamma_hat)^-1`` (poles below the real axis),
  ``G^A = (G^R)^dagger``.
* Keldysh rotation of Larkin-Ovchinnikov: ``G^K(t, t') = -i <[c(t), c^+(t')]>`` so that the
  equal-time relation is ``int d omega/(2 pi) G^K(omega) = -i (1 - 2 f)`` with
  ``f_ab = <c_b^+ c_a>``, i.e. ``f = [[n11, n21], [n12, n22]]`` (the paper's ordering).
* Two forms of ``G^K``: the paper's ``G^R F - F G^A`` (``F = 1 - 2 f``, quantum regression)
  and the reservoir form ``G^R Sigma^K G^A`` with the Markov (wide-band) self-energy
  ``Sigma^K = -2 i Gamma_hat F_eq``, ``F_eq = 1 - 2 diag(f1, f2)``, ``f_a = n_F(E_a(k))``
  (constant in omega: this is what the Lindblad dissipators of Eq. (5) encode).  Their
  difference is ``G^R L[F] G^A`` with the Lyapunov residual
  ``L[F] = [H, F] - i {Gamma_hat, F} + 2 i Gamma_hat F_eq`` (:func:`keldysh_difference`), so
  they agree iff ``f`` is the exact ``Delta = 0`` steady state of Eq. (9).
* Nambu spinor of a pair ``Psi = (c_k^1, c_k^2, c_{-k}^1+, c_{-k}^2+)``; the mean-field
  Hamiltonian of the pair is ``Psi^+ [[H, Delta i sigma^y], [(Delta i sigma^y)^+, -H^T]] Psi``
  plus a constant (pairing exactly as Eq. (2)); the hole block has
  ``G^R_hh(omega) = -G^A(-omega)^T``, ``G^K_hh(omega) = -G^K(-omega)^T`` (so ``F_hh = -F^T``).

``G^R``, ``G^A`` and the reservoir ``Sigma^K`` are produced by the engine
(:class:`keldysh.engine.Lindbladian` of one momentum with the jumps of Eq. (5)): the retarded
kernel ``K = H - i Gamma_hat`` is derived from the parity-graded Heisenberg equations of
``c_k^1, c_k^2``, and ``Sigma^K`` from the jump data, not typed in.

Pure SymPy (never imports NumPy).
"""

from __future__ import annotations

from functools import cache

import sympy as sp

from keldysh.paper import symbols as S
from keldysh.paper.symbolic import fermions as Fo

__all__ = [
    "hamiltonian_matrix",
    "gamma_matrix",
    "population_symbols",
    "population_matrix",
    "steady_populations",
    "equilibrium_F",
    "sigma_keldysh",
    "retarded",
    "advanced",
    "keldysh_paper",
    "keldysh_reservoir",
    "lyapunov_residual",
    "keldysh_difference",
    "nambu_hamiltonian",
    "nambu_gamma",
    "nambu_F",
    "nambu_sigma_keldysh",
    "hole_retarded",
    "isy",
]

#: ``i sigma^y = [[0, 1], [-1, 0]]``
isy = sp.Matrix([[0, 1], [-1, 0]])

#: symbols of a generic population matrix f = [[n11, n21], [n12, n22]]
_n11, _n22 = sp.symbols("n^{11} n^{22}", real=True)
_n21r, _n21i = sp.symbols("nr^{21} ni^{21}", real=True)


def hamiltonian_matrix(variables: str = "E_eps") -> sp.Matrix:
    """``H(k) = [[Et1, Omega/2], [Omega/2, Et2]]`` of the text after Eq. (54).

    ``variables="E_eps"`` writes ``Et1 = (E - eps)/2``, ``Et2 = (E + eps)/2`` (Eq. (9));
    ``"tilde"`` keeps ``Etilde_1, Etilde_2``.
    """
    if variables == "tilde":
        e1, e2 = S.Et1, S.Et2
    elif variables == "E_eps":
        e1, e2 = (S.E - S.eps) / 2, (S.E + S.eps) / 2
    else:
        raise ValueError("variables must be 'E_eps' or 'tilde'")
    return sp.Matrix([[e1, S.Omega / 2], [S.Omega / 2, e2]])


@cache
def engine_lindbladian(variables: str = "E_eps"):
    """The engine's Lindbladian of one momentum ``k``: modes ``0 = c_k^1``, ``1 = c_k^2``.

    Rotating-frame ``H(k)`` of :func:`hamiltonian_matrix` and the jumps of Eq. (5) with rates
    ``2 Gamma_a f_a`` (``c^+``) and ``2 Gamma_a (1 - f_a)`` (``c``) (amplitude rates, see
    ``docs/conventions.md``).
    """
    from keldysh.engine import Lindbladian

    Hm = hamiltonian_matrix(variables)
    H: dict = {}
    for a in range(2):
        for b in range(2):
            H = Fo.add(H, Fo.scale(Fo.mul(Fo.cdag(a), Fo.c(b)), Hm[a, b]))
    jumps = []
    for mode, G, f in ((0, S.Gamma1, S.f1), (1, S.Gamma2, S.f2)):
        jumps += [(2 * G * f, Fo.cdag(mode)), (2 * G * (1 - f), Fo.c(mode))]
    return Lindbladian(H, jumps, modes=[0, 1])


@cache
def retarded_kernel(variables: str = "E_eps") -> sp.Matrix:
    """``K`` of ``d c/dt = -i K c`` for ``c = (c_k^1, c_k^2)``: the particle block of the engine's Nambu kernel.

    Equals ``H(k) - i Gamma_hat`` (derived; the hole block decouples at ``Delta = 0``).
    """
    K = engine_lindbladian(variables).retarded_kernel()
    if any(v != 0 for v in K[:2, 2:]):
        raise RuntimeError("particle and hole blocks couple at Delta = 0")
    return K[:2, :2].applyfunc(sp.factor)


def gamma_matrix() -> sp.Matrix:
    """``Gamma_hat = diag(Gamma1, Gamma2)`` (text after Eq. (54)): ``i (K - K^+)/2`` of the engine's kernel."""
    K = retarded_kernel("tilde")
    return (sp.I * (K - K.H) / 2).applyfunc(sp.simplify)


def population_symbols() -> tuple:
    """Symbols ``(n11, n22, Re n21, Im n21)`` of a generic Hermitian ``f``."""
    return _n11, _n22, _n21r, _n21i


def population_matrix(kind: str = "symbols") -> sp.Matrix:
    """The population matrix ``f = [[n11, n21], [n12, n22]]``, ``f_ab = <c_b^+ c_a>`` (after Eq. (54)).

    kind
        ``"symbols"``: generic Hermitian ``f``; ``"steady"``: the exact ``Delta = 0`` steady
        state of Eq. (9); ``"transpose"``: its transpose ``f^T`` (= ``conj(f)``);
        ``"diagonal"``: the reservoir populations ``diag(f1, f2)``.
    """
    if kind == "symbols":
        n21 = _n21r + sp.I * _n21i
        return sp.Matrix([[_n11, n21], [sp.conjugate(n21), _n22]])
    if kind == "diagonal":
        return sp.diag(S.f1, S.f2)
    if kind in ("steady", "transpose"):
        p = steady_populations()
        f = sp.Matrix([[p["n11"], p["n21"]], [p["n12"], p["n22"]]])
        return f.T if kind == "transpose" else f
    raise ValueError(f"unknown kind {kind!r}")


@cache
def steady_populations() -> dict[str, sp.Expr]:
    """``n11, n22, n21, n12`` of the exact steady state of Eq. (9) at ``Delta = 0``.

    The linear system ``A u = b`` of :func:`keldysh.paper.symbolic.master.steady_state` at
    ``Delta = Deltabar = 0`` (where the anomalous unknowns decouple) solved exactly, in the
    symbols ``E, epsilon, Omega, Gamma1, Gamma2, f1, f2``: Cramer's rule with exact polynomial
    determinants, as ``steady_state`` (the same canonical forms as ``LUsolve`` followed by
    ``cancel``, much faster).
    """
    from keldysh.paper.symbolic.master import _cramer, exact_det, steady_state

    ss = steady_state()
    zero = {S.Delta: 0, ss["Deltabar"]: 0}
    A = ss["A"].xreplace(zero)[:4, :4]
    b = ss["b"].xreplace(zero)[:4, :]
    if any(v != 0 for v in ss["A"].xreplace(zero)[:4, 4:]):
        raise RuntimeError("populations couple to s21 at Delta = 0")
    det = exact_det(A)
    sol = [_cramer(A, b, i) / det for i in range(4)]
    names = [str(u) for u in ss["unknowns"][:4]]
    key = {"n^{11}": "n11", "n^{22}": "n22", "n^{21}": "n21", "n^{12}": "n12"}
    return {key[nm]: sp.factor(sp.cancel(v)) for nm, v in zip(names, sol)}


def equilibrium_F() -> sp.Matrix:
    """``F_eq = 1 - 2 diag(f1, f2)`` with ``f_a = n_F(E_a(k))`` (Eq. (5))."""
    return sp.eye(2) - 2 * sp.diag(S.f1, S.f2)


def sigma_keldysh() -> sp.Matrix:
    """Reservoir Keldysh self-energy ``Sigma^K = -2 i Gamma_hat F_eq`` (Markov limit of Eq. (5)).

    The particle block of the engine's ``-i (M - tau conj(M) tau)`` from the jump data.
    """
    from keldysh.engine.greens import reservoir_sigma_keldysh

    return reservoir_sigma_keldysh(engine_lindbladian("tilde"))[:2, :2].applyfunc(sp.factor)


def _inv2(A: sp.Matrix) -> sp.Matrix:
    a, b, c, d = A[0, 0], A[0, 1], A[1, 0], A[1, 1]
    det = a * d - b * c
    return sp.Matrix([[d, -b], [-c, a]]) / det


def retarded(omega: sp.Expr = S.omega, variables: str = "E_eps") -> sp.Matrix:
    """``G^R(k, omega) = (omega - K)^-1 = (omega - H(k) + i Gamma_hat)^-1`` (after Eq. (54)), ``K`` from the engine."""
    return _inv2(omega * sp.eye(2) - retarded_kernel(variables))


def advanced(omega: sp.Expr = S.omega, variables: str = "E_eps") -> sp.Matrix:
    """``G^A(k, omega) = (omega - K^+)^-1 = G^R(omega)^dagger`` (after Eq. (54)), ``K`` from the engine."""
    return _inv2(omega * sp.eye(2) - retarded_kernel(variables).H)


def keldysh_paper(omega: sp.Expr = S.omega, f: sp.Matrix | None = None, variables: str = "E_eps") -> sp.Matrix:
    """The paper's ``G^K = G^R (1 - 2 f) - (1 - 2 f) G^A`` (after Eq. (54)); default ``f`` generic."""
    f = population_matrix("symbols") if f is None else f
    F = sp.eye(2) - 2 * f
    return retarded(omega, variables) * F - F * advanced(omega, variables)


def keldysh_reservoir(omega: sp.Expr = S.omega, variables: str = "E_eps") -> sp.Matrix:
    """``G^K = G^R Sigma^K G^A`` with ``Sigma^K = -2 i Gamma_hat F_eq`` (Markov reservoirs, Eq. (5))."""
    return retarded(omega, variables) * sigma_keldysh() * advanced(omega, variables)


def lyapunov_residual(f: sp.Matrix | None = None, variables: str = "E_eps") -> sp.Matrix:
    """``L[F] = [H, F] - i {Gamma_hat, F} + 2 i Gamma_hat F_eq`` with ``F = 1 - 2 f``.

    ``L[F] = 0`` is the steady state of ``df/dt = -i [H, f] - {Gamma_hat, f} + 2 Gamma_hat f_eq``,
    i.e. Eq. (9) at ``Delta = 0``; and ``G^K_paper - G^K_reservoir = G^R L[F] G^A``.
    """
    f = population_matrix("symbols") if f is None else f
    F = sp.eye(2) - 2 * f
    H, G = hamiltonian_matrix(variables), gamma_matrix()
    return H * F - F * H - sp.I * (G * F + F * G) + 2 * sp.I * G * equilibrium_F()


def keldysh_difference(omega: sp.Expr = S.omega, f: sp.Matrix | None = None, variables: str = "E_eps") -> sp.Matrix:
    """``G^R L[F] G^A`` -- equals ``keldysh_paper - keldysh_reservoir`` identically (in ``f``)."""
    return retarded(omega, variables) * lyapunov_residual(f, variables) * advanced(omega, variables)


# ------------------------------------------------------------------------------ Nambu
def nambu_hamiltonian(Delta: sp.Expr = S.Delta, variables: str = "E_eps") -> sp.Matrix:
    """Pair Hamiltonian ``[[H, Delta i sigma^y], [(Delta i sigma^y)^+, -H^T]]`` (Eq. (2) in Nambu form).

    For ``Psi = (c_k^1, c_k^2, c_{-k}^1+, c_{-k}^2+)`` the (k, -k) part of Eq. (2) in the
    rotating frame equals ``Psi^+ H_N Psi + tr H`` (verified in the tests with the fermion
    algebra of :mod:`keldysh.paper.symbolic.fermions`).
    """
    H = hamiltonian_matrix(variables)
    D = Delta * isy
    return sp.Matrix(sp.BlockMatrix([[H, D], [D.H, -H.T]]))


def nambu_gamma() -> sp.Matrix:
    """``Gamma_N = diag(Gamma1, Gamma2, Gamma1, Gamma2)`` (holes decay at the same rates)."""
    return sp.diag(S.Gamma1, S.Gamma2, S.Gamma1, S.Gamma2)


def nambu_F(F: sp.Matrix) -> sp.Matrix:
    """``F_N = diag(F, -F^T)``: the hole block of ``G^K = G^R F - F G^A`` (``G^K_hh(w) = -G^K(-w)^T``)."""
    return sp.diag(F, -F.T)


def nambu_sigma_keldysh() -> sp.Matrix:
    """``Sigma^K_N = -2 i Gamma_N diag(F_eq, -F_eq)`` (holes see the distribution ``1 - f_a``)."""
    Feq = equilibrium_F()
    return -2 * sp.I * nambu_gamma() * sp.diag(Feq, -Feq)


def hole_retarded(omega: sp.Expr = S.omega, variables: str = "E_eps") -> sp.Matrix:
    """Hole-block retarded function ``-G^A(-omega)^T = (omega + H^T + i Gamma_hat)^-1`` (Eq. (52))."""
    return -advanced(-omega, variables).T
