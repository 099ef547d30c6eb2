"""Hand-built tidy export and price frames for the value-model tests (no files read)."""

from __future__ import annotations

import pandas as pd

STAGE = {
    "nickel_ore": ("nickel", "raw", "2604"),
    "ferronickel": ("nickel", "intermediate", "720260"),
    "stainless_semis": ("nickel", "processed", "7218"),
    "stainless_flat": ("nickel", "processed", "7219"),
    "coffee_green": ("coffee", "raw", "090111"),
    "coffee_roasted": ("coffee", "processed", "090121"),
    "coffee_extracts_mixed": ("coffee", "processed", ""),  # FAOSTAT item 659
    "cpo": ("palm_oil", "raw", "151110"),
    "palm_oil_mixed": ("palm_oil", "mixed", ""),
}


def exports(rows: list[tuple], *, source: str = "test_source") -> pd.DataFrame:
    """Rows (year, product, value_usd, net_weight_kg) -> tidy exports with registry columns."""
    df = pd.DataFrame(rows, columns=["year", "product", "value_usd", "net_weight_kg"])
    df["month"] = pd.array([pd.NA] * len(df), dtype="Int64")
    df["reporter"] = "IDN"
    df["partner"] = "WLD"
    df["partner_type"] = "world"
    df["flow"] = "export"
    df["chain"] = df["product"].map(lambda p: STAGE[p][0])
    df["stage"] = df["product"].map(lambda p: STAGE[p][1])
    df["hs_code"] = df["product"].map(lambda p: STAGE[p][2])
    df["item_code"] = ""
    df["source"] = source
    df["preferred"] = True
    df["value_usd"] = df["value_usd"].astype("float64")
    df["net_weight_kg"] = df["net_weight_kg"].astype("float64")
    return df


def nickel_prices(values: dict[int, float]) -> pd.DataFrame:
    """Annual LME nickel prices (USD/t) in the PRICES layout."""
    years = sorted(values)
    return pd.DataFrame(
        {
            "year": years,
            "month": pd.array([pd.NA] * len(years), dtype="Int64"),
            "series": "NICKEL",
            "series_name": "Nickel",
            "price": [values[y] for y in years],
            "unit": "USD/t",
            "basis": "LME settlement",
            "source": "test_prices",
        }
    )


def fixed_factors(rows: dict[str, tuple[float, float, float]]) -> pd.DataFrame:
    """A factor table in the registry layout with fixed factors."""
    return pd.DataFrame(
        [
            {
                "product": p,
                "year_from": pd.NA,
                "year_to": pd.NA,
                "low": lo,
                "central": c,
                "high": hi,
                "basis": "t raw per t product",
                "method": "fixed",
                "source": "test",
                "reliability": "low",
                "reason_if_none": "",
                "note": "",
            }
            for p, (lo, c, hi) in rows.items()
        ]
    )
