"""BPS provincial input-output tables: workbooks and their tidy long CSVs.

The reader returns an :class:`~hilir.schema.iotable.IOTable`: the domestic intermediate
matrix, the final-demand columns, the value-added rows, imports and total output, with sector
codes and names.

BPS layouts
-----------
BPS publishes provincial input-output tables as Excel workbooks whose transactions sheets carry
numeric row and column codes (the codes of the table's classification sheet, e.g. "Tabel 8" of
the Lampung 2010 table):

* rows ``1..n`` sectors, ``190`` total intermediate input, ``200`` imports (the domestic table
  records imported inputs in one row), ``201`` wages and salaries, ``202`` operating surplus,
  ``203`` depreciation, ``204`` indirect taxes (net, or gross with ``205`` subsidies),
  ``209`` gross value added, ``210`` total input;
* columns ``1..n`` sectors, ``180`` total intermediate demand, final demand ``301`` household
  consumption, ``302`` government, ``303`` gross fixed capital formation, ``304`` change in
  stocks, ``305`` exports (foreign exports when ``306`` inter-provincial exports is also
  present, all exports otherwise), ``309`` total final demand, ``310`` total demand, ``600``
  total output. Tables on the 2015 classification use four-digit final-demand codes
  (``3011`` household, ``3012`` non-profit institutions, ``3020`` government, ``3030`` GFCF,
  ``3040`` change in inventories, ``3050`` exports, ``3090``, ``3100``).

The reader finds the header row (the row whose cells run 1, 2, 3, ...) and the code column (the
column whose cells run 1, 2, 3, ... downwards) itself, so the Lampung 2010 ("Domestik
Produsen"), Bangka Belitung 2015 ("PDD") and East Kalimantan 2010 ("Domestik Produsen")
workbooks, whose layouts differ, are read by the same code. A tidy long CSV
``row_code,row_label,col_code,col_label,value`` of the same sheet is read too.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from hilir.errors import HilirDataError
from hilir.registry.provinces import find_province, resolve_province
from hilir.schema.iotable import FINAL_DEMAND_CATEGORIES, IOTable
from hilir.sources._io_bps_checks import (
    _FD_CODES,
    _OUTPUT_COL,
    _ROW_IMPORTS,
    _ROW_SUBSIDIES,
    _ROW_TOTAL_INPUT,
    _ROW_VA,
    NumFn,
    WhereFn,
    _check_identities,
    _gross_value_added,
)
from hilir.sources._io_grid import (
    Cell,
    Grid,
    PathLikeStr,
    cell_number,
    grid_from_long_csv,
    grid_from_workbook,
    match_classification,
    sector_classifications,
    sector_frame,
)

__all__ = ["read_bps_io", "sector_classifications"]

#: Largest negative flow read as nil (juta Rp): rounding residue such as -1e-11.
ROUNDING_NIL = 1e-6


def read_bps_io(
    path: PathLikeStr,
    *,
    source: str | None = None,
    sheet: str | None = None,
    year: int | None = None,
    geography: str | None = None,
    scale: float | None = None,
    tolerance: float = 1.0,
) -> IOTable:
    r"""Read a BPS input-output table (workbook or tidy long CSV) into an :class:`IOTable`.

    Parameters
    ----------
    path : str or os.PathLike
        An ``.xlsx`` workbook (the domestic transactions sheet at producer prices is read), or
        a ``.csv`` in the long layout ``row_code,row_label,col_code,col_label,value``.
    source : str, optional
        Provenance key recorded in the table; default ``bps_io_<province>_<year>``
        (``bps_io_id_ks_2016``), never another province's key.
    sheet : str, optional
        Sheet to read. By default the first of "Domestik Produsen", "PDD", "Tabel 3" that
        exists, else the first sheet whose title mentions domestic transactions at producer
        prices ("domestik" and "produsen").
    year : int, optional
        Year of the table. By default the four-digit year in the sheet title.
    geography : str, optional
        The province: ISO 3166-2 code, BPS code or name (:func:`hilir.registry.provinces.
        resolve_province`). By default recognised from the title, else the file name, when
        exactly one of the 38 provinces is named there as whole words.
    scale : float, optional
        Multiplier that turns the file's values into juta rupiah (million rupiah): 1 for
        "juta rupiah", 1000 for "miliar rupiah", 0.001 for "ribu rupiah". By default read
        from the title; a file that states no unit needs it.
    tolerance : float, default 1.0
        Largest accepted difference, in juta Rp plus one part in a million of the sector's
        output, between a published total and the sum of its parts.

    Returns
    -------
    IOTable
        Values in juta Rp (million rupiah), current prices of ``year``.

    Raises
    ------
    HilirDataError
        No transactions sheet, no header row of codes, sector codes of rows and columns that
        differ, a cell that is not a number (naming the worksheet row and column letter), a
        negative intermediate flow, or a published total (output, total input, value added,
        final demand) that its parts do not add up to.

    Notes
    -----
    Blank cells and "-" are nil (zero), as in BPS tables. Output is column 600 (row 210 when
    the sheet has no column 600). The checks are the table's own identities: for every
    sector :math:`x_i = \\sum_j z_{ij} + \\sum_k f_{ik}` and
    :math:`x_j = \\sum_i z_{ij} + m_j + v_j`, and gross value added equals its components.
    When a table has both 305 and 306, 305 is foreign exports ("Ekspor antar Negara") and
    306 inter-provincial exports; with 305 alone (East Kalimantan 2010) or 3050 (Bangka
    Belitung 2015) exports are not split and are kept as ``exports``.
    """
    p = Path(path)
    if not p.is_file():
        raise HilirDataError("file not found", path=p)
    if p.suffix.lower() in (".xlsx", ".xlsm"):
        grid = grid_from_workbook(p, sheet=sheet)
    elif p.suffix.lower() in (".csv", ".txt"):
        grid = grid_from_long_csv(p)
    else:
        raise HilirDataError(
            f"unsupported file type {p.suffix!r}: give a BPS .xlsx workbook or a long .csv",
            path=p,
        )
    if year is None:
        found = re.findall(r"\b(19[5-9]\d|20\d\d)\b", grid.title)
        if not found:
            raise HilirDataError("the year of the table is not in its title; pass year=", path=p)
        year = int(found[-1])
    if geography is None:
        geography = find_province(grid.title) or find_province(p.stem)
        if geography is None:
            raise HilirDataError(
                "cannot tell the province from the title or file name; pass geography= "
                "(ISO 3166-2, e.g. 'ID-LA')",
                path=p,
            )
    else:
        geography = "IDN" if str(geography).upper() == "IDN" else resolve_province(geography)
    if scale is None:
        scale = _scale_from_title(grid.title, path=p)
    if source is None:
        source = f"bps_io_{geography.lower().replace('-', '_')}_{int(year)}"
    return _build_bps(
        grid,
        path=p,
        source=source,
        year=int(year),
        geography=geography,
        scale=float(scale),
        tolerance=tolerance,
    )


def _scale_from_title(title: str, *, path: Path) -> float:
    t = title.lower()
    if "juta rupiah" in t or "juta rp" in t or "million rupiah" in t:
        return 1.0
    if "miliar rupiah" in t or "milyar rupiah" in t:
        return 1000.0
    if "ribu rupiah" in t:
        return 0.001
    raise HilirDataError(
        "the sheet states no unit (juta/miliar/ribu rupiah); pass scale= (1.0 for juta Rp)",
        path=path,
    )


def _build_bps(
    grid: Grid,
    *,
    path: Path,
    source: str,
    year: int,
    geography: str,
    scale: float,
    tolerance: float,
) -> IOTable:
    codes = grid.sector_codes
    n = len(codes)
    labels = [str(c) for c in codes]

    def cell(rc: int, cc: int) -> Cell | None:
        return grid.cells.get((rc, cc))

    def num(rc: int, cc: int) -> float:
        return cell_number(cell(rc, cc), path=path) * scale

    def where(rc: int, cc: int) -> tuple[int | None, str | None]:
        c = cell(rc, cc)
        if c is not None:
            return c.row, c.column
        return grid.row_line.get(rc), grid.col_label.get(cc, f"code {cc}")

    z = _intermediate(num, where, codes, path)

    fd, fd_imports, order = _final_demand(grid, num, codes, labels, path)

    va, subsidies, imports = _value_added_rows(grid, num, codes, path)
    output, out_where = _output(grid, num, where, codes, path)

    def tol(x: np.ndarray) -> np.ndarray:
        return tolerance * max(scale, 1.0) + 1e-6 * np.abs(x)

    gva, net_tax_sign = _gross_value_added(grid, va, subsidies, num, where, tol, codes, path)
    taxes = va["indirect_taxes"]
    net_taxes = None if taxes is None else taxes + net_tax_sign * subsidies

    _check_identities(
        grid,
        z=z,
        fd=fd,
        imports=imports,
        gva=gva,
        output=output,
        out_where=out_where,
        num=num,
        where=where,
        tol=tol,
        codes=codes,
        path=path,
    )

    idx = pd.Index(labels, name="code")
    value_added = _value_added_frame(va, net_taxes, gva, idx)
    classification = match_classification(labels, grid.sector_names, by="name")
    sectors = sector_frame(labels, grid.sector_names, None, classification)
    return IOTable(
        Z=pd.DataFrame(z, index=idx, columns=idx.copy()),
        final_demand=fd,
        value_added=value_added,
        imports=pd.Series(imports, index=idx, name="imports"),
        output=pd.Series(output, index=idx, name="output"),
        sectors=sectors,
        unit="juta Rp",
        year=year,
        geography=geography,
        source=source,
        classification=classification,
        imports_final_demand=pd.Series({c: fd_imports[c] for c in order}, name="imports"),
        notes=(
            f"{path.name}, {grid.where}: {n} sectors, domestic transactions at producer "
            f"prices; rows and columns add up to output within {tolerance} juta Rp"
        ),
    )


def _final_demand(
    grid: Grid,
    num: NumFn,
    codes: list[int],
    labels: list[str],
    path: Path,
) -> tuple[pd.DataFrame, dict[str, float], list[str]]:
    """Final-demand columns by category, their imports (row 200) and the category order."""
    # final demand
    fd_cols: dict[str, np.ndarray] = {}
    fd_imports: dict[str, float] = {}
    has_306 = 306 in grid.col_codes
    for cc in sorted(grid.col_codes):
        if cc == 305:
            name = "exports_foreign" if has_306 else "exports"
        elif cc in _FD_CODES:
            name = _FD_CODES[cc]
        elif 301 <= cc <= 308 or 3010 <= cc <= 3089:
            name = f"other_{cc}"
        else:
            continue
        values = np.array([num(i, cc) for i in codes])
        fd_cols[name] = fd_cols.get(name, 0) + values
        fd_imports[name] = fd_imports.get(name, 0.0) + (
            num(_ROW_IMPORTS, cc) if _ROW_IMPORTS in grid.row_codes else np.nan
        )
    if not fd_cols:
        raise HilirDataError(
            f"{grid.where}: no final-demand columns (301-306 or 3011-3050)", path=path
        )
    order = [c for c in FINAL_DEMAND_CATEGORIES if c in fd_cols] + sorted(
        c for c in fd_cols if c not in FINAL_DEMAND_CATEGORIES
    )
    fd = pd.DataFrame({c: fd_cols[c] for c in order}, index=pd.Index(labels, name="code"))
    return fd, fd_imports, order


def _intermediate(
    num: NumFn,
    where: WhereFn,
    codes: list[int],
    path: Path,
) -> np.ndarray:
    """Domestic intermediate transactions; a negative flow is an error.

    A negative flow smaller than :data:`ROUNDING_NIL` juta Rp (``-1e-11``, a spreadsheet's
    rounding residue) is read as nil; a larger one is an error naming its cell.
    """
    z = np.array([[num(i, j) for j in codes] for i in codes], dtype=float)
    z[(z < 0) & (z > -ROUNDING_NIL)] = 0.0
    neg = np.argwhere(z < 0)
    if len(neg):
        i, j = neg[0]
        row, col = where(codes[i], codes[j])
        raise HilirDataError(
            f"negative intermediate flow {z[i, j]:,.1f}", path=path, row=row, column=col
        )
    return z


def _value_added_rows(
    grid: Grid, num: NumFn, codes: list[int], path: Path
) -> tuple[dict[str, np.ndarray | None], np.ndarray, np.ndarray]:
    """Value-added rows 201-204 (None when absent), subsidies (205) and imports (200)."""
    n = len(codes)
    va = {}
    for rc, name in _ROW_VA.items():
        va[name] = np.array([num(rc, j) for j in codes]) if rc in grid.row_codes else None
    subsidies = (
        np.array([num(_ROW_SUBSIDIES, j) for j in codes])
        if _ROW_SUBSIDIES in grid.row_codes
        else np.zeros(n)
    )
    if _ROW_IMPORTS not in grid.row_codes:
        raise HilirDataError(f"{grid.where}: no imports row (code 200)", path=path)
    imports = np.array([num(_ROW_IMPORTS, j) for j in codes])
    return va, subsidies, imports


def _output(
    grid: Grid,
    num: NumFn,
    where: WhereFn,
    codes: list[int],
    path: Path,
) -> tuple[np.ndarray, list[tuple[int | None, str | None]]]:
    """Output by sector (column 600, else row 210) and where each value is."""
    if _OUTPUT_COL in grid.col_codes:
        output = np.array([num(i, _OUTPUT_COL) for i in codes])
        out_where = [where(i, _OUTPUT_COL) for i in codes]
    elif _ROW_TOTAL_INPUT in grid.row_codes:
        output = np.array([num(_ROW_TOTAL_INPUT, j) for j in codes])
        out_where = [where(_ROW_TOTAL_INPUT, j) for j in codes]
    else:
        raise HilirDataError(
            f"{grid.where}: neither output column 600 nor total-input row 210", path=path
        )
    return output, out_where


def _value_added_frame(
    va: dict[str, np.ndarray | None],
    net_taxes: np.ndarray | None,
    gva: np.ndarray,
    idx: pd.Index,
) -> pd.DataFrame:
    """Value-added rows x sectors; rows the table does not publish are NaN."""
    value_added = pd.DataFrame(
        {
            "wages": va["wages"] if va["wages"] is not None else np.nan,
            "operating_surplus": va["operating_surplus"]
            if va["operating_surplus"] is not None
            else np.nan,
            "depreciation": va["depreciation"] if va["depreciation"] is not None else np.nan,
            "net_indirect_taxes": net_taxes if net_taxes is not None else np.nan,
            "gross_value_added": gva,
        },
        index=idx,
    ).T
    value_added.index.name = "row"
    return value_added
