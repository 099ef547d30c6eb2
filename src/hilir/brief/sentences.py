"""Sentences of a brief's prose: split a paragraph, and say each sentence once.

A brief's summary box quotes the first sentence of its findings, and the sections around
the charts say the same findings again with their context. :class:`Said` remembers every
sentence a brief has printed so that :class:`hilir.brief.page.Brief` prints each one once:
the reader meets a finding in the summary and its context (the rest of the paragraph)
under the chart, never the same sentence twice.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["Said", "first_sentence", "split_sentences"]

#: Abbreviations that end with a full stop inside a sentence (English and Indonesian):
#: "s.d." (sampai dengan), "dll.", "e.g.", "No." ...
ABBREVIATIONS = frozenset(
    {"s.d.", "dll.", "dsb.", "mis.", "e.g.", "i.e.", "cf.", "vs.", "no.", "al.", "kab.", "u.s."}
)

#: A sentence ends at ".", "!" or "?" followed by white space and a capital, a digit, an
#: opening bracket or quote (the start of the next sentence).
_BOUNDARY = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(\"“'])")


def _ends_with_abbreviation(text: str) -> bool:
    last = text.rsplit(None, 1)[-1].lower().lstrip("(\"“'")
    return last in ABBREVIATIONS


def split_sentences(text: str) -> list[str]:
    """The sentences of a paragraph, in order, each stripped.

    Parameters
    ----------
    text : str
        Generated prose (catalogue sentences with their numbers filled in).

    Returns
    -------
    list of str
        A full stop inside a number (``US$1.6 billion``, ``1,3 kali``) or after a listed
        abbreviation (``s.d.``) does not end a sentence.

    Examples
    --------
    >>> split_sentences("Exports rose 1.3 times. In 2025: US$9.8 billion (preliminary).")
    ['Exports rose 1.3 times.', 'In 2025: US$9.8 billion (preliminary).']
    >>> split_sentences("Berkisar US$26,1 juta s.d. US$985,8 juta. Data berakhir 2020.")
    ['Berkisar US$26,1 juta s.d. US$985,8 juta.', 'Data berakhir 2020.']
    """
    pieces = [p for p in _BOUNDARY.split(text.strip()) if p.strip()]
    out: list[str] = []
    for piece in pieces:
        if out and _ends_with_abbreviation(out[-1]):
            out[-1] = f"{out[-1]} {piece.strip()}"
        else:
            out.append(piece.strip())
    return out


def first_sentence(text: str) -> str:
    """The first sentence of a paragraph (the whole text when it has one sentence)."""
    parts = split_sentences(text)
    return parts[0] if parts else ""


def _norm(sentence: str) -> str:
    return " ".join(sentence.split())


class Said:
    """The sentences a brief has printed so far; :meth:`new` keeps only unsaid ones."""

    def __init__(self) -> None:
        self._seen: set[str] = set()

    def new(self, texts: Iterable[str | None]) -> list[str]:
        """The sentences of ``texts`` not printed before, recorded as printed now.

        Parameters
        ----------
        texts : iterable of str or None
            Paragraph pieces; ``None`` and empty ones are skipped.

        Returns
        -------
        list of str
            Sentences in order; one already printed (by the summary box or an earlier
            paragraph) is left out, as is a repeat within ``texts``.
        """
        kept: list[str] = []
        for text in texts:
            for sentence in split_sentences(text or ""):
                key = _norm(sentence)
                if key in self._seen:
                    continue
                self._seen.add(key)
                kept.append(sentence)
        return kept
