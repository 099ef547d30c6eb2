"""Image regression: every chart, in both languages, against its committed baseline.

Baselines are PNGs of small test frames at the column size and 100 dpi, compared with a
small RMS tolerance under the pinned library versions of constraints.txt. Regenerate them
after a deliberate change with ``python -m tests.regenerate_baselines`` (or run this file
with ``HILIR_REGENERATE_BASELINES=1``) and look at them before committing.
"""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version


def _pinned_matplotlib() -> Version:
    """The matplotlib version pinned (``==``) in the repository's constraints.txt."""
    path = Path(__file__).resolve().parents[1] / "constraints.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        req = Requirement(line)
        if canonicalize_name(req.name) == "matplotlib":
            (spec,) = req.specifier
            assert spec.operator == "==", f"constraints.txt: {line!r} is not an exact pin"
            return Version(spec.version)
    raise AssertionError("constraints.txt pins no matplotlib version")


# The baselines hold only for the matplotlib of constraints.txt: under any other (e.g. the
# floors of `make test-min`) the pixels differ by design, so the comparison says nothing.
_PINNED, _INSTALLED = _pinned_matplotlib(), Version(version("matplotlib"))
if _INSTALLED != _PINNED:
    pytest.skip(
        f"image baselines are made with matplotlib {_PINNED} (constraints.txt); "
        f"this environment has matplotlib {_INSTALLED}",
        allow_module_level=True,
    )

from matplotlib.testing.compare import compare_images  # noqa: E402

from plots_conftest import (  # noqa: E402
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
