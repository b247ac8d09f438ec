"""Equation-by-equation checks of the paper (``keldysh check``).

Each module ``keldysh/paper/checks/<group>.py`` defines ``records() -> list[EquationRecord]``;
:func:`all_records` discovers them (sorted by ``ORDER`` then name).  A record states whether
the paper's printed form is ``verified`` (symbolically equal to the derivation), an
``erratum`` (printed form wrong: the record carries printed form, derived form and why),
``asymptotic`` (holds to a stated order in a stated limit; the note gives the check and the
measured error) or ``failed``.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass

__all__ = ["EquationRecord", "STATUSES", "SECTIONS", "all_records", "check_modules", "store_records"]

STATUSES = ("verified", "erratum", "asymptotic", "failed")

#: the paper's sections that the records cover (``keldysh check --section``)
SECTIONS = ("II.A", "II.B", "II.C", "III", "IV", "Appendix")

#: the sections whose records each check module makes (``keldysh check --section`` derives only the
#: modules it needs; a module missing here is always derived; ``tests/test_checks.py`` holds the
#: table to the records)
MODULE_SECTIONS = {
    "sec2a": ("II.A", "II.B"),  # Eqs. (15)-(17) (pairing, Sect. II.B) are derived with the Sect. II.A algebra
    "sec2b": ("II.B", "II.C"),
    "sec3_pumping": ("III",),
    "sec4_keldysh": ("IV",),
    "appendix_threeband": ("Appendix",),
}


@dataclass
class EquationRecord:
    """The verdict on one printed equation.

    Attributes
    ----------
    equation : str
        The paper's label as printed there, e.g. ``"9a"``, ``"22"``, ``"A12"``.
    section : str
        e.g. ``"II.A"``, ``"IV"``, ``"Appendix"``.
    status : str
        One of :data:`STATUSES`.
    note : str
        One line: what was checked and how (limit, order, measured error).
    printed, derived : str
        LaTeX (or SymPy ``str``) of the paper's form and of the derived form.
    why : str
        For an erratum: the reason the printed form is wrong.
    """

    equation: str
    section: str
    status: str
    note: str
    printed: str = ""
    derived: str = ""
    why: str = ""
    seconds: float = 0.0

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, got {self.status!r}")
        if self.status == "erratum" and not (self.printed and self.derived and self.why):
            raise ValueError(f"erratum record {self.equation} needs printed, derived and why")

    def to_json(self) -> dict:
        return asdict(self)


def rounding(x: float, tol: float = 1e-13, fmt: str = ".0e") -> str:
    """``x`` formatted for a record note, or ``"< tol (rounding)"`` when it is rounding-level.

    Rounding-level differences depend on the machine (BLAS, summation order); stated as a bound
    they keep the generated docs/errata.md identical from machine to machine.
    """
    return f"< {tol:.0e} (rounding)" if abs(x) < tol else format(x, fmt)


def check_modules() -> list:
    """The modules of this package that define ``records()``, in table order."""
    from keldysh.paper.checks import __path__ as pkg_path

    mods = []
    for info in pkgutil.iter_modules(pkg_path):
        if info.name.startswith("_"):
            continue
        mod = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(mod, "records"):
            mods.append(mod)
    return sorted(mods, key=lambda m: (getattr(m, "ORDER", 100), m.__name__))


def _records_cache_path():
    """Disk-cache file of the records, keyed by the whole package source and the library versions."""
    import hashlib
    from pathlib import Path

    from keldysh.engine.compile import cache_dir

    cdir = cache_dir()
    if cdir is None:
        return None
    import mpmath
    import numpy
    import scipy
    import sympy

    root = Path(__file__).resolve().parents[2]  # the whole package: the records use the engine too
    h = hashlib.sha256("|".join(m.__version__ for m in (sympy, numpy, scipy, mpmath)).encode())
    for path in sorted(root.rglob("*.py")):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(path.read_bytes())
    return cdir / f"records-{h.hexdigest()[:24]}.json"


def all_records(
    progress: Callable[[str], None] | None = None,
    cache: bool = True,
    refresh: bool = False,
    sections: Sequence[str] | None = None,
) -> list[EquationRecord]:
    """Run every check module and collect its records (a failing module yields ``failed``).

    The records are a deterministic function of the package source: with ``cache=True`` a run
    whose records all passed is stored (atomically) in the disk cache of
    :func:`keldysh.engine.compile.cache_dir`, keyed by a hash of every source file of the
    package and the versions of SymPy, NumPy, SciPy and mpmath, and reused by the next process
    (``keldysh check``, ``derivations/make_errata.py``).  Any edit recomputes them;
    ``cache=False`` or ``KELDYSH_CACHE_DIR=off`` always recomputes; ``refresh=True`` recomputes and
    stores (the test suite derives its records itself, so its checks never come from an earlier run).

    ``sections`` (e.g. ``["IV"]``): only the records of these sections; without a cached full set
    only the modules making them are derived (:data:`MODULE_SECTIONS`), and nothing is stored.
    """
    import json

    path = _records_cache_path() if (cache or refresh) else None
    out = None
    if path is not None and path.exists() and not refresh:
        try:
            out = [EquationRecord(**d) for d in json.loads(path.read_text())]
        except (OSError, ValueError, TypeError):
            out = None  # a corrupt entry is recomputed
    if out is None and sections is not None:
        wanted = set(sections)
        mods = [
            m for m in check_modules() if wanted & set(MODULE_SECTIONS.get(m.__name__.rsplit(".", 1)[-1], SECTIONS))
        ]
        return [r for r in _compute_records(progress, mods) if r.section in wanted or r.status == "failed"]
    if out is None:
        out = _compute_records(progress)
        if cache or refresh:
            store_records(out)
    return out if sections is None else [r for r in out if r.section in set(sections)]


def store_records(records: Sequence[EquationRecord]) -> bool:
    """Store a full set of records in the disk cache read by :func:`all_records` (atomically); a set
    with a failed record is never stored.  Returns whether it was stored."""
    import json
    import os

    path = _records_cache_path()
    if path is None or any(r.status == "failed" for r in records):
        return False
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps([r.to_json() for r in records]))
        os.replace(tmp, path)
    except OSError:
        return False
    return True


def _compute_records(
    progress: Callable[[str], None] | None = None, modules: Sequence | None = None
) -> list[EquationRecord]:
    """Derive the records of ``modules`` (default: every check module), in table order."""
    out: list[EquationRecord] = []
    for mod in check_modules() if modules is None else modules:
        if progress:
            progress(mod.__name__.rsplit(".", 1)[-1])
        try:
            out.extend(mod.records())
        except Exception as exc:  # a crash is a failed check, reported, not hidden
            out.append(
                EquationRecord(
                    equation=getattr(mod, "GROUP", mod.__name__),
                    section="?",
                    status="failed",
                    note=f"check module raised {type(exc).__name__}: {exc}",
                )
            )
    return out
