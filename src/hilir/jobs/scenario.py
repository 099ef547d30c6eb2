"""Jobs from a downstreaming scenario: direct, indirect (Type I) and induced (Type II) jobs.

The value model (:func:`hilir.value.scenario_changes`) says which raw exports are forgone and
which processed output replaces them; :func:`jobs_from_scenario` turns those changes into a
net final-demand shock on a real input-output table and reports jobs, domestic value added
and import leakage, each low / central / high, with the geography and table it used.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import numpy as np
import pandas as pd

from hilir.errors import HilirDataError
from hilir.jobs import defaults
from hilir.jobs.employment import SPREAD_RULES, labour_coefficients
from hilir.jobs.multipliers import INCOME_DEFINITIONS, IOModel, build_model
from hilir.jobs.scenario_eval import _evaluate, _pick, _Result, _result_rows, _source_keys
from hilir.jobs.scenario_inputs import (
    _currency,
    _labour_vectors,
    _map_products,
    _primary_mask,
    price_factors,
)
from hilir.jobs.scenario_spec import (
    _CENTRAL_INCOME,
    _CENTRAL_RULE,
    BOUNDS,
    CHANGE_COLUMNS,
    GEOGRAPHIES,
    GEOGRAPHY_NAMES,
    KINDS,
    RESULT_COLUMNS,
    STAGES,
)
from hilir.schema.iotable import IOTable

Geography = Literal["ID-LA", "IDN", "ID-BB"]

__all__ = [
    "BOUNDS",
    "CHANGE_COLUMNS",
    "GEOGRAPHIES",
    "GEOGRAPHY_NAMES",
    "KINDS",
    "RESULT_COLUMNS",
    "STAGES",
    "jobs_from_scenario",
    "price_factors",
]


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
    _check_options(geography, income_definition, employment_rule, raw_input, primary_inputs)
    ch = _check_changes(changes, geography)
    table = _table_for(geography, table)
    smap = defaults.default_sector_map() if sector_map is None else sector_map
    coefs = labour_coefficients() if coefficients is None else coefficients
    settings = _currency(ch, table, usd_to_idr, price_factor)

    # models (income definitions) and labour vectors (spreading rules)
    models = _build_models(table, income_definition, operating_surplus_share)
    base = next(iter(models.values()))
    labour, emp_sources = _labour_vectors(table, base, employment, employment_rule)

    mapped = _map_products(ch, table, smap, base)
    primary = _primary_rows(table, base, primary_inputs)
    mapped["_conv"] = _usd_to_table_unit(mapped, settings)
    central_combo = _central_combo(models, labour)

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
            results = _evaluate_combos(rows, models, labour, coefs, bound, raw_input, primary)
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
    out = _result_frame(out_rows, shocks, keys)
    out.attrs["settings"] = _settings_record(
        settings, models, income_definition, employment_rule, raw_input, primary_inputs
    )
    return out


# --------------------------------------------------------------------------------------------
# steps of jobs_from_scenario


def _table_for(geography: str, table: IOTable | None) -> IOTable:
    """The given table, or the shipped one of the geography; it must be for that geography."""
    if table is None:
        table = defaults.default_io_table(geography)
    if table.geography != geography:
        raise HilirDataError(
            f"table {table.source} is for {table.geography}, not {geography}; the result must say "
            "where the jobs are"
        )
    return table


def _build_models(
    table: IOTable, income_definition: str, operating_surplus_share: float | None
) -> dict[str, IOModel]:
    """One model per household income definition (only ``wages`` without a wages row)."""
    has_wages = not table.value_added.loc["wages"].isna().all()
    incomes = list(INCOME_DEFINITIONS) if income_definition == "range" else [income_definition]
    if not has_wages:
        incomes = ["wages"]
    return {
        inc: build_model(
            table,
            income_definition=inc,  # type: ignore[arg-type]
            operating_surplus_share=operating_surplus_share,
        )
        for inc in incomes
    }


def _primary_rows(table: IOTable, base: IOModel, primary_inputs: str) -> np.ndarray:
    """Primary sectors whose inputs the processor does not buy (none with ``sector_average``)."""
    return (
        _primary_mask(table, base)
        if primary_inputs == "raw_only"
        else np.zeros(len(base.codes), dtype=bool)
    )


def _usd_to_table_unit(mapped: pd.DataFrame, settings: dict[str, object]) -> pd.Series:
    """Table units per USD of each row's price year (price factor x exchange rate)."""
    factors = settings["price_factor"]
    return mapped["year"].astype(int).map(factors).astype(float) * float(
        settings["usd_to_table_unit"]  # type: ignore[arg-type]
    )


def _central_combo(
    models: dict[str, IOModel], labour: dict[str | None, np.ndarray]
) -> tuple[str, str | None]:
    """The (income definition, spreading rule) of the central bound, or the first available."""
    return (
        _CENTRAL_INCOME if _CENTRAL_INCOME in models else next(iter(models)),
        _CENTRAL_RULE if _CENTRAL_RULE in labour else next(iter(labour), None),
    )


def _evaluate_combos(
    rows: pd.DataFrame,
    models: dict[str, IOModel],
    labour: dict[str | None, np.ndarray],
    coefs: pd.DataFrame,
    bound: str,
    raw_input: str,
    primary: np.ndarray,
) -> dict[tuple[str, str | None], _Result]:
    """One bound's rows evaluated for every (income definition, spreading rule) combination."""
    results = {}
    for inc, model in models.items():
        for rule, ell in labour.items() if labour else [(None, None)]:
            results[(inc, rule)] = _evaluate(rows, model, ell, coefs, bound, raw_input, primary)
    return results


def _result_frame(
    out_rows: list[dict[str, object]], shocks: list[pd.DataFrame], keys: list[str]
) -> pd.DataFrame:
    """The tidy result table, with the final-demand shocks in ``attrs["shocks"]``."""
    cols = [c for c in RESULT_COLUMNS if c not in ("chain",)]
    front = ["geography", "table_source", *keys]
    out = pd.DataFrame(out_rows, columns=front + [c for c in cols if c not in front])
    out.attrs["shocks"] = pd.concat(shocks, ignore_index=True) if shocks else pd.DataFrame()
    return out


def _settings_record(
    settings: dict[str, object],
    models: dict[str, IOModel],
    income_definition: str,
    employment_rule: str,
    raw_input: str,
    primary_inputs: str,
) -> dict[str, object]:
    """``attrs["settings"]``: exchange rate, price factors and the options used."""
    return {
        **settings,
        "income_definition": income_definition,
        "employment_rule": employment_rule,
        "raw_input": raw_input,
        "primary_inputs": primary_inputs,
        "operating_surplus_share": {k: m.operating_surplus_share for k, m in models.items()},
    }


# --------------------------------------------------------------------------------------------
# inputs


def _check_options(
    geography: str,
    income_definition: str,
    employment_rule: str,
    raw_input: str,
    primary_inputs: str,
) -> None:
    """Refuse unknown option values, in the order of the signature."""
    _check_option("geography", geography, GEOGRAPHIES)
    _check_option("income_definition", income_definition, (*INCOME_DEFINITIONS, "range"))
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
