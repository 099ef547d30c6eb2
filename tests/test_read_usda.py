"""USDA PSD coffee reader: the shipped wide layout, USDA's long layout, zero gaps, bad inputs."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from _line_edits import replace_in_line as _replace
from hilir.errors import HilirDataError, HilirDataWarning
from hilir.schema.tables import BALANCES
from hilir.sources.usda import ATTRIBUTES, flag_zero_gaps, read_usda_psd


def _lines(fixtures_dir, name):
    return (fixtures_dir / "usda" / name).read_text(encoding="utf-8").splitlines()


def _write(tmp_path, lines, name="psd.csv"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _get(df, reporter, attribute, year):
    sel = df[(df["reporter"] == reporter) & (df["attribute"] == attribute) & (df["year"] == year)]
    assert len(sel) == 1
    return sel["quantity_t_gbe"].iloc[0]


# --- wide layout -----------------------------------------------------------------------------


def test_wide_layout_converts_thousand_bags_to_tonnes(fixtures_dir):
    out = read_usda_psd(fixtures_dir / "usda" / "psd_coffee_wide.csv")
    assert list(out.columns) == BALANCES.names
    # Indonesia MY2015: 6,770 thousand bags of green beans = 6,770 x 60 t.
    assert _get(out, "IDN", "bean_exports", 2015) == 406_200.0
    assert _get(out, "IDN", "roast_ground_exports", 2015) == 3_000.0
    assert _get(out, "IDN", "soluble_exports", 2015) == 114_000.0
    assert _get(out, "IDN", "exports", 2015) == 523_200.0
    assert set(out["year_basis"]) == {"market_year"}
    assert set(out["source"]) == {"usda_psd_coffee"}


def test_every_attribute_column_is_read(fixtures_dir):
    out = read_usda_psd(fixtures_dir / "usda" / "psd_coffee_wide.csv")
    assert set(out["attribute"]) == set(ATTRIBUTES.values())
    assert len(out) == 6 * 19


def test_country_names_resolve_through_aliases(fixtures_dir):
    out = read_usda_psd(fixtures_dir / "usda" / "psd_coffee_wide.csv")
    assert set(out["reporter"]) == {"COD", "CIV", "IDN", "KOR", "VNM"}


def test_total_exports_are_beans_plus_roast_plus_soluble(fixtures_dir):
    # USDA's own identity, in green-bean equivalent: it holds for every row of the fixture.
    out = read_usda_psd(fixtures_dir / "usda" / "psd_coffee_wide.csv")
    wide = out.pivot_table(index=["reporter", "year"], columns="attribute", values="quantity_t_gbe")
    parts = wide["bean_exports"] + wide["roast_ground_exports"] + wide["soluble_exports"]
    pd.testing.assert_series_equal(parts, wide["exports"], check_names=False)


def test_countries_filter_accepts_codes_and_names(fixtures_dir):
    out = read_usda_psd(
        fixtures_dir / "usda" / "psd_coffee_wide.csv", countries=["IDN", "Viet Nam"]
    )
    assert set(out["reporter"]) == {"IDN", "VNM"}


def test_countries_filter_skips_unknown_names_elsewhere(fixtures_dir, tmp_path):
    lines = _lines(fixtures_dir, "psd_coffee_wide.csv")
    lines[1] = lines[1].replace("Congo (Kinshasa)", "Atlantis")
    out = read_usda_psd(_write(tmp_path, lines), countries=["IDN"])
    assert set(out["reporter"]) == {"IDN"}


def test_countries_filter_refuses_two_letter_codes(fixtures_dir):
    # USDA's Country_Code is FIPS 10-4: "CH" is China there but Switzerland in ISO alpha-2.
    with pytest.raises(HilirDataError, match="two-letter"):
        read_usda_psd(fixtures_dir / "usda" / "psd_coffee_wide.csv", countries=["CH"])


def test_countries_filter_with_absent_country(fixtures_dir):
    with pytest.raises(HilirDataError, match="BRA"):
        read_usda_psd(fixtures_dir / "usda" / "psd_coffee_wide.csv", countries=["Brazil"])


def test_blank_cells_are_dropped_with_a_warning(fixtures_dir, tmp_path):
    lines = _lines(fixtures_dir, "psd_coffee_wide.csv")
    lines[3] = lines[3].replace("Indonesia,2015,1270,", "Indonesia,2015,,")
    with pytest.warns(HilirDataWarning, match="1 blank"):
        out = read_usda_psd(_write(tmp_path, lines))
    idn = out[(out["reporter"] == "IDN") & (out["year"] == 2015)]
    assert "arabica_production" not in set(idn["attribute"]) and len(idn) == 18


# --- USDA's long layout -----------------------------------------------------------------------


def test_long_layout_agrees_with_wide_layout(fixtures_dir):
    with pytest.warns(HilirDataWarning, match="other commodities"):
        long = read_usda_psd(fixtures_dir / "usda" / "psd_coffee_long.csv")
    wide = read_usda_psd(fixtures_dir / "usda" / "psd_coffee_wide.csv")
    key = ["reporter", "attribute", "year"]
    merged = long.merge(wide, on=key, suffixes=("_long", "_wide"))
    assert len(merged) == len(long) == 7
    assert (merged["quantity_t_gbe_long"] == merged["quantity_t_gbe_wide"]).all()
    assert _get(long, "IDN", "roast_ground_domestic_consumption", 2015) == 2125 * 60


def test_long_layout_keeps_the_latest_release(fixtures_dir, tmp_path):
    lines = _lines(fixtures_dir, "psd_coffee_long.csv")[:3]
    lines.append(lines[2].replace(",2021,06,", ",2022,01,").replace("6770.0000", "6800.0000"))
    with pytest.warns(HilirDataWarning, match="earlier release"):
        out = read_usda_psd(_write(tmp_path, lines))
    assert _get(out, "IDN", "bean_exports", 2015) == 6800 * 60


# --- zero gaps -------------------------------------------------------------------------------


def test_flag_zero_gaps_flags_inner_zeros_only():
    df = pd.DataFrame(
        {
            "source": "s",
            "reporter": ["IDN"] * 4 + ["VNM"] * 3 + ["BRA"] * 2,
            "attribute": "bean_exports",
            "year": [2003, 2001, 2002, 2004, 2001, 2002, 2003, 2001, 2002],
            "quantity_t_gbe": [50.0, 100.0, 0.0, 0.0, 0.0, 10.0, 0.0, 0.0, 0.0],
            "year_basis": "market_year",
        },
        index=list("abcdefghi"),
    )
    before = df.copy()
    flags = flag_zero_gaps(df)
    # IDN 2002 sits between 100 (2001) and 50 (2003): flagged. IDN 2004 is a trailing zero,
    # VNM's zeros are leading and trailing, BRA is zero throughout.
    assert flags.to_dict() == {k: k == "c" for k in "abcdefghi"}
    pd.testing.assert_frame_equal(df, before)
    assert flags.name == "zero_gap"


def test_flag_zero_gaps_needs_the_balance_columns():
    with pytest.raises(ValueError, match="quantity_t_gbe"):
        flag_zero_gaps(pd.DataFrame({"source": [], "reporter": [], "attribute": [], "year": []}))


# --- bad inputs ------------------------------------------------------------------------------


BAD_WIDE = {
    "renamed key column": (_replace(1, "Market_Year", "Season"), 1, "Market_Year"),
    "unknown attribute": (_replace(1, "Bean Exports", "Bean Exports (t)"), 1, "Bean Exports (t)"),
    "decimal comma": (_replace(4, ",6770,", ',"6770,5",'), 4, "Bean Exports"),
    "negative": (_replace(4, ",6770,", ",-6770,"), 4, "Bean Exports"),
    "duplicate country-year": (lambda lines: [*lines, lines[3]], 8, "Market_Year"),
    "unknown country": (_replace(2, "Congo (Kinshasa)", "Atlantis"), 2, "Country_Name"),
    "year with a slash": (_replace(5, ",2016,", ",2016/17,"), 5, "Market_Year"),
    "cut mid-line": (lambda lines: [*lines[:6], lines[6][:30]], 7, "Domestic Consumption"),
    "Excel title row": (lambda lines: ["PSD coffee (1000 60 KG BAGS)", *lines], 1, None),
}


@pytest.mark.parametrize("case", list(BAD_WIDE))
def test_bad_wide_input_names_row_and_column(fixtures_dir, tmp_path, case):
    mutate, row, column = BAD_WIDE[case]
    path = _write(tmp_path, mutate(_lines(fixtures_dir, "psd_coffee_wide.csv")))
    with pytest.raises(HilirDataError) as err:
        read_usda_psd(path)
    assert (err.value.row, err.value.column) == (row, column), str(err.value)
    assert str(path) in str(err.value)


def test_thousands_separator_is_read(fixtures_dir, tmp_path):
    lines = _replace(7, ",19791,", ',"19,791",')(_lines(fixtures_dir, "psd_coffee_wide.csv"))
    out = read_usda_psd(_write(tmp_path, lines))
    assert _get(out, "VNM", "bean_exports", 2015) == 19_791 * 60


BAD_LONG = {
    "values in thousand tonnes": (
        _replace(2, "(1000 60 KG BAGS)", "(1000 MT)"),
        2,
        "Unit_Description",
    ),
    "unknown attribute": (
        _replace(3, '"Bean Exports"', '"Bean Exports Value"'),
        3,
        "Attribute_Description",
    ),
    "missing value": (_replace(4, ",8720.0000", ","), 4, "Value"),
    "negative": (_replace(4, ",8720.0000", ",-8720"), 4, "Value"),
    "duplicate": (lambda lines: [*lines, lines[2]], 10, "Market_Year"),
}


@pytest.mark.parametrize("case", list(BAD_LONG))
def test_bad_long_input_names_row_and_column(fixtures_dir, tmp_path, case):
    mutate, row, column = BAD_LONG[case]
    path = _write(tmp_path, mutate(_lines(fixtures_dir, "psd_coffee_long.csv")))
    with pytest.raises(HilirDataError) as err, warnings.catch_warnings():
        warnings.simplefilter("ignore", HilirDataWarning)
        read_usda_psd(path)
    assert (err.value.row, err.value.column) == (row, column), str(err.value)


def test_long_file_without_coffee(tmp_path):
    lines = [
        "Commodity_Code,Commodity_Description,Country_Code,Country_Name,Market_Year,"
        "Calendar_Year,Month,Attribute_ID,Attribute_Description,Unit_ID,Unit_Description,Value",
        '0440000,"Corn",ID,"Indonesia",2015,2021,06,028,"Production",08,"(1000 MT)",10500.0',
    ]
    with pytest.raises(HilirDataError, match="no coffee rows"):
        read_usda_psd(_write(tmp_path, lines))


def test_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("", encoding="utf-8")
    with pytest.raises(HilirDataError, match="empty") as err:
        read_usda_psd(path)
    assert err.value.row is None
