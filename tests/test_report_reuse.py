"""Report builds that do not redo work: a second build reuses every unchanged notebook run.

A run is reused when its notebook, the hilir code, the processed data, its parameters and
its language are unchanged and its executed notebook in the earlier report is intact; any
change re-executes exactly the runs it touches, and ``--force`` re-executes all of them.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from _notebooks import make_notebook as _notebook
from hilir.report.build import build_report
from hilir.report.outdir import MARKER
from hilir.report.reuse import folder_fingerprint, job_fingerprint


@pytest.fixture
def books(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two tiny notebooks, a private data folder with one processed file, a fixed code hash.

    The hilir code is fixed for these builds: others may edit the checkout while they run
    (:func:`test_folder_fingerprint_is_content_not_time` covers the code hash).
    """
    monkeypatch.setattr("hilir.report.reuse.code_fingerprint", lambda: "code")
    folder = tmp_path / "notebooks"
    folder.mkdir()
    _notebook(folder, "01_one", "x = 1")
    _notebook(folder, "02_two", "x = 2")
    processed = tmp_path / "data" / "processed"
    processed.mkdir(parents=True)
    (processed / "table.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    monkeypatch.setenv("HILIR_DATA_DIR", str(tmp_path / "data"))
    return folder


def _build(out: Path, books: Path, **kw):  # type: ignore[no-untyped-def]
    run = {"langs": ["en"], "notebooks": books, "pdf": False, "progress": False}
    return build_report(out, build_data=False, **{**run, **kw})


def _statuses(result) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {r.job.name: r.status for r in result.runs}


@pytest.mark.slow
def test_second_build_reuses_everything_and_says_so(tmp_path: Path, books: Path) -> None:
    out = tmp_path / "reports"
    first = _build(out, books, langs=["id", "en"], jobs=2)
    assert sorted(first.executed) == sorted(
        ["01_one [id]", "01_one [en]", "02_two [id]", "02_two [en]"]
    )
    assert first.reused == []
    files = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*.html")}
    second = _build(out, books, langs=["id", "en"], jobs=2)
    assert second.executed == [] and len(second.reused) == 4
    assert set(_statuses(second).values()) == {"reused"}
    assert all(r.ok for r in second.runs)
    msg = second.message()
    assert "reused 4, executed 0" in msg and "nothing re-executed" in msg
    assert "01_one [id, en]" in msg
    # the same report: every brief's files, carried over unchanged
    again = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*.html")}
    assert {k: v for k, v in again.items() if k != "index.html"} == {
        k: v for k, v in files.items() if k != "index.html"
    }
    marker = json.loads((out / MARKER).read_text(encoding="utf-8"))
    assert sorted(marker["jobs"]) == [
        "notebooks/en/01_one.ipynb",
        "notebooks/en/02_two.ipynb",
        "notebooks/id/01_one.ipynb",
        "notebooks/id/02_two.ipynb",
    ]
    assert set(marker["jobs"]) <= set(marker["files"])


@pytest.mark.slow
def test_a_change_re_executes_exactly_the_runs_it_touches(tmp_path: Path, books: Path) -> None:
    out = tmp_path / "reports"
    _build(out, books)
    _notebook(books, "02_two", "x = 3")  # a notebook edited
    res = _build(out, books)
    assert _statuses(res) == {"01_one [en]": "reused", "02_two [en]": "ok"}
    assert "executed (changed or new): 02_two [en]" in res.message()
    res = _build(out, books, langs=["id", "en"])  # a language added
    assert _statuses(res) == {
        "01_one [id]": "ok",
        "01_one [en]": "reused",
        "02_two [id]": "ok",
        "02_two [en]": "reused",
    }
    # the English editions now link to the Indonesian ones: exported again from the reuse
    assert "../id/01_one.html" in (out / "en" / "01_one.html").read_text(encoding="utf-8")
    data = tmp_path / "data" / "processed" / "table.csv"
    data.write_text("a,b\n1,3\n", encoding="utf-8")  # the data changed: every run
    res = _build(out, books, langs=["id", "en"])
    assert set(_statuses(res).values()) == {"ok"}
    data.write_text("a,b\n1,3\n", encoding="utf-8")  # rewritten with the same content
    res = _build(out, books, langs=["id", "en"])
    assert set(_statuses(res).values()) == {"reused"}


@pytest.mark.slow
def test_damaged_or_missing_runs_are_executed_again(tmp_path: Path, books: Path) -> None:
    out = tmp_path / "reports"
    _build(out, books)
    executed = out / "notebooks" / "en" / "01_one.ipynb"
    executed.write_text(executed.read_text(encoding="utf-8")[:-40], encoding="utf-8")
    (out / "notebooks" / "en" / "02_two.ipynb").unlink()
    marker = json.loads((out / MARKER).read_text(encoding="utf-8"))
    marker["files"].remove("notebooks/en/02_two.ipynb")
    (out / MARKER).write_text(json.dumps(marker), encoding="utf-8")
    res = _build(out, books)
    assert _statuses(res) == {"01_one [en]": "ok", "02_two [en]": "ok"}
    nbformat.read(str(executed), as_version=4)  # whole again
    (out / "en" / "01_one_analyst.html").write_text("<html>cut", encoding="utf-8")
    res = _build(out, books)  # the run is intact, its export is not: exported again
    assert _statuses(res) == {"01_one [en]": "reused", "02_two [en]": "reused"}
    assert "<html>cut" not in (out / "en" / "01_one_analyst.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_force_executes_everything(tmp_path: Path, books: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from hilir.cli import main

    out = tmp_path / "reports"
    args = ["report", "--notebooks", str(books), "--out", str(out), "--lang", "en", "--no-pdf"]
    assert main([*args, "--quiet"]) == 0
    capsys.readouterr()
    assert main(args) == 0
    said = capsys.readouterr()
    assert "reused 2, executed 0" in said.out and "nothing re-executed" in said.out
    assert "reused 2, executing 0" in said.err  # the progress output says so first
    assert main([*args, "--quiet", "--force"]) == 0
    assert "reused 0, executed 2" in capsys.readouterr().out


def test_fingerprint_covers_notebook_parameters_code_and_data(tmp_path: Path) -> None:
    nb = _notebook(tmp_path, "01_one", "x = 1")
    base = {"code": "c", "data": "d"}
    fp = job_fingerprint(nb, {"lang": "en"}, **base)
    assert fp == job_fingerprint(nb, {"lang": "en"}, **base)
    assert fp != job_fingerprint(nb, {"lang": "id"}, **base)
    assert fp != job_fingerprint(nb, {"lang": "en", "year": 2020}, **base)
    assert fp != job_fingerprint(nb, {"lang": "en"}, code="c2", data="d")
    assert fp != job_fingerprint(nb, {"lang": "en"}, code="c", data="d2")
    _notebook(tmp_path, "01_one", "x = 2")
    assert fp != job_fingerprint(nb, {"lang": "en"}, **base)


def test_folder_fingerprint_is_content_not_time(tmp_path: Path) -> None:
    """Code and data are hashed by content: rewriting a file with the same bytes is no change."""
    (tmp_path / "pkg" / "__pycache__").mkdir(parents=True)
    mod = tmp_path / "pkg" / "mod.py"
    mod.write_text("x = 1\n", encoding="utf-8")
    fp = folder_fingerprint(tmp_path / "pkg")
    mod.write_text("x = 1\n", encoding="utf-8")
    (tmp_path / "pkg" / "__pycache__" / "mod.cpython-311.pyc").write_bytes(b"\0")
    (tmp_path / "pkg" / "table.parquet.tmp").write_bytes(b"\0")
    assert folder_fingerprint(tmp_path / "pkg") == fp
    mod.write_text("x = 2\n", encoding="utf-8")
    assert folder_fingerprint(tmp_path / "pkg") != fp
    (tmp_path / "pkg" / "new.csv").write_text("a\n", encoding="utf-8")
    assert folder_fingerprint(tmp_path / "pkg") not in (fp, folder_fingerprint(tmp_path / "x"))
