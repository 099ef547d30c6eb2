"""Row and column codes of BPS input-output tables, and the checks of their identities.

Used by :mod:`hilir.sources.io_bps`: gross value added against its components, and output
against the sums of its uses and of its inputs.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from hilir.errors import HilirDataError
from hilir.sources._io_grid import Grid

#: A cell's value in juta Rp, by (row code, column code).
NumFn = Callable[[int, int], float]
#: Worksheet row and column of a cell, by (row code, column code).
WhereFn = Callable[[int, int], tuple[int | None, str | None]]

_FD_CODES: dict[int, str] = {
    301: "household",
    3011: "household",
    3012: "npish",
    302: "government",
    3020: "government",
    303: "investment",
    3030: "investment",
    304: "stock_change",
    3040: "stock_change",
    306: "exports_interprovincial",
    3050: "exports",
}
_FD_TOTAL = (309, 3090)
_TOTAL_DEMAND = (310, 3100)
_OUTPUT_COL = 600
_ROW_IMPORTS = 200
_ROW_VA = {201: "wages", 202: "operating_surplus", 203: "depreciation", 204: "indirect_taxes"}
_ROW_SUBSIDIES = 205
_ROW_GVA = 209
_ROW_TOTAL_INPUT = 210


def _gross_value_added(
    grid: Grid,
    va: dict[str, np.ndarray | None],
    subsidies: np.ndarray,
    num: NumFn,
    where: WhereFn,
    tol: Callable[[np.ndarray], np.ndarray],
    codes: list[int],
    path: object,
) -> tuple[np.ndarray, float]:
    """Gross value added (row 209, else the sum of its parts) and the sign of subsidies."""
    # gross value added and its parts
    parts = [v for v in va.values() if v is not None]
    if _ROW_GVA in grid.row_codes:
        gva = np.array([num(_ROW_GVA, j) for j in codes])
        if parts:
            base = np.sum(parts, axis=0)
            plus, minus = base + subsidies, base - subsidies
            ok_plus = np.abs(plus - gva) <= tol(gva)
            ok_minus = np.abs(minus - gva) <= tol(gva)
            if ok_plus.all():
                net_tax_sign = 1.0
            elif ok_minus.all():
                net_tax_sign = -1.0
            else:
                j = int(np.argmax(~ok_plus))
                row, col = where(_ROW_GVA, codes[j])
                raise HilirDataError(
                    f"gross value added {gva[j]:,.1f} is not the sum of rows 201-204(205) "
                    f"({plus[j]:,.1f})",
                    path=path,
                    row=row,
                    column=col,
                )
        else:
            net_tax_sign = 1.0
    else:
        if not parts:
            raise HilirDataError(f"{grid.where}: no value-added rows (201-209)", path=path)
        gva = np.sum(parts, axis=0) + subsidies
        net_tax_sign = 1.0
    return gva, net_tax_sign


def _check_identities(
    grid: Grid,
    *,
    z: np.ndarray,
    fd: pd.DataFrame,
    imports: np.ndarray,
    gva: np.ndarray,
    output: np.ndarray,
    out_where: list[tuple[int | None, str | None]],
    num: NumFn,
    where: WhereFn,
    tol: Callable[[np.ndarray], np.ndarray],
    codes: list[int],
    path: object,
) -> None:
    """Check that rows and columns add up to output and published totals to their parts."""
    # identities: rows and columns add up to output
    row_sum = z.sum(axis=1) + fd.to_numpy().sum(axis=1)
    bad = np.abs(row_sum - output) > tol(output)
    if bad.any():
        i = int(np.argmax(bad))
        row, col = out_where[i]
        raise HilirDataError(
            f"output of sector {codes[i]} ({output[i]:,.1f}) differs from intermediate plus "
            f"final demand ({row_sum[i]:,.1f})",
            path=path,
            row=row,
            column=col,
        )
    col_sum = z.sum(axis=0) + imports + gva
    bad = np.abs(col_sum - output) > tol(output)
    if bad.any():
        j = int(np.argmax(bad))
        row, col = where(
            _ROW_TOTAL_INPUT if _ROW_TOTAL_INPUT in grid.row_codes else _ROW_GVA, codes[j]
        )
        raise HilirDataError(
            f"inputs of sector {codes[j]} (intermediate + imports + value added = "
            f"{col_sum[j]:,.1f}) differ from its output ({output[j]:,.1f})",
            path=path,
            row=row,
            column=col,
        )
    if _ROW_TOTAL_INPUT in grid.row_codes and _OUTPUT_COL in grid.col_codes:
        total_input = np.array([num(_ROW_TOTAL_INPUT, j) for j in codes])
        bad = np.abs(total_input - output) > tol(output)
        if bad.any():
            j = int(np.argmax(bad))
            row, col = where(_ROW_TOTAL_INPUT, codes[j])
            raise HilirDataError(
                f"total input {total_input[j]:,.1f} differs from output {output[j]:,.1f} "
                "(column 600)",
                path=path,
                row=row,
                column=col,
            )
    for total_code in _FD_TOTAL:
        if total_code in grid.col_codes:
            published = np.array([num(i, total_code) for i in codes])
            bad = np.abs(published - fd.to_numpy().sum(axis=1)) > tol(published)
            if bad.any():
                i = int(np.argmax(bad))
                row, col = where(codes[i], total_code)
                raise HilirDataError(
                    f"total final demand {published[i]:,.1f} is not the sum of its "
                    f"categories ({fd.iloc[i].sum():,.1f})",
                    path=path,
                    row=row,
                    column=col,
                )
