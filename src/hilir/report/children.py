"""The processes a report build starts die with it, or are stopped by the next build.

A build starts one runner per notebook (``python -m hilir.report.execute``), each runner a
Jupyter kernel, and the PDF step a headless Chromium. If ``hilir report`` is killed
(``kill -9``, an out-of-memory kill), nothing would stop them. Two guards:

1. :func:`die_with_parent` gives every child ``prctl(PR_SET_PDEATHSIG, SIGKILL)`` on Linux:
   the kernel sends the child SIGKILL the moment its parent dies (runner -> kernel, build ->
   runner and Chromium). Elsewhere (macOS, Windows) it is a no-op.
2. :func:`record_child` writes each child's process id, and a piece of its command line, into
   the build's work folder (:data:`CHILDREN`). The next build, when it removes the work folder
   of a build whose process is gone, first stops every recorded child still running whose
   command line still holds that piece (:func:`stop_recorded`), so a reused process id is
   never hit.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

__all__ = [
    "CHILDREN",
    "TMP_MARKER",
    "child_environment",
    "die_with_parent",
    "kill_tree",
    "record_child",
    "stop_recorded",
    "work_dir_of",
]

#: File of a work folder listing the processes the build started (one JSON object a line).
CHILDREN = ".hilir-report-children"
#: Marker of a build's work folder (``.<out>.tmp-*``): the id of the process that owns it.
TMP_MARKER = ".hilir-report-work"
#: ``prctl`` option that sets the signal a process receives when its parent dies (Linux).
_PR_SET_PDEATHSIG = 1


def _prctl() -> Callable[..., int] | None:
    """Libc's ``prctl`` on Linux, else None."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError, ImportError):
        return None


def die_with_parent() -> Callable[[], None] | None:
    """A ``preexec_fn`` that makes a child receive SIGKILL when this process dies.

    Returns
    -------
    callable or None
        None where ``prctl`` is unavailable (not Linux): pass it as ``preexec_fn`` anyway.

    Notes
    -----
    The signal is tied to the *thread* that starts the child, so start children from a
    thread that outlives them (every caller in :mod:`hilir.report` waits for its child).
    A parent that died between the fork and the ``prctl`` call is caught by comparing the
    parent's id afterwards.
    """
    prctl = _prctl()
    if prctl is None:
        return None
    import ctypes

    parent = os.getpid()
    args = [ctypes.c_ulong(v) for v in (int(signal.SIGKILL), 0, 0, 0)]

    def preexec() -> None:
        prctl(ctypes.c_int(_PR_SET_PDEATHSIG), *args)
        if os.getppid() != parent:  # the parent is already gone
            os._exit(1)

    return preexec


def work_dir_of(path: str | Path) -> Path | None:
    """The build work folder (marked :data:`TMP_MARKER`) holding ``path``, or None."""
    path = Path(path).absolute()
    for folder in (path, *path.parents):
        if (folder / TMP_MARKER).is_file():
            return folder
    return None


def record_child(near: str | Path, pid: int, token: str) -> Path | None:
    """Record a child process in the work folder holding ``near`` (if there is one).

    Parameters
    ----------
    near : str or pathlib.Path
        A path inside the build's work folder (an output file of the child).
    pid : int
        The child's process id.
    token : str
        A piece of the child's command line that identifies it (an output path, a profile
        folder, a kernel connection file); a process without it is never stopped.

    Returns
    -------
    pathlib.Path or None
        The list written to, or None when ``near`` is in no work folder.
    """
    folder = work_dir_of(near)
    if folder is None:
        return None
    line = json.dumps({"pid": int(pid), "token": str(token)}) + "\n"
    with contextlib.suppress(OSError), open(folder / CHILDREN, "a", encoding="utf-8") as fh:
        fh.write(line)
    return folder / CHILDREN


def command_line(pid: int) -> str | None:
    """The command line of a running process (arguments joined by spaces), or None."""
    proc = Path(f"/proc/{int(pid)}/cmdline")
    if proc.parent.is_dir():
        try:
            raw = proc.read_bytes()
        except OSError:
            return None
        return raw.replace(b"\0", b" ").decode("utf-8", "replace").strip() or None
    try:
        import psutil

        return " ".join(psutil.Process(int(pid)).cmdline()) or None
    except Exception:  # psutil missing, process gone or not ours
        return None


def stop_recorded(folder: Path) -> list[int]:
    """SIGKILL every child recorded in ``folder`` that still runs with its command line.

    A child started in a session of its own (runner, kernel, Chromium) is stopped with its
    whole process group (Chromium's helpers, a kernel's subprocesses).

    Returns
    -------
    list of int
        Process ids signalled.
    """
    listing = folder / CHILDREN
    try:
        lines = listing.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    stopped = []
    for line in lines:
        try:
            rec = json.loads(line)
            pid, token = int(rec["pid"]), str(rec["token"])
        except (ValueError, KeyError, TypeError):
            continue
        cmd = command_line(pid)
        if pid <= 1 or pid == os.getpid() or not token or cmd is None or token not in cmd:
            continue
        killpg, getpgid = getattr(os, "killpg", None), getattr(os, "getpgid", None)
        try:
            if killpg is not None and getpgid is not None and getpgid(pid) == pid:
                killpg(pid, signal.SIGKILL)
            else:
                os.kill(pid, getattr(signal, "SIGKILL", signal.SIGTERM))
        except OSError:
            continue
        stopped.append(pid)
    return stopped


def kernel_manager_class(near: str | Path) -> type:
    """A Jupyter kernel manager whose kernels die with the runner and are recorded.

    Parameters
    ----------
    near : str or pathlib.Path
        A path in the build's work folder (the executed notebook), for :func:`record_child`.

    Returns
    -------
    type
        A subclass of ``jupyter_client.AsyncKernelManager`` (the class nbclient uses) that
        starts the kernel with :func:`die_with_parent` as ``preexec_fn``.
    """
    from jupyter_client.manager import AsyncKernelManager, KernelManager

    class BoundKernelManager(AsyncKernelManager):  # type: ignore[misc]
        async def start_kernel(self, **kw: object) -> None:  # type: ignore[override]
            preexec = die_with_parent()
            if preexec is not None:
                kw.setdefault("preexec_fn", preexec)
            await KernelManager._async_start_kernel(self, **kw)
            pid = getattr(self.provisioner, "pid", None)
            if pid is not None and self.connection_file:
                record_child(near, pid, os.path.basename(self.connection_file))

    return BoundKernelManager


def kill_tree(proc: subprocess.Popen, grace: float = 10.0) -> None:
    """Stop a child and every process it started (its kernel runs in its own session)."""
    try:
        import psutil

        children = psutil.Process(proc.pid).children(recursive=True)
    except Exception:  # psutil missing or the process already gone
        children = []
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    for child in children:
        try:
            child.kill()
        except Exception:
            pass


def child_environment() -> dict[str, str]:
    """Environment of a notebook run: headless matplotlib, one thread per numeric library."""
    env = dict(os.environ)
    env.setdefault("MPLBACKEND", "Agg")
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env.setdefault(var, "1")
    env["PYTHONUNBUFFERED"] = "1"
    env.pop("JPY_PARENT_PID", None)
    return env
