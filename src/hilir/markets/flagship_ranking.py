"""Flagship ranking: scores from the indicators and their sensitivity to the weights.

:func:`flagship_scores` normalises each indicator to 0-1 across the candidates and sums them
with the weights; :func:`flagship_sensitivity` ranks again under other weights.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Literal

import numpy as np
import pandas as pd

from hilir.errors import HilirDataError
from hilir.i18n.labels import INDICATORS
from hilir.markets.flagship_weights import _log_set, check_weights
from hilir.trade import (
    check_trade_frame,
)


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
    check_trade_frame(indicators, ["chain", *INDICATORS.values()], "the indicator table")
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
        proportion so the weights still sum to 1; each weight is also set to 0; all
        weights are set equal; and the base weights are scored under the other
        missing-indicator rule (scenario ``missing_reweight`` when ``missing="zero"``,
        ``missing_zero`` otherwise; ``changed`` = ``"missing"``), since scoring a missing
        indicator as 0 is itself a choice that can move a candidate with gaps.
    scenarios : mapping of str to mapping, optional
        Your own weight sets (name -> weights) instead of the default scenarios; the base
        is always included (the missing-rule scenario is not added).
    method, missing, log10
        As for :func:`flagship_scores`; ``missing`` is the rule of the base.

    Returns
    -------
    pandas.DataFrame
        One row per (scenario, chain): ``scenario``, ``changed`` (the indicator moved,
        ``"missing"`` for the missing-rule scenario, ``""`` for base/equal/own sets),
        ``missing_rule`` (``zero`` or ``reweight``), ``w_<indicator>``, ``score``, ``rank``,
        ``base_rank``, ``rank_change`` (base_rank - rank: positive = moves up),
        ``top_changed`` (the first-ranked chain differs from the base), and the
        indicators' ``reporter``, ``geography``, ``year`` and ``source`` when they have them.
    """
    if not (isinstance(delta, int | float) and 0 < float(delta) <= 1):
        raise HilirDataError(f"delta must be a number in (0, 1], not {delta!r}")
    base = check_weights(weights)
    if missing not in ("zero", "reweight"):
        raise HilirDataError(f"missing must be 'zero' or 'reweight', not {missing!r}")
    if scenarios is None:
        sets = [(*item, missing) for item in _scenarios(base, float(delta))]
        other = "reweight" if missing == "zero" else "zero"
        sets.append((f"missing_{other}", "missing", dict(base), other))
    else:
        sets = [("base", "", dict(base), missing)] + [
            (str(name), "", check_weights(ws), missing) for name, ws in scenarios.items()
        ]
    frames = []
    base_scores = flagship_scores(
        indicators, weights=base, method=method, missing=missing, log10=log10
    )
    base_rank = base_scores.set_index("chain")["rank"]
    top_base = str(base_scores["chain"].iloc[0])
    for name, changed, ws, rule in sets:
        sc = flagship_scores(indicators, weights=ws, method=method, missing=rule, log10=log10)
        part = sc[["chain", "score", "rank", *[f"w_{k}" for k in INDICATORS]]].copy()
        part.insert(0, "missing_rule", rule)
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
