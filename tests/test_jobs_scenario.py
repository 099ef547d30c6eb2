"""jobs_from_scenario: the value model's changes turned into jobs, value added and leakage."""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pandas as pd
import pytest

from hilir.data import load_employment, load_io_table
from hilir.errors import HilirDataError, HilirDataWarning
from hilir.jobs import jobs_from_scenario, price_factors
from hilir.jobs import leontief as lt
from hilir.sources.io_bps import read_bps_io

BOUNDS = ("low", "central", "high")


def example_changes() -> pd.DataFrame:
    """A value-model change frame built by hand (illustrative numbers, not data).

    Coffee in Lampung: 10,000 t of green coffee exports forgone and roasted at 1.19 t green per
    t roasted (ICO factor) into 8,403 t of roasted coffee; palm oil: 50,000 t of CPO refined
    into 49,000 t of refined oil; nickel (national): 1 Mt of ore into 77,000 t of
    ferronickel. Unit values (USD/t) are round illustrative figures chosen so that the low
    bound has the smallest processing margin, as the value model pairs them.
    """
    uv = {
        "coffee_green": {"low": 1900, "central": 1700, "high": 1500},
        "coffee_roasted": {"low": 3500, "central": 4000, "high": 4500},
        "cpo": {"low": 800, "central": 800, "high": 800},
        "palm_oil_refined": {"low": 820, "central": 850, "high": 880},
        "nickel_ore": {"low": 45, "central": 40, "high": 35},
        "ferronickel": {"low": 1400, "central": 1800, "high": 2200},
    }
    items = [
        ("coffee", "coffee_green", "raw", -10_000, "ID-LA"),
        ("coffee", "coffee_roasted", "processed", 8_403, "ID-LA"),
        ("palm_oil", "cpo", "raw", -50_000, "ID-LA"),
        ("palm_oil", "palm_oil_refined", "intermediate", 49_000, "ID-LA"),
        ("nickel", "nickel_ore", "raw", -1_000_000, "IDN"),
        ("nickel", "ferronickel", "intermediate", 77_000, "IDN"),
    ]
    rows = []
    for chain, product, stage, tonnes, geo in items:
        for bound in BOUNDS:
            rows.append(
                {
                    "chain": chain,
                    "product": product,
                    "stage": stage,
                    "bound": bound,
                    "delta_t": float(tonnes),
                    "delta_value_usd": float(tonnes * uv[product][bound]),
                    "year": 2010,
                    "geography": geo,
                }
            )
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def sakernas2010():
    return load_employment(2010)


@pytest.fixture(scope="module")
def wiod2010():
    return load_io_table("IDN", year=2010)


@pytest.fixture(scope="module")
def lampung_jobs(lampung, sakernas2010):
    ch = example_changes()
    return jobs_from_scenario(
        ch[ch["geography"] == "ID-LA"], geography="ID-LA", table=lampung, employment=sakernas2010
    )


def _get(res, chain, kind, bound, col="jobs"):
    sel = res[(res["chain"] == chain) & (res["kind"] == kind) & (res["bound"] == bound)]
    assert len(sel) == 1
    return sel[col].iloc[0]


# -------------------------------------------------------------- Lampung coffee and palm


def test_lampung_result_is_tidy_and_traceable(lampung_jobs):
    res = lampung_jobs
    assert list(res.columns) == [
        "geography",
        "table_source",
        "chain",
        "kind",
        "bound",
        "jobs",
        "value_added_idr_m",
        "import_leakage_idr_m",
        "va_per_direct_job_idr_m",
        "sector_va_per_worker_idr_m",
        "wage_per_direct_job_idr_m",
        "cited_direct_jobs",
        "direct_implausible",
        "complete",
        "basis",
        "sources",
        "source",
        "na_reason",
    ]
    assert len(res) == 2 * 4 * 3
    # provenance keys alone, joined with "+", for the charts' source lines
    assert (res["source"] == "bps_lampung_io2010+sakernas_prov_sect9_2010_2014").all()
    assert (res["geography"] == "ID-LA").all()
    assert (res["table_source"] == "bps_lampung_io2010").all()
    assert res["complete"].all() and (res["na_reason"] == "").all()
    assert res[["jobs", "value_added_idr_m", "import_leakage_idr_m"]].notna().all().all()
    assert (
        res["sources"]
        .str.contains("sakernas_prov_sect9_2010_2014 (CC BY-NC 4.0)", regex=False)
        .all()
    )
    coffee_direct = res[(res["chain"] == "coffee") & (res["kind"] == "direct")]
    assert coffee_direct["sources"].str.contains("Kemenperin").all()
    assert coffee_direct["basis"].str.contains("coffee_roasted: 8.40 thousand t").all()
    palm_direct = res[(res["chain"] == "palm_oil") & (res["kind"] == "direct")]
    assert palm_direct["basis"].str.contains("labour coefficient NOT FOUND").all()
    shocks = res.attrs["shocks"]
    cof = shocks[(shocks["chain"] == "coffee") & (shocks["bound"] == "central")]
    rate = 9082.8 / 1e6  # 2010 average Rp per US$ (ECB cross rates, usd_idr_rates.csv)
    assert cof.set_index("io_code").loc["3", "final_demand_change"] == pytest.approx(
        -10_000 * 1700 * rate
    )
    assert cof.set_index("io_code").loc["13", "final_demand_change"] == pytest.approx(
        8_403 * 4000 * rate
    )


def test_kinds_add_up_and_ranges_are_ordered(lampung_jobs):
    res = lampung_jobs
    for chain in ("coffee", "palm_oil"):
        for bound in BOUNDS:
            parts = sum(_get(res, chain, k, bound) for k in ("direct", "indirect", "induced"))
            assert _get(res, chain, "total", bound) == pytest.approx(parts)
            va = sum(
                _get(res, chain, k, bound, "value_added_idr_m")
                for k in ("direct", "indirect", "induced")
            )
            assert _get(res, chain, "total", bound, "value_added_idr_m") == pytest.approx(va)
        totals = [_get(res, chain, "total", b) for b in BOUNDS]
        assert totals[0] <= totals[1] <= totals[2]
        assert totals[0] > 0
    # direct coffee jobs: 8,403 t x 99.4 workers per 1,000 t (central coefficient)
    assert _get(res, "coffee", "direct", "central") == pytest.approx(8.403 * 99.4)
    assert _get(res, "coffee", "direct", "low") == pytest.approx(8.403 * 90.6)


def test_coffee_farm_output_is_not_counted_as_new(lampung, sakernas2010):
    """Recipe: the roaster buys the forgone green coffee, so plantation jobs do not rise;
    the textbook average shock instead loses plantation output (negative direct jobs)."""
    ch = example_changes()
    ch = ch[(ch["chain"] == "coffee") & (ch["bound"] == "central")]
    avg = jobs_from_scenario(
        ch,
        geography="ID-LA",
        table=lampung,
        employment=sakernas2010,
        raw_input="average",
        employment_rule="value_added",
        closure="wages",
    )
    rec = jobs_from_scenario(
        ch,
        geography="ID-LA",
        table=lampung,
        employment=sakernas2010,
        employment_rule="value_added",
        closure="wages",
    )
    assert _get(avg, "coffee", "direct", "central") < 0  # farm jobs lost at IO average
    assert _get(rec, "coffee", "direct", "central") > 0
    assert "raw cost share s = 0.506" in _get(rec, "coffee", "indirect", "central", "basis")
    central = jobs_from_scenario(ch, geography="ID-LA", table=lampung, employment=sakernas2010)
    pd.testing.assert_frame_equal(
        central.drop(columns=["basis", "sources"]), rec.drop(columns=["basis", "sources"])
    )


def test_options_spread_brackets_the_central_value(lampung, sakernas2010):
    ch = example_changes()
    ch = ch[ch["chain"] == "coffee"].copy()
    central = ch[ch["bound"] == "central"]
    same = pd.concat([central.assign(bound=b) for b in BOUNDS], ignore_index=True)
    res = jobs_from_scenario(same, geography="ID-LA", table=lampung, employment=sakernas2010)
    ind = [_get(res, "coffee", "indirect", b) + _get(res, "coffee", "induced", b) for b in BOUNDS]
    assert ind[0] <= ind[1] <= ind[2] and ind[0] < ind[2]
    assert "combinations of household closure" in _get(res, "coffee", "total", "low", "basis")


# ------------------------------------------------------------------------ national nickel


def test_nickel_nationally_uses_wiod_and_labour_coefficients(wiod2010):
    ch = example_changes()
    res = jobs_from_scenario(ch[ch["chain"] == "nickel"], geography="IDN", table=wiod2010)
    assert (res["table_source"] == "wiod_niot_idn").all() and (res["geography"] == "IDN").all()
    direct = [_get(res, "nickel", "direct", b) for b in BOUNDS]
    np.testing.assert_allclose(direct, [77 * 5.8, 77 * 30.0, 77 * 68.5])
    for b in BOUNDS:
        assert np.isnan(_get(res, "nickel", "indirect", b))
        assert "no employment accounts" in _get(res, "nickel", "indirect", b, "na_reason")
        assert _get(res, "nickel", "total", b) == pytest.approx(_get(res, "nickel", "direct", b))
        assert not _get(res, "nickel", "total", b, "complete")
        assert _get(res, "nickel", "indirect", b, "value_added_idr_m") > 0
    assert "Kailipost" in _get(res, "nickel", "direct", "high", "sources")


def test_minerals_are_refused_in_lampung_and_coal_sector_is_empty(lampung, sakernas2010):
    ch = example_changes()
    nickel = ch[ch["chain"] == "nickel"].assign(geography="ID-LA")
    with pytest.raises(HilirDataError, match=r"not a Lampung activity.*Rp 43.0 bn") as err:
        jobs_from_scenario(nickel, geography="ID-LA", table=lampung, employment=sakernas2010)
    assert err.value.column == "product"
    coal = pd.DataFrame(
        [
            {
                "chain": "coal",
                "product": "coal",
                "stage": "raw",
                "bound": "central",
                "delta_t": -1e6,
                "delta_value_usd": -5e7,
                "year": 2010,
            }
        ]
    )
    with pytest.raises(HilirDataError, match="zero output"):
        jobs_from_scenario(coal, geography="ID-LA", table=lampung, employment=sakernas2010)


# ----------------------------------------------------------------- worked small example


@pytest.fixture
def small(fixtures_dir):
    t = read_bps_io(fixtures_dir / "io" / "bps_io_3sector_lampung_layout.xlsx", source="fx")
    workers = pd.Series({"1": 50.0, "2": 16.0, "3": 24.0})
    smap = pd.DataFrame(
        {
            "classification": ["fx", "fx", "fx"],
            "product": ["raw_x", "proc_x", "raw_same"],
            "io_code": ["1", "2", "2"],
            "basis": ["test"] * 3,
        }
    )
    coefs = pd.DataFrame(
        [
            {
                "chain": "x",
                "activity": "test",
                "product": "proc_x",
                "basis": "per_1000_t_output",
                "low": 5.0,
                "central": 10.0,
                "high": 20.0,
                "method": "derived",
                "reliability": "low",
                "evidence_geography": "",
                "evidence_year": "",
                "source": "test source",
                "derivation": "",
            }
        ]
    )
    return t, workers, smap, coefs


def _run(small, rows, **kw):
    t, workers, smap, coefs = small
    ch = pd.DataFrame([{"chain": "x", "bound": "central", "year": 2010, **r} for r in rows])
    kw.setdefault("closure", "wages")
    kw.setdefault("direct_jobs", "cited")  # the shock arithmetic; the check is tested below
    return jobs_from_scenario(
        ch,
        geography="ID-LA",
        table=t,
        employment=workers,
        usd_to_idr=1e6,
        coefficients=coefs,
        sector_map=smap,
        **kw,
    )


def test_recipe_arithmetic_by_hand(small):
    """V = 20 of processed output in sector 2, R = 8 of raw exports forgone from sector 1."""
    t, workers, *_ = small
    res = _run(
        small,
        [
            {"product": "raw_x", "stage": "raw", "delta_t": -100.0, "delta_value_usd": -8.0},
            {"product": "proc_x", "stage": "processed", "delta_t": 50.0, "delta_value_usd": 20.0},
        ],
    )
    Z = t.Z.to_numpy()
    x = t.output.to_numpy()
    A = Z / x
    L = np.linalg.inv(np.eye(3) - A)
    ell = workers.to_numpy() / x
    V, R = 20.0, 8.0
    s = R / V
    alpha = A[0, 1]
    scale = V * (1 - s) / (1 - alpha)
    n = scale * A[:, 1]
    n[0] = 0.0
    D = np.array([0.0, V, 0.0])
    x1 = D + L @ n
    assert _get(res, "x", "direct", "central") == pytest.approx(0.05 * 10.0)
    assert _get(res, "x", "indirect", "central") == pytest.approx(ell @ (x1 - D))
    v = t.value_added.loc["gross_value_added"].to_numpy() / x
    m = t.imports.to_numpy() / x
    va_dir = scale * v[1]
    imp_dir = scale * m[1]
    assert _get(res, "x", "direct", "central", "value_added_idr_m") == pytest.approx(va_dir)
    assert _get(res, "x", "direct", "central", "import_leakage_idr_m") == pytest.approx(imp_dir)
    # the new activity's inputs add up to its output: raw + other inputs + VA + imports = V
    assert R + n.sum() + va_dir + imp_dir == pytest.approx(V)
    # induced, households closed over wages; consumption = shares of total household income
    # Y = W + s OS, s = (C_d + C_m - W) / OS (households spend what they receive)
    wages, surplus = (t.value_added.loc[r].sum() for r in ("wages", "operating_surplus"))
    c_dom, c_imp = t.final_demand["household"].sum(), t.imports_final_demand["household"]
    s_os = min(max((c_dom + c_imp - wages) / surplus, 0.0), 1.0)
    Y = wages + s_os * surplus
    h = t.value_added.loc["wages"].to_numpy() / x
    c = t.final_demand["household"].to_numpy() / Y
    assert c.sum() <= 1.0
    Lc = lt.leontief_inverse(lt.closed_coefficients(A, h, c))
    xbar = np.append(D, 0.0) + Lc @ np.append(n, scale * h[1])
    assert _get(res, "x", "induced", "central") == pytest.approx(ell @ (xbar[:3] - x1))
    cm = c_imp / Y
    assert _get(res, "x", "induced", "central", "import_leakage_idr_m") == pytest.approx(
        m @ (xbar[:3] - x1) + cm * xbar[3]
    )


def test_direct_jobs_check_by_hand(small):
    """A coefficient implying too little value added per job is replaced by the sector average.

    V = 20 processed in sector 2 from R = 8 of raw exports: the activity's own output is
    scale = V (1 - s) / (1 - a_12), its value added scale x v_2. A cited 1,000 workers per
    1,000 t gives 50 jobs for 50 t, i.e. scale x v_2 / 50 of value added per job, far below
    half of sector 2's average VA_2 / 16 workers: "checked" counts scale x 16 / x_2 jobs
    instead (value added per job = the sector average, not flagged); "cited" keeps 50 and
    flags them; the wage per job is scale x (W_2 / x_2) / jobs.
    """
    t, workers, smap, coefs = small
    heavy = coefs.assign(low=1000.0, central=1000.0, high=1000.0)
    rows = [
        {"product": "raw_x", "stage": "raw", "delta_t": -100.0, "delta_value_usd": -8.0},
        {"product": "proc_x", "stage": "processed", "delta_t": 50.0, "delta_value_usd": 20.0},
    ]
    checked = _run((t, workers, smap, heavy), rows, direct_jobs="checked")
    cited = _run((t, workers, smap, heavy), rows, direct_jobs="cited")
    x = t.output.to_numpy()
    A = t.Z.to_numpy() / x
    scale = 20.0 * (1 - 8.0 / 20.0) / (1 - A[0, 1])
    va2 = t.value_added.loc["gross_value_added", "2"]
    wage2 = t.value_added.loc["wages", "2"] / x[1]
    avg = va2 / 16.0  # juta Rp per worker
    assert _get(checked, "x", "direct", "central") == pytest.approx(scale * 16.0 / x[1])
    assert _get(checked, "x", "total", "central", "va_per_direct_job_idr_m") == pytest.approx(avg)
    assert _get(checked, "x", "total", "central", "sector_va_per_worker_idr_m") == pytest.approx(
        avg
    )
    assert not _get(checked, "x", "direct", "central", "direct_implausible")
    assert "implausible" in _get(checked, "x", "direct", "central", "basis")
    assert _get(cited, "x", "direct", "central") == pytest.approx(50.0)
    per_job = _get(cited, "x", "direct", "central", "va_per_direct_job_idr_m")
    assert per_job == pytest.approx(scale * va2 / x[1] / 50.0)
    assert per_job < 0.5 * avg
    assert _get(cited, "x", "direct", "central", "direct_implausible")
    assert _get(cited, "x", "direct", "central", "wage_per_direct_job_idr_m") == pytest.approx(
        scale * wage2 / 50.0
    )
    # a plausible coefficient (the fixture's 10 per 1,000 t: 0.5 jobs) is kept by "checked"
    kept = _run(small, rows, direct_jobs="checked")
    assert _get(kept, "x", "direct", "central") == pytest.approx(0.5)
    assert not _get(kept, "x", "direct", "central", "direct_implausible")
    with pytest.raises(ValueError, match="direct_jobs"):
        _run(small, rows, direct_jobs="guess")


def test_minimum_wage_row_turns_the_wage_test_on(small, monkeypatch):
    """No cited UMP is shipped (domain-facts has none), so the wage test is off; a
    ``min_wage_ID-LA_2010`` row (Rp per month) above the wage per job the cited coefficient
    implies makes "checked" replace it and "cited" flag it."""
    import hilir.jobs.plausibility as pl

    rows = [
        {"product": "raw_x", "stage": "raw", "delta_t": -100.0, "delta_value_usd": -8.0},
        {"product": "proc_x", "stage": "processed", "delta_t": 50.0, "delta_value_usd": 20.0},
    ]
    assert pl.min_wage_idr_m_year("ID-LA", 2010) is None
    base = _run(small, rows, direct_jobs="cited")
    wage = _get(base, "x", "direct", "central", "wage_per_direct_job_idr_m")  # juta Rp a year
    assert not _get(base, "x", "direct", "central", "direct_implausible")
    import hilir.refdata.plausibility as thresholds

    table = {**thresholds.thresholds(), "min_wage_ID-LA_2010": 2 * wage * 1e6 / 12}
    monkeypatch.setattr(thresholds, "thresholds", lambda: table)
    assert pl.min_wage_idr_m_year("ID-LA", 2010) == pytest.approx(2 * wage)
    cited = _run(small, rows, direct_jobs="cited")
    assert _get(cited, "x", "direct", "central", "direct_implausible")
    checked = _run(small, rows, direct_jobs="checked")
    t, *_ = small
    x = t.output.to_numpy()
    scale = 20.0 * (1 - 8.0 / 20.0) / (1 - t.Z.to_numpy()[0, 1] / x[1])
    assert _get(checked, "x", "direct", "central") == pytest.approx(scale * 16.0 / x[1])
    assert "wage below the cited provincial minimum" in _get(
        checked, "x", "direct", "central", "basis"
    )


def test_average_mode_is_the_textbook_shock(small):
    t, workers, *_ = small
    res = _run(
        small,
        [
            {"product": "raw_x", "stage": "raw", "delta_t": -100.0, "delta_value_usd": -8.0},
            {"product": "proc_x", "stage": "processed", "delta_t": 50.0, "delta_value_usd": 20.0},
        ],
        raw_input="average",
    )
    x = t.output.to_numpy()
    L = np.linalg.inv(np.eye(3) - t.Z.to_numpy() / x)
    ell = workers.to_numpy() / x
    df = np.array([-8.0, 20.0, 0.0])
    x1 = L @ df
    assert _get(res, "x", "indirect", "central") == pytest.approx(ell @ (x1 - df))
    assert _get(res, "x", "direct", "central") == pytest.approx(0.5 + ell @ np.array([-8, 0, 0]))


@pytest.mark.parametrize("raw_input", ["recipe", "average"])
@pytest.mark.parametrize("income", ["wages", "income"])
def test_no_net_change_in_final_demand_creates_no_indirect_jobs(small, raw_input, income):
    """Processed output added equals the raw exports forgone in the same sector."""
    res = _run(
        small,
        [
            {"product": "raw_same", "stage": "raw", "delta_t": -100.0, "delta_value_usd": -12.0},
            {"product": "proc_x", "stage": "processed", "delta_t": 50.0, "delta_value_usd": 12.0},
        ],
        raw_input=raw_input,
        closure=income,
    )
    assert res.attrs["shocks"]["final_demand_change"].abs().max() == 0
    for kind in ("indirect", "induced"):
        assert _get(res, "x", kind, "central") == pytest.approx(0.0, abs=1e-12)
        assert _get(res, "x", kind, "central", "value_added_idr_m") == pytest.approx(0, abs=1e-12)
    t, workers, *_ = small
    if raw_input == "recipe":
        assert _get(res, "x", "direct", "central") == pytest.approx(0.5)  # the plant's staff
    else:  # the textbook shock also loses the raw output at the sector's average
        lost = workers["2"] / t.output["2"] * 12.0
        assert _get(res, "x", "direct", "central") == pytest.approx(0.5 - lost)


def test_zero_rows_only_give_zero(small):
    res = _run(
        small,
        [
            {"product": "proc_x", "stage": "processed", "delta_t": 0.0, "delta_value_usd": 0.0},
            {"product": "raw_x", "stage": "raw", "delta_t": 0.0, "delta_value_usd": 0.0},
        ],
    )
    assert res.empty and "jobs" in res.columns


def test_currency_and_price_year(small):
    base = _run(
        small,
        [
            {"product": "proc_x", "stage": "processed", "delta_t": 50.0, "delta_value_usd": 20.0},
        ],
    )
    with pytest.warns(HilirDataWarning, match="not deflated"):
        moved = _run(
            small,
            [
                {
                    "product": "proc_x",
                    "stage": "processed",
                    "delta_t": 50.0,
                    "delta_value_usd": 20.0,
                    "year": 2020,
                },
            ],
        )
    pd.testing.assert_series_equal(base["jobs"], moved["jobs"])
    half = _run(
        small,
        [
            {
                "product": "proc_x",
                "stage": "processed",
                "delta_t": 50.0,
                "delta_value_usd": 20.0,
                "year": 2020,
            },
        ],
        price_factor={2020: 0.5},
    )
    for kind in ("indirect", "induced"):
        assert _get(half, "x", kind, "central") == pytest.approx(
            _get(base, "x", kind, "central") / 2
        )
    assert half.attrs["settings"]["price_factor"] == {2020: 0.5}
    with pytest.raises(ValueError, match="no value for years"):
        _run(
            small,
            [
                {
                    "product": "proc_x",
                    "stage": "processed",
                    "delta_t": 1.0,
                    "delta_value_usd": 1.0,
                    "year": 2021,
                }
            ],
            price_factor={2020: 0.5},
        )


def test_price_factors_from_an_index():
    prices = pd.DataFrame(
        {"series": "MUV", "year": [2010, 2023], "month": pd.NA, "price": [100.0, 111.3]}
    )
    f = price_factors(prices, to_year=2010)
    assert f[2023] == pytest.approx(100 / 111.3) and f[2010] == 1.0


# ---------------------------------------------------------------------------- bad inputs


@pytest.mark.parametrize(
    ("change", "column", "message"),
    [
        (lambda d: d.assign(bound=["mid", *list(d["bound"][1:])]), "bound", "not low, central"),
        (lambda d: d.assign(stage=["mixed", *list(d["stage"][1:])]), "stage", "mixed-stage"),
        (lambda d: d.assign(stage=["roasted", *list(d["stage"][1:])]), "stage", "not one of"),
        (lambda d: pd.concat([d, d.iloc[[0]]], ignore_index=True), "product", "appears twice"),
        (lambda d: d.assign(geography="IDN"), "geography", "the changes are for 'IDN'"),
        (lambda d: d.drop(columns="year"), "year", "lack columns"),
    ],
)
def test_bad_changes(lampung, sakernas2010, change, column, message):
    ch = example_changes()
    ch = ch[ch["chain"] == "coffee"].reset_index(drop=True)
    with pytest.raises(HilirDataError, match=message) as err:
        jobs_from_scenario(change(ch), geography="ID-LA", table=lampung, employment=sakernas2010)
    assert err.value.column == column


def test_bad_options(lampung, wiod2010):
    ch = example_changes()
    coffee = ch[ch["chain"] == "coffee"]
    with pytest.raises(ValueError, match="geography"):
        jobs_from_scenario(coffee, geography="ID-JK", table=lampung)
    with pytest.raises(ValueError, match="is for ID-LA, not IDN"):
        jobs_from_scenario(coffee.assign(geography="IDN"), geography="IDN", table=lampung)
    with pytest.raises(ValueError, match="raw_input"):
        jobs_from_scenario(coffee, geography="ID-LA", table=lampung, raw_input="none")
    t = dataclasses.replace(wiod2010)
    assert t.year == 2010


def test_share_grid_and_value_model_labels(lampung, sakernas2010):
    ch = example_changes()
    coffee = ch[(ch["chain"] == "coffee") & (ch["bound"] == "central")]
    grid = pd.concat(
        [
            coffee.assign(share=0.1, geography="Lampung"),
            coffee.assign(
                share=0.2,
                delta_t=coffee["delta_t"] * 2,
                delta_value_usd=coffee["delta_value_usd"] * 2,
            ),
        ],
        ignore_index=True,
    )
    res = jobs_from_scenario(grid, geography="ID-LA", table=lampung, employment=sakernas2010)
    assert list(res.columns[:4]) == ["geography", "table_source", "chain", "share"]
    tot = res[res["kind"] == "total"].set_index("share")["jobs"]
    assert tot[0.2] == pytest.approx(2 * tot[0.1])  # linear in the shock


def test_value_model_changes_are_accepted(wiod2010):
    """The frame of hilir.value.scenario_changes goes straight into the jobs model.

    Direct jobs = roasted coffee added (t) / 1,000 x 90.6 / 99.4 / 181.3 workers per 1,000 t
    (low / central / high; Kemenperin 2013 via Bisnis Indonesia, labour_coefficients.csv):
    WIOD has no employment accounts, so the direct-jobs check has no sector average and the
    cited coefficient stays (``direct_implausible`` is NA). A bound the value model makes
    impossible (roasted coffee worth less than its green coffee, see
    test_impossible_bound_is_not_computed) has no jobs."""
    from hilir import load_exports
    from hilir.value import scenario, scenario_changes

    exports = load_exports()
    result = scenario(exports, chain="coffee", year=2010, shares=[0.1], target="coffee_roasted")
    changes = scenario_changes(result)
    res = jobs_from_scenario(changes, geography="IDN", table=wiod2010)
    direct = res[(res["kind"] == "direct")].set_index("bound")
    roasted = changes[changes["product"] == "coffee_roasted"].set_index("bound")["delta_t"]
    for bound, workers in zip(BOUNDS, (90.6, 99.4, 181.3), strict=True):
        assert roasted[bound] > 0
        if direct.loc[bound, "na_reason"].startswith("impossible scenario bound"):
            assert np.isnan(direct.loc[bound, "jobs"])
        else:
            assert direct.loc[bound, "jobs"] == pytest.approx(roasted[bound] / 1000 * workers)
    assert direct["jobs"].notna().sum() >= 2
    assert res[res["kind"] == "indirect"]["jobs"].isna().all()
    assert res["source"].eq("wiod_niot_idn").all()  # WIOD: no employment accounts
    assert res["direct_implausible"].isna().all()
    assert res["sector_va_per_worker_idr_m"].isna().all()


def test_default_tables_are_loaded_by_geography():
    ch = example_changes()
    with warnings.catch_warnings():
        warnings.simplefilter("error", HilirDataWarning)  # 2010 values, 2010 table: no warning
        res = jobs_from_scenario(
            ch[ch["chain"] == "palm_oil"],
            geography="ID-LA",
            closure="wages",
            employment_rule="value_added",
        )
    assert (res["table_source"] == "bps_lampung_io2010").all()
    assert res.attrs["settings"]["usd_to_idr"] == 9082.8  # 2010, ECB cross rates


def _coffee_2010_changes() -> pd.DataFrame:
    """The 2010 coffee scenario of the value model at share 0.2 (shipped data), by hand.

    Raw forgone: 86,556.2 t of green coffee; roasted added: 86,556.2 / 1.19 = 72,736.3 t.
    Unit values (USD/t; the low bound pairs the low roasted with the high green value,
    min/max over 2008-2010): green 2,114.02 / 1,877.47 / 1,611.78, roasted 2,400.56 /
    2,883.22 / 2,883.22 (low / central / high).
    """
    green = {"low": 2114.018875, "central": 1877.469205, "high": 1611.781124}
    roasted = {"low": 2400.564175, "central": 2883.223684, "high": 2883.223684}
    rows = []
    for b in BOUNDS:
        rows.append(("coffee", "coffee_green", "raw", b, -86_556.2, -86_556.2 * green[b]))
        rows.append(
            ("coffee", "coffee_roasted", "processed", b, 72_736.302521, 72_736.302521 * roasted[b])
        )
    cols = ["chain", "product", "stage", "bound", "delta_t", "delta_value_usd"]
    return pd.DataFrame(rows, columns=cols).assign(year=2010)


@pytest.mark.parametrize("raw_input", ["recipe", "average"])
def test_impossible_bound_is_not_computed(lampung, sakernas2010, raw_input):
    """Low bound: roasted coffee 72,736.3 t x 2,400.56 = USD 174.61 M is worth less than the
    green coffee it uses, 86,556.2 t x 2,114.02 = USD 182.98 M: raw cost share
    s = 182.98 / 174.61 = 1.048 > 1. The recipe gave the roaster negative other purchases
    and value added (+6,590 direct jobs with Rp -45.5 bn of value added). That bound is now
    not computed: NaN jobs, value added and imports, complete=False, the reason in
    na_reason. Central (s = 162.51 / 209.72 = 0.775) and high bounds are unaffected."""
    res = jobs_from_scenario(
        _coffee_2010_changes(),
        geography="ID-LA",
        table=lampung,
        employment=sakernas2010,
        raw_input=raw_input,
    )
    low = res[res["bound"] == "low"]
    assert len(low) == 4
    assert low[["jobs", "value_added_idr_m", "import_leakage_idr_m"]].isna().all().all()
    assert not low["complete"].any()
    assert low["na_reason"].str.contains("impossible scenario bound").all()
    assert low["na_reason"].str.contains("s = 1.048").all()
    rest = res[res["bound"] != "low"]
    assert rest["complete"].all() and (rest["na_reason"] == "").all()
    if raw_input == "recipe":  # the roaster's own value added (s < 1); "average" nets the farms
        assert (rest.loc[rest["kind"] == "direct", "value_added_idr_m"] > 0).all()
    assert (rest["source"] == "bps_lampung_io2010+sakernas_prov_sect9_2010_2014").all()


def test_source_keys_of_the_changes_are_carried(lampung, sakernas2010):
    """A ``source`` column in the changes (provenance keys) joins the result's ``source``;
    free text (employment given as a Series) is not a key."""
    ch = example_changes()
    ch = ch[ch["chain"] == "coffee"].assign(source="faostat_idn_trade")
    res = jobs_from_scenario(ch, geography="ID-LA", table=lampung, employment=sakernas2010)
    assert set(res["source"]) == {
        "bps_lampung_io2010+faostat_idn_trade+sakernas_prov_sect9_2010_2014"
    }
    workers = pd.Series(1000.0, index=[str(c) for c in lampung.sectors["code"]])
    res2 = jobs_from_scenario(
        ch.drop(columns="source"), geography="ID-LA", table=lampung, employment=workers
    )
    assert set(res2["source"]) == {"bps_lampung_io2010"}


def test_muv_price_factor_deflates_to_the_table_year():
    """price_factor="muv" uses the shipped MUV index (2010 = 100; 99.478022 in 2019): USD of
    2019 -> USD of the national table's year is MUV[table year] / 99.478022."""
    import hilir
    from hilir.jobs import jobs_from_scenario
    from hilir.value import scenario, scenario_changes

    exports = hilir.load_exports(chain="coffee")
    sc = scenario(exports, chain="coffee", year=2019, shares=[0.1], target="coffee_roasted")
    jf = jobs_from_scenario(scenario_changes(sc), geography="IDN", price_factor="muv")
    settings = jf.attrs["settings"]
    muv = hilir.load_prices(series="MUV", frequency="annual").set_index("year")["price"]
    expected = muv[settings["table_year"]] / 99.478022
    assert settings["price_factor"][2019] == pytest.approx(expected, rel=1e-6)
    assert settings["price_factor"][2019] != 1.0
    assert "MUV" in settings["price_factor_basis"]
