"""Compiled kernels whose first compilation is shared by concurrent processes.

``numba`` compiles a ``cache=True`` kernel on its first call in a process and stores the machine
code beside the source; a process that finds that entry loads it instead of compiling (seconds
each).  Processes started together -- test workers, Dask workers of a sweep -- all miss the cache
and all compile.  :func:`first_call_locked` wraps an entry kernel so that its first call in each
process runs under an advisory lock on a file named after the kernel and its source: one process
compiles and stores, the others wait and then load.  Later calls go straight to the kernel.
"""

from __future__ import annotations

import hashlib
import inspect
import os
import tempfile
from collections.abc import Callable
from typing import Any

from keldysh.fileio import polled_lock

__all__ = ["first_call_locked"]


class _FirstCallLocked:
    """``kernel(*args)``; the first call of the process under the kernel's lock file."""

    __slots__ = ("_kernel", "_lock_path", "_ready")

    def __init__(self, kernel: Callable, source: Callable) -> None:
        self._kernel = kernel
        self._ready = False
        try:
            text = inspect.getsource(source)
        except (OSError, TypeError):
            text = source.__qualname__
        key = hashlib.sha256(f"{source.__module__}.{source.__qualname__}|{text}".encode()).hexdigest()[:16]
        self._lock_path = os.path.join(tempfile.gettempdir(), f"keldysh-numba-{source.__name__}-{key}.lock")

    def __call__(self, *args: Any) -> Any:
        if self._ready:
            return self._kernel(*args)
        with polled_lock(self._lock_path, wait=300.0):
            out = self._kernel(*args)
        self._ready = True
        return out


def first_call_locked(kernel: Callable, source: Callable) -> Callable:
    """``kernel`` (a numba dispatcher compiled from ``source``) with its first call per process locked."""
    return _FirstCallLocked(kernel, source)
