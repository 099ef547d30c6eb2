"""Scenarios: move a share of raw exports to a processed stage; the change in export value."""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from typing import Literal

import numpy as np
import pandas as pd

from hilir.checks import (
    BOUNDS,
    DOWNSTREAM,
    check_shares,
    check_years,
    empty_frame,
    geography,
    safe_divide,
)
from hilir.errors import HilirDataError, HilirDataWarning
from hilir.provenance.keys import join_sources
from hilir.registry.queries import chain_products, chain_row, chains_in_data
from hilir.value.assumed_values import assumed_values, nearest_row
from hilir.value.assumptions import value_assumptions
from hilir.value.raw_equivalent import factor_bounds
from hilir.value.raw_unit_value import UNUSABLE_FLAGS, RawUnitValue, resolve_raw_unit_values
from hilir.value.stages import stage_table

FLIP = {"low": "high", "central": "central", "high": "low"}
RESULT_COLUMNS = [
    "reporter",
    "geography",
    "chain",
    "year",
    "share",
    "bound",
    "product",
    "stage",
    "role",
    "baseline_t",
    "delta_t",
    "counterfactual_t",
    "baseline_value_usd",
    "delta_value_usd",
    "counterfactual_value_usd",
    "unit_value_usd_per_t",
    "factor_t_raw_per_t",
    "raw_equivalent_delta_t",
    "basis",
    "assumption",
    "source",
]


def _triple(x: float | tuple[float, float, float]) -> dict[str, float]:
    if np.ndim(x) == 0:
        v = float(x)  # type: ignore[arg-type]
        return dict.fromkeys(BOUNDS, v)
    lo, c, hi = (float(v) for v in x)  # type: ignore[union-attr]
    if not lo <= c <= hi:
        raise HilirDataError("a (low, central, high) input must satisfy low <= central <= high")
    return {"low": lo, "central": c, "high": hi}


def _spread(series: pd.Series, year: int, window: int) -> dict[str, float]:
    """Central = the year's value; low/high = min/max over the ``window`` years to it."""
    s = series.dropna()
    s = s[(s.index <= year) & (s.index > year - window)]
    if year not in s.index:
        return dict.fromkeys(BOUNDS, np.nan)
    return {"low": float(s.min()), "central": float(s.loc[year]), "high": float(s.max())}


def _raw_spread(ruv: pd.DataFrame, year: int, window: int) -> tuple[dict[str, float], str]:
    """Raw unit value (USD/t) by bound and its note, from the resolved raw unit values.

    Central = the resolved value of ``year``; low/high = min/max of it and the usable
    same-year values in the ``window`` years to ``year`` (for an unflagged series: the
    year's value and the min/max over the window, as :func:`_spread`).
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


def scenario(
    exports: pd.DataFrame,
    *,
    chain: str,
    year: int,
    shares: float | Iterable[float],
    target: str | None = None,
    factors: pd.DataFrame | None = None,
    estimates: pd.DataFrame | None = None,
    prices: pd.DataFrame | None = None,
    splits: pd.DataFrame | Literal["default"] | None = "default",
    assumptions: pd.DataFrame | None = None,
    processed_unit_value_usd_per_t: float | tuple[float, float, float] | None = None,
    processed_unit_value_source: str | None = None,
    raw_exports_t: float | None = None,
    raw_unit_value_usd_per_t: float | tuple[float, float, float] | None = None,
    raw_source: str | None = None,
    uv_window: int = 3,
    preferred_only: bool = True,
    raw_unit_value: RawUnitValue = "same_year",
    raw_unusable_flags: Iterable[str] = UNUSABLE_FLAGS,
) -> pd.DataFrame:
    """Move a share of raw exports to a processed stage and report the change in value.

    Parameters
    ----------
    exports : pandas.DataFrame
        Tidy exports with ``chain``, ``product``, ``stage``.
    chain : str
        Registry chain key.
    year : int
        Base year (must be in the chain's data when the chain has data).
    shares : float or iterable of float
        Shares in [0, 1] of the base year's raw exports (raw-equivalent tonnes) moved to
        the target; a grid of shares runs in one vectorised call.
    target : str, optional
        Registry product the raw exports become. Default: the chain's downstream product
        with the largest export value in the year (split parts of mixed items excluded),
        else its first downstream product with a cited assumption.
    factors, estimates, prices, splits, preferred_only
        See :func:`hilir.value.stage_table`; ``prices`` also gives LME metal prices.
    assumptions : pandas.DataFrame, optional
        Value assumptions (default the shipped, cited table).
    processed_unit_value_usd_per_t : float or (low, central, high), optional
        Explicit unit value of the target (USD per t of product), overriding data and
        shipped assumptions; requires ``processed_unit_value_source``.
    raw_exports_t, raw_unit_value_usd_per_t, raw_source : optional
        Explicit raw export tonnes and raw unit value (USD/t) for chains without raw trade
        data; require ``raw_source``.
    uv_window : int, default 3
        Years (ending at ``year``) over which unit values from data spread into low/high
        (also the ``"window_median"`` window of the raw unit value).
    raw_unit_value : {"same_year", "last_unflagged", "window_median"}, default "same_year"
        The raw unit value (from data) when the base year's own is flagged; see
        :func:`hilir.value.uplift`. Default ``"same_year"``: a flagged raw unit value (by
        default ``tiny_weight``: nickel ore 2020, USD 116 for 1,404 kg) is not used, the
        value of the raw exports forgone is missing and ``assumption`` says why. Flagged
        years never enter the low/high spread.
    raw_unusable_flags : iterable of str, default ("tiny_weight",)
        Flags that make a raw unit value unusable (see :func:`hilir.value.uplift`).

    Returns
    -------
    pandas.DataFrame
        One row per (share, bound, product): ``reporter, geography, chain, year, share,
        bound, product, stage, role ('raw' | 'target' | 'unchanged'), baseline_t,
        delta_t, counterfactual_t, baseline_value_usd, delta_value_usd,
        counterfactual_value_usd, unit_value_usd_per_t, factor_t_raw_per_t,
        raw_equivalent_delta_t, basis ('trade data' | 'assumption' | 'input'),
        assumption, source``. Tonnes are product weight.

    Notes
    -----
    With R the base year's raw exports (t), s the share, f the target's factor (t raw per
    t product), u_P its unit value and u_r the raw unit value (USD/t):
    raw forgone = s R (t), target output = s R / f (t),
    change in value = s R (u_P / f - u_r) (USD). The low bound pairs the high factor, the
    low target unit value and the high raw unit value (min/max over ``uv_window`` years
    for data; the cited range for assumptions); the high bound the reverse. With an
    uplift ratio u (value per raw-equivalent tonne over u_r) the output value is s R u u_r.
    The change is monotone in s whenever u_P / f > u_r.
    """
    s = check_shares(shares)
    if uv_window < 1:
        raise HilirDataError(f"uv_window must be >= 1, not {uv_window}")
    info = chain_row(chain)
    if bool(info.get("raw_only", False)):
        warnings.warn(
            f"chain {chain!r} is a raw-only reference chain: nothing to process",
            HilirDataWarning,
            stacklevel=2,
        )
        return empty_frame(RESULT_COLUMNS)
    asm = value_assumptions() if assumptions is None else assumptions
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", HilirDataWarning)
        present = chains_in_data(exports, chain)
    st = None
    if present:
        st = stage_table(
            exports,
            chain=chain,
            factors=factors,
            estimates=estimates,
            prices=prices,
            splits=splits,
            preferred_only=preferred_only,
        )
        if st.empty:
            st = None
    reporter, notes, sources = "IDN", [], []
    baseline = pd.DataFrame(columns=["product", "stage", "baseline_t", "baseline_value_usd"])
    # ---- raw side -------------------------------------------------------------------------
    if raw_exports_t is not None or raw_unit_value_usd_per_t is not None:
        if raw_exports_t is None or raw_unit_value_usd_per_t is None or not raw_source:
            raise HilirDataError(
                "pass raw_exports_t, raw_unit_value_usd_per_t and raw_source together"
            )
        if raw_exports_t < 0:
            raise HilirDataError("raw_exports_t must be >= 0")
        big_r, u_r = float(raw_exports_t), _triple(raw_unit_value_usd_per_t)
        raw_product = str(info.get("raw_product", "raw"))
        raw_basis = "input"
        notes.append(f"raw exports {big_r:g} t and unit value given as inputs ({raw_source})")
        sources.append(raw_source)
        baseline = pd.DataFrame(
            {"product": [raw_product], "stage": ["raw"], "baseline_t": [big_r],
             "baseline_value_usd": [big_r * u_r["central"]]}
        )  # fmt: skip
    elif st is not None:
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
        u_r, raw_note = _raw_spread(ruv, year, uv_window)
        if big_r == 0 or (not np.isfinite(u_r["central"]) and not raw_note):
            raise HilirDataError(
                f"{chain!r} has no raw exports in {year}: nothing to move (pass raw_exports_t=)"
            )
        if raw_note:
            notes.append(raw_note)
        raw_products = raw.loc[raw["year"] == year, "product"].unique()
        raw_product = str(raw_products[0]) if len(raw_products) == 1 else "+".join(raw_products)
        raw_basis = "trade data"
        sources.append(st.attrs.get("source", ""))
        base = cen[cen["year"] == year]
        baseline = base.groupby(["product", "stage"], as_index=False).agg(
            baseline_t=("quantity_t", "sum"), baseline_value_usd=("value_usd", "sum")
        )
        split_parts = set(base.loc[base["assumption"].str.startswith("split"), "product"])
        if split_parts:
            notes.append("; ".join(sorted(set(base["assumption"]) - {""})))
    else:
        big_r, u_r, raw_basis = np.nan, dict.fromkeys(BOUNDS, np.nan), ""
        raw_product = str(info.get("raw_product", ""))
        notes.append(
            f"no raw export data for {chain!r}: pass raw_exports_t, raw_unit_value_usd_per_t "
            "and raw_source"
        )
    # ---- target side ----------------------------------------------------------------------
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
    kind, u_p, f, t_basis = "processed_unit_value", dict.fromkeys(BOUNDS, np.nan), None, ""
    if processed_unit_value_usd_per_t is not None:
        if not processed_unit_value_source:
            raise HilirDataError("processed_unit_value_usd_per_t needs processed_unit_value_source")
        u_p, t_basis = _triple(processed_unit_value_usd_per_t), "input"
        notes.append(f"target unit value given as input ({processed_unit_value_source})")
        sources.append(processed_unit_value_source)
    elif (
        st is not None
        and ((st["product"] == target) & (st["year"] == year) & (st["quantity_t"] > 0)).any()
    ):
        tgt = st[(st["product"] == target) & (st["bound"] == "central") & (st["stage"] == t_stage)]
        ty = tgt.groupby("year").agg(v=("value_usd", "sum"), q=("quantity_t", "sum"))
        u_p = _spread(pd.Series(safe_divide(ty["v"], ty["q"]), index=ty.index), year, uv_window)
        fy = st[(st["product"] == target) & (st["year"] == year)].groupby("bound", observed=True)
        f = {str(b): float(g["factor_t_raw_per_t"].iloc[0]) for b, g in fy}
        if not all(np.isfinite(list(f.values()))):
            f = None  # no factor (registry method "none"): resolved below, with the reason
        t_basis = "trade data"
    else:
        av = assumed_values(assumptions=asm, prices=prices)
        cand = av[(av["product"] == target) & (av["kind"] != "raw_unit_value")]
        cand = cand[cand["reliability"] != "not_found"]
        order = {"processed_unit_value": 0, "price_ratio_to_raw": 1, "uplift_ratio": 2}
        row, when = nearest_row(cand.sort_values("kind", key=lambda k: k.map(order)), year)
        if row is None:
            why = "; ".join(av.loc[av["product"] == target, "note"]) or "none cited"
            notes.append(f"no unit value for {target!r}: {why}")
        else:
            kind = str(row["kind"])
            vals = {b: float(row[b]) for b in BOUNDS}
            if kind == "processed_unit_value":
                u_p = vals
            elif kind == "price_ratio_to_raw":
                u_p = {b: vals[b] * u_r["central"] for b in BOUNDS}
            else:
                u_p = vals  # uplift ratio, applied per raw-equivalent tonne below
            notes.append(
                f"{target}: {kind} {row['low']:g}-{row['high']:g} {row['unit']}{when} "
                f"({row['source']})"
            )
            sources.append(str(row["source"]))
        t_basis = "assumption"
    if f is None:
        try:
            f, _ = factor_bounds(
                chain, target, t_stage, year, factors=factors, estimates=estimates, prices=prices
            )
        except HilirDataError as exc:
            f = dict.fromkeys(BOUNDS, np.nan)
            if kind != "uplift_ratio":
                notes.append(f"no factor for {target!r}: {exc}")
    # ---- vectorised over shares x bounds ----------------------------------------------------
    moved = s[:, None] * big_r  # raw-equivalent tonnes moved (shares x 1)
    rows = []
    for b in BOUNDS:
        fb = f[FLIP[b]]
        ur = u_r[FLIP[b]]
        output_t = moved / fb if np.isfinite(fb) else np.full_like(moved, np.nan)
        if kind == "uplift_ratio":
            added = moved * u_p[b] * u_r["central"]
        else:
            added = output_t * u_p[b]
        forgone = moved * ur
        for i, share in enumerate(s):
            common = {"share": float(share), "bound": b}
            rows.append({**common, "product": raw_product, "stage": "raw", "role": "raw",
                         "delta_t": -float(moved[i, 0]), "delta_value_usd": -float(forgone[i, 0]),
                         "unit_value_usd_per_t": ur, "factor_t_raw_per_t": 1.0,
                         "raw_equivalent_delta_t": -float(moved[i, 0]),
                         "basis": raw_basis})  # fmt: skip
            rows.append({**common, "product": target, "stage": t_stage, "role": "target",
                         "delta_t": float(output_t[i, 0]), "delta_value_usd": float(added[i, 0]),
                         "unit_value_usd_per_t": u_p[b] if kind != "uplift_ratio" else np.nan,
                         "factor_t_raw_per_t": fb, "raw_equivalent_delta_t": float(moved[i, 0]),
                         "basis": t_basis})  # fmt: skip
    res = pd.DataFrame(rows)
    base = baseline.set_index(["product", "stage"])
    others = [k for k in base.index if k not in {(raw_product, "raw"), (target, t_stage)}]
    extra = []
    for b in BOUNDS:
        for share in s:
            for prod, stage in others:
                extra.append({"share": float(share), "bound": b, "product": prod, "stage": stage,
                              "role": "unchanged", "delta_t": 0.0, "delta_value_usd": 0.0,
                              "unit_value_usd_per_t": np.nan, "factor_t_raw_per_t": np.nan,
                              "raw_equivalent_delta_t": 0.0, "basis": "trade data"})  # fmt: skip
    if extra:
        res = pd.concat([res, pd.DataFrame(extra)], ignore_index=True)
    key = list(zip(res["product"], res["stage"], strict=True))
    res["baseline_t"] = [float(base["baseline_t"].get(k, 0.0)) for k in key]
    res["baseline_value_usd"] = [float(base["baseline_value_usd"].get(k, 0.0)) for k in key]
    res["counterfactual_t"] = res["baseline_t"] + res["delta_t"]
    res["counterfactual_value_usd"] = res["baseline_value_usd"] + res["delta_value_usd"]
    res["reporter"] = reporter
    res["geography"] = geography(res["reporter"])
    res["chain"] = chain
    res["year"] = int(year)
    res["assumption"] = "; ".join(n for n in notes if n)
    res["source"] = join_sources("+".join(sources).replace("; ", "+").split("+")) or "+".join(
        sources
    )
    res["bound"] = pd.Categorical(res["bound"], categories=list(BOUNDS), ordered=True)
    return res[RESULT_COLUMNS].sort_values(["share", "bound", "role"]).reset_index(drop=True)


def scenario_changes(result: pd.DataFrame) -> pd.DataFrame:
    """The scenario contract for the jobs model: one row per (chain, product, stage, bound, share).

    Parameters
    ----------
    result : pandas.DataFrame
        Output of :func:`scenario`.

    Returns
    -------
    pandas.DataFrame
        ``chain, product, stage, bound ('low' | 'central' | 'high'), share, delta_t`` (t of
        product: + processed output added, - raw exports forgone), ``delta_value_usd``
        (USD), ``year``, ``geography``.

    Notes
    -----
    A selection of :func:`scenario`'s columns, no arithmetic: ``delta_t`` = counterfactual
    minus baseline tonnes and ``delta_value_usd`` = counterfactual minus baseline value,
    as the scenario computed them.
    """
    need = ["chain", "product", "stage", "bound", "share", "delta_t", "delta_value_usd",
            "year", "geography"]  # fmt: skip
    missing = [c for c in need if c not in result.columns]
    if missing:
        raise HilirDataError(f"not a scenario result: lacks columns {missing}")
    out = result[need].copy()
    out["bound"] = out["bound"].astype(str)
    return out.reset_index(drop=True)


def scenario_summary(result: pd.DataFrame) -> pd.DataFrame:
    """Totals per (share, bound): value change, raw forgone, output added, assumptions.

    Parameters
    ----------
    result : pandas.DataFrame
        Output of :func:`scenario`.

    Returns
    -------
    pandas.DataFrame
        ``chain, year, geography, share, bound, delta_value_usd, raw_forgone_t,
        target_added_t, assumption, source``.

    Notes
    -----
    delta_value_usd = sum over products of the change in export value (USD; missing when
    every part is missing); raw_forgone_t = -sum of the raw rows' ``delta_t`` (t of raw
    product); target_added_t = sum of the target rows' ``delta_t`` (t of processed product).
    """
    g = result.groupby(["chain", "year", "geography", "share", "bound"], observed=True)
    out = g.agg(
        delta_value_usd=("delta_value_usd", lambda v: v.sum(min_count=1)),
        assumption=("assumption", "first"),
        source=("source", "first"),
    ).reset_index()
    raw = (
        result[result["role"] == "raw"].groupby(["share", "bound"], observed=True)["delta_t"].sum()
    )
    tgt = (
        result[result["role"] == "target"]
        .groupby(["share", "bound"], observed=True)["delta_t"]
        .sum(min_count=1)
    )
    idx = pd.MultiIndex.from_frame(out[["share", "bound"]])
    out["raw_forgone_t"] = -raw.reindex(idx).to_numpy()
    out["target_added_t"] = tgt.reindex(idx).to_numpy()
    return out
