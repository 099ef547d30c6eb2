"""Thin access to the chain registry for the value models."""

from __future__ import annotations

import warnings

import pandas as pd

from hilir.checks import as_list, require_columns
from hilir.errors import HilirDataError, HilirDataWarning, caller_stacklevel


def registry_chains() -> pd.DataFrame:
    """The registry's chain table (``chain, raw_only, raw_product, ...``)."""
    from hilir.registry.tables import chain_table

    return chain_table()


def registry_products() -> pd.DataFrame:
    """The registry's products (``product, chain, stage, name_id, name_en``)."""
    from hilir.registry.tables import products

    return products()


def known_chains() -> set[str]:
    """Chain keys of the registry."""
    return set(registry_chains()["chain"].astype(str))


def chains_in_data(exports: pd.DataFrame, chain: str | list[str] | None) -> list[str]:
    """Requested chains that have export rows; warn for known chains without data.

    Raises
    ------
    HilirDataError
        A requested chain is neither in the data nor in the registry.
    """
    require_columns(exports, ("chain",), "exports")
    have = set(exports["chain"].dropna().astype(str))
    wanted = as_list(chain)
    if wanted is None:
        return sorted(have)
    absent = [c for c in wanted if c not in have]
    if absent:
        unknown = sorted(set(absent) - known_chains())
        if unknown:
            raise HilirDataError(
                f"unknown chain {unknown}; registry chains: {sorted(known_chains())}"
            )
        warnings.warn(
            f"chain {absent} has no export rows in the data; its result is empty",
            HilirDataWarning,
            stacklevel=caller_stacklevel(),
        )
    return [c for c in wanted if c in have]


def chain_row(chain: str) -> pd.Series:
    """The registry row of one chain; raise for an unknown chain."""
    tab = registry_chains()
    hit = tab[tab["chain"].astype(str) == chain]
    if hit.empty:
        raise HilirDataError(f"unknown chain {chain!r}; registry chains: {sorted(tab['chain'])}")
    return hit.iloc[0]


def chain_products(chain: str) -> pd.DataFrame:
    """Registry products of one chain."""
    prods = registry_products()
    return prods[prods["chain"].astype(str) == chain].reset_index(drop=True)
