"""BPS (Badan Pusat Statistik) files: export downloads, static wide tables, plantation tables.

Three readers, one per layout users meet:

- :func:`read_bps_exports`: the export download (HS 8-digit by destination and month),
  ``Kode HS, Deskripsi HS, Negara Tujuan Ekspor, Periode, Berat (Kg), Nilai (USD)``, with or
  without a loading-port column -> tidy trade table;
- :func:`read_bps_wide`: static tables by destination with years across (the "Exports of
  Coal/Copper Ore by Major Countries of Destination" tables), a weight block and a value
  block, each with a unit row and a ``Total`` row -> tidy trade table;
- :func:`read_bps_production`: BPS Provinsi Lampung plantation-crop web tables (production
  or planted area by regency and crop, or by crop for the province) -> tidy production table.

:func:`flag_jumps` marks implausible year-on-year jumps in a production table, and
:func:`parse_unit` reads BPS unit texts such as ``Net weight : 000 Ton``.
"""

from __future__ import annotations

import csv
import html
import io
import re
import warnings
from collections.abc import Sequence
from dataclasses import replace
from os import PathLike
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import pycountry

from hilir.errors import HilirDataError, HilirDataWarning
from hilir.fileio import read_text
from hilir.hs import hs6_of, normalise_hs_code, revision_for_year
from hilir.registry.partners import WORLD, resolve_partners, resolve_reporter
from hilir.schema.cells import parse_cell, parse_numbers
from hilir.schema.tables import PRODUCTION, TRADE, Column, conform
from hilir.sources._common import (
    check_nonnegative,
    check_unique,
    find_column,
    first_bad,
    normalise_codes,
    parse_years,
    read_csv_below_title,
)

PathLikeStr = str | PathLike[str]
Measure = Literal["weight", "value"]

#: The trade table plus the loading port, keyed by port too (``read_bps_exports(keep_port=True)``).
TRADE_WITH_PORT = replace(
    TRADE,
    name="trade_with_port",
    columns=(*TRADE.columns, Column("port", "string", "name", "loading port as published")),
    key=(*TRADE.key, "port"),
)

# --- units ---------------------------------------------------------------------------------

_MULTIPLIER_WORDS = {
    "ribu": 1e3,
    "thousand": 1e3,
    "thousands": 1e3,
    "juta": 1e6,
    "million": 1e6,
    "millions": 1e6,
    "miliar": 1e9,
    "milyar": 1e9,
    "billion": 1e9,
}
_WEIGHT_UNITS = {"kg": 1.0, "kgs": 1.0, "kilogram": 1.0, "ton": 1e3, "tons": 1e3, "tonnes": 1e3}
_WEIGHT_UNITS |= {"tonne": 1e3, "t": 1e3}
_VALUE_UNITS = {"us$": 1.0, "usd": 1.0, "us dollar": 1.0, "us dollars": 1.0, "dolar as": 1.0}
_WEIGHT_WORDS = ("weight", "berat", "netto", "volume")
_VALUE_WORDS = ("value", "nilai", "fob")


def parse_unit(text: str, *, measure: Measure | None = None) -> tuple[Measure, float]:
    """Read a BPS unit text into the measure and the factor to kilograms or US dollars.

    Parameters
    ----------
    text : str
        ``"Net weight : 000 Ton"``, ``"FOB value : 000 000 US$"``, ``"Berat (Kg)"``,
        ``"Nilai (Ribu USD)"``, ``"Ton"``. Groups of ``000`` and the words ribu/thousand,
        juta/million, miliar/billion multiply; units are kg, ton (1,000 kg) and US$/USD.
    measure : {"weight", "value"}, optional
        Expected measure, when the text has only the unit.

    Returns
    -------
    tuple of (str, float)
        ``("weight", factor)`` with factor in kg per published unit, or ``("value",
        factor)`` with factor in USD per published unit. ``"Net weight : 000 Ton"`` gives
        ``("weight", 1e6)``.

    Raises
    ------
    HilirDataError
        If the text has no known unit, a unit of the other measure, or leftover words.
    """
    raw = html.unescape(str(text))
    low = re.sub(r"\s+", " ", raw.replace("\u00a0", " ")).strip().lower()
    found: str | None = measure
    head, sep, tail = low.partition(":")
    if not sep:
        m = re.match(r"^(?P<head>[^(]*)\((?P<tail>[^)]*)\)\s*$", low)
        head, tail = (m.group("head"), m.group("tail")) if m else ("", low)
    if any(w in head for w in _WEIGHT_WORDS):
        found = "weight"
    elif any(w in head for w in _VALUE_WORDS):
        found = "value"
    elif head.strip() and sep:
        raise HilirDataError(f"unknown measure in unit text {raw!r}")
    rest = tail.strip()
    factor = 1.0
    while True:
        m = re.match(r"^(000|[a-z]+)\b\s*", rest)
        if m and m.group(1) == "000":
            factor *= 1e3
        elif m and m.group(1) in _MULTIPLIER_WORDS:
            factor *= _MULTIPLIER_WORDS[m.group(1)]
        else:
            break
        rest = rest[m.end() :]
    unit = rest.strip().rstrip(".")
    if unit in _WEIGHT_UNITS and found in (None, "weight"):
        return "weight", factor * _WEIGHT_UNITS[unit]
    if unit in _VALUE_UNITS and found in (None, "value"):
        return "value", factor * _VALUE_UNITS[unit]
    raise HilirDataError(
        f"unknown unit text {raw!r} (expected e.g. 'Net weight : 000 Ton' or 'FOB value : 000 US$')"
    )


# --- text records --------------------------------------------------------------------------


def _records(path: PathLikeStr) -> list[tuple[int, list[str]]]:
    """(line number, cells) of every record of a CSV file, blank records included."""
    text = read_text(path)
    reader = csv.reader(io.StringIO(text), strict=True)
    out: list[tuple[int, list[str]]] = []
    previous = 0
    try:
        for record in reader:
            out.append((previous + 1, record))
            previous = reader.line_num
    except csv.Error as exc:
        raise HilirDataError(f"malformed or cut CSV ({exc})", path=path, row=previous + 1) from exc
    return out


def _blank(cells: Sequence[str]) -> bool:
    return all(not c.strip() for c in cells)


def _norm(text: object) -> str:
    return re.sub(r"[\s_.()$/:-]+", "", str(text)).lower()


def _decimals(text: str) -> int:
    m = re.search(r"\.(\d+)$", text.strip().replace(",", ""))
    return len(m.group(1)) if m else 0


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
        or ``Nilai (Ribu USD)`` are scaled to kg and USD).
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
    df, skip = read_csv_below_title(path, _HS_NAMES, key=_norm)
    columns = list(df.columns)
    header_row = skip + 1
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
    weight_col = need(_pick_prefix(columns, ("berat", "netto", "netweight")), "Berat (Kg)")
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
    factors = {}
    for col, measure in ((weight_col, "weight"), (value_col, "value")):
        try:
            factors[measure] = parse_unit(col, measure=measure)[1]  # type: ignore[arg-type]
        except HilirDataError as exc:
            raise HilirDataError(exc.reason, path=path, row=header_row, column=col) from exc

    out = pd.DataFrame(index=df.index)
    out["year"], out["month"] = _periods(df, columns, path, header_row)
    out["reporter"] = reporter_code
    parties = resolve_partners(df[country_col], path=path, rows=df["_row"], column=country_col)
    out["partner"] = parties["code"]
    out["partner_type"] = parties["partner_type"]
    out["flow"] = "export"
    out["hs_code"] = normalise_codes(df, hs_col, path=path, length=8)
    out["hs6"] = out["hs_code"].map(hs6_of).astype("string")
    out["item_code"] = ""
    out["hs_revision"] = [revision_for_year(int(y)) for y in out["year"]]
    value = parse_numbers(df, value_col, path=path, allow_missing=False, scale=factors["value"])
    weight = parse_numbers(df, weight_col, path=path, scale=factors["weight"])
    out["value_usd"] = check_nonnegative(value, df, value_col, path=path)
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
            stacklevel=2,
        )
    else:
        check_unique(out, key, path=path, column=hs_col)
    return conform(out, TRADE, path=path, row_numbers=out["_row"])


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
) -> pd.DataFrame:
    """Read a BPS static table by destination with years across (weight and value blocks).

    Parameters
    ----------
    path : str or os.PathLike
        CSV as downloaded from a BPS static table: a title row, a header row whose first
        cell names the partner column and whose other cells are years, then one block per
        measure: a unit row (``,Net weight : 000 Ton`` or ``,FOB value : 000 000 US$``),
        one row per country, ``Others``, and ``Total``.
    source : str
        Provenance key.
    hs_code : str
        The HS code the table covers (``"2701"`` coal, ``"2603"`` copper ore); the table
        itself does not say.
    reporter : str, default "IDN"
        Reporter code.
    flow : {"export", "import"}, default "export"
        Direction of the table.

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
        year).
    """
    if flow not in ("export", "import"):
        raise HilirDataError(f"flow must be 'export' or 'import', not {flow!r}")
    reporter_code = resolve_reporter(reporter)
    code, _ = normalise_hs_code(hs_code)
    records = _records(path)
    header_at = None
    for i, (_line, cells) in enumerate(records):
        if (
            cells
            and cells[0].strip()
            and sum(bool(re.fullmatch(r"\d{4}", c.strip())) for c in cells[1:]) >= 1
        ):
            header_at = i
            break
    if header_at is None:
        raise HilirDataError("no header row with years found", path=path)
    header = records[header_at][1]
    partner_label = header[0].strip()
    years = {j: int(c) for j, c in enumerate(header) if j > 0 and re.fullmatch(r"\d{4}", c.strip())}
    blocks: dict[str, dict] = {}
    current: dict | None = None
    for line, cells in records[header_at + 1 :]:
        if _blank(cells):
            continue
        first = cells[0].strip()
        if not first:
            label = next(c for c in cells if c.strip())
            col = header[cells.index(label)] if cells.index(label) < len(header) else None
            try:
                measure, factor = parse_unit(label)
            except HilirDataError as exc:
                raise HilirDataError(
                    exc.reason, path=path, row=line, column=col or partner_label
                ) from exc
            if current is not None and current["total"] is None:
                raise HilirDataError(
                    "the block above has no Total row", path=path, row=line, column=partner_label
                )
            if measure in blocks:
                raise HilirDataError(
                    f"a second {measure} block", path=path, row=line, column=col or partner_label
                )
            current = {"measure": measure, "factor": factor, "rows": [], "total": None}
            blocks[measure] = current
            continue
        if current is None:
            raise HilirDataError(
                "country row before any unit row (e.g. 'Net weight : 000 Ton')",
                path=path,
                row=line,
                column=partner_label,
            )
        if current["total"] is not None:
            raise HilirDataError(
                "row after the Total row of its block", path=path, row=line, column=partner_label
            )
        values: dict[int, float] = {}
        texts: dict[int, str] = {}
        for j, year in years.items():
            if j >= len(cells):
                raise HilirDataError(
                    f"row has {len(cells)} cells; the header has years up to column {j + 1} "
                    "(was the file cut?)",
                    path=path,
                    row=line,
                    column=header[j],
                )
            values[year] = parse_cell(cells[j], path=path, row=line, column=header[j])
            texts[year] = cells[j]
        entry = {"line": line, "label": first, "values": values, "texts": texts}
        if _norm(first) in ("total", "jumlah", "totalall"):
            current["total"] = entry
        else:
            current["rows"].append(entry)
    if not blocks:
        raise HilirDataError("no unit row (e.g. 'FOB value : 000 US$') found", path=path)
    if "value" not in blocks:
        raise HilirDataError("the table has no value block (FOB value : ...)", path=path)
    for block in blocks.values():
        if block["total"] is None:
            last = block["rows"][-1]["line"] if block["rows"] else None
            raise HilirDataError(
                f"the {block['measure']} block has no Total row (was the file cut?)",
                path=path,
                row=last,
                column=partner_label,
            )
        _check_total(block, path=path, header=header, years=years)

    frames = []
    for measure, block in blocks.items():
        entries = [*block["rows"], block["total"]]
        labels = pd.Series([e["label"] for e in entries])
        rows = pd.Series([e["line"] for e in entries])
        parties = resolve_partners(labels[:-1], path=path, rows=rows[:-1], column=partner_label)
        codes = [*parties["code"], WORLD]
        types = [*parties["partner_type"], "world"]
        dup = pd.Series(codes).duplicated()
        if dup.any():
            i = int(np.argmax(dup.to_numpy()))
            raise HilirDataError(
                f"partner {labels[i]!r} ({codes[i]}) appears twice in the {measure} block",
                path=path,
                row=int(rows[i]),
                column=partner_label,
            )
        for e, c, t in zip(entries, codes, types, strict=True):
            for year, v in e["values"].items():
                frames.append(
                    {
                        "measure": measure,
                        "partner": c,
                        "partner_type": t,
                        "year": year,
                        "amount": v * block["factor"],
                        "line": e["line"],
                    }
                )
    long = pd.DataFrame(frames)
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
    return conform(out, TRADE, path=path, row_numbers=out["_row"])


def _check_total(block: dict, *, path: PathLikeStr, header: list[str], years: dict) -> None:
    total = block["total"]
    n = len(block["rows"])
    for j, year in years.items():
        published = total["values"][year]
        parts = [r["values"][year] for r in block["rows"]]
        added = float(np.nansum(parts)) if parts else 0.0
        if np.isnan(published):
            if added != 0:
                raise HilirDataError(
                    f"Total is nil but the rows above add up to {added:,.1f}",
                    path=path,
                    row=total["line"],
                    column=header[j],
                )
            continue
        step = 10.0 ** -max(
            [_decimals(total["texts"][year]), *(_decimals(r["texts"][year]) for r in block["rows"])]
        )
        tolerance = step / 2 * (n + 1) + 1e-9 * abs(published)
        if abs(added - published) > tolerance:
            raise HilirDataError(
                f"Total {total['texts'][year]} differs from the sum of the rows above "
                f"({added:,.1f}) by more than their rounding",
                path=path,
                row=total["line"],
                column=header[j],
            )


# --- plantation production tables ----------------------------------------------------------

#: Crop labels of BPS plantation tables (Indonesian, English, and misspellings seen in BPS
#: Provinsi Lampung downloads) -> crop key. Labels are compared without case and spaces.
CROPS: dict[str, str] = {
    "kopi robusta": "coffee_robusta",
    "kopi arabika": "coffee_arabica",
    "kopi arabica": "coffee_arabica",
    "kopi": "coffee",
    "coffee": "coffee",
    "lada": "pepper",
    "pepper": "pepper",
    "cengkeh": "clove",
    "clove": "clove",
    "karet": "rubber",
    "rubber": "rubber",
    "kelapa dalam": "coconut",
    "kelapa": "coconut",
    "coconut": "coconut",
    "kelapa hybrida": "coconut_hybrid",
    "kelapa hibrida": "coconut_hybrid",
    "tebu": "sugarcane",
    "gula tebu": "sugarcane",
    "sugar cane": "sugarcane",
    "sugarcane": "sugarcane",
    "tembakau": "tobacco",
    "tembakai": "tobacco",  # misspelt in BPS Lampung area tables 2020-2025
    "tobacco": "tobacco",
    "vanili": "vanilla",
    "vanilli": "vanilla",
    "panili": "vanilla",
    "vanilla": "vanilla",
    "kayu manis": "cinnamon",
    "cinnamon": "cinnamon",
    "kapuk": "kapok",
    "kapok": "kapok",
    "kakao": "cocoa",
    "cokelat": "cocoa",
    "cocoa": "cocoa",
    "kelapa sawit": "oil_palm",
    "palm oil": "oil_palm",
    "oil palm": "oil_palm",
    "ori palm": "oil_palm",  # misspelt in BPS Lampung area tables 2020-2025
    "aren": "sugar_palm",
    "sugar palm": "sugar_palm",
    "jambu mete": "cashew",
    "jambu metet": "cashew",  # misspelt in BPS Lampung kabupaten tables 2014-2022
    "cashew nut": "cashew",
    "cashew": "cashew",
    "kemiri": "candlenut",
    "candlenut": "candlenut",
    "jarak pagar": "jatropha",
    "jatropha": "jatropha",
    "nilam": "patchouli",
    "patchouli": "patchouli",
    "pala": "nutmeg",
    "nutmeg": "nutmeg",
    "pinang": "areca_nut",
    "areca nut": "areca_nut",
    "cabe jamu": "java_long_pepper",
    "teh": "tea",
    "tea": "tea",
    "sagu": "sago",
    "sago": "sago",
    "kina": "cinchona",
    "gambir": "gambier",
    "kapulaga": "cardamom",
    "jahe": "ginger",
}

_PROVINCE_ROW = re.compile(r"^(provinsi|province)\b", re.IGNORECASE)
_REGENCY_PREFIX = re.compile(r"^(kabupaten|kab\.?)\s+", re.IGNORECASE)
_FILE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def crop_key(label: str) -> str:
    """Crop key of a BPS crop label (``"Kopi Robusta"``, ``"Kelapa sawit/Palm oil"``).

    Bilingual labels ``Indonesian/English`` are looked up by their Indonesian part first,
    then their English part.

    Raises
    ------
    HilirDataError
        If no part of the label is in :data:`CROPS`.
    """
    text = re.sub(r"\s+", " ", html.unescape(str(label))).strip().lower()
    for part in [text, *(p.strip() for p in text.split("/"))]:
        if part in CROPS:
            return CROPS[part]
    raise HilirDataError(
        f"unknown crop {label!r}; add it to hilir.sources.bps.CROPS with its English key"
    )


def _slug(name: str) -> str:
    base = _REGENCY_PREFIX.sub("", name.strip())
    return re.sub(r"[^a-z0-9]+", "-", base.lower()).strip("-")


def _measure_of(title: str) -> tuple[str, float]:
    """(column, factor) of a BPS plantation measure title; factor to t or ha."""
    low = html.unescape(title).lower()
    if "produksi" in low or "production" in low:
        column = "production_t"
        units = {"ton": 1.0, "ribu ton": 1e3, "000 ton": 1e3, "tonnes": 1.0}
    elif "luas" in low or "area" in low:
        column = "area_ha"
        units = {"ha": 1.0, "hektar": 1.0, "hectare": 1.0, "ribu ha": 1e3, "ribu hektar": 1e3}
        units |= {"000 ha": 1e3}
    else:
        raise HilirDataError(f"measure title {title!r} is neither production nor area")
    found = [u.strip() for u in re.findall(r"\(([^)]*)\)", low)]
    if not found:
        raise HilirDataError(f"no unit in brackets in the measure title {title!r}")
    factors = set()
    for unit in found:
        if unit not in units:
            raise HilirDataError(f"unknown unit text {unit!r} in the measure title {title!r}")
        factors.add(units[unit])
    if len(factors) > 1:
        raise HilirDataError(f"the measure title {title!r} gives two different units")
    return column, factors.pop()


def read_bps_production(
    path: PathLikeStr,
    *,
    source: str,
    geo_prefix: str = "ID-LA",
    year: int | None = None,
    scope: Literal["smallholder", "all"] = "smallholder",
) -> pd.DataFrame:
    """Read a BPS provincial plantation-crop web table into the tidy production table.

    Two layouts are recognised:

    *by regency* (``Produksi Tanaman, 2014.csv``, ``Luas Areal Tanaman, 2014.csv``): a
    ``Wilayah`` row, a measure-title row (``Produksi Tanaman (ton)`` or ``Luas Areal
    Tanaman (hektar)``), a crop-name row, a year row, then one row per regency or city and
    the province row (``Provinsi Lampung``);

    *by crop, for the province* (``Produksi Perkebunan Rakyat Menurut Jenis Tanaman di
    Provinsi Lampung (ribu ton), 2020.csv``): two columns, ``Jenis Tanaman`` (the header may
    carry HTML entities such as ``&lt;br/&gt;``) and the measure title with its unit
    (``(ribu ton)``, ``(ribu hektar)``), bilingual crop labels (``Kopi/Coffee``). The year is
    not in the file: it is taken from ``year`` or from the last year in the file name.

    Parameters
    ----------
    path : str or os.PathLike
        The CSV file.
    source : str
        Provenance key.
    geo_prefix : str, default "ID-LA"
        ISO 3166-2 code of the province; regencies get ``<geo_prefix>-<slug>`` with the slug
        of the name (``ID-LA-lampung-barat``; a leading ``Kabupaten`` is dropped, ``Kota`` is
        kept so a city and a regency of the same name stay apart).
    year : int, optional
        Year of a province table (its file name is used otherwise).
    scope : {"smallholder", "all"}, default "smallholder"
        What the table covers. BPS Provinsi Lampung plantation tables are smallholder
        estates (*perkebunan rakyat*): they leave out large state and private estates, so
        they understate a province's total output of crops such as oil palm and sugarcane.

    Returns
    -------
    pandas.DataFrame
        :data:`hilir.schema.tables.PRODUCTION`: one row per year, place and crop, with
        ``production_t`` (tonnes) or ``area_ha`` (hectares) after the unit of the title
        (``ribu`` = thousand). Cells marked ``-`` or blank are left out: in these tables
        ``-`` also marks crops not collected that year (pepper after 2017), so it is not
        read as zero. Sugarcane (key ``sugarcane``) is most likely sugar output, not cane:
        the province table labels it ``Gula tebu`` (cane sugar) and the regency tables'
        ``Tebu`` total equals it (148,549 t in 2020), a tonnage far below a cane harvest;
        ``crop_name`` keeps the label as published. ``flag`` is ``sum_mismatch`` on a
        province row that differs by more than 0.5 % from the sum of its regencies (seen
        in the 2016 coffee and 2018 oil-palm tables), empty otherwise.

    Raises
    ------
    HilirDataError
        Unknown layout, measure or unit text; unknown crop label (naming its row and
        column); numbers that are not numbers or negative; a row with fewer cells than
        crops (cut file); a place twice; no year.

    Warns
    -----
    HilirDataWarning
        When a province row disagrees with the sum of its regencies (the row is flagged,
        never changed).

    See Also
    --------
    flag_jumps : flag implausible year-on-year changes.
    """
    if scope not in ("smallholder", "all"):
        raise HilirDataError(f"scope must be 'smallholder' or 'all', not {scope!r}")
    if not re.fullmatch(r"[A-Z]{2}-[A-Z0-9]{1,3}", geo_prefix):
        raise HilirDataError(f"geo_prefix {geo_prefix!r} is not an ISO 3166-2 code (ID-LA)")
    records = [(line, cells) for line, cells in _records(path) if not _blank(cells)]
    if not records:
        raise HilirDataError("file has no rows", path=path)
    first = html.unescape(records[0][1][0]).strip().lower()
    start = next(
        (i for i, (_l, c) in enumerate(records[:10]) if _norm(c[0]) in ("wilayah", "regency")),
        None,
    )
    if start is not None:
        frame = _production_by_regency(records[start:], path=path, geo_prefix=geo_prefix)
    elif first.startswith("jenis tanaman") or first.startswith("kind of plant"):
        frame = _production_by_crop(records, path=path, geo_prefix=geo_prefix, year=year)
    else:
        raise HilirDataError(
            "not a BPS plantation table: expected a 'Wilayah' row (by regency) or a "
            "'Jenis Tanaman' header (by crop)",
            path=path,
            row=records[0][0],
            column=records[0][1][0],
        )
    frame["scope"] = scope
    frame["source"] = source
    for col in ("production_t", "area_ha"):
        if col not in frame:
            frame[col] = np.nan
    frame = frame.reset_index(drop=True)
    return conform(frame, PRODUCTION, path=path, row_numbers=frame["_row"])


def _production_by_regency(
    records: list[tuple[int, list[str]]], *, path: PathLikeStr, geo_prefix: str
) -> pd.DataFrame:
    if len(records) < 5:
        raise HilirDataError(
            "the table ends inside its header (was the file cut?)", path=path, row=records[-1][0]
        )
    head, (title_line, title_row), (crop_line, crops), (year_line, year_row) = (
        records[0][1],
        *records[1:4],
    )
    label = head[0].strip()
    title = next((c for c in title_row[1:] if c.strip()), "")
    title_col = title_row.index(title) if title else 1
    try:
        measure, factor = _measure_of(title)
    except HilirDataError as exc:
        col = crops[title_col] if title_col < len(crops) else label
        raise HilirDataError(exc.reason, path=path, row=title_line, column=col) from exc
    columns: list[tuple[int, str, str, int]] = []  # (index, crop label, crop key, year)
    last_crop = ""
    for j in range(1, len(crops)):
        name = crops[j].strip() or last_crop
        last_crop = name
        if not name:
            continue
        try:
            key = crop_key(name)
        except HilirDataError as exc:
            raise HilirDataError(exc.reason, path=path, row=crop_line, column=name) from exc
        cell = year_row[j].strip() if j < len(year_row) else ""
        if not re.fullmatch(r"\d{4}", cell):
            raise HilirDataError(f"{cell!r} is not a year", path=path, row=year_line, column=name)
        columns.append((j, name, key, int(cell)))
    out = []
    province_at = None
    for line, cells in records[4:]:
        place = cells[0].strip()
        is_province = bool(_PROVINCE_ROW.match(place))
        if is_province:
            geo, level = geo_prefix, "province"
            province_at = line
        else:
            geo, level = f"{geo_prefix}-{_slug(place)}", "regency"
        for j, name, key, yr in columns:
            if j >= len(cells):
                raise HilirDataError(
                    f"row has {len(cells)} cells, the header has {len(crops)} (was the file cut?)",
                    path=path,
                    row=line,
                    column=name,
                )
            value = parse_cell(cells[j], path=path, row=line, column=name)
            if np.isnan(value):
                continue
            out.append(
                {
                    "year": yr,
                    "geo": geo,
                    "geo_level": level,
                    "geo_name": place,
                    "crop": key,
                    "crop_name": name,
                    measure: value * factor,
                    "flag": "",
                    "_row": line,
                    "_col": name,
                }
            )
    frame = pd.DataFrame(out)
    if frame.empty:
        raise HilirDataError("the table has no values", path=path)
    dup = frame.duplicated(["year", "geo", "crop"])
    if dup.any():
        r = frame.loc[dup].iloc[0]
        raise HilirDataError(
            f"{r['geo_name']!r} ({r['geo']}) appears twice",
            path=path,
            row=int(r["_row"]),
            column=label,
        )
    if province_at is not None:
        frame = _flag_province_sums(frame, measure, path=path)
    return frame.drop(columns="_col")


def _flag_province_sums(frame: pd.DataFrame, measure: str, *, path: PathLikeStr) -> pd.DataFrame:
    regencies = frame.loc[frame["geo_level"].eq("regency")]
    sums = regencies.groupby(["year", "crop"])[measure].sum()
    prov = frame["geo_level"].eq("province")
    found = []
    for idx in frame.index[prov]:
        key = (frame.at[idx, "year"], frame.at[idx, "crop"])
        total = float(sums.get(key, 0.0))
        published = float(frame.at[idx, measure])
        if abs(published - total) > max(1.0, 0.005 * published):
            frame.at[idx, "flag"] = "sum_mismatch"
            found.append(f"{frame.at[idx, 'crop_name']} {key[0]}: {published:,.0f} vs {total:,.0f}")
    if found:
        warnings.warn(
            f"{path}: province row differs from the sum of its regencies by more than 0.5 % "
            f"({'; '.join(found)}); flagged 'sum_mismatch', values kept as published",
            HilirDataWarning,
            stacklevel=4,
        )
    return frame


def _production_by_crop(
    records: list[tuple[int, list[str]]],
    *,
    path: PathLikeStr,
    geo_prefix: str,
    year: int | None,
) -> pd.DataFrame:
    head_line, head = records[0]
    if len(head) < 2 or not head[1].strip():
        raise HilirDataError(
            "the header has no measure column", path=path, row=head_line, column=head[0]
        )
    crop_col, value_col = head[0], head[1]
    try:
        measure, factor = _measure_of(value_col)
    except HilirDataError as exc:
        raise HilirDataError(exc.reason, path=path, row=head_line, column=value_col) from exc
    if year is None:
        found = _FILE_YEAR.findall(Path(path).stem)
        if not found:
            raise HilirDataError(
                "a province table does not state its year: pass year=... (or keep the year "
                "at the end of the file name, as BPS names its downloads)",
                path=path,
            )
        year = int(found[-1])
    sub = pycountry.subdivisions.get(code=geo_prefix)
    geo_name = sub.name if sub is not None else geo_prefix
    out = []
    for line, cells in records[1:]:
        if len(cells) < 2:
            raise HilirDataError(
                "row has no value cell (was the file cut?)", path=path, row=line, column=value_col
            )
        label = cells[0].strip()
        try:
            key = crop_key(label)
        except HilirDataError as exc:
            raise HilirDataError(exc.reason, path=path, row=line, column=crop_col) from exc
        value = parse_cell(cells[1], path=path, row=line, column=value_col)
        if np.isnan(value):
            continue
        out.append(
            {
                "year": int(year),
                "geo": geo_prefix,
                "geo_level": "province",
                "geo_name": geo_name,
                "crop": key,
                "crop_name": label,
                measure: value * factor,
                "flag": "",
                "_row": line,
            }
        )
    frame = pd.DataFrame(out)
    if frame.empty:
        raise HilirDataError("the table has no values", path=path)
    dup = frame.duplicated(["crop"])
    if dup.any():
        r = frame.loc[dup].iloc[0]
        raise HilirDataError(
            f"crop {r['crop']} appears twice", path=path, row=int(r["_row"]), column=crop_col
        )
    return frame


def flag_jumps(
    df: pd.DataFrame,
    *,
    ratio: float = 3.0,
    by: Sequence[str] = ("geo", "crop", "scope"),
) -> pd.DataFrame:
    """Flag implausible year-on-year jumps in a production table (flag, never smooth).

    A row is flagged when its ``production_t`` (or ``area_ha``) is more than ``ratio``
    times, or less than 1/``ratio`` of, the value of the same place, crop and scope in the
    year before (a value going from zero to positive, or back, counts as a jump). When
    several sources give the previous year, the row is flagged only if it jumps against
    all of them.

    Parameters
    ----------
    df : pandas.DataFrame
        A :data:`hilir.schema.tables.PRODUCTION` table.
    ratio : float, default 3.0
        Largest plausible year-on-year ratio (> 1).
    by : sequence of str, default ("geo", "crop", "scope")
        Columns that identify a series.

    Returns
    -------
    pandas.DataFrame
        A copy with ``jump_production_t`` and/or ``jump_area_ha`` added to ``flag``
        (``;``-separated when a row has several flags). The later year of each jump is
        flagged; a one-year spike flags the spike and the year after it.
    """
    if not ratio > 1:
        raise ValueError(f"ratio must be greater than 1, not {ratio!r}")
    out = df.copy()
    if "flag" in out:
        flags = out["flag"].astype("string").fillna("").to_list()
    else:
        flags = [""] * len(out)
    keys = list(by)
    for measure in ("production_t", "area_ha"):
        if measure not in out:
            continue
        cur = out[[*keys, "year", measure]].reset_index(drop=True)
        cur["_pos"] = np.arange(len(cur))
        cur = cur.loc[cur[measure].notna()]
        prev = cur[[*keys, "year", measure]].copy()
        prev["year"] = prev["year"] + 1
        both = cur.merge(prev, on=[*keys, "year"], how="inner", suffixes=("", "_prev"))
        if both.empty:
            continue
        v = both[measure].to_numpy(dtype=float)
        p = both[f"{measure}_prev"].to_numpy(dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            change = np.where((v == 0) & (p == 0), 1.0, np.maximum(v, p) / np.minimum(v, p))
        both["_change"] = change
        smallest = both.groupby("_pos")["_change"].min()
        label = f"jump_{measure}"
        for pos in smallest.index[smallest.to_numpy() > ratio]:
            flags[pos] = f"{flags[pos]};{label}" if flags[pos] else label
    out["flag"] = pd.array(flags, dtype="string")
    return out
