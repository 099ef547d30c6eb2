"""Fault injection: kill ``hilir data build`` and ``hilir report`` at random points, then check.

Every run works on a temporary copy of the data folder (``HILIR_DATA_DIR``: ``processed/``
and ``user/``) and a temporary ``--out``; the repository's ``data/raw`` is read, never written.
Each run is started, then killed with SIGKILL (its main process only, as ``kill -9`` would) at
a random moment, and these checks are counted:

data build (``--runs`` kills; the inputs alternate between the shipped ones and the shipped
ones plus a user import, so each build really changes ``processed/``):

* ``data old or new`` -- ``processed/`` is exactly the old version, or a new complete one:
  its manifest changed (it is written last) and, as the manifest comes last, nothing else
  changed under an unchanged manifest (a torn build);
* ``data consistent`` -- every table the manifest lists is a readable Parquet file with the
  manifest's row count, and the manifest names the user import exactly when it is in place;
* ``data temp files`` -- no ``.*.tmp`` file of a killed write is left in ``processed/`` once
  the next build has finished;
* ``no process left`` -- no process carrying this run's ``HILIR_DATA_DIR`` still runs 3 s
  after the kill (children die with their parent: ``PR_SET_PDEATHSIG``);
* ``raw identical`` / ``user inputs identical`` -- sha256 of every file of ``data/raw`` and of
  the data folder's ``user/`` are as before (run it on a checkout nobody edits meanwhile:
  ``data/raw`` is the repository's);
* ``next build finishes`` -- after every fifth kill a build runs to the end and succeeds.

report (``--report-runs`` kills of ``hilir report --only NOTEBOOK --no-pdf``, plus
``--pdf-runs`` with the PDF when Chromium is installed):

* ``report old or new`` -- the output folder is the same folder (inode) with the same bytes as
  before, or another folder (swapped in whole) that is complete: its marker lists exactly the
  files present, every HTML file ends with ``</html>``, every workbook, ZIP and executed
  notebook is readable, every PDF ends with ``%%EOF``;
* ``no process left`` -- no kernel, runner or Chromium of the killed build runs 3 s after the
  kill (PDEATHSIG: the reaping is immediate, it does not wait for the next run);
* ``work dirs cleaned`` -- a ``.reports.tmp-*`` folder (or a swapped-out old report) left by a
  killed build is gone once a later build has passed its clean-up (it removes the folders of
  dead builds and SIGKILLs the children they recorded); after the final, unkilled build none
  is left at all;
* ``raw identical`` / ``user inputs identical`` as above.

The script prints the counts per check and exits 1 on any failure.

Usage (from the repository; about 15-30 min on two busy cores, mostly notebook runs)::

    nice -n 10 .venv/bin/python benchmarks/fault_injection.py --runs 20 --report-runs 20
    .venv/bin/python benchmarks/fault_injection.py --runs 3 --report-runs 2 --pdf-runs 0  # quick

Options: ``--seed`` (default 13), ``--notebook`` (default ``02_spices_pepper``), ``--keep``
(leave the temporary folder for inspection). A run that finishes before its kill does not
count: the script runs until it has killed ``--runs`` builds and ``--report-runs`` (plus
``--pdf-runs``) reports.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RAW = REPO / "data" / "raw"
HILIR = [sys.executable, "-m", "hilir"]
FIGURE = (
    "region,indicator,period,value,unit,quoted_source,url,note\n"
    "Lampung,fault-injection test figure,2019,1.5,USD million,test,https://example.org/f,"
    "synthetic row of benchmarks/fault_injection.py\n"
)


class Tally:
    """Passes and failures per check."""

    def __init__(self) -> None:
        self.counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        self.failures: list[str] = []

    def check(self, phase: str, name: str, ok: bool, detail: str = "") -> None:
        self.counts[f"{phase}: {name}"][0 if ok else 1] += 1
        if not ok:
            self.failures.append(f"{phase}: {name}: {detail}")
            print(f"  FAIL {phase}: {name}: {detail}", flush=True)

    def report(self) -> int:
        print("\ncheck                                   passed  failed")
        for name, (ok, bad) in self.counts.items():
            print(f"{name:<40}{ok:>6}  {bad:>6}")
        for line in self.failures[:40]:
            print(f"  - {line}")
        return 1 if self.failures else 0


def sha_tree(root: Path) -> dict[str, str]:
    """sha256 of every file under ``root`` (relative POSIX paths)."""
    if not root.exists():
        return {}
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def raw_changes(raw0: dict[str, str]) -> str:
    """'' if ``data/raw`` is byte-identical to ``raw0``; else the files that differ."""
    now = sha_tree(RAW)
    return ", ".join(sorted(k for k in now.keys() | raw0.keys() if now.get(k) != raw0.get(k)))


def leftovers(tag: bytes) -> list[str]:
    """Processes (pid and command) whose environment holds ``tag`` (our HILIR_DATA_DIR)."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if tag not in (proc / "environ").read_bytes():
                continue
            state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
            cmd = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()[:100]
        except (OSError, IndexError):
            continue
        if state not in ("Z", "X") and int(proc.name) != os.getpid():
            found.append(f"{proc.name} {cmd}")
    return found


def no_leftovers(tag: bytes, within: float = 3.0) -> list[str]:
    end = time.monotonic() + within
    while True:
        left = leftovers(tag)
        if not left or time.monotonic() > end:
            return left
        time.sleep(0.2)


def run_and_kill(
    cmd: list[str], env: dict[str, str], cwd: Path, at: float | None
) -> tuple[str, int, float]:
    """Start ``cmd``; SIGKILL its main process after ``at`` seconds (None: let it finish).

    Returns what happened (``killed``, ``finished rc=N``), the process id and the seconds run.
    """
    t0 = time.perf_counter()
    log = open(cwd / "last_run.log", "wb")
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=log, stderr=log, start_new_session=True)
    try:
        proc.wait(timeout=at)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        return "killed", proc.pid, time.perf_counter() - t0
    finally:
        log.close()
    return f"finished rc={proc.returncode}", proc.pid, time.perf_counter() - t0


# ---- data build -------------------------------------------------------------------------------


def data_state(processed: Path) -> tuple[str | None, dict[str, str]]:
    return (sha_tree(processed).get("manifest.json"), sha_tree(processed))


def data_consistent(processed: Path, with_user: bool) -> str:
    """'' if the manifest matches the tables and the inputs; else what is wrong."""
    import pyarrow.parquet as pq

    try:
        manifest = json.loads((processed / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return f"manifest unreadable: {exc}"
    for table, rows in manifest.get("rows", {}).items():
        try:
            n = pq.read_metadata(processed / f"{table}.parquet").num_rows
        except Exception as exc:
            return f"{table}.parquet unreadable: {exc}"
        if n != rows:
            return f"{table}.parquet has {n} rows, the manifest says {rows}"
    has_user = any("fault_figure" in k for k in manifest.get("fingerprint", {}))
    if has_user != with_user:
        return f"manifest {'names' if has_user else 'lacks'} the user import"
    return ""


def data_phase(args: argparse.Namespace, work: Path, tally: Tally, raw0: dict[str, str]) -> None:
    data = work / "data"
    processed, user = data / "processed", data / "user"
    env = {**os.environ, "HILIR_DATA_DIR": str(data)}
    tag = f"HILIR_DATA_DIR={data}\0".encode()
    # the user import of state B, made once with the real import command
    scratch = work / "scratch"
    (scratch / "user").mkdir(parents=True)
    (work / "fault_figure.csv").write_text(FIGURE, encoding="utf-8")
    subprocess.run(
        [*HILIR, "data", "import", "published_figures", str(work / "fault_figure.csv")],
        env={**env, "HILIR_DATA_DIR": str(scratch)},
        check=True,
        capture_output=True,
    )
    imported = scratch / "user"

    def set_user(with_user: bool) -> dict[str, str]:
        shutil.rmtree(user, ignore_errors=True)
        shutil.copytree(imported, user) if with_user else user.mkdir()
        return sha_tree(user)

    set_user(False)
    run_and_kill([*HILIR, "data", "build", "--quiet"], env, work, None)  # may be current
    set_user(True)
    span = run_and_kill([*HILIR, "data", "build", "--quiet"], env, work, None)[2]
    print(f"data build: a full build takes {span:.1f} s", flush=True)
    rng = random.Random(args.seed)
    built_with = True  # the inputs of the processed data in place
    kills, i = 0, -1
    while kills < args.runs and i < 3 * args.runs:  # runs that finish first do not count
        i += 1
        with_user = not built_with  # every build changes processed/
        user0 = set_user(with_user)
        manifest0, files0 = data_state(processed)
        # half at any moment, half close to the end, where the tables are written
        at = rng.uniform(0.05, span) if i % 4 < 2 else max(0.05, span + rng.uniform(-2.0, 0.0))
        what, _, took = run_and_kill([*HILIR, "data", "build", "--quiet"], env, work, at)
        if what == "killed":
            kills += 1
        else:
            span = took  # the machine got faster: aim by the last full build
        manifest1, files1 = data_state(processed)
        data_files0 = {k: v for k, v in files0.items() if not k.endswith(".tmp")}
        data_files1 = {k: v for k, v in files1.items() if not k.endswith(".tmp")}
        if data_files1 == data_files0:
            verdict, ok = "old", True
        elif manifest1 != manifest0:
            verdict, ok = "new", True
        else:
            changed = sorted(k for k in data_files1 if data_files1.get(k) != data_files0.get(k))
            verdict, ok = f"torn (changed under the old manifest: {changed})", False
        print(f"data run {i + 1}: kill at {at:.2f} s, {what}, {verdict}", flush=True)
        tally.check("data", "old or new", ok, f"run {i + 1}: {verdict}")
        if verdict == "new":
            built_with = with_user
        problem = data_consistent(processed, built_with) if ok else ""
        tally.check("data", "consistent", not problem, f"run {i + 1}: {problem}")
        left = no_leftovers(tag)
        tally.check("data", "no process left", not left, f"run {i + 1}: {left}")
        changed = raw_changes(raw0)
        tally.check("data", "raw identical", not changed, f"run {i + 1}: {changed}")
        tally.check("data", "user inputs identical", sha_tree(user) == user0, f"run {i + 1}")
        if what == "killed" and (kills % 5 == 0 or kills == args.runs):  # a finished build
            done = run_and_kill([*HILIR, "data", "build", "--quiet"], env, work, None)[0]
            log = (work / "last_run.log").read_text(errors="replace")[-500:]
            tally.check("data", "next build finishes", "rc=0" in done, f"{done}: {log}")
            temps = sorted(p.name for p in processed.glob(".*.tmp"))
            tally.check("data", "temp files", not temps, f"after run {i + 1}: {temps}")
            built_with = with_user if "rc=0" in done else built_with
            problem = data_consistent(processed, built_with)
            tally.check("data", "consistent", not problem, f"after run {i + 1}: {problem}")
    print(f"data build: {kills} kills in {i + 1} runs", flush=True)
    tally.check("data", "enough kills", kills >= args.runs, f"{kills} kills")
    set_user(False)


# ---- report -----------------------------------------------------------------------------------


def report_complete(out: Path) -> str:
    """'' if ``out`` is a complete report folder; else what is wrong."""
    from hilir.report.outdir import MARKER, listed_files

    if not out.is_dir():
        return "no report folder"
    listed = listed_files(out)
    if listed is None:
        return "no marker"
    present = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    # a build killed just after swapping its folder in leaves its work marker there, once
    present -= {MARKER, ".hilir-report-work"}
    if present != listed:
        return f"marker and files differ: {sorted(present ^ listed)[:5]}"
    for name in sorted(present):
        path = out / name
        try:
            if name.endswith(".html"):
                ok = b"</html>" in path.read_bytes()[-200:]
            elif name.endswith((".xlsx", ".zip")):
                with zipfile.ZipFile(path) as zf:
                    ok = zf.testzip() is None
            elif name.endswith(".ipynb"):
                ok = bool(json.loads(path.read_text(encoding="utf-8"))["cells"])
            elif name.endswith(".pdf"):
                data = path.read_bytes()
                ok = data.startswith(b"%PDF") and b"%%EOF" in data[-1024:]
            else:
                ok = path.stat().st_size > 0
        except Exception:
            ok = False
        if not ok:
            return f"{name} is incomplete"
    return ""


def work_dirs(out: Path) -> dict[Path, str]:
    """Work folders beside ``out``: path -> the pid in their marker ('' for a swapped-out one)."""
    found = {}
    for tmp in out.parent.glob(f".{out.name}.*-*"):
        marker = tmp / ".hilir-report-work"
        found[tmp] = marker.read_text().strip() if marker.is_file() else ""
    return found


def report_phase(args: argparse.Namespace, work: Path, tally: Tally, raw0: dict[str, str]) -> None:
    from hilir.report.pdf import find_chromium

    data = work / "data"
    out = work / "out" / "reports"
    out.parent.mkdir()
    env = {**os.environ, "HILIR_DATA_DIR": str(data)}
    tag = f"HILIR_DATA_DIR={data}\0".encode()
    user0 = sha_tree(data / "user")
    base = [*HILIR, "report", "--only", args.notebook, "--lang", "en", "--out", str(out)]
    base += ["--quiet", "--jobs", "1"]
    what, _, span = run_and_kill([*base, "--no-pdf"], env, work, None)
    problem = report_complete(out)
    print(f"report: a full build takes {span:.1f} s ({what}) {problem}", flush=True)
    if problem:
        print((work / "last_run.log").read_text(errors="replace")[-3000:])
        tally.check("report", "first build", False, problem)
        return
    pdf_runs = args.pdf_runs if find_chromium() else 0
    if args.pdf_runs and not pdf_runs:
        print("report: Chromium not installed, no PDF runs", flush=True)
    rng = random.Random(args.seed + 1)
    stale: dict[Path, int] = {}  # work folders left by killed builds -> run that left them
    kills = {False: 0, True: 0}  # without, with the PDF
    span_pdf = span + 5.0
    wanted = {False: args.report_runs, True: pdf_runs}
    i = -1
    while any(kills[k] < wanted[k] for k in kills) and i < 3 * (args.report_runs + pdf_runs):
        i += 1
        pdf = kills[False] >= wanted[False]
        files0, inode0 = sha_tree(out), out.stat().st_ino
        at = rng.uniform(0.3, span) if not pdf else rng.uniform(span_pdf * 0.5, span_pdf)
        proc_cmd = base if pdf else [*base, "--no-pdf"]
        what, pid, took = run_and_kill(proc_cmd, env, work, at)
        if what == "killed":
            kills[pdf] += 1
        elif pdf:
            span_pdf = took
        else:
            span = took
        left = no_leftovers(tag)
        tally.check("report", "no process left", not left, f"run {i + 1}: {left}")
        if not out.is_dir():
            verdict, ok = "no report folder", False
        elif out.stat().st_ino == inode0:
            ok = sha_tree(out) == files0
            verdict = "old" if ok else "changed in place"
        else:
            problem = report_complete(out)
            verdict, ok = ("new", True) if not problem else (f"new but {problem}", False)
        tally.check("report", "old or new", ok, f"run {i + 1}: {verdict}")
        dirs = work_dirs(out)
        # this build passed its clean-up if it made a work folder or swapped its report in
        passed = verdict == "new" or str(pid) in dirs.values()
        if passed:
            kept = sorted(str(p.name) for p in stale if p in dirs)
            tally.check("report", "work dirs cleaned", not kept, f"run {i + 1} kept {kept}")
            stale = {p: r for p, r in stale.items() if p not in dirs}
        stale.update({p: i + 1 for p in dirs if p not in stale})
        print(
            f"report run {i + 1}{' (pdf)' if pdf else ''}: kill at {at:.1f} s, {what}, "
            f"{verdict}, {len(dirs)} work dir(s) now",
            flush=True,
        )
        changed = raw_changes(raw0)
        tally.check("report", "raw identical", not changed, f"run {i + 1}: {changed}")
        same = sha_tree(data / "user") == user0
        tally.check("report", "user inputs identical", same, f"run {i + 1}")
    print(f"report: {kills[False]} kills without PDF, {kills[True]} with", flush=True)
    what, _, _ = run_and_kill([*base, "--no-pdf"], env, work, None)
    problem = report_complete(out)
    enough = kills[False] >= wanted[False] and kills[True] >= wanted[True]
    tally.check("report", "enough kills", enough, f"{kills}")
    tally.check("report", "final build complete", not problem and "rc=0" in what, problem or what)
    dirs = work_dirs(out)
    tally.check("report", "work dirs cleaned", not dirs, f"after the final build: {list(dirs)}")
    left = no_leftovers(tag)
    tally.check("report", "no process left", not left, f"after the final build: {left}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="kills of hilir data build")
    parser.add_argument("--report-runs", type=int, default=20, help="kills of hilir report")
    parser.add_argument("--pdf-runs", type=int, default=3, help="more report kills, with PDF")
    parser.add_argument(
        "--notebook", default="02_spices_pepper", help="the notebook the report runs"
    )
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    if not Path("/proc/self/environ").is_file():
        print("this script needs Linux (/proc)", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="hilir-faults-"))
    data = work / "data"
    (data / "user").mkdir(parents=True)
    shutil.copytree(REPO / "data" / "processed", data / "processed")
    tally = Tally()
    raw0 = sha_tree(RAW)
    print(f"work folder {work}; seed {args.seed}", flush=True)
    try:
        if args.runs:
            data_phase(args, work, tally, raw0)
        if args.report_runs or args.pdf_runs:
            report_phase(args, work, tally, raw0)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return tally.report()


if __name__ == "__main__":
    sys.exit(main())
