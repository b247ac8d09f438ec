"""The only border between the symbolic and the numeric layer.

``*_expr()`` functions (in :mod:`keldysh.symbolic`) return SymPy; the ``*_func()`` functions
here return NumPy callables made by ``sympy.lambdify(..., cse=True)``, cached by
``(name, modules)``.  Each callable carries ``.expr`` (the SymPy source) and ``.args``
(its argument symbols), so a user can print where a number comes from.
``modules="mpmath"`` gives a high-precision twin for tests.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from pathlib import Path
from typing import Any, Callable, Dict, Optional, Sequence

from ._version import __version__

__all__ = [
    "lambdified",
    "Lambdified",
    "population_deviation_func",
    "rwa_rhs_func",
    "rational_coefficients_func",
    "clear_cache",
    "cache_dir",
]

_CACHE: dict = {}
_LOCK = threading.Lock()
_FINGERPRINT: Optional[str] = None


def cache_dir() -> Optional[Path]:
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


def _fingerprint() -> str:
    """Hash of every source file the derivations depend on (the package's own .py files)."""
    global _FINGERPRINT
    if _FINGERPRINT is None:
        root = Path(__file__).resolve().parent
        h = hashlib.sha256(__version__.encode())
        for path in sorted(root.rglob("*.py")):
            if "commands" in path.parts or "checks" in path.parts:
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

    def __init__(self, name: str, func: Callable, source: str, expr_fn: Callable, args_fn: Callable,
                 meta: Dict[str, Any], expr: Any = None, args: Any = None, from_disk: bool = False) -> None:
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
        return f"<Lambdified {self.__name__}>"


def _namespace() -> dict:
    import numpy

    ns: dict = {}
    exec("from numpy import *", ns)  # the printer's NumPy names (sqrt, conjugate, select, ...)
    ns.update(numpy=numpy, I=1j, nan=numpy.nan, inf=numpy.inf, builtins=__builtins__)
    return ns


def _load(path: Path, name: str, expr_fn: Callable, args_fn: Callable) -> Optional[Lambdified]:
    try:
        data = json.loads(path.read_text())
        ns = _namespace()
        exec(compile(data["source"], f"<keldysh cache {name}>", "exec"), ns)
        func = ns[data["func"]]
    except Exception:  # a corrupt or foreign entry is ignored and rebuilt
        return None
    return Lambdified(name, func, data["source"], expr_fn, args_fn, data.get("meta", {}), from_disk=True)


def _store(path: Path, source: str, func_name: str, meta: Dict[str, Any]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"source": source, "func": func_name, "meta": meta}))
        os.replace(tmp, path)
    except OSError:  # read-only home, full disk: the cache is an optimisation only
        pass


def lambdified(
    name: str,
    expr_fn: Callable[[], object],
    args_fn: Callable[[], Sequence],
    modules: str = "numpy",
    meta_fn: Optional[Callable[[Any], Dict[str, Any]]] = None,
) -> Lambdified:
    """Lambdify ``expr_fn()`` in ``args_fn()`` once per ``(name, modules)`` and cache it.

    Parameters
    ----------
    name : str
        Cache key (unique per expression).
    expr_fn, args_fn : callables
        Produce the SymPy expression (or a list of them) and its argument symbols; called only
        on a cache miss, so SymPy work stays lazy.
    modules : str
        ``"numpy"`` (default; also cached on disk, see :func:`cache_dir`) or ``"mpmath"``.
    meta_fn : callable, optional
        ``meta_fn(expr) -> dict`` of JSON-able extra data stored with the code and exposed as
        attributes of the callable.
    """
    key = (name, modules)
    with _LOCK:
        fn = _CACHE.get(key)
    if fn is not None:
        return fn
    cdir = cache_dir() if modules == "numpy" else None
    path = None
    if cdir is not None:
        digest = hashlib.sha256(f"{name}|{_fingerprint()}".encode()).hexdigest()[:24]
        path = cdir / f"{digest}.json"
        if path.exists():
            fn = _load(path, name, expr_fn, args_fn)
    if fn is None:
        import inspect

        import sympy as sp

        expr = expr_fn()
        args = tuple(args_fn())
        raw = sp.lambdify(args, expr, modules=modules, cse=True)
        meta = meta_fn(expr) if meta_fn else {}
        try:
            source = inspect.getsource(raw)
        except (OSError, TypeError):
            source = ""
        fn = Lambdified(name, raw, source, expr_fn, args_fn, meta, expr=expr, args=args)
        if path is not None and source:
            _store(path, source, raw.__name__, meta)
    with _LOCK:
        _CACHE[key] = fn
    return fn


def clear_cache(disk: bool = False) -> None:
    """Forget every cached callable in memory (and, with ``disk=True``, this version's disk entries)."""
    with _LOCK:
        _CACHE.clear()
    if disk:
        cdir = cache_dir()
        if cdir is not None and cdir.exists():
            for p in cdir.glob("*.json"):
                try:
                    p.unlink()
                except OSError:
                    pass


def population_deviation_func(kind: str = "exact", modules: str = "numpy") -> Callable:
    """NumPy callable ``x(E, eps, |Delta|, Omega, Gamma1, Gamma2, f1, f2)`` = ``n11 + n22 - 1``.

    ``kind``: ``"exact"`` (steady state of Eq. 9), ``"eq11"``, ``"eq13"``, ``"eq14"``
    (see :func:`keldysh.symbolic.master.population_deviation_expr`).
    """

    def expr():
        from .symbolic.master import population_deviation_expr

        return population_deviation_expr(kind)

    def args():
        from . import symbols as S

        return (S.E, S.eps, S.Delta_abs, S.Omega, S.Gamma1, S.Gamma2, S.f1, S.f2)

    return lambdified(f"population_deviation[{kind}]", expr, args, modules)


def rwa_rhs_func(modules: str = "numpy") -> Callable:
    """NumPy callable for the right-hand sides of Eq. (9) (derived).

    Signature ``rhs(n11, n22, n21, s21, E, eps, Delta, Omega, Gamma1, Gamma2, f1, f2)``
    returning ``(dn11, dn22, dn21, ds21)``; ``n21``, ``s21`` and ``Delta`` are complex.
    """

    def expr():
        import sympy as sp

        from . import symbols as S
        from .symbolic.master import n11, n21, n22, rwa_eom, s21

        eqs = rwa_eom(2, "E_eps")
        # conj() of complex arguments must survive lambdify: keep sp.conjugate
        return [eqs["n11"], eqs["n22"], eqs["n21"], eqs["s21"]]

    def args():
        from . import symbols as S
        from .symbolic.master import n11, n21, n22, s21

        return (n11, n22, n21, s21, S.E, S.eps, S.Delta, S.Omega, S.Gamma1, S.Gamma2, S.f1, S.f2)

    return lambdified("rwa_rhs", expr, args, modules)


def rational_coefficients_func(kind: str = "exact", modules: str = "numpy") -> Lambdified:
    """Coefficient arrays of ``x = P(|Delta|^2) / Q(|Delta|^2)`` (population deviation, Eqs. 11-14).

    The exact steady state of Eq. (9) is a ratio of polynomials in ``|Delta|^2`` whose
    coefficients depend on the momentum only; precomputing them once per momentum grid
    makes every evaluation of the gap equation a cheap polynomial in ``|Delta|^2``.
    Returns a callable ``(E, eps, Omega, Gamma1, Gamma2, f1, f2) -> [P_0, P_1, ..., Q_0, Q_1, ...]``
    with attribute ``.degrees = (deg P, deg Q)`` (in powers of ``|Delta|^2``).
    """
    split: dict = {}

    def expr():
        import sympy as sp

        from . import symbols as S
        from .symbolic.master import population_deviation_expr

        x = population_deviation_expr(kind)
        num, den = sp.fraction(sp.together(x))
        D2 = sp.Symbol("D2", nonnegative=True)
        num = sp.expand(num).subs(S.Delta_abs**2, D2)
        den = sp.expand(den).subs(S.Delta_abs**2, D2)
        P = sp.Poly(num, D2).all_coeffs()[::-1]
        Q = sp.Poly(den, D2).all_coeffs()[::-1]
        split["degrees"] = [len(P) - 1, len(Q) - 1]
        return list(P) + list(Q)

    def args():
        from . import symbols as S

        return (S.E, S.eps, S.Omega, S.Gamma1, S.Gamma2, S.f1, S.f2)

    return lambdified(f"population_deviation_coeffs[{kind}]", expr, args, modules, meta_fn=lambda e: dict(split))
