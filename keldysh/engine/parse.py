"""Parse user expressions against a whitelist -- never evaluate them.

``parse_expression("k**2/2 - mu", {"k": k, "mu": mu}, param="E1")`` walks the Python syntax tree
of the text (``ast.parse``; nothing is executed) and builds the SymPy expression node by node.
Allowed: numbers, the given symbols, the constants ``pi``, ``E`` and ``I``, the operators
``+ - * / **`` and the functions of :data:`FUNCTIONS`.  Anything else (attribute access, calls
of other names, subscripts, lambdas, strings, comparisons, ...) raises :class:`ParameterError`
naming the parameter.  Sizes are bounded (text length, tree size, exponent and literal
magnitude) so that no input can make SymPy work for long.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Mapping

import sympy as sp

from keldysh.errors import ParameterError

__all__ = ["parse_expression", "FUNCTIONS", "CONSTANTS"]

FUNCTIONS = {
    "sqrt": sp.sqrt,
    "exp": sp.exp,
    "log": sp.log,
    "sin": sp.sin,
    "cos": sp.cos,
    "tan": sp.tan,
    "sinh": sp.sinh,
    "cosh": sp.cosh,
    "tanh": sp.tanh,
    "atan": sp.atan,
    "asinh": sp.asinh,
    "abs": sp.Abs,
    "Abs": sp.Abs,
}
CONSTANTS = {"pi": sp.pi, "E": sp.E, "I": sp.I}

MAX_LENGTH = 500
MAX_NODES = 400
MAX_LITERAL = 1e12
MAX_EXPONENT = 64

_BINOPS = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
}


def parse_expression(text: str, symbols: Mapping[str, sp.Basic], param: str = "expression") -> sp.Expr:
    """The SymPy expression of ``text`` in the whitelisted ``symbols`` (see module docstring).

    Parameters
    ----------
    text : str
        The user's expression, e.g. ``"k**2/2 - 1"``.
    symbols : mapping
        ``{name: SymPy symbol}`` the expression may use.
    param : str
        The parameter name reported in errors (e.g. the CLI flag).

    Raises
    ------
    ParameterError
        For anything outside the whitelist, a syntax error, or an oversized input.
    """
    if not isinstance(text, str):
        raise ParameterError(param, f"must be a string expression (got {type(text).__name__})")
    if len(text) > MAX_LENGTH:
        raise ParameterError(param, f"expression longer than {MAX_LENGTH} characters")
    if not text.strip():
        raise ParameterError(param, "empty expression")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError:
        hint = " (use ** for powers)" if "^" in text else ""
        raise ParameterError(param, f"cannot parse {text!r}{hint}") from None
    if sum(1 for _ in ast.walk(tree)) > MAX_NODES:
        raise ParameterError(param, "expression too large")
    names = dict(CONSTANTS)
    names.update(symbols)

    def bad(what: str):
        allowed = ", ".join(sorted(symbols)) or "none"
        return ParameterError(
            param,
            f"{what} is not allowed in {text!r} (symbols: {allowed}; functions: "
            f"{', '.join(sorted(FUNCTIONS))}; operators + - * / **)",
        )

    def build(node: ast.AST) -> sp.Expr:
        if isinstance(node, ast.Expression):
            return build(node.body)
        if isinstance(node, ast.Constant):
            v = node.value
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                raise bad(f"the literal {v!r}")
            if not math.isfinite(v) or abs(v) > MAX_LITERAL:
                raise ParameterError(param, f"the number {v!r} is out of range (|x| <= {MAX_LITERAL:g})")
            return sp.Integer(v) if isinstance(v, int) else sp.Float(v)
        if isinstance(node, ast.Name):
            if node.id in names:
                return names[node.id]
            raise bad(f"the name {node.id!r}")
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            val = build(node.operand)
            return -val if isinstance(node.op, ast.USub) else val
        if isinstance(node, ast.BinOp):
            if isinstance(node.op, ast.Pow):
                base, expo = build(node.left), build(node.right)
                if expo.is_Number and abs(float(expo)) > MAX_EXPONENT:
                    raise ParameterError(param, f"exponent {expo} is out of range (|p| <= {MAX_EXPONENT})")
                if not expo.is_Number:
                    raise bad("a non-numeric exponent")
                return base**expo
            op = _BINOPS.get(type(node.op))
            if op is None:
                raise bad(
                    f"the operator {type(node.op).__name__}"
                    + (" (use ** for powers)" if isinstance(node.op, ast.BitXor) else "")
                )
            left, right = build(node.left), build(node.right)
            if isinstance(node.op, ast.Div) and right == 0:
                raise ParameterError(param, f"division by zero in {text!r}")
            return op(left, right)
        if isinstance(node, ast.Call):
            if (
                not isinstance(node.func, ast.Name)
                or node.func.id not in FUNCTIONS
                or node.keywords
                or len(node.args) != 1
            ):
                if isinstance(node.func, ast.Name):
                    raise bad(f"the call {node.func.id}(...)")
                raise bad("a call of anything but a listed function")
            return FUNCTIONS[node.func.id](build(node.args[0]))
        if isinstance(node, ast.Attribute):
            raise bad("attribute access")
        raise bad(f"the construct {type(node).__name__}")

    expr = build(tree)
    if expr.has(sp.zoo, sp.oo, -sp.oo, sp.nan):
        raise ParameterError(param, f"{text!r} is not finite")
    return expr
