"""Value-add models of the hilirisasi question.

Unit values, raw-equivalent volumes, processing share, uplift, growth decomposition,
scenarios, source reconciliation, constant prices and world prices.

Pure functions over tidy tables (``hilir.load_exports()``, ``load_prices()``,
``load_balances()``); they never read files and return tidy DataFrames with units in
column names, ``geography``, ``source`` and ``year``/``latest_year`` columns.
"""

from __future__ import annotations

from hilir.prices import annual_prices
from hilir.value.assumptions import validate_assumptions, value_assumptions
from hilir.value.bi_series import bi_chain_series, bi_groups, bi_trade_series
from hilir.value.cited_values import assumed_values
from hilir.value.coffee import coffee_processing_variants
from hilir.value.constant_prices import deflate
from hilir.value.decomposition import decompose_growth, shapley_decomposition
from hilir.value.equivalents import raw_equivalent, resolve_factors
from hilir.value.nickel import nickel_content, nickel_factor_estimates
from hilir.value.raw_unit_value import resolve_raw_unit_values
from hilir.value.reconciliation import reconcile, trade_totals
from hilir.value.scenarios import scenario, scenario_changes, scenario_summary
from hilir.value.shares import processing_share, processing_share_jump, stage_shares
from hilir.value.stages import default_splits, stage_table
from hilir.value.unit_value import unit_values
from hilir.value.uplifts import uplift
from hilir.value.value_added import io_value_added_shares
from hilir.value.world_prices import PAIRS, compare_world_prices

__all__ = [
    "PAIRS",
    "annual_prices",
    "assumed_values",
    "bi_chain_series",
    "bi_groups",
    "bi_trade_series",
    "coffee_processing_variants",
    "compare_world_prices",
    "decompose_growth",
    "default_splits",
    "deflate",
    "io_value_added_shares",
    "nickel_content",
    "nickel_factor_estimates",
    "processing_share",
    "processing_share_jump",
    "raw_equivalent",
    "reconcile",
    "resolve_factors",
    "resolve_raw_unit_values",
    "scenario",
    "scenario_changes",
    "scenario_summary",
    "shapley_decomposition",
    "stage_shares",
    "stage_table",
    "trade_totals",
    "unit_values",
    "uplift",
    "validate_assumptions",
    "value_assumptions",
]
