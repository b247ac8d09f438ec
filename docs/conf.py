"""Sphinx configuration of the keldysh documentation (MyST Markdown pages and notebooks).

Build (warnings are errors, as in CI)::

    pip install ".[docs]"
    sphinx-build -W --keep-going -b html docs docs/_build/html

The notebooks in ``docs/notebooks`` are executed at build time through a Jupyter kernel; the
outputs are cached in ``docs/_build/.jupyter_cache`` and a notebook is re-run only when its
code changes.  No inventory or other resource is fetched from the network.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
try:
    import keldysh
except ImportError:  # a source checkout without installation
    sys.path.insert(0, str(ROOT))
    import keldysh

# -- project ------------------------------------------------------------------------------
project = "keldysh"
author = "the keldysh authors"
copyright = "the keldysh authors"
release = keldysh.__version__
version = ".".join(release.split(".")[:2])

# -- general ------------------------------------------------------------------------------
extensions = [
    "myst_nb",  # MyST Markdown pages and notebooks (includes myst_parser)
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",  # NumPy-style docstrings
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
]
source_suffix = {".rst": "restructuredtext", ".md": "myst-nb", ".ipynb": "myst-nb"}
root_doc = "index"
exclude_patterns = ["_build", "figures/*.py", "**/.ipynb_checkpoints", "Thumbs.db", ".DS_Store"]
smartquotes = False  # primes stay primes in plain-text formulas (V_c''', k')

# -- MyST ---------------------------------------------------------------------------------
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist"]
# anchors for headings down to level 3, spelled as on GitHub ("## Eq. (5) (Sect. II.A)" ->
# "#eq-5-sect-iia"), so that in-page links work both in the repository and on the site
myst_heading_anchors = 3
# equations are numbered as in the paper (Eq. (N) in the text), never by Sphinx
math_number_all = False

# -- notebooks (MyST-NB) -------------------------------------------------------------------
nb_execution_mode = "cache"
nb_execution_cache_path = str(HERE / "_build" / ".jupyter_cache")
nb_execution_timeout = 300  # seconds per cell; the longest (linear stability of Fig. 6) takes ~30 s
nb_execution_raise_on_error = True  # a failing cell fails the build
nb_execution_in_temp = True  # files written by a notebook do not land in the source tree
nb_kernel_rgx_aliases = {".*": "python3"}
nb_merge_streams = True
# stderr carries live feedback (progress bars of long runs, frozen line by line in a static page),
# not content; an exception still fails the build
nb_output_stderr = "remove"

# -- API reference (autodoc + napoleon) -----------------------------------------------------
autodoc_default_options = {"members": True, "member-order": "bysource", "show-inheritance": True}
autodoc_typehints = "description"
autodoc_typehints_format = "short"
autodoc_preserve_defaults = True
napoleon_google_docstring = False
napoleon_numpy_docstring = True
napoleon_use_ivar = True  # "Attributes" sections of dataclasses as fields, not duplicate objects
napoleon_use_rtype = False
napoleon_preprocess_types = False

# -- cross-references -----------------------------------------------------------------------
# Every reference to a ``keldysh`` object must resolve (nitpicky); references to other projects
# (NumPy, SymPy, the standard library) stay plain text, since no inventory is fetched.
nitpicky = True
nitpick_ignore_regex = [
    (r"py:.*", r"(?!keldysh\.).*"),
    (r"py:class", r"keldysh(\.\w+)*\.[A-Z]"),  # type variables (``R`` in ``def load(cls: type[R]) -> R``)
]


def _find_object(dotted: str):
    """The Python object named ``dotted`` as attribute access sees it, or None.

    ``keldysh.engine.compile`` is the function (the package attribute), not the submodule of the
    same name; a submodule is imported only when the attribute does not exist yet.
    """
    import importlib

    parts = dotted.split(".")
    if "__main__" in parts:  # importing it would run the command line
        return None
    try:
        obj = importlib.import_module(parts[0])
        for i, attr in enumerate(parts[1:], start=2):
            try:
                obj = getattr(obj, attr)
            except AttributeError:
                obj = importlib.import_module(".".join(parts[:i]))
    except Exception:
        return None
    return obj


_DOCUMENTED: dict[int, tuple[object, str]] = {}


def _resolve_reexport(app, env, node, contnode):
    """Resolve ``keldysh.X`` (a re-export) or ``X`` (a name imported into the current module) to
    the place where that very object is documented, e.g. ``keldysh.MeanFieldModel`` ->
    ``keldysh.meanfield.MeanFieldModel``."""
    if node.get("refdomain") != "py":
        return None
    from sphinx.util.nodes import make_refnode

    domain = env.get_domain("py")
    if not _DOCUMENTED:
        for name, entry in domain.objects.items():
            if entry.objtype in ("class", "function", "exception", "data") and not entry.aliased:
                obj = _find_object(name)
                if obj is not None:
                    _DOCUMENTED.setdefault(id(obj), (obj, name))
    target = node["reftarget"].lstrip(".~")
    context = [node.get("py:module")] if node.get("py:module") else []
    for name in [f"{c}.{target}" for c in context] + [target]:
        if not name.startswith("keldysh."):
            continue
        obj = _find_object(name)
        hit = _DOCUMENTED.get(id(obj)) if obj is not None else None
        if hit is not None and hit[0] is obj:
            entry = domain.objects[hit[1]]
            return make_refnode(app.builder, node["refdoc"], entry.docname, entry.node_id, contnode, hit[1])
    return None


def setup(app):
    app.connect("builder-inited", lambda app: _DOCUMENTED.clear())
    app.connect("missing-reference", _resolve_reexport)


# -- HTML ----------------------------------------------------------------------------------
html_theme = "sphinx_book_theme"
html_title = f"keldysh {release}"
html_static_path: list[str] = []
html_theme_options = {
    "show_toc_level": 2,
    "navigation_with_keys": False,
}
