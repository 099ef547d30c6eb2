"""Processing-share charts: stage shares over time, and small multiples across chains.

Both take the frames of :mod:`hilir.value` (``stage_shares``, ``processing_share``).
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Sequence
from itertools import pairwise
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from hilir.errors import HilirDataError
from hilir.i18n.catalog import Lang, t
from hilir.i18n.labels import geography_label
from hilir.i18n.numbers import format_percent
from hilir.plots.common import (
    Chart,
    as_notes,
    cap,
    item_label,
    period_text,
    text_colour,
    years_of,
)
from hilir.plots.layout import NumberFormatter, label_line_ends, year_axis
from hilir.plots.share_data import (
    Measure,
    downstream_share,
    processing_share_data,
    stage_share_data,
)
from hilir.plots.sources import Note
from hilir.plots.style import (
    GRID,
    MUTED,
    STAGE_ORDER,
    Size,
    chain_colour,
    chart_style,
    stage_colour,
)
from hilir.provenance.sidecar import Provenance


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
                geo=geography_label(code, ch.lang),
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

    Each panel shows its own chain only, in the chain's colour, on a shared 0-100 % scale,
    with its latest share in the panel title. A requested chain whose share the frame
    cannot give (no rows, or no measurable share) gets a panel that says so in words.

    Parameters
    ----------
    frame : pandas.DataFrame
        See :func:`processing_share_data`.
    lang, geography, measure, bound, title, subtitle, note, size, sources
        As :func:`plot_stage_share`.
    chains : sequence of str, optional
        Chains and their panel order; default all chains in the frame. Chains absent from
        the frame are drawn as "cannot be measured" panels; at least one must be present.

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.hilir_data``: ``chain, geography, year, share, source`` (measured chains).
    """
    ch = Chart("small_multiples", lang=lang, size=size)
    have = set(frame["chain"].astype(str)) if "chain" in frame.columns else set()
    measured = None if chains is None else [c for c in chains if c in have]
    if measured == []:
        raise HilirDataError(
            f"processing-share frame has no rows for chains {sorted(chains or [])}; "
            f"it has {sorted(have)}"
        )
    data = processing_share_data(
        frame, geography=geography, chains=measured, measure=measure, bound=bound
    )
    code = str(data["geography"].iloc[0])
    keys = list(chains) if chains is not None else list(dict.fromkeys(data["chain"]))
    ncols = min({"column": 2, "full": 3, "slide": 4}[size], len(keys))
    nrows = math.ceil(len(keys) / ncols)
    height = ch.fs.height * max(1.0, 0.45 + 0.4 * nrows) if nrows > 1 else ch.fs.height
    years = years_of(data)
    with chart_style(size):
        fig, axes = ch.figure(nrows, ncols, height=height, sharex=True, sharey=True)
        for i, ax in enumerate(axes.flat):
            if i >= len(keys):
                ax.set_visible(False)
                continue
            sub = data[data["chain"] == keys[i]]
            if sub.empty:
                _no_share_panel(ax, ch, keys[i])
            else:
                _share_panel(ax, ch, keys[i], sub, years)
        _outer_labels(axes, data, keys)
        ch.finish(
            fig,
            data=data,
            title=title or title_small_multiples(data, ch.lang),
            subtitle=subtitle
            or ch.t(
                f"subtitle.small_multiples.{measure}",
                period=period_text(years),
                geo=geography_label(code, ch.lang),
            ),
            frames=[data],
            sources=sources,
            notes=["note.raw_equivalent" if measure == "volume" else None, *as_notes(note)],
        )
    return ch.done(fig)


def _share_panel(ax: Any, ch: Chart, key: str, sub: pd.DataFrame, years: list[int]) -> None:
    """One chain's processed share (fraction, by year) in its colour, latest share on top."""
    colour = chain_colour(key)
    ax.fill_between(sub["year"], 0, sub["share"], color=colour, alpha=0.15, linewidth=0)
    ax.plot(sub["year"], sub["share"], color=colour, marker="o" if len(sub) < 4 else None)
    pct = format_percent(float(sub.iloc[-1]["share"]), lang=ch.lang, decimals=0)
    ax.set_title(
        f"{cap(item_label(key, ch.lang))}  {pct}", color=text_colour(colour), fontsize=ch.fs.font
    )
    ax.set_ylim(0, 1)
    ax.set_yticks([0, 0.5, 1.0])
    ax.yaxis.set_major_formatter(NumberFormatter(ch.lang, percent=True))
    ax.grid(axis="y", color=GRID, linewidth=0.5)
    year_axis(ax, years, max_ticks=3)


def _no_share_panel(ax: Any, ch: Chart, key: str) -> None:
    """A chain whose processed share cannot be measured: its name and a sentence saying so."""
    ax.set_title(cap(item_label(key, ch.lang)), color=MUTED, fontsize=ch.fs.font)
    ax.set_axis_off()
    ax.text(
        0.5,
        0.5,
        textwrap.fill(ch.t("label.no_share"), {"column": 18, "full": 24, "slide": 24}[ch.size]),
        transform=ax.transAxes,
        ha="center",
        va="center",
        color=MUTED,
        fontsize=ch.fs.small,
        linespacing=1.2,
    )


def _outer_labels(axes: np.ndarray, data: pd.DataFrame, keys: Sequence[str]) -> None:
    """Tick labels where a shared axis would leave a drawn panel without them.

    A drawn panel with no drawn panel left of it in its row gets value labels, one with
    none below it in its column gets year labels: text panels carry no axis to read.
    """
    nrows, ncols = axes.shape
    drawn = np.zeros((nrows, ncols), dtype=bool)
    for i, key in enumerate(keys):
        drawn[i // ncols, i % ncols] = bool((data["chain"] == key).any())
    for r in range(nrows):
        for c in range(ncols):
            if not drawn[r, c]:
                continue
            if not drawn[r, :c].any():
                axes[r, c].yaxis.set_tick_params(labelleft=True)
            if not drawn[r + 1 :, c].any():
                axes[r, c].xaxis.set_tick_params(labelbottom=True)
