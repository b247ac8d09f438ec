#!/usr/bin/env python3
"""Eqs. (18)-(20) and the density of states N0 of Sect. II.C.

Gap equation from the derived s21 (Eq. (10)) and populations (Eq. (13)), its epsilon-integral over the real
line with E = (kappa_+/v_-^2) eps^2, and V_c of Fig. 4 with the 1D measure.

Prints, for each equation, the derived form (LaTeX), the printed form, the status and, for an
erratum, why.  The logic lives in ``keldysh.paper.checks.sec2b``; exit status 1 if a check failed.
"""

from __future__ import annotations

import sys
from pathlib import Path

try:
    import keldysh  # noqa: F401
except ImportError:  # run from a source checkout without installing
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from keldysh.paper.checks.sec2a import run_script
from keldysh.paper.checks.sec2b import check_gap_equation

if __name__ == "__main__":
    sys.exit(run_script(check_gap_equation))
