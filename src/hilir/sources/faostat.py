"""FAOSTAT trade (TCL) and production (QCL) files -> the tidy TRADE and PRODUCTION tables.

Two layouts are read:

* the shipped extract (``data/raw``, from the open-numbers DDF conversion of the FAOSTAT bulk
  files): ``fao_area_code, iso3, area, item_key, item, element, unit, year, value`` with
  ``element`` in ``export_quantity | export_value | production`` and the FAO item code inside
  ``item`` ("Coffee, green (item 656)");
* FAOSTAT's own normalized bulk or web download: ``Area Code, Area Code (M49), Area, Item Code,
  Item Code (CPC), Item, Element Code, Element, Year Code, Year, Unit, Value, Flag`` (a
  ``Note`` column, a ``Domain`` pair or missing code columns are fine). M49 and CPC codes carry
  a leading apostrophe there (``'360``); it is removed. The web download's default
  (``Domain Code, Domain, Area Code (M49), Area, Element Code, Element, Item Code (CPC), Item,
  Year Code, Year, Unit, Value, Flag, Flag Description, Note``) has CPC item codes only; they
  are read through the shipped concordance ``refdata/faostat_cpc_items.csv`` (FAO item <->
  CPC, with its sources), and a CPC code it does not list is an error naming it.

One element published in two units (``Export Value`` in ``1000 US$`` and in ``US$``) is one
element: the unit hilir uses is kept (the finer one after checking both agree). Historic areas
(Belgium-Luxembourg, USSR, Yugoslav SFR, Czechoslovakia, Ethiopia PDR, Sudan (former)) are
read under their own codes (UN M49 historic codes; see
:func:`hilir.sources._faostat_codes.m49_to_code`); with ``reporter=...`` the rows of every
other area are ignored, whatever their code.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from os import PathLike

import numpy as np
import pandas as pd

from hilir.checks import column_key, require_file_columns
from hilir.errors import HilirDataError, HilirDataWarning, caller_stacklevel
from hilir.fileio import read_csv_strict
from hilir.registry.partners import resolve_reporter
from hilir.schema.cells import parse_numbers
from hilir.schema.tables import PRODUCTION, TRADE, conform
from hilir.sources._common import check_nonnegative, check_unique, first_bad, parse_years
from hilir.sources._faostat_codes import (
    bulk_reporters,
    fao_codes_of_cpc,
    fao_item_codes,
    note_historic,
    one_unit,
    unknown_cpc_error,
)

PathLikeStr = str | PathLike[str]

#: Units of FAOSTAT trade quantities -> kilograms per unit ("tonnes" in older vintages and the
#: shipped extract, "t" in current bulk files).
QUANTITY_UNITS_KG: dict[str, float] = {"tonnes": 1000.0, "t": 1000.0}
#: Units of FAOSTAT trade values -> US dollars per unit ("1000 US$" in older bulk files, "US$"
#: beside it in some downloads).
VALUE_UNITS_USD: dict[str, float] = {
    "1000 usd": 1000.0,
    "1000 us$": 1000.0,
    "usd": 1.0,
    "us$": 1.0,
}
#: Units of FAOSTAT production quantities -> tonnes per unit.
PRODUCTION_UNITS_T: dict[str, float] = {"tonnes": 1.0, "t": 1.0}

_TRADE_ELEMENTS = {
    "export_quantity": ("export", "quantity"),
    "export_value": ("export", "value"),
    "import_quantity": ("import", "quantity"),
    "import_value": ("import", "value"),
}

_ITEM_CODE_IN_NAME = re.compile(r"\bitem\s+(\d+)", re.IGNORECASE)


def read_faostat_trade(
    path: PathLikeStr,
    *,
    source: str = "faostat_idn_trade",
    allow_missing_value: bool = False,
    items: Iterable[str] | None = None,
    reporter: str | None = None,
) -> pd.DataFrame:
    """Read FAOSTAT crop and livestock trade (TCL) into the tidy trade table.

    Parameters
    ----------
    path : str or os.PathLike
        A CSV in the shipped layout or FAOSTAT's normalized download layout (module doc).
    source : str, default "faostat_idn_trade"
        Provenance key written to the ``source`` column.
    allow_missing_value : bool, default False
        A row of the trade table needs a value. FAOSTAT publishes some items with a quantity
        only (TCL item 836, natural rubber latex, in the shipped vintage). By default such an
        item is an error; with ``True`` its quantity-only rows are dropped with a
        :class:`~hilir.errors.HilirDataWarning` listing the items.
    items : iterable of str, optional
        FAO item codes to keep (``["656", "657"]``); other items are not checked or returned.
    reporter : str, optional
        Keep only this area (ISO alpha-3 code or name, ``"IDN"``); the rows of every other
        area are ignored, whatever their code (historic or unknown areas included).

    Returns
    -------
    pandas.DataFrame
        :data:`hilir.schema.tables.TRADE`: one row per reporter, item, flow and year with
        ``partner = "WLD"`` (world), ``partner_type = "world"``, ``hs_code = hs6 = ""``,
        ``item_code`` the FAO item code ("656"), ``hs_revision`` missing, ``month`` missing,
        ``value_usd`` in US dollars and ``net_weight_kg`` in kilograms (missing when only a
        value is published).

    Raises
    ------
    HilirDataError
        Missing columns; an element other than export/import quantity or value; a unit other
        than tonnes/t (quantity) or 1000 USD/1000 US$ (value); a decimal comma or other
        non-number; a negative value; the same item, element and year twice; an unknown area;
        a quantity without a value (unless ``allow_missing_value``); an empty or cut file.

    Notes
    -----
    ``value_usd = value x 1000`` (unit "1000 USD") and ``net_weight_kg = value x 1000``
    (unit "tonnes"). FAOSTAT writes 0 for no trade; zeros are kept as zeros. Values are FOB
    for exports (FAO, FAOSTAT Trade domain metadata, https://www.fao.org/faostat/en/#data/TCL).
    FAOSTAT trade is FAO's processed version of UN Comtrade and national data, so it can differ
    slightly from customs figures. Thousands separators (``1,189,725``) are accepted; decimal
    commas are refused because FAOSTAT writes a decimal point.
    """
    long = _read_long(path, items=items, reporter=reporter)
    elements = long["element_key"]
    unknown = ~elements.isin(list(_TRADE_ELEMENTS))
    if unknown.any():
        raise HilirDataError(
            f"element {long.loc[unknown, 'element'].iloc[0]!r} is not a trade quantity or value",
            path=path,
            row=first_bad(unknown, long),
            column=long.attrs["cols"]["element"],
        )
    long["flow"] = elements.map(lambda e: _TRADE_ELEMENTS[e][0])
    long["measure"] = elements.map(lambda e: _TRADE_ELEMENTS[e][1])
    cols = long.attrs["cols"]
    long = one_unit(long, _unit_factors(long), path, cols["unit"])
    factor = _unit_factors(long, path=path, column=cols["unit"])
    long["amount"] = long["value"] * factor

    key = ["reporter", "item_code", "flow", "year"]
    qty = long.loc[long["measure"] == "quantity", [*key, "amount", "_row", "item"]]
    val = long.loc[long["measure"] == "value", [*key, "amount", "_row", "item"]]
    wide = qty.merge(val, on=key, how="outer", suffixes=("_q", "_v"), sort=False)
    wide["item"] = wide["item_v"].fillna(wide["item_q"])
    missing = wide["amount_v"].isna().to_numpy()
    if missing.any():
        wide = _handle_missing_values(wide, missing, allow_missing_value, path, cols)
    out = pd.DataFrame(
        {
            "year": wide["year"],
            "month": pd.array([pd.NA] * len(wide), dtype="Int64"),
            "reporter": wide["reporter"],
            "partner": "WLD",
            "partner_type": "world",
            "flow": wide["flow"],
            "hs_code": "",
            "hs6": "",
            "item_code": wide["item_code"],
            "hs_revision": pd.array([pd.NA] * len(wide), dtype="string"),
            "value_usd": wide["amount_v"],
            "net_weight_kg": wide["amount_q"],
            "source": source,
        },
        index=wide.index,
    )
    rows = wide["_row_v"].astype("int64")
    out = out.sort_values(["reporter", "item_code", "flow", "year"], kind="stable")
    return conform(out, TRADE, path=path, row_numbers=rows)


def read_faostat_production(
    path: PathLikeStr,
    *,
    source: str = "faostat_idn_production",
    items: Iterable[str] | None = None,
    reporter: str | None = None,
) -> pd.DataFrame:
    """Read FAOSTAT crop production (QCL) into the tidy production table.

    Parameters
    ----------
    path : str or os.PathLike
        A CSV in the shipped layout (``element = production``, ``unit = tonnes``) or FAOSTAT's
        normalized download layout.
    source : str, default "faostat_idn_production"
        Provenance key written to the ``source`` column.
    items : iterable of str, optional
        FAO item codes to keep (``["656"]``).
    reporter : str, optional
        Keep only this area (ISO alpha-3 code or name); other areas are ignored.

    Returns
    -------
    pandas.DataFrame
        :data:`hilir.schema.tables.PRODUCTION` with ``geo`` the ISO alpha-3 code (IDN, MYS, ...),
        ``geo_level = "country"``, ``crop`` the shipped ``item_key`` (or, for FAOSTAT's own
        layout, the item name in snake case: "Coffee, green" -> ``coffee_green``),
        ``production_t`` in tonnes, ``area_ha`` missing, ``scope = "all"`` and ``flag`` the
        FAOSTAT flag (A official, E estimated, I imputed, ...) when the file has one.

    Raises
    ------
    HilirDataError
        Missing columns, a unit other than tonnes/t, a non-number, a negative value, a
        duplicate item and year, an unknown area, an empty or cut file.

    Notes
    -----
    Other QCL elements (area harvested, yield, stocks) are dropped with a
    :class:`~hilir.errors.HilirDataWarning`: FAOSTAT's area is *harvested* area, while
    ``area_ha`` means planted area. Values may carry FAO's decimals for estimates
    (``641741.02``); they are kept as published.
    """
    long = _read_long(path, items=items, reporter=reporter)
    cols = long.attrs["cols"]
    other = long["element_key"] != "production"
    if other.all():
        raise HilirDataError(
            "no production rows (element 'production')", path=path, column=cols["element"]
        )
    if other.any():
        dropped = sorted(long.loc[other, "element"].unique())
        warnings.warn(
            f"{path}: {int(other.sum())} rows of elements {dropped} dropped; only production "
            "is read",
            HilirDataWarning,
            stacklevel=caller_stacklevel(),
        )
        long = long.loc[~other].copy()
    long = one_unit(
        long, long["unit"].str.strip().str.lower().map(PRODUCTION_UNITS_T), path, cols["unit"]
    )
    units = long["unit"].str.strip().str.lower()
    bad = ~units.isin(list(PRODUCTION_UNITS_T))
    if bad.any():
        raise HilirDataError(
            f"unknown unit {long.loc[bad, 'unit'].iloc[0]!r}; expected one of "
            f"{sorted(PRODUCTION_UNITS_T)}",
            path=path,
            row=first_bad(bad, long),
            column=cols["unit"],
        )
    out = pd.DataFrame(
        {
            "year": long["year"],
            "geo": long["reporter"],
            "geo_level": "country",
            "geo_name": long["area"],
            "crop": long["crop"],
            "crop_name": long["item"],
            "production_t": long["value"] * units.map(PRODUCTION_UNITS_T),
            "area_ha": np.nan,
            "scope": "all",
            "flag": long["flag"],
            "source": source,
        },
        index=long.index,
    )
    return conform(out, PRODUCTION, path=path, row_numbers=long["_row"])


# --- shared parsing -------------------------------------------------------------------------


def _read_long(
    path: PathLikeStr, *, items: Iterable[str] | None, reporter: str | None = None
) -> pd.DataFrame:
    """Read either layout into one long frame with canonical columns.

    Columns: ``_row, reporter, area, item_code, item, crop, element, element_key, unit, year,
    value, flag``; ``attrs["cols"]`` maps the roles to the column names as written in the file.
    """
    df = read_csv_strict(path)
    names = {column_key(c) for c in df.columns}
    if "iso3" in names or "itemkey" in names:
        long = _shipped(df, path)
    elif "element" in names and names & {"itemcode", "itemcodefao", "itemcodecpc"}:
        long = _bulk(df, path, tolerate=reporter is not None)
    else:
        require_file_columns(df, ["iso3", "item", "element", "unit", "year", "value"], path=path)
        raise HilirDataError("not a FAOSTAT layout", path=path, row=1)
    if items is not None:
        wanted = {str(i).strip() for i in items}
        long = long.loc[long["item_code"].isin(wanted)].copy()
        if long.empty:
            raise HilirDataError(f"none of the items {sorted(wanted)} is in the file", path=path)
    cols = long.attrs["cols"]
    if reporter is not None:
        long = long.loc[long["reporter"].eq(resolve_reporter(reporter)).fillna(False)].copy()
        if long.empty:
            raise HilirDataError(f"no rows of reporter {reporter!r} in the file", path=path)
    if long["item_code"].isna().any():
        raise unknown_cpc_error(long, path, cols["item_code"])
    note_historic(long, path)
    long["element_key"] = (
        long["element"].str.strip().str.lower().str.replace(r"\s+", "_", regex=True)
    )
    long["year"] = parse_years(long.rename(columns={"year": cols["year"]}), cols["year"], path=path)
    value = parse_numbers(
        long.rename(columns={"value": cols["value"]}), cols["value"], path=path, decimal="."
    )
    long["value"] = check_nonnegative(value, long, cols["value"], path=path)
    check_unique(
        long,
        ["reporter", "item_code", "element_key", "unit", "year"],
        path=path,
        column=cols["year"],
    )
    long.attrs["cols"] = cols
    return long


def _shipped(df: pd.DataFrame, path: PathLikeStr) -> pd.DataFrame:
    df = require_file_columns(
        df, ["iso3", "area", "item", "element", "unit", "year", "value"], path=path
    )
    reporters = df["iso3"].str.strip().str.upper()
    bad = ~reporters.str.fullmatch(r"[A-Z]{3}")
    if bad.any():
        raise HilirDataError(
            f"{df.loc[bad, 'iso3'].iloc[0]!r} is not an ISO alpha-3 code",
            path=path,
            row=first_bad(bad, df),
            column="iso3",
        )
    codes = df["item"].str.extract(_ITEM_CODE_IN_NAME, expand=False)
    bad = codes.isna()
    if bad.any():
        raise HilirDataError(
            f"no FAO item code in {df.loc[bad, 'item'].iloc[0]!r} (expected '... (item 656)')",
            path=path,
            row=first_bad(bad, df),
            column="item",
        )
    if "item_key" in df.columns:
        crop = df["item_key"].str.strip()
    else:
        crop = df["item"].str.replace(r"\s*\(.*\)\s*$", "", regex=True).map(_slug)
    long = pd.DataFrame(
        {
            "_row": df["_row"],
            "reporter": reporters,
            "area": df["area"].str.strip(),
            "item_code": codes.astype(str),
            "item": df["item"].str.strip(),
            "crop": crop,
            "element": df["element"],
            "unit": df["unit"],
            "year": df["year"],
            "value": df["value"],
            "flag": pd.array([pd.NA] * len(df), dtype="string"),
        },
        index=df.index,
    )
    long.attrs["cols"] = {
        "element": "element",
        "unit": "unit",
        "year": "year",
        "value": "value",
        "item_code": "item",
    }
    return long


def _bulk(df: pd.DataFrame, path: PathLikeStr, *, tolerate: bool = False) -> pd.DataFrame:
    df = require_file_columns(df, ["Area", "Item", "Element", "Year", "Unit", "Value"], path=path)
    present = {column_key(c): c for c in df.columns}
    code_col = present.get("itemcode") or present.get("itemcodefao")
    cpc = pd.Series(pd.NA, index=df.index, dtype="string")
    if code_col is None:
        # The web download's default: CPC codes only, read through the shipped concordance.
        code_col = present["itemcodecpc"]
        codes, cpc = fao_codes_of_cpc(df, code_col, path)
    else:
        codes = fao_item_codes(df, code_col, path)
    keep, reporters = bulk_reporters(df, present, path, tolerate=tolerate)
    flag_col = present.get("flag")
    flags = (
        df[flag_col].str.strip().replace("", pd.NA).astype("string")
        if flag_col
        else pd.Series(pd.NA, index=df.index, dtype="string")
    )
    long = pd.DataFrame(
        {
            "_row": df["_row"],
            "reporter": reporters,
            "area": df["Area"].str.strip(),
            "item_code": codes,
            "cpc": cpc,
            "item": df["Item"].str.strip(),
            "crop": df["Item"].map(_slug),
            "element": df["Element"],
            "unit": df["Unit"],
            "year": df["Year"],
            "value": df["Value"],
            "flag": flags,
        },
        index=df.index,
    ).loc[keep]
    long.attrs["cols"] = {
        "element": "Element",
        "unit": "Unit",
        "year": "Year",
        "value": "Value",
        "item_code": code_col,
    }
    return long


def _unit_factors(
    long: pd.DataFrame, *, path: PathLikeStr | None = None, column: str | None = None
) -> pd.Series:
    """Multiplier to kilograms (quantities) or US dollars (values) for each row.

    Missing for a unit hilir does not know; with ``column`` that is an error naming it.
    """
    units = long["unit"].str.strip().str.lower().str.replace(r"\s+", " ", regex=True)
    is_q = long["measure"].eq("quantity")
    factor = pd.Series(np.nan, index=long.index)
    factor[is_q] = units[is_q].map(QUANTITY_UNITS_KG)
    factor[~is_q] = units[~is_q].map(VALUE_UNITS_USD)
    bad = factor.isna()
    if bad.any() and column is not None:
        i = long.index[bad.to_numpy()][0]
        expected = sorted(QUANTITY_UNITS_KG if is_q[i] else ("1000 USD", "1000 US$", "US$"))
        raise HilirDataError(
            f"unknown unit {long.loc[i, 'unit']!r} for {long.loc[i, 'element']!r}; "
            f"expected one of {expected}",
            path=path,
            row=int(long.loc[i, "_row"]),
            column=column,
        )
    return factor


def _handle_missing_values(
    wide: pd.DataFrame,
    missing: np.ndarray,
    allow: bool,
    path: PathLikeStr,
    cols: dict[str, str],
) -> pd.DataFrame:
    gaps = wide.loc[missing]
    listed = sorted({f"{c} ({n})" for c, n in zip(gaps["item_code"], gaps["item"], strict=True)})
    if not allow:
        first = gaps.iloc[0]
        has_value_row = not pd.isna(first["_row_v"])
        raise HilirDataError(
            f"item {listed[0]} has {first['flow']} quantity but no value in {first['year']} "
            f"(items without values: {listed}); the trade table needs a value, pass "
            "allow_missing_value=True to drop these rows",
            path=path,
            row=int(first["_row_v"] if has_value_row else first["_row_q"]),
            column=cols["value"] if has_value_row else cols["element"],
        )
    warnings.warn(
        f"{path}: {int(missing.sum())} quantity-only rows dropped (no value published) for "
        f"items {listed}",
        HilirDataWarning,
        stacklevel=caller_stacklevel(),
    )
    return wide.loc[~missing].copy()


def _slug(text: object) -> str:
    """Snake-case key of a FAOSTAT item name ("Coffee, green" -> "coffee_green")."""
    return re.sub(r"[^a-z0-9]+", "_", str(text).lower()).strip("_")
