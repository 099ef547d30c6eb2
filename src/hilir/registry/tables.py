"""The commodity-chain registry: chains, products, codes, conversion factors, source precedence.

The registry is package data (``hilir/refdata/*.csv``, column dictionary in
``hilir/refdata/README.md``) validated on load. Each chain lists its products; each product
sits at a stage (``raw``, ``intermediate``, ``processed``, or ``mixed`` for a source item that
spans stages), carries the HS codes (with the HS revisions in which each exists) and source
item codes (FAOSTAT) it covers, and a raw-equivalent conversion factor with a low / central /
high range and a citation, or an explicit ``none`` with the reason.

Users add rows with ``extra=``: a folder holding any of ``chains.csv``, ``products.csv``,
``product_codes.csv``, ``factors.csv``, ``preferred_sources.csv``, or one such file (its name
may carry a prefix, ``my_products.csv``). Added rows pass the same checks as the shipped ones.

Examples
--------
>>> import hilir
>>> reg = hilir.chains()
>>> reg.loc[reg["product"] == "coffee_roasted", "factor_central"].item()
1.19
>>> from hilir.registry.tables import factor_for
>>> float(factor_for("ferronickel", 2019)["central"])
13.0
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from hilir.errors import HilirDataError
from hilir.registry.files import COLUMNS, OPTIONAL, PathArg, refdata_dir
from hilir.registry.mapping import map_products
from hilir.registry.rules import KINDS, METHODS, RELIABILITY, STAGES, SYSTEMS
from hilir.registry.validate import Registry, validate_registry

__all__ = [
    "COLUMNS",
    "KINDS",
    "METHODS",
    "OPTIONAL",
    "RELIABILITY",
    "STAGES",
    "SYSTEMS",
    "Registry",
    "chain_table",
    "chains",
    "factor_for",
    "factors",
    "map_products",
    "preferred_sources",
    "product_codes",
    "products",
    "refdata_dir",
    "validate_registry",
]


def chain_table(*, extra: PathArg | None = None) -> pd.DataFrame:
    """Chains: ``chain, name_id, name_en, kind ('agro'|'mineral'), raw_only, raw_product, note``."""
    return validate_registry(extra=extra).chains.copy()


def products(*, extra: PathArg | None = None) -> pd.DataFrame:
    """Products: ``product, chain, stage, name_id, name_en, note, raw_product``.

    ``raw_product`` names the raw product whose tonnes the product's factor counts (its line
    in a chain with several raw products, such as spices); empty for essential oils.
    """
    return validate_registry(extra=extra).products.copy()


def product_codes(*, extra: PathArg | None = None) -> pd.DataFrame:
    """Codes: ``product, system ('HS'|'FAOSTAT'), code, revisions, note``.

    HS codes are zero-padded text (4 or 6 digits); ``revisions`` lists the HS revisions in
    which the code exists (``"HS1992;HS1996;...;HS2022"``), empty for FAOSTAT items.
    """
    return validate_registry(extra=extra).product_codes.copy()


def factors(*, extra: PathArg | None = None) -> pd.DataFrame:
    """Raw-equivalent factors, one row per product and year range.

    Returns
    -------
    pandas.DataFrame
        ``product, year_from, year_to`` (Int64, NA = open), ``low, central, high`` (float,
        tonnes of raw product per tonne of product on the raw product's basis; NaN when
        ``method == 'none'``), ``basis, method ('fixed'|'estimate_by_year'|'none'),
        reason_if_none, source, reliability ('high'|'medium'|'low'), note``.
    """
    return validate_registry(extra=extra).factors.copy()


def preferred_sources(*, extra: PathArg | None = None) -> pd.DataFrame:
    """Source precedence, one row per chain or product, source and year range.

    Columns ``chain, product ('' = whole chain), source, year_from, year_to, rank, reason``.
    Rank 1 is preferred; a flow reported by two sources is counted once, from the better rank.
    """
    return validate_registry(extra=extra).preferred_sources.copy()


def factor_for(product: str, year: int, *, extra: PathArg | None = None) -> pd.Series:
    """The factor row of a product that covers a year.

    Parameters
    ----------
    product : str
        Registry product key.
    year : int
        Calendar year.
    extra : str or os.PathLike, optional
        User registry rows (see :func:`validate_registry`).

    Returns
    -------
    pandas.Series
        One row of :func:`factors` (``low, central, high`` in t raw product per t product).

    Raises
    ------
    HilirDataError
        Unknown product, or no factor row covers ``year``.
    """
    fa = validate_registry(extra=extra).factors
    rows = fa[fa["product"] == product]
    if rows.empty:
        raise HilirDataError(f"unknown product {product!r}")
    hit = rows[
        (rows["year_from"].isna() | (rows["year_from"] <= year))
        & (rows["year_to"].isna() | (rows["year_to"] >= year))
    ]
    if hit.empty:
        raise HilirDataError(f"no factor row of {product!r} covers {year}")
    return hit.iloc[0].copy()


def _current_factor(fa: pd.DataFrame) -> pd.DataFrame:
    """Per product: the year-independent row, else the most recent year-split row."""
    order = fa.assign(_k=fa["year_from"].astype("float64").fillna(-np.inf))
    order = order.sort_values(["product", "_k"], kind="stable")
    return order.groupby("product", sort=False).tail(1).set_index("product")


def _join_codes(codes: pd.Series) -> str:
    return ";".join(sorted({str(c) for c in codes}))


def _join_numbers(codes: pd.Series) -> str:  # FAOSTAT item codes sort as numbers
    return ";".join(sorted({str(c) for c in codes}, key=int))


def chains(*, extra: PathArg | None = None) -> pd.DataFrame:
    """The registry as one tidy table, one row per product.

    Parameters
    ----------
    extra : str or os.PathLike, optional
        User rows (see the module docstring).

    Returns
    -------
    pandas.DataFrame
        ``chain, chain_name_id, chain_name_en, product, stage, name_id, name_en, hs_codes``
        (";"-joined), ``item_codes`` (";"-joined FAOSTAT items), ``factor_low,
        factor_central, factor_high`` (t raw product per t product), ``factor_basis,
        factor_method, factor_source``: the year-independent factor, or the most recent
        year-split row (see :func:`factor_for` for a given year).
    """
    reg = validate_registry(extra=extra)
    out = reg.products.merge(
        reg.chains[["chain", "name_id", "name_en"]].rename(
            columns={"name_id": "chain_name_id", "name_en": "chain_name_en"}
        ),
        on="chain",
        how="left",
    )
    pc = reg.product_codes
    for system, col in (("HS", "hs_codes"), ("FAOSTAT", "item_codes")):
        codes = pc[pc["system"] == system]
        join = _join_numbers if system == "FAOSTAT" else _join_codes
        joined = codes.groupby("product")["code"].agg(join)
        out[col] = out["product"].map(joined).fillna("")
    cur = _current_factor(reg.factors)
    for col in ("low", "central", "high", "basis", "method", "source"):
        out["factor_" + col] = out["product"].map(cur[col])
    cols = [
        "chain",
        "chain_name_id",
        "chain_name_en",
        "product",
        "stage",
        "name_id",
        "name_en",
        "hs_codes",
        "item_codes",
        "factor_low",
        "factor_central",
        "factor_high",
        "factor_basis",
        "factor_method",
        "factor_source",
    ]
    return out[cols].reset_index(drop=True)
