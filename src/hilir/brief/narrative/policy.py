"""Sentences about policy events: before/after, interrupted time series, forecasts."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from hilir.brief.narrative._common import _direction, _mid, _name
from hilir.brief.texts import say
from hilir.errors import HilirDataError
from hilir.i18n import (
    format_date,
    format_money,
    format_number,
    format_percent,
    format_range,
    format_ratio,
)
from hilir.i18n.catalog import check_lang, has
from hilir.i18n.labels import geography_label


def policy_jump(
    series: pd.DataFrame,
    *,
    lang: str,
    item: str,
    event: str,
    year_to: int | None = None,
    events: pd.DataFrame | None = None,
    geography: str = "IDN",
) -> str:
    """Exports of a product the year before a policy event and in a later year.

    Parameters
    ----------
    series : pandas.DataFrame
        Annual ``year, value`` series (USD), e.g. ``trade_series(exports, hs_code="720260")``.
    item : str
        Registry product key (``ferronickel``).
    event : str
        Policy event id (``nickel_ore_ban_2014``).
    year_to : int, optional
        Later year (default: the year before the next event on the same chain, else the
        last year of the series).
    events : pandas.DataFrame, optional
        Policy events (default :func:`hilir.policy.policy_events`).
    """
    from hilir.policy import policy_events

    check_lang(lang)
    ev = policy_events() if events is None else events
    row = ev[ev["event_id"] == event]
    if row.empty:
        raise HilirDataError(f"no policy event {event!r}")
    start = pd.Timestamp(row["start_date"].iloc[0])
    y0 = start.year - 1  # the last full year before the event
    s = series.dropna(subset=["value"]).set_index("year")["value"]
    y1 = int(s.index.max()) if year_to is None else int(year_to)
    if y0 not in s.index or y1 not in s.index:
        raise HilirDataError(f"the series has no value for {y0} or {y1}")
    a, b = float(s.loc[y0]), float(s.loc[y1])
    precision = str(row["date_precision"].iloc[0])
    return say(
        f"say.policy_jump.{_direction(b - a)}",
        lang,
        geo=geography_label(geography, lang),
        item=_name("product", item, lang),
        a=format_money(a, lang=lang),
        y0=str(y0),
        b=format_money(b, lang=lang),
        y1=str(y1),
        ratio=format_ratio(b / a, lang=lang) if a > 0 else "-",
        event=_mid(str(row[f"label_{lang}"].iloc[0]), lang),
        date=format_date(start, lang, precision=precision),  # type: ignore[arg-type]
    )


def event_items(
    events: pd.DataFrame, *, lang: str, chains: Iterable[str] | None = None
) -> list[str]:
    """Dated bullet items of policy events: ``12 Januari 2014 (nikel): Larangan ...``.

    Parameters
    ----------
    events : pandas.DataFrame
        :func:`hilir.policy.policy_events` output.
    chains : iterable of str, optional
        Keep events touching these chains.
    """
    check_lang(lang)
    df = events.sort_values("start_date")
    if chains is not None:
        wanted = set(chains)
        df = df[df["chains"].map(lambda c: bool(set(str(c).split(";")) & wanted))]
    out = []
    for _, row in df.iterrows():
        date = format_date(row["start_date"], lang, precision=str(row["date_precision"]))
        if pd.notna(row.get("end_date")):
            date = say(
                "say.event.period",
                lang,
                start=date,
                end=format_date(row["end_date"], lang, precision="day"),
            )
        names = ", ".join(_name("chain", c, lang) for c in str(row["chains"]).split(";") if c)
        out.append(
            say("say.event.item", lang, date=date, chains=names, label=str(row[f"label_{lang}"]))
        )
    return out


def its_effect(fit: Any, *, lang: str, item: str, geography: str = "IDN") -> str:
    """The interrupted-time-series reading of the last period: observed against no-policy trend.

    Parameters
    ----------
    fit : hilir.policy.ITSResult
        :func:`hilir.policy.fit_its` output.
    item : str
        Product or chain key of the series.
    geography : str, default "IDN"

    Returns
    -------
    str
        The last period's observed value as a multiple of the counterfactual trend, with the
        range from the counterfactual band, the events, and a low-power caveat when the model
        flags one.
    """
    from hilir.policy import policy_events

    check_lang(lang)
    f = fit.fitted.dropna(subset=["observed", "counterfactual"])
    last = f.iloc[-1]
    obs, cf = float(last["observed"]), float(last["counterfactual"])
    lo = obs / float(last["cf_high"]) if float(last["cf_high"]) > 0 else np.nan
    hi = obs / float(last["cf_low"]) if float(last["cf_low"]) > 0 else np.nan
    ev = policy_events()
    ids = list(fit.events["event"]) if isinstance(fit.events, pd.DataFrame) else list(fit.events)
    labels = [
        str(ev.loc[ev["event_id"] == e, f"label_{lang}"].iloc[0])
        for e in ids
        if (ev["event_id"] == e).any()
    ]
    money = str(fit.unit).upper().startswith("USD")
    value = format_money(obs, lang=lang) if money else format_number(obs, lang=lang, words=True)
    fam = "product" if has(f"product.{item}") else "chain"
    text = say(
        f"say.its.{'above' if obs >= cf else 'below'}",
        lang,
        geo=geography_label(geography, lang),
        item=_name(fam, item, lang),
        year=str(int(last["year"])),
        value=value,
        ratio=format_ratio(obs / cf, lang=lang) if cf > 0 else "-",
        range=format_range(lo, hi, lang=lang, decimals=1)
        if np.isfinite(lo) and np.isfinite(hi)
        else "-",
        events="; ".join(labels),
    )
    if any("low power" in str(n) for n in fit.notes):
        text += " " + say("say.its.low_power", lang)
    if any("random walk" in str(n) for n in fit.notes):
        text += " " + say("say.its.random_walk", lang)
    return text


def forecast_range(result: Any, *, lang: str, item: str, geography: str = "IDN") -> str:
    """The projection for the last forecast year, its interval, model and last observed year."""
    check_lang(lang)
    tab = result.table
    fc = tab[tab["kind"] == "forecast"]
    if fc.empty:
        raise HilirDataError("the forecast has no forecast rows")
    last = fc.iloc[-1]
    money = str(result.unit).upper().startswith("USD")
    fmt = (
        (lambda v: format_money(v, lang=lang))
        if money
        else (lambda v: format_number(v, lang=lang, words=True))
    )
    fam = "product" if has(f"product.{item}") else "chain"
    return say(
        "say.forecast",
        lang,
        geo=geography_label(geography, lang),
        item=_name(fam, item, lang),
        year=str(int(last["year"])),
        central=fmt(float(last["value"])),
        low=fmt(float(last["lower"])),
        high=fmt(float(last["upper"])),
        coverage=format_percent(1.0 - float(result.alpha), lang=lang, decimals=0),
        model=str(result.model),
        last=str(result.last_observed),
    )


def backtest_summary(result: Any, *, lang: str, horizon: int = 1) -> str:
    """How the methods did in the rolling-origin back-test at one horizon (MAPE, coverage)."""
    check_lang(lang)
    s = result.summary
    s = s[s["horizon"] == horizon].dropna(subset=["mape"]).sort_values("mape")
    if s.empty:
        raise HilirDataError(f"the back-test has no errors at horizon {horizon}")
    items = [
        say(
            "say.backtest.item",
            lang,
            method=str(r["method"]).upper(),
            mape=format_number(float(r["mape"]), lang=lang, decimals=0),
        )
        for _, r in s.iterrows()
    ]
    best = s.iloc[0]
    return say(
        "say.backtest",
        lang,
        n=str(int(best["n_forecasts"])),
        horizon=str(int(horizon)),
        listed="; ".join(items),
        best=str(best["method"]).upper(),
    )


def events_after_data(
    events: pd.DataFrame, *, lang: str, chains: Iterable[str], last_year: int
) -> str | None:
    """Policy events of the chains that fall after the last year of the data (not assessable)."""
    check_lang(lang)
    wanted = set(chains)
    df = events[events["chains"].map(lambda c: bool(set(str(c).split(";")) & wanted))]
    df = df[pd.to_datetime(df["start_date"]).dt.year > int(last_year)].sort_values("start_date")
    if df.empty:
        return None
    items = []
    for _, row in df.iterrows():
        date = format_date(row["start_date"], lang, precision=str(row["date_precision"]))
        items.append(f"{row[f'label_{lang}']} ({date})")
    return say("say.events_after", lang, year=str(int(last_year)), items="; ".join(items))
