"""Execute every teaching notebook in docs/notebooks through a real Jupyter kernel.

The notebooks are MyST Markdown with a jupytext header; ``jupytext.read`` turns each into a
notebook (which must have code cells, i.e. Jupyter opens it as a notebook and not as plain
Markdown) and ``nbclient`` runs it cell by cell in an IPython kernel, as "Run All" in Jupyter
does.  Any cell error fails the test and names the cell.  The notebooks a test worker runs share one
kernel, reset before each (namespace, plots, working directory; :data:`RESET`), so that the imports
and the derivations cached in modules are paid once; the docs build executes every notebook in a
kernel of its own.

The kernel is started with the interpreter running the tests (``sys.executable -m
ipykernel_launcher``), whatever ``python3`` kernel spec may be registered elsewhere on the
machine, so the notebooks see the same installation of ``keldysh`` as the tests.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from jupyter_client.manager import KernelManager

# jupytext, nbclient and jupyter_client (the test extra installs them, with ipykernel) are imported
# by the tests that use them: every test worker collects this file, and the fast lane runs only the
# header checks

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "docs" / "notebooks").glob("*.md"))
CELL_TIMEOUT = 600  # seconds per cell: generous, a hung kernel still fails the test
# Executing a notebook takes 3-15 s of CPU each (a kernel of its own, the imports, the cells; the
# reduced Figs. 4 and 6 runs of `dynamics` the most).  The documentation build (`sphinx-build -W`,
# which CI runs after the tests) executes every notebook in a fresh kernel and fails on any error,
# so the default suite does not execute them a second time: `pytest -m notebooks` does (one kernel
# per worker, reset before each notebook).  Every suite checks the headers.
EXECUTE = [pytest.param(p, id=p.stem, marks=[pytest.mark.slow, pytest.mark.notebooks]) for p in NOTEBOOKS]


def _kernel_manager() -> KernelManager:
    """A kernel manager whose kernel specs always launch ``ipykernel`` with the interpreter running the tests."""
    from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
    from jupyter_client.manager import KernelManager

    class ThisInterpreter(KernelSpecManager):
        def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
            return KernelSpec(
                argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                display_name="Python 3",
                language="python",
                name=kernel_name,
            )

    return KernelManager(kernel_name="python3", kernel_spec_manager=ThisInterpreter())


#: run first in the shared kernel before each notebook: a clean namespace, default plotting state and
#: the notebook's own working directory -- what a fresh kernel would give it, but the imports and the
#: derivations cached in loaded modules (``functools.cache``) are kept
RESET = """\
%reset -f
import os as _os, matplotlib as _mpl, matplotlib.pyplot as _plt
_plt.close("all"); _mpl.rcdefaults(); _os.chdir({cwd!r})
del _os, _mpl, _plt
"""


def _run(nb, cwd: Path, km: KernelManager | None = None) -> None:
    """Run every cell of ``nb`` (in ``km``'s kernel, first reset, when given; else in a kernel of its own)."""
    import nbclient

    if km is not None:
        import nbformat

        nb.cells.insert(0, nbformat.v4.new_code_cell(RESET.format(cwd=str(cwd))))
    own = km is None
    km = km or _kernel_manager()
    client = nbclient.NotebookClient(
        nb,
        km=km,
        kernel_name="python3",
        timeout=CELL_TIMEOUT,
        allow_errors=False,
        resources={"metadata": {"path": str(cwd)}},  # the kernel's working directory
    )
    try:
        client.execute(cleanup_kc=own)
    finally:
        if not own and client.kc is not None:
            client.kc.stop_channels()
    if not own:
        del nb.cells[0]


@pytest.fixture(scope="module")
def kernel(tmp_path_factory):
    """One kernel for the notebooks this worker runs (each starts from :data:`RESET`)."""
    km = _kernel_manager()
    km.start_kernel(cwd=str(tmp_path_factory.mktemp("kernel")))
    yield km
    km.shutdown_kernel(now=True)


def test_notebooks_found() -> None:
    assert len(NOTEBOOKS) >= 7, NOTEBOOKS


@pytest.mark.slow
@pytest.mark.notebooks
def test_kernel_is_this_interpreter(tmp_path: Path) -> None:
    import nbformat

    # sys.prefix tells a virtual environment from its base interpreter (the executables are symlinks)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import sys, keldysh; print(sys.prefix)")])
    _run(nb, tmp_path)
    printed = "".join(out.get("text", "") for out in nb.cells[0].outputs).strip()
    assert printed == sys.prefix, (printed, sys.prefix)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_header(path: Path) -> None:
    """The jupytext header makes Jupyter open the file as a notebook with code cells."""
    import jupytext

    nb = jupytext.read(path)
    meta = nb.metadata
    fmt = meta.get("jupytext", {}).get("text_representation", {})
    assert fmt.get("format_name") == "myst", f"{path.name}: jupytext header lacks format_name: myst"
    assert fmt.get("format_version") and fmt.get("jupytext_version"), f"{path.name}: incomplete jupytext header"
    assert meta.get("kernelspec", {}).get("name") == "python3", f"{path.name}: kernelspec name is not python3"
    n_code = sum(cell.cell_type == "code" for cell in nb.cells)
    n_directives = path.read_text().count("```{code-cell}")
    assert n_code > 0 and n_code == n_directives, (
        f"{path.name}: {n_code} code cells for {n_directives} code-cell blocks"
    )


@pytest.mark.parametrize("path", EXECUTE)
def test_notebook_executes(path: Path, tmp_path: Path, kernel: KernelManager) -> None:
    import jupytext
    from nbclient.exceptions import CellExecutionError

    nb = jupytext.read(path)
    try:
        _run(nb, tmp_path, kernel)
    except CellExecutionError as exc:
        message = re.sub(r"\x1b\[[0-9;]*m", "", str(exc))  # IPython colours the traceback
        pytest.fail(f"{path.name}: a cell failed under the kernel:\n{message}", pytrace=False)
    errors = [out for cell in nb.cells if cell.cell_type == "code" for out in cell.get("outputs", [])]
    errors = [out for out in errors if out.get("output_type") == "error"]
    assert not errors, f"{path.name}: error outputs {errors}"
