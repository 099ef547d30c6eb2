"""How the briefs render: no chart's ink reaches its outer edge, in either language.

Issue 15 found 14 chart titles running into the right edge (10 losing characters), because
titles were wrapped by their width at the figure's 100 dpi while the brief shows them at
144 dpi, where hinted text is up to ~5 % wider. The check reads every chart as the reader
gets it: the PNG embedded in each built brief.
"""

from __future__ import annotations

import base64
import io
import re

import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from PIL import Image

from hilir.plots.layout import new_figure, wrap
from hilir.plots.style import SIZES
from report_conftest import EXPECTED, LANGS

#: Pixels along each edge of a chart that must hold no ink (the layout pads 0.08 inch).
EDGE_PX = 4
#: Grey level below which a pixel counts as ink (the lightest drawn grey is above it).
INK_BELOW = 200

_IMG = re.compile(r'<img alt="([^"]*)"[^>]*src="data:image/png;base64,([^"]+)"')


def inked_edges(png: bytes, *, edge: int = EDGE_PX) -> str:
    """The edges (``L``, ``R``, ``T``, ``B``) of a PNG that carry ink within ``edge`` px."""
    grey = np.asarray(Image.open(io.BytesIO(png)).convert("L"))
    ink = grey < INK_BELOW
    strips = {"L": ink[:, :edge], "R": ink[:, -edge:], "T": ink[:edge], "B": ink[-edge:]}
    return "".join(k for k, v in strips.items() if v.any())


def test_the_edge_check_sees_a_clipped_title() -> None:
    """The checker flags a title drawn past the right edge and passes a wrapped one."""
    fig = Figure(figsize=(3, 1), dpi=100)
    fig.text(0.02, 0.5, "A title far too long for this small figure to hold", fontsize=12)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=144)
    assert "R" in inked_edges(buf.getvalue())
    blank = Figure(figsize=(3, 1), dpi=100)
    blank.text(0.1, 0.5, "short", fontsize=12)
    buf = io.BytesIO()
    blank.savefig(buf, format="png", dpi=144)
    assert inked_edges(buf.getvalue()) == ""


@pytest.mark.parametrize("dpi", [100, 144, 300])
def test_wrapped_title_lines_fit_at_every_resolution(dpi: int) -> None:
    """A wrapped title line is no wider than the usable width when rendered at ``dpi``.

    The title of the coffee uplift chart fitted at 100 dpi (6.92 of 6.93 inches) and was
    cut at 144 dpi (7.17 inches).
    """
    from matplotlib.backends.backend_agg import RendererAgg

    fs = SIZES["full"]
    fig, _ = new_figure(fs)
    prop = FontProperties(family="DejaVu Sans", size=fs.title, weight="bold")
    title = "Roasted coffee earns 1.3–1.3 times the raw value per raw-equivalent tonne (2020)"
    usable = fs.width - 0.16
    lines = wrap(fig, title, usable, prop)
    assert len(lines) == 2
    renderer = RendererAgg(8, 8, dpi)
    for line in lines:
        width, _, _ = renderer.get_text_width_height_descent(line, prop, ismath=False)
        assert width / dpi <= usable, line


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_no_chart_ink_touches_its_outer_edge(report, lang: str) -> None:  # type: ignore[no-untyped-def]
    """Every chart of every brief (both editions' images are the same PNGs) has clean edges."""
    touching: list[str] = []
    seen = 0
    for name in EXPECTED:
        page = (report.out_dir / lang / f"{name}_analyst.html").read_text(encoding="utf-8")
        for alt, data in _IMG.findall(page):
            seen += 1
            edges = inked_edges(base64.b64decode(data))
            if edges:
                touching.append(f"{name} [{edges}] {alt[:70]}")
    assert seen > 30
    assert touching == [], "\n".join(touching)
