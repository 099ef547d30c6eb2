"""Charts of the brief: one style, two languages, sources generated from provenance.

Every chart function takes the tidy frames of :mod:`hilir.value`, :mod:`hilir.jobs` and
:mod:`hilir.policy` (or, where noted, the loaded tables themselves), applies the hilir style
itself, and returns a :class:`matplotlib.figure.Figure` with

- ``fig.hilir``: a :class:`ChartMeta` (title, subtitle, source and note lines, provenance);
- ``fig.hilir_data``: the tidy frame actually plotted (for the annex's data sheet);
- ``fig.hilir_sources``: the provenance keys of that data.

Titles state the finding and are computed from the data (``title_*`` functions) unless
the caller gives one; subtitles state measure, unit, period and geography; source lines
come from the provenance records. :func:`save_figure` writes reproducible PNG and SVG files
and refuses charts whose data has no provenance.

Charts
------
plot_stage_share
    Stacked area of stage shares over time (one chain).
plot_small_multiples
    Processed share over time, one panel per chain.
plot_unit_value_ladder
    Unit value per kg of product from raw to processed (log scale).
plot_uplift
    Value per raw-equivalent tonne relative to raw, with low-high ranges.
plot_scenario_fan
    Change in export value by share of raw exports processed at home, with its range.
plot_waterfall
    Change in export value split into volume, price and stage-mix effects.
plot_jobs
    Direct, indirect, induced and total jobs as points with intervals.
plot_policy_event
    Series with policy markers, fitted trend and no-policy counterfactual band.
plot_regency_production
    Lampung production (or area) of a crop by regency and city.
plot_world_prices
    World Bank prices over time.
plot_price_comparison
    Export unit value against its world price.
plot_series
    Annual export series (value or volume) of one or more items.
plot_forecast
    Observed series and its forecast with the prediction interval.
plot_monthly_totals
    Published monthly export totals of a province.
plot_destinations
    Export destinations of a product: shares, growth and unit values.
plot_concentration
    Concentration of exports over destinations (HHI and its equivalent number).
plot_world_share
    A reporter's share of world exports of a product, with policy markers.
plot_flagship
    Ranking of chains as flagship candidates, with each indicator's contribution.
plot_flagship_sensitivity
    How the flagship ranking moves under other indicator weights.
plot_ports
    Exports by port of loading (not provincial origin).
plot_export_procedure
    Steps, institutions and documents of an export procedure.
"""

from hilir.plots.charts_concentration import plot_concentration
from hilir.plots.charts_destinations import destination_data, plot_destinations
from hilir.plots.charts_flagship import plot_flagship, plot_flagship_sensitivity
from hilir.plots.charts_forecast import forecast_data, plot_forecast
from hilir.plots.charts_jobs import jobs_data, plot_jobs, title_jobs
from hilir.plots.charts_ladder import (
    plot_unit_value_ladder,
    title_unit_value_ladder,
    unit_value_data,
)
from hilir.plots.charts_policy import plot_policy_event, policy_event_data, title_policy_event
from hilir.plots.charts_ports import plot_ports
from hilir.plots.charts_prices import (
    plot_price_comparison,
    plot_world_prices,
    price_comparison_data,
    title_price_comparison,
    title_world_prices,
    world_price_data,
)
from hilir.plots.charts_procedure import plot_export_procedure
from hilir.plots.charts_production import plot_regency_production, regency_data, title_regency
from hilir.plots.charts_scenario import (
    plot_scenario_fan,
    plot_waterfall,
    scenario_data,
    title_scenario,
    title_waterfall,
    waterfall_data,
)
from hilir.plots.charts_series import (
    monthly_totals_data,
    plot_monthly_totals,
    plot_series,
    series_data,
)
from hilir.plots.charts_uplift import plot_uplift, title_uplift, uplift_data
from hilir.plots.charts_value import (
    plot_small_multiples,
    plot_stage_share,
    title_small_multiples,
    title_stage_share,
)
from hilir.plots.charts_world import plot_world_share
from hilir.plots.meta import ChartMeta, chart_meta
from hilir.plots.save import check_savable, save_figure
from hilir.plots.share_data import processing_share_data, stage_share_data
from hilir.plots.sources import SourceInfo, collect_sources, note_line, source_line
from hilir.plots.style import (
    CHAIN_COLOURS,
    SIZES,
    chain_colour,
    chart_style,
    figure_size,
    stage_colour,
    stage_ramp,
)

#: Every chart function, by chart kind (the ``chart`` of its :class:`ChartMeta`).
CHARTS = {
    "stage_share": plot_stage_share,
    "small_multiples": plot_small_multiples,
    "unit_value_ladder": plot_unit_value_ladder,
    "uplift": plot_uplift,
    "scenario_fan": plot_scenario_fan,
    "waterfall": plot_waterfall,
    "jobs": plot_jobs,
    "policy_event": plot_policy_event,
    "regency_production": plot_regency_production,
    "world_prices": plot_world_prices,
    "price_comparison": plot_price_comparison,
    "destinations": plot_destinations,
    "concentration": plot_concentration,
    "world_share": plot_world_share,
    "flagship": plot_flagship,
    "flagship_sensitivity": plot_flagship_sensitivity,
    "ports": plot_ports,
    "export_procedure": plot_export_procedure,
    "series": plot_series,
    "forecast": plot_forecast,
    "monthly_totals": plot_monthly_totals,
}

__all__ = [
    "CHAIN_COLOURS",
    "CHARTS",
    "SIZES",
    "ChartMeta",
    "SourceInfo",
    "chain_colour",
    "chart_meta",
    "chart_style",
    "check_savable",
    "collect_sources",
    "destination_data",
    "figure_size",
    "forecast_data",
    "jobs_data",
    "monthly_totals_data",
    "note_line",
    "plot_concentration",
    "plot_destinations",
    "plot_export_procedure",
    "plot_flagship",
    "plot_flagship_sensitivity",
    "plot_forecast",
    "plot_jobs",
    "plot_monthly_totals",
    "plot_policy_event",
    "plot_ports",
    "plot_price_comparison",
    "plot_regency_production",
    "plot_scenario_fan",
    "plot_series",
    "plot_small_multiples",
    "plot_stage_share",
    "plot_unit_value_ladder",
    "plot_uplift",
    "plot_waterfall",
    "plot_world_prices",
    "plot_world_share",
    "policy_event_data",
    "price_comparison_data",
    "processing_share_data",
    "regency_data",
    "save_figure",
    "scenario_data",
    "series_data",
    "source_line",
    "stage_colour",
    "stage_ramp",
    "stage_share_data",
    "title_jobs",
    "title_policy_event",
    "title_price_comparison",
    "title_regency",
    "title_scenario",
    "title_small_multiples",
    "title_stage_share",
    "title_unit_value_ladder",
    "title_uplift",
    "title_waterfall",
    "title_world_prices",
    "unit_value_data",
    "uplift_data",
    "waterfall_data",
    "world_price_data",
]
