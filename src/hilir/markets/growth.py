"""Compound annual growth rate (CAGR) between two years."""

from __future__ import annotations

import numpy as np
import pandas as pd

from hilir.errors import HilirDataError


def cagr(start: float | np.ndarray, end: float | np.ndarray, years: float) -> float | np.ndarray:
    """Compound annual growth rate from ``start`` to ``end`` over ``years`` years.

    Parameters
    ----------
    start, end : float or array of float
        Values at the first and the last year (any unit, the same for both; USD here).
    years : float
        Years between them (``end_year - start_year``), > 0.

    Returns
    -------
    float or numpy.ndarray
        Growth per year as a fraction (0.05 = 5 % a year). Missing (NaN) where ``start`` is
        0, negative or missing (growth from nothing is undefined: a new market is flagged,
        not given an infinite rate); -1.0 where ``end`` is 0 (the flow stopped).

    Raises
    ------
    HilirDataError
        If ``years`` is not a positive number.

    Notes
    -----
    CAGR = (end / start) ** (1 / years) - 1, the constant (geometric) yearly rate that turns
    ``start`` into ``end``. It uses the two end years only; a year in between does not
    change it. Values are in current US dollars, so the rate includes price changes.

    Examples
    --------
    A market that grows from 100 to 121 in two years grew 10 % a year:
    (121 / 100) ** (1 / 2) - 1 = 1.1 - 1 = 0.10.

    >>> round(cagr(100.0, 121.0, 2), 10)
    0.1
    >>> float(cagr(100.0, 0.0, 5))
    -1.0
    """
    if isinstance(years, bool) or not np.isfinite(float(years)) or float(years) <= 0:
        raise HilirDataError(f"years must be a positive number of years, not {years!r}")
    s = np.asarray(start, dtype="float64")
    e = np.asarray(end, dtype="float64")
    out = np.full(np.broadcast(s, e).shape, np.nan)
    ok = np.isfinite(s) & np.isfinite(e) & (s > 0) & (e >= 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(ok, e / np.where(s > 0, s, 1.0), np.nan)
        out = np.where(ok, np.power(ratio, 1.0 / float(years)) - 1.0, np.nan)
    if out.ndim == 0:
        return float(out)
    return out


def cagr_between(
    frame: pd.DataFrame,
    *,
    by: list[str],
    start: int,
    end: int,
    value: str = "value_usd",
) -> pd.DataFrame:
    """CAGR of ``value`` from ``start`` to ``end`` for each group of ``by``.

    Parameters
    ----------
    frame : pandas.DataFrame
        Long table with ``year``, ``by`` and ``value`` columns, one row per group and year.
    by : list of str
        Group columns (``partner``, ``chain`` ...).
    start, end : int
        First and last year of the window; ``start < end``.
    value : str, default "value_usd"
        Column to grow.

    Returns
    -------
    pandas.DataFrame
        ``by`` plus ``value_start``, ``value_end``, ``cagr`` (fraction a year) and
        ``growth_flag``: ``new`` (nothing in ``start``, something in ``end``), ``stopped``
        (something in ``start``, nothing in ``end``), ``absent`` (nothing in either) or
        ``""``. A group missing from a year counts as 0 there.
    """
    if int(end) <= int(start):
        raise HilirDataError(f"the growth window must run forward: start {start}, end {end}")
    have = {int(y) for y in frame["year"].unique()}
    missing = sorted({int(start), int(end)} - have)
    if missing:
        span = f"{min(have)}-{max(have)}" if have else "none"
        raise HilirDataError(
            f"growth window years {missing} are absent from the data (years present: {span})"
        )
    wide = (
        frame[frame["year"].isin([int(start), int(end)])]
        .pivot_table(index=by, columns="year", values=value, aggfunc="sum", fill_value=0.0)
        .reindex(columns=[int(start), int(end)], fill_value=0.0)
    )
    out = pd.DataFrame(
        {
            "value_start": wide[int(start)].astype("float64"),
            "value_end": wide[int(end)].astype("float64"),
        }
    )
    out["cagr"] = cagr(out["value_start"].to_numpy(), out["value_end"].to_numpy(), end - start)
    s0, s1 = out["value_start"] > 0, out["value_end"] > 0
    out["growth_flag"] = np.select(
        [~s0 & s1, s0 & ~s1, ~s0 & ~s1], ["new", "stopped", "absent"], default=""
    )
    return out.reset_index()
