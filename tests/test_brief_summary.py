"""The summary box each brief opens with, and the rule that no sentence is printed twice.

Issue 15: only one brief in nine passed a 30-second test, and four to nine sentences per
brief were printed twice (the key messages repeated the sections). Each brief now opens with
a summary box of three to five findings, its own subject first, then "what this means for
Lampung"; the sections say only what the summary has not said.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from hilir.brief import Brief
from hilir.brief.sentences import Said, first_sentence, split_sentences
from hilir.brief.summary import SUMMARY_ID
from report_conftest import EXPECTED, LANGS

# ---- sentences ---------------------------------------------------------------------------


def test_split_sentences_keeps_numbers_and_abbreviations_whole() -> None:
    en = "Exports were US$1.6 billion in 2024 (preliminary). January–May 2025: US$914.5 million."
    assert split_sentences(en) == [
        "Exports were US$1.6 billion in 2024 (preliminary).",
        "January–May 2025: US$914.5 million.",
    ]
    id_ = "Selang berkisar US$26,1 juta s.d. US$985,8 juta. Data berakhir pada 2020."
    assert split_sentences(id_) == [
        "Selang berkisar US$26,1 juta s.d. US$985,8 juta.",
        "Data berakhir pada 2020.",
    ]
    assert first_sentence("One 1.3 times. Two.") == "One 1.3 times."
    assert split_sentences("  ") == []


def test_said_drops_repeats_across_and_within_calls() -> None:
    said = Said()
    assert said.new(["A is 1.5. B is 2.", None, ""]) == ["A is 1.5.", "B is 2."]
    assert said.new(["B is  2. C is 3.", "C is 3."]) == ["C is 3."]


def _page(lang: str = "en") -> tuple[Brief, list[tuple[dict, dict]]]:
    shown: list[tuple[dict, dict]] = []
    return Brief("01_coffee", lang=lang, display=lambda b, m: shown.append((b, m))), shown


def test_summary_quotes_first_sentences_and_the_section_says_the_rest() -> None:
    brief, shown = _page()
    brief.summary(
        ["Share rose to 39.9% in 2020. It was 0.6% in 1990.", "Exports were US$1.3 billion."],
        lampung=["Lampung grew 118,139 tonnes in 2022.", None],
    )
    brief.say("Share rose to 39.9% in 2020. It was 0.6% in 1990.")
    brief.note("Exports were US$1.3 billion.", "Caveat <b>here</b>.")
    box = shown[0][0]["text/html"]
    assert box.startswith(f'<section class="hilir-summary" id="{SUMMARY_ID}">')
    assert "<h2>Summary</h2>" in box and "What this means for Lampung" in box
    assert box.count("<li>") == 2 and "It was 0.6%" not in box
    assert "Lampung grew 118,139 tonnes in 2022." in box
    assert shown[1][0]["text/markdown"] == "It was 0.6% in 1990."
    assert shown[2][0]["text/html"] == '<p class="hilir-note">Caveat &lt;b&gt;here&lt;/b&gt;.</p>'


def test_summary_escapes_data_derived_text_in_both_languages() -> None:
    for lang, heading in (("id", "Ringkasan"), ("en", "Summary")):
        brief, shown = _page(lang)
        brief.summary(["<img src=x onerror=alert(1)> 5%."], scope=["No <i>tin</i> data."])
        box = shown[0][0]["text/html"]
        assert f"<h2>{heading}</h2>" in box
        assert "<img" not in box and "&lt;img" in box and "&lt;i&gt;tin" in box
        assert "hilir-meaning" not in box  # no Lampung paragraph given, none shown


# ---- the built briefs --------------------------------------------------------------------

#: Words of the brief's own subject, one of which its first finding must contain.
SUBJECT = {
    "00_overview": ("nikel", "nickel", "kopi", "coffee"),
    "01_coffee": ("kopi", "coffee"),
    "02_spices_pepper": ("lada", "pepper"),
    "03_rubber": ("karet", "rubber"),
    "04_palm_oil": ("sawit", "palm"),
    "05_minerals": ("nikel", "nickel", "feronikel", "ferronickel"),
    "06_jobs": ("lapangan kerja", "jobs"),
    "07_policy": ("kebijakan", "policy", "larangan", "ban", "pungutan", "levy"),
    "08_lampung_profile": ("lampung",),
}


class _Prose(HTMLParser):
    """Sentences of a brief's prose (paragraphs and list items), and its summary items."""

    SKIP = frozenset({"hilir-source", "hilir-footer", "hilir-bar", "hilir-toc"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, bool]] = []
        self.blocks: list[str] = []
        self.findings: list[str] = []
        self.meaning = ""
        self.h2: list[str] = []
        self._buf: list[str] = []
        self._target: str | None = None

    def _skipping(self) -> bool:
        return any(skip for _, skip in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = set((dict(attrs).get("class") or "").split())
        skip = bool(classes & self.SKIP) or tag in {"style", "script", "table", "footer"}
        self.stack.append((tag, skip))
        if tag in {"p", "li", "h2"} and not self._skipping():
            self._buf, self._target = [], tag

    def handle_endtag(self, tag: str) -> None:
        inside = [t for t, _ in self.stack]
        if tag == self._target and not self._skipping():
            text = " ".join("".join(self._buf).split()).replace("¶", "").strip()
            in_summary = "section" in inside
            if tag == "h2":
                self.h2.append(text)
            elif in_summary and tag == "li":
                self.findings.append(text)
            elif in_summary and "div" in inside and not self.meaning:
                self.meaning = text
            if tag != "h2":
                self.blocks.append(text)
            self._target = None
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._target:
            self._buf.append(data)


def _read(report, lang: str, name: str) -> _Prose:  # type: ignore[no-untyped-def]
    parser = _Prose()
    parser.feed((report.out_dir / lang / f"{name}.html").read_text(encoding="utf-8"))
    return parser


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_every_brief_opens_with_its_summary_box(report, lang: str) -> None:  # type: ignore[no-untyped-def]
    for name in EXPECTED:
        prose = _read(report, lang, name)
        text = (report.out_dir / lang / f"{name}.html").read_text(encoding="utf-8")
        box = text.find('class="hilir-summary"')
        assert box > 0 and text.find("<h2") > box, f"{name}: a section comes before the summary"
        assert text.find("<img", 0, box) == -1, f"{name}: a chart comes before the summary"
        assert 3 <= len(prose.findings) <= 5, (name, prose.findings)
        first = prose.findings[0].lower()
        assert any(word in first for word in SUBJECT[name]), (name, first)
        assert all(re.search(r"\d", f) for f in prose.findings), (name, prose.findings)
        assert prose.meaning, f"{name}: no 'what this means for Lampung' paragraph"


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_no_sentence_is_printed_twice(report, lang: str) -> None:  # type: ignore[no-untyped-def]
    for name in EXPECTED:
        seen: dict[str, int] = {}
        for block in _read(report, lang, name).blocks:
            for sentence in split_sentences(block):
                if len(sentence) >= 40:  # labels and short list items may recur
                    seen[sentence] = seen.get(sentence, 0) + 1
        twice = [s for s, n in seen.items() if n > 1]
        assert not twice, f"{lang}/{name}: printed twice: {twice[:3]}"
