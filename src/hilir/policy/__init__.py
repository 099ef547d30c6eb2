"""Policy events and statistics: the timeline, interrupted time series, breaks, forecasts.

Every function takes tidy series frames (``year`` [and ``month``] and a value column) and
never reads files, except the two timeline tables shipped as package data. statsmodels is
imported only when a model is fitted.

Examples
--------
>>> import hilir
>>> from hilir.policy import fit_its, policy_events, trade_series
>>> policy_events(chain="nickel", instrument="ban")["start_date"].dt.year.tolist()
[2014, 2020]
>>> ni = trade_series(hilir.load_exports(), hs_code="720260")  # doctest: +SKIP
>>> fit_its(ni, "nickel_ore_ban_2014").coefficients              # doctest: +SKIP
"""

from __future__ import annotations

from hilir.policy.breaks import chow_test, cusum_path, cusum_test
from hilir.policy.events import (
    DATA_EVENT_KINDS,
    INSTRUMENTS,
    data_events,
    period_share,
    policy_events,
)
from hilir.policy.forecasting import BacktestResult, ForecastResult, backtest, forecast
from hilir.policy.its import ITSResult, LowPowerWarning, fit_its, its_table, reml_ar1_rho
from hilir.policy.series import check_series, deflate, trade_series

__all__ = [
    "DATA_EVENT_KINDS",
    "INSTRUMENTS",
    "BacktestResult",
    "ForecastResult",
    "ITSResult",
    "LowPowerWarning",
    "backtest",
    "check_series",
    "chow_test",
    "cusum_path",
    "cusum_test",
    "data_events",
    "deflate",
    "fit_its",
    "forecast",
    "its_table",
    "period_share",
    "policy_events",
    "reml_ar1_rho",
    "trade_series",
]
