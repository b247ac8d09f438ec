"""Suite-wide plumbing: BLAS threads per test worker, and the paper's check records derived once per run.

* **BLAS threads.**  Under pytest-xdist (``-n 2``, the README's command) every worker is already one
  busy process per core; an OpenBLAS that also starts one thread per core oversubscribes the
  machine, and its spinning threads cost more CPU than they save (measured on the 2-core machine:
  a 972 x 972 complex ``eig`` with left and right vectors, two workers at once, 37 s with one thread
  each against 154 s with two).  Each worker gets ``cores // workers`` threads: the environment
  variables for libraries loaded later (SciPy's own OpenBLAS) and for subprocesses, and a direct
  call for the OpenBLAS that NumPy has already loaded (a plugin imports NumPy before this file).
  An explicit ``OPENBLAS_NUM_THREADS`` / ``OMP_NUM_THREADS`` in the environment is respected.

* **Check records** (:func:`paper_records`): the records of each module of
  :mod:`keldysh.paper.checks` are derived once per test run -- never read from an earlier run --
  and shared by the xdist workers through a folder of the run's temporary directory: the first
  worker that needs a module derives it under a lock, the other waits and reads the result.  Once
  every module is derived, the full list is also stored in the disk cache of
  :func:`keldysh.paper.checks.all_records`, so that ``keldysh check`` and
  ``derivations/make_errata.py`` run by later tests of the same run read these fresh records
  instead of deriving them again.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

_THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def _limit_blas_threads() -> None:
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "0") or 0)
    if workers < 1 or any(v in os.environ for v in _THREAD_VARS):
        return
    n = max(1, (os.cpu_count() or 1) // workers)
    for var in _THREAD_VARS:
        os.environ[var] = str(n)
    try:  # the OpenBLAS already loaded (Linux: its path from the process's memory map)
        with open("/proc/self/maps") as fh:
            paths = {line.split()[-1] for line in fh if "openblas" in line.lower() and "/" in line}
    except OSError:
        return
    import ctypes

    for path in paths:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for name in ("openblas_set_num_threads", "scipy_openblas_set_num_threads", "scipy_openblas_set_num_threads64_"):
            fn = getattr(lib, name, None)
            if fn is not None:
                fn(n)
                break


_limit_blas_threads()


# ----------------------------------------------------------------------------- check records
def _shared_dir(tmp_path_factory, worker_id: str) -> Path:
    """A folder of this test run seen by every xdist worker (the parent of the workers' temp roots)."""
    base = tmp_path_factory.getbasetemp()
    root = base.parent if worker_id != "master" else base
    path = root / "paper-records"
    path.mkdir(exist_ok=True)
    return path


@pytest.fixture(scope="session")
def paper_records(tmp_path_factory, worker_id):
    """``records(*modules)``: the check records of the named modules of :mod:`keldysh.paper.checks`
    (default: every module, in table order), each module derived once per test run for all workers."""
    from keldysh.fileio import atomic_write_text, locked
    from keldysh.paper import checks

    shared = _shared_dir(tmp_path_factory, worker_id)
    modules = {m.__name__.rsplit(".", 1)[-1]: m for m in checks.check_modules()}
    memo: dict[str, list] = {}

    def of(name: str) -> list:
        if name not in memo:
            folder = shared / name
            folder.mkdir(exist_ok=True)
            data = folder / "records.json"
            with locked(folder):  # one worker derives, the other waits for it
                if not data.exists():
                    recs = checks._compute_records(modules=[modules[name]])
                    atomic_write_text(data, json.dumps([r.to_json() for r in recs]))
            memo[name] = [checks.EquationRecord(**d) for d in json.loads(data.read_text())]
        return memo[name]

    def records(*names: str) -> list:
        out = [r for name in (names or modules) for r in of(name)]
        if not names:
            checks.store_records(out)  # later `keldysh check` / make_errata.py of this run read these
        return out

    return records
