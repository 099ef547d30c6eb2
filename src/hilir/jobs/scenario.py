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
from hilir.jobs.employment import labour_coefficients
from hilir.jobs.households import CLOSURES
from hilir.jobs.multipliers import IOModel, build_model
from hilir.jobs.plausibility import min_va_per_worker_share
from hilir.jobs.scenario_eval import _evaluate, _pick, _Result, _result_rows, _source_keys
from hilir.jobs.scenario_inputs import (
    _check_changes,
    _check_option,
    _check_options,
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
    DIRECT_RULES,
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
    closure: Literal["wages", "income", "range"] = "range",
    operating_surplus_share: float | None = None,
    employment_rule: Literal["value_added", "output", "wages", "range"] = "range",
    raw_input: Literal["recipe", "average"] = "recipe",
    primary_inputs: Literal["raw_only", "sector_average"] = "raw_only",
    coefficients: pd.DataFrame | None = None,
    sector_map: pd.DataFrame | None = None,
    direct_jobs: Literal["checked", "cited", "io_average"] = "checked",
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
        table year (annual mean of the ECB reference cross rates, e.g. Rp 9,082.8 per USD in
        2010; ``refdata/usd_idr_rates.csv``).
    price_factor : float, mapping of int to float, or "muv", optional
        Multiplier that turns USD of each scenario price year into USD of the table's year
        (e.g. ``MUV[table_year] / MUV[year]`` from the World Bank Pink Sheet, see
        :func:`price_factors`). ``"muv"`` computes these factors from the shipped MUV index
        (manufactures unit value, 2010 = 100). Default 1.0, with a
        :class:`~hilir.errors.HilirDataWarning` when a scenario year differs from the table
        year.
    closure : {"wages", "income", "range"}, default "range"
        Household closure of the model for induced jobs (:mod:`hilir.jobs.households`):
        consumption coefficients are shares of total household income, applied to new wages
        (``"wages"``) or to new wages plus the household share of operating surplus
        (``"income"``). ``"range"`` uses both: the central value uses ``"wages"`` (the
        consistent, conservative closure), and low / high take the lower / higher result.
    operating_surplus_share : float, optional
        Share of operating surplus in total household income; default the table-implied
        share (:func:`hilir.jobs.households.implied_operating_surplus_share`, Lampung 2010:
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
    direct_jobs : {"checked", "cited", "io_average"}, default "checked"
        How direct jobs are counted (Notes, *Direct-jobs check*): cited labour coefficients
        where they are plausible and the IO sector's average otherwise (``"checked"``), the
        cited coefficients always (``"cited"``), or the sector's average always.

    Returns
    -------
    pandas.DataFrame
        Tidy, one row per (chain, [share,] kind, bound): ``geography``, ``table_source``
        (provenance key of the table), ``chain``, ``kind`` (``direct`` | ``indirect`` |
        ``induced`` | ``total``), ``bound``, ``jobs`` (persons; full-year jobs as counted
        by Sakernas, not full-time equivalents), ``value_added_idr_m`` and
        ``import_leakage_idr_m`` (million rupiah of the table year; WIOD results converted
        at ``usd_to_idr``), ``va_per_direct_job_idr_m``, ``sector_va_per_worker_idr_m`` and
        ``wage_per_direct_job_idr_m`` (million rupiah per worker-year: value added and wages
        per direct job counted, and the processing sector's average value added per worker;
        the same on every row of a bound; NaN outside rupiah tables or without employment
        data), ``cited_direct_jobs`` (the jobs the cited coefficients alone would give, NaN
        without one), ``direct_implausible`` (True when the direct jobs fail the direct-jobs check,
        NA when it cannot be made), ``complete`` (False when a component could not be estimated and
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
    leakage adds households' imported consumption (:math:`C_m / Y` of induced income, Y
    total household income).

    *Direct-jobs check.* A cited coefficient (workers per 1,000 t) implies a value added per
    direct job: the activity's own value added at its IO sector's coefficient over the jobs.
    Where that is below ``min_va_per_worker_share`` (``refdata/plausibility.csv``, 0.5) of the
    sector's average value added per worker, or the implied wage (at the sector's wage share)
    is below a cited provincial minimum wage (``min_wage_<geo>_<year>``; none is shipped: no
    cited UMP was found), the coefficient counts jobs the sector's accounts cannot pay; with
    ``direct_jobs="checked"`` it is replaced by the sector's average, noted in ``basis``.
    Lampung coffee 2017: the Kemenperin industry ratio (99.4 per 1,000 t) implies Rp 19 m of
    value added per job against Rp 102 m in food manufacturing, so the sector average is used.

    *Impossible bounds.* A bound whose processed output is worth less than the raw exports
    it replaces (:math:`\\sum V < \\sum R`, raw cost share :math:`s > 1`) would give the
    processing activity negative purchases and negative value added (coffee 2010 at the
    low bound: roasted coffee at USD 2,401/t per 1.19 t of green coffee at USD 2,114/t,
    s = 1.048). Such a bound is not computed: its rows have missing jobs, value added and
    imports, ``complete=False`` and the reason in ``na_reason``; the other bounds are
    unaffected. The check applies with either ``raw_input``.

    *Ranges.* low = low scenario values and low labour coefficients with the option
    combination (household closure x employment rule) giving the fewest jobs; high = high
    values, high coefficients and the combination giving most; central = central values and
    coefficients with the ``wages`` closure and the ``value_added`` rule.

    Examples
    --------
    >>> from hilir.jobs import jobs_from_scenario                  # doctest: +SKIP
    >>> jobs = jobs_from_scenario(changes, geography="ID-LA",      # doctest: +SKIP
    ...                           price_factor={2023: 100 / 111.3})
    """
    _check_options(geography, closure, employment_rule, raw_input, primary_inputs)
    _check_option("direct_jobs", direct_jobs, DIRECT_RULES)
    ch = _check_changes(changes, geography)
    table = _table_for(geography, table)
    smap = defaults.default_sector_map() if sector_map is None else sector_map
    coefs = labour_coefficients() if coefficients is None else coefficients
    settings = _currency(ch, table, usd_to_idr, price_factor)

    # models (household closures) and labour vectors (spreading rules)
    models = _build_models(table, closure, operating_surplus_share)
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
            results = _evaluate_combos(
                rows, models, labour, coefs, bound, raw_input, primary, direct_jobs
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
    out = _result_frame(out_rows, shocks, keys)
    out.attrs["settings"] = _settings_record(
        settings, models, closure, employment_rule, raw_input, primary_inputs
    )
    out.attrs["settings"]["direct_jobs"] = direct_jobs
    out.attrs["settings"]["min_va_per_worker_share"] = min_va_per_worker_share()
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
    table: IOTable, closure: str, operating_surplus_share: float | None
) -> dict[str, IOModel]:
    """One model per household closure (only ``wages`` without a wages row)."""
    has_wages = not table.value_added.loc["wages"].isna().all()
    closures = list(CLOSURES) if closure == "range" else [closure]
    if not has_wages:
        closures = ["wages"]
    return {
        cl: build_model(
            table,
            closure=cl,  # type: ignore[arg-type]
            operating_surplus_share=operating_surplus_share,
        )
        for cl in closures
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
    """The (household closure, spreading rule) of the central bound, or the first available."""
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
    direct_jobs: str = "checked",
) -> dict[tuple[str, str | None], _Result]:
    """One bound's rows evaluated for every (household closure, spreading rule) combination."""
    results = {}
    for inc, model in models.items():
        for rule, ell in labour.items() if labour else [(None, None)]:
            results[(inc, rule)] = _evaluate(
                rows, model, ell, coefs, bound, raw_input, primary, direct_jobs
            )
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
    closure: str,
    employment_rule: str,
    raw_input: str,
    primary_inputs: str,
) -> dict[str, object]:
    """``attrs["settings"]``: exchange rate, price factors and the options used."""
    return {
        **settings,
        "closure": closure,
        "employment_rule": employment_rule,
        "raw_input": raw_input,
        "primary_inputs": primary_inputs,
        "operating_surplus_share": {k: m.operating_surplus_share for k, m in models.items()},
    }
