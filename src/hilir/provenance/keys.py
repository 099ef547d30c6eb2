"""Provenance keys in tables: how several sources are joined into one cell and split again.

A row built from several inputs names them all in its ``source`` column, joined with ``+``
(``faostat_idn_trade+comtrade_idn_coffee_green``). :func:`join_sources` writes that form
and :func:`split_keys` reads it back (also ``;`` and ``,`` as older files wrote them).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["SYNTHETIC_KEYS", "join_sources", "split_keys"]

#: Provenance keys that mark invented data (never allowed in a saved chart).
SYNTHETIC_KEYS = frozenset({"synthetic_example"})
_SPLIT = re.compile(r"\s*[+;,]\s*")


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
