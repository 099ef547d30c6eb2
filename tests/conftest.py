"""Shared test fixtures. Tests use only files in this repository (fixtures: tests/fixtures/)."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def fixtures_dir() -> Path:
    """Folder of small hand-written input files in the real layouts."""
    return FIXTURES
