"""Special functions that models use in their coefficients, with exact NumPy code.

``fermi(x, T)`` is the Fermi function ``1/(exp(x/T) + 1)``; at ``T = 0`` it is the step
``theta(-x)`` with the value ``1/2`` at ``x = 0``.  It is real for real arguments (so a
Lindbladian with rates ``2 G fermi(xi, T)`` passes the Hermiticity test), and
:func:`keldysh.compile` prints it as a call of :func:`fermi_numeric` (no overflow at small
``T``, the exact step at ``T = 0``).
"""

from __future__ import annotations

import numpy as np
import sympy as sp

__all__ = ["fermi", "fermi_numeric"]


def fermi_numeric(x, T):
    """Vectorised ``n_F(x, T)``: ``(1 - tanh(x/2T))/2`` for ``T > 0``, the step (1/2 at 0) for ``T = 0``; NaN for ``T < 0``."""
    x = np.asarray(x, dtype=float)
    T = np.asarray(T, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        smooth = 0.5 * (1.0 - np.tanh(x / (2.0 * np.where(T > 0, T, 1.0))))
    step = np.where(x > 0, 0.0, np.where(x < 0, 1.0, 0.5))
    out = np.where(T > 0, smooth, np.where(T == 0, step, np.nan))
    return out[()] if out.ndim == 0 else out


class fermi(sp.Function):  # noqa: N801 - reads like the mathematical function
    """Fermi function ``n_F(x, T) = 1/(exp(x/T) + 1)``; the step ``theta(-x)`` (1/2 at 0) at ``T = 0``."""

    nargs = 2

    @classmethod
    def eval(cls, x, T):
        if T.is_zero:
            if x.is_positive:
                return sp.Integer(0)
            if x.is_negative:
                return sp.Integer(1)
            if x.is_zero:
                return sp.Rational(1, 2)
        elif T.is_positive and x.is_zero:
            return sp.Rational(1, 2)
        return None

    def _eval_is_real(self):
        x, T = self.args
        if x.is_real and T.is_real:
            return True
        return None

    def _eval_conjugate(self):
        if self.is_real:
            return self
        return None

    def _eval_evalf(self, prec):
        x, T = self.args
        if x.is_number and T.is_number and T.is_positive:
            return ((1 - sp.tanh(x / (2 * T))) / 2)._eval_evalf(prec)
        return None

    def _eval_rewrite_as_exp(self, x, T, **kwargs):
        return 1 / (sp.exp(x / T) + 1)

    def fdiff(self, argindex=1):
        x, T = self.args
        f = 1 / (sp.exp(x / T) + 1)
        return sp.diff(f, (x, T)[argindex - 1])

    def _numpycode(self, printer):
        x, T = self.args
        return f"_kd_fermi({printer._print(x)}, {printer._print(T)})"

    def _mpmathcode(self, printer):
        x, T = self.args
        return f"(1/(mpmath.exp(({printer._print(x)})/({printer._print(T)})) + 1))"

    _lambdacode = _numpycode
