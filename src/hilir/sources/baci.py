"""CEPII BACI bilateral trade files (``t,i,j,k,v,q``) -> tidy trade table.

BACI reconciles the exports and imports declared to UN Comtrade into one flow per exporter,
importer and HS6 product (Gaulier and Zignago 2010, CEPII Working Paper 2010-23). A yearly file
``BACI_HS17_Y2019_V202401.csv`` has one row per flow: ``t`` year, ``i`` exporter and ``j``
importer (UN Comtrade numeric codes), ``k`` HS6 product (in the file's HS revision), ``v``
value in thousand US dollars (FOB), ``q`` quantity in metric tonnes (``NA`` when unknown).

The file is read filter-first (:mod:`hilir.sources.bulk_scan`, on Polars): one streaming,
typed scan of the whole file keeps the rows asked (exporters, partners, years, HS prefixes)
and every row with a cell that looks wrong; only those rows are converted to the tidy trade
table, where the checks below name the row and column at fault. The reader on one
machine is :mod:`hilir.sources.baci_file`; ``engine="dask"`` reads many files as a Dask
DataFrame (:mod:`hilir.sources.baci_dask`). Speed and memory against DuckDB, Polars and
pandas are measured by ``benchmarks/bench_ingest.py`` (figures in the README). With
``store=True`` the file is also written as Parquet partitioned by year and exporter (the
layout of :func:`hilir.sources.bulk_scan.write_store`) in the data folder, during the same
scan, and later reads of the same file read the Parquet.
"""

from __future__ import annotations

from collections.abc import Sequence
from os import PathLike
from typing import TYPE_CHECKING, Any

import pandas as pd

from hilir.errors import HilirOptionError
from hilir.sources.baci_file import (
    QUANTITY_SCALE,
    VALUE_SCALE,
    default_store,
    filter_baci,
    read_baci_file,
)

if TYPE_CHECKING:
    import dask.dataframe as dd
    import distributed

__all__ = [
    "ENGINES",
    "QUANTITY_SCALE",
    "VALUE_SCALE",
    "default_store",
    "filter_baci",
    "read_baci",
]

PathLikeStr = str | PathLike[str]
#: The engines of :func:`read_baci`.
ENGINES = ("polars", "dask")


def read_baci(
    path: PathLikeStr | Sequence[PathLikeStr],
    *,
    source: str = "baci",
    country_codes: str | PathLike[str] | None = None,
    hs_revision: str | None = None,
    exporters: Sequence[str] | None = None,
    hs_prefixes: Sequence[str] | None = None,
    partners: Sequence[str] | None = None,
    years: Sequence[int] | None = None,
    store: bool | str | PathLike[str] | None = None,
    progress: bool | None = None,
    engine: str = "polars",
    client: distributed.Client | None = None,
    scheduler: str | None = None,
) -> pd.DataFrame | dd.DataFrame:
    """Read a CEPII BACI yearly file into the tidy trade table (exports, exporter -> importer).

    Parameters
    ----------
    path : str, os.PathLike or sequence of them
        A BACI CSV with header ``t,i,j,k,v,q``, gzipped, or a zip archive of such files (a
        BACI release archive: every yearly file in it, ``country_codes_*`` left out). With
        ``engine="dask"`` also several of them, glob patterns, or store folders (see
        :func:`hilir.sources.baci_dask.read_baci_dask`).
    source : str, default "baci"
        Provenance key.
    country_codes : str or os.PathLike, optional
        BACI's own ``country_codes_V*.csv`` (``country_code, country_name, country_iso2,
        country_iso3``, or the older ``country_code, country_name_abbreviation,
        country_name_full, iso_2digit_alpha, iso_3digit_alpha``). Without it, numeric codes
        are read as ISO 3166-1 numeric codes plus the UN Comtrade variants in
        :data:`hilir.registry.partners.COMTRADE_NUMERIC` (842 USA, 251 France, 699 India, 757
        Switzerland, 579 Norway, 381 Italy, 490 Other Asia nes).
    hs_revision : str, optional
        ``"HS1992"`` ... ``"HS2022"``. By default taken from the file name
        (``BACI_HS17_...`` -> HS2017); left empty, with a warning, when the name does not
        say. BACI keeps one revision for all years of a release, so the year does not tell.
    exporters : sequence of str, optional
        Keep only these exporters (codes or names), to keep a world file small.
    hs_prefixes : sequence of str, optional
        Keep only products whose HS6 code starts with one of these (``["0901", "2604"]``).
    partners : sequence of str, optional
        Keep only these importers (codes or names).
    years : sequence of int, optional
        Keep only these years.
    store : bool, str or os.PathLike, optional
        The Parquet copy of the file (partitioned by year and exporter). By default it is
        read when one of the file as it is now exists in ``<data folder>/bulk/baci/<file
        name>``, and never written; ``True`` also writes it there as the file is scanned
        (kept once the rows read pass every check); a folder reads and writes it there;
        ``False`` always reads the CSV.
    progress : bool, optional
        A progress bar (bytes); by default for files over 50 MB. Not drawn with
        ``engine="dask"`` (the cluster's dashboard shows the tasks).
    engine : {"polars", "dask"}, default "polars"
        ``"polars"`` reads in this process and returns a pandas DataFrame. ``"dask"`` returns
        a lazy Dask DataFrame, one task per file (or zip member, or store year), for the
        full BACI history or many exporters, on Dask's local threads or a cluster; it needs
        ``pip install 'hilir[dask]'``.
    client : distributed.Client, optional
        With ``engine="dask"``: the client of an existing cluster, which then runs the
        computation.
    scheduler : str, optional
        With ``engine="dask"``: the address of an existing cluster's scheduler
        (``"tcp://host:8786"``).

    Returns
    -------
    pandas.DataFrame or dask.dataframe.DataFrame
        :data:`hilir.schema.tables.TRADE` with reporter = exporter ``i``, partner = importer ``j``,
        flow ``export``, ``value_usd`` = ``v`` x 1,000 (USD), ``net_weight_kg`` = ``q`` x
        1,000 (kg; empty when BACI has ``NA``). With ``engine="dask"`` the same columns,
        lazy: ``.compute()`` gives, file after file, what ``"polars"`` gives for each.

    Raises
    ------
    HilirOptionError
        An unknown ``engine``; several paths, ``client`` or ``scheduler`` with
        ``engine="polars"``.
    ImportError
        ``engine="dask"`` without Dask installed (the message says what to install).
    HilirDataError
        Missing columns, a code not in the country table, product codes that are not HS6,
        numbers that are not numbers, negative values, the same flow twice, empty or cut
        files; the message names the line and column (with ``engine="dask"``, when
        computed).

    Warns
    -----
    HilirDataWarning
        When product codes stored as numbers lost their leading zero (``10121`` ->
        ``010121``), and when the HS revision cannot be read from the file name.

    Examples
    --------
    >>> idn = read_baci("BACI_HS17_Y2022_V202501.csv", exporters=["IDN"],
    ...                 hs_prefixes=["0901", "0904"])  # doctest: +SKIP
    >>> history = read_baci("baci/BACI_HS92_Y*_V202501.csv", engine="dask",
    ...                     exporters=["IDN", "VNM"])  # doctest: +SKIP
    >>> history.groupby(["reporter", "year"])["value_usd"].sum().compute()  # doctest: +SKIP
    """
    filters: dict[str, Any] = {
        "source": source,
        "country_codes": country_codes,
        "hs_revision": hs_revision,
        "exporters": exporters,
        "hs_prefixes": hs_prefixes,
        "partners": partners,
        "years": years,
        "store": store,
    }
    if engine == "dask":
        from hilir.sources.baci_dask import read_baci_dask

        return read_baci_dask(path, client=client, scheduler=scheduler, **filters)
    if engine != "polars":
        raise HilirOptionError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    if client is not None or scheduler is not None:
        raise HilirOptionError('client and scheduler are for engine="dask"')
    if not isinstance(path, str | PathLike):
        raise HilirOptionError(
            'engine="polars" reads one file; for several files use engine="dask"'
        )
    return read_baci_file(path, progress=progress, **filters)
