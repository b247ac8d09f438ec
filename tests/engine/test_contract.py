"""The engine's contract, run exactly as written in its specification, with its promised outputs."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp


def test_contract_as_written():
    import keldysh as kd

    eps, gin, gout = sp.symbols("epsilon gamma_in gamma_out", positive=True)
    (c,) = kd.fermions("c")
    L = kd.Lindbladian(eps * c.dag() * c, jumps=[(gin, c.dag()), (gout, c)])
    eom = L.eom(c.dag() * c)
    ss = L.steady_state()
    GR, GA, GK = L.greens(kd.omega)
    integral = kd.integrate_omega(GK[0, 0], kd.omega)
    num = L.steady_state(values={eps: 0.3, gin: 0.2, gout: 0.5})
    f = kd.compile(ss[c.dag() * c], [gin, gout])

    n = L.mean(c.dag() * c)
    assert sp.expand(eom - (gin - (gin + gout) * n)) == 0  # exact identities
    assert sp.simplify(ss[c.dag() * c] - gin / (gin + gout)) == 0
    assert GR.shape == GA.shape == GK.shape == (2, 2)
    assert sp.simplify(integral - (-sp.I * (1 - 2 * gin / (gin + gout)))) == 0
    assert abs(num[c.dag() * c] - 2 / 7) < 1e-15  # one division: rounding
    assert abs(float(f(0.2, 0.5)) - 2 / 7) < 1e-15
    assert np.allclose(f(np.array([0.2, 1.0]), np.array([0.5, 1.0])), [2 / 7, 0.5], atol=1e-15, rtol=0)
    qutip = pytest.importorskip("qutip")
    liou = L.to_qutip({eps: 0.3, gin: 0.2, gout: 0.5})
    assert liou.issuper and liou.shape == (4, 4)
    rho = qutip.steadystate(liou)
    assert abs(qutip.expect(qutip.fdestroy(1, 0).dag() * qutip.fdestroy(1, 0), rho) - 2 / 7) < 1e-12
