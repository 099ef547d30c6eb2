"""Flagship-ranking weights: the shipped table ``hilir/refdata/flagship_weights.csv``.

:func:`weights_table` (the table), :func:`default_weights` (equal weights) and
:func:`check_weights` (validate and rescale user weights to sum to 1).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from hilir.errors import HilirDataError
from hilir.i18n.labels import INDICATORS
from hilir.refdata import read_refdata, refdata_file

_WEIGHTS_FILE = "flagship_weights.csv"


@functools.lru_cache(maxsize=1)
def _weights_table() -> pd.DataFrame:
    path = refdata_file(_WEIGHTS_FILE)
    df = read_refdata(_WEIGHTS_FILE)
    need = ["indicator", "column", "weight", "transform", "unit", "name_id", "name_en"]
    missing = [c for c in need if c not in df.columns]
    if missing:
        raise HilirDataError(f"missing columns {missing}", path=path, row=1)
    for i in range(len(df)):
        row = int(df["_row"].iloc[i])
        ind = str(df["indicator"].iloc[i])
        if ind not in INDICATORS:
            raise HilirDataError(
                f"unknown indicator {ind!r}", path=path, row=row, column="indicator"
            )
        if str(df["column"].iloc[i]) != INDICATORS[ind]:
            raise HilirDataError(
                f"indicator {ind!r} is column {INDICATORS[ind]!r}",
                path=path,
                row=row,
                column="column",
            )
        if str(df["transform"].iloc[i]) not in ("none", "log10"):
            raise HilirDataError(
                "transform must be 'none' or 'log10'", path=path, row=row, column="transform"
            )
        try:
            w = float(df["weight"].iloc[i])
        except ValueError:
            raise HilirDataError(
                "weight is not a number", path=path, row=row, column="weight"
            ) from None
        if not np.isfinite(w) or w < 0:
            raise HilirDataError("weights are non-negative", path=path, row=row, column="weight")
    if sorted(df["indicator"]) != sorted(INDICATORS):
        raise HilirDataError(f"the table must list each of {list(INDICATORS)} once", path=path)
    out = df.drop(columns="_row").copy()
    out["weight"] = out["weight"].astype(float)
    return out.set_index("indicator").loc[list(INDICATORS)].reset_index()


def weights_table() -> pd.DataFrame:
    """The default weights with their transform, unit, bilingual names and rationale."""
    return _weights_table().copy()


def default_weights() -> dict[str, float]:
    """Default weights (equal, 0.2 each), from ``hilir/refdata/flagship_weights.csv``.

    Examples
    --------
    >>> default_weights()
    {'export_value': 0.2, 'growth': 0.2, 'processing_share': 0.2, 'uplift': 0.2, 'jobs': 0.2}
    """
    tab = _weights_table()
    return {str(k): float(v) for k, v in zip(tab["indicator"], tab["weight"], strict=True)}


def check_weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    """Validated weights over the five indicators, rescaled to sum to 1.

    Raises
    ------
    HilirDataError
        A missing or unknown indicator (no weight is implied: name all five), a negative or
        non-numeric weight, or weights that are all 0.
    """
    if weights is None:
        weights = default_weights()
    if not isinstance(weights, Mapping):
        raise HilirDataError(f"weights must be a mapping of indicator to weight, not {weights!r}")
    unknown = sorted(set(weights) - set(INDICATORS))
    missing = [k for k in INDICATORS if k not in weights]
    if unknown or missing:
        raise HilirDataError(
            f"weights must name each of {list(INDICATORS)} (no hidden weights); "
            f"unknown {unknown}, missing {missing}"
        )
    out: dict[str, float] = {}
    for k in INDICATORS:
        try:
            w = float(weights[k])
        except (TypeError, ValueError):
            raise HilirDataError(f"weight of {k!r} is not a number: {weights[k]!r}") from None
        if not np.isfinite(w) or w < 0:
            raise HilirDataError(f"weight of {k!r} must be a non-negative number, not {w}")
        out[k] = w
    total = sum(out.values())
    if total <= 0:
        raise HilirDataError("weights are all 0: nothing to rank by")
    return {k: v / total for k, v in out.items()}


def _log_set(log10: Iterable[str] | None) -> set[str]:
    if log10 is None:
        tab = _weights_table()
        return set(tab.loc[tab["transform"].astype(str).eq("log10"), "indicator"].astype(str))
    if isinstance(log10, str):
        log10 = [log10]
    chosen = {str(k) for k in log10}
    unknown = sorted(chosen - set(INDICATORS))
    if unknown:
        raise HilirDataError(f"log10 names unknown indicators {unknown}; known {list(INDICATORS)}")
    return chosen
