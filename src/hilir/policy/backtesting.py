"""Back-test bookkeeping for :mod:`hilir.policy.forecasting`: errors, summary, model choice.

:func:`origin_errors` and :func:`backtest_summary` build the tables of
:class:`hilir.policy.BacktestResult`; :func:`choose_method` picks the method with the lowest
back-test MAPE, the rule :func:`hilir.policy.forecast` follows with ``method="backtest"``;
:func:`years_past` lists forecast years already past at build time.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from hilir.errors import HilirDataError
from hilir.policy.series import SeriesData

__all__ = ["TIE_ORDER", "backtest_summary", "choose_method", "origin_errors", "years_past"]

#: Order in which methods with the same back-test MAPE are preferred: the simplest first.
TIE_ORDER = ("naive", "arima", "ets")


def origin_errors(
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


def backtest_summary(errors: pd.DataFrame, scale_mae: float, last: str, unit: str) -> pd.DataFrame:
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


def choose_method(summary: pd.DataFrame, horizon: int = 1) -> tuple[str, dict[str, float]]:
    """The method with the lowest back-test MAPE at ``horizon``, and the MAPE of each.

    Parameters
    ----------
    summary : pandas.DataFrame
        :attr:`hilir.policy.BacktestResult.summary`.
    horizon : int, default 1
        Horizon (periods ahead) whose MAPE decides.

    Returns
    -------
    tuple of (str, dict of str -> float)
        The chosen method and ``{method: MAPE in %}``; ties go to the simplest method
        (:data:`TIE_ORDER`).

    Raises
    ------
    HilirDataError
        No method has a MAPE at that horizon.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"method": ["ets", "arima", "naive"], "horizon": 1,
    ...                   "mape": [50.0, 46.0, 39.0]})
    >>> choose_method(s)
    ('naive', {'ets': 50.0, 'arima': 46.0, 'naive': 39.0})
    """
    rows = summary[(summary["horizon"] == int(horizon)) & summary["mape"].notna()]
    if rows.empty:
        raise HilirDataError(f"the back-test has no MAPE at horizon {horizon}")
    mape = {str(m): float(v) for m, v in zip(rows["method"], rows["mape"], strict=True)}
    rank = {m: i for i, m in enumerate(TIE_ORDER)}
    best = min(mape, key=lambda m: (round(mape[m], 9), rank.get(m, len(rank))))
    return best, mape


def years_past(years: pd.Series | np.ndarray, build_year: int | None) -> tuple[int, ...]:
    """Forecast years before ``build_year`` (already past when the brief is built)."""
    if build_year is None:
        return ()
    return tuple(sorted({int(y) for y in np.asarray(years) if int(y) < int(build_year)}))
