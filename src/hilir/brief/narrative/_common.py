"""Shared helpers of the sentence functions: labels, geography names, signs, selections."""

from __future__ import annotations

import pandas as pd

from hilir.brief.texts import say
from hilir.i18n import (
    format_money,
    format_percent,
    format_range,
    label,
)
from hilir.i18n.catalog import check_lang, has


def _name(family: str, code: str, lang: str) -> str:
    key = f"{family}.{code}"
    return label(family, code, lang) if has(key) else code.replace("_", " ")


def percent(x: float, *, lang: str) -> str:
    """A share as a whole percentage in the brief's language: ``20%``."""
    check_lang(lang)
    return format_percent(float(x), lang=lang, decimals=0)


def _source_label(key: str, lang: str) -> str:
    from hilir.plots.sources import collect_sources

    labels = collect_sources([], [key]).labels(lang)
    return labels[0] if labels else key


def _direction(change: float) -> str:
    if change > 0:
        return "up"
    if change < 0:
        return "down"
    return "flat"


def _cap(text: str) -> str:
    """A sentence with its first letter in upper case (templates may start with a label)."""
    return text[:1].upper() + text[1:] if text else text


def _mid(text: str, lang: str) -> str:
    """A label used mid-sentence: first letter in lower case unless it starts an acronym."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def _central(frame: pd.DataFrame) -> pd.DataFrame:
    if "bound" in frame.columns:
        return frame[frame["bound"].astype(str) == "central"]
    return frame


def _money_change(low: float, high: float, lang: str) -> tuple[str, str]:
    """(direction key, range text) of a change in money with its sign."""
    if low >= 0:
        return "gain", format_range(low, high, lang=lang, kind="money")
    if high <= 0:
        return "loss", format_range(-high, -low, lang=lang, kind="money")
    return "mixed", say(
        "say.between",
        lang,
        low=format_money(low, lang=lang, signed=True),
        high=format_money(high, lang=lang, signed=True),
    )
