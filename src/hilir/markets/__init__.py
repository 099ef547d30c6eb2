"""Markets: destinations, concentration, world share and RCA, flagship ranking, ports, procedure.

The analytics behind the three non-processing asks of a provincial export strategy: trade
missions abroad (where exports go and which markets grow), promotion of flagship products
(a transparent ranking with printed weights) and diversification (concentration over
markets and products).

* :mod:`hilir.markets.destination_profiles` - destination profiles (value, volume, share, growth,
  unit value by market);
* :mod:`hilir.markets.concentration_indices` - Herfindahl-Hirschman index, its normalised and
  UNCTAD forms, the equivalent number of markets;
* :mod:`hilir.markets.concentration` - those indices over markets or products, as tables;
* :mod:`hilir.markets.world_shares` - world market share and rank;
* :mod:`hilir.markets.comparative_advantage` - Balassa RCA; a province against its nation;
* :mod:`hilir.markets.flagship` - flagship-product indicators;
* :mod:`hilir.markets.flagship_weights` - the weights of the flagship ranking;
* :mod:`hilir.markets.flagship_ranking` - flagship scores and their weight sensitivity;
* :mod:`hilir.markets.ports` - exports by port of loading;
* :mod:`hilir.markets.procedure` - the export procedure as bilingual reference data;
* :mod:`hilir.markets.growth` - compound annual growth.

Pure functions over tidy tables (``hilir.load_exports()``, ``hilir.load_trade()`` or a
user's download read by :mod:`hilir.sources`); every result names its geography, sources
and latest year. Charts are in :mod:`hilir.plots` (``plot_destinations`` ...).
"""

from __future__ import annotations

from hilir.i18n.labels import partner_label
from hilir.markets.caveats import source_caveats
from hilir.markets.comparative_advantage import province_rca, revealed_comparative_advantage
from hilir.markets.concentration import (
    concentration_change,
    concentration_reading,
    concentration_table,
    market_concentration,
    product_concentration,
)
from hilir.markets.concentration_indices import (
    equivalent_number,
    hhi,
    normalised_hhi,
    unctad_index,
)
from hilir.markets.destination_profiles import destination_profile, destinations
from hilir.markets.flagship import INDICATORS, flagship_indicators
from hilir.markets.flagship_ranking import flagship_scores, flagship_sensitivity
from hilir.markets.flagship_weights import check_weights, default_weights, weights_table
from hilir.markets.growth import cagr, cagr_between
from hilir.markets.ports import PORT_CAVEAT, exports_by_port, lampung_ports_summary
from hilir.markets.procedure import export_procedure
from hilir.markets.world_shares import (
    exporter_totals,
    reporter_share,
    share_around_events,
    share_change,
    world_share,
)

__all__ = [
    "INDICATORS",
    "PORT_CAVEAT",
    "cagr",
    "cagr_between",
    "check_weights",
    "concentration_change",
    "concentration_reading",
    "concentration_table",
    "default_weights",
    "destination_profile",
    "destinations",
    "equivalent_number",
    "export_procedure",
    "exporter_totals",
    "exports_by_port",
    "flagship_indicators",
    "flagship_scores",
    "flagship_sensitivity",
    "hhi",
    "lampung_ports_summary",
    "market_concentration",
    "normalised_hhi",
    "partner_label",
    "product_concentration",
    "province_rca",
    "reporter_share",
    "revealed_comparative_advantage",
    "share_around_events",
    "share_change",
    "source_caveats",
    "unctad_index",
    "weights_table",
    "world_share",
]
