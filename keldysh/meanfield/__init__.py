"""Mean-field models on the engine: a momentum family of blocks closed by a self-consistency.

:class:`MeanFieldModel` (the model), :func:`solve_gap` (complete and in-phase conditions,
master and Keldysh routes), :func:`gap_solutions` (every solution, not only the branch from
``Delta = 0``), :func:`simulate` (``Delta(t)`` from the bilinear equations).
"""

from keldysh.meanfield.branches import gap_solutions
from keldysh.meanfield.dynamics import MeanFieldRun, simulate
from keldysh.meanfield.gap import MeanFieldResult, solve_gap
from keldysh.meanfield.landau import LandauCoefficients, landau_coefficients
from keldysh.meanfield.model import MeanFieldModel
from keldysh.meanfield.stability import MeanFieldStability, linear_stability

__all__ = [
    "MeanFieldModel",
    "solve_gap",
    "MeanFieldResult",
    "gap_solutions",
    "simulate",
    "MeanFieldRun",
    "linear_stability",
    "MeanFieldStability",
    "landau_coefficients",
    "LandauCoefficients",
]
