"""Constants of the jobs scenario: geographies, bounds, kinds, the change and result columns."""

from __future__ import annotations

import re

GEOGRAPHIES: tuple[str, ...] = ("ID-LA", "IDN", "ID-BB")
BOUNDS: tuple[str, ...] = ("low", "central", "high")
KINDS: tuple[str, ...] = ("direct", "indirect", "induced", "total")
STAGES: tuple[str, ...] = ("raw", "intermediate", "processed")
CHANGE_COLUMNS: tuple[str, ...] = (
    "chain",
    "product",
    "stage",
    "bound",
    "delta_t",
    "delta_value_usd",
    "year",
)
RESULT_COLUMNS: tuple[str, ...] = (
    "geography",
    "table_source",
    "chain",
    "kind",
    "bound",
    "jobs",
    "value_added_idr_m",
    "import_leakage_idr_m",
    "va_per_direct_job_idr_m",
    "sector_va_per_worker_idr_m",
    "wage_per_direct_job_idr_m",
    "cited_direct_jobs",
    "direct_implausible",
    "complete",
    "basis",
    "sources",
    "source",
    "na_reason",
)
#: Spellings accepted in a ``geography`` column of the changes (codes or the value model's labels).
GEOGRAPHY_NAMES: dict[str, set[str]] = {
    "ID-LA": {"id-la", "lampung"},
    "IDN": {"idn", "indonesia"},
    "ID-BB": {"id-bb", "bangka belitung", "kepulauan bangka belitung"},
}
#: Household closure of the central bound (:mod:`hilir.jobs.households`).
_CENTRAL_INCOME = "wages"
#: A provenance key (``bps_lampung_io2010``); free text is not one.
_KEY = re.compile(r"[a-z][a-z0-9_]*")
_CENTRAL_RULE = "value_added"
#: How direct jobs are counted (:func:`hilir.jobs.jobs_from_scenario`), the default first.
DIRECT_RULES: tuple[str, ...] = ("checked", "cited", "io_average")
