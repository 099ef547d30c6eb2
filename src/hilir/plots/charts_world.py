"""World-share chart: a reporter's share of world exports over time.

plot_world_share
    A reporter's share of world exports over time, with its rank and policy-event markers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from hilir.errors import HilirDataError
from hilir.i18n.catalog import Lang, t
from hilir.i18n.labels import geography_label
from hilir.i18n.numbers import format_percent
from hilir.plots._markets_common import (
    _chain_of,
    _date_text,
    _scope_label,
    _wrap_words,
)
from hilir.plots.common import (
    Chart,
    as_notes,
    cap,
    geo_code,
    require,
)
from hilir.plots.layout import (
    NumberFormatter,
    event_label,
    year_axis,
)
from hilir.plots.sources import Note
from hilir.plots.style import (
    GRID,
    INK,
    MUTED,
    Size,
    chain_colour,
    chart_style,
)
from hilir.provenance.sidecar import Provenance


def world_share_data(
    shares: pd.DataFrame,
    *,
    reporter: str = "IDN",
    events: Iterable[str] | None = None,
    reporter_rows: pd.DataFrame | None = None,
    event_table: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """A reporter's world share and rank by year, with the policy events in its years.

    Parameters
    ----------
    shares : pandas.DataFrame
        Output of :func:`hilir.markets.world_share` (every reporter).
    reporter : str, default "IDN"
    events : iterable of str, optional
        Policy-event keys to mark (default: the nickel-ore bans of 2014 and 2020 when the
        scope is a nickel-chain product, else none).
    reporter_rows : pandas.DataFrame
        :func:`hilir.markets.reporter_share` of ``shares`` for ``reporter`` (required).
    event_table : pandas.DataFrame, optional
        :func:`hilir.policy.policy_events`; required when events are marked.

    Returns
    -------
    pandas.DataFrame
        ``year, reporter, scope, share, rank, n_reporters, excluded, source`` with
        ``attrs["events"]`` (``event_id, year, label_id, label_en``).
    """
    require(shares, ["year", "reporter", "share", "rank", "scope", "source"], "world shares")
    if reporter_rows is None:
        raise HilirDataError(
            "world_share_data needs reporter_rows= (hilir.markets.reporter_share); "
            "hilir.brief.markets.plot_world_share_of computes it"
        )
    rows = reporter_rows
    years = sorted(set(shares["year"].astype(int)))
    full = pd.DataFrame({"year": years})
    data = full.merge(rows, on="year", how="left")
    data["reporter"] = reporter
    data["scope"] = str(shares["scope"].iloc[0])
    data["share"] = data["share"].fillna(0.0)
    n = shares.groupby("year")["n_reporters"].first()
    data["n_reporters"] = data["year"].map(n).astype(int)
    data["source"] = data["source"].fillna(str(shares["source"].iloc[0]))
    data["excluded"] = data["excluded"].fillna("")
    cols = ["year", "reporter", "scope", "share", "rank", "n_reporters", "excluded", "source"]
    data = data[cols]
    if events is None:
        chain = _chain_of(str(data["scope"].iloc[0]))
        events = ("nickel_ore_ban_2014", "nickel_ore_ban_2020") if chain == "nickel" else ()
    data.attrs["events"] = _event_rows(list(events), event_table, years)
    return data


def _event_rows(ids: list[str], ev: pd.DataFrame | None, years: list[int]) -> pd.DataFrame:
    """Marker rows of the policy events ``ids`` that fall within ``years``."""
    ev_rows = []
    if ids:
        if ev is None:
            raise HilirDataError(
                "marking policy events needs event_table= (hilir.policy.policy_events)"
            )
        unknown = sorted(set(ids) - set(ev["event_id"].astype(str)))
        if unknown:
            raise HilirDataError(f"unknown policy events {unknown}")
        for _, e in ev[ev["event_id"].astype(str).isin(ids)].drop_duplicates("event_id").iterrows():
            y = pd.Timestamp(e["start_date"])
            if years[0] <= y.year <= years[-1]:
                ev_rows.append(
                    {
                        "event_id": str(e["event_id"]),
                        "x": y.year + (y.day_of_year - 1) / 365.25,
                        "label_id": str(e["label_id"]),
                        "label_en": str(e["label_en"]),
                        "date": y.date().isoformat(),
                        "precision": str(e.get("date_precision", "day")),
                    }
                )
    return pd.DataFrame(ev_rows)


def _pct(x: float, lang: str) -> str:
    return format_percent(x, lang=lang, decimals=2 if 0 < abs(x) < 0.01 else 1)


def title_world_share(data: pd.DataFrame, lang: str) -> str:
    """Finding title: the share before the first marked event (or the first year) and last."""
    first, last = data.iloc[0], data.iloc[-1]
    ev = data.attrs.get("events")
    if isinstance(ev, pd.DataFrame) and not ev.empty:
        before = int(np.floor(float(ev["x"].min()))) - 1
        hit = data[data["year"].astype(int) == before]
        if not hit.empty:
            first = hit.iloc[0]
    geo = geography_label(geo_code(str(last["reporter"])), lang)
    key = (
        "title.world_share.up"
        if float(last["share"]) >= float(first["share"])
        else ("title.world_share.down")
    )
    return cap(
        t(
            key,
            lang,
            geo=geo,
            product=_scope_label(str(last["scope"]), lang),
            s0=_pct(float(first["share"]), lang),
            s1=_pct(float(last["share"]), lang),
            y0=str(int(first["year"])),
            y1=str(int(last["year"])),
            r1=str(int(last["rank"])) if pd.notna(last["rank"]) else "–",
        )
    )


def plot_world_share(
    shares: pd.DataFrame,
    *,
    lang: Lang = "id",
    reporter: str = "IDN",
    events: Iterable[str] | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    note: Note | Sequence[Note] | None = None,
    size: Size = "full",
    sources: Iterable[str | Provenance] | None = None,
    reporter_rows: pd.DataFrame | None = None,
    event_table: pd.DataFrame | None = None,
) -> Figure:
    """A reporter's share of world exports of a product over time, with its rank.

    Parameters
    ----------
    shares : pandas.DataFrame
        Output of :func:`hilir.markets.world_share`.
    lang : {"id", "en"}, default "id"
    reporter : str, default "IDN"
        A country (a province is measured against its nation, not ranked in the world).
    events : iterable of str, optional
        Policy events to mark; see :func:`world_share_data`.
    reporter_rows, event_table
        Computed by the caller; see :func:`world_share_data`.
    title, subtitle, note, size, sources
        As :func:`hilir.plots.plot_stage_share`.
    """
    ch = Chart("world_share", lang=lang, size=size)
    data = world_share_data(
        shares,
        reporter=reporter,
        events=events,
        reporter_rows=reporter_rows,
        event_table=event_table,
    )
    ev = data.attrs["events"]
    accent = chain_colour(_chain_of(str(data["scope"].iloc[0])))
    years = data["year"].astype(int).tolist()
    notes = _world_share_notes(data, ev, note)
    with chart_style(size):
        fig, ax = ch.single()
        ax.plot(
            years,
            data["share"].astype(float),
            color=accent,
            linewidth=2,
            marker="o",
            markersize=3.5,
        )
        top = float(data["share"].max())
        for _, r in data.iterrows():
            if pd.isna(r["rank"]):
                continue
            ax.annotate(
                f"#{int(r['rank'])}",
                xy=(int(r["year"]), float(r["share"])),
                xytext=(0, 6),
                textcoords="offset points",
                ha="center",
                fontsize=ch.fs.font * 0.72,
                color=MUTED,
            )
        span = (years[0] - 0.5, years[-1] + 0.5)
        for _, e in ev.iterrows():
            x = float(e["x"])
            ax.axvline(x, color=INK, linewidth=0.8, linestyle=(0, (3, 2)))
            right = (x - span[0]) / (span[1] - span[0]) > 0.7
            when = _date_text(str(e["date"]), ch.lang, str(e["precision"]))
            label = _wrap_words(f"{e[f'label_{ch.lang}']} ({when})", 26)
            event_label(ax, label, x, right=right, fontsize=ch.fs.font * 0.72, offset_pt=4)
        ax.set_ylim(0, max(top * 1.25, 0.01))
        ax.yaxis.set_major_formatter(NumberFormatter(ch.lang, percent=True))
        year_axis(ax, years)
        ax.set_xlim(years[0] - 0.5, years[-1] + 0.5)
        ax.grid(axis="y", color=GRID, linewidth=0.5)
        ch.finish(
            fig,
            data=data,
            title=title or title_world_share(data, ch.lang),
            subtitle=subtitle
            or ch.t(
                "subtitle.world_share",
                product=_scope_label(str(data["scope"].iloc[0]), ch.lang),
                period=f"{years[0]}–{years[-1]}",
                geo=geography_label(geo_code(reporter), ch.lang),
            ),
            frames=[data],
            sources=sources,
            notes=notes,
        )
    return ch.done(fig)


def _world_share_notes(
    data: pd.DataFrame, ev: pd.DataFrame, note: Note | Sequence[Note] | None
) -> list[Note | None]:
    """Notes of a world-share chart: the world total, excluded reporters, policy dates."""
    notes: list[Note | None] = ["note.markets.world_total"]
    excluded = sorted({e for v in data["excluded"] for e in str(v).split("+") if e})
    if excluded:
        notes.append(
            {
                "id": t("note.markets.excluded", "id", codes=", ".join(excluded)),
                "en": t("note.markets.excluded", "en", codes=", ".join(excluded)),
            }
        )
    if not ev.empty:
        notes.append("note.policy_dates")
    notes += as_notes(note)
    return notes
