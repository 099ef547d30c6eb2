"""Nickel worked examples: unit values, nickel content of HS 720260, uplift, 2014 jump."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import hilir
from _value_frames import exports, nickel_prices
from hilir.errors import HilirDataError
from hilir.value import (
    nickel_content,
    processing_share,
    processing_share_jump,
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
