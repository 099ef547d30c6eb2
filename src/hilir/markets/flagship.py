"""Flagship-product (produk unggulan) ranking: a transparent score with printed weights.

Three steps, each a plain table a brief can print:

1. :func:`flagship_indicators`: five indicators per candidate chain, each from an existing
   model (export value and its growth from the trade table, :func:`hilir.value.processing_share`,
   :func:`hilir.value.uplift`, :func:`hilir.jobs.labour_coefficients`);
2. :func:`flagship_scores`: each indicator normalised to 0-1 across the candidates (min-max
   by default), then a weighted sum; the weights are parameters (default
   :func:`default_weights`, equal, from ``hilir/refdata/flagship_weights.csv``);
3. :func:`flagship_sensitivity`: the ranking again under other weights (each weight up,
   down and to zero, and equal weights), with the rank changes.

The shipped data hold no trade by product for Lampung, so on shipped data the ranking is
national (Indonesia). A Lampung ranking needs a BPS download for reporter ``ID-LA``
(``hilir.sources.bps.read_bps_exports(path, reporter="ID-LA")`` joined with the registry);
products outside the registry (shrimp) join through registry rows
(``hilir/refdata/README_markets.md``).

References
----------
OECD and JRC (2008). *Handbook on Constructing Composite Indicators: Methodology and User
Guide*. OECD Publishing (min-max normalisation; equal weighting when no consensus exists;
sensitivity of rankings to weights).
"""

from __future__ import annotations

import functools
import os
import warnings
from collections.abc import Iterable, Mapping
from importlib import resources
from typing import Literal

import numpy as np
import pandas as pd

from hilir.errors import HilirDataError, HilirDataWarning
from hilir.markets._frames import (
    TRADE_REQUIRED,
    check_frame,
    exports_only,
    geography_name,
    product_totals,
    sources_of,
)
from hilir.markets.growth import cagr

#: Indicator keys, in order, and their columns in the indicator table.
INDICATORS: dict[str, str] = {
    "export_value": "export_value_usd",
    "growth": "growth_cagr",
    "processing_share": "processing_share",
    "uplift": "uplift",
    "jobs": "jobs_per_musd",
}
_WEIGHTS_FILE = "flagship_weights.csv"


@functools.lru_cache(maxsize=1)
def _weights_table() -> pd.DataFrame:
    from hilir.fileio import read_csv

    ref = resources.files("hilir") / "refdata" / _WEIGHTS_FILE
    with resources.as_file(ref) as path:
        df = read_csv(path)
        need = ["indicator", "column", "weight", "transform", "unit", "name_id", "name_en"]
        missing = [c for c in need if c not in df.columns]
        if missing:
            raise HilirDataError(f"missing columns {missing}", path=path, row=1)
        for i in range(len(df)):
            row = int(df["_row"].iloc[i])
            ind = str(df["indicator"].iloc[i])
            if ind not in INDICATORS:
                raise HilirDataError(
                    f"unknown indicator {ind!r}", path=path, row=row, column="indicator"
                )
            if str(df["column"].iloc[i]) != INDICATORS[ind]:
                raise HilirDataError(
                    f"indicator {ind!r} is column {INDICATORS[ind]!r}",
                    path=path,
                    row=row,
                    column="column",
                )
            if str(df["transform"].iloc[i]) not in ("none", "log10"):
                raise HilirDataError(
                    "transform must be 'none' or 'log10'", path=path, row=row, column="transform"
                )
            try:
                w = float(df["weight"].iloc[i])
            except ValueError:
                raise HilirDataError(
                    "weight is not a number", path=path, row=row, column="weight"
                ) from None
            if not np.isfinite(w) or w < 0:
                raise HilirDataError(
                    "weights are non-negative", path=path, row=row, column="weight"
                )
        if sorted(df["indicator"]) != sorted(INDICATORS):
            raise HilirDataError(f"the table must list each of {list(INDICATORS)} once", path=path)
        out = df.drop(columns="_row").copy()
        out["weight"] = out["weight"].astype(float)
        return out.set_index("indicator").loc[list(INDICATORS)].reset_index()


def weights_table() -> pd.DataFrame:
    """The default weights with their transform, unit, bilingual names and rationale."""
    return _weights_table().copy()


def default_weights() -> dict[str, float]:
    """Default weights (equal, 0.2 each), from ``hilir/refdata/flagship_weights.csv``.

    Examples
    --------
    >>> default_weights()
    {'export_value': 0.2, 'growth': 0.2, 'processing_share': 0.2, 'uplift': 0.2, 'jobs': 0.2}
    """
    tab = _weights_table()
    return {str(k): float(v) for k, v in zip(tab["indicator"], tab["weight"], strict=True)}


def check_weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    """Validated weights over the five indicators, rescaled to sum to 1.

    Raises
    ------
    HilirDataError
        A missing or unknown indicator (no weight is implied: name all five), a negative or
        non-numeric weight, or weights that are all 0.
    """
    if weights is None:
        weights = default_weights()
    if not isinstance(weights, Mapping):
        raise HilirDataError(f"weights must be a mapping of indicator to weight, not {weights!r}")
    unknown = sorted(set(weights) - set(INDICATORS))
    missing = [k for k in INDICATORS if k not in weights]
    if unknown or missing:
        raise HilirDataError(
            f"weights must name each of {list(INDICATORS)} (no hidden weights); "
            f"unknown {unknown}, missing {missing}"
        )
    out: dict[str, float] = {}
    for k in INDICATORS:
        try:
            w = float(weights[k])
        except (TypeError, ValueError):
            raise HilirDataError(f"weight of {k!r} is not a number: {weights[k]!r}") from None
        if not np.isfinite(w) or w < 0:
            raise HilirDataError(f"weight of {k!r} must be a non-negative number, not {w}")
        out[k] = w
    total = sum(out.values())
    if total <= 0:
        raise HilirDataError("weights are all 0: nothing to rank by")
    return {k: v / total for k, v in out.items()}


# --- indicators ------------------------------------------------------------------------------


def _tidy_totals(tot: pd.DataFrame) -> pd.DataFrame:
    """Product totals as a tidy export frame of world rows (for the value models)."""
    n = len(tot)
    return pd.DataFrame(
        {
            "year": tot["year"].astype("int64").to_numpy(),
            "month": pd.array([pd.NA] * n, dtype="Int64"),
            "reporter": tot["reporter"].astype(str).to_numpy(),
            "partner": "WLD",
            "partner_type": "world",
            "flow": "export",
            "hs_code": "",
            "hs6": "",
            "item_code": "",
            "hs_revision": pd.array([pd.NA] * n, dtype="string"),
            "value_usd": tot["value_usd"].astype(float).to_numpy(),
            "net_weight_kg": tot["net_weight_kg"].astype(float).to_numpy(),
            "source": tot["source"].astype(str).to_numpy(),
            "chain": tot["chain"].astype(str).to_numpy(),
            "product": tot["product"].astype(str).to_numpy(),
            "stage": tot["stage"].astype(str).to_numpy(),
            "preferred": True,
        }
    )


def _processing_share(
    frame: pd.DataFrame, chain: str, year: int, factors: pd.DataFrame | None
) -> tuple[float, str]:
    """Central value share from :func:`hilir.value.processing_share`, else from stage values."""
    from hilir.value import processing_share

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", HilirDataWarning)
        try:
            ps = processing_share(frame, chain=chain, years=[year], factors=factors)
        except HilirDataError:
            ps = None
    if ps is not None:
        ps = ps[ps["bound"].astype(str).eq("central").to_numpy(dtype=bool)]
        if not ps.empty and np.isfinite(float(ps["share_value"].iloc[0])):
            return float(ps["share_value"].iloc[0]), "hilir.value.processing_share"
    # chains the value models cannot stage (a user's extension chain without factors):
    # the value share straight from the stage column, mixed items left out
    rows = frame[(frame["chain"] == chain) & (frame["year"] == year)]
    rows = rows[rows["stage"].isin(["raw", "intermediate", "processed"])]
    total = float(rows["value_usd"].sum())
    if total <= 0 or (ps is not None and not ps.empty):
        return np.nan, ""
    down = float(rows.loc[rows["stage"].isin(["intermediate", "processed"]), "value_usd"].sum())
    return down / total, "stage values"


def _uplift(
    frame: pd.DataFrame, chain: str, year: int, raw_only: bool, factors: pd.DataFrame | None
) -> tuple[float, str]:
    from hilir.value import uplift

    if raw_only:
        return np.nan, "raw_only"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", HilirDataWarning)
        try:
            up = uplift(frame, chain=chain, years=[year], factors=factors)
        except HilirDataError:
            return np.nan, ""
    up = up[up["bound"].astype(str).eq("central").to_numpy(dtype=bool)]
    down = up[up["stage"].astype(str).isin(["intermediate", "processed"]).to_numpy(dtype=bool)]
    data = down[down["basis"].astype(str).eq("trade data").to_numpy(dtype=bool)]
    data = data[np.isfinite(data["uplift"].astype(float)).to_numpy()]
    if not data.empty:
        raw_value = (
            data["raw_equivalent_t"].astype(float) * data["raw_unit_value_usd_per_t"].astype(float)
        ).sum()
        if raw_value > 0:
            return float(data["value_usd"].astype(float).sum() / raw_value), "trade data"
    asm = down[np.isfinite(down["uplift"].astype(float)).to_numpy()]
    if not asm.empty:
        return float(asm["uplift"].astype(float).mean()), "assumption"
    return np.nan, ""


def _jobs(
    tot: pd.DataFrame, chain: str, year: int, coefficients: pd.DataFrame
) -> tuple[float, str]:
    rows = tot[
        (tot["chain"].astype(str) == chain)
        & (tot["year"] == year)
        & tot["stage"].astype(str).isin(["intermediate", "processed"])
    ]
    coef = coefficients.set_index("product")["central"]
    use = rows[rows["product"].astype(str).isin(coef.dropna().index)]
    use = use[(use["value_usd"] > 0) & (use["net_weight_kg"] > 0)]
    if use.empty:
        return np.nan, ""
    jobs = (use["product"].astype(str).map(coef) * use["net_weight_kg"] / 1000.0 / 1000.0).sum()
    value = use["value_usd"].sum()
    return float(jobs / (value / 1e6)), "+".join(sorted(use["product"].astype(str)))


def flagship_indicators(
    exports: pd.DataFrame,
    *,
    reporter: str = "IDN",
    year: int | None = None,
    window: int = 5,
    chains: str | Iterable[str] | None = None,
    coefficients: pd.DataFrame | None = None,
    registry_extra: str | os.PathLike[str] | None = None,
) -> pd.DataFrame:
    """The five indicators of each candidate chain in one year.

    Parameters
    ----------
    exports : pandas.DataFrame
        Tidy exports joined with the registry (``hilir.load_exports()``, or a user's BPS
        download for ``ID-LA`` after :func:`hilir.registry.tables.map_products`).
    reporter : str, default "IDN"
        ``IDN`` (shipped data) or a province with its own trade data (``ID-LA``).
    year : int, optional
        Year of the indicators. Default: the latest year in which every candidate has
        exports (2020 on the shipped data: FAOSTAT and the nickel file end there).
    window : int, default 5
        Years of the growth window (``year - window`` to ``year``).
    chains : str or iterable of str, optional
        Candidates (registry chains); default every chain with exports of ``reporter``.
    coefficients : pandas.DataFrame, optional
        Labour coefficients (default :func:`hilir.jobs.labour_coefficients`).
    registry_extra : str or os.PathLike, optional
        The folder (or file) of your own registry rows, the same ``extra`` you gave
        :func:`hilir.registry.tables.map_products`: its conversion factors are used. The value
        models look chains up in the shipped registry, so an added chain (shrimp) gets its
        processing share from its stage values and no uplift (reported as missing).

    Returns
    -------
    pandas.DataFrame
        One row per chain: ``reporter, geography, chain, year, window_start,
        export_value_usd`` (all stages, USD), ``export_value_start_usd``, ``growth_cagr``
        (fraction a year), ``processing_share`` (share of value at intermediate or
        processed stages, central), ``uplift`` (times; ``uplift_basis`` ``trade data`` or
        ``assumption``), ``jobs_per_musd`` (direct jobs per USD million of processed exports;
        ``jobs_products`` the products with a coefficient), ``missing`` (indicators without
        a value), ``source``, ``latest_year``.

    Raises
    ------
    HilirDataError
        Missing columns, no exports for the reporter, a candidate without exports in
        ``year``, no year common to all candidates, a window < 1.

    Notes
    -----
    export value = sum of the chain's product totals (one source per product and year,
    preferred rows, world rows before partner sums, so no flow is counted twice);
    growth = (V_year / V_start) ** (1 / window) - 1; processing share and uplift from
    :mod:`hilir.value` on those totals (mixed items split where a cited split exists);
    uplift of a chain = sum of V_s / sum of (R_s x raw unit value) over its downstream
    products with trade data, i.e. the raw-equivalent-weighted mean of their uplifts, or
    the mean of cited assumptions when no downstream trade exists;
    jobs per USD million = sum_p c_p Q_p / 1000 / (sum_p V_p / 10**6), c_p the central
    direct workers per 1,000 t, Q_p tonnes, V_p USD, over downstream products with a
    coefficient and trade data (capacity-based coefficients applied to output, as
    :func:`hilir.jobs.labour_coefficients` documents).
    """
    from hilir.registry.tables import chain_table

    if isinstance(window, bool) or int(window) < 1:
        raise HilirDataError(f"window must be a whole number of years >= 1, not {window!r}")
    check_frame(exports, [*TRADE_REQUIRED, "chain", "product", "stage"], "exports")
    df = exports_only(exports)
    have = sorted(set(df["reporter"].astype(str)))
    if reporter not in have:
        raise HilirDataError(f"exports have no rows for reporter {reporter!r}; reporters: {have}")
    df = df[df["reporter"].astype(str).eq(reporter).to_numpy(dtype=bool)]
    df = df[df["chain"].notna().to_numpy(dtype=bool)]
    tot = product_totals(df, what="exports")
    tot = tot[tot["chain"].notna()]
    by_chain = tot.groupby(["chain", "year"])["value_usd"].sum()
    present = sorted(set(tot["chain"].astype(str)))
    if chains is None:
        wanted = present
    else:
        wanted = [chains] if isinstance(chains, str) else list(chains)
        absent = sorted(set(wanted) - set(present))
        if absent:
            raise HilirDataError(
                f"chains {absent} have no exports of {reporter}; chains with data: {present}"
            )
    if not wanted:
        raise HilirDataError("no candidate chains")
    years_of = {c: {int(y) for y, v in by_chain.loc[c].items() if v > 0} for c in wanted}
    if year is None:
        common = set.intersection(*years_of.values())
        if not common:
            latest = {c: max(ys) if ys else None for c, ys in years_of.items()}
            raise HilirDataError(
                f"no year in which every candidate has exports (latest years {latest}); "
                "pass year= and chains="
            )
        year = max(common)
    year = int(year)
    lacking = [c for c in wanted if year not in years_of[c]]
    if lacking:
        raise HilirDataError(
            f"chains {lacking} have no exports of {reporter} in {year}; pass chains= without "
            "them or another year"
        )
    coefs = coefficients
    if coefs is None:
        from hilir.jobs import labour_coefficients

        coefs = labour_coefficients()
    factors = None
    if registry_extra is not None:
        from hilir.registry.tables import validate_registry

        factors = validate_registry(extra=registry_extra).factors
    raw_only = dict(
        zip(chain_table()["chain"].astype(str), chain_table()["raw_only"].astype(bool), strict=True)
    )
    start = year - int(window)
    frame = _tidy_totals(tot[tot["year"] == year])
    from hilir.value import default_splits

    split_products = set(default_splits()["product"].astype(str))
    rows = []
    for c in wanted:
        v_end = float(by_chain.get((c, year), 0.0))
        v_start = float(by_chain.get((c, start), np.nan))
        share, ps_basis = _processing_share(frame, c, year, factors)
        up, basis = _uplift(frame, c, year, bool(raw_only.get(c, False)), factors)
        jobs, jobs_products = _jobs(tot, c, year, coefs)
        mixed = tot[
            (tot["chain"].astype(str) == c)
            & (tot["year"] == year)
            & tot["stage"].astype(str).eq("mixed")
            & (tot["value_usd"] > 0)
            & ~tot["product"].astype(str).isin(split_products)
        ]
        rec = {
            "reporter": reporter,
            "geography": geography_name(reporter),
            "chain": c,
            "year": year,
            "window_start": start,
            "export_value_usd": v_end,
            "export_value_start_usd": v_start,
            "growth_cagr": float(cagr(v_start, v_end, int(window))),
            "processing_share": share,
            "processing_share_basis": ps_basis,
            "mixed_excluded": "+".join(sorted(mixed["product"].astype(str))),
            "uplift": up,
            "uplift_basis": basis,
            "jobs_per_musd": jobs,
            "jobs_products": jobs_products,
            "source": sources_of(
                tot.loc[(tot["chain"].astype(str) == c) & tot["year"].isin([start, year]), "source"]
            ),
        }
        rec["missing"] = "+".join(
            k
            for k, col in INDICATORS.items()
            if not np.isfinite(float(rec[col]))  # type: ignore[arg-type]
        )
        rows.append(rec)
    out = pd.DataFrame(rows)
    out["latest_year"] = year
    out.attrs["note"] = {
        "id": f"Peringkat {geography_name(reporter)}: data perdagangan per produk {reporter}",
        "en": f"{geography_name(reporter)} ranking: trade by product of {reporter}",
    }
    return out


# --- scores ----------------------------------------------------------------------------------


def _normalise(x: pd.Series, method: str) -> pd.Series:
    ok = x.notna() & np.isfinite(x.astype(float))
    out = pd.Series(np.nan, index=x.index, dtype="float64")
    if not ok.any():
        return out
    v = x[ok].astype(float)
    if method == "minmax":
        lo, hi = float(v.min()), float(v.max())
        out[ok] = 0.0 if hi == lo else (v - lo) / (hi - lo)
    else:  # rank
        n = int(ok.sum())
        out[ok] = 0.0 if n == 1 else (v.rank(method="average") - 1.0) / (n - 1.0)
    return out


def flagship_scores(
    indicators: pd.DataFrame,
    *,
    weights: Mapping[str, float] | None = None,
    method: Literal["minmax", "rank"] = "minmax",
    missing: Literal["zero", "reweight"] = "zero",
    log10: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Score and rank candidates from their indicators, with the weights in the result.

    Parameters
    ----------
    indicators : pandas.DataFrame
        One row per candidate (``chain``) with the columns of :data:`INDICATORS`
        (:func:`flagship_indicators`, or a table of your own: replace a column, e.g.
        ``jobs_per_musd`` from :func:`hilir.jobs.jobs_from_scenario`, before scoring).
    weights : mapping of str to float, optional
        A weight for each of ``export_value, growth, processing_share, uplift, jobs``
        (non-negative; rescaled to sum to 1). Default :func:`default_weights` (equal).
    method : {"minmax", "rank"}, default "minmax"
        Normalisation across candidates: z = (x - min) / (max - min), or
        z = (rank - 1) / (n - 1) with average ranks for ties. An indicator equal for all
        candidates gets z = 0 (it cannot separate them).
    missing : {"zero", "reweight"}, default "zero"
        A missing indicator scores z = 0 (no evidence, no credit), or its weight is spread
        over the candidate's other indicators in proportion to their weights.
    log10 : iterable of str, optional
        Indicators normalised on a log10 scale (a value <= 0 then counts as missing).
        Default: those whose ``transform`` is ``log10`` in
        ``hilir/refdata/flagship_weights.csv``: export value (so one very large chain does
        not flatten the rest) and uplift (a ratio: half and double the raw value are equally
        far from 1). ``()`` normalises every indicator on its own scale.

    Returns
    -------
    pandas.DataFrame
        One row per candidate, best first: ``rank`` (1 = best; ties share a rank),
        ``score`` (0-1), ``z_<indicator>``, ``contrib_<indicator>`` (weight x z, summing to
        the score), ``w_<indicator>`` (the weights used), the raw indicators, ``missing``.
        ``attrs["weights"]``, ``attrs["method"]``, ``attrs["missing"]``, ``attrs["log10"]``
        record the settings.

    Raises
    ------
    HilirDataError
        Missing columns, a candidate twice, fewer than two candidates, bad weights or
        options.

    Notes
    -----
    score_c = sum_k w_k z_ck with sum_k w_k = 1 (OECD/JRC 2008, linear aggregation). The
    score is linear in the weights, so two candidates swap places exactly where
    sum_k w_k (z_ak - z_bk) changes sign.

    Examples
    --------
    Two indicators weighted 0.5 each (the other three 0), three candidates with
    x1 = (0, 5, 10) and x2 = (10, 0, 5): z1 = (0, 0.5, 1), z2 = (1, 0, 0.5); scores
    0.5 x z1 + 0.5 x z2 = (0.5, 0.25, 0.75): C first, A second, B third.
    """
    if method not in ("minmax", "rank"):
        raise HilirDataError(f"method must be 'minmax' or 'rank', not {method!r}")
    if missing not in ("zero", "reweight"):
        raise HilirDataError(f"missing must be 'zero' or 'reweight', not {missing!r}")
    w = check_weights(weights)
    logs = _log_set(log10)
    check_frame(indicators, ["chain", *INDICATORS.values()], "the indicator table")
    if indicators["chain"].duplicated().any():
        dup = indicators.loc[indicators["chain"].duplicated(), "chain"].iloc[0]
        raise HilirDataError(f"candidate {dup!r} appears twice in the indicator table")
    if len(indicators) < 2:
        raise HilirDataError("ranking needs at least two candidates")
    out = indicators.copy().reset_index(drop=True)
    z = pd.DataFrame(index=out.index)
    for k, col in INDICATORS.items():
        x = pd.to_numeric(out[col], errors="coerce").astype(float)
        if k in logs:
            x = np.log10(x.where(x > 0))
        z[k] = _normalise(x, method)
    avail = z.notna()
    wv = pd.DataFrame({k: w[k] for k in INDICATORS}, index=out.index)
    if missing == "reweight":
        used = (wv * avail).sum(axis=1)
        wv = wv.mul(avail).div(used.where(used > 0), axis=0).fillna(0.0)
    zf = z.fillna(0.0)
    for k in INDICATORS:
        out[f"z_{k}"] = z[k]
        out[f"w_{k}"] = wv[k]
        out[f"contrib_{k}"] = wv[k] * zf[k]
    out["score"] = sum(out[f"contrib_{k}"] for k in INDICATORS)
    out["rank"] = out["score"].round(12).rank(ascending=False, method="min").astype("int64")
    if "missing" not in out.columns:
        out["missing"] = ["+".join(k for k in INDICATORS if not avail.loc[i, k]) for i in out.index]
    out = out.sort_values(["rank", "chain"]).reset_index(drop=True)
    out.attrs.update(weights=dict(w), method=method, missing=missing, log10=sorted(logs))
    return out


def _log_set(log10: Iterable[str] | None) -> set[str]:
    if log10 is None:
        tab = _weights_table()
        return set(tab.loc[tab["transform"].astype(str).eq("log10"), "indicator"].astype(str))
    if isinstance(log10, str):
        log10 = [log10]
    chosen = {str(k) for k in log10}
    unknown = sorted(chosen - set(INDICATORS))
    if unknown:
        raise HilirDataError(f"log10 names unknown indicators {unknown}; known {list(INDICATORS)}")
    return chosen


def _scenarios(base: Mapping[str, float], delta: float) -> list[tuple[str, str, dict]]:
    out: list[tuple[str, str, dict]] = [("base", "", dict(base))]
    for k in INDICATORS:
        for label, target in (
            ("up", min(1.0, base[k] + delta)),
            ("down", max(0.0, base[k] - delta)),
            ("zero", 0.0),
        ):
            rest = 1.0 - base[k]
            if rest <= 0:
                others = {j: (1.0 - target) / (len(INDICATORS) - 1) for j in INDICATORS if j != k}
            else:
                others = {j: base[j] * (1.0 - target) / rest for j in INDICATORS if j != k}
            new = {**others, k: target}
            if sum(new.values()) <= 0:
                continue
            out.append((f"{k}_{label}", k, new))
    out.append(("equal", "", {k: 1.0 / len(INDICATORS) for k in INDICATORS}))
    return out


def flagship_sensitivity(
    indicators: pd.DataFrame,
    *,
    weights: Mapping[str, float] | None = None,
    delta: float = 0.1,
    scenarios: Mapping[str, Mapping[str, float]] | None = None,
    method: Literal["minmax", "rank"] = "minmax",
    missing: Literal["zero", "reweight"] = "zero",
    log10: Iterable[str] | None = None,
) -> pd.DataFrame:
    """How the ranking moves when the weights change.

    Parameters
    ----------
    indicators : pandas.DataFrame
        As for :func:`flagship_scores`.
    weights : mapping, optional
        Base weights (default :func:`default_weights`).
    delta : float, default 0.1
        Each weight is moved up and down by ``delta`` (within 0-1), the others rescaled in
        proportion so the weights still sum to 1; each weight is also set to 0; and all
        weights are set equal.
    scenarios : mapping of str to mapping, optional
        Your own weight sets (name -> weights) instead of the default scenarios; the base
        is always included.
    method, missing, log10
        As for :func:`flagship_scores`.

    Returns
    -------
    pandas.DataFrame
        One row per (scenario, chain): ``scenario``, ``changed`` (the indicator moved,
        ``""`` for base/equal/own sets), ``w_<indicator>``, ``score``, ``rank``,
        ``base_rank``, ``rank_change`` (base_rank - rank: positive = moves up),
        ``top_changed`` (the first-ranked chain differs from the base), and the
        indicators' ``reporter``, ``geography``, ``year`` and ``source`` when they have them.
    """
    if not (isinstance(delta, int | float) and 0 < float(delta) <= 1):
        raise HilirDataError(f"delta must be a number in (0, 1], not {delta!r}")
    base = check_weights(weights)
    if scenarios is None:
        sets = _scenarios(base, float(delta))
    else:
        sets = [("base", "", dict(base))] + [
            (str(name), "", check_weights(ws)) for name, ws in scenarios.items()
        ]
    frames = []
    base_scores = flagship_scores(
        indicators, weights=base, method=method, missing=missing, log10=log10
    )
    base_rank = base_scores.set_index("chain")["rank"]
    top_base = str(base_scores["chain"].iloc[0])
    for name, changed, ws in sets:
        sc = flagship_scores(indicators, weights=ws, method=method, missing=missing, log10=log10)
        part = sc[["chain", "score", "rank", *[f"w_{k}" for k in INDICATORS]]].copy()
        part.insert(0, "changed", changed)
        part.insert(0, "scenario", name)
        for col in ("reporter", "geography", "year", "source"):
            if col in sc.columns:
                part[col] = sc[col].to_numpy()
        part["base_rank"] = part["chain"].map(base_rank).astype("int64")
        part["rank_change"] = part["base_rank"] - part["rank"]
        part["top_changed"] = str(sc["chain"].iloc[0]) != top_base
        frames.append(part)
    out = pd.concat(frames, ignore_index=True)
    out.attrs.update(weights=base, delta=float(delta), method=method, missing=missing)
    return out
