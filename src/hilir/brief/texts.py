"""The briefs' words: :func:`say` fills a catalogue text for a brief's prose.

The texts are the one catalogue of :mod:`hilir.i18n.catalog` (the briefs' headings,
sentence templates, index and annex labels sit in its ``sentences.csv`` part). Sentence
templates never hold a number: numbers are filled in by :mod:`hilir.brief.narrative` from
the data, formatted by :mod:`hilir.i18n`.
"""

from __future__ import annotations

from hilir.i18n.catalog import has, sentences, t

__all__ = ["has", "listed", "say", "sentences"]


def say(key: str, lang: str, /, **fields: object) -> str:
    """The text ``key`` in ``lang`` with its placeholders filled (:func:`hilir.i18n.t`).

    Raises
    ------
    HilirDataError
        An unknown key, an unknown language or a missing placeholder value.
    """
    return t(key, lang, **fields)


def listed(items: list[str], lang: str) -> str:
    """Items joined as a list in a sentence: one rule for every list the briefs print.

    Bahasa Indonesia puts a comma before *dan* in a list of three or more (PUEBI, the
    national spelling guide: "a, b, dan c"); the English of the briefs does not ("a, b and c").

    Examples
    --------
    >>> listed(["Belgia (24%)", "Amerika Serikat (12%)", "Rusia (11%)"], "id")
    'Belgia (24%), Amerika Serikat (12%), dan Rusia (11%)'
    >>> listed(["Belgium", "Russia"], "en"), listed(["Belgium"], "en"), listed([], "en")
    ('Belgium and Russia', 'Belgium', '')
    """
    if len(items) < 2:
        return items[0] if items else ""
    comma = "," if lang == "id" and len(items) > 2 else ""
    return ", ".join(items[:-1]) + f"{comma} {say('say.and', lang)} {items[-1]}"
