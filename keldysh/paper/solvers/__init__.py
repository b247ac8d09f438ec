"""Numeric solvers (never import SymPy directly; they take callables from keldysh.paper.build)."""
