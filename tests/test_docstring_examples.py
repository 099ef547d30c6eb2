"""The Examples sections of the docstrings run and print what they show.

Every module of the package is found by walking it (``pkgutil.walk_packages``), so a new
module's examples are run without editing a list. One test is collected per module that has
examples; a module without any is not a case. A module whose examples are all marked
``# doctest: +SKIP`` (they need the built data) is reported as skipped, not as passing. An
example that drifts from the code fails here (doctests are not collected by default).
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import hilir

FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
#: Fewer modules with examples than this means the walk lost some (33 when this was written).
MIN_MODULES_WITH_EXAMPLES = 30


def _all_modules() -> list[str]:
    """Every module of the package by dotted name, the package itself included."""
    names = ["hilir"]
    for info in pkgutil.walk_packages(hilir.__path__, prefix="hilir.", onerror=lambda _: None):
        if not info.name.endswith(".__main__"):
            names.append(info.name)
    return sorted(names)


def _example_count(name: str) -> int:
    """Number of docstring examples (skipped ones included) in module ``name``.

    A module that cannot be imported counts as having examples, so that its own case fails
    with the import error instead of the whole file failing to collect.
    """
    try:
        module = importlib.import_module(name)
    except Exception:
        return 1
    finder = doctest.DocTestFinder(exclude_empty=True)
    return sum(len(test.examples) for test in finder.find(module))


def _modules_with_examples() -> list[str]:
    return [name for name in _all_modules() if _example_count(name) > 0]


WITH_EXAMPLES = _modules_with_examples()


def test_the_walk_finds_the_subpackage_modules():
    found = set(_all_modules())
    assert {"hilir.value.unit_value", "hilir.policy.breaks", "hilir.i18n.numbers"} <= found
    assert "hilir.sources._readkit" not in found  # merged into _common


def test_enough_modules_have_examples():
    assert "hilir.i18n.numbers" in WITH_EXAMPLES
    assert len(WITH_EXAMPLES) >= MIN_MODULES_WITH_EXAMPLES, WITH_EXAMPLES


@pytest.mark.parametrize("name", WITH_EXAMPLES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=FLAGS, verbose=False, report=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples fail in {name}"
    if result.attempted == 0:
        pytest.skip(f"every example in {name} is marked +SKIP (needs the built data)")
