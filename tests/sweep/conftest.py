"""Shared helpers of the sweep tests: the CLI in this process and a small Fig. 4 sweep."""

from __future__ import annotations

import numpy as np
import pytest

import keldysh as kd
from keldysh.cli import main

#: a small (V, Omega) diagram of the Fig. 4 model: both sides of the threshold V_c ~ 2.15, the
#: sign rule (V < 0) and Omega = 0 (no drive: the kernel vanishes)
V_AXIS = np.array([-2.0, 1.5, 2.3, 5.0, 9.0])
OMEGA_AXIS = np.array([0.0, 0.2, 0.5, 1.0])


def cli(argv, capsys):
    """``keldysh ARGV`` in this process: (status, stdout, stderr)."""
    capsys.readouterr()
    try:
        rc = main([str(a) for a in argv])
    except SystemExit as exc:  # argparse usage errors
        rc = exc.code
    out, err = capsys.readouterr()
    return rc, out, err


@pytest.fixture(scope="session")
def fig4_sweep():
    """``kd.sweep`` of the Fig. 4 model over (V, Omega) with the paper's in-phase condition, in memory."""
    return kd.sweep(kd.preset("fig4"), condition="in-phase", V=V_AXIS, Omega=OMEGA_AXIS, progress=False)
