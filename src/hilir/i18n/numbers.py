"""Numbers, money, percentages and ranges as a brief prints them, in Indonesian or English.

Indonesian: decimal comma and thousands point (``1.234,5``), magnitude words ``ribu``,
``juta``, ``miliar``, ``triliun``, currency before the number (``US$1,2 miliar``,
``Rp268,3 triliun``), percent without a space (``12,5%``). English: ``1,234.5``,
``thousand``, ``million``, ``billion``, ``trillion`` (``US$1.2 billion``).

matplotlib's ``axes.formatter.use_locale`` only formats tick labels and needs the operating
system's locale, so hilir formats every number itself, the same way in ticks, labels, titles
and prose.

Rounding is half away from zero on the decimal value as written (``0.125`` -> ``0.13``,
``-2.5`` -> ``-3``), not binary floating point's banker's rounding. Negative numbers get an
ASCII hyphen-minus before the currency symbol (``-US$1,2 miliar``), so the text pastes
cleanly into a spreadsheet.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from hilir.errors import HilirDataError
from hilir.i18n.catalog import check_lang, t

Currency = Literal["USD", "IDR"]
Kind = Literal["number", "money", "percent"]

#: Currency symbols, written before the number in both languages.
CURRENCY_SYMBOL: dict[str, str] = {"USD": "US$", "IDR": "Rp"}
#: Exponents that have a magnitude word (catalogue keys ``mag.3`` ... ``mag.12``).
EXPONENTS: tuple[int, ...] = (3, 6, 9, 12)
#: Text printed for a missing value.
MISSING = "–"
_MINUS = "-"
_DASH = "–"


def _check_currency(currency: object) -> str:
    if currency not in CURRENCY_SYMBOL:
        raise HilirDataError(f"currency must be 'USD' or 'IDR', not {currency!r}")
    return str(currency)


def _is_missing(x: object) -> bool:
    if x is None:
        return True
    if isinstance(x, str | bytes):
        raise HilirDataError(f"not a number: {x!r} (text is never read as a number here)")
    try:
        return math.isnan(float(x))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise HilirDataError(f"not a number: {x!r}") from None


def round_half_up(x: float, decimals: int) -> Decimal:
    """``x`` rounded half away from zero to ``decimals`` places, as a Decimal.

    The float's shortest decimal representation is rounded (``repr``), so ``0.125`` rounds
    to ``0.13`` and ``1.005`` to ``1.01`` as a reader would do by hand.
    """
    if decimals < 0:
        raise HilirDataError(f"decimals must be >= 0, not {decimals!r}")
    value = Decimal(repr(float(x)))
    if not value.is_finite():
        raise HilirDataError(f"cannot format {x!r}")
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _digits(value: Decimal, decimals: int, lang: str) -> str:
    """Unsigned digits with the language's separators."""
    text = f"{abs(value):,.{decimals}f}"
    if lang == "id":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def _min_exponent(words: bool | int) -> int | None:
    if words is False:
        return None
    if words is True:
        return 3
    if words not in EXPONENTS:
        raise HilirDataError(f"words must be True, False or one of {list(EXPONENTS)}")
    return int(words)


@dataclass(frozen=True)
class Scaled:
    """A number split into a rounded mantissa and a magnitude.

    Attributes
    ----------
    value : Decimal
        Rounded mantissa (``1.2`` for 1.2 billion).
    exponent : int
        Power of ten of the magnitude word (0 for none, 3 ribu, 6 juta, 9 miliar,
        12 triliun).
    decimals : int
        Decimal places of ``value``.
    """

    value: Decimal
    exponent: int
    decimals: int

    def digits(self, lang: str) -> str:
        """Unsigned mantissa with the language's separators."""
        return _digits(self.value, self.decimals, lang)

    def word(self, lang: str) -> str:
        """Magnitude word, or ``""``."""
        return t(f"mag.{self.exponent}", lang) if self.exponent else ""

    @property
    def negative(self) -> bool:
        """True if the rounded value is below zero (a value rounding to 0 has no sign)."""
        return self.value < 0


def exponent_of(x: float, *, words: bool | int = True) -> int:
    """Exponent of the magnitude word ``x`` would be written with (0, 3, 6, 9 or 12).

    Parameters
    ----------
    x : float
        The number.
    words : bool or {3, 6, 9, 12}, default True
        False: no words (0). True: words from ``ribu``/thousand up. An exponent: words
        from that magnitude up (6 writes 950,000 in full but 1.2 million as ``1,2 juta``).
    """
    lowest = _min_exponent(words)
    if lowest is None:
        return 0
    ax = abs(float(x))
    for exp in reversed(EXPONENTS):
        if exp >= lowest and ax >= 10.0**exp:
            return exp
    return 0


def compact_decimals(x: float, *, words: bool | int = True) -> int:
    """Decimals for a compact figure: 1 with a magnitude word, 0 from a mantissa of 100 up.

    The library's default is one decimal with a magnitude word (``Rp268,3 triliun``);
    charts pass this instead where a range would otherwise print false precision
    (``US$105–336 juta`` rather than ``US$105,0–336,0 juta``).

    Examples
    --------
    >>> compact_decimals(336e6), compact_decimals(45.6e6), compact_decimals(950, words=False)
    (0, 1, 0)
    """
    exp = exponent_of(x, words=words)
    if not exp:
        return 0
    return 0 if abs(float(x)) / 10.0**exp >= 99.95 else 1


def scale(x: float, *, decimals: int | None = None, words: bool | int = True) -> Scaled:
    """Split ``x`` into a rounded mantissa and a magnitude word exponent.

    Rounding can carry into the next magnitude: 999,960,000 with one decimal is 1.0
    billion, not 1,000.0 million.

    Parameters
    ----------
    x : float
        The number.
    decimals : int, optional
        Decimal places of the mantissa; default 1 when a word is used, else 0.
    words : bool or {3, 6, 9, 12}, default True
        See :func:`exponent_of`.

    Returns
    -------
    Scaled
    """
    lowest = _min_exponent(words)
    exp = exponent_of(x, words=words)
    dec = decimals if decimals is not None else (1 if exp else 0)
    value = round_half_up(float(x) / 10.0**exp, dec)
    if lowest is not None and exp < EXPONENTS[-1]:
        nxt = lowest if exp == 0 else exp + 3
        if abs(value) >= Decimal(10) ** (nxt - exp):
            exp = nxt
            dec = decimals if decimals is not None else 1
            value = round_half_up(float(x) / 10.0**exp, dec)
    if value == 0:
        value = abs(value)
    return Scaled(value, exp, dec)


def format_number(
    x: float | None,
    *,
    lang: str = "id",
    decimals: int | None = None,
    words: bool | int = False,
    signed: bool = False,
) -> str:
    """A number in the style of the language.

    Parameters
    ----------
    x : float or None
        The number; ``None`` or NaN prints as an en dash.
    lang : {"id", "en"}, default "id"
        Language.
    decimals : int, optional
        Decimal places; default 1 with a magnitude word, else 0 (see
        :func:`compact_decimals` for fewer).
    words : bool or {3, 6, 9, 12}, default False
        Write magnitudes as words (``12,3 ribu``); see :func:`exponent_of`.
    signed : bool, default False
        Put ``+`` before positive numbers (for changes).

    Returns
    -------
    str

    Examples
    --------
    >>> format_number(1234567.891, lang="id", decimals=2)
    '1.234.567,89'
    >>> format_number(1234567.891, lang="en", decimals=2)
    '1,234,567.89'
    >>> format_number(12_300, lang="id", words=True), format_number(2.5e6, lang="en", words=True)
    ('12,3 ribu', '2.5 million')
    """
    check_lang(lang)
    if _is_missing(x):
        return MISSING
    s = scale(float(x), decimals=decimals, words=words)  # type: ignore[arg-type]
    sign = _MINUS if s.negative else ("+" if signed and s.value > 0 else "")
    word = s.word(lang)
    return f"{sign}{s.digits(lang)}" + (f" {word}" if word else "")


def _default_money_decimals(x: float, exp: int) -> int:
    if exp:
        return 1
    return 0 if abs(x) >= 100 else 2


def format_money(
    x: float | None,
    *,
    lang: str = "id",
    currency: Currency = "USD",
    decimals: int | None = None,
    words: bool | int = True,
    signed: bool = False,
) -> str:
    """An amount of money with its currency symbol: ``US$1,2 miliar``, ``US$1.2 billion``.

    The amount is written in the currency given; to show US dollars in rupiah convert
    first with :meth:`ExchangeRate.to_idr` and state the rate (chart note lines do).

    Parameters
    ----------
    x : float or None
        Amount in ``currency`` (not thousands); ``None`` or NaN prints as an en dash.
    lang : {"id", "en"}, default "id"
    currency : {"USD", "IDR"}, default "USD"
        US dollars (``US$``) or rupiah (``Rp``).
    decimals : int, optional
        Default 1 with a magnitude word (``Rp268,3 triliun``); without one, 0 from 100 up
        and 2 below (unit values such as ``US$2,35``).
    words : bool or {3, 6, 9, 12}, default True
        Magnitude words from this exponent up (True: from thousand).
    signed : bool, default False
        Put ``+`` before positive amounts.

    Returns
    -------
    str

    Examples
    --------
    >>> format_money(1.2e9, lang="id"), format_money(1.2e9, lang="en")
    ('US$1,2 miliar', 'US$1.2 billion')
    >>> format_money(268.3e12, lang="id", currency="IDR")
    'Rp268,3 triliun'
    >>> format_money(-45_600_000, lang="id")
    '-US$45,6 juta'
    """
    check_lang(lang)
    symbol = CURRENCY_SYMBOL[_check_currency(currency)]
    if _is_missing(x):
        return MISSING
    xf = float(x)  # type: ignore[arg-type]
    dec = (
        decimals
        if decimals is not None
        else _default_money_decimals(xf, exponent_of(xf, words=words))
    )
    s = scale(xf, decimals=dec, words=words)
    sign = _MINUS if s.negative else ("+" if signed and s.value > 0 else "")
    word = s.word(lang)
    return f"{sign}{symbol}{s.digits(lang)}" + (f" {word}" if word else "")


def format_percent(
    x: float | None,
    *,
    lang: str = "id",
    decimals: int = 1,
    fraction: bool = True,
    signed: bool = False,
) -> str:
    """A percentage: ``12,5%`` (id), ``12.5%`` (en).

    Parameters
    ----------
    x : float or None
        A share (``0.125``) when ``fraction`` is True, else a value already in percent
        (``12.5``).
    lang : {"id", "en"}, default "id"
    decimals : int, default 1
    fraction : bool, default True
        Multiply by 100 first.
    signed : bool, default False
        Put ``+`` before positive values.

    Examples
    --------
    >>> format_percent(0.125, lang="id"), format_percent(0.125, lang="en")
    ('12,5%', '12.5%')
    """
    check_lang(lang)
    if _is_missing(x):
        return MISSING
    value = float(x) * (100.0 if fraction else 1.0)  # type: ignore[arg-type]
    return format_number(value, lang=lang, decimals=decimals, signed=signed) + "%"


def format_points(
    x: float | None, *, lang: str = "id", decimals: int = 1, fraction: bool = True
) -> str:
    """A change in percentage points: ``7,2 poin persentase`` / ``7.2 percentage points``.

    Parameters
    ----------
    x : float or None
        Change in share (``0.072``) when ``fraction`` is True, else in points (``7.2``).
    lang : {"id", "en"}, default "id"
    decimals : int, default 1
    fraction : bool, default True
    """
    check_lang(lang)
    if _is_missing(x):
        return MISSING
    value = float(x) * (100.0 if fraction else 1.0)  # type: ignore[arg-type]
    return t("unit.pp_value", lang, value=format_number(value, lang=lang, decimals=decimals))


def format_ratio(x: float | None, *, lang: str = "id", decimals: int = 1) -> str:
    """A multiple: ``2,5 kali`` / ``2.5 times``."""
    check_lang(lang)
    if _is_missing(x):
        return MISSING
    return t("unit.times_value", lang, value=format_number(x, lang=lang, decimals=decimals))


def format_range(
    low: float,
    high: float,
    *,
    lang: str = "id",
    kind: Kind = "number",
    currency: Currency = "USD",
    decimals: int | None = None,
    words: bool | int | None = None,
    fraction: bool = True,
) -> str:
    """A low-high range written once: ``US$1,2–1,5 miliar``, ``12,5–15,0%``, ``1.200–3.400``.

    Both ends are written in the magnitude of the larger one. When both are non-negative
    (and the low end does not round to zero in that magnitude) the symbol and the word are
    written once with an en dash between the numbers; otherwise both ends are written in
    full joined by ``s.d.`` (id) or ``to`` (en), so a minus sign is never confused with the
    dash (``-US$0,5 miliar s.d. US$1,2 miliar``).

    Parameters
    ----------
    low, high : float
        Ends of the range, ``low <= high``; in the unit of ``kind``.
    lang : {"id", "en"}, default "id"
    kind : {"number", "money", "percent"}, default "number"
        How to write the ends (see :func:`format_number`, :func:`format_money`,
        :func:`format_percent`).
    currency : {"USD", "IDR"}, default "USD"
        For ``kind="money"``.
    decimals : int, optional
        Decimal places of both ends. Default: 1 for percent; otherwise as the larger end
        would be written alone.
    words : bool or {3, 6, 9, 12}, optional
        Magnitude words; default True for money, False for numbers.
    fraction : bool, default True
        For ``kind="percent"``: the ends are shares (``0.125``).

    Raises
    ------
    HilirDataError
        If ``low > high``, either end is missing, or ``kind`` is unknown.

    Examples
    --------
    >>> format_range(1.2e9, 1.5e9, lang="id", kind="money")
    'US$1,2–1,5 miliar'
    >>> format_range(1.2e9, 1.5e9, lang="en", kind="money")
    'US$1.2–1.5 billion'
    >>> format_range(800e6, 1.2e9, lang="id", kind="money")
    'US$0,8–1,2 miliar'
    >>> format_range(-0.5e9, 1.2e9, lang="id", kind="money")
    '-US$0,5 miliar s.d. US$1,2 miliar'

    Ends that are written the same are written once (never ``1,3–1,3``):

    >>> format_range(1.296, 1.304, lang="en", decimals=1)
    '1.3'
    """
    check_lang(lang)
    if kind not in ("number", "money", "percent"):
        raise HilirDataError(f"kind must be 'number', 'money' or 'percent', not {kind!r}")
    if _is_missing(low) or _is_missing(high):
        raise HilirDataError(f"a range needs both ends, got {low!r} and {high!r}")
    lo, hi = float(low), float(high)
    if lo > hi:
        raise HilirDataError(f"range low {lo!r} is above high {hi!r}")
    joiner = f" {t('range.to', lang)} "
    if kind == "percent":
        dec = 1 if decimals is None else decimals
        a = format_percent(lo, lang=lang, decimals=dec, fraction=fraction)
        b = format_percent(hi, lang=lang, decimals=dec, fraction=fraction)
        if a == b:
            return a
        if lo >= 0:
            return f"{a[:-1]}{_DASH}{b}"
        return f"{a}{joiner}{b}"
    use_words = (kind == "money") if words is None else words
    big = hi if abs(hi) >= abs(lo) else lo
    exp = exponent_of(big, words=use_words)
    if kind == "money":
        dec = decimals if decimals is not None else _default_money_decimals(big, exp)
        symbol = CURRENCY_SYMBOL[_check_currency(currency)]
    else:
        dec = decimals if decimals is not None else (1 if exp else 0)
        symbol = ""
    s_big = scale(big, decimals=dec, words=use_words)
    exp = s_big.exponent  # after any carry (999.96 million -> 1.0 billion)
    word = s_big.word(lang)
    tail = f" {word}" if word else ""
    lo_in = round_half_up(lo / 10.0**exp, dec)
    hi_in = round_half_up(hi / 10.0**exp, dec)
    if lo_in == hi_in and (lo == 0 or lo_in != 0):
        sign = _MINUS if lo_in < 0 else ""
        return f"{sign}{symbol}{_digits(abs(lo_in), dec, lang)}{tail}"
    if lo == 0 or lo_in != 0:
        if lo >= 0:
            return f"{symbol}{_digits(lo_in, dec, lang)}{_DASH}{_digits(hi_in, dec, lang)}{tail}"

        def fixed(v: Decimal) -> str:
            sign = _MINUS if v < 0 else ""
            return f"{sign}{symbol}{_digits(v, dec, lang)}{tail}"

        return f"{fixed(lo_in)}{joiner}{fixed(hi_in)}"
    if kind == "money":

        def one(v: float) -> str:
            return format_money(v, lang=lang, currency=currency, decimals=dec, words=use_words)

    else:

        def one(v: float) -> str:
            return format_number(v, lang=lang, decimals=dec, words=use_words)

    return f"{one(lo)}{joiner}{one(hi)}"
