"""Sentences about Lampung: production by regency and published monthly export totals."""

from __future__ import annotations

import pandas as pd

from hilir.brief.narrative._common import _name
from hilir.brief.texts import listed, say
from hilir.i18n import (
    format_money,
    format_number,
    format_percent,
)
from hilir.i18n.catalog import check_lang
from hilir.i18n.labels import geography_label
from hilir.trade import published_monthly_totals


def regency_top(
    production: pd.DataFrame, *, lang: str, crop: str, year: int | None = None, n: int = 3
) -> str:
    """The leading regencies of a crop in Lampung and their share of the province's total.

    Parameters
    ----------
    production : pandas.DataFrame
        ``hilir.load_production()``.
    crop : str
    year : int, optional
        Default the latest year with regency data for the crop.
    n : int, default 3
    """
    from hilir.plots import regency_data

    check_lang(lang)
    data = regency_data(production, crop=crop, year=year)
    top = data.head(n)
    names = [
        say(
            "say.regency.item",
            lang,
            name=str(r["geo_name"]),
            share=format_percent(float(r["share"]), lang=lang, decimals=0),
        )
        for _, r in top.iterrows()
    ]
    scope = say(
        "say.regency.scope_smallholder"
        if (data["scope"] == "smallholder").any()
        else "say.regency.scope_all",
        lang,
    )
    return say(
        "say.regency.top",
        lang,
        year=str(int(data["year"].iloc[0])),
        listed=listed(names, lang),
        crop=_name("crop", crop, lang),
        total=say(
            "say.tonnes",
            lang,
            value=format_number(float(data["value"].sum()), lang=lang, decimals=0),
        ),
        scope=scope,
    )


def published_exports(published: pd.DataFrame, *, lang: str, region: str = "ID-LA") -> str:
    """Latest and highest published monthly export total of Lampung (as quoted in the press).

    Parameters
    ----------
    published : pandas.DataFrame
        ``hilir.load_published()``.
    region : str, default "ID-LA"
    """
    from hilir.i18n import format_month

    check_lang(lang)
    df = published_monthly_totals(published, region=region)
    if df.empty:
        return say("say.published.none", lang, geo=geography_label(region, lang))
    last = df.iloc[-1]
    top = df.sort_values("value_usd").iloc[-1]
    first = df.iloc[0]
    return say(
        "say.published.latest",
        lang,
        geo=geography_label(region, lang),
        value=format_money(float(last["value_usd"]), lang=lang),
        month=format_month(int(last["year"]), int(last["month"]), lang),
        n=str(len(df)),
        first=format_month(int(first["year"]), int(first["month"]), lang),
        top=format_money(float(top["value_usd"]), lang=lang),
        top_month=format_month(int(top["year"]), int(top["month"]), lang),
    )


def ports_of(summary: pd.DataFrame, *, lang: str, hs2: str) -> str:
    """The Lampung-ports sentence of a chain's HS chapter, or why there is none.

    Parameters
    ----------
    summary : pandas.DataFrame
        :func:`hilir.markets.ports.lampung_ports_summary` output.
    lang : {"id", "en"}
    hs2 : str
        HS chapter of the chain (``"09"`` coffee and pepper, ``"15"`` palm oil, ``"40"``
        rubber).

    Returns
    -------
    str
        :func:`hilir.brief.narrative.ports.ports_lead` of the latest year when the port data
        hold the chapter; otherwise a sentence naming the chapters they do hold.
    """
    from hilir.brief.narrative.ports import _chapter_name, ports_lead

    check_lang(lang)
    have = sorted(set(summary["hs2"].astype(str)))
    if str(hs2) in have:
        return ports_lead(summary, lang=lang, hs2=str(hs2))
    return say(
        "summary.lampung.no_port_chapter",
        lang,
        chapters=listed(have, lang),
        chapter=_chapter_name(str(hs2), lang),
        hs2=str(hs2),
    )
