"""The Lampung-ports sentence: exports loaded at Lampung's ports by HS chapter (BPS)."""

from __future__ import annotations

import pandas as pd

from hilir.brief.narrative.rupiah import rupiah_clause
from hilir.brief.texts import listed, say
from hilir.errors import HilirDataError
from hilir.i18n import format_money, format_percent
from hilir.i18n.catalog import check_lang, has
from hilir.i18n.labels import partner_label


def _chapter_name(hs2: str, lang: str) -> str:
    key = f"ports.chapter.{hs2}"
    return say(key, lang) if has(key) else say("ports.chapter.other", lang, hs2=hs2)


def ports_lead(
    summary: pd.DataFrame,
    *,
    lang: str,
    hs2: str = "09",
    year: int | None = None,
) -> str:
    """The sentence a Lampung brief can lead with: one chapter's exports loaded at its ports.

    Parameters
    ----------
    summary : pandas.DataFrame
        :func:`hilir.markets.ports.lampung_ports_summary` output.
    lang : {"id", "en"}
    hs2 : str, default "09"
        HS chapter (``"09"`` coffee, tea and spices; ``"15"`` fats and oils).
    year : int, optional
        Default the latest year of the chapter in ``summary``.

    Returns
    -------
    str
        E.g. "In 2025, exports loaded at Lampung's ports (Panjang, Tarahan) of coffee, tea
        and spices (HS 09) were worth US$829.1 million (about Rp13.7 trillion at the 2025
        average rate of Rp16,478 per US$, from ECB reference rates), 24.2% of Indonesia's;
        the main destinations were ... (BPS, port of loading, not province of origin)." Shares of
        destinations are of the chapter's exports loaded at Lampung's ports; the national
        share is left out (with a clause saying so) when the data hold no national total.

    Raises
    ------
    HilirDataError
        ``summary`` has no row for the chapter (or the year).
    """
    check_lang(lang)
    rows = summary[summary["hs2"].astype(str) == str(hs2)]
    if rows.empty:
        have = sorted(set(summary["hs2"].astype(str)))
        raise HilirDataError(f"the ports summary has no HS chapter {hs2!r}; chapters: {have}")
    if year is None:
        year = int(rows["year"].max())
    rows = rows[rows["year"].astype(int) == int(year)]
    if rows.empty:
        raise HilirDataError(f"the ports summary has no row for HS {hs2} in {year}")
    r = rows.iloc[0]
    top = [
        say(
            "ports.top_item",
            lang,
            name=partner_label(str(p), lang),
            share=format_percent(float(s), lang=lang, decimals=0),
        )
        for p, s in zip(r["top_partners"], r["top_shares"], strict=True)
    ]
    fields = {
        "year": int(year),
        "chapter": _chapter_name(str(hs2), lang),
        "hs2": str(hs2),
        "value": format_money(float(r["value_usd"]), lang=lang),
        "rupiah": rupiah_clause(float(r["value_usd"]), year=int(year), lang=lang),
        "top": listed(top, lang),
    }
    share = r["share_of_national"]
    if pd.isna(share):
        return say("ports.lead_no_national", lang, **fields)
    return say(
        "ports.lead", lang, share=format_percent(float(share), lang=lang, decimals=1), **fields
    )


def show_ports(summary: pd.DataFrame, *, lang: str) -> pd.DataFrame:
    """Formatted cells of :func:`hilir.markets.ports.lampung_ports_summary`, newest year first.

    Columns: year, HS chapter (code and name), value loaded at Lampung's ports, share of
    Indonesia's exports of the chapter, and the main destinations with their shares.
    """
    check_lang(lang)
    rows = []
    for _, r in summary.sort_values(["year", "hs2"], ascending=[False, True]).iterrows():
        top = [
            say("ports.top_item", lang, name=partner_label(str(p), lang),
                share=format_percent(float(s), lang=lang, decimals=0))
            for p, s in zip(r["top_partners"], r["top_shares"], strict=False)
        ]  # fmt: skip
        share = r["share_of_national"]
        rows.append(
            {
                "year": str(int(r["year"])),
                "chapter": f"{r['hs2']} {_chapter_name(str(r['hs2']), lang)}",
                "value": format_money(float(r["value_usd"]), lang=lang),
                "share": "-" if pd.isna(share) else format_percent(float(share), lang=lang),
                "top": listed(top, lang),
            }
        )
    out = pd.DataFrame(rows, columns=["year", "chapter", "value", "share", "top"])
    out.attrs["labels"] = {c: say(f"ports.col.{c}", lang) for c in out.columns}
    return out
