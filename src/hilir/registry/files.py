"""Reading the registry files: the shipped tables and a user's ``extra=`` rows.

The shipped files (``hilir/refdata/{chains,products,product_codes,factors,
preferred_sources}.csv``) come through :func:`hilir.refdata.read_refdata`; a user's folder or
file is read with :func:`hilir.fileio.read_csv`. Either way each row becomes a record of
stripped text cells with its file (``_file``) and line number (``_row``), for the validators
of :mod:`hilir.registry.rules` to name file, row and column in their errors.
"""

from __future__ import annotations

from os import PathLike
from pathlib import Path

from hilir.checks import require_file_columns
from hilir.errors import HilirDataError
from hilir.fileio import read_csv
from hilir.refdata import read_refdata

__all__ = [
    "COLUMNS",
    "OPTIONAL",
    "PathArg",
    "Rec",
    "extra_files",
    "fingerprint",
    "read_records",
    "refdata_dir",
    "shipped_file",
]

#: Columns of each registry file, in order.
COLUMNS: dict[str, tuple[str, ...]] = {
    "chains": ("chain", "name_id", "name_en", "kind", "raw_only", "raw_product", "note"),
    "products": ("product", "chain", "stage", "name_id", "name_en", "raw_product", "note"),
    "product_codes": ("product", "system", "code", "revisions", "note"),
    "factors": tuple(
        "product year_from year_to low central high basis method reason_if_none source "
        "reliability note".split()
    ),
    "preferred_sources": ("chain", "product", "source", "year_from", "year_to", "rank", "reason"),
}
#: Columns that may be left empty, per file.
OPTIONAL: dict[str, frozenset[str]] = {
    "chains": frozenset({"note"}),
    "products": frozenset({"note", "raw_product"}),
    "product_codes": frozenset({"revisions", "note"}),
    "factors": frozenset(
        {"year_from", "year_to", "low", "central", "high", "reason_if_none", "note"}
    ),
    "preferred_sources": frozenset({"product", "year_from", "year_to"}),
}

PathArg = str | PathLike[str]
Rec = dict[str, object]  # one CSV row: its cells (str) plus "_file", "_row" and parsed values


def refdata_dir() -> Path:
    """Folder of the shipped registry files (``hilir/refdata``)."""
    return Path(__file__).resolve().parent.parent / "refdata"


def shipped_file(table: str) -> Path:
    """The shipped file of one registry table (``hilir/refdata/<table>.csv``)."""
    return refdata_dir() / f"{table}.csv"


def extra_files(extra: PathArg) -> dict[str, Path]:
    """The registry tables in a user's folder or file: table name -> file."""
    path = Path(extra)
    if path.is_dir():
        found = {t: path / f"{t}.csv" for t in COLUMNS if (path / f"{t}.csv").is_file()}
        if not found:
            raise HilirDataError(f"no registry file ({', '.join(COLUMNS)}).csv here", path=path)
        return found
    if not path.is_file():
        raise HilirDataError("registry extra file or folder not found", path=path)
    names = [t for t in COLUMNS if path.stem == t or path.stem.endswith("_" + t)]
    if not names:
        raise HilirDataError(
            f"cannot tell which registry table this is: name it one of "
            f"{[t + '.csv' for t in COLUMNS]}",
            path=path,
        )
    return {max(names, key=len): path}


def read_records(path: Path, table: str, *, shipped: bool) -> list[Rec]:
    """The rows of one registry file as records of stripped text cells.

    Parameters
    ----------
    path : pathlib.Path
        The file (named in the records' ``_file`` and in errors).
    table : str
        Registry table (a key of :data:`COLUMNS`).
    shipped : bool
        The package's own file (read through :func:`hilir.refdata.read_refdata`) rather than
        a user's.

    Returns
    -------
    list of dict
        One record per data row: the table's columns (text), ``_row`` and ``_file``.
    """
    raw = read_refdata(f"{table}.csv") if shipped else read_csv(path)
    df = require_file_columns(raw, COLUMNS[table], path=path)
    recs = df[[*COLUMNS[table], "_row"]].to_dict("records")
    for rec in recs:
        for col in COLUMNS[table]:
            rec[col] = str(rec[col]).strip()
        rec["_file"] = str(path)
    return recs


def fingerprint(paths: list[Path]) -> tuple[tuple[str, int, int], ...]:
    """Path, modification time and size of each file: a cache key that sees edits."""
    return tuple((str(p.resolve()), p.stat().st_mtime_ns, p.stat().st_size) for p in paths)
