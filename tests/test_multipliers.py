"""Sector multipliers of real tables: NA with reasons, linkages, household closures, rankings."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from hilir.data import load_employment, load_io_table
from hilir.errors import HilirDataError
from hilir.jobs import (
    build_model,
    employment_by_io_sector,
    household_income,
    implied_operating_surplus_share,
    sector_multipliers,
)
from hilir.jobs import leontief as lt
from hilir.jobs.households import household_coefficients
from hilir.schema.iotable import IOTable
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
    "jobs_per_idr_bn",
    "jobs_per_idr_bn_type_ii",
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


def _mb_households_table() -> IOTable:
    """Miller and Blair's two-sector example (section 2.3) with household accounts added.

    Z, x as in M&B Table 2.3; final demand split into households (200, 700) and exports
    (150, 1000); value added (650, 1400) split into wages (300, 500), the example's labour
    coefficients 0.30 and 0.25, and operating surplus (350, 900); households also buy 100 of
    imports. Hand arithmetic: s = (900 + 100 - 800) / 1250 = 0.16, Y = 800 + 0.16 x 1250 =
    1000 = C_d + C_m, c = (200, 700) / 1000 = (0.2, 0.7).
    """
    codes = ["1", "2"]
    rows = ["wages", "operating_surplus", "depreciation", "net_indirect_taxes"]
    va = pd.DataFrame({"1": [300.0, 350.0, 0.0, 0.0], "2": [500.0, 900.0, 0.0, 0.0]}, index=rows)
    va.loc["gross_value_added"] = va.sum()
    return IOTable(
        Z=pd.DataFrame([[150.0, 500.0], [200.0, 100.0]], index=codes, columns=codes),
        final_demand=pd.DataFrame(
            {"household": [200.0, 700.0], "exports": [150.0, 1000.0]}, index=codes
        ),
        value_added=va,
        imports=pd.Series([0.0, 0.0], index=codes),
        output=pd.Series([1000.0, 2000.0], index=codes),
        sectors=pd.DataFrame({"code": codes, "name_id": ["a", "b"], "name_en": ["a", "b"]}),
        unit="juta Rp",
        year=2010,
        geography="ID-LA",
        source="mb_example",
        imports_final_demand=pd.Series({"household": 100.0}),
    )


def test_closures_worked_example_by_hand():
    """Type II output multipliers of both closures, computed by hand (Miyazawa form).

    L = (I - A)^-1 = [[1.25413, 0.33003], [0.26403, 1.12211]] (M&B 2.3); Lc = (0.48185,
    0.83828), sum 1.32013.
    * "wages": h = (0.30, 0.25); hL = (0.44224, 0.37954); hLc = 0.35413, k = 1/(1 - hLc) =
      1.54829; Type II = colsum(L) + sum(Lc) k hL = (1.51815 + 0.90392, 1.45215 + 0.77575) =
      (2.42207, 2.22790).
    * "income": h = ((300 + 0.16 x 350) / 1000, (500 + 0.16 x 900) / 2000) = (0.356, 0.322);
      hL = (0.53149, 0.47881); hLc = 0.44147, k = 1.79040; Type II = (2.77435, 2.58385).
    The closure hilir used before issue 12, c = C_d / W = (0.25, 0.875), sums to 1.125:
    households would spend more than their wages, so it is refused.
    """
    t = _mb_households_table()
    h, c, total, share = household_coefficients(t, ["1", "2"], closure="wages")
    np.testing.assert_allclose(h, [0.30, 0.25])
    np.testing.assert_allclose(c, [0.2, 0.7])
    assert (total, share) == (pytest.approx(1000.0), pytest.approx(0.16))
    wages = sector_multipliers(t, closure="wages")
    income = sector_multipliers(t, closure="income")
    np.testing.assert_allclose(wages["output_multiplier"], [1.51815, 1.45215], atol=1e-5)
    np.testing.assert_allclose(wages["output_multiplier_type_ii"], [2.42207, 2.22790], atol=1e-5)
    np.testing.assert_allclose(income["output_multiplier_type_ii"], [2.77435, 2.58385], atol=1e-5)
    assert income.attrs["closure"] == "income" and wages.attrs["closure"] == "wages"
    assert wages.attrs["total_household_income"] == pytest.approx(1000.0)
    with pytest.raises(HilirDataError, match=r"1\.125 of domestic products per unit of income"):
        household_coefficients(t, ["1", "2"], operating_surplus_share=0.0)


def test_lampung_type_ii_output_multipliers(lampung, lampung_workers):
    """Golden Lampung 2010 figures of the two closures (BPS Lampung IO 2010, juta Rp).

    Y = W + s OS = 43.58 + 0.651 x 88.56 = Rp 101.23 T = C_d + C_m (77.27 + 23.95); households
    buy Rp 0.763 of Lampung products per rupiah of income (the old closure, C_d / W, had
    Rp 1.77 per rupiah of wages and Type II output multipliers 2.26 and 2.34 for plantations
    and the food industry). Default "wages" closure: 1.60 (plantations, sector 3) and 1.76
    (food and beverages, 13), all 51 sectors 1.21-2.14; "income" closure (wages plus 0.651 of
    operating surplus induced): 2.34 and 2.42, the upper end of the range.
    """
    w = sector_multipliers(lampung, workers=lampung_workers).set_index("code")
    inc = sector_multipliers(lampung, workers=lampung_workers, closure="income").set_index("code")
    assert w.attrs["total_household_income"] == pytest.approx(77_274_558.7 + 23_950_858.7, rel=1e-6)
    assert w.loc["3", "output_multiplier_type_ii"] == pytest.approx(1.597, abs=5e-4)
    assert w.loc["13", "output_multiplier_type_ii"] == pytest.approx(1.763, abs=5e-4)
    assert w["output_multiplier_type_ii"].dropna().between(1.21, 2.15).all()
    assert inc.loc["3", "output_multiplier_type_ii"] == pytest.approx(2.342, abs=5e-4)
    assert inc.loc["13", "output_multiplier_type_ii"] == pytest.approx(2.418, abs=5e-4)
    pd.testing.assert_series_equal(w["output_multiplier"], inc["output_multiplier"])
    both = pd.concat([inc["employment_type_ii"], w["employment_type_ii"]], axis=1).dropna()
    assert (both.iloc[:, 0] >= both.iloc[:, 1] - 1e-12).all()
    model = build_model(lampung)
    assert model.c.sum() == pytest.approx(77_274_558.7 / 101_225_417.4, rel=1e-6)
    inc_row = household_income(lampung, closure="income", operating_surplus_share=0.5)
    va = lampung.value_added
    np.testing.assert_allclose(inc_row, va.loc["wages"] + 0.5 * va.loc["operating_surplus"])
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        household_income(lampung, closure="income", operating_surplus_share=1.5)
    with pytest.raises(ValueError, match="closure"):
        build_model(lampung, closure="wages_plus_os")  # type: ignore[arg-type]


def test_jobs_per_billion_ranks_sectors_not_the_type_i_ratio(lampung_multipliers):
    """Jobs per Rp 1 billion of final demand = employment multiplier (persons per juta Rp)
    x 1,000. Electricity has the largest Type I ratio (5.00) because its direct labour is
    tiny; it creates 6.0 jobs per Rp 1 billion against 31.8 in plantations (sector 3) and
    16.1 in the food industry (13). The farm sub-sectors' counts carry the assumed
    within-agriculture spread of Sakernas workers (test_employment)."""
    m = lampung_multipliers
    np.testing.assert_allclose(m["jobs_per_idr_bn"], m["employment_multiplier"] * 1000)
    assert m["employment_type_i"].idxmax() == "28"
    assert m.loc["28", "employment_type_i"] == pytest.approx(5.00, abs=0.005)
    assert m.loc["28", "jobs_per_idr_bn"] == pytest.approx(5.95, abs=0.01)
    assert m.loc["3", "jobs_per_idr_bn"] == pytest.approx(31.77, abs=0.01)
    assert m.loc["13", "jobs_per_idr_bn"] == pytest.approx(16.14, abs=0.01)
    assert m["jobs_per_idr_bn"].rank(ascending=False)["28"] > 40  # near the bottom of 51
    both = m[["jobs_per_idr_bn_type_ii", "jobs_per_idr_bn"]].dropna()
    assert (both["jobs_per_idr_bn_type_ii"] >= both["jobs_per_idr_bn"]).all()


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
