"""hilir.checks.geography_name and geography_code: ISO 3166 names for any reporter's data.

The shipped geographies (``IDN`` Indonesia, ``ID-LA`` Lampung) keep their names; another
country's code is named from ISO 3166-1 (pycountry's common name, else its ISO name), a
subdivision code from ISO 3166-2; an unknown code passes through and a missing value stays
missing. :func:`~hilir.checks.geography_code` reads the names back.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pycountry
import pytest

from hilir.checks import GEOGRAPHY, geography, geography_code, geography_name
from hilir.registry import map_products
from hilir.sources import read_comtrade
from hilir.value import processing_share

ROOT = Path(__file__).resolve().parents[1]
VNM_FIXTURE = ROOT / "tests" / "fixtures" / "vnm" / "vnm_coffee_exports_2019_2021.csv"


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("IDN", "Indonesia"),
        ("ID-LA", "Lampung"),
        ("VNM", "Vietnam"),  # common name; the ISO name is "Viet Nam"
        ("KOR", "South Korea"),  # common name; the ISO name is "Korea, Republic of"
        ("TWN", "Taiwan"),  # common name; the ISO name is "Taiwan, Province of China"
        ("CHN", "China"),  # no common name: the ISO name
        ("ID-JB", "Jawa Barat"),  # an ISO 3166-2 province
    ],
)
def test_codes_are_named(code, name):
    assert geography_name(code) == name


def test_shipped_geographies_win():
    for code, name in GEOGRAPHY.items():
        assert geography_name(code) == name
        assert geography_code(name) == code


def test_every_country_gets_its_common_name_else_its_iso_name():
    for country in pycountry.countries:
        want = getattr(country, "common_name", None) or country.name
        if country.alpha_3 not in GEOGRAPHY:
            assert geography_name(country.alpha_3) == want, country.alpha_3


@pytest.mark.parametrize("code", ["WORLD", "WLD", "XOA", "EU2", "ZZZ", "XX-99", "", "vnm"])
def test_unknown_codes_pass_through(code):
    assert geography_name(code) == code


@pytest.mark.parametrize("missing", [None, np.nan, pd.NA, np.float32("nan")])
def test_missing_value_stays_missing(missing):
    assert geography_name(missing) is None
    assert geography_code(missing) is None


def test_geography_column_keeps_missing_reporters_missing():
    got = geography(pd.Series(["IDN", None, "VNM", "XOA"], dtype="string"))
    assert str(got.dtype) == "string"
    assert got.iloc[[0, 2, 3]].tolist() == ["Indonesia", "Vietnam", "XOA"]
    assert got.isna().tolist() == [False, True, False, False]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Viet Nam", "VNM"),  # ISO name
        ("Vietnam", "VNM"),  # common name
        ("Socialist Republic of Viet Nam", "VNM"),  # official name
        (" vnm ", "VNM"),
        ("Korea, Republic of", "KOR"),
        ("south korea", "KOR"),
        ("Taiwan", "TWN"),
        ("Lampung", "ID-LA"),
        ("id-la", "ID-LA"),
        ("Jawa Barat", "ID-JB"),
        ("Georgia", "GEO"),  # the country, not the US state
    ],
)
def test_names_give_codes(text, code):
    assert geography_code(text) == code


@pytest.mark.parametrize("text", ["Sumatra", "World", "ID", "360", "Narnia"])
def test_unknown_names_give_none(text):
    assert geography_code(text) is None


def test_world_only_when_asked():
    assert geography_code("dunia", world=True) == "WORLD"
    assert geography_code("WLD", world=True) == "WORLD"
    assert geography_code("dunia") is None


def test_round_trip_for_every_country():
    for country in pycountry.countries:
        assert geography_code(geography_name(country.alpha_3)) == country.alpha_3


@pytest.mark.parametrize("code", ["IDN", "ID-LA", "VNM", "KOR", "TWN", "ID-JB", "ID-JK"])
def test_round_trip(code):
    assert geography_code(geography_name(code)) == code


@pytest.mark.filterwarnings("ignore:no net weight:hilir.errors.HilirDataWarning")
def test_value_model_on_viet_nam_data_names_the_country():
    exports = map_products(read_comtrade(VNM_FIXTURE, source="comtrade_vnm_coffee"))
    ps = processing_share(exports, chain="coffee")
    assert not ps.empty
    assert set(ps["reporter"]) == {"VNM"}
    assert set(ps["geography"]) == {"Vietnam"}
    assert geography_code(ps["geography"].iloc[0]) == "VNM"
