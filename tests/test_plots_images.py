"""Image regression: every chart, in both languages, against its committed baseline.

Baselines are PNGs of small test frames at the column size and 100 dpi, compared with a
small RMS tolerance under the pinned library versions of constraints.txt. Regenerate them
after a deliberate change with ``python -m tests.regenerate_baselines`` (or run this file
with ``HILIR_REGENERATE_BASELINES=1``) and look at them before committing.
"""

from __future__ import annotations

import pytest
from matplotlib.testing.compare import compare_images

from plots_conftest import (
    BASELINE_DIR,
    CASES,
    TOLERANCE,
    baseline_path,
    regenerating,
    render_baseline,
)

LANGS = ("id", "en")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", sorted(CASES))
def test_chart_matches_baseline(name, lang, tmp_path):
    if regenerating():
        render_baseline(name, lang, BASELINE_DIR)
        return
    expected = baseline_path(name, lang)
    assert expected.is_file(), (
        f"no baseline {expected.name}; create it with python -m tests.regenerate_baselines {name}"
    )
    actual = render_baseline(name, lang, tmp_path)
    diff = compare_images(str(expected), str(actual), tol=TOLERANCE)
    assert diff is None, diff


def test_every_chart_kind_has_a_case():
    from hilir.plots import CHARTS

    assert set(CASES) == set(CHARTS)


def test_no_stray_baselines():
    wanted = {baseline_path(name, lang).name for name in CASES for lang in LANGS}
    present = {p.name for p in BASELINE_DIR.glob("*.png")}
    assert present == wanted
