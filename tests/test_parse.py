"""User expressions are parsed against a whitelist, never evaluated (CLI --E1/--E2, LaserModel fields)."""

from __future__ import annotations

import subprocess
import sys

import pytest
import sympy as sp

from keldysh import LaserModel, ParameterError
from keldysh.engine.parse import parse_expression

k, mu = sp.symbols("k mu", real=True)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("k**2/2 - mu", k**2 / 2 - mu),
        ("-1 - k**2/4", -1 - k**2 / 4),
        ("sqrt(1 + k**2) * exp(-k) + pi", sp.sqrt(1 + k**2) * sp.exp(-k) + sp.pi),
        ("2.5e-3*k", sp.Float(2.5e-3) * k),
    ],
)
def test_whitelisted_expressions_parse_to_sympy(text, expected):
    assert sp.simplify(parse_expression(text, {"k": k, "mu": mu}, "E") - expected) == 0


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os').system('true')",  # the reported code-execution payload
        "k.__class__",
        "().__class__.__bases__",
        "[k for k in ()]",
        "lambda: 1",
        "open('x')",
        "eval('1')",
        "zoo",
        "'k'",
        "k if k else 1",
        "k < 1",
        "k[0]",
        "k**k",
        "2**10**10",
        "1e400",
        "k^2",
        "1/0",
        "",
    ],
)
def test_anything_else_is_a_one_line_parameter_error(text):
    with pytest.raises(ParameterError) as info:
        parse_expression(text, {"k": k}, "E2")
    assert info.value.param == "E2" and "\n" not in str(info.value)


def test_payload_through_the_model_and_the_cli_never_runs(tmp_path):
    target = tmp_path / "PWNED"
    payload = f"__import__('os').system('touch {target.as_posix()}')"
    with pytest.raises(ParameterError) as info:
        LaserModel(E1="k**2", E2=payload, omega0=1.0)
    assert info.value.param == "E2"
    proc = subprocess.run(
        [sys.executable, "-m", "keldysh", "gap", "--E1", payload, "--E2", "k**2", "--omega0", "1"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert proc.returncode == 2 and not target.exists()
    assert "E1" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
