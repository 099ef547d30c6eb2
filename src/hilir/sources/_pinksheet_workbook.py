"""World Bank Pink Sheet workbooks (``CMO-Historical-Data-*.xlsx``): sheets -> price rows.

The workbook layout of :func:`hilir.sources.pinksheet.read_pinksheet`: title rows, a row of
series names, a row of units and (monthly workbook to the December 2024 vintage) a row of
series codes above data rows that start with a period in column A. The layout is recognised
from the sheet itself, never from the file name: the first row with a period in column A
starts the data, the units row is the header row of "($/...)" cells, and a codes row is the
last header row when it holds a code for every column with data. Without a codes row (the
monthly workbook from the June 2026 vintage: names on row 5, units on row 6, data from row 7;
the annual workbooks) every name is mapped to its code by the one table
:data:`hilir.sources._pinksheet_series.SERIES_CODES`; an unknown name, a name given twice or
a unit other than the series' own (:data:`~hilir.sources._pinksheet_series.SERIES_UNITS`) is
a :class:`~hilir.errors.HilirDataError` naming the cell. With ``series=`` only the series
asked are read and other columns are skipped, known or not.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from hilir.errors import HilirDataError
from hilir.schema.cells import MISSING_TOKENS, parse_number
from hilir.sources._pinksheet_series import (
    SERIES_CODES,
    SERIES_UNITS,
    UNITS,
    _bases,
    _clean_name,
    _fix_code,
    _fold,
    _unit,
)
from hilir.sources._pinksheet_vintage import check_vintage

_PERIOD = re.compile(r"^(\d{4})M(\d{2})$")
_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_BLANK_STOP = 200


def _read_workbook(
    path: Path, *, sheet: str | None, wanted: set[str] | None, vintage: str | None = None
) -> tuple[pd.DataFrame, pd.Series]:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for damaged files
        raise HilirDataError(f"cannot open the workbook: {exc}", path=path) from exc
    try:
        names = wb.sheetnames
        if sheet is None:
            sheet = next(
                (s for s in ("Monthly Prices", "Annual Prices (Nominal)") if s in names), None
            )
            if sheet is None:
                raise HilirDataError(
                    f"choose a sheet with sheet=; the workbook has {names}", path=path
                )
        if sheet not in names:
            raise HilirDataError(f"no sheet {sheet!r}; the workbook has {names}", path=path)
        rows = _sheet_rows(wb[sheet])
    finally:
        wb.close()
    return _parse_sheet(rows, path=path, sheet=sheet, wanted=wanted, vintage=vintage)


def _sheet_rows(ws: object) -> list[tuple[object, ...]]:
    """Cell values row by row (row 1 first), stopping after a long run of blank rows."""
    out: list[tuple[object, ...]] = []
    blank_run = 0
    for row in ws.iter_rows(values_only=True):  # type: ignore[attr-defined]
        out.append(tuple(row))
        if all(_is_blank(v) for v in row):
            blank_run += 1
            if blank_run >= _BLANK_STOP and len(out) > _BLANK_STOP:
                break
        else:
            blank_run = 0
    return out


def _parse_sheet(
    rows: list[tuple[object, ...]],
    *,
    path: Path,
    sheet: str,
    wanted: set[str] | None,
    vintage: str | None = None,
) -> tuple[pd.DataFrame, pd.Series]:
    first = next((i for i, r in enumerate(rows) if r and _period(r[0]) is not None), None)
    if first is None:
        raise HilirDataError(
            f"sheet {sheet!r}: no data rows (column A should hold periods like 1960M01 or 1960)",
            path=path,
            column="A",
        )
    header = rows[:first]
    width = max(len(r) for r in rows)
    header = [tuple(r) + (None,) * (width - len(r)) for r in header]
    check_vintage(header, vintage, path=path, sheet=sheet)
    units_i = _find_units_row(header)
    codes_i = _find_codes_row(header, rows[first:], units_i)
    index_sheet = "indic" in sheet.lower()
    if units_i is None and not index_sheet:
        raise HilirDataError(
            f"sheet {sheet!r}: no units row (like '($/mt)') above the first data row; are "
            "header rows missing?",
            path=path,
            row=first,
            column="B",
        )
    columns = _sheet_columns(
        rows,
        header,
        first=first,
        width=width,
        units_i=units_i,
        codes_i=codes_i,
        path=path,
        sheet=sheet,
        wanted=wanted,
    )
    records, line_numbers = _sheet_records(rows, columns, first=first, path=path)
    frame = pd.DataFrame.from_records(
        records, columns=["year", "month", "series", "series_name", "price", "unit"]
    )
    frame["year"] = frame["year"].astype("int64")
    frame["month"] = pd.array(frame["month"].tolist(), dtype="Int64")
    frame["basis"] = _bases(frame)
    return frame, pd.Series(line_numbers, index=frame.index, dtype="int64")


def _sheet_columns(
    rows: list[tuple[object, ...]],
    header: list[tuple[object, ...]],
    *,
    first: int,
    width: int,
    units_i: int | None,
    codes_i: int | None,
    path: Path,
    sheet: str,
    wanted: set[str] | None,
) -> list[tuple[int, str, str, str]]:
    """(column index, series code, series name, unit) of each series column kept.

    ``first`` is the index of the first data row; units are marked real 2010 USD on the
    "(real)" sheets and are ``index 2010=100`` on index sheets without a units cell.
    """
    real = "(real)" in sheet.lower()
    index_sheet = "indic" in sheet.lower()
    columns = []
    for j in range(1, width):
        name, name_row = _column_name(header, j, skip={units_i, codes_i})
        has_data = any(j < len(r) and not _is_blank(r[j]) for r in rows[first:])
        if name is None:
            if has_data:
                at = units_i if units_i else first + 1  # the names row, 1-based
                raise HilirDataError(
                    f"sheet {sheet!r}: a column of numbers has no series name (cell "
                    f"{_letter(j)}{at}; are the names on the row above the units missing?)",
                    path=path,
                    row=at,
                    column=_letter(j),
                )
            continue
        code = None
        if codes_i is not None and not _is_blank(header[codes_i][j]):
            code = _fix_code(str(header[codes_i][j]).strip())
        else:
            code = SERIES_CODES.get(_fold(name))
        if code is None:
            if wanted is not None:
                continue
            raise HilirDataError(
                f"sheet {sheet!r}: no World Bank code known for series {name!r} (cell "
                f"{_letter(j)}{name_row + 1}; renamed?); add it to "
                "hilir.sources.pinksheet.SERIES_CODES or pass series=",
                path=path,
                row=name_row + 1,
                column=name,
            )
        if wanted is not None and code not in wanted:
            continue
        if units_i is not None and not _is_blank(header[units_i][j]):
            unit = _unit(header[units_i][j])
            cell = f"cell {_letter(j)}{units_i + 1}"
            if unit is None:
                raise HilirDataError(
                    f"unknown unit {header[units_i][j]!r} ({cell}); known: {sorted(UNITS)}",
                    path=path,
                    row=units_i + 1,
                    column=name,
                )
            if SERIES_UNITS.get(code, unit) != unit:
                raise HilirDataError(
                    f"sheet {sheet!r}: series {name!r} ({code}) is in {unit} ({cell}), but the "
                    f"World Bank publishes it in {SERIES_UNITS[code]}; has the units row changed?",
                    path=path,
                    row=units_i + 1,
                    column=name,
                )
        elif index_sheet:
            unit = "index 2010=100"
        else:
            raise HilirDataError(
                "no unit for this series", path=path, row=(units_i or 0) + 1, column=name
            )
        if real and unit.startswith(("USD", "US cents")):
            unit = f"{unit} (real 2010 USD)"
        _check_unique(columns, j, code, name, row=name_row + 1, path=path, sheet=sheet)
        columns.append((j, code, _clean_name(name), unit))
    if wanted is not None:
        absent = wanted - {c[1] for c in columns}
        if absent:
            raise HilirDataError(f"sheet {sheet!r} has no series {sorted(absent)}", path=path)
    return columns


def _check_unique(
    columns: list[tuple[int, str, str, str]],
    j: int,
    code: str,
    name: str,
    *,
    row: int,
    path: Path,
    sheet: str,
) -> None:
    """A series (code) met a second time in the header is an error naming both cells."""
    for k, other, *_ in columns:
        if other == code:
            raise HilirDataError(
                f"sheet {sheet!r}: series {name!r} ({code}) appears twice, in column "
                f"{_letter(k)} and cell {_letter(j)}{row}",
                path=path,
                row=row,
                column=name,
            )


def _sheet_records(
    rows: list[tuple[object, ...]],
    columns: list[tuple[int, str, str, str]],
    *,
    first: int,
    path: Path,
) -> tuple[list[tuple], list[int]]:
    """(year, month, code, name, price, unit) records of the data rows, and their lines."""
    kind = None
    records = []
    line_numbers = []
    for i in range(first, len(rows)):
        row = rows[i]
        if not row or all(_is_blank(v) for v in row):
            continue
        period = _period(row[0])
        if period is None:
            if all(_is_blank(v) for v in row[1:]):
                continue  # a footnote in column A below the data
            raise HilirDataError(
                f"{row[0]!r} is not a period (1960M01 or 1960)", path=path, row=i + 1, column="A"
            )
        this_kind = "month" if period[1] is not None else "year"
        if kind is None:
            kind = this_kind
        elif this_kind != kind:
            raise HilirDataError(
                "monthly and annual periods mixed in one sheet", path=path, row=i + 1, column="A"
            )
        for j, code, name, unit in columns:
            cell = row[j] if j < len(row) else None
            price = _cell_number(cell, path=path, row=i + 1, column=name, j=j)
            if price is None:
                continue
            if price < 0:
                raise HilirDataError(f"negative price {price!r}", path=path, row=i + 1, column=name)
            records.append((period[0], period[1], code, name, price, unit))
            line_numbers.append(i + 1)
    return records, line_numbers


def _find_units_row(header: list[tuple[object, ...]]) -> int | None:
    best = None
    for i, row in enumerate(header):
        cells = [str(v).strip() for v in row[1:] if not _is_blank(v)]
        if cells and sum(c.startswith("(") and c.endswith(")") for c in cells) >= 0.8 * len(cells):
            best = i
    return best


def _find_codes_row(
    header: list[tuple[object, ...]], data: list[tuple[object, ...]], units_i: int | None
) -> int | None:
    """The last header row, if it holds a code for every column that has data."""
    if not header:
        return None
    i = len(header) - 1
    if i == units_i:
        return None
    row = header[i]
    data_cols = {j for r in data for j, v in enumerate(r) if j > 0 and not _is_blank(v)}
    cells = {j: row[j] for j in data_cols if j < len(row)}
    if not data_cols or any(_is_blank(v) for v in cells.values()) or len(cells) < len(data_cols):
        return None
    if all(_CODE.match(str(v).strip()) for v in cells.values()):
        return i
    return None


def _column_name(
    header: list[tuple[object, ...]], j: int, *, skip: set[int | None]
) -> tuple[str | None, int]:
    """The lowest non-blank header text of column j (index sheets stack their names)."""
    for i in range(len(header) - 1, -1, -1):
        if i in skip:
            continue
        v = header[i][j]
        if not _is_blank(v):
            return str(v), i
    return None, -1


def _period(value: object) -> tuple[int, int | None] | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float | np.integer | np.floating):
        v = float(value)
        if v.is_integer() and 1900 <= v <= 2100:
            return int(v), None
        return None
    text = str(value).strip()
    m = _PERIOD.match(text)
    if m and 1 <= int(m.group(2)) <= 12:
        return int(m.group(1)), int(m.group(2))
    if re.fullmatch(r"\d{4}", text) and 1900 <= int(text) <= 2100:
        return int(text), None
    return None


def _cell_number(
    value: object, *, path: Path, row: int, column: str, j: int | None = None
) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float | np.integer | np.floating):
        v = float(value)
        return None if np.isnan(v) else v
    text = str(value).strip()
    if text.lower() in MISSING_TOKENS:
        return None
    try:
        return parse_number(text, decimal=".")
    except ValueError as exc:
        raise HilirDataError(
            f"{exc} (cell {_letter(j) if j is not None else '?'}{row}: a price cell must be a "
            "number or '…')",
            path=path,
            row=row,
            column=column,
        ) from exc


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _letter(j: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(j + 1)
