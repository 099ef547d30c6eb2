"""PDF of a policymaker brief, printed by headless Chromium.

Uses the system's Chromium (Debian package ``chromium``); nothing downloads a browser. On a
machine without it, :func:`print_pdf` is skipped by the report builder with a notice.
"""

from __future__ import annotations

import os
import shutil
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


def sandbox_flags() -> tuple[str, ...]:
    """``--no-sandbox`` only where Chromium cannot sandbox itself: when run as root.

    Chromium refuses to start as root with its sandbox on (containers, CI); everywhere else
    the sandbox stays on, so a page that somehow carried a script still runs confined.
    """
    geteuid = getattr(os, "geteuid", None)
    return ("--no-sandbox",) if geteuid is not None and geteuid() == 0 else ()


def find_chromium() -> str | None:
    """Path of a Chromium executable, or None."""
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    return None


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
    browser = find_chromium()
    if browser is None:
        raise ReportError("Chromium is not installed (apt-get install chromium)")
    html, pdf = Path(html).resolve(), Path(pdf).resolve()
    pdf.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="hilir-chromium-") as profile:
        cmd = [
            browser,
            *HEADLESS_FLAGS,
            *sandbox_flags(),
            f"--user-data-dir={profile}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            html.as_uri(),
        ]
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as exc:
            raise ReportError(f"Chromium timed out printing {html.name}") from exc
    if proc.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-5:]
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
    """Save a PNG of the top of an HTML page, taken with headless Chromium (for the README).

    Parameters
    ----------
    html, png : str or pathlib.Path
        The page and the picture to write.
    width, height : int, default 1200 x 1600
        Window size in CSS pixels.

    Raises
    ------
    ReportError
        No Chromium, or no picture was written.
    """
    browser = find_chromium()
    if browser is None:
        raise ReportError("Chromium is not installed (apt-get install chromium)")
    html, png = Path(html).resolve(), Path(png).resolve()
    png.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="hilir-chromium-") as profile:
        cmd = [
            browser,
            *HEADLESS_FLAGS,
            *sandbox_flags(),
            f"--user-data-dir={profile}",
            f"--window-size={int(width)},{int(height)}",
            f"--screenshot={png}",
            html.as_uri(),
        ]
        try:
            subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as exc:
            raise ReportError(f"Chromium timed out on {html.name}") from exc
    if not png.is_file() or png.stat().st_size == 0:
        raise ReportError(f"Chromium wrote no screenshot of {html.name}")
    png.chmod(0o644)
    return png
