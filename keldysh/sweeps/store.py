"""The Zarr store of a sweep: its own checkpoint.

Layout (Zarr format 3, consolidated metadata, opens with :func:`xarray.open_zarr`): one coordinate
array per axis (and ``condition`` when both conditions are swept), the variables of the sweep
(``delta, omega, V_c, converged, reason`` or ``delta_final, t_converged, reason``) and ``done``, a
boolean mask, all chunked exactly like the tasks, so that a task writes whole Zarr chunks.  The
attributes hold the sweep's signature (:meth:`keldysh.sweeps.core.SweepJob.signature`: package
version, model type, parameters and hash, axes, fixed parameters, solver options, chunks).

Consistency: a chunk's data are written first, its ``done`` flag after them; Zarr (>= 3.1.3) writes
each chunk file atomically (a temporary file renamed over the target).  A run killed at any moment
leaves chunks that are either flagged done and complete, or not flagged and recomputed on resume.
Ctrl-C is deferred while a chunk is being written.  One run at a time may write a store (an
exclusive lock), and a store made for another signature is refused, never mixed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import threading
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from keldysh.errors import ParameterError
from keldysh.sweeps.core import SweepJob

__all__ = ["SweepStore", "open_sweep"]

LOCK = ".keldysh-sweep.lock"


def _zarr_dtype(dt: str) -> Any:
    return str if dt == "str" else dt


def _describe(v: Any) -> str:
    text = repr(v)
    return text if len(text) <= 60 else text[:57] + "..."


def _first_difference(a: Any, b: Any, path: str = "") -> str | None:
    """Path and values of the first difference between two JSON-like objects (None: equal)."""
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                return f"{path}{k}: store {_describe(a.get(k, '(absent)'))}, now {_describe(b.get(k, '(absent)'))}"
            d = _first_difference(a[k], b[k], f"{path}{k}.")
            if d:
                return d
        return None
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)) and len(a) == len(b):
        for x, y in zip(a, b):
            if _first_difference(x, y, path):
                return f"{path.rstrip('.')}: store {_describe(a)}, now {_describe(b)}"
        return None
    if a != b:
        return f"{path.rstrip('.')}: store {_describe(a)}, now {_describe(b)}"
    return None


@contextlib.contextmanager
def _deferred_sigint() -> Iterator[None]:
    """Hold Ctrl-C (SIGINT) until the block is done, then deliver it (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[Any] = []
    old = signal.getsignal(signal.SIGINT)
    try:
        signal.signal(signal.SIGINT, lambda *a: caught.append(a))
    except ValueError:  # pragma: no cover - no signal handling here
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)
        if caught:
            raise KeyboardInterrupt


def _json_roundtrip(obj: Any) -> Any:
    import json

    return json.loads(json.dumps(obj))


class SweepStore:
    """A sweep's Zarr store opened for writing (create with :meth:`open`; release with :meth:`close`).

    Parameters
    ----------
    path : Path
        The store folder (``DIR.zarr``).
    job : SweepJob
        The sweep; its signature must equal the store's.
    """

    def __init__(self, path: Path, job: SweepJob, lock_fh: Any) -> None:
        import zarr

        self.path = path
        self.job = job
        self._lock = lock_fh
        self.root = zarr.open_group(str(path), mode="r+")
        self._arrays: dict[str, Any] = {}
        self._pool: Any = None

    def _array(self, name: str) -> Any:
        """The Zarr array ``name``, opened once (a lookup reads its metadata)."""
        if name not in self._arrays:
            self._arrays[name] = self.root[name]
        return self._arrays[name]

    # ------------------------------------------------------------------ open / create
    @classmethod
    def open(cls, path: str | os.PathLike, job: SweepJob, resume: bool, param: str = "out") -> SweepStore:
        """Create the store, or (``resume``) open an existing one made for the same sweep.

        Raises
        ------
        ParameterError
            ``param``: the store exists and ``resume`` is false, it was made for other parameters,
            it is not a sweep store, or another run is writing it.
        """
        path = Path(path)
        if not str(path).strip():
            raise ParameterError(param, "must name a folder (DIR.zarr)")
        if path.exists():
            if not resume:
                raise ParameterError(
                    param, f"{path} exists: pass --resume (resume=True) to continue it, or choose another"
                )
            if not (path / "zarr.json").is_file():
                raise ParameterError(param, f"{path} is not a sweep store (no zarr.json)")
        else:
            parent = path.parent if str(path.parent) else Path(".")
            if not parent.is_dir():
                raise ParameterError(param, f"folder {parent} does not exist")
            cls._create(path, job, param)
        fh = cls._acquire(path, param)
        try:
            store = cls(path, job, fh)
            store._check(param)
            store._clean_partial()
        except BaseException:
            fh.close()
            raise
        return store

    @staticmethod
    def _acquire(path: Path, param: str) -> Any:
        fh = open(path / LOCK, "a+")
        try:
            import fcntl

            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except ImportError:  # pragma: no cover - non-POSIX: no lock
            pass
        except OSError:
            fh.close()
            raise ParameterError(param, f"{path} is being written by another run") from None
        return fh

    @staticmethod
    def _create(path: Path, job: SweepJob, param: str) -> None:
        """Write the empty store beside the target and rename it into place (atomic creation)."""
        import zarr

        tmp = Path(
            tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent if str(path.parent) else ".")
        )
        try:
            root = zarr.open_group(str(tmp), mode="w", zarr_format=3)
            root.attrs.update(_json_roundtrip(job.signature()))
            if job.multi:
                c = root.create_array(
                    "condition", shape=(len(job.conditions),), dtype=str, chunks=(len(job.conditions),),
                    dimension_names=["condition"],
                )  # fmt: skip
                c[:] = np.array(job.conditions)
            for ax in job.axes:
                a = root.create_array(
                    ax.name, shape=(len(ax),), dtype="f8", chunks=(len(ax),), dimension_names=[ax.name]
                )
                a[:] = ax.values
            dims = list(job.dims)
            for name, (dt, fill) in {**job.fields, "done": ("bool", False)}.items():
                root.create_array(
                    name,
                    shape=job.shape,
                    dtype=_zarr_dtype(dt),
                    chunks=job.chunks,
                    fill_value=fill,
                    dimension_names=dims,
                )
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # consolidated metadata is an extension of Zarr format 3
                zarr.consolidate_metadata(str(tmp))
            os.rename(tmp, path)
        except FileExistsError:
            raise ParameterError(param, f"{path} was created by another run meanwhile") from None
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)

    def _check(self, param: str) -> None:
        have = dict(self.root.attrs)
        if "keldysh_version" not in have or "model_hash" not in have:
            raise ParameterError(param, f"{self.path} is not a keldysh sweep store")
        stored = have.get("chunks")
        if not self.job.chunks_given and isinstance(stored, list) and len(stored) == len(self.job.shape):
            # resuming without a chunk choice: continue with the store's layout (it fixes the warm starts)
            self.job.chunks = tuple(min(max(int(c), 1), n) for c, n in zip(stored, self.job.shape))
        want = _json_roundtrip(self.job.signature())
        have = {k: have.get(k) for k in want}
        diff = _first_difference(have, want)
        if diff:
            raise ParameterError(
                param, f"{self.path} was made for other parameters ({diff}); choose another store or delete it"
            )

    def _clean_partial(self) -> None:
        """Remove temporary files of a write a killed run left behind (the chunk is not flagged done)."""
        for p in self.path.rglob("*.partial"):
            with contextlib.suppress(OSError):
                p.unlink()

    # ------------------------------------------------------------------ chunks
    def missing(self) -> list[tuple[int, ...]]:
        """Chunks not flagged done."""
        done = np.asarray(self._array("done")[...], dtype=bool)
        return [b for b in self.job.blocks() if not done[self.job.region(b)].all()]

    def write(self, block: Sequence[int], arrays: dict[str, np.ndarray]) -> None:
        """Write one chunk: the data (the variables concurrently), then its ``done`` flag.

        Ctrl-C is held until the chunk is complete.
        """
        region = self.job.region(block)
        data = {}
        for name, (dt, _) in self.job.fields.items():
            arr = arrays[name]
            data[name] = np.asarray(arr, dtype=str) if dt == "str" and arr.size else arr
        with _deferred_sigint():
            if self._pool is None:
                from concurrent.futures import ThreadPoolExecutor

                self._pool = ThreadPoolExecutor(max_workers=len(data), thread_name_prefix="keldysh-sweep-store")
            futures = [self._pool.submit(self._array(name).__setitem__, region, arr) for name, arr in data.items()]
            for f in futures:
                f.result()
            self._array("done")[region] = np.ones(tuple(s.stop - s.start for s in region), dtype=bool)

    def close(self) -> None:
        """Release the lock (and the writer threads)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def __enter__(self) -> SweepStore:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def open_sweep(path: str | os.PathLike, load: bool = True):
    """The sweep in ``path`` as an :class:`xarray.Dataset`.

    Parameters
    ----------
    path : path
        A store written by :func:`keldysh.sweeps.sweep` or ``keldysh sweep``.
    load : bool
        Read every array into memory (without Dask); ``False``: ``xarray.open_zarr`` as is (lazy).

    Returns
    -------
    xarray.Dataset
        Points not computed yet have ``done = False`` and the fill values (NaN, ``""``).
    """
    import xarray as xr

    if load:  # without Dask: read the arrays directly
        return xr.open_zarr(str(path), chunks=None).load()
    return xr.open_zarr(str(path))
