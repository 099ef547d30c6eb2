"""BPS (Badan Pusat Statistik) trade files: export downloads and static wide tables.

Two readers, one per layout users meet:

- :func:`read_bps_exports`: the export download (HS 8-digit by destination and month),
  ``Kode HS, Deskripsi HS, Negara Tujuan Ekspor, Periode, Berat (Kg), Nilai (USD)``, with or
  without a loading-port column, or the portal's Excel cross table -> tidy trade table;
- :func:`read_bps_wide`: static tables by destination with years across (the "Exports of
  Coal/Copper Ore by Major Countries of Destination" tables), a weight block and a value
  block, each with a unit row and a ``Total`` row -> tidy trade table.

:func:`parse_unit` reads BPS unit texts such as ``Net weight : 000 Ton``. Plantation tables
are read by :mod:`hilir.sources.bps_production`.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from dataclasses import replace
from typing import Literal

import numpy as np
import pandas as pd

from hilir.errors import HilirDataError, HilirDataWarning, caller_stacklevel
from hilir.hs import hs6_of, normalise_hs_code, revision_for_year
from hilir.registry.partners import resolve_partners, resolve_reporter
from hilir.schema.cells import parse_numbers
from hilir.schema.tables import TRADE, Column, conform
from hilir.sources._bps_blocks import find_year_header, flag_totals, long_amounts, read_blocks
from hilir.sources._bps_portal import portal_table
from hilir.sources._bps_text import PathLikeStr, _norm, _records, parse_unit
from hilir.sources._common import (
    check_nonnegative,
    check_unique,
    find_column,
    first_bad,
    normalise_codes,
    parse_years,
    read_csv_below_title,
)

#: The trade table plus the loading port, keyed by port too (``read_bps_exports(keep_port=True)``).
TRADE_WITH_PORT = replace(
    TRADE,
    name="trade_with_port",
    columns=(*TRADE.columns, Column("port", "string", "name", "loading port as published")),
    key=(*TRADE.key, "port"),
)

# --- export download -----------------------------------------------------------------------

_HS_NAMES = ("Kode HS", "HS Code", "Kode HS 8 Digit", "HS")
_COUNTRY_NAMES = ("Negara Tujuan Ekspor", "Negara Tujuan", "Negara", "Country", "Destination")
_PERIOD_NAMES = ("Periode", "Period")
_YEAR_NAMES = ("Tahun", "Year")
_MONTH_NAMES = ("Bulan", "Month")
_MONTHS_ID = {
    name: i
    for i, name in enumerate(
        "januari februari maret april mei juni juli agustus september oktober november "
        "desember".split(),
        start=1,
    )
}
_MONTHS_EN = {
    name: i
    for i, name in enumerate(
        "january february march april may june july august september october november "
        "december".split(),
        start=1,
    )
}


def _pick(columns: Sequence[str], names: Sequence[str]) -> str | None:
    return find_column(columns, names, key=_norm)


def _pick_prefix(columns: Sequence[str], prefixes: Sequence[str]) -> str | None:
    for c in columns:
        if c != "_row" and any(_norm(c).startswith(p) for p in prefixes):
            return c
    return None


def read_bps_exports(
    path: PathLikeStr,
    *,
    source: str = "bps_exports",
    reporter: str = "IDN",
    port_column: bool | None = None,
    keep_port: bool = False,
) -> pd.DataFrame:
    """Read a BPS export download (HS 8-digit by destination and period).

    Parameters
    ----------
    path : str or os.PathLike
        CSV with ``Kode HS, Deskripsi HS, Negara Tujuan Ekspor, Periode, Berat (Kg),
        Nilai (USD)`` (``Deskripsi HS`` is not needed; ``Tahun`` and ``Bulan`` may replace
        ``Periode``; the unit in the weight and value headers is read, so ``Berat (Ton)``
        or ``Nilai (Ribu USD)`` are scaled to kg and USD); or the same table as an ``.xlsx``
        workbook; or the export portal's Excel cross table (destinations, ports and months
        across, ``[09] ...`` codes and years down; :mod:`hilir.sources._bps_portal`), which
        gives FOB values only (``net_weight_kg`` empty) for codes of any length.
    source : str, default "bps_exports"
        Provenance key.
    reporter : str, default "IDN"
        Who reports: ``"IDN"`` for a national download, ``"ID-LA"`` for exports from
        Lampung (ISO 3166-2 province codes are accepted).
    port_column : bool, optional
        ``True`` requires a loading-port column (``Pelabuhan Muat``, ``Pelabuhan`` ...);
        by default it is used when present.
    keep_port : bool, default False
        Return one row per loading port, with an extra ``port`` column after the trade
        columns (:data:`TRADE_WITH_PORT`). By default rows are summed over ports.

    Returns
    -------
    pandas.DataFrame
        :data:`hilir.schema.tables.TRADE` (plus ``port`` with ``keep_port=True``): flow
        ``export``, ``month`` from ``Periode`` (YYYYMM; empty for a YYYY period),
        ``value_usd`` FOB in USD, ``net_weight_kg`` in kg, ``hs_code`` the 8-digit national
        code (BTKI), ``hs6`` its first six digits.

    Raises
    ------
    HilirDataError
        Missing columns, unknown destination names or units, periods that are not YYYYMM,
        numbers that are not numbers, negative or missing values, the same code, destination
        and period twice (with the same port), empty or cut files.

    Warns
    -----
    HilirDataWarning
        When 8-digit codes stored as numbers lost their leading zero (``9011110`` ->
        ``09011110``), when title lines above the header were skipped, and when rows were
        summed over loading ports.

    Notes
    -----
    Destinations are named in Indonesian (``Jepang``, ``Korea Selatan``, BPS spellings
    such as ``Philipina`` and ``Hongkong``) and sometimes in upper-case English
    (``SOLOMON ISLANDS``); :func:`hilir.registry.partners.resolve_partner` reads them all.
    ``hs_revision`` is inferred from the year (:func:`hilir.hs.revision_for_year`): BTKI
    follows the HS revision of its edition, and BTKI 2022 replaced BTKI 2017 during 2022,
    so rows of early 2022 may still follow HS2017.
    """
    reporter_code = resolve_reporter(reporter)
    portal = portal_table(path)
    if portal is None:
        df, skip = read_csv_below_title(path, _HS_NAMES, key=_norm)
        header_row = skip + 1
    else:  # the portal's Excel cross table: no weight, codes of any length in brackets
        df, header_row = portal
    columns = list(df.columns)
    hs_col, country_col, weight_col, value_col, port_col = _export_columns(
        columns,
        path=path,
        header_row=header_row,
        port_column=port_column,
        keep_port=keep_port,
        weight=portal is None,
    )
    factors = _export_factors(weight_col, value_col, path=path, header_row=header_row)

    out = pd.DataFrame(index=df.index)
    out["year"], out["month"] = _periods(df, columns, path, header_row)
    out["reporter"] = reporter_code
    parties = resolve_partners(df[country_col], path=path, rows=df["_row"], column=country_col)
    out["partner"] = parties["code"]
    out["partner_type"] = parties["partner_type"]
    out["flow"] = "export"
    out["hs_code"] = normalise_codes(df, hs_col, path=path, length=None if portal else 8)
    out["hs6"] = out["hs_code"].map(hs6_of).astype("string")
    out["item_code"] = ""
    out["hs_revision"] = [revision_for_year(int(y)) for y in out["year"]]
    value = parse_numbers(df, value_col, path=path, allow_missing=False, scale=factors["value"])
    out["value_usd"] = check_nonnegative(value, df, value_col, path=path)
    out["net_weight_kg"] = np.nan
    if weight_col is not None:
        weight = parse_numbers(df, weight_col, path=path, scale=factors["weight"])
        out["net_weight_kg"] = check_nonnegative(weight, df, weight_col, path=path)
    out["source"] = source
    out["_row"] = df["_row"]
    key = ["year", "month", "partner", "hs_code"]
    if port_col is not None:
        out["port"] = df[port_col].str.strip()
        check_unique(out, [*key, "port"], path=path, column=hs_col)
        if keep_port:
            return conform(out, TRADE_WITH_PORT, path=path, row_numbers=out["_row"])
        n_before = len(out)
        out = _sum_over_ports(out, key)
        warnings.warn(
            f"{path}: summed {n_before} rows over loading ports ({port_col}) into {len(out)} "
            "rows (pass keep_port=True to keep ports)",
            HilirDataWarning,
            stacklevel=caller_stacklevel(),
        )
    else:
        check_unique(out, key, path=path, column=hs_col)
    return conform(out, TRADE, path=path, row_numbers=out["_row"])


def _export_columns(
    columns: list[str],
    *,
    path: PathLikeStr,
    header_row: int,
    port_column: bool | None,
    keep_port: bool,
    weight: bool = True,
) -> tuple[str, str, str | None, str, str | None]:
    """(HS, destination, weight, value, port or None) columns of an export download.

    ``weight=False``: the weight column may be absent (``None``; the portal's cross table).
    """
    have = [c for c in columns if c != "_row"]

    def need(col: str | None, name: str) -> str:
        if col is None:
            raise HilirDataError(
                f"missing column {name!r}; the file has {have}",
                path=path,
                row=header_row,
                column=name,
            )
        return col

    hs_col = need(_pick(columns, _HS_NAMES), "Kode HS")
    country_col = need(_pick(columns, _COUNTRY_NAMES), "Negara Tujuan Ekspor")
    weight_col = _pick_prefix(columns, ("berat", "netto", "netweight"))
    if weight:
        weight_col = need(weight_col, "Berat (Kg)")
    value_col = need(_pick_prefix(columns, ("nilai", "value", "fob")), "Nilai (USD)")
    port_col = _pick_prefix(columns, ("pelabuhan", "port"))
    if port_column and port_col is None:
        raise HilirDataError(
            f"no loading-port column (Pelabuhan Muat); the file has {have}",
            path=path,
            row=header_row,
            column="Pelabuhan Muat",
        )
    if keep_port and port_col is None:
        raise HilirDataError(
            "keep_port=True but the file has no loading-port column",
            path=path,
            row=header_row,
            column="Pelabuhan Muat",
        )
    return hs_col, country_col, weight_col, value_col, port_col


def _export_factors(
    weight_col: str | None, value_col: str, *, path: PathLikeStr, header_row: int
) -> dict[str, float]:
    """Factors to kg and USD read from the units in the weight and value headers."""
    factors = {"weight": 1.0}
    for col, measure in ((weight_col, "weight"), (value_col, "value")):
        if col is None:
            continue
        try:
            factors[measure] = parse_unit(col, measure=measure)[1]  # type: ignore[arg-type]
        except HilirDataError as exc:
            raise HilirDataError(exc.reason, path=path, row=header_row, column=col) from exc
    return factors


def _periods(
    df: pd.DataFrame, columns: list[str], path: PathLikeStr, header_row: int
) -> tuple[pd.Series, pd.Series]:
    period_col = _pick(columns, _PERIOD_NAMES)
    if period_col is not None:
        cells = df[period_col].str.strip().str.replace(r"\.0$", "", regex=True)
        ok = cells.str.fullmatch(r"\d{6}|\d{4}")
        month = pd.to_numeric(cells.where(cells.str.len().eq(6)).str[4:], errors="coerce")
        bad = ~ok | (cells.str.len().eq(6) & ~month.between(1, 12))
        if bad.any():
            raise HilirDataError(
                f"period {df.loc[bad, period_col].iloc[0]!r} is not YYYYMM (or YYYY)",
                path=path,
                row=first_bad(bad, df),
                column=period_col,
            )
        return cells.str[:4].astype("int64"), month.astype("Int64")
    year_col = _pick(columns, _YEAR_NAMES)
    if year_col is None:
        raise HilirDataError(
            "missing column 'Periode' (or 'Tahun')", path=path, row=header_row, column="Periode"
        )
    years = parse_years(df, year_col, path=path)
    month_col = _pick(columns, _MONTH_NAMES)
    if month_col is None:
        return years, pd.Series(pd.NA, index=df.index, dtype="Int64")
    text = df[month_col].str.strip().str.lower()
    month = pd.to_numeric(text, errors="coerce")
    month = month.fillna(text.map(_MONTHS_ID)).fillna(text.map(_MONTHS_EN))
    bad = ~month.between(1, 12)
    if bad.any():
        raise HilirDataError(
            f"{df.loc[bad, month_col].iloc[0]!r} is not a month",
            path=path,
            row=first_bad(bad, df),
            column=month_col,
        )
    return years, month.astype("Int64")


def _sum_over_ports(out: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    fixed = [c for c in out.columns if c not in ("value_usd", "net_weight_kg", "_row", "port")]
    grouped = out.groupby(fixed, dropna=False, sort=False)
    summed = grouped.agg(
        value_usd=("value_usd", "sum"),
        net_weight_kg=("net_weight_kg", lambda s: s.sum(min_count=1)),
        _row=("_row", "min"),
    ).reset_index()
    return summed


# --- wide tables ---------------------------------------------------------------------------


def read_bps_wide(
    path: PathLikeStr,
    *,
    source: str,
    hs_code: str,
    reporter: str = "IDN",
    flow: Literal["export", "import"] = "export",
    totals: Literal["check", "flag"] = "check",
) -> pd.DataFrame:
    """Read a BPS static table by destination with years across (weight and value blocks).

    Parameters
    ----------
    path : str or os.PathLike
        CSV as downloaded from a BPS static table: a title row, a header row whose first
        cell names the partner column and whose other cells are years, then one block per
        measure: a unit row (``,Net weight : 000 Ton`` or ``,FOB value : 000 000 US$``),
        one row per country, ``Others``, and ``Total``; or the same table as an ``.xlsx``
        workbook. Notes below the last ``Total`` (``Catatan:``, ``Diolah dari ...``) are
        skipped with a warning.
    source : str
        Provenance key.
    hs_code : str
        The HS code the table covers (``"2701"`` coal, ``"2603"`` copper ore); the table
        itself does not say.
    reporter : str, default "IDN"
        Reporter code.
    flow : {"export", "import"}, default "export"
        Direction of the table.
    totals : {"check", "flag"}, default "check"
        ``"check"``: a Total its rows do not add up to is an error. ``"flag"`` (for a table
        BPS itself printed inconsistently, e.g. the coffee table from 2012): the published
        Total is kept as the world row (never replaced by a sum), the residual row
        (``Lainnya``) of those years is left out, a :class:`HilirDataWarning` names the
        years and ``attrs["total_inconsistent"]`` lists them with the gap, one dict per
        year and measure (:func:`hilir.sources._bps_blocks.flag_totals`).

    Returns
    -------
    pandas.DataFrame
        :data:`hilir.schema.tables.TRADE`: one row per partner and year, ``value_usd`` in USD and
        ``net_weight_kg`` in kg after the unit row's scale (``000 Ton`` = 1e6 kg,
        ``000 000 US$`` = 1e6 USD). The ``Total`` row becomes partner ``WLD``
        (``partner_type`` world), ``Others`` the residual ``XOT``. Cells marked ``─`` (nil)
        are empty; a partner and year with neither weight nor value is left out.
        ``hs_revision`` is inferred from the year.

    Raises
    ------
    HilirDataError
        No year header, an unknown unit text (row of the unit row), a country row before
        any unit row, unknown country names, numbers that are not numbers, negative
        numbers, a row with fewer cells than years (a cut file; column = the first missing
        year), a block without ``Total`` row, or a ``Total`` that differs from the sum of
        the rows above it by more than their rounding (row = the Total row, column = the
        year; with ``totals="flag"`` only when the named countries alone exceed it).
    """
    if flow not in ("export", "import"):
        raise HilirDataError(f"flow must be 'export' or 'import', not {flow!r}")
    if totals not in ("check", "flag"):
        raise HilirDataError(f"totals must be 'check' or 'flag', not {totals!r}")
    reporter_code = resolve_reporter(reporter)
    code, _ = normalise_hs_code(hs_code)
    records = _records(path)
    header_at = find_year_header(records, path=path)
    header = records[header_at][1]
    partner_label = header[0].strip()
    years = {j: int(c) for j, c in enumerate(header) if j > 0 and re.fullmatch(r"\d{4}", c.strip())}
    blocks = read_blocks(
        records[header_at + 1 :], path=path, header=header, years=years, totals=totals
    )
    long = long_amounts(blocks, path=path, partner_label=partner_label)
    flagged = None
    if totals == "flag":
        long, flagged = flag_totals(long, blocks, path=path, header=header)
        _warn_flagged(flagged, path)
    out = _wide_amounts(long, path=path)
    out["_row"] = out["_row"].astype("int64")
    out["month"] = pd.NA
    out["reporter"] = reporter_code
    out["flow"] = flow
    out["hs_code"] = code
    out["hs6"] = hs6_of(code)
    out["item_code"] = ""
    out["hs_revision"] = [revision_for_year(int(y)) for y in out["year"]]
    out["source"] = source
    out = out.sort_values(["year", "_row"]).reset_index(drop=True)
    out = conform(out, TRADE, path=path, row_numbers=out["_row"])
    if flagged is not None:
        out.attrs["total_inconsistent"] = flagged.to_dict("records")
    return out


def _warn_flagged(flagged: pd.DataFrame, path: PathLikeStr) -> None:
    """Warn that the published Totals of ``flagged`` years were kept though rows exceed them."""
    if flagged.empty:
        return
    years = sorted(set(flagged["year"]))
    w = flagged[flagged["measure"] == "weight"]["gap"] / 1e6
    v = flagged[flagged["measure"] == "value"]["gap"] / 1e6
    span = f"{years[0]}-{years[-1]}" if len(years) > 1 else str(years[0])
    gaps = []
    if not w.empty:
        gaps.append(f"{w.min():,.0f}-{w.max():,.0f} thousand t")
    if not v.empty:
        gaps.append(f"US${v.min():,.0f}-{v.max():,.0f} million")
    warnings.warn(
        f"{path}: in {len(years)} year(s) ({span}) the rows add up to more than the published "
        f"Total (by {' and '.join(gaps)}); the Total is used as published and the residual "
        "row of those years is left out (total_inconsistent)",
        HilirDataWarning,
        stacklevel=caller_stacklevel(),
    )


def _wide_amounts(long: pd.DataFrame, *, path: PathLikeStr) -> pd.DataFrame:
    """Partner, partner type, year, ``value_usd``, ``net_weight_kg`` and ``_row`` (float).

    A partner and year with neither weight nor value is left out; a value that is nil where
    the weight is not is an error.
    """
    wide = long.pivot_table(
        index=["partner", "partner_type", "year"],
        columns="measure",
        values=["amount", "line"],
        aggfunc="first",
        dropna=False,
    )
    out = pd.DataFrame(index=wide.index).reset_index()
    amount = wide["amount"]
    line = wide["line"]
    out["value_usd"] = amount["value"].to_numpy()
    out["net_weight_kg"] = amount["weight"].to_numpy() if "weight" in amount else np.nan
    out["_row"] = line["value"].fillna(line.get("weight", line["value"])).to_numpy()
    nil = out["value_usd"].isna() & out["net_weight_kg"].isna()
    out = out.loc[~nil.to_numpy()].copy()
    lost = out["value_usd"].isna()
    if lost.any():
        r = out.loc[lost].iloc[0]
        raise HilirDataError(
            f"value is nil for {r['partner']} in {r['year']} but its weight is not",
            path=path,
            row=int(r["_row"]),
            column=str(r["year"]),
        )
    return out
