"""``keldysh.sweeps``: run a sweep in this process or on a Dask cluster, chunk by chunk, into a store.

Chunks of points are the tasks.  In-process (the default) they run one after the other in this
thread; with ``workers=N`` on a local Dask cluster (``N`` single-threaded worker processes); with
``scheduler="tcp://HOST:PORT"`` (or ``client=``) on an existing cluster.  Whatever the executor, this
process writes every finished chunk into the store as it arrives (``distributed.as_completed``), so
a killed run loses only the chunks in flight, and ``resume=True`` computes only the chunks not
flagged done.
"""

from __future__ import annotations

import contextlib
import logging
import math
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from keldysh.errors import ParameterError
from keldysh.sweeps.axes import Axis, make_axis, parse_axis
from keldysh.sweeps.chunk import compute_chunk
from keldysh.sweeps.core import SweepJob, build_job

__all__ = ["sweep", "run_sweep", "SweepRun"]


@dataclass
class SweepRun:
    """Outcome of :func:`run_sweep`: the dataset and what this run did."""

    dataset: Any
    store: str | None
    points: int
    computed_points: int
    chunks: int
    computed_chunks: int
    seconds: float
    executor: str
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """JSON-ready summary (no arrays)."""
        ds = self.dataset
        out: dict[str, Any] = {
            "store": self.store,
            "kind": ds.attrs.get("kind"),
            "conditions": ds.attrs.get("conditions"),
            "dims": {d: int(n) for d, n in ds.sizes.items()},
            "points": self.points,
            "computed_points": self.computed_points,
            "resumed_points": self.points - self.computed_points,
            "chunks": self.chunks,
            "computed_chunks": self.computed_chunks,
            "seconds": round(self.seconds, 3),
            "executor": self.executor,
            "keldysh_version": ds.attrs.get("keldysh_version"),
            "model_hash": ds.attrs.get("model_hash"),
        }
        if "delta" in ds:
            if "condition" in ds.dims:
                out["superconducting_points"] = {
                    str(c): int((ds.delta.sel(condition=c) > 0).sum()) for c in ds.condition.values
                }
            else:
                out["superconducting_points"] = int((ds.delta > 0).sum())
            out["errors"] = int(ds.reason.str.startswith("error:").sum()) if ds.reason.size else 0
        out.update(self.extra)
        return out


def _as_axes(axes: Any) -> list[Axis]:
    if axes is None:
        return []
    if isinstance(axes, (str, Axis)):
        axes = [axes]
    out = []
    for a in axes:
        if isinstance(a, Axis):
            out.append(a)
        elif isinstance(a, str):
            out.append(parse_axis(a))
        elif isinstance(a, tuple) and len(a) == 2:
            out.append(make_axis(a[0], a[1]))
        else:
            raise ParameterError("axes", f"each axis is 'NAME=START:STOP:NUM', (name, values) or an Axis (got {a!r})")
    return out


def _progress_default() -> bool:
    return bool(getattr(sys.stderr, "isatty", lambda: False)() or "ipykernel" in sys.modules)


def _bar(progress: bool | None, total: int, initial: int):
    show = _progress_default() if progress is None else bool(progress)
    if not show:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, initial=initial, unit="pt", desc="keldysh sweep", file=sys.stderr, dynamic_ncols=True)


@contextlib.contextmanager
def _quiet_distributed() -> Iterator[None]:
    """Keep Dask's own log lines (connection teardown, worker restarts) off stderr during a run."""
    loggers = [logging.getLogger(n) for n in ("distributed", "tornado", "asyncio")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for lg, lv in zip(loggers, levels):
            lg.setLevel(lv)


@contextlib.contextmanager
def _sigint_ignored() -> Iterator[None]:
    """Start child processes with Ctrl-C ignored (inherited through exec): the client alone handles it."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)


def _execute(
    job: SweepJob,
    todo: Sequence[tuple[int, ...]],
    sink: Callable[[tuple[int, ...], dict[str, np.ndarray]], None],
    *,
    workers: int | None,
    scheduler: str | None,
    client: Any,
) -> str:
    """Compute the chunks ``todo`` and hand each to ``sink`` as it completes; returns the executor's name."""
    if not todo:
        return "nothing to compute"
    if client is None and workers is None and scheduler is None:
        for b in todo:
            sink(b, compute_chunk(job, b))
        return "in-process"
    from distributed import Client, LocalCluster, as_completed

    cluster = None
    own = client is None
    with _quiet_distributed():
        if client is None:
            if scheduler is not None:
                try:
                    client = Client(scheduler, timeout="10s", set_as_default=False)
                except (OSError, TimeoutError, ValueError) as exc:
                    raise ParameterError("scheduler", f"cannot connect to {scheduler}: {exc}") from None
            else:
                with _sigint_ignored():
                    cluster = LocalCluster(
                        n_workers=workers,
                        threads_per_worker=1,
                        processes=True,
                        dashboard_address=None,
                        silence_logs=logging.CRITICAL,
                    )
                client = Client(cluster, set_as_default=False)
        name = f"dask {client.scheduler.address}" if cluster is None else f"dask LocalCluster ({workers} workers)"
        futures: dict[Any, tuple[int, ...]] = {}
        try:
            if todo:
                jf = client.scatter(job, broadcast=True, hash=False)
                futures = {client.submit(compute_chunk, jf, b, pure=False): b for b in todo}
                for fut in as_completed(list(futures), loop=client.loop):
                    sink(futures[fut], fut.result())
        except BaseException:
            if futures:
                with contextlib.suppress(Exception):
                    client.cancel(list(futures), force=True)
            raise
        finally:
            if own:
                with contextlib.suppress(Exception):
                    client.close(timeout=5)
                if cluster is not None:
                    with contextlib.suppress(Exception):
                        cluster.close(timeout=5)
    return name


def _dataset(job: SweepJob, arrays: dict[str, np.ndarray]):
    import xarray as xr

    coords: dict[str, Any] = {a.name: a.values for a in job.axes}
    if job.multi:
        coords["condition"] = np.array(job.conditions, dtype=np.dtypes.StringDType())
    data = {}
    for name, arr in arrays.items():
        if arr.dtype.kind in "OU":
            arr = np.asarray(arr.astype(str), dtype=np.dtypes.StringDType())
        data[name] = (job.dims, arr)
    import json

    return xr.Dataset(data, coords=coords, attrs=json.loads(json.dumps(job.signature())))


def run_sweep(
    job: SweepJob,
    *,
    store: Any = None,
    resume: bool = False,
    workers: int | None = None,
    scheduler: str | None = None,
    client: Any = None,
    progress: bool | None = None,
    store_param: str = "store",
) -> SweepRun:
    """Run a :class:`keldysh.sweeps.core.SweepJob`: in memory, or into (and resuming from) a Zarr store.

    Parameters
    ----------
    job : SweepJob
        From :func:`keldysh.sweeps.core.build_job`.
    store : path, optional
        The Zarr store (created, or with ``resume`` continued); ``None``: in memory.
    resume : bool
        Continue an existing store made for the same sweep.
    workers, scheduler, client : optional
        At most one: a local Dask cluster of ``workers`` processes, the address of a scheduler, or a
        ``distributed.Client``; none: in this process.
    progress : bool or None
        Progress bar over points (``None``: on a terminal or in a notebook).
    store_param : str
        The parameter named in errors about the store (``out`` on the command line).

    Returns
    -------
    SweepRun
    """
    if sum(x is not None for x in (workers, scheduler, client)) > 1:
        raise ParameterError("workers", "give at most one of workers, scheduler and client")
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, (int, np.integer)) or workers < 1):
        raise ParameterError("workers", f"must be an integer >= 1 (got {workers!r})")
    if scheduler is not None and (not isinstance(scheduler, str) or "://" not in scheduler):
        raise ParameterError("scheduler", f"must be an address such as tcp://HOST:PORT (got {scheduler!r})")
    t0 = time.perf_counter()
    points = math.prod(job.shape)
    st = None
    if store is not None:
        from keldysh.sweeps.store import SweepStore

        st = SweepStore.open(store, job, resume, param=store_param)  # may adopt the store's chunks
        todo = st.missing()
    else:
        todo = job.blocks()
        arrays = {
            name: np.full(job.shape, fill, dtype=object if dt == "str" else dt)
            for name, (dt, fill) in job.fields.items()
        }
        arrays["done"] = np.zeros(job.shape, dtype=bool)
    blocks = job.blocks()
    size = {b: math.prod(s.stop - s.start for s in job.region(b)) for b in todo}
    todo_points = sum(size.values())
    bar = _bar(progress, points, points - todo_points)

    def sink(block: tuple[int, ...], res: dict[str, np.ndarray]) -> None:
        if st is not None:
            st.write(block, res)
        else:
            region = job.region(block)
            for name, arr in res.items():
                arrays[name][region] = arr
            arrays["done"][region] = True
        if bar is not None:
            bar.update(size[block])

    try:
        executor = _execute(job, todo, sink, workers=workers, scheduler=scheduler, client=client)
    finally:
        if bar is not None:
            bar.close()
        if st is not None:
            st.close()
    if st is not None:
        from keldysh.sweeps.store import open_sweep

        ds = open_sweep(st.path)
    else:
        ds = _dataset(job, arrays)
    return SweepRun(
        dataset=ds,
        store=None if st is None else str(st.path),
        points=points,
        computed_points=todo_points,
        chunks=len(blocks),
        computed_chunks=len(todo),
        seconds=time.perf_counter() - t0,
        executor=executor,
    )


def sweep(
    model: Any,
    values: Mapping[Any, Any] | None = None,
    condition: str | Sequence[str] | None = None,
    *,
    kind: str = "gap",
    method: str | None = None,
    order: int | None = None,
    tol: float | None = None,
    t_max: float | None = None,
    store: Any = None,
    resume: bool = False,
    workers: int | None = None,
    scheduler: str | None = None,
    client: Any = None,
    chunk: Any = None,
    warm_start: bool = True,
    progress: bool | None = None,
    axes: Any = None,
    **params: Any,
):
    """Sweep the gap equation (or the dynamics) over any parameters: a labelled :class:`xarray.Dataset`.

    Every point is the single call at the same parameters: :func:`keldysh.solve_gap` (the paper's
    in-phase Eq. (18) for the paper's models; the complete Eq. (17), ``|Delta|`` and ``omega``, or
    the in-phase condition for a :class:`keldysh.MeanFieldModel`), or :func:`keldysh.simulate`.

    Parameters
    ----------
    model : LaserModel, PumpingModel, ThreeBandModel or MeanFieldModel
        ``keldysh.preset("fig4")`` or your own model.  The complete condition of a paper model uses
        its engine form (:mod:`keldysh.models.laser`, :mod:`keldysh.models.pumping`).
    values : mapping, optional
        Numbers for the parameters of a ``MeanFieldModel`` (symbols or names).
    condition : {"complete", "in-phase"} or both
        Default: in-phase for the paper's models (Eq. (18), as ``keldysh gap``), complete for a
        ``MeanFieldModel``.  Both (``("complete", "in-phase")``) add a leading ``condition`` dimension.
    kind : {"gap", "dynamics"}
        ``gap``: variables ``delta, omega, V_c, converged, reason``.  ``dynamics``: ``delta_final``
        (``|Delta(t_max)|``), ``t_converged`` (time after which ``|Delta|`` stays within 1% of its final
        value; NaN: not within the run) and ``reason``; needs ``t_max``.
    method, order, tol : optional
        Solver options (default: the single call's; ``tol`` is the relative tolerance of ``|Delta|``).
    t_max : float, optional
        Length of each dynamics run.
    store : path, optional
        A Zarr store (``DIR.zarr``) written chunk by chunk: the checkpoint.  Its attributes hold the
        full parameter set, the package version and the model's hash.
    resume : bool
        Continue an existing store (only its missing chunks are computed); a store made for other
        parameters raises :class:`keldysh.ParameterError`.
    workers : int, optional
        Run on a local Dask cluster of this many single-threaded worker processes.
    scheduler : str, optional
        Address of an existing Dask scheduler (``tcp://HOST:PORT``).
    client : distributed.Client, optional
        An existing Dask client (not closed here).
    chunk : int or tuple, optional
        Points per task (default by model and kind), or the chunk length along each axis.
    warm_start : bool
        Seed each point's root bracket from its neighbour along the innermost axis (paper models).
    progress : bool or None
        Progress bar over points (tqdm; ``None``: on a terminal or in a notebook).
    axes : sequence, optional
        Axes as ``"NAME=START:STOP:NUM"`` / ``"NAME=a,b,c"`` strings, ``(name, values)`` pairs or
        :class:`keldysh.sweeps.Axis`, before the keyword axes.
    **params
        An array (``V=numpy.linspace(1, 10, 200)``) is an axis, a number a fixed parameter; any
        field of a paper model (``Omega``, ``gamma2``, ``T``, ...), any value symbol of a
        ``MeanFieldModel`` (by name), and the coupling ``V``.  Axes are dimensions in the order given
        (the last is innermost).

    Returns
    -------
    xarray.Dataset
        One dimension per axis, coordinates the axis values; ``done`` marks computed points.
    """
    job = build_job(
        model,
        values,
        condition,
        kind,
        _as_axes(axes),
        params,
        method=method,
        order=order,
        tol=tol,
        t_max=t_max,
        chunk=chunk,
        warm_start=warm_start,
    )
    run = run_sweep(
        job, store=store, resume=resume, workers=workers, scheduler=scheduler, client=client, progress=progress
    )
    return run.dataset
