"""What the notebooks call: Brief display helpers, data vintage, citations, charts, index."""

from __future__ import annotations

import datetime as dt
import re
import warnings

import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

import hilir
from hilir.brief.blocks import brief_header, separate_citations, vintage_table
from hilir.brief.page import Brief
from hilir.brief.payload import MIME
from hilir.errors import HilirDataError
from hilir.report.execute import find_errors, first_line, unexecuted_cells
from hilir.report.export import export_html, external_references
from hilir.report.index import BriefEntry, index_html


class Shown(list):
    def __call__(self, bundle, metadata):  # type: ignore[no-untyped-def]
        self.append((dict(bundle), dict(metadata)))


@pytest.fixture
def shown() -> Shown:
    return Shown()


def test_header_states_geography_and_sources() -> None:
    md = brief_header(
        "id",
        "ID-LA",
        ["bps_lampung_prod_kabkota_2022", "faostat_idn_trade"],
        name="08_lampung_profile",
        today=dt.date(2024, 5, 1),
    )
    assert md.startswith("# Profil Provinsi Lampung")
    assert 'angka nasional ditandai "Indonesia"' in md
    assert "**Data:** BPS Provinsi Lampung; FAOSTAT." in md
    assert "1 Mei 2024" in md
    with pytest.raises(ValueError, match="geography"):
        brief_header("en", "ID-JK", [])


def test_vintage_groups_files_of_one_source_and_says_how_to_update() -> None:
    keys = [f"bps_lampung_prod_kabkota_{y}" for y in (2014, 2022)] + ["comtrade_idn_nickel_chain"]
    df = vintage_table(keys, "en")
    bps = df[df["source"] == "BPS Lampung Province"].iloc[0]
    assert bps["coverage"] == "2014-2022"
    assert bps["latest_year"] == 2022
    assert bps["update"] == "`hilir data import bps_production FILE`"
    ct = df[df["source"] == "UN Comtrade"].iloc[0]
    assert ct["latest_year"] == 2020 and "comtrade" in ct["update"]
    assert df.attrs["labels"]["latest_year"] == "Latest data"


def test_chart_shows_png_alt_text_and_data(shown: Shown) -> None:
    from hilir.plots import plot_regency_production

    brief = Brief("01_coffee", lang="en", geography="IDN", display=shown)
    fig = plot_regency_production(hilir.load_production(), lang="en", crop="coffee_robusta")
    brief.chart(fig)
    bundle, meta = shown[-1]
    assert bundle["image/png"] and meta["image/png"]["alt"].startswith(fig.hilir.title)
    doc = bundle[MIME]
    assert doc["number"] == 1 and doc["meta"]["source_line"] == fig.hilir.source_line
    assert len(doc["frame"]["data"]) == len(fig.hilir_data)
    assert any(k.startswith("bps_lampung_prod_kabkota") for k in brief.sources)


def test_chart_without_provenance_is_refused(shown: Shown) -> None:
    from hilir.plots import plot_regency_production

    prod = hilir.load_production()
    prod = prod.assign(source="synthetic_example")
    fig = plot_regency_production(prod, lang="id", crop="pepper")
    with pytest.raises(HilirDataError, match="synthetic"):
        Brief("x", lang="id", display=shown).chart(fig)
    assert shown == []


def test_table_keeps_unformatted_data_and_needs_sources(shown: Shown) -> None:
    brief = Brief("x", lang="id", display=shown)
    data = pd.DataFrame({"crop": ["kopi"], "production_t": [117300.0]})
    cells = pd.DataFrame({"crop": ["kopi"], "production": ["117.300"]})
    brief.table(cells, title="T", data=data, sources=["bps_lampung_prod_prov_2020"])
    bundle, _ = shown[-1]
    assert (
        "117.300" in bundle["text/html"] and "Sumber: BPS Provinsi Lampung" in bundle["text/html"]
    )
    assert bundle[MIME]["frame"]["data"] == [["kopi", 117300.0]]
    with pytest.raises(HilirDataError, match="provenance"):
        brief.table(cells, title="T", sources=["no_such_key"])


def test_separate_citations_moves_texts_out_of_source() -> None:
    frame = pd.DataFrame(
        {"x": [1.0, 2.0], "source": ["faostat_idn_trade+Tyre makers 2018", "faostat_idn_trade"]}
    )
    out, note = separate_citations(frame, lang="en")
    assert out["source"].tolist() == ["faostat_idn_trade", "faostat_idn_trade"]
    assert out["cited_source"].tolist() == ["Tyre makers 2018", ""]
    assert note == (
        "Processed unit values and conversion factors rest on cited assumptions "
        "(sources cited: 1); their full citations are in the Excel annex, column cited_source."
    )
    assert frame["source"].iloc[0].endswith("2018")  # input untouched
    assert separate_citations(frame.iloc[[1]], lang="en")[1] is None


def test_find_errors_names_cell_position_without_injected_cells() -> None:
    nb = new_notebook()
    nb.cells.append(new_code_cell('lang = "en"', metadata={"tags": ["injected-parameters"]}))
    nb.cells.append(new_code_cell("x = 1", execution_count=1))
    bad = new_code_cell("\n\ny = x / 0\n", execution_count=2)
    bad.outputs = [new_output("error", ename="ZeroDivisionError", evalue="division by zero")]
    nb.cells.append(bad)
    nb.cells.append(new_code_cell("z = 3"))
    errors = find_errors(nb)
    assert [e.describe() for e in errors] == [
        "cell 2 (In [2]: `y = x / 0`): ZeroDivisionError: division by zero"
    ]
    assert unexecuted_cells(nb) == [3]
    assert first_line("a" * 100).endswith("...")


def test_policymaker_edition_hides_code_and_warnings() -> None:
    nb = new_notebook()
    cell = new_code_cell("brief.say('x')", execution_count=1)
    cell.outputs = [
        new_output("stream", name="stderr", text="HilirDataWarning: careful\n"),
        new_output("display_data", data={"text/markdown": "Kalimat", "text/plain": "Kalimat"}),
    ]
    nb.cells.append(new_code_cell('lang = "id"', metadata={"tags": ["parameters"]}))
    nb.cells.append(cell)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        policy = export_html(nb, edition="policymaker", lang="id", title="T")
        analyst = export_html(nb, edition="analyst", lang="id", title="T")
    assert "Kalimat" in policy and "Kalimat" in analyst
    assert "HilirDataWarning" not in policy and "HilirDataWarning" in analyst
    text = {k: re.sub(r"<[^>]+>", "", v) for k, v in (("p", policy), ("a", analyst))}
    assert "brief.say" not in text["p"] and "brief.say" in text["a"]
    assert 'class="jp-InputArea' not in policy and 'class="jp-InputArea' in analyst
    assert external_references(policy) == [] and external_references(analyst) == []
    with pytest.raises(ValueError, match="edition"):
        export_html(nb, edition="print", lang="id", title="T")  # type: ignore[arg-type]


def test_external_references_finds_remote_resources() -> None:
    page = (
        '<script src="https://cdn.example/x.js"></script><img src="data:image/png;base64,AA">'
        '<link href="style.css" rel="stylesheet"><a href="https://example.org">ok</a>'
        "<style>@import 'https://f.example/a.css'; b{background:url(https://x/y.png)}</style>"
    )
    assert external_references(page) == [
        "https://cdn.example/x.js",
        "style.css",
        "https://x/y.png",
        "https://f.example/a.css",
    ]


def test_index_lists_both_languages_and_missing_files() -> None:
    entry = BriefEntry(
        "01_coffee",
        titles={"id": "Kopi", "en": "Coffee"},
        files={"id": {"policymaker": "id/01_coffee.html"}, "en": {}},
    )
    page = index_html([entry], notices=["PDFs skipped"], today=dt.date(2024, 1, 2))
    assert '<section lang="id">' in page and '<section lang="en">' in page
    assert '<a href="id/01_coffee.html">' in page
    assert "PDF: -" in page and "PDFs skipped" in page
    assert external_references(page) == []


def test_vintage_coverage_spans_years_not_months() -> None:
    """The Pink Sheet monthly vintage covers "1960-01 to 2026-05" and the annual extract
    "1960-2024": one row spanning 1960-2026 (a month once read as year 5 gave "5-2024")."""
    from hilir.brief.blocks import _span

    assert _span(["1960-01 to 2026-05", "1960-2024"]) == "1960-2026"
    assert _span(["2005, 2010, 2015", "2020"]) == "2005-2020"
    assert _span(["not stated", "none"]) == "not stated; none"


def test_a_chain_brief_run_for_another_chain_is_titled_for_it() -> None:
    """``hilir report --only 01_coffee --param chain=rubber`` once titled a rubber brief
    "Coffee: from green beans to processed coffee"."""
    from hilir.brief.blocks import catalogue_title
    from hilir.report.build import brief_title

    assert catalogue_title("01_coffee", "en", chain="rubber") == (
        "Natural rubber: raw and processed exports",
        None,
    )
    own = catalogue_title("01_coffee", "id", chain="coffee")
    assert own[0] == "Kopi: dari biji mentah ke kopi olahan" and own[1]
    assert catalogue_title("00_overview", "en", chain="rubber")[0].startswith("Downstreaming")
    assert brief_title("03_rubber", "id", chain="coffee") == "Kopi: ekspor mentah dan olahan"
    shown: list[tuple[dict, dict]] = []
    brief = Brief("01_coffee", lang="en", chain="rubber", display=lambda b, m: shown.append((b, m)))
    brief.header()
    assert shown[0][0]["text/markdown"].startswith("# Natural rubber: raw and processed exports")
