"""Units a chart states: the magnitude an axis is labelled in, and a stated exchange rate.

:func:`axis_scale` picks the magnitude word of an axis (``US$ miliar`` / ``US$ billion``);
:class:`ExchangeRate` carries a rupiah-per-dollar rate with its source and period, so that
a chart shown in rupiah says which rate turned dollars into rupiah.
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
    exponent_of,
    format_number,
)

__all__ = ["AxisScale", "ExchangeRate", "axis_scale"]


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
