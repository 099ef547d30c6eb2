"""BPS readers: export download, static wide tables, Lampung plantation tables, jump flags."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from hilir.data.quality import flag_jumps
from hilir.errors import HilirDataError, HilirDataWarning
from hilir.schema.tables import PRODUCTION, TRADE
from hilir.sources.bps_production import crop_key, read_bps_production
from hilir.sources.bps_trade import TRADE_WITH_PORT, parse_unit, read_bps_exports, read_bps_wide

pytestmark = pytest.mark.filterwarnings("ignore::hilir.errors.HilirDataWarning")

COAL = "coal_by_destination_2019_2023_2024.csv"
COPPER = "copper_ore_by_destination_2014_2024.csv"
EKSPOR = "ekspor_hs8_sample.csv"


@pytest.fixture
def bps(fixtures_dir):
    return fixtures_dir / "bps"


def _copy(src, tmp_path, transform, name="file.csv", bom=False):
    text = src.read_text(encoding="utf-8-sig")
    out = tmp_path / name
    out.write_text(("\ufeff" if bom else "") + transform(text), encoding="utf-8")
    return out


# --- units ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Net weight : 000 Ton", ("weight", 1e6)),
        ("Net weight : Ton", ("weight", 1e3)),
        ("FOB value : 000 000 US$", ("value", 1e6)),
        ("FOB value : 000 US$", ("value", 1e3)),
        ("Berat (Kg)", ("weight", 1.0)),
        ("Berat (Ton)", ("weight", 1e3)),
        ("Nilai (USD)", ("value", 1.0)),
        ("Nilai (Ribu USD)", ("value", 1e3)),
        ("Nilai FOB (juta US$)", ("value", 1e6)),
    ],
)
def test_parse_unit(text, expected):
    assert parse_unit(text) == expected


@pytest.mark.parametrize(
    "text", ["Net weight : 000 Barrel", "FOB value : 000 Rp", "Quantity : Ton", "FOB value : Ton"]
)
def test_parse_unit_rejects_unknown_text(text):
    with pytest.raises(HilirDataError, match="unit"):
        parse_unit(text)


# --- export download --------------------------------------------------------------------------


def test_export_download(bps):
    df = read_bps_exports(bps / EKSPOR)
    assert list(df.columns) == TRADE.names
    assert set(df["reporter"]) == {"IDN"} and set(df["flow"]) == {"export"}
    first = df.iloc[1]
    assert (first["year"], first["month"], first["partner"]) == (2019, 2, "JPN")
    assert (first["value_usd"], first["net_weight_kg"]) == (1_188_698.0, 1_630_460.0)
    assert first["hs_code"] == "22071000" and first["hs6"] == "220710"
    assert first["hs_revision"] == "HS2017"
    partners = set(df["partner"])
    # Jepang, Korea Selatan, Malaysia, Philipina, SOLOMON ISLANDS, Hongkong, Cina,
    # Fed. Micronesia, Inggris
    assert {"JPN", "KOR", "MYS", "PHL", "SLB", "HKG", "CHN", "FSM", "GBR"} == partners
    # "15.411" kg is fifteen kilograms, not fifteen thousand (a single dot is a decimal point).
    hk = df[(df["partner"] == "HKG") & (df["hs_code"] == "30049030")].iloc[0]
    assert hk["net_weight_kg"] == pytest.approx(15.411)


def test_export_download_integer_codes_are_padded_with_warning(bps):
    with pytest.warns(HilirDataWarning, match="lost leading zeros"):
        df = read_bps_exports(bps / EKSPOR)
    coffee = df[df["hs_code"].str.startswith("09")].iloc[0]
    assert coffee["hs_code"] == "09011190"
    assert coffee["hs6"] == "090111"


def test_export_download_lampung_reporter(bps):
    df = read_bps_exports(bps / EKSPOR, reporter="ID-LA")
    assert set(df["reporter"]) == {"ID-LA"}


def test_ports_are_summed_by_default(bps):
    with pytest.warns(HilirDataWarning, match="loading ports"):
        df = read_bps_exports(bps / "ekspor_hs8_pelabuhan.csv", reporter="ID-LA")
    assert list(df.columns) == TRADE.names
    japan = df[df["partner"] == "JPN"]
    assert len(japan) == 1
    assert japan["value_usd"].iloc[0] == 46_080 + 46_500
    assert japan["net_weight_kg"].iloc[0] == 38_400


def test_keep_port_returns_port_column(bps):
    df = read_bps_exports(bps / "ekspor_hs8_pelabuhan.csv", keep_port=True)
    assert list(df.columns) == TRADE_WITH_PORT.names
    assert df.columns[-1] == "port"
    assert sorted(df.loc[df["partner"] == "JPN", "port"]) == ["Panjang", "Tanjung Priok"]
    with pytest.raises(HilirDataError, match="port"):
        read_bps_exports(bps / EKSPOR, keep_port=True)
    with pytest.raises(HilirDataError, match="port") as err:
        read_bps_exports(bps / EKSPOR, port_column=True)
    assert err.value.row == 1


def test_tahun_bulan_columns_replace_periode(tmp_path):
    path = tmp_path / "ekspor.csv"
    path.write_text(
        "Kode HS,Negara Tujuan,Tahun,Bulan,Berat (Ton),Nilai (Ribu USD)\n"
        "09011190,Jepang,2019,Januari,19.2,46.08\n"
        "09011190,Jepang,2019,2,38.4,93.5\n"
    )
    df = read_bps_exports(path)
    assert df["month"].tolist() == [1, 2]
    assert df["net_weight_kg"].tolist() == [19_200.0, 38_400.0]  # tonnes -> kg
    assert df["value_usd"].tolist() == pytest.approx([46_080.0, 93_500.0])  # thousand USD -> USD


@pytest.mark.parametrize(
    ("transform", "row", "column", "match"),
    [
        # renamed column
        (
            lambda t: t.replace("Negara Tujuan Ekspor", "Tujuan"),
            1,
            "Negara Tujuan Ekspor",
            "missing",
        ),
        # unknown partner name
        (lambda t: t.replace(",Malaysia,", ",Atlantis,"), 5, "Negara Tujuan Ekspor", "Atlantis"),
        # negative value
        (lambda t: t.replace(",32000,38900", ",32000,-38900"), 5, "Nilai (USD)", "negative"),
        # period not YYYYMM
        (lambda t: t.replace(",201912,", ",2019-12,"), 5, "Periode", "YYYYMM"),
        (lambda t: t.replace(",201912,", ",201913,"), 5, "Periode", "YYYYMM"),
        # not a number
        (lambda t: t.replace(",32000,38900", ",32 ton,38900"), 5, "Berat (Kg)", "not a number"),
        # unknown unit in the header
        (lambda t: t.replace("Nilai (USD)", "Nilai (Rupiah)"), 1, "Nilai (Rupiah)", "unit"),
        # HS code that is not a code
        (lambda t: t.replace("\n29182100,", "\n2918210A,"), 10, "Kode HS", "digits"),
    ],
)
def test_export_download_bad_input(bps, tmp_path, transform, row, column, match):
    path = _copy(bps / EKSPOR, tmp_path, transform, bom=True)
    with pytest.raises(HilirDataError, match=match) as err:
        read_bps_exports(path)
    assert (err.value.row, err.value.column) == (row, column)


def test_export_download_duplicate_row(bps, tmp_path):
    def dup(text):
        lines = text.splitlines()
        return "\n".join([*lines, lines[4]]) + "\n"

    path = _copy(bps / EKSPOR, tmp_path, dup)
    with pytest.raises(HilirDataError, match="already on row 5") as err:
        read_bps_exports(path)
    assert (err.value.row, err.value.column) == (15, "Kode HS")


def test_export_download_thousands_separators_and_decimal_comma(bps, tmp_path):
    def thousands(text):
        return text.replace(",1630460,1188698", ',"1,630,460","1,188,698"')

    df = read_bps_exports(_copy(bps / EKSPOR, tmp_path, thousands))
    jp = df[(df["partner"] == "JPN") & (df["month"] == 2)].iloc[0]
    assert (jp["net_weight_kg"], jp["value_usd"]) == (1_630_460.0, 1_188_698.0)

    def mixed(text):  # a decimal comma in a column that writes decimal points elsewhere
        return thousands(text).replace(",37100,44515.25", ',37100,"44515,25"')

    with pytest.raises(HilirDataError, match="mixes number formats") as err:
        read_bps_exports(_copy(bps / EKSPOR, tmp_path, mixed, name="mixed.csv"))
    assert err.value.column == "Nilai (USD)"


def test_export_download_excel_title_rows(bps, tmp_path):
    path = _copy(bps / EKSPOR, tmp_path, lambda t: "Ekspor menurut HS 8 digit,,,,,\n,,,,,\n" + t)
    with pytest.warns(HilirDataWarning, match="skipped 2 line"):
        df = read_bps_exports(path)
    assert len(df) == 13
    bad = _copy(path, tmp_path, lambda t: t.replace(",Malaysia,", ",Atlantis,"), name="bad.csv")
    with pytest.raises(HilirDataError) as err:
        read_bps_exports(bad)
    assert err.value.row == 7


def test_export_download_empty_and_cut_files(bps, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(HilirDataError, match="empty"):
        read_bps_exports(empty)
    cut = _copy(bps / EKSPOR, tmp_path, lambda t: t[: t.rindex(",19200")])
    with pytest.raises(HilirDataError, match="cut") as err:
        read_bps_exports(cut)
    assert (err.value.row, err.value.column) == (14, "Berat (Kg)")


# --- wide tables ----------------------------------------------------------------------------


def test_coal_table_totals_and_units(bps):
    df = read_bps_wide(bps / COAL, source="bps_coal", hs_code="2701")
    assert list(df.columns) == TRADE.names
    total = df[(df["partner"] == "WLD") & (df["year"] == 2019)].iloc[0]
    # BPS: coal exports 2019 = 374,935.8 thousand t and US$ 18,957.2 million.
    assert total["net_weight_kg"] == pytest.approx(374_935.8e6)
    assert total["value_usd"] == pytest.approx(18_957.2e6)
    assert total["partner_type"] == "world"
    assert set(df["partner"]) == {
        "IND", "CHN", "JPN", "KOR", "TWN", "MYS", "PHL", "THA", "HKG", "ESP", "XOT", "WLD",
    }  # fmt: skip
    assert df.loc[df["partner"] == "XOT", "partner_type"].unique().tolist() == ["residual"]
    # Spain 2023 and 2024 are nil: left out, not zero.
    assert sorted(df.loc[df["partner"] == "ESP", "year"]) == [2019]
    # Countries and residual add up to the world total (within rounding).
    y = df[df["year"] == 2024]
    parts = y.loc[y["partner_type"] != "world", "value_usd"].sum()
    assert parts == pytest.approx(30_489.5e6, abs=0.1e6)
    assert set(df["hs_code"]) == {"2701"} and set(df["hs6"]) == {""}


def test_copper_table_tonnes_and_thousand_usd(bps):
    df = read_bps_wide(bps / COPPER, source="bps_copper", hs_code="2603")
    total = df[(df["partner"] == "WLD") & (df["year"] == 2024)].iloc[0]
    # BPS: copper ore 2024 = 2,470,133.6 t and US$ 7,969,174.6 thousand.
    assert total["net_weight_kg"] == pytest.approx(2_470_133.6e3)
    assert total["value_usd"] == pytest.approx(7_969_174.6e3)
    sweden = df[df["partner"] == "SWE"]
    assert sweden["year"].tolist() == [2014]
    assert sweden["value_usd"].iloc[0] == pytest.approx(20_667.7e3)
    assert "DEU" in set(df["partner"])  # "Germany. Fed. Rep. Of"


@pytest.mark.parametrize(
    ("transform", "row", "column", "match"),
    [
        # unknown unit text (row of the unit row)
        (lambda t: t.replace("Net weight : 000 Ton", "Net weight : 000 Barrel"), 4, "2019", "unit"),
        # Total does not add up
        (lambda t: t.replace('"374,935.8"', '"374,995.8"'), 16, "2019", "differs"),
        # unknown partner
        (
            lambda t: t.replace("\nSpain,684.6", "\nAtlantis,684.6"),
            14,
            "Country of destination",
            "Atlantis",
        ),
        # negative number
        (lambda t: t.replace("Spain,684.6", "Spain,-684.6"), 14, "2019", "negative"),
        # not a number
        (lambda t: t.replace("Spain,684.6", "Spain,684.6 kt"), 14, "2019", "not a number"),
        # duplicate partner
        (lambda t: t.replace("\nTaiwan,", "\nJapan,"), 9, "Country of destination", "twice"),
    ],
)
def test_wide_table_bad_input(bps, tmp_path, transform, row, column, match):
    path = _copy(bps / COAL, tmp_path, transform)
    with pytest.raises(HilirDataError, match=match) as err:
        read_bps_wide(path, source="x", hs_code="2701")
    assert (err.value.row, err.value.column) == (row, column)


def test_wide_table_decimal_comma_values_in_thousands(tmp_path):
    # The same numbers written the Indonesian way still add up: 1.234,5 + 0,5 = 1.235,0.
    path = tmp_path / "t.csv"
    path.write_text(
        "Ekspor Kopi menurut Negara Tujuan,,\n,,\nNegara Tujuan,2019,2020\n"
        ",Berat Bersih : Ribu Ton,\n"
        'Jepang,"1.234,5","2,5"\nLainnya,"0,5",─\nTotal,"1.235,0","2,5"\n'
        ",Nilai FOB : Juta US$,\n"
        'Jepang,"3.000,1","4,0"\nLainnya,"1,0",─\nTotal,"3.001,1","4,0"\n'
    )
    df = read_bps_wide(path, source="x", hs_code="0901")
    jp = df[(df["partner"] == "JPN") & (df["year"] == 2019)].iloc[0]
    assert jp["net_weight_kg"] == pytest.approx(1_234.5e6)
    assert jp["value_usd"] == pytest.approx(3_000.1e6)
    assert df.loc[df["partner"] == "XOT", "year"].tolist() == [2019]


def test_wide_table_cut_files(bps, tmp_path):
    # Cut in the middle of the last (Total) row: fewer cells than years.
    cut = _copy(bps / COAL, tmp_path, lambda t: t[: t.rindex(',"30,489.5"')])
    with pytest.raises(HilirDataError, match="cut") as err:
        read_bps_wide(cut, source="x", hs_code="2701")
    assert (err.value.row, err.value.column) == (30, "2024")
    # Cut before the value block's Total row.
    cut = _copy(bps / COAL, tmp_path, lambda t: t[: t.rindex("\nTotal")], name="cut2.csv")
    with pytest.raises(HilirDataError, match="no Total row") as err:
        read_bps_wide(cut, source="x", hs_code="2701")
    assert err.value.row == 29  # the last row read (Others)
    empty = tmp_path / "empty.csv"
    empty.write_text("\n")
    with pytest.raises(HilirDataError, match="empty"):
        read_bps_wide(empty, source="x", hs_code="2701")


def test_wide_table_country_row_before_unit_row(bps, tmp_path):
    path = _copy(bps / COAL, tmp_path, lambda t: t.replace(",Net weight : 000 Ton,,,", "", 1))
    with pytest.raises(HilirDataError, match="before any unit row") as err:
        read_bps_wide(path, source="x", hs_code="2701")
    assert (err.value.row, err.value.column) == (5, "Country of destination")


# --- plantation production tables --------------------------------------------------------------


def test_production_by_regency(bps):
    df = read_bps_production(bps / "kabkota_produksi_tanaman_ton_2014.csv", source="bps_kab")
    assert list(df.columns) == PRODUCTION.names
    prov = df[(df["geo"] == "ID-LA") & (df["crop"] == "coffee_robusta")].iloc[0]
    # BPS Provinsi Lampung: robusta 2014 = 131,501 t; pepper 23,418 t.
    assert prov["production_t"] == 131_501
    assert prov["geo_level"] == "province" and prov["geo_name"] == "Provinsi Lampung"
    assert (
        df.loc[(df["geo"] == "ID-LA") & (df["crop"] == "pepper"), "production_t"].item() == 23_418
    )
    lb = df[(df["geo"] == "ID-LA-lampung-barat") & (df["crop"] == "coffee_robusta")].iloc[0]
    assert (lb["production_t"], lb["geo_level"]) == (52_543, "regency")
    assert df["area_ha"].isna().all()
    assert set(df["scope"]) == {"smallholder"} and set(df["year"]) == {2014}
    assert "ID-LA-bandar-lampung" in set(df["geo"])
    assert set(df["crop"]) == {"coffee_robusta", "coffee_arabica", "pepper", "oil_palm", "cashew"}
    # "-" is not a zero: Tanggamus has no arabica row at all.
    assert df[(df["geo"] == "ID-LA-tanggamus") & (df["crop"] == "coffee_arabica")].empty
    assert (df["flag"] == "").all()
    # Regencies add up to the province row.
    reg = df[(df["geo_level"] == "regency") & (df["crop"] == "coffee_robusta")]
    assert reg["production_t"].sum() == 131_501


def test_province_row_that_disagrees_with_regencies_is_flagged(bps):
    with pytest.warns(HilirDataWarning, match="sum of its regencies"):
        df = read_bps_production(bps / "kabkota_luas_areal_tanaman_ha_2016.csv", source="k")
    prov = df[df["geo"] == "ID-LA"].set_index("crop")
    assert prov.loc["oil_palm", "flag"] == "sum_mismatch"  # 237,309 published vs 234,309
    assert prov.loc["oil_palm", "area_ha"] == 237_309  # kept as published
    assert prov.loc["coffee_robusta", "flag"] == ""
    assert df["production_t"].isna().all()


def test_production_by_crop_for_the_province(bps):
    df = read_bps_production(bps / "prov_produksi_perkebunan_rakyat_ribu_ton_2020.csv", source="p")
    assert set(df["year"]) == {2020}  # from the file name
    assert set(df["geo"]) == {"ID-LA"} and set(df["geo_name"]) == {"Lampung"}
    coffee = df[df["crop"] == "coffee"].iloc[0]
    assert coffee["production_t"] == pytest.approx(117_300)  # 117.3 thousand t
    assert coffee["crop_name"] == "Kopi/Coffee"
    assert df.loc[df["crop"] == "sugarcane", "production_t"].item() == pytest.approx(148_500)
    assert "tea" not in set(df["crop"])  # blank cell: no row


def test_area_by_crop_html_header_and_misspelt_labels(bps):
    df = read_bps_production(bps / "prov_luas_areal_perkebunan_rakyat_ribu_ha_2025.csv", source="p")
    area = df.set_index("crop")["area_ha"]
    assert area["oil_palm"] == pytest.approx(111_700)  # "Kelapa sawit/Ori palm"
    assert area["tobacco"] == pytest.approx(700)  # "Tembakai/Tobacco"
    assert area["pepper"] == pytest.approx(45_000)
    assert area["patchouli"] == 0.0  # a real zero stays
    assert df["production_t"].isna().all()


def test_province_table_year_argument(bps, tmp_path):
    path = _copy(bps / "prov_produksi_perkebunan_rakyat_ribu_ton_2020.csv", tmp_path, str)
    with pytest.raises(HilirDataError, match="year"):
        read_bps_production(path, source="p")
    assert set(read_bps_production(path, source="p", year=2021)["year"]) == {2021}


@pytest.mark.parametrize(
    ("transform", "row", "column", "match"),
    [
        (lambda t: t.replace("Kopi Arabika", "Kopi Liberika"), 3, "Kopi Liberika", "unknown crop"),
        (lambda t: t.replace("(ton)", "(kuintal)"), 2, "Kopi Robusta", "unit"),
        (lambda t: t.replace("Tanggamus,30671", "Tanggamus,-30671"), 6, "Kopi Robusta", "negative"),
        (lambda t: t.replace("Tanggamus,30671", "Tanggamus,3O671"), 6, "Kopi Robusta", "number"),
        (
            lambda t: t.replace(",2014,2014,2014,2014,2014", ",2014,2014,14,2014,2014"),
            4,
            "Lada",
            "year",
        ),
        (lambda t: t.replace("\nMetro,", "\nMesuji,"), 19, "Wilayah", "twice"),
    ],
)
def test_production_bad_input(bps, tmp_path, transform, row, column, match):
    path = _copy(bps / "kabkota_produksi_tanaman_ton_2014.csv", tmp_path, transform, bom=True)
    with pytest.raises(HilirDataError, match=match) as err:
        read_bps_production(path, source="x")
    assert (err.value.row, err.value.column) == (row, column)


def test_production_thousands_separators(bps, tmp_path):
    path = _copy(
        bps / "kabkota_produksi_tanaman_ton_2014.csv",
        tmp_path,
        lambda t: t.replace("Lampung Barat,52543,", 'Lampung Barat,"52,543",'),
    )
    df = read_bps_production(path, source="x")
    assert (
        df.loc[
            (df["geo"] == "ID-LA-lampung-barat") & (df["crop"] == "coffee_robusta"), "production_t"
        ].item()
        == 52_543
    )


def test_production_unknown_crop_in_province_table(bps, tmp_path):
    path = _copy(
        bps / "prov_produksi_perkebunan_rakyat_ribu_ton_2020.csv",
        tmp_path,
        lambda t: t.replace("Sagu/Sago", "Durian/Durian"),
        name="prov_2020.csv",
    )
    with pytest.raises(HilirDataError, match="unknown crop") as err:
        read_bps_production(path, source="x")
    assert (err.value.row, err.value.column) == (13, "Jenis Tanaman")


def test_production_cut_and_empty_files(bps, tmp_path):
    cut = _copy(
        bps / "kabkota_produksi_tanaman_ton_2014.csv", tmp_path, lambda t: t[: t.rindex(",23418")]
    )
    with pytest.raises(HilirDataError, match="cut") as err:
        read_bps_production(cut, source="x")
    assert (err.value.row, err.value.column) == (20, "Lada")
    header_only = _copy(
        bps / "kabkota_produksi_tanaman_ton_2014.csv",
        tmp_path,
        lambda t: "\n".join(t.splitlines()[:3]),
        name="h.csv",
    )
    with pytest.raises(HilirDataError, match="cut"):
        read_bps_production(header_only, source="x")
    empty = tmp_path / "e.csv"
    empty.write_text("")
    with pytest.raises(HilirDataError, match="empty"):
        read_bps_production(empty, source="x")


def test_production_excel_title_rows(bps, tmp_path):
    path = _copy(
        bps / "kabkota_produksi_tanaman_ton_2014.csv",
        tmp_path,
        lambda t: "Produksi Tanaman Perkebunan,,,,,\n" + t,
    )
    df = read_bps_production(path, source="x")
    assert (
        df.loc[(df["geo"] == "ID-LA") & (df["crop"] == "pepper"), "production_t"].item() == 23_418
    )


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("Kopi Robusta", "coffee_robusta"),
        ("Kopi/Coffee", "coffee"),
        ("Kelapa Dalam", "coconut"),
        ("Kelapa Hybrida", "coconut_hybrid"),
        ("Kelapa sawit/Ori palm", "oil_palm"),
        ("Tembakai/Tobacco", "tobacco"),
        ("Gula tebu/Sugar cane", "sugarcane"),
        ("Vanilli", "vanilla"),
        ("Kayu Manis", "cinnamon"),
        ("Jambu Metet", "cashew"),
    ],
)
def test_crop_keys(label, key):
    assert crop_key(label) == key


# --- jump flags -----------------------------------------------------------------------------


def _series(values, measure="production_t", geo="ID-LA-x"):
    n = len(values)
    return pd.DataFrame(
        {
            "year": range(2014, 2014 + n),
            "geo": [geo] * n,
            "crop": ["pepper"] * n,
            "scope": ["smallholder"] * n,
            "source": ["s"] * n,
            measure: values,
            "flag": [""] * n,
        }
    )


def test_flag_jumps_flags_spikes_and_never_changes_values():
    df = _series([100.0, 110.0, 500.0, 120.0, 130.0])
    out = flag_jumps(df)
    assert out["flag"].tolist() == ["", "", "jump_production_t", "jump_production_t", ""]
    pd.testing.assert_series_equal(out["production_t"], df["production_t"])
    assert df["flag"].tolist() == [""] * 5  # input untouched


def test_flag_jumps_threshold_is_strict_and_symmetric():
    assert flag_jumps(_series([100.0, 300.0]))["flag"].tolist() == ["", ""]
    assert flag_jumps(_series([100.0, 301.0]))["flag"].tolist() == ["", "jump_production_t"]
    assert flag_jumps(_series([301.0, 100.0]))["flag"].tolist() == ["", "jump_production_t"]
    assert flag_jumps(_series([100.0, 150.0]), ratio=1.4)["flag"].tolist() == [
        "",
        "jump_production_t",
    ]


def test_flag_jumps_zero_gaps_and_groups():
    # zero to positive is a jump; a missing year breaks the chain; groups are separate.
    df = pd.concat(
        [
            _series([0.0, 5.0, np.nan, 500.0]),
            _series([10.0, 35.0], measure="area_ha", geo="ID-LA-y"),
        ],
        ignore_index=True,
    )
    out = flag_jumps(df)
    assert out["flag"].tolist() == ["", "jump_production_t", "", "", "", "jump_area_ha"]


def test_flag_jumps_appends_to_existing_flags_and_handles_duplicate_index():
    df = _series([100.0, 1000.0])
    df["flag"] = ["", "sum_mismatch"]
    df.index = [0, 0]
    out = flag_jumps(df)
    assert out["flag"].tolist() == ["", "sum_mismatch;jump_production_t"]


def test_flag_jumps_on_a_read_table(bps):
    df = read_bps_production(bps / "kabkota_produksi_tanaman_ton_2014.csv", source="k")
    later = df.copy()
    later["year"] = 2015
    later["production_t"] = later["production_t"] * np.where(later["geo"] == "ID-LA-metro", 10, 1)
    out = flag_jumps(pd.concat([df, later], ignore_index=True))
    flagged = out[out["flag"].str.contains("jump")]
    assert set(flagged["geo"]) == {"ID-LA-metro"} and set(flagged["year"]) == {2015}


def test_warnings_are_hilir_warnings(bps):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        read_bps_exports(bps / EKSPOR)
    assert caught and all(issubclass(w.category, HilirDataWarning) for w in caught)
