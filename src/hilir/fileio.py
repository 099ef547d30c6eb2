"""Reading and writing files: text and CSV read with located errors, atomic writes.

Every file hilir reads as text goes through :func:`read_text` (encoding, byte-order mark,
empty or binary files) and every CSV through :func:`read_csv` (cells as text, each row's
line number in ``_row``, ragged or cut lines named by row and column). Every file hilir
writes goes through :func:`atomic_write`: written to a temporary file in the same folder,
then renamed, so a killed process never leaves half a file.

An Excel workbook (``.xlsx``, ``.xlsm``) given where text is read is read as the CSV text of
one worksheet (:func:`workbook_csv`): the first, or the one named with :func:`worksheet`.
So every CSV reader reads the ``.xlsx`` form of its table with the same checks, and a
worksheet row is the line of the same number.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from os import PathLike
from pathlib import Path

import numpy as np
import pandas as pd

from hilir.errors import HilirDataError

PathLikeStr = str | PathLike[str]


def atomic_write(path: str | Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp_path)`` and move the result onto ``path`` in one step.

    Parameters
    ----------
    path : str or pathlib.Path
        Final location. Its folder is created if missing.
    write : callable
        Writes the content to the temporary path it is given.

    Returns
    -------
    pathlib.Path
        ``path``. If ``write`` raises, ``path`` is untouched and the temporary file removed.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    # the writer's process id in the name: hilir.tempfiles removes a killed writer's file
    prefix = f".{target.name}.{os.getpid()}-"
    fd, tmp_name = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        # mkstemp creates the file readable by its owner only; give it the usual permissions.
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_text(path: str | Path, text: str) -> Path:
    """Write UTF-8 text atomically."""
    return atomic_write(path, lambda p: p.write_text(text, encoding="utf-8"))


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    """Write bytes atomically."""
    return atomic_write(path, lambda p: p.write_bytes(data))


def read_text(path: PathLikeStr) -> str:
    """Read a text file, dropping a UTF-8 byte-order mark, with one kind of line ending.

    A workbook (``.xlsx``, ``.xlsm``) is read as the CSV text of a worksheet
    (:func:`workbook_csv`; the sheet chosen with :func:`worksheet`, else the first).

    Raises
    ------
    HilirDataError
        If the file does not exist, is empty, or is not text; an old ``.xls`` or
        password-protected workbook (save it as ``.xlsx`` or CSV); a damaged workbook.
    """
    p = Path(path)
    if not p.is_file():
        raise HilirDataError("file not found", path=p)
    if is_workbook(p):
        return workbook_csv(p, sheet=_SHEET.get())[1]
    data = p.read_bytes()
    if not data.strip():
        raise HilirDataError("file is empty", path=p)
    if p.suffix.lower() in (".xls", ".xlsb", ".ods") or data.startswith(_OLE):
        raise HilirDataError(_OLD_EXCEL, path=p)
    if b"\x00" in data[:4096]:
        raise HilirDataError("file is not text (is it an Excel workbook?)", path=p)
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        # Windows (CR LF) and old Mac (CR) line endings read as one: a line is a line.
        return text.replace("\r\n", "\n").replace("\r", "\n")
    raise HilirDataError("file is neither UTF-8 nor Windows-1252 text", path=p)


#: ``DataFrame.attrs`` key of a file's decimal mark where its layout tells it (``;`` CSVs).
DECIMAL_HINT = "hilir_decimal"


def _separator(text: str, skiprows: int) -> str:
    """``;`` for a CSV that Excel wrote with Indonesian settings, else ``,``.

    Decided on the header line: semicolons and no comma outside quotes there mean ``;``.
    """
    lines = text.split("\n", skiprows + 1)
    header = lines[skiprows] if len(lines) > skiprows else ""
    bare = re.sub(r'"[^"]*"', "", header)
    return ";" if ";" in bare and "," not in bare else ","


def read_csv(path: PathLikeStr, *, skiprows: int = 0, **kwargs: object) -> pd.DataFrame:
    """Read a CSV as text columns, keeping a ``_row`` column with each row's line number.

    Parameters
    ----------
    path : str or os.PathLike
        The CSV file.
    skiprows : int, default 0
        Lines before the header line.
    **kwargs
        ``sep`` (or ``delimiter``) chooses the field separator (default ``,``, or ``;``
        when the header line has semicolons and no comma: Excel's CSV with Indonesian
        settings). Any other
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
    sep = str(kwargs.get("sep", kwargs.get("delimiter", ""))) or _separator(text, skiprows)
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
                    column=column_names(header)[len(record)],
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
    df = pd.DataFrame(records, columns=column_names(header), dtype=str)
    df["_row"] = np.asarray(rows, dtype="int64")
    if sep == ";":  # Excel writes ";" exactly where "," is the decimal mark
        df.attrs[DECIMAL_HINT] = ","
    return df


def read_head(path: PathLikeStr, nbytes: int, *, label: PathLikeStr | None = None) -> bytes:
    """The first ``nbytes`` bytes of a file that must be text (a bulk reader's sniff).

    Parameters
    ----------
    path : str or os.PathLike
        The file.
    nbytes : int
        How many bytes to read at most.
    label : str or os.PathLike, optional
        The name errors give (default ``path``), such as ``archive.zip:member.csv``.

    Returns
    -------
    bytes
        The head of the file.

    Raises
    ------
    HilirDataError
        The file is empty (or blank), or holds NUL bytes in its first 4 KB (not text).
    """
    with open(path, "rb") as fh:
        data = fh.read(nbytes)
    where = path if label is None else label
    if not data.strip():
        raise HilirDataError("file is empty", path=where)
    if b"\x00" in data[:4096]:
        raise HilirDataError("file is not text (is it an Excel workbook?)", path=where)
    return data


def column_names(header: list[str]) -> list[str]:
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


def read_csv_strict(path: PathLikeStr) -> pd.DataFrame:
    """Read a CSV as text (see :func:`hilir.fileio.read_csv`), naming more causes.

    On top of :func:`~hilir.fileio.read_csv` (which rejects lines with too few or too
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


# --- Excel workbooks read as CSV text --------------------------------------------------------

#: File name endings read as Excel workbooks (Office Open XML).
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
#: First bytes of an OLE compound file: an old ``.xls`` or a password-protected workbook.
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLD_EXCEL = (
    "old Excel .xls, binary .xlsb, OpenDocument or password-protected workbook: hilir reads "
    ".xlsx workbooks and CSV; open it in Excel or LibreOffice, remove any password and save "
    "it as .xlsx or CSV UTF-8"
)
_SHEET: ContextVar[str | None] = ContextVar("hilir_worksheet", default=None)
_WORKBOOK_CACHE: dict[tuple[str, int, int, str | None], tuple[str, str]] = {}


def is_workbook(path: PathLikeStr) -> bool:
    """Whether ``path`` is read as an Excel workbook (its name ends ``.xlsx`` or ``.xlsm``)."""
    return Path(path).suffix.lower() in WORKBOOK_SUFFIXES


@contextmanager
def worksheet(name: str | None) -> Iterator[None]:
    """Read the worksheet ``name`` of any workbook read as text inside the ``with`` block.

    ``None`` (the default outside any block) reads the first worksheet.
    """
    token = _SHEET.set(name)
    try:
        yield
    finally:
        _SHEET.reset(token)


def workbook_csv(path: PathLikeStr, *, sheet: str | None = None) -> tuple[str, str]:
    """One worksheet of an ``.xlsx`` workbook as the CSV text Excel would save for it.

    Parameters
    ----------
    path : str or os.PathLike
        The workbook (read only, with the values Excel last calculated).
    sheet : str, optional
        Worksheet name; default the first worksheet.

    Returns
    -------
    tuple of (str, str)
        The worksheet's name and its text: one line per worksheet row (line *n* is row *n*,
        blank rows included; a line break inside a cell becomes a space), every line as wide
        as the widest row, columns empty in every row before the first used one left out.
        Numbers are written as stored, without the cell's display format (``1630460``, not
        ``1,630,460``; an integral number without ``.0``; at most 15 significant digits,
        as Excel shows them); dates as ISO ``YYYY-MM-DD`` (``YYYY-MM-DD HH:MM:SS`` with a
        time); a merged range keeps its text in its first cell, as Excel's CSV does.

    Raises
    ------
    HilirDataError
        An empty file, a password-protected workbook or an old ``.xls`` (save as ``.xlsx``
        or CSV), bytes that are not a workbook, a damaged workbook or worksheet (naming the
        sheet), an unknown sheet name (listing the sheets), an empty worksheet.
    """
    p = Path(path)
    stat = p.stat()
    key = (str(p.resolve()), stat.st_mtime_ns, stat.st_size, sheet)
    if key not in _WORKBOOK_CACHE:
        if len(_WORKBOOK_CACHE) >= 8:
            _WORKBOOK_CACHE.clear()
        _WORKBOOK_CACHE[key] = _read_workbook(p, sheet)
    return _WORKBOOK_CACHE[key]


def _read_workbook(p: Path, sheet: str | None) -> tuple[str, str]:
    from openpyxl import load_workbook

    with open(p, "rb") as fh:
        head = fh.read(8)
    if not head:
        raise HilirDataError("file is empty", path=p)
    if head.startswith(_OLE):
        raise HilirDataError(_OLD_EXCEL, path=p)
    if not head.startswith(b"PK\x03\x04"):
        raise HilirDataError(
            f"named {p.suffix} but not an Excel workbook (an .xlsx file is a zip archive; "
            "is it a CSV or a web page saved under this name?)",
            path=p,
        )
    try:
        wb = load_workbook(p, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged archives
        raise HilirDataError(f"damaged or unreadable workbook ({exc})", path=p) from exc
    try:
        names = [ws.title for ws in wb.worksheets]
        chosen = names[0] if sheet is None and names else sheet
        if chosen not in names:
            raise HilirDataError(f"no worksheet {sheet!r}; the workbook has {names}", path=p)
        try:
            ws = wb[chosen]
            ws.reset_dimensions()  # a wrong stored size must not cut rows or columns
            rows = [[_cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
        except Exception as exc:
            raise HilirDataError(f"sheet {chosen!r} is damaged ({exc})", path=p) from exc
    finally:
        wb.close()
    used = [[j for j, cell in enumerate(row) if cell.strip()] for row in rows]
    if not any(used):
        raise HilirDataError(f"sheet {chosen!r} is empty", path=p)
    first = min(cols[0] for cols in used if cols)
    width = max(cols[-1] for cols in used if cols) + 1
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in rows:
        cells = row[first:width]
        writer.writerow(cells + [""] * (width - first - len(cells)))
    return str(chosen), out.getvalue()


def _cell_text(value: object) -> str:
    """A cell's value as CSV text (:func:`workbook_csv`)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not np.isfinite(value):
            return str(value)
        return np.format_float_positional(float(f"{value:.15g}"), trim="-")
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else str(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return re.sub(r"[\r\n]+", " ", str(value))
