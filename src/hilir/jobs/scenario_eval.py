"""Evaluation of :func:`hilir.jobs.jobs_from_scenario`: shocks, multipliers, result rows."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from hilir.errors import HilirDataError
from hilir.jobs.multipliers import IOModel
from hilir.jobs.scenario_direct import _direct_diagnostics, _direct_jobs, _DirectCheck
from hilir.jobs.scenario_spec import (
    _KEY,
    KINDS,
)
from hilir.schema.iotable import IOTable


@dataclass
class _Result:
    jobs: dict[str, float]
    va: dict[str, float]
    imports: dict[str, float]
    shock: pd.DataFrame
    direct_notes: list[str]
    direct_sources: list[str]
    direct_missing: list[str]
    s: float
    raw_only: bool
    processed_value: float = 0.0
    raw_value: float = 0.0
    check: _DirectCheck | None = None


def _evaluate(
    rows: pd.DataFrame,
    model: IOModel,
    ell: np.ndarray | None,
    coefs: pd.DataFrame,
    bound: str,
    raw_input: str,
    primary: np.ndarray,
    direct_rule: str = "checked",
) -> _Result:
    n = len(model.codes)
    values = rows["delta_value_usd"].to_numpy(dtype=float) * rows["_conv"].to_numpy(dtype=float)
    is_raw = rows["stage"].eq("raw").to_numpy()
    pos = [model.index(c) for c in rows["io_code"]]
    D, R = _processed_and_raw(values, pos, is_raw, n)
    Vp = D.sum()
    Rt = R.sum()
    recipe = raw_input == "recipe" and Vp != 0 and bool((~is_raw).any())
    s = Rt / Vp if Vp else float("nan")
    cm = _household_import_share(model)
    if recipe:
        own, direct_out, x1, xbar, va_dir, imp_dir = _recipe_flows(
            model, values, pos, is_raw, D, R, s, primary
        )
    else:
        # the scaled own output of each processed row: the part of its value that is not raw input
        own = np.where(is_raw, 0.0, values)
        direct_out, x1, xbar, va_dir, imp_dir = _average_flows(model, D, R)
    ind_out = x1 - direct_out
    va = {"direct": va_dir, "indirect": float(model.v @ ind_out)}
    imports = {"direct": imp_dir, "indirect": float(model.m @ ind_out)}
    if xbar is not None:
        x2 = xbar[:n]
        va["induced"] = float(model.v @ (x2 - x1))
        imports["induced"] = float(model.m @ (x2 - x1)) + cm * float(xbar[n])
    else:
        x2 = None
        va["induced"] = float("nan")
        imports["induced"] = float("nan")

    direct, notes, srcs, missing, check = _direct_jobs(
        rows, model, ell, coefs, bound, pos, is_raw, own, direct_rule
    )
    if not recipe and ell is not None and Rt:
        direct += float(ell @ (-R))
        notes.append("raw sectors' lost output at IO-average workers per unit of output")
    jobs_out = {"direct": float("nan") if missing else direct}
    if ell is not None:
        jobs_out["indirect"] = float(ell @ ind_out)
        jobs_out["induced"] = float(ell @ (x2 - x1)) if x2 is not None else float("nan")
    else:
        jobs_out["indirect"] = jobs_out["induced"] = float("nan")
    shock = _shock_frame(model, D, R)
    return _Result(jobs_out, va, imports, shock, notes, srcs, missing, s, Vp == 0, Vp, Rt, check)


def _processed_and_raw(
    values: np.ndarray, pos: list[int], is_raw: np.ndarray, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """Processed output added (D) and raw exports forgone (R, positive) by sector (table unit)."""
    D = np.zeros(n)
    R = np.zeros(n)
    for v, j, raw in zip(values, pos, is_raw, strict=True):
        if raw:
            R[j] -= v
        else:
            D[j] += v
    return D, R


def _recipe_flows(
    model: IOModel,
    values: np.ndarray,
    pos: list[int],
    is_raw: np.ndarray,
    D: np.ndarray,
    R: np.ndarray,
    s: float,
    primary: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None, float, float]:
    """Recipe shock: own output by row, direct output, x_I, closed-model output, direct VA, imports.

    The processor buys the forgone raw exports and its other inputs in its IO sector's
    proportions, rescaled to ``1 - s`` (raw and dropped primary rows zeroed).
    """
    n = len(model.codes)
    A = model.A
    # the scaled own output of each processed row: the part of its value that is not raw input
    own = np.where(is_raw, 0.0, values)
    drop = (R != 0) | primary
    nvec = np.zeros(n)
    hh = 0.0
    va_dir = imp_dir = 0.0
    for i, (v, j, raw) in enumerate(zip(values, pos, is_raw, strict=True)):
        if raw:
            continue
        alpha = A[drop, j].sum()
        if alpha >= 1.0:
            raise HilirDataError(f"sector {model.codes[j]} buys only from primary sectors")
        scale = v * (1.0 - s) / (1.0 - alpha)
        own[i] = scale
        col = A[:, j].copy()
        col[drop] = 0.0
        nvec += scale * col
        va_dir += scale * model.v[j]
        imp_dir += scale * model.m[j]
        if model.h is not None:
            hh += scale * model.h[j]
    direct_out = D
    x1 = D + model.L @ nvec
    xbar = None
    if model.L_closed is not None:
        xbar = np.append(D, 0.0) + model.L_closed @ np.append(nvec, hh)
    return own, direct_out, x1, xbar, va_dir, imp_dir


def _average_flows(
    model: IOModel, D: np.ndarray, R: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, float, float]:
    """Textbook shock x = L delta f: direct output, x_I, closed-model output, direct VA, imports."""
    dF = D - R
    direct_out = dF
    x1 = model.L @ dF
    va_dir = float(model.v @ dF)
    imp_dir = float(model.m @ dF)
    xbar = model.L_closed @ np.append(dF, 0.0) if model.L_closed is not None else None
    return direct_out, x1, xbar, va_dir, imp_dir


def _shock_frame(model: IOModel, D: np.ndarray, R: np.ndarray) -> pd.DataFrame:
    """Final-demand shock by IO sector (table unit), sectors with a change only."""
    shock = pd.DataFrame(
        {
            "io_code": model.codes,
            "final_demand_change": D - R,
            "processed_output": D,
            "raw_exports_forgone": R,
        }
    )
    return shock[(shock["processed_output"] != 0) | (shock["raw_exports_forgone"] != 0)]


def _household_import_share(model: IOModel) -> float:
    """Households' imported consumption per unit of total household income (:math:`C_m / Y`)."""
    t = model.table
    if model.h is None or t.imports_final_demand is None:
        return 0.0
    income = float(model.total_income)
    c_imp = float(t.imports_final_demand.get("household", 0.0))
    return c_imp / income if income > 0 else 0.0


def _total(values: dict[str, float]) -> float:
    parts = [values[k] for k in ("direct", "indirect", "induced") if np.isfinite(values[k])]
    return float(np.sum(parts)) if parts else float("nan")


def _pick(results: dict[tuple, _Result], bound: str, central: tuple) -> tuple:
    if bound == "central" or len(results) == 1:
        return central if central in results else next(iter(results))
    scored = {k: _total(r.jobs) for k, r in results.items()}
    finite = {k: v for k, v in scored.items() if np.isfinite(v)}
    if not finite:
        scored = {k: _total(r.va) for k, r in results.items()}
        finite = {k: v for k, v in scored.items() if np.isfinite(v)}
        if not finite:
            return central if central in results else next(iter(results))
    return (min if bound == "low" else max)(finite, key=finite.get)


def _result_rows(
    res: _Result,
    key: dict,
    bound: str,
    combo: tuple,
    table: IOTable,
    settings: dict,
    emp_sources: list[str],
    raw_input: str,
    n_combos: int,
    source_keys: str = "",
) -> list[dict[str, object]]:
    to_idr = float(settings["table_unit_to_idr_m"])  # type: ignore[arg-type]
    sources_common = _common_sources(table, emp_sources)
    bases = _bases(res, bound, combo, table, settings, raw_input, n_combos)
    na, complete = _na_reasons(res, table)
    total_jobs = _total(res.jobs)
    impossible = _impossible(res)
    if impossible:
        na = dict.fromkeys(KINDS, _impossible_reason(res, bound, to_idr))
    diag = _direct_diagnostics(res.check, table, impossible)
    rows = []
    for kind in KINDS:
        if impossible:
            jobs = va = imp = float("nan")
            comp = False
        elif kind == "total":
            jobs, va, imp = total_jobs, _total(res.va), _total(res.imports)
            comp = complete and np.isfinite(res.va["induced"])
        else:
            jobs, va, imp = res.jobs[kind], res.va[kind], res.imports[kind]
            comp = bool(np.isfinite(jobs) and np.isfinite(va))
        src = sources_common
        if kind in ("direct", "total") and res.direct_sources:
            src += "; labour coefficients: " + " | ".join(dict.fromkeys(res.direct_sources))
        if kind == "total":
            src += f"; exchange rate: {settings['usd_to_idr_source']}"
        rows.append(
            {
                "geography": table.geography,
                "table_source": table.source,
                **key,
                "kind": kind,
                "bound": bound,
                "jobs": jobs,
                "value_added_idr_m": va * to_idr if np.isfinite(va) else float("nan"),
                "import_leakage_idr_m": imp * to_idr if np.isfinite(imp) else float("nan"),
                **diag,
                "complete": comp,
                "basis": bases[kind],
                "sources": src,
                "source": source_keys,
                "na_reason": na[kind],
            }
        )
    return rows


def _common_sources(table: IOTable, emp_sources: list[str]) -> str:
    """The ``sources`` text shared by every kind: the table and the employment data."""
    return "; ".join(
        [
            table.source,
            *[f"{s} (CC BY-NC 4.0)" if s.startswith("sakernas") else s for s in emp_sources],
        ]
    )


def _shock_note(res: _Result, raw_input: str) -> str:
    """How the shock was built (``basis`` text)."""
    if res.raw_only:
        return "raw exports lost with no processed output: textbook shock L x delta f"
    if raw_input == "recipe":
        return (
            f"net shock: processed output added minus raw exports forgone; the processor buys the "
            f"forgone raw exports (raw cost share s = {res.s:.3f}) and its other inputs in its IO "
            "sector's proportions"
        )
    return "net shock delta f = processed output added minus raw exports forgone; x = L delta f"


def _bases(
    res: _Result,
    bound: str,
    combo: tuple,
    table: IOTable,
    settings: dict,
    raw_input: str,
    n_combos: int,
) -> dict[str, str]:
    """The ``basis`` text of each kind: how its numbers were made."""
    inc, rule = combo
    emp_note = (
        f"workers by IO sector: Sakernas sector totals spread by {rule.replace('_', ' ')}"
        if rule not in (None, "given")
        else ("workers by IO sector as given" if rule == "given" else "no employment accounts")
    )
    income_note = (
        "households closed over wages (consumption coefficients = shares of total household income)"
        if inc == "wages"
        else "households closed over wages + the table-implied household share of operating "
        "surplus (consumption coefficients = shares of total household income)"
    )
    pick_note = (
        ""
        if n_combos == 1 or bound == "central"
        else f"; {bound} bound = the {'fewest' if bound == 'low' else 'most'} jobs over "
        f"{n_combos} combinations of household closure and employment spreading rule"
    )
    fx = (
        f"USD converted at Rp {settings['usd_to_idr']:,.1f}/USD "
        f"({settings['usd_to_idr_source']}); price factors {settings['price_factor']} "
        f"({settings['price_factor_basis']})"
    )
    how = _shock_note(res, raw_input)
    src_table = table.source
    return {
        "direct": "Direct jobs from labour coefficients: "
        + ("; ".join(res.direct_notes) or "none")
        + f". Direct value added and imports: {how}.",
        "indirect": f"Type I (Leontief inverse of {src_table}): suppliers' extra output x "
        f"workers per unit of output; {emp_note}. {how}.",
        "induced": f"Type II: {income_note}; induced output x workers per unit of output; "
        f"{emp_note}. Induced import leakage includes households' imported consumption.",
        "total": f"direct + indirect + induced. {fx}{pick_note}.",
    }


def _na_reasons(res: _Result, table: IOTable) -> tuple[dict[str, str], bool]:
    """Why each kind is missing or incomplete (``na_reason``), and whether all jobs are known."""
    na: dict[str, str] = {k: "" for k in KINDS}
    if not np.isfinite(res.jobs["direct"]):
        na["direct"] = "direct jobs: " + "; ".join(res.direct_missing)
    if not np.isfinite(res.jobs["indirect"]):
        na["indirect"] = (
            f"no workers by IO sector for {table.source} (WIOD has no employment accounts; "
            "pass employment= to add them): indirect jobs not estimated"
        )
    if not np.isfinite(res.jobs["induced"]):
        na["induced"] = (
            "induced jobs not estimated: no employment accounts or no wages row (household "
            "income) in the table"
        )
    if not np.isfinite(res.va["induced"]):
        na["induced"] = (na["induced"] + "; " if na["induced"] else "") + (
            "no wages row: induced value added not estimated"
        )
    complete = all(np.isfinite(res.jobs[k]) for k in ("direct", "indirect", "induced"))
    if not complete:
        left = [k for k in ("direct", "indirect", "induced") if not np.isfinite(res.jobs[k])]
        na["total"] = f"total jobs leave out {', '.join(left)} (not estimable)"
    return na, complete


def _impossible_reason(res: _Result, bound: str, to_idr: float) -> str:
    """``na_reason`` of an impossible bound; ``to_idr`` is million rupiah per table unit."""
    v_idr, r_idr = res.processed_value * to_idr, res.raw_value * to_idr
    return (
        f"impossible scenario bound: the processed output (Rp {v_idr:,.0f} million) is worth "
        f"less than the raw exports it replaces (Rp {r_idr:,.0f} million; raw cost share "
        f"s = {res.s:.3f} > 1), so the processing would add negative value; check the "
        f"{bound} unit values of the scenario (hilir.value.scenario: its low bound pairs the "
        "low processed with the high raw unit value): jobs, value added and imports not "
        "estimated"
    )


def _impossible(res: _Result) -> bool:
    """True when the processed output is worth less than the raw exports it replaces (s > 1)."""
    return (
        not res.raw_only
        and res.processed_value > 0
        and res.raw_value > 0
        and bool(np.isfinite(res.s))
        and res.s > 1.0
    )


def _source_keys(table: IOTable, emp_sources: list[str], changes: pd.DataFrame) -> str:
    """Provenance keys of a result, joined with ``+``: table, employment, the changes' own.

    Free-text entries (``employment given by the user``) are not keys and are left out.
    """
    values = [table.source, *emp_sources]
    if "source" in changes.columns:
        values += [str(v) for v in changes["source"].dropna().unique()]
    keys = {k for v in values for k in re.split(r"\s*[+;,]\s*", str(v)) if _KEY.fullmatch(k)}
    return "+".join(sorted(keys))
