"""Print CSS of the briefs: A4 pages, page numbers, headings kept with what follows."""

from __future__ import annotations

import re
import zlib
from pathlib import Path

import pytest

from hilir.report.export import CSS


def test_css_has_a4_page_rule_and_repeated_table_header() -> None:
    assert re.search(r"@page\s*\{\s*size:\s*A4;\s*margin:\s*18mm 16mm 20mm;", CSS)
    assert 'counter(page) " / " counter(pages)' in CSS
    assert "thead { display: table-header-group; }" in CSS
    assert "break-after: avoid" in CSS


def _page_text(pdf: bytes) -> bytes:
    """Decompressed content streams of a PDF (enough to look for drawn glyphs)."""
    out = []
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            out.append(zlib.decompress(m.group(1)))
        except zlib.error:
            continue
    return b"\n".join(out)


@pytest.mark.browser
@pytest.mark.slow
def test_printed_brief_is_a4_with_one_section_per_page(tmp_path: Path) -> None:
    from hilir.report.pdf import find_chromium, print_pdf

    if find_chromium() is None:
        pytest.skip("print test needs chromium (apt-get install chromium)")
    blocks = "".join(
        f'<h2>Bagian {i}</h2><div style="height:200mm;background:#eee">blok {i}</div>'
        for i in range(1, 4)
    )
    html = tmp_path / "brief.html"
    html.write_text(
        f'<!doctype html><html lang="id"><head><meta charset="utf-8"><style>{CSS}</style>'
        f'</head><body class="hilir-brief"><div class="hilir-bar"><nav><a href="#">x</a></nav>'
        f"</div><main>{blocks}</main></body></html>",
        encoding="utf-8",
    )
    pdf = print_pdf(html, tmp_path / "brief.pdf").read_bytes()
    pages = re.findall(rb"/Type\s*/Page(?!s)", pdf)
    # each 200 mm block fits on an A4 page (297 - 38 mm margins) only with its heading
    assert len(pages) == 3
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert boxes and all(abs(float(w) - 595) < 1.5 and abs(float(h) - 842) < 1.5 for w, h in boxes)
    # with Chromium's own header/footer off, a page-number box is drawn: no default URL/date
    assert b"brief.html" not in _page_text(pdf)
