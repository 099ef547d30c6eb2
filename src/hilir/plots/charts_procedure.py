"""Procedure chart: the export procedure as a flow of steps.

plot_export_procedure
    The export procedure as a flow of steps with institution and document.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from hilir.errors import HilirDataError
from hilir.i18n.catalog import Lang, t
from hilir.i18n.labels import geography_label, item_label
from hilir.plots.common import (
    Chart,
    as_notes,
    cap,
    geo_code,
    require,
)
from hilir.plots.layout import new_figure, wrap
from hilir.plots.sources import Note
from hilir.plots.style import (
    INK,
    MUTED,
    FigureSize,
    Size,
    chain_colour,
    chart_style,
    with_lightness,
)
from hilir.provenance.sidecar import Provenance


def plot_export_procedure(
    steps: pd.DataFrame | None = None,
    *,
    chain: str | None = None,
    lang: Lang = "id",
    geography: str = "ID-LA",
    title: str | None = None,
    subtitle: str | None = None,
    note: Note | Sequence[Note] | None = None,
    size: Size = "full",
    source: Provenance | None = None,
) -> Figure:
    """The export procedure as a flow of numbered steps with institution and document.

    Steps whose ``status`` is not ``as_documented`` are drawn with a dashed border and
    named in the note.

    Parameters
    ----------
    steps : pandas.DataFrame, optional
        Output of :func:`hilir.markets.export_procedure` (required).
    chain : str, optional
        Registry chain (``coffee``) the steps are for (title and colour).
    geography : str, default "ID-LA"
        Where the brief is for (for the subtitle; the procedure is national).
    lang, title, subtitle, note, size
        As :func:`hilir.plots.plot_stage_share`.
    source : Provenance
        The table's record, :func:`hilir.markets.procedure.procedure_provenance` (required);
        the source line comes from it.
    """
    if steps is None or source is None:
        raise HilirDataError(
            "plot_export_procedure needs steps= (hilir.markets.export_procedure) and source= "
            "(hilir.markets.procedure.procedure_provenance); "
            "hilir.brief.markets.plot_export_procedure_of computes both"
        )
    require(
        steps,
        [
            "step",
            "name_id",
            "name_en",
            "institution_id",
            "institution_en",
            "document_id",
            "document_en",
            "status",
        ],
        "export procedure",
    )
    ch = Chart("export_procedure", lang=lang, size=size)
    data = steps.reset_index(drop=True).copy()
    data["source_key"] = "hilir_export_procedure"
    data["source"] = "hilir_export_procedure"
    rec = source
    unverified = [
        str(i + 1) for i, s in enumerate(data["status"].astype(str)) if s != "as_documented"
    ]
    notes: list[Note | None] = ["note.markets.procedure"]
    if unverified:
        names = ", ".join(unverified)
        notes.append(
            {
                "id": t("note.markets.procedure_unverified", "id", steps=names),
                "en": t("note.markets.procedure_unverified", "en", steps=names),
            }
        )
    notes += as_notes(note)
    accent = chain_colour(chain) if chain else "#0072B2"
    n = len(data)
    head_pt, body_pt = ch.fs.font * 0.9, ch.fs.font * 0.7
    head_h, body_h = head_pt * 1.35 / 72, body_pt * 1.3 / 72  # inches per line
    pad, gap = 0.07, 0.16  # inches inside a box, between boxes
    texts = _step_texts(data, ch.lang)
    # measure the lines on a scratch figure of the same width, to size the figure
    prop = FontProperties(family="DejaVu Sans", size=body_pt)
    est = _estimated_height(ch.fs, texts, prop, (head_h, body_h, pad, gap))
    with chart_style(size):
        fig, ax = ch.single(height=max(ch.fs.height, est + 1.3))
        ax.axis("off")
        what = item_label(chain, ch.lang) if chain else t("label.all_exports", ch.lang)
        ch.finish(
            fig,
            data=data.drop(columns=["source_key"]),
            title=title or cap(t("title.procedure", ch.lang, n=str(n), what=what)),
            subtitle=subtitle
            or ch.t(
                "subtitle.procedure", what=what, geo=geography_label(geo_code(geography), ch.lang)
            ),
            frames=[data],
            sources=[rec],
            notes=notes,
            processed=False,
        )
        _draw_steps(
            fig, ax, texts, data, accent, prop, (head_pt, body_pt, head_h, body_h, pad, gap)
        )
    return ch.done(fig)


def _draw_steps(
    fig: Figure,
    ax: Axes,
    texts: list[tuple[str, str, str]],
    data: pd.DataFrame,
    accent: str,
    prop: FontProperties,
    metrics: tuple[float, float, float, float, float, float],
) -> None:
    """Draw the step boxes and arrows down the axes (all lengths in inches)."""
    head_pt, body_pt, head_h, body_h, pad, gap = metrics
    n = len(texts)
    box = ax.get_window_extent()
    width_in = box.width / fig.dpi
    blocks = []
    for head, inst, doc in texts:
        lines = wrap(fig, inst, width_in * 0.95, prop) + wrap(fig, doc, width_in * 0.95, prop)
        blocks.append((head, lines, head_h + body_h * len(lines) + 2 * pad))
    total = sum(b[2] for b in blocks) + gap * (n - 1)
    ax.set_xlim(0, width_in)
    ax.set_ylim(max(total, box.height / fig.dpi), 0)
    y = 0.0
    for i, ((head, lines, h), (_, r)) in enumerate(zip(blocks, data.iterrows(), strict=True)):
        dashed = str(r["status"]) != "as_documented"
        ax.add_patch(
            FancyBboxPatch(
                (0.01, y),
                width_in - 0.02,
                h,
                boxstyle="round,pad=0.0,rounding_size=0.04",
                facecolor=with_lightness(accent, 0.95),
                edgecolor=accent,
                linewidth=0.9,
                linestyle=(0, (3, 2)) if dashed else "solid",
            )
        )
        ax.text(
            0.08,
            y + pad,
            head,
            fontsize=head_pt,
            fontweight="bold",
            color=INK,
            va="top",
            ha="left",
        )
        ax.text(
            0.08,
            y + pad + head_h,
            "\n".join(lines),
            fontsize=body_pt,
            color=MUTED,
            va="top",
            ha="left",
            linespacing=1.3,
        )
        y += h
        if i < n - 1:
            ax.add_patch(
                FancyArrowPatch(
                    (width_in / 2, y),
                    (width_in / 2, y + gap),
                    arrowstyle="-|>",
                    mutation_scale=7,
                    color=accent,
                    linewidth=0.9,
                )
            )
            y += gap


def _step_texts(data: pd.DataFrame, lang: str) -> list[tuple[str, str, str]]:
    """Heading, institution and document line of each step."""
    texts = []
    for i, (_, r) in enumerate(data.iterrows()):
        texts.append(
            (
                f"{i + 1}. {r[f'name_{lang}']}",
                f"{t('label.institution', lang)}: {r[f'institution_{lang}']}",
                f"{t('label.document', lang)}: {r[f'document_{lang}']}",
            )
        )
    return texts


def _estimated_height(
    fs: FigureSize,
    texts: list[tuple[str, str, str]],
    prop: FontProperties,
    metrics: tuple[float, float, float, float],
) -> float:
    """Height of the step boxes (inches), measured on a scratch figure of the same width."""
    head_h, body_h, pad, gap = metrics
    scratch, _ = new_figure(fs)
    width_est = (fs.width - 0.3) * 0.95
    est = sum(
        head_h
        + body_h * (len(wrap(scratch, a, width_est, prop)) + len(wrap(scratch, b, width_est, prop)))
        + 2 * pad
        + gap
        for _, a, b in texts
    )
    return est
