"""Validation, splits, coffee variants, reconciliation, deflation and world prices."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from _value_frames import exports, fixed_factors, nickel_prices
from hilir.errors import HilirDataError, HilirDataWarning
from hilir.value import (
    coffee_processing_variants,
    compare_world_prices,
    deflate,
    processing_share,
    raw_equivalent,
    reconcile,
    scenario,
    stage_table,
    unit_values,
    validate_assumptions,
    value_assumptions,
)

FAC = fixed_factors({"coffee_roasted": (1.19, 1.19, 1.19)})
COFFEE = [(2019, "coffee_green", 2_000_000, 1_000_000), (2019, "coffee_roasted", 600_000, 100_000)]


def test_raw_equivalent_worked_example():
    """100 t roasted x 1.19 = 119 t GBE; green 1,000 t x 1 = 1,000 t."""
    req = raw_equivalent(exports(COFFEE), factors=FAC)
    cen = req[req["bound"] == "central"].set_index("product")["raw_equivalent_t"]
    assert cen["coffee_roasted"] == pytest.approx(119.0)
    assert cen["coffee_green"] == pytest.approx(1000.0)


def test_missing_factor_raises_naming_product():
    fac = fixed_factors({"coffee_green_decaf": (1.05, 1.05, 1.05)})
    with pytest.raises(HilirDataError, match="coffee_roasted"):
        raw_equivalent(exports(COFFEE), factors=fac)


def test_unknown_chain_and_bad_share_and_absent_year():
    ex = exports(COFFEE)
    with pytest.raises(HilirDataError, match="unknown chain"):
        processing_share(ex, chain="durian", factors=FAC)
    with pytest.raises(HilirDataError, match=r"\[0, 1\]"):
        scenario(ex, chain="coffee", year=2019, shares=[0.2, 1.5], factors=FAC)
    with pytest.raises(HilirDataError, match="2018"):
        processing_share(ex, chain="coffee", years=[2018], factors=FAC)
    bad = ex.assign(stage=["raw", "semi"])
    with pytest.raises(HilirDataError, match="unknown stage"):
        processing_share(bad, factors=FAC)


def test_scenario_worked_example():
    """R = 1,000 t green at 2.0 USD/kg; roasted 6.0 USD/kg, f = 1.19. Share 0.5:
    forgone 500 t x 2,000 = 1.0 M USD; output 500 / 1.19 = 420.17 t x 6,000 = 2.521 M USD;
    change = 500 x (6,000 / 1.19 - 2,000) = 1,521,008.4 USD."""
    res = scenario(
        exports(COFFEE), chain="coffee", year=2019, shares=[0.5], factors=FAC, uv_window=1
    )
    cen = res[res["bound"] == "central"].set_index("role")
    assert cen.loc["raw", "delta_t"] == pytest.approx(-500.0)
    assert cen.loc["target", "delta_t"] == pytest.approx(500 / 1.19)
    assert cen[["delta_value_usd"]].sum().item() == pytest.approx(500 * (6000 / 1.19 - 2000))
    assert (res["geography"] == "Indonesia").all()


def test_scenario_explicit_unit_value_needs_source():
    with pytest.raises(HilirDataError, match="source"):
        scenario(
            exports(COFFEE),
            chain="coffee",
            year=2019,
            shares=[0.5],
            factors=FAC,
            processed_unit_value_usd_per_t=(5000, 6000, 7000),
        )


def test_mixed_items_excluded_unless_split():
    """FAOSTAT palm oil (mixed) 2020: 100 t, USD 70,000. Default split: 79 % refined
    (intermediate) -> value share 0.79 (value split = volume split)."""
    ex = exports([(2020, "palm_oil_mixed", 70_000, 100_000)])
    ps = processing_share(ex, chain="palm_oil")
    assert ps.set_index("bound").loc["central", "share_value"] == pytest.approx(0.79)
    assert "GAPKI" in ps["assumption"].iloc[0]
    with pytest.warns(HilirDataWarning, match="mixed items without a split"):
        none = processing_share(ex, chain="palm_oil", splits=None)
    assert none.empty


def test_coffee_variants_bracket_the_extract_question():
    """Item 659 is processed in every reading; only its GBE factor, hence the volume, moves.

    100 t of item 659: as soluble 100 x 2.6 = 260 t GBE (ICO); as mixes 100 x 2.6 x 0.11 =
    28.6 t GBE; registry central 100 x 0.86 = 86 t GBE. By value the share is (600 + 500) /
    (2,000 + 600 + 500) thousand USD in each reading that counts the item.
    """
    ex = exports([*COFFEE, (2019, "coffee_extracts_mixed", 500000, 100000)])
    out = coffee_processing_variants(ex)
    cen = out[out["bound"] == "central"].set_index("variant")
    vol = cen["share_volume"]
    assert vol["extracts_as_soluble"] == pytest.approx((119 + 260) / (1000 + 119 + 260))
    assert vol["extracts_as_mixes"] == pytest.approx((119 + 28.6) / (1000 + 119 + 28.6))
    assert vol["registry"] == pytest.approx((119 + 86) / (1000 + 119 + 86))
    assert vol["extracts_excluded"] == pytest.approx(119 / 1119)
    counted = cen.drop(index="extracts_excluded")["share_value"]
    assert counted.to_numpy() == pytest.approx([1100 / 3100] * len(counted))
    # the bounds of the registry reading are the all-mixes (8 %) reading and the all-soluble
    # one capped at the year's break-even factor: item 659 at US$5,000 per t against green
    # coffee at US$2,000 per t is worth its coffee content up to 2.5 t GBE per t, not 2.6
    reg = out[out["variant"] == "registry"].set_index("bound")["share_volume"]
    assert reg["low"] == pytest.approx((119 + 20.8) / (1000 + 119 + 20.8))
    assert reg["high"] == pytest.approx((119 + 250) / (1000 + 119 + 250))


def test_coffee_variants_set_usda_psd_beside_faostat(fixtures_dir):
    """USDA PSD Indonesia MY 2015 (thousand 60-kg bags, GBE): bean exports 6,770, roast and
    ground 50, soluble 1,900 -> processed share (50 + 1,900) / (50 + 1,900 + 6,770) =
    0.223624. No factor applies (PSD is already GBE) and PSD has no value split."""
    from hilir.sources.usda import read_usda_psd

    bal = read_usda_psd(fixtures_dir / "usda" / "psd_coffee_wide.csv")
    out = coffee_processing_variants(exports(COFFEE), bal)
    psd = out[(out["variant"] == "usda_psd") & (out["geography"] == "Indonesia")]
    psd = psd.set_index(["year", "bound"])
    for bound in ("low", "central", "high"):
        assert psd.loc[(2015, bound), "share_volume"] == pytest.approx(1950 / 8720)
    assert psd["share_value"].isna().all()
    assert set(out["variant"]) >= {"extracts_excluded", "usda_psd"}
    with pytest.raises(HilirDataError, match="USDA PSD"):
        coffee_processing_variants(exports(COFFEE), bal.assign(source="ico"))


def test_partner_detail_is_never_added_to_a_world_total():
    """Shipped data. Green coffee 2015: FAOSTAT item 656 gives the world total (499,651 t,
    USD 1,189,725 thousand); UN Comtrade 090111 + 090112 by partner (499,612.7 t) is partner
    detail of the same flow. Ferro-nickel 2020: Comtrade's world row is USD 4,739,112,331;
    the destinations file (USD 4,739.10 million over five partners) splits it. Each
    product-year is counted once."""
    import hilir

    ex = hilir.load_exports()
    coffee = stage_table(ex, chain="coffee").query("bound == 'central'")
    green = coffee[(coffee["product"] == "coffee_green") & (coffee["year"] == 2015)]
    assert green["quantity_t"].tolist() == [499_651.0]
    assert green["value_usd"].tolist() == [1_189_725_000.0]
    assert green["source"].tolist() == ["faostat_idn_trade"]
    nickel = stage_table(ex, chain="nickel").query("bound == 'central' and reporter == 'IDN'")
    fe = nickel[(nickel["product"] == "ferronickel") & (nickel["year"] == 2020)]
    assert fe["value_usd"].tolist() == [4_739_112_331.0]
    assert fe["source"].tolist() == ["comtrade_idn_nickel_chain"]
    for frame in (coffee, nickel):
        assert not frame.duplicated(["reporter", "product", "year"]).any()


def test_unit_value_flags_tiny_weight_and_band():
    rows = [(y, "nickel_ore", 30.0 * 2e9 / 1000, 2e9) for y in range(2000, 2012)]
    rows.append((2012, "nickel_ore", 116, 1404))
    uv = unit_values(exports(rows)).set_index("year")
    assert "tiny_weight" in uv.loc[2012, "flag"] and "outside_band" in uv.loc[2012, "flag"]
    assert uv.loc[2005, "flag"] == ""
    assert len(uv) == 13  # flagged, not dropped


def test_reconcile_gap_percent():
    """FAOSTAT green coffee 2015: 1,189,725 thousand USD; Comtrade 090111: 1,189,551,288 USD.
    gap = 173,712 USD = 0.0146 %."""
    left = pd.DataFrame({"year": [2015], "value_usd": [1_189_725_000.0], "source": ["faostat"]})
    right = pd.DataFrame({"year": [2015], "value_usd": [1_189_551_288.0], "source": ["comtrade"]})
    out = reconcile(left, right)
    assert out["gap"].item() == pytest.approx(173_712.0)
    assert out["gap_pct"].item() == pytest.approx(100 * 173_712 / 1_189_551_288)


def test_deflate_with_muv():
    """MUV 2019 = 99.478 (2010 = 100): USD 1,000 in 2019 = 1,005.25 in 2010 dollars."""
    muv = pd.DataFrame(
        {
            "year": [2010, 2019],
            "month": pd.array([pd.NA, pd.NA], dtype="Int64"),
            "series": "MUV",
            "price": [100.0, 99.478022],
            "unit": "index",
            "basis": "2010=100",
            "source": "test",
        }
    )
    out = deflate(pd.DataFrame({"year": [2019], "value_usd": [1000.0]}), muv)
    assert out["value_usd_const2010"].item() == pytest.approx(1000 / 0.99478022)
    with pytest.raises(HilirDataError, match="2020"):
        deflate(pd.DataFrame({"year": [2020], "value_usd": [1.0]}), muv)


def test_world_prices_nickel_ore_through_content():
    """Ore 2019: 33.879 USD/wet t / (0.018 x 0.65) = 2,895.6 USD per t Ni;
    / LME 13,913.9 = 0.208."""
    ex = exports([(2019, "nickel_ore", 1_097_012_524, 32_380_173_000)])
    cmp = compare_world_prices(unit_values(ex), nickel_prices({2019: 13913.9083333333}))
    row = cmp.iloc[0]
    assert row["comparable_usd_per_t"] == pytest.approx(33.87914 / 0.0117, rel=1e-5)
    assert row["ratio_to_world_price"] == pytest.approx(33.87914 / 0.0117 / 13913.9083, rel=1e-5)
    assert "LME" in row["basis"]


def test_assumptions_table_valid_and_bad_rows_named():
    asm = value_assumptions()
    assert {"source", "reliability", "low", "central", "high"} <= set(asm.columns)
    assert asm.set_index("key").loc["palm_processed_share", "central"] == pytest.approx(0.79)
    raw = asm.astype(object).copy()
    raw.loc[1, "central"] = "abc"
    with pytest.raises(HilirDataError) as exc:
        validate_assumptions(raw, path="x.csv")
    assert exc.value.row == 3 and exc.value.column == "central"
    raw = asm.astype(object).copy()
    raw.loc[0, "low"] = 5.0
    with pytest.raises(HilirDataError, match="low <= central"):
        validate_assumptions(raw, path="x.csv")
    assert np.isnan(asm.set_index("key").loc["glove_unit_value", "central"])
