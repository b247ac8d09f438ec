#!/usr/bin/env python3
"""Eqs. (30)-(33): gamma1 gamma2 -> 0 with small Omega (exact Eq. (11) populations at gamma1 gamma2 = 0).

The epsilon-integral of the exact populations is done in closed form (partial fractions in eps^2); the
threshold and the gap near it follow.

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
from keldysh.paper.checks.sec2b import check_vanishing_rates

if __name__ == "__main__":
    sys.exit(run_script(check_vanishing_rates))
