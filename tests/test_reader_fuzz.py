"""Every reader, fuzzed: bytes, encodings, line endings, quoting and odd numbers.

Each reader gets mutations of one of its own fixture files (and pure noise). Whatever the
input, a reader either returns a table or raises :class:`~hilir.errors.HilirDataError`; any
other exception (a ``csv.Error``, ``KeyError``, ``OverflowError`` ...) is a defect, because
the user sees a traceback instead of the file, row and column to fix.
"""

from __future__ import annotations

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
    "bps_io": ("io/bps_io_3sector_long.csv", {}),
    "sakernas": ("io/sakernas17_sample.csv", {}),
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


@pytest.mark.parametrize("reader", sorted(CASES))
def test_every_reader_is_covered(reader: str) -> None:
    assert (FIXTURES / CASES[reader][0]).is_file()


def test_the_fuzzed_readers_are_all_the_csv_readers() -> None:
    binary = {"wiod_niot", "destination_values"}  # xlsx only / a table of one product
    assert set(CASES) == set(READERS) - binary


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
