"""Shared pieces of the market charts: scope and market names, money and date texts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from hilir.errors import HilirDataError
from hilir.i18n.labels import partner_label, scope_label
from hilir.i18n.numbers import format_money, format_percent
from hilir.plots.common import (
    geo_code,
    select_geography,
)
from hilir.plots.sources import Note

RESIDUAL_HATCH = "////"


def _chain_of(scope: str) -> str | None:
    """Registry chain of a scope (``coffee_green+coffee_green_decaf`` -> ``coffee``)."""
    from hilir.registry.tables import chain_table, products

    first = str(scope).split("+")[0]
    chains = set(chain_table()["chain"].astype(str))
    if first in chains:
        return first
    prods = products()
    hit = prods[prods["product"].astype(str) == first]
    return str(hit["chain"].iloc[0]) if not hit.empty else None


def _scope_label(scope: str, lang: str) -> str:
    """Name of a ``+``-joined scope of products or chains."""
    return scope_label(scope, lang)


def _partner(code: str, lang: str) -> str:
    """Name of a market, or its code when it has none."""
    try:
        return partner_label(code, lang)
    except HilirDataError:
        return code


def _money(x: float, lang: str) -> str:
    dec = 0 if abs(x) >= 100e6 or abs(x) < 1e3 else 1
    if 100e9 > abs(x) >= 1e9:
        dec = 1
    return format_money(x, lang=lang, decimals=dec)


def _wrap_words(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width=width)) or text


def _date_text(iso: str, lang: str, precision: str = "day") -> str:
    from hilir.i18n import format_date

    if precision not in ("day", "month", "year"):
        precision = "day"
    return format_date(pd.Timestamp(iso).date(), lang=lang, precision=precision)  # type: ignore[arg-type]


def _caveat_notes(caveats: Iterable[Mapping[str, str]] | None) -> list[Note]:
    """Chart notes of source caveats computed by the caller (``source_caveats``)."""
    return [{"id": c["id"], "en": c["en"]} for c in caveats or ()]


def _geo_of(frame: pd.DataFrame, geography: str | None, what: str) -> tuple[pd.DataFrame, str]:
    if geography is None:
        col = "reporter" if "reporter" in frame.columns else None
        have = sorted(set(frame[col].astype(str))) if col else []
        if len(have) != 1:
            raise HilirDataError(f"{what} holds several geographies {have}; pass geography=")
        geography = have[0]
    code = geo_code(geography)
    return select_geography(frame, code, what), code


def _share_text(share: float, lang: str) -> str:
    if 0 < share < 0.0005:
        return "<" + format_percent(0.001, lang=lang, decimals=1)
    return format_percent(share, lang=lang, decimals=1)
