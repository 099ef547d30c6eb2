"""Bank Indonesia exports by commodity group -> the tidy BI_EXPORTS table.

Input layout (``bi_exports_by_commodity_2020_2025m5.csv``, the table "Exports by Sector" of
the Republic of Indonesia's Form 18-K/A, Exhibit 99.D, 2025, source Bank Indonesia): one line
per commodity line of the table, ``group, commodity`` then one column per period
(``y2020`` ... ``y2023``, ``y2024p``, ``jan_may_2024p``, ``jan_may_2025p``; a trailing ``p``
marks preliminary figures), ``unit`` (``thousand USD``) and an optional ``source_note``.

These are **commodity groups on a balance-of-payments basis, not HS codes**: "Nickel" is
about HS 75, "Iron/steel" holds ferro-nickel, nickel pig iron and stainless steel, "Palm
oils" holds crude and refined oil together. They feed their own table (``bi_exports``),
never the HS/FAOSTAT trade table; :mod:`hilir.value.bi_series` maps the groups to chains
where the mapping is sound.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from os import PathLike

import numpy as np
import pandas as pd

from hilir.checks import require_file_columns
from hilir.errors import HilirDataError
from hilir.fileio import read_csv_strict
from hilir.schema.cells import parse_numbers
from hilir.schema.tables import BI_EXPORTS, conform
from hilir.sources._common import check_unique, first_bad

PathLikeStr = str | PathLike[str]

#: Written on every row: what the figures measure.
BASIS = "balance of payments (Bank Indonesia), commodity groups, not HS"

#: Units the file may state -> US dollars per unit.
UNITS = {"thousand usd": 1_000.0, "million usd": 1_000_000.0, "usd": 1.0}

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_ANNUAL = re.compile(r"^y(\d{4})(p?)$")
_PARTIAL = re.compile(r"^([a-z]{3})_([a-z]{3})_(\d{4})(p?)$")
_SECTOR_TOTAL = re.compile(r"^total\s+(.+)$", re.IGNORECASE)

#: Aggregate lines and the lines they add up (checked when all of them are in the file).
AGGREGATES: dict[str, tuple[str, ...]] = {
    "General merchandise": (
        "Total Agricultural products",
        "Total Manufacturing products",
        "Total Mining products",
        "Other merchandise",
    ),
    "Total Exports": ("General merchandise", "Other goods"),
}
MEMO_GROUP = "Memorandum"
MEMO_TOTAL = "Total Exports"


@dataclass(frozen=True)
class Period:
    """One value column of the file: the period it holds."""

    column: str
    year: int
    period: str
    month_from: int
    month_to: int
    preliminary: bool


def read_bi_exports(path: PathLikeStr, *, source: str = "bi_exports_by_commodity") -> pd.DataFrame:
    """Read Bank Indonesia's exports by commodity group into the tidy ``bi_exports`` table.

    Parameters
    ----------
    path : str or os.PathLike
        CSV with ``group, commodity, unit``, period columns ``yYYYY[p]`` (annual) or
        ``mon_mon_YYYY[p]`` (a part of a year, e.g. ``jan_may_2025p``) and optionally
        ``source_note``.
    source : str, default "bi_exports_by_commodity"
        Provenance key written to the ``source`` column.

    Returns
    -------
    pandas.DataFrame
        :data:`~hilir.schema.tables.BI_EXPORTS`, one row per commodity line and period:
        ``year``, ``period`` (``annual`` or e.g. ``jan-may``), ``month_from`` and
        ``month_to`` (1 and 12, or 1 and 5 for January-May), ``sector`` (the file's
        ``group``), ``commodity`` as printed, ``line`` (``item``; ``total`` for a sector
        total and the aggregates "General merchandise" and "Total Exports"; ``of_which`` for
        an "o/w" line, part of the item above it; ``memo`` for the Memorandum lines),
        ``value_usd`` in US dollars (converted from the file's unit; empty where the source
        prints a dash), ``preliminary`` (True for columns ending in ``p``), ``basis``
        (:data:`BASIS`) and ``source``.

    Raises
    ------
    HilirDataError
        Missing columns or no period column; a period column of another form or with a
        month outside Jan-Dec; a unit not in :data:`UNITS` or not the same on every line; a
        blank group or
        commodity; text or a negative number in a value; the same commodity twice; an
        "o/w" line larger than the line above it; or items that do not add up to their total
        beyond rounding (see Notes). The error names the file, the row and the column.

    Notes
    -----
    Sums are checked, not trusted: the items of each sector add up to its "Total ..." line,
    the aggregates in :data:`AGGREGATES` and the Memorandum lines (non-oil and gas plus oil
    and gas) to "Total Exports". Each printed figure is rounded to the unit, so a sum of
    ``n`` items may be off its total by at most ``(n + 1) / 2`` units; a bigger difference is a
    typo or a lost line and stops the read (the file is a transcription, so a mismatch is an
    error, not a flag). A blank value counts as nil in these sums (the source prints an em
    dash for "Other metal ore", January-May 2025).
    """
    df = read_csv_strict(path)
    df = require_file_columns(df, ["group", "commodity", "unit"], path=path)
    periods = _periods(df, path=path)
    for col in ("group", "commodity"):
        df[col] = df[col].str.strip()
        blank = df[col].eq("")
        if blank.any():
            row = first_bad(blank, df)
            raise HilirDataError("value is missing", path=path, row=row, column=col)
    check_unique(df, ["commodity"], path=path, column="commodity")
    scale = _scale(df, path=path)
    lines = _line_types(df)
    values = {p.column: parse_numbers(df, p.column, path=path, decimal=".") for p in periods}
    for p in periods:
        _check_nonnegative(values[p.column], df, path=path, column=p.column)
        _check_sums(df, lines, values[p.column], path=path, column=p.column)
    parts = [
        pd.DataFrame(
            {
                "year": p.year,
                "period": p.period,
                "month_from": p.month_from,
                "month_to": p.month_to,
                "sector": df["group"],
                "commodity": df["commodity"],
                "line": lines,
                "value_usd": values[p.column].to_numpy() * scale,
                "preliminary": p.preliminary,
                "basis": BASIS,
                "source": source,
                "_row": df["_row"],
            }
        )
        for p in periods
    ]
    out = pd.concat(parts, ignore_index=True)
    return conform(out, BI_EXPORTS, path=path, row_numbers=out["_row"])


def _periods(df: pd.DataFrame, *, path: PathLikeStr) -> list[Period]:
    """The period columns, read from their names."""
    out = []
    for col in df.columns:
        name = str(col).strip().casefold()
        if col in ("group", "commodity", "unit", "source_note", "_row"):
            continue
        if m := _ANNUAL.match(name):
            out.append(Period(col, int(m.group(1)), "annual", 1, 12, m.group(2) == "p"))
        elif m := _PARTIAL.match(name):
            first, last = m.group(1), m.group(2)
            if first not in _MONTHS or last not in _MONTHS:
                raise HilirDataError(
                    f"period column {col!r}: {first!r} or {last!r} is not a month (jan-dec)",
                    path=path,
                    row=1,
                    column=str(col),
                )
            m_from, m_to = _MONTHS.index(first) + 1, _MONTHS.index(last) + 1
            if m_to < m_from:
                raise HilirDataError(
                    f"period column {col!r} ends before it starts", path=path, row=1, column=col
                )
            label = "annual" if (m_from, m_to) == (1, 12) else f"{first}-{last}"
            out.append(Period(col, int(m.group(3)), label, m_from, m_to, m.group(4) == "p"))
        else:
            raise HilirDataError(
                f"column {col!r} is not a period (yYYYY or mon_mon_YYYY, 'p' for preliminary)",
                path=path,
                row=1,
                column=str(col),
            )
    if not out:
        raise HilirDataError("no period column (y2020, jan_may_2025p, ...)", path=path, row=1)
    keys = [(p.year, p.period) for p in out]
    for i, key in enumerate(keys):
        if key in keys[:i]:
            raise HilirDataError(
                f"two columns hold {key[1]} {key[0]}", path=path, row=1, column=out[i].column
            )
    return out


def _scale(df: pd.DataFrame, *, path: PathLikeStr) -> float:
    """US dollars per unit of the file (one unit for the whole file, so sums are like with like)."""
    units = df["unit"].str.strip().str.casefold()
    bad = ~units.isin(list(UNITS)) | units.ne(units.iloc[0])
    if bad.any():
        row = first_bad(bad, df)
        text = df.loc[bad.to_numpy(), "unit"].iloc[0]
        raise HilirDataError(
            f"unit {text!r}: expected one of {sorted(UNITS)}, the same on every line "
            f"(line 2 says {df['unit'].iloc[0]!r})",
            path=path,
            row=row,
            column="unit",
        )
    return UNITS[units.iloc[0]]


def _line_types(df: pd.DataFrame) -> pd.Series:
    """``item``, ``total``, ``of_which`` or ``memo`` for each line."""
    commodity = df["commodity"]
    total = commodity.str.match(_SECTOR_TOTAL) | commodity.isin(list(AGGREGATES))
    kind = np.select(
        [
            df["group"].eq(MEMO_GROUP).to_numpy(),
            commodity.str.casefold().str.startswith("o/w").to_numpy(),
            total.to_numpy(),
        ],
        ["memo", "of_which", "total"],
        default="item",
    )
    return pd.Series(kind, index=df.index, dtype="object")


def _check_nonnegative(
    values: pd.Series, df: pd.DataFrame, *, path: PathLikeStr, column: str
) -> None:
    neg = values.lt(0).to_numpy()
    if neg.any():
        raise HilirDataError(
            f"negative export value {values[neg].iloc[0]!r}",
            path=path,
            row=first_bad(neg, df),
            column=column,
        )


def _check_sums(
    df: pd.DataFrame, lines: pd.Series, values: pd.Series, *, path: PathLikeStr, column: str
) -> None:
    """Raise where printed parts do not add up to their printed total (beyond rounding)."""
    v = values.fillna(0.0)
    by_name = dict(zip(df["commodity"], df.index, strict=True))
    checks: list[tuple[int, list[int], str]] = []
    for idx in df.index[lines.eq("total").to_numpy()]:
        m = _SECTOR_TOTAL.match(df.at[idx, "commodity"])
        if m and m.group(1).casefold() in set(df["group"].str.casefold()):
            sector = df["group"].str.casefold().eq(m.group(1).casefold())
            items = df.index[(sector & lines.eq("item")).to_numpy()].tolist()
            checks.append((idx, items, f"the {m.group(1)} items"))
    for total, names in AGGREGATES.items():
        if total in by_name and all(n in by_name for n in names):
            checks.append((by_name[total], [by_name[n] for n in names], " + ".join(names)))
    memo = df.index[lines.eq("memo").to_numpy()].tolist()
    if memo and MEMO_TOTAL in by_name:
        checks.append((by_name[MEMO_TOTAL], memo, "the Memorandum lines"))
    for idx, parts, what in checks:
        gap = float(v.loc[parts].sum() - v.loc[idx])
        if abs(gap) > (len(parts) + 1) / 2:
            raise HilirDataError(
                f"{what} sum to {v.loc[parts].sum():,.0f}, the printed "
                f"{df.at[idx, 'commodity']!r} is {v.loc[idx]:,.0f} (off by {gap:+,.0f}, more "
                f"than rounding of {len(parts) + 1} figures allows)",
                path=path,
                row=int(df.at[idx, "_row"]),
                column=column,
            )
    for pos, idx in enumerate(df.index):
        if lines.loc[idx] == "of_which" and pos > 0:
            parent = df.index[pos - 1]
            if v.loc[idx] > v.loc[parent]:
                raise HilirDataError(
                    f"{df.at[idx, 'commodity']!r} ({v.loc[idx]:,.0f}) is larger than the line "
                    f"it is part of, {df.at[parent, 'commodity']!r} ({v.loc[parent]:,.0f})",
                    path=path,
                    row=int(df.at[idx, "_row"]),
                    column=column,
                )
