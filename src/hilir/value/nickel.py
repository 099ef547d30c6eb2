"""Per-year nickel content and ore equivalent of HS 720260 (ferro-nickel, later mostly NPI).

Indonesia's HS 720260 was ferro-nickel before about 2014 and mostly nickel pig iron after,
so its nickel content, and hence its ore equivalent, changes by year. It is estimated from
the product's unit value relative to the LME nickel price (World Bank Pink Sheet).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from hilir.checks import require_columns, safe_divide
from hilir.errors import HilirDataError
from hilir.prices import annual_price
from hilir.value.assumptions import pick, value_assumptions

NICKEL_SERIES = "NICKEL"
BASIS = "wet t ore per t product (estimated from unit value / LME nickel)"


def _one(assumptions: pd.DataFrame, quantity: str) -> tuple[float, float, float, str]:
    rows = pick(assumptions, quantity=quantity, chain="nickel")
    if rows.empty or rows[["low", "central", "high"]].isna().any(axis=None):
        raise HilirDataError(f"value assumptions lack a nickel {quantity!r} row with numbers")
    r = rows.iloc[0]
    return float(r["low"]), float(r["central"]), float(r["high"]), str(r["source"])


def nickel_content(
    exports: pd.DataFrame,
    prices: pd.DataFrame,
    *,
    products: Iterable[str] = ("ferronickel",),
    assumptions: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Nickel content and wet-ore equivalent of a nickel product, year by year.

    Parameters
    ----------
    exports : pandas.DataFrame
        Tidy exports (or annual product rows) with ``product``, ``year``, ``value_usd`` and
        ``net_weight_kg`` (or ``quantity_t``); world totals, one source per product-year.
    prices : pandas.DataFrame
        Pink Sheet prices with series ``NICKEL`` (LME, USD per tonne of metal).
    products : iterable of str, default ("ferronickel",)
        Registry product keys to estimate.
    assumptions : pandas.DataFrame, optional
        Value assumptions (default the shipped table): payable share of LME, dry ore
        grade, ore moisture, smelter recovery.

    Returns
    -------
    pandas.DataFrame
        ``product, year, unit_value_usd_per_t, lme_nickel_usd_per_t, ni_content_low,
        ni_content_central, ni_content_high`` (t Ni per t product) and ``factor_low,
        factor_central, factor_high`` (wet t ore per t product), ``basis``, ``source``.

    Notes
    -----
    Nickel content c = UV / (p x LME), with UV the product's unit value (USD/t), LME the
    annual LME nickel price (USD/t metal) and p the payable share of LME paid for
    contained nickel (0.88-0.95, central 0.92; Tiammar, domain-facts.md 1.4). A high
    payable share gives the low content.

    Ore equivalent f = c / (g x (1 - m) x r) wet tonnes of ore per tonne of product, with g
    the dry Ni grade of smelter-feed saprolite (1.5-2.0 %, central 1.8 %), m the ore
    moisture (35 %) and r the smelter recovery (not found; 1.0, so f is a lower bound).
    The wet basis matches UN Comtrade's net weight of exported ore. The low factor pairs
    the low content with the high grade.

    Worked example (2019, UN Comtrade): UV = 2,595,556,910 / 1,593,696,030 kg = USD
    1,628.6/t; LME 13,913.9 USD/t; c = 1,628.6 / (0.92 x 13,913.9) = 12.7 % Ni (NPI-like);
    f = 0.1272 / (0.018 x 0.65) = 10.9 wet t ore per t.
    """
    asm = value_assumptions() if assumptions is None else assumptions
    p_lo, p_c, p_hi, p_src = _one(asm, "payable_share_of_lme")
    g_lo, g_c, g_hi, g_src = _one(asm, "ore_ni_grade_dry")
    m_lo, m_c, m_hi, m_src = _one(asm, "ore_moisture")
    r_lo, r_c, r_hi, _ = _one(asm, "smelter_recovery")
    work = _world_flows(exports, products)
    lme = annual_price(prices, NICKEL_SERIES)
    missing = sorted(set(work["year"]) - set(lme["year"]))
    if missing:
        raise HilirDataError(f"years {missing} are absent from the LME nickel price series")
    work = work.merge(
        lme[["year", "price", "source"]].rename(
            columns={"price": "lme_nickel_usd_per_t", "source": "price_source"}
        ),
        on="year",
        how="left",
    )
    uv = safe_divide(work["value_usd"], work["quantity_t"])
    work["unit_value_usd_per_t"] = uv
    lme_p = work["lme_nickel_usd_per_t"].to_numpy(dtype="float64")
    work["ni_content_low"] = uv / (p_hi * lme_p)
    work["ni_content_central"] = uv / (p_c * lme_p)
    work["ni_content_high"] = uv / (p_lo * lme_p)
    # low factor: low content, rich dry ore, dry ore (low moisture), full recovery
    work["factor_low"] = work["ni_content_low"] / (g_hi * (1 - m_lo) * r_hi)
    work["factor_central"] = work["ni_content_central"] / (g_c * (1 - m_c) * r_c)
    work["factor_high"] = work["ni_content_high"] / (g_lo * (1 - m_hi) * r_lo)
    work["basis"] = BASIS
    work["source"] = "; ".join(
        [
            "unit value: "
            + "+".join(sorted(set(exports.get("source", pd.Series(["exports"])).astype(str)))),
            "LME nickel: " + "+".join(sorted(set(work["price_source"].astype(str)))),
            "payable share: " + p_src,
            "ore grade: " + g_src,
            "moisture: " + m_src,
        ]
    )
    bad = ~np.isfinite(work["factor_central"].to_numpy(dtype="float64"))
    work.loc[bad, ["ni_content_low", "ni_content_central", "ni_content_high"]] = np.nan
    work.loc[bad, ["factor_low", "factor_central", "factor_high"]] = np.nan
    cols = [
        "product",
        "year",
        "unit_value_usd_per_t",
        "lme_nickel_usd_per_t",
        "ni_content_low",
        "ni_content_central",
        "ni_content_high",
        "factor_low",
        "factor_central",
        "factor_high",
        "basis",
        "source",
    ]
    return work[cols]


def _world_flows(exports: pd.DataFrame, products: Iterable[str]) -> pd.DataFrame:
    """World export totals of ``products``: ``product, year, value_usd`` (USD), ``quantity_t``."""
    require_columns(exports, ("product", "year", "value_usd"), "exports")
    wanted = list(products)
    df = exports[exports["product"].astype(str).isin(wanted)]
    if "partner_type" in df.columns:
        df = df[df["partner_type"].astype("string").eq("world").fillna(False).to_numpy(bool)]
    if "preferred" in df.columns:
        df = df[df["preferred"].fillna(False).astype(bool).to_numpy()]
    if df.empty:
        raise HilirDataError(f"exports have no world rows of products {wanted}")
    if "quantity_t" in df.columns:
        qty_t = df["quantity_t"].astype("float64")
    else:
        require_columns(df, ("net_weight_kg",), "exports")
        qty_t = df["net_weight_kg"].astype("float64") / 1000.0
    work = pd.DataFrame(
        {
            "product": df["product"].astype(str).to_numpy(),
            "year": df["year"].astype("int64").to_numpy(),
            "value_usd": df["value_usd"].astype("float64").to_numpy(),
            "quantity_t": qty_t.to_numpy(),
        }
    )
    work = work.groupby(["product", "year"], as_index=False).sum(min_count=1)
    return work


def nickel_factor_estimates(
    exports: pd.DataFrame,
    prices: pd.DataFrame,
    *,
    products: Iterable[str] = ("ferronickel",),
    assumptions: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per-year ore-equivalent factors in the layout ``raw_equivalent(estimates=...)`` takes.

    Parameters
    ----------
    exports : pandas.DataFrame
        Tidy exports (value in USD, net weight in kg) with ``product``.
    prices : pandas.DataFrame
        Pink Sheet prices with the LME nickel series (USD per t of metal).
    products : iterable of str, default ("ferronickel",)
        Products whose nickel content is estimated from their unit value.
    assumptions : pandas.DataFrame, optional
        Value assumptions (payable share, ore grade, moisture, recovery); default shipped.

    Returns
    -------
    pandas.DataFrame
        ``product, year, low, central, high, basis, method, source`` in wet tonnes of ore
        per tonne of product; see :func:`nickel_content` for the method. Years with a zero
        flow have no unit value and so no estimate (missing numbers).

    Notes
    -----
    factor (wet t ore per t product) = c / (g x (1 - m) x r), with nickel content c = UV /
    (p x LME) (UV and LME in USD per t, p the payable share), g the ore's dry nickel grade,
    m its moisture and r the smelter recovery; the low factor pairs the high payable share
    with the high grade (:func:`nickel_content`).
    """
    nc = nickel_content(exports, prices, products=products, assumptions=assumptions)
    out = nc.rename(
        columns={"factor_low": "low", "factor_central": "central", "factor_high": "high"}
    )
    out["method"] = "estimate_by_year"
    return out[["product", "year", "low", "central", "high", "basis", "method", "source"]]
