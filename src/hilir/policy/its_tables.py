"""Tables of :func:`hilir.policy.fit_its`: coefficients, fitted lines, band diagnostics.

Also the placed events, the plain-language notes, and the optional deflation of the input.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from hilir.policy.its_events import ResolvedEvent
from hilir.policy.series import SeriesData

__all__ = [
    "coefficient_table",
    "deflated",
    "events_frame",
    "fit_notes",
    "fitted_table",
    "low_power_messages",
    "source_keys",
]


def deflated(
    series: pd.DataFrame,
    prices: pd.DataFrame | None,
    price_series: str,
    base_year: int,
    value_column: str,
) -> tuple[pd.DataFrame, str | None]:
    """The series in ``base_year`` dollars of ``price_series`` and a description, or as given.

    The deflator's provenance keys are added to the series' ``source`` (joined with ``+``)
    so charts of the fit cite the deflator too.
    """
    if prices is None:
        return series, None
    from hilir.policy.series import deflate

    out = deflate(
        series, prices, price_series=price_series, value_column=value_column, base_year=base_year
    )
    out = out.drop(columns=["price"])
    if "source" in prices.columns:
        used = prices.loc[prices["series"] == price_series, "source"].dropna().unique()
        keys = sorted({k for v in used for k in str(v).split("+") if k})
        if keys:
            own = out["source"].astype(str) + "+" if "source" in out.columns else ""
            out["source"] = own + "+".join(keys)
    return out, f"{price_series} index, {base_year} = 100"


def coefficient_table(
    names: list[tuple[str, str]],
    beta: np.ndarray,
    se: np.ndarray,
    crit: float,
    pval: np.ndarray,
    placed: list[ResolvedEvent],
    data: SeriesData,
    *,
    scale: str,
    error_model: str,
) -> pd.DataFrame:
    """One row per term: estimate, standard error, t interval, p value, points and unit."""
    n = data.n
    period = "year" if data.frequency == "annual" else "month"
    base_unit = data.unit or "value"
    by_event = {ev.event: ev for ev in placed}
    first_event = min(ev.first for ev in placed)
    rows = []
    for j, (term, event) in enumerate(names):
        per_period = term in ("trend", "slope_change")
        if scale == "log":
            term_unit = f"log points per {period}" if per_period else "log points"
            if term == "intercept":
                term_unit = f"log({base_unit})"
        else:
            term_unit = f"{base_unit} per {period}" if per_period else base_unit
        ev = by_event.get(event)
        rows.append(
            {
                "term": term,
                "event": event,
                "estimate": beta[j],
                "std_error": se[j],
                "ci_low": beta[j] - crit * se[j],
                "ci_high": beta[j] + crit * se[j],
                "p_value": pval[j],
                "error_model": error_model,
                "n_pre": ev.n_pre if ev else first_event,
                "n_post": ev.n_post if ev else n - first_event,
                "unit": term_unit,
            }
        )
    coefficients = pd.DataFrame(rows)
    coefficients["n_pre"] = coefficients["n_pre"].astype("int64")
    coefficients["n_post"] = coefficients["n_post"].astype("int64")
    return coefficients


def fitted_table(
    data: SeriesData,
    x: np.ndarray,
    beta: np.ndarray,
    cov: np.ndarray,
    event_cols: list[int],
    crit: float,
    placed: list[ResolvedEvent],
    *,
    scale: str,
) -> tuple[pd.DataFrame, np.ndarray]:
    """Per period: observed, fitted, counterfactual with its band, effect and segment.

    Also returns the lower edge of the band (in the series' unit), for the notes.
    """
    n = data.n
    x_cf = x.copy()
    x_cf[:, event_cols] = 0.0
    fit_line = x @ beta
    cf = x_cf @ beta
    cf_se = np.sqrt(np.clip(np.einsum("ij,jk,ik->i", x_cf, cov, x_cf), 0, None))
    lo, hi = cf - crit * cf_se, cf + crit * cf_se
    if scale == "log":
        fit_line, cf, lo, hi = np.exp(fit_line), np.exp(cf), np.exp(lo), np.exp(hi)
    segment = np.array(["pre"] * n, dtype=object)
    for ev in sorted(placed, key=lambda e: e.first):
        segment[ev.first :] = ev.event
    fitted = data.periods.copy()
    fitted["observed"] = data.y
    fitted["fitted"] = fit_line
    fitted["counterfactual"] = cf
    fitted["cf_low"] = lo
    fitted["cf_high"] = hi
    fitted["effect"] = fit_line - cf
    fitted["segment"] = segment
    with np.errstate(divide="ignore", invalid="ignore"):
        fitted["band_ratio"] = np.where(lo > 0, hi / lo, np.inf)
        fitted["band_width_rel"] = (hi - lo) / np.abs(cf)
        fitted["band_factor"] = np.where(lo > 0, np.maximum(hi / cf, cf / lo), np.inf)
    return fitted, lo


def fit_notes(rho: float | None, data: SeriesData, lo: np.ndarray, *, scale: str) -> list[str]:
    """Caveats on the error correlation, a band below zero, and the log scale."""
    notes = []
    if rho is not None:
        notes.append(f"Estimated AR(1) error correlation rho = {rho:.2f}.")
        if abs(rho) > 0.9:
            notes.append(
                "rho is close to 1: the errors behave like a random walk, so intervals may be "
                "too narrow; consider a log scale, a deflated series or differences."
            )
    if scale == "level" and (data.y >= 0).all() and (lo < 0).any():
        notes.append(
            "The counterfactual band goes below zero: the pre-event trend is poorly determined "
            "on this series; read the band as wide, or try scale='log' or a deflated series."
        )
    if scale == "log":
        notes.append(
            "Log scale: a level change b means a jump of 100 (exp(b) - 1) %; fitted and "
            "counterfactual lines are medians."
        )
    return notes


def low_power_messages(
    placed: list[ResolvedEvent], data: SeriesData, low_power_below: int
) -> list[str]:
    """One message per non-temporary event with fewer than ``low_power_below`` periods after."""
    return [
        f"{ev.event}: only {ev.n_post} period(s) after the event "
        f"({data.label(ev.first)}-{data.label(data.n - 1)}); its effect has low "
        "power and is indicative only."
        for ev in placed
        if ev.effect != "temporary" and ev.n_post < low_power_below
    ]


def events_frame(placed: list[ResolvedEvent], data: SeriesData) -> pd.DataFrame:
    """The events as placed on the series, one row each."""
    return pd.DataFrame(
        {
            "event": [ev.event for ev in placed],
            "start_date": [ev.start for ev in placed],
            "end_date": [ev.end if ev.end is not None else pd.NaT for ev in placed],
            "effect": [ev.effect for ev in placed],
            "first_period": [data.label(ev.first) for ev in placed],
            "n_pre": [ev.n_pre for ev in placed],
            "n_post": [ev.n_post for ev in placed],
        }
    )


def source_keys(series: pd.DataFrame) -> str | None:
    """Distinct provenance keys of the series joined with ``+``; None without ``source``."""
    if "source" not in series.columns:
        return None
    keys: set[str] = set()
    for value in series["source"].dropna().unique():
        keys.update(k.strip() for k in str(value).split("+") if k.strip())
    return "+".join(sorted(keys))
