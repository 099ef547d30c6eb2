"""Flagship charts: the weighted ranking of candidate products and its sensitivity.

plot_flagship
    Flagship-product scores as stacked contributions of the five weighted indicators.
plot_flagship_sensitivity
    Each candidate's rank under the base weights and its range across weight scenarios.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from hilir.i18n.catalog import Lang, t
from hilir.i18n.labels import INDICATORS, geography_label, item_label
from hilir.i18n.numbers import format_number
from hilir.plots.common import (
    Chart,
    as_notes,
    cap,
    geo_code,
    require,
)
from hilir.plots.layout import (
    NumberFormatter,
    category_axis,
    end_label,
)
from hilir.plots.sources import Note
from hilir.plots.style import (
    GRID,
    Size,
    chain_colour,
    chart_style,
    with_lightness,
)
from hilir.provenance.sidecar import Provenance

#: Colour of each flagship indicator (Okabe-Ito, colour-blind safe).
INDICATOR_COLOURS: dict[str, str] = {
    "export_value": "#0072B2",
    "growth": "#009E73",
    "processing_share": "#E69F00",
    "uplift": "#CC79A7",
    "jobs": "#56B4E9",
}


def _weights_text(weights: dict[str, float], lang: str) -> str:
    parts = [
        f"{t(f'markets.indicator.{k}', lang)} {format_number(v, lang=lang, decimals=2)}"
        for k, v in weights.items()
    ]
    return "; ".join(parts)


def flagship_data(scores: pd.DataFrame) -> pd.DataFrame:
    """Long table of each candidate's weighted contributions (the stacked bars).

    Returns
    -------
    pandas.DataFrame
        ``chain, rank, score, indicator, weight, z, contribution, reporter, year, source``,
        candidates by rank, indicators in the order of :data:`hilir.markets.INDICATORS`.
    """
    need = ["chain", "rank", "score", *[f"contrib_{k}" for k in INDICATORS]]
    require(scores, need, "flagship scores")
    rows = []
    for _, r in scores.sort_values(["rank", "chain"]).iterrows():
        for k in INDICATORS:
            rows.append(
                {
                    "chain": str(r["chain"]),
                    "rank": int(r["rank"]),
                    "score": float(r["score"]),
                    "indicator": k,
                    "weight": float(r.get(f"w_{k}", np.nan)),
                    "z": float(r.get(f"z_{k}", np.nan)),
                    "contribution": float(r[f"contrib_{k}"]),
                    "reporter": str(r.get("reporter", "")),
                    "year": int(r["year"]) if "year" in r and pd.notna(r["year"]) else None,
                    "source": str(r.get("source", "")),
                }
            )
    return pd.DataFrame(rows)


def plot_flagship(
    scores: pd.DataFrame,
    *,
    lang: Lang = "id",
    title: str | None = None,
    subtitle: str | None = None,
    note: Note | Sequence[Note] | None = None,
    size: Size = "full",
    sources: Iterable[str | Provenance] | None = None,
) -> Figure:
    """Flagship-product scores as stacked bars of the five weighted indicators.

    The subtitle prints the weights; the note says how missing indicators count and, for
    Indonesia, that the ranking is national.

    Parameters
    ----------
    scores : pandas.DataFrame
        Output of :func:`hilir.markets.flagship_scores`.
    lang, title, subtitle, note, size, sources
        As :func:`hilir.plots.plot_stage_share`.
    """
    ch = Chart("flagship", lang=lang, size=size)
    data = flagship_data(scores)
    weights = scores.attrs.get("weights") or {
        k: float(scores[f"w_{k}"].iloc[0]) for k in INDICATORS
    }
    reporter = str(scores["reporter"].iloc[0]) if "reporter" in scores.columns else "IDN"
    geo_c = geo_code(reporter)
    year = int(scores["year"].iloc[0]) if "year" in scores.columns else None
    chains = list(dict.fromkeys(data["chain"]))
    notes = _flagship_notes(scores, geo_c, note)
    with chart_style(size):
        n = len(chains)
        fig, ax, ys = ch.rows_figure(n, base=0.5, per_row=0.03)
        left = _stack_contributions(ax, data, chains, ys, ch.lang)
        for y, c in zip(ys, chains, strict=True):
            s = float(data.loc[data["chain"] == c, "score"].iloc[0])
            end_label(
                ax, format_number(s, lang=ch.lang, decimals=2), s, y, fontsize=ch.fs.font * 0.8
            )
        ranks = data.groupby("chain", sort=False)["rank"].first()
        labels = [f"{int(ranks[c])}. {cap(item_label(c, ch.lang))}" for c in chains]
        category_axis(ax, ys, labels, fit=False)
        ax.set_xlim(0, max(1.0, float(left.max()) * 1.1))
        ax.xaxis.set_major_formatter(NumberFormatter(ch.lang))
        ax.set_xlabel(t("axis.flagship_score", ch.lang))
        ax.grid(axis="x", color=GRID, linewidth=0.5)
        ax.legend(
            loc="lower right",
            fontsize=ch.fs.font * 0.72,
            frameon=False,
            ncols=1,
        )
        ch.finish(
            fig,
            data=data,
            title=title
            or cap(
                t(
                    "title.flagship",
                    ch.lang,
                    top=item_label(chains[0], ch.lang),
                    geo=geography_label(geo_c, ch.lang),
                    year=str(year) if year else "",
                )
            ),
            subtitle=subtitle
            or ch.t(
                "subtitle.flagship",
                weights=_weights_text(weights, ch.lang),
                year=str(year) if year else "",
                geo=geography_label(geo_c, ch.lang),
            ),
            frames=[data],
            sources=sources,
            notes=notes,
            latest_year=year,
        )
    return ch.done(fig)


def sensitivity_data(sensitivity: pd.DataFrame) -> pd.DataFrame:
    """Each candidate's base rank and its best and worst rank across the weight scenarios.

    Returns
    -------
    pandas.DataFrame
        ``chain, base_rank, best_rank, worst_rank, n_scenarios, n_moved`` (scenarios in which
        the rank differs from the base), and ``reporter, year, source`` when the table has
        them; by base rank.
    """
    require(sensitivity, ["scenario", "chain", "rank", "base_rank"], "flagship sensitivity")
    g = sensitivity.groupby("chain")
    extra = {
        col: g[col].first() for col in ("reporter", "year", "source") if col in sensitivity.columns
    }
    out = pd.DataFrame(
        {
            "base_rank": g["base_rank"].first().astype(int),
            "best_rank": g["rank"].min().astype(int),
            "worst_rank": g["rank"].max().astype(int),
            "n_scenarios": g["scenario"].nunique(),
            "n_moved": (sensitivity["rank"] != sensitivity["base_rank"])
            .groupby(sensitivity["chain"])
            .sum()
            .astype(int),
            **extra,
        }
    ).reset_index()
    return out.sort_values(["base_rank", "chain"]).reset_index(drop=True)


def plot_flagship_sensitivity(
    sensitivity: pd.DataFrame,
    *,
    lang: Lang = "id",
    geography: str | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    note: Note | Sequence[Note] | None = None,
    size: Size = "full",
    sources: Iterable[str | Provenance] | None = None,
) -> Figure:
    """Rank under the base weights (dot) and its range across weight scenarios (line).

    Parameters
    ----------
    sensitivity : pandas.DataFrame
        Output of :func:`hilir.markets.flagship_sensitivity`.
    geography : str, optional
        Whose ranking it is (``IDN`` or ``ID-LA``); default the table's ``reporter``.
    lang, title, subtitle, note, size, sources
        As :func:`hilir.plots.plot_stage_share`.
    """
    ch = Chart("flagship_sensitivity", lang=lang, size=size)
    data = sensitivity_data(sensitivity)
    if geography is None:
        geography = str(data["reporter"].iloc[0]) if "reporter" in data.columns else "IDN"
    geo_c = geo_code(geography)
    n_sc = int(data["n_scenarios"].max())
    delta = sensitivity.attrs.get("delta")
    first = data.iloc[0]
    stable = int((sensitivity.loc[sensitivity["chain"] == first["chain"], "rank"] == 1).sum())
    notes: list[Note | None] = ["note.markets.sensitivity"]
    notes += as_notes(note)
    with chart_style(size):
        n = len(data)
        fig, ax, ys = ch.rows_figure(n, base=0.5, per_row=0.03)
        for y, (_, r) in zip(ys, data.iterrows(), strict=True):
            colour = chain_colour(str(r["chain"]))
            ax.plot(
                [r["best_rank"], r["worst_rank"]],
                [y, y],
                color=with_lightness(colour, 0.7),
                linewidth=4,
                solid_capstyle="round",
            )
            ax.plot([r["base_rank"]], [y], "o", color=colour, markersize=6)
        category_axis(ax, ys, [cap(item_label(str(c), ch.lang)) for c in data["chain"]], fit=False)
        ax.set_xlim(0.5, n + 0.5)
        ax.invert_xaxis()
        ax.set_xticks(range(1, n + 1))
        ax.set_xlabel(t("axis.rank", ch.lang))
        ax.grid(axis="x", color=GRID, linewidth=0.5)
        ch.finish(
            fig,
            data=data,
            title=title
            or cap(
                t(
                    "title.flagship_sensitivity",
                    ch.lang,
                    top=item_label(str(first["chain"]), ch.lang),
                    k=str(stable),
                    n=str(n_sc),
                )
            ),
            subtitle=subtitle
            or ch.t(
                "subtitle.flagship_sensitivity",
                n=str(n_sc),
                delta=format_number(float(delta), lang=ch.lang, decimals=2) if delta else "0,1",
                geo=geography_label(geo_c, ch.lang),
            ),
            frames=[data],
            sources=sources,
            notes=notes,
            latest_year=int(data["year"].max()) if "year" in data.columns else None,
        )
    return ch.done(fig)


def _flagship_notes(
    scores: pd.DataFrame, geo_c: str, note: Note | Sequence[Note] | None
) -> list[Note | None]:
    """Notes of a flagship chart: the method, missing indicators, a national ranking."""
    notes: list[Note | None] = [
        "note.markets.flagship_method",
        "note.markets.flagship_missing"
        if scores.attrs.get("missing", "zero") == "zero"
        else "note.markets.flagship_reweight",
    ]
    if geo_c == "IDN":
        notes.append("note.markets.flagship_national")
    notes += as_notes(note)
    return notes


def _stack_contributions(
    ax: Axes, data: pd.DataFrame, chains: list[str], ys: Sequence[float], lang: str
) -> np.ndarray:
    """Draw the stacked indicator contributions; return each bar's total length."""
    n = len(chains)
    left = np.zeros(n)
    for k in INDICATORS:
        vals = (
            data[data["indicator"] == k].set_index("chain").loc[chains, "contribution"].to_numpy()
        )
        ax.barh(
            ys,
            vals,
            left=left,
            color=INDICATOR_COLOURS[k],
            height=0.65,
            label=t(f"markets.indicator.{k}", lang),
        )
        left += vals
    return left
