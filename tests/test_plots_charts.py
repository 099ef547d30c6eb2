"""Chart functions: texts computed from the data, inputs checked, layout inside the page."""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from hilir import plots as P
from hilir.errors import HilirDataError
from hilir.i18n import ExchangeRate, format_percent
from hilir.plots import ChartMeta, figure_size
from plots_conftest import (
    CASES,
    FAO,
    IO,
    PRICES,
    PRODUCTION,
    TRADE,
    comparison_frame,
    decomposition_frame,
    events_frame,
    its_frame,
    jobs_frame,
    prices_frame,
    processing_frame,
    production_frame,
    scenario_frame,
    stage_frame,
    unit_value_frame,
    uplift_frame,
)

LANGS = ("id", "en")


# --- every chart ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", sorted(CASES))
def test_chart_carries_its_texts_data_and_sources(name, lang):
    fig = CASES[name](lang, "full")
    assert isinstance(fig, Figure)
    meta = fig.hilir
    assert isinstance(meta, ChartMeta)
    assert (meta.chart, meta.lang, meta.size) == (name, lang, "full")
    assert fig.hilir_data is meta.data and len(meta.data) > 0
    assert fig.hilir_sources == meta.sources.keys and meta.savable
    assert meta.source_line.startswith("Sumber:" if lang == "id" else "Source:")
    # a table hilir compiles (the export procedure) is not a calculation on the data
    compiled = name == "export_procedure"
    said = {("id", False): "diolah", ("en", False): "hilir calculations"}
    said |= {("id", True): "dihimpun hilir", ("en", True): "compiled by hilir"}
    if name == "monthly_totals":  # quoted as published: no calculation of hilir's
        assert not any(text in meta.source_line for text in said.values())
    else:
        assert said[lang, compiled] in meta.source_line
    assert meta.title[0].isupper() and meta.subtitle[0].isupper()
    printed = " ".join(t.get_text().replace("\n", " ") for t in fig.texts)
    for text in (meta.title, meta.subtitle, meta.source_line, meta.note_line):
        assert text in printed


@pytest.mark.parametrize("size", ["column", "full", "slide"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_every_text_stays_inside_the_figure(name, size):
    fig = CASES[name]("id", size)
    fs = figure_size(size)
    assert fig.get_size_inches()[0] == pytest.approx(fs.width)
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    box = fig.bbox
    texts = list(fig.texts)
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        texts += [*ax.texts, ax.title, ax.xaxis.label, ax.yaxis.label]
        for axis, (lo, hi) in ((ax.xaxis, ax.get_xlim()), (ax.yaxis, ax.get_ylim())):
            lo, hi = min(lo, hi), max(lo, hi)
            drawn = [t for t in axis.get_major_ticks() if lo <= t.get_loc() <= hi]
            texts += [t.label1 for t in drawn]
    for text in texts:
        if not text.get_visible() or not text.get_text():
            continue
        ext = text.get_window_extent(renderer)
        assert ext.x0 >= box.x0 - 1 and ext.x1 <= box.x1 + 1, (text.get_text(), ext)
        assert ext.y0 >= box.y0 - 1 and ext.y1 <= box.y1 + 1, (text.get_text(), ext)
        assert text.get_fontname() == "DejaVu Sans"


def test_languages_differ_and_numbers_follow_the_language():
    fig_id, fig_en = CASES["stage_share"]("id", "full"), CASES["stage_share"]("en", "full")
    assert fig_id.hilir.title != fig_en.hilir.title
    assert "," in fig_id.hilir.title.split("dari")[1] and "%" in fig_id.hilir.title
    ticks_id = [t.get_text() for t in fig_id.axes[0].get_yticklabels()]
    assert "100%" in ticks_id


def test_charts_do_not_leak_their_style():
    before = dict(mpl.rcParams)
    for name in CASES:
        CASES[name]("id", "column")
    after = dict(mpl.rcParams)
    assert {k: v for k, v in after.items() if before.get(k) != v} == {}


# --- stage shares --------------------------------------------------------------------------


def test_stage_share_title_is_computed_from_the_data():
    frame = stage_frame()
    fig = P.plot_stage_share(frame, lang="id", geography="IDN", sources=[TRADE])
    down = frame[frame["stage"].isin(["intermediate", "processed"])].groupby("year")["share"].sum()
    first, last = format_percent(down[2010], lang="id"), format_percent(down[2020], lang="id")
    assert first == "9,6%" and last == "79,8%"
    assert (
        fig.hilir.title
        == f"Porsi ekspor nikel yang diolah naik dari {first} (2010) menjadi {last} (2020)"
    )
    assert "Campuran tahap" in fig.hilir.note_line
    data = fig.hilir_data
    assert np.allclose(data.groupby("year")["share"].sum(), 1.0)
    assert list(data.columns) == [
        "chain",
        "geography",
        "year",
        "stage",
        "share",
        "amount",
        "source",
    ]


def _export_table() -> pd.DataFrame:
    """Three years of coffee exports, shaped like ``hilir.load_exports()``."""
    rows = [
        (year, "IDN", "WLD", "world", "export", "coffee", stage, value, 1e6, "test_trade", True)
        for year in (2018, 2019, 2020)
        for stage, value in (("raw", 600.0), ("processed", 400.0))
    ]
    columns = ["year", "reporter", "partner", "partner_type", "flow", "chain", "stage"]
    columns += ["value_usd", "net_weight_kg", "source", "preferred"]
    return pd.DataFrame(rows, columns=columns).assign(product="coffee_green")


def test_share_and_ladder_charts_refuse_the_export_table():
    """Plots draw model outputs: the annual totals behind a share come from hilir.value."""
    ex = _export_table()
    with pytest.raises(HilirDataError, match=r"export table.*hilir\.value\.stage_shares"):
        P.plot_stage_share(ex, geography="IDN")
    with pytest.raises(HilirDataError, match=r"export table.*hilir\.value\.stage_shares"):
        P.processing_share_data(ex, geography="IDN")
    with pytest.raises(HilirDataError, match=r"export table.*hilir\.value\.unit_values"):
        P.plot_unit_value_ladder(ex, geography="IDN")


def test_gapped_years_are_bars_not_an_interpolated_area():
    frame = stage_frame()
    frame = frame[frame["year"].isin([2010, 2015, 2020])]
    fig = P.plot_stage_share(frame, lang="id", geography="IDN", sources=[TRADE])
    ax = fig.axes[0]
    assert len(ax.patches) == 3 * 4 and not ax.collections


def test_data_of_another_geography_is_refused():
    with pytest.raises(HilirDataError, match="no rows for geography 'ID-LA'"):
        P.plot_stage_share(stage_frame(), geography="Lampung")
    with pytest.raises(HilirDataError, match="geography must be"):
        P.plot_stage_share(stage_frame(), geography="Sumatra")
    with pytest.raises(HilirDataError, match="geography must be"):  # a country, but no labels
        P.plot_stage_share(stage_frame(), geography="Vietnam")


def test_several_chains_need_a_choice():
    two = pd.concat([stage_frame(), stage_frame().assign(chain="coffee")])
    with pytest.raises(HilirDataError, match=r"several chain values \['coffee', 'nickel'\]"):
        P.plot_stage_share(two, geography="IDN")
    fig = P.plot_stage_share(two, geography="IDN", chain="coffee", sources=[TRADE])
    assert "kopi" in fig.hilir.title


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"lang": "fr"}, "lang"),
        ({"size": "poster"}, "size"),
        ({"measure": "weight"}, "measure"),
        ({"bound": "mid"}, "bound"),
    ],
)
def test_options_are_checked(kwargs, match):
    with pytest.raises(HilirDataError, match=match):
        P.plot_stage_share(stage_frame(), **{"geography": "IDN", **kwargs})


def test_small_multiples_panels_and_title():
    fig = P.plot_small_multiples(processing_frame(), lang="en", geography="IDN", sources=[FAO])
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(visible) == 5
    assert (
        fig.hilir.title
        == "Nickel is the most processed chain: 100.0% of its exports leave processed (2020)"
    )
    fig = P.plot_small_multiples(
        processing_frame(), geography="IDN", chains=["cocoa", "coffee"], sources=[FAO]
    )
    assert [a.get_title(loc="left").split()[0] for a in fig.axes if a.get_visible()] == [
        "Kakao",
        "Kopi",
    ]
    with pytest.raises(HilirDataError, match="no rows for chains"):
        P.plot_small_multiples(processing_frame(), geography="IDN", chains=["tin"])


# --- unit values and uplift ------------------------------------------------------------------


def test_ladder_drops_years_that_are_not_prices_and_says_so():
    fig = P.plot_unit_value_ladder(unit_value_frame(), lang="id", geography="IDN", sources=[TRADE])
    data = fig.hilir_data.set_index("product")
    ore = unit_value_frame().query("product == 'nickel_ore' and year < 2020 and year >= 2016")
    assert data.at["nickel_ore", "n_years"] == 4
    assert data.at["nickel_ore", "median_usd_per_kg"] == pytest.approx(
        ore["unit_value_usd_per_kg"].median()
    )
    assert data.at["ferronickel", "n_years"] == 5
    assert "Tahun tanpa berat" in fig.hilir.note_line
    assert "per kg produk, bukan per ton setara bahan mentah" in fig.hilir.note_line
    assert fig.axes[0].get_yscale() == "log"
    assert fig.hilir.title.startswith("Nilai satuan ekspor nikel berkisar dari US$0,04 per kg")


def test_ladder_in_rupiah_needs_and_states_the_rate():
    with pytest.raises(HilirDataError, match="ExchangeRate"):
        P.plot_unit_value_ladder(unit_value_frame(), geography="IDN", currency="IDR")
    fx = ExchangeRate(14_582, "Bank Indonesia", "2020")
    fig = P.plot_unit_value_ladder(
        unit_value_frame(), geography="IDN", currency="IDR", fx=fx, sources=[TRADE]
    )
    assert "Kurs Rp14.582 per US$, Bank Indonesia, 2020" in fig.hilir.note_line
    assert "Rp per kg" in fig.hilir.subtitle
    assert "Rp" in fig.hilir.title


def test_ladder_keeps_one_source_per_product():
    frame = unit_value_frame()
    extra = frame[(frame["product"] == "ferronickel") & (frame["year"] == 2020)].assign(
        source="test_fao", unit_value_usd_per_kg=99.0
    )
    fig = P.plot_unit_value_ladder(pd.concat([frame, extra]), geography="IDN", sources=[TRADE, FAO])
    row = fig.hilir_data.set_index("product").loc["ferronickel"]
    assert row["source"] == "test_trade" and row["high_usd_per_kg"] < 99


def test_uplift_bars_ranges_and_assumptions():
    fig = P.plot_uplift(uplift_frame(), lang="en", geography="IDN", sources=[TRADE])
    data = fig.hilir_data
    assert set(data["year"]) == {2019} and "nickel_ore" not in set(data["product"])
    assert list(data["central"]) == sorted(data["central"])
    assert fig.hilir.title == (
        "Flat-rolled stainless steel: 4.0–8.3 times the raw value per raw-equivalent tonne (2019)"
    )
    hatched = [p for p in fig.axes[0].patches if p.get_hatch()]
    assert len(hatched) == 1
    assert "Hatched bars rest on a cited assumption" in fig.hilir.note_line
    assert "other inputs" in fig.hilir.note_line
    older = P.plot_uplift(uplift_frame(), geography="IDN", year=2018, sources=[TRADE])
    assert set(older.hilir_data["year"]) == {2018}


def test_uplift_needs_all_three_bounds():
    frame = uplift_frame()
    with pytest.raises(HilirDataError, match=r"lacks bound \['high'\]"):
        P.plot_uplift(frame[frame["bound"] != "high"], geography="IDN")
    wide = pd.DataFrame(
        {
            "product": ["tyres"],
            "stage": ["processed"],
            "uplift_low": [2.0],
            "uplift_central": [3.0],
            "uplift_high": [4.5],
            "chain": ["rubber"],
        }
    )
    fig = P.plot_uplift(wide, lang="id", geography="IDN", sources=["x"], size="column")
    assert fig.hilir.title == "Ban: 2,0–4,5 kali nilai bahan mentah per ton setara bahan mentah"
    assert not fig.hilir.savable


# --- scenario and waterfall ------------------------------------------------------------------


def test_scenario_fan_title_and_range():
    fig = P.plot_scenario_fan(scenario_frame(), lang="id", geography="IDN", sources=[TRADE, FAO])
    assert fig.hilir.title == (
        "Mengolah 50% ekspor kopi mentah di dalam negeri menambah ekspor US$75–655 juta per tahun"
    )
    assert list(fig.hilir_data["share"]) == [0.1, 0.2, 0.3, 0.4, 0.5]
    assert "basis 2015" in fig.hilir.subtitle
    bad = scenario_frame().assign(share=lambda d: d["share"] * 10)
    with pytest.raises(HilirDataError, match="outside 0-1"):
        P.plot_scenario_fan(bad, geography="IDN")
    years = pd.concat([scenario_frame(), scenario_frame().assign(year=2016)])
    with pytest.raises(HilirDataError, match="several base years"):
        P.plot_scenario_fan(years, geography="IDN")


def test_scenario_losing_value_says_change():
    frame = scenario_frame().assign(delta_value_usd=lambda d: d["delta_value_usd"] - 0.4e9)
    fig = P.plot_scenario_fan(frame, lang="en", geography="IDN", sources=[TRADE])
    assert "would change exports by -US$" in fig.hilir.title


def test_scenario_fan_draws_value_added_where_the_scenario_has_it():
    """Domestic value added retained (here 30 % of the gross change) is drawn and labelled
    whenever every point has it; gross exports only when asked or when it is missing."""
    frame = scenario_frame().assign(delta_domestic_va_usd=lambda d: 0.3 * d["delta_value_usd"])
    fig = P.plot_scenario_fan(frame, lang="en", geography="IDN", sources=[TRADE])
    data = fig.hilir_data.set_index("share")
    assert (data["measure"] == "value_added").all()
    assert data.loc[0.5, "central"] == pytest.approx(0.3 * 0.5 * 460e6)
    assert "domestic value added" in fig.hilir.title
    assert fig.hilir.subtitle.startswith("Change in annual domestic value added")
    gross = P.plot_scenario_fan(frame, lang="en", geography="IDN", sources=[TRADE], measure="gross")
    assert gross.hilir_data.set_index("share").loc[0.5, "central"] == pytest.approx(230e6)
    assert "to exports" in gross.hilir.title
    part = frame.copy()
    part.loc[part.index[0], "delta_domestic_va_usd"] = float("nan")
    auto = P.plot_scenario_fan(part, lang="en", geography="IDN", sources=[TRADE])
    assert (auto.hilir_data["measure"] == "gross").all()
    with pytest.raises(ValueError, match="measure must be"):
        P.plot_scenario_fan(frame, geography="IDN", measure="net")  # type: ignore[arg-type]


def test_waterfall_bars_add_up():
    fig = P.plot_waterfall(decomposition_frame(), lang="en", geography="IDN", sources=[TRADE])
    data = fig.hilir_data
    assert list(data["part"]) == ["start", "volume", "price", "mix", "end"]
    effects = data.set_index("part")["change_usd"]
    assert effects["end"] == pytest.approx(
        effects["start"] + effects[["volume", "price", "mix"]].sum()
    )
    assert data.set_index("part").at["mix", "base_usd"] == pytest.approx(0.27e9 + 5.3e9 + 0.1e9)
    assert data.set_index("part").at["price", "low_usd"] == pytest.approx(-0.3e9)
    assert fig.hilir.title == (
        "Nickel export value rose by US$7.1 billion over 2005–2019, mostly through the volume "
        "(raw-equivalent tonnes)"
    )
    assert "Thin lines" in fig.hilir.note_line


def test_waterfall_checks_effects():
    frame = decomposition_frame()
    with pytest.raises(HilirDataError, match=r"lacks effects \['mix'\]"):
        P.plot_waterfall(frame[frame["effect"] != "mix"], geography="IDN")
    with pytest.raises(HilirDataError, match="unknown effects"):
        P.plot_waterfall(frame.replace({"effect": {"mix": "other"}}), geography="IDN")


# --- jobs ----------------------------------------------------------------------------------


def test_jobs_are_always_ranges():
    fig = P.plot_jobs(jobs_frame(), lang="id", geography="ID-LA", sources=[IO, TRADE])
    assert fig.hilir.title == (
        "Mengolah 20% ekspor kopi mentah di dalam negeri dapat menambah 19,1–68,0 ribu "
        "lapangan kerja di Lampung"
    )
    assert list(fig.hilir_data["kind"]) == ["direct", "indirect", "induced", "total"]
    assert "test_io" in fig.hilir.sources.keys
    frame = jobs_frame()
    drop = (frame["kind"] == "direct") & (frame["bound"] == "low")
    with pytest.raises(HilirDataError, match="always shown as a range"):
        P.plot_jobs(frame.assign(jobs=frame["jobs"].where(~drop)), geography="ID-LA")
    with pytest.raises(HilirDataError, match=r"lacks bound \['low'\]"):
        P.plot_jobs(frame[frame["bound"] != "low"], geography="ID-LA")
    with pytest.raises(HilirDataError, match="no rows for geography 'IDN'"):
        P.plot_jobs(frame, geography="IDN")


def test_jobs_without_employment_accounts_leave_kinds_out_and_say_so():
    frame = jobs_frame()
    gone = frame["kind"].isin(["indirect", "induced"])
    fig = P.plot_jobs(
        frame.assign(jobs=frame["jobs"].where(~gone)),
        lang="en",
        geography="ID-LA",
        sources=[IO],
    )
    assert list(fig.hilir_data["kind"]) == ["direct", "total"]
    assert "Not available: indirect, induced" in fig.hilir.note_line


def test_jobs_with_several_shares_need_one():
    two = pd.concat([jobs_frame(), jobs_frame().assign(share=0.4)])
    with pytest.raises(HilirDataError, match="several scenario shares"):
        P.plot_jobs(two, geography="ID-LA")
    fig = P.plot_jobs(two, geography="ID-LA", share=0.4, sources=[IO])
    assert "40%" in fig.hilir.title


# --- policy events -------------------------------------------------------------------------


def test_policy_event_title_events_and_band():
    fig = P.plot_policy_event(
        its_frame(),
        events_frame(),
        lang="en",
        geography="IDN",
        item="ferronickel",
        unit="usd",
        sources=[TRADE],
    )
    last = its_frame().iloc[-1]
    ratio = last["observed"] / last["counterfactual"]
    assert fig.hilir.title == (
        f"Ferronickel export value in 2020: US$4.0 billion, {ratio:.1f} times the no-policy trend"
    )
    assert len(fig.hilir.extra["events"]) == 2
    assert "95% confidence interval" in fig.hilir.subtitle
    labels = [t.get_text() for t in fig.axes[0].texts]
    assert any("Nickel ore export ban (12 January 2014)" in x.replace("\n", " ") for x in labels)


def test_policy_event_labels_come_from_the_policy_table():
    events = events_frame()[["event_id", "start_date"]]
    fig = P.plot_policy_event(
        its_frame(), events, lang="id", geography="IDN", unit="usd", sources=[TRADE]
    )
    labels = " ".join(t.get_text().replace("\n", " ") for t in fig.axes[0].texts)
    assert "Larangan ekspor bijih nikel mentah" in labels


def test_policy_event_needs_a_unit_for_a_plain_frame():
    with pytest.raises(HilirDataError, match="unit"):
        P.plot_policy_event(its_frame(), events_frame(), geography="IDN")


def test_policy_event_from_a_fitted_model():
    from hilir.policy import fit_its

    series = its_frame()[["year", "observed"]].rename(columns={"observed": "value"})
    series["unit"] = "USD"
    fit = fit_its(series, events=["nickel_ore_ban_2014"], scale="log")
    fig = P.plot_policy_event(fit, lang="id", geography="IDN", item="ferronickel", sources=[TRADE])
    assert fig.hilir.title.startswith("Nilai ekspor feronikel 2020: US$4,0 miliar")
    assert len(fig.hilir.extra["events"]) == 1


# --- production and prices -------------------------------------------------------------------


def test_regency_bars_share_and_order():
    fig = P.plot_regency_production(
        production_frame(), lang="en", crop="coffee_robusta", sources=[PRODUCTION]
    )
    data = fig.hilir_data
    assert "Lampung" not in set(data["geo_name"])  # the province row is not a regency
    assert data["share"].sum() == pytest.approx(1.0)
    assert data["geo_name"].iloc[0] == "Lampung Barat"
    share = 56054 / production_frame().query("geo_level == 'regency'")["production_t"].sum()
    assert fig.hilir.title == (
        f"Lampung Barat grows {format_percent(share, lang='en', decimals=0)} of Lampung's "
        "robusta coffee (2022)"
    )
    assert "Smallholder plantations only" in fig.hilir.note_line


def test_regency_bars_check_their_input():
    frame = production_frame()
    with pytest.raises(HilirDataError, match="crops: \\['coffee_robusta'\\]"):
        P.plot_regency_production(frame, crop="pepper")
    with pytest.raises(HilirDataError, match="no regency values of area_ha"):
        P.plot_regency_production(frame, crop="coffee_robusta", measure="area")
    with pytest.raises(HilirDataError, match="two rows"):
        P.plot_regency_production(pd.concat([frame, frame]), crop="coffee_robusta")
    with pytest.raises(HilirDataError, match="Lampung"):
        P.plot_regency_production(frame, crop="coffee_robusta", geography="IDN")


def test_world_prices_units_and_index():
    prices = prices_frame()
    fig = P.plot_world_prices(
        prices, lang="id", series=["PALM_OIL", "SOYBEAN_OIL"], sources=[PRICES]
    )
    assert "US$ per ton" in fig.hilir.subtitle and "pasar dunia" in fig.hilir.subtitle
    mixed = pd.concat(
        [prices, prices.query("series == 'PALM_OIL'").assign(series="COCOA", unit="USD/kg")]
    )
    with pytest.raises(HilirDataError, match="different units"):
        P.plot_world_prices(mixed, series=["PALM_OIL", "COCOA"])
    fig = P.plot_world_prices(
        mixed, lang="en", series=["PALM_OIL", "COCOA"], rebase=2010, sources=[PRICES]
    )
    data = fig.hilir_data
    assert data.loc[data["year"] == 2010, "value"].tolist() == pytest.approx([100.0, 100.0])
    assert "2010 average = 100" in fig.hilir.subtitle
    with pytest.raises(HilirDataError, match="NICKEL"):
        P.plot_world_prices(prices, series=["NICKEL"])


def test_world_prices_keep_one_source_per_series():
    prices = prices_frame()
    extra = prices[prices["year"] >= 2015].assign(source="test_other", price=1.0)
    fig = P.plot_world_prices(pd.concat([prices, extra]), series=["PALM_OIL"], sources=[PRICES])
    assert set(fig.hilir_data["source"]) == {"test_prices"}


def test_price_comparison_cites_both_sources_and_skips_flagged_years():
    frame = comparison_frame()
    frame.loc[frame["year"] == 2020, "flag"] = "tiny_weight"
    frame.loc[frame["year"] == 2020, "comparable_usd_per_t"] = 5.0
    fig = P.plot_price_comparison(frame, lang="en", geography="IDN", sources=[FAO, PRICES])
    assert fig.hilir.source_line.startswith("Source: FAOSTAT; World Bank (Pink Sheet)")
    assert fig.hilir.title.endswith("(2019)")
    assert "Open dots" in fig.hilir.note_line
