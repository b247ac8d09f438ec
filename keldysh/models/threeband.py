"""The Appendix as an engine model: the laser-driven three-band semiconductor (Eqs. (A1)-(A15)).

One block per momentum pair ``(k, -k)`` with the six modes ``c_{+-k}^a`` (bands ``a = 1, 2, 3``):
the pairing (A4) joins ``c_k^2`` with ``c_{-k}^1`` and the laser (A3) joins ``c^1`` with ``c^2`` at
each momentum, so the chain ``2k - 1(-k) - 2(-k) - 1k - 2k`` closes only on all of them.  In the
rotating frame (A6)-(A8) near the resonant surface (``q`` perpendicular to it):
``E~_{1,2} = (E -+ eps)/2`` with ``eps = v_- q + kappa_- q^2``, ``E = v_+ q + kappa_+ q^2``;
the energy of band 3 drops out of every quantity used here and is set to zero.

Dissipators, each at ``k`` and at ``-k``:

* the population rates of (A11): ``Gamma1 D[c^3+ c^2]`` (2 -> 3), ``Gamma2 D[c^1+ c^2]``
  (2 -> 1), ``Gamma3 D[c^1+ c^3]`` (3 -> 1) -- quadratic and not Hermitian, so the bilinear
  equations do not close: the model is built with ``closure="fock"`` and every node is solved
  exactly on its 64 Fock states (:mod:`keldysh.meanfield.fock`), in the sector of one electron
  per momentum (``reference``: band 1 full, as before the laser is switched on);
* the interband dephasing that makes ``n^21`` decay at ``1/tau`` (A11): a Hermitian jump of rate
  ``gamma_phi = (1/tau - (Gamma1 + Gamma2)/2)/2`` (``1/tau >= (Gamma1 + Gamma2)/2``), whose form is
  a physical choice the Appendix does not make (``dephasing=``):

  - ``"gap"`` (default): the gap fluctuates at each momentum on its own, ``L_k = n_k^2 - n_k^1``;
  - ``"bands"``: each band's energy fluctuates on its own, ``L = n_k^1`` and ``L = n_k^2`` at
    ``2 gamma_phi`` each;
  - ``"pair-symmetric"``: one fluctuation shared by ``k`` and ``-k``,
    ``L = n_k^2 - n_k^1 + n_{-k}^2 - n_{-k}^1`` -- it leaves the pair amplitude
    ``<c_k^2 c_{-k}^1>`` undamped, which is what Eq. (A9) assumes;

* the pair damping ``Gamma12`` of (A9): number dephasing ``L = n_k^1 + n_k^2 + n_k^3`` at rate
  ``Gamma12`` at each momentum (the pair coherence changes the electron number at ``k`` and at
  ``-k`` by one each, so it decays at ``Gamma12/2 + Gamma12/2``; populations and ``n^21`` feel
  nothing).

Self-consistency (Eq. (39) decoupling): ``Delta = V int (dk) s``, ``s = (<c_k^2 c_{-k}^1> +
<c_{-k}^2 c_k^1>)/2`` (the two momenta of a node, each counted once over ``|q| <= k_max``), with the
package's convention ``V > 0`` attractive (Eq. (A14): ``sgn V = sgn kappa_+``).

What the exact nodes show.  The populations equal Eq. (A12) (one electron per momentum).  The
pair amplitude is damped not only at ``Gamma12``: the decay of band 2 (``Gamma1 + Gamma2``) and,
for any dephasing local in momentum, the interband dephasing damp it too.  For a local channel
``L_k = a n_k^1 + b n_k^2`` the coherence ``n^21`` dephases at ``(b - a)^2/2`` and the pair at
``(a^2 + b^2)/2 >= (b - a)^2/4`` -- at least half the coherence's rate, with equality for
``"gap"``.  Only ``"pair-symmetric"`` recovers Eq. (A9); see ``docs/errata.md`` and the check
record of the Appendix.
"""

from __future__ import annotations

from functools import cache

import sympy as sp

__all__ = ["threeband_model", "threeband_values", "DEPHASING"]

#: the forms of the interband dephasing (see the module docstring)
DEPHASING = ("gap", "bands", "pair-symmetric")

q = sp.Symbol("q", real=True)
vp, vm, kp, km = sp.symbols("v_+ v_- kappa_+ kappa_-", real=True)
Omega = sp.Symbol("Omega", nonnegative=True)
tau = sp.Symbol("tau", positive=True)
Gamma1, Gamma3, Gamma12 = sp.symbols("Gamma_1 Gamma_3 Gamma_12", positive=True)
Gamma2 = sp.Symbol("Gamma_2", nonnegative=True)
kmax, weight = sp.symbols("k_max w_q", positive=True)
V = sp.Symbol("V", real=True)
Delta = sp.Symbol("Delta")


@cache
def threeband_model(dephasing: str = "gap"):
    """The Appendix's model as a :class:`keldysh.MeanFieldModel` (Fock route; see the module docstring).

    Parameters
    ----------
    dephasing : {"gap", "bands", "pair-symmetric"}
        The form of the interband dephasing ``1/tau`` of Eq. (A11).
    """
    from keldysh.engine import Lindbladian, fermions
    from keldysh.errors import ParameterError
    from keldysh.meanfield import MeanFieldModel

    if dephasing not in DEPHASING:
        raise ParameterError("dephasing", f"must be one of {', '.join(DEPHASING)} (got {dephasing!r})")
    c1k, c2k, c3k, c1m, c2m, c3m = fermions("c_k^1 c_k^2 c_k^3 c_-k^1 c_-k^2 c_-k^3")
    eps = vm * q + km * q**2
    E = vp * q + kp * q**2
    E1, E2 = (E - eps) / 2, (E + eps) / 2
    H = 0
    for a, b in ((c1k, c2k), (c1m, c2m)):
        H += E1 * a.dag() * a + E2 * b.dag() * b + Omega / 2 * (b.dag() * a + a.dag() * b)
    H += Delta * (c2k.dag() * c1m.dag() + c2m.dag() * c1k.dag()) + sp.conjugate(Delta) * (c1m * c2k + c1k * c2m)
    gphi = (1 / tau - (Gamma1 + Gamma2) / 2) / 2
    jumps = []
    for a, b, c in ((c1k, c2k, c3k), (c1m, c2m, c3m)):
        jumps += [
            (Gamma1, c.dag() * b),
            (Gamma2, a.dag() * b),
            (Gamma3, a.dag() * c),
            (Gamma12, a.dag() * a + b.dag() * b + c.dag() * c),
        ]
        if dephasing == "gap":
            jumps.append((gphi, b.dag() * b - a.dag() * a))
        elif dephasing == "bands":
            jumps += [(2 * gphi, a.dag() * a), (2 * gphi, b.dag() * b)]
    if dephasing == "pair-symmetric":
        jumps.append((gphi, c2k.dag() * c2k - c1k.dag() * c1k + c2m.dag() * c2m - c1m.dag() * c1m))
    L = Lindbladian(H, jumps, closure="fock")
    return MeanFieldModel(
        L,
        order_parameter=Delta,
        coupling=V,
        self_consistency=V * (L.mean(c2k * c1m) + L.mean(c2m * c1k)) / 2,
        momentum=q,
        domain=(-kmax, kmax),
        measure=weight,
        reference=[c1k, c1m],
    )


def threeband_values(m) -> dict[sp.Symbol, float]:
    """Values of :func:`threeband_model`'s parameters for a :class:`keldysh.paper.threeband.ThreeBandModel`.

    Raises
    ------
    ParameterError
        When ``1/tau < (Gamma1 + Gamma2)/2``: the decay of band 2 alone dephases ``n^21`` faster
        than ``1/tau``, and no Lindblad dephasing has a negative rate.
    """
    from keldysh.errors import ParameterError

    if 1 / m.tau < (m.Gamma1 + m.Gamma2) / 2:
        raise ParameterError(
            "tau",
            f"1/tau = {1 / m.tau:.6g} < (Gamma1 + Gamma2)/2 = {(m.Gamma1 + m.Gamma2) / 2:.6g}: the decay of band 2 "
            "alone dephases n21 faster (no Lindblad form)",
        )
    return {
        vp: m.v_plus,
        vm: m.v_minus,
        kp: m.kappa_plus,
        km: m.kappa_minus,
        Omega: m.Omega,
        tau: m.tau,
        Gamma1: m.Gamma1,
        Gamma2: m.Gamma2,
        Gamma3: m.Gamma3,
        Gamma12: m.Gamma12,
        kmax: m.kmax,
        weight: m.q_weight,
    }
