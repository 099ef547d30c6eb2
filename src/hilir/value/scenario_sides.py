"""The two sides of a scenario: the raw exports moved and the value of the target product.

Steps of :func:`hilir.value.scenario`: the raw side (base-year tonnes R and raw unit value
u_r in USD per t, from inputs or trade data), the target product and its value by bound:
a same-year uplift ratio from trade data, a cited price ratio or unit value, or an input.

Ranges pair values of one year. From trade data, every year y of the window gives its own
uplift u(y) = UV_P(y) / (f UV_raw(y)) (both unit values of year y); the low bound is the
smallest such ratio (with the high factor), the high bound the largest (low factor), the
central the base year's. The ratio is applied to the base year's raw value, so a bound never
pairs one year's processed price with another year's raw price.
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
from hilir.value.reporters import single_reporter
from hilir.value.stages import stage_table

FLIP = {"low": "high", "central": "central", "high": "low"}


def triple(x: float | tuple[float, float, float]) -> dict[str, float]:
    """``{"low", "central", "high"}`` from one number or a (low, central, high) triple."""
    if np.ndim(x) == 0:
        v = float(x)  # type: ignore[arg-type]
        return dict.fromkeys(BOUNDS, v)
    lo, c, hi = (float(v) for v in x)  # type: ignore[union-attr]
    if not lo <= c <= hi:
        raise HilirDataError("a (low, central, high) input must satisfy low <= central <= high")
    return {"low": lo, "central": c, "high": hi}


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
    ruv: pd.DataFrame | None = None


def chain_stages(
    exports: pd.DataFrame,
    chain: str,
    factors: pd.DataFrame | None,
    estimates: pd.DataFrame | None,
    prices: pd.DataFrame | None,
    splits: pd.DataFrame | Literal["default"] | None,
    preferred_only: bool,
    reporter: str | None = None,
) -> pd.DataFrame | None:
    """The chain's :func:`stage_table`, or ``None`` when the data have no rows of it.

    ``reporter`` (an ISO alpha-3 code) selects one reporter; by default the reporters are
    taken from the data (:func:`hilir.value.stage_table`), and a stage table of more than
    one reporter is an error, since a scenario is for one geography.
    """
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
        reporter=reporter,
    )
    if st.empty:
        return None
    single_reporter(st, reporter, what=f"the exports of {chain!r}")
    return st


def raw_from_inputs(
    info: pd.Series,
    raw_exports_t: float | None,
    raw_unit_value_usd_per_t: float | tuple[float, float, float] | None,
    raw_source: str | None,
    reporter: str = "IDN",
) -> RawSide:
    """The raw side from explicit inputs (t and USD/t), for chains without raw trade data.

    ``reporter`` is the geography the inputs are of (ISO alpha-3 code or ``ID-..``).
    """
    if raw_exports_t is None or raw_unit_value_usd_per_t is None or not raw_source:
        raise HilirDataError("pass raw_exports_t, raw_unit_value_usd_per_t and raw_source together")
    if raw_exports_t < 0:
        raise HilirDataError("raw_exports_t must be >= 0")
    big_r, given = float(raw_exports_t), triple(raw_unit_value_usd_per_t)
    u_r = dict.fromkeys(BOUNDS, given["central"])
    raw_product = str(info.get("raw_product", "raw"))
    baseline = pd.DataFrame(
        {"product": [raw_product], "stage": ["raw"], "baseline_t": [big_r],
         "baseline_value_usd": [big_r * u_r["central"]]}
    )  # fmt: skip
    notes = [f"raw exports {big_r:g} t and unit value given as inputs ({raw_source})"]
    if given["low"] != given["high"]:
        notes.append(
            f"raw unit value {given['central']:,.1f} USD/t used in every bound (the input range "
            f"{given['low']:,.1f}-{given['high']:,.1f} mixes years; the target's same-year ratios "
            "carry the range)"
        )
    return RawSide(reporter, big_r, u_r, raw_product, "input", baseline, notes, [raw_source])


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
    u_r, raw_note = _base_raw(ruv, year)
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
    return RawSide(reporter, big_r, u_r, raw_product, "trade data", baseline, notes, sources, ruv)


def _base_raw(ruv: pd.DataFrame, year: int) -> tuple[dict[str, float], str]:
    """The base year's raw unit value (USD/t) in every bound, and its note."""
    if year not in ruv.index:
        return dict.fromkeys(BOUNDS, np.nan), ""
    central = float(ruv.loc[year, "raw_unit_value_usd_per_t"])
    note = str(ruv.loc[year, "raw_unit_value_note"] or "")
    return dict.fromkeys(BOUNDS, central), note


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


class TargetValue(NamedTuple):
    """The target's value by bound: kind, value u, factor f (t raw per t product), basis.

    ``kind`` is ``processed_unit_value`` (u in USD per t of product),
    ``price_ratio_to_raw`` (u per t of product over the raw unit value) or
    ``uplift_ratio`` (value per raw-equivalent tonne over the raw unit value); ``years``
    names the year each bound's value comes from (None for cited or input values).
    """

    kind: str
    u: dict[str, float]
    f: dict[str, float] | None
    basis: str
    years: dict[str, int | None]


def target_value(
    st: pd.DataFrame | None,
    target: str,
    t_stage: str,
    year: int,
    raw: RawSide,
    asm: pd.DataFrame,
    prices: pd.DataFrame | None,
    uv_window: int,
    processed_unit_value_usd_per_t: float | tuple[float, float, float] | None,
    processed_unit_value_source: str | None,
    notes: list[str],
    sources: list[str],
) -> TargetValue:
    """The target's value by bound (:class:`TargetValue`).

    From an explicit input, else same-year uplift ratios from trade data (not from a split
    of a mixed item, whose parts share one unit value), else the nearest cited assumption;
    appends its notes and sources.
    """
    none_years: dict[str, int | None] = dict.fromkeys(BOUNDS)
    if processed_unit_value_usd_per_t is not None:
        if not processed_unit_value_source:
            raise HilirDataError("processed_unit_value_usd_per_t needs processed_unit_value_source")
        notes.append(f"target unit value given as input ({processed_unit_value_source})")
        sources.append(processed_unit_value_source)
        u_p = triple(processed_unit_value_usd_per_t)
        return TargetValue("processed_unit_value", u_p, None, "input", none_years)
    ruv = raw.ruv
    if st is not None and ruv is None:
        ruv = _national_ruv(st)
    here = None if st is None else st[(st["product"] == target) & (st["year"] == year)]
    if here is not None and (here["quantity_t"] > 0).any():
        if here["assumption"].astype(str).str.startswith("split").all():
            notes.append(
                f"the shipped data have no same-year unit values of {target} and the raw "
                "product (one mixed item, split by a cited constant share): the processed "
                "value is a cited assumption, and so is the sign of the result"
            )
        else:
            return _same_year_uplift(st, target, t_stage, year, ruv, uv_window, notes)
    kind, u_p = assumed_target_value(target, year, raw.u_r, ruv, asm, prices, notes, sources)
    return TargetValue(kind, u_p, None, "assumption", none_years)


def _national_ruv(st: pd.DataFrame) -> pd.DataFrame:
    """Resolved raw unit values (by year) of the stage table's first reporter."""
    rep = str(st.loc[st["bound"] == "central", "reporter"].iloc[0])
    return resolve_raw_unit_values(st[st["reporter"] == rep]).set_index("year")


def _same_year_uplift(
    st: pd.DataFrame,
    target: str,
    t_stage: str,
    year: int,
    ruv: pd.DataFrame,
    window: int,
    notes: list[str],
) -> TargetValue:
    """Uplift ratios u(y) = UV_P(y) / (f(y) UV_raw(y)) over the window, one year per bound.

    Central: the base year (its raw unit value as resolved, a substitute named in the raw
    note); low: the smallest ratio of the window with the high factor; high: the largest
    with the low factor. Years whose raw unit value is unusable (flagged) are left out.
    """
    tgt = st[(st["product"] == target) & (st["stage"] == t_stage)]
    cen = (
        tgt[tgt["bound"] == "central"]
        .groupby("year")
        .agg(v=("value_usd", "sum"), q=("quantity_t", "sum"))
    )
    fac = tgt.groupby(["year", "bound"], observed=True)["factor_t_raw_per_t"].first()
    uvp = pd.Series(safe_divide(cen["v"], cen["q"]), index=cen.index)
    usable = ruv.loc[ruv["raw_usable"].astype(bool), "raw_unit_value_same_year_usd_per_t"]
    f_base = {b: float(fac.get((year, b), np.nan)) for b in BOUNDS}
    if not all(np.isfinite(list(f_base.values()))):
        return TargetValue("uplift_ratio", dict.fromkeys(BOUNDS, np.nan), None, "trade data",
                           dict.fromkeys(BOUNDS))  # fmt: skip
    ur_base = float(ruv["raw_unit_value_usd_per_t"].get(year, np.nan))
    u = {"central": float(uvp.get(year, np.nan)) / (f_base["central"] * ur_base)}
    years: dict[str, int | None] = {"central": int(year)}
    for b, pick_fn in (("low", min), ("high", max)):
        fb = FLIP[b]
        cand = {}
        for y in uvp.index:
            if year - window < y <= year and y in usable.index and uvp[y] > 0:
                ratio = float(uvp[y]) / (float(fac.get((y, fb), np.nan)) * float(usable[y]))
                if np.isfinite(ratio):
                    cand[int(y)] = ratio
        if not np.isfinite(u["central"]) or not cand:
            u[b], years[b] = np.nan, None
            continue
        yb = pick_fn(cand, key=cand.get)
        u[b], years[b] = cand[yb], yb
    if np.isfinite(u["central"]) and years["low"] is not None:
        notes.append(
            f"{target}: same-year uplift {u['low']:.3f} ({years['low']}) to {u['high']:.3f} "
            f"({years['high']}), central {u['central']:.3f} ({year}); each year's unit value "
            f"of {target} over that year's raw unit value, applied to the {year} raw value"
        )
    return TargetValue("uplift_ratio", u, f_base, "trade data", years)


def assumed_target_value(
    target: str,
    year: int,
    u_r: dict[str, float],
    ruv: pd.DataFrame | None,
    asm: pd.DataFrame,
    prices: pd.DataFrame | None,
    notes: list[str],
    sources: list[str],
) -> tuple[str, dict[str, float]]:
    """The target's value from the nearest cited assumption: ``(kind, u by bound)``.

    A cited processed unit value of another year is turned into a price ratio over the raw
    unit value of that same year (from ``ruv``) when the data have it, so it is never
    paired with the base year's raw price; otherwise the note says which years are paired.
    """
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
    text = f"{target}: {kind} {row['low']:g}-{row['high']:g} {row['unit']}{when} ({row['source']})"
    if kind == "processed_unit_value":
        cited_year = None if pd.isna(row["year_to"]) else int(row["year_to"])
        same = _usable_raw(ruv, cited_year) if when else np.nan
        if np.isfinite(same):
            kind = "price_ratio_to_raw"
            vals = {b: v / same for b, v in vals.items()}
            text += (
                f"; over the {cited_year} raw unit value ({same:,.1f} USD/t): price ratio "
                f"{vals['low']:.2f}-{vals['high']:.2f} of the same year, applied to {year}"
            )
        elif when:
            text += f"; paired with the {year} raw unit value (no raw unit value of the cited year)"
    if kind == "price_ratio_to_raw":
        u_p = {b: vals[b] * u_r["central"] for b in BOUNDS}
    else:
        u_p = vals  # a unit value (USD/t) or an uplift ratio, applied per raw-equivalent tonne
    notes.append(text)
    sources.append(str(row["source"]))
    return kind, u_p


def _usable_raw(ruv: pd.DataFrame | None, year: int | None) -> float:
    """The same-year raw unit value (USD/t) of ``year`` when usable, else NaN."""
    if ruv is None or year is None or year not in ruv.index:
        return np.nan
    if not bool(ruv.loc[year, "raw_usable"]):
        return np.nan
    return float(ruv.loc[year, "raw_unit_value_same_year_usd_per_t"])
