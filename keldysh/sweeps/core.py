"""A sweep as a job: the model, the axes, the solver options, the chunks.

:class:`SweepJob` is everything a worker needs (picklable; an engine model travels without its
compiled callables, which the worker rebuilds from the on-disk cache of :func:`keldysh.compile`);
:func:`build_job` validates a sweep and builds it.  One chunk is computed by
:func:`keldysh.sweeps.chunk.compute_chunk`.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from keldysh.errors import ParameterError, check_positive
from keldysh.sweeps.axes import MAX_POINTS, Axis
from keldysh.sweeps.solvers import DYNAMICS_FIELDS, GAP_FIELDS

__all__ = ["SweepJob", "build_job", "engine_hash", "CONDITIONS", "KINDS"]

CONDITIONS = ("complete", "in-phase")
KINDS = ("gap", "dynamics")
#: target points per chunk (one task) by backend and kind: a paper gap point costs ~0.1 ms, an engine
#: gap point seconds, a dynamics point seconds to minutes
CHUNK_POINTS = {("paper", "gap"): 1000, ("engine", "gap"): 8, ("paper", "dynamics"): 4, ("engine", "dynamics"): 2}
#: LaserModel parameters that overlap: at most one spelling of each may be swept or fixed
_LASER_CONFLICTS = (
    ({"Gamma1", "Gamma2"}, {"Gamma", "gamma1", "gamma2"}),
    ({"gamma1"}, {"gamma2"}),
    ({"v1", "v2"}, {"v_minus", "v_plus"}),
    ({"kappa1", "kappa2"}, {"kappa_plus", "kappa_minus"}),
)
_LASER_COMBOS = ("v_minus", "v_plus", "kappa_plus", "kappa_minus", "Gamma", "gamma1", "gamma2")


def _clean(v: Any) -> Any:
    """JSON-ready: non-finite floats as strings, NumPy scalars as Python numbers."""
    if isinstance(v, dict):
        return {str(k): _clean(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_clean(x) for x in v]
    if isinstance(v, (np.floating, np.integer, np.bool_)):
        v = v.item()
    if isinstance(v, float) and not math.isfinite(v):
        return str(v)
    return v


def _sha(obj: Any) -> str:
    return hashlib.sha256(
        obj.encode() if isinstance(obj, str) else json.dumps(obj, sort_keys=True).encode()
    ).hexdigest()


def engine_hash(model: Any) -> str:
    """Structural hash of a :class:`keldysh.MeanFieldModel` (its derived Nambu data and self-consistency)."""
    import sympy as sp

    parts = [
        model.h0,
        model.hD,
        model.hDb,
        model.M,
        [(r, ell) for r, ell in model.dephasing],
        [tuple(t) for t in model.s_terms],
        model.measure,
        model.domain,
        model.points,
        model.parameters,
        model.k,
        model.V,
        model.Delta,
    ]
    return _sha(sp.srepr(parts))[:32]


def _paper_types() -> tuple[type, ...]:
    from keldysh.paper.params import LaserModel
    from keldysh.paper.pumping import PumpingModel
    from keldysh.paper.threeband import ThreeBandModel

    return (LaserModel, PumpingModel, ThreeBandModel)


def _is_meanfield(model: Any) -> bool:
    from keldysh.meanfield.model import MeanFieldModel

    return isinstance(model, MeanFieldModel)


def _check_route(engine: Any, method: str | None) -> None:
    """The Keldysh route integrates the reservoirs' Sigma^K: linear jumps only (no dephasing)."""
    if method == "keldysh" and engine.dephasing:
        raise ParameterError("method", "keldysh needs linear jumps only; this model has a dephasing jump (use master)")


def _paper_names(model: Any) -> set[str]:
    """Names a paper model's ``replace`` accepts as numbers."""
    from keldysh.paper.params import LaserModel

    names = {
        f.name
        for f in dataclasses.fields(model)
        if f.name not in ("name", "E1", "E2", "d") and isinstance(getattr(model, f.name), (int, float, type(None)))
    }
    if isinstance(model, LaserModel):
        names |= set(_LASER_COMBOS)
    return names


@dataclass
class SweepJob:
    """A sweep, ready to run: validated, hashed and cut into chunks (see :func:`build_job`)."""

    kind: str
    backend: str  # "paper" (LaserModel, PumpingModel, ThreeBandModel) or "engine" (MeanFieldModel)
    conditions: tuple[str, ...]
    multi: bool  # several conditions: a leading "condition" dimension
    axes: tuple[Axis, ...]
    fixed: dict[str, float]
    V: float | None  # the coupling when it is not an axis
    paper: Any  # the paper model with the fixed parameters applied (backend "paper")
    engine: Any  # the MeanFieldModel (backend "engine", or the complete condition of a paper model)
    values: dict[str, float]  # engine model: the values of its parameters by name (fixed applied)
    method: str | None
    order: int | None
    tol: float | None
    t_max: float | None
    chunks: tuple[int, ...]
    warm_start: bool
    chunks_given: bool = False  # chunk layout chosen by the caller (else a resumed store's layout is adopted)
    model_info: dict[str, Any] = field(default_factory=dict)
    model_hash: str = ""

    # -- shape
    @property
    def dims(self) -> tuple[str, ...]:
        """Dimension names: ``condition`` (several conditions) and the axes."""
        return (("condition",) if self.multi else ()) + tuple(a.name for a in self.axes)

    @property
    def shape(self) -> tuple[int, ...]:
        """Shape of every variable."""
        return ((len(self.conditions),) if self.multi else ()) + tuple(len(a) for a in self.axes)

    @property
    def fields(self) -> dict[str, tuple[str, Any]]:
        """Variables of the sweep: name -> (dtype, fill value)."""
        return GAP_FIELDS if self.kind == "gap" else DYNAMICS_FIELDS

    def blocks(self) -> list[tuple[int, ...]]:
        """Chunk indices (one per dimension) in row-major order."""
        nb = tuple(-(-n // c) for n, c in zip(self.shape, self.chunks))
        return list(np.ndindex(*nb))

    def region(self, block: Sequence[int]) -> tuple[slice, ...]:
        """The slices of the chunk ``block`` in the full arrays."""
        return tuple(slice(b * c, min((b + 1) * c, n)) for b, c, n in zip(block, self.chunks, self.shape))

    def signature(self) -> dict[str, Any]:
        """Everything that determines the numbers of the store (its attributes; compared on resume)."""
        from keldysh import __version__

        return _clean(
            {
                "keldysh_version": __version__,
                "kind": self.kind,
                "conditions": list(self.conditions),
                "dims": list(self.dims),
                "axes": {a.name: {"spec": a.spec, "values": [float(v) for v in a.values]} for a in self.axes},
                "fixed": dict(sorted(self.fixed.items())),
                "model": self.model_info,
                "model_hash": self.model_hash,
                "solver": {"method": self.method, "order": self.order, "tol": self.tol, "t_max": self.t_max},
                "chunks": list(self.chunks),
                "warm_start": self.warm_start,
            }
        )

    # -- pickling: an engine model travels without its compiled callables
    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        if self.engine is not None and getattr(self.engine, "_compiled", None) is not None:
            m = copy.copy(self.engine)
            m._compiled = None
            state["engine"] = m
        return state


# ------------------------------------------------------------------------------ building a job
def _split_params(params: Mapping[str, Any], axes: Sequence[Axis]) -> tuple[list[Axis], dict[str, float]]:
    from keldysh.sweeps.axes import make_axis

    out_axes = list(axes)
    fixed: dict[str, float] = {}
    for name, val in params.items():
        if isinstance(val, Axis):
            out_axes.append(val)
        elif np.ndim(val) >= 1:
            out_axes.append(make_axis(name, val))
        else:
            try:
                x = float(val)
            except (TypeError, ValueError):
                raise ParameterError(name, f"must be a number or an array of numbers (got {val!r})") from None
            if not math.isfinite(x):
                raise ParameterError(name, f"must be finite (got {val!r})")
            fixed[name] = x
    names = [a.name for a in out_axes]
    for nm in names:
        if names.count(nm) > 1:
            raise ParameterError("axis", f"{nm} is given twice")
        if nm in fixed:
            raise ParameterError(nm, "is both an axis and a fixed parameter")
    if not out_axes:
        raise ParameterError("axis", "give at least one axis, e.g. V=numpy.linspace(1, 10, 200) or --axis V=1:10:200")
    if "condition" in names:
        raise ParameterError("axis", "'condition' is reserved (pass condition=('complete', 'in-phase'))")
    return out_axes, fixed


def _default_chunks(shape: tuple[int, ...], multi: bool, target: int, vdim: int | None) -> tuple[int, ...]:
    """About ``target`` points per chunk: the whole ``V`` axis first (its points share a model), then
    the innermost axes (the warm starts run along the innermost one)."""
    first = 1 if multi else 0
    ch = [1] * len(shape)
    order = list(range(len(shape) - 1, first - 1, -1))
    if vdim is not None:
        order.remove(first + vdim)
        order.insert(0, first + vdim)
    size = 1
    for d in order:
        ch[d] = min(shape[d], max(1, target // size))
        size *= ch[d]
    return tuple(ch)


def _chunks(chunk: Any, shape: tuple[int, ...], multi: bool, target: int, vdim: int | None) -> tuple[int, ...]:
    if chunk is None:
        return _default_chunks(shape, multi, target, vdim)
    if isinstance(chunk, (int, np.integer)) and not isinstance(chunk, bool):
        if chunk < 1:
            raise ParameterError("chunk", f"must be >= 1 point per task (got {chunk})")
        return _default_chunks(shape, multi, int(chunk), vdim)
    try:
        ch = tuple(int(c) for c in chunk)
    except (TypeError, ValueError):
        raise ParameterError(
            "chunk", f"must be a number of points or one chunk length per axis (got {chunk!r})"
        ) from None
    axes_shape = shape[1:] if multi else shape
    if len(ch) != len(axes_shape) or any(c < 1 for c in ch):
        raise ParameterError("chunk", f"needs one length >= 1 per axis ({len(axes_shape)}), got {chunk!r}")
    return ((1,) if multi else ()) + tuple(min(c, n) for c, n in zip(ch, axes_shape))


def build_job(
    model: Any,
    values: Mapping[Any, Any] | None,
    condition: str | Sequence[str] | None,
    kind: str,
    axes: Sequence[Axis],
    params: Mapping[str, Any],
    *,
    method: str | None = None,
    order: int | None = None,
    tol: float | None = None,
    t_max: float | None = None,
    chunk: Any = None,
    warm_start: bool = True,
) -> SweepJob:
    """Validate a sweep and describe it as a :class:`SweepJob`.

    The arguments are those of :func:`keldysh.sweeps.sweep`: every name, value and option is checked
    here, before any work, with one-line :class:`keldysh.ParameterError` messages naming the
    parameter (each axis value alone; the complete condition of a paper model needs its engine form,
    Eq. (17) through :func:`keldysh.models.paper.engine_model`).

    Parameters
    ----------
    model : LaserModel, PumpingModel, ThreeBandModel or MeanFieldModel
    values : mapping or None
        Parameter values of a ``MeanFieldModel`` (symbols or names).
    condition : str, sequence of str or None
        ``"complete"`` (Eq. (17)), ``"in-phase"`` (Eq. (18)), both, or the single call's default.
    kind : {"gap", "dynamics"}
    axes : sequence of Axis
        Axes given as such (before those in ``params``).
    params : mapping
        Arrays are axes, numbers fixed parameters (``V`` included).
    method, order, tol, t_max, chunk, warm_start
        As in :func:`keldysh.sweeps.sweep`.

    Returns
    -------
    SweepJob
    """
    if kind not in KINDS:
        raise ParameterError("kind", f"must be one of {', '.join(KINDS)} (got {kind!r})")
    if isinstance(model, _paper_types()):
        backend = "paper"
    elif _is_meanfield(model):
        backend = "engine"
    else:
        raise ParameterError(
            "model",
            f"must be a MeanFieldModel or a paper model (keldysh.preset('fig4')); got {type(model).__name__}",
        )
    if condition is None:  # the single call's default: kd.solve_gap (complete), kd.simulate (paper: Eq. (18))
        conds: tuple[str, ...] = ("in-phase",) if (backend == "paper" and kind == "dynamics") else ("complete",)
    elif isinstance(condition, str):
        conds = tuple(c.strip() for c in condition.split(","))
    else:
        conds = tuple(condition)
    if not conds or any(c not in CONDITIONS for c in conds) or len(set(conds)) != len(conds):
        raise ParameterError("condition", f"must be complete, in-phase or both (got {condition!r})")
    all_axes, fixed = _split_params(params, axes)
    V = fixed.pop("V", None)
    if V is None and "V" not in [a.name for a in all_axes]:
        raise ParameterError("V", "give the coupling as an axis (V=array) or a fixed number (V=5)")
    for vv in [V] if V is not None else next(a.values for a in all_axes if a.name == "V"):
        if vv == 0:
            raise ParameterError("V", "must be non-zero (V = 0 has no pairing)")
    if order is not None and (isinstance(order, bool) or not isinstance(order, (int, np.integer)) or order < 2):
        raise ParameterError("order", f"must be an integer >= 2 (got {order!r})")
    if tol is not None:
        tol = check_positive("tol", tol)
        if tol >= 1e-2:
            raise ParameterError("tol", f"must be < 1e-2 (got {tol})")
    if kind == "dynamics":
        if t_max is None:
            raise ParameterError("t_max", "is required for kind='dynamics' (the length of each run)")
        t_max = check_positive("t_max", t_max)
    elif t_max is not None:
        raise ParameterError("t_max", "is for kind='dynamics'")

    job_values: dict[str, float] = {}
    engine = None
    paper = None
    axis_names = [a.name for a in all_axes]
    if backend == "paper":
        from keldysh.paper.params import LaserModel

        allowed = _paper_names(model)
        for nm in list(axis_names) + list(fixed):
            if nm not in allowed and nm != "V":
                raise ParameterError(
                    nm, f"is not a parameter of {type(model).__name__} (choose from V, {', '.join(sorted(allowed))})"
                )
        if isinstance(model, LaserModel):
            used = set(axis_names) | set(fixed)
            for a, b in _LASER_CONFLICTS:
                if used & a and used & b:
                    raise ParameterError(
                        sorted(used & b)[0], f"overlaps {', '.join(sorted(used & a))}: sweep or fix one spelling only"
                    )
        paper = model.replace(**fixed) if fixed else model
        for ax in all_axes:  # every value of every axis valid on its own (one-line errors before any work)
            if ax.name != "V":
                for v in ax.values:
                    paper.replace(**{ax.name: float(v)})
        if kind == "dynamics" and not isinstance(model, LaserModel):
            raise ParameterError("kind", "dynamics is available for the laser model of Sect. II (LaserModel)")
        engine_form = None
        if "complete" in conds and kind == "gap":
            from keldysh.models.paper import engine_model

            engine_form = engine_model(paper)[0]  # its reason when the model has no engine form
            for ax in all_axes:
                if ax.name != "V":
                    for v in ax.values:
                        engine_model(paper.replace(**{ax.name: float(v)}))
            if method not in (None, "master", "keldysh"):
                raise ParameterError("method", "the complete condition (engine model) takes master or keldysh")
            _check_route(engine_form, method)
        if method is not None:
            from keldysh.paper.solvers.gap import get_kernel

            if "in-phase" in conds and kind == "gap":
                get_kernel(paper, method)
            elif kind == "dynamics":
                raise ParameterError("method", "is for kind='gap'")
        info = {"type": type(model).__name__, "name": getattr(model, "name", ""), "parameters": paper.to_dict()}
        core = {k: v for k, v in info["parameters"].items() if k != "name"}
        model_hash = _sha(_clean({"type": info["type"], "parameters": core}))[:32]
        if engine_form is not None:  # the complete condition goes through the engine form: hash it too
            info["engine"] = "keldysh.models.paper.engine_model"
            model_hash = _sha(model_hash + engine_hash(engine_form))[:32]
    else:
        engine = model
        if "in-phase" in conds and kind == "dynamics":
            raise ParameterError(
                "condition", "the dynamics of a MeanFieldModel integrates the full self-consistency (complete)"
            )
        if method not in (None, "master", "keldysh"):
            raise ParameterError("method", f"a MeanFieldModel takes master or keldysh (got {method!r})")
        _check_route(model, method)
        if kind == "dynamics" and method is not None:
            raise ParameterError("method", "is for kind='gap'")
        if values is None:
            values = {}
        if not isinstance(values, Mapping):
            raise ParameterError("values", "must be a mapping {symbol or name: number}")
        names = {s.name for s in model.parameters}
        for key, v in values.items():
            nm = key if isinstance(key, str) else getattr(key, "name", str(key))
            if nm in names:
                job_values[nm] = v
            elif isinstance(key, str):
                raise ParameterError(key, f"is not a parameter of this model ({', '.join(sorted(names)) or 'none'})")
        for nm in list(axis_names) + list(fixed):
            if nm not in names and nm != "V":
                raise ParameterError(
                    nm, f"is not a parameter of this model (choose from V, {', '.join(sorted(names))})"
                )
        job_values.update(fixed)
        missing = [nm for nm in sorted(names) if nm not in job_values and nm not in axis_names]
        if missing:
            raise ParameterError(missing[0], f"needs a value or an axis (missing: {', '.join(missing)})")
        for ax in all_axes:  # each axis value valid on its own
            if ax.name != "V":
                base = {k: v for k, v in job_values.items()}
                for other in all_axes:
                    if other.name not in ("V", ax.name):
                        base[other.name] = float(other.values[0])
                for v in ax.values:
                    model.resolve({**base, ax.name: float(v)})
        if not [a for a in all_axes if a.name != "V"]:
            model.resolve(job_values)
        job_values = {k: float(v) for k, v in sorted(job_values.items())}  # validated by resolve above
        info = {"type": "MeanFieldModel", "repr": repr(model), "values": dict(job_values)}
        model_hash = engine_hash(model)
    if order is not None:
        hi = 64 if backend == "paper" and "complete" not in conds else 32
        if order > hi:
            raise ParameterError("order", f"must be an integer in 2..{hi} (got {order})")

    multi = len(conds) > 1
    shape = ((len(conds),) if multi else ()) + tuple(len(a) for a in all_axes)
    total = math.prod(shape)
    if total > MAX_POINTS:
        raise ParameterError("axis", f"the sweep has {total:.3g} points (more than {MAX_POINTS:.0e})")
    vdim = axis_names.index("V") if "V" in axis_names else None
    chunks = _chunks(chunk, shape, multi, CHUNK_POINTS[(backend, kind)], vdim)
    job = SweepJob(
        kind=kind,
        backend=backend,
        conditions=conds,
        multi=multi,
        axes=tuple(all_axes),
        fixed=dict(fixed, **({"V": V} if V is not None else {})),
        V=V,
        paper=paper,
        engine=engine,
        values=job_values,
        method=method,
        order=None if order is None else int(order),
        tol=tol,
        t_max=t_max,
        chunks=chunks,
        warm_start=bool(warm_start),
        chunks_given=chunk is not None,
        model_info=info,
        model_hash=model_hash,
    )
    return job
