"""The chart gallery's examples: one per chart kind, drawn from :class:`ShippedData`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
from matplotlib.figure import Figure

from hilir.report.gallery_data import NICKEL_EVENTS, ShippedData

#: Charts without a gallery example, and why.
NOT_IN_GALLERY = {
    "ports": "no port-of-loading data are shipped yet (data/raw has no BPS file with ports)",
}


@dataclass(frozen=True)
class Example:
    """One gallery chart.

    Attributes
    ----------
    name : str
        File stem (``stage_share_nickel``).
    chart : str
        Chart kind (a key of :data:`hilir.plots.CHARTS`).
    frame : str
        The frame the chart is drawn from, for the gallery page.
    draw : callable
        ``draw(data, lang, size)`` -> Figure, with ``data`` a :class:`ShippedData`.
    """

    name: str
    chart: str
    frame: str
    draw: Callable[[ShippedData, str, str], Figure]


def _value_examples() -> list[Example]:
    """Charts of the value model (stages, unit values, uplift, scenario, growth)."""
    from hilir import plots as P

    return [
        Example(
            "stage_share_nickel",
            "stage_share",
            "hilir.value.stage_shares(exports, chain='nickel')",
            lambda d, lang, size: P.plot_stage_share(
                d.stage_shares_nickel, lang=lang, geography="IDN", chain="nickel", size=size
            ),
        ),
        Example(
            "small_multiples",
            "small_multiples",
            "hilir.value.processing_share(exports)",
            lambda d, lang, size: P.plot_small_multiples(
                d.processing_shares,
                lang=lang,
                geography="IDN",
                chains=["coffee", "rubber", "palm_oil", "nickel", "cocoa", "cassava"],
                size=size,
            ),
        ),
        Example(
            "unit_value_ladder_nickel",
            "unit_value_ladder",
            "hilir.value.unit_values(exports, chain='nickel', preferred_only=True)",
            lambda d, lang, size: P.plot_unit_value_ladder(
                d.unit_values_nickel, lang=lang, geography="IDN", chain="nickel", size=size
            ),
        ),
        Example(
            "uplift_nickel",
            "uplift",
            "hilir.value.uplift(exports, chain='nickel')",
            lambda d, lang, size: P.plot_uplift(
                d.uplift_nickel, lang=lang, geography="IDN", chain="nickel", year=2019, size=size
            ),
        ),
        Example(
            "scenario_fan_coffee",
            "scenario_fan",
            "hilir.value.scenario_summary(hilir.value.scenario(exports, chain='coffee', ...))",
            lambda d, lang, size: P.plot_scenario_fan(
                d.scenario_summary(), lang=lang, geography="IDN", chain="coffee", size=size
            ),
        ),
        Example(
            "waterfall_nickel",
            "waterfall",
            "hilir.value.decompose_growth(exports, chain='nickel', year_from=2005, year_to=2019)",
            lambda d, lang, size: P.plot_waterfall(
                d.decomposition_nickel, lang=lang, geography="IDN", chain="nickel", size=size
            ),
        ),
    ]


def _model_examples() -> list[Example]:
    """Jobs, policy, production and price charts."""
    from hilir import plots as P
    from hilir.brief.narrative import jobs_title

    return [
        Example(
            "jobs_coffee_lampung",
            "jobs",
            "jobs_from_scenario(scenario_changes(brief.lampung.production_scenario(...)))",
            lambda d, lang, size: P.plot_jobs(
                d.jobs_coffee,
                lang=lang,
                geography="ID-LA",
                size=size,
                title=jobs_title(d.jobs_coffee, lang=lang, share=0.2, crop="coffee_robusta"),
                sources=_keys(d.lampung_coffee),
            ),
        ),
        Example(
            "policy_event_ferronickel",
            "policy_event",
            "hilir.policy.fit_its(trade_series(exports, hs_code='720260'), events=[...])",
            lambda d, lang, size: P.plot_policy_event(
                d.its_ferronickel,
                lang=lang,
                geography="IDN",
                item="ferronickel",
                size=size,
                sources=_keys(d.ferronickel_series),
            ),
        ),
        Example(
            "regency_coffee_robusta",
            "regency_production",
            "hilir.load_production()",
            lambda d, lang, size: P.plot_regency_production(
                d.production, lang=lang, crop="coffee_robusta", size=size
            ),
        ),
        Example(
            "world_prices_palm_oil",
            "world_prices",
            "hilir.load_prices()",
            lambda d, lang, size: P.plot_world_prices(
                d.prices,
                lang=lang,
                series=["PALM_OIL", "SOYBEAN_OIL", "COCONUT_OIL"],
                years=(2000, 2023),
                size=size,
            ),
        ),
        Example(
            "price_comparison_palm_oil",
            "price_comparison",
            "hilir.value.compare_world_prices(unit_values(exports), prices)",
            lambda d, lang, size: P.plot_price_comparison(
                d.price_comparison,
                lang=lang,
                geography="IDN",
                product="palm_oil_mixed",
                size=size,
            ),
        ),
    ]


def _series_examples() -> list[Example]:
    """Annual series, forecast and published monthly totals."""
    from hilir import plots as P
    from hilir.brief.lampung import monthly_totals

    return [
        Example(
            "series_coal",
            "series",
            "hilir.plots.series_data({'coal': hilir.policy.trade_series(exports, hs_code='2701')})",
            lambda d, lang, size: P.plot_series(
                P.series_data({"coal": d.coal_series}), lang=lang, geography="IDN", size=size
            ),
        ),
        Example(
            "forecast_pepper",
            "forecast",
            "hilir.policy.forecast(trade_series(exports, item_code='687'), horizon=3)",
            lambda d, lang, size: P.plot_forecast(
                d.pepper_forecast,
                lang=lang,
                geography="IDN",
                item="pepper_mixed",
                size=size,
                sources=_keys(d.pepper_series),
            ),
        ),
        Example(
            "monthly_totals_lampung",
            "monthly_totals",
            "hilir.brief.lampung.monthly_totals(hilir.load_published())",
            lambda d, lang, size: P.plot_monthly_totals(
                monthly_totals(d.published), lang=lang, size=size
            ),
        ),
    ]


def _market_examples() -> list[Example]:
    """Charts of the markets model (the ports chart waits for shipped port data)."""
    from hilir import plots as P
    from hilir.brief import markets as M
    from hilir.markets import flagship_scores, flagship_sensitivity

    return [
        Example(
            "concentration_markets",
            "concentration",
            "hilir.brief.overview.market_concentrations(exports)",
            lambda d, lang, size: M.plot_concentration_of(
                d.market_concentrations, lang=lang, size=size
            ),
        ),
        Example(
            "destinations_copper_ore",
            "destinations",
            "hilir.markets.destination_profile(exports, product='copper_ore')",
            lambda d, lang, size: M.plot_destinations_of(
                d.destinations_copper, lang=lang, top=8, size=size
            ),
        ),
        Example(
            "world_share_stainless",
            "world_share",
            "hilir.markets.world_share(load_trade(source='comtrade_world_7218'), ...)",
            lambda d, lang, size: M.plot_world_share_of(
                d.world_stainless, lang=lang, reporter="IDN", events=NICKEL_EVENTS, size=size
            ),
        ),
        Example(
            "flagship",
            "flagship",
            "hilir.markets.flagship_scores(flagship_indicators(exports))",
            lambda d, lang, size: P.plot_flagship(
                flagship_scores(d.flagship_indicators), lang=lang, size=size
            ),
        ),
        Example(
            "flagship_sensitivity",
            "flagship_sensitivity",
            "hilir.markets.flagship_sensitivity(flagship_indicators(exports))",
            lambda d, lang, size: P.plot_flagship_sensitivity(
                flagship_sensitivity(d.flagship_indicators), lang=lang, size=size
            ),
        ),
        Example(
            "export_procedure_coffee",
            "export_procedure",
            "hilir.markets.export_procedure(chain='coffee')",
            lambda d, lang, size: M.plot_export_procedure_of(
                chain="coffee", lang=lang, geography="ID-LA", size=size
            ),
        ),
    ]


def _keys(frame: pd.DataFrame) -> list[str]:
    from hilir.plots.sources import frame_keys

    return frame_keys(frame)


def examples() -> list[Example]:
    """Every gallery example, one per chart kind, in the order of the gallery page."""
    return _value_examples() + _model_examples() + _series_examples() + _market_examples()
