"""Source reconciliation: two sources' figures for the same flow, side by side."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from hilir.checks import geography, require_columns, safe_divide
from hilir.errors import HilirDataError

MEASURES = ("value_usd", "quantity_t")


def reconcile(
    left: pd.DataFrame,
    right: pd.DataFrame,
    *,
    on: Sequence[str] = ("year",),
    left_label: str | None = None,
    right_label: str | None = None,
    measures: Sequence[str] = MEASURES,
) -> pd.DataFrame:
    """Two sources' figures for the same flow, side by side, with the gap in percent.

    Parameters
    ----------
    left, right : pandas.DataFrame
        Each with the ``on`` columns and at least one of ``measures`` (``value_usd`` in
        USD, ``quantity_t`` in tonnes); one row per key. Use :func:`trade_totals` to make
        them from tidy exports, or a published-figures table converted to these units.
    on : sequence of str, default ("year",)
        Key columns.
    left_label, right_label : str, optional
        Source names (default each frame's ``source`` column).
    measures : sequence of str
        Measures to compare (those present in both frames).

    Returns
    -------
    pandas.DataFrame
        Long: key columns, ``measure, left_source, left, right_source, right, gap,
        gap_pct``; only keys present in both frames.

    Notes
    -----
    gap = left - right; gap_pct = 100 x (left - right) / right (missing when right is 0).
    """
    on = list(on)
    require_columns(left, on, "left")
    require_columns(right, on, "right")
    for name, df in (("left", left), ("right", right)):
        if df.duplicated(on).any():
            raise HilirDataError(f"{name} has more than one row per {on}")
    ms = [m for m in measures if m in left.columns and m in right.columns]
    if not ms:
        raise HilirDataError(f"left and right share none of the measures {list(measures)}")

    def label(df: pd.DataFrame, given: str | None, side: str) -> str:
        if given:
            return given
        if "source" in df.columns:
            return "+".join(sorted(set(df["source"].astype(str))))
        return side

    ll, rl = label(left, left_label, "left"), label(right, right_label, "right")
    both = left[[*on, *ms]].merge(right[[*on, *ms]], on=on, suffixes=("_l", "_r"), how="inner")
    if both.empty:
        raise HilirDataError(f"left and right have no {on} in common")
    rows = []
    for m in ms:
        part = both[on].copy()
        part["measure"] = m
        part["left_source"] = ll
        part["left"] = both[f"{m}_l"].astype("float64")
        part["right_source"] = rl
        part["right"] = both[f"{m}_r"].astype("float64")
        rows.append(part)
    out = pd.concat(rows, ignore_index=True)
    out["gap"] = out["left"] - out["right"]
    out["gap_pct"] = 100.0 * safe_divide(out["gap"], out["right"])
    return out


def trade_totals(
    exports: pd.DataFrame,
    *,
    source: str,
    products: Sequence[str] | None = None,
    hs_codes: Sequence[str] | None = None,
) -> pd.DataFrame:
    """World export totals of one source by year, for :func:`reconcile`.

    Parameters
    ----------
    exports : pandas.DataFrame
        Tidy exports (every source; ``preferred`` is ignored).
    source : str
        Provenance key to keep.
    products, hs_codes : sequence of str, optional
        Keep these registry products or HS codes.

    Returns
    -------
    pandas.DataFrame
        ``year, geography, source, value_usd, quantity_t`` (world totals; partner rows are
        summed where a source has no world row).

    Notes
    -----
    value_usd = world row's value (USD), or the sum over country and residual partners in
    years without a world row (aggregates such as EU-28 are left out: they would count their
    members twice); quantity_t = net_weight_kg / 1000.
    """
    require_columns(
        exports, ("year", "reporter", "source", "value_usd", "net_weight_kg"), "exports"
    )
    df = exports[exports["source"].astype(str) == source]
    if df.empty:
        raise HilirDataError(f"exports have no rows of source {source!r}")
    if products is not None:
        df = df[df["product"].isin(list(products))]
    if hs_codes is not None:
        df = df[df["hs_code"].isin(list(hs_codes))]
    if "partner_type" in df.columns:
        world = df[df["partner_type"] == "world"]
        parts = df[df["partner_type"].isin(["country", "residual"])]
        parts = parts[~parts["year"].isin(world["year"])]
        df = pd.concat([world, parts])
    if df.empty:
        raise HilirDataError(f"source {source!r} has no rows for {products or hs_codes}")
    g = df.groupby(["year", "reporter"], as_index=False).agg(
        value_usd=("value_usd", "sum"), net_weight_kg=("net_weight_kg", "sum")
    )
    g["quantity_t"] = g["net_weight_kg"] / 1000.0
    g["geography"] = geography(g["reporter"])
    g["source"] = source
    return g[["year", "geography", "source", "value_usd", "quantity_t"]]
