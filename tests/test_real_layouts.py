"""Real downloads read as users have them (issue 13, item 15).

Semicolon-separated CSVs (Excel with Indonesian settings), the USDA PSD layout with
``Country, Year`` keys, BPS country spellings, a user's own partner spellings, and errors that
stay short when a file is not what the reader expects.
"""

from __future__ import annotations

import warnings

import pytest

from hilir.errors import MAX_MESSAGE, HilirDataError
from hilir.registry.partners import resolve_partner
from hilir.sources import read_bps_exports, read_usda_psd

HEADER = "Kode HS;Deskripsi HS;Negara Tujuan Ekspor;Periode;Berat (Kg);Nilai (USD)\n"


def test_a_semicolon_csv_with_decimal_commas_reads(tmp_path) -> None:
    path = tmp_path / "ekspor.csv"
    path.write_text(
        HEADER
        + '09011110;"Kopi robusta; biji";Jepang;202301;"19.200";"52.800,5"\n'
        + "09011110;Kopi robusta;Rep Ceko;202301;1.000;4.100\n",
        encoding="utf-8",
    )
    df = read_bps_exports(path).set_index("partner")
    assert df.loc["JPN", "net_weight_kg"] == 19_200.0
    assert df.loc["JPN", "value_usd"] == pytest.approx(52_800.5)
    assert df.loc["CZE", "value_usd"] == 4_100.0


@pytest.mark.parametrize(("name", "code"), [("Rep Ceko", "CZE"), ("Fed Russia", "RUS")])
def test_bps_country_spellings(name: str, code: str) -> None:
    assert resolve_partner(name) == (code, "country")


def test_a_user_adds_a_partner_spelling_without_editing_the_package(tmp_path, monkeypatch):
    monkeypatch.setenv("HILIR_DATA_DIR", str(tmp_path / "data"))
    with pytest.raises(HilirDataError, match=r"user/partner_aliases\.csv") as err:
        resolve_partner("Negeri Antah Berantah")
    assert "hilir/refdata" not in str(err.value)  # never: edit the installed package
    (tmp_path / "data" / "user").mkdir(parents=True)
    aliases = tmp_path / "data" / "user" / "partner_aliases.csv"
    aliases.write_text("alias,code\nNegeri Antah Berantah,ATA\n", encoding="utf-8")
    assert resolve_partner("Negeri Antah Berantah") == ("ATA", "country")
    aliases.write_text("alias,code\nx,ATA\nNegeri Lain,Atlantis\n", encoding="utf-8")
    with pytest.raises(HilirDataError, match="not an alpha-3 code") as err:
        resolve_partner("Negeri Lain")
    assert (err.value.row, err.value.column) == (3, "code")


def test_usda_layout_with_country_and_year_keys(fixtures_dir, tmp_path) -> None:
    wide = (fixtures_dir / "usda" / "psd_coffee_wide.csv").read_text(encoding="utf-8")
    path = tmp_path / "psd.csv"
    path.write_text(
        wide.replace("Country_Name", "Country").replace("Market_Year", "Year"), encoding="utf-8"
    )
    assert read_usda_psd(path).equals(read_usda_psd(fixtures_dir / "usda" / "psd_coffee_wide.csv"))


def test_an_error_about_a_huge_header_stays_short(tmp_path) -> None:
    path = tmp_path / "portal.csv"
    path.write_text(",".join(f"col{i}" for i in range(20_000)) + "\n1\n", encoding="utf-8")
    with pytest.raises(HilirDataError) as err:
        read_bps_exports(path)
    assert len(str(err.value)) < MAX_MESSAGE + 300
    assert "more characters left out" in str(err.value) or len(str(err.value)) < MAX_MESSAGE


def test_a_comtrade_bulk_flow_code_the_file_does_not_define_defers_to_its_text(
    fixtures_dir, tmp_path
) -> None:
    """Bulk files with ``Trade Flow Code = 0`` were refused whole; the Trade Flow text says."""
    from hilir.sources import read_comtrade

    original = fixtures_dir / "comtrade" / "legacy_bulk_coffee_idn.csv"
    text = original.read_text(encoding="utf-8")
    path = tmp_path / "bulk.csv"
    path.write_text(text.replace(",6,1,2,Export,", ",6,1,0,Export,"), encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = read_comtrade(path, source="x")
        reference = read_comtrade(original, source="x")
    assert len(got) == len(reference) and (got["flow"] == "export").all()
    path.write_text(text.replace(",6,1,2,Export,", ",6,1,0,Shipment,"), encoding="utf-8")
    with pytest.raises(HilirDataError, match="unknown trade flow 'Shipment'"):
        read_comtrade(path, source="x")
