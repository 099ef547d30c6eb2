"""Input checks and row selection shared by the market analytics.

Two selections recur: the partner rows of a flow (destination detail, one source per product
and year, never added to a world total of another source), and a product's national total
(one source per product and year: its world row where it has one, else the sum of its
partners), so nothing is counted twice.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from hilir.checks import GEOGRAPHY, as_list
from hilir.errors import HilirDataError
from hilir.provenance.keys import join_sources

#: Columns every trade frame needs here.
TRADE_REQUIRED = ("year", "reporter", "partner_type", "value_usd", "source")
#: Partner types that are destinations (a residual hides markets but is one).
DESTINATION_TYPES = ("country", "residual")
#: Relative gap between a world row and its partners' sum treated as rounding (0.5 %).
ROUNDING_TOLERANCE = 0.005
#: Code of the part of a world total that no partner row accounts for.
UNALLOCATED = "XUN"


def geography_name(code: object) -> str:
    """``Indonesia`` for ``IDN``, ``Lampung`` for ``ID-LA``, else the code itself."""
    return GEOGRAPHY.get(str(code), str(code))


def is_province(code: object) -> bool:
    """True for an ISO 3166-2 subdivision code such as ``ID-LA``."""
    text = str(code)
    return len(text) > 3 and text[2:3] == "-"


def check_frame(df: object, columns: Iterable[str], what: str) -> pd.DataFrame:
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
        check_frame(df, ["chain"], what)
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


def pick_sources(df: pd.DataFrame, keys: list[str], what: str) -> pd.DataFrame:
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
    precedence works per chain, so FAOSTAT's green coffee (item 656, which includes
    decaffeinated 0901.12) is not topped up with Comtrade's 090112 world row. Then, for each
    (reporter, year, product), a source with a world row comes before one with partner rows
    only, then the source key (alphabetical, for a stable result). Only the first source
    counts, so a destination split of a flow (the ferro-nickel file) is never added to the
    same flow's world total from another file.
    """
    check_frame(trade, TRADE_REQUIRED, what)
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


def sources_of(values: Iterable[object]) -> str:
    """Distinct provenance keys joined with ``+``."""
    return join_sources(values)
