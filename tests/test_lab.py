"""JupyterLab: `make lab` runs headless (also as root) with a named kernel; quiet progress bars."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# `make lab` without reinstalling the environment, with the Python that runs the tests
MAKE_LAB = [
    "make",
    "--no-print-directory",
    "-C",
    str(ROOT),
    "-o",
    ".venv/.hilir-installed",
    f"BIN={Path(sys.executable).parent}",
]
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0

needs_make = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def _dry_run(*args: str) -> str:
    out = subprocess.run(
        [*MAKE_LAB, "-n", "lab", *args], capture_output=True, text=True, check=True
    )
    return out.stdout


@needs_make
def test_make_lab_is_headless_with_named_kernel_host_port_token_and_args():
    cmd = _dry_run(
        "LAB_HOST=0.0.0.0",
        "LAB_PORT=8890",
        "LAB_TOKEN=s3cret",
        "LAB_ARGS=--ServerApp.base_url=/x/ --ServerApp.shutdown_no_activity_timeout=60",
    )
    assert 'ipykernel install --user --name hilir --display-name "Python (hilir)"' in cmd
    assert "jupyter lab --no-browser" in cmd
    assert "--ip=0.0.0.0" in cmd
    assert "--port=8890" in cmd
    assert "token='s3cret'" in cmd and 'JUPYTER_TOKEN="$token"' in cmd
    assert "--notebook-dir=notebooks" in cmd
    assert "--MappingKernelManager.default_kernel_name=hilir" in cmd
    assert cmd.rstrip().endswith(
        "--ServerApp.base_url=/x/ --ServerApp.shutdown_no_activity_timeout=60"
    )
    assert ("--allow-root" in cmd) == IS_ROOT


@needs_make
def test_make_lab_defaults_to_localhost_and_a_generated_printed_token():
    cmd = _dry_run()
    assert "--ip=127.0.0.1" in cmd and "--port=8888" in cmd
    assert "token=''" in cmd
    assert "secrets.token_hex" in cmd
    assert 'echo "JupyterLab: http://127.0.0.1:8888/lab?token=$token"' in cmd


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, token: str | None) -> tuple[int, bytes]:
    req = urllib.request.Request(url)
    if token:
        req.add_header("Authorization", f"token {token}")
    try:
        with urllib.request.urlopen(req, timeout=5) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, b""


@needs_make
@pytest.mark.slow
def test_make_lab_starts_headless_and_answers_with_the_token(tmp_path):
    port, token = _free_port(), "hilir-test-token"
    jupyter = {
        "JUPYTER_DATA_DIR": str(tmp_path / "data"),
        "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
    }
    env = {**os.environ, **jupyter}
    env.pop("JUPYTER_TOKEN", None)
    log = (tmp_path / "lab.log").open("wb")
    proc = subprocess.Popen(
        [*MAKE_LAB, "lab", f"LAB_PORT={port}", f"LAB_TOKEN={token}"],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        start_new_session=True,  # its own process group, stopped below
    )
    base = f"http://127.0.0.1:{port}"
    try:
        status = None
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                status, body = _get(f"{base}/api/status", token)
                if status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        output = (tmp_path / "lab.log").read_text(errors="replace")
        assert status == 200, f"JupyterLab did not answer (exit {proc.poll()}):\n{output[-3000:]}"
        assert "started" in json.loads(body)
        assert _get(f"{base}/api/status", None)[0] == 403  # the token is required
        status, body = _get(f"{base}/api/kernelspecs", token)
        specs = json.loads(body)
        assert specs["default"] == "hilir"
        assert specs["kernelspecs"]["hilir"]["spec"]["display_name"] == "Python (hilir)"
        assert f"http://127.0.0.1:{port}/lab?token={token}" in output
        kernel = json.loads((tmp_path / "data" / "kernels" / "hilir" / "kernel.json").read_text())
        assert Path(kernel["argv"][0]).parent == Path(sys.executable).parent
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        log.close()


# -- progress bars ---------------------------------------------------------------------------

_NO_IPYWIDGETS = "import sys; sys.modules['ipywidgets'] = None\n"


def test_progress_bar_without_ipywidgets_is_plain_tqdm_and_silent():
    code = _NO_IPYWIDGETS + textwrap.dedent(
        """
        import warnings
        warnings.simplefilter("error")
        from tqdm.std import tqdm
        from hilir.progress import progress_bar, tqdm_class
        assert tqdm_class() is tqdm, tqdm_class()
        assert sum(progress_bar(range(3), disable=True)) == 3
        """
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "IProgress" not in run.stderr


def _run_in_kernel(tmp_path: Path, source: str) -> list[dict]:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source)]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbclient.NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    return [dict(o) for o in nb.cells[0].outputs]


@pytest.mark.slow
def test_no_iprogress_warning_in_a_kernel_without_ipywidgets(tmp_path):
    outputs = _run_in_kernel(
        tmp_path,
        _NO_IPYWIDGETS
        + "from hilir.progress import progress_bar\n"
        + "from hilir.data.pipeline import build\n"
        + "import io\n"
        + "print(type(progress_bar(range(2), file=io.StringIO())).__module__)\n",
    )
    text = "".join(o.get("text", "") for o in outputs)
    assert "IProgress" not in text and "TqdmWarning" not in text, text
    assert "tqdm.std" in text


@pytest.mark.slow
def test_progress_bar_is_a_widget_in_a_kernel_with_ipywidgets(tmp_path):
    pytest.importorskip("ipywidgets")
    outputs = _run_in_kernel(
        tmp_path,
        "from hilir.progress import progress_bar\n"
        "for _ in progress_bar(range(2), desc='x'): pass\n",
    )
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs)
    text = "".join(o.get("text", "") for o in outputs)
    assert "IProgress" not in text and "TqdmWarning" not in text, text
