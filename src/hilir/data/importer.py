"""``hilir data import``: validate a user's own download and file it with a provenance sidecar.

The file is read by the same reader as the shipped data (a bad file is rejected with the
row and column at fault and nothing is written), copied unchanged into ``data/user/<format>/``
and described by a sidecar whose key starts with ``user_``. A CSV reader reads the ``.xlsx``
form of its table too (the first worksheet, or ``--option sheet=NAME``; see
:mod:`hilir.sources._xlsx`): the workbook is stored as downloaded, with its own checksum.
At build time a user's source replaces the shipped rows of the products, years, partners
and flows it reports, never a chain's other products (see :mod:`hilir.data.precedence`).

A CEPII BACI file (``hilir data import baci``, ``hilir data fetch baci``) is read by the
streaming, filter-first scan of :mod:`hilir.sources.bulk_scan` with a progress bar, copied
without being held in memory, and also written as Parquet partitioned by year and exporter
in ``<data folder>/bulk/baci/<file name>/`` with a copy of its sidecar (:func:`store_bulk`),
so later reads of it (the build's) read the Parquet, not the CSV.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path
from typing import Any

import pandas as pd

from hilir.data.options import reader_options
from hilir.data.precedence import USER_PREFIX
from hilir.errors import HilirDataError
from hilir.fileio import atomic_write, atomic_write_bytes, is_workbook, workbook_csv
from hilir.paths import user_dir
from hilir.provenance.sidecar import Provenance, discover, sha256_of, write_sidecar
from hilir.sources.catalog import reader_info


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:60] or "file"


def _stored_name(src: Path, sheet: str | None) -> str:
    """The copy's file name: the download's, with the worksheet when one was named."""
    return f"{src.stem}.{_slug(sheet)}{src.suffix}" if sheet else src.name


def _sheet_note(src: Path, sheet: str | None, reader: Any) -> str:
    """Which worksheet a CSV reader read (readers of their own workbooks choose theirs)."""
    if not is_workbook(src) or not hasattr(reader, "__wrapped__"):
        return ""
    return f" (worksheet {workbook_csv(src, sheet=sheet)[0]!r} of the workbook)"


def _coverage(df: pd.DataFrame) -> tuple[str, int | None, str]:
    years = pd.to_numeric(df.get("year", pd.Series(dtype="float64")), errors="coerce").dropna()
    geo_col = next((c for c in ("reporter", "geo", "region") if c in df.columns), None)
    geography = "unknown"
    if geo_col is not None and not df[geo_col].dropna().empty:
        values = sorted(df[geo_col].dropna().astype(str).unique())
        geography = values[0] if len(values) == 1 else "; ".join(values[:5])
    if years.empty:
        return "", None, geography
    first, last = int(years.min()), int(years.max())
    return (f"{first}" if first == last else f"{first}-{last}"), last, geography


def _refuse_clash(
    existing: dict[str, Provenance],
    *,
    key: str,
    dest: Path,
    digest: str,
    src: Path,
    sheet: str | None = None,
) -> None:
    """Raise when an import would count a download twice or replace another download.

    * the same bytes (and, for a workbook, the same worksheet) already imported under
      another key (the year would be doubled);
    * another download already stored under the same file name (it would be replaced);
    * the key already used by another file.
    """
    for other in existing.values():
        same_sheet = (other.reader_args or {}).get("sheet") == sheet
        if other.sha256 == digest and other.key != key and same_sheet:
            raise HilirDataError(
                f"this file was already imported as {other.key!r} ({other.data_path}); "
                "importing it again under another key would count its flows twice",
                path=src,
            )
        same_place = other.data_path.resolve() == dest.resolve()
        if same_place and other.sha256 != digest:
            raise HilirDataError(
                f"another download named {dest.name!r} was imported before as {other.key!r}; "
                "rename the new file (or remove the earlier import from the data folder's "
                "user/ folder) so that neither replaces the other",
                path=src,
            )
    if key in existing and existing[key].data_path.resolve() != dest.resolve():
        raise HilirDataError(f"key {key!r} is already used by {existing[key].data_path}")


def import_file(
    fmt: str,
    path: str | Path,
    *,
    key: str | None = None,
    title: str | None = None,
    url: str | None = None,
    reader_args: dict[str, Any] | None = None,
) -> Provenance:
    """Validate a download, copy it into ``data/user/`` and write its sidecar.

    Parameters
    ----------
    fmt : str
        Reader name (``comtrade``, ``bps_exports``, ``faostat_trade``, ...; see
        ``hilir data import --help``).
    path : str or pathlib.Path
        The downloaded file. It is never modified.
    key : str, optional
        Provenance key; ``user_`` is prefixed when missing. Default: from the file name.
    title, url : str, optional
        Title and address of the download, recorded in the sidecar.
    reader_args : dict, optional
        Options for the reader (``reporter="ID-LA"`` for a Lampung BPS download,
        ``unit="t"`` for ICO tables, ...); text values are typed as the reader declares
        (:func:`hilir.data.options.reader_options`).

    Returns
    -------
    Provenance
        The new record (its ``path`` is the sidecar).

    Raises
    ------
    HilirOptionError
        An unknown, missing or mistyped option (naming the valid ones).
    HilirDataError
        If the reader rejects the file or reads no rows from it, the key is already used
        by another file, the same file was imported under another key, or another download
        of the same name was imported before. Importing the same file under the same key
        again returns its record and changes nothing.
    """
    info = reader_info(fmt)
    src = Path(path)
    args = reader_options(info.function(), dict(reader_args or {}), reader=fmt)
    sheet = args.get("sheet")
    key = key or f"{fmt}_{_slug(src.stem)}" + (f"_{_slug(sheet)}" if sheet else "")
    if not key.startswith(USER_PREFIX):
        key = USER_PREFIX + key
    df = info.function()(src, source=key, **args)
    if df.empty:
        raise HilirDataError(
            f"read_{fmt} found no rows in the file with the options {args or 'given'}; "
            "check the options (a series, item or reporter that the file does not hold?)",
            path=src,
        )
    coverage, latest, geography = _coverage(df)

    dest = user_dir() / fmt / _stored_name(src, sheet)
    existing = {r.key: r for r in discover(user_dir())} if user_dir().is_dir() else {}
    digest = sha256_of(src)
    _refuse_clash(existing, key=key, dest=dest, digest=digest, src=src, sheet=sheet)
    if key in existing and existing[key].sha256 == digest:
        store_bulk(existing[key])
        return existing[key]  # the same file under the same key: already imported
    if fmt == "baci":  # bulk files: copied in chunks, never held in memory

        def copy(tmp: Path) -> None:
            shutil.copyfile(src, tmp)

        atomic_write(dest, copy)
    else:
        atomic_write_bytes(dest, src.read_bytes())
    note = _sheet_note(src, sheet, info.function())
    record = Provenance(
        key=key,
        file=dest.name,
        reader=fmt,
        table=info.table,
        publisher=info.publisher,
        title=title or f"{info.label_en} download: {src.name}",
        url=url or info.url,
        taken_from=f"imported by the user with `hilir data import` from {src.resolve()}",
        accessed=dt.date.today().isoformat(),
        licence=info.licence,
        citation=f"{info.publisher}, {title or src.name} (downloaded by the user)",
        source_label={"id": info.label_id, "en": info.label_en},
        geography=geography,
        coverage=coverage or "unknown",
        latest_year=latest,
        sha256=sha256_of(dest),
        reader_args=args,
        trust="as downloaded by the user",
        notes=f"{len(df):,} rows validated by read_{fmt} on import{note}.",
        path=dest.with_name(dest.name + ".provenance.yaml"),
    )
    write_sidecar(record)
    store_bulk(record)
    return record


def store_bulk(record: Provenance) -> Path | None:
    """The Parquet copy of an imported BACI file (by year and exporter), with its sidecar.

    Written by :func:`hilir.sources.bulk_scan.write_store` in
    :func:`hilir.sources.baci.default_store` unless a current one is there (then only its
    copy of the sidecar is refreshed).

    Returns
    -------
    pathlib.Path or None
        The store folder; ``None`` for another reader, or a BACI file with quoted cells (read
        from the CSV each time).
    """
    if record.reader != "baci" or record.path is None:
        return None
    from hilir.sources.baci import default_store
    from hilir.sources.bulk_scan import STORE_SIDECAR, store_is_current, write_store

    folder = default_store(record.data_path)
    if store_is_current(folder, record.data_path):
        atomic_write_bytes(folder / STORE_SIDECAR, record.path.read_bytes())
        return folder
    try:
        return write_store(record.data_path, folder, sidecar=record.path)
    except HilirDataError:
        return None
