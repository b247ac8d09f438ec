#!/usr/bin/env python3
"""Eqs. (7)-(9): rotating frame, the phases stated before Eq. (9), and the RWA equations (9a)-(9d).

The rotation of Eqs. (7)-(8) is applied with the fermion algebra (BCH on eigen-operators of the
generator), then Eq. (6) is taken to the rotating frame and the terms at +-2 omega_0 are dropped.

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

from keldysh.paper.checks.sec2a import check_rwa, run_script

if __name__ == "__main__":
    sys.exit(run_script(check_rwa))
