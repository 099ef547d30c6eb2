"""``hilir report --param NAME=VALUE``: values reach the notebooks, bad names and data stop early.

The fast tests run tiny notebooks (or none: the checks refuse before any notebook runs); the
slow one builds a chain brief of the shipped notebooks for another registry chain.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from _notebooks import make_notebook
from hilir.report.build import build_report, find_notebooks, select_notebooks
from hilir.report.execute import ReportError
from hilir.report.index import output_names
from hilir.report.params import data_problems, parse_params, resolve_params

PARAMETERS = 'lang = "id"\nlabel = "default"\nyear_to = 2020\nshares = [0.1]'


def _notebook(folder: Path, name: str, *cells: str) -> Path:
    return make_notebook(folder, name, *cells, parameters=PARAMETERS, notes=False)


@pytest.fixture
def books(tmp_path: Path) -> Path:
    folder = tmp_path / "notebooks"
    folder.mkdir()
    return folder


def _stdout(executed: Path) -> str:
    nb = nbformat.read(str(executed), as_version=4)
    return "".join(
        out.get("text", "")
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
        if out.get("output_type") == "stream"
    )


def test_values_parse_as_json_else_text() -> None:
    got = parse_params(["chain=cocoa", "year_to=2019", "shares=[0.1, 0.3]", "price_to=null"])
    assert got == {"chain": "cocoa", "year_to": 2019, "shares": [0.1, 0.3], "price_to": None}
    assert parse_params(["geography=ID-JA", "label=a=b"]) == {"geography": "ID-JA", "label": "a=b"}
    for bad in ("chain", "=cocoa", "two words=1"):
        with pytest.raises(ReportError, match="NAME=VALUE"):
            parse_params([bad])


def test_override_reaches_the_executed_notebook(tmp_path: Path, books: Path) -> None:
    _notebook(books, "01_one", "import json\nprint(json.dumps([label, year_to, shares, lang]))")
    out = tmp_path / "reports"
    build_report(
        out,
        langs=["en"],
        notebooks=books,
        pdf=False,
        progress=False,
        build_data=False,
        params={"label": "cocoa", "year_to": 2019, "shares": [0.2, 0.4]},
    )
    printed = json.loads(_stdout(out / "notebooks" / "en" / "01_one.ipynb"))
    assert printed == ["cocoa", 2019, [0.2, 0.4], "en"]


def test_cli_param_reaches_the_notebook(tmp_path: Path, books: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from hilir.cli import main

    _notebook(books, "01_one", "print(label, year_to)")
    out = tmp_path / "reports"
    argv = ["report", "--notebooks", str(books), "--out", str(out), "--lang", "id"]
    argv += ["--no-pdf", "--quiet", "--param", "label=ID-JA", "--param", "year_to=2019"]
    assert main(argv) == 0, capsys.readouterr().err
    assert _stdout(out / "notebooks" / "id" / "01_one.ipynb").strip() == "ID-JA 2019"


def test_unknown_name_is_refused_with_the_allowed_ones(tmp_path: Path, books: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from hilir.cli import main

    _notebook(books, "01_one", "x = 1")
    out = tmp_path / "reports"
    argv = ["report", "--notebooks", str(books), "--out", str(out), "--no-pdf", "--quiet"]
    assert main([*argv, "--param", "provinse=ID-JA"]) == 1
    err = capsys.readouterr().err
    assert "unknown parameter 'provinse' for 01_one" in err
    assert "label, year_to, shares" in err
    assert not out.exists()  # refused before anything was written
    assert main([*argv, "--param", "lang=en"]) == 1
    assert "use --lang" in capsys.readouterr().err


def test_name_must_be_in_every_selected_notebook() -> None:
    chosen = select_notebooks(find_notebooks(), ["01_coffee", "08_lampung_profile"])
    with pytest.raises(ReportError, match=r"unknown parameter 'chain' for 08_lampung_profile"):
        resolve_params(chosen, {"chain": "cocoa"})
    values = resolve_params(chosen, {"geography": "ID-LA"})
    assert {v["geography"] for v in values.values()} == {"ID-LA"}
    assert values[chosen[0]]["raw_product"] == "coffee_green"  # defaults kept


def test_province_without_data_is_named_before_any_run(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    with pytest.raises(ReportError) as err:
        build_report(
            out,
            langs=["en"],
            only=["08_lampung_profile"],
            pdf=False,
            progress=False,
            build_data=False,
            params={"geography": "ID-JA"},
        )
    msg = str(err.value)
    assert "no production data for geography='ID-JA'" in msg
    assert "provinces with production: ID-LA" in msg
    assert "no input-output table for geography='ID-JA'" in msg
    assert "Traceback" not in msg and not out.exists()


def test_unknown_province_and_chain_are_named() -> None:
    (brief,) = select_notebooks(find_notebooks(), ["06_jobs"])
    (values,) = resolve_params([brief], {"geography": "ID-XX"}).values()
    assert any("'ID-XX' is not a province code" in p for p in data_problems(brief, values))
    (brief,) = select_notebooks(find_notebooks(), ["01_coffee"])
    (values,) = resolve_params([brief], {"chain": "cacao"}).values()
    assert any("'cacao' is not a chain of the registry" in p for p in data_problems(brief, values))


def test_other_chain_names_the_missing_data() -> None:
    (brief,) = select_notebooks(find_notebooks(), ["01_coffee"])
    (values,) = resolve_params([brief], {"chain": "cocoa"}).values()
    problems = "\n".join(data_problems(brief, values))
    assert "raw_product='coffee_green' is not a product of chain 'cocoa'" in problems
    assert "its raw products: cocoa_beans" in problems
    assert "sources with them: faostat_idn_trade_more" in problems
    assert "no raw-equivalent conversion factor for any processed product" in problems
    given = {"chain": "cassava", "raw_product": "cassava_fresh"}
    (values,) = resolve_params(
        [brief], {**given, "trade_source": "faostat_idn_trade_more"}
    ).values()
    world, bi = data_problems(brief, values)  # cassava: factors and exports, not the rest
    assert world.startswith("no world price series is paired with raw_product='cassava_fresh'")
    assert bi.endswith("groups of chain 'cassava': none")
    (values,) = resolve_params([brief], {"geography": "VNM"}).values()
    assert any(
        "no exports of chain 'coffee' for reporter 'VNM'" in p for p in data_problems(brief, values)
    )


def test_defaults_pass_the_data_check() -> None:
    for brief in find_notebooks():
        (values,) = resolve_params([brief], {}).values()
        assert data_problems(brief, values) == [], brief.stem


@pytest.mark.slow
def test_chain_brief_builds_for_another_chain(tmp_path: Path) -> None:
    """The coffee brief, run for rubber, is a rubber brief (both languages, no PDF)."""
    out = tmp_path / "reports"
    params = {
        "chain": "rubber",
        "raw_product": "rubber_dry",
        "lampung_crop": "rubber",
        "bi_group": "Crumb rubber",
    }
    (brief,) = select_notebooks(find_notebooks(), ["01_coffee"])
    (values,) = resolve_params([brief], params).values()
    assert data_problems(brief, values) == []
    build_report(
        out, only=["01_coffee"], pdf=False, progress=False, build_data=False, params=params
    )
    executed = nbformat.read(str(out / "notebooks" / "en" / "01_coffee.ipynb"), as_version=4)
    injected = [
        c.source for c in executed.cells if "injected-parameters" in c.metadata.get("tags", [])
    ]
    assert injected and 'chain = "rubber"' in injected[0]
    text = (out / "en" / output_names("01_coffee")["policymaker"]).read_text(encoding="utf-8")
    assert "rubber" in text.lower() and "Crumb rubber" in text
    assert (out / "id" / output_names("01_coffee")["annex"]).is_file()
