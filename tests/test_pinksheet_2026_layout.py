"""The June 2026 layout of the Pink Sheet monthly workbook, and its bad inputs.

Layout of CMO-Historical-Data-Monthly.xlsx of 2 June 2026: titles on rows 1-4 ("Updated
on June 02, 2026" in A4), series names on row 5, units on row 6, no series-code row, data
from row 7, values to two decimals. The workbooks below are built with openpyxl in that
layout; the numbers are cells of the World Bank file (1960M01, 2026M04, 2026M05).
"""

from __future__ import annotations

import openpyxl
import pytest

from hilir.errors import HilirDataError
from hilir.sources.pinksheet import read_pinksheet

TITLES = (
    "World Bank Commodity Price Data (The Pink Sheet)",
    "monthly prices in nominal US dollars, 1960 to present",
    "(monthly series are available only in nominal US dollars)",
    "Updated on June 02, 2026",
)
NAMES = ["Coffee, Arabica", "Coffee, Robusta", "Palm oil", "Rubber, TSR20 **", "Tin", "Nickel"]
UNITS = ["($/kg)", "($/kg)", "($/mt)", "($/kg)", "($/mt)", "($/mt)"]
ROWS = [
    ["1960M01", 0.94, 0.7, 233.0, "…", 2180.4, 1631.0],
    ["2026M04", 7.3, 3.63, 1146.2, 2.06, 48805.89, 17961.6],
    ["2026M05", 6.95, 3.67, 1139.94, 2.21, 53562.79, 18805.77],
]


def _book(path, *, names=None, units=None, rows=None, titles=TITLES, codes=None):
    """A 'Monthly Prices' sheet in the 2026 layout (or, with ``codes``, the 2024 one)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Monthly Prices"
    for i, text in enumerate(titles, start=1):
        ws.cell(i, 1, text)
    header = [NAMES if names is None else names, UNITS if units is None else units]
    if codes is not None:
        header.append(codes)
    for r, line in enumerate(header, start=5):
        for j, v in enumerate(line, start=2):
            ws.cell(r, j, v)
    for r, line in enumerate(rows or ROWS, start=5 + len(header)):
        for j, v in enumerate(line, start=1):
            ws.cell(r, j, v)
    wb.create_sheet("Monthly Indices")
    wb.save(path)
    return path


def _price(df, series, year, month):
    sel = df[(df["series"] == series) & (df["year"] == year) & (df["month"] == month)]
    assert len(sel) == 1
    return sel.iloc[0]


def test_2026_layout_maps_names_to_the_2024_codes(tmp_path):
    out = read_pinksheet(_book(tmp_path / "m.xlsx"), vintage="2026-06-02")
    assert set(out["series"]) == {
        "COFFEE_ARABIC",
        "COFFEE_ROBUS",
        "PALM_OIL",
        "RUBBER_TSR20",
        "TIN",
        "NICKEL",
    }
    assert _price(out, "RUBBER_TSR20", 2026, 5)["price"] == pytest.approx(2.21)
    assert _price(out, "RUBBER_TSR20", 2026, 5)["series_name"] == "Rubber, TSR20"
    assert _price(out, "NICKEL", 2026, 5)["unit"] == "USD/t"
    assert len(out) == 3 * 6 - 1  # the '…' cell is not a row


def test_layout_comes_from_the_sheet_not_the_file_name(tmp_path):
    """A 2026-layout sheet under a 2024 file name and a 2024-layout sheet (codes row 7)
    under a 2026 file name are both read by what the sheet holds."""
    new = read_pinksheet(_book(tmp_path / "CMO-Historical-Data-Monthly_2024-12-03.xlsx"))
    codes = ["COFFEE_ARABIC", "COFFEE_ROBUS", "PALM_OIL", "RUBBER_TSR20", "Tin", "NICKEL"]
    old_layout = _book(
        tmp_path / "CMO-Historical-Data-Monthly_2026-06-02.xlsx",
        codes=codes,
        titles=(*TITLES[:3], "Updated on December 03, 2024"),
    )
    old = read_pinksheet(old_layout)
    cols = ["series", "year", "month", "price", "unit"]
    assert new[cols].reset_index(drop=True).equals(old[cols].reset_index(drop=True))


def test_names_row_missing_points_at_row_5(tmp_path):
    path = _book(tmp_path / "m.xlsx", names=[None] * 6)
    with pytest.raises(HilirDataError) as err:
        read_pinksheet(path)
    assert (err.value.row, err.value.column) == (5, "B"), str(err.value)
    assert "B5" in str(err.value) and str(path) in str(err.value)


def test_a_changed_unit_is_an_error_naming_the_cell(tmp_path):
    """Nickel in '($/kg)' is a known unit but not nickel's (USD/t): never rescaled silently."""
    units = [*UNITS[:5], "($/kg)"]
    with pytest.raises(HilirDataError) as err:
        read_pinksheet(_book(tmp_path / "m.xlsx", units=units))
    assert (err.value.row, err.value.column) == (6, "Nickel"), str(err.value)
    assert "G6" in str(err.value) and "USD/t" in str(err.value)


def test_an_unknown_unit_is_an_error_naming_the_cell(tmp_path):
    units = ["($/lb)", *UNITS[1:]]
    with pytest.raises(HilirDataError) as err:
        read_pinksheet(_book(tmp_path / "m.xlsx", units=units))
    assert (err.value.row, err.value.column) == (6, "Coffee, Arabica")
    assert "B6" in str(err.value)


def test_a_text_cell_in_the_values_names_row_and_cell(tmp_path):
    rows = [list(r) for r in ROWS]
    rows[2][2] = "3,67"  # Coffee, Robusta 2026M05: column C, row 9
    with pytest.raises(HilirDataError) as err:
        read_pinksheet(_book(tmp_path / "m.xlsx", rows=rows))
    assert (err.value.row, err.value.column) == (9, "Coffee, Robusta"), str(err.value)
    assert "C9" in str(err.value)


def test_a_duplicated_name_is_an_error_naming_both_columns(tmp_path):
    names = [*NAMES[:5], "Tin"]
    with pytest.raises(HilirDataError) as err:
        read_pinksheet(_book(tmp_path / "m.xlsx", names=names))
    assert (err.value.row, err.value.column) == (5, "Tin"), str(err.value)
    assert "twice" in str(err.value) and "F" in str(err.value) and "G5" in str(err.value)


def test_a_renamed_series_is_an_error_naming_the_cell(tmp_path):
    names = [*NAMES[:5], "Nickel, LME"]
    with pytest.raises(HilirDataError) as err:
        read_pinksheet(_book(tmp_path / "m.xlsx", names=names))
    assert (err.value.row, err.value.column) == (5, "Nickel, LME")
    assert "G5" in str(err.value) and "SERIES_CODES" in str(err.value)


def test_a_series_hilir_does_not_ask_for_is_skipped(tmp_path):
    """With series=, other columns (known or not) are skipped, as documented."""
    names = [*NAMES[:5], "Nickel, LME"]
    out = read_pinksheet(_book(tmp_path / "m.xlsx", names=names), series=["COFFEE_ROBUS"])
    assert set(out["series"]) == {"COFFEE_ROBUS"} and len(out) == 3


def test_data_rows_of_the_2026_layout_start_on_row_7(tmp_path):
    rows = [list(r) for r in ROWS]
    rows[0][6] = -1631.0
    with pytest.raises(HilirDataError) as err:
        read_pinksheet(_book(tmp_path / "m.xlsx", rows=rows))
    assert (err.value.row, err.value.column) == (7, "Nickel")
