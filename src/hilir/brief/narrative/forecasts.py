"""Sentences about forecasts: the projection when its interval is informative, and why not.

A forecast is headlined only when the interval of its last year passes the plausibility
gate's band check, for a year after the data; a year already past at build time says the
data end earlier (issue 12, finding 6).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from hilir.brief.gate import Check, Headline, band_check, forecast_check
from hilir.brief.narrative._common import _cap, _name
from hilir.brief.narrative.policy import _family, _value
from hilir.brief.texts import say
from hilir.errors import HilirDataError
from hilir.i18n import format_number, format_percent, format_ratio
from hilir.i18n.catalog import check_lang
from hilir.i18n.labels import forecast_method_label, forecast_model_label, geography_label

__all__ = ["forecast_chart_title", "forecast_checks", "forecast_headline", "forecast_range"]


def forecast_checks(
    result: Any, *, item: str, build_year: int | None = None, year: int | None = None
) -> tuple[Check, Check]:
    """The gate checks of a forecast year: after the data (saying so when past), and its band.

    Parameters
    ----------
    result : hilir.policy.ForecastResult
        :func:`hilir.policy.forecast` output.
    item : str
        Product key (names the number checked).
    build_year : int, optional
        Year the brief is built; default ``result.build_year``, else this year (the clock
        is read here, in the brief layer, never in the model).
    year : int, optional
        Forecast year checked; default the last one.

    Returns
    -------
    tuple of hilir.brief.gate.Check
        ``forecast`` check (a year after the data; :func:`forecast_range` states the data
        end when the year is past) and ``band`` check of its prediction interval.
    """
    row = _forecast_row(result, year)
    built = _build_year(result, build_year)
    what = f"forecast of {item} for {int(row['year'])}"
    return (
        forecast_check(
            int(row["year"]),
            last_observed=int(result.last_observed_year),
            build_year=built,
            what=what,
            says_data_end=True,
        ),
        band_check(float(row["value"]), float(row["lower"]), float(row["upper"]), what=what),
    )


def forecast_headline(
    result: Any,
    *,
    lang: str,
    item: str,
    geography: str = "IDN",
    build_year: int | None = None,
) -> Headline:
    """:func:`forecast_range` with the checks of the number it quotes, for ``Brief.summary``."""
    checks = forecast_checks(result, item=item, build_year=build_year)
    text = forecast_range(result, lang=lang, item=item, geography=geography, build_year=build_year)
    return Headline(text, *checks) if checks[1].passed else Headline(text, checks[0])


def _forecast_row(result: Any, year: int | None) -> pd.Series:
    tab = result.table
    fc = tab[tab["kind"] == "forecast"]
    if year is not None:
        fc = fc[fc["year"] == int(year)]
    if fc.empty:
        raise HilirDataError(
            f"the forecast has no forecast rows{'' if year is None else f' for {year}'}"
        )
    return fc.iloc[-1]


def _build_year(result: Any, build_year: int | None) -> int:
    if build_year is not None:
        return int(build_year)
    if getattr(result, "build_year", None) is not None:
        return int(result.build_year)
    return dt.date.today().year


def forecast_range(
    result: Any,
    *,
    lang: str,
    item: str,
    geography: str = "IDN",
    build_year: int | None = None,
) -> str:
    """The projection for the last forecast year when its interval is informative.

    Parameters
    ----------
    result : hilir.policy.ForecastResult
        :func:`hilir.policy.forecast` output.
    item : str
        Product or chain key.
    geography : str, default "IDN"
    build_year : int, optional
        Year the brief is built; default ``result.build_year``, else this year.

    Returns
    -------
    str
        The central value, interval, model and last observed year when the interval passes
        the gate's band check; otherwise that no projection is given and why. Followed by
        how the model was chosen (``method="backtest"``) and, when the year is already past
        at ``build_year``, that the data end earlier.
    """
    check_lang(lang)
    last = _forecast_row(result, None)
    fmt = lambda v: _value(v, result.unit, lang)  # noqa: E731
    _, band = forecast_checks(result, item=item, build_year=build_year)
    fields = dict(
        geo=geography_label(geography, lang),
        item=_name(_family(item), item, lang),
        year=str(int(last["year"])),
        low=fmt(float(last["lower"])),
        high=fmt(float(last["upper"])),
        coverage=format_percent(1.0 - float(result.alpha), lang=lang, decimals=0),
        model=forecast_model_label(str(result.model), lang),
    )
    if band.passed:
        text = say(
            "say.forecast",
            lang,
            central=fmt(float(last["value"])),
            last=str(result.last_observed),
            **fields,
        )
    else:
        text = say(
            "say.policy.forecast_no_estimate",
            lang,
            factor=format_ratio(band.value, lang=lang, decimals=1)
            if np.isfinite(band.value)
            else "-",
            limit=format_ratio(band.threshold, lang=lang, decimals=0),
            **fields,
        )
    if getattr(result, "chosen_by", "user") == "backtest":
        listed = "; ".join(
            say(
                "say.backtest.item",
                lang,
                method=forecast_method_label(str(m), lang),
                mape=format_number(v, lang=lang, decimals=0),
            )
            for m, v in sorted(result.backtest_mape.items(), key=lambda kv: kv[1])
        )
        text += " " + say("say.policy.forecast_chosen", lang, listed=listed)
    built = _build_year(result, build_year)
    if int(last["year"]) < built:
        first = int(result.last_observed_year) + 1
        years = str(first) if first == int(last["year"]) else f"{first}-{int(last['year'])}"
        text += " " + say(
            "say.policy.forecast_past",
            lang,
            last=str(result.last_observed),
            years=years,
            build=str(built),
        )
    return text


def forecast_chart_title(
    result: Any, *, lang: str, item: str, geography: str = "IDN", build_year: int | None = None
) -> str | None:
    """A title for the forecast chart that headlines no projection the gate would refuse.

    Returns None when the last forecast year's interval passes the band check and the year
    is not already past at ``build_year`` (the chart's own title is kept); otherwise a
    title naming the last observed year and the width of the interval.
    """
    check_lang(lang)
    _, band = forecast_checks(result, item=item, build_year=build_year)
    last = _forecast_row(result, None)
    past = int(last["year"]) < _build_year(result, build_year)
    if band.passed and not past:
        return None
    return _cap(
        say(
            "say.policy.forecast_title_no_estimate",
            lang,
            geo=geography_label(geography, lang),
            item=_name(_family(item), item, lang),
            last=str(result.last_observed),
            year=str(int(last["year"])),
            factor=format_ratio(band.value, lang=lang, decimals=1)
            if np.isfinite(band.value)
            else "-",
        )
    )
