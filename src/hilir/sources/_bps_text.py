"""Text of BPS files: CSV records, cell helpers and unit texts (``Net weight : 000 Ton``).

Shared by the BPS trade readers (:mod:`hilir.sources.bps_trade`) and the plantation reader
(:mod:`hilir.sources.bps_production`).
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Sequence
from os import PathLike
from typing import Literal

from hilir.errors import HilirDataError
from hilir.fileio import read_text

PathLikeStr = str | PathLike[str]
Measure = Literal["weight", "value"]

# --- units ---------------------------------------------------------------------------------

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
