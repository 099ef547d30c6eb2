"""Destination profiles: where a product's exports go, how fast each market grows.

From any tidy trade table with partner detail: the shipped UN Comtrade green coffee by
partner (2005, 2010, 2015), BPS coal and copper-ore exports by destination (2012-2024), the
ferro-nickel destinations (its source states no year; 2020 is inferred), or a BPS or UN
Comtrade download a user imports.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from hilir.checks import geography_name
from hilir.errors import HilirDataError
from hilir.markets._frames import (
    ROUNDING_TOLERANCE,
    UNALLOCATED,
    filter_source,
    select_items,
    select_years,
)
from hilir.markets.growth import cagr_between
from hilir.provenance.keys import join_sources
from hilir.trade import (
    DESTINATION_TYPES,
    TRADE_REQUIRED,
    check_trade_frame,
    exports_only,
    item_key,
    preferred_sources_rows,
)

#: Residual codes that may hide any market: "Others" and the unallocated part of a total.
GENERIC_RESIDUALS = ("XOT", UNALLOCATED)

COLUMNS = [
    "reporter",
    "geography",
    "scope",
    "year",
    "partner",
    "partner_type",
    "value_usd",
    "net_weight_kg",
    "quantity_t",
    "share",
    "rank",
    "unit_value_usd_per_kg",
    "world_value_usd",
    "source",
    "latest_year",
]


def destinations(
    trade: pd.DataFrame,
    *,
    product: str | Iterable[str] | None = None,
    chain: str | Iterable[str] | None = None,
    reporter: str = "IDN",
    years: Iterable[int] | None = None,
    source: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """Exports of a product by destination and year, with shares, ranks and unit values.

    Parameters
    ----------
    trade : pandas.DataFrame
        Tidy trade rows with partner detail: ``year, reporter, partner, partner_type,
        value_usd, source`` and ``net_weight_kg``, ``product`` (registry key) or
        ``hs_code``; ``flow`` and ``preferred`` when present are used.
    product : str or iterable of str, optional
        Registry product keys (``"coffee_green"``) or HS codes (digits, matched as the start
        of ``hs_code``); several are summed (green coffee with decaffeinated green coffee).
    chain : str or iterable of str, optional
        Registry chains instead of products (all their products summed).
    reporter : str, default "IDN"
        Exporter: ``IDN`` or a province such as ``ID-LA`` (from a user's BPS import).
    years : iterable of int, optional
        Years to keep (an absent year is an error). Default every year with partner detail.
    source : str or iterable of str, optional
        Provenance keys to use. Needed only when two sources give partner detail for the
        same product and year and neither is flagged ``preferred``.

    Returns
    -------
    pandas.DataFrame
        One row per (year, partner): :data:`COLUMNS`. ``value_usd`` in USD,
        ``net_weight_kg`` in kg (missing when the source has no weight), ``quantity_t`` =
        kg / 1000, ``share`` of the year's total (shares of a year sum to 1), ``rank`` among
        named countries (residual rows have no rank), ``unit_value_usd_per_kg`` = value /
        weight, ``world_value_usd`` the source's world total (or the partners' sum). When
        the partners fall short of the world total by more than 0.5 % the gap is a residual
        row ``XUN`` (unallocated). ``attrs["caveats"]`` lists what the reader must know.

    Raises
    ------
    HilirDataError
        No partner column, no partner detail for the product, an empty or absent year,
        partners that add up to more than the world total (shares would exceed 1), two
        sources for the same flow.

    Notes
    -----
    share = x_p / X with X the sum of the year's rows (named partners, residuals and the
    unallocated gap), so shares always sum to 1. Aggregate partners (``EU2``, ``ASEAN``)
    are dropped: their members are listed too. Partner rows are never added to another
    source's world total (one source per product and year).

    Examples
    --------
    >>> import hilir
    >>> from hilir.markets import destinations
    >>> coal = destinations(hilir.load_exports(), product="coal", years=[2024])  # doctest: +SKIP
    """
    what = "the trade table"
    check_trade_frame(trade, [*TRADE_REQUIRED, "partner"], what)
    df = exports_only(trade)
    if df.empty:
        raise HilirDataError(f"{what} has no export rows")
    have = sorted(set(df["reporter"].astype(str)))
    if reporter not in have:
        raise HilirDataError(f"{what} has no rows for reporter {reporter!r}; reporters: {have}")
    df = df[df["reporter"].astype(str).eq(reporter).to_numpy(dtype=bool)]
    df, labels = select_items(df, product=product, chain=chain, what=what)
    df = filter_source(df, source, what)
    ptype = df["partner_type"].astype("string")
    parts_mask = ptype.isin(DESTINATION_TYPES).fillna(False).to_numpy(dtype=bool)
    parts = df[parts_mask]
    if parts.empty:
        raise HilirDataError(
            f"{what} has no partner detail for {labels} (only world totals): destination "
            "profiles need a source by destination"
        )
    parts = select_years(parts, years, f"the partner detail of {labels}")
    parts = parts.assign(_item=item_key(parts).to_numpy())
    parts = preferred_sources_rows(
        parts, ["reporter", "year", "_item"], f"the partner detail of {labels}"
    )
    world = df[ptype.eq("world").fillna(False).to_numpy(dtype=bool)]
    world = world.assign(_item=item_key(world).to_numpy())
    chosen = parts[["year", "_item", "source"]].drop_duplicates()
    world = world.merge(chosen, on=["year", "_item", "source"], how="inner")
    caveats: list[dict[str, str]] = []
    dropped = sorted(set(df.loc[ptype.eq("aggregate").fillna(False).to_numpy(bool), "partner"]))
    if dropped:
        caveats.append(
            {
                "id": f"Kelompok negara {', '.join(dropped)} tidak dihitung (anggotanya tercatat "
                "sendiri)",
                "en": f"Country groups {', '.join(dropped)} left out (their members are listed)",
            }
        )
    rows = []
    for year, g in parts.groupby("year", sort=True):
        rows.append(_one_year(int(year), g, world[world["year"] == year], reporter))
    out = pd.concat(rows, ignore_index=True)
    out["scope"] = "+".join(labels)
    out["geography"] = geography_name(reporter)
    out["latest_year"] = int(out["year"].max())
    out = out[COLUMNS].sort_values(["year", "rank", "value_usd"], ascending=[True, True, False])
    out = out.reset_index(drop=True)
    if out["partner"].eq(UNALLOCATED).any():
        caveats.append(
            {
                "id": "Sebagian nilai ekspor dunia tidak dirinci menurut negara tujuan (XUN)",
                "en": "Part of the world total is not allocated to any destination (XUN)",
            }
        )
    out.attrs["caveats"] = caveats
    return out


def _one_year(year: int, parts: pd.DataFrame, world: pd.DataFrame, reporter: str) -> pd.DataFrame:
    weight = (
        parts["net_weight_kg"].astype("float64")
        if "net_weight_kg" in parts.columns
        else pd.Series(np.nan, index=parts.index)
    )
    work = parts.assign(
        value_usd=parts["value_usd"].astype("float64"), _w=weight, _wmiss=weight.isna()
    )
    g = (
        work.groupby(["partner", "partner_type"], sort=False, dropna=False)
        .agg(
            value_usd=("value_usd", "sum"),
            net_weight_kg=("_w", "sum"),
            _wmiss=("_wmiss", "any"),
            source=("source", join_sources),
        )
        .reset_index()
    )
    g.loc[g["_wmiss"], "net_weight_kg"] = np.nan
    g = g.drop(columns="_wmiss")
    g["partner"] = g["partner"].astype(str)
    g["partner_type"] = g["partner_type"].astype(str)
    partner_sum = float(g["value_usd"].sum())
    items_with_world = set(world["_item"])
    world_value = float(world["value_usd"].astype(float).sum()) + float(
        parts.loc[~parts["_item"].isin(items_with_world), "value_usd"].astype(float).sum()
    )
    gap = world_value - partner_sum
    if world_value > 0 and gap < -ROUNDING_TOLERANCE * world_value:
        raise HilirDataError(
            f"partner rows of {year} add up to {partner_sum:,.0f} USD, more than the world "
            f"total {world_value:,.0f} USD: shares would sum to "
            f"{partner_sum / world_value:.3f}, not 1 (duplicate partner rows, or a partner "
            "that is also a group of countries?)"
        )
    if world_value > 0 and gap > ROUNDING_TOLERANCE * world_value:
        w_world = world["net_weight_kg"].astype(float).sum() if len(world) else np.nan
        w_gap = (
            w_world - g["net_weight_kg"].sum()
            if np.isfinite(w_world) and g["net_weight_kg"].notna().all()
            else np.nan
        )
        extra = pd.DataFrame(
            {
                "partner": [UNALLOCATED],
                "partner_type": ["residual"],
                "value_usd": [gap],
                "net_weight_kg": [w_gap if np.isfinite(w_gap) and w_gap >= 0 else np.nan],
                "source": [join_sources(world["source"])],
            }
        )
        g = pd.concat([g, extra], ignore_index=True)
    total = float(g["value_usd"].sum())
    g["share"] = g["value_usd"] / total if total > 0 else np.nan
    named = g["partner_type"].eq("country")
    g["rank"] = pd.array([pd.NA] * len(g), dtype="Int64")
    g.loc[named, "rank"] = (
        g.loc[named, "value_usd"].rank(ascending=False, method="min").astype("int64").to_numpy()
    )
    g["quantity_t"] = g["net_weight_kg"] / 1000.0
    with np.errstate(divide="ignore", invalid="ignore"):
        uv = g["value_usd"] / g["net_weight_kg"].where(g["net_weight_kg"] > 0)
    g["unit_value_usd_per_kg"] = uv.astype("float64")
    g["world_value_usd"] = world_value if world_value > 0 else partner_sum
    g["year"] = year
    g["reporter"] = reporter
    return g


def destination_profile(
    trade: pd.DataFrame,
    *,
    product: str | Iterable[str] | None = None,
    chain: str | Iterable[str] | None = None,
    reporter: str = "IDN",
    years: Iterable[int] | None = None,
    window: tuple[int, int] | None = None,
    top: int = 10,
    source: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """Top destination markets in one year, with growth over a chosen window.

    Parameters
    ----------
    trade, product, chain, reporter, years, source
        See :func:`destinations`.
    window : (int, int), optional
        First and last year of the growth window (both must have partner detail). Default:
        the first and last year of ``years`` (or of the data); the profile year is the
        window's last year. With a single year there is no growth (``cagr`` missing).
    top : int, default 10
        Markets flagged ``top`` (rank 1..top in the profile year).

    Returns
    -------
    pandas.DataFrame
        One row per partner of the profile year, largest first, residual rows last: the
        columns of :func:`destinations` plus ``window_start``, ``window_end``,
        ``value_start`` (USD in ``window_start``, 0 if absent), ``cagr`` (fraction a year),
        ``growth_flag`` and ``top``. ``growth_flag`` is ``new`` (absent in the first year
        of a source that lists every market), ``not_listed_start`` (absent in the first year
        of a source with a catch-all residual row, such as BPS "major countries" tables: the
        market may have been inside "Others"), or ``""``.

    Notes
    -----
    cagr = (value_end / value_start) ** (1 / (end - start)) - 1 (:func:`hilir.markets.cagr`);
    a market absent in the first year is ``new`` and has no rate.

    Examples
    --------
    >>> import hilir
    >>> from hilir.markets import destination_profile
    >>> prof = destination_profile(hilir.load_exports(), product="coal",
    ...                            window=(2019, 2024))               # doctest: +SKIP
    """
    if isinstance(top, bool) or int(top) < 1:
        raise HilirDataError(f"top must be a whole number >= 1, not {top!r}")
    if window is not None:
        if len(tuple(window)) != 2:
            raise HilirDataError(f"window must be (first_year, last_year), not {window!r}")
        start, end = (int(y) for y in window)
        if end <= start:
            raise HilirDataError(f"window must run forward: {window!r}")
        wanted = sorted(set(years or []) | {start, end}) if years is not None else None
        dest = destinations(
            trade,
            product=product,
            chain=chain,
            reporter=reporter,
            years=wanted,
            source=source,
        )
        have = set(dest["year"])
        missing = sorted({start, end} - have)
        if missing:
            raise HilirDataError(f"window years {missing} have no partner detail")
    else:
        dest = destinations(
            trade, product=product, chain=chain, reporter=reporter, years=years, source=source
        )
        ys = sorted(set(dest["year"]))
        start, end = ys[0], ys[-1]
    prof = dest[dest["year"] == end].copy()
    if start < end:
        growth = cagr_between(dest, by=["partner"], start=start, end=end)
        prof = prof.merge(
            growth[["partner", "value_start", "cagr", "growth_flag"]], on="partner", how="left"
        )
        first = dest[dest["year"] == start]
        # only a catch-all residual ("Others", the unallocated gap) can hide any market;
        # a regional one ("Other Asia, nes") hides markets of its region only
        hidden = bool(first["partner"].isin(GENERIC_RESIDUALS).any())
        listed = set(first["partner"])
        if hidden:
            # a market missing from the first year may have sat inside its residual row
            unlisted = ~prof["partner"].isin(listed) & prof["partner_type"].eq("country")
            prof.loc[unlisted, "growth_flag"] = "not_listed_start"
        prof["window_start"] = start
    else:
        prof["value_start"] = np.nan
        prof["cagr"] = np.nan
        prof["growth_flag"] = ""
        prof["window_start"] = pd.NA
    prof["window_end"] = end
    prof["top"] = prof["rank"].fillna(10**9).astype(int).le(int(top)).to_numpy()
    prof["_res"] = prof["partner_type"].ne("country")
    prof = prof.sort_values(["_res", "value_usd"], ascending=[True, False]).drop(columns="_res")
    prof.attrs["caveats"] = dest.attrs.get("caveats", [])
    return prof.reset_index(drop=True)
