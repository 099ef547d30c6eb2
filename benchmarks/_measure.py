"""What every benchmark measures of one engine's run, and how it runs one in its own process.

The ``bench_*.py`` scripts import this from their own folder (``python benchmarks/...`` puts
it first on ``sys.path``). Each engine runs in a fresh interpreter (``script --child ...``),
so one engine's memory and warm caches never count for another.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any


def cpu_seconds() -> float:
    """CPU time (user + system, s) of this process so far, every thread counted."""
    import resource

    use = resource.getrusage(resource.RUSAGE_SELF)
    return float(use.ru_utime + use.ru_stime)


def peak_rss_mb() -> float:
    """This process's peak RSS (MB): VmHWM on Linux (``ru_maxrss`` keeps the parent's across
    exec)."""
    import resource

    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024  # bytes on macOS, kB elsewhere
    return float(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) / scale


def run_child(
    script: str, engine: str, path: Path, codes: list[int], out: Path
) -> subprocess.CompletedProcess[str]:
    """Run ``script --child engine path codes out`` in a fresh interpreter.

    Returns
    -------
    subprocess.CompletedProcess
        With the child's output; its last line of stdout is the JSON of its figures
        (:func:`child_figures`).
    """
    return subprocess.run(
        [sys.executable, script, "--child", engine, str(path), json.dumps(codes), str(out)],
        capture_output=True,
        text=True,
        check=False,
    )


def child_figures(res: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    """The figures a child printed as the last line of its stdout (JSON)."""
    out: dict[str, Any] = json.loads(res.stdout.strip().splitlines()[-1])
    return out
