"""BPS "Ekspor Kopi Menurut Negara Tujuan Utama, 2000-2023": the shipped workbook and bad input.

The table prints a ``Lainnya`` row from 2012 that makes the rows exceed ``Jumlah`` (the
total) by 111-164 thousand t; the reader keeps the published ``Jumlah`` (``totals="flag"``),
never a sum of the countries, and says which years and by how much.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

from hilir.errors import HilirDataError, HilirDataWarning
from hilir.markets import destinations
from hilir.sources.bps_trade import read_bps_wide

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = (
    ROOT / "data" / "raw" / "bps" / "BPS_Ekspor_Kopi_Menurut_Negara_Tujuan_Utama_2000-2023.xlsx"
)
FIXTURE = Path(__file__).parent / "fixtures" / "bps" / "coffee_by_destination_2011_2012_2023.csv"


def _read(path: Path, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", HilirDataWarning)
        return read_bps_wide(path, source="bps_coffee", hs_code="090111", **kwargs)


@pytest.fixture(scope="module")
def shipped():
    return _read(SHIPPED, totals="flag")


def _world(df, year):
    return df[(df["partner"] == "WLD") & (df["year"] == year)].iloc[0]


@pytest.mark.parametrize(
    ("year", "tonnes", "usd_m"),
    [(2019, 355_810.3, 872.7273), (2023, 276_335.2, 916.5787), (2015, 499_651.3, 1_189.7254)],
)
def test_golden_totals_are_the_printed_jumlah(shipped, year, tonnes, usd_m):
    """Jumlah as printed in the workbook (PROVENANCE.md): 2019 355,810.3 t / US$872.727 m,
    2023 276,335.2 t / US$916.579 m (Bank Indonesia's 18-K "coffee beans" 2023: US$915.6 m);
    2015 499,651.3 t equals UN Comtrade HS 0901.11+0901.12 (499,651 t). Units: t -> kg,
    thousand US$ -> US$."""
    w = _world(shipped, year)
    assert w["net_weight_kg"] == pytest.approx(tonnes * 1e3)
    assert w["value_usd"] == pytest.approx(usd_m * 1e6, rel=1e-7)
    assert w["hs_code"] == "090111" and w["partner_type"] == "world"


def test_the_total_is_never_the_sum_of_the_countries(shipped):
    """2012: the rows incl. Lainnya add up to 600,043.8 t, Jumlah is 447,063.9 t."""
    y = shipped[shipped["year"] == 2012]
    world = _world(shipped, 2012)["net_weight_kg"]
    parts = y.loc[y["partner"] != "WLD", "net_weight_kg"].sum()
    assert world == pytest.approx(447_063.9e3)
    assert parts < world  # Lainnya left out; named countries only
    assert not (y["partner"] == "XOT").any()


def test_flag_lists_every_inconsistent_year_with_its_gap(shipped):
    flagged = pd.DataFrame(shipped.attrs["total_inconsistent"])
    assert sorted(set(flagged["year"])) == list(range(2012, 2024))
    w = flagged[flagged["measure"] == "weight"].set_index("year")
    v = flagged[flagged["measure"] == "value"].set_index("year")
    # provenance: the rows exceed Jumlah by 110-165 kt from 2012
    assert w["gap"].min() / 1e6 > 110 and w["gap"].max() / 1e6 < 165
    assert w.loc[2013, "gap"] == pytest.approx(164_166.4e3, abs=1e3)
    assert v.loc[2012, "gap"] == pytest.approx(368_068.9e3, abs=1e3)
    assert (w["unit"] == "kg").all() and (v["unit"] == "USD").all()


def test_years_before_2012_keep_lainnya_and_add_up(shipped):
    y = shipped[shipped["year"] == 2011]
    assert (y["partner"] == "XOT").any()
    parts = y.loc[y["partner"] != "WLD", "value_usd"].sum()
    assert parts == pytest.approx(_world(shipped, 2011)["value_usd"], abs=1e3)


def test_default_check_still_refuses_the_2012_column():
    with pytest.raises(HilirDataError) as err:
        _read(FIXTURE)
    assert err.value.column == "2012" and err.value.row == 23


def test_flag_warns_with_the_years_and_gaps():
    with pytest.warns(HilirDataWarning, match=r"2012-2023.*Total is used as published"):
        read_bps_wide(FIXTURE, source="x", hs_code="090111", totals="flag")


def test_destination_shares_use_jumlah_and_show_the_unallocated_gap(shipped):
    """2019: USA US$253.8 m of US$872.7 m = 29.1 %; the named countries fall short of
    Jumlah by US$145.0 m, shown as unallocated (XUN), never as more than the total."""
    d = destinations(shipped, product="090111", years=[2019])
    usa = d[d["partner"] == "USA"].iloc[0]
    assert usa["share"] == pytest.approx(253.8301 / 872.7273, rel=1e-5)
    assert d["share"].sum() == pytest.approx(1.0)
    assert d.loc[d["partner"] == "XUN", "value_usd"].iloc[0] == pytest.approx(145.0334e6, rel=1e-5)


def test_unknown_totals_mode_is_an_error():
    with pytest.raises(HilirDataError, match="totals must be"):
        _read(FIXTURE, totals="sum")


def test_named_countries_above_the_total_are_an_error_even_when_flagging(tmp_path):
    text = FIXTURE.read_text(encoding="utf-8")
    text = text.replace("Jepang,58878.9,51438.4", "Jepang,58878.9,951438.4")
    path = tmp_path / "coffee.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(HilirDataError, match="named countries") as err:
        _read(path, totals="flag")
    assert err.value.column == "2012"


def test_a_cut_file_is_a_located_error(tmp_path):
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "cut.csv"
    path.write_text("\n".join(lines[:30]) + "\n", encoding="utf-8")
    with pytest.raises(HilirDataError, match="no Total row"):
        _read(path, totals="flag")


@pytest.mark.parametrize(
    ("year", "kg", "usd"), [(2005, 442_686_908, 497_777_213), (2010, 432_721_120, 812_360_014)]
)
def test_the_totals_are_green_coffee_090111(shipped, year, kg, usd):
    """Why the sidecar gives hs_code 090111: Jumlah equals UN Comtrade's HS 090111 world rows
    (shipped comtrade_idn_coffee_green) to the published rounding (0.1 t, US$100)."""
    w = _world(shipped, year)
    assert w["net_weight_kg"] == pytest.approx(kg, abs=50)
    assert w["value_usd"] == pytest.approx(usd, abs=50)


def test_shipped_table_is_apart_from_the_trade_table():
    """The coffee table feeds ``bps_destinations``: the trade table (FAOSTAT 656 and Comtrade
    for green coffee) keeps its flows and years, and the 2023 profile uses the printed total.
    2023: USA US$215.5 m of Jumlah US$916.6 m = 23.5 %."""
    import hilir

    assert "bps_coffee_by_destination" not in set(hilir.load_trade()["source"])
    bps = hilir.load_bps_destinations()
    assert set(bps["product"]) == {"coffee_green"} and set(bps["chain"]) == {"coffee"}
    d = destinations(bps, product="coffee_green", years=[2023])
    usa = d[d["partner"] == "USA"].iloc[0]
    assert usa["world_value_usd"] == pytest.approx(916.5787e6, rel=1e-7)
    assert usa["share"] == pytest.approx(215.5098 / 916.5787, rel=1e-5)
