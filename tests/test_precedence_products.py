"""Precedence per product and year (issue 13, item 4, the per-product rule).

Found by importing as a user would: a user file covering one product of a chain demoted
every other product of that chain, so a Comtrade download of HS 0901.11 for 2015 took
FAOSTAT's roasted coffee (657) and coffee extracts (659) out of the preferred rows and
coffee's processed share for 2015 fell from 22.9 % to 0. The rule now (``precedence``
module docstring, ``refdata/product_cover.csv``): a user import replaces the shipped rows of
the products it reports, in the years it reports, and nothing else; an aggregate (FAOSTAT
659 = HS 2101.11 + 2101.12) is replaced only by all its parts, and an import of one part
beside the whole is kept but not preferred, with a warning.
"""

from __future__ import annotations

import shutil
import warnings

import pandas as pd
import pytest

from hilir import HilirDataWarning
from hilir.data.precedence import flag_preferred
from hilir.errors import HilirDataError
from hilir.registry.cover import product_cover, read_product_cover
from hilir.registry.tables import preferred_sources
from hilir.value import processing_share

COMTRADE = "comtrade_idn_coffee_green"
FAO = "faostat_idn_trade"


def _reflag(frame: pd.DataFrame) -> pd.Series:
    """The preferred flags of ``frame`` (shipped rows plus user rows) by today's rule."""
    return flag_preferred(frame.drop(columns="preferred"), preferred_sources())


def _with(exports: pd.DataFrame, *extra: pd.DataFrame) -> pd.DataFrame:
    frame = pd.concat([exports, *extra], ignore_index=True)
    frame["preferred"] = _reflag(frame).to_numpy()
    return frame


def _user_green(exports: pd.DataFrame, year: int, key: str, scale: float) -> pd.DataFrame:
    """A user's Comtrade-like download: HS 0901.11 only, world and partners, one year."""
    rows = exports[
        exports["source"].eq(COMTRADE)
        & exports["year"].eq(year)
        & exports["product"].eq("coffee_green")
    ].copy()
    rows["source"] = key
    rows["value_usd"] = rows["value_usd"] * scale
    rows["net_weight_kg"] = rows["net_weight_kg"] * scale
    return rows


def _user_item(
    exports: pd.DataFrame,
    year: int,
    key: str,
    product: str,
    stage: str,
    hs_code: str,
    value: float,
    tonnes: float,
) -> pd.DataFrame:
    """One world row of a user download, shaped like FAOSTAT's row of that year."""
    row = exports[exports["source"].eq(FAO) & exports["year"].eq(year)].iloc[[0]].copy()
    row = row.assign(
        source=key, product=product, stage=stage, hs_code=hs_code, hs6=hs_code,
        item_code="", hs_revision="HS2012", value_usd=value, net_weight_kg=tonnes * 1000,
    )  # fmt: skip
    row["partner"], row["partner_type"] = "WLD", "world"
    return row


def _central(frame: pd.DataFrame) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", HilirDataWarning)
        ps = processing_share(frame, chain="coffee", reporter="IDN")
    return ps[ps["bound"] == "central"].set_index("year")


@pytest.fixture(scope="module")
def coffee(exports) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    return exports[exports["chain"] == "coffee"].reset_index(drop=True)


def test_a_green_coffee_import_for_2015_leaves_the_processed_share(coffee) -> None:
    """Before: 0.000 for 2015 (657 and 659 demoted). After: FAOSTAT's processed value over
    the user's green value plus it. Shipped 2015: 657 US$7.982 m + 659 US$346.352 m =
    US$354.334 m downstream of US$1,544.059 m (22.95 %); the user's green is 1.1 x Comtrade's
    US$1,189.551 m = US$1,308.506 m, so the share is 354.334 / 1,662.840 = 21.31 %."""
    user = _user_green(coffee, 2015, "user_comtrade_green", 1.1)
    with pytest.warns(HilirDataWarning, match="coffee_green_decaf.*not counted for those years"):
        both = _with(coffee, user)
    old, new = _central(coffee), _central(both)
    down = old.loc[2015, "value_usd_downstream"]
    green = user.loc[user["partner"].eq("WLD"), "value_usd"].sum()
    assert down == pytest.approx(354.334e6, rel=1e-5)
    assert new.loc[2015, "value_usd_downstream"] == down
    assert new.loc[2015, "share_value"] == pytest.approx(down / (down + green), rel=1e-9)
    assert new.loc[2015, "share_value"] == pytest.approx(0.2131, abs=5e-5)
    assert old.loc[2015, "share_value"] == pytest.approx(0.2295, abs=5e-5)
    others = [y for y in old.index if y != 2015]
    cols = ["share_value", "share_volume", "value_usd_total"]
    pd.testing.assert_frame_equal(old.loc[others, cols], new.loc[others, cols])


def test_the_import_replaces_only_its_product_year_and_partners(coffee) -> None:
    """656 of 2015 is demoted (no double count) and Comtrade's 2015 partner rows too; 657,
    659 and every other year keep their flags."""
    user = _user_green(coffee, 2015, "user_comtrade_green", 1.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", HilirDataWarning)
        both = _with(coffee, user)
    shipped = both.iloc[: len(coffee)]
    changed = shipped["preferred"].to_numpy() != coffee["preferred"].to_numpy()
    moved = shipped[changed]
    assert set(moved["year"]) == {2015}
    assert set(moved["product"]) == {"coffee_green"}
    assert not moved["preferred"].any()
    assert len(moved) == 61  # FAOSTAT 656 (world) + Comtrade's 60 partner rows of 090111
    assert both.iloc[len(coffee) :]["preferred"].all()
    world = both[both["year"].eq(2015) & both["partner"].eq("WLD") & both["preferred"]]
    assert sorted(world["product"]) == ["coffee_extracts_mixed", "coffee_green", "coffee_roasted"]


def test_part_of_an_aggregate_is_kept_but_not_preferred(coffee) -> None:
    """A user file of HS 2101.11 alone (soluble coffee, US$120 m) beside FAOSTAT 659 of 2015
    (2101.11 + 2101.12, US$346.352 m): replacing 659 would drop the coffee mixes, so 659
    stays preferred for 2015 and the import is kept for comparison. Before: the import won,
    659, 656 and 657 of 2015 were demoted and the processed value fell to US$120 m."""
    sol = _user_item(coffee, 2015, "user_soluble", "coffee_soluble", "processed", "210111",
                     120e6, 20_000)  # fmt: skip
    with pytest.warns(HilirDataWarning) as caught:
        both = _with(coffee, sol)
    text = " ".join(str(w.message) for w in caught)
    assert "'user_soluble'" in text and "coffee_soluble" in text and "2015" in text
    assert "coffee_preparations" in text and "kept but not preferred" in text
    assert not both.iloc[-1]["preferred"]
    pd.testing.assert_series_equal(
        both.iloc[: len(coffee)]["preferred"], coffee["preferred"], check_names=False
    )
    assert _central(both).loc[2015, "value_usd_downstream"] == pytest.approx(354.334e6, rel=1e-5)


def test_all_parts_of_an_aggregate_replace_it(coffee) -> None:
    """HS 2101.11 + 2101.12 of 2015 (two user files, one per product) make FAOSTAT 659
    whole: both files are preferred, 659 of 2015 is not, 656 and 657 keep their flags."""
    sol = _user_item(coffee, 2015, "user_soluble", "coffee_soluble", "processed", "210111",
                     120e6, 20_000)  # fmt: skip
    mix = _user_item(coffee, 2015, "user_mixes", "coffee_preparations", "processed", "210112",
                     230e6, 85_000)  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("error", HilirDataWarning)  # nothing is left out: no warning
        both = _with(coffee, sol, mix)
    assert both.iloc[-2:]["preferred"].tolist() == [True, True]
    w15 = both[both["year"].eq(2015) & both["partner"].eq("WLD") & both["preferred"]]
    assert sorted(w15["product"]) == [
        "coffee_green", "coffee_preparations", "coffee_roasted", "coffee_soluble"
    ]  # fmt: skip
    assert _central(both).loc[2015, "value_usd_downstream"] == pytest.approx(7.982e6 + 350e6)


def test_two_user_files_of_different_products_are_both_preferred(coffee) -> None:
    """Green coffee (HS 0901.11) and roasted coffee (0901.21) for 2015 in two files. Before:
    an error ("both report ... flow groups"), as if they were one flow."""
    green = _user_green(coffee, 2015, "user_green", 1.0)
    roast = _user_item(coffee, 2015, "user_roasted", "coffee_roasted", "processed", "090121",
                       9e6, 2_500)  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", HilirDataWarning)
        both = _with(coffee, green, roast)
    assert both.iloc[len(coffee) :]["preferred"].all()
    w15 = both[both["year"].eq(2015) & both["partner"].eq("WLD") & both["preferred"]]
    assert sorted(w15["source"]) == [FAO, "user_green", "user_roasted"]  # 659 from FAOSTAT


def test_two_user_files_holding_one_product_are_still_an_error(coffee) -> None:
    """An aggregate (FAOSTAT-like 659) in one file and one of its parts in another."""
    agg = _user_item(coffee, 2015, "user_fao_659", "coffee_extracts_mixed", "processed", "",
                     346e6, 104_000).assign(item_code="659", hs6=pd.NA)  # fmt: skip
    sol = _user_item(coffee, 2015, "user_soluble", "coffee_soluble", "processed", "210111",
                     120e6, 20_000)  # fmt: skip
    with pytest.raises(HilirDataError, match=r"\['user_fao_659', 'user_soluble'\] both report"):
        _with(coffee, agg, sol)


def test_twelve_months_of_green_coffee_do_not_drop_the_chains_other_year_totals(coffee) -> None:
    """Twelve user months of HS 0901.11 for 2015 replace FAOSTAT 656 of 2015 only. Before:
    the months won over every year total of the chain, 657 and 659 included."""
    world = _user_green(coffee, 2015, "user_monthly", 1.0)
    world = world[world["partner"] == "WLD"]
    months = pd.concat([world.assign(month=m, value_usd=world["value_usd"] / 12)
                        for m in range(1, 13)], ignore_index=True)  # fmt: skip
    months["month"] = months["month"].astype(coffee["month"].dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", HilirDataWarning)
        both = _with(coffee, months)
    w15 = both[both["year"].eq(2015) & both["partner"].eq("WLD") & both["preferred"]]
    assert sorted(set(w15["product"])) == [
        "coffee_extracts_mixed", "coffee_green", "coffee_roasted"
    ]  # fmt: skip
    assert set(w15.loc[w15["product"] == "coffee_green", "source"]) == {"user_monthly"}


def test_the_shipped_build_keeps_every_preferred_flag(exports) -> None:
    """Shipped data only: the flags ``load_exports()`` returns are the ones the chain rule
    gave before this change (counts per source pinned from that build), and flagging the
    shipped rows again changes none and warns of nothing. Comtrade's decaf partner rows stay
    unpreferred where its 090111 rows are (the registry ranks Comtrade for coffee_green)."""
    counts = exports.groupby(["source", "preferred"]).size().to_dict()
    assert counts == {
        ("bps_coal_by_destination", True): 153,
        ("bps_copper_ore_by_destination", True): 115,
        (COMTRADE, False): 27,
        (COMTRADE, True): 182,
        ("comtrade_idn_ferronickel_destinations", True): 5,
        ("comtrade_idn_nickel_chain", True): 124,
        ("comtrade_world_7218", False): 10,
        ("comtrade_world_7218", True): 908,
        (FAO, True): 480,
        ("faostat_idn_trade_more", True): 780,
    }
    with warnings.catch_warnings():
        warnings.simplefilter("error", HilirDataWarning)
        again = _reflag(exports)
    assert again.tolist() == exports["preferred"].tolist()


def test_cover_table_links_each_aggregate_to_its_parts() -> None:
    cover = product_cover()
    fam = cover.family
    assert fam["coffee_soluble"] == fam["coffee_preparations"] == fam["coffee_extracts_mixed"]
    assert fam["coffee_green_decaf"] == fam["coffee_green"]
    assert "coffee_roasted" not in fam  # a family of its own
    assert cover.row_cover("coffee_green", "FAOSTAT") == {"coffee_green", "coffee_green_decaf"}
    assert cover.row_cover("coffee_green", "HS") == {"coffee_green"}  # 0901.11 holds no decaf
    assert "coffee_extracts_mixed" in cover.closure({"coffee_soluble", "coffee_preparations"})
    assert "coffee_extracts_mixed" not in cover.closure({"coffee_soluble"})
    held = cover.row_cover("nutmeg_mace_cardamoms", "FAOSTAT")
    assert {"nutmeg_mace_whole", "nutmeg_mace_ground"} <= held
    assert "nutmeg_mace_cardamoms" not in cover.closure(held - {"nutmeg_mace_cardamoms"})


@pytest.mark.parametrize(
    ("cell", "value", "message"),
    [
        ("product", "no_such_product", "unknown product"),
        ("parts", "cpo", "not a product of chain 'coffee'"),
        ("system", "SITC", "system must be"),
        ("complete", "yes", "complete must be"),
        ("basis", "", "basis"),
    ],
)
def test_a_bad_cover_row_is_located(cell: str, value: str, message: str) -> None:
    row = {"product": "coffee_extracts_mixed", "system": "", "complete": "true",
           "parts": "coffee_soluble;coffee_preparations", "basis": "HS1996", "_row": 7}  # fmt: skip
    row[cell] = value
    with pytest.raises(HilirDataError, match=message) as err:
        read_product_cover(pd.DataFrame([row]))
    assert err.value.row == 7 and err.value.column == cell
    assert "product_cover.csv" in str(err.value.path)


def test_a_user_comtrade_import_end_to_end(tmp_path, monkeypatch, capsys) -> None:
    """``hilir data import comtrade`` of a legacy Comtrade CSV with HS 0901.11 for 2015 only,
    then a build from FAOSTAT's trade file and Comtrade's coffee file: 657 and 659 of 2015
    stay preferred and the warning names the import's file, product and year."""
    from hilir.cli import main
    from hilir.data.pipeline import build
    from hilir.paths import raw_dir
    from hilir.provenance.sidecar import sidecar_path

    raw = tmp_path / "raw"
    raw.mkdir()
    for rel in ("faostat/faostat_tcl_idn_exports_1961_2020.csv",
                "comtrade/idn_coffee_090111_090112_2005_2010_2015.csv"):  # fmt: skip
        src = raw_dir() / rel
        shutil.copy(src, raw / src.name)
        shutil.copy(sidecar_path(src), raw / sidecar_path(src).name)
    lines = (raw / "idn_coffee_090111_090112_2005_2010_2015.csv").read_text("utf-8").splitlines()
    mine = [lines[0]] + [x for x in lines[1:] if x.startswith("H4,2015") and ",90111," in x]
    user_file = tmp_path / "comtrade_idn_2015_090111.csv"
    user_file.write_text("\n".join(mine) + "\n", encoding="utf-8")
    monkeypatch.setattr("hilir.paths.raw_dir", lambda: raw)
    monkeypatch.setenv("HILIR_DATA_DIR", str(tmp_path / "data"))
    (tmp_path / "data").mkdir()
    assert main(["data", "import", "comtrade", str(user_file), "--key", "green15"]) == 0
    result = build(progress=False, force=True)
    assert any("comtrade_idn_2015_090111.csv" in n and "coffee_green" in n and "2015" in n
               for n in result.notes)  # fmt: skip
    trade = pd.read_parquet(tmp_path / "data" / "processed" / "trade.parquet")
    w15 = trade[trade["year"].eq(2015) & trade["partner"].eq("WLD") & trade["preferred"]]
    coffee = w15[w15["chain"] == "coffee"]
    assert sorted(zip(coffee["product"], coffee["source"], strict=True)) == [
        ("coffee_extracts_mixed", FAO), ("coffee_green", "user_green15"), ("coffee_roasted", FAO)
    ]  # fmt: skip
    w14 = trade[trade["year"].eq(2014) & trade["chain"].eq("coffee") & trade["preferred"]]
    assert set(w14["source"]) == {FAO}


def _spice_rows(rows: list[tuple[str, str, str, float]]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=["source", "product", "hs_code", "value_usd"])
    return df.assign(
        chain="spices", item_code="", year=2015, reporter="IDN", partner="WLD", flow="export",
        month=pd.array([pd.NA] * len(df), dtype="Int64"),
    )  # fmt: skip


def test_an_import_of_one_product_leaves_its_sibling_preferred() -> None:
    """Whole (HS 0904.11) and ground pepper (0904.12) are siblings under FAOSTAT 687: a user
    file of ground pepper replaces the shipped ground row only. Before: the whole-pepper row
    of 2015 was demoted too (and all the chain's other products of that year)."""
    trade = _spice_rows(
        [
            ("comtrade_pepper", "pepper_whole", "090411", 80e6),
            ("comtrade_pepper", "pepper_ground", "090412", 5e6),
            ("user_ground", "pepper_ground", "090412", 6e6),
        ]
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", HilirDataWarning)
        assert flag_preferred(trade, preferred_sources()).tolist() == [True, False, True]


def test_green_coffee_beside_shipped_decaf_only_adds_to_it() -> None:
    """A user's green coffee to a partner the shipped data list only decaf for (Comtrade
    2010 has two such partners): no product in common, so both are preferred."""
    trade = _spice_rows(
        [
            ("comtrade_idn_coffee_green", "coffee_green_decaf", "090112", 1e5),
            ("user_green", "coffee_green", "090111", 2e6),
        ]
    ).assign(chain="coffee", year=2010, partner="DEU")
    with warnings.catch_warnings():
        warnings.simplefilter("error", HilirDataWarning)
        assert flag_preferred(trade, preferred_sources()).tolist() == [True, True]


def test_part_of_ground_pepper_beside_faostat_687_stays_aside() -> None:
    """Ground pepper (HS 0904.12) alone beside FAOSTAT 687 (whole + ground): 687 stays."""
    trade = _spice_rows(
        [(FAO, "pepper_mixed", "", 150e6), ("user_ground", "pepper_ground", "090412", 6e6)]
    ).assign(item_code=["687", ""])
    with pytest.warns(HilirDataWarning, match="lacks pepper_whole.*stay preferred for 2015"):
        assert flag_preferred(trade, preferred_sources()).tolist() == [True, False]
