"""Scenarios: move a share of raw exports to a processed stage; the change in export value."""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from typing import Literal

import numpy as np
import pandas as pd

from hilir.checks import (
    BOUNDS,
    check_shares,
    empty_frame,
    geography,
)
from hilir.errors import HilirDataError, HilirDataWarning
from hilir.provenance.keys import join_sources
from hilir.registry.queries import chain_row
from hilir.value.assumptions import value_assumptions
from hilir.value.equivalents import factor_bounds
from hilir.value.raw_unit_value import UNUSABLE_FLAGS, RawUnitValue
from hilir.value.scenario_sides import (
    RawSide,
    chain_stages,
    empty_baseline,
    pick_target,
    raw_from_data,
    raw_from_inputs,
    target_value,
)

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
    st = chain_stages(exports, chain, factors, estimates, prices, splits, preferred_only)
    notes: list[str] = []
    sources: list[str] = []
    if raw_exports_t is not None or raw_unit_value_usd_per_t is not None:
        raw = raw_from_inputs(info, raw_exports_t, raw_unit_value_usd_per_t, raw_source)
    elif st is not None:
        raw = raw_from_data(st, chain, year, uv_window, raw_unit_value, raw_unusable_flags)
    else:
        raw = RawSide(
            "IDN", np.nan, dict.fromkeys(BOUNDS, np.nan), str(info.get("raw_product", "")), "",
            empty_baseline(),
            [f"no raw export data for {chain!r}: pass raw_exports_t, raw_unit_value_usd_per_t "
             "and raw_source"],
            [],
        )  # fmt: skip
    notes += raw.notes
    sources += raw.sources
    target, t_stage = pick_target(st, chain, year, target, asm, prices)
    kind, u_p, f, t_basis = target_value(
        st, target, t_stage, year, raw.u_r, asm, prices, uv_window,
        processed_unit_value_usd_per_t, processed_unit_value_source, notes, sources,
    )  # fmt: skip
    if f is None:
        try:
            f, _ = factor_bounds(
                chain, target, t_stage, year, factors=factors, estimates=estimates, prices=prices
            )
        except HilirDataError as exc:
            f = dict.fromkeys(BOUNDS, np.nan)
            if kind != "uplift_ratio":
                notes.append(f"no factor for {target!r}: {exc}")
    res = _share_rows(s, raw, target, t_stage, kind, u_p, f, t_basis)
    res["reporter"] = raw.reporter
    res["geography"] = geography(res["reporter"])
    res["chain"] = chain
    res["year"] = int(year)
    res["assumption"] = "; ".join(n for n in notes if n)
    res["source"] = join_sources("+".join(sources).replace("; ", "+").split("+")) or "+".join(
        sources
    )
    res["bound"] = pd.Categorical(res["bound"], categories=list(BOUNDS), ordered=True)
    return res[RESULT_COLUMNS].sort_values(["share", "bound", "role"]).reset_index(drop=True)


def _share_rows(
    s: np.ndarray,
    raw: RawSide,
    target: str,
    t_stage: str,
    kind: str,
    u_p: dict[str, float],
    f: dict[str, float],
    t_basis: str,
) -> pd.DataFrame:
    """Raw, target and unchanged rows per (share, bound), with baselines and counterfactuals."""
    moved = s[:, None] * raw.big_r  # raw-equivalent tonnes moved (shares x 1)
    rows = []
    for b in BOUNDS:
        fb = f[FLIP[b]]
        ur = raw.u_r[FLIP[b]]
        output_t = moved / fb if np.isfinite(fb) else np.full_like(moved, np.nan)
        if kind == "uplift_ratio":
            added = moved * u_p[b] * raw.u_r["central"]
        else:
            added = output_t * u_p[b]
        forgone = moved * ur
        for i, share in enumerate(s):
            common = {"share": float(share), "bound": b}
            rows.append({**common, "product": raw.raw_product, "stage": "raw", "role": "raw",
                         "delta_t": -float(moved[i, 0]), "delta_value_usd": -float(forgone[i, 0]),
                         "unit_value_usd_per_t": ur, "factor_t_raw_per_t": 1.0,
                         "raw_equivalent_delta_t": -float(moved[i, 0]),
                         "basis": raw.raw_basis})  # fmt: skip
            rows.append({**common, "product": target, "stage": t_stage, "role": "target",
                         "delta_t": float(output_t[i, 0]), "delta_value_usd": float(added[i, 0]),
                         "unit_value_usd_per_t": u_p[b] if kind != "uplift_ratio" else np.nan,
                         "factor_t_raw_per_t": fb, "raw_equivalent_delta_t": float(moved[i, 0]),
                         "basis": t_basis})  # fmt: skip
    res = pd.DataFrame(rows)
    base = raw.baseline.set_index(["product", "stage"])
    others = [k for k in base.index if k not in {(raw.raw_product, "raw"), (target, t_stage)}]
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
    return res


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
