"""Concentration and diversification: Herfindahl-Hirschman index over markets or products.

Indices (pure functions of a list of values or shares, in
:mod:`hilir.markets.concentration_indices`):

- :func:`hhi`: the Herfindahl-Hirschman index, the sum of squared shares, between 1/n
  (n equal items) and 1 (one item);
- :func:`normalised_hhi`: (HHI - 1/n) / (1 - 1/n), between 0 (equal shares) and 1;
- :func:`unctad_index`: UNCTAD's concentration index, the normalised *square root* form;
- :func:`equivalent_number`: 1 / HHI, the number of equal markets with the same HHI.

Tables: :func:`concentration_table` (any long table), :func:`market_concentration`
(destinations of a product), :func:`product_concentration` (an export basket),
:func:`concentration_change` and the plain-language :func:`concentration_reading`.

Residual rows ("Others", "Other Asia, nes", the unallocated part of a world total) hide
markets. They are kept as one item in ``hhi`` (an upper bound: splitting a residual can only
lower the sum of squares) and dropped from ``hhi_low`` (the lower bound: a residual spread
over ever more, ever smaller markets adds nothing); every result says whether a residual is
present and how large it is.

References
----------
Hirschman, A. O. (1945). *National Power and the Structure of Foreign Trade*. University of
California Press. Herfindahl, O. C. (1950). *Concentration in the U.S. Steel Industry*. PhD
thesis, Columbia University.
UNCTAD, *Handbook of Statistics*, "Calculation methods" (hbs.unctad.org/calculation-methods):
the market and product concentration indices of exports are normalised
Herfindahl-Hirschmann indices; the World Bank's WDI description of the UNCTAD series states
the square-root form ("the square root of the sum of the squared shares"), with values from
0 to 1, 1 meaning a single product (or market). No official UNCTAD threshold separating
"concentrated" from "diversified" was found; the thresholds of antitrust merger guidelines
are about firms in one market and are not used here.
Adelman, M. A. (1969). Comment on the "H" concentration measure as a numbers-equivalent.
*Review of Economics and Statistics* 51(1), 99-101 (1 / HHI as an equivalent number).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from hilir.checks import geography_name
from hilir.errors import HilirDataError
from hilir.markets._frames import (
    select_items,
    select_years,
)
from hilir.markets.concentration_indices import (
    normalised_hhi,
    unctad_index,
)
from hilir.provenance.keys import join_sources
from hilir.trade import (
    TRADE_REQUIRED,
    check_trade_frame,
    exports_only,
    product_totals,
)

RESULT_COLUMNS = [
    "reporter",
    "geography",
    "scope",
    "year",
    "n_items",
    "n_named",
    "hhi",
    "hhi_low",
    "hhi_normalised",
    "unctad_index",
    "equivalent_number",
    "top_item",
    "top_share",
    "has_residual",
    "residual_share",
    "residual_items",
    "total_usd",
    "source",
    "latest_year",
]


# --- tables ----------------------------------------------------------------------------------


def concentration_table(
    frame: pd.DataFrame,
    *,
    item: str = "partner",
    group: Sequence[str] = ("reporter", "year"),
    value: str = "value_usd",
    residual: str | None = "partner_type",
    scope: str | None = None,
) -> pd.DataFrame:
    """HHI and its companions for every group of a long table.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per group and item (:func:`hilir.markets.destinations` output, or a
        product basket), with ``item``, ``group``, ``value`` and ``source`` columns.
    item : str, default "partner"
        The column whose values are the markets or products.
    group : sequence of str, default ("reporter", "year")
        One index per group.
    value : str, default "value_usd"
        Non-negative amounts (USD).
    residual : str or None, default "partner_type"
        Column marking residual rows with the value ``residual``; ``None`` when the items
        have no residuals (products).
    scope : str, optional
        Label of what is measured (``coffee_green``, ``basket``), for the ``scope`` column;
        default the frame's ``scope`` column, else ``""``.

    Returns
    -------
    pandas.DataFrame
        :data:`RESULT_COLUMNS`: ``n_items`` (items with a value, a residual counted as one),
        ``n_named`` (items that are not residuals), ``hhi`` (residual as one item: upper
        bound), ``hhi_low`` (residual left out: lower bound; equal to ``hhi`` without a
        residual), ``hhi_normalised`` and ``unctad_index`` (both from ``hhi`` with
        n = ``n_items``), ``equivalent_number`` (1 / ``hhi``), ``top_item`` and ``top_share``
        (largest named item), ``has_residual``, ``residual_share``, ``residual_items``,
        ``total_usd``, ``source``, ``latest_year``. A group whose values sum to 0 gives
        missing indices.

    Raises
    ------
    HilirDataError
        Missing columns, an empty frame, negative values, or an item twice in a group.
    """
    group = list(group)
    need = [item, value, *group] + ([residual] if residual else [])
    check_trade_frame(frame, need, "the concentration input")
    vals = pd.to_numeric(frame[value], errors="coerce")
    if vals.isna().any():
        raise HilirDataError(f"{value} has missing or non-numeric values")
    if (vals < 0).any():
        raise HilirDataError(f"{value} has negative values: exports are never negative")
    dup = frame.duplicated([*group, item])
    if dup.any():
        first = frame[dup.to_numpy(dtype=bool)].iloc[0]
        raise HilirDataError(
            f"item {first[item]!r} appears twice in group "
            f"{ {g: first[g] for g in group} }: sum it first"
        )
    rows = []
    for key, g in frame.assign(_v=vals.astype(float)).groupby(group, sort=True, dropna=False):
        key = key if isinstance(key, tuple) else (key,)
        g = g[g["_v"] > 0]
        is_res = (
            g[residual].astype("string").eq("residual").fillna(False).to_numpy(dtype=bool)
            if residual
            else np.zeros(len(g), dtype=bool)
        )
        total = float(g["_v"].sum())
        rec: dict[str, object] = dict(zip(group, key, strict=True))
        rec.update(
            n_items=len(g),
            n_named=int((~is_res).sum()),
            total_usd=total,
            has_residual=bool(is_res.any()),
            residual_share=float(g.loc[is_res, "_v"].sum() / total) if total > 0 else np.nan,
            residual_items="+".join(sorted(g.loc[is_res, item].astype(str))),
            source=join_sources(g["source"]) if "source" in g.columns else "",
        )
        if total > 0:
            s = g["_v"].to_numpy() / total
            rec.update(
                hhi=float(np.sum(s**2)),
                hhi_low=float(np.sum(s[~is_res] ** 2)),
                hhi_normalised=normalised_hhi(s, as_shares=True),
                unctad_index=unctad_index(s, as_shares=True),
                equivalent_number=1.0 / float(np.sum(s**2)),
            )
            named = g[~is_res]
            if not named.empty:
                top = named.sort_values(["_v", item], ascending=[False, True]).iloc[0]
                rec.update(top_item=str(top[item]), top_share=float(top["_v"] / total))
        rows.append(rec)
    out = pd.DataFrame(rows)
    for col in RESULT_COLUMNS:
        if col not in out.columns:
            out[col] = np.nan if col not in ("top_item", "residual_items", "source") else ""
    if "reporter" in out.columns:
        out["geography"] = out["reporter"].map(geography_name)
    else:
        out["reporter"], out["geography"] = "", ""
    if scope is not None:
        out["scope"] = scope
    elif "scope" in frame.columns:
        scopes = frame.groupby(group, sort=True, dropna=False)["scope"].first().to_numpy()
        out["scope"] = scopes
    else:
        out["scope"] = ""
    if "year" in out.columns:
        out["latest_year"] = int(out["year"].max())
    cols = [c for c in RESULT_COLUMNS if c in out.columns or c in group]
    extra = [c for c in group if c not in cols]
    return out[extra + cols].reset_index(drop=True)


def market_concentration(
    trade: pd.DataFrame,
    *,
    product: str | Iterable[str] | None = None,
    chain: str | Iterable[str] | None = None,
    reporter: str = "IDN",
    years: Iterable[int] | None = None,
    source: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """Concentration of a product's exports over destination markets, by year.

    Parameters
    ----------
    trade : pandas.DataFrame
        Tidy trade rows with partner detail (``partner``, ``partner_type``).
    product, chain, reporter, years, source
        See :func:`hilir.markets.destinations`.

    Returns
    -------
    pandas.DataFrame
        One row per year; columns of :func:`concentration_table` with ``scope`` the
        product(s) or chain(s) measured. The unallocated part of a world total (partner
        ``XUN``) counts as a residual.

    Examples
    --------
    >>> import hilir
    >>> from hilir.markets import market_concentration
    >>> coal = market_concentration(hilir.load_exports(), product="coal")  # doctest: +SKIP
    """
    from hilir.markets.destination_profiles import destinations

    dest = destinations(
        trade, product=product, chain=chain, reporter=reporter, years=years, source=source
    )
    out = concentration_table(dest, item="partner", group=["reporter", "year"])
    out.attrs["caveats"] = dest.attrs.get("caveats", [])
    return out


def product_concentration(
    trade: pd.DataFrame,
    *,
    reporter: str = "IDN",
    chain: str | Iterable[str] | None = None,
    years: Iterable[int] | None = None,
    level: Literal["product", "chain"] = "product",
) -> pd.DataFrame:
    """Concentration of an export basket over products (or chains), by year.

    Parameters
    ----------
    trade : pandas.DataFrame
        Tidy exports joined with the registry (``chain``, ``product``).
    reporter : str, default "IDN"
        ``IDN`` or a province (``ID-LA``, from a user's BPS import).
    chain : str or iterable of str, optional
        Measure the basket of these chains (one chain: its products); default every chain
        in the data.
    years : iterable of int, optional
        Years to keep.
    level : {"product", "chain"}, default "product"
        Items are registry products, or chains (the products of a chain summed).

    Returns
    -------
    pandas.DataFrame
        One row per year (columns of :func:`concentration_table`, no residuals). The basket
        is the products in the data, not a reporter's whole export basket: shipped data hold
        the registry chains only, so the index measures concentration among them.

    Notes
    -----
    Product totals come from one source each (:func:`hilir.markets._frames.product_totals`:
    preferred rows, world rows before partner sums), so a destination file never doubles a
    world total.
    """
    if level not in ("product", "chain"):
        raise HilirDataError(f"level must be 'product' or 'chain', not {level!r}")
    check_trade_frame(trade, [*TRADE_REQUIRED, "chain", "product"], "the export basket")
    df = exports_only(trade)
    have = sorted(set(df["reporter"].astype(str)))
    if reporter not in have:
        raise HilirDataError(f"the export basket has no rows for reporter {reporter!r}: {have}")
    df = df[df["reporter"].astype(str).eq(reporter).to_numpy(dtype=bool)]
    if chain is not None:
        df, _ = select_items(df, product=None, chain=chain, what="the export basket")
    df = select_years(df, years, "the export basket")
    tot = product_totals(df, what="the export basket")
    tot = tot[tot["chain"].notna()]
    item = "product" if level == "product" else "chain"
    basket = (
        tot.groupby(["reporter", "year", item], sort=True)
        .agg(value_usd=("value_usd", "sum"), source=("source", join_sources))
        .reset_index()
    )
    label = "basket" if chain is None else "+".join([chain] if isinstance(chain, str) else chain)
    out = concentration_table(
        basket, item=item, group=["reporter", "year"], residual=None, scope=label
    )
    return out


def concentration_change(table: pd.DataFrame, *, start: int, end: int) -> pd.DataFrame:
    """Change in concentration between two years of a concentration table.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`concentration_table` (or the market/product variants).
    start, end : int
        The two years.

    Returns
    -------
    pandas.DataFrame
        One row per (reporter, scope): ``hhi_start``, ``hhi_end``, ``hhi_change`` (end -
        start), ``equivalent_start``, ``equivalent_end``, ``n_named_start``,
        ``n_named_end``, ``direction`` (``more_concentrated``, ``more_diversified`` or
        ``unchanged`` for a change under 0.005), ``residual_share_end``, ``source``.
    """
    check_trade_frame(table, ["reporter", "scope", "year", "hhi"], "the concentration table")
    have = {int(y) for y in table["year"]}
    missing = sorted({int(start), int(end)} - have)
    if missing:
        raise HilirDataError(f"years {missing} are absent from the concentration table")
    keys = ["reporter", "geography", "scope"]
    a = table[table["year"] == int(start)].set_index(keys)
    b = table[table["year"] == int(end)].set_index(keys)
    out = pd.DataFrame(
        {
            "hhi_start": a["hhi"],
            "hhi_end": b["hhi"],
            "equivalent_start": a["equivalent_number"],
            "equivalent_end": b["equivalent_number"],
            "n_named_start": a["n_named"],
            "n_named_end": b["n_named"],
            "residual_share_end": b["residual_share"],
            "source": b["source"],
        }
    ).reset_index()
    out["year_start"], out["year_end"] = int(start), int(end)
    out["hhi_change"] = out["hhi_end"] - out["hhi_start"]
    out["direction"] = np.select(
        [out["hhi_change"] > 0.005, out["hhi_change"] < -0.005],
        ["more_concentrated", "more_diversified"],
        default="unchanged",
    )
    return out


def concentration_reading(
    row: pd.Series | dict,
    *,
    lang: Literal["id", "en"] = "id",
    what: str | None = None,
    items: Literal["partner", "product", "chain"] = "partner",
) -> str:
    """One or two plain sentences that read a concentration result, in Indonesian or English.

    The reading uses the numbers-equivalent (1 / HHI: "as concentrated as exports split
    equally among N markets", Adelman 1969) and UNCTAD's 0-1 scale of its concentration
    index (0 = spread evenly, 1 = a single market). UNCTAD sets no threshold between
    "concentrated" and "diversified", so none is invented here; antitrust HHI thresholds are
    not used. When a residual row hides markets the reading names it and gives the HHI
    range (or says the residual moves the HHI by less than 0.001).

    Parameters
    ----------
    row : pandas.Series or dict
        One row of a concentration table.
    lang : {"id", "en"}, default "id"
    what : str, optional
        Name of the exports measured (``"ekspor kopi Indonesia"``); default built from the
        row's scope and geography.
    items : {"partner", "product", "chain"}, default "partner"
        What the items are (markets for destinations, products or commodities for a basket).

    Returns
    -------
    str
    """
    from hilir.i18n import check_lang, format_number, format_percent, t

    check_lang(lang)
    if items not in ("partner", "product", "chain"):
        raise HilirDataError(f"items must be 'partner', 'product' or 'chain', not {items!r}")
    r = dict(row)
    from hilir.i18n.labels import item_label, scope_label

    if what is None:
        what = t(
            "markets.reading.exports_of",
            lang,
            scope=scope_label(str(r.get("scope", "")), lang),
            geo=str(r.get("geography", "")),
        )
    hhi_v = float(r["hhi"])
    text = t(
        "markets.reading.hhi",
        lang,
        what=what,
        year=str(int(r["year"])),
        hhi=format_number(hhi_v, lang=lang, decimals=3),
        n=format_number(float(r["equivalent_number"]), lang=lang, decimals=1),
        unctad=format_number(float(r["unctad_index"]), lang=lang, decimals=2),
        items=t(f"markets.items.{items}", lang),
    )
    if r.get("top_item"):
        top = str(r["top_item"])
        text += " " + t(
            "markets.reading.top",
            lang,
            top=item_label(top, lang),
            share=format_percent(float(r["top_share"]), lang=lang, decimals=0),
        )
    if bool(r.get("has_residual")):
        names = ", ".join(item_label(c, lang) for c in str(r["residual_items"]).split("+") if c)
        low = format_number(float(r["hhi_low"]), lang=lang, decimals=3)
        high = format_number(hhi_v, lang=lang, decimals=3)
        share = format_percent(float(r["residual_share"]), lang=lang, decimals=1)
        if low == high:
            step = format_number(0.001, lang=lang, decimals=3)
            text += " " + t(
                "markets.reading.residual_small", lang, names=names, share=share, step=step
            )
        else:
            text += " " + t(
                "markets.reading.residual", lang, names=names, share=share, low=low, high=high
            )
    return text
