"""Nickel worked examples: unit values, nickel content of HS 720260, uplift, 2014 jump."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import hilir
from _value_frames import exports, nickel_prices
from hilir.errors import HilirDataError
from hilir.value import (
    compare_world_prices,
    decompose_growth,
    nickel_content,
    processing_share,
    processing_share_jump,
    scenario,
    stage_shares,
    stage_table,
    unit_values,
    uplift,
)

# UN Comtrade, Indonesia -> World (comtrade_idn_nickel_chain), copied by hand
NI_ROWS = [
    (2013, "nickel_ore", 1_685_247_617, 64_802_857_120),
    (2013, "ferronickel", 232_038_214, 68_180_828),
    (2014, "nickel_ore", 85_913_010, 4_160_120_660),
    (2014, "ferronickel", 292_133_409, 83_749_431),
    (2015, "nickel_ore", 0, 0),
    (2015, "ferronickel", 330_332_112, 181_699_869),
    (2019, "nickel_ore", 1_097_012_524, 32_380_173_000),
    (2019, "ferronickel", 2_595_556_910, 1_593_696_030),
]
LME = {2013: 15031.7973841678, 2014: 16893.3805, 2015: 11862.6391, 2019: 13913.9083333333}


@pytest.fixture
def ni() -> pd.DataFrame:
    return exports(NI_ROWS, source="comtrade_idn_nickel_chain")


def test_unit_values_2019_worked_example(ni):
    """HS 720260: 2,595,556,910 / 1,593,696,030 kg = 1.62864 USD/kg (1,628.6 USD/t).
    Ore: 1,097,012,524 / 32,380,173,000 kg = 0.0338791 USD/kg (33.88 USD/t)."""
    uv = unit_values(ni).set_index(["product", "year"])
    assert uv.loc[("ferronickel", 2019), "unit_value_usd_per_kg"] == pytest.approx(
        1.628640, rel=1e-6
    )
    assert uv.loc[("nickel_ore", 2019), "unit_value_usd_per_t"] == pytest.approx(33.87914, rel=1e-6)
    # the 2015 ore row is a zero flow: no unit value, flagged, kept
    assert np.isnan(uv.loc[("nickel_ore", 2015), "unit_value_usd_per_kg"])
    assert "zero_flow" in uv.loc[("nickel_ore", 2015), "flag"]
    assert (uv["geography"] == "Indonesia").all()


def test_issue_text_unit_values_2013_2019(ni):
    """Issue: about USD 3,400/t in 2013 and about 1,630/t in 2019.
    Data: 232,038,214 / 68,180.828 t = 3,403.3; 2,595,556,910 / 1,593,696.03 t = 1,628.6."""
    uv = unit_values(ni).set_index(["product", "year"])["unit_value_usd_per_t"]
    assert uv[("ferronickel", 2013)] == pytest.approx(3403.28, abs=0.01)
    assert uv[("ferronickel", 2019)] == pytest.approx(1628.64, abs=0.01)


def test_nickel_content_per_year(ni):
    """c = UV / (0.92 x LME): 2013: 3,403.28 / (0.92 x 15,031.80) = 0.24609 (ferro-nickel);
    2019: 1,628.64 / (0.92 x 13,913.91) = 0.12723 (NPI). Ore equivalent (central)
    f = c / (0.018 x (1 - 0.35)): 2013 21.03, 2019 10.87 wet t ore per t.
    Range: low c uses payable 0.95 and grade 2.0 %:
    2019 1,628.64 / (0.95 x 13,913.91) / 0.013 = 9.478."""
    nc = nickel_content(ni, nickel_prices(LME)).set_index("year")
    assert nc.loc[2013, "ni_content_central"] == pytest.approx(0.246093, rel=1e-5)
    assert nc.loc[2019, "ni_content_central"] == pytest.approx(0.127230, rel=1e-5)
    assert nc.loc[2013, "factor_central"] == pytest.approx(21.0336, rel=1e-4)
    assert nc.loc[2019, "factor_central"] == pytest.approx(10.8743, rel=1e-4)
    assert nc.loc[2019, "factor_low"] == pytest.approx(9.4778, rel=1e-4)
    assert nc.loc[2019, "factor_low"] < nc.loc[2019, "factor_central"] < nc.loc[2019, "factor_high"]
    assert "wet t ore" in nc.loc[2019, "basis"]


def test_uplift_2019_follows_from_factor(ni):
    """Uplift = (UV_720260 / f) / UV_ore = 1,628.64 / 10.8743 / 33.8791 = 4.4207 (central);
    the low uplift uses the high factor 13.6423: 1,628.64 / 13.6423 / 33.8791 = 3.5237."""
    up = uplift(ni, chain="nickel", prices=nickel_prices(LME), years=[2019])
    fe = up[(up["product"] == "ferronickel")].set_index("bound")
    assert fe.loc["central", "uplift"] == pytest.approx(4.4207, rel=1e-4)
    assert fe.loc["low", "uplift"] == pytest.approx(3.5237, rel=1e-4)
    assert fe.loc["central", "raw_value_share"] == pytest.approx(1 / 4.4207, rel=1e-4)
    assert (fe["basis"] == "trade data").all()


def test_processing_share_jumps_after_2014_ban(ni):
    """Value share 2013: 232.0 / (232.0 + 1,685.2) M = 0.1210; 2014: 292.1 / (292.1 + 85.9) M
    = 0.7728; 2015 (ore exports zero): 1.0."""
    ps = processing_share(ni, chain="nickel", prices=nickel_prices(LME))
    cen = ps[ps["bound"] == "central"].set_index("year")
    assert cen.loc[2013, "share_value"] == pytest.approx(
        232_038_214 / (232_038_214 + 1_685_247_617)
    )
    assert cen.loc[2014, "share_value"] == pytest.approx(292_133_409 / (292_133_409 + 85_913_010))
    assert cen.loc[2015, "share_value"] == 1.0
    jump = processing_share_jump(ps, before=2013, after=2014, measure="value")
    assert (jump["change_pp"] > 60).all()


def test_missing_price_year_is_an_error(ni):
    with pytest.raises(HilirDataError, match="absent from the LME"):
        nickel_content(ni, nickel_prices({2013: 15000.0}))


def test_shipped_comtrade_2019_unit_values_and_uplift():
    """Same worked numbers from the shipped UN Comtrade file through hilir.load_exports().

    Pink Sheet LME nickel 2019 (annual average) = 13,913.91 USD/t. The central ore
    equivalent of HS 720260 is f = UV / (0.92 x LME) / (0.018 x 0.65), so the uplift
    (UV / f) / UV_ore = 0.92 x 13,913.91 x 0.0117 / 33.8791 = 4.42069."""
    ex = hilir.load_exports(chain="nickel")
    ex = ex[ex["source"] == "comtrade_idn_nickel_chain"]
    uv = unit_values(ex).set_index(["product", "year"])["unit_value_usd_per_kg"]
    assert uv[("ferronickel", 2019)] == pytest.approx(2_595_556_910 / 1_593_696_030)
    assert uv[("nickel_ore", 2019)] == pytest.approx(1_097_012_524 / 32_380_173_000)
    flags = unit_values(ex).set_index(["product", "year"])["flag"]
    assert "tiny_weight" in flags[("nickel_ore", 2020)]
    prices = hilir.load_prices(series="NICKEL")
    lme = prices[(prices["year"] == 2019) & prices["month"].isna()]["price"]
    assert lme.to_numpy() == pytest.approx([13_913.908333] * len(lme))
    up = uplift(ex, chain="nickel", prices=prices, years=[2019])
    fe = up[up["product"] == "ferronickel"].set_index("bound")
    assert fe.loc["central", "uplift"] == pytest.approx(4.42069, rel=1e-5)
    assert fe.loc["low", "uplift"] < fe.loc["central", "uplift"] < fe.loc["high", "uplift"]


# ---------------------------------------------------------------- review fixes (shipped data)


@pytest.fixture(scope="module")
def shipped_exports() -> pd.DataFrame:
    """Every reporter of the shipped export table (as ``hilir.load_exports()`` gives it)."""
    return hilir.load_exports()


def test_flagged_raw_unit_value_is_not_used_silently(shipped_exports):
    """Nickel ore 2020 (UN Comtrade): USD 116 for 1,404 kg = 82.62 USD/t, flagged tiny_weight
    (median ore weight about 2.58 Mt a year). Dividing by it gave the 2020 ferro-nickel
    uplift (4,739,112,331 USD / (2,874,022.704 t x 13.0 wet t ore per t)) / 82.6211
    = 126.842 / 82.6211 = 1.5352 (central; stainless 2.11-2.34).

    Default ``raw_unit_value="same_year"``: no uplift, the reason in ``assumption``.
    ``"last_unflagged"``: 2019's 1,097,012,524 / 32,380,173 t = 33.8791 USD/t, uplift
    126.842 / 33.8791 = 3.74396. ``"window_median"`` (3 years): median of the usable years
    2018-2019 (2020 is flagged) = (31.775551 + 33.879143) / 2 = 32.827347 USD/t."""
    up = uplift(shipped_exports, chain="nickel", years=[2020])
    data = up[up["basis"] == "trade data"]
    assert len(data) == 9 and data["uplift"].isna().all()
    assert data["raw_unit_value_usd_per_t"].isna().all()
    assert data["assumption"].str.contains("raw unit value flagged: tiny net weight").all()
    assert data["assumption"].str.contains("1,404 kg").all()

    last = uplift(shipped_exports, chain="nickel", years=[2020], raw_unit_value="last_unflagged")
    fe = last[last["product"] == "ferronickel"].set_index("bound")
    assert fe["raw_unit_value_usd_per_t"].to_numpy() == pytest.approx(
        [1_097_012_524 / 32_380_173] * 3
    )
    assert fe.loc["central", "uplift"] == pytest.approx(
        4_739_112_331 / (2_874_022.704 * 13.0) / (1_097_012_524 / 32_380_173), rel=1e-6
    )
    assert fe.loc["central", "uplift"] == pytest.approx(3.74396, rel=1e-5)
    assert fe["assumption"].str.contains("raw unit value of 2019").all()

    med = uplift(shipped_exports, chain="nickel", years=[2020], raw_unit_value="window_median")
    assert med["raw_unit_value_usd_per_t"].dropna().unique() == pytest.approx(
        [(628_026_534 / 19_764_458 + 1_097_012_524 / 32_380_173) / 2]
    )
    # an unflagged year is untouched by the default (2019 worked example: 4.42069 with prices)
    y19 = uplift(shipped_exports, chain="nickel", years=[2019])
    assert y19["raw_unit_value_usd_per_t"].dropna().unique() == pytest.approx(
        [1_097_012_524 / 32_380_173]
    )
    with pytest.raises(HilirDataError, match="raw_unit_value must be one of"):
        uplift(shipped_exports, chain="nickel", raw_unit_value="previous")  # type: ignore[arg-type]


def test_flagged_raw_unit_value_in_scenario_and_world_prices(shipped_exports):
    """Scenario, nickel 2020 base, share 0.5 of the 1.404 t of ore: the raw exports forgone
    have no value by default (flagged raw unit value); with ``last_unflagged`` they are
    worth 0.702 t x 33.8791 USD/t = USD 23.78. World prices: ore 2020 is not compared
    (82.62 / (0.018 x 0.65) / LME would put Indonesian ore at half the metal's price)."""
    res = scenario(shipped_exports, chain="nickel", year=2020, shares=[0.5])
    raw = res[res["role"] == "raw"]
    assert raw["delta_value_usd"].isna().all()
    assert res["assumption"].str.contains("raw unit value flagged: tiny net weight").all()
    res2 = scenario(
        shipped_exports, chain="nickel", year=2020, shares=[0.5], raw_unit_value="last_unflagged"
    )
    raw2 = res2[(res2["role"] == "raw") & (res2["bound"] == "central")]
    assert raw2["delta_value_usd"].iloc[0] == pytest.approx(
        -0.702 * 1_097_012_524 / 32_380_173, rel=1e-9
    )

    uv = unit_values(shipped_exports, chain="nickel", preferred_only=True)
    # Pink Sheet LME nickel, annual averages (wb_pinksheet_annual)
    prices = nickel_prices({2019: 13913.9083333333, 2020: 13787.2566666667})
    cmp = compare_world_prices(uv, prices)
    ore = cmp[cmp["product"] == "nickel_ore"].set_index("year")
    assert np.isnan(ore.loc[2020, "comparable_usd_per_t"])
    assert np.isnan(ore.loc[2020, "ratio_to_world_price"])
    assert "tiny_weight" in ore.loc[2020, "note"]
    assert ore.loc[2019, "note"] == ""
    assert ore.loc[2019, "ratio_to_world_price"] == pytest.approx(
        1_097_012_524 / 32_380_173 / 0.0117 / 13913.9083333333, rel=1e-6
    )
    every = compare_world_prices(uv, prices, exclude_flags=()).set_index(["product", "year"])
    assert every.loc[("nickel_ore", 2020), "comparable_usd_per_t"] == pytest.approx(
        116 / 1.404 / 0.0117
    )


def test_nickel_growth_2010_2020_decomposes(shipped_exports):
    """Nickel exports 2010 -> 2020 (UN Comtrade, IDN; registry factors, central bound).

    2010: ore USD 532,446,129 (17,566,047 wet t); HS 720260 373,596,120 (80,141.7 t x 22 =
    1,763,117 t ore); stainless 7219 158,827,016 + 7218 1,676,095 ((73,922.5 + 2,671.5) t
    x 8.6 = 658,708 t). Total USD 1,066,545,360.
    2020: ore 116 (1.404 t); HS 720260 4,739,112,331 (2,874,022.7 t x 13 = 37,362,295 t);
    stainless 2,993,037,641 + 1,630,911,693 ((1,801,937.4 + 1,087,854.2) t x 8.6 =
    24,852,208 t). Total USD 9,363,061,781; change USD 8,296,516,421.

    Central Shapley parts: volume +5.083 bn, price -1.160 bn, stage mix +4.374 bn (sum
    8.2965 bn): the boom is processing (mix) and volume, not prices. The call used to
    raise "a group has export value but no raw-equivalent tonnes": the shipped world HS 7218
    table (comtrade_world_7218, other countries' exports) is mapped to the nickel chain, and
    seven of its reporters have 2020 values without a net weight (Canada USD 26,777,180 with
    0 kg)."""
    dec = decompose_growth(shipped_exports, chain="nickel", year_from=2010, year_to=2020)
    assert set(dec["reporter"]) == {"IDN"}
    wide = dec.pivot(index="bound", columns="effect", values="change_usd")
    total = 9_363_061_781 - 1_066_545_360
    assert (wide["total"] == total).all()
    parts = wide["volume"] + wide["price"] + wide["mix"]
    assert parts.to_numpy() == pytest.approx([total] * 3, rel=1e-12)
    assert (wide["mix"] > 0).all()
    assert wide.loc["central", "volume"] == pytest.approx(5.0829e9, rel=1e-4)
    assert wide.loc["central", "price"] == pytest.approx(-1.1604e9, rel=1e-4)
    assert wide.loc["central", "mix"] == pytest.approx(4.3741e9, rel=1e-4)
    assert dec["value_usd_from"].iloc[0] == 1_066_545_360
    # other countries' rows are left out by default, and named when asked for
    st = stage_table(shipped_exports, chain="nickel")
    assert set(st["reporter"]) == {"IDN"} and "CAN" in st.attrs["excluded_reporters"]
    with pytest.raises(HilirDataError, match=r"CAN nickel stage 'processed' in 2020"):
        decompose_growth(
            shipped_exports, chain="nickel", year_from=2011, year_to=2020, reporter=["IDN", "CAN"]
        )


def test_processing_share_all_chains_is_fast_and_unchanged(shipped_exports):
    """All chains of the shipped table used to take about 23 s (pandas deep-copied the
    stage table's ``attrs`` into every group of a groupby); now about 1 s. The vectorised
    stage sums equal a plain groupby of the stage table (missing when any part is)."""
    import time

    start = time.perf_counter()
    ps = processing_share(shipped_exports)
    elapsed = time.perf_counter() - start
    assert elapsed < 12, f"processing_share took {elapsed:.1f} s"
    assert {"nickel", "coffee", "palm_oil", "rubber"} <= set(ps["chain"])
    st = stage_table(shipped_exports, chain="coffee")
    st.attrs = {}
    ref = st.groupby(["year", "bound", "stage"])["value_usd"].sum(min_count=1)
    got = stage_shares(shipped_exports, chain="coffee")
    got = got[got["measure"] == "value"].set_index(["year", "bound", "stage"])["amount"]
    got.index = got.index.set_levels(got.index.levels[2].astype(str), level=2)
    assert got.sort_index().to_numpy() == pytest.approx(ref.sort_index().to_numpy())
