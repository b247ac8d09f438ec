"""Time dynamics of the order parameter (Sect. II.C).

The equations of motion of Eq. (9) -- *derived* by :func:`keldysh.paper.symbolic.master.rwa_eom`
and lambdified by :func:`keldysh.paper.build.rwa_rhs_func`, never retyped here -- are integrated on
a momentum grid (:func:`keldysh.paper.quadrature.momentum_grid`), with ``Delta(t)`` updated
self-consistently at every instant from Eq. (18),

    Delta^*(t) = V int (dk) s21_k(t) Re[1/(E_k + i Gamma)] (E_k + i Gamma) ,

or, optionally, from the unprojected Eq. (17), ``Delta^* = V int (dk) s21_k``.

Integrators
-----------
For a given ``Delta`` the right-hand sides of Eq. (9) are *affine* in the six real unknowns
``u_k = (n11, n22, Re n21, Im n21, Re s21, Im s21)`` of each momentum node, and the
coefficients are real-affine in ``Delta``:

    du_k/dt = A_k(Delta) [u_k; 1],   A_k(Delta) = A0_k + Re(Delta) Ar_k + Im(Delta) Ai_k ,

with 6 x 7 (augmented to 7 x 7) matrices.  :func:`block_matrices` obtains ``A0, Ar, Ai`` by
*probing the derived right-hand side* on the unit vectors (exact: the RHS is affine), and
checks the affinity on a random point.  Two integrators use this form:

* ``"DOP853"`` (scipy) on the vectorised affine RHS (one batched mat-vec per evaluation);
* ``"magnus4"``: every node is advanced with the exact exponential of the fourth-order
  Magnus generator ``h/2 (A(Delta_1) + A(Delta_2)) + (sqrt(3)/12) h^2 [A(Delta_2), A(Delta_1)]``
  (commutator filtered for nodes rotating faster than ``pi/h``), ``Delta_{1,2}`` at the Gauss
  points from the cubic Hermite path of ``Delta`` and ``dDelta/dt`` over the step, whose end
  values are solved self-consistently (quasi-Newton fixed point, Broyden, warm-started).  The fast phases
  ``exp(i E_k t)`` never limit the step, which grows to many periods in the slow approach of
  Fig. 6; a constant ``Delta`` is integrated exactly, so the fixed points of the scheme are
  exactly the steady states of Eq. (9).  ``"magnus2"`` drops the commutator (each step is then
  the exact evolution of a Lindbladian: positivity is preserved structurally).

``method="auto"`` (default) uses DOP853 for runs shorter than ``AUTO_CYCLES`` periods of the
fastest node (Figs. 4, 5, where the Rabi ripples of ``Delta`` must be resolved anyway) and
``magnus4`` for the long runs (Fig. 6).  Any other ``scipy.integrate`` solver is available by
name, as a reference.

Initial state (Sect. II.C): ``n11 = n_F(E1)``, ``n22 = n_F(E2)`` (1 and 0 at T = 0),
``n21 = 0``, plus a pairing seed: a uniform ``s21_k = c`` with ``c`` chosen so that
``Delta(0) = seed``.  A pure filled/empty state admits no pairing at all (the Nambu
correlation matrix of the block must lie between 0 and 1, which forces
``|s21|^2 <= n22 (1 - n11)``), so the populations are nudged by the least amount that makes
the seeded state physical (at T = 0: ``n11 = 1 - |c|``, ``n22 = |c|``, a change of order
``seed / V``).

The lab frame without the RWA (Eq. 6, :func:`keldysh.paper.symbolic.master.lab_eom`) is integrated
by :func:`simulate_lab`.
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any

import numpy as np

from keldysh.errors import ParameterError, check_finite, check_nonnegative, check_positive

__all__ = [
    "DynamicsOptions",
    "DynamicsResult",
    "simulate",
    "simulate_many",
    "simulate_lab",
    "block_matrices",
    "rhs_func",
    "lab_rhs_func",
    "expm_batched",
    "nambu_eigenvalues",
    "t_converged",
    "relaxation_fit",
    "steady_anomalous",
    "pumped_state",
]

#: ``method="auto"`` integrates with DOP853 when t_max * (fastest free frequency) / (2 pi)
#: is below this number of cycles, else with the Magnus integrator (see DynamicsOptions).
AUTO_CYCLES = 2.0e4

#: Integrators of this module (the rest are passed to ``scipy.integrate.solve_ivp``).
MAGNUS_METHODS = ("magnus4", "magnus2")
SCIPY_METHODS = ("RK45", "RK23", "DOP853", "LSODA", "BDF", "Radau")
PROJECTIONS = ("eq18", "eq17")

_SQ3 = math.sqrt(3.0)
_RESCALE = 1e150  # underflow guard of the pairing sector (Magnus integrator)
_FTOL_FACTOR = 0.2  # fixed-point tolerance of a Magnus step, in units of (atol + rtol |Delta|)
_GAUSS = (0.5 - _SQ3 / 6.0, 0.5 + _SQ3 / 6.0)
#: Linear regime of the pairing sector (DynamicsOptions.rtol_linear): |Delta|^2 / Gamma below
#: this fraction of rtol * 2 min(Gamma1, Gamma2).
LINEAR_BACKACTION = 1e-2


# ----------------------------------------------------------------------------- options
@dataclass(frozen=True)
class DynamicsOptions:
    """Numerical options of :func:`simulate` (kept apart from the physical parameters).

    Parameters
    ----------
    method : str
        ``"auto"`` (default): ``"DOP853"`` when ``t_max`` spans fewer than ``AUTO_CYCLES``
        periods of the fastest free frequency of the grid (Figs. 4, 5), else ``"magnus4"``
        (long runs such as Fig. 6, where the Magnus step grows to many periods);
        ``"magnus4"``: exact per-node exponentials, 4th-order Magnus in the
        self-consistent ``Delta(t)``; ``"magnus2"`` (2nd order, structurally
        positivity-preserving) or a ``scipy.integrate.solve_ivp`` method
        (``"RK45"``, ``"DOP853"``, ``"LSODA"``, ...).
    rtol, atol : float
        Tolerances.  For the Magnus methods they bound the local error of ``Delta(t)``
        (``|err| <= atol + rtol |Delta|``; default ``atol = 0``: relative accuracy survives
        the tiny ``|Delta|`` of a decayed seed, from which the pairing instability regrows);
        for the scipy methods they apply to every component of the state (default
        ``atol = 1e-12``).
    order : int
        Gauss-Legendre nodes per panel of the default momentum grid
        (:func:`keldysh.paper.quadrature.momentum_grid`).
    max_step : float
        Largest time step (``inf``: unbounded).
    first_step : float or None
        First time step (default: ``0.1 / max rate`` of the linear part).
    corrector_iterations : int
        Least number of corrector passes of the self-consistent ``Delta`` in a Magnus step
        (>= 1); the passes continue (quasi-Newton, at most ``corrector_iterations + 6``)
        until the fixed point is converged to ``0.2 (atol + rtol |Delta|)``.
    check_every : int
        The exact positivity of the Nambu correlation matrix (:func:`nambu_eigenvalues`) is
        checked every ``check_every`` recorded samples (and at the end).
    stop_rtol : float or None
        Stop before ``t_max`` once ``|Delta|`` has stayed within ``stop_rtol`` (relative)
        over the last ``stop_window`` fraction of the elapsed time; ``None``: run to ``t_max``.
    stop_window : float
        Fraction of the elapsed time the early-stop criterion looks back (0 < w < 1).
    record_every : float
        Record ``Delta`` at most every this much time (0: every accepted step).
    rtol_linear : float or None
        Magnus methods: a looser relative tolerance on ``Delta`` while the pairing sector is
        *linear*, ``|Delta| < delta_linear`` with ``delta_linear^2 / Gamma = LINEAR_BACKACTION
        * rtol * 2 min(Gamma1, Gamma2)`` (the pairing feeds the populations, Eqs. 9a-b, at a
        rate far below the tolerance of their slowest relaxation).  There Eqs. (9d) + (18) are
        linear and homogeneous in ``(s21, Delta)``: the populations are unaffected and the later
        trajectory depends on the tiny ``Delta`` only through ``log |Delta|``, so the error made
        there only *shifts* the regrowth of the instability, by ~(accumulated relative error) /
        (growth rate).  Measured (Fig. 6(a), first burst at t = 13657 by DOP853 at rtol 1e-9):
        shifted by 2.7 with ``rtol = 1e-4`` throughout, by 56 with ``rtol_linear = 1e-3`` and
        by 185 (1.4%) with ``1e-2``, for 20-35% fewer steps; the long collapses of Fig. 6(b)
        take half the steps.  ``None`` (default): ``rtol`` throughout.
    """

    method: str = "auto"
    rtol: float = 1e-6
    atol: float | None = None
    order: int = 6
    max_step: float = math.inf
    first_step: float | None = None
    corrector_iterations: int = 1
    check_every: int = 25
    stop_rtol: float | None = None
    stop_window: float = 0.3
    record_every: float = 0.0
    rtol_linear: float | None = None

    def __post_init__(self) -> None:
        if self.method not in ("auto",) + MAGNUS_METHODS + SCIPY_METHODS:
            raise ParameterError(
                "method",
                f"unknown integrator {self.method!r}; choose one of auto, {', '.join(MAGNUS_METHODS + SCIPY_METHODS)}",
            )
        rtol = check_positive("rtol", self.rtol)
        if rtol >= 0.1:
            raise ParameterError("rtol", f"must be < 0.1 (got {rtol})")
        object.__setattr__(self, "rtol", rtol)
        if self.atol is None and self.method != "auto":
            object.__setattr__(self, "atol", 0.0 if self.method in MAGNUS_METHODS else 1e-12)
        if self.atol is not None:
            object.__setattr__(self, "atol", check_nonnegative("atol", self.atol))
        if self.method in SCIPY_METHODS and self.atol == 0:
            raise ParameterError("atol", "must be > 0 for the scipy integrators")
        if int(self.order) != self.order or self.order < 2:
            raise ParameterError("order", f"must be an integer >= 2 (got {self.order!r})")
        object.__setattr__(self, "order", int(self.order))
        if not (isinstance(self.max_step, (int, float)) and self.max_step > 0) or math.isnan(self.max_step):
            raise ParameterError("max_step", f"must be > 0 (got {self.max_step!r})")
        if self.first_step is not None:
            object.__setattr__(self, "first_step", check_positive("first_step", self.first_step))
        if int(self.corrector_iterations) != self.corrector_iterations or self.corrector_iterations < 1:
            raise ParameterError("corrector_iterations", f"must be an integer >= 1 (got {self.corrector_iterations!r})")
        if int(self.check_every) != self.check_every or self.check_every < 1:
            raise ParameterError("check_every", f"must be an integer >= 1 (got {self.check_every!r})")
        if self.stop_rtol is not None:
            object.__setattr__(self, "stop_rtol", check_positive("stop_rtol", self.stop_rtol))
        w = check_finite("stop_window", self.stop_window)
        if not 0 < w < 1:
            raise ParameterError("stop_window", f"must lie strictly between 0 and 1 (got {w})")
        object.__setattr__(self, "record_every", check_nonnegative("record_every", self.record_every))
        if self.rtol_linear is not None:
            rl = check_positive("rtol_linear", self.rtol_linear)
            if rl >= 0.5:
                raise ParameterError("rtol_linear", f"must be < 0.5 (got {rl})")
            object.__setattr__(self, "rtol_linear", rl)

    @classmethod
    def make(cls, options: DynamicsOptions | Mapping[str, Any] | None = None, **changes: Any) -> DynamicsOptions:
        """Options from an instance, a mapping or keywords; unknown names raise ``ParameterError``."""
        known = {f.name for f in fields(cls)}
        if options is None:
            base = cls()
        elif isinstance(options, cls):
            base = options
        elif isinstance(options, Mapping):
            changes = {**dict(options), **changes}
            base = cls()
        else:
            raise ParameterError("options", f"must be DynamicsOptions or a mapping (got {type(options).__name__})")
        unknown = sorted(set(changes) - known)
        if unknown:
            raise ParameterError(
                "options", f"unknown option(s) {', '.join(map(repr, unknown))}; known: {', '.join(sorted(known))}"
            )
        if "method" in changes and "atol" not in changes:
            default_atol = None if base.method == "auto" else (0.0 if base.method in MAGNUS_METHODS else 1e-12)
            if base.atol == default_atol:
                changes["atol"] = None  # the new method's default
        return replace(base, **changes) if changes else base

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict (``inf`` becomes ``null``)."""
        return {f.name: _clean(getattr(self, f.name)) for f in fields(self)}


# ----------------------------------------------------------------------------- derived callables
def rhs_func() -> Callable:
    """The derived right-hand sides of Eq. (9) (``keldysh.paper.build.rwa_rhs_func``)."""
    from keldysh.paper.build import rwa_rhs_func

    return rwa_rhs_func()


def lab_rhs_func(modules: str = "numpy") -> Callable:
    """NumPy callable for the lab-frame equations of motion, Eq. (6) (derived, no RWA).

    Signature ``rhs(n11, n22, n21, s21, E1, E2, Delta, Omega, omega0, t, Gamma1, Gamma2, f1, f2)``
    returning ``(dn11, dn22, dn21, ds21)`` with ``Omega(t) = Omega cos(omega0 t)``; built from
    :func:`keldysh.paper.symbolic.master.lab_eom` through :func:`keldysh.paper.build.lambdified`.
    """
    from keldysh.paper.build import lambdified

    def expr():
        from keldysh.paper.symbolic.master import lab_eom

        eqs = lab_eom(2)
        return [eqs["n11"], eqs["n22"], eqs["n21"], eqs["s21"]]

    def args():
        from keldysh.paper import symbols as S
        from keldysh.paper.symbolic.master import n11, n21, n22, s21

        return (n11, n22, n21, s21, S.E1, S.E2, S.Delta, S.Omega, S.omega0, S.t, S.Gamma1, S.Gamma2, S.f1, S.f2)

    return lambdified("lab_rhs", expr, args, modules)


def _to_real(d11, d22, d21, ds, shape) -> np.ndarray:
    out = np.empty(shape + (6,))
    out[..., 0] = np.real(np.broadcast_to(d11, shape))
    out[..., 1] = np.real(np.broadcast_to(d22, shape))
    d21 = np.broadcast_to(d21, shape)
    ds = np.broadcast_to(ds, shape)
    out[..., 2], out[..., 3] = np.real(d21), np.imag(d21)
    out[..., 4], out[..., 5] = np.real(ds), np.imag(ds)
    return out


def _eval_rhs(fn: Callable, u: np.ndarray, Delta: complex, E, eps, model, f1, f2) -> np.ndarray:
    """Real 6-vector RHS of Eq. (9) per node from the derived callable."""
    r = fn(
        u[..., 0],
        u[..., 1],
        u[..., 2] + 1j * u[..., 3],
        u[..., 4] + 1j * u[..., 5],
        E,
        eps,
        Delta,
        model.Omega,
        model.Gamma1,
        model.Gamma2,
        f1,
        f2,
    )
    return _to_real(*r, shape=u.shape[:-1])


def block_matrices(model: Any, grid: Any, *, check: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-node affine matrices of Eq. (9): ``du/dt = (A0 + Re(Delta) Ar + Im(Delta) Ai) [u; 1]``.

    Obtained by probing the derived right-hand side (:func:`rhs_func`) on the unit vectors of
    ``u = (n11, n22, Re n21, Im n21, Re s21, Im s21)`` at ``Delta = 0, 1, i``; exact because
    Eq. (9) is affine in ``u`` and real-affine in ``Delta``, which ``check=True`` verifies on
    a random point (so a change of the derived equations cannot pass silently).

    Returns
    -------
    A0, Ar, Ai : ndarray, shape (N, 7, 7)
        Augmented matrices (last row zero, last column the inhomogeneous term).
    """
    fn = rhs_func()
    E, eps, f1, f2 = grid.E, grid.eps, grid.f1, grid.f2
    N = E.size
    probes = np.zeros((7, N, 6))
    for j in range(6):
        probes[j, :, j] = 1.0  # probe 6 is the zero state
    mats = []
    for D in (0.0, 1.0, 1j):
        r = _eval_rhs(fn, probes, D, E, eps, model, f1, f2)  # (7, N, 6)
        A = np.zeros((N, 7, 7))
        A[:, :6, 6] = r[6]
        A[:, :6, :6] = np.transpose(r[:6] - r[6][None], (1, 2, 0))
        mats.append(A)
    A0, A1, Ai1 = mats
    Ar, Ai = A1 - A0, Ai1 - A0
    if check:
        rng = np.random.default_rng(12345)
        u = rng.normal(size=(N, 6))
        D = complex(rng.normal(), rng.normal())
        direct = _eval_rhs(fn, u, D, E, eps, model, f1, f2)
        M = A0 + D.real * Ar + D.imag * Ai
        via = np.einsum("kij,kj->ki", M[:, :6, :6], u) + M[:, :6, 6]
        scale = 1.0 + np.abs(direct).max()
        if not np.allclose(direct, via, rtol=0, atol=1e-9 * scale):
            raise RuntimeError("Eq. (9) is not affine in the state / real-affine in Delta as assumed")
    return A0, Ar, Ai


# ----------------------------------------------------------------------------- matrix exponential
_TAYLOR = [1.0 / math.factorial(j) for j in range(9)]


def expm_batched(A: np.ndarray, theta: float = 0.25) -> np.ndarray:
    """``exp(A)`` for a stack of small matrices ``A`` (shape ``(N, n, n)``).

    Scaling and squaring with a degree-8 Taylor polynomial (Paterson-Stockmeyer, 4 matrix
    products): after scaling ``||A / 2^s||_inf <= theta = 1/4`` the truncation error is
    ``<= theta^9/9! ~ 1e-11`` relative.  One ``s`` serves the whole stack (vectorised).
    """
    A = np.asarray(A)
    n = A.shape[-1]
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
    for _ in range(s):
        P = P @ P
    return P


# ----------------------------------------------------------------------------- diagnostics
def nambu_eigenvalues(u: np.ndarray) -> np.ndarray:
    """Eigenvalues of the Nambu correlation matrix of each ``(k, -k)`` block, shape ``(N, 4)``.

    With ``psi = (c_k^1, c_k^2, c_{-k}^1+, c_{-k}^2+)`` the matrix ``M_ij = <psi_i^+ psi_j>``
    is Hermitian and a state is physical only if ``0 <= M <= 1`` (exact positivity condition
    of a Gaussian state; it implies ``0 <= n <= 1`` and ``|s21|^2 <= n22 (1 - n11)``,
    ``|s21|^2 <= n11 (1 - n22)`` when ``n21 = 0``)::

        M = [[n11,       n12,    0,       -s21],
             [n21,       n22,    s21,      0  ],
             [0,         s21^*,  1 - n11, -n21],
             [-s21^*,    0,     -n12,  1 - n22]]

    The evolution of Eq. (9) is a Lindblad evolution for any ``Delta(t)``, so it keeps every
    eigenvalue in ``[0, 1]``; a violation measures integrator error.
    """
    u = np.atleast_2d(u)
    n11, n22 = u[:, 0], u[:, 1]
    n21 = u[:, 2] + 1j * u[:, 3]
    s = u[:, 4] + 1j * u[:, 5]
    N = u.shape[0]
    M = np.zeros((N, 4, 4), complex)
    M[:, 0, 0], M[:, 1, 1], M[:, 2, 2], M[:, 3, 3] = n11, n22, 1 - n11, 1 - n22
    M[:, 0, 1], M[:, 1, 0] = np.conj(n21), n21
    M[:, 0, 3], M[:, 3, 0] = -s, -np.conj(s)
    M[:, 1, 2], M[:, 2, 1] = s, np.conj(s)
    M[:, 2, 3], M[:, 3, 2] = -n21, -np.conj(n21)
    return np.linalg.eigvalsh(M)


def t_converged(times: np.ndarray, values: np.ndarray, rtol: float = 0.01) -> float | None:
    """First time after which ``values`` stays within ``rtol`` (relative) of its final value.

    ``None`` when the final value is 0, when the band is entered only in the last 10% of
    the run (then "converged" would merely mean "close to where the run stopped"), or when the
    run never leaves the band (no approach seen: e.g. a run far shorter than the relaxation).
    """
    times = np.asarray(times, float)
    v = np.asarray(values, float)
    if v.size < 2:
        return None
    final = v[-1]
    if final == 0 or not np.isfinite(final):
        return None
    outside = np.nonzero(np.abs(v - final) > rtol * abs(final))[0]
    if outside.size == 0:
        return None
    i = int(outside[-1]) + 1
    if i >= v.size - 1 or times[i] > times[-1] - 0.1 * (times[-1] - times[0]):
        return None
    return float(times[i])


def relaxation_fit(
    times: np.ndarray, values: np.ndarray, final: float | None = None, band: float = 0.1, floor: float = 1e-4
) -> dict[str, float] | None:
    """Period and decay time of the damped oscillation with which ``values`` settles.

    After ``values`` has entered the band ``|values - final| <= band * final`` for good (the
    linear regime of the approach), its leading run of evenly spaced local extrema gives the
    period (twice their mean spacing) and, through the peak-to-peak swings averaged over
    neighbours (which removes a slow monotonic creep), the decay time of the oscillation
    (exponential fit, swings down to ``floor * final``).  This is the route independent of
    :func:`keldysh.paper.solvers.stability.linear_stability`, whose dominant eigenvalue predicts
    both.  ``None`` when the approach is not such an oscillation: too few evenly spaced
    extrema (within 40% of the first spacings), or swings not exponentially decaying
    (``R^2 < 0.8``).
    """
    t = np.asarray(times, float)
    v = np.asarray(values, float)
    if final is None:
        final = float(v[-1])
    if t.size < 8 or not final > 0:
        return None
    outside = np.nonzero(np.abs(v - final) > band * final)[0]
    start = int(outside[-1]) + 1 if outside.size else 0
    t, v = t[start:], v[start:]
    if t.size < 8:
        return None
    sl = np.sign(np.diff(v))
    ext = np.nonzero(sl[1:] * sl[:-1] < 0)[0] + 1
    if ext.size < 6:
        return None
    te = t[ext]
    spacing = np.diff(te)
    ref = float(np.median(spacing[:4]))
    # the leading run of evenly spaced extrema (a slow creep or noise ends the oscillation)
    irregular = np.nonzero(np.abs(spacing - ref) > 0.4 * ref)[0]
    n = int(irregular[0]) if irregular.size else spacing.size
    swing = 0.5 * np.abs(np.diff(v[ext]))[:n]
    swing_t = 0.5 * (te[1:] + te[:-1])[:n]
    # average neighbouring half swings: a superposed monotonic creep alternately adds to and
    # subtracts from them
    full = 0.5 * (swing[1:] + swing[:-1])
    full_t = 0.5 * (swing_t[1:] + swing_t[:-1])
    keep = full >= floor * final
    if keep.sum() < 3:
        return None
    full, full_t = full[keep], full_t[keep]
    y = np.log(full)
    slope, icpt = np.polyfit(full_t, y, 1)
    r2 = 1.0 - float(np.sum((y - (slope * full_t + icpt)) ** 2)) / max(float(np.sum((y - y.mean()) ** 2)), 1e-300)
    if slope >= 0 or r2 < 0.8:
        return None
    return {
        "period": 2.0 * float(np.mean(spacing[:n])),
        "decay_time": -1.0 / float(slope),
        "swings": int(n),
        "t_start": float(t[0]),
        "r2": r2,
    }


def steady_anomalous(model: Any, grid: Any, delta: complex) -> np.ndarray:
    """Eq. (10): ``s21 = -conj(Delta) x / (E + i Gamma)`` with the exact steady-state ``x`` of Eq. (9).

    ``x = n11 + n22 - 1`` from :func:`keldysh.paper.build.population_deviation_func` ("exact",
    Eqs. 11-12 at T = 0) at ``|Delta|``.
    """
    from keldysh.paper.build import population_deviation_func

    x = population_deviation_func("exact")(
        grid.E, grid.eps, abs(delta), model.Omega, model.Gamma1, model.Gamma2, grid.f1, grid.f2
    )
    x = np.broadcast_to(np.asarray(x, float), grid.E.shape)
    return -np.conj(delta) * x / (grid.E + 1j * model.Gamma)


# ----------------------------------------------------------------------------- result
def _clean(v: Any) -> Any:
    if isinstance(v, (np.floating, np.integer)):
        v = v.item()
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, dict):
        return {k: _clean(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_clean(x) for x in v]
    return v


@dataclass
class DynamicsResult:
    """Outcome of :func:`simulate` (Sect. II.C).

    Attributes
    ----------
    times : ndarray
        Sample times.
    Delta : ndarray (complex)
        ``Delta(t)`` at ``times`` (self-consistent, Eq. 18 or 17).
    q : ndarray
        Momentum nodes; ``w`` their weights (measure included).
    s21, n11, n22, n21 : ndarray
        The final state per node (rotating frame).
    t_converged : float or None
        Time after which ``|Delta|`` stays within 1% of its final value (``None``: never).
    diagnostics : dict
        Population bounds, Nambu-positivity eigenvalue bounds, steps, rejected steps,
        exponentials / RHS evaluations, wall time, early stop.
    """

    times: np.ndarray
    Delta: np.ndarray
    q: np.ndarray
    w: np.ndarray
    s21: np.ndarray
    n11: np.ndarray
    n22: np.ndarray
    n21: np.ndarray
    V: float
    seed: complex
    projection: str
    frame: str
    t_max: float
    options: DynamicsOptions
    params: dict[str, Any]
    diagnostics: dict[str, Any] = field(default_factory=dict)
    t_converged: float | None = None

    @property
    def abs_Delta(self) -> np.ndarray:
        """``|Delta|(t)``."""
        return np.abs(self.Delta)

    @property
    def delta_final(self) -> float:
        """``|Delta|`` at the last sample."""
        return float(abs(self.Delta[-1]))

    def delta_average(self, fraction: float = 0.1) -> float:
        """Time average of ``|Delta|`` over the last ``fraction`` of the run (trapezoid rule).

        In a weakly damped approach (Fig. 6(b): ~9 periods per e-fold) the last sample sits
        somewhere on the residual ring; the average over many periods is the steady value.
        """
        if not 0 < fraction <= 1:
            raise ParameterError("fraction", f"must lie in (0, 1] (got {fraction})")
        t, a = self.times, self.abs_Delta
        sel = t >= t[-1] - fraction * (t[-1] - t[0])
        if sel.sum() < 2:
            return float(a[-1])
        return float(np.trapezoid(a[sel], t[sel]) / (t[sel][-1] - t[sel][0]))

    @property
    def phase_velocity(self) -> float:
        """``d arg(Delta)/dt`` over the last 10% of the run (non-zero with Eq. 17, see :func:`simulate`)."""
        t, D = self.times, self.Delta
        sel = t >= t[-1] - 0.1 * (t[-1] - t[0])
        if sel.sum() < 2 or np.any(D[sel] == 0):
            return 0.0
        ph = np.unwrap(np.angle(D[sel]))
        return float(np.polyfit(t[sel], ph, 1)[0])

    def to_json(self, arrays: bool = False) -> dict[str, Any]:
        """JSON-ready dict; ``arrays=True`` adds ``times``, ``abs_Delta``, ``q``, ``s21`` (re/im)."""
        out: dict[str, Any] = {
            "V": self.V,
            "seed": [self.seed.real, self.seed.imag],
            "projection": self.projection,
            "frame": self.frame,
            "t_max": self.t_max,
            "t_end": float(self.times[-1]),
            "delta_final": self.delta_final,
            "delta_average_last_10pct": self.delta_average(0.1),
            "t_converged": self.t_converged,
            "phase_velocity": self.phase_velocity,
            "params": self.params,
            "options": self.options.to_json(),
            "diagnostics": self.diagnostics,
            "nodes": int(self.q.size),
        }
        if arrays:
            out.update(
                times=self.times.tolist(),
                abs_Delta=self.abs_Delta.tolist(),
                q=self.q.tolist(),
                s21_re=self.s21.real.tolist(),
                s21_im=self.s21.imag.tolist(),
            )
        return _clean(out)

    def __str__(self) -> str:
        tc = "never (within 1%)" if self.t_converged is None else f"{self.t_converged:.4g}"
        d = self.diagnostics
        return (
            f"|Delta|(t_end = {self.times[-1]:.4g}) = {self.delta_final:.8g}  (V = {self.V:g}, {self.projection}, "
            f"{self.frame} frame)\n"
            f"converged (1%) at t = {tc}; {d.get('steps')} steps ({d.get('rejected')} rejected), "
            f"{self.q.size} nodes, method {self.options.method}, {d.get('seconds', 0):.2f} s"
        )


# ----------------------------------------------------------------------------- helpers
def _projection_weights(model: Any, grid: Any, V: float, projection: str) -> np.ndarray:
    """``K_k`` with ``Delta^* = sum_k K_k s21_k``: Eq. (18) (default) or Eq. (17)."""
    E, G = grid.E, model.Gamma
    if projection == "eq18":
        return V * grid.w * (E / (E * E + G * G)) * (E + 1j * G)
    if projection == "eq17":
        return V * grid.w * (1.0 + 0j) * np.ones_like(E)
    raise ParameterError("projection", f"must be one of {', '.join(PROJECTIONS)} (got {projection!r})")


SEED_PROFILES = ("lorentzian", "uniform")


def _seed_shape(model: Any, grid: Any, profile: str) -> np.ndarray:
    if profile == "lorentzian":
        G = model.Gamma
        return G * G / (grid.E**2 + G * G)
    if profile == "uniform":
        return np.ones_like(grid.E)
    raise ParameterError("seed_profile", f"must be one of {', '.join(SEED_PROFILES)} (got {profile!r})")


def _seeded_state(
    grid: Any, K: np.ndarray, seed: complex, shape: np.ndarray, base: np.ndarray | None = None
) -> np.ndarray:
    """Initial state with a pairing seed ``s21_k = c shape_k`` giving ``Delta(0) = seed``.

    ``base`` (default: Sect. II.C, ``n11 = n_F(E1)``, ``n22 = n_F(E2)``, ``n21 = 0``) is the
    unpaired state; its populations are shifted by the least amount keeping the seeded state
    physical (Nambu positivity).
    """
    N = grid.E.size
    if base is None:
        base = np.zeros((N, 6))
        base[:, 0] = np.broadcast_to(np.asarray(grid.f1, float), grid.E.shape)
        base[:, 1] = np.broadcast_to(np.asarray(grid.f2, float), grid.E.shape)
    u = np.array(base, dtype=float)
    if seed == 0:
        return u
    S = complex(np.sum(K * shape))
    if S == 0:
        raise ParameterError("seed", "the self-consistency weights sum to zero: this seed cannot set Delta(0)")
    c = np.conj(seed) / S * shape
    a2 = np.abs(c) ** 2
    f1, f2 = base[:, 0], base[:, 1]
    # least population shift a >= 0 with (f2 + a)(1 - f1 + a) >= |c|^2 (Nambu positivity)
    b = f2 + 1.0 - f1
    a = np.maximum(0.0, (-b + np.sqrt(np.maximum(b * b - 4 * (f2 * (1 - f1) - a2), 0.0))) / 2)
    u[:, 0], u[:, 1] = f1 - a, f2 + a
    u[:, 4], u[:, 5] = c.real, c.imag
    ev = nambu_eigenvalues(u)
    for _ in range(60):  # with a coherence n21 (pumped state) the 2x2 bound is not exact: widen
        bad = (ev.min(axis=1) < -1e-12) | (ev.max(axis=1) > 1 + 1e-12)
        if not bad.any():
            break
        a = np.where(bad, 2 * a + np.abs(c), a)
        u[:, 0], u[:, 1] = f1 - a, f2 + a
        ev = nambu_eigenvalues(u)
    if ev.min() < -1e-12 or ev.max() > 1 + 1e-12:
        raise ParameterError(
            "seed", f"|seed| = {abs(seed):g} is too large for a physical seeded state; use a smaller seed"
        )
    return u


def pumped_state(model: Any, grid: Any) -> np.ndarray:
    """The unpaired steady state of Eq. (9) (``Delta = 0``): the laser on long before pairing.

    Per node, ``A0 [u; 1] = 0`` solved exactly (populations and coherence of Eqs. 11-12 at
    ``Delta = 0``; the pairing block is homogeneous there, so ``s21 = 0``):
    :func:`keldysh.paper.solvers.stability.steady_state` at ``Delta = 0``.
    """
    from keldysh.paper.solvers.stability import steady_state

    return steady_state(model, grid, 0.0)


def _progress(progress: bool | None, total: float, desc: str):
    """A tqdm bar on stderr (None: automatic -- only on a terminal; shows after 2 s)."""
    if progress is False:
        return None
    if progress is None and not (hasattr(sys.stderr, "isatty") and sys.stderr.isatty()):
        return None
    try:
        from tqdm import tqdm
    except ImportError:  # pragma: no cover - tqdm is a dependency
        return None
    return tqdm(
        total=float(total),
        desc=desc,
        file=sys.stderr,
        delay=2.0,
        unit="t",
        leave=False,
        bar_format="{l_bar}{bar}| t = {n:.4g}/{total:.4g} [{elapsed}<{remaining}]",
    )


class _Recorder:
    def __init__(self, every: float):
        self.every = every
        self.t: list = []
        self.D: list = []

    def add(self, t: float, D: complex, force: bool = False) -> bool:
        if force or not self.t or self.every == 0 or t - self.t[-1] >= self.every:
            if self.t and t == self.t[-1]:
                self.D[-1] = D
                return False
            self.t.append(t)
            self.D.append(D)
            return True
        return False


def _early_stop(rec: _Recorder, opts: DynamicsOptions) -> bool:
    if opts.stop_rtol is None or len(rec.t) < 20:
        return False
    t = np.asarray(rec.t)
    a = np.abs(np.asarray(rec.D))
    sel = t >= t[-1] * (1 - opts.stop_window)
    if sel.sum() < 10 or a[-1] == 0:
        return False
    return bool(np.max(np.abs(a[sel] - a[-1])) <= opts.stop_rtol * a[-1])


def _validate_common(model: Any, V: float, t_max: float, seed: Any, projection: str):
    V = check_finite("V", V)
    if V == 0:
        raise ParameterError("V", "must be non-zero (V = 0 has no pairing)")
    t_max = check_positive("t_max", t_max)
    try:
        seed = complex(seed)
    except (TypeError, ValueError):
        raise ParameterError("seed", f"must be a (complex) number (got {seed!r})") from None
    if not (math.isfinite(seed.real) and math.isfinite(seed.imag)):
        raise ParameterError("seed", f"must be finite (got {seed!r})")
    if projection not in PROJECTIONS:
        raise ParameterError("projection", f"must be one of {', '.join(PROJECTIONS)} (got {projection!r})")
    for attr in ("Omega", "Gamma1", "Gamma2", "Gamma"):
        if not hasattr(model, attr):
            raise ParameterError("model", f"needs attribute {attr!r} (a LaserModel)")
    return V, t_max, seed


# ----------------------------------------------------------------------------- the solver
def simulate(
    model: Any,
    V: float,
    *,
    t_max: float,
    grid: Any = None,
    seed: complex = 1e-3,
    options: DynamicsOptions | Mapping[str, Any] | None = None,
    progress: bool | None = None,
    projection: str = "eq18",
    initial: np.ndarray | str | None = None,
    seed_profile: str = "uniform",
) -> DynamicsResult:
    """Integrate Eq. (9) on a momentum grid with ``Delta(t)`` self-consistent (Sect. II.C).

    Parameters
    ----------
    model : LaserModel
        Physical parameters (rotating-frame dispersions, ``Omega``, ``Gamma1``, ``Gamma2``,
        ``T``, cutoff ``kmax``), e.g. ``keldysh.preset("fig4")``.
    V : float
        Coupling (non-zero; V > 0 attractive).
    t_max : float
        Final time (> 0).
    grid : MomentumGrid, optional
        Momentum nodes/weights; default ``momentum_grid(model, order=options.order)``.
    seed : complex
        ``Delta(0)``: ``s21_k(0) = c shape_k`` with ``c`` such that Eq. (18) (or 17) gives exactly
        this value (the populations are shifted by the least amount keeping the state physical).
    options : DynamicsOptions or mapping
        Numerical options; unknown names raise ``ParameterError``.
    progress : bool or None
        Progress bar on stderr (tqdm); ``None``: only on a terminal, shown after 2 s.
    projection : {"eq18", "eq17"}
        Self-consistency.  ``"eq18"`` (the paper's choice, Eq. 18): ``Delta^* = V int (dk)
        s21 Re[1/(E + i Gamma)] (E + i Gamma)``; in the steady state ``Delta^*`` multiplies a
        real kernel, so ``Delta`` settles to a fixed phase.  ``"eq17"``: ``Delta^* = V int
        (dk) s21``.  Then ``s21 = -Delta^* x/(E + i Gamma)`` gives a *complex* gap equation,
        which a constant ``Delta`` cannot satisfy: the dynamics picks ``Delta ~ exp(-i mu t)``
        (``s21`` then sees ``E -> E - mu``), i.e. the phase winds at a constant rate
        (``DynamicsResult.phase_velocity``) while ``|Delta|`` converges to the solution of
        ``1 = -V int (dk) x/(E - mu + i Gamma)``.
    initial : ndarray, "pumped" or None
        ``None``: the state of Sect. II.C (equilibrium populations) plus the seed.
        ``"pumped"``: the unpaired steady state under the laser (:func:`pumped_state`) plus
        the seed -- the drive switched on long before the pairing is seeded, which avoids
        the long decay of the seed while the drive builds the population imbalance (Fig. 6).
        An array ``(N, 6)``: ``(n11, n22, Re n21, Im n21, Re s21, Im s21)`` per node
        (used as is; ``seed`` ignored).
    seed_profile : {"uniform", "lorentzian"}
        ``shape_k`` of the seed: 1 (default: every node; the cutoff then rings in ``Delta(t)``
        at ``|E(kmax)|`` for ``t ~ 1/Gamma``) or ``Gamma^2/(E_k^2 + Gamma^2)`` (pairs near the
        resonance only: smoother, but Eq. 18 weighs them by ``E^2/(E^2 + Gamma^2)``, so
        ``s21`` must be ~30x larger for the same ``Delta(0)`` and small ``V`` cannot be seeded).

    Returns
    -------
    DynamicsResult
    """
    return simulate_many(
        model,
        [V],
        t_max=t_max,
        grid=grid,
        seed=seed,
        options=options,
        progress=progress,
        projection=projection,
        initial=initial,
        seed_profile=seed_profile,
    )[0]


def simulate_many(
    model: Any,
    Vs: Sequence[float],
    *,
    t_max: float,
    grid: Any = None,
    seed: complex = 1e-3,
    options: DynamicsOptions | Mapping[str, Any] | None = None,
    progress: bool | None = None,
    projection: str = "eq18",
    initial: np.ndarray | str | None = None,
    seed_profile: str = "uniform",
) -> list[DynamicsResult]:
    """:func:`simulate` for several couplings ``Vs`` of one model on one grid (a sweep in V).

    The runs are independent.  With a scipy integrator they are advanced *together* as one
    system (one batched sparse mat-vec per evaluation, one step-size sequence; the
    tolerances are divided by ``sqrt(len(Vs))`` so that the RMS error norm of every member
    stays within the requested ``rtol``/``atol``), which amortises the per-step overhead of
    ``scipy.integrate`` over the curves (Fig. 4: three couplings).  The Magnus integrator
    controls its step on each ``Delta(t)`` and runs them one after the other.  Parameters as
    in :func:`simulate`; returns one :class:`DynamicsResult` per coupling, in order.
    """
    from keldysh.paper.quadrature import momentum_grid

    wall0 = time.perf_counter()
    try:
        Vs = [float(v) for v in np.atleast_1d(np.asarray(Vs, dtype=object))]
    except (TypeError, ValueError):
        raise ParameterError("V", f"must be a real number or a sequence of them (got {Vs!r})") from None
    if not Vs:
        raise ParameterError("V", "needs at least one coupling")
    checked = [_validate_common(model, V, t_max, seed, projection) for V in Vs]
    Vs = [c[0] for c in checked]
    t_max, seed = checked[0][1], checked[0][2]
    opts = DynamicsOptions.make(options)
    if grid is None:
        grid = momentum_grid(model, order=opts.order)
    N = grid.E.size
    Ks = [_projection_weights(model, grid, V, projection) for V in Vs]
    base = None
    if isinstance(initial, str):
        if initial != "pumped":
            raise ParameterError("initial", f"must be None, 'pumped' or an array (got {initial!r})")
        base = pumped_state(model, grid)
    if initial is not None and not isinstance(initial, str):
        arr = np.array(initial, dtype=float)
        if arr.shape == (N, 6):
            arr = np.broadcast_to(arr, (len(Vs), N, 6))
        if arr.shape != (len(Vs), N, 6) or not np.all(np.isfinite(arr)):
            raise ParameterError("initial", f"must be a finite array of shape ({N}, 6) (or ({len(Vs)}, {N}, 6))")
        u0s = [np.array(a) for a in arr]
    else:
        shape = _seed_shape(model, grid, seed_profile)
        u0s = [_seeded_state(grid, K, seed, shape, base) for K in Ks]
    A0, Ar, Ai = block_matrices(model, grid)
    omega_max = float(np.abs(np.linalg.eigvals(A0[:, :6, :6]).imag).max())
    if opts.method == "auto":
        chosen = "DOP853" if t_max * omega_max / (2 * math.pi) < AUTO_CYCLES else "magnus4"
        opts = replace(opts, method=chosen, atol=opts.atol)

    members = [_Member(K, u0, opts, omega_max) for K, u0 in zip(Ks, u0s)]
    label = f"V={Vs[0]:g}" if len(Vs) == 1 else f"V={','.join(f'{v:g}' for v in Vs)}"
    bar = _progress(progress, t_max * (len(Vs) if opts.method in MAGNUS_METHODS else 1), label)
    try:
        if opts.method in MAGNUS_METHODS:
            delta_linear = math.sqrt(LINEAR_BACKACTION * opts.rtol * model.Gamma * 2 * min(model.Gamma1, model.Gamma2))
            for mem in members:
                t0 = time.perf_counter()
                mem.u, mem.t_end, stats = _run_magnus(
                    A0, Ar, Ai, mem.K, mem.u0, t_max, opts, mem.delta_of, mem.rec, mem.check_state, bar, delta_linear
                )
                stats["delta_linear"] = delta_linear
                mem.diag.update(stats)
                mem.diag["seconds"] = time.perf_counter() - t0
        else:
            _run_scipy_batch((A0, Ar, Ai), members, t_max, opts, bar)
            for mem in members:
                mem.diag["seconds"] = (time.perf_counter() - wall0) / len(members)
    finally:
        if bar is not None:
            bar.close()
    out = []
    for V, mem in zip(Vs, members):
        u = mem.u
        mem.check_state(u, True)
        diag = mem.diag
        diag["early_stop"] = bool(mem.t_end < t_max)
        diag["physical"] = bool(diag["nambu_min_eig"] > -1e-6 and diag["nambu_max_eig"] < 1 + 1e-6)
        diag["batch"] = len(Vs)
        times = np.asarray(mem.rec.t)
        D = np.asarray(mem.rec.D, complex)
        out.append(
            DynamicsResult(
                times=times,
                Delta=D,
                q=np.asarray(grid.q),
                w=np.asarray(grid.w),
                s21=u[:, 4] + 1j * u[:, 5],
                n11=u[:, 0].copy(),
                n22=u[:, 1].copy(),
                n21=u[:, 2] + 1j * u[:, 3],
                V=V,
                seed=seed,
                projection=projection,
                frame="rotating",
                t_max=t_max,
                options=opts,
                params=model.to_dict() if hasattr(model, "to_dict") else {},
                diagnostics=diag,
                t_converged=t_converged(times, np.abs(D)),
            )
        )
    return out


class _Member:
    """One coupling of a (batched) run: weights, state, recorder and diagnostics."""

    def __init__(self, K: np.ndarray, u0: np.ndarray, opts: DynamicsOptions, omega_max: float):
        self.K, self.u0, self.u, self.t_end = K, u0, u0, 0.0
        self.rec = _Recorder(opts.record_every)
        self.check_every = opts.check_every
        self.n_rec = 0
        self.diag: dict[str, Any] = {
            "omega_max": omega_max,
            "population_min": float(min(u0[:, 0].min(), u0[:, 1].min())),
            "population_max": float(max(u0[:, 0].max(), u0[:, 1].max())),
            "nambu_min_eig": math.inf,
            "nambu_max_eig": -math.inf,
            "steps": 0,
            "rejected": 0,
        }

    def delta_of(self, u: np.ndarray) -> complex:
        """Eq. (18) (or 17): ``Delta = conj(sum_k K_k s21_k)``."""
        return complex(np.conj(np.dot(self.K, u[:, 4] + 1j * u[:, 5])))

    def check_state(self, u: np.ndarray, full: bool) -> None:
        d = self.diag
        d["population_min"] = min(d["population_min"], float(min(u[:, 0].min(), u[:, 1].min())))
        d["population_max"] = max(d["population_max"], float(max(u[:, 0].max(), u[:, 1].max())))
        if full:
            ev = nambu_eigenvalues(u)
            d["nambu_min_eig"] = min(d["nambu_min_eig"], float(ev.min()))
            d["nambu_max_eig"] = max(d["nambu_max_eig"], float(ev.max()))
        if not np.all(np.isfinite(u)):
            raise FloatingPointError("the state became non-finite")

    def record(self, t: float, D: complex, u: np.ndarray, force: bool) -> None:
        if self.rec.add(t, D, force=force):
            self.n_rec += 1
            self.check_state(u, self.n_rec % self.check_every == 0)


def _run_scipy_batch(mats: tuple, members: list[_Member], t_max: float, opts: DynamicsOptions, bar) -> None:
    """``scipy.integrate`` solver (by name) on the derived Eq. (9) for all members at once."""
    import scipy.integrate as si

    from keldysh.paper.solvers._kernels import AffineRHS

    B = len(members)
    N = mats[0].shape[0]
    rhs = AffineRHS(mats, np.stack([m.K for m in members]))
    nfev = [0]

    def f(t: float, y: np.ndarray) -> np.ndarray:
        nfev[0] += 1
        return rhs(y.reshape(B, N, 6)).ravel()

    U0 = np.stack([m.u0 for m in members])  # (B, N, 6)
    for m in members:
        m.rec.add(0.0, m.delta_of(m.u0), force=True)
        m.check_state(m.u0, True)
    extra: dict[str, Any] = {}
    if math.isfinite(opts.max_step):
        extra["max_step"] = opts.max_step
    if opts.first_step is not None:
        extra["first_step"] = opts.first_step
    shrink = 1.0 / math.sqrt(B)  # RMS norm over the batch: each member within rtol, atol
    solver = getattr(si, opts.method)(
        f, 0.0, U0.ravel(), t_max, rtol=opts.rtol * shrink, atol=opts.atol * shrink, **extra
    )
    steps, last = 0, 0.0
    while solver.status == "running":
        msg = solver.step()
        if solver.status == "failed":
            raise RuntimeError(f"{opts.method} failed at t = {solver.t:.6g}: {msg}")
        steps += 1
        if bar is not None:
            bar.update(solver.t - last)
            last = solver.t
        U = solver.y.reshape(B, N, 6)
        done = solver.status != "running"
        for b, m in enumerate(members):
            u = U[b]
            m.record(solver.t, m.delta_of(u), u, done)
        if all(_early_stop(m.rec, opts) for m in members):
            break
    U = solver.y.reshape(B, N, 6)
    for b, m in enumerate(members):
        m.u = U[b].copy()
        m.t_end = float(solver.t)
        m.diag.update(steps=steps, rejected=0, rhs_evaluations=nfev[0])


def _hermite(D0: complex, d0: complex, D1: complex, d1: complex, h: float, th) -> np.ndarray:
    """Cubic Hermite interpolant of ``Delta`` on a step of length ``h`` at fractions ``th``."""
    out = []
    for x in np.atleast_1d(th).tolist():  # a few scalars: plain complex arithmetic
        x2, x3 = x * x, x * x * x
        out.append(
            (2 * x3 - 3 * x2 + 1) * D0 + (x3 - 2 * x2 + x) * h * d0 + (-2 * x3 + 3 * x2) * D1 + (x3 - x2) * h * d1
        )
    return np.array(out)


def _hermite_deriv(D0: complex, d0: complex, D1: complex, d1: complex, h: float, th) -> np.ndarray:
    """Time derivative of :func:`_hermite`."""
    out = []
    for x in np.atleast_1d(th).tolist():
        x2 = x * x
        out.append(
            ((6 * x2 - 6 * x) * D0 + (-6 * x2 + 6 * x) * D1) / h + (3 * x2 - 4 * x + 1) * d0 + (3 * x2 - 2 * x) * d1
        )
    return np.array(out)


def _run_magnus(A0, Ar, Ai, K, u0, t_max, opts, delta_of, rec, check_state, bar, delta_linear=0.0):
    """Adaptive exponential (Magnus) integrator with self-consistent ``Delta`` (see module doc).

    One step ``t -> t + h``: the unknown end values ``z = (Delta_1, h dDelta_1/dt)`` fix the
    cubic Hermite path of ``Delta`` on the step; the map ``z -> G(z)`` (path -> Magnus
    exponentials -> new state -> its ``Delta`` and ``dDelta/dt``) is solved for its fixed point
    by a quasi-Newton iteration (Broyden's update of the inverse Jacobian of ``G(z) - z`` on
    4 real unknowns, carried from step to step), which converges also when
    ``h`` exceeds the inverse pairing rate (where plain iteration diverges).  The step is
    accepted when the fixed point is converged and the estimated error of the Hermite path
    (from the extrapolating predictor, rescaled to the Gauss points) is within tolerance.
    """
    N = u0.shape[0]
    absK = np.abs(K)
    rtol_linear = opts.rtol if opts.rtol_linear is None else max(opts.rtol, opts.rtol_linear)
    order4 = opts.method == "magnus4"
    ones = np.ones((N, 1))
    # fastest free frequency of each node (imaginary parts of the eigenvalues of A0)
    omega_k = np.abs(np.linalg.eigvals(A0[:, :6, :6]).imag).max(axis=1)

    # the pairing rows (Re s21, Im s21) of the generator: dDelta/dt = conj(K . ds21/dt)
    S0, Sr, Si = (np.ascontiguousarray(A[:, 4:6, :]) for A in (A0, Ar, Ai))

    def ddelta(u: np.ndarray, D: complex) -> complex:
        ua = np.concatenate([u, ones], axis=1)
        ds = np.einsum("kij,kj->ki", S0 + D.real * Sr + D.imag * Si, ua)
        return complex(np.conj(np.dot(K, ds[:, 0] + 1j * ds[:, 1])))

    counters = {"exp": 0}

    from keldysh.paper.solvers._kernels import MagnusStep

    step_nodes = MagnusStep((A0, Ar, Ai))

    def advance(u, D, dD, D1, dD1, h):
        Dg = _hermite(D, dD, D1, dD1, h, np.array(_GAUSS))
        filt = None
        if order4:
            # The commutator term of the 4th-order Magnus generator is the Taylor expansion of
            # the forced response in h: for a node rotating fast (omega_k h >> 1) it is wrong by
            # a factor ~ omega_k h.  It is filtered by 1/(1 + (omega_k h/pi)^2), which changes
            # the local error only at O(h^5) (the method stays 4th order as h -> 0), and leaves
            # the fast nodes with the bounded lag error O(h dDelta/dt / omega_k) of the
            # exponential midpoint rule.
            filt = (_SQ3 / 12.0 * h * h) / (1.0 + (omega_k * h / math.pi) ** 2)
        u1 = step_nodes(u, complex(Dg[0]), complex(Dg[1]), h, filt)
        counters["exp"] += 1
        E1 = delta_of(u1)
        return u1, E1, ddelta(u1, E1)

    def pack(D1, dD1, h):
        return np.array([D1.real, D1.imag, h * dD1.real, h * dD1.imag])

    rate = float(np.abs(A0).sum(axis=-1).max())
    h = opts.first_step if opts.first_step is not None else 0.1 / max(rate, 1e-300)
    h = min(h, opts.max_step, t_max)
    t = 0.0
    u = u0.copy()
    D = delta_of(u)
    dD = ddelta(u, D)
    prev = None  # (D_prev, dD_prev, h_prev) for the extrapolating predictor
    rec.add(t, D, force=True)
    check_state(u, True)
    steps = rejected = iters = 0
    log_scale = 0  # s21 and Delta are stored times _RESCALE**log_scale (underflow guard)
    n_rec = 0
    safety, pexp = 0.9, 0.25
    max_it = max(3, opts.corrector_iterations + 6)
    Jinv = -np.eye(4)  # inverse Jacobian of the fixed-point residual (Broyden, warm-started)
    while t < t_max:
        h = min(h, t_max - t)
        if t + h >= t_max * (1 - 1e-12):
            h = t_max - t
        # predictor: extrapolate the previous step's Hermite cubic (Taylor on the first step)
        if prev is None:
            D1p, dD1p = D + dD * h, dD
        else:
            Dp, dDp, hp = prev
            the = np.array([1.0 + h / hp])
            D1p = complex(_hermite(Dp, dDp, D, dD, hp, the)[0])
            dD1p = complex(_hermite_deriv(Dp, dDp, D, dD, hp, the)[0])
        atol = opts.atol if log_scale == 0 or opts.atol == 0 else 1e300  # atol is for the true Delta
        # Tolerance scale of the Delta path: the coherent amplitude sum_k |K_k s21_k| of which
        # Delta is the (possibly cancelling) sum, and |Delta| itself; in the linear regime
        # (|Delta| < delta_linear, see DynamicsOptions.rtol_linear) the looser rtol_linear.
        coh = float(np.dot(absK, np.hypot(u[:, 4], u[:, 5])))
        true_abs = abs(D) * _RESCALE ** (-log_scale) if log_scale else abs(D)
        rtol = rtol_linear if true_abs < delta_linear else opts.rtol
        scale = atol + rtol * max(abs(D), abs(D1p), coh)
        ftol = _FTOL_FACTOR * scale
        # fixed point z = G(z): quasi-Newton with Broyden's ("good") update of the inverse
        # Jacobian of f = G(z) - z, warm-started from the previous steps (the map changes
        # slowly from step to step); the first pass of a fresh start is the plain iteration.
        x = pack(D1p, dD1p, h)
        ok = False
        xp = fp = None
        for it in range(max_it):
            D1 = complex(x[0], x[1])
            dD1 = complex(x[2], x[3]) / h
            with np.errstate(over="ignore", invalid="ignore"):
                u1, E1, dE1 = advance(u, D, dD, D1, dD1, h)
            iters += 1
            g = pack(E1, dE1, h)
            f = g - x
            fmax = float(np.max(np.abs(f)))
            if it >= opts.corrector_iterations - 1 and fmax <= ftol:
                ok = True
                break
            if not math.isfinite(fmax) or (fp is not None and fmax > 1e3 * float(np.max(np.abs(fp))) + ftol):
                break  # a diverging quasi-Newton step: reject, restart from the plain iteration
            if fp is not None:
                dx, df = x - xp, f - fp
                v = Jinv @ df
                den = float(dx @ v)
                if den != 0.0 and math.isfinite(den):
                    Jinv += np.outer(dx - v, dx @ Jinv) / den
            xp, fp = x, f
            x = x - Jinv @ f
        if not ok or not np.all(np.isfinite(Jinv)):
            Jinv = -np.eye(4)
        D1, dD1 = E1, dE1
        # Error of the cubic Hermite path of Delta at the Gauss points, estimated from the
        # (larger, same-order) error of the extrapolating predictor at the step end: both are
        # theta^2 (theta - 1)^2 H^4 |d^4 Delta/dt^4| / 24 for their own theta and H.
        scale = atol + rtol * max(abs(D), abs(D1), coh)
        if prev is None:
            ratio = 0.25  # the Taylor predictor is of lower order: a crude factor, first step only
        else:
            the = 1.0 + h / hp
            tg = _GAUSS[0]
            ratio = (tg * tg * (1 - tg) ** 2 * h**4) / (the * the * (the - 1) ** 2 * hp**4)
        err = ratio * abs(D1 - D1p) / scale if scale > 0 else 0.0
        if not ok:
            err = max(err, 4.0)
        if err <= 1.0 or h <= 1e-12 * max(1.0, t):
            prev = (D, dD, h)
            t += h
            u, D, dD = u1, D1, dD1
            steps += 1
            if bar is not None:
                bar.update(h)
            # A decayed seed would underflow (|s21| < 1e-308) and could never regrow.  While
            # |s21| is tiny the pairing sector is linear and homogeneous in (s21, Delta) (the
            # populations feel it only at O(|s21|^2)), so it is rescaled exactly by 10^150
            # and the recorded Delta carries the factor back.
            smax = float(np.abs(u[:, 4:6]).max())
            if 0 < smax < 1e-200:
                u[:, 4:6] *= _RESCALE
                log_scale += 1
                D, dD = D * _RESCALE, dD * _RESCALE
                prev = (prev[0] * _RESCALE, prev[1] * _RESCALE, prev[2])
            elif log_scale > 0 and smax > 1e-40:
                u[:, 4:6] /= _RESCALE
                log_scale -= 1
                D, dD = D / _RESCALE, dD / _RESCALE
                prev = (prev[0] / _RESCALE, prev[1] / _RESCALE, prev[2])
            if rec.add(t, D / _RESCALE**log_scale if log_scale else D, force=t >= t_max):
                n_rec += 1
                check_state(u, n_rec % opts.check_every == 0)
            if _early_stop(rec, opts):
                break
            fac = 5.0 if err == 0 else min(5.0, max(0.2, safety * err ** (-pexp)))
            h = min(h * fac, opts.max_step)
        else:
            rejected += 1
            h *= max(0.1, min(0.5, safety * err ** (-pexp)))
    return (
        u,
        t,
        {"steps": steps, "rejected": rejected, "exponentials": counters["exp"], "fixed_point_iterations": iters},
    )


def _run_scipy_lab(model, grid, u0, t_max, opts, delta_of, rec, check_state, bar, omega0):
    """``scipy.integrate`` solver (by name) on the derived lab-frame Eq. (6)."""
    import scipy.integrate as si

    E = grid.E
    f1 = np.broadcast_to(np.asarray(grid.f1, float), E.shape)
    f2 = np.broadcast_to(np.asarray(grid.f2, float), E.shape)
    N = E.size
    nfev = [0]
    # Eq. (6) is affine in the state and real-affine in Delta and in cos(omega0 t): probe
    # the lambdified derived RHS at cos = 1 and cos = 0 (t = 0 and t = pi/(2 omega0))
    fn = lab_rhs_func()
    E1 = grid.Et1 - omega0 / 2
    E2 = grid.Et2 + omega0 / 2
    probes = np.zeros((7, N, 6))
    for j in range(6):
        probes[j, :, j] = 1.0

    def probe(D: complex, t: float) -> np.ndarray:
        r = fn(
            probes[..., 0],
            probes[..., 1],
            probes[..., 2] + 1j * probes[..., 3],
            probes[..., 4] + 1j * probes[..., 5],
            E1,
            E2,
            D,
            model.Omega,
            omega0,
            t,
            model.Gamma1,
            model.Gamma2,
            f1,
            f2,
        )
        r = _to_real(*r, shape=(7, N))
        A = np.zeros((N, 6, 7))
        A[:, :, 6] = r[6]
        A[:, :, :6] = np.transpose(r[:6] - r[6][None], (1, 2, 0))
        return A

    tq = math.pi / (2 * omega0)
    B0 = probe(0.0, tq)
    Bc = probe(0.0, 0.0) - B0
    Br = probe(1.0, tq) - B0
    Bi = probe(1j, tq) - B0
    rng = np.random.default_rng(7)
    uu, DD, tt = rng.normal(size=(N, 6)), complex(*rng.normal(size=2)), float(rng.uniform(0, 10))
    direct = _to_real(
        *fn(
            uu[:, 0],
            uu[:, 1],
            uu[:, 2] + 1j * uu[:, 3],
            uu[:, 4] + 1j * uu[:, 5],
            E1,
            E2,
            DD,
            model.Omega,
            omega0,
            tt,
            model.Gamma1,
            model.Gamma2,
            f1,
            f2,
        ),
        shape=(N,),
    )
    Mt = B0 + math.cos(omega0 * tt) * Bc + DD.real * Br + DD.imag * Bi
    via = np.einsum("kij,kj->ki", Mt[:, :, :6], uu) + Mt[:, :, 6]
    if not np.allclose(direct, via, rtol=0, atol=1e-9 * (1 + np.abs(direct).max())):
        raise RuntimeError("Eq. (6) is not affine in the state / Delta / cos(omega0 t) as assumed")
    B0m, Bcm, Brm, Bim = (np.ascontiguousarray(b[:, :, :6]) for b in (B0, Bc, Br, Bi))
    B0c, Bcc, Brc, Bic = (np.ascontiguousarray(b[:, :, 6]) for b in (B0, Bc, Br, Bi))

    def f(t: float, y: np.ndarray) -> np.ndarray:
        nfev[0] += 1
        u = y.reshape(N, 6)
        D = delta_of(u)
        c = math.cos(omega0 * t)
        M = B0m + c * Bcm + D.real * Brm + D.imag * Bim
        du = np.einsum("kij,kj->ki", M, u)
        du += B0c + c * Bcc + D.real * Brc + D.imag * Bic
        return du.ravel()

    rec.add(0.0, delta_of(u0), force=True)
    check_state(u0, True)
    extra: dict[str, Any] = {}
    if math.isfinite(opts.max_step):
        extra["max_step"] = opts.max_step
    if opts.first_step is not None:
        extra["first_step"] = opts.first_step
    solver = getattr(si, opts.method)(f, 0.0, u0.ravel().copy(), t_max, rtol=opts.rtol, atol=opts.atol, **extra)
    steps = 0
    n_rec = 0
    last = 0.0
    while solver.status == "running":
        msg = solver.step()
        if solver.status == "failed":
            raise RuntimeError(f"{opts.method} failed at t = {solver.t:.6g}: {msg}")
        steps += 1
        u = solver.y.reshape(N, 6)
        if bar is not None:
            bar.update(solver.t - last)
            last = solver.t
        if rec.add(solver.t, delta_of(u), force=solver.status != "running"):
            n_rec += 1
            check_state(u, n_rec % opts.check_every == 0)
        if _early_stop(rec, opts):
            break
    return solver.y.reshape(N, 6).copy(), float(solver.t), {"steps": steps, "rejected": 0, "rhs_evaluations": nfev[0]}


def simulate_lab(
    model: Any,
    V: float,
    *,
    omega0: float | None = None,
    t_max: float,
    grid: Any = None,
    seed: complex = 1e-3,
    options: DynamicsOptions | Mapping[str, Any] | None = None,
    progress: bool | None = None,
    projection: str = "eq18",
    average_periods: int = 20,
    seed_profile: str = "uniform",
) -> DynamicsResult:
    """Integrate the lab-frame equations of motion, Eq. (6), *without* the RWA.

    The drive is ``Omega(t) = Omega cos(omega0 t)`` and the lab energies are
    ``E1 = Etilde1 - omega0/2``, ``E2 = Etilde2 + omega0/2`` (Sect. II.A); the right-hand
    sides are :func:`keldysh.paper.symbolic.master.lab_eom` lambdified (:func:`lab_rhs_func`).
    ``s21`` is invariant under the rotation of Eqs. (7)-(8) (``E1 + E2 = E``), so ``Delta``
    and the self-consistency (Eq. 18 / 17) are the same as in the rotating frame; ``n21``
    here is the lab-frame coherence ``n21_rot exp(+i omega0 t)``.  The counter-rotating
    terms make ``|Delta|`` oscillate at ``2 omega0``; ``diagnostics["delta_time_averaged"]``
    is its average over the last ``average_periods`` periods ``2 pi/omega0``, which tends to
    the RWA steady state as ``omega0 -> infinity``.

    Parameters
    ----------
    model : LaserModel
    V : float
        Coupling (non-zero).
    omega0 : float, optional
        Laser frequency (> 0); default ``model.omega0``.
    t_max : float
        Final time (> 0).
    grid, seed, options, progress, projection, seed_profile
        As in :func:`simulate`; ``options.method`` must be a scipy method (default here
        ``"DOP853"`` when ``"magnus4"``/``"magnus2"`` is requested: the drive is explicitly
        time dependent).
    average_periods : int
        Number of drive periods of the final time average (>= 1).

    Returns
    -------
    DynamicsResult
        With ``frame="lab"``.
    """
    from keldysh.paper.quadrature import momentum_grid

    wall0 = time.perf_counter()
    V, t_max, seed = _validate_common(model, V, t_max, seed, projection)
    if omega0 is None:
        omega0 = getattr(model, "omega0", None)
    if omega0 is None:
        raise ParameterError("omega0", "the lab frame needs the laser frequency omega0 (argument or model.omega0)")
    omega0 = check_positive("omega0", omega0)
    if int(average_periods) != average_periods or average_periods < 1:
        raise ParameterError("average_periods", f"must be an integer >= 1 (got {average_periods!r})")
    opts = DynamicsOptions.make(options)
    if opts.method in MAGNUS_METHODS + ("auto",):
        opts = replace(opts, method="DOP853")
    if getattr(model, "omega0", None) != omega0 and hasattr(model, "replace"):
        model = model.replace(omega0=omega0)
    if grid is None:
        grid = momentum_grid(model, order=opts.order)
    K = _projection_weights(model, grid, V, projection)
    u0 = _seeded_state(grid, K, seed, _seed_shape(model, grid, seed_profile))
    mem = _Member(K, u0, opts, math.nan)
    delta_of, check_state, rec, diag = mem.delta_of, mem.check_state, mem.rec, mem.diag

    bar = _progress(progress, t_max, f"lab V={V:g}")
    try:
        u, t_end, stats = _run_scipy_lab(model, grid, u0, t_max, opts, delta_of, rec, check_state, bar, omega0)
    finally:
        if bar is not None:
            bar.close()
    check_state(u, True)
    times, D = np.asarray(rec.t), np.asarray(rec.D, complex)
    window = average_periods * 2 * math.pi / omega0
    sel = times >= times[-1] - window
    if sel.sum() >= 3 and times[-1] - times[0] > window:
        avg = float(np.trapezoid(np.abs(D[sel]), times[sel]) / (times[sel][-1] - times[sel][0]))
    else:
        avg = float(abs(D[-1]))
    diag.update(stats)
    diag.update(
        seconds=time.perf_counter() - wall0,
        omega0=omega0,
        delta_time_averaged=avg,
        averaging_window=window,
        early_stop=bool(t_end < t_max),
    )
    diag["physical"] = bool(diag["nambu_min_eig"] > -1e-6 and diag["nambu_max_eig"] < 1 + 1e-6)
    return DynamicsResult(
        times=times,
        Delta=D,
        q=np.asarray(grid.q),
        w=np.asarray(grid.w),
        s21=u[:, 4] + 1j * u[:, 5],
        n11=u[:, 0].copy(),
        n22=u[:, 1].copy(),
        n21=u[:, 2] + 1j * u[:, 3],
        V=V,
        seed=seed,
        projection=projection,
        frame="lab",
        t_max=t_max,
        options=opts,
        params=model.to_dict() if hasattr(model, "to_dict") else {},
        diagnostics=diag,
        t_converged=t_converged(times, np.abs(D)),
    )
