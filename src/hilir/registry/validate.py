"""The validated registry: the shipped files plus a user's rows, read, checked and cached.

Every registry query and :func:`hilir.registry.mapping.map_products` start from
:func:`validate_registry`: it reads the five registry tables (:mod:`hilir.registry.files`),
checks them (:mod:`hilir.registry.rules`) and returns them typed, cached by file path,
modification time and size.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from hilir.registry.files import (
    COLUMNS,
    PathArg,
    Rec,
    extra_files,
    fingerprint,
    read_records,
    shipped_file,
)
from hilir.registry.rules import check_codes, check_factors, check_preferred, check_products

__all__ = ["Registry", "validate_registry"]


@dataclass(frozen=True)
class Registry:
    """The validated registry tables (shared, cached: never modify them in place)."""

    chains: pd.DataFrame
    products: pd.DataFrame
    product_codes: pd.DataFrame
    factors: pd.DataFrame
    preferred_sources: pd.DataFrame


def validate_registry(*, extra: PathArg | None = None) -> Registry:
    """Read and validate the registry (shipped files plus ``extra`` rows); cached.

    Parameters
    ----------
    extra : str or os.PathLike, optional
        A folder with any of the five registry files, or one registry CSV file.

    Returns
    -------
    Registry
        The five tables with typed columns. They are cached and shared: copy before changing.

    Raises
    ------
    HilirDataError
        Naming file, row and column: duplicate product keys, an HS code claimed by two
        products in the same revision (also through overlapping prefixes such as ``2604`` and
        ``260400``), a FAOSTAT item claimed twice, a factor without a source, ``low > central``
        or ``central > high``, overlapping factor years, unknown keys or choices.

    Notes
    -----
    The cache key includes each file's path, modification time and size, so an edited file
    is read again.
    """
    files = {t: [shipped_file(t)] for t in COLUMNS}
    if extra is not None:
        for table, path in extra_files(extra).items():
            files[table].append(path)
    return _load(tuple((t, fingerprint(files[t])) for t in COLUMNS))


def _frame(recs: list[Rec], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: [r[c] for r in recs] for c in columns}, dtype=object)


def _with_years(df: pd.DataFrame, recs: list[Rec]) -> pd.DataFrame:
    """``year_from`` and ``year_to`` as Int64 (NA = open) from the parsed records."""
    for col, src in (("year_from", "_from"), ("year_to", "_to")):
        df[col] = pd.array([r[src] for r in recs], dtype="Int64")
    return df


@functools.lru_cache(maxsize=8)
def _load(key: tuple) -> Registry:
    raw = {
        t: [
            rec
            for i, (p, _, _) in enumerate(fps)
            for rec in read_records(Path(p), t, shipped=i == 0)
        ]
        for t, fps in key
    }
    ch, pr, pc, fa, ps = (raw[t] for t in COLUMNS)
    check_products(ch, pr)
    check_codes(pc, pr)
    check_factors(fa, pr, ch)
    check_preferred(ps, pr, ch)
    text = {t: list(COLUMNS[t]) for t in COLUMNS}
    chains_df = _frame(ch, text["chains"]).astype(str)
    chains_df["raw_only"] = chains_df["raw_only"].eq("true")
    factors_df = _with_years(_frame(fa, text["factors"]).astype(str), fa)
    for col in ("low", "central", "high"):
        factors_df[col] = np.array([r["_" + col] for r in fa], dtype="float64")
    prefs_df = _with_years(_frame(ps, text["preferred_sources"]).astype(str), ps)
    prefs_df["rank"] = np.array([r["_rank"] for r in ps], dtype="int64")
    return Registry(
        chains=chains_df,
        products=_frame(
            pr, ["product", "chain", "stage", "name_id", "name_en", "note", "raw_product"]
        ).astype(str),
        product_codes=_frame(pc, text["product_codes"]).astype(str),
        factors=factors_df,
        preferred_sources=prefs_df,
    )


validate_registry.cache_clear = _load.cache_clear  # type: ignore[attr-defined]
