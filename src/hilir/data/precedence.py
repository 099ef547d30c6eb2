"""Source precedence: which source counts when two report the same flow.

UN Comtrade and FAOSTAT both report Indonesia's green-coffee exports to the world; summing
both would count the flow twice. Every trade row gets a ``preferred`` flag; the others are
kept for comparison (``load_exports()`` returns every source). One rule, in two steps:

1. **Shipped sources** compete per product family and flow: within each (family, year,
   month, reporter, partner, flow) the rows of the best-ranked source are preferred. Ranks
   come from the registry's ``preferred_sources`` table (1 = preferred); sources it does not
   rank come last, in alphabetical order of key. A family is one product, or an aggregate
   and the finer products it holds (``refdata/product_cover.csv``, :mod:`hilir.registry.cover`:
   FAOSTAT 659 with HS 2101.11 and 2101.12), so a source of roasted coffee never displaces
   one of green coffee. A year reported in months by one source and as a total by another
   counts once (the months only when all twelve are there and their source ranks first).
2. **A user's import** (provenance key starting ``user_``) then replaces exactly the
   preferred shipped rows it overlaps: same year, reporter, partner and flow (a month
   beside the same month or beside the year), and a product in common (its own, one it
   holds, or one holding it). It never touches other products, years or partners.

   * It replaces an overlapped row when it holds that row's product, or all the parts of it
     (HS 2101.11 + 2101.12 replace FAOSTAT 659; HS 0901.11 replaces FAOSTAT 656, whose
     product is ``coffee_green``). Where the replaced row also held a part the import lacks
     (656 holds decaf green coffee) a warning says that part is not counted for those years.
   * An import of part of an aggregate the shipped data hold only whole (HS 2101.11 alone
     beside FAOSTAT 659) cannot replace it without losing the rest: **the aggregate stays
     preferred for that year, the import's overlapping rows are kept but not preferred**,
     and a warning names the import, its file, its products, the missing parts and years.
   * Months of an import beside a shipped year total replace it only when all twelve are
     there; otherwise the year total is used and the months are kept (a warning says so).
   * Two imports holding one product of one flow are an error (:func:`flag_preferred`
     names them); imports of different products are both preferred.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from typing import NamedTuple

import numpy as np
import pandas as pd

from hilir.errors import HilirDataError, HilirDataWarning, caller_stacklevel
from hilir.registry.cover import ProductCover, product_cover

USER_PREFIX = "user_"
_UNRANKED = 50
#: A flow group: the rows of one product family that report the same flow.
KEYS = ["_unit", "year", "_month", "reporter", "partner", "flow"]
#: A family's flow in one year, whatever its months.
YEAR_KEYS = ["_unit", "year", "reporter", "partner", "flow"]
_FLOW = ["year", "_month", "reporter", "partner", "flow"]
_PLACE = ["year", "reporter", "partner", "flow"]


def source_ranks(trade: pd.DataFrame, preferred: pd.DataFrame) -> pd.Series:
    """Rank of each trade row's source for its chain, product and year (lower is better).

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


def flag_preferred(
    trade: pd.DataFrame, preferred: pd.DataFrame, cover: ProductCover | None = None
) -> pd.Series:
    """``True`` for the rows to count: one source per product and flow (module docstring).

    Parameters
    ----------
    trade : pandas.DataFrame
        Tidy trade rows joined with ``chain`` and ``product`` (unmapped rows have NA product
        and are grouped by their HS or item code instead).
    preferred : pandas.DataFrame
        See :func:`source_ranks`.
    cover : ProductCover, optional
        Which products hold which (default: the shipped table,
        :func:`hilir.registry.cover.product_cover`).

    Returns
    -------
    pandas.Series of bool
        Aligned with ``trade``. Summing the preferred rows never counts a flow twice.

    Raises
    ------
    HilirDataError
        Two user imports hold one product of one flow.
    """
    if trade.empty:
        return pd.Series(dtype="bool")
    cover = product_cover() if cover is None else cover
    work = _prepare(trade, preferred, cover)
    user = work["_rank"].eq(0).to_numpy(dtype=bool)
    winners = pd.Series(False, index=work.index)
    if (~user).any():
        # an array in row order: pandas < 3 aligns a Series value to the whole index first
        winners[~user] = _shipped_winners(work[~user]).to_numpy(dtype=bool, na_value=False)
    if user.any():
        _refuse_user_clash(work[user], cover)
        winners = _place_imports(work, winners, cover)
    return winners.astype(bool)


def _prepare(trade: pd.DataFrame, preferred: pd.DataFrame, cover: ProductCover) -> pd.DataFrame:
    """The rows with their rank, product (``_p``), system (``_sys``), family and month."""
    work = trade.copy()
    work["_rank"] = source_ranks(work, preferred)
    fallback = "code:" + work["hs_code"].astype(str) + "|" + work["item_code"].astype(str)
    product = work["product"].astype("object")
    work["_p"] = product.where(product.notna(), fallback).astype(str)
    work["_unit"] = work["_p"].map(lambda p: cover.family.get(p, p))
    hs = work["hs_code"].astype("string").fillna("").str.strip()
    item = work["item_code"].astype("string").fillna("").str.strip()
    work["_sys"] = np.where(hs.eq("") & item.ne(""), "FAOSTAT", "HS")
    work["_month"] = work["month"].fillna(0).astype("int64")
    return work


def _shipped_winners(work: pd.DataFrame) -> pd.Series:
    """Step 1: the best-ranked shipped source per family and flow (module docstring)."""
    work = work.copy()
    work["_best"] = work.groupby(KEYS, sort=False, dropna=False)["_rank"].transform("min")
    winners = work["_rank"] == work["_best"]
    # Equal explicit ranks mean complementary files of one dataset (FAOSTAT items split over
    # two extracts): all are preferred. Two *unranked* sources for one flow are a conflict.
    unranked = work[winners & (work["_best"] == _UNRANKED)]
    n_sources = unranked.groupby(KEYS, dropna=False)["source"].nunique()
    clash = n_sources[n_sources > 1]
    if not clash.empty:
        warnings.warn(
            f"{len(clash)} flow group(s) are reported by several sources that the registry"
            f" does not rank (e.g. {tuple(clash.index[0])}); the first source key in"
            " alphabetical order is preferred. Rank them in the registry's"
            " preferred_sources table.",
            HilirDataWarning,
            stacklevel=caller_stacklevel(),
        )
        first = unranked.groupby(KEYS, dropna=False)["source"].min().rename("_first")
        work = work.join(first, on=KEYS)
        loser = work["_first"].notna() & (work["source"] != work["_first"])
        winners &= ~loser
    winners &= ~_months_beside_years(work, winners)
    return winners


def _refuse_user_clash(user: pd.DataFrame, cover: ProductCover) -> None:
    """Two user imports holding one product of one flow: an error, never a double count."""
    if user["source"].nunique() < 2:
        return
    held = [sorted(cover.row_cover(p, s)) for p, s in zip(user["_p"], user["_sys"], strict=True)]
    ex = user[["source", *_FLOW]].assign(_held=held).explode("_held")
    n = ex.groupby(["_held", *_FLOW], dropna=False)["source"].nunique()
    clash = n[n > 1]
    if clash.empty:
        return
    key = clash.index[0]
    sources = sorted(set(ex.set_index(["_held", *_FLOW]).loc[[key], "source"].astype(str)))
    names = ["product", "year", "month", "reporter", "partner", "flow"]
    flow = dict(zip(names, key, strict=True))
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
    (a warning names how many flow-years). Groups are product families; shipped sources
    only (step 1): an import's months are placed by :func:`_settle`.
    """
    ykeys = YEAR_KEYS
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
        names = ["product family", "year", "reporter", "partner", "flow"]
        warnings.warn(
            f"{len(lose_keys)} flow-year(s) have monthly rows of one source beside the year "
            "total of another (e.g. "
            f"{dict(zip(names, lose_keys[0], strict=True))}); the year total is used and the "
            "months are kept for comparison (months replace a year only when they are all "
            "twelve and their source ranks first)",
            HilirDataWarning,
            stacklevel=caller_stacklevel(),
        )
    return drop


class _Row(NamedTuple):
    """One row in step 2: position, product, system, month, source, products held."""

    i: int
    p: str
    sys: str
    month: int
    src: str
    cov: frozenset[str]


def _place_imports(work: pd.DataFrame, winners: pd.Series, cover: ProductCover) -> pd.Series:
    """Step 2: each import replaces the preferred shipped rows it overlaps, or stays aside.

    Returns the new flags: the import's rows preferred unless :func:`_settle` keeps them
    aside, the shipped rows they replace no longer preferred, every other row as it was.
    """
    user = work["_rank"].eq(0).to_numpy(dtype=bool)
    shipped = winners.to_numpy(dtype=bool) & ~user
    place = list(work[_PLACE].astype(object).itertuples(index=False, name=None))
    in_use = {place[i] for i in np.flatnonzero(user)}
    prod, syst = work["_p"].to_numpy(dtype=object), work["_sys"].to_numpy(dtype=object)
    month, src = work["_month"].to_numpy(), work["source"].astype(str).to_numpy(dtype=object)
    groups: dict[tuple, tuple[list[_Row], list[_Row]]] = {}
    for i in np.flatnonzero(user | shipped):
        if place[i] not in in_use:
            continue
        row = _Row(
            int(i), prod[i], syst[i], int(month[i]), src[i], cover.row_cover(prod[i], syst[i])
        )
        groups.setdefault(place[i], ([], []))[0 if user[i] else 1].append(row)
    out = shipped | user
    notes: dict[str, list[dict]] = {"demote": [], "lossy": [], "months": []}
    for key, (imports, rows) in groups.items():
        if rows:
            aside, replaced = _settle(imports, rows, cover, notes, int(key[0]))
            out[aside] = False
            out[replaced] = False
    _announce(notes)
    return pd.Series(out, index=work.index)


def _overlap(u: _Row, s: _Row) -> bool:
    return (u.month == s.month or u.month == 0 or s.month == 0) and bool(u.cov & s.cov)


def _settle(
    imports: list[_Row], rows: list[_Row], cover: ProductCover, notes: dict, year: int
) -> tuple[list[int], list[int]]:
    """One place and year: (import rows kept aside, shipped rows replaced)."""

    def note(over: list[_Row], s: _Row, missing: Iterable[str]) -> dict:
        users, reports = {u.src for u in over}, {u.p for u in over}
        return {"users": users, "reports": reports, "shipped": {s.src}, "products": {s.p},
                "year": year, "missing": set(missing)}  # fmt: skip

    aside: set[int] = set()
    changed = True
    while changed:  # an import holding part of a whole is set aside, which may leave others short
        changed = False
        for s in rows:
            over = [u for u in imports if u.i not in aside and _overlap(u, s)]
            held = cover.closure(frozenset().union(*(u.cov for u in over)))
            if over and s.p not in held:
                notes["demote"].append(note(over, s, cover.whole.get(s.p, {s.p}) - held))
                aside |= {u.i for u in over}
                changed = True
    replaced = []
    for s in rows:
        over = [u for u in imports if u.i not in aside and _overlap(u, s)]
        if not over:
            continue
        if s.month == 0 and min(u.month for u in over) > 0 and len({u.month for u in over}) < 12:
            notes["months"].append(note(over, s, ()))
            aside |= {u.i for u in over}
            continue
        replaced.append(s.i)
        lost = s.cov - cover.closure(frozenset().union(*(u.cov for u in over)))
        if lost:
            notes["lossy"].append(note(over, s, lost))
    return sorted(aside), replaced


_TOLD = {
    "demote": "{shipped} report {products} whole, which the import holds only in part (it "
    "lacks {missing}): {products} stay preferred for {years} and the import's rows of those "
    "years are kept but not preferred (import the missing products too to replace them)",
    "lossy": "it replaces the rows of {shipped} for {products} in {years}; those also held "
    "{missing}, which the import does not report and which are therefore not counted for "
    "those years (import them too to count them)",
    "months": "its monthly rows beside the year total of {shipped} for {products} in {years} "
    "are not all twelve months: the year total is used and the months are kept for "
    "comparison (months replace a year only when they are all twelve)",
}


def _announce(notes: dict[str, list[dict]]) -> None:
    """One warning per import and outcome: file, products and years, and what was left out."""
    files = _file_names({u for kind in notes.values() for n in kind for u in n["users"]})
    for kind, told in _TOLD.items():
        by_user: dict[str, list[dict]] = {}
        for n in notes[kind]:
            for user in sorted(n["users"]):
                by_user.setdefault(user, []).append(n)
        for user, mine in by_user.items():

            def join(field: str, mine: list[dict] = mine) -> str:
                return ", ".join(sorted({str(v) for n in mine for v in n[field]}))

            years = ", ".join(str(y) for y in sorted({n["year"] for n in mine}))
            text = told.format(
                shipped=join("shipped"), products=join("products"),
                missing=join("missing"), years=years,
            )  # fmt: skip
            warnings.warn(
                f"the import {user!r} (file {files.get(user, '?')!r}) reports "
                f"{join('reports')}; {text}",
                HilirDataWarning,
                stacklevel=caller_stacklevel(),
            )


def _file_names(sources: set[str]) -> dict[str, str]:
    """The file name of each user import (from its sidecar), where it can be found."""
    if not sources:
        return {}
    try:
        from hilir.provenance.catalog import input_records

        return {r.key: r.data_path.name for r in input_records() if r.key in sources}
    except (HilirDataError, OSError):
        return {}
