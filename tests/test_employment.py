"""Sakernas reader, workers by IO sector, the PPRK wage spread, labour coefficients, maps."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from hilir.data import io_sector_map, load_employment, load_io_table
from hilir.data.jobs_inputs import validate_sector_map
from hilir.errors import HilirDataError, HilirDataWarning
from hilir.fileio import read_csv
from hilir.jobs import (
    employment_by_io_sector,
    labour_coefficients,
    workers_per_wage,
)
from hilir.jobs.employment import validate_labour_coefficients
from hilir.paths import raw_dir
from hilir.sources.sakernas import read_pprk_labour, read_sakernas

LAMPUNG_2010 = {  # BPS Sakernas August 2010, Lampung, persons (Pekerti 2024 compilation)
    "agri": 2_110_571,
    "mining": 17_596,
    "manuf": 289_987,
    "util": 3_859,
    "constr": 152_736,
    "trade": 567_667,
    "trans": 165_087,
    "finance": 19_189,
    "services": 410_386,
}


# ------------------------------------------------------------------------------ reader


def test_read_sakernas_nine_sectors(io_dir):
    df = read_sakernas(io_dir / "sakernas9_sample.csv", source="s9")
    assert list(df.columns) == [
        "year",
        "geo",
        "prov_code",
        "prov_name",
        "classification",
        "sector",
        "sector_name",
        "workers",
        "source",
    ]
    la = df[df["geo"] == "ID-LA"].set_index("sector")["workers"]
    assert la.to_dict() == LAMPUNG_2010
    assert la.sum() == 3_737_078
    assert set(df["geo"]) == {"ID-AC", "ID-LA", "ID-KI"}
    assert (df["classification"] == "sakernas9").all() and (df["source"] == "s9").all()


def test_read_sakernas_seventeen_sectors_warns_on_bad_totals(io_dir):
    with pytest.warns(HilirDataWarning, match=r"Jawa Tengah 2016 \(-69,000\)"):
        df = read_sakernas(io_dir / "sakernas17_sample.csv")
    bb = df[(df["geo"] == "ID-BB") & (df["year"] == 2015)]
    assert len(bb) == 17 and bb["workers"].sum() == 623_949
    assert bb.set_index("sector").loc["min", "workers"] == 76_399  # tin mining province


def test_read_sakernas_xlsx_same_as_csv(io_dir, tmp_path):
    from openpyxl import Workbook

    csv = pd.read_csv(io_dir / "sakernas9_sample.csv")
    wb = Workbook()
    ws = wb.active
    ws.append(list(csv.columns))
    for row in csv.itertuples(index=False):
        ws.append(list(row))
    wb.save(tmp_path / "s9.xlsx")
    a = read_sakernas(io_dir / "sakernas9_sample.csv")
    b = read_sakernas(tmp_path / "s9.xlsx")
    pd.testing.assert_frame_equal(a, b)


@pytest.mark.parametrize(
    ("edit", "row", "column", "message"),
    [
        (lambda s: s.replace("18,Lampung", "99,Lampung"), 3, "prov_kode", "not a BPS province"),
        (lambda s: s.replace("2110571", "2110571.5"), 3, "bekerja_agri", "whole number"),
        (lambda s: s.replace("289987", "-289987"), 3, "bekerja_manuf", "negative"),
        (lambda s: s.replace("2110571", "banyak"), 3, "bekerja_agri", "not a number"),
        (lambda s: s.replace("bekerja_manuf", "bekerja_industri"), 1, "bekerja_manuf", "missing"),
    ],
)
def test_read_sakernas_bad_inputs(io_dir, tmp_path, edit, row, column, message):
    bad = tmp_path / "bad.csv"
    bad.write_text(edit((io_dir / "sakernas9_sample.csv").read_text()))
    with pytest.raises(HilirDataError, match=message) as err:
        read_sakernas(bad)
    assert (err.value.row, err.value.column) == (row, column)


def test_read_sakernas_duplicate_and_wrong_file(io_dir, tmp_path):
    text = (io_dir / "sakernas9_sample.csv").read_text().splitlines()
    dup = tmp_path / "dup.csv"
    dup.write_text("\n".join([*text, text[2]]) + "\n")
    with pytest.raises(HilirDataError, match="duplicate key") as err:
        read_sakernas(dup)
    assert err.value.row == 5
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n")
    with pytest.raises(HilirDataError, match="not a Sakernas compilation"):
        read_sakernas(other)


# -------------------------------------------------------------------- workers by sector


@pytest.mark.parametrize("rule", ["value_added", "output", "wages"])
def test_workers_by_io_sector_keep_sakernas_totals(lampung, io_dir, rule):
    emp = read_sakernas(io_dir / "sakernas9_sample.csv")
    e = employment_by_io_sector(lampung, emp, rule=rule)
    assert len(e) == 53 and e["workers"].sum() == pytest.approx(3_737_078)
    by_group = e.groupby("sakernas_sector")["workers"].sum()
    for sector, total in LAMPUNG_2010.items():
        assert by_group[sector] == pytest.approx(total)
    # zero-output sectors get no workers; every producing sector with a weight gets some
    assert e.set_index("code").loc[["9", "16"], "workers"].eq(0).all()
    # within a Sakernas sector, workers are proportional to the weight
    manuf = e[e["sakernas_sector"] == "manuf"]
    ratio = manuf["workers"] / manuf["weight"]
    ratio = ratio[manuf["weight"] > 0]
    np.testing.assert_allclose(ratio, ratio.iloc[0])


def test_workers_value_added_rule_lampung_numbers(lampung):
    e = employment_by_io_sector(lampung, load_employment(2010)).set_index("code")["workers"]
    manuf_va = lampung.value_added.loc["gross_value_added", [str(c) for c in range(12, 28)]]
    expected_13 = 289_987 * manuf_va["13"] / manuf_va.sum()
    assert e["13"] == pytest.approx(expected_13)
    assert 180_000 < e["13"] < 200_000  # food and beverages manufacturing, about 0.19 M


#: Cited farm-household counts of two Lampung plantation crops (domain-facts 4.x): robusta
#: coffee 229,379 households in 2013 (Vice-Governor via Antara Lampung, 26 Apr 2014) and
#: pepper 62,778 households in 2018 (Disbunnak Lampung via Bisnis, 30 Nov 2018).
COFFEE_HOUSEHOLDS_2013 = 229_379
PEPPER_HOUSEHOLDS_2018 = 62_778


@pytest.mark.parametrize(
    ("rule", "fisheries", "plantations"),
    [("value_added", 524_432, 276_044), ("output", 503_933, 305_954), ("wages", 515_390, 372_383)],
)
def test_within_agriculture_spread_is_an_assumption_and_flagged(
    lampung, rule, fisheries, plantations
):
    """Finding 8 of issue 12: Sakernas agriculture (2,110,571 workers, August 2010) is spread
    over the seven farm IO sectors by a rule, not counted. No BPS Lampung split by
    sub-sector is in the shipped data or the domain facts, so each count is flagged
    ``split_assumed``. Every rule puts about 0.5 M workers in fisheries and 0.28-0.37 M in
    plantation crops, although coffee and pepper alone had 292,157 farm households (2013,
    2018): the value-added rule gives plantations fewer workers than two of its crops have
    households (a household can hold several workers, or work mainly in another sector, so
    this is a consistency warning, not a count)."""
    e = employment_by_io_sector(lampung, load_employment(2010), rule=rule).set_index("code")
    assert e.loc["7", "workers"] == pytest.approx(fisheries, abs=1)
    assert e.loc["3", "workers"] == pytest.approx(plantations, abs=1)
    farm = [str(c) for c in range(1, 8)]
    assert e.loc[farm, "workers"].sum() == pytest.approx(2_110_571)
    assert e.loc[farm, "split_assumed"].all()
    two_crops = COFFEE_HOUSEHOLDS_2013 + PEPPER_HOUSEHOLDS_2018
    assert (e.loc["3", "workers"] < two_crops) == (rule == "value_added")


def test_babel_and_kaltim_employment():
    with pytest.warns(HilirDataWarning, match="Jawa Tengah 2016"):
        emp = load_employment()
    bb = employment_by_io_sector(load_io_table("ID-BB"), emp)
    assert bb["workers"].sum() == pytest.approx(623_949)
    # construction (39) is the only IO sector of its Sakernas sector: a count, not a split
    assert not bb.set_index("code").loc["39", "split_assumed"]
    assert bb.set_index("code").loc["7", "split_assumed"]  # pepper: a share of agriculture
    assert bb.groupby("sakernas_sector")["workers"].sum()["min"] == pytest.approx(76_399)
    kt = employment_by_io_sector(load_io_table("ID-KI"), emp)
    assert kt["workers"].sum() == pytest.approx(1_481_898)


def test_employment_errors(lampung, io_dir):
    emp = read_sakernas(io_dir / "sakernas9_sample.csv")
    with pytest.raises(ValueError, match="no Sakernas rows for ID-LA 2011"):
        employment_by_io_sector(lampung, emp, year=2011)
    with pytest.raises(ValueError, match="rule"):
        employment_by_io_sector(lampung, emp, rule="jobs")


def test_pprk_file_is_a_wage_spread_not_employment(lampung):
    """The PPRK workers are ~85.8 per Rp 1 bn of wages in every sector (84.9-93.9)."""
    path = raw_dir() / "employment" / "lampung_io2010_labour_by_sector_pprk.csv"
    pprk = read_pprk_labour(path).set_index("code")["workers"]
    assert pprk.sum() == 3_737_076
    ratio = workers_per_wage(lampung, pprk).dropna()
    assert len(ratio) == 51
    assert ratio.median() == pytest.approx(85.76, abs=0.01)
    assert ratio.min() > 84.9 and ratio.max() < 93.9
    assert (ratio.sub(ratio.median()).abs() < 0.02 * ratio.median()).mean() > 0.9
    # manufacturing: PPRK 0.79 M against Sakernas 2010 0.29 M, about 2.7 times
    manuf = [str(c) for c in range(12, 28)]
    assert pprk[manuf].sum() == 789_869
    assert pprk[manuf].sum() / LAMPUNG_2010["manuf"] == pytest.approx(2.72, abs=0.01)
    # Sakernas-based workers are not proportional to wages
    e = employment_by_io_sector(lampung, load_employment(2010)).set_index("code")["workers"]
    r2 = workers_per_wage(lampung, e).dropna()
    assert r2.max() / r2.min() > 10


# ------------------------------------------------------------------ labour coefficients


def test_labour_coefficients_trace_to_their_sources():
    lc = labour_coefficients().set_index("product")
    coffee = lc.loc["coffee_roasted"]
    assert coffee["low"] == round(20_430 / 225_400 * 1000, 1)  # 2013: 90.6 per 1,000 t
    assert coffee["high"] == round(20_430 / 225_400 * 1000 / 0.5, 1)
    assert coffee["central"] == round((20_430 / 225_400 + 18_550 / 171_500) / 2 * 1000, 1)
    assert lc.loc["ferronickel", "central"] == round(1_200 / 40_000 * 1000, 1)
    assert lc.loc["ferronickel", "high"] == round(5_000 / 73_000 * 1000, 1)
    assert lc.loc["stainless_semis", "central"] == round(43_000 / 3_000, 1)
    for product in (
        "palm_oil_refined",
        "rubber_dry",
        "alumina",
        "copper_cathode",
        "tin_unwrought",
        "nickel_intermediates",
        "pepper_ground",
    ):
        row = lc.loc[product]
        assert row["method"] == "none" and row["reliability"] == "none"
        assert row[["low", "central", "high"]].isna().all()
        assert "NOT FOUND" in row["source"] or "NOT FOUND" in row["derivation"]
    assert not (lc["reliability"] == "medium").any()  # thin evidence everywhere


def test_labour_coefficient_products_are_registry_products():
    from hilir.registry.tables import products

    known = set(products()["product"])
    assert set(labour_coefficients()["product"]) <= known


def _labour_csv(tmp_path, change):
    src = tmp_path / "lc.csv"
    from importlib import resources

    text = (resources.files("hilir") / "refdata" / "labour_coefficients.csv").read_text()
    src.write_text(change(text))
    return read_csv(src), src


@pytest.mark.parametrize(
    ("change", "row", "column", "message"),
    [
        (
            lambda t: t.replace("90.6,99.4,181.3", "190.6,99.4,181.3", 1),
            2,
            "central",
            "low <= central",
        ),
        (
            lambda t: t.replace("per_1000_t_output,,,,none", "per_1000_t_output,1,2,3,none", 1),
            5,
            "central",
            "method 'none'",
        ),
        (lambda t: t.replace("per_1000_t_capacity", "per_worker", 1), 2, "basis", "not one of"),
        (
            lambda t: t.replace("90.6,99.4,181.3,derived", "x,99.4,181.3,derived", 1),
            2,
            "low",
            "not a number",
        ),
    ],
)
def test_labour_coefficients_validation(tmp_path, change, row, column, message):
    df, path = _labour_csv(tmp_path, change)
    assert df["_row"].iloc[3] == 5 and df["product"].iloc[3] == "pepper_ground"
    with pytest.raises(HilirDataError, match=message) as err:
        validate_labour_coefficients(df, path=str(path))
    assert (err.value.row, err.value.column) == (row, column)


# ----------------------------------------------------------------------- product map


def test_sector_map_covers_registry_and_refuses_minerals_in_lampung():
    from hilir.registry.tables import products

    m = io_sector_map()
    known = set(products()["product"])
    assert set(m["product"]) <= known
    la = m[m["classification"] == "bps_lampung_io2010"].set_index("product")
    assert known <= set(la.index)  # every registry product has a Lampung row
    assert la.loc["coffee_green", "io_code"] == "3"
    assert la.loc["coffee_roasted", "io_code"] == "13"
    assert la.loc["tyres", "io_code"] == "20"
    for p in ("ferronickel", "nickel_ore", "alumina", "copper_cathode", "tin_unwrought"):
        assert la.loc[p, "io_code"] == ""
        assert "Rp 43.0 bn" in la.loc[p, "basis"]
    bb = m[m["classification"] == "bps_babel_io2015"].set_index("product")
    assert (bb.loc["tin_ore", "io_code"], bb.loc["tin_unwrought", "io_code"]) == ("16", "31")


def test_sector_map_validation(tmp_path):
    bad = tmp_path / "map.csv"
    bad.write_text(
        "classification,product,io_code,basis\n"
        "bps_lampung_io2010,coffee_green,3,plantation\n"
        "bps_lampung_io2010,coffee_roasted,99,food\n"
    )
    with pytest.raises(HilirDataError, match="no sector '99'") as err:
        validate_sector_map(read_csv(bad), path=str(bad))
    assert (err.value.row, err.value.column) == (3, "io_code")
    bad.write_text(
        "classification,product,io_code,basis\n"
        "bps_lampung_io2010,coffee_green,3,plantation\n"
        "bps_lampung_io2010,coffee_green,13,food\n"
    )
    with pytest.raises(HilirDataError, match="mapped twice") as err:
        validate_sector_map(read_csv(bad), path=str(bad))
    assert err.value.row == 3


def test_shipped_sakernas_sidecars_note_the_licence():
    from hilir.provenance.sidecar import discover

    recs = {r.key: r for r in discover(raw_dir() / "employment")}
    for key in ("sakernas_prov_sect9_2010_2014", "sakernas_prov_sect17_2015_2023"):
        assert "CC BY-NC 4.0" in recs[key].licence
        assert "NON-COMMERCIAL" in recs[key].notes and "Pekerti" in recs[key].citation
        assert "BPS" in recs[key].citation
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", HilirDataWarning)
        both = load_employment()
    assert set(both["classification"]) == {"sakernas9", "sakernas17"}
