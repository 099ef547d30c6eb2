"""Public loaders: the processed tidy tables, built from the raw inputs when missing or stale."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Literal

import pandas as pd

from hilir.errors import HilirDataError
from hilir.paths import processed_dir

Geography = Literal["IDN", "ID-LA"]


def ensure_built(*, progress: bool = False) -> Path:
    """Build the processed data if it is missing or out of date; return its folder."""
    from hilir.data.pipeline import build

    build(progress=progress)
    return processed_dir()


@lru_cache(maxsize=16)
def _read_parquet(path: str, mtime_ns: int) -> pd.DataFrame:
    return pd.read_parquet(path)


def _table(name: str) -> pd.DataFrame:
    folder = ensure_built()
    path = folder / f"{name}.parquet"
    if not path.is_file():
        raise HilirDataError(f"no input feeds the {name!r} table", path=path)
    return _read_parquet(str(path), path.stat().st_mtime_ns).copy()


def _filter(
    df: pd.DataFrame, column: str, wanted: str | Iterable[str] | Iterable[int] | None
) -> pd.DataFrame:
    if wanted is None:
        return df
    values: list[str | int] = [wanted] if isinstance(wanted, str) else list(wanted)
    unknown = sorted(set(values) - set(df[column].dropna().unique()))
    if unknown:
        have = ", ".join(sorted(map(str, df[column].dropna().unique())))
        raise HilirDataError(f"no {column} {unknown} in the data; available: {have}")
    return df[df[column].isin(values)]


def load_trade(
    *,
    flow: Literal["export", "import"] | None = None,
    chain: str | Iterable[str] | None = None,
    product: str | Iterable[str] | None = None,
    source: str | Iterable[str] | None = None,
    reporter: str | Iterable[str] | None = None,
    preferred_only: bool = False,
) -> pd.DataFrame:
    """The tidy trade table of every source, joined with the registry.

    Parameters
    ----------
    flow : {"export", "import"}, optional
        Keep one flow.
    chain, product, source, reporter : str or iterable of str, optional
        Keep these registry chains, products, provenance keys or reporters (``IDN``,
        ``ID-LA``). An unknown value is an error, not an empty result.
    preferred_only : bool, default False
        Keep only rows of the preferred source for each flow, so sums never count a flow
        twice.

    Returns
    -------
    pandas.DataFrame
        Columns of the tidy trade table (``value_usd`` in USD, ``net_weight_kg`` in kg)
        plus ``chain``, ``product``, ``stage`` and ``preferred``.
    """
    df = _table("trade")
    if flow is not None:
        df = df[df["flow"] == flow]
    for column, wanted in (
        ("chain", chain),
        ("product", product),
        ("source", source),
        ("reporter", reporter),
    ):
        df = _filter(df, column, wanted)
    if preferred_only:
        df = df[df["preferred"]]
    return df.reset_index(drop=True)


def load_exports(
    *,
    chain: str | Iterable[str] | None = None,
    product: str | Iterable[str] | None = None,
    source: str | Iterable[str] | None = None,
    reporter: str | Iterable[str] | None = None,
    preferred_only: bool = False,
) -> pd.DataFrame:
    """Exports of every source, with ``chain``, ``product``, ``stage`` and ``preferred``.

    Builds the processed data first if it is missing or out of date. Every source is
    returned; ``preferred`` marks the rows to use so a flow reported by two sources (UN
    Comtrade and FAOSTAT green coffee) is not counted twice. The world row
    (``partner == "WLD"``, ``partner_type == "world"``) is a total and partner rows are its
    detail: sum one or the other, never both.

    Parameters
    ----------
    chain, product, source, reporter : str or iterable of str, optional
        Filters; see :func:`load_trade`.
    preferred_only : bool, default False
        Keep only preferred rows.

    Returns
    -------
    pandas.DataFrame
        One row per (source, year, month, reporter, partner, hs_code, item_code);
        ``value_usd`` in current US dollars, ``net_weight_kg`` in kilograms.

    Examples
    --------
    >>> import hilir
    >>> ni = hilir.load_exports(product="ferronickel")           # doctest: +SKIP
    """
    return load_trade(
        flow="export",
        chain=chain,
        product=product,
        source=source,
        reporter=reporter,
        preferred_only=preferred_only,
    )


def load_production(
    *,
    geo: str | Iterable[str] | None = None,
    crop: str | Iterable[str] | None = None,
    source: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """Crop production (t) and area (ha) by year and geography.

    Parameters
    ----------
    geo : str or iterable of str, optional
        ``IDN``, ``ID-LA`` (Lampung province) or regency codes ``ID-LA-<slug>``.
    crop, source : str or iterable of str, optional
        Crop keys or provenance keys.

    Returns
    -------
    pandas.DataFrame
        The production table: ``production_t`` in tonnes, ``area_ha`` in hectares, with
        ``scope`` (BPS Lampung tables cover smallholders only) and quality ``flag``.
    """
    df = _table("production")
    for column, wanted in (("geo", geo), ("crop", crop), ("source", source)):
        df = _filter(df, column, wanted)
    return df.reset_index(drop=True)


def load_prices(
    *,
    series: str | Iterable[str] | None = None,
    frequency: Literal["annual", "monthly"] | None = None,
) -> pd.DataFrame:
    """World Bank Pink Sheet prices and indices.

    Parameters
    ----------
    series : str or iterable of str, optional
        Series codes (``NICKEL``, ``PALM_OIL``, ``COFFEE_ROBUS``, ``MUV`` ...).
    frequency : {"annual", "monthly"}, optional
        Published annual averages (``month`` empty) or monthly prices. For annual prices by
        the project's one rule (published average, else the mean of twelve months) use
        :func:`hilir.prices.annual_prices`.

    Returns
    -------
    pandas.DataFrame
        The prices table; ``price`` in the ``unit`` of its row, ``basis`` the definition.
    """
    if frequency not in (None, "annual", "monthly"):
        raise HilirDataError(f"frequency must be 'annual' or 'monthly', not {frequency!r}")
    df = _filter(_table("prices"), "series", series)
    if frequency == "annual":
        df = df[df["month"].isna()]
    elif frequency == "monthly":
        df = df[df["month"].notna()]
    return df.reset_index(drop=True)


def load_balances(
    *,
    attribute: str | Iterable[str] | None = None,
    reporter: str | Iterable[str] | None = None,
    source: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """Coffee balances (USDA PSD, ICO) in tonnes of green-bean equivalent."""
    df = _table("balances")
    for column, wanted in (("attribute", attribute), ("reporter", reporter), ("source", source)):
        df = _filter(df, column, wanted)
    return df.reset_index(drop=True)


def load_published() -> pd.DataFrame:
    """Published export figures for Lampung and Indonesia, as quoted (hold-out checks)."""
    return _table("published").reset_index(drop=True)


def load_bi_exports(
    *,
    commodity: str | Iterable[str] | None = None,
    period: Literal["annual", "jan-may"] | str | None = None,
) -> pd.DataFrame:
    """Bank Indonesia exports by commodity group, 2020-2024 and January-May 2024 and 2025.

    Balance-of-payments commodity groups, **not HS codes** ("Nickel" is about HS 75;
    "Iron/steel" holds ferro-nickel, NPI and stainless steel): a table of their own, never
    mixed into :func:`load_trade`. Chains and stages come from
    :func:`hilir.value.bi_series.bi_chain_series`, for the groups whose mapping is sound.

    Parameters
    ----------
    commodity : str or iterable of str, optional
        Keep these commodity groups, as printed ("Coffee bean", "Palm oils", ...).
    period : str, optional
        ``"annual"`` or a partial period such as ``"jan-may"``.

    Returns
    -------
    pandas.DataFrame
        The ``bi_exports`` table: ``year, period, month_from, month_to, sector, commodity,
        line, value_usd`` (current US dollars), ``preliminary``, ``basis``, ``source``.

    Examples
    --------
    >>> import hilir
    >>> hilir.load_bi_exports(commodity="Coffee bean", period="annual")  # doctest: +SKIP
    """
    df = _table("bi_exports")
    for column, wanted in (("commodity", commodity), ("period", period)):
        df = _filter(df, column, wanted)
    return df.reset_index(drop=True)


def load_port_exports(
    *,
    hs2: str | Iterable[str] | None = None,
    geography: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """BPS exports by HS chapter loaded at Lampung's ports, with national chapter totals.

    Exports **loaded at Lampung's ports** (Panjang, Tarahan), by destination, 2023-2025:
    a port of loading is not the province of origin (Panjang also ships goods from South
    Sumatra and Bengkulu; some Lampung goods leave through Jakarta), so ``basis`` says
    ``port of loading`` on every port row. National totals by chapter (all ports) have
    partner ``WLD``, port ``ALL`` and geography ``IDN``. A table of its own, never mixed
    into :func:`load_trade`; summaries: :func:`hilir.markets.ports.lampung_ports_summary`.

    Parameters
    ----------
    hs2 : str or iterable of str, optional
        Keep these HS chapters (``"09"``, ``"15"``, ``"21"``).
    geography : str or iterable of str, optional
        ``"ID-LA"`` (rows of Lampung's ports) or ``"IDN"`` (national totals).

    Returns
    -------
    pandas.DataFrame
        The ``port_exports`` table: ``year, hs2, partner, partner_type, partner_name, port,
        geography, basis, flow, value_usd`` (FOB, current US dollars), ``source``.
    """
    df = _table("port_exports")
    for column, wanted in (("hs2", hs2), ("geography", geography)):
        df = _filter(df, column, wanted)
    return df.reset_index(drop=True)


def load_bps_destinations(*, years: Iterable[int] | None = None) -> pd.DataFrame:
    """BPS exports by main destination kept apart from the trade table (green coffee, 2000-2023).

    The BPS table "Ekspor Kopi Menurut Negara Tujuan Utama, 2000-2023": its totals are green
    coffee (HS 0901.11, equal to UN Comtrade's 090111 world rows in 2005 and 2010), by 17
    destinations. ``partner`` ``WLD`` is the printed total (``Jumlah``); from 2012 the
    printed ``Lainnya`` row contradicts it and is left out (the sidecar notes the gaps). Not
    in :func:`load_trade`: FAOSTAT and UN Comtrade already cover these flows to 2020, and
    green coffee alone after 2020 would make the coffee chain's processed share 0 %. Use it
    for destination profiles: ``hilir.markets.destinations(load_bps_destinations(),
    product="coffee_green")``.

    Parameters
    ----------
    years : iterable of int, optional
        Keep these years.

    Returns
    -------
    pandas.DataFrame
        The trade table's columns (``value_usd`` FOB in USD, ``net_weight_kg`` in kg) plus
        the registry's ``chain``, ``product`` and ``stage``.
    """
    from hilir.registry.tables import map_products

    df = _table("bps_destinations")
    if years is not None:
        df = _filter(df, "year", [int(y) for y in years])
    return map_products(df).reset_index(drop=True)
