"""Verbs on the tidy prices table (World Bank Pink Sheet, ``hilir.load_prices()`` rows).

:func:`annual_price` is the one rule for "the annual price" of a series: the published
annual average where there is one, else the mean of twelve monthly prices. A partial year
(fewer than twelve monthly prices and no published average, e.g. 2026 in the June 2026
vintage, January-May) has no annual price: it is left out, never averaged over the months
it has, so a five-month mean is never compared with full-year means. Each (series, period)
of ``hilir.load_prices()`` comes from the newest shipped vintage
(:mod:`hilir.sources._pinksheet_vintage`). The value models (constant prices, nickel content,
cited values, world prices) use it from here.
"""

from __future__ import annotations

import pandas as pd

from hilir.checks import require_columns
from hilir.errors import HilirDataError

__all__ = ["PRICE_COLUMNS", "annual_price", "annual_prices"]

PRICE_COLUMNS = ("year", "month", "series", "price", "unit", "basis", "source")


def annual_price(prices: pd.DataFrame, series: str) -> pd.DataFrame:
    """Annual average price of ``series``: ``year, price, unit, basis, source``.

    Parameters
    ----------
    prices : pandas.DataFrame
        Prices rows (``hilir.load_prices()``): ``year, month, series, price, unit, basis,
        source``; ``month`` empty for a published annual average.
    series : str
        Series code (``COFFEE_ROBUS``, ``NICKEL``, ``MUV`` ...).

    Returns
    -------
    pandas.DataFrame
        One row per year, ``price`` in the series' ``unit`` (USD/kg, USD/t, index ...).

    Notes
    -----
    The published annual average is used where the table has one (``month`` empty);
    otherwise the mean of the twelve monthly prices. A partial year (fewer than twelve
    months and no published average; 2026 has January-May in the shipped data) is left out:
    it has no annual price, so the last year returned is the last complete one.
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


def annual_prices(df: pd.DataFrame) -> pd.DataFrame:
    """Annual rows of every series by :func:`annual_price`, in the prices-table layout.

    Parameters
    ----------
    df : pandas.DataFrame
        Prices rows (``hilir.load_prices()``), monthly and/or published annual.

    Returns
    -------
    pandas.DataFrame
        The table's columns with ``month`` empty: one row per series and year, the published
        annual average where there is one, else the mean of the twelve months; a partial
        year (2026: January-May in the shipped data) has none. Charts and sentences of
        annual world prices take this frame, so they follow the one annual-price rule.
    """
    frames = []
    for code in sorted(df["series"].dropna().astype(str).unique()):
        a = annual_price(df, code)
        meta = df[df["series"].astype(str) == code].iloc[0]
        a = a.assign(series=code, month=pd.NA)
        for col in df.columns:
            if col not in a.columns:
                a[col] = meta[col]
        frames.append(a[list(df.columns)])
    if not frames:
        return df.iloc[0:0]
    out = pd.concat(frames, ignore_index=True)
    return out.astype({c: df[c].dtype for c in ("year", "month") if c in df.columns})
