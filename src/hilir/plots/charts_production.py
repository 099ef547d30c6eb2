"""Lampung regency bars: where a crop is grown, from the tidy production table."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from hilir.errors import HilirDataError
from hilir.i18n.catalog import Lang, t
from hilir.i18n.numbers import format_number, format_percent
from hilir.i18n.units import axis_scale
from hilir.plots.common import (
    Chart,
    as_notes,
    cap,
    check_choice,
    geo_code,
    item_label,
    require,
)
from hilir.plots.layout import NumberFormatter, category_axis, end_label
from hilir.plots.sources import Note
from hilir.plots.style import CONTEXT, CROP_CHAIN, GRID, Size, chain_colour, chart_style
from hilir.provenance.sidecar import Provenance

Measure = Literal["production", "area"]
_COLUMN = {"production": "production_t", "area": "area_ha"}
_UNIT = {"production": "unit.tonnes", "area": "unit.hectares"}


def crop_label(crop: str, lang: str) -> str:
    """Label of a crop key (``coffee_robusta`` -> ``kopi robusta``)."""
    return item_label(crop, lang, families=("crop", "product", "chain"))


def regency_data(
    frame: pd.DataFrame,
    *,
    crop: str,
    year: int | None = None,
    measure: Measure = "production",
    geography: str = "ID-LA",
) -> pd.DataFrame:
    """One crop's production (or area) by regency and city of Lampung in one year.

    Parameters
    ----------
    frame : pandas.DataFrame
        The tidy production table (``hilir.load_production()``): ``year, geo, geo_level,
        geo_name, crop, production_t, area_ha, scope, flag, source``.
    crop : str
        Crop key (``coffee_robusta``, ``pepper``, ``oil_palm``, ...).
    year : int, optional
        Default: the latest year with regency values for the crop.
    measure : {"production", "area"}, default "production"
        Production in tonnes or planted area in hectares.
    geography : str, default "ID-LA"
        The province (only Lampung, ``ID-LA``, has regency tables).

    Returns
    -------
    pandas.DataFrame
        ``year, geo, geo_name, crop, value`` (t or ha), ``share`` (of the sum over the
        regencies shown), ``scope``, ``flag``, ``source``; sorted from the largest value.
        Regencies without a value (``-`` in BPS tables) are left out.
    """
    check_choice("measure", measure, ("production", "area"))
    code = geo_code(geography)
    if code != "ID-LA":
        raise HilirDataError("regency bars exist for Lampung (ID-LA) only")
    what = "production frame"
    column = _COLUMN[measure]
    require(frame, ["year", "geo", "geo_level", "geo_name", "crop", column], what)
    df = frame[frame["geo_level"].astype("string").eq("regency").fillna(False).to_numpy(dtype=bool)]
    df = df[
        df["geo"].astype("string").str.startswith(code + "-").fillna(False).to_numpy(dtype=bool)
    ]
    if df.empty:
        raise HilirDataError(f"{what} has no regency rows for {code}")
    crops = sorted(df["crop"].dropna().astype(str).unique())
    df = df[df["crop"].astype(str).eq(crop).to_numpy(dtype=bool)]
    if df.empty:
        raise HilirDataError(f"{what} has no regency rows for crop {crop!r}; crops: {crops}")
    df = df[pd.to_numeric(df[column], errors="coerce").notna().to_numpy(dtype=bool)]
    if df.empty:
        raise HilirDataError(f"{what} has no regency values of {column} for crop {crop!r}")
    years = sorted(int(y) for y in df["year"].unique())
    chosen = years[-1] if year is None else int(year)
    df = df[df["year"].astype(int).eq(chosen).to_numpy(dtype=bool)]
    if df.empty:
        raise HilirDataError(
            f"{what} has no regency values for {crop!r} in {chosen}; years: {years}"
        )
    if df["geo"].duplicated().any():
        dup = df[df["geo"].duplicated()].iloc[0]
        raise HilirDataError(
            f"{what} has two rows for {dup['geo']} ({crop}, {chosen}), from sources "
            f"{sorted(df.loc[df['geo'] == dup['geo'], 'source'].astype(str))}; keep one source"
        )
    value = pd.to_numeric(df[column], errors="coerce").astype(float)
    total = float(value.sum())
    out = pd.DataFrame(
        {
            "year": chosen,
            "geo": df["geo"].astype(str).to_numpy(),
            "geo_name": df["geo_name"].astype(str).to_numpy(),
            "crop": crop,
            "value": value.to_numpy(),
            "share": (value / total).to_numpy() if total > 0 else np.nan,
            "scope": df["scope"].astype(str).to_numpy() if "scope" in df.columns else "",
            "flag": df["flag"].astype("string").fillna("").to_numpy()
            if "flag" in df.columns
            else "",
            "source": df["source"].astype(str).to_numpy() if "source" in df.columns else "",
        }
    )
    return out.sort_values(["value", "geo_name"], ascending=[False, True]).reset_index(drop=True)


def title_regency(data: pd.DataFrame, lang: str, *, measure: Measure = "production") -> str:
    """Finding title: the leading regency's share of the crop in Lampung."""
    top = data.iloc[0]
    return cap(
        t(
            f"title.regency.{measure}",
            lang,
            top=str(top["geo_name"]),
            share=format_percent(float(top["share"]), lang=lang, decimals=0),
            crop=crop_label(str(top["crop"]), lang),
            year=str(int(top["year"])),
        )
    )


def plot_regency_production(
    frame: pd.DataFrame,
    *,
    lang: Lang = "id",
    crop: str,
    year: int | None = None,
    measure: Measure = "production",
    geography: str = "ID-LA",
    title: str | None = None,
    subtitle: str | None = None,
    note: Note | Sequence[Note] | None = None,
    size: Size = "full",
    sources: Iterable[str | Provenance] | None = None,
) -> Figure:
    """Sorted bars of a crop's production (or area) by regency and city of Lampung.

    The leading regency is drawn in the crop's chain colour, the others in grey; each bar
    is labelled with its value and share.

    Parameters
    ----------
    frame : pandas.DataFrame
        See :func:`regency_data`.
    lang : {"id", "en"}, default "id"
    crop : str
        Crop key.
    year : int, optional
        Default: latest year with regency values.
    measure : {"production", "area"}, default "production"
    geography : str, default "ID-LA"
    title, subtitle, note, size, sources
        As :func:`hilir.plots.plot_stage_share`.

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.hilir_data``: see :func:`regency_data`.
    """
    ch = Chart("regency_production", lang=lang, size=size)
    data = regency_data(frame, crop=crop, year=year, measure=measure, geography=geography)
    n = len(data)
    accent = chain_colour(CROP_CHAIN.get(crop))
    notes: list[Note | None] = ["note.share_of_regencies"]
    if (data["scope"] == "smallholder").any():
        notes.append("note.scope_smallholder")
    if data["flag"].astype(str).str.len().gt(0).any():
        notes.append("note.production_flag")
    notes += as_notes(note)
    with chart_style(size):
        fig, ax, ys = ch.rows_figure(n, base=0.4, per_row=0.022)
        sc = axis_scale(float(data["value"].max()), words=3)
        colours = [accent if i == 0 else CONTEXT for i in range(n)]
        ax.barh(ys, data["value"], color=colours, height=0.7)
        for y, (_, row) in zip(ys, data.iterrows(), strict=True):
            share = float(row["share"])
            pct = (
                format_percent(share, lang=ch.lang, decimals=0)
                if share >= 0.005
                else "<" + format_percent(0.01, lang=ch.lang, decimals=0)
            )
            text = format_number(float(row["value"]), lang=ch.lang, words=3) + f" ({pct})"
            end_label(ax, text, float(row["value"]), y, fontsize=ch.fs.font * 0.8)
        category_axis(ax, ys, data["geo_name"])
        ax.set_xlim(0, float(data["value"].max()) * 1.3)
        ax.xaxis.set_major_formatter(NumberFormatter(ch.lang, divisor=sc.divisor))
        ax.set_xlabel(sc.number_unit(ch.lang, _UNIT[measure]))
        ax.grid(axis="x", color=GRID, linewidth=0.5)
        ch.finish(
            fig,
            data=data,
            title=title or title_regency(data, ch.lang, measure=measure),
            subtitle=subtitle
            or ch.t(
                f"subtitle.regency.{measure}",
                crop=crop_label(crop, ch.lang),
                unit=ch.t(_UNIT[measure]),
                year=str(int(data["year"].iloc[0])),
            ),
            frames=[data],
            sources=sources,
            notes=notes,
        )
    return ch.done(fig)
