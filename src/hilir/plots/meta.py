"""What a chart carries besides its pixels: the data behind it, its sources and its texts.

Every chart function returns a :class:`matplotlib.figure.Figure` with three attributes:

``fig.hilir``
    a :class:`ChartMeta` (chart kind, language, title, subtitle, source and note lines,
    the provenance of the data, the latest year shown);
``fig.hilir_data``
    the tidy frame actually plotted (the same object as ``fig.hilir.data``), for the
    "data behind the chart" sheet of an annex;
``fig.hilir_sources``
    the provenance keys of that data (``fig.hilir.sources.keys``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from hilir.errors import HilirDataError
from hilir.plots.sources import SourceInfo

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.figure import Figure


@dataclass
class ChartMeta:
    """The texts, data and provenance of one chart.

    Attributes
    ----------
    chart : str
        Chart kind (``stage_share``, ``unit_value_ladder``, ...).
    lang : str
        ``id`` or ``en``.
    size : str
        ``column``, ``full`` or ``slide``.
    data : pandas.DataFrame
        The tidy frame plotted (one row per plotted value, units in column names).
    sources : SourceInfo
        Provenance of the data.
    title, subtitle, source_line, note_line : str
        The texts printed on the chart.
    latest_year : int or None
        Latest year in the data shown.
    """

    chart: str
    lang: str
    size: str
    data: pd.DataFrame
    sources: SourceInfo
    title: str
    subtitle: str
    source_line: str
    note_line: str = ""
    latest_year: int | None = None
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def savable(self) -> bool:
        """True if every key of the data has a provenance record (and none is synthetic)."""
        return self.sources.complete

    def metadata(self) -> dict[str, object]:
        """Texts and citations as plain values (for a data annex or a JSON sidecar)."""
        return {
            "chart": self.chart,
            "lang": self.lang,
            "title": self.title,
            "subtitle": self.subtitle,
            "source_line": self.source_line,
            "note_line": self.note_line,
            "latest_year": self.latest_year,
            "sources": self.sources.describe(),
        }


def attach(fig: Figure, meta: ChartMeta) -> Figure:
    """Attach ``meta`` to ``fig`` as ``fig.hilir``, ``fig.hilir_data``, ``fig.hilir_sources``."""
    fig.hilir = meta  # type: ignore[attr-defined]
    fig.hilir_data = meta.data  # type: ignore[attr-defined]
    fig.hilir_sources = meta.sources.keys  # type: ignore[attr-defined]
    return fig


def chart_meta(fig: object) -> ChartMeta:
    """The :class:`ChartMeta` of a figure made by a hilir chart function.

    Raises
    ------
    HilirDataError
        If the figure was not made by hilir (it has no provenance).
    """
    meta = getattr(fig, "hilir", None)
    if not isinstance(meta, ChartMeta):
        raise HilirDataError(
            "this figure was not made by a hilir chart function, so its data has no "
            "provenance; draw it with hilir.plots"
        )
    return meta
