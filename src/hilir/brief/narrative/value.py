"""Sentences about export value: processed shares, totals, uplift, scenarios, prices, gaps."""

from __future__ import annotations

import pandas as pd

from hilir.brief.narrative._common import (
    _cap,
    _central,
    _direction,
    _name,
)
from hilir.brief.texts import say
from hilir.errors import HilirDataError
from hilir.i18n import (
    format_money,
    format_number,
    format_percent,
    format_range,
    format_ratio,
)
from hilir.i18n.catalog import check_lang, has
from hilir.i18n.labels import geography_label


def processing_share_change(
    shares: pd.DataFrame,
    *,
    lang: str,
    chain: str,
    measure: str = "value",
    year_from: int | None = None,
    year_to: int | None = None,
    exports: pd.DataFrame | None = None,
) -> str:
    """How the processed share of a chain's exports moved between two years.

    Parameters
    ----------
    shares : pandas.DataFrame
        :func:`hilir.value.processing_share` output (central bound used).
    lang : {"id", "en"}
    chain : str
    measure : {"value", "volume"}, default "value"
    year_from, year_to : int, optional
        Default: first and last year with a share.
    exports : pandas.DataFrame, optional
        The exports behind ``shares``: a product of the chain's gap table
        (:func:`hilir.registry.chain_gaps`) that has rows here is not named as missing.
        Default: the gap table as it describes the shipped data.

    Returns
    -------
    str
        E.g. "In Indonesia, the share of nickel exports that left as intermediate or
        processed goods (by value) rose from 49.0% in 1989 to 100.0% in 2020, excluding
        nickel matte (HS 7501.10), which the shipped data lack." Products the chain lacks
        in the data in the years compared are named in the sentence itself.
    """
    check_lang(lang)
    col = f"share_{measure}"
    df = _central(shares)
    df = df[(df["chain"] == chain) & df[col].notna()].sort_values("year")
    if year_from is not None:
        df = df[df["year"] >= year_from]
    if year_to is not None:
        df = df[df["year"] <= year_to]
    if df.empty:
        return say("say.share.none", lang, chain=_name("chain", chain, lang))
    first, last = df.iloc[0], df.iloc[-1]
    geo = geography_label(str(first.get("reporter", "IDN")), lang)
    gap = _gap_items(chain, (int(first["year"]), int(last["year"])), exports, lang)
    direction = _direction(float(last[col]) - float(first[col]))
    return say(
        f"say.stages.share_gap.{direction}" if gap else f"say.share.{direction}",
        lang,
        gap=gap,
        geo=geo,
        chain=_name("chain", chain, lang),
        measure=say(f"say.measure.{measure}", lang),
        a=format_percent(float(first[col]), lang=lang),
        y0=str(int(first["year"])),
        b=format_percent(float(last[col]), lang=lang),
        y1=str(int(last["year"])),
    )


def _hs_label(code: str) -> str:
    """An HS code as printed: ``750110`` -> ``7501.10``, ``8001`` -> ``8001``."""
    code = str(code)
    return (
        code
        if len(code) <= 4
        else code[:4] + "." + ".".join(code[i : i + 2] for i in range(4, len(code), 2))
    )


def _gap_items(
    chain: str, years: tuple[int, int] | None, exports: pd.DataFrame | None, lang: str
) -> str:
    """The products a chain lacks in the data, as "nickel matte (HS 7501.10)"; "" if none."""
    from hilir.registry.gaps import chain_gaps

    sel = exports[exports["chain"] == chain] if exports is not None else None
    g = chain_gaps(chain, years=years, exports=sel)
    return "; ".join(
        f"{_name('product', str(r.product), lang)} (HS {_hs_label(r.hs_code)})"
        for r in g.itertuples(index=False)
    )


def export_total(
    exports: pd.DataFrame,
    shares: pd.DataFrame,
    *,
    lang: str,
    chain: str,
    year: int | None = None,
) -> str:
    """A chain's export value in a year, and the raw part of the value whose stage is known.

    Parameters
    ----------
    exports : pandas.DataFrame
        ``hilir.load_exports(...)``: the total counts every preferred world-partner row.
    shares : pandas.DataFrame
        :func:`hilir.value.processing_share` output (``value_usd_total``, ``share_value``),
        which leaves out mixed items without a stage split.
    lang : {"id", "en"}
    chain : str
    year : int, optional
        Default the latest year of ``shares``.

    Returns
    -------
    str
        The total, the raw part, and the products the chain lacks in these data that year
        (:func:`hilir.registry.chain_gaps`), named in the same finding.
    """
    check_lang(lang)
    df = _central(shares)
    df = df[(df["chain"] == chain) & df["value_usd_total"].notna()].sort_values("year")
    if year is not None:
        df = df[df["year"] == year]
    if df.empty:
        return say("say.share.none", lang, chain=_name("chain", chain, lang))
    row = df.iloc[-1]
    yr = int(row["year"])
    ex = exports[
        (exports["chain"] == chain)
        & exports["preferred"]
        & (exports["partner"] == "WLD")
        & (exports["year"] == yr)
    ]
    total = float(ex["value_usd"].sum())
    staged = float(row["value_usd_total"])
    fields = {
        "geo": geography_label(str(row.get("reporter", "IDN")), lang),
        "chain": _name("chain", chain, lang),
        "year": str(yr),
        "value": format_money(total, lang=lang),
        "raw": format_percent(1.0 - float(row["share_value"]), lang=lang),
    }
    rest = total - staged
    if rest > 0.005 * total:
        from hilir.registry.tables import products
        from hilir.value import default_splits

        prods = products()
        sp = default_splits()
        split = set(sp.loc[(sp["year_from"] <= yr) & (sp["year_to"] >= yr), "product"])
        mixed = sorted(
            set(ex["product"].astype(str))
            & set(prods.loc[prods["stage"] == "mixed", "product"]) - split
        )
        text = say(
            "say.export_total_mixed",
            lang,
            staged=format_money(staged, lang=lang),
            rest=format_money(rest, lang=lang),
            items="; ".join(_name("product", p, lang) for p in mixed) or "-",
            **fields,
        )
    else:
        text = say("say.export_total", lang, **fields)
    gap = _gap_items(chain, (yr, yr), exports, lang)
    return f"{text} {say('say.stages.total_gap', lang, gap=gap)}" if gap else text


def uplift_top(uplift: pd.DataFrame, *, lang: str, year: int | None = None) -> str:
    """The uplift of the chain's main downstream product (largest export value that year).

    Parameters
    ----------
    uplift : pandas.DataFrame
        :func:`hilir.value.uplift` output.
    year : int, optional
        Default the latest year with a downstream uplift.

    Returns
    -------
    str
        Central multiple with its low-high range and year.

    Notes
    -----
    The product is the downstream one with the largest export value (USD) in the year, not
    the largest multiple: a niche product with a high multiple (Indonesia's US$12 m of
    roasted coffee in 2020) says less about the chain than its main processed product (US$524
    m of coffee extracts and preparations). Ties go to the larger multiple.
    """
    check_lang(lang)
    df = uplift[uplift["uplift"].notna() & (uplift["stage"].astype(str) != "raw")]
    if df.empty:
        return say("say.uplift.none", lang)
    yr = int(df["year"].max()) if year is None else int(year)
    df = df[df["year"] == yr]
    if df.empty:
        return say("say.uplift.none", lang)
    cen = df[df["bound"].astype(str) == "central"].sort_values(
        ["value_usd", "uplift"], ascending=False
    )
    if cen.empty:
        return say("say.uplift.none", lang)
    top = cen.iloc[0]
    rng = df[df["product"] == top["product"]]["uplift"].astype(float)
    lo_text = format_number(float(rng.min()), lang=lang, decimals=1)
    hi_text = format_number(float(rng.max()), lang=lang, decimals=1)
    return say(
        "say.uplift.top" if lo_text != hi_text else "say.uplift.top_single",
        lang,
        geo=geography_label(str(top.get("reporter", "IDN")), lang),
        product=_name("product", str(top["product"]), lang),
        year=str(yr),
        central=format_ratio(float(top["uplift"]), lang=lang),
        range=format_range(float(rng.min()), float(rng.max()), lang=lang, decimals=1),
        basis=say(f"say.basis.{'data' if top['basis'] == 'trade data' else 'assumption'}", lang),
    )


def series_change(
    series: pd.DataFrame,
    *,
    lang: str,
    item: str,
    year_from: int,
    year_to: int,
    geography: str = "IDN",
    measure: str = "value",
) -> str:
    """Change of an annual series between two years: from, to and the multiple.

    Parameters
    ----------
    series : pandas.DataFrame
        ``year``, ``value`` (and ``unit``), e.g. :func:`hilir.policy.trade_series`.
    item : str
        Registry product or chain key named in the sentence.
    year_from, year_to : int
    geography : str, default "IDN"
    measure : {"value", "volume"}
        ``value`` for USD series, ``volume`` for tonnes.
    """
    check_lang(lang)
    s = series.set_index("year")["value"]
    missing = [y for y in (year_from, year_to) if y not in s.index or pd.isna(s.loc[y])]
    if missing:
        raise HilirDataError(f"the series of {item!r} has no value for {missing}")
    a, b = float(s.loc[year_from]), float(s.loc[year_to])
    fmt = (
        (lambda x: format_money(x, lang=lang))
        if measure == "value"
        else (lambda x: say("say.tonnes", lang, value=format_number(x, lang=lang, words=True)))
    )
    fam = "product" if has(f"product.{item}") else "chain"
    from hilir.brief.narrative.turns import turn_clause, with_turn

    span = s[(s.index >= year_from) & (s.index <= year_to)].sort_index()
    turn = turn_clause(span.index, span.to_numpy(dtype=float), lang=lang, fmt=fmt)
    text = say(
        f"say.series.{_direction(b - a)}",
        lang,
        geo=geography_label(geography, lang),
        item=_name(fam, item, lang),
        measure=say(f"say.measure_series.{measure}", lang),
        a=fmt(a),
        y0=str(year_from),
        b=fmt(b),
        y1=str(year_to),
        ratio=format_ratio(b / a, lang=lang) if a > 0 else "-",
    )
    return _cap(with_turn(text, turn))


def production_change(
    production: pd.DataFrame,
    *,
    lang: str,
    crop: str,
    geo: str = "IDN",
    year_from: int | None = None,
    year_to: int | None = None,
) -> str:
    """Change of a crop's production (t) in a geography between two years."""
    check_lang(lang)
    df = production[(production["crop"] == crop) & (production["geo"] == geo)]
    df = df[df["production_t"].notna()].sort_values("year")
    if year_from is not None:
        df = df[df["year"] >= year_from]
    if year_to is not None:
        df = df[df["year"] <= year_to]
    df = df.drop_duplicates("year", keep="last")
    if len(df) < 2:
        raise HilirDataError(f"fewer than two years of {crop!r} production for {geo}")
    a, b = df.iloc[0], df.iloc[-1]
    from hilir.brief.narrative.turns import turn_clause, with_turn

    def tonnes(x: float) -> str:
        return say("say.tonnes", lang, value=format_number(x, lang=lang, words=True))

    text = say(
        f"say.production.{_direction(float(b['production_t']) - float(a['production_t']))}",
        lang,
        geo=geography_label(geo, lang),
        crop=_name("crop", crop, lang),
        a=tonnes(float(a["production_t"])),
        y0=str(int(a["year"])),
        b=tonnes(float(b["production_t"])),
        y1=str(int(b["year"])),
    )
    turn = turn_clause(df["year"], df["production_t"].to_numpy(dtype=float), lang=lang, fmt=tonnes)
    return with_turn(text, turn)


def price_gap(comparison: pd.DataFrame, *, lang: str, product: str, year: int | None = None) -> str:
    """Export unit value of a product against its world price in a year.

    Parameters
    ----------
    comparison : pandas.DataFrame
        :func:`hilir.plots.price_comparison_data` output (``unit_value_usd_per_t``,
        ``world_price_usd_per_t``, ``series``, ``year``).
    """
    check_lang(lang)
    df = comparison.dropna(subset=["unit_value_usd_per_t", "world_price_usd_per_t"])
    df = df[df["product"] == product] if "product" in df.columns else df
    if df.empty:
        return say("say.price_gap.none", lang, product=_name("product", product, lang))
    row = df.sort_values("year").iloc[-1] if year is None else df[df["year"] == year].iloc[0]
    ratio = float(row["unit_value_usd_per_t"]) / float(row["world_price_usd_per_t"]) - 1.0
    return say(
        f"say.price_gap.{'above' if ratio >= 0 else 'below'}",
        lang,
        geo=geography_label(str(row.get("reporter", "IDN")) if "reporter" in row else "IDN", lang),
        product=_name("product", product, lang),
        year=str(int(row["year"])),
        uv=format_money(float(row["unit_value_usd_per_t"]), lang=lang, words=False, decimals=0),
        price=format_money(float(row["world_price_usd_per_t"]), lang=lang, words=False, decimals=0),
        pct=format_percent(abs(ratio), lang=lang, decimals=0),
        series=_name("series", str(row["series"]), lang),
    )


def world_price_change(
    prices: pd.DataFrame, *, lang: str, series: str, year_from: int, year_to: int
) -> str:
    """Change of a World Bank annual price between two years (nominal US dollars)."""
    check_lang(lang)
    from hilir.plots import world_price_data

    df = world_price_data(prices, series=[series], years=(year_from, year_to)).set_index("year")
    if year_from not in df.index or year_to not in df.index:
        raise HilirDataError(f"no {series} price for {year_from} or {year_to}")
    a, b = float(df.loc[year_from, "price"]), float(df.loc[year_to, "price"])
    unit = str(df.loc[year_to, "unit"])
    from hilir.brief.narrative.turns import turn_clause, with_turn

    def price(x: float) -> str:
        return f"{format_number(x, lang=lang, decimals=2 if x < 100 else 0)} {unit}"

    text = say(
        f"say.world_price.{_direction(b - a)}",
        lang,
        series=_name("series", series, lang),
        a=format_number(a, lang=lang, decimals=2 if a < 100 else 0),
        y0=str(year_from),
        b=format_number(b, lang=lang, decimals=2 if b < 100 else 0),
        y1=str(year_to),
        unit=unit,
        pct=format_percent(abs(b / a - 1.0), lang=lang, decimals=0),
    )
    span = df.sort_index()
    turn = turn_clause(span.index, span["price"].to_numpy(dtype=float), lang=lang, fmt=price)
    return with_turn(text, turn)


def decomposition(frame: pd.DataFrame, *, lang: str) -> str:
    """Change in a chain's export value split into volume, price and stage-mix effects.

    Parameters
    ----------
    frame : pandas.DataFrame
        :func:`hilir.value.decompose_growth` output (central bound used).
    """
    check_lang(lang)
    df = _central(frame)
    eff = df.set_index("effect")["change_usd"].astype(float)
    row = df.iloc[0]
    return say(
        "say.decomposition",
        lang,
        geo=geography_label(str(row.get("reporter", "IDN")), lang),
        chain=_name("chain", str(row["chain"]), lang),
        y0=str(int(row["year_from"])),
        y1=str(int(row["year_to"])),
        total=format_money(float(eff["total"]), lang=lang, signed=True),
        volume=format_money(float(eff["volume"]), lang=lang, signed=True),
        mix=format_money(float(eff["mix"]), lang=lang, signed=True),
        price=format_money(float(eff["price"]), lang=lang, signed=True),
    )


def data_gap(exports: pd.DataFrame, *, lang: str, chain: str) -> str | None:
    """What the shipped exports of a chain do not cover: key products, stages, mixed items.

    Names the products of the chain's gap table (:func:`hilir.registry.chain_gaps`) that
    were traded in the years of the data but have no rows in them (nickel matte, HS
    7501.10), mixed items, and downstream stages without any data. Returns None when
    nothing is missing.

    Parameters
    ----------
    exports : pandas.DataFrame
        ``hilir.load_exports(...)``.
    """
    from hilir.registry.tables import products

    check_lang(lang)
    prods = products()
    prods = prods[prods["chain"] == chain]
    have = set(exports.loc[exports["chain"] == chain, "product"].astype(str))
    down = prods[prods["stage"].isin(["intermediate", "processed"])]
    missing = [p for p in down["product"] if p not in have]
    mixed = [p for p in have if (prods.loc[prods["product"] == p, "stage"] == "mixed").any()]
    parts = []
    if not have:
        return say("say.gap.no_data", lang, chain=_name("chain", chain, lang))
    if mixed:
        parts.append(
            say(
                "say.gap.mixed",
                lang,
                items="; ".join(_name("product", p, lang) for p in sorted(mixed)),
            )
        )
    if missing and not any(p in have for p in down["product"]):
        parts.append(
            say(
                "say.gap.no_downstream",
                lang,
                chain=_name("chain", chain, lang),
                items="; ".join(_name("product", p, lang) for p in missing[:6]),
            )
        )
    else:
        yrs = exports.loc[exports["chain"] == chain, "year"]
        gap = _gap_items(chain, (int(yrs.min()), int(yrs.max())), exports, lang)
        if gap:
            parts.append(
                say("say.stages.data_gap", lang, chain=_name("chain", chain, lang), gap=gap)
            )
    return " ".join(parts) or None
