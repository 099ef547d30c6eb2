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
from hilir.brief.narrative.jobs import (
    jobs_left_out,
    jobs_price_note,
    jobs_range,
    jobs_title,
    multiplier_top,
)
from hilir.brief.narrative.lampung import published_exports, regency_top
from hilir.brief.narrative.policy import (
    backtest_summary,
    event_items,
    events_after_data,
    forecast_range,
    its_effect,
    policy_jump,
)
from hilir.brief.narrative.value import (
    data_gap,
    decomposition,
    export_total,
    price_gap,
    processing_share_change,
    production_change,
    scenario_range,
    series_change,
    uplift_top,
    world_price_change,
)

__all__ = [
    "backtest_summary",
    "data_gap",
    "decomposition",
    "event_items",
    "events_after_data",
    "export_total",
    "forecast_range",
    "its_effect",
    "jobs_left_out",
    "jobs_price_note",
    "jobs_range",
    "jobs_title",
    "multiplier_top",
    "percent",
    "policy_jump",
    "price_gap",
    "processing_share_change",
    "production_change",
    "published_exports",
    "regency_top",
    "scenario_range",
    "series_change",
    "uplift_top",
    "world_price_change",
]
