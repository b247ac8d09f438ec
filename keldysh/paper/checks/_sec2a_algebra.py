"""Fermion-algebra helpers of the Sect. II.A checks: the pairing term of Eq. (2), the adjoint dissipator
below Eq. (5), the identity printed after Eq. (6), and the rotating-frame tools of Eqs. (7)-(9).

All of them work on the normal-ordered operator dictionaries of :mod:`keldysh.paper.symbolic.fermions`.
"""

from __future__ import annotations


def _pairing_eq2_printed(Delta):
    """The pairing terms of Eq. (2) on one (k, -k) pair, transcribed literally (both terms)."""
    import sympy as sp

    from keldysh.paper.symbolic import fermions as F
    from keldysh.paper.symbolic.master import K1, K2, MK1, MK2

    sy = sp.Matrix([[0, -sp.I], [sp.I, 0]])
    modes = {(+1, 1): K1, (+1, 2): K2, (-1, 1): MK1, (-1, 2): MK2}
    first, second = {}, {}
    for kk in (+1, -1):
        for a in (1, 2):
            for b in (1, 2):
                cf = sy[a - 1, b - 1]
                if cf == 0:
                    continue
                first = F.add(first, F.scale(F.mul(F.cdag(modes[kk, a]), F.cdag(modes[-kk, b])), sp.I / 2 * Delta * cf))
                second = F.add(
                    second, F.scale(F.mul(F.c(modes[kk, a]), F.c(modes[-kk, b])), -sp.I / 2 * sp.conjugate(Delta) * cf)
                )
    return F.normal_order(first), F.normal_order(second)


def _pair_operator_B():
    """``B = sum_k c_k^2+ c_{-k}^1+`` on one (k, -k) pair."""
    from keldysh.paper.symbolic import fermions as F
    from keldysh.paper.symbolic.master import K1, K2, MK1, MK2

    return F.add(F.mul(F.cdag(K2), F.cdag(MK1)), F.mul(F.cdag(MK2), F.cdag(K1)))


def _same(a, b) -> bool:
    from keldysh.paper.symbolic import fermions as F

    return F.is_zero(F.add(a, F.scale(b, -1)))


def _adjoint_direct(X, O):
    """``D^dagger[X] O = X^+ O X - {X^+ X, O}/2`` from the definition of D below Eq. (5)."""
    import sympy as sp

    from keldysh.paper.symbolic import fermions as F

    Xd = F.dagger(X)
    anti = F.add(F.mul(Xd, X, O), F.mul(O, Xd, X))
    return F.normal_order(F.add(F.mul(Xd, O, X), F.scale(anti, -sp.Rational(1, 2))))


def _adjoint_printed_identity(X, O):
    """The identity printed after Eq. (6): ``[X^+, O] X + X^+ [O, X]``."""
    from keldysh.paper.symbolic import fermions as F

    Xd = F.dagger(X)
    return F.add(F.mul(F.comm(Xd, O), X), F.mul(Xd, F.comm(O, X)))


def _printed_identity_lindbladian(rate_factor: int):
    """The pair Lindbladian whose dissipator uses the printed identity (no 1/2)."""
    from keldysh.paper.symbolic import fermions as F
    from keldysh.paper.symbolic.lindblad import QuadraticLindbladian
    from keldysh.paper.symbolic.master import pair_lindbladian

    base = pair_lindbladian("lab", rate_factor)

    class _Printed(QuadraticLindbladian):
        def adjoint(self, O):  # noqa: D401 - same contract as the parent
            import sympy as sp

            out = F.scale(F.comm(self.H, O), sp.I)
            for rate, X in self.jumps:
                out = F.add(out, F.scale(_adjoint_printed_identity(X, O), rate))
            return F.normal_order(out)

    return _Printed(base.n_modes, base.H, base.jumps)


def _rotate(op, G, theta):
    """``exp(i theta G) op exp(-i theta G)`` for ``G`` diagonal in the modes (words are eigen-operators)."""
    import sympy as sp

    from keldysh.paper.symbolic import fermions as F

    out = {}
    for w, cf in op.items():
        word = {w: sp.Integer(1)}
        cm = F.comm(G, word)
        lam = cm.get(w, 0)
        if not _same(cm, F.scale(word, lam)):
            raise AssertionError(f"word {w} is not an eigen-operator of ad_G")
        out = F.add(out, {w: cf * sp.exp(sp.I * theta * lam)})
    return out


def _number(mode):
    from keldysh.paper.symbolic import fermions as F

    return F.mul(F.cdag(mode), F.c(mode))


def _time_average(expr):
    """Keep the part of ``expr`` that does not oscillate in ``t`` (RWA): exponentials rewritten in ``z``."""
    import sympy as sp

    from keldysh.paper import symbols as S

    z = sp.Symbol("z")
    e = sp.expand(sp.expand(expr.rewrite(sp.exp)).subs(sp.exp(sp.I * S.omega0 * S.t), z))
    e = sp.expand(e.subs(S.t, sp.log(z) / (sp.I * S.omega0)))
    return sp.expand(sum(term for term in sp.Add.make_args(e) if term.as_coeff_exponent(z)[1] == 0))
