"""World market share and rank (Balassa RCA is in :mod:`hilir.markets.comparative_advantage`).

Works on any table with many reporters: the shipped UN Comtrade file of every reporter's
HS 7218 exports (2011-2020, ``comtrade_world_7218``) or a BACI or Comtrade world file a
user imports. Aggregate reporters (Comtrade's EU-28 ``EU2``, ``EUN``, ``ASEAN``) are left
out of world totals and ranks: their members report too. A residual reporter (Comtrade's
"Other Asia, nes", ``XOA``, in practice mostly Taiwan) is a real exporter: it counts in the
world total and is ranked, flagged as a residual. A province (``ID-LA``) is never a
pseudo-country: it is measured against its nation (:func:`province_rca`).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable

import numpy as np
import pandas as pd

from hilir.checks import geography_name
from hilir.errors import HilirDataError, HilirDataWarning, caller_stacklevel
from hilir.markets._frames import (
    filter_source,
    is_province,
    select_items,
    select_years,
)
from hilir.provenance.keys import join_sources
from hilir.trade import (
    DESTINATION_TYPES,
    TRADE_REQUIRED,
    check_trade_frame,
    exports_only,
)

SHARE_COLUMNS = [
    "year",
    "reporter",
    "geography",
    "reporter_type",
    "scope",
    "value_usd",
    "net_weight_kg",
    "world_value_usd",
    "share",
    "rank",
    "n_reporters",
    "excluded",
    "source",
    "latest_year",
]


def _reporter_type(code: str) -> str:
    from hilir.registry.partners import partner_type_of

    if is_province(code):
        return "province"
    try:
        return partner_type_of(code)
    except HilirDataError:
        return "unknown"


def _choose_world_source(df: pd.DataFrame, source: object, what: str) -> pd.DataFrame:
    """One source: the one reporting the most exporters (the world file)."""
    df = filter_source(df, source, what)  # type: ignore[arg-type]
    counts = df.groupby(df["source"].astype(str))["reporter"].nunique().sort_values(ascending=False)
    if len(counts) == 1:
        return df
    if counts.iloc[0] == counts.iloc[1]:
        raise HilirDataError(
            f"{what} comes from sources {list(counts.index)} with as many reporters each; "
            "pass source= to name the world file"
        )
    best = str(counts.index[0])
    warnings.warn(
        f"{what}: using {best!r} ({counts.iloc[0]} reporters) as the world file; other sources "
        f"{list(counts.index[1:])} left out (pass source= to choose)",
        HilirDataWarning,
        stacklevel=caller_stacklevel(),
    )
    return df[df["source"].astype(str).eq(best).to_numpy(dtype=bool)]


def exporter_totals(
    trade: pd.DataFrame,
    *,
    product: str | Iterable[str] | None = None,
    years: Iterable[int] | None = None,
    source: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """Each reporter's exports of a product (or of everything in the frame), by year.

    Parameters
    ----------
    trade : pandas.DataFrame
        Tidy trade rows of many reporters.
    product : str or iterable of str, optional
        Registry product keys or HS codes; ``None`` sums every row (all products).
    years, source
        Years to keep; provenance key of the world file (default: the source with the most
        reporters).

    Returns
    -------
    pandas.DataFrame
        ``year, reporter, reporter_type, value_usd, net_weight_kg, source``: the reporter's
        world row where it has one, else the sum of its country and residual partners (a
        BACI file has no world rows). ``reporter_type`` is ``country``, ``residual``,
        ``aggregate``, ``province``, ``world`` or ``unknown``.
    """
    what = "the world trade table"
    check_trade_frame(trade, TRADE_REQUIRED, what)
    df = exports_only(trade)
    if product is not None:
        df, _ = select_items(df, product=product, chain=None, what=what)
    df = _choose_world_source(df, source, what)
    df = select_years(df, years, what)
    ptype = df["partner_type"].astype("string")
    world = ptype.eq("world").fillna(False).to_numpy(dtype=bool)
    parts = ptype.isin(DESTINATION_TYPES).fillna(False).to_numpy(dtype=bool)
    df = df.assign(_world=world)[world | parts]
    has_world = df.groupby(["reporter", "year"])["_world"].transform("any")
    df = df[(df["_world"] == has_world).to_numpy(dtype=bool)]
    weight = (
        df["net_weight_kg"].astype("float64")
        if "net_weight_kg" in df.columns
        else pd.Series(np.nan, index=df.index)
    )
    df = df.assign(value_usd=df["value_usd"].astype("float64"), _w=weight, _wm=weight.isna())
    out = (
        df.groupby(["year", "reporter"], sort=True)
        .agg(
            value_usd=("value_usd", "sum"),
            net_weight_kg=("_w", "sum"),
            _wm=("_wm", "any"),
            source=("source", join_sources),
        )
        .reset_index()
    )
    out.loc[out["_wm"], "net_weight_kg"] = np.nan
    out["reporter"] = out["reporter"].astype(str)
    out["year"] = out["year"].astype("int64")
    out["reporter_type"] = out["reporter"].map(_reporter_type)
    return out.drop(columns="_wm")[
        ["year", "reporter", "reporter_type", "value_usd", "net_weight_kg", "source"]
    ]


def world_share(
    trade: pd.DataFrame,
    *,
    product: str | Iterable[str],
    years: Iterable[int] | None = None,
    source: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """Every exporter's share of world exports of a product, and its rank, by year.

    Parameters
    ----------
    trade : pandas.DataFrame
        Tidy trade rows of many reporters (``hilir.load_trade(source=
        "comtrade_world_7218")``, or a user's BACI or Comtrade world file).
    product : str or iterable of str
        Registry product key(s) or HS code(s).
    years : iterable of int, optional
        Years to keep.
    source : str, optional
        The world file's provenance key (default: the source with the most reporters).

    Returns
    -------
    pandas.DataFrame
        One row per (year, reporter) of the exporters counted: :data:`SHARE_COLUMNS`
        (``geography`` is ``Indonesia`` for ``IDN``, else the reporter code).
        ``share`` = reporter's exports / world exports of the product (fraction),
        ``rank`` 1 = largest exporter, ``n_reporters`` exporters counted that year,
        ``excluded`` the aggregate, province and world reporters left out (``EU2``).
        ``attrs["excluded"]`` lists them with their values.

    Raises
    ------
    HilirDataError
        No rows for the product, an empty or absent year, a world total of 0.

    Notes
    -----
    share_c = X_cp / sum_k X_kp over countries and residual reporters k (aggregates,
    provinces and the world row left out). The denominator is the *product's* world exports,
    not all-product exports. The world total is the sum over reporters present in the file
    that year: a country that did not report is missing from it (mirror data such as BACI
    fill that gap).

    Examples
    --------
    >>> import hilir
    >>> from hilir.markets import world_share
    >>> ws = world_share(hilir.load_trade(source="comtrade_world_7218"),
    ...                  product="stainless_semis")                   # doctest: +SKIP
    """
    tot = exporter_totals(trade, product=product, years=years, source=source)
    keep = tot["reporter_type"].isin(["country", "residual"])
    out_rows = tot[keep].copy()
    dropped = tot[~keep]
    excl = dropped.groupby("year")["reporter"].agg(lambda s: "+".join(sorted(s)))
    world = out_rows.groupby("year")["value_usd"].transform("sum")
    if (world <= 0).any():
        bad = sorted(out_rows.loc[world <= 0, "year"].unique())
        raise HilirDataError(f"world exports of {product} are 0 in {bad}: no share")
    out_rows["world_value_usd"] = world
    out_rows["share"] = out_rows["value_usd"] / world
    out_rows["rank"] = (
        out_rows.groupby("year")["value_usd"].rank(ascending=False, method="min").astype("int64")
    )
    out_rows["n_reporters"] = out_rows.groupby("year")["reporter"].transform("count")
    excl_map = {int(k): str(v) for k, v in excl.items()}
    out_rows["excluded"] = [excl_map.get(int(y), "") for y in out_rows["year"]]
    labels = [product] if isinstance(product, str) else list(product)
    out_rows["scope"] = "+".join(labels)
    out_rows["geography"] = out_rows["reporter"].map(geography_name)
    out_rows["latest_year"] = int(out_rows["year"].max())
    out = out_rows[SHARE_COLUMNS].sort_values(["year", "rank"]).reset_index(drop=True)
    out.attrs["excluded"] = dropped.reset_index(drop=True)
    return out


def reporter_share(shares: pd.DataFrame, *, reporter: str = "IDN") -> pd.DataFrame:
    """One reporter's rows of :func:`world_share` (share and rank by year).

    Raises
    ------
    HilirDataError
        If the reporter is a province (measure it against its nation with
        :func:`province_rca`) or absent.
    """
    if is_province(reporter):
        raise HilirDataError(
            f"{reporter} is a province, not a country: world shares rank countries; measure "
            "a province against its nation (province_rca)"
        )
    check_trade_frame(shares, ["year", "reporter", "share", "rank"], "the world-share table")
    out = shares[shares["reporter"].astype(str).eq(reporter).to_numpy(dtype=bool)]
    if out.empty:
        raise HilirDataError(f"reporter {reporter!r} has no exports in the world-share table")
    out = out.copy()
    out["geography"] = geography_name(reporter)
    return out.reset_index(drop=True)


def share_change(
    shares: pd.DataFrame, *, reporter: str = "IDN", before: int, after: int
) -> pd.DataFrame:
    """A reporter's world share and rank in two years, and the change.

    Returns
    -------
    pandas.DataFrame
        One row: ``reporter, geography, scope, year_before, year_after, share_before,
        share_after, change_pp`` (percentage points), ``rank_before, rank_after,
        n_reporters_before, n_reporters_after, source``. A year without exports of the
        reporter has share 0 and no rank.
    """
    rows = reporter_share(shares, reporter=reporter).set_index("year")
    have = set(shares["year"].astype(int))
    missing = sorted({int(before), int(after)} - have)
    if missing:
        raise HilirDataError(f"years {missing} are absent from the world-share table")
    n = shares.groupby("year")["n_reporters"].first()

    def pick(year: int, col: str) -> object:
        return rows.loc[year, col] if year in rows.index else (0.0 if col == "share" else pd.NA)

    out = pd.DataFrame(
        {
            "reporter": [reporter],
            "geography": [geography_name(reporter)],
            "scope": [str(shares["scope"].iloc[0])],
            "year_before": [int(before)],
            "year_after": [int(after)],
            "share_before": [float(pick(int(before), "share"))],  # type: ignore[arg-type]
            "share_after": [float(pick(int(after), "share"))],  # type: ignore[arg-type]
            "rank_before": pd.array([pick(int(before), "rank")], dtype="Int64"),
            "rank_after": pd.array([pick(int(after), "rank")], dtype="Int64"),
            "n_reporters_before": [int(n.loc[int(before)])],
            "n_reporters_after": [int(n.loc[int(after)])],
            "source": [join_sources(shares["source"])],
        }
    )
    out["change_pp"] = (out["share_after"] - out["share_before"]) * 100.0
    return out


def share_around_events(
    shares: pd.DataFrame,
    *,
    reporter: str = "IDN",
    events: Iterable[str] = ("nickel_ore_ban_2014", "nickel_ore_ban_2020"),
) -> pd.DataFrame:
    """A reporter's world share and rank before, at and after dated policy events.

    For each event (a key of :func:`hilir.policy.policy_events`): the year before the
    event, the event's year, and the last year before the next event (or the last year of
    the data).

    Returns
    -------
    pandas.DataFrame
        One row per (event, year): ``event_id, label_id, label_en, event_date, when``
        (``before``, ``event_year``, ``period_end``), ``year, share, rank, n_reporters``.
        Years outside the data are left out.
    """
    from hilir.policy import policy_events

    ev = policy_events()
    ids = list(events)
    known = set(ev["event_id"].astype(str))
    unknown = [e for e in ids if e not in known]
    if unknown:
        raise HilirDataError(f"unknown policy events {unknown}")
    sel = ev[ev["event_id"].astype(str).isin(ids)].drop_duplicates("event_id")
    sel = sel.assign(_y=pd.to_datetime(sel["start_date"]).dt.year).sort_values("_y")
    rows = reporter_share(shares, reporter=reporter).set_index("year")
    years = sorted(set(shares["year"].astype(int)))
    n = shares.groupby("year")["n_reporters"].first()
    out = []
    ys = sel["_y"].astype(int).tolist()
    for i, (_, e) in enumerate(sel.iterrows()):
        y = int(e["_y"])
        nxt = ys[i + 1] - 1 if i + 1 < len(ys) else years[-1]
        for when, year in (("before", y - 1), ("event_year", y), ("period_end", nxt)):
            if year not in years:
                continue
            has = year in rows.index
            out.append(
                {
                    "event_id": str(e["event_id"]),
                    "label_id": str(e["label_id"]),
                    "label_en": str(e["label_en"]),
                    "event_date": pd.Timestamp(e["start_date"]).date().isoformat(),
                    "when": when,
                    "year": year,
                    "share": float(rows.loc[year, "share"]) if has else 0.0,
                    "rank": int(rows.loc[year, "rank"]) if has else pd.NA,
                    "n_reporters": int(n.loc[year]),
                }
            )
    res = pd.DataFrame(out)
    if not res.empty:
        res["rank"] = res["rank"].astype("Int64")
        res = res.drop_duplicates(["event_id", "year"]).reset_index(drop=True)
    res["reporter"] = reporter
    res["geography"] = geography_name(reporter)
    res["source"] = join_sources(shares["source"])
    return res
