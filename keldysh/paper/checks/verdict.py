"""The verdict on the in-phase prescription (Eqs. (18) and (51)), computed with the engine.

Eq. (17) is one complex equation.  A stationary solution rotates,
``Delta(t) = |Delta| e^{-2 i omega t}``, and in the frame of the block's particle number the
self-consistency reads ``|Delta| = V I(|Delta|, omega)``: two real conditions.  Eq. (18) keeps
``Re I`` at ``omega = 0`` only -- the stationarity of the action along the real direction of the
quantum field ``delta`` (Sect. IV sets its phase to zero).  Linear response
``I = chi(omega) |Delta| + O(|Delta|^3)`` decides whether a solution of the complete condition
bifurcates from ``Delta = 0``: it needs a real ``omega_c`` with ``Im chi(omega_c) = 0``.

:func:`linear_response_verdict` evaluates ``chi`` for the paper's Sect. II model rebuilt on the
engine (:mod:`keldysh.models.laser`) at a figure's parameters.
"""

from __future__ import annotations

from functools import cache

import numpy as np

__all__ = ["linear_response_verdict"]


@cache
def linear_response_verdict(preset: str = "fig4", V: float = 5.0) -> dict[str, float]:
    """``chi(0)``, the range of ``Im chi(omega)`` over ``|omega| <= 200`` and the in-phase solution.

    Returns a dict with ``re_chi0``, ``im_chi0``, ``im_chi_max`` (largest ``Im chi``, < 0 means no
    zero), ``sign_changes``, ``delta_in_phase``, ``delta_complete`` (0 when no branch exists).
    """
    from keldysh.meanfield.gap import Integrand, solve_gap
    from keldysh.meanfield.quadrature import build_grid
    from keldysh.models.laser import laser_model, laser_values
    from keldysh.paper import params

    model = laser_model()
    values = laser_values(params.preset(preset))
    vals = model.resolve(values)
    eps = 1e-7
    ws = np.r_[-np.geomspace(200.0, 1e-4, 20), 0.0, np.geomspace(1e-4, 200.0, 20)]

    def chi_at(w: float) -> complex:  # on a grid resolving the features of the frame rotating at w
        grid, _ = build_grid(model, vals, omega=w)
        return Integrand(model, model.node_data(grid.k, grid.w, vals), "master")(eps, w) / eps

    chi = np.array([chi_at(w) for w in ws])
    s = np.sign(chi.imag)
    ip = solve_gap(model, V, values, condition="in-phase")
    cp = solve_gap(model, V, values, condition="complete")
    return {
        "re_chi0": float(chi[20].real),
        "im_chi0": float(chi[20].imag),
        "im_chi_max": float(chi.imag.max()),
        "sign_changes": int(np.sum(s[:-1] * s[1:] < 0)),
        "delta_in_phase": ip.delta,
        "V_c_in_phase": ip.V_c,
        "delta_complete": cp.delta,
    }
