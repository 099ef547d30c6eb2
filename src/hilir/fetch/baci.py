"""CEPII BACI: the release archive, streamed and resumable, filtered to the exporter asked.

BACI is published per HS revision and release as one archive
``https://www.cepii.fr/DATA_DOWNLOAD/baci/data/BACI_{HS}_V{version}.zip`` (e.g.
``BACI_HS17_V202501.zip``, about 1-2 GB), which holds one CSV per year,
``BACI_{HS}_Y{year}_V{version}.csv`` (``t, i, j, k, v, q``: year, exporter and importer
(numeric codes), HS6 product, value in thousand USD, quantity in tonnes), and
``country_codes_V{version}.csv``. Page and description:
https://www.cepii.fr/CEPII/en/bdd_modele/bdd_modele_item.asp?id=37 and
https://www.cepii.fr/DATA_DOWNLOAD/baci/doc/DescriptionBACI.html. Licence: Etalab Open
Licence 2.0.

The archive is downloaded to the cache with a progress bar and resumed with an HTTP
``Range`` request after an interruption (:func:`hilir.fetch._http.download`); each year asked
is unpacked, streamed with a progress bar in bytes, beside it. :mod:`hilir.data` then keeps
the exporter's rows (and the HS codes asked) with the filter-first scan
(:func:`hilir.sources.baci.filter_baci`), which checks every line of the year's file, and
removes the unpacked file.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from hilir.errors import HilirOptionError
from hilir.fetch._common import command_line, obtain, require_columns
from hilir.fetch._errors import HilirFetchError
from hilir.fetch._http import _progress
from hilir.fetch._request import Extract, FetchRequest, FetchResult
from hilir.fetch._store import Query, cache_dir

BASE = "https://www.cepii.fr/DATA_DOWNLOAD/baci/data/"
RELEASE = "HS17"
VERSION = "202501"
LICENCE = "Etalab Open Licence 2.0 (CEPII BACI)"
COLUMNS = ("t", "i", "j", "k", "v", "q")
_OPTIONS = ("release", "version")


def query(req: FetchRequest) -> Query:
    """The archive of the release and version asked."""
    release = str(req.option("release", RELEASE, allowed=_OPTIONS)).upper()
    version = str(req.option("version", VERSION, allowed=_OPTIONS))
    return Query(
        req.url or f"{BASE}BACI_{release}_V{version}.zip",
        {},
        f"BACI {release} V{version}, years {list(req.years) or 'all'}, exporter {req.reporter}",
    )


def _check_reporter(reporter: str) -> None:
    """Refuse, before any download, a reporter that is not an ISO alpha-3 country code."""
    import pycountry

    if pycountry.countries.get(alpha_3=reporter.upper()) is None:
        raise HilirOptionError(f"unknown reporter {reporter!r} (an ISO alpha-3 code)")


def run(req: FetchRequest, result: FetchResult) -> list[Extract]:
    """Download (or resume, or reuse) the archive and file one extract per year."""
    _check_reporter(req.reporter)
    q = query(req)
    path, meta = obtain(req, result, q, q.url.rsplit("/", 1)[-1], licence=LICENCE, stream=True)
    prefixes = tuple(req.hs_codes())
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        path.unlink(missing_ok=True)
        raise HilirFetchError("the answer is not a ZIP archive", url=q.url) from exc
    records = []
    with archive:
        members = {n.split("_Y")[1][:4]: n for n in archive.namelist() if "_Y" in n}
        years = [str(y) for y in req.years] or sorted(members)
        missing = [y for y in years if y not in members]
        if missing:
            raise HilirFetchError(
                f"the archive has no year(s) {missing} (it has {sorted(members)})", url=q.url
            )
        for year in years:
            name = members[year].rsplit("/", 1)[-1]
            whole = cache_dir(req.source) / f"{Path(name).stem}.all.csv"
            _unpack(archive, members[year], whole, progress=req.progress, url=q.url)
            keep = {"exporters": [req.reporter]}
            if prefixes:
                keep["hs_prefixes"] = list(prefixes)
            records.append(
                Extract("baci", whole, (meta,), command_line(req), keep=keep, keep_name=name)
            )
    return records


def _unpack(archive: zipfile.ZipFile, member: str, out: Path, *, progress: bool, url: str) -> None:
    """Stream one member of the archive to ``out`` (atomically), after checking its header."""
    info = archive.getinfo(member)
    tmp = out.with_name(out.name + ".tmp")
    bar = _progress(info.file_size, 0, f"unpack {Path(member).name}", progress)
    try:
        with archive.open(member) as src, tmp.open("wb") as dst, bar:
            header = src.readline()
            names = [c.strip() for c in header.decode("utf-8-sig").split(",")]
            require_columns(names, COLUMNS, url=url, what=member)
            dst.write(header)
            bar.update(len(header))
            for chunk in iter(lambda: src.read(1 << 22), b""):
                dst.write(chunk)
                bar.update(len(chunk))
        tmp.replace(out)
    except (OSError, EOFError, zipfile.BadZipFile) as exc:
        tmp.unlink(missing_ok=True)
        raise HilirFetchError(f"{member} in the archive is damaged ({exc})", url=url) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
