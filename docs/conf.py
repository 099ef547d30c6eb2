"""Sphinx configuration of hilir's documentation site.

Build it with ``make docs`` (into ``docs/_build/html``); ``tests/test_docs.py`` builds it
in strict mode, where any warning fails. The API pages are written by autodoc from the
NumPy docstrings (numpydoc), so the site documents the signatures as they are; numpydoc's
validation checks flag a documented parameter the signature does not have, and one it has
that the docstring leaves out (when it has a Parameters section: many one-line helpers
document their arguments in the summary).
"""

from __future__ import annotations

import sys
from pathlib import Path

from numpydoc.docscrape import get_doc_object
from numpydoc.validate import Validator
from pygments.lexers.special import TextLexer
from sphinx.util import logging

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import hilir  # noqa: E402

project = "hilir"
author = "hilir contributors"
copyright = "hilir contributors"
version = release = hilir.__version__

extensions = [
    "sphinx.ext.autodoc",
    "numpydoc",
    "myst_parser",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "screenshots/**/*.md"]
language = "en"

# autodoc: members in the order of each module's __all__; type hints in the signature only
# (numpydoc writes the Parameters section from the docstring).
autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_typehints_format = "short"
autodoc_preserve_defaults = True

# numpydoc: no autosummary tables of class members (autodoc documents them); validate that
# the docstrings and the signatures agree.
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False
numpydoc_validation_checks = {"PR02"}

# MyST: the README sections are included, not copied.
myst_heading_anchors = 3
myst_enable_extensions = ["colon_fence"]

html_theme = "pydata_sphinx_theme"
html_title = f"hilir {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
}
html_static_path: list[str] = []


_logger = logging.getLogger("hilir.docs")


def _check_documented_parameters(app, what, name, obj, options, lines):
    """Warn when a docstring's Parameters section leaves out a parameter of the signature.

    numpydoc's PR02 (a documented parameter the signature lacks) runs everywhere; PR01 (a
    parameter the docstring leaves out) would also fail every short helper documented in
    its summary line, so it runs here on the docstrings that have a Parameters section.
    """
    if what not in {"function", "method", "class"}:
        return
    try:
        validator = Validator(get_doc_object(obj))
        if not validator.doc_parameters:
            return
        errors = validator.parameter_mismatches
    except (TypeError, ValueError):  # no signature (builtins, some descriptors)
        return
    for code, message in errors:
        if code == "PR01":
            _logger.warning("%s: %s: %s", name, code, message, type="numpydoc")


def setup(app):  # noqa: D103 - Sphinx hook
    # the README's registry examples are fenced as ```csv; Pygments has no CSV lexer
    app.add_lexer("csv", TextLexer)
    app.connect("autodoc-process-docstring", _check_documented_parameters)
