"""Mapping trade rows to registry chains, products and stages."""

from __future__ import annotations

import csv
import re
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hilir.errors import HilirDataError, HilirDataWarning
from hilir.hs import revision_for_year
from hilir.paths import raw_dir
from hilir.registry.tables import COLUMNS, map_products

#: Every FAOSTAT item in the shipped data (trade TCL and production QCL) and its product.
FAOSTAT_ITEMS = {
    "257": "palm_oil_mixed",
    "258": "pko_mixed",
    "837": "rubber_dry",
    "836": "rubber_latex",
    "656": "coffee_green",
    "657": "coffee_roasted",
    "659": "coffee_extracts_mixed",
    "687": "pepper_mixed",
    "698": "cloves_mixed",
    "702": "nutmeg_mace_cardamoms",
    "693": "cinnamon_mixed",
    "692": "vanilla_mixed",
    "720": "ginger_mixed",
    "661": "cocoa_beans",
    "662": "cocoa_paste",
    "664": "cocoa_butter",
    "665": "cocoa_powder_cake",
    "666": "chocolate",
    "129": "tapioca",
    "128": "cassava_dried",
    "574": "pineapple_fresh",
    "575": "pineapple_canned",
    "125": "cassava_fresh",
}

#: Every HS code in the shipped trade data, with the revisions its rows carry.
#: Comtrade IDN -> world 1989-2020 (2604 as a heading, 720260, 7218, 7219), Comtrade coffee by
#: partner (H1 2005, H3 2010, H4 2015), ferro-nickel destinations (720260, 2020), BPS coal
#: (HS 2701) and copper ore (HS 2603) by destination, 2012-2024.
SHIPPED_HS = {
    "2604": "nickel_ore",
    "720260": "ferronickel",
    "7218": "stainless_semis",
    "7219": "stainless_flat",
    "090111": "coffee_green",
    "090112": "coffee_green_decaf",
    "2701": "coal",
    "2603": "copper_ore",
}


def trade(**cols) -> pd.DataFrame:
    n = max(len(v) for v in cols.values())
    base = {"hs_code": [""] * n, "item_code": [""] * n}
    base.update(cols)
    return pd.DataFrame(base)


def quiet_map(df: pd.DataFrame, **kw) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", HilirDataWarning)
        return map_products(df, **kw)


def test_bps_eight_digit_codes_match_their_six_digit_product():
    out = map_products(trade(hs_code=["09011110", "09011190", "72026000", "15111000", "40012220"]))
    assert out["product"].tolist() == [
        "coffee_green",
        "coffee_green",
        "ferronickel",
        "cpo",
        "rubber_dry",
    ]
    assert out["stage"].tolist() == ["raw", "raw", "intermediate", "raw", "raw"]
    assert out["chain"].tolist() == ["coffee", "coffee", "nickel", "palm_oil", "rubber"]


def test_headings_match_products_claiming_the_heading():
    out = map_products(trade(hs_code=["2604", "260400", "7218", "721810", "2701", "27011900"]))
    assert out["product"].tolist() == [
        "nickel_ore",
        "nickel_ore",
        "stainless_semis",
        "stainless_semis",
        "coal",
        "coal",
    ]


def test_faostat_items_match_on_item_code():
    out = map_products(trade(item_code=["656", "0659", "257", "687"]))
    assert out["product"].tolist() == [
        "coffee_green",
        "coffee_extracts_mixed",
        "palm_oil_mixed",
        "pepper_mixed",
    ]
    assert out["stage"].tolist() == ["raw", "processed", "mixed", "mixed"]


def test_every_shipped_faostat_item_maps():
    out = map_products(trade(item_code=list(FAOSTAT_ITEMS)))
    assert dict(zip(FAOSTAT_ITEMS, out["product"], strict=True)) == FAOSTAT_ITEMS


def test_the_faostat_item_list_matches_the_shipped_files():
    found = set()
    for path in sorted((raw_dir() / "faostat").glob("*.csv")):
        items = pd.read_csv(path, dtype=str, keep_default_na=False)["item"]
        found |= {m for text in items.unique() for m in re.findall(r"item (\d+)", text)}
    assert found == set(FAOSTAT_ITEMS)


def test_the_hs_list_matches_the_shipped_comtrade_files():
    folder = raw_dir() / "comtrade"
    nickel = pd.read_csv(
        folder / "idn_exports_2604_720260_7218_7219_1989_2020.csv", dtype=str, encoding="utf-8-sig"
    )
    coffee = pd.read_csv(folder / "idn_coffee_090111_090112_2005_2010_2015.csv", dtype=str)
    world = pd.read_csv(
        folder / "world_exporters_7218_2011_2020.csv", dtype=str, encoding="utf-8-sig"
    )
    codes = set(nickel["Commodity Code"]) | set(world["Commodity Code"])
    codes |= {c.zfill(6) for c in coffee["Commodity_Code"]}
    assert codes | {"2701", "2603"} == set(SHIPPED_HS)


def test_every_shipped_hs_code_maps_in_every_year_it_is_reported():
    rows = []
    for code in ("2604", "720260", "7218", "7219"):
        rows += [(code, y, revision_for_year(y)) for y in range(1989, 2021)]
    rows += [("090111", y, r) for y, r in ((2005, "HS1996"), (2010, "HS2007"), (2015, "HS2012"))]
    rows += [("090112", y, r) for y, r in ((2005, "HS1996"), (2010, "HS2007"), (2015, "HS2012"))]
    rows += [(c, y, None) for c in ("2701", "2603") for y in range(2012, 2025)]
    rows += [("720260", 2020, None)]
    df = pd.DataFrame(rows, columns=["hs_code", "year", "hs_revision"])
    with warnings.catch_warnings():
        warnings.simplefilter("error", HilirDataWarning)
        out = map_products(df)
    assert out["product"].tolist() == [SHIPPED_HS[c] for c in df["hs_code"]]


def test_revision_decides_which_codes_can_match():
    df = trade(
        hs_code=["090700", "090700", "401511", "401511", "210110", "210110"],
        hs_revision=["HS2007", "HS2012", "HS2017", "HS2022", "HS1992", "HS1996"],
    )
    with pytest.warns(HilirDataWarning) as rec:
        out = map_products(df)
    assert out["product"].tolist()[::2] == ["cloves_mixed", "gloves", "coffee_extracts_mixed"]
    assert out["product"].isna().tolist()[1::2] == [True, True, True]
    message = str(rec[0].message)
    assert "HS 090700 (HS2012)" in message and "HS 401511 (HS2022)" in message


def test_comtrade_classification_codes_are_accepted_and_bad_revisions_rejected():
    out = map_products(trade(hs_code=["090111"], hs_revision=["H4"]))
    assert out["product"].tolist() == ["coffee_green"]
    with pytest.raises(HilirDataError, match="unknown HS revision") as exc:
        map_products(trade(hs_code=["090111"], hs_revision=["HS2030"]))
    assert exc.value.column == "hs_revision"


def _clashing_registry(folder):
    """Two products claiming 070310 in different revisions."""

    def write(table, rows):
        with open(folder / f"{table}.csv", "w", newline="", encoding="utf-8") as fh:
            w = csv.DictWriter(fh, fieldnames=COLUMNS[table], lineterminator="\n")
            w.writeheader()
            for r in rows:
                w.writerow({c: r.get(c, "") for c in COLUMNS[table]})

    write(
        "chains",
        [
            {
                "chain": "onion",
                "name_id": "Bawang",
                "name_en": "Onion",
                "kind": "agro",
                "raw_only": "true",
                "raw_product": "onion_old",
            }
        ],
    )
    write(
        "products",
        [
            {
                "product": p,
                "chain": "onion",
                "stage": "raw",
                "name_id": p,
                "name_en": p,
                "raw_product": p,
            }
            for p in ("onion_old", "onion_new")
        ],
    )
    write(
        "product_codes",
        [
            {
                "product": "onion_old",
                "system": "HS",
                "code": "070310",
                "revisions": "HS1992;HS1996;HS2002;HS2007",
            },
            {
                "product": "onion_new",
                "system": "HS",
                "code": "070310",
                "revisions": "HS2012;HS2017;HS2022",
            },
        ],
    )
    write(
        "factors",
        [
            {
                "product": p,
                "low": "1",
                "central": "1",
                "high": "1",
                "method": "fixed",
                "basis": "t",
                "source": "test",
                "reliability": "low",
            }
            for p in ("onion_old", "onion_new")
        ],
    )
    return folder


def test_without_revision_the_year_decides_and_ambiguity_is_reported(tmp_path):
    reg = _clashing_registry(tmp_path)
    df = pd.DataFrame(
        {
            "hs_code": ["07031000", "070310", "070310", "070310"],
            "hs_revision": [None, "HS1996", None, None],
            "year": [2015, 2015, 2003, np.nan],
        }
    )
    with pytest.warns(HilirDataWarning, match="ambiguous"):
        out = map_products(df, extra=reg)
    assert out["product"].tolist()[:3] == ["onion_new", "onion_old", "onion_old"]
    assert pd.isna(out["product"].iloc[3])


def test_unmatched_rows_are_kept_and_listed_in_one_warning():
    df = trade(hs_code=["0902", "090111", "", "", "0902"], item_code=["", "", "999", "", ""])
    with pytest.warns(HilirDataWarning) as rec:
        out = map_products(df)
    assert len(rec) == 1
    message = str(rec[0].message)
    assert "4 row(s)" in message and "HS 0902" in message and "item 999" in message
    assert "(no code)" in message
    assert len(out) == len(df)
    assert out["product"].isna().tolist() == [True, False, True, True, True]
    assert out["chain"].isna().sum() == 4 and out["stage"].isna().sum() == 4


def test_input_is_not_mutated_and_index_and_columns_are_kept():
    df = trade(hs_code=["090111", "2604"], item_code=["", ""])
    df.index = [10, 10]
    df["value_usd"] = [1.0, 2.0]
    before = df.copy()
    out = map_products(df)
    pd.testing.assert_frame_equal(df, before)
    assert list(out.index) == [10, 10]
    assert list(out.columns) == ["hs_code", "item_code", "value_usd", "chain", "product", "stage"]
    assert str(out["product"].dtype) == "string"
    again = map_products(out)
    assert list(again.columns) == list(out.columns)


def test_frame_without_code_columns_is_an_error():
    with pytest.raises(HilirDataError, match="hs_code or item_code"):
        map_products(pd.DataFrame({"year": [2020]}))


def test_empty_frame_maps_to_empty_columns():
    out = map_products(trade(hs_code=[]).astype(str))
    assert list(out.columns)[-3:] == ["chain", "product", "stage"] and out.empty


CODES = ["09011110", "090111", "2604", "72026000", "0902", "090700", "401511", "", "99"]
ITEMS = ["", "656", "659", "999"]
REVS = [None, "HS1996", "HS2007", "HS2012", "HS2022"]


@settings(max_examples=40, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(CODES),
            st.sampled_from(ITEMS),
            st.sampled_from(REVS),
            st.integers(1990, 2024),
        ),
        min_size=1,
        max_size=25,
    ),
    seed=st.integers(0, 2**32 - 1),
)
def test_mapping_is_invariant_to_row_order(rows, seed):
    df = pd.DataFrame(rows, columns=["hs_code", "item_code", "hs_revision", "year"])
    order = np.random.default_rng(seed).permutation(len(df))
    shuffled = df.iloc[order]
    a = quiet_map(df)
    b = quiet_map(shuffled).loc[df.index]
    pd.testing.assert_frame_equal(a, b)
