"""Every registry chain runs through processing share, uplift and scenario without error."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import hilir
from hilir.errors import HilirDataError, HilirDataWarning
from hilir.value import processing_share, scenario, scenario_changes, uplift


def _chains() -> list[str]:
    from hilir.registry import chain_table

    return sorted(chain_table()["chain"].astype(str))


@pytest.fixture(scope="module")
def shipped():
    try:
        return hilir.load_exports(), hilir.load_prices()
    except (HilirDataError, ImportError, AttributeError) as exc:
        pytest.skip(f"shipped data unavailable: {exc}")


@pytest.mark.parametrize("chain", _chains())
def test_chain_runs_through_share_uplift_scenario(chain, shipped):
    ex, prices = shipped
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", HilirDataWarning)
        ps = processing_share(ex, chain=chain, prices=prices)
        up = uplift(ex, chain=chain, prices=prices)
        years = sorted(ex.loc[ex["chain"] == chain, "year"].unique())
        year = int(years[-1]) if years else 2020
        try:
            res = scenario(ex, chain=chain, year=year, shares=[0.0, 0.25, 0.5], prices=prices)
        except HilirDataError as exc:
            # a chain with data but no raw exports in its latest year must say so
            assert "no raw exports" in str(exc)
            res = scenario(ex, chain=chain, year=int(years[0]), shares=[0.5], prices=prices)
    assert isinstance(ps, pd.DataFrame) and isinstance(up, pd.DataFrame)
    if not ps.empty:
        assert ps["share_value"].dropna().between(0, 1).all()
        assert {"geography", "source", "latest_year"} <= set(ps.columns)
    if not up.empty:
        assert set(up["basis"]) <= {"trade data", "assumption"}
    if not res.empty:
        ch = scenario_changes(res)
        assert list(ch.columns) == [
            "chain",
            "product",
            "stage",
            "bound",
            "share",
            "delta_t",
            "delta_value_usd",
            "year",
            "geography",
        ]
        assert set(ch["bound"]) == {"low", "central", "high"}
