"""Saving charts: PNG at print resolution and SVG, byte-for-byte reproducible.

The same inputs with the same pinned library versions give the same files: the PNG
carries no software or date stamp, the SVG no date and a fixed hash salt (so its element
ids repeat), glyphs are written as paths, and the chart style is applied while saving.
Each file is written atomically. A chart whose data lacks provenance cannot be saved.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from matplotlib.figure import Figure

from hilir.errors import HilirDataError
from hilir.fileio import atomic_write
from hilir.plots.meta import ChartMeta, chart_meta
from hilir.plots.style import chart_style

Format = Literal["png", "svg"]
#: Resolution of saved PNG files (dots per inch): print quality.
PRINT_DPI = 300
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")


def _metadata(meta: ChartMeta, fmt: str) -> dict[str, str | None]:
    if fmt == "png":
        return {"Software": None, "Title": meta.title, "Source": meta.source_line}
    return {"Date": None, "Creator": None, "Title": meta.title, "Description": meta.source_line}


def _readable(path: Path) -> Path:
    """Give a written file the usual read permissions (temporary files are private)."""
    path.chmod(0o644)
    return path


def check_savable(fig: Figure) -> ChartMeta:
    """The chart's metadata, or an error if its data has no (or synthetic) provenance.

    Raises
    ------
    HilirDataError
        The figure was not made by hilir, its data carries no source key, a key has no
        provenance record, or the data is the synthetic example.
    """
    meta = chart_meta(fig)
    info = meta.sources
    if info.synthetic:
        raise HilirDataError(
            f"chart {meta.chart!r} shows synthetic example data (keys {list(info.keys)}); "
            "synthetic data must never reach a brief, so it cannot be saved"
        )
    if not info.keys:
        raise HilirDataError(
            f"chart {meta.chart!r} has no source keys: its data has no 'source' column; pass "
            "the provenance keys with sources= when drawing it"
        )
    if info.missing:
        raise HilirDataError(
            f"chart {meta.chart!r} uses data without a provenance record: {list(info.missing)}; "
            "import the file with `hilir data import` so it gets a sidecar"
        )
    return meta


def save_figure(
    fig: Figure,
    name: str,
    *,
    folder: str | Path = Path("reports") / "figures",
    formats: Sequence[Format] = ("png", "svg"),
    dpi: int = PRINT_DPI,
    with_data: bool = False,
) -> dict[str, Path]:
    """Write a chart as PNG and SVG (and optionally its data) and return the paths.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        A figure made by a :mod:`hilir.plots` chart function.
    name : str
        File name without extension (letters, digits, ``_``, ``-``, ``.``).
    folder : str or pathlib.Path, default ``reports/figures``
        Output folder, created if missing.
    formats : sequence of {"png", "svg"}, default ("png", "svg")
    dpi : int, default 300
        PNG resolution (dots per inch).
    with_data : bool, default False
        Also write ``<name>.csv`` (the data plotted, ``fig.hilir_data``) and
        ``<name>.json`` (title, source and note lines, and the citation, licence and URL of
        every source).

    Returns
    -------
    dict of str to pathlib.Path
        Path of each file written, by format (``png``, ``svg``, ``csv``, ``json``).

    Raises
    ------
    HilirDataError
        A figure whose data has no provenance (see :func:`check_savable`), a bad name or
        an unknown format. Nothing is written then.

    Examples
    --------
    >>> from hilir.plots import plot_regency_production, save_figure    # doctest: +SKIP
    >>> fig = plot_regency_production(hilir.load_production(), crop="pepper")  # doctest: +SKIP
    >>> save_figure(fig, "pepper_regencies")                            # doctest: +SKIP
    {'png': PosixPath('reports/figures/pepper_regencies.png'), 'svg': ...}
    """
    meta = check_savable(fig)
    if not isinstance(name, str) or not _NAME.match(name):
        raise HilirDataError(f"name must be a plain file name without extension, not {name!r}")
    bad = [f for f in formats if f not in ("png", "svg")]
    if bad or not formats:
        raise HilirDataError(f"formats must be 'png' and/or 'svg', not {list(formats)}")
    if int(dpi) <= 0:
        raise HilirDataError(f"dpi must be positive, not {dpi!r}")
    out_dir = Path(folder)
    paths: dict[str, Path] = {}
    with chart_style(meta.size):
        for fmt in dict.fromkeys(formats):
            target = out_dir / f"{name}.{fmt}"

            def write(tmp: Path, fmt: str = fmt) -> None:
                fig.savefig(tmp, format=fmt, dpi=int(dpi), metadata=_metadata(meta, fmt))

            paths[fmt] = _readable(atomic_write(target, write))
    if with_data:
        paths["csv"] = _readable(
            atomic_write(
                out_dir / f"{name}.csv",
                lambda p: meta.data.to_csv(p, index=False, encoding="utf-8", lineterminator="\n"),
            )
        )
        text = json.dumps(meta.metadata(), ensure_ascii=False, indent=2, default=str)
        paths["json"] = _readable(
            atomic_write(
                out_dir / f"{name}.json", lambda p: p.write_text(text + "\n", encoding="utf-8")
            )
        )
    return paths
