"""The data behind a chart or table, carried inside the executed notebook.

When a brief shows a chart (:meth:`hilir.brief.page.Brief.chart`) the notebook output
holds, next to the PNG, a JSON document of the MIME type :data:`MIME`: the chart's texts,
the provenance of its data and the frame actually plotted (``fig.hilir_data``). The report
builder reads these documents back from the executed notebook to write the Excel annex and
the CSV bundle, so the annex holds exactly the numbers of the chart. nbconvert does not
render this MIME type, so it never shows in the HTML brief.

Floats are written with Python's shortest round-trip representation, so a number read back
is bit-for-bit the number plotted.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

#: MIME type of a chart or table payload in a notebook output.
MIME = "application/vnd.hilir.brief+json"
#: Version of the payload layout.
VERSION = 1


def _cell(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # numpy scalars
        value = value.item()
        if isinstance(value, float) and math.isnan(value):
            return None
        return value
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, (int, bool, str)):
        return value
    return str(value)


def _kind(series: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(series):
        return "bool"
    if pd.api.types.is_integer_dtype(series):
        return "int"
    if pd.api.types.is_float_dtype(series):
        return "float"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "datetime"
    return "str"


def frame_to_json(frame: pd.DataFrame) -> dict[str, Any]:
    """A frame as ``{"columns": [...], "kinds": [...], "data": [[row], ...]}`` (JSON-safe).

    Parameters
    ----------
    frame : pandas.DataFrame

    Returns
    -------
    dict
        Column names, a kind per column (``int``, ``float``, ``bool``, ``datetime``,
        ``str``) and rows of plain values; missing values are ``None``.
    """
    df = frame.reset_index(drop=True)
    cols = [str(c) for c in df.columns]
    kinds = [_kind(df[c]) for c in df.columns]
    rows = [[_cell(v) for v in row] for row in df.itertuples(index=False, name=None)]
    return {"columns": cols, "kinds": kinds, "data": rows}


def frame_from_json(doc: dict[str, Any]) -> pd.DataFrame:
    """Inverse of :func:`frame_to_json`."""
    cols = list(doc["columns"])
    df = pd.DataFrame(doc["data"], columns=cols)
    for col, kind in zip(cols, doc["kinds"], strict=True):
        if kind == "int":
            df[col] = pd.array(df[col], dtype="Int64")
        elif kind == "float":
            df[col] = pd.to_numeric(df[col], errors="coerce").astype("float64")
        elif kind == "bool":
            df[col] = pd.array(df[col], dtype="boolean")
        elif kind == "datetime":
            df[col] = pd.to_datetime(df[col])
        else:
            df[col] = df[col].astype("object")
    return df


def chart_payload(fig: Any, *, number: int, kind: str = "chart") -> dict[str, Any]:
    """The payload of a hilir chart: its texts, provenance and the frame plotted.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        A figure made by a :mod:`hilir.plots` chart function.
    number : int
        Position of the chart in the brief (1, 2, ...).
    kind : str, default "chart"

    Returns
    -------
    dict
        ``version, kind, number, meta`` (:meth:`hilir.plots.ChartMeta.metadata`) and
        ``frame`` (:func:`frame_to_json` of ``fig.hilir_data``).
    """
    from hilir.plots.meta import chart_meta

    meta = chart_meta(fig)
    return {
        "version": VERSION,
        "kind": kind,
        "number": int(number),
        "meta": _plain(meta.metadata()),
        "frame": frame_to_json(meta.data),
    }


def table_payload(
    frame: pd.DataFrame,
    *,
    number: int,
    lang: str,
    title: str,
    source_line: str,
    sources: list[dict[str, Any]],
    note_line: str = "",
    subtitle: str = "",
    latest_year: int | None = None,
) -> dict[str, Any]:
    """The payload of a table shown in a brief (same layout as :func:`chart_payload`)."""
    meta = {
        "chart": "table",
        "lang": lang,
        "title": title,
        "subtitle": subtitle,
        "source_line": source_line,
        "note_line": note_line,
        "latest_year": latest_year,
        "sources": sources,
    }
    return {
        "version": VERSION,
        "kind": "table",
        "number": int(number),
        "meta": _plain(meta),
        "frame": frame_to_json(frame),
    }


def _plain(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    return _cell(obj)


def payloads(nb: Any) -> list[dict[str, Any]]:
    """Every chart and table payload in an executed notebook, in output order."""
    found = []
    for cell in nb.cells:
        if cell.get("cell_type") != "code":
            continue
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if MIME in data:
                doc = data[MIME]
                if isinstance(doc, str):  # some writers store JSON as text
                    import json

                    doc = json.loads(doc)
                found.append(doc)
    return found
