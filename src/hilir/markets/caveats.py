"""Caveats a market result must carry, read from the provenance records of its sources.

The ferro-nickel destination file states no year (2020 is inferred from its total): any
result from it must say so. This module reads the sidecars (through
:func:`hilir.provenance.catalog.input_records`), never data files.
"""

from __future__ import annotations

from collections.abc import Iterable

from hilir.provenance.sidecar import Provenance


def source_caveats(
    keys: Iterable[str], *, records: Iterable[Provenance] | None = None
) -> list[dict[str, str]]:
    """Bilingual caveats of the sources behind a result.

    Parameters
    ----------
    keys : iterable of str
        Provenance keys (``+``-joined keys are split).
    records : iterable of Provenance, optional
        Records to look in; default the shipped snapshots and the user's imports.

    Returns
    -------
    list of dict
        ``{"id": ..., "en": ..., "key": ...}`` for each source whose year was inferred
        (``reader_args.year_inferred``) or whose ``latest_year`` is unknown.

    Examples
    --------
    >>> from hilir.markets import source_caveats
    >>> source_caveats(["comtrade_idn_ferronickel_destinations"])[0]["en"]  # doctest: +SKIP
    'UN Comtrade ferro-nickel destinations: the source states no year; 2020 is inferred ...'
    """
    from hilir.provenance.keys import split_keys

    wanted = split_keys(keys)
    if records is None:
        from hilir.provenance.catalog import input_records

        records = input_records()
    by_key = {r.key: r for r in records}
    out: list[dict[str, str]] = []
    for key in wanted:
        rec = by_key.get(key)
        if rec is None:
            continue
        args = rec.reader_args or {}
        if args.get("year_inferred"):
            year = args.get("year", "?")
            out.append(
                {
                    "key": key,
                    "id": f"{rec.source_label.get('id', key)} ({key}): sumber tidak menyebut "
                    f"tahun; {year} disimpulkan dari totalnya",
                    "en": f"{rec.source_label.get('en', key)} ({key}): the source states no "
                    f"year; {year} is inferred from its total",
                }
            )
    return out
