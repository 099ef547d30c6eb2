"""Drawing pieces of the waterfall chart: bars, their value labels, tick labels and axes."""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd

from hilir.i18n.catalog import t
from hilir.i18n.numbers import format_money
from hilir.plots.common import Chart, cap, money_axis
from hilir.plots.style import DOWN, GRID, INK, MUTED, TOTAL, UP, Size

EFFECTS = ("volume", "price", "mix")


def _draw_effect_bar(
    ax: Any, i: int, v: float, base: float, lo: float, hi: float, has_range: bool
) -> float:
    """A floating effect bar with its low-high whisker; return its top (currency units)."""
    colour = UP if v >= 0 else DOWN
    ax.bar(i, v, bottom=base, color=colour, width=0.62)
    if has_range and np.isfinite(lo) and np.isfinite(hi) and hi > lo:
        end_lo, end_hi = base + lo, base + hi
        ax.plot([i, i], [end_lo, end_hi], color=INK, linewidth=1.0)
        ax.plot([i - 0.1, i + 0.1], [end_lo, end_lo], color=INK, linewidth=1.0)
        ax.plot([i - 0.1, i + 0.1], [end_hi, end_hi], color=INK, linewidth=1.0)
    top = max(base, base + v)
    if has_range and np.isfinite(hi):
        top = max(top, base + hi)
    return top


def _level_label(part: str, y0: Any, y1: Any, lang: str) -> str:
    """Tick label of a level bar: the start or end year, else the part's short name."""
    if part == "start":
        return str(int(y0)) if pd.notna(y0) else cap(t("effect_short.start", lang))
    if part == "end":
        return str(int(y1)) if pd.notna(y1) else cap(t("effect_short.end", lang))
    return cap(t("effect_short.total", lang))


def _bar_value_label(ax: Any, ch: Chart, text: str, i: int, top: float, size: Size) -> None:
    """The bar's value just above its top."""
    if size == "column":  # narrow bars: the magnitude word goes under the number
        text = text.replace(" ", "\n", 1)
    ax.annotate(
        text,
        xy=(i, top),
        xytext=(0, 3),
        textcoords="offset points",
        ha="center",
        va="bottom",
        fontsize=ch.fs.font * 0.85,
        color=INK,
        linespacing=1.0,
    )


def _waterfall_axes(
    ax: Any,
    ch: Chart,
    conv: dict[str, pd.Series],
    labels: list[str],
    tops: list[float],
    currency: Literal["USD", "IDR"],
    size: Size,
) -> str:
    """Zero line, money axis, tick labels and limits; return the unit text for the subtitle."""
    ax.axhline(0, color=MUTED, linewidth=0.8)
    _, unit = money_axis(
        ax,
        [*conv["change_usd"], *(conv["base_usd"] + conv["change_usd"])],
        ch.lang,
        currency=currency,
    )
    ax.set_xticks(range(len(labels)))
    ax.set_xticklabels(labels)
    ax.tick_params(axis="x", length=0, labelcolor=INK)
    ax.grid(axis="y", color=GRID, linewidth=0.5)
    lows = [
        min(float(b), float(b) + float(v))
        for b, v in zip(conv["base_usd"], conv["change_usd"], strict=True)
    ]
    span = max(tops) - min([*lows, 0.0])
    headroom = 0.2 if size == "column" else 0.12
    ax.set_ylim(min([*lows, 0.0]) - 0.04 * span, max(tops) + headroom * span)
    return unit


def _draw_waterfall_bars(
    ax: Any,
    ch: Chart,
    data: pd.DataFrame,
    conv: dict[str, pd.Series],
    has_range: bool,
    currency: Literal["USD", "IDR"],
    size: Size,
) -> tuple[list[str], list[float]]:
    """Each bar with its value and the step to the next; return tick labels and bar tops."""
    y0, y1 = data["year_from"].iloc[0], data["year_to"].iloc[0]
    labels = []
    tops = []
    for i, row in data.iterrows():
        part = str(row["part"])
        v = float(conv["change_usd"][i])
        base = float(conv["base_usd"][i])
        if part in EFFECTS:
            lo, hi = float(conv["low_usd"][i]), float(conv["high_usd"][i])
            top = _draw_effect_bar(ax, i, v, base, lo, hi, has_range)
            text = format_money(v, lang=ch.lang, currency=currency, signed=True)
            labels.append(cap(t(f"effect_short.{part}", ch.lang)))
        else:
            ax.bar(i, v, color=TOTAL if part in ("end", "total") else "#9a9a9a", width=0.62)
            text = format_money(v, lang=ch.lang, currency=currency)
            top = max(v, 0.0)
            labels.append(_level_label(part, y0, y1, ch.lang))
        tops.append(top)
        _bar_value_label(ax, ch, text, i, top, size)
        if i + 1 < len(data) and part != "total":
            nxt = base + v if part in EFFECTS else v
            ax.plot([i + 0.31, i + 0.69], [nxt, nxt], color=MUTED, linewidth=0.6)
    return labels, tops
