"""Scenario fan and waterfall: value gained by processing at home, and what moved exports.

The scenario fan shows the value gained by processing a share of raw exports at home; the
waterfall splits a change in export value into volume, price and stage-mix effects.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from hilir.errors import HilirDataError
from hilir.i18n.catalog import Lang, t
from hilir.i18n.dates import format_period
from hilir.i18n.labels import geography_label
from hilir.i18n.numbers import compact_decimals, format_money, format_percent, format_range
from hilir.i18n.units import ExchangeRate
from hilir.plots._waterfall import EFFECTS, _draw_waterfall_bars, _waterfall_axes
from hilir.plots.common import (
    Chart,
    as_notes,
    bounds_wide,
    cap,
    geo_code,
    item_label,
    money_axis,
    require,
    select_geography,
    select_value,
    source_of,
    to_currency,
)
from hilir.plots.layout import NumberFormatter
from hilir.plots.sources import Note
from hilir.plots.style import (
    BAND_ALPHA,
    GRID,
    INK,
    MUTED,
    Size,
    chain_colour,
    chart_style,
)
from hilir.provenance.sidecar import Provenance

Currency = Literal["USD", "IDR"]


Measure = Literal["auto", "value_added", "gross"]
MEASURE_COLUMN = {"value_added": "delta_domestic_va_usd", "gross": "delta_value_usd"}


def _measure(frame: pd.DataFrame, measure: Measure) -> str:
    """The measure drawn: ``auto`` is value added where every value of it is known."""
    if measure not in ("auto", *MEASURE_COLUMN):
        raise ValueError(f"measure must be 'auto', 'value_added' or 'gross', not {measure!r}")
    if measure != "auto":
        return measure
    va = MEASURE_COLUMN["value_added"]
    known = va in frame.columns and frame[va].notna().all() and len(frame) > 0
    return "value_added" if known else "gross"


def scenario_data(
    frame: pd.DataFrame,
    *,
    geography: str,
    chain: str | None = None,
    measure: Measure = "auto",
) -> pd.DataFrame:
    """Change in domestic value added (or gross exports) by share processed, with its range.

    Parameters
    ----------
    frame : pandas.DataFrame
        Output of :func:`hilir.value.scenario_summary` (long: ``share, bound,
        delta_domestic_va_usd, delta_value_usd``) or a wide frame with ``share`` and
        ``delta_value_usd_low``, ``delta_value_usd_central``, ``delta_value_usd_high``.
    geography : str
        ``IDN`` or ``ID-LA``.
    chain : str, optional
        Chain key (when the frame holds several).
    measure : {"auto", "value_added", "gross"}, default "auto"
        ``value_added``: the domestic value added retained (``delta_domestic_va_usd``);
        ``gross``: the gross export change (``delta_value_usd``), which also counts imported
        inputs. ``auto`` draws value added wherever the frame has it for every point.

    Returns
    -------
    pandas.DataFrame
        ``chain, geography, year, share`` (fraction of raw exports, 0-1), ``low, central,
        high`` (USD a year), ``measure``, ``source``; sorted by share.
    """
    what = "scenario frame"
    require(frame, ["share"], what)
    code = geo_code(geography)
    df = select_geography(frame, code, what)
    df, chain_key = select_value(df, "chain", chain, what)
    index = [c for c in ("year", "share") if c in df.columns]
    kind = _measure(df, measure)
    wide = bounds_wide(df, MEASURE_COLUMN[kind], index, what)
    if "year" in wide.columns and wide["year"].nunique() > 1:
        raise HilirDataError(
            f"{what} holds several base years {sorted(wide['year'].unique())}; keep one"
        )
    src = source_of(df)
    out = pd.DataFrame(
        {
            "chain": chain_key or "",
            "geography": code,
            "year": wide["year"].astype("Int64") if "year" in wide.columns else pd.NA,
            "share": pd.to_numeric(wide["share"], errors="coerce").astype(float),
            "low": wide["low"],
            "central": wide["central"],
            "high": wide["high"],
            "measure": kind,
            "source": src,
        }
    )
    bad = out["share"].lt(0) | out["share"].gt(1) | out["share"].isna()
    if bad.any():
        raise HilirDataError(f"{what} has shares outside 0-1: {out['share'][bad].tolist()}")
    if out["central"].isna().all():
        raise HilirDataError(f"{what} has no central value change to plot")
    return out.sort_values("share").reset_index(drop=True)


def title_scenario(
    data: pd.DataFrame, lang: str, *, currency: Currency = "USD", fx: ExchangeRate | None = None
) -> str:
    """Finding title: the value change at the largest share shown, with its range."""
    row = data.iloc[-1]
    lo, mid, hi = (
        float(to_currency(pd.Series([row[b]]), currency, fx).iloc[0])
        for b in ("low", "central", "high")
    )
    if np.isfinite(lo) and np.isfinite(hi):
        dec = compact_decimals(max(abs(lo), abs(hi)))
        rng = format_range(lo, hi, lang=lang, kind="money", currency=currency, decimals=dec)
    else:
        rng = format_money(mid, lang=lang, currency=currency)
    key = "title.scenario.add" if lo >= 0 else "title.scenario.change"
    if row.get("measure", "gross") == "value_added":
        key += "_va"
    chain = str(row["chain"])
    return cap(
        t(
            key,
            lang,
            share=format_percent(float(row["share"]), lang=lang, decimals=0),
            chain=item_label(chain, lang) if chain else "",
            range=rng,
        )
    )


def plot_scenario_fan(
    frame: pd.DataFrame,
    *,
    lang: Lang = "id",
    geography: str,
    chain: str | None = None,
    currency: Currency = "USD",
    fx: ExchangeRate | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    note: Note | Sequence[Note] | None = None,
    size: Size = "full",
    sources: Iterable[str | Provenance] | None = None,
    measure: Measure = "auto",
) -> Figure:
    """Scenario fan: the annual gain as more raw exports are processed at home.

    The gain drawn is the domestic value added retained where the scenario has it
    (``measure="auto"``), else the gross export change, labelled as such.

    The central change is a line over the share of raw exports moved to the processed
    product; the low-high range is a band around it, and the last point is labelled with
    its range. A single share is drawn as a point with its interval.

    Parameters
    ----------
    frame : pandas.DataFrame
        See :func:`scenario_data`.
    lang, geography, title, subtitle, note, size, sources
        As :func:`hilir.plots.plot_stage_share`.
    chain : str, optional
        Chain key.
    currency : {"USD", "IDR"}, default "USD"
    fx : ExchangeRate, optional
        Needed for rupiah; printed in the note line.
    measure : {"auto", "value_added", "gross"}, default "auto"
        See :func:`scenario_data`.

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.hilir_data``: see :func:`scenario_data` (US dollars).
    """
    ch = Chart("scenario_fan", lang=lang, size=size)
    data = scenario_data(frame, geography=geography, chain=chain, measure=measure)
    va = data["measure"].iloc[0] == "value_added"
    code = str(data["geography"].iloc[0])
    chain_key = str(data["chain"].iloc[0]) or None
    colour = chain_colour(chain_key)
    lo, mid, hi = (to_currency(data[b], currency, fx) for b in ("low", "central", "high"))
    x = data["share"].to_numpy(dtype=float)
    year = data["year"].dropna()
    base = str(int(year.iloc[0])) if len(year) else "–"
    notes = [
        "note.scenario_range_va" if va else "note.scenario_range",
        ch.fx_note(currency, fx),
        *as_notes(note),
    ]
    with chart_style(size):
        fig, ax = ch.single()
        if len(x) > 1:
            ax.fill_between(x, lo, hi, color=colour, alpha=BAND_ALPHA, linewidth=0)
            ax.plot(x, mid, color=colour, marker="o", markersize=ch.fs.font * 0.45)
        else:
            ax.errorbar(x, mid, yerr=[mid - lo, hi - mid], fmt="o", color=colour, capsize=3)
        ax.axhline(0, color=MUTED, linewidth=0.8)
        _, unit = money_axis(ax, [*lo, *mid, *hi], ch.lang, currency=currency)
        ax.xaxis.set_major_formatter(NumberFormatter(ch.lang, percent=True))
        ax.set_xticks(x if len(x) <= 8 else np.linspace(x.min(), x.max(), 6))
        ax.set_xlim(min(0.0, x.min()), x.max() * 1.02 if x.max() > 0 else 1)
        ax.set_xlabel(ch.t("axis.share_processed"))
        ax.grid(axis="y", color=GRID, linewidth=0.5)
        top = np.nanmax([*hi, 0.0])
        bottom = np.nanmin([*lo, 0.0])
        pad = (top - bottom) * 0.08 or 1.0
        ax.set_ylim(bottom - pad, top + pad)
        ch.finish(
            fig,
            data=data,
            title=title or title_scenario(data, ch.lang, currency=currency, fx=fx),
            subtitle=subtitle
            or ch.t(
                "subtitle.scenario_va" if va else "subtitle.scenario",
                unit=unit,
                year=base,
                geo=geography_label(code, ch.lang),
            ),
            frames=[data],
            sources=sources,
            notes=notes,
            latest_year=int(year.iloc[0]) if len(year) else None,
        )
        if len(x) > 1 and np.isfinite(lo.iloc[-1]) and np.isfinite(hi.iloc[-1]):
            a, b = float(lo.iloc[-1]), float(hi.iloc[-1])
            dec = compact_decimals(max(abs(a), abs(b)))
            text = format_range(a, b, lang=ch.lang, kind="money", currency=currency, decimals=dec)
            ax.annotate(
                text,
                xy=(x[-1], float(hi.iloc[-1])),
                xytext=(0, 4),
                textcoords="offset points",
                ha="right",
                va="bottom",
                fontsize=ch.fs.font * 0.9,
                color=INK,
            )
    return ch.done(fig)


def waterfall_data(
    frame: pd.DataFrame,
    *,
    geography: str,
    chain: str | None = None,
    bound: str = "central",
) -> pd.DataFrame:
    """The parts of a change in export value, with the spread of each part across bounds.

    Parameters
    ----------
    frame : pandas.DataFrame
        Output of :func:`hilir.value.decompose_growth` (long: ``effect`` in volume, price,
        mix, total; ``change_usd``; ``bound``; ``year_from``, ``year_to``;
        ``value_usd_from``, ``value_usd_to``), or a frame with ``effect`` (or ``part``)
        and ``change_usd`` (or ``value_usd``).
    geography : str
        ``IDN`` or ``ID-LA``.
    chain : str, optional
        Chain key.
    bound : {"low", "central", "high"}, default "central"
        Conversion-factor bound of the bars; the other bounds give each effect's range.

    Returns
    -------
    pandas.DataFrame
        One row per bar: ``chain, geography, year_from, year_to, part`` (``start``,
        ``volume``, ``price``, ``mix``, ``end`` or ``total``), ``change_usd`` (bar height,
        USD), ``low_usd``, ``high_usd`` (range of an effect across bounds), ``base_usd``
        (where a floating bar starts), ``source``.
    """
    what = "decomposition frame"
    df = frame.rename(columns={"part": "effect"}) if "part" in frame.columns else frame
    if "change_usd" not in df.columns and "value_usd" in df.columns:
        df = df.rename(columns={"value_usd": "change_usd"})
    require(df, ["effect", "change_usd"], what)
    code = geo_code(geography)
    df = select_geography(df, code, what)
    df, chain_key = select_value(df, "chain", chain, what)
    if "year_from" in df.columns and df[["year_from", "year_to"]].drop_duplicates().shape[0] > 1:
        raise HilirDataError(f"{what} holds several periods; keep one (year_from, year_to)")
    unknown = sorted(set(df["effect"].astype(str)) - {*EFFECTS, "total"})
    if unknown:
        raise HilirDataError(
            f"{what} has unknown effects {unknown}; effects are {[*EFFECTS, 'total']}"
        )
    chosen = df
    if "bound" in df.columns:
        chosen = df[df["bound"].astype("string").eq(bound).fillna(False).to_numpy(dtype=bool)]
        if chosen.empty:
            raise HilirDataError(f"{what} has no rows for bound {bound!r}")
    if chosen["effect"].duplicated().any():
        raise HilirDataError(f"{what} has several rows per effect; keep one chain and period")
    change = chosen.set_index("effect")["change_usd"].astype(float)
    missing = [e for e in EFFECTS if e not in change.index]
    if missing:
        raise HilirDataError(f"{what} lacks effects {missing}")
    spread = (
        df.groupby("effect")["change_usd"].agg(["min", "max"]).astype(float)
        if "bound" in df.columns
        else pd.DataFrame({"min": change, "max": change})
    )
    y0 = int(chosen["year_from"].iloc[0]) if "year_from" in chosen.columns else None
    y1 = int(chosen["year_to"].iloc[0]) if "year_to" in chosen.columns else None
    start = float(chosen["value_usd_from"].iloc[0]) if "value_usd_from" in chosen.columns else None
    total = float(change.get("total", change[list(EFFECTS)].sum()))
    parts = []
    level = start if start is not None else 0.0
    if start is not None:
        parts.append(("start", start, np.nan, np.nan, 0.0))
    for e in EFFECTS:
        v = float(change[e])
        parts.append((e, v, float(spread.at[e, "min"]), float(spread.at[e, "max"]), level))
        level += v
    if start is not None:
        parts.append(("end", start + total, np.nan, np.nan, 0.0))
    else:
        parts.append(("total", total, np.nan, np.nan, 0.0))
    out = pd.DataFrame(parts, columns=["part", "change_usd", "low_usd", "high_usd", "base_usd"])
    src = source_of(df)
    out.insert(0, "year_to", y1)
    out.insert(0, "year_from", y0)
    out.insert(0, "geography", code)
    out.insert(0, "chain", chain_key or "")
    out["source"] = src
    return out


def title_waterfall(
    data: pd.DataFrame, lang: str, *, currency: Currency = "USD", fx: ExchangeRate | None = None
) -> str:
    """Finding title: the total change and the effect that drove it most."""
    effects = data[data["part"].isin(EFFECTS)]
    total = float(effects["change_usd"].sum())
    same = effects[np.sign(effects["change_usd"]) == np.sign(total)] if total else effects
    pool = same if len(same) else effects
    driver = pool.loc[pool["change_usd"].abs().idxmax(), "part"]
    amount = float(to_currency(pd.Series([abs(total)]), currency, fx).iloc[0])
    chain = str(data["chain"].iloc[0])
    y0, y1 = data["year_from"].iloc[0], data["year_to"].iloc[0]
    period = format_period(int(y0), int(y1)) if pd.notna(y0) and pd.notna(y1) else ""
    key = "title.waterfall.up" if total >= 0 else "title.waterfall.down"
    return cap(
        t(
            key,
            lang,
            chain=item_label(chain, lang) if chain else "",
            total=format_money(amount, lang=lang, currency=currency),
            period=period,
            part=t(f"effect.{driver}", lang),
        )
    )


def plot_waterfall(
    frame: pd.DataFrame,
    *,
    lang: Lang = "id",
    geography: str,
    chain: str | None = None,
    bound: str = "central",
    currency: Currency = "USD",
    fx: ExchangeRate | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    note: Note | Sequence[Note] | None = None,
    size: Size = "full",
    sources: Iterable[str | Provenance] | None = None,
) -> Figure:
    """Waterfall of a change in export value: volume, price and stage-mix effects.

    From the start year's value (when known) through each effect, blue up and orange
    down, to the end year's value; a thin line on an effect shows how far it moves across
    the low and high conversion factors (the total never moves).

    Parameters
    ----------
    frame : pandas.DataFrame
        See :func:`waterfall_data`.
    lang, geography, title, subtitle, note, size, sources
        As :func:`hilir.plots.plot_stage_share`.
    chain : str, optional
        Chain key.
    bound : {"low", "central", "high"}, default "central"
        Factor bound of the bars.
    currency : {"USD", "IDR"}, default "USD"
    fx : ExchangeRate, optional
        Needed for rupiah.

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.hilir_data``: see :func:`waterfall_data` (US dollars).
    """
    ch = Chart("waterfall", lang=lang, size=size)
    data = waterfall_data(frame, geography=geography, chain=chain, bound=bound)
    code = str(data["geography"].iloc[0])
    y0, y1 = data["year_from"].iloc[0], data["year_to"].iloc[0]
    period = format_period(int(y0), int(y1)) if pd.notna(y0) and pd.notna(y1) else "–"
    conv = {
        c: to_currency(data[c], currency, fx)
        for c in ("change_usd", "low_usd", "high_usd", "base_usd")
    }
    has_range = bool((conv["high_usd"] - conv["low_usd"]).abs().fillna(0).gt(0).any())
    notes = [
        "note.decomposition",
        "note.decomposition_bounds" if has_range else None,
        ch.fx_note(currency, fx),
        *as_notes(note),
    ]
    with chart_style(size):
        fig, ax = ch.single()
        labels, tops = _draw_waterfall_bars(ax, ch, data, conv, has_range, currency, size)
        unit = _waterfall_axes(ax, ch, conv, labels, tops, currency, size)
        ch.finish(
            fig,
            data=data,
            title=title or title_waterfall(data, ch.lang, currency=currency, fx=fx),
            subtitle=subtitle
            or ch.t(
                "subtitle.waterfall", period=period, unit=unit, geo=geography_label(code, ch.lang)
            ),
            frames=[data],
            sources=sources,
            notes=notes,
            latest_year=int(y1) if pd.notna(y1) else None,
        )
    return ch.done(fig)


__all__ = [
    "plot_scenario_fan",
    "plot_waterfall",
    "scenario_data",
    "title_scenario",
    "title_waterfall",
    "waterfall_data",
]
