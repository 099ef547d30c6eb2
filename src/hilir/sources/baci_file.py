"""CEPII BACI files on one machine: the filter-first reader behind ``read_baci``.

:func:`read_baci_file` reads one BACI file (CSV, gzip or a release zip) through one
streaming, typed scan (:mod:`hilir.sources.bulk_scan`, on Polars) that keeps the rows asked
and every row with a cell that looks wrong; only those rows are converted to the tidy trade
table, where :func:`_checked` names the row and column at fault. :func:`filter_baci` writes
the rows kept to a smaller BACI file. :func:`hilir.sources.baci.read_baci` is the public
entry point (``engine="polars"`` calls :func:`read_baci_file`, ``engine="dask"``
:func:`hilir.sources.baci_dask.read_baci_dask`, whose tasks call :func:`read_baci_file`).
"""

from __future__ import annotations

import functools
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from hilir.errors import HilirDataError, HilirDataWarning, caller_stacklevel
from hilir.fileio import read_csv
from hilir.hs import normalise_hs_code
from hilir.paths import data_dir
from hilir.registry.partners import (
    numeric_codes,
    resolve_numeric,
    resolve_partner,
    resolve_reporter,
)
from hilir.schema.cells import MISSING_TOKENS, parse_number
from hilir.schema.tables import TRADE, conform
from hilir.sources.bulk_scan import (
    Filters,
    commit_store,
    hs_ranges,
    scan_baci,
    scan_store,
    store_draft,
    store_is_current,
)

PathLikeStr = str | PathLike[str]

_COLUMNS = ("t", "i", "j", "k", "v", "q")
_REVISION = re.compile(r"HS(92|96|02|07|12|17|22)", re.IGNORECASE)
_REVISIONS = {
    "92": "HS1992",
    "96": "HS1996",
    "02": "HS2002",
    "07": "HS2007",
    "12": "HS2012",
    "17": "HS2017",
    "22": "HS2022",
}
#: BACI publishes values in thousand US dollars and quantities in tonnes.
VALUE_SCALE = 1000.0
QUANTITY_SCALE = 1000.0


def read_baci_file(
    path: PathLikeStr,
    *,
    source: str = "baci",
    country_codes: str | PathLike[str] | None = None,
    hs_revision: str | None = None,
    exporters: Sequence[str] | None = None,
    hs_prefixes: Sequence[str] | None = None,
    partners: Sequence[str] | None = None,
    years: Sequence[int] | None = None,
    store: bool | str | PathLike[str] | None = None,
    progress: bool | None = None,
) -> pd.DataFrame:
    """Read one BACI file on this machine (``read_baci(path, engine="polars")``).

    Parameters, return value, errors and warnings are those of
    :func:`hilir.sources.baci.read_baci` (the trade table; ``value_usd`` in USD,
    ``net_weight_kg`` in kg).
    """
    ask = _ask(
        path,
        source=source,
        country_codes=country_codes,
        hs_revision=hs_revision,
        exporters=exporters,
        hs_prefixes=hs_prefixes,
        partners=partners,
        years=years,
    )
    folder = _store_folder(path, store)
    if folder is not None and store_is_current(folder, path):
        table, _ = _checked(scan_store(folder, ask.filters), path, ask)
        return table
    write_to = folder if store is not None else None
    with store_draft(write_to) as draft:  # the store is written as the file is scanned
        scan = scan_baci(path, ask.filters, progress=progress, store=draft)
        table, _ = _checked(scan.frame, path, ask)
        if draft is not None and write_to is not None and scan.typed:
            commit_store(draft, write_to, path)  # kept once the rows read pass every check
    return table


def filter_baci(
    path: PathLikeStr,
    out: PathLikeStr,
    *,
    exporters: Sequence[str] | None = None,
    hs_prefixes: Sequence[str] | None = None,
    partners: Sequence[str] | None = None,
    years: Sequence[int] | None = None,
    country_codes: str | PathLike[str] | None = None,
    hs_revision: str | None = None,
    progress: bool | None = None,
    label: PathLikeStr | None = None,
) -> pd.DataFrame:
    """Keep the rows asked of a BACI file in a smaller BACI file, checking the whole file.

    One scan, as :func:`read_baci` reads: every line of ``path`` is checked, and the rows the
    filters keep are written to ``out`` (header ``t,i,j,k,v,q``, the values as read, ``NA``
    for a missing quantity), atomically. ``hilir data fetch baci`` keeps
    an exporter's rows of a release archive's yearly file this way.

    Parameters
    ----------
    path : str or os.PathLike
        The BACI file (CSV, gzip or zip, as for :func:`read_baci`).
    out : str or os.PathLike
        The smaller file.
    exporters, hs_prefixes, partners, years, country_codes, hs_revision
        As for :func:`read_baci`.
    progress : bool, optional
        A progress bar (bytes and rows); by default for files over 50 MB.
    label : str or os.PathLike, optional
        The name errors give (default ``path``), such as ``archive.zip:member.csv``.

    Returns
    -------
    pandas.DataFrame
        The rows kept as :func:`read_baci` returns them.

    Raises
    ------
    HilirDataError
        As :func:`read_baci`, naming ``label``, the line and the column; ``out`` is then
        not written.
    """
    import polars as pl

    from hilir.fileio import atomic_write_text

    where = path if label is None else label
    ask = _ask(
        path,
        source="baci",
        country_codes=country_codes,
        hs_revision=hs_revision,
        exporters=exporters,
        hs_prefixes=hs_prefixes,
        partners=partners,
        years=years,
    )
    scan = scan_baci(path, ask.filters, progress=progress, label=where)
    table, keep = _checked(scan.frame, where, ask)
    rows = scan.frame.filter(pl.Series(keep)).select(_COLUMNS)
    rows = rows.with_columns(
        q=pl.when(pl.col("q").str.strip_chars() == "").then(pl.lit("NA")).otherwise("q")
    )
    atomic_write_text(out, rows.write_csv())
    return table


@dataclass(frozen=True)
class _Ask:
    """What a read asks for: the filters pushed into the scan and checked after it."""

    revision: str | None
    source: str
    mapping: dict[int, tuple[str, str]] | None
    wanted: set[str] | None
    importers: set[str] | None
    years: list[int] | None
    prefixes: tuple[str, ...] | None
    filters: Filters


def _ask(
    path: PathLikeStr,
    *,
    source: str,
    country_codes: str | PathLike[str] | None,
    hs_revision: str | None,
    exporters: Sequence[str] | None,
    hs_prefixes: Sequence[str] | None,
    partners: Sequence[str] | None,
    years: Sequence[int] | None,
) -> _Ask:
    mapping = _country_table(country_codes) if country_codes is not None else None
    wanted = {resolve_reporter(e) for e in exporters} if exporters is not None else None
    importers = {resolve_partner(p)[0] for p in partners} if partners is not None else None
    return _Ask(
        revision=_revision(path, hs_revision),
        source=source,
        mapping=mapping,
        wanted=wanted,
        importers=importers,
        years=[int(y) for y in years] if years is not None else None,
        prefixes=tuple(str(p) for p in hs_prefixes) if hs_prefixes is not None else None,
        filters=Filters(
            exporters=_numeric_codes(wanted, mapping) if wanted is not None else None,
            partners=_numeric_codes(importers, mapping) if importers is not None else None,
            years=frozenset(int(y) for y in years) if years is not None else None,
            hs_ranges=hs_ranges(hs_prefixes) if hs_prefixes is not None else None,
        ),
    )


def _checked(cells: Any, path: PathLikeStr, ask: _Ask) -> tuple[pd.DataFrame, np.ndarray]:
    """The checks on the rows a scan kept; the trade table of the rows asked, and their mask.

    Every row is checked (the suspect rows too, so a bad cell anywhere in the file is found),
    then the rows not asked for are dropped. The cells are checked as Polars columns (a few
    rows from a filtered scan, or every row of an unfiltered one, at the same small cost per
    column); the rows asked become the trade table through :func:`conform`.
    """
    import polars as pl

    rows = cells["_row"].to_numpy()
    year = _integers(cells, "t", path, rows)
    reporter, _ = _countries(cells, "i", path, ask.mapping, rows)
    partner, partner_type = _countries(cells, "j", path, ask.mapping, rows)
    codes = _products(cells, path, rows)
    value = _numbers(cells, "v", path, rows, required=True) * VALUE_SCALE
    weight = _numbers(cells, "q", path, rows, required=False) * QUANTITY_SCALE
    table = pl.DataFrame(
        {
            "year": year,
            "reporter": reporter,
            "partner": partner,
            "partner_type": partner_type,
            "hs_code": codes,
            "value_usd": value,
            "net_weight_kg": weight,
            "_row": cells["_row"],
        }
    )
    asked = [pl.lit(True)]
    if ask.wanted is not None:
        asked.append(pl.col("reporter").is_in(sorted(ask.wanted)))
    if ask.importers is not None:  # pushed into the scan; here for rows read another way
        asked.append(pl.col("partner").is_in(sorted(ask.importers)))
    if ask.years is not None:
        asked.append(pl.col("year").is_in(ask.years))
    if ask.prefixes is not None:
        asked.append(_starts_with(pl.col("hs_code"), ask.prefixes))
    wanted = table.select(pl.all_horizontal(asked).alias("w"))["w"].to_numpy()
    keep = cells["_keep"].to_numpy().astype(bool) & wanted
    table = table.filter(pl.Series(keep))
    dup = ~table.select(
        pl.struct("year", "reporter", "partner", "hs_code").is_first_distinct().alias("d")
    )["d"].to_numpy()
    if dup.any():
        raise HilirDataError(
            "the same exporter, importer and product appear twice",
            path=path,
            row=int(table["_row"].to_numpy()[dup][0]),
            column="k",
        )
    out = table.with_columns(
        hs6=pl.col("hs_code").str.slice(0, 6),  # codes are six digits here (hs6_of)
        month=pl.lit(None, dtype=pl.Int64),
        flow=pl.lit("export"),
        item_code=pl.lit(""),
        hs_revision=pl.lit(ask.revision, dtype=pl.String),
        source=pl.lit(ask.source),
    ).to_pandas(types_mapper=_pandas_text().get)  # text as the table's "string" type, uncast
    return conform(out, TRADE, path=path, row_numbers=out["_row"]), keep


@functools.cache
def _pandas_text() -> dict[Any, Any]:
    """Arrow text types -> the pandas ``"string"`` type of the tables (for ``to_pandas``)."""
    import pyarrow as pa

    types = [pa.string(), pa.large_string()]
    if hasattr(pa, "string_view"):  # pyarrow 16 and later
        types.append(pa.string_view())
    return dict.fromkeys(types, pd.StringDtype())


def _starts_with(codes: Any, prefixes: tuple[str, ...]) -> Any:
    """Whether each code starts with one of ``prefixes``: one lookup per prefix length."""
    import polars as pl

    by_length: dict[int, list[str]] = {}
    for p in prefixes:
        by_length.setdefault(len(p), []).append(p)
    return pl.any_horizontal(codes.str.slice(0, n).is_in(ps) for n, ps in by_length.items())


def _bad_row(bad: np.ndarray, rows: np.ndarray) -> int:
    """The file line of the first row where ``bad`` holds."""
    return int(rows[np.flatnonzero(bad)[0]])


def _integers(cells: Any, col: str, path: PathLikeStr, rows: np.ndarray) -> Any:
    """Whole numbers (digits only) as Int64; the first other cell is a located error."""
    import polars as pl

    text = cells[col].str.strip_chars()
    values = text.cast(pl.Int64, strict=False)
    bad = (~text.str.contains(r"^[0-9]+$") | values.is_null()).fill_null(True).to_numpy()
    if bad.any():
        raise HilirDataError(
            f"{cells[col].to_numpy()[bad][0]!r} is not a whole number",
            path=path,
            row=_bad_row(bad, rows),
            column=col,
        )
    return values


def _numbers(cells: Any, col: str, path: PathLikeStr, rows: np.ndarray, *, required: bool) -> Any:
    """Numbers as Float64 (missing tokens as null); others a located error."""
    import polars as pl

    text = cells[col].str.strip_chars()
    missing = text.str.to_lowercase().is_in(sorted(MISSING_TOKENS)).to_numpy()
    values = text.cast(pl.Float64, strict=False).to_numpy().astype(float, copy=True)
    values[missing] = np.nan
    bad = ~np.isfinite(values) & ~missing  # "inf" is no trade value either
    for pos in np.flatnonzero(bad):  # written by hand? "1,097,012.5" or "12,5"
        try:
            number = parse_number(text[int(pos)])
        except ValueError:
            break
        values[pos] = number
        bad[pos] = False
    if bad.any():
        raise HilirDataError(
            f"{cells[col].to_numpy()[bad][0]!r} is not a number",
            path=path,
            row=_bad_row(bad, rows),
            column=col,
        )
    if required and missing.any():
        raise HilirDataError("value is missing", path=path, row=_bad_row(missing, rows), column=col)
    negative = values < 0
    if negative.any():
        raise HilirDataError(
            f"negative value {cells[col].to_numpy()[negative][0]!r}",
            path=path,
            row=_bad_row(negative, rows),
            column=col,
        )
    return pl.Series(col, values, dtype=pl.Float64).fill_nan(None)


def _products(cells: Any, path: PathLikeStr, rows: np.ndarray) -> Any:
    """HS6 codes as six-digit text (leading zeros restored, with one warning)."""
    import polars as pl

    text = cells["k"].str.strip_chars()
    normalised: dict[str, str] = {}
    restored = 0
    for code in text.unique(maintain_order=True).to_list():
        try:
            normalised[code], fixed = normalise_hs_code(code, length=6, warn=False)
        except HilirDataError as exc:
            bad = (text == code).to_numpy()
            raise HilirDataError(
                exc.reason, path=path, row=_bad_row(bad, rows), column="k"
            ) from exc
        restored += fixed
    if restored:
        warnings.warn(
            f"{path}: {restored} HS6 code(s) in column 'k' had lost their leading zero "
            "(stored as numbers); zeros restored",
            HilirDataWarning,
            stacklevel=caller_stacklevel(),
        )
    return text.replace_strict(normalised, return_dtype=pl.String)


def _countries(
    cells: Any,
    col: str,
    path: PathLikeStr,
    mapping: dict[int, tuple[str, str]] | None,
    rows: np.ndarray,
) -> tuple[Any, Any]:
    """ISO codes and partner types of numeric country codes; an unknown one is located."""
    import polars as pl

    text = cells[col].str.strip_chars()
    codes: dict[str, str] = {}
    types: dict[str, str] = {}
    for code in text.unique(maintain_order=True).to_list():
        try:
            number = int(code)
            if mapping is not None:
                if number not in mapping:
                    raise HilirDataError(f"country code {number} is not in the country table")
                if mapping[number][1] == "error":
                    raise HilirDataError(mapping[number][0])
                found = mapping[number]
            else:
                found = resolve_numeric(number)
        except (HilirDataError, ValueError) as exc:
            reason = (
                exc.reason
                if isinstance(exc, HilirDataError)
                else (f"{code!r} is not a numeric country code")
            )
            bad = (text == code).to_numpy()
            raise HilirDataError(reason, path=path, row=_bad_row(bad, rows), column=col) from None
        codes[code], types[code] = found
    return (
        text.replace_strict(codes, return_dtype=pl.String),
        text.replace_strict(types, return_dtype=pl.String),
    )


def _revision(path: PathLikeStr, given: str | None) -> str | None:
    if given is not None:
        from hilir.hs import revision_from_comtrade

        return revision_from_comtrade(given)
    m = _REVISION.search(Path(path).name)
    if m:
        return _REVISIONS[m.group(1)]
    warnings.warn(
        f"{path}: the file name does not say the HS revision (BACI_HSxx_...); hs_revision is "
        "left empty (pass hs_revision=...)",
        HilirDataWarning,
        stacklevel=caller_stacklevel(),
    )
    return None


def _store_folder(path: PathLikeStr, store: bool | str | PathLike[str] | None) -> Path | None:
    """Where the Parquet copy of ``path`` is (or goes); ``None`` when it is not used."""
    if store is False:
        return None
    if store is None or store is True:
        return default_store(path)
    return Path(store)


def default_store(path: PathLikeStr) -> Path:
    """The Parquet copy of a BACI file in the data folder: ``bulk/baci/<file name>``."""
    return data_dir() / "bulk" / "baci" / Path(path).name


def _numeric_codes(codes: set[str], mapping: dict[int, tuple[str, str]] | None) -> frozenset[int]:
    """The numeric codes of the file that stand for these ISO codes (pushed into the scan)."""
    if mapping is not None:
        return frozenset(
            n for n, (code, kind) in mapping.items() if code in codes and kind != "error"
        )
    return frozenset(n for c in codes for n in numeric_codes(c))


def _country_table(path: str | PathLike[str]) -> dict[int, tuple[str, str]]:
    """Numeric code -> (code, partner type) from BACI's country table."""
    table = read_csv(path)
    norm = {re.sub(r"[^a-z0-9]", "", c.lower()): c for c in table.columns}
    code_col = norm.get("countrycode")
    iso_col = norm.get("countryiso3") or norm.get("iso3digitalpha")
    name_col = norm.get("countryname") or norm.get("countrynameabbreviation")
    if code_col is None or (iso_col is None and name_col is None):
        raise HilirDataError(
            "a BACI country table needs country_code and country_iso3 (or country_name)",
            path=path,
            row=1,
            column="country_code" if code_col is None else "country_iso3",
        )
    out: dict[int, tuple[str, str]] = {}
    for _, r in table.iterrows():
        row = int(r["_row"])
        try:
            number = int(str(r[code_col]).strip())
        except ValueError:
            raise HilirDataError(
                f"{r[code_col]!r} is not a number", path=path, row=row, column=code_col
            ) from None
        iso = str(r[iso_col]).strip() if iso_col is not None else ""
        name = str(r[name_col]).strip() if name_col is not None else ""
        found = None
        for text in (iso, name):
            if not text:
                continue
            try:
                found = resolve_partner(text)
                break
            except HilirDataError:
                continue
        if found is None:
            try:
                found = resolve_numeric(number)
            except HilirDataError:
                # Only an error if the trade file uses it (BACI lists historic units too).
                found = (
                    f"country {number} ({name or iso}, line {row} of {Path(path).name}) is "
                    "not a known country, residual or aggregate",
                    "error",
                )
        out[number] = found
    return out
