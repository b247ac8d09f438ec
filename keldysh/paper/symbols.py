"""SymPy symbols named after the paper's notation (one place, shared by every module).

Conventions (see ``docs/conventions.md``): hbar = k_B = 1; energies measured from the
chemical potential mu = 0; tilde quantities are in the frame rotating with the laser
(Eqs. (7)-(8)).  Rates ``Gamma1``, ``Gamma2`` are *amplitude* decay rates: populations relax
at ``2*Gamma_alpha`` and the retarded Green's function is ``(omega - H + i Gamma)^-1``.
"""

from __future__ import annotations

import sympy as sp

# time, laser
t = sp.Symbol("t", real=True)
omega0 = sp.Symbol("omega_0", positive=True)
Omega = sp.Symbol("Omega", positive=True)

# rates (amplitude decay rates, Eq. (5) with the factor 2 restored, see errata)
Gamma1, Gamma2 = sp.symbols("Gamma_1 Gamma_2", positive=True)
Gamma = sp.Symbol("Gamma", positive=True)
gamma1, gamma2 = sp.symbols("gamma_1 gamma_2", positive=True)

# energies
E1, E2 = sp.symbols("E_1 E_2", real=True)  # lab-frame band energies at k
Et1, Et2 = sp.symbols("Etilde_1 Etilde_2", real=True)  # rotating-frame energies
E = sp.Symbol("E", real=True)  # E_k = Etilde_1 + Etilde_2 (Eq. (9))
eps = sp.Symbol("epsilon", real=True)  # eps_k = Etilde_2 - Etilde_1 (Eq. (9))
f1, f2 = sp.symbols("f_1 f_2", real=True)  # n_F(E_1(k)), n_F(E_2(k))

# dispersion near the resonant surface (Sect. II.B.1)
k = sp.Symbol("k", real=True)
q = sp.Symbol("q", real=True)
v1, v2, kappa1, kappa2 = sp.symbols("v_1 v_2 kappa_1 kappa_2", real=True)
v_plus, v_minus, kappa_plus, kappa_minus = sp.symbols("v_+ v_- kappa_+ kappa_-", real=True)
N0 = sp.Symbol("N_0", positive=True)

# order parameter and coupling
Delta = sp.Symbol("Delta")  # complex
Delta_abs = sp.Symbol("|Delta|", nonnegative=True)
V = sp.Symbol("V", real=True)
T = sp.Symbol("T", nonnegative=True)

# frequency (Sect. IV)
omega = sp.Symbol("omega", real=True)
