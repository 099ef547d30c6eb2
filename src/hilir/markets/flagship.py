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
(``hilir.sources.read_bps_exports(path, reporter="ID-LA")`` joined with the registry);
products outside the registry (shrimp) join through registry rows
(``hilir/refdata/README_markets.md``).

References
----------
OECD and JRC (2008). *Handbook on Constructing Composite Indicators: Methodology and User
Guide*. OECD Publishing (min-max normalisation; equal weighting when no consensus exists;
sensitivity of rankings to weights).
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable

import numpy as np
import pandas as pd

from hilir.checks import geography_name
from hilir.errors import HilirDataError, HilirDataWarning
from hilir.i18n.labels import INDICATORS
from hilir.markets.growth import cagr
from hilir.provenance.keys import join_sources
from hilir.trade import (
    TRADE_REQUIRED,
    check_trade_frame,
    exports_only,
    product_totals,
)

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


def _reporter_totals(exports: pd.DataFrame, reporter: str) -> pd.DataFrame:
    """Product totals (USD, tonnes) of the reporter's exports of registry chains."""
    check_trade_frame(exports, [*TRADE_REQUIRED, "chain", "product", "stage"], "exports")
    df = exports_only(exports)
    have = sorted(set(df["reporter"].astype(str)))
    if reporter not in have:
        raise HilirDataError(f"exports have no rows for reporter {reporter!r}; reporters: {have}")
    df = df[df["reporter"].astype(str).eq(reporter).to_numpy(dtype=bool)]
    df = df[df["chain"].notna().to_numpy(dtype=bool)]
    tot = product_totals(df, what="exports")
    return tot[tot["chain"].notna()]


def _candidate_chains(
    tot: pd.DataFrame, reporter: str, chains: str | Iterable[str] | None
) -> list[str]:
    """The candidate chains: those asked for (each must have exports), else all present."""
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
    return wanted


def _indicator_year(by_chain: pd.Series, wanted: list[str], reporter: str, year: int | None) -> int:
    """The year of the indicators: ``year`` or the latest year every candidate has exports."""
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
    return year


def _model_inputs(
    coefficients: pd.DataFrame | None, registry_extra: str | os.PathLike[str] | None
) -> tuple[pd.DataFrame, object]:
    """Labour coefficients (default shipped) and the conversion factors of extra registry rows."""
    coefs = coefficients
    if coefs is None:
        from hilir.jobs import labour_coefficients

        coefs = labour_coefficients()
    factors = None
    if registry_extra is not None:
        from hilir.registry.tables import validate_registry

        factors = validate_registry(extra=registry_extra).factors
    return coefs, factors


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
    tot = _reporter_totals(exports, reporter)
    by_chain = tot.groupby(["chain", "year"])["value_usd"].sum()
    wanted = _candidate_chains(tot, reporter, chains)
    year = _indicator_year(by_chain, wanted, reporter, year)
    coefs, factors = _model_inputs(coefficients, registry_extra)
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
            "source": join_sources(
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
