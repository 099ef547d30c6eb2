"""Port chart: exports through one port of loading by product.

plot_ports
    Exports through one port of loading by product (sorted bars).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd
from matplotlib.figure import Figure

from hilir.errors import HilirDataError
from hilir.i18n.catalog import Lang, t
from hilir.i18n.labels import PORT_CAVEAT, geography_label, item_label
from hilir.i18n.numbers import format_percent
from hilir.i18n.units import axis_scale
from hilir.plots._markets_common import (
    _chain_of,
    _money,
    _share_text,
)
from hilir.plots.common import (
    Chart,
    as_notes,
    cap,
    geo_code,
    require,
    select_value,
)
from hilir.plots.layout import (
    NumberFormatter,
    category_axis,
    end_label,
)
from hilir.plots.sources import Note
from hilir.plots.style import (
    CONTEXT,
    GRID,
    Size,
    chain_colour,
    chart_style,
)
from hilir.provenance.sidecar import Provenance


def plot_ports(
    port_table: pd.DataFrame,
    *,
    port: str,
    year: int | None = None,
    lang: Lang = "id",
    top: int = 10,
    title: str | None = None,
    subtitle: str | None = None,
    note: Note | Sequence[Note] | None = None,
    size: Size = "full",
    sources: Iterable[str | Provenance] | None = None,
) -> Figure:
    """Exports through one port of loading by product (sorted bars).

    Parameters
    ----------
    port_table : pandas.DataFrame
        Output of :func:`hilir.markets.exports_by_port`.
    port : str
        Port as written in the download (``"Panjang"``).
    year : int, optional
        Default: the latest year of the port.
    top : int, default 10
        Products drawn.
    lang, title, subtitle, note, size, sources
        As :func:`hilir.plots.plot_stage_share`.
    """
    require(port_table, ["year", "port", "item", "value_usd", "share_of_port"], "port table")
    df, port_v = select_value(port_table, "port", port, "port table")
    years = sorted(set(df["year"].astype(int)))
    chosen = years[-1] if year is None else int(year)
    if chosen not in years:
        raise HilirDataError(f"port table has no rows for {port} in {chosen}; years: {years}")
    data = df[df["year"].astype(int) == chosen].sort_values("value_usd", ascending=False)
    data = data.head(int(top)).reset_index(drop=True)
    ch = Chart("ports", lang=lang, size=size)
    notes: list[Note | None] = [PORT_CAVEAT, *as_notes(note)]
    geo_c = geo_code(str(data["reporter"].iloc[0])) if "reporter" in data.columns else "IDN"
    with chart_style(size):
        n = len(data)
        fig, ax, ys = ch.rows_figure(n, base=0.45, per_row=0.024)
        sc = axis_scale(float(data["value_usd"].max()), words=6)
        for y, (i, r) in zip(ys, data.iterrows(), strict=True):
            ax.barh(
                y,
                r["value_usd"],
                color=chain_colour(_chain_of(str(r["item"]))) if i == 0 else CONTEXT,
                height=0.7,
            )
            end_label(
                ax,
                f"{_money(float(r['value_usd']), ch.lang)} "
                f"({_share_text(float(r['share_of_port']), ch.lang)})",
                float(r["value_usd"]),
                y,
                fontsize=ch.fs.font * 0.78,
            )
        category_axis(ax, ys, [cap(item_label(str(i), ch.lang)) for i in data["item"]])
        ax.set_xlim(0, float(data["value_usd"].max()) * 1.45)
        ax.xaxis.set_major_formatter(NumberFormatter(ch.lang, divisor=sc.divisor))
        ax.set_xlabel(sc.money_unit(ch.lang))
        ax.grid(axis="x", color=GRID, linewidth=0.5)
        top_row = data.iloc[0]
        ch.finish(
            fig,
            data=data,
            title=title
            or cap(
                t(
                    "title.ports",
                    ch.lang,
                    item=item_label(str(top_row["item"]), ch.lang),
                    share=format_percent(float(top_row["share_of_port"]), lang=ch.lang, decimals=0),
                    port=str(port_v),
                    year=str(chosen),
                )
            ),
            subtitle=subtitle
            or ch.t(
                "subtitle.ports",
                port=str(port_v),
                unit=sc.money_unit(ch.lang),
                year=str(chosen),
                geo=geography_label(geo_c, ch.lang),
            ),
            frames=[data],
            sources=sources,
            notes=notes,
            latest_year=chosen,
        )
    return ch.done(fig)
