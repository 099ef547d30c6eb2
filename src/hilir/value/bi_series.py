"""Chain export series from Bank Indonesia's commodity groups, where the mapping is sound.

Bank Indonesia's "Exports by Sector" table (Form 18-K/A 2025, Exhibit 99.D) runs to 2024
(preliminary) and January-May 2025, past the HS and FAOSTAT series shipped with hilir (which
stop in 2020). Its lines are **balance-of-payments commodity groups, not HS codes**. The
reference table ``hilir/refdata/bi_groups.csv`` maps each group to a chain, a stage and the
registry products it covers, and says whether the mapping is sound (the group lies in one
chain and one registry stage, or a declared ``mixed`` stage, as FAOSTAT palm oil does). Only
sound groups make a series here; every row says its basis, so a chart or a sentence that
uses them can say so.

Pure functions of frames: the Bank Indonesia rows come from
:func:`hilir.data.load.load_bi_exports` (or any frame of the same columns).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from hilir.checks import as_list, require_columns
from hilir.errors import HilirDataError
from hilir.refdata import read_refdata, refdata_label
from hilir.registry.tables import chain_table, products

#: Written on every row of :func:`bi_chain_series`.
BASIS = "Bank Indonesia commodity groups (BoP), not HS"
#: The citation of the figures.
CITATION = "Republic of Indonesia Form 18-K/A Exh. 99.D (2025), Bank Indonesia"

GROUP_COLUMNS = (
    "commodity",
    "chain",
    "stage",
    "products",
    "approx_hs",
    "coverage",
    "sound",
    "note",
)
_STAGES = ("raw", "intermediate", "processed", "mixed")
_BI_COLUMNS = ("year", "period", "commodity", "value_usd", "preliminary", "source")

__all__ = [
    "BASIS",
    "CITATION",
    "bi_chain_series",
    "bi_groups",
    "bi_trade_series",
    "validate_bi_groups",
]


def bi_groups() -> pd.DataFrame:
    """The shipped mapping of Bank Indonesia commodity groups to chains and stages.

    Returns
    -------
    pandas.DataFrame
        One row per group: ``commodity`` (as Bank Indonesia prints it), ``chain``, ``stage``
        (``raw``, ``intermediate``, ``processed`` or ``mixed``), ``products`` (registry
        products the group covers, ``;``-joined, empty when none is matched), ``approx_hs``
        (the HS codes the group is close to: an approximation, never a mapping key),
        ``coverage`` (``whole``: the group holds all of its products; ``part``: only part
        of them), ``sound`` (bool) and ``note`` (the reason, with the cross-checks).

    Examples
    --------
    >>> g = bi_groups().set_index("commodity")
    >>> g.loc["Coffee bean", ["chain", "stage"]].tolist(), bool(g.loc["Coffee bean", "sound"])
    (['coffee', 'raw'], True)
    >>> bool(g.loc["Iron/steel", "sound"])
    False
    """
    return validate_bi_groups(read_refdata("bi_groups.csv", GROUP_COLUMNS))


def validate_bi_groups(
    groups: pd.DataFrame, *, path: str = refdata_label("bi_groups.csv")
) -> pd.DataFrame:
    """Check a mapping table against the registry and return it with ``sound`` as bool.

    Parameters
    ----------
    groups : pandas.DataFrame
        Text cells with the columns of :data:`GROUP_COLUMNS` (and ``_row``, the line number,
        when read from a file).
    path : str
        How errors name the table.

    Returns
    -------
    pandas.DataFrame
        The table with ``sound`` as bool, without ``_row``.

    Raises
    ------
    HilirDataError
        A missing column; the same commodity twice; an unknown chain or stage; ``sound`` or
        ``coverage`` outside yes/no and whole/part; a product not in the chain, or of another
        stage than a one-stage group's; a sound group without products or note.
    """
    require_columns(groups, GROUP_COLUMNS, path)
    df = groups.copy()
    rows = df["_row"] if "_row" in df.columns else pd.Series(range(2, len(df) + 2), df.index)
    known_chains = set(chain_table()["chain"])
    prod = products().set_index("product")
    seen: set[str] = set()
    for idx in df.index:
        row = int(rows.loc[idx])

        def fail(message: str, column: str, row: int = row) -> HilirDataError:
            return HilirDataError(message, path=path, row=row, column=column)

        name, chain, stage = (str(df.at[idx, c]).strip() for c in ("commodity", "chain", "stage"))
        if not name or name in seen:
            raise fail(f"commodity {name!r} is blank or listed twice", "commodity")
        seen.add(name)
        if chain not in known_chains:
            raise fail(f"unknown chain {chain!r}", "chain")
        if stage not in _STAGES:
            raise fail(f"stage {stage!r} is not one of {list(_STAGES)}", "stage")
        if str(df.at[idx, "sound"]).strip() not in ("yes", "no"):
            raise fail("sound must be yes or no", "sound")
        if str(df.at[idx, "coverage"]).strip() not in ("whole", "part"):
            raise fail("coverage must be whole or part", "coverage")
        items = [p.strip() for p in str(df.at[idx, "products"]).split(";") if p.strip()]
        for item in items:
            if item not in prod.index or prod.at[item, "chain"] != chain:
                raise fail(f"product {item!r} is not a product of chain {chain!r}", "products")
            if stage != "mixed" and prod.at[item, "stage"] != stage:
                raise fail(
                    f"product {item!r} is {prod.at[item, 'stage']}, the group says {stage}",
                    "products",
                )
        if df.at[idx, "sound"].strip() == "yes" and (not items or not df.at[idx, "note"].strip()):
            raise fail("a sound group needs its products and a note with the reason", "products")
    df["sound"] = df["sound"].str.strip().eq("yes")
    return df.drop(columns="_row", errors="ignore").reset_index(drop=True)


def bi_chain_series(
    bi: pd.DataFrame,
    groups: pd.DataFrame | None = None,
    *,
    chain: str | Iterable[str] | None = None,
    period: str = "annual",
) -> pd.DataFrame:
    """Per chain, the export value of each soundly mapped Bank Indonesia group, by year.

    Parameters
    ----------
    bi : pandas.DataFrame
        Bank Indonesia rows (:func:`hilir.data.load.load_bi_exports`): ``year, period,
        commodity, value_usd`` (US dollars), ``preliminary``, ``source``.
    groups : pandas.DataFrame, optional
        A mapping (:func:`bi_groups`, the default); only its sound rows are used.
    chain : str or iterable of str, optional
        Keep these chains; a chain with no sound group is an error, not an empty result.
    period : str, default "annual"
        ``"annual"`` (2020-2024) or a partial period such as ``"jan-may"`` (2024 and 2025,
        never to be compared with a full year).

    Returns
    -------
    pandas.DataFrame
        One row per chain, group and year: ``chain, stage, commodity, products, coverage,
        year, period, value_usd`` (current US dollars), ``preliminary``, ``basis``
        (:data:`BASIS`), ``citation`` (:data:`CITATION`), ``source``, ``note``. Sort order:
        chain, stage, commodity, year. Add up rows of one stage only; a ``part`` group holds
        only some of its products (see ``note``), so never label it the chain's exports.

    Raises
    ------
    HilirDataError
        Missing columns; a sound group absent from ``bi``; an unknown chain or period.

    Examples
    --------
    >>> bi = pd.DataFrame({"year": [2020], "period": ["annual"], "commodity": ["Coffee bean"],
    ...                    "value_usd": [808_635_000.0], "preliminary": [False],
    ...                    "source": ["bi_exports_by_commodity"]})
    >>> s = bi_chain_series(bi, chain="coffee")
    >>> s.loc[0, ["stage", "basis"]].tolist(), float(s.loc[0, "value_usd"])
    (['raw', 'Bank Indonesia commodity groups (BoP), not HS'], 808635000.0)
    """
    require_columns(bi, _BI_COLUMNS, "Bank Indonesia exports")
    mapping = bi_groups() if groups is None else groups
    sound = mapping[mapping["sound"].astype(bool)]
    wanted = as_list(chain)
    if wanted is not None:
        unknown = sorted(set(wanted) - set(sound["chain"]))
        if unknown:
            have = ", ".join(sorted(sound["chain"].unique()))
            raise HilirDataError(f"no sound Bank Indonesia group for chain(s) {unknown}; {have}")
        sound = sound[sound["chain"].isin(wanted)]
    if period not in set(bi["period"]):
        have = ", ".join(sorted(map(str, bi["period"].unique())))
        raise HilirDataError(f"no period {period!r} in the Bank Indonesia rows; available: {have}")
    rows = bi[bi["period"].eq(period)]
    absent = sorted(set(sound["commodity"]) - set(rows["commodity"]))
    if absent:
        raise HilirDataError(
            f"sound Bank Indonesia group(s) {absent} not in the data: was the table renamed?"
        )
    cols = ["chain", "stage", "commodity", "products", "coverage", "note"]
    out = rows.merge(sound[cols], on="commodity", how="inner", validate="many_to_one")
    out = out.assign(basis=BASIS, citation=CITATION)
    order = ["chain", "stage", "commodity", "products", "coverage", "year", "period"]
    order += ["value_usd", "preliminary", "basis", "citation", "source", "note"]
    return out[order].sort_values(["chain", "stage", "commodity", "year"]).reset_index(drop=True)


def bi_trade_series(
    bi: pd.DataFrame,
    commodity: str,
    groups: pd.DataFrame | None = None,
    *,
    period: str = "annual",
) -> pd.DataFrame:
    """One soundly mapped group as a series shaped like :func:`hilir.policy.trade_series`.

    So a chart can draw it beside (or after) an HS/FAOSTAT series of the same products,
    with the basis and the preliminary flag kept on every row.

    Parameters
    ----------
    bi : pandas.DataFrame
        Bank Indonesia rows (:func:`hilir.data.load.load_bi_exports`).
    commodity : str
        A sound group of the mapping ("Coffee bean", "Palm oils", "Crumb rubber" ...).
    groups : pandas.DataFrame, optional
        The mapping (:func:`bi_groups` by default).
    period : str, default "annual"
        As in :func:`bi_chain_series`.

    Returns
    -------
    pandas.DataFrame
        ``year, month`` (NA: annual or a stated partial period), ``value`` (US dollars),
        ``unit`` ("USD"), ``source``, ``preliminary``, ``basis``, ``chain``, ``stage``,
        ``coverage``; sorted by year.

    Raises
    ------
    HilirDataError
        A group that is not mapped, or not soundly (Iron/steel is context, not a series).

    Examples
    --------
    >>> bi = pd.DataFrame({"year": [2020, 2024], "period": ["annual"] * 2,
    ...                    "commodity": ["Palm oils"] * 2,
    ...                    "value_usd": [18_390_249_000.0, 21_528_367_000.0],
    ...                    "preliminary": [False, True], "source": ["bi_exports_by_commodity"] * 2})
    >>> bi_trade_series(bi, "Palm oils")[["year", "value", "preliminary"]].to_dict("list")
    {'year': [2020, 2024], 'value': [18390249000.0, 21528367000.0], 'preliminary': [False, True]}
    """
    mapping = bi_groups() if groups is None else groups
    row = mapping[mapping["commodity"].eq(commodity)]
    if row.empty or not bool(row["sound"].iloc[0]):
        sound = ", ".join(mapping.loc[mapping["sound"].astype(bool), "commodity"])
        why = "is not mapped" if row.empty else "is not soundly mapped (context only)"
        raise HilirDataError(f"Bank Indonesia group {commodity!r} {why}; sound groups: {sound}")
    chain = str(row["chain"].iloc[0])
    s = bi_chain_series(bi, mapping, chain=chain, period=period)
    s = s[s["commodity"].eq(commodity)]
    out = pd.DataFrame(
        {
            "year": s["year"].astype(int).to_numpy(),
            "month": pd.array([pd.NA] * len(s), dtype="Int64"),
            "value": s["value_usd"].astype(float).to_numpy(),
            "unit": "USD",
            "source": s["source"].astype(str).to_numpy(),
            "preliminary": s["preliminary"].astype(bool).to_numpy(),
            "basis": BASIS,
            "chain": chain,
            "stage": s["stage"].astype(str).to_numpy(),
            "coverage": s["coverage"].astype(str).to_numpy(),
        }
    )
    return out.sort_values("year").reset_index(drop=True)
