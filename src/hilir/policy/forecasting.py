"""Forecasts of a product's export value or volume, and a rolling-origin back-test.

Exponential smoothing (ETS) and ARIMA come from statsmodels; a random walk (``naive``) is the
benchmark every brief should beat. Each forecast states the last observed period of its
data: most shipped series end in 2020, and a forecast is rebuilt from whatever series it is
given, so importing newer data moves it forward.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from hilir.errors import HilirDataError
from hilir.policy.series import SeriesData, check_series

Method = Literal["ets", "arima", "naive"]
ScaleOption = Literal["auto", "level", "log"]
EtsTrend = Literal["auto", "none", "add", "damped"]

_METHODS = ("ets", "arima", "naive")
_MIN_POINTS = 10
#: Orders compared by AICc when none is given. ARIMA(1,1,1) is left out: on 20-30 annual
#: points it is weakly identified and its likelihood is slow to converge.
_ARIMA_CANDIDATES = ((0, 1, 0), (1, 1, 0), (0, 1, 1))


@dataclass(frozen=True)
class ForecastResult:
    """A forecast with prediction intervals.

    Attributes
    ----------
    table : pandas.DataFrame
        ``year`` (and ``month``), ``kind`` (``observed`` or ``forecast``), ``value``,
        ``lower``, ``upper`` (prediction interval, NaN for observed rows), ``method``,
        ``last_observed`` (label of the last observed period, the same on every row).
    method : str
        ``ets``, ``arima`` or ``naive``.
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
        Caveats (estimation warnings, scale).
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


def _fit_predict(
    z: np.ndarray,
    method: Method,
    horizon: int,
    alpha: float,
    *,
    ets_trend: EtsTrend,
    arima_order: tuple[int, int, int] | None,
    seasonal_periods: int | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, str, list[str]]:
    """Mean, lower, upper on the model scale; model description; warnings seen."""
    from scipy import stats

    seen: list[str] = []
    endog = pd.Series(z)
    if method == "naive":
        diffs = np.diff(z)
        sigma = float(np.std(diffs, ddof=1)) if len(diffs) > 1 else 0.0
        h = np.arange(1, horizon + 1)
        crit = float(stats.t.ppf(1 - alpha / 2, max(len(diffs) - 1, 1)))
        mean = np.full(horizon, z[-1])
        half = crit * sigma * np.sqrt(h)
        return mean, mean - half, mean + half, "random walk", seen
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if method == "ets":
            from statsmodels.tsa.exponential_smoothing.ets import ETSModel

            options = {
                "none": [(None, False)],
                "add": [("add", False)],
                "damped": [("add", True)],
                "auto": [(None, False), ("add", False), ("add", True)],
            }[ets_trend]
            best = None
            for trend, damped in options:
                model = ETSModel(
                    endog,
                    error="add",
                    trend=trend,
                    damped_trend=damped,
                    seasonal="add" if seasonal_periods else None,
                    seasonal_periods=seasonal_periods,
                )
                fit = model.fit(disp=False)
                if best is None or fit.aicc < best[0].aicc:
                    best = (fit, trend, damped)
            assert best is not None
            fit, trend, damped = best
            frame = fit.get_prediction(start=len(z), end=len(z) + horizon - 1).summary_frame(
                alpha=alpha
            )
            code = "N" if trend is None else ("Ad" if damped else "A")
            season = "A" if seasonal_periods else "N"
            described = f"ETS(A,{code},{season})"
            mean = frame["mean"].to_numpy()
            lower, upper = frame["pi_lower"].to_numpy(), frame["pi_upper"].to_numpy()
        else:
            from statsmodels.tsa.arima.model import ARIMA

            orders = [arima_order] if arima_order is not None else list(_ARIMA_CANDIDATES)
            best = None
            for order in orders:
                trend = "t" if order[1] == 1 else ("c" if order[1] == 0 else "n")
                fit = ARIMA(endog, order=order, trend=trend).fit()
                if best is None or fit.aicc < best[0].aicc:
                    best = (fit, order, trend)
            assert best is not None
            fit, order, trend = best
            frame = fit.get_forecast(horizon).summary_frame(alpha=alpha)
            drift = " with drift" if trend == "t" else (" with constant" if trend == "c" else "")
            described = f"ARIMA{order}{drift}"
            mean = frame["mean"].to_numpy()
            lower = frame["mean_ci_lower"].to_numpy()
            upper = frame["mean_ci_upper"].to_numpy()
    for w in caught:
        text = f"{type(w.message).__name__}: {str(w.message).splitlines()[0]}"
        if text not in seen:
            seen.append(text)
    return mean, lower, upper, described, seen


def forecast(
    series: pd.DataFrame,
    *,
    method: Method = "ets",
    horizon: int = 5,
    alpha: float = 0.05,
    scale: ScaleOption = "auto",
    value_column: str = "value",
    frequency: Literal["auto", "annual", "monthly"] = "auto",
    unit: str | None = None,
    ets_trend: EtsTrend = "auto",
    arima_order: tuple[int, int, int] | None = None,
    seasonal: bool = False,
) -> ForecastResult:
    """Forecast a yearly or monthly series with prediction intervals.

    Parameters
    ----------
    series : pandas.DataFrame
        Tidy series: ``year`` (and ``month``), the value column (export value in USD or
        volume in t), optional ``unit``; contiguous, at least 10 points. Not modified.
    method : {"ets", "arima", "naive"}, default "ets"
        ``ets``: exponential smoothing with additive errors (statsmodels ``ETSModel``);
        ``arima``: ARIMA with drift (statsmodels ``ARIMA``); ``naive``: random walk.
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

    Returns
    -------
    ForecastResult
        ``table`` with observed and forecast rows, the model, and ``last_observed``.

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
    if method not in _METHODS:
        raise HilirDataError(f"method must be one of {list(_METHODS)}, not {method!r}")
    if not isinstance(horizon, (int, np.integer)) or horizon < 1:
        raise HilirDataError(f"horizon must be a positive whole number, not {horizon!r}")
    if not 0 < alpha < 1:
        raise HilirDataError(f"alpha must be between 0 and 1, not {alpha!r}")
    if ets_trend not in ("auto", "none", "add", "damped"):
        raise HilirDataError(f"ets_trend must be auto, none, add or damped, not {ets_trend!r}")
    data = check_series(
        series, value_column=value_column, frequency=frequency, unit=unit, min_points=_MIN_POINTS
    )
    if seasonal and data.frequency != "monthly":
        raise HilirDataError("seasonal=True needs a monthly series")
    if seasonal and data.n < 24:
        raise HilirDataError("seasonal ETS needs at least 24 monthly points")
    used = _choose_scale(data.y, scale)
    z = np.log(data.y) if used == "log" else data.y
    mean, lower, upper, described, seen = _fit_predict(
        z,
        method,
        int(horizon),
        alpha,
        ets_trend=ets_trend,
        arima_order=arima_order,
        seasonal_periods=12 if seasonal else None,
    )
    if used == "log":
        mean, lower, upper = np.exp(mean), np.exp(lower), np.exp(upper)
    last = data.label(data.n - 1)
    observed = data.periods.copy()
    observed["kind"] = "observed"
    observed["value"] = data.y
    observed["lower"] = np.nan
    observed["upper"] = np.nan
    future = _future_periods(data, int(horizon))
    future["kind"] = "forecast"
    future["value"] = mean
    future["lower"] = lower
    future["upper"] = upper
    table = pd.concat([observed, future], ignore_index=True)
    table["method"] = method
    table["last_observed"] = last
    notes = [
        f"Data end in {last}; values after it are projections of {described} on a {used} "
        f"scale with {round((1 - alpha) * 100)} % prediction intervals."
    ]
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
    )


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
            rows += _origin_errors(data, method, end, h, res.forecasts)
    errors = pd.DataFrame(rows)
    scale_mae = float(np.mean(np.abs(np.diff(data.y[: first_end + 1]))))
    last = data.label(n - 1)
    summary = _backtest_summary(errors, scale_mae, last, data.unit)
    notes.insert(
        0,
        f"Back-test on {used} scale: {n_origins} origins from {data.label(first_end)} to "
        f"{data.label(n - 2)}, horizons 1-{horizon}; data end in {last}.",
    )
    return BacktestResult(errors=errors, summary=summary, last_observed=last, notes=tuple(notes))


def _origin_errors(
    data: SeriesData, method: str, end: int, h: int, fc: pd.DataFrame
) -> list[dict[str, object]]:
    """Rows of :attr:`BacktestResult.errors` for the forecasts made at one origin."""
    keys = list(data.periods.columns)
    rows = []
    for step in range(h):
        target = end + 1 + step
        actual = data.y[target]
        row = {"method": method, "origin": data.label(end)}
        row.update({k: int(data.periods[k].iat[target]) for k in keys})
        value = float(fc["value"].iat[step])
        row.update(
            {
                "horizon": step + 1,
                "actual": actual,
                "forecast": value,
                "lower": float(fc["lower"].iat[step]),
                "upper": float(fc["upper"].iat[step]),
                "error": value - actual,
                "ape": abs(value - actual) / abs(actual) * 100 if actual != 0 else np.nan,
            }
        )
        rows.append(row)
    return rows


def _backtest_summary(errors: pd.DataFrame, scale_mae: float, last: str, unit: str) -> pd.DataFrame:
    """Per method and horizon: MAE, RMSE, bias, MAPE (%), MASE and interval coverage."""
    summary_rows = []
    for (method, h), grp in errors.groupby(["method", "horizon"], sort=False):
        mae = float(grp["error"].abs().mean())
        summary_rows.append(
            {
                "method": method,
                "horizon": int(h),
                "n_forecasts": len(grp),
                "mae": mae,
                "rmse": float(np.sqrt((grp["error"] ** 2).mean())),
                "bias": float(grp["error"].mean()),
                "mape": float(grp["ape"].mean()) if grp["ape"].notna().any() else np.nan,
                "mase": mae / scale_mae if scale_mae > 0 else np.nan,
                "coverage": float(
                    ((grp["actual"] >= grp["lower"]) & (grp["actual"] <= grp["upper"])).mean()
                ),
                "first_origin": grp["origin"].iat[0],
                "last_origin": grp["origin"].iat[-1],
                "last_observed": last,
                "unit": unit,
            }
        )
    return pd.DataFrame(summary_rows)
