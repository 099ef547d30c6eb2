"""Issue 15: language link and contents of every brief, developer material in the analyst
edition only, vintage coverage as years, citations kept whole."""

from __future__ import annotations

import re
import warnings

import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from hilir.brief.blocks import (
    POLICYMAKER_ONLY,
    code_html,
    coverage_text,
    known_citations,
    separate_citations,
    split_cited,
    vintage_table,
)
from hilir.brief.page import ANALYST_ONLY, Brief
from hilir.brief.texts import say
from hilir.report.build import _languages_held, _links
from hilir.report.export import CSS, add_toc, export_html, external_references
from hilir.report.index import BriefEntry, index_html


def _export(nb, edition: str, lang: str = "id") -> str:  # type: ignore[no-untyped-def]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return export_html(nb, edition=edition, lang=lang, title="T")  # type: ignore[arg-type]


def _toc(page: str) -> str:
    m = re.search(r'<nav class="hilir-toc".*?</nav>', page, re.S)
    assert m, "no table of contents"
    return m.group(0)


# ---- 1. navigation ---------------------------------------------------------------------------
def test_toc_goes_right_after_the_summary_and_lists_the_other_sections() -> None:
    page = (
        '<main><div class="out"><section class="hilir-summary" id="summary"><h2>Ringkasan</h2>'
        "<section><p>x</p></section></section></div>"
        '<h2 id="Nilai-&amp;-kerja">Nilai &amp; kerja<a class="anchor-link" href="#Nilai-&amp;-'
        'kerja">¶</a></h2><p>a</p><h2 id="Versi-data">Versi data</h2></main>'
    )
    out = add_toc(page, title="Daftar isi")
    nav = _toc(out)
    # right after the summary element (its nested section does not end it early)
    assert out.index(nav) == out.index("</section></section>") + len("</section></section>")
    assert re.findall(r'href="([^"]+)"', nav) == ["#Nilai-&amp;-kerja", "#Versi-data"]
    assert ">Nilai &amp; kerja</a>" in nav and "¶" not in nav and "Ringkasan" not in nav
    assert "Daftar isi" in nav


def test_toc_goes_before_the_first_section_without_a_summary() -> None:
    page = '<h1 id="T">T</h1><p>x</p><h2 id="A">A</h2><p>a</p><h2 id="B">B &lt;b&gt;</h2>'
    out = add_toc(page, title="Contents")
    assert out.index("hilir-toc") < out.index('<h2 id="A">') and out.index("<h1") < out.index(
        "hilir-toc"
    )
    assert "B &lt;b&gt;</a>" in _toc(out)  # heading text stays escaped
    one = '<h2 id="A">A</h2>'
    assert add_toc(one, title="Contents") == one  # a single section needs no contents


def _brief_notebook(headings: list[str]) -> object:
    nb = new_notebook()
    nb.cells.append(new_code_cell('lang = "id"', metadata={"tags": ["parameters"]}))
    for h in headings:
        nb.cells.append(new_markdown_cell(f"## {h}\n\nTeks."))
    return nb


@pytest.mark.parametrize("edition", ["policymaker", "analyst"])
def test_exported_brief_has_contents_of_its_sections(edition: str) -> None:
    page = _export(_brief_notebook(["Nilai ekspor", "Lapangan kerja", "Versi data"]), edition)
    nav = _toc(page)
    assert [re.sub(r"<[^>]+>", "", li) for li in re.findall(r"<li>.*?</li>", nav)] == [
        "Nilai ekspor",
        "Lapangan kerja",
        "Versi data",
    ]
    for anchor in re.findall(r'href="#([^"]+)"', nav):
        assert f'id="{anchor}"' in page
    assert page.index("hilir-toc") < page.index('id="Nilai-ekspor"')
    assert external_references(page) == []


def test_print_css_hides_the_bar_and_the_contents() -> None:
    printed = CSS[CSS.index("@media print") :]
    assert re.search(r"\.hilir-bar, \.hilir-toc \{ display: none; \}", printed)
    assert ".hilir-toc" in CSS[: CSS.index("@media print")]  # shown on screen


@pytest.mark.parametrize("edition", ["policymaker", "analyst"])
def test_every_brief_links_the_same_brief_in_the_other_language(edition: str) -> None:
    file = "01_coffee.html" if edition == "policymaker" else "01_coffee_analyst.html"
    id_links = dict(_links("01_coffee", "id", edition))
    en_links = dict(_links("01_coffee", "en", edition))
    assert id_links[say("edition.other_language", "id")] == f"../en/{file}"
    assert en_links[say("edition.other_language", "en")] == f"../id/{file}"
    assert say("edition.other_language", "id") == "English"
    # a report built in one language only has no link to the other
    assert len(_links("01_coffee", "id", edition, languages=["id"])) == len(id_links) - 1


def test_language_link_is_rendered_in_the_bar() -> None:
    links = _links("01_coffee", "en", "policymaker")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        page = export_html(
            _brief_notebook(["A", "B"]), edition="policymaker", lang="en", title="T", links=links
        )
    bar = page[page.index('<header class="hilir-bar">') : page.index("</header>")]
    assert '<a href="../id/01_coffee.html">Bahasa Indonesia</a>' in bar


def test_a_partial_build_links_the_language_it_keeps(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "01_coffee.html").write_text("x")
    assert _languages_held(tmp_path, "01_coffee", ["id"], partial=True) == ["id", "en"]
    assert _languages_held(tmp_path, "01_coffee", ["id"], partial=False) == ["id"]
    assert _languages_held(tmp_path, "02_spices", ["id"], partial=True) == ["id"]


# ---- 2. developer material in the analyst edition only ---------------------------------------
class Shown(list):
    def __call__(self, bundle, metadata):  # type: ignore[no-untyped-def]
        self.append((dict(bundle), dict(metadata)))


def _vintage_notebook(lang: str) -> tuple[object, Shown]:
    shown = Shown()
    brief = Brief("01_coffee", lang=lang, display=shown)
    brief.sources |= {"bps_lampung_prod_kabkota_2022", "comtrade_idn_nickel_chain", "wiod_niot_idn"}
    brief.vintage()
    nb = new_notebook()
    cell = new_code_cell("brief.vintage()", execution_count=1)
    cell.outputs = [new_output("display_data", data=b, metadata=m) for b, m in shown]
    nb.cells.append(cell)
    return nb, shown


@pytest.mark.parametrize("lang", ["id", "en"])
def test_vintage_commands_are_in_the_analyst_edition_only(lang: str) -> None:
    nb, shown = _vintage_notebook(lang)
    flags = [m for _, m in shown if m]
    assert {ANALYST_ONLY: True} in flags and {POLICYMAKER_ONLY: True} in flags
    policy, analyst = _export(nb, "policymaker", lang), _export(nb, "analyst", lang)
    header = say("vintage.col.update", lang)
    policy_text = re.sub(r"<[^>]+>", "", policy)
    assert "hilir data" not in policy_text and "data/raw" not in policy_text
    assert f"<th>{header}</th>" not in policy
    assert say("vintage.how_to_update_plain", lang).split("**")[-1].strip() in policy_text
    assert "README" in policy_text
    assert f"<th>{header}</th>" in analyst
    assert "<code>hilir data import bps_production " in analyst
    assert "<code>hilir data fetch comtrade</code>" in analyst
    assert "<code>hilir data build</code>" in analyst  # the steps, as code
    assert "data/raw" in analyst
    assert "README" not in re.sub(r"<[^>]+>", "", analyst)  # the plain sentence is not doubled
    assert "`" not in re.sub(r"<(style|script)\b.*?</\1>", "", analyst, flags=re.S)


def test_code_spans_become_code_and_text_stays_escaped() -> None:
    assert code_html("run `hilir data <x>` now") == "run <code>hilir data &lt;x&gt;</code> now"
    assert code_html("one ` tick <b>") == "one ` tick &lt;b&gt;"


def test_index_says_the_pdf_notice_in_each_language_without_commands() -> None:
    entry = BriefEntry("01_coffee", titles={"id": "Kopi", "en": "Coffee"}, files={})
    page = index_html([entry], notice_keys=["index.notice.no_pdf"])
    for lang in ("id", "en"):
        section = page[page.index(f'<section lang="{lang}">') :]
        section = section[: section.index("</section>")]
        assert say("index.notice.no_pdf", lang) in section
    assert "apt-get" not in page


# ---- 3. coverage as years --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("covs", "years"),
    [
        (["1960-01 to 2024-11"], "1960-2024"),  # months are no years
        (["2011-2023"], "2011-2023"),
        (["2005, 2010, 2015"], "2005, 2010, 2015"),  # a list of years is kept
        (["2014", "2015", "2022"], "2014-2022"),
        (["1990/91-2019/20"], "1990-2019"),
        (["2020 (inferred; the source states no year)"], "2020"),
        (["2020-2024 (2024 preliminary); January-May 2024 and 2025 (preliminary)"], "2020-2025"),
        (["HS2022"], "HS2022"),  # a nomenclature, not a year
    ],
)
def test_coverage_reads_as_years(covs: list[str], years: str) -> None:
    assert coverage_text(covs) == years


def test_every_shipped_source_shows_its_coverage_as_years() -> None:
    from hilir.provenance.catalog import input_records

    df = vintage_table([r.key for r in input_records(include_user=False)], "id")
    for cov in df["coverage"]:
        if cov.startswith("HS"):
            continue
        assert re.fullmatch(r"\d{4}((-|, )\d{4})*", cov), cov
        assert all(1800 <= int(y) <= 2100 for y in re.findall(r"\d+", cov)), cov


# ---- 4. citations stay whole ------------------------------------------------------------------
def _tyre_citation() -> str:
    from hilir.value.assumptions import value_assumptions

    a = value_assumptions().set_index("key")
    return str(a.loc["tyre_unit_value", "source"])


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


def test_the_scenario_keeps_the_tyre_citation_whole() -> None:
    import hilir
    from hilir.value.scenarios import scenario

    cite = _tyre_citation()
    assert "; " in cite and _balanced(cite)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = scenario(hilir.load_exports(reporter="IDN"), chain="rubber", year=2020, shares=0.2)
    # the model's own source cell: the key, then the citation whole (not cut at "; ")
    assert set(res["source"]) == {f"faostat_idn_trade+{cite}"}
    keys, cited = split_cited(res["source"].iloc[0], {"faostat_idn_trade"}, known_citations())
    assert keys == ["faostat_idn_trade"] and cited == [cite]
    # so is a user's own citation, which the brief does not know
    mine = "Own survey (2024; 12 firms)"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = scenario(
            hilir.load_exports(reporter="IDN"),
            chain="coffee",
            year=2020,
            shares=0.2,
            processed_unit_value_usd_per_t=(9_000, 10_000, 11_000),
            processed_unit_value_source=mine,
        )
    valid = {"comtrade_idn_coffee_green", "faostat_idn_trade"}
    keys, cited = split_cited(res["source"].iloc[0], valid, known_citations())
    assert keys == sorted(valid) and cited == [mine]
    # a citation holding "+" ("US$-43.8 to +52.6") stays whole too
    palm = next(c for c in known_citations() if "+52.6" in c)
    keys, cited = split_cited(f"faostat_idn_trade+{palm}", {"faostat_idn_trade"}, [palm])
    assert keys == ["faostat_idn_trade"] and cited == [palm]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_overview_tyre_note_is_whole_in_order_and_in_the_brief_language(lang: str) -> None:
    import hilir
    from hilir.brief import overview

    exports = hilir.load_exports(reporter="IDN")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        table = overview.scenario_table(exports, base_years={"rubber": 2020}, share=0.2)
    data, note = separate_citations(table, lang=lang)
    cite = _tyre_citation()
    assert data["cited_source"].tolist() == [cite]
    assert data["source"].tolist() == ["faostat_idn_trade"]
    # the note says, in the brief's language, that the figures rest on one cited text and
    # where it is; the research-note citation itself (English, "CHECK" flags) is in the annex
    assert note == say("note.cited_assumption", lang, n="1")
    assert "Reifenpresse" not in note and ("lampiran Excel" in note) == (lang == "id")


def test_unknown_cited_texts_keep_their_order() -> None:
    frame = pd.DataFrame({"source": ["faostat_idn_trade+Tyre makers 2018+Glove makers 2019"]})
    out, note = separate_citations(frame, lang="en")
    assert out["cited_source"].tolist() == ["Tyre makers 2018 + Glove makers 2019"]
    assert note == say("note.cited_assumption", "en", n="2")
