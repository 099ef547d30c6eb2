"""Interrupted time series: worked examples, multiple events, scales, bad inputs."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from hilir.errors import HilirDataError
from hilir.policy import LowPowerWarning, fit_its, its_table, reml_ar1_rho

YEARS = np.arange(1989, 2021)  # 32 points, as the shipped nickel chain
COEF_COLUMNS = [
    "term",
    "event",
    "estimate",
    "std_error",
    "ci_low",
    "ci_high",
    "p_value",
    "error_model",
    "n_pre",
    "n_post",
    "unit",
]


def _series(y, years=YEARS, unit="USD"):
    return pd.DataFrame({"year": years, "value": y, "unit": unit})


def _broken(level=3.0, slope=2.0, at=2014, noise=0.0, seed=0, rho=0.0):
    t = YEARS - YEARS[0]
    y = 10 + 0.5 * t + np.where(YEARS >= at, level + slope * (YEARS - at), 0.0)
    if noise:
        rng = np.random.default_rng(seed)
        e = rng.standard_normal(len(t)) * noise
        u = np.empty_like(e)
        u[0] = e[0]
        for i in range(1, len(e)):
            u[i] = rho * u[i - 1] + e[i]
        y = y + u
    return y


def test_exact_recovery_of_level_and_slope_change():
    res = fit_its(_series(_broken()), 2014, error_model="ols")
    coef = res.coefficients.set_index("term")
    assert coef.loc["intercept", "estimate"] == pytest.approx(10)
    assert coef.loc["trend", "estimate"] == pytest.approx(0.5)
    assert coef.loc["level_change", "estimate"] == pytest.approx(3)
    assert coef.loc["slope_change", "estimate"] == pytest.approx(2)
    assert list(res.coefficients.columns) == COEF_COLUMNS
    assert coef.loc["level_change", "n_pre"] == 25 and coef.loc["level_change", "n_post"] == 7
    assert coef.loc["slope_change", "unit"] == "USD per year"
    assert coef.loc["level_change", "unit"] == "USD"


def test_default_error_model_is_ar1_with_intervals_around_truth():
    res = fit_its(_series(_broken(noise=1.0, seed=3, rho=0.3)), "2014-01-12")
    assert res.error_model == "ar1" and res.rho is not None and -1 < res.rho < 1
    assert (res.coefficients["error_model"] == "ar1").all()
    level = res.term("level_change", "2014-01-12")
    slope = res.term("slope_change", "2014-01-12")
    assert level["ci_low"] < 3 < level["ci_high"]
    assert slope["ci_low"] < 2 < slope["ci_high"]
    assert slope["p_value"] < 0.01
    # t intervals with n - k - 1 df
    assert res.df_resid == 32 - 4 - 1
    from scipy import stats

    crit = stats.t.ppf(0.975, res.df_resid)
    assert slope["ci_high"] - slope["estimate"] == pytest.approx(crit * slope["std_error"])
    assert any("rho" in note for note in res.notes)


def test_reml_rho_recovers_a_strong_error_correlation():
    rng = np.random.default_rng(11)
    n = 400
    e = rng.standard_normal(n)
    u = np.empty(n)
    u[0] = e[0]
    for i in range(1, n):
        u[i] = 0.6 * u[i - 1] + e[i]
    x = np.column_stack([np.ones(n), np.arange(n)])
    assert reml_ar1_rho(1 + 0.1 * np.arange(n) + u, x) == pytest.approx(0.6, abs=0.08)


def test_error_models_give_different_standard_errors():
    frame = _series(_broken(noise=1.0, seed=5, rho=0.5))
    fits = {m: fit_its(frame, 2014, error_model=m) for m in ("ar1", "hac", "ols")}
    ses = {m: r.term("slope_change", "2014")["std_error"] for m, r in fits.items()}
    assert len({round(v, 6) for v in ses.values()}) == 3
    # OLS and HAC share point estimates; AR(1) GLS does not
    est = {m: r.term("slope_change", "2014")["estimate"] for m, r in fits.items()}
    assert est["ols"] == pytest.approx(est["hac"])
    table = its_table(fits)
    assert set(table["model"]) == {"ar1", "hac", "ols"} and table.columns[0] == "model"


def test_two_events_in_one_model():
    t = YEARS - YEARS[0]
    y = 10 + 0.5 * t
    y = y + np.where(YEARS >= 2014, -4 + 1.0 * (YEARS - 2014), 0)
    y = y + np.where(YEARS >= 2017, 6 + 3.0 * (YEARS - 2017), 0)
    res = fit_its(
        _series(y),
        ["nickel_ore_ban_2014", "nickel_ore_relaxation_2017"],
        effects={"nickel_ore_relaxation_2017": "break"},
        error_model="ols",
    )
    assert res.term("level_change", "nickel_ore_ban_2014")["estimate"] == pytest.approx(-4)
    assert res.term("slope_change", "nickel_ore_ban_2014")["estimate"] == pytest.approx(1)
    assert res.term("level_change", "nickel_ore_relaxation_2017")["estimate"] == pytest.approx(6)
    assert res.term("slope_change", "nickel_ore_relaxation_2017")["estimate"] == pytest.approx(3)
    assert res.events["first_period"].tolist() == ["2014", "2017"]
    assert res.fitted.set_index("year").loc[2016, "segment"] == "nickel_ore_ban_2014"
    assert res.fitted.set_index("year").loc[2018, "segment"] == "nickel_ore_relaxation_2017"


def test_event_with_end_date_is_temporary_by_default():
    # the 2017 relaxation ends 31 Dec 2019: by default a level shift during 2017-2019 only
    y = 10 + 0.5 * (YEARS - YEARS[0]) + np.where((YEARS >= 2017) & (YEARS <= 2019), 5.0, 0.0)
    res = fit_its(_series(y), "nickel_ore_relaxation_2017", error_model="ols")
    assert res.events["effect"].iat[0] == "temporary"
    assert res.term("temporary", "nickel_ore_relaxation_2017")["estimate"] == pytest.approx(5)


def test_cpo_ban_enters_monthly_model_as_share_of_month():
    months = np.arange(72)
    frame = pd.DataFrame({"year": 2018 + months // 12, "month": months % 12 + 1})
    share = np.zeros(72)
    share[(frame["year"] == 2022) & (frame["month"] == 4)] = 3 / 30
    share[(frame["year"] == 2022) & (frame["month"] == 5)] = 23 / 31
    rng = np.random.default_rng(1)
    frame["value"] = 100 + 0.2 * months - 60 * share + rng.normal(0, 0.5, 72)
    res = fit_its(frame, "cpo_export_ban_2022")
    term = res.term("temporary", "cpo_export_ban_2022")
    assert term["ci_low"] < -60 < term["ci_high"]
    fitted = res.fitted.set_index(["year", "month"])
    assert fitted.loc[(2022, 4), "effect"] == pytest.approx(term["estimate"] * 3 / 30)
    assert fitted.loc[(2022, 5), "effect"] == pytest.approx(term["estimate"] * 23 / 31)
    assert fitted.loc[(2022, 6), "effect"] == pytest.approx(0)
    assert "month" in res.fitted.columns and res.frequency == "monthly"
    assert res.last_period == "2023-12"


def test_seasonal_dummies_only_for_monthly():
    months = np.arange(48)
    frame = pd.DataFrame(
        {
            "year": 2019 + months // 12,
            "month": months % 12 + 1,
            "value": 50 + 0.1 * months + 5 * np.sin(months * np.pi / 6) + (months >= 30) * 4.0,
        }
    )
    res = fit_its(frame, "2021-07-01", seasonal=True, error_model="ols")
    assert res.term("level_change", "2021-07-01")["estimate"] == pytest.approx(4)
    assert (res.coefficients["term"].str.startswith("month_")).sum() == 11
    with pytest.raises(HilirDataError, match="monthly"):
        fit_its(_series(_broken()), 2014, seasonal=True)


def test_counterfactual_is_pre_event_trend_with_band():
    res = fit_its(_series(_broken(noise=0.5, seed=2)), 2014)
    f = res.fitted
    assert list(f.columns[:7]) == [
        "year",
        "observed",
        "fitted",
        "counterfactual",
        "cf_low",
        "cf_high",
        "effect",
    ]
    b0 = res.term("intercept")["estimate"]
    b1 = res.term("trend")["estimate"]
    assert np.allclose(f["counterfactual"], b0 + b1 * (f["year"] - 1989))
    pre = f["year"] < 2014
    assert np.allclose(f.loc[pre, "fitted"], f.loc[pre, "counterfactual"])
    assert (f["cf_low"] < f["counterfactual"]).all() and (f["counterfactual"] < f["cf_high"]).all()
    # the band widens as the trend is carried further from the data
    width = (f["cf_high"] - f["cf_low"]).to_numpy()
    assert width[-1] > width[20]
    assert np.allclose(f["observed"], _broken(noise=0.5, seed=2))


def test_log_scale_reports_log_points_and_positive_lines():
    y = np.exp(_broken(level=0.4, slope=0.1) / 10)
    res = fit_its(_series(y), 2014, scale="log", error_model="ols")
    level = res.term("level_change", "2014")
    assert level["estimate"] == pytest.approx(0.04)
    assert level["unit"] == "log points"
    assert res.term("slope_change", "2014")["unit"] == "log points per year"
    assert np.allclose(res.fitted["fitted"], y)
    assert (res.fitted["cf_low"] > 0).all()
    assert any("exp(b)" in note for note in res.notes)


def test_one_point_after_event_warns_low_power_and_drops_slope():
    with pytest.warns(LowPowerWarning, match="low power"):
        res = fit_its(_series(_broken(noise=1.0)), ["nickel_ore_ban_2014", "nickel_ore_ban_2020"])
    terms = res.coefficients[res.coefficients["event"] == "nickel_ore_ban_2020"]["term"].tolist()
    assert terms == ["level_change"]
    assert any("no slope change" in n for n in res.notes)
    assert res.events.set_index("event").loc["nickel_ore_ban_2020", "n_post"] == 1


def test_enough_points_do_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error", LowPowerWarning)
        fit_its(_series(_broken(noise=1.0)), 2014)


def test_break_starting_late_in_a_year_counts_from_the_next():
    res = fit_its(_series(_broken(at=2015)), "2014-12-01", error_model="ols")
    assert res.events["first_period"].iat[0] == "2015"
    assert res.term("level_change", "2014-12-01")["estimate"] == pytest.approx(3)


def test_input_frame_not_modified():
    frame = _series(_broken(noise=1.0))
    before = frame.copy()
    fit_its(frame, 2014, scale="log")
    pd.testing.assert_frame_equal(frame, before)


@pytest.mark.parametrize(
    ("event", "match"),
    [
        (2025, "outside the series"),
        ("1980-05-01", "outside the series"),
        (1990, "too few points before"),
        ("no_such_event", "neither a date"),
        ("2014-13-01", "not a valid date"),
        ("2020-12-01", "too late in the last period"),
        ("pinksheet_palm_oil_definition_2021", "is a data event"),
    ],
)
def test_bad_events(event, match):
    with pytest.raises(HilirDataError, match=match):
        fit_its(_series(_broken(noise=1.0)), event)


def test_events_that_cannot_be_told_apart():
    with pytest.raises(HilirDataError, match="cannot be told apart"):
        fit_its(_series(_broken(noise=1.0)), ["2014-01-01", "2014-03-01"])


def test_missing_years_named():
    frame = _series(_broken(noise=1.0)).drop(index=[5, 6])
    with pytest.raises(HilirDataError, match="1994, 1995 missing"):
        fit_its(frame, 2014)


def test_duplicate_year_names_row():
    frame = pd.concat([_series(_broken()), _series(_broken()).iloc[[3]]], ignore_index=True)
    frame["source"] = "x"
    with pytest.raises(HilirDataError, match="1992 appears twice") as info:
        fit_its(frame, 2014)
    assert info.value.row == 33 and info.value.column == "year"


def test_missing_value_names_row_and_column():
    frame = _series(_broken())
    frame.loc[4, "value"] = np.nan
    with pytest.raises(HilirDataError, match="missing") as info:
        fit_its(frame, 2014)
    assert info.value.row == 5 and info.value.column == "value"


def test_non_positive_values_on_log_scale():
    y = _broken()
    y[26] = 0.0
    with pytest.raises(HilirDataError, match="log scale needs values > 0") as info:
        fit_its(_series(y), 2014, scale="log")
    assert info.value.column == "value" and info.value.row == 27


def test_too_few_points_overall():
    with pytest.raises(HilirDataError, match="too few points"):
        fit_its(_series(_broken()[:6], years=YEARS[:6]), 1992)


def test_bad_options():
    frame = _series(_broken(noise=1.0))
    with pytest.raises(HilirDataError, match="error_model"):
        fit_its(frame, 2014, error_model="newey")
    with pytest.raises(HilirDataError, match="scale"):
        fit_its(frame, 2014, scale="ln")
    with pytest.raises(HilirDataError, match="not in the model"):
        fit_its(frame, 2014, effects={"2015": "level"})
    with pytest.raises(HilirDataError, match="lacks column"):
        fit_its(frame.rename(columns={"value": "v"}), 2014)
    res = fit_its(frame.rename(columns={"value": "v"}), 2014, value_column="v")
    assert res.n == 32


def test_event_given_as_year_or_month_text():
    frame = _series(_broken())
    by_year = fit_its(frame, "2014", error_model="ols")
    by_month = fit_its(frame, "2014-01", error_model="ols")
    by_int = fit_its(frame, 2014, error_model="ols")
    for res in (by_year, by_month):
        assert res.term("slope_change", res.events["event"].iat[0])["estimate"] == pytest.approx(
            by_int.term("slope_change", "2014")["estimate"]
        )
    custom = pd.DataFrame(
        {"event_id": ["my_ban"], "start_date": ["2014-01-12"], "end_date": [pd.NaT]}
    )
    res = fit_its(frame, custom, error_model="ols")
    assert res.term("level_change", "my_ban")["estimate"] == pytest.approx(3)


# ------------------------------------------------------- series building: trade, deflate


def test_source_keys_are_carried_into_coefficients_and_fitted():
    """A series with a ``source`` column (provenance keys) passes them to both result frames,
    distinct keys joined with "+" (a deflated series may carry "a+b"); none without one."""
    series = _series(_broken()).assign(source="comtrade_idn_nickel_chain")
    res = fit_its(series, 2014, error_model="ols")
    assert (res.coefficients["source"] == "comtrade_idn_nickel_chain").all()
    assert (res.fitted["source"] == "comtrade_idn_nickel_chain").all()
    assert res.coefficients.columns[-1] == "source"  # added after the existing columns
    mixed = series.assign(source=["pinksheet_annual+comtrade_idn_nickel_chain"] * 16 + [None] * 16)
    res2 = fit_its(mixed, 2014, error_model="ols")
    assert set(res2.fitted["source"]) == {"comtrade_idn_nickel_chain+pinksheet_annual"}
    plain = fit_its(_series(_broken()), 2014, error_model="ols")
    assert "source" not in plain.coefficients.columns and "source" not in plain.fitted.columns


def _trade():
    rows = []
    for year, value, kg in ((2018, 100.0, 50_000.0), (2019, 150.0, 60_000.0), (2020, 90.0, None)):
        rows.append(
            {
                "year": year,
                "month": pd.NA,
                "reporter": "IDN",
                "partner": "WLD",
                "flow": "export",
                "hs_code": "720260",
                "item_code": "",
                "value_usd": value,
                "net_weight_kg": kg,
                "source": "a",
            }
        )
    rows.append({**rows[0], "partner": "CHN", "value_usd": 70.0})
    rows.append({**rows[0], "source": "b"})
    frame = pd.DataFrame(rows)
    frame["month"] = frame["month"].astype("Int64")
    return frame


def test_trade_series_value_weight_and_unit_value():
    from hilir.policy import trade_series

    trade = _trade()
    before = trade.copy()
    value = trade_series(trade, hs_code="720260", source="a")
    assert value["year"].tolist() == [2018, 2019, 2020]
    assert value["value"].tolist() == [100.0, 150.0, 90.0]  # partner CHN not added to WLD
    assert (value["unit"] == "USD").all() and (value["source"] == "a").all()
    two = trade_series(trade.iloc[:2], hs_code="720260", measure="weight")
    assert two["value"].tolist() == [50.0, 60.0] and two["unit"].iat[0] == "t"
    uv = trade_series(trade.iloc[:2], hs_code="720260", measure="unit_value")
    assert uv["value"].tolist() == [2.0, 2.5] and uv["unit"].iat[0] == "USD/t"
    pd.testing.assert_frame_equal(trade, before)


def test_trade_series_errors():
    from hilir.policy import trade_series

    trade = _trade()
    with pytest.raises(HilirDataError, match="several sources"):
        trade_series(trade, hs_code="720260")
    with pytest.raises(HilirDataError, match="net weight is missing for HS 720260 in 2020"):
        trade_series(trade, hs_code="720260", source="a", measure="weight")
    with pytest.raises(HilirDataError, match="no export rows for HS 2604"):
        trade_series(trade, hs_code="2604")
    with pytest.raises(HilirDataError, match="exactly one"):
        trade_series(trade, hs_code="720260", item_code="656")


def _prices():
    monthly = pd.DataFrame(
        {
            "year": [2019] * 12,
            "month": range(1, 13),
            "series": "NICKEL",
            "price": 10_000.0,
            "unit": "$/mt",
        }
    )
    annual = pd.DataFrame(
        {
            "year": [2018, 2020],
            "month": pd.NA,
            "series": "NICKEL",
            "price": [20_000.0, 8_000.0],
            "unit": "$/mt",
        }
    )
    out = pd.concat([monthly, annual], ignore_index=True)
    out["month"] = out["month"].astype("Int64")
    return out


def test_deflate_by_nickel_price():
    from hilir.policy import deflate

    series = pd.DataFrame({"year": [2018, 2019, 2020], "value": [2e8, 2e8, 2e8], "unit": "USD"})
    out = deflate(series, _prices())
    assert out["price"].tolist() == [20_000.0, 10_000.0, 8_000.0]  # 2019 from its months
    assert out["value"].tolist() == [10_000.0, 20_000.0, 25_000.0]
    assert out["unit"].iat[0] == "t NICKEL equivalent"
    based = deflate(series, _prices(), base_year=2020)
    assert based["value"].tolist() == pytest.approx([8e7, 1.6e8, 2e8])
    assert based["unit"].iat[0] == "USD at 2020 NICKEL price"
    assert series["value"].tolist() == [2e8, 2e8, 2e8]
    with pytest.raises(HilirDataError, match="no NICKEL price for \\[2021\\]"):
        deflate(pd.DataFrame({"year": [2021], "value": [1.0]}), _prices())
    with pytest.raises(HilirDataError, match="no price series 'COPPER'"):
        deflate(series, _prices(), price_series="COPPER")


def test_band_diagnostics_at_the_last_period():
    """band_ratio = cf_high / cf_low, band_width_rel = (cf_high - cf_low) / counterfactual,
    band_factor = max(cf_high / cf, cf / cf_low); on a log scale the band is symmetric in
    logs, so both ratios of band_factor are equal and band_ratio is its square."""
    y = np.exp(0.05 * (YEARS - YEARS[0]) + np.where(YEARS >= 2014, 0.5, 0.0))
    y = y * np.exp(np.random.default_rng(3).normal(0, 0.05, len(YEARS)))
    res = fit_its(_series(y), 2014, scale="log")
    band = res.band()
    assert band["year"] == 2020
    assert band["band_ratio"] == pytest.approx(band["cf_high"] / band["cf_low"])
    width = (band["cf_high"] - band["cf_low"]) / band["counterfactual"]
    assert band["band_width_rel"] == pytest.approx(width)
    assert band["band_factor"] == pytest.approx(band["cf_high"] / band["counterfactual"])
    assert band["band_factor"] == pytest.approx(band["counterfactual"] / band["cf_low"])
    assert band["band_ratio"] == pytest.approx(band["band_factor"] ** 2)
    assert band["rho"] == pytest.approx(res.rho) and band["deflator"] == ""
    assert res.band(2014)["year"] == 2014
    with pytest.raises(HilirDataError, match="no fitted period"):
        res.band(1950)


def test_deflator_turns_current_into_constant_dollars():
    """With a deflator, values are divided by MUV(year) / MUV(base year) before the fit."""
    muv = pd.DataFrame(
        {"year": YEARS, "month": np.nan, "series": "MUV", "price": np.linspace(80, 120, 32)}
    )
    muv["unit"] = "index"
    y = 100 + 2.0 * (YEARS - YEARS[0])
    res = fit_its(_series(y), 2014, deflator=muv, base_year=2010, error_model="ols")
    base = float(muv.loc[muv["year"] == 2010, "price"].iloc[0])
    expect = y * base / muv["price"].to_numpy()
    assert np.allclose(res.fitted["observed"], expect)
    assert res.deflator == "MUV index, 2010 = 100" and res.unit == "USD at 2010 MUV price"
    assert any("deflated" in n for n in res.notes)


def test_golden_palm_oil_its_band_is_uninformative():
    """Issue 12 finding 6: FAOSTAT item 257 (palm oil, crude and refined), 2000-2020, in
    constant 2010 US$ (World Bank MUV), break at the July 2015 levy, log scale.

    The AR(1) errors are a near random walk (REML rho 0.99, the bound), so the no-policy
    band for 2020 runs from US$1.7 bn to US$1,343 bn around a trend of US$47.5 bn: 28 times
    either side, 800 times from edge to edge. No effect can be read from it.
    """
    import hilir
    from hilir.policy import trade_series

    palm = trade_series(hilir.load_exports(reporter="IDN"), item_code="257")
    palm = palm[palm["year"].between(2000, 2020)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = fit_its(palm, "palm_export_levy_2015", scale="log", deflator=hilir.load_prices())
    band = res.band()
    assert res.rho == pytest.approx(0.99, abs=0.001)
    assert band["counterfactual"] == pytest.approx(47.46e9, rel=1e-3)
    assert band["cf_low"] == pytest.approx(1.677e9, rel=1e-3)
    assert band["cf_high"] == pytest.approx(1343.2e9, rel=1e-3)
    assert band["band_factor"] == pytest.approx(28.30, abs=0.01)
    assert band["band_ratio"] == pytest.approx(800.9, abs=0.1)
