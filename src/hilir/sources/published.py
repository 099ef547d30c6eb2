"""Figures quoted in the press and in agency releases -> the tidy PUBLISHED table.

Input layout (``lampung_and_national_export_figures_quoted.csv``): ``region, indicator,
period, value, unit, quoted_source, url, note``, one quoted number per line, transcribed by
hand from news articles that quote BPS Provinsi Lampung, BPS, Dinas Perdagangan, AEKI, ESDM or
GAPKI. These are hold-out checks for the computed series, not a primary series.
"""

from __future__ import annotations

import re
from os import PathLike

import pandas as pd

from hilir.checks import require_file_columns
from hilir.errors import HilirDataError
from hilir.fileio import read_csv_strict
from hilir.registry.provinces import resolve_province
from hilir.schema.cells import parse_numbers
from hilir.schema.tables import PUBLISHED, conform
from hilir.sources._common import check_unique, first_bad

PathLikeStr = str | PathLike[str]

#: Region spellings (case-folded) -> codes. Other Indonesian provinces are found by their
#: ISO 3166-2:ID name or code through pycountry.
REGIONS: dict[str, str] = {
    "lampung": "ID-LA",
    "provinsi lampung": "ID-LA",
    "lampung province": "ID-LA",
    "indonesia": "IDN",
    "idn": "IDN",
}

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_MONTH_RANGE = re.compile(r"^(\d{4})-(\d{2})/(\d{4})-(\d{2})$")
_YEAR_RANGE = re.compile(r"^(\d{4})/(\d{4})$")


def read_published_figures(
    path: PathLikeStr, *, source: str = "published_lampung_exports"
) -> pd.DataFrame:
    """Read the table of quoted figures into the tidy published-figures table.

    Parameters
    ----------
    path : str or os.PathLike
        CSV with ``region, indicator, period, value, unit, quoted_source, url, note``.
    source : str, default "published_lampung_exports"
        Provenance key written to the ``source`` column.

    Returns
    -------
    pandas.DataFrame
        :data:`PUBLISHED`: ``region`` (``ID-LA`` for Lampung, ``IDN`` for Indonesia),
        ``indicator`` as transcribed, ``period_start`` and ``period_end`` (dates: ``2015-09``
        -> 1 to 30 September 2015; ``2015`` -> 1 January to 31 December; ``2015-01/2015-09``
        -> 1 January to 30 September), ``value`` and ``unit`` exactly as quoted (USD million,
        thousand tonnes, percent ...; no scaling), ``quoted_source``, ``url``, ``note``.

    Raises
    ------
    HilirDataError
        Missing columns; an unknown region; a period in another form, with a month outside
        1-12 or ending before it starts; a missing value, a decimal comma or other non-number;
        a blank unit or url; the same region, indicator and period twice; an empty or cut file.

    Notes
    -----
    Values are not converted: the unit column carries each figure's scale. Negative values are
    kept (a trade balance can be negative). Indicators keep their wording, including
    Indonesian glosses in brackets ("total exports (nilai ekspor)").
    """
    df = read_csv_strict(path)
    df = require_file_columns(
        df, ["region", "indicator", "period", "value", "unit", "quoted_source", "url"], path=path
    )
    regions = [
        _region(r, path=path, row=int(n)) for r, n in zip(df["region"], df["_row"], strict=True)
    ]
    starts, ends = [], []
    for text, row in zip(df["period"], df["_row"], strict=True):
        start, end = _period(text, path=path, row=int(row))
        starts.append(start)
        ends.append(end)
    values = parse_numbers(df, "value", path=path, decimal=".", allow_missing=False)
    for col in ("indicator", "unit", "url"):
        blank = df[col].str.strip().eq("")
        if blank.any():
            raise HilirDataError(
                "value is missing", path=path, row=first_bad(blank, df), column=col
            )
    note = df["note"].str.strip() if "note" in df.columns else pd.Series("", index=df.index)
    out = pd.DataFrame(
        {
            "region": regions,
            "indicator": df["indicator"].str.strip(),
            "period_start": pd.to_datetime(starts),
            "period_end": pd.to_datetime(ends),
            "value": values,
            "unit": df["unit"].str.strip(),
            "quoted_source": df["quoted_source"].str.strip(),
            "url": df["url"].str.strip(),
            "note": note.replace("", pd.NA),
            "source": source,
            "_row": df["_row"],
        },
        index=df.index,
    )
    check_unique(
        out, ["region", "indicator", "period_start", "period_end"], path=path, column="period"
    )
    return conform(out, PUBLISHED, path=path, row_numbers=df["_row"])


def _region(text: object, *, path: PathLikeStr, row: int) -> str:
    key = re.sub(r"\s+", " ", str(text)).strip().casefold()
    if key in REGIONS:
        return REGIONS[key]
    try:
        return resolve_province(text)
    except HilirDataError:
        pass
    raise HilirDataError(
        f"unknown region {text!r}; use Lampung, Indonesia or an ISO 3166-2:ID province",
        path=path,
        row=row,
        column="region",
    )


def _period(text: object, *, path: PathLikeStr, row: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    s = str(text).strip()
    try:
        if m := _MONTH.match(s):
            start = _month_start(m.group(1), m.group(2))
            end = _month_end(m.group(1), m.group(2))
        elif m := _YEAR.match(s):
            start = pd.Timestamp(int(m.group(1)), 1, 1)
            end = pd.Timestamp(int(m.group(1)), 12, 31)
        elif m := _MONTH_RANGE.match(s):
            start = _month_start(m.group(1), m.group(2))
            end = _month_end(m.group(3), m.group(4))
        elif m := _YEAR_RANGE.match(s):
            start = pd.Timestamp(int(m.group(1)), 1, 1)
            end = pd.Timestamp(int(m.group(2)), 12, 31)
        else:
            raise ValueError(f"period {s!r} is not YYYY, YYYY-MM, YYYY-MM/YYYY-MM or YYYY/YYYY")
    except ValueError as exc:
        raise HilirDataError(str(exc), path=path, row=row, column="period") from exc
    if end < start:
        raise HilirDataError(
            f"period {s!r} ends before it starts", path=path, row=row, column="period"
        )
    return start, end


def _month_start(year: str, month: str) -> pd.Timestamp:
    if not 1 <= int(month) <= 12:
        raise ValueError(f"month {month} is not 01-12")
    return pd.Timestamp(int(year), int(month), 1)


def _month_end(year: str, month: str) -> pd.Timestamp:
    return _month_start(year, month) + pd.offsets.MonthEnd(0)
