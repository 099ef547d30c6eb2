"""Units a chart states: the magnitude an axis is labelled in, and a stated exchange rate.

:func:`axis_scale` picks the magnitude word of an axis (``US$ miliar`` / ``US$ billion``);
:class:`ExchangeRate` carries a rupiah-per-dollar rate with its source and period, so that
a chart shown in rupiah says which rate turned dollars into rupiah.
:func:`format_idr_of_usd` and :func:`rupiah_at_rate` write a US dollar amount in rupiah
for prose, the second with the rate and its year stated.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from hilir.errors import HilirDataError
from hilir.i18n.catalog import t, text_of
from hilir.i18n.numbers import (
    CURRENCY_SYMBOL,
    Currency,
    _check_currency,
    _is_missing,
    compact_decimals,
    exponent_of,
    format_money,
    format_number,
)

__all__ = ["AxisScale", "ExchangeRate", "axis_scale", "format_idr_of_usd", "rupiah_at_rate"]


@dataclass(frozen=True)
class AxisScale:
    """The magnitude an axis is labelled in: ticks are values / ``divisor``.

    Attributes
    ----------
    divisor : float
        ``10 ** exponent``.
    exponent : int
        0, 3, 6, 9 or 12.
    """

    divisor: float
    exponent: int

    def word(self, lang: str) -> str:
        """Magnitude word (``miliar``) or ``""``."""
        return t(f"mag.{self.exponent}", lang) if self.exponent else ""

    def money_unit(self, lang: str, currency: Currency = "USD") -> str:
        """Axis unit text: ``US$ miliar`` / ``US$ billion`` / ``US$``."""
        symbol = CURRENCY_SYMBOL[_check_currency(currency)]
        word = self.word(lang)
        return f"{symbol} {word}" if word else symbol

    def number_unit(self, lang: str, unit_key: str) -> str:
        """Axis unit text for a counted unit: ``ribu ton`` / ``thousand tonnes``."""
        unit = t(unit_key, lang)
        word = self.word(lang)
        return f"{word} {unit}" if word else unit


def axis_scale(max_abs: float, *, words: bool | int = True) -> AxisScale:
    """The magnitude for an axis whose largest absolute value is ``max_abs``.

    Examples
    --------
    >>> axis_scale(2.4e9).exponent
    9
    """
    if _is_missing(max_abs):
        return AxisScale(1.0, 0)
    exp = exponent_of(max_abs, words=words)
    return AxisScale(10.0**exp, exp)


@dataclass(frozen=True)
class ExchangeRate:
    """A rupiah per US dollar rate with its source, for showing US dollars in rupiah.

    hilir ships no exchange rate: the caller states the rate, where it comes from and the
    period it is for, and chart note lines print all three.

    Attributes
    ----------
    idr_per_usd : float
        Rupiah per US dollar (for example an annual average).
    source : str or Mapping
        Who publishes it: ``{"id": ..., "en": ...}``, or plain text (a proper name such as
        ``"Bank Indonesia (JISDOR)"``) used in both languages.
    period : str
        What the rate covers (``"2023"``, ``"rata-rata 2023"``), printed as given.
    """

    idr_per_usd: float
    source: object
    period: str

    def __post_init__(self) -> None:
        rate = float(self.idr_per_usd)
        if not math.isfinite(rate) or rate <= 0:
            raise HilirDataError(f"idr_per_usd must be a positive number, not {self.idr_per_usd!r}")
        if not self.source or not str(self.period).strip():
            raise HilirDataError("an exchange rate needs its source and period")

    def source_text(self, lang: str) -> str:
        """The source in ``lang`` (plain text is used as given in both languages)."""
        if isinstance(self.source, str):
            return self.source
        return text_of(self.source, lang)  # type: ignore[arg-type]

    def to_idr(self, usd: float) -> float:
        """Rupiah value of an amount in US dollars."""
        return float(usd) * float(self.idr_per_usd)

    def note(self, lang: str) -> str:
        """Note-line text stating the rate, its source and period."""
        rate = format_number(self.idr_per_usd, lang=lang, decimals=0)
        return t("note.fx", lang, rate=rate, source=self.source_text(lang), period=self.period)


def format_idr_of_usd(
    usd: float, *, idr_per_usd: float, lang: str = "id", signed: bool = False
) -> str:
    """A US dollar amount in rupiah, BPS style: ``Rp573 miliar``, ``Rp8,4 triliun``.

    Three significant figures at most (:func:`hilir.i18n.numbers.compact_decimals`): a
    converted amount is no more precise than the dollar figure and the rate behind it.

    Parameters
    ----------
    usd : float
        Amount in US dollars (not thousands).
    idr_per_usd : float
        Rupiah per US dollar (positive).
    lang : {"id", "en"}, default "id"
    signed : bool, default False
        Put ``+`` before positive amounts.

    Returns
    -------
    str

    Examples
    --------
    >>> format_idr_of_usd(39.3e6, idr_per_usd=14_562.6, lang="id")
    'Rp572 miliar'
    >>> format_idr_of_usd(39.3e6, idr_per_usd=14_562.6, lang="en")
    'Rp572 billion'
    >>> format_idr_of_usd(0.58e9, idr_per_usd=14_562.6, lang="id")
    'Rp8,4 triliun'
    """
    rate = float(idr_per_usd)
    if _is_missing(usd) or not math.isfinite(rate) or rate <= 0:
        raise HilirDataError(f"cannot convert {usd!r} US$ at {idr_per_usd!r} Rp per US$")
    idr = float(usd) * rate
    return format_money(
        idr, lang=lang, currency="IDR", decimals=compact_decimals(idr), signed=signed
    )


def rupiah_at_rate(
    usd: float, *, idr_per_usd: float, year: int, lang: str = "id", signed: bool = False
) -> str:
    """A clause giving a US dollar amount in rupiah at the stated average rate of ``year``.

    ``year`` is the year of the amount and of the rate alike: the caller looks the rate up
    for the amount's year (:func:`hilir.data.usd_idr_rate`).

    Parameters
    ----------
    usd : float
        Amount in US dollars of ``year``.
    idr_per_usd : float
        Annual average rupiah per US dollar of ``year``.
    year : int
        The year of the amount and the rate.
    lang : {"id", "en"}, default "id"
    signed : bool, default False
        Put ``+`` before a positive rupiah amount (as before its dollar figure).

    Returns
    -------
    str
        ``"about Rp572 billion at the 2020 average rate of Rp14,563 per US$, from ECB
        reference rates"`` (catalogue key ``unit.rupiah_at``).

    Examples
    --------
    >>> print(rupiah_at_rate(39.3e6, idr_per_usd=14_562.6, year=2020, lang="id"))
    sekitar Rp572 miliar dengan kurs rata-rata 2020 sebesar Rp14.563 per US$,
    dari kurs referensi ECB
    """
    idr = format_idr_of_usd(usd, idr_per_usd=idr_per_usd, lang=lang, signed=signed)
    rate = format_money(float(idr_per_usd), lang=lang, currency="IDR", decimals=0, words=False)
    return t("unit.rupiah_at", lang, idr=idr, year=str(int(year)), rate=rate)
