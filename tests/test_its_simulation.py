"""Coverage of ITS intervals on simulated series with a known level and slope break.

This simulation picks the default error model of ``hilir.policy.fit_its``: on 300 seeded
series per design, the default 95 % intervals for the level and slope changes must cover the
true values in at least 88 % of seeds. The coverage of the Newey-West option is measured and
reported (printed, and attached to the test report as user properties), not asserted.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from hilir.policy import fit_its

N_SEEDS = 300
LEVEL, SLOPE = 3.0, 1.0  # true level change and slope change (units of the error s.d.)

DESIGNS = {
    # name: (n, points after the break, frequency)
    "annual": (32, 7, "annual"),
    "monthly": (120, 36, "monthly"),
}


def _simulate(n: int, n_after: int, rho: float, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    e = rng.standard_normal(n)
    u = np.empty(n)
    u[0] = e[0] / np.sqrt(1 - rho**2)
    for i in range(1, n):
        u[i] = rho * u[i - 1] + e[i]
    t = np.arange(n, dtype=float)
    tb = n - n_after
    after = t >= tb
    return 10.0 + 0.5 * t + np.where(after, LEVEL + SLOPE * (t - tb), 0.0) + u


def _frame(y: np.ndarray, frequency: str) -> tuple[pd.DataFrame, str]:
    n = len(y)
    if frequency == "annual":
        years = np.arange(1989, 1989 + n)
        return pd.DataFrame({"year": years, "value": y}), str(years[n - 7])
    months = np.arange(n)
    frame = pd.DataFrame({"year": 2011 + months // 12, "month": months % 12 + 1, "value": y})
    return frame, ""


def _coverage(design: str, rho: float, error_model: str) -> tuple[float, float]:
    n, n_after, frequency = DESIGNS[design]
    hits = np.zeros(2)
    for seed in range(N_SEEDS):
        y = _simulate(n, n_after, rho, seed=1000 * int(rho * 10) + seed)
        frame, _ = _frame(y, frequency)
        first = frame.iloc[n - n_after]
        event = (
            f"{int(first['year'])}-01-01"
            if frequency == "annual"
            else f"{int(first['year'])}-{int(first['month']):02d}-01"
        )
        res = fit_its(frame, event, error_model=error_model)
        coef = res.coefficients.set_index("term")
        for j, (term, truth) in enumerate((("level_change", LEVEL), ("slope_change", SLOPE))):
            lo, hi = coef.at[term, "ci_low"], coef.at[term, "ci_high"]
            hits[j] += lo <= truth <= hi
    level, slope = hits / N_SEEDS
    return float(level), float(slope)


@pytest.mark.slow
@pytest.mark.parametrize("design", ["annual", "monthly"])
@pytest.mark.parametrize("rho", [0.0, 0.3])
def test_default_intervals_cover_known_breaks(design, rho, record_property):
    level, slope = _coverage(design, rho, "ar1")
    hac_level, hac_slope = _coverage(design, rho, "hac")
    report = (
        f"{design} n={DESIGNS[design][0]} rho={rho}: default AR(1)-REML coverage "
        f"level {level:.1%} slope {slope:.1%}; Newey-West level {hac_level:.1%} "
        f"slope {hac_slope:.1%}"
    )
    print(report)
    record_property("coverage", report)
    assert level >= 0.88, report
    assert slope >= 0.88, report
    # and the intervals are not trivially wide: a 95 % interval should not cover > 99 %
    assert level <= 0.99 and slope <= 0.99, report
