"""The Sect. II laser model at temperature T > 0, written as a ``kd.MeanFieldModel`` (a model file).

The block of :mod:`keldysh.models.laser` (rotating frame of Eqs. (7)-(9), pairing of Eq. (2), the
reservoirs of Eq. (5) with the amplitude rates of docs/conventions.md, the self-consistency of
Eq. (17)), with the reservoir populations evaluated at the lab-frame energies,
``f_1 = n_F(Etilde_1 - omega_0/2, T)`` and ``f_2 = n_F(Etilde_2 + omega_0/2, T)``, as the paper's
``LaserModel`` does at ``T > 0`` -- instead of the full/empty bands of ``T = 0``.

Use it from the command line::

    keldysh sweep --model docs/figures/laser_thermal.py:model --param v_1=-5 --param v_2=5 \\
        --param kappa_1=-25 --param kappa_2=-25 --param Omega=0.5 --param Gamma_1=0.00999 \\
        --param Gamma_2=1e-5 --param k_max=0.2 --param w_q=0.1591549430918953 \\
        --axis T=0.01:0.1:4 --axis omega_0=0.2,0.5,1 --param V=5 --out thermal.zarr

or from Python with :func:`values` (the numbers of a ``keldysh.LaserModel`` with ``T`` and ``omega0``).
"""

from __future__ import annotations

import sympy as sp

import keldysh as kd

q = sp.Symbol("q", real=True)
v1, v2, kap1, kap2 = sp.symbols("v_1 v_2 kappa_1 kappa_2", real=True)
Omega = sp.Symbol("Omega", nonnegative=True)
Gamma1, Gamma2 = sp.symbols("Gamma_1 Gamma_2", positive=True)
T = sp.Symbol("T", nonnegative=True)
omega0 = sp.Symbol("omega_0", positive=True)
kmax, weight = sp.symbols("k_max w_q", positive=True)
V = sp.Symbol("V", real=True)
Delta = sp.Symbol("Delta")

a1, a2, b1, b2 = kd.fermions("c_q^1 c_q^2 c_-q^1 c_-q^2")
Et1 = v1 * q + kap1 * q**2
Et2 = v2 * q + kap2 * q**2
f1 = kd.fermi(Et1 - omega0 / 2, T)  # lab-frame energies (Eq. (5) at T > 0)
f2 = kd.fermi(Et2 + omega0 / 2, T)
H = (
    Et1 * (a1.dag() * a1 + b1.dag() * b1)
    + Et2 * (a2.dag() * a2 + b2.dag() * b2)
    + Omega / 2 * (a2.dag() * a1 + a1.dag() * a2 + b2.dag() * b1 + b1.dag() * b2)
    - Delta * (a2.dag() * b1.dag() + b2.dag() * a1.dag())
    - sp.conjugate(Delta) * (b1 * a2 + a1 * b2)
)
jumps = []
for c, G, f in ((a1, Gamma1, f1), (b1, Gamma1, f1), (a2, Gamma2, f2), (b2, Gamma2, f2)):
    jumps += [(2 * G * f, c.dag()), (2 * G * (1 - f), c)]
L = kd.Lindbladian(H, jumps)
model = kd.MeanFieldModel(
    L,
    order_parameter=Delta,
    coupling=V,
    self_consistency=V * L.mean(b1 * a2),
    momentum=q,
    domain=(-kmax, kmax),
    measure=weight,
)


def values(m: kd.LaserModel) -> dict[str, float]:
    """The parameter values of :data:`model` for a near-resonance ``LaserModel`` with ``T`` and ``omega0``."""
    if m.isotropic or m.omega0 is None:
        raise kd.ParameterError("omega0", "the thermal laser model needs the near-resonance LaserModel with omega0")
    return {
        "v_1": m.v1,
        "v_2": m.v2,
        "kappa_1": m.kappa1,
        "kappa_2": m.kappa2,
        "Omega": m.Omega,
        "Gamma_1": m.Gamma1,
        "Gamma_2": m.Gamma2,
        "T": m.T,
        "omega_0": m.omega0,
        "k_max": m.kmax,
        "w_q": m.q_weight,
    }
