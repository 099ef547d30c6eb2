"""The report build: outputs, self-contained HTML, annexes equal to chart data, failures.

The output checks read the shared full build (``report_conftest.built_report``). The failure
checks build tiny notebooks in a temporary folder: a failing notebook stops the build with a
non-zero exit naming the notebook, the cell and the error, and leaves ``reports/`` untouched.
"""

from __future__ import annotations

import html
import io
import json
import math
import re
import zipfile
from pathlib import Path

import nbformat
import pandas as pd
import pytest

import hilir
from _notebooks import make_notebook as _notebook
from hilir.brief.payload import chart_payload, frame_from_json, frame_to_json, payloads
from hilir.i18n.catalog import t
from hilir.report.annex import read_annex_sheet, sheet_name, write_annex, write_data_zip
from hilir.report.build import build_report, find_notebooks, select_notebooks
from hilir.report.execute import ReportError
from hilir.report.export import external_references
from hilir.report.index import KINDS, output_names
from hilir.report.outdir import MARKER, write_marker
from report_conftest import EXPECTED, LANGS

# ---- tiny notebooks for the failure paths -----------------------------------------------


@pytest.fixture
def books(tmp_path: Path) -> Path:
    folder = tmp_path / "notebooks"
    folder.mkdir()
    return folder


def _sentinel(tmp_path: Path) -> Path:
    """A report folder an earlier build wrote (its marker lists its one file)."""
    out = tmp_path / "reports"
    out.mkdir()
    (out / "keep.txt").write_text("an earlier build", encoding="utf-8")
    write_marker(out, ["keep.txt"])
    return out


def _untouched(tmp_path: Path, out: Path) -> None:
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "keep.txt"]
    assert (out / "keep.txt").read_text(encoding="utf-8") == "an earlier build"
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".reports")]
    assert leftovers == [], leftovers


def test_failing_notebook_stops_build_and_names_cell(tmp_path: Path, books: Path) -> None:
    _notebook(books, "01_ok", "x = 2")
    _notebook(books, "02_fail", "y = 1", "z = y / 0", "print('never')")
    out = _sentinel(tmp_path)
    with pytest.raises(ReportError) as err:
        build_report(
            out, langs=["en"], jobs=2, notebooks=books, pdf=False, progress=False, build_data=False
        )
    msg = str(err.value)
    assert "02_fail.ipynb" in msg
    assert "cell 4" in msg  # parameters, markdown, y = 1, then the failing cell
    assert "z = y / 0" in msg
    assert "ZeroDivisionError" in msg
    _untouched(tmp_path, out)


def test_cli_failure_exits_non_zero(tmp_path: Path, books: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from hilir.cli import main

    _notebook(books, "01_fail", "raise ValueError('bad input row 7')")
    out = _sentinel(tmp_path)
    code = main(
        [
            "report",
            "--notebooks",
            str(books),
            "--out",
            str(out),
            "--lang",
            "en",
            "--no-pdf",
            "--quiet",
        ]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert "01_fail.ipynb" in err and "cell 3" in err and "ValueError: bad input row 7" in err
    _untouched(tmp_path, out)


def test_timeout_is_reported(tmp_path: Path, books: Path) -> None:
    _notebook(books, "01_slow", "import time\ntime.sleep(60)")
    out = _sentinel(tmp_path)
    with pytest.raises(ReportError, match=r"01_slow\.ipynb.*\(timeout\)"):
        build_report(
            out,
            langs=["id"],
            notebooks=books,
            pdf=False,
            progress=False,
            build_data=False,
            timeout=4,
        )
    _untouched(tmp_path, out)


def test_dead_kernel_is_reported(tmp_path: Path, books: Path) -> None:
    _notebook(books, "01_dies", "import os\nos._exit(1)")
    out = _sentinel(tmp_path)
    with pytest.raises(ReportError) as err:
        build_report(
            out,
            langs=["id"],
            notebooks=books,
            pdf=False,
            progress=False,
            build_data=False,
            timeout=60,
        )
    assert "01_dies.ipynb" in str(err.value)
    assert "kernel died" in str(err.value).lower()
    _untouched(tmp_path, out)


def test_missing_parameters_cell_is_refused(tmp_path: Path, books: Path) -> None:
    _notebook(books, "01_noparams", "x = 1", parameters=None)
    with pytest.raises(
        ReportError, match=r"without a cell tagged 'parameters': 01_noparams\.ipynb"
    ):
        build_report(
            tmp_path / "reports", notebooks=books, pdf=False, progress=False, build_data=False
        )
    assert not (tmp_path / "reports").exists()


def test_partial_build_replaces_only_its_brief(tmp_path: Path, books: Path) -> None:
    _notebook(books, "01_one", "x = 1")
    _notebook(books, "02_two", "x = 2")
    out = tmp_path / "reports"
    build_report(
        out, langs=["en"], jobs=2, notebooks=books, pdf=False, progress=False, build_data=False
    )
    before = (out / "en" / "02_two.html").stat().st_mtime_ns
    res = build_report(
        out,
        langs=["en"],
        only=["one"],
        notebooks=books,
        pdf=False,
        progress=False,
        build_data=False,
    )
    assert [r.job.notebook.stem for r in res.runs] == ["01_one"]
    assert (out / "en" / "02_two.html").stat().st_mtime_ns == before
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "en/01_one.html" in index and "en/02_two.html" in index


def test_a_folder_hilir_did_not_write_is_never_replaced(tmp_path: Path, books: Path) -> None:
    """``--out data`` once removed data/raw: a folder without the marker is refused."""
    _notebook(books, "01_one", "x = 1")
    mine = tmp_path / "mine"
    (mine / "raw").mkdir(parents=True)
    (mine / "raw" / "exports.csv").write_text("year,value\n2020,1\n", encoding="utf-8")
    run = {"langs": ["en"], "notebooks": books, "pdf": False, "progress": False}
    with pytest.raises(ReportError, match=r"refusing to replace .*mine.*not written by hilir"):
        build_report(mine, build_data=False, **run)
    assert (mine / "raw" / "exports.csv").read_text(encoding="utf-8") == "year,value\n2020,1\n"
    for place in (Path.cwd(), Path.home(), books, books.parent):
        with pytest.raises(ReportError, match="refusing to write the report into"):
            build_report(place, build_data=False, **run)
    out = tmp_path / "reports"
    build_report(out, build_data=False, **run)
    assert (out / MARKER).is_file()
    build_report(out, build_data=False, **run)  # its own folder: replaced
    (out / "notes.txt").write_text("my notes", encoding="utf-8")
    with pytest.raises(ReportError, match=r"1 file\(s\) hilir report did not write \(notes.txt\)"):
        build_report(out, build_data=False, **run)
    with pytest.raises(ReportError, match=r"notes\.txt"):
        build_report(out, only=["one"], build_data=False, **run)
    assert (out / "notes.txt").read_text(encoding="utf-8") == "my notes"


def test_select_notebooks_by_name_number_or_stem() -> None:
    paths = find_notebooks()
    assert [p.stem for p in select_notebooks(paths, ["coffee"])] == ["01_coffee"]
    assert [p.stem for p in select_notebooks(paths, ["05"])] == ["05_minerals"]
    assert [p.stem for p in select_notebooks(paths, ["08_lampung_profile", "00"])] == [
        "00_overview",
        "08_lampung_profile",
    ]
    with pytest.raises(ReportError, match="no notebook named 'sugar'"):
        select_notebooks(paths, ["sugar"])


def test_bad_options_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="languages"):
        build_report(tmp_path / "r", langs=["fr"], build_data=False)
    with pytest.raises(ReportError, match="jobs"):
        build_report(tmp_path / "r", jobs=0, build_data=False)


# ---- annex and payload on a real chart (no build needed) ----------------------------------


def _same(a: object, b: object) -> bool:
    """Equal as stored in the workbook: openpyxl writes 16 significant digits (Excel keeps 15)."""
    if b is None or (isinstance(b, float) and math.isnan(b)):
        return a is None or (isinstance(a, float) and math.isnan(a))
    return math.isclose(float(a), float(b), rel_tol=1e-15, abs_tol=0.0)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def pepper_chart():  # type: ignore[no-untyped-def]
    from hilir.plots import plot_regency_production

    return plot_regency_production(hilir.load_production(), lang="en", crop="pepper")


def test_payload_round_trip_is_exact() -> None:
    df = pd.DataFrame(
        {
            "year": [2019, 2020],
            "value_usd": [0.1 + 0.2, 1e-17],
            "geo": ["ID-LA", None],
            "flag": [True, False],
        }
    )
    back = frame_from_json(json.loads(json.dumps(frame_to_json(df))))
    assert back["value_usd"].tolist() == df["value_usd"].tolist()
    assert back["year"].tolist() == [2019, 2020]
    assert back["geo"].tolist()[0] == "ID-LA" and pd.isna(back["geo"].tolist()[1])


def test_annex_sheet_equals_chart_data(tmp_path: Path, pepper_chart) -> None:  # type: ignore[no-untyped-def]
    doc = chart_payload(pepper_chart, number=1)
    path = write_annex([doc], tmp_path / "a.xlsx", title="Test", lang="en", brief_file="t.html")
    texts, data = read_annex_sheet(path, sheet_name(1, "chart", "en"))
    plotted = pepper_chart.hilir_data
    assert texts["title"] == pepper_chart.hilir.title
    assert texts["source_line"] == pepper_chart.hilir.source_line
    assert texts["units"]["value"] == "tonnes" or texts["units"]["share"].startswith("fraction")
    assert list(data.columns) == list(plotted.columns)
    assert data["value"].tolist() == plotted["value"].tolist()  # whole tonnes: exact
    for a, b in zip(data["share"], plotted["share"], strict=True):
        assert _same(a, b)
    assert data["geo_name"].tolist() == plotted["geo_name"].tolist()


def test_data_zip_has_csv_and_metadata(tmp_path: Path, pepper_chart) -> None:  # type: ignore[no-untyped-def]
    doc = chart_payload(pepper_chart, number=1)
    path = write_data_zip([doc], tmp_path / "d.zip", title="Test", lang="id", brief_file="t.html")
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        assert names == ["chart_01_regency_production.csv", "metadata.json"]
        meta = json.loads(zf.read("metadata.json"))
        csv = pd.read_csv(io.BytesIO(zf.read(names[0])))
    assert csv["value"].tolist() == pepper_chart.hilir_data["value"].tolist()
    entry = meta["files"][0]
    assert entry["source_line"] == pepper_chart.hilir.source_line
    assert entry["units"]["year"] == "tahun"
    src = meta["sources"][0]
    assert src["licence"] and src["citation"] and src["url"]


def test_annex_refuses_nothing_and_keeps_about_sheet(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = write_annex([], tmp_path / "empty.xlsx", title="Empty", lang="id")
    wb = load_workbook(path)
    assert wb.sheetnames == ["Tentang"]


# ---- the full build -------------------------------------------------------------------


@pytest.mark.slow
def test_every_output_exists_in_both_languages(report) -> None:  # type: ignore[no-untyped-def]
    from hilir.report.pdf import find_chromium

    kinds = [k for k in KINDS if k != "pdf" or find_chromium()]
    for lang in LANGS:
        for name in EXPECTED:
            for kind in kinds:
                path = report.out_dir / lang / output_names(name)[kind]
                assert path.is_file() and path.stat().st_size > 0, path
    if find_chromium():
        pdf = report.out_dir / "en" / "00_overview.pdf"
        assert pdf.read_bytes()[:5] == b"%PDF-"
    else:
        assert any("PDF" in n for n in report.notices)


@pytest.mark.slow
def test_index_links_every_brief_in_both_languages(report) -> None:  # type: ignore[no-untyped-def]
    text = (report.out_dir / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'href="([^"]+)"', text)
    for lang in LANGS:
        for name in EXPECTED:
            assert f"{lang}/{name}.html" in links
            assert f"{lang}/{name}_annex.xlsx" in links
    for href in links:
        assert (report.out_dir / href).is_file(), href
    assert external_references(text) == []


def _embedded_images(page: str) -> int:
    """Images embedded as PNG data with alternative text (every chart has its title as alt)."""
    tags = re.findall(r"<img\b[^>]*>", page)
    ok = [t for t in tags if 'src="data:image/png;base64,' in t and re.search(r'alt="[^"]+"', t)]
    assert len(ok) == len(tags), "an image is not embedded or has no alternative text"
    return len(ok)


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_html_is_self_contained_and_editions_differ(report, lang: str) -> None:  # type: ignore[no-untyped-def]
    for name in EXPECTED:
        policy = (report.out_dir / lang / f"{name}.html").read_text(encoding="utf-8")
        analyst = (report.out_dir / lang / f"{name}_analyst.html").read_text(encoding="utf-8")
        for page in (policy, analyst):
            assert external_references(page) == [], name
            assert f'<html lang="{lang}">' in page
            assert "<script" not in page
        # a chart whose numbers fail the gate is drawn for analysts only (the jobs brief's
        # national and Lampung jobs); the policymaker edition then says why
        n_policy, n_analyst = _embedded_images(policy), _embedded_images(analyst)
        assert n_analyst >= 1 and n_policy <= n_analyst, name
        if n_policy < n_analyst:
            marker = t("gate.withheld", lang, reason="").split(":")[0]
            assert marker in html.unescape(policy), name
        assert 'class="jp-InputArea' not in policy and 'class="jp-InputArea' in analyst
        code = re.sub(r"<[^>]+>", "", analyst)
        assert "brief.vintage()" in code and "brief.vintage()" not in re.sub(r"<[^>]+>", "", policy)
        assert "Traceback" not in policy and "Warning" not in policy
        for href in re.findall(r'<a href="([^"#]+)"', policy):
            if not href.startswith("http"):
                assert (report.out_dir / lang / href).resolve().is_file(), (name, href)


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_annex_numbers_equal_chart_data(report, lang: str) -> None:  # type: ignore[no-untyped-def]
    """Every sheet of every annex holds exactly the frame the notebook plotted."""
    for name in EXPECTED:
        nb = nbformat.read(str(report.out_dir / "notebooks" / lang / f"{name}.ipynb"), 4)
        docs = payloads(nb)
        annex = report.out_dir / lang / f"{name}_annex.xlsx"
        for doc in docs:
            texts, data = read_annex_sheet(annex, sheet_name(doc["number"], doc["kind"], lang))
            plotted = frame_from_json(doc["frame"])
            assert texts["title"] == doc["meta"]["title"]
            assert texts["source_line"] == doc["meta"]["source_line"]
            assert list(data.columns) == list(plotted.columns)
            for col, kind in zip(plotted.columns, doc["frame"]["kinds"], strict=True):
                if kind != "float":
                    continue
                for a, b in zip(data[col], plotted[col], strict=True):
                    assert _same(a, b), (name, doc["meta"]["title"], col, a, b)


@pytest.mark.slow
def test_ferronickel_chart_data_equals_library_result(report) -> None:  # type: ignore[no-untyped-def]
    """The annex of the minerals brief holds the same ferro-nickel series as hilir computes.

    The brief fits its interrupted time series on real values (constant 2010 US dollars,
    deflated by the World Bank MUV index), so the annex holds the deflated series.
    """
    from hilir.policy import deflate, trade_series

    nb = nbformat.read(str(report.out_dir / "notebooks" / "en" / "05_minerals.ipynb"), 4)
    doc = next(d for d in payloads(nb) if d["meta"]["chart"] == "policy_event")
    _, data = read_annex_sheet(
        report.out_dir / "en" / "05_minerals_annex.xlsx", sheet_name(doc["number"], "chart", "en")
    )
    nominal = trade_series(hilir.load_exports(reporter="IDN"), hs_code="720260")
    series = deflate(nominal, hilir.load_prices(), price_series="MUV", base_year=2010)
    got = dict(zip(data["year"], data["observed"], strict=True))
    for year, value in zip(series["year"], series["value"], strict=True):
        assert _same(got[int(year)], float(value))


@pytest.mark.slow
def test_data_zip_matches_annex(report) -> None:  # type: ignore[no-untyped-def]
    path = report.out_dir / "id" / "01_coffee_data.zip"
    with zipfile.ZipFile(path) as zf:
        meta = json.loads(zf.read("metadata.json"))
        assert meta["language"] == "id"
        assert len(meta["files"]) == len([n for n in zf.namelist() if n.endswith(".csv")])
        for entry in meta["files"]:
            assert entry["source_line"].startswith("Sumber:")
            assert entry["units"]


def test_a_killed_build_leaves_no_work_folder_behind(tmp_path: Path, books: Path) -> None:
    """kill -9 of `hilir report` left `.reports.tmp-*` folders (35 MB) that nothing removed."""
    import subprocess

    from hilir.report.outdir import TMP_MARKER, make_work_dir

    _notebook(books, "01_one", "x = 1")
    out = tmp_path / "reports"
    dead = subprocess.Popen(["true"])
    dead.wait()
    stale = make_work_dir(out)
    (stale / TMP_MARKER).write_text(str(dead.pid), encoding="utf-8")
    (stale / "half.html").write_text("<html>", encoding="utf-8")
    alive = make_work_dir(out)  # this test's own process: a build still running
    foreign = tmp_path / ".reports.tmp-mine"
    foreign.mkdir()  # not marked by hilir: never touched
    build_report(out, langs=["en"], notebooks=books, pdf=False, progress=False, build_data=False)
    assert not stale.exists() and alive.exists() and foreign.exists()
    assert not (out / TMP_MARKER).exists()
    leftovers = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".reports"))
    assert leftovers == sorted([alive.name, foreign.name])
