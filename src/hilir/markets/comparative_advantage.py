"""Revealed comparative advantage: Balassa's RCA of every exporter; a province vs its nation.

:func:`revealed_comparative_advantage` compares each exporter's product share with the
world's; :func:`province_rca` does the same for a province against its nation.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import numpy as np
import pandas as pd

from hilir.checks import geography_name, safe_divide
from hilir.errors import HilirDataError
from hilir.markets._frames import (
    is_province,
    select_items,
    select_years,
)
from hilir.markets.world_shares import _reporter_type, exporter_totals
from hilir.provenance.keys import join_sources
from hilir.trade import (
    DESTINATION_TYPES,
    TRADE_REQUIRED,
    check_trade_frame,
    exports_only,
)


def _totals_frame(totals: pd.DataFrame, what: str) -> pd.DataFrame:
    check_trade_frame(totals, ["year", "reporter", "value_usd"], what)
    t = totals[["year", "reporter", "value_usd"]].copy()
    t["value_usd"] = pd.to_numeric(t["value_usd"], errors="coerce")
    if t["value_usd"].isna().any() or (t["value_usd"] < 0).any():
        raise HilirDataError(f"{what}: value_usd must be non-negative numbers")
    if t.duplicated(["year", "reporter"]).any():
        raise HilirDataError(f"{what}: one total per reporter and year")
    t["reporter"] = t["reporter"].astype(str)
    t["year"] = t["year"].astype("int64")
    return t.rename(columns={"value_usd": "total_usd"})


def revealed_comparative_advantage(
    trade: pd.DataFrame,
    *,
    product: str | Iterable[str],
    totals: pd.DataFrame | Literal["from_data"],
    years: Iterable[int] | None = None,
    source: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """Balassa's revealed comparative advantage of every exporter in a product.

    Parameters
    ----------
    trade : pandas.DataFrame
        Tidy trade rows of many reporters (a BACI or Comtrade world file).
    product : str or iterable of str
        Registry product key(s) or HS code(s).
    totals : pandas.DataFrame or "from_data"
        Each reporter's exports of *all* products: a frame ``year, reporter, value_usd``
        (USD), or ``"from_data"`` when ``trade`` holds every product of every reporter (a
        full BACI year), so the sum of its rows is the total. There is no default: the
        shipped HS 7218 file holds one product, and its sum is not a country's exports.
    years, source
        See :func:`world_share`.

    Returns
    -------
    pandas.DataFrame
        One row per (year, reporter): ``value_usd`` (X_cp), ``total_usd`` (X_c),
        ``world_product_usd`` (X_wp), ``world_total_usd`` (X_w), ``product_share``
        (X_cp / X_c), ``world_share`` (X_cp / X_wp), ``rca``, ``reference`` (``world``),
        ``source``, ``latest_year``. Reporters whose total is missing have no RCA.

    Notes
    -----
    RCA_cp = (X_cp / X_c) / (X_wp / X_w) (Balassa 1965, "Trade liberalisation and 'revealed'
    comparative advantage", *The Manchester School* 33(2), 99-123). RCA > 1: the product
    weighs more in the country's exports than in world exports. Sums run over countries and
    residual reporters; aggregates (EU-28) and provinces are left out.

    Examples
    --------
    Two countries, two products: A exports 30 of p and 70 of q, B exports 10 of p and 90 of
    q. RCA_A,p = (30 / 100) / (40 / 200) = 0.3 / 0.2 = 1.5.
    """
    prod = exporter_totals(trade, product=product, years=years, source=source)
    prod = prod[prod["reporter_type"].isin(["country", "residual"])]
    if isinstance(totals, str):
        if totals != "from_data":
            raise HilirDataError(f"totals must be a DataFrame or 'from_data', not {totals!r}")
        allp = exporter_totals(trade, product=None, years=years, source=source)
        tot = allp.rename(columns={"value_usd": "total_usd"})[["year", "reporter", "total_usd"]]
    else:
        tot = _totals_frame(totals, "totals")
    tot = tot[tot["reporter"].map(_reporter_type).isin(["country", "residual"])]
    out = prod.merge(tot, on=["year", "reporter"], how="left")
    bad = out["total_usd"].notna() & (out["total_usd"] < out["value_usd"] * (1 - 1e-9))
    if bad.any():
        r = out[bad].iloc[0]
        raise HilirDataError(
            f"total exports of {r['reporter']} in {r['year']} ({r['total_usd']:,.0f} USD) are "
            f"below its exports of the product ({r['value_usd']:,.0f} USD): totals must cover "
            "all products"
        )
    out["world_product_usd"] = out.groupby("year")["value_usd"].transform("sum")
    out["world_total_usd"] = out["year"].map(tot.groupby("year")["total_usd"].sum())
    out["product_share"] = safe_divide(out["value_usd"], out["total_usd"])
    out["world_share"] = safe_divide(out["value_usd"], out["world_product_usd"])
    out["rca"] = out["product_share"] / safe_divide(
        out["world_product_usd"], out["world_total_usd"]
    )
    out["reference"] = "world"
    out["geography"] = out["reporter"].map(geography_name)
    out["latest_year"] = int(out["year"].max()) if len(out) else pd.NA
    cols = [
        "year",
        "reporter",
        "geography",
        "reporter_type",
        "value_usd",
        "total_usd",
        "world_product_usd",
        "world_total_usd",
        "product_share",
        "world_share",
        "rca",
        "reference",
        "source",
        "latest_year",
    ]
    return out[cols].sort_values(["year", "reporter"]).reset_index(drop=True)


def province_rca(
    trade: pd.DataFrame,
    *,
    product: str | Iterable[str],
    province: str,
    totals: pd.DataFrame,
    nation: str = "IDN",
    years: Iterable[int] | None = None,
) -> pd.DataFrame:
    """A province's share of national exports of a product, and its RCA against the nation.

    Parameters
    ----------
    trade : pandas.DataFrame
        Exports of the province (reporter ``province``) and of the nation (``nation``), e.g.
        a BPS provincial download and a national one, joined with the registry.
    product : str or iterable of str
        Registry product key(s) or HS code(s).
    province : str
        ISO 3166-2 code (``ID-LA``).
    totals : pandas.DataFrame
        All-product exports ``year, reporter, value_usd`` for the province and the nation.
    nation : str, default "IDN"
    years : iterable of int, optional

    Returns
    -------
    pandas.DataFrame
        One row per year: ``value_usd`` (X_rp), ``nation_value_usd`` (X_np),
        ``total_usd`` (X_r), ``nation_total_usd`` (X_n), ``share_of_nation`` (X_rp / X_np),
        ``product_share`` (X_rp / X_r), ``rca`` (against the nation), ``reference``
        (the nation's code), ``geography``, ``source``, ``latest_year``.

    Notes
    -----
    RCA_rp = (X_rp / X_r) / (X_np / X_n): the province against its own nation, never a
    pseudo-country in a world table (doing that, e.g. in complexity measures, produces
    densities above 1; py-ecomplexity issue 6). RCA > 1: the product weighs more in the
    province's exports than in the nation's.

    Examples
    --------
    A province exports 40 of coffee out of 100; the nation 50 out of 1,000:
    RCA = (40 / 100) / (50 / 1000) = 0.4 / 0.05 = 8; share of nation = 40 / 50 = 0.8.
    """
    if not is_province(province):
        raise HilirDataError(f"{province!r} is not a province code (ISO 3166-2, e.g. 'ID-LA')")
    what = "the trade table"
    check_trade_frame(trade, TRADE_REQUIRED, what)
    df = exports_only(trade)
    df, labels = select_items(df, product=product, chain=None, what=what)
    df = select_years(df, years, what)
    have = set(df["reporter"].astype(str))
    for code in (province, nation):
        if code not in have:
            raise HilirDataError(
                f"{what} has no exports of {labels} for {code}: the province is measured "
                f"against {nation}, so both are needed"
            )
    vals = {}
    for code in (province, nation):
        sub = df[df["reporter"].astype(str).eq(code).to_numpy(dtype=bool)]
        ptype = sub["partner_type"].astype("string")
        w = ptype.eq("world").fillna(False).to_numpy(dtype=bool)
        p = ptype.isin(DESTINATION_TYPES).fillna(False).to_numpy(dtype=bool)
        sub = sub.assign(_w=w)[w | p]
        has_w = sub.groupby("year")["_w"].transform("any")
        sub = sub[(sub["_w"] == has_w).to_numpy(dtype=bool)]
        vals[code] = sub.groupby("year").agg(
            v=("value_usd", "sum"), source=("source", join_sources)
        )
    tot = _totals_frame(totals, "totals").set_index(["reporter", "year"])["total_usd"]
    years_all = sorted(set(vals[province].index) & set(vals[nation].index))
    rows = []
    for y in years_all:
        try:
            xr, xn = float(tot.loc[(province, y)]), float(tot.loc[(nation, y)])
        except KeyError:
            raise HilirDataError(
                f"totals lack the all-product exports of {province} or {nation} in {y}"
            ) from None
        xrp, xnp = float(vals[province].loc[y, "v"]), float(vals[nation].loc[y, "v"])
        if xrp > xnp * (1 + 1e-9):
            raise HilirDataError(
                f"{province} exports more {labels} than {nation} in {y} ({xrp:,.0f} > "
                f"{xnp:,.0f} USD): the nation's figure must include the province"
            )
        rows.append(
            {
                "year": int(y),
                "reporter": province,
                "geography": geography_name(province),
                "reference": nation,
                "scope": "+".join(labels),
                "value_usd": xrp,
                "nation_value_usd": xnp,
                "total_usd": xr,
                "nation_total_usd": xn,
                "share_of_nation": xrp / xnp if xnp > 0 else np.nan,
                "product_share": xrp / xr if xr > 0 else np.nan,
                "rca": (xrp / xr) / (xnp / xn) if xr > 0 and xnp > 0 and xn > 0 else np.nan,
                "source": join_sources(
                    [vals[province].loc[y, "source"], vals[nation].loc[y, "source"]]
                ),
            }
        )
    if not rows:
        raise HilirDataError(f"{province} and {nation} share no year of {labels} exports")
    out = pd.DataFrame(rows)
    out["latest_year"] = int(out["year"].max())
    return out
