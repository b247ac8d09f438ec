"""``compile(expr, args)``: the one place where SymPy expressions become NumPy callables.

Generated code is cached in memory and on disk, keyed by the *structure* of the expression
(``srepr``: symbol names and assumptions included), the argument symbols, the backend and the
versions of SymPy and the package -- never by a name alone, so a changed expression can never
return a stale function.  Every callable carries ``.expr``, ``.args`` and ``.source`` so a user
can print where a number comes from.
"""

from __future__ import annotations

import builtins
import hashlib
import json
import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from keldysh._version import __version__

__all__ = ["compile", "Compiled", "Lambdified", "cache_dir", "clear_cache", "expression_key"]

_CACHE: dict = {}
_LOCK = threading.Lock()
_FINGERPRINT: str | None = None


def cache_dir() -> Path | None:
    """Directory of the on-disk cache of generated NumPy code, or ``None`` when disabled.

    ``KELDYSH_CACHE_DIR`` overrides the location; ``KELDYSH_CACHE_DIR=off`` disables it.  The
    default is ``$XDG_CACHE_HOME/keldysh`` (``~/.cache/keldysh``).  Entries are keyed by a hash
    of the symbolic layer's source, so an edit of a derivation invalidates them.
    """
    env = os.environ.get("KELDYSH_CACHE_DIR")
    if env is not None:
        if env.strip().lower() in ("", "0", "off", "none", "false"):
            return None
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "keldysh"


#: parts of the package that never derive an expression (numerics, I/O, presentation): an edit there
#: keeps the cached code of the derivations.  A derivation defined in one of them (an ``expr_fn``
#: of :func:`keldysh.paper.build.lambdified`) is keyed by its own code and closure values, and what it
#: calls lives in the hashed symbolic layers (``engine``, ``paper/symbolic``, ...).
_NUMERIC_ONLY_DIRS = frozenset({"commands", "sweeps", "meanfield", "models", "checks", "solvers", "fock"})
_NUMERIC_ONLY_FILES = frozenset(
    {"cli.py", "__main__.py", "fileio.py", "plotting.py", "progress.py", "results.py", "results_plot.py", "units.py"}
)


def _fingerprint() -> str:
    """Hash of every source file the derivations may depend on (the package's .py files but the
    numeric-only ones: :data:`_NUMERIC_ONLY_DIRS`, :data:`_NUMERIC_ONLY_FILES`)."""
    global _FINGERPRINT
    if _FINGERPRINT is None:
        root = Path(__file__).resolve().parents[1]
        h = hashlib.sha256(__version__.encode())
        for path in sorted(root.rglob("*.py")):
            rel = path.relative_to(root)
            if _NUMERIC_ONLY_DIRS.intersection(rel.parts[:-1]) or rel.name in _NUMERIC_ONLY_FILES:
                continue
            h.update(path.relative_to(root).as_posix().encode())
            h.update(path.read_bytes())
        _FINGERPRINT = h.hexdigest()[:20]
    return _FINGERPRINT


class Lambdified:
    """A NumPy callable generated from a SymPy expression.

    ``.expr`` and ``.args`` give the SymPy source (computed lazily when the code came from the
    disk cache); ``.source`` is the generated Python code; ``.meta`` holds extra data
    (e.g. polynomial degrees); ``.from_disk`` tells where the code came from.
    """

    def __init__(
        self,
        name: str,
        func: Callable,
        source: str,
        expr_fn: Callable,
        args_fn: Callable,
        meta: dict[str, Any],
        expr: Any = None,
        args: Any = None,
        from_disk: bool = False,
    ) -> None:
        self.__name__ = name
        self._func = func
        self.source = source
        self._expr_fn, self._args_fn = expr_fn, args_fn
        self._expr, self._args = expr, args
        self.meta = meta
        self.from_disk = from_disk
        for k, v in meta.items():
            setattr(self, k, tuple(v) if isinstance(v, list) else v)

    def __call__(self, *a):
        return self._func(*a)

    @property
    def expr(self):
        if self._expr is None:
            self._expr = self._expr_fn()
        return self._expr

    @property
    def args(self):
        if self._args is None:
            self._args = tuple(self._args_fn())
        return self._args

    def __repr__(self) -> str:
        return (
            f"<compiled {self.__name__}: {len(self.args)} args>"
            if self._args is not None
            else f"<compiled {self.__name__}>"
        )


def _namespace() -> dict:
    import numpy

    ns: dict = {}
    exec("from numpy import *", ns)  # the printer's NumPy names (sqrt, conjugate, select, ...)
    from keldysh.engine.functions import fermi_numeric

    ns.update(numpy=numpy, I=1j, nan=numpy.nan, inf=numpy.inf, builtins=__builtins__, _kd_fermi=fermi_numeric)
    return ns


def _load(path: Path, name: str, expr_fn: Callable, args_fn: Callable) -> Lambdified | None:
    try:
        data = json.loads(path.read_text())
        ns = _namespace()
        exec(builtins.compile(data["source"], f"<keldysh cache {name}>", "exec"), ns)
        func = ns[data["func"]]
    except Exception:  # a corrupt or foreign entry is ignored and rebuilt
        return None
    if data.get("scalar"):
        func = _Broadcast(func)
    return Lambdified(name, func, data["source"], expr_fn, args_fn, data.get("meta", {}), from_disk=True)


def _store(path: Path, source: str, func_name: str, meta: dict[str, Any], scalar: bool = False) -> None:
    """Write one entry atomically (temporary file + rename)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_text(json.dumps({"source": source, "func": func_name, "meta": meta, "scalar": scalar}))
        os.replace(tmp, path)
    except OSError:  # read-only home, full disk: the cache is an optimisation only
        pass


def clear_cache(disk: bool = False) -> None:
    """Forget every cached callable in memory (and, with ``disk=True``, the disk entries)."""
    with _LOCK:
        _CACHE.clear()
    if disk:
        cdir = cache_dir()
        if cdir is not None and cdir.exists():
            for p in [*cdir.glob("*.json"), *cdir.glob("*.lock")]:
                try:
                    p.unlink()
                except OSError:
                    pass


Compiled = Lambdified


def expression_key(expr: Any, args: Sequence[Any], modules: str) -> str:
    """Hash of the expression's structure, its arguments, the backend and the versions."""
    import sympy as sp

    def rep(e: Any) -> str:
        if isinstance(e, (list, tuple)):
            return "[" + ",".join(rep(x) for x in e) + "]"
        return sp.srepr(e)

    text = "|".join([rep(expr), rep(tuple(args)), modules, sp.__version__, __version__])
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _validate(expr: Any, args: Sequence[Any]):
    import sympy as sp

    if isinstance(args, (str, bytes)) or not isinstance(args, (list, tuple)):
        raise TypeError("compile: args must be a list or tuple of SymPy symbols")
    for a in args:
        if not isinstance(a, (sp.Symbol, sp.Indexed, sp.Function)):
            raise TypeError(f"compile: argument {a!r} is not a SymPy symbol")
    if len(set(args)) != len(args):
        raise ValueError("compile: repeated argument symbol")

    def walk(e: Any):
        if isinstance(e, (list, tuple)):
            for x in e:
                yield from walk(x)
        elif isinstance(e, sp.MatrixBase):
            yield from e
        else:
            if isinstance(e, str) or not isinstance(e, (sp.Basic, int, float, complex)):
                raise TypeError(
                    f"compile: expression must be SymPy (got {type(e).__name__}); strings are never evaluated"
                )
            yield e

    free = set()
    for e in walk(expr):
        if isinstance(e, sp.Basic):
            free |= e.free_symbols
    missing = sorted(str(s) for s in free - set(args))
    if missing:
        raise ValueError(f"compile: the expression depends on {', '.join(missing)}, not among args")


class _Broadcast:
    """Wrap a scalar-valued generated function so that constants broadcast like the inputs."""

    def __init__(self, func: Callable) -> None:
        self.func = func
        self.__name__ = getattr(func, "__name__", "compiled")

    def __call__(self, *a):
        import numpy as np

        out = self.func(*a)
        if a and np.ndim(out) == 0:
            shape = np.broadcast_shapes(*(np.shape(x) for x in a))
            if shape:
                return np.full(shape, out)
        return out


def compile(expr: Any, args: Sequence[Any], modules: str = "numpy", cse: bool = True) -> Lambdified:  # noqa: A001
    """A vectorised NumPy (or mpmath) callable of ``expr`` in ``args``, cached by the expression.

    Parameters
    ----------
    expr : sympy.Expr, Matrix or list of them
        What to evaluate.  Strings are rejected (never evaluated).
    args : sequence of sympy.Symbol
        Positional arguments of the callable; every free symbol of ``expr`` must be among them.
    modules : {"numpy", "mpmath"}
        Backend; ``"numpy"`` code is also cached on disk (:func:`cache_dir`).
    cse : bool
        Common-subexpression elimination in the generated code.

    Returns
    -------
    Compiled
        ``f(*values)`` broadcasting like NumPy; ``f.expr``, ``f.args``, ``f.source``.

    Examples
    --------
    >>> import sympy as sp
    >>> x, y = sp.symbols("x y")
    >>> f = compile(x**2 + y, [x, y])
    >>> float(f(2.0, 1.0))
    5.0
    """
    if modules not in ("numpy", "mpmath"):
        raise ValueError("compile: modules must be 'numpy' or 'mpmath'")
    _validate(expr, args)
    if isinstance(expr, (int, float, complex)):
        from keldysh.engine.operators import as_scalar

        expr = as_scalar(expr)
    args = tuple(args)
    key = expression_key(expr, args, modules) + ("" if cse else "-nocse")
    with _LOCK:
        fn = _CACHE.get(("expr", key))
    if fn is not None:
        return fn
    fn = _build(f"compiled_{key[:12]}", key, lambda: expr, lambda: args, modules, cse, None, expr=expr, args=args)
    with _LOCK:
        _CACHE[("expr", key)] = fn
    return fn


def _build(
    name: str,
    key: str,
    expr_fn: Callable,
    args_fn: Callable,
    modules: str,
    cse: bool,
    meta_fn: Callable | None,
    expr: Any = None,
    args: Any = None,
) -> Lambdified:
    """Load the generated code of ``key`` from disk, or generate (and store) it."""
    cdir = cache_dir() if modules == "numpy" else None
    path = None
    if cdir is not None:
        path = cdir / f"{key[:32]}.json"
        with _key_lock(path):  # concurrent processes: one derives, the others wait and load
            fn = _load(path, name, expr_fn, args_fn) if path.exists() else None
            if fn is None:
                return _generate(name, expr_fn, args_fn, modules, cse, meta_fn, expr, args, path)
        if expr is not None:
            fn._expr, fn._args = expr, args
        return fn
    return _generate(name, expr_fn, args_fn, modules, cse, meta_fn, expr, args, None)


def _key_lock(path: Path, wait: float = 60.0):
    """An advisory lock on ``path.lock`` for the derivation of one cache entry (:func:`keldysh.fileio.polled_lock`:
    a derivation that needs another entry held by a process that waits for this one proceeds unlocked
    after ``wait`` seconds instead of deadlocking)."""
    from keldysh.fileio import polled_lock

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        pass
    return polled_lock(path.with_suffix(".lock"), wait)


def _generate(
    name: str,
    expr_fn: Callable,
    args_fn: Callable,
    modules: str,
    cse: bool,
    meta_fn: Callable | None,
    expr: Any,
    args: Any,
    path: Path | None,
) -> Lambdified:
    """Lambdify ``expr_fn()`` (and store the code at ``path``)."""
    import inspect

    import sympy as sp

    expr = expr_fn() if expr is None else expr
    args = tuple(args_fn()) if args is None else args
    from keldysh.engine.functions import fermi_numeric

    mods = [{"_kd_fermi": fermi_numeric}, "numpy"] if modules == "numpy" else modules
    raw = sp.lambdify(args, expr, modules=mods, cse=cse)
    meta = meta_fn(expr) if meta_fn else {}
    try:
        source = inspect.getsource(raw)
    except (OSError, TypeError):
        source = ""
    func = _Broadcast(raw) if isinstance(expr, sp.Expr) and modules == "numpy" else raw
    fn = Lambdified(name, func, source, expr_fn, args_fn, meta, expr=expr, args=args)
    if path is not None and source:
        _store(path, source, raw.__name__, meta, scalar=isinstance(expr, sp.Expr))
    return fn
