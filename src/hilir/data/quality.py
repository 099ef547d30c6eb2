"""Data-quality rules applied when the processed tables are built (flag, never smooth).

:func:`flag_jumps` marks implausible year-on-year jumps in a production table; the build
(:func:`hilir.data.pipeline.build`) applies it to the production table.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd


def flag_jumps(
    df: pd.DataFrame,
    *,
    ratio: float = 3.0,
    by: Sequence[str] = ("geo", "crop", "scope"),
) -> pd.DataFrame:
    """Flag implausible year-on-year jumps in a production table (flag, never smooth).

    A row is flagged when its ``production_t`` (or ``area_ha``) is more than ``ratio``
    times, or less than 1/``ratio`` of, the value of the same place, crop and scope in the
    year before (a value going from zero to positive, or back, counts as a jump). When
    several sources give the previous year, the row is flagged only if it jumps against
    all of them.

    Parameters
    ----------
    df : pandas.DataFrame
        A :data:`hilir.schema.tables.PRODUCTION` table.
    ratio : float, default 3.0
        Largest plausible year-on-year ratio (> 1).
    by : sequence of str, default ("geo", "crop", "scope")
        Columns that identify a series.

    Returns
    -------
    pandas.DataFrame
        A copy with ``jump_production_t`` and/or ``jump_area_ha`` added to ``flag``
        (``;``-separated when a row has several flags). The later year of each jump is
        flagged; a one-year spike flags the spike and the year after it.
    """
    if not ratio > 1:
        raise ValueError(f"ratio must be greater than 1, not {ratio!r}")
    out = df.copy()
    if "flag" in out:
        flags = out["flag"].astype("string").fillna("").to_list()
    else:
        flags = [""] * len(out)
    keys = list(by)
    for measure in ("production_t", "area_ha"):
        if measure not in out:
            continue
        cur = out[[*keys, "year", measure]].reset_index(drop=True)
        cur["_pos"] = np.arange(len(cur))
        cur = cur.loc[cur[measure].notna()]
        prev = cur[[*keys, "year", measure]].copy()
        prev["year"] = prev["year"] + 1
        both = cur.merge(prev, on=[*keys, "year"], how="inner", suffixes=("", "_prev"))
        if both.empty:
            continue
        v = both[measure].to_numpy(dtype=float)
        p = both[f"{measure}_prev"].to_numpy(dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            change = np.where((v == 0) & (p == 0), 1.0, np.maximum(v, p) / np.minimum(v, p))
        both["_change"] = change
        smallest = both.groupby("_pos")["_change"].min()
        label = f"jump_{measure}"
        for pos in smallest.index[smallest.to_numpy() > ratio]:
            flags[pos] = f"{flags[pos]};{label}" if flags[pos] else label
    out["flag"] = pd.array(flags, dtype="string")
    return out
