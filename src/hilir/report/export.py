"""Export an executed brief notebook to a self-contained HTML file.

Two editions: the policymaker edition hides all code (inputs, prompts, analyst-only cells,
warnings on stderr, messages that failed the plausibility gate, developer instructions),
the analyst edition shows the code and leaves out what the brief marked for policymakers
only (the plain wording of those instructions). Each page gets a table of contents of its
sections (:func:`add_toc`). Both use the ``hilir_brief``
template (JupyterLab's template without RequireJS, MathJax, Mermaid or widget scripts
from the internet), charts are PNG images embedded as data URIs and all CSS is inline,
so the file opens offline, from a USB stick, with no request to the network.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from importlib.resources import files
from pathlib import Path
from typing import Any, Literal

from hilir.brief.blocks import POLICYMAKER_ONLY
from hilir.brief.page import ANALYST_ONLY
from hilir.brief.texts import say
from hilir.i18n.catalog import check_lang

Edition = Literal["policymaker", "analyst"]
EDITIONS: tuple[str, ...] = ("policymaker", "analyst")
#: Cell tags removed from the policymaker edition.
POLICYMAKER_REMOVE = frozenset(
    {"analyst-only", "parameters", "injected-parameters", "papermill-error-cell-tag", "setup"}
)

CSS = """
body.hilir-brief { font-family: "Segoe UI", "Helvetica Neue", Arial, "Noto Sans", sans-serif;
  color: #1a1a1a; background: #ffffff; margin: 0; }
.hilir-brief main { max-width: 60rem; margin: 0 auto; padding: 1rem 1.5rem 2rem; }
.hilir-bar { display: flex; flex-wrap: wrap; justify-content: space-between; gap: 0.5rem;
  align-items: center; padding: 0.5rem 1.5rem; background: #f2f2f2;
  border-bottom: 1px solid #d9d9d9; font-size: 0.9rem; }
.hilir-bar nav a { margin-left: 1rem; color: #0b5394; }
.hilir-edition { font-weight: 600; color: #444; }
.hilir-brief h1 { font-size: 1.8rem; line-height: 1.25; margin: 1rem 0 0.5rem; }
.hilir-brief h2 { font-size: 1.3rem; margin: 1.8rem 0 0.6rem; border-bottom: 1px solid #e0e0e0;
  padding-bottom: 0.2rem; }
.hilir-brief .jp-RenderedMarkdown p, .hilir-brief .jp-RenderedMarkdown li { font-size: 1rem;
  line-height: 1.55; }
.hilir-brief .jp-RenderedImage { overflow: visible; }
.hilir-brief .jp-RenderedImage img { max-width: 100% !important; width: 100%; height: auto; }
.hilir-brief .jp-OutputArea-output { overflow-x: auto; }
.hilir-table-block { margin: 0.8rem 0 1.2rem; }
.hilir-table-title { font-weight: 600; margin: 0 0 0.3rem; }
table.hilir-table { border-collapse: collapse; font-size: 0.88rem; width: 100%; }
.hilir-brief table.hilir-table th, .hilir-brief table.hilir-table td {
  border-bottom: 1px solid #e3e3e3; padding: 0.25rem 0.5rem; text-align: left !important;
  vertical-align: top; }
table.hilir-table th { background: #fafafa; font-weight: 600; }
.hilir-source, .hilir-note { font-size: 0.8rem; color: #595959; margin: 0.3rem 0 0; }
.hilir-summary { background: #f3f7fb; border-left: 4px solid #0b5394; padding: 0.6rem 1.2rem;
  margin: 1rem 0 1.5rem; }
.hilir-brief .hilir-summary h2 { margin-top: 0.4rem; border-bottom: none; }
.hilir-summary h3 { font-size: 1.05rem; margin: 0.8rem 0 0.3rem; }
.hilir-summary li, .hilir-summary p { font-size: 1rem; line-height: 1.5; }
.hilir-summary li { margin-bottom: 0.35rem; }
.hilir-footer { max-width: 60rem; margin: 0 auto; padding: 1rem 1.5rem 2rem; font-size: 0.8rem;
  color: #595959; border-top: 1px solid #e0e0e0; }
.hilir-policymaker .jp-OutputPrompt, .hilir-policymaker .jp-InputPrompt { display: none; }
.hilir-toc { margin: 1rem 0 1.5rem; font-size: 0.95rem; }
.hilir-toc-title { font-weight: 600; margin: 0 0 0.3rem; }
.hilir-toc ol { margin: 0; padding-left: 1.4rem; }
.hilir-toc a { color: #0b5394; }
.hilir-brief code { font-family: Consolas, "DejaVu Sans Mono", monospace; font-size: 0.85em;
  background: #f4f4f4; padding: 0 0.2em; }
@page { size: A4; margin: 18mm 16mm 20mm;
  @bottom-right { content: counter(page) " / " counter(pages); font-size: 9pt; color: #595959; } }
@media print { .hilir-bar, .hilir-toc { display: none; }
  .hilir-brief main { max-width: none; padding: 0; }
  h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
  .jp-RenderedImage, .jp-RenderedImage img { break-inside: avoid; page-break-inside: avoid; }
  .jp-OutputArea-output:has(img) { break-inside: avoid; page-break-inside: avoid; }
  .hilir-source, .hilir-note { break-before: avoid; page-break-before: avoid; }
  .hilir-summary li, .hilir-summary p { break-inside: avoid; page-break-inside: avoid; }
  .hilir-brief .jp-OutputArea-child:has(.hilir-summary) { break-inside: auto; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; page-break-inside: avoid; } }
"""


def template_dir() -> Path:
    """Folder holding the ``hilir_brief`` nbconvert template."""
    return Path(str(files("hilir.report").joinpath("templates")))


def _analyst_output(output: Any) -> bool:
    """A warning (stderr) or an output the brief marked for analysts (failed gate check)."""
    if output.get("output_type") == "stream":
        return output.get("name") == "stderr"
    return bool((output.get("metadata") or {}).get(ANALYST_ONLY))


def _policymaker_output(output: Any) -> bool:
    """An output the brief marked for the policymaker edition only (its plain wording)."""
    return bool((output.get("metadata") or {}).get(POLICYMAKER_ONLY))


def _drop_outputs_preprocessor(edition: Edition) -> Any:
    from nbconvert.preprocessors import Preprocessor

    drop = _analyst_output if edition == "policymaker" else _policymaker_output

    class DropOutputs(Preprocessor):  # type: ignore[misc]
        """Remove the outputs the other edition shows instead (see :data:`ANALYST_ONLY`)."""

        def preprocess_cell(self, cell: Any, resources: Any, index: int) -> Any:
            if cell.get("cell_type") == "code":
                cell.outputs = [o for o in cell.get("outputs", []) if not drop(o)]
            return cell, resources

    return DropOutputs()


_H2 = re.compile(r'<h2\b[^>]*\bid="([^"]+)"[^>]*>(.*?)</h2>', re.S)
_ANCHOR = re.compile(r'<a\b[^>]*class="anchor-link"[^>]*>.*?</a>', re.S)
_TAG = re.compile(r"<[^>]+>")
_SUMMARY = re.compile(r'<(\w+)\b[^>]*\bclass="[^"]*\bhilir-summary\b[^"]*"[^>]*>')


def _element_end(page: str, start: re.Match[str]) -> int:
    """Index just after the closing tag of the element opened at ``start`` (same tag nested)."""
    tag = start.group(1)
    depth, pos = 1, start.end()
    pattern = re.compile(rf"<(/?){tag}\b[^>]*>", re.I)
    for m in pattern.finditer(page, pos):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            return m.end()
    return len(page)


def add_toc(page: str, *, title: str) -> str:
    """The page with a table of contents of its h2 sections (``<nav class="hilir-toc">``).

    The contents list every ``<h2>`` with an ``id`` (nbconvert gives each Markdown heading
    one) outside the summary box, as anchor links; they are placed right after the element
    of class ``hilir-summary`` when the page has one, else before the first such ``<h2>``.
    A page with fewer than two sections is returned unchanged.

    Parameters
    ----------
    page : str
        HTML of the exported brief.
    title : str
        Heading of the contents (escaped here).

    Returns
    -------
    str
    """
    summary = _SUMMARY.search(page)
    end = _element_end(page, summary) if summary else -1
    heads = [m for m in _H2.finditer(page) if not (summary and summary.start() <= m.start() < end)]
    if len(heads) < 2:
        return page
    items = []
    for m in heads:
        anchor = html.escape(html.unescape(m.group(1)))
        text = html.escape(html.unescape(_TAG.sub("", _ANCHOR.sub("", m.group(2)))).strip())
        items.append(f'<li><a href="#{anchor}">{text}</a></li>')
    nav = (
        f'<nav class="hilir-toc" aria-label="{html.escape(title)}">'
        f'<p class="hilir-toc-title">{html.escape(title)}</p><ol>{"".join(items)}</ol></nav>'
    )
    at = end if summary else heads[0].start()
    return page[:at] + nav + page[at:]


def export_html(
    nb: Any,
    *,
    edition: Edition,
    lang: str,
    title: str,
    links: Sequence[tuple[str, str]] = (),
) -> str:
    """HTML text of one edition of a brief.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The executed notebook (not modified).
    edition : {"policymaker", "analyst"}
        Policymaker: no code, no prompts, no analyst-only cells, no stderr. Analyst: code shown.
    lang : {"id", "en"}
        Language of the brief (``<html lang>``, labels of the bar and footer).
    title : str
        Page title.
    links : sequence of (label, href)
        Links in the top bar (the other edition, the annex, the index), relative paths.

    Returns
    -------
    str
        A complete HTML document with every image embedded.
    """
    import copy

    from nbconvert import HTMLExporter
    from traitlets.config import Config

    from hilir.version import __version__

    check_lang(lang)
    if edition not in EDITIONS:
        raise ValueError(f"edition must be one of {EDITIONS}, not {edition!r}")
    policy = edition == "policymaker"
    c = Config()
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = (
        set(POLICYMAKER_REMOVE) if policy else {"injected-parameters", "papermill-error-cell-tag"}
    )
    exporter = HTMLExporter(
        config=c,
        template_name="hilir_brief",
        extra_template_basedirs=[str(template_dir())],
    )
    exporter.exclude_input = policy
    exporter.exclude_input_prompt = policy
    exporter.exclude_output_prompt = True
    exporter.embed_images = True
    exporter.language_code = lang
    exporter.register_preprocessor(_drop_outputs_preprocessor(edition), enabled=True)
    node = copy.deepcopy(nb)
    node.metadata["title"] = title
    resources = {
        "hilir": {
            "edition": edition,
            "edition_label": say(f"edition.{edition}", lang),
            "links": [{"label": label, "href": href} for label, href in links],
            "css": CSS,
            "footer": say("edition.footer", lang, version=__version__),
            "alt_default": say("edition.alt_default", lang),
            "version": __version__,
        }
    }
    body, _ = exporter.from_notebook_node(node, resources=resources)
    return add_toc(body, title=say("edition.toc", lang))


def external_references(html_text: str) -> list[str]:
    """Addresses an HTML page would fetch from elsewhere (scripts, styles, images, fonts).

    Links the reader may click (``<a href>``) are not counted. A self-contained brief has
    none.
    """
    import re

    found = []
    for m in re.finditer(r"<(script|link|img|iframe|source)\b[^>]*>", html_text, flags=re.I):
        tag = m.group(0)
        for attr in re.finditer(r'\b(src|href)\s*=\s*"([^"]*)"', tag, flags=re.I):
            url = attr.group(2).strip()
            if url and not url.startswith(("data:", "#")):
                found.append(url)
    for m in re.finditer(r"url\(\s*['\"]?([^'\")]+)", html_text):
        url = m.group(1).strip()
        if not url.startswith(("data:", "#")):
            found.append(url)
    for m in re.finditer(r"@import\s+['\"]([^'\"]+)", html_text):
        found.append(m.group(1))
    return found
