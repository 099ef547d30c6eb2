"""The June 2026 Pink Sheet vintage shipped in data/raw/pinksheet: golden values, vintages.

Golden values are the cells of the World Bank's own workbook
(``CMO-Historical-Data-Monthly_2026-06-02.xlsx``, sheet "Monthly Prices", row 803 = 2026M05)
as read by hilir; the briefs quote these as the newest month of world prices.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import hilir
from hilir.errors import HilirDataError
from hilir.prices import annual_price
from hilir.provenance.sidecar import read_sidecar
from hilir.sources.pinksheet import keep_newest_vintage, read_pinksheet

RAW = Path(__file__).resolve().parents[1] / "data" / "raw" / "pinksheet"
MONTHLY_2026 = RAW / "CMO-Historical-Data-Monthly_2026-06-02.xlsx"
MONTHLY_2024 = RAW / "pinksheet_monthly_selected_long.csv"
ANNUAL_2025 = RAW / "pinksheet_annual_2025-05-02_long.csv"
OLD_KEYS = ("wb_pinksheet_monthly", "wb_pinksheet_annual", "wb_pinksheet_annual_workbook")

#: 2026M05 in the workbook (World Bank, updated 2 June 2026), unit as published.
MAY_2026 = {
    "COFFEE_ROBUS": (3.67, "USD/kg"),
    "COFFEE_ARABIC": (6.95, "USD/kg"),
    "PALM_OIL": (1139.94, "USD/t"),
    "NICKEL": (18805.77, "USD/t"),
    "TIN": (53562.79, "USD/t"),
    "COPPER": (13543.19, "USD/t"),
    "RUBBER_TSR20": (2.21, "USD/kg"),
}


@pytest.fixture(scope="module")
def monthly_2026() -> pd.DataFrame:
    return read_pinksheet(MONTHLY_2026, source="wb_pinksheet_monthly_2026", vintage="2026-06-02")


@pytest.fixture(scope="module")
def prices() -> pd.DataFrame:
    return hilir.load_prices()


def _at(df: pd.DataFrame, series: str, year: int, month: int | None) -> pd.Series:
    sel = df[(df["series"] == series) & (df["year"] == year)]
    sel = sel[sel["month"].isna()] if month is None else sel[sel["month"] == month]
    assert len(sel) == 1, (series, year, month, len(sel))
    return sel.iloc[0]


@pytest.mark.parametrize("series", sorted(MAY_2026))
def test_may_2026_golden_values_from_the_workbook(monthly_2026, series):
    """The seven prices the briefs quote for May 2026, read from the unmodified workbook
    through its new layout (names row 5, units row 6, no codes row): names map to the
    2024 codes ('Rubber, TSR20 **' -> RUBBER_TSR20), units stay as published (USD/kg for
    coffee and rubber, USD/t for palm oil and metals)."""
    price, unit = MAY_2026[series]
    row = _at(monthly_2026, series, 2026, 5)
    assert row["price"] == pytest.approx(price, abs=1e-9)
    assert row["unit"] == unit


def test_the_new_layout_reads_every_price_series(monthly_2026):
    """71 names on row 5, all known to SERIES_CODES; periods 1960M01 to 2026M05."""
    assert monthly_2026["series"].nunique() == 71
    last = monthly_2026.sort_values(["year", "month"]).iloc[-1]
    assert (last["year"], last["month"]) == (2026, 5)
    assert _at(monthly_2026, "RUBBER1_MYSG", 2026, 5)["series_name"] == "Rubber, RSS3"


def test_load_prices_runs_to_may_2026_from_the_new_vintage(prices):
    monthly = prices[prices["month"].notna()].sort_values(["year", "month"])
    assert (monthly["year"].iloc[-1], monthly["month"].iloc[-1]) == (2026, 5)
    for series, (price, _unit) in MAY_2026.items():
        row = _at(prices, series, 2026, 5)
        assert row["price"] == pytest.approx(price, abs=1e-9)
        assert row["source"] == "wb_pinksheet_monthly_2026"


def test_no_series_and_period_appears_twice_in_load_prices(prices):
    """Five files feed the prices table (three vintages); each observation comes from one."""
    dup = prices.duplicated(["series", "year", "month"], keep=False)
    assert not dup.any(), prices.loc[dup, ["series", "year", "month", "source"]].head()


def test_newest_vintage_wins_and_older_files_keep_nothing(prices):
    """Every series and period of the 2024 vintages is in a newer file: they add no row."""
    sources = set(prices["source"])
    assert sources == {"wb_pinksheet_monthly_2026", "wb_pinksheet_annual_2025"}
    assert not sources & set(OLD_KEYS)
    annual = prices[prices["month"].isna()]
    assert set(annual["source"]) == {"wb_pinksheet_annual_2025"}


def test_overlapping_months_of_the_two_vintages_agree_to_rounding(monthly_2026):
    """Where the December 2024 and June 2026 vintages overlap (18 series, 1960M01-2024M11,
    12,714 months), the 2026 values are the 2024 ones rounded to two decimals: at most
    0.005 apart in the published unit, which is up to 1.5 % for prices of a few tenths of
    a dollar per kg (RSS3 rubber 1971M11: 0.3153 -> 0.32, 1.49 %); metals in USD/t agree to
    the cent. The documented tolerance is 1.5 %."""
    old = read_pinksheet(MONTHLY_2024, source="wb_pinksheet_monthly")
    both = old.merge(monthly_2026, on=["series", "year", "month"], suffixes=("_old", ""))
    assert len(both) == len(old) == 12714
    rel = (both["price"] / both["price_old"] - 1).abs()
    assert rel.max() <= 0.015
    assert (both["price"] - both["price_old"]).abs().max() <= 0.005 + 1e-9
    metals = both[both["series"].isin(["NICKEL", "TIN", "COPPER", "ALUMINUM"])]
    assert (metals["price"] - metals["price_old"]).abs().max() <= 0.005 + 1e-9
    assert (rel[both["unit"] == "USD/t"]).max() < 1e-3


def test_keep_newest_vintage_is_per_observation():
    """Newer vintage wins per (series, period); an observation only the older file has is
    kept; at equal vintage the workbook wins over a derived CSV."""

    class Rec:
        def __init__(self, key, file, vintage):
            self.key, self.file, self.accessed = key, file, "2026-12-01"
            self.reader_args = {"vintage": vintage}

    table = pd.DataFrame(
        {
            "series": ["NICKEL", "NICKEL", "NICKEL", "TIN", "TIN"],
            "year": [2024, 2024, 2023, 2023, 2023],
            "month": pd.array([1, 1, 1, pd.NA, pd.NA], dtype="Int64"),
            "price": [16000.0, 16000.01, 21000.0, 25000.0, 25000.0],
            "source": ["old", "new", "old", "csv", "book"],
        }
    )
    records = [
        Rec("old", "a.csv", "2024-12-03"),
        Rec("new", "b.xlsx", "2026-06-02"),
        Rec("csv", "c.csv", "2024-07-02"),
        Rec("book", "d.xlsx", "2024-07-02"),
    ]
    out = keep_newest_vintage(table, records)
    assert len(out) == 3
    assert out.loc[(out["series"] == "NICKEL") & (out["year"] == 2024), "source"].item() == "new"
    assert out.loc[(out["series"] == "NICKEL") & (out["year"] == 2023), "source"].item() == "old"
    assert out.loc[out["series"] == "TIN", "source"].item() == "book"
    with pytest.raises(HilirDataError, match="unknown inputs"):
        keep_newest_vintage(table, records[:2])


def test_sidecar_vintage_must_match_the_workbook_title():
    """A sidecar stating another vintage than the sheet's 'Updated on' cell (A4) is caught."""
    with pytest.raises(HilirDataError) as err:
        read_pinksheet(MONTHLY_2026, vintage="2024-12-03")
    assert (err.value.row, err.value.column) == (4, "A")
    assert "June 02, 2026" in str(err.value)
    with pytest.raises(HilirDataError, match="YYYY-MM-DD"):
        read_pinksheet(MONTHLY_2026, vintage="June 2026")


def test_sidecars_state_their_vintages():
    vintages = {
        read_sidecar(p).key: read_sidecar(p).reader_args.get("vintage")
        for p in RAW.glob("*.provenance.yaml")
    }
    assert vintages == {
        "wb_pinksheet_monthly_2026": "2026-06-02",
        "wb_pinksheet_annual_2025": "2025-05-02",
        "wb_pinksheet_monthly": "2024-12-03",
        "wb_pinksheet_annual": "2024-07-02",
        "wb_pinksheet_annual_workbook": "2024-07-02",
    }


def test_annual_price_leaves_out_the_partial_year_2026(prices):
    """The one annual-price rule: published averages (the 2025 vintage, to 2024), else the
    mean of twelve months (2025, from the June 2026 workbook); 2026 has five months
    (January-May) and no annual price."""
    robusta = annual_price(prices, "COFFEE_ROBUS").set_index("year")
    assert robusta.index.max() == 2025 and 2026 not in robusta.index
    months_2025 = prices[(prices["series"] == "COFFEE_ROBUS") & (prices["year"] == 2025)]
    assert months_2025["month"].nunique() == 12
    assert robusta.loc[2025, "price"] == pytest.approx(months_2025["price"].mean())
    assert robusta.loc[2024, "source"] == "wb_pinksheet_annual_2025"
    months_2026 = prices[(prices["series"] == "COFFEE_ROBUS") & (prices["year"] == 2026)]
    assert sorted(months_2026["month"]) == [1, 2, 3, 4, 5]


def test_annual_price_partial_year_rule_on_a_small_table():
    """Eleven months and no published average: no annual price for that year."""
    rows = [(2025, m, 10.0) for m in range(1, 13)] + [(2026, m, 20.0) for m in range(1, 12)]
    table = pd.DataFrame(rows, columns=["year", "month", "price"])
    table = table.assign(series="X", unit="USD/t", basis="b", source="s")
    table["month"] = table["month"].astype("Int64")
    out = annual_price(table, "X")
    assert out["year"].tolist() == [2025] and out["price"].tolist() == [10.0]


def test_muv_deflator_to_2024_from_the_2025_vintage(prices):
    """MUV (2010 = 100) from the 2 May 2025 annual workbook: 2024 = 115.10 (new), and the
    World Bank's revision of 2022-2023 (117.45, 114.10; 110.4 and 111.3 in July 2024) wins."""
    muv = annual_price(prices, "MUV").set_index("year")["price"]
    assert muv[2010] == pytest.approx(100.0)
    assert muv[2024] == pytest.approx(115.10)
    assert muv[2023] == pytest.approx(114.10)
    assert muv[2022] == pytest.approx(117.45)
    extract = read_pinksheet(ANNUAL_2025, source="x", vintage="2025-05-02")
    assert extract["year"].max() == 2024 and len(extract) == 4098
