"""Columns a scenario adds after its arithmetic: value added retained and its scale check.

Steps of :func:`hilir.value.scenario`. Both work in place on the scenario rows (one row per
share, bound and product, with ``role`` raw / target / byproduct / unchanged).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from hilir.value.assumptions import max_scale_ratio
from hilir.value.cited_values import nearest_row
from hilir.value.value_added import is_cited_share, margin_share, va_share


def add_value_added(
    res: pd.DataFrame, asm: pd.DataFrame, value_added: pd.DataFrame | None, notes: list[str]
) -> None:
    """Add ``domestic_va_share`` and ``delta_domestic_va_usd`` (USD) to the scenario rows.

    delta_domestic_va_usd = delta_value_usd x d (unchanged rows: 0), with d by rule:

    - **cited** share of the target (a whole-product share, e.g. a tyre's domestic content):
      d is each row product's own share, so a (share, bound) sums to d_P x output value +
      d_B x by-product value - d_R x raw value forgone;
    - **sector average** from an input-output table (:func:`io_value_added_shares`): d is
      the target's share on every moved row, so the sum is d_P x (output + by-products -
      raw forgone) = d_P x the gross change. The raw material is domestic value added
      whether it is exported raw or processed at home; the sector's average share (which
      mixes products of very different raw content) is applied to the margin above it.
      Applying it to the whole output instead would make roasting, whose output is mostly
      domestic beans, lose value added at any uplift below d_R / d_P.
    """
    shares: dict[str, dict[str, float]] = {}
    for product in res.loc[res["role"] != "unchanged", "product"].unique():
        vals, src = va_share(str(product), asm, value_added)
        shares[str(product)] = vals
        if all(np.isfinite(list(vals.values()))):
            notes.append(
                f"domestic value-added share of {product} {vals['low']:.2f}-{vals['high']:.2f} "
                f"({src})"
            )
        else:
            notes.append(src)
    targets = res.loc[res["role"] == "target", "product"].astype(str).unique()
    margin = len(targets) == 1 and not is_cited_share(targets[0], asm)
    if margin:
        dm = _margin(res, targets[0], shares, value_added)
        notes.append(
            f"value added retained = {dm['central']:.2f} (domestic value-added share of the "
            f"processing margin of {targets[0]}) x gross change: the raw material is domestic "
            "value added whether exported raw or processed; the sector's share, net of the raw "
            "material it buys, applies to the rest"
        )
    d = [
        0.0 if role == "unchanged" else (dm[str(b)] if margin else shares[str(p)][str(b)])
        for p, b, role in zip(res["product"], res["bound"], res["role"], strict=True)
    ]
    res["domestic_va_share"] = np.where(res["role"] == "unchanged", np.nan, d)
    res["delta_domestic_va_usd"] = res["delta_value_usd"].to_numpy(dtype=float) * np.array(d)


def _margin(
    res: pd.DataFrame,
    target: str,
    shares: dict[str, dict[str, float]],
    value_added: pd.DataFrame | None,
) -> dict[str, float]:
    """The target's margin share by bound (:func:`hilir.value.value_added.margin_share`)."""
    raws = res.loc[res["role"] == "raw", "product"].astype(str).unique()
    raw = shares.get(raws[0], {}) if len(raws) == 1 else {}
    a_raw = np.nan
    if value_added is not None and "raw_input_coefficient" in value_added.columns:
        hit = value_added.loc[value_added["product"] == target, "raw_input_coefficient"]
        a_raw = float(hit.iloc[0]) if len(hit) else np.nan
    return margin_share(shares[target], raw, a_raw)


def current_exports(
    res: pd.DataFrame,
    asm: pd.DataFrame,
    target: str,
    year: int,
    national: tuple[float, str] | None = None,
) -> tuple[float, str]:
    """The target's current exports (t) and where they come from.

    The base year's exports of the target in the scenario's data when positive; else, for a
    scenario sized by inputs (a province's production), ``national``: the whole country's
    exports of the target that year, since a province that has no export data of its own
    cannot plausibly ship more than a multiple of what the whole country exports; else the
    nearest cited ``current_exports_t`` row of ``value_assumptions.csv``; else NaN.
    """
    tgt = res[res["role"] == "target"]
    base = float(tgt["baseline_t"].max()) if len(tgt) else np.nan
    if np.isfinite(base) and base > 0:
        return base, f"exports of {target} in {year} (same data)"
    if national is not None and np.isfinite(national[0]) and national[0] > 0:
        return national
    rows = asm[
        (asm["quantity"] == "current_exports_t")
        & (asm["product"] == target)
        & (asm["reliability"] != "not_found")
    ]
    row, when = nearest_row(rows, year)
    if row is None:
        return np.nan, f"no exports of {target} in {year} in the data and none cited"
    span = "" if pd.isna(row["year_to"]) else f" in {int(row['year_to'])}"
    return float(row["central"]), f"cited exports of {target}{span}{when} ({row['source']})"


def add_scale(
    res: pd.DataFrame,
    asm: pd.DataFrame,
    target: str,
    year: int,
    notes: list[str],
    national: tuple[float, str] | None = None,
) -> None:
    """Add the scale check: implied / current processed output against ``max_scale_ratio``.

    ``implied_processed_t`` is the target output of the row's (share, bound) in t;
    ``current_processed_t`` the target's current exports (:func:`current_exports`);
    ``scale_ratio`` their ratio (``national``: see :func:`current_exports`);
    ``scale_flag`` True where the ratio exceeds
    ``max_scale_ratio`` (``refdata/plausibility.csv``, default 2) or cannot be computed.
    """
    current, basis = current_exports(res, asm, target, year, national)
    limit = max_scale_ratio()
    tgt = res[res["role"] == "target"].set_index(["share", "bound"])["delta_t"]
    key = list(zip(res["share"], res["bound"], strict=True))
    implied = np.array([float(tgt.get(k, np.nan)) for k in key])
    ratio = (
        implied / current if np.isfinite(current) and current > 0 else np.full_like(implied, np.nan)
    )
    res["implied_processed_t"] = implied
    res["current_processed_t"] = current
    res["current_processed_basis"] = basis
    res["scale_ratio"] = ratio
    res["max_scale_ratio"] = limit
    res["scale_flag"] = ~(np.isfinite(ratio) & (ratio <= limit))
    cen = res[(res["role"] == "target") & (res["bound"] == "central")]
    if len(cen) and bool(cen["scale_flag"].any()):
        worst = float(np.nanmax(cen["scale_ratio"])) if cen["scale_ratio"].notna().any() else np.nan
        notes.append(
            f"scale: implied {target} output up to {worst:.1f} x current exports ({basis}), "
            f"above the plausible {limit:g} x (refdata/plausibility.csv max_scale_ratio)"
            if np.isfinite(worst)
            else f"scale not checked: {basis}"
        )
