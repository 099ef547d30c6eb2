"""Rupiah beside US dollars (issue 15): the cited rate table, its derivation, the formatter
and the sentences that use it, always at the average rate of the value's own year."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pandas as pd
import pytest

import hilir
from hilir.brief import narrative as N
from hilir.brief.narrative.rupiah import rupiah_clause
from hilir.data.jobs_inputs import ecb_usd_idr_annual, usd_idr_rate, usd_idr_rates
from hilir.errors import HilirDataError
from hilir.i18n.units import format_idr_of_usd, rupiah_at_rate
from hilir.markets.ports import lampung_ports_summary
from hilir.sources.bps_ports import read_bps_chapter_totals, read_bps_port_exports

RAW = Path(__file__).resolve().parent.parent / "data" / "raw" / "bps_ports"
PORTS = RAW / "lampung_ports_PANJANG_TARAHAN_exports_by_destination_hs09_hs15_hs21_2023_2025.csv"
NATIONAL = RAW / "bps_exim_national_exports_hs01-24_2023_2025__chapter_tahun.csv"
#: The clause's year and rate, as the catalogue writes them in English.
RATE_EN = re.compile(r"at the (\d{4}) average rate of Rp([\d,]+) per US\$")

# ---- the table ----------------------------------------------------------------------


def test_table_covers_every_year_2005_2025_with_a_range_and_the_ecb_source() -> None:
    t = usd_idr_rates()
    assert list(t["year"]) == list(range(2005, 2026))
    assert (t["low"] <= t["idr_per_usd"]).all() and (t["idr_per_usd"] <= t["high"]).all()
    assert (t["low"] < t["high"]).all()  # a real spread within each year, not a copy
    assert t["source"].str.contains("European Central Bank").all()
    assert t["source"].str.contains("eurofxref-hist, last date 2026-10-30").all()
    assert not t["status"].str.contains("to verify").any()
    assert "partial year" in t.loc[t["year"] == 2005, "status"].iloc[0]
    assert not t.loc[t["year"] > 2005, "status"].str.contains("partial").any()


def test_rates_2020_2024_as_computed_from_the_ecb_file() -> None:
    """Means of daily IDR/EUR over USD/EUR (ECB eurofxref-hist, 2026-10-30)."""
    want = {2020: 14562.6, 2021: 14307.0, 2022: 14853.9, 2023: 15243.7, 2024: 15854.9}
    for year, rate in want.items():
        got, source = usd_idr_rate(year)
        assert got == pytest.approx(rate, abs=0.05)
        assert "European Central Bank" in source and "computed" in source


@pytest.mark.parametrize("year", [2004, 2026, 1999])
def test_a_year_outside_the_table_is_a_clear_error(year: int) -> None:
    with pytest.raises(
        HilirDataError, match=rf"no rupiah per US dollar rate for {year}.*2005-2025"
    ):
        usd_idr_rate(year)


def test_ecb_derivation_by_hand(tmp_path: Path) -> None:
    """Cross rate = IDR/EUR / USD/EUR each day; N/A days skipped; monthly means bound it.

    Jan 2020: 15000/1.0 = 15000 and 15400/1.1 = 14000 -> mean 14500; Feb: 16200/1.2 =
    13500. Year mean (15000 + 14000 + 13500) / 3 = 14166.67; low 13500 (Feb), high 14500
    (Jan). 2021: one day, 14300/1.0.
    """
    csv = tmp_path / "eurofxref-hist.csv"
    csv.write_text(
        "Date,USD,JPY,IDR,\n"
        "2021-03-01,1.0,130,14300,\n"
        "2020-02-03,1.2,N/A,16200,\n"
        "2020-01-15,N/A,120,15100,\n"
        "2020-01-03,1.1,120,15400,\n"
        "2020-01-02,1.0,120,15000,\n"
        "2019-12-31,1.1,120,N/A,\n"
    )
    t = ecb_usd_idr_annual(csv).set_index("year")
    assert list(t.index) == [2020, 2021]
    assert t.loc[2020, "idr_per_usd"] == pytest.approx(42500 / 3)
    assert t.loc[2020, "low"] == pytest.approx(13500)
    assert t.loc[2020, "high"] == pytest.approx(14500)
    assert t.loc[2020, "days"] == 3
    assert (t.loc[2020, "first"], t.loc[2020, "last"]) == ("2020-01-02", "2020-02-03")
    assert t.loc[2021, "idr_per_usd"] == pytest.approx(14300)


def test_ecb_derivation_refuses_a_file_without_idr(tmp_path: Path) -> None:
    csv = tmp_path / "x.csv"
    csv.write_text("Date,USD\n2020-01-02,1.1\n")
    with pytest.raises(HilirDataError, match="IDR"):
        ecb_usd_idr_annual(csv)


# ---- the formatter --------------------------------------------------------------------


def test_worked_example_both_languages() -> None:
    """US$39.3 million of 2020 x Rp 14,562.6 per US$ (table, 2020) = Rp 572.3 billion."""
    rate, _ = usd_idr_rate(2020)
    assert rate * 39.3e6 == pytest.approx(572.31e9, rel=1e-4)
    assert rupiah_at_rate(39.3e6, idr_per_usd=rate, year=2020, lang="en") == (
        "about Rp572 billion at the 2020 average rate of Rp14,563 per US$, from ECB reference rates"
    )
    assert rupiah_at_rate(39.3e6, idr_per_usd=rate, year=2020, lang="id") == (
        "sekitar Rp572 miliar dengan kurs rata-rata 2020 sebesar Rp14.563 per US$, "
        "dari kurs referensi ECB"
    )


def test_bps_style_amounts() -> None:
    """0.58 bn x 14,562.6 = 8.446 trillion; 3 significant figures, BPS separators."""
    assert format_idr_of_usd(0.58e9, idr_per_usd=14_562.6, lang="id") == "Rp8,4 triliun"
    assert format_idr_of_usd(0.58e9, idr_per_usd=14_562.6, lang="en") == "Rp8.4 trillion"
    assert format_idr_of_usd(-2e6, idr_per_usd=15_854.9, lang="id") == "-Rp31,7 miliar"
    assert format_idr_of_usd(2e6, idr_per_usd=15_854.9, lang="en", signed=True) == (
        "+Rp31.7 billion"
    )
    with pytest.raises(HilirDataError):
        format_idr_of_usd(1e6, idr_per_usd=0.0, lang="en")
    with pytest.raises(HilirDataError):
        format_idr_of_usd(None, idr_per_usd=15_000.0, lang="en")  # type: ignore[arg-type]


def test_clause_uses_the_rate_of_the_values_year_and_says_when_there_is_none() -> None:
    for year in (2010, 2015, 2024):
        text = rupiah_clause(1e9, year=year, lang="en")
        got_year, shown = RATE_EN.search(text).groups()  # type: ignore[union-attr]
        assert int(got_year) == year
        assert float(shown.replace(",", "")) == round(usd_idr_rate(year)[0])
    assert rupiah_clause(1e9, year=2030, lang="en") == (
        "no rupiah value: the exchange-rate table has no 2030 average rate"
    )
    assert "2030" in rupiah_clause(1e9, year=2030, lang="id")


# ---- the sentences ------------------------------------------------------------------


def _rate_cited_once_for(text: str, year: int, usd: float) -> None:
    """One rate in ``text``, of ``year``, and the rupiah amount of ``usd`` at that rate."""
    hits = RATE_EN.findall(text)
    assert len(hits) == 1, text
    assert int(hits[0][0]) == year
    rate = usd_idr_rate(year)[0]
    assert f"about {format_idr_of_usd(usd, idr_per_usd=rate, lang='en')} at the" in text.replace(
        "about +", "about "
    )


def test_ports_sentence_in_rupiah_at_the_same_years_rate() -> None:
    table = pd.concat(
        [read_bps_port_exports(PORTS), read_bps_chapter_totals(NATIONAL)], ignore_index=True
    )
    summary = lampung_ports_summary(table)
    for year in (2024, 2025):
        row = summary[(summary["hs2"] == "09") & (summary["year"] == year)].iloc[0]
        text = N.ports_lead(summary, lang="en", hs2="09", year=year)
        _rate_cited_once_for(text, year, float(row["value_usd"]))
        assert "dengan kurs rata-rata " + str(year) in N.ports_lead(
            summary, lang="id", hs2="09", year=year
        )


def test_bank_indonesia_sentence_converts_the_latest_year_only() -> None:
    annual = pd.DataFrame(
        {"year": [2019, 2024], "value": [5.0e8, 1.0e9], "preliminary": [False, True]}
    )
    text = N.bi_extension(annual, lang="en", group="Coffee bean", trade_last_year=2020)
    _rate_cited_once_for(text, 2024, 1.0e9)
    assert "Rp15.9 trillion" in text  # 1.0 bn x 15,854.9
    text_id = N.bi_extension(annual, lang="id", group="Coffee bean")
    assert "sekitar Rp15,9 triliun dengan kurs rata-rata 2024 sebesar Rp15.855 per US$" in text_id


def test_scenario_sentence_converts_the_central_value_added_at_the_scenario_year() -> None:
    from hilir.value import io_value_added_shares, scenario, scenario_summary

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        va = io_value_added_shares(hilir.load_io_table("IDN"))
        exports = hilir.load_exports(reporter="IDN")
        res = scenario(exports, chain="coffee", year=2020, shares=[0.2], value_added=va)
    summ = scenario_summary(res).set_index("bound")
    central = float(summ.loc["central", "delta_domestic_va_usd"])
    text = N.scenario_range(res, lang="en", share=0.2)
    _rate_cited_once_for(text, 2020, central)
    assert "(central +US$39.3 million, about +Rp" in text
    text_id = N.scenario_range(res, lang="id", share=0.2)
    assert "dengan kurs rata-rata 2020 sebesar Rp14.563 per US$" in text_id
