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
from collections.abc import Iterable
from pathlib import Path

from hilir.fileio import atomic_write_text
from hilir.report.execute import ReportError
from hilir.version import __version__

__all__ = [
    "MARKER",
    "TMP_MARKER",
    "check_out_dir",
    "listed_files",
    "make_work_dir",
    "remove_stale_work_dirs",
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
    foreign = sorted(present - listed - {MARKER})
    if foreign:
        shown = ", ".join(foreign[:5]) + (" ..." if len(foreign) > 5 else "")
        raise ReportError(
            f"refusing to replace {out}: it holds {len(foreign)} file(s) hilir report did not "
            f"write ({shown}); move them out or choose another folder with --out"
        )


def write_marker(folder: Path, files: Iterable[str] | None = None) -> Path:
    """Write the marker of a report folder listing ``files`` (default: every file in it)."""
    names = (
        sorted(set(files))
        if files is not None
        else sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    )
    names = [n for n in names if n != MARKER]
    body = {"written_by": "hilir report", "version": __version__, "files": names}
    return atomic_write_text(folder / MARKER, json.dumps(body, indent=1) + "\n")


#: Marker of a build's work folder (``.<out>.tmp-*``): the process that owns it.
TMP_MARKER = ".hilir-report-work"


def make_work_dir(out: Path) -> Path:
    """A new work folder beside ``out`` for one build, marked with this process's id."""
    import os
    import tempfile

    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    (tmp / TMP_MARKER).write_text(str(os.getpid()), encoding="utf-8")
    return tmp


def _alive(pid: int) -> bool:
    import os

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    return True


def remove_stale_work_dirs(out: Path) -> list[Path]:
    """Remove the work folders of builds that were killed (their process is gone).

    Only folders beside ``out`` named ``.<out>.tmp-*`` that carry :data:`TMP_MARKER` with the
    id of a process that no longer runs are removed: hilir made them, and no build uses them.

    Returns
    -------
    list of pathlib.Path
        The folders removed.
    """
    import shutil

    removed = []
    for tmp in out.parent.glob(f".{out.name}.tmp-*"):
        marker = tmp / TMP_MARKER
        if not (tmp.is_dir() and marker.is_file()):
            continue
        try:
            pid = int(marker.read_text(encoding="utf-8").strip())
        except ValueError:
            continue
        if not _alive(pid):
            shutil.rmtree(tmp, ignore_errors=True)
            removed.append(tmp)
    return removed
