"""Honest endpoints: where a series turned between the two years a change sentence names.

A sentence "rose 120 % from 2000 to 2023" hides a fall of 69 % since a 2011 peak. The
change sentences (:func:`hilir.brief.narrative.series_change`, ``production_change``,
``world_price_change``) append :func:`turn_clause`, which names the peak (or the low) and
how far the latest value is from it whenever the series moved back by at least
:data:`TURN_MIN_SHARE` of that extreme.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from hilir.brief.texts import say
from hilir.i18n import format_percent

__all__ = ["TURN_MIN_SHARE", "turn_clause", "with_turn"]

#: Smallest move back from a peak (or up from a low), as a share of that extreme, that a
#: change sentence must mention (hilir convention, documented choice: 10 %). Smaller moves
#: are within the year-to-year noise of the trade and price series the briefs quote.
TURN_MIN_SHARE = 0.10


def turn_clause(
    years: Sequence[int] | np.ndarray,
    values: Sequence[float] | np.ndarray,
    *,
    lang: str,
    fmt: Callable[[float], str],
) -> str:
    """The clause naming the peak (or low) the series turned at, or "" when it did not.

    Parameters
    ----------
    years, values : sequence
        The annual series from the first to the last year of the sentence (sorted by
        year; missing values are dropped).
    lang : str
        ``id`` or ``en``.
    fmt : callable
        Formats a value in the sentence's unit (``US$2.6 billion``, ``15 thousand t``).

    Returns
    -------
    str
        For a series that ended above its start: when its peak before the last year is
        at least ``TURN_MIN_SHARE`` above the last value, "it peaked at P in Y and in Z
        was D % below that peak" (a clause :func:`with_turn` joins to its sentence). For
        one that ended below its start: the same with its low. Otherwise an empty string.

    Examples
    --------
    >>> turn_clause([2000, 2011, 2023], [1.0, 5.0, 2.2], lang="en", fmt=lambda v: f"{v:g}")
    'it peaked at 5 in 2011 and in 2023 was 56% below that peak'
    >>> turn_clause([2000, 2010, 2020], [1.0, 2.0, 3.0], lang="en", fmt=str)
    ''
    """
    y = np.asarray(values, dtype=float)
    t = np.asarray(years)
    keep = np.isfinite(y)
    y, t = y[keep], t[keep]
    if len(y) < 3:
        return ""
    first, last = y[0], y[-1]
    inner = y[:-1]
    if last >= first:
        i = int(np.argmax(inner))
        peak = inner[i]
        if peak <= 0 or (peak - last) / peak < TURN_MIN_SHARE:
            return ""
        key, pct = "say.policy.turn_peak", (peak - last) / peak
    else:
        i = int(np.argmin(inner))
        low = inner[i]
        if low <= 0 or (last - low) / low < TURN_MIN_SHARE:
            return ""
        key, pct = "say.policy.turn_low", (last - low) / low
    return say(
        key,
        lang,
        extreme=fmt(float(inner[i])),
        y_turn=str(int(t[i])),
        y1=str(int(t[-1])),
        pct=format_percent(float(pct), lang=lang, decimals=0),
    )


def with_turn(text: str, turn: str) -> str:
    """One sentence: ``text`` and its turn clause after a semicolon.

    The summary box of a brief quotes the first sentence of a finding; a change sentence
    keeps its peak (or low) in that same sentence, so that no summary says "rose 3.7 times"
    without the fall since the peak.

    Examples
    --------
    >>> with_turn("Exports rose to 3 in 2020 (3.7 times).", "it peaked at 11 in 2011")
    'Exports rose to 3 in 2020 (3.7 times); it peaked at 11 in 2011.'
    >>> with_turn("Exports rose.", "")
    'Exports rose.'
    """
    if not turn:
        return text
    return f"{text.rstrip().rstrip('.')}; {turn.rstrip('.')}."
