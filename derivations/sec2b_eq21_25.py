#!/usr/bin/env python3
"""Eqs. (21)-(25): sign rule, threshold, gap, Gamma -> 0 limit, robustness against v_+ != 0.

Everything follows from the derived Eq. (20); Eq. (25) from the gap equation with E = v_+ q + kappa_+ q^2.

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
from keldysh.paper.checks.sec2b import check_opposite_velocities

if __name__ == "__main__":
    sys.exit(run_script(check_opposite_velocities))
