"""``Lindbladian.to_qutip``: the same model as QuTiP objects (optional extra ``peers``).

Fock space in the Jordan-Wigner order of ``qutip.fdestroy(n, i)`` (mode ``i`` of the
Lindbladian is ``fdestroy(n, i)``); ``c_op = sqrt(rate) L`` so that QuTiP's master equation is
the engine's.  Used as an independent cross-check (``4^n`` Liouville space: small ``n`` only).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

__all__ = ["to_qutip", "fock_operator"]


def _import_qutip():
    try:
        import qutip
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError("to_qutip needs QuTiP: pip install 'keldysh[peers]'") from None
    return qutip


def fock_operator(terms, lindbladian, subs, what: str = "operator"):
    """The QuTiP operator of a normal-ordered dict ``terms`` at numeric ``subs``."""
    from keldysh.engine.gaussian import _num

    qutip = _import_qutip()
    n = lindbladian.n
    ann = [qutip.fdestroy(n, i) for i in range(n)]
    out = 0 * qutip.qeye([2] * n)
    for w, cf in terms.items():
        op = qutip.qeye([2] * n)
        for m, d in w:
            a = ann[lindbladian.index[m]]
            op = op * (a.dag() if d else a)
        out = out + _num(cf, subs, what) * op
    return out


def to_qutip(L, values: Mapping[Any, Any], kind: str = "liouvillian"):
    """QuTiP Liouvillian (``kind="liouvillian"``) or ``(H, c_ops)`` (``kind="operators"``) at ``values``."""
    from keldysh.engine.gaussian import _num, resolve_values
    from keldysh.errors import ParameterError

    if kind not in ("liouvillian", "operators"):
        raise ValueError("kind must be 'liouvillian' or 'operators'")
    if L.n > 10:
        raise ParameterError("n_modes", f"to_qutip builds 4^n Liouville space; {L.n} modes is too many (at most 10)")
    qutip = _import_qutip()
    subs = resolve_values(L, values)
    H = fock_operator(L.H, L, subs, "H")
    c_ops = []
    for k, (rate, J) in enumerate(L.jumps):
        r = _num(rate, subs, f"rate of jump {k}")
        if r.imag != 0 or r.real < 0:
            raise ParameterError(f"rate of jump {k}", f"must be real and >= 0 (got {r})")
        c_ops.append(math.sqrt(r.real) * fock_operator(J, L, subs, f"jump {k}"))
    if kind == "operators":
        return H, c_ops
    return qutip.liouvillian(H, c_ops)
