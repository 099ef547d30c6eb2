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
from hilir.i18n.labels import PORT_CAVEAT
from hilir.markets._frames import (
    select_years,
)
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
        wanted = [ports] if isinstance(ports, str) else list(ports)
        have = sorted(set(df["port"].astype(str)))
        unknown = sorted(set(wanted) - set(have))
        if unknown:
            raise HilirDataError(f"ports {unknown} are not in the data; ports: {have}")
        df = df[df["port"].astype(str).isin(wanted).to_numpy(dtype=bool)]
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
