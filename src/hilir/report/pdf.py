"""PDF of a policymaker brief, printed by headless Chromium.

Uses the system's Chromium (Debian package ``chromium``); nothing downloads a browser. On a
machine without it, :func:`print_pdf` is skipped by the report builder with a notice. The
browser runs with the network blocked (:data:`OFFLINE_FLAGS`): a brief is self-contained,
so printing or photographing it never needs the internet.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from hilir.report.execute import ReportError

#: Browser commands tried in order.
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

#: Flags that keep headless Chromium quiet, offline and free of a user profile.
HEADLESS_FLAGS = (
    "--headless",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
)

#: Flags that block the network: no host name resolves and every request goes to a dead
#: proxy (port 9, discard), loopback included; ``file://`` pages load as usual.
OFFLINE_FLAGS = (
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=http://127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
)


def sandbox_flags() -> tuple[str, ...]:
    """``--no-sandbox`` only where Chromium cannot sandbox itself: when run as root.

    Chromium refuses to start as root with its sandbox on (containers, CI); everywhere else
    the sandbox stays on, so a page that somehow carried a script still runs confined.
    """
    geteuid = getattr(os, "geteuid", None)
    return ("--no-sandbox",) if geteuid is not None and geteuid() == 0 else ()


def run_browser(cmd: list[str], *, timeout: float, near: Path, token: str) -> tuple[int, bytes]:
    """Run Chromium; it dies with this process and its whole process group on a timeout.

    Chromium runs in a session of its own with :func:`hilir.report.children.die_with_parent`,
    and is recorded in the build's work folder holding ``near`` (by ``token``, its profile
    flag), so a killed build never leaves a browser behind.

    Returns
    -------
    tuple of (int, bytes)
        Exit code and standard error.

    Raises
    ------
    subprocess.TimeoutExpired
        After ``timeout`` seconds (the browser and its helpers are killed first).
    """
    from hilir.report.children import die_with_parent, record_child

    posix = os.name == "posix"
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=posix,
        preexec_fn=die_with_parent(),
    )
    record_child(near, proc.pid, token)
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        if posix:
            with contextlib.suppress(OSError):
                os.killpg(proc.pid, signal.SIGKILL)
        proc.kill()
        proc.communicate()
        raise
    return proc.returncode, err or b""


def find_chromium() -> str | None:
    """Path of a Chromium executable, or None."""
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    return None


def _headless(
    html: Path, out: Path, flags: list[str], *, timeout: float, doing: str
) -> tuple[int, bytes]:
    """Run headless Chromium offline on ``html`` in a fresh profile, writing near ``out``.

    The profile is made in the build's work folder holding ``out`` (if any), so a killed
    build's profile goes with that folder.

    Parameters
    ----------
    html, out : pathlib.Path
        The page (resolved) and the file Chromium writes (resolved).
    flags : list of str
        Flags of the job (``--print-to-pdf=...``, ``--screenshot=...``).
    timeout : float
        Seconds before Chromium is stopped.
    doing : str
        What Chromium does, for the timeout message ("printing", "on").

    Returns
    -------
    tuple of (int, bytes)
        Exit code and standard error (:func:`run_browser`).

    Raises
    ------
    ReportError
        No Chromium, or Chromium timed out.
    """
    from hilir.report.children import work_dir_of

    browser = find_chromium()
    if browser is None:
        raise ReportError("Chromium is not installed (apt-get install chromium)")
    with tempfile.TemporaryDirectory(prefix=".hilir-chromium-", dir=work_dir_of(out)) as profile:
        cmd = [
            browser,
            *HEADLESS_FLAGS,
            *OFFLINE_FLAGS,
            *sandbox_flags(),
            f"--user-data-dir={profile}",
            *flags,
            html.as_uri(),
        ]
        try:
            return run_browser(cmd, timeout=timeout, near=out, token=profile)
        except subprocess.TimeoutExpired as exc:
            raise ReportError(f"Chromium timed out {doing} {html.name}") from exc


def print_pdf(html: str | Path, pdf: str | Path, *, timeout: float = 120.0) -> Path:
    """Print an HTML file to PDF with headless Chromium.

    Parameters
    ----------
    html : str or pathlib.Path
        The HTML file (opened as a ``file://`` URL, so relative links and embedded images
        work as in a browser).
    pdf : str or pathlib.Path
        Output file.
    timeout : float, default 120
        Seconds before Chromium is stopped.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    ReportError
        No Chromium, Chromium failed or timed out, or no PDF was written.
    """
    html, pdf = Path(html).resolve(), Path(pdf).resolve()
    pdf.parent.mkdir(parents=True, exist_ok=True)
    flags = ["--no-pdf-header-footer", f"--print-to-pdf={pdf}"]
    code, stderr = _headless(html, pdf, flags, timeout=timeout, doing="printing")
    if code != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
        err = stderr.decode("utf-8", "replace").strip().splitlines()[-5:]
        raise ReportError(f"Chromium could not print {html.name}: {' | '.join(err)}")
    pdf.chmod(0o644)
    return pdf


def screenshot(
    html: str | Path,
    png: str | Path,
    *,
    width: int = 1200,
    height: int = 1600,
    timeout: float = 120.0,
) -> Path:
    """Save a PNG of the top of an HTML page, taken offline by headless Chromium.

    The picture is the first ``width`` x ``height`` CSS pixels of the page (one pixel per
    CSS pixel), written atomically: a failed or killed run leaves ``png`` as it was.

    Parameters
    ----------
    html, png : str or pathlib.Path
        The page and the picture to write.
    width, height : int, default 1200 x 1600
        Window size in CSS pixels.
    timeout : float, default 120
        Seconds before Chromium is stopped.

    Returns
    -------
    pathlib.Path
        ``png``.

    Raises
    ------
    ReportError
        No Chromium, Chromium timed out, or no picture was written.
    """
    from hilir.fileio import atomic_write_bytes

    html, png = Path(html).resolve(), Path(png).resolve()
    with tempfile.TemporaryDirectory(prefix="hilir-shot-") as tmp:
        shot = Path(tmp) / "screenshot.png"
        flags = [f"--window-size={int(width)},{int(height)}", f"--screenshot={shot}"]
        _headless(html, png, flags, timeout=timeout, doing="on")
        if not shot.is_file() or shot.stat().st_size == 0:
            raise ReportError(f"Chromium wrote no screenshot of {html.name}")
        return atomic_write_bytes(png, shot.read_bytes())
