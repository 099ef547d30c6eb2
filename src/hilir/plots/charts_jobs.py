"""Jobs ranges: direct, indirect and induced jobs as points with intervals, never bare points."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from hilir.errors import HilirDataError
from hilir.i18n.catalog import Lang, t
from hilir.i18n.labels import geography_label
from hilir.i18n.numbers import format_percent, format_range
from hilir.i18n.units import axis_scale
from hilir.plots.common import (
    Chart,
    as_notes,
    bounds_wide,
    cap,
    geo_code,
    item_label,
    require,
    select_chains,
    select_geography,
    text_colour,
)
from hilir.plots.layout import NumberFormatter, category_axis, end_label
from hilir.plots.sources import Note, collect_sources, frame_keys
from hilir.plots.style import GRID, MUTED, Size, chain_colour, chart_style, with_lightness
from hilir.provenance.keys import split_keys
from hilir.provenance.sidecar import Provenance

#: Kinds of jobs, in the order they are drawn (total last).
KINDS = ("direct", "indirect", "induced", "total")


def _frame_keys(df: pd.DataFrame) -> str:
    """Provenance keys of a jobs frame, joined with ``+``.

    Keys come from ``source``, ``table_source`` and the known keys named in the free-text
    ``sources`` column of :func:`hilir.jobs.jobs_from_scenario`.
    """
    keys = set(split_keys(df["source"].dropna())) if "source" in df.columns else set()
    if "table_source" in df.columns:
        keys |= set(split_keys(df["table_source"].dropna()))
    if "sources" in df.columns:
        words = {w for v in df["sources"].dropna() for w in re.findall(r"[a-z][a-z0-9_]+", str(v))}
        if words:
            from hilir.provenance.catalog import input_records

            keys |= words & {r.key for r in input_records()}
    return "+".join(sorted(keys))


def jobs_data(
    frame: pd.DataFrame,
    *,
    geography: str,
    chains: Sequence[str] | None = None,
    share: float | None = None,
) -> pd.DataFrame:
    """Jobs by chain and kind with their low-central-high range.

    Parameters
    ----------
    frame : pandas.DataFrame
        Output of :func:`hilir.jobs.jobs_from_scenario`, or any long frame with
        ``geography`` (or ``reporter``), ``chain``, ``kind`` (``direct``, ``indirect``,
        ``induced``, ``total``), ``bound`` (``low``, ``central``, ``high``) and ``jobs``
        (persons); or wide with ``jobs_low``, ``jobs_central``, ``jobs_high``. One row per
        chain, kind and bound (and ``share``).
    geography : str
        ``IDN`` or ``ID-LA``; the jobs are in this geography.
    chains : sequence of str, optional
        Chains to keep, in order; default every chain in the frame.
    share : float, optional
        Scenario share to show, when the frame holds several.

    Returns
    -------
    pandas.DataFrame
        ``chain, geography, share, kind, low, central, high`` (persons), ``source``
        (provenance keys: ``source``, ``table_source`` and the keys named in ``sources``);
        in chain and kind order. A kind without any value (indirect and induced jobs of a
        table without employment accounts) is left out; ``fig.hilir.extra`` lists it.

    Raises
    ------
    HilirDataError
        Missing columns, an unknown kind, a kind with some but not all bounds (a jobs
        figure is always a range), or several rows for one chain, kind and bound.
    """
    what = "jobs frame"
    require(frame, ["chain", "kind"], what)
    code = geo_code(geography)
    df = select_geography(frame, code, what)
    unknown = sorted(set(df["kind"].astype(str)) - set(KINDS))
    if unknown:
        raise HilirDataError(f"{what} has unknown kinds {unknown}; kinds are {list(KINDS)}")
    df = select_chains(df, chains, what)
    share_value: float | None = None
    if "share" in df.columns:
        shares = sorted(float(v) for v in df["share"].dropna().unique())
        if share is None and len(shares) > 1:
            raise HilirDataError(f"{what} holds several scenario shares {shares}; pass share=")
        if share is not None:
            df = df[np.isclose(df["share"].astype(float), float(share))]
            if df.empty:
                raise HilirDataError(f"{what} has no rows for share {share}; shares: {shares}")
        share_value = float(share) if share is not None else (shares[0] if shares else None)
    elif share is not None:
        raise HilirDataError(f"{what} has no 'share' column to select {share} from")
    wide = bounds_wide(df, "jobs", ["chain", "kind"], what)
    values = wide[["low", "central", "high"]]
    empty = values.isna().all(axis=1)
    wide_all_kinds = wide["kind"].astype(str).to_numpy()
    partial = values.isna().any(axis=1) & ~empty
    if partial.any():
        row = wide[partial].iloc[0]
        raise HilirDataError(
            f"{what}: chain {row['chain']!r}, kind {row['kind']!r} lacks a low, central or "
            "high value; jobs are always shown as a range"
        )
    wide = wide[~empty]
    if wide.empty:
        raise HilirDataError(f"{what} has no jobs to plot")
    order = list(chains) if chains is not None else list(dict.fromkeys(df["chain"].astype(str)))
    wide["_c"] = wide["chain"].astype(str).map({c: i for i, c in enumerate(order)})
    wide["_k"] = wide["kind"].astype(str).map({k: i for i, k in enumerate(KINDS)})
    wide = wide.sort_values(["_c", "_k"]).drop(columns=["_c", "_k"])
    wide.insert(1, "geography", code)
    wide.insert(2, "share", share_value if share_value is not None else np.nan)
    wide["source"] = _frame_keys(df)
    out = wide.reset_index(drop=True)
    out.attrs["missing_kinds"] = sorted(set(wide_all_kinds[empty.to_numpy()]))
    return out


def title_jobs(data: pd.DataFrame, lang: str) -> str:
    """Finding title: the range of total (else direct) jobs of the chain with the most."""
    kind = "total" if (data["kind"] == "total").any() else "direct"
    rows = data[data["kind"] == kind].sort_values("central", ascending=False)
    row = rows.iloc[0]
    rng = format_range(float(row["low"]), float(row["high"]), lang=lang, kind="number", words=3)
    fields = {
        "chain": item_label(str(row["chain"]), lang),
        "range": rng,
        "geo": geography_label(str(row["geography"]), lang),
    }
    if float(row["low"]) < 0:
        key = "title.jobs.net"
    elif data["chain"].nunique() > 1:
        key = "title.jobs.most"
    elif pd.notna(row.get("share", np.nan)):
        key = "title.jobs.share"
        fields["share"] = format_percent(float(row["share"]), lang=lang, decimals=0)
    else:
        key = "title.jobs"
    if kind == "direct":
        key += ".direct"
    return cap(t(key, lang, **fields))


def plot_jobs(
    frame: pd.DataFrame,
    *,
    lang: Lang = "id",
    geography: str,
    chains: Sequence[str] | None = None,
    share: float | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    note: Note | Sequence[Note] | None = None,
    size: Size = "full",
    sources: Iterable[str | Provenance] | None = None,
    years: int | Mapping[str, int] | None = None,
) -> Figure:
    """Jobs ranges: a point (central) and an interval (low-high) for each kind of job.

    Rows are direct, indirect, induced and total jobs, grouped by chain; each interval is
    labelled with its range, so no number appears without its range and its geography.

    Parameters
    ----------
    frame : pandas.DataFrame
        See :func:`jobs_data`.
    lang, title, subtitle, note, size, sources
        As :func:`hilir.plots.plot_stage_share`.
    geography : str
        ``IDN`` or ``ID-LA``.
    chains : sequence of str, optional
        Chains and their order.
    share : float, optional
        Scenario share, when the frame holds several.
    years : int or mapping of str to int, optional
        Base year of the scenario behind the jobs (one for every chain, or chain -> year);
        default the frame's ``year`` column, if any. The subtitle states the years of the
        chains drawn.

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.hilir_data``: see :func:`jobs_data`.

    Notes
    -----
    "Latest data" of the source line is the latest year of what the chart draws: the base
    years of the chains shown and the years of the jobs frame's own inputs (input-output
    table, employment), never the latest year of a wider frame cited with ``sources``
    (all exports, say).
    """
    ch = Chart("jobs", lang=lang, size=size)
    sources = None if sources is None else list(sources)  # read twice
    data = jobs_data(frame, geography=geography, chains=chains, share=share)
    missing = data.attrs.get("missing_kinds", [])
    code = str(data["geography"].iloc[0])
    multi = data["chain"].nunique() > 1
    n = len(data)
    notes: list[Note | None] = ["note.jobs_method"]
    if missing:
        kinds = ", ".join(t(f"kind.{k}", ch.lang) for k in missing)
        notes.append(ch.t("note.jobs_missing", kinds=kinds))
    notes += as_notes(note)
    base_years = _base_years(frame, data, years)
    with chart_style(size):
        height = ch.fs.height if n <= 5 else ch.fs.height * 0.5 + n * ch.fs.font * 0.028
        fig, ax = ch.single(height=height)
        ys = np.arange(n)[::-1].astype(float)
        labels = _draw_jobs_rows(ax, ch, data, ys, multi)
        _jobs_axes(ax, ch, data, ys, labels)
        ch.finish(
            fig,
            data=data,
            title=title or title_jobs(data, ch.lang),
            subtitle=subtitle or _jobs_subtitle(ch, code, base_years),
            frames=[data],
            sources=sources,
            notes=notes,
            latest_year=max([*base_years, *_own_years(data, sources)], default=None),
            extra={"missing_kinds": missing, "base_years": base_years},
        )
    return ch.done(fig)


def _base_years(
    frame: pd.DataFrame, data: pd.DataFrame, years: int | Mapping[str, int] | None
) -> list[int]:
    """Sorted distinct base years of the chains drawn (``years``, else ``frame["year"]``)."""
    chains = list(dict.fromkeys(data["chain"].astype(str)))
    if isinstance(years, int | np.integer):
        return [int(years)]
    if years is not None:
        absent = [c for c in chains if c not in years]
        if absent:
            raise HilirDataError(f"years= has no base year for the chains {absent}")
        return sorted({int(years[c]) for c in chains})
    if "year" in frame.columns:
        drawn = frame[frame["chain"].astype(str).isin(chains).to_numpy(dtype=bool)]
        return sorted({int(y) for y in pd.to_numeric(drawn["year"], errors="coerce").dropna()})
    return []


def _own_years(data: pd.DataFrame, sources: Iterable[str | Provenance] | None) -> list[int]:
    """Latest year of the jobs frame's own inputs (the records of its ``source`` keys).

    Records passed in ``sources`` are used to look the keys up when they cover them all.
    """
    given = [s for s in sources or () if isinstance(s, Provenance)]
    covered = set(frame_keys(data)) <= {r.key for r in given}
    year = collect_sources([data], records=given if given and covered else None).latest_year()
    return [] if year is None else [int(year)]


def _jobs_subtitle(ch: Chart, code: str, base_years: Sequence[int]) -> str:
    """Subtitle: measure, encoding and geography, with the scenario base years if known."""
    geo = geography_label(code, ch.lang)
    if not base_years:
        return ch.t("subtitle.jobs", geo=geo)
    key = "subtitle.jobs.year" if len(base_years) == 1 else "subtitle.jobs.years"
    return ch.t(key, geo=geo, years=", ".join(str(y) for y in base_years))


def _draw_jobs_rows(
    ax: Any, ch: Chart, data: pd.DataFrame, ys: np.ndarray, multi: bool
) -> list[str]:
    """Each row's interval, point and range label, a rule between chains; return row labels."""
    labels = []
    prev_chain = None
    for y, (_, row) in zip(ys, data.iterrows(), strict=True):
        _draw_jobs_range(ax, ch, y, row)
        kind = cap(t(f"kind.{row['kind']}", ch.lang))
        if multi and row["chain"] != prev_chain:
            kind = f"{cap(item_label(str(row['chain']), ch.lang))}: {kind}"
        labels.append(kind)
        if prev_chain is not None and row["chain"] != prev_chain:
            ax.axhline(y + 0.5, color=GRID, linewidth=0.8)
        prev_chain = row["chain"]
    return labels


def _draw_jobs_range(ax: Any, ch: Chart, y: float, row: pd.Series) -> None:
    """One row: the low-high interval, the central point and the range label (jobs)."""
    colour = chain_colour(str(row["chain"]))
    is_total = row["kind"] == "total"
    dark = text_colour(colour)
    ax.plot(
        [row["low"], row["high"]],
        [y, y],
        color=with_lightness(colour, 0.72) if not is_total else dark,
        linewidth=ch.fs.font * 0.7,
        solid_capstyle="round",
    )
    ax.plot(
        [row["central"]],
        [y],
        marker="o",
        color=dark,
        markerfacecolor="white" if is_total else dark,
        markeredgewidth=1.2,
        markersize=ch.fs.font * 0.75,
        linestyle="none",
    )
    rng = format_range(float(row["low"]), float(row["high"]), lang=ch.lang, kind="number", words=3)
    end_label(
        ax,
        rng,
        float(row["high"]),
        y,
        fontsize=ch.fs.font * 0.85,
        offset_pt=6,
        fontweight="bold" if is_total else "normal",
    )


def _jobs_axes(ax: Any, ch: Chart, data: pd.DataFrame, ys: np.ndarray, labels: list[str]) -> None:
    """Row labels (totals in bold), zero line when negative, jobs axis and grid."""
    lo_all = float(min(data["low"].min(), 0.0))
    hi_all = float(data["high"].max())
    sc = axis_scale(max(abs(lo_all), abs(hi_all)), words=3)
    category_axis(ax, ys, labels)
    for tick, (_, row) in zip(ax.get_yticklabels(), data.iterrows(), strict=True):
        if row["kind"] == "total":
            tick.set_fontweight("bold")
    if lo_all < 0:
        ax.axvline(0, color=MUTED, linewidth=0.8)
    span = hi_all - lo_all
    ax.set_xlim(lo_all - 0.02 * span if lo_all < 0 else 0, hi_all + 0.3 * span)
    ax.xaxis.set_major_formatter(NumberFormatter(ch.lang, divisor=sc.divisor))
    ax.set_xlabel(sc.number_unit(ch.lang, "unit.jobs"))
    ax.grid(axis="x", color=GRID, linewidth=0.5)
