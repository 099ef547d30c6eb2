"""The brief notebooks: found by glob, thin, parameterised, stripped, and run in both languages.

Static checks read the committed notebooks; the execution checks read the notebooks executed
by the shared report build (``report_conftest.built_report``: every notebook, id and en, each
in its own kernel).
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import nbformat
import pytest

from hilir.brief.payload import payloads
from hilir.report.execute import INJECTED_TAGS, PARAMETERS_TAG, find_errors, unexecuted_cells
from report_conftest import EXPECTED, LANGS, notebook_paths

PATHS = notebook_paths()
IDS = [p.stem for p in PATHS]


def _read(path: Path):  # type: ignore[no-untyped-def]
    return nbformat.read(str(path), as_version=4)


def _code_cells(nb):  # type: ignore[no-untyped-def]
    return [c for c in nb.cells if c.cell_type == "code"]


def test_glob_finds_every_brief() -> None:
    assert tuple(IDS) == EXPECTED


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_notebook_is_valid_and_stripped(path: Path) -> None:
    nb = _read(path)
    nbformat.validate(nb)
    for cell in _code_cells(nb):
        assert cell.outputs == [], f"{path.name}: outputs not stripped"
        assert cell.execution_count is None, f"{path.name}: execution count not stripped"
    assert nb.metadata["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_parameters_cell_first_with_language_and_geography(path: Path) -> None:
    nb = _read(path)
    code = _code_cells(nb)
    tagged = [c for c in code if PARAMETERS_TAG in c.metadata.get("tags", [])]
    assert len(tagged) == 1, f"{path.name}: needs exactly one cell tagged 'parameters'"
    assert code[0] is tagged[0], f"{path.name}: the parameters cell must be the first code cell"
    names = {
        t.id
        for node in ast.parse(tagged[0].source).body
        if isinstance(node, ast.Assign)
        for t in node.targets
        if isinstance(t, ast.Name)
    }
    assert {"lang", "geography"} <= names
    assert re.search(r'^lang = "id"', tagged[0].source, flags=re.M), "default language is id"


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_no_function_definitions_and_no_typed_numbers(path: Path) -> None:
    """Notebooks only call hilir: no def/class/lambda; numbers live in the parameters cell."""
    nb = _read(path)
    for cell in _code_cells(nb):
        tree = ast.parse(cell.source)
        for node in ast.walk(tree):
            assert not isinstance(
                node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda
            ), f"{path.name}: function or class defined in a notebook cell"
        if PARAMETERS_TAG in cell.metadata.get("tags", []):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and not isinstance(node.value, bool):
                if isinstance(node.value, int | float):
                    pytest.fail(f"{path.name}: number {node.value!r} typed outside parameters")
                if isinstance(node.value, str) and node.value != path.stem:
                    assert not re.search(r"\d", node.value), (
                        f"{path.name}: string {node.value!r} with digits outside parameters"
                    )
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            prose = re.sub(r"`[^`]*`", "", cell.source)
            assert not re.search(r"\d", prose), f"{path.name}: number typed in markdown"


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_markdown_cells_are_analyst_notes(path: Path) -> None:
    """Prose the reader sees is generated in the chosen language; markdown is analyst-only."""
    nb = _read(path)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            assert "analyst-only" in cell.metadata.get("tags", [])


# ---- execution (shared report build) ----------------------------------------------------


def _executed(report, name: str, lang: str) -> Path:  # type: ignore[no-untyped-def]
    return report.out_dir / "notebooks" / lang / f"{name}.ipynb"


@pytest.mark.slow
def test_every_notebook_ran_in_both_languages(report) -> None:  # type: ignore[no-untyped-def]
    runs = {(r.job.notebook.stem, r.job.parameters["lang"]): r for r in report.runs}
    assert set(runs) == {(n, lang) for n in EXPECTED for lang in LANGS}
    assert all(r.ok for r in runs.values()), [r.describe() for r in runs.values() if not r.ok]


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", EXPECTED)
def test_executed_notebook_has_no_errors(report, name: str, lang: str) -> None:  # type: ignore[no-untyped-def]
    nb = _read(_executed(report, name, lang))
    assert find_errors(nb) == []
    assert unexecuted_cells(nb) == []
    injected = [c for c in nb.cells if set(c.metadata.get("tags", [])) & INJECTED_TAGS]
    assert injected and f'lang = "{lang}"' in injected[0].source
    text = json.dumps(nb, ensure_ascii=False)
    assert "Traceback" not in text


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", EXPECTED)
def test_brief_is_in_its_language_with_sources(report, name: str, lang: str) -> None:  # type: ignore[no-untyped-def]
    from hilir.brief.texts import say

    nb = _read(_executed(report, name, lang))
    md = "\n".join(
        o["data"]["text/markdown"]
        for c in _code_cells(nb)
        for o in c.outputs
        if "data" in o and "text/markdown" in o["data"]
    )
    assert md.startswith("# " + say(f"brief.{name}.title", lang))
    assert say("section.vintage", lang) in md
    docs = payloads(nb)
    assert docs, f"{name} shows no chart or table"
    prefix = "Sumber:" if lang == "id" else "Source:"
    for doc in docs:
        meta = doc["meta"]
        assert meta["lang"] == lang
        assert meta["source_line"].startswith(prefix), meta["source_line"]
        assert doc["frame"]["data"], f"{name}: {meta['title']!r} has no data"


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_geography_is_stated_on_every_chart(report, lang: str) -> None:  # type: ignore[no-untyped-def]
    """Each chart subtitle names its geography: Indonesia, Lampung or the world market."""
    names = {
        "id": ("Indonesia", "Lampung", "pasar dunia", "dunia"),
        "en": ("Indonesia", "Lampung", "world"),
    }
    for name in EXPECTED:
        for doc in payloads(_read(_executed(report, name, lang))):
            meta = doc["meta"]
            if meta["chart"] == "table":
                continue
            text = f"{meta['subtitle']} {meta['title']}"
            assert any(n in text for n in names[lang]), (name, meta["title"], meta["subtitle"])


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_lampung_brief_marks_national_figures(report, lang: str) -> None:  # type: ignore[no-untyped-def]
    """In the Lampung profile, every sentence with a US$ figure names Lampung or Indonesia."""
    nb = _read(_executed(report, "08_lampung_profile", lang))
    md = [
        o["data"]["text/markdown"]
        for c in _code_cells(nb)
        for o in c.outputs
        if "data" in o and "text/markdown" in o["data"]
    ]
    sentences = [s for block in md for s in re.split(r"(?<=[.])\s+(?=[A-Z*])", block)]
    money = [s for s in sentences if "US$" in s]
    assert money
    for s in money:
        assert "Lampung" in s or "Indonesia" in s, s
