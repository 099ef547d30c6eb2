"""Loaders for the jobs model: shipped IO tables and Sakernas files, product-to-sector map, rates.

The model functions (:mod:`hilir.jobs.leontief`, :mod:`hilir.jobs.multipliers`,
:mod:`hilir.jobs.scenario`) never read files; these helpers read the shipped snapshots in
``data/raw/io_tables`` and ``data/raw/employment`` (through their provenance sidecars, whose
checksums are verified) and the package data in ``refdata/``.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from hilir.checks import require_file_columns as require_columns
from hilir.errors import HilirDataError
from hilir.fileio import read_csv
from hilir.paths import raw_dir
from hilir.provenance.sidecar import Provenance, discover, verify_checksum
from hilir.schema.cells import parse_numbers
from hilir.schema.iotable import IOTable
from hilir.sources.io_bps import read_bps_io, sector_classifications
from hilir.sources.io_wiod import read_wiod_niot
from hilir.sources.sakernas import read_sakernas

#: Default table for each geography of :func:`hilir.jobs.scenario.jobs_from_scenario`.
DEFAULT_TABLES: dict[str, str] = {
    "ID-LA": "bps_lampung_io2010",
    "ID-BB": "bps_babel_io2015",
    "ID-KI": "bps_kaltim_io2010",
    "IDN": "wiod_niot_idn",
}
SAKERNAS_KEYS = ("sakernas_prov_sect9_2010_2014", "sakernas_prov_sect17_2015_2023")
#: Sub-folders of ``data/raw`` holding the jobs model's inputs.
FOLDERS = ("io_tables", "employment")


def _records() -> dict[str, Provenance]:
    out: dict[str, Provenance] = {}
    for folder in FOLDERS:
        if (raw_dir() / folder).is_dir():
            out.update({r.key: r for r in discover(raw_dir() / folder)})
    return out


def _record(key: str) -> Provenance:
    records = _records()
    if key not in records:
        raise HilirDataError(
            f"no shipped file with provenance key {key!r} under {raw_dir()} ({', '.join(FOLDERS)})"
        )
    rec = records[key]
    verify_checksum(rec)
    return rec


def load_io_table(key_or_geography: str, **options: object) -> IOTable:
    """Read a shipped input-output table.

    Parameters
    ----------
    key_or_geography : str
        A provenance key (``bps_lampung_io2010``, ``bps_babel_io2015``,
        ``bps_kaltim_io2010``, ``wiod_niot_idn``) or a geography of :data:`DEFAULT_TABLES`
        (``ID-LA``, ``ID-BB``, ``ID-KI``, ``IDN``).
    **options
        Override the sidecar's reader arguments (e.g. ``year=2010`` for WIOD).

    Returns
    -------
    IOTable
    """
    key = DEFAULT_TABLES.get(key_or_geography, key_or_geography)
    rec = _record(key)
    args = {**(rec.reader_args or {}), **options}
    if rec.reader == "bps_io":
        return read_bps_io(rec.data_path, source=rec.key, **args)
    if rec.reader == "wiod_niot":
        return read_wiod_niot(rec.data_path, source=rec.key, **args)
    raise HilirDataError(f"{key!r} is not an input-output table (reader {rec.reader!r})")


def load_employment(year: int | None = None) -> pd.DataFrame:
    """The shipped Sakernas files (2010-2014 nine sectors, 2015-2023 seventeen) as one table.

    Parameters
    ----------
    year : int, optional
        Read only the file that covers this year (default: both files).

    Returns
    -------
    pandas.DataFrame
        :data:`hilir.schema.tables.EMPLOYMENT` rows. Licence CC BY-NC 4.0 (compilation);
        original source BPS.
    """
    frames = []
    for key in SAKERNAS_KEYS:
        rec = _record(key)
        first, last = (int(y) for y in str(rec.coverage).split("-"))
        if year is not None and not first <= int(year) <= last:
            continue
        frames.append(read_sakernas(rec.data_path, source=rec.key, **(rec.reader_args or {})))
    if not frames:
        raise HilirDataError(f"no shipped Sakernas file covers {year}")
    return pd.concat(frames, ignore_index=True)


def source_labels(keys: list[str]) -> dict[str, dict[str, str]]:
    """Chart source labels (``{"id": ..., "en": ...}``) of shipped files, by key."""
    records = _records()
    return {k: records[k].source_label for k in keys if k in records}


@lru_cache(maxsize=1)
def _sector_map() -> pd.DataFrame:
    ref = resources.files("hilir") / "refdata" / "io_sector_map.csv"
    with resources.as_file(ref) as path:
        return validate_sector_map(read_csv(path), path=str(path))


def io_sector_map() -> pd.DataFrame:
    """Registry products -> IO sector of each known table (``refdata/io_sector_map.csv``).

    Returns
    -------
    pandas.DataFrame
        ``classification, product, io_code, basis``. An empty ``io_code`` means the product
        is deliberately not mapped for that table; ``basis`` says why (e.g. nickel smelting is
        not a Lampung activity) or which sector it is and why.
    """
    return _sector_map().copy()


def validate_sector_map(df: pd.DataFrame, *, path: str | None = None) -> pd.DataFrame:
    """Check a product-to-sector map (as read by ``read_csv``).

    Raises
    ------
    HilirDataError
        Missing columns, a product twice for one classification, an unknown
        classification or an IO code that the classification does not have, or an unmapped
        row without a reason; each names row and column.
    """
    df = require_columns(df, ["classification", "product", "io_code", "basis"], path=path)
    ref = sector_classifications()
    known = {c: set(g["code"]) for c, g in ref.groupby("classification")}
    dup = df.duplicated(["classification", "product"])
    if dup.any():
        i = int(np.argmax(dup.to_numpy()))
        raise HilirDataError(
            f"product {df['product'].iloc[i]!r} is mapped twice",
            path=path,
            row=int(df["_row"].iloc[i]),
            column="product",
        )
    for i in range(len(df)):
        row = int(df["_row"].iloc[i])
        cls, code = df["classification"].iloc[i], df["io_code"].iloc[i].strip()
        if cls not in known:
            raise HilirDataError(
                f"unknown classification {cls!r}", path=path, row=row, column="classification"
            )
        if code and code not in known[cls]:
            raise HilirDataError(
                f"{cls} has no sector {code!r}", path=path, row=row, column="io_code"
            )
        if not df["basis"].iloc[i].strip():
            raise HilirDataError(
                "every row needs its basis (or the reason it is not mapped)",
                path=path,
                row=row,
                column="basis",
            )
    out = df.drop(columns="_row").copy()
    out["io_code"] = out["io_code"].str.strip()
    return out.reset_index(drop=True)


@lru_cache(maxsize=1)
def _rates() -> pd.DataFrame:
    ref = resources.files("hilir") / "refdata" / "usd_idr_rates.csv"
    with resources.as_file(ref) as path:
        df = read_csv(path)
        cols = ["year", "idr_per_usd", "low", "high", "source", "status"]
        df = require_columns(df, cols, path=str(path))
        for col in ("idr_per_usd", "low", "high"):
            df[col] = parse_numbers(df, col, path=path, allow_missing=False)
        df["year"] = parse_numbers(df, "year", path=path, allow_missing=False).astype(int)
        bad = df[(df["low"] > df["idr_per_usd"]) | (df["idr_per_usd"] > df["high"])]
        if len(bad):
            raise HilirDataError(
                "an exchange rate lies outside its low-high range",
                path=path,
                row=int(bad["_row"].iloc[0]),
                column="idr_per_usd",
            )
        for col in ("source", "status"):
            empty = df[df[col].str.strip() == ""]
            if len(empty):
                raise HilirDataError(
                    f"every rate needs its {col}", path=path, row=int(empty["_row"].iloc[0]),
                    column=col,
                )  # fmt: skip
    return df.drop(columns="_row").reset_index(drop=True)


def usd_idr_rates() -> pd.DataFrame:
    """The shipped table of annual average rupiah per US dollar (``refdata/usd_idr_rates.csv``).

    Returns
    -------
    pandas.DataFrame
        ``year`` (int); ``idr_per_usd`` (Rp per US$, mean of the year's daily ECB cross
        rates); ``low``, ``high`` (Rp per US$, lowest and highest monthly mean of the year);
        ``source`` and ``status`` (text). See ``refdata/README_jobs.md``.
    """
    return _rates().copy()


def usd_idr_rate(year: int) -> tuple[float, str]:
    """Annual average rupiah per US dollar in ``year``, with its source and status.

    Parameters
    ----------
    year : int
        Calendar year of the values converted (a rate of another year is never used).

    Returns
    -------
    (float, str)
        Rate (Rp per US$, mean of the year's daily cross rates IDR/EUR over USD/EUR of the
        ECB euro reference rates) and "source (status)" text.

    Raises
    ------
    HilirDataError
        The table has no rate for ``year`` (it covers full years of the ECB series, 2005
        partial, to the last full year); pass ``usd_to_idr=`` explicitly.
    """
    rates = _rates()
    hit = rates[rates["year"] == int(year)]
    if hit.empty:
        first, last = int(rates["year"].min()), int(rates["year"].max())
        raise HilirDataError(
            f"no rupiah per US dollar rate for {year}: refdata/usd_idr_rates.csv covers "
            f"{first}-{last}; pass usd_to_idr= explicitly"
        )
    row = hit.iloc[0]
    return float(row["idr_per_usd"]), f"{row['source']} ({row['status']})"


def ecb_usd_idr_annual(path: str | Path) -> pd.DataFrame:
    """Annual rupiah per US dollar from the ECB's ``eurofxref-hist.csv`` (how the table is made).

    Each day's cross rate is IDR per EUR divided by USD per EUR (both ECB reference rates of
    that day; days lacking either are skipped).

    Parameters
    ----------
    path : str or pathlib.Path
        The ECB file (``Date,USD,...,IDR,...``; missing rates written ``N/A``).

    Returns
    -------
    pandas.DataFrame
        One row per year: ``year``; ``idr_per_usd`` (Rp per US$, mean of the daily cross
        rates); ``low``, ``high`` (Rp per US$, lowest and highest monthly mean of those
        daily rates); ``days`` (number of days); ``first``, ``last`` (ISO dates).

    Raises
    ------
    HilirDataError
        The file lacks ``Date``, ``USD`` or ``IDR``, or holds a rate that is not a number.
    """
    df = require_columns(read_csv(path), ["Date", "USD", "IDR"], path=str(path))
    df = df[(df["USD"].str.strip() != "N/A") & (df["IDR"].str.strip() != "N/A")]
    if df.empty:
        raise HilirDataError("no day has both a USD and an IDR rate", path=path)
    cross = parse_numbers(df, "IDR", path=path, allow_missing=False) / parse_numbers(
        df, "USD", path=path, allow_missing=False
    )
    day = pd.to_datetime(df["Date"], format="%Y-%m-%d")
    daily = pd.DataFrame({"year": day.dt.year, "month": day.dt.month, "r": cross, "d": day})
    by_year = daily.groupby("year")
    monthly = daily.groupby(["year", "month"])["r"].mean().groupby("year")
    out = pd.DataFrame(
        {
            "idr_per_usd": by_year["r"].mean(),
            "low": monthly.min(),
            "high": monthly.max(),
            "days": by_year["r"].size(),
            "first": by_year["d"].min().dt.strftime("%Y-%m-%d"),
            "last": by_year["d"].max().dt.strftime("%Y-%m-%d"),
        }
    )
    return out.reset_index()
