"""``.xlsx`` downloads read by the CSV readers and ``hilir data import`` (issue 13, item 15).

Each workbook is written here with openpyxl from the same table as a CSV fixture, cells typed
as Excel stores them (numbers as numbers, text as text); read through the same reader it must
give exactly the rows of the CSV. The stored copy is the workbook's own bytes, and a bad
workbook is refused naming the file, the worksheet, the row and the column.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import warnings
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from hilir.cli import main
from hilir.data.importer import import_file
from hilir.errors import HilirDataError, HilirOptionError
from hilir.fileio import workbook_csv
from hilir.provenance.sidecar import read_sidecar, sha256_of
from hilir.sources.catalog import READERS

FIXTURES = Path(__file__).parent / "fixtures"
BPS_CSV = FIXTURES / "bps" / "ekspor_hs8_sample.csv"


@pytest.fixture
def user_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HILIR_DATA_DIR", str(tmp_path / "data"))
    return tmp_path


def _typed(cell: str) -> object:
    """A CSV cell as Excel holds it: numbers (``"121,692.5"`` too) as numbers."""
    bare = cell.replace(",", "")
    if re.fullmatch(r"-?[1-9]\d*|0", bare):
        return int(bare)
    if re.fullmatch(r"-?\d*\.\d+", bare):
        return float(bare)
    return cell or None


def write_xlsx(rows: list[list[str]], path: Path, *, sheet: str = "Data", before=()) -> Path:
    """Write ``rows`` (CSV cells) to worksheet ``sheet`` of a new workbook at ``path``.

    ``before`` names worksheets put ahead of it (a notes sheet, as downloads often have).
    """
    wb = openpyxl.Workbook()
    first = wb.active
    for name in before:
        wb.create_sheet(name).cell(1, 1, f"{name}: see the data sheet")
    ws = wb.create_sheet(sheet)
    wb.remove(first)
    for r, row in enumerate(rows, start=1):
        for c, cell in enumerate(row, start=1):
            value = _typed(cell)
            if value is not None:
                ws.cell(r, c, value)
    wb.save(path)
    return path


def csv_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def read(fmt: str, path: Path, **options: object) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return READERS[fmt].function()(path, source="t", **options)


@pytest.mark.parametrize(
    ("fmt", "fixture", "options"),
    [
        ("bps_exports", "bps/ekspor_hs8_sample.csv", {}),
        ("bps_exports", "bps/ekspor_hs8_pelabuhan.csv", {"keep_port": True}),
        ("bps_wide", "bps/coal_by_destination_2019_2023_2024.csv", {"hs_code": "2701"}),
        ("usda_psd", "usda/psd_coffee_long.csv", {}),
        ("usda_psd", "usda/psd_coffee_wide.csv", {}),
        ("ico", "ico/coffee_export.csv", {"unit": "thousand_60kg_bags"}),
        ("published_figures", "published/quoted_figures.csv", {}),
    ],
)
def test_a_workbook_reads_the_rows_of_its_csv(tmp_path, fmt, fixture, options):
    """The .xlsx form of a table gives the CSV form's rows, values and line numbers.

    The coal table has a title row, a blank row and unit rows above each block, and values
    printed with thousands commas in the CSV (``121,692.5``) but stored as numbers in the
    workbook: the reader must find the same header and the same numbers.
    """
    src = FIXTURES / fixture
    book = write_xlsx(csv_rows(src), tmp_path / f"{src.stem}.xlsx")
    expected = read(fmt, src, **options)
    got = read(fmt, book, **options)
    assert len(got) > 0
    pd.testing.assert_frame_equal(got, expected)


def test_merged_title_and_unit_cells_read_as_excel_saves_them(tmp_path):
    """BPS static tables merge the title across the table and the unit row across the years;
    a merged range keeps its text in its first cell, as in the CSV Excel saves."""
    src = FIXTURES / "bps" / "coal_by_destination_2019_2023_2024.csv"
    rows = csv_rows(src)
    book = write_xlsx(rows, tmp_path / "coal.xlsx")
    wb = openpyxl.load_workbook(book)
    ws = wb["Data"]
    ws.merge_cells("A1:E1")
    unit_rows = [i for i, row in enumerate(rows, start=1) if ":" in "".join(row[1:2])]
    for r in unit_rows:
        ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=4)
    wb.save(book)
    expected = read("bps_wide", src, hs_code="2701")
    pd.testing.assert_frame_equal(read("bps_wide", book, hs_code="2701"), expected)
    assert expected.loc[expected["partner"] == "IND", "net_weight_kg"].max() == 121_692.5e6


def test_cells_are_written_as_stored_not_as_displayed(tmp_path):
    """Numbers without their display format (no ``1,630,460``, no ``1630460.0``, no float
    noise beyond Excel's 15 digits), dates as ISO, blank rows kept so row n is line n."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "T"
    ws["B2"] = "Judul tabel"
    ws["B4"], ws["C4"], ws["D4"] = "Tanggal", "Berat", "Nilai"
    ws["B5"] = dt.datetime(2019, 1, 31)
    ws["C5"] = 1630460.0
    ws["C5"].number_format = "#,##0"
    ws["D5"] = 0.1 + 0.2
    ws["D5"].number_format = "0.00%"
    ws["B6"] = "baris\ndua"
    wb.save(tmp_path / "t.xlsx")
    name, text = workbook_csv(tmp_path / "t.xlsx")
    assert name == "T"
    lines = text.split("\n")
    assert lines[:6] == [
        ",,",
        "Judul tabel,,",
        ",,",
        "Tanggal,Berat,Nilai",
        "2019-01-31,1630460,0.3",
        "baris dua,,",
    ]


def test_import_keeps_the_workbook_bytes_and_the_build_reads_them(user_data, capsys):
    src = write_xlsx(csv_rows(BPS_CSV), user_data / "ekspor_portal.xlsx")
    before = src.read_bytes()
    assert main(["data", "import", "bps_exports", str(src)]) == 0, capsys.readouterr().err
    copy = user_data / "data" / "user" / "bps_exports" / "ekspor_portal.xlsx"
    rec = read_sidecar(copy.with_name(copy.name + ".provenance.yaml"))
    assert copy.read_bytes() == before == src.read_bytes()
    assert rec.sha256 == sha256_of(src)
    assert "worksheet 'Data'" in rec.notes
    # the build calls the reader as the sidecar says
    built = READERS[rec.reader].function()(rec.data_path, source=rec.key, **rec.reader_args)
    expected = read("bps_exports", BPS_CSV)
    pd.testing.assert_frame_equal(
        built.drop(columns="source"), expected.drop(columns="source"), check_dtype=True
    )


def test_a_named_sheet_is_read_and_recorded(user_data):
    """Data on the second sheet: the first sheet (notes) is refused naming the sheet; with
    ``sheet=Data`` the rows are read and the sidecar keeps the option for the build."""
    src = write_xlsx(csv_rows(BPS_CSV), user_data / "dua.xlsx", before=("Catatan",))
    with pytest.raises(HilirDataError, match="sheet 'Catatan'"):
        import_file("bps_exports", src)
    rec = import_file("bps_exports", src, reader_args={"sheet": "Data"})
    assert rec.reader_args == {"sheet": "Data"}
    assert rec.sha256 == sha256_of(src)
    built = READERS[rec.reader].function()(rec.data_path, source=rec.key, **rec.reader_args)
    assert len(built) == len(read("bps_exports", BPS_CSV))


def test_two_sheets_of_one_workbook_are_two_imports(user_data):
    """The same bytes under another key are refused (counted twice) unless another sheet."""
    src = write_xlsx(csv_rows(BPS_CSV), user_data / "dua.xlsx", before=("Lama",))
    wb = openpyxl.load_workbook(src)
    wb.copy_worksheet(wb["Data"]).title = "Baru"
    wb.save(src)
    one = import_file("bps_exports", src, key="a", reader_args={"sheet": "Data"})
    two = import_file("bps_exports", src, key="b", reader_args={"sheet": "Baru"})
    assert one.data_path != two.data_path and one.sha256 == two.sha256
    with pytest.raises(HilirDataError, match="already imported"):
        import_file("bps_exports", src, key="c", reader_args={"sheet": "Data"})


def test_each_named_sheet_gets_its_own_default_key(user_data):
    """Without ``--key`` the second sheet is a new import, not the first one returned."""
    src = write_xlsx(csv_rows(BPS_CSV), user_data / "dua.xlsx", before=("Lama",))
    wb = openpyxl.load_workbook(src)
    wb.copy_worksheet(wb["Data"]).title = "Baru"
    wb.save(src)
    one = import_file("bps_exports", src, reader_args={"sheet": "Data"})
    two = import_file("bps_exports", src, reader_args={"sheet": "Baru"})
    assert (one.key, two.key) == ("user_bps_exports_dua_data", "user_bps_exports_dua_baru")
    assert two.reader_args == {"sheet": "Baru"} and two.data_path.name == "dua.baru.xlsx"


def test_a_wrong_sheet_name_lists_the_sheets(user_data, capsys):
    src = write_xlsx(csv_rows(BPS_CSV), user_data / "x.xlsx", before=("Catatan",))
    code = main(["data", "import", "bps_exports", str(src), "--option", "sheet=Dta"])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert "no worksheet 'Dta'" in err and "['Catatan', 'Data']" in err and "x.xlsx" in err
    assert not (user_data / "data" / "user").exists()


def test_sheet_is_no_option_for_a_csv(user_data, capsys):
    with pytest.raises(HilirOptionError, match=r"is for \.xlsx workbooks"):
        import_file("bps_exports", BPS_CSV, reader_args={"sheet": "Data"})


def test_a_bad_cell_is_located_by_sheet_row_and_column(tmp_path):
    rows = csv_rows(BPS_CSV)
    rows[3][5] = "-5"
    book = write_xlsx(rows, tmp_path / "neg.xlsx")
    with pytest.raises(HilirDataError) as err:
        read("bps_exports", book)
    assert err.value.row == 4 and err.value.column == "Nilai (USD)"
    assert "neg.xlsx" in str(err.value) and "sheet 'Data'" in str(err.value)


def _damaged(tmp_path: Path) -> Path:
    good = write_xlsx(csv_rows(BPS_CSV), tmp_path / "good.xlsx")
    data = good.read_bytes()
    bad = tmp_path / "cut.xlsx"
    bad.write_bytes(data[: len(data) // 2])
    return bad


def _bad_sheet_xml(tmp_path: Path) -> Path:
    good = write_xlsx(csv_rows(BPS_CSV), tmp_path / "good.xlsx")
    bad = tmp_path / "badxml.xlsx"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(bad, "w") as zout:
        for item in zin.infolist():
            body = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                body = body[: len(body) // 2]
            zout.writestr(item, body)
    return bad


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_damaged, "damaged or unreadable workbook"),
        (_bad_sheet_xml, "sheet 'Data' is damaged"),
        (
            lambda p: _write(p / "enc.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600),
            "password-protected",
        ),
        (lambda p: _write(p / "text.xlsx", BPS_CSV.read_bytes()), "not an Excel workbook"),
        (
            lambda p: _write(p / "old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600),
            "save it as .xlsx or CSV",
        ),
        (
            lambda p: _write(p / "web.xls", b"<html><table><tr><td>1</td></tr></table></html>"),
            "save it as .xlsx or CSV",
        ),
        (lambda p: _write(p / "empty.xlsx", b""), "file is empty"),
    ],
)
def test_a_bad_workbook_is_a_located_error_and_nothing_is_stored(user_data, make, message):
    bad = make(user_data)
    with pytest.raises(HilirDataError, match=re.escape(message)) as err:
        import_file("bps_exports", bad)
    assert bad.name in str(err.value) and "Traceback" not in str(err.value)
    assert not (user_data / "data" / "user").exists()


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# --- the BPS export portal's Excel cross table ---------------------------------------------

#: Values (US$) of the portal fixture: (HS, year) -> {(country, port): (January, February)}.
PORTAL = {
    ("09", 2023): {
        ("JAPAN", "PANJANG"): (1_250_000.5, 980_000.0),
        ("JAPAN", "TANJUNG PRIOK"): (None, 15_300.25),
        ("RUSSIA FEDERATION", "PANJANG"): (402_000.0, None),
        ("TANZANIA UNITED REP. OF", "PANJANG"): (7_500.0, 0.0),
    },
    ("09", 2024): {
        ("JAPAN", "PANJANG"): (2_000_000.0, 1_000_000.0),
        ("JAPAN", "TANJUNG PRIOK"): (None, None),
        ("RUSSIA FEDERATION", "PANJANG"): (None, 55_000.0),
        ("TANZANIA UNITED REP. OF", "PANJANG"): (None, None),
    },
    ("15", 2023): {
        ("JAPAN", "PANJANG"): (None, None),
        ("JAPAN", "TANJUNG PRIOK"): (None, None),
        ("RUSSIA FEDERATION", "PANJANG"): (12_000_000.0, 9_000_000.0),
        ("TANZANIA UNITED REP. OF", "PANJANG"): (None, None),
    },
}
_NAMES = {"09": "Coffee, tea, mate and spices", "15": "Animal or vegetable fats and oils"}


def write_portal(path: Path, *, total: bool = True, edit=None) -> Path:
    """The portal's cross table as observed (module doc of ``hilir.sources._bps_portal``).

    Row 1 title; row 2 the country merged over its ports and months; row 3 the port merged
    over its months; row 4 ``[01]Januari``, ``[02]Februari``; row 5 labels; from row 6 the
    code ``[09] ...`` merged down over its years, the year in column B, a label in C, the
    values from column D; a ``Total`` country at the right.
    """
    pairs = list(next(iter(PORTAL.values())))
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws["A1"] = "Ekspor Menurut Kode HS, Negara Tujuan, Pelabuhan Muat dan Bulan (Nilai FOB US$)"
    ws.merge_cells("A1:L1")
    ws["A2"], ws["A3"], ws["A4"] = "Negara Tujuan", "Pelabuhan Muat", "Bulan"
    ws["A5"], ws["B5"], ws["C5"] = "Kode HS", "Tahun", "Satuan"
    col = 4
    for k, (country, port) in enumerate(pairs):
        if k == 0 or pairs[k - 1][0] != country:
            width = 2 * sum(1 for c, _ in pairs if c == country)
            ws.cell(2, col, country)
            ws.merge_cells(start_row=2, start_column=col, end_row=2, end_column=col + width - 1)
        ws.cell(3, col, port)
        ws.merge_cells(start_row=3, start_column=col, end_row=3, end_column=col + 1)
        ws.cell(4, col, "[01]Januari")
        ws.cell(4, col + 1, "[02]Februari")
        col += 2
    if total:
        ws.cell(2, col, "Total")
        ws.merge_cells(start_row=2, start_column=col, end_row=2, end_column=col + 1)
        ws.cell(4, col, "[01]Januari")
        ws.cell(4, col + 1, "[02]Februari")
    row = 6
    for (code, year), cells in PORTAL.items():
        if code not in {c for c, _ in list(PORTAL)[: list(PORTAL).index((code, year))]}:
            ws.cell(row, 1, f"[{code}] {_NAMES[code]}")
        ws.cell(row, 2, year)
        ws.cell(row, 3, "US$")
        for k, pair in enumerate(pairs):
            for m in (0, 1):
                if cells[pair][m] is not None:
                    ws.cell(row, 4 + 2 * k + m, cells[pair][m])
        if total:
            for m in (0, 1):
                ws.cell(row, 4 + 2 * len(pairs) + m, sum(v[m] or 0.0 for v in cells.values()))
        row += 1
    ws.merge_cells("A6:A7")
    if edit:
        edit(ws)
    wb.save(path)
    return path


def test_the_portal_cross_table_is_read_cell_by_cell(tmp_path):
    """Every non-empty value cell is one export row: code, destination, port, month, value;
    the Total column checks each row and is not a partner. The portal's English country
    spellings (``RUSSIA FEDERATION``, ``TANZANIA UNITED REP. OF``) resolve."""
    book = write_portal(tmp_path / "Ekspor_HS_1-24.xlsx")
    got = read("bps_exports", book, keep_port=True)
    cells = [
        (code, year, m + 1, country, port, v[m])
        for (code, year), row in PORTAL.items()
        for (country, port), v in row.items()
        for m in (0, 1)
        if v[m] is not None
    ]
    assert len(got) == len(cells) == 11
    assert set(got["partner"]) == {"JPN", "RUS", "TZA"}
    assert got["value_usd"].sum() == pytest.approx(sum(c[-1] for c in cells))
    jan = got[(got.partner == "JPN") & (got.year == 2023) & (got.month == 1)]
    assert jan[["hs_code", "port", "value_usd"]].values.tolist() == [["09", "PANJANG", 1_250_000.5]]
    assert got["net_weight_kg"].isna().all()
    assert set(got["hs_code"]) == {"09", "15"}
    # summed over ports by default: Japan's February 2023 coffee = Panjang + Tanjung Priok
    summed = read("bps_exports", book)
    feb = summed[(summed.partner == "JPN") & (summed.year == 2023) & (summed.month == 2)]
    assert feb["value_usd"].tolist() == [980_000.0 + 15_300.25]


def test_the_portal_table_saved_as_csv_reads_the_same(tmp_path):
    """Excel's CSV of the cross table (merged cells keep their text in the first cell)."""
    book = write_portal(tmp_path / "portal.xlsx")
    as_csv = tmp_path / "portal.csv"
    as_csv.write_text(workbook_csv(book)[1], encoding="utf-8")
    pd.testing.assert_frame_equal(
        read("bps_exports", book, keep_port=True), read("bps_exports", as_csv, keep_port=True)
    )
    no_total = write_portal(tmp_path / "no_total.xlsx", total=False)
    pd.testing.assert_frame_equal(read("bps_exports", no_total), read("bps_exports", book))


def test_the_portal_table_imports_and_builds(user_data, capsys):
    book = write_portal(user_data / "Ekspor_HS_1-24.xlsx")
    assert main(["data", "import", "bps_exports", str(book)]) == 0, capsys.readouterr().err
    copy = user_data / "data" / "user" / "bps_exports" / book.name
    rec = read_sidecar(copy.with_name(copy.name + ".provenance.yaml"))
    assert rec.sha256 == sha256_of(book) and rec.coverage == "2023-2024"
    built = READERS[rec.reader].function()(rec.data_path, source=rec.key, **rec.reader_args)
    assert built["value_usd"].sum() == pytest.approx(read("bps_exports", book)["value_usd"].sum())


@pytest.mark.parametrize(
    ("edit", "row", "column", "message"),
    [
        (lambda ws: ws.cell(7, 4, "n/a"), 7, "D", "'n/a' is not a number"),
        (lambda ws: ws.cell(8, 10, 1000.0), 8, "L", "differs from the sum of the countries"),
        (lambda ws: ws.cell(4, 5, "[13]Tigabelas"), 4, "E", "is not a month"),
    ],
)
def test_a_bad_portal_cell_is_located(tmp_path, edit, row, column, message):
    book = write_portal(tmp_path / "bad.xlsx", edit=edit)
    with pytest.raises(HilirDataError, match=re.escape(message)) as err:
        read("bps_exports", book)
    assert (err.value.row, err.value.column) == (row, column)
    assert "sheet 'Sheet1'" in str(err.value) and "bad.xlsx" in str(err.value)


def test_a_formula_without_its_value_is_not_read_as_empty(tmp_path):
    """openpyxl and other programs write formulas without results: refused, never nil."""
    rows = csv_rows(BPS_CSV)
    book = write_xlsx(rows, tmp_path / "rumus.xlsx")
    wb = openpyxl.load_workbook(book)
    wb["Data"]["F3"] = "=E3*0.73"
    wb.save(book)
    with pytest.raises(HilirDataError, match="has no calculated value") as err:
        read("bps_exports", book)
    assert (err.value.row, err.value.column) == (3, "F") and "sheet 'Data'" in str(err.value)


def test_notes_below_a_bps_table_are_not_read_as_rows(tmp_path):
    """BPS static workbooks end with notes under the last Total (as the BPS table 'Ekspor
    Kopi Menurut Negara Tujuan Utama, 2000-2023' does: ``Catatan:``, ``Diolah dari dokumen
    kepabeanan Ditjen Bea dan Cukai (PEB dan PIB)``); they are skipped with a warning."""
    src = FIXTURES / "bps" / "coal_by_destination_2019_2023_2024.csv"
    rows = csv_rows(src)
    notes = [["Catatan:"], ["Diolah dari dokumen kepabeanan Ditjen Bea dan Cukai (PEB dan PIB)"]]
    book = write_xlsx([*rows, [], *notes], tmp_path / "with_notes.xlsx")
    with pytest.warns(
        Warning, match=f"2 note line\\(s\\) below the table \\(from row {len(rows) + 2}\\)"
    ):
        got = READERS["bps_wide"].function()(book, source="t", hs_code="2701")
    pd.testing.assert_frame_equal(got, read("bps_wide", src, hs_code="2701"))


def test_title_rows_above_a_download_header_are_skipped_as_in_its_csv(tmp_path):
    """A workbook saved with a merged title and a blank row above the column names (as
    BPS and users put them) reads like the same CSV: the header is found below them."""
    rows = [
        ["Ekspor Indonesia menurut Kode HS dan Negara Tujuan, 2019-2020"],
        [],
        *csv_rows(BPS_CSV),
    ]
    as_csv = tmp_path / "judul.csv"
    with as_csv.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    book = write_xlsx(rows, tmp_path / "judul.xlsx")
    wb = openpyxl.load_workbook(book)
    wb["Data"].merge_cells("A1:F1")
    wb.save(book)
    with pytest.warns(Warning, match="skipped 2 line"):
        got = READERS["bps_exports"].function()(book, source="t")
    pd.testing.assert_frame_equal(got, read("bps_exports", as_csv))
    assert len(got) == len(read("bps_exports", BPS_CSV))
