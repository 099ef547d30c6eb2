"""Blocks of a BPS wide table: the year header, the weight and value blocks, their totals.

A BPS static table by destination (:func:`hilir.sources.bps_trade.read_bps_wide`) has a
header row of years, then one block per measure: a unit row, one row per country and a
``Total`` row. :func:`find_year_header` locates the header, :func:`read_blocks` parses and
checks the blocks and :func:`long_amounts` lays them out as one row per measure, partner and
year (amounts in kg or USD).
"""

from __future__ import annotations

import re
import warnings
from typing import Literal

import numpy as np
import pandas as pd

from hilir.errors import HilirDataError, HilirDataWarning, caller_stacklevel
from hilir.registry.partners import WORLD, resolve_partners
from hilir.schema.cells import column_decimal, parse_cell
from hilir.sources._bps_text import PathLikeStr, _blank, _decimals, _norm, parse_unit

Records = list[tuple[int, list[str]]]


def find_year_header(records: Records, *, path: PathLikeStr) -> int:
    """Index in ``records`` of the header row: a named first cell and at least one year."""
    for i, (_line, cells) in enumerate(records):
        if (
            cells
            and cells[0].strip()
            and sum(bool(re.fullmatch(r"\d{4}", c.strip())) for c in cells[1:]) >= 1
        ):
            return i
    raise HilirDataError("no header row with years found", path=path)


def _without_footnotes(rows: Records, years: dict[int, int], *, path: PathLikeStr) -> Records:
    """``rows`` without the notes BPS puts below the last Total (``Catatan:``, ``Sumber: ...``).

    A note is a trailing row with text and no cell under any year; a Total row is never one.
    Dropping notes warns with :class:`HilirDataWarning`.
    """
    end = len(rows)
    while end and (
        _blank(rows[end - 1][1])
        or (
            _norm(rows[end - 1][1][0]) not in ("total", "jumlah", "totalall")
            and not any(rows[end - 1][1][j].strip() for j in years if j < len(rows[end - 1][1]))
        )
    ):
        end -= 1
    notes = [line for line, cells in rows[end:] if not _blank(cells)]
    if notes:
        warnings.warn(
            f"{path}: {len(notes)} note line(s) below the table (from row {notes[0]}) not read",
            HilirDataWarning,
            stacklevel=caller_stacklevel(),
        )
    return rows[:end]


def read_blocks(
    rows: Records,
    *,
    path: PathLikeStr,
    header: list[str],
    years: dict[int, int],
    totals: Literal["check", "flag"] = "check",
) -> dict[str, dict]:
    """The measure blocks below the header, keyed by measure, each checked against its Total.

    Each block is ``{"measure", "factor", "rows", "total", "inconsistent"}``; a row entry is
    ``{"line", "label", "values", "texts"}`` with values as published (before the unit's
    factor). With ``totals="check"`` a Total that its rows do not add up to is an error;
    with ``totals="flag"`` it is kept and recorded in ``inconsistent`` (year -> (published
    Total, sum of the rows), as published).
    """
    partner_label = header[0].strip()
    rows = _without_footnotes(rows, years, path=path)
    blocks: dict[str, dict] = {}
    current: dict | None = None
    named = [(line, cells) for line, cells in rows if not _blank(cells) and cells[0].strip()]
    decimals = {
        j: column_decimal(
            [c[j] for _l, c in named if j < len(c)],
            path=path,
            column=header[j],
            rows=[line for line, c in named if j < len(c)],
        )
        for j in years
    }
    for line, cells in rows:
        if _blank(cells):
            continue
        first = cells[0].strip()
        if not first:
            current = _start_block(cells, current, blocks, path=path, line=line, header=header)
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
        entry = _row_entry(
            cells, first, path=path, line=line, header=header, years=years, decimals=decimals
        )
        if _norm(first) in ("total", "jumlah", "totalall"):
            current["total"] = entry
        else:
            current["rows"].append(entry)
    _check_blocks(blocks, path=path, header=header, years=years, totals=totals)
    return blocks


def _start_block(
    cells: list[str],
    current: dict | None,
    blocks: dict[str, dict],
    *,
    path: PathLikeStr,
    line: int,
    header: list[str],
) -> dict:
    """Open the block of a unit row (``,Net weight : 000 Ton``) and register it in ``blocks``."""
    partner_label = header[0].strip()
    label = next(c for c in cells if c.strip())
    col = header[cells.index(label)] if cells.index(label) < len(header) else None
    try:
        measure, factor = parse_unit(label)
    except HilirDataError as exc:
        raise HilirDataError(exc.reason, path=path, row=line, column=col or partner_label) from exc
    if current is not None and current["total"] is None:
        raise HilirDataError(
            "the block above has no Total row", path=path, row=line, column=partner_label
        )
    if measure in blocks:
        raise HilirDataError(
            f"a second {measure} block", path=path, row=line, column=col or partner_label
        )
    block = {"measure": measure, "factor": factor, "rows": [], "total": None}
    blocks[measure] = block
    return block


def _row_entry(
    cells: list[str],
    first: str,
    *,
    path: PathLikeStr,
    line: int,
    header: list[str],
    years: dict[int, int],
    decimals: dict[int, str],
) -> dict:
    """Published values and texts of one country (or Total) row, by year.

    ``decimals`` is the decimal mark of each year column, decided once for the whole
    column (:func:`hilir.schema.cells.column_decimal`).
    """
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
        values[year] = parse_cell(
            cells[j], path=path, row=line, column=header[j], decimal=decimals[j]
        )
        texts[year] = cells[j]
    return {"line": line, "label": first, "values": values, "texts": texts}


def _check_blocks(
    blocks: dict[str, dict],
    *,
    path: PathLikeStr,
    header: list[str],
    years: dict[int, int],
    totals: Literal["check", "flag"] = "check",
) -> None:
    """A value block exists and every block ends in a Total that its rows add up to."""
    partner_label = header[0].strip()
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
        block["inconsistent"] = _check_total(
            block, path=path, header=header, years=years, flag=totals == "flag"
        )


def _check_total(
    block: dict, *, path: PathLikeStr, header: list[str], years: dict, flag: bool = False
) -> dict[int, tuple[float, float]]:
    """Years whose Total differs from its rows ({year: (Total, sum)}); an error unless ``flag``."""
    total = block["total"]
    inconsistent: dict[int, tuple[float, float]] = {}
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
        if abs(added - published) > tolerance and flag:
            inconsistent[year] = (published, added)
        elif abs(added - published) > tolerance:
            raise HilirDataError(
                f"Total {total['texts'][year]} differs from the sum of the rows above "
                f"({added:,.1f}) by more than their rounding",
                path=path,
                row=total["line"],
                column=header[j],
            )
    return inconsistent


def long_amounts(blocks: dict[str, dict], *, path: PathLikeStr, partner_label: str) -> pd.DataFrame:
    """One row per measure, partner and year: ``amount`` in kg or USD, ``line`` of the row.

    The ``Total`` row becomes partner ``WLD`` (partner type world); a partner twice in a
    block is an error.
    """
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
    return pd.DataFrame(frames)


def flag_totals(
    long: pd.DataFrame, blocks: dict[str, dict], *, path: PathLikeStr, header: list[str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Keep the published Totals of years whose rows exceed them; drop those years' residual.

    BPS's coffee table (``Ekspor Kopi Menurut Negara Tujuan Utama, 2000-2023``) prints a
    ``Lainnya`` row from 2012 that makes the rows add up to more than ``Jumlah``; the named
    countries alone stay below it. The Total is the figure BPS publishes (and matches UN
    Comtrade, e.g. 2015: 499,651.3 t), so it is kept as the world row, the contradicting
    residual row is left out for those years (the gap between the Total and the named
    countries stays visible as unallocated in destination profiles), and nothing is summed.

    Parameters
    ----------
    long : pandas.DataFrame
        :func:`long_amounts` output (amounts in kg or USD).
    blocks : dict
        :func:`read_blocks` output with ``totals="flag"``.
    path : str or os.PathLike
        The file, for errors.
    header : list of str
        The header row (year columns), for errors.

    Returns
    -------
    tuple of (pandas.DataFrame, pandas.DataFrame)
        ``long`` without the residual rows of the flagged years, and one row per flagged
        measure and year: ``year, measure, unit, total, rows_sum, gap, residual_dropped``
        (``unit`` kg or USD; ``gap`` = rows_sum - total, the published rows' excess).

    Raises
    ------
    HilirDataError
        In a flagged year the named countries alone exceed the Total (then even the Total
        cannot be trusted); row = the Total row, column = the year.
    """
    report = []
    for measure, block in blocks.items():
        for year, (published, added) in block.get("inconsistent", {}).items():
            sel = long[(long["measure"] == measure) & (long["year"] == year)]
            named = float(sel.loc[sel["partner_type"] == "country", "amount"].sum())
            residual = float(sel.loc[sel["partner_type"] == "residual", "amount"].sum())
            total = published * block["factor"]
            if named > total * (1 + 1e-6) + block["factor"]:
                raise HilirDataError(
                    f"the named countries ({named / block['factor']:,.1f}) exceed the Total "
                    f"{published:,.1f}",
                    path=path,
                    row=block["total"]["line"],
                    column=next(c for c in header if c.strip() == str(year)),
                )
            report.append(
                {
                    "year": year,
                    "measure": measure,
                    "unit": "kg" if measure == "weight" else "USD",
                    "total": total,
                    "rows_sum": added * block["factor"],
                    "gap": (added - published) * block["factor"],
                    "residual_dropped": residual,
                }
            )
    flagged = pd.DataFrame(
        report,
        columns=["year", "measure", "unit", "total", "rows_sum", "gap", "residual_dropped"],
    )
    drop = long["year"].isin(set(flagged["year"])) & long["partner_type"].eq("residual")
    return long.loc[~drop].reset_index(drop=True), flagged.sort_values(["year", "measure"])
