"""The two sides of a scenario: the raw exports moved and the value of the target product.

Steps of :func:`hilir.value.scenario`: the raw side (base-year tonnes R and raw unit value
u_r in USD per t, from inputs or trade data), the target product and its unit value u_p
(USD per t of product, from an input, trade data or a cited assumption) by bound.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from typing import Literal, NamedTuple

import numpy as np
import pandas as pd

from hilir.checks import BOUNDS, DOWNSTREAM, check_years, safe_divide
from hilir.errors import HilirDataError, HilirDataWarning
from hilir.registry.queries import chain_products, chains_in_data
from hilir.value.cited_values import assumed_values, nearest_row
from hilir.value.raw_unit_value import RawUnitValue, resolve_raw_unit_values
from hilir.value.stages import stage_table


def triple(x: float | tuple[float, float, float]) -> dict[str, float]:
    """``{"low", "central", "high"}`` from one number or a (low, central, high) triple."""
    if np.ndim(x) == 0:
        v = float(x)  # type: ignore[arg-type]
        return dict.fromkeys(BOUNDS, v)
    lo, c, hi = (float(v) for v in x)  # type: ignore[union-attr]
    if not lo <= c <= hi:
        raise HilirDataError("a (low, central, high) input must satisfy low <= central <= high")
    return {"low": lo, "central": c, "high": hi}


def spread(series: pd.Series, year: int, window: int) -> dict[str, float]:
    """Central = the year's value; low/high = min/max over the ``window`` years to it."""
    s = series.dropna()
    s = s[(s.index <= year) & (s.index > year - window)]
    if year not in s.index:
        return dict.fromkeys(BOUNDS, np.nan)
    return {"low": float(s.min()), "central": float(s.loc[year]), "high": float(s.max())}


def raw_spread(ruv: pd.DataFrame, year: int, window: int) -> tuple[dict[str, float], str]:
    """Raw unit value (USD/t) by bound and its note, from the resolved raw unit values.

    Central = the resolved value of ``year``; low/high = min/max of it and the usable
    same-year values in the ``window`` years to ``year`` (for an unflagged series: the
    year's value and the min/max over the window, as :func:`spread`).
    """
    if year not in ruv.index:
        return dict.fromkeys(BOUNDS, np.nan), ""
    central = float(ruv.loc[year, "raw_unit_value_usd_per_t"])
    note = str(ruv.loc[year, "raw_unit_value_note"] or "")
    if not np.isfinite(central):
        return dict.fromkeys(BOUNDS, np.nan), note
    own = ruv.loc[ruv["raw_usable"].astype(bool), "raw_unit_value_same_year_usd_per_t"]
    own = own[(own.index <= year) & (own.index > year - window)].dropna()
    vals = [central, *own.tolist()]
    return {"low": float(min(vals)), "central": central, "high": float(max(vals))}, note


def empty_baseline() -> pd.DataFrame:
    """An empty baseline: ``product, stage, baseline_t, baseline_value_usd``."""
    return pd.DataFrame(columns=["product", "stage", "baseline_t", "baseline_value_usd"])


class RawSide(NamedTuple):
    """The raw exports a scenario moves: tonnes R, unit value u_r (USD/t) and baseline."""

    reporter: str
    big_r: float
    u_r: dict[str, float]
    raw_product: str
    raw_basis: str
    baseline: pd.DataFrame
    notes: list[str]
    sources: list[str]


def chain_stages(
    exports: pd.DataFrame,
    chain: str,
    factors: pd.DataFrame | None,
    estimates: pd.DataFrame | None,
    prices: pd.DataFrame | None,
    splits: pd.DataFrame | Literal["default"] | None,
    preferred_only: bool,
) -> pd.DataFrame | None:
    """The chain's :func:`stage_table`, or ``None`` when the data have no rows of it."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", HilirDataWarning)
        present = chains_in_data(exports, chain)
    if not present:
        return None
    st = stage_table(
        exports,
        chain=chain,
        factors=factors,
        estimates=estimates,
        prices=prices,
        splits=splits,
        preferred_only=preferred_only,
    )
    return None if st.empty else st


def raw_from_inputs(
    info: pd.Series,
    raw_exports_t: float | None,
    raw_unit_value_usd_per_t: float | tuple[float, float, float] | None,
    raw_source: str | None,
) -> RawSide:
    """The raw side from explicit inputs (t and USD/t), for chains without raw trade data."""
    if raw_exports_t is None or raw_unit_value_usd_per_t is None or not raw_source:
        raise HilirDataError("pass raw_exports_t, raw_unit_value_usd_per_t and raw_source together")
    if raw_exports_t < 0:
        raise HilirDataError("raw_exports_t must be >= 0")
    big_r, u_r = float(raw_exports_t), triple(raw_unit_value_usd_per_t)
    raw_product = str(info.get("raw_product", "raw"))
    baseline = pd.DataFrame(
        {"product": [raw_product], "stage": ["raw"], "baseline_t": [big_r],
         "baseline_value_usd": [big_r * u_r["central"]]}
    )  # fmt: skip
    notes = [f"raw exports {big_r:g} t and unit value given as inputs ({raw_source})"]
    return RawSide("IDN", big_r, u_r, raw_product, "input", baseline, notes, [raw_source])


def raw_from_data(
    st: pd.DataFrame,
    chain: str,
    year: int,
    uv_window: int,
    raw_unit_value: RawUnitValue,
    raw_unusable_flags: Iterable[str],
) -> RawSide:
    """The raw side from trade data: the base year's raw tonnes, unit value and baseline."""
    check_years(st["year"].unique(), [year], what=f"the exports of {chain!r}")
    cen = st[st["bound"] == "central"]
    reporter = str(cen["reporter"].iloc[0])
    raw = cen[cen["stage"] == "raw"]
    big_r = float(raw.loc[raw["year"] == year, "quantity_t"].sum())
    ruv = resolve_raw_unit_values(
        st[st["reporter"] == reporter],
        method=raw_unit_value,
        window=uv_window,
        unusable_flags=raw_unusable_flags,
    ).set_index("year")
    u_r, raw_note = raw_spread(ruv, year, uv_window)
    if big_r == 0 or (not np.isfinite(u_r["central"]) and not raw_note):
        raise HilirDataError(
            f"{chain!r} has no raw exports in {year}: nothing to move (pass raw_exports_t=)"
        )
    notes = [raw_note] if raw_note else []
    raw_products = raw.loc[raw["year"] == year, "product"].unique()
    raw_product = str(raw_products[0]) if len(raw_products) == 1 else "+".join(raw_products)
    base = cen[cen["year"] == year]
    baseline = base.groupby(["product", "stage"], as_index=False).agg(
        baseline_t=("quantity_t", "sum"), baseline_value_usd=("value_usd", "sum")
    )
    split_parts = set(base.loc[base["assumption"].str.startswith("split"), "product"])
    if split_parts:
        notes.append("; ".join(sorted(set(base["assumption"]) - {""})))
    sources = [st.attrs.get("source", "")]
    return RawSide(reporter, big_r, u_r, raw_product, "trade data", baseline, notes, sources)


def pick_target(
    st: pd.DataFrame | None,
    chain: str,
    year: int,
    target: str | None,
    asm: pd.DataFrame,
    prices: pd.DataFrame | None,
) -> tuple[str, str]:
    """The target product and its stage (the default rule of :func:`scenario`), checked."""
    prods = chain_products(chain)
    downstream = prods[prods["stage"].isin(DOWNSTREAM)]
    if target is None:
        if st is not None:
            cand = st[
                (st["bound"] == "central")
                & (st["year"] == year)
                & st["stage"].isin(DOWNSTREAM)
                & ~st["assumption"].str.startswith("split")
            ]
            if not cand.empty and cand["value_usd"].sum() > 0:
                target = str(cand.groupby("product")["value_usd"].sum().idxmax())
        if target is None:
            av = assumed_values(assumptions=asm, prices=prices)
            ok = av[(av["reliability"] != "not_found") & (av["kind"] != "raw_unit_value")]
            for p in downstream["product"]:
                if (ok["product"] == p).any():
                    target = str(p)
                    break
        if target is None:
            if downstream.empty:
                raise HilirDataError(f"chain {chain!r} has no downstream product in the registry")
            target = str(downstream["product"].iloc[0])
    hit = prods[prods["product"] == target]
    if hit.empty:
        raise HilirDataError(f"target {target!r} is not a product of chain {chain!r}")
    t_stage = str(hit["stage"].iloc[0])
    if t_stage not in DOWNSTREAM:
        raise HilirDataError(f"target {target!r} is at stage {t_stage!r}, not downstream")
    return target, t_stage


def target_value(
    st: pd.DataFrame | None,
    target: str,
    t_stage: str,
    year: int,
    u_r: dict[str, float],
    asm: pd.DataFrame,
    prices: pd.DataFrame | None,
    uv_window: int,
    processed_unit_value_usd_per_t: float | tuple[float, float, float] | None,
    processed_unit_value_source: str | None,
    notes: list[str],
    sources: list[str],
) -> tuple[str, dict[str, float], dict[str, float] | None, str]:
    """The target's value: ``(kind, u_p by bound, factor by bound or None, basis)``.

    From an explicit input, else trade data of the year, else the nearest cited
    assumption; appends its notes and sources.
    """
    kind, u_p, f, t_basis = "processed_unit_value", dict.fromkeys(BOUNDS, np.nan), None, ""
    if processed_unit_value_usd_per_t is not None:
        if not processed_unit_value_source:
            raise HilirDataError("processed_unit_value_usd_per_t needs processed_unit_value_source")
        u_p, t_basis = triple(processed_unit_value_usd_per_t), "input"
        notes.append(f"target unit value given as input ({processed_unit_value_source})")
        sources.append(processed_unit_value_source)
    elif (
        st is not None
        and ((st["product"] == target) & (st["year"] == year) & (st["quantity_t"] > 0)).any()
    ):
        tgt = st[(st["product"] == target) & (st["bound"] == "central") & (st["stage"] == t_stage)]
        ty = tgt.groupby("year").agg(v=("value_usd", "sum"), q=("quantity_t", "sum"))
        u_p = spread(pd.Series(safe_divide(ty["v"], ty["q"]), index=ty.index), year, uv_window)
        fy = st[(st["product"] == target) & (st["year"] == year)].groupby("bound", observed=True)
        f = {str(b): float(g["factor_t_raw_per_t"].iloc[0]) for b, g in fy}
        if not all(np.isfinite(list(f.values()))):
            f = None  # no factor (registry method "none"): resolved below, with the reason
        t_basis = "trade data"
    else:
        kind, u_p = assumed_target_value(target, year, u_r, asm, prices, notes, sources)
        t_basis = "assumption"
    return kind, u_p, f, t_basis


def assumed_target_value(
    target: str,
    year: int,
    u_r: dict[str, float],
    asm: pd.DataFrame,
    prices: pd.DataFrame | None,
    notes: list[str],
    sources: list[str],
) -> tuple[str, dict[str, float]]:
    """The target's value from the nearest cited assumption: ``(kind, u_p by bound)``."""
    kind, u_p = "processed_unit_value", dict.fromkeys(BOUNDS, np.nan)
    av = assumed_values(assumptions=asm, prices=prices)
    cand = av[(av["product"] == target) & (av["kind"] != "raw_unit_value")]
    cand = cand[cand["reliability"] != "not_found"]
    order = {"processed_unit_value": 0, "price_ratio_to_raw": 1, "uplift_ratio": 2}
    row, when = nearest_row(cand.sort_values("kind", key=lambda k: k.map(order)), year)
    if row is None:
        why = "; ".join(av.loc[av["product"] == target, "note"]) or "none cited"
        notes.append(f"no unit value for {target!r}: {why}")
        return kind, u_p
    kind = str(row["kind"])
    vals = {b: float(row[b]) for b in BOUNDS}
    if kind == "processed_unit_value":
        u_p = vals
    elif kind == "price_ratio_to_raw":
        u_p = {b: vals[b] * u_r["central"] for b in BOUNDS}
    else:
        u_p = vals  # uplift ratio, applied per raw-equivalent tonne below
    notes.append(
        f"{target}: {kind} {row['low']:g}-{row['high']:g} {row['unit']}{when} ({row['source']})"
    )
    sources.append(str(row["source"]))
    return kind, u_p
