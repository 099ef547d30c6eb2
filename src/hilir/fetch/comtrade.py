"""UN Comtrade: the public preview without a key, the full data API with ``COMTRADE_API_KEY``.

The requests are those of the official ``comtradeapicall`` package (1.3.2,
``PreviewGet.getPreviewData``; ``tests/test_fetch.py`` checks that they agree):

* preview, no key: ``https://comtradeapi.un.org/public/v1/preview/{typeCode}/{freqCode}/
  {clCode}``; full API, key: ``https://comtradeapi.un.org/data/v1/get/{typeCode}/{freqCode}/
  {clCode}`` with the key in the ``subscription-key`` parameter;
* parameters ``reportercode`` (M49, 360 Indonesia), ``period`` (``2023`` or ``202305``,
  comma-separated), ``cmdCode`` (comma-separated HS codes), ``flowCode`` (``X`` exports,
  ``M`` imports), ``partnerCode`` (``0`` world; left out: every partner), ``partner2Code``
  ``0``, ``customsCode`` ``C00``, ``motCode`` ``0`` (no breakdowns), ``maxRecords``,
  ``format=JSON``, ``includeDesc=True``;
* the answer is JSON ``{"elapsedTime", "count", "data": [...], "error"}``; each record has the
  fields of the current bulk layout read by :func:`hilir.sources.comtrade.read_comtrade`
  (``refYear, refMonth, reporterISO, flowCode, partnerISO, cmdCode, netWgt, primaryValue`` ...).

The preview returns at most :data:`PREVIEW_MAX_RECORDS` records per call (UN Comtrade's
preview limit); a call is therefore made per year (per month for monthly data) and per group
of HS codes, and a group that comes back full is split in halves until each answer is
complete (a single code still full is an error: use a key). Calls are spaced by
:data:`MIN_INTERVAL_S` (the package itself waits 10 s and retries once on a failure). The
package answers failures by printing them and returning ``None``, which cannot tell a wrong
key from no data; hilir therefore sends the same requests through :mod:`requests`, with
retries, and says what went wrong. Sources: ``comtradeapicall`` on PyPI
(https://pypi.org/project/comtradeapicall/), UN Comtrade API portal
(https://comtradedeveloper.un.org/).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pandas as pd

from hilir.errors import HilirOptionError
from hilir.fetch._common import command_line, obtain, query_tag, require_columns
from hilir.fetch._errors import HilirFetchError, HilirFetchKeyError
from hilir.fetch._request import Extract, FetchRequest, FetchResult
from hilir.fetch._store import Query, cache_dir

KEY_ENV = "COMTRADE_API_KEY"
PREVIEW_URL = "https://comtradeapi.un.org/public/v1/preview/C/{freq}/HS"
DATA_URL = "https://comtradeapi.un.org/data/v1/get/C/{freq}/HS"
PREVIEW_MAX_RECORDS = 500
KEY_MAX_RECORDS = 250_000
MIN_INTERVAL_S = 1.0
#: HS codes per preview call (split further when an answer is full).
PREVIEW_CODES = 10
LICENCE = "UN Comtrade terms of use (attribution)"
#: Fields a data record must carry (the current layout; module doc).
FIELDS = ("refYear", "reporterISO", "flowCode", "partnerISO", "cmdCode", "primaryValue")
_M49 = {"IDN": 360}
_OPTIONS = ("flow", "require_key")


def _periods(req: FetchRequest) -> list[str]:
    years = list(req.years) or list(range(pd.Timestamp.now().year - 5, pd.Timestamp.now().year))
    if req.freq == "annual":
        return [str(y) for y in years]
    return [f"{y}{m:02d}" for y in years for m in range(1, 13)]


def _flow(req: FetchRequest) -> str:
    flow = str(req.option("flow", "X", allowed=_OPTIONS))
    codes = {"x": "X", "export": "X", "m": "M", "import": "M"}
    if flow.lower() not in codes:
        raise HilirOptionError(f"UN Comtrade flow {flow!r}: use export (X) or import (M)")
    return codes[flow.lower()]


def _params(req: FetchRequest, period: str, codes: list[str], key: str | None) -> dict:
    reporter = _M49.get(req.reporter.upper())
    if reporter is None:
        import pycountry

        country = pycountry.countries.get(alpha_3=req.reporter.upper())
        if country is None:
            raise HilirOptionError(f"unknown reporter {req.reporter!r} (an ISO alpha-3 code)")
        reporter = int(country.numeric)
    params = {
        "reportercode": reporter,
        "flowCode": _flow(req),
        "period": period,
        "cmdCode": ",".join(codes),
        "partnerCode": 0 if req.partners == "world" else None,
        "partner2Code": 0,
        "motCode": 0,
        "customsCode": "C00",
        "maxRecords": KEY_MAX_RECORDS if key else PREVIEW_MAX_RECORDS,
        "format": "JSON",
        "includeDesc": True,
    }
    if key:
        params["subscription-key"] = key
    return {k: v for k, v in params.items() if v is not None}


def plan(req: FetchRequest) -> list[Query]:
    """The first requests of a fetch (split further when a preview answer is full)."""
    key = os.environ.get(KEY_ENV) or None
    codes = req.hs_codes()
    if not codes:
        raise HilirOptionError("UN Comtrade: name a chain (--chain) or HS codes (--hs)")
    freq = "A" if req.freq == "annual" else "M"
    url = (DATA_URL if key else PREVIEW_URL).format(freq=freq)
    if key:  # one call per year: 12 months or one year, all codes
        years = sorted({p[:4] for p in _periods(req)})
        groups = [[p for p in _periods(req) if p.startswith(y)] for y in years]
        return [
            Query(url, _params(req, ",".join(g), codes, key), f"{g[0][:4]}, {len(codes)} codes")
            for g in groups
        ]
    chunks = [codes[i : i + PREVIEW_CODES] for i in range(0, len(codes), PREVIEW_CODES)]
    return [
        Query(url, _params(req, p, c, None), f"preview {p}, {','.join(c)}")
        for p in _periods(req)
        for c in chunks
    ]


def _records(path: Path, query: Query, limit: int) -> tuple[list[dict], bool]:
    try:
        body = json.loads(path.read_bytes())
    except ValueError as exc:
        path.unlink(missing_ok=True)
        raise HilirFetchError("UN Comtrade did not answer JSON", url=query.url) from exc
    require_columns(body, ("data",), url=query.url, what="the JSON answer")
    data = body["data"] or []
    if data:
        require_columns(data[0], FIELDS, url=query.url, what="a data record")
    return data, len(data) >= limit


def _collect(req: FetchRequest, result: FetchResult, query: Query, key: str | None) -> list:
    name = f"comtrade_{query.params['period'][:6]}.json"
    path, _ = obtain(req, result, query, name, licence=LICENCE, key_env=KEY_ENV)
    limit = KEY_MAX_RECORDS if key else PREVIEW_MAX_RECORDS
    data, full = _records(path, query, limit)
    if not full:
        return data
    codes = query.params["cmdCode"].split(",")
    if len(codes) == 1:
        hint = f"set {KEY_ENV} to use the full API" if not key else "ask fewer years"
        raise HilirFetchError(
            f"UN Comtrade returned its limit of {limit} records for one code "
            f"({codes[0]}, {query.params['period']}): the answer is cut; {hint}",
            url=query.url,
        )
    half = len(codes) // 2
    out: list = []
    for part in (codes[:half], codes[half:]):
        params = {**query.params, "cmdCode": ",".join(part)}
        time.sleep(MIN_INTERVAL_S)
        out += _collect(req, result, Query(query.url, params, f"split {','.join(part)}"), key)
    return out


def run(req: FetchRequest, result: FetchResult) -> list[Extract]:
    """Make the requests, write the records as one CSV and file it (reader ``comtrade``)."""
    key = os.environ.get(KEY_ENV) or None
    if (
        str(req.option("require_key", "false", allowed=_OPTIONS)).lower() in ("1", "true", "yes")
        and not key
    ):
        raise HilirFetchKeyError(
            f"the full UN Comtrade API needs a key: set the environment variable {KEY_ENV} "
            "(free registration at https://comtradedeveloper.un.org/), or leave out "
            "require_key to use the preview"
        )
    rows: list[dict] = []
    for i, query in enumerate(plan(req)):
        if i and not result.cache_hits:
            time.sleep(MIN_INTERVAL_S)
        rows += _collect(req, result, query, key)
    if not rows:
        raise HilirFetchError(
            "UN Comtrade has no records for this query (reporter, years, codes)",
            url=plan(req)[0].url,
        )
    frame = pd.DataFrame(rows).drop_duplicates()
    periods = sorted(frame["period"].astype(str).unique())
    stem = f"comtrade_{req.reporter}_{req.freq}_{periods[0]}-{periods[-1]}_{req.partners}"
    extract = cache_dir(req.source) / f"{stem}_{query_tag(req)}.csv"
    tmp = extract.with_name(extract.name + ".tmp")
    frame.to_csv(tmp, index=False)
    tmp.replace(extract)
    from hilir.fetch._store import read_meta

    metas = [read_meta(p) for p in dict.fromkeys(result.files)]
    return [Extract("comtrade", extract, tuple(metas), command_line(req))]
