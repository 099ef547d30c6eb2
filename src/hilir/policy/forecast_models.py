"""The models behind :func:`hilir.policy.forecast`: random walk, ETS and ARIMA by AICc."""

from __future__ import annotations

import warnings
from typing import Literal

import numpy as np
import pandas as pd

__all__ = ["ARIMA_CANDIDATES", "fit_predict"]

#: Orders compared by AICc when none is given. ARIMA(1,1,1) is left out: on 20-30 annual
#: points it is weakly identified and its likelihood is slow to converge.
ARIMA_CANDIDATES = ((0, 1, 0), (1, 1, 0), (0, 1, 1))


def fit_predict(
    z: np.ndarray,
    method: Literal["ets", "arima", "naive"],
    horizon: int,
    alpha: float,
    *,
    ets_trend: Literal["auto", "none", "add", "damped"],
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

            orders = [arima_order] if arima_order is not None else list(ARIMA_CANDIDATES)
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
