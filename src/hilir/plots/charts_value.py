"""Processing-share charts: stage shares over time, and small multiples across chains.

Both take the frames of :mod:`hilir.value` (``stage_shares``, ``processing_share``) or, for
the value measure, the tidy export table itself (``hilir.load_exports()``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from itertools import pairwise
from typing import Literal

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from hilir.errors import HilirDataError
from hilir.i18n.catalog import Lang, t
from hilir.i18n.numbers import format_percent
from hilir.plots._common import (
    Chart,
    as_notes,
    cap,
    check_choice,
    geo_code,
    geo_label,
    item_label,
    join_keys,
    period_text,
    require,
    select_bound,
    select_chains,
    select_geography,
    select_value,
    text_colour,
    years_of,
)
from hilir.plots._layout import NumberFormatter, label_line_ends, year_axis
from hilir.plots.sources import Note
from hilir.plots.style import (
    CONTEXT,
    GRID,
    MUTED,
    STAGE_ORDER,
    Size,
    chain_colour,
    chart_style,
    stage_colour,
)
from hilir.provenance.sidecar import Provenance

Measure = Literal["value", "volume"]
DOWNSTREAM = ("intermediate", "processed")


def _annual_exports(frame: pd.DataFrame, what: str) -> pd.DataFrame:
    """World-total annual export rows of a tidy trade frame (preferred source only)."""
    df = frame
    if "flow" in df.columns:
        df = df[df["flow"].astype("string").eq("export").fillna(False).to_numpy(dtype=bool)]
    if "preferred" in df.columns:
        df = df[df["preferred"].fillna(False).astype(bool).to_numpy()]
    if "month" in df.columns and df["month"].notna().any():
        raise HilirDataError(
            f"{what} has monthly rows; sum them to years first (hilir.value.stage_shares)"
        )
    if "partner_type" in df.columns:
        world = df["partner_type"].astype("string").eq("world").fillna(False).to_numpy(dtype=bool)
        if world.any():
            df = df[world]
    if df.empty:
        raise HilirDataError(f"{what} has no preferred export rows")
    return df


def stage_share_data(
    frame: pd.DataFrame,
    *,
    geography: str,
    chain: str | None = None,
    measure: Measure = "value",
    bound: str = "central",
) -> pd.DataFrame:
    """Shares of each stage in a chain's exports by year: the data of :func:`plot_stage_share`.

    Parameters
    ----------
    frame : pandas.DataFrame
        One of: the output of :func:`hilir.value.stage_shares` (``stage``, ``measure``,
        ``share``, ``amount``); a frame with ``year``, ``stage`` and ``share_value`` or
        ``share_volume``; or tidy exports (``year``, ``stage``, ``value_usd``; value
        measure only, preferred world rows).
    geography : str
        ``IDN`` / ``Indonesia`` or ``ID-LA`` / ``Lampung``.
    chain : str, optional
        Needed when the frame holds several chains.
    measure : {"value", "volume"}, default "value"
        Share of export value (USD) or of raw-equivalent tonnes.
    bound : {"low", "central", "high"}, default "central"
        Bound of the conversion factors (volume shares).

    Returns
    -------
    pandas.DataFrame
        ``chain, geography, year, stage, share`` (fraction 0-1), ``amount`` (USD or t raw
        equivalent, when known), ``source``; sorted by year and stage order.
    """
    check_choice("measure", measure, ("value", "volume"))
    what = "stage-share frame"
    require(frame, ["year", "stage"], what)
    code = geo_code(geography)
    df = select_geography(frame, code, what)
    if "share" in df.columns and "measure" in df.columns:
        df, _ = select_value(df, "measure", measure, what)
        df = select_bound(df, bound, what)
        df = df.assign(share=pd.to_numeric(df["share"], errors="coerce"))
        amount = "amount" if "amount" in df.columns else None
    elif f"share_{measure}" in df.columns:
        df = select_bound(df, bound, what)
        df = df.assign(share=pd.to_numeric(df[f"share_{measure}"], errors="coerce"))
        amount = None
    elif "value_usd" in df.columns:
        if measure != "value":
            raise HilirDataError(
                "volume shares need raw-equivalent tonnes: pass the output of "
                "hilir.value.stage_shares, not the export table"
            )
        df = _annual_exports(df, what)
        amount = "value_usd"
    else:
        raise HilirDataError(
            f"{what} needs 'share' and 'measure', 'share_{measure}', or 'value_usd' columns; "
            f"it has {list(frame.columns)}"
        )
    df, chain_key = select_value(df, "chain", chain, what)
    unknown = sorted(set(df["stage"].dropna().astype(str)) - set(STAGE_ORDER))
    if unknown:
        raise HilirDataError(f"{what} has unknown stages {unknown}")
    source = (
        df["source"].astype("string") if "source" in df.columns else pd.Series("", index=df.index)
    )
    work = pd.DataFrame(
        {
            "year": df["year"].astype(int).to_numpy(),
            "stage": df["stage"].astype(str).to_numpy(),
            "share": df["share"].to_numpy(dtype=float) if "share" in df.columns else np.nan,
            "amount": pd.to_numeric(df[amount], errors="coerce").to_numpy(dtype=float)
            if amount
            else np.nan,
            "source": source.fillna("").to_numpy(),
        }
    )
    agg = work.groupby(["year", "stage"], as_index=False).agg(
        share=("share", "sum"),
        amount=("amount", lambda s: s.sum(min_count=1)),
        source=("source", join_keys),
    )
    if amount == "value_usd":
        total = agg.groupby("year")["amount"].transform("sum")
        agg["share"] = agg["amount"] / total.where(total > 0)
    agg = agg[agg["share"].notna()]
    if agg.empty:
        raise HilirDataError(f"{what} has no shares to plot")
    order = {s: i for i, s in enumerate(STAGE_ORDER)}
    agg = agg.sort_values(["year", "stage"], key=lambda c: c.map(order) if c.name == "stage" else c)
    agg.insert(0, "geography", code)
    agg.insert(0, "chain", chain_key or "")
    return agg.reset_index(drop=True)


def downstream_share(data: pd.DataFrame) -> pd.Series:
    """Share of intermediate and processed stages by year (index year)."""
    down = data[data["stage"].isin(DOWNSTREAM)].groupby("year")["share"].sum()
    return down.reindex(sorted(data["year"].unique()), fill_value=0.0)


def title_stage_share(data: pd.DataFrame, lang: str, *, chain: str) -> str:
    """Finding title: how the processed share moved from the first to the last year.

    Parameters
    ----------
    data : pandas.DataFrame
        Output of :func:`stage_share_data`.
    lang : {"id", "en"}
    chain : str
        Chain key.

    Returns
    -------
    str
        ``Porsi ekspor kopi yang diolah naik dari 1,2% (2005) menjadi 3,4% (2015)``; the
        numbers are computed from ``data``.
    """
    share = downstream_share(data)
    name = item_label(chain, lang) if chain else ""
    y0, y1 = int(share.index.min()), int(share.index.max())
    first, last = float(share.loc[y0]), float(share.loc[y1])
    fields = {
        "chain": name,
        "first": format_percent(first, lang=lang),
        "last": format_percent(last, lang=lang),
        "y0": str(y0),
        "y1": str(y1),
    }
    if y0 == y1:
        key = "title.stage_share.one"
    elif abs(last - first) < 0.0005:
        key = "title.stage_share.flat"
    else:
        key = "title.stage_share.up" if last > first else "title.stage_share.down"
    return cap(t(key, lang, **fields))


def _consecutive(years: Sequence[int]) -> bool:
    return len(years) >= 3 and all(b - a == 1 for a, b in pairwise(years))


def plot_stage_share(
    frame: pd.DataFrame,
    *,
    lang: Lang = "id",
    geography: str,
    chain: str | None = None,
    measure: Measure = "value",
    bound: str = "central",
    title: str | None = None,
    subtitle: str | None = None,
    note: Note | Sequence[Note] | None = None,
    size: Size = "full",
    sources: Iterable[str | Provenance] | None = None,
) -> Figure:
    """Stacked area of the stage shares of a chain's exports over time.

    Stages stack from raw (light, bottom) to processed (dark, top), labelled directly at
    the right; years with gaps between them are drawn as stacked bars instead of an area,
    so no share is interpolated.

    Parameters
    ----------
    frame : pandas.DataFrame
        See :func:`stage_share_data`.
    lang : {"id", "en"}, default "id"
    geography : str
        ``IDN`` / ``Indonesia`` or ``ID-LA`` / ``Lampung``; rows for another geography
        are an error.
    chain : str, optional
        Chain key, needed when the frame holds several chains.
    measure : {"value", "volume"}, default "value"
        Share of export value or of raw-equivalent tonnes.
    bound : {"low", "central", "high"}, default "central"
        Factor bound (volume shares).
    title : str, optional
        Default: the finding computed by :func:`title_stage_share`.
    subtitle : str, optional
        Default: measure, unit, period and geography.
    note : str, mapping or sequence, optional
        Extra notes (catalogue keys, ``{"id", "en"}`` mappings, or text).
    size : {"column", "full", "slide"}, default "full"
    sources : iterable of str or Provenance, optional
        Provenance keys or records for data without a ``source`` column.

    Returns
    -------
    matplotlib.figure.Figure
        With ``fig.hilir`` (:class:`~hilir.plots.meta.ChartMeta`), ``fig.hilir_data``
        (``chain, geography, year, stage, share, amount, source``) and
        ``fig.hilir_sources``.
    """
    ch = Chart("stage_share", lang=lang, size=size)
    data = stage_share_data(frame, geography=geography, chain=chain, measure=measure, bound=bound)
    chain_key = str(data["chain"].iloc[0]) or None
    code = str(data["geography"].iloc[0])
    years = years_of(data)
    stages = [s for s in STAGE_ORDER if s in set(data["stage"])]
    wide = data.pivot(index="year", columns="stage", values="share").reindex(columns=stages)
    wide = wide.fillna(0.0)
    notes: list[Note | None] = []
    if "mixed" in stages:
        notes.append("note.mixed_stage")
    if measure == "volume":
        notes.append("note.raw_equivalent")
    notes += as_notes(note)
    with chart_style(size):
        fig, ax = ch.single()
        colours = [stage_colour(s, chain_key) for s in stages]
        xs = wide.index.to_numpy(dtype=float)
        if _consecutive(years):
            ax.stackplot(xs, wide.to_numpy().T, colors=colours, linewidth=0.4, edgecolor="white")
            ax.set_xlim(xs.min(), xs.max())
            x_end = xs.max()
        else:
            step = min((b - a for a, b in pairwise(years)), default=1)
            bottom = np.zeros(len(xs))
            for s, c in zip(stages, colours, strict=True):
                ax.bar(xs, wide[s].to_numpy(), bottom=bottom, width=0.7 * step, color=c)
                bottom += wide[s].to_numpy()
            ax.set_xticks(xs)
            x_end = xs.max() + 0.35 * step
        ax.set_ylim(0, 1)
        ax.set_yticks([0, 0.25, 0.5, 0.75, 1.0])
        ax.yaxis.set_major_formatter(NumberFormatter(ch.lang, percent=True))
        ax.grid(axis="y", color=GRID, linewidth=0.5)
        if _consecutive(years):
            year_axis(ax, years)
        else:
            ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: str(round(x))))
        ch.finish(
            fig,
            data=data,
            title=title or title_stage_share(data, ch.lang, chain=chain_key or ""),
            subtitle=subtitle
            or ch.t(
                f"subtitle.stage_share.{measure}",
                period=period_text(years),
                geo=geo_label(code, ch.lang),
            ),
            frames=[data],
            sources=sources,
            notes=notes,
        )
        last = wide.iloc[-1]
        cum = last.cumsum()
        items = []
        for s, c in zip(stages, colours, strict=True):
            if last[s] <= 0:
                continue
            mid = cum[s] - last[s] / 2
            items.append(
                (x_end, mid, ch.t(f"stage.{s}"), text_colour(c) if s != "mixed" else MUTED)
            )
        label_line_ends(ax, items, fontsize=ch.fs.font * 0.92)
    return ch.done(fig)


def processing_share_data(
    frame: pd.DataFrame,
    *,
    geography: str,
    chains: Sequence[str] | None = None,
    measure: Measure = "value",
    bound: str = "central",
) -> pd.DataFrame:
    """Processed share (intermediate + processed stages) by chain and year.

    Parameters
    ----------
    frame : pandas.DataFrame
        The output of :func:`hilir.value.processing_share` (``share_value``,
        ``share_volume`` per chain and year), of :func:`hilir.value.stage_shares`, or tidy
        exports (value measure).
    geography, measure, bound
        As :func:`stage_share_data`.
    chains : sequence of str, optional
        Chains to keep, in panel order; default every chain in the frame, by key.

    Returns
    -------
    pandas.DataFrame
        ``chain, geography, year, share`` (fraction), ``source``.
    """
    check_choice("measure", measure, ("value", "volume"))
    what = "processing-share frame"
    require(frame, ["year", "chain"], what)
    code = geo_code(geography)
    df = select_geography(frame, code, what)
    df = select_chains(df, chains, what)
    col = f"share_{measure}"
    if col in df.columns and "stage" not in df.columns:
        df = select_bound(df, bound, what)
        out = pd.DataFrame(
            {
                "chain": df["chain"].astype(str).to_numpy(),
                "year": df["year"].astype(int).to_numpy(),
                "share": pd.to_numeric(df[col], errors="coerce").to_numpy(dtype=float),
                "source": df["source"].astype("string").fillna("").to_numpy()
                if "source" in df.columns
                else "",
            }
        )
    else:
        parts = []
        for key in sorted(df["chain"].dropna().astype(str).unique()):
            sub = stage_share_data(
                df[df["chain"].astype(str).eq(key).to_numpy(dtype=bool)],
                geography=code,
                chain=key,
                measure=measure,
                bound=bound,
            )
            share = downstream_share(sub)
            src = join_keys(sub["source"])
            parts.append(
                pd.DataFrame(
                    {
                        "chain": key,
                        "year": share.index.astype(int),
                        "share": share.to_numpy(),
                        "source": src,
                    }
                )
            )
        out = pd.concat(parts, ignore_index=True)
    dup = out.duplicated(["chain", "year"])
    if dup.any():
        row = out[dup.to_numpy(dtype=bool)].iloc[0]
        raise HilirDataError(
            f"{what} has several rows for chain {row['chain']!r}, year {row['year']}"
        )
    out = out[out["share"].notna()]
    order = list(chains) if chains is not None else sorted(out["chain"].unique())
    out["chain"] = pd.Categorical(out["chain"], categories=order, ordered=True)
    out = out.sort_values(["chain", "year"])
    out["chain"] = out["chain"].astype(str)
    out.insert(1, "geography", code)
    return out.reset_index(drop=True)


def title_small_multiples(data: pd.DataFrame, lang: str) -> str:
    """Finding title: the chain with the highest processed share in its latest year."""
    last = data.sort_values("year").groupby("chain").tail(1)
    top = last.sort_values(["share", "chain"], ascending=[False, True]).iloc[0]
    return cap(
        t(
            "title.small_multiples",
            lang,
            chain=item_label(str(top["chain"]), lang),
            share=format_percent(float(top["share"]), lang=lang),
            year=str(int(top["year"])),
        )
    )


def plot_small_multiples(
    frame: pd.DataFrame,
    *,
    lang: Lang = "id",
    geography: str,
    chains: Sequence[str] | None = None,
    measure: Measure = "value",
    bound: str = "central",
    title: str | None = None,
    subtitle: str | None = None,
    note: Note | Sequence[Note] | None = None,
    size: Size = "full",
    sources: Iterable[str | Provenance] | None = None,
) -> Figure:
    """Small multiples of the processed share of exports, one panel per chain.

    Each panel shows its chain in the chain's colour over the other chains in light grey,
    on a shared 0-100 % scale, with its latest share in the panel title.

    Parameters
    ----------
    frame : pandas.DataFrame
        See :func:`processing_share_data`.
    lang, geography, measure, bound, title, subtitle, note, size, sources
        As :func:`plot_stage_share`.
    chains : sequence of str, optional
        Chains and their panel order; default all chains in the frame.

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.hilir_data``: ``chain, geography, year, share, source``.
    """
    ch = Chart("small_multiples", lang=lang, size=size)
    data = processing_share_data(
        frame, geography=geography, chains=chains, measure=measure, bound=bound
    )
    code = str(data["geography"].iloc[0])
    keys = list(dict.fromkeys(data["chain"]))
    ncols = {"column": 2, "full": 3, "slide": 4}[size]
    ncols = min(ncols, len(keys))
    nrows = math.ceil(len(keys) / ncols)
    height = ch.fs.height * max(1.0, 0.45 + 0.4 * nrows) if nrows > 1 else ch.fs.height
    years = years_of(data)
    with chart_style(size):
        fig, axes = ch.figure(nrows, ncols, height=height, sharex=True, sharey=True)
        for i, ax in enumerate(axes.flat):
            if i >= len(keys):
                ax.set_visible(False)
                axes.flat[i - ncols].xaxis.set_tick_params(labelbottom=True)
                continue
            key = keys[i]
            for other in keys:
                if other == key:
                    continue
                sub = data[data["chain"] == other]
                ax.plot(sub["year"], sub["share"], color=CONTEXT, linewidth=0.6, alpha=0.45)
            sub = data[data["chain"] == key]
            colour = chain_colour(key)
            ax.fill_between(sub["year"], 0, sub["share"], color=colour, alpha=0.15, linewidth=0)
            ax.plot(sub["year"], sub["share"], color=colour, marker="o" if len(sub) < 4 else None)
            last = sub.iloc[-1]
            pct = format_percent(float(last["share"]), lang=ch.lang, decimals=0)
            ax.set_title(
                f"{cap(item_label(key, ch.lang))}  {pct}",
                color=text_colour(colour),
                fontsize=ch.fs.font,
            )
            ax.set_ylim(0, 1)
            ax.set_yticks([0, 0.5, 1.0])
            ax.yaxis.set_major_formatter(NumberFormatter(ch.lang, percent=True))
            ax.grid(axis="y", color=GRID, linewidth=0.5)
            year_axis(ax, years, max_ticks=3)
        ch.finish(
            fig,
            data=data,
            title=title or title_small_multiples(data, ch.lang),
            subtitle=subtitle
            or ch.t(
                f"subtitle.small_multiples.{measure}",
                period=period_text(years),
                geo=geo_label(code, ch.lang),
            ),
            frames=[data],
            sources=sources,
            notes=["note.raw_equivalent" if measure == "volume" else None, *as_notes(note)],
        )
    return ch.done(fig)
