"""Jobs from a downstreaming scenario: direct, indirect (Type I) and induced (Type II) jobs.

The value model (:func:`hilir.value.scenario_changes`) says which raw exports are forgone and
which processed output replaces them; :func:`jobs_from_scenario` turns those changes into a
net final-demand shock on a real input-output table and reports jobs, domestic value added
and import leakage, each low / central / high, with the geography and table it used.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from hilir.errors import HilirDataError, HilirDataWarning
from hilir.jobs.employment import SPREAD_RULES, employment_by_io_sector, labour_coefficients
from hilir.jobs.multipliers import INCOME_DEFINITIONS, IOModel, build_model
from hilir.sources.io_tables import IOTable

Geography = Literal["ID-LA", "IDN", "ID-BB"]
GEOGRAPHIES: tuple[str, ...] = ("ID-LA", "IDN", "ID-BB")
BOUNDS: tuple[str, ...] = ("low", "central", "high")
KINDS: tuple[str, ...] = ("direct", "indirect", "induced", "total")
STAGES: tuple[str, ...] = ("raw", "intermediate", "processed")
CHANGE_COLUMNS: tuple[str, ...] = (
    "chain",
    "product",
    "stage",
    "bound",
    "delta_t",
    "delta_value_usd",
    "year",
)
RESULT_COLUMNS: tuple[str, ...] = (
    "geography",
    "table_source",
    "chain",
    "kind",
    "bound",
    "jobs",
    "value_added_idr_m",
    "import_leakage_idr_m",
    "complete",
    "basis",
    "sources",
    "source",
    "na_reason",
)
#: Spellings accepted in a ``geography`` column of the changes (codes or the value model's labels).
GEOGRAPHY_NAMES: dict[str, set[str]] = {
    "ID-LA": {"id-la", "lampung"},
    "IDN": {"idn", "indonesia"},
    "ID-BB": {"id-bb", "bangka belitung", "kepulauan bangka belitung"},
}
_CENTRAL_INCOME = "wages_plus_os"
#: A provenance key (``bps_lampung_io2010``); free text is not one.
_KEY = re.compile(r"[a-z][a-z0-9_]*")
_CENTRAL_RULE = "value_added"


def jobs_from_scenario(
    changes: pd.DataFrame,
    *,
    geography: Geography,
    table: IOTable | None = None,
    employment: pd.DataFrame | pd.Series | None = None,
    usd_to_idr: float | None = None,
    price_factor: float | Mapping[int, float] | Literal["muv"] | None = None,
    income_definition: Literal["wages", "wages_plus_os", "range"] = "range",
    operating_surplus_share: float | None = None,
    employment_rule: Literal["value_added", "output", "wages", "range"] = "range",
    raw_input: Literal["recipe", "average"] = "recipe",
    primary_inputs: Literal["raw_only", "sector_average"] = "raw_only",
    coefficients: pd.DataFrame | None = None,
    sector_map: pd.DataFrame | None = None,
) -> pd.DataFrame:
    r"""Direct, indirect and induced jobs, value added and import leakage of a scenario.

    Parameters
    ----------
    changes : pandas.DataFrame
        The value model's changes, one row per (chain, product, stage, bound) and, when the
        value model ran a grid of shares, per ``share``. Columns: ``chain``, ``product``
        (registry key), ``stage`` (``raw`` | ``intermediate`` | ``processed``; ``mixed``
        items must be split first), ``bound`` (``low`` | ``central`` | ``high``), ``delta_t``
        (tonnes of product: + processed output added, - raw exports forgone),
        ``delta_value_usd`` (US dollars, same sign convention), ``year`` (price year of the
        values); optional ``share`` and ``geography`` (the same place as ``geography``,
        as a code or a name: ``ID-LA`` or ``Lampung``, ``IDN`` or ``Indonesia``).
        :func:`hilir.value.scenario_changes` returns this frame.
    geography : {"ID-LA", "IDN", "ID-BB"}
        Where the jobs are counted: Lampung (BPS Lampung 2010 table), Indonesia (WIOD
        national table) or Bangka Belitung (BPS 2015 table, for tin). Mineral processing is
        not mapped to the Lampung table (its basic-metals sector had Rp 43 bn of output in
        2010): use ``"IDN"``, or ``"ID-BB"`` for tin.
    table : IOTable, optional
        Table to use; default the shipped table of the geography
        (:func:`hilir.data.jobs_inputs.load_io_table`).
    employment : pandas.DataFrame or pandas.Series, optional
        Sakernas employment table (:func:`hilir.sources.sakernas.read_sakernas`), spread to IO
        sectors by the rules of ``employment_rule``; or workers (persons) by IO sector code,
        used as given. Default: the shipped Sakernas files for a provincial table, none for
        WIOD (which has no employment accounts: indirect and induced jobs are then NA).
    usd_to_idr : float, optional
        Rupiah per US dollar in the table's year, to put dollar values into a rupiah table and
        to report value added in rupiah. Default :func:`hilir.data.jobs_inputs.usd_idr_rate` of the
        table year (World Bank WDI annual average, e.g. Rp 9,090.4 per USD in 2010, flagged
        "to verify").
    price_factor : float, mapping of int to float, or "muv", optional
        Multiplier that turns USD of each scenario price year into USD of the table's year
        (e.g. ``MUV[table_year] / MUV[year]`` from the World Bank Pink Sheet, see
        :func:`price_factors`). ``"muv"`` computes these factors from the shipped MUV index
        (manufactures unit value, 2010 = 100). Default 1.0, with a
        :class:`~hilir.errors.HilirDataWarning` when a scenario year differs from the table
        year.
    income_definition : {"wages", "wages_plus_os", "range"}, default "range"
        Household income that closes the model for induced jobs
        (:mod:`hilir.jobs.multipliers`). ``"range"`` uses both: the central value uses
        ``"wages_plus_os"``, and low / high take the lower / higher result.
    operating_surplus_share : float, optional
        Share of operating surplus counted as household income; default the table-implied
        share (:func:`hilir.jobs.multipliers.implied_operating_surplus_share`, Lampung 2010:
        0.65).
    employment_rule : {"value_added", "output", "wages", "range"}, default "range"
        How Sakernas sector workers are spread to IO sectors
        (:func:`hilir.jobs.employment.employment_by_io_sector`). ``"range"``: central
        ``"value_added"``, low / high the lower / higher result of the three rules.
    raw_input : {"recipe", "average"}, default "recipe"
        How the processing activity buys its raw material (Notes).
    primary_inputs : {"raw_only", "sector_average"}, default "raw_only"
        With ``"recipe"``: whether the processor buys farm, forestry, fishery and mining
        products only through the forgone raw exports (``"raw_only"``), or also the other
        primary inputs of its IO sector's average column (``"sector_average"``; Notes).
    coefficients : pandas.DataFrame, optional
        Labour coefficients; default :func:`hilir.jobs.employment.labour_coefficients`.
    sector_map : pandas.DataFrame, optional
        Product-to-IO-sector map (``classification, product, io_code, basis``); default
        :func:`hilir.data.jobs_inputs.io_sector_map`. Rows are those of the table's classification,
        or of its source key for a table hilir does not know.

    Returns
    -------
    pandas.DataFrame
        Tidy, one row per (chain, [share,] kind, bound): ``geography``, ``table_source``
        (provenance key of the table), ``chain``, ``kind`` (``direct`` | ``indirect`` |
        ``induced`` | ``total``), ``bound``, ``jobs`` (persons; full-year jobs as counted
        by Sakernas, not full-time equivalents), ``value_added_idr_m`` and
        ``import_leakage_idr_m`` (million rupiah of the table year; WIOD results converted
        at ``usd_to_idr``), ``complete`` (False when a component could not be estimated and
        the total leaves it out, or the whole bound is impossible, see Notes), ``basis``
        (how the number was made), ``sources`` (provenance keys and cited sources, free
        text), ``source`` (the provenance keys alone, joined with ``+``: the table, the
        employment data and any ``source`` keys of ``changes``, e.g.
        ``bps_lampung_io2010+sakernas_prov_sect9_2010_2014``; charts read it),
        ``na_reason``. ``attrs["shocks"]`` holds the final-demand shock by chain, bound
        and IO sector (table unit) and ``attrs["settings"]`` the exchange rate, price
        factors and options used.

    Raises
    ------
    HilirDataError
        Missing columns, unknown bounds or stages, a ``mixed`` stage with a change, the same
        (chain, product, stage, bound) twice, a product that is not mapped to the table (with
        the reason, e.g. mineral processing in Lampung), or a product mapped to a sector with
        zero output. ``row`` is the 1-based position of the offending row in ``changes``.
    ValueError
        Unknown options, a geography other than the table's.

    Notes
    -----
    *Net final-demand shock.* For each chain and bound, processed output added (value
    :math:`V_k`, in the IO sector :math:`p_k` of product :math:`k`) enters final demand with a
    plus sign and raw exports forgone (value :math:`R_r` in raw sector :math:`r`) with a minus
    sign: :math:`\\Delta f = \\sum_k V_k e_{p_k} - \\sum_r R_r e_r` (for coffee in Lampung,
    sector 13 up, sector 3 down). Farm output that used to be exported raw is therefore not
    counted as new.

    *Raw input ("recipe").* The raw product is not destroyed: the processor now buys it. A
    sector's average input column understates this (Lampung's food industry buys 3.8 % of
    its output value from plantations, roasting coffee needs most of its value in beans),
    so with ``"recipe"`` the new processing activity buys the forgone raw exports
    (:math:`s = \\sum R / \\sum V`, the raw cost share) and its other inputs, value added
    and imports in the proportions of its IO sector, rescaled to the remaining
    :math:`1 - s`: first-round purchases
    :math:`n = \\sum_k V_k \\frac{1-s}{1-\\alpha_k} a_{\\cdot p_k}` (raw sectors' rows set to
    zero, :math:`\\alpha_k` their coefficient sum). The raw sectors' output is then
    unchanged, and :math:`x_I = D + Ln`, where :math:`D` is the processed output. With
    ``primary_inputs="raw_only"`` the other primary sectors' rows (agriculture, forestry,
    fishing, mining: the Sakernas agriculture and mining groups) are zeroed too: a roaster,
    refinery or smelter processes one primary commodity, which the scenario supplies; the
    food industry's purchases of rice, livestock or fish in the average column belong to its
    other activities (rice milling, fish processing) and would add farm jobs that the
    processing does not create. With
    ``"average"`` the textbook shock is used: :math:`x_I = L\\Delta f` (raw sectors lose
    their output, only partly bought back at the sector's average coefficient), and the
    raw sectors' lost output counts as direct (IO-average jobs). Both give zero change for
    :math:`\\Delta f = 0`.

    *Jobs.* Direct jobs: labour coefficients (workers per 1,000 t, low / central / high, by
    product) times tonnes of processed output; a product without a coefficient (method
    ``none``) falls back to its IO sector's average workers per unit of output (flagged in
    ``basis``; applied to the activity's own output, its value net of raw and other dropped
    primary inputs, :math:`V_k (1-s)/(1-\\alpha_k)`). Indirect jobs
    :math:`\\ell (x_I - D)`; induced jobs :math:`\\ell (\\bar{x}_{1..n} - x_I)` with
    :math:`\\bar{x}` from the household-closed inverse (Miller and Blair 2009, section 2.5
    and chapter 6), where :math:`\\ell` is workers per unit of output by sector. Value
    added and imports use the sectors' value added and import coefficients; induced import
    leakage adds households' imported consumption (:math:`C_m / Y` of induced income).

    *Impossible bounds.* A bound whose processed output is worth less than the raw exports
    it replaces (:math:`\\sum V < \\sum R`, raw cost share :math:`s > 1`) would give the
    processing activity negative purchases and negative value added (coffee 2010 at the
    low bound: roasted coffee at USD 2,401/t per 1.19 t of green coffee at USD 2,114/t,
    s = 1.048). Such a bound is not computed: its rows have missing jobs, value added and
    imports, ``complete=False`` and the reason in ``na_reason``; the other bounds are
    unaffected. The check applies with either ``raw_input``.

    *Ranges.* low = low scenario values and low labour coefficients with the option
    combination (income definition x employment rule) giving the fewest jobs; high = high
    values, high coefficients and the combination giving most; central = central values and
    coefficients with ``wages_plus_os`` and ``value_added``.

    Examples
    --------
    >>> from hilir.jobs import jobs_from_scenario                  # doctest: +SKIP
    >>> jobs = jobs_from_scenario(changes, geography="ID-LA",      # doctest: +SKIP
    ...                           price_factor={2023: 100 / 111.3})
    """
    _check_option("geography", geography, GEOGRAPHIES)
    _check_option("income_definition", income_definition, (*INCOME_DEFINITIONS, "range"))
    _check_option("employment_rule", employment_rule, (*SPREAD_RULES, "range"))
    _check_option("raw_input", raw_input, ("recipe", "average"))
    _check_option("primary_inputs", primary_inputs, ("raw_only", "sector_average"))
    ch = _check_changes(changes, geography)

    from hilir.data import jobs_inputs as jd

    if table is None:
        table = jd.load_io_table(geography)
    if table.geography != geography:
        raise ValueError(
            f"table {table.source} is for {table.geography}, not {geography}; the result must say "
            "where the jobs are"
        )
    smap = jd.io_sector_map() if sector_map is None else sector_map
    coefs = labour_coefficients() if coefficients is None else coefficients
    settings = _currency(ch, table, usd_to_idr, price_factor)

    # models (income definitions) and labour vectors (spreading rules)
    has_wages = not table.value_added.loc["wages"].isna().all()
    incomes = list(INCOME_DEFINITIONS) if income_definition == "range" else [income_definition]
    if not has_wages:
        incomes = ["wages"]
    models = {
        inc: build_model(
            table,
            income_definition=inc,  # type: ignore[arg-type]
            operating_surplus_share=operating_surplus_share,
        )
        for inc in incomes
    }
    base = next(iter(models.values()))
    labour, emp_sources = _labour_vectors(table, base, employment, employment_rule)

    mapped = _map_products(ch, table, smap, base)
    primary = (
        _primary_mask(table, base)
        if primary_inputs == "raw_only"
        else np.zeros(len(base.codes), dtype=bool)
    )
    factors = settings["price_factor"]
    mapped["_conv"] = mapped["year"].astype(int).map(factors).astype(float) * float(
        settings["usd_to_table_unit"]  # type: ignore[arg-type]
    )
    central_combo = (
        _CENTRAL_INCOME if _CENTRAL_INCOME in models else incomes[0],
        _CENTRAL_RULE if _CENTRAL_RULE in labour else next(iter(labour), None),
    )

    keys = ["chain", "share"] if "share" in ch.columns else ["chain"]
    source_keys = _source_keys(table, emp_sources, ch)
    out_rows: list[dict[str, object]] = []
    shocks: list[pd.DataFrame] = []
    for key_vals, grp in mapped.groupby(keys, sort=False, dropna=False):
        key_vals = key_vals if isinstance(key_vals, tuple) else (key_vals,)
        key_dict = dict(zip(keys, key_vals, strict=True))
        for bound in BOUNDS:
            rows = grp[grp["bound"] == bound]
            if rows.empty:
                continue
            results = {}
            for inc, model in models.items():
                for rule, ell in labour.items() if labour else [(None, None)]:
                    results[(inc, rule)] = _evaluate(
                        rows, model, ell, coefs, bound, raw_input, primary
                    )
            combo = _pick(results, bound, central_combo)
            res = results[combo]
            shocks.append(res.shock.assign(bound=bound, **key_dict))
            out_rows.extend(
                _result_rows(
                    res,
                    key_dict,
                    bound,
                    combo,
                    table,
                    settings,
                    emp_sources,
                    raw_input,
                    len(results),
                    source_keys,
                )
            )
    cols = [c for c in RESULT_COLUMNS if c not in ("chain",)]
    front = ["geography", "table_source", *keys]
    out = pd.DataFrame(out_rows, columns=front + [c for c in cols if c not in front])
    out.attrs["shocks"] = pd.concat(shocks, ignore_index=True) if shocks else pd.DataFrame()
    out.attrs["settings"] = {
        **settings,
        "income_definition": income_definition,
        "employment_rule": employment_rule,
        "raw_input": raw_input,
        "primary_inputs": primary_inputs,
        "operating_surplus_share": {k: m.operating_surplus_share for k, m in models.items()},
    }
    return out


# --------------------------------------------------------------------------------------------
# inputs


def _check_option(name: str, value: object, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ValueError(f"{name} must be one of {allowed}, not {value!r}")


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
        raise ValueError(f"{series} has no annual value for {to_year}")
    return {int(y): float(idx[to_year] / v) for y, v in idx.items() if v > 0}


def _currency(
    ch: pd.DataFrame,
    table: IOTable,
    usd_to_idr: float | None,
    price_factor: float | Mapping[int, float] | Literal["muv"] | None,
) -> dict[str, object]:
    from hilir.data.jobs_inputs import usd_idr_rate

    if usd_to_idr is None:
        rate, rate_source = usd_idr_rate(table.year)
    else:
        rate, rate_source = float(usd_to_idr), "given by the user"
    if not rate > 0:
        raise ValueError("usd_to_idr must be positive")
    years = sorted(int(y) for y in ch["year"].unique())
    basis_muv = None
    if isinstance(price_factor, str):
        if price_factor != "muv":
            raise ValueError(
                f"price_factor must be a number, a mapping or 'muv', not {price_factor!r}"
            )
        from hilir.data.load import load_prices

        muv = price_factors(load_prices(series="MUV", frequency="annual"), to_year=table.year)
        missing = [y for y in years if y not in muv]
        if missing:
            raise ValueError(f"the shipped MUV index has no value for years {missing}")
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
                stacklevel=3,
            )
        basis = "none (1.0)"
    elif isinstance(price_factor, Mapping):
        missing = [y for y in years if y not in price_factor]
        if missing:
            raise ValueError(f"price_factor has no value for years {missing}")
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
            raise ValueError(f"employment lacks sectors {list(w.index[w.isna()])[:5]}")
        return {"given": w.to_numpy(dtype=float) / model.x}, ["employment given by the user"]
    if employment is None:
        if table.unit != "juta Rp" or table.classification is None:
            return {}, []
        from hilir.data.jobs_inputs import load_employment

        employment = load_employment(table.year)
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
    from hilir.sources.io_tables import sector_classifications

    if table.classification is None:
        return np.zeros(len(model.codes), dtype=bool)
    ref = sector_classifications()
    ref = ref[ref["classification"] == table.classification].set_index("code")
    group = ref["sakernas_sector"].reindex(model.codes)
    return group.isin(("agri", "agr", "mining", "min")).to_numpy()


# --------------------------------------------------------------------------------------------
# evaluation


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


def _evaluate(
    rows: pd.DataFrame,
    model: IOModel,
    ell: np.ndarray | None,
    coefs: pd.DataFrame,
    bound: str,
    raw_input: str,
    primary: np.ndarray,
) -> _Result:
    n = len(model.codes)
    values = rows["delta_value_usd"].to_numpy(dtype=float) * rows["_conv"].to_numpy(dtype=float)
    is_raw = rows["stage"].eq("raw").to_numpy()
    pos = [model.index(c) for c in rows["io_code"]]
    D = np.zeros(n)
    R = np.zeros(n)
    for v, j, raw in zip(values, pos, is_raw, strict=True):
        if raw:
            R[j] -= v
        else:
            D[j] += v
    Vp = D.sum()
    Rt = R.sum()
    L, A = model.L, model.A
    recipe = raw_input == "recipe" and Vp != 0 and bool((~is_raw).any())
    s = Rt / Vp if Vp else float("nan")
    cm = _household_import_share(model)
    # the scaled own output of each processed row: the part of its value that is not raw input
    own = np.where(is_raw, 0.0, values)
    if recipe:
        drop = (R != 0) | primary
        nvec = np.zeros(n)
        hh = 0.0
        va_dir = imp_dir = 0.0
        for i, (v, j, raw) in enumerate(zip(values, pos, is_raw, strict=True)):
            if raw:
                continue
            alpha = A[drop, j].sum()
            if alpha >= 1.0:
                raise ValueError(f"sector {model.codes[j]} buys only from primary sectors")
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
        x1 = D + L @ nvec
        xbar = None
        if model.L_closed is not None:
            xbar = np.append(D, 0.0) + model.L_closed @ np.append(nvec, hh)
    else:
        dF = D - R
        direct_out = dF
        x1 = L @ dF
        va_dir = float(model.v @ dF)
        imp_dir = float(model.m @ dF)
        xbar = model.L_closed @ np.append(dF, 0.0) if model.L_closed is not None else None
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

    # direct jobs: labour coefficients of processed products; IO average otherwise
    notes: list[str] = []
    srcs: list[str] = []
    missing: list[str] = []
    direct = 0.0
    cmap = coefs.set_index("product")
    for i, (product, tonnes, usd, j, raw) in enumerate(
        zip(rows["product"], rows["delta_t"], rows["delta_value_usd"], pos, is_raw, strict=True)
    ):
        if raw:
            continue
        coef = cmap.loc[product] if product in cmap.index else None
        if coef is not None and coef["method"] != "none" and np.isfinite(coef[bound]):
            if coef["basis"] == "per_million_usd_output":
                qty, unit = float(usd) / 1e6, "million USD"
            else:
                qty, unit = float(tonnes) / 1000.0, "thousand t"
            if not np.isfinite(qty):
                missing.append(f"{product}: no tonnes")
                continue
            direct += float(coef[bound]) * qty
            notes.append(
                f"{product}: {qty:,.2f} {unit} x {coef[bound]:g} workers "
                f"({coef['basis'].replace('_', ' ')}; {coef['method']}, reliability "
                f"{coef['reliability']})"
            )
            srcs.append(f"{product}: {coef['source']}")
        elif ell is not None:
            direct += float(ell[j]) * own[i]
            why = "no labour-coefficient row" if coef is None else "labour coefficient NOT FOUND"
            notes.append(
                f"{product}: {why}; IO sector {model.codes[j]} average of {ell[j] * 1000:.2f} "
                f"workers per 1,000 table units applied to the activity's own output "
                f"{own[i]:,.0f} (value net of raw input; reliability low)"
            )
        else:
            missing.append(f"{product}: no labour coefficient and no employment data")
    if not recipe and ell is not None and Rt:
        direct += float(ell @ (-R))
        notes.append("raw sectors' lost output at IO-average workers per unit of output")
    jobs_out = {"direct": float("nan") if missing else direct}
    if ell is not None:
        jobs_out["indirect"] = float(ell @ ind_out)
        jobs_out["induced"] = float(ell @ (x2 - x1)) if x2 is not None else float("nan")
    else:
        jobs_out["indirect"] = jobs_out["induced"] = float("nan")
    shock = pd.DataFrame(
        {
            "io_code": model.codes,
            "final_demand_change": D - R,
            "processed_output": D,
            "raw_exports_forgone": R,
        }
    )
    shock = shock[(shock["processed_output"] != 0) | (shock["raw_exports_forgone"] != 0)]
    return _Result(jobs_out, va, imports, shock, notes, srcs, missing, s, Vp == 0, Vp, Rt)


def _household_import_share(model: IOModel) -> float:
    t = model.table
    if model.h is None or t.imports_final_demand is None:
        return 0.0
    income = float((model.h * model.x).sum())
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
    inc, rule = combo
    to_idr = float(settings["table_unit_to_idr_m"])  # type: ignore[arg-type]
    emp_note = (
        f"workers by IO sector: Sakernas sector totals spread by {rule.replace('_', ' ')}"
        if rule not in (None, "given")
        else ("workers by IO sector as given" if rule == "given" else "no employment accounts")
    )
    income_note = (
        "households closed with income = wages"
        if inc == "wages"
        else "households closed with income = wages + a share of operating surplus (table-implied)"
    )
    pick_note = (
        ""
        if n_combos == 1 or bound == "central"
        else f"; {bound} bound = the {'fewest' if bound == 'low' else 'most'} jobs over "
        f"{n_combos} combinations of income definition and employment spreading rule"
    )
    fx = (
        f"USD converted at Rp {settings['usd_to_idr']:,.1f}/USD "
        f"({settings['usd_to_idr_source']}); price factors {settings['price_factor']} "
        f"({settings['price_factor_basis']})"
    )
    if res.raw_only:
        how = "raw exports lost with no processed output: textbook shock L x delta f"
    elif raw_input == "recipe":
        how = (
            f"net shock: processed output added minus raw exports forgone; the processor buys the "
            f"forgone raw exports (raw cost share s = {res.s:.3f}) and its other inputs in its IO "
            "sector's proportions"
        )
    else:
        how = "net shock delta f = processed output added minus raw exports forgone; x = L delta f"
    src_table = table.source
    sources_common = "; ".join(
        [
            src_table,
            *[f"{s} (CC BY-NC 4.0)" if s.startswith("sakernas") else s for s in emp_sources],
        ]
    )
    bases = {
        "direct": "Direct jobs from labour coefficients: "
        + ("; ".join(res.direct_notes) or "none")
        + f". Direct value added and imports: {how}.",
        "indirect": f"Type I (Leontief inverse of {src_table}): suppliers' extra output x "
        f"workers per unit of output; {emp_note}. {how}.",
        "induced": f"Type II: {income_note}; induced output x workers per unit of output; "
        f"{emp_note}. Induced import leakage includes households' imported consumption.",
        "total": f"direct + indirect + induced. {fx}{pick_note}.",
    }
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
    total_jobs = _total(res.jobs)
    complete = all(np.isfinite(res.jobs[k]) for k in ("direct", "indirect", "induced"))
    if not complete:
        left = [k for k in ("direct", "indirect", "induced") if not np.isfinite(res.jobs[k])]
        na["total"] = f"total jobs leave out {', '.join(left)} (not estimable)"
    impossible = _impossible(res)
    if impossible:
        v_idr, r_idr = res.processed_value * to_idr, res.raw_value * to_idr
        why = (
            f"impossible scenario bound: the processed output (Rp {v_idr:,.0f} million) is worth "
            f"less than the raw exports it replaces (Rp {r_idr:,.0f} million; raw cost share "
            f"s = {res.s:.3f} > 1), so the processing would add negative value; check the "
            f"{bound} unit values of the scenario (hilir.value.scenario: its low bound pairs the "
            "low processed with the high raw unit value): jobs, value added and imports not "
            "estimated"
        )
        na = dict.fromkeys(KINDS, why)
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
                "complete": comp,
                "basis": bases[kind],
                "sources": src,
                "source": source_keys,
                "na_reason": na[kind],
            }
        )
    return rows


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
