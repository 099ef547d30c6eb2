"""The unit-value ladder: each product's export value per kg of product, by stage.

The ladder compares products per kilogram of product, as traded (log scale); it does not
divide prices across stages, because ore against ferronickel per kg would overstate the
gain (that is the uplift chart's job, :mod:`hilir.plots.charts_uplift`). The chart says so
in its subtitle and note.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from hilir.errors import HilirDataError
from hilir.i18n.catalog import Lang, t
from hilir.i18n.labels import geography_label
from hilir.i18n.numbers import format_money
from hilir.i18n.units import ExchangeRate
from hilir.plots._ladder import (
    LadderItem,
    _draw_ladder_columns,
    _fit_labels_right,
    _label_ladder_column,
    _ladder_axes,
)
from hilir.plots.common import (
    Chart,
    as_notes,
    cap,
    geo_code,
    item_label,
    join_keys,
    period_text,
    require,
    select_geography,
    select_value,
    to_currency,
)
from hilir.plots.sources import Note
from hilir.plots.style import STAGE_ORDER, Size, chart_style
from hilir.provenance.sidecar import Provenance

#: Unit-value flags that mean the year's value is not a price (dropped from the ladder).
NOT_A_PRICE = ("zero_flow", "no_weight", "tiny_weight")


def unit_value_data(
    frame: pd.DataFrame,
    *,
    geography: str,
    chain: str | None = None,
    years: tuple[int, int] | None = None,
    span: int = 5,
) -> tuple[pd.DataFrame, int]:
    """Median and range of each product's unit value over a period: the ladder's data.

    Parameters
    ----------
    frame : pandas.DataFrame
        Output of :func:`hilir.value.unit_values` (``unit_value_usd_per_kg``, ``flag``) or a
        frame with ``product, stage, year, usd_per_kg``. An export table is refused: pass it
        through :func:`hilir.value.unit_values` first.
    geography : str
        ``IDN`` or ``ID-LA`` (names accepted).
    chain : str, optional
        Needed when the frame holds several chains.
    years : (int, int), optional
        First and last year of the period; default the ``span`` latest years up to the
        chain's latest year with data.
    span : int, default 5
        Length of the default period in years.

    Notes
    -----
    A product reported by several sources (a Comtrade file of world totals and one of
    destinations) keeps the source with the most years of unit values (ties: the first
    key), so sources are never mixed within a product.

    Returns
    -------
    (pandas.DataFrame, int)
        ``chain, geography, product, stage, first_year, last_year, n_years,
        median_usd_per_kg, low_usd_per_kg, high_usd_per_kg, value_usd, source``; and the
        number of product-years dropped because their unit value is not a price
        (zero flows, missing or tiny weights).
    """
    what = "unit-value frame"
    require(frame, ["year", "product", "stage"], what)
    df = select_geography(frame, geo_code(geography), what)
    df, chain_key = select_value(df, "chain", chain, what)
    dropped = 0
    if "unit_value_usd_per_kg" in df.columns or "usd_per_kg" in df.columns:
        col = "unit_value_usd_per_kg" if "unit_value_usd_per_kg" in df.columns else "usd_per_kg"
        uv = pd.to_numeric(df[col], errors="coerce")
        if "flag" in df.columns:
            bad = (
                df["flag"]
                .astype("string")
                .fillna("")
                .map(lambda f: any(x in str(f).split(";") for x in NOT_A_PRICE))
            )
            dropped += int(bad.sum())
            uv = uv.where(~bad.to_numpy(dtype=bool))
        work = df.assign(_uv=uv)
    elif {"value_usd", "net_weight_kg"} <= set(df.columns):
        raise HilirDataError(
            f"{what} is an export table: plots draw model outputs, so pass it through "
            "hilir.value.unit_values first"
        )
    else:
        raise HilirDataError(
            f"{what} needs a 'unit_value_usd_per_kg' or 'usd_per_kg' column; "
            f"it has {list(frame.columns)}"
        )
    work = work[work["_uv"].notna()]
    if "source" in work.columns:
        # one source per product: the one with the most years of unit values
        counts = work.groupby(["product", "source"]).size().reset_index(name="n")
        counts = counts.sort_values(["product", "n", "source"], ascending=[True, False, True])
        best = counts.drop_duplicates("product").set_index("product")["source"]
        work = work[work["source"].to_numpy() == work["product"].map(best).to_numpy()]
    dup = work.duplicated(["product", "year"])
    if dup.any():
        row = work[dup.to_numpy(dtype=bool)].iloc[0]
        raise HilirDataError(
            f"{what} has several rows for product {row['product']!r} in {int(row['year'])}"
        )
    if work.empty:
        raise HilirDataError(f"{what} has no unit values to plot")
    last_year = int(work["year"].max())
    first, last = years if years is not None else (last_year - span + 1, last_year)
    work = work[(work["year"] >= first) & (work["year"] <= last)]
    if work.empty:
        raise HilirDataError(f"{what} has no unit values in {first}-{last}")
    value = (
        work["value_usd"] if "value_usd" in work.columns else pd.Series(np.nan, index=work.index)
    )
    src = (
        work["source"].astype(str) if "source" in work.columns else pd.Series("", index=work.index)
    )
    work = work.assign(_value=pd.to_numeric(value, errors="coerce"), _src=src)
    out = work.groupby(["product", "stage"], as_index=False).agg(
        first_year=("year", "min"),
        last_year=("year", "max"),
        n_years=("year", "nunique"),
        median_usd_per_kg=("_uv", "median"),
        low_usd_per_kg=("_uv", "min"),
        high_usd_per_kg=("_uv", "max"),
        value_usd=("_value", lambda s: s.sum(min_count=1)),
        source=("_src", join_keys),
    )
    order = {s: i for i, s in enumerate(STAGE_ORDER)}
    out = out.sort_values(
        ["stage", "median_usd_per_kg"], key=lambda c: c.map(order) if c.name == "stage" else c
    )
    out.insert(0, "geography", geo_code(geography))
    out.insert(0, "chain", chain_key or "")
    return out.reset_index(drop=True), dropped


def title_unit_value_ladder(
    data: pd.DataFrame,
    lang: str,
    *,
    currency: Literal["USD", "IDR"] = "USD",
    fx: ExchangeRate | None = None,
) -> str:
    """Finding title: the span of unit values from the cheapest to the dearest product.

    The title gives the two ends per kg of product; it does not divide them, because a
    ratio of prices per kg across stages (ore against ferronickel) is not the value gained
    per tonne of raw material (that is the uplift chart's job).
    """
    period = period_text([int(data["first_year"].min()), int(data["last_year"].max())])
    ordered = data.sort_values(["median_usd_per_kg", "product"])
    low, high = ordered.iloc[0], ordered.iloc[-1]
    chain = str(data["chain"].iloc[0])

    def money(value: float) -> str:
        amount = float(to_currency(pd.Series([value]), currency, fx).iloc[0])
        dec = 2 if amount < 10 else (1 if amount < 100 else 0)
        return format_money(amount, lang=lang, currency=currency, decimals=dec, words=6)

    return cap(
        t(
            "title.ladder",
            lang,
            chain=item_label(chain, lang) if chain else "",
            low=money(float(low["median_usd_per_kg"])),
            low_product=item_label(str(low["product"]), lang),
            high=money(float(high["median_usd_per_kg"])),
            high_product=item_label(str(high["product"]), lang),
            period=period,
        )
    )


def plot_unit_value_ladder(
    frame: pd.DataFrame,
    *,
    lang: Lang = "id",
    geography: str,
    chain: str | None = None,
    years: tuple[int, int] | None = None,
    currency: Literal["USD", "IDR"] = "USD",
    fx: ExchangeRate | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    note: Note | Sequence[Note] | None = None,
    size: Size = "full",
    sources: Iterable[str | Provenance] | None = None,
) -> Figure:
    """Unit-value ladder: each product's export value per kg, from raw to processed (log).

    One column per stage (raw, intermediate, processed, mixed), a dot per product at its
    median unit value over the period and a line over its range of annual values, each
    product labelled directly. The log scale shows ratios as equal distances.

    Parameters
    ----------
    frame : pandas.DataFrame
        See :func:`unit_value_data`.
    lang : {"id", "en"}, default "id"
    geography : str
        ``IDN`` or ``ID-LA``.
    chain : str, optional
        Chain key (when the frame holds several).
    years : (int, int), optional
        Period; default the five latest years with data.
    currency : {"USD", "IDR"}, default "USD"
        Rupiah needs ``fx``; the rate and its source go in the note line.
    fx : ExchangeRate, optional
        Exchange rate for rupiah.
    title, subtitle, note, size, sources
        As :func:`hilir.plots.plot_stage_share`.

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.hilir_data``: see :func:`unit_value_data` (values in US dollars).
    """
    ch = Chart("unit_value_ladder", lang=lang, size=size)
    data, dropped = unit_value_data(frame, geography=geography, chain=chain, years=years)
    chain_key = str(data["chain"].iloc[0]) or None
    code = str(data["geography"].iloc[0])
    conv = {
        c: to_currency(data[c], currency, fx)
        for c in ("median_usd_per_kg", "low_usd_per_kg", "high_usd_per_kg")
    }
    stages = [s for s in STAGE_ORDER if s in set(data["stage"])]
    notes: list[Note | None] = ["note.unit_value_per_product"]
    if dropped:
        notes.append("note.unit_value_dropped")
    notes += [ch.fx_note(currency, fx), *as_notes(note)]
    period = period_text([int(data["first_year"].min()), int(data["last_year"].max())])
    with chart_style(size):
        fig, ax = ch.single()
        items = _draw_ladder_columns(ax, ch, data, conv, stages, chain_key, size)
        _ladder_axes(ax, ch, conv, stages, size)
        unit = ch.t("unit.per_kg", currency=ch.t("unit.usd" if currency == "USD" else "unit.idr"))
        ch.finish(
            fig,
            data=data,
            title=title or title_unit_value_ladder(data, ch.lang, currency=currency, fx=fx),
            subtitle=subtitle
            or ch.t(
                "subtitle.ladder", unit=unit, period=period, geo=geography_label(code, ch.lang)
            ),
            frames=[data],
            sources=sources,
            notes=notes,
            latest_year=int(data["last_year"].max()),
        )
        # labels right of each stage column's last range line, spread per column
        _place_labels(ax, ch, items, stages)
    return ch.done(fig)


def _place_labels(
    ax: object, ch: Chart, items: Sequence[LadderItem], stages: Sequence[str]
) -> None:
    """Label every column; widen the x axis and label again if the last one ran past it."""
    labels = _label_columns(ax, ch, items, stages)
    if _fit_labels_right(ax, labels[-1]):
        for label in (n for column in labels for n in column):
            label.remove()  # type: ignore[attr-defined]
        _label_columns(ax, ch, items, stages)


def _label_columns(
    ax: object, ch: Chart, items: Sequence[LadderItem], stages: Sequence[str]
) -> list[list[object]]:
    """Label each stage column (:func:`_label_ladder_column`); the labels per column."""
    return [
        _label_ladder_column(
            ax,
            [item for stage, item in items if stage == s],
            fontsize=ch.fs.font * 0.85,
            offset_pt=ch.fs.font * 0.6,
        )
        for s in stages
    ]
