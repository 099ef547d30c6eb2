"""Verbs on the tidy trade table shared by the models (``hilir.load_exports()`` rows).

:func:`annual_products` is the one rule for "the annual export total of a product": the
world row where a flow has one (else the sum of its partners), months summed, in USD and
tonnes. The value models (unit values, raw equivalents, stage tables) use it from here.

The market analytics use :func:`exports_only` (export rows), :func:`preferred_sources_rows`
(one source per group of partner rows) and :func:`product_totals` (one export total per
reporter, year and product, from one source each). :func:`published_monthly_totals` is the
one rule for the monthly export totals BPS published (``hilir.load_published()``).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from hilir.checks import as_list, check_stages, geography, require_columns
from hilir.errors import HilirDataError

__all__ = [
    "DESTINATION_TYPES",
    "REQUIRED",
    "TRADE_REQUIRED",
    "annual_products",
    "check_trade_frame",
    "exports_only",
    "item_key",
    "preferred_sources_rows",
    "product_totals",
    "published_monthly_totals",
]

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


# --- verbs of the market analytics ---------------------------------------------------------

#: Columns every trade frame needs for the market analytics.
TRADE_REQUIRED = ("year", "reporter", "partner_type", "value_usd", "source")
#: Partner types that are destinations (a residual hides markets but is one).
DESTINATION_TYPES = ("country", "residual")


def check_trade_frame(df: object, columns: Iterable[str], what: str) -> pd.DataFrame:
    """Raise unless ``df`` is a non-empty DataFrame with ``columns``; return it."""
    if not isinstance(df, pd.DataFrame):
        raise HilirDataError(f"{what} must be a pandas DataFrame, not {type(df).__name__}")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        hint = ""
        if "partner" in missing or "partner_type" in missing:
            hint = (
                "; destination analysis needs partner detail (a UN Comtrade or BPS download "
                "by destination, read with hilir.sources)"
            )
        raise HilirDataError(f"{what} lacks columns {missing}{hint}; it has {list(df.columns)}")
    if df.empty:
        raise HilirDataError(f"{what} has no rows")
    return df


def exports_only(df: pd.DataFrame) -> pd.DataFrame:
    """Export rows (all rows when the frame has no ``flow`` column)."""
    if "flow" not in df.columns:
        return df
    keep = df["flow"].astype("string").eq("export").fillna(False).to_numpy(dtype=bool)
    return df[keep]


def item_key(df: pd.DataFrame) -> pd.Series:
    """Product key of each row: the registry ``product``, else its HS or item code."""
    code = (
        df["hs_code"].astype("string").fillna("")
        if "hs_code" in df.columns
        else pd.Series("", index=df.index, dtype="string")
    )
    if "item_code" in df.columns:
        code = code.where(code.ne(""), "item:" + df["item_code"].astype("string").fillna(""))
    if "product" not in df.columns:
        return code
    prod = df["product"].astype("string")
    return prod.where(prod.notna() & prod.ne(""), code)


def _preferred_mask(df: pd.DataFrame) -> np.ndarray:
    if "preferred" not in df.columns:
        return np.ones(len(df), dtype=bool)
    return df["preferred"].fillna(False).astype(bool).to_numpy()


def preferred_sources_rows(df: pd.DataFrame, keys: list[str], what: str) -> pd.DataFrame:
    """Keep one source per group of ``keys`` (for partner rows of the same flow).

    A group fed by several sources keeps the source whose rows are flagged ``preferred``
    (a user's import outranks the shipped snapshots); a group still fed by two sources is
    an error naming them, so the caller picks one with ``source=``.
    """
    if df.empty:
        return df
    work = df.assign(_pref=_preferred_mask(df), _src=df["source"].astype(str))
    per = work.groupby([*keys, "_src"], dropna=False, sort=False)["_pref"].any().reset_index()
    n_src = per.groupby(keys, dropna=False)["_src"].transform("nunique")
    multi = per[n_src > 1]
    drop: set[tuple] = set()
    if not multi.empty:
        for group, rows in multi.groupby(keys, dropna=False, sort=False):
            group = group if isinstance(group, tuple) else (group,)
            pref = rows[rows["_pref"]]
            if len(pref) != 1:
                raise HilirDataError(
                    f"{what}: {dict(zip(keys, group, strict=True))} comes from several sources "
                    f"{sorted(rows['_src'])}; pass source= to choose one (adding them would "
                    "count the flow twice)"
                )
            for src in rows["_src"]:
                if src != pref["_src"].iloc[0]:
                    drop.add((*group, src))
    if not drop:
        return df
    tuples = pd.MultiIndex.from_frame(work[[*keys, "_src"]].astype(object))
    keep = ~tuples.isin(list(drop))
    return df[np.asarray(keep, dtype=bool)]


def product_totals(
    trade: pd.DataFrame,
    *,
    what: str = "exports",
) -> pd.DataFrame:
    """One export total per (reporter, year, product), from one source each.

    Parameters
    ----------
    trade : pandas.DataFrame
        Tidy trade rows (``hilir.load_exports()`` or a reader's output joined with the
        registry by :func:`hilir.registry.tables.map_products`).
    what : str, default "exports"
        The table in words, for error messages.

    Returns
    -------
    pandas.DataFrame
        ``reporter, year, item, chain, product, stage, value_usd, net_weight_kg, source,
        basis`` with ``basis`` ``world_row`` (the source's world total) or ``partner_sum``
        (the sum of its country and residual partners; aggregates such as EU-28 are left
        out because their members are listed too). Monthly rows are summed to the year.

    Notes
    -----
    Only rows flagged ``preferred`` are used (when the column exists): the registry's source
    precedence works per product family (an aggregate and the products it holds,
    ``refdata/product_cover.csv``), so FAOSTAT's green coffee (item 656, which includes
    decaffeinated 0901.12) is not topped up with Comtrade's 090112 world row. Then, for each
    (reporter, year, product), a source with a world row comes before one with partner rows
    only, then the source key (alphabetical, for a stable result). Only the first source
    counts, so a destination split of a flow (the ferro-nickel file) is never added to the
    same flow's world total from another file.
    """
    check_trade_frame(trade, TRADE_REQUIRED, what)
    df = exports_only(trade)
    if df.empty:
        raise HilirDataError(f"{what} has no export rows")
    ptype = df["partner_type"].astype("string")
    world = ptype.eq("world").fillna(False).to_numpy(dtype=bool)
    parts = ptype.isin(DESTINATION_TYPES).fillna(False).to_numpy(dtype=bool)
    work = df.assign(
        item=item_key(df).to_numpy(),
        _world=world,
        _pref=_preferred_mask(df),
        _src=df["source"].astype(str).to_numpy(),
    )
    work = work[(world | parts) & work["_pref"].to_numpy(dtype=bool)]
    if work.empty:
        raise HilirDataError(f"{what} has no preferred world or partner rows")
    keys = ["reporter", "year", "item"]
    cand = (
        work.groupby([*keys, "_src"], sort=False, dropna=False)
        .agg(_has_world=("_world", "any"), _pref=("_pref", "any"))
        .reset_index()
    )
    cand = cand.sort_values(
        [*keys, "_has_world", "_pref", "_src"], ascending=[True, True, True, False, False, True]
    )
    chosen = cand.drop_duplicates(keys, keep="first")
    merged = work.merge(chosen[[*keys, "_src", "_has_world"]], on=[*keys, "_src"], how="inner")
    use = np.where(merged["_has_world"], merged["_world"], ~merged["_world"])
    merged = merged[use.astype(bool)]
    extra = [c for c in ("chain", "product", "stage") if c in merged.columns]
    weight = (
        merged["net_weight_kg"].astype("float64")
        if "net_weight_kg" in merged.columns
        else pd.Series(np.nan, index=merged.index)
    )
    merged = merged.assign(
        _w=weight, _wmiss=weight.isna(), value_usd=merged["value_usd"].astype("float64")
    )
    for col in extra:
        merged[col] = merged[col].astype("string")
    out = (
        merged.groupby([*keys, *extra], sort=True, dropna=False)
        .agg(
            value_usd=("value_usd", "sum"),
            net_weight_kg=("_w", "sum"),
            _wmiss=("_wmiss", "any"),
            source=("_src", "first"),
            basis=("_has_world", "first"),
        )
        .reset_index()
    )
    out.loc[out["_wmiss"], "net_weight_kg"] = np.nan
    out["basis"] = np.where(out["basis"], "world_row", "partner_sum")
    out["year"] = out["year"].astype("int64")
    return out.drop(columns="_wmiss").reset_index(drop=True)


def published_monthly_totals(published: pd.DataFrame, *, region: str = "ID-LA") -> pd.DataFrame:
    """Published monthly export totals of a region (USD), one row per month.

    Keeps the rows of ``region`` whose indicator is a total of exports (not cumulative) in
    USD million and whose period is one calendar month; a month quoted twice keeps its last
    row. Cumulative and multi-month figures are left out.

    Parameters
    ----------
    published : pandas.DataFrame
        ``hilir.load_published()`` (``region, indicator, unit, period_start, period_end,
        value, quoted_source, url, source``).
    region : str, default "ID-LA"

    Returns
    -------
    pandas.DataFrame
        ``region, year, month, value_usd`` (USD), ``quoted_source, url, source``, sorted by
        month; empty when the region has no such figure.
    """
    df = published[(published["region"] == region)]
    ind = df["indicator"].astype(str).str.lower().str.strip()
    unit = df["unit"].astype(str).str.lower()
    df = df[
        ind.str.startswith("total exports")
        & ~ind.str.contains("cumulative")
        & unit.str.startswith("usd million")
    ]
    start = pd.to_datetime(df["period_start"])
    end = pd.to_datetime(df["period_end"])
    one_month = (start.dt.year == end.dt.year) & (start.dt.month == end.dt.month)
    df = df[one_month.to_numpy(dtype=bool)].copy()
    df["period"] = pd.to_datetime(df["period_start"])
    df["value_usd"] = df["value"].astype(float) * 1e6
    df = df.sort_values("period").drop_duplicates("period", keep="last")
    return pd.DataFrame(
        {
            "region": df["region"].astype(str).to_numpy(),
            "year": df["period"].dt.year.astype(int).to_numpy(),
            "month": df["period"].dt.month.astype(int).to_numpy(),
            "value_usd": df["value_usd"].astype(float).to_numpy(),
            "quoted_source": df["quoted_source"].astype(str).to_numpy(),
            "url": df["url"].astype(str).to_numpy(),
            "source": df["source"].astype(str).to_numpy(),
        }
    )
