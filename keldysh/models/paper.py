"""The paper's models as engine models: one entry point from a paper model to a :class:`MeanFieldModel`.

:func:`engine_model` maps a :class:`keldysh.LaserModel` (Sect. II, near resonance, ``T = 0``) or a
:class:`keldysh.paper.pumping.PumpingModel` (Sect. III) to the engine model of
:mod:`keldysh.models.laser` / :mod:`keldysh.models.pumping` and its parameter values, so that the
paper's models go through the same solvers as a user's model (:func:`keldysh.meanfield.solve_gap`,
:func:`keldysh.meanfield.simulate`, :func:`keldysh.meanfield.linear_stability`,
:func:`keldysh.meanfield.landau_coefficients`).  The Appendix's three-band model has no engine
counterpart: its jumps ``c^3+ c^2`` are quadratic and non-Hermitian, so the bilinear equations close
only in the one-electron sector (``keldysh.paper.symbolic.threeband``), and its gap equation fixes
only the threshold (weak-pairing populations); it stays with the paper's in-phase solver.
"""

from __future__ import annotations

from typing import Any

from keldysh.errors import ParameterError

__all__ = ["engine_model"]


def engine_model(model: Any) -> tuple[Any, dict]:
    """The engine model and parameter values equivalent to one of the paper's models.

    Parameters
    ----------
    model : LaserModel or PumpingModel
        Sect. II near resonance at ``T = 0`` (Eqs. (2), (5), (9), (17)) or Sect. III (Eqs. (34)-(41)).

    Returns
    -------
    (MeanFieldModel, dict)
        The model of :func:`keldysh.models.laser.laser_model` or
        :func:`keldysh.models.pumping.pumping_model` and the values of its parameters.

    Raises
    ------
    ParameterError
        For a model without an engine counterpart, with the physical reason.
    """
    from keldysh.paper.params import LaserModel
    from keldysh.paper.pumping import PumpingModel
    from keldysh.paper.threeband import ThreeBandModel

    if isinstance(model, LaserModel):
        if model.isotropic:
            raise ParameterError(
                "model",
                "the engine form of Sect. II covers the near-resonance model (the isotropic lab-frame "
                "dispersions of Sect. II.B.2 are solved with the in-phase condition only)",
            )
        if model.T != 0:
            raise ParameterError(
                "T", "the engine form of Sect. II covers T = 0 (full lower band, empty upper band, as in Figs. 4-6)"
            )
        from keldysh.models.laser import laser_model, laser_values

        return laser_model(), laser_values(model)
    if isinstance(model, PumpingModel):
        from keldysh.models.pumping import pumping_model, pumping_values

        return pumping_model(), pumping_values(model)
    if isinstance(model, ThreeBandModel):
        raise ParameterError(
            "condition",
            "the three-band model (Appendix) has no complete condition: its populations do not depend on "
            "|Delta| (weak-pairing limit, Eq. (A12)) and its quadratic jumps c3+ c2 close only in the "
            "one-electron sector; use the in-phase condition (threshold V_c and the sign rule of Eq. (A14))",
        )
    raise ParameterError("model", f"must be a LaserModel or PumpingModel (got {type(model).__name__})")
