"""``hilir data build``: raw snapshots (and a user's imports) -> ``data/processed/*.parquet``.

Every input is found through its provenance sidecar, checked against its checksum, read by
the reader its sidecar names, and stacked into one tidy table per kind (trade, production,
prices, balances, published figures). Trade rows are joined with the registry (chain,
product, stage) and flagged ``preferred`` by source precedence; production rows whose value
jumps implausibly from one year to the next are flagged (never smoothed). Each table is written
atomically (temporary file, then rename) only after every input has been read, so a failed
build leaves the previous processed data untouched. A build whose inputs, registry and
readers are unchanged does nothing and says so.
"""

from __future__ import annotations

import hashlib
import json
import sys
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from hilir.errors import HilirDataWarning, caller_stacklevel
from hilir.fileio import atomic_write, atomic_write_text
from hilir.paths import processed_dir
from hilir.provenance.catalog import input_records
from hilir.provenance.sidecar import Provenance, verify_checksum
from hilir.schema.cells import year_range_error
from hilir.schema.tables import TABLES, Column, TableSpec
from hilir.sources.catalog import BUILT_TABLES, reader_info
from hilir.tempfiles import remove_stale_temp_files
from hilir.version import __version__

MANIFEST = "manifest.json"
DICTIONARY = "data_dictionary.csv"

#: Columns the build adds to the trade table.
TRADE_EXTRA = (
    Column("chain", "string", "key", "registry chain (coffee, nickel, ...)", True),
    Column("product", "string", "key", "registry product (coffee_green, ferronickel, ...)", True),
    Column("stage", "string", "category", "raw, intermediate, processed or mixed", True),
    Column("preferred", "bool", "flag", "source preferred for this flow (no double counting)"),
)


@dataclass
class BuildResult:
    """What a build did."""

    changed: bool
    rows: dict[str, int] = field(default_factory=dict)
    inputs: list[str] = field(default_factory=list)
    folder: Path | None = None
    notes: list[str] = field(default_factory=list)

    def message(self) -> str:
        """One line for the terminal."""
        if not self.changed:
            return f"processed data is up to date ({len(self.inputs)} inputs unchanged)"
        parts = ", ".join(f"{name} {n:,} rows" for name, n in self.rows.items())
        return f"built {parts} from {len(self.inputs)} inputs into {self.folder}"


def discover_inputs(*, include_user: bool = True) -> list[Provenance]:
    """Provenance records of every input (:func:`hilir.provenance.catalog.input_records`)."""
    return input_records(include_user=include_user)


def table_spec(name: str) -> TableSpec:
    """The spec of a built table (:data:`hilir.schema.tables.TABLES`)."""
    return TABLES[name]


def _fingerprint(records: Iterable[Provenance]) -> dict[str, str]:
    """Checksums of everything a build depends on: inputs, registry files, reader code."""
    package = Path(__file__).resolve().parent.parent
    code = hashlib.sha256(__version__.encode())
    folders = ("sources/*.py", "refdata/*.csv", "registry/*.py", "schema/*.py")
    files = ["data/pipeline.py", "data/precedence.py", "hs.py"]
    paths = sorted(
        {*(p for pat in folders for p in package.glob(pat)), *(package / f for f in files)}
    )
    for path in paths:
        if path.is_file():
            code.update(path.relative_to(package).as_posix().encode())
            code.update(path.read_bytes())
    # The reader's options count too: the same file read another way is another table.
    out = {
        rec.key: rec.sha256 + json.dumps(rec.reader_args or {}, sort_keys=True) for rec in records
    }
    out["__code__"] = code.hexdigest()
    return out


def _sha256(path: Path) -> str | None:
    """sha256 of a file, or None if it is missing."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _read(rec: Provenance) -> pd.DataFrame:
    info = reader_info(rec.reader)
    frame = info.function()(rec.data_path, source=rec.key, **(rec.reader_args or {}))
    if "year" in frame.columns:  # every reader's years, whatever cell it took them from
        error = year_range_error(frame["year"], path=rec.data_path, column="year")
        if error is not None:
            raise error
    return frame


def _finish_trade(frame: pd.DataFrame) -> pd.DataFrame:
    from hilir.data.precedence import flag_preferred
    from hilir.registry.tables import map_products, preferred_sources

    mapped = map_products(frame)
    mapped["preferred"] = flag_preferred(mapped, preferred_sources()).to_numpy()
    for col in TRADE_EXTRA:
        mapped[col.name] = mapped[col.name].astype(col.dtype)
    return mapped.sort_values(["source", "year", "hs_code", "item_code", "partner"]).reset_index(
        drop=True
    )


def _warn_new_data_dir() -> None:
    """Say so when ``HILIR_DATA_DIR`` names a folder that does not exist yet (a typo?)."""
    import os

    from hilir.paths import ENV_DATA_DIR, data_dir

    env = os.environ.get(ENV_DATA_DIR)
    if env and not data_dir().exists():
        warnings.warn(
            f"{ENV_DATA_DIR}={env} names no existing folder: a new, empty data folder is "
            f"started at {data_dir()} (your imports live in the data folder they were made "
            "in; check the spelling if you expected them)",
            HilirDataWarning,
            stacklevel=caller_stacklevel(),
        )


def build(*, force: bool = False, progress: bool = True) -> BuildResult:
    """Build ``data/processed/`` from the raw inputs.

    Parameters
    ----------
    force : bool, default False
        Rebuild even when nothing changed.
    progress : bool, default True
        Show a progress bar on standard error.

    Returns
    -------
    BuildResult
        ``changed`` is False when the inputs, registry and readers are unchanged.

    Raises
    ------
    HilirDataError
        A raw file whose checksum no longer matches its sidecar, an unknown reader, or a
        reader's rejection of a file. Nothing is written in that case.
    """
    from hilir.progress import progress_bar as tqdm

    _warn_new_data_dir()
    records = [r for r in discover_inputs() if r.table in BUILT_TABLES]
    out_dir = processed_dir()
    remove_stale_temp_files(out_dir)  # of a build that was killed while writing
    fingerprint = _fingerprint(records)
    manifest_path = out_dir / MANIFEST
    # Every build and every load (which calls the build) checks each raw file's bytes against
    # its sidecar first: an edited file is caught even while the processed data is current.
    for rec in records:
        verify_checksum(rec)
    if not force and manifest_path.is_file():
        old = json.loads(manifest_path.read_text(encoding="utf-8"))
        # the tables are the ones this manifest was written with (a build killed between two
        # table writes leaves newer tables under an older manifest: they are rebuilt)
        recorded = old.get("sha256") or {}
        tables_present = all(
            recorded.get(t) is not None and _sha256(out_dir / f"{t}.parquet") == recorded[t]
            for t in old.get("rows", {})
        )
        if old.get("fingerprint") == fingerprint and tables_present:
            inputs = [key for key in sorted(fingerprint) if key != "__code__"]
            return BuildResult(False, old.get("rows", {}), inputs, out_dir)

    frames: dict[str, list[pd.DataFrame]] = {t: [] for t in BUILT_TABLES}
    notes: list[str] = []
    bar = tqdm(records, desc="hilir data build", unit="file", disable=not progress, file=sys.stderr)
    for rec in bar:
        bar.set_postfix_str(rec.key, refresh=False)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            frames[rec.table].append(_read(rec))
        notes += [f"{rec.key}: {w.message}" for w in caught]

    tables: dict[str, pd.DataFrame] = {}
    for name, parts in frames.items():
        if not parts:
            continue
        table = pd.concat(parts, ignore_index=True)
        if name == "trade":
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                table = _finish_trade(table)
            notes += [f"trade: {w.message}" for w in caught]
        elif name == "production":
            from hilir.data.quality import flag_jumps

            table = flag_jumps(table)  # flagged, never smoothed
        elif name == "prices":
            from hilir.sources.pinksheet import keep_newest_vintage

            # several World Bank vintages are shipped: each (series, period) from the newest
            table = keep_newest_vintage(table, [r for r in records if r.table == "prices"])
        tables[name] = table

    for name, table in tables.items():
        atomic_write(out_dir / f"{name}.parquet", lambda p, t=table: t.to_parquet(p, index=False))
    atomic_write(out_dir / DICTIONARY, lambda p: data_dictionary(records).to_csv(p, index=False))
    rows = {name: len(t) for name, t in tables.items()}
    sha = {name: _sha256(out_dir / f"{name}.parquet") for name in tables}
    manifest = {"hilir_version": __version__, "fingerprint": fingerprint, "rows": rows}
    manifest["sha256"] = sha  # written last: names the tables of this build
    atomic_write_text(manifest_path, json.dumps(manifest, indent=2, sort_keys=True))
    return BuildResult(True, rows, [r.key for r in records], out_dir, notes)


def data_dictionary(records: Iterable[Provenance]) -> pd.DataFrame:
    """One row per column of each built table: unit, meaning and the sources feeding it.

    Returns
    -------
    pandas.DataFrame
        Columns ``table, column, dtype, unit, meaning, sources``.
    """
    records = list(records)
    rows = []
    for name in BUILT_TABLES:
        keys = "; ".join(sorted(r.key for r in records if r.table == name))
        if not keys:
            continue
        spec = table_spec(name)
        columns = list(spec.columns) + (list(TRADE_EXTRA) if name == "trade" else [])
        for col in columns:
            rows.append(
                {
                    "table": name,
                    "column": col.name,
                    "dtype": col.dtype,
                    "unit": col.unit,
                    "meaning": col.meaning,
                    "sources": keys,
                }
            )
    return pd.DataFrame(rows)
