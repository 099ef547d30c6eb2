"""World Bank commodity prices ("Pink Sheet") -> the tidy PRICES table.

Read layouts:

* the World Bank workbooks themselves: ``CMO-Historical-Data-Monthly.xlsx`` (sheets "Monthly
  Prices", "Monthly Indices") and ``CMO-Historical-Data-Annual.xlsx`` ("Annual Prices
  (Nominal)", "Annual Prices (Real)", "Annual Indices (Nominal)", "Annual Indices (Real)").
  Above the data sit title rows, then a row of series names, a row of units ("($/mt)") and,
  in the monthly workbook, a row of series codes ("NICKEL"); index sheets stack their names
  over several rows. Data rows start with a period in column A (``1960M01`` or ``1960``);
  "…" marks a price that is not available;
* long CSVs: monthly ``period, series_code, series_name, unit, value`` (period ``1960M01``)
  and annual ``year, series_name, unit, value_nominal_usd`` (no code: codes come from
  :data:`SERIES_CODES`).

The MUV index (manufactures unit value, 2010 = 100, the World Bank's deflator) is the
column "MUV Index" of sheet "Annual Prices (Real)" and the column "Deflator MUV Index" of
sheet "Annual Indices (Real)" of the annual workbook; it is read as series ``MUV``.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Mapping
from itertools import pairwise
from os import PathLike
from pathlib import Path

import numpy as np
import pandas as pd

from hilir.errors import HilirDataError, HilirDataWarning
from hilir.fileio import read_csv_strict
from hilir.schema.cells import MISSING_TOKENS, parse_number, parse_numbers
from hilir.schema.tables import PRICES, conform
from hilir.sources._common import check_nonnegative, first_bad, parse_years, require_columns

PathLikeStr = str | PathLike[str]

#: Published units -> hilir units. Values are kept as published (USD per kg stays per kg).
UNITS: dict[str, str] = {
    "($/mt)": "USD/t",
    "($/kg)": "USD/kg",
    "($/bbl)": "USD/bbl",
    "($/mmbtu)": "USD/mmbtu",
    "($/troy oz)": "USD/troy oz",
    "($/dmtu)": "USD/dmtu",
    "($/cubic meter)": "USD/m3",
    "(cents/sheet)": "US cents/sheet",
    "(\u00a2/sheet)": "US cents/sheet",
    "(2010=100)": "index 2010=100",
}

#: Series names (case-folded, footnote stars removed, spaces collapsed) -> World Bank codes.
#: Taken from the names, units and codes rows of sheet "Monthly Prices" and "Monthly Indices"
#: of CMO-Historical-Data-Monthly.xlsx (updated 3 December 2024), plus the annual workbook's
#: own spellings ("Coal, South Afican", "MUV Index", "World Bank Commodity Price Index").
SERIES_CODES: dict[str, str] = {
    "crude oil, average": "CRUDE_PETRO",
    "crude oil, brent": "CRUDE_BRENT",
    "crude oil, dubai": "CRUDE_DUBAI",
    "crude oil, wti": "CRUDE_WTI",
    "coal, australian": "COAL_AUS",
    "coal, south african": "COAL_SAFRICA",
    "coal, south afican": "COAL_SAFRICA",
    "natural gas, us": "NGAS_US",
    "natural gas, europe": "NGAS_EUR",
    "liquefied natural gas, japan": "NGAS_JP",
    "natural gas index": "iNATGAS",
    "cocoa": "COCOA",
    "coffee, arabica": "COFFEE_ARABIC",
    "coffee, robusta": "COFFEE_ROBUS",
    "tea, avg 3 auctions": "TEA_AVG",
    "tea, colombo": "TEA_COLOMBO",
    "tea, kolkata": "TEA_KOLKATA",
    "tea, mombasa": "TEA_MOMBASA",
    "coconut oil": "COCONUT_OIL",
    "groundnuts": "GRNUT",
    "fish meal": "FISH_MEAL",
    "groundnut oil": "GRNUT_OIL",
    "palm oil": "PALM_OIL",
    "palm kernel oil": "PLMKRNL_OIL",
    "soybeans": "SOYBEANS",
    "soybean oil": "SOYBEAN_OIL",
    "soybean meal": "SOYBEAN_MEAL",
    "rapeseed oil": "RAPESEED_OIL",
    "sunflower oil": "SUNFLOWER_OIL",
    "barley": "BARLEY",
    "maize": "MAIZE",
    "sorghum": "SORGHUM",
    "rice, thai 5%": "RICE_05",
    "rice, thai 25%": "RICE_25",
    "rice, thai a.1": "RICE_A1",
    "rice, viet namese 5%": "RICE_05_VNM",
    "wheat, us srw": "WHEAT_US_SRW",
    "wheat, us hrw": "WHEAT_US_HRW",
    "banana, europe": "BANANA_EU",
    "banana, us": "BANANA_US",
    "orange": "ORANGE",
    "beef": "BEEF",
    "chicken": "CHICKEN",
    "lamb": "LAMB",
    "shrimps, mexican": "SHRIMP_MEX",
    "sugar, eu": "SUGAR_EU",
    "sugar, us": "SUGAR_US",
    "sugar, world": "SUGAR_WLD",
    "tobacco, us import u.v.": "TOBAC_US",
    "logs, cameroon": "LOGS_CMR",
    "logs, malaysian": "LOGS_MYS",
    "sawnwood, cameroon": "SAWNWD_CMR",
    "sawnwood, malaysian": "SAWNWD_MYS",
    "plywood": "PLYWOOD",
    "cotton, a index": "COTTON_A_INDX",
    "rubber, tsr20": "RUBBER_TSR20",
    "rubber, rss3": "RUBBER1_MYSG",
    "phosphate rock": "PHOSROCK",
    "dap": "DAP",
    "tsp": "TSP",
    "urea": "UREA_EE_BULK",
    "potassium chloride": "POTASH",
    "aluminum": "ALUMINUM",
    "iron ore, cfr spot": "IRON_ORE",
    "copper": "COPPER",
    "lead": "LEAD",
    "tin": "TIN",
    "nickel": "NICKEL",
    "zinc": "ZINC",
    "gold": "GOLD",
    "platinum": "PLATINUM",
    "silver": "SILVER",
    "muv index": "MUV",
    "deflator muv index": "MUV",
    "total index": "iOVERALL",
    "world bank commodity price index": "iOVERALL",
    "energy": "iENERGY",
    "non-energy": "iNONFUEL",
    "agriculture": "iAGRICULTURE",
    "beverages": "iBEVERAGES",
    "food": "iFOOD",
    "oils & meals": "iFATS_OILS",
    "grains": "iGRAINS",
    "other food": "iOTHERFOOD",
    "raw materials": "iRAW_MATERIAL",
    "timber": "iTIMBER",
    "other raw mat.": "iOTHERRAWMAT",
    "fertilizers": "iFERTILIZERS",
    "metals & minerals": "iMETMIN",
    "base metals (ex. iron ore)": "iBASEMET",
    "precious metals": "iPRECIOUSMET",
}

#: The monthly workbook writes two codes in title case; hilir upper-cases them.
_CODE_FIXES = {"Tin": "TIN", "Zinc": "ZINC"}

#: Definition and location of a series, by period (first and last month, "YYYY-MM", inclusive;
#: None = open). From sheet "Description" of CMO-Historical-Data-Monthly.xlsx (World Bank,
#: updated 3 December 2024).
BASIS: dict[str, tuple[tuple[str | None, str | None, str], ...]] = {
    "PALM_OIL": (
        (None, "2001-11", "Palm oil (Malaysia), 5%, CIF NW Europe, bulk, nearest forward"),
        ("2001-12", "2020-12", "Palm oil (Malaysia), RBD, CIF Rotterdam"),
        ("2021-01", None, "Palm oil (Malaysia), RBD, FOB Malaysia ports"),
    ),
    "PLMKRNL_OIL": (
        (None, "2001-07", "Palm kernel oil (Malaysian), nearest forward"),
        ("2001-08", "2020-12", "Palm kernel oil (Malaysia/Indonesia), crude, CIF NW Europe"),
        ("2021-01", None, "Palm kernel oil (Malaysia/Indonesia), crude, CIF Rotterdam"),
    ),
    "COCONUT_OIL": (
        (None, "1998-12", "Coconut oil (Philippines/Indonesia), bulk, CIF Rotterdam"),
        ("1999-01", "2020-12", "Coconut oil (Philippines/Indonesia), crude, CIF NW Europe"),
        ("2021-01", None, "Coconut oil (Philippines/Indonesia), crude, CIF Rotterdam"),
    ),
    "SOYBEAN_OIL": (
        (None, "1998-12", "Soybean oil, crude, FOB ex-mill Netherlands, nearest forward"),
        ("1999-01", "2020-12", "Soybean oil, Dutch crude degummed, FOB NW Europe"),
        ("2021-01", None, "Soybean oil, Dutch crude degummed, EXW Dutch mills"),
    ),
    "COFFEE_ROBUS": (
        (
            None,
            None,
            "ICO indicator price, Robustas, average of New York and Le Havre/Marseille "
            "markets, ex-dock",
        ),
    ),
    "COFFEE_ARABIC": (
        (
            None,
            None,
            "ICO indicator price, other mild Arabicas, average of New York and "
            "Bremen/Hamburg markets, ex-dock",
        ),
    ),
    "COCOA": (
        (
            None,
            None,
            "ICCO daily price, average of the first three positions on the New York and "
            "London terminal markets",
        ),
    ),
    "RUBBER1_MYSG": (
        (None, "1999-12", "Rubber, Malaysia RSS1"),
        ("2000-01", "2003-12", "Rubber, Singapore RSS1"),
        ("2004-01", None, "Rubber RSS3, SICOM (SGX) nearby contract, Singapore"),
    ),
    "RUBBER_TSR20": (
        (None, None, "Rubber TSR 20 (technically specified), SGX/SICOM nearby futures"),
    ),
    "NICKEL": (
        (None, "2004-12", "LME, cathodes, min. 99.8% Ni, cash price, USD per tonne of metal"),
        ("2005-01", None, "LME, cathodes, min. 99.8% Ni, settlement price, USD per tonne of metal"),
    ),
    "ALUMINUM": (
        (None, "2004-12", "LME, unalloyed primary ingots, high grade, min. 99.7%, cash price"),
        (
            "2005-01",
            None,
            "LME, unalloyed primary ingots, high grade, min. 99.7%, settlement price",
        ),
    ),
    "COPPER": (
        (None, None, "LME, grade A, min. 99.9935% Cu, cathodes and wire bars, settlement price"),
    ),
    "TIN": ((None, None, "LME, refined, 99.85% Sn, settlement price"),),
    "COAL_AUS": (
        (None, "2001-12", "Coal (Australia), thermal, 6,667 kcal/kg, <1.0% sulfur, 14% ash"),
        (
            "2002-01",
            "2014-12",
            "Coal (Australia), thermal GAR 6,300 kcal/kg, FOB piers Newcastle/Port Kembla",
        ),
        (
            "2015-01",
            "2022-01",
            "Coal (Australia), port thermal, FOB Newcastle, 6,000 kcal/kg, spot",
        ),
        (
            "2022-02",
            None,
            "Coal (Australia), port thermal, FOB Newcastle, 6,000 kcal/kg, futures",
        ),
    ),
    "COAL_SAFRICA": (
        (
            None,
            "2014-12",
            "Coal (South Africa), thermal, FOB Richards Bay (calorific basis changed in 2002 "
            "and 2006)",
        ),
        (
            "2015-01",
            None,
            "Coal (South Africa), FOB Richards Bay, NAR 6,000 kcal/kg, <1% sulfur, forward month 1",
        ),
    ),
    "IRON_ORE": (
        (
            None,
            "2005-12",
            "Iron ore, annual contract price, Brazil for Europe (Vale sinter feed)",
        ),
        ("2006-01", "2008-11", "Iron ore, spot, 63.5% Fe, CFR China"),
        ("2008-12", None, "Iron ore, spot, any origin fines, 62% Fe, CFR China"),
    ),
    "GOLD": (
        (None, None, "Gold (UK), 99.5% fine, London afternoon fixing, average of daily rates"),
    ),
    "CRUDE_PETRO": (
        (None, None, "Crude oil, spot, equally weighted average of Brent, Dubai and WTI"),
    ),
    "MUV": (
        (
            None,
            None,
            "Manufactures unit value index: US dollar unit value of manufactures exported by "
            "15 economies (World Bank deflator), 2010=100",
        ),
    ),
}

#: Bilingual text of data events (definition changes), keyed by (series, first month).
_EVENT_TEXT: dict[tuple[str, str], tuple[str, str]] = {
    ("PALM_OIL", "2021-01"): (
        "Definisi harga minyak sawit Bank Dunia berubah mulai Januari 2021: RBD FOB pelabuhan "
        "Malaysia, menggantikan RBD CIF Rotterdam (sampai Desember 2020). Harga sebelum dan "
        "sesudah perubahan tidak sepenuhnya sebanding (lokasi dan ongkos angkut berbeda).",
        "World Bank palm oil price definition changed from January 2021: RBD FOB Malaysia "
        "ports, replacing RBD CIF Rotterdam (to December 2020). Prices before and after are not "
        "fully comparable (different location and freight).",
    ),
    ("PALM_OIL", "2001-12"): (
        "Definisi harga minyak sawit Bank Dunia berubah mulai Desember 2001: RBD CIF Rotterdam, "
        "menggantikan Malaysia 5% CIF Eropa Barat Laut.",
        "World Bank palm oil price definition changed from December 2001: RBD CIF Rotterdam, "
        "replacing Malaysia 5% CIF NW Europe.",
    ),
    ("NICKEL", "2005-01"): (
        "Harga nikel LME memakai harga settlement mulai Januari 2005 (sebelumnya harga cash).",
        "LME nickel price is the settlement price from January 2005 (cash price before).",
    ),
    ("RUBBER1_MYSG", "2004-01"): (
        "Harga karet RSS3 memakai kontrak terdekat SICOM Singapura mulai Januari 2004 "
        "(2000-2003: RSS1 Singapura; sebelumnya RSS1 Malaysia).",
        "RSS3 rubber price is the SICOM Singapore nearby contract from January 2004 "
        "(2000-2003: Singapore RSS1; before: Malaysia RSS1).",
    ),
    ("COAL_AUS", "2022-02"): (
        "Harga batu bara Australia memakai harga futures mulai Februari 2022 (sebelumnya spot).",
        "Australian coal price is a futures price from February 2022 (spot before).",
    ),
}

_EVENT_SOURCE = (
    "World Bank, Commodity Price Data (The Pink Sheet), CMO-Historical-Data-Monthly.xlsx, "
    "sheet 'Description' (updated 3 December 2024)"
)

_BULAN = (
    "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember"
).split()
_MONTH = "January February March April May June July August September October November December"
_MONTHS_EN = _MONTH.split()

_PERIOD = re.compile(r"^(\d{4})M(\d{2})$")
_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_BLANK_STOP = 200


def read_pinksheet(
    path: PathLikeStr,
    *,
    source: str = "wb_pinksheet",
    sheet: str | None = None,
    series: Iterable[str] | None = None,
    also: Mapping[str, Iterable[str]] | None = None,
) -> pd.DataFrame:
    """Read World Bank Pink Sheet prices or indices into the tidy prices table.

    Parameters
    ----------
    path : str or os.PathLike
        A World Bank workbook (``.xlsx``) or a long CSV (module doc).
    source : str, default "wb_pinksheet"
        Provenance key written to the ``source`` column.
    sheet : str, optional
        Workbook sheet; default "Monthly Prices" if the workbook has it, else "Annual Prices
        (Nominal)". Ignored for CSV files.
    series : iterable of str, optional
        Series codes to keep (``["NICKEL", "PALM_OIL", "MUV"]``). In a workbook, columns whose
        name has no known code are then skipped instead of raising.
    also : mapping of str to iterable of str, optional
        More workbook sheets to read, each with the series codes to keep from it, e.g.
        ``{"Annual Indices (Real)": ["MUV"]}`` adds the MUV deflator (manufactures unit
        value index, 2010 = 100) to the nominal prices of the annual workbook.

    Returns
    -------
    pandas.DataFrame
        :data:`hilir.schema.tables.PRICES`: ``year``, ``month`` (missing for annual averages),
        ``series`` (World Bank code; ``TIN``, ``ZINC`` upper-cased), ``series_name`` (as
        published, footnote stars removed), ``price`` as published, ``unit`` (``USD/t`` for
        "($/mt)", ``USD/kg`` for "($/kg)", ``index 2010=100``; real-dollar sheets add
        "(real 2010 USD)"), ``basis`` (definition and location in force for that period, see
        :data:`BASIS`).

    Raises
    ------
    HilirDataError
        Missing columns or header rows, a period that is not ``YYYYMmm`` or a year, an unknown
        unit or series name, a non-number or negative price, a duplicate series and period,
        an unknown sheet, an empty or cut file.

    Notes
    -----
    Prices are nominal US dollars (monthly averages, or annual averages of the months) except
    on the "(Real)" sheets, which are deflated to 2010 dollars by the MUV index. Prices stay
    in the unit the World Bank publishes (coffee, rubber and cocoa per kg; oils and metals per
    tonne), so convert explicitly before comparing with unit values in USD per tonne. Cells
    marked "…" (not available) are not rows of the table. The palm oil definition changed in
    January 2021 (see :func:`pinksheet_data_events`). Source: World Bank, Commodity Price Data
    (The Pink Sheet), https://www.worldbank.org/en/research/commodity-markets, CC BY 4.0.
    """
    wanted = None if series is None else {_fix_code(s) for s in series}
    p = Path(path)
    if p.is_file() and (p.suffix.lower() in (".xlsx", ".xlsm") or _is_zip(p)):
        frame, rows = _read_workbook(p, sheet=sheet, wanted=wanted)
        for extra_sheet, codes in (also or {}).items():
            more, more_rows = _read_workbook(
                p, sheet=extra_sheet, wanted={_fix_code(c) for c in codes}
            )
            frame = pd.concat([frame, more], ignore_index=True)
            rows = pd.concat([rows, more_rows], ignore_index=True)
    elif p.is_file() and p.suffix.lower() == ".xls":
        raise HilirDataError("old .xls workbook; save it as .xlsx", path=path)
    else:
        frame, rows = _read_csv(path, wanted=wanted)
    frame["source"] = source
    frame = frame.sort_values(["series", "year", "month"], kind="stable")
    return conform(frame, PRICES, path=path, row_numbers=rows)


def pinksheet_data_events() -> pd.DataFrame:
    """Dated definition changes of Pink Sheet series, as data (for charts and notes).

    Returns
    -------
    pandas.DataFrame
        One row per change: ``date`` (first day of the first month of the new definition),
        ``series`` (code), ``description_id``, ``description_en``, ``source``. Built from
        :data:`BASIS`; includes the January 2021 palm oil change from CIF Rotterdam to FOB
        Malaysia.
    """
    records = []
    for code, periods in BASIS.items():
        for before, after in pairwise(periods):
            start = str(after[0])
            year, month = int(start[:4]), int(start[5:7])
            text = _EVENT_TEXT.get((code, start))
            if text is None:
                text = (
                    f"Definisi seri {code} (Pink Sheet Bank Dunia) berubah mulai "
                    f"{_BULAN[month - 1]} {year}: {after[2]} (sebelumnya: {before[2]}).",
                    f"Definition of Pink Sheet series {code} changed from "
                    f"{_MONTHS_EN[month - 1]} {year}: {after[2]} (before: {before[2]}).",
                )
            records.append(
                {
                    "date": pd.Timestamp(year=year, month=month, day=1),
                    "series": code,
                    "description_id": text[0],
                    "description_en": text[1],
                    "source": _EVENT_SOURCE,
                }
            )
    out = pd.DataFrame.from_records(records)
    out = out.astype({"series": "string", "description_id": "string", "description_en": "string"})
    out["source"] = out["source"].astype("string")
    return out.sort_values(["date", "series"], kind="stable").reset_index(drop=True)


def basis_for(code: str, series_name: str, year: int, month: int | None) -> str:
    """Definition and location of a series in force in a month (or, for a year, each part).

    Parameters
    ----------
    code : str
        Series code.
    series_name : str
        Name as published (used when :data:`BASIS` has no entry).
    year : int
        Calendar year.
    month : int or None
        Month 1-12, or None for an annual average.

    Returns
    -------
    str
        The basis text; for an annual average spanning a change, each basis with its months.
    """
    periods = BASIS.get(code)
    if not periods:
        return f"{series_name} (as published; definition in the Pink Sheet 'Description' sheet)"
    lo = (year, month or 1)
    hi = (year, month or 12)
    hits = []
    for start, end, text in periods:
        s = (int(start[:4]), int(start[5:7])) if start else (0, 0)
        e = (int(end[:4]), int(end[5:7])) if end else (9999, 12)
        if s <= hi and e >= lo:
            hits.append((start, end, text))
    if len(hits) == 1:
        return hits[0][2]
    parts = []
    for start, end, text in hits:
        if start and end:
            span = f"{start} to {end}"
        elif start:
            span = f"from {start}"
        else:
            span = f"to {end}"
        parts.append(f"{text} ({span})")
    return "; ".join(parts)


# --- CSV layouts ----------------------------------------------------------------------------


def _read_csv(path: PathLikeStr, *, wanted: set[str] | None) -> tuple[pd.DataFrame, pd.Series]:
    df = read_csv_strict(path)
    names = {re.sub(r"[\s_]+", "", str(c)).lower() for c in df.columns}
    if "period" in names:
        df = require_columns(
            df, ["period", "series_code", "series_name", "unit", "value"], path=path
        )
        value_col = "value"
        periods = df["period"].str.strip()
        match = periods.str.extract(_PERIOD)
        bad = match[0].isna() | ~pd.to_numeric(match[1], errors="coerce").between(1, 12)
        if bad.any():
            raise HilirDataError(
                f"period {df.loc[bad, 'period'].iloc[0]!r} is not YYYYMmm (1960M01)",
                path=path,
                row=first_bad(bad, df),
                column="period",
            )
        years = match[0].astype("int64")
        months = pd.array(match[1].astype("int64"), dtype="Int64")
        codes = df["series_code"].str.strip()
        bad = ~codes.str.fullmatch(_CODE.pattern)
        if bad.any():
            raise HilirDataError(
                f"{df.loc[bad, 'series_code'].iloc[0]!r} is not a series code",
                path=path,
                row=first_bad(bad, df),
                column="series_code",
            )
        codes = codes.map(_fix_code)
    else:
        df = require_columns(
            df,
            ["year", "series_name", "unit", "value_nominal_usd"],
            path=path,
            aliases={"value_nominal_usd": ["value", "price"]},
        )
        value_col = "value_nominal_usd"
        years = parse_years(df, "year", path=path)
        months = pd.array([pd.NA] * len(df), dtype="Int64")
        codes = pd.Series([None] * len(df), index=df.index, dtype=object)
        for i, (name, row) in enumerate(zip(df["series_name"], df["_row"], strict=True)):
            code = SERIES_CODES.get(_fold(name))
            if code is None:
                raise HilirDataError(
                    f"no World Bank code known for series {name!r}; add it to "
                    "hilir.sources.pinksheet.SERIES_CODES",
                    path=path,
                    row=int(row),
                    column="series_name",
                )
            codes.iat[i] = code
    units = df["unit"].map(_unit)
    bad = units.isna()
    if bad.any():
        raise HilirDataError(
            f"unknown unit {df.loc[bad, 'unit'].iloc[0]!r}; known: {sorted(UNITS)}",
            path=path,
            row=first_bad(bad, df),
            column="unit",
        )
    prices = parse_numbers(df, value_col, path=path, decimal=".")
    check_nonnegative(prices, df, value_col, path=path, what="price")
    frame = pd.DataFrame(
        {
            "year": years,
            "month": months,
            "series": codes.astype("string"),
            "series_name": df["series_name"].map(_clean_name),
            "price": prices,
            "unit": units,
        },
        index=df.index,
    )
    keep = frame["price"].notna()
    if wanted is not None:
        keep &= frame["series"].isin(wanted)
    if (~frame["price"].notna()).any():
        warnings.warn(
            f"{path}: {int((~frame['price'].notna()).sum())} rows without a price dropped",
            HilirDataWarning,
            stacklevel=3,
        )
    frame = frame.loc[keep].copy()
    frame["basis"] = _bases(frame)
    return frame, df.loc[keep, "_row"]


# --- workbooks ------------------------------------------------------------------------------


def _read_workbook(
    path: Path, *, sheet: str | None, wanted: set[str] | None
) -> tuple[pd.DataFrame, pd.Series]:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for damaged files
        raise HilirDataError(f"cannot open the workbook: {exc}", path=path) from exc
    try:
        names = wb.sheetnames
        if sheet is None:
            sheet = next(
                (s for s in ("Monthly Prices", "Annual Prices (Nominal)") if s in names), None
            )
            if sheet is None:
                raise HilirDataError(
                    f"choose a sheet with sheet=; the workbook has {names}", path=path
                )
        if sheet not in names:
            raise HilirDataError(f"no sheet {sheet!r}; the workbook has {names}", path=path)
        rows = _sheet_rows(wb[sheet])
    finally:
        wb.close()
    return _parse_sheet(rows, path=path, sheet=sheet, wanted=wanted)


def _sheet_rows(ws: object) -> list[tuple[object, ...]]:
    """Cell values row by row (row 1 first), stopping after a long run of blank rows."""
    out: list[tuple[object, ...]] = []
    blank_run = 0
    for row in ws.iter_rows(values_only=True):  # type: ignore[attr-defined]
        out.append(tuple(row))
        if all(_is_blank(v) for v in row):
            blank_run += 1
            if blank_run >= _BLANK_STOP and len(out) > _BLANK_STOP:
                break
        else:
            blank_run = 0
    return out


def _parse_sheet(
    rows: list[tuple[object, ...]], *, path: Path, sheet: str, wanted: set[str] | None
) -> tuple[pd.DataFrame, pd.Series]:
    first = next((i for i, r in enumerate(rows) if r and _period(r[0]) is not None), None)
    if first is None:
        raise HilirDataError(
            f"sheet {sheet!r}: no data rows (column A should hold periods like 1960M01 or 1960)",
            path=path,
            column="A",
        )
    header = rows[:first]
    width = max(len(r) for r in rows)
    header = [tuple(r) + (None,) * (width - len(r)) for r in header]
    units_i = _find_units_row(header)
    codes_i = _find_codes_row(header, rows[first:], units_i)
    real = "(real)" in sheet.lower()
    index_sheet = "indic" in sheet.lower()
    if units_i is None and not index_sheet:
        raise HilirDataError(
            f"sheet {sheet!r}: no units row (like '($/mt)') above the first data row; are "
            "header rows missing?",
            path=path,
            row=first,
            column="B",
        )
    columns = []
    for j in range(1, width):
        name, name_row = _column_name(header, j, skip={units_i, codes_i})
        has_data = any(j < len(r) and not _is_blank(r[j]) for r in rows[first:])
        if name is None:
            if has_data:
                raise HilirDataError(
                    f"sheet {sheet!r}: a column of numbers has no series name",
                    path=path,
                    row=first + 1,
                    column=_letter(j),
                )
            continue
        code = None
        if codes_i is not None and not _is_blank(header[codes_i][j]):
            code = _fix_code(str(header[codes_i][j]).strip())
        else:
            code = SERIES_CODES.get(_fold(name))
        if code is None:
            if wanted is not None:
                continue
            raise HilirDataError(
                f"sheet {sheet!r}: no World Bank code known for series {name!r}; add it to "
                "hilir.sources.pinksheet.SERIES_CODES or pass series=",
                path=path,
                row=name_row + 1,
                column=name,
            )
        if wanted is not None and code not in wanted:
            continue
        if units_i is not None and not _is_blank(header[units_i][j]):
            unit = _unit(header[units_i][j])
            if unit is None:
                raise HilirDataError(
                    f"unknown unit {header[units_i][j]!r}; known: {sorted(UNITS)}",
                    path=path,
                    row=units_i + 1,
                    column=name,
                )
        elif index_sheet:
            unit = "index 2010=100"
        else:
            raise HilirDataError(
                "no unit for this series", path=path, row=(units_i or 0) + 1, column=name
            )
        if real and unit.startswith(("USD", "US cents")):
            unit = f"{unit} (real 2010 USD)"
        columns.append((j, code, _clean_name(name), unit))
    if wanted is not None:
        absent = wanted - {c[1] for c in columns}
        if absent:
            raise HilirDataError(f"sheet {sheet!r} has no series {sorted(absent)}", path=path)

    kind = None
    records = []
    line_numbers = []
    for i in range(first, len(rows)):
        row = rows[i]
        if not row or all(_is_blank(v) for v in row):
            continue
        period = _period(row[0])
        if period is None:
            if all(_is_blank(v) for v in row[1:]):
                continue  # a footnote in column A below the data
            raise HilirDataError(
                f"{row[0]!r} is not a period (1960M01 or 1960)", path=path, row=i + 1, column="A"
            )
        this_kind = "month" if period[1] is not None else "year"
        if kind is None:
            kind = this_kind
        elif this_kind != kind:
            raise HilirDataError(
                "monthly and annual periods mixed in one sheet", path=path, row=i + 1, column="A"
            )
        for j, code, name, unit in columns:
            cell = row[j] if j < len(row) else None
            price = _cell_number(cell, path=path, row=i + 1, column=name)
            if price is None:
                continue
            if price < 0:
                raise HilirDataError(f"negative price {price!r}", path=path, row=i + 1, column=name)
            records.append((period[0], period[1], code, name, price, unit))
            line_numbers.append(i + 1)
    frame = pd.DataFrame.from_records(
        records, columns=["year", "month", "series", "series_name", "price", "unit"]
    )
    frame["year"] = frame["year"].astype("int64")
    frame["month"] = pd.array(frame["month"].tolist(), dtype="Int64")
    frame["basis"] = _bases(frame)
    return frame, pd.Series(line_numbers, index=frame.index, dtype="int64")


def _find_units_row(header: list[tuple[object, ...]]) -> int | None:
    best = None
    for i, row in enumerate(header):
        cells = [str(v).strip() for v in row[1:] if not _is_blank(v)]
        if cells and sum(c.startswith("(") and c.endswith(")") for c in cells) >= 0.8 * len(cells):
            best = i
    return best


def _find_codes_row(
    header: list[tuple[object, ...]], data: list[tuple[object, ...]], units_i: int | None
) -> int | None:
    """The last header row, if it holds a code for every column that has data."""
    if not header:
        return None
    i = len(header) - 1
    if i == units_i:
        return None
    row = header[i]
    data_cols = {j for r in data for j, v in enumerate(r) if j > 0 and not _is_blank(v)}
    cells = {j: row[j] for j in data_cols if j < len(row)}
    if not data_cols or any(_is_blank(v) for v in cells.values()) or len(cells) < len(data_cols):
        return None
    if all(_CODE.match(str(v).strip()) for v in cells.values()):
        return i
    return None


def _column_name(
    header: list[tuple[object, ...]], j: int, *, skip: set[int | None]
) -> tuple[str | None, int]:
    """The lowest non-blank header text of column j (index sheets stack their names)."""
    for i in range(len(header) - 1, -1, -1):
        if i in skip:
            continue
        v = header[i][j]
        if not _is_blank(v):
            return str(v), i
    return None, -1


def _period(value: object) -> tuple[int, int | None] | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float | np.integer | np.floating):
        v = float(value)
        if v.is_integer() and 1900 <= v <= 2100:
            return int(v), None
        return None
    text = str(value).strip()
    m = _PERIOD.match(text)
    if m and 1 <= int(m.group(2)) <= 12:
        return int(m.group(1)), int(m.group(2))
    if re.fullmatch(r"\d{4}", text) and 1900 <= int(text) <= 2100:
        return int(text), None
    return None


def _cell_number(value: object, *, path: Path, row: int, column: str) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float | np.integer | np.floating):
        v = float(value)
        return None if np.isnan(v) else v
    text = str(value).strip()
    if text.lower() in MISSING_TOKENS:
        return None
    try:
        return parse_number(text, decimal=".")
    except ValueError as exc:
        raise HilirDataError(str(exc), path=path, row=row, column=column) from exc


def _bases(frame: pd.DataFrame) -> pd.Series:
    cache: dict[tuple[str, str, int, object], str] = {}
    out = []
    for code, name, year, month in zip(
        frame["series"], frame["series_name"], frame["year"], frame["month"], strict=True
    ):
        m = None if pd.isna(month) else int(month)
        key = (str(code), str(name), int(year), m)
        if key not in cache:
            cache[key] = basis_for(str(code), str(name), int(year), m)
        out.append(cache[key])
    return pd.Series(out, index=frame.index, dtype="string")


def _unit(text: object) -> str | None:
    key = re.sub(r"\s+", " ", str(text)).strip().lower()
    if key in UNITS:
        return UNITS[key]
    canonical = {u.lower(): u for u in UNITS.values()}
    return canonical.get(key)


def _fold(name: object) -> str:
    return re.sub(r"\s+", " ", str(name).replace("*", "")).strip().casefold()


def _clean_name(name: object) -> str:
    return re.sub(r"\s+", " ", str(name).replace("*", "")).strip()


def _fix_code(code: str) -> str:
    return _CODE_FIXES.get(code, code)


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _is_zip(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(4) == b"PK\x03\x04"


def _letter(j: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(j + 1)
