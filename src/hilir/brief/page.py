"""Thin helpers the brief notebooks call: header, sections, prose, charts, tables, vintage.

A notebook makes one :class:`Brief` after its ``parameters`` cell and shows everything
through it, so the notebook itself holds no formatting code and no typed numbers:

>>> brief = Brief("01_coffee", lang="en", geography="IDN")     # doctest: +SKIP
>>> brief.header()                                              # doctest: +SKIP
>>> brief.chart(plots.plot_stage_share(shares, lang=lang, ...)) # doctest: +SKIP
>>> brief.say(narrative.processing_share_change(ps, lang=lang)) # doctest: +SKIP
>>> brief.vintage()                                             # doctest: +SKIP

Each chart is shown as a PNG (with its title as alternative text) together with the data
it plots (:mod:`hilir.brief.payload`), which the report builder turns into the brief's
Excel annex and CSV bundle. The brief remembers the provenance keys of everything it
showed and ends with a table of data vintages: the latest year of each source and how to
update it.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from hilir.brief.gate import Check, Headline, HilirGateError
from hilir.brief.payload import MIME, chart_payload, table_payload
from hilir.brief.texts import say
from hilir.i18n.catalog import check_lang
from hilir.i18n.labels import geography_label

#: Geographies a brief can be about.
GEOGRAPHIES = ("IDN", "ID-LA")


#: Output metadata flag of content shown only in the analyst edition (failed gate checks).
ANALYST_ONLY = "hilir_analyst_only"


def _sort_headlines(items: Iterable[str | Headline | None]) -> tuple[list[str], list[Headline]]:
    """Sentences that pass the gate (in order) and headlines that fail it."""
    shown: list[str] = []
    demoted: list[Headline] = []
    for item in items:
        if isinstance(item, Headline):
            if not (item.text and item.text.strip()):
                continue
            if item.failed:
                demoted.append(item)
            else:
                shown.append(item.text)
        elif item and item.strip():
            shown.append(item)
    return shown, demoted


def _failure(item: Headline) -> str:
    """A failed headline in one line: the sentence and each failed check (English)."""
    return f"{str(item.text).strip()!r}: " + "; ".join(c.describe() for c in item.failed)


def _display(bundle: Mapping[str, Any], metadata: Mapping[str, Any] | None = None) -> None:
    from IPython.display import display

    display(dict(bundle), raw=True, metadata=dict(metadata or {}))


#: Characters of data-derived text that Markdown would read as HTML or as a link.
_MARKDOWN_ESCAPES = str.maketrans({"[": "\\[", "]": "\\]", "`": "\\`"})


def safe_markdown(text: str) -> str:
    """Text with HTML and link syntax neutralised, for a Markdown output of the brief.

    The catalogue's sentences hold no HTML, links or code spans, so escaping the whole text
    changes nothing they mean; a regency name, a source label or a title typed into a user's
    file (``<img src=x onerror=...>``, ``[x](javascript:...)``) is shown as text instead of
    running in the reader's browser (and in the PDF Chromium prints).
    """
    return html.escape(text, quote=False).translate(_MARKDOWN_ESCAPES)


def _markdown(text: str) -> dict[str, str]:
    return {"text/markdown": safe_markdown(text), "text/plain": text}


def _records(keys: Iterable[str]) -> list[Any]:
    from hilir.plots.sources import collect_sources

    info = collect_sources([], sorted(set(keys)))
    return list(info.records)


def update_instruction(record: Any, lang: str) -> str:
    """How to bring newer data of a source in (an import command, or replacing the file)."""
    from hilir.sources.catalog import BUILT_TABLES, READERS

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
        Columns ``source, publisher, table, coverage, latest_year, licence, update`` (the
        header in ``attrs["labels"]`` in ``lang``). Files of one publisher that feed the same
        table with the same reader (one per year, say) are one row; ``coverage`` spans their
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
                "licence": rec.licence,
                "update": update_instruction(rec, lang),
                "keys": [],
            },
        )
        row["coverage"].append(str(rec.coverage))
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
    years = []
    for c in covs:
        for part in c.replace("–", "-").split("-"):
            part = part.strip()[:4]
            if part.isdigit():
                years.append(int(part))
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


class Brief:
    """The display side of one brief notebook.

    Parameters
    ----------
    name : str
        Notebook name (``00_overview`` ...); selects the title and subtitle.
    lang : {"id", "en"}, default "id"
    geography : {"IDN", "ID-LA"}, default "IDN"
    display : callable, optional
        ``display(bundle, metadata)``; default IPython's ``display(..., raw=True)``.
    """

    def __init__(
        self,
        name: str,
        *,
        lang: str = "id",
        geography: str = "IDN",
        display: Callable[[Mapping[str, Any], Mapping[str, Any]], None] | None = None,
    ) -> None:
        self.name = name
        self.lang = check_lang(lang)
        if geography not in GEOGRAPHIES:
            raise ValueError(f"geography must be one of {GEOGRAPHIES}, not {geography!r}")
        self.geography = geography
        self._display = display if display is not None else _display
        self.number = 0
        self.sources: set[str] = set()
        self.shown: list[dict[str, Any]] = []
        self.demoted: list[Headline] = []

    # ---- text ------------------------------------------------------------------------------
    def t(self, key: str, **fields: object) -> str:
        """A text of the report catalogue in the brief's language."""
        return say(key, self.lang, **fields)

    def geo(self, code: str | None = None) -> str:
        """Name of a geography in the brief's language (``Indonesia``, ``Lampung``)."""
        return geography_label(code or self.geography, self.lang)

    def header(self, *data: pd.DataFrame | str, today: dt.date | None = None) -> None:
        """Show the title, subtitle, geography statement, data line and build date.

        Parameters
        ----------
        *data : pandas.DataFrame or str
            The tables the brief draws on (their ``source`` keys are cited) or keys.
        today : datetime.date, optional
        """
        from hilir.plots.sources import frame_keys
        from hilir.provenance.keys import split_keys

        keys: list[str] = []
        for item in data:
            keys += split_keys([item]) if isinstance(item, str) else frame_keys(item)
        self.sources |= set(keys)
        self._display(
            _markdown(brief_header(self.lang, self.geography, keys, name=self.name, today=today)),
            {},
        )

    def heading(self, key: str, **fields: object) -> None:
        """A section heading from the catalogue (``section.<key>``)."""
        self._display(_markdown("## " + self.t(f"section.{key}", **fields)), {})

    def say(self, *sentences: str | None) -> None:
        """A paragraph of generated sentences (``None`` and empty ones are skipped)."""
        text = " ".join(s.strip() for s in sentences if s and s.strip())
        if text:
            self._display(_markdown(text), {})

    def bullets(self, items: Iterable[str | None], *, heading: str | None = None) -> None:
        """A bulleted list (e.g. the key messages), optionally under a section heading."""
        lines = [f"- {s.strip()}" for s in items if s and s.strip()]
        if heading:
            self.heading(heading)
        if lines:
            self._display(_markdown("\n".join(lines)), {})

    def key_messages(self, items: Iterable[str | Headline | None]) -> None:
        """The brief's key messages, first thing after the header, through the gate.

        Parameters
        ----------
        items : iterable of str, Headline or None
            Sentences; a :class:`hilir.brief.gate.Headline` carries the checks of the
            numbers it quotes. One whose check fails is shown only in the analyst edition,
            with its reason.

        Raises
        ------
        HilirGateError
            When messages were given and none passes the gate: the brief would have
            nothing to say, so the build stops, naming the brief, the numbers and checks.
        """
        shown, demoted = _sort_headlines(items)
        if demoted and not shown:
            raise HilirGateError(
                f"brief {self.name}: no key message passes the plausibility gate: "
                + "; ".join(_failure(h) for h in demoted)
            )
        self.bullets(shown, heading="key_messages")
        self._demoted(demoted)

    def headline(self, text: str | None, *checks: Check, required: bool = False) -> None:
        """A paragraph quoting a headline number, shown to policymakers only if it passes.

        Parameters
        ----------
        text : str or None
            The generated sentence.
        *checks : Check
            The checks of the numbers it quotes (:mod:`hilir.brief.gate`).
        required : bool, default False
            The brief cannot stand without it: a failed check raises instead of moving
            the sentence to the analyst edition.

        Raises
        ------
        HilirGateError
            A required headline fails a check (names the brief, the sentence, the check).
        """
        item = Headline(text, *checks)
        if not (text and text.strip()):
            return
        if not item.failed:
            self.say(text)
            return
        if required:
            raise HilirGateError(f"brief {self.name}: {_failure(item)}")
        self._demoted([item])

    def _demoted(self, items: Sequence[Headline]) -> None:
        """Messages that failed the gate: analyst edition only, each with its reasons."""
        if not items:
            return
        lines = []
        for h in items:
            reasons = "; ".join(c.reason(self.lang) for c in h.failed)
            note = self.t("gate.demoted", reason=reasons)
            lines.append(f"- {str(h.text).strip()} *{note}*")
        self.demoted.extend(items)
        self._display(_markdown("\n".join(lines)), {ANALYST_ONLY: True})

    # ---- charts and tables --------------------------------------------------------------
    def chart(self, fig: Any) -> None:
        """Show a hilir chart with the data behind it (for the annex).

        Raises
        ------
        HilirDataError
            If the figure's data has no provenance (see :func:`hilir.plots.check_savable`).
        """
        from hilir.plots.save import check_savable

        meta = check_savable(fig)
        self.number += 1
        doc = chart_payload(fig, number=self.number)
        self.sources |= set(meta.sources.keys)
        self.shown.append(doc)
        png = fig._repr_png_()
        import base64

        alt = f"{meta.title}. {meta.subtitle}".strip()
        self._display(
            {
                "image/png": base64.b64encode(png).decode("ascii"),
                "text/plain": alt,
                MIME: doc,
            },
            {"image/png": {"alt": alt}},
        )
        import matplotlib.pyplot as plt

        plt.close(fig)

    def table(
        self,
        shown: pd.DataFrame,
        *,
        title: str,
        sources: Iterable[str],
        data: pd.DataFrame | None = None,
        note: str | None = "",
        processed: bool = True,
        latest_year: int | None = None,
    ) -> None:
        """Show a table (formatted cells) and keep its data for the annex.

        Parameters
        ----------
        shown : pandas.DataFrame
            Formatted cells to show; ``shown.attrs["labels"]`` may map columns to headers.
        title : str
            Generated title (states the finding or the content).
        sources : iterable of str
            Provenance keys of the data.
        data : pandas.DataFrame, optional
            Unformatted data behind the table (default ``shown``), written to the annex.
        note : str, optional
        processed : bool, default True
            The figures were computed by hilir (source line says so).
        latest_year : int, optional
        """
        from hilir.plots.sources import collect_sources, source_line
        from hilir.provenance.keys import split_keys

        note = note or ""
        keys = split_keys(list(sources))
        info = collect_sources([], keys)
        line = source_line(info, self.lang, latest_year=latest_year, processed=processed)
        if info.missing or info.synthetic or not info.keys:
            from hilir.errors import HilirDataError

            raise HilirDataError(f"table {title!r} has data without a provenance record: {line}")
        self.number += 1
        self.sources |= set(keys)
        frame = data if data is not None else shown
        doc = table_payload(
            frame,
            number=self.number,
            lang=self.lang,
            title=title,
            source_line=line,
            sources=info.describe(),
            note_line=note,
            latest_year=latest_year if latest_year is not None else info.latest_year(),
        )
        self.shown.append(doc)
        labels = shown.attrs.get("labels")
        body = (
            f'<div class="hilir-table-block"><p class="hilir-table-title">'
            f"{html.escape(title)}</p>"
            + frame_html(shown, labels=labels)
            + f'<p class="hilir-source">{html.escape(line)}</p>'
            + (f'<p class="hilir-note">{html.escape(note)}</p>' if note else "")
            + "</div>"
        )
        self._display({"text/html": body, "text/plain": title, MIME: doc}, {})

    def vintage(self, extra: Iterable[str] = ()) -> None:
        """The data vintage table of everything shown, and how to update the data."""
        keys = self.sources | set(extra)
        df = vintage_table(keys, self.lang)
        shown = df.drop(columns=["keys"]).copy()
        shown["latest_year"] = [
            self.t("vintage.no_year") if pd.isna(v) else str(int(v)) for v in shown["latest_year"]
        ]
        shown.attrs["labels"] = df.attrs["labels"]
        self.heading("vintage")
        self.say(self.t("vintage.intro"))
        body = frame_html(shown, labels=shown.attrs["labels"])
        self._display({"text/html": body, "text/plain": self.t("section.vintage")}, {})
        self.say(self.t("vintage.how_to_update"))
