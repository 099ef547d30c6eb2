"""Drawing pieces of the price-comparison chart: the two lines, the axes, the end labels."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from hilir.i18n.labels import geography_label
from hilir.plots.common import Chart, text_colour
from hilir.plots.layout import NumberFormatter, label_line_ends, year_axis
from hilir.plots.style import GRID, INK


def _draw_price_lines(
    ax: Any, ch: Chart, data: pd.DataFrame, marked: pd.DataFrame, colour: Any
) -> None:
    """World price (dashed), unit value, and hollow markers on the marked years."""
    ax.plot(
        data["year"],
        data["world_price_usd_per_t"],
        color=INK,
        linewidth=1.1,
        linestyle=(0, (4, 2)),
    )
    ax.plot(
        data["year"],
        data["unit_value_usd_per_t"],
        color=colour,
        marker="o" if len(data) < 30 else None,
        markersize=ch.fs.font * 0.35,
    )
    if len(marked):
        ax.plot(
            marked["year"],
            marked["unit_value_usd_per_t"],
            linestyle="none",
            marker="o",
            markerfacecolor="white",
            markeredgecolor=colour,
            markersize=ch.fs.font * 0.6,
        )


def _price_axes(ax: Any, ch: Chart, data: pd.DataFrame, years: list[int]) -> None:
    """Value axis from zero (USD per tonne) with headroom, year axis and grid."""
    top = float(
        np.nanmax(data[["unit_value_usd_per_t", "world_price_usd_per_t"]].to_numpy(dtype=float))
    )
    ax.set_ylim(0, top * 1.12)
    ax.yaxis.set_major_formatter(NumberFormatter(ch.lang))
    year_axis(ax, years)
    ax.grid(axis="y", color=GRID, linewidth=0.5)


def _price_end_labels(ax: Any, ch: Chart, data: pd.DataFrame, code: str, colour: Any) -> None:
    """Label the unit-value and world-price lines at their last points."""
    last_uv = data.dropna(subset=["unit_value_usd_per_t"]).iloc[-1]
    last_wp = data.dropna(subset=["world_price_usd_per_t"]).iloc[-1]
    label_line_ends(
        ax,
        [
            (
                float(last_uv["year"]),
                float(last_uv["unit_value_usd_per_t"]),
                ch.t("label.unit_value", geo=geography_label(code, ch.lang)),
                text_colour(colour),
            ),
            (
                float(last_wp["year"]),
                float(last_wp["world_price_usd_per_t"]),
                ch.t("label.world_price"),
                INK,
            ),
        ],
        fontsize=ch.fs.font * 0.85,
    )
