"""hilir.registry.partners: partner names and codes in English, Indonesian and source spellings."""

from __future__ import annotations

import pandas as pd
import pytest

from hilir.errors import HilirDataError
from hilir.registry import partners
from hilir.registry.partners import (
    numeric_codes,
    partner_type_of,
    resolve_numeric,
    resolve_partner,
    resolve_partners,
    resolve_reporter,
)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # ISO codes pass through
        ("IDN", "IDN"),
        ("CHN", "CHN"),
        # English, incl. UN Comtrade and World Bank spellings
        ("Korea, Rep.", "KOR"),
        ("Rep. of Korea", "KOR"),
        ("China, Hong Kong SAR", "HKG"),
        ("USA", "USA"),
        ("Viet Nam", "VNM"),
        ("Solomon Isds", "SLB"),
        ("Lao People's Dem. Rep.", "LAO"),
        ("Dem. People's Rep. of Korea", "PRK"),
        ("Bosnia Herzegovina", "BIH"),
        ("United Rep. of Tanzania", "TZA"),
        ("Türkiye", "TUR"),
        ("Côte d'Ivoire", "CIV"),
        ("CÃ´te d'Ivoire", "CIV"),  # UTF-8 read twice, as in a shipped Comtrade extract
        ("Taiwan", "TWN"),  # the part before the comma of "Taiwan, Province of China"
        # Indonesian (pycountry gettext catalogue)
        ("Jepang", "JPN"),
        ("Korea Selatan", "KOR"),
        ("Belanda", "NLD"),
        ("Amerika Serikat", "USA"),
        ("Papua Nugini", "PNG"),
        # BPS spellings from the alias table
        ("Inggris", "GBR"),
        ("Philipina", "PHL"),
        ("Hongkong", "HKG"),
        ("Srilanka", "LKA"),
        ("Cina", "CHN"),
        ("Tiongkok", "CHN"),
        ("Fed. Micronesia", "FSM"),
        ("SOLOMON ISLANDS", "SLB"),
        ("Korea. Republic Of", "KOR"),
        ("Germany. Fed. Rep. Of", "DEU"),
        ("Malaysia ", "MYS"),
        ("Hongkong ", "HKG"),
        # USDA PSD and ICO spellings from the alias table
        ("Congo (Kinshasa)", "COD"),
        ("Congo (Brazzaville)", "COG"),
        ("Democratic Republic of Congo", "COD"),
        ("Korea, South", "KOR"),
        ("Korea, North", "PRK"),
        ("Russia", "RUS"),
        ("Burma", "MMR"),
        ("Bahamas, The", "BHS"),
        ("Yemen (Sanaa)", "YEM"),
        ("Macedonia", "MKD"),
        ("Belgium/Luxembourg", "BLX"),  # ICO's combined reporter before 1999 (not ISO 3166)
        ("Belgium-Luxembourg", "BLX"),
    ],
)
def test_countries_resolve_to_iso3(text, code):
    assert resolve_partner(text) == (code, "country")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("World", ("WLD", "world")),
        ("WLD", ("WLD", "world")),
        ("W00", ("WLD", "world")),
        ("Dunia", ("WLD", "world")),
        ("Other Asia, nes", ("XOA", "residual")),
        ("Asia lain", ("XOA", "residual")),
        ("Others", ("XOT", "residual")),
        ("Lainnya", ("XOT", "residual")),
        ("Areas, nes", ("XAN", "residual")),
        ("Other Europe, nes", ("XOE", "residual")),
        ("Bunkers", ("XBU", "residual")),
        ("EU-28", ("EU2", "aggregate")),
        ("EU2", ("EU2", "aggregate")),
        ("EU-27", ("EUN", "aggregate")),
        ("European Union", ("EUN", "aggregate")),
        ("Uni Eropa", ("EUN", "aggregate")),
        ("ASEAN", ("ASEAN", "aggregate")),
    ],
)
def test_world_residuals_and_aggregates(text, expected):
    assert resolve_partner(text) == expected


def test_residual_codes_are_in_isos_user_range_and_not_countries():
    import pycountry

    for name in ("Other Asia, nes", "Others", "Areas, nes", "Free Zones", "Special Categories"):
        code, ptype = resolve_partner(name)
        assert ptype == "residual"
        assert code.startswith("X") and len(code) == 3
        assert pycountry.countries.get(alpha_3=code) is None


@pytest.mark.parametrize("text", ["Atlantis", "Negara Antah Berantah", "XYZ", "12"])
def test_unknown_partner_raises(text):
    with pytest.raises(HilirDataError, match="unknown partner"):
        resolve_partner(text)


@pytest.mark.parametrize("text", ["", "   ", None, float("nan")])
def test_missing_partner_raises(text):
    with pytest.raises(HilirDataError, match="missing"):
        resolve_partner(text)


def test_ambiguous_name_is_refused_not_guessed():
    # "Virgin Islands" could be the British (VGB) or the US (VIR) islands.
    with pytest.raises(HilirDataError, match="more than one country"):
        resolve_partner("Virgin Islands")


def test_resolve_partners_names_row_and_column_of_first_unknown():
    names = pd.Series(["Jepang", "Philipina", "Jepang", "Atlantis", "Cina"], name="Negara")
    rows = pd.Series([2, 3, 4, 7, 8])
    with pytest.raises(HilirDataError) as err:
        resolve_partners(names, path="ekspor.csv", rows=rows)
    assert (err.value.path, err.value.row, err.value.column) == ("ekspor.csv", 7, "Negara")
    assert "Atlantis" in str(err.value)


def test_resolve_partners_is_vectorised_and_keeps_index():
    names = pd.Series(["Dunia", "Korea Selatan", "Lainnya"], index=[10, 11, 12])
    out = resolve_partners(names)
    assert list(out.index) == [10, 11, 12]
    assert list(out["code"]) == ["WLD", "KOR", "XOT"]
    assert list(out["partner_type"]) == ["world", "country", "residual"]


def test_partner_type_of_classifies_reporter_codes():
    # Comtrade's EU-28 reporter keeps its code EU2, and must be kept out of world sums.
    assert partner_type_of("EU2") == "aggregate"
    assert partner_type_of("IDN") == "country"
    assert partner_type_of("WLD") == "world"
    assert partner_type_of("XOA") == "residual"
    assert partner_type_of("ID-LA") == "country"
    with pytest.raises(HilirDataError):
        partner_type_of("QQQ")


def test_resolve_reporter_accepts_province_codes():
    assert resolve_reporter("ID-LA") == "ID-LA"
    assert resolve_reporter("Indonesia") == "IDN"
    with pytest.raises(HilirDataError):
        resolve_reporter("ID-ZZ")
    with pytest.raises(HilirDataError, match="world"):
        resolve_reporter("World")


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (360, ("IDN", "country")),
        ("156", ("CHN", "country")),
        (842, ("USA", "country")),  # Comtrade's USA (ISO 840)
        (251, ("FRA", "country")),  # Comtrade's France (ISO 250)
        (699, ("IND", "country")),  # Comtrade's India (ISO 356)
        (490, ("XOA", "residual")),
        (0, ("WLD", "world")),
    ],
)
def test_numeric_codes(number, expected):
    assert resolve_numeric(number) == expected


def test_numeric_codes_invert_resolve_numeric():
    """numeric_codes(code) is exactly the set of numbers resolve_numeric reads as code."""
    read: dict[str, set[int]] = {}
    for number in range(1000):
        try:
            read.setdefault(resolve_numeric(number)[0], set()).add(number)
        except HilirDataError:
            continue
    assert read["FRA"] == {250, 251} and read["IDN"] == {360}
    for code, numbers in read.items():
        assert numeric_codes(code) == numbers, code
    assert numeric_codes("ID-LA") == frozenset()


def test_iso_code_fast_path_matches_the_index():
    """An ISO alpha-3 code resolves without the alias index, to what the index says."""
    index = partners._index()
    for code in ("IDN", "VNM", "USA", "TWN", "PSE"):
        assert resolve_partner(code) == index.codes[code] == (code, "country")


def test_alias_table_cannot_redefine_an_iso_code(monkeypatch):
    rows = pd.DataFrame(
        {
            "alias": ["TWN"],
            "code": ["XOA"],
            "partner_type": ["residual"],
            "language": ["code"],
            "note": [""],
            "_row": [2],
        }
    )
    monkeypatch.setattr(partners, "read_refdata", lambda name: rows)
    with pytest.raises(HilirDataError, match="ISO 3166-1 code") as err:
        partners._read_alias_table()
    assert err.value.row == 2 and err.value.column == "alias"


def test_unknown_numeric_code_raises():
    with pytest.raises(HilirDataError, match="country code 999"):
        resolve_numeric(999)
