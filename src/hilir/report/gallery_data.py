"""The shipped tables and the model frames the chart gallery draws, computed once each."""

from __future__ import annotations

from functools import cached_property

import pandas as pd

#: Shares of raw exports moved to processing in the scenario examples.
SCENARIO_SHARES = (0.1, 0.2, 0.3, 0.4, 0.5)
#: The shipped file of every exporter of one product (world-share example).
WORLD_SOURCE = "comtrade_world_7218"
#: The ore export bans drawn on the nickel and stainless charts.
NICKEL_EVENTS = ("nickel_ore_ban_2014", "nickel_ore_ban_2020")


class ShippedData:
    """The shipped tables and the model frames the gallery draws, computed once each."""

    @cached_property
    def exports(self) -> pd.DataFrame:
        """Indonesia's exports (``hilir.load_exports(reporter="IDN")``)."""
        from hilir.data.load import load_exports

        return load_exports(reporter="IDN")

    @cached_property
    def production(self) -> pd.DataFrame:
        """The production table."""
        from hilir.data.load import load_production

        return load_production()

    @cached_property
    def prices(self) -> pd.DataFrame:
        """The prices table."""
        from hilir.data.load import load_prices

        return load_prices()

    @cached_property
    def stage_shares_nickel(self) -> pd.DataFrame:
        """:func:`hilir.value.stage_shares` of the nickel chain."""
        from hilir.value import stage_shares

        return stage_shares(self.exports, chain="nickel")

    @cached_property
    def processing_shares(self) -> pd.DataFrame:
        """:func:`hilir.value.processing_share` of every chain, by year."""
        from hilir.value import processing_share

        return processing_share(self.exports)

    @cached_property
    def unit_values_nickel(self) -> pd.DataFrame:
        """:func:`hilir.value.unit_values` of the nickel chain (preferred source)."""
        from hilir.value import unit_values

        return unit_values(self.exports, chain="nickel", preferred_only=True)

    @cached_property
    def uplift_nickel(self) -> pd.DataFrame:
        """:func:`hilir.value.uplift` of the nickel chain."""
        from hilir.value import uplift

        return uplift(self.exports, chain="nickel")

    @cached_property
    def scenario_coffee(self) -> pd.DataFrame:
        """Coffee scenario (2015 base): green coffee roasted at home, by share."""
        from hilir.value import scenario

        return scenario(self.exports, chain="coffee", year=2015, shares=list(SCENARIO_SHARES))

    @cached_property
    def decomposition_nickel(self) -> pd.DataFrame:
        """:func:`hilir.value.decompose_growth` of nickel exports, 2005 to 2019."""
        from hilir.value import decompose_growth

        return decompose_growth(self.exports, chain="nickel", year_from=2005, year_to=2019)

    @cached_property
    def lampung_coffee(self) -> pd.DataFrame:
        """Roasting 20 % of Lampung's 2017 robusta at home (the jobs brief's scenario).

        Sized by Lampung's own production (the shipped data hold no Lampung exports), with
        the roasted-coffee target of the jobs brief and its IO table's value-added shares.
        """
        from hilir.brief.lampung import production_scenario
        from hilir.data import load_io_table
        from hilir.value import io_value_added_shares

        return production_scenario(
            self.exports,
            self.production,
            crop="coffee_robusta",
            year=2017,
            shares=[0.2],
            target="coffee_roasted",
            value_added=io_value_added_shares(load_io_table("ID-LA")),
        )

    @cached_property
    def jobs_coffee(self) -> pd.DataFrame:
        """Jobs in Lampung of :attr:`lampung_coffee` (BPS Lampung IO table 2010)."""
        from hilir.jobs import jobs_from_scenario
        from hilir.value import scenario_changes

        changes = scenario_changes(self.lampung_coffee)
        return jobs_from_scenario(changes, geography="ID-LA", price_factor="muv")

    @cached_property
    def ferronickel_series(self) -> pd.DataFrame:
        """Ferronickel export value (HS 720260), the policy example's series."""
        from hilir.policy import trade_series

        return trade_series(self.exports, hs_code="720260", reporter="IDN")

    @cached_property
    def its_ferronickel(self) -> object:
        """Interrupted time series of ferronickel exports around the 2014 and 2020 ore bans."""
        from hilir.policy import fit_its

        return fit_its(
            self.ferronickel_series,
            events=list(NICKEL_EVENTS),
            scale="log",
        )

    @cached_property
    def price_comparison(self) -> pd.DataFrame:
        """:func:`hilir.value.compare_world_prices` of Indonesia's unit values."""
        from hilir.value import compare_world_prices, unit_values

        return compare_world_prices(unit_values(self.exports, preferred_only=True), self.prices)

    def scenario_summary(self) -> pd.DataFrame:
        """:func:`hilir.value.scenario_summary` of the coffee scenario."""
        from hilir.value import scenario_summary

        return scenario_summary(self.scenario_coffee)

    @cached_property
    def market_concentrations(self) -> pd.DataFrame:
        """Destination concentration of the products with partner data (the overview's)."""
        from hilir.brief.overview import market_concentrations

        return market_concentrations(self.exports)

    @cached_property
    def flagship_indicators(self) -> pd.DataFrame:
        """:func:`hilir.markets.flagship_indicators` of Indonesia's chains."""
        from hilir.markets import flagship_indicators

        return flagship_indicators(self.exports)

    @cached_property
    def destinations_copper(self) -> pd.DataFrame:
        """:func:`hilir.markets.destination_profile` of copper ore, the latest year."""
        from hilir.markets import destination_profile

        return destination_profile(self.exports, product="copper_ore")

    @cached_property
    def world_stainless(self) -> pd.DataFrame:
        """World shares of stainless-steel semis exporters (UN Comtrade file of HS 7218)."""
        from hilir.data.load import load_trade
        from hilir.markets import world_share

        return world_share(load_trade(source=WORLD_SOURCE), product="stainless_semis")

    @cached_property
    def published(self) -> pd.DataFrame:
        """The published monthly export totals (``hilir.load_published()``)."""
        from hilir.data.load import load_published

        return load_published()

    @cached_property
    def coal_series(self) -> pd.DataFrame:
        """Coal export value (HS 2701), the series example."""
        from hilir.policy import trade_series

        return trade_series(self.exports, hs_code="2701", reporter="IDN")

    @cached_property
    def pepper_series(self) -> pd.DataFrame:
        """Pepper export value (FAOSTAT item 687), the series the forecast extends."""
        from hilir.policy import trade_series

        return trade_series(self.exports, item_code="687", reporter="IDN")

    @cached_property
    def pepper_forecast(self) -> object:
        """Three-year forecast of :attr:`pepper_series`, the forecast example."""
        import warnings

        from hilir.policy import forecast

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return forecast(self.pepper_series, horizon=3)
