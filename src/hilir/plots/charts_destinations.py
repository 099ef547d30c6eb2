"""Destination chart: a product's top export markets as sorted, labelled bars.

plot_destinations
    Sorted bars of a product's top destination markets, labelled with share and growth.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from hilir.errors import HilirDataError
from hilir.i18n.catalog import Lang, t
from hilir.i18n.labels import geography_label
from hilir.i18n.numbers import format_percent
from hilir.i18n.units import axis_scale
from hilir.plots._markets_common import (
    RESIDUAL_HATCH,
    _caveat_notes,
    _chain_of,
    _money,
    _partner,
    _scope_label,
    _share_text,
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


def destination_data(profile: pd.DataFrame, *, top: int = 10) -> pd.DataFrame:
    """The bars of a destination chart: the top named markets, the rest, residual rows.

    Parameters
    ----------
    profile : pandas.DataFrame
        Output of :func:`hilir.markets.destination_profile` (one year).
    top : int, default 10
        Named markets drawn one by one; the others are summed into one bar.

    Returns
    -------
    pandas.DataFrame
        ``year, reporter, scope, partner, kind`` (``market``, ``rest``, ``residual``),
        ``n_markets`` (markets in the bar), ``value_usd, share, cagr, growth_flag,
        window_start, window_end, source``; markets largest first, then the rest, then the
        residuals.
    """
    need = ["year", "reporter", "scope", "partner", "partner_type", "value_usd", "share", "source"]
    require(profile, need, "destination profile")
    years = sorted(set(profile["year"].astype(int)))
    if len(years) != 1:
        raise HilirDataError(
            f"destination profile holds years {years}; use destination_profile() for one year"
        )
    if isinstance(top, bool) or int(top) < 1:
        raise HilirDataError(f"top must be a whole number >= 1, not {top!r}")
    df = profile.copy()
    for col in ("cagr", "growth_flag", "window_start", "window_end"):
        if col not in df.columns:
            df[col] = np.nan if col != "growth_flag" else ""
    named = df[df["partner_type"].astype(str).eq("country")].sort_values(
        ["value_usd", "partner"], ascending=[False, True]
    )
    resid = df[~df["partner_type"].astype(str).eq("country")].sort_values(
        "value_usd", ascending=False
    )
    head = named.head(int(top)).assign(kind="market", n_markets=1)
    rows = [head]
    rest = named.iloc[int(top) :]
    if not rest.empty:
        rows.append(
            pd.DataFrame(
                {
                    "year": [years[0]],
                    "reporter": [str(df["reporter"].iloc[0])],
                    "scope": [str(df["scope"].iloc[0])],
                    "partner": ["REST"],
                    "partner_type": ["rest"],
                    "value_usd": [float(rest["value_usd"].sum())],
                    "share": [float(rest["share"].sum())],
                    "cagr": [np.nan],
                    "growth_flag": [""],
                    "window_start": [df["window_start"].iloc[0]],
                    "window_end": [df["window_end"].iloc[0]],
                    "source": ["+".join(sorted(set(rest["source"].astype(str))))],
                    "kind": ["rest"],
                    "n_markets": [len(rest)],
                }
            )
        )
    if not resid.empty:
        rows.append(resid.assign(kind="residual", n_markets=np.nan))
    cols = [
        "year",
        "reporter",
        "scope",
        "partner",
        "kind",
        "n_markets",
        "value_usd",
        "share",
        "cagr",
        "growth_flag",
        "window_start",
        "window_end",
        "source",
    ]
    out = pd.concat([r[cols] for r in rows], ignore_index=True)
    out["year"] = out["year"].astype(int)
    return out


def title_destinations(data: pd.DataFrame, lang: str) -> str:
    """Finding title: the largest market's share of the product's exports."""
    top = data[data["kind"] == "market"].iloc[0]
    geo = geography_label(geo_code(str(top["reporter"])), lang)
    return cap(
        t(
            "title.destinations",
            lang,
            top=_partner(str(top["partner"]), lang),
            share=format_percent(float(top["share"]), lang=lang, decimals=0),
            product=_scope_label(str(top["scope"]), lang),
            geo=geo,
            year=str(int(top["year"])),
        )
    )


def _bar_label(row: pd.Series, lang: str, with_growth: bool) -> str:
    text = f"{_money(float(row['value_usd']), lang)} ({_share_text(float(row['share']), lang)})"
    if with_growth and row["kind"] == "market":
        flag = str(row.get("growth_flag") or "")
        if pd.notna(row["cagr"]) and np.isfinite(float(row["cagr"])):
            rate = format_percent(float(row["cagr"]), lang=lang, decimals=1, signed=True)
            text += " · " + t("label.per_year", lang, rate=rate)
        elif flag == "new":
            text += " · " + t("label.new_market", lang)
        elif flag == "not_listed_start":
            text += " · " + t("label.not_listed", lang)
    return text


def plot_destinations(
    profile: pd.DataFrame,
    *,
    lang: Lang = "id",
    top: int = 10,
    title: str | None = None,
    subtitle: str | None = None,
    note: Note | Sequence[Note] | None = None,
    size: Size = "full",
    sources: Iterable[str | Provenance] | None = None,
    caveats: Iterable[Mapping[str, str]] | None = None,
) -> Figure:
    """Sorted bars of a product's top destinations, labelled with share and growth.

    The largest market is drawn in the chain's colour, other markets in grey, the sum of
    smaller markets and residual rows ("Others", "Other Asia, nes") hatched; each bar
    carries its value, share and, when the profile has a growth window, its compound annual
    growth.

    Parameters
    ----------
    profile : pandas.DataFrame
        Output of :func:`hilir.markets.destination_profile`.
    lang : {"id", "en"}, default "id"
    top : int, default 10
        Markets drawn one by one.
    title, subtitle, note, size, sources
        As :func:`hilir.plots.plot_stage_share`.
    caveats : iterable of dict, optional
        Source caveats to print as notes (:func:`hilir.markets.source_caveats` of the
        data's sources, computed by the caller).

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.hilir_data``: see :func:`destination_data`.
    """
    ch = Chart("destinations", lang=lang, size=size)
    data = destination_data(profile, top=top)
    scope = str(data["scope"].iloc[0])
    accent = chain_colour(_chain_of(scope))
    geo_c = geo_code(str(data["reporter"].iloc[0]))
    year = int(data["year"].iloc[0])
    w0, w1 = data["window_start"].iloc[0], data["window_end"].iloc[0]
    with_growth = pd.notna(w0) and pd.notna(w1) and int(w0) < int(w1)
    notes = _destination_notes(data, with_growth, caveats, note)
    labels = []
    for _, r in data.iterrows():
        if r["kind"] == "rest":
            labels.append(t("label.other_markets", ch.lang, n=str(int(r["n_markets"]))))
        else:
            labels.append(_partner(str(r["partner"]), ch.lang))
    n = len(data)
    with chart_style(size):
        fig, ax, ys = ch.rows_figure(n, base=0.45, per_row=0.024)
        sc = axis_scale(float(data["value_usd"].max()), words=6)
        for y, (i, r) in zip(ys, data.iterrows(), strict=True):
            if r["kind"] == "market":
                colour = accent if i == 0 else CONTEXT
                ax.barh(y, r["value_usd"], color=colour, height=0.7)
            else:
                ax.barh(
                    y,
                    r["value_usd"],
                    color="white",
                    edgecolor=CONTEXT,
                    hatch=RESIDUAL_HATCH,
                    height=0.7,
                    linewidth=0.6,
                )
            end_label(
                ax,
                _bar_label(r, ch.lang, with_growth),
                float(r["value_usd"]),
                y,
                fontsize=ch.fs.font * 0.78,
            )
        category_axis(ax, ys, labels)
        ax.set_xlim(0, float(data["value_usd"].max()) * (1.75 if with_growth else 1.45))
        ax.xaxis.set_major_formatter(NumberFormatter(ch.lang, divisor=sc.divisor))
        ax.set_xlabel(sc.money_unit(ch.lang))
        ax.grid(axis="x", color=GRID, linewidth=0.5)
        sub_key = "subtitle.destinations.growth" if with_growth else "subtitle.destinations"
        ch.finish(
            fig,
            data=data,
            title=title or title_destinations(data, ch.lang),
            subtitle=subtitle
            or ch.t(
                sub_key,
                product=_scope_label(scope, ch.lang),
                unit=sc.money_unit(ch.lang),
                year=str(year),
                y0=str(int(w0)) if with_growth else "",
                y1=str(int(w1)) if with_growth else "",
                geo=geography_label(geo_c, ch.lang),
            ),
            frames=[data],
            sources=sources,
            notes=notes,
            latest_year=year,
        )
    return ch.done(fig)


def _destination_notes(
    data: pd.DataFrame,
    with_growth: bool,
    caveats: Iterable[Mapping[str, str]] | None,
    note: Note | Sequence[Note] | None,
) -> list[Note | None]:
    """Notes of a destination chart: residuals, growth window, unlisted markets, caveats."""
    notes: list[Note | None] = []
    if (data["kind"] == "residual").any():
        notes.append("note.markets.residual")
    if with_growth:
        notes.append("note.markets.cagr")
    if data["growth_flag"].astype(str).eq("not_listed_start").any():
        notes.append("note.markets.not_listed")
    notes += _caveat_notes(caveats)
    notes += as_notes(note)
    return notes
