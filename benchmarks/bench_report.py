"""Time the full report build with one worker and with two, and print the speed-up.

A benchmark, not a test: ``python benchmarks/bench_report.py [--no-pdf] [--lang all|id|en]``.
Each build runs every notebook in ``notebooks/`` (each language in its own kernel), exports
both HTML editions, the Excel annex and the CSV bundle, and prints PDFs when Chromium is
installed, into a temporary folder that is removed afterwards. The data are built once
before timing so both runs do the same work.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import tempfile
import time
from pathlib import Path

from hilir.data.pipeline import build
from hilir.report.build import build_report


def time_build(jobs: int, *, langs: list[str], pdf: bool) -> tuple[float, dict[str, float]]:
    tmp = Path(tempfile.mkdtemp(prefix=f"hilir-bench-{jobs}-"))
    try:
        t0 = time.perf_counter()
        res = build_report(
            tmp / "reports", langs=langs, jobs=jobs, pdf=pdf, progress=False, build_data=False
        )
        return time.perf_counter() - t0, res.seconds
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=["id", "en", "all"], default="all")
    parser.add_argument("--no-pdf", action="store_true")
    args = parser.parse_args(argv)
    langs = ["id", "en"] if args.lang == "all" else [args.lang]
    build(progress=False)
    import os

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    times = {}
    for jobs in (1, 2):
        total, phases = time_build(jobs, langs=langs, pdf=not args.no_pdf)
        times[jobs] = total
        detail = ", ".join(f"{k} {v:.1f} s" for k, v in phases.items() if k != "total")
        print(f"--jobs {jobs}: {total:6.1f} s  ({detail})")
    print(
        f"speed-up with two workers: {times[1] / times[2]:.2f}x "
        f"(serial {times[1]:.1f} s / parallel {times[2]:.1f} s)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
