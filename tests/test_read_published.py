"""Quoted-figures reader: regions, periods as dates, values as quoted, bad inputs."""

from __future__ import annotations

import pandas as pd
import pytest

from _line_edits import replace_in_line as _replace
from hilir.errors import HilirDataError
from hilir.sources.published import PUBLISHED, read_published_figures

HEADER = "region,indicator,period,value,unit,quoted_source,url,note"
URL = "https://example.org/berita"


def _lines(fixtures_dir):
    path = fixtures_dir / "published" / "quoted_figures.csv"
    return path.read_text(encoding="utf-8").splitlines()


def _write(tmp_path, lines, name="quoted.csv"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _one(tmp_path, period="2015-06", region="Lampung", value="1.5"):
    line = f"{region},total exports,{period},{value},USD million,BPS Lampung,{URL},"
    return read_published_figures(_write(tmp_path, [HEADER, line])).iloc[0]


def test_reads_the_fixture(fixtures_dir):
    out = read_published_figures(fixtures_dir / "published" / "quoted_figures.csv")
    assert list(out.columns) == PUBLISHED.names
    assert list(out["region"]) == ["ID-LA", "ID-LA", "ID-LA", "ID-LA", "IDN"]
    assert set(out["source"]) == {"published_lampung_exports"}
    first = out.iloc[0]
    assert (first["period_start"], first["period_end"]) == (
        pd.Timestamp("2013-03-01"),
        pd.Timestamp("2013-03-31"),
    )
    assert (first["value"], first["unit"]) == (225.9, "USD million")
    assert pd.isna(first["note"])


def test_range_and_year_periods(fixtures_dir):
    out = read_published_figures(fixtures_dir / "published" / "quoted_figures.csv")
    cumulative = out[out["indicator"] == "total exports cumulative"].iloc[0]
    assert (cumulative["period_start"], cumulative["period_end"]) == (
        pd.Timestamp("2015-01-01"),
        pd.Timestamp("2015-09-30"),
    )
    yearly = out[out["indicator"] == "coffee exports"].iloc[0]
    assert (yearly["period_start"], yearly["period_end"]) == (
        pd.Timestamp("2006-01-01"),
        pd.Timestamp("2006-12-31"),
    )


def test_values_and_units_are_kept_as_quoted(fixtures_dir):
    out = read_published_figures(fixtures_dir / "published" / "quoted_figures.csv")
    kg = out[out["indicator"] == "coffee exports"].iloc[0]
    assert (kg["value"], kg["unit"]) == (230_635_486.0, "kg")
    rubber = out[out["region"] == "IDN"].iloc[0]
    assert (rubber["value"], rubber["unit"]) == (2.63, "million tonnes")
    assert "'Juni' by mistake" in out.iloc[2]["note"]


def test_month_end_in_a_leap_year(tmp_path):
    row = _one(tmp_path, period="2016-02")
    assert row["period_end"] == pd.Timestamp("2016-02-29")


def test_year_range(tmp_path):
    row = _one(tmp_path, period="2014/2016")
    assert (row["period_start"], row["period_end"]) == (
        pd.Timestamp("2014-01-01"),
        pd.Timestamp("2016-12-31"),
    )


def test_negative_values_are_kept(tmp_path):
    # A trade balance can be a deficit; the table does not forbid negative figures.
    assert _one(tmp_path, value="-23.4")["value"] == -23.4


@pytest.mark.parametrize(
    ("region", "code"),
    [("Indonesia", "IDN"), ("ID-LA", "ID-LA"), ("Sumatera Selatan", "ID-SS"), ("Papua", "ID-PA")],
)
def test_region_codes(tmp_path, region, code):
    assert _one(tmp_path, region=region)["region"] == code


BAD = {
    "unknown region (a regency)": (_replace(2, "Lampung,", "Lampung Selatan,"), 2, "region"),
    "island group is not a province": (_replace(6, "Indonesia,", "Sumatera,"), 6, "region"),
    "month 13": (_replace(2, ",2013-03,", ",2013-13,"), 2, "period"),
    "quarter": (_replace(2, ",2013-03,", ",2013Q1,"), 2, "period"),
    "range ends before it starts": (_replace(3, "2015-01/2015-09", "2015-09/2015-01"), 3, "period"),
    "decimal comma": (_replace(2, ",225.9,", ',"225,9",'), 2, "value"),
    "missing value": (_replace(2, ",225.9,", ",,"), 2, "value"),
    "blank unit": (_replace(2, ",USD million,", ",,"), 2, "unit"),
    "blank url": (
        _replace(
            5,
            "https://lampungrobusta.wordpress.com/2008/12/10/ekspor-kopi-lampung-oktober-turun-drastis/",
            "",
        ),
        5,
        "url",
    ),
    "extra field": (_replace(5, ",https://lampungrobusta", ",x,https://lampungrobusta"), 5, None),
    "duplicate": (lambda lines: [*lines, lines[1]], 7, "period"),
    "renamed column": (_replace(1, ",period,", ",periode,"), 1, "period"),
    "cut mid-line": (lambda lines: [*lines[:5], lines[5][:40]], 6, "unit"),
    "Excel title row": (lambda lines: ["Ekspor Lampung (dikutip media)", *lines], 1, None),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_names_row_and_column(fixtures_dir, tmp_path, case):
    mutate, row, column = BAD[case]
    path = _write(tmp_path, mutate(_lines(fixtures_dir)))
    with pytest.raises(HilirDataError) as err:
        read_published_figures(path)
    assert (err.value.row, err.value.column) == (row, column), str(err.value)
    assert str(path) in str(err.value)


def test_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text(HEADER + "\n", encoding="utf-8")
    with pytest.raises(HilirDataError, match="no data rows") as err:
        read_published_figures(path)
    assert err.value.row is None
