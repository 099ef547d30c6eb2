"""Rupiah beside US dollars in a sentence, at the shipped average rate of the value's year.

A provincial reader thinks in rupiah: the sentences on scenarios, Bank Indonesia groups and
Lampung's ports give their main dollar figure in rupiah too, once per sentence, with the
rate and its year (:func:`hilir.data.usd_idr_rate`, ECB reference rates). The rate is always
the one of the value's own year; a year the table lacks is said, never filled in.
"""

from __future__ import annotations

from hilir.brief.texts import say
from hilir.data import usd_idr_rate
from hilir.errors import HilirDataError
from hilir.i18n.units import rupiah_at_rate

__all__ = ["rupiah_clause"]


def rupiah_clause(usd: float, *, year: int, lang: str, signed: bool = False) -> str:
    """A US dollar amount of ``year`` in rupiah at that year's average rate, rate stated.

    Parameters
    ----------
    usd : float
        Amount in US dollars (current dollars of ``year``).
    year : int
        Year of the amount; the rate used is the annual average of the same year.
    lang : {"id", "en"}
    signed : bool, default False
        Put ``+`` before a positive rupiah amount.

    Returns
    -------
    str
        ``"about Rp572 billion at the 2020 average rate of Rp14,563 per US$, from ECB
        reference rates"``, or ``"no rupiah value: the exchange-rate table has no 2030
        average rate"`` when the table holds no rate for ``year``.
    """
    try:
        rate, _source = usd_idr_rate(int(year))
    except HilirDataError:
        return say("unit.rupiah_none", lang, year=str(int(year)))
    return rupiah_at_rate(usd, idr_per_usd=rate, year=int(year), lang=lang, signed=signed)
