"""World Bank Pink Sheet reader: long CSVs, the workbooks' header layouts, basis, bad inputs.

The workbooks are built here with openpyxl in the layout of the World Bank files
(CMO-Historical-Data-Monthly.xlsx of 3 Dec 2024 and CMO-Historical-Data-Annual.xlsx of
2 Jul 2024); the numbers are copied from those files.
"""

from __future__ import annotations

import warnings

import openpyxl
import pandas as pd
import pytest

from _line_edits import replace_in_line as _replace
from hilir.errors import HilirDataError, HilirDataWarning
from hilir.schema.tables import PRICES
from hilir.sources.pinksheet import basis_for, pinksheet_data_events, read_pinksheet

TITLES = (
    "World Bank Commodity Price Data (The Pink Sheet)",
    "monthly prices in nominal US dollars, 1960 to present",
    "(monthly series are available only in nominal US dollars)",
    "Updated on December 03, 2024",
)
M_NAMES = ["Coal, South African **", "Coffee, Robusta", "Palm oil", "Tin", "Nickel"]
M_UNITS = ["($/mt)", "($/mt)", "($/mt)", "($/mt)", "($/mt)"]
M_UNITS[1] = "($/kg)"
M_CODES = ["COAL_SAFRICA", "COFFEE_ROBUS", "PALM_OIL", "Tin", "NICKEL"]
M_ROWS = [
    ["1960M01", "…", 0.6968643, 233, 2180.4, 1631],
    ["2019M01", 91.29, 1.724894688, 584.58, 20457.75, 11523.09],
    ["2019M02", 84.16, 1.73393363, 602.97, 21263.95, 12685.23],
    ["2020M12", 85.18, 1.588208, 1016.37389145497, 19731.96, 16823.04],
    ["2021M01", 86.85, 1.559328, 990.27, 21920.24, 17863.18],
]


def _monthly_workbook(path, *, rows=None, units=True, codes=True, names=None, unit_row=None):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Monthly Prices"
    for i, text in enumerate(TITLES, start=1):
        ws.cell(i, 1, text)
    header = [names or M_NAMES]
    if units:
        header.append(unit_row or M_UNITS)
    if codes:
        header.append(M_CODES)
    r = 5
    for line in header:
        for j, v in enumerate(line, start=2):
            ws.cell(r, j, v)
        r += 1
    for line in rows or M_ROWS:
        for j, v in enumerate(line, start=1):
            ws.cell(r, j, v)
        r += 1
    wb.create_sheet("Monthly Indices")
    wb.create_sheet("Description")
    wb.save(path)
    return path


def _annual_workbook(path):
    """The three annual sheets hilir reads, in the 2 Jul 2024 workbook's layouts."""
    wb = openpyxl.Workbook()
    nominal = wb.active
    nominal.title = "Annual Prices (Nominal)"  # this vintage: names in row 1, units in row 2
    nominal.append(["Date", "Palm oil", "Nickel"])
    nominal.append([None, "($/mt)", "($/mt)"])
    for row in [
        [1960, 224.41666666667, 1631],
        [2010, 933.02333333333, 21808.8524166667],
        [2018, 638.65583333333, 13114.0641666667],
        [2019, 601.36666666667, 13913.9083333333],
    ]:
        nominal.append(row)
    real = wb.create_sheet("Annual Prices (Real)")
    real.append(["World Bank Commodity Price Data (The Pink Sheet)"])
    real.append(["annual prices, 1960 to present, real 2010 US dollars"])
    real.append(["(annual series are available in nominal and real dollars)"])
    real.append(["Updated on July 02, 2024"])
    real.append([])
    real.append([])
    real.append([None, "Nickel", "MUV Index"])
    real.append([None, "($/mt)", "(2010=100)"])
    for row in [
        [1960, 8520.20143740156, 19.14273989862],
        [2010, 21808.8524166667, 100],
        [2019, 13983.8274706868, 99.47802230671],
    ]:
        real.append(row)
    idx = wb.create_sheet("Annual Indices (Real)")
    idx.append(["World Bank Commodity Price Data (The Pink Sheet)"])
    idx.append(["annual indices, 2010=100, 1960 to present, real 2010 US dollars"])
    idx.append([])
    idx.append(["Updated on July 02, 2024"])
    idx.append([])
    idx.append([None, "World Bank \nCommodity \nPrice Index", None, "Deflator MUV Index"])
    idx.append([None, None, None, None])
    idx.append([None, None, "Base Metals (ex. iron ore)", None])
    idx.append([None, None, " ", " "])
    idx.append([2010, 100, 100, 100])
    idx.append([2019, 79.74285472933, 82.02784515469, 99.47802230671])
    idx.append([])
    idx.append(["Note: indices are in real 2010 US dollars."])
    wb.save(path)
    return path


def _price(df, series, year, month=None):
    sel = df[(df["series"] == series) & (df["year"] == year)]
    sel = sel[sel["month"].isna()] if month is None else sel[sel["month"] == month]
    assert len(sel) == 1
    return sel.iloc[0]


# --- long CSVs -------------------------------------------------------------------------------


def test_monthly_csv(fixtures_dir):
    out = read_pinksheet(fixtures_dir / "pinksheet" / "monthly_long.csv")
    assert list(out.columns) == PRICES.names
    nickel = _price(out, "NICKEL", 2019, 2)
    assert (nickel["price"], nickel["unit"]) == (12685.23, "USD/t")
    robusta = _price(out, "COFFEE_ROBUS", 2019, 1)
    assert robusta["unit"] == "USD/kg" and robusta["price"] == pytest.approx(1.724894688)
    assert "Le Havre/Marseille" in robusta["basis"]
    assert set(out["source"]) == {"wb_pinksheet"}
    assert "TIN" in set(out["series"])  # the workbook's "Tin" code is upper-cased


def test_palm_oil_basis_follows_the_2021_change(fixtures_dir):
    out = read_pinksheet(fixtures_dir / "pinksheet" / "monthly_long.csv")
    assert _price(out, "PALM_OIL", 2020, 12)["basis"] == "Palm oil (Malaysia), RBD, CIF Rotterdam"
    assert _price(out, "PALM_OIL", 2021, 1)["basis"] == (
        "Palm oil (Malaysia), RBD, FOB Malaysia ports"
    )


def test_annual_csv_gets_codes_from_names(fixtures_dir):
    out = read_pinksheet(fixtures_dir / "pinksheet" / "annual_long.csv")
    assert out["month"].isna().all()
    assert _price(out, "NICKEL", 2019)["price"] == pytest.approx(13913.9083333333)
    assert set(out["series"]) == {"PALM_OIL", "NICKEL", "COFFEE_ROBUS", "TIN"}
    # 2001 spans the December 2001 palm oil change: both definitions, each with its months.
    basis_2001 = _price(out, "PALM_OIL", 2001)["basis"]
    assert "(to 2001-11)" in basis_2001 and "RBD, CIF Rotterdam (2001-12 to 2020-12)" in basis_2001


def test_series_filter(fixtures_dir):
    out = read_pinksheet(fixtures_dir / "pinksheet" / "monthly_long.csv", series=["NICKEL"])
    assert set(out["series"]) == {"NICKEL"} and len(out) == 2


BAD_CSV = {
    "unknown unit": ("monthly_long.csv", _replace(7, "($/mt)", "($/lb)"), 7, "unit"),
    "period not YYYYMmm": ("monthly_long.csv", _replace(7, "2019M01", "2019-01"), 7, "period"),
    "month 13": ("monthly_long.csv", _replace(7, "2019M01", "2019M13"), 7, "period"),
    "decimal comma": ("monthly_long.csv", _replace(7, ",11523.09", ',"11523,09"'), 7, "value"),
    "negative": ("monthly_long.csv", _replace(7, ",11523.09", ",-11523.09"), 7, "value"),
    "duplicate": ("monthly_long.csv", lambda lines: [*lines, lines[6]], 9, "month"),
    "renamed column": ("monthly_long.csv", _replace(1, "series_code", "code"), 1, "series_code"),
    "cut mid-line": (
        "monthly_long.csv",
        lambda lines: [*lines[:7], lines[7][:14]],
        8,
        "series_name",
    ),
    "unknown series name": ("annual_long.csv", _replace(4, "Nickel", "Nikel"), 4, "series_name"),
    "year as text": ("annual_long.csv", _replace(4, "2018,", "2018e,"), 4, "year"),
}


@pytest.mark.parametrize("case", list(BAD_CSV))
def test_bad_csv_input_names_row_and_column(fixtures_dir, tmp_path, case):
    name, mutate, row, column = BAD_CSV[case]
    lines = (fixtures_dir / "pinksheet" / name).read_text(encoding="utf-8").splitlines()
    path = tmp_path / name
    path.write_text("\n".join(mutate(lines)) + "\n", encoding="utf-8")
    with pytest.raises(HilirDataError) as err:
        read_pinksheet(path)
    assert (err.value.row, err.value.column) == (row, column), str(err.value)
    assert str(path) in str(err.value)


def test_thousands_separator_in_csv(fixtures_dir, tmp_path):
    lines = (fixtures_dir / "pinksheet" / "monthly_long.csv").read_text().splitlines()
    lines[6] = lines[6].replace(",11523.09", ',"11,523.09"')
    path = tmp_path / "m.csv"
    path.write_text("\n".join(lines) + "\n")
    assert _price(read_pinksheet(path), "NICKEL", 2019, 1)["price"] == 11523.09


# --- workbooks -------------------------------------------------------------------------------


def test_monthly_workbook_matches_the_csv(fixtures_dir, tmp_path):
    book = read_pinksheet(_monthly_workbook(tmp_path / "CMO-Historical-Data-Monthly.xlsx"))
    csv = read_pinksheet(fixtures_dir / "pinksheet" / "monthly_long.csv")
    key = ["series", "year", "month"]
    merged = csv.merge(book, on=key, suffixes=("_csv", "_xlsx"))
    assert len(merged) == len(csv)
    assert (merged["price_csv"] == merged["price_xlsx"]).all()
    assert (merged["unit_csv"] == merged["unit_xlsx"]).all()
    assert (merged["basis_csv"] == merged["basis_xlsx"]).all()


def test_monthly_workbook_skips_not_available_cells_and_cleans_names(tmp_path):
    out = read_pinksheet(_monthly_workbook(tmp_path / "m.xlsx"))
    coal = out[out["series"] == "COAL_SAFRICA"]
    assert 1960 not in set(coal["year"])  # "…" in the workbook
    assert set(coal["series_name"]) == {"Coal, South African"}  # footnote stars removed
    assert _price(out, "NICKEL", 1960, 1)["basis"].endswith("cash price, USD per tonne of metal")
    assert len(out) == 5 * 5 - 1


def test_annual_nominal_sheet_is_the_default(tmp_path):
    out = read_pinksheet(_annual_workbook(tmp_path / "a.xlsx"))
    assert _price(out, "NICKEL", 2019)["price"] == pytest.approx(13913.9083333333)
    assert out["month"].isna().all() and set(out["unit"]) == {"USD/t"}


def test_muv_index_from_the_real_prices_sheet(tmp_path):
    out = read_pinksheet(_annual_workbook(tmp_path / "a.xlsx"), sheet="Annual Prices (Real)")
    muv = _price(out, "MUV", 2010)
    assert (muv["price"], muv["unit"]) == (100.0, "index 2010=100")
    assert _price(out, "NICKEL", 2019)["unit"] == "USD/t (real 2010 USD)"


def test_stacked_index_headers(tmp_path):
    out = read_pinksheet(_annual_workbook(tmp_path / "a.xlsx"), sheet="Annual Indices (Real)")
    assert set(out["series"]) == {"iOVERALL", "iBASEMET", "MUV"}
    assert set(out["unit"]) == {"index 2010=100"}
    assert _price(out, "MUV", 2019)["price"] == pytest.approx(99.47802230671)
    assert _price(out, "iOVERALL", 2019)["series_name"] == "World Bank Commodity Price Index"


def test_unknown_sheet_lists_the_sheets(tmp_path):
    with pytest.raises(HilirDataError, match="Monthly Prices"):
        read_pinksheet(_monthly_workbook(tmp_path / "m.xlsx"), sheet="Prices")


def test_series_filter_in_workbook(tmp_path):
    out = read_pinksheet(_monthly_workbook(tmp_path / "m.xlsx"), series=["PALM_OIL", "TIN"])
    assert set(out["series"]) == {"PALM_OIL", "TIN"}
    with pytest.raises(HilirDataError, match="GOLD"):
        read_pinksheet(_monthly_workbook(tmp_path / "m2.xlsx"), series=["GOLD"])


def _rows_with(row_index, col_index, value):
    rows = [list(r) for r in M_ROWS]
    rows[row_index][col_index] = value
    return rows


BAD_BOOK = {
    # Rows: titles 1-4, names 5, units 6, codes 7, data from 8 (1960M01) to 12 (2021M01).
    "no units row (header rows lost)": (dict(units=False), 6, "B"),
    "unknown unit": (
        dict(unit_row=["($/mt)", "($/lb)", "($/mt)", "($/mt)", "($/mt)"]),
        6,
        "Coffee, Robusta",
    ),
    "text in a price cell": (dict(rows=_rows_with(2, 5, "12685,23")), 10, "Nickel"),
    "negative price": (dict(rows=_rows_with(2, 5, -12685.23)), 10, "Nickel"),
    "bad period": (dict(rows=_rows_with(3, 0, "2020-12")), 11, "A"),
    "unknown name without codes": (
        dict(
            codes=False,
            names=["Coal, South African **", "Coffee, Robusta", "Palm oil", "Tin", "Nikel"],
        ),
        5,
        "Nikel",
    ),
}


@pytest.mark.parametrize("case", list(BAD_BOOK))
def test_bad_workbook_names_row_and_column(tmp_path, case):
    options, row, column = BAD_BOOK[case]
    path = _monthly_workbook(tmp_path / "m.xlsx", **options)
    with pytest.raises(HilirDataError) as err:
        read_pinksheet(path)
    assert (err.value.row, err.value.column) == (row, column), str(err.value)
    assert str(path) in str(err.value)


def test_duplicate_period_in_workbook(tmp_path):
    rows = [list(r) for r in M_ROWS] + [list(M_ROWS[1])]
    with pytest.raises(HilirDataError) as err:
        read_pinksheet(_monthly_workbook(tmp_path / "m.xlsx", rows=rows))
    assert err.value.row == 13 and "duplicate" in str(err.value)


def test_workbook_without_codes_row_uses_names(tmp_path):
    out = read_pinksheet(_monthly_workbook(tmp_path / "m.xlsx", codes=False))
    assert set(out["series"]) == {"COAL_SAFRICA", "COFFEE_ROBUS", "PALM_OIL", "TIN", "NICKEL"}


def test_empty_and_damaged_files(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(HilirDataError, match="empty"):
        read_pinksheet(empty)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(HilirDataError, match="cannot open"):
        read_pinksheet(broken)


# --- basis and data events ---------------------------------------------------------------


def test_basis_for_unknown_series_names_the_series():
    assert basis_for("ZINC", "Zinc", 2019, 1).startswith("Zinc (as published")


def test_basis_for_nickel_switches_to_settlement_in_2005():
    assert "cash price" in basis_for("NICKEL", "Nickel", 2004, 12)
    assert "settlement price" in basis_for("NICKEL", "Nickel", 2005, 1)


def test_data_events_include_the_2021_palm_oil_change():
    events = pinksheet_data_events()
    assert list(events.columns) == ["date", "series", "description_id", "description_en", "source"]
    palm = events[(events["series"] == "PALM_OIL") & (events["date"] == pd.Timestamp("2021-01-01"))]
    assert len(palm) == 1
    assert (
        "FOB" in palm["description_en"].iloc[0] and "Januari 2021" in palm["description_id"].iloc[0]
    )
    assert events["source"].str.contains("World Bank").all()
    assert events["date"].is_monotonic_increasing


def test_csv_rows_without_price_are_dropped_with_warning(fixtures_dir, tmp_path):
    lines = (fixtures_dir / "pinksheet" / "monthly_long.csv").read_text().splitlines()
    lines[6] = lines[6].replace(",11523.09", ",…")
    path = tmp_path / "m.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.warns(HilirDataWarning, match="1 rows without a price"):
        out = read_pinksheet(path)
    assert len(out) == 6
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert 1 not in set(out[out["series"] == "NICKEL"]["month"])
