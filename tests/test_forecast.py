"""Forecasts (ETS, ARIMA, random walk) and the rolling-origin back-test."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import hilir
from hilir.errors import HilirDataError
from hilir.policy import trade_series
from hilir.policy.forecasting import backtest, forecast

YEARS = np.arange(1991, 2021)


def _growth(seed=0, n=30, noise=0.03):
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "year": YEARS[-n:],
            "value": 1e6 * np.exp(0.05 * np.arange(n) + rng.normal(0, noise, n)),
            "unit": "USD",
        }
    )


@pytest.mark.parametrize("method", ["ets", "arima"])
def test_forecast_extrapolates_growth_with_intervals(method):
    frame = _growth()
    res = forecast(frame, method=method, horizon=4)
    fc = res.forecasts
    assert fc["year"].tolist() == [2021, 2022, 2023, 2024]
    assert (fc["lower"] < fc["value"]).all() and (fc["value"] < fc["upper"]).all()
    widths = (fc["upper"] - fc["lower"]).to_numpy()
    assert (np.diff(widths) > 0).all()
    # about 5 % growth a year carried on from the last fitted level
    assert fc["value"].iat[-1] / fc["value"].iat[0] == pytest.approx(np.exp(0.15), rel=0.05)
    assert res.scale == "log" and res.last_observed == "2020" and res.last_observed_year == 2020
    assert (res.table["last_observed"] == "2020").all()
    assert res.notes[0].startswith("Data end in 2020")
    assert res.unit == "USD"
    observed = res.table[res.table["kind"] == "observed"]
    assert np.allclose(observed["value"], frame["value"])


def test_newer_data_moves_the_forecast_forward():
    frame = _growth()
    newer = pd.concat(
        [
            frame,
            pd.DataFrame(
                {"year": [2021, 2022], "value": frame["value"].iat[-1] * 1.1, "unit": "USD"}
            ),
        ],
        ignore_index=True,
    )
    old, new = forecast(frame, horizon=2), forecast(newer, horizon=2)
    assert old.last_observed == "2020" and new.last_observed == "2022"
    assert new.forecasts["year"].tolist() == [2023, 2024]


def test_naive_forecast_is_last_value_with_sqrt_h_interval():
    frame = _growth(seed=4)
    res = forecast(frame, method="naive", horizon=4, scale="level")
    fc = res.forecasts
    assert np.allclose(fc["value"], frame["value"].iat[-1])
    half = (fc["upper"] - fc["value"]).to_numpy()
    assert half / half[0] == pytest.approx(np.sqrt([1, 2, 3, 4]))


def test_zero_values_fall_back_to_level_scale_and_log_refused():
    frame = _growth()
    frame.loc[3, "value"] = 0.0
    assert forecast(frame, method="naive").scale == "level"
    with pytest.raises(HilirDataError, match="log scale"):
        forecast(frame, scale="log")


def test_monthly_seasonal_ets():
    months = np.arange(60)
    frame = pd.DataFrame(
        {
            "year": 2016 + months // 12,
            "month": months % 12 + 1,
            "value": 100 + months + 10 * np.sin(months * np.pi / 6),
        }
    )
    res = forecast(frame, seasonal=True, horizon=3, scale="level")
    fc = res.forecasts
    assert fc[["year", "month"]].values.tolist() == [[2021, 1], [2021, 2], [2021, 3]]
    assert (
        res.last_observed == "2020-12"
        and "ETS(A," in res.model
        and res.model.endswith("level scale")
    )


def test_backtest_of_a_smooth_series_is_nearly_exact():
    t = np.arange(30)
    frame = pd.DataFrame({"year": YEARS, "value": 1e6 * np.exp(0.04 * t) * (1 + 1e-4 * np.sin(t))})
    bt = backtest(frame, methods=["ets", "naive"], horizon=2, n_origins=4)
    s = bt.summary.set_index(["method", "horizon"])
    assert s.loc[("ets", 1), "mape"] < 0.5
    assert s.loc[("naive", 1), "mape"] == pytest.approx(100 * (1 - np.exp(-0.04)), rel=0.01)
    assert s.loc[("ets", 1), "n_forecasts"] == 4 and s.loc[("ets", 2), "n_forecasts"] == 3
    assert s.loc[("ets", 1), "mase"] < s.loc[("naive", 1), "mase"]
    assert (bt.summary["last_observed"] == "2020").all()
    e = bt.errors
    assert e["origin"].unique().tolist() == ["2016", "2017", "2018", "2019"]
    assert len(e) == 2 * (4 + 3)
    assert np.allclose(e["error"], e["forecast"] - e["actual"])


def test_backtest_bad_inputs():
    frame = _growth()
    with pytest.raises(HilirDataError, match="first training window"):
        backtest(frame, n_origins=25)
    with pytest.raises(HilirDataError, match="methods"):
        backtest(frame, methods=["prophet"])
    with pytest.raises(HilirDataError, match="horizon"):
        backtest(frame, horizon=0)


def test_forecast_bad_inputs():
    frame = _growth()
    with pytest.raises(HilirDataError, match="at least 10"):
        forecast(frame.iloc[:8])
    with pytest.raises(HilirDataError, match="gaps"):
        forecast(frame.drop(index=12))
    with pytest.raises(HilirDataError, match="method"):
        forecast(frame, method="lstm")
    with pytest.raises(HilirDataError, match="horizon"):
        forecast(frame, horizon=0)
    with pytest.raises(HilirDataError, match="seasonal"):
        forecast(frame, seasonal=True)
    bad = frame.astype({"value": object})
    bad.loc[2, "value"] = "n/a"
    with pytest.raises(HilirDataError, match="not a number") as info:
        forecast(bad)
    assert info.value.row == 3 and info.value.column == "value"


# ---------------------------------------------------------------- shipped FAOSTAT data

FAOSTAT_ITEMS = {
    "656": "coffee, green",
    "659": "coffee extracts",
    "257": "palm oil",
}


@pytest.fixture(scope="module")
def faostat_exports():
    exports = hilir.load_exports(source="faostat_idn_trade")
    assert set(FAOSTAT_ITEMS) <= set(exports["item_code"])
    return exports


@pytest.mark.slow
@pytest.mark.parametrize("item_code", list(FAOSTAT_ITEMS))
@pytest.mark.parametrize("measure", ["value", "weight"])
def test_backtest_on_shipped_faostat_series(faostat_exports, item_code, measure, record_property):
    # pinned specification: Indonesia to the world, 1990-2020, 5 origins, horizons 1-3
    series = trade_series(
        faostat_exports,
        item_code=item_code,
        partner="WLD",
        measure=measure,
        source="faostat_idn_trade",
    )
    series = series[series["year"] >= 1990]
    assert int(series["year"].max()) >= 2020
    bt = backtest(series, methods=["ets", "arima", "naive"], horizon=3, n_origins=5)
    s = bt.summary
    report = (
        f"FAOSTAT {item_code} ({FAOSTAT_ITEMS[item_code]}) {measure}, last observed "
        f"{bt.last_observed}:\n"
        + s[["method", "horizon", "n_forecasts", "mape", "mase", "rmse", "coverage"]]
        .round(3)
        .to_string(index=False)
    )
    print(report)
    record_property("backtest", report)
    assert set(s["method"]) == {"ets", "arima", "naive"}
    assert (s.loc[s["horizon"] == 1, "n_forecasts"] == 5).all()
    assert np.isfinite(s["mape"]).all() and (s["mape"] > 0).all()
    assert s["coverage"].between(0, 1).all()
    # the random walk's one-step errors follow from the data alone: forecast for year o + 1
    # is the value of year o, the origins are the five years 2015-2019
    v = series.set_index("year")["value"]
    naive = bt.errors[(bt.errors["method"] == "naive") & (bt.errors["horizon"] == 1)]
    origins = naive["origin"].astype(int).to_numpy()
    assert origins.tolist() == [2015, 2016, 2017, 2018, 2019]
    assert np.allclose(naive["forecast"], v[origins].to_numpy())
    assert np.allclose(naive["actual"], v[origins + 1].to_numpy())
    ape = np.abs(v[origins].to_numpy() - v[origins + 1].to_numpy()) / v[origins + 1].to_numpy()
    one_step = s[(s["method"] == "naive") & (s["horizon"] == 1)]["mape"].item()
    assert one_step == pytest.approx(100 * ape.mean())


# ---------------------------------------------------------------- model choice, build year


def test_backtest_choice_picks_the_lowest_mape_and_reports_it():
    """``method="backtest"`` forecasts with the method whose one-step back-test MAPE is lowest.

    On a smooth 4 %-a-year series ETS and ARIMA with drift track the growth (MAPE < 0.5 %)
    while the random walk misses by 1 - exp(-0.04) = 3.9 % every year, so it is not chosen.
    """
    t = np.arange(30)
    frame = pd.DataFrame({"year": YEARS, "value": 1e6 * np.exp(0.04 * t) * (1 + 1e-4 * np.sin(t))})
    res = forecast(frame, method="backtest", horizon=2, build_year=2021)
    mape = res.backtest_mape
    assert res.chosen_by == "backtest" and set(mape) == {"ets", "arima", "naive"}
    assert mape["naive"] == pytest.approx(100 * (1 - np.exp(-0.04)), rel=0.01)
    assert res.method == min(mape, key=mape.get) != "naive"
    assert mape[res.method] < 0.5
    assert res.forecasts["year"].tolist() == [2021, 2022]  # only years after the data
    assert res.years_past == ()  # 2021 is the build year itself, not past
    assert any("lowest back-test MAPE" in n for n in res.notes)
    plain = forecast(frame, horizon=2)
    assert plain.chosen_by == "user" and plain.backtest_mape == {} and plain.build_year is None


def test_forecast_years_already_past_at_build_time_are_listed():
    """A forecast of data ending in 2020 built in 2026: 2021-2025 are past, the note says so."""
    res = forecast(_growth(), method="naive", horizon=5, build_year=2026)
    assert res.years_past == (2021, 2022, 2023, 2024, 2025)
    assert res.build_year == 2026
    assert any("already past in 2026" in n and "data end in 2020" in n for n in res.notes)
    later = forecast(_growth(), method="naive", horizon=5, build_year=2021)
    assert later.years_past == ()


def test_forecast_band_factor_is_how_far_the_interval_reaches():
    """band_factor = max(upper / value, value / lower): on a log-scale random walk the
    interval is symmetric in logs, so both ratios are exp(t x sigma x sqrt(h))."""
    res = forecast(_growth(noise=0.1), method="naive", horizon=3)
    fc = res.forecasts
    assert np.allclose(fc["band_factor"], fc["upper"] / fc["value"])
    assert np.allclose(fc["band_factor"], fc["value"] / fc["lower"])
    assert (np.diff(fc["band_factor"]) > 0).all()
    assert res.table.loc[res.table["kind"] == "observed", "band_factor"].isna().all()


def test_golden_ferronickel_forecast_is_the_backtest_choice():
    """Issue 12 finding 6: the ferronickel projection (UN Comtrade HS 720260, 1989-2020).

    The one-step back-test over the origins 2015-2019 ranks the random walk best (MAPE 39 %
    against ARIMA 46 % and ETS 50 %), so the projection is the random walk: flat at the 2020
    value of US$4,739.1 m, not the ETS US$4.1 bn below the last observation. Built in 2026,
    the five forecast years 2021-2025 are all already past.
    """
    series = trade_series(hilir.load_exports(reporter="IDN"), hs_code="720260")
    res = forecast(series, method="backtest", horizon=5, build_year=2026)
    assert res.method == "naive" and res.model == "random walk on log scale"
    mape = res.backtest_mape
    assert (round(mape["naive"]), round(mape["arima"]), round(mape["ets"])) == (39, 46, 50)
    fc = res.forecasts
    assert fc["year"].tolist() == [2021, 2022, 2023, 2024, 2025]
    assert np.allclose(fc["value"], 4_739_112_331.0)
    assert res.years_past == (2021, 2022, 2023, 2024, 2025)
    # the 2025 interval reaches 12.7 times either side: far beyond a headline's factor 3
    assert fc["band_factor"].iat[-1] == pytest.approx(12.70, abs=0.01)


def test_bad_forecast_method_lists_backtest():
    with pytest.raises(HilirDataError, match="backtest"):
        forecast(_growth(), method="best")
