"""Bahasa Indonesia and English: the message catalogue, numbers, money and dates.

Everything a chart or a brief prints goes through this package: labels and sentences from
the catalogue (:func:`t`), numbers in the language's style (``US$1,2 miliar`` /
``US$1.2 billion``), dates (``28 April 2022``). Indonesian is the default language.

Examples
--------
>>> from hilir.i18n import format_money, t
>>> format_money(1.2e9, lang="id"), t("chain.palm_oil", "en")
('US$1,2 miliar', 'palm oil')
"""

from hilir.i18n.catalog import LANGS, Message, catalogue, check_lang, has, keys, label, t, text_of
from hilir.i18n.dates import (
    format_date,
    format_date_range,
    format_month,
    format_period,
    month_name,
    month_names,
)
from hilir.i18n.numbers import (
    CURRENCY_SYMBOL,
    compact_decimals,
    format_money,
    format_number,
    format_percent,
    format_points,
    format_range,
    format_ratio,
    round_half_up,
)
from hilir.i18n.units import AxisScale, ExchangeRate, axis_scale

__all__ = [
    "CURRENCY_SYMBOL",
    "LANGS",
    "AxisScale",
    "ExchangeRate",
    "Message",
    "axis_scale",
    "catalogue",
    "check_lang",
    "compact_decimals",
    "format_date",
    "format_date_range",
    "format_money",
    "format_month",
    "format_number",
    "format_percent",
    "format_period",
    "format_points",
    "format_range",
    "format_ratio",
    "has",
    "keys",
    "label",
    "month_name",
    "month_names",
    "round_half_up",
    "t",
    "text_of",
]
