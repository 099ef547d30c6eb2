"""The unit-value ladder: each product's export value per kg of product, by stage.

The ladder compares products per kilogram of product, as traded (log scale); it does not
divide prices across stages, because ore against ferronickel per kg would overstate the
gain (that is the uplift chart's job, :mod:`hilir.plots.charts_uplift`). The chart says so
in its subtitle and note.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from typing import Literal

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from hilir.errors import HilirDataError
from hilir.i18n.catalog import Lang, t
from hilir.i18n.numbers import format_money
from hilir.i18n.units import ExchangeRate
from hilir.plots.common import (
    Chart,
    as_notes,
    cap,
    geo_code,
    geo_label,
    item_label,
    join_keys,
    period_text,
    require,
    select_geography,
    select_value,
    text_colour,
    to_currency,
)
from hilir.plots.layout import (
    label_line_ends,
    log_axis,
)
from hilir.plots.sources import Note
from hilir.plots.style import GRID, MUTED, STAGE_ORDER, Size, chart_style, stage_colour
from hilir.provenance.sidecar import Provenance

#: Unit-value flags that mean the year's value is not a price (dropped from the ladder).
NOT_A_PRICE = ("zero_flow", "no_weight", "tiny_weight")


def unit_value_data(
    frame: pd.DataFrame,
    *,
    geography: str,
    chain: str | None = None,
    years: tuple[int, int] | None = None,
    span: int = 5,
) -> tuple[pd.DataFrame, int]:
    """Median and range of each product's unit value over a period: the ladder's data.

    Parameters
    ----------
    frame : pandas.DataFrame
        Output of :func:`hilir.value.unit_values` (``unit_value_usd_per_kg``, ``flag``), a
        frame with ``product, stage, year, usd_per_kg``, or tidy exports (``value_usd``,
        ``net_weight_kg``; preferred world rows are used).
    geography : str
        ``IDN`` or ``ID-LA`` (names accepted).
    chain : str, optional
        Needed when the frame holds several chains.
    years : (int, int), optional
        First and last year of the period; default the ``span`` latest years up to the
        chain's latest year with data.
    span : int, default 5
        Length of the default period in years.

    Notes
    -----
    A product reported by several sources (a Comtrade file of world totals and one of
    destinations) keeps the source with the most years of unit values (ties: the first
    key), so sources are never mixed within a product.

    Returns
    -------
    (pandas.DataFrame, int)
        ``chain, geography, product, stage, first_year, last_year, n_years,
        median_usd_per_kg, low_usd_per_kg, high_usd_per_kg, value_usd, source``; and the
        number of product-years dropped because their unit value is not a price
        (zero flows, missing or tiny weights).
    """
    what = "unit-value frame"
    require(frame, ["year", "product", "stage"], what)
    df = select_geography(frame, geo_code(geography), what)
    df, chain_key = select_value(df, "chain", chain, what)
    dropped = 0
    if "unit_value_usd_per_kg" in df.columns or "usd_per_kg" in df.columns:
        col = "unit_value_usd_per_kg" if "unit_value_usd_per_kg" in df.columns else "usd_per_kg"
        uv = pd.to_numeric(df[col], errors="coerce")
        if "flag" in df.columns:
            bad = (
                df["flag"]
                .astype("string")
                .fillna("")
                .map(lambda f: any(x in str(f).split(";") for x in NOT_A_PRICE))
            )
            dropped += int(bad.sum())
            uv = uv.where(~bad.to_numpy(dtype=bool))
        work = df.assign(_uv=uv)
    elif {"value_usd", "net_weight_kg"} <= set(df.columns):
        from hilir.plots.share_data import _annual_exports

        ann = _annual_exports(df, what)
        keys = ["product", "stage", "year"]
        ann = ann.groupby(keys, as_index=False).agg(
            value_usd=("value_usd", "sum"),
            net_weight_kg=("net_weight_kg", lambda s: s.sum(min_count=len(s))),
            source=("source", lambda s: "+".join(sorted(set(map(str, s))))),
        )
        w = ann["net_weight_kg"]
        ok = w.gt(0) & ann["value_usd"].gt(0)
        dropped += int((~ok).sum())
        work = ann.assign(_uv=(ann["value_usd"] / w).where(ok))
    else:
        raise HilirDataError(
            f"{what} needs 'unit_value_usd_per_kg', 'usd_per_kg', or 'value_usd' and "
            f"'net_weight_kg' columns; it has {list(frame.columns)}"
        )
    work = work[work["_uv"].notna()]
    if "source" in work.columns:
        # one source per product: the one with the most years of unit values
        counts = work.groupby(["product", "source"]).size().reset_index(name="n")
        counts = counts.sort_values(["product", "n", "source"], ascending=[True, False, True])
        best = counts.drop_duplicates("product").set_index("product")["source"]
        work = work[work["source"].to_numpy() == work["product"].map(best).to_numpy()]
    dup = work.duplicated(["product", "year"])
    if dup.any():
        row = work[dup.to_numpy(dtype=bool)].iloc[0]
        raise HilirDataError(
            f"{what} has several rows for product {row['product']!r} in {int(row['year'])}"
        )
    if work.empty:
        raise HilirDataError(f"{what} has no unit values to plot")
    last_year = int(work["year"].max())
    first, last = years if years is not None else (last_year - span + 1, last_year)
    work = work[(work["year"] >= first) & (work["year"] <= last)]
    if work.empty:
        raise HilirDataError(f"{what} has no unit values in {first}-{last}")
    value = (
        work["value_usd"] if "value_usd" in work.columns else pd.Series(np.nan, index=work.index)
    )
    src = (
        work["source"].astype(str) if "source" in work.columns else pd.Series("", index=work.index)
    )
    work = work.assign(_value=pd.to_numeric(value, errors="coerce"), _src=src)
    out = work.groupby(["product", "stage"], as_index=False).agg(
        first_year=("year", "min"),
        last_year=("year", "max"),
        n_years=("year", "nunique"),
        median_usd_per_kg=("_uv", "median"),
        low_usd_per_kg=("_uv", "min"),
        high_usd_per_kg=("_uv", "max"),
        value_usd=("_value", lambda s: s.sum(min_count=1)),
        source=("_src", join_keys),
    )
    order = {s: i for i, s in enumerate(STAGE_ORDER)}
    out = out.sort_values(
        ["stage", "median_usd_per_kg"], key=lambda c: c.map(order) if c.name == "stage" else c
    )
    out.insert(0, "geography", geo_code(geography))
    out.insert(0, "chain", chain_key or "")
    return out.reset_index(drop=True), dropped


def title_unit_value_ladder(
    data: pd.DataFrame,
    lang: str,
    *,
    currency: Literal["USD", "IDR"] = "USD",
    fx: ExchangeRate | None = None,
) -> str:
    """Finding title: the span of unit values from the cheapest to the dearest product.

    The title gives the two ends per kg of product; it does not divide them, because a
    ratio of prices per kg across stages (ore against ferronickel) is not the value gained
    per tonne of raw material (that is the uplift chart's job).
    """
    period = period_text([int(data["first_year"].min()), int(data["last_year"].max())])
    ordered = data.sort_values(["median_usd_per_kg", "product"])
    low, high = ordered.iloc[0], ordered.iloc[-1]
    chain = str(data["chain"].iloc[0])

    def money(value: float) -> str:
        amount = float(to_currency(pd.Series([value]), currency, fx).iloc[0])
        dec = 2 if amount < 10 else (1 if amount < 100 else 0)
        return format_money(amount, lang=lang, currency=currency, decimals=dec, words=6)

    return cap(
        t(
            "title.ladder",
            lang,
            chain=item_label(chain, lang) if chain else "",
            low=money(float(low["median_usd_per_kg"])),
            low_product=item_label(str(low["product"]), lang),
            high=money(float(high["median_usd_per_kg"])),
            high_product=item_label(str(high["product"]), lang),
            period=period,
        )
    )


def plot_unit_value_ladder(
    frame: pd.DataFrame,
    *,
    lang: Lang = "id",
    geography: str,
    chain: str | None = None,
    years: tuple[int, int] | None = None,
    currency: Literal["USD", "IDR"] = "USD",
    fx: ExchangeRate | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    note: Note | Sequence[Note] | None = None,
    size: Size = "full",
    sources: Iterable[str | Provenance] | None = None,
) -> Figure:
    """Unit-value ladder: each product's export value per kg, from raw to processed (log).

    One column per stage (raw, intermediate, processed, mixed), a dot per product at its
    median unit value over the period and a line over its range of annual values, each
    product labelled directly. The log scale shows ratios as equal distances.

    Parameters
    ----------
    frame : pandas.DataFrame
        See :func:`unit_value_data`.
    lang : {"id", "en"}, default "id"
    geography : str
        ``IDN`` or ``ID-LA``.
    chain : str, optional
        Chain key (when the frame holds several).
    years : (int, int), optional
        Period; default the five latest years with data.
    currency : {"USD", "IDR"}, default "USD"
        Rupiah needs ``fx``; the rate and its source go in the note line.
    fx : ExchangeRate, optional
        Exchange rate for rupiah.
    title, subtitle, note, size, sources
        As :func:`hilir.plots.plot_stage_share`.

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.hilir_data``: see :func:`unit_value_data` (values in US dollars).
    """
    ch = Chart("unit_value_ladder", lang=lang, size=size)
    data, dropped = unit_value_data(frame, geography=geography, chain=chain, years=years)
    chain_key = str(data["chain"].iloc[0]) or None
    code = str(data["geography"].iloc[0])
    conv = {
        c: to_currency(data[c], currency, fx)
        for c in ("median_usd_per_kg", "low_usd_per_kg", "high_usd_per_kg")
    }
    stages = [s for s in STAGE_ORDER if s in set(data["stage"])]
    xpos = {s: i for i, s in enumerate(stages)}
    notes: list[Note | None] = ["note.unit_value_per_product"]
    if dropped:
        notes.append("note.unit_value_dropped")
    notes += [ch.fx_note(currency, fx), *as_notes(note)]
    period = period_text([int(data["first_year"].min()), int(data["last_year"].max())])
    with chart_style(size):
        fig, ax = ch.single()
        items = []
        wrap_label = 16 if size == "column" else 30
        for s in stages:
            sub = data.index[data["stage"] == s]
            n = len(sub)
            offsets = np.linspace(-0.12, 0.12, n) if n > 1 else [0.0]
            colour = stage_colour(s, chain_key)
            edge = text_colour(colour) if s != "mixed" else MUTED
            for off, i in zip(offsets, sub, strict=True):
                x = xpos[s] + off
                ax.plot(
                    [x, x],
                    [conv["low_usd_per_kg"][i], conv["high_usd_per_kg"][i]],
                    color=edge,
                    linewidth=1.0,
                    solid_capstyle="butt",
                )
                ax.plot(
                    [x],
                    [conv["median_usd_per_kg"][i]],
                    marker="o",
                    color=colour,
                    markeredgecolor=edge,
                    markersize=ch.fs.font * 0.8,
                    linestyle="none",
                )
                label = textwrap.fill(item_label(str(data.at[i, "product"]), ch.lang), wrap_label)
                items.append((s, (x + 0.02, float(conv["median_usd_per_kg"][i]), label, edge)))
        log_axis(ax, ch.lang)
        lo = min(float(conv["low_usd_per_kg"].min()), float(conv["median_usd_per_kg"].min()))
        hi = max(float(conv["high_usd_per_kg"].max()), float(conv["median_usd_per_kg"].max()))
        ax.set_ylim(lo / 1.6, hi * 1.6)
        ax.set_xlim(-0.4, len(stages) - 0.2)
        ax.set_xticks(range(len(stages)))
        wrap_at = 14 if size == "column" else 24
        ax.set_xticklabels([textwrap.fill(cap(ch.t(f"stage.{s}")), wrap_at) for s in stages])
        ax.tick_params(axis="x", length=0)
        ax.grid(axis="y", color=GRID, linewidth=0.5)
        unit = ch.t("unit.per_kg", currency=ch.t("unit.usd" if currency == "USD" else "unit.idr"))
        ch.finish(
            fig,
            data=data,
            title=title or title_unit_value_ladder(data, ch.lang, currency=currency, fx=fx),
            subtitle=subtitle
            or ch.t("subtitle.ladder", unit=unit, period=period, geo=geo_label(code, ch.lang)),
            frames=[data],
            sources=sources,
            notes=notes,
            latest_year=int(data["last_year"].max()),
        )
        # labels to the right of each stage column, spread per column
        for s in stages:
            col_items = [item for stage, item in items if stage == s]
            label_line_ends(ax, col_items, fontsize=ch.fs.font * 0.85, offset_pt=ch.fs.font * 0.6)
    return ch.done(fig)
