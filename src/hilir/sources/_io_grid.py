"""Shared helpers of the IO table readers: sector classifications, cells and code grids.

:mod:`hilir.sources.io_bps` and :mod:`hilir.sources.io_wiod` use these; the reference table
``refdata/io_sectors.csv`` is read through :func:`hilir.refdata.read_refdata`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from hilir.checks import require_file_columns
from hilir.errors import HilirDataError
from hilir.fileio import read_csv
from hilir.refdata.io_sectors import sector_classifications
from hilir.schema.cells import parse_number

PathLikeStr = str | PathLike[str]

#: Sheets read first, in this order, when no sheet is named.
PREFERRED_SHEETS = ("domestik produsen", "pdd", "tabel 3")


# --------------------------------------------------------------------------------------------
# sector classifications (package data)


def norm_name(text: object) -> str:
    return re.sub(r"[^a-z0-9]+", " ", str(text).lower()).strip()


def match_classification(codes: list[str], names: list[str], *, by: str) -> str | None:
    ref = sector_classifications()
    for key, grp in ref.groupby("classification", sort=False):
        if len(grp) != len(codes) or list(grp["code"]) != codes:
            continue
        if by == "code" or [norm_name(n) for n in grp["name_id"]] == [norm_name(n) for n in names]:
            return str(key)
    return None


def sector_frame(
    codes: list[str], name_id: list[str], name_en: list[str] | None, classification: str | None
) -> pd.DataFrame:
    out = pd.DataFrame({"code": codes, "name_id": name_id})
    if name_en is not None:
        out["name_en"] = name_en
    elif classification is not None:
        ref = sector_classifications()
        ref = ref[ref["classification"] == classification].set_index("code")
        out["name_en"] = out["code"].map(ref["name_en"])
    else:
        out["name_en"] = pd.NA
    return out.astype({"code": "string", "name_id": "string", "name_en": "string"})


# --------------------------------------------------------------------------------------------
# cell helpers


def code_of(value: object) -> int | None:
    """An integer code from a cell (int, integral float or digit string), else None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return int(value) if float(value).is_integer() else None
    text = str(value).strip()
    if re.fullmatch(r"\d+(\.0+)?", text):
        return int(float(text))
    # Provincial tables split exports as "305 LN" (luar negeri: abroad) and "305 DN" (dalam
    # negeri: other provinces): the codes 305 and 306 of the tables that number them.
    split = re.fullmatch(r"(\d{3})\s*(LN|DN)", text, flags=re.IGNORECASE)
    if split and split.group(1) == "305":
        return 305 if split.group(2).upper() == "LN" else 306
    return None


@dataclass(frozen=True)
class Cell:
    value: object
    row: int  # 1-based line or worksheet row
    column: str  # column as a user finds it


def cell_number(cell: Cell | None, *, path: PathLikeStr | None) -> float:
    """A cell's number; blank, '-' and missing cells are nil (0)."""
    if cell is None:
        return 0.0
    try:
        value = parse_number(cell.value)
    except ValueError as exc:
        raise HilirDataError(
            f"{cell.value!r} is not a number", path=path, row=cell.row, column=cell.column
        ) from exc
    return 0.0 if np.isnan(value) else value


# --------------------------------------------------------------------------------------------
# BPS workbooks and long CSVs


@dataclass
class Grid:
    """Cells keyed by (row code, column code), plus the sector codes and names."""

    cells: dict[tuple[int, int], Cell]
    sector_codes: list[int]
    sector_names: list[str]
    row_codes: set[int]
    col_codes: set[int]
    title: str = ""
    where: str = ""
    col_label: Mapping[int, str] = field(default_factory=dict)
    row_line: Mapping[int, int] = field(default_factory=dict)


def grid_from_workbook(path: Path, *, sheet: str | None) -> Grid:
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zipfile.BadZipFile, KeyError, InvalidFileException ...
        raise HilirDataError(f"not a readable Excel workbook: {exc}", path=path) from exc
    try:
        names = wb.sheetnames
        chosen = choose_sheet(wb, names, sheet, path=path)
        rows = [list(r) for r in wb[chosen].iter_rows(values_only=True)]
    finally:
        wb.close()
    if not rows:
        raise HilirDataError(f"sheet {chosen!r} is empty", path=path)
    title = " ".join(str(v) for r in rows[:6] for v in r if isinstance(v, str) and v.strip())

    # header row: the row whose coded cells run 1, 2, 3, ... left to right (text cells in
    # between, such as a repeated "SEKTOR" label at a printed page break, are skipped)
    n, hrow, hcol = _header_run(rows)
    if n < 3:
        raise HilirDataError(
            f"sheet {chosen!r} has no header row of sector codes 1, 2, 3, ...", path=path
        )
    header = [code_of(v) for v in rows[hrow]]
    col_of: dict[int, int] = {}
    for j, c in enumerate(header):
        if c is not None and j >= hcol and c not in col_of:
            col_of[c] = j

    # code column: the column whose cells run 1, 2, 3, ... downwards below the header
    code_col, first_row = _code_column(rows, hrow, hcol, n)
    if code_col < 0:
        raise HilirDataError(
            f"sheet {chosen!r}: no column holds the row codes 1..{n} of the {n} sectors "
            "in the header row",
            path=path,
        )
    row_of: dict[int, int] = {}
    for i in range(first_row, len(rows)):
        c = code_of(rows[i][code_col]) if code_col < len(rows[i]) else None
        if c is not None and c not in row_of:
            row_of[c] = i
    extra = [c for c in row_of if c > n and c < 180]
    if extra:
        raise HilirDataError(
            f"row code {extra[0]} is a sector code, but the header row has only {n} sectors",
            path=path,
            row=row_of[extra[0]] + 1,
            column=get_column_letter(code_col + 1),
        )

    sector_names = _sector_names(rows, code_col, first_row, n)

    cells: dict[tuple[int, int], Cell] = {}
    for rc, i in row_of.items():
        r = rows[i]
        for cc, j in col_of.items():
            if j < len(r) and r[j] is not None:
                cells[(rc, cc)] = Cell(r[j], i + 1, f"{get_column_letter(j + 1)} (code {cc})")
    return Grid(
        cells=cells,
        sector_codes=list(range(1, n + 1)),
        sector_names=sector_names,
        row_codes=set(row_of),
        col_codes=set(col_of),
        title=title,
        where=f"sheet {chosen!r}",
        col_label={cc: f"{get_column_letter(j + 1)} (code {cc})" for cc, j in col_of.items()},
        row_line={rc: i + 1 for rc, i in row_of.items()},
    )


def choose_sheet(wb: Any, names: list[str], sheet: str | None, *, path: Path) -> str:
    if sheet is not None:
        if sheet not in names:
            raise HilirDataError(f"no sheet {sheet!r}; the workbook has {names}", path=path)
        return sheet
    lower = {n.strip().lower(): n for n in names}
    for want in PREFERRED_SHEETS:
        if want in lower:
            return lower[want]
    for name in names:
        head = " ".join(
            str(v).lower()
            for r in wb[name].iter_rows(max_row=4, values_only=True)
            for v in r
            if isinstance(v, str)
        )
        if "domestik" in head and "produsen" in head:
            return name
    raise HilirDataError(
        "no sheet of domestic transactions at producer prices (looked for 'Domestik "
        f"Produsen', 'PDD', 'Tabel 3' or a title with 'domestik' and 'produsen'); the "
        f"workbook has {names}; pass sheet=",
        path=path,
    )


def grid_from_long_csv(path: Path) -> Grid:
    df = read_csv(path)
    df = require_file_columns(
        df, ["row_code", "row_label", "col_code", "col_label", "value"], path=path
    )
    cells: dict[tuple[int, int], Cell] = {}
    names: dict[int, str] = {}
    col_codes: set[int] = set()
    row_codes: set[int] = set()
    for line, row_code, row_label, col_code, value in zip(
        df["_row"], df["row_code"], df["row_label"], df["col_code"], df["value"], strict=True
    ):
        line = int(line)
        rc, cc = code_of(row_code), code_of(col_code)
        if rc is None:
            raise HilirDataError(
                f"{row_code!r} is not a row code", path=path, row=line, column="row_code"
            )
        if cc is None:
            raise HilirDataError(
                f"{col_code!r} is not a column code", path=path, row=line, column="col_code"
            )
        if (rc, cc) in cells:
            raise HilirDataError(
                f"duplicate cell (row {rc}, column {cc}); first on line {cells[(rc, cc)].row}",
                path=path,
                row=line,
                column="col_code",
            )
        cells[(rc, cc)] = Cell(value, line, "value")
        row_codes.add(rc)
        col_codes.add(cc)
        if rc < 180 and rc not in names:
            names[rc] = " ".join(str(row_label).split())
    sectors = sorted(c for c in col_codes if c < 180)
    if not sectors or sectors != list(range(1, len(sectors) + 1)):
        raise HilirDataError("sector column codes are not 1..n", path=path, column="col_code")
    missing = [c for c in sectors if c not in row_codes]
    if missing:
        raise HilirDataError(
            f"no rows for sector code(s) {missing[:5]}", path=path, column="row_code"
        )
    title = f"{path.stem.replace('_', ' ')}"
    return Grid(
        cells=cells,
        sector_codes=sectors,
        sector_names=[names.get(c, "") for c in sectors],
        row_codes=row_codes,
        col_codes=col_codes,
        title=title,
        where="long CSV",
        col_label={c: f"value (col_code {c})" for c in col_codes},
    )


def _header_run(rows: list[list[Any]]) -> tuple[int, int, int]:
    """Longest run of codes 1, 2, 3, ... in a row: (run length, row index, column of code 1)."""
    best = (0, -1, -1)  # run length, row index, column of code 1
    for i, r in enumerate(rows[:40]):
        coded = [(j, c) for j, c in ((j, code_of(v)) for j, v in enumerate(r)) if c is not None]
        for start, (j, c) in enumerate(coded):
            if c != 1:
                continue
            k = 0
            while start + k < len(coded) and coded[start + k][1] == k + 1:
                k += 1
            if k > best[0]:
                best = (k, i, j)
    return best


def _code_column(rows: list[list[Any]], hrow: int, hcol: int, n: int) -> tuple[int, int]:
    """Column whose cells run 1..n downwards below the header, and its first row (-1 if none)."""
    code_col = -1
    first_row = -1
    for j in range(min(hcol, 12)):
        col = [code_of(r[j]) if j < len(r) else None for r in rows]
        for i in range(hrow + 1, len(rows)):
            if col[i] == 1 and all(i + k < len(rows) and col[i + k] == k + 1 for k in range(n)):
                code_col, first_row = j, i
                break
        if code_col >= 0:
            break
    return code_col, first_row


def _sector_names(rows: list[list[Any]], code_col: int, first_row: int, n: int) -> list[str]:
    """Sector names: the neighbouring column with the most text in the sector rows."""

    # sector names: the neighbouring column with the most text in the sector rows
    def texts(j: int) -> list[str]:
        out = []
        for i in range(first_row, first_row + n):
            v = rows[i][j] if 0 <= j < len(rows[i]) else None
            out.append(" ".join(str(v).split()) if isinstance(v, str) else "")
        return out

    candidates = [texts(j) for j in (code_col - 1, code_col + 1) if j >= 0]
    sector_names = max(candidates, key=lambda t: sum(bool(x) for x in t))
    return sector_names
