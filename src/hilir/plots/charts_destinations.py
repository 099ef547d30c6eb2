"""Market charts: destinations, concentration, world share, flagship ranking, ports, procedure.

The charts of :mod:`hilir.markets`, in the contract of :mod:`hilir.plots`: each function
takes the tidy result of a markets function, applies the hilir style, and returns a
:class:`matplotlib.figure.Figure` with ``fig.hilir`` (title, subtitle, source and note lines
generated from provenance), ``fig.hilir_data`` and ``fig.hilir_sources``.

plot_destinations
    Sorted bars of a product's top destination markets, labelled with share and growth.
plot_concentration
    HHI over time for one or more products, with the residual range and the equivalent
    number of markets at the line ends.
plot_world_share
    A reporter's share of world exports over time, with its rank and policy-event markers.
plot_flagship
    Flagship-product scores as stacked contributions of the five weighted indicators.
plot_flagship_sensitivity
    Each candidate's rank under the base weights and its range across weight scenarios.
plot_ports
    Exports through one port of loading by product.
plot_export_procedure
    The export procedure as a flow of steps with institution and document.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import Literal

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from hilir.errors import HilirDataError
from hilir.i18n.catalog import Lang, t
from hilir.i18n.numbers import format_money, format_number, format_percent
from hilir.i18n.units import axis_scale
from hilir.plots._common import (
    Chart,
    as_notes,
    cap,
    check_choice,
    geo_code,
    geo_label,
    require,
    select_geography,
    select_value,
)
from hilir.plots._layout import (
    NumberFormatter,
    YearFormatter,
    category_axis,
    end_label,
    event_label,
    label_line_ends,
    year_axis,
)
from hilir.plots.sources import Note
from hilir.plots.style import (
    CONTEXT,
    GRID,
    INK,
    MUTED,
    Size,
    chain_colour,
    chart_style,
    with_lightness,
)
from hilir.provenance.sidecar import Provenance

#: Colour of each flagship indicator (Okabe-Ito, colour-blind safe).
INDICATOR_COLOURS: dict[str, str] = {
    "export_value": "#0072B2",
    "growth": "#009E73",
    "processing_share": "#E69F00",
    "uplift": "#CC79A7",
    "jobs": "#56B4E9",
}
RESIDUAL_HATCH = "////"


# --- helpers ---------------------------------------------------------------------------------


def _chain_of(scope: str) -> str | None:
    """Registry chain of a scope (``coffee_green+coffee_green_decaf`` -> ``coffee``)."""
    from hilir.registry.tables import chain_table, products

    first = str(scope).split("+")[0]
    chains = set(chain_table()["chain"].astype(str))
    if first in chains:
        return first
    prods = products()
    hit = prods[prods["product"].astype(str) == first]
    return str(hit["chain"].iloc[0]) if not hit.empty else None


def _scope_label(scope: str, lang: str) -> str:
    from hilir.markets.labels import scope_label

    return scope_label(scope, lang)


def _partner(code: str, lang: str) -> str:
    from hilir.markets.labels import partner_label

    try:
        return partner_label(code, lang)
    except HilirDataError:
        return code


def _money(x: float, lang: str) -> str:
    dec = 0 if abs(x) >= 100e6 or abs(x) < 1e3 else 1
    if 100e9 > abs(x) >= 1e9:
        dec = 1
    return format_money(x, lang=lang, decimals=dec)


def _wrap_words(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width=width)) or text


def _date_text(iso: str, lang: str, precision: str = "day") -> str:
    from hilir.i18n import format_date

    if precision not in ("day", "month", "year"):
        precision = "day"
    return format_date(pd.Timestamp(iso).date(), lang=lang, precision=precision)  # type: ignore[arg-type]


def _caveat_notes(keys: Iterable[str]) -> list[Note]:
    from hilir.markets.caveats import source_caveats

    return [{"id": c["id"], "en": c["en"]} for c in source_caveats(keys)]


def _geo_of(frame: pd.DataFrame, geography: str | None, what: str) -> tuple[pd.DataFrame, str]:
    if geography is None:
        col = "reporter" if "reporter" in frame.columns else None
        have = sorted(set(frame[col].astype(str))) if col else []
        if len(have) != 1:
            raise HilirDataError(f"{what} holds several geographies {have}; pass geography=")
        geography = have[0]
    code = geo_code(geography)
    return select_geography(frame, code, what), code


# --- destinations ------------------------------------------------------------------------------


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
    geo = geo_label(geo_code(str(top["reporter"])), lang)
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


def _share_text(share: float, lang: str) -> str:
    if 0 < share < 0.0005:
        return "<" + format_percent(0.001, lang=lang, decimals=1)
    return format_percent(share, lang=lang, decimals=1)


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
    notes: list[Note | None] = []
    if (data["kind"] == "residual").any():
        notes.append("note.markets.residual")
    if with_growth:
        notes.append("note.markets.cagr")
    if data["growth_flag"].astype(str).eq("not_listed_start").any():
        notes.append("note.markets.not_listed")
    notes += _caveat_notes(data["source"])
    notes += as_notes(note)
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
                geo=geo_label(geo_c, ch.lang),
            ),
            frames=[data],
            sources=sources,
            notes=notes,
            latest_year=year,
        )
    return ch.done(fig)


# --- concentration -----------------------------------------------------------------------------


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
    geo = geo_label(geo_code(str(top["reporter"])), lang)
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
    """
    check_choice("items", items, ("partner", "product", "chain"))
    ch = Chart("concentration", lang=lang, size=size)
    data = concentration_data(table, scopes=scopes, geography=geography)
    geo_c = geo_code(str(data["reporter"].iloc[0]))
    notes: list[Note | None] = ["note.markets.hhi"]
    if data.get("has_residual", pd.Series(False)).astype(bool).any():
        notes.append("note.markets.hhi_band")
    notes += _caveat_notes(data["source"])
    notes += as_notes(note)
    years = sorted(set(data["year"].astype(int)))
    with chart_style(size):
        fig, ax = ch.single()
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
                _scope_label(str(scope), ch.lang)
                + "\n"
                + t(
                    "label.equivalent",
                    ch.lang,
                    n=format_number(float(last["equivalent_number"]), lang=ch.lang, decimals=1),
                    items=t(f"markets.items.{items}", ch.lang),
                )
            )
            ends.append((float(last["year"]), float(last["hhi"]), text, colour))
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
                geo=geo_label(geo_c, ch.lang),
            ),
            frames=[data],
            sources=sources,
            notes=notes,
        )
        label_line_ends(ax, ends, fontsize=ch.fs.font * 0.78)
    return ch.done(fig)


# --- world share -------------------------------------------------------------------------------


def world_share_data(
    shares: pd.DataFrame, *, reporter: str = "IDN", events: Iterable[str] | None = None
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

    Returns
    -------
    pandas.DataFrame
        ``year, reporter, scope, share, rank, n_reporters, excluded, source`` with
        ``attrs["events"]`` (``event_id, year, label_id, label_en``).
    """
    from hilir.markets.world_share import reporter_share

    require(shares, ["year", "reporter", "share", "rank", "scope", "source"], "world shares")
    rows = reporter_share(shares, reporter=reporter)
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
    ev_rows = []
    ids = list(events)
    if ids:
        from hilir.policy import policy_events

        ev = policy_events()
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
    data.attrs["events"] = pd.DataFrame(ev_rows)
    return data


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
    geo = geo_label(geo_code(str(last["reporter"])), lang)
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
    title, subtitle, note, size, sources
        As :func:`hilir.plots.plot_stage_share`.
    """
    ch = Chart("world_share", lang=lang, size=size)
    data = world_share_data(shares, reporter=reporter, events=events)
    ev = data.attrs["events"]
    accent = chain_colour(_chain_of(str(data["scope"].iloc[0])))
    years = data["year"].astype(int).tolist()
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
                geo=geo_label(geo_code(reporter), ch.lang),
            ),
            frames=[data],
            sources=sources,
            notes=notes,
        )
    return ch.done(fig)


# --- flagship ----------------------------------------------------------------------------------


def _weights_text(weights: dict[str, float], lang: str) -> str:
    parts = [
        f"{t(f'markets.indicator.{k}', lang)} {format_number(v, lang=lang, decimals=2)}"
        for k, v in weights.items()
    ]
    return "; ".join(parts)


def flagship_data(scores: pd.DataFrame) -> pd.DataFrame:
    """Long table of each candidate's weighted contributions (the stacked bars).

    Returns
    -------
    pandas.DataFrame
        ``chain, rank, score, indicator, weight, z, contribution, reporter, year, source``,
        candidates by rank, indicators in the order of :data:`hilir.markets.INDICATORS`.
    """
    from hilir.markets.flagship import INDICATORS

    need = ["chain", "rank", "score", *[f"contrib_{k}" for k in INDICATORS]]
    require(scores, need, "flagship scores")
    rows = []
    for _, r in scores.sort_values(["rank", "chain"]).iterrows():
        for k in INDICATORS:
            rows.append(
                {
                    "chain": str(r["chain"]),
                    "rank": int(r["rank"]),
                    "score": float(r["score"]),
                    "indicator": k,
                    "weight": float(r.get(f"w_{k}", np.nan)),
                    "z": float(r.get(f"z_{k}", np.nan)),
                    "contribution": float(r[f"contrib_{k}"]),
                    "reporter": str(r.get("reporter", "")),
                    "year": int(r["year"]) if "year" in r and pd.notna(r["year"]) else None,
                    "source": str(r.get("source", "")),
                }
            )
    return pd.DataFrame(rows)


def plot_flagship(
    scores: pd.DataFrame,
    *,
    lang: Lang = "id",
    title: str | None = None,
    subtitle: str | None = None,
    note: Note | Sequence[Note] | None = None,
    size: Size = "full",
    sources: Iterable[str | Provenance] | None = None,
) -> Figure:
    """Flagship-product scores as stacked bars of the five weighted indicators.

    The subtitle prints the weights; the note says how missing indicators count and, for
    Indonesia, that the ranking is national.

    Parameters
    ----------
    scores : pandas.DataFrame
        Output of :func:`hilir.markets.flagship_scores`.
    lang, title, subtitle, note, size, sources
        As :func:`hilir.plots.plot_stage_share`.
    """
    from hilir.markets.flagship import INDICATORS

    ch = Chart("flagship", lang=lang, size=size)
    data = flagship_data(scores)
    weights = scores.attrs.get("weights") or {
        k: float(scores[f"w_{k}"].iloc[0]) for k in INDICATORS
    }
    reporter = str(scores["reporter"].iloc[0]) if "reporter" in scores.columns else "IDN"
    geo_c = geo_code(reporter)
    year = int(scores["year"].iloc[0]) if "year" in scores.columns else None
    chains = list(dict.fromkeys(data["chain"]))
    notes: list[Note | None] = [
        "note.markets.flagship_method",
        "note.markets.flagship_missing"
        if scores.attrs.get("missing", "zero") == "zero"
        else "note.markets.flagship_reweight",
    ]
    if geo_c == "IDN":
        notes.append("note.markets.flagship_national")
    notes += as_notes(note)
    with chart_style(size):
        n = len(chains)
        fig, ax, ys = ch.rows_figure(n, base=0.5, per_row=0.03)
        left = np.zeros(n)
        for k in INDICATORS:
            vals = (
                data[data["indicator"] == k]
                .set_index("chain")
                .loc[chains, "contribution"]
                .to_numpy()
            )
            ax.barh(
                ys,
                vals,
                left=left,
                color=INDICATOR_COLOURS[k],
                height=0.65,
                label=t(f"markets.indicator.{k}", ch.lang),
            )
            left += vals
        for y, c in zip(ys, chains, strict=True):
            s = float(data.loc[data["chain"] == c, "score"].iloc[0])
            end_label(
                ax, format_number(s, lang=ch.lang, decimals=2), s, y, fontsize=ch.fs.font * 0.8
            )
        from hilir.markets.labels import item_label

        ranks = data.groupby("chain", sort=False)["rank"].first()
        labels = [f"{int(ranks[c])}. {cap(item_label(c, ch.lang))}" for c in chains]
        category_axis(ax, ys, labels, fit=False)
        ax.set_xlim(0, max(1.0, float(left.max()) * 1.1))
        ax.xaxis.set_major_formatter(NumberFormatter(ch.lang))
        ax.set_xlabel(t("axis.flagship_score", ch.lang))
        ax.grid(axis="x", color=GRID, linewidth=0.5)
        ax.legend(
            loc="lower right",
            fontsize=ch.fs.font * 0.72,
            frameon=False,
            ncols=1,
        )
        ch.finish(
            fig,
            data=data,
            title=title
            or cap(
                t(
                    "title.flagship",
                    ch.lang,
                    top=item_label(chains[0], ch.lang),
                    geo=geo_label(geo_c, ch.lang),
                    year=str(year) if year else "",
                )
            ),
            subtitle=subtitle
            or ch.t(
                "subtitle.flagship",
                weights=_weights_text(weights, ch.lang),
                year=str(year) if year else "",
                geo=geo_label(geo_c, ch.lang),
            ),
            frames=[data],
            sources=sources,
            notes=notes,
            latest_year=year,
        )
    return ch.done(fig)


def sensitivity_data(sensitivity: pd.DataFrame) -> pd.DataFrame:
    """Each candidate's base rank and its best and worst rank across the weight scenarios.

    Returns
    -------
    pandas.DataFrame
        ``chain, base_rank, best_rank, worst_rank, n_scenarios, n_moved`` (scenarios in which
        the rank differs from the base), and ``reporter, year, source`` when the table has
        them; by base rank.
    """
    require(sensitivity, ["scenario", "chain", "rank", "base_rank"], "flagship sensitivity")
    g = sensitivity.groupby("chain")
    extra = {
        col: g[col].first() for col in ("reporter", "year", "source") if col in sensitivity.columns
    }
    out = pd.DataFrame(
        {
            "base_rank": g["base_rank"].first().astype(int),
            "best_rank": g["rank"].min().astype(int),
            "worst_rank": g["rank"].max().astype(int),
            "n_scenarios": g["scenario"].nunique(),
            "n_moved": (sensitivity["rank"] != sensitivity["base_rank"])
            .groupby(sensitivity["chain"])
            .sum()
            .astype(int),
            **extra,
        }
    ).reset_index()
    return out.sort_values(["base_rank", "chain"]).reset_index(drop=True)


def plot_flagship_sensitivity(
    sensitivity: pd.DataFrame,
    *,
    lang: Lang = "id",
    geography: str | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    note: Note | Sequence[Note] | None = None,
    size: Size = "full",
    sources: Iterable[str | Provenance] | None = None,
) -> Figure:
    """Rank under the base weights (dot) and its range across weight scenarios (line).

    Parameters
    ----------
    sensitivity : pandas.DataFrame
        Output of :func:`hilir.markets.flagship_sensitivity`.
    geography : str, optional
        Whose ranking it is (``IDN`` or ``ID-LA``); default the table's ``reporter``.
    lang, title, subtitle, note, size, sources
        As :func:`hilir.plots.plot_stage_share`.
    """
    from hilir.markets.labels import item_label

    ch = Chart("flagship_sensitivity", lang=lang, size=size)
    data = sensitivity_data(sensitivity)
    if geography is None:
        geography = str(data["reporter"].iloc[0]) if "reporter" in data.columns else "IDN"
    geo_c = geo_code(geography)
    n_sc = int(data["n_scenarios"].max())
    delta = sensitivity.attrs.get("delta")
    first = data.iloc[0]
    stable = int((sensitivity.loc[sensitivity["chain"] == first["chain"], "rank"] == 1).sum())
    notes: list[Note | None] = ["note.markets.sensitivity"]
    notes += as_notes(note)
    with chart_style(size):
        n = len(data)
        fig, ax, ys = ch.rows_figure(n, base=0.5, per_row=0.03)
        for y, (_, r) in zip(ys, data.iterrows(), strict=True):
            colour = chain_colour(str(r["chain"]))
            ax.plot(
                [r["best_rank"], r["worst_rank"]],
                [y, y],
                color=with_lightness(colour, 0.7),
                linewidth=4,
                solid_capstyle="round",
            )
            ax.plot([r["base_rank"]], [y], "o", color=colour, markersize=6)
        category_axis(ax, ys, [cap(item_label(str(c), ch.lang)) for c in data["chain"]], fit=False)
        ax.set_xlim(0.5, n + 0.5)
        ax.invert_xaxis()
        ax.set_xticks(range(1, n + 1))
        ax.set_xlabel(t("axis.rank", ch.lang))
        ax.grid(axis="x", color=GRID, linewidth=0.5)
        ch.finish(
            fig,
            data=data,
            title=title
            or cap(
                t(
                    "title.flagship_sensitivity",
                    ch.lang,
                    top=item_label(str(first["chain"]), ch.lang),
                    k=str(stable),
                    n=str(n_sc),
                )
            ),
            subtitle=subtitle
            or ch.t(
                "subtitle.flagship_sensitivity",
                n=str(n_sc),
                delta=format_number(float(delta), lang=ch.lang, decimals=2) if delta else "0,1",
                geo=geo_label(geo_c, ch.lang),
            ),
            frames=[data],
            sources=sources,
            notes=notes,
            latest_year=int(data["year"].max()) if "year" in data.columns else None,
        )
    return ch.done(fig)


# --- ports -------------------------------------------------------------------------------------


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
    from hilir.markets.labels import item_label
    from hilir.markets.ports import PORT_CAVEAT

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
                geo=geo_label(geo_c, ch.lang),
            ),
            frames=[data],
            sources=sources,
            notes=notes,
            latest_year=chosen,
        )
    return ch.done(fig)


# --- export procedure --------------------------------------------------------------------------


def procedure_provenance() -> Provenance:
    """A provenance record for the export-procedure table (package reference data).

    The table is compiled by hilir from the public sources named in each row; the record
    lets a chart of it carry a generated source line and be saved.
    """
    from importlib import resources

    ref = resources.files("hilir") / "refdata" / "export_procedure.csv"
    data = ref.read_bytes()
    return Provenance(
        key="hilir_export_procedure",
        file="export_procedure.csv",
        reader="export_procedure",
        table="reference",
        publisher="hilir project (compiled from the public sources cited in each row)",
        title="Export procedure of Indonesia: steps, institutions and documents",
        url="",
        taken_from="hilir/refdata/export_procedure.csv",
        accessed="",
        licence="as the hilir package",
        citation="hilir, export_procedure.csv; each step cites its own source",
        source_label={
            "id": "dihimpun hilir dari sumber terkutip per langkah",
            "en": "compiled by hilir from the sources cited for each step",
        },
        geography="IDN",
        coverage="as documented",
        latest_year=None,
        sha256=hashlib.sha256(data).hexdigest(),
        notes="Reference data, not legal advice; 'status' marks steps not verified.",
    )


def plot_export_procedure(
    steps: pd.DataFrame | None = None,
    *,
    chain: str | None = None,
    lang: Lang = "id",
    geography: str = "ID-LA",
    title: str | None = None,
    subtitle: str | None = None,
    note: Note | Sequence[Note] | None = None,
    size: Size = "full",
) -> Figure:
    """The export procedure as a flow of numbered steps with institution and document.

    Steps whose ``status`` is not ``as_documented`` are drawn with a dashed border and
    named in the note.

    Parameters
    ----------
    steps : pandas.DataFrame, optional
        Output of :func:`hilir.markets.export_procedure`; default the shipped steps for
        ``chain``.
    chain : str, optional
        Registry chain (``coffee``) when ``steps`` is not given.
    geography : str, default "ID-LA"
        Where the brief is for (for the subtitle; the procedure is national).
    lang, title, subtitle, note, size
        As :func:`hilir.plots.plot_stage_share`. The source line comes from
        :func:`procedure_provenance`.
    """
    from hilir.markets.procedure import export_procedure

    if steps is None:
        steps = export_procedure(chain=chain)
    require(
        steps,
        [
            "step",
            "name_id",
            "name_en",
            "institution_id",
            "institution_en",
            "document_id",
            "document_en",
            "status",
        ],
        "export procedure",
    )
    ch = Chart("export_procedure", lang=lang, size=size)
    data = steps.reset_index(drop=True).copy()
    data["source_key"] = "hilir_export_procedure"
    data["source"] = "hilir_export_procedure"
    rec = procedure_provenance()
    unverified = [
        str(i + 1) for i, s in enumerate(data["status"].astype(str)) if s != "as_documented"
    ]
    notes: list[Note | None] = ["note.markets.procedure"]
    if unverified:
        names = ", ".join(unverified)
        notes.append(
            {
                "id": t("note.markets.procedure_unverified", "id", steps=names),
                "en": t("note.markets.procedure_unverified", "en", steps=names),
            }
        )
    notes += as_notes(note)
    accent = chain_colour(chain) if chain else "#0072B2"
    n = len(data)
    head_pt, body_pt = ch.fs.font * 0.9, ch.fs.font * 0.7
    head_h, body_h = head_pt * 1.35 / 72, body_pt * 1.3 / 72  # inches per line
    pad, gap = 0.07, 0.16  # inches inside a box, between boxes
    texts = []
    for i, (_, r) in enumerate(data.iterrows()):
        texts.append(
            (
                f"{i + 1}. {r[f'name_{ch.lang}']}",
                f"{t('label.institution', ch.lang)}: {r[f'institution_{ch.lang}']}",
                f"{t('label.document', ch.lang)}: {r[f'document_{ch.lang}']}",
            )
        )
    # measure the lines on a scratch figure of the same width, to size the figure
    from matplotlib.font_manager import FontProperties

    from hilir.plots._layout import new_figure, wrap

    prop = FontProperties(family="DejaVu Sans", size=body_pt)
    scratch, _ = new_figure(ch.fs)
    width_est = (ch.fs.width - 0.3) * 0.95
    est = sum(
        head_h
        + body_h * (len(wrap(scratch, a, width_est, prop)) + len(wrap(scratch, b, width_est, prop)))
        + 2 * pad
        + gap
        for _, a, b in texts
    )
    with chart_style(size):
        fig, ax = ch.single(height=max(ch.fs.height, est + 1.3))
        ax.axis("off")
        from hilir.markets.labels import item_label

        what = item_label(chain, ch.lang) if chain else t("label.all_exports", ch.lang)
        ch.finish(
            fig,
            data=data.drop(columns=["source_key"]),
            title=title or cap(t("title.procedure", ch.lang, n=str(n), what=what)),
            subtitle=subtitle
            or ch.t("subtitle.procedure", what=what, geo=geo_label(geo_code(geography), ch.lang)),
            frames=[data],
            sources=[rec],
            notes=notes,
            processed=False,
        )
        box = ax.get_window_extent()
        width_in = box.width / fig.dpi
        blocks = []
        for head, inst, doc in texts:
            lines = wrap(fig, inst, width_in * 0.95, prop) + wrap(fig, doc, width_in * 0.95, prop)
            blocks.append((head, lines, head_h + body_h * len(lines) + 2 * pad))
        total = sum(b[2] for b in blocks) + gap * (n - 1)
        ax.set_xlim(0, width_in)
        ax.set_ylim(max(total, box.height / fig.dpi), 0)
        y = 0.0
        for i, ((head, lines, h), (_, r)) in enumerate(zip(blocks, data.iterrows(), strict=True)):
            dashed = str(r["status"]) != "as_documented"
            ax.add_patch(
                FancyBboxPatch(
                    (0.01, y),
                    width_in - 0.02,
                    h,
                    boxstyle="round,pad=0.0,rounding_size=0.04",
                    facecolor=with_lightness(accent, 0.95),
                    edgecolor=accent,
                    linewidth=0.9,
                    linestyle=(0, (3, 2)) if dashed else "solid",
                )
            )
            ax.text(
                0.08,
                y + pad,
                head,
                fontsize=head_pt,
                fontweight="bold",
                color=INK,
                va="top",
                ha="left",
            )
            ax.text(
                0.08,
                y + pad + head_h,
                "\n".join(lines),
                fontsize=body_pt,
                color=MUTED,
                va="top",
                ha="left",
                linespacing=1.3,
            )
            y += h
            if i < n - 1:
                ax.add_patch(
                    FancyArrowPatch(
                        (width_in / 2, y),
                        (width_in / 2, y + gap),
                        arrowstyle="-|>",
                        mutation_scale=7,
                        color=accent,
                        linewidth=0.9,
                    )
                )
                y += gap
    return ch.done(fig)
