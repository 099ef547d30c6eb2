"""BPS plantation-crop web tables (BPS Provinsi Lampung) -> the tidy production table.

:func:`read_bps_production` reads production or planted area by regency and crop, or by crop
for the province; :func:`crop_key` maps a published crop label to its key (vocabulary in
:data:`CROPS`). Implausible year-on-year jumps are flagged at build by
:func:`hilir.data.quality.flag_jumps`.
"""

from __future__ import annotations

import html
import re
import warnings
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import pycountry

from hilir.errors import HilirDataError, HilirDataWarning, caller_stacklevel
from hilir.registry.provinces import resolve_province
from hilir.schema.cells import column_decimal, parse_cell
from hilir.schema.tables import PRODUCTION, conform
from hilir.sources._bps_text import PathLikeStr, _blank, _norm, _records
from hilir.sources._bps_vocabulary import CROPS

_PROVINCE_ROW = re.compile(r"^(provinsi|province)\b", re.IGNORECASE)
#: Labels of a table's total row (BPS writes the province total as "Jumlah" or "Total" too).
_TOTAL_LABELS = frozenset({"jumlah", "total", "jumlah total", "total provinsi"})
#: A year of the header, with BPS's marks of preliminary figures ("2023*", "2023**").
_HEADER_YEAR = re.compile(r"^(\d{4})\s*(\*{1,3})?$")
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
        f"unknown crop {label!r}; add it to hilir.sources.bps_production.CROPS with its English key"
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
    hilir.data.quality.flag_jumps : flag implausible year-on-year changes.
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
    columns = _crop_columns(crops, year_row, path=path, crop_line=crop_line, year_line=year_line)
    out, province_at = _regency_rows(
        records[4:],
        columns,
        path=path,
        geo_prefix=geo_prefix,
        measure=measure,
        factor=factor,
        width=len(crops),
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


def _crop_columns(
    crops: list[str], year_row: list[str], *, path: PathLikeStr, crop_line: int, year_line: int
) -> list[tuple[int, str, str, int, str]]:
    """(index, crop label, crop key, year, flag) of each data column of a by-regency table.

    A blank crop cell continues the crop on its left (merged header cells). A year marked
    preliminary by BPS (``2023*``, ``2023**``) is read as that year, flagged ``preliminary``.
    """
    columns: list[tuple[int, str, str, int, str]] = []
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
        m = _HEADER_YEAR.fullmatch(cell)
        if m is None:
            raise HilirDataError(f"{cell!r} is not a year", path=path, row=year_line, column=name)
        columns.append((j, name, key, int(m.group(1)), "preliminary" if m.group(2) else ""))
    return columns


def _regency_rows(
    records: list[tuple[int, list[str]]],
    columns: list[tuple[int, str, str, int, str]],
    *,
    path: PathLikeStr,
    geo_prefix: str,
    measure: str,
    factor: float,
    width: int,
) -> tuple[list[dict], int | None]:
    """One record per place and crop column with a value, and the line of the province row.

    ``records`` are the rows below the year row; ``width`` is the number of header cells.
    """
    out = []
    province_at = None
    decimals = {
        j: column_decimal(
            [c[j] for _l, c in records if j < len(c)],
            path=path,
            column=name,
            rows=[line for line, c in records if j < len(c)],
        )
        for j, name, _key, _yr, _flag in columns
    }
    for line, cells in records:
        place = cells[0].strip()
        is_province = _is_total_row(place, geo_prefix)
        if is_province:
            geo, level = geo_prefix, "province"
            province_at = line
        else:
            geo, level = f"{geo_prefix}-{_slug(place)}", "regency"
        for j, name, key, yr, flag in columns:
            if j >= len(cells):
                raise HilirDataError(
                    f"row has {len(cells)} cells, the header has {width} (was the file cut?)",
                    path=path,
                    row=line,
                    column=name,
                )
            value = parse_cell(cells[j], path=path, row=line, column=name, decimal=decimals[j])
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
                    "flag": flag,
                    "_row": line,
                    "_col": name,
                }
            )
    return out, province_at


def _is_total_row(place: str, geo_prefix: str) -> bool:
    """The province's own row: "Provinsi ...", "Jumlah"/"Total", or the province's name."""
    if _PROVINCE_ROW.match(place) or re.sub(r"\s+", " ", place.casefold()) in _TOTAL_LABELS:
        return True
    try:
        return resolve_province(place) == geo_prefix
    except HilirDataError:
        return False


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
            before = str(frame.at[idx, "flag"])
            frame.at[idx, "flag"] = f"{before};sum_mismatch" if before else "sum_mismatch"
            found.append(f"{frame.at[idx, 'crop_name']} {key[0]}: {published:,.0f} vs {total:,.0f}")
    if found:
        warnings.warn(
            f"{path}: province row differs from the sum of its regencies by more than 0.5 % "
            f"({'; '.join(found)}); flagged 'sum_mismatch', values kept as published",
            HilirDataWarning,
            stacklevel=caller_stacklevel(),
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
    body = [(line, cells) for line, cells in records[1:] if len(cells) >= 2]
    decimal = column_decimal(
        [c[1] for _l, c in body], path=path, column=value_col, rows=[line for line, _c in body]
    )
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
        value = parse_cell(cells[1], path=path, row=line, column=value_col, decimal=decimal)
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
