"""The policy timeline and the data events, as validated reference tables.

Policy events (bans, relaxations, levies, quotas) are package data in
``hilir/refdata/policy_events.csv``; data events (a price series that changes definition, a
residual value in a trade series) sit in ``hilir/refdata/data_events.csv`` so that a step in
a series caused by the data is never read as a policy effect. Both files are documented in
``hilir/refdata/README_policy.md``. A user may pass their own file with the same columns.
The shipped tables come through :func:`hilir.refdata.read_refdata`, a user's file through
:func:`hilir.fileio.read_csv`. The models use them from :mod:`hilir.policy`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from os import PathLike

import pandas as pd

from hilir.errors import HilirDataError
from hilir.fileio import read_csv
from hilir.refdata import read_refdata, refdata_label

__all__ = [
    "DATA_EVENT_KINDS",
    "DATE_PRECISIONS",
    "INSTRUMENTS",
    "LEGAL_SOURCES",
    "data_events",
    "policy_events",
]

#: Instruments a policy event may have.
INSTRUMENTS = (
    "ban",
    "relaxation",
    "levy",
    "export_duty",
    "quota",
    "grade_requirement",
    "trade_rule",
    "processing_obligation",
)
#: How precisely a date is known: the day, only the month (stored as its first day), or
#: only the year (stored as 1 January).
DATE_PRECISIONS = ("day", "month", "year")
#: How a row's legal basis is known: ``primary`` when the sources read name the regulation
#: (its number) and its date at the row's precision; ``secondary`` when they do not (the
#: row rests on press reports, or on a number not in the reference notes), and the note
#: says so.
LEGAL_SOURCES = ("primary", "secondary")
#: A regulation number: ``4/2009``, ``PMK 39/PMK.010/2022``, ``78/M-DAG/PER/12/2012``.
_REGULATION_NUMBER = re.compile(r"\d+/(?:[A-Za-z0-9.\-]+/)*(?:19|20)\d\d")
#: Kinds of data event.
DATA_EVENT_KINDS = (
    "definition_change",
    "coverage_start",
    "coverage_end",
    "residual_value",
    "explicit_zero",
)

_POLICY_COLUMNS = (
    "event_id",
    "start_date",
    "date_precision",
    "end_date",
    "announced_date",
    "chains",
    "hs_codes",
    "item_codes",
    "instrument",
    "label_id",
    "label_en",
    "legal_basis",
    "legal_source",
    "source",
    "note",
)
_DATA_COLUMNS = (
    "event_id",
    "date",
    "date_precision",
    "dataset",
    "series",
    "kind",
    "label_id",
    "label_en",
    "source",
    "note",
)
_REQUIRED_TEXT = ("event_id", "label_id", "label_en", "source")

PathLikeStr = str | PathLike[str]


def _read(path: PathLikeStr | None, default: str) -> pd.DataFrame:
    if path is not None:
        return read_csv(path)
    return read_refdata(default)


def _check_columns(raw: pd.DataFrame, columns: tuple[str, ...], path: object) -> None:
    missing = [c for c in columns if c not in raw.columns]
    if missing:
        raise HilirDataError(f"event table lacks columns {missing}", path=str(path))


def _parse_date(raw: pd.DataFrame, column: str, path: object, *, required: bool) -> pd.Series:
    out = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
    for idx, text in raw[column].str.strip().items():
        if not text:
            if required:
                raise HilirDataError(
                    "date is missing", path=str(path), row=int(raw.at[idx, "_row"]), column=column
                )
            continue
        try:
            out[idx] = pd.Timestamp.fromisoformat(text)
        except ValueError as exc:
            raise HilirDataError(
                f"{text!r} is not an ISO date (YYYY-MM-DD)",
                path=str(path),
                row=int(raw.at[idx, "_row"]),
                column=column,
            ) from exc
    return out


def _check_choice(raw: pd.DataFrame, column: str, allowed: tuple[str, ...], path: object) -> None:
    bad = ~raw[column].str.strip().isin(allowed)
    if bad.any():
        idx = raw.index[bad.to_numpy()][0]
        raise HilirDataError(
            f"{raw.at[idx, column]!r} is not one of {list(allowed)}",
            path=str(path),
            row=int(raw.at[idx, "_row"]),
            column=column,
        )


def _check_text(raw: pd.DataFrame, columns: Iterable[str], path: object) -> None:
    for column in columns:
        empty = raw[column].str.strip().eq("")
        if empty.any():
            idx = raw.index[empty.to_numpy()][0]
            raise HilirDataError(
                "value is missing", path=str(path), row=int(raw.at[idx, "_row"]), column=column
            )


def _check_unique(raw: pd.DataFrame, path: object) -> None:
    dup = raw["event_id"].duplicated()
    if dup.any():
        idx = raw.index[dup.to_numpy()][0]
        raise HilirDataError(
            f"event_id {raw.at[idx, 'event_id']!r} appears twice",
            path=str(path),
            row=int(raw.at[idx, "_row"]),
            column="event_id",
        )


def _check_codes(raw: pd.DataFrame, column: str, path: object) -> None:
    for idx, text in raw[column].items():
        codes = [c.strip() for c in text.split(";") if c.strip()]
        if any(not c.isdigit() for c in codes):
            raise HilirDataError(
                f"codes must be digits separated by ';', got {text!r}",
                path=str(path),
                row=int(raw.at[idx, "_row"]),
                column=column,
            )


def _check_legal_source(raw: pd.DataFrame, path: object) -> None:
    """A primary row names a regulation number; a secondary row says why in its note."""
    _check_choice(raw, "legal_source", LEGAL_SOURCES, path)
    for _, row in raw.iterrows():
        kind = row["legal_source"].strip()
        if kind == "primary" and not _REGULATION_NUMBER.search(row["legal_basis"]):
            raise HilirDataError(
                "a primary legal source must name the regulation number (e.g. 'UU 4/2009')",
                path=str(path),
                row=int(row["_row"]),
                column="legal_basis",
            )
        if kind == "secondary" and not row["note"].strip():
            raise HilirDataError(
                "a secondary legal source needs a note saying what the sources lack",
                path=str(path),
                row=int(row["_row"]),
                column="note",
            )


def _split(text: str) -> list[str]:
    return [c.strip() for c in str(text).split(";") if c.strip()]


def policy_events(
    path: PathLikeStr | None = None,
    *,
    chain: str | None = None,
    hs_code: str | None = None,
    item_code: str | None = None,
    instrument: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """The policy timeline: export bans, relaxations, levies and quotas, one row per event.

    Parameters
    ----------
    path : str or os.PathLike, optional
        A CSV with the same columns as the shipped ``policy_events.csv``; by default the
        shipped table.
    chain : str, optional
        Keep events that name this chain (``nickel``, ``bauxite``, ``copper``, ``tin``,
        ``palm_oil``).
    hs_code : str, optional
        Keep events affecting this HS code; a code matches when one is a prefix of the other
        (``"260400"`` matches an event listing ``2604``).
    item_code : str, optional
        Keep events affecting this source item code (FAOSTAT ``"257"`` palm oil).
    instrument : str or iterable of str, optional
        Keep these instruments (see :data:`INSTRUMENTS`).

    Returns
    -------
    pandas.DataFrame
        Columns ``event_id``; ``start_date``, ``end_date`` (last day in force, inclusive;
        NaT when open-ended) and ``announced_date`` (NaT when unknown) as datetimes;
        ``date_precision`` (``day``, ``month`` stored as the first day, ``year`` stored as
        1 January); ``chains``, ``hs_codes``, ``item_codes`` (``;``-separated text);
        ``instrument``; bilingual ``label_id`` / ``label_en``; ``legal_basis``;
        ``legal_source`` (``primary``: the sources read name the regulation number and its
        date; ``secondary``: they do not, and ``note`` says what is missing); ``source``;
        ``note``; and ``duration_days`` (Int64, days in force counting both ends; NA when
        open-ended). Sorted by start date.

    Raises
    ------
    HilirDataError
        A missing column, an empty id, label, legal basis or source, a date that is not ISO
        ``YYYY-MM-DD``, an end before the start, an unknown instrument, date precision or
        legal source, a primary legal source without a regulation number, a secondary one
        without a note, a non-digit code, or a duplicate ``event_id``; the message names
        file, row and column.

    Notes
    -----
    Dates and legal bases are taken from ``domain-facts.md`` section 5 of the project
    references; each row's ``source`` names the publications they were read in. Month- or
    year-precision dates are never written as a day that no source gave. No row has been
    checked against the regulation's own text: ``primary`` means the cited sources name the
    regulation and its date.

    Examples
    --------
    >>> from hilir.policy import policy_events
    >>> ev = policy_events(chain="nickel", instrument="ban")
    >>> ev["event_id"].tolist()
    ['nickel_ore_ban_2014', 'nickel_ore_ban_2020']
    """
    raw = _read(path, "policy_events.csv")
    where = path if path is not None else refdata_label("policy_events.csv")
    _check_columns(raw, _POLICY_COLUMNS, where)
    _check_text(raw, (*_REQUIRED_TEXT, "legal_basis"), where)
    _check_unique(raw, where)
    _check_choice(raw, "instrument", INSTRUMENTS, where)
    _check_legal_source(raw, where)
    _check_choice(raw, "date_precision", DATE_PRECISIONS, where)
    _check_codes(raw, "hs_codes", where)
    _check_codes(raw, "item_codes", where)
    out = raw.loc[:, list(_POLICY_COLUMNS)].copy()
    for column in ("event_id", "instrument", "date_precision", "legal_source"):
        out[column] = out[column].str.strip()
    out["start_date"] = _parse_date(raw, "start_date", where, required=True)
    out["end_date"] = _parse_date(raw, "end_date", where, required=False)
    out["announced_date"] = _parse_date(raw, "announced_date", where, required=False)
    early = out["end_date"].notna() & (out["end_date"] < out["start_date"])
    if early.any():
        idx = out.index[early.to_numpy()][0]
        raise HilirDataError(
            "end_date is before start_date",
            path=str(where),
            row=int(raw.at[idx, "_row"]),
            column="end_date",
        )
    days = (out["end_date"] - out["start_date"]).dt.days + 1
    out["duration_days"] = days.astype("Int64")
    if chain is not None:
        out = out[out["chains"].map(lambda s: chain in _split(s))]
    if hs_code is not None:
        code = str(hs_code).strip()
        out = out[
            out["hs_codes"].map(
                lambda s: any(c.startswith(code) or code.startswith(c) for c in _split(s))
            )
        ]
    if item_code is not None:
        out = out[out["item_codes"].map(lambda s: str(item_code).strip() in _split(s))]
    if instrument is not None:
        wanted = [instrument] if isinstance(instrument, str) else list(instrument)
        unknown = sorted(set(wanted) - set(INSTRUMENTS))
        if unknown:
            raise HilirDataError(f"unknown instrument {unknown}; use one of {list(INSTRUMENTS)}")
        out = out[out["instrument"].isin(wanted)]
    return out.sort_values(["start_date", "event_id"]).reset_index(drop=True)


def data_events(
    path: PathLikeStr | None = None,
    *,
    dataset: str | None = None,
    series: str | None = None,
) -> pd.DataFrame:
    """Data events: changes in a series' definition or coverage that are not policy.

    Kept apart from :func:`policy_events` so a chart or a model never reads, say, the 2021
    change of the World Bank palm oil price definition as an effect of a palm oil policy.

    Parameters
    ----------
    path : str or os.PathLike, optional
        A CSV with the same columns as the shipped ``data_events.csv``.
    dataset : str, optional
        Keep events of this dataset (a provenance key such as ``wb_pinksheet_monthly``).
    series : str, optional
        Keep events of this series code (``PALM_OIL``, ``2604``, ``659``).

    Returns
    -------
    pandas.DataFrame
        Columns ``event_id``, ``date`` (datetime), ``date_precision``, ``dataset``
        (``;``-separated provenance keys), ``series`` (``;``-separated), ``kind`` (see
        :data:`DATA_EVENT_KINDS`), bilingual ``label_id`` / ``label_en``, ``source``,
        ``note``; sorted by date.

    Raises
    ------
    HilirDataError
        As :func:`policy_events`, for this table's columns.
    """
    raw = _read(path, "data_events.csv")
    where = path if path is not None else refdata_label("data_events.csv")
    _check_columns(raw, _DATA_COLUMNS, where)
    _check_text(raw, (*_REQUIRED_TEXT, "dataset", "series"), where)
    _check_unique(raw, where)
    _check_choice(raw, "kind", DATA_EVENT_KINDS, where)
    _check_choice(raw, "date_precision", DATE_PRECISIONS, where)
    out = raw.loc[:, list(_DATA_COLUMNS)].copy()
    out["date"] = _parse_date(raw, "date", where, required=True)
    if dataset is not None:
        out = out[out["dataset"].map(lambda s: dataset in _split(s))]
    if series is not None:
        out = out[out["series"].map(lambda s: series in _split(s))]
    return out.sort_values(["date", "event_id"]).reset_index(drop=True)
