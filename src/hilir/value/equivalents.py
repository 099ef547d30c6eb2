"""Raw-equivalent tonnes: each product's exported tonnes in tonnes of the chain's raw product."""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from hilir.checks import BOUNDS, check_choice, require_columns
from hilir.errors import HilirDataError
from hilir.trade import annual_products
from hilir.value.coffee_factor import ITEM_659

FACTOR_COLUMNS = ("product", "year_from", "year_to", "low", "central", "high", "method")
ESTIMATE_COLUMNS = ("product", "year", "low", "central", "high")
IDENTITY_BASIS = "t raw per t raw (identity: the raw stage itself)"
#: Columns of :func:`raw_equivalent` and :func:`hilir.value.stage_table` (before their own).
BASE_COLUMNS = [
    "reporter",
    "geography",
    "source",
    "chain",
    "product",
    "stage",
    "year",
    "bound",
    "value_usd",
    "quantity_t",
    "factor_t_raw_per_t",
    "raw_equivalent_t",
    "factor_basis",
]


def registry_factors() -> pd.DataFrame:
    """The registry's conversion factors (``hilir.registry.tables.factors()``)."""
    from hilir.registry.tables import factors

    return factors()


def _text(row: pd.Series, name: str) -> str:
    value = row.get(name, "")
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)


def resolve_factors(
    annual: pd.DataFrame,
    *,
    factors: pd.DataFrame | None = None,
    estimates: pd.DataFrame | None = None,
    prices: pd.DataFrame | None = None,
    on_none: Literal["raise", "nan"] = "raise",
) -> pd.DataFrame:
    """Conversion factor (t raw per t product) for each product and year, with its range.

    Parameters
    ----------
    annual : pandas.DataFrame
        Rows with ``chain``, ``product``, ``stage`` and ``year``.
    factors : pandas.DataFrame, optional
        Factor table in the registry's layout (``product, year_from, year_to, low,
        central, high, basis, method, source, reliability``); default the registry's.
    estimates : pandas.DataFrame, optional
        Per-year factors for products whose method is ``estimate_by_year`` (``product,
        year, low, central, high, basis, source``), e.g. from
        :func:`hilir.value.nickel_factor_estimates`.
    prices : pandas.DataFrame, optional
        Pink Sheet prices; when given and ``estimates`` is not, nickel-chain products with
        ``estimate_by_year`` are estimated from their unit value and the LME nickel price;
        without ``estimates`` or ``prices`` the registry's period range is used.
    on_none : {"raise", "nan"}, default "raise"
        What to do with a product whose factor method is ``none``.

    Returns
    -------
    pandas.DataFrame
        ``product, year, factor_low, factor_central, factor_high, factor_basis,
        factor_method, factor_source, factor_reliability`` (one row per product and year).

    Raises
    ------
    HilirDataError
        A product without a factor row, with overlapping factor rows, with method
        ``none`` (unless ``on_none="nan"``), or with ``estimate_by_year`` and no estimate
        for a year.

    Notes
    -----
    A raw-stage product without a factor row converts 1:1 (it *is* the raw product).
    Factors are tonnes of raw product per tonne of product weight; they apply to
    product-weight sources only (USDA PSD balances are already green-bean equivalent).
    """
    check_choice("on_none", on_none, ("raise", "nan"))
    require_columns(annual, ("chain", "product", "stage", "year"), "annual exports")
    fac = registry_factors() if factors is None else factors
    require_columns(fac, FACTOR_COLUMNS, "factors")
    keys = annual[["chain", "product", "stage", "year"]].drop_duplicates()
    rows, need_estimate = _table_factor_rows(keys, fac, on_none)
    if need_estimate:
        rows += _estimated_factor_rows(need_estimate, annual, estimates, prices)
    out = pd.DataFrame(
        rows,
        columns=[
            "product",
            "year",
            "factor_low",
            "factor_central",
            "factor_high",
            "factor_basis",
            "factor_method",
            "factor_source",
            "factor_reliability",
        ],
    )
    bad = out[
        (out["factor_low"] > out["factor_central"]) | (out["factor_central"] > out["factor_high"])
    ]
    if not bad.empty:
        r = bad.iloc[0]
        raise HilirDataError(
            f"factor range of {r['product']!r} in {r['year']} is not low <= central <= high"
        )
    out["year"] = out["year"].astype("int64")
    return out


_EstimateKey = tuple[str, str, int, pd.Series]


def _table_factor_rows(
    keys: pd.DataFrame, fac: pd.DataFrame, on_none: Literal["raise", "nan"]
) -> tuple[list[tuple], list[_EstimateKey]]:
    """Factor rows from the factor table for each (product, year) key.

    Returns the rows and the keys whose method is ``estimate_by_year`` (chain, product,
    year, factor row), left to estimate.
    """
    need_estimate = []
    rows = []
    # factor rows by product, with their year ranges as arrays (one lookup per key below)
    by_product: dict[str, tuple[pd.DataFrame, np.ndarray, np.ndarray]] = {}
    fac_products = fac["product"].astype(str)
    for prod in keys["product"].astype(str).unique():
        cand = fac[(fac_products == prod).to_numpy(dtype=bool)]
        yf = pd.to_numeric(cand["year_from"], errors="coerce").to_numpy(
            dtype="float64", na_value=np.nan
        )
        yt = pd.to_numeric(cand["year_to"], errors="coerce").to_numpy(
            dtype="float64", na_value=np.nan
        )
        by_product[prod] = (cand, yf, yt)
    for rec in keys.itertuples(index=False):
        prod, year = str(rec.product), int(rec.year)
        cand, yf, yt = by_product[prod]
        in_range = (np.isnan(yf) | (yf <= year)) & (np.isnan(yt) | (yt >= year))
        cand = cand[in_range] if not in_range.all() else cand
        if cand.empty:
            if rec.stage == "raw":
                rows.append((prod, year, 1.0, 1.0, 1.0, IDENTITY_BASIS, "identity", "", "exact"))
                continue
            raise HilirDataError(
                f"no conversion factor for product {prod!r} in {year}: add a row to the "
                "registry's factors table (or pass factors=)"
            )
        if len(cand) > 1:
            raise HilirDataError(f"{len(cand)} factor rows overlap for product {prod!r} in {year}")
        row = cand.iloc[0]
        method = _text(row, "method") or "fixed"
        if method == "estimate_by_year":
            need_estimate.append((str(rec.chain), prod, year, row))
            continue
        if method == "none":
            if on_none == "raise":
                why = _text(row, "reason_if_none") or "no factor is known"
                raise HilirDataError(
                    f"product {prod!r} has no raw-equivalent factor ({why}); exclude it or "
                    "supply a cited split or factor"
                )
            rows.append(
                (prod, year, np.nan, np.nan, np.nan, _text(row, "basis"), "none",
                 _text(row, "source"), _text(row, "reliability"))
            )  # fmt: skip
            continue
        rows.append(
            (prod, year, float(row["low"]), float(row["central"]), float(row["high"]),
             _text(row, "basis"), method, _text(row, "source"), _text(row, "reliability"))
        )  # fmt: skip
    return rows, need_estimate


def _estimated_factor_rows(
    need_estimate: list[_EstimateKey],
    annual: pd.DataFrame,
    estimates: pd.DataFrame | None,
    prices: pd.DataFrame | None,
) -> list[tuple]:
    """Factor rows of ``estimate_by_year`` products (t raw per t product).

    From ``estimates``, estimated from ``prices`` (nickel chain), or the registry's period
    range when neither is given; FAOSTAT item 659 from the same data (its range capped at the
    year's break-even, :mod:`hilir.value.coffee_factor`) unless ``estimates`` hold it.
    """
    rows: list[tuple] = []
    est = estimates
    own = set() if est is None else set(est["product"].astype(str))
    coffee = [k for k in need_estimate if k[1] == ITEM_659 and ITEM_659 not in own]
    if coffee:
        rows += _coffee_factor_rows(coffee, annual)
        need_estimate = [k for k in need_estimate if k[1] != ITEM_659]
    if not need_estimate:
        return rows
    if est is None and prices is None:
        # no prices to estimate from: the registry's period range (documented there)
        for _chain, prod, year, row in need_estimate:
            nums = [row.get(b) for b in ("low", "central", "high")]
            if any(pd.isna(v) or v == "" for v in nums):
                raise HilirDataError(
                    f"factor of {prod!r} in {year} must be estimated by year: pass "
                    "estimates= (e.g. nickel_factor_estimates(exports, prices)) or prices="
                )
            rows.append(
                (prod, year, float(nums[0]), float(nums[1]), float(nums[2]),
                 _text(row, "basis"), "estimate_by_year (registry period range)",
                 _text(row, "source"), _text(row, "reliability"))
            )  # fmt: skip
        need_estimate = []
    if need_estimate and est is None:
        chains = {c for c, *_ in need_estimate}
        if chains - {"nickel"}:
            prods = sorted({p for _, p, _, _ in need_estimate})
            raise HilirDataError(
                f"factors of {prods} must be estimated year by year: pass estimates= "
                "(e.g. nickel_factor_estimates(exports, prices)) or prices="
            )
        from hilir.value.nickel import nickel_factor_estimates

        est = nickel_factor_estimates(
            annual, prices, products=sorted({p for _, p, _, _ in need_estimate})
        )
    if need_estimate:
        require_columns(est, ESTIMATE_COLUMNS, "estimates")
    est_key = (
        list(zip(est["product"].astype(str), est["year"].astype(int), strict=True))
        if need_estimate
        else []
    )
    est_rows: dict[tuple[str, int], list[int]] = {}
    for i, k in enumerate(est_key):
        est_rows.setdefault(k, []).append(i)
    flow_rows: dict[tuple[str, int], list[int]] = {}
    if need_estimate:
        flow_key = zip(annual["product"].astype(str), annual["year"].astype(int), strict=True)
        for i, k in enumerate(flow_key):
            flow_rows.setdefault(k, []).append(i)
    for _chain, prod, year, row in need_estimate:
        hit = est.iloc[est_rows.get((prod, year), [])]
        flow = annual.iloc[flow_rows.get((prod, year), [])]
        if "quantity_t" in flow.columns and flow["quantity_t"].fillna(-1).eq(0).all():
            # a zero flow has no unit value and needs no factor: it converts to 0 t
            rows.append((prod, year, np.nan, np.nan, np.nan, "zero flow", "estimate_by_year",
                         "", _text(row, "reliability")))  # fmt: skip
            continue
        if hit.empty or hit[["low", "central", "high"]].isna().any(axis=None):
            raise HilirDataError(
                f"no per-year factor estimate for product {prod!r} in {year} (its method "
                "is estimate_by_year)"
            )
        h = hit.iloc[0]
        rows.append(
            (prod, year, float(h["low"]), float(h["central"]), float(h["high"]),
             _text(h, "basis") or _text(row, "basis"), "estimate_by_year",
             _text(h, "source") or _text(row, "source"), _text(row, "reliability"))
        )  # fmt: skip
    return rows


def _coffee_factor_rows(keys: list[_EstimateKey], annual: pd.DataFrame) -> list[tuple]:
    """Item 659's factor rows: the registry range, high capped at the year's break-even.

    See :mod:`hilir.value.coffee_factor` (t GBE per t of item 659).
    """
    from hilir.value.coffee_factor import CAP_NOTE, coffee_factor_estimates

    rows: list[tuple] = []
    for _chain, prod, year, row in keys:
        reg = tuple(float(row[b]) for b in ("low", "central", "high"))
        e = coffee_factor_estimates(annual, [year], reg).iloc[0]  # type: ignore[arg-type]
        basis = _text(row, "basis") + (f"; {CAP_NOTE}" if e["capped"] else "")
        how = "break-even cap" if e["capped"] else "registry range"
        method = f"estimate_by_year ({how})"
        rows.append((prod, year, float(e["low"]), float(e["central"]), float(e["high"]),
                     basis, method, _text(row, "source"), _text(row, "reliability")))  # fmt: skip
    return rows


def factor_bounds(
    chain: str,
    product: str,
    stage: str,
    year: int,
    *,
    factors: pd.DataFrame | None = None,
    estimates: pd.DataFrame | None = None,
    prices: pd.DataFrame | None = None,
) -> tuple[dict[str, float], str]:
    """One product's factor (t raw per t product) by bound in one year, and its basis.

    Returns
    -------
    tuple of (dict, str)
        ``{"low": ..., "central": ..., "high": ...}`` and the factor's basis text.

    Raises
    ------
    HilirDataError
        As :func:`resolve_factors` (no factor, method ``none``, no estimate).
    """
    probe = pd.DataFrame({"chain": [chain], "product": [product], "stage": [stage], "year": [year]})
    f = resolve_factors(probe, factors=factors, estimates=estimates, prices=prices).iloc[0]
    return {b: float(f[f"factor_{b}"]) for b in BOUNDS}, str(f["factor_basis"])


def raw_tonnes(quantity_t: pd.Series, factor: pd.Series) -> np.ndarray:
    """Raw-equivalent tonnes ``quantity_t x factor``, 0 for a zero flow (even without factor)."""
    qty = quantity_t.astype("float64")
    return np.where(qty.eq(0), 0.0, qty * factor.astype("float64"))


def expand_bounds(annual: pd.DataFrame, fac: pd.DataFrame) -> pd.DataFrame:
    """Join factors to annual flows and stack one copy per bound with its factor.

    Parameters
    ----------
    annual : pandas.DataFrame
        :func:`hilir.trade.annual_products` rows (one per product and year).
    fac : pandas.DataFrame
        :func:`resolve_factors` output for those rows.

    Returns
    -------
    pandas.DataFrame
        ``annual`` x ``fac`` repeated for ``bound`` low, central, high, with
        ``factor_t_raw_per_t`` the bound's factor and ``raw_equivalent_t`` from
        :func:`raw_tonnes`.
    """
    merged = annual.merge(fac, on=["product", "year"], how="left", validate="many_to_one")
    parts = [merged.assign(bound=b, factor_t_raw_per_t=merged[f"factor_{b}"]) for b in BOUNDS]
    out = pd.concat(parts, ignore_index=True)
    out["raw_equivalent_t"] = raw_tonnes(out["quantity_t"], out["factor_t_raw_per_t"])
    return out


def raw_equivalent(
    exports: pd.DataFrame,
    *,
    chain: str | list[str] | None = None,
    factors: pd.DataFrame | None = None,
    estimates: pd.DataFrame | None = None,
    prices: pd.DataFrame | None = None,
    preferred_only: bool = True,
    on_none: Literal["raise", "nan"] = "raise",
) -> pd.DataFrame:
    """Exported tonnes of each product converted to tonnes of the chain's raw product.

    Parameters
    ----------
    exports : pandas.DataFrame
        Tidy exports (product weight) with ``chain``, ``product``, ``stage``.
    chain : str or list of str, optional
        Keep these chains.
    factors, estimates, prices, on_none
        See :func:`resolve_factors`.
    preferred_only : bool, default True
        Keep only preferred rows (no flow counted twice).

    Returns
    -------
    pandas.DataFrame
        Long by ``bound`` (low, central, high): ``reporter, geography, source, chain,
        product, stage, year, bound, value_usd, quantity_t, factor_t_raw_per_t,
        raw_equivalent_t, factor_basis, factor_method, factor_source``.

    Notes
    -----
    raw_equivalent_t = quantity_t x factor, with ``quantity_t`` the exported product
    weight in tonnes and ``factor`` in tonnes of raw product per tonne of product (e.g.
    roasted coffee 1.19 t green per t, ICO). The low bound uses the low factor.

    Examples
    --------
    >>> import pandas as pd
    >>> from hilir import load_example
    >>> fac = pd.DataFrame({"product": ["coffee_roasted"], "year_from": [pd.NA],
    ...     "year_to": [pd.NA], "low": [1.19], "central": [1.19], "high": [1.19],
    ...     "method": ["fixed"], "basis": ["t green per t roasted"]})
    >>> req = raw_equivalent(load_example(), factors=fac)
    >>> req.query("bound == 'central' and year == 2019")["raw_equivalent_t"].tolist()
    [1000.0, 119.0]
    """
    annual = annual_products(exports, chain=chain, preferred_only=preferred_only)
    fac = resolve_factors(
        annual, factors=factors, estimates=estimates, prices=prices, on_none=on_none
    )
    out = expand_bounds(annual, fac)
    cols = [*BASE_COLUMNS, "factor_method", "factor_source"]
    out["bound"] = pd.Categorical(out["bound"], categories=list(BOUNDS), ordered=True)
    return out[cols].sort_values(["chain", "year", "product", "bound"]).reset_index(drop=True)
