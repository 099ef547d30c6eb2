"""Events of an interrupted time series: which events, and where they fall on a series.

An event is an id of :func:`hilir.policy.policy_events`, an ISO date, a year or a row of an
events table (:func:`as_events`); :func:`place_events` finds the first period each one affects
and how many periods lie before and after it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from hilir.errors import HilirDataError
from hilir.policy.events import data_events, period_bounds, period_share, policy_events
from hilir.policy.series import SeriesData

__all__ = ["Effect", "EventSpec", "ResolvedEvent", "as_events", "place_events"]

Effect = Literal["break", "level", "temporary"]
EFFECTS = ("break", "level", "temporary")

EventSpec = str | int | pd.Timestamp


@dataclass(frozen=True)
class ResolvedEvent:
    """An event placed on a series: its first affected period and its regressors."""

    event: str
    start: pd.Timestamp
    end: pd.Timestamp | None
    effect: Effect
    first: int
    n_pre: int
    n_post: int


def _parse_when(text: str) -> pd.Timestamp | None:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` as a date (first day of year or month)."""
    if re.fullmatch(r"\d{4}", text):
        return pd.Timestamp(int(text), 1, 1)
    if re.fullmatch(r"\d{4}-\d{2}", text):
        text = f"{text}-01"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return pd.Timestamp.fromisoformat(text)
        except ValueError as exc:
            raise HilirDataError(f"{text!r} is not a valid date") from exc
    return None


def as_events(events: EventSpec | Sequence[EventSpec] | pd.DataFrame) -> pd.DataFrame:
    """Events as a frame with event, start_date, end_date."""
    if isinstance(events, pd.DataFrame):
        missing = {"event_id", "start_date"} - set(events.columns)
        if missing:
            raise HilirDataError(f"the events table lacks columns {sorted(missing)}")
        end = events["end_date"] if "end_date" in events else pd.Series(pd.NaT, index=events.index)
        return pd.DataFrame(
            {
                "event": events["event_id"].astype(str).to_numpy(),
                "start_date": pd.to_datetime(events["start_date"]).to_numpy(),
                "end_date": pd.to_datetime(end).to_numpy(),
            }
        )
    items: list[EventSpec]
    if isinstance(events, (str, int, pd.Timestamp)) or np.isscalar(events):
        items = [events]  # type: ignore[list-item]
    else:
        items = list(events)
    if not items:
        raise HilirDataError("give at least one event")
    table = None
    rows = []
    for item in items:
        if isinstance(item, (bool, np.bool_)):
            raise HilirDataError(f"event {item!r} is neither an event id, a date nor a year")
        if isinstance(item, (int, np.integer)):
            rows.append((str(int(item)), pd.Timestamp(int(item), 1, 1), pd.NaT))
            continue
        if isinstance(item, pd.Timestamp):
            rows.append((item.date().isoformat(), item, pd.NaT))
            continue
        text = str(item).strip()
        when = _parse_when(text)
        if when is not None:
            rows.append((text, when, pd.NaT))
            continue
        if table is None:
            table = policy_events()
        hit = table[table["event_id"] == text]
        if hit.empty and text in set(data_events()["event_id"]):
            raise HilirDataError(
                f"{text!r} is a data event (a change in how the data are defined or recorded), "
                "not a policy; it cannot be an event of a policy model"
            )
        if hit.empty:
            raise HilirDataError(
                f"{text!r} is neither a date (YYYY, YYYY-MM, YYYY-MM-DD), a year, nor an "
                "event_id of policy_events()"
            )
        rows.append((text, hit["start_date"].iat[0], hit["end_date"].iat[0]))
    out = pd.DataFrame(rows, columns=["event", "start_date", "end_date"])
    if out["event"].duplicated().any():
        raise HilirDataError(
            f"event {out['event'][out['event'].duplicated()].iat[0]!r} is given twice"
        )
    return out


def place_events(
    data: SeriesData,
    events: pd.DataFrame,
    effects: Mapping[str, Effect] | None,
    min_pre: int,
) -> list[ResolvedEvent]:
    """Place each event on the series: its first affected period and the points around it."""
    first_day, last_day = period_bounds(data.periods, frequency=data.frequency)
    effects = dict(effects or {})
    unknown = sorted(set(effects) - set(events["event"]))
    if unknown:
        raise HilirDataError(f"effects name events that are not in the model: {unknown}")
    placed = []
    for row in events.itertuples(index=False):
        start = pd.Timestamp(row.start_date)
        end = None if pd.isna(row.end_date) else pd.Timestamp(row.end_date)
        effect = effects.get(row.event, "temporary" if end is not None else "break")
        if effect not in EFFECTS:
            raise HilirDataError(f"effect of {row.event!r} must be one of {list(EFFECTS)}")
        span = f"{data.label(0)}-{data.label(data.n - 1)}"
        if start > last_day[-1] or start < first_day[0]:
            raise HilirDataError(
                f"event {row.event!r} ({start.date()}) is outside the series ({span})"
            )
        if effect == "temporary":
            share = period_share(data.periods, start, end, frequency=data.frequency)
            first = int(np.flatnonzero(share > 0)[0])
        else:
            # A break enters in the first period that it covers for at least half its days.
            share = period_share(data.periods, start, None, frequency=data.frequency)
            covered = np.flatnonzero(share >= 0.5)
            if covered.size == 0:
                raise HilirDataError(
                    f"event {row.event!r} ({start.date()}) starts too late in the last period "
                    f"of the series ({span}) to have any effect on it"
                )
            first = int(covered[0])
        n_pre, n_post = first, data.n - first
        if n_pre < min_pre:
            raise HilirDataError(
                f"too few points before event {row.event!r}: {n_pre} before "
                f"{data.label(first)}, at least {min_pre} needed for a pre-event trend"
            )
        placed.append(ResolvedEvent(row.event, start, end, effect, first, n_pre, n_post))
    return placed
