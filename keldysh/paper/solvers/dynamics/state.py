"""States of the dynamics: the Nambu positivity test, the self-consistency weights of Eq. (18)
(or 17), the seeded initial state of Sect. II.C and the pumped unpaired state."""

from __future__ import annotations

from typing import Any

import numpy as np

from keldysh.errors import ParameterError
from keldysh.paper.solvers.dynamics.options import PROJECTIONS


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

    Per node, ``A0 [u; 1] = 0`` solved exactly (populations and coherence of Eqs. (11)-(12) at
    ``Delta = 0``; the pairing block is homogeneous there, so ``s21 = 0``):
    :func:`keldysh.paper.solvers.stability.steady_state` at ``Delta = 0``.
    """
    from keldysh.paper.solvers.stability import steady_state

    return steady_state(model, grid, 0.0)
