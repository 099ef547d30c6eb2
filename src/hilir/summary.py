"""What was loaded: rows per source, chain, geography and year span (``hilir data summary``)."""

from __future__ import annotations

import pandas as pd


def summarise_trade(trade: pd.DataFrame) -> pd.DataFrame:
    """Rows, value and year span of the trade table per source, chain and reporter.

    Parameters
    ----------
    trade : pandas.DataFrame
        The tidy trade table (from :func:`hilir.load.load_trade`).

    Returns
    -------
    pandas.DataFrame
        Columns ``source, chain, geography, rows, first_year, latest_year, preferred_rows,
        value_usd_bn`` (billions of current US dollars, world-partner rows only, so partner
        detail is not added to the world total).
    """
    df = trade.assign(chain=trade["chain"].astype("object").fillna("(unmapped)"))
    world = df["partner_type"].eq("world")
    df = df.assign(_world_value=df["value_usd"].where(world, 0.0))
    out = (
        df.groupby(["source", "chain", "reporter"], dropna=False)
        .agg(
            rows=("year", "size"),
            first_year=("year", "min"),
            latest_year=("year", "max"),
            preferred_rows=("preferred", "sum"),
            value_usd_bn=("_world_value", "sum"),
        )
        .reset_index()
        .rename(columns={"reporter": "geography"})
    )
    out["value_usd_bn"] = (out["value_usd_bn"] / 1e9).round(3)
    return out


def summarise_table(df: pd.DataFrame, *, geo: str) -> pd.DataFrame:
    """Rows and year span per source and geography for a non-trade table."""
    return (
        df.groupby(["source", geo], dropna=False)
        .agg(rows=("year", "size"), first_year=("year", "min"), latest_year=("year", "max"))
        .reset_index()
        .rename(columns={geo: "geography"})
    )
