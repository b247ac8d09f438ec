#!/usr/bin/env python3
"""Eqs. (6a)-(6d): lab-frame equations of motion of n11, n22, n21, s21.

Derived from Eqs. (2) and (5) (rates 2 Gamma_a) for one (k, -k) pair with the Lindblad engine and
compared term by term with the printed equations.

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

from keldysh.paper.checks.sec2a import check_lab_eom, run_script

if __name__ == "__main__":
    sys.exit(run_script(check_lab_eom))
