"""keldysh.paper.build: lambdified callables are cached in memory and on disk; the disk copy must
compute exactly what a fresh lambdify of the derived expression computes."""

import numpy as np
import pytest

from keldysh.paper import build


@pytest.fixture()
def fresh_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("KELDYSH_CACHE_DIR", str(tmp_path))
    build.clear_cache()
    yield tmp_path
    build.clear_cache()


def test_disk_cache_roundtrip_is_bitwise_identical(fresh_cache):
    f1 = build.rational_coefficients_func("exact")
    assert not f1.from_disk and list(fresh_cache.glob("*.json"))
    build.clear_cache()  # memory only: the next call must come from disk
    f2 = build.rational_coefficients_func("exact")
    assert f2.from_disk and f2.degrees == f1.degrees == (0, 1)
    rng = np.random.default_rng(1)
    args = [rng.normal(size=50) for _ in range(2)] + [0.5, 0.00999, 1e-5, rng.uniform(size=50), rng.uniform(size=50)]
    for a, b in zip(f1(*args), f2(*args)):
        np.testing.assert_array_equal(np.broadcast_to(a, (50,)), np.broadcast_to(b, (50,)))
    # the SymPy source is still available (derived lazily)
    assert len(f2.expr) == 3 and len(f2.args) == 7


def test_complex_rhs_from_disk(fresh_cache):
    f1 = build.rwa_rhs_func()
    build.clear_cache()
    f2 = build.rwa_rhs_func()
    assert f2.from_disk
    args = (0.9, 0.05, 0.01 + 0.02j, -0.003 + 0.004j, 0.1, -0.2, 0.01 - 0.005j, 0.5, 0.00999, 1e-5, 1.0, 0.0)
    assert np.array_equal(np.array(f1(*args)), np.array(f2(*args)))


def test_cache_disabled(monkeypatch, tmp_path):
    monkeypatch.setenv("KELDYSH_CACHE_DIR", "off")
    build.clear_cache()
    f = build.population_deviation_func("eq13")
    assert not f.from_disk and build.cache_dir() is None
    build.clear_cache()


def test_corrupt_entry_is_rebuilt(fresh_cache):
    build.population_deviation_func("eq13")
    for p in fresh_cache.glob("*.json"):
        p.write_text("{not json")
    build.clear_cache()
    f = build.population_deviation_func("eq13")
    assert not f.from_disk
    assert float(f(0.0, 0.0, 0.0, 1.0, 0.75, 0.25, 1.0, 0.0)) == pytest.approx(0.5)


_CONCURRENT = """
import sys, time
from pathlib import Path
import sympy as sp
import importlib

c = importlib.import_module("keldysh.engine.compile")  # the module (the package exports a function of that name)

x = sp.Symbol("x")
log = Path(sys.argv[1])

def expr():  # a slow derivation that records each time it runs
    with open(log, "a") as fh:
        fh.write("derived\\n")
    time.sleep(1.0)
    return sp.sin(x) ** 2

fn = c._build("slow", "concurrent-test-key", expr, lambda: (x,), "numpy", True, None)
print(fn.from_disk, float(fn(0.3)))
"""


@pytest.mark.slow  # two interpreters started and importing SymPy (~3 s)
def test_concurrent_processes_derive_an_entry_once(fresh_cache):
    """Two processes that need the same missing entry: one derives it (under the entry's lock), the
    other waits and loads the stored code; both compute the same numbers."""
    import subprocess
    import sys

    log = fresh_cache / "derivations.log"
    procs = [
        subprocess.Popen([sys.executable, "-c", _CONCURRENT, str(log)], stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outs = sorted(p.communicate(timeout=120)[0].split() for p in procs)
    assert all(p.returncode == 0 for p in procs)
    assert log.read_text().count("derived") == 1
    assert [o[0] for o in outs] == ["False", "True"] and outs[0][1] == outs[1][1]


def test_first_call_of_a_compiled_kernel_is_locked(monkeypatch, tmp_path):
    """keldysh._jit.first_call_locked: the first call of a process runs under the kernel's lock file
    (held: a second holder cannot take it meanwhile), later calls call the kernel directly."""
    import fcntl

    from keldysh import _jit

    monkeypatch.setattr(_jit.tempfile, "gettempdir", lambda: str(tmp_path))
    seen = []

    def source(x):
        return x + 1

    def kernel(x):
        with open(wrapped._lock_path, "a+") as fh:  # is the lock held while the kernel runs?
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                fcntl.flock(fh, fcntl.LOCK_UN)
                seen.append("free")
            except OSError:
                seen.append("held")
        return source(x)

    wrapped = _jit.first_call_locked(kernel, source)
    assert wrapped._lock_path.startswith(str(tmp_path)) and "source" in wrapped._lock_path
    assert wrapped(1) == 2 and wrapped(2) == 3
    assert seen == ["held", "free"]
