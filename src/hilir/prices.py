"""Verbs on the tidy prices table (World Bank Pink Sheet, ``hilir.load_prices()`` rows).

:func:`annual_price` is the one rule for "the annual price" of a series: the published
annual average where there is one, else the mean of twelve monthly prices. The value
models (constant prices, nickel content, cited values, world prices) use it from here.
"""

from __future__ import annotations

import pandas as pd

from hilir.checks import require_columns
from hilir.errors import HilirDataError

__all__ = ["PRICE_COLUMNS", "annual_price"]

PRICE_COLUMNS = ("year", "month", "series", "price", "unit", "basis", "source")


def annual_price(prices: pd.DataFrame, series: str) -> pd.DataFrame:
    """Annual average price of ``series``: ``year, price, unit, basis, source``.

    The published annual average is used where the table has one (``month`` empty);
    otherwise the mean of the twelve monthly prices (years with fewer months are left out).
    """
    require_columns(prices, PRICE_COLUMNS, "prices")
    df = prices[prices["series"].astype(str) == series]
    if df.empty:
        have = sorted(prices["series"].dropna().astype(str).unique())
        raise HilirDataError(f"prices lack series {series!r}; series present: {have}")
    annual = df[df["month"].isna()][["year", "price", "unit", "basis", "source"]]
    monthly = df[df["month"].notna()]
    if not monthly.empty:
        g = monthly.groupby("year")
        m = g.agg(
            price=("price", "mean"),
            n=("month", "nunique"),
            unit=("unit", "first"),
            basis=("basis", "first"),
            source=("source", "first"),
        ).reset_index()
        m = m[(m["n"] == 12) & ~m["year"].isin(annual["year"])].drop(columns="n")
        annual = pd.concat([annual, m], ignore_index=True)
    out = annual.copy()
    out["year"] = out["year"].astype("int64")
    return out.sort_values("year").reset_index(drop=True)
