"""The public API passes ``mypy --strict`` (issue 16).

The checked subset is ``[tool.mypy] files`` in pyproject.toml: the package namespace
(``hilir/__init__.py``) and the modules it re-exports (errors, version, registry.tables,
data.load, data.example, data.jobs_inputs), with the command line, ``hilir.i18n`` and
``hilir.tempfiles``, with pandas typed by pandas-stubs. ``src/hilir/py.typed`` tells type
checkers the hints are meant for users.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _mypy_config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]


def test_the_package_says_it_is_typed():
    assert (ROOT / "src" / "hilir" / "py.typed").is_file()
    assert "Typing :: Typed" in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


def test_the_subset_is_strict_and_covers_the_public_namespace():
    config = _mypy_config()
    assert config["strict"] is True
    files = set(config["files"])
    assert "src/hilir/__init__.py" in files
    for module in ("errors", "version", "registry/tables", "data/load", "data/example"):
        assert f"src/hilir/{module}.py" in files
    for path in files:
        assert (ROOT / path).exists(), f"[tool.mypy] files names a missing path: {path}"


def _skip_without_matching_stubs() -> None:
    """mypy and pandas-stubs come with the dev extra; the stubs must describe this pandas."""
    from importlib.metadata import PackageNotFoundError, version

    pytest.importorskip("mypy", reason="mypy is not installed (pip install -e '.[dev]')")
    try:
        stubs = version("pandas-stubs")
    except PackageNotFoundError:
        pytest.skip("pandas-stubs is not installed (pip install -e '.[dev]')")
    pandas = version("pandas")
    if stubs.split(".")[:2] != pandas.split(".")[:2]:
        pytest.skip(f"pandas-stubs {stubs} does not describe the installed pandas {pandas}")


@pytest.mark.slow
def test_mypy_strict_passes_on_the_public_api():
    _skip_without_matching_stubs()
    out = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-incremental", "--no-error-summary"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, f"mypy --strict found errors:\n{out.stdout}{out.stderr}"
