"""Temporary files of killed writers: which process wrote them, and removing the stale ones.

:func:`hilir.fileio.atomic_write` names its temporary file ``.<name>.<pid>-<random>.tmp``.
A process killed before the rename leaves it behind; :func:`remove_stale_temp_files` removes
those whose process no longer runs (the build calls it on ``data/processed``).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

__all__ = ["process_alive", "remove_stale_temp_files"]


def process_alive(pid: int) -> bool:
    """True if process ``pid`` runs (or cannot be checked: never guess it is gone)."""
    if os.name != "posix":  # os.kill(pid, 0) would terminate it on Windows
        try:
            import psutil

            return bool(psutil.pid_exists(pid))
        except ImportError:
            return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):  # someone else's process, or no such id
        return True
    return True


_TEMP_NAME = re.compile(r"^\..+\.(\d+)-[A-Za-z0-9_]+\.tmp$")


def remove_stale_temp_files(folder: str | Path) -> list[Path]:
    """Remove the temporary files of :func:`hilir.fileio.atomic_write` whose writer was killed.

    A write killed before its rename leaves ``.<name>.<pid>-<random>.tmp`` behind; only files
    of that form whose process no longer runs are removed (never one a live writer uses).

    Returns
    -------
    list of pathlib.Path
        The files removed.
    """
    removed = []
    for path in Path(folder).glob(".*.tmp"):
        match = _TEMP_NAME.match(path.name)
        if match and path.is_file() and not process_alive(int(match.group(1))):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed
