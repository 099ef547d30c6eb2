"""World-price lines: World Bank prices, and an export unit value against its world price."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from hilir.errors import HilirDataError
from hilir.i18n.catalog import Lang, t
from hilir.i18n.labels import geography_label
from hilir.i18n.numbers import format_percent
from hilir.plots._price_comparison import _draw_price_lines, _price_axes, _price_end_labels
from hilir.plots.common import (
    Chart,
    as_notes,
    cap,
    check_choice,
    date_x,
    frame_sources,
    geo_code,
    item_label,
    period_text,
    require,
    select_geography,
    select_value,
    text_colour,
)
from hilir.plots.layout import NumberFormatter, label_line_ends, year_axis
from hilir.plots.sources import Note
from hilir.plots.style import (
    CONTEXT,
    CONTEXT_SERIES,
    GRID,
    SERIES_CHAIN,
    Size,
    chain_colour,
    chart_style,
)
from hilir.provenance.sidecar import Provenance

#: Price units of the Pink Sheet and their catalogue keys.
PRICE_UNITS = {
    "USD/t": "priceunit.usd_t",
    "USD/kg": "priceunit.usd_kg",
    "USD/dmtu": "priceunit.usd_dmtu",
    "USD/troy oz": "priceunit.usd_troy_oz",
    "USD/bbl": "priceunit.usd_bbl",
    "USD/mmbtu": "priceunit.usd_mmbtu",
    "USD/m3": "priceunit.usd_m3",
}


def series_label(series: str, lang: str) -> str:
    """Label of a Pink Sheet series (``NICKEL`` -> ``nikel``)."""
    return item_label(series, lang, families=("series",))


def _one_row_per_period(sub: pd.DataFrame) -> pd.DataFrame:
    """One series' rows with one row per period.

    Where two sources hold the same period, the one covering more periods wins (ties: the
    first key); a series whose years come from different sources (published averages, then
    a twelve-month mean) keeps them all.
    """
    if "source" not in sub.columns or sub["source"].nunique() <= 1:
        return sub
    counts = sub.groupby("source").size()
    order = sorted(counts.index, key=lambda k: (-counts[k], str(k)))
    rank = {k: i for i, k in enumerate(order)}
    key = ["year", "month"] if "month" in sub.columns else ["year"]
    return (
        sub.assign(_rank=sub["source"].map(rank))
        .sort_values("_rank", kind="stable")
        .drop_duplicates(key)
        .drop(columns="_rank")
        .sort_values(key)
    )


def world_price_data(
    frame: pd.DataFrame,
    *,
    series: Sequence[str],
    frequency: Literal["annual", "monthly"] = "annual",
    years: tuple[int, int] | None = None,
    rebase: int | None = None,
) -> pd.DataFrame:
    """World prices of some series, one source per series, optionally as an index.

    Parameters
    ----------
    frame : pandas.DataFrame
        The prices table (``hilir.load_prices()``): ``year, month, series, price, unit,
        source``.
    series : sequence of str
        Series codes (``NICKEL``, ``PALM_OIL``, ``COFFEE_ROBUS``); the first is the one
        the title talks about.
    frequency : {"annual", "monthly"}, default "annual"
    years : (int, int), optional
        First and last year shown.
    rebase : int, optional
        Show an index, average of the base year = 100 (needed when the units differ).

    Returns
    -------
    pandas.DataFrame
        ``series, year[, month], x, price, unit, value`` (the price, or the index), and
        ``source``. When two sources hold the same period of a series, the one covering
        more periods is kept (ties: the first key); periods held by one source only are kept.
    """
    check_choice("frequency", frequency, ("annual", "monthly"))
    what = "prices frame"
    require(frame, ["year", "series", "price", "unit"], what)
    if isinstance(series, str):
        series = [series]
    if not series:
        raise HilirDataError("series must name at least one price series")
    df = frame
    if "month" in df.columns:
        monthly = df["month"].notna().to_numpy(dtype=bool)
        df = df[monthly] if frequency == "monthly" else df[~monthly]
    elif frequency == "monthly":
        raise HilirDataError(f"{what} has no 'month' column")
    have = set(df["series"].astype(str))
    absent = [s for s in series if s not in have]
    if absent:
        raise HilirDataError(f"{what} has no {frequency} rows for series {absent}")
    parts = []
    for code in series:
        sub = df[df["series"].astype(str).eq(code).to_numpy(dtype=bool)]
        sub = _one_row_per_period(sub)
        parts.append(sub)
    df = pd.concat(parts, ignore_index=True)
    if years is not None:
        df = df[(df["year"] >= years[0]) & (df["year"] <= years[1])]
    df = df[pd.to_numeric(df["price"], errors="coerce").notna().to_numpy(dtype=bool)]
    if df.empty:
        raise HilirDataError(f"{what} has no prices for {list(series)} in the period")
    units = sorted(set(df["unit"].astype(str)))
    if len(units) > 1 and rebase is None:
        raise HilirDataError(
            f"the series have different units {units}; pass rebase=<year> to compare indices"
        )
    month = df["month"].astype(float) if frequency == "monthly" else None
    out = pd.DataFrame(
        {
            "series": df["series"].astype(str).to_numpy(),
            "year": df["year"].astype(int).to_numpy(),
            "price": pd.to_numeric(df["price"]).astype(float).to_numpy(),
            "unit": df["unit"].astype(str).to_numpy(),
            "source": df["source"].astype(str).to_numpy() if "source" in df.columns else "",
        }
    )
    if month is not None:
        out.insert(2, "month", month.astype(int).to_numpy())
        out.insert(3, "x", out["year"] + (out["month"] - 0.5) / 12.0)
    else:
        out.insert(2, "x", out["year"].astype(float))
    if rebase is not None:
        base = out[out["year"] == int(rebase)].groupby("series")["price"].mean()
        missing = [
            s for s in series if s not in base.index or not np.isfinite(base[s]) or base[s] <= 0
        ]
        if missing:
            raise HilirDataError(f"no positive price in base year {rebase} for {missing}")
        out["value"] = out["price"] / out["series"].map(base) * 100.0
    else:
        out["value"] = out["price"]
    order = {s: i for i, s in enumerate(series)}
    out = out.sort_values(["series", "x"], key=lambda c: c.map(order) if c.name == "series" else c)
    return out.reset_index(drop=True)


def title_world_prices(data: pd.DataFrame, lang: str, *, series: str) -> str:
    """Finding title: how the first series moved from the first to the last period."""
    sub = data[data["series"] == series].sort_values("x")
    first, last = sub.iloc[0], sub.iloc[-1]
    change = float(last["price"]) / float(first["price"]) - 1.0
    key = "title.prices.up" if change >= 0 else "title.prices.down"
    return cap(
        t(
            key,
            lang,
            series=series_label(series, lang),
            pct=format_percent(abs(change), lang=lang, decimals=0),
            y0=str(int(first["year"])),
            y1=str(int(last["year"])),
        )
    )


def plot_world_prices(
    frame: pd.DataFrame,
    *,
    lang: Lang = "id",
    series: Sequence[str],
    frequency: Literal["annual", "monthly"] = "annual",
    years: tuple[int, int] | None = None,
    rebase: int | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    note: Note | Sequence[Note] | None = None,
    size: Size = "full",
    sources: Iterable[str | Provenance] | None = None,
) -> Figure:
    """World prices over time: the first series in its chain's colour, others in grey.

    Each other series has its own grey and dash pattern (``style.CONTEXT_SERIES``, three
    of them), so two context series are never drawn alike.

    Parameters
    ----------
    frame : pandas.DataFrame
        See :func:`world_price_data`.
    lang : {"id", "en"}, default "id"
    series : sequence of str
        Series codes; the first is highlighted and named in the title.
    frequency : {"annual", "monthly"}, default "annual"
    years : (int, int), optional
    rebase : int, optional
        Index with this base year = 100 (series in different units need it).
    title, subtitle, note, size, sources
        As :func:`hilir.plots.plot_stage_share`.

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.hilir_data``: see :func:`world_price_data`.
    """
    ch = Chart("world_prices", lang=lang, size=size)
    series = [series] if isinstance(series, str) else list(series)
    data = world_price_data(frame, series=series, frequency=frequency, years=years, rebase=rebase)
    first = series[0]
    events = _data_events(series, data)
    notes: list[Note | None] = [
        {"id": e["label_id"], "en": e["label_en"]} for _, e in events.iterrows()
    ]
    notes += as_notes(note)
    years_all = [int(y) for y in data["year"]]
    with chart_style(size):
        fig, ax = ch.single()
        items = []
        for k, code in reversed(list(enumerate(series))):
            sub = data[data["series"] == code]
            if code == first:
                colour = chain_colour(SERIES_CHAIN.get(code))
                ink, dash = text_colour(colour), "solid"
            else:  # every context series its own grey and dashes
                colour, ink, dash = CONTEXT_SERIES[(k - 1) % len(CONTEXT_SERIES)]
            ax.plot(
                sub["x"],
                sub["value"],
                color=colour,
                linestyle=dash,
                linewidth=None if code == first else 1.0,
                zorder=3 if code == first else 2,
            )
            last = sub.iloc[-1]
            items.append((float(last["x"]), float(last["value"]), series_label(code, ch.lang), ink))
        for _, e in events.iterrows():
            ax.axvline(float(e["x"]), color=CONTEXT, linewidth=0.8, linestyle=(0, (1, 2)))
        if rebase is not None:
            ax.axhline(100, color=CONTEXT, linewidth=0.6)
        ax.set_ylim(0, float(data["value"].max()) * 1.1)
        ax.yaxis.set_major_formatter(NumberFormatter(ch.lang))
        year_axis(ax, years_all)
        ax.grid(axis="y", color=GRID, linewidth=0.5)
        if rebase is not None:
            measure = ch.t("subtitle.prices.index", base=str(int(rebase)))
        else:
            unit = str(data["unit"].iloc[0])
            key = PRICE_UNITS.get(unit)
            if key is None:
                raise HilirDataError(f"no label for price unit {unit!r}; add it to PRICE_UNITS")
            measure = ch.t("subtitle.prices.price", unit=ch.t(key))
        ch.finish(
            fig,
            data=data,
            title=title or title_world_prices(data, ch.lang, series=first),
            subtitle=subtitle
            or ch.t(
                f"subtitle.prices.{frequency}",
                measure=measure,
                period=period_text(years_all),
                geo=geography_label("WORLD", ch.lang),
            ),
            frames=[data],
            sources=sources,
            notes=notes,
        )
        label_line_ends(ax, items, fontsize=ch.fs.font * 0.85)
    return ch.done(fig)


def _data_events(series: Sequence[str], data: pd.DataFrame) -> pd.DataFrame:
    """Definition changes of the series inside the period shown (from hilir.policy)."""
    from hilir.registry.events import data_events

    rows = []
    x0, x1 = float(data["x"].min()), float(data["x"].max())
    for code in series:
        ev = data_events(series=code)
        ev = ev[ev["kind"] == "definition_change"]
        for _, e in ev.iterrows():
            x = date_x(e["date"])
            if x0 < x <= x1:
                rows.append(
                    {"series": code, "x": x, "label_id": e["label_id"], "label_en": e["label_en"]}
                )
    return pd.DataFrame(rows, columns=["series", "x", "label_id", "label_en"])


def price_comparison_data(
    frame: pd.DataFrame,
    *,
    geography: str,
    product: str | None = None,
    source: str | None = None,
) -> pd.DataFrame:
    """An export unit value and its world price by year.

    Parameters
    ----------
    frame : pandas.DataFrame
        Output of :func:`hilir.value.compare_world_prices`: ``geography, source, product,
        year, series, comparable_usd_per_t, world_price_usd_per_t, ratio_to_world_price,
        price_source, data_event, flag``.
    geography : str
        ``IDN`` or ``ID-LA``.
    product : str, optional
        Product key (when the frame holds several).
    source : str, optional
        Provenance key of the trade data, when the product comes from several sources
        (UN Comtrade and FAOSTAT green coffee). When two price sources hold the same
        series (the Pink Sheet CSV and workbook), the one covering more years is kept
        (ties: the first key).

    Returns
    -------
    pandas.DataFrame
        ``product, series, geography, year, unit_value_usd_per_t`` (comparable export unit
        value), ``world_price_usd_per_t``, ``ratio``, ``data_event``, ``flag``,
        ``source``, ``price_source``.
    """
    what = "price-comparison frame"
    require(frame, ["year", "product", "comparable_usd_per_t", "world_price_usd_per_t"], what)
    code = geo_code(geography)
    df = select_geography(frame, code, what)
    df, product_key = select_value(df, "product", product, what)
    if "source" in df.columns:
        df, _ = select_value(df, "source", source, f"{what} ({product_key})")
    elif source is not None:
        raise HilirDataError(f"{what} has no 'source' column to select {source!r} from")
    if "price_source" in df.columns and df["price_source"].nunique() > 1:
        counts = df.groupby("price_source").size()
        best = sorted(counts.index, key=lambda k: (-counts[k], str(k)))[0]
        df = df[df["price_source"] == best]
    if "series" in df.columns and df["series"].nunique() > 1:
        raise HilirDataError(f"{what} compares {product_key} with several price series; keep one")
    if df["year"].duplicated().any():
        raise HilirDataError(f"{what} has several rows per year for {product_key} (two sources?)")
    out = pd.DataFrame(
        {
            "product": product_key,
            "series": df["series"].astype(str).to_numpy() if "series" in df.columns else "",
            "geography": code,
            "year": df["year"].astype(int).to_numpy(),
            "unit_value_usd_per_t": pd.to_numeric(
                df["comparable_usd_per_t"], errors="coerce"
            ).to_numpy(dtype=float),
            "world_price_usd_per_t": pd.to_numeric(
                df["world_price_usd_per_t"], errors="coerce"
            ).to_numpy(dtype=float),
        }
    )
    out["ratio"] = out["unit_value_usd_per_t"] / out["world_price_usd_per_t"]
    for col in ("data_event", "flag", "source", "price_source"):
        out[col] = df[col].astype("string").fillna("").to_numpy() if col in df.columns else ""
    out = out.sort_values("year").reset_index(drop=True)
    if out[["unit_value_usd_per_t", "world_price_usd_per_t"]].notna().all(axis=1).sum() == 0:
        raise HilirDataError(f"{what} has no year with both a unit value and a world price")
    return out


def title_price_comparison(data: pd.DataFrame, lang: str) -> str:
    """Finding title: how far the latest unit value sits from the world price.

    The latest year without a data flag is used (a year with a tiny shipment, such as
    Indonesia's nickel ore in 2020, gives no meaningful unit value).
    """
    both = data.dropna(subset=["unit_value_usd_per_t", "world_price_usd_per_t"])
    clean = both[both["flag"].astype(str).str.len().eq(0)]
    row = (clean if len(clean) else both).iloc[-1]
    ratio = float(row["ratio"])
    fields = {
        "product": item_label(str(row["product"]), lang),
        "geo": geography_label(str(row["geography"]), lang),
        "year": str(int(row["year"])),
    }
    if abs(ratio - 1) < 0.05:
        return cap(t("title.compare.near", lang, **fields))
    key = "title.compare.below" if ratio < 1 else "title.compare.above"
    return cap(t(key, lang, pct=format_percent(abs(1 - ratio), lang=lang, decimals=0), **fields))


def plot_price_comparison(
    frame: pd.DataFrame,
    *,
    lang: Lang = "id",
    geography: str,
    product: str | None = None,
    source: str | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    note: Note | Sequence[Note] | None = None,
    size: Size = "full",
    sources: Iterable[str | Provenance] | None = None,
) -> Figure:
    """An export unit value against its world price, both in US dollars per tonne.

    Parameters
    ----------
    frame : pandas.DataFrame
        See :func:`price_comparison_data`.
    lang, geography, title, subtitle, note, size, sources
        As :func:`hilir.plots.plot_stage_share`; the sources are both the trade data
        (``source``) and the prices (``price_source``).
    product : str, optional
        Product key.
    source : str, optional
        Trade source key, when the product comes from several.

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.hilir_data``: see :func:`price_comparison_data`.
    """
    ch = Chart("price_comparison", lang=lang, size=size)
    data = price_comparison_data(frame, geography=geography, product=product, source=source)
    code = str(data["geography"].iloc[0])
    product_key = str(data["product"].iloc[0])
    series = str(data["series"].iloc[0])
    colour = chain_colour(SERIES_CHAIN.get(series))
    years = [int(y) for y in data["year"]]
    marked = data[(data["data_event"].str.len() > 0) | (data["flag"].str.len() > 0)]
    notes: list[Note | None] = ["note.compare_basis"]
    if len(marked):
        notes.append("note.compare_marked")
    notes += as_notes(note)
    extra_keys = frame_sources(data, "price_source")
    with chart_style(size):
        fig, ax = ch.single()
        _draw_price_lines(ax, ch, data, marked, colour)
        _price_axes(ax, ch, data, years)
        unit = ch.t("unit.per_t", currency=ch.t("unit.usd"))
        ch.finish(
            fig,
            data=data,
            title=title or title_price_comparison(data, ch.lang),
            subtitle=subtitle
            or ch.t(
                "subtitle.compare",
                product=item_label(product_key, ch.lang),
                series=series_label(series, ch.lang) if series else "",
                unit=unit,
                period=period_text(years),
                geo=geography_label(code, ch.lang),
            ),
            frames=[data],
            sources=[*(sources or ()), *extra_keys],
            notes=notes,
        )
        _price_end_labels(ax, ch, data, code, colour)
    return ch.done(fig)
