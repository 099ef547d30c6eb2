"""FAOSTAT trade and production readers: shipped layout, FAOSTAT's own layout, bad inputs."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from _line_edits import replace_in_line as _replace
from hilir.errors import HilirDataError, HilirDataWarning
from hilir.schema.tables import PRODUCTION, TRADE
from hilir.sources.faostat import read_faostat_production, read_faostat_trade


def _lines(fixtures_dir, name):
    return (fixtures_dir / "faostat" / name).read_text(encoding="utf-8").splitlines()


def _write(tmp_path, lines, name="faostat.csv"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _trade(path, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", HilirDataWarning)
        return read_faostat_trade(path, allow_missing_value=True, **kw)


# --- the shipped layout ----------------------------------------------------------------------


def test_quantity_only_item_is_an_error_by_default(fixtures_dir):
    path = fixtures_dir / "faostat" / "tcl_exports_shipped.csv"
    with pytest.raises(HilirDataError) as err:
        read_faostat_trade(path)
    # Line 10 is the latex (item 836) quantity line; there is no value line to name.
    assert (err.value.row, err.value.column) == (10, "element")
    assert "836" in str(err.value) and "allow_missing_value" in str(err.value)


def test_allow_missing_value_drops_latex_and_says_so(fixtures_dir):
    path = fixtures_dir / "faostat" / "tcl_exports_shipped.csv"
    with pytest.warns(HilirDataWarning, match="836"):
        out = read_faostat_trade(path, allow_missing_value=True)
    assert "836" not in set(out["item_code"])
    assert list(out.columns) == TRADE.names
    assert len(out) == 5  # cloves 1961, green 2014 and 2015, roasted 2015, dry rubber 2015


def test_green_coffee_2015_units_are_usd_and_kg(fixtures_dir):
    out = _trade(fixtures_dir / "faostat" / "tcl_exports_shipped.csv")
    row = out[(out["item_code"] == "656") & (out["year"] == 2015)].iloc[0]
    # FAOSTAT: 499,651 t and 1,189,725 thousand USD (PROVENANCE cross-check with Comtrade).
    assert row["net_weight_kg"] == 499_651_000.0
    assert row["value_usd"] == 1_189_725_000.0
    assert (row["reporter"], row["partner"], row["partner_type"], row["flow"]) == (
        "IDN",
        "WLD",
        "world",
        "export",
    )
    assert (row["hs_code"], row["hs6"]) == ("", "")
    assert pd.isna(row["hs_revision"]) and pd.isna(row["month"])
    assert row["source"] == "faostat_idn_trade"


def test_item_code_is_parsed_from_quoted_names(fixtures_dir):
    out = _trade(fixtures_dir / "faostat" / "tcl_exports_shipped.csv")
    rubber = out[out["item_code"] == "837"].iloc[0]
    assert rubber["net_weight_kg"] == 2_623_903_000.0
    assert rubber["value_usd"] == 3_690_818_000.0
    assert set(out["item_code"]) == {"698", "656", "657", "837"}


def test_zeros_stay_zeros(fixtures_dir):
    out = _trade(fixtures_dir / "faostat" / "tcl_exports_shipped.csv")
    cloves = out[out["item_code"] == "698"].iloc[0]
    assert cloves["value_usd"] == 0.0 and cloves["net_weight_kg"] == 0.0


def test_items_filter_skips_other_items(fixtures_dir):
    out = read_faostat_trade(fixtures_dir / "faostat" / "tcl_exports_shipped.csv", items=["656"])
    assert set(out["item_code"]) == {"656"} and sorted(out["year"]) == [2014, 2015]


def test_source_key_is_written(fixtures_dir):
    out = _trade(fixtures_dir / "faostat" / "tcl_exports_shipped.csv", source="mine")
    assert set(out["source"]) == {"mine"}


# --- FAOSTAT's own bulk layout -------------------------------------------------------------


def test_bulk_layout_matches_shipped_layout(fixtures_dir):
    with pytest.warns(HilirDataWarning, match="aggregate"):
        bulk = read_faostat_trade(fixtures_dir / "faostat" / "tcl_bulk_normalized.csv")
    shipped = _trade(fixtures_dir / "faostat" / "tcl_exports_shipped.csv")
    key = ["reporter", "item_code", "flow", "year"]
    a = bulk[(bulk["reporter"] == "IDN") & (bulk["flow"] == "export")].set_index(key)
    b = shipped[(shipped["item_code"] == "656") & (shipped["year"] == 2015)].set_index(key)
    pd.testing.assert_frame_equal(
        a[["value_usd", "net_weight_kg"]], b[["value_usd", "net_weight_kg"]]
    )


def test_bulk_layout_reads_imports_m49_and_old_unit_spelling(fixtures_dir):
    with pytest.warns(HilirDataWarning, match="World"):
        out = read_faostat_trade(fixtures_dir / "faostat" / "tcl_bulk_normalized.csv")
    assert set(out["reporter"]) == {"IDN", "VNM"}  # M49 '360 and '704; World dropped
    imp = out[out["flow"] == "import"].iloc[0]
    assert (imp["net_weight_kg"], imp["value_usd"]) == (1_200_000.0, 2_500_000.0)
    vnm = out[out["reporter"] == "VNM"].iloc[0]
    assert vnm["value_usd"] == 2_600_000_000.0  # unit "1000 US$"


def test_bulk_layout_with_cpc_codes_only_reads_through_the_concordance(fixtures_dir, tmp_path):
    """A bulk file without FAO item codes: CPC '01610 is item 656 (refdata concordance)."""
    lines = _lines(fixtures_dir, "tcl_bulk_normalized.csv")
    lines[0] = lines[0].replace("Item Code,Item Code (CPC)", "Item Group Code,Item Code (CPC)")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", HilirDataWarning)
        cpc = read_faostat_trade(_write(tmp_path, lines))
        fao = read_faostat_trade(fixtures_dir / "faostat" / "tcl_bulk_normalized.csv")
    pd.testing.assert_frame_equal(cpc, fao)


def test_bulk_unknown_unit_names_line_and_column(fixtures_dir, tmp_path):
    lines = _lines(fixtures_dir, "tcl_bulk_normalized.csv")
    lines[1] = lines[1].replace(",t,499651", ",Head,499651")
    with pytest.raises(HilirDataError) as err, warnings.catch_warnings():
        warnings.simplefilter("ignore", HilirDataWarning)
        read_faostat_trade(_write(tmp_path, lines))
    assert (err.value.row, err.value.column) == (2, "Unit")


def test_bulk_unknown_area_without_codes(tmp_path):
    lines = [
        "Area,Item Code,Item,Element,Year,Unit,Value",
        '"Indonesia",656,"Coffee, green",Export Quantity,2015,t,499651',
        '"Indonesia",656,"Coffee, green",Export Value,2015,1000 USD,1189725',
        'Atlantis,656,"Coffee, green",Export Value,2015,1000 USD,1',
    ]
    with pytest.raises(HilirDataError) as err:
        read_faostat_trade(_write(tmp_path, lines), allow_missing_value=True)
    assert (err.value.row, err.value.column) == (4, "Area")


# --- bad inputs (shipped trade layout) -----------------------------------------------------


BAD_TRADE = {
    "renamed column": (_replace(1, ",value", ",amount"), 1, "value"),
    "decimal comma": (_replace(7, ",1189725", ',"1189725,5"'), 7, "value"),
    "values in thousand tonnes": (_replace(5, ",tonnes,", ",1000 t,"), 5, "unit"),
    "value in thousand tonnes of dollars": (_replace(7, ",1000 USD,", ",1000 t,"), 7, "unit"),
    "negative value": (_replace(5, ",499651", ",-499651"), 5, "value"),
    "unknown element": (_replace(4, "export_quantity", "export_weight"), 4, "element"),
    "item without code": (_replace(4, "(item 656)", "(green)"), 4, "item"),
    "country name in iso3": (_replace(4, ",IDN,", ",Indonesia,"), 4, "iso3"),
    "year as float": (_replace(4, ",2014,", ",2014.0,"), 4, "year"),
    "duplicate row": (lambda lines: [*lines, lines[4]], 13, "year"),
    "cut inside a quoted field": (lambda lines: [*lines[:11], lines[11][:45]], 12, "item"),
    "cut mid-line": (
        lambda lines: [*lines[:11], lines[11].rsplit(",", 2)[0]],
        12,
        "year",
    ),
    "Excel title row above the header": (
        lambda lines: ["FAOSTAT exports of Indonesia,,,,,,,,", *lines],
        1,
        "iso3",
    ),
    "extra field": (_replace(4, ",382774", ",382774,9"), 4, None),
}


@pytest.mark.parametrize("case", list(BAD_TRADE))
def test_bad_trade_input_names_row_and_column(fixtures_dir, tmp_path, case):
    mutate, row, column = BAD_TRADE[case]
    path = _write(tmp_path, mutate(_lines(fixtures_dir, "tcl_exports_shipped.csv")))
    with pytest.raises(HilirDataError) as err:
        _trade(path)
    assert (err.value.row, err.value.column) == (row, column), str(err.value)
    assert str(path) in str(err.value)


def test_thousands_separators_are_read(fixtures_dir, tmp_path):
    lines = _replace(7, ",1189725", ',"1,189,725"')(_lines(fixtures_dir, "tcl_exports_shipped.csv"))
    out = _trade(_write(tmp_path, lines))
    assert out[(out["item_code"] == "656") & (out["year"] == 2015)]["value_usd"].iloc[0] == (
        1_189_725_000.0
    )


@pytest.mark.parametrize(
    "text", ["", "fao_area_code,iso3,area,item_key,item,element,unit,year,value\n"]
)
def test_empty_files(tmp_path, text):
    path = tmp_path / "empty.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(HilirDataError) as err:
        read_faostat_trade(path)
    assert err.value.row is None and str(path) in str(err.value)


# --- production ------------------------------------------------------------------------------


def test_production_shipped_layout(fixtures_dir):
    out = read_faostat_production(fixtures_dir / "faostat" / "qcl_production_shipped.csv")
    assert list(out.columns) == PRODUCTION.names
    got = out.set_index(["geo", "crop", "year"])["production_t"]
    assert got[("IDN", "coffee_green", 1961)] == 103100.0  # written "103100.0"
    assert got[("IDN", "cocoa_beans", 2023)] == 641741.02  # FAO decimals kept
    assert got[("MYS", "palm_oil", 2022)] == 18453420.0
    assert set(out["geo_level"]) == {"country"} and set(out["scope"]) == {"all"}
    assert out["area_ha"].isna().all() and out["flag"].isna().all()
    assert set(out["source"]) == {"faostat_idn_production"}


def test_production_bulk_layout_keeps_flags_and_drops_other_elements(fixtures_dir):
    with pytest.warns(HilirDataWarning, match="Area harvested"):
        out = read_faostat_production(fixtures_dir / "faostat" / "qcl_bulk_normalized.csv")
    assert sorted(out["crop"]) == ["cocoa_beans", "coffee_green"]
    assert dict(zip(out["crop"], out["flag"], strict=True)) == {
        "coffee_green": "A",
        "cocoa_beans": "I",
    }
    assert out.loc[out["crop"] == "coffee_green", "production_t"].iloc[0] == 760192.2


BAD_PRODUCTION = {
    "yield unit": (_replace(2, ",tonnes,", ",hg/ha,"), 2, "unit"),
    "negative": (_replace(3, ",760192.2", ",-760192.2"), 3, "value"),
    "decimal comma": (_replace(4, ",641741.02", ',"641741,02"'), 4, "value"),
    "duplicate": (lambda lines: [*lines, lines[1]], 6, "year"),
    "missing year column": (_replace(1, ",year,", ",tahun,"), 1, "year"),
}


@pytest.mark.parametrize("case", list(BAD_PRODUCTION))
def test_bad_production_input_names_row_and_column(fixtures_dir, tmp_path, case):
    mutate, row, column = BAD_PRODUCTION[case]
    path = _write(tmp_path, mutate(_lines(fixtures_dir, "qcl_production_shipped.csv")))
    with pytest.raises(HilirDataError) as err:
        read_faostat_production(path)
    assert (err.value.row, err.value.column) == (row, column), str(err.value)


# --- the web download (CPC item codes), two units, historic areas (issue 13, item 14) ---------


def test_web_download_with_cpc_codes_matches_the_shipped_extract(fixtures_dir):
    """FAOSTAT's web download (Item Code (CPC) only, with or without the apostrophe).

    Indonesia 2015: green coffee (CPC 01610 = item 656) US$ 1,189,725 thousand and
    499,651 t; roasted coffee (CPC 23911 = item 657) US$ 7,982 thousand and 2,365 t, the
    figures of the shipped extract (open-numbers FAOSTAT TCL).
    """
    web = read_faostat_trade(fixtures_dir / "faostat" / "tcl_web_download_cpc.csv")
    shipped = _trade(fixtures_dir / "faostat" / "tcl_exports_shipped.csv")
    key = ["reporter", "item_code", "flow", "year"]
    a = web.set_index(key)[["value_usd", "net_weight_kg"]]
    b = shipped[shipped["year"].eq(2015) & shipped["item_code"].isin(["656", "657"])]
    pd.testing.assert_frame_equal(a, b.set_index(key)[["value_usd", "net_weight_kg"]])
    assert web.loc[web["item_code"] == "656", "value_usd"].iloc[0] == 1_189_725_000.0


def test_web_download_unknown_cpc_code_names_it(fixtures_dir, tmp_path):
    lines = _lines(fixtures_dir, "tcl_web_download_cpc.csv")
    lines[3] = (
        lines[3].replace("'23911", "01234").replace("Coffee, decaffeinated or roasted", "Tomatoes")
    )
    path = _write(tmp_path, lines)
    with pytest.raises(HilirDataError, match=r"CPC item code 01234 \(Tomatoes\)") as err:
        read_faostat_trade(path)
    assert (err.value.row, err.value.column) == (4, "Item Code (CPC)")
    assert "faostat_cpc_items.csv" in str(err.value)
    # Selecting the items hilir knows reads the rest.
    out = _trade(path, items=["656"])
    assert set(out["item_code"]) == {"656"}


def test_cpc_concordance_rows_are_cited_and_one_to_one():
    from hilir.refdata import read_refdata

    table = read_refdata("faostat_cpc_items.csv")
    assert table["cpc"].is_unique and table["fao_item"].is_unique
    assert table["source"].str.len().gt(40).all()
    pairs = dict(zip(table["fao_item"], table["cpc"], strict=True))
    # Coffee from FAO's definitions and the CPC registry; the spices, cocoa beans and
    # pineapples by FAOSTAT's item names, which are the CPC 2.1 subclass titles.
    assert pairs == {
        "656": "01610",
        "657": "23911",
        "659": "23912",
        "661": "01640",
        "687": "01651",
        "692": "01658",
        "693": "01655",
        "698": "01656",
        "702": "01653",
        "720": "01657",
        "574": "01318",
    }
    # Every item is one the registry uses (product_codes.csv, system FAOSTAT).
    codes = read_refdata("product_codes.csv")
    used = set(codes.loc[codes["system"] == "FAOSTAT", "code"].astype(str))
    assert set(pairs) <= used


def test_same_element_in_two_units_is_one_element(fixtures_dir, tmp_path):
    """Export value in 1000 USD and in US$, export quantity in t and in 1000 Head.

    Not a duplicate: the finer value unit is kept after checking both agree (within half a
    thousand dollars), and the quantity in tonnes is kept; the result equals the one-unit file.
    """
    lines = _lines(fixtures_dir, "tcl_web_download_cpc.csv")
    usd = lines[2].replace('"1000 USD","1189725"', '"US$","1189725300"')
    head = lines[1].replace('"t","499651"', '"1000 Head","12"')
    with pytest.warns(HilirDataWarning, match="two units"):
        out = read_faostat_trade(_write(tmp_path, [*lines, usd, head]))
    green = out[out["item_code"] == "656"].iloc[0]
    assert green["value_usd"] == 1_189_725_300.0
    assert green["net_weight_kg"] == 499_651_000.0
    assert len(out) == 2


def test_same_element_in_two_units_that_disagree_is_an_error(fixtures_dir, tmp_path):
    lines = _lines(fixtures_dir, "tcl_web_download_cpc.csv")
    usd = lines[2].replace('"1000 USD","1189725"', '"US$","1289725000"')
    with pytest.raises(HilirDataError, match="disagree") as err:
        read_faostat_trade(_write(tmp_path, [*lines, usd]))
    assert (err.value.row, err.value.column) == (6, "Unit")


def test_same_unit_twice_is_still_a_duplicate(fixtures_dir, tmp_path):
    lines = _lines(fixtures_dir, "tcl_web_download_cpc.csv")
    with pytest.raises(HilirDataError) as err:
        read_faostat_trade(_write(tmp_path, [*lines, lines[2]]))
    assert err.value.row == 6


def test_historic_areas_are_read_under_their_codes(fixtures_dir):
    """Belgium-Luxembourg (M49 58), USSR (810), Yugoslav SFR (890), Czechoslovakia (200),
    Ethiopia PDR (230) and Sudan (former) (736) in 1990: read, each one area, with a note."""
    with pytest.warns(HilirDataWarning, match="historic areas"):
        out = read_faostat_trade(fixtures_dir / "faostat" / "tcl_bulk_historic.csv")
    assert set(out["reporter"]) == {"IDN", "BLX", "SUN", "YUG", "CSK", "ETH", "SDN"}
    assert out.loc[out["reporter"] == "BLX", "value_usd"].iloc[0] == 220_000_000.0


def test_other_areas_are_ignored_when_a_reporter_is_selected(fixtures_dir, tmp_path):
    """With reporter="IDN" the other areas are not read at all, even an unknown one."""
    lines = _lines(fixtures_dir, "tcl_bulk_historic.csv")
    unknown = lines[3].replace("15,'058,Belgium-Luxembourg", "999,'999,Atlantis")
    path = _write(tmp_path, [*lines, unknown])
    out = read_faostat_trade(path, reporter="IDN")
    assert out[["reporter", "value_usd", "net_weight_kg"]].values.tolist() == [
        ["IDN", 376_615_000.0, 421_627_000.0]
    ]
    with pytest.raises(HilirDataError, match="999") as err, warnings.catch_warnings():
        warnings.simplefilter("ignore", HilirDataWarning)
        read_faostat_trade(path)
    assert (err.value.row, err.value.column) == (len(lines) + 1, "Area Code (M49)")


def test_production_reporter_selection_and_two_units(fixtures_dir, tmp_path):
    lines = _lines(fixtures_dir, "qcl_bulk_normalized.csv")
    other = lines[2].replace("101,'360,Indonesia", "228,'810,USSR")
    number = lines[2].replace(",t,760192.2,", ",1000 No,5,")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", HilirDataWarning)
        out = read_faostat_production(_write(tmp_path, [*lines, other, number]), reporter="IDN")
    assert set(out["geo"]) == {"IDN"}
    coffee = out[out["crop"] == "coffee_green"].iloc[0]
    assert coffee["production_t"] == 760_192.2
