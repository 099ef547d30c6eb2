"""All 38 provinces resolve by code, official name and the spellings in use (issue 13, item 11).

Before, "Kepulauan Riau" resolved to Riau, "Sumatera Utara" and "Sumatera Barat" to
Sumatera Selatan (a substring match on "sumatera"), every Kalimantan province but East
Kalimantan to ``ID-KI``, and Aceh or Jakarta were unknown. The province names of ISO 3166-2
(as shipped with pycountry) are the reference the table is checked against.
"""

from __future__ import annotations

import pycountry
import pytest

from hilir.errors import HilirDataError
from hilir.registry.provinces import find_province, province_table, resolve_province

ISO = {
    s.code: s.name
    for s in pycountry.subdivisions.get(country_code="ID")
    if s.type in ("Province", "Capital district", "Special region")
}
TABLE = province_table().set_index("iso")


def test_the_table_is_the_38_provinces_of_iso_3166_2() -> None:
    assert len(ISO) == 38
    assert set(TABLE.index) == set(ISO)


@pytest.mark.parametrize("iso", sorted(ISO))
def test_each_province_resolves_by_code_name_and_spelling(iso: str) -> None:
    row = TABLE.loc[iso]
    names = [iso, iso.lower(), row["name"], row["name"].upper(), row["name_en"], ISO[iso]]
    names += [a for a in row["aliases"].split(";") if a]
    if row["bps_code"]:
        names.append(row["bps_code"])
    for name in names:
        assert resolve_province(name) == iso, name
    assert find_province(f"Tabel Input-Output Provinsi {row['name']} 2016") == iso


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Kepulauan Riau", "ID-KR"),
        ("Riau", "ID-RI"),
        ("Sumatera Utara", "ID-SU"),
        ("Sumatera Barat", "ID-SB"),
        ("Kalimantan Selatan", "ID-KS"),
        ("Kalimantan Barat", "ID-KB"),
        ("Kep. Bangka Belitung", "ID-BB"),
        ("DKI Jakarta", "ID-JK"),
        ("D.I. Yogyakarta", "ID-YO"),
        ("Nanggroe Aceh Darussalam", "ID-AC"),
    ],
)
def test_names_match_whole_never_in_part(text: str, iso: str) -> None:
    assert resolve_province(text) == iso
    assert find_province(f"Tabel IO {text} 2015 (juta rupiah)") == iso


def test_a_title_naming_two_provinces_or_none_is_not_guessed() -> None:
    assert find_province("Perbandingan Riau dan Jambi 2010") is None
    assert find_province("Tabel Input-Output Indonesia 2016") is None
    with pytest.raises(HilirDataError, match=r"unknown province 'Sumatra Tengah'.*alias,iso"):
        resolve_province("Sumatra Tengah")


def test_a_user_adds_a_spelling_in_the_data_folder(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("HILIR_DATA_DIR", str(tmp_path / "data"))
    (tmp_path / "data" / "user").mkdir(parents=True)
    aliases = tmp_path / "data" / "user" / "province_aliases.csv"
    aliases.write_text("alias,iso\nBumi Ruwa Jurai,ID-LA\n", encoding="utf-8")
    assert resolve_province("Bumi Ruwa Jurai") == "ID-LA"
    aliases.write_text("alias,iso\nAtlantis,ID-XX\n", encoding="utf-8")
    with pytest.raises(HilirDataError, match="not an ISO 3166-2 code") as err:
        resolve_province("Atlantis")
    assert err.value.row == 2


def test_an_io_table_of_another_province_is_not_labelled_lampung(io_dir) -> None:
    from hilir.sources import read_bps_io

    t = read_bps_io(io_dir / "bps_io_3sector_long.csv", year=2016, geography="Kalsel", scale=1.0)
    assert (t.geography, t.source) == ("ID-KS", "bps_io_id_ks_2016")
