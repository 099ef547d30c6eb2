"""A pip-installed hilir (built wheel) carries the shipped data and loads it."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_carries_shipped_data_and_loads_it(tmp_path):
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stderr[-2000:]
    wheel = next(tmp_path.glob("hilir-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = [p for p in (ROOT / "data" / "raw").rglob("*") if p.is_file()]
    for path in shipped:
        rel = path.relative_to(ROOT / "data" / "raw").as_posix()
        assert f"hilir/_data/raw/{rel}" in names, f"{rel} is missing from the wheel"
    assert "hilir/refdata/products.csv" in names

    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = (
        "import hilir, hilir.paths as p; "
        f"assert str(p.raw_dir()).startswith({str(site)!r}), p.raw_dir(); "
        "e = hilir.load_exports(product='ferronickel'); "
        "r = e[(e.year == 2019) & (e.partner == 'WLD')]; "
        "print(int(r.value_usd.iloc[0]))"
    )
    env = {**os.environ, "PYTHONPATH": str(site), "HILIR_DATA_DIR": str(tmp_path / "userdata")}
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip() == "2595556910"
    assert (tmp_path / "userdata" / "processed" / "trade.parquet").is_file()
