"""The value models on another country's data: a synthetic Viet Nam coffee Comtrade file.

Every model takes the reporter from the data (or an argument) and names the geography from
it; a missing net weight stays missing (never 0.0) and is named in a warning. The recipe
``docs/recipes/own_country.md`` runs here block by block on the fixture, so it cannot drift.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from hilir.errors import HilirDataError, HilirDataWarning
from hilir.provenance.sidecar import read_sidecar, sidecar_path, verify_checksum
from hilir.registry import map_products
from hilir.sources import read_comtrade
from hilir.value import (
    coffee_processing_variants,
    decompose_growth,
    processing_share,
    scenario,
    stage_table,
    uplift,
)

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "vnm" / "vnm_coffee_exports_2019_2021.csv"
RECIPE = ROOT / "docs" / "recipes" / "own_country.md"
PATH_LINE = re.compile(r'^path = "[^"]*"', re.MULTILINE)


@pytest.fixture(scope="module")
def exports() -> pd.DataFrame:
    """The fixture read and mapped as a user would: no reporter argument anywhere."""
    return map_products(read_comtrade(FIXTURE, source="comtrade_vnm_coffee"))


def _idn_like(exports: pd.DataFrame) -> pd.DataFrame:
    """The same rows relabelled as Indonesia's (the default geography of the shipped data)."""
    return exports.assign(reporter="IDN")


def test_fixture_is_marked_synthetic():
    rec = read_sidecar(sidecar_path(FIXTURE))
    verify_checksum(rec)
    assert rec.trust == "low"
    assert rec.notes.startswith("SYNTHETIC")
    assert "SYNTHETIC" in rec.title
    assert rec.geography == "VNM"


def test_reader_keeps_reporter_and_missing_weight(exports):
    assert set(exports["reporter"]) == {"VNM"}
    assert exports["product"].notna().all()
    gap = exports[(exports["year"] == 2021) & (exports["hs_code"] == "210112")]
    assert gap["net_weight_kg"].isna().all()


def test_processing_share_takes_reporter_from_data(exports):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ps = processing_share(exports, chain="coffee")
    assert not ps.empty
    assert set(ps["reporter"]) == {"VNM"}
    assert set(ps["geography"]) == {"Vietnam"}
    assert "Indonesia" not in set(ps["geography"])
    explicit = processing_share(exports, chain="coffee", reporter="VNM")
    pd.testing.assert_frame_equal(ps, explicit)
    cen = ps[ps["bound"] == "central"].set_index("year")
    # 2019: downstream value 95 + 480 + 180 = 755 million of 3,615 million USD
    assert cen.loc[2019, "share_value"] == pytest.approx(755 / 3615)
    # raw-equivalent tonnes: 18,000 x 1.19 + 75,000 x 2.6 + 40,000 x 0.286
    assert cen.loc[2019, "raw_equivalent_t_downstream"] == pytest.approx(227_860.0)
    # 2021: no net weight for coffee preparations -> missing, never 0.0
    assert np.isnan(cen.loc[2021, "raw_equivalent_t_downstream"])
    assert np.isnan(cen.loc[2021, "share_volume"])
    assert cen.loc[2021, "share_value"] == pytest.approx(913 / 3863)
    texts = [str(w.message) for w in caught if issubclass(w.category, HilirDataWarning)]
    assert any("coffee_preparations (VNM 2021)" in t and "net weight" in t for t in texts)


def test_absent_reporter_warning_names_the_data_reporters(exports):
    with pytest.warns(HilirDataWarning, match=r"reporter 'THA'.*\['VNM'\].*reporter="):
        ps = processing_share(exports, chain="coffee", reporter="THA")
    assert ps.empty


def test_indonesian_rows_keep_the_indonesian_default(exports):
    both = pd.concat([exports, _idn_like(exports)], ignore_index=True)
    st = stage_table(both, chain="coffee")
    assert set(st["reporter"]) == {"IDN"}
    assert st.attrs["excluded_reporters"] == ["VNM"]
    assert set(st["geography"]) == {"Indonesia"}
    both_ps = processing_share(both, chain="coffee", reporter=["IDN", "VNM"])
    assert set(both_ps["reporter"]) == {"IDN", "VNM"}


def test_missing_weight_is_nan_in_stage_table(exports):
    st = stage_table(exports, chain="coffee")
    row = st[(st["product"] == "coffee_preparations") & (st["year"] == 2021)]
    assert len(row) == 3
    assert row["quantity_t"].isna().all()
    assert row["raw_equivalent_t"].isna().all()
    assert (row["value_usd"] == 205_000_000).all()


def test_uplift_is_labelled_with_the_data_reporter(exports):
    up = uplift(exports, chain="coffee")
    assert not up.empty
    assert set(up["reporter"]) == {"VNM"}
    assert set(up["geography"]) == {"Vietnam"}
    assert (up["basis"] == "trade data").all()
    cen = up[(up["bound"] == "central") & (up["product"] == "coffee_roasted")].set_index("year")
    # (95e6 / (18,000 t x 1.19)) / (2,860e6 / 1,650,000 t)
    expected = (95e6 / (18_000 * 1.19)) / (2_860e6 / 1_650_000)
    assert cen.loc[2019, "uplift"] == pytest.approx(expected)
    gap = up[(up["product"] == "coffee_preparations") & (up["year"] == 2021)]
    assert gap["quantity_t"].isna().all()
    assert gap["assumption"].str.contains("no net weight").all()


def test_uplift_without_chain_data_uses_the_data_reporter(exports):
    up = uplift(exports, chain="cocoa")
    assert not up.empty
    assert set(up["reporter"]) == {"VNM"}
    assert (up["basis"] == "assumption").all()


def test_scenario_takes_reporter_from_data(exports):
    res = scenario(exports, chain="coffee", year=2020, shares=[0.1])
    assert set(res["reporter"]) == {"VNM"}
    assert set(res["geography"]) == {"Vietnam"}
    raw = res[(res["role"] == "raw") & (res["bound"] == "central")]
    assert raw["delta_t"].iloc[0] == pytest.approx(-156_000.0)
    assert raw["unit_value_usd_per_t"].iloc[0] == pytest.approx(2_650e6 / 1_560_000)
    tgt = res[(res["role"] == "target") & (res["bound"] == "central")]
    assert tgt["product"].iloc[0] == "coffee_soluble"
    same = scenario(exports, chain="coffee", year=2020, shares=[0.1], reporter="VNM")
    pd.testing.assert_frame_equal(res, same)


def test_scenario_needs_one_reporter(exports):
    both = pd.concat([exports, exports.assign(reporter="THA")], ignore_index=True)
    with pytest.raises(HilirDataError, match=r"2 reporters \['THA', 'VNM'\].*reporter="):
        scenario(both, chain="coffee", year=2020, shares=[0.1])
    tha = scenario(both, chain="coffee", year=2020, shares=[0.1], reporter="THA")
    assert set(tha["geography"]) == {"Thailand"}


def test_scenario_from_inputs_is_labelled_with_the_reporter(exports):
    res = scenario(
        exports,
        chain="cocoa",
        year=2020,
        shares=[0.1],
        raw_exports_t=1_000.0,
        raw_unit_value_usd_per_t=2_000.0,
        raw_source="synthetic input",
    )
    assert set(res["reporter"]) == {"VNM"}
    named = scenario(
        exports,
        chain="cocoa",
        year=2020,
        shares=[0.1],
        raw_exports_t=1_000.0,
        raw_unit_value_usd_per_t=2_000.0,
        raw_source="synthetic input",
        reporter="THA",
    )
    assert set(named["reporter"]) == {"THA"}


def _recipe_blocks() -> list[str]:
    text = RECIPE.read_text(encoding="utf-8")
    return re.findall(r"^```python\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL)


def test_recipe_runs_on_the_fixture(capsys):
    blocks = _recipe_blocks()
    assert len(blocks) >= 5
    assert sum(len(PATH_LINE.findall(b)) for b in blocks) == 1, "one `path = ...` line"
    ns: dict[str, object] = {"__name__": "__recipe__"}
    for block in blocks:
        code = PATH_LINE.sub(f"path = {str(FIXTURE)!r}", block)
        exec(compile(code, str(RECIPE), "exec"), ns)
    out = capsys.readouterr().out
    assert "coffee_soluble" in out
    ps, up, res = ns["ps"], ns["up"], ns["res"]
    assert isinstance(ps, pd.DataFrame) and set(ps["geography"]) == {"Vietnam"}
    assert isinstance(up, pd.DataFrame) and set(up["geography"]) == {"Vietnam"}
    assert isinstance(res, pd.DataFrame) and set(res["geography"]) == {"Vietnam"}
    cen = ps[ps["bound"] == "central"].set_index("year")
    assert np.isnan(cen.loc[2021, "raw_equivalent_t_downstream"])


def test_decomposition_and_coffee_variants_take_reporter_from_data(exports):
    dec = decompose_growth(exports, chain="coffee", year_from=2019, year_to=2020)
    assert set(dec["reporter"]) == {"VNM"}
    assert set(dec["geography"]) == {"Vietnam"}
    var = coffee_processing_variants(exports)
    assert set(var["geography"]) == {"Vietnam"}
