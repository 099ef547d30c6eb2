"""Pink Sheet vintages: which file a price comes from when several vintages are shipped.

The World Bank republishes the whole history in every update of its workbooks (monthly
``CMO-Historical-Data-Monthly.xlsx``, annual ``CMO-Historical-Data-Annual.xlsx``), with
small revisions and, from 2026, values rounded to two decimals. A new vintage is shipped as a
new file beside the old one (raw files are never modified), so the same observation can be
in two files. **The rule**: every (series, year, month) of the prices table comes from
exactly one file, the one of the newest vintage that has it. The vintage of an input is the
World Bank's "Updated on" date, written as ``reader_args: {vintage: 'YYYY-MM-DD'}`` in its
sidecar (and checked against the workbook's own "Updated on" title cell when it has one);
an input without one (a user's import) ranks by its ``accessed`` date. At equal vintage the
World Bank workbook wins over a long CSV derived from it, then the provenance key in
alphabetical order decides (same vintage, same numbers). Annual averages (``month`` empty)
and monthly prices are different periods: a newer monthly vintage does not replace a
published annual average (:func:`hilir.prices.annual_price` states how the two combine).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Protocol

import pandas as pd

from hilir.errors import HilirDataError

__all__ = ["check_vintage", "keep_newest_vintage", "parse_vintage", "vintage_of"]

_UPDATED = re.compile(r"^\s*updated\s+on\s+(.+?)\s*$", re.IGNORECASE)
_WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


class _Record(Protocol):
    key: str
    file: str
    accessed: str
    reader_args: dict


def parse_vintage(value: object, *, path: str | Path | None = None) -> str:
    """A vintage as ``YYYY-MM-DD`` text, or a located error.

    Parameters
    ----------
    value : object
        An ISO date (``"2026-06-02"``, or a :class:`datetime.date` as YAML reads it).
    path : str or pathlib.Path, optional
        File named in the error.

    Returns
    -------
    str
        The date, ISO format.
    """
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(str(value).strip()).isoformat()
    except ValueError as exc:
        raise HilirDataError(
            f"vintage {value!r} is not a date YYYY-MM-DD (the World Bank 'Updated on' date)",
            path=path,
            column="vintage",
        ) from exc


def check_vintage(
    header: list[tuple[object, ...]], vintage: str | None, *, path: Path, sheet: str
) -> None:
    """Check a sheet's "Updated on <Month DD, YYYY>" title cell against the stated vintage.

    Parameters
    ----------
    header : list of tuple
        The sheet's rows above the first data row (row 1 first).
    vintage : str or None
        The vintage the sidecar states (``YYYY-MM-DD``); None: nothing to check.
    path : pathlib.Path
        The workbook, for the error.
    sheet : str
        The sheet name, for the error.

    Raises
    ------
    HilirDataError
        The title cell names another date (the sidecar describes another vintage).
    """
    if vintage is None:
        return
    stated = parse_vintage(vintage, path=path)
    for i, row in enumerate(header):
        if not row or not isinstance(row[0], str):
            continue
        m = _UPDATED.match(row[0])
        if not m:
            continue
        try:
            found = datetime.strptime(m.group(1), "%B %d, %Y").date().isoformat()
        except ValueError:
            continue
        if found != stated:
            raise HilirDataError(
                f"sheet {sheet!r} says {row[0].strip()!r} (cell A{i + 1}) but its sidecar "
                f"states vintage {stated}; the sidecar describes another file",
                path=path,
                row=i + 1,
                column="A",
            )
        return


def vintage_of(record: _Record) -> str:
    """The vintage of an input: ``reader_args['vintage']``, else its ``accessed`` date."""
    stated = (record.reader_args or {}).get("vintage")
    return parse_vintage(stated if stated else record.accessed)


def keep_newest_vintage(table: pd.DataFrame, records: Iterable[_Record]) -> pd.DataFrame:
    """One row per (series, year, month): the one from the newest vintage (module doc).

    Parameters
    ----------
    table : pandas.DataFrame
        The stacked prices rows of every input (``source`` = provenance key).
    records : iterable of provenance records
        The inputs of the prices table (``key``, ``file``, ``accessed``, ``reader_args``).

    Returns
    -------
    pandas.DataFrame
        The rows kept, in their original order, index reset.
    """
    records = sorted(records, key=lambda r: r.key)
    ranked = sorted(
        records,
        key=lambda r: (vintage_of(r), Path(r.file).suffix.lower() in _WORKBOOK_SUFFIXES),
        reverse=True,
    )
    rank = {r.key: i for i, r in enumerate(ranked)}
    missing = sorted(set(table["source"].astype(str)) - set(rank))
    if missing:
        raise HilirDataError(f"prices rows of unknown inputs {missing}")
    order = table["source"].astype(str).map(rank)
    ordered = table.assign(_rank=order).sort_values("_rank", kind="stable")
    kept = ordered.drop_duplicates(["series", "year", "month"], keep="first")
    return table.loc[sorted(kept.index)].reset_index(drop=True)
