"""The symbolic layer: pure SymPy derivations (never imports NumPy).

Modules: :mod:`.fermions` (normal-ordered fermion algebra), :mod:`.lindblad` (equations of
motion of bilinears for quadratic Hamiltonians with linear jump operators), :mod:`.master`
(Sect. II.A: Eqs. (5), (6), (9) and the steady state, Eqs. (10)-(14)).
"""
