"""Map tidy trade rows to registry chains, products and stages.

HS rows match the longest registry code that is a prefix of the row's ``hs_code``: a BPS
eight-digit ``09011110`` matches ``090111`` (green coffee), a Comtrade heading row ``2604``
matches the product claiming ``2604`` (nickel ore). Only codes that exist in the row's HS
revision are considered when the row has one. Rows of sources with their own item codes
(FAOSTAT: ``hs_code == ""``) match on ``item_code``. Unmatched rows are kept with empty
chain, product and stage, and one :class:`~hilir.errors.HilirDataWarning` lists their codes.
"""

from __future__ import annotations

import warnings
from os import PathLike

import pandas as pd

from hilir.errors import HilirDataError, HilirDataWarning, caller_stacklevel
from hilir.hs import REVISIONS, revision_for_year, revision_from_comtrade

__all__ = ["map_products"]

_ADDED = ("chain", "product", "stage")


def _text(df: pd.DataFrame, column: str) -> pd.Series:
    if column not in df.columns:
        return pd.Series("", index=df.index, dtype="object")
    col = df[column]
    return col.astype("object").where(col.notna(), "").astype(str).str.strip()


def _revisions(df: pd.DataFrame) -> pd.Series:
    """Each row's HS revision (``HS1992`` ... ``HS2022``) or ``""`` when unknown."""
    raw = _text(df, "hs_revision")
    out = raw.copy()
    for value in raw[raw != ""].unique():
        if value in REVISIONS:
            continue
        try:
            rev = revision_from_comtrade(value)
        except HilirDataError:
            raise HilirDataError(
                f"unknown HS revision {value!r} (expected HS1992 ... HS2022)", column="hs_revision"
            ) from None
        out[raw == value] = rev
    return out


def _match_hs(
    code: str, revision: str, year_rev: str, index: dict[str, list[tuple[str, frozenset[str]]]]
) -> tuple[str | None, str]:
    """Product of one HS code, and ``""`` or the reason it is unmatched."""
    if not code.isdigit():
        return None, "not an HS code"
    for k in range(len(code), 1, -1):
        cands = index.get(code[:k], [])
        if revision:
            cands = [c for c in cands if revision in c[1]]
        products = {p for p, _ in cands}
        if len(products) > 1 and year_rev:
            products = {p for p, revs in cands if year_rev in revs}
        if len(products) == 1:
            return products.pop(), ""
        if len(products) > 1:
            return None, f"ambiguous ({', '.join(sorted(products))}); give hs_revision"
    return None, ""


def map_products(df: pd.DataFrame, *, extra: str | PathLike[str] | None = None) -> pd.DataFrame:
    """Add the registry's ``chain``, ``product`` and ``stage`` to a tidy trade frame.

    Parameters
    ----------
    df : pandas.DataFrame
        Trade rows with ``hs_code`` (zero-padded text; ``""`` for sources with their own item
        codes) and, optionally, ``item_code`` (FAOSTAT item, e.g. ``"656"``),
        ``hs_revision`` (``HS1992`` ... ``HS2022``) and ``year``.
    extra : str or os.PathLike, optional
        User registry rows (see :func:`hilir.registry.tables.validate_registry`).

    Returns
    -------
    pandas.DataFrame
        A copy of ``df`` with ``chain``, ``product`` and ``stage`` (string; NA where no
        registry product matches). Existing columns of those names are replaced.

    Raises
    ------
    HilirDataError
        If ``df`` has neither ``hs_code`` nor ``item_code``, or an unknown ``hs_revision``.

    Warns
    -----
    HilirDataWarning
        Once, listing the codes of unmatched rows (they are kept, never dropped).

    Notes
    -----
    Matching is by longest prefix among the registry codes that exist in the row's HS
    revision. Without ``hs_revision`` every revision's codes are candidates; if two products
    claim the matching code in different revisions, the revision in force in ``year``
    (:func:`hilir.hs.revision_for_year`) decides, and a row that stays ambiguous is left
    unmatched.

    Examples
    --------
    >>> import pandas as pd
    >>> from hilir.registry.tables import map_products
    >>> rows = pd.DataFrame({"hs_code": ["09011110", "2604", ""], "item_code": ["", "", "659"]})
    >>> map_products(rows)[["product", "stage"]].to_numpy().tolist()
    [['coffee_green', 'raw'], ['nickel_ore', 'raw'], ['coffee_extracts_mixed', 'processed']]
    """
    from hilir.registry.validate import validate_registry

    if "hs_code" not in df.columns and "item_code" not in df.columns:
        raise HilirDataError("trade frame needs an hs_code or item_code column", column="hs_code")
    reg = validate_registry(extra=extra)
    codes = reg.product_codes
    index: dict[str, list[tuple[str, frozenset[str]]]] = {}
    for row in codes[codes["system"] == "HS"].itertuples(index=False):
        index.setdefault(row.code, []).append((row.product, frozenset(row.revisions.split(";"))))
    fao_rows = codes[codes["system"] == "FAOSTAT"]
    fao = dict(zip(fao_rows["code"], fao_rows["product"], strict=True))

    work = df.reset_index(drop=True)  # positional: the caller's index may repeat labels
    hs, item, rev = _text(work, "hs_code"), _text(work, "item_code"), _revisions(work)
    year_rev = pd.Series("", index=work.index, dtype="object")
    if "year" in work.columns:
        years = pd.to_numeric(work["year"], errors="coerce")
        known = years.notna()
        year_rev[known] = [revision_for_year(int(y)) for y in years[known]]
    keys = pd.DataFrame({"hs": hs, "item": item, "rev": rev, "yrev": year_rev})
    product = pd.Series(pd.NA, index=work.index, dtype="object")
    unmatched: dict[str, str] = {}
    groups = keys.groupby(["hs", "item", "rev", "yrev"], sort=True).groups
    for (h, it, r, yr), idx in groups.items():
        if h:
            found, why = _match_hs(h, r, "" if r else yr, index)
            label = f"HS {h}" + (f" ({r})" if r else "")
        elif it:
            found = fao.get(str(int(it))) if it.isdigit() else None
            why, label = "", f"item {it}"
        else:
            found, why, label = None, "", "(no code)"
        if found is None:
            unmatched[label] = why
        else:
            product[idx] = found
    out = df.copy()
    prods = reg.products.set_index("product")
    for col, values in (
        ("product", product),
        ("chain", product.map(prods["chain"])),
        ("stage", product.map(prods["stage"])),
    ):
        out[col] = pd.Series(values.to_numpy(), index=out.index, dtype="string")
    out = out[[c for c in out.columns if c not in _ADDED] + list(_ADDED)]
    if unmatched:
        n = int(out["product"].isna().sum())
        listed = ", ".join(k + (f" [{v}]" if v else "") for k, v in sorted(unmatched.items()))
        warnings.warn(
            f"{n} row(s) match no registry product and keep an empty chain/product/stage: "
            f"{listed}. Add rows to the registry (extra=) if they belong to a chain.",
            HilirDataWarning,
            stacklevel=caller_stacklevel(),
        )
    return out
