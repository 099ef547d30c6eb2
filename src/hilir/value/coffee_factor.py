"""FAOSTAT item 659's green-bean-equivalent factor, bounded by the same year's unit values.

Item 659 mixes soluble coffee (2.6 t GBE per t, ICO) with coffee mixes (about 0.29 t GBE
per t at 8-14 % soluble content); its tonnage split is not published, so the registry gives
the factor as a composition range (``factors.csv``). The same year's trade data rule part of
that range out: at a factor ``f`` a tonne of item 659 stands for ``f`` t of green coffee, so
its value per raw-equivalent tonne is ``UV_659 / f``. A composition at which that is below
the green-coffee unit value would have the plants sell their coffee for less than its
green-bean content, which no soluble plant sustains. The high factor is therefore capped at
the break-even factor ``UV_659 / UV_green`` of the same year (derived, ours), never raised
above the registry's high nor pushed below its low.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from hilir.checks import require_columns

ITEM_659 = "coffee_extracts_mixed"
GREEN = "coffee_green"
CAP_NOTE = (
    "high factor capped at the same year's break-even factor UV(item 659) / UV(green coffee), "
    "the composition at which item 659 is worth exactly its green-bean content (derived, "
    "ours, from the same trade data)"
)


def _world_unit_values(annual: pd.DataFrame) -> pd.DataFrame:
    """World unit values (USD per t) of green coffee and item 659 by reporter and year."""
    df = annual[annual["product"].astype(str).isin([ITEM_659, GREEN])]
    if "partner_type" in df.columns:
        df = df[df["partner_type"].astype("string").eq("world").fillna(False).to_numpy(bool)]
    elif "partner" in df.columns:
        df = df[df["partner"].astype("string").eq("WLD").fillna(False).to_numpy(bool)]
    if "preferred" in df.columns:
        df = df[df["preferred"].fillna(False).astype(bool).to_numpy()]
    if df.empty or "value_usd" not in df.columns:
        return pd.DataFrame(columns=["year", "uv_659", "uv_green"])
    if "quantity_t" in df.columns:
        qty = df["quantity_t"].astype("float64")
    elif "net_weight_kg" in df.columns:
        qty = df["net_weight_kg"].astype("float64") / 1000.0
    else:
        return pd.DataFrame(columns=["year", "uv_659", "uv_green"])
    work = (
        pd.DataFrame(
            {
                "product": df["product"].astype(str).to_numpy(),
                "year": df["year"].astype("int64").to_numpy(),
                "value_usd": df["value_usd"].astype("float64").to_numpy(),
                "quantity_t": qty.to_numpy(),
            }
        )
        .groupby(["product", "year"], as_index=False)
        .sum(min_count=1)
    )
    work["uv"] = np.where(work["quantity_t"] > 0, work["value_usd"] / work["quantity_t"], np.nan)
    wide = work.pivot(index="year", columns="product", values="uv")
    return pd.DataFrame(
        {
            "year": wide.index.astype("int64"),
            "uv_659": wide.get(ITEM_659, pd.Series(np.nan, index=wide.index)).to_numpy(),
            "uv_green": wide.get(GREEN, pd.Series(np.nan, index=wide.index)).to_numpy(),
        }
    )


def coffee_factor_estimates(
    annual: pd.DataFrame,
    years: list[int],
    registry: tuple[float, float, float],
) -> pd.DataFrame:
    """Item 659's factor (t GBE per t) by year: the registry range with the break-even cap.

    Parameters
    ----------
    annual : pandas.DataFrame
        Exports with ``product, year, value_usd`` and ``quantity_t`` or ``net_weight_kg``
        (world rows are used: ``partner_type == "world"`` or ``partner == "WLD"``).
    years : list of int
        Years to estimate.
    registry : tuple of float
        The registry's (low, central, high) factor, t GBE per t of item 659.

    Returns
    -------
    pandas.DataFrame
        ``product, year, low, central, high, capped, break_even`` (t GBE per t). ``capped``
        is True where the break-even factor lowered the high bound (and the central, when
        it lay above it); where a year has no unit value of either product the registry
        range stands and ``break_even`` is missing.

    Notes
    -----
    high = clip(UV_659 / UV_green, low, registry high); central = min(registry central,
    high). Example (FAOSTAT, Indonesia 2020): UV_659 = 524.353 m / 221,048 t = US$2,372 per
    t, UV_green = US$2,155 per t, so the break-even factor is 1.10 and the high bound falls
    from 2.6 (all soluble) to 1.10; the central 0.86 stands.
    """
    require_columns(annual, ("product", "year"), "annual exports")
    lo, cen, hi = registry
    uv = _world_unit_values(annual).set_index("year")
    rows = []
    for year in sorted({int(y) for y in years}):
        be = np.nan
        if year in uv.index:
            u659, ug = uv.loc[year, "uv_659"], uv.loc[year, "uv_green"]
            if pd.notna(u659) and pd.notna(ug) and ug > 0:
                be = float(u659 / ug)
        high = hi if np.isnan(be) else float(min(max(be, lo), hi))
        central = float(min(cen, high))
        rows.append((ITEM_659, year, float(lo), central, high, bool(high < hi), be))
    return pd.DataFrame(
        rows, columns=["product", "year", "low", "central", "high", "capped", "break_even"]
    )
