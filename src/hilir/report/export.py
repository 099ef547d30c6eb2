"""Export an executed brief notebook to a self-contained HTML file.

Two editions: the policymaker edition hides all code (inputs, prompts, analyst-only cells,
warnings on stderr, messages that failed the plausibility gate), the analyst edition shows
the code. Both use the ``hilir_brief``
template (JupyterLab's template without RequireJS, MathJax, Mermaid or widget scripts
from the internet), charts are PNG images embedded as data URIs and all CSS is inline,
so the file opens offline, from a USB stick, with no request to the network.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib.resources import files
from pathlib import Path
from typing import Any, Literal

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
.hilir-footer { max-width: 60rem; margin: 0 auto; padding: 1rem 1.5rem 2rem; font-size: 0.8rem;
  color: #595959; border-top: 1px solid #e0e0e0; }
.hilir-policymaker .jp-OutputPrompt, .hilir-policymaker .jp-InputPrompt { display: none; }
@page { size: A4; margin: 18mm 16mm 20mm;
  @bottom-right { content: counter(page) " / " counter(pages); font-size: 9pt; color: #595959; } }
@media print { .hilir-bar { display: none; } .hilir-brief main { max-width: none; padding: 0; }
  h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
  .jp-RenderedImage, .jp-RenderedImage img { break-inside: avoid; page-break-inside: avoid; }
  .jp-OutputArea-output:has(img) { break-inside: avoid; page-break-inside: avoid; }
  .hilir-source, .hilir-note { break-before: avoid; page-break-before: avoid; }
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


def _drop_stderr_preprocessor() -> Any:
    from nbconvert.preprocessors import Preprocessor

    class DropStderr(Preprocessor):  # type: ignore[misc]
        """Remove warnings (stderr) and analyst-only outputs from the policymaker edition."""

        def preprocess_cell(self, cell: Any, resources: Any, index: int) -> Any:
            if cell.get("cell_type") == "code":
                cell.outputs = [o for o in cell.get("outputs", []) if not _analyst_output(o)]
            return cell, resources

    return DropStderr()


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
    if policy:
        exporter.register_preprocessor(_drop_stderr_preprocessor(), enabled=True)
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
    return body


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
