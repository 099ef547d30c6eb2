"""Source and note lines of a chart, generated from the provenance records of its data.

Every tidy frame carries a ``source`` column of provenance keys (model outputs join several
keys with ``+``). The source line names the sources by their ``source_label`` in the
chart's language, says the figures were processed (BPS style ``(diolah)``; in English
``hilir calculations``) and gives the latest year of the data shown:

``Sumber: FAOSTAT; UN Comtrade (diolah). Data terakhir: 2020.``
``Source: FAOSTAT; UN Comtrade; hilir calculations. Latest data: 2020.``

A key with no provenance record (unknown, or the synthetic example ``synthetic_example``)
is kept in :attr:`SourceInfo.missing`; such a chart can be drawn for docs and tests, but
:func:`hilir.plots.save_figure` refuses to save it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from hilir.errors import HilirDataError
from hilir.i18n.catalog import check_lang, t, text_of
from hilir.provenance.catalog import input_records
from hilir.provenance.keys import SYNTHETIC_KEYS, split_keys
from hilir.provenance.sidecar import Provenance

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

#: A note: a catalogue key, a ``{"id": ..., "en": ...}`` mapping, or text already in the
#: chart's language.
Note = str | Mapping[str, str]


@dataclass(frozen=True)
class SourceInfo:
    """The provenance behind a chart.

    Attributes
    ----------
    keys : tuple of str
        Every provenance key of the data shown.
    records : tuple of Provenance
        The records found for those keys (sorted by key).
    missing : tuple of str
        Keys without a record: unknown keys and synthetic data.
    synthetic : bool
        The data includes the synthetic example.
    """

    keys: tuple[str, ...]
    records: tuple[Provenance, ...] = field(default=(), repr=False)
    missing: tuple[str, ...] = ()
    synthetic: bool = False

    @property
    def complete(self) -> bool:
        """True if the data has at least one source and every key has a record."""
        return bool(self.keys) and not self.missing and not self.synthetic

    def labels(self, lang: str) -> list[str]:
        """Distinct source labels in ``lang``, in key order (two Comtrade files: one label)."""
        check_lang(lang)
        out: list[str] = []
        for rec in self.records:
            label = str(rec.source_label.get(lang) or "").strip()
            if not label:
                raise HilirDataError(
                    f"provenance record {rec.key!r} has no {lang!r} source label",
                    path=rec.path,
                    column="source_label",
                )
            if label not in out:
                out.append(label)
        return out

    def latest_year(self) -> int | None:
        """Largest ``latest_year`` of the records, or None."""
        years = [int(r.latest_year) for r in self.records if r.latest_year is not None]
        return max(years) if years else None

    def describe(self) -> list[dict[str, object]]:
        """One dictionary per record: key, publisher, title, url, licence, citation, accessed.

        For data annexes that cite every source of a chart.
        """
        return [
            {
                "key": r.key,
                "publisher": r.publisher,
                "title": r.title,
                "url": r.url,
                "licence": r.licence,
                "citation": r.citation,
                "accessed": r.accessed,
                "latest_year": r.latest_year,
            }
            for r in self.records
        ]


def frame_keys(frame: pd.DataFrame | None) -> list[str]:
    """Provenance keys of a frame: its ``source`` column and ``frame.attrs["sources"]``."""
    if frame is None:
        return []
    values: list[object] = []
    if "source" in frame.columns:
        values += list(frame["source"].dropna().unique())
    attrs = frame.attrs.get("sources") if hasattr(frame, "attrs") else None
    if isinstance(attrs, str):
        values.append(attrs)
    elif isinstance(attrs, Iterable):
        values += list(attrs)
    return split_keys(values)


def collect_sources(
    frames: Sequence[pd.DataFrame | None],
    sources: Iterable[str | Provenance] | None = None,
    *,
    records: Iterable[Provenance] | None = None,
) -> SourceInfo:
    """Find the provenance records behind the frames of a chart.

    Parameters
    ----------
    frames : sequence of pandas.DataFrame
        The frames whose ``source`` keys are collected.
    sources : iterable of str or Provenance, optional
        More sources of the chart, cited with the frames' own: keys (for frames that do
        not carry a ``source`` column) or records (a user's own record, or a record in a
        test); a record is also used to look up the frames' keys.
    records : iterable of Provenance, optional
        Records to look keys up in; by default :func:`hilir.data.pipeline.discover_inputs` (the
        shipped snapshots and the user's imports), read only when a key is not covered by
        ``sources``.

    Returns
    -------
    SourceInfo
    """
    given: dict[str, Provenance] = {}
    extra: list[str] = []
    for item in sources or ():
        if isinstance(item, Provenance):
            given[item.key] = item
        elif isinstance(item, str):
            extra.append(item)
        else:
            raise HilirDataError(f"sources must be keys or Provenance records, not {item!r}")
    keys: list[str] = []
    for frame in frames:
        keys += frame_keys(frame)
    keys = sorted(set(keys) | set(split_keys(extra)) | set(given))
    synthetic = any(k in SYNTHETIC_KEYS for k in keys) or any(
        frame is not None
        and "synthetic" in frame.columns
        and bool(frame["synthetic"].fillna(False).astype(bool).any())
        for frame in frames
    )
    todo = [k for k in keys if k not in given and k not in SYNTHETIC_KEYS]
    known: dict[str, Provenance] = dict(given)
    if todo:
        if records is None:
            records = input_records()
        for rec in records:
            known.setdefault(rec.key, rec)
    found = tuple(known[k] for k in keys if k in known and k not in SYNTHETIC_KEYS)
    missing = tuple(k for k in keys if k not in known or k in SYNTHETIC_KEYS)
    return SourceInfo(tuple(keys), found, missing, synthetic)


def source_line(
    info: SourceInfo, lang: str, *, latest_year: int | None = None, processed: bool = True
) -> str:
    """The chart's source line.

    Parameters
    ----------
    info : SourceInfo
        Provenance of the data shown.
    lang : {"id", "en"}
    latest_year : int, optional
        Latest year in the data shown; default the records' largest ``latest_year``.
    processed : bool, default True
        The figures were computed by hilir from the sources (``(diolah)`` /
        ``hilir calculations``).

    Returns
    -------
    str
        ``Sumber: UN Comtrade; FAOSTAT (diolah). Data terakhir: 2020.`` For synthetic data
        or keys without a record the line says so, naming the keys.
    """
    check_lang(lang)
    if info.synthetic:
        return t("source.synthetic", lang)
    if not info.keys:
        return t("source.none", lang)
    if info.missing:
        return t("source.unknown", lang, keys=", ".join(info.missing))
    labels = "; ".join(info.labels(lang))
    key = "source.line_processed" if processed else "source.line"
    line = t(key, lang, labels=labels)
    year = latest_year if latest_year is not None else info.latest_year()
    if year is not None:
        line += " " + t("source.latest", lang, year=str(int(year)))
    return line


def note_line(notes: Iterable[Note | None], lang: str) -> str:
    """The chart's note line: ``Catatan: ...`` / ``Note: ...``, or ``""`` without notes.

    Parameters
    ----------
    notes : iterable of str or Mapping
        Catalogue keys (``note.mixed_stage``), ``{"id": ..., "en": ...}`` mappings, or text
        already in the chart's language; ``None`` and duplicates are skipped.
    lang : {"id", "en"}
    """
    check_lang(lang)
    parts: list[str] = []
    for note in notes:
        if note is None:
            continue
        if isinstance(note, Mapping):
            text = text_of(note, lang)
        elif re.fullmatch(r"[a-z_]+(\.[A-Za-z0-9_\-]+)+", note):
            text = t(note, lang)
        else:
            text = note
        text = text.strip().rstrip(".")
        if text and text not in parts:
            parts.append(text)
    if not parts:
        return ""
    return t("note.prefix", lang) + " " + ". ".join(parts) + "."
