"""BPS exports by HS chapter and port of loading, and the national chapter totals.

Two readers for the tables compiled from the BPS export portal (exim) download by HS
chapter, destination and port (``data/raw/bps_ports/``):

- :func:`read_bps_port_exports`: ``tahun,hs2,negara,pelabuhan,nilai_usd`` for the ports of
  one province (Panjang and Tarahan, Lampung) -> :data:`hilir.schema.tables.PORT_EXPORTS`
  rows with ``geography`` the province of the ports and ``basis`` ``port of loading``;
- :func:`read_bps_chapter_totals`: ``hs2,nilai_usd,tahun,...`` national totals by chapter
  (all ports, all destinations) -> the same table, partner ``WLD``, port ``ALL``,
  geography ``IDN``.

A port of loading is not the province of origin: Panjang also ships coffee from Bengkulu
and South Sumatra, and Lampung goods also leave through Tanjung Priok (Jakarta). Every use
says "exports loaded at Lampung's ports" (:data:`BASIS_PORT`). A chapter is not a chain
stage: chapter 09 mixes coffee with tea and spices, chapter 15 crude and refined palm oil,
palm kernel oil and coconut oil.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from hilir.errors import HilirDataError
from hilir.fileio import read_csv
from hilir.registry.partners import WORLD, resolve_partners
from hilir.schema.cells import parse_numbers
from hilir.schema.tables import PORT_EXPORTS, conform
from hilir.sources._bps_text import PathLikeStr, _norm
from hilir.sources._common import check_nonnegative, check_unique, find_column, parse_years

#: ``basis`` of port rows: goods loaded at the ports, whatever province they come from.
BASIS_PORT = "port of loading"
#: ``basis`` of the national totals: every port of Indonesia.
BASIS_NATIONAL = "national (all ports)"
#: ``port`` of a national total.
ALL_PORTS = "ALL"
#: Ports of loading in Lampung as BPS writes them (``NIPAH PANJANG`` is Jambi and
#: ``SELAT PANJANG`` Riau: exact names only).
LAMPUNG_PORTS = ("PANJANG", "TARAHAN")


def _need(columns: Sequence[str], names: Sequence[str], *, path: PathLikeStr) -> str:
    col = find_column(columns, names, key=_norm)
    if col is None:
        have = [c for c in columns if c != "_row"]
        raise HilirDataError(
            f"missing column {names[0]!r}; the file has {have}", path=path, row=1, column=names[0]
        )
    return col


def _chapters(df: pd.DataFrame, column: str, *, path: PathLikeStr) -> pd.Series:
    """Two-digit HS chapters (``9`` -> ``09``); anything else is an error naming the row."""
    cells = df[column].astype(str).str.strip().str.replace(r"\.0$", "", regex=True)
    ok = cells.str.fullmatch(r"\d{1,2}") & pd.to_numeric(cells, errors="coerce").between(1, 99)
    if not ok.all():
        i = int((~ok).to_numpy().argmax())
        raise HilirDataError(
            f"HS chapter {df[column].iloc[i]!r} is not a two-digit chapter (01-99)",
            path=path,
            row=int(df["_row"].iloc[i]),
            column=column,
        )
    return cells.str.zfill(2)


def _values(df: pd.DataFrame, column: str, *, path: PathLikeStr) -> pd.Series:
    value = parse_numbers(df, column, path=path, allow_missing=False)
    return check_nonnegative(value, df, column, path=path)


def read_bps_port_exports(
    path: PathLikeStr,
    *,
    source: str = "bps_port_exports",
    geography: str = "ID-LA",
    ports: Sequence[str] = LAMPUNG_PORTS,
) -> pd.DataFrame:
    """Read BPS exports by year, HS chapter, destination and port of loading.

    Parameters
    ----------
    path : str or os.PathLike
        CSV with ``tahun, hs2, negara, pelabuhan, nilai_usd`` (``Tahun``/``Year``,
        ``HS2``, ``Negara``/``Country``, ``Pelabuhan``/``Port``, ``Nilai``/``Value`` are
        accepted), FOB values in US dollars summed over the portal's months.
    source : str, default "bps_port_exports"
        Provenance key.
    geography : str, default "ID-LA"
        Province of the ports (ISO 3166-2). It describes where the goods were loaded, not
        where they were produced (``basis`` says so on every row).
    ports : sequence of str, default :data:`LAMPUNG_PORTS`
        The ports the file may hold, exactly as written (case-insensitive). A row of any
        other port is an error, so a port of another province (``NIPAH PANJANG``) is never
        counted as Lampung's.

    Returns
    -------
    pandas.DataFrame
        :data:`hilir.schema.tables.PORT_EXPORTS`: one row per year, chapter, destination
        and port; ``value_usd`` FOB in USD; ``basis`` :data:`BASIS_PORT`; ``flow`` export.

    Raises
    ------
    HilirDataError
        Missing columns, a year that is not a year, a chapter that is not two digits, an
        unknown destination name, a port not in ``ports``, a missing, non-numeric or
        negative value, the same year, chapter, destination and port twice; the error
        names the file, row and column.
    """
    df = read_csv(path)
    if df.empty:
        raise HilirDataError("the file has no data rows", path=path, row=2)
    cols = list(df.columns)
    year_col = _need(cols, ("tahun", "year"), path=path)
    hs_col = _need(cols, ("hs2", "hs", "chapter", "bab"), path=path)
    country_col = _need(cols, ("negara", "country", "negaratujuan", "destination"), path=path)
    port_col = _need(cols, ("pelabuhan", "port", "pelabuhanmuat"), path=path)
    value_col = _need(cols, ("nilaiusd", "nilai", "valueusd", "value"), path=path)
    port = df[port_col].astype(str).str.strip().str.upper()
    allowed = {p.strip().upper() for p in ports}
    bad = ~port.isin(allowed)
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise HilirDataError(
            f"port {df[port_col].iloc[i]!r} is not one of {sorted(allowed)} (a port of another "
            "province is not counted)",
            path=path,
            row=int(df["_row"].iloc[i]),
            column=port_col,
        )
    out = pd.DataFrame(index=df.index)
    out["year"] = parse_years(df, year_col, path=path)
    out["hs2"] = _chapters(df, hs_col, path=path)
    names = df[country_col].astype(str).str.strip()
    parties = resolve_partners(names, path=path, rows=df["_row"], column=country_col)
    out["partner"] = parties["code"].to_numpy()
    out["partner_type"] = parties["partner_type"].to_numpy()
    out["partner_name"] = names
    out["port"] = port
    out["geography"] = geography
    out["basis"] = BASIS_PORT
    out["flow"] = "export"
    out["value_usd"] = _values(df, value_col, path=path)
    out["source"] = source
    out["_row"] = df["_row"]
    check_unique(out, ["year", "hs2", "partner", "port"], path=path, column=country_col)
    return conform(out, PORT_EXPORTS, path=path, row_numbers=out["_row"])


def read_bps_chapter_totals(
    path: PathLikeStr, *, source: str = "bps_chapter_totals"
) -> pd.DataFrame:
    """Read Indonesia's exports by HS chapter and year (all ports, all destinations).

    Parameters
    ----------
    path : str or os.PathLike
        CSV with ``hs2, nilai_usd, tahun`` (other columns such as ``yoy_pct`` and
        ``nama_chapter`` are ignored), FOB values in US dollars.
    source : str, default "bps_chapter_totals"
        Provenance key.

    Returns
    -------
    pandas.DataFrame
        :data:`hilir.schema.tables.PORT_EXPORTS` rows with partner ``WLD`` (world),
        port :data:`ALL_PORTS`, geography ``IDN`` and basis :data:`BASIS_NATIONAL`.

    Raises
    ------
    HilirDataError
        Missing columns, a bad year or chapter, a missing, non-numeric or negative value,
        a chapter and year twice (file, row and column named).
    """
    df = read_csv(path)
    if df.empty:
        raise HilirDataError("the file has no data rows", path=path, row=2)
    cols = list(df.columns)
    year_col = _need(cols, ("tahun", "year"), path=path)
    hs_col = _need(cols, ("hs2", "hs", "chapter", "bab"), path=path)
    value_col = _need(cols, ("nilaiusd", "nilai", "valueusd", "value"), path=path)
    out = pd.DataFrame(index=df.index)
    out["year"] = parse_years(df, year_col, path=path)
    out["hs2"] = _chapters(df, hs_col, path=path)
    out["partner"] = WORLD
    out["partner_type"] = "world"
    out["partner_name"] = pd.NA
    out["port"] = ALL_PORTS
    out["geography"] = "IDN"
    out["basis"] = BASIS_NATIONAL
    out["flow"] = "export"
    out["value_usd"] = _values(df, value_col, path=path)
    out["source"] = source
    out["_row"] = df["_row"]
    check_unique(out, ["year", "hs2"], path=path, column=hs_col)
    return conform(out, PORT_EXPORTS, path=path, row_numbers=out["_row"])
