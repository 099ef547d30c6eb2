"""Chow test at a known date and CUSUM stability tests."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from hilir.errors import HilirDataError
from hilir.policy.breaks import chow_test, cusum_path, cusum_test

YEARS = np.arange(1989, 2021)


def _frame(y):
    return pd.DataFrame({"year": YEARS[: len(y)], "value": y})


def _noise(seed, n=32):
    return np.random.default_rng(seed).standard_normal(n)


def _rss(y, x):
    beta, *_ = np.linalg.lstsq(x, y, rcond=None)
    r = y - x @ beta
    return float(r @ r)


def test_chow_matches_the_textbook_formula():
    t = np.arange(32.0)
    y = 5 + 0.3 * t + np.where(t >= 25, 2 + 0.8 * (t - 25), 0) + _noise(1)
    out = chow_test(_frame(y), 2014)
    row = out.iloc[0]
    x = np.column_stack([np.ones(32), t])
    s_p, s_1, s_2 = _rss(y, x), _rss(y[:25], x[:25]), _rss(y[25:], x[25:])
    f = ((s_p - s_1 - s_2) / 2) / ((s_1 + s_2) / (32 - 4))
    assert row["variant"] == "standard"
    assert row["f_stat"] == pytest.approx(f)
    assert (row["df_num"], row["df_den"]) == (2, 28)
    assert row["p_value"] == pytest.approx(stats.f.sf(f, 2, 28))
    assert row["p_value"] < 0.001
    assert (row["n_pre"], row["n_post"], row["first_period"]) == (25, 7, "2014")


def test_chow_does_not_reject_a_stable_trend():
    y = 5 + 0.3 * np.arange(32.0) + _noise(7)
    assert chow_test(_frame(y), 2014).iloc[0]["p_value"] > 0.05


def test_chow_predictive_variant_with_one_point_after():
    t = np.arange(32.0)
    y = 5 + 0.3 * t + _noise(2)
    y[-1] += 10
    row = chow_test(_frame(y), "nickel_ore_ban_2020").iloc[0]
    x = np.column_stack([np.ones(32), t])
    s_p, s_1 = _rss(y, x), _rss(y[:31], x[:31])
    assert row["variant"] == "predictive"
    assert row["f_stat"] == pytest.approx((s_p - s_1) / 1 / (s_1 / 29))
    assert row["p_value"] < 0.001 and "low power" in row["note"]


def test_chow_several_dates_one_row_each_and_mean_only():
    y = np.r_[np.zeros(16), np.ones(16) * 3] + _noise(3)
    out = chow_test(_frame(y), [2005, "2010-01-01"], trend=False)
    assert out["event"].tolist() == ["2005", "2010-01-01"]
    assert (out["df_num"] == 1).all()
    assert out.iloc[0]["p_value"] < out.iloc[1]["p_value"]


def test_cusum_detects_a_level_shift_and_not_a_stable_series():
    stable = cusum_test(_frame(5 + 0.3 * np.arange(32.0) + _noise(4)))
    assert list(stable["test"]) == ["ols_cusum", "recursive_cusum"]
    assert not stable["reject"].any()
    shifted = np.r_[np.zeros(16), np.full(16, 6.0)] + _noise(5)
    moved = cusum_test(_frame(shifted), trend=False).set_index("test")
    assert moved.loc["ols_cusum", "reject"] and moved.loc["ols_cusum", "p_value"] < 0.05
    assert moved.loc["ols_cusum", "critical_value"] == pytest.approx(1.36)


def test_cusum_path_bounds_follow_brown_durbin_evans():
    path = cusum_path(_frame(5 + 0.3 * np.arange(32.0) + _noise(6)))
    assert len(path) == 30 and path["year"].iat[0] == 1991
    a, n, k = 0.948, 32, 2
    assert path["upper"].iat[-1] == pytest.approx(3 * a * np.sqrt(n - k))
    assert path["upper"].iat[0] == pytest.approx(a * np.sqrt(n - k) + 2 * a / np.sqrt(n - k))
    assert np.allclose(path["lower"], -path["upper"])
    p10 = cusum_path(_frame(5 + 0.3 * np.arange(32.0) + _noise(6)), alpha=0.10)
    assert p10["upper"].iat[-1] == pytest.approx(3 * 0.850 * np.sqrt(n - k))


def test_recursive_cusum_crossing_is_reported():
    y = np.r_[np.zeros(20), np.arange(1, 13) * 3.0] + 0.1 * _noise(8)
    row = cusum_test(_frame(y), trend=False).set_index("test").loc["recursive_cusum"]
    path = cusum_path(_frame(y), trend=False).set_index("year")
    # the path first leaves its 5 % bounds in 2019 (and stays out in 2020)
    outside = (path["cusum"] > path["upper"]) | (path["cusum"] < path["lower"])
    assert outside[outside].index.tolist() == [2019, 2020]
    assert row["reject"] and row["first_crossing"] == "2019"
    assert row["statistic"] == pytest.approx((path["cusum"].abs() / path["upper"]).max())


def test_recursive_cusum_crossing_is_labelled_by_month_in_monthly_series():
    idx = pd.period_range("2011-01", periods=48, freq="M")
    y = np.r_[np.zeros(30), np.arange(1, 19) * 3.0] + 0.1 * _noise(8, n=48)
    frame = pd.DataFrame({"year": idx.year, "month": idx.month, "value": y})
    row = cusum_test(frame, trend=False).set_index("test").loc["recursive_cusum"]
    path = cusum_path(frame, trend=False)
    first = path[(path["cusum"] > path["upper"]) | (path["cusum"] < path["lower"])].iloc[0]
    assert (first["year"], first["month"]) == (2014, 8)
    assert row["first_crossing"] == "2014-08"


def test_bad_inputs():
    y = 5 + 0.3 * np.arange(32.0) + _noise(9)
    with pytest.raises(HilirDataError, match="outside the series"):
        chow_test(_frame(y), 2030)
    with pytest.raises(HilirDataError, match="too few points before"):
        chow_test(_frame(y), 1990)
    with pytest.raises(HilirDataError, match="alpha"):
        cusum_test(_frame(y), alpha=0.2)
    zero = y.copy()
    zero[3] = 0
    with pytest.raises(HilirDataError, match="log scale"):
        chow_test(_frame(zero), 2014, scale="log")
    with pytest.raises(HilirDataError, match="gaps"):
        cusum_test(_frame(y).drop(index=10))
    with pytest.raises(HilirDataError, match="scale"):
        cusum_test(_frame(y), scale="ln")
