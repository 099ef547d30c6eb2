"""Concentration chart: HHI of exports over markets or products by year.

plot_concentration
    HHI over time for one or more products, with the residual range and the equivalent
    number of markets at the line ends.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from hilir.errors import HilirDataError
from hilir.i18n.catalog import Lang, t
from hilir.i18n.labels import geography_label
from hilir.i18n.numbers import format_number
from hilir.plots._markets_common import (
    _caveat_notes,
    _chain_of,
    _geo_of,
    _scope_label,
)
from hilir.plots.common import (
    Chart,
    as_notes,
    cap,
    check_choice,
    geo_code,
    require,
)
from hilir.plots.layout import (
    NumberFormatter,
    YearFormatter,
    label_line_ends,
    year_axis,
)
from hilir.plots.sources import Note
from hilir.plots.style import (
    GRID,
    Size,
    chain_colour,
    chart_style,
)
from hilir.provenance.sidecar import Provenance


def concentration_data(
    table: pd.DataFrame, *, scopes: Sequence[str] | None = None, geography: str | None = None
) -> pd.DataFrame:
    """Concentration rows to chart: one line per scope (product or basket) over years.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`hilir.markets.market_concentration` or
        :func:`~hilir.markets.product_concentration`, or several concatenated.
    scopes : sequence of str, optional
        Scopes to keep, in order; default every scope in the table.
    geography : str, optional
        ``IDN`` or ``ID-LA``; needed only when the table holds both.

    Returns
    -------
    pandas.DataFrame
        ``reporter, scope, year, hhi, hhi_low, equivalent_number, n_named, has_residual,
        residual_share, top_item, top_share, source``.
    """
    need = ["reporter", "scope", "year", "hhi", "hhi_low", "equivalent_number", "source"]
    require(table, need, "concentration table")
    df, _ = _geo_of(table, geography, "concentration table")
    have = list(dict.fromkeys(df["scope"].astype(str)))
    if scopes is not None:
        absent = sorted(set(scopes) - set(have))
        if absent:
            raise HilirDataError(f"concentration table has no scope {absent}; it has {have}")
        have = list(scopes)
    df = df[df["scope"].astype(str).isin(have).to_numpy(dtype=bool)]
    df = df[np.isfinite(df["hhi"].astype(float)).to_numpy()]
    if df.empty:
        raise HilirDataError("concentration table has no finite HHI to draw")
    cols = [
        "reporter",
        "scope",
        "year",
        "hhi",
        "hhi_low",
        "equivalent_number",
        "n_named",
        "has_residual",
        "residual_share",
        "top_item",
        "top_share",
        "source",
    ]
    out = df[[c for c in cols if c in df.columns]].copy()
    out["_o"] = out["scope"].map({s: i for i, s in enumerate(have)})
    return out.sort_values(["_o", "year"]).drop(columns="_o").reset_index(drop=True)


def title_concentration(data: pd.DataFrame, lang: str, *, items: str = "partner") -> str:
    """Finding title: the most concentrated scope in its latest year, as equal markets."""
    last = data.sort_values("year").groupby("scope").tail(1)
    top = last.sort_values("hhi", ascending=False).iloc[0]
    geo = geography_label(geo_code(str(top["reporter"])), lang)
    fields = {
        "scope": _scope_label(str(top["scope"]), lang),
        "geo": geo,
        "n": format_number(float(top["equivalent_number"]), lang=lang, decimals=1),
        "year": str(int(top["year"])),
        "items": t(f"markets.items.{items}", lang),
    }
    one = data[data["scope"] == top["scope"]].sort_values("year")
    if last["scope"].nunique() == 1 and len(one) > 1:
        first = one.iloc[0]
        fields.update(
            n0=format_number(float(first["equivalent_number"]), lang=lang, decimals=1),
            y0=str(int(first["year"])),
        )
        return cap(t("title.concentration.change", lang, **fields))
    key = "title.concentration.one" if last["scope"].nunique() == 1 else "title.concentration.most"
    return cap(t(key, lang, **fields))


def plot_concentration(
    table: pd.DataFrame,
    *,
    lang: Lang = "id",
    scopes: Sequence[str] | None = None,
    geography: str | None = None,
    items: Literal["partner", "product", "chain"] = "partner",
    title: str | None = None,
    subtitle: str | None = None,
    note: Note | Sequence[Note] | None = None,
    size: Size = "full",
    sources: Iterable[str | Provenance] | None = None,
    caveats: Iterable[Mapping[str, str]] | None = None,
) -> Figure:
    """HHI of exports over markets (or products) by year, one line per product.

    A shaded band runs from ``hhi_low`` (residual rows spread over many small markets) to
    ``hhi`` (each residual counted as one market) where a residual hides markets; each line
    ends with its equivalent number of equal markets (1 / HHI). A product with a single
    year is a dot.

    Parameters
    ----------
    table : pandas.DataFrame
        See :func:`concentration_data`.
    lang : {"id", "en"}, default "id"
    scopes, geography
        See :func:`concentration_data`.
    items : {"partner", "product", "chain"}, default "partner"
        What the index runs over (markets, products or commodities), for the texts.
    title, subtitle, note, size, sources
        As :func:`hilir.plots.plot_stage_share`.
    caveats : iterable of dict, optional
        Source caveats to print as notes (:func:`hilir.markets.source_caveats` of the
        data's sources, computed by the caller).
    """
    check_choice("items", items, ("partner", "product", "chain"))
    ch = Chart("concentration", lang=lang, size=size)
    data = concentration_data(table, scopes=scopes, geography=geography)
    geo_c = geo_code(str(data["reporter"].iloc[0]))
    notes = _concentration_notes(data, caveats, note)
    years = sorted(set(data["year"].astype(int)))
    with chart_style(size):
        fig, ax = ch.single()
        ends = _draw_scopes(ax, data, ch.lang, items)
        ax.set_ylim(0, min(1.0, max(0.3, float(data["hhi"].max()) * 1.15)))
        ax.yaxis.set_major_formatter(NumberFormatter(ch.lang))
        ax.set_ylabel(t("axis.hhi", ch.lang))
        if len(years) > 1:
            year_axis(ax, years)
            pad = max(1.0, (years[-1] - years[0]) * 0.45)
            ax.set_xlim(years[0] - 0.5, years[-1] + pad)
        else:
            ax.set_xlim(years[0] - 1, years[0] + 2)
            ax.set_xticks([years[0]])
            ax.xaxis.set_major_formatter(YearFormatter())
        ax.grid(axis="y", color=GRID, linewidth=0.5)
        ch.finish(
            fig,
            data=data,
            title=title or title_concentration(data, ch.lang, items=items),
            subtitle=subtitle
            or ch.t(
                "subtitle.concentration",
                items=t(f"markets.items.{items}", ch.lang),
                period=f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0]),
                geo=geography_label(geo_c, ch.lang),
            ),
            frames=[data],
            sources=sources,
            notes=notes,
        )
        label_line_ends(ax, ends, fontsize=ch.fs.font * 0.78)
    return ch.done(fig)


def _concentration_notes(
    data: pd.DataFrame,
    caveats: Iterable[Mapping[str, str]] | None,
    note: Note | Sequence[Note] | None,
) -> list[Note | None]:
    """Notes of a concentration chart: the index, the residual band, source caveats."""
    notes: list[Note | None] = ["note.markets.hhi"]
    if data.get("has_residual", pd.Series(False)).astype(bool).any():
        notes.append("note.markets.hhi_band")
    notes += _caveat_notes(caveats)
    notes += as_notes(note)
    return notes


def _draw_scopes(ax: Axes, data: pd.DataFrame, lang: str, items: str) -> list[tuple]:
    """Draw each scope's HHI line (or dot) and band; return its line-end labels."""
    ch_lang = lang
    ends = []
    for scope, g in data.groupby("scope", sort=False):
        colour = chain_colour(_chain_of(str(scope)))
        g = g.sort_values("year")
        x = g["year"].astype(int).to_numpy()
        if len(g) > 1:
            ax.fill_between(
                x,
                g["hhi_low"].astype(float),
                g["hhi"].astype(float),
                color=colour,
                alpha=0.18,
                linewidth=0,
            )
            ax.plot(
                x,
                g["hhi"].astype(float),
                color=colour,
                linewidth=1.8,
                marker="o",
                markersize=2.5,
            )
        else:
            ax.plot(x, g["hhi"].astype(float), color=colour, marker="o", linestyle="none")
        last = g.iloc[-1]
        text = (
            _scope_label(str(scope), ch_lang)
            + "\n"
            + t(
                "label.equivalent",
                ch_lang,
                n=format_number(float(last["equivalent_number"]), lang=ch_lang, decimals=1),
                items=t(f"markets.items.{items}", ch_lang),
            )
        )
        ends.append((float(last["year"]), float(last["hhi"]), text, colour))
    return ends
