"""The package's reference tables (``hilir/refdata/*.csv``): one loader for all of them.

Chains, products, factors, partner aliases, policy and data events, IO sector maps, labour
coefficients, exchange rates, flagship weights, the export procedure and value assumptions
ship as CSV files beside this module, each described in a ``README*.md`` here. Every one is
read by :func:`read_refdata`, which checks that the file exists and has the columns its user
needs and returns its cells as text with each row's line number (``_row``), so that the
validators of the registry and the models name file, row and column in their errors.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import TYPE_CHECKING

from hilir.errors import HilirDataError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["read_refdata", "refdata_file", "refdata_label"]


def refdata_file(name: str) -> Traversable:
    """The shipped reference file ``name`` (e.g. ``"chains.csv"``) inside the package."""
    ref = resources.files("hilir") / "refdata" / name
    if not ref.is_file():
        raise HilirDataError(
            f"no reference table {name!r} in the package", path=refdata_label(name)
        )
    return ref


def refdata_label(name: str) -> str:
    """How errors and provenance name a reference file: ``hilir/refdata/<name>``."""
    return f"hilir/refdata/{name}"


@cache
def _read(name: str) -> pd.DataFrame:
    from hilir.fileio import read_csv

    with resources.as_file(refdata_file(name)) as path:
        return read_csv(path)


def read_refdata(name: str, columns: Iterable[str] = ()) -> pd.DataFrame:
    """Read a reference CSV of the package as text cells (read once, then cached).

    Parameters
    ----------
    name : str
        File name inside ``hilir/refdata`` (e.g. ``"labour_coefficients.csv"``).
    columns : iterable of str, optional
        Columns the caller needs; a missing one is an error naming the file.

    Returns
    -------
    pandas.DataFrame
        A copy of the table: every cell as a string, plus ``_row`` (1-based line number).

    Raises
    ------
    HilirDataError
        If the file is not in the package, is malformed, or lacks a needed column.
    """
    df = _read(name)
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise HilirDataError(
            f"missing column(s) {missing}", path=refdata_label(name), column=missing[0]
        )
    return df.copy()
