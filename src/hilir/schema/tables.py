"""The tidy tables every reader returns, and their validation.

Each table is long, has a unique key, and carries its unit in the column name. Validation
raises :class:`~hilir.errors.HilirDataError` naming the file, the row and the column.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace
from os import PathLike
from typing import Any

import numpy as np
import pandas as pd

from hilir.errors import HilirDataError


@dataclass(frozen=True)
class Column:
    """One column of a tidy table: name, pandas dtype, unit and meaning."""

    name: str
    dtype: str
    unit: str
    meaning: str
    nullable: bool = False


@dataclass(frozen=True)
class TableSpec:
    """A tidy table: its columns in order and its unique key."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    description: str = ""
    nonnegative: tuple[str, ...] = field(default_factory=tuple)

    @property
    def names(self) -> list[str]:
        """Column names in order."""
        return [c.name for c in self.columns]

    def dtypes(self) -> dict[str, str]:
        """Mapping of column name to pandas dtype."""
        return {c.name: c.dtype for c in self.columns}


#: Partner types: the world total, a country, a residual ("Other Asia, nes", "Others"),
#: or an aggregate of countries ("EU-28"). Only ``country`` and ``residual`` rows add up to
#: the world; aggregates are kept out of partner-level sums.
PARTNER_TYPES = ("world", "country", "residual", "aggregate")
FLOWS = ("export", "import")

TRADE = TableSpec(
    name="trade",
    description="Exports and imports by year, reporter, partner and product code",
    columns=(
        Column("year", "int64", "year", "calendar year"),
        Column("month", "Int64", "month", "month 1-12 for monthly sources, empty for annual", True),
        Column("reporter", "string", "code", "ISO 3166-1 alpha-3 (IDN) or ISO 3166-2 (ID-LA)"),
        Column("partner", "string", "code", "ISO alpha-3, WLD for the world, or a residual code"),
        Column("partner_type", "string", "category", "world, country, residual or aggregate"),
        Column("flow", "string", "category", "export or import"),
        Column("hs_code", "string", "code", "HS code as reported, zero-padded (4, 6 or 8 digits)"),
        Column("hs6", "string", "code", "six-digit subheading of hs_code, empty if shorter"),
        Column("item_code", "string", "code", "source's own item code (FAOSTAT), empty otherwise"),
        Column("hs_revision", "string", "category", "HS1992 ... HS2022 when known", True),
        Column("value_usd", "float64", "USD", "trade value, current US dollars (not thousands)"),
        Column("net_weight_kg", "float64", "kg", "net weight in kilograms", True),
        Column("source", "string", "key", "key of the provenance record"),
    ),
    key=("source", "year", "month", "reporter", "partner", "flow", "hs_code", "item_code"),
    nonnegative=("value_usd", "net_weight_kg"),
)

PRODUCTION = TableSpec(
    name="production",
    description="Crop production and area by year and geography",
    columns=(
        Column("year", "int64", "year", "calendar year (crop year start for split years)"),
        Column("geo", "string", "code", "IDN, ID-LA (Lampung) or ID-LA-<regency slug>"),
        Column("geo_level", "string", "category", "country, province or regency"),
        Column("geo_name", "string", "name", "name as published"),
        Column("crop", "string", "key", "crop key (coffee_robusta, pepper, oil_palm, ...)"),
        Column("crop_name", "string", "name", "crop name as published"),
        Column("production_t", "float64", "t", "production in tonnes", True),
        Column("area_ha", "float64", "ha", "planted area in hectares", True),
        Column("scope", "string", "category", "all or smallholder (perkebunan rakyat)"),
        Column("flag", "string", "category", "quality flag, empty when none", True),
        Column("source", "string", "key", "key of the provenance record"),
    ),
    key=("source", "year", "geo", "crop", "scope"),
    nonnegative=("production_t", "area_ha"),
)

PRICES = TableSpec(
    name="prices",
    description="Commodity prices (World Bank Pink Sheet) and price indices",
    columns=(
        Column("year", "int64", "year", "calendar year"),
        Column("month", "Int64", "month", "month 1-12, empty for annual averages", True),
        Column("series", "string", "key", "series code (NICKEL, PALM_OIL, MUV, ...)"),
        Column("series_name", "string", "name", "series name as published"),
        Column("price", "float64", "see unit", "price or index value"),
        Column("unit", "string", "unit", "USD/t, USD/kg, index 2010=100, ..."),
        Column("basis", "string", "text", "definition and location of the price"),
        Column("source", "string", "key", "key of the provenance record"),
    ),
    key=("source", "series", "year", "month"),
    nonnegative=("price",),
)

BALANCES = TableSpec(
    name="balances",
    description="Commodity balances (USDA PSD, ICO) in green-bean equivalent tonnes",
    columns=(
        Column("year", "int64", "year", "market year (USDA) or calendar year (ICO)"),
        Column("reporter", "string", "code", "ISO alpha-3"),
        Column("attribute", "string", "key", "bean_exports, soluble_exports, production, ..."),
        Column("quantity_t_gbe", "float64", "t GBE", "tonnes of green-bean equivalent"),
        Column("year_basis", "string", "category", "market_year, crop_year or calendar_year"),
        Column("source", "string", "key", "key of the provenance record"),
    ),
    key=("source", "reporter", "attribute", "year"),
)

#: Figures quoted in the press and in releases (:mod:`hilir.sources.published`).
PUBLISHED = TableSpec(
    name="published",
    description="Figures quoted from official statistics in news articles and releases",
    columns=(
        Column("region", "string", "code", "ID-LA (Lampung), another ISO 3166-2:ID code, or IDN"),
        Column("indicator", "string", "text", "what the figure measures, as transcribed"),
        Column("period_start", "datetime64[ns]", "date", "first day of the period"),
        Column("period_end", "datetime64[ns]", "date", "last day of the period"),
        Column("value", "float64", "see unit", "the figure as quoted"),
        Column("unit", "string", "unit", "unit as quoted: USD million, tonnes, percent, ..."),
        Column("quoted_source", "string", "name", "agency the article cites"),
        Column("url", "string", "url", "article or release the figure was read from"),
        Column("note", "string", "text", "context, other figures, known inconsistencies", True),
        Column("source", "string", "key", "key of the provenance record"),
    ),
    key=("source", "region", "indicator", "period_start", "period_end"),
)

#: Workers by province, year and sector (:func:`hilir.sources.sakernas.read_sakernas`).
EMPLOYMENT = TableSpec(
    name="employment",
    description="Workers (population 15+ who worked) by province, year and main industry",
    columns=(
        Column("year", "int64", "year", "survey year (August round)"),
        Column("geo", "string", "code", "ISO 3166-2 province code (ID-LA = Lampung)"),
        Column("prov_code", "string", "code", "BPS two-digit province code"),
        Column("prov_name", "string", "name", "province name as published"),
        Column("classification", "string", "key", "sakernas9 (2010-2014) or sakernas17 (2015-)"),
        Column("sector", "string", "key", "sector key (agri, manuf, ... or agr, mfg, ...)"),
        Column("sector_name", "string", "name", "sector name (Indonesian)"),
        Column("workers", "float64", "persons", "workers, persons"),
        Column("source", "string", "key", "key of the provenance record"),
    ),
    key=("source", "year", "geo", "sector"),
    nonnegative=("workers",),
)

#: Bank Indonesia exports by commodity group (:func:`hilir.sources.bi.read_bi_exports`):
#: balance-of-payments commodity groups, not HS codes; kept apart from the trade table.
BI_EXPORTS = TableSpec(
    name="bi_exports",
    description="Bank Indonesia exports by commodity group (balance of payments, not HS)",
    columns=(
        Column("year", "int64", "year", "calendar year of the period"),
        Column("period", "string", "category", "annual, or jan-may (a partial year)"),
        Column("month_from", "int64", "month", "first month of the period (1)"),
        Column("month_to", "int64", "month", "last month of the period (12, or 5 for jan-may)"),
        Column("sector", "string", "name", "section of the table (Agricultural products, ...)"),
        Column("commodity", "string", "name", "Bank Indonesia commodity group as printed"),
        Column("line", "string", "category", "item, total, of_which or memo (see the reader)"),
        Column("value_usd", "float64", "USD", "exports, current US dollars", True),
        Column("preliminary", "bool", "flag", "True for figures marked P (preliminary)"),
        Column("basis", "string", "text", "what the figure measures (BoP groups, not HS)"),
        Column("source", "string", "key", "key of the provenance record"),
    ),
    key=("source", "year", "period", "commodity"),
    nonnegative=("value_usd",),
)

#: BPS static tables of exports by destination kept out of the trade table (the coffee table,
#: :func:`hilir.data.load.load_bps_destinations`): the trade table's columns and key.
BPS_DESTINATIONS = replace(
    TRADE,
    name="bps_destinations",
    description="BPS exports by main destination (partner detail), apart from the trade table",
)

#: BPS exports by HS chapter and port of loading (:mod:`hilir.sources.bps_ports`): goods
#: loaded at a province's ports, not the province's exports by origin; kept apart from trade.
PORT_EXPORTS = TableSpec(
    name="port_exports",
    description="BPS exports by HS chapter, destination and port of loading (not by origin)",
    columns=(
        Column("year", "int64", "year", "calendar year (sum of the portal's months)"),
        Column("hs2", "string", "code", "HS chapter, two digits (09, 15, 21)"),
        Column("partner", "string", "code", "ISO alpha-3 destination, WLD for all destinations"),
        Column("partner_type", "string", "category", "world, country, residual or aggregate"),
        Column("partner_name", "string", "name", "destination as published", True),
        Column("port", "string", "name", "port of loading as published; ALL for every port"),
        Column("geography", "string", "code", "ID-LA (ports in Lampung) or IDN (all ports)"),
        Column("basis", "string", "text", "port of loading, or national (all ports)"),
        Column("flow", "string", "category", "export"),
        Column("value_usd", "float64", "USD", "FOB value, current US dollars"),
        Column("source", "string", "key", "key of the provenance record"),
    ),
    key=("source", "year", "hs2", "partner", "port"),
    nonnegative=("value_usd",),
)

#: Text columns that are legitimately empty strings for some sources (FAOSTAT has no HS code).
_MAY_BE_BLANK = frozenset({"hs_code", "hs6", "item_code", "flag", "hs_revision"})

TABLES: dict[str, TableSpec] = {
    t.name: t
    for t in (
        TRADE,
        PRODUCTION,
        PRICES,
        BALANCES,
        PUBLISHED,
        EMPLOYMENT,
        BI_EXPORTS,
        PORT_EXPORTS,
        BPS_DESTINATIONS,
    )
}


def empty(spec: TableSpec) -> pd.DataFrame:
    """An empty frame with the table's columns and dtypes."""
    return pd.DataFrame({c.name: pd.Series(dtype=c.dtype) for c in spec.columns})


@functools.cache
def _dtype(name: str) -> Any:
    """The pandas dtype a column type names (``"string"``, ``"Int64"``, ...)."""
    return pd.api.types.pandas_dtype(name)


def _blank(series: pd.Series) -> np.ndarray:
    """Cells that hold only spaces (or nothing) as text; missing cells are not blank here.

    On the Arrow array (shared with pyarrow-backed text, converted otherwise): the same test
    as ``series.astype("string").str.strip().eq("")``, without pandas' string accessor, whose
    first use in a process costs about 3 ms (measured; a short BACI read takes 0.1 s), and
    three times faster after it.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    text = series if series.dtype == _dtype("string") else series.astype("string")
    cells = pa.array(text, from_pandas=True)
    empty = pc.equal(pc.utf8_trim_whitespace(cells), "").fill_null(False)
    return np.asarray(empty, dtype=bool)


def conform(
    df: pd.DataFrame,
    spec: TableSpec,
    *,
    path: str | PathLike[str] | None = None,
    row_numbers: pd.Series | None = None,
) -> pd.DataFrame:
    """Cast a reader's frame to a table spec and validate it.

    Parameters
    ----------
    df : pandas.DataFrame
        Frame with at least the spec's columns (extra columns are dropped).
    spec : TableSpec
        The target table.
    path : str or os.PathLike, optional
        The source file, for error messages.
    row_numbers : pandas.Series, optional
        1-based line number in the source file of each row of ``df`` (same index), so
        errors can name the row. Without it the error names the frame's position.

    Returns
    -------
    pandas.DataFrame
        A new frame with exactly the spec's columns, in order, with the spec's dtypes.

    Raises
    ------
    HilirDataError
        Missing columns, missing values in non-nullable columns, negative values in
        non-negative columns, or duplicate keys.
    """
    missing = [c for c in spec.names if c not in df.columns]
    if missing:
        raise HilirDataError(f"{spec.name} table lacks columns {missing}", path=path)
    out = df.loc[:, spec.names].copy()

    def _row(idx: object) -> int:
        if row_numbers is not None:
            return int(row_numbers.loc[idx])
        return int(out.index.get_loc(idx)) + 1

    for col in spec.columns:
        series = out[col.name]
        if not col.nullable:
            bad = series.isna().to_numpy(dtype=bool, copy=True)
            if col.dtype == "string" and col.name not in _MAY_BE_BLANK:
                bad |= _blank(series)
            if bad.any():
                idx = series.index[bad][0]
                raise HilirDataError("value is missing", path=path, row=_row(idx), column=col.name)
        if series.dtype == _dtype(col.dtype):  # already the table's type: nothing to cast
            continue
        try:
            out[col.name] = series.astype(col.dtype)
        except (TypeError, ValueError) as exc:
            row = None
            for idx, value in series.items():  # only on failure: find the first bad cell
                try:
                    pd.Series([value]).astype(col.dtype)
                except (TypeError, ValueError):
                    row = _row(idx)
                    break
            raise HilirDataError(
                f"cannot read values as {col.dtype}: {exc}", path=path, row=row, column=col.name
            ) from exc
    for name in spec.nonnegative:
        neg = out[name].lt(0).fillna(False).to_numpy(dtype=bool)
        if neg.any():
            idx = out.index[neg][0]
            raise HilirDataError(
                f"negative value {out.loc[idx, name]!r}", path=path, row=_row(idx), column=name
            )
    dup = out.duplicated(subset=list(spec.key), keep="first").to_numpy(dtype=bool)
    if dup.any():
        idx = out.index[dup][0]
        key = {k: out.loc[idx, k] for k in spec.key}
        raise HilirDataError(
            f"duplicate key {key} (the same flow appears twice)",
            path=path,
            row=_row(idx),
            column=spec.key[-1],
        )
    return out.reset_index(drop=True)
