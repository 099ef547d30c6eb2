"""Sector multipliers of real tables: NA with reasons, linkages, income definitions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from hilir.data import load_employment, load_io_table
from hilir.jobs import (
    build_model,
    employment_by_io_sector,
    household_income,
    implied_operating_surplus_share,
    sector_multipliers,
)
from hilir.jobs import leontief as lt
from hilir.sources.io_bps import read_bps_io

VALUE_COLS = [
    "output_multiplier",
    "output_multiplier_type_ii",
    "backward_linkage",
    "forward_linkage",
    "value_added_multiplier",
    "import_multiplier",
    "income_multiplier",
    "income_type_i",
    "income_type_ii",
    "employment_multiplier",
    "employment_type_i",
    "employment_type_ii",
]


@pytest.fixture(scope="module")
def lampung_workers(lampung):
    emp = load_employment(2010)
    return employment_by_io_sector(lampung, emp).set_index("code")["workers"]


@pytest.fixture(scope="module")
def lampung_multipliers(lampung, lampung_workers):
    return sector_multipliers(lampung, workers=lampung_workers).set_index("code")


def test_every_sector_with_output_has_multipliers(lampung, lampung_multipliers):
    m = lampung_multipliers
    active = lampung.output > 0
    assert active.sum() == 51
    assert m.loc[active[active].index, VALUE_COLS].notna().all().all()
    assert (m.loc[active[active].index, "na_reason"] == "").all()


def test_zero_output_sectors_are_na_with_a_reason(lampung_multipliers):
    m = lampung_multipliers
    for code in ("9", "16"):  # coal and lignite mining; leather and footwear
        assert m.loc[code, VALUE_COLS].isna().all()
        assert m.loc[code, "na_reason"] == "zero output in the table"


def test_no_nan_leaks_into_totals(lampung_multipliers, lampung_workers):
    m = lampung_multipliers
    # linkages are normalised over the 51 active sectors only: their mean is exactly 1
    assert m["backward_linkage"].mean() == pytest.approx(1.0, abs=1e-12)
    assert m["forward_linkage"].mean() == pytest.approx(1.0, abs=1e-12)
    # jobs implied by the table's own final demand add up to the workers (finite total)
    assert np.isfinite(m["workers"].sum())
    assert m["workers"].sum() == pytest.approx(3_737_078, abs=0.5)
    assert m["employment_coefficient"].mul(m["output"]).sum() == pytest.approx(3_737_078, rel=1e-9)


def test_multipliers_reproduce_employment_from_final_demand(lampung, lampung_multipliers):
    """Column form: sum_j (l L)_j f_j = total workers of the active sectors."""
    m = lampung_multipliers
    fd = lampung.final_demand.sum(axis=1)
    active = lampung.output > 0
    jobs = (m.loc[active, "employment_multiplier"] * fd[active]).sum()
    assert jobs == pytest.approx(3_737_078, rel=1e-9)


def test_type_ii_at_least_type_i_at_least_one(lampung_multipliers):
    m = lampung_multipliers.dropna(subset=["employment_type_i"])
    assert (m["employment_type_i"] >= 1 - 1e-12).all()
    assert (m["employment_type_ii"] >= m["employment_type_i"]).all()
    assert (m["income_type_ii"] >= m["income_type_i"]).all()
    assert (m["output_multiplier_type_ii"] >= m["output_multiplier"]).all()


def test_implied_operating_surplus_share(lampung):
    """(C_domestic + C_imported - wages) / operating surplus of the Lampung 2010 table."""
    expected = (77_274_558.7 + 23_950_858.7 - 43_575_061.0) / 88_561_191.0
    assert implied_operating_surplus_share(lampung) == pytest.approx(expected, rel=1e-6)
    assert 0.64 < expected < 0.66


def test_income_definition_changes_type_ii_and_is_reported(lampung, lampung_workers):
    w = sector_multipliers(lampung, workers=lampung_workers, income_definition="wages")
    os = sector_multipliers(lampung, workers=lampung_workers, income_definition="wages_plus_os")
    assert os.attrs["operating_surplus_share"] == pytest.approx(0.651, abs=0.001)
    assert w.attrs["operating_surplus_share"] == 0.0
    pd.testing.assert_series_equal(w["output_multiplier"], os["output_multiplier"])
    spread = (os["employment_type_ii"] - w["employment_type_ii"]).abs().dropna()
    assert spread.max() > 0.1  # the income definition matters for induced effects
    inc = household_income(lampung, definition="wages_plus_os", operating_surplus_share=0.5)
    va = lampung.value_added
    np.testing.assert_allclose(inc, va.loc["wages"] + 0.5 * va.loc["operating_surplus"])
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        household_income(lampung, definition="wages_plus_os", operating_surplus_share=1.5)


def test_lampung_linkage_matches_direct_computation(lampung):
    act = lampung.output > 0
    codes = list(act[act].index)
    A = lt.technical_coefficients(lampung.Z.loc[codes, codes], lampung.output[codes])
    L = np.linalg.inv(np.eye(len(codes)) - A.to_numpy())
    m = sector_multipliers(lampung).set_index("code")
    bl = L.sum(axis=0) / L.sum() * len(codes)
    np.testing.assert_allclose(m.loc[codes, "backward_linkage"], bl, rtol=1e-10)
    assert m.loc["13", "output_multiplier"] == pytest.approx(L.sum(axis=0)[codes.index("13")])
    assert m["employment_multiplier"].isna().all()
    assert (m.loc[codes, "na_reason"] == "no employment data").all()


def test_ghosh_forward_linkage(lampung):
    m = sector_multipliers(lampung, forward="ghosh").set_index("code")
    leo = sector_multipliers(lampung).set_index("code")
    assert m["forward_linkage"].mean() == pytest.approx(1.0)
    assert not np.allclose(m["forward_linkage"].dropna(), leo["forward_linkage"].dropna())
    with pytest.raises(ValueError, match="forward"):
        sector_multipliers(lampung, forward="rows")


def test_wiod_has_no_income_multipliers():
    t = load_io_table("IDN", year=2011)
    m = sector_multipliers(t).set_index("code")
    assert m.loc["27t28", "output_multiplier"] > 1
    assert m["income_type_ii"].isna().all()
    assert "no wages row" in m.loc["27t28", "na_reason"]
    assert m.loc["P", "na_reason"].startswith("zero output")
    model = build_model(t)
    assert model.L_closed is None and model.h is None
    with pytest.raises(ValueError, match="no wages row"):
        household_income(t)


def test_zero_workers_gives_na_type_i(fixtures_dir):
    t = read_bps_io(fixtures_dir / "io" / "bps_io_3sector_lampung_layout.xlsx")
    workers = pd.Series({"1": 50.0, "2": 0.0, "3": 30.0})
    m = sector_multipliers(t, workers=workers).set_index("code")
    assert np.isnan(m.loc["2", "employment_type_i"]) and np.isnan(m.loc["2", "employment_type_ii"])
    assert m.loc["2", "na_reason"] == "no workers"
    assert m.loc["2", "employment_multiplier"] > 0  # others' workers still count
    with pytest.raises(ValueError, match="workers missing"):
        sector_multipliers(t, workers=workers.drop("3"))
