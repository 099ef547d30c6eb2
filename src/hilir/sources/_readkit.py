"""Checks shared by the FAOSTAT, USDA, ICO, Pink Sheet and published-figures readers.

Each check either passes or raises :class:`~hilir.errors.HilirDataError` naming the file, the
1-based line (as a spreadsheet or text editor shows it) and the column as written in the file.
Country names are resolved here too, so USDA and ICO spellings share one alias table.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Sequence

import numpy as np
import pandas as pd
import pycountry

from hilir.errors import HilirDataError
from hilir.sources._common import PathLikeStr, read_csv, read_text

_YEAR = re.compile(r"^\d{4}$")


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
    values = {k: df.loc[idx, k] for k in key}
    raise HilirDataError(
        f"duplicate row {values}: the same key is already on row {int(first.loc[idx])}",
        path=path,
        row=int(df.loc[idx, "_row"]),
        column=column,
    )


def first_bad(mask: pd.Series | np.ndarray, df: pd.DataFrame) -> int:
    """Line number (``_row``) of the first row where ``mask`` is true."""
    arr = np.asarray(mask, dtype=bool)
    return int(df["_row"].to_numpy()[arr][0])


# --- country names -------------------------------------------------------------------------

#: Spellings seen in USDA PSD, ICO and FAOSTAT files that pycountry does not know, keyed by the
#: case-folded name. Two entries are not ISO 3166 codes, because the sources report the units:
#: ``EUN`` (European Union, the code WITS and UN Comtrade use) and ``BLX`` (Belgium-Luxembourg,
#: ICO's combined reporter before 1999, UN Comtrade's code). USDA's "Yemen (Sanaa)" (1961-1991,
#: the Yemen Arab Republic) and "Yemen" (from 1992) are both ``YEM``; they do not overlap.
COUNTRY_ALIASES: dict[str, str] = {
    "bahamas, the": "BHS",
    "belgium/luxembourg": "BLX",
    "belgium-luxembourg": "BLX",
    "bolivia (plurinational state of)": "BOL",
    "brunei": "BRN",
    "burma": "MMR",
    "cape verde": "CPV",
    "congo (brazzaville)": "COG",
    "congo (kinshasa)": "COD",
    "congo, dem. rep.": "COD",
    "congo, democratic republic of": "COD",
    "cote d'ivoire": "CIV",
    "czech republic": "CZE",
    "democratic republic of congo": "COD",
    "democratic republic of the congo": "COD",
    "east timor": "TLS",
    "european union": "EUN",
    "gambia, the": "GMB",
    "ivory coast": "CIV",
    "korea, north": "PRK",
    "korea, south": "KOR",
    "macedonia": "MKD",
    "micronesia": "FSM",
    "russia": "RUS",
    "south korea": "KOR",
    "swaziland": "SWZ",
    "trinidad & tobago": "TTO",
    "turkey": "TUR",
    "united states of america": "USA",
    "venezuela (bolivarian republic of)": "VEN",
    "yemen (sanaa)": "YEM",
}


def _fold(name: str) -> str:
    text = unicodedata.normalize("NFKC", str(name)).replace("\u2019", "'")
    return re.sub(r"\s+", " ", text).strip().casefold()


def country_to_iso3(
    name: object,
    *,
    path: PathLikeStr | None = None,
    row: int | None = None,
    column: str | None = None,
) -> str:
    """ISO 3166-1 alpha-3 code of a country name or code as written in a source file.

    Parameters
    ----------
    name : object
        A country name ("Viet Nam", "Congo (Kinshasa)", "Côte d'Ivoire") or an alpha-3 code.
        Two-letter codes are refused: USDA uses FIPS codes that clash with ISO alpha-2.
    path, row, column
        Where the name was read, for the error message.

    Returns
    -------
    str
        The alpha-3 code (or ``EUN`` / ``BLX``, see :data:`COUNTRY_ALIASES`).

    Raises
    ------
    HilirDataError
        If the name is unknown.
    """
    folded = _fold(str(name))
    if folded in COUNTRY_ALIASES:
        return COUNTRY_ALIASES[folded]
    if len(folded) > 2:
        try:
            return str(pycountry.countries.lookup(folded).alpha_3)
        except LookupError:
            pass
    raise HilirDataError(
        f"unknown country {name!r}; add it to hilir.sources._readkit.COUNTRY_ALIASES "
        "or rename it to an ISO 3166 name",
        path=path,
        row=row,
        column=column,
    )


def countries_to_iso3(df: pd.DataFrame, column: str, *, path: PathLikeStr | None) -> pd.Series:
    """Resolve a column of country names; errors name the first line with an unknown name."""
    codes: dict[str, str] = {}
    out = []
    for name, row in zip(df[column].to_numpy(), df["_row"].to_numpy(), strict=True):
        key = str(name)
        if key not in codes:
            codes[key] = country_to_iso3(key, path=path, row=int(row), column=column)
        out.append(codes[key])
    return pd.Series(out, index=df.index, dtype="string")
