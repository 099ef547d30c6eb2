"""The BPS export portal's Excel export (https://www.bps.go.id/id/exim): a cross table.

The portal's current "Ekspor" export is not the long CSV download but a cross table with
destinations, ports and months across and HS codes and years down. Its layout, as observed
in the portal downloads ``Ekspor_HS_1-12.xlsx`` and ``Ekspor_HS_13-24.xlsx`` (2023-2025,
FOB value in US$) and the parser that tidies them (repository
``sean-gusti/visualisasi-ekspor-pertanian-pangan``, ``src/pipeline/01_gabung_tidy.py``, commit
``2848adb78cffed1b3e1a76c2719210e9d6c77c1f``; the file's rows and columns below are those
the parser reads):

* row 1: a title;
* row 2: the destination country over the columns of its ports and months (a merged cell,
  so only the first column of the range holds the name); a country starting with ``Total``
  holds totals;
* row 3: the port of loading over the columns of its months (merged likewise);
* row 4: the month as ``[01]Januari`` ... ``[12]Desember``;
* row 5: labels (not read);
* from row 6: column A the HS code and its description, ``[09] Coffee, tea, ...`` (merged
  down over its years), column B the year, column C a label (not read), then one FOB value
  in US$ per country, port and month from column D.

:func:`portal_table` turns it into the rows of the long download (``Kode HS``, ``Negara
Tujuan Ekspor``, ``Pelabuhan Muat``, ``Periode``, ``Nilai (USD)``), one per non-empty value
cell, each keeping its worksheet row; the total columns are checked against the countries
of their row and then left out. The table gives no weight.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from hilir.errors import HilirDataError
from hilir.fileio import read_text
from hilir.sources._bps_text import PathLikeStr

__all__ = ["portal_table"]

_MONTH = re.compile(r"^\s*\[(\d{1,2})\]\s*[A-Za-z]")
_CODE = re.compile(r"^\s*\[(\d{2,10})\]\s*(.*)$")
_YEAR = re.compile(r"^\s*(\d{4})(?:\.0)?\s*$")
_NUMBER = re.compile(r"^-?(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?(?:[eE][-+]?\d+)?$")
_TOTAL = ("total", "jumlah")
#: Lines searched for the month row.
_HEAD = 12


def portal_table(path: PathLikeStr) -> tuple[pd.DataFrame, int] | None:
    """The portal's cross table as the long download's rows, or ``None`` for another layout.

    Parameters
    ----------
    path : str or os.PathLike
        A workbook or CSV (read with :func:`hilir.fileio.read_text`).

    Returns
    -------
    tuple of (pandas.DataFrame, int) or None
        Text columns ``Kode HS``, ``Deskripsi HS``, ``Negara Tujuan Ekspor``,
        ``Pelabuhan Muat`` (when the table has a port row), ``Periode`` (YYYYMM),
        ``Nilai (USD)`` and ``_row`` (the worksheet row of the value), and the row of the
        month labels (the header, for errors). ``None`` when the first lines hold no row of
        month labels ``[01]Januari``.

    Raises
    ------
    HilirDataError
        A value that is not a number (row and column of the cell), a month label outside
        01-12, a data row before any HS code, a total column that differs from the sum of
        the countries of its row by more than US$1 and a millionth.
    """
    text = read_text(path)
    try:
        head = list(itertools.islice(csv.reader(io.StringIO(text)), _HEAD))
    except csv.Error:  # not this layout; the CSV reader names the fault
        return None
    at = next((i for i, r in enumerate(head) if sum(bool(_MONTH.match(c)) for c in r) >= 1), None)
    if at is None or at < 1:
        return None
    records = _records(text, path=path)
    month_row = records[at]
    data_cols = [j for j, c in enumerate(month_row) if _MONTH.match(c)]
    first = data_cols[0]
    above = [r for r in records[1:at] if any(c.strip() for c in r[first:])]
    country = _filled(above[0] if above else [], data_cols)
    port = _filled(above[1], data_cols) if len(above) > 1 else None
    months = {j: int(_MONTH.match(month_row[j]).group(1)) for j in data_cols}  # type: ignore[union-attr]
    bad = [j for j, m in months.items() if not 1 <= m <= 12]
    if bad:
        raise HilirDataError(
            f"{month_row[bad[0]]!r} is not a month", path=path, row=at + 1, column=_letter(bad[0])
        )
    out = _long(records[at + 1 :], at + 1, data_cols, country, port, months, path=path)
    return out, at + 1


def _records(text: str, *, path: PathLikeStr) -> list[list[str]]:
    try:
        return list(csv.reader(io.StringIO(text), strict=True))
    except csv.Error as exc:
        raise HilirDataError(f"malformed or cut CSV ({exc})", path=path) from exc


def _filled(record: Sequence[str], columns: Sequence[int]) -> dict[int, str]:
    """Labels of a merged header row, carried right over the columns of their range."""
    out: dict[int, str] = {}
    last = ""
    for j in columns:
        cell = record[j].strip() if j < len(record) else ""
        last = cell or last
        out[j] = last
    return out


def _letter(j: int) -> str:
    name = ""
    j += 1
    while j:
        j, rest = divmod(j - 1, 26)
        name = chr(65 + rest) + name
    return name


def _long(
    records: list[list[str]],
    offset: int,
    data_cols: list[int],
    country: dict[int, str],
    port: dict[int, str] | None,
    months: dict[int, int],
    *,
    path: PathLikeStr,
) -> pd.DataFrame:
    """One row per non-empty value cell of the data rows (below the month row)."""
    total = [j for j in data_cols if country[j].lower().startswith(_TOTAL)]
    totals = set(total) | {j for j in data_cols if port and port[j].lower().startswith(_TOTAL)}
    rows: list[dict[str, object]] = []
    code = description = None
    for i, record in enumerate(records, start=offset + 1):
        found = _CODE.match(record[0]) if record else None
        if found:
            code, description = found.group(1), found.group(2).strip()
        year = _YEAR.match(record[1]) if len(record) > 1 else None
        if year is None:
            continue
        if code is None:
            raise HilirDataError(
                "a year row before any HS code '[..]'", path=path, row=i, column="A"
            )
        values = {j: _value(record, j, i, country, port, months, path=path) for j in data_cols}
        detail = [j for j in data_cols if j not in totals and values[j] is not None]
        _check_total(values, detail, total, row=i, path=path)
        for j in detail:
            rows.append(
                {
                    "Kode HS": code,
                    "Deskripsi HS": description,
                    "Negara Tujuan Ekspor": country[j],
                    **({"Pelabuhan Muat": port[j]} if port else {}),
                    "Periode": f"{year.group(1)}{months[j]:02d}",
                    "Nilai (USD)": repr(values[j]),
                    "_row": i,
                }
            )
    if not rows:
        raise HilirDataError("the export table has no values below its month row", path=path)
    df = pd.DataFrame(rows)
    text_cols = [c for c in df.columns if c != "_row"]
    df[text_cols] = df[text_cols].astype(str)
    df["_row"] = df["_row"].astype("int64")
    return df


def _value(
    record: Sequence[str],
    j: int,
    row: int,
    country: dict[int, str],
    port: dict[int, str] | None,
    months: dict[int, int],
    *,
    path: PathLikeStr,
) -> float | None:
    cell = record[j].strip() if j < len(record) else ""
    if cell in ("", "-", "\u2500"):
        return None
    if not _NUMBER.match(cell):
        labels = (country[j], port[j] if port else "", f"month {months[j]:02d}")
        where = " / ".join(x for x in labels if x)
        raise HilirDataError(
            f"{cell!r} is not a number (FOB value in US$ for {where})",
            path=path,
            row=row,
            column=_letter(j),
        )
    value = float(cell.replace(",", ""))
    if not np.isfinite(value) or value < 0:
        raise HilirDataError(
            f"value {cell!r} is negative or not finite", path=path, row=row, column=_letter(j)
        )
    return value


def _check_total(
    values: dict[int, float | None],
    detail: list[int],
    total: list[int],
    *,
    row: int,
    path: PathLikeStr,
) -> None:
    """The total columns of a row equal the sum of its countries (within US$1 + 1e-6)."""
    if not total:
        return
    stated = sum(values[j] or 0.0 for j in total)
    summed = sum(values[j] or 0.0 for j in detail)
    if abs(stated - summed) > 1.0 + 1e-6 * abs(stated):
        raise HilirDataError(
            f"the total {stated:,.2f} US$ differs from the sum of the countries {summed:,.2f} US$",
            path=path,
            row=row,
            column=_letter(total[0]),
        )
