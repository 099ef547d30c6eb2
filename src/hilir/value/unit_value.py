"""Unit values (USD per kg) by product and year, with outliers flagged, never dropped."""

from __future__ import annotations

import numpy as np
import pandas as pd

from hilir.checks import safe_divide
from hilir.errors import HilirDataError
from hilir.trade import annual_products


def unit_values(
    exports: pd.DataFrame,
    *,
    chain: str | list[str] | None = None,
    by_partner: bool = False,
    preferred_only: bool = False,
    band: tuple[float, float] = (0.05, 0.95),
    min_years: int = 10,
    tiny_share: float = 0.001,
) -> pd.DataFrame:
    """Export unit values by product and year (and partner), with outliers flagged.

    Parameters
    ----------
    exports : pandas.DataFrame
        Tidy exports with ``chain``, ``product``, ``stage`` (``hilir.load_exports()``);
        ``value_usd`` in USD, ``net_weight_kg`` in kg.
    chain : str or list of str, optional
        Keep these chains.
    by_partner : bool, default False
        One row per partner (country and residual rows) instead of world totals.
    preferred_only : bool, default False
        Keep only preferred rows. Each source keeps its own rows either way (``source`` is
        part of the key), so unit values never mix sources.
    band : (float, float), default (0.05, 0.95)
        Quantiles of a series' own unit values outside which a year is flagged.
    min_years : int, default 10
        Shortest series (years with a unit value) for which the band is applied; in
        shorter series every extreme would be "outside" its own band.
    tiny_share : float, default 0.001
        A year whose net weight is below ``tiny_share`` times the series' median positive
        weight is flagged ``tiny_weight`` (nickel ore 2020: 1,404 kg against a median of
        about 2.5 Mt).

    Returns
    -------
    pandas.DataFrame
        ``reporter, geography, source, chain, product, stage, year[, partner], value_usd,
        net_weight_kg, quantity_t, months, unit_value_usd_per_kg, unit_value_usd_per_t,
        band_low_usd_per_kg, band_high_usd_per_kg, flag, flagged``. ``flag`` lists the
        reasons separated by ``;`` (``zero_flow``, ``no_weight``, ``tiny_weight``,
        ``outside_band``), empty when none.

    Notes
    -----
    Unit value (USD/kg) = ``value_usd`` / ``net_weight_kg``; USD/t = 1000 x USD/kg. It is
    missing (not zero) for a zero flow or a flow without weight. The series of a flag is
    (reporter, source, chain, product[, partner]); the band is the ``band`` quantiles of
    the series' finite unit values (linear interpolation). Flags mark, they never drop.

    Examples
    --------
    >>> from hilir import load_example
    >>> uv = unit_values(load_example())
    >>> uv.query("year == 2019")[["product", "unit_value_usd_per_kg"]].to_dict("records")
    [{'product': 'coffee_green', 'unit_value_usd_per_kg': 2.0}, \
{'product': 'coffee_roasted', 'unit_value_usd_per_kg': 6.0}]
    """
    lo, hi = band
    if not (0 <= lo < hi <= 1):
        raise HilirDataError(f"band must be two quantiles 0 <= low < high <= 1, not {band!r}")
    if tiny_share < 0:
        raise HilirDataError(f"tiny_share must be >= 0, not {tiny_share!r}")
    annual = annual_products(
        exports, chain=chain, preferred_only=preferred_only, by_partner=by_partner
    )
    out = annual.copy()
    out["unit_value_usd_per_kg"] = safe_divide(out["value_usd"], out["net_weight_kg"])
    out["unit_value_usd_per_t"] = out["unit_value_usd_per_kg"] * 1000.0
    series = ["reporter", "source", "chain", "product"] + (["partner"] if by_partner else [])
    out = flag_unit_values(out, series, band=band, min_years=min_years, tiny_share=tiny_share)
    return out.drop(columns="median_net_weight_kg")


def flag_unit_values(
    frame: pd.DataFrame,
    series: list[str],
    *,
    band: tuple[float, float] = (0.05, 0.95),
    min_years: int = 10,
    tiny_share: float = 0.001,
) -> pd.DataFrame:
    """Add the outlier flags of :func:`unit_values` to a frame of yearly unit values.

    Parameters
    ----------
    frame : pandas.DataFrame
        ``value_usd`` (USD), ``net_weight_kg`` (kg), ``unit_value_usd_per_kg`` and the
        ``series`` columns; one row per series and year.
    series : list of str
        Columns that identify a series.
    band, min_years, tiny_share
        See :func:`unit_values`.

    Returns
    -------
    pandas.DataFrame
        A copy with ``band_low_usd_per_kg, band_high_usd_per_kg, flag, flagged`` and
        ``median_net_weight_kg`` (the series' median positive weight, kg).
    """
    lo, hi = band
    out = frame.copy()
    g = out.groupby(series, sort=False, dropna=False)
    uv = out["unit_value_usd_per_kg"]
    n_uv = g["unit_value_usd_per_kg"].transform("count")
    q_lo = g["unit_value_usd_per_kg"].transform(lambda s: s.quantile(lo))
    q_hi = g["unit_value_usd_per_kg"].transform(lambda s: s.quantile(hi))
    use_band = n_uv >= min_years
    out["band_low_usd_per_kg"] = q_lo.where(use_band)
    out["band_high_usd_per_kg"] = q_hi.where(use_band)
    positive_kg = out["net_weight_kg"].where(out["net_weight_kg"] > 0)
    median_kg = positive_kg.groupby([out[c] for c in series], dropna=False).transform("median")
    zero = out["value_usd"].eq(0) & out["net_weight_kg"].fillna(0).eq(0)
    no_weight = ~zero & (out["net_weight_kg"].isna() | out["net_weight_kg"].eq(0))
    tiny = out["net_weight_kg"].gt(0) & out["net_weight_kg"].lt(tiny_share * median_kg)
    outside = use_band & (uv.lt(q_lo) | uv.gt(q_hi))
    reasons = {
        "zero_flow": zero,
        "no_weight": no_weight,
        "tiny_weight": tiny.fillna(False),
        "outside_band": outside.fillna(False),
    }
    flag = pd.Series("", index=out.index, dtype="object")
    for name, hit in reasons.items():
        hit_arr = hit.to_numpy(dtype=bool)
        flag[hit_arr] = np.where(flag[hit_arr] == "", name, flag[hit_arr] + ";" + name)
    out["flag"] = flag.astype("string")
    out["flagged"] = out["flag"].str.len().gt(0).to_numpy(dtype=bool)
    out["median_net_weight_kg"] = median_kg
    return out
