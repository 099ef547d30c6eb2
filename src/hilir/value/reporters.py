"""Which reporters the value models analyse: taken from the data, or named by the caller.

The shipped export table holds Indonesia's chains beside other countries' rows that are
market context (``comtrade_world_7218``: some 150 countries' HS 7218 exports). So, without a
``reporter`` argument, a table that holds Indonesia or its provinces is analysed for them
only, as before; a table without any Indonesian rows (a user's own country's UN Comtrade
file) is analysed for every reporter it holds, each under its own code and geography.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from hilir.checks import as_list
from hilir.errors import HilirDataError

__all__ = ["analysed_reporters", "data_reporters", "is_indonesian", "single_reporter"]


def is_indonesian(codes: pd.Series) -> pd.Series:
    """True for ``IDN`` and Indonesian province codes (ISO 3166-2 ``ID-..``)."""
    text = codes.astype("string")
    return (text.eq("IDN") | text.str.startswith("ID-")).fillna(False).astype(bool)


def data_reporters(df: pd.DataFrame) -> list[str]:
    """The reporter codes of a table, sorted (empty without a ``reporter`` column)."""
    if "reporter" not in df.columns:
        return []
    return sorted({str(r) for r in df["reporter"].dropna().unique()})


def analysed_reporters(df: pd.DataFrame, reporter: str | Iterable[str] | None) -> list[str] | None:
    """The reporters a value model keeps, or ``None`` for the Indonesian default.

    Parameters
    ----------
    df : pandas.DataFrame
        Trade rows with a ``reporter`` column (ISO alpha-3 codes, ``ID-..`` provinces).
    reporter : str or iterable of str, optional
        Reporters asked for by the caller; returned as a list when given.

    Returns
    -------
    list of str or None
        ``None`` when no reporter is given and the data hold Indonesia or its provinces
        (the models then keep ``IDN`` and ``ID-..`` rows, see
        :func:`hilir.checks.keep_reporters`); otherwise the reporters to keep: the ones
        given, or every reporter of a table without Indonesian rows.
    """
    if reporter is not None:
        return as_list(reporter)
    if "reporter" not in df.columns or is_indonesian(df["reporter"]).any():
        return None
    return data_reporters(df) or None


def single_reporter(
    df: pd.DataFrame | None, reporter: str | None, *, what: str, default: str = "IDN"
) -> str:
    """The one reporter of a model that analyses one geography (a scenario).

    Parameters
    ----------
    df : pandas.DataFrame or None
        The rows analysed (a stage table), or ``None`` without trade data.
    reporter : str, optional
        The reporter named by the caller; wins when given.
    what : str
        What is analysed, for the error message (``"the exports of 'coffee'"``).
    default : str, default "IDN"
        The reporter when neither the argument nor the data name one.

    Returns
    -------
    str
        The reporter code.

    Raises
    ------
    HilirDataError
        If the rows hold more than one reporter and none is named.
    """
    if reporter is not None:
        return str(reporter)
    have = [] if df is None else data_reporters(df)
    if len(have) > 1:
        raise HilirDataError(
            f"{what} hold {len(have)} reporters {have}; a scenario is for one geography: "
            "pass reporter= (an ISO alpha-3 code such as 'VNM')"
        )
    return have[0] if have else default
