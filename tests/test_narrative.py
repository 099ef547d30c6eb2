"""Generated prose: golden numbers the briefs quote, both languages, and honest refusals.

The golden figures are read from the shipped data (UN Comtrade, FAOSTAT, BPS Lampung, the
published Lampung totals); if a snapshot changes, these tests say which quoted number moved.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pytest

import hilir
from hilir.brief import narrative as N
from hilir.brief.texts import has, say, sentences
from hilir.errors import HilirDataError


@lru_cache(maxsize=1)
def _exports() -> pd.DataFrame:
    return hilir.load_exports(reporter="IDN")


@lru_cache(maxsize=1)
def _ferronickel() -> pd.DataFrame:
    from hilir.policy import trade_series

    return trade_series(_exports(), hs_code="720260")


@contextmanager
def _quiet() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


# ---- golden numbers -------------------------------------------------------------------


def test_golden_ferronickel_export_values() -> None:
    """UN Comtrade HS 720260, Indonesia to world: 2013, 2019 and 2020 (USD)."""
    s = _ferronickel().set_index("year")["value"]
    assert s.loc[2013] == pytest.approx(232_038_214.0, rel=1e-12)
    assert s.loc[2019] == pytest.approx(2_595_556_910.0, rel=1e-12)
    assert s.loc[2020] == pytest.approx(4_739_112_331.0, rel=1e-12)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "id",
            "Ekspor feronikel Indonesia naik dari US$232,0 juta pada 2013 menjadi US$2,6 "
            "miliar pada 2019 (11,2 kali) setelah larangan ekspor bijih nikel mentah "
            "(12 Januari 2014).",
        ),
        (
            "en",
            "Indonesia's ferronickel exports rose from US$232.0 million in 2013 to US$2.6 "
            "billion in 2019 (11.2 times) after the nickel ore export ban (12 January 2014).",
        ),
    ],
)
def test_golden_policy_jump_sentence(lang: str, expected: str) -> None:
    text = N.policy_jump(
        _ferronickel(), lang=lang, item="ferronickel", event="nickel_ore_ban_2014", year_to=2019
    )
    assert text == expected


def test_golden_nickel_processed_share() -> None:
    from hilir.value import processing_share

    ps = processing_share(_exports(), chain="nickel")
    assert N.processing_share_change(ps, lang="en", chain="nickel") == (
        "In Indonesia, the share of nickel exports that left as intermediate or processed goods "
        "(by value) rose from 49.0% in 1989 to 100.0% in 2020."
    )


def test_golden_coffee_exports_and_combined_items() -> None:
    from hilir.value import processing_share

    with _quiet():
        ps = processing_share(_exports(), chain="coffee")
    text = N.export_total(_exports(), ps, lang="en", chain="coffee")
    assert text.startswith("In 2020, Indonesia's coffee exports were worth US$1.3 billion.")
    assert "US$821.9 million of Indonesia's coffee exports whose stage is known" in text
    assert "98.5% left as raw material" in text
    assert "US$524.4 million are combined items (coffee extracts and preparations)" in text


def test_golden_lampung_published_totals() -> None:
    text = N.published_exports(hilir.load_published(), lang="id")
    assert "32 bulan antara Februari 2013 dan Oktober 2023" in text
    assert "ekspor total Lampung bernilai US$437,7 juta pada Oktober 2023" in text
    assert "US$639,8 juta (Oktober 2022)" in text


def test_golden_lampung_robusta_regencies() -> None:
    text = N.regency_top(hilir.load_production(), lang="en", crop="coffee_robusta")
    assert text == (
        "In 2022, Lampung Barat (47%), Tanggamus (31%) and Lampung Utara (9%) produced the "
        "largest shares of Lampung's smallholder robusta coffee output (regencies and cities "
        "together: 118,139 tonnes)."
    )


def test_golden_coffee_scenario_2020() -> None:
    from hilir.value import scenario

    with _quiet():
        res = scenario(_exports(), chain="coffee", year=2020, shares=[0.2])
    assert N.scenario_range(res, lang="en", share=0.2) == (
        "If 20% of Indonesia's 2020 green coffee exports were processed at home into roasted "
        "coffee, export value would change by between -US$11.3 million and +US$57.6 million a "
        "year (central +US$48.2 million; unit values from trade data): the sign depends on the "
        "assumptions."
    )


def test_golden_lampung_coffee_jobs() -> None:
    """Lampung robusta production 2017, 20 % roasted at home; BPS Lampung 2010 IO table."""
    from hilir.brief.lampung import production_scenario
    from hilir.jobs import jobs_from_scenario
    from hilir.value import scenario_changes

    with _quiet():
        res = production_scenario(
            _exports(), hilir.load_production(), crop="coffee_robusta", year=2017, shares=[0.2]
        )
        jobs = jobs_from_scenario(scenario_changes(res), geography="ID-LA")
    assert float(res["baseline_t"][res["role"] == "raw"].iloc[0]) == 107_183.0
    tot = jobs[jobs["kind"] == "total"]
    total = dict(zip(tot["bound"].astype(str), tot["jobs"].astype(float), strict=True))
    assert total["low"] == pytest.approx(2270.68, abs=0.01)
    assert total["central"] == pytest.approx(2666.51, abs=0.01)
    assert total["high"] == pytest.approx(5059.89, abs=0.01)
    text = N.jobs_range(jobs, lang="en")
    assert text.startswith("The coffee scenario could add 2.3–5.1 thousand jobs in Lampung")
    assert "central 2.7 thousand" in text
    scen = N.scenario_range(res, lang="id", share=0.2)
    assert scen.startswith(
        "Jika 20% produksi kopi biji mentah Lampung tahun 2017 diolah di Lampung"
    )
    assert "US$4,7–12,5 juta per tahun" in scen and "nilai satuan Indonesia" in scen


def test_impossible_jobs_bound_is_said_not_hidden() -> None:
    """Lampung coffee 2020: at the low bound roasted coffee is worth less than the green beans."""
    from hilir.brief.lampung import production_scenario
    from hilir.jobs import jobs_from_scenario
    from hilir.value import scenario_changes

    with _quiet():
        res = production_scenario(
            _exports(), hilir.load_production(), crop="coffee", year=2020, shares=[0.2]
        )
        jobs = jobs_from_scenario(scenario_changes(res), geography="ID-LA")
    text = N.jobs_range(jobs, lang="en")
    assert "The low bound is not computed" in text
    assert "4.0–6.2 thousand jobs in Lampung" in text


def test_golden_nickel_decomposition() -> None:
    from hilir.value import decompose_growth

    dg = decompose_growth(_exports(), chain="nickel", year_from=2005, year_to=2019)
    assert N.decomposition(dg, lang="en") == (
        "Indonesia's nickel export value changed by +US$7.1 billion between 2005 and 2019: "
        "+US$5.3 billion from volume (raw-equivalent tonnes), +US$1.7 billion from the shift "
        "towards processed products and +US$74.8 million from prices."
    )


# ---- behaviour ------------------------------------------------------------------------


#: Digits allowed in templates: an encoding name and the definitions of two unit columns.
_ALLOWED = ("UTF-8", "0-1", "0,5 = 50%", "0.5 = 50%", "1-12")


def test_sentences_never_hold_typed_numbers() -> None:
    """Templates carry placeholders, not figures (dates and shares come from the data)."""
    for key, msg in sentences().items():
        for text in (msg.id, msg.en):
            bare = re.sub(r"\{[a-z_0-9]+\}", "", text)
            bare = re.sub(r"`[^`]*`", "", bare)
            for token in _ALLOWED:
                bare = bare.replace(token, "")
            assert not re.search(r"\d", bare), (key, text)


def test_every_referenced_text_key_exists() -> None:
    src = Path(__file__).resolve().parent.parent / "src" / "hilir" / "report"
    keys = set()
    for path in src.rglob("*.py"):
        keys |= set(re.findall(r'say\(\s*"([a-z_.\-A-Z0-9]+)"', path.read_text(encoding="utf-8")))
        keys |= set(re.findall(r'\.t\(\s*"([a-z_.\-A-Z0-9]+)"', path.read_text(encoding="utf-8")))
    nb = Path(__file__).resolve().parent.parent / "notebooks"
    for path in nb.glob("*.ipynb"):
        text = path.read_text(encoding="utf-8")
        keys |= set(re.findall(r'brief\.t\(\\?"([a-z_.\-]+)', text))
        keys |= {"section." + k for k in re.findall(r'brief\.heading\(\\"([a-z_]+)', text)}
    missing = sorted(k for k in keys if not has(k))
    assert missing == []


def test_scenario_range_needs_a_share_of_the_result() -> None:
    from hilir.value import scenario

    with _quiet():
        res = scenario(_exports(), chain="coffee", year=2020, shares=[0.1])
    with pytest.raises(HilirDataError, match=r"no share 0.3; shares: \[0.1\]"):
        N.scenario_range(res, lang="id", share=0.3)


def test_scenario_without_data_says_so() -> None:
    from hilir.value import scenario

    with _quiet():
        res = scenario(_exports(), chain="tin", year=2020, shares=[0.2])
    assert N.scenario_range(res, lang="en", share=0.2) == say(
        "say.scenario.none", "en", chain="tin"
    )


def test_series_change_refuses_missing_years() -> None:
    with pytest.raises(HilirDataError, match=r"no value for \[1950\]"):
        N.series_change(_ferronickel(), lang="en", item="ferronickel", year_from=1950, year_to=2019)


def test_data_gap_names_what_is_missing() -> None:
    assert N.data_gap(_exports(), lang="en", chain="tin") == "The shipped data hold no tin exports."
    text = N.data_gap(_exports(), lang="id", chain="rubber")
    assert "ban" in text and "sarung tangan karet" in text
    assert N.data_gap(_exports(), lang="en", chain="nickel") is None


def test_event_items_filter_and_dates() -> None:
    from hilir.policy import policy_events

    items = N.event_items(policy_events(), lang="id", chains=["palm_oil"])
    assert any(i.startswith("**28 April 2022 s.d. 23 Mei 2022** (kelapa sawit)") for i in items)
    assert all("kelapa sawit" in i for i in items)


def test_events_after_data_lists_only_later_events() -> None:
    from hilir.policy import policy_events

    text = N.events_after_data(policy_events(), lang="en", chains=["palm_oil"], last_year=2020)
    assert text.startswith("The shipped data end in 2020")
    assert "28 April 2022" in text and "2015" not in text
    assert (
        N.events_after_data(policy_events(), lang="en", chains=["palm_oil"], last_year=2030) is None
    )


def test_languages_are_checked() -> None:
    with pytest.raises(HilirDataError, match="lang must be"):
        N.percent(0.2, lang="fr")


def test_its_effect_reports_ratio_and_caveats() -> None:
    from hilir.policy import fit_its

    with _quiet():
        fit = fit_its(
            _ferronickel(), events=["nickel_ore_ban_2014", "nickel_ore_ban_2020"], scale="log"
        )
    text = N.its_effect(fit, lang="en", item="ferronickel")
    assert "in 2020 (US$4.7 billion) was 9.7 times the no-policy trend" in text
    assert "indicative only" in text  # one year after the 2020 ban: low power
