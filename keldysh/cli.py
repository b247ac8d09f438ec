"""The ``keldysh`` command line.

Sub-commands live in :mod:`keldysh.commands`, one module each, discovered at run
time: a module defines ``NAME``, ``HELP``, ``ORDER``, ``add_arguments(parser)`` and
``run(args) -> int``.  Invalid input prints one line on stderr and exits with status 2.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

from keldysh._version import __version__
from keldysh.errors import ParameterError


class _Parser(argparse.ArgumentParser):
    """ArgumentParser whose errors are one line on stderr and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise SystemExit(2)


def _command_modules() -> list:
    from keldysh import commands

    mods = []
    for info in pkgutil.iter_modules(commands.__path__):
        if info.name.startswith("_"):
            continue
        mod = importlib.import_module(f"{commands.__name__}.{info.name}")
        if hasattr(mod, "NAME") and hasattr(mod, "run"):
            mods.append(mod)
    return sorted(mods, key=lambda m: (getattr(m, "ORDER", 100), m.NAME))


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser with every sub-command registered."""
    parser = _Parser(
        prog="keldysh",
        description=(
            "Photoinduced superconductivity in semiconductors (Goldstein, Aron, Chamon, "
            "PRB 91, 054517, 2015): derivations, gap equations, dynamics, figures."
        ),
    )
    parser.add_argument("--version", action="version", version=f"keldysh {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for mod in _command_modules():
        p = sub.add_parser(mod.NAME, help=mod.HELP, description=getattr(mod, "DESCRIPTION", mod.HELP))
        mod.add_arguments(p)
        p.set_defaults(_run=mod.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``keldysh`` script; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "_run", None):
        parser.print_help()
        return 0
    try:
        return int(args._run(args) or 0)
    except ParameterError as exc:
        sys.stderr.write(f"keldysh {args.command}: invalid parameter {exc}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write(f"keldysh {args.command}: interrupted (files already written are complete)\n")
        return 130
    except SystemError as exc:  # an interrupt surfacing through compiled (numba) code
        if isinstance(exc.__cause__ or exc.__context__, KeyboardInterrupt):
            sys.stderr.write(f"keldysh {args.command}: interrupted (files already written are complete)\n")
            return 130
        raise
    except BrokenPipeError:  # pragma: no cover - e.g. piping into head
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
