"""``hilir data fetch``: download current data and make reader-ready extracts of it.

Sources (one module each; their docstrings cite the documented addresses and layouts):
``comtrade`` (:mod:`hilir.fetch.comtrade`), ``bps`` (:mod:`hilir.fetch.bps`), ``faostat``,
``pinksheet`` and ``usda`` (:mod:`hilir.fetch.bulk`), ``baci`` (:mod:`hilir.fetch.baci`).

Every download goes to the user data folder's ``user/_fetch/<source>/`` (a temporary
``.part`` file renamed when complete; a cache keyed on address and query), then the rows
asked are written as a reader-ready extract (:class:`Extract`), which :func:`hilir.data.fetch`
files through :func:`hilir.data.importer.import_file` with the reader of that source, so a
fetched file is read and checked exactly like an imported one, and its sidecar records the
address, query, retrieval time, sha256 and licence. This package sits below
:mod:`hilir.data` (it downloads; ``hilir.data`` files). Needs the ``fetch`` extra
(``pip install "hilir[fetch]"``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from hilir.errors import HilirOptionError
from hilir.fetch._errors import HilirFetchError, HilirFetchKeyError
from hilir.fetch._request import Extract, FetchRequest, FetchResult
from hilir.fetch._store import Query, cached_path

__all__ = [
    "FETCH_COMMANDS",
    "SOURCES",
    "Extract",
    "FetchRequest",
    "FetchResult",
    "HilirFetchError",
    "HilirFetchKeyError",
    "Query",
    "cached_path",
    "make_request",
    "plan",
    "run",
]

#: Source -> (what it brings, environment variable of its key or "").
SOURCES: dict[str, tuple[str, str]] = {
    "comtrade": ("UN Comtrade trade by HS code (preview without a key)", "COMTRADE_API_KEY"),
    "bps": ("BPS web API dynamic tables (Indonesia 0000, Lampung 1800)", "BPS_API_KEY"),
    "faostat": ("FAOSTAT trade or production, normalized bulk archive", ""),
    "pinksheet": ("World Bank Pink Sheet workbook, monthly or annual", ""),
    "usda": ("USDA PSD coffee bulk CSV", ""),
    "baci": ("CEPII BACI release archive (large; resumable)", ""),
}

#: Reader (``hilir data import`` format) -> the ``hilir data fetch`` command that brings its
#: data up to date. BPS web-API tables are not filed into a built table, so BPS readers keep
#: their portal-download recipe (``hilir data import``).
FETCH_COMMANDS: dict[str, str] = {
    "comtrade": "hilir data fetch comtrade",
    "faostat_trade": "hilir data fetch faostat --option dataset=trade",
    "faostat_production": "hilir data fetch faostat --option dataset=production",
    "pinksheet": "hilir data fetch pinksheet --freq monthly",
    "usda_psd": "hilir data fetch usda",
    "baci": "hilir data fetch baci",
}


def plan(req: FetchRequest) -> list[Query]:
    """The requests a fetch starts with (what ``--dry-run`` prints); nothing is sent."""
    from hilir.fetch import baci, bps, bulk, comtrade

    planners: dict[str, Callable[[FetchRequest], Any]] = {
        "comtrade": comtrade.plan,
        "bps": bps.plan,
        "faostat": lambda r: [bulk._faostat_query(r)[0]],
        "pinksheet": lambda r: [bulk.pinksheet_query(r)],
        "usda": lambda r: [bulk.Query(r.url or bulk.USDA_URL, {}, "USDA PSD coffee")],
        "baci": lambda r: [baci.query(r)],
    }
    return list(planners[req.source](req))


def _runner(source: str) -> Callable[[FetchRequest, FetchResult], list]:
    from hilir.fetch import baci, bps, bulk, comtrade

    return {
        "comtrade": comtrade.run,
        "bps": bps.run,
        "faostat": bulk.faostat,
        "pinksheet": bulk.pinksheet,
        "usda": bulk.usda,
        "baci": baci.run,
    }[source]


def make_request(
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
) -> FetchRequest:
    """Check the arguments of a fetch and return the request (see :func:`hilir.data.fetch`).

    Raises
    ------
    HilirOptionError
        An unknown source, partner set or frequency.
    """
    if source not in SOURCES:
        raise HilirOptionError(f"unknown source {source!r}; use one of {', '.join(SOURCES)}")
    if partners not in ("world", "all") or freq not in ("annual", "monthly"):
        raise HilirOptionError("partners is world or all; freq is annual or monthly")
    return FetchRequest(
        source=source,
        chains=tuple(chains),
        hs=tuple(str(h) for h in hs),
        years=tuple(sorted(int(y) for y in years)),
        reporter=reporter.upper(),
        partners=partners,  # type: ignore[arg-type]
        freq=freq,  # type: ignore[arg-type]
        refresh=refresh,
        dry_run=dry_run,
        progress=progress,
        url=url,
        options=dict(options),
    )


def run(req: FetchRequest) -> FetchResult:
    """Make a fetch's requests (or only list them, for ``dry_run``) and its extracts.

    Returns
    -------
    FetchResult
        The requests, the cached downloads, the cache hits and the extracts to file (none for
        ``dry_run``, and none for BPS dynamic tables: their long CSV is in ``files``).
    """
    result = FetchResult(source=req.source, dry_run=req.dry_run)
    if req.dry_run:
        result.queries = plan(req)
        return result
    out = _runner(req.source)(req, result)
    result.extracts = [e for e in out if isinstance(e, Extract)]
    result.files += [p for p in out if not isinstance(p, Extract)]
    return result
