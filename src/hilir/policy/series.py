"""Tidy yearly or monthly series for the policy statistics: build, deflate, check.

A series frame has ``year`` (and ``month`` for monthly data), a value column (``value`` by
default), and optionally ``unit`` and ``source``. :func:`trade_series` builds one from the
tidy trade table (value, net weight or unit value of one product); :func:`deflate` divides
it by a price series (the LME nickel price of the Pink Sheet). :func:`check_series` is the
one validation every model in :mod:`hilir.policy` runs first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from hilir.errors import HilirDataError

Frequency = Literal["annual", "monthly"]
Measure = Literal["value", "weight", "unit_value"]


@dataclass(frozen=True)
class SeriesData:
    """A checked series: periods in order, values, frequency and labels.

    Attributes
    ----------
    periods : pandas.DataFrame
        ``year`` (and ``month``) of each observation, sorted, contiguous, index 0..n-1.
    y : numpy.ndarray
        Values (float) in the series' unit.
    frequency : {"annual", "monthly"}
        Observation frequency.
    t : numpy.ndarray
        Periods since the first observation (years or months; 0, 1, 2, ...).
    unit : str
        Unit of the values (from a ``unit`` column or the caller).
    """

    periods: pd.DataFrame
    y: np.ndarray
    frequency: Frequency
    t: np.ndarray
    unit: str

    @property
    def n(self) -> int:
        """Number of observations."""
        return len(self.y)

    def label(self, i: int) -> str:
        """Text label of period ``i`` (``2014`` or ``2022-04``)."""
        year = int(self.periods["year"].iat[i])
        if self.frequency == "monthly":
            return f"{year}-{int(self.periods['month'].iat[i]):02d}"
        return str(year)


def _frequency_of(series: pd.DataFrame, frequency: str) -> Frequency:
    has_month = "month" in series.columns and series["month"].notna().any()
    if has_month and series["month"].isna().any():
        raise HilirDataError(
            "the series mixes annual rows (month empty) and monthly rows", column="month"
        )
    detected: Frequency = "monthly" if has_month else "annual"
    if frequency == "auto":
        return detected
    if frequency not in ("annual", "monthly"):
        raise HilirDataError(f"frequency must be 'auto', 'annual' or 'monthly', not {frequency!r}")
    if frequency != detected:
        raise HilirDataError(f"frequency={frequency!r} but the series is {detected}")
    return frequency  # type: ignore[return-value]


def check_series(
    series: pd.DataFrame,
    *,
    value_column: str = "value",
    frequency: Literal["auto", "annual", "monthly"] = "auto",
    unit: str | None = None,
    positive: bool = False,
    min_points: int = 3,
) -> SeriesData:
    """Validate a tidy series frame and return it as arrays.

    Parameters
    ----------
    series : pandas.DataFrame
        Columns ``year``, optional ``month`` (1-12), the value column, optional ``unit``.
        Not modified.
    value_column : str, default "value"
        Column holding the values.
    frequency : {"auto", "annual", "monthly"}, default "auto"
        ``auto`` is monthly when ``month`` is filled, annual otherwise.
    unit : str, optional
        Unit of the values; by default the single value of a ``unit`` column, else "".
    positive : bool, default False
        Require every value > 0 (for a log scale).
    min_points : int, default 3
        Fewest observations accepted.

    Returns
    -------
    SeriesData
        Sorted, contiguous periods and float values.

    Raises
    ------
    HilirDataError
        Missing columns, missing or non-numeric values, duplicate periods, missing years or
        months inside the span, months outside 1-12, non-positive values when
        ``positive=True``, or fewer than ``min_points`` observations. Rows are counted as
        positions in the frame (the first data row is row 1).
    """
    if not isinstance(series, pd.DataFrame):
        raise HilirDataError(f"series must be a pandas DataFrame, not {type(series).__name__}")
    for column in ("year", value_column):
        if column not in series.columns:
            raise HilirDataError(
                f"series lacks column {column!r}; has {list(series.columns)}", column=column
            )
    freq = _frequency_of(series, frequency)
    frame = series.reset_index(drop=True)
    keys = ["year", "month"] if freq == "monthly" else ["year"]
    _check_whole_numbers(frame, keys)
    values = _numeric_values(frame, value_column)
    periods = _checked_periods(frame, keys, freq)
    order = periods.sort_values(keys).index
    periods = periods.loc[order].reset_index(drop=True)
    y = values.loc[order].to_numpy(dtype=float)
    t = _period_steps(periods, freq, keys)
    if positive and (y <= 0).any():
        i = int(np.flatnonzero(y <= 0)[0])
        row = int(order[i]) + 1
        raise HilirDataError(
            f"a log scale needs values > 0, but {periods['year'].iat[i]} has {y[i]:g}; "
            "use scale='level' or a positive measure",
            row=row,
            column=value_column,
        )
    if len(y) < min_points:
        raise HilirDataError(f"the series has {len(y)} points; at least {min_points} are needed")
    return SeriesData(periods, y, freq, t.astype(float), _series_unit(frame, unit))


def _check_whole_numbers(frame: pd.DataFrame, keys: list[str]) -> None:
    """Raise on the first period key (year, month) that is not a whole number."""
    for column in keys:
        raw = pd.to_numeric(frame[column], errors="coerce")
        bad = raw.isna() | (raw != np.round(raw))
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise HilirDataError(
                f"{frame[column].iat[i]!r} is not a whole number", row=i + 1, column=column
            )


def _numeric_values(frame: pd.DataFrame, value_column: str) -> pd.Series:
    """The values as numbers; raise on the first missing or non-finite one."""
    values = pd.to_numeric(frame[value_column], errors="coerce")
    bad = values.isna() | ~np.isfinite(values.to_numpy(dtype=float, na_value=np.nan))
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise HilirDataError(
            f"value {frame[value_column].iat[i]!r} is missing or not a number",
            row=i + 1,
            column=value_column,
        )
    return values


def _checked_periods(frame: pd.DataFrame, keys: list[str], freq: Frequency) -> pd.DataFrame:
    """The period keys as int64 (frame order); raise on a month outside 1-12 or a repeat."""
    periods = pd.DataFrame({k: frame[k].astype("int64") for k in keys})
    if freq == "monthly":
        out_of_range = ~periods["month"].between(1, 12)
        if out_of_range.any():
            i = int(np.flatnonzero(out_of_range.to_numpy())[0])
            raise HilirDataError(
                f"month {periods['month'].iat[i]} is not 1-12", row=i + 1, column="month"
            )
    dup = periods.duplicated(keep="first")
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        what = " ".join(str(periods[k].iat[i]) for k in keys)
        hint = " (two sources or partners? filter the series first)" if "source" in frame else ""
        raise HilirDataError(f"period {what} appears twice{hint}", row=i + 1, column=keys[-1])
    return periods


def _period_steps(periods: pd.DataFrame, freq: Frequency, keys: list[str]) -> np.ndarray:
    """Periods since the first (sorted) observation; raise when the span has gaps."""
    if freq == "monthly":
        index = periods["year"].to_numpy() * 12 + periods["month"].to_numpy() - 1
    else:
        index = periods["year"].to_numpy()
    t = index - index[0]
    gaps = np.setdiff1d(np.arange(t[-1] + 1), t)
    if gaps.size:
        missing = index[0] + gaps
        if freq == "monthly":
            shown = [f"{m // 12}-{m % 12 + 1:02d}" for m in missing[:5]]
        else:
            shown = [str(m) for m in missing[:5]]
        more = f" and {gaps.size - 5} more" if gaps.size > 5 else ""
        raise HilirDataError(
            f"the series has gaps: {', '.join(shown)}{more} missing; fill them (0 for no "
            "trade) or shorten the series",
            column=keys[-1],
        )
    return t


def _series_unit(frame: pd.DataFrame, unit: str | None) -> str:
    """The caller's unit, else the single value of a ``unit`` column, else ""."""
    if unit is None:
        if "unit" in frame.columns and frame["unit"].nunique() == 1:
            unit = str(frame["unit"].iat[0])
        elif "unit" in frame.columns and frame["unit"].nunique() > 1:
            raise HilirDataError(
                f"the series mixes units {sorted(frame['unit'].unique())}", column="unit"
            )
        else:
            unit = ""
    return unit


def trade_series(
    trade: pd.DataFrame,
    *,
    hs_code: str | None = None,
    item_code: str | None = None,
    source: str | None = None,
    reporter: str = "IDN",
    partner: str = "WLD",
    flow: Literal["export", "import"] = "export",
    measure: Measure = "value",
) -> pd.DataFrame:
    """One product's yearly or monthly series from the tidy trade table.

    Parameters
    ----------
    trade : pandas.DataFrame
        The tidy trade table (``hilir.load_exports()`` or a reader's output). Not modified.
    hs_code, item_code : str, optional
        The product: an HS code as reported (``"720260"``) or a source item code (FAOSTAT
        ``"656"``). Exactly one is required.
    source : str, optional
        Provenance key; required when the product appears in more than one source.
    reporter, partner : str, default "IDN", "WLD"
        Reporter and partner codes.
    flow : {"export", "import"}, default "export"
        Trade flow.
    measure : {"value", "weight", "unit_value"}, default "value"
        ``value`` in USD, ``weight`` net weight in tonnes, ``unit_value`` in USD per tonne.

    Returns
    -------
    pandas.DataFrame
        Columns ``year``, ``month`` (Int64, NA for annual), ``value``, ``unit``, ``source``;
        one row per period, sorted.

    Raises
    ------
    HilirDataError
        No rows for the product, a product in several sources without ``source``, missing
        net weights for a weight-based measure, or zero weight for a unit value.
    """
    if (hs_code is None) == (item_code is None):
        raise HilirDataError("give exactly one of hs_code or item_code")
    if measure not in ("value", "weight", "unit_value"):
        raise HilirDataError(f"measure must be 'value', 'weight' or 'unit_value', not {measure!r}")
    df = trade
    mask = (df["reporter"] == reporter) & (df["partner"] == partner) & (df["flow"] == flow)
    if hs_code is not None:
        mask &= df["hs_code"] == str(hs_code)
        what = f"HS {hs_code}"
    else:
        mask &= df["item_code"] == str(item_code)
        what = f"item {item_code}"
    if source is not None:
        mask &= df["source"] == source
    rows = df.loc[mask]
    if rows.empty:
        raise HilirDataError(
            f"no {flow} rows for {what}, reporter {reporter}, partner {partner}"
            + (f", source {source}" if source else "")
        )
    sources = sorted(rows["source"].unique())
    if len(sources) > 1:
        raise HilirDataError(f"{what} is in several sources {sources}; choose one with source=")
    keys = ["year", "month"]
    rows = rows.assign(month=rows["month"].astype("Int64"))
    grouped = rows.groupby(keys, dropna=False, sort=True).agg(
        value_usd=("value_usd", "sum"),
        net_weight_kg=("net_weight_kg", lambda s: s.sum(min_count=len(s))),
    )
    grouped = grouped.reset_index()
    if measure == "value":
        value = grouped["value_usd"]
        unit = "USD"
    else:
        if grouped["net_weight_kg"].isna().any():
            year = grouped.loc[grouped["net_weight_kg"].isna(), "year"].iat[0]
            raise HilirDataError(
                f"net weight is missing for {what} in {year}", column="net_weight_kg"
            )
        tonnes = grouped["net_weight_kg"] / 1000.0
        if measure == "weight":
            value, unit = tonnes, "t"
        else:
            if (tonnes <= 0).any():
                year = grouped.loc[tonnes <= 0, "year"].iat[0]
                raise HilirDataError(
                    f"unit value undefined: zero net weight for {what} in {year}",
                    column="net_weight_kg",
                )
            value, unit = grouped["value_usd"] / tonnes, "USD/t"
    return pd.DataFrame(
        {
            "year": grouped["year"].astype("int64"),
            "month": grouped["month"].astype("Int64"),
            "value": value.astype(float).to_numpy(),
            "unit": unit,
            "source": sources[0],
        }
    )


def deflate(
    series: pd.DataFrame,
    prices: pd.DataFrame,
    *,
    price_series: str = "NICKEL",
    value_column: str = "value",
    base_year: int | None = None,
) -> pd.DataFrame:
    """Divide a value series by a price series (for example the LME nickel price).

    Parameters
    ----------
    series : pandas.DataFrame
        Series frame with ``year`` (and ``month``) and the value column in USD. Not modified.
    prices : pandas.DataFrame
        The prices table (``hilir.load_prices()``): ``year``, ``month``, ``series``,
        ``price``, ``unit``. Annual series use the annual rows, or the mean of the monthly
        rows of each year when the table has no annual row for it.
    price_series : str, default "NICKEL"
        Series code in ``prices``.
    value_column : str, default "value"
        Column to deflate.
    base_year : int, optional
        Express values at this year's price: value * price[base_year] / price[year], unit
        ``USD at <base_year> <series> price``. Without it the result is value / price, a
        volume-like quantity in tonnes of the priced good per year (unit ``t <series>
        equivalent`` when the price is in USD per tonne).

    Returns
    -------
    pandas.DataFrame
        A copy of ``series`` with the value column deflated, ``unit`` set, and ``price``
        (the price used) added.

    Raises
    ------
    HilirDataError
        Unknown price series, or a year (month) of the series without a price.

    Notes
    -----
    Deflating an export value by the world price of the metal it contains removes the price
    cycle (Pink Sheet nickel: US$ 22,910/t in 2011, US$ 9,595/t in 2016) so that a level
    change after a ban is not a price swing. It is not a volume: grades and products differ.
    """
    if "series" not in prices.columns:
        raise HilirDataError("prices lack column 'series'", column="series")
    p = prices[prices["series"] == price_series]
    if p.empty:
        have = ", ".join(sorted(map(str, prices["series"].unique())))
        raise HilirDataError(f"no price series {price_series!r}; available: {have}")
    monthly = "month" in series.columns and series["month"].notna().any()
    if monthly:
        p = p[p["month"].notna()]
        table = p.groupby(["year", "month"])["price"].mean()
        keys = list(zip(series["year"].astype(int), series["month"].astype(int), strict=True))
    else:
        annual = p[p["month"].isna()] if "month" in p.columns else p
        table = annual.groupby("year")["price"].mean()
        if "month" in p.columns:
            from_months = p[p["month"].notna()].groupby("year")["price"].mean()
            table = table.combine_first(from_months)
        keys = list(series["year"].astype(int))
    missing = [k for k in keys if k not in table.index]
    if missing:
        raise HilirDataError(f"no {price_series} price for {missing[:5]}")
    price = np.array([table.loc[k] for k in keys], dtype=float)
    price_unit = str(p["unit"].iat[0]) if "unit" in p.columns else ""
    out = series.copy()
    if base_year is not None:
        if base_year not in table.index.get_level_values(0):
            raise HilirDataError(f"no {price_series} price in base year {base_year}")
        base = float(np.mean(np.atleast_1d(table.loc[base_year])))
        out[value_column] = series[value_column].to_numpy(dtype=float) * base / price
        out["unit"] = f"USD at {base_year} {price_series} price"
    else:
        out[value_column] = series[value_column].to_numpy(dtype=float) / price
        per_tonne = "/t" in price_unit.replace(" ", "").lower() or "/mt" in price_unit.lower()
        out["unit"] = f"t {price_series} equivalent" if per_tonne else f"USD per {price_unit}"
    out["price"] = price
    return out
