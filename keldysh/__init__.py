"""keldysh: Keldysh Green's functions and Lindblad master equations as checked symbols
and fast numbers, implementing Goldstein, Aron & Chamon, "Photoinduced superconductivity
in semiconductors", Phys. Rev. B 91, 054517 (2015).

Import is cheap: SymPy work happens lazily on first use and is cached.
"""

from __future__ import annotations

from ._version import __version__
from .errors import ParameterError
from .params import FIGURES, PRESETS, LaserModel, preset

_ENGINE = ("fermions", "FermionOperator", "Mode", "Mean", "Lindbladian", "ClosureError", "SteadyStateError", "omega",
           "integrate_omega", "IntegrationError", "compile", "Compiled", "fermi")

__all__ = ["__version__", "ParameterError", "LaserModel", "preset", "PRESETS", "FIGURES", "solve_gap", "GapResult",
           *_ENGINE, "MeanFieldModel", "MeanFieldResult", "simulate", "MeanFieldRun"]


def solve_gap(model, V, *args, **kwargs):
    """Self-consistent gap: :func:`keldysh.meanfield.solve_gap` for a :class:`MeanFieldModel`
    (complete or in-phase condition), :func:`keldysh.solvers.gap.solve_gap` for the paper's models."""
    from .meanfield.model import MeanFieldModel

    if isinstance(model, MeanFieldModel):
        from .meanfield.gap import solve_gap as mf_solve

        return mf_solve(model, V, *args, **kwargs)
    from .solvers.gap import solve_gap as paper_solve

    return paper_solve(model, V, *args, **kwargs)


_MEANFIELD = ("MeanFieldModel", "MeanFieldResult", "simulate", "MeanFieldRun")


def __getattr__(name: str):  # lazy heavy imports (PEP 562)
    if name == "GapResult":
        from .solvers import gap

        return getattr(gap, name)
    if name in _MEANFIELD:
        from . import meanfield

        return getattr(meanfield, name)
    if name in _ENGINE:
        from . import engine

        return getattr(engine, name)
    raise AttributeError(f"module 'keldysh' has no attribute {name!r}")
