"""World Bank commodity prices ("Pink Sheet") -> the tidy PRICES table.

Read layouts:

* the World Bank workbooks themselves: ``CMO-Historical-Data-Monthly.xlsx`` (sheets "Monthly
  Prices", "Monthly Indices") and ``CMO-Historical-Data-Annual.xlsx`` ("Annual Prices
  (Nominal)", "Annual Prices (Real)", "Annual Indices (Nominal)", "Annual Indices (Real)").
  Above the data sit title rows, then a row of series names, a row of units ("($/mt)") and,
  in the monthly workbook, a row of series codes ("NICKEL"); index sheets stack their names
  over several rows. Data rows start with a period in column A (``1960M01`` or ``1960``);
  "…" marks a price that is not available;
* long CSVs: monthly ``period, series_code, series_name, unit, value`` (period ``1960M01``)
  and annual ``year, series_name, unit, value_nominal_usd`` (no code: codes come from
  :data:`SERIES_CODES`).

Vintages: every World Bank update republishes the whole history. The monthly workbook of
2 June 2026 (names row 5, units row 6, no codes row, two decimals) is read directly, beside the
older files; the build keeps each (series, period) from the newest vintage only
(:func:`keep_newest_vintage`), so no observation is counted twice.

The MUV index (manufactures unit value, 2010 = 100, the World Bank's deflator) is the
column "MUV Index" of sheet "Annual Prices (Real)" and the column "Deflator MUV Index" of
sheet "Annual Indices (Real)" of the annual workbook; it is read as series ``MUV``.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Mapping
from os import PathLike
from pathlib import Path

import pandas as pd

from hilir.checks import require_file_columns
from hilir.errors import HilirDataError, HilirDataWarning, caller_stacklevel
from hilir.fileio import read_csv_strict
from hilir.schema.cells import parse_numbers
from hilir.schema.tables import PRICES, conform
from hilir.sources._common import check_nonnegative, first_bad, parse_years
from hilir.sources._pinksheet_series import (
    BASIS,
    SERIES_CODES,
    SERIES_UNITS,
    UNITS,
    _bases,
    _clean_name,
    _fix_code,
    _fold,
    _unit,
    basis_for,
    pinksheet_data_events,
)
from hilir.sources._pinksheet_vintage import keep_newest_vintage, parse_vintage
from hilir.sources._pinksheet_workbook import _CODE, _PERIOD, _read_workbook

__all__ = [
    "BASIS",
    "SERIES_CODES",
    "SERIES_UNITS",
    "UNITS",
    "basis_for",
    "keep_newest_vintage",
    "pinksheet_data_events",
    "read_pinksheet",
]

PathLikeStr = str | PathLike[str]


def read_pinksheet(
    path: PathLikeStr,
    *,
    source: str = "wb_pinksheet",
    sheet: str | None = None,
    series: Iterable[str] | None = None,
    also: Mapping[str, Iterable[str]] | None = None,
    vintage: str | None = None,
) -> pd.DataFrame:
    """Read World Bank Pink Sheet prices or indices into the tidy prices table.

    Parameters
    ----------
    path : str or os.PathLike
        A World Bank workbook (``.xlsx``) or a long CSV (module doc).
    source : str, default "wb_pinksheet"
        Provenance key written to the ``source`` column.
    sheet : str, optional
        Workbook sheet; default "Monthly Prices" if the workbook has it, else "Annual Prices
        (Nominal)". Ignored for CSV files.
    series : iterable of str, optional
        Series codes to keep (``["NICKEL", "PALM_OIL", "MUV"]``). In a workbook, columns whose
        name has no known code are then skipped instead of raising.
    also : mapping of str to iterable of str, optional
        More workbook sheets to read, each with the series codes to keep from it, e.g.
        ``{"Annual Indices (Real)": ["MUV"]}`` adds the MUV deflator (manufactures unit
        value index, 2010 = 100) to the nominal prices of the annual workbook.
    vintage : str, optional
        The World Bank's "Updated on" date of the file, ``YYYY-MM-DD`` (sidecars state it in
        ``reader_args``). A workbook sheet with an "Updated on" title cell must agree. The
        build keeps each (series, period) from the newest vintage only
        (:mod:`hilir.sources._pinksheet_vintage`).

    Returns
    -------
    pandas.DataFrame
        :data:`hilir.schema.tables.PRICES`: ``year``, ``month`` (missing for annual averages),
        ``series`` (World Bank code; ``TIN``, ``ZINC`` upper-cased), ``series_name`` (as
        published, footnote stars removed), ``price`` as published, ``unit`` (``USD/t`` for
        "($/mt)", ``USD/kg`` for "($/kg)", ``index 2010=100``; real-dollar sheets add
        "(real 2010 USD)"), ``basis`` (definition and location in force for that period, see
        :data:`BASIS`).

    Raises
    ------
    HilirDataError
        Missing columns or header rows, a period that is not ``YYYYMmm`` or a year, an unknown
        unit or series name, a non-number or negative price, a duplicate series and period,
        an unknown sheet, an empty or cut file; in a workbook, a series name given twice, a
        unit other than the series' own (:data:`SERIES_UNITS`), or an "Updated on" title that
        contradicts ``vintage``.

    Notes
    -----
    Prices are nominal US dollars (monthly averages, or annual averages of the months) except
    on the "(Real)" sheets, which are deflated to 2010 dollars by the MUV index. Prices stay
    in the unit the World Bank publishes (coffee, rubber and cocoa per kg; oils and metals per
    tonne), so convert explicitly before comparing with unit values in USD per tonne. Cells
    marked "…" (not available) are not rows of the table. The palm oil definition changed in
    January 2021 (see :func:`pinksheet_data_events`). Source: World Bank, Commodity Price Data
    (The Pink Sheet), https://www.worldbank.org/en/research/commodity-markets, CC BY 4.0.
    """
    wanted = None if series is None else {_fix_code(s) for s in series}
    if vintage is not None:
        vintage = parse_vintage(vintage, path=path)
    p = Path(path)
    if p.is_file() and (p.suffix.lower() in (".xlsx", ".xlsm") or _is_zip(p)):
        frame, rows = _read_workbook(p, sheet=sheet, wanted=wanted, vintage=vintage)
        for extra_sheet, codes in (also or {}).items():
            more, more_rows = _read_workbook(
                p, sheet=extra_sheet, wanted={_fix_code(c) for c in codes}, vintage=vintage
            )
            frame = pd.concat([frame, more], ignore_index=True)
            rows = pd.concat([rows, more_rows], ignore_index=True)
    elif p.is_file() and p.suffix.lower() == ".xls":
        raise HilirDataError("old .xls workbook; save it as .xlsx", path=path)
    else:
        frame, rows = _read_csv(path, wanted=wanted)
    frame["source"] = source
    frame = frame.sort_values(["series", "year", "month"], kind="stable")
    return conform(frame, PRICES, path=path, row_numbers=rows)


# --- CSV layouts ----------------------------------------------------------------------------


def _read_csv(path: PathLikeStr, *, wanted: set[str] | None) -> tuple[pd.DataFrame, pd.Series]:
    df = read_csv_strict(path)
    names = {re.sub(r"[\s_]+", "", str(c)).lower() for c in df.columns}
    if "period" in names:
        df, value_col, years, months, codes = _monthly_csv(df, path=path)
    else:
        df, value_col, years, months, codes = _annual_csv(df, path=path)
    units = df["unit"].map(_unit)
    bad = units.isna()
    if bad.any():
        raise HilirDataError(
            f"unknown unit {df.loc[bad, 'unit'].iloc[0]!r}; known: {sorted(UNITS)}",
            path=path,
            row=first_bad(bad, df),
            column="unit",
        )
    prices = parse_numbers(df, value_col, path=path, decimal=".")
    check_nonnegative(prices, df, value_col, path=path, what="price")
    frame = pd.DataFrame(
        {
            "year": years,
            "month": months,
            "series": codes.astype("string"),
            "series_name": df["series_name"].map(_clean_name),
            "price": prices,
            "unit": units,
        },
        index=df.index,
    )
    keep = frame["price"].notna()
    if wanted is not None:
        keep &= frame["series"].isin(wanted)
    if (~frame["price"].notna()).any():
        warnings.warn(
            f"{path}: {int((~frame['price'].notna()).sum())} rows without a price dropped",
            HilirDataWarning,
            stacklevel=caller_stacklevel(),
        )
    frame = frame.loc[keep].copy()
    frame["basis"] = _bases(frame)
    return frame, df.loc[keep, "_row"]


def _monthly_csv(df: pd.DataFrame, *, path: PathLikeStr) -> tuple:
    """Checked columns, value column, years, months and codes of a monthly long CSV."""
    df = require_file_columns(
        df, ["period", "series_code", "series_name", "unit", "value"], path=path
    )
    value_col = "value"
    periods = df["period"].str.strip()
    match = periods.str.extract(_PERIOD)
    bad = match[0].isna() | ~pd.to_numeric(match[1], errors="coerce").between(1, 12)
    if bad.any():
        raise HilirDataError(
            f"period {df.loc[bad, 'period'].iloc[0]!r} is not YYYYMmm (1960M01)",
            path=path,
            row=first_bad(bad, df),
            column="period",
        )
    years = match[0].astype("int64")
    months = pd.array(match[1].astype("int64"), dtype="Int64")
    codes = df["series_code"].str.strip()
    bad = ~codes.str.fullmatch(_CODE.pattern)
    if bad.any():
        raise HilirDataError(
            f"{df.loc[bad, 'series_code'].iloc[0]!r} is not a series code",
            path=path,
            row=first_bad(bad, df),
            column="series_code",
        )
    codes = codes.map(_fix_code)
    return df, value_col, years, months, codes


def _annual_csv(df: pd.DataFrame, *, path: PathLikeStr) -> tuple:
    """Checked columns, value column, years, months (empty) and codes of an annual long CSV.

    Codes come from :data:`SERIES_CODES` by series name.
    """
    df = require_file_columns(
        df,
        ["year", "series_name", "unit", "value_nominal_usd"],
        path=path,
        aliases={"value_nominal_usd": ["value", "price"]},
    )
    value_col = "value_nominal_usd"
    years = parse_years(df, "year", path=path)
    months = pd.array([pd.NA] * len(df), dtype="Int64")
    codes = pd.Series([None] * len(df), index=df.index, dtype=object)
    for i, (name, row) in enumerate(zip(df["series_name"], df["_row"], strict=True)):
        code = SERIES_CODES.get(_fold(name))
        if code is None:
            raise HilirDataError(
                f"no World Bank code known for series {name!r}; add it to "
                "hilir.sources.pinksheet.SERIES_CODES",
                path=path,
                row=int(row),
                column="series_name",
            )
        codes.iat[i] = code
    return df, value_col, years, months, codes


def _is_zip(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(4) == b"PK\x03\x04"
