"""Input checks: frames, options and the columns of a file as read; small shared helpers.

Every check raises :class:`~hilir.errors.HilirDataError` saying what is missing; nothing is
silently filled.
"""

from __future__ import annotations

import functools
import re
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from os import PathLike
from typing import Any

import numpy as np
import pandas as pd

from hilir.errors import HilirDataError

__all__ = [
    "BOUNDS",
    "DOWNSTREAM",
    "GEOGRAPHY",
    "STAGES",
    "as_list",
    "check_choice",
    "check_shares",
    "check_stages",
    "check_years",
    "column_key",
    "concat_frames",
    "empty_frame",
    "geography",
    "geography_code",
    "geography_name",
    "join_notes",
    "keep_reporters",
    "require_columns",
    "require_file_columns",
    "safe_divide",
    "sum_strict",
]

STAGES = ("raw", "intermediate", "processed", "mixed")
#: Stages that count as "processed at home" in the processing share.
DOWNSTREAM = ("intermediate", "processed")
BOUNDS = ("low", "central", "high")
#: The geographies of the shipped data: code -> name (the ``geography`` column of results).
#: These win over ISO 3166 names; other codes are named by :func:`geography_name`.
GEOGRAPHY = {"IDN": "Indonesia", "ID-LA": "Lampung"}
#: Other spellings of the world market accepted where a chart takes a geography.
_WORLD = ("world", "wld", "dunia")
PathLikeStr = str | PathLike[str]


def require_columns(df: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    """Raise if ``df`` lacks any of ``columns``."""
    if not isinstance(df, pd.DataFrame):
        raise HilirDataError(f"{what} must be a pandas DataFrame, not {type(df).__name__}")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise HilirDataError(f"{what} lacks columns {missing}; it has {list(df.columns)}")


def check_choice(name: str, value: object, allowed: Sequence[object]) -> None:
    """Raise if ``value`` is not one of ``allowed`` (for ``Literal`` options)."""
    if value not in allowed:
        raise HilirDataError(f"{name} must be one of {list(allowed)}, not {value!r}")


def check_shares(shares: float | Iterable[float], *, name: str = "share") -> np.ndarray:
    """Shares as a 1-D float array, each in [0, 1]; raise otherwise."""
    arr = np.atleast_1d(np.asarray(shares, dtype="float64"))
    if arr.ndim != 1 or arr.size == 0:
        raise HilirDataError(f"{name} must be a number or a non-empty list of numbers")
    bad = ~np.isfinite(arr) | (arr < 0) | (arr > 1)
    if bad.any():
        raise HilirDataError(f"{name} must lie in [0, 1]; got {arr[bad].tolist()}")
    return arr


def check_stages(stages: Iterable[str], *, what: str) -> None:
    """Raise on a stage that is not raw, intermediate, processed or mixed."""
    unknown = sorted(set(stages) - set(STAGES))
    if unknown:
        raise HilirDataError(f"unknown stage {unknown} in {what}; stages are {list(STAGES)}")


def check_years(have: Iterable[int], wanted: Iterable[int], *, what: str) -> list[int]:
    """The wanted years as ints; raise naming the years absent from ``have``."""
    have_set = {int(y) for y in have}
    wanted_list = [int(y) for y in wanted]
    missing = sorted(set(wanted_list) - have_set)
    if missing:
        span = f"{min(have_set)}-{max(have_set)}" if have_set else "none"
        raise HilirDataError(f"years {missing} are absent from {what} (years present: {span})")
    return wanted_list


def geography_name(code: object) -> str | None:
    """The name of a geography (the ``geography`` column of results) from its code.

    The shipped geographies come first (:data:`GEOGRAPHY`: ``IDN`` Indonesia, ``ID-LA``
    Lampung); any other ISO 3166-1 alpha-3 code gives pycountry's common name where it has
    one, else its ISO name, and an ISO 3166-2 subdivision code gives the subdivision's name.

    Parameters
    ----------
    code : object
        A reporter code in upper case: ISO 3166-1 alpha-3 (``"VNM"``) or ISO 3166-2
        (``"ID-JB"``). Other values (``"WORLD"``, aggregates such as ``"XOA"``, names) are
        passed through.

    Returns
    -------
    str or None
        The name (``"Vietnam"`` for ``VNM``, ``"South Korea"`` for ``KOR``, ``"Jawa Barat"``
        for ``ID-JB``); the code itself as text when ISO 3166 does not know it; ``None`` for
        a missing value (``None``, NaN, ``pd.NA``), so a missing reporter stays missing.

    Examples
    --------
    >>> geography_name("ID-LA"), geography_name("VNM"), geography_name("WORLD")
    ('Lampung', 'Vietnam', 'WORLD')
    """
    if _is_missing(code):
        return None
    text = str(code)
    return GEOGRAPHY.get(text) or _iso_name(text) or text


def geography_code(geography: object, *, world: bool = False) -> str | None:
    """The code of a geography given by code or name (any case), or ``None`` if unknown.

    The inverse of :func:`geography_name`: ``"Lampung"`` and ``"id-la"`` give ``ID-LA``;
    an ISO 3166-1 country by alpha-3 code, ISO name, common name or official name
    (``"Viet Nam"``, ``"Vietnam"``, ``"vnm"``) gives its alpha-3 code; an ISO 3166-2
    subdivision by code, or by a name no other country or subdivision shares, gives its
    code. With ``world=True`` the world market (``"world"``, ``"WLD"``, ``"dunia"``) gives
    ``WORLD``.

    Parameters
    ----------
    geography : object
        A code or a name; surrounding spaces and case are ignored.
    world : bool, default False
        Also accept the spellings of the world market.

    Returns
    -------
    str or None
        The code, or ``None`` for a missing value or a geography not known.

    Examples
    --------
    >>> geography_code("Lampung"), geography_code("Viet Nam"), geography_code("Dunia", world=True)
    ('ID-LA', 'VNM', 'WORLD')
    """
    if _is_missing(geography):
        return None
    text = str(geography).strip().lower()
    for code, name in GEOGRAPHY.items():
        if text in (code.lower(), name.lower()):
            return code
    if world and text in _WORLD:
        return "WORLD"
    return _iso_codes().get(text)


def _is_missing(value: object) -> bool:
    """True for ``None``, NaN, ``pd.NA`` and ``pd.NaT`` (not for lists or other values)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float | np.floating) and bool(np.isnan(value))


@functools.lru_cache(maxsize=4096)
def _iso_name(code: str) -> str | None:
    """The pycountry name of an ISO 3166-1 alpha-3 or ISO 3166-2 code (upper case), or None."""
    import pycountry  # imported on first use: importing hilir stays quick

    if re.fullmatch(r"[A-Z]{3}", code):
        country = pycountry.countries.get(alpha_3=code)
        if country is None:
            return None
        return str(getattr(country, "common_name", None) or country.name)
    if re.fullmatch(r"[A-Z]{2}-[A-Z0-9]{1,3}", code):
        lookup: Callable[..., Any] = pycountry.subdivisions.get  # untyped in pycountry
        sub = lookup(code=code)
        return None if sub is None else str(sub.name)
    return None


@functools.lru_cache(maxsize=1)
def _iso_codes() -> dict[str, str]:
    """Lower-case spelling -> code for ISO 3166-1 countries and ISO 3166-2 subdivisions.

    A country is found by alpha-3 code, name, common name and official name; a subdivision
    by code and by name when no country and no other subdivision has that name (a name
    such as ``"Georgia"`` stays the country's).
    """
    import pycountry

    index: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("alpha_3", "name", "common_name", "official_name"):
            spelling = getattr(country, attr, None)
            if spelling:
                index.setdefault(str(spelling).strip().lower(), str(country.alpha_3))
    by_name: dict[str, set[str]] = {}
    for sub in pycountry.subdivisions:
        index.setdefault(str(sub.code).lower(), str(sub.code))
        by_name.setdefault(str(sub.name).strip().lower(), set()).add(str(sub.code))
    for name, codes in by_name.items():
        if len(codes) == 1:
            index.setdefault(name, next(iter(codes)))
    return index


def geography(reporter: pd.Series) -> pd.Series:
    """Geography label of each reporter code, as :func:`geography_name` (string dtype).

    ``IDN`` Indonesia, ``ID-LA`` Lampung, ``VNM`` Vietnam; a missing reporter stays missing.
    """
    return reporter.astype("string").map(geography_name).astype("string")


def keep_reporters(
    df: pd.DataFrame, reporter: str | Iterable[str] | None
) -> tuple[pd.DataFrame, list[str]]:
    """Rows of the wanted reporters, and the reporters left out (sorted).

    ``reporter=None`` keeps Indonesia and its provinces (``IDN`` and ISO 3166-2 codes
    ``ID-..``), the geographies of the value models; a code or list of codes keeps those.
    """
    codes = df["reporter"].astype("string")
    if reporter is None:
        keep = codes.eq("IDN") | codes.str.startswith("ID-")
    else:
        wanted = [reporter] if isinstance(reporter, str) else [str(r) for r in reporter]
        keep = codes.isin(wanted)
    keep_arr = keep.fillna(False).to_numpy(dtype=bool)
    left = sorted({str(c) for c in codes[~keep_arr].dropna().unique()})
    return df[keep_arr], left


def as_list(value: str | Iterable[str] | None) -> list[str] | None:
    """``None``, or the value as a list of strings."""
    if value is None:
        return None
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def concat_frames(frames: Iterable[pd.DataFrame], **kwargs: Any) -> pd.DataFrame:
    """:func:`pandas.concat` without pandas 2's FutureWarning on all-missing columns.

    pandas < 3 warns that empty or all-missing columns will count towards the result's dtypes
    (as they do in pandas 3); the values are the same either way.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", "The behavior of DataFrame concatenation with empty", FutureWarning
        )
        return pd.concat(frames, **kwargs)


def empty_frame(columns: Iterable[str]) -> pd.DataFrame:
    """A frame with these columns and no rows (object dtype), for results with no data."""
    return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})


def sum_strict(values: pd.Series) -> float:
    """Sum that stays missing when any value is missing (``skipna=False``)."""
    return values.sum(skipna=False)


def join_notes(values: Iterable[object]) -> str:
    """Sorted distinct non-empty notes joined with ``"; "``."""
    return "; ".join(sorted({str(v) for v in values if isinstance(v, str) and v}))


def safe_divide(num: np.ndarray | pd.Series, den: np.ndarray | pd.Series) -> np.ndarray:
    """Element-wise ``num / den`` with NaN where the denominator is 0 or missing."""
    n = np.asarray(num, dtype="float64")
    d = np.asarray(den, dtype="float64")
    out = np.full(np.broadcast(n, d).shape, np.nan)
    ok = np.isfinite(d) & (d != 0)
    np.divide(n, d, out=out, where=ok)
    return out


def column_key(name: object) -> str:
    """Fold a column name for matching: spaces, ``_ . ( ) $`` removed, lower case.

    Examples
    --------
    >>> column_key("Trade Value (US$)")
    'tradevalueus'
    """
    return re.sub(r"[\s_.()$]+", "", str(name)).lower()


def require_file_columns(
    df: pd.DataFrame,
    required: Iterable[str],
    *,
    path: PathLikeStr | None,
    aliases: Mapping[str, Iterable[str]] | None = None,
) -> pd.DataFrame:
    """Check that columns exist, renaming known aliases to their canonical names.

    Parameters
    ----------
    df : pandas.DataFrame
        Frame as read.
    required : iterable of str
        Canonical column names that must be present.
    path : str or os.PathLike or None
        The file, for the error message.
    aliases : mapping, optional
        Canonical name -> other spellings seen in real files (compared after stripping
        spaces and case).

    Returns
    -------
    pandas.DataFrame
        A copy with aliases renamed to canonical names.

    Raises
    ------
    HilirDataError
        Naming every missing column and the columns the file does have.
    """
    norm = column_key
    present = {norm(c): c for c in df.columns}
    rename: dict[str, str] = {}
    missing: list[str] = []
    for canon in required:
        names = [canon, *(aliases or {}).get(canon, ())]
        hit = next((present[norm(n)] for n in names if norm(n) in present), None)
        if hit is None:
            missing.append(canon)
        elif hit != canon:
            rename[hit] = canon
    if missing:
        have = [c for c in df.columns if c != "_row"]
        raise HilirDataError(
            f"missing column(s) {missing}; the file has {have}", path=path, row=1, column=missing[0]
        )
    return df.rename(columns=rename)
