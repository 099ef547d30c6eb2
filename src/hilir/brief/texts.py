"""The briefs' words: :func:`say` fills a catalogue text for a brief's prose.

The texts are the one catalogue of :mod:`hilir.i18n.catalog` (the briefs' headings,
sentence templates, index and annex labels sit in its ``sentences.csv`` part). Sentence
templates never hold a number: numbers are filled in by :mod:`hilir.brief.narrative` from
the data, formatted by :mod:`hilir.i18n`.
"""

from __future__ import annotations

from hilir.i18n.catalog import has, sentences, t

__all__ = ["has", "say", "sentences"]


def say(key: str, lang: str, /, **fields: object) -> str:
    """The text ``key`` in ``lang`` with its placeholders filled (:func:`hilir.i18n.t`).

    Raises
    ------
    HilirDataError
        An unknown key, an unknown language or a missing placeholder value.
    """
    return t(key, lang, **fields)
