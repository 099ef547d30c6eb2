"""Months, dates and periods in Bahasa Indonesia and English.

Dates are written day, month name, year in both languages (``28 April 2022``,
``1 Januari 2020`` / ``1 January 2020``); month names come from the message catalogue
(``month.1`` ... ``month.12`` and the short forms ``month_short.1`` ...).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from hilir.errors import HilirDataError
from hilir.i18n.catalog import check_lang, t

Precision = Literal["day", "month", "year"]
_DASH = "–"


def _check_month(month: object) -> int:
    try:
        m: int = int(month)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise HilirDataError(f"month must be 1-12, not {month!r}") from None
    if not 1 <= m <= 12 or m != month:
        raise HilirDataError(f"month must be 1-12, not {month!r}")
    return m


def month_name(month: int, lang: str = "id", *, short: bool = False) -> str:
    """Name of a month (1-12).

    Parameters
    ----------
    month : int
        1 (January) to 12 (December).
    lang : {"id", "en"}, default "id"
    short : bool, default False
        Three-letter form for axis ticks (``Agu`` / ``Aug``).

    Examples
    --------
    >>> month_name(5, "id"), month_name(8, "en", short=True)
    ('Mei', 'Aug')
    """
    check_lang(lang)
    m = _check_month(month)
    return t(f"month_short.{m}" if short else f"month.{m}", lang)


def month_names(lang: str = "id", *, short: bool = False) -> list[str]:
    """The twelve month names, January first."""
    return [month_name(m, lang, short=short) for m in range(1, 13)]


def _as_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp, without importing pandas
        if value != value:  # NaT
            raise HilirDataError("date is missing")
        day: dt.date = value.to_pydatetime().date()
        return day
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            raise HilirDataError(f"{value!r} is not an ISO date (YYYY-MM-DD)") from None
    raise HilirDataError(f"not a date: {value!r}")


def format_date(
    value: object, lang: str = "id", *, precision: Precision = "day", short: bool = False
) -> str:
    """A date as a brief prints it: ``28 April 2022``.

    Parameters
    ----------
    value : datetime.date, datetime.datetime, pandas.Timestamp or ISO str
        The date.
    lang : {"id", "en"}, default "id"
    precision : {"day", "month", "year"}, default "day"
        How much of the date is known; a date known to the month prints as
        ``April 2022``, never as an invented day.
    short : bool, default False
        Short month names (``28 Apr 2022``).

    Examples
    --------
    >>> format_date("2022-04-28", "id"), format_date("2022-04-28", "en")
    ('28 April 2022', '28 April 2022')
    >>> format_date("2020-01-01", "id"), format_date("2014-01-01", "en", precision="year")
    ('1 Januari 2020', '2014')
    """
    check_lang(lang)
    d = _as_date(value)
    if precision == "year":
        return str(d.year)
    name = month_name(d.month, lang, short=short)
    if precision == "month":
        return f"{name} {d.year}"
    if precision != "day":
        raise HilirDataError(f"precision must be 'day', 'month' or 'year', not {precision!r}")
    return f"{d.day} {name} {d.year}"


def format_month(year: int, month: int, lang: str = "id", *, short: bool = False) -> str:
    """A month of a year: ``Mei 2022`` / ``May 2022``."""
    return f"{month_name(month, lang, short=short)} {int(year)}"


def format_date_range(start: object, end: object, lang: str = "id") -> str:
    """Two dates joined with an en dash, sharing month and year where they can.

    Examples
    --------
    >>> format_date_range("2022-04-28", "2022-05-23", "id")
    '28 April–23 Mei 2022'
    >>> format_date_range("2022-05-01", "2022-05-23", "en")
    '1–23 May 2022'
    """
    check_lang(lang)
    a, b = _as_date(start), _as_date(end)
    if b < a:
        raise HilirDataError(f"end {b.isoformat()} is before start {a.isoformat()}")
    if a.year != b.year:
        return f"{format_date(a, lang)}{_DASH}{format_date(b, lang)}"
    if a.month != b.month:
        return f"{a.day} {month_name(a.month, lang)}{_DASH}{format_date(b, lang)}"
    return f"{a.day}{_DASH}{format_date(b, lang)}"


def format_period(first: int, last: int) -> str:
    """Years joined with an en dash (``2010–2023``), or one year."""
    a, b = int(first), int(last)
    if b < a:
        raise HilirDataError(f"period ends ({b}) before it starts ({a})")
    return str(a) if a == b else f"{a}{_DASH}{b}"
