"""Readers: one ``read_<source>(path, ...)`` per upstream format, each returning a tidy table.

The shipped data and a user's own downloads go through the same readers. Which reader reads
which shipped input is recorded in :mod:`hilir.sources.catalog`.
"""

from hilir.sources.baci import read_baci
from hilir.sources.bps_production import read_bps_production
from hilir.sources.bps_trade import read_bps_exports, read_bps_wide
from hilir.sources.comtrade import read_comtrade
from hilir.sources.destinations import read_destination_values
from hilir.sources.faostat import read_faostat_production, read_faostat_trade
from hilir.sources.ico import read_ico
from hilir.sources.io_bps import read_bps_io
from hilir.sources.io_wiod import read_wiod_niot
from hilir.sources.pinksheet import read_pinksheet
from hilir.sources.published import read_published_figures
from hilir.sources.sakernas import read_pprk_labour, read_sakernas
from hilir.sources.usda import read_usda_psd

__all__ = [
    "read_baci",
    "read_bps_exports",
    "read_bps_io",
    "read_bps_production",
    "read_bps_wide",
    "read_comtrade",
    "read_destination_values",
    "read_faostat_production",
    "read_faostat_trade",
    "read_ico",
    "read_pinksheet",
    "read_pprk_labour",
    "read_published_figures",
    "read_sakernas",
    "read_usda_psd",
    "read_wiod_niot",
]
