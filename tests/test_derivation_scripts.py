"""Every ``derivations/*.py`` script runs to completion (exit 0) from the repository root.

Each script re-derives a group of equations of the paper and exits non-zero if a check
failed; ``make_errata.py`` is run with ``--output`` into a temporary file (the committed
``docs/errata.md`` is compared with the records in ``tests/test_checks.py``).  The scripts
run as subprocesses, two at a time (two cores).
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # every derivation script in a subprocess (~1 min)

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = sorted((ROOT / "derivations").glob("*.py"))


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT)] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
    env.setdefault("MPLBACKEND", "Agg")
    return env


@pytest.fixture(scope="module")
def runs(tmp_path_factory, paper_records) -> dict:
    # the records of this run (derived once for the whole suite, tests/conftest.py) are in the disk
    # cache by now: make_errata.py reads them instead of deriving every module again
    paper_records()
    out_dir = tmp_path_factory.mktemp("errata")

    def run(path: Path):
        args = [sys.executable, str(path)]
        if path.name == "make_errata.py":
            args += ["--output", str(out_dir / "errata.md")]
        proc = subprocess.run(args, cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=600)
        return path.name, proc

    with ThreadPoolExecutor(max_workers=2) as pool:
        res = dict(pool.map(run, SCRIPTS))
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
