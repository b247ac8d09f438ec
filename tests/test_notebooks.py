"""Execute every teaching notebook in docs/notebooks (MyST Markdown, ``{code-cell}`` blocks).

The cells run in order in one namespace; any exception fails the test, so the notebooks
stay in step with the code.  Matplotlib uses the non-interactive Agg backend.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "docs" / "notebooks").glob("*.md"))
CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```", re.S | re.M)


def cells(path: Path) -> list[str]:
    text = path.read_text()
    out = []
    for body in CELL.findall(text):
        # drop MyST cell options (":tags: [...]" lines at the top of a cell)
        lines = [ln for ln in body.splitlines() if not re.match(r"^:\w+:", ln)]
        out.append("\n".join(lines))
    return out


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_executes(path: Path, tmp_path, monkeypatch) -> None:
    os.environ.setdefault("MPLBACKEND", "Agg")
    monkeypatch.chdir(tmp_path)
    code = cells(path)
    assert code, f"{path.name} has no code cells"
    ns: dict = {"__name__": "__notebook__"}
    for i, src in enumerate(code):
        try:
            exec(compile(src, f"{path.name}[cell {i}]", "exec"), ns)
        except Exception as exc:  # pragma: no cover - failure path
            raise AssertionError(f"{path.name}, cell {i} failed: {type(exc).__name__}: {exc}") from exc
