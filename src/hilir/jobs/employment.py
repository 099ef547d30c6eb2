"""Workers by input-output sector, and the labour coefficients of processing activities.

Sector employment
-----------------
BPS publishes provincial workers (Sakernas, August) for nine sectors (2010-2014) or seventeen
(2015-), not for the 53 or 60 sectors of an IO table. :func:`employment_by_io_sector` spreads
each Sakernas sector's workers over the IO sectors it contains (``refdata/io_sectors.csv``)
in proportion to a weight:

* ``"value_added"`` (default): gross value added. Value added holds the wages of employees and
  the mixed income of own-account workers, who are most of the farm and trade workforce, so it
  follows labour better than wages alone;
* ``"output"``: total output (equal output per worker within the Sakernas sector);
* ``"wages"``: wages and salaries (equal wage bill per worker within the sector).

The totals of every Sakernas sector are kept exactly; only the split inside a sector is
assumed, and every such worker count is flagged (``split_assumed``). The rule matters most
inside manufacturing and agriculture, so the jobs ranges of
:func:`hilir.jobs.scenario.jobs_from_scenario` span all three.

No BPS Lampung count of workers by agricultural sub-sector is in the shipped data or the
project's domain facts, so the split of Sakernas agriculture (2.11 M workers in Lampung,
August 2010) is an assumption. It is a poor one: the value-added rule puts 0.52 M workers
in fisheries and 0.28 M in plantation crops (output rule 0.50 M / 0.31 M, wages 0.52 M /
0.37 M), while cited counts give 229,379 coffee farm households (2013, Antara Lampung) and
62,778 pepper households (2018, Disbunnak Lampung via Bisnis): 0.29 M households for two of
the plantation crops alone. Plantation workers are therefore understated and fisheries
workers probably overstated by every rule; jobs per rupiah of the farm sectors carry this
assumption (README_jobs.md).

The PPRK file of workers by the 53 Lampung sectors is *not* an alternative: it spreads the
whole provincial total by wages across all sectors (:func:`workers_per_wage` shows about 85.8
workers per Rp 1 billion of wages in every sector), which turns employment multipliers into
rescaled income multipliers.

Labour coefficients
-------------------
:func:`labour_coefficients` loads ``refdata/labour_coefficients.csv``: direct workers per
1,000 t of product (or per million USD) for the processing activities of each chain, low /
central / high, each with its source, method and reliability; rows without evidence say so
(method ``none``).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

import numpy as np
import pandas as pd

from hilir.checks import require_file_columns
from hilir.errors import HilirDataError
from hilir.refdata import read_refdata, refdata_label
from hilir.refdata.io_sectors import sector_classifications
from hilir.schema.cells import parse_numbers
from hilir.schema.iotable import IOTable

SpreadRule = Literal["value_added", "output", "wages"]
SPREAD_RULES: tuple[str, ...] = ("value_added", "output", "wages")


def sakernas_groups(table: IOTable) -> pd.DataFrame:
    """Sakernas sector of every IO sector of a known table.

    Returns
    -------
    pandas.DataFrame
        ``code, sakernas_classification, sakernas_sector`` in table order.

    Raises
    ------
    ValueError
        If the table's classification is unknown (pass ``groups=`` to
        :func:`employment_by_io_sector` instead).
    """
    if table.classification is None:
        raise HilirDataError(
            f"{table.source}: unknown sector classification; give groups= (IO code -> Sakernas "
            "sector) to employment_by_io_sector"
        )
    ref = sector_classifications()
    ref = ref[ref["classification"] == table.classification]
    return ref[["code", "sakernas_classification", "sakernas_sector"]].reset_index(drop=True)


def employment_by_io_sector(
    table: IOTable,
    employment: pd.DataFrame,
    *,
    rule: SpreadRule = "value_added",
    year: int | None = None,
    groups: pd.Series | None = None,
) -> pd.DataFrame:
    r"""Workers by IO sector: Sakernas sector totals spread over the IO sectors they contain.

    Parameters
    ----------
    table : IOTable
        A BPS provincial table (its ``geography`` selects the province).
    employment : pandas.DataFrame
        The employment table from :func:`hilir.sources.sakernas.read_sakernas` (one or both
        files concatenated).
    rule : {"value_added", "output", "wages"}, default "value_added"
        Weight used inside each Sakernas sector (module docstring).
    year : int, optional
        Sakernas year; default the table's year.
    groups : pandas.Series, optional
        IO sector code -> Sakernas sector key, for a table whose classification hilir does not
        know; the Sakernas classification is then the one that has all the keys.

    Returns
    -------
    pandas.DataFrame
        ``code, name_id, sakernas_sector, workers`` (persons, float), ``weight`` (the value
        used, table unit), ``rule``, ``split_assumed`` (True when the Sakernas sector holds
        several IO sectors with a positive weight, so the count is the rule's split, not a
        survey figure), ``year``, ``geo``, ``source``, in table order. Workers sum to the
        Sakernas provincial total.

    Raises
    ------
    ValueError
        Unknown rule. A Sakernas sector with workers but no IO sector with a positive weight
        (the workers cannot be placed), or no Sakernas rows for the province and year.

    Notes
    -----
    :math:`E_j = E_g \\, w_j / \\sum_{k \\in g} w_k` for IO sector :math:`j` in Sakernas sector
    :math:`g`. Source of :math:`E_g`: BPS, Sakernas (August), as compiled by Pekerti (2024),
    CC BY-NC 4.0.
    """
    if rule not in SPREAD_RULES:
        raise HilirDataError(f"rule must be one of {SPREAD_RULES}, not {rule!r}")
    year = table.year if year is None else int(year)
    if groups is None:
        g = sakernas_groups(table)
        group = g.set_index("code")["sakernas_sector"]
        classification = str(g["sakernas_classification"].iloc[0])
    else:
        group = groups.astype(str)
        classification = None
    emp = employment[(employment["geo"] == table.geography) & (employment["year"] == year)]
    if classification is not None:
        emp = emp[emp["classification"] == classification]
    else:
        keys = set(group)
        for cls, sub in emp.groupby("classification"):
            if keys <= set(sub["sector"]):
                emp, classification = sub, str(cls)
                break
    if emp.empty:
        raise HilirDataError(
            f"no Sakernas rows for {table.geography} {year}"
            + (f" ({classification})" if classification else "")
        )
    totals = emp.groupby("sector")["workers"].sum()
    if rule == "value_added":
        weight = table.value_added.loc["gross_value_added"]
    elif rule == "output":
        weight = table.output
    else:
        weight = table.value_added.loc["wages"]
    weight = weight.reindex(table.codes).fillna(0.0).clip(lower=0.0).astype(float)
    missing = [c for c in table.codes if c not in group.index]
    if missing:
        raise HilirDataError(f"no Sakernas sector for IO sectors {missing[:5]}")
    unknown = sorted(set(group[table.codes]) - set(totals.index))
    if unknown:
        raise HilirDataError(f"Sakernas sectors {unknown} are not in the employment data")
    workers = pd.Series(0.0, index=table.codes)
    assumed = pd.Series(False, index=table.codes)
    for sector, total in totals.items():
        members = [c for c in table.codes if group[c] == sector]
        w = weight[members]
        if total > 0 and w.sum() <= 0:
            raise HilirDataError(
                f"Sakernas sector {sector!r} has {total:,.0f} workers but none of its IO sectors "
                f"{members} has a positive {rule} weight"
            )
        if members and w.sum() > 0:
            workers[members] = total * w / w.sum()
            assumed[members] = int((w > 0).sum()) > 1
    src = ",".join(sorted(emp["source"].unique()))
    names = table.sectors.set_index("code")["name_id"]
    return pd.DataFrame(
        {
            "code": table.codes,
            "name_id": names.reindex(table.codes).to_numpy(),
            "sakernas_sector": group[table.codes].to_numpy(),
            "workers": workers.to_numpy(),
            "weight": weight.to_numpy(),
            "rule": rule,
            "split_assumed": assumed.to_numpy(),
            "year": year,
            "geo": table.geography,
            "source": src,
        }
    )


def workers_per_wage(table: IOTable, workers: pd.Series) -> pd.Series:
    """Workers per Rp 1 billion of wages, by sector (a diagnostic of wage-spread files).

    Parameters
    ----------
    table : IOTable
        A BPS table (values in juta Rp).
    workers : pandas.Series
        Workers (persons) by sector code.

    Returns
    -------
    pandas.Series
        :math:`E_j / (W_j / 1000)`; NaN where wages are zero. A file built by spreading a
        total in proportion to wages has the same value in every sector.
    """
    if table.unit != "juta Rp":
        raise HilirDataError("workers_per_wage expects a table in juta Rp")
    wages = table.value_added.loc["wages"].reindex(workers.index).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = workers.astype(float) / (wages / 1000.0)
    return ratio.where(wages > 0).rename("workers_per_rp_bn_wages")


# --------------------------------------------------------------------------------------------
# labour coefficients (package data)

LABOUR_COLUMNS = (
    "chain",
    "activity",
    "product",
    "basis",
    "low",
    "central",
    "high",
    "method",
    "reliability",
    "evidence_geography",
    "evidence_year",
    "source",
    "derivation",
)
BASES = ("per_1000_t_output", "per_1000_t_capacity", "per_million_usd_output")
METHODS = ("derived", "benchmark", "none")
RELIABILITY = ("medium", "low", "very_low", "none")


@lru_cache(maxsize=1)
def _labour_file() -> pd.DataFrame:
    name = "labour_coefficients.csv"
    return validate_labour_coefficients(read_refdata(name), path=refdata_label(name))


def labour_coefficients() -> pd.DataFrame:
    """Direct workers per unit of processed output, by chain and activity (package data).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`LABOUR_COLUMNS`: ``low``, ``central``, ``high`` in workers per 1,000 t
        of product (``basis`` ``per_1000_t_output`` or ``per_1000_t_capacity``, the latter
        applied to output as if plants ran at capacity) or per million USD of output; NaN for
        rows with method ``none`` (no evidence found). ``reliability`` is ``medium``,
        ``low``, ``very_low`` or ``none``; ``derivation`` shows the arithmetic.
    """
    return _labour_file().copy()


def validate_labour_coefficients(df: pd.DataFrame, *, path: str | None = None) -> pd.DataFrame:
    """Check a labour-coefficient table (as read by ``read_csv``) and cast its numbers.

    Raises
    ------
    HilirDataError
        Missing columns, an unknown basis, method or reliability, a product twice, numbers
        that are negative or not ordered low <= central <= high, numbers on a ``none`` row, or
        a derived or benchmark row without numbers or source; each names row and column.
    """
    df = require_file_columns(df, list(LABOUR_COLUMNS), path=path)
    for col, allowed in (("basis", BASES), ("method", METHODS), ("reliability", RELIABILITY)):
        bad = ~df[col].isin(allowed)
        if bad.any():
            i = int(np.argmax(bad.to_numpy()))
            raise HilirDataError(
                f"{df[col].iloc[i]!r} is not one of {allowed}",
                path=path,
                row=int(df["_row"].iloc[i]),
                column=col,
            )
    dup = df["product"].duplicated()
    if dup.any():
        i = int(np.argmax(dup.to_numpy()))
        raise HilirDataError(
            f"product {df['product'].iloc[i]!r} appears twice",
            path=path,
            row=int(df["_row"].iloc[i]),
            column="product",
        )
    nums = {c: parse_numbers(df, c, path=path) for c in ("low", "central", "high")}
    for i in range(len(df)):
        row = int(df["_row"].iloc[i])
        lo, ce, hi = (nums[c].iloc[i] for c in ("low", "central", "high"))
        method = df["method"].iloc[i]
        if method == "none":
            if not (np.isnan(lo) and np.isnan(ce) and np.isnan(hi)):
                raise HilirDataError(
                    "a row with method 'none' must leave low/central/high empty",
                    path=path,
                    row=row,
                    column="central",
                )
            if df["reliability"].iloc[i] != "none":
                raise HilirDataError(
                    "method 'none' needs reliability 'none'",
                    path=path,
                    row=row,
                    column="reliability",
                )
            continue
        for name, value in (("low", lo), ("central", ce), ("high", hi)):
            if np.isnan(value) or value < 0:
                raise HilirDataError(
                    f"{name} must be a non-negative number", path=path, row=row, column=name
                )
        if not lo <= ce <= hi:
            raise HilirDataError(
                "values must satisfy low <= central <= high", path=path, row=row, column="central"
            )
        if not str(df["source"].iloc[i]).strip():
            raise HilirDataError(
                "a coefficient needs its source", path=path, row=row, column="source"
            )
    out = df.drop(columns="_row").copy()
    for c in ("low", "central", "high"):
        out[c] = nums[c].to_numpy()
    return out.reset_index(drop=True)
