"""The printed forms of Sect. II.A (Eqs. (6), (9), (11)-(14)), transcribed as SymPy for comparison.

Only the paper's *printed* forms live here; the derivations they are compared with are in
:mod:`keldysh.paper.symbolic.master` and the checks in :mod:`keldysh.paper.checks.sec2a`
(which re-exports these functions).
"""

from __future__ import annotations

__all__ = ["printed_eq6", "printed_eq9", "printed_eq11", "printed_eq12", "printed_eq13", "printed_eq14"]


def printed_eq6() -> dict[str, object]:
    """Eqs. (6a)-(6d) as printed (transcribed for comparison), ``Omega(t) = Omega cos(omega0 t)``."""
    import sympy as sp

    from keldysh.paper import symbols as S
    from keldysh.paper.symbolic.master import n11, n21, n22, s21

    Om = S.Omega * sp.cos(S.omega0 * S.t)
    n12 = sp.conjugate(n21)
    Dc, sc = sp.conjugate(S.Delta), sp.conjugate(s21)
    I = sp.I
    return {
        "n11": -I * Om * (n12 - n21) + I * S.Delta * s21 - I * Dc * sc - 2 * S.Gamma1 * (n11 - S.f1),
        "n22": -I * Om * (n21 - n12) + I * S.Delta * s21 - I * Dc * sc - 2 * S.Gamma2 * (n22 - S.f2),
        "n21": I * (S.E2 - S.E1) * n21 - I * Om * (n22 - n11) - (S.Gamma2 + S.Gamma1) * n21,
        "s21": I * (S.E2 + S.E1) * s21 + I * Dc * (n11 + n22 - 1) - (S.Gamma2 + S.Gamma1) * s21,
    }


def printed_eq9() -> dict[str, object]:
    """Eqs. (9a)-(9d) as printed, in ``E = Et1 + Et2``, ``eps = Et2 - Et1``, ``Gamma = Gamma1 + Gamma2``."""
    import sympy as sp

    from keldysh.paper import symbols as S
    from keldysh.paper.symbolic.master import n11, n21, n22, s21

    n12 = sp.conjugate(n21)
    Dc, sc = sp.conjugate(S.Delta), sp.conjugate(s21)
    I, G, Om = sp.I, S.Gamma1 + S.Gamma2, S.Omega
    return {
        "n11": -sp.Rational(1, 2) * Om * (n12 - n21) + I * S.Delta * s21 - I * Dc * sc - 2 * S.Gamma1 * (n11 - S.f1),
        "n22": -I / 2 * Om * (n21 - n12) + I * S.Delta * s21 - I * Dc * sc - 2 * S.Gamma2 * (n22 - S.f2),
        "n21": (I * S.eps - G) * n21 - I / 2 * Om * (n22 - n11),
        "s21": (I * S.E - G) * s21 + I * Dc * (n11 + n22 - 1),
    }


def _gammas():
    from keldysh.paper import symbols as S

    G = S.Gamma1 + S.Gamma2
    return G, S.Gamma1 / G, S.Gamma2 / G


def printed_eq12():
    """Xi of Eq. (12) as printed."""
    from keldysh.paper import symbols as S

    G, g1, g2 = _gammas()
    D4 = 4 * S.Delta_abs**2 / (S.E**2 + G**2)
    return 4 * g1 * g2 + D4 + S.Omega**2 / (S.eps**2 + G**2) * (1 + D4)


def printed_eq11():
    """Eq. (11) as printed: ``(gamma1 - gamma2)/Xi Omega^2/(eps^2 + Gamma^2) (f1 - f2)``."""
    from keldysh.paper import symbols as S

    G, g1, g2 = _gammas()
    return (g1 - g2) / printed_eq12() * S.Omega**2 / (S.eps**2 + G**2) * (S.f1 - S.f2)


def printed_eq13():
    """Eq. (13) as printed."""
    from keldysh.paper import symbols as S

    G, g1, g2 = _gammas()
    return (S.E**2 + G**2) / (S.E**2 + G**2 + 4 * S.Delta_abs**2) * (g1 - g2)


def printed_eq14():
    """Eq. (14) as printed."""
    from keldysh.paper import symbols as S

    G, g1, g2 = _gammas()
    return (
        (S.E**2 + G**2)
        / (S.E**2 + G**2 + S.Delta_abs**2 / (g1 * g2))
        * (g1 - g2)
        / (4 * g1 * g2)
        * S.Omega**2
        / (S.eps**2 + G**2)
    )
