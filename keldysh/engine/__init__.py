"""The engine: open quadratic fermion systems from operators to equations of motion, steady
states and Keldysh Green's functions.  Knows nothing of any paper.

Data flow: :func:`fermions` -> :class:`Lindbladian` (closure test, parity-graded adjoint,
EOMs) -> exact steady state (:mod:`.steady`) or numeric covariance + Lyapunov
(:mod:`.gaussian`) -> Nambu Green's functions (:mod:`.greens`) -> exact frequency integrals
(:mod:`.residues`) -> NumPy callables (:mod:`.compile`, the only lambdify).
"""

from keldysh.engine.compile import Compiled, compile  # noqa: A004
from keldysh.engine.functions import fermi
from keldysh.engine.lindblad import ClosureError, Lindbladian, Mean, SteadyStateError, omega
from keldysh.engine.operators import FermionOperator, Mode, fermions
from keldysh.engine.residues import IntegrationError, integrate_omega

__all__ = [
    "fermions",
    "FermionOperator",
    "Mode",
    "Lindbladian",
    "ClosureError",
    "SteadyStateError",
    "Mean",
    "omega",
    "integrate_omega",
    "IntegrationError",
    "compile",
    "Compiled",
    "fermi",
]
