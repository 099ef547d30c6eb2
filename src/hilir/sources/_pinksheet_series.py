"""Pink Sheet series vocabulary and definitions: units, series codes, basis by period.

Published units -> hilir units (:data:`UNITS`), published series names -> World Bank codes
(:data:`SERIES_CODES`), and the definition of each series by period (:data:`BASIS`) with the
dated definition changes as data (:func:`pinksheet_data_events`, :func:`basis_for`). Used by
:func:`hilir.sources.pinksheet.read_pinksheet`.
"""

from __future__ import annotations

import re
from itertools import pairwise

import pandas as pd

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

#: The unit (hilir spelling) each price series is published in, identical in the 2024, 2025
#: and 2026 vintages of both workbooks: a series whose units cell says otherwise is an error
#: (a changed unit row), never a silent rescaling. Real-dollar sheets add "(real 2010 USD)".
_UNIT_OF: dict[str, str] = {
    "USD/t": "ALUMINUM BARLEY COAL_AUS COAL_SAFRICA COCONUT_OIL COPPER DAP FISH_MEAL GRNUT "
    "GRNUT_OIL LEAD MAIZE NICKEL PALM_OIL PHOSROCK PLMKRNL_OIL POTASH RAPESEED_OIL RICE_05 "
    "RICE_05_VNM RICE_25 RICE_A1 SORGHUM SOYBEANS SOYBEAN_MEAL SOYBEAN_OIL SUNFLOWER_OIL TIN "
    "TOBAC_US TSP UREA_EE_BULK WHEAT_US_HRW WHEAT_US_SRW ZINC",
    "USD/kg": "BANANA_EU BANANA_US BEEF CHICKEN COCOA COFFEE_ARABIC COFFEE_ROBUS COTTON_A_INDX "
    "LAMB ORANGE RUBBER1_MYSG RUBBER_TSR20 SHRIMP_MEX SUGAR_EU SUGAR_US SUGAR_WLD TEA_AVG "
    "TEA_COLOMBO TEA_KOLKATA TEA_MOMBASA",
    "USD/bbl": "CRUDE_BRENT CRUDE_DUBAI CRUDE_PETRO CRUDE_WTI",
    "USD/troy oz": "GOLD PLATINUM SILVER",
    "USD/dmtu": "IRON_ORE",
    "USD/m3": "LOGS_CMR LOGS_MYS SAWNWD_CMR SAWNWD_MYS",
    "USD/mmbtu": "NGAS_EUR NGAS_JP NGAS_US",
    "US cents/sheet": "PLYWOOD",
    "index 2010=100": "iNATGAS MUV",
}
#: Series code -> the unit it is published in (from :data:`_UNIT_OF`).
SERIES_UNITS: dict[str, str] = {c: u for u, codes in _UNIT_OF.items() for c in codes.split()}

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


def _unit(text: object) -> str | None:
    key = re.sub(r"\s+", " ", str(text)).strip().lower()
    if key in UNITS:
        return UNITS[key]
    canonical = {u.lower(): u for u in UNITS.values()}
    return canonical.get(key)


def _fold(name: object) -> str:
    return re.sub(r"\s+", " ", str(name).replace("*", "")).strip().casefold()


def _fix_code(code: str) -> str:
    return _CODE_FIXES.get(code, code)


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


def _clean_name(name: object) -> str:
    return re.sub(r"\s+", " ", str(name).replace("*", "")).strip()
