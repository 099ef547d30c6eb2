"""Source precedence: which source counts when two report the same flow.

UN Comtrade and FAOSTAT both report Indonesia's green-coffee exports to the world; summing
both would count the flow twice. Every trade row gets a ``preferred`` flag: within each
(chain, year, month, reporter, partner, flow) group, the rows of the best-ranked source are
preferred and the others are kept for comparison (``load_exports()`` returns every source).

Ranks come from the registry's ``preferred_sources`` table (1 = preferred). A user's own
imported download (provenance key starting ``user_``) outranks every shipped source for the
groups it covers. Sources the table does not rank come last, in alphabetical order of key.

Two rules close the gaps between groups: two of the user's imports that report the same
flow are an error (:func:`flag_preferred` names them), and a year reported in months by one
source and as a total by another counts once (the months only when all twelve are there
and their source ranks first).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from hilir.errors import HilirDataError, HilirDataWarning

USER_PREFIX = "user_"
_UNRANKED = 50
GROUP = ["chain", "year", "month", "reporter", "partner", "flow"]


def source_ranks(trade: pd.DataFrame, preferred: pd.DataFrame) -> pd.Series:
    """Rank of each trade row's source for its chain and year (lower is better).

    Parameters
    ----------
    trade : pandas.DataFrame
        Tidy trade rows with ``chain``, ``product``, ``year`` and ``source``.
    preferred : pandas.DataFrame
        The registry's table: ``chain, product, source, year_from, year_to, rank``
        (``product`` empty = whole chain; NA years = open).

    Returns
    -------
    pandas.Series of int
        0 for user imports, the registry's rank where one applies, 50 otherwise.
    """
    rank = pd.Series(_UNRANKED, index=trade.index, dtype="int64")
    for row in preferred.itertuples(index=False):
        hit = (trade["chain"] == row.chain) & (trade["source"] == row.source)
        if isinstance(row.product, str) and row.product:
            hit &= trade["product"] == row.product
        if not pd.isna(row.year_from):
            hit &= trade["year"] >= int(row.year_from)
        if not pd.isna(row.year_to):
            hit &= trade["year"] <= int(row.year_to)
        hit = hit.fillna(False).astype(bool)
        rank = rank.where(~hit, np.minimum(rank, int(row.rank)))
    rank = rank.where(~trade["source"].astype(str).str.startswith(USER_PREFIX), 0)
    return rank


def flag_preferred(trade: pd.DataFrame, preferred: pd.DataFrame) -> pd.Series:
    """``True`` for rows of the best-ranked source in their flow group.

    Parameters
    ----------
    trade : pandas.DataFrame
        Tidy trade rows joined with ``chain`` and ``product`` (unmapped rows have NA chain
        and are grouped by their HS or item code instead).
    preferred : pandas.DataFrame
        See :func:`source_ranks`.

    Returns
    -------
    pandas.Series of bool
        Aligned with ``trade``. Summing the preferred rows never counts a flow twice.
    """
    if trade.empty:
        return pd.Series(dtype="bool")
    work = trade.copy()
    work["_rank"] = source_ranks(work, preferred)
    fallback = "code:" + work["hs_code"].astype(str) + "|" + work["item_code"].astype(str)
    work["chain"] = work["chain"].astype("object").where(work["chain"].notna(), fallback)
    work["_month"] = work["month"].fillna(0).astype("int64")
    keys = ["chain", "year", "_month", "reporter", "partner", "flow"]
    work["_best"] = work.groupby(keys, sort=False, dropna=False)["_rank"].transform("min")
    winners = work["_rank"] == work["_best"]
    # Equal explicit ranks mean complementary files of one dataset (FAOSTAT items split over
    # two extracts): all are preferred. Two *unranked* sources for one flow are a conflict.
    unranked = work[winners & (work["_best"] == _UNRANKED)]
    n_sources = unranked.groupby(keys, dropna=False)["source"].nunique()
    clash = n_sources[n_sources > 1]
    if not clash.empty:
        warnings.warn(
            f"{len(clash)} flow group(s) are reported by several sources that the registry"
            f" does not rank (e.g. {tuple(clash.index[0])}); the first source key in"
            " alphabetical order is preferred. Rank them in the registry's"
            " preferred_sources table.",
            HilirDataWarning,
            stacklevel=2,
        )
        first = unranked.groupby(keys, dropna=False)["source"].min().rename("_first")
        work = work.join(first, on=keys)
        loser = work["_first"].notna() & (work["source"] != work["_first"])
        winners &= ~loser
    _refuse_user_clash(work[winners & (work["_best"] == 0)], keys)
    winners &= ~_months_beside_years(work, winners)
    return winners.astype(bool)


def _refuse_user_clash(user: pd.DataFrame, keys: list[str]) -> None:
    """Two of the user's imports reporting one flow: an error, never a silent double count."""
    if user.empty:
        return
    n = user.groupby(keys, dropna=False)["source"].nunique()
    clash = n[n > 1]
    if clash.empty:
        return
    key = clash.index[0]
    sources = sorted(set(user.set_index(keys).loc[[key], "source"].astype(str)))
    flow = dict(zip(["chain", "year", "month", "reporter", "partner", "flow"], key, strict=True))
    raise HilirDataError(
        f"the imports {sources} both report {len(clash)} flow group(s), e.g. {flow}; adding "
        "them would count the flow twice. Remove one import (its file and sidecar in the "
        "data folder's user/ folder) or import only the rows it adds."
    )


def _months_beside_years(work: pd.DataFrame, winners: pd.Series) -> pd.Series:
    """Rows to drop where one source gives a year in months and another gives the year total.

    A month and a year are different groups, so both used to be preferred and the year was
    counted twice. The rule: the months win when their source ranks better *and* they cover
    all twelve months; otherwise the year total wins and the months are kept for comparison
    (a warning names how many flow-years).
    """
    ykeys = ["chain", "year", "reporter", "partner", "flow"]
    w = work[winners.to_numpy(dtype=bool)]
    months = w[w["_month"] > 0]
    years = w[w["_month"] == 0]
    drop = pd.Series(False, index=work.index)
    if months.empty or years.empty:
        return drop
    m = months.groupby(ykeys, dropna=False).agg(m_rank=("_rank", "min"), n=("_month", "nunique"))
    y = years.groupby(ykeys, dropna=False).agg(y_rank=("_rank", "min"))
    both = m.join(y, how="inner")
    if both.empty:
        return drop
    months_win = (both["m_rank"] < both["y_rank"]) & (both["n"] == 12)
    idx = pd.MultiIndex.from_frame(work[ykeys].astype(object))
    win_keys = both.index[months_win.to_numpy()]
    lose_keys = both.index[~months_win.to_numpy()]
    is_month = (work["_month"] > 0).to_numpy()
    drop |= pd.Series(idx.isin(win_keys) & ~is_month, index=work.index)
    drop |= pd.Series(idx.isin(lose_keys) & is_month, index=work.index)
    if len(lose_keys):
        warnings.warn(
            f"{len(lose_keys)} flow-year(s) have monthly rows of one source beside the year "
            "total of another (e.g. "
            f"{dict(zip(ykeys, lose_keys[0], strict=True))}); the year total is used and the "
            "months are kept for comparison (months replace a year only when they are all "
            "twelve and their source ranks first)",
            HilirDataWarning,
            stacklevel=3,
        )
    return drop
