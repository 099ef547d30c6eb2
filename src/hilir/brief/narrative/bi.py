"""Trade past the customs data: Bank Indonesia's commodity groups (balance of payments)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from hilir.brief.narrative.rupiah import rupiah_clause
from hilir.brief.narrative.turns import turn_clause, with_turn
from hilir.brief.texts import say
from hilir.errors import HilirDataError
from hilir.i18n import format_money
from hilir.i18n.catalog import check_lang


def bi_extension(
    annual: pd.DataFrame,
    *,
    lang: str,
    group: str,
    partial: pd.DataFrame | None = None,
    trade_last_year: int | None = None,
) -> str:
    """A sentence carrying a chain's exports past the trade data with a Bank Indonesia group.

    Parameters
    ----------
    annual : pandas.DataFrame
        :func:`hilir.value.bi_trade_series` output (annual): ``year, value`` (USD) and
        ``preliminary``.
    lang : {"id", "en"}
    group : str
        The Bank Indonesia commodity group, quoted as published ("Coffee bean").
    partial : pandas.DataFrame, optional
        The same group's January-May series (``period="jan-may"``): the latest year and the
        year before, quoted when given.
    trade_last_year : int, optional
        The last year of the chain's customs (HS / FAOSTAT) series, named in the sentence;
        ``None`` when the shipped customs data hold none of the chain.

    Returns
    -------
    str
        From the first to the last year (the last also in rupiah at that year's average
        rate), with the peak where the series turned, the basis
        (balance-of-payments commodity groups, not HS codes), "preliminary" marks, and a
        clause when the group covers only part of its chain (``coverage == "part"``).
    """
    check_lang(lang)
    df = annual.dropna(subset=["value"]).sort_values("year")
    if len(df) < 2:
        raise HilirDataError(f"the Bank Indonesia series of {group!r} has fewer than two years")
    first, last = df.iloc[0], df.iloc[-1]
    prelim = " " + say("bi.preliminary", lang) if bool(last.get("preliminary", False)) else ""
    text = say(
        "bi.extension" if trade_last_year else "bi.extension_alone",
        lang,
        group=group,
        a=format_money(float(first["value"]), lang=lang),
        y0=str(int(first["year"])),
        b=format_money(float(last["value"]), lang=lang),
        y1=str(int(last["year"])),
        prelim=prelim,
        trade=str(trade_last_year) if trade_last_year else "-",
        rupiah=rupiah_clause(float(last["value"]), year=int(last["year"]), lang=lang),
    )
    turn = turn_clause(
        df["year"].to_numpy(),
        df["value"].to_numpy(dtype=float),
        lang=lang,
        fmt=lambda x: format_money(x, lang=lang),
    )
    part = "coverage" in df.columns and (df["coverage"].astype(str) == "part").any()
    parts = [with_turn(text, turn), say("bi.part", lang, group=group) if part else ""]
    if partial is not None and len(partial.dropna(subset=["value"])) >= 2:
        p = partial.dropna(subset=["value"]).sort_values("year")
        now, before = p.iloc[-1], p.iloc[-2]
        parts.append(
            say(
                "bi.partial",
                lang,
                group=group,
                year=str(int(now["year"])),
                c=format_money(float(now["value"]), lang=lang),
                d=format_money(float(before["value"]), lang=lang),
                pct=f"{(float(now['value']) / float(before['value']) - 1.0) * 100:+.0f}%"
                if float(before["value"]) > 0 and np.isfinite(float(before["value"]))
                else "-",
            )
        )
    return " ".join(x for x in parts if x)


def bi_extension_of(
    bi: pd.DataFrame, *, lang: str, group: str, trade_last_year: int | None = None
) -> str:
    """:func:`bi_extension` of one group of ``hilir.load_bi_exports()``, annual and Jan-May."""
    from hilir.value import bi_trade_series

    return bi_extension(
        bi_trade_series(bi, group),
        lang=lang,
        group=group,
        partial=bi_trade_series(bi, group, period="jan-may"),
        trade_last_year=trade_last_year,
    )
