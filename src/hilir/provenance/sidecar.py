"""Provenance sidecars: where every raw file came from, under which licence, with its checksum.

Every input file ``name.ext`` has a sidecar ``name.ext.provenance.yaml`` next to it. Chart
source lines, the README's data table and ``hilir data sources`` are generated from these
records, never typed by hand. A file whose checksum no longer matches its sidecar stops the
build.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

from hilir.errors import HilirDataError

SIDECAR_SUFFIX = ".provenance.yaml"

#: Fields every sidecar must fill in.
REQUIRED = (
    "key",
    "file",
    "reader",
    "table",
    "publisher",
    "title",
    "url",
    "taken_from",
    "accessed",
    "licence",
    "citation",
    "source_label",
    "geography",
    "coverage",
    "latest_year",
    "sha256",
)


@dataclass
class Provenance:
    """A provenance record for one raw file.

    Attributes
    ----------
    key : str
        Short unique key used in the ``source`` column of tidy tables.
    file : str
        File name, relative to the sidecar's folder.
    reader : str
        Name of the reader function without ``read_`` (``comtrade``, ``faostat``, ...).
    table : str
        The tidy table it feeds (``trade``, ``production``, ``prices``, ``balances``, ...).
    publisher, title, url : str
        Original publisher, title of the publication or table, its URL.
    taken_from : str
        Where the copy was taken from (repository, path and commit, or "downloaded by user").
    accessed : str
        ISO date the copy was taken.
    licence : str
        Licence of the data (not of hilir's code).
    citation : str
        How to cite the data.
    source_label : dict
        Short label for chart source lines, ``{"id": ..., "en": ...}``.
    geography : str
        ``IDN``, ``ID-LA`` (Lampung) or ``WORLD``.
    coverage : str
        Years covered, e.g. ``"1989-2020"``.
    latest_year : int or None
        Latest year with data; ``None`` when the source does not state a year.
    sha256 : str
        Checksum of the file.
    reader_args : dict
        Keyword arguments passed to the reader.
    trust : str
        ``high``, ``medium`` or ``low``, with reasons in ``notes``.
    notes : str
        Caveats, filtering, unit conventions.
    """

    key: str
    file: str
    reader: str
    table: str
    publisher: str
    title: str
    url: str
    taken_from: str
    accessed: str
    licence: str
    citation: str
    source_label: dict[str, str]
    geography: str
    coverage: str
    latest_year: int | None
    sha256: str
    reader_args: dict[str, Any] = field(default_factory=dict)
    trust: str = "high"
    notes: str = ""
    path: Path | None = field(default=None, repr=False, compare=False)

    @property
    def data_path(self) -> Path:
        """Absolute path of the data file this record describes."""
        if self.path is None:
            raise HilirDataError(f"provenance record {self.key!r} has no location")
        return self.path.parent / self.file

    def to_dict(self) -> dict[str, Any]:
        """The record as written to YAML (without its location)."""
        out = asdict(self)
        out.pop("path")
        return out


def sha256_of(path: str | Path) -> str:
    """SHA-256 hex digest of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def sidecar_path(data_file: str | Path) -> Path:
    """Path of the sidecar of a data file."""
    p = Path(data_file)
    return p.with_name(p.name + SIDECAR_SUFFIX)


def read_sidecar(path: str | Path) -> Provenance:
    """Read and check one sidecar.

    Parameters
    ----------
    path : str or pathlib.Path
        The ``*.provenance.yaml`` file.

    Returns
    -------
    Provenance

    Raises
    ------
    HilirDataError
        If the YAML is malformed or a required field is missing or empty.
    """
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise HilirDataError(f"sidecar is not valid YAML: {exc}", path=path) from exc
    if not isinstance(raw, dict):
        raise HilirDataError("sidecar must be a YAML mapping", path=path)
    for name in REQUIRED:
        if name not in raw or (raw[name] in (None, "", {}) and name != "latest_year"):
            raise HilirDataError("required field is missing or empty", path=path, column=name)
    label = raw["source_label"]
    if not isinstance(label, dict) or not {"id", "en"} <= set(label):
        raise HilirDataError("source_label needs 'id' and 'en'", path=path, column="source_label")
    known = {f.name for f in fields(Provenance)} - {"path"}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise HilirDataError(f"unknown fields {unknown}", path=path)
    raw["accessed"] = str(raw["accessed"])
    return Provenance(**raw, path=path)


def write_sidecar(record: Provenance, path: str | Path | None = None) -> Path:
    """Write a sidecar atomically next to its data file and return its path."""
    from hilir.fileio import atomic_write_text

    target = Path(path) if path is not None else sidecar_path(record.data_path)
    text = yaml.safe_dump(record.to_dict(), sort_keys=False, allow_unicode=True, width=100)
    atomic_write_text(target, text)
    return target


def verify_checksum(record: Provenance) -> None:
    """Raise if the data file's bytes no longer match the sidecar's checksum.

    Raises
    ------
    HilirDataError
        If the file is missing or was changed after its sidecar was written.
    """
    data = record.data_path
    if not data.is_file():
        raise HilirDataError("data file named in the sidecar is missing", path=data)
    actual = sha256_of(data)
    if actual != record.sha256:
        raise HilirDataError(
            f"checksum mismatch: the sidecar records {record.sha256[:12]}..., the file has "
            f"{actual[:12]}.... The file was changed after it was recorded; restore it "
            "(raw files are never edited) or import the new version with `hilir data import`.",
            path=data,
        )


def discover(folder: str | Path) -> list[Provenance]:
    """All sidecars in a folder and its subfolders, sorted by key.

    Raises
    ------
    HilirDataError
        If two sidecars use the same key.
    """
    records = [read_sidecar(p) for p in sorted(Path(folder).rglob("*" + SIDECAR_SUFFIX))]
    seen: dict[str, Path] = {}
    for rec in records:
        if rec.key in seen:
            raise HilirDataError(
                f"provenance key {rec.key!r} is also used by {seen[rec.key]}", path=rec.path
            )
        seen[rec.key] = rec.path  # type: ignore[assignment]
    return sorted(records, key=lambda r: r.key)
