"""Direct jobs of :func:`hilir.jobs.jobs_from_scenario`: cited coefficients, checked.

A cited labour coefficient is used where its implied value added per direct job is plausible
against the processing sector's average value added per worker (thresholds in
:mod:`hilir.jobs.plausibility`); otherwise the IO sector's average workers per unit of output
counts the jobs. :func:`_direct_diagnostics` reports the check on every result row.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from hilir.jobs.multipliers import IOModel
from hilir.jobs.plausibility import min_va_per_worker_share, min_wage_idr_m_year
from hilir.schema.iotable import IOTable


@dataclass
class _DirectCheck:
    """Value added, wages and jobs of the processed rows, for the direct-jobs check.

    All in table units and persons: ``va`` and ``wages`` of the activity's own output at its IO
    sector's coefficients, ``jobs`` the direct jobs counted, ``io_jobs`` the jobs at the
    sector's average workers per unit of output (NaN without employment data).
    """

    va: float
    wages: float
    jobs: float
    io_jobs: float
    replaced: int = 0
    cited: float = float("nan")


def _direct_jobs(
    rows: pd.DataFrame,
    model: IOModel,
    ell: np.ndarray | None,
    coefs: pd.DataFrame,
    bound: str,
    pos: list[int],
    is_raw: np.ndarray,
    own: np.ndarray,
    direct_rule: str = "checked",
) -> tuple[float, list[str], list[str], list[str], _DirectCheck]:
    """Direct jobs (persons) of processed rows, with notes, sources, missing notes and check.

    A cited labour coefficient is used where it exists; with ``direct_rule="checked"`` it is
    replaced by the IO sector's average workers per unit of output when the value added per
    job it implies is below :func:`hilir.jobs.plausibility.min_va_per_worker_share` of the
    sector's average (``"cited"`` keeps it, ``"io_average"`` always uses the sector average).
    """
    notes: list[str] = []
    srcs: list[str] = []
    missing: list[str] = []
    direct = 0.0
    check = _DirectCheck(0.0, 0.0, 0.0, 0.0 if ell is not None else float("nan"))
    wage_coef = _wage_coefficients(model)
    floor = _min_wage_table_unit(model)
    cmap = coefs.set_index("product")
    for i, (product, tonnes, usd, j, raw) in enumerate(
        zip(rows["product"], rows["delta_t"], rows["delta_value_usd"], pos, is_raw, strict=True)
    ):
        if raw:
            continue
        va_i = float(own[i] * model.v[j])
        avg = float(ell[j] * own[i]) if ell is not None else float("nan")
        coef = cmap.loc[product] if product in cmap.index else None
        cited, note = _cited_jobs(product, coef, bound, tonnes, usd)
        if cited is not None and not np.isfinite(cited):
            missing.append(note)
            continue
        use_avg = ell is not None and (
            cited is None
            or direct_rule == "io_average"
            or (
                direct_rule == "checked"
                and _implausible(va_i, own[i] * wage_coef[j], cited, model.v[j] / ell[j], floor)
            )
        )
        if use_avg:
            jobs_i = avg
            notes.append(_average_note(model, product, coef, cited, va_i, ell, j, own[i]))
            check.replaced += cited is not None
        elif cited is not None:
            jobs_i = cited
            notes.append(note)
            srcs.append(f"{product}: {coef['source']}")
        else:
            missing.append(f"{product}: no labour coefficient and no employment data")
            continue
        direct += jobs_i
        check.va += va_i
        check.wages += float(own[i] * wage_coef[j])
        check.jobs += jobs_i
        check.io_jobs += avg
        if cited is not None:
            check.cited = cited + (0.0 if np.isnan(check.cited) else check.cited)
    return direct, notes, srcs, missing, check


def _cited_jobs(
    product: str, coef: pd.Series | None, bound: str, tonnes: float, usd: float
) -> tuple[float | None, str]:
    """Jobs from a cited labour coefficient and its note; None without one, NaN without tonnes."""
    if coef is None or coef["method"] == "none" or not np.isfinite(coef[bound]):
        return None, ""
    if coef["basis"] == "per_million_usd_output":
        qty, unit = float(usd) / 1e6, "million USD"
    else:
        qty, unit = float(tonnes) / 1000.0, "thousand t"
    if not np.isfinite(qty):
        return float("nan"), f"{product}: no tonnes"
    note = (
        f"{product}: {qty:,.2f} {unit} x {coef[bound]:g} workers "
        f"({coef['basis'].replace('_', ' ')}; {coef['method']}, reliability "
        f"{coef['reliability']})"
    )
    return float(coef[bound]) * qty, note


def _implausible(
    va: float, wages: float, jobs: float, sector_va_per_worker: float, floor: float | None
) -> bool:
    """True when a coefficient's jobs are more than the sector's accounts can pay.

    ``va / jobs`` below the stated share of the sector's average value added per worker, or
    ``wages / jobs`` below the minimum wage ``floor`` (same unit) when one is given.
    """
    if not (jobs > 0 and np.isfinite(sector_va_per_worker) and sector_va_per_worker > 0):
        return False
    low_wage = floor is not None and np.isfinite(wages) and wages / jobs < floor
    return va / jobs < min_va_per_worker_share() * sector_va_per_worker or bool(low_wage)


def _average_note(
    model: IOModel,
    product: str,
    coef: pd.Series | None,
    cited: float | None,
    va: float,
    ell: np.ndarray,
    j: int,
    own: float,
) -> str:
    """``basis`` text of direct jobs at the IO sector's average workers per unit of output."""
    code = model.codes[j]
    to_m = _to_idr_m(model)
    avg_va = model.v[j] / ell[j] * to_m
    if cited is None:
        why = "no labour-coefficient row" if coef is None else "labour coefficient NOT FOUND"
    elif cited > 0 and np.isfinite(avg_va):
        why = (
            f"the cited coefficient ({coef['source']}) would give {cited:,.0f} jobs, i.e. "
            f"Rp {va / cited * to_m:,.1f} m of value added per job against the sector average "
            f"Rp {avg_va:,.1f} m (implausible: below {min_va_per_worker_share():g} x the average"
            ", or a wage below the cited provincial minimum)"
        )
    else:
        why = "sector average chosen"
    return (
        f"{product}: {why}; IO sector {code} average of {ell[j] * 1000:.2f} workers per 1,000 "
        f"table units (value added Rp {avg_va:,.1f} m per worker) applied to the activity's own "
        f"output {own:,.0f} (value net of raw input; reliability low)"
    )


def _wage_coefficients(model: IOModel) -> np.ndarray:
    """Wages per unit of output of the model's sectors (NaN without a wages row)."""
    wages = model.table.value_added.loc["wages"].reindex(model.codes).astype(float)
    return wages.to_numpy() / model.x


def _min_wage_table_unit(model: IOModel) -> float | None:
    """The cited provincial minimum wage per worker-year in table units (None: none cited)."""
    floor = min_wage_idr_m_year(model.table.geography, model.table.year)
    return None if floor is None or model.table.unit != "juta Rp" else floor


def _to_idr_m(model: IOModel) -> float:
    """Million rupiah per table unit for notes (NaN for a table not in rupiah)."""
    return 1.0 if model.table.unit == "juta Rp" else float("nan")


def _direct_diagnostics(
    ck: _DirectCheck | None, table: IOTable, impossible: bool
) -> dict[str, object]:
    """Value added and wage per direct job, the sector average and the plausibility flag.

    Million rupiah per worker-year (rupiah tables only; NaN elsewhere). The flag is True when
    value added per direct job is below the stated share of the processing sector's average
    (:func:`hilir.jobs.plausibility.min_va_per_worker_share`) or the implied wage is below a
    cited provincial minimum wage; NA when it cannot be checked.
    """
    nan = float("nan")
    out: dict[str, object] = {
        "va_per_direct_job_idr_m": nan,
        "sector_va_per_worker_idr_m": nan,
        "wage_per_direct_job_idr_m": nan,
        "cited_direct_jobs": nan,
        "direct_implausible": pd.NA,
    }
    if impossible or ck is None or table.unit != "juta Rp" or not ck.jobs > 0:
        return out
    per_job = ck.va / ck.jobs
    wage = ck.wages / ck.jobs
    avg = ck.va / ck.io_jobs if ck.io_jobs > 0 else nan
    out["va_per_direct_job_idr_m"] = per_job
    out["wage_per_direct_job_idr_m"] = wage
    out["sector_va_per_worker_idr_m"] = avg
    out["cited_direct_jobs"] = ck.cited
    floor = min_wage_idr_m_year(table.geography, table.year)
    low_wage = floor is not None and np.isfinite(wage) and wage < floor
    if np.isfinite(avg):
        out["direct_implausible"] = bool(per_job < min_va_per_worker_share() * avg or low_wage)
    elif floor is not None and np.isfinite(wage):
        out["direct_implausible"] = bool(low_wage)
    return out
