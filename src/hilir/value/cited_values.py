"""Processed-stage values for chains without processed-stage trade data, as explicit inputs.

Each row is one cited figure: a processed unit value (USD per t of product), a price
ratio to the raw product (per tonne of product), an uplift ratio (per raw-equivalent
tonne), or a raw unit value. Sources: the shipped value assumptions and, where the
processed good is a Pink Sheet metal (LME aluminium, copper, tin), the Pink Sheet price.
"""

from __future__ import annotations

import pandas as pd

from hilir.prices import annual_price
from hilir.value.assumptions import value_assumptions

KINDS = ("processed_unit_value", "price_ratio_to_raw", "uplift_ratio", "raw_unit_value")
#: Registry products whose unit value is a Pink Sheet metal price (LME, USD per t metal).
PINK_SHEET_PRODUCTS = {
    "aluminium_unwrought": ("aluminium", ("ALUMINUM",)),  # own chain: imported alumina
    "copper_cathode": ("copper", ("COPPER",)),
    "tin_unwrought": ("tin", ("TIN", "Tin")),
}
COLUMNS = ["chain", "product", "stage", "kind", "year_from", "year_to", "low", "central",
           "high", "unit", "source", "reliability", "note"]  # fmt: skip


def assumed_values(
    *, assumptions: pd.DataFrame | None = None, prices: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Cited stage values usable where trade data lack a stage.

    Parameters
    ----------
    assumptions : pandas.DataFrame, optional
        Value assumptions (default the shipped table).
    prices : pandas.DataFrame, optional
        Pink Sheet prices; adds one ``processed_unit_value`` row per year for the products
        in ``PINK_SHEET_PRODUCTS`` (low = central = high = the LME annual average).

    Returns
    -------
    pandas.DataFrame
        ``chain, product, stage, kind, year_from, year_to, low, central, high, unit,
        source, reliability, note``. Rows with reliability ``not_found`` have no numbers.

    Notes
    -----
    ``kind`` says how a row values a product: ``processed_unit_value`` (USD per t of
    product), ``price_ratio_to_raw`` (USD per t of product over USD per t of raw product)
    or ``uplift_ratio`` (value per raw-equivalent tonne over the raw unit value), and
    ``raw_unit_value`` (USD per t of raw product). Pink Sheet rows carry the LME annual
    average in USD per t of metal.
    """
    asm = value_assumptions() if assumptions is None else assumptions
    rows = asm[asm["quantity"].isin(KINDS)].rename(columns={"quantity": "kind"})
    out = [rows[COLUMNS]]
    if prices is not None:
        have = set(prices["series"].astype(str))
        for product, (chain, codes) in PINK_SHEET_PRODUCTS.items():
            series = next((c for c in codes if c in have), None)
            if series is None:
                continue
            ap = annual_price(prices, series)
            out.append(
                pd.DataFrame(
                    {
                        "chain": chain,
                        "product": product,
                        "stage": "processed",
                        "kind": "processed_unit_value",
                        "year_from": ap["year"].astype("Int64"),
                        "year_to": ap["year"].astype("Int64"),
                        "low": ap["price"].to_numpy(),
                        "central": ap["price"].to_numpy(),
                        "high": ap["price"].to_numpy(),
                        "unit": "USD per t",
                        "source": "World Bank Pink Sheet "
                        + series
                        + " ("
                        + ap["basis"].astype(str)
                        + ")",
                        "reliability": "high",
                        "note": "World price of the metal (LME), taken as the export unit value",
                    }
                )
            )
    res = pd.concat(out, ignore_index=True)
    res["year_from"] = res["year_from"].astype("Int64")
    res["year_to"] = res["year_to"].astype("Int64")
    return res


def nearest_row(rows: pd.DataFrame, year: int | None) -> tuple[pd.Series | None, str]:
    """The row covering ``year``, else the nearest in time; with a note when not covering."""
    if rows.empty:
        return None, ""
    yf = rows["year_from"].astype("Float64")
    yt = rows["year_to"].astype("Float64")
    if year is None:
        return rows.iloc[0], ""
    cover = (yf.isna() | (yf <= year)) & (yt.isna() | (yt >= year))
    if cover.fillna(False).any():
        return rows[cover.fillna(False).to_numpy(bool)].iloc[0], ""
    dist = pd.concat([(yf - year).abs(), (yt - year).abs()], axis=1).min(axis=1)
    i = int(dist.to_numpy(dtype="float64", na_value=1e9).argmin())
    r = rows.iloc[i]
    span = (
        f"{r['year_from']}"
        if r["year_from"] == r["year_to"]
        else f"{r['year_from']}-{r['year_to']}"
    )
    return r, f" (figure for {span} applied to {year})"
