"""The paper's own implementation: Goldstein, Aron & Chamon, Phys. Rev. B 91, 054517 (2015).

``keldysh.paper`` holds what is specific to that paper and is not a general tool:

- :mod:`keldysh.paper.symbolic` and :mod:`keldysh.paper.checks`: the paper's derivations and the
  equation-by-equation check records (``keldysh check``, ``docs/errata.md``);
- :mod:`keldysh.paper.solvers`: the paper's gap equation (Eqs. (18)-(20)), its dynamics (Sect. II.C),
  linear stability and the Keldysh saddle point (Sect. IV);
- :mod:`keldysh.paper.params` (:class:`LaserModel`, presets of Figs. 4-6), :mod:`keldysh.paper.pumping`
  (Sect. III), :mod:`keldysh.paper.threeband` (Appendix), :mod:`keldysh.paper.units` (the Conclusions'
  estimate), :mod:`keldysh.paper.fock` (exact Fock-space cross-check).

The general layers are apart from it: :mod:`keldysh.engine` (any open quadratic fermion system),
:mod:`keldysh.meanfield` (self-consistent models on the engine) and :mod:`keldysh.models` (the paper's
models rewritten as engine models, and a BCS example).
"""
