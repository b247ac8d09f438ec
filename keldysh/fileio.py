"""Output files that interrupted or concurrent runs cannot leave half-written.

* :func:`atomic_path`: write to a temporary file beside the target, then ``os.replace`` it
  (atomic on POSIX): a reader sees the old file or the new one, never a broken one; an
  interrupted write leaves no partial file.
* :func:`locked`: an exclusive advisory lock (``fcntl.flock``) on a lock file in an output
  folder, for read-modify-write of shared files (``summary.json``); a no-op where ``fcntl`` does
  not exist.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

__all__ = ["atomic_path", "atomic_write_text", "locked"]


@contextlib.contextmanager
def atomic_path(path: Path | str) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; on success rename it onto ``path``."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp_path, 0o666 & ~mask)  # mkstemp makes 0600; give the file the usual permissions
        os.replace(tmp_path, path)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def atomic_write_text(path: Path | str, text: str) -> Path:
    """Write ``text`` to ``path`` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(text)
    return Path(path)


@contextlib.contextmanager
def locked(folder: Path | str) -> Iterator[None]:
    """Hold an exclusive lock on ``folder/.keldysh.lock`` (blocks until it is free)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - non-POSIX
        yield
        return
    lock = Path(folder) / ".keldysh.lock"
    with open(lock, "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


@contextlib.contextmanager
def polled_lock(path: Path | str, wait: float = 60.0) -> Iterator[bool]:
    """An advisory lock on the file ``path``, polled every 50 ms and given up after ``wait`` seconds.

    Yields whether the lock is held: a holder that never releases (or waits for the caller in turn)
    costs at most ``wait`` seconds, never a deadlock.  No lock (``False``) where ``fcntl`` is missing
    or the file cannot be opened; the caller's work then simply runs unlocked.
    """
    try:
        import fcntl

        fh = open(path, "a+")
    except (ImportError, OSError):
        yield False
        return
    with fh:
        deadline = time.monotonic() + wait
        held = False
        while not held:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                held = True
            except OSError:
                if time.monotonic() > deadline:
                    break
                time.sleep(0.05)
        try:
            yield held
        finally:
            if held:
                fcntl.flock(fh, fcntl.LOCK_UN)
