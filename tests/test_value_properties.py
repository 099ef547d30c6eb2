"""Property tests (hypothesis) of shares, scenarios and the growth decomposition."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _value_frames import exports, fixed_factors
from hilir.value import processing_share, scenario, shapley_decomposition, stage_shares

money = st.floats(min_value=0, max_value=1e9, allow_nan=False)
tonnes = st.floats(min_value=1, max_value=1e9, allow_nan=False)
FAC = fixed_factors({"coffee_roasted": (1.1, 1.19, 1.3)})


@settings(max_examples=8, deadline=None)
@given(v_raw=money, q_raw=tonnes, v_proc=money, q_proc=tonnes)
def test_shares_in_unit_interval_and_stage_shares_sum_to_one(v_raw, q_raw, v_proc, q_proc):
    ex = exports(
        [
            (2019, "coffee_green", v_raw, q_raw * 1000),
            (2019, "coffee_roasted", v_proc, q_proc * 1000),
        ]
    )
    sh = stage_shares(ex, factors=FAC)
    sums = sh.groupby(["bound", "measure"], observed=True)["share"].sum(min_count=1).dropna()
    assert np.allclose(sums, 1.0)
    ps = processing_share(ex, factors=FAC)
    for col in ("share_value", "share_volume"):
        vals = ps[col].dropna()
        assert ((vals >= 0) & (vals <= 1)).all()


@settings(max_examples=6, deadline=None)
@given(v_raw=st.floats(1, 1e9), q_raw=tonnes, v_proc=st.floats(1, 1e9), q_proc=tonnes)
def test_share_zero_changes_nothing(v_raw, q_raw, v_proc, q_proc):
    ex = exports(
        [
            (2019, "coffee_green", v_raw, q_raw * 1000),
            (2019, "coffee_roasted", v_proc, q_proc * 1000),
        ]
    )
    res = scenario(ex, chain="coffee", year=2019, shares=[0.0], factors=FAC, uv_window=1)
    assert (res["delta_value_usd"] == 0).all()
    assert (res["delta_t"] == 0).all()
    assert np.allclose(res["counterfactual_t"], res["baseline_t"])


@settings(max_examples=6, deadline=None)
@given(
    uv_raw=st.floats(0.5, 5),
    premium=st.floats(1.01, 10),
    shares=st.lists(st.floats(0, 1), min_size=2, max_size=8, unique=True),
)
def test_scenario_monotone_when_processed_beats_raw(uv_raw, premium, shares):
    """Processed value per raw-eq tonne = premium x raw unit value > raw unit value."""
    f = 1.19
    uv_proc = uv_raw * f * premium  # USD/kg of roasted
    ex = exports(
        [(2019, "coffee_green", uv_raw * 1e6, 1e6), (2019, "coffee_roasted", uv_proc * 1e5, 1e5)]
    )
    fac = fixed_factors({"coffee_roasted": (f, f, f)})
    grid = sorted(shares)
    res = scenario(ex, chain="coffee", year=2019, shares=grid, factors=fac, uv_window=1)
    tot = res.groupby(["bound", "share"], observed=True)["delta_value_usd"].sum().reset_index()
    for _, g in tot.groupby("bound", observed=True):
        assert np.all(np.diff(g.sort_values("share")["delta_value_usd"].to_numpy()) >= -1e-6)


flows = st.lists(
    st.tuples(st.floats(0, 1e9), st.floats(0, 1e9), st.floats(0, 1e9), st.floats(0, 1e9)),
    min_size=1,
    max_size=4,
)


@settings(max_examples=80, deadline=None)
@given(rows=flows, zero0=st.booleans(), zero1=st.booleans())
def test_decomposition_sums_to_total_also_with_zero_flows(rows, zero0, zero1):
    arr = np.array(rows, dtype=float)
    r0, r1 = arr[:, 0], arr[:, 1]
    v0, v1 = r0 * arr[:, 2] / 1e6, r1 * arr[:, 3] / 1e6
    if zero0:
        r0[0], v0[0] = 0.0, 0.0
    if zero1:
        r1[-1], v1[-1] = 0.0, 0.0
    eff = shapley_decomposition(v0, r0, v1, r1)
    parts = eff["volume"] + eff["price"] + eff["mix"]
    assert parts == pytest.approx(eff["total"], rel=1e-9, abs=1e-3)
    assert eff["total"] == pytest.approx(v1.sum() - v0.sum(), rel=1e-12, abs=1e-6)


def test_decomposition_worked_example():
    """One stage, Q 10 -> 20 t, p 1 -> 3 USD/t: V 10 -> 60. Shapley with no mix change:
    volume = (20-10)(1+3)/2 = 20; price = (3-1)(10+20)/2 = 30; mix = 0; total 50."""
    eff = shapley_decomposition(
        np.array([10.0]), np.array([10.0]), np.array([60.0]), np.array([20.0])
    )
    assert eff == pytest.approx({"volume": 20.0, "price": 30.0, "mix": 0.0, "total": 50.0})
