"""The data annex of a brief: an Excel workbook and a ZIP of CSV files with a metadata file.

Both are written from the payloads the executed notebook carries
(:mod:`hilir.brief.payload`): one sheet (and one CSV) per chart or table, holding exactly
the frame plotted, the units of its columns and the generated title, source and note
lines. A first sheet lists every chart and cites every source with its licence; the ZIP's
``metadata.json`` holds the same, with the caveats (note lines), as Our World in Data's
download bundles do.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from hilir.brief.payload import frame_from_json
from hilir.brief.texts import say
from hilir.fileio import atomic_write

#: Units of columns by name suffix or exact name (the tidy tables put units in names).
_UNIT_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("_usd_per_t", "unit.usd_per_t"),
    ("_usd_per_kg", "unit.usd_per_kg"),
    ("_idr_m", "unit.idr_m"),
    ("_usd", "unit.usd"),
    ("_kg", "unit.kg"),
    ("_t", "unit.t"),
    ("_ha", "unit.ha"),
    ("_jobs", "unit.jobs_persons"),
    ("_pct", "unit.percent_word"),
)
_UNIT_EXACT = {
    "year": "unit.year",
    "month": "unit.month",
    "share": "unit.fraction",
    "share_value": "unit.fraction",
    "share_volume": "unit.fraction",
    "jobs": "unit.persons",
    "uplift": "unit.ratio",
    "ratio": "unit.ratio",
    "hhi": "unit.index_hhi",
}


def column_unit(column: str, lang: str, *, frame_unit: str | None = None) -> str:
    """Unit of a column from its name (``value_usd`` -> ``US$``), or ``""`` when not stated.

    Parameters
    ----------
    column : str
    lang : {"id", "en"}
    frame_unit : str, optional
        The frame's own ``unit`` column value, used for a column named ``value``.
    """
    name = column.lower()
    if name in _UNIT_EXACT:
        return say(_UNIT_EXACT[name], lang)
    for suffix, key in _UNIT_SUFFIXES:
        if name.endswith(suffix):
            return say(key, lang)
    if name.startswith("share") or name.endswith("_share"):
        return say("unit.fraction", lang)
    if (
        name
        in (
            "value",
            "amount",
            "observed",
            "fitted",
            "counterfactual",
            "lower",
            "upper",
            "cf_low",
            "cf_high",
            "low",
            "central",
            "high",
        )
        and frame_unit
    ):
        return frame_unit
    return ""


def _frame_unit(frame: pd.DataFrame) -> str | None:
    if "unit" in frame.columns:
        units = [str(u) for u in frame["unit"].dropna().unique()]
        if len(units) == 1:
            return units[0]
    return None


def units_of(frame: pd.DataFrame, lang: str) -> dict[str, str]:
    """Unit of every column of a frame (``""`` for labels and codes)."""
    fu = _frame_unit(frame)
    return {c: column_unit(str(c), lang, frame_unit=fu) for c in frame.columns}


def sheet_name(number: int, kind: str, lang: str) -> str:
    """``Grafik 1`` / ``Chart 1`` / ``Tabel 2``: unique and within Excel's 31 characters."""
    key = "annex.sheet_table" if kind == "table" else "annex.sheet_chart"
    return say(key, lang, number=str(number))[:31]


def csv_name(number: int, kind: str, chart: str) -> str:
    """File name of a chart's CSV in the ZIP: ``chart_01_stage_share.csv``."""
    slug = re.sub(r"[^a-z0-9_]+", "_", str(chart).lower()).strip("_") or kind
    return f"{kind}_{number:02d}_{slug}.csv"


def records_of(payloads: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Payloads with their frames rebuilt (``frame`` becomes a DataFrame), in brief order."""
    out = []
    for doc in sorted(payloads, key=lambda d: int(d["number"])):
        rec = dict(doc)
        rec["frame"] = frame_from_json(doc["frame"])
        out.append(rec)
    return out


def _sources(records: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for rec in records:
        for src in rec["meta"].get("sources") or []:
            seen.setdefault(str(src.get("key")), src)
    return [seen[k] for k in sorted(seen)]


#: First characters that make a spreadsheet read a text cell as a formula (OWASP CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _put(ws: Any, row: int, col: int, value: object) -> Any:
    """Write one cell; text that looks like a formula stays text (never a live formula)."""
    cell = ws.cell(row, col, value)
    if isinstance(value, str) and value.startswith(FORMULA_START):
        cell.data_type = "s"
    return cell


def csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with text cells that look like formulas prefixed by ``'`` (shown as text).

    Spreadsheets open a CSV cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
    return as a formula; the apostrophe makes them show the text itself. Numbers are left as
    they are (a negative number is a number, not text).
    """
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col].dtype):
            out[col] = out[col].map(
                lambda v: "'" + v if isinstance(v, str) and v.startswith(FORMULA_START) else v
            )
    return out


def write_annex(
    payloads: Sequence[dict[str, Any]],
    path: str | Path,
    *,
    title: str,
    lang: str,
    brief_file: str = "",
) -> Path:
    """Write the Excel annex of a brief.

    Parameters
    ----------
    payloads : sequence of dict
        Chart and table payloads of the executed notebook (:func:`hilir.brief.payload.payloads`).
    path : str or pathlib.Path
        The ``.xlsx`` file (written atomically).
    title : str
        Title of the brief.
    lang : {"id", "en"}
    brief_file : str, optional
        File name of the HTML brief, named on the first sheet.

    Returns
    -------
    pathlib.Path

    Notes
    -----
    Sheet 1 (``Tentang`` / ``About``) lists every chart with its sheet and cites every source
    (publisher, title, URL, licence, citation). Then one sheet per chart or table: title,
    subtitle, source line and note line in rows 1-4, the column headers in row 6, the unit of
    each column in row 7, and the data from row 8, numbers unrounded (shown with a number
    format; openpyxl stores 16 significant digits, more than the 15 Excel works with). Text
    is always stored as text, so a cell starting with ``=`` (from data or a title) is never
    a formula.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    records = records_of(payloads)
    wb = Workbook()
    about = wb.active
    about.title = say("annex.about", lang)[:31]
    _put(about, 1, 1, title).font = Font(bold=True, size=14)
    _put(about, 2, 1, say("annex.about_intro", lang, file=brief_file or "-"))
    about["A4"] = say("annex.col_sheet", lang)
    about["B4"] = say("annex.col_title", lang)
    about["C4"] = say("annex.col_source", lang)
    for cell in ("A4", "B4", "C4"):
        about[cell].font = Font(bold=True)
    r = 5
    for rec in records:
        _put(about, r, 1, sheet_name(rec["number"], rec["kind"], lang))
        _put(about, r, 2, rec["meta"].get("title", ""))
        _put(about, r, 3, rec["meta"].get("source_line", ""))
        r += 1
    r += 1
    about.cell(r, 1, say("annex.sources", lang)).font = Font(bold=True)
    r += 1
    heads = ["key", "publisher", "title", "url", "licence", "citation", "accessed", "latest_year"]
    for j, h in enumerate(heads, start=1):
        about.cell(r, j, say(f"annex.src.{h}", lang)).font = Font(bold=True)
    for src in _sources(records):
        r += 1
        for j, h in enumerate(heads, start=1):
            v = src.get(h)
            _put(about, r, j, "" if v is None else v)
    about.column_dimensions["A"].width = 16
    about.column_dimensions["B"].width = 70
    about.column_dimensions["C"].width = 60

    for rec in records:
        ws = wb.create_sheet(sheet_name(rec["number"], rec["kind"], lang))
        meta, frame = rec["meta"], rec["frame"]
        _put(ws, 1, 1, meta.get("title", "")).font = Font(bold=True, size=12)
        for r, key in ((2, "subtitle"), (3, "source_line"), (4, "note_line")):
            _put(ws, r, 1, meta.get(key, ""))
        units = units_of(frame, lang)
        for j, col in enumerate(frame.columns, start=1):
            _put(ws, 6, j, str(col)).font = Font(bold=True)
            _put(ws, 7, j, units[col] or "-").font = Font(italic=True)
            ws.column_dimensions[get_column_letter(j)].width = max(10, min(40, len(str(col)) + 4))
        for i, row in enumerate(frame.itertuples(index=False, name=None), start=8):
            for j, v in enumerate(row, start=1):
                if v is None or v is pd.NA or (isinstance(v, float) and v != v):
                    continue
                if isinstance(v, pd.Timestamp):
                    v = v.to_pydatetime()
                elif hasattr(v, "item") and not isinstance(v, str):
                    v = v.item()
                cell = _put(ws, i, j, v)
                if isinstance(v, float):
                    cell.number_format = "#,##0.00" if abs(v) >= 1 or v == 0 else "0.0000"
        ws.freeze_panes = "A8"

    def write(tmp: Path) -> None:
        wb.save(tmp)

    out = atomic_write(Path(path), write)
    out.chmod(0o644)
    return out


def read_annex_sheet(path: str | Path, sheet: str) -> tuple[dict[str, str], pd.DataFrame]:
    """Read one data sheet of an annex back: its texts and its data frame.

    Returns
    -------
    (dict, pandas.DataFrame)
        ``title, subtitle, source_line, note_line`` and ``units`` (column -> unit), and the
        data as written (rows from row 8).
    """
    from openpyxl import load_workbook

    wb = load_workbook(str(path), read_only=True, data_only=True)
    ws = wb[sheet]
    rows = list(ws.iter_rows(values_only=True))
    texts = {
        "title": rows[0][0] or "",
        "subtitle": rows[1][0] or "",
        "source_line": rows[2][0] or "",
        "note_line": rows[3][0] or "",
    }
    header = [h for h in rows[5] if h is not None]
    units = dict(zip(header, rows[6][: len(header)], strict=True))
    data = [list(r[: len(header)]) for r in rows[7:]]
    wb.close()
    texts["units"] = units  # type: ignore[assignment]
    return texts, pd.DataFrame(data, columns=header)


def write_data_zip(
    payloads: Sequence[dict[str, Any]],
    path: str | Path,
    *,
    title: str,
    lang: str,
    brief_file: str = "",
) -> Path:
    """Write the ZIP of CSV files (one per chart or table) with ``metadata.json``.

    The metadata gives, per file: the chart's title, subtitle, source line, note line
    (caveats), the unit of every column, and each source's publisher, title, URL, licence
    and citation.
    """
    records = records_of(payloads)
    files = []
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for rec in records:
            name = csv_name(rec["number"], rec["kind"], rec["meta"].get("chart", rec["kind"]))
            text = csv_safe(rec["frame"]).to_csv(index=False, lineterminator="\n")
            zf.writestr(_info(name), text.encode("utf-8"))
            files.append(
                {
                    "file": name,
                    "sheet": sheet_name(rec["number"], rec["kind"], lang),
                    "title": rec["meta"].get("title", ""),
                    "subtitle": rec["meta"].get("subtitle", ""),
                    "source_line": rec["meta"].get("source_line", ""),
                    "caveats": rec["meta"].get("note_line", ""),
                    "latest_year": rec["meta"].get("latest_year"),
                    "units": units_of(rec["frame"], lang),
                    "sources": rec["meta"].get("sources") or [],
                }
            )
        meta = {
            "brief": title,
            "brief_file": brief_file,
            "language": lang,
            "about": say("annex.zip_about", lang),
            "files": files,
            "sources": _sources(records),
        }
        zf.writestr(
            _info("metadata.json"),
            (json.dumps(meta, ensure_ascii=False, indent=2, default=str) + "\n").encode("utf-8"),
        )
    data = buf.getvalue()
    out = atomic_write(Path(path), lambda tmp: tmp.write_bytes(data))
    out.chmod(0o644)
    return out


def _info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info
