#!/usr/bin/env python3
"""Eqs. (15)-(17): mean-field decoupling of the pairing interaction.

The printed interaction, its mean-field decoupling and the self-consistency condition are compared with
the pairing term of Eq. (2) and the Keldysh action Eqs. (47b)-(48) using the fermion algebra.

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

from keldysh.paper.checks.sec2a import check_pairing, run_script

if __name__ == "__main__":
    sys.exit(run_script(check_pairing))
