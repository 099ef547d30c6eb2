"""CEPII BACI files past one machine: the BACI reader as a Dask DataFrame.

:func:`read_baci_dask` takes what :func:`hilir.sources.baci.read_baci` takes, for many files
at once (the yearly files of a release, a glob of them, a release zip, or the Parquet store
that :func:`hilir.sources.bulk_scan.write_store` writes), and returns a lazy
:class:`dask.dataframe.DataFrame` with the columns and dtypes of
:data:`hilir.schema.tables.TRADE`. Computed, it holds the rows :func:`read_baci` gives for
each file, with the same values, file after file.

Design. One task per input file, and the task *is* :func:`read_baci` with the same filters:

* every check, every located error (:class:`~hilir.errors.HilirDataError` with the file, row
  and column; it pickles with them, so a worker's error reaches the caller as it was raised)
  and every unit conversion are the single-process reader's, not a copy that could drift;
* BACI is published as one file per year, so the files of a release are the natural
  partitions: the full history (HS92, 1995 onwards) is about 30 tasks of 6-10 million rows,
  each read by the reader's own scan, which already keeps the worker's cores busy;
* the filters are pushed into each file's scan, so a task returns only the rows asked and
  the workers send little back.

A release zip is split into its yearly members (one task each, decompressed on the worker).
A store folder (``<store>/year=YYYY/exporter=NNN/*.parquet``) is read one task per year
folder, the year and exporter filters choosing folders before any file is opened and the HS
and importer filters pushed into the Parquet scan; the store holds typed columns already
checked when the file was stored, and the same conversion to the trade table (codes,
units, HS6 padding) is applied, checking again the cells a hand-written store could get wrong.

A single file is one task: the bar of issue 17 (a 20-million-row file on a 2-worker
``LocalCluster`` within 2x of the single-process ingest) is met without cutting the file by
byte ranges, since the one-file scan is already parallel on the worker; cutting it again
into tasks would add a pass to find line boundaries and send the rows' line numbers across.
Measured with ``benchmarks/bench_ingest.py --sizes 20`` (2 CPUs): 2.45 s wall for
``hilir-dask`` against 2.27 s for the single-process reader (1.08x; cluster start and
imports not timed).

Dask is optional (``pip install 'hilir[dask]'``) and imported only when this reader runs.
The workers must be able to import hilir and to open the paths given (a shared or network
file system for a cluster of several machines).
"""

from __future__ import annotations

import glob
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from hilir.errors import HilirDataError, HilirOptionError
from hilir.hs import hs6_of, normalise_hs_code
from hilir.registry.partners import resolve_numeric, resolve_partner, resolve_reporter
from hilir.schema.tables import TRADE, conform, empty
from hilir.sources.baci_file import (
    QUANTITY_SCALE,
    VALUE_SCALE,
    _country_table,
    _numeric_codes,
    _revision,
    default_store,
    read_baci_file,
)
from hilir.sources.bulk_scan import Filters, hs_ranges, store_is_current

if TYPE_CHECKING:
    import dask.dataframe as dd
    import distributed

PathLikeStr = str | PathLike[str]

#: The message of the error raised when Dask is not installed.
INSTALL_HINT = "read_baci_dask needs Dask: pip install 'hilir[dask]'"
_STORE_STAMP = "_store.json"
_ZIP_SKIP = ("country_codes", "product_codes")
#: The store's column behind each trade-table column (for the errors of a store's rows).
_STORE_COLUMNS = {
    "year": "t",
    "reporter": "i",
    "partner": "j",
    "partner_type": "j",
    "hs_code": "k",
    "hs6": "k",
    "item_code": "k",
    "value_usd": "v",
    "net_weight_kg": "q",
}


def read_baci_dask(
    paths: PathLikeStr | Sequence[PathLikeStr],
    *,
    exporters: Sequence[str] | None = None,
    hs_prefixes: Sequence[str] | None = None,
    partners: Sequence[str] | None = None,
    years: Sequence[int] | None = None,
    country_codes: PathLikeStr | None = None,
    hs_revision: str | None = None,
    source: str = "baci",
    store: bool | PathLikeStr | None = None,
    client: distributed.Client | None = None,
    scheduler: str | None = None,
) -> dd.DataFrame:
    """Read BACI files as a Dask DataFrame of the tidy trade table, one task per file.

    Parameters
    ----------
    paths : str, os.PathLike or sequence of them
        BACI yearly files (CSV, gzipped CSV), release zip archives (each yearly member is a
        task), glob patterns of such files (``"baci/BACI_HS92_Y*_V202501.csv"``), or store
        folders written by :func:`hilir.sources.bulk_scan.write_store` (a folder with
        ``year=YYYY/exporter=NNN/*.parquet``; one task per year). The workers open them, so
        on a cluster of several machines they must be on a file system every worker sees.
    exporters, hs_prefixes, partners, years
        The filters of :func:`hilir.sources.baci.read_baci` (exporter codes or names, HS6
        prefixes such as ``"0901"``, importer codes or names, years), pushed into each
        file's scan.
    country_codes : str or os.PathLike, optional
        BACI's ``country_codes_V*.csv``, as for :func:`read_baci`. Read once here and sent
        to the workers with each task (a few kilobytes).
    hs_revision : str, optional
        ``"HS1992"`` ... ``"HS2022"``; by default from each file name (``BACI_HS17_...``).
        For a store folder, from the folder name or the source file named in its
        ``_store.json``.
    source : str, default "baci"
        Provenance key.
    store : bool, str or os.PathLike, optional
        Each file's Parquet copy, as ``store`` of :func:`read_baci` (``None`` reads a
        current copy in the workers' data folder, ``True`` also writes it, ``False`` never
        uses it). A folder is used as it is for a single file; for several files each
        file's copy is ``<folder>/<file name>``. A zip archive is split into yearly tasks
        when ``store`` is ``None`` or ``False`` (with ``None``, the years of its current
        copy in the data folder when there is one); otherwise it is one task, its copy one
        store.
    client : distributed.Client, optional
        The client of an existing cluster. It becomes the scheduler of Dask computations in
        this session (``dask.config`` ``scheduler``), so ``.compute()`` runs there.
    scheduler : str, optional
        The address of an existing cluster's scheduler (``"tcp://host:8786"``); a
        :class:`distributed.Client` is made for it and becomes the default client. With
        neither ``client`` nor ``scheduler``, the frame is computed by whatever Dask uses
        then: the current ``distributed`` client if there is one, else Dask's local
        threads.

    Returns
    -------
    dask.dataframe.DataFrame
        Lazy; one partition per file (or zip member, or store year), in the order given.
        Columns and dtypes of :data:`hilir.schema.tables.TRADE` (``value_usd`` in USD,
        ``net_weight_kg`` in kg, as :func:`read_baci`). Each partition's index starts at 0.

    Raises
    ------
    ImportError
        Dask (or, with ``client`` or ``scheduler``, distributed) is not installed; the
        message says ``pip install 'hilir[dask]'``.
    HilirOptionError
        No paths, a glob that matches nothing, a path that does not exist, both ``client``
        and ``scheduler``, an HS prefix that is not 1 to 6 digits.
    HilirDataError
        When computed: any error of :func:`read_baci` in a file (naming the file, row and
        column), or, for a store, a cell that cannot be in a BACI file (naming the Parquet
        file, its row counted from 1, and the column ``t i j k v q``).

    Examples
    --------
    >>> ddf = read_baci_dask("baci/BACI_HS92_Y*_V202501.csv", exporters=["IDN"],
    ...                      hs_prefixes=["0901"])  # doctest: +SKIP
    >>> ddf.groupby("year")["value_usd"].sum().compute()  # doctest: +SKIP
    """
    dd = _dask_dataframe()
    if client is not None and scheduler is not None:
        raise HilirOptionError("give client or scheduler, not both")
    if hs_prefixes is not None:
        try:
            hs_ranges(hs_prefixes)
        except HilirDataError as exc:
            raise HilirOptionError(exc.reason) from None
    inputs = _inputs(paths)
    mapping = _country_table(country_codes) if country_codes is not None else None
    query = _Query(
        exporters=tuple(exporters) if exporters is not None else None,
        hs_prefixes=tuple(str(p) for p in hs_prefixes) if hs_prefixes is not None else None,
        partners=tuple(partners) if partners is not None else None,
        years=tuple(int(y) for y in years) if years is not None else None,
        country_codes=str(country_codes) if country_codes is not None else None,
        mapping=mapping,
        hs_revision=hs_revision,
        source=source,
    )
    parts = _parts(inputs, store, query)
    import dask

    if scheduler is not None:
        _distributed().Client(scheduler)  # becomes the default client
    elif client is not None:
        dask.config.set(scheduler=client)
    # The TRADE dtypes as read_baci gives them: Dask would otherwise turn pandas 2's
    # string[python] columns into string[pyarrow] (decided here, when the frame is made).
    with dask.config.set({"dataframe.convert-string": False}):
        if not parts:  # every store year left out by the year filter
            return dd.from_pandas(empty(TRADE), npartitions=1)
        return dd.from_map(_read_part, parts, query=query, meta=empty(TRADE), label="read-baci")


# --- what to read ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Query:
    """The filters and options every task applies (pickled to the workers)."""

    exporters: tuple[str, ...] | None
    hs_prefixes: tuple[str, ...] | None
    partners: tuple[str, ...] | None
    years: tuple[int, ...] | None
    country_codes: str | None
    mapping: dict[int, tuple[str, str]] | None
    hs_revision: str | None
    source: str


@dataclass(frozen=True)
class _Part:
    """One task: a file (``kind="file"``), a zip member (``"member"``) or a store year."""

    kind: str
    path: str
    member: str = ""
    store: bool | str | None = None
    folders: tuple[str, ...] = ()
    revision: str | None = None


def _inputs(paths: PathLikeStr | Sequence[PathLikeStr]) -> list[Path]:
    items: Iterable[PathLikeStr] = [paths] if isinstance(paths, str | PathLike) else paths
    out: list[Path] = []
    for item in items:
        text = str(item)
        if glob.has_magic(text):
            found = sorted(glob.glob(text))
            if not found:
                raise HilirOptionError(f"no file matches {text!r}")
            out += [Path(f) for f in found]
        else:
            p = Path(item)
            if not p.exists():
                raise HilirOptionError(f"{p}: file not found")
            out.append(p)
    if not out:
        raise HilirOptionError("no BACI file given")
    return out


def _parts(inputs: list[Path], store: bool | PathLikeStr | None, query: _Query) -> list[_Part]:
    parts: list[_Part] = []
    files = [p for p in inputs if not p.is_dir()]
    for p in inputs:
        if p.is_dir():
            parts += _store_parts(p, query)
            continue
        task_store: bool | str | None
        if store is None or isinstance(store, bool):
            task_store = store
        else:
            task_store = str(store) if len(files) == 1 else str(Path(store) / p.name)
        if task_store is None and zipfile.is_zipfile(p) and store_is_current(default_store(p), p):
            parts += _store_parts(default_store(p), query)  # its Parquet copy, year by year
        elif task_store in (None, False) and zipfile.is_zipfile(p):
            members = _zip_members(p)
            parts += [_Part("member", str(p), member=m) for m in members]
        else:
            parts.append(_Part("file", str(p), store=task_store))
    return parts


def _zip_members(path: Path) -> list[str]:
    try:
        with zipfile.ZipFile(path) as archive:
            names = [
                m.filename
                for m in archive.infolist()
                if m.filename.lower().endswith(".csv")
                and not any(s in m.filename.lower() for s in _ZIP_SKIP)
            ]
    except zipfile.BadZipFile as exc:
        raise HilirDataError("damaged zip archive (was the download cut?)", path=path) from exc
    if not names:
        raise HilirDataError("the zip archive holds no CSV file", path=path)
    return sorted(names)


def _store_parts(folder: Path, query: _Query) -> list[_Part]:
    """One part per year folder of a store, the year and exporter filters applied."""
    years = [d for d in sorted(folder.glob("year=*")) if d.is_dir()]
    if not years:
        raise HilirOptionError(
            f"{folder}: not a BACI file nor a store folder (no year=YYYY/exporter=NNN/ inside)"
        )
    revision = _store_revision(folder, query.hs_revision)
    wanted_years = set(query.years) if query.years is not None else None
    wanted = _exporter_numbers(query)
    parts = []
    for year_dir in years:
        year = _key_value(year_dir.name)
        if wanted_years is not None and year not in wanted_years:
            continue
        folders = [
            str(d)
            for d in sorted(year_dir.glob("exporter=*"))
            if d.is_dir() and (wanted is None or _key_value(d.name) in wanted)
        ]
        if folders:
            parts.append(_Part("store", str(folder), folders=tuple(folders), revision=revision))
    return parts


def _key_value(name: str) -> int:
    try:
        return int(name.partition("=")[2])
    except ValueError:
        raise HilirDataError(f"store folder {name!r} is not key=number") from None


def _exporter_numbers(query: _Query) -> frozenset[int] | None:
    if query.exporters is None:
        return None
    return _numeric_codes({resolve_reporter(e) for e in query.exporters}, query.mapping)


def _store_revision(folder: Path, given: str | None) -> str | None:
    """The HS revision of a store: given, else from its folder or its source file's name."""
    import json
    import warnings

    if given is not None:
        return _revision(folder, given)
    name = folder.name
    try:
        recorded = json.loads((folder / _STORE_STAMP).read_text(encoding="utf-8"))
        name = str(recorded["source"]["file"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    with warnings.catch_warnings():  # the store's own name may say it when the file's does not
        warnings.simplefilter("ignore")
        found = _revision(Path(name), None)
    return found if found is not None else _revision(folder, None)


# --- the tasks -------------------------------------------------------------------------------


def _read_part(part: _Part, query: _Query) -> pd.DataFrame:
    """One partition: a file read by :func:`read_baci`, a zip member, or a store year."""
    if part.kind == "store":
        return _read_store_year(part, query)
    if part.kind == "member":
        return _read_member(part, query)
    return _read_file(part.path, query, store=part.store)


def _read_file(path: PathLikeStr, query: _Query, *, store: bool | str | None) -> pd.DataFrame:
    return read_baci_file(
        path,
        source=query.source,
        country_codes=query.country_codes,
        hs_revision=query.hs_revision,
        exporters=query.exporters,
        hs_prefixes=query.hs_prefixes,
        partners=query.partners,
        years=query.years,
        store=store,
        progress=False,
    )


def _read_member(part: _Part, query: _Query) -> pd.DataFrame:
    """A yearly file inside a zip, decompressed to the worker's temporary folder."""
    tmp = tempfile.mkdtemp(prefix="hilir-baci-dask-")
    try:
        target = Path(tmp) / Path(part.member).name
        try:
            with zipfile.ZipFile(part.path) as archive, archive.open(part.member) as src:
                with open(target, "wb") as dst:
                    shutil.copyfileobj(src, dst, 1 << 22)
        except (EOFError, OSError, zipfile.BadZipFile) as exc:
            raise HilirDataError(
                f"{part.member}: the compressed file is cut or damaged ({exc})", path=part.path
            ) from exc
        try:
            return _read_file(target, query, store=False)
        except HilirDataError as exc:  # name the archive and its member, not the copy
            raise HilirDataError(
                exc.reason, path=f"{part.path}!{part.member}", row=exc.row, column=exc.column
            ) from exc
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _read_store_year(part: _Part, query: _Query) -> pd.DataFrame:
    """The rows asked from one year of a store, converted as :func:`read_baci` converts."""
    import polars as pl

    mapping = query.mapping
    partners = None
    if query.partners is not None:
        isos = {resolve_partner(p)[0] for p in query.partners}
        partners = _numeric_codes(isos, mapping)
    filters = Filters(
        partners=partners,
        hs_ranges=hs_ranges(query.hs_prefixes) if query.hs_prefixes is not None else None,
    )
    frames = []
    for folder in part.folders:
        year = _key_value(Path(folder).parent.name)
        exporter = _key_value(Path(folder).name)
        for file in sorted(Path(folder).glob("*.parquet")):
            cols = {"j": pl.col("j"), "k": pl.col("k")}
            lf = pl.scan_parquet(file).select("j", "k", "v", "q").with_row_index("_r")
            found = lf.filter(filters.expr(cols).fill_null(False)).collect()
            if found.height:
                frame = found.to_pandas()
                frame["t"] = year
                frame["i"] = exporter
                frame["_file"] = str(file)
                frames.append(frame)
    if not frames:
        return empty(TRADE)
    df = pd.concat(frames, ignore_index=True)
    return _store_to_trade(df, query, part.revision)


def _store_error(df: pd.DataFrame, bad: np.ndarray, reason: str, column: str) -> HilirDataError:
    at = int(np.flatnonzero(bad)[0])
    return HilirDataError(
        reason, path=df["_file"].iat[at], row=int(df["_r"].iat[at]) + 1, column=column
    )


def _store_to_trade(df: pd.DataFrame, query: _Query, revision: str | None) -> pd.DataFrame:
    """Typed store rows (``t i j k v q``, ``_file``, ``_r``) -> the trade table."""
    out = pd.DataFrame(index=df.index)
    out["year"] = df["t"].astype("int64")
    for col, name in (("i", "reporter"), ("j", "partner")):
        codes = df[col]
        if codes.isna().any():
            raise _store_error(df, codes.isna().to_numpy(), "value is missing", col)
        positions, uniques = pd.factorize(codes.astype("int64"))
        found = []
        for n, number in enumerate(uniques):
            try:
                found.append(_country(int(number), query.mapping))
            except HilirDataError as exc:
                raise _store_error(df, positions == n, exc.reason, col) from None
        pairs = np.asarray(found, dtype=object)
        out[name] = pd.array(pairs[positions, 0], dtype="string")
        if name == "partner":
            out["partner_type"] = pd.array(pairs[positions, 1], dtype="string")
    k = df["k"]
    if k.isna().any():
        raise _store_error(df, k.isna().to_numpy(), "value is missing", "k")
    positions, uniques = pd.factorize(k.astype("int64"))
    normalised = []
    for n, code in enumerate(uniques):
        try:
            normalised.append(normalise_hs_code(str(int(code)), length=6, warn=False)[0])
        except HilirDataError as exc:
            raise _store_error(df, positions == n, exc.reason, "k") from None
    out["hs_code"] = pd.array(np.asarray(normalised, dtype=object)[positions], dtype="string")
    v = df["v"].astype("float64").to_numpy()
    q = df["q"].astype("float64").to_numpy()
    if np.isnan(v).any():
        raise _store_error(df, np.isnan(v), "value is missing", "v")
    for col, values in (("v", v), ("q", q)):
        if (values < 0).any():
            raise _store_error(df, values < 0, f"negative value {values[values < 0][0]!r}", col)
    out["value_usd"] = v * VALUE_SCALE
    out["net_weight_kg"] = q * QUANTITY_SCALE
    out["month"] = pd.NA
    out["flow"] = "export"
    out["hs6"] = out["hs_code"].map(hs6_of).astype("string")
    out["item_code"] = ""
    out["hs_revision"] = revision
    out["source"] = query.source
    positions = pd.Series(np.arange(len(df)), index=df.index)
    try:
        return conform(out, TRADE, row_numbers=positions)
    except HilirDataError as exc:  # the row's own Parquet file and row
        if exc.row is None:
            raise
        at = np.zeros(len(df), dtype=bool)
        at[exc.row] = True
        column = _STORE_COLUMNS.get(exc.column or "", exc.column or "k")
        raise _store_error(df, at, exc.reason, column) from exc


def _country(number: int, mapping: dict[int, tuple[str, str]] | None) -> tuple[str, str]:
    if mapping is None:
        return resolve_numeric(number)
    if number not in mapping:
        raise HilirDataError(f"country code {number} is not in the country table")
    if mapping[number][1] == "error":
        raise HilirDataError(mapping[number][0])
    return mapping[number]


# --- optional imports ------------------------------------------------------------------------


def _dask_dataframe() -> Any:
    try:
        import dask.dataframe as dd
    except ImportError as exc:
        raise ImportError(INSTALL_HINT) from exc
    return dd


def _distributed() -> Any:
    try:
        import distributed
    except ImportError as exc:
        raise ImportError(INSTALL_HINT) from exc
    return distributed
