"""Labels that never collide, series told apart, panels for every chain, a true latest year.

The layout checks (``_chart_checks``) draw each figure and measure its texts with the
renderer; they run on frames shaped like the brief cases that once collided (issue 15).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from _chart_checks import (
    assert_clear_labels,
    assert_distinct_colours,
    end_label_colours,
    labels_on_lines,
    overlapping_labels,
)
from hilir import plots as P
from hilir.errors import HilirDataError
from hilir.i18n.catalog import t
from hilir.plots.style import chain_colour
from plots_conftest import (
    CASES,
    FAO,
    IO,
    PRICES,
    TRADE,
    events_frame,
    its_frame,
    jobs_frame,
    prices_frame,
    processing_frame,
    record,
)

LANGS = ("id", "en")
SIZES = ("column", "full")


# --- the checks themselves can fail ---------------------------------------------------------


def agg_figure() -> Figure:
    """A bare figure on an Agg canvas (the charts' own canvas)."""
    fig = Figure(figsize=(4, 3), dpi=100)
    FigureCanvasAgg(fig)
    return fig


def test_checks_catch_overlap_touching_labels_and_shared_colours():
    fig = agg_figure()
    ax = fig.subplots()
    ax.plot([0, 1], [0, 1])
    ax.text(0.5, 0.5, "first label")
    ax.text(0.52, 0.5, "second label")
    assert overlapping_labels(fig) == [("first label", "second label")]
    with pytest.raises(AssertionError, match="overlapping labels"):
        assert_clear_labels(fig)
    fig = agg_figure()
    ax = fig.subplots()
    ax.plot([0.5, 0.5], [0, 1])
    ax.set_xlim(0, 1)
    ax.text(0.45, 0.5, "on the line")
    assert labels_on_lines(fig) == [("on the line", 0)]
    with pytest.raises(AssertionError, match="share colours"):
        assert_distinct_colours(["#b3b3b3", "#117733", "#B3B3B3"])


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", sorted(CASES))
def test_no_chart_draws_labels_over_each_other(name, lang):
    assert_clear_labels(CASES[name](lang, "column"))


# --- the charts of issue 15 --------------------------------------------------------------------


def spices_ladder_frame() -> pd.DataFrame:
    """Six spices in one mixed-stage column, close medians and long ranges (the spices brief)."""
    spec = {  # product: (low, median, high) US$ per kg
        "ginger_mixed": (0.5, 1.1, 1.9),
        "pepper_mixed": (2.1, 3.2, 8.1),
        "cinnamon_mixed": (1.9, 3.4, 4.1),
        "cloves_mixed": (3.3, 3.9, 5.0),
        "nutmeg_mace_cardamoms": (4.6, 4.8, 7.7),
        "vanilla_mixed": (117.0, 188.0, 363.0),
    }
    rows = [
        ("IDN", "test_fao", "spices", product, "mixed", 2016 + i, 1e7, v)
        for product, values in spec.items()
        for i, v in enumerate(values)
    ]
    cols = ["reporter", "source", "chain", "product", "stage", "year", "value_usd", "usd_per_kg"]
    return pd.DataFrame(rows, columns=cols)


def stainless_ladder_frame() -> pd.DataFrame:
    """Two stainless products of one stage at close unit values (the minerals brief)."""
    spec = {
        "nickel_ore": ("raw", 0.03),
        "ferronickel": ("intermediate", 1.6),
        "stainless_semis": ("processed", 1.5),
        "stainless_flat": ("processed", 1.65),
    }
    rows = [
        ("IDN", "test_trade", "nickel", product, stage, year, 1e8, uv * (1 + 0.05 * (year % 2)))
        for product, (stage, uv) in spec.items()
        for year in range(2016, 2021)
    ]
    cols = ["reporter", "source", "chain", "product", "stage", "year", "value_usd", "usd_per_kg"]
    return pd.DataFrame(rows, columns=cols)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("frame", [spices_ladder_frame, stainless_ladder_frame])
def test_ladder_labels_clear_of_each_other_and_of_range_lines(frame, lang, size):
    fig = P.plot_unit_value_ladder(
        frame(), lang=lang, geography="IDN", size=size, sources=[FAO, TRADE]
    )
    assert_clear_labels(fig, lines=True)
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    right = fig.axes[0].get_window_extent().x1
    assert all(t.get_window_extent(renderer).x1 <= right + 1 for t in fig.axes[0].texts)


def close_ends_its() -> pd.DataFrame:
    """An event series whose observed value ends on its no-policy trend (the palm oil case)."""
    frame = its_frame()
    frame["observed"] = frame["counterfactual"] * 1.01
    frame["fitted"] = frame["counterfactual"] * 1.005
    return frame


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("frame", [its_frame, close_ends_its])
def test_policy_event_labels_never_collide(frame, lang, size):
    fig = P.plot_policy_event(
        frame(),
        events_frame(),
        lang=lang,
        geography="IDN",
        item="ferronickel",
        unit="usd",
        size=size,
        sources=[TRADE],
    )
    assert_clear_labels(fig)
    labels = end_label_colours(fig)
    assert {t("label.observed", lang), t("label.counterfactual", lang)} <= set(labels)
    assert_distinct_colours(labels.values())


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", LANGS)
def test_world_prices_series_each_their_own_colour(lang, size):
    fig = P.plot_world_prices(
        prices_frame(),
        lang=lang,
        series=["PALM_OIL", "SOYBEAN_OIL", "COCONUT_OIL"],
        size=size,
        sources=[PRICES],
    )
    assert_clear_labels(fig)
    labels = end_label_colours(fig)
    assert len(labels) == 3
    assert_distinct_colours(labels.values())
    label_inks = [to_hex(text.get_color()) for text in fig.axes[0].texts]
    assert_distinct_colours(label_inks)


FIVE = ["coffee", "spices", "rubber", "palm_oil", "nickel"]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", LANGS)
def test_small_multiples_one_panel_per_chain_unmeasured_said_in_words(lang, size):
    frame = processing_frame()
    frame = frame[frame["chain"].isin(["coffee", "nickel"])]
    fig = P.plot_small_multiples(
        frame, lang=lang, geography="IDN", chains=FIVE, size=size, sources=[FAO]
    )
    panels = [ax for ax in fig.axes if ax.get_visible() and ax.get_title(loc="left")]
    assert len(panels) == len(FIVE)
    said = t("label.no_share", lang)
    for ax, chain in zip(panels, FIVE, strict=True):
        if chain in ("coffee", "nickel"):
            # its own line only: no grey ghost of another chain
            assert [to_hex(line.get_color()) for line in ax.lines] == [chain_colour(chain).lower()]
            assert not ax.texts
        else:
            assert not ax.lines
            assert [" ".join(x.get_text().split()) for x in ax.texts] == [said]
    assert_clear_labels(fig)
    assert sorted(fig.hilir_data["chain"].unique()) == ["coffee", "nickel"]


def test_small_multiples_needs_one_measured_chain():
    with pytest.raises(HilirDataError, match="no rows for chains"):
        P.plot_small_multiples(processing_frame(), geography="IDN", chains=["tin", "spices"])


# --- jobs: the latest year is the year of what is drawn ----------------------------------------


def test_jobs_latest_year_is_the_base_year_not_a_cited_frames():
    newer = record("test_exports_all", "BPS", "BPS-Statistics Indonesia", 2024)
    fig = P.plot_jobs(
        jobs_frame(), lang="en", geography="ID-LA", years=2020, sources=[IO, TRADE, newer]
    )
    assert fig.hilir.latest_year == 2020
    assert fig.hilir.source_line.endswith("Latest data: 2020.")
    assert "scenario base year 2020" in fig.hilir.subtitle
    # without a base year: the latest year of the jobs' own inputs (the IO table, 2010)
    fig = P.plot_jobs(jobs_frame(), lang="id", geography="ID-LA", sources=[IO, TRADE, newer])
    assert fig.hilir.source_line.endswith("Data terakhir: 2010.")


def test_jobs_base_years_of_the_chains_drawn_only():
    frame = pd.concat([jobs_frame(), jobs_frame().assign(chain="nickel")], ignore_index=True)
    years = {"coffee": 2020, "nickel": 2013, "palm_oil": 2024}
    fig = P.plot_jobs(frame, lang="en", geography="ID-LA", years=years, sources=[IO, TRADE])
    assert fig.hilir.latest_year == 2020
    assert "scenario base years 2013, 2020" in fig.hilir.subtitle
    fig = P.plot_jobs(
        frame.assign(year=np.where(frame["chain"] == "coffee", 2011, 2013)),
        lang="en",
        geography="ID-LA",
        chains=["coffee"],
        sources=[IO, TRADE],
    )
    assert fig.hilir.latest_year == 2011
    with pytest.raises(HilirDataError, match="no base year for the chains"):
        P.plot_jobs(frame, geography="ID-LA", years={"coffee": 2020}, sources=[IO])
