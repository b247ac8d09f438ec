"""Fock-space Lindblad models: :class:`FockModel` and the paper's ``(k, -k)`` pair block (Eqs. (2), (5)).

Conventions (mode ordering, pair modes) as in :mod:`keldysh.paper.fock`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from keldysh.errors import ParameterError, check_finite, check_nonnegative, check_positive
from keldysh.paper.fock.dynamics import FloquetState, evolve, evolve_driven, floquet_steady_state, steady_state
from keldysh.paper.fock.operators import (
    _check_complex,
    _check_fraction,
    annihilators,
    hamiltonian_superoperator,
    liouvillian,
    quadratic_hamiltonian,
)

__all__ = ["FockModel", "pair_block", "PAIR_MODES"]

#: mode labels of one momentum pair: 0 = c_k^1, 1 = c_k^2, 2 = c_{-k}^1, 3 = c_{-k}^2
PAIR_MODES = {"k1": 0, "k2": 1, "mk1": 2, "mk2": 3}


# ----------------------------------------------------------------------------- models
@dataclass(frozen=True)
class FockModel:
    """A Lindblad model ``H(t) = H0 + cos(omega0 t) H_drive`` with linear jumps (Eqs. (2), (5)).

    Attributes
    ----------
    n_modes : int
    H0 : ndarray (2^M, 2^M)
        Static Hamiltonian.
    jumps : tuple of (rate, X)
        Dissipators ``rate * D[X]``.
    H_drive : ndarray or None
        Operator multiplying ``cos(omega0 t)`` (lab frame); ``None`` when static.
    omega0 : float or None
        Drive frequency.
    """

    n_modes: int
    H0: np.ndarray = field(repr=False)
    jumps: tuple = field(repr=False)
    H_drive: np.ndarray | None = field(default=None, repr=False)
    omega0: float | None = None

    @property
    def driven(self) -> bool:
        return self.H_drive is not None

    def hamiltonian(self, t: float | None = None) -> np.ndarray:
        """``H(t)``; ``t`` is required for a driven model."""
        if not self.driven:
            return self.H0
        if t is None:
            raise ParameterError("t", "a driven (lab-frame) model needs a time")
        return self.H0 + math.cos(self.omega0 * check_finite("t", t)) * self.H_drive

    @property
    def H(self) -> np.ndarray | Callable[[float], np.ndarray]:
        """The Hamiltonian: a matrix (static) or a callable ``t -> H(t)`` (driven)."""
        return self.hamiltonian if self.driven else self.H0

    def superoperators(self) -> tuple[np.ndarray, np.ndarray | None]:
        """``(L0, L1)`` with ``L(t) = L0 + cos(omega0 t) L1`` (``L1 = None`` when static)."""
        L0 = liouvillian(self.H0, self.jumps)
        L1 = hamiltonian_superoperator(self.H_drive) if self.driven else None
        return L0, L1

    def liouvillian(self, t: float | None = None) -> np.ndarray:
        """``L(t)`` (Eq. (5))."""
        return liouvillian(self.hamiltonian(t), self.jumps)

    def steady_state(self) -> np.ndarray:
        """Steady state of a static model (use :meth:`floquet` for a driven one)."""
        if self.driven:
            raise ParameterError("frame", "a driven model has no static steady state; use floquet()")
        return steady_state(self.liouvillian())

    def floquet(self, n_harmonics: int = 12) -> FloquetState:
        """Periodic long-time state of a driven model (:func:`floquet_steady_state`)."""
        if not self.driven:
            raise ParameterError("frame", "floquet() needs a driven (lab-frame) model")
        L0, L1 = self.superoperators()
        return floquet_steady_state(L0, L1, self.omega0, n_harmonics)

    def evolve(self, rho0: np.ndarray, times: Sequence[float], **options) -> np.ndarray:
        """``rho(t)`` from ``rho0`` at ``t = 0``: exact exponential (static) or ``solve_ivp`` (driven)."""
        if self.driven:
            L0, L1 = self.superoperators()
            return evolve_driven(L0, L1, self.omega0, rho0, times, **options)
        if options:
            raise ParameterError("options", f"unused for a static model: {sorted(options)}")
        return evolve(self.liouvillian(), rho0, times)


def pair_block(
    frame: str = "rwa",
    *,
    E1: float | None = None,
    E2: float | None = None,
    Et1: float | None = None,
    Et2: float | None = None,
    Omega: float,
    omega0: float | None = None,
    Gamma1: float,
    Gamma2: float,
    f1: float,
    f2: float,
    Delta: complex = 0.0,
    rate_factor: float = 2.0,
) -> FockModel:
    """One ``(k, -k)`` pair of Eq. (2) with the dissipators of Eq. (5), on 4 modes.

    Mirrors :func:`keldysh.paper.symbolic.master.pair_hamiltonian` / ``pair_lindbladian``:
    ``H = sum_{k,a} E_a n_k^a + drive sum_k (c_k^1+ c_k^2 + h.c.)
    + (i/2) Delta sum_{k,ab} c_k^a+ sigma^y_ab c_{-k}^b+ + h.c.``, built literally from
    ``sigma^x`` and ``sigma^y``; jumps ``c^+`` (rate ``rate_factor Gamma_a f_a``) and ``c``
    (rate ``rate_factor Gamma_a (1 - f_a)``) on every mode.

    Parameters
    ----------
    frame : {"lab", "rwa"}
        ``"lab"``: energies ``E1, E2``, drive ``Omega cos(omega0 t)`` (Eq. (6)).
        ``"rwa"``: rotating-frame energies ``Et1, Et2``, static drive ``Omega/2`` (Eq. (9)).
    Omega : float
        Rabi frequency (>= 0).
    omega0 : float
        Laser frequency (> 0), lab frame only.
    Gamma1, Gamma2 : float
        Amplitude decay rates (> 0).
    f1, f2 : float
        Reservoir occupations ``n_F(E_a)`` in ``[0, 1]``.
    Delta : complex
        Mean-field order parameter.
    rate_factor : float
        2 (default, see the errata of Eq. (5)) or 1 (the printed Eq. (5)).

    Returns
    -------
    FockModel
        ``H0``, ``H_drive`` (lab frame), ``omega0`` and ``jumps``.
    """
    if frame == "lab":
        if E1 is None or E2 is None or omega0 is None:
            raise ParameterError("frame", "frame='lab' needs E1, E2 and omega0")
        if Et1 is not None or Et2 is not None:
            raise ParameterError("Et1", "rotating-frame energies are not used with frame='lab'")
        e1, e2 = check_finite("E1", E1), check_finite("E2", E2)
        w = check_positive("omega0", omega0)
    elif frame == "rwa":
        if Et1 is None or Et2 is None:
            raise ParameterError("frame", "frame='rwa' needs Et1 and Et2")
        if E1 is not None or E2 is not None:
            raise ParameterError("E1", "lab-frame energies are not used with frame='rwa'")
        e1, e2 = check_finite("Et1", Et1), check_finite("Et2", Et2)
        w = None if omega0 is None else check_positive("omega0", omega0)
    else:
        raise ParameterError("frame", f"must be 'lab' or 'rwa' (got {frame!r})")
    Om = check_nonnegative("Omega", Omega)
    G1, G2 = check_positive("Gamma1", Gamma1), check_positive("Gamma2", Gamma2)
    F1, F2 = _check_fraction("f1", f1), _check_fraction("f2", f2)
    D = _check_complex("Delta", Delta)
    rf = check_positive("rate_factor", rate_factor)

    sx = np.array([[0, 1], [1, 0]], complex)
    sy = np.array([[0, -1j], [1j, 0]])
    mode = {(+1, 0): 0, (+1, 1): 1, (-1, 0): 2, (-1, 1): 3}  # (k, band-1)
    h0 = np.zeros((4, 4), complex)
    hx = np.zeros((4, 4), complex)
    g = np.zeros((4, 4), complex)
    for kk in (+1, -1):
        for a, e in ((0, e1), (1, e2)):
            h0[mode[kk, a], mode[kk, a]] = e
        for a in (0, 1):
            for b in (0, 1):
                hx[mode[kk, a], mode[kk, b]] += sx[a, b]
                # (i/2) Delta c^a+ sigma^y_ab c^b+ = (g_ij c_i^+ c_j^+)/2 with g_ij = i Delta sigma^y_ab
                g[mode[kk, a], mode[-kk, b]] += 1j * D * sy[a, b]
    C = annihilators(4)
    jumps = []
    for j, (G, f) in zip(range(4), ((G1, F1), (G2, F2), (G1, F1), (G2, F2))):
        jumps.append((rf * G * f, C[j].T.astype(complex)))
        jumps.append((rf * G * (1.0 - f), C[j].astype(complex)))
    if frame == "lab":
        return FockModel(4, quadratic_hamiltonian(h0, g), tuple(jumps), Om * quadratic_hamiltonian(hx), w)
    return FockModel(4, quadratic_hamiltonian(h0 + 0.5 * Om * hx, g), tuple(jumps), None, w)
