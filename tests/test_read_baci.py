"""CEPII BACI reader: units, country codes, HS6 padding, revisions and bad input."""

from __future__ import annotations

import numpy as np
import pytest

from hilir.errors import HilirDataError, HilirDataWarning
from hilir.schema.tables import TRADE
from hilir.sources.baci import read_baci

pytestmark = pytest.mark.filterwarnings("ignore::hilir.errors.HilirDataWarning")

FILE = "BACI_HS17_Y2019_V202401.csv"


@pytest.fixture
def baci(fixtures_dir):
    return fixtures_dir / "baci"


def _copy(src, tmp_path, transform, name=FILE):
    out = tmp_path / name
    out.write_text(transform(src.read_text(encoding="utf-8")), encoding="utf-8")
    return out


def test_units_codes_and_revision(baci):
    df = read_baci(baci / FILE)
    assert list(df.columns) == TRADE.names
    ore = df[(df["partner"] == "CHN") & (df["hs_code"] == "260400")].iloc[0]
    # v is thousand USD, q is tonnes.
    assert ore["value_usd"] == pytest.approx(1_097_012_524.0)
    assert ore["net_weight_kg"] == pytest.approx(32_380_173_000.0)
    assert (ore["reporter"], ore["flow"], ore["hs_revision"]) == ("IDN", "export", "HS2017")
    assert set(df["source"]) == {"baci"} and df["month"].isna().all()
    # Comtrade numeric variants: 842 is the USA, 251 France, 490 Other Asia nes.
    assert {"USA", "XOA"} <= set(df["partner"])
    assert "FRA" in set(df["reporter"])
    assert df.loc[df["partner"] == "XOA", "partner_type"].unique().tolist() == ["residual"]
    # Small values keep their decimals: 0.135 thousand USD is USD 135.
    fr = df[df["reporter"] == "FRA"].iloc[0]
    assert (fr["value_usd"], fr["net_weight_kg"]) == pytest.approx((135.0, 1.0))


def test_integer_hs6_codes_padded_with_warning(baci):
    with pytest.warns(HilirDataWarning, match="leading zero"):
        df = read_baci(baci / FILE)
    assert {"090111"} <= set(df["hs_code"])
    assert "90111" not in set(df["hs_code"])


def test_na_quantity_is_missing_not_zero(baci):
    df = read_baci(baci / FILE)
    usa = df[(df["partner"] == "USA") & (df["reporter"] == "IDN")].iloc[0]
    assert np.isnan(usa["net_weight_kg"])
    assert usa["value_usd"] == pytest.approx(250_000_500.0)


def test_thousands_separators_and_decimal_comma(baci, tmp_path):
    def style(text):
        return text.replace(",1097012.524,", ',"1,097,012.524",').replace(",0.135,", ',"0,135",')

    df = read_baci(_copy(baci / FILE, tmp_path, style))
    assert df["value_usd"].iloc[0] == pytest.approx(1_097_012_524.0)
    assert df.loc[df["reporter"] == "FRA", "value_usd"].item() == pytest.approx(135.0)


def test_country_code_table(baci):
    df = read_baci(baci / FILE, country_codes=baci / "country_codes_V202401.csv")
    assert set(df["reporter"]) == {"IDN", "BRA", "FRA"}
    # ISO3 "S19" is not ISO: the name "Other Asia, nes" decides.
    assert "XOA" in set(df["partner"])


def test_filters(baci):
    df = read_baci(baci / FILE, exporters=["Indonesia"], hs_prefixes=["0901"])
    assert set(df["reporter"]) == {"IDN"} and set(df["hs_code"]) == {"090111"}


def test_revision_from_argument_or_warning(baci, tmp_path):
    path = _copy(baci / FILE, tmp_path, str, name="baci_2019.csv")
    with pytest.warns(HilirDataWarning, match="revision"):
        df = read_baci(path)
    assert df["hs_revision"].isna().all()
    assert set(read_baci(path, hs_revision="HS2017")["hs_revision"]) == {"HS2017"}


@pytest.mark.parametrize(
    ("transform", "row", "column", "match"),
    [
        (lambda t: t.replace("t,i,j,k,v,q", "t,i,j,k,value,q"), 1, "v", "missing column"),
        (lambda t: t.replace(",1097012.524,", ",-1097012.524,"), 2, "v", "negative"),
        (lambda t: t.replace(",1097012.524,", ",1O97012,"), 2, "v", "not a number"),
        (lambda t: t.replace(",1097012.524,", ",NA,"), 2, "v", "missing"),
        (lambda t: t.replace(",1097012.524,", ",inf,"), 2, "v", "not a number"),
        (lambda t: t.replace(",1097012.524,32380173", ",1.0,-inf"), 2, "q", "not a number"),
        (lambda t: t.replace("2019,360,156,720260", "2019.5,360,156,720260"), 3, "t", "whole"),
        (
            lambda t: t.replace("2019,360,156,720260", "99999999999999999999,360,156,720260"),
            3,
            "t",
            "whole",
        ),
        (lambda t: t.replace("2019,360,156,720260", "2019,360,999,720260"), 3, "j", "999"),
        (lambda t: t.replace("2019,360,156,720260", "2019,360,156,7202600"), 3, "k", "6 digits"),
        (lambda t: t.replace("2019,360,156,720260", "2019,360,156,720A60"), 3, "k", "digits"),
        (lambda t: t + "2019,360,156,260400,1.0,1.0\n", 9, "k", "twice"),
        (lambda t: t[: t.rindex(",0.135")], 8, "v", "cut"),
    ],
)
def test_bad_input(baci, tmp_path, transform, row, column, match):
    path = _copy(baci / FILE, tmp_path, transform)
    with pytest.raises(HilirDataError, match=match) as err:
        read_baci(path)
    assert (err.value.row, err.value.column) == (row, column)


def test_code_missing_from_country_table(baci, tmp_path):
    path = _copy(baci / FILE, tmp_path, lambda t: t.replace("\n2019,76,", "\n2019,711,"))
    with pytest.raises(HilirDataError, match="711") as err:
        read_baci(path, country_codes=baci / "country_codes_V202401.csv")
    assert (err.value.row, err.value.column) == (7, "i")


def test_empty_and_header_only(tmp_path):
    empty = tmp_path / FILE
    empty.write_text("")
    with pytest.raises(HilirDataError, match="empty"):
        read_baci(empty)
    empty.write_text("t,i,j,k,v,q\n")
    with pytest.raises(HilirDataError, match="no data rows"):
        read_baci(empty)
