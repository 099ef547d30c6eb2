"""Progress bars: a disabled bar draws nothing and imports no tqdm."""

from __future__ import annotations

import subprocess
import sys

from hilir.progress import QuietBar, progress_bar


def test_disabled_bar_is_quiet_and_iterates():
    bar = progress_bar([1, 2, 3], total=3, desc="x", disable=True)
    assert isinstance(bar, QuietBar)
    with bar:
        assert list(bar) == [1, 2, 3]
        bar.update(5)
        bar.set_postfix_str("10 rows")
    assert bar.n == 5
    assert list(progress_bar(iterable=range(2), disable=True)) == [0, 1]


def test_enabled_bar_is_tqdm(capsys):
    bar = progress_bar(total=2, disable=False, file=sys.stderr)
    assert not isinstance(bar, QuietBar)
    bar.update(2)
    bar.close()
    assert "2/2" in capsys.readouterr().err


def test_disabled_bar_does_not_import_tqdm():
    code = (
        "import sys; from hilir.progress import progress_bar; "
        "progress_bar(total=1, disable=True).update(1); print('tqdm' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
