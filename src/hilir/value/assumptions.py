"""Cited value assumptions: processed-stage prices, price ratios, raw-input shares, splits.

Package data ``hilir/refdata/value_assumptions.csv`` (described in ``README_value.md``).
Every row carries a source and a reliability; a figure that was not found is a row with
empty numbers and reliability ``not_found``, so the gap stays visible.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from hilir.checks import STAGES, require_columns
from hilir.errors import HilirDataError
from hilir.refdata import read_refdata, refdata_label
from hilir.refdata.plausibility import threshold

COLUMNS = (
    "key",
    "chain",
    "product",
    "stage",
    "quantity",
    "year_from",
    "year_to",
    "low",
    "central",
    "high",
    "unit",
    "source",
    "reliability",
    "note",
)
QUANTITIES = (
    "payable_share_of_lme",
    "ore_ni_grade_dry",
    "ore_moisture",
    "smelter_recovery",
    "raw_input_mass_share",
    "processed_unit_value",
    "raw_unit_value",
    "price_ratio_to_raw",
    "uplift_ratio",
    "processed_share_volume",
    "domestic_value_added_share",
    "current_exports_t",
    "byproduct_price_ratio",
    "process_loss_share",
)
RELIABILITY = ("high", "medium", "low", "not_found")
_FILE = "value_assumptions.csv"


def validate_assumptions(df: pd.DataFrame, *, path: str = _FILE) -> pd.DataFrame:
    """Check an assumptions table and return it typed (numbers as float, years as Int64).

    Parameters
    ----------
    df : pandas.DataFrame
        A table in the layout of :func:`value_assumptions` (cells may be text).
    path : str, default "value_assumptions.csv"
        The file, for error messages.

    Returns
    -------
    pandas.DataFrame
        The table with ``low, central, high`` as float and ``year_from, year_to`` as Int64.

    Raises
    ------
    HilirDataError
        Missing columns, duplicate keys, unknown stage/quantity/reliability, numbers that
        are not low <= central <= high, or a found figure without numbers or a source.
        The error names the file row (header is row 1) and column.
    """
    require_columns(df, COLUMNS, f"assumptions table {path}")
    out = df.loc[:, list(COLUMNS)].copy()
    for col in ("low", "central", "high"):
        num = pd.to_numeric(out[col], errors="coerce")
        bad = num.isna() & out[col].notna() & out[col].astype(str).str.strip().ne("")
        if bad.any():
            i = int(bad.to_numpy().nonzero()[0][0])
            raise HilirDataError("not a number", path=path, row=i + 2, column=col)
        out[col] = num.astype("float64")
    for col in ("year_from", "year_to"):
        out[col] = pd.to_numeric(out[col], errors="coerce").astype("Int64")
    text = ["key", "chain", "product", "stage", "quantity", "unit", "source", "reliability"]
    for col in [*text, "note"]:
        out[col] = out[col].fillna("").astype("string").str.strip()
    checks = (
        ("stage", STAGES),
        ("quantity", QUANTITIES),
        ("reliability", RELIABILITY),
    )
    for col, allowed in checks:
        bad = ~out[col].isin(allowed)
        if bad.any():
            i = int(bad.to_numpy().nonzero()[0][0])
            raise HilirDataError(
                f"{out[col].iloc[i]!r} is not one of {list(allowed)}",
                path=path,
                row=i + 2,
                column=col,
            )
    dup = out["key"].duplicated()
    if dup.any():
        i = int(dup.to_numpy().nonzero()[0][0])
        raise HilirDataError(
            f"duplicate key {out['key'].iloc[i]!r}", path=path, row=i + 2, column="key"
        )
    for i, r in enumerate(out.itertuples(index=False)):
        nums = [r.low, r.central, r.high]
        found = r.reliability != "not_found"
        if found and any(pd.isna(v) for v in nums):
            raise HilirDataError(
                "a found figure needs low, central and high", path=path, row=i + 2, column="central"
            )
        if found and not (r.low <= r.central <= r.high):
            raise HilirDataError(
                "numbers must satisfy low <= central <= high",
                path=path,
                row=i + 2,
                column="central",
            )
        if not r.source:
            raise HilirDataError(
                "every assumption needs a source", path=path, row=i + 2, column="source"
            )
    return out


@cache
def _shipped() -> pd.DataFrame:
    """The shipped table, validated (``read_refdata`` reads and caches the file)."""
    return validate_assumptions(read_refdata(_FILE, COLUMNS), path=refdata_label(_FILE))


def value_assumptions() -> pd.DataFrame:
    """The shipped value assumptions, one cited row per figure.

    Returns
    -------
    pandas.DataFrame
        ``key, chain, product, stage, quantity, year_from, year_to, low, central, high,
        unit, source, reliability, note``. ``quantity`` says what the numbers are (for
        example ``raw_input_mass_share`` in t raw input per t product, or
        ``processed_unit_value`` in USD per t).

    Examples
    --------
    >>> a = value_assumptions()
    >>> float(a.set_index("key").loc["stainless_flat_ni_content", "central"])
    0.08
    """
    return _shipped().copy()


def pick(
    assumptions: pd.DataFrame,
    *,
    quantity: str,
    product: str | None = None,
    chain: str | None = None,
    year: int | None = None,
) -> pd.DataFrame:
    """Rows of one quantity for a product (or chain) whose years cover ``year``."""
    df = assumptions[assumptions["quantity"] == quantity]
    if product is not None:
        df = df[df["product"] == product]
    if chain is not None:
        df = df[df["chain"] == chain]
    if year is not None:
        yf, yt = df["year_from"], df["year_to"]
        df = df[(yf.isna() | (yf <= year)) & (yt.isna() | (yt >= year))]
    return df


def max_scale_ratio() -> float:
    """The plausible-scale bound of a scenario: implied / current processed output.

    The ``max_scale_ratio`` row of ``refdata/plausibility.csv``, which the brief's
    plausibility gate reads too (:mod:`hilir.refdata.plausibility`).
    """
    return threshold("max_scale_ratio")
