"""Sentences about policy events: before/after, interrupted time series, forecasts."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from hilir.brief.gate import Check, Headline, band_check
from hilir.brief.narrative._common import _cap, _direction, _mid, _name
from hilir.brief.texts import say
from hilir.errors import HilirDataError
from hilir.i18n import (
    format_date,
    format_money,
    format_number,
    format_range,
    format_ratio,
)
from hilir.i18n.catalog import check_lang, has
from hilir.i18n.labels import forecast_method_label, geography_label


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


def its_band_check(fit: Any, *, item: str) -> Check:
    """The plausibility-gate check of an ITS estimate: its band at the last period.

    Parameters
    ----------
    fit : hilir.policy.ITSResult
        :func:`hilir.policy.fit_its` output.
    item : str
        Product or chain key of the series (names the number checked).

    Returns
    -------
    hilir.brief.gate.Check
        ``band`` check of the counterfactual and its band at the last period: passes when
        the band reaches at most ``max_band_ratio`` (``plausibility.csv``) either side.
    """
    band = fit.band()
    return band_check(
        float(band["counterfactual"]),
        float(band["cf_low"]),
        float(band["cf_high"]),
        what=f"interrupted-time-series no-policy trend of {item}, {fit.last_period}",
    )


def its_headline(fit: Any, *, lang: str, item: str, geography: str = "IDN") -> Headline:
    """:func:`its_effect` with the checks of the number it quotes, for ``Brief.summary``.

    The estimate sentence carries its (passed) band check; the sentence that gives no
    estimate quotes only observed values and carries none.
    """
    check = its_band_check(fit, item=item)
    text = its_effect(fit, lang=lang, item=item, geography=geography)
    return Headline(text, check) if check.passed else Headline(text)


def its_effect(fit: Any, *, lang: str, item: str, geography: str = "IDN") -> str:
    """The interrupted-time-series reading of the last period, when the band is informative.

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
        When the counterfactual band at the last period passes the gate's band check
        (within ``max_band_ratio`` either side of the no-policy trend): the last period's
        observed value as a multiple of that trend, with the range from the band, the
        events, and low-power / random-walk caveats. Otherwise: the observed values the
        year before the first event and in the last period, and why no estimate is given
        (the band, the threshold and, when rho > 0.9, the random-walk errors). A deflated
        fit says its values are in constant dollars.
    """
    check_lang(lang)
    check = its_band_check(fit, item=item)
    text = _its_estimate(fit, lang, item, geography) if check.passed else None
    if text is None:
        text = _its_no_estimate(fit, lang, item, geography, check)
    if fit.deflator:
        base = str(fit.unit).split("at ")[-1].split(" ")[0]
        text += " " + say("say.policy.deflated", lang, year=base)
    return text


def _its_estimate(fit: Any, lang: str, item: str, geography: str) -> str:
    """The sentence quoting the last period as a multiple of the no-policy trend."""
    f = fit.fitted.dropna(subset=["observed", "counterfactual"])
    last = f.iloc[-1]
    obs, cf = float(last["observed"]), float(last["counterfactual"])
    lo = obs / float(last["cf_high"]) if float(last["cf_high"]) > 0 else np.nan
    hi = obs / float(last["cf_low"]) if float(last["cf_low"]) > 0 else np.nan
    text = say(
        f"say.its.{'above' if obs >= cf else 'below'}",
        lang,
        geo=geography_label(geography, lang),
        item=_name(_family(item), item, lang),
        year=str(int(last["year"])),
        value=_value(obs, fit.unit, lang),
        ratio=format_ratio(obs / cf, lang=lang) if cf > 0 else "-",
        range=format_range(lo, hi, lang=lang, decimals=1)
        if np.isfinite(lo) and np.isfinite(hi)
        else "-",
        events="; ".join(_event_labels(fit, lang)),
    )
    if any("low power" in str(n) for n in fit.notes):
        text += " " + say("say.its.low_power", lang)
    if any("random walk" in str(n) for n in fit.notes):
        text += " " + say("say.its.random_walk", lang)
    return text


def _its_no_estimate(fit: Any, lang: str, item: str, geography: str, check: Check) -> str:
    """The observed change around the first event, and why the ITS gives no estimate."""
    from hilir.policy import policy_events

    f = fit.fitted.reset_index(drop=True)
    first = fit.events.sort_values("start_date").iloc[0]
    at = int(f.index[_period_labels(f) == str(first["first_period"])][0])
    before, last = f.iloc[max(at - 1, 0)], f.iloc[-1]
    a, b = float(before["observed"]), float(last["observed"])
    ev = policy_events()
    row = ev[ev["event_id"] == first["event"]]
    label = str(row[f"label_{lang}"].iloc[0]) if not row.empty else str(first["event"])
    precision = str(row["date_precision"].iloc[0]) if not row.empty else "day"
    text = say(
        "say.policy.its_no_estimate",
        lang,
        geo=geography_label(geography, lang),
        item=_name(_family(item), item, lang),
        a=_value(a, fit.unit, lang),
        y0=_period_labels(f.iloc[[max(at - 1, 0)]])[0],
        event=_mid(label, lang),
        date=format_date(pd.Timestamp(first["start_date"]), lang, precision=precision),  # type: ignore[arg-type]
        b=_value(b, fit.unit, lang),
        y1=fit.last_period,
        ratio=format_ratio(b / a, lang=lang) if a > 0 else "-",
        low=_value(float(last["cf_low"]), fit.unit, lang),
        high=_value(float(last["cf_high"]), fit.unit, lang),
        factor=format_ratio(check.value, lang=lang, decimals=1)
        if np.isfinite(check.value)
        else "-",
        limit=format_ratio(check.threshold, lang=lang, decimals=0),
    )
    if fit.rho is not None and abs(float(fit.rho)) > 0.9:
        text += " " + say(
            "say.policy.its_rho", lang, rho=format_number(float(fit.rho), lang=lang, decimals=2)
        )
    return text


def _period_labels(f: pd.DataFrame) -> np.ndarray:
    """``2020`` or ``2020-04`` for each row of a fitted table (as ``ITSResult`` labels)."""
    if "month" in f.columns:
        return np.array(
            [f"{int(y)}-{int(m):02d}" for y, m in zip(f["year"], f["month"], strict=True)]
        )
    return f["year"].astype(int).astype(str).to_numpy()


def _family(item: str) -> str:
    return "product" if has(f"product.{item}") else "chain"


def _value(x: float, unit: str, lang: str) -> str:
    money = str(unit).upper().startswith("USD")
    return format_money(x, lang=lang) if money else format_number(x, lang=lang, words=True)


def _event_labels(fit: Any, lang: str) -> list[str]:
    from hilir.policy import policy_events

    ev = policy_events()
    ids = list(fit.events["event"]) if isinstance(fit.events, pd.DataFrame) else list(fit.events)
    return [
        str(ev.loc[ev["event_id"] == e, f"label_{lang}"].iloc[0])
        for e in ids
        if (ev["event_id"] == e).any()
    ]


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
            method=forecast_method_label(str(r["method"]), lang),
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
        best=forecast_method_label(str(best["method"]), lang),
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


def provincial_events_note(events: pd.DataFrame, *, lang: str) -> str | None:
    """That no provincial (Lampung) measure is on the timeline, or None when one is.

    Parameters
    ----------
    events : pandas.DataFrame
        :func:`hilir.policy.policy_events` output.

    Returns
    -------
    str or None
        The sentence saying every event listed is national (the shipped timeline: no
        Lampung measure was found in the sources read), or None when a label names Lampung.
    """
    check_lang(lang)
    if events["label_en"].astype(str).str.contains("Lampung", case=False).any():
        return None
    return say("say.policy.no_provincial", lang)


def its_deflator_note(fit: Any, *, lang: str) -> str | None:
    """A chart note saying the fit's values are in constant dollars, or None when nominal.

    Parameters
    ----------
    fit : hilir.policy.ITSResult
        :func:`hilir.policy.fit_its` output (``deflator`` set when deflated).

    Returns
    -------
    str or None
        ``Values in constant 2010 US dollars (deflated by the World Bank MUV index)``
        without its final full stop (chart notes add their own), or None.
    """
    check_lang(lang)
    if not getattr(fit, "deflator", None):
        return None
    base = str(fit.unit).split("at ")[-1].split(" ")[0]
    return say("say.policy.deflated", lang, year=base).rstrip(".")


def its_chart_title(fit: Any, *, lang: str, item: str) -> str | None:
    """A title for the ITS chart that quotes no estimate when the band is uninformative.

    Returns None when the band passes the gate (the chart's own title, which quotes the
    multiple of the no-policy trend, is then kept); otherwise the last observed value and
    that the trend is too uncertain to compare with.
    """
    check_lang(lang)
    if its_band_check(fit, item=item).passed:
        return None
    last = fit.fitted.iloc[-1]
    return _cap(
        say(
            "say.policy.its_title_no_estimate",
            lang,
            item=_name(_family(item), item, lang),
            year=fit.last_period,
            value=_value(float(last["observed"]), fit.unit, lang),
        )
    )
