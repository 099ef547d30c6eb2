"""Market charts on the shipped data, in both languages, with generated source lines."""

from __future__ import annotations

import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest

import hilir
from hilir.brief.markets import plot_concentration_of as plot_concentration
from hilir.brief.markets import plot_destinations_of as plot_destinations
from hilir.brief.markets import plot_export_procedure_of as plot_export_procedure
from hilir.brief.markets import plot_world_share_of as plot_world_share
from hilir.errors import HilirDataError, HilirDataWarning
from hilir.markets import (
    destination_profile,
    exports_by_port,
    flagship_indicators,
    flagship_scores,
    flagship_sensitivity,
    market_concentration,
    world_share,
)
from hilir.markets.procedure import procedure_provenance
from hilir.plots import (
    check_savable,
    destination_data,
    plot_flagship,
    plot_flagship_sensitivity,
    plot_ports,
)

FIXTURE = Path(__file__).parent / "fixtures" / "markets"


@pytest.fixture(scope="module")
def national(exports):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", HilirDataWarning)
        return flagship_indicators(exports)


@pytest.mark.parametrize(
    ("product", "window", "title_id", "title_en", "src_id"),
    [
        (
            "coal",
            (2019, 2024),
            "Tiongkok menyerap 21% ekspor batu bara Indonesia (2024)",
            "China took 21% of Indonesia's coal exports (2024)",
            "Sumber: BPS (diolah). Data terakhir: 2024.",
        ),
        (
            "coffee_green",
            (2005, 2015),
            "Amerika Serikat menyerap 24% ekspor kopi biji mentah Indonesia (2015)",
            "United States took 24% of Indonesia's green coffee exports (2015)",
            "Sumber: UN Comtrade (diolah). Data terakhir: 2015.",
        ),
        (
            "copper_ore",
            (2012, 2024),
            "Tiongkok menyerap 33% ekspor konsentrat tembaga Indonesia (2024)",
            "China took 33% of Indonesia's copper concentrate exports (2024)",
            "Sumber: BPS (diolah). Data terakhir: 2024.",
        ),
        (
            "ferronickel",
            None,
            "Tiongkok menyerap 96% ekspor feronikel Indonesia (2020)",
            "China took 96% of Indonesia's ferronickel exports (2020)",
            "Sumber: UN Comtrade (diolah). Data terakhir: 2020.",
        ),
    ],
)
def test_destination_charts_both_languages(exports, product, window, title_id, title_en, src_id):
    prof = destination_profile(exports, product=product, window=window)
    fig_id = plot_destinations(prof, lang="id")
    fig_en = plot_destinations(prof, lang="en")
    assert fig_id.hilir.title == title_id
    assert fig_en.hilir.title == title_en
    assert fig_id.hilir.source_line == src_id
    assert fig_en.hilir.source_line.startswith("Source:")
    assert check_savable(fig_id).savable
    assert fig_id.hilir_data["share"].sum() == pytest.approx(1.0)
    if product == "ferronickel":
        # the inferred year is printed, from the provenance record
        assert "2020 disimpulkan" in fig_id.hilir.note_line
        assert "2020 is inferred" in fig_en.hilir.note_line


def test_destination_data_groups_the_rest(exports):
    prof = destination_profile(exports, product="coffee_green", window=(2005, 2015))
    data = destination_data(prof, top=5)
    assert data["kind"].tolist()[:5] == ["market"] * 5
    rest = data[data["kind"] == "rest"].iloc[0]
    named = prof[prof["partner_type"] == "country"]
    assert rest["n_markets"] == len(named) - 5
    assert rest["value_usd"] == pytest.approx(named["value_usd"].iloc[5:].sum())
    with pytest.raises(HilirDataError, match="years"):
        destination_data(pd.concat([prof, prof.assign(year=2010)]))


def test_concentration_chart(exports):
    tables = [
        market_concentration(exports, product=p)
        for p in ("coffee_green", "coal", "copper_ore", "ferronickel")
    ]
    conc = pd.concat(tables, ignore_index=True)
    fig = plot_concentration(conc, lang="en")
    assert fig.hilir.title.startswith("Ferronickel exports are the most concentrated")
    assert "BPS-Statistics Indonesia" in fig.hilir.source_line
    assert "UN Comtrade" in fig.hilir.source_line
    assert "no official threshold" in fig.hilir.note_line
    assert check_savable(fig).savable
    coal = plot_concentration(tables[1], lang="id")
    # 1 / HHI in 2024 and 2012, from the table
    n24 = 1 / tables[1].set_index("year").loc[2024, "hhi"]
    assert f"{n24:.1f}".replace(".", ",") in coal.hilir.title
    with pytest.raises(HilirDataError, match="scope"):
        plot_concentration(conc, scopes=["pepper_whole"])


def test_world_share_chart():
    ws = world_share(hilir.load_trade(source="comtrade_world_7218"), product="stainless_semis")
    fig = plot_world_share(ws, lang="id")
    assert fig.hilir.title == (
        "Pangsa Indonesia di ekspor dunia baja nirkarat setengah jadi naik dari 0,11% (2013) "
        "menjadi 59,1% (2020), peringkat 1"
    )
    assert "EU2" in fig.hilir.note_line
    events = fig.hilir_data.attrs["events"]
    assert events["event_id"].tolist() == ["nickel_ore_ban_2014", "nickel_ore_ban_2020"]
    en = plot_world_share(ws, lang="en")
    assert en.hilir.title.startswith("Indonesia's share of world stainless steel semis")
    with pytest.raises(HilirDataError, match="province"):
        plot_world_share(ws, reporter="ID-LA")


def test_flagship_charts(national):
    sc = flagship_scores(national)
    fig = plot_flagship(sc, lang="id")
    top = sc["chain"].iloc[0]
    assert fig.hilir.title.endswith("calon produk unggulan Indonesia (2020)")
    # the weights are printed
    assert "bobot: nilai ekspor 0,20; pertumbuhan 0,20" in fig.hilir.subtitle
    assert "Peringkat nasional" in fig.hilir.note_line
    assert check_savable(fig).savable
    en = plot_flagship(sc, lang="en")
    assert "weights: export value 0.20" in en.hilir.subtitle
    assert fig.hilir_data.groupby("chain")["contribution"].sum().to_dict() == pytest.approx(
        sc.set_index("chain")["score"].to_dict()
    )
    sens = flagship_sensitivity(national)
    sfig = plot_flagship_sensitivity(sens, lang="en")
    n = sens["scenario"].nunique()
    assert f"of {n} weight scenarios" in sfig.hilir.title
    assert sfig.hilir.title.lower().startswith(hilir.i18n.labels.item_label(top, "en").lower())
    assert check_savable(sfig).savable


def test_port_chart():
    from hilir.registry.tables import map_products
    from hilir.sources import read_bps_exports

    raw = read_bps_exports(
        FIXTURE / "bps_lampung_ekspor_2022_2023.csv", reporter="ID-LA", keep_port=True
    )
    table = exports_by_port(map_products(raw, extra=FIXTURE / "shrimp_registry"))
    fig = plot_ports(table, port="Panjang", lang="id")
    # 2023 via Panjang: green coffee 129.7m is the largest item
    assert fig.hilir.title.startswith("Kopi biji mentah adalah")
    assert "Bengkulu" in fig.hilir.note_line
    # the fixture's key has no provenance record: drawable, not savable
    assert not check_savable_ok(fig)


def check_savable_ok(fig) -> bool:
    try:
        check_savable(fig)
    except HilirDataError:
        return False
    return True


@pytest.mark.parametrize("lang", ["id", "en"])
def test_procedure_chart(lang):
    fig = plot_export_procedure(chain="coffee", lang=lang)
    data = fig.hilir_data
    assert "plant_quarantine" in set(data["key"])
    expected = "langkah" if lang == "id" else "steps"
    assert expected in fig.hilir.title and str(len(data)) in fig.hilir.title
    assert fig.hilir.source_line in (
        "Sumber: dihimpun hilir dari sumber terkutip per langkah.",
        "Source: compiled by hilir from the sources cited for each step.",
    )
    assert check_savable(fig).savable
    assert procedure_provenance().sha256 == fig.hilir.sources.records[0].sha256
