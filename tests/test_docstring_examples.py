"""The Examples sections of the docstrings run and print what they show.

The foundation, value, jobs and policy modules; an example that drifts from the code fails
here (doctests are not collected by default).
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

PACKAGES = ("hilir.sources", "hilir.value", "hilir.jobs", "hilir.policy", "hilir.markets")
MODULES = (
    "hilir.fileio",
    "hilir.data.pipeline",
    "hilir.errors",
    "hilir.data.example",
    "hilir.hs",
    "hilir.data.importer",
    "hilir.data.load",
    "hilir.registry.mapping",
    "hilir.registry.partners",
    "hilir.paths",
    "hilir.data.precedence",
    "hilir.provenance.sidecar",
    "hilir.registry.tables",
    "hilir.schema.tables",
    "hilir.data.summary",
)


def _modules() -> list[str]:
    names = list(MODULES)
    for package in PACKAGES:
        pkg = importlib.import_module(package)
        names.append(package)
        names += [f"{package}.{m.name}" for m in pkgutil.iter_modules(pkg.__path__)]
    return sorted(names)


def test_the_walk_finds_the_subpackage_modules():
    found = set(_modules())
    assert {"hilir.value.unit_values", "hilir.sources._common", "hilir.policy.breaks"} <= found
    assert "hilir.sources._readkit" not in found  # merged into _common


@pytest.mark.parametrize("name", _modules())
def test_docstring_examples(name):
    module = importlib.import_module(name)
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    result = doctest.testmod(module, optionflags=flags, verbose=False, report=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples fail in {name}"
