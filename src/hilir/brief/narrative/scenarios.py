"""Sentences about scenarios: value added retained first, gross exports second, caveats.

A scenario sentence (:func:`scenario_range`) leads with the domestic value added retained,
labels the gross change in export value as gross, and says what the answer rests on (a
cited split instead of same-year data, a by-product, an implied output beyond the
plausible scale). :func:`scenario_headline` wraps it with the scale check of the build's
plausibility gate; :func:`cited_split` states a constant cited split as an assumption.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from hilir.brief import gate
from hilir.brief.narrative._common import _money_change, _name
from hilir.brief.narrative.rupiah import rupiah_clause
from hilir.brief.texts import say
from hilir.errors import HilirDataError
from hilir.i18n import format_money, format_number, format_percent, format_range, format_ratio
from hilir.i18n.catalog import LANGS, check_lang
from hilir.i18n.labels import geography_label


def scenario_range(result: pd.DataFrame, *, lang: str, share: float) -> str:
    """What processing a share of raw exports at home retains in value added, then gross.

    Parameters
    ----------
    result : pandas.DataFrame
        :func:`hilir.value.scenario` output (one chain, a grid of shares).
    lang : {"id", "en"}
    share : float
        The share quoted (must be in ``result``).

    Returns
    -------
    str
        First the domestic value added retained a year, low-high with the central value
        (also in rupiah at the average rate of the scenario's year) and where its shares
        come from (or why it is not estimated); then, labelled, the
        gross change in export value with the basis of the unit values; then what the
        answer rests on: a cited split instead of same-year data, a by-product in the mass
        balance, an implied output beyond the plausible scale (``scale_flag``). Or the
        reason the scenario cannot be computed.
    """
    from hilir.value import scenario_summary

    check_lang(lang)
    df = result[np.isclose(result["share"].astype(float), float(share))]
    if df.empty:
        have = sorted(float(s) for s in result["share"].unique())
        raise HilirDataError(f"the scenario has no share {share}; shares: {have}")
    chain = str(df["chain"].iloc[0])
    summ = scenario_summary(df).set_index("bound")
    summ.index = summ.index.astype(str)
    gross = {b: float(summ.loc[b, "delta_value_usd"]) for b in summ.index}
    raw = df[df["role"] == "raw"]
    tgt = df[df["role"] == "target"]
    if any(not np.isfinite(v) for v in gross.values()) or raw.empty or tgt.empty:
        return say("say.scenario.none", lang, chain=_name("chain", chain, lang))
    production = _production_based(result)
    geo = geography_label(str(df["reporter"].iloc[0]), lang)
    target = _name("product", str(tgt["product"].iloc[0]), lang)
    raw_name = _name("product", str(raw["product"].iloc[0]).split("+")[0], lang)
    opening = say(
        f"say.scenarios.{'open_production' if production else 'open'}",
        lang,
        share=format_percent(float(share), lang=lang, decimals=0),
        raw=raw_name,
        geo=geo,
        year=str(int(df["year"].iloc[0])),
        target=target,
    )
    basis = str(tgt["basis"].iloc[0])
    basis_text = say(f"say.basis.{'data' if basis == 'trade data' else 'assumption'}", lang)
    year = int(df["year"].iloc[0])
    parts = [_va_clause(summ, tgt, opening, lang, year=year)]
    kind, rng = _money_change(min(gross.values()), max(gross.values()), lang)
    parts.append(
        say(
            f"say.scenarios.{'gross_production' if production else 'gross'}.{kind}",
            lang,
            range=rng,
            central=format_money(gross["central"], lang=lang, signed=True),
            basis=basis_text,
        )
    )
    parts += _scenario_caveats(df, tgt, raw_name, target, lang)
    return " ".join(p for p in parts if p)


def _va_clause(summ: pd.DataFrame, tgt: pd.DataFrame, opening: str, lang: str, *, year: int) -> str:
    """The value-added-retained sentence of :func:`scenario_range` (or why it is missing).

    The central value is also given in rupiah at the average rate of ``year``, the
    scenario's year (:func:`hilir.brief.narrative.rupiah.rupiah_clause`).
    """
    va = {b: float(summ.loc[b, "delta_domestic_va_usd"]) for b in summ.index}
    if any(not np.isfinite(v) for v in va.values()):
        return say("say.scenarios.va.none", lang, open=opening)
    kind, rng = _money_change(min(va.values()), max(va.values()), lang)
    src = " ".join(str(a) for a in tgt["assumption"].head(1))
    hit = re.search(r"domestic value-added share of [^(]*\([\w.-]+ \(([A-Z-]+), (\d{4})\)", src)
    if hit:
        va_basis = say(
            "say.scenarios.va_basis.io", lang, geo=geography_label(hit.group(1), lang),
            year=hit.group(2),
        )  # fmt: skip
    else:
        va_basis = say("say.scenarios.va_basis.cited", lang)
    return say(
        f"say.scenarios.va.{kind}",
        lang,
        open=opening,
        range=rng,
        central=format_money(va["central"], lang=lang, signed=True),
        rupiah=rupiah_clause(va["central"], year=year, lang=lang, signed=True),
        va_basis=va_basis,
    )


def _scenario_caveats(
    df: pd.DataFrame, tgt: pd.DataFrame, raw_name: str, target: str, lang: str
) -> list[str]:
    """Sentences on what a scenario rests on: a cited split, a by-product, its scale."""
    out = []
    note = str(tgt["assumption"].iloc[0])
    if "split by a cited constant share" in note:
        out.append(say("say.scenarios.assumed_split", lang, target=target, raw=raw_name))
    by = df[(df["role"] == "byproduct") & (df["bound"].astype(str) == "central")]
    if len(by):
        out.append(
            say(
                "say.scenarios.byproduct",
                lang,
                byproduct=_name("product", str(by["product"].iloc[0]), lang),
                tonnes=format_number(float(by["delta_t"].iloc[0]), lang=lang, words=True),
            )
        )
    if "scale_flag" not in tgt.columns:
        return out
    cen = tgt[tgt["bound"].astype(str) == "central"].iloc[0]
    ratios = pd.to_numeric(tgt["scale_ratio"], errors="coerce")
    if not np.isfinite(float(cen["current_processed_t"])) or ratios.isna().all():
        out.append(say("say.scenarios.scale_unknown", lang, target=target))
    elif bool(tgt["scale_flag"].any()):
        worst = tgt.loc[ratios.idxmax()]
        basis = str(cen["current_processed_basis"])
        year = re.findall(r"\b(\d{4})\b", basis)
        kind = "cited" if basis.startswith("cited") else "data"
        out.append(
            say(
                "say.scenarios.scale",
                lang,
                implied=format_number(float(worst["implied_processed_t"]), lang=lang, words=True),
                target=target,
                ratio=format_ratio(float(worst["scale_ratio"]), lang=lang),
                current=format_number(float(cen["current_processed_t"]), lang=lang, words=True),
                current_basis=say(
                    f"say.scenarios.current.{kind}", lang, year=year[0] if year else ""
                ),
                limit=format_ratio(float(cen["max_scale_ratio"]), lang=lang),
            )
        )
    return out


def _production_based(result: pd.DataFrame) -> bool:
    """True for a scenario sized by a province's production (not by its exports)."""
    if result.attrs.get("raw_basis") == "production":
        return True
    return "reporter" in result.columns and str(result["reporter"].iloc[0]).startswith("ID-")


def scenario_headline(result: pd.DataFrame, *, lang: str, share: float) -> gate.Headline:
    """:func:`scenario_range` with the gate's scale check of the share quoted.

    Returns
    -------
    hilir.brief.gate.Headline
        The sentence and ``gate.scale_check(implied, current)`` of the central bound's
        target output (t) against its current exports (t): a scenario beyond the plausible
        scale (``max_scale_ratio``) goes to the analyst edition, not to the key messages.
    """
    text = scenario_range(result, lang=lang, share=share)
    check = scenario_scale_check(result, share=share)
    return gate.Headline(text) if check is None else gate.Headline(text, check)


def scenario_scale_check(result: pd.DataFrame, *, share: float) -> gate.Check | None:
    """The gate's scale check of a scenario's central target output at ``share``.

    Returns
    -------
    hilir.brief.gate.Check or None
        ``gate.scale_check(implied, current)`` of the central bound's target output (t)
        against its current exports (t); ``None`` when the result has no target row or no
        scale columns (nothing to check).
    """
    df = result[np.isclose(result["share"].astype(float), float(share))]
    tgt = df[(df["role"] == "target") & (df["bound"].astype(str) == "central")]
    if tgt.empty or "implied_processed_t" not in tgt.columns:
        return None
    row = tgt.iloc[0]
    what = {
        lang: say(
            "gate.what.scenario_scale",
            lang,
            chain=_name("chain", str(row["chain"]), lang),
            share=format_percent(float(share), lang=lang, decimals=0),
            product=_name("product", str(row["product"]), lang),
            year=str(int(row["year"])),
        )
        for lang in LANGS
    }
    return gate.scale_check(
        float(row["implied_processed_t"]), float(row["current_processed_t"]), what=what
    )


def cited_split(
    exports: pd.DataFrame,
    *,
    lang: str,
    product: str = "palm_oil_mixed",
    year: int | None = None,
    hs: str = "1511",
) -> str:
    """A combined item's export value, with its cited processed share stated as an assumption.

    Parameters
    ----------
    exports : pandas.DataFrame
        Tidy exports holding ``product`` (FAOSTAT palm oil, item 257).
    product : str, default "palm_oil_mixed"
        The combined item; its ``processed_share_volume`` row of the value assumptions is
        quoted (GAPKI / Kemenperin: 79 % of palm export volume in 2020, 74.8 % for HS 1511).
    year : int, optional
        Default the latest year with exports of ``product``.
    hs : str, default "1511"
        The HS heading the item covers, named with the cited share's low bound.

    Returns
    -------
    str
        The item's export value in the year and the cited share as one constant figure (a
        labelled assumption, never a yearly trend).
    """
    from hilir.value import value_assumptions

    check_lang(lang)
    df = exports[(exports["product"] == product) & exports["value_usd"].notna()]
    asm = value_assumptions()
    row = asm[(asm["product"] == product) & (asm["quantity"] == "processed_share_volume")]
    if df.empty or row.empty:
        raise HilirDataError(f"no exports or no cited processed share for {product!r}")
    yr = int(df["year"].max()) if year is None else int(year)
    r = row.iloc[0]
    return say(
        "say.scenarios.cited_split",
        lang,
        geo=geography_label(str(df["reporter"].iloc[0]), lang),
        year=str(yr),
        item=_name("product", product, lang),
        value=format_money(float(df.loc[df["year"] == yr, "value_usd"].sum()), lang=lang),
        central=format_percent(float(r["central"]), lang=lang, decimals=0),
        low=format_percent(float(r["low"]), lang=lang, decimals=1),
        years=f"{int(r['year_from'])}-{int(r['year_to'])}",
        hs=hs,
    )


def scenario_title(result: pd.DataFrame, *, lang: str, share: float) -> str:
    """A scenario chart's finding title for the share quoted: value added first, gross labelled.

    Returns
    -------
    str
        Beyond the plausible scale (``scale_flag`` at the central bound): the implied
        multiple of current exports, no money figure. Otherwise the domestic value added
        retained and the gross export change, low-high (the gross alone, labelled as
        before imported inputs, when no value-added share is available).
    """
    from hilir.value import scenario_summary

    check_lang(lang)
    df = result[np.isclose(result["share"].astype(float), float(share))]
    if df.empty:
        raise HilirDataError(f"the scenario has no share {share}")
    summ = scenario_summary(df).set_index("bound")
    summ.index = summ.index.astype(str)
    fields = {
        "share": format_percent(float(share), lang=lang, decimals=0),
        "chain": _name("chain", str(df["chain"].iloc[0]), lang),
    }
    tgt = df[(df["role"] == "target") & (df["bound"].astype(str) == "central")]
    if len(tgt) and bool(tgt["scale_flag"].iloc[0]) and np.isfinite(tgt["scale_ratio"].iloc[0]):
        text = say(
            "title.scenarios.scale",
            lang,
            **fields,
            ratio=format_ratio(float(tgt["scale_ratio"].iloc[0]), lang=lang),
            target=_name("product", str(tgt["product"].iloc[0]), lang),
        )
        return text[:1].upper() + text[1:]

    def rng(col: str) -> str:
        lo, hi = float(summ[col].min()), float(summ[col].max())
        return format_range(lo, hi, lang=lang, kind="money")

    if summ["delta_domestic_va_usd"].notna().all():
        text = say(
            "title.scenarios.gross",
            lang,
            **fields,
            va=rng("delta_domestic_va_usd"),
            gross=rng("delta_value_usd"),
        )
    else:
        text = say("title.scenarios.gross_only", lang, **fields, gross=rng("delta_value_usd"))
    return text[:1].upper() + text[1:]
