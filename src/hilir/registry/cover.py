"""Aggregates and the finer products they hold (``refdata/product_cover.csv``).

One source's product can hold another source's finer products: FAOSTAT item 659 is HS
2101.11 soluble coffee plus 2101.12 coffee mixes; FAOSTAT item 656 (``coffee_green``) also
holds decaffeinated green coffee, which HS reports apart as 0901.12. The cover table says
so, row by row with its basis, and :class:`ProductCover` answers the questions source
precedence (:mod:`hilir.data.precedence`) asks: which products does a row hold, which
products form one family (never both preferred for the same flow), and does a set of
products make an aggregate whole.

Examples
--------
>>> from hilir.registry.cover import product_cover
>>> cover = product_cover()
>>> sorted(cover.row_cover("coffee_green", "FAOSTAT"))
['coffee_green', 'coffee_green_decaf']
>>> "coffee_extracts_mixed" in cover.closure({"coffee_soluble", "coffee_preparations"})
True
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

import pandas as pd

from hilir.errors import HilirDataError

COVER_FILE = "product_cover.csv"
COVER_COLUMNS = ("product", "system", "parts", "complete", "basis")
__all__ = ["COVER_COLUMNS", "COVER_FILE", "ProductCover", "product_cover", "read_product_cover"]


@dataclass(frozen=True)
class ProductCover:
    """Which products hold which (``refdata/product_cover.csv``, validated).

    Attributes
    ----------
    holds : Mapping[tuple[str, str], frozenset[str]]
        ``(product, system) -> parts``: the rows of ``product`` reported in ``system``
        (``"HS"`` or ``"FAOSTAT"``; ``""`` = any system) also hold these products.
    whole : Mapping[str, frozenset[str]]
        Aggregates that are exactly the sum of their parts (``complete`` true).
    family : Mapping[str, str]
        Product -> its family key (the products linked by cover rows); products not named
        are their own family.
    """

    holds: Mapping[tuple[str, str], frozenset[str]]
    whole: Mapping[str, frozenset[str]]
    family: Mapping[str, str]

    def row_cover(self, product: str, system: str) -> frozenset[str]:
        """The products a row of ``product`` reported in ``system`` holds (itself included)."""
        out, todo = {product}, [(product, system)]
        while todo:
            prod, sys_ = todo.pop()
            for part in self.holds.get((prod, sys_), frozenset()) | self.holds.get(
                (prod, ""), frozenset()
            ):
                if part not in out:
                    out.add(part)
                    todo.append((part, ""))
        return frozenset(out)

    def closure(self, held: Iterable[str]) -> frozenset[str]:
        """``held`` plus every aggregate whose parts (complete) are all held."""
        out = set(held)
        grew = True
        while grew:
            grew = False
            for agg, parts in self.whole.items():
                if agg not in out and parts <= out:
                    out.add(agg)
                    grew = True
        return frozenset(out)


def read_product_cover(
    table: pd.DataFrame | None = None, *, products: pd.DataFrame | None = None
) -> ProductCover:
    """Read and check the cover table (the shipped ``refdata/product_cover.csv`` by default).

    Parameters
    ----------
    table : pandas.DataFrame, optional
        Rows ``product, system, parts, complete, basis`` (text; ``parts`` ``;``-joined,
        ``system`` ``HS``, ``FAOSTAT`` or empty for any, ``complete`` ``true`` or ``false``).
    products : pandas.DataFrame, optional
        The registry's products (default: the shipped registry).

    Returns
    -------
    ProductCover

    Raises
    ------
    HilirDataError
        An unknown product or part, a part of another chain or of itself, a bad ``system``
        or ``complete``, an empty ``basis`` or a product listed twice for one system;
        the error names the file, row and column.
    """
    from hilir.refdata import read_refdata, refdata_label

    label = refdata_label(COVER_FILE)
    df = read_refdata(COVER_FILE, COVER_COLUMNS) if table is None else table.copy()
    if products is None:
        from hilir.registry.tables import products as registry_products

        products = registry_products()
    chain_of = dict(zip(products["product"], products["chain"], strict=True))
    holds: dict[tuple[str, str], frozenset[str]] = {}
    whole: dict[str, frozenset[str]] = {}
    for i, rec in enumerate(df.to_dict("records")):
        row = int(rec.get("_row", i + 2))

        def bad(msg: str, column: str, _row: int = row) -> HilirDataError:
            return HilirDataError(msg, path=label, row=_row, column=column)

        product, system = str(rec["product"]).strip(), str(rec["system"]).strip()
        parts = frozenset(p.strip() for p in str(rec["parts"]).split(";") if p.strip())
        complete = str(rec["complete"]).strip().lower()
        if product not in chain_of:
            raise bad(f"unknown product {product!r}", "product")
        if system not in ("", "HS", "FAOSTAT"):
            raise bad(f"system must be HS, FAOSTAT or empty, not {system!r}", "system")
        if not parts or product in parts:
            raise bad("parts must name other products of the registry", "parts")
        for part in sorted(parts):
            if chain_of.get(part) != chain_of[product]:
                raise bad(f"part {part!r} is not a product of chain {chain_of[product]!r}", "parts")
        if complete not in ("true", "false"):
            raise bad(f"complete must be true or false, not {complete!r}", "complete")
        if not str(rec["basis"]).strip():
            raise bad("every cover row needs its basis (a citation)", "basis")
        if (product, system) in holds:
            raise bad(f"{product!r} ({system or 'any system'}) is listed twice", "product")
        holds[(product, system)] = parts
        if complete == "true":
            whole[product] = parts
    return ProductCover(holds, whole, _families(holds))


def _families(holds: Mapping[tuple[str, str], frozenset[str]]) -> dict[str, str]:
    """Product -> family key: the linked products (union-find), keyed by their first name."""
    parent: dict[str, str] = {}

    def root(p: str) -> str:
        while parent.setdefault(p, p) != p:
            p = parent[p]
        return p

    for (product, _), parts in holds.items():
        for part in parts:
            a, b = sorted((root(product), root(part)))
            parent[b] = a
    return {p: root(p) for p in parent}


@cache
def product_cover() -> ProductCover:
    """The shipped cover table, read and checked once."""
    return read_product_cover()
