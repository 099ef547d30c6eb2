"""The one exception hilir raises for bad data, and the warning it gives for repaired data."""

from __future__ import annotations

import os
import sys
from os import PathLike

#: Longest message an error carries (characters); longer ones are cut, saying so.
MAX_MESSAGE = 1_500


class HilirDataError(ValueError):
    """Data that hilir cannot use as it is.

    The message names the file, the row and the column when they are known, so a user can
    open the file and fix it. Rows are counted as a spreadsheet shows them: the first line of
    the file is row 1 (header rows included).

    Parameters
    ----------
    message : str
        What is wrong, in plain words.
    path : str or os.PathLike, optional
        The file the problem was found in.
    row : int, optional
        1-based line number in the file (as a spreadsheet or text editor shows it).
    column : str, optional
        Column name as written in the file.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | PathLike[str] | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        if len(message) > MAX_MESSAGE:  # a file's whole header or content is no message
            cut = len(message) - MAX_MESSAGE
            message = f"{message[:MAX_MESSAGE]} ... ({cut:,} more characters left out)"
        self.path = str(path) if path is not None else None
        self.row = row
        self.column = column
        self.reason = message
        where = []
        if self.path is not None:
            where.append(f"file {self.path}")
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        prefix = ", ".join(where)
        super().__init__(f"{prefix}: {message}" if prefix else message)


class HilirDataWarning(UserWarning):
    """A documented normalisation was applied to input data (for example restored leading zeros)."""


class HilirOptionError(HilirDataError):
    """An option hilir cannot use: unknown, misspelt, missing or of the wrong type.

    The command line exits with code 2 for it (a usage error), naming the valid options.
    """


_PACKAGE = os.path.dirname(os.path.abspath(__file__)) + os.sep


def caller_stacklevel() -> int:
    """The ``stacklevel`` of :func:`warnings.warn` that names the first caller outside hilir.

    Call it in the function that warns (``warnings.warn(msg, HilirDataWarning,
    stacklevel=caller_stacklevel())``): the warning then names the user's line, however many
    hilir functions lie between (``read_baci`` -> its reader -> its checks).

    Returns
    -------
    int
        1 names the function that warns, 2 its caller, and so on.
    """
    frame = sys._getframe(1)  # the function that warns
    level = 1
    while frame.f_back is not None and frame.f_code.co_filename.startswith(_PACKAGE):
        frame = frame.f_back
        level += 1
    return level
