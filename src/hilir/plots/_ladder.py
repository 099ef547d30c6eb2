"""Drawing pieces of the unit-value ladder: the stage columns and the axes."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from hilir.plots.common import Chart, cap, item_label, text_colour
from hilir.plots.layout import log_axis
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
