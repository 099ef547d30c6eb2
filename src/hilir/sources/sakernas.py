"""Workers by province and main industry (BPS Sakernas), and the PPRK workers-by-IO-sector file.

Sakernas compilation
--------------------
BPS's labour force survey (Survei Angkatan Kerja Nasional, Sakernas) publishes the population
aged 15 and over who worked, by province and main industry ("Penduduk 15 tahun ke atas yang
bekerja menurut provinsi dan lapangan pekerjaan utama"). The shipped copy is the compilation of
Pekerti (2024), "Inisiatif Data (Beneran) Terbuka" (GitHub ``soegampars/idbt``, licence
CC BY-NC 4.0, non-commercial), one wide row per province and year:

* 2010-2014, nine sectors: ``prov_kode, prov_nama, year, bekerja_agri, bekerja_mining,
  bekerja_manuf, bekerja_util, bekerja_constr, bekerja_trade, bekerja_trans,
  bekerja_finance, bekerja_services, bekerja_total``;
* 2015-2023, seventeen sectors (KBLI 2015 sections): ``prov_kode, year, prov_nama,
  bekerja_agr, bekerja_min, bekerja_mfg, bekerja_util, bekerja_waste, bekerja_cons,
  bekerja_trade, bekerja_trans, bekerja_hosp, bekerja_info, bekerja_fin, bekerja_real,
  bekerja_biz, bekerja_gov, bekerja_edu, bekerja_health, bekerja_other, bekerja_total``.

The reader returns the tidy employment table :data:`EMPLOYMENT`: one row per province, year and
sector, workers in persons, the province as ISO 3166-2 (``ID-LA`` for Lampung).

PPRK workers by IO sector
-------------------------
``07_tenaga_kerja.csv`` of the Bappenas PPRK planning app (``ID,Sektor,Labour``) gives Lampung
workers by the 53 sectors of the BPS Lampung 2010 IO table. It is **not** observed employment:
it spreads the provincial total in proportion to the table's wages. It is kept only as a
documented comparison (:func:`read_pprk_labour`).
"""

from __future__ import annotations

import warnings
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from hilir.checks import require_file_columns
from hilir.errors import HilirDataError, HilirDataWarning, caller_stacklevel
from hilir.fileio import read_csv
from hilir.registry.provinces import resolve_province
from hilir.schema.cells import parse_numbers
from hilir.schema.tables import EMPLOYMENT, conform

PathLikeStr = str | PathLike[str]

#: Sakernas sector keys -> (Indonesian name, English name): nine sectors, 2010-2014.
SAKERNAS9: dict[str, tuple[str, str]] = {
    "agri": (
        "Pertanian, kehutanan, perburuan dan perikanan",
        "Agriculture, forestry, hunting and fishing",
    ),
    "mining": ("Pertambangan dan penggalian", "Mining and quarrying"),
    "manuf": ("Industri pengolahan", "Manufacturing"),
    "util": ("Listrik, gas dan air", "Electricity, gas and water"),
    "constr": ("Bangunan", "Construction"),
    "trade": (
        "Perdagangan besar, eceran, rumah makan dan hotel",
        "Wholesale and retail trade, restaurants and hotels",
    ),
    "trans": ("Angkutan, pergudangan dan komunikasi", "Transport, storage and communication"),
    "finance": (
        "Lembaga keuangan, real estat, usaha persewaan dan jasa perusahaan",
        "Finance, real estate, rental and business services",
    ),
    "services": (
        "Jasa kemasyarakatan, sosial dan perorangan",
        "Community, social and personal services",
    ),
}

#: Sakernas sector keys -> (Indonesian name, English name): seventeen sectors (KBLI 2015), 2015-.
SAKERNAS17: dict[str, tuple[str, str]] = {
    "agr": ("Pertanian, kehutanan dan perikanan", "Agriculture, forestry and fishing"),
    "min": ("Pertambangan dan penggalian", "Mining and quarrying"),
    "mfg": ("Industri pengolahan", "Manufacturing"),
    "util": ("Pengadaan listrik dan gas", "Electricity and gas supply"),
    "waste": (
        "Pengadaan air, pengelolaan sampah, limbah dan daur ulang",
        "Water supply, sewerage and waste management",
    ),
    "cons": ("Konstruksi", "Construction"),
    "trade": (
        "Perdagangan besar dan eceran; reparasi mobil dan sepeda motor",
        "Wholesale and retail trade; repair of motor vehicles",
    ),
    "trans": ("Transportasi dan pergudangan", "Transportation and storage"),
    "hosp": ("Penyediaan akomodasi dan makan minum", "Accommodation and food service"),
    "info": ("Informasi dan komunikasi", "Information and communication"),
    "fin": ("Jasa keuangan dan asuransi", "Financial and insurance activities"),
    "real": ("Real estat", "Real estate"),
    "biz": ("Jasa perusahaan", "Business services"),
    "gov": (
        "Administrasi pemerintahan, pertahanan dan jaminan sosial wajib",
        "Public administration, defence and compulsory social security",
    ),
    "edu": ("Jasa pendidikan", "Education"),
    "health": ("Jasa kesehatan dan kegiatan sosial", "Human health and social work"),
    "other": ("Jasa lainnya", "Other services"),
}


def _iso_of(code: str) -> str | None:
    """ISO 3166-2 code of a BPS two-digit province code (``18`` -> ``ID-LA``), else None."""
    try:
        return resolve_province(code) if str(code).strip().isdigit() else None
    except HilirDataError:
        return None


def _read_table(path: Path) -> pd.DataFrame:
    """A CSV or single-sheet workbook as text cells with ``_row`` line numbers."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:
            raise HilirDataError(f"not a readable Excel workbook: {exc}", path=path) from exc
        try:
            rows = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
        finally:
            wb.close()
        if not rows:
            raise HilirDataError("workbook is empty", path=path)
        header = [str(v).strip() if v is not None else "" for v in rows[0]]
        body = [
            [
                ""
                if v is None
                else (str(int(v)) if isinstance(v, float) and v.is_integer() else str(v))
                for v in r
            ]
            for r in rows[1:]
        ]
        df = pd.DataFrame(body, columns=header, dtype=str)
        df["_row"] = np.arange(len(df)) + 2
        df = df.loc[df.drop(columns="_row").apply(lambda s: s.str.strip().ne("")).any(axis=1)]
        if df.empty:
            raise HilirDataError("workbook has a header but no data rows", path=path)
        return df
    return read_csv(path)


def read_sakernas(
    path: PathLikeStr,
    *,
    source: str = "sakernas_prov_sect9_2010_2014",
    total_tolerance: float = 0.0,
) -> pd.DataFrame:
    """Read the Sakernas workers-by-province-and-sector compilation into the employment table.

    Parameters
    ----------
    path : str or os.PathLike
        CSV (or single-sheet ``.xlsx``) in the nine-sector 2010-2014 or seventeen-sector
        2015-2023 layout (module docstring). The layout is recognised from the columns.
    source : str, default "sakernas_prov_sect9_2010_2014"
        Provenance key written to the ``source`` column.
    total_tolerance : float, default 0.0
        Largest accepted difference, in persons, between ``bekerja_total`` and the sum of the
        sectors before a warning is given.

    Returns
    -------
    pandas.DataFrame
        The :data:`EMPLOYMENT` table: ``year, geo, prov_code, prov_name, classification,
        sector, sector_name, workers, source``; workers in persons.

    Raises
    ------
    HilirDataError
        Missing columns, a province code that is not a BPS province, a value that is not a
        whole number of persons or is negative, or the same province and year twice; each
        names the line and column.

    Warns
    -----
    HilirDataWarning
        When a published total differs from the sum of its sectors (the compilation has
        such rows, e.g. Jawa Tengah 2016, 69,000 persons). The sectors are kept and the total
        is dropped: totals are always recomputed as sums.
    """
    p = Path(path)
    df = _read_table(p)
    classification, sectors = _layout(df, p)
    value_cols = [f"bekerja_{k}" for k in sectors]
    df = require_file_columns(
        df, ["prov_kode", "prov_nama", "year", *value_cols, "bekerja_total"], path=p
    )
    years = parse_numbers(df, "year", path=p, allow_missing=False)
    bad = (years - years.round()).abs() > 1e-9
    if bad.any():
        i = int(np.argmax(bad))
        raise HilirDataError(
            f"{df['year'].iloc[i]!r} is not a year",
            path=p,
            row=int(df["_row"].iloc[i]),
            column="year",
        )
    codes = df["prov_kode"].str.strip().str.replace(r"\.0$", "", regex=True)
    iso = _province_isos(codes, df["_row"], p)
    values = _worker_counts(df, [*value_cols, "bekerja_total"], p)
    diff = sum(values[c] for c in value_cols) - values["bekerja_total"]
    off = diff.abs() > total_tolerance
    if off.any():
        rows = df.loc[off]
        listing = ", ".join(
            f"{n} {int(y)} ({d:+,.0f})"
            for n, y, d in zip(rows["prov_nama"], years[off], diff[off], strict=True)
        )
        warnings.warn(
            f"{p.name}: bekerja_total differs from the sum of the sectors in {int(off.sum())} "
            f"row(s): {listing}; the sectors are kept, totals are recomputed as sums",
            HilirDataWarning,
            stacklevel=caller_stacklevel(),
        )
    frames = []
    for key, (name_id, _name_en) in sectors.items():
        col = f"bekerja_{key}"
        frames.append(
            pd.DataFrame(
                {
                    "year": years.round().astype("int64").to_numpy(),
                    "geo": iso,
                    "prov_code": codes.to_numpy(),
                    "prov_name": df["prov_nama"].str.strip().to_numpy(),
                    "classification": classification,
                    "sector": key,
                    "sector_name": name_id,
                    "workers": values[col].to_numpy(),
                    "source": source,
                    "_row": df["_row"].to_numpy(),
                }
            )
        )
    out = pd.concat(frames, ignore_index=True)
    return conform(out, EMPLOYMENT, path=p, row_numbers=out["_row"])


def read_pprk_labour(
    path: PathLikeStr,
    *,
    source: str = "pprk_lampung_labour_io53",
) -> pd.DataFrame:
    """Read the PPRK app's workers by IO sector (``ID,Sektor,Labour``): a comparison only.

    Parameters
    ----------
    path : str or os.PathLike
        ``07_tenaga_kerja.csv`` of the Bappenas PPRK app (Lampung, 53 IO sectors).
    source : str, default "pprk_lampung_labour_io53"
        Provenance key written to the ``source`` column.

    Returns
    -------
    pandas.DataFrame
        ``code`` (str), ``name`` (str), ``workers`` (float, persons), ``source``.

    Raises
    ------
    HilirDataError
        Missing columns, a sector code twice, or a value that is not a non-negative number.

    Notes
    -----
    The figures are the provincial Sakernas total spread over sectors in proportion to the
    IO table's wages (about 85.8 workers per Rp 1 billion of wages in every sector;
    :func:`hilir.jobs.employment.workers_per_wage` shows it). Employment multipliers built on
    them are rescaled income multipliers, and they put 0.79 million workers in manufacturing
    where Sakernas 2010 counts 0.29 million. Do not use them as employment.
    """
    p = Path(path)
    df = read_csv(p)
    df = require_file_columns(
        df,
        ["ID", "Sektor", "Labour"],
        path=p,
        aliases={
            "ID": ["code", "kode"],
            "Sektor": ["sector", "name"],
            "Labour": ["workers", "tenaga_kerja"],
        },
    )
    workers = parse_numbers(df, "Labour", path=p, allow_missing=False)
    neg = workers < 0
    if neg.any():
        i = int(np.argmax(neg.to_numpy()))
        raise HilirDataError(
            "negative number of workers", path=p, row=int(df["_row"].iloc[i]), column="Labour"
        )
    codes = df["ID"].str.strip()
    dup = codes.duplicated()
    if dup.any():
        i = int(np.argmax(dup.to_numpy()))
        raise HilirDataError(
            f"sector {codes.iloc[i]!r} appears twice",
            path=p,
            row=int(df["_row"].iloc[i]),
            column="ID",
        )
    return pd.DataFrame(
        {
            "code": codes.astype("string").to_numpy(),
            "name": df["Sektor"].map(lambda s: " ".join(str(s).split())).astype("string"),
            "workers": workers.to_numpy(),
            "source": source,
        }
    ).reset_index(drop=True)


def _layout(df: pd.DataFrame, p: Path) -> tuple[str, Any]:
    """The classification (``sakernas9`` or ``sakernas17``) and its sectors, from the columns."""
    cols = {c.strip().lower() for c in df.columns}
    if "bekerja_waste" in cols or "bekerja_agr" in cols:
        classification, sectors = "sakernas17", SAKERNAS17
    elif "bekerja_agri" in cols or "bekerja_manuf" in cols:
        classification, sectors = "sakernas9", SAKERNAS9
    else:
        raise HilirDataError(
            "not a Sakernas compilation: expected bekerja_agri ... (nine sectors) or "
            f"bekerja_agr ... (seventeen sectors); the file has {sorted(cols - {'_row'})}",
            path=p,
            row=1,
        )
    return classification, sectors


def _province_isos(codes: pd.Series, lines: pd.Series, p: Path) -> list[str]:
    """ISO 3166-2 code of every BPS province code; an unknown code is an error."""
    iso = []
    for code, row in zip(codes, lines, strict=True):
        got = _iso_of(code)
        if got is None:
            raise HilirDataError(
                f"{code!r} is not a BPS province code", path=p, row=int(row), column="prov_kode"
            )
        iso.append(got)
    return iso


def _worker_counts(df: pd.DataFrame, columns: list[str], p: Path) -> dict[str, pd.Series]:
    """Workers in each column, in persons: whole, non-negative numbers."""
    values = {}
    for col in columns:
        v = parse_numbers(df, col, path=p, allow_missing=False)
        frac = (v - v.round()).abs() > 1e-9
        if frac.any():
            i = int(np.argmax(frac.to_numpy()))
            raise HilirDataError(
                f"{df[col].iloc[i]!r} is not a whole number of persons",
                path=p,
                row=int(df["_row"].iloc[i]),
                column=col,
            )
        neg = v < 0
        if neg.any():
            i = int(np.argmax(neg.to_numpy()))
            raise HilirDataError(
                f"negative number of workers {v.iloc[i]:,.0f}",
                path=p,
                row=int(df["_row"].iloc[i]),
                column=col,
            )
        values[col] = v
    return values
