"""``keldysh gap --model FILE.py:NAME --param ...`` gives the numbers of the Python call."""

from __future__ import annotations

import json
import textwrap

import pytest

from keldysh.cli import main

MODEL = textwrap.dedent("""
    import sympy as sp
    import keldysh as kd

    k = sp.Symbol("k", real=True)
    mu, G, T, kmax, V = sp.symbols("mu G T k_max V", real=True)
    D = sp.Symbol("Delta")
    ck, cmk = kd.fermions("c_k c_mk")
    xi = k**2 / 2 - mu
    nF = kd.fermi(xi, T)
    H = xi * (ck.dag()*ck + cmk.dag()*cmk) + D * ck.dag()*cmk.dag() + sp.conjugate(D) * cmk*ck
    L = kd.Lindbladian(H, jumps=[(2*G*nF, ck.dag()), (2*G*(1 - nF), ck), (2*G*nF, cmk.dag()), (2*G*(1 - nF), cmk)])
    model = kd.MeanFieldModel(L, order_parameter=D, coupling=V, self_consistency=-V * L.mean(cmk*ck),
                              momentum=k, domain=(0, kmax), measure=1/sp.pi)
""")
PARAMS = ["--param", "mu=1", "--param", "G=0.01", "--param", "T=0", "--param", "k_max=2"]


@pytest.fixture(scope="module")
def model_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("models") / "bcs.py"
    path.write_text(MODEL)
    return path


def test_cli_equals_python_call(model_file, capsys):
    import importlib.util

    import keldysh as kd

    assert (
        main(["gap", "--model", f"{model_file}:model", *PARAMS, "--V", "1", "--condition", "in-phase", "--json"]) == 0
    )
    out = json.loads(capsys.readouterr().out)
    spec = importlib.util.spec_from_file_location("bcs_model_for_test", model_file)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    r = kd.solve_gap(mod.model, V=1.0, values={"mu": 1.0, "G": 0.01, "T": 0.0, "k_max": 2.0}, condition="in-phase")
    # the same deterministic computation in one process: equal to the last bit
    assert out["delta"] == r.delta and out["V_c"] == r.V_c
    for key in ("delta", "V_c", "method", "converged", "reason", "params", "condition", "omega"):
        assert key in out
    assert out["condition"] == "in-phase" and out["omega"] == 0.0


@pytest.mark.parametrize(
    "argv, param",
    [
        (["--model", "nofile.py:model"], "model"),
        (["--model", "{file}:nope"], "model"),
        (["--model", "{file}:model", "--param", "mu=1"], "G"),
        (["--model", "{file}:model", "--param", "mu"], "param"),
        (["--model", "{file}:model", "--param", "typo=1"], "typo"),
        (["--model", "{file}:model", "--dephasing", "gap"], "dephasing"),
    ],
)
def test_cli_errors_are_one_line(model_file, capsys, argv, param):
    argv = [a.replace("{file}", str(model_file)) for a in argv]
    assert main(["gap", *argv, "--V", "1"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and f"invalid parameter {param}" in err
