"""WIOD national input-output tables (September 2012 release).

The reader returns an :class:`~hilir.schema.iotable.IOTable`.

WIOD layout
-----------
The WIOD national input-output tables (September 2012 release) have one sheet per year: rows
``c1..c35`` of the domestic block (column C ``IDN``), the same rows again for imports (column C
``Imports``), then ``r60`` total intermediate consumption, ``r99`` taxes less subsidies on
products, ``r61``-``r63`` adjustments, ``r64`` value added at basic prices, an uncoded row of
international transport margins and ``r69`` output at basic prices; columns ``c1..c35``,
final demand ``c37`` households, ``c38`` non-profit institutions, ``c39`` government, ``c41``
GFCF, ``c42`` inventories, ``c44`` exports, then total output. Sectors are named by their
NACE codes (``AtB``, ``15t16``, ``27t28`` ...). WIOD NIOTs have no split of value added into
compensation and surplus, and no employment accounts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from hilir.errors import HilirDataError
from hilir.schema.iotable import VALUE_ADDED_ROWS, IOTable
from hilir.sources._io_grid import (
    Cell,
    PathLikeStr,
    cell_number,
    code_of,
    match_classification,
    sector_classifications,
    sector_frame,
)

__all__ = ["read_wiod_niot"]

_WIOD_FD = {
    "c37": "household",
    "c38": "npish",
    "c39": "government",
    "c41": "investment",
    "c42": "stock_change",
    "c44": "exports",
}


def read_wiod_niot(
    path: PathLikeStr,
    *,
    year: int,
    source: str = "wiod_niot_idn",
    country: str = "IDN",
    tolerance: float = 0.5,
) -> IOTable:
    """Read one year of a WIOD national input-output table (Sept. 2012 release).

    Parameters
    ----------
    path : str or os.PathLike
        The workbook, e.g. ``IDN_NIOT_row_sep12.xlsx`` (one sheet per year).
    year : int
        Sheet to read (1995-2011 in the 2012 release).
    source : str, default "wiod_niot_idn"
        Provenance key recorded in the table.
    country : str, default "IDN"
        ISO3 code in column C of the domestic block; it becomes the table's geography.
    tolerance : float, default 0.5
        Largest accepted difference, in million USD (plus one part in a million of output),
        between output and the sum of its uses or of its inputs.

    Returns
    -------
    IOTable
        Values in million USD, current prices of ``year``. ``value_added`` has
        ``gross_value_added`` (r64 plus net taxes on products r99, zero in the 2012 release)
        and ``net_indirect_taxes`` (r99); wages, operating surplus and depreciation are NaN
        (not published in NIOTs). ``imports`` is the imported-intermediates block summed by
        using industry, plus international transport margins and the adjustments r61-r63
        (payments abroad), so that intermediate inputs, imports and value added add up to
        output.

    Raises
    ------
    HilirDataError
        No sheet for the year, missing blocks or rows (r64, r69), a cell that is not a
        number, or output that its uses or inputs do not add up to.

    Notes
    -----
    Industry output (r69) equals total intermediate consumption (r60, domestic plus
    imported) plus net taxes on products (r99), the adjustments r61-r63, value added (r64) and
    international transport margins; the check uses these rows. Reference: Timmer et al.
    (2015), "An Illustrated User Guide to the World Input-Output Database", Review of
    International Economics 23: 575-605.
    """
    from openpyxl.utils import get_column_letter

    p = Path(path)
    rows = _sheet_rows(p, year)
    hrow, col_of, sector_cols, total_col = _header(rows, year, p)
    n = len(sector_cols)
    dom, imp, extra = _row_blocks(rows, hrow, sector_cols, country, p)

    def val(i: int, j: int) -> float:
        v = rows[i][j] if j < len(rows[i]) else None
        return cell_number(Cell(v, i + 1, get_column_letter(j + 1)), path=p)

    sc = [col_of[c] for c in sector_cols]
    z = np.array([[val(dom[c], j) for j in sc] for c in sector_cols])
    m = np.array([[val(imp[c], j) for j in sc] for c in sector_cols]) if imp else np.zeros((n, n))
    fd = {}
    fd_imports = {}
    for code, name in _WIOD_FD.items():
        if code in col_of:
            fd[name] = np.array([val(dom[c], col_of[code]) for c in sector_cols])
            fd_imports[name] = sum(val(imp[c], col_of[code]) for c in sector_cols if c in imp)
    output = np.array([val(dom[c], total_col) for c in sector_cols])
    gva = np.array([val(extra["r64"], j) for j in sc])
    x_in = np.array([val(extra["r69"], j) for j in sc])
    taxes = np.array([val(extra["r99"], j) for j in sc]) if "r99" in extra else np.zeros(n)
    abroad = np.zeros(n)
    for code in ("r61", "r62", "r63", "margins"):
        if code in extra:
            abroad += np.array([val(extra[code], j) for j in sc])
    other = taxes + abroad

    _check_identities(
        z=z,
        m=m,
        fd=fd,
        output=output,
        inputs_other=gva + other,
        x_in=x_in,
        tolerance=tolerance,
        rows_at={"dom": dom, "extra": extra, "sc": sc, "total_col": total_col},
        sector_cols=sector_cols,
        p=p,
    )

    codes, names_id, names_en, classification = _sector_names(rows, dom, sector_cols, p)
    idx = pd.Index(codes, name="code")
    value_added = pd.DataFrame(
        {c: [np.nan, np.nan, np.nan, t, g + t] for c, g, t in zip(codes, gva, taxes, strict=True)},
        index=pd.Index(list(VALUE_ADDED_ROWS), name="row"),
    )
    value_added.columns.name = "code"
    return IOTable(
        Z=pd.DataFrame(z, index=idx, columns=idx.copy()),
        final_demand=pd.DataFrame(fd, index=idx),
        value_added=value_added,
        imports=pd.Series(m.sum(axis=0) + abroad, index=idx, name="imports"),
        output=pd.Series(output, index=idx, name="output"),
        sectors=sector_frame(codes, names_id, names_en, classification),
        unit="million USD",
        year=int(year),
        geography="IDN" if country == "IDN" else country,
        source=source,
        classification=classification,
        imports_final_demand=pd.Series(fd_imports, name="imports"),
        notes=(
            f"{p.name}, sheet {year}: {n} industries, domestic block; imports = imported "
            "intermediates plus international transport margins and purchases abroad (r61-r63) "
            "by using industry; gross value added = value added at basic prices (r64) plus "
            "net taxes on products (r99)"
        ),
    )


def _wiod_code(value: object) -> str:
    code = code_of(value)
    return str(code) if code is not None else str(value).strip()


def _sheet_rows(p: Path, year: int) -> list[list[Any]]:
    """The cells of the year's sheet, row by row."""
    from openpyxl import load_workbook

    if not p.is_file():
        raise HilirDataError("file not found", path=p)
    try:
        wb = load_workbook(p, read_only=True, data_only=True)
    except Exception as exc:
        raise HilirDataError(f"not a readable Excel workbook: {exc}", path=p) from exc
    try:
        if str(year) not in wb.sheetnames:
            raise HilirDataError(
                f"no sheet for year {year}; the workbook has {wb.sheetnames}", path=p
            )
        rows = [list(r) for r in wb[str(year)].iter_rows(values_only=True)]
    finally:
        wb.close()
    return rows


def _header(
    rows: list[list[Any]], year: int, p: Path
) -> tuple[int, dict[str, int], list[str], int]:
    """Header row index, column of each code, the industry codes and the total-output column."""
    # header: the row holding c1, c2, ... ; sector codes are in the row two above
    hrow = next(
        (i for i, r in enumerate(rows[:15]) if any(str(v).strip() == "c1" for v in r if v)),
        None,
    )
    if hrow is None:
        raise HilirDataError(f"sheet {year!r}: no header row with column codes c1, c2, ...", path=p)
    header = [str(v).strip() if v is not None else "" for v in rows[hrow]]
    col_of = {c: j for j, c in enumerate(header) if c}
    sector_cols = []
    k = 1
    while f"c{k}" in col_of and not any(f"c{k}" == x for x in _WIOD_FD):
        sector_cols.append(f"c{k}")
        k += 1
    n = len(sector_cols)
    if n < 3:
        raise HilirDataError(
            "fewer than three industry columns (c1, c2, ...)", path=p, row=hrow + 1
        )
    total_col = len(header) - 1
    while total_col > 0 and rows[hrow - 2][total_col] is None:
        total_col -= 1
    return hrow, col_of, sector_cols, total_col


def _row_blocks(
    rows: list[list[Any]], hrow: int, sector_cols: list[str], country: str, p: Path
) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """Row index of each industry's domestic and imports rows, and of the summary rows."""
    dom: dict[str, int] = {}
    imp: dict[str, int] = {}
    extra: dict[str, int] = {}
    for i in range(hrow + 1, len(rows)):
        r = rows[i]
        block = str(r[2]).strip() if len(r) > 2 and r[2] is not None else ""
        code = str(r[3]).strip() if len(r) > 3 and r[3] is not None else ""
        label = str(r[1]).strip().lower() if len(r) > 1 and r[1] is not None else ""
        if block == country and code in sector_cols:
            dom[code] = i
        elif block.lower() == "imports" and code in sector_cols:
            imp[code] = i
        elif code in ("r60", "r99", "r61", "r62", "r63", "r64", "r69"):
            extra[code] = i
        elif not code and "transport margin" in label:
            extra["margins"] = i
    missing = [c for c in sector_cols if c not in dom]
    if missing:
        raise HilirDataError(f"no domestic ({country}) rows for {missing[:3]}", path=p)
    missing = [c for c in sector_cols if c not in imp]
    if imp and missing:
        raise HilirDataError(f"no imports rows for {missing[:3]} (the block is incomplete)", path=p)
    for need in ("r64", "r69"):
        if need not in extra:
            raise HilirDataError(
                f"no row {need} ({'value added' if need == 'r64' else 'output'})", path=p
            )
    return dom, imp, extra


def _check_identities(
    *,
    z: np.ndarray,
    m: np.ndarray,
    fd: dict[str, np.ndarray],
    output: np.ndarray,
    inputs_other: np.ndarray,
    x_in: np.ndarray,
    tolerance: float,
    rows_at: dict[str, Any],
    sector_cols: list[str],
    p: Path,
) -> None:
    """Check that output equals its uses and its inputs (value added, taxes, margins)."""
    from openpyxl.utils import get_column_letter

    tol = tolerance + 1e-6 * np.abs(output)
    uses = z.sum(axis=1) + np.sum(list(fd.values()), axis=0)
    bad = np.abs(uses - output) > tol
    if bad.any():
        i = int(np.argmax(bad))
        raise HilirDataError(
            f"output of {sector_cols[i]} ({output[i]:,.1f}) differs from the sum of its "
            f"uses ({uses[i]:,.1f})",
            path=p,
            row=rows_at["dom"][sector_cols[i]] + 1,
            column=get_column_letter(rows_at["total_col"] + 1),
        )
    inputs = z.sum(axis=0) + m.sum(axis=0) + inputs_other
    bad = (np.abs(inputs - x_in) > tol) | (np.abs(x_in - output) > tol)
    if bad.any():
        j = int(np.argmax(bad))
        raise HilirDataError(
            f"output at basic prices (r69) of {sector_cols[j]} ({x_in[j]:,.1f}) differs from "
            f"its inputs ({inputs[j]:,.1f}) or from total output ({output[j]:,.1f})",
            path=p,
            row=rows_at["extra"]["r69"] + 1,
            column=get_column_letter(rows_at["sc"][j] + 1),
        )


def _sector_names(
    rows: list[list[Any]], dom: dict[str, int], sector_cols: list[str], p: Path
) -> tuple[list[str], list[str], list[str], str | None]:
    """Sector codes, Indonesian and English names, and the matching classification."""
    codes = [_wiod_code(rows[dom[c]][0]) for c in sector_cols]
    for k, (c, code) in enumerate(zip(sector_cols, codes, strict=True)):
        if rows[dom[c]][0] is None or not code or code in codes[:k]:
            what = (
                "has no industry code"
                if rows[dom[c]][0] is None or not code
                else (f"repeats industry code {code!r}")
            )
            raise HilirDataError(f"row of {c} {what}", path=p, row=dom[c] + 1, column="A")
    names_en = [" ".join(str(rows[dom[c]][1]).split()) for c in sector_cols]
    classification = match_classification(codes, names_en, by="code")
    if classification is not None:
        ref = sector_classifications()
        ref = ref[ref["classification"] == classification].set_index("code")
        names_id = [str(ref.loc[c, "name_id"]) for c in codes]
    else:
        names_id = names_en
    return codes, names_id, names_en, classification
