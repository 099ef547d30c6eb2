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
is then read line by line and only the exporter's rows (and the HS codes asked) are kept.
"""

from __future__ import annotations

import zipfile

from hilir.errors import HilirOptionError
from hilir.fetch._common import command_line, obtain, require_columns
from hilir.fetch._errors import HilirFetchError
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


def _exporter_code(reporter: str) -> str:
    import pycountry

    country = pycountry.countries.get(alpha_3=reporter.upper())
    if country is None:
        raise HilirOptionError(f"unknown reporter {reporter!r} (an ISO alpha-3 code)")
    return str(int(country.numeric))


def run(req: FetchRequest, result: FetchResult) -> list[Extract]:
    """Download (or resume, or reuse) the archive and file one extract per year."""
    q = query(req)
    path, meta = obtain(req, result, q, q.url.rsplit("/", 1)[-1], licence=LICENCE, stream=True)
    exporter = _exporter_code(req.reporter)
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
            out = cache_dir(req.source) / members[year].rsplit("/", 1)[-1]
            tmp = out.with_name(out.name + ".tmp")
            with archive.open(members[year]) as src, tmp.open("wb") as dst:
                header = src.readline()
                names = [c.strip() for c in header.decode("utf-8-sig").split(",")]
                require_columns(names, COLUMNS, url=q.url, what=members[year])
                dst.write(header)
                for line in src:
                    cells = line.split(b",", 4)
                    if cells[1].strip().decode() != exporter:
                        continue
                    if prefixes and not cells[3].strip().decode().zfill(6).startswith(prefixes):
                        continue
                    dst.write(line)
            tmp.replace(out)
            records.append(Extract("baci", out, (meta,), command_line(req)))
    return records
