"""Installing anywhere: the wheel and sdist carry the notebooks and name the data licences.

The slow tests build the wheel (``pip wheel``), install it into a fresh virtual environment
with ``constraints.txt`` and the ``notebooks`` extra, and build one brief from an empty folder.
"""

from __future__ import annotations

import email
import os
import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

import hilir.paths as paths

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
# how a licence is named in data/raw/LICENSES.md -> its SPDX identifier
SPDX = {
    "CC BY-NC-SA 3.0 IGO": "CC-BY-NC-SA-3.0-IGO",
    "CC BY-NC 4.0": "CC-BY-NC-4.0",
    "CC BY 4.0": "CC-BY-4.0",
    "CC0 1.0": "CC0-1.0",
    "ODC-PDDL 1.0": "PDDL-1.0",
}


def _clean_env(tmp_path: Path) -> dict[str, str]:
    """The environment of a new user: no hilir overrides, user folders inside ``tmp_path``."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("HILIR_", "JUPYTER_")) and k not in {"PYTHONPATH", "VIRTUAL_ENV"}
    }
    env["XDG_DATA_HOME"] = str(tmp_path / "xdg-data")
    env["JUPYTER_DATA_DIR"] = str(tmp_path / "jupyter-data")
    env["JUPYTER_CONFIG_DIR"] = str(tmp_path / "jupyter-config")
    return env


def _run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    run = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    assert run.returncode == 0, f"{cmd}\n{run.stdout[-2000:]}\n{run.stderr[-4000:]}"
    return run


def _venv(where: Path) -> Path:
    _run([sys.executable, "-m", "venv", str(where)])
    return where / ("Scripts" if os.name == "nt" else "bin")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", str(ROOT), "-w", str(out)])
    return next(out.glob("hilir-*.whl"))


# -- where the data and notebooks are found ------------------------------------------------


def test_checkout_uses_its_own_notebooks(monkeypatch):
    monkeypatch.delenv(paths.ENV_NOTEBOOKS_DIR, raising=False)
    assert paths.notebooks_dir() == ROOT / "notebooks"
    from hilir.report.build import notebooks_dir

    assert notebooks_dir() == ROOT / "notebooks"


def test_installed_package_uses_packaged_notebooks_and_platform_data_folder(monkeypatch, tmp_path):
    monkeypatch.setattr(paths, "_in_checkout", lambda: False)
    monkeypatch.delenv(paths.ENV_NOTEBOOKS_DIR, raising=False)
    monkeypatch.delenv(paths.ENV_DATA_DIR, raising=False)
    assert paths.notebooks_dir() == Path(paths.__file__).resolve().parent / "_notebooks"
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    from platformdirs import user_data_dir

    assert paths.data_dir() == Path(user_data_dir("hilir", appauthor=False))
    if sys.platform.startswith("linux"):
        assert paths.data_dir() == tmp_path / "hilir"
    monkeypatch.setenv(paths.ENV_DATA_DIR, str(tmp_path / "mine"))
    assert paths.data_dir() == tmp_path / "mine"
    monkeypatch.setenv(paths.ENV_NOTEBOOKS_DIR, str(tmp_path / "nb"))
    assert paths.notebooks_dir() == tmp_path / "nb"


def test_every_data_licence_of_licenses_md_is_in_the_declared_expression():
    import tomllib

    expr = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["license"]
    text = (ROOT / "data" / "raw" / "LICENSES.md").read_text(encoding="utf-8")
    named = set(re.findall(r"^\| `([^`]+)`", text, flags=re.MULTILINE))
    for name in named:
        spdx = next((v for k, v in SPDX.items() if name.startswith(k)), None)
        if spdx:
            assert spdx in expr.split(" AND "), f"{name} ({spdx}) missing from {expr!r}"
    assert "LicenseRef-" in expr, "terms without an SPDX identifier need a LicenseRef"


# -- the built distributions ---------------------------------------------------------------


@pytest.mark.slow
def test_wheel_licence_metadata_names_the_data_licences(wheel):
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        meta_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
        meta = email.message_from_string(z.read(meta_name).decode("utf-8"))
        dist_info = meta_name.rsplit("/", 1)[0]
        licences_md = z.read(f"{dist_info}/licenses/data/raw/LICENSES.md").decode("utf-8")
    expr = meta["License-Expression"]
    assert expr and expr != "MIT"
    parts = expr.split(" AND ")
    assert "MIT" in parts
    assert {"CC-BY-NC-4.0", "CC-BY-NC-SA-3.0-IGO"} <= set(parts), "non-commercial data"
    assert any(p.startswith("LicenseRef-") for p in parts)
    assert set(meta.get_all("License-File")) >= {"LICENSE", "data/raw/LICENSES.md"}
    assert f"{dist_info}/licenses/LICENSE" in names
    assert "non-commercial" in licences_md
    assert not any("MIT License" in c for c in meta.get_all("Classifier") or [])
    try:
        from packaging.licenses import canonicalize_license_expression
    except ImportError:
        return
    assert canonicalize_license_expression(expr) == expr


@pytest.mark.slow
def test_wheel_carries_the_notebooks(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert NOTEBOOKS
    for name in NOTEBOOKS:
        assert f"hilir/_notebooks/{name}" in names, f"{name} is missing from the wheel"


@pytest.mark.slow
def test_sdist_carries_the_notebooks_and_nothing_untracked(tmp_path):
    bin_dir = _venv(tmp_path / "build-venv")
    pip = [str(bin_dir / "python"), "-m", "pip", "install", "-q"]
    _run([*pip, "-c", str(ROOT / "constraints.txt"), "hatchling"])
    _run(
        [str(bin_dir / "python"), "-m", "hatchling", "build", "-t", "sdist", "-d", str(tmp_path)],
        cwd=ROOT,
    )
    sdist = next(tmp_path.glob("hilir-*.tar.gz"))
    with tarfile.open(sdist) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    for name in NOTEBOOKS:
        assert f"notebooks/{name}" in names
    assert "data/raw/LICENSES.md" in names and "LICENSE" in names
    stray = sorted(n for n in names if "site-packages" in n or n.startswith(".venv"))
    assert not stray, f"the sdist carries an environment: {stray[:5]}"


@pytest.mark.slow
def test_installed_wheel_builds_a_brief_from_an_empty_folder(wheel, tmp_path):
    env = _clean_env(tmp_path)
    bin_dir = _venv(tmp_path / "venv")
    python = str(bin_dir / "python")
    _run(
        [python, "-m", "pip", "install", "-q", "-c", str(ROOT / "constraints.txt"),
         f"{wheel}[notebooks]"],
        env=env,
        timeout=1500,
    )  # fmt: skip
    empty = tmp_path / "empty"
    empty.mkdir()
    where = _run(
        [python, "-c", "import hilir.paths as p; print(p.notebooks_dir()); print(p.data_dir())"],
        env=env,
        cwd=empty,
    ).stdout.split()
    site = Path(where[0])
    assert tmp_path / "venv" in site.parents and site.name == "_notebooks"
    assert Path(where[1]) == tmp_path / "xdg-data" / "hilir"  # platformdirs, XDG honoured
    _run(
        [str(bin_dir / "hilir"), "report", "--only", "01_coffee", "--lang", "en", "--no-pdf",
         "--out", "out"],
        env=env,
        cwd=empty,
        timeout=1200,
    )  # fmt: skip
    html = empty / "out" / "en" / "01_coffee.html"
    assert html.is_file() and html.stat().st_size > 10_000
    assert (empty / "out" / "index.html").is_file()
    assert (tmp_path / "xdg-data" / "hilir" / "processed").is_dir()
    assert not any(tmp_path.glob("empty/*.ipynb"))
    assert sorted(p.name for p in site.iterdir()) == NOTEBOOKS  # nothing written beside them
