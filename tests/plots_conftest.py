"""Shared pieces of the chart tests: provenance records, small frames, chart cases, baselines.

The frames are small, hand-made and deterministic (no random numbers), shaped like the
outputs of hilir.value, hilir.jobs and hilir.policy. They carry the provenance keys of the
records below, passed to the charts with ``sources=``, so the image baselines depend on
nothing but this file and the pinned library versions.

Regenerate the baselines (after a deliberate change of the charts) with

    python -m tests.regenerate_baselines

or ``HILIR_REGENERATE_BASELINES=1 python -m pytest tests/test_plots_images.py``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from hilir.provenance.sidecar import Provenance

BASELINE_DIR = Path(__file__).parent / "baseline_images"
#: RMS tolerance of the image comparison (0-255 grey levels).
TOLERANCE = 2.0
#: Environment variable that turns the image tests into baseline writers.
REGENERATE_ENV = "HILIR_REGENERATE_BASELINES"
#: Size and resolution of the baselines: small files, every text still legible.
BASELINE_SIZE = "column"
BASELINE_DPI = 100


def regenerating() -> bool:
    """True when the image tests should write baselines instead of comparing."""
    return os.environ.get(REGENERATE_ENV, "") not in ("", "0")


def record(key: str, label_id: str, label_en: str, latest_year: int | None) -> Provenance:
    """A provenance record for test data (never written to disk)."""
    return Provenance(
        key=key,
        file=f"{key}.csv",
        reader="comtrade",
        table="trade",
        publisher="hilir tests",
        title=f"Test table {key}",
        url="https://example.org/hilir-tests",
        taken_from="tests/plots_conftest.py",
        accessed="2024-01-01",
        licence="CC0",
        citation=f"hilir tests, {key}",
        source_label={"id": label_id, "en": label_en},
        geography="IDN",
        coverage="2010-2020",
        latest_year=latest_year,
        sha256="0" * 64,
    )


TRADE = record("test_trade", "UN Comtrade", "UN Comtrade", 2020)
FAO = record("test_fao", "FAOSTAT", "FAOSTAT", 2020)
PRICES = record("test_prices", "Bank Dunia (Pink Sheet)", "World Bank (Pink Sheet)", 2023)
IO = record("test_io", "BPS (Tabel Input-Output)", "BPS (Input-Output Table)", 2010)
PRODUCTION = record("test_production", "BPS Provinsi Lampung", "BPS Lampung Province", 2022)
PUBLISHED = record("test_published", "BPS Provinsi Lampung", "BPS Lampung Province", 2023)
PROCEDURE = record("hilir_export_procedure", "dihimpun hilir", "compiled by hilir", None)
RECORDS = [TRADE, FAO, PRICES, IO, PRODUCTION]


# --- frames ------------------------------------------------------------------------------


def stage_frame() -> pd.DataFrame:
    """Nickel exports by stage, 2010-2020, shaped like hilir.value.stage_shares."""
    rows = []
    for i, year in enumerate(range(2010, 2021)):
        amounts = {
            "raw": 900.0 - 70 * i,
            "intermediate": 80.0 + 60 * i,
            "processed": 20.0 + 25 * i,
            "mixed": 40.0,
        }
        total = sum(amounts.values())
        for stage, amount in amounts.items():
            rows.append(
                (
                    "IDN",
                    "Indonesia",
                    "nickel",
                    year,
                    "central",
                    "value",
                    stage,
                    amount * 1e6,
                    "USD",
                    amount / total,
                    "test_trade",
                    "",
                )
            )
    cols = [
        "reporter",
        "geography",
        "chain",
        "year",
        "bound",
        "measure",
        "stage",
        "amount",
        "unit",
        "share",
        "source",
        "assumption",
    ]
    return pd.DataFrame(rows, columns=cols)


def processing_frame() -> pd.DataFrame:
    """Processed share by chain and year, shaped like hilir.value.processing_share."""
    rows = []
    slopes = {"coffee": 0.004, "rubber": 0.001, "palm_oil": 0.03, "nickel": 0.07, "cocoa": 0.05}
    for chain, slope in slopes.items():
        for i, year in enumerate(range(2005, 2021)):
            share = min(1.0, 0.05 + slope * i)
            for bound in ("low", "central", "high"):
                rows.append(("IDN", "Indonesia", chain, year, bound, share, share, "test_fao"))
    cols = [
        "reporter",
        "geography",
        "chain",
        "year",
        "bound",
        "share_value",
        "share_volume",
        "source",
    ]
    return pd.DataFrame(rows, columns=cols)


def unit_value_frame() -> pd.DataFrame:
    """Nickel unit values, shaped like hilir.value.unit_values."""
    base = {
        "nickel_ore": ("raw", 0.035),
        "ferronickel": ("intermediate", 1.9),
        "nickel_matte": ("intermediate", 8.5),
        "stainless_semis": ("processed", 1.7),
        "stainless_flat": ("processed", 2.2),
    }
    rows = []
    for i, year in enumerate(range(2014, 2021)):
        wiggle = 1.0 + 0.08 * ((i % 3) - 1)
        for product, (stage, uv) in base.items():
            value = 5e8 * (1 + i)
            flag = "tiny_weight" if (product == "nickel_ore" and year == 2020) else ""
            rows.append(
                (
                    "IDN",
                    "Indonesia",
                    "test_trade",
                    "nickel",
                    product,
                    stage,
                    year,
                    value,
                    value / (uv * wiggle),
                    uv * wiggle,
                    flag,
                )
            )
    cols = [
        "reporter",
        "geography",
        "source",
        "chain",
        "product",
        "stage",
        "year",
        "value_usd",
        "net_weight_kg",
        "unit_value_usd_per_kg",
        "flag",
    ]
    return pd.DataFrame(rows, columns=cols)


def uplift_frame() -> pd.DataFrame:
    """Nickel uplift by product and bound, shaped like hilir.value.uplift."""
    central = {
        "ferronickel": 3.7,
        "nickel_matte": 4.4,
        "stainless_semis": 5.3,
        "stainless_flat": 5.7,
    }
    stage = {
        "ferronickel": "intermediate",
        "nickel_matte": "intermediate",
        "stainless_semis": "processed",
        "stainless_flat": "processed",
    }
    rows = []
    for year in (2018, 2019):
        rows.append(
            (
                "IDN",
                "Indonesia",
                "nickel",
                year,
                "nickel_ore",
                "raw",
                "central",
                1.0,
                "trade data",
                None,
                "test_trade",
            )
        )
        for product, value in central.items():
            for bound, factor in (("low", 0.7), ("central", 1.0), ("high", 1.45)):
                basis = "assumption" if product == "nickel_matte" else "trade data"
                mass = 0.08 if product.startswith("stainless") else None
                rows.append(
                    (
                        "IDN",
                        "Indonesia",
                        "nickel",
                        year,
                        product,
                        stage[product],
                        bound,
                        value * factor * (1 if year == 2019 else 0.9),
                        basis,
                        mass,
                        "test_trade",
                    )
                )
    cols = [
        "reporter",
        "geography",
        "chain",
        "year",
        "product",
        "stage",
        "bound",
        "uplift",
        "basis",
        "raw_input_mass_share",
        "source",
    ]
    return pd.DataFrame(rows, columns=cols)


def scenario_frame() -> pd.DataFrame:
    """Coffee scenario by share and bound, shaped like hilir.value.scenario_summary."""
    rows = []
    for share in (0.1, 0.2, 0.3, 0.4, 0.5):
        for bound, per_share in (("low", 150e6), ("central", 460e6), ("high", 1.31e9)):
            rows.append(
                (
                    "coffee",
                    2015,
                    "Indonesia",
                    share,
                    bound,
                    share * per_share,
                    "",
                    "test_trade+test_fao",
                )
            )
    cols = [
        "chain",
        "year",
        "geography",
        "share",
        "bound",
        "delta_value_usd",
        "assumption",
        "source",
    ]
    return pd.DataFrame(rows, columns=cols)


def decomposition_frame() -> pd.DataFrame:
    """Nickel export growth 2005-2019, shaped like hilir.value.decompose_growth."""
    parts = {
        "low": {"volume": 4.9e9, "price": 0.4e9, "mix": 1.8e9},
        "central": {"volume": 5.3e9, "price": 0.1e9, "mix": 1.7e9},
        "high": {"volume": 5.7e9, "price": -0.3e9, "mix": 1.7e9},
    }
    rows = []
    for bound, effects in parts.items():
        total = sum(effects.values())
        for effect, change in [*effects.items(), ("total", total)]:
            rows.append(
                (
                    "IDN",
                    "Indonesia",
                    "nickel",
                    2005,
                    2019,
                    bound,
                    effect,
                    change,
                    0.27e9,
                    0.27e9 + total,
                    "shapley",
                    "test_trade",
                )
            )
    cols = [
        "reporter",
        "geography",
        "chain",
        "year_from",
        "year_to",
        "bound",
        "effect",
        "change_usd",
        "value_usd_from",
        "value_usd_to",
        "method",
        "source",
    ]
    return pd.DataFrame(rows, columns=cols)


def jobs_frame() -> pd.DataFrame:
    """Jobs of a coffee scenario in Lampung, shaped like hilir.jobs.jobs_from_scenario."""
    base = {
        "direct": (15200, 16700, 30400),
        "indirect": (570, 1840, 5220),
        "induced": (3350, 10650, 32400),
    }
    rows = []
    for kind, (lo, mid, hi) in base.items():
        for bound, value in zip(("low", "central", "high"), (lo, mid, hi), strict=True):
            rows.append(("ID-LA", "test_io", "coffee", 0.2, kind, bound, float(value)))
    for i, bound in enumerate(("low", "central", "high")):
        total = sum(v[i] for v in base.values())
        rows.append(("ID-LA", "test_io", "coffee", 0.2, "total", bound, float(total)))
    cols = ["geography", "table_source", "chain", "share", "kind", "bound", "jobs"]
    return pd.DataFrame(rows, columns=cols)


def its_frame() -> pd.DataFrame:
    """A fitted interrupted time series (ferronickel-like), shaped like ITSResult.fitted."""
    years = np.arange(2000, 2021)
    t = years - 2000
    trend = 100e6 * np.exp(0.06 * t)
    after = years >= 2014
    fitted = np.where(after, trend * np.exp(0.35 * (years - 2013)), trend)
    observed = fitted * (1 + 0.06 * np.cos(t * 1.3))
    band = 0.08 * np.sqrt(np.maximum(t - 13, 0) + 1)
    return pd.DataFrame(
        {
            "year": years,
            "observed": observed,
            "fitted": fitted,
            "counterfactual": trend,
            "cf_low": trend * (1 - band),
            "cf_high": trend * (1 + band),
            "effect": fitted - trend,
            "segment": np.where(after, "nickel_ore_ban_2014", "pre"),
        }
    )


def events_frame() -> pd.DataFrame:
    """Two dated policy events with labels in both languages."""
    return pd.DataFrame(
        {
            "event_id": ["nickel_ore_ban_2014", "nickel_ore_ban_2020"],
            "start_date": pd.to_datetime(["2014-01-12", "2020-01-01"]),
            "end_date": pd.to_datetime([pd.NaT, pd.NaT]),
            "date_precision": ["day", "day"],
            "label_id": ["Larangan ekspor bijih nikel", "Larangan ekspor bijih nikel semua kadar"],
            "label_en": ["Nickel ore export ban", "Nickel ore export ban, all grades"],
            "instrument": ["ban", "ban"],
        }
    )


def production_frame() -> pd.DataFrame:
    """Robusta coffee production by regency of Lampung, shaped like load_production()."""
    values = {
        "Lampung Barat": 56054,
        "Tanggamus": 36908,
        "Lampung Utara": 10120,
        "Way Kanan": 8664,
        "Pesisir Barat": 3372,
        "Pesawaran": 1282,
        "Pringsewu": 692,
        "Lampung Selatan": 427,
    }
    rows = []
    for name, value in values.items():
        slug = name.lower().replace(" ", "-")
        rows.append(
            (
                2022,
                f"ID-LA-{slug}",
                "regency",
                name,
                "coffee_robusta",
                "Kopi Robusta",
                float(value),
                np.nan,
                "smallholder",
                "",
                "test_production",
            )
        )
    rows.append(
        (
            2022,
            "ID-LA",
            "province",
            "Lampung",
            "coffee_robusta",
            "Kopi Robusta",
            117519.0,
            np.nan,
            "smallholder",
            "",
            "test_production",
        )
    )
    cols = [
        "year",
        "geo",
        "geo_level",
        "geo_name",
        "crop",
        "crop_name",
        "production_t",
        "area_ha",
        "scope",
        "flag",
        "source",
    ]
    return pd.DataFrame(rows, columns=cols)


def prices_frame() -> pd.DataFrame:
    """Annual world prices of three vegetable oils, shaped like load_prices()."""
    rows = []
    for i, year in enumerate(range(2005, 2021)):
        palm = 450 + 30 * i + 120 * np.sin(i / 2.0)
        rows.append((year, pd.NA, "PALM_OIL", "Palm oil", palm, "USD/t", "CIF", "test_prices"))
        rows.append(
            (year, pd.NA, "SOYBEAN_OIL", "Soybean oil", palm * 1.25, "USD/t", "x", "test_prices")
        )
        rows.append(
            (
                year,
                pd.NA,
                "COCONUT_OIL",
                "Coconut oil",
                palm * 1.4 - 60,
                "USD/t",
                "x",
                "test_prices",
            )
        )
    cols = ["year", "month", "series", "series_name", "price", "unit", "basis", "source"]
    df = pd.DataFrame(rows, columns=cols)
    df["month"] = df["month"].astype("Int64")
    return df


def comparison_frame() -> pd.DataFrame:
    """Palm oil unit value against the world price, like hilir.value.compare_world_prices."""
    rows = []
    for i, year in enumerate(range(2005, 2021)):
        world = 450 + 30 * i + 120 * np.sin(i / 2.0)
        uv = world * (0.86 + 0.02 * np.cos(i))
        flag = "outside_band" if year == 2008 else ""
        rows.append(
            (
                "Indonesia",
                "test_fao",
                "palm_oil_mixed",
                year,
                "PALM_OIL",
                uv,
                uv,
                world,
                uv / world,
                "CIF Rotterdam",
                "test_prices",
                "",
                flag,
            )
        )
    cols = [
        "geography",
        "source",
        "product",
        "year",
        "series",
        "unit_value_usd_per_t",
        "comparable_usd_per_t",
        "world_price_usd_per_t",
        "ratio_to_world_price",
        "basis",
        "price_source",
        "data_event",
        "flag",
    ]
    return pd.DataFrame(rows, columns=cols)


def destinations_frame() -> pd.DataFrame:
    """Coffee exports by market in 2020, like hilir.markets.destination_profile."""
    parts = [("USA", 310e6), ("JPN", 180e6), ("DEU", 120e6), ("ITA", 90e6), ("MYS", 60e6)]
    parts += [("EGY", 40e6), ("RUS", 25e6)]
    rows = [(p, "country", v, 0.04 * (3 - i)) for i, (p, v) in enumerate(parts)]
    rows.append(("XOT", "residual", 30e6, np.nan))
    total = sum(r[2] for r in rows)
    df = pd.DataFrame(rows, columns=["partner", "partner_type", "value_usd", "cagr"])
    df["share"] = df["value_usd"] / total
    df = df.assign(
        year=2020,
        reporter="IDN",
        scope="coffee_green",
        growth_flag="",
        window_start=2015,
        window_end=2020,
        source="test_trade",
    )
    return df


def concentration_frame() -> pd.DataFrame:
    """HHI of two products' exports over markets, like hilir.markets.market_concentration."""
    rows = []
    for scope, base in (("coffee_green", 0.12), ("coal", 0.22)):
        for i, year in enumerate(range(2015, 2021)):
            hhi = base + 0.01 * i
            rows.append(("IDN", scope, year, hhi, hhi - 0.02, 1 / hhi, 20, True, 0.05))
    cols = ["reporter", "scope", "year", "hhi", "hhi_low", "equivalent_number", "n_named"]
    df = pd.DataFrame(rows, columns=[*cols, "has_residual", "residual_share"])
    return df.assign(source="test_trade")


def world_share_frame() -> pd.DataFrame:
    """World shares of green coffee by reporter, like hilir.markets.world_share."""
    rows = []
    for i, year in enumerate(range(2012, 2021)):
        shares = {"BRA": 0.32, "VNM": 0.18 + 0.002 * i, "IDN": 0.07 - 0.002 * i, "COL": 0.09}
        order = sorted(shares, key=lambda k: -shares[k])
        for code, share in shares.items():
            rows.append((year, code, share, order.index(code) + 1))
    df = pd.DataFrame(rows, columns=["year", "reporter", "share", "rank"])
    return df.assign(scope="coffee_green", n_reporters=4, excluded="", source="test_trade")


def flagship_frame() -> pd.DataFrame:
    """Scores of four candidates, like hilir.markets.flagship_scores."""
    from hilir.i18n.labels import INDICATORS

    weights = {"export_value": 0.2, "growth": 0.2, "processing_share": 0.2, "uplift": 0.2}
    weights["jobs"] = 0.2
    rows = []
    for rank, (chain, z) in enumerate(
        (("coffee", 1.2), ("palm_oil", 0.9), ("cocoa", 0.5), ("rubber", 0.2)), start=1
    ):
        row = {"chain": chain, "rank": rank, "reporter": "IDN", "year": 2020}
        for j, k in enumerate(INDICATORS):
            row[f"w_{k}"] = weights[k]
            row[f"z_{k}"] = z + 0.1 * j
            row[f"contrib_{k}"] = weights[k] * (z + 0.1 * j)
        row["score"] = sum(row[f"contrib_{k}"] for k in INDICATORS)
        row["source"] = "test_trade"
        rows.append(row)
    df = pd.DataFrame(rows)
    df.attrs["weights"] = weights
    return df


def sensitivity_frame() -> pd.DataFrame:
    """Ranks of the candidates across weight scenarios, like flagship_sensitivity."""
    base = {"coffee": 1, "palm_oil": 2, "cocoa": 3, "rubber": 4}
    rows = []
    for sc in range(10):
        swap = sc % 4 == 0
        for chain, r in base.items():
            rank = {1: 2, 2: 1}.get(r, r) if swap else r
            rows.append((sc, chain, rank, r))
    df = pd.DataFrame(rows, columns=["scenario", "chain", "rank", "base_rank"])
    df = df.assign(reporter="IDN", year=2020, source="test_trade")
    df.attrs["delta"] = 0.1
    return df


def ports_frame() -> pd.DataFrame:
    """Exports through Panjang by product, like hilir.markets.exports_by_port."""
    items = [("coffee_green", 420e6), ("coal", 300e6), ("palm_oil", 150e6), ("cocoa", 40e6)]
    total = sum(v for _, v in items)
    rows = [(2020, "Panjang", i, v, v / total) for i, v in items]
    df = pd.DataFrame(rows, columns=["year", "port", "item", "value_usd", "share_of_port"])
    return df.assign(reporter="ID-LA", source="test_trade")


def procedure_frame() -> pd.DataFrame:
    """Three steps of an export procedure, like hilir.markets.export_procedure."""
    rows = [
        (
            "Registrasi eksportir",
            "Register as exporter",
            "OSS",
            "OSS",
            "NIB",
            "NIB",
            "as_documented",
        ),
        (
            "Sertifikat mutu",
            "Quality certificate",
            "Balai",
            "Inspection office",
            "SM",
            "QC",
            "titles_only",
        ),
        (
            "Dokumen ekspor",
            "Export declaration",
            "Bea Cukai",
            "Customs",
            "PEB",
            "PEB",
            "as_documented",
        ),
    ]
    cols = ["name_id", "name_en", "institution_id", "institution_en", "document_id"]
    df = pd.DataFrame(rows, columns=[*cols, "document_en", "status"])
    df.insert(0, "step", range(1, len(df) + 1))
    return df


def series_frames() -> dict[str, pd.DataFrame]:
    """Annual coal and copper-ore export values, shaped like hilir.policy.trade_series."""
    years = np.arange(2012, 2025)
    t = years - 2012
    coal = 2.0e10 + 1.5e9 * np.sin(t / 2.0) + 6.0e8 * t
    copper = 3.0e9 + 1.0e8 * t - 1.5e9 * (years >= 2023)
    return {
        item: pd.DataFrame({"year": years, "value": values, "unit": "USD", "source": "test_trade"})
        for item, values in (("coal", coal), ("copper_ore", copper))
    }


def forecast_result() -> object:
    """An annual forecast of pepper exports, shaped like hilir.policy.ForecastResult."""
    from hilir.policy import ForecastResult

    years = np.arange(2008, 2024)
    observed = 1.2e8 + 3.0e6 * (years - 2008) + 1.0e7 * np.cos(years / 1.7)
    ahead = np.arange(2024, 2028)
    central = observed[-1] + 2.0e6 * (ahead - 2023)
    spread = 1.5e7 * np.sqrt(ahead - 2023)
    obs = pd.DataFrame({"year": years, "kind": "observed", "value": observed})
    fc = pd.DataFrame(
        {
            "year": ahead,
            "kind": "forecast",
            "value": central,
            "lower": central - spread,
            "upper": central + spread,
        }
    )
    table = pd.concat([obs, fc], ignore_index=True).assign(method="ets", last_observed="2023")
    return ForecastResult(
        table=table,
        method="ets",
        model="ETS(A,A,N)",
        scale="level",
        last_observed="2023",
        last_observed_year=2023,
        unit="USD",
        alpha=0.05,
        notes=(),
    )


def monthly_totals_frame() -> pd.DataFrame:
    """Published monthly export totals of Lampung with gaps, shaped like brief.lampung."""
    months = [(2021, 3), (2021, 8), (2022, 1), (2022, 6), (2022, 10), (2023, 2), (2023, 11)]
    values = [410.2, 455.9, 520.4, 588.1, 639.77, 470.3, 398.6]
    return pd.DataFrame(
        {
            "region": "ID-LA",
            "year": [y for y, _ in months],
            "month": [m for _, m in months],
            "value_usd": [v * 1e6 for v in values],
            "quoted_source": "BPS Provinsi Lampung",
            "url": "",
            "source": "test_published",
        }
    )


# --- chart cases -------------------------------------------------------------------------


def _cases() -> dict[str, Callable[[str, str], Figure]]:
    from hilir import plots as P

    return {
        "stage_share": lambda lang, size: P.plot_stage_share(
            stage_frame(), lang=lang, geography="IDN", size=size, sources=[TRADE]
        ),
        "small_multiples": lambda lang, size: P.plot_small_multiples(
            processing_frame(),
            lang=lang,
            geography="IDN",
            chains=["coffee", "spices", "rubber", "palm_oil", "nickel", "cocoa"],
            size=size,
            sources=[FAO],
        ),
        "unit_value_ladder": lambda lang, size: P.plot_unit_value_ladder(
            unit_value_frame(), lang=lang, geography="IDN", size=size, sources=[TRADE]
        ),
        "uplift": lambda lang, size: P.plot_uplift(
            uplift_frame(), lang=lang, geography="IDN", size=size, sources=[TRADE]
        ),
        "scenario_fan": lambda lang, size: P.plot_scenario_fan(
            scenario_frame(), lang=lang, geography="IDN", size=size, sources=[TRADE, FAO]
        ),
        "waterfall": lambda lang, size: P.plot_waterfall(
            decomposition_frame(), lang=lang, geography="IDN", size=size, sources=[TRADE]
        ),
        "jobs": lambda lang, size: P.plot_jobs(
            jobs_frame(), lang=lang, geography="ID-LA", size=size, sources=[IO, TRADE], years=2020
        ),
        "policy_event": lambda lang, size: P.plot_policy_event(
            its_frame(),
            events_frame(),
            lang=lang,
            geography="IDN",
            item="ferronickel",
            unit="usd",
            size=size,
            sources=[TRADE],
        ),
        "regency_production": lambda lang, size: P.plot_regency_production(
            production_frame(), lang=lang, crop="coffee_robusta", size=size, sources=[PRODUCTION]
        ),
        "world_prices": lambda lang, size: P.plot_world_prices(
            prices_frame(),
            lang=lang,
            series=["PALM_OIL", "SOYBEAN_OIL", "COCONUT_OIL"],
            size=size,
            sources=[PRICES],
        ),
        "price_comparison": lambda lang, size: P.plot_price_comparison(
            comparison_frame(), lang=lang, geography="IDN", size=size, sources=[FAO, PRICES]
        ),
        "destinations": lambda lang, size: P.plot_destinations(
            destinations_frame(), lang=lang, top=5, size=size, sources=[TRADE]
        ),
        "concentration": lambda lang, size: P.plot_concentration(
            concentration_frame(), lang=lang, size=size, sources=[TRADE]
        ),
        "world_share": lambda lang, size: P.plot_world_share(
            world_share_frame(),
            lang=lang,
            reporter_rows=world_share_frame().query("reporter == 'IDN'"),
            size=size,
            sources=[TRADE],
        ),
        "flagship": lambda lang, size: P.plot_flagship(
            flagship_frame(), lang=lang, size=size, sources=[TRADE]
        ),
        "flagship_sensitivity": lambda lang, size: P.plot_flagship_sensitivity(
            sensitivity_frame(), lang=lang, size=size, sources=[TRADE]
        ),
        "ports": lambda lang, size: P.plot_ports(
            ports_frame(), port="Panjang", lang=lang, size=size, sources=[TRADE]
        ),
        "export_procedure": lambda lang, size: P.plot_export_procedure(
            procedure_frame(), chain="coffee", lang=lang, size=size, source=PROCEDURE
        ),
        "series": lambda lang, size: P.plot_series(
            P.series_data(series_frames()), lang=lang, geography="IDN", size=size, sources=[TRADE]
        ),
        "forecast": lambda lang, size: P.plot_forecast(
            forecast_result(),
            lang=lang,
            geography="IDN",
            item="pepper_mixed",
            size=size,
            sources=[FAO],
        ),
        "monthly_totals": lambda lang, size: P.plot_monthly_totals(
            monthly_totals_frame(), lang=lang, size=size, sources=[PUBLISHED]
        ),
    }


CASES = _cases()


def baseline_path(name: str, lang: str) -> Path:
    """Committed baseline PNG of a chart case."""
    return BASELINE_DIR / f"{name}_{lang}.png"


def render_baseline(name: str, lang: str, folder: Path) -> Path:
    """Draw a case and save it as the baselines are saved (column size, 100 dpi)."""
    from hilir.plots import save_figure

    fig = CASES[name](lang, BASELINE_SIZE)
    return save_figure(fig, f"{name}_{lang}", folder=folder, formats=("png",), dpi=BASELINE_DPI)[
        "png"
    ]


def regenerate(names: list[str] | None = None) -> list[Path]:
    """Write the baselines of the given cases (default all) in both languages."""
    BASELINE_DIR.mkdir(parents=True, exist_ok=True)
    return [
        render_baseline(name, lang, BASELINE_DIR)
        for name in (names or list(CASES))
        for lang in ("id", "en")
    ]
