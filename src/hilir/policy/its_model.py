"""The regression behind :func:`hilir.policy.fit_its`: design matrix and error models.

:func:`design` builds the regressors (baseline intercept and trend, each event's level,
slope or temporary term, optional month dummies); :func:`estimate` fits them by OLS, OLS with
Newey-West errors, or feasible GLS with AR(1) errors whose correlation
:func:`reml_ar1_rho` estimates by restricted maximum likelihood.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np

from hilir.errors import HilirDataError
from hilir.policy.events import period_share
from hilir.policy.its_events import ResolvedEvent
from hilir.policy.series import SeriesData

__all__ = ["ERROR_MODELS", "ErrorModel", "design", "estimate", "reml_ar1_rho"]

ErrorModel = Literal["ar1", "hac", "ols"]
ERROR_MODELS = ("ar1", "hac", "ols")
_RHO_BOUND = 0.99


def design(
    data: SeriesData, placed: list[ResolvedEvent], *, seasonal: bool
) -> tuple[np.ndarray, list[tuple[str, str]], list[int], list[str]]:
    """Regressors, (term, event) names, indices of event columns, and notes."""
    n = data.n
    t = data.t
    cols = [np.ones(n), t]
    names = [("intercept", ""), ("trend", "")]
    event_cols: list[int] = []
    notes: list[str] = []
    for ev in placed:
        if ev.effect == "temporary":
            share = period_share(data.periods, ev.start, ev.end, frequency=data.frequency)
            cols.append(share)
            names.append(("temporary", ev.event))
            event_cols.append(len(cols) - 1)
            continue
        step = (np.arange(n) >= ev.first).astype(float)
        cols.append(step)
        names.append(("level_change", ev.event))
        event_cols.append(len(cols) - 1)
        if ev.effect == "break":
            if ev.n_post < 2:
                notes.append(
                    f"{ev.event}: one period after the event ({data.label(ev.first)}), so no "
                    "slope change can be estimated; the model keeps a level change only."
                )
            else:
                cols.append(np.where(step > 0, t - t[ev.first], 0.0))
                names.append(("slope_change", ev.event))
                event_cols.append(len(cols) - 1)
    if seasonal:
        if data.frequency != "monthly":
            raise HilirDataError("seasonal=True needs a monthly series")
        months = data.periods["month"].to_numpy()
        for m in range(2, 13):
            cols.append((months == m).astype(float))
            names.append((f"month_{m:02d}", ""))
    x = np.column_stack(cols)
    rank = np.linalg.matrix_rank(x)
    if rank < x.shape[1]:
        raise HilirDataError(
            "the events cannot be told apart on this series (the regressors are collinear): "
            "events in the same or adjacent periods, or an event effect that is constant "
            "over the whole series; drop an event or use effect='level'"
        )
    return x, names, event_cols, notes


def _prais_winsten(a: np.ndarray, rho: float) -> np.ndarray:
    out = np.empty_like(a, dtype=float)
    out[0] = math.sqrt(1.0 - rho * rho) * a[0]
    out[1:] = a[1:] - rho * a[:-1]
    return out


def _reml_objective(rho: float, y: np.ndarray, x: np.ndarray) -> float:
    """Minus the REML log-likelihood of AR(1) errors, profiled over beta and sigma."""
    n, k = x.shape
    xs = _prais_winsten(x, rho)
    ys = _prais_winsten(y, rho)
    q, r = np.linalg.qr(xs)
    resid = ys - q @ (q.T @ ys)
    rss = float(resid @ resid)
    if rss <= 0:
        return -np.inf
    logdet_xtx = 2.0 * float(np.sum(np.log(np.abs(np.diag(r)))))
    return 0.5 * (-math.log(1.0 - rho * rho) + logdet_xtx + (n - k) * math.log(rss / (n - k)))


def reml_ar1_rho(y: np.ndarray, x: np.ndarray) -> float:
    """REML estimate of the AR(1) correlation of regression errors.

    Parameters
    ----------
    y : numpy.ndarray
        Response, shape (n,).
    x : numpy.ndarray
        Regressors, shape (n, k), full column rank.

    Returns
    -------
    float
        rho in [-0.99, 0.99] (unitless).

    Notes
    -----
    With the Prais-Winsten transform P (P'P = V^-1, det V = 1 / (1 - rho^2)), the restricted
    log-likelihood profiled over beta and sigma^2 is, up to a constant,
    -1/2 [ -log(1 - rho^2) + log|X*'X*| + (n - k) log(RSS*(rho) / (n - k)) ] with X* = P X
    and RSS* the GLS residual sum of squares (Harville 1977, JASA 72:320-338). REML removes
    most of the downward bias of the ML estimate of rho in short series with a trend, which
    is what makes plain ML or iterated Cochrane-Orcutt intervals too narrow.
    """
    from scipy.optimize import minimize_scalar

    grid = np.linspace(-0.95, 0.95, 39)
    values = np.array([_reml_objective(r, y, x) for r in grid])
    best = grid[int(np.nanargmin(values))]
    lo = max(-_RHO_BOUND, best - 0.05)
    hi = min(_RHO_BOUND, best + 0.05)
    res = minimize_scalar(
        _reml_objective, bounds=(lo, hi), args=(y, x), method="bounded", options={"xatol": 1e-5}
    )
    return float(res.x)


def estimate(
    y: np.ndarray, x: np.ndarray, error_model: ErrorModel, hac_maxlags: int | None
) -> tuple[np.ndarray, np.ndarray, int, float | None, str]:
    """Coefficients, covariance, df for t quantiles, rho, and a description."""
    import statsmodels.api as sm

    n, k = x.shape
    if error_model == "ar1":
        rho = reml_ar1_rho(y, x)
        fit = sm.OLS(_prais_winsten(y, rho), _prais_winsten(x, rho)).fit()
        df = n - k - 1
        return fit.params, fit.cov_params(), df, rho, "AR(1) errors, REML rho, feasible GLS"
    if error_model == "hac":
        lags = hac_maxlags if hac_maxlags is not None else int(4 * (n / 100) ** (2 / 9))
        fit = sm.OLS(y, x).fit(
            cov_type="HAC", cov_kwds={"maxlags": lags, "use_correction": True}, use_t=True
        )
        return fit.params, fit.cov_params(), n - k, None, f"OLS, Newey-West HAC ({lags} lags)"
    fit = sm.OLS(y, x).fit()
    return fit.params, fit.cov_params(), n - k, None, "OLS, independent errors"
