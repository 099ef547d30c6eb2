"""Destination profiles and market concentration on the shipped data, and bad inputs.

Golden numbers are recomputed here from the published values of the raw files (quoted in
their provenance sidecars), not copied from the code's output.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import hilir
from hilir.errors import HilirDataError
from hilir.markets import (
    destination_profile,
    destinations,
    hhi,
    market_concentration,
    product_concentration,
    source_caveats,
)


def test_ferronickel_destinations_2020(exports):
    # the file: China 4,545.63; India 128.56; Korea Selatan 41.53; Asia lain 21.40;
    # Belgia 1.98 (USD million); sum 4,739.10; China 4,545.63 / 4,739.10 = 0.959176
    prof = destination_profile(exports, product="ferronickel")
    assert set(prof["year"]) == {2020}
    top = prof.iloc[0]
    assert top["partner"] == "CHN" and top["rank"] == 1
    assert top["share"] == pytest.approx(4545.63 / 4739.10, rel=1e-9)
    # "Asia lain" is a residual (XOA), drawn last and never ranked
    last = prof.iloc[-1]
    assert last["partner"] == "XOA" and last["partner_type"] == "residual"
    assert pd.isna(last["rank"])
    assert prof["share"].sum() == pytest.approx(1.0)
    # no net weight in the file: no unit value
    assert prof["unit_value_usd_per_kg"].isna().all()
    conc = market_concentration(exports, product="ferronickel").iloc[0]
    expected = hhi([4545.63, 128.56, 41.53, 21.40, 1.98])
    assert conc["hhi"] == pytest.approx(expected, rel=1e-9)
    assert conc["hhi_low"] == pytest.approx(expected - (21.40 / 4739.10) ** 2, rel=1e-9)
    assert conc["residual_items"] == "XOA"
    assert conc["source"] == "comtrade_idn_ferronickel_destinations"
    # the inferred year is a caveat read from the sidecar
    cav = source_caveats(prof["source"])
    assert len(cav) == 1 and "2020" in cav[0]["en"] and "inferred" in cav[0]["en"]
    assert "disimpulkan" in cav[0]["id"]


def test_ferronickel_destinations_never_added_to_the_world_total(exports):
    # the 2020 ferro-nickel world total is in another file (comtrade_idn_nickel_chain):
    # destination shares use the destination file's own sum, not that total plus itself
    dest = destinations(exports, product="ferronickel")
    assert dest["world_value_usd"].iloc[0] == pytest.approx(4739.10e6, rel=1e-9)


def test_coal_top_destinations_2024(exports):
    # BPS 2024: China 6,553.7 of 30,489.5 USD million; India 6,245.8; Japan 3,872.8
    prof = destination_profile(exports, product="coal", window=(2019, 2024))
    top3 = prof.head(3)
    assert top3["partner"].tolist() == ["CHN", "IND", "JPN"]
    assert top3["share"].iloc[0] == pytest.approx(6553.7 / 30489.5, rel=1e-6)
    # CAGR China 2019-2024: BPS 2019 China value 3,143.0 -> (6,553.7 / 3,143.0)^(1/5) - 1
    assert top3["cagr"].iloc[0] == pytest.approx((6553.7 / 3143.0) ** 0.2 - 1, rel=1e-6)
    # unit value = value / weight: 6,553.7e6 USD / 93,164.9e6 kg
    assert top3["unit_value_usd_per_kg"].iloc[0] == pytest.approx(6553.7 / 93164.9, rel=1e-6)
    others = prof[prof["partner"] == "XOT"].iloc[0]
    assert others["partner_type"] == "residual" and pd.isna(others["rank"])
    assert prof["geography"].eq("Indonesia").all() and prof["latest_year"].eq(2024).all()


def test_coal_concentration_carries_the_residual(exports):
    conc = market_concentration(exports, product="coal").set_index("year")
    assert list(conc.index) == list(range(2012, 2025))
    assert conc["has_residual"].all()
    # 2024 "Others" 3,545.3 of 30,489.5
    assert conc.loc[2024, "residual_share"] == pytest.approx(3545.3 / 30489.5, rel=1e-6)
    assert (conc["hhi_low"] <= conc["hhi"]).all()
    assert conc["source"].eq("bps_coal_by_destination").all()


def test_copper_ore_concentration_years(exports):
    conc = market_concentration(exports, product="copper_ore").set_index("year")
    assert list(conc.index) == list(range(2012, 2025))
    assert conc.loc[2024, "top_item"] == "CHN"


def test_coffee_green_hhi_by_year(exports):
    conc = market_concentration(exports, product="coffee_green").set_index("year")
    assert list(conc.index) == [2005, 2010, 2015]
    # diversifying: HHI falls from 2005 to 2015 and the equivalent number rises
    assert conc.loc[2005, "hhi"] > conc.loc[2010, "hhi"] > conc.loc[2015, "hhi"]
    assert (conc["equivalent_number"] == 1.0 / conc["hhi"]).all()
    assert conc["top_item"].eq("USA").all()
    assert conc["residual_items"].eq("XOA").all()


def test_coffee_destinations_use_partner_rows_not_faostat(exports):
    # FAOSTAT (world totals only) is preferred for coffee totals; Comtrade gives partners
    dest = destinations(exports, product="coffee_green", years=[2015])
    assert dest["source"].eq("comtrade_idn_coffee_green").all()
    # Comtrade 2015 world row 090111: USD 1,189,551,xxx; partners sum to it
    assert dest["value_usd"].sum() == pytest.approx(dest["world_value_usd"].iloc[0], rel=1e-6)
    assert not dest["partner"].eq("XUN").any()
    # green + decaf summed when both are asked for
    both = destinations(exports, product=["coffee_green", "coffee_green_decaf"], years=[2015])
    assert both["value_usd"].sum() > dest["value_usd"].sum()
    assert both["scope"].iloc[0] == "coffee_green+coffee_green_decaf"


def test_not_listed_markets_are_flagged_in_bps_tables(exports):
    # Bulgaria is a named copper-ore destination in 2024 but not in BPS's 2012 list of
    # major destinations: it may have been inside "Others" then, so no "new market" flag
    prof = destination_profile(exports, product="copper_ore", window=(2019, 2024))
    flags = prof.set_index("partner")["growth_flag"]
    first = destinations(exports, product="copper_ore", years=[2019])
    missing = sorted(set(prof["partner"]) - set(first["partner"]))
    assert missing == ["BGR"]
    for p in missing:
        assert flags[p] == "not_listed_start"


def test_product_concentration_basket(exports):
    out = product_concentration(exports, chain="nickel", years=[2020]).iloc[0]
    # nickel basket 2020 from the nickel-chain file only (the destination file is not added):
    # ferro-nickel 4,739.1m dominates
    assert out["top_item"] == "ferronickel"
    assert out["total_usd"] == pytest.approx(
        hilir.load_exports(source="comtrade_idn_nickel_chain")
        .query("year == 2020")["value_usd"]
        .sum(),
        rel=1e-9,
    )
    assert not out["has_residual"]


# --- bad inputs --------------------------------------------------------------------------------


def test_no_partner_column(exports):
    with pytest.raises(HilirDataError, match=r"lacks columns \['partner'\].*partner detail"):
        destinations(exports.drop(columns="partner"), product="coal")


def test_empty_and_absent_years(exports):
    with pytest.raises(HilirDataError, match="years is empty"):
        destinations(exports, product="coal", years=[])
    with pytest.raises(HilirDataError, match=r"years \[2030\] are absent.*2012-2024"):
        destinations(exports, product="coal", years=[2030])
    with pytest.raises(HilirDataError, match="window years"):
        destination_profile(exports, product="coffee_green", window=(2005, 2012))


def test_world_totals_only_is_not_a_destination_profile(exports):
    with pytest.raises(HilirDataError, match="no partner detail"):
        destinations(exports, product="palm_oil_mixed")


def test_unknown_product_and_reporter(exports):
    with pytest.raises(HilirDataError, match="no rows for product 'kopi'"):
        destinations(exports, product="kopi")
    with pytest.raises(HilirDataError, match="no rows for reporter 'ID-LA'"):
        destinations(exports, product="coal", reporter="ID-LA")


def _tiny(rows):
    return pd.DataFrame(
        rows,
        columns=[
            "year",
            "reporter",
            "partner",
            "partner_type",
            "flow",
            "hs_code",
            "value_usd",
            "net_weight_kg",
            "source",
        ],
    )


def test_partner_rows_above_the_world_total():
    # partners sum to 120 against a world row of 100: shares would sum to 1.2
    df = _tiny(
        [
            (2020, "IDN", "WLD", "world", "export", "2701", 100.0, np.nan, "s"),
            (2020, "IDN", "CHN", "country", "export", "2701", 70.0, np.nan, "s"),
            (2020, "IDN", "IND", "country", "export", "2701", 50.0, np.nan, "s"),
        ]
    )
    with pytest.raises(HilirDataError, match=r"more than the world total.*1\.200, not 1"):
        destinations(df, product="2701")


def test_partner_rows_below_the_world_total_get_an_unallocated_row():
    df = _tiny(
        [
            (2020, "IDN", "WLD", "world", "export", "2701", 100.0, 1000.0, "s"),
            (2020, "IDN", "CHN", "country", "export", "2701", 60.0, 500.0, "s"),
            (2020, "IDN", "IND", "country", "export", "2701", 30.0, 300.0, "s"),
        ]
    )
    dest = destinations(df, product="2701").set_index("partner")
    assert dest.loc["XUN", "value_usd"] == pytest.approx(10.0)
    assert dest.loc["XUN", "net_weight_kg"] == pytest.approx(200.0)
    assert dest.loc["XUN", "partner_type"] == "residual"
    assert dest["share"].sum() == pytest.approx(1.0)
    assert dest.loc["CHN", "share"] == pytest.approx(0.6)


def test_two_sources_for_the_same_flow_need_a_choice():
    df = _tiny(
        [
            (2020, "IDN", "CHN", "country", "export", "2701", 60.0, np.nan, "a"),
            (2020, "IDN", "CHN", "country", "export", "2701", 61.0, np.nan, "b"),
        ]
    )
    with pytest.raises(HilirDataError, match=r"several sources.*pass source="):
        destinations(df, product="2701")
    assert destinations(df, product="2701", source="b")["value_usd"].iloc[0] == 61.0
    # a preferred flag settles it
    df["preferred"] = [False, True]
    assert destinations(df, product="2701")["source"].iloc[0] == "b"
