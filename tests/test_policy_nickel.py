"""Interrupted time series on the shipped nickel chain (UN Comtrade, Indonesia to World).

Pinned specification: annual export value of HS 720260 (ferro-nickel, where Indonesian data
also report nickel pig iron), 1989-2020, level scale, break in 2014 (nickel ore export ban of
12 January 2014), default error model. The level change and the 2017 relaxation are reported,
not asserted, because their sign depends on the specification.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import hilir
from hilir.policy import LowPowerWarning, deflate, fit_its, its_table, trade_series
from hilir.policy.breaks import chow_test, cusum_test

SOURCE = "comtrade_idn_nickel_chain"
COLUMNS = ["term", "estimate", "std_error", "ci_low", "ci_high", "p_value"]


@pytest.fixture(scope="module")
def nickel():
    return hilir.load_exports(source=SOURCE)


@pytest.fixture(scope="module")
def ferronickel(nickel):
    series = trade_series(nickel, hs_code="720260", source=SOURCE)
    return series[series["year"].between(1989, 2020)].reset_index(drop=True)


@pytest.fixture(scope="module")
def its(ferronickel):
    return fit_its(ferronickel, "nickel_ore_ban_2014")


def test_series_is_the_pinned_one(ferronickel):
    assert ferronickel["year"].tolist() == list(range(1989, 2021))
    values = ferronickel.set_index("year")["value"]
    assert values[2014] == pytest.approx(292_133_409)
    assert values[2020] == pytest.approx(4_739_112_331)
    assert (ferronickel["unit"] == "USD").all()


def test_nickel_ore_exports_zero_during_the_first_ban(nickel):
    ore = trade_series(nickel, hs_code="2604", source=SOURCE).set_index("year")["value"]
    assert ore[2015] == 0 and ore[2016] == 0
    assert ore[2013] > 1e9 > ore[2014] > 0
    assert ore[2017] > 0  # the 2017 relaxation
    assert ore[2020] < 1_000  # a recording residual under the 2020 ban (data_events)


def test_slope_change_after_2014_positive_and_significant(its, record_property):
    slope = its.term("slope_change", "nickel_ore_ban_2014")
    level = its.term("level_change", "nickel_ore_ban_2014")
    report = (
        f"HS 720260 1989-2020, level scale, break 2014, {its.error_model} "
        f"(rho {its.rho:.2f}): slope change {slope['estimate'] / 1e6:,.1f} M USD/yr "
        f"[{slope['ci_low'] / 1e6:,.1f}, {slope['ci_high'] / 1e6:,.1f}] p={slope['p_value']:.2g}; "
        f"level change {level['estimate'] / 1e6:,.1f} M USD "
        f"[{level['ci_low'] / 1e6:,.1f}, {level['ci_high'] / 1e6:,.1f}] p={level['p_value']:.2g}"
    )
    print(report)
    record_property("nickel_its", report)
    assert its.error_model == "ar1"
    assert slope["estimate"] > 0
    assert slope["p_value"] < 0.01
    assert slope["ci_low"] > 0
    # golden number of the pinned specification (REML AR(1), 1989-2020 Comtrade data)
    assert slope["estimate"] == pytest.approx(733.8e6, rel=1e-3)
    assert slope["unit"] == "USD per year"


def test_result_table(its):
    coef = its.coefficients
    assert coef["term"].tolist() == ["intercept", "trend", "level_change", "slope_change"]
    assert coef["event"].tolist() == ["", "", "nickel_ore_ban_2014", "nickel_ore_ban_2014"]
    assert (coef["n_pre"] == 25).all() and (coef["n_post"] == 7).all()
    assert (coef["ci_low"] < coef["estimate"]).all() and (coef["estimate"] < coef["ci_high"]).all()
    assert coef["p_value"].between(0, 1).all()
    assert its.last_period == "2020" and its.n == 32


def test_counterfactual_frame(its, ferronickel):
    f = its.fitted
    assert f["year"].tolist() == list(range(1989, 2021))
    assert np.allclose(f["observed"], ferronickel["value"])
    pre = f["year"] < 2014
    assert np.allclose(f.loc[pre, "fitted"], f.loc[pre, "counterfactual"])
    assert (f["cf_low"] < f["counterfactual"]).all()
    assert (f["counterfactual"] < f["cf_high"]).all()
    assert np.allclose(f["effect"], f["fitted"] - f["counterfactual"])
    assert set(f.loc[~pre, "segment"]) == {"nickel_ore_ban_2014"}
    # 2020 exports lie above the band of the pre-2014 trend carried forward
    last = f.set_index("year").loc[2020]
    assert last["observed"] > last["cf_high"]
    # on the level scale the pre-2014 trend is poorly determined, and the notes say so
    assert any("below zero" in note for note in its.notes)


def test_report_level_change_and_2017_relaxation(ferronickel, record_property):
    fits = {
        "ban2014+relax2017 (break)": fit_its(
            ferronickel,
            ["nickel_ore_ban_2014", "nickel_ore_relaxation_2017"],
            effects={"nickel_ore_relaxation_2017": "break"},
        ),
        "ban2014+relax2017 (temporary 2017-2019)": fit_its(
            ferronickel, ["nickel_ore_ban_2014", "nickel_ore_relaxation_2017"]
        ),
        "ban2014 log scale": fit_its(ferronickel, "nickel_ore_ban_2014", scale="log"),
        "ban2014 Newey-West": fit_its(ferronickel, "nickel_ore_ban_2014", error_model="hac"),
    }
    table = its_table(fits)
    table = table[table["event"] != ""]
    report = table[["model", "event", *COLUMNS]].to_string(index=False)
    print(report)
    record_property("nickel_variants", report)
    assert set(table["event"]) == {"nickel_ore_ban_2014", "nickel_ore_relaxation_2017"}
    assert table["std_error"].gt(0).all()


def test_2020_ban_warns_low_power(ferronickel):
    with pytest.warns(LowPowerWarning, match="nickel_ore_ban_2020"):
        res = fit_its(ferronickel, ["nickel_ore_ban_2014", "nickel_ore_ban_2020"])
    assert res.events.set_index("event").loc["nickel_ore_ban_2020", "n_post"] == 1


def test_break_checks_on_the_nickel_chain(ferronickel, record_property):
    chow = chow_test(ferronickel, "nickel_ore_ban_2014").iloc[0]
    cusum = cusum_test(ferronickel)
    report = (
        f"Chow 2014: F={chow['f_stat']:.1f} ({chow['df_num']}, {chow['df_den']}) "
        f"p={chow['p_value']:.2g}\n" + cusum.to_string(index=False)
    )
    print(report)
    record_property("nickel_breaks", report)
    assert chow["p_value"] < 0.01
    assert set(cusum["test"]) == {"ols_cusum", "recursive_cusum"}


def test_deflated_and_by_weight_variants_reported(nickel, ferronickel, record_property):
    prices = hilir.load_prices(series="NICKEL")
    deflated = deflate(ferronickel, prices, price_series="NICKEL")
    weight = trade_series(nickel, hs_code="720260", source=SOURCE, measure="weight")
    weight = weight[weight["year"].between(1989, 2020)]
    rows = []
    for name, series in (("deflated by LME nickel", deflated), ("net weight", weight)):
        res = fit_its(series, "nickel_ore_ban_2014")
        slope = res.term("slope_change", "nickel_ore_ban_2014")
        level = res.term("level_change", "nickel_ore_ban_2014")
        rows.append(
            {
                "series": name,
                "unit": slope["unit"],
                "slope_change": slope["estimate"],
                "slope_p": slope["p_value"],
                "level_change": level["estimate"],
                "level_p": level["p_value"],
            }
        )
    report = pd.DataFrame(rows).to_string(index=False)
    print(report)
    record_property("nickel_measures", report)
    assert deflated["unit"].iat[0] == "t NICKEL equivalent"
    assert np.allclose(deflated["value"] * deflated["price"], ferronickel["value"])
    assert (pd.DataFrame(rows)["slope_change"] > 0).all()
