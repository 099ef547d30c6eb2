"""The data layer: build the shipped and imported inputs, and load what was built.

* :mod:`hilir.data.pipeline` - ``hilir data build``: read every input with its reader,
  validate, flag, and write ``data/processed/*.parquet`` atomically with a data dictionary;
* :mod:`hilir.data.precedence` - which source counts where two cover the same flows;
* :mod:`hilir.data.load` - the loaders of the built tables (:func:`load_exports`, ...);
* :mod:`hilir.data.jobs_inputs` - loaders of the IO tables, Sakernas files and exchange rates;
* :mod:`hilir.data.importer` - ``hilir data import``: a user's own download with a sidecar;
* :mod:`hilir.data.fetching` - ``hilir data fetch`` (:func:`fetch`): current data, downloaded
  by :mod:`hilir.fetch` and filed as an import;
* :mod:`hilir.data.summary` - compact summaries of the built tables;
* :mod:`hilir.data.example` - a small synthetic example table for docs and tests.
"""

from __future__ import annotations

from hilir.data.example import load_example
from hilir.data.fetching import fetch
from hilir.data.importer import import_file
from hilir.data.jobs_inputs import (
    io_sector_map,
    load_employment,
    load_io_table,
    usd_idr_rate,
)
from hilir.data.load import (
    ensure_built,
    load_balances,
    load_bi_exports,
    load_bps_destinations,
    load_exports,
    load_port_exports,
    load_prices,
    load_production,
    load_published,
    load_trade,
)
from hilir.data.pipeline import BuildResult, build, discover_inputs

__all__ = [
    "BuildResult",
    "build",
    "discover_inputs",
    "ensure_built",
    "fetch",
    "import_file",
    "io_sector_map",
    "load_balances",
    "load_bi_exports",
    "load_bps_destinations",
    "load_employment",
    "load_example",
    "load_exports",
    "load_io_table",
    "load_port_exports",
    "load_prices",
    "load_production",
    "load_published",
    "load_trade",
    "usd_idr_rate",
]
