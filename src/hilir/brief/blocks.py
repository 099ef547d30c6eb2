"""The fixed blocks of a brief: header, data-vintage table, citation notes, HTML tables.

:class:`hilir.brief.page.Brief` shows them; they are plain functions of their inputs, so a
test (or another page layout) can build each block on its own.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from hilir.brief.texts import say
from hilir.i18n.catalog import check_lang
from hilir.i18n.source_terms import source_text

#: Geographies a brief can be about.
GEOGRAPHIES = ("IDN", "ID-LA")
#: Output metadata flag of content shown only in the policymaker edition (the plain
#: wording of what the analyst edition says with commands); see ``page.ANALYST_ONLY``.
POLICYMAKER_ONLY = "hilir_policymaker_only"

__all__ = [
    "GEOGRAPHIES",
    "POLICYMAKER_ONLY",
    "brief_header",
    "code_html",
    "coverage_text",
    "frame_html",
    "known_citations",
    "separate_citations",
    "split_cited",
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
                "publisher": source_text("publisher", rec.publisher, lang),
                "table": say(f"vintage.table.{rec.table}", lang)
                if _has(f"vintage.table.{rec.table}")
                else str(rec.table),
                "coverage": [],
                "latest_year": None,
                "retrieved": "",
                "licence": source_text("licence", rec.licence, lang),
                "update": update_instruction(rec, lang),
                "keys": [],
            },
        )
        row["coverage"].append(source_text("coverage", str(rec.coverage), lang))
        row["retrieved"] = max(row["retrieved"], str(rec.accessed or "")[:10])
        row["keys"].append(rec.key)
        if rec.latest_year is not None:
            row["latest_year"] = max(int(rec.latest_year), row["latest_year"] or 0)
    out = []
    for row in rows.values():
        row["coverage"] = coverage_text(row["coverage"])
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


#: A calendar year in a coverage text: four digits, not part of a longer number or a code
#: (``HS2017``); the month of ``2024-11`` or the crop year's end of ``2019/20`` is no year.
_YEAR = re.compile(r"(?<![\dA-Za-z])(1[89]\d\d|20\d\d)(?!\d)")
#: A coverage text that is already years: ``2014-2025``, ``2005, 2010, 2015``, ``2020``.
_YEARS_ONLY = re.compile(r"\d{4}(\s*(-|–|,)\s*\d{4})*")


def coverage_text(covs: Iterable[str]) -> str:
    """The years the coverage texts of one source span, as years.

    One text that is already years (``2014-2025``, ``2005, 2010, 2015``) is kept. Otherwise
    the span of the calendar years the texts name: ``1960-01 to 2026-05`` and
    ``1960-2024`` give ``1960-2026`` (a month or a two-digit year is never read as a
    year, which once gave ``5-2024`` and ``11-2023``). Texts that name no year (``HS2022``,
    ``not stated``) are joined with ``;``.

    Examples
    --------
    >>> coverage_text(["1960-01 to 2024-11"])
    '1960-2024'
    >>> coverage_text(["2014", "2015", "2022"])
    '2014-2022'
    """
    texts = list(dict.fromkeys(str(c).strip() for c in covs if str(c).strip()))
    if len(texts) == 1 and _YEARS_ONLY.fullmatch(texts[0]):
        return texts[0]
    years = sorted({int(y) for c in texts for y in _YEAR.findall(c)})
    if not years:
        return "; ".join(texts)
    return str(years[0]) if years[0] == years[-1] else f"{years[0]}-{years[-1]}"


def _span(covs: Sequence[str]) -> str:
    """The years the coverage texts span (kept for callers of the earlier name)."""
    return coverage_text(covs)


def known_citations() -> list[str]:
    """Cited texts of the shipped value assumptions and conversion factors, longest first."""
    from hilir.registry.tables import factors
    from hilir.value.assumptions import value_assumptions

    texts = {
        str(v).strip() for df in (value_assumptions(), factors()) for v in df["source"].dropna()
    }
    return sorted((t for t in texts if t), key=lambda t: (-len(t), t))


def split_cited(
    text: str, valid: Iterable[str], known: Sequence[str] = ()
) -> tuple[list[str], list[str]]:
    """The provenance keys and the whole cited texts of one ``source`` cell, in order.

    A cell joins provenance keys and whole cited texts with ``+``
    (:func:`hilir.provenance.keys.join_cited`); a cited text may itself hold ``+``
    (``US$-43.8 to +52.6``), so each text of ``known`` found in the cell is given back whole
    first, and the rest is cut at ``+``.

    Parameters
    ----------
    text : str
        The cell.
    valid : iterable of str
        Provenance keys.
    known : sequence of str, optional
        Cited texts (default none; :func:`known_citations` gives the shipped ones).

    Returns
    -------
    (list of str, list of str)
        The keys, and the cited texts in the order they start in the cell.
    """
    valid = set(valid)
    found: list[tuple[int, str]] = []
    for cite in known:
        at = text.find(cite)
        if at >= 0:
            found.append((at, cite))
            text = text[:at] + "+" * len(cite) + text[at + len(cite) :]
    parts = [(m.start(), m.group(0).strip()) for m in re.finditer(r"[^+]+", text)]
    parts = [(at, p) for at, p in parts if p]
    keys = [p for _, p in parts if p in valid]
    found += [(at, p) for at, p in parts if p not in valid]
    return keys, [cite for _, cite in sorted(found)]


def separate_citations(frame: pd.DataFrame, *, lang: str) -> tuple[pd.DataFrame, str | None]:
    """Keep provenance keys in ``source``; move cited texts (assumptions) to ``cited_source``.

    Model outputs built on a cited assumption (a processed unit value from
    ``value_assumptions.csv``) carry its citation in ``source`` next to the provenance keys
    of the trade data. A chart's source line is built from provenance records, so the
    citation goes to the chart's note instead, in the brief's language, and stays in the
    annex data (column ``cited_source``, several joined with ``" + "``), each citation whole
    and in its own order (:func:`split_cited`). The citations are research notes in the
    language of their sources, with reliability flags; the note under the chart or table
    says, in the brief's language, how many cited assumptions the figures rest on and that
    their full citations are in the annex.

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
    citations = known_citations()
    keys_col, cited_col, cited_all = [], [], []
    for value in out["source"]:
        text = "" if value is None or (isinstance(value, float) and value != value) else str(value)
        good, cited = split_cited(text, valid, citations)
        keys_col.append("+".join(good))
        cited_col.append(" + ".join(cited))
        cited_all += [c for c in cited if c not in cited_all]
    out["source"] = keys_col
    out["cited_source"] = cited_col
    if not cited_all:
        return out, None
    return out, say("note.cited_assumption", lang, n=str(len(cited_all)))


#: The chain each chain brief is written for: its catalogue title and subtitle name it.
BRIEF_CHAINS = {
    "01_coffee": "coffee",
    "02_spices_pepper": "spices",
    "03_rubber": "rubber",
    "04_palm_oil": "palm_oil",
}


def catalogue_title(name: str, lang: str, *, chain: str | None = None) -> tuple[str, str | None]:
    """Title and subtitle of brief ``name`` in ``lang`` (the one rule for a brief's title).

    A chain brief run for another chain (``hilir report --param chain=rubber``) would carry
    its own chain's title ("Kopi: ..."): it gets the generic chain title naming ``chain``
    instead, with no subtitle.

    Parameters
    ----------
    name : str
        Notebook name (``01_coffee``).
    lang : {"id", "en"}
    chain : str, optional
        The chain the brief was run for (its ``chain`` parameter).

    Returns
    -------
    (str, str or None)
        The title (the name itself without a catalogue entry) and the subtitle.
    """
    own = BRIEF_CHAINS.get(name)
    if own is not None and chain is not None and chain != own:
        from hilir.i18n.labels import cell_label

        return say("brief.chain.title", lang, chain=cell_label("chain", chain, lang)), None
    key = f"brief.{name}.title"
    title = say(key, lang) if _has(key) else name
    sub = f"brief.{name}.subtitle"
    return title, (say(sub, lang) if _has(sub) else None)


def brief_header(
    lang: str,
    geography: str,
    sources: Iterable[str] = (),
    *,
    name: str | None = None,
    title: str | None = None,
    chain: str | None = None,
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
    chain : str, optional
        The chain a chain brief was run for (:func:`catalogue_title`).
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

    head, sub = catalogue_title(name, lang, chain=chain) if name else ("", None)
    parts = [f"# {title or head}"]
    if sub:
        parts.append(f"*{sub}*")
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


def code_html(text: str) -> str:
    """Escaped HTML of a text whose ```code``` spans become ``<code>`` (commands, paths)."""
    pieces = str(text).split("`")
    if len(pieces) % 2 == 0:  # an unpaired backtick: no code span
        return html.escape(str(text))
    return "".join(
        f"<code>{html.escape(p)}</code>" if i % 2 else html.escape(p) for i, p in enumerate(pieces)
    )


def frame_html(
    frame: pd.DataFrame,
    *,
    labels: Mapping[str, str] | None = None,
    code_columns: Iterable[str] = (),
) -> str:
    """A small HTML table of already formatted cells (class ``hilir-table``).

    Parameters
    ----------
    frame : pandas.DataFrame
        Formatted cells (escaped here).
    labels : mapping, optional
        Header of each column (default its name).
    code_columns : iterable of str, optional
        Columns whose ```code``` spans are shown as ``<code>`` (:func:`code_html`).
    """
    cols = list(frame.columns)
    code = set(code_columns)
    head = "".join(f"<th>{html.escape(str((labels or {}).get(c, c)))}</th>" for c in cols)
    body = []
    for row in frame.itertuples(index=False, name=None):
        cells = []
        for col, v in zip(cols, row, strict=True):
            text = "" if v is None or (isinstance(v, float) and v != v) or v is pd.NA else v
            inner = code_html(str(text)) if col in code else html.escape(str(text))
            cells.append(f"<td>{inner}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        '<table class="hilir-table"><thead><tr>'
        + head
        + "</tr></thead><tbody>"
        + "".join(body)
        + "</tbody></table>"
    )
