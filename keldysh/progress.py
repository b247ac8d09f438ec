"""Progress bars for long runs: ``tqdm.auto`` (a widget in Jupyter, text on stderr in a terminal)."""

from __future__ import annotations

import sys

__all__ = ["progress_bar", "interactive"]


def interactive() -> bool:
    """Whether someone watches: stderr is a terminal, or the code runs in a Jupyter kernel."""
    if hasattr(sys.stderr, "isatty") and sys.stderr.isatty():
        return True
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None and hasattr(ipython, "get_ipython") else None
    return shell is not None and getattr(shell, "kernel", None) is not None


def progress_bar(progress: bool | None, total: float, desc: str):
    """A progress bar (``tqdm.auto``: a widget in Jupyter, text on stderr in a terminal).

    ``None``: automatic -- shown on a terminal or in a notebook, after 2 s.
    """
    if progress is False:
        return None
    if progress is None and not interactive():
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError:  # pragma: no cover - tqdm is a dependency
        return None
    return tqdm(
        total=float(total),
        desc=desc,
        file=sys.stderr,
        delay=2.0,
        unit="t",
        leave=False,
        bar_format="{l_bar}{bar}| t = {n:.4g}/{total:.4g} [{elapsed}<{remaining}]",
    )
