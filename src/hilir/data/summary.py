"""What was loaded: rows per source, chain, geography and year span (``hilir data summary``)."""

from __future__ import annotations

import re

import pandas as pd


def summarise_trade(trade: pd.DataFrame) -> pd.DataFrame:
    """Rows, value and year span of the trade table per source, chain and reporter.

    Parameters
    ----------
    trade : pandas.DataFrame
        The tidy trade table (from :func:`hilir.data.load.load_trade`).

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
    """Rows, geographies and year span per source for a non-trade table.

    Parameters
    ----------
    df : pandas.DataFrame
        A tidy table with ``source`` and ``year`` columns.
    geo : str
        The column naming the geography or series (``geo``, ``reporter``, ``series``).

    Returns
    -------
    pandas.DataFrame
        Columns ``source, rows, <geo>_count, example, first_year, latest_year``; ``example``
        shows up to three values of ``geo`` (``ID-LA`` first when present).
    """

    def example(values: pd.Series) -> str:
        uniq = sorted(values.dropna().astype(str).unique(), key=lambda v: (v != "ID-LA", v))
        return ", ".join(uniq[:3]) + (", ..." if len(uniq) > 3 else "")

    return (
        df.groupby("source", dropna=False)
        .agg(
            rows=("year", "size"),
            **{f"{geo}_count": (geo, "nunique")},
            example=(geo, example),
            first_year=("year", "min"),
            latest_year=("year", "max"),
        )
        .reset_index()
    )


def source_overview(records: list) -> pd.DataFrame:  # list[Provenance]
    """One row per data folder: publisher, files, coverage, latest year, licences, trust.

    Parameters
    ----------
    records : list of hilir.provenance.sidecar.Provenance
        Provenance records (``hilir.data.pipeline.discover_inputs()``).

    Returns
    -------
    pandas.DataFrame
        Columns ``folder, publisher, files, tables, coverage, latest_year, licence, trust``;
        ``latest_year`` is the latest stated year ("undated" when no file states one).
    """
    rows = []
    by_folder: dict[str, list] = {}
    for rec in records:
        by_folder.setdefault(rec.data_path.parent.name, []).append(rec)
    for folder, recs in sorted(by_folder.items()):
        years = [int(y) for r in recs for y in _years(r.coverage)]
        latest = [r.latest_year for r in recs if r.latest_year is not None]
        rows.append(
            {
                "folder": f"{folder}/",
                "publisher": "; ".join(sorted({r.publisher for r in recs})),
                "files": len(recs),
                "tables": ", ".join(sorted({r.table for r in recs})),
                "coverage": f"{min(years)}-{max(years)}" if years else "see files",
                "latest_year": str(max(latest)) if latest else "undated",
                "licence": "; ".join(sorted({_short_licence(r.licence) for r in recs})),
                "trust": "/".join(sorted({r.trust for r in recs})),
            }
        )
    return pd.DataFrame(rows)


def _short_licence(text: str) -> str:
    return re.split(r"\s*[(;]", str(text), maxsplit=1)[0].strip()


def _years(coverage: str) -> list[str]:
    return re.findall(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)", str(coverage))
