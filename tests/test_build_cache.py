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
