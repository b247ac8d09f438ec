"""One chunk of a sweep: the points of a task, grouped by model and solved.

:func:`compute_chunk` groups the chunk's points by model (every axis but ``V``), solves each group
with :mod:`keldysh.sweeps.solvers` and warm-starts the next group along the innermost axis from the
previous one's solutions.  A chunk depends on nothing but the job and its index, so a resumed or
distributed run gives the same numbers as an uninterrupted one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from keldysh.errors import ParameterError
from keldysh.sweeps.core import SweepJob
from keldysh.sweeps.solvers import dynamics_group, engine_gap_group, error_row, paper_gap_group

__all__ = ["compute_chunk"]


#: engine models by hash in this process (a worker compiles a model once, not once per chunk)
_ENGINES: dict[str, Any] = {}
_SOLVER_ERRORS: tuple[type[BaseException], ...] = ()


def _errors() -> tuple[type[BaseException], ...]:
    global _SOLVER_ERRORS
    if not _SOLVER_ERRORS:
        from keldysh.engine.lindblad import SteadyStateError

        _SOLVER_ERRORS = (ParameterError, SteadyStateError, RuntimeError, np.linalg.LinAlgError, FloatingPointError)
    return _SOLVER_ERRORS


def _engine_of(job: SweepJob) -> Any:
    if job.engine is None:
        return None
    return _ENGINES.setdefault(job.model_hash, job.engine)


def compute_chunk(job: SweepJob, block: Sequence[int]) -> dict[str, np.ndarray]:
    """Values of every variable on the chunk ``block`` (arrays of the chunk's shape).

    Points are grouped by model (every axis but ``V``); groups are visited in row-major order, and
    with ``job.warm_start`` each group's ``|Delta|`` seeds the brackets of the next one (the
    neighbour along the innermost axis).  Points whose solve raises a parameter or steady-state
    error get ``reason = "error: ..."`` and NaN values instead of stopping the sweep.

    Parameters
    ----------
    job : SweepJob
    block : sequence of int
        The chunk's index along every dimension (:meth:`SweepJob.blocks`).

    Returns
    -------
    dict of str to ndarray
        One array per variable of ``job.fields``, shaped like the chunk.
    """
    region = job.region(block)
    cshape = tuple(s.stop - s.start for s in region)
    out = {name: np.full(cshape, fill, dtype=object if dt == "str" else dt) for name, (dt, fill) in job.fields.items()}
    if job.multi:
        condition = job.conditions[region[0].start]
        ax_regions = region[1:]
    else:
        condition = job.conditions[0]
        ax_regions = region
    lead = (0,) if job.multi else ()
    names = [a.name for a in job.axes]
    vdim = names.index("V") if "V" in names else None
    vals = [a.values[r] for a, r in zip(job.axes, ax_regions)]
    Vs = vals[vdim] if vdim is not None else np.array([job.V])
    other = [d for d in range(len(job.axes)) if d != vdim]
    engine = _engine_of(job)
    seeds = None
    for idx in np.ndindex(*[len(vals[d]) for d in other]):
        params = {names[d]: float(vals[d][i]) for d, i in zip(other, idx)}
        pos: list[Any] = [0] * len(job.axes)
        for d, i in zip(other, idx):
            pos[d] = i
        if vdim is not None:
            pos[vdim] = slice(None)
        key = lead + tuple(pos)
        try:
            res = _solve_group(job, condition, engine, params, Vs, seeds)
        except _errors() as exc:
            res = error_row(job.fields, Vs.size, exc)
        for name in out:
            out[name][key] = res[name] if vdim is not None else res[name][0]
        if job.kind == "gap" and job.warm_start:
            seeds = res["delta"]
    for name, (dt, _) in job.fields.items():  # fixed-width text: a compact, fast-to-pickle array
        if dt == "str":
            out[name] = np.asarray(out[name].astype(str))
    return out


def _solve_group(
    job: SweepJob, condition: str, engine: Any, params: dict[str, float], Vs: np.ndarray, seeds: np.ndarray | None
) -> dict[str, np.ndarray]:
    if job.backend == "paper":
        model = job.paper.replace(**params) if params else job.paper
        if job.kind == "dynamics":
            return dynamics_group(model, None, Vs, condition, job.t_max, engine=False)
        if condition == "in-phase":
            return paper_gap_group(model, Vs, job.method, job.order or 12, job.tol or 1e-12, seeds)
        from keldysh.models.paper import engine_model

        emodel, values = engine_model(model)  # as kd.solve_gap(model, V) with the complete condition
        return engine_gap_group(emodel, values, Vs, "complete", job.method, job.order, job.tol)
    values = dict(job.values, **params)
    if job.kind == "dynamics":
        return dynamics_group(engine, values, Vs, condition, job.t_max, engine=True)
    return engine_gap_group(engine, values, Vs, condition, job.method, job.order, job.tol)
