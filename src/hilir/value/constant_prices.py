"""Constant prices: deflate current US dollars by the World Bank MUV index."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from hilir.checks import check_years, require_columns
from hilir.errors import HilirDataError
from hilir.prices import annual_price

MUV_SERIES = "MUV"


def deflate(
    df: pd.DataFrame,
    prices: pd.DataFrame,
    *,
    columns: Sequence[str] = ("value_usd",),
    base_year: int = 2010,
    series: str = MUV_SERIES,
) -> pd.DataFrame:
    """Add constant-price columns next to current US dollars, deflated by the MUV index.

    Parameters
    ----------
    df : pandas.DataFrame
        Any table with ``year`` and the value columns (current USD).
    prices : pandas.DataFrame
        Prices table with the ``MUV`` series (World Bank manufactures unit value index,
        2010 = 100, Pink Sheet annual workbook).
    columns : sequence of str, default ("value_usd",)
        Current-USD columns to deflate; each gets a ``<column>_const<base_year>`` twin.
    base_year : int, default 2010
        Year whose dollars the constant columns are in (must be in the index).
    series : str, default "MUV"

    Returns
    -------
    pandas.DataFrame
        A copy of ``df`` with ``muv_index`` (rebased to ``base_year`` = 100), the constant
        columns, and ``deflator_basis``.

    Notes
    -----
    value_const = value_current x 100 / MUV_rebased(year), MUV_rebased = MUV x 100 /
    MUV(base_year). The MUV is a general price of traded manufactures, so constant values
    still move with a product's own price relative to manufactures; deflating a product by
    its own price would turn value into volume and duplicate the decomposition's price
    effect.
    """
    require_columns(df, ("year", *columns), "table to deflate")
    muv = annual_price(prices, series)
    check_years(muv["year"], [base_year], what=f"the {series} index")
    check_years(muv["year"], df["year"].dropna().astype(int).unique(), what=f"the {series} index")
    base = float(muv.loc[muv["year"] == base_year, "price"].iloc[0])
    if base <= 0:
        raise HilirDataError(f"{series} index is not positive in {base_year}")
    idx = muv.set_index("year")["price"] * 100.0 / base
    out = df.copy()
    out["muv_index"] = out["year"].astype(int).map(idx)
    for col in columns:
        out[f"{col}_const{base_year}"] = out[col] * 100.0 / out["muv_index"]
    basis = str(muv["basis"].iloc[0]) if "basis" in muv.columns else series
    out["deflator_basis"] = f"World Bank MUV index ({basis}), {base_year} = 100"
    return out
