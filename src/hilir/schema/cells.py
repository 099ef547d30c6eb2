"""Cell parsing: numbers as BPS, Comtrade and spreadsheets write them, and missing-value tokens.

Each parser either normalises in a documented way or raises
:class:`~hilir.errors.HilirDataError` naming file, row and column.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from hilir.errors import HilirDataError
from hilir.fileio import DECIMAL_HINT, PathLikeStr

#: The first year a data file may report (years before it are typing errors, e.g. 1020).
YEAR_MIN = 1900


def year_max() -> int:
    """The last year a data file may report: the current year (data never come from the future)."""
    import datetime as dt

    return dt.date.today().year


def year_range_error(
    years: pd.Series, *, path: PathLikeStr | None, column: str, rows: pd.Series | None = None
) -> HilirDataError | None:
    """The error for the first year outside [:data:`YEAR_MIN`, :func:`year_max`], or ``None``."""
    values = pd.to_numeric(years, errors="coerce")
    bad = (values < YEAR_MIN) | (values > year_max())
    if not bad.any():
        return None
    first = bad.to_numpy().nonzero()[0][0]
    row = int(rows.iloc[first]) if rows is not None else None
    return HilirDataError(
        f"year {int(values.iloc[first])} is outside {YEAR_MIN}-{year_max()} (a typing error?)",
        path=path,
        row=row,
        column=column,
    )


#: Strings read as "no value": BPS uses "-" and "─" (nil), Comtrade and others use blanks.
MISSING_TOKENS = frozenset({"", "-", "─", "–", "—", "..", "...", "…", "na", "n/a", "nan", "null"})

# A thousands group never starts with 0: "0,135" and "0.135" are decimals, not 135.
_THOUSANDS_COMMA = re.compile(r"^[+-]?[1-9]\d{0,2}(,\d{3})+(\.\d+)?$")
_THOUSANDS_DOT = re.compile(r"^[+-]?[1-9]\d{0,2}(\.\d{3})+(,\d+)?$")
_PLAIN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")
_INTEGER = re.compile(r"^[+-]?\d+([eE][+-]?\d+)?$")
# One separator followed by exactly three digits, the group not starting with 0: "456.000"
# and "1,450" are a thousands group in one convention and a decimal in the other.
_AMBIGUOUS = re.compile(r"^[+-]?[1-9]\d{0,2}[.,]\d{3}$")


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
        If the text is not a number in the chosen convention, or is not finite (``1e400``).
    """
    value = _parse_number(text, decimal=decimal)
    if value in (float("inf"), float("-inf")):
        raise ValueError(f"{text!r} is not a finite number")
    return value


def _parse_number(text: object, *, decimal: str = "auto") -> float:
    """:func:`parse_number` without the finiteness check."""
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
        if _THOUSANDS_DOT.match(s) or _DECIMAL_COMMA.match(s) or _INTEGER.match(s):
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


def _evidence(s: str) -> str:
    """The decimal mark a cell shows: ``","``, ``"."``, ``"?."`` / ``"?,"`` (either) or ``""``."""
    if not s or _INTEGER.match(s):
        return ""
    if _AMBIGUOUS.match(s):
        return "?" + s.lstrip("+-")[-4]
    if _THOUSANDS_DOT.match(s) and (s.count(".") > 1 or "," in s):
        return ","
    if _DECIMAL_COMMA.match(s):
        return ","
    if _THOUSANDS_COMMA.match(s) or _PLAIN.match(s):
        return "."
    return ""


def column_decimal(
    cells: object,
    *,
    path: PathLikeStr | None,
    column: str,
    rows: object = None,
) -> str:
    """The decimal mark of a whole column, decided once from all its cells.

    A cell such as ``2.700.000`` or ``12,5`` shows a decimal comma (Indonesian style); one
    such as ``1,234.5``, ``0.135`` or ``12.75`` a decimal point. Cells like ``456.000`` or
    ``1,450`` fit both; they follow the rest of the column, so ``456.000`` beside
    ``2.700.000`` is 456,000, not 456. A column with nothing but such cells keeps the reading
    of :func:`parse_number` (a lone dot is a decimal point, a lone comma a thousands group)
    unless it holds both kinds.

    Parameters
    ----------
    cells : iterable
        The column's cells (text or numbers).
    path, column
        The file and column, for the error.
    rows : iterable of int, optional
        Line numbers of the cells (default 2, 3, ...), for the error.

    Returns
    -------
    str
        ``","`` or ``"."``; ``"auto"`` when the column holds no separator at all.

    Raises
    ------
    HilirDataError
        The column shows both conventions (naming a line of each).
    """
    values = list(cells)  # type: ignore[call-overload]
    lines = list(rows) if rows is not None else list(range(2, len(values) + 2))  # type: ignore[call-overload]
    seen: dict[str, tuple[int, str]] = {}
    for cell, line in zip(values, lines, strict=True):
        if cell is None or isinstance(cell, int | float | np.integer | np.floating):
            continue
        text = str(cell).strip().replace("\u00a0", "").replace(" ", "")
        if text.lower() in MISSING_TOKENS:
            continue
        if text.startswith("(") and text.endswith(")"):
            text = text[1:-1]
        mark = _evidence(text)
        if mark:
            seen.setdefault(mark, (int(line), str(cell)))
    clash = ("," in seen and "." in seen) or (
        "," not in seen and "." not in seen and "?." in seen and "?," in seen
    )
    if clash:
        (la, a), (lb, b) = (
            (seen[","], seen["."])
            if "," in seen and "." in seen
            else (
                seen["?."],
                seen["?,"],
            )
        )
        raise HilirDataError(
            f"mixes number formats: {a!r} (line {la}) and {b!r} (line {lb}) read the decimal "
            "mark differently; write the column in one format",
            path=path,
            column=column,
        )
    if "," in seen:
        return ","
    if "." in seen:
        return "."
    return "auto"


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
        See :func:`parse_number`; ``"auto"`` decides the mark once for the whole column
        (:func:`column_decimal`), so one column never mixes two readings.
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
    if decimal == "auto":
        decimal = column_decimal(df[column].to_numpy(), path=path, column=column, rows=rows)
        if decimal == "auto":  # nothing in the column says: the file's layout may
            decimal = str(df.attrs.get(DECIMAL_HINT, "auto"))
    for i, (cell, row) in enumerate(zip(df[column].to_numpy(), rows, strict=True)):
        try:
            value = parse_number(cell, decimal=decimal)
        except ValueError as exc:
            raise HilirDataError(str(exc), path=path, row=int(row), column=column) from exc
        if np.isnan(value) and not allow_missing:
            raise HilirDataError("value is missing", path=path, row=int(row), column=column)
        out[i] = value * scale
    return pd.Series(out, index=df.index, name=column)
