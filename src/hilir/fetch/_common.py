"""Shared steps of the fetchers: a cached request, a cached file, a layout check."""

from __future__ import annotations

import hashlib
import shlex
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from hilir.fetch._errors import HilirFetchError
from hilir.fetch._http import download, mask, request
from hilir.fetch._request import FetchRequest, FetchResult
from hilir.fetch._store import Query, cached_path, is_cached, read_meta, write_meta
from hilir.fileio import atomic_write_bytes


def obtain(
    req: FetchRequest,
    result: FetchResult,
    query: Query,
    name: str,
    *,
    licence: str,
    stream: bool = False,
    key_env: str | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[Path, dict[str, Any]]:
    """The answer to a query: from the cache, or downloaded (atomically) and described.

    Parameters
    ----------
    req, result : FetchRequest, FetchResult
        The fetch (``refresh``, ``progress``) and its record (hits and files are counted).
    query : Query
        The request.
    name : str
        File name of the answer in the cache (after the query's hash).
    licence : str
        Licence recorded in the description.
    stream : bool, default False
        A large file: streamed and resumable (:func:`hilir.fetch._http.download`).
    key_env : str, optional
        Environment variable of the key, for messages.
    headers : dict, optional
        Request headers.

    Returns
    -------
    (pathlib.Path, dict)
        The file and its description (:func:`hilir.fetch._store.write_meta`).
    """
    path = cached_path(req.source, query, name)
    result.queries.append(query)
    if is_cached(path) and not req.refresh:
        result.cache_hits += 1
        result.files.append(path)
        return path, read_meta(path)
    if stream:
        if query.params:
            raise HilirFetchError("a streamed download takes no query parameters", url=query.url)
        download(query.url, path, progress=req.progress, key_env=key_env)
    else:
        resp = request(query.url, params=query.params, headers=headers, key_env=key_env)
        atomic_write_bytes(path, resp.content)
    result.files.append(path)
    return path, write_meta(path, query, licence=licence)


def require_columns(found: Iterable[str], needed: Iterable[str], *, url: str, what: str) -> None:
    """Raise when an answer lacks documented columns or fields, naming them and the URL.

    Raises
    ------
    HilirFetchError
        ``what`` (the file or the JSON object) misses some of ``needed``.
    """
    have = {str(c).strip() for c in found}
    missing = [c for c in needed if c not in have]
    if missing:
        raise HilirFetchError(
            f"the service changed its layout: {what} has no {missing} (it has "
            f"{sorted(have)[:20]}); hilir reads the documented layout. Download the file by "
            "hand and check it, or report the change",
            url=mask(url),
        )


def query_tag(req: FetchRequest) -> str:
    """Eight hex digits naming what was asked (codes, years, partners, options; no key).

    An extract's file name carries it, so fetching the same thing again replaces the earlier
    snapshot (:func:`hilir.data.fetching.file_extract`) while another query gets its own.
    """
    asked = [req.source, req.chains, req.hs, req.years, req.reporter, req.partners, req.freq]
    asked.append(sorted((k, str(v)) for k, v in req.options.items() if "key" not in k.lower()))
    return hashlib.sha256(repr(asked).encode()).hexdigest()[:8]


def command_line(req: FetchRequest) -> str:
    """The ``hilir data fetch`` command that makes this request (for sidecars)."""
    parts = ["hilir", "data", "fetch", req.source]
    for chain in req.chains:
        parts += ["--chain", chain]
    for code in req.hs:
        parts += ["--hs", code]
    if req.years:
        parts += ["--years", ",".join(str(y) for y in req.years)]
    parts += ["--reporter", req.reporter]
    if req.source == "comtrade":
        parts += ["--partners", req.partners, "--freq", req.freq]
    for k, v in sorted(req.options.items()):
        parts += ["--option", f"{k}={v}"]
    return shlex.join(parts)
