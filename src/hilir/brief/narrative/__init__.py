"""Sentences of the briefs, with their numbers computed from the data, in id or en.

Every function takes the tidy frames of the models (the same frames the charts draw) and
returns one sentence (or a list of bullet items) in the brief's language. Templates live in
``hilir/i18n/sentences.csv`` and hold no numbers; numbers, money, percentages, ratios and
dates are formatted by :mod:`hilir.i18n` (``US$1,2 miliar`` / ``US$1.2 billion``). Each
sentence names its geography: national series say "Indonesia", provincial ones "Lampung".
A function whose data cannot support the sentence returns a sentence saying so, never a
number made up for the occasion.

Modules: :mod:`~hilir.brief.narrative.value` (shares, totals, uplift, scenarios, prices,
data gaps), :mod:`~hilir.brief.narrative.jobs` (jobs and multipliers),
:mod:`~hilir.brief.narrative.policy` (events, before/after, interrupted time series,
forecasts) and :mod:`~hilir.brief.narrative.lampung` (regencies, published totals).
"""

from __future__ import annotations

from hilir.brief.narrative._common import percent
from hilir.brief.narrative.bi import bi_extension, bi_extension_of
from hilir.brief.narrative.forecasts import (
    forecast_chart_title,
    forecast_checks,
    forecast_headline,
    forecast_range,
)
from hilir.brief.narrative.jobs import (
    direct_jobs_check,
    direct_jobs_note,
    jobs_headline,
    jobs_left_out,
    jobs_price_note,
    jobs_range,
    jobs_title,
    multiplier_top,
)
from hilir.brief.narrative.lampung import ports_of, published_exports, regency_top
from hilir.brief.narrative.policy import (
    backtest_summary,
    event_items,
    events_after_data,
    its_band_check,
    its_chart_title,
    its_deflator_note,
    its_effect,
    its_headline,
    policy_jump,
    provincial_events_note,
)
from hilir.brief.narrative.ports import ports_lead, show_ports
from hilir.brief.narrative.scenarios import (
    cited_split,
    scenario_headline,
    scenario_range,
    scenario_scale_check,
    scenario_title,
)
from hilir.brief.narrative.shares import share_headline
from hilir.brief.narrative.value import (
    data_gap,
    decomposition,
    export_total,
    price_gap,
    processing_share_change,
    production_change,
    series_change,
    uplift_top,
    world_price_change,
)

__all__ = [
    "backtest_summary",
    "bi_extension",
    "bi_extension_of",
    "cited_split",
    "data_gap",
    "decomposition",
    "direct_jobs_check",
    "direct_jobs_note",
    "event_items",
    "events_after_data",
    "export_total",
    "forecast_chart_title",
    "forecast_checks",
    "forecast_headline",
    "forecast_range",
    "its_band_check",
    "its_chart_title",
    "its_deflator_note",
    "its_effect",
    "its_headline",
    "jobs_headline",
    "jobs_left_out",
    "jobs_price_note",
    "jobs_range",
    "jobs_title",
    "multiplier_top",
    "percent",
    "policy_jump",
    "ports_lead",
    "ports_of",
    "price_gap",
    "processing_share_change",
    "production_change",
    "provincial_events_note",
    "published_exports",
    "regency_top",
    "scenario_headline",
    "scenario_range",
    "scenario_scale_check",
    "scenario_title",
    "series_change",
    "share_headline",
    "show_ports",
    "uplift_top",
    "world_price_change",
]
