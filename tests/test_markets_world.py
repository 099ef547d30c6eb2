"""World market share of HS 7218 on the shipped UN Comtrade file of every reporter."""

from __future__ import annotations

import pytest

import hilir
from hilir.markets import (
    exporter_totals,
    revealed_comparative_advantage,
    share_around_events,
    share_change,
    world_share,
)

SOURCE = "comtrade_world_7218"


@pytest.fixture(scope="module")
def world():
    return hilir.load_trade(source=SOURCE)


@pytest.fixture(scope="module")
def shares(world):
    return world_share(world, product="stainless_semis")


def test_eu28_is_excluded_not_a_country(world, shares):
    tot = exporter_totals(world, product="stainless_semis")
    assert tot.loc[tot["reporter"] == "EU2", "reporter_type"].eq("aggregate").all()
    assert "EU2" not in set(shares["reporter"])
    assert shares["excluded"].eq("EU2").all()
    # the world total is the sum over countries (and the residual reporter XOA), EU2 left out
    for year, g in tot.groupby("year"):
        counted = g[g["reporter_type"].isin(["country", "residual"])]["value_usd"].sum()
        got = shares.loc[shares["year"] == year, "world_value_usd"].iloc[0]
        assert got == pytest.approx(counted, rel=1e-12)
        assert got < g["value_usd"].sum()  # EU2 would have been counted twice


def test_shares_sum_to_one_each_year(shares):
    sums = shares.groupby("year")["share"].sum()
    assert sums.to_numpy() == pytest.approx(1.0)
    assert shares.groupby("year")["rank"].min().eq(1).all()


def test_indonesia_share_and_rank_around_the_bans(world, shares):
    # Indonesia's 7218 row and the world total recomputed from the file itself
    def share(year):
        g = world[(world["year"] == year) & (world["reporter"] != "EU2")]
        idn = g.loc[g["reporter"] == "IDN", "value_usd"].sum()
        return idn / g["value_usd"].sum()

    mv = share_change(shares, before=2013, after=2019).iloc[0]
    assert mv["share_before"] == pytest.approx(share(2013), rel=1e-12)
    assert mv["share_after"] == pytest.approx(share(2019), rel=1e-12)
    assert mv["rank_before"] == 29 and mv["rank_after"] == 2
    assert mv["change_pp"] == pytest.approx((share(2019) - share(2013)) * 100)
    last = share_change(shares, before=2019, after=2020).iloc[0]
    assert last["rank_after"] == 1 and last["share_after"] == pytest.approx(share(2020))
    assert last["share_after"] > 0.5
    ev = share_around_events(shares)
    assert ev["event_id"].tolist() == ["nickel_ore_ban_2014"] * 3 + ["nickel_ore_ban_2020"] * 2
    assert ev["year"].tolist() == [2013, 2014, 2019, 2019, 2020]
    assert ev["geography"].eq("Indonesia").all() and ev["source"].eq(SOURCE).all()


def test_rca_from_a_one_product_file_is_one(world):
    # HS 7218 alone: the sum of the file is not a country's total exports
    out = revealed_comparative_advantage(world, product="stainless_semis", totals="from_data")
    # with the product as the only "product", every RCA is 1 by construction
    assert out["rca"].dropna().to_numpy() == pytest.approx(1.0)
