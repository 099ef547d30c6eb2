"""Data of the processing-share charts: stage shares by year and processed shares by chain.

Takes the frames of :mod:`hilir.value` (``stage_shares``, ``processing_share``), never the
export table itself: the annual totals behind a share are computed once, in the value model,
so a chart and the sentence beside it cannot disagree. The charts are in
:mod:`hilir.plots.charts_value`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from hilir.errors import HilirDataError
from hilir.plots.common import (
    check_choice,
    geo_code,
    join_keys,
    require,
    select_bound,
    select_chains,
    select_geography,
    select_value,
)
from hilir.plots.style import (
    STAGE_ORDER,
)

Measure = Literal["value", "volume"]
DOWNSTREAM = ("intermediate", "processed")


def stage_share_data(
    frame: pd.DataFrame,
    *,
    geography: str,
    chain: str | None = None,
    measure: Measure = "value",
    bound: str = "central",
) -> pd.DataFrame:
    """Shares of each stage in a chain's exports by year: the data of :func:`plot_stage_share`.

    Parameters
    ----------
    frame : pandas.DataFrame
        The output of :func:`hilir.value.stage_shares` (``stage``, ``measure``, ``share``,
        ``amount``) or a frame with ``year``, ``stage`` and ``share_value`` or
        ``share_volume``. An export table is refused: pass it through
        :func:`hilir.value.stage_shares` first.
    geography : str
        ``IDN`` / ``Indonesia`` or ``ID-LA`` / ``Lampung``.
    chain : str, optional
        Needed when the frame holds several chains.
    measure : {"value", "volume"}, default "value"
        Share of export value (USD) or of raw-equivalent tonnes.
    bound : {"low", "central", "high"}, default "central"
        Bound of the conversion factors (volume shares).

    Returns
    -------
    pandas.DataFrame
        ``chain, geography, year, stage, share`` (fraction 0-1), ``amount`` (USD or t raw
        equivalent, when known), ``source``; sorted by year and stage order.
    """
    check_choice("measure", measure, ("value", "volume"))
    what = "stage-share frame"
    require(frame, ["year", "stage"], what)
    code = geo_code(geography)
    df = select_geography(frame, code, what)
    if "share" in df.columns and "measure" in df.columns:
        df, _ = select_value(df, "measure", measure, what)
        df = select_bound(df, bound, what)
        df = df.assign(share=pd.to_numeric(df["share"], errors="coerce"))
        amount = "amount" if "amount" in df.columns else None
    elif f"share_{measure}" in df.columns:
        df = select_bound(df, bound, what)
        df = df.assign(share=pd.to_numeric(df[f"share_{measure}"], errors="coerce"))
        amount = None
    elif "value_usd" in df.columns:
        raise HilirDataError(
            f"{what} is an export table: plots draw model outputs, so pass it through "
            "hilir.value.stage_shares (or hilir.value.processing_share) first"
        )
    else:
        raise HilirDataError(
            f"{what} needs 'share' and 'measure', 'share_{measure}', or 'value_usd' columns; "
            f"it has {list(frame.columns)}"
        )
    df, chain_key = select_value(df, "chain", chain, what)
    unknown = sorted(set(df["stage"].dropna().astype(str)) - set(STAGE_ORDER))
    if unknown:
        raise HilirDataError(f"{what} has unknown stages {unknown}")
    source = (
        df["source"].astype("string") if "source" in df.columns else pd.Series("", index=df.index)
    )
    work = pd.DataFrame(
        {
            "year": df["year"].astype(int).to_numpy(),
            "stage": df["stage"].astype(str).to_numpy(),
            "share": df["share"].to_numpy(dtype=float) if "share" in df.columns else np.nan,
            "amount": pd.to_numeric(df[amount], errors="coerce").to_numpy(dtype=float)
            if amount
            else np.nan,
            "source": source.fillna("").to_numpy(),
        }
    )
    agg = work.groupby(["year", "stage"], as_index=False).agg(
        share=("share", "sum"),
        amount=("amount", lambda s: s.sum(min_count=1)),
        source=("source", join_keys),
    )
    agg = agg[agg["share"].notna()]
    if agg.empty:
        raise HilirDataError(f"{what} has no shares to plot")
    order = {s: i for i, s in enumerate(STAGE_ORDER)}
    agg = agg.sort_values(["year", "stage"], key=lambda c: c.map(order) if c.name == "stage" else c)
    agg.insert(0, "geography", code)
    agg.insert(0, "chain", chain_key or "")
    return agg.reset_index(drop=True)


def downstream_share(data: pd.DataFrame) -> pd.Series:
    """Share of intermediate and processed stages by year (index year)."""
    down = data[data["stage"].isin(DOWNSTREAM)].groupby("year")["share"].sum()
    return down.reindex(sorted(data["year"].unique()), fill_value=0.0)


def processing_share_data(
    frame: pd.DataFrame,
    *,
    geography: str,
    chains: Sequence[str] | None = None,
    measure: Measure = "value",
    bound: str = "central",
) -> pd.DataFrame:
    """Processed share (intermediate + processed stages) by chain and year.

    Parameters
    ----------
    frame : pandas.DataFrame
        The output of :func:`hilir.value.processing_share` (``share_value``,
        ``share_volume`` per chain and year) or of :func:`hilir.value.stage_shares`.
    geography, measure, bound
        As :func:`stage_share_data`.
    chains : sequence of str, optional
        Chains to keep, in panel order; default every chain in the frame, by key.

    Returns
    -------
    pandas.DataFrame
        ``chain, geography, year, share`` (fraction), ``source``.
    """
    check_choice("measure", measure, ("value", "volume"))
    what = "processing-share frame"
    require(frame, ["year", "chain"], what)
    code = geo_code(geography)
    df = select_geography(frame, code, what)
    df = select_chains(df, chains, what)
    col = f"share_{measure}"
    if col in df.columns and "stage" not in df.columns:
        df = select_bound(df, bound, what)
        out = pd.DataFrame(
            {
                "chain": df["chain"].astype(str).to_numpy(),
                "year": df["year"].astype(int).to_numpy(),
                "share": pd.to_numeric(df[col], errors="coerce").to_numpy(dtype=float),
                "source": df["source"].astype("string").fillna("").to_numpy()
                if "source" in df.columns
                else "",
            }
        )
    else:
        parts = []
        for key in sorted(df["chain"].dropna().astype(str).unique()):
            sub = stage_share_data(
                df[df["chain"].astype(str).eq(key).to_numpy(dtype=bool)],
                geography=code,
                chain=key,
                measure=measure,
                bound=bound,
            )
            share = downstream_share(sub)
            src = join_keys(sub["source"])
            parts.append(
                pd.DataFrame(
                    {
                        "chain": key,
                        "year": share.index.astype(int),
                        "share": share.to_numpy(),
                        "source": src,
                    }
                )
            )
        out = pd.concat(parts, ignore_index=True)
    dup = out.duplicated(["chain", "year"])
    if dup.any():
        row = out[dup.to_numpy(dtype=bool)].iloc[0]
        raise HilirDataError(
            f"{what} has several rows for chain {row['chain']!r}, year {row['year']}"
        )
    out = out[out["share"].notna()]
    order = list(chains) if chains is not None else sorted(out["chain"].unique())
    out["chain"] = pd.Categorical(out["chain"], categories=order, ordered=True)
    out = out.sort_values(["chain", "year"])
    out["chain"] = out["chain"].astype(str)
    out.insert(1, "geography", code)
    return out.reset_index(drop=True)
