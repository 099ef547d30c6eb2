"""Exports by port of loading (a BPS download with a ``Pelabuhan Muat`` column).

Read the download with ``hilir.sources.read_bps_exports(path, keep_port=True)`` and
join it with the registry (:func:`hilir.registry.tables.map_products`). A port ships what reaches
it: Panjang (Lampung) loads coffee from Bengkulu and South Sumatra too (AEKI Lampung via
Bisnis Indonesia, 2010: Lampung's port coffee tonnages "include beans from Bengkulu and South
Sumatra"), so exports by port are not a province's production or its exports by origin.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import numpy as np
import pandas as pd

from hilir.checks import geography_name
from hilir.errors import HilirDataError
from hilir.i18n.catalog import t
from hilir.i18n.labels import PORT_CAVEAT
from hilir.markets._frames import keep_values, select_years
from hilir.provenance.keys import join_sources
from hilir.trade import (
    check_trade_frame,
    exports_only,
    item_key,
)


def _port_rows(
    trade: pd.DataFrame,
    years: Iterable[int] | None,
    ports: str | Iterable[str] | None,
    what: str,
) -> pd.DataFrame:
    """Export rows with a port, by partner (world if no partner rows), of the years and ports."""
    df = exports_only(trade)
    if "partner_type" in df.columns:
        ptype = df["partner_type"].astype("string")
        parts = ptype.isin(["country", "residual"]).fillna(False).to_numpy(dtype=bool)
        df = df[parts] if parts.any() else df[ptype.eq("world").fillna(False).to_numpy(bool)]
    df = select_years(df, years, what)
    df = df[df["port"].notna().to_numpy(dtype=bool)]
    if ports is not None:
        df = keep_values(
            df, "port", ports, message="ports {missing} are not in the data; ports: {have}"
        )
    return df


def _item_of(df: pd.DataFrame, level: str) -> pd.Series:
    """The item of each row at ``level``: HS code, chain (else HS code) or product key."""
    if level == "hs_code":
        return df["hs_code"].astype("string")
    if level == "chain" and "chain" in df.columns:
        ch = df["chain"].astype("string")
        return ch.where(ch.notna() & ch.ne(""), df["hs_code"].astype("string"))
    return item_key(df)


def exports_by_port(
    trade: pd.DataFrame,
    *,
    level: Literal["product", "chain", "hs_code"] = "product",
    years: Iterable[int] | None = None,
    ports: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """Export value and weight by port of loading, product and year.

    Parameters
    ----------
    trade : pandas.DataFrame
        Tidy trade rows with a ``port`` column (``read_bps_exports(..., keep_port=True)``);
        ``product``/``chain`` from :func:`hilir.registry.tables.map_products` for ``level`` product
        or chain (codes the registry does not know keep their HS code as the item).
    level : {"product", "chain", "hs_code"}, default "product"
        What an item is.
    years : iterable of int, optional
        Years to keep (months are summed to the year).
    ports : str or iterable of str, optional
        Keep these ports (as written in the download, e.g. ``"Panjang"``).

    Returns
    -------
    pandas.DataFrame
        ``reporter, geography, year, port, item, value_usd, net_weight_kg,
        share_of_port`` (the item's share of the port's exports), ``port_share_of_item``
        (the port's share of the item's exports from all ports in the data), ``source``,
        ``latest_year``; ``attrs["caveat"]`` is :data:`PORT_CAVEAT`.

    Raises
    ------
    HilirDataError
        No ``port`` column (read the download with ``keep_port=True``), an unknown port,
        an empty or absent year.
    """
    what = "the trade table"
    check_trade_frame(trade, ["year", "reporter", "value_usd", "source"], what)
    if "port" not in trade.columns:
        raise HilirDataError(
            f"{what} has no 'port' column: read the BPS download with "
            "read_bps_exports(path, keep_port=True)",
            column="port",
        )
    if level not in ("product", "chain", "hs_code"):
        raise HilirDataError(f"level must be 'product', 'chain' or 'hs_code', not {level!r}")
    df = _port_rows(trade, years, ports, what)
    item = _item_of(df, level)
    weight = (
        df["net_weight_kg"].astype("float64")
        if "net_weight_kg" in df.columns
        else pd.Series(np.nan, index=df.index)
    )
    work = df.assign(
        item=item.to_numpy(),
        port=df["port"].astype(str).str.strip(),
        value_usd=df["value_usd"].astype("float64"),
        _w=weight,
        _wm=weight.isna(),
    )
    out = (
        work.groupby(["reporter", "year", "port", "item"], sort=True)
        .agg(
            value_usd=("value_usd", "sum"),
            net_weight_kg=("_w", "sum"),
            _wm=("_wm", "any"),
            source=("source", join_sources),
        )
        .reset_index()
    )
    out.loc[out["_wm"], "net_weight_kg"] = np.nan
    out = out.drop(columns="_wm")
    port_total = out.groupby(["reporter", "year", "port"])["value_usd"].transform("sum")
    item_total = out.groupby(["reporter", "year", "item"])["value_usd"].transform("sum")
    out["share_of_port"] = out["value_usd"] / port_total.where(port_total > 0)
    out["port_share_of_item"] = out["value_usd"] / item_total.where(item_total > 0)
    out["geography"] = out["reporter"].map(geography_name)
    out["year"] = out["year"].astype("int64")
    out = out.sort_values(["year", "port", "value_usd"], ascending=[True, True, False])
    cols = [
        "reporter",
        "geography",
        "year",
        "port",
        "item",
        "value_usd",
        "net_weight_kg",
        "share_of_port",
        "port_share_of_item",
        "source",
        "latest_year",
    ]
    out["latest_year"] = int(out["year"].max())
    out = out[cols].reset_index(drop=True)
    out.attrs["caveat"] = dict(PORT_CAVEAT)
    return out


#: What a port-of-loading summary measures, on every row.
BASIS_PORT = "port of loading"
#: Columns of :func:`lampung_ports_summary`.
SUMMARY_COLUMNS = [
    "year",
    "hs2",
    "geography",
    "geography_label",
    "basis",
    "ports",
    "value_usd",
    "national_value_usd",
    "share_of_national",
    "top_partners",
    "top_values_usd",
    "top_shares",
    "source",
    "latest_year",
]


def lampung_ports_summary(
    port_exports: pd.DataFrame,
    *,
    years: Iterable[int] | None = None,
    hs2: str | Iterable[str] | None = None,
    top: int = 3,
    geography: str = "ID-LA",
    lang: str = "en",
) -> pd.DataFrame:
    """Per year and HS chapter: exports loaded at a province's ports and their national share.

    Parameters
    ----------
    port_exports : pandas.DataFrame
        The ``port_exports`` table (:func:`hilir.load_port_exports`): port rows
        (``geography`` the province, ``basis`` port of loading, one row per destination and
        port) and national chapter totals (``geography`` ``IDN``, partner ``WLD``).
    years : iterable of int, optional
        Years to keep (an absent year is an error); default every year with port rows.
    hs2 : str or iterable of str, optional
        HS chapters (``"09"``); default every chapter with port rows.
    top : int, default 3
        Destinations listed per row.
    geography : str, default "ID-LA"
        Province of the ports.
    lang : {"id", "en"}, default "en"
        Language of ``geography_label`` (catalogue key ``ports.geography``).

    Returns
    -------
    pandas.DataFrame
        :data:`SUMMARY_COLUMNS`, one row per year and chapter: ``value_usd`` (FOB, USD)
        summed over the province's ports and destinations; ``national_value_usd`` the
        chapter's national total (NaN when the data have none) and ``share_of_national``
        = value / national (a fraction); ``ports`` the ports with rows, as published;
        ``top_partners``, ``top_values_usd`` and ``top_shares`` (of ``value_usd``) the
        leading destinations summed over ports (tuples); ``basis`` ``port of loading`` and
        ``geography_label`` "exports loaded at Lampung's ports (Panjang, Tarahan)": a port of
        loading is not the province of origin. ``attrs["caveat"]`` is :data:`PORT_CAVEAT`.

    Raises
    ------
    HilirDataError
        Missing columns, no port rows for ``geography``, an absent year or chapter, a
        ``top`` below 1.

    Notes
    -----
    Chapters are not chain stages (chapter 09 mixes coffee with tea and spices, 15 crude
    and refined palm oil with palm kernel and coconut oil): the summary names chapters and
    never maps them to a stage.
    """
    need = ["year", "hs2", "partner", "port", "geography", "value_usd", "source"]
    check_trade_frame(port_exports, need, "the port_exports table")
    if int(top) < 1:
        raise HilirDataError(f"top must be at least 1, not {top!r}")
    geo = port_exports["geography"].astype(str)
    ports_df = port_exports[geo.eq(geography).to_numpy(dtype=bool)]
    national = port_exports[geo.eq("IDN").to_numpy(dtype=bool)]
    if ports_df.empty:
        raise HilirDataError(f"the port_exports table has no port rows for {geography!r}")
    ports_df = select_years(ports_df, years, "the port rows")
    if hs2 is not None:
        ports_df = keep_values(
            ports_df, "hs2", hs2, message="no port rows for HS chapters {missing}; chapters: {have}"
        )
    totals = national.groupby(["year", "hs2"])["value_usd"].sum()
    label = t("ports.geography", lang)
    rows = [
        _summary_row(g, int(y), str(h), totals, int(top), geography, label)
        for (y, h), g in ports_df.groupby(["year", "hs2"], sort=True)
    ]
    out = pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
    out["latest_year"] = int(out["year"].max())
    out.attrs["caveat"] = dict(PORT_CAVEAT)
    return out


def _summary_row(
    g: pd.DataFrame,
    year: int,
    hs2: str,
    totals: pd.Series,
    top: int,
    geography: str,
    label: str,
) -> dict:
    """One row of :func:`lampung_ports_summary` from the port rows of one year and chapter."""
    value = float(g["value_usd"].astype("float64").sum())
    national = float(totals.get((year, hs2), np.nan))
    by_partner = g.groupby("partner")["value_usd"].sum().sort_values(ascending=False)
    lead = by_partner.head(top)
    return {
        "year": year,
        "hs2": hs2,
        "geography": geography,
        "geography_label": label,
        "basis": BASIS_PORT,
        "ports": tuple(sorted(set(g["port"].astype(str)))),
        "value_usd": value,
        "national_value_usd": national,
        "share_of_national": value / national if national > 0 else np.nan,
        "top_partners": tuple(str(p) for p in lead.index),
        "top_values_usd": tuple(float(v) for v in lead.to_numpy()),
        "top_shares": tuple(float(v) / value if value > 0 else np.nan for v in lead.to_numpy()),
        "source": join_sources(g["source"]),
    }


def port_rows_as_trade(port_exports: pd.DataFrame) -> pd.DataFrame:
    """The port rows of the ``port_exports`` table in the shape :func:`exports_by_port` reads.

    Parameters
    ----------
    port_exports : pandas.DataFrame
        :func:`hilir.load_port_exports` (national rows, port ``ALL``, are left out).

    Returns
    -------
    pandas.DataFrame
        ``year, reporter, partner, partner_type, flow, hs_code, port, value_usd,
        net_weight_kg, source``: ``reporter`` ``IDN`` (Indonesia exports; the port says
        where the goods were loaded, not where they come from), ``hs_code`` the HS chapter,
        ``net_weight_kg`` NaN (the source has values only). Use
        ``exports_by_port(port_rows_as_trade(t), level="hs_code")``.
    """
    need = ["year", "hs2", "partner", "partner_type", "port", "value_usd", "source"]
    check_trade_frame(port_exports, need, "the port_exports table")
    df = port_exports[port_exports["port"].astype(str) != "ALL"]
    return pd.DataFrame(
        {
            "year": df["year"].astype("int64"),
            "reporter": "IDN",
            "partner": df["partner"],
            "partner_type": df["partner_type"],
            "flow": "export",
            "hs_code": df["hs2"].astype("string"),
            "port": df["port"],
            "value_usd": df["value_usd"].astype("float64"),
            "net_weight_kg": np.nan,
            "source": df["source"],
        }
    ).reset_index(drop=True)
