"""Bahasa Indonesia forms of the sources' own words: publisher, licence and coverage texts.

Provenance sidecars record publisher, licence and coverage as the source states them, in
English (``BPS terms of use (free reuse with attribution)``); the id edition's data-vintage
table shows them from ``hilir/i18n/source_terms.csv`` (columns ``field,en,id``), where each
English text has its Indonesian form (``ketentuan penggunaan BPS (bebas digunakan ulang
dengan menyebut sumber)``). Licence names (``CC BY 4.0``) and proper names stay as they are.
A test checks that every shipped sidecar and every reader default has a row.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from functools import lru_cache
from importlib.resources import files

from hilir.errors import HilirDataError
from hilir.i18n.catalog import check_lang, t

__all__ = ["FIELDS", "parse_source_terms", "source_terms", "source_text"]

#: Sidecar fields with an Indonesian form.
FIELDS: tuple[str, ...] = ("publisher", "licence", "coverage")
_WHERE = "hilir/i18n/source_terms.csv"
_MONTH_SPAN = re.compile(r"(?<!\d)(\d{4}-\d{2}) to (\d{4}-\d{2})(?!\d)")


def parse_source_terms(text: str, *, path: str = _WHERE) -> dict[tuple[str, str], str]:
    """Parse ``field,en,id`` CSV text into the Indonesian form by ``(field, English text)``.

    Raises
    ------
    HilirDataError
        Wrong header, an unknown field, an empty cell or a repeated ``(field, en)`` pair;
        the message names the row and column.
    """
    reader = csv.reader(io.StringIO(text))
    if [h.strip() for h in next(reader, [])] != ["field", "en", "id"]:
        raise HilirDataError("header must be 'field,en,id'", path=path, row=1)
    out: dict[tuple[str, str], str] = {}
    for row_no, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != 3:
            raise HilirDataError(f"expected 3 cells, found {len(cells)}", path=path, row=row_no)
        field, en, id_text = (c.strip() for c in cells)
        if field not in FIELDS:
            raise HilirDataError(
                f"field must be one of {FIELDS}, not {field!r}", path=path, row=row_no,
                column="field",
            )  # fmt: skip
        for column, value in (("en", en), ("id", id_text)):
            if not value:
                raise HilirDataError("empty cell", path=path, row=row_no, column=column)
        if (field, en) in out:
            raise HilirDataError(f"{field} {en!r} is listed twice", path=path, row=row_no)
        out[(field, en)] = id_text
    return out


@lru_cache(maxsize=1)
def source_terms() -> Mapping[tuple[str, str], str]:
    """The shipped table, parsed once: Indonesian text by ``(field, English text)``."""
    text = files("hilir.i18n").joinpath("source_terms.csv").read_text(encoding="utf-8")
    return parse_source_terms(text)


def source_text(field: str, text: str, lang: str) -> str:
    """A sidecar's publisher, licence or coverage text in ``lang``.

    Parameters
    ----------
    field : {"publisher", "licence", "coverage"}
    text : str
        The text as the sidecar records it (English).
    lang : {"id", "en"}

    Returns
    -------
    str
        ``text`` itself in English; in Indonesian its row of ``source_terms.csv``, and month
        spans of a coverage as ``1960-01 s.d. 2024-11``. A text with no row (a user's own
        sidecar) is shown as its publisher wrote it: hilir does not guess a translation.

    Raises
    ------
    HilirDataError
        An unknown field or language.

    Examples
    --------
    >>> source_text("publisher", "World Bank", "id")
    'Bank Dunia'
    >>> source_text("coverage", "1960-01 to 2024-11", "id")
    '1960-01 s.d. 2024-11'
    """
    check_lang(lang)
    if field not in FIELDS:
        raise HilirDataError(f"field must be one of {FIELDS}, not {field!r}")
    plain = str(text).strip()
    if lang == "en":
        return plain
    out = source_terms().get((field, plain), plain)
    if field == "coverage":
        out = _MONTH_SPAN.sub(lambda m: t("vintage.span", lang, a=m[1], b=m[2]), out)
    return out
