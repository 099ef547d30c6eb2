"""BPS exports by HS chapter loaded at Lampung's ports (Panjang, Tarahan), 2023-2025.

Readers (shipped files and bad input), the summary a Lampung brief leads with
(:func:`hilir.markets.ports.lampung_ports_summary`) and its sentence
(:func:`hilir.brief.narrative.ports.ports_lead`). A port of loading is not the province of
origin: every output carries ``basis`` "port of loading" and the label "exports loaded at
Lampung's ports".
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from hilir.brief.narrative.ports import ports_lead
from hilir.errors import HilirDataError
from hilir.markets.ports import lampung_ports_summary
from hilir.sources.bps_ports import (
    BASIS_PORT,
    read_bps_chapter_totals,
    read_bps_port_exports,
)

RAW = Path(__file__).resolve().parent.parent / "data" / "raw" / "bps_ports"
PORTS = RAW / "lampung_ports_PANJANG_TARAHAN_exports_by_destination_hs09_hs15_hs21_2023_2025.csv"
NATIONAL = RAW / "bps_exim_national_exports_hs01-24_2023_2025__chapter_tahun.csv"
FIX = Path(__file__).parent / "fixtures" / "bps_ports"


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return pd.concat(
        [read_bps_port_exports(PORTS), read_bps_chapter_totals(NATIONAL)], ignore_index=True
    )


@pytest.fixture(scope="module")
def summary(table) -> pd.DataFrame:
    return lampung_ports_summary(table)


def _port_total(table, year, hs2, port):
    sel = (table["year"] == year) & (table["hs2"] == hs2) & (table["port"] == port)
    return table.loc[sel, "value_usd"].sum() / 1e6


@pytest.mark.parametrize(
    ("year", "hs2", "port", "usd_m"),
    [
        (2023, "09", "PANJANG", 428.1),
        (2024, "09", "PANJANG", 1_011.3),
        (2025, "09", "PANJANG", 829.1),
        (2025, "15", "TARAHAN", 1_837.7),
        (2024, "21", "PANJANG", 18.0),
    ],
)
def test_golden_port_totals(table, year, hs2, port, usd_m):
    """PROVENANCE.md's totals table (US$ million, sums of the port rows over destinations)."""
    assert _port_total(table, year, hs2, port) == pytest.approx(usd_m, abs=0.05)


def test_port_rows_say_port_of_loading_and_national_rows_say_national(table):
    ports = table[table["port"] != "ALL"]
    assert set(ports["geography"]) == {"ID-LA"} and set(ports["basis"]) == {BASIS_PORT}
    assert set(ports["port"]) == {"PANJANG", "TARAHAN"}
    national = table[table["port"] == "ALL"]
    assert set(national["geography"]) == {"IDN"} and set(national["partner"]) == {"WLD"}
    assert len(ports) == 324 and len(national) == 72


def test_no_tarahan_rows_for_chapters_09_and_21(table):
    tarahan = table[table["port"] == "TARAHAN"]
    assert set(tarahan["hs2"]) == {"15"}


def test_partner_names_resolve_to_iso_codes(table):
    ports = table[table["port"] != "ALL"]
    assert (ports["partner_type"] == "country").all()
    de = ports[ports["partner_name"] == "Germany Fed. Rep. Of"]["partner"]
    assert set(de) == {"DEU"}


def test_summary_share_of_national_hs09_2024_is_37_5_percent(summary):
    """1,011.3 / 2,695.8 (national HS09 2024, US$ million) = 37.5 % (PROVENANCE.md)."""
    r = summary[(summary["year"] == 2024) & (summary["hs2"] == "09")].iloc[0]
    assert r["share_of_national"] == pytest.approx(0.375, abs=0.0005)
    assert r["national_value_usd"] == pytest.approx(2_695.782e6, rel=1e-6)
    assert r["basis"] == "port of loading"
    assert r["geography_label"] == "exports loaded at Lampung's ports (Panjang, Tarahan)"


def test_summary_sums_ports_and_ranks_destinations(summary, table):
    r = summary[(summary["year"] == 2025) & (summary["hs2"] == "15")].iloc[0]
    assert r["ports"] == ("PANJANG", "TARAHAN")
    assert r["value_usd"] / 1e6 == pytest.approx(843.0 + 1_837.7, abs=0.1)
    # Pakistan leads 2025 HS15 when both ports are added (197.7 + 428.9 = US$626.6 m)
    assert r["top_partners"][0] == "PAK"
    assert r["top_values_usd"][0] / 1e6 == pytest.approx(626.58, abs=0.01)
    assert list(r["top_values_usd"]) == sorted(r["top_values_usd"], reverse=True)


def test_summary_in_indonesian_labels_the_geography_as_ports():
    t = pd.concat(
        [
            read_bps_port_exports(FIX / "lampung_ports_small.csv"),
            read_bps_chapter_totals(FIX / "chapter_totals_small.csv"),
        ]
    )
    s = lampung_ports_summary(t, lang="id")
    assert set(s["geography_label"]) == {
        "ekspor yang dimuat di pelabuhan Lampung (Panjang, Tarahan)"
    }


def test_lead_sentence_en(summary):
    """2025 HS09: US$829.1 m, 829.1 / 3,420.9 = 24.2 % of national HS09; Belgium 23.7 %,
    United States 11.7 %, Russia 11.1 % of the chapter's exports loaded at Lampung's ports;
    829.1 m x Rp 16,478.4 (ECB 2025 average, refdata usd_idr_rates.csv) = Rp 13.66 trillion."""
    assert ports_lead(summary, lang="en", hs2="09") == (
        "In 2025, exports loaded at Lampung's ports (Panjang, Tarahan) of coffee, tea and "
        "spices (HS 09) were worth US$829.1 million (about Rp13.7 trillion at the 2025 "
        "average rate of Rp16,478 per US$, from ECB reference rates), 24.2% of Indonesia's; "
        "the main destinations were Belgium (24%), United States (12%) and Russia (11%) "
        "(BPS, port of loading, not province of origin)."
    )


def test_lead_sentence_id(summary):
    assert ports_lead(summary, lang="id", hs2="09", year=2024) == (
        "Pada 2024, ekspor kopi, teh, dan rempah-rempah (HS 09) yang dimuat di pelabuhan "
        "Lampung (Panjang, Tarahan) bernilai US$1,0 miliar (sekitar Rp16,0 triliun dengan kurs "
        "rata-rata 2024 sebesar Rp15.855 per US$, dari kurs referensi ECB), 37,5% dari ekspor "
        "Indonesia; "
        "tujuan utamanya Vietnam (13%), Rusia (10%), dan Malaysia (8%) (BPS, menurut "
        "pelabuhan muat, bukan provinsi asal)."
    )


def test_lead_without_national_total_says_so(table):
    s = lampung_ports_summary(table[table["port"] != "ALL"])
    text = ports_lead(s, lang="en", hs2="21")
    assert "the data hold no national total for this chapter" in text
    assert "of Indonesia's" not in text


def test_lead_unknown_chapter_is_an_error(summary):
    with pytest.raises(HilirDataError, match="no HS chapter '40'"):
        ports_lead(summary, lang="en", hs2="40")


def test_summary_refuses_absent_years_and_chapters(table):
    with pytest.raises(HilirDataError, match="2022"):
        lampung_ports_summary(table, years=[2022])
    with pytest.raises(HilirDataError, match="chapters"):
        lampung_ports_summary(table, hs2="40")
    with pytest.raises(HilirDataError, match="no port rows"):
        lampung_ports_summary(table[table["port"] == "ALL"])


# --- bad input ------------------------------------------------------------------------


def _write(tmp_path: Path, text: str, name: str = "ports.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


HEAD = "tahun,hs2,negara,pelabuhan,nilai_usd\n"


@pytest.mark.parametrize(
    ("body", "row", "column", "match"),
    [
        ("2024,09,India,NIPAH PANJANG,1.0\n", 2, "pelabuhan", "not one of"),
        ("2024,09,Atlantis,PANJANG,1.0\n", 2, "negara", "Atlantis"),
        ("2024,9a,India,PANJANG,1.0\n", 2, "hs2", "two-digit"),
        ("24,09,India,PANJANG,1.0\n", 2, "tahun", None),
        ("2024,09,India,PANJANG,-5\n", 2, "nilai_usd", "negative"),
        ("2024,09,India,PANJANG,\n", 2, "nilai_usd", None),
        ("2024,09,India,PANJANG,abc\n", 2, "nilai_usd", None),
        ("2024,09,India,PANJANG,1\n2024,09,India,PANJANG,2\n", 3, "negara", None),
    ],
)
def test_port_reader_bad_input_is_located(tmp_path, body, row, column, match):
    path = _write(tmp_path, HEAD + body)
    with pytest.raises(HilirDataError, match=match) as err:
        read_bps_port_exports(path)
    assert err.value.row == row and err.value.column == column
    assert str(path) in str(err.value)


def test_port_reader_missing_column(tmp_path):
    path = _write(tmp_path, "tahun,hs2,negara,nilai_usd\n2024,09,India,1.0\n")
    with pytest.raises(HilirDataError, match="pelabuhan") as err:
        read_bps_port_exports(path)
    assert err.value.row == 1


def test_port_reader_empty_file(tmp_path):
    with pytest.raises(HilirDataError, match="no data rows"):
        read_bps_port_exports(_write(tmp_path, HEAD))


def test_port_reader_accepts_other_ports_only_when_asked(tmp_path):
    path = _write(tmp_path, HEAD + "2024,09,India,Boom Baru,1.0\n")
    out = read_bps_port_exports(path, geography="ID-SS", ports=("BOOM BARU",))
    assert out["geography"].tolist() == ["ID-SS"] and out["port"].tolist() == ["BOOM BARU"]


@pytest.mark.parametrize(
    ("body", "row", "column"),
    [
        ("9x,1.0,2024\n", 2, "hs2"),
        ("09,-1,2024\n", 2, "nilai_usd"),
        ("09,1.0,2024\n09,2.0,2024\n", 3, "hs2"),
    ],
)
def test_chapter_totals_bad_input_is_located(tmp_path, body, row, column):
    path = _write(tmp_path, "hs2,nilai_usd,tahun\n" + body, "totals.csv")
    with pytest.raises(HilirDataError) as err:
        read_bps_chapter_totals(path)
    assert err.value.row == row and err.value.column == column


def test_chapter_totals_restores_the_leading_zero(tmp_path):
    path = _write(tmp_path, "hs2,nilai_usd,tahun\n9,1.0,2024\n", "totals.csv")
    assert read_bps_chapter_totals(path)["hs2"].tolist() == ["09"]


def test_port_rows_feed_exports_by_port(table):
    """HS09 is 1,011.3 / (1,011.3 + 690.0 + 18.0) = 58.8 % of what Panjang loaded in 2024
    (chapters 09, 15 and 21 only: the port's share of these three chapters)."""
    from hilir.markets.ports import exports_by_port, port_rows_as_trade

    out = exports_by_port(port_rows_as_trade(table), level="hs_code", ports="PANJANG")
    r = out[(out["year"] == 2024) & (out["item"] == "09")].iloc[0]
    assert r["value_usd"] / 1e6 == pytest.approx(1_011.3, abs=0.05)
    assert r["share_of_port"] == pytest.approx(1_011.29 / (1_011.29 + 689.99 + 17.98), rel=1e-3)
    assert "not a province" in out.attrs["caveat"]["en"]
