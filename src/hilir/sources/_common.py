"""Parsing helpers shared by the readers: text files, numbers, years, keys, column checks, HS codes.

Each helper either normalises in a documented way or raises
:class:`~hilir.errors.HilirDataError` naming file, row and column. Row numbers are 1-based
line numbers of the file as a spreadsheet shows them (header lines count).
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from collections.abc import Callable, Iterable, Sequence
from os import PathLike

import numpy as np
import pandas as pd

from hilir.checks import column_key
from hilir.errors import HilirDataError, HilirDataWarning, caller_stacklevel
from hilir.fileio import read_csv, read_text
from hilir.hs import normalise_hs_code
from hilir.schema.cells import year_range_error

PathLikeStr = str | PathLike[str]

_YEAR = re.compile(r"^\d{4}$")


def find_column(
    columns: Iterable[str],
    names: Iterable[str],
    *,
    key: Callable[[object], str] = column_key,
) -> str | None:
    """The first of ``names`` present among ``columns`` (compared by ``key``), as spelled there.

    Returns
    -------
    str or None
        The column as written in the file, or ``None`` if none of the names is present.
    """
    present = {key(c): c for c in columns if c != "_row"}
    for name in names:
        if key(name) in present:
            return present[key(name)]
    return None


def header_offset(
    path: PathLikeStr,
    names: Iterable[str],
    *,
    key: Callable[[object], str] = column_key,
    max_lines: int = 30,
) -> int:
    """Lines above the header: the first record naming any of ``names`` is the header.

    Spreadsheet exports often put a title line or two above the column names. Only the
    first ``max_lines`` records are searched; 0 when no record there names a column (the
    reader then reports the missing columns).
    """
    wanted = {key(n) for n in names}
    reader = csv.reader(io.StringIO(read_text(path)))
    previous = 0
    try:
        for i, record in enumerate(reader):
            if i >= max_lines:
                break
            if wanted & {key(c) for c in record}:
                return previous
            previous = reader.line_num
    except csv.Error:  # a malformed line: read_csv names it
        pass
    return 0


def read_csv_below_title(
    path: PathLikeStr,
    names: Iterable[str],
    *,
    key: Callable[[object], str] = column_key,
) -> tuple[pd.DataFrame, int]:
    """:func:`read_csv` from the header line found by :func:`header_offset`.

    Returns
    -------
    tuple of (pandas.DataFrame, int)
        The frame (``_row`` stays the file's own line number) and the number of lines
        skipped above the header; skipping warns with :class:`HilirDataWarning`.
    """
    skip = header_offset(path, names, key=key)
    df = read_csv(path, skiprows=skip)
    if skip:
        warnings.warn(
            f"{path}: skipped {skip} line(s) above the header (title rows)",
            HilirDataWarning,
            stacklevel=caller_stacklevel(),
        )
    return df, skip


def parse_years(df: pd.DataFrame, column: str, *, path: PathLikeStr | None) -> pd.Series:
    """Parse a text column of four-digit years.

    Returns
    -------
    pandas.Series of int64

    Raises
    ------
    HilirDataError
        Naming the line and column of the first cell that is not a four-digit year, or of a
        year outside 1900 to the current year.
    """
    cells = df[column].astype(str).str.strip()
    bad = ~cells.str.fullmatch(_YEAR.pattern)
    if bad.any():
        idx = cells.index[bad.to_numpy()][0]
        raise HilirDataError(
            f"{df.loc[idx, column]!r} is not a four-digit year",
            path=path,
            row=int(df.loc[idx, "_row"]),
            column=column,
        )
    years = cells.astype("int64")
    error = year_range_error(years, path=path, column=column, rows=df["_row"])
    if error is not None:
        raise error
    return years


def check_unique(
    df: pd.DataFrame, key: Sequence[str], *, path: PathLikeStr | None, column: str
) -> None:
    """Raise on the second occurrence of a key, naming both lines.

    Parameters
    ----------
    df : pandas.DataFrame
        Frame with ``_row`` and the key columns.
    key : sequence of str
        Columns that must identify a row.
    path : str or os.PathLike or None
        The file, for the message.
    column : str
        Column named in the error (as written in the file).
    """
    dup = df.duplicated(subset=list(key), keep=False).to_numpy(dtype=bool)
    if not dup.any():
        return
    sub = df.loc[dup]
    first = sub.groupby(list(key), sort=False, dropna=False)["_row"].transform("min")
    later = sub.loc[sub["_row"].to_numpy() != first.to_numpy()]
    idx = later["_row"].idxmin()
    values = ", ".join(f"{k}={df.loc[idx, k]}" for k in key)
    raise HilirDataError(
        f"duplicate row ({values}): the same key is already on row {int(first.loc[idx])}",
        path=path,
        row=int(df.loc[idx, "_row"]),
        column=column,
    )


def first_bad(mask: pd.Series | np.ndarray, df: pd.DataFrame) -> int:
    """Line number (``_row``) of the first row where ``mask`` is true."""
    arr = np.asarray(mask, dtype=bool)
    return int(df["_row"].to_numpy()[arr][0])


def check_nonnegative(
    values: pd.Series,
    df: pd.DataFrame,
    column: str,
    *,
    path: PathLikeStr | None,
    what: str = "value",
) -> pd.Series:
    """Return parsed ``values`` unchanged, or raise at the first negative one.

    Parameters
    ----------
    values : pandas.Series
        Numbers parsed from ``df[column]`` (same length and order as ``df``).
    df : pandas.DataFrame
        The frame as read, with ``_row``.
    column : str
        Column as written in the file, named in the error (and whose cell the message quotes
        when ``df`` has it).
    path : str or os.PathLike or None
        The file, for the message.
    what : str, default "value"
        What the numbers are ("price", "number of workers"), for the message.

    Returns
    -------
    pandas.Series
        ``values`` itself.

    Raises
    ------
    HilirDataError
        Naming the line and column of the first negative value.
    """
    neg = np.asarray(pd.Series(values).lt(0), dtype=bool)
    if neg.any():
        cells = df[column].to_numpy() if column in df.columns else np.asarray(values)
        raise HilirDataError(
            f"negative {what} {cells[neg][0]!r}",
            path=path,
            row=first_bad(neg, df),
            column=column,
        )
    return values


def normalise_codes(
    df: pd.DataFrame,
    column: str,
    *,
    path: PathLikeStr | None,
    length: int | None = None,
) -> pd.Series:
    """Normalise a column of HS codes; one warning summarises restored leading zeros.

    Returns
    -------
    pandas.Series of str
        Zero-padded digit strings.

    Raises
    ------
    HilirDataError
        Naming the line and column of the first code that is not an HS code.
    """
    rows = df["_row"].to_numpy() if "_row" in df.columns else np.arange(len(df)) + 2
    codes: list[str] = []
    restored = 0
    for cell, row in zip(df[column].to_numpy(), rows, strict=True):
        try:
            code, fixed = normalise_hs_code(cell, length=length, warn=False)
        except HilirDataError as exc:
            raise HilirDataError(exc.reason, path=path, row=int(row), column=column) from exc
        codes.append(code)
        restored += fixed
    if restored:
        warnings.warn(
            f"{path}: {restored} HS code(s) in column {column!r} had lost leading zeros "
            "(stored as numbers); zeros restored",
            HilirDataWarning,
            stacklevel=caller_stacklevel(),
        )
    return pd.Series(codes, index=df.index, name=column, dtype="string")
