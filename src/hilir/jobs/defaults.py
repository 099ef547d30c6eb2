"""Default inputs of the jobs model, loaded through :mod:`hilir.data` when a caller gives none.

The model modules of :mod:`hilir.jobs` are pure functions of frames; this is the one module of
the package that reads shipped data: the default IO table of a geography, the product-to-sector
map, Sakernas employment, the rupiah per US dollar rate and the World Bank MUV index.
"""

from __future__ import annotations

import pandas as pd

from hilir.schema.iotable import IOTable

__all__ = [
    "default_employment",
    "default_io_table",
    "default_sector_map",
    "default_usd_idr_rate",
    "muv_prices",
]


def default_io_table(geography: str) -> IOTable:
    """The shipped IO table of ``geography`` (:func:`hilir.data.load_io_table`)."""
    from hilir.data import jobs_inputs

    return jobs_inputs.load_io_table(geography)


def default_sector_map() -> pd.DataFrame:
    """The shipped product-to-IO-sector map (:func:`hilir.data.io_sector_map`)."""
    from hilir.data import jobs_inputs

    return jobs_inputs.io_sector_map()


def default_usd_idr_rate(year: int) -> tuple[float, str]:
    """Rupiah per US dollar in ``year`` and its source (:func:`hilir.data.usd_idr_rate`)."""
    from hilir.data import jobs_inputs

    return jobs_inputs.usd_idr_rate(year)


def default_employment(year: int) -> pd.DataFrame:
    """Sakernas workers by province and sector for ``year`` (:func:`hilir.data.load_employment`)."""
    from hilir.data import jobs_inputs

    return jobs_inputs.load_employment(year)


def muv_prices() -> pd.DataFrame:
    """The shipped annual World Bank MUV index (:func:`hilir.data.load_prices`), USD index."""
    from hilir.data.load import load_prices

    return load_prices(series="MUV", frequency="annual")
