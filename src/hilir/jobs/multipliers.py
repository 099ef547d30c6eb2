"""Sector multipliers and linkages of a real input-output table, with honest gaps.

:func:`build_model` turns an :class:`~hilir.schema.iotable.IOTable` into the matrices of the
open and the household-closed Leontief model; :func:`sector_multipliers` reports, for every
sector, output, value-added, import, income and employment multipliers (simple, Type I, Type
II) and the BPS linkage indices. Sectors with zero output (Lampung 2010: coal mining and
leather) are left out of the inversion and get NA with a reason, never an invented number;
nor do they enter any mean or total.

Household closure
-----------------
Type II multipliers close the model with respect to households (Miller and Blair 2009, section
2.5) with a closure of :mod:`hilir.jobs.households`: ``"wages"`` (default; wages induced,
consumption as a share of total household income) or ``"income"`` (wages plus the
table-implied household share of operating surplus, the same denominator). Lampung 2010 Type
II output multipliers: plantations 1.60 / 2.34, food industry 1.76 / 2.42.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from hilir.errors import HilirDataError
from hilir.jobs import leontief as lt
from hilir.jobs.households import (
    CLOSURES,
    Closure,
    household_coefficients,
    household_income,
    implied_operating_surplus_share,
)
from hilir.schema.iotable import IOTable

__all__ = [
    "CLOSURES",
    "IOModel",
    "active_sectors",
    "build_model",
    "household_income",
    "implied_operating_surplus_share",
    "sector_multipliers",
]

ForwardMethod = Literal["leontief", "ghosh"]


def active_sectors(table: IOTable) -> pd.Series:
    """Sectors with positive output (the others cannot have coefficients).

    Returns
    -------
    pandas.Series of bool
        Indexed by sector code.
    """
    return table.output > 0


@dataclass(frozen=True, eq=False)
class IOModel:
    """Matrices of one table over its active sectors (all in the table's unit).

    Attributes
    ----------
    table : IOTable
        The table the model was built from.
    codes : list of str
        Active sector codes (positive output), the order of every array.
    x : numpy.ndarray
        Output.
    A, L : numpy.ndarray
        Technical coefficients and Leontief inverse.
    v, m : numpy.ndarray
        Gross value added and imports per unit of output.
    h, c : numpy.ndarray or None
        Induced household income per unit of output; household consumption of domestic
        products per unit of total household income (:mod:`hilir.jobs.households`); None
        without a wages row.
    L_closed : numpy.ndarray or None
        Inverse of the household-closed model, (n+1) x (n+1); None without a wages row.
    closure : str
        ``"wages"`` or ``"income"``.
    operating_surplus_share : float
        Share :math:`s` of operating surplus in total household income (NaN without wages).
    total_income : float
        Total household income :math:`Y` (table unit; NaN without wages).
    """

    table: IOTable
    codes: list[str]
    x: np.ndarray
    A: np.ndarray
    L: np.ndarray
    v: np.ndarray
    m: np.ndarray
    h: np.ndarray | None
    c: np.ndarray | None
    L_closed: np.ndarray | None
    closure: str
    operating_surplus_share: float
    total_income: float

    def index(self, code: str) -> int:
        """Position of an active sector code."""
        return self.codes.index(code)


def build_model(
    table: IOTable,
    *,
    closure: Closure = "wages",
    operating_surplus_share: float | None = None,
) -> IOModel:
    r"""Open and household-closed Leontief model of a table's active sectors.

    Parameters
    ----------
    table : IOTable
        Domestic table at producer prices.
    closure : {"wages", "income"}, default "wages"
        Household closure (:mod:`hilir.jobs.households`).
    operating_surplus_share : float, optional
        Share of operating surplus in total household income; default the table-implied
        share.

    Returns
    -------
    IOModel

    Raises
    ------
    HilirDataError
        A coefficient matrix that is not productive, or bad closure options.

    Notes
    -----
    :math:`A = Z\\hat{x}^{-1}`, :math:`L = (I-A)^{-1}`; :math:`v_j = VA_j/x_j`,
    :math:`m_j = M_j/x_j`; :math:`h` and :math:`c` from
    :func:`hilir.jobs.households.household_coefficients` (:math:`c_i = C_i / Y`, Y total
    household income); :math:`\\bar{L} = (I-\\bar{A})^{-1}` with :math:`\\bar{A}` from
    :func:`hilir.jobs.leontief.closed_coefficients` (Miller and Blair 2009, section 2.5).
    """
    if closure not in CLOSURES:
        raise HilirDataError(f"closure must be one of {CLOSURES}, not {closure!r}")
    act = active_sectors(table)
    codes = [c for c in table.codes if act[c]]
    x = table.output[codes].to_numpy(dtype=float)
    Z = table.Z.loc[codes, codes].to_numpy(dtype=float)
    A = lt.technical_coefficients(Z, x)
    L = lt.leontief_inverse(A)
    v = table.value_added.loc["gross_value_added", codes].to_numpy(dtype=float) / x
    m = table.imports[codes].to_numpy(dtype=float) / x
    h = c = L_closed = None
    share = total = float("nan")
    if not table.value_added.loc["wages"].isna().all():
        h, c, total, share = household_coefficients(
            table, codes, closure=closure, operating_surplus_share=operating_surplus_share
        )
        closed = lt.closed_coefficients(A, h, c)
        rho = lt.spectral_radius(closed)
        if rho >= 1.0:
            raise HilirDataError(
                f"the model closed with households ({closure}) is not productive "
                f"(spectral radius {rho:.3f})"
            )
        L_closed = lt.leontief_inverse(closed)
    return IOModel(
        table=table,
        codes=codes,
        x=x,
        A=A,
        L=L,
        v=v,
        m=m,
        h=h,
        c=c,
        L_closed=L_closed,
        closure=closure,
        operating_surplus_share=share,
        total_income=total,
    )


#: Columns of :func:`sector_multipliers`, in order (before ``code`` and ``na_reason``).
_COLUMN_ORDER = [
    "name_id",
    "name_en",
    "output",
    "workers",
    "output_multiplier",
    "output_multiplier_type_ii",
    "backward_linkage",
    "forward_linkage",
    "value_added_coefficient",
    "import_coefficient",
    "value_added_multiplier",
    "import_multiplier",
    "income_coefficient",
    "income_multiplier",
    "income_type_i",
    "income_type_ii",
    "employment_coefficient",
    "employment_multiplier",
    "employment_type_i",
    "employment_type_ii",
    "jobs_per_idr_bn",
    "jobs_per_idr_bn_type_ii",
]

#: Rupiah billions per table unit, for jobs per Rp 1 billion (BPS tables are in juta Rp).
_IDR_BN_PER_UNIT = {"juta Rp": 1000.0}


def _put(out: pd.DataFrame, codes: list[str], name: str, values: np.ndarray) -> None:
    """Values over the model's sectors into column ``name`` of ``out`` (NA elsewhere)."""
    out[name] = pd.Series(np.asarray(values, dtype=float), index=codes).reindex(out.index)


def _put_family(
    out: pd.DataFrame,
    reasons: dict[str, list[str]],
    model: IOModel,
    name: str,
    coef: np.ndarray | None,
    zero_reason: str,
    none_reason: str,
) -> None:
    """``<name>_coefficient``, ``_multiplier`` (simple), ``_type_i``, ``_type_ii`` into ``out``."""
    codes = model.codes
    cols = [f"{name}_{part}" for part in ("coefficient", "multiplier", "type_i", "type_ii")]
    if coef is None:
        out[cols] = np.nan
        for c in codes:
            reasons[c].append(none_reason)
        return
    _put(out, codes, cols[0], coef)
    _put(out, codes, cols[1], lt.coefficient_multipliers(coef, model.L))
    _put(out, codes, cols[2], lt.type_i_multipliers(coef, model.L))
    if model.L_closed is not None:
        _put(out, codes, cols[3], lt.type_ii_multipliers(coef, model.L_closed))
    else:
        out[cols[3]] = np.nan
    for c, value in zip(codes, coef, strict=True):
        if value == 0:
            reasons[c].append(zero_reason)


def _put_workers(out: pd.DataFrame, workers: pd.Series | None, model: IOModel) -> np.ndarray | None:
    """Workers into ``out``; workers per unit of output over the model's sectors, or None."""
    codes = model.codes
    ell = None
    if workers is not None:
        w = workers.reindex(out.index)
        if w[codes].isna().any():
            missing = [c for c in codes if pd.isna(w[c])]
            raise HilirDataError(f"workers missing for sectors {missing[:5]}")
        out["workers"] = w.astype(float)
        ell = w[codes].to_numpy(dtype=float) / model.x
    else:
        out["workers"] = np.nan
    return ell


def _put_jobs_per_bn(out: pd.DataFrame, model: IOModel, ell: np.ndarray | None) -> None:
    """Jobs per Rp 1 billion of final demand, open and closed model (NA outside rupiah)."""
    per_bn = _IDR_BN_PER_UNIT.get(model.table.unit)
    cols = ["jobs_per_idr_bn", "jobs_per_idr_bn_type_ii"]
    if ell is None or per_bn is None:
        out[cols] = np.nan
        return
    n = len(model.codes)
    _put(out, model.codes, cols[0], per_bn * lt.coefficient_multipliers(ell, model.L))
    if model.L_closed is None:
        out[cols[1]] = np.nan
    else:
        closed = lt.coefficient_multipliers(ell, model.L_closed[:n, :n])
        _put(out, model.codes, cols[1], per_bn * closed)


def sector_multipliers(
    table: IOTable,
    *,
    workers: pd.Series | None = None,
    closure: Closure = "wages",
    operating_surplus_share: float | None = None,
    forward: ForwardMethod = "leontief",
) -> pd.DataFrame:
    r"""Multipliers and linkage indices of every sector of a table.

    Parameters
    ----------
    table : IOTable
        Domestic table at producer prices.
    workers : pandas.Series, optional
        Workers (persons) by sector code, e.g. from
        :func:`hilir.jobs.employment.employment_by_io_sector`. Without it, employment
        columns are NA with a reason.
    closure : {"wages", "income"}, default "wages"
        Household closure for income and Type II multipliers (:mod:`hilir.jobs.households`).
    operating_surplus_share : float, optional
        Share of operating surplus in total household income; default table-implied.
    forward : {"leontief", "ghosh"}, default "leontief"
        Forward linkage as BPS computes it (normalised row sums of the Leontief inverse) or
        from the Ghosh inverse.

    Returns
    -------
    pandas.DataFrame
        One row per sector in table order: ``code, name_id, name_en, output`` (table unit),
        ``workers`` (persons), ``output_multiplier`` (Type I), ``output_multiplier_type_ii``,
        ``backward_linkage``, ``forward_linkage``, ``value_added_coefficient``,
        ``import_coefficient`` (per unit of output), ``value_added_multiplier``,
        ``import_multiplier`` (per unit of final demand), ``income_coefficient``,
        ``income_multiplier`` (simple, per unit of final demand), ``income_type_i``,
        ``income_type_ii``, ``employment_coefficient`` (persons per table unit of output:
        per juta Rp for BPS tables), ``employment_multiplier`` (simple: persons per unit of
        final demand), ``employment_type_i``, ``employment_type_ii``, ``jobs_per_idr_bn``
        and ``jobs_per_idr_bn_type_ii`` (persons in the whole economy per Rp 1 billion of
        final demand for the sector, open and household-closed model: the ranking measure;
        NA for tables not in rupiah), and ``na_reason`` (empty when every value exists).
        ``attrs`` records unit, closure, operating-surplus share and total household
        income.

    Raises
    ------
    ValueError
        Unknown options, or a table that is not productive.

    Notes
    -----
    Multipliers use the column form :math:`eL` (Miller and Blair 2009, chapter 6); Type I
    = :math:`(eL)_j/e_j`, Type II = :math:`(e\\bar{L})_j/e_j`. Linkages are normalised over
    the active sectors only, so their mean is exactly 1. Zero-output sectors get NA with
    reason "zero output in the table"; sectors without workers get NA Type I and II
    employment multipliers with reason "no workers".
    """
    if forward not in ("leontief", "ghosh"):
        raise HilirDataError(f"forward must be 'leontief' or 'ghosh', not {forward!r}")
    model = build_model(table, closure=closure, operating_surplus_share=operating_surplus_share)
    codes = model.codes
    out = pd.DataFrame(index=pd.Index(table.codes, name="code"))
    out["name_id"] = table.sectors.set_index("code")["name_id"].reindex(out.index)
    out["name_en"] = table.sectors.set_index("code")["name_en"].reindex(out.index)
    out["output"] = table.output
    reasons: dict[str, list[str]] = {c: [] for c in table.codes}
    for c in table.codes:
        if c not in codes:
            reasons[c].append("zero output in the table")

    def put(name: str, values: np.ndarray) -> None:
        out[name] = pd.Series(np.asarray(values, dtype=float), index=codes).reindex(out.index)

    L = model.L
    put("output_multiplier", lt.output_multipliers(L))
    put("backward_linkage", lt.backward_linkage(L))
    if forward == "ghosh":
        Zs = table.Z.loc[codes, codes].to_numpy(dtype=float)
        put(
            "forward_linkage",
            lt.forward_linkage(lt.ghosh_inverse(lt.allocation_coefficients(Zs, model.x))),
        )
    else:
        put("forward_linkage", lt.forward_linkage(L))
    put("value_added_coefficient", model.v)
    put("import_coefficient", model.m)
    put("value_added_multiplier", lt.coefficient_multipliers(model.v, L))
    put("import_multiplier", lt.coefficient_multipliers(model.m, L))

    n = len(codes)
    has_income = model.L_closed is not None and model.h is not None
    if has_income:
        put("output_multiplier_type_ii", model.L_closed[:n, :n].sum(axis=0))
    else:
        out["output_multiplier_type_ii"] = np.nan
    _put_family(
        out,
        reasons,
        model,
        "income",
        model.h if has_income else None,
        "no household income",
        "no wages row: income and Type II not computed",
    )

    ell = _put_workers(out, workers, model)
    _put_family(out, reasons, model, "employment", ell, "no workers", "no employment data")
    _put_jobs_per_bn(out, model, ell)

    out = out[_COLUMN_ORDER]
    out["na_reason"] = pd.Series({c: "; ".join(r) for c, r in reasons.items()}).astype("string")
    out = out.reset_index()
    out.attrs.update(
        {
            "unit": table.unit,
            "source": table.source,
            "closure": model.closure,
            "operating_surplus_share": model.operating_surplus_share,
            "total_household_income": model.total_income,
            "forward": forward,
        }
    )
    return out
