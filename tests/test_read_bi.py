"""Bank Indonesia exports by commodity group: reader, golden values, mapping, chain series.

The shipped extract is ``data/raw/bi/bi_exports_by_commodity_2020_2025m5.csv``, the table
"Exports by Sector" of the Republic of Indonesia's Form 18-K/A, Exhibit 99.D (2025), source
Bank Indonesia, thousand USD, balance-of-payments basis, P = preliminary. The golden values
below are the table's printed figures; the cross-checks read the other shipped extracts
(FAOSTAT, BPS) through their own readers, never the upstream folder.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from hilir.errors import HilirDataError
from hilir.provenance.sidecar import read_sidecar
from hilir.schema.tables import BI_EXPORTS, TABLES
from hilir.sources.bi import BASIS, read_bi_exports
from hilir.sources.catalog import BUILT_TABLES, READERS
from hilir.value.bi_series import BASIS as SERIES_BASIS
from hilir.value.bi_series import (
    bi_chain_series,
    bi_groups,
    bi_trade_series,
    validate_bi_groups,
)

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
BI_FILE = RAW / "bi" / "bi_exports_by_commodity_2020_2025m5.csv"
FIXTURE = Path(__file__).parent / "fixtures" / "bi" / "bi_exports_small.csv"


@pytest.fixture(scope="module")
def bi() -> pd.DataFrame:
    return read_bi_exports(BI_FILE)


def _value(bi: pd.DataFrame, commodity: str, year: int, period: str = "annual") -> pd.Series:
    rows = bi[(bi["commodity"] == commodity) & (bi["year"] == year) & (bi["period"] == period)]
    assert len(rows) == 1, (commodity, year, period)
    return rows.iloc[0]


# --- reader: layout and golden values --------------------------------------------------------


def test_reads_the_shipped_extract_into_its_own_table(bi):
    assert list(bi.columns) == BI_EXPORTS.names
    assert len(bi) == 70 * 7  # 70 commodity lines, 7 period columns
    assert set(bi["basis"]) == {BASIS}
    assert "not HS" in BASIS
    assert set(bi["source"]) == {"bi_exports_by_commodity"}
    info = READERS["bi_exports"]
    assert info.table == "bi_exports" != "trade"
    assert "bi_exports" in BUILT_TABLES and TABLES["bi_exports"] is BI_EXPORTS


def test_palm_oils_2020_is_the_printed_total(bi):
    """Issue 14's golden value: Bank Indonesia palm oils 2020 = 18,390,249 thousand USD.

    Thousand USD -> USD: 18,390,249 x 1,000. 2020 is a final (not preliminary) figure.
    """
    row = _value(bi, "Palm oils", 2020)
    assert row["value_usd"] == 18_390_249_000.0
    assert not row["preliminary"]
    assert (row["month_from"], row["month_to"]) == (1, 12)


def test_coffee_bean_2023_matches_the_bps_coffee_table_within_0_2_percent(bi):
    """BI coffee bean 2023 = 915,636 k$; the BPS coffee (HS 0901) table total is 916,578.7 k$
    (PROVENANCE of both folders): 0.10 % apart, within the 0.2 % the provenance note states."""
    value = _value(bi, "Coffee bean", 2023)["value_usd"]
    assert value == 915_636_000.0
    assert abs(value / 916_578_700.0 - 1) < 0.002


def test_copper_ore_2024_equals_the_shipped_bps_table(bi):
    """BI copper ore 2024P = 7,969,176 k$; the shipped BPS copper-ore table says 7,969,174.6 k$
    for 2024 (the same customs flow; 1.4 k$ apart, rounding)."""
    row = _value(bi, "Copper ore", 2024)
    assert row["value_usd"] == 7_969_176_000.0 and row["preliminary"]
    rec = read_sidecar(
        RAW / "bps" / "bps_exports_copper_ore_by_destination_2012_2024.csv.provenance.yaml"
    )
    bps = READERS[rec.reader].function()(rec.data_path, source=rec.key, **rec.reader_args)
    world = bps[(bps["year"] == 2024) & (bps["partner"] == "WLD")]["value_usd"].sum()
    assert abs(row["value_usd"] - world) < 5_000  # USD; the two print to the thousand


def test_nickel_2024_is_preliminary_and_the_partial_year_is_marked(bi):
    """Nickel (about HS 75) 2024P = 7,983,095 k$; January-May 2025P = 3,361,603 k$."""
    row = _value(bi, "Nickel", 2024)
    assert row["value_usd"] == 7_983_095_000.0 and row["preliminary"]
    jm = _value(bi, "Nickel", 2025, "jan-may")
    assert jm["value_usd"] == 3_361_603_000.0
    assert (jm["month_from"], jm["month_to"], jm["preliminary"]) == (1, 5, True)
    assert bi.loc[bi["period"] == "jan-may", "year"].max() == 2025


def test_line_types_keep_totals_and_of_which_lines_out_of_item_sums(bi):
    lines = bi[bi["year"] == 2020].set_index("commodity")["line"]
    assert lines["Total Agricultural products"] == "total"
    assert lines["General merchandise"] == "total" and lines["Total Exports"] == "total"
    assert lines["o/w Liquefied Natural Gas"] == "of_which"
    assert lines["Non-oil & gas exports"] == "memo"
    assert lines["Coffee bean"] == "item"
    # items of the three sectors + other merchandise + other goods = total exports (+-rounding)
    for year in (2020, 2024):
        y = bi[(bi["year"] == year) & (bi["period"] == "annual")]
        items = y.loc[y["line"] == "item", "value_usd"].sum()
        total = y.loc[y["commodity"] == "Total Exports", "value_usd"].iloc[0]
        assert abs(items - total) <= 60 * 1_000  # 60 items rounded to the thousand


def test_the_dash_is_empty_not_zero(bi):
    row = _value(bi, "Other metal ore", 2025, "jan-may")
    assert pd.isna(row["value_usd"])


# --- reader: bad inputs ----------------------------------------------------------------------


def _edited(tmp_path: Path, edit) -> Path:
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "bi.csv"
    path.write_text("\n".join(edit(lines)) + "\n", encoding="utf-8")
    return path


def test_the_fixture_reads(tmp_path):
    out = read_bi_exports(FIXTURE)
    assert set(out["period"]) == {"annual", "jan-may"}
    assert len(out) == 8 * 3


def test_missing_column_is_named(tmp_path):
    path = _edited(tmp_path, lambda ls: [ls[0].replace("unit", "units"), *ls[1:]])
    with pytest.raises(HilirDataError, match="unit") as err:
        read_bi_exports(path)
    assert err.value.row == 1


def test_text_in_a_value_is_located(tmp_path):
    path = _edited(tmp_path, lambda ls: [ls[0], ls[1].replace("915636", "915636 k$"), *ls[2:]])
    with pytest.raises(HilirDataError) as err:
        read_bi_exports(path)
    assert (err.value.row, err.value.column) == (2, "y2023")


def test_duplicate_commodity_is_an_error(tmp_path):
    path = _edited(tmp_path, lambda ls: [*ls[:3], ls[2], *ls[3:]])
    with pytest.raises(HilirDataError, match="duplicate") as err:
        read_bi_exports(path)
    assert (err.value.row, err.value.column) == (4, "commodity")


def test_items_off_their_total_beyond_rounding_stop_the_read(tmp_path):
    """Coffee bean 2024 +10 k$: the agricultural items then miss their total by 10, more than
    the 2 k$ that rounding of 4 printed figures can explain; the error names the total line."""
    path = _edited(tmp_path, lambda ls: [ls[0], ls[1].replace("1623533", "1623543"), *ls[2:]])
    with pytest.raises(HilirDataError, match="off by") as err:
        read_bi_exports(path)
    assert (err.value.row, err.value.column) == (5, "y2024p")


def test_rounding_differences_are_accepted(tmp_path):
    path = _edited(tmp_path, lambda ls: [ls[0], ls[1].replace("1623533", "1623534"), *ls[2:]])
    out = read_bi_exports(path)
    assert _value(out, "Coffee bean", 2024)["value_usd"] == 1_623_534_000.0


def test_an_of_which_line_larger_than_its_parent_is_an_error(tmp_path):
    path = _edited(tmp_path, lambda ls: [*ls[:6], ls[6].replace("6225383", "9225383"), *ls[7:]])
    with pytest.raises(HilirDataError, match="larger than") as err:
        read_bi_exports(path)
    assert err.value.row == 7


@pytest.mark.parametrize(
    ("line", "old", "new", "column"),
    [
        (1, "thousand USD", "thousand IDR", "unit"),
        (0, "jan_may_2025p", "jan_mai_2025p", "jan_mai_2025p"),
        (0, "jan_may_2025p", "may_jan_2025p", "may_jan_2025p"),
        (0, "y2024p", "q2024", "q2024"),
    ],
)
def test_unknown_unit_or_period_column_is_an_error(tmp_path, line, old, new, column):
    def edit(ls):
        return [*ls[:line], ls[line].replace(old, new, 1), *ls[line + 1 :]]

    with pytest.raises(HilirDataError) as err:
        read_bi_exports(_edited(tmp_path, edit))
    assert err.value.column == column


def test_negative_value_is_an_error(tmp_path):
    path = _edited(tmp_path, lambda ls: [ls[0], ls[1].replace("915636", "-915636"), *ls[2:]])
    with pytest.raises(HilirDataError, match="negative") as err:
        read_bi_exports(path)
    assert err.value.row == 2


# --- the mapping of groups to chains ---------------------------------------------------------


def test_every_mapped_group_is_in_the_shipped_table(bi):
    groups = bi_groups()
    assert set(groups["commodity"]) <= set(bi["commodity"])
    g = groups.set_index("commodity")
    assert (g.loc["Coffee bean", "chain"], g.loc["Coffee bean", "stage"]) == ("coffee", "raw")
    assert (g.loc["Palm oils", "stage"], bool(g.loc["Palm oils", "sound"])) == ("mixed", True)
    assert not g.loc["Iron/steel", "sound"]  # ferro-nickel + NPI + stainless + other steel
    assert g.loc["Nickel", "coverage"] == "part"  # HS 75 only, not ferro-nickel/NPI
    assert g.loc["Crumb rubber", "stage"] == "raw"  # TSNR is the registry's rubber_dry


def _groups_with(**cells) -> pd.DataFrame:
    row = {
        "commodity": "Coffee bean",
        "chain": "coffee",
        "stage": "raw",
        "products": "coffee_green",
        "approx_hs": "090111",
        "coverage": "whole",
        "sound": "yes",
        "note": "green coffee",
    }
    return pd.DataFrame([{**row, **cells}])


@pytest.mark.parametrize(
    ("cells", "column"),
    [
        ({"chain": "kopi"}, "chain"),
        ({"stage": "roasted"}, "stage"),
        ({"products": "cpo"}, "products"),  # a palm-oil product in the coffee chain
        ({"products": "coffee_roasted"}, "products"),  # processed product in a raw group
        ({"sound": "maybe"}, "sound"),
        ({"coverage": "most"}, "coverage"),
        ({"products": ""}, "products"),  # sound without products
    ],
)
def test_mapping_errors_name_the_column(cells, column):
    with pytest.raises(HilirDataError) as err:
        validate_bi_groups(_groups_with(**cells))
    assert err.value.column == column


# --- chain series past 2020 ------------------------------------------------------------------


def test_chain_series_runs_to_2024_with_its_basis_on_every_row(bi):
    s = bi_chain_series(bi)
    assert set(s["basis"]) == {SERIES_BASIS}
    assert "not HS" in SERIES_BASIS
    assert sorted(s["year"].unique()) == [2020, 2021, 2022, 2023, 2024]
    assert s.loc[s["year"] == 2024, "preliminary"].all()
    assert not s.loc[s["year"] < 2024, "preliminary"].any()
    assert "Iron/steel" not in set(s["commodity"])  # unsound groups make no series
    assert set(s["chain"]) >= {"coffee", "palm_oil", "nickel", "rubber", "copper", "tin"}


def test_bi_coffee_2020_against_faostat_green_coffee(bi):
    """BI coffee bean 2020 = US$808.635 m; FAOSTAT green coffee (item 656) 2020 in the shipped
    extract = US$809.7 m: BI is 0.13 % lower. Both come from Indonesian customs records; BI's
    balance-of-payments basis adjusts coverage and timing, and the group holds green beans
    only (roasted coffee, 12.3 m in FAOSTAT 2020, is not in it, or BI would be the higher)."""
    coffee = bi_chain_series(bi, chain="coffee")
    bi2020 = coffee.loc[coffee["year"] == 2020, "value_usd"].iloc[0]
    assert bi2020 == 808_635_000.0
    rec = read_sidecar(RAW / "faostat" / "faostat_tcl_idn_exports_1961_2020.csv.provenance.yaml")
    fao = READERS[rec.reader].function()(rec.data_path, source=rec.key, **rec.reader_args)
    green = fao[(fao["item_code"] == "656") & (fao["year"] == 2020) & (fao["flow"] == "export")]
    fao2020 = green["value_usd"].sum()
    assert 809e6 < fao2020 < 810.5e6
    assert -0.002 < bi2020 / fao2020 - 1 < 0  # lower, within 0.2 %


def test_palm_oil_and_nickel_series(bi):
    """Palm oils 2020 = US$18,390.249 m (stage mixed, not split); nickel (HS 75 group) 2024P =
    US$7,983.095 m, marked part of the chain (ferro-nickel and NPI are in Iron/steel)."""
    palm = bi_chain_series(bi, chain="palm_oil").set_index("year")
    assert palm.loc[2020, "value_usd"] == 18_390_249_000.0
    assert palm.loc[2020, "stage"] == "mixed"
    ni = bi_chain_series(bi, chain="nickel").set_index("year")
    assert ni.loc[2024, "value_usd"] == 7_983_095_000.0 and ni.loc[2024, "preliminary"]
    assert set(ni["commodity"]) == {"Nickel"} and set(ni["coverage"]) == {"part"}


def test_partial_period_is_its_own_series(bi):
    jm = bi_chain_series(bi, chain="coffee", period="jan-may")
    assert list(jm["year"]) == [2024, 2025]
    assert list(jm["value_usd"]) == [367_709_000.0, 914_475_000.0]


def test_chain_series_errors(bi):
    with pytest.raises(HilirDataError, match="no sound"):
        bi_chain_series(bi, chain="bauxite")  # only an unsound basket (Other metal ore)
    with pytest.raises(HilirDataError, match="period"):
        bi_chain_series(bi, period="jan-jun")
    with pytest.raises(HilirDataError, match="not in the data"):
        bi_chain_series(bi[bi["commodity"] != "Coffee bean"])


def test_trade_series_shape_for_charts(bi):
    """The coffee bean group as a trade_series-shaped frame: USD, annual, basis on every row."""
    s = bi_trade_series(bi, "Coffee bean")
    assert list(s["year"]) == [2020, 2021, 2022, 2023, 2024]
    assert s["month"].isna().all() and set(s["unit"]) == {"USD"}
    assert s.loc[s["year"] == 2023, "value"].iloc[0] == 915_636_000.0
    assert list(s["preliminary"]) == [False, False, False, False, True]
    assert set(s["basis"]) == {SERIES_BASIS}
    with pytest.raises(HilirDataError, match="context only"):
        bi_trade_series(bi, "Iron/steel")
    with pytest.raises(HilirDataError, match="not mapped"):
        bi_trade_series(bi, "Bird nest")


def test_sidecar_states_the_newest_period():
    rec = read_sidecar(BI_FILE.with_name(BI_FILE.name + ".provenance.yaml"))
    assert rec.latest_year == 2025
    assert "January-May 2024 and 2025 (preliminary)" in rec.coverage
    assert rec.citation == "Republic of Indonesia Form 18-K/A Exh. 99.D (2025), Bank Indonesia"
    assert rec.table == "bi_exports" and rec.reader == "bi_exports"


def test_the_build_keeps_bi_groups_out_of_the_trade_table(exports):
    """``hilir data build`` puts the groups in their own table: load_bi_exports() has them,
    the HS/FAOSTAT trade table (``exports``, from load_exports()) has no Bank Indonesia row."""
    import hilir

    palm = hilir.load_bi_exports(commodity="Palm oils", period="annual").set_index("year")
    assert palm.loc[2020, "value_usd"] == 18_390_249_000.0
    assert set(palm["basis"]) == {BASIS}
    assert "bi_exports_by_commodity" not in set(exports["source"])
    with pytest.raises(HilirDataError, match="no commodity"):
        hilir.load_bi_exports(commodity="Nickel ore")


def test_data_sources_lists_the_newest_period(capsys):
    """``hilir data sources`` shows the table, the coverage with January-May 2025 and 2025."""
    from hilir.cli import main

    assert main(["data", "sources", "--format", "csv"]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if "bi_exports_by_commodity" in x)
    assert "bi_exports" in line
    assert "January-May 2024 and 2025 (preliminary)" in line and ",2025," in line


def test_every_chart_source_line_states_the_basis():
    """Charts name a source by its sidecar label: the label carries the basis (not HS) and the
    preliminary years, so any chart drawing these rows says so."""
    rec = read_sidecar(BI_FILE.with_name(BI_FILE.name + ".provenance.yaml"))
    assert "not HS" in rec.source_label["en"] and "preliminary" in rec.source_label["en"]
    assert "bukan HS" in rec.source_label["id"] and "sementara" in rec.source_label["id"]
