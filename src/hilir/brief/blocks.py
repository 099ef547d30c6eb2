"""The fixed blocks of a brief: header, data-vintage table, citation notes, HTML tables.

:class:`hilir.brief.page.Brief` shows them; they are plain functions of their inputs, so a
test (or another page layout) can build each block on its own.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from hilir.brief.texts import say
from hilir.i18n.catalog import check_lang

#: Geographies a brief can be about.
GEOGRAPHIES = ("IDN", "ID-LA")

__all__ = [
    "GEOGRAPHIES",
    "brief_header",
    "frame_html",
    "separate_citations",
    "update_instruction",
    "vintage_table",
]


def _records(keys: Iterable[str]) -> list[Any]:
    from hilir.plots.sources import collect_sources

    info = collect_sources([], sorted(set(keys)))
    return list(info.records)


def update_instruction(record: Any, lang: str) -> str:
    """How to bring newer data of a source in: a fetch, an import command, or a new file."""
    from hilir.fetch import FETCH_COMMANDS
    from hilir.sources.catalog import BUILT_TABLES, READERS

    if record.reader in FETCH_COMMANDS:
        return say(
            "vintage.update_fetch", lang, command=FETCH_COMMANDS[record.reader],
            reader=record.reader,
        )  # fmt: skip
    if record.reader in READERS and READERS[record.reader].table in BUILT_TABLES:
        return say("vintage.update_import", lang, reader=record.reader)
    if str(record.table) in ("io_table", "employment"):
        return say("vintage.update_model_file", lang, reader=record.reader)
    return say("vintage.update_replace", lang)


def vintage_table(keys: Iterable[str], lang: str) -> pd.DataFrame:
    """The data vintage of a brief: one row per source, with its latest year and how to update.

    Parameters
    ----------
    keys : iterable of str
        Provenance keys of the data shown (joined keys ``a+b`` are split).
    lang : {"id", "en"}

    Returns
    -------
    pandas.DataFrame
        Columns ``source, publisher, table, coverage, latest_year, retrieved`` (the date the
        newest file was downloaded or fetched, ``YYYY-MM-DD``), ``licence, update`` (the
        command that brings it up to date); the header in ``attrs["labels"]`` in ``lang``.
        Files of one publisher that feed the same table with the same reader (one per year,
        say) are one row; ``coverage`` spans their
        years and ``latest_year`` is the latest of them (None when the source states none).
    """
    from hilir.provenance.keys import split_keys

    check_lang(lang)
    recs = _records(split_keys(keys))
    rows: dict[tuple[str, str, str], dict[str, Any]] = {}
    for rec in recs:
        label = str(rec.source_label.get(lang) or rec.publisher)
        group = (label, str(rec.table), str(rec.reader))
        row = rows.setdefault(
            group,
            {
                "source": label,
                "publisher": rec.publisher,
                "table": say(f"vintage.table.{rec.table}", lang)
                if _has(f"vintage.table.{rec.table}")
                else str(rec.table),
                "coverage": [],
                "latest_year": None,
                "retrieved": "",
                "licence": rec.licence,
                "update": update_instruction(rec, lang),
                "keys": [],
            },
        )
        row["coverage"].append(str(rec.coverage))
        row["retrieved"] = max(row["retrieved"], str(rec.accessed or "")[:10])
        row["keys"].append(rec.key)
        if rec.latest_year is not None:
            row["latest_year"] = max(int(rec.latest_year), row["latest_year"] or 0)
    out = []
    for row in rows.values():
        covs = sorted(set(row["coverage"]))
        row["coverage"] = covs[0] if len(covs) == 1 else _span(covs)
        row["keys"] = "+".join(sorted(row["keys"]))
        out.append(row)
    df = pd.DataFrame(
        out,
        columns=[
            "source",
            "publisher",
            "table",
            "coverage",
            "latest_year",
            "retrieved",
            "licence",
            "update",
            "keys",
        ],
    )
    df = df.sort_values(["source", "table"]).reset_index(drop=True)
    df["latest_year"] = pd.array(df["latest_year"], dtype="Int64")
    df.attrs["labels"] = {c: say(f"vintage.col.{c}", lang) for c in df.columns}
    return df


def _has(key: str) -> bool:
    from hilir.brief.texts import has

    return has(key)


def _span(covs: Sequence[str]) -> str:
    """The years the coverage texts span (``1960-01 to 2026-05`` and ``1960-2024``: 1960-2026)."""
    import re

    years = [int(y) for c in covs for y in re.findall(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)", c)]
    if not years:
        return "; ".join(covs)
    return f"{min(years)}-{max(years)}"


def separate_citations(frame: pd.DataFrame, *, lang: str) -> tuple[pd.DataFrame, str | None]:
    """Keep provenance keys in ``source``; move cited texts (assumptions) to ``cited_source``.

    Model outputs built on a cited assumption (a processed unit value from
    ``value_assumptions.csv``) carry its citation in ``source`` next to the provenance keys
    of the trade data. A chart's source line is built from provenance records, so the
    citation goes to the chart's note instead, in the brief's language, and stays in the
    annex data (column ``cited_source``).

    Returns
    -------
    (pandas.DataFrame, str or None)
        The frame (a copy) and the note naming the cited source(s), or None if there is none.
    """
    from hilir.plots.sources import collect_sources
    from hilir.provenance.keys import split_keys

    if "source" not in frame.columns:
        return frame.copy(), None
    out = frame.copy()
    known = set(collect_sources([], split_keys(out["source"].dropna().unique())).keys)
    info = collect_sources([], sorted(known))
    valid = {r.key for r in info.records}
    keys_col, cited_col, cited_all = [], [], []
    for value in out["source"]:
        text = "" if value is None or (isinstance(value, float) and value != value) else str(value)
        parts = [p.strip() for p in text.split("+") if p.strip()]
        good = [p for p in parts if p in valid]
        rest = [p for p in parts if p not in valid]
        keys_col.append("+".join(good))
        cited = " + ".join(rest)
        cited_col.append(cited)
        if cited and cited not in cited_all:
            cited_all.append(cited)
    out["source"] = keys_col
    out["cited_source"] = cited_col
    if not cited_all:
        return out, None
    return out, say("note.cited_assumption", lang, sources="; ".join(cited_all))


def brief_header(
    lang: str,
    geography: str,
    sources: Iterable[str] = (),
    *,
    name: str | None = None,
    title: str | None = None,
    today: dt.date | None = None,
) -> str:
    """Markdown of a brief's header: title, subtitle, geography statement and build date.

    Parameters
    ----------
    lang : {"id", "en"}
    geography : {"IDN", "ID-LA"}
        What the brief is about; the geography statement says which figures are national.
    sources : iterable of str
        Provenance keys the brief draws on (named in the header's "data" line).
    name : str, optional
        Notebook name (``01_coffee``): title and subtitle come from the catalogue.
    title : str, optional
        Title text when there is no catalogue entry.
    today : datetime.date, optional
        Build date (default today).

    Returns
    -------
    str
        Markdown.
    """
    check_lang(lang)
    if geography not in GEOGRAPHIES:
        raise ValueError(f"geography must be one of {GEOGRAPHIES}, not {geography!r}")
    from hilir.i18n.dates import format_date

    head = title or (say(f"brief.{name}.title", lang) if name else "")
    parts = [f"# {head}"]
    if name and _has(f"brief.{name}.subtitle"):
        parts.append(f"*{say(f'brief.{name}.subtitle', lang)}*")
    parts.append(say(f"geo.statement.{geography}", lang))
    labels = []
    for rec in _records(sources):
        label = str(rec.source_label.get(lang) or rec.publisher)
        if label not in labels:
            labels.append(label)
    if labels:
        parts.append(say("brief.data_line", lang, labels="; ".join(labels)))
    parts.append(say("brief.built", lang, date=format_date(today or dt.date.today(), lang)))
    return "\n\n".join(parts)


def frame_html(frame: pd.DataFrame, *, labels: Mapping[str, str] | None = None) -> str:
    """A small HTML table of already formatted cells (class ``hilir-table``)."""
    cols = list(frame.columns)
    head = "".join(f"<th>{html.escape(str((labels or {}).get(c, c)))}</th>" for c in cols)
    body = []
    for row in frame.itertuples(index=False, name=None):
        cells = []
        for v in row:
            text = "" if v is None or (isinstance(v, float) and v != v) or v is pd.NA else v
            cells.append(f"<td>{html.escape(str(text))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        '<table class="hilir-table"><thead><tr>'
        + head
        + "</tr></thead><tbody>"
        + "".join(body)
        + "</tbody></table>"
    )
