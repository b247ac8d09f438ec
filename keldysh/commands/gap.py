"""``keldysh gap``: solve the self-consistent gap equation (Eqs. (18)-(19), (51)-(55))."""

from __future__ import annotations

import argparse

from keldysh.commands._common import _float, add_model_arguments, model_from_args, print_json

NAME = "gap"
ORDER = 10
HELP = "solve the gap equation for |Delta| and the threshold V_c"
DESCRIPTION = (
    "Solve the self-consistent gap equation of the laser-driven two-band model for |Delta|, "
    "with the threshold V_c at the given cutoff.  Methods: master (exact steady-state "
    "populations, Eq. (18)), eq19 (populations of Eq. (13), i.e. Eq. (19)), keldysh (resummed "
    "ring diagrams, Eqs. (51)-(53)), keldysh-eq55 (linear + cubic truncation, Eq. (55)).  Flags "
    "override the preset.  V > 0 is attractive."
)

METHODS = ("master", "eq19", "keldysh", "keldysh-eq55", "exact", "printed", "appendix", "large-rabi", "fock")

#: extra flags of the other models (Sect. III: pumping; Appendix: threeband) -> option key
EXTRA_FLAGS = {
    "--mu1": ("mu1", "pumping: chemical potential of band 1 (Eq. (34))"),
    "--mu2": ("mu2", "pumping: chemical potential of band 2 (Eq. (34))"),
    "--Gamma1": ("Gamma1", "pumping: relaxation rate of band 1; threeband: 2->3 rate"),
    "--Gamma2": ("Gamma2", "pumping: relaxation rate of band 2; threeband: 2->1 rate"),
    "--Gamma3": ("Gamma3", "threeband: 3->1 rate"),
    "--Gamma12": ("Gamma12", "pumping/threeband: decay rate of the pair amplitude"),
    "--tau": ("tau", "threeband: dephasing time"),
    "--E1-S": ("E1_S", "pumping: energy of band 1 on the surface S"),
    "--N0": ("N0", "density of states at the resonant surface"),
}


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--model",
        default="laser",
        metavar="MODEL",
        help="laser: Sect. II (default); pumping: Sect. III; threeband: Appendix; or FILE.py:NAME, "
        "a kd.MeanFieldModel named NAME in your file (its parameters via --param)",
    )
    p.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=X",
        help="a parameter of a FILE.py:NAME model (repeatable), e.g. --param mu=1 --param T=0",
    )
    p.add_argument(
        "--condition",
        choices=("complete", "in-phase"),
        default=None,
        help="self-consistency: complete (default: |Delta| and omega from both parts of Eq. (17), the "
        "paper's models through their engine form) or in-phase (Eq. (18), the paper's prescription, "
        "with all its methods)",
    )
    add_model_arguments(p)
    for flag, (_, hlp) in EXTRA_FLAGS.items():
        p.add_argument(flag, type=_float, default=None, metavar="X", help=hlp)
    p.add_argument(
        "--V", type=_float, default=5.0, metavar="X", help="interaction strength (default 5; V > 0 attractive)"
    )
    p.add_argument(
        "--method",
        choices=METHODS,
        default=None,
        help="route to the gap equation: laser master (default)|eq19|keldysh|keldysh-eq55; "
        "pumping exact (default)|printed; threeband appendix (default)|large-rabi; with the complete "
        "condition and for FILE.py:NAME models master|keldysh|fock (the default is master, and fock for "
        "the three-band model and other blocks whose bilinear equations do not close)",
    )
    p.add_argument(
        "--dephasing",
        choices=("gap", "bands", "pair-symmetric"),
        default=None,
        help="threeband, complete condition (its exact Fock-space form): how the interband dephasing "
        "1/tau acts -- gap (default: the gap fluctuates at each momentum), bands (each band's energy), "
        "pair-symmetric (shared by k and -k: the pair is not dephased, as Eq. (A9) assumes)",
    )
    p.add_argument(
        "--stability",
        action="store_true",
        help="laser model: also linearise the dynamics (Eqs. (9) + (18)) about the steady state -- "
        "stability, period and decay time of the approach (solvers/stability.py)",
    )
    p.add_argument(
        "--all-solutions",
        action="store_true",
        help="also list every self-consistent solution with |Delta| > 0 (kd.gap_solutions: branches not "
        "connected to Delta = 0, every omega branch; a scan, slower), for FILE.py:NAME models and the paper's "
        "laser/pumping models through their engine form (either --condition; methods master|keldysh)",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object")


def _other_model(args: argparse.Namespace):
    import importlib

    from keldysh.errors import ParameterError

    mod = importlib.import_module(f"keldysh.paper.{args.model}")
    opts = {}
    shared = {
        "--v-minus": "v_minus",
        "--v-plus": "v_plus",
        "--kappa-plus": "kappa_plus",
        "--kappa-minus": "kappa_minus",
        "--T": "T",
        "--kmax": "kmax",
        "--Omega": "Omega",
    }
    for flag, key in list(shared.items()) + [(f, k) for f, (k, _) in EXTRA_FLAGS.items()]:
        val = getattr(args, flag.lstrip("-").replace("-", "_"))
        if val is not None:
            if key not in mod.DEFAULTS and key != "N0":
                raise ParameterError(key, f"is not a parameter of the {args.model} model")
            opts[key] = val
    for flag in ("--Gamma", "--gamma2", "--omega0", "--E1", "--E2", "--d"):
        if getattr(args, flag.lstrip("-"), None) is not None:
            raise ParameterError(flag.lstrip("-"), f"is not a parameter of the {args.model} model")
    return mod.model_from_options(opts)


def _user_model(spec: str):
    """Load ``FILE.py:NAME`` (the user's own file, run as a module) and return its MeanFieldModel."""
    import importlib.util
    from pathlib import Path

    from keldysh.errors import ParameterError
    from keldysh.meanfield.model import MeanFieldModel

    path, sep, name = spec.rpartition(":")
    if not sep or not path.endswith(".py") or not name.isidentifier():
        raise ParameterError("model", f"expected laser|pumping|threeband or FILE.py:NAME (got {spec!r})")
    file = Path(path)
    if not file.is_file():
        raise ParameterError("model", f"no such file: {path}")
    mod_spec = importlib.util.spec_from_file_location(f"keldysh_user_model_{abs(hash(file.resolve()))}", file)
    module = importlib.util.module_from_spec(mod_spec)
    try:
        mod_spec.loader.exec_module(module)
    except Exception as exc:  # the user's file failed: report it as one line
        raise ParameterError("model", f"{path} failed to load: {type(exc).__name__}: {exc}") from None
    model = getattr(module, name, None)
    if not isinstance(model, MeanFieldModel):
        raise ParameterError("model", f"{path} defines no MeanFieldModel named {name!r}")
    return model


def _params(pairs) -> dict:
    from keldysh.errors import ParameterError

    out = {}
    for item in pairs:
        key, sep, val = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ParameterError("param", f"expected NAME=X (got {item!r})")
        try:
            out[key] = float(val)
        except ValueError:
            raise ParameterError(key, f"must be a number (got {val!r})") from None
    return out


def _run_user(args: argparse.Namespace) -> int:
    from keldysh.errors import ParameterError
    from keldysh.meanfield.gap import default_method
    from keldysh.meanfield.gap import solve_gap as mf_solve

    model = _user_model(args.model)
    if args.method not in (None, "master", "keldysh", "fock"):
        raise ParameterError("method", "a MeanFieldModel takes master, keldysh or fock")
    if args.stability:
        raise ParameterError("stability", "is available for the near-resonance laser model of Sect. II")
    if args.dephasing is not None:
        raise ParameterError("dephasing", "is an option of the three-band model (--model threeband)")
    values, cond, method = _params(args.param), args.condition or "complete", default_method(model, args.method)
    sols = _solutions(args, model, values, cond, method)
    res = mf_solve(model, args.V, values, condition=cond, method=method)
    if args.json:
        print_json(_with_solutions(res.to_json(), sols))
    else:
        print(res)
        _print_solutions(sols)
    return 0


def _solutions(args: argparse.Namespace, model, values, condition: str, method: str):
    """``--all-solutions``: every solution with ``|Delta| > 0`` (None without the flag)."""
    if not args.all_solutions:
        return None
    from keldysh.meanfield.branches import gap_solutions

    return gap_solutions(model, args.V, values, condition=condition, method=method, stability=args.stability)


def _with_solutions(out: dict, sols) -> dict:
    if sols is not None:
        out["solutions"] = [s.to_json() for s in sols]
    return out


def _print_solutions(sols) -> None:
    if sols is None:
        return
    if not sols:
        print("all solutions: none with |Delta| > 0 in the searched window")
        return
    print(f"all solutions with |Delta| > 0 ({sols[0].condition} condition):")
    print(f"  {'|Delta|':>14}  {'omega':>14}  {'residual':>9}  {'quad. err':>9}  converged")
    for s in sols:
        d = s.diagnostics
        print(f"  {s.delta:14.8g}  {s.omega:14.8g}  {d['residual']:9.1e}  {d['quadrature_error']:9.1e}  {s.converged}")


def _run_complete(args: argparse.Namespace, model) -> int:
    """The complete condition for the paper's models (and ``--all-solutions`` with either condition):
    their engine form and the solver of any model."""
    from keldysh.errors import ParameterError
    from keldysh.meanfield.gap import default_method
    from keldysh.meanfield.gap import solve_gap as mf_solve
    from keldysh.meanfield.stability import linear_stability
    from keldysh.models.paper import engine_model

    cond = args.condition or "complete"
    if args.method not in (None, "master", "keldysh", "fock"):
        raise ParameterError(
            "method",
            f"{args.method} is a route of the in-phase prescription (add --condition in-phase)"
            if cond == "complete"
            else f"{args.method} is a route of the paper's in-phase solver; --all-solutions takes master or keldysh"
            if args.all_solutions
            else f"{args.method} is a route of the paper's in-phase solver; the exact three-band form (--dephasing) "
            "takes fock",
        )
    if args.all_solutions and args.stability and cond != "complete":
        raise ParameterError(
            "stability", "with --all-solutions: for the complete condition (fixed points of the dynamics)"
        )
    if args.all_solutions and args.model == "threeband":
        raise ParameterError(
            "all-solutions", "the three-band model (Appendix) fixes only V_c and the sign (weak-pairing limit)"
        )
    if args.dephasing is not None and args.model != "threeband":
        raise ParameterError("dephasing", "is an option of the three-band model (--model threeband)")
    emodel, values = engine_model(model, **({"dephasing": args.dephasing} if args.dephasing else {}))
    method = default_method(emodel, args.method)
    sols = _solutions(args, emodel, values, cond, method)
    res = mf_solve(emodel, args.V, values, condition=cond, method=method)
    stab = (
        linear_stability(emodel, args.V, values, delta=res.delta, omega=res.omega, order=2) if args.stability else None
    )
    if args.json:
        out = res.to_json()
        if stab is not None:
            out["stability"] = stab.to_json()
        print_json(_with_solutions(out, sols))
    else:
        print(res)
        if stab is not None:
            print(stab)
        _print_solutions(sols)
    return 0


def run(args: argparse.Namespace) -> int:
    from keldysh.errors import ParameterError
    from keldysh.paper.solvers.gap import solve_gap

    if args.model not in ("laser", "pumping", "threeband"):
        return _run_user(args)
    if args.param:
        raise ParameterError("param", "is for FILE.py:NAME models (the paper's models take their own flags)")
    if args.model == "laser":
        for flag in EXTRA_FLAGS:
            key = flag.lstrip("-").replace("-", "_")
            if getattr(args, key) is not None and key != "N0":
                from keldysh.errors import ParameterError

                raise ParameterError(key, "is not a parameter of the laser model (use --model pumping|threeband)")
        model = model_from_args(args)
        if args.N0 is not None:
            model = model.replace(N0=args.N0)
    else:
        model = _other_model(args)
    if (
        (args.condition or "complete") == "complete"
        or args.all_solutions
        or "fock" in (args.method, args.dephasing and "fock")
    ):
        return _run_complete(args, model)  # the engine form: the complete condition, the Fock route
    res = solve_gap(model, args.V, args.method)
    stab = None
    if args.stability:
        from keldysh.errors import ParameterError
        from keldysh.paper.solvers.stability import linear_stability

        if args.model != "laser" or model.isotropic:
            raise ParameterError("stability", "is available for the near-resonance laser model of Sect. II")
        # about the exact steady state of the dynamics (master route: Eq. (18) with the populations of
        # Eq. (9)), solved on the grid of the linearisation so that it is self-consistent there
        stab = linear_stability(model, args.V)
    if args.json:
        out = {**res.to_json(), "condition": "in-phase", "omega": 0.0}
        if stab is not None:
            out["stability"] = stab.to_json()
        print_json(out)
    else:
        print(res)
        if stab is not None:
            print(stab)
    return 0
