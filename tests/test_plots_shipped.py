"""Every chart renders in both languages on the shipped data, with complete provenance.

These are the gallery's examples (hilir.report.gallery), drawn from the data in data/raw
through the loaders and the model functions of hilir.value, hilir.jobs and hilir.policy.
"""

from __future__ import annotations

import warnings

import pytest

from hilir.errors import HilirDataWarning
from hilir.plots import CHARTS, save_figure
from hilir.report.gallery import ShippedData, examples

EXAMPLES = {ex.name: ex for ex in examples()}
#: Charts of reference tables, not of a period: the procedure steps cite a source per step.
UNDATED = frozenset({"export_procedure"})


@pytest.fixture(scope="module")
def shipped() -> ShippedData:
    return ShippedData()


def test_the_gallery_covers_every_chart():
    from hilir.report.gallery import FRAMES, NOT_IN_GALLERY

    assert set(NOT_IN_GALLERY) <= set(CHARTS)
    assert {ex.chart for ex in EXAMPLES.values()} == set(CHARTS) - set(NOT_IN_GALLERY)
    assert set(FRAMES) == set(CHARTS)


def test_the_gallery_page_shows_every_chart_in_both_languages():
    from pathlib import Path

    page = Path(__file__).resolve().parents[1] / "docs" / "gallery.md"
    text = page.read_text(encoding="utf-8")
    for name in EXAMPLES:
        for lang in ("id", "en"):
            assert f"gallery/{name}_{lang}.png" in text
            assert (page.parent / "gallery" / f"{name}_{lang}.png").is_file()


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_chart_renders_on_shipped_data(name, lang, shipped, tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", HilirDataWarning)
        warnings.simplefilter("ignore", UserWarning)
        fig = EXAMPLES[name].draw(shipped, lang, "column")
    meta = fig.hilir
    assert meta.chart == EXAMPLES[name].chart and meta.lang == lang
    assert meta.savable, meta.source_line
    assert len(meta.data) > 0
    if meta.chart in UNDATED:
        assert meta.latest_year is None and "hilir" in meta.source_line
    else:
        assert meta.latest_year is not None and 2000 <= meta.latest_year <= 2030
        assert str(meta.latest_year) in meta.source_line
    paths = save_figure(fig, f"{name}_{lang}", folder=tmp_path, formats=("png",), dpi=72)
    assert paths["png"].stat().st_size > 5_000
