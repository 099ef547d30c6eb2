"""Jobs: labour coefficients, Leontief inverse, Type I/II multipliers, jobs from scenarios.

* :mod:`hilir.jobs.leontief` - pure input-output maths (coefficients, inverses, multipliers,
  linkages);
* :mod:`hilir.jobs.multipliers` - the model of a real table and its sector multipliers (jobs
  per Rp 1 billion of final demand, Type I and II), with NA and a reason for sectors without
  output or workers;
* :mod:`hilir.jobs.households` - household closures whose consumption coefficients are
  shares of total household income (``"wages"``, default, and ``"income"``);
* :mod:`hilir.jobs.plausibility` - thresholds of the direct-jobs check (value added per direct
  job against the sector's average, the provincial minimum wage);
* :mod:`hilir.jobs.employment` - workers by IO sector from Sakernas, labour coefficients;
* :mod:`hilir.jobs.scenario` - :func:`jobs_from_scenario`, the value model's changes turned
  into direct, indirect and induced jobs with ranges;
* :mod:`hilir.jobs.defaults` - the default inputs (shipped IO table, Sakernas employment,
  exchange rates, MUV prices) that :func:`jobs_from_scenario` loads when not given them;
* :mod:`hilir.jobs.sectors` - the sector classifications of the shipped IO tables.
"""

from __future__ import annotations

from hilir.jobs.employment import (
    employment_by_io_sector,
    labour_coefficients,
    sakernas_groups,
    workers_per_wage,
)
from hilir.jobs.households import CLOSURES, total_household_income
from hilir.jobs.leontief import (
    allocation_coefficients,
    backward_linkage,
    closed_coefficients,
    coefficient_multipliers,
    forward_linkage,
    ghosh_inverse,
    leontief_inverse,
    output_multipliers,
    technical_coefficients,
    type_i_multipliers,
    type_ii_multipliers,
)
from hilir.jobs.multipliers import (
    IOModel,
    active_sectors,
    build_model,
    household_income,
    implied_operating_surplus_share,
    sector_multipliers,
)
from hilir.jobs.scenario import jobs_from_scenario, price_factors
from hilir.schema.iotable import IOTable

__all__ = [
    "CLOSURES",
    "IOModel",
    "IOTable",
    "active_sectors",
    "allocation_coefficients",
    "backward_linkage",
    "build_model",
    "closed_coefficients",
    "coefficient_multipliers",
    "employment_by_io_sector",
    "forward_linkage",
    "ghosh_inverse",
    "household_income",
    "implied_operating_surplus_share",
    "jobs_from_scenario",
    "labour_coefficients",
    "leontief_inverse",
    "output_multipliers",
    "price_factors",
    "sakernas_groups",
    "sector_multipliers",
    "technical_coefficients",
    "total_household_income",
    "type_i_multipliers",
    "type_ii_multipliers",
    "workers_per_wage",
]
