"""Bulk files: FAOSTAT, the World Bank Pink Sheet and USDA PSD (no key, one file each).

* **FAOSTAT** normalized bulk archives (FAOSTAT "Bulk Downloads", normalized layout, with
  the current CPC item codes): ``https://bulks-faostat.fao.org/production/
  Trade_CropsLivestock_E_All_Data_(Normalized).zip`` and
  ``.../Production_Crops_Livestock_E_All_Data_(Normalized).zip`` (formerly under
  ``https://fenixservices.fao.org/faostat/static/bulkdownloads/``). The archive holds the
  data CSV ``..._All_Data_(Normalized).csv`` (``Area Code, Area Code (M49), Area, Item Code,
  Item Code (CPC), Item, Element Code, Element, Year Code, Year, Unit, Value, Flag``) and
  code lists; the data CSV is read line by line and only the reporter's rows (and the years
  and items asked) are kept, so a file of several hundred MB never sits in memory.
* **World Bank Pink Sheet**, "Commodity Markets" page
  (https://www.worldbank.org/en/research/commodity-markets), "Historical data":
  ``https://thedocs.worldbank.org/en/doc/5d903e848db1d1b83e0ec8f744e55570-0350012021/
  related/CMO-Historical-Data-Monthly.xlsx`` and ``...-Annual.xlsx``; read as downloaded by
  :func:`hilir.sources.pinksheet.read_pinksheet`.
* **USDA PSD** bulk CSV, PSD Online "Downloads"
  (https://apps.fas.usda.gov/psdonline/app/index.html#/app/downloads):
  ``https://apps.fas.usda.gov/psdonline/downloads/psd_coffee_csv.zip`` holding
  ``psd_coffee.csv`` (``Commodity_Code, Commodity_Description, Country_Code, Country_Name,
  Market_Year, Calendar_Year, Month, Attribute_ID, Attribute_Description, Unit_ID,
  Unit_Description, Value``).
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from hilir.errors import HilirOptionError
from hilir.fetch._common import command_line, obtain, query_tag, require_columns
from hilir.fetch._errors import HilirFetchError
from hilir.fetch._request import Extract, FetchRequest, FetchResult
from hilir.fetch._store import Query, cache_dir
from hilir.fileio import atomic_write_bytes

FAOSTAT_BASE = "https://bulks-faostat.fao.org/production/"
FAOSTAT_FILES = {
    "trade": ("Trade_CropsLivestock_E_All_Data_(Normalized).zip", "faostat_trade"),
    "production": ("Production_Crops_Livestock_E_All_Data_(Normalized).zip", "faostat_production"),
}
FAOSTAT_COLUMNS = ("Area Code (M49)", "Area", "Item Code", "Element", "Year", "Unit", "Value")
FAOSTAT_LICENCE = "CC BY 4.0 (FAO open data licensing policy)"
PINKSHEET_BASE = (
    "https://thedocs.worldbank.org/en/doc/5d903e848db1d1b83e0ec8f744e55570-0350012021/related/"
)
PINKSHEET_LICENCE = "CC BY 4.0 (World Bank)"
USDA_URL = "https://apps.fas.usda.gov/psdonline/downloads/psd_coffee_csv.zip"
USDA_COLUMNS = ("Commodity_Code", "Country_Code", "Market_Year", "Attribute_Description", "Value")
USDA_LICENCE = "Public domain (U.S. government work)"
_M49 = {"IDN": "360"}


def _zip(path: Path, url: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        path.unlink(missing_ok=True)
        path.with_name(path.name + ".fetch.json").unlink(missing_ok=True)
        raise HilirFetchError(
            "the answer is not a ZIP archive (a web page instead of the file?): the service "
            "may have moved it; pass the new address with --url",
            url=url,
        ) from exc


def _member(archive: zipfile.ZipFile, ending: str, url: str) -> str:
    names = [n for n in archive.namelist() if n.lower().endswith(ending.lower())]
    if not names:
        raise HilirFetchError(
            f"the archive has no file ending {ending!r} (it has {archive.namelist()[:10]}): "
            "the service changed its layout",
            url=url,
        )
    return names[0]


def _faostat_query(req: FetchRequest) -> tuple[Query, str]:
    dataset = req.option("dataset", "trade", allowed=("dataset",))
    if dataset not in FAOSTAT_FILES:
        raise HilirOptionError(f"FAOSTAT dataset {dataset!r}: use one of {sorted(FAOSTAT_FILES)}")
    name, fmt = FAOSTAT_FILES[dataset]
    return Query(
        req.url or FAOSTAT_BASE + name, {}, f"FAOSTAT {dataset}, filtered to {req.reporter}"
    ), fmt


def _filter_faostat(req: FetchRequest, archive: Path, url: str, out: Path) -> int:
    """Copy the reporter's rows (and years, items asked) of the data CSV; return their number."""
    m49 = _M49.get(req.reporter.upper())
    if m49 is None:
        import pycountry

        country = pycountry.countries.get(alpha_3=req.reporter.upper())
        m49 = str(int(country.numeric)) if country else req.reporter
    years = {str(y) for y in req.years}
    items = set(req.fao_items())
    with _zip(archive, url) as zf, zf.open(_member(zf, "All_Data_(Normalized).csv", url)) as raw:
        lines = iter(raw)
        header_bytes = next(lines)
        header = next(csv.reader([header_bytes.decode("latin-1").lstrip("\ufeff")]))
        header = [h.lstrip("ï»¿").strip() for h in header]
        require_columns(header, FAOSTAT_COLUMNS, url=url, what="the data CSV")
        col = {h: i for i, h in enumerate(header)}
        kept = 0
        tmp = out.with_name(out.name + ".tmp")
        with tmp.open("wb") as dst:
            dst.write(header_bytes)
            for line in lines:
                cells = next(csv.reader([line.decode("latin-1")]))
                if cells[col["Area Code (M49)"]].lstrip("'").lstrip("0") != m49:
                    continue
                if years and cells[col["Year"]] not in years:
                    continue
                if items and cells[col["Item Code"]] not in items:
                    continue
                dst.write(line)
                kept += 1
        tmp.replace(out)
    return kept


def faostat(req: FetchRequest, result: FetchResult) -> list[Extract]:
    """Download (or reuse) a FAOSTAT bulk archive and file the reporter's rows."""
    query, fmt = _faostat_query(req)
    path, meta = obtain(
        req, result, query, query.url.rsplit("/", 1)[-1], licence=FAOSTAT_LICENCE, stream=True
    )
    out = cache_dir(req.source) / f"{fmt}_{req.reporter}_{query_tag(req)}.csv"
    if not _filter_faostat(req, path, query.url, out):
        raise HilirFetchError(
            f"FAOSTAT has no rows for {req.reporter} with the years and items asked", url=query.url
        )
    args = {"reporter": req.reporter}
    return [Extract(fmt, out, (meta,), command_line(req), args)]


def pinksheet_query(req: FetchRequest) -> Query:
    """The workbook asked: monthly or annual."""
    name = "CMO-Historical-Data-" + ("Monthly" if req.freq == "monthly" else "Annual") + ".xlsx"
    return Query(req.url or PINKSHEET_BASE + name, {}, f"World Bank Pink Sheet ({req.freq})")


def pinksheet(req: FetchRequest, result: FetchResult) -> list[Extract]:
    """Download (or reuse) a Pink Sheet workbook and file it as downloaded."""
    query = pinksheet_query(req)
    stamp = query.url.rsplit("/", 1)[-1]
    path, meta = obtain(req, result, query, stamp, licence=PINKSHEET_LICENCE, stream=True)
    _zip(path, query.url).close()  # an .xlsx is a ZIP: a web page is not
    out = cache_dir(req.source) / path.name.split("_", 1)[-1]
    atomic_write_bytes(out, path.read_bytes())
    return [Extract("pinksheet", out, (meta,), command_line(req))]


def usda(req: FetchRequest, result: FetchResult) -> list[Extract]:
    """Download (or reuse) the PSD coffee archive and file its CSV."""
    query = Query(req.url or USDA_URL, {}, "USDA PSD coffee, all countries")
    path, meta = obtain(req, result, query, "psd_coffee_csv.zip", licence=USDA_LICENCE, stream=True)
    with _zip(path, query.url) as zf:
        data = zf.read(_member(zf, "psd_coffee.csv", query.url))
    header = next(csv.reader(io.StringIO(data[:4096].decode("utf-8-sig", "replace"))))
    require_columns(header, USDA_COLUMNS, url=query.url, what="psd_coffee.csv")
    out = cache_dir(req.source) / "psd_coffee.csv"
    atomic_write_bytes(out, data)
    return [Extract("usda_psd", out, (meta,), command_line(req))]
