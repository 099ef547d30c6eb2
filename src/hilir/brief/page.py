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

from hilir.brief.blocks import (
    GEOGRAPHIES,
    brief_header,
    frame_html,
    separate_citations,
    vintage_table,
)
from hilir.brief.gate import Check, Headline, HilirGateError
from hilir.brief.payload import MIME, chart_payload, table_payload
from hilir.brief.sentences import Said, first_sentence
from hilir.brief.summary import summary_html
from hilir.brief.texts import say
from hilir.i18n.catalog import check_lang
from hilir.i18n.labels import geography_label

#: ``separate_citations`` is the blocks' function, kept here for the notebooks that call
#: ``page.separate_citations``.
__all__ = ["ANALYST_ONLY", "Brief", "safe_markdown", "separate_citations"]

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


class Brief:
    """The display side of one brief notebook.

    Parameters
    ----------
    name : str
        Notebook name (``00_overview`` ...); selects the title and subtitle.
    lang : {"id", "en"}, default "id"
    geography : {"IDN", "ID-LA"}, default "IDN"
    chain : str, optional
        The chain a chain brief is run for (its ``chain`` parameter): a brief run for
        another chain than its own is titled for that chain.
    display : callable, optional
        ``display(bundle, metadata)``; default IPython's ``display(..., raw=True)``.
    """

    def __init__(
        self,
        name: str,
        *,
        lang: str = "id",
        geography: str = "IDN",
        chain: str | None = None,
        display: Callable[[Mapping[str, Any], Mapping[str, Any]], None] | None = None,
    ) -> None:
        self.name = name
        self.lang = check_lang(lang)
        if geography not in GEOGRAPHIES:
            raise ValueError(f"geography must be one of {GEOGRAPHIES}, not {geography!r}")
        self.geography = geography
        self.chain = chain
        self._display = display if display is not None else _display
        self.number = 0
        self.sources: set[str] = set()
        self.shown: list[dict[str, Any]] = []
        self.demoted: list[Headline] = []
        self.said = Said()

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
            _markdown(
                brief_header(
                    self.lang, self.geography, keys, name=self.name, chain=self.chain, today=today
                )
            ),
            {},
        )

    def heading(self, key: str, **fields: object) -> None:
        """A section heading from the catalogue (``section.<key>``)."""
        self._display(_markdown("## " + self.t(f"section.{key}", **fields)), {})

    def say(self, *sentences: str | None) -> None:
        """A paragraph of generated sentences, each sentence printed once per brief.

        ``None`` and empty pieces are skipped, and so is a sentence the brief has printed
        before (in its summary box or an earlier paragraph): the summary quotes a finding,
        the section under the chart gives the rest of its paragraph.
        """
        text = " ".join(self.said.new(sentences))
        if text:
            self._display(_markdown(text), {})

    def note(self, *sentences: str | None) -> None:
        """A caveat under the chart or table just shown (small print, each sentence once)."""
        text = " ".join(self.said.new(sentences))
        if text:
            body = f'<p class="hilir-note">{html.escape(text)}</p>'
            self._display({"text/html": body, "text/plain": text}, {})

    def bullets(self, items: Iterable[str | None], *, heading: str | None = None) -> None:
        """A bulleted list, optionally under a section heading (each sentence once)."""
        kept = [" ".join(self.said.new([s])) for s in items]
        lines = [f"- {s}" for s in kept if s]
        if heading:
            self.heading(heading)
        if lines:
            self._display(_markdown("\n".join(lines)), {})

    def summary(
        self,
        findings: Iterable[str | Headline | None],
        *,
        lampung: Iterable[str | None] = (),
        scope: Iterable[str | None] = (),
    ) -> None:
        """The summary box the brief opens with: its findings, then what they mean for Lampung.

        Parameters
        ----------
        findings : iterable of str, Headline or None
            Three to five generated sentences, the brief's own subject first, each quoting
            a number with its geography and year. Only the first sentence of each is shown
            here (the section under its chart says the rest). A
            :class:`hilir.brief.gate.Headline` carries the checks of the numbers it quotes;
            one whose check fails is shown only in the analyst edition, with its reason.
        lampung : iterable of str or None
            Sentences of the paragraph "what this means for Lampung" (generated; a
            national figure is named as such).
        scope : iterable of str or None
            What the brief's data do not cover (e.g. a mineral with no export data), said
            under the findings.

        Raises
        ------
        HilirGateError
            When findings were given and none passes the gate: the brief would have
            nothing to say, so the build stops, naming the brief, the numbers and checks.
        """
        shown, demoted = _sort_headlines(findings)
        if demoted and not shown:
            raise HilirGateError(
                f"brief {self.name}: no key message passes the plausibility gate: "
                + "; ".join(_failure(h) for h in demoted)
            )
        first = [" ".join(self.said.new([first_sentence(s)])) for s in shown]
        first = [s for s in first if s]
        limits = self.said.new(scope)
        meaning = self.said.new(lampung)
        body, plain = summary_html(first, meaning, scope=limits, lang=self.lang)
        self._display({"text/html": body, "text/plain": plain}, {})
        self._demoted(demoted)

    def headline(self, text: str | Headline | None, *checks: Check, required: bool = False) -> None:
        """A paragraph quoting a headline number, shown to policymakers only if it passes.

        Parameters
        ----------
        text : str, Headline or None
            The generated sentence, or a :class:`hilir.brief.gate.Headline` carrying its
            checks (``narrative.scenario_headline(...)``).
        *checks : Check
            The checks of the numbers it quotes (:mod:`hilir.brief.gate`), added to a
            Headline's own.
        required : bool, default False
            The brief cannot stand without it: a failed check raises instead of moving
            the sentence to the analyst edition.

        Raises
        ------
        HilirGateError
            A required headline fails a check (names the brief, the sentence, the check).
        """
        if isinstance(text, Headline):
            checks = (*text.checks, *checks)
            text = text.text
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
    def chart(self, fig: Any, *, analyst_only: bool = False) -> None:
        """Show a hilir chart with the data behind it (for the annex).

        Parameters
        ----------
        fig : matplotlib.figure.Figure
            A hilir chart (``fig.hilir`` metadata and ``fig.hilir_data``).
        analyst_only : bool, default False
            Show it in the analyst edition only (its numbers failed a gate check, which the
            text around it states).

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
            {"image/png": {"alt": alt}, **({ANALYST_ONLY: True} if analyst_only else {})},
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

        Notes
        -----
        A table with no rows is not shown (the notes said around it give the reason, e.g.
        every row withheld by the gate).
        """
        from hilir.plots.sources import collect_sources, source_line
        from hilir.provenance.keys import split_keys

        if shown.empty:
            return
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
        """The data vintage table of everything shown, and how to update the data.

        The analyst edition shows the command that updates each source (column ``update``,
        as ``<code>``) and the steps (``vintage.how_to_update``); the policymaker edition
        shows the table without the commands and a plain sentence saying that the analyst
        edition and the README explain the update (outputs flagged :data:`ANALYST_ONLY` and
        ``POLICYMAKER_ONLY``, which the export keeps in one edition each).
        """
        from hilir.brief.blocks import POLICYMAKER_ONLY

        df = vintage_table(self.sources | set(extra), self.lang)
        shown = df.drop(columns=["keys"]).copy()
        shown["latest_year"] = [
            self.t("vintage.no_year") if pd.isna(v) else str(int(v)) for v in shown["latest_year"]
        ]
        labels, plain = df.attrs["labels"], self.t("section.vintage")
        self.heading("vintage")
        self.say(self.t("vintage.intro"))
        for flag, table in (
            (ANALYST_ONLY, shown),
            (POLICYMAKER_ONLY, shown.drop(columns=["update"])),
        ):
            body = frame_html(table, labels=labels, code_columns=["update"])
            self._display({"text/html": body, "text/plain": plain}, {flag: True})
        steps = self.t("vintage.how_to_update")  # catalogue text (no data): code spans kept
        self._display({"text/markdown": steps, "text/plain": steps}, {ANALYST_ONLY: True})
        self._display(_markdown(self.t("vintage.how_to_update_plain")), {POLICYMAKER_ONLY: True})
