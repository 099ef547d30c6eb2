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
    concat_frames,
    empty_frame,
    geography,
    safe_divide,
)
from hilir.errors import HilirDataError, HilirDataWarning, caller_stacklevel
from hilir.provenance.keys import join_cited
from hilir.registry.queries import chain_row
from hilir.value.assumptions import value_assumptions
from hilir.value.equivalents import factor_bounds
from hilir.value.raw_unit_value import UNUSABLE_FLAGS, RawUnitValue
from hilir.value.reporters import analysed_reporters, single_reporter
from hilir.value.scenario_checks import add_scale, add_value_added
from hilir.value.scenario_sides import (
    RawSide,
    TargetValue,
    chain_stages,
    empty_baseline,
    pick_target,
    raw_from_data,
    raw_from_inputs,
    target_value,
)

FLIP = {"low": "high", "central": "central", "high": "low"}
#: By-products of a target's process that carry value, so that mass balances close:
#: target -> (by-product, its stage, price-ratio key, loss-share key) of
#: ``value_assumptions.csv``. Refining CPO yields PFAD (HS 3823.19, an oleochemical):
#: PFAD = 1 - 1/f - loss t per t CPO, f the refined-oil factor.
BYPRODUCTS: dict[str, tuple[str, str, str, str]] = {
    "palm_oil_refined": (
        "oleochemicals",
        "processed",
        "scen_palm_pfad_price_ratio",
        "scen_palm_refining_loss",
    ),
}
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
    "uplift",
    "range_year",
    "domestic_va_share",
    "delta_domestic_va_usd",
    "implied_processed_t",
    "current_processed_t",
    "current_processed_basis",
    "scale_ratio",
    "max_scale_ratio",
    "scale_flag",
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
    value_added: pd.DataFrame | None = None,
    processed_unit_value_usd_per_t: float | tuple[float, float, float] | None = None,
    processed_unit_value_source: str | None = None,
    raw_exports_t: float | None = None,
    raw_unit_value_usd_per_t: float | tuple[float, float, float] | None = None,
    raw_source: str | None = None,
    uv_window: int = 3,
    preferred_only: bool = True,
    raw_unit_value: RawUnitValue = "same_year",
    raw_unusable_flags: Iterable[str] = UNUSABLE_FLAGS,
    reporter: str | None = None,
) -> pd.DataFrame:
    """Move a share of raw exports to a processed stage: gross and domestic value added.

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
    value_added : pandas.DataFrame, optional
        Domestic value-added shares of output value, ``product, low, central, high,
        source`` (:func:`hilir.value.io_value_added_shares` of an input-output table),
        used where ``assumptions`` cite none. Without either, the value added retained
        is missing and ``assumption`` says why.
    processed_unit_value_usd_per_t : float or (low, central, high), optional
        Explicit unit value of the target (USD per t of product), overriding data and
        shipped assumptions; requires ``processed_unit_value_source``.
    processed_unit_value_source : str, optional
        Citation of ``processed_unit_value_usd_per_t`` (required with it).
    raw_exports_t, raw_unit_value_usd_per_t, raw_source : optional
        Explicit raw export tonnes and raw unit value (USD/t) for chains without raw trade
        data; require ``raw_source``. The central raw unit value is used in every bound.
    uv_window : int, default 3
        Years (ending at ``year``) whose same-year uplift ratios spread into low/high.
    raw_unit_value : {"same_year", "last_unflagged", "window_median"}, default "same_year"
        The base year's raw unit value when its own is flagged; see
        :func:`hilir.value.uplift`. Default ``"same_year"``: a flagged raw unit value (by
        default ``tiny_weight``: nickel ore 2020, USD 116 for 1,404 kg) is not used, the
        result is missing and ``assumption`` says why. Flagged years never enter the
        low/high spread.
    raw_unusable_flags : iterable of str, default ("tiny_weight",)
        Flags that make a raw unit value unusable (see :func:`hilir.value.uplift`).
    reporter : str, optional
        The geography whose exports are moved (ISO alpha-3 code such as ``"VNM"``, or an
        Indonesian province ``ID-..``). Default: taken from the data, as in
        :func:`hilir.value.stage_table` (Indonesia when the data hold it, else the one
        reporter of the table; several reporters are an error). With ``raw_exports_t``
        and no trade data it labels the inputs (default the data's one reporter, else
        ``IDN``). ``reporter`` and ``geography`` of the result name it.

    Returns
    -------
    pandas.DataFrame
        One row per (share, bound, product): ``reporter, geography, chain, year, share,
        bound, product, stage, role ('raw' | 'target' | 'byproduct' | 'unchanged'),
        baseline_t, delta_t, counterfactual_t, baseline_value_usd, delta_value_usd,
        counterfactual_value_usd, unit_value_usd_per_t, factor_t_raw_per_t,
        raw_equivalent_delta_t, uplift`` (the target's value per raw-equivalent tonne
        over the raw unit value), ``range_year`` (the year the bound's uplift comes from;
        NA for cited or input values), ``domestic_va_share`` (0-1), ``delta_domestic_va_usd``
        (USD), the scale check ``implied_processed_t`` (target output, t),
        ``current_processed_t`` (its exports in the base year, or cited),
        ``current_processed_basis``, ``scale_ratio`` (implied / current),
        ``max_scale_ratio`` (``refdata/plausibility.csv``), ``scale_flag`` (ratio above
        the bound or not computable), ``basis ('trade data' | 'assumption' | 'input'),
        assumption, source``. Tonnes are product weight.

    Notes
    -----
    With R the base year's raw exports (t), s the share, f the target's factor (t raw per
    t product), u_r the base year's raw unit value (USD/t) and u the uplift (value per
    raw-equivalent tonne over u_r): raw forgone = s R (t), target output = s R / f (t),
    gross export change = s R u_r (u - 1) (USD), plus the value of by-products (PFAD of
    refining: s R (1 - 1/f - loss) t at a cited price ratio to the raw product). From
    trade data u is a same-year ratio, u(y) = UV_P(y) / (f UV_raw(y)); the low bound is
    the smallest over the ``uv_window`` years with the high factor, the high bound the
    largest with the low factor, the central the base year's. Domestic value added
    retained = d_P x (output value) + d_B x (by-product value) - d_R x (raw value
    forgone), d the products' domestic value-added shares (low bound with low shares).
    """
    s = check_shares(shares)
    if uv_window < 1:
        raise HilirDataError(f"uv_window must be >= 1, not {uv_window}")
    info = chain_row(chain)
    if bool(info.get("raw_only", False)):
        warnings.warn(
            f"chain {chain!r} is a raw-only reference chain: nothing to process",
            HilirDataWarning,
            stacklevel=caller_stacklevel(),
        )
        return empty_frame(RESULT_COLUMNS)
    asm = value_assumptions() if assumptions is None else assumptions
    st = chain_stages(exports, chain, factors, estimates, prices, splits, preferred_only, reporter)
    who = _scenario_reporter(st, exports, reporter, chain)
    raw = _raw_side(st, info, chain, year, uv_window, raw_unit_value, raw_unusable_flags,
                    raw_exports_t, raw_unit_value_usd_per_t, raw_source, who)  # fmt: skip
    notes, sources = list(raw.notes), list(raw.sources)
    target, t_stage = pick_target(st, chain, year, target, asm, prices)
    tv = target_value(
        st, target, t_stage, year, raw, asm, prices, uv_window,
        processed_unit_value_usd_per_t, processed_unit_value_source, notes, sources,
    )  # fmt: skip
    f = tv.f
    if f is None:
        try:
            f, _ = factor_bounds(
                chain, target, t_stage, year, factors=factors, estimates=estimates, prices=prices
            )
        except HilirDataError as exc:
            f = dict.fromkeys(BOUNDS, np.nan)
            if tv.kind != "uplift_ratio":
                notes.append(f"no factor for {target!r}: {exc}")
    res = _share_rows(s, raw, target, t_stage, tv, f, asm, notes, sources)
    add_value_added(res, asm, value_added, notes)
    national = _national_target(st, target, year) if raw_exports_t is not None else None
    add_scale(res, asm, target, year, notes, national)
    res["reporter"] = raw.reporter
    res["geography"] = geography(res["reporter"])
    res["chain"] = chain
    res["year"] = int(year)
    res["assumption"] = "; ".join(dict.fromkeys(n for n in notes if n))
    res["source"] = join_cited(sources)
    res["bound"] = pd.Categorical(res["bound"], categories=list(BOUNDS), ordered=True)
    return res[RESULT_COLUMNS].sort_values(["share", "bound", "role"]).reset_index(drop=True)


def _scenario_reporter(
    st: pd.DataFrame | None, exports: pd.DataFrame, reporter: str | None, chain: str
) -> str:
    """The scenario's reporter: the argument, else the stage table's one, else the data's."""
    if reporter is not None:
        return str(reporter)
    if st is not None:
        return single_reporter(st, None, what=f"the exports of {chain!r}")
    return _data_reporter(exports)


def _data_reporter(exports: pd.DataFrame) -> str:
    """The reporter of a table holding no rows of the scenario's chain.

    ``IDN`` for Indonesian data (or a table without reporters); the one reporter of a table
    without Indonesian rows; several such reporters are an error (pass ``reporter=``).
    """
    if not isinstance(exports, pd.DataFrame) or analysed_reporters(exports, None) is None:
        return "IDN"
    return single_reporter(exports, None, what="the exports")


def _national_target(st: pd.DataFrame | None, target: str, year: int) -> tuple[float, str]:
    """The data's exports of ``target`` in ``year`` (t), for a scenario sized by inputs."""
    if st is None:
        return np.nan, ""
    row = st[(st["product"] == target) & (st["year"] == year) & (st["bound"] == "central")]
    t = float(row["quantity_t"].sum()) if len(row) else np.nan
    geo = str(row["reporter"].iloc[0]) if len(row) and "reporter" in row.columns else "the data"
    return t, f"{geo}'s exports of {target} in {year} (the whole country: no provincial exports)"


def _raw_side(
    st: pd.DataFrame | None,
    info: pd.Series,
    chain: str,
    year: int,
    uv_window: int,
    raw_unit_value: RawUnitValue,
    raw_unusable_flags: Iterable[str],
    raw_exports_t: float | None,
    raw_unit_value_usd_per_t: float | tuple[float, float, float] | None,
    raw_source: str | None,
    reporter: str,
) -> RawSide:
    """The raw side from inputs, else trade data, else an empty side with the reason."""
    if raw_exports_t is not None or raw_unit_value_usd_per_t is not None:
        return raw_from_inputs(
            info, raw_exports_t, raw_unit_value_usd_per_t, raw_source, reporter=reporter
        )
    if st is not None:
        return raw_from_data(st, chain, year, uv_window, raw_unit_value, raw_unusable_flags)
    return RawSide(
        reporter, np.nan, dict.fromkeys(BOUNDS, np.nan), str(info.get("raw_product", "")), "",
        empty_baseline(),
        [f"no raw export data for {chain!r}: pass raw_exports_t, raw_unit_value_usd_per_t "
         "and raw_source"],
        [],
    )  # fmt: skip


def _byproduct(
    target: str, asm: pd.DataFrame, notes: list[str], sources: list[str]
) -> tuple[str, str, dict[str, float], float] | None:
    """``(product, stage, price ratio to raw by bound, loss share)`` of the target's by-product."""
    if target not in BYPRODUCTS:
        return None
    product, stage, ratio_key, loss_key = BYPRODUCTS[target]
    rows = asm.set_index("key")
    if ratio_key not in rows.index or loss_key not in rows.index:
        notes.append(f"by-product {product} of {target}: no cited price ratio or loss share")
        return None
    r, loss = rows.loc[ratio_key], float(rows.loc[loss_key, "central"])
    ratio = {b: float(r[b]) for b in BOUNDS}
    notes.append(
        f"by-product {product} (PFAD) = 1 - 1/f - {loss:g} t per t raw, valued at "
        f"{ratio['low']:g}-{ratio['high']:g} x the raw unit value (assumption: {r['source']})"
    )
    sources.append(str(r["source"]))
    sources.append(str(rows.loc[loss_key, "source"]))
    return product, stage, ratio, loss


def _share_rows(
    s: np.ndarray,
    raw: RawSide,
    target: str,
    t_stage: str,
    tv: TargetValue,
    f: dict[str, float],
    asm: pd.DataFrame,
    notes: list[str],
    sources: list[str],
) -> pd.DataFrame:
    """Raw, target, by-product and unchanged rows per (share, bound), with baselines."""
    moved = s * raw.big_r  # raw-equivalent tonnes moved, one per share
    ur = raw.u_r["central"]  # the base year's raw unit value in every bound (same year)
    by = _byproduct(target, asm, notes, sources)
    rows = []
    for b in BOUNDS:
        fb = f[FLIP[b]]
        output_t = moved / fb if np.isfinite(fb) else np.full_like(moved, np.nan)
        if tv.kind == "uplift_ratio":
            added = moved * tv.u[b] * ur
        else:
            added = output_t * tv.u[b]
        uplift = safe_divide(added, moved * ur)
        year_b = tv.years.get(b)
        for i, share in enumerate(s):
            common = {"share": float(share), "bound": b, "range_year": year_b}
            rows.append({**common, "product": raw.raw_product, "stage": "raw", "role": "raw",
                         "delta_t": -float(moved[i]), "delta_value_usd": -float(moved[i] * ur),
                         "unit_value_usd_per_t": ur, "factor_t_raw_per_t": 1.0,
                         "raw_equivalent_delta_t": -float(moved[i]), "uplift": 1.0,
                         "basis": raw.raw_basis})  # fmt: skip
            rows.append({**common, "product": target, "stage": t_stage, "role": "target",
                         "delta_t": float(output_t[i]), "delta_value_usd": float(added[i]),
                         "unit_value_usd_per_t": float(safe_divide(added[i], output_t[i])),
                         "factor_t_raw_per_t": fb, "raw_equivalent_delta_t": float(moved[i]),
                         "uplift": float(uplift[i]), "basis": tv.basis})  # fmt: skip
            if by is not None:
                product, stage, ratio, loss = by
                by_t = float(moved[i]) * (1.0 - 1.0 / fb - loss)
                rows.append({**common, "product": product, "stage": stage, "role": "byproduct",
                             "delta_t": by_t, "delta_value_usd": by_t * ratio[b] * ur,
                             "unit_value_usd_per_t": ratio[b] * ur, "factor_t_raw_per_t": np.nan,
                             "raw_equivalent_delta_t": 0.0, "uplift": np.nan,
                             "basis": "assumption"})  # fmt: skip
    res = pd.DataFrame(rows)
    done = {(raw.raw_product, "raw"), (target, t_stage)} | ({(by[0], by[1])} if by else set())
    return _with_baseline(res, raw.baseline, s, done)


def _with_baseline(
    res: pd.DataFrame, baseline: pd.DataFrame, s: np.ndarray, done: set[tuple[str, str]]
) -> pd.DataFrame:
    """Add the unchanged products and every row's baseline and counterfactual (t, USD)."""
    base = baseline.set_index(["product", "stage"])
    others = [k for k in base.index if k not in done]
    extra = []
    for b in BOUNDS:
        for share in s:
            for prod, stage in others:
                extra.append({"share": float(share), "bound": b, "product": prod, "stage": stage,
                              "role": "unchanged", "delta_t": 0.0, "delta_value_usd": 0.0,
                              "unit_value_usd_per_t": np.nan, "factor_t_raw_per_t": np.nan,
                              "raw_equivalent_delta_t": 0.0, "uplift": np.nan,
                              "range_year": None, "basis": "trade data"})  # fmt: skip
    if extra:
        res = concat_frames([res, pd.DataFrame(extra)], ignore_index=True)
    res["range_year"] = pd.array(res["range_year"].tolist(), dtype="Int64")
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
        product: + processed output and by-products added, - raw exports forgone),
        ``delta_value_usd`` (gross, USD), ``delta_domestic_va_usd`` (domestic value added
        retained, USD; missing without a value-added share), ``year``, ``geography``.

    Notes
    -----
    A selection of :func:`scenario`'s columns, no arithmetic: ``delta_t`` = counterfactual
    minus baseline tonnes and ``delta_value_usd`` = counterfactual minus baseline value,
    as the scenario computed them.
    """
    need = ["chain", "product", "stage", "bound", "share", "delta_t", "delta_value_usd",
            "delta_domestic_va_usd", "year", "geography"]  # fmt: skip
    missing = [c for c in need if c not in result.columns]
    if missing:
        raise HilirDataError(f"not a scenario result: lacks columns {missing}")
    out = result[need].copy()
    out["bound"] = out["bound"].astype(str)
    return out.reset_index(drop=True)


def scenario_summary(result: pd.DataFrame) -> pd.DataFrame:
    """Totals per (share, bound): value added retained, gross change, scale, assumptions.

    Parameters
    ----------
    result : pandas.DataFrame
        Output of :func:`scenario`.

    Returns
    -------
    pandas.DataFrame
        ``chain, year, geography, share, bound, delta_domestic_va_usd, delta_value_usd,
        raw_forgone_t, target_added_t, implied_processed_t, current_processed_t,
        scale_ratio, max_scale_ratio, scale_flag, assumption, source``.

    Notes
    -----
    delta_domestic_va_usd = sum of the rows' domestic value added retained (USD; missing
    when any moved part lacks a value-added share); delta_value_usd = sum over products of
    the gross change in export value (USD; missing when every part is missing);
    raw_forgone_t = -sum of the raw rows' ``delta_t`` (t of raw product); target_added_t =
    sum of the target rows' ``delta_t`` (t of processed product); the scale columns are
    the target row's (see :func:`scenario`).
    """
    g = result.groupby(["chain", "year", "geography", "share", "bound"], observed=True)
    out = g.agg(
        delta_domestic_va_usd=("delta_domestic_va_usd", lambda v: v.sum(skipna=False)),
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
    scale = ["implied_processed_t", "current_processed_t", "scale_ratio", "max_scale_ratio",
             "scale_flag"]  # fmt: skip
    first = result.groupby(["share", "bound"], observed=True)[scale].first()
    for c in scale:
        out[c] = first[c].reindex(idx).to_numpy()
    return out
