"""Every ``derivations/*.py`` script runs to completion (exit 0) from the repository root.

Each script re-derives a group of equations of the paper and exits non-zero if a check
failed; ``make_errata.py`` is run with ``--output`` into a temporary file (the committed
``docs/errata.md`` is compared with the records in ``tests/test_checks.py``).

The scripts are thin command-line wrappers of the check groups of :mod:`keldysh.paper.checks`,
whose records the suite derives once per run (``tests/conftest.py``).  They run in the test
process, one after the other, each as ``python SCRIPT`` runs it (``runpy`` with ``__name__ ==
"__main__"``, the repository root as working directory, its own ``sys.argv``, stdout, stderr and
exit status), so that the check groups they call are the ones already derived in this process (a
group is cached per process), not derived again per script: measured 48 s of CPU as ten
subprocesses, 23 s in one fresh subprocess, ~1-17 s here.
"""

from __future__ import annotations

import contextlib
import io
import os
import runpy
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

pytestmark = pytest.mark.slow  # every derivation script (the records of Sect. II and every module)

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = sorted((ROOT / "derivations").glob("*.py"))


def _run_script(path: Path, argv: list[str]) -> SimpleNamespace:
    """``python PATH ARGV`` from the repository root, in this process: exit status, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    saved_argv, saved_cwd = sys.argv, os.getcwd()
    sys.argv = [str(path), *argv]
    os.chdir(ROOT)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                runpy.run_path(str(path), run_name="__main__")
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.argv = saved_argv
        os.chdir(saved_cwd)
    return SimpleNamespace(returncode=code, stdout=out.getvalue(), stderr=err.getvalue())


@pytest.fixture(scope="module")
def runs(tmp_path_factory, paper_records) -> dict:
    # the records of this run are in the disk cache by now (make_errata.py reads them), and the check
    # groups this process derived for them are cached: the scripts print what was derived
    paper_records()
    out_dir = tmp_path_factory.mktemp("errata")
    res = {
        p.name: _run_script(p, ["--output", str(out_dir / "errata.md")] if p.name == "make_errata.py" else [])
        for p in SCRIPTS
    }
    res["_errata_file"] = out_dir / "errata.md"
    return res


def test_there_are_scripts():
    names = {p.name for p in SCRIPTS}
    for expected in (
        "sec2a_eq05_dissipator.py",
        "sec2a_eq06_lab_eom.py",
        "sec2a_eq09_rwa_eom.py",
        "sec2a_eq10_14_steady_state.py",
        "sec2b_eq15_17_pairing.py",
        "sec2b_eq19_20_gap.py",
        "sec2b_eq21_25.py",
        "sec2b_eq26_29.py",
        "sec2b_eq30_33.py",
        "make_errata.py",
    ):
        assert expected in names


@pytest.mark.parametrize("name", [p.name for p in SCRIPTS])
def test_script_exits_zero(runs, name):
    proc = runs[name]
    assert proc.returncode == 0, (
        f"{name} exited {proc.returncode}\nstdout:\n{proc.stdout[-3000:]}\nstderr:\n{proc.stderr[-3000:]}"
    )
    if name.startswith("sec2"):
        # a script prints the derived LaTeX and a verdict per equation
        assert "derived:" in proc.stdout and "all records passed" in proc.stdout


def test_make_errata_output_matches_committed_file(runs):
    fresh = runs["_errata_file"].read_text()
    assert "## Eq. (9a) (Sect. II.A)" in fresh
    # the committed file is the one this script writes (same records on this machine)
    assert fresh == (ROOT / "docs" / "errata.md").read_text(), "run python derivations/make_errata.py"
