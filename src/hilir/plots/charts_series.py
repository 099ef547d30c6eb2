"""Series charts: annual export series of one or more items, and published monthly totals.

* :func:`plot_series` - annual export series (value or volume) of one or more items
  (:func:`hilir.policy.trade_series` outputs, stacked by :func:`series_data`);
* :func:`plot_monthly_totals` - published monthly export totals (Lampung).

Titles state the finding and are computed from the data. The forecast chart is in
:mod:`hilir.plots.charts_forecast`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

import pandas as pd
from matplotlib.figure import Figure

from hilir.errors import HilirDataError
from hilir.i18n import format_money, format_number, format_ratio
from hilir.i18n.catalog import Lang
from hilir.i18n.catalog import t as say
from hilir.i18n.dates import format_month
from hilir.i18n.labels import geography_label
from hilir.plots.common import (
    Chart,
    as_notes,
    cap,
    geo_code,
    item_label,
    money_axis,
    period_text,
    require,
    text_colour,
)
from hilir.plots.layout import NumberFormatter, label_line_ends, year_axis
from hilir.plots.sources import Note
from hilir.plots.style import CONTEXT, GRID, Size, chain_colour, chart_style
from hilir.provenance.sidecar import Provenance

Measure = Literal["value", "volume"]


def chain_of_item(item: str) -> str | None:
    """Chain of a product key (or the key itself if it is a chain); ``None`` otherwise."""
    from hilir.registry.tables import products

    prods = products()
    hit = prods[prods["product"] == item]
    if not hit.empty:
        return str(hit["chain"].iloc[0])
    from hilir.registry.tables import chains

    return item if item in set(chains()["chain"]) else None


def _fmt(value: float, measure: str, lang: str) -> str:
    if measure == "value":
        return format_money(value, lang=lang)
    return say("say.tonnes", lang, value=format_number(value, lang=lang, words=True))


def series_data(frames: dict[str, pd.DataFrame], *, measure: Measure = "value") -> pd.DataFrame:
    """Stack annual series (``trade_series`` outputs) into one tidy frame.

    Parameters
    ----------
    frames : dict of str to pandas.DataFrame
        Item key (product or chain) -> series with ``year``, ``value`` (``month`` NA),
        ``unit`` and ``source``.
    measure : {"value", "volume"}

    Returns
    -------
    pandas.DataFrame
        ``item, year, value_usd`` (or ``volume_t``), ``unit, source``.
    """
    col = "value_usd" if measure == "value" else "volume_t"
    out = []
    for item, df in frames.items():
        if "month" in df.columns and df["month"].notna().any():
            raise HilirDataError(f"the series of {item!r} is monthly; plot_series draws years")
        part = pd.DataFrame(
            {
                "item": item,
                "year": df["year"].astype(int).to_numpy(),
                col: df["value"].astype(float).to_numpy(),
                "unit": df["unit"].astype(str).to_numpy() if "unit" in df else "",
                "source": df["source"].astype(str).to_numpy() if "source" in df else "",
            }
        )
        out.append(part)
    if not out:
        raise HilirDataError("no series to plot")
    return pd.concat(out, ignore_index=True)


def title_series(data: pd.DataFrame, lang: str, *, geography: str, measure: Measure) -> str:
    """Finding of the first item: its change from first to last year, as a multiple."""
    col = "value_usd" if measure == "value" else "volume_t"
    first_item = str(data["item"].iloc[0])
    s = data[data["item"] == first_item].dropna(subset=[col]).sort_values("year")
    a, b = float(s[col].iloc[0]), float(s[col].iloc[-1])
    direction = "up" if b > a else "down" if b < a else "flat"
    return cap(
        say(
            f"chart.series.title.{direction}",
            lang,
            measure=say(f"say.measure_series.{measure}", lang),
            item=item_label(first_item, lang),
            geo=geography_label(geography, lang),
            b=_fmt(b, measure, lang),
            y1=str(int(s["year"].iloc[-1])),
            y0=str(int(s["year"].iloc[0])),
            ratio=format_ratio(b / a, lang=lang) if a > 0 else "-",
        )
    )


def plot_series(
    frame: pd.DataFrame,
    *,
    lang: Lang = "id",
    geography: str,
    measure: Measure = "value",
    title: str | None = None,
    subtitle: str | None = None,
    note: Note | Sequence[Note] | None = None,
    size: Size = "full",
    sources: Iterable[str | Provenance] | None = None,
) -> Figure:
    """Annual export series: the first item in its chain's colour, the others in grey.

    Parameters
    ----------
    frame : pandas.DataFrame
        :func:`series_data` output (``item, year, value_usd`` or ``volume_t``).
    lang : {"id", "en"}
    geography : str
        ``IDN`` or ``ID-LA``: the series' geography, printed in the subtitle.
    measure : {"value", "volume"}
    title, subtitle, note, size, sources
        As :func:`hilir.plots.plot_stage_share`.

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.hilir_data`` is ``frame`` (sorted).
    """
    ch = Chart("series", lang=lang, size=size)
    col = "value_usd" if measure == "value" else "volume_t"
    if col not in frame.columns:
        raise HilirDataError(f"the series frame has no {col!r} column for measure {measure!r}")
    data = frame.dropna(subset=[col]).sort_values(["item", "year"]).reset_index(drop=True)
    items = list(dict.fromkeys(frame["item"].astype(str)))
    code = geo_code(geography)
    years = sorted({int(y) for y in data["year"]})
    with chart_style(size):
        fig, axes = ch.figure()
        ax = axes[0, 0]
        ends = []
        for item in reversed(items):
            sub = data[data["item"] == item]
            first = item == items[0]
            colour = chain_colour(chain_of_item(item)) if first else CONTEXT
            ax.plot(
                sub["year"],
                sub[col],
                color=colour,
                linewidth=None if first else 1.0,
                zorder=3 if first else 2,
                marker="o" if len(sub) < 15 else None,
                markersize=3,
            )
            last = sub.iloc[-1]
            ends.append(
                (
                    float(last["year"]),
                    float(last[col]),
                    item_label(item, ch.lang),
                    text_colour(colour) if first else "#777777",
                )
            )
        if measure == "value":
            _, unit = money_axis(ax, data[col], ch.lang)
        else:
            from hilir.i18n.units import axis_scale

            sc = axis_scale(float(data[col].abs().max()), words=6)
            ax.yaxis.set_major_formatter(NumberFormatter(ch.lang, divisor=sc.divisor))
            unit = sc.number_unit(ch.lang, "unit.tonnes")
        ax.set_ylim(0, float(data[col].max()) * 1.12)
        year_axis(ax, years)
        ax.grid(axis="y", color=GRID, linewidth=0.5)
        ch.finish(
            fig,
            data=data,
            title=title or title_series(data, ch.lang, geography=code, measure=measure),
            subtitle=subtitle
            or say(
                "chart.series.subtitle",
                ch.lang,
                measure=say(f"say.measure_series.{measure}", ch.lang),
                unit=unit,
                period=period_text(years),
                geo=geography_label(code, ch.lang),
            ),
            frames=[data],
            sources=sources,
            notes=as_notes(note),
        )
        if len(items) > 1:
            label_line_ends(ax, ends, fontsize=ch.fs.font * 0.85)
    return ch.done(fig)


def monthly_totals_data(totals: pd.DataFrame, *, region: str = "ID-LA") -> pd.DataFrame:
    """The rows of ``region`` in a table of published monthly totals: the chart's data.

    Parameters
    ----------
    totals : pandas.DataFrame
        :func:`hilir.trade.published_monthly_totals` output (``region, year, month,
        value_usd, quoted_source, url, source``), e.g. from
        :func:`hilir.brief.lampung.monthly_totals`.
    region : str, default "ID-LA"

    Returns
    -------
    pandas.DataFrame
        The same columns, ``region`` rows only, sorted by month.
    """
    columns = ["region", "year", "month", "value_usd", "quoted_source", "url", "source"]
    require(totals, columns, "monthly-totals frame")
    df = totals[totals["region"].astype(str).eq(region).to_numpy(dtype=bool)]
    if df.empty:
        raise HilirDataError(f"no published monthly export totals for {region}")
    return df[columns].sort_values(["year", "month"], kind="stable").reset_index(drop=True)


def plot_monthly_totals(
    totals: pd.DataFrame,
    *,
    lang: Lang = "id",
    region: str = "ID-LA",
    title: str | None = None,
    subtitle: str | None = None,
    note: Note | Sequence[Note] | None = None,
    size: Size = "full",
    sources: Iterable[str | Provenance] | None = None,
) -> Figure:
    """Published monthly export totals as points on a time axis (gaps stay gaps).

    The months were quoted in the press from BPS releases; only the months found are shown,
    so the points are not joined by a line.

    Parameters
    ----------
    totals : pandas.DataFrame
        See :func:`monthly_totals_data` (:func:`hilir.brief.lampung.monthly_totals`).
    lang : {"id", "en"}, default "id"
    region : str, default "ID-LA"
        Region code of the rows to draw (named in title and subtitle).
    title, subtitle, note, size, sources
        As :func:`hilir.plots.plot_stage_share`.

    Returns
    -------
    matplotlib.figure.Figure
        With ``fig.hilir_data`` = :func:`monthly_totals_data` (USD per month).
    """
    ch = Chart("monthly_totals", lang=lang, size=size)
    data = monthly_totals_data(totals, region=region)
    x = data["year"] + (data["month"] - 1) / 12.0
    colour = chain_colour(None)
    top = data.sort_values("value_usd").iloc[-1]
    last = data.iloc[-1]
    years = sorted({int(y) for y in data["year"]})
    with chart_style(size):
        fig, axes = ch.figure()
        ax = axes[0, 0]
        ax.vlines(x, 0, data["value_usd"], color=CONTEXT, linewidth=0.8)
        ax.scatter(x, data["value_usd"], color=colour, s=14, zorder=3)
        _, unit = money_axis(ax, data["value_usd"], ch.lang)
        ax.set_ylim(0, float(data["value_usd"].max()) * 1.15)
        year_axis(ax, years)
        ax.grid(axis="y", color=GRID, linewidth=0.5)
        auto = say(
            "chart.monthly.title",
            ch.lang,
            geo=geography_label(region, ch.lang),
            top=format_money(float(top["value_usd"]), lang=ch.lang),
            month=format_month(int(top["year"]), int(top["month"]), ch.lang),
        )
        notes: list[Note | None] = [
            {
                "id": say("chart.monthly.note", "id", n=str(len(data))),
                "en": say("chart.monthly.note", "en", n=str(len(data))),
            }
        ]
        notes += as_notes(note)
        ch.finish(
            fig,
            data=data,
            title=title or cap(auto),
            subtitle=subtitle
            or say(
                "chart.monthly.subtitle",
                ch.lang,
                unit=unit,
                first=format_month(int(data["year"].iloc[0]), int(data["month"].iloc[0]), ch.lang),
                last=format_month(int(last["year"]), int(last["month"]), ch.lang),
                geo=geography_label(region, ch.lang),
            ),
            frames=[data],
            sources=sources,
            notes=notes,
            processed=False,
        )
    return ch.done(fig)
