"""UN Comtrade bulk files through the streaming, filter-first scan (issue 17).

Every layout is read with ``bulk=True`` (the Polars scan of
:mod:`hilir.sources.comtrade_bulk`) and ``bulk=False`` (every cell read as text): the tables
are the same, with and without selections, for CSV, gzip and zip files, and a bad file gives
the same located error (file, row, column) either way.
"""

from __future__ import annotations

import csv
import gzip
import io
import itertools
import warnings
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from hilir.errors import HilirDataError, HilirDataWarning
from hilir.sources._common import find_column
from hilir.sources._comtrade_fields import COLUMNS
from hilir.sources.comtrade import read_comtrade
from hilir.sources.comtrade_bulk import scan_comtrade

pytestmark = pytest.mark.filterwarnings("ignore::hilir.errors.HilirDataWarning")

REPORTERS = [("360", "IDN", "Indonesia"), ("156", "CHN", "China"), ("842", "USA", "USA")]
PARTNERS = [("0", "WLD", "World"), ("392", "JPN", "Japan"), ("490", "", "Other Asia, nes")]
CODES = ["90111", "90112", "720260", "2604"]
YEARS = [2018, 2019]
#: layout -> (fixture, template line, flow codes for export/import, the arguments it needs)
LAYOUTS = {
    "legacy_download": ("legacy_idn_exports.csv", 1, None),
    "legacy_bulk": ("legacy_bulk_coffee_idn.csv", 2, ("2", "1")),
    "current": ("current_api_idn_2019.csv", 1, ("X", "M")),
}
NEEDS = {"legacy_download": {"reporter": "IDN", "partner": "WLD", "flow": "export"}}


def _synthetic(comtrade: Path, layout: str, tmp_path: Path) -> Path:
    """A file of every reporter, partner, flow, year and code, from a fixture's line."""
    fixture, line, flow_codes = LAYOUTS[layout]
    text = (comtrade / fixture).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    header, template = rows[0], rows[line]
    col = {role: find_column(header, names) for role, names in COLUMNS.items()}
    at = {name: i for i, name in enumerate(header)}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    reporters = REPORTERS if col["reporter_iso"] else REPORTERS[:1]
    partners = PARTNERS if col["partner_iso"] else PARTNERS[:1]
    flows = [0, 1] if flow_codes else [0]
    n = 0
    for rep, par, flow, year, code in itertools.product(reporters, partners, flows, YEARS, CODES):
        row = list(template)
        n += 1

        def put(role: str, value: str, row: list[str] = row) -> None:
            if col[role]:
                row[at[col[role]]] = value

        put("year", str(year))
        put("period", str(year))
        put("reporter_code", rep[0])
        put("reporter_iso", rep[1])
        put("reporter_name", rep[2])
        put("partner_code", par[0])
        put("partner_iso", par[1] if layout != "current" or par[1] != "WLD" else "W00")
        put("partner_name", par[2])
        if flow_codes:
            put("flow_code", flow_codes[flow])
            put("flow", ["Export", "Import"][flow])
        put("hs", code)
        put("value", str(1000 + n))
        put("weight", str(10 * n) if n % 7 else "")
        if "refPeriodId" in at:
            row[at["refPeriodId"]] = f"{year}0101"
        writer.writerow(row)
    path = tmp_path / f"{layout}.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


@pytest.fixture
def comtrade(fixtures_dir):
    return fixtures_dir / "comtrade"


def _read(path, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", HilirDataWarning)
        return read_comtrade(path, **kwargs)


def _same(path, **kwargs) -> pd.DataFrame:
    plain = _read(path, bulk=False, **kwargs)
    scanned = _read(path, bulk=True, **kwargs)
    pd.testing.assert_frame_equal(scanned, plain)
    return plain


def _same_error(path, **kwargs) -> HilirDataError:
    with pytest.raises(HilirDataError) as plain:
        _read(path, bulk=False, **kwargs)
    with pytest.raises(HilirDataError) as scanned:
        _read(path, bulk=True, **kwargs)
    got = (scanned.value.reason, scanned.value.path, scanned.value.row, scanned.value.column)
    want = (plain.value.reason, plain.value.path, plain.value.row, plain.value.column)
    assert got == want
    return scanned.value


SELECTIONS = [
    {},
    {"years": [2019]},
    {"hs_prefixes": ["0901"]},
    {"reporter": "IDN", "partner": "JPN", "flow": "export"},
    {"reporter": "China", "years": [2018], "hs_prefixes": ["72", "090112"]},
    {"partner": "Other Asia, nes", "flow": "import"},
]


@pytest.mark.parametrize("layout", list(LAYOUTS))
@pytest.mark.parametrize("selection", SELECTIONS, ids=lambda s: ",".join(s) or "all")
def test_bulk_equals_plain(comtrade, tmp_path, layout, selection):
    path = _synthetic(comtrade, layout, tmp_path)
    args = {**selection, **NEEDS.get(layout, {})}
    if layout == "legacy_download" and {"reporter", "partner"} & set(selection):
        args.update(NEEDS[layout])  # a file without those columns: the arguments say them
    df = _same(path, **args)
    assert not df.empty
    if "years" in selection:
        assert set(df["year"]) == set(selection["years"])
    if "hs_prefixes" in selection:
        assert df["hs_code"].str.startswith(tuple(selection["hs_prefixes"])).all()


@pytest.mark.parametrize(
    "name",
    [
        "legacy_idn_exports.csv",
        "legacy_world_exporters.csv",
        "legacy_bulk_coffee_idn.csv",
        "legacy_bulk_heading_subheadings.csv",
        "current_api_idn_2019.csv",
        "current_api_idn_monthly.csv",
        "r_write_csv_historic.csv",
    ],
)
def test_fixtures_bulk_equals_plain(comtrade, name):
    args = {"partner": "WLD", "flow": "export"} if name.startswith("legacy_") else {}
    if name == "legacy_idn_exports.csv":
        args["reporter"] = "IDN"
    if name == "r_write_csv_historic.csv":
        args = {"reporter": "IDN", "flow": "export"}
    if name.startswith("legacy_bulk"):
        args = {}
    _same(comtrade / name, **args)


def test_scan_keeps_only_rows_asked_and_suspect(comtrade, tmp_path):
    path = _synthetic(comtrade, "current", tmp_path)
    scan = scan_comtrade(path, reporter="IDN", partner="JPN", flow="export", years=[2019])
    assert scan.scanned and scan.frame["_keep"].all() and scan.suspect == 0
    # JPN's rows, and the rows whose partner has no ISO code (resolved by name later)
    assert len(scan.frame) == 2 * len(CODES)
    assert set(scan.frame["partnerISO"]) == {"JPN", ""}
    # the line numbers are the file's: the header is line 1
    lines = path.read_text(encoding="utf-8").splitlines()
    for row in scan.frame["_row"]:
        assert ",2019,360,IDN,Indonesia,X,Export," in lines[row - 1]


@pytest.mark.parametrize("kind", ["gz", "zip"])
def test_gzip_and_zip(comtrade, tmp_path, kind):
    src = _synthetic(comtrade, "current", tmp_path)
    if kind == "gz":
        path = tmp_path / "comtrade.csv.gz"
        path.write_bytes(gzip.compress(src.read_bytes()))
    else:
        path = tmp_path / "comtrade.zip"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.write(src, "comtrade.csv")
    args = {"reporter": "IDN", "flow": "export", "hs_prefixes": ["0901"]}
    want = _read(src, bulk=False, **args)
    for bulk in (None, True, False):  # by default a compressed file is scanned
        pd.testing.assert_frame_equal(_read(path, bulk=bulk, **args), want)
    # an error in the compressed file names the archive and the line in the CSV
    bad = src.read_text(encoding="utf-8").replace(",1001,", ",10x1,", 1)
    if kind == "gz":
        path.write_bytes(gzip.compress(bad.encode()))
    else:
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr("comtrade.csv", bad)
    err = _same_error(path, **args)
    assert (err.path, err.row) == (str(path), 2)


def test_zip_with_two_csv_files_is_refused(comtrade, tmp_path):
    src = _synthetic(comtrade, "current", tmp_path)
    path = tmp_path / "two.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.write(src, "a.csv")
        zf.write(src, "b.csv")
    with pytest.raises(HilirDataError, match="2 CSV files"):
        _read(path, bulk=True)


# --- bad input: the same located error on both paths -----------------------------------------


def _edit(src: Path, tmp_path: Path, transform, name: str = "bad.csv") -> Path:
    out = tmp_path / name
    out.write_text(transform(src.read_text(encoding="utf-8-sig")), encoding="utf-8")
    return out


def _line(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, s in enumerate(lines, 1) if needle in s)


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_malformed_number(comtrade, tmp_path, layout):
    src = _synthetic(comtrade, layout, tmp_path)
    path = _edit(src, tmp_path, lambda t: t.replace(",1003,", ",10.1.0x,", 1))
    err = _same_error(path, **NEEDS.get(layout, {}))
    assert "not a number" in err.reason
    assert (err.row, err.column) == (
        _line(path, "10.1.0x"),
        find_column(next(csv.reader([path.read_text().splitlines()[0]])), COLUMNS["value"]),
    )


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_missing_column(comtrade, tmp_path, layout):
    src = _synthetic(comtrade, layout, tmp_path)
    first, _rest = src.read_text(encoding="utf-8").split("\n", 1)
    value = find_column(next(csv.reader([first])), COLUMNS["value"])
    path = _edit(src, tmp_path, lambda t: t.replace(value, "Value", 1))
    err = _same_error(path, **NEEDS.get(layout, {}))
    assert "missing column" in err.reason and err.row == 1


@pytest.mark.parametrize("layout", ["legacy_bulk", "current"])
def test_codes_stored_as_numbers_restored_with_warning(comtrade, tmp_path, layout):
    path = _synthetic(comtrade, layout, tmp_path)
    with pytest.warns(HilirDataWarning, match="lost leading zeros"):
        df = read_comtrade(path, bulk=True, hs_prefixes=["0901"])
    assert set(df["hs_code"]) == {"090111", "090112"}
    _same(path, hs_prefixes=["0901"])


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_cut_last_line(comtrade, tmp_path, layout):
    src = _synthetic(comtrade, layout, tmp_path)
    text = src.read_text(encoding="utf-8").rstrip("\n")
    path = _edit(src, tmp_path, lambda t: text[: text.rindex("\n") + 12])
    err = _same_error(path, **NEEDS.get(layout, {}))
    assert "cut" in err.reason
    assert err.row == len(text.splitlines())


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_duplicate_flow(comtrade, tmp_path, layout):
    src = _synthetic(comtrade, layout, tmp_path)
    lines = src.read_text(encoding="utf-8").splitlines()
    path = _edit(src, tmp_path, lambda t: "\n".join([*lines, lines[3]]) + "\n")
    err = _same_error(path, **NEEDS.get(layout, {}))
    assert "already on row 4" in err.reason and err.row == len(lines) + 1


def test_bad_cells_outside_the_selection_are_still_found(comtrade, tmp_path):
    """A bad year or flow code in a row the filters drop: the scan keeps it, the checks name it."""
    src = _synthetic(comtrade, "current", tmp_path)
    args = {"reporter": "IDN", "partner": "JPN", "flow": "export", "years": [2019]}
    bad_year = _edit(src, tmp_path, lambda t: t.replace(",2018,52,2018,156,", ",218,52,2018,156,"))
    err = _same_error(bad_year, **args)
    assert (err.row, err.column) == (_line(bad_year, ",218,52,"), "refYear")
    bad_flow = _edit(
        src, tmp_path, lambda t: t.replace(",842,USA,USA,M,Import,", ",842,USA,USA,Q,?,")
    )
    err = _same_error(bad_flow, **args)
    assert "unknown trade flow" in err.reason
    assert err.row == _line(bad_flow, ",Q,?,")


def test_title_lines_and_semicolons(comtrade, tmp_path):
    src = comtrade / "legacy_idn_exports.csv"
    path = _edit(src, tmp_path, lambda t: "UN Comtrade export,,,,,\nIndonesia,,,,,\n" + t)
    with pytest.warns(HilirDataWarning, match="skipped 2 line"):
        read_comtrade(path, bulk=True, reporter="IDN", partner="WLD", flow="export")
    _same(path, reporter="IDN", partner="WLD", flow="export", years=[2019])
    bad = _edit(path, tmp_path, lambda t: t.replace("1097012524", "abc"), name="bad2.csv")
    err = _same_error(bad, reporter="IDN", partner="WLD", flow="export")
    assert (err.row, err.column) == (4, "Trade Value (US$)")


def test_windows_1252_file(comtrade, tmp_path):
    src = _synthetic(comtrade, "legacy_bulk", tmp_path)
    path = tmp_path / "cp1252.csv"
    path.write_bytes(src.read_text(encoding="utf-8").encode("cp1252"))
    _same(path, partner="JPN")
