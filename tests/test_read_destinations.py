"""read_destination_values: two-column destination tables (the ferro-nickel example) -> TRADE."""

from __future__ import annotations

import csv
import math
import warnings
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hilir.errors import HilirDataError, HilirDataWarning
from hilir.schema.tables import TRADE
from hilir.sources.destinations import read_destination_values

RAW = Path(__file__).resolve().parent.parent / "data" / "raw" / "comtrade"
SHIPPED = RAW / "idn_ferronickel_export_destinations_musd.csv"
NICKEL = RAW / "idn_exports_2604_720260_7218_7219_1989_2020.csv"

HEADER = '"Tujuan Ekspor","Nilai Ekspor (Juta USD)"\n'
#: The shipped file's layout and values (quoted names, a space before each number).
FIXTURE = HEADER + (
    '"China", 4545.63\n"India", 128.56\n"Korea Selatan", 41.53\n"Asia lain", 21.40\n"Belgia", 1.98'
)
VALUE_COL = "Nilai Ekspor (Juta USD)"
DEST_COL = "Tujuan Ekspor"

ARGS = {"source": "test_dest", "year": 2020, "hs_code": "720260", "value_scale": 1_000_000}


def _write(tmp_path: Path, text: str, name: str = "dest.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _read(path: Path, **kwargs: object) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning unless the year is inferred
        return read_destination_values(path, **{**ARGS, **kwargs})  # type: ignore[arg-type]


def test_fixture_is_read_into_the_trade_table(tmp_path):
    df = _read(_write(tmp_path, FIXTURE))
    assert list(df.columns) == TRADE.names
    assert df["partner"].tolist() == ["CHN", "IND", "KOR", "XOA", "BEL"]
    assert df["partner_type"].tolist() == ["country", "country", "country", "residual", "country"]
    assert df["value_usd"].tolist() == pytest.approx(
        [4_545_630_000, 128_560_000, 41_530_000, 21_400_000, 1_980_000]
    )
    assert df["value_usd"].sum() == pytest.approx(4_739_100_000)
    assert df["net_weight_kg"].isna().all()
    assert df["month"].isna().all()
    assert set(df["year"]) == {2020}
    assert set(df["reporter"]) == {"IDN"}
    assert set(df["flow"]) == {"export"}
    assert set(df["hs_code"]) == {"720260"} and set(df["hs6"]) == {"720260"}
    assert set(df["item_code"]) == {""}
    assert set(df["hs_revision"]) == {"HS2017"}
    assert set(df["source"]) == {"test_dest"}


def test_inferred_year_warns_and_leaves_revision_missing(tmp_path):
    path = _write(tmp_path, FIXTURE)
    with pytest.warns(HilirDataWarning, match="year 2020 is inferred"):
        df = read_destination_values(path, **ARGS, year_inferred=True)
    assert df["hs_revision"].isna().all()
    assert set(df["year"]) == {2020}


def test_shipped_file_sums_to_the_2020_ferronickel_total():
    """The reason 2020 is inferred: the five rows equal Comtrade's 2020 HS 720260 total."""
    with pytest.warns(HilirDataWarning, match="inferred"):
        df = read_destination_values(SHIPPED, **ARGS, year_inferred=True)
    assert len(df) == 5
    with NICKEL.open(encoding="utf-8-sig", newline="") as fh:
        totals = {
            int(r["Year"]): float(r["Trade Value (US$)"])
            for r in csv.DictReader(fh)
            if r["Commodity Code"] == "720260"
        }
    assert totals[2020] == 4_739_112_331
    total = df["value_usd"].sum()
    # Five values rounded to USD 0.01 million can be off by at most 5 x 0.005 million.
    assert abs(total - totals[2020]) <= 25_000
    others = [y for y, v in totals.items() if y != 2020 and abs(v - total) <= 0.01 * total]
    assert others == []


def test_import_table_in_thousands_with_indonesian_numbers(tmp_path):
    text = '"Negara Asal","Nilai Impor (Ribu USD)"\nJepang,"1.234,5"\nDunia,"1.300,0"\n'
    df = _read(_write(tmp_path, text), flow="import", value_scale=1000, reporter="ID-LA")
    assert df["partner"].tolist() == ["JPN", "WLD"]
    assert df["partner_type"].tolist() == ["country", "world"]
    assert df["value_usd"].tolist() == pytest.approx([1_234_500, 1_300_000])
    assert set(df["flow"]) == {"import"} and set(df["reporter"]) == {"ID-LA"}


def test_header_without_unit_takes_value_scale(tmp_path):
    df = _read(_write(tmp_path, "Destination,Value\nJapan,2.5\n"), value_scale=1e9)
    assert df["value_usd"].tolist() == [2_500_000_000]


# --- bad inputs ------------------------------------------------------------------------------


def test_missing_value_column_is_named(tmp_path):
    path = _write(tmp_path, '"Tujuan Ekspor","Jumlah"\nChina,1\n')
    with pytest.raises(HilirDataError, match="no value column") as exc:
        _read(path)
    assert exc.value.row == 1 and exc.value.column == "value"
    assert "Jumlah" in str(exc.value)


def test_missing_destination_column_is_named(tmp_path):
    path = _write(tmp_path, '"Produk","Nilai Ekspor (Juta USD)"\nFeNi,1\n')
    with pytest.raises(HilirDataError, match="no destination column") as exc:
        _read(path)
    assert exc.value.row == 1 and exc.value.column == "destination"


def test_non_number_names_row_and_column(tmp_path):
    path = _write(tmp_path, FIXTURE.replace("128.56", "128.5x"))
    with pytest.raises(HilirDataError, match="not a number") as exc:
        _read(path)
    assert exc.value.row == 3 and exc.value.column == VALUE_COL


def test_missing_value_names_row_and_column(tmp_path):
    path = _write(tmp_path, FIXTURE.replace(" 41.53", " -"))
    with pytest.raises(HilirDataError, match="missing") as exc:
        _read(path)
    assert exc.value.row == 4 and exc.value.column == VALUE_COL


def test_negative_value_names_row_and_column(tmp_path):
    path = _write(tmp_path, FIXTURE.replace("21.40", "-21.40"))
    with pytest.raises(HilirDataError, match="negative") as exc:
        _read(path)
    assert exc.value.row == 5 and exc.value.column == VALUE_COL


def test_duplicate_destination_names_second_row(tmp_path):
    path = _write(tmp_path, FIXTURE + '\n"China", 1.00\n')
    with pytest.raises(HilirDataError, match="already on row 2") as exc:
        _read(path)
    assert exc.value.row == 7 and exc.value.column == DEST_COL


def test_same_country_under_two_spellings_is_a_duplicate(tmp_path):
    path = _write(tmp_path, FIXTURE.replace('"India"', '"Tiongkok"'))
    with pytest.raises(HilirDataError, match="CHN") as exc:
        _read(path)
    assert exc.value.row == 3 and exc.value.column == DEST_COL


def test_unknown_destination_names_row_and_column(tmp_path):
    path = _write(tmp_path, FIXTURE.replace('"Belgia"', '"Atlantis"'))
    with pytest.raises(HilirDataError, match="Atlantis") as exc:
        _read(path)
    assert exc.value.row == 6 and exc.value.column == DEST_COL


def test_empty_destination_names_row(tmp_path):
    path = _write(tmp_path, FIXTURE.replace('"India"', '""'))
    with pytest.raises(HilirDataError, match="empty") as exc:
        _read(path)
    assert exc.value.row == 3 and exc.value.column == DEST_COL


def test_header_unit_contradicting_value_scale(tmp_path):
    path = _write(tmp_path, FIXTURE)
    with pytest.raises(HilirDataError, match="value_scale=1,000,000") as exc:
        _read(path, value_scale=1000)
    assert exc.value.row == 1 and exc.value.column == VALUE_COL


def test_cut_file_names_the_short_line(tmp_path):
    path = _write(tmp_path, FIXTURE.rsplit(",", 1)[0])  # last line is '"Belgia"'
    with pytest.raises(HilirDataError) as exc:
        _read(path)
    assert exc.value.row == 6


def test_empty_file(tmp_path):
    with pytest.raises(HilirDataError, match="empty"):
        _read(_write(tmp_path, ""))


def test_header_only(tmp_path):
    with pytest.raises(HilirDataError, match="no data rows"):
        _read(_write(tmp_path, HEADER))


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("flow", "re-export"),
        ("year", "2020"),
        ("year", 20),
        ("hs_code", 720260),
        ("hs_code", "90111"),
        ("value_scale", 0),
        ("value_scale", -1e6),
        ("value_scale", float("nan")),
        ("reporter", "Indonesia"),
        ("reporter", "ID-XX"),
        ("reporter", "idn"),
    ],
)
def test_bad_options_are_refused(tmp_path, option, value):
    path = _write(tmp_path, FIXTURE)
    with pytest.raises(ValueError, match=option.split("_")[0]):
        _read(path, **{option: value})


def test_input_file_is_not_changed(tmp_path):
    path = _write(tmp_path, FIXTURE)
    before = path.read_bytes()
    _read(path)
    assert path.read_bytes() == before


@settings(max_examples=40, deadline=None)
@given(
    values=st.lists(
        st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False), min_size=1, max_size=6
    ),
    scale=st.sampled_from([1.0, 1e3, 1e6]),
)
def test_value_usd_is_value_times_scale(tmp_path_factory, values, scale):
    names = ["Japan", "China", "India", "Malaysia", "Thailand", "Viet Nam"][: len(values)]
    lines = ["Destination,Value"] + [f"{n},{v}" for n, v in zip(names, values, strict=True)]
    path = tmp_path_factory.mktemp("prop") / "d.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    df = _read(path, value_scale=scale)
    expected = [float(Decimal(v) * Decimal(scale)) for v in values]
    assert all(
        math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-6)
        for a, b in zip(df["value_usd"], expected, strict=True)
    )
    assert df["value_usd"].sum() == pytest.approx(sum(expected))
