"""The text catalogue: every label, title, axis, unit, heading and sentence in id and en.

One catalogue, one API (:func:`t`), read from two package files of the same layout: the
chart vocabulary ``hilir/i18n/messages.csv`` and the briefs' headings, sentence templates,
index and annex labels ``hilir/i18n/sentences.csv``; a key may be in only one of them.
Each file has three columns ``key``,
``id`` (Bahasa Indonesia) and ``en`` (English). A key is dotted: its first part names the
family (``chain.coffee``, ``stage.raw``, ``unit.usd_per_kg``, ``title.stage_share.up``).
Messages may hold ``{name}`` placeholders filled by :func:`t`; both languages of a key must
use the same placeholders. A key missing in either language is an error, never a silent
fallback to the other language.

The glossary ``hilir/i18n/glossary.csv`` (:func:`glossary`) lists the key terms of the
briefs, ``term,id,en,source``: the Indonesian term the catalogue uses for a concept, its
English counterpart, and where the Indonesian term comes from (``BPS: <publication>``,
``KBBI: <entry>`` or ``Kementerian <name>: <document>``).
"""

from __future__ import annotations

import csv
import io
import string
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Literal

from hilir.errors import HilirDataError

Lang = Literal["id", "en"]
#: Languages of the catalogue: Bahasa Indonesia (default) and English.
LANGS: tuple[str, ...] = ("id", "en")
_FILE = "messages.csv"
_WHERE = "hilir/i18n/messages.csv"
_SENTENCES = "sentences.csv"
_SENTENCES_WHERE = "hilir/i18n/sentences.csv"
_GLOSSARY = "glossary.csv"
_GLOSSARY_WHERE = "hilir/i18n/glossary.csv"
#: Kinds of source a glossary term may cite: the text before the first ``:`` of ``source``.
GLOSSARY_SOURCES: tuple[str, ...] = ("BPS", "KBBI", "Kementerian")


@dataclass(frozen=True)
class Message:
    """One catalogue row.

    Attributes
    ----------
    key : str
        Dotted key (``stage.raw``).
    id, en : str
        The message in Bahasa Indonesia and in English.
    row : int
        Line of the row in ``messages.csv`` (1-based, header is line 1).
    """

    key: str
    id: str
    en: str
    row: int

    def text(self, lang: str) -> str:
        """The message in one language."""
        return self.id if lang == "id" else self.en


def check_lang(lang: object) -> str:
    """Return ``lang`` if it is ``"id"`` or ``"en"``; raise otherwise.

    Raises
    ------
    HilirDataError
        For any other value.
    """
    if lang not in LANGS:
        raise HilirDataError(f"lang must be 'id' or 'en', not {lang!r}")
    return str(lang)


def placeholders(text: str) -> frozenset[str]:
    """Names of the ``{name}`` placeholders in a message."""
    return frozenset(
        name for _, name, _, _ in string.Formatter().parse(text) if name is not None and name
    )


def parse_catalogue(text: str, *, path: str = _WHERE) -> dict[str, Message]:
    """Parse catalogue text (CSV with ``key,id,en``) into messages by key.

    Parameters
    ----------
    text : str
        The CSV text.
    path : str, optional
        Name of the file, for error messages.

    Returns
    -------
    dict of str to Message

    Raises
    ------
    HilirDataError
        Wrong header, an empty key, a duplicate key, an empty translation, or placeholders
        that differ between the two languages; the message names the row and column.
    """
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None or [h.strip() for h in header] != ["key", "id", "en"]:
        raise HilirDataError("header must be 'key,id,en'", path=path, row=1)
    out: dict[str, Message] = {}
    for row_no, cells in enumerate(reader, start=2):
        if not cells or all(not c.strip() for c in cells):
            continue
        if len(cells) != 3:
            raise HilirDataError(
                f"expected 3 cells, found {len(cells)}", path=path, row=row_no, column="key"
            )
        key, id_text, en_text = (c.strip() for c in cells)
        if not key:
            raise HilirDataError("key is empty", path=path, row=row_no, column="key")
        if key in out:
            raise HilirDataError(
                f"key {key!r} also on row {out[key].row}", path=path, row=row_no, column="key"
            )
        for column, value in (("id", id_text), ("en", en_text)):
            if not value:
                raise HilirDataError(
                    f"missing translation of {key!r}", path=path, row=row_no, column=column
                )
        if placeholders(id_text) != placeholders(en_text):
            raise HilirDataError(
                f"placeholders differ for {key!r}: id {sorted(placeholders(id_text))}, "
                f"en {sorted(placeholders(en_text))}",
                path=path,
                row=row_no,
                column="en",
            )
        out[key] = Message(key, id_text, en_text, row_no)
    return out


@lru_cache(maxsize=2)
def _file(name: str, where: str) -> Mapping[str, Message]:
    return parse_catalogue(
        files("hilir.i18n").joinpath(name).read_text(encoding="utf-8"), path=where
    )


def sentences() -> Mapping[str, Message]:
    """The briefs' part of the catalogue (``sentences.csv``): headings and sentence templates."""
    return _file(_SENTENCES, _SENTENCES_WHERE)


@lru_cache(maxsize=1)
def catalogue() -> Mapping[str, Message]:
    """The shipped catalogue, both files, parsed once and validated.

    Returns
    -------
    Mapping of str to Message
        Every message by key.

    Raises
    ------
    HilirDataError
        If ``messages.csv`` or ``sentences.csv`` is malformed (see :func:`parse_catalogue`)
        or a key is in both.
    """
    out = dict(_file(_FILE, _WHERE))
    for key, msg in sentences().items():
        if key in out:
            raise HilirDataError(
                f"key {key!r} is also in {_WHERE} (line {out[key].row}); a key lives in one file",
                path=_SENTENCES_WHERE,
                row=msg.row,
                column="key",
            )
        out[key] = msg
    return out


def has(key: str) -> bool:
    """True if the catalogue holds ``key``."""
    return key in catalogue()


def t(key: str, lang: str, /, **fields: object) -> str:
    """The message ``key`` in ``lang``, with its placeholders filled.

    Parameters
    ----------
    key : str
        Catalogue key (``"stage.raw"``).
    lang : {"id", "en"}
        Language.
    **fields
        Values of the message's ``{name}`` placeholders, already formatted as text (use
        :mod:`hilir.i18n.numbers` for numbers).

    Returns
    -------
    str

    Raises
    ------
    HilirDataError
        An unknown key (add a row to ``messages.csv``), an unknown language, or a missing
        placeholder value.

    Examples
    --------
    >>> t("stage.processed", "id"), t("stage.processed", "en")
    ('barang jadi', 'processed')
    """
    check_lang(lang)
    msg = catalogue().get(key)
    if msg is None:
        raise HilirDataError(
            f"no message {key!r} in the catalogue; add a row with both languages to {_WHERE}"
        )
    text = msg.text(lang)
    needed = placeholders(text)
    if not needed:
        return text
    absent = sorted(needed - set(fields))
    if absent:
        raise HilirDataError(f"message {key!r} needs values for {absent}")
    return text.format(**{k: v for k, v in fields.items() if k in needed})


def label(family: str, code: str, lang: str) -> str:
    """The label of a code in a family: ``label("chain", "coffee", "id") == "kopi"``.

    Raises
    ------
    HilirDataError
        If the catalogue has no ``family.code`` row.
    """
    return t(f"{family}.{code}", lang)


def text_of(message: str | Mapping[str, str], lang: str) -> str:
    """Text in ``lang`` from a catalogue key or from a ``{"id": ..., "en": ...}`` mapping.

    Parameters
    ----------
    message : str or Mapping
        A catalogue key, or a mapping with both languages (for text such as a policy event
        label that lives in another data file).
    lang : {"id", "en"}

    Raises
    ------
    HilirDataError
        An unknown key, or a mapping without a non-empty text for ``lang``.
    """
    check_lang(lang)
    if isinstance(message, Mapping):
        value = message.get(lang)
        if not isinstance(value, str) or not value.strip():
            raise HilirDataError(f"text has no {lang!r} translation: {dict(message)!r}")
        return value
    return t(message, lang)


def keys(prefix: str = "") -> list[str]:
    """Catalogue keys starting with ``prefix``, in file order."""
    return [k for k in catalogue() if k.startswith(prefix)]


@dataclass(frozen=True)
class GlossaryTerm:
    """One glossary row: a key term of the briefs in both languages, with its source.

    Attributes
    ----------
    term : str
        Key of the concept (``induced``).
    id, en : str
        The term in Bahasa Indonesia (``imbasan``) and in English (``induced``).
    source : str
        Where the Indonesian term comes from, ``<kind>: <document>``.
    row : int
        Line in ``glossary.csv`` (header is line 1).
    """

    term: str
    id: str
    en: str
    source: str
    row: int

    @property
    def source_kind(self) -> str:
        """``BPS``, ``KBBI`` or ``Kementerian`` (a ministry), from ``source``."""
        kind = self.source.split(":", 1)[0].strip()
        return "Kementerian" if kind.startswith("Kementerian ") else kind


def parse_glossary(text: str, *, path: str = _GLOSSARY_WHERE) -> tuple[GlossaryTerm, ...]:
    """Parse glossary text (CSV with ``term,id,en,source``) and check every row.

    Raises
    ------
    HilirDataError
        Wrong header, an empty cell, a repeated term, or a source that is not
        ``BPS: ...``, ``KBBI: ...`` or ``Kementerian <name>: ...``; names row and column.
    """
    reader = csv.reader(io.StringIO(text))
    if [h.strip() for h in next(reader, [])] != ["term", "id", "en", "source"]:
        raise HilirDataError("header must be 'term,id,en,source'", path=path, row=1)
    out: dict[str, GlossaryTerm] = {}
    for row_no, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != 4:
            raise HilirDataError(f"expected 4 cells, found {len(cells)}", path=path, row=row_no)
        values = dict(zip(("term", "id", "en", "source"), (c.strip() for c in cells), strict=True))
        for column, value in values.items():
            if not value:
                raise HilirDataError("empty cell", path=path, row=row_no, column=column)
        if values["term"] in out:
            raise HilirDataError(
                f"term {values['term']!r} also on row {out[values['term']].row}",
                path=path, row=row_no, column="term",
            )  # fmt: skip
        entry = GlossaryTerm(**values, row=row_no)
        if ":" not in entry.source or entry.source_kind not in GLOSSARY_SOURCES:
            raise HilirDataError(
                f"source must start with one of {GLOSSARY_SOURCES} and ':', "
                f"not {entry.source!r}",
                path=path, row=row_no, column="source",
            )  # fmt: skip
        out[entry.term] = entry
    return tuple(out.values())


@lru_cache(maxsize=1)
def glossary() -> tuple[GlossaryTerm, ...]:
    """The shipped glossary of key terms, in file order (see :func:`parse_glossary`).

    Examples
    --------
    >>> {g.term: g.id for g in glossary()}["induced"]
    'imbasan'
    """
    text = files("hilir.i18n").joinpath(_GLOSSARY).read_text(encoding="utf-8")
    return parse_glossary(text)
