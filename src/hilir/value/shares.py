"""Processing share (the downstreaming index).

The share of a chain's exports leaving at intermediate or processed stages, by value and
by raw-equivalent volume.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from typing import Literal

import numpy as np
import pandas as pd

from hilir.checks import (
    DOWNSTREAM,
    STAGES,
    check_years,
    empty_frame,
    join_notes,
    safe_divide,
    sum_strict,
)
from hilir.errors import HilirDataError, HilirDataWarning, caller_stacklevel
from hilir.provenance.keys import join_sources
from hilir.registry.queries import chains_in_data
from hilir.value.stages import stage_table

KEY = ["reporter", "geography", "chain", "year", "bound"]
SHARE_COLUMNS = [*KEY, "measure", "stage", "amount", "unit", "share", "source", "assumption"]


def stage_shares(
    exports: pd.DataFrame,
    *,
    chain: str | list[str] | None = None,
    years: Iterable[int] | None = None,
    factors: pd.DataFrame | None = None,
    estimates: pd.DataFrame | None = None,
    prices: pd.DataFrame | None = None,
    splits: pd.DataFrame | Literal["default"] | None = "default",
    preferred_only: bool = True,
    reporter: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """Each stage's share of a chain's exports by value and by raw-equivalent volume.

    Parameters
    ----------
    exports : pandas.DataFrame
        Tidy exports with ``chain``, ``product``, ``stage``.
    chain : str or list of str, optional
        Chains to keep (registry keys). A chain with no export rows gives a
        :class:`~hilir.errors.HilirDataWarning` and no rows; an unknown chain is an error.
    years : iterable of int, optional
        Years to keep; a year absent from the data is an error.
    factors, estimates, prices, splits, preferred_only, reporter
        See :func:`hilir.value.stage_table` (default reporters: taken
        from the data, Indonesia and its provinces when it holds them).

    Returns
    -------
    pandas.DataFrame
        ``reporter, geography, chain, year, bound, measure ('value' | 'volume'), stage,
        amount, unit ('USD' | 't raw equivalent'), share, source, assumption``. Shares of
        the stages of a (chain, year, bound, measure) sum to 1 (missing when the total is 0).

    Notes
    -----
    share(stage) = amount(stage) / sum over stages of amount, where amount is
    ``value_usd`` (measure ``value``) or raw-equivalent tonnes = tonnes x factor
    (measure ``volume``). Mixed items without a split are excluded.
    """
    present = chains_in_data(exports, chain)
    if not present:
        return _empty_shares()
    st = stage_table(
        exports,
        chain=present,
        factors=factors,
        estimates=estimates,
        prices=prices,
        splits=splits,
        preferred_only=preferred_only,
        reporter=reporter,
    )
    if st.empty:
        warnings.warn(
            _empty_reason(st, present, reporter), HilirDataWarning, stacklevel=caller_stacklevel()
        )
        return _empty_shares()
    if years is not None:
        wanted = check_years(st["year"].unique(), years, what=f"the exports of {present}")
        st = st[st["year"].isin(wanted)]
    _warn_missing_weight(st)
    # attrs hold the (long) list of excluded mixed items; pandas deep-copies attrs into
    # every group of a groupby, which made this function take half a minute
    st = st.copy()
    st.attrs = {}
    keys = [*KEY, "stage"]
    codes = st.groupby(keys, observed=True, sort=True).ngroup().to_numpy()
    if (codes < 0).any():  # rows with a missing key drop out, as in a groupby
        st, codes = st[codes >= 0], codes[codes >= 0]
    first = pd.Series(np.arange(len(st))).groupby(codes).first().to_numpy()
    base = st.iloc[first][keys].reset_index(drop=True)
    text = _joined_text(st, codes)
    rows = []
    for measure, col, unit in (
        ("value", "value_usd", "USD"),
        ("volume", "raw_equivalent_t", "t raw equivalent"),
    ):
        g = base.copy()
        g["amount"] = _strict_group_sum(st[col], codes)
        # same dtypes as a groupby-agg gives (it casts the joined text back to the input's)
        g["source"] = pd.array(text["source"], dtype=st["source"].dtype)
        g["assumption"] = pd.array(text["assumption"], dtype=st["assumption"].dtype)
        g["measure"] = measure
        g["unit"] = unit
        rows.append(g)
    out = pd.concat(rows, ignore_index=True)
    tot_codes = out.groupby([*KEY, "measure"], observed=True, sort=False).ngroup().to_numpy()
    total = _strict_group_sum(out["amount"], tot_codes)[tot_codes]
    out["share"] = safe_divide(out["amount"], total)
    out["stage"] = pd.Categorical(out["stage"], categories=list(STAGES), ordered=True)
    out = out.sort_values([*KEY, "measure", "stage"]).reset_index(drop=True)
    return out[SHARE_COLUMNS]


def _empty_reason(st: pd.DataFrame, present: list[str], reporter: object) -> str:
    """Why a stage table is empty: no rows of the reporters asked for, or only mixed items."""
    if not st.attrs.get("reporters"):
        asked = "Indonesia and its provinces" if reporter is None else f"reporter {reporter!r}"
        return (
            f"chains {present} have no export rows of {asked}; the data's reporters are "
            f"{st.attrs.get('excluded_reporters', [])}: pass reporter= to analyse them"
        )
    return (
        f"chains {present} have no exports at a known stage (mixed items without a split: "
        f"{st.attrs.get('excluded_mixed')})"
    )


def _warn_missing_weight(st: pd.DataFrame) -> None:
    """Warn, naming them, about product-years with export value but no net weight."""
    cen = st[st["bound"].astype(str).eq("central").to_numpy(dtype=bool)]
    gap = cen[cen["quantity_t"].isna().to_numpy(dtype=bool) & cen["value_usd"].gt(0).to_numpy()]
    if gap.empty:
        return
    named = ", ".join(
        f"{r.product} ({r.reporter} {r.year})"
        for r in gap[["product", "reporter", "year"]].drop_duplicates().itertuples(index=False)
    )
    warnings.warn(
        f"no net weight for {named}: their tonnes, raw-equivalent tonnes and the volume shares "
        "of those years are missing (not 0)",
        HilirDataWarning,
        stacklevel=caller_stacklevel(),
    )


def _strict_group_sum(values: pd.Series, codes: np.ndarray) -> np.ndarray:
    """Sum of ``values`` by group code (0..n-1), missing when any value of the group is.

    The vectorised form of ``groupby(...).agg(sum_strict)``.
    """
    v = values.to_numpy(dtype="float64", na_value=np.nan)
    n = int(codes.max()) + 1 if len(codes) else 0
    missing = np.bincount(codes, weights=np.isnan(v).astype("float64"), minlength=n) > 0
    total = np.bincount(codes, weights=np.where(np.isnan(v), 0.0, v), minlength=n)
    total[missing] = np.nan
    return total


def _joined_text(st: pd.DataFrame, codes: np.ndarray) -> dict[str, np.ndarray]:
    """``join_sources`` of ``source`` and ``join_notes`` of ``assumption`` by group code."""
    n = int(codes.max()) + 1 if len(codes) else 0
    out = {}
    for col, join in (("source", join_sources), ("assumption", join_notes)):
        pairs = pd.DataFrame({"g": codes, "v": st[col].to_numpy(dtype=object)})
        pairs = pairs.drop_duplicates()
        joined = pairs.groupby("g", sort=True)["v"].agg(join)
        arr = np.full(n, "", dtype=object)
        arr[joined.index.to_numpy()] = joined.to_numpy(dtype=object)
        out[col] = arr
    return out


def _empty_shares() -> pd.DataFrame:
    return empty_frame(SHARE_COLUMNS)


def processing_share(
    exports: pd.DataFrame,
    *,
    chain: str | list[str] | None = None,
    years: Iterable[int] | None = None,
    factors: pd.DataFrame | None = None,
    estimates: pd.DataFrame | None = None,
    prices: pd.DataFrame | None = None,
    splits: pd.DataFrame | Literal["default"] | None = "default",
    preferred_only: bool = True,
    reporter: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """The downstreaming index: share of exports at intermediate or processed stages.

    Parameters
    ----------
    exports, chain, years, factors, estimates, prices, splits, preferred_only, reporter
        See :func:`stage_shares`.

    Returns
    -------
    pandas.DataFrame
        One row per (reporter, chain, year, bound): ``geography, share_value,
        share_volume, value_usd_downstream, value_usd_total, raw_equivalent_t_downstream,
        raw_equivalent_t_total, stages, source, assumption, latest_year``. ``stages``
        lists the stages with data, so a share of 0 from a chain whose processed goods are
        missing from the data is visible as such.

    Notes
    -----
    share_value = V(intermediate + processed) / V(all stages), V in current USD;
    share_volume = R(intermediate + processed) / R(all stages), R in tonnes of raw
    equivalent (the low bound uses low factors). Mixed items are excluded unless split.

    Examples
    --------
    >>> import pandas as pd
    >>> from hilir import load_example
    >>> fac = pd.DataFrame({"product": ["coffee_roasted"], "year_from": [pd.NA],
    ...     "year_to": [pd.NA], "low": [1.19], "central": [1.19], "high": [1.19],
    ...     "method": ["fixed"], "basis": ["t green per t roasted"]})
    >>> ps = processing_share(load_example(), factors=fac)
    >>> ps.query("bound == 'central'")[["year", "share_value"]].round(3).to_dict("records")
    [{'year': 2019, 'share_value': 0.231}, {'year': 2020, 'share_value': 0.259}]
    """
    sh = stage_shares(
        exports,
        chain=chain,
        years=years,
        factors=factors,
        estimates=estimates,
        prices=prices,
        splits=splits,
        preferred_only=preferred_only,
        reporter=reporter,
    )
    cols = [
        *KEY,
        "share_value",
        "share_volume",
        "value_usd_downstream",
        "value_usd_total",
        "raw_equivalent_t_downstream",
        "raw_equivalent_t_total",
        "stages",
        "source",
        "assumption",
        "latest_year",
    ]
    if sh.empty:
        return empty_frame(cols)
    sh = sh.assign(down=sh["stage"].astype(str).isin(DOWNSTREAM))
    parts = {}
    for measure, label in (("value", "value_usd"), ("volume", "raw_equivalent_t")):
        m = sh[sh["measure"] == measure]
        tot = m.groupby(KEY, observed=True)["amount"].agg(sum_strict)
        dn = m[m["down"]].groupby(KEY, observed=True)["amount"].agg(sum_strict)
        parts[f"{label}_total"] = tot
        # 0 where the chain has no downstream rows; missing where a downstream amount is
        # missing (no net weight, no factor): a missing tonnage is never shown as 0
        dn = dn.reindex(tot.index)
        dn[~tot.index.isin(m[m["down"]].set_index(KEY).index)] = 0.0
        parts[f"{label}_downstream"] = dn
    out = pd.DataFrame(parts).reset_index()
    out["share_value"] = safe_divide(out["value_usd_downstream"], out["value_usd_total"])
    out["share_volume"] = safe_divide(
        out["raw_equivalent_t_downstream"], out["raw_equivalent_t_total"]
    )
    meta = (
        sh[sh["amount"].fillna(0) > 0]
        .groupby(KEY, observed=True)
        .agg(stages=("stage", lambda s: ",".join(sorted({str(x) for x in s}, key=STAGES.index))))
    )
    # pandas < 3 casts the joined names back to the stage Categorical where it can
    meta["stages"] = meta["stages"].astype(str)
    out = out.merge(meta.reset_index(), on=KEY, how="left")
    out["stages"] = out["stages"].fillna("")
    info = sh.groupby(KEY, observed=True).agg(
        source=("source", lambda s: join_sources("+".join(s).split("+"))),
        assumption=("assumption", join_notes),
    )
    out = out.merge(info.reset_index(), on=KEY, how="left")
    out["latest_year"] = out.groupby(["reporter", "chain"])["year"].transform("max")
    out["share_value"] = out["share_value"].astype("float64")
    out["share_volume"] = out["share_volume"].astype("float64")
    out["bound"] = pd.Categorical(out["bound"], categories=["low", "central", "high"], ordered=True)
    return out.sort_values(KEY).reset_index(drop=True)[cols]


def processing_share_jump(
    shares: pd.DataFrame,
    *,
    before: int,
    after: int,
    measure: Literal["value", "volume"] = "volume",
) -> pd.DataFrame:
    """Change in the processing share between two years (e.g. 2013 and 2014 for nickel).

    Parameters
    ----------
    shares : pandas.DataFrame
        Output of :func:`processing_share`.
    before, after : int
        The two years (both must be in ``shares``).
    measure : {"value", "volume"}, default "volume"
        Share by export value or by raw-equivalent volume.

    Returns
    -------
    pandas.DataFrame
        ``reporter, geography, chain, bound, share_before, share_after, change_pp`` with
        the change in percentage points, plus ``year_before``, ``year_after``.

    Notes
    -----
    change_pp = 100 x (share(after) - share(before)), shares unitless in [0, 1].
    """
    col = f"share_{measure}"
    if measure not in ("value", "volume"):
        raise HilirDataError(f"measure must be 'value' or 'volume', not {measure!r}")
    check_years(shares["year"].unique(), [before, after], what="the processing shares")
    keys = ["reporter", "geography", "chain", "bound"]
    a = shares[shares["year"] == before].set_index(keys)[col].rename("share_before")
    b = shares[shares["year"] == after].set_index(keys)[col].rename("share_after")
    out = pd.concat([a, b], axis=1).reset_index()
    out["change_pp"] = (out["share_after"] - out["share_before"]) * 100.0
    out["year_before"] = before
    out["year_after"] = after
    return out
