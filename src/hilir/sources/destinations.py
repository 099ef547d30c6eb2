"""Two-column tables of export (or import) values by destination -> the tidy trade table.

Blog posts, press releases and policy notes often summarise a trade flow as a small table:
one column of destination names, one column of values in a stated unit, with the reporter,
product, flow and year given only in the surrounding text. The shipped example is
``data/raw/comtrade/idn_ferronickel_export_destinations_musd.csv``::

    "Tujuan Ekspor","Nilai Ekspor (Juta USD)"
    "China", 4545.63
    "India", 128.56
    ...
    "Asia lain", 21.40

Everything the file does not say (year, HS code, reporter, flow, unit) must be passed in
explicitly; nothing is guessed.
"""

from __future__ import annotations

import math
import re
import warnings
from os import PathLike
from typing import Literal

import numpy as np
import pandas as pd

from hilir.errors import HilirDataError, HilirDataWarning, caller_stacklevel
from hilir.fileio import read_csv
from hilir.hs import hs6_of, normalise_hs_code, revision_for_year
from hilir.registry.partners import resolve_partners, resolve_reporter
from hilir.schema.cells import parse_numbers
from hilir.schema.tables import FLOWS, TRADE, conform
from hilir.sources._common import check_nonnegative

PathLikeStr = str | PathLike[str]

#: Header names (compared without spaces, punctuation or case) of the destination column.
DESTINATION_HEADERS = frozenset(
    {
        "tujuanekspor",
        "negaratujuan",
        "negaratujuanekspor",
        "tujuan",
        "negara",
        "negaraasal",
        "asalimpor",
        "destination",
        "countryofdestination",
        "destinationcountry",
        "countryoforigin",
        "origin",
        "partner",
        "country",
    }
)

#: A value column's header starts with one of these (after the same normalisation).
VALUE_HEADER_PREFIXES = (
    "nilai",
    "value",
    "tradevalue",
    "exportvalue",
    "importvalue",
    "fobvalue",
    "fob",
)

#: Unit words that may appear in a value header, and the US dollars per unit they mean.
_UNIT_WORDS: tuple[tuple[str, float], ...] = (
    (r"\b(juta|million|millions|mn|mio)\b", 1e6),
    (r"\b(miliar|milyar|billion|billions|bn)\b", 1e9),
    (r"\b(ribu|thousand|thousands)\b", 1e3),
)


def _norm(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", str(text).lower())


def _header_scale(header: str) -> float | None:
    """US dollars per unit stated in a value header, or None when it states no multiplier."""
    low = str(header).lower()
    if not re.search(r"usd|us\$|dollar|\$", low):
        return None
    for pattern, scale in _UNIT_WORDS:
        if re.search(pattern, low):
            return scale
    return 1.0 if re.search(r"\(\s*(usd|us\$)\s*\)", low) else None


def _check_options(
    *, source: str, year: int, hs_code: str, reporter: str, flow: str, value_scale: float
) -> str:
    if not isinstance(source, str) or not source.strip():
        raise ValueError("source must be a non-empty provenance key")
    if isinstance(year, bool) or not isinstance(year, int | np.integer) or not 1900 <= year <= 2100:
        raise ValueError(f"year must be a calendar year (an int), not {year!r}")
    if flow not in FLOWS:
        raise ValueError(f"flow must be 'export' or 'import', not {flow!r}")
    try:
        known = isinstance(reporter, str) and resolve_reporter(reporter) == reporter
    except HilirDataError:
        known = False
    if not known:
        raise ValueError(
            f"reporter must be an ISO 3166-1 alpha-3 code ('IDN') or an ISO 3166-2 code "
            f"('ID-LA'), not {reporter!r}"
        )
    if isinstance(value_scale, bool) or not isinstance(value_scale, int | float | np.number):
        raise ValueError(f"value_scale must be a number (USD per unit), not {value_scale!r}")
    if not math.isfinite(value_scale) or value_scale <= 0:
        raise ValueError(
            f"value_scale must be a positive number of USD per unit, not {value_scale}"
        )
    if not isinstance(hs_code, str):
        raise ValueError(f"hs_code must be text such as '720260', not {hs_code!r}")
    code, _ = normalise_hs_code(hs_code, warn=False)
    if code != hs_code.strip():
        raise ValueError(f"hs_code must be digits with leading zeros: {code!r}, not {hs_code!r}")
    return code


def read_destination_values(
    path: PathLikeStr,
    *,
    source: str,
    year: int,
    hs_code: str,
    reporter: str = "IDN",
    flow: Literal["export", "import"] = "export",
    value_scale: float,
    year_inferred: bool = False,
) -> pd.DataFrame:
    """Read a two-column table of trade values by destination into the tidy trade table.

    Parameters
    ----------
    path : str or os.PathLike
        CSV with a destination column (header such as ``Tujuan Ekspor``, ``Negara Tujuan``,
        ``Destination``, ``Partner``) and a value column (header starting with ``Nilai``,
        ``Value``, ``Trade value`` or ``FOB``). Other columns are ignored.
    source : str
        Provenance key written to the ``source`` column.
    year : int
        Calendar year of the values (the file does not say).
    hs_code : str
        HS code of the product, with its leading zeros (``"720260"``, ``"090111"``).
    reporter : str, default "IDN"
        ISO 3166-1 alpha-3 code, or ISO 3166-2 for a province (``"ID-LA"``).
    flow : {"export", "import"}, default "export"
        Direction of the flow.
    value_scale : float
        US dollars per unit of the value column: ``1_000_000`` for "Juta USD" (USD million),
        ``1_000`` for "Ribu USD", ``1`` for US dollars. When the header itself names a unit
        (``(Juta USD)``), ``value_scale`` must agree with it.
    year_inferred : bool, default False
        Set when ``year`` was inferred (for example by matching the total to another source)
        rather than stated by the source; a :class:`~hilir.errors.HilirDataWarning` then says
        so each time the file is read, and ``hs_revision`` is left missing.

    Returns
    -------
    pandas.DataFrame
        :data:`hilir.schema.tables.TRADE`, one row per destination in file order: ``partner`` the
        ISO alpha-3 code or a residual code (``"Asia lain"`` -> the "other Asia" residual),
        ``partner_type`` ``country``, ``residual``, ``aggregate`` or ``world``, ``value_usd``
        in US dollars (value x ``value_scale``), ``net_weight_kg`` missing, ``month`` missing,
        ``item_code`` empty, ``hs_revision`` the revision in force in ``year`` (missing when the
        year is inferred).

    Raises
    ------
    ValueError
        An option out of range (``flow``, ``year``, ``reporter``, ``hs_code``,
        ``value_scale``).
    HilirDataError
        No destination or value column; a header unit that contradicts ``value_scale``; an
        empty destination name; an unknown destination; a value that is missing, not a number
        or negative; the same destination twice (also under two spellings of one country); an
        empty file.

    Warns
    -----
    HilirDataWarning
        When ``year_inferred`` is true.

    Notes
    -----
    ``value_usd = value x value_scale``. Numbers may use thousands separators or a decimal
    comma (see :func:`hilir.sources._common.parse_number`). Rows add up to the flow's total
    only over ``country`` and ``residual`` partners; a ``world`` row, if the file has one, is
    kept as its own row and not added.
    """
    code = _check_options(
        source=source,
        year=year,
        hs_code=hs_code,
        reporter=reporter,
        flow=flow,
        value_scale=value_scale,
    )
    df = read_csv(path)
    dest_col, value_col = _destination_columns(df, path=path, value_scale=value_scale)
    names = df[dest_col].astype(str).str.strip()
    empty = names.eq("").to_numpy()
    if empty.any():
        row = int(df["_row"].to_numpy()[empty][0])
        raise HilirDataError("destination name is empty", path=path, row=row, column=dest_col)
    values = parse_numbers(df, value_col, path=path, allow_missing=False)
    check_nonnegative(values, df, value_col, path=path)

    codes, types = _destination_codes(df, names, path=path, dest_col=dest_col)

    n = len(df)
    out = pd.DataFrame(
        {
            "year": np.full(n, int(year), dtype="int64"),
            "month": pd.array([pd.NA] * n, dtype="Int64"),
            "reporter": reporter,
            "partner": codes,
            "partner_type": types,
            "flow": flow,
            "hs_code": code,
            "hs6": hs6_of(code),
            "item_code": "",
            "hs_revision": pd.NA if year_inferred else revision_for_year(int(year)),
            "value_usd": values.to_numpy(dtype="float64") * float(value_scale),
            "net_weight_kg": np.full(n, np.nan),
            "source": source,
        },
        index=df.index,
    )
    result = conform(out, TRADE, path=path, row_numbers=df["_row"])
    if year_inferred:
        warnings.warn(
            f"{path}: the file states no year; year {year} is inferred (year_inferred=True), "
            "not published by the source. Say so wherever these values are shown.",
            HilirDataWarning,
            stacklevel=caller_stacklevel(),
        )
    return result


def _destination_columns(
    df: pd.DataFrame, *, path: PathLikeStr, value_scale: float
) -> tuple[str, str]:
    """(destination, value) columns; the value header's unit must agree with ``value_scale``."""
    columns = [c for c in df.columns if c != "_row"]
    dest_col = next((c for c in columns if _norm(c) in DESTINATION_HEADERS), None)
    value_col = next(
        (c for c in columns if c != dest_col and _norm(c).startswith(VALUE_HEADER_PREFIXES)),
        None,
    )
    for needed, found in (("destination", dest_col), ("value", value_col)):
        if found is None:
            raise HilirDataError(
                f"no {needed} column; the file has {columns} (expected a destination column "
                "such as 'Tujuan Ekspor' and a value column such as 'Nilai Ekspor (Juta USD)')",
                path=path,
                row=1,
                column=needed,
            )
    assert dest_col is not None and value_col is not None
    stated = _header_scale(value_col)
    if stated is not None and not math.isclose(stated, float(value_scale), rel_tol=1e-9):
        raise HilirDataError(
            f"the header states values in units of {stated:,.0f} USD but value_scale="
            f"{value_scale:,} was given; pass value_scale={stated:,.0f}",
            path=path,
            row=1,
            column=value_col,
        )
    return dest_col, value_col


def _destination_codes(
    df: pd.DataFrame, names: pd.Series, *, path: PathLikeStr, dest_col: str
) -> tuple[pd.Series, pd.Series]:
    """Partner codes and partner types of the destination names; a partner twice is an error."""
    resolved = resolve_partners(names, path=path, rows=df["_row"], column=dest_col)
    codes = resolved["code"].astype("string")
    types = resolved["partner_type"].astype("string")
    dup = codes.duplicated(keep="first").to_numpy()
    if dup.any():
        idx = df.index[dup][0]
        first = df.index[(codes == codes.loc[idx]).to_numpy()][0]
        raise HilirDataError(
            f"destination {names.loc[idx]!r} ({codes.loc[idx]}) is already on row "
            f"{int(df.loc[first, '_row'])} ({names.loc[first]!r})",
            path=path,
            row=int(df.loc[idx, "_row"]),
            column=dest_col,
        )
    return codes, types
