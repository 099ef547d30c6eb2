"""Event chart: a series around policy events, with its no-policy counterfactual band.

Takes the result of :func:`hilir.policy.fit_its` (or its ``fitted`` table) and the policy
events (:func:`hilir.policy.policy_events`): observed values, the fitted segmented trend,
the counterfactual trend without the events with its confidence band, a marker at each
event (a shaded span for a temporary one such as the 2022 CPO export ban) and a short
label in the chart's language.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from hilir.errors import HilirDataError
from hilir.i18n.catalog import Lang, t, text_of
from hilir.i18n.dates import format_date, format_month
from hilir.i18n.labels import geography_label
from hilir.i18n.numbers import format_money, format_number, format_percent, format_ratio
from hilir.i18n.units import ExchangeRate, axis_scale
from hilir.plots.common import (
    Chart,
    as_notes,
    cap,
    check_choice,
    date_x,
    geo_code,
    item_label,
    period_text,
    require,
    to_currency,
)
from hilir.plots.layout import NumberFormatter, event_label, label_line_ends, year_axis
from hilir.plots.sources import Note
from hilir.plots.style import BAND_ALPHA, INK, MUTED, Size, chain_colour, chart_style
from hilir.provenance.sidecar import Provenance

Unit = Literal["usd", "t", "usd_per_t", "index"]
Measure = Literal["export_value", "export_volume", "unit_value", "price"]
_UNIT_OF = {"USD": "usd", "t": "t", "USD/t": "usd_per_t", "index": "index"}
_SERIES_COLUMNS = ("observed", "fitted", "counterfactual", "cf_low", "cf_high")


def _x_of(year: pd.Series, month: pd.Series | None) -> np.ndarray:
    """Position on a numeric year axis: the year, or the middle of the month."""
    y = year.astype(float).to_numpy()
    if month is None:
        return y
    m = pd.to_numeric(month, errors="coerce").to_numpy(dtype=float)
    return np.where(np.isnan(m), y, y + (m - 0.5) / 12.0)


def _events_table(events: pd.DataFrame | None, fit: Any) -> pd.DataFrame:
    """Events with ``start``, ``end``, ``label_id``, ``label_en``, ``precision``."""
    if events is None:
        if fit is None or getattr(fit, "events", None) is None:
            return pd.DataFrame(
                columns=["event", "start", "end", "label_id", "label_en", "precision"]
            )
        events = fit.events
    if not isinstance(events, pd.DataFrame):
        raise HilirDataError("events must be a DataFrame (hilir.policy.policy_events())")
    ev = events.copy()
    start_col = (
        "start_date" if "start_date" in ev.columns else "date" if "date" in ev.columns else None
    )
    if start_col is None:
        raise HilirDataError(
            f"events need a 'start_date' or 'date' column; they have {list(ev.columns)}"
        )
    ident = "event_id" if "event_id" in ev.columns else "event" if "event" in ev.columns else None
    if not {"label_id", "label_en"} <= set(ev.columns):
        if ident is None:
            raise HilirDataError(
                "events need 'label_id' and 'label_en', or event ids to look them up"
            )
        from hilir.registry.events import policy_events

        known = policy_events().set_index("event_id")
        ev["label_id"] = ev[ident].map(known["label_id"])
        ev["label_en"] = ev[ident].map(known["label_en"])
        if "date_precision" not in ev.columns:
            ev["date_precision"] = ev[ident].map(known["date_precision"])
    out = pd.DataFrame(
        {
            "event": ev[ident].astype(str) if ident else "",
            "start": pd.to_datetime(ev[start_col]),
            "end": pd.to_datetime(ev["end_date"]) if "end_date" in ev.columns else pd.NaT,
            "label_id": ev["label_id"],
            "label_en": ev["label_en"],
            "precision": ev["date_precision"].fillna("day")
            if "date_precision" in ev.columns
            else "day",
        }
    )
    return out.sort_values("start").reset_index(drop=True)


def policy_event_data(
    fit: Any,
    *,
    events: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Series and events of an event chart.

    Parameters
    ----------
    fit : ITSResult or pandas.DataFrame
        The result of :func:`hilir.policy.fit_its`, or a frame with ``year`` (and
        ``month``), ``observed``, ``fitted``, ``counterfactual``, ``cf_low``, ``cf_high``
        (and optionally ``segment``, ``source``).
    events : pandas.DataFrame, optional
        Policy events with ``start_date`` (or ``date``), optional ``end_date``, and
        ``label_id`` / ``label_en`` (or event ids found in
        :func:`hilir.policy.policy_events`). Default: the events of ``fit``.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        The series (``year[, month], x, observed, fitted, counterfactual, cf_low,
        cf_high, after_event``, ``source`` when given; ``x`` is the position on a
        fractional-year axis) and the events (``event, start, end, label_id, label_en,
        precision, x_start, x_end``).
    """
    result = None if isinstance(fit, pd.DataFrame) else fit
    frame = fit if result is None else getattr(fit, "fitted", None)
    what = "event-chart frame"
    require(frame, ["year", *_SERIES_COLUMNS], what)
    ev = _events_table(events, result)
    month = frame["month"] if "month" in frame.columns and frame["month"].notna().any() else None
    cols = ["year"] + (["month"] if month is not None else []) + list(_SERIES_COLUMNS)
    data = frame.loc[:, cols].copy()
    for c in _SERIES_COLUMNS:
        data[c] = pd.to_numeric(data[c], errors="coerce").astype(float)
    data.insert(len(cols) - len(_SERIES_COLUMNS), "x", _x_of(frame["year"], month))
    if "segment" in frame.columns:
        data["after_event"] = frame["segment"].astype(str).ne("pre").to_numpy()
    elif len(ev):
        data["after_event"] = data["x"] >= date_x(ev["start"].min()) - 0.5
    else:
        data["after_event"] = True
    if "source" in frame.columns:
        data["source"] = frame["source"].to_numpy()
    ev["x_start"] = [date_x(d) for d in ev["start"]]
    ev["x_end"] = [date_x(d) if pd.notna(d) else np.nan for d in ev["end"]]
    lo, hi = float(data["x"].min()) - 0.5, float(data["x"].max()) + 0.5
    ev = ev[(ev["x_start"] >= lo) & (ev["x_start"] <= hi)].reset_index(drop=True)
    return data.reset_index(drop=True), ev


def _period_label(row: pd.Series, lang: str) -> str:
    if "month" in row.index and pd.notna(row["month"]):
        return format_month(int(row["year"]), int(row["month"]), lang)
    return str(int(row["year"]))


def _measure_text(measure: Measure | Mapping[str, str], item: str | None, lang: str) -> str:
    if isinstance(measure, Mapping):
        return text_of(measure, lang)
    check_choice("measure", measure, ("export_value", "export_volume", "unit_value", "price"))
    if item is None:
        return t(f"measure.{measure}.all", lang)
    return t(f"measure.{measure}", lang, what=item_label(item, lang))


def _value_text(value: float, unit: str, lang: str, currency: str) -> str:
    if unit == "usd":
        return format_money(value, lang=lang, currency=currency)
    if unit == "t":
        return format_number(value, lang=lang, words=True) + " " + t("unit.tonnes", lang)
    if unit == "usd_per_t":
        per = t(
            "unit.per_t", lang, currency=t("unit.usd" if currency == "USD" else "unit.idr", lang)
        )
        return format_number(value, lang=lang, decimals=0) + " " + per
    return format_number(value, lang=lang, decimals=1)


def title_policy_event(
    data: pd.DataFrame,
    lang: str,
    *,
    measure: str,
    unit: str,
    currency: str = "USD",
    fx: ExchangeRate | None = None,
) -> str:
    """Finding title: the last observed value against the no-policy counterfactual."""
    row = data.dropna(subset=["observed", "counterfactual"]).iloc[-1]
    money = unit in ("usd", "usd_per_t")
    obs = (
        float(to_currency(pd.Series([row["observed"]]), currency, fx).iloc[0])
        if money
        else float(row["observed"])
    )
    cf = (
        float(to_currency(pd.Series([row["counterfactual"]]), currency, fx).iloc[0])
        if money
        else float(row["counterfactual"])
    )
    fields = {
        "measure": measure,
        "period": _period_label(row, lang),
        "observed": _value_text(obs, unit, lang, currency),
        "cf": _value_text(cf, unit, lang, currency),
    }
    if cf <= 0:
        return cap(t("title.policy.gap", lang, **fields))
    ratio = obs / cf
    if ratio >= 1.1:
        return cap(t("title.policy.above", lang, ratio=format_ratio(ratio, lang=lang), **fields))
    if ratio <= 0.9:
        return cap(
            t(
                "title.policy.below",
                lang,
                pct=format_percent(1 - ratio, lang=lang, decimals=0),
                **fields,
            )
        )
    return cap(t("title.policy.near", lang, **fields))


def plot_policy_event(
    fit: Any,
    events: pd.DataFrame | None = None,
    *,
    lang: Lang = "id",
    geography: str,
    measure: Measure | Mapping[str, str] = "export_value",
    item: str | None = None,
    unit: Unit | None = None,
    chain: str | None = None,
    confidence: float | None = None,
    currency: Literal["USD", "IDR"] = "USD",
    fx: ExchangeRate | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    note: Note | Sequence[Note] | None = None,
    size: Size = "full",
    sources: Iterable[str | Provenance] | None = None,
) -> Figure:
    """Event chart: observed series, fitted trend, counterfactual band and policy markers.

    Parameters
    ----------
    fit : ITSResult or pandas.DataFrame
        See :func:`policy_event_data`.
    events : pandas.DataFrame, optional
        Policy events; default the events of ``fit`` with labels from
        :func:`hilir.policy.policy_events`.
    lang : {"id", "en"}, default "id"
    geography : str
        ``IDN`` or ``ID-LA`` (the series' geography, printed in the subtitle).
    measure : {"export_value", "export_volume", "unit_value", "price"} or mapping
        What the series measures; a ``{"id": ..., "en": ...}`` mapping for anything else.
    item : str, optional
        Product, chain or price-series key named in the measure (``ferronickel``).
    unit : {"usd", "t", "usd_per_t", "index"}, optional
        Unit of the series; default from ``fit.unit`` (``USD``, ``t``, ``USD/t``).
    chain : str, optional
        Chain whose colour the observed series takes (default: ``item``'s chain if known).
    confidence : float, optional
        Confidence level of the band (default ``1 - fit.alpha`` or 0.95).
    currency : {"USD", "IDR"}, default "USD"
        For money units; rupiah needs ``fx``.
    fx : ExchangeRate, optional
    title, subtitle, note, size, sources
        As :func:`hilir.plots.plot_stage_share`. The fitted table carries no ``source``
        column, so pass the provenance keys of the series in ``sources``.

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.hilir_data``: the series (see :func:`policy_event_data`);
        ``fig.hilir.extra["events"]``: the events drawn.
    """
    ch = Chart("policy_event", lang=lang, size=size)
    data, ev = policy_event_data(fit, events=events)
    code = geo_code(geography)
    unit = _policy_unit(fit, unit)
    if confidence is None:
        alpha = None if isinstance(fit, pd.DataFrame) else getattr(fit, "alpha", None)
        confidence = 1 - float(alpha) if alpha is not None else 0.95
    money = unit in ("usd", "usd_per_t")
    vals = {c: to_currency(data[c], currency, fx) if money else data[c] for c in _SERIES_COLUMNS}
    measure_text = _measure_text(measure, item, ch.lang)
    colour = _policy_colour(chain, item)
    x = data["x"].to_numpy(dtype=float)
    after = data["after_event"].to_numpy(dtype=bool)
    notes = [
        "note.its",
        "note.policy_dates" if len(ev) else None,
        ch.fx_note(currency, fx) if money else None,
        *as_notes(note),
    ]
    years = [int(y) for y in data["year"]]
    with chart_style(size):
        fig, ax = ch.single()
        _draw_policy_events(ax, ev)
        _draw_policy_series(ax, ch, x, after, vals, colour)
        unit_text = _policy_value_axis(ax, ch, vals, unit, currency)
        ax.set_xlim(x.min() - 0.4, x.max() + 0.4)
        year_axis(ax, years)
        ax.grid(axis="y", color="#e5e5e5", linewidth=0.5)
        conf = format_number(confidence * 100, lang=ch.lang, decimals=0)
        ch.finish(
            fig,
            data=data,
            title=title
            or title_policy_event(
                data, ch.lang, measure=measure_text, unit=unit, currency=currency, fx=fx
            ),
            subtitle=subtitle
            or ch.t(
                "subtitle.policy",
                measure=measure_text,
                unit=unit_text,
                period=period_text(years),
                geo=geography_label(code, ch.lang),
                conf=conf,
            ),
            frames=[data],
            sources=sources,
            notes=notes,
            extra={"events": ev},
        )
        _policy_end_labels(ax, ch, x, after, vals, colour)
        fig.draw_without_rendering()  # end labels narrow the axes: lay out before measuring
        _event_labels(ax, ev, ch, x.min() - 0.4, x.max() + 0.4)
    return ch.done(fig)


def _policy_unit(fit: Any, unit: Unit | None) -> Unit:
    """The series unit: ``unit`` if given, else from ``fit.unit``; checked."""
    if unit is None:
        raw_unit = None if isinstance(fit, pd.DataFrame) else getattr(fit, "unit", None)
        if raw_unit not in _UNIT_OF:
            raise HilirDataError(
                f"the series unit {raw_unit!r} is not known; pass unit='usd', 't', "
                "'usd_per_t' or 'index'"
            )
        unit = _UNIT_OF[raw_unit]  # type: ignore[assignment]
    check_choice("unit", unit, ("usd", "t", "usd_per_t", "index"))
    return unit  # type: ignore[return-value]


def _policy_colour(chain: str | None, item: str | None) -> Any:
    """Colour of the observed series: ``chain``'s, else ``item``'s chain's."""
    colour_key = chain
    if colour_key is None and item is not None:
        from hilir.plots.style import CHAIN_COLOURS

        colour_key = item if item in CHAIN_COLOURS else _product_chain(item)
    return chain_colour(colour_key)


def _draw_policy_events(ax: Any, ev: pd.DataFrame) -> None:
    """A dashed line at each event's start, a shaded span for a temporary one."""
    for _, e in ev.iterrows():
        if np.isfinite(e["x_end"]) and e["x_end"] > e["x_start"]:
            ax.axvspan(e["x_start"], e["x_end"], color=MUTED, alpha=0.18, linewidth=0)
        ax.axvline(e["x_start"], color=MUTED, linewidth=0.8, linestyle=(0, (2, 2)))


def _draw_policy_series(
    ax: Any,
    ch: Chart,
    x: np.ndarray,
    after: np.ndarray,
    vals: dict[str, pd.Series],
    colour: Any,
) -> None:
    """Counterfactual band and line (from the event on), fitted trend and observed series."""
    if after.any():
        first = int(np.argmax(after))
        sl = slice(max(first - 1, 0), None)
        ax.fill_between(
            x[sl],
            vals["cf_low"].to_numpy()[sl],
            vals["cf_high"].to_numpy()[sl],
            color=MUTED,
            alpha=BAND_ALPHA,
            linewidth=0,
        )
        ax.plot(
            x[sl],
            vals["counterfactual"].to_numpy()[sl],
            color=INK,
            linewidth=1.1,
            linestyle=(0, (4, 2)),
        )
    ax.plot(x, vals["fitted"], color=colour, linewidth=0.9, alpha=0.7)
    ax.plot(
        x,
        vals["observed"],
        color=colour,
        linewidth=1.4,
        marker="o" if len(x) <= 40 else None,
        markersize=ch.fs.font * 0.35,
    )


def _policy_value_axis(
    ax: Any,
    ch: Chart,
    vals: dict[str, pd.Series],
    unit: Unit,
    currency: Literal["USD", "IDR"],
) -> str:
    """Scale, format and limit the value axis; return the unit text for the subtitle."""
    all_vals = np.concatenate([v.to_numpy(dtype=float) for v in vals.values()])
    all_vals = all_vals[np.isfinite(all_vals)]
    if unit == "usd":
        sc = axis_scale(float(np.max(np.abs(all_vals))), words=6)
        unit_text = sc.money_unit(ch.lang, currency)
    elif unit == "t":
        sc = axis_scale(float(np.max(np.abs(all_vals))), words=3)
        unit_text = sc.number_unit(ch.lang, "unit.tonnes")
    elif unit == "usd_per_t":
        sc = axis_scale(1.0)
        unit_text = ch.t(
            "unit.per_t", currency=ch.t("unit.usd" if currency == "USD" else "unit.idr")
        )
    else:
        sc = axis_scale(1.0)
        unit_text = ch.t("unit.index")
    ax.yaxis.set_major_formatter(NumberFormatter(ch.lang, divisor=sc.divisor))
    lo_v = min(0.0, float(all_vals.min()))
    hi_v = float(all_vals.max())
    ax.set_ylim(lo_v, hi_v + (hi_v - lo_v) * 0.32)
    return unit_text


def _policy_end_labels(
    ax: Any,
    ch: Chart,
    x: np.ndarray,
    after: np.ndarray,
    vals: dict[str, pd.Series],
    colour: Any,
) -> None:
    """Label the observed (and counterfactual) line at its last point."""
    last = len(x) - 1
    items = [(x[last], float(vals["observed"].iloc[last]), ch.t("label.observed"), colour)]
    if after.any():
        items.append(
            (
                x[last],
                float(vals["counterfactual"].iloc[last]),
                ch.t("label.counterfactual"),
                INK,
            )
        )
    label_line_ends(ax, items, fontsize=ch.fs.font * 0.85)


def _product_chain(item: str) -> str | None:
    """Chain of a registry product key, or None for a key the registry does not know."""
    from hilir.registry.tables import products

    table = products()
    match = table.loc[table["product"].astype(str) == item, "chain"]
    return str(match.iloc[0]) if len(match) else None


def _event_labels(ax: Any, ev: pd.DataFrame, ch: Chart, x0: float, x1: float) -> None:
    """Short event labels at the top of the axes, moved down until they overlap no other."""
    if ev.empty:
        return
    width = {"column": 16, "full": 26, "slide": 30}[ch.size]
    span = x1 - x0
    renderer = ax.figure.canvas.get_renderer()
    pad = ch.fs.small * 0.5 * ax.figure.dpi / 72.0  # pixels kept clear around each label
    placed: list[Any] = []
    for _, e in ev.iterrows():
        label = str(e[f"label_{ch.lang}"]) if pd.notna(e[f"label_{ch.lang}"]) else ""
        when = format_date(e["start"], ch.lang, precision=str(e["precision"]))  # type: ignore[arg-type]
        if label and str(e["start"].year) in label:
            when = ""  # the label already dates itself
        text = textwrap.fill(f"{label} ({when})" if label and when else label or when, width=width)
        right = (e["x_start"] - x0) > span * 0.6
        note = event_label(
            ax, text, e["x_start"], right=right, fontsize=ch.fs.small, linespacing=1.1
        )
        step = ch.fs.small * 1.4
        for _ in range(12):
            box = note.get_window_extent(renderer)
            if not any(box.overlaps(other) for other in placed):
                break
            x, y = note.xyann
            note.xyann = (x, y - step)
        placed.append(note.get_window_extent(renderer).padded(pad))
