"""Uplift: export value per raw-equivalent tonne at each stage over the raw unit value."""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from typing import Literal

import numpy as np
import pandas as pd

from hilir.checks import (
    BOUNDS,
    DOWNSTREAM,
    as_list,
    check_years,
    concat_frames,
    empty_frame,
    geography,
    safe_divide,
    sum_strict,
)
from hilir.errors import HilirDataError, HilirDataWarning, caller_stacklevel
from hilir.registry.queries import chain_products, chain_row, known_chains
from hilir.value.assumptions import value_assumptions
from hilir.value.cited_values import assumed_values, nearest_row
from hilir.value.equivalents import factor_bounds
from hilir.value.raw_content import refuse_minor_raw
from hilir.value.raw_unit_value import UNUSABLE_FLAGS, RawUnitValue, resolve_raw_unit_values
from hilir.value.reporters import analysed_reporters, data_reporters
from hilir.value.stages import stage_table

FLIP = {"low": "high", "central": "central", "high": "low"}
COLUMNS = [
    "reporter",
    "geography",
    "chain",
    "year",
    "product",
    "stage",
    "bound",
    "value_usd",
    "quantity_t",
    "raw_equivalent_t",
    "unit_value_usd_per_t",
    "value_per_raw_t_usd",
    "raw_unit_value_usd_per_t",
    "uplift",
    "raw_value_share",
    "raw_input_mass_share",
    "basis",
    "assumption",
    "source",
]


def _raw_uv(
    st: pd.DataFrame,
    method: RawUnitValue = "same_year",
    window: int = 3,
    unusable_flags: Iterable[str] = UNUSABLE_FLAGS,
) -> pd.DataFrame:
    """``reporter, year, raw_unit_value_usd_per_t, raw_unit_value_note`` (resolved)."""
    res = resolve_raw_unit_values(st, method=method, window=window, unusable_flags=unusable_flags)
    return res[["reporter", "year", "raw_unit_value_usd_per_t", "raw_unit_value_note"]]


#: Products whose registry factor (t raw per t product, ``factors.csv``) is itself the raw
#: input's mass share, so the share is read from there and held once: a tyre is 14-30 %
#: natural rubber (central 15 %, car tyres).
MASS_SHARE_FROM_FACTOR: dict[str, tuple[str, str]] = {"tyres": ("rubber", "processed")}


def _mass_share(asm: pd.DataFrame, product: str) -> dict[str, float]:
    rows = asm[(asm["quantity"] == "raw_input_mass_share") & (asm["product"] == product)]
    if rows.empty and product in MASS_SHARE_FROM_FACTOR:
        chain, stage = MASS_SHARE_FROM_FACTOR[product]
        fac, _ = _factor(product, stage, chain, 2020, None)
        return dict.fromkeys(BOUNDS, np.nan) if fac is None else {b: fac[b] for b in BOUNDS}
    if rows.empty:
        return dict.fromkeys(BOUNDS, np.nan)
    r = rows.iloc[0]
    return {b: float(r[b]) for b in BOUNDS}


def _data_rows(
    st: pd.DataFrame,
    asm: pd.DataFrame,
    factors: pd.DataFrame | None = None,
    raw_uv: pd.DataFrame | None = None,
) -> pd.DataFrame:
    down = st[st["stage"].isin(DOWNSTREAM)]
    if down.empty:
        return pd.DataFrame(columns=COLUMNS)
    g = (
        down.groupby(["reporter", "geography", "chain", "year", "product", "stage", "bound"])
        .agg(
            value_usd=("value_usd", "sum"),
            quantity_t=("quantity_t", sum_strict),
            raw_equivalent_t=("raw_equivalent_t", sum_strict),
            source=("source", "first"),
            assumption=("assumption", "first"),
        )
        .reset_index()
    )
    g = g.merge(_raw_uv(st) if raw_uv is None else raw_uv, on=["reporter", "year"], how="left")
    g["raw_unit_value_note"] = g["raw_unit_value_note"].fillna("")
    g["unit_value_usd_per_t"] = safe_divide(g["value_usd"], g["quantity_t"])
    g["value_per_raw_t_usd"] = safe_divide(g["value_usd"], g["raw_equivalent_t"])
    g["uplift"] = safe_divide(g["value_per_raw_t_usd"], g["raw_unit_value_usd_per_t"])
    # a low factor gives a high value per raw-equivalent tonne: relabel to the uplift's bound
    g["bound"] = g["bound"].map(FLIP)
    g["raw_value_share"] = safe_divide(1.0, g["uplift"])
    shares = {p: _mass_share(asm, p) for p in g["product"].unique()}
    g["raw_input_mass_share"] = [
        shares[p][b] for p, b in zip(g["product"], g["bound"], strict=True)
    ]
    g["basis"] = "trade data"
    g["assumption"] = g["assumption"].fillna("")
    refuse_minor_raw(g)
    # the raw unit value's own note (flagged, substituted) or, without one, no raw exports
    no_raw = (g["raw_unit_value_usd_per_t"].isna() & g["raw_unit_value_note"].eq("")).to_numpy()
    g.loc[no_raw, "raw_unit_value_note"] = "no raw exports this year: no raw unit value"
    g["assumption"] = [
        "; ".join(x for x in (a, n) if x)
        for a, n in zip(g["assumption"], g["raw_unit_value_note"], strict=True)
    ]
    for mask, why_na in (
        (g["quantity_t"].eq(0), "no exports of this product this year"),
        (
            g["quantity_t"].isna() & g["value_usd"].gt(0),
            "no net weight in the data: tonnes and raw-equivalent tonnes are missing",
        ),
        (g["raw_unit_value_usd_per_t"].eq(0), "raw unit value is 0 (raw exports have no value)"),
    ):
        m = mask.to_numpy(dtype=bool)
        g.loc[m, "assumption"] = [f"{a}; {why_na}" if a else why_na for a in g.loc[m, "assumption"]]
    # a product without a raw-equivalent factor (registry method "none") has no uplift: say why
    # (only method "none" leaves a positive flow without raw-equivalent tonnes; its reason is
    # the registry's, looked up once per product in the latest such year)
    no_factor = (g["raw_equivalent_t"].isna() & g["quantity_t"].gt(0)).to_numpy()
    keys = ["product", "stage", "chain"]
    why: dict[tuple, str] = {}
    latest = g.loc[no_factor].groupby(keys, observed=True)["year"].max()
    for (product, stage, chain), year in latest.items():
        fac, reason = _factor(product, stage, chain, int(year), factors)
        why[(product, stage, chain)] = reason if fac is None else "no raw-equivalent factor"
    if no_factor.any():
        g.loc[no_factor, "assumption"] = [
            "; ".join(filter(None, (note, why[tuple(k)])))
            for note, *k in g.loc[no_factor, ["assumption", *keys]].itertuples(index=False)
        ]
    return g[COLUMNS]


def _factor(product: str, stage: str, chain: str, year: int, factors: pd.DataFrame | None):
    try:
        return factor_bounds(chain, product, stage, year, factors=factors)
    except HilirDataError as exc:
        return None, str(exc)


def assumed_stage_values(
    chain: str,
    years: Iterable[int | None],
    *,
    raw_uv: pd.DataFrame | None = None,
    factors: pd.DataFrame | None = None,
    assumptions: pd.DataFrame | None = None,
    prices: pd.DataFrame | None = None,
    skip_products: Iterable[str] = (),
    reporter: str = "IDN",
) -> pd.DataFrame:
    """Uplift rows built from cited assumptions for a chain's products without trade data.

    Parameters
    ----------
    chain : str
        Registry chain key.
    years : iterable of int or None
        Years to evaluate; ``None`` means the year of the assumption itself.
    raw_uv : pandas.DataFrame, optional
        ``year, raw_unit_value_usd_per_t`` from trade data; where a year is missing, the
        chain's ``raw_unit_value`` assumption is used.
    factors, assumptions, prices
        Conversion factors (registry default), value assumptions (shipped default) and
        Pink Sheet prices (for LME metal prices).
    skip_products : iterable of str
        Products that have trade data (not assumed).
    reporter : str, default "IDN"
        Reporter code the rows are labelled with (``reporter`` and ``geography``): the
        geography whose chain the cited figures stand in for.

    Returns
    -------
    pandas.DataFrame
        Rows in the :func:`uplift` layout with ``basis = 'assumption'``; the uplift is
        missing, with the reason in ``assumption``, where no cited figure exists.

    Notes
    -----
    value per raw-equivalent tonne v = UV_P / f (a processed unit value), r x UV_raw / f
    (a price ratio per tonne of product) or u x UV_raw (an uplift ratio); uplift = v /
    UV_raw, with f the registry factor (t raw per t product). The low uplift pairs the
    low price with the high factor.
    """
    asm = value_assumptions() if assumptions is None else assumptions
    av = assumed_values(assumptions=asm, prices=prices)
    prods = chain_products(chain)
    prods = prods[prods["stage"].isin(DOWNSTREAM) & ~prods["product"].isin(list(skip_products))]
    raw_rows = av[(av["chain"] == chain) & (av["kind"] == "raw_unit_value")]
    raw_found = raw_rows[raw_rows["reliability"] != "not_found"]
    order = {"processed_unit_value": 0, "price_ratio_to_raw": 1, "uplift_ratio": 2}
    candidates = {}
    for p in prods.itertuples(index=False):
        cand = av[(av["product"] == p.product) & (av["kind"] != "raw_unit_value")]
        cand = cand[cand["reliability"] != "not_found"]
        candidates[p.product] = cand.sort_values("kind", key=lambda s: s.map(order))
    mass_shares = {p: _mass_share(asm, p) for p in prods["product"]}
    out = []
    for year in years:
        uv_raw, raw_note = np.nan, ""
        if raw_uv is not None and year is not None:
            sel = raw_uv[raw_uv["year"] == year]
            hit = sel["raw_unit_value_usd_per_t"]
            if len(hit) and np.isfinite(hit.iloc[0]):
                uv_raw = float(hit.iloc[0])
            if len(sel) and "raw_unit_value_note" in sel.columns:
                raw_note = str(sel["raw_unit_value_note"].iloc[0] or "")
        for p in prods.itertuples(index=False):
            row, when = nearest_row(candidates[p.product], year)
            if row is None:
                missing = av[(av["product"] == p.product)]
                why = "; ".join(missing["note"]) or "no cited unit value, price ratio or uplift"
                yr, u_raw, vals = year, uv_raw, dict.fromkeys(BOUNDS, np.nan)
                text, src = f"not found: {why}", ""
            else:
                ur_pair, note_pair = _same_year_raw(row, when, raw_uv, uv_raw, raw_note)
                yr, u_raw, vals, text, src = _cited_uplift(
                    row, when, p.product, p.stage, chain, year, ur_pair, note_pair, raw_found,
                    factors,
                )  # fmt: skip
                if np.isfinite(uv_raw):
                    u_raw = uv_raw  # the ratio is of the cited year; the level is this year's
            ms = mass_shares[p.product]
            for b in BOUNDS:
                out.append(
                    {
                        "reporter": reporter,
                        "chain": chain,
                        "year": yr,
                        "product": p.product,
                        "stage": p.stage,
                        "bound": b,
                        "value_usd": np.nan,
                        "quantity_t": np.nan,
                        "raw_equivalent_t": np.nan,
                        "unit_value_usd_per_t": np.nan,
                        "value_per_raw_t_usd": vals[b] * u_raw,
                        "raw_unit_value_usd_per_t": u_raw,
                        "uplift": vals[b],
                        "raw_value_share": safe_divide(1.0, vals[b]).item(),
                        "raw_input_mass_share": ms[b],
                        "basis": "assumption",
                        "assumption": text,
                        "source": src,
                    }
                )
    df = pd.DataFrame(out, columns=[c for c in COLUMNS if c != "geography"])
    df.insert(1, "geography", geography(df["reporter"]) if len(df) else pd.Series(dtype="string"))
    df["year"] = df["year"].astype("Int64")
    return df[COLUMNS]


def _same_year_raw(
    row: pd.Series, when: str, raw_uv: pd.DataFrame | None, uv_raw: float, raw_note: str
) -> tuple[float, str]:
    """The raw unit value (USD/t) to divide a cited processed unit value by, and its note.

    A cited unit value of another year (``when`` is not empty) is divided by the raw unit
    value of that same year when the data have it, so an uplift never pairs one year's
    processed price with another year's raw price; otherwise this year's and the note says
    which years are paired.
    """
    if not when or row["kind"] != "processed_unit_value" or pd.isna(row["year_to"]):
        return uv_raw, raw_note
    cited = int(row["year_to"])
    hit = pd.Series(dtype=float) if raw_uv is None else raw_uv.loc[
        raw_uv["year"] == cited, "raw_unit_value_usd_per_t"
    ]  # fmt: skip
    if len(hit) and np.isfinite(hit.iloc[0]):
        same = float(hit.iloc[0])
        return same, f"divided by the {cited} raw unit value ({same:,.1f} USD/t): same-year ratio"
    extra = f"paired with the raw unit value of another year (none for {cited})"
    return uv_raw, "; ".join(x for x in (raw_note, extra) if x)


def _cited_uplift(
    row: pd.Series,
    when: str,
    product: str,
    stage: str,
    chain: str,
    year: int | None,
    uv_raw: float,
    raw_note: str,
    raw_found: pd.DataFrame,
    factors: pd.DataFrame | None,
) -> tuple[int | None, float, dict[str, float], str, str]:
    """Uplift by bound from one cited figure: ``(year, raw USD/t, uplift, note, source)``.

    A missing raw unit value (USD/t) is taken from the nearest cited ``raw_unit_value``
    row; the factor (t raw per t product) from the registry (low uplift, high factor). A
    price ratio's uplift does not depend on the raw level; when the only raw unit value is of
    another year, the level (raw USD/t, hence value per raw-equivalent tonne) is left
    missing rather than pairing two years.
    """
    yr = year
    u_raw = uv_raw
    if yr is None and pd.notna(row["year_from"]):
        yr = int(row["year_to"])
    r_note, other_year = raw_note, False
    if not np.isfinite(u_raw) and row["kind"] != "uplift_ratio":
        rr, rwhen = nearest_row(raw_found, yr)
        if rr is not None:
            u_raw = float(rr["central"])
            r_note = f"raw unit value {u_raw:g} USD/t{rwhen} ({rr['source']})"
            other_year = bool(rwhen) and row["kind"] == "price_ratio_to_raw"
    fac, fbasis = (None, "")
    if row["kind"] != "uplift_ratio":
        fac, fbasis = _factor(product, stage, chain, yr if yr else 2020, factors)
    vals = {}
    for b in BOUNDS:
        fb = FLIP[b]
        if row["kind"] == "uplift_ratio":
            vals[b] = float(row[b])
        elif fac is None or not np.isfinite(u_raw):
            vals[b] = np.nan
        elif row["kind"] == "processed_unit_value":
            vals[b] = float(row[b]) / fac[fb] / u_raw
        else:
            vals[b] = float(row[b]) * u_raw / fac[fb] / u_raw
    parts = [f"{row['kind']} {row['low']:g}-{row['high']:g} {row['unit']}{when} ({row['source']})"]
    if r_note and not other_year:
        parts.append(r_note)
    if fac is None and row["kind"] != "uplift_ratio":
        parts.append(f"no factor: {fbasis}")
    if not np.isfinite(u_raw) and row["kind"] != "uplift_ratio":
        parts.append("no raw unit value (trade data or cited)")
    if other_year:
        # a price ratio needs no raw level; one of another year would give a level that
        # pairs two years (e.g. 1960 aluminium valued on 2024 alumina), so none is given
        parts.append(f"no raw unit value of {yr}: the ratio is given, not a value per tonne")
        u_raw = np.nan
    return yr, u_raw, vals, "; ".join(parts), str(row["source"])


def uplift(
    exports: pd.DataFrame,
    *,
    chain: str | list[str] | None = None,
    years: Iterable[int] | None = None,
    factors: pd.DataFrame | None = None,
    estimates: pd.DataFrame | None = None,
    prices: pd.DataFrame | None = None,
    splits: pd.DataFrame | Literal["default"] | None = "default",
    assumptions: pd.DataFrame | None = None,
    use_assumptions: bool = True,
    preferred_only: bool = True,
    raw_unit_value: RawUnitValue = "same_year",
    raw_window: int = 3,
    raw_unusable_flags: Iterable[str] = UNUSABLE_FLAGS,
    reporter: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """Export value per raw-equivalent tonne at each stage over the raw unit value.

    Parameters
    ----------
    exports : pandas.DataFrame
        Tidy exports with ``chain``, ``product``, ``stage``.
    chain : str or list of str, optional
        Registry chains; default every chain in the data.
    years : iterable of int, optional
        Years to keep (absent years are an error).
    factors, estimates, prices, splits, preferred_only, reporter
        See :func:`hilir.value.stage_table` (default reporters: taken from the data,
        Indonesia and its provinces when it holds them). ``prices`` also supplies LME
        metal prices for processed metals without trade data.
    assumptions : pandas.DataFrame, optional
        Value assumptions (default the shipped, cited table).
    use_assumptions : bool, default True
        Add rows from cited assumptions for products without trade data.
    raw_unit_value : {"same_year", "last_unflagged", "window_median"}, default "same_year"
        Which raw unit value to divide by when the year's own is flagged
        (:func:`hilir.value.unit_values` flags, computed on the chain's raw-stage series).
        ``"same_year"`` (default): the year's own raw unit value; a flagged one (by
        default ``tiny_weight``: nickel ore 2020, USD 116 for 1,404 kg) is not used, the
        uplift is missing and ``assumption`` says why ("raw unit value flagged: tiny net
        weight ..."). ``"last_unflagged"``: the latest usable year up to this one (nickel
        2020 takes 2019's USD 33.88/t). ``"window_median"``: in every year, the median of
        the usable raw unit values of the ``raw_window`` years ending at it. Substituted
        values are named in ``assumption``. See
        :func:`hilir.value.raw_unit_value.resolve_raw_unit_values`.
    raw_window : int, default 3
        Years of the ``"window_median"`` window.
    raw_unusable_flags : iterable of str, default ("tiny_weight",)
        Flags that make a raw unit value unusable. ``outside_band`` is not among them by
        default (a long series always has years outside its own 5-95 % band, real price
        peaks such as coffee 2011); such a year is used and ``assumption`` says it is
        flagged. Add it for a stricter rule.

    Returns
    -------
    pandas.DataFrame
        ``reporter, geography`` (of the data's reporters; rows from cited assumptions for a
        chain without trade data take ``reporter`` when given, else the data's reporters,
        else ``IDN``), ``chain, year, product, stage, bound, value_usd, quantity_t``
        (missing without a net weight, never 0), ``raw_equivalent_t,
        unit_value_usd_per_t, value_per_raw_t_usd,
        raw_unit_value_usd_per_t, uplift, raw_value_share, raw_input_mass_share, basis,
        assumption, source``. ``raw_value_share`` = 1 / uplift is the share of the
        product's export value its raw content would fetch exported raw;
        ``raw_input_mass_share`` is the raw input's share of the product's mass where other
        inputs matter (stainless steel about 8 % nickel; tyres 15-30 % natural rubber;
        coffee mixes 8-14 % coffee), so a brief never credits the whole processed value to
        the raw material.

    Notes
    -----
    uplift = (V_s / R_s) / (V_raw / Q_raw), with V in USD, R_s the stage's raw-equivalent
    tonnes (tonnes x factor, t raw per t product) and Q_raw the raw product's tonnes in
    the same year (or the substitute chosen by ``raw_unit_value``). Comparing USD per kg
    across stages without the raw-equivalent conversion would compare ore with
    ferro-nickel tonne for tonne. The low uplift uses the high factor.

    [1] A split part of a mixed item carries the item's unit value (refined palm oil priced
    like CPO gave 1 / 1.064 = 0.94 in every year): it is not data, so the part is valued from
    its cited assumption (the refined / CPO price ratio) instead.
    """
    wanted = as_list(chain)
    have = sorted(set(exports["chain"].dropna().astype(str))) if "chain" in exports else []
    if wanted is None:
        wanted = have
    unknown = sorted(set(wanted) - set(have) - known_chains())
    if unknown:
        raise HilirDataError(f"unknown chain {unknown}; registry chains: {sorted(known_chains())}")
    asm = value_assumptions() if assumptions is None else assumptions
    frames: list[pd.DataFrame] = []
    for c in wanted:
        if bool(chain_row(c).get("raw_only", False)):
            warnings.warn(
                f"chain {c!r} is a raw-only reference chain: it has no uplift",
                HilirDataWarning,
                stacklevel=caller_stacklevel(),
            )
            continue
        st = None
        if c in have:
            st = stage_table(
                exports,
                chain=c,
                factors=factors,
                estimates=estimates,
                prices=prices,
                splits=splits,
                preferred_only=preferred_only,
                reporter=reporter,
            )
        frames.extend(
            _chain_uplift(
                st, c, asm, _assumed_reporters(exports, reporter),
                use_assumptions=use_assumptions, factors=factors, prices=prices,
                raw_rule=(raw_unit_value, raw_window, raw_unusable_flags),
            )
        )  # fmt: skip
    if not frames:
        return empty_frame(COLUMNS)
    out = concat_frames(frames, ignore_index=True)
    out["year"] = out["year"].astype("Int64")
    if years is not None:
        wanted_years = check_years(out["year"].dropna().unique(), years, what="the uplift table")
        out = out[out["year"].isin(wanted_years)]
    out["bound"] = pd.Categorical(out["bound"], categories=list(BOUNDS), ordered=True)
    return out.sort_values(["chain", "year", "product", "bound"]).reset_index(drop=True)


def _assumed_reporters(exports: pd.DataFrame, reporter: str | Iterable[str] | None) -> list[str]:
    """Reporters of a chain without trade data: those given, else the data's, else ``IDN``."""
    wanted = analysed_reporters(exports, reporter)
    return ["IDN"] if wanted is None else wanted


def _chain_uplift(
    st: pd.DataFrame | None,
    chain: str,
    asm: pd.DataFrame,
    no_data_reporters: list[str],
    *,
    use_assumptions: bool,
    factors: pd.DataFrame | None,
    prices: pd.DataFrame | None,
    raw_rule: tuple[RawUnitValue, int, Iterable[str]],
) -> list[pd.DataFrame]:
    """One chain's uplift rows: from trade data, then from cited assumptions by reporter.

    Each reporter of the stage table ``st`` gets assumed rows for its products without trade
    data, in its own years and with its own raw unit value (USD/t); without trade data of the
    chain (``st`` empty or ``None``) the assumed rows are of ``no_data_reporters``.
    """
    frames: list[pd.DataFrame] = []
    data, raw_uv = None, None
    if st is not None and st.empty:
        st = None
    if st is not None:
        raw_uv = _raw_uv(st, *raw_rule)
        data = _data_rows(st, asm, factors, raw_uv)
        data = data[~data["assumption"].astype(str).str.startswith("split")]  # [1] of uplift
        frames.append(data)
    if not use_assumptions:
        return frames
    reporters = no_data_reporters if st is None else data_reporters(st)
    for rep in reporters:
        mine = None if data is None else data[data["reporter"].astype(str).eq(rep).to_numpy()]
        years = [] if st is None else sorted(st.loc[st["reporter"] == rep, "year"].unique())
        yrs: list[int | None] = [int(y) for y in years] if years else [None]
        extra = assumed_stage_values(
            chain,
            yrs,
            raw_uv=None if raw_uv is None else raw_uv[raw_uv["reporter"].astype(str).eq(rep)],
            factors=factors,
            assumptions=asm,
            prices=prices,
            skip_products=set() if mine is None else set(mine["product"]),
            reporter=rep,
        )
        if mine is not None and not mine.empty:
            # with trade data for the chain, keep only assumed rows that have a figure
            extra = extra[extra["uplift"].notna()]
        if not extra.empty:
            frames.append(extra)
    return frames
