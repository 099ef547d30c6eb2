"""BPS-Statistics Indonesia: the web API's dynamic tables, with ``BPS_API_KEY``.

BPS documents its web API at https://webapi.bps.go.id/developer/ (key on registration). The
request used is the "list of data" of a dynamic table (variable)::

    https://webapi.bps.go.id/v1/api/list/model/data/lang/{ind|eng}/domain/{domain}/
    var/{var}/th/{th}/key/{key}/

``domain`` is ``0000`` for Indonesia and ``1800`` for Lampung (province 18; regencies
``18xx``); ``th`` is the year code (year - 1900: 2024 -> ``124``). The answer is JSON with
``status`` (``OK``), ``data-availability`` (``available`` or ``list-not-available``),
``var`` (title, unit), ``vervar`` (rows: ``val``, ``label``), ``turvar`` (columns),
``tahun`` (years) and ``turtahun`` (sub-periods), and ``datacontent``, a mapping from the
key ``{vervar}{var}{turvar}{tahun}{turtahun}`` (codes concatenated) to the value. Requests are
made one year at a time.

The snapshot is the answers as downloaded plus a long CSV (``domain, var, var_label, unit,
vervar, vervar_label, turvar, turvar_label, year, turtahun_label, value``) in the cache
``user/_fetch/bps/``; BPS's dynamic tables differ by variable, so no built table reads them
yet. Exports by HS code and port come from the export-import portal
(https://www.bps.go.id/en/exim), which the API does not reach: download the table there as
CSV or Excel and file it with ``hilir data import bps_exports FILE`` (see the README).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd

from hilir.errors import HilirOptionError
from hilir.fetch._common import obtain, require_columns
from hilir.fetch._errors import HilirFetchError, HilirFetchKeyError
from hilir.fetch._request import FetchRequest, FetchResult
from hilir.fetch._store import Query, cache_dir
from hilir.fileio import atomic_write_bytes

KEY_ENV = "BPS_API_KEY"
URL = "https://webapi.bps.go.id/v1/api/list/model/data/lang/{lang}/domain/{domain}/var/{var}/th/{th}/key/{key}/"
LICENCE = "BPS terms of use (free reuse with attribution)"
FIELDS = ("status", "data-availability")
TABLE_FIELDS = ("var", "vervar", "turvar", "tahun", "datacontent")
_OPTIONS = ("var", "domain", "lang")


def plan(req: FetchRequest, key: str = "***") -> list[Query]:
    """One request per year of the variable asked (``--option var=ID``)."""
    var = req.option("var", None, allowed=_OPTIONS)
    if var is None:
        raise HilirOptionError(
            "BPS: name the dynamic table with --option var=ID (its number in the table's "
            "address on bps.go.id or in the API's list/model/var), and the region with "
            "--option domain=1800 for Lampung (default 0000, Indonesia)"
        )
    domain = str(req.option("domain", "0000", allowed=_OPTIONS))
    lang = req.option("lang", "eng", allowed=_OPTIONS)
    years = list(req.years) or list(range(pd.Timestamp.now().year - 5, pd.Timestamp.now().year))
    return [
        Query(URL.format(lang=lang, domain=domain, var=var, th=y - 1900, key=key), {}, str(y))
        for y in years
    ]


def _long(body: dict, domain: str, url: str) -> pd.DataFrame:
    require_columns(body, TABLE_FIELDS, url=url, what="the JSON answer")
    var = body["var"][0] if isinstance(body["var"], list) else body["var"]
    rows = []
    for v in body["vervar"]:
        for t in body["turvar"]:
            for y in body["tahun"]:
                for tt in body.get("turtahun") or [{"val": 0, "label": ""}]:
                    code = f"{v['val']}{var['val']}{t['val']}{y['val']}{tt['val']}"
                    if code in body["datacontent"]:
                        rows.append(
                            {
                                "domain": domain,
                                "var": var["val"],
                                "var_label": var.get("label"),
                                "unit": var.get("unit"),
                                "vervar": v["val"],
                                "vervar_label": v["label"],
                                "turvar": t["val"],
                                "turvar_label": t["label"],
                                "year": y["label"],
                                "turtahun_label": tt["label"],
                                "value": body["datacontent"][code],
                            }
                        )
    return pd.DataFrame(rows)


def run(req: FetchRequest, result: FetchResult) -> list[Path]:
    """Fetch the variable's years and write the long CSV; return its path."""
    key = os.environ.get(KEY_ENV)
    if not key:
        raise HilirFetchKeyError(
            f"the BPS web API needs a key: register at https://webapi.bps.go.id/developer/ "
            f"and set the environment variable {KEY_ENV}"
        )
    domain = str(req.option("domain", "0000", allowed=_OPTIONS))
    frames = []
    for shown, real in zip(plan(req), plan(req, key), strict=True):
        path, _ = obtain(
            req, result, real, f"bps_{shown.note}.json", licence=LICENCE, key_env=KEY_ENV
        )
        result.queries[-1] = shown
        body = json.loads(path.read_bytes())
        require_columns(body, FIELDS, url=shown.url, what="the JSON answer")
        if body["status"] != "OK":
            raise HilirFetchError(f"BPS answered status {body['status']!r}", url=shown.url)
        if body["data-availability"] == "available":
            frames.append(_long(body, domain, shown.url))
    if not frames:
        raise HilirFetchError("BPS has no data for this variable and years", url=shown.url)
    table = pd.concat(frames, ignore_index=True)
    out = cache_dir(req.source) / f"bps_{domain}_var{table['var'].iloc[0]}.csv"
    atomic_write_bytes(out, table.to_csv(index=False).encode())
    return [out]
