"""Provenance keys in tables: how several sources are joined into one cell and split again.

A row built from several inputs names them all in its ``source`` column, joined with ``+``
(``faostat_idn_trade+comtrade_idn_coffee_green``). :func:`join_sources` writes that form
and :func:`split_keys` reads it back (also ``;`` and ``,`` as older files wrote them).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["SYNTHETIC_KEYS", "join_cited", "join_sources", "split_keys"]

#: Provenance keys that mark invented data (never allowed in a saved chart).
SYNTHETIC_KEYS = frozenset({"synthetic_example"})
_SPLIT = re.compile(r"\s*[+;,]\s*")
#: What a provenance key looks like (``faostat_idn_trade``, ``user_baci_y2019``).
_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


def split_keys(values: Iterable[object]) -> list[str]:
    """Distinct provenance keys in ``values``, splitting joined keys (``a+b``, ``a;b``).

    Returns
    -------
    list of str
        Sorted keys; empty and missing values are skipped.

    Examples
    --------
    >>> split_keys(["b+a", "a; c", None, ""])
    ['a', 'b', 'c']
    """
    keys: set[str] = set()
    for value in values:
        if value is None or (isinstance(value, float) and value != value):
            continue
        text = str(value).strip()
        if not text or text in {"<NA>", "nan"}:
            continue
        keys.update(k for k in _SPLIT.split(text) if k)
    return sorted(keys)


def join_sources(values: Iterable[object]) -> str:
    """Sorted distinct source keys joined with ``+``.

    Examples
    --------
    >>> join_sources(["b", "a", "b", None])
    'a+b'
    """
    keys = sorted({str(v) for v in values if isinstance(v, str) and v})
    return "+".join(keys)


def join_cited(values: Iterable[object]) -> str:
    """A ``source`` cell of provenance keys and cited texts: the keys sorted, then each text whole.

    An entry made only of provenance keys (one, or several joined with ``+``, ``;`` or
    ``,``) gives its keys; any other entry is a cited text (a research note behind an
    assumption, a user's citation) and is kept whole, in the order first given, so a
    citation holding ``"; "`` or ``"+"`` is never cut into pieces.
    :func:`hilir.brief.blocks.split_cited` reads the cell back.

    Examples
    --------
    >>> join_cited(["b+a", "Tyre makers (2018; US$1.6 bn)", "a", None])
    'a+b+Tyre makers (2018; US$1.6 bn)'
    """
    keys: set[str] = set()
    cited: list[str] = []
    for value in values:
        if not isinstance(value, str) or not value.strip():
            continue
        text = value.strip()
        parts = [p for p in _SPLIT.split(text) if p]
        if all(_KEY.fullmatch(p) for p in parts):
            keys.update(parts)
        elif text not in cited:
            cited.append(text)
    return "+".join([*sorted(keys), *cited])
