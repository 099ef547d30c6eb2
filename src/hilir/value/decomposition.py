"""Decomposition of export growth into volume, price and stage-mix effects (Shapley)."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import product as cartesian
from math import factorial
from typing import Literal

import numpy as np
import pandas as pd

from hilir.checks import check_choice, check_years
from hilir.errors import HilirDataError
from hilir.provenance.keys import join_sources
from hilir.registry.queries import chains_in_data
from hilir.value.stages import stage_table

EFFECTS = ("volume", "price", "mix")


def _fill_pair(a: np.ndarray, b: np.ndarray, ok_a: np.ndarray, ok_b: np.ndarray):
    """Where one year's value is undefined, borrow the other year's (0 if neither)."""
    a2 = np.where(ok_a, a, np.where(ok_b, b, 0.0))
    b2 = np.where(ok_b, b, np.where(ok_a, a, 0.0))
    return a2, b2


def shapley_decomposition(
    value_0: np.ndarray,
    raw_t_0: np.ndarray,
    value_1: np.ndarray,
    raw_t_1: np.ndarray,
) -> dict[str, float]:
    """Shapley split of the change in total value into volume, price and mix effects.

    Parameters
    ----------
    value_0, value_1 : array of float
        Export value (USD) of each group (stage or product) in the start and end year.
    raw_t_0, raw_t_1 : array of float
        Raw-equivalent tonnes of each group in the two years (zeros allowed).

    Returns
    -------
    dict
        ``volume``, ``price``, ``mix`` and ``total`` in USD; the three effects add up to
        ``total`` = sum(value_1) - sum(value_0) exactly (to rounding).

    Notes
    -----
    V = Q x sum_g m_g p_g, with Q = sum_g R_g (raw-equivalent tonnes), m_g = R_g / Q (stage
    mix) and p_g = V_g / R_g (USD per raw-equivalent tonne). Each effect is the Shapley
    value of its factor: the average, over the 3! orders of switching factors from the
    start year to the end year, of the change in V when that factor switches (weights
    1/3, 1/6, 1/6, 1/3 over coalitions of size 0, 1, 1, 2). Zero flows (Indonesia's ore
    exports of 2015-2016) leave p_g undefined; it is borrowed from the other year, which
    changes no V actually observed (m_g = 0 there), so the parts still sum to the total. A
    year with no exports at all borrows the other year's mix.
    """
    v0, v1 = np.asarray(value_0, float), np.asarray(value_1, float)
    r0, r1 = np.asarray(raw_t_0, float), np.asarray(raw_t_1, float)
    for arr, name in ((v0, "value_0"), (v1, "value_1"), (r0, "raw_t_0"), (r1, "raw_t_1")):
        if not np.isfinite(arr).all() or (arr < 0).any():
            raise HilirDataError(f"{name} must be finite and non-negative")
    if np.any((r0 == 0) & (v0 > 0)) or np.any((r1 == 0) & (v1 > 0)):
        raise HilirDataError("a group has export value but no raw-equivalent tonnes")
    q0, q1 = r0.sum(), r1.sum()
    m0 = r0 / q0 if q0 > 0 else np.zeros_like(r0)
    m1 = r1 / q1 if q1 > 0 else np.zeros_like(r1)
    if q0 == 0 and q1 > 0:
        m0 = m1
    if q1 == 0 and q0 > 0:
        m1 = m0
    p0 = np.divide(v0, r0, out=np.zeros_like(v0), where=r0 > 0)
    p1 = np.divide(v1, r1, out=np.zeros_like(v1), where=r1 > 0)
    p0, p1 = _fill_pair(p0, p1, r0 > 0, r1 > 0)
    q, m, p = (q0, q1), (m0, m1), (p0, p1)

    def value(i: int, j: int, k: int) -> float:
        return float(q[i] * np.sum(m[j] * p[k]))

    n = 3
    effects = {}
    for pos, name in enumerate(("volume", "mix", "price")):
        total = 0.0
        for combo in cartesian((0, 1), repeat=n):
            if combo[pos] == 1:
                continue
            size = sum(combo)
            weight = factorial(size) * factorial(n - size - 1) / factorial(n)
            with_i = list(combo)
            with_i[pos] = 1
            total += weight * (value(*with_i) - value(*combo))
        effects[name] = total
    effects["total"] = float(v1.sum() - v0.sum())
    return {k: effects[k] for k in ("volume", "price", "mix", "total")}


def _group_values(grp: pd.DataFrame, level: str, rep: str, chain: str, bound: str) -> pd.DataFrame:
    """Value (USD) and raw-equivalent tonnes by ``level`` group and year, checked.

    Raises on a group with export value but no raw-equivalent tonnes.
    """
    work = grp.assign(_missing=grp["raw_equivalent_t"].isna())
    g = work.groupby([level, "year"], observed=True).agg(
        value_usd=("value_usd", "sum"),
        raw_equivalent_t=("raw_equivalent_t", "sum"),
        _missing=("_missing", "any"),
        source=("source", join_sources),
    )
    bad = g[(g["value_usd"] > 0) & (g["_missing"] | g["raw_equivalent_t"].le(0))]
    if not bad.empty:
        (name, year), r = next(iter(bad.iterrows()))
        raise HilirDataError(
            f"{rep} {chain} {level} {name!r} in {year} ({r['source']}, {bound} bound): "
            f"export value USD {r['value_usd']:,.0f} but no raw-equivalent tonnes (net "
            "weight missing or zero, or no conversion factor): volume and price effects are "
            "undefined; drop the rows or supply the weight"
        )
    return g


def decompose_growth(
    exports: pd.DataFrame,
    *,
    chain: str,
    year_from: int,
    year_to: int,
    level: Literal["stage", "product"] = "stage",
    factors: pd.DataFrame | None = None,
    estimates: pd.DataFrame | None = None,
    prices: pd.DataFrame | None = None,
    splits: pd.DataFrame | Literal["default"] | None = "default",
    preferred_only: bool = True,
    reporter: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """Split a chain's change in export value between two years into volume, price, mix.

    Answers "was the nickel export boom processing, or prices?".

    Parameters
    ----------
    exports : pandas.DataFrame
        Tidy exports with ``chain``, ``product``, ``stage``.
    chain : str
        Registry chain key.
    year_from, year_to : int
        Start and end years (both must be in the data).
    level : {"stage", "product"}, default "stage"
        Groups of the mix effect: stages (raw, intermediate, processed), or products
        (then changes of product mix within a stage count as mix, not price).
    factors, estimates, prices, splits, preferred_only, reporter
        See :func:`hilir.value.stage_table` (default reporters: taken
        from the data, Indonesia and its provinces when it holds them).

    Returns
    -------
    pandas.DataFrame
        Long: ``reporter, geography, chain, year_from, year_to, bound, effect ('volume' |
        'price' | 'mix' | 'total'), change_usd, value_usd_from, value_usd_to, method,
        source``. For each bound, volume + price + mix = total.

    Raises
    ------
    HilirDataError
        An unknown chain or level, equal years, a year absent from the data, or a group
        with export value but no raw-equivalent tonnes (its net weight is missing or zero
        in the source, or its product has no conversion factor): the message names the
        reporter, group, year and source, since the volume and price effects of such a
        group are undefined.

    Notes
    -----
    See :func:`shapley_decomposition`. Volume is raw-equivalent tonnes (so the bound, i.e.
    the conversion factors, moves value between the volume, mix and price effects but
    never changes the total). Values are current USD; deflating by a product's own price
    would duplicate the price effect.
    """
    check_choice("level", level, ("stage", "product"))
    if year_from == year_to:
        raise HilirDataError("year_from and year_to must differ")
    present = chains_in_data(exports, chain)
    if not present:
        raise HilirDataError(f"chain {chain!r} has no export rows to decompose")
    st = stage_table(
        exports,
        chain=chain,
        factors=factors,
        estimates=estimates,
        prices=prices,
        splits=splits,
        preferred_only=preferred_only,
        reporter=reporter,
    )
    check_years(st["year"].unique(), [year_from, year_to], what=f"the exports of {chain!r}")
    st = st[st["year"].isin([year_from, year_to])]
    rows = []
    for (rep, bound), grp in st.groupby(["reporter", "bound"], observed=True):
        g = _group_values(grp, level, rep, chain, bound)
        wide = g[["value_usd", "raw_equivalent_t"]].unstack("year", fill_value=0.0)

        def col(name: str, year: int, frame: pd.DataFrame = wide) -> np.ndarray:
            key = (name, year)
            return frame[key].to_numpy(float) if key in frame.columns else np.zeros(len(frame))

        eff = shapley_decomposition(
            col("value_usd", year_from),
            col("raw_equivalent_t", year_from),
            col("value_usd", year_to),
            col("raw_equivalent_t", year_to),
        )
        for name, change in eff.items():
            rows.append(
                {
                    "reporter": rep,
                    "geography": grp["geography"].iloc[0],
                    "chain": chain,
                    "year_from": year_from,
                    "year_to": year_to,
                    "bound": bound,
                    "effect": name,
                    "change_usd": change,
                    "value_usd_from": float(col("value_usd", year_from).sum()),
                    "value_usd_to": float(col("value_usd", year_to).sum()),
                    "method": f"Shapley, 3 factors (volume, {level} mix, price)",
                    "source": join_sources(grp["source"]),
                }
            )
    out = pd.DataFrame(rows)
    out["bound"] = pd.Categorical(out["bound"], categories=["low", "central", "high"], ordered=True)
    return out.sort_values(["reporter", "bound"], kind="stable").reset_index(drop=True)
