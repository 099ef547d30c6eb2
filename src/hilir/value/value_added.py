"""Domestic value added retained by a scenario: cited shares or input-output coefficients.

A scenario's gross export change counts the whole value of the processed product, also the
imported inputs it needs (synthetic rubber, carbon black and steel cord in a tyre). The
domestic value added retained counts only what stays in the economy:

    delta DVA = d_P x (value of the processed output) - d_R x (value of the raw exports
    forgone),

with d the domestic value-added share of a product's output value (1 minus its import
content). The shares come from a cited row of ``value_assumptions.csv`` (quantity
``domestic_value_added_share``) or, where none is cited, from an input-output table the
caller passes in (:func:`io_value_added_shares`); models never load a table themselves.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from hilir.checks import BOUNDS, require_columns
from hilir.errors import HilirDataError
from hilir.refdata import read_refdata
from hilir.schema.iotable import IOTable

VA_COLUMNS = ("product", "low", "central", "high", "source")


def io_value_added_shares(
    io: IOTable, sector_map: pd.DataFrame | None = None, products: list[str] | None = None
) -> pd.DataFrame:
    """Domestic value-added shares of products' output value from an input-output table.

    Parameters
    ----------
    io : IOTable
        A domestic table at producer prices (``hilir.load_io_table("IDN")`` for national
        scenarios: WIOD 2011; ``"ID-LA"`` for Lampung).
    sector_map : pandas.DataFrame, optional
        ``classification, product, io_code``; rows of the table's classification are used.
        Default the shipped ``refdata/io_sector_map.csv`` (the jobs model's map).
    products : list of str, optional
        Products to keep (default every mapped product).

    Returns
    -------
    pandas.DataFrame
        ``product, io_code, low, central, high, source, geography, year,
        raw_input_coefficient`` with shares of output value (0-1). The last is a_R =
        Z[raw sector, sector] / x[sector], the direct input of the product's raw material
        sector (registry ``raw_product``) per unit of the sector's output (missing for a raw
        product or an unmapped raw material). ``low`` = ``central`` = v (I - A)^-1 for the
        product's sector (domestic value added per unit of output over the whole domestic
        supply chain, so
        imports embodied in domestic inputs count as imports); ``high`` = 1 - m, with m the
        sector's direct imported inputs per unit of output (imports embodied in domestic
        inputs ignored, an upper bound).

    Notes
    -----
    A = Z / x (domestic intermediate inputs per unit of output), v = GVA / x. With a
    balanced table v (I - A)^-1 = 1 - m (I - A)^-1 <= 1 - m. A sector is an average: tyres
    use more imported inputs than the crumb rubber in the same rubber sector, so the share
    of a specific product can be lower; the ``source`` text says so.
    """
    if sector_map is None:
        sector_map = read_refdata("io_sector_map.csv", ("classification", "product", "io_code"))
    require_columns(sector_map, ("classification", "product", "io_code"), "sector map")
    key = io.classification or io.source
    m = sector_map[sector_map["classification"].astype(str) == str(key)]
    if m.empty:
        raise HilirDataError(f"the sector map has no rows for table classification {key!r}")
    if products is not None:
        m = m[m["product"].isin(list(products))]
    codes = io.codes
    x = io.output.reindex(codes).astype(float).to_numpy()
    ok = x > 0
    a = np.zeros((len(codes), len(codes)))
    z = io.Z.reindex(index=codes, columns=codes).astype(float).to_numpy()
    a[:, ok] = z[:, ok] / x[ok]
    gva = io.value_added.loc["gross_value_added"].reindex(codes).astype(float).to_numpy()
    v = np.where(ok, gva / np.where(ok, x, 1.0), 0.0)
    dva = v @ np.linalg.inv(np.eye(len(codes)) - a)
    imp = io.imports.reindex(codes).astype(float).fillna(0.0).to_numpy()
    direct = np.where(ok, 1.0 - imp / np.where(ok, x, 1.0), np.nan)
    pos = {c: i for i, c in enumerate(codes)}
    code_of = dict(zip(m["product"].astype(str), m["io_code"].astype(str), strict=True))
    full = sector_map[sector_map["classification"].astype(str) == str(key)]
    code_of = {**dict(zip(full["product"].astype(str), full["io_code"].astype(str),
                          strict=True)), **code_of}  # fmt: skip
    raw_of = _raw_products()
    rows = []
    for r in m.itertuples(index=False):
        code = str(r.io_code)
        if code not in pos or not ok[pos[code]]:
            continue
        i = pos[code]
        raw = raw_of.get(str(r.product), "")
        rc = code_of.get(raw, "") if raw and raw != str(r.product) else ""
        a_raw = float(a[pos[rc], i]) if rc in pos else np.nan
        lo, hi = float(dva[i]), float(direct[i])
        rows.append(
            {
                "product": str(r.product),
                "io_code": code,
                "low": min(lo, hi),
                "central": min(lo, hi),
                "high": hi,
                "source": (
                    f"{io.source} ({io.geography}, {io.year}): sector {code}; low = central = "
                    "Leontief domestic value-added content, high = 1 - direct import "
                    "coefficient (sector average)"
                ),
                "geography": io.geography,
                "year": int(io.year),
                "raw_input_coefficient": a_raw,
            }
        )
    return pd.DataFrame(rows, columns=[*VA_COLUMNS[:1], "io_code", *VA_COLUMNS[1:],
                                       "geography", "year", "raw_input_coefficient"])  # fmt: skip


def _raw_products() -> dict[str, str]:
    """Registry product -> its raw product (``products.csv`` ``raw_product``)."""
    from hilir.registry.tables import products

    p = products()
    return dict(zip(p["product"].astype(str), p["raw_product"].fillna("").astype(str),
                    strict=True))  # fmt: skip


def margin_share(target: dict[str, float], raw: dict[str, float], a_raw: float) -> dict[str, float]:
    """Domestic value-added share of a processing margin, by bound (share of USD, 0-1).

    Parameters
    ----------
    target : dict
        The processing sector's domestic value-added share of output, by bound.
    raw : dict
        The raw material's, by bound.
    a_raw : float
        The sector's direct input of the raw material per unit of output
        (``raw_input_coefficient``); missing is taken as 0.

    Returns
    -------
    dict
        d_m = (d_P - a_R d_R) / (1 - a_R), clipped to [0, 1]: the sector's share net of the
        raw material it buys, per unit of the rest of its output.

    Examples
    --------
    >>> round(margin_share({"central": 0.6}, {"central": 0.9}, 0.2)["central"], 3)
    0.525
    """
    a = 0.0 if not np.isfinite(a_raw) or not 0.0 <= a_raw < 1.0 else float(a_raw)
    out = {}
    for b, d in target.items():
        dr = raw.get(b, np.nan)
        val = d if a == 0.0 or not np.isfinite(dr) else (d - a * dr) / (1.0 - a)
        out[b] = float(min(max(val, 0.0), 1.0))
    return out


def is_cited_share(product: str, cited: pd.DataFrame) -> bool:
    """True when ``value_assumptions`` cite a (found) domestic value-added share of ``product``."""
    rows = cited[
        (cited["quantity"] == "domestic_value_added_share")
        & (cited["product"] == product)
        & (cited["reliability"] != "not_found")
    ]
    return not rows.empty


def va_share(
    product: str, cited: pd.DataFrame, value_added: pd.DataFrame | None
) -> tuple[dict[str, float], str]:
    """Domestic value-added share of ``product`` by bound and where it comes from.

    A cited ``domestic_value_added_share`` row (found) comes first; else the caller's
    ``value_added`` frame (``product, low, central, high, source``); else missing with the
    reason.
    """
    rows = cited[
        (cited["quantity"] == "domestic_value_added_share")
        & (cited["product"] == product)
        & (cited["reliability"] != "not_found")
    ]
    if not rows.empty:
        r = rows.iloc[0]
        return {b: float(r[b]) for b in BOUNDS}, str(r["source"])
    if value_added is not None:
        require_columns(value_added, VA_COLUMNS, "value_added")
        hit = value_added[value_added["product"] == product]
        if not hit.empty:
            r = hit.iloc[0]
            vals = {b: float(r[b]) for b in BOUNDS}
            if not all(0.0 <= vals[b] <= 1.0 for b in BOUNDS):
                raise HilirDataError(
                    f"value_added shares of {product!r} must lie in [0, 1]: {vals}"
                )
            return vals, str(r["source"])
    return dict.fromkeys(BOUNDS, np.nan), (
        f"no domestic value-added share for {product!r}: no cited share; pass value_added= "
        "(hilir.value.io_value_added_shares of an input-output table)"
    )
