"""The catalogue of readers: the name a sidecar gives in ``reader`` -> the function that reads it.

It also holds the defaults that ``hilir data import`` writes into a new sidecar (publisher,
licence, chart label), so a user's download is cited as carefully as the shipped data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

import pandas as pd

from hilir.errors import HilirDataError
from hilir.sources._xlsx import with_sheet


@dataclass(frozen=True)
class ReaderInfo:
    """A reader and the provenance defaults for files it reads."""

    target: str
    table: str
    publisher: str
    licence: str
    label_id: str
    label_en: str
    url: str

    def function(self) -> Callable[..., pd.DataFrame]:
        """Import and return the reader function.

        A reader of CSV text also reads the ``.xlsx`` form of its table, with an option
        ``sheet`` (:func:`hilir.sources._xlsx.with_sheet`); IO-table readers read workbooks
        themselves.
        """
        module, name = self.target.split(":")
        reader = getattr(import_module(module), name)
        return reader if self.table == "io_table" else with_sheet(reader)


_COMTRADE = ("United Nations Statistics Division", "UN Comtrade terms of use (attribution)")
_BPS = ("BPS-Statistics Indonesia", "BPS terms of use (free reuse with attribution)")

READERS: dict[str, ReaderInfo] = {
    "comtrade": ReaderInfo(
        "hilir.sources.comtrade:read_comtrade",
        "trade",
        *_COMTRADE,
        "UN Comtrade",
        "UN Comtrade",
        "https://comtradeplus.un.org/",
    ),
    "baci": ReaderInfo(
        "hilir.sources.baci_file:read_baci_file",
        "trade",
        "CEPII",
        "Etalab Open Licence 2.0 (CEPII BACI)",
        "CEPII BACI",
        "CEPII BACI",
        "https://www.cepii.fr/CEPII/en/bdd_modele/bdd_modele_item.asp?id=37",
    ),
    "bps_exports": ReaderInfo(
        "hilir.sources.bps_trade:read_bps_exports",
        "trade",
        *_BPS,
        "BPS",
        "BPS-Statistics Indonesia",
        "https://www.bps.go.id/en/exim",
    ),
    "bps_wide": ReaderInfo(
        "hilir.sources.bps_trade:read_bps_wide",
        "trade",
        *_BPS,
        "BPS",
        "BPS-Statistics Indonesia",
        "https://www.bps.go.id/en/statistics-table",
    ),
    "bps_production": ReaderInfo(
        "hilir.sources.bps_production:read_bps_production",
        "production",
        *_BPS,
        "BPS",
        "BPS-Statistics Indonesia",
        "https://lampung.bps.go.id/",
    ),
    "destination_values": ReaderInfo(
        "hilir.sources.destinations:read_destination_values",
        "trade",
        *_COMTRADE,
        "UN Comtrade",
        "UN Comtrade",
        "https://comtradeplus.un.org/",
    ),
    "faostat_trade": ReaderInfo(
        "hilir.sources.faostat:read_faostat_trade",
        "trade",
        "FAO",
        "CC BY 4.0 (FAO statistical databases)",
        "FAOSTAT",
        "FAOSTAT",
        "https://www.fao.org/faostat/en/#data/TCL",
    ),
    "faostat_production": ReaderInfo(
        "hilir.sources.faostat:read_faostat_production",
        "production",
        "FAO",
        "CC BY 4.0 (FAO statistical databases)",
        "FAOSTAT",
        "FAOSTAT",
        "https://www.fao.org/faostat/en/#data/QCL",
    ),
    "usda_psd": ReaderInfo(
        "hilir.sources.usda:read_usda_psd",
        "balances",
        "USDA Foreign Agricultural Service",
        "Public domain (US government data)",
        "USDA PSD",
        "USDA PSD",
        "https://apps.fas.usda.gov/psdonline/app/index.html#/app/downloads",
    ),
    "ico": ReaderInfo(
        "hilir.sources.ico:read_ico",
        "balances",
        "International Coffee Organization",
        "ICO terms (attribution)",
        "ICO",
        "ICO",
        "https://www.ico.org/new_historical.asp",
    ),
    "pinksheet": ReaderInfo(
        "hilir.sources.pinksheet:read_pinksheet",
        "prices",
        "World Bank",
        "CC BY 4.0",
        "Bank Dunia (Pink Sheet)",
        "World Bank (Pink Sheet)",
        "https://www.worldbank.org/en/research/commodity-markets",
    ),
    "published_figures": ReaderInfo(
        "hilir.sources.published:read_published_figures",
        "published",
        "BPS Provinsi Lampung and agencies, as quoted in the press",
        "Facts quoted from official statistics",
        "BPS Provinsi Lampung (dikutip media)",
        "BPS Lampung Province (as quoted in the press)",
        "https://lampung.bps.go.id/",
    ),
    "bi_exports": ReaderInfo(
        "hilir.sources.bi:read_bi_exports",
        "bi_exports",
        "Bank Indonesia (in the Republic of Indonesia's Form 18-K/A, Exhibit 99.D, 2025)",
        "Public government filing (facts)",
        "Bank Indonesia (kelompok komoditas neraca pembayaran, bukan HS)",
        "Bank Indonesia (balance-of-payments commodity groups, not HS)",
        "https://www.sec.gov/cgi-bin/browse-edgar?action=getcompany&company=republic+of+indonesia&type=18-K",
    ),
    "bps_destinations": ReaderInfo(
        "hilir.sources.bps_trade:read_bps_wide",
        "bps_destinations",
        *_BPS,
        "BPS",
        "BPS-Statistics Indonesia",
        "https://www.bps.go.id/id/statistics-table",
    ),
    "bps_port_exports": ReaderInfo(
        "hilir.sources.bps_ports:read_bps_port_exports",
        "port_exports",
        *_BPS,
        "BPS (pelabuhan muat)",
        "BPS (port of loading)",
        "https://www.bps.go.id/en/exim",
    ),
    "bps_chapter_totals": ReaderInfo(
        "hilir.sources.bps_ports:read_bps_chapter_totals",
        "port_exports",
        *_BPS,
        "BPS",
        "BPS-Statistics Indonesia",
        "https://www.bps.go.id/en/exim",
    ),
    "bps_io": ReaderInfo(
        "hilir.sources.io_bps:read_bps_io",
        "io_table",
        *_BPS,
        "BPS (Tabel Input-Output)",
        "BPS (Input-Output Table)",
        "https://www.bps.go.id/",
    ),
    "wiod_niot": ReaderInfo(
        "hilir.sources.io_wiod:read_wiod_niot",
        "io_table",
        "World Input-Output Database (WIOD)",
        "Free to use with citation of Timmer et al. (2015)",
        "WIOD",
        "WIOD",
        "https://www.rug.nl/ggdc/valuechain/wiod/",
    ),
    "sakernas": ReaderInfo(
        "hilir.sources.sakernas:read_sakernas",
        "employment",
        *_BPS,
        "BPS (Sakernas)",
        "BPS (Sakernas)",
        "https://www.bps.go.id/",
    ),
}

#: Tables that ``hilir data build`` turns into Parquet files.
BUILT_TABLES = (
    "trade",
    "production",
    "prices",
    "balances",
    "published",
    "bi_exports",
    "port_exports",
    "bps_destinations",
)


def reader_info(name: str) -> ReaderInfo:
    """Look up a reader by the name used in sidecars and in ``hilir data import``.

    Raises
    ------
    HilirDataError
        If the name is unknown; the message lists the known names.
    """
    try:
        return READERS[name]
    except KeyError:
        known = ", ".join(sorted(READERS))
        raise HilirDataError(f"unknown source format {name!r}; known formats: {known}") from None
