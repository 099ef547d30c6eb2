"""BPS and WIOD input-output readers: layouts, shipped tables, bad inputs."""

from __future__ import annotations

import shutil

import numpy as np
import pytest
from openpyxl import load_workbook

from hilir.data import load_io_table
from hilir.errors import HilirDataError
from hilir.schema import IOTable
from hilir.sources.io_bps import read_bps_io
from hilir.sources.io_wiod import read_wiod_niot


def _check_identities(t: IOTable) -> None:
    x = t.output.to_numpy()
    rows = t.Z.to_numpy().sum(axis=1) + t.final_demand.to_numpy().sum(axis=1)
    cols = (
        t.Z.to_numpy().sum(axis=0)
        + t.imports.to_numpy()
        + t.value_added.loc["gross_value_added"].to_numpy()
    )
    np.testing.assert_allclose(rows, x, atol=1.0)
    np.testing.assert_allclose(cols, x, atol=1.0)


# ------------------------------------------------------------------------ small fixtures


def test_lampung_layout_fixture(io_dir):
    t = read_bps_io(io_dir / "bps_io_3sector_lampung_layout.xlsx", source="fx")
    assert (t.year, t.geography, t.unit, t.source) == (2010, "ID-LA", "juta Rp", "fx")
    assert t.codes == ["1", "2", "3"]
    assert list(t.sectors["name_id"]) == ["Pertanian", "Industri Makanan", "Jasa"]
    assert list(t.final_demand.columns) == [
        "household",
        "government",
        "investment",
        "stock_change",
        "exports_foreign",
        "exports_interprovincial",
    ]
    np.testing.assert_allclose(t.Z.to_numpy(), [[10, 20, 5], [15, 5, 10], [5, 10, 20]])
    np.testing.assert_allclose(t.output, [100, 80, 120])
    np.testing.assert_allclose(t.value_added.loc["wages"], [20, 15, 30])
    np.testing.assert_allclose(t.value_added.loc["gross_value_added"], [60, 40, 70])
    np.testing.assert_allclose(t.imports, [10, 5, 15])
    assert t.foreign_exports.sum() == 40 and t.exports.sum() == 70
    assert t.imports_final_demand["household"] == 25
    assert t.classification is None and t.sectors["name_en"].isna().all()
    _check_identities(t)


def test_long_csv_gives_the_same_table(io_dir):
    wb = read_bps_io(io_dir / "bps_io_3sector_lampung_layout.xlsx")
    lg = read_bps_io(io_dir / "bps_io_3sector_long.csv", year=2010, geography="ID-LA", scale=1.0)
    np.testing.assert_allclose(lg.Z.to_numpy(), wb.Z.to_numpy())
    np.testing.assert_allclose(lg.final_demand.to_numpy(), wb.final_demand.to_numpy())
    np.testing.assert_allclose(lg.value_added.to_numpy(), wb.value_added.to_numpy())
    assert list(lg.sectors["name_id"]) == list(wb.sectors["name_id"])


def test_babel_layout_fixture(io_dir):
    t = read_bps_io(io_dir / "bps_io_3sector_babel_layout.xlsx")
    assert (t.year, t.geography) == (2015, "ID-BB")
    assert list(t.final_demand.columns) == [
        "household",
        "npish",
        "government",
        "investment",
        "stock_change",
        "exports",
    ]
    assert t.foreign_exports.isna().all()  # exports are not split in this layout
    assert t.exports.sum() == 70
    _check_identities(t)


def test_wiod_fixture(io_dir):
    t = read_wiod_niot(io_dir / "wiod_niot_3industry.xlsx", year=2010)
    assert t.unit == "million USD" and t.geography == "IDN"
    assert t.codes == ["AtB", "C", "15t16"]
    # imports = imported intermediates + international transport margins
    np.testing.assert_allclose(t.imports, [10 + 1, 5 + 0, 15 + 2])
    assert t.value_added.loc["wages"].isna().all()
    assert t.imports_final_demand["household"] == 9
    _check_identities(t)


# ---------------------------------------------------------------------- shipped tables


def test_shipped_lampung_totals_match_the_table():
    """BPS Lampung 2010: output Rp 268.31 T, GVA Rp 149.21 T, foreign exports Rp 19.62 T."""
    t = load_io_table("ID-LA")
    tot = t.totals() / 1e6  # juta Rp -> trillion Rp
    assert tot["output"] == pytest.approx(268.305, abs=0.001)
    assert tot["gross_value_added"] == pytest.approx(149.207, abs=0.001)
    assert tot["exports_foreign"] == pytest.approx(19.616, abs=0.001)
    assert t.final_demand["exports_interprovincial"].sum() / 1e6 == pytest.approx(46.559, abs=1e-3)
    assert tot["wages"] == pytest.approx(43.575, abs=0.001)
    assert tot["household_consumption_domestic"] == pytest.approx(77.275, abs=0.001)
    assert t.Z.shape == (53, 53) and t.classification == "bps_lampung_io2010"
    assert t.sectors.set_index("code").loc["13", "name_en"] == "Food and beverages manufacturing"
    assert list(t.output.index[t.output == 0]) == ["9", "16"]
    assert t.output["22"] == pytest.approx(42990.5, abs=0.1)  # basic metals: Rp 43 bn
    _check_identities(t)


def test_shipped_babel_and_kaltim_load():
    bb = load_io_table("ID-BB")
    assert (bb.year, bb.Z.shape, bb.classification) == (2015, (60, 60), "bps_babel_io2015")
    assert bb.totals()["output"] / 1e6 == pytest.approx(102.058, abs=0.001)
    assert bb.sectors.set_index("code").loc["31", "name_en"].startswith("Basic precious")
    assert sorted(bb.output.index[bb.output == 0], key=int) == ["18", "23", "25", "33"]
    _check_identities(bb)
    kt = load_io_table("ID-KI")
    assert (kt.year, kt.Z.shape, kt.classification) == (2010, (37, 37), "bps_kaltim_io2010")
    assert kt.totals()["gross_value_added"] / 1e6 == pytest.approx(418.212, abs=0.001)
    assert "exports" in kt.final_demand.columns and "npish" not in kt.final_demand.columns
    _check_identities(kt)


@pytest.mark.parametrize(
    ("year", "output", "va", "exports"),
    [
        (2010, 1_393_156.0, 708_943.7, 171_667.8),
        (2011, 1_658_798.3, 848_131.6, 218_789.2),
    ],
)
def test_shipped_wiod_totals(year, output, va, exports):
    t = load_io_table("IDN", year=year)
    tot = t.totals()
    assert tot["output"] == pytest.approx(output, abs=0.1)
    assert tot["gross_value_added"] == pytest.approx(va, abs=0.1)
    assert tot["exports"] == pytest.approx(exports, abs=0.1)
    assert t.classification == "wiod_niot_idn" and t.Z.shape == (35, 35)
    assert (
        t.sectors.set_index("code").loc["27t28", "name_id"] == "Logam dasar dan barang dari logam"
    )
    _check_identities(t)


# --------------------------------------------------------------------------- bad inputs


def _copy(io_dir, tmp_path, name="bps_io_3sector_lampung_layout.xlsx"):
    dst = tmp_path / name
    shutil.copy(io_dir / name, dst)
    return dst


def test_text_in_a_cell_names_row_and_column(io_dir, tmp_path):
    path = _copy(io_dir, tmp_path)
    wb = load_workbook(path)
    wb["Domestik Produsen"]["D7"] = "lima"  # sector 2 -> sector 2
    wb.save(path)
    with pytest.raises(HilirDataError) as err:
        read_bps_io(path)
    assert err.value.row == 7 and err.value.column.startswith("D (code 2)")
    assert "'lima' is not a number" in str(err.value)


def test_row_not_adding_up_names_the_output_cell(io_dir, tmp_path):
    path = _copy(io_dir, tmp_path)
    wb = load_workbook(path)
    wb["Domestik Produsen"]["C8"] = 99  # sector 3 sells 99 to sector 1 instead of 5
    wb.save(path)
    with pytest.raises(HilirDataError) as err:
        read_bps_io(path)
    assert err.value.row == 8 and "code 600" in err.value.column
    assert "output of sector 3" in str(err.value)


def test_negative_flow_and_bad_value_added(io_dir, tmp_path):
    path = _copy(io_dir, tmp_path)
    wb = load_workbook(path)
    ws = wb["Domestik Produsen"]
    ws["C6"] = -10
    ws["D6"] = 40  # keep the row sum
    wb.save(path)
    with pytest.raises(HilirDataError, match="negative intermediate flow") as err:
        read_bps_io(path)
    assert err.value.row == 6
    path = _copy(io_dir, tmp_path)
    wb = load_workbook(path)
    wb["Domestik Produsen"]["C16"] = 65  # GVA of sector 1: 60 published as 65
    wb.save(path)
    with pytest.raises(HilirDataError, match="gross value added") as err:
        read_bps_io(path)
    assert err.value.row == 16


def test_missing_unit_year_and_sheet(io_dir, tmp_path):
    with pytest.raises(HilirDataError, match="pass scale="):
        read_bps_io(io_dir / "bps_io_3sector_long.csv", year=2010, geography="ID-LA")
    with pytest.raises(HilirDataError, match="pass year="):
        read_bps_io(io_dir / "bps_io_3sector_long.csv", geography="ID-LA", scale=1.0)
    path = _copy(io_dir, tmp_path)
    wb = load_workbook(path)
    wb["Domestik Produsen"].title = "Tabel 4"
    wb["Tabel 4"]["B2"] = "TABEL 4. KOEFISIEN INPUT, 2010"
    wb.save(path)
    with pytest.raises(HilirDataError, match="no sheet of domestic transactions"):
        read_bps_io(path)
    with pytest.raises(HilirDataError, match="no sheet 'PDD'"):
        read_bps_io(path, sheet="PDD")


def test_not_a_workbook_and_unknown_type(tmp_path):
    bad = tmp_path / "table.xlsx"
    bad.write_text("not a zip")
    with pytest.raises(HilirDataError, match="not a readable Excel workbook"):
        read_bps_io(bad)
    other = tmp_path / "table.json"
    other.write_text("{}")
    with pytest.raises(HilirDataError, match="unsupported file type"):
        read_bps_io(other)
    with pytest.raises(HilirDataError, match="file not found"):
        read_bps_io(tmp_path / "missing.xlsx")


def test_long_csv_duplicates_and_bad_codes(io_dir, tmp_path):
    text = (io_dir / "bps_io_3sector_long.csv").read_text()
    lines = text.splitlines()
    dup = tmp_path / "dup_juta_rp.csv"
    dup.write_text("\n".join([*lines, lines[1]]) + "\n")
    with pytest.raises(HilirDataError, match="duplicate cell") as err:
        read_bps_io(dup, year=2010, geography="ID-LA")
    assert err.value.row == len(lines) + 1
    bad = tmp_path / "bad_juta_rp.csv"
    bad.write_text("\n".join([lines[0], "x" + lines[1], *lines[2:]]) + "\n")
    with pytest.raises(HilirDataError, match="not a row code") as err:
        read_bps_io(bad, year=2010, geography="ID-LA")
    assert (err.value.row, err.value.column) == (2, "row_code")
    renamed = tmp_path / "renamed_juta_rp.csv"
    renamed.write_text("\n".join([lines[0].replace("value", "nilai"), *lines[1:]]) + "\n")
    with pytest.raises(HilirDataError, match="missing column") as err:
        read_bps_io(renamed, year=2010, geography="ID-LA")
    assert err.value.column == "value"


def test_wiod_missing_year_and_broken_output(io_dir, tmp_path):
    with pytest.raises(HilirDataError, match="no sheet for year 2009"):
        read_wiod_niot(io_dir / "wiod_niot_3industry.xlsx", year=2009)
    path = tmp_path / "wiod.xlsx"
    shutil.copy(io_dir / "wiod_niot_3industry.xlsx", path)
    wb = load_workbook(path)
    wb["2010"]["N8"] = 81  # total output of C: 80 -> 81
    wb.save(path)
    with pytest.raises(HilirDataError, match="output of c2") as err:
        read_wiod_niot(path, year=2010)
    assert (err.value.row, err.value.column) == (8, "N")
