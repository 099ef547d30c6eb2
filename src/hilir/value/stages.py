"""A chain's exports by product, stage and year in value and raw-equivalent tonnes.

The common table behind processing share, uplift, decomposition and scenarios. Mixed-stage
items (FAOSTAT palm oil: crude and refined together) are excluded unless an explicit,
cited split is supplied; a split is a visible assumption carried in the ``assumption``
column.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import numpy as np
import pandas as pd

from hilir.checks import (
    BOUNDS,
    check_choice,
    empty_frame,
    keep_reporters,
    require_columns,
)
from hilir.errors import HilirDataError
from hilir.provenance.keys import join_sources
from hilir.trade import annual_products
from hilir.value.assumptions import value_assumptions
from hilir.value.equivalents import (
    BASE_COLUMNS,
    expand_bounds,
    factor_bounds,
    raw_tonnes,
    resolve_factors,
)
from hilir.value.reporters import analysed_reporters, data_reporters

SPLIT_COLUMNS = (
    "chain",
    "product",
    "year_from",
    "year_to",
    "share_low",
    "share_central",
    "share_high",
    "as_product",
    "source",
)
#: Registry product whose stage and factor the processed part of a shipped split takes.
SPLIT_AS = {"palm_oil_mixed": "palm_oil_refined"}


def default_splits(assumptions: pd.DataFrame | None = None) -> pd.DataFrame:
    """Cited stage splits of mixed items, from the value assumptions.

    Returns
    -------
    pandas.DataFrame
        One row per mixed product and downstream part (columns ``SPLIT_COLUMNS``): the
        share of the item's export volume in that part (low, central, high) and
        ``as_product``, the registry product whose stage and conversion factor the part
        takes. The rest of the item is the chain's raw product (1:1). Optional columns
        ``factor_low, factor_central, factor_high, factor_basis`` override the factor.

    Notes
    -----
    Shipped: FAOSTAT palm oil (item 257), processed share 0.748-0.80, central 0.79 in
    2016-2020 (GAPKI 2020; Kemenperin 80:20 in 2016-2020). The value split is taken equal
    to the volume split.
    """
    asm = value_assumptions() if assumptions is None else assumptions
    rows = asm[asm["quantity"] == "processed_share_volume"]
    out = pd.DataFrame(
        {
            "chain": rows["chain"].to_numpy(),
            "product": rows["product"].to_numpy(),
            "year_from": rows["year_from"].to_numpy(),
            "year_to": rows["year_to"].to_numpy(),
            "share_low": rows["low"].to_numpy(),
            "share_central": rows["central"].to_numpy(),
            "share_high": rows["high"].to_numpy(),
            "as_product": [SPLIT_AS.get(str(p), "") for p in rows["product"]],
            "source": rows["source"].to_numpy(),
        }
    )
    return out


def _split_rows(
    mixed: pd.DataFrame,
    splits: pd.DataFrame,
    factors: pd.DataFrame | None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Expand mixed rows with a covering split; return (expanded, left_out)."""
    require_columns(splits, SPLIT_COLUMNS, "splits")
    from hilir.registry.queries import registry_products

    prods = registry_products().set_index("product")
    out, left = [], []
    for rec in mixed.itertuples(index=False):
        sp = splits[(splits["chain"] == rec.chain) & (splits["product"] == rec.product)]
        yf = pd.to_numeric(sp["year_from"], errors="coerce")
        yt = pd.to_numeric(sp["year_to"], errors="coerce")
        sp = sp[(yf.isna() | (yf <= rec.year)) & (yt.isna() | (yt >= rec.year))]
        if sp.empty:
            left.append(rec)
            continue
        if sp["as_product"].duplicated().any():
            raise HilirDataError(f"split of {rec.product!r} lists a part twice")
        parts = _split_parts(rec, sp, prods, factors)
        raw_product = _raw_product(str(rec.chain))
        for bound in BOUNDS:
            shares = sp[f"share_{bound}"].astype("float64")
            if shares.isna().any() or (shares < 0).any() or shares.sum() > 1 + 1e-12:
                raise HilirDataError(
                    f"split shares of {rec.product!r} must be numbers in [0, 1] summing to <= 1"
                )
            note = "; ".join(
                f"{s.as_product} share {getattr(s, f'share_{bound}'):.3g} of volume and value "
                f"({s.source})"
                for s, *_ in parts
            )
            for (s, stage, fac, basis), share in zip(parts, shares, strict=True):
                out.append(
                    {
                        **rec._asdict(),
                        "product": s.as_product,
                        "stage": stage,
                        "bound": bound,
                        "value_usd": rec.value_usd * share,
                        "quantity_t": rec.quantity_t * share,
                        "factor_t_raw_per_t": fac[bound],
                        "factor_basis": basis,
                        "assumption": f"split of mixed item {rec.product}: {note}",
                    }
                )
            rest = 1.0 - float(shares.sum())
            out.append(
                {
                    **rec._asdict(),
                    "product": raw_product,
                    "stage": "raw",
                    "bound": bound,
                    "value_usd": rec.value_usd * rest,
                    "quantity_t": rec.quantity_t * rest,
                    "factor_t_raw_per_t": 1.0,
                    "factor_basis": "t raw per t raw (identity: the raw part of the split)",
                    "assumption": f"split of mixed item {rec.product}: {note}",
                }
            )
    return pd.DataFrame(out), pd.DataFrame(left, columns=mixed.columns)


def _split_parts(
    rec: tuple, sp: pd.DataFrame, prods: pd.DataFrame, factors: pd.DataFrame | None
) -> list[tuple]:
    """Each downstream part of a split: ``(split row, stage, factor by bound, basis)``."""
    parts = []
    for s in sp.itertuples(index=False):
        if s.as_product not in prods.index:
            raise HilirDataError(f"split of {rec.product!r}: unknown as_product {s.as_product!r}")
        stage = str(prods.loc[s.as_product, "stage"])
        if stage not in ("intermediate", "processed"):
            raise HilirDataError(f"split part {s.as_product!r} must be downstream, not {stage!r}")
        own = all(
            c in sp.columns and pd.notna(getattr(s, c, np.nan))
            for c in ("factor_low", "factor_central", "factor_high")
        )
        if own:
            fac = {b: float(getattr(s, f"factor_{b}")) for b in BOUNDS}
            basis = str(getattr(s, "factor_basis", ""))
        else:
            fac, basis = factor_bounds(rec.chain, s.as_product, stage, rec.year, factors=factors)
        parts.append((s, stage, fac, basis))
    return parts


def _raw_product(chain: str) -> str:
    from hilir.registry.queries import chain_row

    return str(chain_row(chain)["raw_product"])


def stage_table(
    exports: pd.DataFrame,
    *,
    chain: str | list[str] | None = None,
    factors: pd.DataFrame | None = None,
    estimates: pd.DataFrame | None = None,
    prices: pd.DataFrame | None = None,
    splits: pd.DataFrame | Literal["default"] | None = "default",
    preferred_only: bool = True,
    reporter: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """A chain's exports by product, stage, year and bound, in USD and raw-equivalent tonnes.

    Parameters
    ----------
    exports : pandas.DataFrame
        Tidy exports with ``chain``, ``product``, ``stage`` (product weight).
    chain : str or list of str, optional
        Keep these chains.
    factors, estimates, prices
        Conversion factors; see :func:`hilir.value.resolve_factors`.
    splits : pandas.DataFrame, None or "default", default "default"
        Stage splits of mixed items (:func:`default_splits` layout). ``None`` excludes every
        mixed item; ``"default"`` uses the shipped, cited splits.
    preferred_only : bool, default True
        Keep only preferred rows (no flow counted twice).
    reporter : str or list of str, optional
        Reporters whose chains are analysed (ISO alpha-3 codes, ``ID-..`` provinces).
        Default: taken from the data. A table holding Indonesia or its provinces (``IDN``
        and ``ID-..`` codes, the shipped data) is analysed for them only: other countries'
        rows in the shipped export table are market context (``comtrade_world_7218``
        holds some 150 countries' HS 7218 exports, mapped to the nickel chain's
        ``stainless_semis``), not an export chain: a country with only stainless semis
        would show a processing share of 1 and no raw stage. A table without Indonesian
        rows (your own country's UN Comtrade file) is analysed for every reporter it
        holds, each under its own code. Pass codes to choose.

    Returns
    -------
    pandas.DataFrame
        ``reporter, geography, source, chain, product, stage, year, bound, value_usd,
        quantity_t, factor_t_raw_per_t, raw_equivalent_t, factor_basis, assumption``.
        Mixed items without a split are left out; ``excluded_mixed`` in ``attrs`` lists
        them as (product, year); ``excluded_reporters`` the reporters left out and
        ``reporters`` the reporters kept. A product-year whose net weight is missing has
        missing ``quantity_t`` and ``raw_equivalent_t`` (never 0).
    """
    if not (splits is None or isinstance(splits, pd.DataFrame)):
        check_choice("splits", splits, ("default",))
    annual = annual_products(exports, chain=chain, preferred_only=preferred_only)
    annual, other_reporters = keep_reporters(annual, analysed_reporters(annual, reporter))
    is_mixed = annual["stage"].eq("mixed").to_numpy(dtype=bool)
    plain = annual[~is_mixed]
    mixed = annual[is_mixed]
    parts = []
    if not plain.empty:
        fac = resolve_factors(
            plain, factors=factors, estimates=estimates, prices=prices, on_none="nan"
        )
        parts.append(expand_bounds(plain, fac).assign(assumption=""))
    excluded = mixed
    if not mixed.empty and splits is not None:
        sp = default_splits() if isinstance(splits, str) else splits
        expanded, excluded = _split_rows(mixed, sp, factors)
        if not expanded.empty:
            parts.append(expanded)
    cols = [*BASE_COLUMNS, "assumption"]
    if not parts:
        out = empty_frame(cols)
    else:
        out = pd.concat(parts, ignore_index=True)
        out["raw_equivalent_t"] = raw_tonnes(out["quantity_t"], out["factor_t_raw_per_t"])
        out = out[cols]
        out["year"] = out["year"].astype("int64")
    out.attrs["excluded_mixed"] = [
        (str(r.product), int(r.year)) for r in excluded.itertuples(index=False)
    ]
    out.attrs["source"] = join_sources(annual["source"]) if not annual.empty else ""
    out.attrs["excluded_reporters"] = other_reporters
    out.attrs["reporters"] = data_reporters(annual)
    return out.reset_index(drop=True)
