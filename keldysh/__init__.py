"""keldysh: Keldysh Green's functions and Lindblad master equations as checked symbols
and fast numbers, implementing Goldstein, Aron & Chamon, "Photoinduced superconductivity
in semiconductors", Phys. Rev. B 91, 054517 (2015).

Import is cheap: SymPy work happens lazily on first use and is cached.
"""

from __future__ import annotations

from keldysh._version import __version__
from keldysh.errors import ParameterError
from keldysh.paper.params import FIGURES, PRESETS, LaserModel, preset

_ENGINE = (
    "fermions",
    "FermionOperator",
    "Mode",
    "Mean",
    "Lindbladian",
    "ClosureError",
    "SteadyStateError",
    "omega",
    "integrate_omega",
    "IntegrationError",
    "compile",
    "Compiled",
    "fermi",
)

__all__ = [
    "__version__",
    "ParameterError",
    "LaserModel",
    "preset",
    "PRESETS",
    "FIGURES",
    "solve_gap",
    "GapResult",
    "DynamicsResult",
    "StabilityResult",
    "load_result",
    *_ENGINE,
    "MeanFieldModel",
    "MeanFieldResult",
    "gap_solutions",
    "simulate",
    "MeanFieldRun",
    "linear_stability",
    "MeanFieldStability",
    "landau_coefficients",
    "LandauCoefficients",
    "sweep",
]


def solve_gap(model, V, *args, condition: str = "complete", **kwargs):
    """Self-consistent gap of any model, the complete condition by default.

    * a :class:`MeanFieldModel`: :func:`keldysh.meanfield.solve_gap` (``values=`` required);
    * one of the paper's models with ``condition="complete"`` (default): the same solver on its engine
      form (:func:`keldysh.models.paper.engine_model`; ``method`` master, keldysh or fock -- the
      three-band model of the Appendix takes fock only --, ``order``, ``tol``);
    * one of the paper's models with ``condition="in-phase"``: the paper's prescription, Eq. (18),
      by :func:`keldysh.paper.solvers.gap.solve_gap` (all its methods: master, eq19, keldysh,
      keldysh-eq55, ... and options).

    Returns a :class:`MeanFieldResult` (complete condition or engine models) or a :class:`GapResult`.
    """
    from keldysh.meanfield.model import MeanFieldModel

    if isinstance(model, MeanFieldModel):
        from keldysh.meanfield.gap import solve_gap as mf_solve

        return mf_solve(model, V, *args, condition=condition, **kwargs)
    if not isinstance(condition, str):
        raise ParameterError("condition", f"must be 'complete' or 'in-phase' (got {type(condition).__name__})")
    if condition == "in-phase":
        from keldysh.paper.solvers.gap import solve_gap as paper_solve

        return paper_solve(model, V, *args, **kwargs)
    if condition != "complete":
        raise ParameterError("condition", f"must be 'complete' or 'in-phase' (got {condition!r})")
    from keldysh.meanfield.gap import solve_gap as mf_solve
    from keldysh.models.paper import engine_model

    if args:
        kwargs = {"method": args[0], **kwargs}
    extra = sorted(set(kwargs) - {"method", "order", "tol"})
    if extra:
        raise ParameterError(extra[0], "is an option of the paper's in-phase solver (condition='in-phase')")
    method = kwargs.pop("method", None)
    if method not in (None, "master", "keldysh", "fock"):
        raise ParameterError(
            "method",
            f"{method!r} is a route of the paper's in-phase prescription; the complete condition takes "
            "master, keldysh or fock",
        )
    emodel, values = engine_model(model)
    return mf_solve(emodel, V, values, condition="complete", method=method, **kwargs)


def simulate(model, V, *args, **kwargs):
    """Self-consistent dynamics ``Delta(t)``: :func:`keldysh.meanfield.simulate` for a
    :class:`MeanFieldModel` (``values=``, ``t_max=``), :func:`keldysh.paper.solvers.dynamics.simulate` for the
    paper's :class:`LaserModel` (Sect. II.C, ``t_max=``)."""
    from keldysh.meanfield.model import MeanFieldModel

    if isinstance(model, MeanFieldModel):
        from keldysh.meanfield.dynamics import simulate as mf_simulate

        return mf_simulate(model, V, *args, **kwargs)
    if not isinstance(model, LaserModel):
        raise ParameterError("model", f"must be a MeanFieldModel or a LaserModel (got {type(model).__name__})")
    from keldysh.paper.solvers.dynamics import simulate as paper_simulate

    return paper_simulate(model, V, *args, **kwargs)


def linear_stability(model, V, *args, **kwargs):
    """Linearised self-consistent dynamics about a fixed point.

    :func:`keldysh.meanfield.linear_stability` for a :class:`MeanFieldModel` (the complete
    condition's rotating solution, or ``delta=0``), :func:`keldysh.paper.solvers.stability.linear_stability`
    for the paper's :class:`LaserModel` (its projected dynamics, Eqs. (9) + (18)).
    """
    from keldysh.meanfield.model import MeanFieldModel

    if isinstance(model, MeanFieldModel):
        from keldysh.meanfield.stability import linear_stability as mf_ls

        return mf_ls(model, V, *args, **kwargs)
    from keldysh.paper.solvers.stability import linear_stability as _ls

    return _ls(model, V, *args, **kwargs)


def landau_coefficients(model, values, *args, **kwargs):
    """``chi(omega)`` and ``b(omega)`` of a :class:`MeanFieldModel` (:func:`keldysh.meanfield.landau_coefficients`)."""
    from keldysh.meanfield.landau import landau_coefficients as _lc

    return _lc(model, values, *args, **kwargs)


_MEANFIELD = (
    "MeanFieldModel",
    "MeanFieldResult",
    "MeanFieldRun",
    "MeanFieldStability",
    "LandauCoefficients",
    "gap_solutions",
)


def __getattr__(name: str):  # lazy heavy imports (PEP 562)
    if name == "sweep":  # keldysh.sweeps.sweep: phase diagrams (xarray, Zarr, Dask load on first use)
        from keldysh.sweeps import sweep

        return sweep
    if name == "GapResult":
        from keldysh.paper.solvers import gap

        return getattr(gap, name)
    if name == "DynamicsResult":
        from keldysh.paper.solvers.dynamics import DynamicsResult

        return DynamicsResult
    if name == "StabilityResult":
        from keldysh.paper.solvers.stability import StabilityResult

        return StabilityResult
    if name == "load_result":  # any saved result, whatever its class (keldysh.results)
        from keldysh.results import load_result

        return load_result
    if name in _MEANFIELD:
        from keldysh import meanfield

        return getattr(meanfield, name)
    if name in _ENGINE:
        from keldysh import engine

        return getattr(engine, name)
    raise AttributeError(f"module 'keldysh' has no attribute {name!r}")
