"""The paper's models as engine models: one entry point from a paper model to a :class:`MeanFieldModel`.

:func:`engine_model` maps a :class:`keldysh.LaserModel` (Sect. II, near resonance, ``T = 0``), a
:class:`keldysh.paper.pumping.PumpingModel` (Sect. III) or a
:class:`keldysh.paper.threeband.ThreeBandModel` (Appendix) to the engine model of
:mod:`keldysh.models.laser`, :mod:`keldysh.models.pumping` or :mod:`keldysh.models.threeband` and
its parameter values, so that the paper's models go through the same solvers as a user's model
(:func:`keldysh.meanfield.solve_gap`, and for the quadratic blocks of Sects. II and III also
:func:`keldysh.meanfield.simulate`, :func:`keldysh.meanfield.linear_stability`,
:func:`keldysh.meanfield.landau_coefficients`).  The three-band block is not quadratic (its
jumps ``c^3+ c^2`` are not Hermitian): it is solved node by node in Fock space (``method="fock"``).
"""

from __future__ import annotations

from typing import Any

from keldysh.errors import ParameterError

__all__ = ["engine_model"]


def engine_model(model: Any, dephasing: str = "gap") -> tuple[Any, dict]:
    """The engine model and parameter values equivalent to one of the paper's models.

    Parameters
    ----------
    model : LaserModel, PumpingModel or ThreeBandModel
        Sect. II near resonance at ``T = 0`` (Eqs. (2), (5), (9), (17)), Sect. III (Eqs. (34)-(41))
        or the Appendix (Eqs. (A1)-(A13)).
    dephasing : {"gap", "bands", "pair-symmetric"}
        Three-band model only: the form of its interband dephasing
        (:func:`keldysh.models.threeband.threeband_model`).

    Returns
    -------
    (MeanFieldModel, dict)
        The model of :func:`keldysh.models.laser.laser_model`,
        :func:`keldysh.models.pumping.pumping_model` or :func:`keldysh.models.threeband.threeband_model`
        and the values of its parameters.

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
        from keldysh.models.threeband import threeband_model, threeband_values

        return threeband_model(dephasing), threeband_values(model)
    raise ParameterError("model", f"must be a LaserModel, PumpingModel or ThreeBandModel (got {type(model).__name__})")
