"""Structural-break checks: a Chow test at a known date and CUSUM stability tests.

Both compare a linear trend (intercept and slope, or intercept only) before and after a
date, or along the whole series. They assume independent errors; trade series are often
autocorrelated, which makes them reject too often, so read them beside
:func:`hilir.policy.fit_its`, whose default error model allows for AR(1) errors.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from hilir.errors import HilirDataError
from hilir.policy.its_events import EventSpec, as_events, place_events
from hilir.policy.series import SeriesData, check_series

Scale = Literal["level", "log"]
_CUSUM_ALPHAS = (0.01, 0.05, 0.10)
#: Brown, Durbin and Evans (1975), Table 1: bound constants a for significance 1, 5, 10 %.
_BDE_CONSTANTS = {0.01: 1.143, 0.05: 0.948, 0.10: 0.850}


def _prepare(
    series: pd.DataFrame, value_column: str, scale: Scale, frequency: str, min_points: int
) -> tuple[SeriesData, np.ndarray]:
    if scale not in ("level", "log"):
        raise HilirDataError(f"scale must be 'level' or 'log', not {scale!r}")
    data = check_series(
        series,
        value_column=value_column,
        frequency=frequency,  # type: ignore[arg-type]
        positive=scale == "log",
        min_points=min_points,
    )
    y = np.log(data.y) if scale == "log" else data.y
    return data, y


def _regressors(t: np.ndarray, trend: bool) -> np.ndarray:
    return np.column_stack([np.ones_like(t), t]) if trend else np.ones((len(t), 1))


def _rss(y: np.ndarray, x: np.ndarray) -> float:
    import statsmodels.api as sm

    return float(sm.OLS(y, x).fit().ssr)


def chow_test(
    series: pd.DataFrame,
    break_at: EventSpec | Sequence[EventSpec] | pd.DataFrame,
    *,
    value_column: str = "value",
    scale: Scale = "level",
    trend: bool = True,
    frequency: Literal["auto", "annual", "monthly"] = "auto",
) -> pd.DataFrame:
    """Chow test for a break in a linear trend at a known date.

    Parameters
    ----------
    series : pandas.DataFrame
        Tidy series: ``year`` (and ``month``) and the value column; contiguous. Not modified.
    break_at : str, int, pandas.Timestamp, sequence of these, or DataFrame
        The date(s): event ids of :func:`hilir.policy.policy_events`, ISO dates or years.
        Each is tested on its own (one row each). The break falls in the first period the
        event covers for at least half its days, as in :func:`hilir.policy.fit_its`.
    value_column : str, default "value"
        Column with the values.
    scale : {"level", "log"}, default "level"
        Test log(value) with ``log`` (values must be > 0).
    trend : bool, default True
        Regress on intercept and trend (k = 2); ``False`` tests a change in mean (k = 1).
    frequency : {"auto", "annual", "monthly"}, default "auto"
        Series frequency.

    Returns
    -------
    pandas.DataFrame
        One row per date: ``event``, ``first_period``, ``variant`` (``standard`` or
        ``predictive``), ``f_stat``, ``df_num``, ``df_den``, ``p_value``, ``n_pre``,
        ``n_post``, ``note``.

    Raises
    ------
    HilirDataError
        Bad series, a date outside the series, or fewer than k + 1 points before it.

    Notes
    -----
    Standard test (both segments with at least k points): F = [(S_p - S_1 - S_2) / k] /
    [(S_1 + S_2) / (n - 2k)], with S_p, S_1, S_2 the residual sums of squares of the pooled
    and the two segment regressions (Chow 1960, Econometrica 28:591-605). With fewer than k
    points after the break, the predictive test: F = [(S_p - S_1) / n_2] / [S_1 / (n_1 - k)]
    (Chow's second test). Both assume independent, homoscedastic errors.
    """
    k = 2 if trend else 1
    data, y = _prepare(series, value_column, scale, frequency, min_points=k + 2)
    from scipy import stats

    placed = place_events(data, as_events(break_at), None, min_pre=k + 1)
    rows = []
    x = _regressors(data.t, trend)
    s_p = _rss(y, x)
    for ev in placed:
        n1, n2 = ev.first, data.n - ev.first
        s_1 = _rss(y[:n1], x[:n1])
        if n2 >= k and data.n - 2 * k > 0:
            s_2 = _rss(y[n1:], x[n1:]) if n2 > k else 0.0
            df_num, df_den = k, data.n - 2 * k
            den = (s_1 + s_2) / df_den
            f = ((s_p - s_1 - s_2) / df_num) / den if den > 0 else np.inf
            variant = "standard"
        else:
            df_num, df_den = n2, n1 - k
            den = s_1 / df_den
            f = ((s_p - s_1) / df_num) / den if den > 0 else np.inf
            variant = "predictive"
        p = float(stats.f.sf(f, df_num, df_den)) if np.isfinite(f) else 0.0
        note = ""
        if n2 < 3:
            note = f"only {n2} period(s) after the break: low power"
        rows.append(
            {
                "event": ev.event,
                "first_period": data.label(ev.first),
                "variant": variant,
                "f_stat": float(f),
                "df_num": int(df_num),
                "df_den": int(df_den),
                "p_value": p,
                "n_pre": n1,
                "n_post": n2,
                "note": note,
            }
        )
    return pd.DataFrame(rows)


def cusum_test(
    series: pd.DataFrame,
    *,
    value_column: str = "value",
    scale: Scale = "level",
    trend: bool = True,
    alpha: float = 0.05,
    frequency: Literal["auto", "annual", "monthly"] = "auto",
) -> pd.DataFrame:
    """CUSUM stability tests of a linear trend (no break date needed).

    Parameters
    ----------
    series : pandas.DataFrame
        Tidy series: ``year`` (and ``month``) and the value column; contiguous. Not modified.
    value_column : str, default "value"
        Column with the values.
    scale : {"level", "log"}, default "level"
        Test log(value) with ``log``.
    trend : bool, default True
        Intercept and trend (``False``: intercept only).
    alpha : {0.01, 0.05, 0.10}, default 0.05
        Significance level.
    frequency : {"auto", "annual", "monthly"}, default "auto"
        Series frequency.

    Returns
    -------
    pandas.DataFrame
        Two rows, ``test`` = ``ols_cusum`` (Ploberger and Kraemer 1992, Econometrica
        60:271-285; statsmodels ``breaks_cusumolsresid``) and ``recursive_cusum`` (Brown,
        Durbin and Evans 1975, JRSS B 37:149-192; statsmodels ``RecursiveLS``), with
        ``statistic``, ``p_value`` (NaN for the recursive test, which reports a bound
        crossing), ``critical_value``, ``reject`` (bool), ``first_crossing`` (period where
        the recursive CUSUM first leaves its bounds, "" if never) and ``n``.

    Raises
    ------
    HilirDataError
        Bad series, an alpha other than 0.01, 0.05 or 0.10, or fewer than k + 3 points.
    """
    import statsmodels.api as sm
    from statsmodels.stats.diagnostic import breaks_cusumolsresid

    data, y, x, k = _cusum_setup(series, value_column, scale, trend, alpha, frequency)
    resid = sm.OLS(y, x).fit().resid
    stat, pval, crit = breaks_cusumolsresid(resid, ddof=k)
    critical = float(dict(crit)[round(alpha * 100)])
    path = _recursive_cusum(data, y, x, k, alpha)
    outside = (path["cusum"] < path["lower"]) | (path["cusum"] > path["upper"])
    first = ""
    if outside.any():
        first = data.label(data.n - len(path) + int(np.flatnonzero(outside.to_numpy())[0]))
    scaled = path["cusum"].abs() / path["upper"]
    return pd.DataFrame(
        [
            {
                "test": "ols_cusum",
                "statistic": float(stat),
                "p_value": float(pval),
                "critical_value": critical,
                "reject": bool(pval < alpha),
                "first_crossing": "",
                "n": data.n,
            },
            {
                "test": "recursive_cusum",
                "statistic": float(scaled.max()),
                "p_value": np.nan,
                "critical_value": 1.0,
                "reject": bool(outside.any()),
                "first_crossing": first,
                "n": data.n,
            },
        ]
    )


def cusum_path(
    series: pd.DataFrame,
    *,
    value_column: str = "value",
    scale: Scale = "level",
    trend: bool = True,
    alpha: float = 0.05,
    frequency: Literal["auto", "annual", "monthly"] = "auto",
) -> pd.DataFrame:
    """The recursive-residual CUSUM path and its significance bounds, ready to chart.

    Parameters
    ----------
    series, value_column, scale, trend, alpha, frequency
        As :func:`cusum_test`.

    Returns
    -------
    pandas.DataFrame
        ``year`` (and ``month``), ``cusum`` (scaled cumulative sum of recursive residuals,
        unitless), ``lower``, ``upper`` (bounds at ``alpha``); one row per period after the
        k periods that start the recursion.

    Notes
    -----
    W_r = sum_{j=k+1..r} w_j / s, with w_j the recursive residuals and s their standard
    deviation (statsmodels ``RecursiveLS.cusum``). The bounds are the straight lines
    +/- [a sqrt(n - k) + 2 a (r - k) / sqrt(n - k)], a = 1.143, 0.948, 0.850 for 1, 5, 10 %
    (Brown, Durbin and Evans 1975, JRSS B 37:149-192).
    """
    data, y, x, k = _cusum_setup(series, value_column, scale, trend, alpha, frequency)
    return _recursive_cusum(data, y, x, k, alpha)


def _cusum_setup(
    series: pd.DataFrame,
    value_column: str,
    scale: Scale,
    trend: bool,
    alpha: float,
    frequency: str,
) -> tuple[SeriesData, np.ndarray, np.ndarray, int]:
    """Check the options and the series; return it, y, the regressors and k."""
    if alpha not in _CUSUM_ALPHAS:
        raise HilirDataError(f"alpha must be one of {list(_CUSUM_ALPHAS)}, not {alpha!r}")
    k = 2 if trend else 1
    data, y = _prepare(series, value_column, scale, frequency, min_points=k + 3)
    return data, y, _regressors(data.t, trend), k


def _recursive_cusum(
    data: SeriesData, y: np.ndarray, x: np.ndarray, k: int, alpha: float
) -> pd.DataFrame:
    """The :func:`cusum_path` frame for prepared inputs."""
    import statsmodels.api as sm

    res = sm.RecursiveLS(y, x).fit()
    cusum = np.asarray(res.cusum, dtype=float)
    n = data.n
    r = np.arange(n - len(cusum) + 1, n + 1, dtype=float)  # 1-based observation numbers
    a = _BDE_CONSTANTS[alpha]
    upper = a * np.sqrt(n - k) + 2 * a * (r - k) / np.sqrt(n - k)
    out = data.periods.iloc[n - len(cusum) :].reset_index(drop=True)
    out["cusum"] = cusum
    out["lower"] = -upper
    out["upper"] = upper
    return out
