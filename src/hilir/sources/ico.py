"""International Coffee Organization (ICO) historical tables -> the tidy BALANCES table.

ICO publishes its historical statistics as wide tables, one country per row:

* calendar-year tables (exports, imports, re-exports): ``Country, 1990, ..., 2019, Total_...``;
* crop-year tables (production, domestic consumption): ``Country, Coffee type, 1990/91, ...,
  2019/20, Total_...``.

The widely copied Kaggle version (``Coffee_export.csv`` ...) keeps that layout but its numbers
are ICO's thousand 60-kg bags multiplied by 60, i.e. **tonnes**, and it is often mislabelled
as kilograms or bags. The unit is therefore a required argument.
"""

from __future__ import annotations

import re
import warnings
from os import PathLike
from typing import Literal, get_args

import numpy as np
import pandas as pd

from hilir.checks import require_file_columns
from hilir.errors import HilirDataError, HilirDataWarning, caller_stacklevel
from hilir.fileio import read_csv_strict
from hilir.registry.partners import resolve_partners
from hilir.schema.cells import parse_numbers
from hilir.schema.tables import BALANCES, conform
from hilir.sources._common import check_nonnegative, check_unique, first_bad

PathLikeStr = str | PathLike[str]

IcoUnit = Literal["t", "thousand_60kg_bags"]

#: Tonnes per unit of each accepted unit.
UNIT_TONNES: dict[str, float] = {"t": 1.0, "thousand_60kg_bags": 60.0}

#: The smallest 32-bit integer, written by some copies of the Kaggle dataset for a missing cell.
INT32_PLACEHOLDER = -2147483648

_CALENDAR = re.compile(r"^\d{4}$")
_CROP = re.compile(r"^(\d{4})/(\d{2})$")


def read_ico(
    path: PathLikeStr,
    *,
    source: str = "ico_coffee_exports",
    unit: IcoUnit,
    attribute: str = "exports",
) -> pd.DataFrame:
    """Read an ICO wide table (exports, production, ...) into the tidy balances table.

    Parameters
    ----------
    path : str or os.PathLike
        A CSV with ``Country`` and one column per calendar year (``1990``) or crop year
        (``1990/91``); an optional ``Coffee type`` column and an optional ``Total...`` column.
    source : str, default "ico_coffee_exports"
        Provenance key written to the ``source`` column.
    unit : {"t", "thousand_60kg_bags"}
        Unit of the numbers in the file, required: ``"t"`` (tonnes; the Kaggle copies) or
        ``"thousand_60kg_bags"`` (ICO's own tables).
    attribute : str, default "exports"
        Attribute key written to the ``attribute`` column (snake case: ``exports``,
        ``production``, ``domestic_consumption``, ``imports``, ``re_exports``).

    Returns
    -------
    pandas.DataFrame
        :data:`hilir.schema.tables.BALANCES`: ``year`` (the calendar year, or the first year of a
        crop year: 2015/16 -> 2015), ``reporter`` (ISO alpha-3; ``BLX`` for ICO's
        Belgium/Luxembourg), ``quantity_t_gbe`` in tonnes of green-bean equivalent,
        ``year_basis`` ``calendar_year`` or ``crop_year``.

    Raises
    ------
    ValueError
        ``unit`` or ``attribute`` not valid.
    HilirDataError
        Missing ``Country`` column or no year columns; calendar and crop years mixed; the
        ``-2147483648`` placeholder; a negative, missing or non-numeric value (a decimal comma
        is refused); a country twice; an unknown country; an empty or cut file.

    Notes
    -----
    ``quantity_t_gbe = value x 60`` for thousand 60-kg bags (1000 x 60 kg = 60 t) and
    ``value`` for tonnes. ICO statistics are in green-bean equivalent (ICO, historical data,
    https://www.ico.org/new_historical.asp). The ``Total`` column is checked against the sum of
    the year columns (a mismatch gives a :class:`~hilir.errors.HilirDataWarning`) and dropped.
    ICO crop years differ by country (October, April or July starts).
    """
    if unit not in get_args(IcoUnit):
        raise ValueError(f"unit must be one of {get_args(IcoUnit)}, not {unit!r}")
    if not re.fullmatch(r"[a-z][a-z0-9_]*", str(attribute)):
        raise ValueError(f"attribute must be a snake_case key, not {attribute!r}")
    df = read_csv_strict(path)
    df = require_file_columns(df, ["Country"], path=path)
    df["Country"] = df["Country"].str.strip()
    years, basis = _year_columns(df, path)
    total_cols = [c for c in df.columns if str(c).strip().lower().startswith("total")]
    values = {}
    for col in years:
        values[col] = _values(df, col, path)
    for col in total_cols:
        _check_total(df, col, values, path)
    df["reporter"] = resolve_partners(df["Country"], path=path, rows=df["_row"])["code"]
    check_unique(df, ["reporter"], path=path, column="Country")
    factor = UNIT_TONNES[unit]
    if unit == "thousand_60kg_bags":
        _warn_if_tonnes(values, path)
    parts = [
        pd.DataFrame(
            {
                "_row": df["_row"],
                "year": year,
                "reporter": df["reporter"],
                "attribute": attribute,
                "quantity_t_gbe": values[col] * factor,
                "year_basis": basis,
                "source": source,
            }
        )
        for col, year in years.items()
    ]
    long = pd.concat(parts, ignore_index=True)
    long = long.sort_values(["reporter", "year"], kind="stable")
    return conform(long, BALANCES, path=path, row_numbers=long["_row"])


def _year_columns(df: pd.DataFrame, path: PathLikeStr) -> tuple[dict[str, int], str]:
    """Year columns (name -> first year) and the year basis."""
    calendar = {c: int(c.strip()) for c in df.columns if _CALENDAR.match(str(c).strip())}
    crop: dict[str, int] = {}
    for c in df.columns:
        m = _CROP.match(str(c).strip())
        if m:
            first, second = int(m.group(1)), int(m.group(2))
            if (first + 1) % 100 != second:
                raise HilirDataError(
                    f"crop year {c!r} does not span two consecutive years",
                    path=path,
                    row=1,
                    column=c,
                )
            crop[c] = first
    if calendar and crop:
        raise HilirDataError(
            "the header mixes calendar years and crop years",
            path=path,
            row=1,
            column=next(iter(crop)),
        )
    if not calendar and not crop:
        raise HilirDataError(
            "no year columns (expected '1990' or '1990/91' headers; is there a title row above "
            "the header?)",
            path=path,
            row=1,
            column=str(df.columns[0]),
        )
    return (calendar, "calendar_year") if calendar else (crop, "crop_year")


def _values(df: pd.DataFrame, col: str, path: PathLikeStr) -> pd.Series:
    cells = df[col].str.strip()
    placeholder = cells.eq(str(INT32_PLACEHOLDER))
    if placeholder.any():
        raise HilirDataError(
            f"{INT32_PLACEHOLDER} is a placeholder for a missing value (the smallest 32-bit "
            "integer), not data; fix or blank the cell in the source and document it",
            path=path,
            row=first_bad(placeholder, df),
            column=col,
        )
    values = parse_numbers(df, col, path=path, decimal=".", allow_missing=False)
    return check_nonnegative(values, df, col, path=path)


def _check_total(
    df: pd.DataFrame, col: str, values: dict[str, pd.Series], path: PathLikeStr
) -> None:
    total = parse_numbers(df, col, path=path, decimal=".")
    summed = sum(values.values())
    off = ~np.isclose(total.to_numpy(), np.asarray(summed, dtype=float), rtol=1e-9, atol=0.5)
    off &= total.notna().to_numpy()
    if off.any():
        i = int(np.flatnonzero(off)[0])
        warnings.warn(
            f"{path}: row {int(df['_row'].iloc[i])} ({df['Country'].iloc[i]}): {col} = "
            f"{total.iloc[i]:g} but the years add up to {float(summed.iloc[i]):g} "
            f"({int(off.sum())} rows differ); the total column is dropped",
            HilirDataWarning,
            stacklevel=caller_stacklevel(),
        )


def _warn_if_tonnes(values: dict[str, pd.Series], path: PathLikeStr) -> None:
    """Warn when bag counts look like tonnes (every number a multiple of 60)."""
    allv = pd.concat(values.values()).to_numpy()
    nonzero = allv[allv > 0]
    if len(nonzero) >= 10 and np.all(np.mod(nonzero, 60) == 0):
        warnings.warn(
            f"{path}: every value is a multiple of 60; the file may already be in tonnes "
            "(bags x 60), as the Kaggle copies of the ICO tables are. Check unit=",
            HilirDataWarning,
            stacklevel=caller_stacklevel(),
        )
