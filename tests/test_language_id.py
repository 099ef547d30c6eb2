"""Bahasa Indonesia style of the catalogue (issue 15): no English words, BPS terms, number style."""

from __future__ import annotations

import re

import pytest

from hilir.i18n.catalog import catalogue

# English words that must never appear in an id string. Placeholders ``{...}`` and
# code spans are ignored; names (e.g. "UN Comtrade") contain none of these words.
STOP_WORDS = frozenset(
    {
        "the", "and", "of", "from", "exports", "share", "scale", "log", "induced",
        "vintage", "provenance", "tidy", "whole",
    }
)  # fmt: skip

# Explicit exceptions: (key, word) pairs where the English word is a proper name.
ALLOWED: frozenset[tuple[str, str]] = frozenset()

# Terms that BPS and ministries do not use, replaced in issue 15; they must not return.
RETIRED = (
    "induksi",
    "vintase",
    "data bawaan",
    "tabel rapi",
    "provenansi",
    "jelaga karbon",
    "jumlah kabupaten/kota:",
    "nilai {y0}",
)


def _id_strings() -> list[tuple[str, str]]:
    return [(key, msg.id) for key, msg in catalogue().items()]


def _words(text: str) -> set[str]:
    """Lower-case words of ``text`` outside placeholders and code spans."""
    plain = re.sub(r"\{[^}]*\}|`[^`]*`", " ", text)
    return {w.lower() for w in re.findall(r"[A-Za-z]+", plain)}


def test_no_english_stop_words_in_id() -> None:
    bad = [
        (key, sorted(hit))
        for key, text in _id_strings()
        if (hit := {w for w in _words(text) & STOP_WORDS if (key, w) not in ALLOWED})
    ]
    assert bad == []


def test_id_number_style() -> None:
    spaced = [k for k, s in _id_strings() if re.search(r"(\d|\})\s+%", s)]
    ascii_cmp = [k for k, s in _id_strings() if ">=" in s or "<=" in s]
    assert spaced == []
    assert ascii_cmp == []


@pytest.mark.parametrize("term", RETIRED)
def test_retired_terms_do_not_return(term: str) -> None:
    assert [k for k, s in _id_strings() if term.lower() in s.lower()] == []


def test_bps_terms_present() -> None:
    cat = catalogue()
    assert cat["kind.induced"].id == "imbasan"
    assert "imbasan" in cat["say.jobs.total"].id
    assert "karbon hitam" in cat["note.gross_value"].id
    assert "total produksi kabupaten/kota" in cat["say.regency.top"].id


def test_policy_event_labels_follow_the_number_style() -> None:
    """The policy timeline prints its labels as they are in refdata: "kadar Sn ≥ 99,9%",
    not "Sn >= 99,9 %" (issue 15)."""
    from hilir.policy import policy_events

    events = policy_events()
    for col in ("label_id", "label_en"):
        labels = events[col].astype(str)
        assert not labels.str.contains(r">=|<=|\d %", regex=True).any(), col
