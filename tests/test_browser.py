"""The HTML briefs in a real browser: Debian's Chromium driven by Selenium, network disabled.

Each brief (both editions, both languages), the PDF of each policymaker brief (in Chromium's
own PDF viewer) and the index load from ``file://`` with the network off (offline emulation,
no host name resolving, a dead proxy): no image may be broken, no message may reach the
browser console, and the browser's network log may show no request off the machine. A
screenshot of every page is saved under ``tests/artifacts/`` (git-ignored) for review; the
README's screenshots (``hilir.report.screenshots``) are checked on one brief.

Without Chromium and chromedriver these tests are skipped with a notice; under CI
(``CI=true``) a missing browser is a failure, because ``.ci/run`` installs it.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from hilir.i18n.catalog import t
from report_conftest import EXPECTED, LANGS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
DRIVER_PATHS = ("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver")
#: URL schemes a page may load from without the network.
LOCAL = ("file:", "data:", "blob:", "about:")
#: Chromium's built-in PDF viewer (a component extension, inside the browser).
PDF_VIEWER = "chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai/"


def _chromedriver() -> str | None:
    found = shutil.which("chromedriver")
    if found:
        return found
    return next((p for p in DRIVER_PATHS if Path(p).is_file()), None)


def _missing() -> list[str]:
    from hilir.report.pdf import find_chromium

    missing = []
    if find_chromium() is None:
        missing.append("chromium")
    if _chromedriver() is None:
        missing.append("chromium-driver (chromedriver)")
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("selenium (pip)")
    return missing


@pytest.fixture(scope="module")
def driver():  # type: ignore[no-untyped-def]
    missing = _missing()
    if missing:
        notice = (
            f"browser tests need {', '.join(missing)}; on Debian/Ubuntu: "
            "apt-get install chromium chromium-driver"
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but {notice}")
        pytest.skip(notice)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    from hilir.report.pdf import OFFLINE_FLAGS, find_chromium

    opts = webdriver.ChromeOptions()
    opts.binary_location = str(find_chromium())
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        "--window-size=1200,900",
        *OFFLINE_FLAGS,  # no name resolves, any request goes to a dead proxy
        "--allow-file-access-from-files",
    ):
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    drv = webdriver.Chrome(service=Service(executable_path=_chromedriver()), options=opts)
    drv.set_page_load_timeout(60)
    drv.execute_cdp_cmd("Network.enable", {})
    drv.execute_cdp_cmd(
        "Network.emulateNetworkConditions",
        {"offline": True, "latency": 0, "downloadThroughput": 0, "uploadThroughput": 0},
    )
    yield drv
    drv.quit()


_BROKEN_IMAGES = """
return Array.from(document.images)
  .filter(i => !(i.complete && i.naturalWidth > 0))
  .map(i => (i.alt || i.src).slice(0, 80));
"""


def _requests(drv) -> list[str]:  # type: ignore[no-untyped-def]
    """URLs the browser asked for since the last call (its DevTools network log)."""
    events = (json.loads(e["message"])["message"] for e in drv.get_log("performance"))
    return [
        e["params"]["request"]["url"] for e in events if e["method"] == "Network.requestWillBeSent"
    ]


def _load(drv, path: Path) -> None:  # type: ignore[no-untyped-def]
    """Open a file and wait until it has loaded (at most 60 s)."""
    from selenium.webdriver.support.ui import WebDriverWait

    drv.get(path.resolve().as_uri())
    # on a busy machine chromedriver may hand back a page still loading: wait for it
    WebDriverWait(drv, 60).until(
        lambda d: d.execute_script("return document.readyState") == "complete",
        f"{path.name} did not finish loading",
    )


def _open(drv, path: Path, allowed: tuple[str, ...] = LOCAL) -> None:  # type: ignore[no-untyped-def]
    """Load a file; assert it asked nothing off the machine and logged nothing."""
    drv.get_log("browser")  # drop messages of earlier pages
    _requests(drv)
    _load(drv, path)
    off = [u[:80] for u in _requests(drv) if not u.startswith(allowed)]
    assert off == [], f"{path.name} asked for {off}"
    logs = [e for e in drv.get_log("browser") if e.get("level") in ("SEVERE", "WARNING")]
    assert logs == [], f"console messages in {path.name}: {logs}"


def _check_page(drv, path: Path, shot: Path) -> None:  # type: ignore[no-untyped-def]
    _open(drv, path)
    assert drv.execute_script(_BROKEN_IMAGES) == [], f"broken images in {path.name}"
    height = int(drv.execute_script("return document.documentElement.scrollHeight"))
    drv.set_window_size(1200, min(max(height, 900), 16000))
    shot.parent.mkdir(parents=True, exist_ok=True)
    assert drv.save_screenshot(str(shot))
    drv.set_window_size(1200, 900)


def test_network_is_really_off(driver) -> None:  # type: ignore[no-untyped-def]
    """A page that asks the network for something gets an error (so a clean log means offline)."""
    html = ARTIFACTS / "_probe.html"
    html.parent.mkdir(parents=True, exist_ok=True)
    html.write_text('<html><body><img src="http://example.com/x.png"></body></html>', "utf-8")
    driver.get_log("browser")
    _requests(driver)
    _load(driver, html)
    broken = driver.execute_script(_BROKEN_IMAGES)
    assert broken, "an image from the internet loaded: the network is not disabled"
    # the network log sees the attempt, so an empty log of external requests means none
    assert "http://example.com/x.png" in _requests(driver)
    html.unlink()


def test_index_loads_offline(driver, report) -> None:  # type: ignore[no-untyped-def]
    _check_page(driver, report.out_dir / "index.html", ARTIFACTS / "index.png")
    links = driver.execute_script(
        "return Array.from(document.querySelectorAll('a')).map(a => a.getAttribute('href'))"
    )
    for lang in LANGS:
        for name in EXPECTED:
            assert f"{lang}/{name}.html" in links


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", EXPECTED)
def test_brief_loads_offline(driver, report, name: str, lang: str) -> None:  # type: ignore[no-untyped-def]
    for suffix in ("", "_analyst"):
        page = report.out_dir / lang / f"{name}{suffix}.html"
        _check_page(driver, page, ARTIFACTS / lang / f"{name}{suffix}.png")
        n = driver.execute_script("return document.images.length")
        if suffix or n == 0:
            # the policymaker edition may lose a chart to the gate (the jobs brief), never the
            # analyst edition; a policymaker page without a chart says why
            text = driver.execute_script("return document.body.innerText")
            marker = t("gate.withheld", lang, reason="").split(":")[0]
            assert suffix or marker in text, f"{page.name} shows no chart and says not why"
            if suffix:
                assert n >= 1, f"{page.name} shows no chart"
        assert driver.execute_script("return document.documentElement.lang") == lang


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", EXPECTED)
def test_pdf_opens_offline(driver, report, name: str, lang: str) -> None:  # type: ignore[no-untyped-def]
    """Each brief's PDF opens in Chromium's PDF viewer with the network off."""
    pdf = report.out_dir / lang / f"{name}.pdf"
    if not pdf.is_file():
        pytest.fail(f"{pdf.name} missing: the build found no Chromium, but this test did")
    _open(driver, pdf, allowed=(*LOCAL, PDF_VIEWER))
    assert driver.execute_script("return document.contentType") == "application/pdf"


def test_screenshots_command(report, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """``python -m hilir.report.screenshots`` writes the two small PNGs of a brief."""
    from PIL import Image

    from hilir.report.pdf import find_chromium
    from hilir.report.screenshots import WIDTH, main

    if find_chromium() is None:
        pytest.skip("chromium is not installed")
    one = tmp_path / "report" / "id"  # a report of one brief, linked to the shared build
    one.mkdir(parents=True)
    for suffix in (".html", ".pdf", "_analyst.html"):
        (one / f"00_overview{suffix}").symlink_to(report.out_dir / "id" / f"00_overview{suffix}")
    out = tmp_path / "shots"
    assert main([str(one.parent), str(out), "--quiet"]) == 0
    assert sorted(p.name for p in (out / "id").iterdir()) == [
        "00_overview.png",
        "00_overview_pdf.png",
    ]
    for png in (out / "id").iterdir():
        with Image.open(png) as image:
            assert image.width == WIDTH and image.mode == "P", png.name
            assert len(image.getcolors(256) or ()) > 2, f"{png.name} is blank"
        assert png.stat().st_size < 200_000, png.name
    assert main([str(tmp_path / "empty"), str(out), "--quiet"]) == 1
