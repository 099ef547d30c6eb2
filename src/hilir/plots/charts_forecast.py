"""Forecast chart: an observed annual series and its forecast with the prediction interval."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from hilir.errors import HilirDataError
from hilir.i18n import format_money, format_number
from hilir.i18n.catalog import Lang
from hilir.i18n.catalog import t as say
from hilir.i18n.labels import forecast_model_label, geography_label
from hilir.plots.charts_series import chain_of_item
from hilir.plots.common import (
    Chart,
    as_notes,
    cap,
    geo_code,
    item_label,
    money_axis,
    period_text,
)
from hilir.plots.layout import NumberFormatter, year_axis
from hilir.plots.sources import Note
from hilir.plots.style import BAND_ALPHA, CONTEXT, GRID, Size, chain_colour, chart_style
from hilir.provenance.sidecar import Provenance


def forecast_data(result: Any) -> pd.DataFrame:
    """The table of a :class:`hilir.policy.ForecastResult` with the chart's columns.

    Returns
    -------
    pandas.DataFrame
        ``year, kind ('observed' | 'forecast'), value, lower, upper, unit, method,
        last_observed`` (annual forecasts only).
    """
    tab = result.table.copy()
    if "month" in tab.columns and tab["month"].notna().any():
        raise HilirDataError("plot_forecast draws annual forecasts only")
    tab["unit"] = result.unit
    keep = ["year", "kind", "value", "lower", "upper", "unit", "method", "last_observed"]
    return tab[[c for c in keep if c in tab.columns]].reset_index(drop=True)


def plot_forecast(
    result: Any,
    *,
    lang: Lang = "id",
    geography: str,
    item: str,
    title: str | None = None,
    subtitle: str | None = None,
    note: Note | Sequence[Note] | None = None,
    size: Size = "full",
    sources: Iterable[str | Provenance] | None = None,
) -> Figure:
    """Observed series and forecast with its prediction interval (a band), by year.

    Parameters
    ----------
    result : hilir.policy.ForecastResult
        :func:`hilir.policy.forecast` output (annual).
    lang : {"id", "en"}
    geography : str
    item : str
        Product or chain key of the series (named in the title).
    title, subtitle, note, size
        As :func:`hilir.plots.plot_stage_share`.
    sources : iterable of str
        Provenance keys of the series (the forecast table carries none).
    """
    ch = Chart("forecast", lang=lang, size=size)
    data = forecast_data(result)
    code = geo_code(geography)
    obs = data[data["kind"] == "observed"]
    fc = data[data["kind"] == "forecast"]
    if fc.empty or obs.empty:
        raise HilirDataError("the forecast has no observed or no forecast rows")
    years = sorted({int(y) for y in data["year"]})
    with chart_style(size):
        fig, axes = ch.figure()
        unit = _draw_forecast(axes[0, 0], obs, fc, result, item=item, years=years, lang=ch.lang)
        auto_title = _forecast_title(fc.iloc[-1], result, item=item, geo=code, lang=ch.lang)
        ch.finish(
            fig,
            data=data,
            title=title or cap(auto_title),
            subtitle=subtitle
            or say(
                "chart.forecast.subtitle",
                ch.lang,
                unit=unit,
                period=period_text(years),
                geo=geography_label(code, ch.lang),
            ),
            frames=[data],
            sources=sources,
            notes=[_forecast_note(result), *as_notes(note)],
            latest_year=int(obs["year"].max()),
        )
    return ch.done(fig)


def _is_money(result: Any) -> bool:
    """Whether the forecast is in US dollars (else a quantity in ``result.unit``)."""
    return str(result.unit).upper().startswith("USD")


def _draw_forecast(
    ax: Any,
    obs: pd.DataFrame,
    fc: pd.DataFrame,
    result: Any,
    *,
    item: str,
    years: list[int],
    lang: str,
) -> str:
    """Draw the observed line, the forecast and its band on ``ax``; return the axis unit."""
    colour = chain_colour(chain_of_item(item))
    ax.plot(obs["year"], obs["value"], color=colour, zorder=3)
    x = np.concatenate([[obs["year"].iloc[-1]], fc["year"].to_numpy()])
    y = np.concatenate([[obs["value"].iloc[-1]], fc["value"].to_numpy()])
    lo = np.concatenate([[obs["value"].iloc[-1]], fc["lower"].to_numpy()])
    hi = np.concatenate([[obs["value"].iloc[-1]], fc["upper"].to_numpy()])
    ax.fill_between(x, lo, hi, color=colour, alpha=BAND_ALPHA, linewidth=0)
    ax.plot(x, y, color=colour, linestyle=(0, (3, 2)), zorder=3)
    ax.axvline(float(obs["year"].iloc[-1]), color=CONTEXT, linewidth=0.8, linestyle=(0, (1, 2)))
    values = np.concatenate([obs["value"].to_numpy(), hi])
    if _is_money(result):
        _, unit = money_axis(ax, values, lang)
    else:
        ax.yaxis.set_major_formatter(NumberFormatter(lang))
        unit = str(result.unit)
    ax.set_ylim(0, float(np.nanmax(values)) * 1.1)
    year_axis(ax, years)
    ax.grid(axis="y", color=GRID, linewidth=0.5)
    return unit


def _forecast_title(last: pd.Series, result: Any, *, item: str, geo: str, lang: str) -> str:
    """Finding: the forecast of the last year, central value and interval."""

    def fmt(v: float) -> str:
        if _is_money(result):
            return format_money(v, lang=lang)
        return format_number(v, lang=lang, words=True)

    return say(
        "chart.forecast.title",
        lang,
        item=item_label(item, lang),
        geo=geography_label(geo, lang),
        year=str(int(last["year"])),
        low=fmt(float(last["lower"])),
        high=fmt(float(last["upper"])),
        central=fmt(float(last["value"])),
    )


def _forecast_note(result: Any) -> dict[str, str]:
    """The model and interval note, in both languages."""
    coverage = 1.0 - float(getattr(result, "alpha", 0.05))
    return {
        lang: say(
            "chart.forecast.note",
            lang,
            model=forecast_model_label(str(result.model), lang),
            coverage=format_number(coverage * 100, lang=lang, decimals=0),
            last=str(result.last_observed),
        )
        for lang in ("id", "en")
    }
