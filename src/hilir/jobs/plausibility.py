"""Thresholds of the direct-jobs check, read from the plausibility table (package data).

The direct jobs of a scenario must be payable by the processing sector's accounts: the value
added per direct job that a labour coefficient implies is compared with the IO sector's
average value added per worker, and the implied wage with the provincial minimum wage.
Both thresholds are data in ``refdata/plausibility.csv`` (the table of the brief's
plausibility gate, :mod:`hilir.brief.gate`, which applies the same rule to headlines):

* ``min_va_per_worker_share`` (share): a coefficient implying less than this share of the
  sector average is implausible;
* ``min_wage_<geography>_<year>`` (Rp per worker per month, e.g. ``min_wage_ID-LA_2010``):
  the provincial minimum wage (UMP) of the table's province and year. **No cited UMP was
  found** (``domain-facts.md`` has none for Lampung), so no such row is shipped and the wage
  test is not applied; adding the row with its citation turns it on.
"""

from __future__ import annotations

from hilir.refdata.plausibility import optional_threshold, threshold


def min_va_per_worker_share() -> float:
    """Smallest plausible value added per direct job, as a share of the sector average."""
    return threshold("min_va_per_worker_share")


def min_wage_idr_m_year(geography: str, year: int) -> float | None:
    """Provincial minimum wage of ``geography`` in ``year``, million Rp per worker-year.

    Returns
    -------
    float or None
        12 x the monthly ``min_wage_<geography>_<year>`` row of ``plausibility.csv``
        (Rp per month) / 1e6; None when no cited value is shipped (Lampung 2010: none found).
    """
    monthly = optional_threshold(f"min_wage_{geography}_{int(year)}")
    return None if monthly is None else 12.0 * monthly / 1e6
