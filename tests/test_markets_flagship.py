"""Flagship-product ranking: arithmetic of scores and weights, shipped chains, Lampung import."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hilir
from hilir.errors import HilirDataError, HilirDataWarning
from hilir.markets import (
    INDICATORS,
    check_weights,
    default_weights,
    destination_profile,
    flagship_indicators,
    flagship_scores,
    flagship_sensitivity,
    product_concentration,
    weights_table,
)

FIXTURE = Path(__file__).parent / "fixtures" / "markets"
ZERO = dict.fromkeys(INDICATORS, 0.0)


def _ind(**cols):
    base = {"chain": ["a", "b", "c"]}
    for col in INDICATORS.values():
        base[col] = [1.0, 1.0, 1.0]
    base.update(cols)
    return pd.DataFrame(base)


def test_default_weights_are_equal_and_documented():
    w = default_weights()
    assert list(w) == list(INDICATORS)
    assert all(v == pytest.approx(0.2) for v in w.values())
    tab = weights_table()
    assert tab["rationale"].str.contains("OECD").any()
    assert set(tab.loc[tab["transform"] == "log10", "indicator"]) == {"export_value", "uplift"}


def test_docstring_example_scores():
    # x1 = (0, 5, 10), x2 = (10, 0, 5), weights 0.5 / 0.5 on the two:
    # z1 = (0, .5, 1), z2 = (1, 0, .5), scores (0.5, 0.25, 0.75)
    ind = _ind(growth_cagr=[0.0, 5.0, 10.0], processing_share=[10.0, 0.0, 5.0])
    w = {**ZERO, "growth": 1.0, "processing_share": 1.0}  # rescaled to 0.5 / 0.5
    sc = flagship_scores(ind, weights=w, log10=()).set_index("chain")
    assert sc["score"].to_dict() == pytest.approx({"a": 0.5, "b": 0.25, "c": 0.75})
    assert sc["rank"].to_dict() == {"c": 1, "a": 2, "b": 3}
    # contributions add up to the score; the weights used are in the result
    contrib = sc[[f"contrib_{k}" for k in INDICATORS]].sum(axis=1)
    assert contrib.to_numpy() == pytest.approx(sc["score"].to_numpy())
    assert sc.attrs["weights"]["growth"] == pytest.approx(0.5)
    assert sc["w_growth"].eq(0.5).all()


def test_changing_a_weight_moves_the_order_only_where_the_arithmetic_says():
    # two indicators: A is best on growth (z = 1 vs 0), B best on uplift (z = 1 vs 0.25)
    # with c in between. Score difference A - B = w_g * (1 - 0) + w_u * (0.25 - 1)
    # = w_g - 0.75 w_u, zero at w_g / (w_g + w_u) = 0.75 / 1.75 = 0.428571...
    ind = _ind(
        chain=["A", "B", "C"],
        growth_cagr=[0.10, 0.00, 0.05],
        uplift=[1.5, 3.0, 1.0],
    )
    kw = {"log10": (), "method": "minmax"}
    # z_uplift: (1.5 - 1) / 2 = 0.25, B 1, C 0; z_growth: A 1, B 0, C 0.5
    threshold = 0.75 / 1.75
    below = flagship_scores(
        ind, weights={**ZERO, "growth": threshold - 1e-6, "uplift": 1 - threshold + 1e-6}, **kw
    )
    above = flagship_scores(
        ind, weights={**ZERO, "growth": threshold + 1e-6, "uplift": 1 - threshold - 1e-6}, **kw
    )
    rank_below = below.set_index("chain")["rank"]
    rank_above = above.set_index("chain")["rank"]
    assert rank_below["B"] < rank_below["A"]
    assert rank_above["A"] < rank_above["B"]
    # exactly at the threshold they tie (shared rank)
    tie = flagship_scores(ind, weights={**ZERO, "growth": 0.75, "uplift": 1.0}, **kw)
    t = tie.set_index("chain")
    assert t.loc["A", "score"] == pytest.approx(t.loc["B", "score"])
    assert t.loc["A", "rank"] == t.loc["B", "rank"]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(0, 1), min_size=5, max_size=5).filter(lambda w: sum(w) > 0.01),
    st.lists(st.floats(-1, 1), min_size=15, max_size=15),
)
def test_scores_are_the_weighted_sum_of_normalised_indicators(w, xs):
    ind = pd.DataFrame(
        {
            "chain": ["a", "b", "c"],
            **{col: xs[i * 3 : i * 3 + 3] for i, col in enumerate(INDICATORS.values())},
        }
    )
    weights = dict(zip(INDICATORS, w, strict=True))
    sc = flagship_scores(ind, weights=weights, log10=()).set_index("chain")
    total = sum(w)
    for c in "abc":
        expect = 0.0
        for i, col in enumerate(INDICATORS.values()):
            col_vals = np.array(xs[i * 3 : i * 3 + 3])
            lo, hi = col_vals.min(), col_vals.max()
            v = ind.set_index("chain").loc[c, col]
            z = 0.0 if hi == lo else (v - lo) / (hi - lo)
            expect += w[i] / total * z
        assert sc.loc[c, "score"] == pytest.approx(expect, abs=1e-9)
    # the order follows the scores (scores equal to 12 decimals share a rank)
    ordered = sc.sort_values("rank")["score"].to_numpy()
    assert (np.diff(ordered) <= 1e-12).all()


def test_missing_indicators_zero_or_reweighted():
    # c lacks uplift: with missing="zero" it gets z = 0 there; with "reweight" the uplift
    # weight goes to its other indicators
    ind = _ind(
        export_value_usd=[1e6, 1e7, 1e8],
        uplift=[1.0, 2.0, np.nan],
    )
    w = {**ZERO, "export_value": 0.5, "uplift": 0.5}
    z = flagship_scores(ind, weights=w).set_index("chain")
    # log10 value: 6, 7, 8 -> z 0, 0.5, 1; log10 uplift: 0, 0.301 -> z 0, 1, NaN
    assert z.loc["c", "score"] == pytest.approx(0.5 * 1.0 + 0.5 * 0.0)
    assert z.loc["c", "missing"] == "uplift"
    r = flagship_scores(ind, weights=w, missing="reweight").set_index("chain")
    assert r.loc["c", "score"] == pytest.approx(1.0)
    assert r.loc["c", "w_export_value"] == pytest.approx(1.0)


def test_rank_normalisation():
    ind = _ind(growth_cagr=[0.5, 0.1, 0.2])
    sc = flagship_scores(ind, weights={**ZERO, "growth": 1}, method="rank").set_index("chain")
    # ranks 3, 1, 2 -> (r - 1) / (n - 1) = 1, 0, 0.5
    assert sc["z_growth"].to_dict() == pytest.approx({"a": 1.0, "b": 0.0, "c": 0.5})


@pytest.mark.parametrize(
    ("weights", "match"),
    [
        ({"export_value": 1.0}, "missing"),
        ({**ZERO, "jobs": -1.0}, "non-negative"),
        ({**ZERO, "unknown": 1.0}, "unknown"),
        (ZERO, "all 0"),
        ({**ZERO, "jobs": "high"}, "not a number"),
    ],
)
def test_bad_weights(weights, match):
    with pytest.raises(HilirDataError, match=match):
        check_weights(weights)


def test_bad_score_inputs():
    ind = _ind()
    with pytest.raises(HilirDataError, match="appears twice"):
        flagship_scores(pd.concat([ind, ind.iloc[[0]]]))
    with pytest.raises(HilirDataError, match="at least two"):
        flagship_scores(ind.iloc[[0]])
    with pytest.raises(HilirDataError, match="lacks columns"):
        flagship_scores(ind.drop(columns="uplift"))
    with pytest.raises(HilirDataError, match="method"):
        flagship_scores(ind, method="zscore")  # type: ignore[arg-type]
    with pytest.raises(HilirDataError, match="unknown indicators"):
        flagship_scores(ind, log10=["value"])


def test_sensitivity_table_follows_the_arithmetic():
    ind = _ind(
        chain=["A", "B", "C"],
        growth_cagr=[0.10, 0.00, 0.05],
        uplift=[1.5, 3.0, 1.0],
        export_value_usd=[1e8, 1e8, 1e8],
        processing_share=[0.5, 0.5, 0.5],
        jobs_per_musd=[10.0, 10.0, 10.0],
    )
    base = {**ZERO, "growth": 0.4, "uplift": 0.6}
    sens = flagship_sensitivity(ind, weights=base, delta=0.1, log10=())
    base_rows = sens[sens["scenario"] == "base"].set_index("chain")
    # base: A = 0.4 * 1 + 0.6 * 0.25 = 0.55; B = 0.6; C = 0.2
    assert base_rows["score"].to_dict() == pytest.approx({"A": 0.55, "B": 0.6, "C": 0.2})
    # growth up by 0.1: w = 0.5 / 0.5 -> A = 0.625 > B = 0.5: A and B swap
    up = sens[sens["scenario"] == "growth_up"].set_index("chain")
    assert up.loc["A", "w_growth"] == pytest.approx(0.5) and up.loc[
        "A", "w_uplift"
    ] == pytest.approx(0.5)
    assert up.loc["A", "rank"] == 1 and up.loc["A", "rank_change"] == 1
    assert bool(up["top_changed"].iloc[0])
    # growth down by 0.1: w = 0.3 / 0.7 -> A = 0.475 < B = 0.7: order as the base
    down = sens[sens["scenario"] == "growth_down"].set_index("chain")
    assert (down["rank"] == down["base_rank"]).all()
    # weights of every scenario sum to 1
    wsum = sens[[f"w_{k}" for k in INDICATORS]].sum(axis=1)
    assert wsum.to_numpy() == pytest.approx(1.0)
    # each indicator up, down and zero, plus base, equal and the other missing rule
    assert sens["scenario"].nunique() == 1 + 3 * len(INDICATORS) + 1 + 1
    with pytest.raises(HilirDataError, match="delta"):
        flagship_sensitivity(ind, delta=0)
    own = flagship_sensitivity(ind, weights=base, scenarios={"only_growth": {**ZERO, "growth": 1}})
    assert set(own["scenario"]) == {"base", "only_growth"}


def test_sensitivity_varies_the_missing_indicator_rule():
    """Issue 12 finding 8: a missing indicator scored as 0 is a choice the table must vary.

    Worked example, weights growth 0.5 / uplift 0.5, min-max: A has growth z = 1 and no
    uplift; B growth 0, uplift 1; C growth 0.5, uplift 0. With missing = 0: A = 0.5,
    B = 0.5, C = 0.25 (A and B tie first). Reweighting A's uplift weight onto growth:
    A = 1.0 alone first, B = 0.5, C = 0.25.
    """
    ind = _ind(
        chain=["A", "B", "C"],
        growth_cagr=[0.10, 0.00, 0.05],
        uplift=[np.nan, 3.0, 1.0],
        export_value_usd=[1e8, 1e8, 1e8],
        processing_share=[0.5, 0.5, 0.5],
        jobs_per_musd=[10.0, 10.0, 10.0],
    )
    base = {**ZERO, "growth": 0.5, "uplift": 0.5}
    sens = flagship_sensitivity(ind, weights=base, log10=())
    rows = sens[sens["scenario"] == "missing_reweight"].set_index("chain")
    assert set(rows["changed"]) == {"missing"} and set(rows["missing_rule"]) == {"reweight"}
    assert rows["score"].to_dict() == pytest.approx({"A": 1.0, "B": 0.5, "C": 0.25})
    assert rows.loc["A", "w_growth"] == pytest.approx(1.0)
    base_rows = sens[sens["scenario"] == "base"].set_index("chain")
    assert base_rows["score"].to_dict() == pytest.approx({"A": 0.5, "B": 0.5, "C": 0.25})
    assert set(base_rows["missing_rule"]) == {"zero"}
    assert rows.loc["B", "rank_change"] == -1  # B shared first place; alone second
    other = flagship_sensitivity(ind, weights=base, missing="reweight", log10=())
    assert "missing_zero" in set(other["scenario"])


# --- shipped chains ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def national():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", HilirDataWarning)
        return flagship_indicators(hilir.load_exports())


def test_flagship_runs_on_the_shipped_chains(national):
    # national ranking: Indonesia, 2020 (latest year every chain has exports)
    assert national["geography"].eq("Indonesia").all()
    assert national["year"].eq(2020).all() and national["window_start"].eq(2015).all()
    assert {"coffee", "nickel", "palm_oil", "rubber", "coal", "spices"} <= set(national["chain"])
    row = national.set_index("chain")
    # nickel 2020 = HS 2604 + 720260 + 7218 + 7219 of the nickel-chain file, never plus the
    # destination file (4,739.1m of ferro-nickel counted once)
    nickel = hilir.load_exports(source="comtrade_idn_nickel_chain").query("year == 2020")
    assert row.loc["nickel", "export_value_usd"] == pytest.approx(nickel["value_usd"].sum())
    # coal is raw-only: no processed share, no uplift
    assert row.loc["coal", "processing_share"] == 0.0
    assert row.loc["coal", "uplift_basis"] == "raw_only"
    # coffee jobs: 99.4 workers per 1,000 t of processed coffee (roasted, item 657, and
    # extracts and preparations, item 659: both processed) over their 2020 value
    coffee = hilir.load_exports(source="faostat_idn_trade").query(
        "year == 2020 and product in ['coffee_roasted', 'coffee_extracts_mixed']"
    )
    expect = 99.4 * (coffee["net_weight_kg"].sum() / 1e6) / (coffee["value_usd"].sum() / 1e6)
    assert row.loc["coffee", "jobs_per_musd"] == pytest.approx(expect, rel=1e-9)
    assert row.loc["coffee", "mixed_excluded"] == ""
    # growth is the CAGR of the chain total over 2015-2020
    v0, v1 = row.loc["coffee", ["export_value_start_usd", "export_value_usd"]]
    assert row.loc["coffee", "growth_cagr"] == pytest.approx((v1 / v0) ** 0.2 - 1)


def test_flagship_scores_and_sensitivity_on_shipped_chains(national):
    sc = flagship_scores(national)
    assert sc["rank"].min() == 1 and len(sc) == len(national)
    assert sc["score"].between(0, 1).all()
    sens = flagship_sensitivity(national)
    assert set(sens["chain"]) == set(national["chain"])
    assert sens["geography"].eq("Indonesia").all() and sens["year"].eq(2020).all()


def test_flagship_bad_inputs():
    x = hilir.load_exports()
    with pytest.raises(HilirDataError, match="no rows for reporter 'ID-LA'"):
        flagship_indicators(x, reporter="ID-LA")
    with pytest.raises(HilirDataError, match=r"chains \['coffee'\] have no exports of IDN in 2023"):
        flagship_indicators(x, year=2023, chains=["coal", "coffee"])
    with pytest.raises(HilirDataError, match="window"):
        flagship_indicators(x, window=0)
    with pytest.raises(HilirDataError, match=r"chains \['shrimp'\] have no exports"):
        flagship_indicators(x, chains=["shrimp"])


# --- Lampung: a user's BPS download ------------------------------------------------------------


@pytest.fixture(scope="module")
def lampung():
    from hilir.registry.tables import map_products
    from hilir.sources import read_bps_exports

    path = FIXTURE / "bps_lampung_ekspor_2022_2023.csv"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", HilirDataWarning)  # summed over loading ports
        raw = read_bps_exports(path, reporter="ID-LA", source="user_bps_lampung")
    return map_products(raw, extra=FIXTURE / "shrimp_registry")


def test_lampung_ranking_from_a_bps_import(lampung):
    ind = flagship_indicators(
        lampung, reporter="ID-LA", window=1, registry_extra=FIXTURE / "shrimp_registry"
    )
    assert ind["geography"].eq("Lampung").all() and ind["year"].eq(2023).all()
    # shrimp joined through registry rows; cassava, pineapple and cocoa are registry chains
    assert {"shrimp", "cassava", "pineapple", "cocoa", "coffee"} <= set(ind["chain"])
    row = ind.set_index("chain")
    # coffee 2023: green 61.6 + 29.7 + 31.2 + 7.2 = 129.7m, instant 7.8m -> 137.5m;
    # 2022: 52 + 30 + 2.6 + 24 + 6 = 114.6m; growth 137.5 / 114.6 - 1
    assert row.loc["coffee", "export_value_usd"] == pytest.approx(137.5e6)
    assert row.loc["coffee", "growth_cagr"] == pytest.approx(137.5 / 114.6 - 1)
    assert row.loc["coffee", "processing_share"] == pytest.approx(7.8 / 137.5)
    # shrimp: prepared 6.5m of 52.7m
    assert row.loc["shrimp", "processing_share"] == pytest.approx(6.5 / 52.7)
    assert "uplift" in row.loc["shrimp", "missing"]
    sc = flagship_scores(ind)
    assert sc["geography"].eq("Lampung").all()
    assert sc["source"].eq("user_bps_lampung").all()


def test_lampung_destinations_and_basket(lampung):
    prof = destination_profile(lampung, product="coffee_green", reporter="ID-LA")
    assert prof["geography"].eq("Lampung").all()
    # USA 61.6m of 129.7m in 2023; 52m in 2022 -> +18.5 %; Egypt new in 2023
    usa = prof.set_index("partner").loc["USA"]
    assert usa["share"] == pytest.approx(61.6 / 129.7)
    assert usa["cagr"] == pytest.approx(61.6 / 52.0 - 1)
    assert prof.set_index("partner").loc["EGY", "growth_flag"] == "new"
    basket = product_concentration(lampung, reporter="ID-LA", level="chain")
    assert basket["scope"].eq("basket").all() and basket["geography"].eq("Lampung").all()
