"""The PDF of every policymaker brief, page by page, read with pypdfium2.

Each brief's PDF (both languages, from the shared report build) opens, keeps within its page
budget (:data:`MAX_PAGES`), names the brief's title in the text of its first page (real
text, not a picture), never ends a page on a section heading (an ``h2`` of the HTML brief as
the last text of a page with no chart below it, its section starting overleaf), and carries
nothing a PDF reader would fetch or run (web links, launch or remote actions, JavaScript,
attachments).

The PDFs exist only where the build found Chromium: without it these tests are skipped,
under CI (``CI=true``) they fail, because ``.ci/run`` installs it.
"""

from __future__ import annotations

import ctypes
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from hilir.i18n.catalog import t as say
from report_conftest import EXPECTED, LANGS

pdfium = pytest.importorskip("pypdfium2")
pdfium_c = pytest.importorskip("pypdfium2.raw")

pytestmark = [pytest.mark.slow]

#: Page budget of each brief's PDF (A4): the longer language edition, measured on
#: 2026-12-03 (overview 11, coffee 8, pepper 6, rubber 7, palm oil 10, minerals 11, jobs 6,
#: policy 8, Lampung 13 pages), plus a margin of about a fifth. A brief that grows past it
#: is either too long for a policymaker or lays out badly (a chart alone on a page).
MAX_PAGES = {
    "00_overview": 13,
    "01_coffee": 10,
    "02_spices_pepper": 8,
    "03_rubber": 9,
    "04_palm_oil": 12,
    "05_minerals": 13,
    "06_jobs": 8,
    "07_policy": 10,
    "08_lampung_profile": 15,
}

#: Bottom page margin of the briefs' print CSS (``@page { margin: 18mm 16mm 20mm }``), in
#: PDF points (1/72 inch), counted from the page's foot: text lower down is the footer.
MARGIN_PT = 20 / 25.4 * 72

#: The page-number footer Chromium prints in the bottom margin (``@bottom-right``): "3 / 11".
FOOTER = re.compile(r"^\d+\s*/\s*\d+$")


#: Names of the pdfium link actions that leave the file.
_ACTIONS = {
    pdfium_c.PDFACTION_URI: "web link",
    pdfium_c.PDFACTION_LAUNCH: "launch",
    pdfium_c.PDFACTION_REMOTEGOTO: "remote file",
    pdfium_c.PDFACTION_EMBEDDEDGOTO: "embedded file",
}

#: A one-page PDF whose only content is a web link (for the check that finds it).
_LINK_PDF = b"""%PDF-1.4
1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj
2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj
3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Annots [4 0 R]>> endobj
4 0 obj <</Type /Annot /Subtype /Link /Rect [10 10 100 30]
  /A <</S /URI /URI (http://example.com/)>>>> endobj
trailer <</Root 1 0 R>>
%%EOF
"""


def _pdf(report, lang: str, name: str) -> Path:  # type: ignore[no-untyped-def]
    path = report.out_dir / lang / f"{name}.pdf"
    if not path.is_file():
        notice = f"no {path.name}: the report was built without Chromium (apt-get install chromium)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but {notice}")
        pytest.skip(notice)
    return path


class _Headings(HTMLParser):
    """Text of the ``h1`` and ``h2`` elements, without the ``¶`` anchor links."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []
        self._tag: str | None = None
        self._skip = 0
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("h1", "h2") and self._tag is None:
            self._tag, self._text = tag, []
        elif tag == "a" and self._tag and "anchor-link" in (dict(attrs).get("class") or ""):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._skip:
            self._skip -= 1
        elif tag == self._tag:
            self.found.append((tag, _norm("".join(self._text))))
            self._tag = None

    def handle_data(self, data: str) -> None:
        if self._tag and not self._skip:
            self._text.append(data)


def _headings(html: Path, tag: str) -> list[str]:
    parser = _Headings()
    parser.feed(html.read_text(encoding="utf-8"))
    return [text for t, text in parser.found if t == tag and text]


def _norm(text: str) -> str:
    # pdfium reports a hyphen it found at a line end as U+FFFE
    return " ".join(text.replace("\ufffe", "-").replace("\u00ad", "").split())


def _pages(pdf: Path) -> list[tuple[list[str], bool]]:
    """Text lines of each page in reading order (without the page-number footer), and
    whether the page ends on a picture (a chart below its last line of text)."""
    doc = pdfium.PdfDocument(str(pdf))
    try:
        pages = []
        for page in doc:
            textpage = page.get_textpage()
            lines = [_norm(line) for line in textpage.get_text_range().splitlines()]
            lines = [line for line in lines if line and not FOOTER.match(line)]
            pages.append((lines, _ends_on_image(page, textpage)))
        return pages
    finally:
        doc.close()


def _ends_on_image(page, textpage) -> bool:  # type: ignore[no-untyped-def]
    """Whether a picture reaches lower on the page than any text above the bottom margin."""
    boxes = (textpage.get_rect(i) for i in range(textpage.count_rects()))
    text_bottoms = [bottom for _, bottom, _, top in boxes if top > MARGIN_PT]
    image_bottoms = [
        obj.get_bounds()[1]
        for obj in page.get_objects(max_depth=4)
        if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE
    ]
    return bool(image_bottoms) and min(image_bottoms) < min(text_bottoms, default=1e9)


def _stranded(pages: list[tuple[list[str], bool]], headings: list[str]) -> list[str]:
    """The pages that end on a heading (last text, no picture below), as "page N: 'heading'"."""
    found = []
    for number, (lines, image_last) in enumerate(pages, start=1):
        if image_last:
            continue
        tail = " ".join(lines[-3:])  # a heading may wrap over two or three lines
        found += [f"page {number}: {h!r}" for h in headings if tail == h or tail.endswith(" " + h)]
    return found


def _fetches(pdf: Path) -> list[str]:
    """What a reader of the PDF could be made to fetch or run: links and actions off the file."""
    doc = pdfium.PdfDocument(str(pdf))
    found: list[str] = []
    try:
        if pdfium_c.FPDFDoc_GetJavaScriptActionCount(doc.raw) > 0:
            found.append("document JavaScript")
        if doc.count_attachments():
            found.append("attachments")
        for number, page in enumerate(doc, start=1):
            for i in range(pdfium_c.FPDFPage_GetAnnotCount(page.raw)):
                annot = pdfium_c.FPDFPage_GetAnnot(page.raw, i)
                kind = pdfium_c.FPDFAnnot_GetSubtype(annot)
                pdfium_c.FPDFPage_CloseAnnot(annot)
                if kind != pdfium_c.FPDF_ANNOT_LINK:
                    found.append(f"page {number}: annotation of type {kind}")
            pos, link = ctypes.c_int(0), pdfium_c.FPDF_LINK()
            while pdfium_c.FPDFLink_Enumerate(page.raw, ctypes.byref(pos), ctypes.byref(link)):
                action = pdfium_c.FPDFLink_GetAction(link)
                kind = pdfium_c.FPDFAction_GetType(action) if action else pdfium_c.PDFACTION_GOTO
                if kind != pdfium_c.PDFACTION_GOTO:  # a jump inside the file is fine
                    found.append(f"page {number}: link action {_ACTIONS.get(kind, kind)}")
        return found
    finally:
        doc.close()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", EXPECTED)
def test_pdf_pages(report, name: str, lang: str) -> None:  # type: ignore[no-untyped-def]
    """Page budget, title in page 1's text, no page ending on a heading."""
    pdf = _pdf(report, lang, name)
    pages = _pages(pdf)
    assert 1 <= len(pages) <= MAX_PAGES[name], (
        f"{lang}/{pdf.name} has {len(pages)} pages (at most {MAX_PAGES[name]})"
    )
    html = pdf.with_suffix(".html")
    (title,) = _headings(html, "h1")
    assert title in " ".join(pages[0][0]), f"{lang}/{pdf.name}: page 1 lacks the title {title!r}"
    # the summary box starts on page 1 (a box kept whole once left page 1 nearly empty)
    summary = say("section.summary", lang)
    assert summary in pages[0][0], f"{lang}/{pdf.name}: the summary does not start on page 1"
    headings = _headings(html, "h2")
    assert headings, f"no h2 headings in {html.name}"
    stranded = _stranded(pages, headings)
    assert stranded == [], f"{lang}/{pdf.name}: a heading ends a page: {stranded}"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", EXPECTED)
def test_pdf_fetches_nothing(report, name: str, lang: str) -> None:  # type: ignore[no-untyped-def]
    """A PDF opens without the network: no web links, remote actions, scripts or attachments."""
    pdf = _pdf(report, lang, name)
    assert _fetches(pdf) == [], f"{lang}/{pdf.name} can reach outside the file"


def test_pdf_helpers(tmp_path: Path) -> None:
    """The heading, footer and stranded-heading rules catch what they are for (no build)."""
    html = tmp_path / "b.html"
    html.write_text(
        '<h1>Kopi<a class="anchor-link" href="#k">¶</a></h1><h2>Harga dunia dan nilai\n'
        'satuan ekspor<a class="anchor-link" href="#h">¶</a></h2><h2>Ekspor</h2>',
        encoding="utf-8",
    )
    assert _headings(html, "h1") == ["Kopi"]
    assert _headings(html, "h2") == ["Harga dunia dan nilai satuan ekspor", "Ekspor"]
    assert FOOTER.match("3 / 11") and not FOOTER.match("2020 / 2021 naik 3%")
    assert _norm("input\ufffeoutput  table") == "input-output table"
    heads = ["Harga dunia dan nilai satuan ekspor", "Ekspor"]
    pages = [(["Teks.", "Harga dunia dan nilai", "satuan ekspor"], False), (["Data ekspor"], False)]
    assert _stranded(pages, heads) == ["page 1: 'Harga dunia dan nilai satuan ekspor'"]
    assert _stranded([(["Ekspor"], False)], heads) == ["page 1: 'Ekspor'"]
    assert _stranded([(["Ekspor"], True)], heads) == []  # a chart follows it on the page
    linked = tmp_path / "link.pdf"
    linked.write_bytes(_LINK_PDF)
    assert _fetches(linked) == ["page 1: link action web link"]


def test_pdf_screenshot(report, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """``hilir.report.screenshots`` renders a PDF's first page as a small palette PNG."""
    from PIL import Image

    from hilir.report.screenshots import WIDTH, pdf_shot

    png = pdf_shot(_pdf(report, "id", EXPECTED[0]), tmp_path / "shot.png")
    with Image.open(png) as image:
        assert image.width == WIDTH and image.mode == "P"
        assert len(image.getcolors(256) or ()) > 2, "the rendered page is blank"
    assert png.stat().st_size < 200_000


def test_stranded_heading_found_in_a_printed_pdf(tmp_path: Path) -> None:
    """End to end: Chromium prints a heading at a page foot; the check finds it, not a chart's."""
    import base64
    import io

    from PIL import Image

    from hilir.report.pdf import find_chromium, print_pdf

    if find_chromium() is None:
        pytest.skip("chromium is not installed")
    png = io.BytesIO()
    Image.new("RGB", (400, 200), "steelblue").save(png, format="PNG")
    chart = base64.b64encode(png.getvalue()).decode("ascii")
    html = tmp_path / "b.html"
    html.write_text(
        "<style>@page { size: A4; margin: 18mm 16mm 20mm; @bottom-right { content: "
        'counter(page) " / " counter(pages); } }</style>'
        "<h1>Judul</h1><p>Teks.</p><h2>Alone at the foot</h2>"
        '<p style="break-before: page">Next page.</p><h2>Chart below</h2>'
        f'<img src="data:image/png;base64,{chart}" alt="">'
        '<p style="break-before: page">Last page.</p>',
        encoding="utf-8",
    )
    pages = _pages(print_pdf(html, tmp_path / "b.pdf"))
    assert [image_last for _, image_last in pages] == [False, True, False]
    assert _stranded(pages, _headings(html, "h2")) == ["page 1: 'Alone at the foot'"]
