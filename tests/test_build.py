"""The build: golden numbers from the shipped data, idempotence, checksums, atomicity."""

from __future__ import annotations

import shutil
import warnings

import pandas as pd
import pytest

import hilir
from hilir import HilirDataError, HilirDataWarning
from hilir.data import pipeline as build_mod
from hilir.paths import raw_dir
from hilir.provenance.sidecar import sidecar_path


def test_ferronickel_2019_reproduces_comtrade_exactly(exports):
    """UN Comtrade, Indonesia -> World, HS 720260, 2019: USD 2,595,556,910; 1,593,696,030 kg."""
    row = exports[
        (exports["source"] == "comtrade_idn_nickel_chain")
        & (exports["hs_code"] == "720260")
        & (exports["year"] == 2019)
    ]
    assert len(row) == 1
    assert row["value_usd"].iloc[0] == 2_595_556_910
    assert row["net_weight_kg"].iloc[0] == 1_593_696_030
    assert row[["chain", "product", "stage"]].iloc[0].tolist() == [
        "nickel",
        "ferronickel",
        "intermediate",
    ]
    assert row["partner"].iloc[0] == "WLD" and bool(row["preferred"].iloc[0])


def test_faostat_green_coffee_2015(exports):
    """FAOSTAT item 656, Indonesia 2015: 499,651 t and 1,189,725 thousand USD."""
    row = exports[(exports["item_code"] == "656") & (exports["year"] == 2015)]
    assert row["net_weight_kg"].tolist() == [499_651_000.0]
    assert row["value_usd"].tolist() == [1_189_725_000.0]


def test_green_coffee_world_2015_is_counted_once(exports):
    """Comtrade 090111 (499,612,729 kg) and FAOSTAT 656 report the same flow: one is preferred."""
    world = exports[
        (exports["chain"] == "coffee")
        & (exports["stage"] == "raw")
        & (exports["partner"] == "WLD")
        & (exports["year"] == 2015)
    ]
    assert set(world["source"]) == {"faostat_idn_trade", "comtrade_idn_coffee_green"}
    preferred = world[world["preferred"]]
    assert preferred["source"].unique().tolist() == ["faostat_idn_trade"]
    assert preferred["net_weight_kg"].sum() == 499_651_000.0


def test_every_shipped_trade_row_maps_to_a_product(exports):
    unmapped = exports[exports["product"].isna()]
    assert unmapped.empty, unmapped[["source", "hs_code", "item_code"]].drop_duplicates()


def test_nickel_ore_zero_during_ban(exports):
    ore = exports[(exports["product"] == "nickel_ore") & exports["year"].isin([2015, 2016])]
    assert ore["value_usd"].tolist() == [0.0, 0.0]


def test_second_build_does_nothing():
    hilir.load_exports()  # makes sure a build exists
    result = build_mod.build(progress=False)
    assert not result.changed
    assert "up to date" in result.message()
    from hilir.sources.catalog import BUILT_TABLES

    built = [r.key for r in build_mod.discover_inputs() if r.table in BUILT_TABLES]
    assert result.inputs == sorted(built)


def _one_file_raw_dir(tmp_path, monkeypatch):
    """A private raw folder with one shipped file, and a private processed folder."""
    src = raw_dir() / "comtrade" / "idn_exports_2604_720260_7218_7219_1989_2020.csv"
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(src, raw / src.name)
    shutil.copy(sidecar_path(src), raw / sidecar_path(src).name)
    monkeypatch.setattr("hilir.paths.raw_dir", lambda: raw)
    monkeypatch.setenv("HILIR_DATA_DIR", str(tmp_path / "data"))
    return raw / src.name


def test_changed_raw_file_stops_the_build_and_writes_nothing(tmp_path, monkeypatch):
    data = _one_file_raw_dir(tmp_path, monkeypatch)
    result = build_mod.build(progress=False)
    assert result.changed and result.rows["trade"] == 124
    before = {p.name: p.read_bytes() for p in (tmp_path / "data" / "processed").iterdir()}
    data.write_text(data.read_text().replace("2595556910", "2595556911"))
    with pytest.raises(HilirDataError, match="checksum mismatch") as err:
        build_mod.build(progress=False, force=True)
    assert err.value.path == str(data)
    after = {p.name: p.read_bytes() for p in (tmp_path / "data" / "processed").iterdir()}
    assert after == before


def test_an_edited_raw_file_is_caught_while_the_processed_data_is_current(tmp_path, monkeypatch):
    """Without --force the build used to say "inputs unchanged" and serve the old numbers."""
    data = _one_file_raw_dir(tmp_path, monkeypatch)
    build_mod.build(progress=False)
    data.write_text(data.read_text().replace("2595556910", "2595556911"))
    with pytest.raises(HilirDataError, match="checksum mismatch"):
        build_mod.build(progress=False)
    with pytest.raises(HilirDataError, match="checksum mismatch"):
        hilir.load_trade()


def test_failed_reader_leaves_previous_output(tmp_path, monkeypatch):
    _one_file_raw_dir(tmp_path, monkeypatch)
    build_mod.build(progress=False)
    trade = tmp_path / "data" / "processed" / "trade.parquet"
    before = trade.read_bytes()

    def broken(rec):
        raise HilirDataError("reader failed", path=rec.data_path, row=3, column="Year")

    monkeypatch.setattr(build_mod, "_read", broken)
    with pytest.raises(HilirDataError, match="row 3"):
        build_mod.build(progress=False, force=True)
    assert trade.read_bytes() == before
    assert not [p for p in trade.parent.iterdir() if p.suffix == ".tmp"]


def test_data_dictionary_names_units_and_sources():
    hilir.load_exports()
    from hilir.paths import processed_dir

    dd = pd.read_csv(processed_dir() / build_mod.DICTIONARY)
    trade = dd[dd["table"] == "trade"].set_index("column")
    assert trade.loc["value_usd", "unit"] == "USD"
    assert trade.loc["net_weight_kg", "unit"] == "kg"
    assert "comtrade_idn_nickel_chain" in trade.loc["value_usd", "sources"]


def test_production_jumps_are_flagged_not_smoothed():
    """BPS Lampung smallholder coffee area: 156,918 ha in 2019, 1,978 ha in the 2020 table."""
    prod = hilir.load_production(geo="ID-LA")
    coffee = prod[prod["crop"].str.startswith("coffee") & prod["area_ha"].notna()]
    row = coffee[(coffee["year"] == 2020) & coffee["area_ha"].lt(5_000)]
    assert not row.empty, "the published 2020 value must be kept as published"
    assert row["flag"].str.contains("jump_area_ha").all()
    assert (prod["scope"] == "smallholder").all()


def test_muv_deflator_is_shipped_and_deflates_exports():
    """World Bank MUV index (2010 = 100) is 99.478 in 2019, so US$2,595.6 M of ferro-nickel
    in 2019 is 2,595,556,910 / 0.99478022 = US$2,609.2 M in 2010 dollars."""
    from hilir.value import deflate

    muv = hilir.load_prices(series="MUV", frequency="annual")
    assert muv.loc[muv["year"] == 2010, "price"].item() == pytest.approx(100.0)
    assert muv.loc[muv["year"] == 2019, "price"].item() == pytest.approx(99.478022, rel=1e-6)
    ni = hilir.load_exports(product="ferronickel")
    ni = ni[(ni["partner"] == "WLD") & (ni["year"] == 2019)]
    out = deflate(ni, hilir.load_prices())
    assert out["value_usd_const2010"].item() == pytest.approx(2_595_556_910 / 0.99478022)


def test_a_data_folder_that_does_not_exist_is_announced(tmp_path, monkeypatch):
    """A mistyped HILIR_DATA_DIR used to start a new, empty data folder without a word."""
    _one_file_raw_dir(tmp_path, monkeypatch)
    monkeypatch.setenv("HILIR_DATA_DIR", str(tmp_path / "dta"))
    with pytest.warns(HilirDataWarning, match="names no existing folder"):
        build_mod.build(progress=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error", HilirDataWarning)
        build_mod.build(progress=False)  # it exists now: nothing to say
