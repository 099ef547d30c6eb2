"""Annual prices of one Pink Sheet series from the tidy prices table."""

from __future__ import annotations

import pandas as pd

from hilir.checks import require_columns
from hilir.errors import HilirDataError

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
