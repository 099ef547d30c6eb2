"""The report folder: only a folder ``hilir report`` wrote may be replaced, and nothing else.

Every report folder carries a marker file, :data:`MARKER`, listing the files the build wrote.
Before a build runs, :func:`check_out_dir` refuses an output folder that

* is, or contains, the working folder, the home folder, the data folder, the notebooks or
  the repository (``--out .``, ``--out ~``, ``--out data``);
* exists, is not empty and has no marker (a user's own ``reports/``);
* holds files its marker does not list (a user's file put inside the report folder).

So a build replaces only what an earlier build wrote.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from hilir.fileio import atomic_write_text
from hilir.report.children import CHILDREN, TMP_MARKER, stop_recorded
from hilir.report.execute import ReportError
from hilir.version import __version__

__all__ = [
    "MARKER",
    "TMP_MARKER",
    "check_out_dir",
    "listed_files",
    "make_work_dir",
    "remove_stale_work_dirs",
    "swap_in",
    "write_marker",
]

#: The marker file of a report folder (JSON: writer, version, files written).
MARKER = ".hilir-report.json"


def _protected(extra: Iterable[Path]) -> list[Path]:
    from hilir.paths import data_dir, repo_dir

    places = [Path.cwd(), Path.home(), data_dir(), *extra]
    try:
        places.append(repo_dir())
    except Exception:
        pass
    return [p.resolve() for p in places]


def listed_files(out: Path) -> set[str] | None:
    """The files the marker of ``out`` lists (relative POSIX paths), or ``None``."""
    marker = out / MARKER
    if not marker.is_file():
        return None
    try:
        data = json.loads(marker.read_text(encoding="utf-8"))
        files = data["files"]
    except (ValueError, KeyError, TypeError):
        return None
    if data.get("written_by") != "hilir report" or not isinstance(files, list):
        return None
    return {str(f) for f in files}


def check_out_dir(out: Path, *, keep: Iterable[Path] = ()) -> None:
    """Raise unless ``out`` is new, empty, or a report folder hilir wrote (and only that).

    Parameters
    ----------
    out : pathlib.Path
        The resolved output folder.
    keep : iterable of pathlib.Path
        More places the folder must not be or contain (the notebooks folder).

    Raises
    ------
    ReportError
        Naming the folder and why it is refused.
    """
    out = out.resolve()
    for place in _protected(keep):
        if out == place or out in place.parents:
            raise ReportError(
                f"refusing to write the report into {out}: it is or contains {place}, "
                "which the build would replace; pass --out a folder of its own (e.g. reports)"
            )
    if not out.exists():
        return
    if not out.is_dir():
        raise ReportError(f"refusing to write the report into {out}: it is a file")
    present = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    if not present:
        return
    listed = listed_files(out)
    if listed is None:
        raise ReportError(
            f"refusing to replace {out}: it holds files and was not written by hilir report "
            f"(no {MARKER}); choose a new or empty folder with --out"
        )
    foreign = sorted(present - listed - {MARKER, *_BOOKKEEPING})
    if foreign:
        shown = ", ".join(foreign[:5]) + (" ..." if len(foreign) > 5 else "")
        raise ReportError(
            f"refusing to replace {out}: it holds {len(foreign)} file(s) hilir report did not "
            f"write ({shown}); move them out or choose another folder with --out"
        )


def write_marker(
    folder: Path,
    files: Iterable[str] | None = None,
    *,
    jobs: Mapping[str, Mapping[str, Any]] | None = None,
) -> Path:
    """Write the marker of a report folder listing ``files`` (default: every file in it).

    ``jobs`` are the records of the notebook runs the folder keeps (by executed notebook,
    relative to the folder): their fingerprints and the checksums of their files, with which
    the next build reuses them (:mod:`hilir.report.reuse`).
    """
    names = (
        sorted(set(files))
        if files is not None
        else sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    )
    names = [n for n in names if n != MARKER and n not in _BOOKKEEPING]
    body: dict[str, Any] = {"written_by": "hilir report", "version": __version__, "files": names}
    if jobs:
        body["jobs"] = {k: dict(jobs[k]) for k in sorted(jobs)}
    return atomic_write_text(folder / MARKER, json.dumps(body, indent=1) + "\n")


#: A work folder's own files (its marker, its list of children), never part of a report.
_BOOKKEEPING = frozenset({TMP_MARKER, CHILDREN})


def make_work_dir(out: Path) -> Path:
    """A new work folder beside ``out`` for one build, marked with this process's id."""
    import os
    import tempfile

    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    (tmp / TMP_MARKER).write_text(str(os.getpid()), encoding="utf-8")
    return tmp


def _alive(pid: int) -> bool:
    from hilir.tempfiles import process_alive

    return process_alive(pid)


def remove_stale_work_dirs(out: Path) -> list[Path]:
    """Remove the work folders of builds that were killed (their process is gone).

    Only folders beside ``out`` named ``.<out>.tmp-*`` that carry :data:`TMP_MARKER` with the
    id of a process that no longer runs are removed: hilir made them, and no build uses them.
    The processes the killed build started and recorded there (notebook runners, kernels,
    Chromium) are stopped first if they still run (see :mod:`hilir.report.children`).

    Returns
    -------
    list of pathlib.Path
        The folders removed.
    """
    import shutil

    removed = []
    for tmp in out.parent.glob(f".{out.name}.tmp-*"):
        marker = tmp / TMP_MARKER
        if tmp.is_dir() and not marker.is_file() and listed_files(tmp) is not None:
            # an old report a build swapped out (swap_in) and was killed before removing
            shutil.rmtree(tmp, ignore_errors=True)
            removed.append(tmp)
            continue
        if not (tmp.is_dir() and marker.is_file()):
            continue
        try:
            pid = int(marker.read_text(encoding="utf-8").strip())
        except ValueError:
            continue
        if not _alive(pid):
            stop_recorded(tmp)
            shutil.rmtree(tmp, ignore_errors=True)
            removed.append(tmp)
    return removed


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step (Linux ``renameat2(RENAME_EXCHANGE)``); False if unsupported."""
    import sys

    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes
        import os

        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    rc = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return rc == 0


def swap_in(tmp: Path, out: Path) -> None:
    """Put the finished work folder ``tmp`` in place of ``out``; remove the old report after.

    On Linux the two folders are exchanged in one step, so ``out`` is at every moment either
    the old or the new complete report, even if the process is killed; the old report, now
    at ``tmp``'s name without :data:`TMP_MARKER`, is removed here or by the next build
    (:func:`remove_stale_work_dirs`). ``tmp`` keeps its :data:`TMP_MARKER` until it is in
    place, so a folder of that name without one is always an old report. Elsewhere ``out``
    is renamed away first (a kill between the two renames leaves it at ``.<out>.old-*``).
    """
    import os
    import shutil
    import tempfile

    if out.exists() and _exchange(tmp, out):
        (out / TMP_MARKER).unlink(missing_ok=True)
        shutil.rmtree(tmp, ignore_errors=True)
        return
    old = None
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        old.rmdir()
        os.replace(out, old)
    os.replace(tmp, out)
    (out / TMP_MARKER).unlink(missing_ok=True)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
