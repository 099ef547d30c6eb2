"""Shared test fixtures. Tests use only files in this repository (fixtures: tests/fixtures/).

The full report build (``report_conftest.built_report``) is a session fixture, ``report``.
It is built at most once per run, and only when a selected test asks for it: after
collection, a probe test ``test_report_build`` is put in front of the first such test, so
``--durations`` shows the build as that probe's setup rather than inside a check's timing.
Running a unit-test file alone never builds the report.
"""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
#: The fixture that carries the full report build.
REPORT_FIXTURE = "report"


@pytest.fixture
def fixtures_dir() -> Path:
    """Folder of small hand-written input files in the real layouts."""
    return FIXTURES


@pytest.fixture
def io_dir(fixtures_dir: Path) -> Path:
    """Folder of the small input-output workbooks (tests/fixtures/io/)."""
    return fixtures_dir / "io"


@pytest.fixture(scope="module")
def exports():  # type: ignore[no-untyped-def]
    """The shipped national export table, ``hilir.load_exports()`` (read once per module)."""
    import hilir

    return hilir.load_exports()


@pytest.fixture(scope="module")
def lampung():  # type: ignore[no-untyped-def]
    """The shipped Lampung input-output table, ``load_io_table("ID-LA")`` (once per module)."""
    from hilir.data import load_io_table

    return load_io_table("ID-LA")


@pytest.fixture(scope="session")
def report():  # type: ignore[no-untyped-def]
    """The full report build, shared by every test of the run (built on first use)."""
    from report_conftest import built_report

    return built_report()


def _report_build_probe(report) -> None:  # type: ignore[no-untyped-def]
    """Stand-in test whose setup is the report build (so its time is reported apart)."""
    assert report is not None


@pytest.hookimpl(tryfirst=True)
def pytest_collection_finish(session: pytest.Session) -> None:
    """Put the report-build probe before the first selected test that needs the build."""
    items = session.items
    users = [
        i for i, item in enumerate(items) if REPORT_FIXTURE in getattr(item, "fixturenames", ())
    ]
    if not users:
        return
    first = items[users[0]]
    probe = pytest.Function.from_parent(
        first.parent, name="test_report_build", callobj=_report_build_probe
    )
    items.insert(users[0], probe)
