"""Input checks and row selection shared by the market analytics.

The tidy-trade verbs (export rows, one source per group, product totals) live in
:mod:`hilir.trade`, and the market modules use them from there.

Two selections recur: the partner rows of a flow (destination detail, one source per product
and year, never added to a world total of another source), and a product's national total
(one source per product and year: its world row where it has one, else the sum of its
partners), so nothing is counted twice.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from hilir.checks import as_list
from hilir.errors import HilirDataError
from hilir.trade import check_trade_frame

__all__ = [
    "ROUNDING_TOLERANCE",
    "UNALLOCATED",
    "filter_source",
    "is_province",
    "select_items",
    "select_years",
]

#: Relative gap between a world row and its partners' sum treated as rounding (0.5 %).
ROUNDING_TOLERANCE = 0.005
#: Code of the part of a world total that no partner row accounts for.
UNALLOCATED = "XUN"


def is_province(code: object) -> bool:
    """True for an ISO 3166-2 subdivision code such as ``ID-LA``."""
    text = str(code)
    return len(text) > 3 and text[2:3] == "-"


def select_years(df: pd.DataFrame, years: Iterable[int] | None, what: str) -> pd.DataFrame:
    """Rows of the wanted years; raise for an empty list or years absent from the data."""
    if years is None:
        return df
    wanted = sorted({int(y) for y in years})
    if not wanted:
        raise HilirDataError(f"years is empty: name at least one year of {what}")
    have = sorted({int(y) for y in df["year"].dropna().unique()})
    missing = [y for y in wanted if y not in have]
    if missing:
        span = f"{have[0]}-{have[-1]}" if have else "none"
        raise HilirDataError(f"years {missing} are absent from {what} (years present: {span})")
    return df[df["year"].astype(int).isin(wanted).to_numpy(dtype=bool)]


def select_items(
    df: pd.DataFrame,
    *,
    product: str | Iterable[str] | None,
    chain: str | Iterable[str] | None,
    what: str,
) -> tuple[pd.DataFrame, list[str]]:
    """Rows of the wanted registry products or chains, or HS codes (digits, as prefixes).

    Returns
    -------
    (DataFrame, list of str)
        The rows and the labels of what was selected (product keys, chain keys or codes).
    """
    products, chains = as_list(product), as_list(chain)
    if products is not None and chains is not None:
        raise HilirDataError("give product= or chain=, not both")
    if products is None and chains is None:
        raise HilirDataError(f"name the product (registry key or HS code) or chain of {what}")
    if chains is not None:
        check_trade_frame(df, ["chain"], what)
        have = set(df["chain"].dropna().astype(str))
        absent = sorted(set(chains) - have)
        if absent:
            raise HilirDataError(f"{what} has no rows for chain {absent}; chains: {sorted(have)}")
        keep = df["chain"].astype("string").isin(chains).fillna(False).to_numpy(dtype=bool)
        return df[keep], list(chains)
    assert products is not None
    keep = np.zeros(len(df), dtype=bool)
    have_products = set(df["product"].dropna().astype(str)) if "product" in df.columns else set()
    for item in products:
        if item.isdigit():
            if "hs_code" not in df.columns:
                raise HilirDataError(f"{what} has no hs_code column to match code {item!r}")
            hit = df["hs_code"].astype("string").str.startswith(item).fillna(False)
        else:
            if item not in have_products:
                raise HilirDataError(
                    f"{what} has no rows for product {item!r}; products: {sorted(have_products)}"
                )
            hit = df["product"].astype("string").eq(item).fillna(False)
        if not hit.any():
            raise HilirDataError(f"{what} has no rows for HS code {item!r}")
        keep |= hit.to_numpy(dtype=bool)
    return df[keep], list(products)


def keep_values(
    df: pd.DataFrame, column: str, wanted: str | Iterable[str], *, message: str
) -> pd.DataFrame:
    """Rows whose ``column`` is one of ``wanted``; values absent from the data are an error.

    ``message`` is formatted with ``missing`` and ``have`` (sorted lists of values).
    """
    wanted = [wanted] if isinstance(wanted, str) else list(wanted)
    have = sorted(set(df[column].astype(str)))
    missing = sorted(set(wanted) - set(have))
    if missing:
        raise HilirDataError(message.format(missing=missing, have=have))
    return df[df[column].astype(str).isin(wanted).to_numpy(dtype=bool)]


def filter_source(df: pd.DataFrame, source: str | Iterable[str] | None, what: str) -> pd.DataFrame:
    """Rows of the named provenance keys (all rows for ``None``)."""
    keys = as_list(source)
    if keys is None:
        return df
    have = sorted(set(df["source"].astype(str)))
    absent = sorted(set(keys) - set(have))
    if absent:
        raise HilirDataError(f"{what} has no rows from source {absent}; sources: {have}")
    return df[df["source"].astype("string").isin(keys).fillna(False).to_numpy(dtype=bool)]
