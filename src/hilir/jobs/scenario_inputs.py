"""Inputs of :func:`hilir.jobs.jobs_from_scenario`: price factors, currency, labour vectors."""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Literal

import numpy as np
import pandas as pd

from hilir.errors import HilirDataError, HilirDataWarning, caller_stacklevel
from hilir.jobs import defaults
from hilir.jobs.employment import SPREAD_RULES, employment_by_io_sector
from hilir.jobs.households import CLOSURES
from hilir.jobs.multipliers import IOModel
from hilir.jobs.scenario_spec import BOUNDS, CHANGE_COLUMNS, GEOGRAPHIES, GEOGRAPHY_NAMES, STAGES
from hilir.schema.iotable import IOTable


def price_factors(prices: pd.DataFrame, *, to_year: int, series: str = "MUV") -> dict[int, float]:
    """Factors that turn USD of each year into USD of ``to_year`` with a price index.

    Parameters
    ----------
    prices : pandas.DataFrame
        The prices table (``series``, ``year``, ``month``, ``price``), e.g. the World Bank
        Pink Sheet with its ``MUV`` index (manufactures unit value, 2010 = 100).
    to_year : int
        The IO table's year.
    series : str, default "MUV"

    Returns
    -------
    dict
        ``{year: index[to_year] / index[year]}`` for every annual value of the series.
    """
    sel = prices[(prices["series"] == series)]
    if "month" in sel.columns:
        sel = sel[sel["month"].isna()]
    idx = sel.groupby("year")["price"].mean()
    if to_year not in idx.index:
        raise HilirDataError(f"{series} has no annual value for {to_year}")
    return {int(y): float(idx[to_year] / v) for y, v in idx.items() if v > 0}


def _currency(
    ch: pd.DataFrame,
    table: IOTable,
    usd_to_idr: float | None,
    price_factor: float | Mapping[int, float] | Literal["muv"] | None,
) -> dict[str, object]:
    if usd_to_idr is None:
        rate, rate_source = defaults.default_usd_idr_rate(table.year)
    else:
        rate, rate_source = float(usd_to_idr), "given by the user"
    if not rate > 0:
        raise HilirDataError("usd_to_idr must be positive")
    years = sorted(int(y) for y in ch["year"].unique())
    basis_muv = None
    if isinstance(price_factor, str):
        if price_factor != "muv":
            raise HilirDataError(
                f"price_factor must be a number, a mapping or 'muv', not {price_factor!r}"
            )
        muv = price_factors(defaults.muv_prices(), to_year=table.year)
        missing = [y for y in years if y not in muv]
        if missing:
            raise HilirDataError(f"the shipped MUV index has no value for years {missing}")
        price_factor = {y: muv[y] for y in years}
        basis_muv = (
            f"World Bank MUV index (Pink Sheet, wb_pinksheet_annual_workbook): USD of each "
            f"year to USD of {table.year}"
        )
    if price_factor is None:
        factors = dict.fromkeys(years, 1.0)
        other = [y for y in years if y != table.year]
        if other:
            warnings.warn(
                f"scenario values are in USD of {other}, the {table.source} table is in "
                f"{table.year} prices; no price_factor given, so values are not deflated",
                HilirDataWarning,
                stacklevel=caller_stacklevel(),
            )
        basis = "none (1.0)"
    elif isinstance(price_factor, Mapping):
        missing = [y for y in years if y not in price_factor]
        if missing:
            raise HilirDataError(f"price_factor has no value for years {missing}")
        factors = {y: float(price_factor[y]) for y in years}
        basis = basis_muv or "given by year"
    else:
        factors = dict.fromkeys(years, float(price_factor))
        basis = "given"
    # USD -> table unit
    to_unit = rate / 1e6 if table.unit == "juta Rp" else 1e-6
    # table unit -> juta Rp (for reporting)
    report = 1.0 if table.unit == "juta Rp" else rate
    return {
        "usd_to_idr": rate,
        "usd_to_idr_source": rate_source,
        "price_factor": factors,
        "price_factor_basis": basis,
        "usd_to_table_unit": to_unit,
        "table_unit_to_idr_m": report,
        "table_unit": table.unit,
        "table_year": table.year,
    }


def _labour_vectors(
    table: IOTable, model: IOModel, employment: pd.DataFrame | pd.Series | None, rule: str
) -> tuple[dict[str | None, np.ndarray], list[str]]:
    """Workers per unit of output over the model's sectors, by spreading rule."""
    if isinstance(employment, pd.Series):
        w = employment.reindex(model.codes)
        if w.isna().any():
            raise HilirDataError(f"employment lacks sectors {list(w.index[w.isna()])[:5]}")
        return {"given": w.to_numpy(dtype=float) / model.x}, ["employment given by the user"]
    if employment is None:
        if table.unit != "juta Rp" or table.classification is None:
            return {}, []
        employment = defaults.default_employment(table.year)
    rules = list(SPREAD_RULES) if rule == "range" else [rule]
    if table.value_added.loc["wages"].isna().all():
        rules = [r for r in rules if r != "wages"]
    out: dict[str | None, np.ndarray] = {}
    sources: set[str] = set()
    for r in rules:
        e = employment_by_io_sector(table, employment, rule=r)  # type: ignore[arg-type]
        w = e.set_index("code")["workers"].reindex(model.codes)
        out[r] = w.to_numpy(dtype=float) / model.x
        sources.update(e["source"].iloc[0].split(","))
    return out, sorted(sources)


def _map_products(
    ch: pd.DataFrame, table: IOTable, smap: pd.DataFrame, model: IOModel
) -> pd.DataFrame:
    key = table.classification or table.source
    m = smap[smap["classification"] == key].set_index("product")
    codes = []
    for product, line in zip(ch["product"], ch["_line"], strict=True):
        if product not in m.index:
            raise HilirDataError(
                f"product {product!r} has no IO sector in the map for {key!r}",
                row=int(line),
                column="product",
            )
        code = str(m.loc[product, "io_code"])
        if not code:
            raise HilirDataError(
                f"product {product!r} is not mapped to {table.source}: {m.loc[product, 'basis']}",
                row=int(line),
                column="product",
            )
        if code not in model.codes:
            name = table.sectors.set_index("code")["name_id"].get(code, "")
            raise HilirDataError(
                f"product {product!r} maps to sector {code} ({name}), which has zero output in "
                f"{table.source}; the table cannot carry this shock",
                row=int(line),
                column="product",
            )
        codes.append(code)
    out = ch.copy()
    out["io_code"] = codes
    return out


def _primary_mask(table: IOTable, model: IOModel) -> np.ndarray:
    """Agriculture, forestry, fishing and mining sectors (Sakernas agri/mining groups)."""
    from hilir.refdata.io_sectors import sector_classifications

    if table.classification is None:
        return np.zeros(len(model.codes), dtype=bool)
    ref = sector_classifications()
    ref = ref[ref["classification"] == table.classification].set_index("code")
    group = ref["sakernas_sector"].reindex(model.codes)
    return group.isin(("agri", "agr", "mining", "min")).to_numpy()


# --------------------------------------------------------------------------------------------
# checks of the options and the changes


def _check_options(
    geography: str,
    closure: str,
    employment_rule: str,
    raw_input: str,
    primary_inputs: str,
) -> None:
    """Refuse unknown option values, in the order of the signature."""
    _check_option("geography", geography, GEOGRAPHIES)
    _check_option("closure", closure, (*CLOSURES, "range"))
    _check_option("employment_rule", employment_rule, (*SPREAD_RULES, "range"))
    _check_option("raw_input", raw_input, ("recipe", "average"))
    _check_option("primary_inputs", primary_inputs, ("raw_only", "sector_average"))


def _check_option(name: str, value: object, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise HilirDataError(f"{name} must be one of {allowed}, not {value!r}")


def _check_changes(changes: pd.DataFrame, geography: str) -> pd.DataFrame:
    missing = [c for c in CHANGE_COLUMNS if c not in changes.columns]
    if missing:
        raise HilirDataError(f"scenario changes lack columns {missing}", column=missing[0])
    ch = changes.copy()
    ch["_line"] = np.arange(len(ch)) + 1
    for col in ("chain", "product", "stage", "bound"):
        ch[col] = ch[col].astype(str)
    bad = ~ch["bound"].isin(BOUNDS)
    if bad.any():
        i = int(np.argmax(bad.to_numpy()))
        raise HilirDataError(
            f"bound {ch['bound'].iloc[i]!r} is not low, central or high", row=i + 1, column="bound"
        )
    for col in ("delta_t", "delta_value_usd", "year"):
        ch[col] = pd.to_numeric(ch[col], errors="coerce")
    zero = ch["delta_value_usd"].fillna(0).eq(0) & ch["delta_t"].fillna(0).eq(0)
    mixed = ch["stage"].eq("mixed") & ~zero
    if mixed.any():
        i = int(np.argmax(mixed.to_numpy()))
        raise HilirDataError(
            f"{ch['product'].iloc[i]!r} is a mixed-stage item: split it into stages before "
            "computing jobs",
            row=i + 1,
            column="stage",
        )
    bad = ~ch["stage"].isin((*STAGES, "mixed"))
    if bad.any():
        i = int(np.argmax(bad.to_numpy()))
        raise HilirDataError(
            f"stage {ch['stage'].iloc[i]!r} is not one of {STAGES}", row=i + 1, column="stage"
        )
    ch = ch.loc[~zero].copy()
    for col in ("delta_value_usd", "year"):
        bad = ch[col].isna()
        if bad.any():
            i = int(ch.loc[bad, "_line"].iloc[0])
            raise HilirDataError("value is missing", row=i, column=col)
    if "geography" in ch.columns:
        names = GEOGRAPHY_NAMES.get(geography, {geography.lower()})
        other = ~ch["geography"].astype(str).str.strip().str.lower().isin(names)
        if other.any():
            i = int(ch.loc[other, "_line"].iloc[0])
            raise HilirDataError(
                f"the changes are for {ch.loc[other, 'geography'].iloc[0]!r}, the jobs are asked "
                f"for {geography!r}",
                row=i,
                column="geography",
            )
    key = ["chain", "product", "stage", "bound"] + (["share"] if "share" in ch.columns else [])
    dup = ch.duplicated(key)
    if dup.any():
        i = int(ch.loc[dup, "_line"].iloc[0])
        raise HilirDataError(
            "the same (chain, product, stage, bound) appears twice", row=i, column="product"
        )
    return ch
