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
from collections.abc import Callable, Iterable, Mapping, Sequence
from os import PathLike
from pathlib import Path

import numpy as np
import pandas as pd

from hilir.errors import HilirDataError, HilirDataWarning
from hilir.hs import normalise_hs_code

PathLikeStr = str | PathLike[str]

#: Strings read as "no value": BPS uses "-" and "─" (nil), Comtrade and others use blanks.
MISSING_TOKENS = frozenset({"", "-", "─", "–", "—", "..", "...", "…", "na", "n/a", "nan", "null"})

# A thousands group never starts with 0: "0,135" and "0.135" are decimals, not 135.
_THOUSANDS_COMMA = re.compile(r"^[+-]?[1-9]\d{0,2}(,\d{3})+(\.\d+)?$")
_THOUSANDS_DOT = re.compile(r"^[+-]?[1-9]\d{0,2}(\.\d{3})+(,\d+)?$")
_PLAIN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")
_YEAR = re.compile(r"^\d{4}$")


def read_text(path: PathLikeStr) -> str:
    """Read a text file, dropping a UTF-8 byte-order mark; reject empty files.

    Raises
    ------
    HilirDataError
        If the file does not exist, is empty, or is not text.
    """
    p = Path(path)
    if not p.is_file():
        raise HilirDataError("file not found", path=p)
    data = p.read_bytes()
    if not data.strip():
        raise HilirDataError("file is empty", path=p)
    if b"\x00" in data[:4096]:
        raise HilirDataError("file is not text (is it an Excel workbook?)", path=p)
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise HilirDataError("file is neither UTF-8 nor Windows-1252 text", path=p)


def read_csv(path: PathLikeStr, *, skiprows: int = 0, **kwargs: object) -> pd.DataFrame:
    """Read a CSV as text columns, keeping a ``_row`` column with each row's line number.

    Parameters
    ----------
    path : str or os.PathLike
        The CSV file.
    skiprows : int, default 0
        Lines before the header line.
    **kwargs
        ``sep`` (or ``delimiter``) chooses the field separator (default ``,``). Any other
        keyword is passed to :func:`pandas.read_csv` (then line numbers assume one line per
        record and field counts are not checked).

    Returns
    -------
    pandas.DataFrame
        All cells as strings (``dtype=str``, no NA conversion), plus ``_row`` (int): the
        1-based line number of each data row in the file (the first line of the record when
        a quoted cell spans lines). Empty header cells are named ``Unnamed: <i>`` and repeated
        names get ``.1``, ``.2`` as pandas does. Empty cells after the last header column
        (trailing separators, as spreadsheets write them) are dropped.

    Raises
    ------
    HilirDataError
        Empty file, no data rows, a line with fewer fields than the header or with text after
        the last header column (row = that line, column = the first missing column), or a
        file that ends inside a quoted cell (cut short).
    """
    text = read_text(path)
    extra = {k: v for k, v in kwargs.items() if k not in ("sep", "delimiter")}
    if extra:
        return _read_csv_pandas(text, path, skiprows=skiprows, **kwargs)
    sep = str(kwargs.get("sep", kwargs.get("delimiter", ",")))
    lines_before = 0
    if skiprows:
        parts = text.split("\n", skiprows)
        lines_before = len(parts) - 1
        text = parts[-1] if len(parts) > skiprows else ""
    reader = csv.reader(io.StringIO(text), delimiter=sep, strict=True)
    header: list[str] | None = None
    records: list[list[str]] = []
    rows: list[int] = []
    previous = 0
    try:
        for record in reader:
            start = previous + 1 + lines_before
            previous = reader.line_num
            if not record or all(not cell.strip() for cell in record):
                continue
            if header is None:
                header = record
                continue
            width = len(header)
            if len(record) < width:
                raise HilirDataError(
                    f"line has {len(record)} of the header's {width} fields "
                    "(was the file cut mid-line?)",
                    path=path,
                    row=start,
                    column=_column_names(header)[len(record)],
                )
            if len(record) > width:
                if any(cell.strip() for cell in record[width:]):
                    raise HilirDataError(
                        f"line has {len(record)} fields but the header has {width}",
                        path=path,
                        row=start,
                    )
                record = record[:width]
            records.append(record)
            rows.append(start)
    except csv.Error as exc:
        where = previous + 1 + lines_before
        if "unexpected end of data" in str(exc):
            raise HilirDataError(
                "the file ends inside a quoted cell (was it cut short?)", path=path, row=where
            ) from exc
        raise HilirDataError(f"malformed CSV line: {exc}", path=path, row=where) from exc
    if header is None:
        raise HilirDataError("file has no header line", path=path)
    if not records:
        raise HilirDataError("file has a header but no data rows", path=path)
    df = pd.DataFrame(records, columns=_column_names(header), dtype=str)
    df["_row"] = np.asarray(rows, dtype="int64")
    return df


def _column_names(header: list[str]) -> list[str]:
    """Header cells as pandas names them: ``Unnamed: i`` for blanks, ``name.1`` for repeats."""
    names: list[str] = []
    seen: dict[str, int] = {}
    for i, cell in enumerate(header):
        name = cell if cell.strip() else f"Unnamed: {i}"
        if name in seen:
            seen[name] += 1
            name = f"{name}.{seen[name]}"
        else:
            seen[name] = 0
        names.append(name)
    return names


def _read_csv_pandas(
    text: str, path: PathLikeStr, *, skiprows: int, **kwargs: object
) -> pd.DataFrame:
    """:func:`read_csv` through pandas, for options the csv module path does not offer."""
    kwargs.setdefault("index_col", False)
    try:
        df = pd.read_csv(
            io.StringIO(text),
            dtype=str,
            keep_default_na=False,
            skiprows=skiprows,
            skip_blank_lines=False,
            **kwargs,  # type: ignore[arg-type]
        )
    except pd.errors.ParserError as exc:
        raise HilirDataError(f"malformed CSV: {exc}", path=path) from exc
    except pd.errors.EmptyDataError as exc:
        raise HilirDataError("file has no header line", path=path) from exc
    header_lines = skiprows + 1
    df["_row"] = np.arange(len(df)) + header_lines + 1
    # Blank lines (all cells empty) are dropped; the line numbers of the rest stay true.
    cells = df.drop(columns="_row")
    blank = cells.apply(lambda s: s.fillna("").str.strip().eq("")).all(axis=1)
    df = df.loc[~blank].copy()
    if df.empty:
        raise HilirDataError("file has a header but no data rows", path=path)
    return df


def column_key(name: object) -> str:
    """Fold a column name for matching: spaces, ``_ . ( ) $`` removed, lower case.

    Examples
    --------
    >>> column_key("Trade Value (US$)")
    'tradevalueus'
    """
    return re.sub(r"[\s_.()$]+", "", str(name)).lower()


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
            stacklevel=3,
        )
    return df, skip


def read_csv_strict(path: PathLikeStr) -> pd.DataFrame:
    """Read a CSV as text (see :func:`hilir.sources._common.read_csv`), naming more causes.

    On top of :func:`~hilir.sources._common.read_csv` (which rejects lines with too few or too
    many fields), this names the column of a file that ends inside a quoted field and
    recognises a title line above the header (as a spreadsheet export writes it).

    Returns
    -------
    pandas.DataFrame
        All cells as strings plus ``_row`` (1-based line number).

    Raises
    ------
    HilirDataError
        Empty file; a file that ends inside a quoted field (row = the line where the field
        opens, column = that field); a title line above the header (row 1); a line with fewer
        or more fields than the header (row = that line, column = the first missing column).
    """
    text = read_text(path)
    _check_title_line(text, path=path)
    _check_open_quote(text, path=path)
    return read_csv(path)


def _check_title_line(text: str, *, path: PathLikeStr | None) -> None:
    """Raise when the first line is narrower than the records under it (a title line)."""
    records = []
    try:
        for record in csv.reader(io.StringIO(text)):
            if record and any(cell.strip() for cell in record):
                records.append(record)
            if len(records) == 2:
                break
    except csv.Error:
        return
    if len(records) < 2:
        return
    header, first = records
    if len(first) > len(header) and any(cell.strip() for cell in first[len(header) :]):
        raise HilirDataError(
            f"the first line has {len(header)} field(s) but the next record has {len(first)}: "
            "is there a title line above the header? The column names must be on the first line",
            path=path,
            row=1,
        )


def _check_open_quote(text: str, *, path: PathLikeStr | None) -> None:
    """Raise when the text ends inside a quoted field, naming its line and column."""
    if '"' not in text:
        return
    header = next(csv.reader(io.StringIO(text.split("\n", 1)[0])), [])
    line = start = 1
    field = open_field = 0
    in_quote = False
    for ch in text:
        if in_quote:
            if ch == '"':
                in_quote = False
            elif ch == "\n":
                line += 1
        elif ch == '"':
            in_quote = True
            open_field = field
        elif ch == ",":
            field += 1
        elif ch == "\n":
            line += 1
            start = line
            field = 0
    if in_quote:
        raise HilirDataError(
            "the file ends inside a quoted field (was it cut short?)",
            path=path,
            row=start,
            column=header[open_field] if open_field < len(header) else None,
        )


def parse_years(df: pd.DataFrame, column: str, *, path: PathLikeStr | None) -> pd.Series:
    """Parse a text column of four-digit years.

    Returns
    -------
    pandas.Series of int64

    Raises
    ------
    HilirDataError
        Naming the line and column of the first cell that is not a four-digit year.
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
    return cells.astype("int64")


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


def require_columns(
    df: pd.DataFrame,
    required: Iterable[str],
    *,
    path: PathLikeStr | None,
    aliases: Mapping[str, Iterable[str]] | None = None,
) -> pd.DataFrame:
    """Check that columns exist, renaming known aliases to their canonical names.

    Parameters
    ----------
    df : pandas.DataFrame
        Frame as read.
    required : iterable of str
        Canonical column names that must be present.
    path : str or os.PathLike or None
        The file, for the error message.
    aliases : mapping, optional
        Canonical name -> other spellings seen in real files (compared after stripping
        spaces and case).

    Returns
    -------
    pandas.DataFrame
        A copy with aliases renamed to canonical names.

    Raises
    ------
    HilirDataError
        Naming every missing column and the columns the file does have.
    """
    norm = column_key
    present = {norm(c): c for c in df.columns}
    rename: dict[str, str] = {}
    missing: list[str] = []
    for canon in required:
        names = [canon, *(aliases or {}).get(canon, ())]
        hit = next((present[norm(n)] for n in names if norm(n) in present), None)
        if hit is None:
            missing.append(canon)
        elif hit != canon:
            rename[hit] = canon
    if missing:
        have = [c for c in df.columns if c != "_row"]
        raise HilirDataError(
            f"missing column(s) {missing}; the file has {have}", path=path, row=1, column=missing[0]
        )
    return df.rename(columns=rename)


def parse_number(text: object, *, decimal: str = "auto") -> float:
    """Parse one number written with thousands separators or a decimal comma.

    Parameters
    ----------
    text : object
        The cell as read (string or number).
    decimal : {"auto", ".", ","}, default "auto"
        The decimal mark. ``"auto"`` accepts ``1,234.5`` (thousands comma), ``1.234,5`` and
        ``1.234.567`` (Indonesian style) and ``12,5`` (decimal comma). Ambiguous forms:
        a lone ``1,234`` is read as one thousand two hundred and thirty-four (a group of
        three digits), while a single dot is a decimal point (``1.234`` and ``0.135`` are
        read as 1.234 and 0.135, as data files write decimals); pass ``","`` for Indonesian
        tables that write 1.234 for one thousand two hundred and thirty-four. A group that
        starts with 0 is never a thousands group (``0,135`` is 0.135).

    Returns
    -------
    float
        ``nan`` for the missing-value tokens in :data:`MISSING_TOKENS`.

    Raises
    ------
    ValueError
        If the text is not a number in the chosen convention.
    """
    if text is None:
        return float("nan")
    if isinstance(text, int | float | np.integer | np.floating):
        return float(text)
    s = str(text).strip().replace("\u00a0", "").replace(" ", "")
    if s.lower() in MISSING_TOKENS:
        return float("nan")
    negative = s.startswith("(") and s.endswith(")")
    if negative:
        s = "-" + s[1:-1]
    if decimal == ".":
        if _PLAIN.match(s):
            return float(s)
        if _THOUSANDS_COMMA.match(s):
            return float(s.replace(",", ""))
    elif decimal == ",":
        if _THOUSANDS_DOT.match(s) or _DECIMAL_COMMA.match(s) or re.match(r"^[+-]?\d+$", s):
            return float(s.replace(".", "").replace(",", "."))
    elif decimal == "auto":
        if _PLAIN.match(s):
            return float(s)
        if _THOUSANDS_COMMA.match(s):
            return float(s.replace(",", ""))
        if (_THOUSANDS_DOT.match(s) and (s.count(".") > 1 or "," in s)) or _DECIMAL_COMMA.match(s):
            return float(s.replace(".", "").replace(",", "."))
    else:
        raise ValueError(f"decimal must be 'auto', '.' or ',', not {decimal!r}")
    raise ValueError(f"{text!r} is not a number")


def parse_cell(
    text: object,
    *,
    path: PathLikeStr | None,
    row: int,
    column: str,
    decimal: str = "auto",
) -> float:
    """Parse one non-negative number of a record read cell by cell.

    Returns
    -------
    float
        See :func:`parse_number` (``nan`` for a missing-value token).

    Raises
    ------
    HilirDataError
        Naming ``row`` and ``column`` if the cell is not a number or is negative.
    """
    try:
        value = parse_number(text, decimal=decimal)
    except ValueError as exc:
        raise HilirDataError(str(exc), path=path, row=row, column=column) from exc
    if value < 0:
        raise HilirDataError(f"negative value {text!r}", path=path, row=row, column=column)
    return value


def parse_numbers(
    df: pd.DataFrame,
    column: str,
    *,
    path: PathLikeStr | None,
    decimal: str = "auto",
    allow_missing: bool = True,
    scale: float = 1.0,
) -> pd.Series:
    """Parse a text column of numbers; errors name the file, line and column.

    Parameters
    ----------
    df : pandas.DataFrame
        Frame from :func:`read_csv` (with ``_row``).
    column : str
        Column to parse.
    path : str or os.PathLike or None
        The file, for error messages.
    decimal : {"auto", ".", ","}
        See :func:`parse_number`.
    allow_missing : bool, default True
        Whether missing tokens (``-``, blank) may appear; they become ``nan``.
    scale : float, default 1.0
        Multiplier applied after parsing (1000 for values published in thousands).

    Returns
    -------
    pandas.Series of float64
    """
    out = np.empty(len(df), dtype="float64")
    rows = df["_row"].to_numpy() if "_row" in df.columns else np.arange(len(df)) + 2
    for i, (cell, row) in enumerate(zip(df[column].to_numpy(), rows, strict=True)):
        try:
            value = parse_number(cell, decimal=decimal)
        except ValueError as exc:
            raise HilirDataError(str(exc), path=path, row=int(row), column=column) from exc
        if np.isnan(value) and not allow_missing:
            raise HilirDataError("value is missing", path=path, row=int(row), column=column)
        out[i] = value * scale
    return pd.Series(out, index=df.index, name=column)


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
            stacklevel=2,
        )
    return pd.Series(codes, index=df.index, name=column, dtype="string")
