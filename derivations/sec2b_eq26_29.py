#!/usr/bin/env python3
"""Eqs. (26)-(29): weak Rabi frequency (populations of Eq. (14)).

The momentum integral with the Lorentzian 1/(v_-^2 q^2 + Gamma^2) is done by partial fractions; the
threshold, the ratio quoted after Eq. (28) and the gap of Eq. (29) follow.

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
from keldysh.paper.checks.sec2b import check_weak_rabi

if __name__ == "__main__":
    sys.exit(run_script(check_weak_rabi))
