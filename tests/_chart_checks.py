"""Layout checks of a drawn chart: no two text labels overlap, every series its own colour.

Both checks draw the figure and measure it with the renderer (``fig.canvas.get_renderer()``,
``Text.get_window_extent``), so they see the labels where the saved picture has them.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox


def _visible(artist: object) -> bool:
    """True when the artist and every parent axes are drawn."""
    if not artist.get_visible():  # type: ignore[attr-defined]
        return False
    ax = getattr(artist, "axes", None)
    return ax is None or ax.get_visible()


def _hidden_tick_labels(fig: Figure) -> set[int]:
    """Ids of the tick labels of ticks outside their axis's view (never drawn)."""
    hidden: set[int] = set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            lo, hi = sorted(axis.get_view_interval())
            span = (hi - lo) * 1e-9
            for tick in [*axis.get_major_ticks(), *axis.get_minor_ticks()]:
                loc = tick.get_loc()
                if loc is None or not lo - span <= loc <= hi + span:
                    hidden |= {id(tick.label1), id(tick.label2)}
    return hidden


def text_boxes(fig: Figure) -> list[tuple[str, Bbox]]:
    """Window extents (display pixels) of every drawn, non-empty text of ``fig``."""
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    hidden = _hidden_tick_labels(fig)
    out = []
    for text in fig.findobj(Text):
        if id(text) in hidden or not _visible(text) or not text.get_text().strip():
            continue
        box = Text.get_window_extent(text, renderer)  # the text, not an arrow
        if box.width > 0 and box.height > 0:
            out.append((text.get_text(), box))
    return out


def overlapping_labels(fig: Figure, gap_pt: float = 1.0) -> list[tuple[str, str]]:
    """Pairs of texts of ``fig`` whose boxes overlap or are less than ``gap_pt`` points apart.

    Lines of one wrapped text block are one box; two blocks must keep ``gap_pt`` between
    them, so labels that merely touch (read as one) are caught too.
    """
    boxes = text_boxes(fig)
    pad = -gap_pt * fig.dpi / 72.0
    pairs = []
    for i, (a, box_a) in enumerate(boxes):
        for b, box_b in boxes[i + 1 :]:
            w = min(box_a.x1, box_b.x1) - max(box_a.x0, box_b.x0)
            h = min(box_a.y1, box_b.y1) - max(box_a.y0, box_b.y0)
            if w > pad and h > pad:
                pairs.append((a, b))
    return pairs


def labels_on_lines(fig: Figure) -> list[tuple[str, int]]:
    """Texts inside an axes that overlap one of its drawn lines (``ax.lines``) or markers.

    A line is tested segment by segment against the text box, so a label beside a long
    line's end is not a hit; marker-only lines are tested by their marker's extent.
    """
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    hits = []
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        for text in ax.texts:
            if not _visible(text) or not text.get_text().strip():
                continue
            box = Text.get_window_extent(text, renderer)  # the text, not an arrow
            for k, line in enumerate(ax.lines):
                if _visible(line) and _line_hits(line, box, renderer):
                    hits.append((text.get_text(), k))
    return hits


def _line_hits(line: object, box: Bbox, renderer: object) -> bool:
    """True when a line's path or its markers cross ``box``."""
    if line.get_linestyle() in ("None", "none", "", " ") or len(line.get_xydata()) < 2:
        return line.get_window_extent(renderer).overlaps(box)
    path = line.get_transform().transform_path(line.get_path())
    return path.intersects_bbox(box, filled=False)


def end_label_colours(fig: Figure) -> dict[str, str]:
    """Each direct end label's text and the colour of the line it labels.

    A direct label is an annotation in data coordinates at a line's last point; its
    series colour is that line's (hex). Pass the values to :func:`assert_distinct_colours`.
    """
    out = {}
    for ax in fig.axes:
        for text in ax.texts:
            xy = getattr(text, "xy", None)
            if xy is None or getattr(text, "xycoords", None) != "data":
                continue  # event labels hang from the top of the axes
            for line in ax.lines:
                data = line.get_xydata()
                if len(data) > 1 and np.allclose(data[-1], xy):
                    out[text.get_text()] = to_hex(line.get_color())
    return out


def duplicated(values: Iterable[str]) -> list[str]:
    """Values that occur more than once, in order of first repeat."""
    seen: set[str] = set()
    dup = []
    for v in values:
        if v in seen and v not in dup:
            dup.append(v)
        seen.add(v)
    return dup


def assert_clear_labels(fig: Figure, *, lines: bool = False, gap_pt: float = 1.0) -> None:
    """Fail when two texts of ``fig`` overlap (and, with ``lines``, a label sits on a line)."""
    pairs = overlapping_labels(fig, gap_pt)
    assert not pairs, f"overlapping labels: {pairs}"
    if lines:
        hits = labels_on_lines(fig)
        assert not hits, f"labels drawn over lines: {hits}"


def assert_distinct_colours(colours: Iterable[str]) -> None:
    """Fail when two series share a colour."""
    colours = [to_hex(c) for c in colours]
    dup = duplicated(colours)
    assert not dup, f"series share colours {dup}: {colours}"
