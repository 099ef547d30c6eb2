"""Sentences about jobs and input-output multipliers (always a range, always a geography)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from hilir.brief.gate import Check, Headline
from hilir.brief.gate import jobs_check as gate_jobs_check
from hilir.brief.narrative._common import _cap, _name, _source_label
from hilir.brief.texts import say
from hilir.errors import HilirDataError
from hilir.i18n import (
    format_money,
    format_number,
    format_percent,
    format_range,
)
from hilir.i18n.catalog import LANGS, check_lang, has
from hilir.i18n.labels import geography_label
from hilir.jobs.plausibility import min_wage_idr_m_year


def jobs_title(jobs: pd.DataFrame, *, lang: str, share: float, crop: str) -> str:
    """Chart title of a province scenario's jobs: share of production processed, jobs range."""
    check_lang(lang)
    df = jobs[np.isclose(jobs["share"].astype(float), float(share))] if "share" in jobs else jobs
    total = df[df["kind"] == "total"]["jobs"].astype(float)
    if total.isna().any() or total.empty:
        raise HilirDataError("the jobs frame has no complete total to title")
    return say(
        "chart.jobs_production.title",
        lang,
        share=format_percent(float(share), lang=lang, decimals=0),
        crop=_name("crop", crop, lang),
        geo=geography_label(str(df["geography"].iloc[0]), lang),
        range=format_range(float(total.min()), float(total.max()), lang=lang, words=3),
    )


def jobs_range(jobs: pd.DataFrame, *, lang: str, share: float | None = None) -> str:
    """Jobs of a scenario: total (or direct only) low-high, central, and the geography.

    Parameters
    ----------
    jobs : pandas.DataFrame
        :func:`hilir.jobs.jobs_from_scenario` output (one chain).
    share : float, optional
        Scenario share when ``jobs`` holds several.
    """
    check_lang(lang)
    df = jobs
    if share is not None and "share" in df.columns:
        df = df[np.isclose(df["share"].astype(float), float(share))]
    if df.empty:
        raise HilirDataError("no jobs rows to describe")
    chain = str(df["chain"].iloc[0])
    geo = geography_label(str(df["geography"].iloc[0]), lang)
    reasons = df.get("na_reason", pd.Series("", index=df.index)).fillna("").astype(str)
    impossible = sorted(
        set(df.loc[reasons.str.startswith("impossible scenario bound"), "bound"].astype(str))
    )
    usable = df[~df["bound"].astype(str).isin(impossible)]
    total = usable[usable["kind"] == "total"]
    complete = bool(total["complete"].all()) if not total.empty else False
    kind = "total" if complete else "direct"
    sel = usable[usable["kind"] == kind]
    rows = pd.Series(sel["jobs"].to_numpy(dtype=float), index=sel["bound"].astype(str))
    if rows.isna().any() or rows.empty or "central" not in rows.index:
        return say("say.jobs.none", lang, chain=_name("chain", chain, lang), geo=geo)
    text = say(
        f"say.jobs.{kind}",
        lang,
        chain=_name("chain", chain, lang),
        geo=geo,
        range=format_range(float(rows.min()), float(rows.max()), lang=lang, words=3),
        central=format_number(float(rows["central"]), lang=lang, words=3),
        table=_source_label(str(df["table_source"].iloc[0]), lang),
    )
    if kind == "total":
        direct = usable[(usable["kind"] == "direct") & (usable["bound"].astype(str) == "central")]
        text += " " + say(
            "say.jobs.direct_part",
            lang,
            direct=format_number(float(direct["jobs"].iloc[0]), lang=lang, words=3),
        )
    else:
        text += " " + say("say.jobs.no_employment", lang)
    for bound in impossible:
        text += " " + say("say.jobs.impossible_bound", lang, bound=say(f"say.bound.{bound}", lang))
    return text


def jobs_price_note(jobs: pd.DataFrame, *, lang: str) -> str | None:
    """Say when scenario dollars were not deflated to the input-output table's year."""
    check_lang(lang)
    settings = jobs.attrs.get("settings") or {}
    basis = str(settings.get("price_factor_basis", ""))
    if not basis.startswith("none"):
        return None
    years = sorted(int(y) for y in (settings.get("price_factor") or {}))
    if not years or years == [int(settings.get("table_year", 0))]:
        return None
    return say(
        "say.jobs.not_deflated",
        lang,
        years=", ".join(str(y) for y in years),
        table_year=str(int(settings["table_year"])),
    )


def jobs_left_out(jobs: pd.DataFrame, *, lang: str, shown: Sequence[str]) -> str | None:
    """Name the chains of a jobs frame that a chart leaves out, and why."""
    check_lang(lang)
    parts = []
    for chain, g in jobs.groupby("chain", sort=False):
        if str(chain) in set(shown):
            continue
        reasons = g.get("na_reason", pd.Series("", index=g.index)).fillna("").astype(str)
        key = (
            "say.jobs.left_out_impossible"
            if reasons.str.startswith("impossible scenario bound").any()
            else "say.jobs.left_out_coefficient"
        )
        parts.append(say(key, lang, chain=_cap(_name("chain", str(chain), lang))))
    return " ".join(parts) or None


def multiplier_top(
    multipliers: pd.DataFrame,
    *,
    lang: str,
    n: int = 3,
    column: str = "output_multiplier",
    geography: str = "ID-LA",
) -> str:
    """The sectors with the largest multipliers of an input-output table.

    Parameters
    ----------
    multipliers : pandas.DataFrame
        :func:`hilir.jobs.sector_multipliers` output.
    n : int, default 3
    column : str, default "output_multiplier"
        The ranking column. Jobs are ranked by ``"jobs_per_idr_bn"`` (persons per Rp 1
        billion of final demand), with the Type I employment ratio quoted beside each sector:
        a Type I ratio is large where direct labour is tiny (Lampung electricity: 5.00, but
        6 jobs per Rp 1 billion against 32 in plantations), so it is never ranked alone.
    geography : str, default "ID-LA"
    """
    check_lang(lang)
    if column == "employment_type_i":
        raise HilirDataError(
            "rank jobs by 'jobs_per_idr_bn' (jobs per Rp 1 billion of final demand); the "
            "Type I ratio is large where direct labour is tiny and is shown beside it"
        )
    if column not in multipliers.columns:
        raise HilirDataError(f"no column {column!r} in the multipliers")
    df = multipliers.dropna(subset=[column]).sort_values(column, ascending=False).head(n)
    if df.empty:
        raise HilirDataError(f"no {column} to rank")
    name = "name_id" if lang == "id" else "name_en"
    jobs = column == "jobs_per_idr_bn"
    items = [
        say(
            "say.multiplier.item_jobs" if jobs else "say.multiplier.item",
            lang,
            sector=str(r[name]),
            value=format_number(float(r[column]), lang=lang, decimals=1 if jobs else 2),
            type_i=format_number(float(r.get("employment_type_i", np.nan)), lang=lang, decimals=2),
        )
        for _, r in df.iterrows()
    ]
    return say(
        f"say.multiplier.{column}",
        lang,
        geo=geography_label(geography, lang),
        listed="; ".join(items),
        source=_source_label(str(multipliers.attrs.get("source", "")), lang),
    )


def direct_jobs_note(
    jobs: pd.DataFrame, *, lang: str, share: float | None = None, bound: str = "central"
) -> str | None:
    """Say when a cited labour coefficient was replaced by the sector average, and why.

    Parameters
    ----------
    jobs : pandas.DataFrame
        :func:`hilir.jobs.jobs_from_scenario` output (one chain), with its direct-jobs
        diagnostics (``cited_direct_jobs``, ``va_per_direct_job_idr_m``,
        ``sector_va_per_worker_idr_m``).
    share : float, optional
        Scenario share when ``jobs`` holds several.
    bound : str, default "central"

    Returns
    -------
    str or None
        None when the cited coefficients were used as they are (or there were none).
    """
    check_lang(lang)
    df = jobs
    if share is not None and "share" in df.columns:
        df = df[np.isclose(df["share"].astype(float), float(share))]
    row = df[(df["kind"] == "direct") & (df["bound"].astype(str) == bound)]
    if row.empty or "cited_direct_jobs" not in row.columns:
        return None
    r = row.iloc[0]
    cited, direct = float(r["cited_direct_jobs"]), float(r["jobs"])
    va = float(r["va_per_direct_job_idr_m"]) * direct  # million rupiah
    if not (np.isfinite(cited) and cited > 0 and np.isfinite(direct)) or np.isclose(cited, direct):
        return None
    settings = jobs.attrs.get("settings") or {}
    floor = float(settings.get("min_va_per_worker_share", np.nan))
    average = float(r["sector_va_per_worker_idr_m"]) * 1e6
    return say(
        "say.jobs.direct_check",
        lang,
        cited=format_number(cited, lang=lang, words=3),
        per_job=format_money(va / cited * 1e6, lang=lang, currency="IDR"),
        average=format_money(average, lang=lang, currency="IDR"),
        share=format_percent(floor, lang=lang, decimals=0),
        table=_source_label(str(r["table_source"]), lang),
        direct=format_number(direct, lang=lang, words=3),
    )


def direct_jobs_check(
    jobs: pd.DataFrame, *, share: float | None = None, bound: str = "central"
) -> Check:
    """The plausibility-gate check of a jobs figure: value added per direct job (one bound).

    Parameters
    ----------
    jobs : pandas.DataFrame
        :func:`hilir.jobs.jobs_from_scenario` output (one chain).
    share : float, optional
        Scenario share when ``jobs`` holds several.
    bound : str, default "central"

    Returns
    -------
    hilir.brief.gate.Check
        :func:`hilir.brief.gate.jobs_check` of the bound's ``va_per_direct_job_idr_m``
        against ``sector_va_per_worker_idr_m`` (Rp per worker-year), and of the wage per job
        against the provincial minimum wage when ``plausibility.csv`` has a cited one
        (:func:`hilir.jobs.plausibility.min_wage_idr_m_year`; none is shipped).
    """
    df = jobs
    if share is not None and "share" in df.columns:
        df = df[np.isclose(df["share"].astype(float), float(share))]
    row = df[(df["kind"] == "direct") & (df["bound"].astype(str) == bound)]
    if row.empty:
        raise HilirDataError(f"no direct jobs row for bound {bound!r}")
    r = row.iloc[0]
    year = (jobs.attrs.get("settings") or {}).get("table_year")
    floor = min_wage_idr_m_year(str(r["geography"]), int(year)) if year else None
    wage = float(r.get("wage_per_direct_job_idr_m", np.nan))
    return gate_jobs_check(
        float(r.get("va_per_direct_job_idr_m", np.nan)) * 1e6,
        float(r.get("sector_va_per_worker_idr_m", np.nan)) * 1e6,
        what={
            lang: say(
                "gate.what.direct_jobs",
                lang,
                chain=_name("chain", str(r["chain"]), lang),
                geo=geography_label(str(r["geography"]), lang),
                bound=say(f"bound.{bound}", lang) if has(f"bound.{bound}") else bound,
            )
            for lang in LANGS
        },
        wage=wage * 1e6 if floor is not None and np.isfinite(wage) else None,
        min_wage=floor * 1e6 if floor is not None else None,
    )


def jobs_headline(
    jobs: pd.DataFrame,
    *,
    lang: str,
    share: float | None = None,
    scenario: pd.DataFrame | None = None,
) -> Headline:
    """:func:`jobs_range` with the gate's checks: direct jobs, and the scenario's scale.

    Parameters
    ----------
    jobs : pandas.DataFrame
        :func:`hilir.jobs.jobs_from_scenario` output (one chain).
    share : float, optional
        Scenario share quoted.
    scenario : pandas.DataFrame, optional
        The value scenario the jobs come from: its scale check
        (:func:`hilir.brief.narrative.scenario_headline`) applies to the jobs too, since jobs of
        an infeasible scale are as infeasible as its sales.

    Returns
    -------
    hilir.brief.gate.Headline
        The sentence with :func:`direct_jobs_check` (a jobs figure whose direct jobs imply less
        value added per worker than the sector can pay goes to the analyst edition) and the
        scenario's checks.
    """
    from hilir.brief.narrative.scenarios import scenario_headline

    text = jobs_range(jobs, lang=lang, share=share)
    checks: list[Check] = []
    try:
        checks.append(direct_jobs_check(jobs, share=share))
    except HilirDataError:
        pass
    if scenario is not None and share is not None:
        checks.extend(scenario_headline(scenario, lang=lang, share=share).checks)
    return Headline(text, *checks)
