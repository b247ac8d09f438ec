"""The example model keldysh.models.bcs is the mean-field contract's model (same numbers)."""

from __future__ import annotations

import keldysh as kd
from keldysh.models import bcs_pair_model, bcs_values


def test_example_model_is_the_contract():
    # the contract's |Delta| and omega (tests/meanfield: closed form to 5e-13); the same grid and
    # algorithm, so only rounding (amplified by the root finding) can differ
    r = kd.solve_gap(bcs_pair_model(), 1.0, bcs_values())
    assert abs(r.delta - 0.0166492265557559) < 1e-10 and abs(r.omega - 9.165341986512535e-4) < 1e-10
