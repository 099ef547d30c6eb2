"""Sector classifications of the shipped IO tables (``refdata/io_sectors.csv``), validated.

One loader for the IO readers of :mod:`hilir.sources` (English names of the sectors) and the
jobs model (the Sakernas sector and the Indonesian name of every IO sector).
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from hilir.errors import HilirDataError
from hilir.refdata import read_refdata, refdata_label

__all__ = ["sector_classifications"]

_NAME = "io_sectors.csv"
_COLUMNS = (
    "classification",
    "code",
    "name_id",
    "name_en",
    "sakernas_classification",
    "sakernas_sector",
)


def sector_classifications() -> pd.DataFrame:
    """Known sector classifications: ``refdata/io_sectors.csv``.

    Returns
    -------
    pandas.DataFrame
        ``classification, code, name_id, name_en, sakernas_classification, sakernas_sector``
        (strings), one row per sector of the BPS Lampung 2010, Bangka Belitung 2015, East
        Kalimantan 2010 and WIOD 2012 tables. English names of BPS sectors are hilir's
        translations; WIOD names are WIOD's, with hilir's Indonesian translation.
    """
    return _sector_classifications().copy()


@lru_cache(maxsize=1)
def _sector_classifications() -> pd.DataFrame:
    df = read_refdata(_NAME, columns=_COLUMNS)
    dup = df.duplicated(["classification", "code"])
    if dup.any():
        row = int(df.loc[dup, "_row"].iloc[0])
        raise HilirDataError(
            "duplicate sector code", path=refdata_label(_NAME), row=row, column="code"
        )
    return df.drop(columns="_row").reset_index(drop=True)
