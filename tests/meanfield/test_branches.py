"""``kd.gap_solutions``: every self-consistent solution, not only the branch from ``Delta = 0``.

* the BCS pair of the contract: the list holds :func:`kd.solve_gap`'s solution (both conditions) and
  nothing else;
* the paper's bistable in-phase window (Sect. III, ``v_+ != 0`` on a long line, as in
  ``tests/test_gap_bistable.py``) on the engine form: both roots, as the paper's own kernel has them;
* the complete condition with several solutions: a pair whose reservoirs have three Fermi steps
  (``x`` changes sign three times, so ``Im chi(omega)`` has three zeros and two of them give a
  threshold for ``V > 0``), against a brute-force scan of the ``(|Delta|, omega)`` plane;
* ``keldysh gap --all-solutions --json`` equals the Python call.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import sympy as sp

import keldysh as kd
from keldysh.cli import main
from keldysh.errors import ParameterError

#: cheap grids for the complete condition (the defaults scan 7 decades x 61 frequencies)
FAST = dict(n_D=3, n_omega=21, D_range=(1e-4, 1.0))


# ---------------------------------------------------------------------------- BCS pair of the contract
@pytest.mark.parametrize("condition", ["in-phase", "complete"])
def test_bcs_contains_the_solve_gap_solution_and_nothing_else(bcs, solve, condition):
    ref = solve(condition=condition)
    assert ref.delta > 0
    kw = dict(FAST, stability=True) if condition == "complete" else {}
    sols = kd.gap_solutions(bcs.model, 1.0, bcs.values(), condition=condition, **kw)
    assert len(sols) == 1
    (s,) = sols
    assert s.delta == pytest.approx(ref.delta, rel=1e-11)
    assert s.omega == pytest.approx(ref.omega, rel=1e-9, abs=1e-15)
    assert s.V_c == ref.V_c and s.omega_c == ref.omega_c  # the same linear response
    assert s.converged and s.reason == "" and s.condition == condition
    assert s.diagnostics["residual"] < 1e-8 and s.diagnostics["quadrature_error"] < 1e-10
    assert s.diagnostics["slope"] < 0  # g = V Re I/D - 1 falls through zero: the continuous branch
    if condition == "complete":  # linearised about it on the same grid: the U(1) phase mode at rounding
        st = s.diagnostics["stability"]
        assert s.diagnostics["stable"] is True and st["stable"] is True and abs(st["phase_mode"][0]) < 1e-12


def test_below_threshold_the_bcs_pair_has_no_paired_solution(bcs):
    assert kd.gap_solutions(bcs.model, 0.8, bcs.values(), condition="in-phase") == []


@pytest.mark.parametrize(
    "kwargs, name",
    [
        (dict(V=0.0), "V"),
        (dict(condition="both"), "condition"),
        (dict(method="eq19"), "method"),
        (dict(order=1), "order"),
        (dict(D_range=(1.0, 0.1)), "D_range"),
        (dict(D_range=(0.0, 1.0)), "D_range"),
        (dict(D_range=3.0), "D_range"),
        (dict(n_D=0), "n_D"),
        (dict(n_omega=2.5), "n_omega"),
        (dict(stability="yes"), "stability"),
        (dict(stability=True, condition="in-phase"), "stability"),
    ],
)
def test_invalid_arguments_name_the_parameter(bcs, kwargs, name):
    args = dict(V=1.0, values=bcs.values())
    args.update(kwargs)
    with pytest.raises(ParameterError) as err:
        kd.gap_solutions(bcs.model, **args)
    assert err.value.param == name


# ---------------------------------------------------------------------------- the paper's bistable window
def test_bistable_in_phase_window_of_the_pumping_model():
    """Sect. III on a long line with ``v_+ = 0.9`` times the Eq. (46) bound, ``V = 5 < V_c``: the
    in-phase gap function rises through 0 and falls back (``tests/test_gap_bistable.py``).  The engine
    form must give both roots that the paper's closed-form kernel has; ``solve_gap`` of the engine sees
    none (it follows the branch from ``Delta = 0``)."""
    from scipy.optimize import brentq

    from keldysh.models.paper import engine_model
    from keldysh.paper import pumping as P
    from keldysh.paper.quadrature import momentum_grid
    from keldysh.paper.solvers.gap import get_kernel

    V = 5.0
    m = P.PumpingModel(kmax=50.0, v_plus=0.9 * P.v_plus_bound_eq46(P.PumpingModel(kmax=50.0), V))
    # the paper's in-phase solver: the largest root, flagged as a bistable branch
    paper = kd.solve_gap(m, V, condition="in-phase", estimate_error=False)
    assert paper.diagnostics["bistable"]
    # every root of the paper's own gap function 1 + V int g (closed-form kernel, Eq. (41))
    _, kernel = get_kernel(m, None)
    g = momentum_grid(m)
    F = lambda d: 1 + V * g.integrate(kernel(m, g, d))  # noqa: E731
    ds = np.geomspace(1e-4, 1.0, 81)
    fs = np.array([F(d) for d in ds])
    roots = [brentq(F, ds[i], ds[i + 1], rtol=1e-14) for i in np.flatnonzero(fs[:-1] * fs[1:] < 0)]
    assert len(roots) == 2 and roots[-1] == pytest.approx(paper.delta, rel=1e-10)

    emodel, values = engine_model(m)
    sols = kd.gap_solutions(emodel, V, values, condition="in-phase")  # the default window
    assert [s.delta for s in sols] == pytest.approx(roots, rel=1e-5)
    for s, root in zip(sols, roots):
        assert s.omega == 0.0 and s.diagnostics["residual"] < 1e-8 and s.V_c > V
        # to the quadrature tolerance of the engine grid (its estimate, with a margin of 10)
        assert abs(s.delta - root) <= 10 * s.diagnostics["delta_error"] + 1e-9 * root
    # the lower root is where g crosses upwards (the unstable one), the upper where it falls back
    assert sols[0].diagnostics["slope"] > 0 > sols[1].diagnostics["slope"]


def test_linear_response_amplitude_follows_the_nonlinear_scale_not_the_band_width():
    """On the long line of Sect. III (``k_max = 50``) the largest energy of the block is ~6e4, so a
    linear-response amplitude of ``1e-7`` of it (``|Delta| ~ 6e-3``) is not small against the damping:
    ``solve_gap`` measured ``V_c = 4.625`` there.  The amplitude is now reduced until ``chi`` stops
    changing (``keldysh.meanfield.gap._linear_amplitude``), and ``V_c`` is the paper's (Eq. (41)
    kernel) to the quadrature tolerance of the two grids (measured 5e-6 relative)."""
    from keldysh.models.paper import engine_model
    from keldysh.paper import pumping as P

    V = 5.0
    m = P.PumpingModel(kmax=50.0, v_plus=0.9 * P.v_plus_bound_eq46(P.PumpingModel(kmax=50.0), V))
    emodel, values = engine_model(m)
    r = kd.meanfield.solve_gap(emodel, 6.0, values, condition="in-phase")
    paper = kd.solve_gap(m, 6.0, condition="in-phase", estimate_error=False)
    assert r.V_c == pytest.approx(paper.V_c, rel=5e-5)
    assert r.delta > 0 and r.converged


# ---------------------------------------------------------------------------- complete: several solutions
@pytest.fixture(scope="module")
def steps():
    """The BCS pair with reservoirs of occupation ``f = n_F(xi) - n_F(xi - a) + n_F(xi - b)``: filled below
    0, empty in (0, a), filled in (a, b) (an inverted window), empty above b.  ``Im chi(omega)`` vanishes
    near ``omega = 0, a, b``; ``Re chi`` is positive at 0 and b (two thresholds for V > 0), negative at a."""
    k = sp.Symbol("k", real=True)
    mu, G, T, kmax, V, a, b = sp.symbols("mu G T k_max V a b", real=True)
    D = sp.Symbol("Delta")
    ck, cmk = kd.fermions("c_k c_mk")
    xi = k**2 / 2 - mu
    f = kd.fermi(xi, T) - kd.fermi(xi - a, T) + kd.fermi(xi - b, T)
    H = xi * (ck.dag() * ck + cmk.dag() * cmk) + D * ck.dag() * cmk.dag() + sp.conjugate(D) * cmk * ck
    L = kd.Lindbladian(
        H, jumps=[(2 * G * f, ck.dag()), (2 * G * (1 - f), ck), (2 * G * f, cmk.dag()), (2 * G * (1 - f), cmk)]
    )
    model = kd.MeanFieldModel(
        L,
        order_parameter=D,
        coupling=V,
        self_consistency=-V * L.mean(cmk * ck),
        momentum=k,
        domain=(0, kmax),
        measure=1 / sp.pi,
    )
    return model, {"mu": 1.0, "G": 0.01, "T": 0.0, "k_max": 2.0, "a": 0.3, "b": 0.6}


#: V = 2.6: a pair rotating at omega ~ b and one at omega ~ 0.066, reached (on this coarse grid) through a
#: fold of omega(|Delta|) where the omega ~ 0 and omega ~ a curves of Im I = 0 merge
STEPS = dict(order=4, D_range=(1e-3, 0.5))


def test_complete_condition_with_two_rotating_solutions(steps):
    model, values = steps
    sols = kd.gap_solutions(model, 2.6, values, n_D=3, n_omega=31, **STEPS)
    assert len(sols) == 2
    assert all(s.diagnostics["residual"] < 1e-8 and s.converged for s in sols)
    fast, slow = sols  # sorted by |Delta|
    assert fast.omega == pytest.approx(0.6, abs=0.01) and fast.diagnostics["source"] == "curve"
    assert slow.omega == pytest.approx(0.066, abs=0.001) and slow.diagnostics["source"] == "fold"
    ref = kd.solve_gap(model, 2.6, values, order=4)  # the branch from the lowest threshold (omega ~ 0)
    assert slow.delta == pytest.approx(ref.delta, rel=1e-10) and slow.omega == pytest.approx(ref.omega, rel=1e-8)
    assert fast.V_c == pytest.approx(ref.V_c, rel=1e-12)


@pytest.mark.slow
def test_complete_condition_against_a_brute_force_scan(steps):
    """Independent check that nothing is missed: the signs of ``V Re I/D - 1`` and ``Im I`` on a dense
    ``(log |Delta|, omega)`` grid flag the cells where both vanish; a 2-d Newton solve (``scipy.optimize.root``)
    from each flagged cell finds the solutions, which must be exactly those of ``gap_solutions`` (on a
    grid several times coarser), and each of those lies in a flagged cell."""
    from scipy.optimize import root

    from keldysh.meanfield.gap import Integrand, build_grid

    model, values = steps
    V = 2.6
    sols = kd.gap_solutions(model, V, values, n_D=3, n_omega=31, **STEPS)
    vals = model.resolve(values)
    grid, _ = build_grid(model, vals, STEPS["order"])
    I = Integrand(model, model.node_data(grid.k, grid.w, vals), "master")
    Ds = np.geomspace(*STEPS["D_range"], 19)
    ws = np.linspace(-1.0, 1.0, 121)
    Z = np.array([[V * I(D, w) / D for w in ws] for D in Ds])
    re, im = np.sign(Z.real - 1), np.sign(Z.imag)

    def both(s):
        c = np.stack([s[:-1, :-1], s[1:, :-1], s[:-1, 1:], s[1:, 1:]])
        return (c.max(axis=0) > 0) & (c.min(axis=0) < 0)

    cells = np.argwhere(both(re) & both(im))

    def F(x):
        D, w = math.exp(x[0]), x[1]
        z = V * I(D, w) / D
        return [z.real - 1, z.imag]

    brute = []
    for i, j in cells:
        r = root(F, [0.5 * (math.log(Ds[i]) + math.log(Ds[i + 1])), 0.5 * (ws[j] + ws[j + 1])], tol=1e-14)
        D, w = math.exp(r.x[0]), r.x[1]
        if max(map(abs, F(r.x))) < 1e-10 and Ds[0] <= D <= Ds[-1] and abs(w) <= 1:
            if not any(abs(D - b[0]) < 1e-8 * D and abs(w - b[1]) < 1e-8 for b in brute):
                brute.append((D, w))
    brute.sort()
    assert len(brute) == len(sols) == 2
    for (D, w), s in zip(brute, sols):
        assert s.delta == pytest.approx(D, rel=1e-9) and s.omega == pytest.approx(w, abs=1e-9)
        i, j = np.searchsorted(Ds, s.delta) - 1, np.searchsorted(ws, s.omega) - 1
        assert any(abs(i - a) <= 1 and abs(j - b) <= 1 for a, b in cells)


# ---------------------------------------------------------------------------- the command line
def test_cli_all_solutions_json_equals_the_python_call(capsys, tmp_path):
    from keldysh.models.bcs import bcs_pair_model, bcs_values

    f = tmp_path / "bcs_model.py"
    f.write_text("from keldysh.models.bcs import bcs_pair_model\n\nmodel = bcs_pair_model()\n")
    argv = ["gap", "--model", f"{f}:model", "--param", "mu=1", "--param", "G=0.01", "--param", "T=0"]
    argv += ["--param", "k_max=2", "--V", "1", "--condition", "in-phase", "--all-solutions"]
    code = main([*argv, "--json"])
    out = capsys.readouterr()
    assert code == 0, out.err
    d = json.loads(out.out)
    sols = kd.gap_solutions(bcs_pair_model(), 1.0, bcs_values(), condition="in-phase")
    assert d["delta"] == pytest.approx(sols[0].delta, rel=1e-11)  # the usual result, and the list

    def strip(x):  # wall time and call counts are not part of the answer
        x = dict(x, diagnostics={k: v for k, v in x["diagnostics"].items() if k not in ("seconds", "calls")})
        return json.loads(json.dumps(x))

    assert [strip(s) for s in d["solutions"]] == [strip(s.to_json()) for s in sols]
    assert main(argv) == 0  # the human table
    text = capsys.readouterr().out
    assert "all solutions with |Delta| > 0" in text and f"{sols[0].delta:.8g}" in text


@pytest.mark.parametrize(
    "argv, name",
    [
        (["--preset", "fig4", "--condition", "in-phase", "--method", "eq19"], "method"),
        (["--model", "threeband", "--V", "-5", "--condition", "in-phase"], "all-solutions"),
        (["--preset", "fig4", "--condition", "in-phase", "--stability"], "stability"),
    ],
)
def test_cli_all_solutions_limits_are_one_line_errors(capsys, argv, name):
    code = main(["gap", *argv, "--all-solutions"])
    err = capsys.readouterr().err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert code == 2 and len(lines) == 1 and name in lines[0] and "Traceback" not in err
