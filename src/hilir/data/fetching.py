"""``hilir data fetch``: download a source's current data and file it as an import.

The downloads, the cache and the reader-ready extracts are made by :mod:`hilir.fetch`; each
extract is then filed by :func:`hilir.data.importer.import_file`, the path of ``hilir data
import`` (same reader, same checks, same precedence at build time), and its sidecar is
completed with what was fetched: the addresses, the query, the retrieval time (UTC), the
sha256 of every download and the licence.

Fetching the same thing again (same source, codes, years, partners, options) gives an
extract of the same name: when its content changed (the service revised its figures), the
earlier *fetched* snapshot of that name is replaced, so the newest vintage counts and no
flow is counted twice. A file of that name imported by hand is never replaced: the import is
then refused, as ``hilir data import`` refuses it.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from typing import Any

from hilir.data.importer import import_file, store_bulk
from hilir.fetch import Extract, FetchResult, make_request, run
from hilir.paths import user_dir
from hilir.provenance.sidecar import Provenance, discover, sha256_of, write_sidecar

#: How a fetched snapshot's sidecar begins its ``taken_from``.
FETCHED = "fetched with `"


def _supersede(extract: Extract) -> str:
    """Remove an earlier fetched snapshot of the same name whose content differs.

    Returns
    -------
    str
        A note naming the snapshot replaced ("" when none was).
    """
    folder = user_dir() / extract.fmt
    if not folder.is_dir():
        return ""
    digest = sha256_of(extract.path)
    for old in discover(folder):
        if old.file != extract.path.name or old.sha256 == digest:
            continue
        if not old.taken_from.startswith(FETCHED):
            return ""  # a file imported by hand: import_file refuses to replace it
        old.data_path.unlink(missing_ok=True)
        old.path.unlink(missing_ok=True)  # type: ignore[union-attr]
        return f" Replaces the snapshot fetched on {old.accessed} (sha256 {old.sha256[:12]})."
    return ""


def _kept(extract: Extract, progress: bool) -> Extract:
    """A bulk extract reduced to the rows it keeps (checked on the whole file).

    The whole file, which the fetch unpacked into its cache, is removed once the rows kept
    are written (or when the check fails: it can be unpacked again from the archive).
    """
    if not extract.keep:
        return extract
    from hilir.sources.baci import filter_baci

    out = extract.path.with_name(extract.keep_name)
    label = f"{extract.metas[0]['url'].rsplit('/', 1)[-1]}:{extract.keep_name}"
    try:
        filter_baci(extract.path, out, progress=progress or None, label=label, **extract.keep)
    finally:
        extract.path.unlink(missing_ok=True)
    return dataclasses.replace(extract, path=out, keep={}, keep_name="")


def file_extract(extract: Extract, *, progress: bool = True) -> Provenance:
    """File a reader-ready extract through ``hilir data import`` and describe the fetch.

    Parameters
    ----------
    extract : Extract
        The file, the reader, the downloads it was made from and the command line. A bulk
        extract (``keep``) is first reduced to the rows it keeps.
    progress : bool, default True
        A progress bar while a bulk file is scanned (for files over 50 MB).

    Returns
    -------
    Provenance
        The sidecar record, whose ``taken_from`` and ``notes`` name the URLs, the query, the
        retrieval time and the sha256 of each download.

    Raises
    ------
    HilirDataError
        The reader rejects the file (nothing is filed).
    """
    extract = _kept(extract, progress)
    metas = extract.metas
    replaced = _supersede(extract)
    record = import_file(
        extract.fmt, extract.path, url=metas[0]["url"], reader_args=dict(extract.reader_args)
    )
    when = max(m["retrieved"] for m in metas)
    urls = "; ".join(sorted({m["url"] for m in metas}))
    queries = "; ".join(json.dumps(m["query"], sort_keys=True) for m in metas if m["query"])
    sums = ", ".join(m["sha256"][:12] for m in metas)
    record = dataclasses.replace(
        record,
        taken_from=f"{FETCHED}{extract.command}` from {urls} at {when} (UTC)",
        accessed=when[:10],
        licence=metas[0]["licence"] or record.licence,
        notes=(
            f"{record.notes} Query: {queries or 'none (whole file)'}. "
            f"Downloads: {len(metas)} (sha256 {sums}); the extract keeps the rows asked."
            f"{replaced}"
        ),
    )
    write_sidecar(record)
    store_bulk(record)  # BACI: the Parquet copy's sidecar says what was fetched too
    return record


def fetch(
    source: str,
    *,
    chains: Iterable[str] = (),
    hs: Iterable[str] = (),
    years: Iterable[int] = (),
    reporter: str = "IDN",
    partners: str = "world",
    freq: str = "annual",
    refresh: bool = False,
    dry_run: bool = False,
    progress: bool = True,
    url: str | None = None,
    **options: Any,
) -> FetchResult:
    """Download a source's data for the chains and years asked and file it in ``data/user/``.

    Parameters
    ----------
    source : str
        ``comtrade``, ``bps``, ``faostat``, ``pinksheet``, ``usda`` or ``baci``
        (:data:`hilir.fetch.SOURCES`).
    chains : iterable of str, optional
        Registry chains (their HS codes or FAO items).
    hs : iterable of str, optional
        More HS codes.
    years : iterable of int, optional
        Years (default: the whole file, or the last five years for APIs).
    reporter : str, default "IDN"
        ISO alpha-3 reporter.
    partners : {"world", "all"}, default "world"
        UN Comtrade: the world total only, or every partner.
    freq : {"annual", "monthly"}, default "annual"
        UN Comtrade and the Pink Sheet.
    refresh : bool, default False
        Download again even when the answer is cached.
    dry_run : bool, default False
        Only list the requests; nothing is downloaded or written.
    progress : bool, default True
        Progress bars for downloads.
    url : str, optional
        Another address for a bulk file.
    **options
        Source options (``var``, ``domain``, ``lang`` for BPS; ``release``, ``version`` for
        BACI; ``dataset`` for FAOSTAT; ``flow``, ``require_key`` for UN Comtrade).

    Returns
    -------
    FetchResult
        The requests, the sidecars filed (``records``; run ``hilir data build`` to use them),
        the cached downloads and the cache hits.

    Raises
    ------
    HilirOptionError
        An unknown source, partner set, frequency or option.
    HilirFetchKeyError
        A key that is missing or refused (401/403).
    HilirFetchError
        No connection, another HTTP error, or an answer whose layout differs from the
        documented one (naming the URL and what differed). Nothing is filed then.
    HilirDataError
        The reader rejects the downloaded file (as ``hilir data import`` would).

    Examples
    --------
    >>> from hilir.data import fetch
    >>> fetch("usda", dry_run=True).queries[0].url
    'https://apps.fas.usda.gov/psdonline/downloads/psd_coffee_csv.zip'
    """
    req = make_request(
        source,
        chains=chains,
        hs=hs,
        years=years,
        reporter=reporter,
        partners=partners,
        freq=freq,
        refresh=refresh,
        dry_run=dry_run,
        progress=progress,
        url=url,
        **options,
    )
    result = run(req)
    result.records = [file_extract(e, progress=progress) for e in result.extracts]
    return result
