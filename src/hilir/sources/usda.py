"""USDA FAS PSD coffee balances -> the tidy BALANCES table (green-bean equivalent tonnes).

Two layouts are read:

* USDA's own PSD download (``psd_coffee.csv`` from ``psd_coffee_csv.zip``), long:
  ``Commodity_Code, Commodity_Description, Country_Code, Country_Name, Market_Year,
  Calendar_Year, Month, Attribute_ID, Attribute_Description, Unit_ID, Unit_Description, Value``
  with ``Unit_Description = "(1000 60 KG BAGS)"``;
* the shipped wide reshaping (a student project spread the attributes into columns):
  ``Country_Name, Market_Year, Arabica Production, Bean Exports, ...``, also in thousand
  60-kg bags.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from os import PathLike

import pandas as pd

from hilir.checks import column_key, require_file_columns
from hilir.errors import HilirDataError, HilirDataWarning, caller_stacklevel
from hilir.fileio import read_csv_strict
from hilir.registry.partners import resolve_partner, resolve_partners
from hilir.schema.cells import parse_numbers
from hilir.schema.tables import BALANCES, conform
from hilir.sources._common import check_nonnegative, check_unique, first_bad, parse_years

PathLikeStr = str | PathLike[str]

#: Tonnes per thousand 60-kg bags: 1000 x 60 kg = 60 t.
TONNES_PER_THOUSAND_BAGS = 60.0

#: USDA PSD coffee commodity code ("Coffee, Green").
COFFEE_COMMODITY_CODE = "0711100"

#: PSD coffee attribute names (case-folded, spaces collapsed) -> hilir attribute keys.
ATTRIBUTES: dict[str, str] = {
    "arabica production": "arabica_production",
    "bean exports": "bean_exports",
    "bean imports": "bean_imports",
    "beginning stocks": "beginning_stocks",
    "domestic consumption": "domestic_consumption",
    "ending stocks": "ending_stocks",
    "exports": "exports",
    "imports": "imports",
    "other production": "other_production",
    "production": "production",
    "roast & ground exports": "roast_ground_exports",
    "roast & ground imports": "roast_ground_imports",
    "robusta production": "robusta_production",
    "rst,ground dom. consum": "roast_ground_domestic_consumption",
    "soluble dom. cons.": "soluble_domestic_consumption",
    "soluble exports": "soluble_exports",
    "soluble imports": "soluble_imports",
    "total distribution": "total_distribution",
    "total supply": "total_supply",
}

_BAGS_UNIT = "100060kgbags"


def read_usda_psd(
    path: PathLikeStr,
    *,
    source: str = "usda_psd_coffee",
    countries: list[str] | None = None,
) -> pd.DataFrame:
    """Read USDA PSD coffee balances into the tidy balances table.

    Parameters
    ----------
    path : str or os.PathLike
        A PSD coffee CSV in USDA's long layout or the shipped wide layout (module doc).
        Values in thousand 60-kg bags of green-bean equivalent.
    source : str, default "usda_psd_coffee"
        Provenance key written to the ``source`` column.
    countries : list of str, optional
        Countries to keep, as ISO alpha-3 codes or names ("IDN", "Viet Nam"). Names in the
        file that are not asked for are not resolved, so an unknown name elsewhere in the
        file does not stop the read.

    Returns
    -------
    pandas.DataFrame
        :data:`hilir.schema.tables.BALANCES`: ``year`` (USDA market year), ``reporter`` (ISO
        alpha-3; ``EUN`` for the European Union), ``attribute`` (``bean_exports``,
        ``roast_ground_exports``, ``soluble_exports``, ``exports``, ``production``, ... see
        :data:`ATTRIBUTES`), ``quantity_t_gbe`` in tonnes of green-bean equivalent,
        ``year_basis = "market_year"``.

    Raises
    ------
    HilirDataError
        Missing columns; an unknown attribute (header or ``Attribute_Description``); a unit
        other than thousand 60-kg bags; a decimal comma or other non-number; a negative value;
        a duplicate country, year and attribute; an unknown country name; an empty or cut file.

    Notes
    -----
    ``quantity_t_gbe = value x 60`` (1000 bags x 60 kg = 60 t). USDA already states every
    coffee attribute in green-bean equivalent (roast and ground and soluble trade converted
    by USDA), so no conversion factor applies here (USDA FAS, *Coffee: World Markets and
    Trade*, notes on units). Market years are country specific: Indonesia's coffee market
    year starts in April (USDA FAS GAIN Indonesia Coffee Annual), so MY 2015 is April 2015 to
    March 2016.

    The shipped wide file was reshaped by a student script that replaced missing values with
    0, so a 0 there can mean "not reported". The table keeps the published 0; use
    :func:`flag_zero_gaps` to find zeros inside otherwise positive series. Blank cells in a
    wide file are not reported and are dropped (one warning). In USDA's long layout, a
    country, market year and attribute given for several release months keeps the latest
    (``Calendar_Year``, ``Month``) with a warning.
    """
    df = read_csv_strict(path)
    # The widely copied layout names the keys "Country" and "Year": the same columns.
    if "Country_Name" not in df.columns and "Country" in df.columns:
        df = df.rename(columns={"Country": "Country_Name"})
    if "Market_Year" not in df.columns and "Year" in df.columns:
        df = df.rename(columns={"Year": "Market_Year"})
    names = {column_key(c) for c in df.columns}
    if "attributedescription" in names:
        long = _long_layout(df, path, countries)
    else:
        long = _wide_layout(df, path, countries)
    out = pd.DataFrame(
        {
            "year": long["year"],
            "reporter": long["reporter"],
            "attribute": long["attribute"],
            "quantity_t_gbe": long["bags"] * TONNES_PER_THOUSAND_BAGS,
            "year_basis": "market_year",
            "source": source,
        },
        index=long.index,
    )
    out = out.sort_values(["reporter", "attribute", "year"], kind="stable")
    return conform(out, BALANCES, path=path, row_numbers=long["_row"])


def flag_zero_gaps(df: pd.DataFrame) -> pd.Series:
    """Flag zeros that sit inside an otherwise positive series (possible "not reported").

    Parameters
    ----------
    df : pandas.DataFrame
        A balances table (:data:`hilir.schema.tables.BALANCES`): ``source``, ``reporter``,
        ``attribute``, ``year``, ``quantity_t_gbe`` (t GBE).

    Returns
    -------
    pandas.Series of bool
        Same index as ``df``, named ``zero_gap``: true where ``quantity_t_gbe == 0`` and the
        same source, reporter and attribute has a positive value in an earlier year and in a
        later year.

    Notes
    -----
    A 0 at the start or end of a series (an exporter that began or stopped) is not flagged,
    nor is a series that is zero throughout. The function does not read files or change
    ``df``.
    """
    keys = ["source", "reporter", "attribute"]
    missing = [c for c in [*keys, "year", "quantity_t_gbe"] if c not in df.columns]
    if missing:
        raise ValueError(f"flag_zero_gaps needs columns {missing}")
    order = df.sort_values([*keys, "year"], kind="stable")
    groups = [order[k] for k in keys]
    positive = order["quantity_t_gbe"].gt(0)
    before = positive.groupby(groups, sort=False).cummax()
    after = positive.iloc[::-1].groupby([g.iloc[::-1] for g in groups], sort=False).cummax()
    flag = order["quantity_t_gbe"].eq(0) & before & after.reindex(order.index)
    return flag.reindex(df.index).astype(bool).rename("zero_gap")


# --- layouts --------------------------------------------------------------------------------


def _wide_layout(df: pd.DataFrame, path: PathLikeStr, countries: list[str] | None) -> pd.DataFrame:
    df = require_file_columns(df, ["Country_Name", "Market_Year"], path=path)
    value_cols = [c for c in df.columns if c not in ("Country_Name", "Market_Year", "_row")]
    if not value_cols:
        raise HilirDataError("no attribute columns after Country_Name, Market_Year", path=path)
    keys = {}
    for col in value_cols:
        key = ATTRIBUTES.get(_fold(col))
        if key is None:
            raise HilirDataError(
                f"unknown PSD coffee attribute {col!r}; known: {sorted(ATTRIBUTES)}",
                path=path,
                row=1,
                column=col,
            )
        keys[col] = key
    df = _select_countries(df, countries, path)
    df["year"] = parse_years(df, "Market_Year", path=path)
    check_unique(df, ["reporter", "year"], path=path, column="Market_Year")
    parts = []
    blank = 0
    for col in value_cols:
        bags = parse_numbers(df, col, path=path, decimal=".")
        check_nonnegative(bags, df, col, path=path)
        present = bags.notna()
        blank += int((~present).sum())
        parts.append(
            pd.DataFrame(
                {
                    "_row": df["_row"],
                    "reporter": df["reporter"],
                    "year": df["year"],
                    "attribute": keys[col],
                    "bags": bags,
                }
            ).loc[present]
        )
    if blank:
        warnings.warn(
            f"{path}: {blank} blank cells (not reported) dropped",
            HilirDataWarning,
            stacklevel=caller_stacklevel(),
        )
    return pd.concat(parts, ignore_index=True)


def _long_layout(df: pd.DataFrame, path: PathLikeStr, countries: list[str] | None) -> pd.DataFrame:
    df = require_file_columns(
        df,
        ["Country_Name", "Market_Year", "Attribute_Description", "Unit_Description", "Value"],
        path=path,
    )
    df = _coffee_rows(df, path)
    df = _select_countries(df, countries, path)
    attrs = df["Attribute_Description"].map(lambda a: ATTRIBUTES.get(_fold(a)))
    bad = attrs.isna()
    if bad.any():
        raise HilirDataError(
            f"unknown PSD coffee attribute {df.loc[bad, 'Attribute_Description'].iloc[0]!r}",
            path=path,
            row=first_bad(bad, df),
            column="Attribute_Description",
        )
    units = df["Unit_Description"].map(column_key)
    bad = units.ne(_BAGS_UNIT)
    if bad.any():
        raise HilirDataError(
            f"unit {df.loc[bad, 'Unit_Description'].iloc[0]!r} is not '(1000 60 KG BAGS)'",
            path=path,
            row=first_bad(bad, df),
            column="Unit_Description",
        )
    bags = parse_numbers(df, "Value", path=path, decimal=".", allow_missing=False)
    check_nonnegative(bags, df, "Value", path=path)
    long = pd.DataFrame(
        {
            "_row": df["_row"],
            "reporter": df["reporter"],
            "year": parse_years(df, "Market_Year", path=path),
            "attribute": attrs,
            "bags": bags,
        }
    )
    long = _latest_release(long, df, path)
    check_unique(long, ["reporter", "attribute", "year"], path=path, column="Market_Year")
    return long.reset_index(drop=True)


def _coffee_rows(df: pd.DataFrame, path: PathLikeStr) -> pd.DataFrame:
    """Keep green-coffee rows of a PSD file that may hold other commodities."""
    if "Commodity_Code" in df.columns:
        coffee = df["Commodity_Code"].str.strip().str.zfill(7).eq(COFFEE_COMMODITY_CODE)
    elif "Commodity_Description" in df.columns:
        coffee = df["Commodity_Description"].map(_fold).eq("coffee, green")
    else:
        return df
    if not coffee.any():
        raise HilirDataError(
            f"no coffee rows (Commodity_Code {COFFEE_COMMODITY_CODE}, 'Coffee, Green')", path=path
        )
    if not coffee.all():
        warnings.warn(
            f"{path}: {int((~coffee).sum())} rows of other commodities dropped",
            HilirDataWarning,
            stacklevel=caller_stacklevel(),
        )
    return df.loc[coffee].copy()


def _latest_release(long: pd.DataFrame, df: pd.DataFrame, path: PathLikeStr) -> pd.DataFrame:
    """Keep the latest release month when a key appears for several months."""
    if not {"Calendar_Year", "Month"} <= set(df.columns):
        return long
    key = ["reporter", "attribute", "year"]
    if not long.duplicated(key).any():
        return long
    stamp = pd.to_numeric(df["Calendar_Year"], errors="coerce") * 100 + pd.to_numeric(
        df["Month"], errors="coerce"
    )
    ranked = long.assign(_stamp=stamp.to_numpy())
    same_release = ranked.duplicated([*key, "_stamp"], keep=False)
    if same_release.any():
        # Two rows of the same release: a real duplicate, reported by check_unique.
        return long
    kept = ranked.sort_values("_stamp", kind="stable").drop_duplicates(key, keep="last")
    warnings.warn(
        f"{path}: {len(long) - len(kept)} rows of earlier release months dropped; the latest "
        "Calendar_Year/Month is kept",
        HilirDataWarning,
        stacklevel=caller_stacklevel(),
    )
    return kept.drop(columns="_stamp").sort_index()


def _select_countries(
    df: pd.DataFrame, countries: Iterable[str] | None, path: PathLikeStr
) -> pd.DataFrame:
    """Resolve Country_Name to ISO alpha-3 (column ``reporter``), keeping asked countries."""
    df = df.copy()
    if countries is None:
        df["reporter"] = resolve_partners(df["Country_Name"], path=path, rows=df["_row"])["code"]
        return df
    if isinstance(countries, str):
        raise TypeError("countries must be a list of names or codes, not a string")
    wanted = {_country_code(c) for c in countries}
    codes: dict[str, str | None] = {}
    for name in df["Country_Name"].unique():
        try:
            codes[name] = resolve_partner(name)[0]
        except HilirDataError:
            codes[name] = None
    df["reporter"] = df["Country_Name"].map(codes).astype("string")
    keep = df["reporter"].isin(wanted).fillna(False).to_numpy(dtype=bool)
    absent = wanted - set(df.loc[keep, "reporter"])
    if absent:
        raise HilirDataError(f"countries {sorted(absent)} are not in the file", path=path)
    return df.loc[keep].copy()


def _country_code(name: str) -> str:
    """ISO alpha-3 code of a country asked for by name or alpha-3 code.

    Two-letter codes are refused: USDA's own ``Country_Code`` column holds FIPS 10-4 codes,
    which clash with ISO alpha-2 (FIPS ``CH`` is China, ISO ``CH`` is Switzerland).
    """
    text = str(name).strip()
    if len(text) <= 2:
        raise HilirDataError(
            f"country {name!r}: give an ISO alpha-3 code or a name (two-letter codes are "
            "ambiguous: USDA uses FIPS codes, which differ from ISO alpha-2)"
        )
    return resolve_partner(text)[0]


def _fold(text: object) -> str:
    return re.sub(r"\s+", " ", str(text)).strip().casefold()
