"""The glossary of key terms (issue 15): complete rows, cited sources, one term per concept."""

from __future__ import annotations

import re

import pytest

from hilir.errors import HilirDataError
from hilir.i18n.catalog import GLOSSARY_SOURCES, catalogue, glossary, parse_glossary

# Terms whose English form, wherever an en message has it, must come with the glossary's
# Indonesian term in the id version of that message. Left out where the English word also
# has other senses in the catalogue ("workers" is "pekerja" in "value added per worker")
# or where no en message has it (the pair would be checked against nothing).
PAIRED = (
    "downstreaming", "export", "export_value", "export_volume", "port_of_loading",
    "unit_value", "raw_material", "raw_equivalent", "value_added", "input_output_table",
    "multiplier", "final_demand", "indirect", "induced", "jobs", "smallholder", "export_ban",
    "carbon_black", "data_vintage", "shipped_data", "log_scale", "prediction_interval",
    "random_walk", "interrupted_time_series", "back_test", "provenance", "tidy_table",
)  # fmt: skip

# Retired Indonesian alternatives (issue 15) and the glossary term that replaced each.
RETIRED = {
    "induksi": "induced",
    "vintase": "data_vintage",
    "bawaan": "shipped_data",
    "tabel rapi": "tidy_table",
    "provenansi": "provenance",
    "jelaga karbon": "carbon_black",
}


def _terms() -> dict[str, object]:
    return {g.term: g for g in glossary()}


def _en_pattern(text: str) -> re.Pattern[str]:
    return re.compile(r"(?<![A-Za-z])" + re.escape(text) + r"(?![A-Za-z])", re.IGNORECASE)


def test_every_row_is_complete_and_cites_a_known_kind_of_source() -> None:
    rows = glossary()
    assert len(rows) >= 20
    for g in rows:
        assert all((g.term, g.id, g.en, g.source)), g
        assert g.source_kind in GLOSSARY_SOURCES, g
        assert g.source.split(":", 1)[1].strip(), g  # a document or entry is named


@pytest.mark.parametrize(
    ("text", "column"),
    [
        ("term,id,en,source\nx,ekspor,exports,Wikipedia: Export\n", "source"),
        ("term,id,en,source\nx,ekspor,exports,BPS\n", "source"),
        ("term,id,en,source\nx,,exports,BPS: Statistik\n", "id"),
        ("term,id,en,source\nx,a,b,KBBI: a\nx,c,d,KBBI: c\n", "term"),
    ],
)
def test_bad_rows_are_refused_with_their_column(text: str, column: str) -> None:
    with pytest.raises(HilirDataError, match=column):
        parse_glossary(text)


def test_each_id_term_is_used_by_the_id_catalogue_or_policy_labels() -> None:
    from hilir.policy import policy_events

    texts = [m.id.lower() for m in catalogue().values()]
    texts += [str(s).lower() for s in policy_events()["label_id"]]
    unused = [g.term for g in glossary() if not any(g.id.lower() in s for s in texts)]
    assert unused == []


@pytest.mark.parametrize("term", PAIRED)
def test_en_term_comes_with_the_id_term(term: str) -> None:
    g = _terms()[term]
    pattern = _en_pattern(g.en)
    hits = [m for m in catalogue().values() if pattern.search(m.en)]
    assert hits, f"no en message has {g.en!r}: the pair checks nothing"
    missing = [m.key for m in hits if g.id.lower() not in m.id.lower()]
    assert missing == [], f"{g.en!r} is not {g.id!r} in these id messages"


@pytest.mark.parametrize(("retired", "term"), sorted(RETIRED.items()))
def test_retired_alternatives_appear_nowhere_in_id(retired: str, term: str) -> None:
    from hilir.i18n.source_terms import source_terms

    assert term in _terms()
    texts = {m.key: m.id for m in catalogue().values()}
    texts |= {f"source_terms:{f}:{en}": id_ for (f, en), id_ in source_terms().items()}
    assert [k for k, s in texts.items() if retired in s.lower()] == []
