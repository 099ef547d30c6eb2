"""Every reader, fuzzed: bytes, encodings, line endings, quoting and odd numbers.

Each reader gets mutations of one of its own fixture files (and pure noise). Whatever the
input, a reader either returns a table or raises :class:`~hilir.errors.HilirDataError`; any
other exception (a ``csv.Error``, ``KeyError``, ``OverflowError`` ...) is a defect, because
the user sees a traceback instead of the file, row and column to fix.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hilir.data.options import reader_options
from hilir.errors import HilirDataError
from hilir.sources.catalog import READERS

FIXTURES = Path(__file__).parent / "fixtures"

#: reader -> (fixture file, options): a file of the reader's own layout to mutate.
CASES: dict[str, tuple[str, dict[str, str]]] = {
    "comtrade": ("comtrade/legacy_idn_exports.csv", {}),
    "baci": ("baci/BACI_HS17_Y2019_V202401.csv", {}),
    "bps_exports": ("bps/ekspor_hs8_sample.csv", {}),
    "bps_wide": ("bps/coal_by_destination_2019_2023_2024.csv", {"hs_code": "2701"}),
    "bps_production": ("bps/kabkota_produksi_tanaman_ton_2014.csv", {}),
    "faostat_trade": ("faostat/tcl_bulk_normalized.csv", {}),
    "faostat_production": ("faostat/qcl_bulk_normalized.csv", {}),
    "usda_psd": ("usda/psd_coffee_long.csv", {}),
    "ico": ("ico/coffee_export.csv", {"unit": "t"}),
    "pinksheet": ("pinksheet/annual_long.csv", {}),
    "published_figures": ("published/quoted_figures.csv", {}),
    "bi_exports": ("bi/bi_exports_small.csv", {}),
    "bps_io": ("io/bps_io_3sector_long.csv", {}),
    "sakernas": ("io/sakernas17_sample.csv", {}),
    "bps_destinations": (
        "bps/coffee_by_destination_2011_2012_2023.csv",
        {"hs_code": "090111", "totals": "flag"},
    ),
    "bps_port_exports": ("bps_ports/lampung_ports_small.csv", {}),
    "bps_chapter_totals": ("bps_ports/chapter_totals_small.csv", {}),
    "destination_values": (
        "comtrade/destination_values_musd.csv",
        {"year": "2019", "hs_code": "720260", "value_scale": "1000000"},
    ),
}

#: The workbook readers: fixture and options (their cells are fuzzed, and their bytes).
WORKBOOKS: dict[str, tuple[str, dict[str, str]]] = {
    "wiod_niot": ("io/wiod_niot_3industry.xlsx", {"year": "2010"}),
}

ODD_CELLS = ["1e400", "inf", "-inf", "nan", "4928", "2031", '"', '""', "=1+1", "1.234,5", "-", ""]


@st.composite
def mutated(draw: st.DrawFn, original: bytes) -> bytes:
    """A fixture with line endings, quotes, cells, encoding and length changed."""
    text = original.decode("utf-8-sig", errors="replace")
    ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    lines = text.splitlines()
    for _ in range(draw(st.integers(0, 4))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        cells = lines[i].split(",")
        j = draw(st.integers(0, len(cells) - 1))
        cells[j] = draw(st.sampled_from(ODD_CELLS) | st.text(max_size=6))
        lines[i] = ",".join(cells)
    if lines and draw(st.booleans()):
        del lines[draw(st.integers(0, len(lines) - 1))]
    out = ending.join(lines) + draw(st.sampled_from(["", ending]))
    cut = draw(st.integers(0, len(out)))
    if draw(st.booleans()):
        out = out[:cut]
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    return out.encode(encoding, errors="replace")


def _read(reader: str, path: Path, options: dict[str, str]) -> None:
    function = READERS[reader].function()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            function(path, source="fuzz", **reader_options(function, options, reader=reader))
    except HilirDataError:
        pass


@pytest.mark.parametrize("reader", sorted({**CASES, **WORKBOOKS}))
def test_every_reader_is_covered(reader: str) -> None:
    assert (FIXTURES / {**CASES, **WORKBOOKS}[reader][0]).is_file()


def test_the_fuzzed_readers_are_all_the_readers() -> None:
    assert set(CASES) | set(WORKBOOKS) == set(READERS)
    assert not set(CASES) & set(WORKBOOKS)


@pytest.mark.parametrize("reader", sorted(CASES))
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_a_reader_raises_only_hilir_data_errors(reader: str, tmp_path: Path, data) -> None:
    name, options = CASES[reader]
    original = (FIXTURES / name).read_bytes()
    content = data.draw(mutated(original) | st.binary(max_size=200))
    path = tmp_path / Path(name).name
    path.write_bytes(content)
    _read(reader, path, options)


ODD_VALUES: list[object] = [
    None,
    "",
    "x",
    "c1",
    "IDN",
    "Imports",
    "r64",
    "r69",
    -1,
    0,
    1e308,
    float("inf"),
    float("nan"),
    "1.234,5",
    "=1+1",
    True,
]


#: Text a worksheet cell can hold (openpyxl refuses control characters when saving).
_CELL_TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=6)


@st.composite
def mutated_workbook(draw: st.DrawFn, original: bytes) -> bytes:
    """A workbook with cells overwritten or cleared, rows deleted, sheets renamed, or cut."""
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(original))
    ws = wb[draw(st.sampled_from(wb.sheetnames))]
    for _ in range(draw(st.integers(0, 6))):
        row = draw(st.integers(1, max(ws.max_row, 1) + 1))
        col = draw(st.integers(1, max(ws.max_column, 1) + 1))
        ws.cell(row=row, column=col).value = draw(
            st.sampled_from(ODD_VALUES) | _CELL_TEXT | st.integers(-(10**6), 10**6)
        )
    if draw(st.booleans()):
        ws.delete_rows(draw(st.integers(1, max(ws.max_row, 1))), draw(st.integers(1, 3)))
    if draw(st.booleans()):
        ws.delete_cols(draw(st.integers(1, max(ws.max_column, 1))), 1)
    if draw(st.integers(0, 9)) == 0:
        ws.title = draw(st.sampled_from(["2009", "Sheet1", "2010 "]))
    buffer = io.BytesIO()
    wb.save(buffer)
    out = buffer.getvalue()
    if draw(st.integers(0, 9)) == 0:
        out = out[: draw(st.integers(0, len(out)))]
    return out


@pytest.mark.parametrize("reader", sorted(WORKBOOKS))
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_a_workbook_reader_raises_only_hilir_data_errors(reader: str, tmp_path: Path, data) -> None:
    name, options = WORKBOOKS[reader]
    original = (FIXTURES / name).read_bytes()
    content = data.draw(mutated_workbook(original) | st.binary(max_size=200))
    path = tmp_path / Path(name).name
    path.write_bytes(content)
    _read(reader, path, options)


def _wiod_with(tmp_path: Path, edits: dict[str, object]) -> Path:
    from openpyxl import load_workbook

    wb = load_workbook(FIXTURES / WORKBOOKS["wiod_niot"][0])
    for cell, value in edits.items():
        wb["2010"][cell] = value
    path = tmp_path / "wiod.xlsx"
    wb.save(path)
    return path


def test_wiod_incomplete_imports_block_is_a_located_error(tmp_path: Path) -> None:
    """Found by the fuzzer: one imports row missing raised a KeyError."""
    function = READERS["wiod_niot"].function()
    with pytest.raises(HilirDataError, match="no imports rows for \\['c2'\\]"):
        function(_wiod_with(tmp_path, {"D11": None}), year=2010)


def test_wiod_repeated_industry_code_is_an_error(tmp_path: Path) -> None:
    """Two industries coded AtB would silently merge into one index label."""
    function = READERS["wiod_niot"].function()
    with pytest.raises(HilirDataError, match="repeats industry code 'AtB'") as err:
        function(_wiod_with(tmp_path, {"A8": "AtB"}), year=2010)
    assert (err.value.row, err.value.column) == (8, "A")
