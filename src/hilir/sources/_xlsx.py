"""The ``sheet`` option of every CSV reader: its table as an ``.xlsx`` download.

A reader that reads text (through :func:`hilir.fileio.read_text`) reads a workbook as the CSV
text of one worksheet (:func:`hilir.fileio.workbook_csv`), so the same reader, checks and
provenance serve the CSV and the ``.xlsx`` form of a table. :func:`with_sheet` gives such a
reader the option ``sheet`` (default: the first worksheet) and names the worksheet in the
errors it raises for a workbook. Readers that read workbooks themselves (Pink Sheet, IO
tables) have their own ``sheet`` option or none and are left as they are.
"""

from __future__ import annotations

import functools
import inspect
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from hilir.errors import HilirDataError, HilirOptionError
from hilir.fileio import is_workbook, workbook_csv, worksheet

__all__ = ["check_calculated", "with_sheet"]


def with_sheet(reader: Callable[..., pd.DataFrame]) -> Callable[..., pd.DataFrame]:
    """``reader`` with a keyword option ``sheet: str | None = None`` for ``.xlsx`` files.

    Parameters
    ----------
    reader : callable
        A CSV reader ``reader(path, **options)``. Returned unchanged when it already has a
        ``sheet`` parameter.

    Returns
    -------
    callable
        The same reader, whose signature and type hints add ``sheet`` (so
        :func:`hilir.data.options.reader_options` accepts ``--option sheet=NAME``). For a
        workbook, ``sheet`` names the worksheet read (default the first); every
        :class:`~hilir.errors.HilirDataError` then names the worksheet too.

    Raises
    ------
    HilirOptionError
        ``sheet`` given for a file that is not an ``.xlsx`` workbook.
    HilirDataError
        A damaged workbook, an unknown sheet, or a formula without a calculated value
        (:func:`check_calculated`).
    """
    signature = inspect.signature(reader)
    if "sheet" in signature.parameters:
        return reader

    @functools.wraps(reader)
    def read(path: Any, *args: Any, sheet: str | None = None, **kwargs: Any) -> pd.DataFrame:
        if sheet is not None and not is_workbook(path):
            raise HilirOptionError(
                f"option 'sheet' is for .xlsx workbooks; {path} is read as CSV text"
            )
        if is_workbook(path) and Path(path).is_file():
            check_calculated(path, workbook_csv(path, sheet=sheet)[0])
        with worksheet(sheet):
            try:
                return reader(path, *args, **kwargs)
            except HilirDataError as exc:
                if not is_workbook(path) or exc.reason.startswith(("sheet ", "no worksheet")):
                    raise
                try:
                    name = workbook_csv(path, sheet=sheet)[0]
                except HilirDataError:
                    raise exc from None
                kind = type(exc) if type(exc) in (HilirDataError, HilirOptionError) else None
                raise (kind or HilirDataError)(
                    f"sheet {name!r}: {exc.reason}", path=exc.path, row=exc.row, column=exc.column
                ) from exc

    option = inspect.Parameter(
        "sheet", inspect.Parameter.KEYWORD_ONLY, default=None, annotation="str | None"
    )
    params = list(signature.parameters.values())
    tail = [p for p in params if p.kind is inspect.Parameter.VAR_KEYWORD]
    head = [p for p in params if p.kind is not inspect.Parameter.VAR_KEYWORD]
    read.__signature__ = signature.replace(parameters=[*head, option, *tail])  # type: ignore[attr-defined]
    read.__annotations__ = {**getattr(reader, "__annotations__", {}), "sheet": "str | None"}
    return read


def check_calculated(path: Any, sheet: str) -> None:
    """Raise when a formula of worksheet ``sheet`` has no value Excel calculated.

    A workbook written by a program (not saved by Excel or LibreOffice) may hold formulas
    without their results; read as values they would be empty cells, so numbers would be
    lost without a word.

    Raises
    ------
    HilirDataError
        Naming the sheet, row and column (letter) of the first such formula.
    """
    with zipfile.ZipFile(path) as archive:
        parts = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        if not any(b"<f" in archive.read(n) for n in parts if n.endswith(".xml")):
            return
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    formulas = load_workbook(path, read_only=True, data_only=False)
    values = load_workbook(path, read_only=True, data_only=True)
    try:
        with_f, with_v = formulas[sheet], values[sheet]
        with_f.reset_dimensions()
        with_v.reset_dimensions()
        f_rows, v_rows = with_f.iter_rows(values_only=True), with_v.iter_rows(values_only=True)
        rows = zip(f_rows, v_rows, strict=False)
        for i, (f_row, v_row) in enumerate(rows, start=1):
            for j, (f, v) in enumerate(zip(f_row, v_row, strict=False), start=1):
                if v is None and isinstance(f, str) and f.startswith("="):
                    raise HilirDataError(
                        f"sheet {sheet!r}: the formula {f[:60]!r} has no calculated value "
                        "(the workbook was written by a program, not saved by Excel); open "
                        "it in Excel or LibreOffice and save it, or export it as CSV",
                        path=path,
                        row=i,
                        column=get_column_letter(j),
                    )
    finally:
        formulas.close()
        values.close()
