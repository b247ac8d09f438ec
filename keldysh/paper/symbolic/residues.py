"""Exact frequency integrals of Sect. IV (Eqs. (52)-(55)): the engine's residue calculus.

Kept as the paper layer's import path; the implementation is :mod:`keldysh.engine.residues`.
"""

from keldysh.engine.residues import (  # noqa: F401
    lyapunov_solve,
    real_line_integral,
    real_line_integral_roots,
    real_line_integral_split,
    upper_lower_split,
)

__all__ = [
    "real_line_integral",
    "real_line_integral_split",
    "real_line_integral_roots",
    "lyapunov_solve",
    "upper_lower_split",
]
