"""Bahasa Indonesia style of the catalogue and of the source strings an id brief shows (issue 15).

No English words, BPS terms, number style; the publisher, licence, coverage and table texts of
the data-vintage table and the forecast model names are checked with the same stop words.
"""

from __future__ import annotations

import re

import pytest

from hilir.i18n.catalog import catalogue

# English words that must never appear in an id string. Placeholders ``{...}`` and
# code spans are ignored; names (e.g. "UN Comtrade") contain none of these words.
STOP_WORDS = frozenset(
    {
        "the", "and", "of", "from", "exports", "share", "scale", "log", "induced",
        "vintage", "provenance", "tidy", "whole", "with", "on", "in", "for", "terms", "only",
        "use", "free", "reuse", "attribution", "licence", "random", "walk", "inferred",
        "preliminary", "states", "compiled", "quoted", "published", "since", "other",
        "agencies", "filing", "government", "facts", "statistical", "databases", "division",
        "united", "nations", "organization", "world", "authors", "derived", "table", "tables",
        "file", "kept", "comparison", "scenario", "implied", "current", "central", "direct",
        "jobs",
    }
)  # fmt: skip

# Proper names in source strings (titles, institutions) that keep their English words.
PROPER_NAMES = (
    "Statistical Review of World Energy",
    "Statistical Review",
    "World Input-Output Database",
    "Groningen Growth and Development Centre",
    "Etalab Open Licence",
)

# Explicit exceptions: (key, word) pairs where the English word is a proper name.
ALLOWED: frozenset[tuple[str, str]] = frozenset()

# Terms that BPS and ministries do not use, replaced in issue 15; they must not return.
RETIRED = (
    "induksi",
    "vintase",
    "bawaan",
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


def _source_strings() -> list[tuple[str, str, str]]:
    """(where, field, id text) of every source string an id brief can show."""
    from hilir.i18n.source_terms import source_text
    from hilir.provenance.catalog import input_records
    from hilir.sources.catalog import READERS

    out = []
    for rec in input_records(include_user=False):
        for field in ("publisher", "licence", "coverage"):
            out.append((rec.key, field, source_text(field, str(getattr(rec, field)), "id")))
        out.append((rec.key, "source_label", str(rec.source_label["id"])))
    for name, info in READERS.items():
        out.append((f"reader {name}", "publisher", source_text("publisher", info.publisher, "id")))
        out.append((f"reader {name}", "licence", source_text("licence", info.licence, "id")))
        out.append((f"reader {name}", "source_label", info.label_id))
    return out


def _english_words(text: str) -> list[str]:
    for name in PROPER_NAMES:
        text = text.replace(name, " ")
    return sorted(_words(text) & STOP_WORDS)


def test_every_shipped_publisher_and_licence_has_an_id_form() -> None:
    from hilir.i18n.source_terms import source_terms
    from hilir.provenance.catalog import input_records
    from hilir.sources.catalog import READERS

    pairs = {(f, str(getattr(r, f))) for r in input_records(include_user=False)
             for f in ("publisher", "licence")}  # fmt: skip
    pairs |= {(f, getattr(i, f)) for i in READERS.values() for f in ("publisher", "licence")}
    assert sorted(pairs - set(source_terms())) == []


def test_no_english_stop_words_in_id_source_strings() -> None:
    bad = [(w, f, hit) for w, f, text in _source_strings() if (hit := _english_words(text))]
    assert bad == []


def test_every_shipped_table_has_an_id_label() -> None:
    from hilir.provenance.catalog import input_records

    tables = {str(r.table) for r in input_records(include_user=False)}
    assert sorted(t for t in tables if f"vintage.table.{t}" not in catalogue()) == []


def test_id_vintage_table_shows_the_id_source_strings() -> None:
    """The table a policymaker reads: publisher, licence, coverage and table in Indonesian."""
    from hilir.brief.blocks import vintage_table
    from hilir.provenance.catalog import input_records

    table = vintage_table([r.key for r in input_records(include_user=False)], "id")
    cols = ["publisher", "table", "coverage", "licence"]
    bad = {(c, v): hit for c in cols for v in table[c] if (hit := _english_words(str(v)))}
    assert bad == {}
    assert "Badan Pusat Statistik (BPS)" in set(table["publisher"])
    assert not table["coverage"].str.contains(r"\d to \d").any()


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        ("random walk on log scale", "jalan acak pada skala logaritmik"),
        ("ETS(A,N,N) on log scale", "ETS(A,N,N) pada skala logaritmik"),
        (
            "ARIMA(0, 1, 1) with drift on level scale",
            "ARIMA(0, 1, 1) dengan drift pada skala nilai asli",
        ),
    ],
)  # fmt: skip
def test_forecast_model_names_in_id(model: str, expected: str) -> None:
    from hilir.i18n.labels import forecast_model_label

    assert forecast_model_label(model, "id") == expected
    assert forecast_model_label(model, "en") == model


def test_unknown_forecast_model_name_is_refused() -> None:
    from hilir.errors import HilirDataError
    from hilir.i18n.labels import forecast_model_label

    with pytest.raises(HilirDataError, match="unknown forecast model"):
        forecast_model_label("Holt-Winters on log scale", "id")


@pytest.mark.parametrize("method", ["naive", "ets", "arima"])
def test_fitted_forecast_models_have_id_names(method: str) -> None:
    """The names :func:`hilir.policy.forecast` writes are all understood, with no English."""
    import numpy as np
    import pandas as pd

    from hilir.i18n.labels import forecast_method_label, forecast_model_label
    from hilir.policy import forecast

    years = np.arange(30)
    series = pd.DataFrame(
        {"year": 1990 + years, "value": np.exp(1 + years / 15 + 0.1 * np.sin(years))}
    )
    result = forecast(series, method=method, horizon=2)  # type: ignore[arg-type]
    named = forecast_model_label(str(result.model), "id")
    assert _english_words(named) == []
    assert _english_words(forecast_method_label(method, "id")) == []


def test_id_forecast_sentence_names_the_model_in_indonesian() -> None:
    """The forecast sentence of an id brief (issue 15: "(random walk on log scale)")."""
    import numpy as np
    import pandas as pd

    from hilir.brief.narrative.forecasts import forecast_range
    from hilir.policy import forecast

    years = np.arange(30)
    series = pd.DataFrame({"year": 1990 + years, "value": np.exp(1 + years / 15)})
    result = forecast(series, method="naive", horizon=2, build_year=2020)
    text = forecast_range(result, lang="id", item="ferronickel")
    assert "jalan acak pada skala logaritmik" in text
    assert _english_words(text) == []
