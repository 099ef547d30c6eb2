"""Policy and data events in time: the event tables and the share of a period they cover.

The tables themselves (:func:`policy_events`, :func:`data_events`, shipped as package data in
``hilir/refdata``) are read and validated by :mod:`hilir.registry.events`; this module adds
the period arithmetic the models need (:func:`period_bounds`, :func:`period_share`).

Examples
--------
>>> from hilir.policy import policy_events
>>> ev = policy_events(chain="nickel", instrument="ban")
>>> ev["event_id"].tolist()
['nickel_ore_ban_2014', 'nickel_ore_ban_2020']
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from hilir.registry.events import (
    DATA_EVENT_KINDS,
    DATE_PRECISIONS,
    INSTRUMENTS,
    LEGAL_SOURCES,
    data_events,
    policy_events,
)

__all__ = [
    "DATA_EVENT_KINDS",
    "DATE_PRECISIONS",
    "INSTRUMENTS",
    "LEGAL_SOURCES",
    "data_events",
    "period_bounds",
    "period_share",
    "policy_events",
]


def period_bounds(
    periods: pd.DataFrame, *, frequency: Literal["annual", "monthly"]
) -> tuple[pd.DatetimeIndex, pd.DatetimeIndex]:
    """First and last day of each period of a tidy series frame.

    Parameters
    ----------
    periods : pandas.DataFrame
        Columns ``year`` and, for monthly data, ``month`` (1-12).
    frequency : {"annual", "monthly"}
        The series frequency.

    Returns
    -------
    tuple of pandas.DatetimeIndex
        First days and last days (inclusive) of the periods, in the frame's order.
    """
    years = periods["year"].to_numpy(dtype=np.int64)
    if frequency == "monthly":
        months = periods["month"].to_numpy(dtype=np.int64)
        start = ((years - 1970) * 12 + months - 1).astype("datetime64[M]")
    else:
        start = (years - 1970).astype("datetime64[Y]")
    first = start.astype("datetime64[D]")
    last = (start + 1).astype("datetime64[D]") - np.timedelta64(1, "D")
    return pd.DatetimeIndex(first), pd.DatetimeIndex(last)


def period_share(
    periods: pd.DataFrame,
    start: str | pd.Timestamp,
    end: str | pd.Timestamp | None = None,
    *,
    frequency: Literal["annual", "monthly"],
) -> np.ndarray:
    """Share of each period's days that fall inside an event.

    Parameters
    ----------
    periods : pandas.DataFrame
        Columns ``year`` and, for monthly data, ``month``.
    start, end : str or pandas.Timestamp
        First and last day in force (both inclusive); ``end=None`` means still in force.
    frequency : {"annual", "monthly"}
        The series frequency.

    Returns
    -------
    numpy.ndarray
        One share in [0, 1] per period (unitless).

    Notes
    -----
    share = (days of the period inside [start, end]) / (days in the period). The CPO and
    cooking-oil export ban of 28 April - 23 May 2022 covers 3/30 of April and 23/31 of May
    2022, 26 days in all.

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"year": [2022, 2022, 2022], "month": [4, 5, 6]})
    >>> period_share(p, "2022-04-28", "2022-05-23", frequency="monthly").round(4).tolist()
    [0.1, 0.7419, 0.0]
    """
    first, last = period_bounds(periods, frequency=frequency)
    s = pd.Timestamp(start)
    e = pd.Timestamp(end) if end is not None and not pd.isna(end) else last.max()
    lo = np.maximum(first.values, np.datetime64(s, "ns"))
    hi = np.minimum(last.values, np.datetime64(e, "ns"))
    inside = (hi - lo) / np.timedelta64(1, "D") + 1
    length = (last.values - first.values) / np.timedelta64(1, "D") + 1
    return np.clip(inside, 0, None) / length
