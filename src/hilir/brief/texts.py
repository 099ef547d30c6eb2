"""The briefs' own text catalogue: headings, sentence templates, index and annex labels.

Package data ``hilir/i18n/sentences.csv`` with the same layout and checks as the chart
catalogue (:mod:`hilir.i18n.catalog`): ``key,id,en``, both languages required, the same
``{placeholders}`` in both. Sentence templates never hold a number: numbers are filled in
by :mod:`hilir.brief.narrative` from the data, formatted by :mod:`hilir.i18n`.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from importlib.resources import files

from hilir.errors import HilirDataError
from hilir.i18n.catalog import Message, check_lang, parse_catalogue, placeholders

_FILE = "sentences.csv"
_WHERE = "hilir/i18n/sentences.csv"


@lru_cache(maxsize=1)
def sentences() -> Mapping[str, Message]:
    """The report catalogue, parsed once and validated."""
    text = files("hilir.i18n").joinpath(_FILE).read_text(encoding="utf-8")
    return parse_catalogue(text, path=_WHERE)


def has(key: str) -> bool:
    """True if the report catalogue holds ``key``."""
    return key in sentences()


def say(key: str, lang: str, /, **fields: object) -> str:
    """The template ``key`` in ``lang`` with its placeholders filled (text already formatted).

    Raises
    ------
    HilirDataError
        An unknown key, an unknown language or a missing placeholder value.
    """
    check_lang(lang)
    msg = sentences().get(key)
    if msg is None:
        raise HilirDataError(f"no text {key!r} in {_WHERE}; add a row with both languages")
    text = msg.text(lang)
    need = placeholders(text)
    absent = sorted(need - set(fields))
    if absent:
        raise HilirDataError(f"text {key!r} needs values for {absent}")
    return text.format(**{k: v for k, v in fields.items() if k in need}) if need else text


def geography_name(code: str, lang: str) -> str:
    """``Indonesia`` for ``IDN``, ``Lampung`` for ``ID-LA`` (catalogue ``geo.<code>``)."""
    return say(f"geo.{code}", lang)
