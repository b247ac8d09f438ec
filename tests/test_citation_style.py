"""One citation style for the paper's equations: ``Eq. (19)``, ``Eqs. (5), (6)``, ``Eqs. (10)-(14)``, ``Eq. (A13)``.

Grepping the repository for an equation (``grep -rn "Eq. (19)"``) must find every place that
uses it: code, docstrings, comments, CLI help, record notes and the docs.  This test scans the
repository's text files for any other way of writing a citation -- ``Eq. 19``, ``Eq.19``,
``Eqs. 5, 6``, ``Eqs. 10-14``, ``Eq. A13``, ``Eqs. (6, 9)``, ``Eqs. (6a-b)``, ``Eqs. (10), 13``,
lowercase ``eq. (19)`` -- and names each offending ``file:line``.

Machine-readable labels are not citations and are not matched: the record field
``equation="18"``, method names ``eq19`` / ``keldysh-eq55``, function and file names such as
``kernel_eq19`` or ``sec2a_eq05_dissipator.py`` (no dot or space between ``eq`` and the number).
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: the files scanned (relative glob patterns)
PATTERNS = (
    "keldysh/**/*.py",
    "derivations/*.py",
    "benchmarks/*.py",
    "tests/**/*.py",
    "docs/**/*.md",
    "docs/**/*.py",
    "docs/**/*.rst",
    "README.md",
)
SKIP_PARTS = {"_build", ".ipynb_checkpoints", "__pycache__", "jupyter_execute"}

_LABEL = r"A?\d+[a-z]?"
_SEP = r"(?:\s*[-\u2013]\s*|,\s*|\s+and\s+)"

#: ``Eq`` / ``Eqs`` / ``eq`` / ``eqs`` followed (after a dot and/or a space) by a label without parentheses
BARE = re.compile(r"\b[Ee]qs?(?:\.\s*|\s+)[A-Z]?\d+[a-z]?")
#: a parenthesised citation whose parentheses hold more than one label: ``Eqs. (6, 9)``, ``Eq. (6a-b)``
GROUPED = re.compile(r"\b[Ee]qs?\.\s*\((?P<inner>A?\d[^()]*)\)")
#: a parenthesised citation continued by a bare label: ``Eqs. (10), 13``, ``Eqs. (18)-20``
CONTINUED = re.compile(rf"\b[Ee]qs?\.\s*\({_LABEL}\)(?:{_SEP}\({_LABEL}\))*{_SEP}{_LABEL}(?![\w.(])")
#: lowercase ``eq.`` before a parenthesised label
LOWERCASE = re.compile(r"\beqs?\.\s*\(" + _LABEL + r"\)")


def offending(line: str) -> list[str]:
    """The citations of ``line`` that are not in the ``Eq. (N)`` style (empty if none)."""
    bad = [m.group(0) for m in BARE.finditer(line)]
    bad += [m.group(0) for m in GROUPED.finditer(line) if not re.fullmatch(_LABEL, m.group("inner"))]
    bad += [m.group(0) for m in CONTINUED.finditer(line)]
    bad += [m.group(0) for m in LOWERCASE.finditer(line)]
    return bad


def scanned_files() -> list[Path]:
    here = Path(__file__).resolve()
    out = set()
    for pattern in PATTERNS:
        for path in ROOT.glob(pattern):
            if path.is_file() and path.resolve() != here and not SKIP_PARTS & set(path.parts):
                out.add(path)
    return sorted(out)


GOOD = [
    "Eq. (19)",
    "Eqs. (5), (6), (9)",
    "Eqs. (10)-(14)",
    "Eqs. (18)-(20) and (51)",
    "Eq. (A13)",
    "Eqs. (6a)-(6d)",
    "Eq. (9) (text)",
    "Eq. (10)'s sign",
    "Eq. (18) or (17)",
    'f"Eq. ({r.equation})"',
    "equations are numbered as in the paper (Eq. (N) in the text)",
    "keldysh gap --method eq19",
    "--method keldysh-eq55",
    "kernel_eq19(x)",
    "derivations/sec2a_eq05_dissipator.py",
    'equation="18"',
    "population_deviation_expr('eq13')",
    "sp.Eq(1, x)",
    "sp.Eq(sp.Symbol('x'), 2)",
    "exact gap eq. {value}",
    "Eqs. (22) and (44) without their sqrt(2)/pi",
    "Eq. (22), 2.14 at the cutoff",
]

BAD = [
    "Eq. 19",
    "Eq.19",
    "Eq 19",
    "eq. 19",
    "eq. (19)",
    "Eqs. 5, 6, 9",
    "Eqs. 10-14",
    "Eq. A13",
    "Eqs. (6, 9)",
    "Eqs. (6a-b)",
    "Eqs. (18-20)",
    "Eqs. (10), 13",
    "Eqs. (18)-20",
    "Eqs. (10), (11) and 12",
    "see (Eq. 5) here",
]


def test_the_patterns_tell_good_from_bad():
    for text in GOOD:
        assert not offending(text), (text, offending(text))
    for text in BAD:
        assert offending(text), text


def test_the_scan_finds_a_planted_citation(tmp_path):
    planted = tmp_path / "planted.py"
    planted.write_text('"""Uses Eq. (18)."""\n\nX = 1  # the limit of Eq. 13\n')
    hits = [(i, offending(line)) for i, line in enumerate(planted.read_text().splitlines(), 1) if offending(line)]
    assert hits == [(3, ["Eq. 13"])]


def test_every_citation_is_in_the_parenthesised_style():
    files = scanned_files()
    assert len(files) > 50  # the patterns do find the repository
    bad = []
    for path in files:
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for hit in offending(line):
                bad.append(f"{path.relative_to(ROOT)}:{i}: {hit!r}")
    assert not bad, "write equation citations as Eq. (N), Eqs. (N), (M), Eqs. (N)-(M):\n" + "\n".join(bad)
