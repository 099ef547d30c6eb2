"""Figure frame shared by every chart: title, subtitle, source and note lines, tick labels.

The title (the finding) and the subtitle (measure, unit, period, geography) sit top left,
the source and note lines bottom left, all wrapped to the figure width by measuring the
text with the Agg renderer; the axes fill the space between them through matplotlib's
constrained layout. Figures are built with :class:`matplotlib.figure.Figure` directly (not
``pyplot``), so no global state is touched and a notebook shows each chart once.
"""

from __future__ import annotations

import functools
import io
import math
from collections.abc import Sequence

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.ticker import FixedLocator, Formatter, LogLocator

from hilir.i18n.numbers import format_number
from hilir.plots.style import INK, MUTED, FigureSize, chart_style

_PAD = 0.08  # inches, figure edge to text
_GAP = 0.06  # inches, between text blocks and the axes area


class BriefFigure(Figure):
    """A :class:`matplotlib.figure.Figure` that shows itself in a notebook as a PNG.

    Chart functions build their figures without ``pyplot`` (no global state), so a
    notebook displays the returned figure once, through this method, in the hilir style.
    """

    def _repr_png_(self) -> bytes:
        meta = getattr(self, "hilir", None)
        buf = io.BytesIO()
        with chart_style(getattr(meta, "size", "full")):
            self.savefig(buf, format="png", dpi=144, metadata={"Software": None})
        return buf.getvalue()


def new_figure(
    fs: FigureSize, *, nrows: int = 1, ncols: int = 1, height: float | None = None, **kw: object
) -> tuple[Figure, np.ndarray]:
    """A figure of a named size with a grid of axes (always returned as a 2-D array).

    Parameters
    ----------
    fs : FigureSize
        Named size.
    nrows, ncols : int
        Grid of axes.
    height : float, optional
        Height in inches instead of the size's (small multiples grow with rows).
    **kw
        Passed to :meth:`Figure.subplots` (``sharex``, ``sharey``).
    """
    fig = BriefFigure(figsize=(fs.width, height or fs.height), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(nrows, ncols, squeeze=False, **kw)  # type: ignore[arg-type]
    return fig, axes


#: Resolutions a chart is rendered at: the figure's own, the brief's PNG and print.
#: Hinted glyph advances round to whole pixels, so the same text is up to ~5 % wider at
#: one resolution than at another; a line must fit at every one of them.
_RENDER_DPIS = (100, 144, 300)


def _width_in(text: str, prop: FontProperties) -> float:
    """Width of ``text`` in inches: the widest of its renderings at :data:`_RENDER_DPIS`."""
    widest = 0.0
    for dpi in _RENDER_DPIS:
        w, _, _ = _renderer(dpi).get_text_width_height_descent(text, prop, ismath=False)
        widest = max(widest, w / dpi)
    return widest


@functools.lru_cache(maxsize=len(_RENDER_DPIS))
def _renderer(dpi: int) -> RendererAgg:
    """A small Agg renderer used only to measure text at ``dpi``."""
    return RendererAgg(8, 8, dpi)


def wrap(fig: Figure, text: str, width_in: float, prop: FontProperties) -> list[str]:
    """Greedy word wrap of ``text`` to ``width_in`` inches, measured with the Agg renderer."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        words = paragraph.split(" ")
        current = ""
        for word in words:
            trial = f"{current} {word}" if current else word
            if current and _width_in(trial, prop) > width_in:
                lines.append(current)
                current = word
            else:
                current = trial
        lines.append(current)
    return lines


def decorate(
    fig: Figure,
    fs: FigureSize,
    *,
    title: str,
    subtitle: str,
    source: str,
    note: str = "",
) -> None:
    """Place title, subtitle, source and note lines and fit the axes between them.

    Parameters
    ----------
    fig : Figure
        Figure made by :func:`new_figure`.
    fs : FigureSize
        Its named size (font sizes).
    title, subtitle, source, note : str
        Texts; empty strings are left out.
    """
    width, height = fig.get_size_inches()
    usable = width - 2 * _PAD
    blocks_top = [
        (title, FontProperties(family="DejaVu Sans", size=fs.title, weight="bold"), INK, 1.15),
        (subtitle, FontProperties(family="DejaVu Sans", size=fs.font), MUTED, 1.2),
    ]
    blocks_bottom = [
        (source, FontProperties(family="DejaVu Sans", size=fs.small), MUTED, 1.2),
        (note, FontProperties(family="DejaVu Sans", size=fs.small), MUTED, 1.2),
    ]
    y = height - _PAD
    for text, prop, colour, spacing in blocks_top:
        if not text:
            continue
        lines = wrap(fig, text, usable, prop)
        fig.text(
            _PAD / width,
            y / height,
            "\n".join(lines),
            ha="left",
            va="top",
            fontproperties=prop,
            color=colour,
            linespacing=spacing,
        )
        y -= len(lines) * prop.get_size_in_points() * spacing / 72 + _GAP
    top = y - _GAP
    bottom_lines: list[tuple[str, FontProperties, str, float]] = []
    for text, prop, colour, spacing in blocks_bottom:
        if text:
            bottom_lines.append(("\n".join(wrap(fig, text, usable, prop)), prop, colour, spacing))
    yb = _PAD
    for text, prop, colour, spacing in reversed(bottom_lines):
        placed = fig.text(
            _PAD / width,
            yb / height,
            text,
            ha="left",
            va="bottom",
            fontproperties=prop,
            color=colour,
            linespacing=spacing,
        )
        # the drawn height where it is taller (matplotlib < 3.11 spaces lines more widely)
        drawn = placed.get_window_extent(fig.canvas.get_renderer()).height / fig.dpi  # type: ignore[attr-defined]
        yb += max((text.count("\n") + 1) * prop.get_size_in_points() * spacing / 72, drawn)
        yb += 0.03
    bottom = yb + _GAP
    engine = fig.get_layout_engine()
    engine.set(  # type: ignore[call-arg]
        rect=(0.0, bottom / height, 1.0, max(0.2, (top - bottom) / height)),
        w_pad=_PAD,
        h_pad=0.04,
    )


def _decimals_for(values: Sequence[float], cap: int = 4) -> int:
    """Fewest decimals that write every value exactly (up to ``cap``)."""
    finite = [v for v in values if math.isfinite(v)]
    for dec in range(cap + 1):
        if all(
            abs(v * 10**dec - round(v * 10**dec)) < 1e-6 * max(1.0, abs(v * 10**dec))
            for v in finite
        ):
            return dec
    return cap


class NumberFormatter(Formatter):
    """Tick labels in the chart's language (``1.234,5`` / ``1,234.5``).

    Parameters
    ----------
    lang : {"id", "en"}
    divisor : float, default 1
        Ticks show value / divisor (the axis label states the magnitude, ``US$ miliar``).
    percent : bool, default False
        Values are shares; ticks show ``12,5%``.
    suffix : str, default ""
        Text after each tick (``×``).
    """

    def __init__(
        self, lang: str, *, divisor: float = 1.0, percent: bool = False, suffix: str = ""
    ) -> None:
        self.lang = lang
        self.divisor = divisor
        self.percent = percent
        self.suffix = suffix
        self.decimals = 0

    def _scaled(self, x: float) -> float:
        return x * 100.0 if self.percent else x / self.divisor

    def set_locs(self, locs: Sequence[float]) -> None:
        """Fix the decimals shared by every tick label from the tick locations."""
        super().set_locs(locs)
        self.decimals = _decimals_for([self._scaled(v) for v in locs])

    def __call__(self, x: float, pos: int | None = None) -> str:
        """Tick label of ``x``."""
        text = format_number(self._scaled(x), lang=self.lang, decimals=self.decimals)
        return text + ("%" if self.percent else "") + self.suffix


class LogNumberFormatter(Formatter):
    """Tick labels of a log axis: each value with just the decimals it needs (``0,05``)."""

    def __init__(self, lang: str, *, divisor: float = 1.0) -> None:
        self.lang = lang
        self.divisor = divisor

    def __call__(self, x: float, pos: int | None = None) -> str:
        """Tick label of ``x``."""
        v = x / self.divisor
        if v <= 0 or not math.isfinite(v):
            return ""
        dec = max(0, -math.floor(math.log10(v) + 1e-9))
        return format_number(v, lang=self.lang, decimals=min(dec, 4))


class YearFormatter(Formatter):
    """Years as plain integers (never ``2.020``)."""

    def __call__(self, x: float, pos: int | None = None) -> str:
        """Tick label of ``x``."""
        return str(round(x)) if abs(x - round(x)) < 1e-6 else ""


def year_ticks(first: int, last: int, max_ticks: int = 7) -> list[int]:
    """Round-numbered years between ``first`` and ``last``: at most ``max_ticks`` of them.

    Steps are 1, 2, 5, 10, 20, 25 or 50 years and ticks sit on multiples of the step, so
    an axis reads 2000, 2010, 2020 rather than 2000, 2008, 2016.
    """
    first, last = int(first), int(last)
    if last <= first:
        return [first]
    for step in (1, 2, 5, 10, 20, 25, 50, 100):
        ticks = list(range(-(-first // step) * step, last + 1, step))
        if len(ticks) <= max_ticks and len(ticks) >= 1:
            return ticks
    return [first, last]


def year_axis(ax: object, years: Sequence[int], *, axis: str = "x", max_ticks: int = 7) -> None:
    """Integer year ticks on round years (at most ``max_ticks``) on ``axis``."""
    target = ax.xaxis if axis == "x" else ax.yaxis  # type: ignore[attr-defined]
    if len(years):
        target.set_major_locator(FixedLocator(year_ticks(min(years), max(years), max_ticks)))
    target.set_major_formatter(YearFormatter())


def log_axis(ax: object, lang: str, *, axis: str = "y", divisor: float = 1.0) -> None:
    """A log axis with 1-2-5 ticks labelled in the chart's language."""
    target = ax.yaxis if axis == "y" else ax.xaxis  # type: ignore[attr-defined]
    (ax.set_yscale if axis == "y" else ax.set_xscale)("log")  # type: ignore[attr-defined]
    target.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    target.set_minor_locator(LogLocator(base=10, subs=(), numticks=1))
    target.set_major_formatter(LogNumberFormatter(lang, divisor=divisor))


def spread(
    targets: Sequence[float], gap: float, lo: float = -math.inf, hi: float = math.inf
) -> list[float]:
    """Positions near ``targets`` at least ``gap`` apart, kept within ``[lo, hi]``.

    Overlapping labels are grouped into clusters centred on the mean of their targets, so
    each label moves as little as possible (used for direct labels at line ends).

    Returns
    -------
    list of float
        One position per target, in the targets' order.
    """
    order = sorted(range(len(targets)), key=lambda i: targets[i])
    clusters: list[list[int]] = []
    starts: list[float] = []

    def start_of(members: list[int]) -> float:
        mean = sum(targets[i] for i in members) / len(members)
        return mean - (len(members) - 1) * gap / 2

    for i in order:
        clusters.append([i])
        starts.append(targets[i])
        while len(clusters) > 1 and starts[-2] + len(clusters[-2]) * gap > starts[-1]:
            merged = clusters[-2] + clusters[-1]
            clusters[-2:] = [merged]
            starts[-2:] = [start_of(merged)]
    out = [0.0] * len(targets)
    flat: list[tuple[int, float]] = []
    for members, start in zip(clusters, starts, strict=True):
        for k, i in enumerate(members):
            flat.append((i, start + k * gap))
    if flat:
        low = min(p for _, p in flat)
        high = max(p for _, p in flat)
        shift = 0.0
        if high > hi:
            shift = hi - high
        if low + shift < lo:
            shift = lo - low
        for i, p in flat:
            out[i] = p + shift
    return out


def label_line_ends(
    ax: object,
    items: Sequence[tuple[float, float, str, str]],
    *,
    fontsize: float,
    weight: str = "normal",
    offset_pt: float = 4.0,
) -> None:
    """Direct labels at the right end of lines or bands, spread so they never overlap.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Axes whose layout is already done (call ``fig.draw_without_rendering()`` first).
    items : sequence of (x, y, text, colour)
        Data coordinates of each line's last point, its label and colour.
    fontsize : float
        Points.
    """
    if not items:
        return
    trans = ax.transData  # type: ignore[attr-defined]
    fig = ax.figure  # type: ignore[attr-defined]
    px = [trans.transform((x, y))[1] for x, y, _, _ in items]
    to_pt = 72.0 / fig.dpi
    pts = [p * to_pt for p in px]
    bbox = ax.get_window_extent()  # type: ignore[attr-defined]
    lines = [text.count("\n") + 1 for _, _, text, _ in items]
    gap = fontsize * 1.4 * max(lines)  # a text line is 1.17 font sizes high, 1.2 of it apart
    # label centres kept half a label inside the axes, so no label hangs over an edge
    placed = spread(pts, gap, bbox.y0 * to_pt + gap / 2, bbox.y1 * to_pt - gap / 2)
    for (x, y, text, colour), p, target in zip(items, placed, pts, strict=True):
        ax.annotate(  # type: ignore[attr-defined]
            text,
            xy=(x, y),
            xytext=(offset_pt, p - target),
            textcoords="offset points",
            ha="left",
            va="center",
            fontsize=fontsize,
            color=colour,
            fontweight=weight,
            annotation_clip=False,
        )


def end_label(
    ax: object,
    text: str,
    x: float,
    y: float,
    *,
    fontsize: float,
    offset_pt: float = 3.0,
    color: str = INK,
    **kw: object,
) -> None:
    """A label just right of the point ``(x, y)``: the end of a bar or of a range.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    text : str
    x, y : float
        Data coordinates of the bar's or range's end.
    fontsize : float
        Points.
    offset_pt : float, default 3
        Gap in points between the end and the label.
    **kw
        Passed to :meth:`Axes.annotate` (``fontweight``).
    """
    ax.annotate(  # type: ignore[attr-defined]
        text,
        xy=(x, y),
        xytext=(offset_pt, 0),
        textcoords="offset points",
        va="center",
        ha="left",
        fontsize=fontsize,
        color=color,
        **kw,
    )


def event_label(
    ax: object,
    text: str,
    x: float,
    *,
    right: bool,
    fontsize: float,
    offset_pt: float = 3.0,
    **kw: object,
) -> object:
    """The label of an event marker at ``x``, hanging from the top of the axes.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    text : str
    x : float
        Data x of the event marker.
    right : bool
        Put the label left of the marker (right-aligned), for events near the right edge.
    fontsize : float
        Points.
    offset_pt : float, default 3
        Horizontal gap in points between the marker and the label.
    **kw
        Passed to :meth:`Axes.annotate` (``linespacing``).

    Returns
    -------
    matplotlib.text.Annotation
    """
    return ax.annotate(  # type: ignore[attr-defined]
        text,
        xy=(x, 1.0),
        xycoords=("data", "axes fraction"),
        xytext=(-offset_pt if right else offset_pt, -2),
        textcoords="offset points",
        ha="right" if right else "left",
        va="top",
        fontsize=fontsize,
        color=INK,
        **kw,
    )


def category_axis(
    ax: object, ys: Sequence[float], labels: Sequence[str], *, fit: bool = True
) -> None:
    """Row labels on the y axis without tick marks; ``fit`` sets the limits to the rows."""
    ax.set_yticks(ys)  # type: ignore[attr-defined]
    ax.set_yticklabels(labels)  # type: ignore[attr-defined]
    ax.tick_params(axis="y", length=0, labelcolor=INK)  # type: ignore[attr-defined]
    if fit:
        ax.set_ylim(-0.6, len(ys) - 0.4)  # type: ignore[attr-defined]
