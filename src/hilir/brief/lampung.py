"""What the briefs can say about Lampung from the data that exist for Lampung.

The shipped data hold no Lampung exports by commodity. The Lampung brief and the jobs brief
therefore work from what exists: BPS Lampung production by regency and province, the BPS
Lampung 2010 input-output table with Sakernas workers, and the monthly export totals BPS
Lampung published (as quoted in the press). Where a national figure is needed (a unit
value), it is named as Indonesia's.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from hilir.errors import HilirDataError
from hilir.trade import published_monthly_totals

#: Province-level production crops -> registry chain and raw product.
CROP_CHAIN: dict[str, tuple[str, str]] = {
    "coffee": ("coffee", "coffee_green"),
    "coffee_robusta": ("coffee", "coffee_green"),
    "pepper": ("spices", "pepper_whole"),
    "rubber": ("rubber", "rubber_dry"),
    "oil_palm": ("palm_oil", "cpo"),
    "cocoa": ("cocoa", "cocoa_beans"),
}


def province_production(
    production: pd.DataFrame, *, crop: str, year: int, geo: str = "ID-LA"
) -> pd.Series:
    """One crop's province-level production row (t) in a year.

    Parameters
    ----------
    production : pandas.DataFrame
        ``hilir.load_production()``.
    crop : str
        Crop key of the province table (``coffee``, ``pepper``, ``rubber``, ``oil_palm``).
    year : int
    geo : str, default "ID-LA"

    Returns
    -------
    pandas.Series
        The row (``production_t``, ``scope``, ``source`` ...).

    Raises
    ------
    HilirDataError
        No province row for the crop and year (the message lists the years there are).
    """
    df = production[
        (production["geo"] == geo)
        & (production["crop"] == crop)
        & production["production_t"].notna()
    ]
    if df.empty:
        raise HilirDataError(f"no province-level production of {crop!r} for {geo}")
    hit = df[df["year"] == year]
    if hit.empty:
        years = sorted(int(y) for y in df["year"].unique())
        raise HilirDataError(f"no {geo} production of {crop!r} in {year}; years: {years}")
    return hit.iloc[-1]


def latest_scenario_year(
    production: pd.DataFrame, exports: pd.DataFrame, *, crop: str, geo: str = "ID-LA"
) -> int:
    """The newest year a province scenario can use: its production and the raw unit value.

    A province scenario (:func:`production_scenario`) sizes the raw volume by the province's
    production of ``crop`` and values it at the national raw export unit value of the same
    year, so it needs both; the newest year with both is its base year (the shipped data:
    Lampung robusta to 2022, Indonesia's green-coffee trade to 2020, so 2020).

    Raises
    ------
    HilirDataError
        No year has both (the message gives the years of each).
    """
    _chain, raw = CROP_CHAIN[crop]
    prod = production[(production["geo"] == geo) & (production["crop"] == crop)
                      & production["production_t"].notna()]  # fmt: skip
    ex = exports[(exports["product"].astype(str) == raw) & (exports["value_usd"] > 0)]
    if "partner" in ex.columns:
        ex = ex[ex["partner"].astype(str) == "WLD"]
    both = set(prod["year"].astype(int)) & set(ex["year"].astype(int))
    if not both:
        raise HilirDataError(
            f"no year has both {geo} production of {crop!r} "
            f"({sorted(set(prod['year'].astype(int)))}) and exports of {raw!r} "
            f"({sorted(set(ex['year'].astype(int)))[-5:]} ...)"
        )
    return max(both)


def raw_unit_value_range(
    exports: pd.DataFrame, *, product: str, year: int, window: int = 3
) -> tuple[tuple[float, float, float], str]:
    """National raw export unit value (USD/t): (min, year's value, max) over ``window`` years.

    Returns
    -------
    ((float, float, float), str)
        The range and the provenance key(s) of the trade data used.
    """
    from hilir.value import unit_values

    rows = exports[exports["product"] == product]
    if rows.empty:
        raise HilirDataError(f"no exports of {product!r}")
    uv = unit_values(rows, preferred_only=True)
    uv = uv[
        uv["unit_value_usd_per_t"].notna() & (uv["year"] <= year) & (uv["year"] > year - window)
    ]
    if year not in set(uv["year"].astype(int)):
        raise HilirDataError(f"no {product!r} unit value in {year}")
    sums = uv.groupby("year")[["value_usd", "quantity_t"]].sum()
    by_year = sums["value_usd"] / sums["quantity_t"]
    cen = float(by_year.loc[year])
    keys = "+".join(sorted(set(uv["source"].astype(str))))
    return (float(by_year.min()), cen, float(by_year.max())), keys


def production_scenario(
    exports: pd.DataFrame,
    production: pd.DataFrame,
    *,
    crop: str,
    year: int,
    shares: float | Iterable[float],
    geo: str = "ID-LA",
    target: str | None = None,
    value_added: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """A province scenario sized by its production: a share processed at home, not shipped raw.

    Lampung has no commodity export data, so the raw volume is the province's production
    (BPS Lampung, smallholders) in ``year``, valued at Indonesia's raw export unit value
    (the year's value in every bound: :func:`hilir.value.scenario` takes its range from
    same-year unit-value ratios). The processed product's unit value and factor are
    Indonesia's (trade data or cited assumptions, as :func:`hilir.value.scenario` finds
    them). The result is labelled with the province.

    Parameters
    ----------
    exports : pandas.DataFrame
        National exports (``hilir.load_exports(reporter="IDN")``).
    production : pandas.DataFrame
        ``hilir.load_production()``.
    crop : str
        Province crop key (:data:`CROP_CHAIN`).
    year : int
        Production year; also the base year of the national unit values.
    shares : float or iterable of float
    geo : str, default "ID-LA"
    target : str, optional
        Processed product (default as :func:`hilir.value.scenario`).
    value_added : pandas.DataFrame, optional
        Domestic value-added shares (``hilir.value.io_value_added_shares`` of the
        province's input-output table), passed to :func:`hilir.value.scenario`.

    Returns
    -------
    pandas.DataFrame
        :func:`hilir.value.scenario` output with ``reporter`` = ``geo`` and ``geography`` =
        the province name; ``source`` holds the production and trade provenance keys.
    """
    from hilir.value import scenario

    if crop not in CROP_CHAIN:
        raise HilirDataError(f"crop {crop!r} has no chain; known: {sorted(CROP_CHAIN)}")
    chain, raw = CROP_CHAIN[crop]
    row = province_production(production, crop=crop, year=year, geo=geo)
    uv, uv_keys = raw_unit_value_range(exports, product=raw, year=year)
    res = scenario(
        exports,
        chain=chain,
        year=year,
        shares=shares,
        target=target,
        raw_exports_t=float(row["production_t"]),
        raw_unit_value_usd_per_t=uv,
        raw_source=f"{row['source']}+{uv_keys}",
        value_added=value_added,
    )
    res["reporter"] = geo
    res["geography"] = {"ID-LA": "Lampung"}.get(geo, geo)
    res.attrs["raw_basis"] = "production"
    return res


def province_production_table(
    production: pd.DataFrame, *, year: int | None = None, geo: str = "ID-LA"
) -> pd.DataFrame:
    """Province-level production (t) and area (ha) of every crop in one year.

    Returns
    -------
    pandas.DataFrame
        ``year, crop, production_t, area_ha, scope, source``, largest production first.
    """
    df = production[(production["geo"] == geo)]
    if df.empty:
        raise HilirDataError(f"no province rows for {geo}")
    yr = int(df.loc[df["production_t"].notna(), "year"].max()) if year is None else int(year)
    df = df[df["year"] == yr]
    prod = df[df["production_t"].notna()][["crop", "production_t", "scope", "source"]]
    area = df[df["area_ha"].notna()][["crop", "area_ha", "source"]].rename(
        columns={"source": "area_source"}
    )
    out = prod.merge(area, on="crop", how="left")
    out["source"] = [
        "+".join(sorted({str(a), str(b)} - {"nan", "<NA>", "None"}))
        for a, b in zip(out["source"], out["area_source"], strict=True)
    ]
    out.insert(0, "year", yr)
    out = out.drop(columns=["area_source"]).sort_values("production_t", ascending=False)
    return out.reset_index(drop=True)


def import_example(key: str = "bps_lampung_prod_kabkota_2022") -> dict[str, Any]:
    """How a BPS Lampung download enters hilir, shown on a shipped BPS Lampung file.

    ``hilir data import`` reads a download with the reader named in the command and writes
    a copy with a provenance sidecar to ``data/user/``. This function runs the same reader
    on the shipped copy of a BPS Lampung download (nothing is written), so a brief can show
    the command and the tidy table it yields.

    Returns
    -------
    dict
        ``reader`` (name), ``file`` (file name), ``options`` (reader options as
        ``NAME=VALUE`` strings), ``command`` (the ``hilir data import`` line),
        ``table`` (the tidy rows the reader returns) and ``record`` (the provenance).
    """
    from hilir.data.pipeline import discover_inputs
    from hilir.sources.catalog import READERS

    recs = {r.key: r for r in discover_inputs(include_user=False)}
    if key not in recs:
        raise HilirDataError(f"no shipped file with key {key!r}")
    rec = recs[key]
    reader = READERS[rec.reader].function()
    args = dict(rec.reader_args or {})
    table = reader(rec.data_path, source=rec.key, **args)
    options = [f"{k}={v}" for k, v in args.items()]
    cmd = " ".join(["hilir data import", rec.reader, rec.file, *[f"--option {o}" for o in options]])
    return {
        "reader": rec.reader,
        "file": rec.file,
        "options": options,
        "command": cmd,
        "table": table,
        "record": rec,
    }


def top_sectors(multipliers: pd.DataFrame, *, column: str, n: int = 10) -> pd.DataFrame:
    """The ``n`` sectors with the largest value of a multiplier column (NA rows dropped)."""
    if column not in multipliers.columns:
        raise HilirDataError(f"no column {column!r} in the multipliers")
    df = multipliers.dropna(subset=[column]).sort_values(column, ascending=False).head(n)
    return df.reset_index(drop=True)


def show_multipliers(top: pd.DataFrame, *, lang: str) -> pd.DataFrame:
    """Formatted cells of a multiplier table (sector, output multiplier, jobs per Rp 1 billion).

    Parameters
    ----------
    top : pandas.DataFrame
        Rows of :func:`hilir.jobs.sector_multipliers` (BPS table in juta Rp).
    lang : {"id", "en"}

    Returns
    -------
    pandas.DataFrame
        ``sector, output_multiplier, jobs_per_billion, employment_type_i`` as text;
        headers in ``attrs["labels"]``. Jobs per Rp 1 billion of final demand =
        ``employment_multiplier`` (persons per juta Rp) x 1,000.
    """
    from hilir.brief.texts import say
    from hilir.i18n import format_number
    from hilir.i18n.catalog import check_lang

    check_lang(lang)
    name = "name_id" if lang == "id" else "name_en"
    out = pd.DataFrame(
        {
            "sector": top[name].astype(str).to_numpy(),
            "output_multiplier": [
                format_number(float(v), lang=lang, decimals=2) for v in top["output_multiplier"]
            ],
            "jobs_per_billion": [
                format_number(float(v) * 1000.0, lang=lang, decimals=1)
                for v in top["employment_multiplier"]
            ],
            "employment_type_i": [
                format_number(float(v), lang=lang, decimals=2) for v in top["employment_type_i"]
            ],
        }
    )
    out.attrs["labels"] = {c: say(f"jobs.col.{c}", lang) for c in out.columns}
    return out


def show_province_production(table: pd.DataFrame, *, lang: str) -> pd.DataFrame:
    """Formatted cells of :func:`province_production_table` (crop names in ``lang``)."""
    from hilir.brief.texts import say
    from hilir.i18n import format_number
    from hilir.i18n.catalog import check_lang
    from hilir.i18n.labels import cell_label

    check_lang(lang)
    out = pd.DataFrame(
        {
            "crop": [cell_label("crop", c, lang) for c in table["crop"]],
            "production": [
                format_number(float(v), lang=lang, decimals=0) for v in table["production_t"]
            ],
            "area": [
                "-" if pd.isna(v) else format_number(float(v), lang=lang, decimals=0)
                for v in table["area_ha"]
            ],
            "scope": [
                say(f"say.regency.scope_{'smallholder' if s == 'smallholder' else 'all'}", lang)
                for s in table["scope"]
            ],
        }
    )
    out.attrs["labels"] = {c: say(f"lampung.col.{c}", lang) for c in out.columns}
    return out


def show_import_rows(rows: pd.DataFrame, *, lang: str) -> pd.DataFrame:
    """Formatted cells of the first rows of an imported production table."""
    from hilir.brief.texts import say
    from hilir.i18n import format_number
    from hilir.i18n.catalog import check_lang
    from hilir.i18n.labels import cell_label

    check_lang(lang)
    out = pd.DataFrame(
        {
            "year": rows["year"].astype(int).astype(str).to_numpy(),
            "geo_name": rows["geo_name"].astype(str).to_numpy(),
            "crop": [cell_label("crop", c, lang) for c in rows["crop"]],
            "production": [
                "-" if pd.isna(v) else format_number(float(v), lang=lang, decimals=0)
                for v in rows["production_t"]
            ],
        }
    )
    out.attrs["labels"] = {c: say(f"lampung.col.{c}", lang) for c in out.columns}
    return out


def monthly_totals(published: pd.DataFrame, *, region: str = "ID-LA") -> pd.DataFrame:
    """Published monthly export totals of ``region`` for :func:`hilir.plots.plot_monthly_totals`.

    Parameters
    ----------
    published : pandas.DataFrame
        ``hilir.load_published()``.
    region : str, default "ID-LA"

    Returns
    -------
    pandas.DataFrame
        :func:`hilir.trade.published_monthly_totals` (``region, year, month, value_usd``
        in USD, ``quoted_source, url, source``).

    Raises
    ------
    HilirDataError
        The region has no published single-month total.
    """
    totals = published_monthly_totals(published, region=region)
    if totals.empty:
        raise HilirDataError(f"no published monthly export totals for {region}")
    return totals


def gated_jobs(jobs: pd.DataFrame, scenario: pd.DataFrame, *, share: float) -> pd.DataFrame:
    """The province's scenario jobs, or none of them when the scenario fails the gate.

    The key messages already withhold a Lampung scenario and its jobs when they fail a
    plausibility check (:func:`hilir.brief.narrative.jobs_headline`); a summary table must
    not quote them either (issue 15: the overview's table showed the jobs of a Lampung
    roasting scenario 5.35 times Indonesia's roasted-coffee exports).

    Parameters
    ----------
    jobs : pandas.DataFrame
        :func:`hilir.jobs.jobs_from_scenario` output of the province scenario (one chain).
    scenario : pandas.DataFrame
        The value scenario the jobs come from (:func:`production_scenario`).
    share : float
        Scenario share quoted (0-1).

    Returns
    -------
    pandas.DataFrame
        ``jobs`` unchanged when every check passes; otherwise no rows. ``attrs`` holds
        ``withheld`` (chain -> failed checks) and ``geography``, which
        :func:`hilir.brief.overview.withheld_note` turns into the reason.
    """
    from hilir.brief.narrative.jobs import jobs_headline

    headline = jobs_headline(jobs, lang="en", share=share, scenario=scenario)
    failed = list(headline.failed)
    out = jobs.iloc[0:0].copy() if failed else jobs.copy()
    first = jobs.iloc[0]  # jobs_headline has refused an empty table
    out.attrs = {
        "withheld": {str(first["chain"]): failed} if failed else {},
        "geography": str(first["geography"]),
    }
    return out
