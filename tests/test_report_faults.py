"""A killed report build leaves no process behind, and a failed cell is always named.

Issue 13, item 10: ``kill -9`` of ``hilir report`` left notebook kernels and Chromium running,
and a timed-out or crashed kernel lost the cell named in the error.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from hilir.report.children import (
    CHILDREN,
    command_line,
    die_with_parent,
    record_child,
    stop_recorded,
)
from hilir.report.execute import _CELL_LINE, Job, _CellTracker, run_job, running_cell
from hilir.report.outdir import (
    MARKER,
    TMP_MARKER,
    check_out_dir,
    remove_stale_work_dirs,
    swap_in,
    write_marker,
)

SLEEPER = [sys.executable, "-c", "import time, sys; time.sleep(120)"]


def _gone(pid: int, within: float = 5.0) -> bool:
    """True once ``pid`` no longer runs (absent, or a zombie nobody reaped yet)."""
    end = time.monotonic() + within
    while time.monotonic() < end:
        stat = Path(f"/proc/{pid}/stat")
        try:
            state = stat.read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            return True
        if state in ("Z", "X"):
            return True
        time.sleep(0.05)
    return False


def _started(pid: int, token: str, within: float = 5.0) -> bool:
    """True once ``pid`` runs a command line holding ``token`` (it has exec'd)."""
    end = time.monotonic() + within
    while time.monotonic() < end:
        if token in (command_line(pid) or ""):
            return True
        time.sleep(0.05)
    return False


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _notebook(path: Path, cells: list[str]) -> Path:
    """A notebook: a title, a ``parameters`` cell, then ``cells``."""
    nb = new_notebook(
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
        }
    )
    params = new_code_cell("lang = 'en'")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [new_markdown_cell("# fault"), params] + [new_code_cell(c) for c in cells]
    nbformat.write(nb, str(path))
    return path


linux_only = pytest.mark.skipif(
    die_with_parent() is None or not Path("/proc/self").is_dir(),
    reason="prctl(PR_SET_PDEATHSIG) and /proc are Linux-only",
)


@linux_only
@pytest.mark.parametrize("guarded", [True, False])
def test_child_dies_with_a_parent_killed_by_sigkill(guarded: bool) -> None:
    """A child started with die_with_parent() goes when its parent is SIGKILLed; without it,
    the child survives (the control, which shows the test can fail)."""
    script = (
        "import subprocess, sys, time\n"
        "from hilir.report.children import die_with_parent\n"
        f"fn = die_with_parent() if {guarded} else None\n"
        f"p = subprocess.Popen({SLEEPER!r}, preexec_fn=fn)\n"
        "print(p.pid, flush=True)\n"
        "time.sleep(120)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    try:
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        assert _gone(child, within=5.0 if guarded else 1.0) is guarded
    finally:
        if not _gone(child, within=0):
            os.kill(child, signal.SIGKILL)


@linux_only
def test_next_build_stops_the_children_of_a_killed_build(tmp_path: Path) -> None:
    """The stale work folder of a dead build: its recorded child is killed, then the folder
    removed; a recorded process whose command line lacks the token is left alone."""
    out = tmp_path / "reports"
    work = tmp_path / ".reports.tmp-abc"
    work.mkdir()
    (work / TMP_MARKER).write_text(str(_dead_pid()), encoding="utf-8")
    token = str(work / "notebooks" / "01_x.ipynb")
    child = subprocess.Popen([*SLEEPER, token], start_new_session=True)
    stranger = subprocess.Popen(SLEEPER)  # a reused pid: same number, other command
    try:
        assert record_child(work / "notebooks" / "01_x.ipynb", child.pid, token) == work / CHILDREN
        record_child(work, stranger.pid, "/no/such/token")
        assert _started(child.pid, token) and _started(stranger.pid, "time.sleep")

        assert remove_stale_work_dirs(out) == [work]
        assert child.wait(timeout=5) == -signal.SIGKILL
        assert stranger.poll() is None
        assert not work.exists()
    finally:
        for proc in (child, stranger):
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def test_a_live_build_keeps_its_children_and_folder(tmp_path: Path) -> None:
    """A work folder whose process still runs (this one) is neither touched nor emptied."""
    work = tmp_path / ".reports.tmp-live"
    work.mkdir()
    (work / TMP_MARKER).write_text(str(os.getpid()), encoding="utf-8")
    child = subprocess.Popen(SLEEPER)
    try:
        record_child(work, child.pid, "time.sleep")
        assert _started(child.pid, "time.sleep")
        assert remove_stale_work_dirs(tmp_path / "reports") == []
        assert child.poll() is None and work.is_dir()
        assert stop_recorded(work) == [child.pid]
        assert child.wait(timeout=5) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()


def test_no_record_outside_a_work_folder(tmp_path: Path) -> None:
    assert record_child(tmp_path / "x.pdf", 12345, "x") is None
    assert not (tmp_path / CHILDREN).exists()


def _report(folder: Path, text: str) -> Path:
    (folder / "en").mkdir(parents=True)
    (folder / "en" / "a.html").write_text(text, encoding="utf-8")
    write_marker(folder)
    return folder


def test_swap_in_replaces_the_report_in_one_step(tmp_path: Path) -> None:
    """The new report takes the old one's place; its work marker and the old folder go."""
    out = _report(tmp_path / "reports", "old")
    tmp = _report(tmp_path / ".reports.tmp-1", "new")
    (tmp / TMP_MARKER).write_text(str(os.getpid()), encoding="utf-8")
    swap_in(tmp, out)
    assert (out / "en" / "a.html").read_text(encoding="utf-8") == "new"
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "en"]
    assert not tmp.exists()
    check_out_dir(out)


def test_old_report_swapped_out_by_a_killed_build_is_removed(tmp_path: Path) -> None:
    """After the exchange, the old report sits at the work folder's name without a work
    marker (the build was killed before removing it): the next build removes it; the new
    report, still carrying the dead build's work marker, is accepted and replaceable."""
    out = _report(tmp_path / "reports", "new")
    (out / TMP_MARKER).write_text(str(_dead_pid()), encoding="utf-8")
    old = _report(tmp_path / ".reports.tmp-2", "old")
    check_out_dir(out)  # the leftover work marker is hilir's own, not a user's file
    assert remove_stale_work_dirs(out) == [old]
    assert not old.exists() and out.is_dir()


# ---- item 2: the cell that timed out or killed its kernel is named ---------------------------


def test_tracker_names_source_cells_past_the_injected_parameters(tmp_path: Path) -> None:
    """papermill inserts one cell after ``parameters``: positions count the source cells."""
    nb = _notebook(tmp_path / "t.ipynb", ["x = 1", "import os; os._exit(1)"])
    tracker = _CellTracker(nb)
    assert tracker.line() == ""
    injected = new_code_cell("lang = 'id'")
    injected.metadata["tags"] = ["injected-parameters"]
    tracker.start(injected, 2)
    assert tracker.line() == ""
    tracker.start(new_code_cell("import os; os._exit(1)"), 4)  # executed index 4 = source 4th
    line = tracker.line()
    assert line.startswith(_CELL_LINE)
    assert running_cell(f"noise\n{line}\nKernel died") == (4, "import os; os._exit(1)")
    assert json.loads(line[len(_CELL_LINE) :])["cell"] == 4


@pytest.mark.slow
def test_dead_kernel_names_notebook_and_cell(tmp_path: Path) -> None:
    nb = _notebook(tmp_path / "dies.ipynb", ["x = 1", "import os; os._exit(1)", "y = 2"])
    res = run_job(Job("dies [en]", nb, tmp_path / "out" / "dies.ipynb", {"lang": "en"}))
    assert res.status == "crashed"
    text = res.describe()
    assert "dies.ipynb" in text
    assert "cell 4 (`import os; os._exit(1)`): DeadKernelError" in text


@pytest.mark.slow
def test_timed_out_cell_is_named(tmp_path: Path) -> None:
    nb = _notebook(tmp_path / "slow.ipynb", ["x = 1", "import time\ntime.sleep(60)", "y = 2"])
    res = run_job(Job("slow [en]", nb, tmp_path / "out" / "slow.ipynb", {}), timeout=4)
    assert res.status == "timeout"
    text = res.describe()
    assert "slow.ipynb" in text
    assert "cell 4 (`import time`): CellTimeoutError: timed out after 4 s" in text


@linux_only
def test_browser_timeout_kills_its_helpers(tmp_path: Path) -> None:
    """A browser that hangs is killed with its whole process group (Chromium's helpers), and
    is recorded in the build's work folder while it runs."""
    from hilir.report.pdf import run_browser

    (tmp_path / TMP_MARKER).write_text(str(os.getpid()), encoding="utf-8")
    pidfile = tmp_path / "helper.pid"
    fake = ["sh", "-c", f"sleep 60 & echo $! > {pidfile}; wait"]
    with pytest.raises(subprocess.TimeoutExpired):
        run_browser(fake, timeout=1.0, near=tmp_path / "a.pdf", token="sleep 60")
    helper = int(pidfile.read_text())
    assert _gone(helper, within=3.0)
    (rec,) = [json.loads(x) for x in (tmp_path / CHILDREN).read_text().splitlines()]
    assert rec["token"] == "sleep 60"


# ---- a build killed between two table writes ------------------------------------------------


def test_tables_newer_than_their_manifest_are_rebuilt(tmp_path: Path, monkeypatch) -> None:
    """Each table is renamed into place on its own and the manifest comes last, so a build
    killed between two renames leaves a table of another build under the old manifest.
    Before, the next build found the inputs unchanged and served that table ("up to date");
    now the manifest records each table's sha256 and such a folder is rebuilt."""
    import shutil

    import pandas as pd

    from hilir.data import pipeline
    from hilir.paths import raw_dir
    from hilir.provenance.sidecar import sidecar_path

    src = raw_dir() / "comtrade" / "idn_exports_2604_720260_7218_7219_1989_2020.csv"
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(src, raw / src.name)
    shutil.copy(sidecar_path(src), raw / sidecar_path(src).name)
    monkeypatch.setattr("hilir.paths.raw_dir", lambda: raw)
    monkeypatch.setenv("HILIR_DATA_DIR", str(tmp_path / "data"))
    assert pipeline.build(progress=False).rows["trade"] == 124
    trade = tmp_path / "data" / "processed" / "trade.parquet"
    pd.read_parquet(trade).head(10).to_parquet(trade, index=False)  # another build's table
    killed = trade.parent / f".prices.parquet.{_dead_pid()}-k1ll3d.tmp"  # a write cut short
    killed.write_bytes(b"PAR1")

    again = pipeline.build(progress=False)
    assert again.changed
    assert not killed.exists()
    assert len(pd.read_parquet(trade)) == 124
    assert not pipeline.build(progress=False).changed


def test_only_the_temp_files_of_killed_writers_are_removed(tmp_path: Path) -> None:
    """atomic_write names its temporary file after its process; a live writer's file stays."""
    from hilir.fileio import atomic_write
    from hilir.tempfiles import remove_stale_temp_files

    seen: list[str] = []
    atomic_write(tmp_path / "t.csv", lambda p: (seen.append(p.name), p.write_text("x")))
    assert seen[0].startswith(f".t.csv.{os.getpid()}-") and seen[0].endswith(".tmp")
    dead = tmp_path / f".a.parquet.{_dead_pid()}-abc_12.tmp"
    live = tmp_path / f".b.parquet.{os.getpid()}-abc_12.tmp"
    other = tmp_path / ".c.parquet.tmp"  # not of the form: not hilir's to judge
    for path in (dead, live, other):
        path.write_bytes(b"x")
    assert remove_stale_temp_files(tmp_path) == [dead]
    assert live.exists() and other.exists() and not dead.exists()
