"""The message catalogue: every label in both languages, and clear errors when one is missing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hilir.errors import HilirDataError
from hilir.i18n import catalogue, has, keys, label, t, text_of
from hilir.i18n.catalog import parse_catalogue, placeholders

SRC = Path(__file__).resolve().parents[1] / "src" / "hilir"
FAMILIES = (
    "title|subtitle|note|unit|label|axis|measure|effect|effect_short|source|range|priceunit|"
    "kind|stage|geo|chain|product|crop|series|mag|month|month_short|bound"
)
LITERAL_KEY = re.compile(rf"""["']((?:{FAMILIES})\.[A-Za-z0-9_.\-]+)["']""")
FSTRING_KEY = re.compile(rf"""f["']((?:{FAMILIES})\.[A-Za-z0-9_.\-]*)\{{""")


def test_every_message_has_both_languages_and_the_same_placeholders():
    messages = catalogue()
    assert len(messages) > 250
    for msg in messages.values():
        assert msg.id.strip(), msg.key
        assert msg.en.strip(), msg.key
        assert placeholders(msg.id) == placeholders(msg.en), msg.key


def test_lookup_in_both_languages():
    assert t("stage.processed", "id") == "barang jadi"
    assert t("stage.processed", "en") == "processed"
    assert label("chain", "palm_oil", "id") == "kelapa sawit"
    assert t("unit.times_value", "en", value="2.5") == "2.5 times"
    assert text_of({"id": "Larangan ekspor", "en": "Export ban"}, "en") == "Export ban"


def test_unknown_key_is_an_error_that_says_where_to_add_it():
    with pytest.raises(HilirDataError, match=r"no message 'chain\.durian'.*messages\.csv"):
        t("chain.durian", "id")


def test_missing_placeholder_value_is_an_error():
    with pytest.raises(HilirDataError, match=r"needs values for \['value'\]"):
        t("unit.times_value", "id")


def test_mapping_without_the_language_is_an_error():
    with pytest.raises(HilirDataError, match="no 'id' translation"):
        text_of({"en": "Export ban"}, "id")
    with pytest.raises(HilirDataError, match="lang"):
        t("stage.raw", "ms")


# --- malformed catalogues: the error names row and column ----------------------------------


def test_missing_translation_names_row_and_column():
    text = "key,id,en\nstage.raw,bahan mentah,raw\nstage.new,barang baru,\n"
    with pytest.raises(HilirDataError, match=r"missing translation of 'stage\.new'") as err:
        parse_catalogue(text, path="messages.csv")
    assert (err.value.row, err.value.column) == (3, "en")


def test_duplicate_key_names_both_rows():
    text = "key,id,en\na.b,x,y\nc.d,x,y\na.b,z,w\n"
    with pytest.raises(HilirDataError, match="also on row 2") as err:
        parse_catalogue(text)
    assert (err.value.row, err.value.column) == (4, "key")


def test_placeholders_must_match():
    text = "key,id,en\na.b,{x} kali,{y} times\n"
    with pytest.raises(HilirDataError, match="placeholders differ") as err:
        parse_catalogue(text)
    assert err.value.row == 2


@pytest.mark.parametrize(
    ("text", "row"),
    [("key,id\na,b\n", 1), ("key,id,en\na.b,x\n", 2), ("key,id,en\n,x,y\n", 2)],
)
def test_bad_layouts(text, row):
    with pytest.raises(HilirDataError) as err:
        parse_catalogue(text)
    assert err.value.row == row


# --- coverage: every label a chart can print --------------------------------------------------


def test_every_registry_chain_and_product_has_a_label():
    from hilir.registry.tables import chains, products

    missing = [
        f"chain.{c}" for c in chains()["chain"].astype(str).unique() if not has(f"chain.{c}")
    ]
    missing += [
        f"product.{p}"
        for p in products()["product"].astype(str).unique()
        if not has(f"product.{p}")
    ]
    assert not missing, f"add these rows to hilir/i18n/messages.csv: {missing}"


def test_every_crop_of_the_bps_reader_has_a_label():
    from hilir.sources.bps_production import CROPS

    missing = sorted({c for c in CROPS.values() if not has(f"crop.{c}")})
    assert not missing


def test_every_charted_price_series_and_unit_has_a_label():
    from hilir.plots.charts_prices import PRICE_UNITS
    from hilir.plots.style import SERIES_CHAIN

    assert [s for s in SERIES_CHAIN if not has(f"series.{s}")] == []
    assert [k for k in PRICE_UNITS.values() if not has(k)] == []


def test_enumerations_are_complete():
    expected = (
        [f"stage.{s}" for s in ("raw", "intermediate", "processed", "mixed")]
        + [f"kind.{k}" for k in ("direct", "indirect", "induced", "total")]
        + [f"bound.{b}" for b in ("low", "central", "high")]
        + [f"geo.{g}" for g in ("IDN", "ID-LA", "WORLD")]
        + [f"mag.{e}" for e in (3, 6, 9, 12)]
        + [f"month.{m}" for m in range(1, 13)]
        + [f"month_short.{m}" for m in range(1, 13)]
        + [f"effect.{e}" for e in ("volume", "price", "mix")]
        + [f"effect_short.{e}" for e in ("volume", "price", "mix", "start", "end", "total")]
        + [
            f"measure.{m}{s}"
            for m in ("export_value", "export_volume", "unit_value", "price")
            for s in ("", ".all")
        ]
        + [
            f"subtitle.{c}.{m}"
            for c in ("stage_share", "small_multiples")
            for m in ("value", "volume")
        ]
        + [f"title.{c}.{m}" for c in ("regency",) for m in ("production", "area")]
        + [f"subtitle.regency.{m}" for m in ("production", "area")]
        + [f"subtitle.prices.{f}" for f in ("annual", "monthly")]
        + [f"title.jobs{v}{d}" for v in ("", ".most", ".net", ".share") for d in ("", ".direct")]
    )
    assert [k for k in expected if not has(k)] == []


def test_every_key_written_in_the_chart_code_exists():
    used: set[str] = set()
    prefixes: set[str] = set()
    for path in [*SRC.joinpath("plots").glob("*.py"), *SRC.joinpath("i18n").glob("*.py")]:
        text = path.read_text(encoding="utf-8")
        used |= set(LITERAL_KEY.findall(text))
        prefixes |= set(FSTRING_KEY.findall(text))
    assert len(used) > 60
    missing = sorted(k for k in used if not has(k))
    assert not missing, f"keys used in code but absent from messages.csv: {missing}"
    dangling = sorted(p for p in prefixes if not keys(p))
    assert not dangling, f"f-string key families with no catalogue row: {dangling}"
