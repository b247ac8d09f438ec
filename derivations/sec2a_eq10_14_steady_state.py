#!/usr/bin/env python3
"""Eqs. (10)-(14): exact steady state of Eq. (9) and its limits Omega -> oo and Omega^2 -> 0.

The steady state is solved exactly (Cramer's rule, complex Delta); Eqs. (11)-(12) are compared at T = 0,
Eqs. (13)-(14) as limits with their exact relative corrections and measured errors.

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

from keldysh.paper.checks.sec2a import check_steady_state, run_script

if __name__ == "__main__":
    sys.exit(run_script(check_steady_state))
