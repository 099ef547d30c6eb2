"""One number format per column: no 1000x errors from Indonesian separators (issue 13, item 5).

Before, each cell was read on its own: in one column ``2.700.000`` was 2.7 million (two dots:
Indonesian thousands) but ``456.000`` was 456 (one dot: a decimal point), and ``1,450`` in a
BPS production table was 1,450 beside ``1.234,5``. The decimal mark is now decided once for
the whole column from the cells that show it, and a column that shows both is an error.
"""

from __future__ import annotations

import pandas as pd
import pytest

from hilir.errors import HilirDataError
from hilir.schema.cells import column_decimal, parse_numbers
from hilir.sources.bps_production import read_bps_production
from hilir.sources.bps_trade import read_bps_exports, read_bps_wide


def _frame(*cells: str) -> pd.DataFrame:
    return pd.DataFrame({"v": list(cells), "_row": range(2, len(cells) + 2)})


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (("2.700.000", "456.000"), [2_700_000.0, 456_000.0]),
        (("456.000", "2.700.000"), [456_000.0, 2_700_000.0]),  # order does not matter
        (("1,450", "1.234,5"), [1.45, 1_234.5]),
        (("1,450", "12.5"), [1_450.0, 12.5]),
        (("456.000", "0.135"), [456.0, 0.135]),
        (("1,234,567", "456,000"), [1_234_567.0, 456_000.0]),
        (("456.000", "-", "12"), [456.0, float("nan"), 12.0]),  # only ambiguous: a decimal dot
        (("52,543", "923"), [52_543.0, 923.0]),  # only ambiguous: a thousands comma
    ],
)
def test_a_column_is_read_in_one_format(cells, expected) -> None:
    got = parse_numbers(_frame(*cells), "v", path="t.csv").tolist()
    assert got == pytest.approx(expected, nan_ok=True)


@pytest.mark.parametrize(
    ("cells", "first", "second"),
    [
        (("2.700.000", "12.5"), "'2.700.000' (line 2)", "'12.5' (line 3)"),
        (("456.000", "1,450"), "'456.000' (line 2)", "'1,450' (line 3)"),
        (("12,5", "-", "1,234.5"), "'12,5' (line 2)", "'1,234.5' (line 4)"),
    ],
)
def test_a_column_in_two_formats_is_an_error_naming_it(cells, first, second) -> None:
    with pytest.raises(HilirDataError, match="mixes number formats") as err:
        parse_numbers(_frame(*cells), "v", path="t.csv")
    assert err.value.column == "v" and err.value.path == "t.csv"
    assert first in str(err.value) and second in str(err.value)
    assert column_decimal(["1", "2"], path=None, column="v") == "auto"


def test_export_download_weight_column_in_indonesian_style(tmp_path) -> None:
    head = "Kode HS,Deskripsi HS,Negara Tujuan Ekspor,Periode,Berat (Kg),Nilai (USD)\n"
    rows = (
        '09011110,Kopi robusta,Jepang,202001,"2.700.000","4.590.000"\n'
        '09011110,Kopi robusta,Malaysia,202001,"456.000","775.200"\n'
        '09011110,Kopi robusta,Mesir,202002,"1.250.000","2.125.000"\n'
    )
    path = tmp_path / "ekspor.csv"
    path.write_text(head + rows, encoding="utf-8")
    df = read_bps_exports(path).set_index("partner")
    assert df.loc["JPN", "net_weight_kg"] == 2_700_000.0
    assert df.loc["MYS", "net_weight_kg"] == 456_000.0  # was read as 456 kg
    assert df.loc["MYS", "value_usd"] == 775_200.0  # was read as US$775.2


def test_wide_table_with_indonesian_thousands_adds_up(tmp_path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(
        "Ekspor Kopi menurut Negara Tujuan,,\n,,\nNegara Tujuan,2019,2020\n"
        ",Berat Bersih : Ton,\n"
        'Jepang,"2.700.000","2.500.000"\nLainnya,"456.000","1.000"\n'
        'Total,"3.156.000","2.501.000"\n'
        ",Nilai FOB : Ribu US$,\n"
        'Jepang,"5.400.000","5.000.000"\nLainnya,"912.000","2.000"\n'
        'Total,"6.312.000","5.002.000"\n'
    )
    df = read_bps_wide(path, source="x", hs_code="0901")
    other = df[(df["partner"] == "XOT") & (df["year"] == 2019)]["net_weight_kg"].item()
    assert other == pytest.approx(456_000e3)  # tonnes to kg; was 456 t, and the total failed
    value = df[(df["partner"] == "XOT") & (df["year"] == 2019)]["value_usd"].item()
    assert value == pytest.approx(912_000e3)


def test_production_column_with_a_decimal_comma(fixtures_dir, tmp_path) -> None:
    text = (fixtures_dir / "bps" / "kabkota_produksi_tanaman_ton_2014.csv").read_text(
        encoding="utf-8-sig"
    )
    text = text.replace("Lampung Selatan,923,", 'Lampung Selatan,"1,450",')
    text = text.replace("Lampung Timur,492,", 'Lampung Timur,"1.234,5",')
    text = text.replace("Provinsi Lampung,131501,", 'Provinsi Lampung,"131.501",')
    path = tmp_path / "kabkota_produksi_tanaman_ton_2014.csv"
    path.write_text(text, encoding="utf-8")
    df = read_bps_production(path, source="x")
    robusta = df[df["crop"] == "coffee_robusta"].set_index("geo")["production_t"]
    assert robusta.loc["ID-LA-lampung-selatan"] == pytest.approx(1.45)
    assert robusta.loc["ID-LA-lampung-timur"] == pytest.approx(1_234.5)
    assert robusta.loc["ID-LA"] == pytest.approx(131_501.0)
