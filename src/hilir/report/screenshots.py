"""Screenshots of the policymaker briefs for the README: ``make screenshots``.

``python -m hilir.report.screenshots REPORT_DIR OUT_DIR`` reads a built report (``hilir
report --lang all --out REPORT_DIR``; ``make screenshots`` builds it first when
``REPORT_DIR`` has none) and writes, for every policymaker brief in every language folder,

* ``OUT_DIR/{lang}/{brief}.png``: the top of the HTML brief, as headless Chromium shows it
  in a :data:`VIEWPORT` window with the network blocked (:data:`hilir.report.pdf.OFFLINE_FLAGS`);
* ``OUT_DIR/{lang}/{brief}_pdf.png``: the first page of the brief's PDF, rendered with
  pypdfium2 (a ``dev`` extra).

Every picture is scaled to :data:`WIDTH` pixels wide and reduced to a palette of
:data:`COLOURS` colours, so all of them together stay within a few megabytes. Each is
written atomically; nothing is deleted.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from PIL import Image

from hilir.fileio import atomic_write_bytes
from hilir.report.execute import ReportError

#: Browser window of the HTML screenshots, in CSS pixels (width, height): the first screen.
VIEWPORT = (1280, 1600)
#: Width of every saved picture, in pixels.
WIDTH = 800
#: Colours of the saved palette PNGs.
COLOURS = 128
#: Suffix of the analyst edition's HTML (not photographed).
ANALYST = "_analyst"


def briefs(report_dir: Path) -> list[tuple[str, Path]]:
    """The policymaker briefs of a built report, as (language, HTML file) pairs.

    Parameters
    ----------
    report_dir : pathlib.Path
        A folder written by ``hilir report`` (language folders ``id/``, ``en/`` ...).

    Returns
    -------
    list of (str, pathlib.Path)
        Sorted by language folder, then file name.

    Raises
    ------
    ReportError
        No brief in ``report_dir`` (build the report first).
    """
    found = [
        (html.parent.name, html)
        for html in sorted(Path(report_dir).glob("*/[0-9]*.html"))
        if not html.stem.endswith(ANALYST)
    ]
    if not found:
        raise ReportError(
            f"no briefs in {report_dir}: build them first with "
            f"`hilir report --lang all --out {report_dir}`"
        )
    return found


def shrink_png(image: Image.Image, *, width: int = WIDTH, colours: int = COLOURS) -> bytes:
    """A picture scaled to ``width`` pixels wide, as an optimised palette PNG.

    Parameters
    ----------
    image : PIL.Image.Image
        The picture (any mode; transparency is flattened onto white).
    width : int, default :data:`WIDTH`
        Width of the result in pixels (a narrower picture is not enlarged).
    colours : int, default :data:`COLOURS`
        Size of the palette.

    Returns
    -------
    bytes
        The PNG file.
    """
    rgba = image.convert("RGBA")
    flat = Image.new("RGB", rgba.size, "white")
    flat.paste(rgba, mask=rgba.getchannel("A"))
    if flat.width > width:
        height = max(1, round(flat.height * width / flat.width))
        flat = flat.resize((width, height), Image.Resampling.LANCZOS)
    # octree keeps small areas of strong colour (links, chart lines) that median cut merges
    small = flat.quantize(
        colors=colours, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
    )
    out = io.BytesIO()
    small.save(out, format="PNG", optimize=True)
    return out.getvalue()


def html_shot(html: Path, png: Path, *, viewport: tuple[int, int] = VIEWPORT) -> Path:
    """Write the shrunk screenshot of the top of an HTML brief (Chromium, network blocked).

    Parameters
    ----------
    html, png : pathlib.Path
        The brief and the picture to write.
    viewport : (int, int), default :data:`VIEWPORT`
        Browser window in CSS pixels (width, height).

    Returns
    -------
    pathlib.Path
        ``png``.
    """
    from hilir.report.pdf import screenshot

    with tempfile.TemporaryDirectory(prefix="hilir-shot-") as tmp:
        raw = screenshot(html, Path(tmp) / "raw.png", width=viewport[0], height=viewport[1])
        with Image.open(raw) as image:
            data = shrink_png(image)
    return atomic_write_bytes(png, data)


def pdf_shot(pdf: Path, png: Path, *, width: int = WIDTH) -> Path:
    """Write the first page of a PDF as a shrunk PNG, rendered with pypdfium2.

    Parameters
    ----------
    pdf, png : pathlib.Path
        The PDF and the picture to write.
    width : int, default :data:`WIDTH`
        Width of the picture in pixels.

    Returns
    -------
    pathlib.Path
        ``png``.

    Raises
    ------
    ReportError
        pypdfium2 is not installed.
    """
    try:
        import pypdfium2 as pdfium
    except ImportError as exc:
        raise ReportError("pypdfium2 is not installed (pip install -e '.[dev]')") from exc

    doc = pdfium.PdfDocument(str(pdf))
    try:
        page = doc[0]
        # render at twice the final width, then shrink: sharper text than rendering small
        scale = 2 * width / page.get_width()  # pixels per PDF point (1/72 inch)
        image = page.render(scale=scale).to_pil()
        page.close()
    finally:
        doc.close()
    return atomic_write_bytes(png, shrink_png(image, width=width))


def take_all(report_dir: Path, out_dir: Path, *, quiet: bool = False) -> list[Path]:
    """Photograph every policymaker brief of a report and the first page of its PDF.

    Parameters
    ----------
    report_dir : pathlib.Path
        The built report.
    out_dir : pathlib.Path
        Where ``{lang}/{brief}.png`` and ``{lang}/{brief}_pdf.png`` go.
    quiet : bool, default False
        Print nothing.

    Returns
    -------
    list of pathlib.Path
        The pictures written.

    Raises
    ------
    ReportError
        No briefs, a brief without its PDF, or Chromium missing or failing.
    """
    written: list[Path] = []
    for lang, html in briefs(report_dir):
        pdf = html.with_suffix(".pdf")
        if not pdf.is_file():
            raise ReportError(f"{pdf} is missing: build the report with Chromium installed")
        written.append(html_shot(html, out_dir / lang / f"{html.stem}.png"))
        written.append(pdf_shot(pdf, out_dir / lang / f"{html.stem}_pdf.png"))
        if not quiet:
            print(f"{lang}/{html.stem}: {written[-2].name}, {written[-1].name}")
    if not quiet:
        total = sum(p.stat().st_size for p in written) / 1e6
        print(f"{len(written)} pictures in {out_dir} ({total:.1f} MB)")
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m hilir.report.screenshots REPORT_DIR OUT_DIR``.

    Returns
    -------
    int
        Exit status: 0, or 1 with the reason on standard error.
    """
    parser = argparse.ArgumentParser(
        prog="python -m hilir.report.screenshots",
        description="Screenshots of every policymaker brief (HTML top and PDF first page).",
    )
    parser.add_argument("report_dir", type=Path, help="a folder written by `hilir report`")
    parser.add_argument("out_dir", type=Path, help="where the PNGs go, e.g. docs/screenshots")
    parser.add_argument("--quiet", action="store_true", help="print nothing")
    args = parser.parse_args(argv)
    try:
        take_all(args.report_dir, args.out_dir, quiet=args.quiet)
    except ReportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
