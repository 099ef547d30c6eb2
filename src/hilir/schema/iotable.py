"""The input-output table type every IO reader returns and the jobs model uses.

:class:`IOTable` holds the domestic intermediate matrix, the final-demand columns, the
value-added rows, imports and total output, with sector codes and names
(readers: :mod:`hilir.sources.io_bps`, :mod:`hilir.sources.io_wiod`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

#: Final-demand categories, in the order they are kept.
FINAL_DEMAND_CATEGORIES = (
    "household",
    "npish",
    "government",
    "investment",
    "stock_change",
    "exports_foreign",
    "exports_interprovincial",
    "exports",
)

#: Value-added rows kept in :attr:`IOTable.value_added`.
VALUE_ADDED_ROWS = (
    "wages",
    "operating_surplus",
    "depreciation",
    "net_indirect_taxes",
    "gross_value_added",
)


@dataclass(frozen=True, eq=False)
class IOTable:
    """A domestic input-output table at producer prices, ready for Leontief analysis.

    Attributes
    ----------
    Z : pandas.DataFrame
        Domestic intermediate transactions, supplying sector (rows) x using sector (columns),
        in :attr:`unit`. Index and columns are the sector codes (str).
    final_demand : pandas.DataFrame
        Sectors x final-demand categories (:data:`FINAL_DEMAND_CATEGORIES` that the table
        has), in :attr:`unit`. ``exports`` is used when a table does not split foreign from
        inter-provincial exports.
    value_added : pandas.DataFrame
        Rows ``wages``, ``operating_surplus``, ``depreciation``, ``net_indirect_taxes``,
        ``gross_value_added`` x sectors, in :attr:`unit`. Rows a table does not publish are
        NaN (WIOD has only ``gross_value_added``).
    imports : pandas.Series
        Imported intermediate inputs by using sector, in :attr:`unit`.
    output : pandas.Series
        Total output by sector, in :attr:`unit`.
    sectors : pandas.DataFrame
        ``code``, ``name_id``, ``name_en`` (NA when no translation is known).
    unit : {"juta Rp", "million USD"}
        Unit of every value (juta Rp = million rupiah).
    year : int
        Year of the table (current prices of that year).
    geography : str
        ISO 3166-2 province (``ID-LA``) or ``IDN``.
    source : str
        Provenance key of the file read.
    classification : str or None
        Key of the sector classification in ``refdata/io_sectors.csv`` the table matches
        (``bps_lampung_io2010`` ...), used for English names, Sakernas groups and product
        mappings; None for an unknown classification.
    imports_final_demand : pandas.Series or None
        Imports bought directly by each final-demand category (row 200 of a BPS domestic
        table under the final-demand columns), in :attr:`unit`; household consumption of
        imports is what the household income share of operating surplus is derived from.
    notes : str
        What the reader did (sheet read, checks passed).
    """

    Z: pd.DataFrame
    final_demand: pd.DataFrame
    value_added: pd.DataFrame
    imports: pd.Series
    output: pd.Series
    sectors: pd.DataFrame
    unit: Literal["juta Rp", "million USD"]
    year: int
    geography: str
    source: str
    classification: str | None = None
    imports_final_demand: pd.Series | None = None
    notes: str = field(default="", repr=False)

    @property
    def codes(self) -> list[str]:
        """Sector codes in table order."""
        return list(self.Z.index)

    @property
    def exports(self) -> pd.Series:
        """All exports by sector (foreign plus inter-provincial where split), in :attr:`unit`."""
        cols = [c for c in self.final_demand.columns if c.startswith("exports")]
        return self.final_demand[cols].sum(axis=1)

    @property
    def foreign_exports(self) -> pd.Series:
        """Exports abroad by sector; NaN when the table does not split exports (Babel, Kaltim).

        For a national table (WIOD) all exports are foreign.
        """
        if "exports_foreign" in self.final_demand.columns:
            return self.final_demand["exports_foreign"]
        if self.geography == "IDN" and "exports" in self.final_demand.columns:
            return self.final_demand["exports"]
        return pd.Series(np.nan, index=self.Z.index, name="exports_foreign")

    def totals(self) -> pd.Series:
        """Table totals, in :attr:`unit`.

        Returns
        -------
        pandas.Series
            Output, domestic intermediate transactions, intermediate imports, gross value
            added, wages, operating surplus, household consumption of domestic products, all
            exports and foreign exports (NaN when the table does not split exports).
        """
        va = self.value_added.sum(axis=1, min_count=1)
        fd = self.final_demand
        return pd.Series(
            {
                "output": self.output.sum(),
                "intermediate_domestic": self.Z.to_numpy().sum(),
                "imports_intermediate": self.imports.sum(),
                "gross_value_added": va["gross_value_added"],
                "wages": va["wages"],
                "operating_surplus": va["operating_surplus"],
                "household_consumption_domestic": fd["household"].sum(),
                "exports": self.exports.sum(),
                "exports_foreign": self.foreign_exports.sum(min_count=1),
            },
            name=f"{self.source} ({self.unit})",
        )
