"""Worked examples of the market indices: HHI and its forms, CAGR, shares, RCA.

Every expected number is worked out by hand in the test (or in the docstring of the function
it tests); the properties are checked with hypothesis.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hilir.errors import HilirDataError
from hilir.markets import (
    cagr,
    cagr_between,
    concentration_change,
    concentration_reading,
    concentration_table,
    equivalent_number,
    hhi,
    normalised_hhi,
    province_rca,
    revealed_comparative_advantage,
    unctad_index,
    world_share,
)

values = st.lists(
    st.floats(min_value=0.01, max_value=1e9, allow_nan=False, allow_infinity=False),
    min_size=1,
    max_size=30,
)


# --- HHI ---------------------------------------------------------------------------------------


def test_hhi_single_market_is_one():
    # one market takes everything: s = (1), HHI = 1^2 = 1
    assert hhi([123.4]) == 1.0
    assert normalised_hhi([123.4]) == 1.0
    assert unctad_index([5.0]) == 1.0
    assert equivalent_number([5.0]) == 1.0


@pytest.mark.parametrize("n", [2, 3, 4, 10, 57])
def test_hhi_of_n_equal_markets_is_one_over_n(n):
    # n markets of 7 each: s = 1/n, HHI = n * (1/n)^2 = 1/n; normalised (1/n - 1/n)/(...) = 0
    vals = [7.0] * n
    assert hhi(vals) == pytest.approx(1.0 / n, rel=1e-12)
    assert normalised_hhi(vals) == pytest.approx(0.0, abs=1e-12)
    assert unctad_index(vals) == pytest.approx(0.0, abs=1e-12)
    assert equivalent_number(vals) == pytest.approx(n, rel=1e-12)


def test_hhi_worked_example_shares():
    # shares 0.5, 0.3, 0.2: HHI = 0.25 + 0.09 + 0.04 = 0.38
    # normalised: (0.38 - 1/3) / (1 - 1/3) = (0.046667) / (0.666667) = 0.07
    # UNCTAD: (sqrt(0.38) - sqrt(1/3)) / (1 - sqrt(1/3)) = (0.616441 - 0.577350) / 0.422650
    #       = 0.092491
    # equivalent number 1 / 0.38 = 2.6316
    s = [0.5, 0.3, 0.2]
    assert hhi(s, as_shares=True) == pytest.approx(0.38)
    assert normalised_hhi(s, as_shares=True) == pytest.approx(0.07)
    assert unctad_index(s, as_shares=True) == pytest.approx(0.092491, abs=1e-6)
    assert equivalent_number(s, as_shares=True) == pytest.approx(2.631579, abs=1e-6)
    # the same from values in USD: 50, 30, 20 -> identical
    assert hhi([50e6, 30e6, 20e6]) == pytest.approx(0.38)


def test_hhi_in_percent_squared_convention():
    # antitrust writes shares in percent: 50^2 + 30^2 + 20^2 = 3800 = 0.38 * 10,000
    assert hhi([50, 30, 20]) * 10_000 == pytest.approx(3800.0)


def test_normalised_with_fixed_n():
    # two equal markets out of n = 4 possible (UNCTAD-style fixed n):
    # HHI = 0.5, normalised (0.5 - 0.25) / (1 - 0.25) = 1/3
    assert normalised_hhi([1, 1], n=4) == pytest.approx(1.0 / 3.0)
    with pytest.raises(HilirDataError, match="smaller than the 2 items"):
        normalised_hhi([1, 1], n=1)


@settings(max_examples=60, deadline=None)
@given(values)
def test_hhi_bounds(vals):
    h = hhi(vals)
    n = len(vals)
    assert 1.0 / n - 1e-12 <= h <= 1.0 + 1e-12
    assert 0.0 <= normalised_hhi(vals) <= 1.0 + 1e-12
    assert 0.0 <= unctad_index(vals) <= 1.0 + 1e-12
    assert 1.0 - 1e-9 <= equivalent_number(vals) <= n + 1e-9


@settings(max_examples=40, deadline=None)
@given(values, st.floats(min_value=0.1, max_value=1000))
def test_hhi_is_scale_free(vals, k):
    assert hhi([v * k for v in vals]) == pytest.approx(hhi(vals), rel=1e-9)


def test_merging_two_markets_raises_hhi():
    # (a + b)^2 >= a^2 + b^2: merging markets never lowers concentration
    assert hhi([40, 30, 30]) < hhi([70, 30])


@pytest.mark.parametrize(
    ("vals", "kw", "match"),
    [
        ([], {}, "non-empty"),
        ([1.0, -2.0], {}, "negative"),
        ([0.0, 0.0], {}, "sum to 0"),
        ([1.0, float("nan")], {}, "finite"),
        ([0.5, 0.3], {"as_shares": True}, "sum to 1, they sum to 0.8"),
        ([0.6, 0.6], {"as_shares": True}, "sum to 1, they sum to 1.2"),
    ],
)
def test_hhi_bad_inputs(vals, kw, match):
    with pytest.raises(HilirDataError, match=match):
        hhi(vals, **kw)


# --- concentration tables ----------------------------------------------------------------------


def _dest(rows):
    return pd.DataFrame(
        rows, columns=["reporter", "year", "partner", "partner_type", "value_usd", "source"]
    )


def test_concentration_table_residual_bounds():
    # named markets 60 and 30 and a residual ("Others") of 10:
    # hhi (residual as one market) = 0.36 + 0.09 + 0.01 = 0.46 (upper bound)
    # hhi_low (residual spread thin) = 0.36 + 0.09 = 0.45 (lower bound)
    df = _dest(
        [
            ("IDN", 2020, "CHN", "country", 60.0, "s"),
            ("IDN", 2020, "JPN", "country", 30.0, "s"),
            ("IDN", 2020, "XOT", "residual", 10.0, "s"),
        ]
    )
    out = concentration_table(df).iloc[0]
    assert out["hhi"] == pytest.approx(0.46)
    assert out["hhi_low"] == pytest.approx(0.45)
    assert out["n_items"] == 3 and out["n_named"] == 2
    assert bool(out["has_residual"]) and out["residual_share"] == pytest.approx(0.1)
    assert out["residual_items"] == "XOT"
    assert out["top_item"] == "CHN" and out["top_share"] == pytest.approx(0.6)
    assert out["geography"] == "Indonesia"
    assert out["latest_year"] == 2020


def test_concentration_table_without_residual_has_equal_bounds():
    df = _dest(
        [("ID-LA", 2023, "USA", "country", 1.0, "s"), ("ID-LA", 2023, "JPN", "country", 1.0, "s")]
    )
    out = concentration_table(df).iloc[0]
    assert out["hhi"] == out["hhi_low"] == pytest.approx(0.5)
    assert not out["has_residual"] and out["residual_share"] == 0.0
    assert out["geography"] == "Lampung"


def test_concentration_table_rejects_duplicates_and_negatives():
    dup = _dest([("IDN", 2020, "CHN", "country", 1.0, "s")] * 2)
    with pytest.raises(HilirDataError, match="appears twice"):
        concentration_table(dup)
    neg = _dest([("IDN", 2020, "CHN", "country", -1.0, "s")])
    with pytest.raises(HilirDataError, match="negative"):
        concentration_table(neg)
    with pytest.raises(HilirDataError, match="lacks columns"):
        concentration_table(neg.drop(columns="partner"))


def test_concentration_change_direction():
    df = _dest(
        [
            ("IDN", 2019, "CHN", "country", 50.0, "s"),
            ("IDN", 2019, "JPN", "country", 50.0, "s"),
            ("IDN", 2024, "CHN", "country", 90.0, "s"),
            ("IDN", 2024, "JPN", "country", 10.0, "s"),
        ]
    )
    tab = concentration_table(df, scope="coal")
    ch = concentration_change(tab, start=2019, end=2024).iloc[0]
    # 0.5 -> 0.81 + 0.01 = 0.82
    assert ch["hhi_start"] == pytest.approx(0.5) and ch["hhi_end"] == pytest.approx(0.82)
    assert ch["direction"] == "more_concentrated"
    with pytest.raises(HilirDataError, match="absent"):
        concentration_change(tab, start=2018, end=2024)


def test_concentration_reading_both_languages():
    df = _dest(
        [
            ("IDN", 2024, "CHN", "country", 60.0, "s"),
            ("IDN", 2024, "IND", "country", 30.0, "s"),
            ("IDN", 2024, "XOT", "residual", 10.0, "s"),
        ]
    )
    row = concentration_table(df, scope="coal").iloc[0]
    text_id = concentration_reading(row, lang="id")
    text_en = concentration_reading(row, lang="en")
    # 1 / 0.46 = 2.17 markets; numbers in each language's style
    assert "2,2 pasar" in text_id and "0,460" in text_id and "Tiongkok (60%)" in text_id
    assert "2.2 markets" in text_en and "0.460" in text_en and "China (60%)" in text_en
    assert "UNCTAD tidak menetapkan ambang batas" in text_id
    assert "UNCTAD sets no category threshold" in text_en
    # the residual is named and the range 0.450-0.460 is stated
    assert "Baris sisa (Lainnya)" in text_id and "residual row (Others)" in text_en
    assert "0,450 dan 0,460" in text_id and "0.450 and 0.460" in text_en
    with pytest.raises(HilirDataError, match="lang"):
        concentration_reading(row, lang="fr")  # type: ignore[arg-type]


def test_concentration_reading_small_residual():
    # a residual of 0.1 %: HHI range 0.5 +- 0.000001, identical to three decimals
    df = _dest(
        [
            ("IDN", 2015, "USA", "country", 499.5, "s"),
            ("IDN", 2015, "JPN", "country", 499.5, "s"),
            ("IDN", 2015, "XOA", "residual", 1.0, "s"),
        ]
    )
    row = concentration_table(df, scope="coffee_green").iloc[0]
    text = concentration_reading(row, lang="en")
    assert "Other Asia, n.e.s." in text and "less than 0.001" in text
    assert "between" not in text


# --- CAGR --------------------------------------------------------------------------------------


def test_cagr_worked_examples():
    # 100 -> 121 in 2 years: sqrt(1.21) - 1 = 0.10
    assert cagr(100.0, 121.0, 2) == pytest.approx(0.10)
    # 100 -> 50 in 1 year: -50 %
    assert cagr(100.0, 50.0, 1) == pytest.approx(-0.5)
    # doubling in 10 years: 2^(1/10) - 1 = 0.071773
    assert cagr(1.0, 2.0, 10) == pytest.approx(0.0717735, abs=1e-7)
    # a flow that stopped: -100 %; a market that did not exist: undefined
    assert cagr(5.0, 0.0, 3) == -1.0
    assert math.isnan(cagr(0.0, 5.0, 3))
    arr = cagr(np.array([100.0, 0.0]), np.array([121.0, 1.0]), 2)
    assert arr[0] == pytest.approx(0.1) and np.isnan(arr[1])


@pytest.mark.parametrize("years", [0, -1, float("nan"), True])
def test_cagr_needs_positive_years(years):
    with pytest.raises(HilirDataError, match="positive number of years"):
        cagr(1.0, 2.0, years)


def test_cagr_between_flags():
    df = pd.DataFrame(
        {
            "year": [2019, 2019, 2024, 2024],
            "partner": ["CHN", "KOR", "CHN", "BGR"],
            "value_usd": [100.0, 10.0, 161.051, 5.0],
        }
    )
    out = cagr_between(df, by=["partner"], start=2019, end=2024).set_index("partner")
    # 100 -> 161.051 over 5 years = 1.1^5: 10 % a year
    assert out.loc["CHN", "cagr"] == pytest.approx(0.10)
    assert out.loc["BGR", "growth_flag"] == "new" and np.isnan(out.loc["BGR", "cagr"])
    assert out.loc["KOR", "growth_flag"] == "stopped" and out.loc["KOR", "cagr"] == -1.0
    with pytest.raises(HilirDataError, match="absent"):
        cagr_between(df, by=["partner"], start=2018, end=2024)
    with pytest.raises(HilirDataError, match="forward"):
        cagr_between(df, by=["partner"], start=2024, end=2019)


# --- world share and RCA -----------------------------------------------------------------------


def _world(rows):
    """Tidy rows: reporter exports to the world of product p or q."""
    recs = []
    for year, reporter, code, value in rows:
        recs.append(
            {
                "year": year,
                "reporter": reporter,
                "partner": "WLD",
                "partner_type": "world",
                "flow": "export",
                "hs_code": code,
                "value_usd": value,
                "net_weight_kg": np.nan,
                "source": "test_world",
            }
        )
    return pd.DataFrame(recs)


def test_world_share_and_rank_exclude_aggregates():
    # A 30, B 10, C 60 of product 7218; EU2 (an aggregate) 70 must not count:
    # world = 100, shares 0.3 / 0.1 / 0.6, ranks 2 / 3 / 1
    df = _world(
        [
            (2019, "AUT", "7218", 30.0),
            (2019, "BEL", "7218", 10.0),
            (2019, "CHN", "7218", 60.0),
            (2019, "EU2", "7218", 70.0),
        ]
    )
    ws = world_share(df, product="7218").set_index("reporter")
    assert ws.loc["AUT", "share"] == pytest.approx(0.3)
    assert ws.loc["CHN", "rank"] == 1 and ws.loc["BEL", "rank"] == 3
    assert ws["world_value_usd"].iloc[0] == pytest.approx(100.0)
    assert "EU2" not in ws.index and ws["excluded"].iloc[0] == "EU2"
    assert ws["n_reporters"].iloc[0] == 3


def test_world_share_from_partner_rows_like_baci():
    # BACI has no world rows: exporter totals are the sums over partners
    df = pd.DataFrame(
        {
            "year": [2019] * 4,
            "reporter": ["IDN", "IDN", "CHN", "CHN"],
            "partner": ["CHN", "JPN", "IDN", "EU2"],
            "partner_type": ["country", "country", "country", "aggregate"],
            "hs_code": ["720260"] * 4,
            "value_usd": [30.0, 10.0, 60.0, 999.0],
            "source": "baci",
        }
    )
    ws = world_share(df, product="720260").set_index("reporter")
    # IDN 40, CHN 60 (the aggregate partner row is dropped): shares 0.4 and 0.6
    assert ws.loc["IDN", "share"] == pytest.approx(0.4)
    assert ws.loc["CHN", "share"] == pytest.approx(0.6)


def test_rca_worked_example():
    # A exports 30 of p and 70 of q, B 10 of p and 90 of q:
    # RCA_A,p = (30/100) / (40/200) = 0.3 / 0.2 = 1.5; RCA_B,p = (10/100)/(0.2) = 0.5
    df = _world(
        [
            (2019, "AUT", "7218", 30.0),
            (2019, "AUT", "2604", 70.0),
            (2019, "BEL", "7218", 10.0),
            (2019, "BEL", "2604", 90.0),
        ]
    )
    rca = revealed_comparative_advantage(df, product="7218", totals="from_data")
    rca = rca.set_index("reporter")
    assert rca.loc["AUT", "rca"] == pytest.approx(1.5)
    assert rca.loc["BEL", "rca"] == pytest.approx(0.5)
    # world share divides by the PRODUCT's world exports (40), not all products (200)
    assert rca.loc["AUT", "world_share"] == pytest.approx(30 / 40)
    assert rca.loc["AUT", "world_share"] != pytest.approx(30 / 200)
    # the same with explicit totals
    totals = pd.DataFrame(
        {"year": [2019, 2019], "reporter": ["AUT", "BEL"], "value_usd": [100.0, 100.0]}
    )
    rca2 = revealed_comparative_advantage(df, product="7218", totals=totals).set_index("reporter")
    assert rca2.loc["AUT", "rca"] == pytest.approx(1.5)


def test_rca_needs_totals_covering_the_product():
    df = _world([(2019, "AUT", "7218", 30.0), (2019, "BEL", "7218", 10.0)])
    totals = pd.DataFrame(
        {"year": [2019, 2019], "reporter": ["AUT", "BEL"], "value_usd": [20.0, 100.0]}
    )
    with pytest.raises(HilirDataError, match="below its exports of the product"):
        revealed_comparative_advantage(df, product="7218", totals=totals)
    with pytest.raises(HilirDataError, match="DataFrame or 'from_data'"):
        revealed_comparative_advantage(df, product="7218", totals="sum")  # type: ignore[arg-type]


def test_province_rca_against_the_nation():
    # Lampung exports 40 of coffee out of 100; Indonesia 50 out of 1,000:
    # RCA = (40/100) / (50/1000) = 8; share of the nation = 40/50 = 0.8
    df = _world([(2023, "ID-LA", "090111", 40.0), (2023, "IDN", "090111", 50.0)])
    totals = pd.DataFrame(
        {"year": [2023, 2023], "reporter": ["ID-LA", "IDN"], "value_usd": [100.0, 1000.0]}
    )
    out = province_rca(df, product="090111", province="ID-LA", totals=totals).iloc[0]
    assert out["rca"] == pytest.approx(8.0)
    assert out["share_of_nation"] == pytest.approx(0.8)
    assert out["reference"] == "IDN" and out["geography"] == "Lampung"


def test_province_is_never_a_pseudo_country():
    df = _world(
        [
            (2023, "IDN", "090111", 50.0),
            (2023, "VNM", "090111", 150.0),
            (2023, "ID-LA", "090111", 40.0),
        ]
    )
    ws = world_share(df, product="090111").set_index("reporter")
    # Lampung is left out of the world total: IDN 50 / (50 + 150) = 0.25
    assert "ID-LA" not in ws.index
    assert ws.loc["IDN", "share"] == pytest.approx(0.25)
    assert "ID-LA" in ws["excluded"].iloc[0]
    from hilir.markets import reporter_share

    with pytest.raises(HilirDataError, match="province"):
        reporter_share(ws.reset_index(), reporter="ID-LA")
    with pytest.raises(HilirDataError, match="not a province code"):
        province_rca(df, product="090111", province="IDN", totals=df)
    # the province's figure cannot exceed the nation's
    bad = _world([(2023, "ID-LA", "090111", 60.0), (2023, "IDN", "090111", 50.0)])
    totals = pd.DataFrame(
        {"year": [2023, 2023], "reporter": ["ID-LA", "IDN"], "value_usd": [100.0, 1000.0]}
    )
    with pytest.raises(HilirDataError, match="must include the province"):
        province_rca(bad, product="090111", province="ID-LA", totals=totals)
