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

import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from os import PathLike
from pathlib import Path

import numpy as np
import pandas as pd

from hilir.errors import HilirDataError, HilirDataWarning
from hilir.fileio import read_csv
from hilir.hs import hs6_of, normalise_hs_code
from hilir.paths import data_dir
from hilir.registry.partners import (
    numeric_codes,
    resolve_numeric,
    resolve_partner,
    resolve_reporter,
)
from hilir.schema.cells import MISSING_TOKENS, parse_number
from hilir.schema.tables import TRADE, conform
from hilir.sources._common import check_nonnegative, first_bad
from hilir.sources.bulk_scan import (
    Filters,
    hs_ranges,
    scan_baci,
    scan_store,
    store_is_current,
    write_store,
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
    write_to = None
    if folder is not None and store_is_current(folder, path):
        df = scan_store(folder, ask.filters)
    else:
        scan = scan_baci(path, ask.filters, progress=progress)
        df = scan.frame
        if store is not None and scan.typed:  # written once the rows read pass every check
            write_to = folder
    table, _ = _checked(df, path, ask)
    if write_to is not None:
        write_store(path, write_to, progress=progress)
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
    rows = scan.frame.loc[keep, list(_COLUMNS)]
    rows = rows.assign(q=rows["q"].where(rows["q"].str.strip() != "", "NA"))
    lines = [",".join(_COLUMNS), *(",".join(r) for r in rows.itertuples(index=False))]
    atomic_write_text(out, "\n".join(lines) + "\n")
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


def _checked(df: pd.DataFrame, path: PathLikeStr, ask: _Ask) -> tuple[pd.DataFrame, np.ndarray]:
    """The checks on the rows a scan kept; the trade table of the rows asked, and their mask.

    Every row is checked (the suspect rows too, so a bad cell anywhere in the file is found),
    then the rows not asked for are dropped.
    """
    out = pd.DataFrame(index=df.index)
    out["year"] = _integers(df, "t", path)
    reporters = _countries(df, "i", path, ask.mapping)
    partner_codes = _countries(df, "j", path, ask.mapping)
    out["reporter"] = reporters["code"]
    out["partner"] = partner_codes["code"]
    out["partner_type"] = partner_codes["partner_type"]
    keep = df["_keep"].to_numpy(dtype=bool, copy=True)
    if ask.wanted is not None:
        keep &= out["reporter"].isin(ask.wanted).to_numpy()
    if ask.importers is not None:  # pushed into the scan; here for rows read another way
        keep &= out["partner"].isin(ask.importers).to_numpy()
    if ask.years is not None:
        keep &= out["year"].isin(ask.years).to_numpy()
    codes = _products(df, path)
    if ask.prefixes is not None:
        keep &= codes.str.startswith(ask.prefixes).to_numpy()
    out["hs_code"] = codes
    out["value_usd"] = _numbers(df, "v", path, required=True) * VALUE_SCALE
    out["net_weight_kg"] = _numbers(df, "q", path, required=False) * QUANTITY_SCALE
    out["_row"] = df["_row"]
    out = out.loc[keep]
    out["month"] = pd.NA
    out["flow"] = "export"
    out["hs6"] = out["hs_code"].map(hs6_of).astype("string")
    out["item_code"] = ""
    out["hs_revision"] = ask.revision
    out["source"] = ask.source
    dup = out.duplicated(subset=["year", "reporter", "partner", "hs_code"]).to_numpy()
    if dup.any():
        raise HilirDataError(
            "the same exporter, importer and product appear twice",
            path=path,
            row=int(out["_row"].to_numpy()[dup][0]),
            column="k",
        )
    return conform(out, TRADE, path=path, row_numbers=out["_row"]), keep


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
        stacklevel=4,
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


def _integers(df: pd.DataFrame, col: str, path: PathLikeStr) -> pd.Series:
    cells = df[col].str.strip()
    bad = ~cells.str.fullmatch(r"\d+").to_numpy(dtype=bool)
    if bad.any():
        raise HilirDataError(
            f"{df[col].to_numpy()[bad][0]!r} is not a whole number",
            path=path,
            row=first_bad(bad, df),
            column=col,
        )
    return cells.astype("int64")


def _numbers(df: pd.DataFrame, col: str, path: PathLikeStr, *, required: bool) -> pd.Series:
    cells = df[col].str.strip()
    missing = cells.str.lower().isin(MISSING_TOKENS).to_numpy(dtype=bool)
    values = np.array(pd.to_numeric(cells.where(~missing), errors="coerce"), dtype=float)
    bad = np.isnan(values) & ~missing
    for pos in np.flatnonzero(bad):  # written by hand? "1,097,012.5" or "12,5"
        try:
            number = parse_number(cells.iloc[pos])
        except ValueError:
            break
        values[pos] = number
        bad[pos] = False
    if bad.any():
        raise HilirDataError(
            f"{df[col].to_numpy()[bad][0]!r} is not a number",
            path=path,
            row=first_bad(bad, df),
            column=col,
        )
    if required and missing.any():
        raise HilirDataError("value is missing", path=path, row=first_bad(missing, df), column=col)
    return check_nonnegative(pd.Series(values, index=df.index), df, col, path=path)


def _products(df: pd.DataFrame, path: PathLikeStr) -> pd.Series:
    cells = df["k"].str.strip()
    positions, uniques = pd.factorize(cells)
    normalised: list[str] = []
    restored = 0
    for i, code in enumerate(uniques):
        try:
            text, fixed = normalise_hs_code(code, length=6, warn=False)
        except HilirDataError as exc:
            bad = positions == i
            raise HilirDataError(exc.reason, path=path, row=first_bad(bad, df), column="k") from exc
        normalised.append(text)
        restored += fixed
    if restored:
        warnings.warn(
            f"{path}: {restored} HS6 code(s) in column 'k' had lost their leading zero "
            "(stored as numbers); zeros restored",
            HilirDataWarning,
            stacklevel=4,
        )
    return pd.Series(
        np.asarray(normalised, dtype=object)[positions], index=df.index, dtype="string"
    )


def _countries(
    df: pd.DataFrame, col: str, path: PathLikeStr, mapping: dict[int, tuple[str, str]] | None
) -> pd.DataFrame:
    positions, uniques = pd.factorize(df[col].str.strip())
    found: list[tuple[str, str]] = []
    for i, code in enumerate(uniques):
        try:
            number = int(code)
            if mapping is not None:
                if number not in mapping:
                    raise HilirDataError(f"country code {number} is not in the country table")
                if mapping[number][1] == "error":
                    raise HilirDataError(mapping[number][0])
                found.append(mapping[number])
            else:
                found.append(resolve_numeric(number))
        except (HilirDataError, ValueError) as exc:
            reason = (
                exc.reason
                if isinstance(exc, HilirDataError)
                else (f"{code!r} is not a numeric country code")
            )
            raise HilirDataError(
                reason, path=path, row=first_bad(positions == i, df), column=col
            ) from None
    codes = np.asarray([f[0] for f in found], dtype=object)
    types = np.asarray([f[1] for f in found], dtype=object)
    return pd.DataFrame(
        {
            "code": pd.array(codes[positions], dtype="string"),
            "partner_type": pd.array(types[positions], dtype="string"),
        },
        index=df.index,
    )


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
