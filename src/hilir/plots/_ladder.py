"""Drawing pieces of the unit-value ladder: the stage columns and the axes."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from hilir.plots.common import Chart, cap, item_label, text_colour
from hilir.plots.layout import log_axis, spread
from hilir.plots.style import GRID, MUTED, Size, stage_colour

#: A product's end label, kept with its stage: ``(stage, (x, y, text, colour))``.
LadderItem = tuple[str, tuple[float, float, str, str]]


def _draw_ladder_columns(
    ax: Any,
    ch: Chart,
    data: pd.DataFrame,
    conv: dict[str, pd.Series],
    stages: Sequence[str],
    chain_key: str | None,
    size: Size,
) -> list[LadderItem]:
    """A column per stage: each product's range line and median dot; return its labels."""
    xpos = {s: i for i, s in enumerate(stages)}
    items: list[LadderItem] = []
    wrap_label = 16 if size == "column" else 30
    for s in stages:
        sub = data.index[data["stage"] == s]
        n = len(sub)
        offsets = np.linspace(-0.12, 0.12, n) if n > 1 else [0.0]
        colour = stage_colour(s, chain_key)
        edge = text_colour(colour) if s != "mixed" else MUTED
        for off, i in zip(offsets, sub, strict=True):
            x = xpos[s] + off
            ax.plot(
                [x, x],
                [conv["low_usd_per_kg"][i], conv["high_usd_per_kg"][i]],
                color=edge,
                linewidth=1.0,
                solid_capstyle="butt",
            )
            ax.plot(
                [x],
                [conv["median_usd_per_kg"][i]],
                marker="o",
                color=colour,
                markeredgecolor=edge,
                markersize=ch.fs.font * 0.8,
                linestyle="none",
            )
            label = textwrap.fill(item_label(str(data.at[i, "product"]), ch.lang), wrap_label)
            items.append((s, (x + 0.02, float(conv["median_usd_per_kg"][i]), label, edge)))
    return items


def _ladder_axes(
    ax: Any, ch: Chart, conv: dict[str, pd.Series], stages: Sequence[str], size: Size
) -> None:
    """Log value axis with headroom on both sides, stage names on the x axis, grid."""
    log_axis(ax, ch.lang)
    lo = min(float(conv["low_usd_per_kg"].min()), float(conv["median_usd_per_kg"].min()))
    hi = max(float(conv["high_usd_per_kg"].max()), float(conv["median_usd_per_kg"].max()))
    ax.set_ylim(lo / 1.6, hi * 1.6)
    ax.set_xlim(-0.4, len(stages) - 0.2)
    ax.set_xticks(range(len(stages)))
    wrap_at = 14 if size == "column" else 24
    ax.set_xticklabels([textwrap.fill(cap(ch.t(f"stage.{s}")), wrap_at) for s in stages])
    ax.tick_params(axis="x", length=0)
    ax.grid(axis="y", color=GRID, linewidth=0.5)


def _label_ladder_column(
    ax: Any,
    items: Sequence[tuple[float, float, str, str]],
    *,
    fontsize: float,
    offset_pt: float,
) -> list[Any]:
    """Label a stage column's products right of its rightmost range line, never on one.

    Products of one column stand side by side, so a label beside its own dot would run
    over its neighbours' range lines. The labels start right of the column's last line,
    spread vertically so they never overlap (:func:`hilir.plots.layout.spread`); a thin
    leader joins each label to its dot when another product stands between them.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Axes whose layout is done.
    items : sequence of (x, y, text, colour)
        Data coordinates just right of each product's median dot, its label and colour.
    fontsize, offset_pt : float
        Points: label size, and the gap from the column's rightmost line to the labels.

    Returns
    -------
    list of matplotlib.text.Annotation
        The labels.
    """
    if not items:
        return []
    trans = ax.transData
    to_pt = 72.0 / ax.figure.dpi
    x_right = max(x for x, _, _, _ in items)
    pts = [trans.transform((x, y))[1] * to_pt for x, y, _, _ in items]
    bbox = ax.get_window_extent()
    lines = [text.count("\n") + 1 for _, _, text, _ in items]
    gap = fontsize * 1.4 * max(lines)  # as layout.label_line_ends
    placed = spread(pts, gap, bbox.y0 * to_pt + gap / 2, bbox.y1 * to_pt - gap / 2)
    notes = []
    for (x, y, text, colour), p, target in zip(items, placed, pts, strict=True):
        dx = (trans.transform((x_right, y))[0] - trans.transform((x, y))[0]) * to_pt
        leader = dx > 1.0
        note = ax.annotate(
            text,
            xy=(x, y),
            xytext=(dx + offset_pt, p - target),
            textcoords="offset points",
            ha="left",
            va="center",
            fontsize=fontsize,
            color=colour,
            annotation_clip=False,
            arrowprops={
                "arrowstyle": "-",
                "color": colour,
                "linewidth": 0.5,
                "alpha": 0.6,
                "shrinkA": 1.0,
                "shrinkB": fontsize * 0.5,
            }
            if leader
            else None,
        )
        notes.append(note)
    return notes


def _fit_labels_right(ax: Any, notes: Sequence[Any]) -> bool:
    """Widen the x axis to the right until the labels of the last column end inside it.

    The labels keep their size in points while the data move with the limits, so one step
    is exact: with axes width ``W`` pixels and labels reaching ``L`` pixels past their
    anchor ``x``, the right limit becomes ``x0 + (x - x0) * W / (W - L)``. Returns whether
    the limits changed (the labels must then be placed again).
    """
    from matplotlib.text import Text

    if not notes:
        return False
    renderer = ax.figure.canvas.get_renderer()
    box = ax.get_window_extent()
    x0 = ax.get_xlim()[0]
    anchor = max(float(n.xy[0]) for n in notes)
    at = ax.transData.transform((anchor, 1.0))[0]
    for n in notes:
        n.update_positions(renderer)  # an annotation finds its place only when drawn
    right = max(Text.get_window_extent(n, renderer).x1 for n in notes)
    reach, width = right - at, box.width
    if right > box.x1 and 0 < reach < width * 0.8:
        ax.set_xlim(x0, x0 + (anchor - x0) * width / (width - reach))
        return True
    return False
