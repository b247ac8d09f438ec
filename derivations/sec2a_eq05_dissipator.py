#!/usr/bin/env python3
"""Eqs. (2), (5) and the identity after Eq. (6): the pairing term of H_sys and the Lindblad dissipators.

Builds the pairing term of Eq. (2) with the fermion algebra, derives the equations of motion with the
Lindblad engine for the printed rate Gamma_a and for 2 Gamma_a, and compares the identity printed after
Eq. (6) with the adjoint of the dissipator D[X] defined below Eq. (5).

Prints, for each equation, the derived form (LaTeX), the printed form, the status and, for an
erratum, why.  The logic lives in ``keldysh.paper.checks.sec2a``; exit status 1 if a check failed.
"""

from __future__ import annotations

import sys
from pathlib import Path

try:
    import keldysh  # noqa: F401
except ImportError:  # run from a source checkout without installing
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from keldysh.paper.checks.sec2a import check_model, run_script

if __name__ == "__main__":
    sys.exit(run_script(check_model))
