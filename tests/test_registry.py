"""The commodity-chain registry: validation on load, shipped content, factors, HS revisions."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pandas as pd
import pytest

import hilir
from hilir.errors import HilirDataError, HilirDataWarning
from hilir.hs import REVISIONS
from hilir.paths import raw_dir
from hilir.registry.tables import (
    COLUMNS,
    STAGES,
    chain_table,
    chains,
    factor_for,
    factors,
    preferred_sources,
    product_codes,
    products,
    validate_registry,
)

HS_DIR = raw_dir() / "hs"


def write_table(
    folder: Path, table: str, rows: list[dict[str, str]], name: str | None = None
) -> Path:
    """Write one registry CSV with the full header; missing cells are empty."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (name or f"{table}.csv")
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS[table], lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in COLUMNS[table]})
    return path


def fixed(product: str, low="1", central="1", high="1", **kw) -> dict[str, str]:
    row = {
        "product": product,
        "low": low,
        "central": central,
        "high": high,
        "method": "fixed",
        "basis": "t raw per t product",
        "source": "Test source",
        "reliability": "low",
    }
    row.update(kw)
    return row


def new_chain(folder: Path, products_rows, codes_rows=(), factor_rows=None) -> Path:
    """An extra folder with a chain 'testchain' whose raw product is 'test_raw'."""
    write_table(
        folder,
        "chains",
        [
            {
                "chain": "testchain",
                "name_id": "Uji",
                "name_en": "Test",
                "kind": "agro",
                "raw_only": "false",
                "raw_product": "test_raw",
            }
        ],
    )
    prods = [
        {
            "product": "test_raw",
            "chain": "testchain",
            "stage": "raw",
            "name_id": "a",
            "name_en": "a",
            "raw_product": "test_raw",
        },
        *products_rows,
    ]
    write_table(folder, "products", prods)
    if codes_rows:
        write_table(folder, "product_codes", list(codes_rows))
    if factor_rows is None:
        factor_rows = [
            fixed(p["product"])
            if p["stage"] == "raw"
            else {
                "product": p["product"],
                "method": "none",
                "reason_if_none": "x",
                "basis": "t",
                "source": "none found",
                "reliability": "low",
            }
            for p in prods
        ]
    write_table(folder, "factors", factor_rows)
    return folder


def product(key: str, stage: str = "processed") -> dict[str, str]:
    return {
        "product": key,
        "chain": "testchain",
        "stage": stage,
        "name_id": key,
        "name_en": key,
        "raw_product": "test_raw",
    }


def assert_error(exc: pytest.ExceptionInfo, path: Path, row: int, column: str) -> None:
    err = exc.value
    assert Path(err.path) == path, str(err)
    assert (err.row, err.column) == (row, column), str(err)
    assert str(path) in str(err) and f"row {row}" in str(err) and repr(column) in str(err)


# --- validation errors name file, row and column ----------------------------------------------


def test_duplicate_product_key_names_file_row_column(tmp_path):
    path = write_table(
        tmp_path,
        "products",
        [
            {
                "product": "nickel_ore_extra",
                "chain": "nickel",
                "stage": "raw",
                "name_id": "a",
                "name_en": "a",
            },
            {
                "product": "coffee_green",
                "chain": "coffee",
                "stage": "raw",
                "name_id": "b",
                "name_en": "b",
            },
        ],
        name="my_products.csv",
    )
    with pytest.raises(HilirDataError, match="duplicate product key") as exc:
        validate_registry(extra=path)
    assert_error(exc, path, 3, "product")


def test_overlapping_prefixes_in_the_same_revision_fail(tmp_path):
    new_chain(
        tmp_path,
        [product("test_a"), product("test_b")],
        [
            {"product": "test_a", "system": "HS", "code": "7110", "revisions": "HS2017;HS2022"},
            {"product": "test_b", "system": "HS", "code": "711011", "revisions": "HS2022"},
        ],
    )
    with pytest.raises(HilirDataError, match="overlaps code 7110") as exc:
        validate_registry(extra=tmp_path)
    assert_error(exc, tmp_path / "product_codes.csv", 3, "code")


def test_extra_code_overlapping_a_shipped_heading_fails(tmp_path):
    """A product claiming 260400 clashes with nickel_ore's 2604 (the issue's example)."""
    new_chain(
        tmp_path,
        [product("test_a")],
        [{"product": "test_a", "system": "HS", "code": "260400", "revisions": "HS2012"}],
    )
    with pytest.raises(HilirDataError, match="nickel_ore") as exc:
        validate_registry(extra=tmp_path)
    assert_error(exc, tmp_path / "product_codes.csv", 2, "code")


def test_same_code_in_different_revisions_is_allowed(tmp_path):
    new_chain(
        tmp_path,
        [product("test_a"), product("test_b")],
        [
            {"product": "test_a", "system": "HS", "code": "711011", "revisions": "HS1992;HS1996"},
            {"product": "test_b", "system": "HS", "code": "7110", "revisions": "HS2022"},
        ],
    )
    codes = product_codes(extra=tmp_path)
    assert set(codes.loc[codes["product"].str.startswith("test_"), "code"]) == {"711011", "7110"}


def test_faostat_item_claimed_twice_fails(tmp_path):
    new_chain(
        tmp_path,
        [product("test_a")],
        [{"product": "test_a", "system": "FAOSTAT", "code": "0656", "revisions": ""}],
    )
    with pytest.raises(HilirDataError, match="FAOSTAT item claim") as exc:
        validate_registry(extra=tmp_path)
    assert_error(exc, tmp_path / "product_codes.csv", 2, "code")


def test_missing_source_fails(tmp_path):
    new_chain(tmp_path, [], factor_rows=[fixed("test_raw", source="")])
    with pytest.raises(HilirDataError, match="missing") as exc:
        validate_registry(extra=tmp_path)
    assert_error(exc, tmp_path / "factors.csv", 2, "source")


def test_low_above_central_fails(tmp_path):
    new_chain(
        tmp_path,
        [product("test_a")],
        factor_rows=[fixed("test_raw"), fixed("test_a", low="3", central="2", high="4")],
    )
    with pytest.raises(HilirDataError, match="low must not exceed central") as exc:
        validate_registry(extra=tmp_path)
    assert_error(exc, tmp_path / "factors.csv", 3, "central")


def test_central_above_high_fails(tmp_path):
    new_chain(
        tmp_path,
        [product("test_a")],
        factor_rows=[fixed("test_raw"), fixed("test_a", low="1", central="5", high="4")],
    )
    with pytest.raises(HilirDataError, match="central must not exceed high") as exc:
        validate_registry(extra=tmp_path)
    assert_error(exc, tmp_path / "factors.csv", 3, "high")


@pytest.mark.parametrize(
    ("factor", "column", "message"),
    [
        ({"method": "none", "low": "1", "reason_if_none": "x"}, "low", "takes no factor values"),
        ({"method": "none"}, "reason_if_none", "say why"),
        ({"central": ""}, "central", "needs a central value"),
        ({"central": "abc"}, "central", "not a number"),
        ({"low": "0", "central": "0", "high": "0"}, "low", "positive"),
        ({"method": "guess"}, "method", "not one of"),
        ({"reliability": "sure"}, "reliability", "not one of"),
        ({"year_from": "2010", "year_to": "2000"}, "year_to", "before year_from"),
        ({"product": "no_such_product"}, "product", "unknown product"),
    ],
)
def test_bad_factor_rows_name_the_column(tmp_path, factor, column, message):
    row = fixed("test_a", low="1", central="2", high="3")
    row.update(factor)
    if row["method"] == "none":
        row.update({k: factor.get(k, "") for k in ("low", "central", "high")})
    new_chain(tmp_path, [product("test_a")], factor_rows=[fixed("test_raw"), row])
    with pytest.raises(HilirDataError, match=message) as exc:
        validate_registry(extra=tmp_path)
    assert_error(exc, tmp_path / "factors.csv", 3, column)


def test_overlapping_factor_years_fail(tmp_path):
    new_chain(
        tmp_path,
        [product("test_a")],
        factor_rows=[
            fixed("test_raw"),
            fixed("test_a", year_to="2010"),
            fixed("test_a", year_from="2010"),
        ],
    )
    with pytest.raises(HilirDataError, match="overlap row 3") as exc:
        validate_registry(extra=tmp_path)
    assert_error(exc, tmp_path / "factors.csv", 4, "year_from")


def test_mixed_item_cannot_carry_a_factor(tmp_path):
    new_chain(
        tmp_path,
        [product("test_mix", "mixed")],
        factor_rows=[fixed("test_raw"), fixed("test_mix", low="1", central="1.5", high="2")],
    )
    with pytest.raises(HilirDataError, match="cited split") as exc:
        validate_registry(extra=tmp_path)
    assert_error(exc, tmp_path / "factors.csv", 3, "method")


def test_raw_product_must_have_factor_one(tmp_path):
    new_chain(tmp_path, [], factor_rows=[fixed("test_raw", low="1", central="1.2", high="1.3")])
    with pytest.raises(HilirDataError, match="factor 1") as exc:
        validate_registry(extra=tmp_path)
    assert_error(exc, tmp_path / "factors.csv", 2, "central")


def test_product_without_factor_row_fails(tmp_path):
    new_chain(tmp_path, [product("test_a")], factor_rows=[fixed("test_raw")])
    with pytest.raises(HilirDataError, match="no row in factors") as exc:
        validate_registry(extra=tmp_path)
    assert_error(exc, tmp_path / "products.csv", 3, "product")


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ({"stage": "semi"}, "stage", "not one of"),
        ({"chain": "tea"}, "chain", "unknown chain"),
        ({"product": "Bad Key"}, "product", "lower-case"),
        ({"raw_product": "coffee_green"}, "raw_product", "not in chain"),
        ({"name_en": ""}, "name_en", "missing"),
    ],
)
def test_bad_product_rows_name_the_column(tmp_path, row, column, message):
    prod = product("test_a")
    prod.update(row)
    new_chain(tmp_path, [prod], factor_rows=[fixed("test_raw")])
    with pytest.raises(HilirDataError, match=message) as exc:
        validate_registry(extra=tmp_path)
    assert_error(exc, tmp_path / "products.csv", 3, column)


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ({"revisions": ""}, "revisions", "need"),
        ({"revisions": "HS2023"}, "revisions", "need"),
        ({"code": "07x1"}, "code", "not made of digits"),
        ({"system": "CN"}, "system", "not one of"),
    ],
)
def test_bad_code_rows_name_the_column(tmp_path, row, column, message):
    code = {"product": "test_a", "system": "HS", "code": "071190", "revisions": "HS2022"}
    code.update(row)
    new_chain(tmp_path, [product("test_a")], [code])
    with pytest.raises(HilirDataError, match=message) as exc:
        validate_registry(extra=tmp_path)
    assert_error(exc, tmp_path / "product_codes.csv", 2, column)


def test_hs_code_stored_as_number_is_repaired_with_a_warning(tmp_path):
    new_chain(
        tmp_path,
        [product("test_a")],
        [{"product": "test_a", "system": "HS", "code": "70310", "revisions": "HS2022"}],
    )
    with pytest.warns(HilirDataWarning, match="leading zero"):
        codes = product_codes(extra=tmp_path)
    assert "070310" in set(codes["code"])


def test_equal_ranks_for_the_same_flow_fail(tmp_path):
    path = write_table(
        tmp_path,
        "preferred_sources",
        [
            {
                "chain": "coal",
                "source": "my_coal",
                "year_from": "2015",
                "rank": "1",
                "reason": "mine",
            },
        ],
    )
    with pytest.raises(HilirDataError, match="ambiguous") as exc:
        validate_registry(extra=path)
    assert_error(exc, path, 2, "rank")


def test_extra_needs_a_known_table_name(tmp_path):
    path = tmp_path / "stuff.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(HilirDataError, match="which registry table"):
        validate_registry(extra=path)
    wrong = tmp_path / "x_chains.csv"
    wrong.write_text("chain,title\ncoffee,Kopi\n", encoding="utf-8")
    with pytest.raises(HilirDataError, match="missing column") as exc:
        validate_registry(extra=wrong)
    assert exc.value.path == str(wrong) and exc.value.row == 1


def test_extra_rows_are_added_and_the_cache_sees_edits(tmp_path):
    new_chain(
        tmp_path,
        [product("test_a")],
        [{"product": "test_a", "system": "HS", "code": "071190", "revisions": "HS2022"}],
    )
    first = chains(extra=tmp_path)
    assert {"test_raw", "test_a"} <= set(first["product"])
    assert len(first) == len(chains()) + 2
    assert validate_registry(extra=tmp_path) is validate_registry(extra=tmp_path)
    path = tmp_path / "products.csv"
    text = path.read_text(encoding="utf-8").replace("test_a,test_a", "test_a,Nama baru")
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    assert products(extra=tmp_path).set_index("product").loc["test_a", "name_en"] == "Nama baru"


# --- the shipped registry --------------------------------------------------------------------


def test_chains_table_shape_and_columns():
    reg = hilir.chains()
    assert list(reg.columns) == [
        "chain",
        "chain_name_id",
        "chain_name_en",
        "product",
        "stage",
        "name_id",
        "name_en",
        "hs_codes",
        "item_codes",
        "factor_low",
        "factor_central",
        "factor_high",
        "factor_basis",
        "factor_method",
        "factor_source",
    ]
    assert reg["product"].is_unique and len(reg) == len(products())
    assert set(reg["stage"]) <= set(STAGES)
    assert set(reg["chain"]) == set(chain_table()["chain"])
    # alumina_feed (the aluminium chain's raw product) is imported, never exported: no code
    coded = (reg["hs_codes"] != "") | (reg["item_codes"] != "")
    assert (coded | reg["product"].eq("alumina_feed")).all(), "every traded product has a code"
    assert reg["chain_name_id"].str.len().gt(0).all() and reg["name_id"].str.len().gt(0).all()
    has = reg["factor_method"] != "none"
    assert (reg.loc[has, "factor_low"] <= reg.loc[has, "factor_central"]).all()
    assert (reg.loc[has, "factor_central"] <= reg.loc[has, "factor_high"]).all()
    assert reg.loc[~has, ["factor_low", "factor_central", "factor_high"]].isna().all().all()


def test_expected_chains_are_present():
    tab = chain_table().set_index("chain")
    assert set(tab.index) == {
        "coffee",
        "spices",
        "rubber",
        "palm_oil",
        "nickel",
        "bauxite",
        "aluminium",
        "copper",
        "tin",
        "coal",
        "cocoa",
        "cassava",
        "pineapple",
    }
    assert tab.loc["coal", "raw_only"] and not tab.drop("coal")["raw_only"].any()
    assert set(tab["kind"]) == {"agro", "mineral"}
    assert tab.loc["nickel", "kind"] == "mineral" and tab.loc["coffee", "kind"] == "agro"


def test_each_chain_has_one_raw_product_unless_documented():
    prods, tab = products(), chain_table().set_index("chain")
    for chain, group in prods.groupby("chain"):
        raws = sorted(group.loc[group["stage"] == "raw", "product"])
        assert tab.loc[chain, "raw_product"] in raws
        if len(raws) > 1:
            note = tab.loc[chain, "note"]
            assert note.startswith("Several raw products (documented)"), chain
            assert all(r in note for r in raws), (chain, raws)
    multi = {c for c, g in prods.groupby("chain") if (g["stage"] == "raw").sum() > 1}
    assert multi == {"spices", "rubber", "palm_oil", "cassava"}


def test_raw_only_chain_has_only_raw_products():
    prods = products()
    assert set(prods.loc[prods["chain"] == "coal", "stage"]) == {"raw"}


def test_raw_lines_point_to_raw_products_with_factor_one():
    prods = products().set_index("product")
    heads = set(prods.loc[prods["raw_product"] != "", "raw_product"])
    assert (prods.loc[sorted(heads), "stage"] == "raw").all()
    fa = factors().set_index("product")
    assert (fa.loc[sorted(heads), ["low", "central", "high"]] == 1.0).all().all()
    assert prods.loc["cloves_ground", "raw_product"] == "cloves_whole"
    assert prods.loc["rubber_latex", "raw_product"] == "rubber_dry"


def test_mixed_items_have_no_factor_and_the_named_ones_are_mixed():
    reg = chains().set_index("product")
    mixed = reg[reg["stage"] == "mixed"]
    assert (mixed["factor_method"] == "none").all()
    # FAOSTAT palm oil (257) and pepper (687) span stages; coffee extracts (659) hold soluble
    # coffee and coffee mixes, both processed, so 659 is processed (issue 12)
    by_item = {i: p for p, items in reg["item_codes"].items() for i in items.split(";") if i}
    assert reg.loc[by_item["659"], "stage"] == "processed"
    assert reg.loc[by_item["257"], "stage"] == "mixed"
    assert reg.loc[by_item["687"], "stage"] == "mixed"


def test_every_factor_has_a_source_and_derived_ones_show_arithmetic():
    fa = factors()
    assert fa["source"].str.strip().str.len().gt(0).all()
    derived = fa[fa["note"].str.contains("Derived \\(ours\\)|derived \\(ours\\)", regex=True)]
    assert len(derived) >= 5
    assert derived["note"].str.contains(r"\d\s*[/x=]\s*[\d(]", regex=True).all()
    assert (fa.loc[fa["method"] == "none", "reason_if_none"].str.len() > 0).all()
    assert set(fa["method"]) == {"fixed", "estimate_by_year", "none"}
    assert fa["year_from"].dtype == "Int64" and fa["central"].dtype == "float64"


def test_no_source_is_said_in_the_data():
    fa = factors().set_index("product", drop=False)
    tin = fa.loc["tin_unwrought"]
    assert tin["method"] == "none" and "NOT FOUND" in tin["reason_if_none"]
    pepper = fa.loc["pepper_ground"]
    assert pepper["source"].startswith("No source found") and pepper["low"] < pepper["high"]
    assert fa.loc["essential_oils", "method"] == "none"
    assert "not from the traded spice" in fa.loc["essential_oils", "reason_if_none"]
    assert fa.loc["cocoa_butter", "method"] == "none"
    assert fa.loc["tapioca", "reliability"] == "low" and fa.loc["tapioca", "central"] == 5.0
    assert "NO source" in fa.loc["biodiesel", "note"]  # FAME density


def test_ico_coffee_factors_reproduce_the_itc_equivalence():
    """ITC Coffee Guide: 60 kg green = 50.4 kg roasted; ICO factors 1.19, 2.6, 1.05."""
    assert factor_for("coffee_roasted", 2020)["central"] * 50.4 == pytest.approx(60, rel=1e-3)
    assert factor_for("coffee_soluble", 2020)["central"] == 2.6
    assert factor_for("coffee_green_decaf", 2020)["central"] == 1.05


def test_derived_mineral_factors_match_their_stated_arithmetic():
    c = {
        p: factor_for(p, 2020)
        for p in (
            "copper_cathode",
            "nickel_unwrought",
            "stainless_semis",
            "nickel_matte",
            "nickel_sulphate",
            "alumina",
            "aluminium_unwrought",
            "palm_oil_refined",
        )
    }
    # Freeport Manyar: 1.7 Mt concentrate -> 0.60-0.70 Mt cathode.
    assert c["copper_cathode"]["low"] == pytest.approx(1.7 / 0.70, abs=0.05)
    assert c["copper_cathode"]["central"] == pytest.approx(1.7 / 0.65, abs=0.05)
    assert c["copper_cathode"]["high"] >= 1.7 / 0.60
    ni = c["nickel_unwrought"]
    assert ni["low"] == pytest.approx(1 / (0.020 * 0.65), abs=0.5)
    assert ni["central"] == pytest.approx(13 / 0.12, abs=0.5)
    assert ni["high"] == pytest.approx(13 / 0.10, abs=0.5)
    for prod, ni_share in (("stainless_semis", 0.08), ("nickel_sulphate", 58.69 / 262.85)):
        for col in ("low", "central", "high"):
            assert c[prod][col] == pytest.approx(ni_share * ni[col], rel=0.03), (prod, col)
    assert c["nickel_matte"]["central"] == pytest.approx(0.75 * ni["central"], rel=0.01)
    # aluminium is made from imported alumina: ~2 t alumina per t (its own chain's raw basis)
    assert [c["aluminium_unwrought"][b] for b in ("low", "central", "high")] == [2.0] * 3
    assert c["palm_oil_refined"]["central"] == pytest.approx(1 / (0.73 + 0.21), abs=5e-4)


def test_factor_for_720260_is_split_by_year():
    feni, mix, npi = (factor_for("ferronickel", y) for y in (2010, 2015, 2019))
    assert feni["central"] == 22 and npi["central"] == 13 and mix["central"] == 17
    assert {feni["method"], mix["method"], npi["method"]} == {"estimate_by_year"}
    assert feni["year_to"] == 2014 and npi["year_from"] == 2016
    assert factor_for("ferronickel", 1989)["central"] == 22
    assert factor_for("ferronickel", 2030)["central"] == 13
    assert npi["high"] - npi["low"] >= 10, "a wide range"
    assert (mix["low"], mix["high"]) == (npi["low"], feni["high"])
    # chains() shows the most recent split.
    row = chains().set_index("product").loc["ferronickel"]
    assert (row["factor_central"], row["factor_method"]) == (13, "estimate_by_year")


def test_factor_for_errors(tmp_path):
    with pytest.raises(HilirDataError, match="unknown product"):
        factor_for("no_such", 2020)
    new_chain(
        tmp_path,
        [product("test_a")],
        factor_rows=[fixed("test_raw"), fixed("test_a", year_from="2000", year_to="2005")],
    )
    assert factor_for("test_a", 2003, extra=tmp_path)["central"] == 1
    with pytest.raises(HilirDataError, match="covers 2010"):
        factor_for("test_a", 2010, extra=tmp_path)


def test_preferred_sources_encode_the_coffee_rule():
    ps = preferred_sources()
    keys = {
        "comtrade_idn_nickel_chain",
        "comtrade_world_7218",
        "comtrade_idn_coffee_green",
        "comtrade_idn_ferronickel_destinations",
        "faostat_idn_trade",
        "faostat_idn_trade_more",
        "bps_coal_by_destination",
        "bps_copper_ore_by_destination",
    }
    assert set(ps["source"]) == keys
    green = ps[(ps["chain"] == "coffee") & (ps["product"] == "coffee_green")].set_index("source")
    assert green.loc["faostat_idn_trade", "rank"] == 1
    assert green.loc["comtrade_idn_coffee_green", "rank"] == 2
    assert "partner detail" in green.loc["faostat_idn_trade", "reason"]
    assert "never" in green.loc["comtrade_idn_coffee_green", "reason"]
    assert ps["rank"].dtype == "int64" and ps["year_from"].dtype == "Int64"
    assert (ps["reason"].str.len() > 0).all()


def test_accessors_return_copies():
    a = factors()
    a.loc[0, "central"] = -1
    assert factors().loc[0, "central"] != -1


# --- HS codes against the shipped HS extract -------------------------------------------------


def _hs_codes_by_revision() -> dict[str, set[str]]:
    nom = pd.read_csv(HS_DIR / "hs2022_nomenclature_extract.csv", dtype=str, keep_default_na=False)
    out = {"HS2022": set(nom.loc[nom["level"] == "6", "hscode"])}
    corr = pd.read_csv(HS_DIR / "hs_correspondence_extract.csv", dtype=str, keep_default_na=False)
    for rev, group in corr.groupby("to_revision"):
        out.setdefault(rev, set()).update(group["to_code"])
    for rev, group in corr.groupby("from_revision"):
        out.setdefault(rev, set()).update(group["from_code"])
    h96 = pd.read_csv(HS_DIR / "hs1996_codes_extract.csv", dtype=str, keep_default_na=False)
    out["HS1996"] = set(h96["code"])
    return out


def _exists(code: str, codes: set[str]) -> bool:
    return code in codes if len(code) == 6 else any(c.startswith(code) for c in codes)


def test_hs_extract_covers_every_revision():
    by_rev = _hs_codes_by_revision()
    assert set(by_rev) == set(REVISIONS)
    assert "720260" in by_rev["HS1992"] and "382600" in by_rev["HS2012"]
    assert "382600" not in by_rev["HS2007"] and "210110" not in by_rev["HS1996"]


def test_every_hs_code_exists_in_exactly_the_revisions_it_claims():
    by_rev = _hs_codes_by_revision()
    codes = product_codes()
    hs = codes[codes["system"] == "HS"]
    assert len(hs) > 80
    for row in hs.itertuples(index=False):
        claimed = set(row.revisions.split(";"))
        actual = {rev for rev in REVISIONS if _exists(row.code, by_rev[rev])}
        assert claimed == actual, (row.product, row.code, sorted(claimed ^ actual))


def test_faostat_codes_have_no_revisions_and_hs_codes_are_text():
    codes = product_codes()
    assert (codes.loc[codes["system"] == "FAOSTAT", "revisions"] == "").all()
    hs = codes.loc[codes["system"] == "HS", "code"]
    assert hs.str.fullmatch(r"\d{4}|\d{6}").all()
    assert "090111" in set(hs)


def test_hs_extract_sidecars_name_the_readers():
    from hilir.provenance.sidecar import read_sidecar, sidecar_path, verify_checksum

    readers = {}
    for name in (
        "hs2022_nomenclature_extract.csv",
        "hs_correspondence_extract.csv",
        "hs1996_codes_extract.csv",
    ):
        rec = read_sidecar(sidecar_path(HS_DIR / name))
        verify_checksum(rec)
        assert rec.table == "reference"
        readers[name] = rec.reader
    assert set(readers.values()) == {"hs_nomenclature", "hs_correspondence"}
    nom = pd.read_csv(HS_DIR / "hs2022_nomenclature_extract.csv", dtype=str, keep_default_na=False)
    codes = product_codes()
    hs = codes.loc[codes["system"] == "HS"]
    headings_2022 = {
        c[:4] for c, r in zip(hs["code"], hs["revisions"], strict=True) if "HS2022" in r
    }
    assert headings_2022 <= set(nom.loc[nom["level"] == "4", "hscode"])
