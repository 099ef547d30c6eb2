"""Report builds that do not redo work: reuse the notebook runs whose inputs are unchanged.

Every run of a brief notebook in one language (a *job*) gets a fingerprint: the sha256 of

* the notebook's bytes (its cells, so also the defaults of its ``parameters`` cell);
* the hilir code: every file of the installed ``hilir`` package (``.py``, catalogue,
  reference tables, templates), with the version and the Python version;
* the other files beside the notebooks (helpers a notebook may import or read);
* the data: every file of ``data/processed`` (the built tables, the data dictionary and the
  manifest), hashed by content, so a data build that changed nothing changes nothing here;
  the shipped raw snapshots and the user's imports (:func:`data_fingerprint`);
* the parameters injected by papermill, the language among them.

The report's marker (:data:`hilir.report.outdir.MARKER`) records, per executed notebook it
keeps under ``notebooks/<lang>/``, that fingerprint, the checksum of the executed notebook
and the checksums of the outputs exported from it. The next build reuses a job whose
fingerprint is the same and whose executed notebook is intact (same checksum, no error, every
code cell ran): the executed notebook is carried into the new report instead of being run
again, and so are its HTML, annex, CSV and PDF files when they are intact and were exported
for the same set of languages; otherwise they are exported again from the carried notebook.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "Earlier",
    "code_fingerprint",
    "data_fingerprint",
    "export_key",
    "file_sha256",
    "folder_fingerprint",
    "job_fingerprint",
    "reusable_notebook",
    "reusable_outputs",
]

#: Files never hashed: byte-code caches, editor and checkpoint folders, temporary files.
_SKIP_PARTS = frozenset({"__pycache__", ".ipynb_checkpoints"})
_SKIP_SUFFIXES = (".pyc", ".pyo", ".tmp")


def file_sha256(path: Path) -> str | None:
    """sha256 of a file's bytes, or None when it cannot be read."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


def _hashed_files(root: Path, *, recursive: bool = True) -> list[Path]:
    found = root.rglob("*") if recursive else root.glob("*")
    return sorted(
        p
        for p in found
        if p.is_file()
        and not any(
            part in _SKIP_PARTS or part.startswith(".") for part in p.relative_to(root).parts
        )
        and not p.name.endswith(_SKIP_SUFFIXES)
    )


def folder_fingerprint(root: Path, *, recursive: bool = True, exclude: Iterable[Path] = ()) -> str:
    """sha256 over the relative names and the contents of the files in ``root``.

    Hidden files, ``__pycache__``, ``.ipynb_checkpoints`` and ``*.tmp`` are left out; a
    missing folder has the fingerprint of an empty one.
    """
    skip = {p.resolve() for p in exclude}
    digest = hashlib.sha256()
    if root.is_dir():
        for path in _hashed_files(root, recursive=recursive):
            if path.resolve() in skip:
                continue
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update((file_sha256(path) or "unreadable").encode() + b"\n")
    return digest.hexdigest()


def code_fingerprint() -> str:
    """The hilir code the notebooks run: every file of the package, its version, Python's."""
    from hilir import version
    from hilir.version import __version__

    package = Path(version.__file__).resolve().parent
    text = f"hilir {__version__}; python {sys.version}; {folder_fingerprint(package)}"
    return hashlib.sha256(text.encode()).hexdigest()


def data_fingerprint(folder: Path | None = None) -> str:
    """The data the notebooks read, by content.

    ``folder`` alone when given; by default ``data/processed`` (the built tables, the data
    dictionary and the manifest, which holds the checksum of every input), the shipped raw
    snapshots (some reference tables are read from there directly) and the user's imports
    (their provenance sidecars by content, which hold the checksum of each file every load
    verifies; the imported files themselves, possibly large, by name and size).
    """
    if folder is not None:
        return folder_fingerprint(folder)
    from hilir.paths import processed_dir, raw_dir, user_dir
    from hilir.provenance.sidecar import SIDECAR_SUFFIX

    parts = [folder_fingerprint(processed_dir()), folder_fingerprint(raw_dir())]
    user = user_dir()
    if user.is_dir():
        for path in _hashed_files(user):
            name = path.relative_to(user).as_posix()
            if path.name.endswith(SIDECAR_SUFFIX):
                parts.append(f"{name}={file_sha256(path)}")
            else:
                parts.append(f"{name}:{path.stat().st_size}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def job_fingerprint(
    notebook: Path,
    parameters: Mapping[str, Any],
    *,
    code: str,
    data: str,
    support: str = "",
) -> str:
    """Fingerprint of one notebook run (see the module docstring)."""
    body = {
        "notebook": file_sha256(notebook),
        "parameters": dict(parameters),
        "code": code,
        "data": data,
        "support": support,
    }
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


def export_key(fingerprint: str, languages: Iterable[str]) -> str:
    """What the exported files of a run depend on besides the run: the languages linked."""
    text = json.dumps([fingerprint, sorted(set(languages))])
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class Earlier:
    """The job records of the report a build replaces (empty when there is none)."""

    out: Path
    jobs: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def read(cls, out: Path) -> Earlier:
        """The records in the marker of ``out`` (none if it is missing or unreadable)."""
        from hilir.report.outdir import MARKER, listed_files

        if listed_files(out) is None:
            return cls(out)
        try:
            data = json.loads((out / MARKER).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(out)
        jobs = data.get("jobs") if isinstance(data, dict) else None
        if not isinstance(jobs, dict):
            return cls(out)
        return cls(out, {str(k): v for k, v in jobs.items() if isinstance(v, dict)})


def reusable_notebook(earlier: Earlier, rel: str, fingerprint: str) -> bool:
    """True if the earlier report holds an intact run of ``rel`` with this fingerprint.

    Intact: the executed notebook exists, has the checksum recorded when it was written,
    holds no error output and every code cell ran.
    """
    from hilir.report.execute import check_executed

    rec = earlier.jobs.get(rel)
    if not rec or rec.get("fingerprint") != fingerprint:
        return False
    path = earlier.out / rel
    if not path.is_file() or file_sha256(path) != rec.get("sha256"):
        return False
    try:
        errors, never_ran = check_executed(path)
    except Exception:  # a truncated or unreadable notebook
        return False
    return not errors and not never_ran


def reusable_outputs(earlier: Earlier, rel: str, key: str) -> dict[str, str] | None:
    """The earlier outputs of ``rel`` (relative path to sha256) if intact and exported alike."""
    rec = earlier.jobs.get(rel) or {}
    outputs = rec.get("outputs")
    if rec.get("export") != key or not isinstance(outputs, dict) or not outputs:
        return None
    for name, sha in outputs.items():
        if file_sha256(earlier.out / name) != sha:
            return None
    return {str(k): str(v) for k, v in outputs.items()}
