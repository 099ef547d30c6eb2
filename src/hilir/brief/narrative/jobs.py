"""Sentences about jobs and input-output multipliers (always a range, always a geography)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from hilir.brief.narrative._common import _cap, _name, _source_label
from hilir.brief.texts import say
from hilir.errors import HilirDataError
from hilir.i18n import (
    format_number,
    format_percent,
    format_range,
)
from hilir.i18n.catalog import check_lang
from hilir.i18n.labels import geography_label


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
    geography : str, default "ID-LA"
    """
    check_lang(lang)
    df = multipliers.dropna(subset=[column]).sort_values(column, ascending=False).head(n)
    if df.empty:
        raise HilirDataError(f"no {column} to rank")
    name = "name_id" if lang == "id" else "name_en"
    items = [
        say(
            "say.multiplier.item",
            lang,
            sector=str(r[name]),
            value=format_number(float(r[column]), lang=lang, decimals=2),
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
