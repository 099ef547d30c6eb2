"""Forecasts of a product's export value or volume, and a rolling-origin back-test.

Exponential smoothing (ETS) and ARIMA come from statsmodels; a random walk (``naive``) is the
benchmark every brief should beat. Each forecast states the last observed period of its
data: most shipped series end in 2020, and a forecast is rebuilt from whatever series it is
given, so importing newer data moves it forward.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from hilir.errors import HilirDataError
from hilir.policy.backtesting import backtest_summary, choose_method, origin_errors, years_past
from hilir.policy.forecast_models import fit_predict
from hilir.policy.series import SeriesData, check_series

Method = Literal["ets", "arima", "naive"]
ForecastMethod = Literal["ets", "arima", "naive", "backtest"]
ScaleOption = Literal["auto", "level", "log"]
EtsTrend = Literal["auto", "none", "add", "damped"]

_METHODS = ("ets", "arima", "naive")
_MIN_POINTS = 10


@dataclass(frozen=True)
class ForecastResult:
    """A forecast with prediction intervals.

    Attributes
    ----------
    table : pandas.DataFrame
        ``year`` (and ``month``), ``kind`` (``observed`` or ``forecast``), ``value``,
        ``lower``, ``upper`` (prediction interval, NaN for observed rows), ``band_factor``
        (max(upper / value, value / lower), unitless: how far the interval reaches either
        side of the forecast, the statistic of :func:`hilir.brief.gate.band_check`; NaN for
        observed rows), ``method``, ``last_observed`` (label of the last observed period,
        the same on every row).
    method : str
        ``ets``, ``arima`` or ``naive``: the method used (the one the back-test chose with
        ``method="backtest"``).
    model : str
        The fitted specification, e.g. ``ETS(A,Ad,N) on log scale``.
    scale : str
        ``level`` or ``log``.
    last_observed : str
        Last observed period (``2020`` or ``2020-12``).
    last_observed_year : int
        Year of the last observation.
    unit : str
        Unit of the values.
    alpha : float
        1 - coverage of the prediction intervals.
    notes : tuple of str
        Caveats (estimation warnings, scale, years already past).
    chosen_by : str
        ``"user"`` (the method was given) or ``"backtest"`` (lowest back-test MAPE).
    backtest_mape : dict of str -> float
        Back-test MAPE (%) by method at the deciding horizon (empty unless
        ``method="backtest"``).
    build_year : int or None
        The year the forecast was built, as passed (never read from the clock here).
    years_past : tuple of int
        Forecast years before ``build_year``: already past when built, so the data end
        earlier than the years the brief talks about.
    """

    table: pd.DataFrame
    method: str
    model: str
    scale: str
    last_observed: str
    last_observed_year: int
    unit: str
    alpha: float
    notes: tuple[str, ...]
    chosen_by: str = "user"
    backtest_mape: dict[str, float] = field(default_factory=dict)
    build_year: int | None = None
    years_past: tuple[int, ...] = ()

    @property
    def forecasts(self) -> pd.DataFrame:
        """Only the forecast rows of :attr:`table`."""
        return self.table[self.table["kind"] == "forecast"].reset_index(drop=True)


@dataclass(frozen=True)
class BacktestResult:
    """A rolling-origin back-test.

    Attributes
    ----------
    errors : pandas.DataFrame
        One row per method, origin and horizon: ``method``, ``origin`` (last training
        period), ``year`` (and ``month``) of the target, ``horizon``, ``actual``,
        ``forecast``, ``lower``, ``upper``, ``error`` (forecast - actual), ``ape`` (absolute
        percentage error, %; NaN when actual is 0).
    summary : pandas.DataFrame
        One row per method and horizon: ``n_forecasts``, ``mae``, ``rmse``, ``bias`` (in the
        series unit), ``mape`` (%), ``mase`` (MAE over the in-sample one-step random-walk
        MAE before the first origin), ``coverage`` (share of actuals inside the intervals),
        ``first_origin``, ``last_origin``, ``last_observed``, ``unit``.
    last_observed : str
        Last observed period of the data.
    notes : tuple of str
        Caveats.
    """

    errors: pd.DataFrame
    summary: pd.DataFrame
    last_observed: str
    notes: tuple[str, ...]


def _future_periods(data: SeriesData, horizon: int) -> pd.DataFrame:
    last_year = int(data.periods["year"].iat[-1])
    if data.frequency == "annual":
        return pd.DataFrame({"year": np.arange(last_year + 1, last_year + horizon + 1)})
    last = last_year * 12 + int(data.periods["month"].iat[-1]) - 1
    idx = np.arange(last + 1, last + horizon + 1)
    return pd.DataFrame({"year": idx // 12, "month": idx % 12 + 1})


def _choose_scale(y: np.ndarray, scale: ScaleOption) -> str:
    if scale not in ("auto", "level", "log"):
        raise HilirDataError(f"scale must be 'auto', 'level' or 'log', not {scale!r}")
    if scale == "auto":
        return "log" if (y > 0).all() else "level"
    if scale == "log" and (y <= 0).any():
        raise HilirDataError("a log scale needs values > 0; use scale='level'")
    return scale


def forecast(
    series: pd.DataFrame,
    *,
    method: ForecastMethod = "ets",
    horizon: int = 5,
    alpha: float = 0.05,
    scale: ScaleOption = "auto",
    value_column: str = "value",
    frequency: Literal["auto", "annual", "monthly"] = "auto",
    unit: str | None = None,
    ets_trend: EtsTrend = "auto",
    arima_order: tuple[int, int, int] | None = None,
    seasonal: bool = False,
    build_year: int | None = None,
    backtest_horizon: int = 1,
    backtest_origins: int = 5,
) -> ForecastResult:
    """Forecast a yearly or monthly series with prediction intervals.

    Parameters
    ----------
    series : pandas.DataFrame
        Tidy series: ``year`` (and ``month``), the value column (export value in USD or
        volume in t), optional ``unit``; contiguous, at least 10 points. Not modified.
    method : {"ets", "arima", "naive", "backtest"}, default "ets"
        ``ets``: exponential smoothing with additive errors (statsmodels ``ETSModel``);
        ``arima``: ARIMA with drift (statsmodels ``ARIMA``); ``naive``: random walk;
        ``backtest``: the one of the three with the lowest MAPE in a rolling-origin
        back-test (:func:`backtest`, ``backtest_horizon`` periods ahead from
        ``backtest_origins`` origins; ties go to the simplest). Briefs use ``backtest``.
    horizon : int, default 5
        Periods ahead (years or months).
    alpha : float, default 0.05
        1 - coverage of the prediction intervals.
    scale : {"auto", "level", "log"}, default "auto"
        Model scale; ``auto`` is ``log`` when every value is > 0 (growth is proportional,
        and back-transformed intervals stay positive), ``level`` otherwise.
    value_column : str, default "value"
        Column with the values.
    frequency : {"auto", "annual", "monthly"}, default "auto"
        Series frequency.
    unit : str, optional
        Unit of the values; defaults to the ``unit`` column.
    ets_trend : {"auto", "none", "add", "damped"}, default "auto"
        ETS trend; ``auto`` picks none, additive or damped additive by AICc.
    arima_order : tuple of int, optional
        (p, d, q); by default the lowest AICc of (0,1,0), (1,1,0) and (0,1,1), all with
        drift.
    seasonal : bool, default False
        Additive monthly seasonality in ETS (monthly series only).
    build_year : int, optional
        The year the forecast is built (the caller passes it; this function never reads
        the clock). Forecast years before it are listed in ``years_past`` and a note says
        the data end earlier.
    backtest_horizon : int, default 1
        Horizon whose back-test MAPE decides with ``method="backtest"``.
    backtest_origins : int, default 5
        Origins of that back-test.

    Returns
    -------
    ForecastResult
        ``table`` with observed and forecast rows, the model, ``last_observed``, and the
        diagnostics ``chosen_by``, ``backtest_mape``, ``build_year``, ``years_past``.

    Raises
    ------
    HilirDataError
        Bad series (see :func:`hilir.policy.check_series`), fewer than 10 points, a
        non-positive value on a log scale, or a bad option.

    Notes
    -----
    On a log scale the forecast is exp of the forecast of log(value): a median, with the
    interval ends back-transformed (Hyndman and Athanasopoulos, *Forecasting: Principles
    and Practice*, 3rd ed., sections 5.6 and 8.7). ETS model selection by AICc follows the
    same book (section 8.6). Intervals assume the model is right; the back-test
    (:func:`backtest`) tells how well they held on the last years.
    """
    _check_forecast_options(method, horizon, alpha, ets_trend)
    data = check_series(
        series, value_column=value_column, frequency=frequency, unit=unit, min_points=_MIN_POINTS
    )
    if seasonal and data.frequency != "monthly":
        raise HilirDataError("seasonal=True needs a monthly series")
    if seasonal and data.n < 24:
        raise HilirDataError("seasonal ETS needs at least 24 monthly points")
    used = _choose_scale(data.y, scale)
    chosen_by, mape = "user", {}
    if method == "backtest":
        method, mape = choose_method(
            backtest(
                series,
                horizon=backtest_horizon,
                n_origins=backtest_origins,
                alpha=alpha,
                scale=used,  # type: ignore[arg-type]
                value_column=value_column,
                frequency=data.frequency,
                unit=data.unit,
                ets_trend=ets_trend,
                arima_order=arima_order,
            ).summary,
            backtest_horizon,
        )
        chosen_by = "backtest"
    z = np.log(data.y) if used == "log" else data.y
    mean, lower, upper, described, seen = fit_predict(
        z,
        method,  # type: ignore[arg-type]
        int(horizon),
        alpha,
        ets_trend=ets_trend,
        arima_order=arima_order,
        seasonal_periods=12 if seasonal else None,
    )
    if used == "log":
        mean, lower, upper = np.exp(mean), np.exp(lower), np.exp(upper)
    last = data.label(data.n - 1)
    table = _forecast_table(data, mean, lower, upper, int(horizon))
    table["method"] = method
    table["last_observed"] = last
    past = years_past(table.loc[table["kind"] == "forecast", "year"], build_year)
    notes = _forecast_notes(last, described, used, alpha, chosen_by, mape, past, build_year)
    if used == "level" and (lower < 0).any():
        notes.append("The lower interval bound goes below zero on the level scale.")
    notes += [f"Estimation: {w}" for w in seen]
    return ForecastResult(
        table=table,
        method=method,
        model=f"{described} on {used} scale",
        scale=used,
        last_observed=last,
        last_observed_year=int(data.periods["year"].iat[-1]),
        unit=data.unit,
        alpha=alpha,
        notes=tuple(notes),
        chosen_by=chosen_by,
        backtest_mape=mape,
        build_year=None if build_year is None else int(build_year),
        years_past=past,
    )


def _check_forecast_options(method: str, horizon: object, alpha: float, ets_trend: str) -> None:
    """Raise on an unknown method or ETS trend, a bad horizon, or alpha outside (0, 1)."""
    if method not in (*_METHODS, "backtest"):
        raise HilirDataError(f"method must be one of {[*_METHODS, 'backtest']}, not {method!r}")
    if not isinstance(horizon, (int, np.integer)) or horizon < 1:
        raise HilirDataError(f"horizon must be a positive whole number, not {horizon!r}")
    if not 0 < alpha < 1:
        raise HilirDataError(f"alpha must be between 0 and 1, not {alpha!r}")
    if ets_trend not in ("auto", "none", "add", "damped"):
        raise HilirDataError(f"ets_trend must be auto, none, add or damped, not {ets_trend!r}")


def _forecast_table(
    data: SeriesData, mean: np.ndarray, lower: np.ndarray, upper: np.ndarray, horizon: int
) -> pd.DataFrame:
    """Observed rows then forecast rows, with the interval and its band factor."""
    observed = data.periods.copy()
    observed["kind"] = "observed"
    observed["value"] = data.y
    observed["lower"] = np.nan
    observed["upper"] = np.nan
    observed["band_factor"] = np.nan
    future = _future_periods(data, horizon)
    future["kind"] = "forecast"
    future["value"] = mean
    future["lower"] = lower
    future["upper"] = upper
    with np.errstate(divide="ignore", invalid="ignore"):
        future["band_factor"] = np.where(
            (lower > 0) & (mean > 0), np.maximum(upper / mean, mean / lower), np.inf
        )
    return pd.concat([observed, future], ignore_index=True)


def _forecast_notes(
    last: str,
    described: str,
    used: str,
    alpha: float,
    chosen_by: str,
    mape: dict[str, float],
    past: tuple[int, ...],
    build_year: int | None,
) -> list[str]:
    """The forecast's notes: data end, model, how it was chosen, years already past."""
    notes = [
        f"Data end in {last}; values after it are projections of {described} on a {used} "
        f"scale with {round((1 - alpha) * 100)} % prediction intervals."
    ]
    if chosen_by == "backtest":
        listed = ", ".join(f"{m} {v:.0f} %" for m, v in sorted(mape.items(), key=lambda x: x[1]))
        notes.append(f"Method chosen by the lowest back-test MAPE ({listed}).")
    if past:
        notes.append(
            f"The forecast years {past[0]}-{past[-1]} are already past in {build_year}: the "
            f"data end in {last}, so these are what the model expected from {last}, not "
            "observations; newer data are needed."
        )
    return notes


def backtest(
    series: pd.DataFrame,
    *,
    methods: Method | Sequence[Method] = ("ets", "arima", "naive"),
    horizon: int = 3,
    n_origins: int = 5,
    alpha: float = 0.05,
    scale: ScaleOption = "auto",
    value_column: str = "value",
    frequency: Literal["auto", "annual", "monthly"] = "auto",
    unit: str | None = None,
    ets_trend: EtsTrend = "auto",
    arima_order: tuple[int, int, int] | None = None,
) -> BacktestResult:
    """Rolling-origin back-test on the last periods of a series.

    For each of the last ``n_origins`` origins, the model is fitted to the data up to the
    origin and forecasts up to ``horizon`` periods that were observed; errors are compared
    with the actual values.

    Parameters
    ----------
    series : pandas.DataFrame
        Tidy series, as :func:`forecast`. Not modified.
    methods : str or sequence of {"ets", "arima", "naive"}, default all three
        Methods to test; keep ``naive`` as the benchmark.
    horizon : int, default 3
        Longest horizon tested (periods).
    n_origins : int, default 5
        Number of forecast origins: training ends at the 2nd-last period, the 3rd-last, ...
    alpha : float, default 0.05
        1 - nominal coverage of the intervals whose coverage is measured.
    scale, value_column, frequency, unit, ets_trend, arima_order
        As :func:`forecast`; ``scale="auto"`` is decided once on the whole series so that
        every origin uses the same scale.

    Returns
    -------
    BacktestResult
        ``errors`` per forecast and ``summary`` per method and horizon.

    Raises
    ------
    HilirDataError
        Bad series or options, or fewer than 10 points before the first origin.

    Notes
    -----
    Rolling-origin evaluation (Tashman 2000, Int J Forecasting 16:437-450). MASE divides
    the MAE by the in-sample MAE of one-step random-walk forecasts on the data before the
    first origin (Hyndman and Koehler 2006, Int J Forecasting 22:679-688); MASE < 1 beats
    that benchmark.
    """
    wanted = [methods] if isinstance(methods, str) else list(methods)
    bad = [m for m in wanted if m not in _METHODS]
    if bad or not wanted:
        raise HilirDataError(f"methods must be among {list(_METHODS)}, not {bad or wanted}")
    for name, value in (("horizon", horizon), ("n_origins", n_origins)):
        if not isinstance(value, (int, np.integer)) or value < 1:
            raise HilirDataError(f"{name} must be a positive whole number, not {value!r}")
    data = check_series(
        series, value_column=value_column, frequency=frequency, unit=unit, min_points=_MIN_POINTS
    )
    used = _choose_scale(data.y, scale)
    n = data.n
    first_end = n - 1 - int(n_origins)  # index of the last training point of the 1st origin
    if first_end + 1 < _MIN_POINTS:
        raise HilirDataError(
            f"{n} points leave {first_end + 1} for the first training window; at least "
            f"{_MIN_POINTS} are needed: lower n_origins"
        )
    rows = []
    notes: list[str] = []
    for method in wanted:
        for end in range(first_end, n - 1):
            h = min(int(horizon), n - 1 - end)
            train = data.periods.iloc[: end + 1].copy()
            train["value"] = data.y[: end + 1]
            res = forecast(
                train,
                method=method,
                horizon=h,
                alpha=alpha,
                scale=used,  # type: ignore[arg-type]
                frequency=data.frequency,
                unit=data.unit,
                ets_trend=ets_trend,
                arima_order=arima_order,
            )
            for note in res.notes[1:]:
                text = f"{method} at origin {data.label(end)}: {note}"
                notes.append(text)
            rows += origin_errors(data, method, end, h, res.forecasts)
    errors = pd.DataFrame(rows)
    scale_mae = float(np.mean(np.abs(np.diff(data.y[: first_end + 1]))))
    last = data.label(n - 1)
    summary = backtest_summary(errors, scale_mae, last, data.unit)
    notes.insert(
        0,
        f"Back-test on {used} scale: {n_origins} origins from {data.label(first_end)} to "
        f"{data.label(n - 2)}, horizons 1-{horizon}; data end in {last}.",
    )
    return BacktestResult(errors=errors, summary=summary, last_observed=last, notes=tuple(notes))
