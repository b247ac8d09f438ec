"""Property-based tests of the command line over hostile input: every command, every parameter flag.

The contract (issue: hostile input): whatever the arguments, ``keldysh COMMAND ...`` either exits 0
with one finite, valid JSON object on stdout (``--json``) or exits 2 with exactly one line on stderr
naming a parameter of the command -- never a traceback, never a NaN or an infinity in the JSON,
never a silent computation on a rejected input.

The commands run in-process (:func:`keldysh.cli.main`, output captured), so each example costs the
command's own work only.  The strategies mix plausible numbers (so that the success branch runs) with
hostile text: nan, inf, -0.0, subnormals (1e-320), 1e308, integers of hundreds of digits, empty and
blank strings, unicode digits and letters, and Python payloads (``__import__('os')...``), which must
never be evaluated.  ``keldysh gap`` runs the paper's models with ``--condition in-phase`` (the cheap
prescription of Eq. (18); the validation of the flags is shared with the complete condition) and the
BCS pair of ``keldysh/models/bcs.py`` through ``--model FILE.py:NAME --param``; ``check`` runs over
stub records (the section filter is what is tested; the records themselves are tested in
``test_checks.py``); ``reproduce`` validates for real and runs a stub in place of the integration.

Examples are derandomized (reproducible in CI) and few; ``KELDYSH_HYPOTHESIS_SCALE=20`` multiplies
them for a deliberate hunt.
"""

from __future__ import annotations

import json
import math
import os
import re
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keldysh.cli import main

SCALE = int(os.environ.get("KELDYSH_HYPOTHESIS_SCALE", "1"))


def fast(n: int) -> settings:
    """Derandomized settings with ``n`` examples (times ``KELDYSH_HYPOTHESIS_SCALE``)."""
    return settings(
        max_examples=n * SCALE,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
    )


# ----------------------------------------------------------------------------- strategies
PAYLOAD = "__import__('os').system('touch PWNED')"
HOSTILE_TEXT = [
    "nan",
    "NaN",
    "-nan",
    "inf",
    "-inf",
    "Infinity",
    "-0.0",
    "0",
    "1e-320",
    "5e-324",
    "-1e-320",
    "1e308",
    "-1e308",
    "1.7976931348623157e308",
    "1e309",
    str(10**400),
    "-" + "9" * 320,
    "0x10",
    "1_000",
    "\u0661\u0662",  # Arabic-Indic digits: float() accepts them
    "\uff11",  # full-width 1
    "",
    " ",
    "\t",
    "abc",
    "1e",
    "1/2",
    "2**10",
    "ünïcødé",
    "\u202e1",
    PAYLOAD,
    "k**2",
]
hostile_text = st.sampled_from(HOSTILE_TEXT)
random_text = st.text(max_size=12)
float_text = st.floats().map(repr)  # nan, inf, -0.0, subnormals, huge
int_text = st.integers(min_value=-(10**400), max_value=10**400).map(str)


def number_text(lo: float, hi: float, *, log: bool = False) -> st.SearchStrategy[str]:
    """Mostly values in a plausible range ``[lo, hi]`` (so that the command computes), else hostile text."""
    if log:
        plausible = st.floats(min_value=math.log10(lo), max_value=math.log10(hi)).map(lambda e: repr(10.0**e))
    else:
        plausible = st.floats(min_value=lo, max_value=hi).map(repr)
    return st.one_of(plausible, plausible, hostile_text, float_text, int_text, random_text)


# ----------------------------------------------------------------------------- the contract
def _no_constants(name: str):
    raise AssertionError(f"non-finite number {name} in the JSON output")


#: warnings Python hides by default outside ``__main__``; every other one would reach a user's terminal
_HIDDEN = (DeprecationWarning, PendingDeprecationWarning, ImportWarning, ResourceWarning)


def run_cli(argv: list[str], capsys) -> tuple[int, str, str]:
    """``keldysh argv`` in-process: exit status, stdout, stderr (argparse's SystemExit included).

    Warnings a terminal would show (``RuntimeWarning`` of an overflow, ...) are appended to stderr
    as one line each, whatever pytest's own warning capture does."""
    capsys.readouterr()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            rc = main(argv)
        except SystemExit as exc:
            rc = exc.code
    out, err = capsys.readouterr()
    err += "".join(f"{w.category.__name__}: {w.message}\n" for w in caught if not issubclass(w.category, _HIDDEN))
    return rc, out, err


_NAMED = re.compile(r"^keldysh(?: [\w-]+)?: (?:error: argument (?P<flag>[-\w/]+)|invalid parameter (?P<param>[\w-]+):)")


def named_parameter(err: str) -> str:
    """The parameter an error line names, normalised (``--kappa-plus`` and ``kappa_plus`` -> ``kappa_plus``)."""
    m = _NAMED.match(err)
    assert m, f"not a one-line parameter error: {err!r}"
    name = m["flag"] or m["param"]
    return name.split("/")[0].lstrip("-").replace("-", "_")


def check_contract(rc: int, out: str, err: str, known: set[str], *, json_out: bool = True) -> dict | list | None:
    """Exit 0 with finite JSON, or exit 2 with one stderr line naming one of ``known`` parameters."""
    if rc == 0:
        assert err == "", f"exit 0 but stderr: {err!r}"
        if not json_out:
            return None
        data = json.loads(out, parse_constant=_no_constants)  # NaN / Infinity are not JSON
        return data
    assert rc == 2, f"exit status {rc}; stderr: {err!r}"
    lines = err.splitlines()
    assert len(lines) == 1 and err.endswith("\n"), f"not one line: {err!r}"
    assert "Traceback" not in err
    name = named_parameter(lines[0])
    assert name in known, f"names {name!r}, not a parameter of the command ({sorted(known)}): {err!r}"
    assert out == "", f"exit 2 but stdout: {out!r}"
    return None


def _norm(flag: str) -> str:
    return flag.lstrip("-").replace("-", "_")


# ----------------------------------------------------------------------------- keldysh gap: the paper's models
LASER_FLAGS = {
    "--v-minus": number_text(-100, 100),
    "--v-plus": number_text(-10, 10),
    "--kappa-plus": number_text(-100, 100),
    "--kappa-minus": number_text(-100, 100),
    "--Omega": number_text(1e-4, 10, log=True),
    "--Gamma": number_text(1e-4, 1.0, log=True),
    "--gamma2": number_text(1e-4, 0.999),
    "--T": number_text(0.0, 0.1),
    "--omega0": number_text(0.5, 10),
    "--kmax": number_text(1e-3, 1.0, log=True),
    "--N0": number_text(1e-3, 1.0, log=True),
    "--V": number_text(-20, 20),
}
PUMPING_FLAGS = {
    "--mu1": number_text(-1, 1),
    "--mu2": number_text(0, 3),
    "--T": number_text(0.0, 0.2),
    "--Gamma1": number_text(1e-4, 0.1, log=True),
    "--Gamma2": number_text(1e-4, 0.1, log=True),
    "--Gamma12": number_text(1e-4, 0.1, log=True),
    "--v-minus": number_text(-100, 100),
    "--kappa-plus": number_text(-100, 100),
    "--E1-S": number_text(-2, 0),
    "--kmax": number_text(1e-3, 1.0, log=True),
    "--N0": number_text(1e-3, 1.0, log=True),
    "--V": number_text(-20, 20),
}
THREEBAND_FLAGS = {
    "--Omega": number_text(1e-3, 10, log=True),
    "--tau": number_text(0.1, 100, log=True),
    "--Gamma1": number_text(1e-4, 0.1, log=True),
    "--Gamma2": number_text(1e-4, 0.1, log=True),
    "--Gamma3": number_text(1e-4, 0.1, log=True),
    "--Gamma12": number_text(1e-4, 0.1, log=True),
    "--v-minus": number_text(-100, 100),
    "--kappa-plus": number_text(-100, 100),
    "--kmax": number_text(1e-3, 1.0, log=True),
    "--V": number_text(-20, 20),
}
FLAGS = {"laser": LASER_FLAGS, "pumping": PUMPING_FLAGS, "threeband": THREEBAND_FLAGS}
METHODS = {
    "laser": ["master", "eq19", "keldysh", "keldysh-eq55"],
    "pumping": ["exact", "printed"],
    "threeband": ["appendix", "large-rabi"],
}
#: every parameter flag of ``keldysh gap`` (a rejected input must name one of them)
GAP_PARAMS = (
    {_norm(f) for flags in FLAGS.values() for f in flags}
    | {"preset", "model", "param", "method", "condition", "stability", "E1", "E2", "d"}
    | {"v_minus", "v_plus", "kappa_plus", "kappa_minus", "Omega", "Gamma", "gamma2", "gamma1", "omega0", "kmax"}
    | {"Gamma1", "Gamma2", "Gamma3", "Gamma12", "tau", "mu1", "mu2", "E1_S", "N0", "T", "V"}
)


@st.composite
def paper_gap_argv(draw) -> tuple[list[str], set[str]]:
    model = draw(st.sampled_from(sorted(FLAGS)))
    flags = FLAGS[model]
    # mostly the model's own flags; sometimes one of another model (must be rejected by name)
    names = draw(st.lists(st.sampled_from(sorted(flags)), min_size=1, max_size=3, unique=True))
    if draw(st.integers(0, 9)) == 0:
        names.append(draw(st.sampled_from(sorted(set(LASER_FLAGS) | set(PUMPING_FLAGS) | set(THREEBAND_FLAGS)))))
    argv = ["gap", "--model", model, "--condition", "in-phase", "--json"]
    for name in names:
        strategy = next(f[name] for f in (flags, LASER_FLAGS, PUMPING_FLAGS, THREEBAND_FLAGS) if name in f)
        argv.append(f"{name}={draw(strategy)}")
    if draw(st.booleans()):
        argv += ["--method", draw(st.sampled_from(METHODS[model] + ["keldysh", "exact", "bogus"]))]
    return argv, {_norm(n) for n in names}


def _check_gap_result(data: dict) -> None:
    assert isinstance(data, dict)
    assert data["delta"] >= 0.0 and math.isfinite(data["delta"])
    assert data["V_c"] is None or data["V_c"] >= 0.0
    if data["delta"] == 0.0:
        assert data["reason"], "no gap and no reason"


@fast(60)
@given(case=paper_gap_argv())
def test_gap_paper_models_property(case, capsys):
    """``keldysh gap`` with the flags of the laser, pumping and three-band models."""
    argv, _ = case
    rc, out, err = run_cli(argv, capsys)
    data = check_contract(rc, out, err, GAP_PARAMS)
    if rc == 0:
        _check_gap_result(data)


@fast(40)
@given(
    flag=st.sampled_from(sorted(LASER_FLAGS)),
    value=st.one_of(hostile_text, float_text, int_text, random_text),
)
def test_gap_one_hostile_flag_is_named(flag, value, capsys):
    """One hostile value: a finite answer, or an error naming exactly that flag (``--T`` may name the
    ``omega0`` it then needs)."""
    rc, out, err = run_cli(["gap", "--condition", "in-phase", "--json", f"{flag}={value}"], capsys)
    data = check_contract(rc, out, err, GAP_PARAMS)
    if rc == 0:
        _check_gap_result(data)
    else:
        named = named_parameter(err)
        allowed = {_norm(flag)} | ({"omega0"} if flag == "--T" else set())
        # --Gamma fixes both rates Gamma_{1,2} = (1 - gamma2, gamma2) Gamma
        allowed |= {"gamma2"} if flag == "--Gamma" else set()
        assert named in allowed, f"{flag}={value!r} rejected as {named!r}: {err!r}"


@fast(25)
@given(
    which=st.sampled_from(["E1", "E2"]),
    expr=st.one_of(
        st.sampled_from(
            [
                PAYLOAD,
                "zoo",
                "nan",
                "oo",
                "k**2/0",
                "1/k",
                "k**1000",
                "k**(1/2)",
                "exp(k**2)",
                "log(k)",
                "k" * 600,
                "x**2",
                "k.__class__",
                "lambda: 1",
                "[k]",
                "",
                "-k**2/2",
                "k**2/2 + 1e308",
                "sqrt(-1)",
                "I*k",
            ]
        ),
        random_text,
    ),
    omega0=number_text(0.5, 4.0),
    d=st.sampled_from(["1", "2", "3", "4", "0", "x"]),
)
def test_gap_isotropic_dispersions_property(which, expr, omega0, d, capsys, tmp_path, monkeypatch):
    """``--E1/--E2`` expressions (whitelist parser: never evaluated) with ``--omega0`` and ``--d``."""
    monkeypatch.chdir(tmp_path)
    other = {"E1": "-k**2/2", "E2": "k**2/2"}
    exprs = {**other, which: expr}
    argv = ["gap", "--condition", "in-phase", "--json", f"--E1={exprs['E1']}", f"--E2={exprs['E2']}"]
    argv += [f"--omega0={omega0}", f"--d={d}"]
    rc, out, err = run_cli(argv, capsys)
    data = check_contract(rc, out, err, GAP_PARAMS)
    if rc == 0:
        _check_gap_result(data)
    assert not (tmp_path / "PWNED").exists()


# ----------------------------------------------------------------------------- keldysh gap --model FILE.py:NAME
BCS_FILE = "from keldysh.models.bcs import bcs_pair_model\n\npair = bcs_pair_model()\nnot_a_model = 3\n"
BCS_PARAMS = {"mu": number_text(-1, 2), "G": number_text(1e-3, 0.1, log=True), "T": number_text(0, 0.1)}
BCS_PARAMS["k_max"] = number_text(0.5, 3)


@pytest.fixture(scope="module")
def model_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("user") / "my_model.py"
    path.write_text(BCS_FILE)
    (path.parent / "broken.py").write_text("raise RuntimeError('the user file fails')\n")
    return path


@st.composite
def user_gap_argv(draw, model_file: Path) -> tuple[list[str], set[str]]:
    spec = draw(
        st.sampled_from(
            [f"{model_file}:pair"] * 6
            + [
                f"{model_file}:not_a_model",
                f"{model_file}:missing",
                f"{model_file}:1bad",
                f"{model_file}:",
                f"{model_file.parent / 'broken.py'}:pair",
                f"{model_file.parent / 'absent.py'}:pair",
                f"{PAYLOAD}.py:pair",
                "laser.py",
                ":pair",
            ]
        )
    )
    params = []
    for name, strategy in BCS_PARAMS.items():
        if draw(st.integers(0, 7)):  # usually given; a missing one must be named
            params.append(f"{name}={draw(strategy)}")
    for bad in draw(
        st.lists(
            st.sampled_from(["mu", "=1", "x=1", "mu=1=2", f"{PAYLOAD}=1", "ü=1", "", "k=1", "V=1", "Delta=1"]),
            max_size=1,
        )
    ):
        params.append(bad)
    V = draw(number_text(0.2, 1.5))
    condition = draw(st.sampled_from(["in-phase", "in-phase", "in-phase", "complete"]))
    method = draw(st.sampled_from(["master", "keldysh", "eq19"]))
    argv = ["gap", "--model", spec, f"--V={V}", "--condition", condition, "--method", method, "--json"]
    for p in params:
        argv += ["--param", p]
    return argv, {"model", "param", "V", "method"}


@fast(30)
@given(data=st.data())
def test_gap_user_model_property(data, model_file, capsys, tmp_path, monkeypatch):
    """``keldysh gap --model FILE.py:NAME --param NAME=X ...`` with the BCS pair (``keldysh.models.bcs``)."""
    monkeypatch.chdir(tmp_path)
    argv, _ = data.draw(user_gap_argv(model_file))
    known = GAP_PARAMS | {"mu", "G", "T", "k_max", "domain", "jumps", "H", "measure", "self_consistency", "values"}
    # names of rejected --param keys are echoed: accept any word the user wrote as NAME
    known |= {p.split("=")[0].strip() for p in argv[argv.index("--json") + 1 :] if p != "--param"}
    rc, out, err = run_cli(argv, capsys)
    res = check_contract(rc, out, err, known)
    if rc == 0:
        assert res["delta"] >= 0 and (res["delta"] > 0 or res["reason"])
        assert res["condition"] in ("complete", "in-phase")
    assert not (tmp_path / "PWNED").exists()


# ----------------------------------------------------------------------------- keldysh estimate
ESTIMATE_FLAGS = {
    "--kappa": number_text(1e-9, 1e-3, log=True),
    "--m-eff": number_text(0.01, 10, log=True),
    "--Gamma-eV": number_text(1e-6, 1e-1, log=True),
    "--v-minus-c": number_text(1e-4, 1.0, log=True),
    "--VN0": number_text(1e-3, 10, log=True),
}
ESTIMATE_PARAMS = {_norm(f) for f in ESTIMATE_FLAGS} | {"kappa_eV_inv_c2", "Gamma_eV", "v_minus_c"}


@fast(60)
@given(
    names=st.lists(st.sampled_from(sorted(ESTIMATE_FLAGS)), min_size=1, max_size=4, unique=True),
    data=st.data(),
)
def test_estimate_property(names, data, capsys):
    """``keldysh estimate --json`` with any of its flags (``--kappa`` and ``--m-eff`` exclude each other)."""
    argv = ["estimate", "--json"] + [f"{n}={data.draw(ESTIMATE_FLAGS[n], label=n)}" for n in names]
    rc, out, err = run_cli(argv, capsys)
    res = check_contract(rc, out, err, ESTIMATE_PARAMS)
    if rc == 0:
        assert isinstance(res, dict) and res
    elif len(names) == 1:
        assert named_parameter(err) in {_norm(names[0]), "kappa"}, err


# ----------------------------------------------------------------------------- keldysh check
@pytest.fixture
def stub_records(monkeypatch):
    """``all_records`` replaced by one record per section (the filter is tested, not the derivations)."""
    from keldysh.paper import checks

    records = [
        checks.EquationRecord(f"{i}", sec, st_, f"note {sec}")
        for i, (sec, st_) in enumerate(
            zip(checks.SECTIONS, ["verified", "asymptotic", "verified", "verified", "asymptotic", "verified"])
        )
    ]
    calls = []

    def fake(*args, **kwargs):
        calls.append(1)
        return list(records)

    monkeypatch.setattr(checks, "all_records", fake)
    return records, calls


@fast(40)
@given(
    sections=st.lists(
        st.one_of(st.sampled_from(["II.A", "II.B", "II.C", "III", "IV", "Appendix"]), hostile_text, random_text),
        max_size=3,
    ),
    statuses=st.lists(st.sampled_from(["verified", "erratum", "asymptotic", "failed", "bogus", ""]), max_size=2),
)
def test_check_sections_property(sections, statuses, stub_records, capsys):
    """``keldysh check --section S ... --status X ... --json``: an unknown section is rejected (exit 2)
    before any check runs; known ones filter the records."""
    from keldysh.paper.checks import SECTIONS, STATUSES

    records, calls = stub_records
    calls.clear()
    argv = ["check", "--json", "--quiet"]
    for s in sections:
        argv.append(f"--section={s}")
    for s in statuses:
        argv.append(f"--status={s}")
    rc, out, err = run_cli(argv, capsys)
    rows = check_contract(rc, out, err, {"section", "status"})
    valid = all(s in SECTIONS for s in sections) and all(s in STATUSES for s in statuses)
    assert (rc == 0) == valid, (argv, rc, err)
    if rc == 0:
        assert calls, "exit 0 without running the checks"
        want = [
            r for r in records if (not sections or r.section in sections) and (not statuses or r.status in statuses)
        ]
        assert [row["equation"] for row in rows] == [r.equation for r in want]
    else:
        assert not calls, "the checks ran before the input was rejected"


# ----------------------------------------------------------------------------- keldysh reproduce
OUT_NAMES = [
    "res",
    "a/b/c",
    "ünï",
    "x" * 300,
    "n/e/w/" + "x" * 300,
    "",
    " ",
    "\t",
    "existing_file",
    "existing_file/sub",
    ".",
    "a\x00b",
]


@pytest.fixture
def stub_figure(monkeypatch):
    """The integration of a figure replaced by a stub: validation runs for real, the minutes-long run does not."""
    from keldysh.commands import reproduce

    calls = []

    def fake(fig, mode, out, args, *rest, **kw):
        calls.append((fig, mode, Path(out)))
        return {"curves": [], "files": [], "checks": []}

    monkeypatch.setattr(reproduce, "_figure", fake)
    return calls


@fast(50)
@given(
    figure=st.one_of(st.sampled_from(["fig4", "fig5", "fig6", "all"]), hostile_text),
    t_max=st.one_of(st.none(), number_text(1.0, 1e4, log=True)),
    method=st.one_of(st.none(), st.sampled_from(["auto", "dop853", "magnus4", "euler", "", PAYLOAD]), random_text),
    initial=st.one_of(st.none(), st.sampled_from(["paper", "pumped", "random", ""])),
    out_name=st.one_of(st.sampled_from(OUT_NAMES), random_text.filter(lambda s: not os.path.isabs(s))),
    quick=st.booleans(),
)
def test_reproduce_validation_property(figure, t_max, method, initial, out_name, quick, stub_figure, tmp_path, capsys):
    """``keldysh reproduce``: a rejected input exits 2 before any computation and creates no folder;
    an accepted one runs (here: the stub) and writes ``summary.json`` in the named folder."""
    cwd = tmp_path / "cwd" / "inner"
    cwd.mkdir(parents=True, exist_ok=True)
    (cwd / "existing_file").write_text("a file, not a folder")
    argv = ["reproduce", "--json", "--quiet", f"--out={out_name}"]
    if t_max is not None:
        argv.append(f"--t-max={t_max}")
    if method is not None:
        argv.append(f"--method={method}")
    if initial is not None:
        argv.append(f"--initial={initial}")
    if quick:
        argv.append("--quick")
    argv += ["--", figure]  # the positional last: "-inf" is a value, not an option
    before = set(cwd.rglob("*"))
    stub_figure.clear()
    old = Path.cwd()
    os.chdir(cwd)
    try:
        rc, out, err = run_cli(argv, capsys)
    finally:
        os.chdir(old)
    known = {"figure", "out", "t_max", "method", "initial", "quick", "json", "quiet"}
    summary = check_contract(rc, out, err, known)
    if rc == 0:
        assert stub_figure, "exit 0 without running"
        assert set(summary) == ({"fig4", "fig5", "fig6"} if figure == "all" else {figure})
        assert (cwd / out_name / "summary.json").is_file()
    else:
        assert not stub_figure, "computed before the input was rejected"
        created = set(cwd.rglob("*")) - before
        assert not created, f"a rejected run left {sorted(map(str, created))}"
