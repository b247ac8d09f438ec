"""``keldysh check``: re-derive the paper equation by equation and print the verdicts.

Runs :func:`keldysh.paper.checks.all_records` (every module of :mod:`keldysh.paper.checks`, e.g.
``sec2a`` for Eqs. (2)-(17), ``sec2b`` for Eqs. (18)-(33)) and prints one row per printed
equation: its label, section, status (verified / erratum / asymptotic / failed) and a
one-line note.  ``--json`` prints the records (with the printed form, the derived form
and, for errata, why) as a JSON array.  The exit status is 0 iff no shown record failed.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Sequence

from keldysh.errors import ParameterError

NAME = "check"
ORDER = 20
HELP = "re-derive the paper's equations and list verified / erratum / asymptotic / failed"
DESCRIPTION = (
    "Re-derive the paper's equations with the symbolic layer (fermion algebra, Lindblad engine, "
    "exact steady state, SymPy integrals) and compare with the printed forms: verified (symbolic "
    "identity), erratum (printed form wrong; --json and --errata give printed, derived, why), "
    "asymptotic (holds in a stated limit, with the measured error) or failed.  Exit status 0 iff "
    "nothing failed."
)

_STATUSES = ("verified", "erratum", "asymptotic", "failed")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print a JSON array of records")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument(
        "--section",
        action="append",
        default=None,
        metavar="S",
        help="only records of this section, e.g. II.A (repeatable)",
    )
    p.add_argument(
        "--status", action="append", default=None, choices=_STATUSES, help="only records with this status (repeatable)"
    )
    p.add_argument("--errata", action="store_true", help="after the table, print printed/derived/why of each erratum")


def _progress(args: argparse.Namespace):
    """A callback for :func:`keldysh.paper.checks.all_records` and a closer, or ``(None, noop)``."""
    from keldysh.commands._common import progress_enabled

    if not progress_enabled(args):
        return None, lambda: None
    from keldysh.paper.checks import check_modules

    total = len(check_modules())
    try:
        from tqdm.auto import tqdm
    except ImportError:  # pragma: no cover - tqdm is a declared dependency

        def cb(name: str) -> None:
            sys.stderr.write(f"checking {name} ...\n")

        return cb, lambda: None
    bar = tqdm(total=total, file=sys.stderr, unit="module", leave=False)
    state = {"first": True}

    def cb(name: str) -> None:
        if not state["first"]:
            bar.update(1)
        state["first"] = False
        bar.set_description(name)

    def close() -> None:
        bar.update(bar.total - bar.n)
        bar.close()

    return cb, close


def format_table(records: Sequence) -> str:
    """Aligned text table: equation, section, status, note."""
    head = ("equation", "section", "status", "note")
    rows = [head] + [(r.equation, r.section, r.status, r.note) for r in records]
    w = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = []
    for i, row in enumerate(rows):
        lines.append(f"{row[0]:<{w[0]}}  {row[1]:<{w[1]}}  {row[2]:<{w[2]}}  {row[3]}")
        if i == 0:
            lines.append(f"{'-' * w[0]}  {'-' * w[1]}  {'-' * w[2]}  {'-' * 4}")
    return "\n".join(lines)


def format_errata(records: Sequence) -> str:
    """printed / derived / why of every erratum record."""
    out: list[str] = []
    for r in records:
        if r.status != "erratum":
            continue
        out.append(
            f"Eq. ({r.equation}) [{r.section}]\n  printed: {r.printed}\n  derived: {r.derived}\n  why:     {r.why}"
        )
    return "\n\n".join(out)


def run(args: argparse.Namespace) -> int:
    from keldysh.paper.checks import SECTIONS, all_records

    unknown = [s for s in (args.section or []) if s not in SECTIONS]
    if unknown:  # before any check runs
        raise ParameterError("section", f"unknown {unknown}; known: {list(SECTIONS)}")
    cb, close = _progress(args)
    t0 = time.perf_counter()
    try:
        records = all_records(progress=cb, sections=args.section)  # only the modules of these sections
    finally:
        close()
    elapsed = time.perf_counter() - t0
    if args.section:
        records = [r for r in records if r.section in args.section]
    if args.status:
        records = [r for r in records if r.status in args.status]
    if args.json:
        from keldysh.commands._common import print_json

        print_json([r.to_json() for r in records])
    else:
        print(format_table(records))
        counts = Counter(r.status for r in records)
        summary = ", ".join(f"{counts.get(s, 0)} {s}" for s in _STATUSES)
        print(f"\n{len(records)} equations: {summary} ({elapsed:.1f} s)")
        if args.errata:
            text = format_errata(records)
            if text:
                print("\n" + text)
    return 1 if any(r.status == "failed" for r in records) else 0
