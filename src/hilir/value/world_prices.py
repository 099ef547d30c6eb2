"""Export unit values against World Bank Pink Sheet prices, like with like only."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from hilir.checks import empty_frame, require_columns, safe_divide
from hilir.errors import HilirDataError
from hilir.prices import annual_price
from hilir.value.assumptions import pick, value_assumptions


@dataclass(frozen=True)
class PricePair:
    """A registry product and the Pink Sheet series it can be compared with."""

    product: str
    series: str
    via: str  # "product" (same good) or "nickel_content" (per tonne of contained metal)
    note: str


#: Like-with-like pairs. Coal (Newcastle 6,000 kcal vs Indonesian sub-bituminous), copper
#: ore (grade not found) and stainless steel (no Pink Sheet price) are left out on purpose.
PAIRS = (
    PricePair(
        "coffee_green",
        "COFFEE_ROBUS",
        "product",
        "ICO robusta indicator, ex-dock New York/Le Havre-Marseille; Indonesian green "
        "coffee is mostly robusta but includes arabica",
    ),
    PricePair(
        "rubber_dry",
        "RUBBER_TSR20",
        "product",
        "TSR20 (SIR 20 equivalent), SGX/SICOM nearby; dry natural rubber exports are mostly SIR 20",
    ),
    PricePair(
        "palm_oil_mixed",
        "PALM_OIL",
        "product",
        "to Dec 2020 CIF Rotterdam (crude); from Jan 2021 RBD FOB Malaysia",
    ),
    PricePair("pko_mixed", "PLMKRNL_OIL", "product", "CIF Rotterdam"),
    PricePair("cocoa_beans", "COCOA", "product", "ICCO daily average, New York/London"),
    PricePair(
        "nickel_ore",
        "NICKEL",
        "nickel_content",
        "LME nickel per t of metal; ore compared per t of contained nickel at the "
        "cited wet grade (dry grade x (1 - moisture))",
    ),
    PricePair(
        "ferronickel",
        "NICKEL",
        "product",
        "LME nickel per t of metal against ferro-nickel/NPI per t of product: the ratio "
        "is nickel content x payable share, not a price gap",
    ),
)
PALM_EVENT = (
    "pinksheet_palm_oil_definition_2021: Pink Sheet palm oil changes definition in Jan 2021 "
    "(CIF Rotterdam to RBD FOB Malaysia), a data event, not a market move"
)


def _per_t(price: pd.Series, unit: pd.Series) -> np.ndarray:
    per_kg = unit.astype(str).str.contains("kg", case=False).to_numpy(dtype=bool)
    return np.where(
        per_kg, price.to_numpy(dtype="float64") * 1000.0, price.to_numpy(dtype="float64")
    )


def compare_world_prices(
    unit_values: pd.DataFrame,
    prices: pd.DataFrame,
    *,
    pairs: tuple[PricePair, ...] = PAIRS,
    assumptions: pd.DataFrame | None = None,
    exclude_flags: Iterable[str] = ("tiny_weight",),
) -> pd.DataFrame:
    """Export unit values next to the matching Pink Sheet world price, like with like.

    Parameters
    ----------
    unit_values : pandas.DataFrame
        Output of :func:`hilir.value.unit_values` (world totals).
    prices : pandas.DataFrame
        Pink Sheet prices (``year, month, series, price, unit, basis, source``).
    pairs : tuple of PricePair
        Product-series pairs (default ``PAIRS``).
    assumptions : pandas.DataFrame, optional
        Value assumptions (ore grade and moisture for ``nickel_content`` pairs).
    exclude_flags : iterable of str, default ("tiny_weight",)
        Unit-value flags (column ``flag`` of ``unit_values``) under which a year is not
        compared: its ``comparable_usd_per_t`` and ``ratio_to_world_price`` are missing and
        ``note`` says why (nickel ore 2020: USD 116 for 1,404 kg says nothing about the
        ore price). Pass ``()`` to compare every year.

    Returns
    -------
    pandas.DataFrame
        ``geography, source, product, year, series, unit_value_usd_per_t,
        comparable_usd_per_t, world_price_usd_per_t, ratio_to_world_price, basis,
        price_source, data_event, flag, note``. ``basis`` gives the price's definition and
        location; ``data_event`` marks definition changes (palm oil 2021); ``note`` says
        why a flagged year is not compared ("" otherwise).

    Notes
    -----
    ratio = comparable unit value / world price, both USD per tonne. For ore,
    comparable = UV / (g (1 - m)) in USD per t of contained nickel (g dry grade, m
    moisture, central values); LME nickel is a price per tonne of metal.
    """
    require_columns(
        unit_values, ("product", "year", "unit_value_usd_per_t", "source"), "unit values"
    )
    require_columns(
        prices, ("year", "month", "series", "price", "unit", "basis", "source"), "prices"
    )
    asm = value_assumptions() if assumptions is None else assumptions
    excluded = set(exclude_flags)
    have = set(prices["series"].astype(str))
    out = []
    for pair in pairs:
        uv = unit_values[unit_values["product"].astype(str) == pair.product]
        if uv.empty or pair.series not in have:
            continue
        ap = annual_price(prices, pair.series)
        ap = ap.assign(world_price_usd_per_t=_per_t(ap["price"], ap["unit"]))
        m = uv.merge(
            ap[["year", "world_price_usd_per_t", "basis", "source"]].rename(
                columns={"source": "price_source", "basis": "price_basis"}
            ),
            on="year",
            how="inner",
        )
        if pair.via == "nickel_content":
            g = pick(asm, quantity="ore_ni_grade_dry", chain="nickel")
            w = pick(asm, quantity="ore_moisture", chain="nickel")
            if g.empty or w.empty:
                raise HilirDataError("value assumptions lack the nickel ore grade or moisture")
            wet = float(g["central"].iloc[0]) * (1 - float(w["central"].iloc[0]))
            m["comparable_usd_per_t"] = m["unit_value_usd_per_t"] / wet
            unit_note = f" per t contained Ni at {wet:.4f} t Ni per wet t"
        else:
            m["comparable_usd_per_t"] = m["unit_value_usd_per_t"]
            unit_note = ""
        flags = (
            m["flag"].astype("string").fillna("")
            if "flag" in m.columns
            else pd.Series("", index=m.index)
        )
        hit = [sorted(set(str(f).split(";")) & excluded) for f in flags]
        skip = np.array([bool(h) for h in hit], dtype=bool)
        m["note"] = [
            f"unit value flagged {'/'.join(h)} (see unit_values): not compared" if h else ""
            for h in hit
        ]
        m.loc[skip, "comparable_usd_per_t"] = np.nan
        m["ratio_to_world_price"] = safe_divide(
            m["comparable_usd_per_t"], m["world_price_usd_per_t"]
        )
        m["series"] = pair.series
        m["basis"] = m["price_basis"].astype(str) + "; " + pair.note + unit_note
        m["data_event"] = ""
        if pair.series == "PALM_OIL":
            m.loc[m["year"] >= 2021, "data_event"] = PALM_EVENT
        out.append(m)
    cols = ["geography", "source", "product", "year", "series", "unit_value_usd_per_t",
            "comparable_usd_per_t", "world_price_usd_per_t", "ratio_to_world_price", "basis",
            "price_source", "data_event", "flag", "note"]  # fmt: skip
    if not out:
        return empty_frame(cols)
    res = pd.concat(out, ignore_index=True)
    if "flag" not in res.columns:
        res["flag"] = ""
    if "geography" not in res.columns:
        res["geography"] = ""
    return res[cols].sort_values(["product", "source", "year"]).reset_index(drop=True)
