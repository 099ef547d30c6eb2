"""Annual product totals from the tidy export table (world totals, months summed)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from hilir.checks import as_list, check_stages, geography, require_columns
from hilir.errors import HilirDataError

REQUIRED = (
    "year",
    "reporter",
    "source",
    "chain",
    "product",
    "stage",
    "value_usd",
    "net_weight_kg",
)
_FLOW_KEY = (
    "source",
    "reporter",
    "year",
    "month",
    "chain",
    "product",
    "stage",
    "hs_code",
    "item_code",
)

#: Columns that differ between sources reporting the same flow (left out of the match).
_CODES = ("source", "hs_code", "item_code")


def _world_rows(df: pd.DataFrame) -> pd.DataFrame:
    """World totals: the ``world`` row where a flow has one, else the sum of its partners.

    A product-year with a world row from any source takes that row only: partner rows of
    another source are partner detail of the same flow (UN Comtrade green coffee by partner
    beside FAOSTAT's world total; the ferro-nickel destinations beside Comtrade's world
    row), and adding them would count the flow twice.
    """
    if "partner_type" not in df.columns:
        return df
    ptype = df["partner_type"].astype("string")
    world = df[ptype.eq("world").fillna(False).to_numpy(dtype=bool)]
    parts = df[ptype.isin(["country", "residual"]).fillna(False).to_numpy(dtype=bool)]
    key = [c for c in _FLOW_KEY if c in df.columns and c not in _CODES]
    if not world.empty and not parts.empty:
        wkeys = pd.MultiIndex.from_frame(world[key].astype("string").fillna("<NA>"))
        pkeys = pd.MultiIndex.from_frame(parts[key].astype("string").fillna("<NA>"))
        parts = parts[~pkeys.isin(wkeys)]
    return pd.concat([world, parts], ignore_index=True)


def annual_products(
    exports: pd.DataFrame,
    *,
    chain: str | list[str] | None = None,
    preferred_only: bool = True,
    by_partner: bool = False,
) -> pd.DataFrame:
    """Exports summed to one row per product and year (and partner), in tonnes and USD.

    Parameters
    ----------
    exports : pandas.DataFrame
        Tidy exports with ``chain``, ``product``, ``stage`` (as from ``hilir.load_exports``).
    chain : str or list of str, optional
        Keep these chains; a chain absent from the data is an error.
    preferred_only : bool, default True
        Keep only rows flagged ``preferred`` (when the column exists), so a flow reported
        by two sources is not counted twice.
    by_partner : bool, default False
        Keep country and residual partners instead of world totals.

    Returns
    -------
    pandas.DataFrame
        ``reporter, geography, source, chain, product, stage, year[, partner], value_usd,
        net_weight_kg, quantity_t, months``. ``quantity_t`` = ``net_weight_kg`` / 1000 and is
        missing when any summed row lacked a weight; ``months`` counts the distinct months of
        monthly sources (0 for annual sources).
    """
    require_columns(exports, REQUIRED, "exports")
    df = exports
    if "flow" in df.columns:
        df = df[df["flow"].astype("string").eq("export").fillna(False).to_numpy(dtype=bool)]
    if preferred_only and "preferred" in df.columns:
        df = df[df["preferred"].fillna(False).astype(bool).to_numpy()]
    chains = as_list(chain)
    if chains is not None:
        have = set(df["chain"].dropna().astype(str))
        absent = sorted(set(chains) - have)
        if absent:
            raise HilirDataError(
                f"chain {absent} has no export rows in the data; chains present: {sorted(have)}"
            )
        df = df[df["chain"].isin(chains).to_numpy(dtype=bool)]
    if df["product"].isna().any() or df["stage"].isna().any():
        raise HilirDataError("exports has rows without a registry product or stage")
    check_stages(df["stage"].astype(str).unique(), what="exports")
    if by_partner:
        require_columns(df, ("partner", "partner_type"), "exports (by partner)")
        keep = df["partner_type"].astype("string").isin(["country", "residual"])
        df = df[keep.fillna(False).to_numpy(dtype=bool)]
    else:
        df = _world_rows(df)
    keys = ["reporter", "source", "chain", "product", "stage", "year"]
    if by_partner:
        keys.append("partner")
    work = df[[*keys, "value_usd", "net_weight_kg"]].copy()
    for k in keys:
        if k != "year":
            work[k] = work[k].astype("string")
    work["year"] = work["year"].astype("int64")
    work["value_usd"] = work["value_usd"].astype("float64")
    work["net_weight_kg"] = work["net_weight_kg"].astype("float64")
    work["_missing_kg"] = work["net_weight_kg"].isna().astype("int64")
    has_month = "month" in df.columns
    work["_month"] = (
        df["month"].astype("Int64").to_numpy()
        if has_month
        else pd.array([pd.NA] * len(work), "Int64")
    )
    g = work.groupby(keys, sort=True, dropna=False)
    out = g.agg(
        value_usd=("value_usd", "sum"),
        net_weight_kg=("net_weight_kg", "sum"),
        _missing_kg=("_missing_kg", "sum"),
        months=("_month", "nunique"),
    ).reset_index()
    out.loc[out["_missing_kg"] > 0, "net_weight_kg"] = np.nan
    out = out.drop(columns="_missing_kg")
    out["quantity_t"] = out["net_weight_kg"] / 1000.0
    out.insert(1, "geography", geography(out["reporter"]))
    return out.reset_index(drop=True)
