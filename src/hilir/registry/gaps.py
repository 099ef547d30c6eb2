"""What each chain lacks in the shipped data: key products with no export series.

``hilir/refdata/chain_gaps.csv`` lists, chain by chain, the products that matter to the
chain's story but have no rows in the shipped export data (nickel matte, HS 7501.10,
exported by PT Inco/Vale from Sorowako since 1978, is missing from the UN Comtrade nickel
file), each with its HS code, the years it was traded, why it matters and a citation. A
brief's finding about the chain names these gaps in the sentence itself
(:func:`hilir.brief.narrative.processing_share_change`). The table is validated on first
read: unknown chains or products, a product of another chain, an HS code the product does
not hold, bad years or a missing citation raise :class:`~hilir.errors.HilirDataError`
naming file, row and column.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from hilir.errors import HilirDataError
from hilir.hs import normalise_hs_code
from hilir.refdata import read_refdata, refdata_label

__all__ = ["GAP_COLUMNS", "chain_gaps", "validate_gaps"]

_FILE = "chain_gaps.csv"
#: Columns of the gap table, in order.
GAP_COLUMNS = ("chain", "product", "hs_code", "year_from", "year_to", "why", "source")
_OPTIONAL = frozenset({"year_from", "year_to"})


def _year(text: str, *, path: str, row: int, column: str) -> int | None:
    if text == "":
        return None
    if not text.isdigit() or not 1900 <= int(text) <= 2100:
        raise HilirDataError(f"{text!r} is not a year", path=path, row=row, column=column)
    return int(text)


def _check_row(rec: dict, prods: pd.DataFrame, codes: pd.DataFrame, path: str) -> dict:
    """One validated gap row (text cells in, typed values out)."""
    row = int(rec["_row"])
    for col in GAP_COLUMNS:
        if col not in _OPTIONAL and rec[col] == "":
            raise HilirDataError("value is missing", path=path, row=row, column=col)
    hit = prods[prods["product"] == rec["product"]]
    if hit.empty:
        raise HilirDataError(
            f"unknown product {rec['product']!r}", path=path, row=row, column="product"
        )
    if str(hit["chain"].iloc[0]) != rec["chain"]:
        raise HilirDataError(
            f"{rec['product']!r} is not in chain {rec['chain']!r} (it is in "
            f"{hit['chain'].iloc[0]!r})",
            path=path,
            row=row,
            column="chain",
        )
    try:
        code, _ = normalise_hs_code(rec["hs_code"], warn=False)
    except HilirDataError as exc:
        raise HilirDataError(exc.reason, path=path, row=row, column="hs_code") from None
    own = codes[(codes["product"] == rec["product"]) & (codes["system"] == "HS")]["code"]
    if not any(code.startswith(c) or c.startswith(code) for c in own.astype(str)):
        raise HilirDataError(
            f"HS {code} is not a code of {rec['product']!r} (its codes: {sorted(own)})",
            path=path,
            row=row,
            column="hs_code",
        )
    y0 = _year(rec["year_from"], path=path, row=row, column="year_from")
    y1 = _year(rec["year_to"], path=path, row=row, column="year_to")
    if y0 is not None and y1 is not None and y0 > y1:
        raise HilirDataError("year_to is before year_from", path=path, row=row, column="year_to")
    out = {c: rec[c] for c in GAP_COLUMNS}
    out.update(hs_code=code, year_from=y0, year_to=y1)
    return out


def validate_gaps(df: pd.DataFrame, *, path: str = refdata_label(_FILE)) -> pd.DataFrame:
    """Check a gap table against the registry and return it typed.

    Parameters
    ----------
    df : pandas.DataFrame
        Text cells in the layout of :data:`GAP_COLUMNS`; ``_row`` (file line) optional.
    path : str
        The file, for error messages.

    Returns
    -------
    pandas.DataFrame
        ``chain, product, hs_code`` (normalised digits), ``year_from, year_to`` (Int64,
        NA = open), ``why, source``.

    Raises
    ------
    HilirDataError
        Naming file, row and column: a missing column or cell, an unknown product, a
        product of another chain, an HS code the product does not hold, a bad year, or a
        product listed twice for one chain.
    """
    from hilir.registry.tables import product_codes, products

    missing = [c for c in GAP_COLUMNS if c not in df.columns]
    if missing:
        raise HilirDataError(f"missing column(s) {missing}", path=path, column=missing[0])
    work = df.copy()
    if "_row" not in work.columns:
        work["_row"] = range(2, len(work) + 2)
    for col in GAP_COLUMNS:
        work[col] = work[col].fillna("").astype(str).str.strip()
    prods, codes = products(), product_codes()
    rows, seen = [], set()
    for rec in work.to_dict("records"):
        out = _check_row(rec, prods, codes, path)
        key = (out["chain"], out["product"])
        if key in seen:
            raise HilirDataError(
                f"{out['product']!r} is listed twice for chain {out['chain']!r}",
                path=path,
                row=int(rec["_row"]),
                column="product",
            )
        seen.add(key)
        rows.append(out)
    res = pd.DataFrame(rows, columns=list(GAP_COLUMNS))
    for col in ("year_from", "year_to"):
        res[col] = pd.array(res[col].tolist(), dtype="Int64")
    return res


@cache
def _shipped() -> pd.DataFrame:
    return validate_gaps(read_refdata(_FILE, GAP_COLUMNS))


def chain_gaps(
    chain: str | None = None,
    *,
    years: tuple[int, int] | None = None,
    exports: pd.DataFrame | None = None,
    gaps: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Products a chain lacks in the shipped export data, with HS code, reason and citation.

    Parameters
    ----------
    chain : str, optional
        Registry chain key; default every chain.
    years : (int, int), optional
        Keep gaps whose trading years (``year_from`` to ``year_to``, open ends) overlap
        this span, so a finding about 1989-2020 does not name a product first exported in
        2021.
    exports : pandas.DataFrame, optional
        Export rows (``chain, product``): a listed product that has rows here is not a gap
        of these data and is dropped.
    gaps : pandas.DataFrame, optional
        A validated table in the :func:`validate_gaps` layout (default the shipped one).

    Returns
    -------
    pandas.DataFrame
        ``chain, product, hs_code, year_from, year_to, why, source`` (a copy).

    Examples
    --------
    >>> g = chain_gaps("nickel", years=(1989, 2020))
    >>> g[["product", "hs_code", "year_from"]].to_dict("records")
    [{'product': 'nickel_matte', 'hs_code': '750110', 'year_from': 1978}]
    """
    out = (_shipped() if gaps is None else gaps).copy()
    if chain is not None:
        out = out[out["chain"] == chain]
    if years is not None:
        y0, y1 = (int(y) for y in years)
        starts = out["year_from"].fillna(y1).astype("int64")
        ends = out["year_to"].fillna(y0).astype("int64")
        out = out[(starts <= y1) & (ends >= y0)]
    if exports is not None and not exports.empty:
        have = exports[["chain", "product"]].dropna().astype(str).drop_duplicates()
        have_keys = set(zip(have["chain"], have["product"], strict=True))
        keep = [(c, p) not in have_keys for c, p in zip(out["chain"], out["product"], strict=True)]
        out = out[keep]
    return out.reset_index(drop=True)
