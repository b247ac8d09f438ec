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
           "integrate_omega", "IntegrationError", "compile", "Compiled")

__all__ = ["__version__", "ParameterError", "LaserModel", "preset", "PRESETS", "FIGURES", "solve_gap", "GapResult",
           *_ENGINE]


def __getattr__(name: str):  # lazy heavy imports (PEP 562)
    if name in ("solve_gap", "GapResult"):
        from .solvers import gap

        return getattr(gap, name)
    if name in _ENGINE:
        from . import engine

        return getattr(engine, name)
    raise AttributeError(f"module 'keldysh' has no attribute {name!r}")
