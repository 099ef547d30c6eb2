"""ICO reader: explicit unit, calendar and crop years, totals, the int32 placeholder, bad inputs."""

from __future__ import annotations

import warnings

import pytest

from _line_edits import replace_in_line as _replace
from hilir.errors import HilirDataError, HilirDataWarning
from hilir.schema.tables import BALANCES
from hilir.sources.ico import read_ico


def _lines(fixtures_dir, name):
    return (fixtures_dir / "ico" / name).read_text(encoding="utf-8").splitlines()


def _write(tmp_path, lines, name="ico.csv"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _read(path, **kw):
    kw.setdefault("unit", "t")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", HilirDataWarning)
        return read_ico(path, **kw)


def test_unit_is_required(fixtures_dir):
    with pytest.raises(TypeError):
        read_ico(fixtures_dir / "ico" / "coffee_export.csv")  # type: ignore[call-arg]


@pytest.mark.parametrize("unit", ["kg", "bags", "T"])
def test_unit_is_checked(fixtures_dir, unit):
    with pytest.raises(ValueError, match="unit"):
        read_ico(fixtures_dir / "ico" / "coffee_export.csv", unit=unit)  # type: ignore[arg-type]


def test_attribute_must_be_a_key(fixtures_dir):
    with pytest.raises(ValueError, match="attribute"):
        read_ico(fixtures_dir / "ico" / "coffee_export.csv", unit="t", attribute="Exports!")


def test_calendar_year_exports_in_tonnes(fixtures_dir):
    out = read_ico(fixtures_dir / "ico" / "coffee_export.csv", unit="t")
    assert list(out.columns) == BALANCES.names
    idn = out[(out["reporter"] == "IDN") & (out["year"] == 2015)]
    # Indonesia 2015 = 502,740 t (PROVENANCE: vs Comtrade HS 090111 499,613 t).
    assert idn["quantity_t_gbe"].tolist() == [502_740.0]
    assert set(out["reporter"]) == {"CIV", "COD", "IDN", "VNM"}
    assert set(out["year_basis"]) == {"calendar_year"}
    assert set(out["attribute"]) == {"exports"}
    assert set(out["source"]) == {"ico_coffee_exports"}
    assert len(out) == 4 * 3  # the Total column is not a year


def test_thousand_bags_are_multiplied_by_60(tmp_path):
    lines = ["Country,2015,2016,Total_export", "Indonesia,8379,6545,14924"]
    out = read_ico(_write(tmp_path, lines), unit="thousand_60kg_bags")
    assert out.set_index("year")["quantity_t_gbe"].to_dict() == {2015: 502_740.0, 2016: 392_700.0}


def test_tonnes_read_as_bags_gives_a_warning(fixtures_dir):
    with pytest.warns(HilirDataWarning, match="multiple of 60"):
        read_ico(fixtures_dir / "ico" / "coffee_export.csv", unit="thousand_60kg_bags")


def test_crop_years_start_in_their_first_year(fixtures_dir):
    out = read_ico(
        fixtures_dir / "ico" / "coffee_production.csv",
        unit="t",
        attribute="production",
        source="ico_coffee_production",
    )
    assert set(out["year_basis"]) == {"crop_year"}
    assert sorted(out["year"].unique()) == [2014, 2015, 2016]
    got = out.set_index(["reporter", "year"])["quantity_t_gbe"]
    assert got[("IDN", 2015)] == 755_100.0  # column 2015/16
    assert got[("BRA", 2016)] == 3_407_280.0
    assert set(out["attribute"]) == {"production"}


def test_total_mismatch_warns_with_the_row(fixtures_dir, tmp_path):
    lines = _lines(fixtures_dir, "coffee_export.csv")
    lines[3] = lines[3].replace(",1265940", ",1265000")
    with pytest.warns(HilirDataWarning, match=r"row 4 \(Indonesia\)"):
        out = read_ico(_write(tmp_path, lines), unit="t")
    assert "Total_export" not in out.columns


def test_totals_that_match_give_no_warning(fixtures_dir):
    with warnings.catch_warnings():
        warnings.simplefilter("error", HilirDataWarning)
        read_ico(fixtures_dir / "ico" / "coffee_production.csv", unit="t", attribute="production")


def test_thousands_separators_are_read(fixtures_dir, tmp_path):
    lines = _lines(fixtures_dir, "coffee_export.csv")
    lines[3] = lines[3].replace(",502740,", ',"502,740",')
    out = _read(_write(tmp_path, lines))
    assert out[(out["reporter"] == "IDN") & (out["year"] == 2015)]["quantity_t_gbe"].iloc[0] == (
        502_740.0
    )


BAD = {
    "int32 placeholder": (_replace(4, ",502740,", ",-2147483648,"), 4, "2015"),
    "negative": (_replace(4, ",502740,", ",-502740,"), 4, "2015"),
    "decimal comma": (_replace(4, ",502740,", ',"502740,5",'), 4, "2015"),
    "missing cell": (_replace(5, ",1316640,", ",,"), 5, "2015"),
    "same country twice": (_replace(5, "Viet Nam", "Indonesia"), 5, "Country"),
    "two spellings of one country": (
        lambda lines: [*lines, lines[4].replace("Viet Nam", "Vietnam")],
        6,
        "Country",
    ),
    "unknown country": (_replace(3, "Democratic Republic of Congo", "Atlantis"), 3, "Country"),
    "renamed country column": (_replace(1, "Country,", "Negara,"), 1, "Country"),
    "Excel title row": (lambda lines: ["ICO exports (tonnes)", *lines], 1, None),
    "title row padded by Excel": (lambda lines: ["ICO exports (tonnes),,,,", *lines], 1, "Country"),
    "calendar and crop years mixed": (_replace(1, ",2016,", ",2016/17,"), 1, "2016/17"),
    "cut mid-line": (lambda lines: [*lines[:4], lines[4][:18]], 5, "2016"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_names_row_and_column(fixtures_dir, tmp_path, case):
    mutate, row, column = BAD[case]
    path = _write(tmp_path, mutate(_lines(fixtures_dir, "coffee_export.csv")))
    with pytest.raises(HilirDataError) as err:
        _read(path)
    assert (err.value.row, err.value.column) == (row, column), str(err.value)
    assert str(path) in str(err.value)


def test_placeholder_error_explains_itself(fixtures_dir, tmp_path):
    lines = _replace(2, ",85080,", ",-2147483648,")(_lines(fixtures_dir, "coffee_export.csv"))
    with pytest.raises(HilirDataError, match="placeholder"):
        _read(_write(tmp_path, lines))


def test_crop_year_that_skips_a_year(fixtures_dir, tmp_path):
    lines = _replace(1, "2015/16", "2015/17")(_lines(fixtures_dir, "coffee_production.csv"))
    with pytest.raises(HilirDataError) as err:
        _read(_write(tmp_path, lines))
    assert (err.value.row, err.value.column) == (1, "2015/17")


def test_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("\n", encoding="utf-8")
    with pytest.raises(HilirDataError, match="empty") as err:
        _read(path)
    assert err.value.row is None


def test_empty_cells_after_the_last_column_are_ignored(fixtures_dir, tmp_path):
    # Spreadsheet exports often pad lines with separators; blank cells there are not data.
    lines = [line + ",," for line in _lines(fixtures_dir, "coffee_export.csv")[1:]]
    out = _read(_write(tmp_path, [_lines(fixtures_dir, "coffee_export.csv")[0], *lines]))
    assert len(out) == 12
