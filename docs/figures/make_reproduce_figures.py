"""Figures of docs/dynamics.md: Figs. 4, 5 and 6 exactly as ``keldysh reproduce all`` draws them.

Runs ``keldysh reproduce all`` (reference settings, about 2 minutes on a 2-core machine) into a
temporary folder, or takes the files of an earlier run with ``--from DIR``, and copies
``fig4.png``, ``fig5.png``, ``fig6.png`` here.  The run must pass its agreement checks.

Run:  python docs/figures/make_reproduce_figures.py [--from DIR]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from keldysh.cli import main as keldysh_main

HERE = Path(__file__).resolve().parent
FIGURES = ("fig4.png", "fig5.png", "fig6.png")


def main(argv: list[str] | None = None) -> list[Path]:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--from", dest="source", default=None, metavar="DIR", help="output folder of an earlier run")
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(args.source) if args.source else Path(tmp)
        if args.source is None and keldysh_main(["reproduce", "all", "--out", str(src), "--quiet"]) != 0:
            raise SystemExit("keldysh reproduce all failed a check: figures not copied")
        out = []
        for name in FIGURES:
            shutil.copyfile(src / name, HERE / name)
            out.append(HERE / name)
    return out


if __name__ == "__main__":
    for path in main():
        print(path.name)
