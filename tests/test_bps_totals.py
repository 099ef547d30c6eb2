"""BPS tables: total rows are totals, preliminary years are flagged (issue 13, item 7).

A regency table whose total row reads "Jumlah", "Total" or just "Lampung" used to count that
row as one more regency (doubling the province in any sum over regencies), and a year
column marked ``2023*`` (angka sementara, preliminary) stopped the read.
"""

from __future__ import annotations

import pytest

from hilir.sources.bps_production import read_bps_production

HEAD = "Wilayah,,\n,Produksi Tanaman (ton),\n,Kopi Robusta,Lada\n,{y1},{y2}\n"
BODY = "Lampung Barat,52543,3093\nTanggamus,30671,1765\n"


def _table(tmp_path, total: str, y1: str = "2014", y2: str = "2014"):
    path = tmp_path / "kabkota_produksi_tanaman_ton_2014.csv"
    path.write_text(HEAD.format(y1=y1, y2=y2) + BODY + f"{total},83214,4858\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("total", ["Jumlah", "Total", "Lampung", "Provinsi Lampung", "JUMLAH"])
def test_a_total_row_is_the_province_not_a_regency(tmp_path, total: str) -> None:
    df = read_bps_production(_table(tmp_path, total), source="x")
    robusta = df[df["crop"] == "coffee_robusta"]
    assert set(robusta["geo_level"]) == {"regency", "province"}
    assert robusta.loc[robusta["geo_level"] == "regency", "production_t"].sum() == 83_214
    province = robusta[robusta["geo_level"] == "province"].iloc[0]
    assert (province["geo"], province["flag"]) == ("ID-LA", "")


def test_a_total_that_disagrees_is_flagged_as_a_check(tmp_path) -> None:
    path = _table(tmp_path, "Jumlah")
    path.write_text(path.read_text().replace("Jumlah,83214", "Jumlah,99999"), encoding="utf-8")
    with pytest.warns(UserWarning, match="sum_mismatch"):
        df = read_bps_production(path, source="x")
    province = df[(df["geo_level"] == "province") & (df["crop"] == "coffee_robusta")]
    assert province["flag"].item() == "sum_mismatch"


def test_a_preliminary_year_is_read_and_flagged(tmp_path) -> None:
    df = read_bps_production(_table(tmp_path, "Jumlah", y1="2023*", y2="2022"), source="x")
    robusta = df[df["crop"] == "coffee_robusta"]
    pepper = df[df["crop"] == "pepper"]
    assert set(robusta["year"]) == {2023} and set(robusta["flag"]) == {"preliminary"}
    assert set(pepper["year"]) == {2022} and set(pepper["flag"]) == {""}
