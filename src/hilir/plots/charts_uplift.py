"""What a stage is worth: the uplift bars.

The uplift bars show export value per raw-equivalent tonne relative to the raw product,
with ranges: the comparison a downstreaming argument needs. The per-kg unit-value ladder
lives in :mod:`hilir.plots.charts_ladder`. The chart says which measure it shows in its
subtitle and note.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from hilir.errors import HilirDataError
from hilir.i18n.catalog import Lang, t
from hilir.i18n.labels import geography_label
from hilir.i18n.numbers import format_number, format_range
from hilir.plots.common import (
    Chart,
    as_notes,
    bounds_wide,
    cap,
    geo_code,
    item_label,
    period_text,
    require,
    select_geography,
    select_value,
)
from hilir.plots.layout import (
    NumberFormatter,
    category_axis,
    end_label,
)
from hilir.plots.sources import Note
from hilir.plots.style import GRID, INK, MUTED, STAGE_ORDER, Size, chart_style, stage_colour
from hilir.provenance.sidecar import Provenance


def uplift_data(
    frame: pd.DataFrame,
    *,
    geography: str,
    chain: str | None = None,
    year: int | None = None,
) -> pd.DataFrame:
    """Uplift (value per raw-equivalent tonne over the raw value) with its range, per product.

    Parameters
    ----------
    frame : pandas.DataFrame
        Output of :func:`hilir.value.uplift` (long: ``product, stage, bound, uplift``) or
        a wide frame with ``uplift_low, uplift_central, uplift_high`` (and ``product`` or
        ``stage``).
    geography : str
        ``IDN`` or ``ID-LA``.
    chain : str, optional
        Chain key; with several chains in the frame and ``chain=None`` every chain is kept
        and labels name their chain.
    year : int, optional
        Year to show (frames with a ``year`` column); default the latest year with a
        central uplift.

    Returns
    -------
    pandas.DataFrame
        ``chain, geography, year, product, stage, low, central, high`` (ratios, unitless),
        ``basis`` (``data`` or ``assumption``), ``source`` and, when the frame has it,
        ``value_usd`` (the product's export value, US$); raw products (uplift 1 by
        definition) are left out, sorted by central uplift.
    """
    what = "uplift frame"
    require(frame, [], what)
    code = geo_code(geography)
    df = select_geography(frame, code, what)
    if chain is not None:
        df, _ = select_value(df, "chain", chain, what)
    label_col = "product" if "product" in df.columns else "stage"
    if label_col not in df.columns:
        raise HilirDataError(f"{what} needs a 'product' or 'stage' column")
    index = [c for c in ("chain", "year", "product", "stage") if c in df.columns]
    wide = bounds_wide(df, "uplift", index, what)
    text_cols = [c for c in ("basis", "source") if c in df.columns]
    agg: dict[str, object] = {
        c: (lambda v: "+".join(sorted({str(x) for x in v.dropna() if str(x)}))) for c in text_cols
    }
    if "raw_input_mass_share" in df.columns:
        agg["raw_input_mass_share"] = "min"
    if "value_usd" in df.columns:
        agg["value_usd"] = "max"
    if agg:
        extra = df.groupby(index, dropna=False).agg(agg).reset_index()
        wide = wide.merge(extra, on=index, how="left")
    if "year" in wide.columns:
        have = wide[wide["central"].notna()]
        if have.empty:
            raise HilirDataError(f"{what} has no central uplift to plot")
        chosen = int(have["year"].max()) if year is None else int(year)
        wide = wide[wide["year"] == chosen]
        if wide.empty:
            raise HilirDataError(f"{what} has no rows for year {chosen}")
    elif year is not None:
        raise HilirDataError(f"{what} has no 'year' column to select {year} from")
    if "stage" in wide.columns:
        wide = wide[wide["stage"].astype(str) != "raw"]
    wide = wide[wide["central"].notna()]
    if wide.empty:
        raise HilirDataError(f"{what} has no uplift for a non-raw product")
    if "chain" not in wide.columns:
        wide["chain"] = chain or ""
    if "year" not in wide.columns:
        wide["year"] = pd.NA
    if "product" not in wide.columns:
        wide["product"] = ""
    if "stage" not in wide.columns:
        wide["stage"] = ""
    if "basis" not in wide.columns:
        wide["basis"] = "data"
    if "source" not in wide.columns:
        wide["source"] = ""
    wide["geography"] = code
    cols = [
        "chain",
        "geography",
        "year",
        "product",
        "stage",
        "low",
        "central",
        "high",
        "basis",
        "source",
    ]
    cols += [c for c in ("raw_input_mass_share", "value_usd") if c in wide.columns]
    return wide.loc[:, cols].sort_values(["central", "product"]).reset_index(drop=True)


def _uplift_label(row: pd.Series, lang: str, multi: bool) -> str:
    if row["product"]:
        name = item_label(str(row["product"]), lang)
    else:
        name = t(f"stage.{row['stage']}", lang)
    if multi and row["chain"]:
        return f"{cap(item_label(str(row['chain']), lang))}: {name}"
    return cap(name)


def title_uplift(data: pd.DataFrame, lang: str) -> str:
    """Finding title: the chain's main downstream product, its uplift and range.

    The main product is the one with the largest export value (``value_usd``, the rule of
    :func:`hilir.brief.narrative.uplift_top`, so the title and the text name the same
    product); without export values, the one with the largest central uplift.
    """
    keys = ["value_usd", "central"] if data.get("value_usd", pd.Series()).notna().any() else []
    top = data.sort_values(keys or ["central"], ascending=False).iloc[0]
    lo, hi = float(top["low"]), float(top["high"])
    if np.isfinite(lo) and np.isfinite(hi):
        rng = format_range(lo, hi, lang=lang, kind="number", decimals=1)
    else:
        rng = format_number(float(top["central"]), lang=lang, decimals=1)
    fields = {"product": _uplift_label(top, lang, False), "range": rng}
    if pd.isna(top["year"]):
        return cap(t("title.uplift.noyear", lang, **fields))
    return cap(t("title.uplift", lang, year=str(int(top["year"])), **fields))


def plot_uplift(
    frame: pd.DataFrame,
    *,
    lang: Lang = "id",
    geography: str,
    chain: str | None = None,
    year: int | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    note: Note | Sequence[Note] | None = None,
    size: Size = "full",
    sources: Iterable[str | Provenance] | None = None,
) -> Figure:
    """Uplift bars with ranges: export value per raw-equivalent tonne relative to raw.

    A horizontal bar per product at its central uplift, a line over its low-high range,
    and a reference line at 1 (the raw product's own value). Bars resting on a cited
    assumption rather than trade data are hatched and say so in the note line.

    Parameters
    ----------
    frame : pandas.DataFrame
        See :func:`uplift_data`.
    lang, geography, title, subtitle, note, size, sources
        As :func:`hilir.plots.plot_stage_share`.
    chain : str, optional
        Chain key.
    year : int, optional
        Year shown; default the latest with an uplift.

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.hilir_data``: see :func:`uplift_data`.
    """
    ch = Chart("uplift", lang=lang, size=size)
    data = uplift_data(frame, geography=geography, chain=chain, year=year)
    code = str(data["geography"].iloc[0])
    multi = data["chain"].nunique() > 1
    assumed = data["basis"].astype(str).str.contains("assumption")
    notes = _uplift_notes(data, assumed, note)
    with chart_style(size):
        n = len(data)
        height = (
            max(ch.fs.height, ch.fs.height * 0.45 + n * ch.fs.font * 0.030)
            if size != "slide"
            else ch.fs.height
        )
        fig, ax = ch.single(height=height)
        for i, row in data.iterrows():
            _draw_uplift_bar(ax, ch, i, row, bool(assumed[i]))
        _uplift_axes(ax, ch, data, multi)
        years = [int(y) for y in data["year"].dropna()]
        ch.finish(
            fig,
            data=data,
            title=title or title_uplift(data, ch.lang),
            subtitle=subtitle
            or ch.t(
                "subtitle.uplift",
                period=period_text(years) or "–",
                geo=geography_label(code, ch.lang),
            ),
            frames=[data],
            sources=sources,
            notes=notes,
        )
    return ch.done(fig)


def _uplift_notes(
    data: pd.DataFrame, assumed: pd.Series, note: Note | Sequence[Note] | None
) -> list[Note | None]:
    """Note line: the range, an assumed basis, a raw-input share below 1, the caller's notes."""
    notes: list[Note | None] = ["note.uplift_range"]
    if assumed.any():
        notes.append("note.assumption_basis")
    if (
        "raw_input_mass_share" in data.columns
        and (pd.to_numeric(data["raw_input_mass_share"], errors="coerce") < 1).any()
    ):
        notes.append("note.raw_input_share")
    notes += as_notes(note)
    return notes


def _draw_uplift_bar(ax: Any, ch: Chart, i: Any, row: pd.Series, assumed: bool) -> None:
    """One product's bar at its central uplift, its low-high range and its value label."""
    colour = (
        stage_colour(str(row["stage"]), str(row["chain"]) or None)
        if row["stage"] in STAGE_ORDER
        else stage_colour("processed", str(row["chain"]) or None)
    )
    ax.barh(
        i,
        float(row["central"]),
        height=0.6,
        color=colour,
        hatch="///" if assumed else None,
        edgecolor="white" if assumed else None,
        linewidth=0,
    )
    lo, hi = float(row["low"]), float(row["high"])
    if np.isfinite(lo) and np.isfinite(hi):
        ax.plot([lo, hi], [i, i], color=INK, linewidth=1.0)
        ax.plot([lo, lo], [i - 0.15, i + 0.15], color=INK, linewidth=1.0)
        ax.plot([hi, hi], [i - 0.15, i + 0.15], color=INK, linewidth=1.0)
    end = max(float(row["central"]), hi if np.isfinite(hi) else 0.0)
    end_label(
        ax,
        ch.t(
            "unit.times_short",
            value=format_number(float(row["central"]), lang=ch.lang, decimals=1),
        ),
        end,
        i,
        fontsize=ch.fs.font * 0.9,
        offset_pt=4,
    )


def _uplift_axes(ax: Any, ch: Chart, data: pd.DataFrame, multi: bool) -> None:
    """Raw reference line at 1×, product labels, uplift axis from zero and its grid."""
    n = len(data)
    ys = np.arange(n)
    ax.axvline(1.0, color=MUTED, linewidth=0.8, linestyle=(0, (3, 2)))
    category_axis(ax, ys, [_uplift_label(r, ch.lang, multi) for _, r in data.iterrows()])
    top = float(np.nanmax(data[["central", "high"]].to_numpy(dtype=float)))
    ax.set_xlim(0, top * 1.18)
    ax.grid(axis="x", color=GRID, linewidth=0.5)
    ax.xaxis.set_major_formatter(NumberFormatter(ch.lang, suffix="×"))
    ax.text(
        1.0,
        n - 0.45,
        " " + ch.t("label.raw_reference"),
        fontsize=ch.fs.small,
        color=MUTED,
        va="bottom",
        ha="left",
    )
