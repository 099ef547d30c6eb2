"""The README's Windows route (PowerShell, ``python -m hilir``, no make) stays right.

The PowerShell block of the section "Windows (PowerShell), without make" is read from the
README and each command translated to this platform (``.venv\\Scripts\\python`` becomes the
test's Python). Commands that create an environment or install are checked, not run (the
Python they ask for is supported, the constraints file and the extras exist); every
``hilir`` command must parse with the real command line; the quick read-only ones run.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SECTION = "## Windows (PowerShell), without make"
VENV_PYTHON = ".venv\\Scripts\\python"
#: ``hilir`` commands run by the test: quick, and they write nothing.
RUN = (["--version"], ["chains"], ["data", "summary"])


def _commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert SECTION in text, f"README has no section {SECTION!r}"
    body = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```powershell\n(.*?)```", body, flags=re.S)
    assert len(blocks) == 1, "the Windows section has one PowerShell block"
    return [line.strip() for line in blocks[0].splitlines() if line.strip()]


def _posix(command: str) -> list[str]:
    """A README command as an argument list for this platform."""
    assert "\\" not in command.replace(VENV_PYTHON, ""), command  # only the venv path
    argv = shlex.split(command.replace(VENV_PYTHON, "VENV_PYTHON"))
    return [sys.executable if a == "VENV_PYTHON" else a for a in argv]


def _hilir_args(command: str) -> list[str] | None:
    argv = _posix(command)
    if argv[:3] == [sys.executable, "-m", "hilir"]:
        return argv[3:]
    return None


def test_block_covers_the_route() -> None:
    commands = _commands()
    assert commands[0].startswith("py -3.11 -m venv .venv")
    joined = "\n".join(commands)
    for needed in ("pip install -c constraints.txt -e", "-m hilir data build", "-m hilir report"):
        assert needed in joined
    assert "-m pytest" in joined
    assert not any(c.split()[0] in {"make", "hilir"} for c in commands)  # no make, no script
    for command in commands[1:]:
        assert command.startswith(VENV_PYTHON + " -m "), command


def test_environment_commands_ask_for_what_exists() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    floor = re.fullmatch(r">=\s*3\.(\d+)", project["requires-python"])
    assert floor is not None
    for command in _commands():
        if command.startswith("py "):
            minor = int(re.search(r"-3\.(\d+)", command).group(1))  # type: ignore[union-attr]
            assert minor >= int(floor.group(1)), command
        elif " -m pip install " in command and " -e " in command:
            argv = _posix(command)
            assert (ROOT / argv[argv.index("-c") + 1]).is_file()
            extras = re.fullmatch(r"\.\[(.*)\]", argv[argv.index("-e") + 1])
            assert extras is not None, command
            for extra in extras.group(1).split(","):
                assert extra in project["optional-dependencies"], extra


def test_every_hilir_command_parses() -> None:
    from hilir.cli import build_parser

    parser = build_parser()
    found = [args for c in _commands() if (args := _hilir_args(c)) is not None]
    assert len(found) >= 5
    for args in found:
        if args == ["--version"]:
            continue
        parser.parse_args(args)  # exits (SystemExit) on an unknown option


def test_documented_report_parameters_are_valid() -> None:
    from hilir.cli import build_parser
    from hilir.report.build import find_notebooks, select_notebooks
    from hilir.report.params import parse_params, resolve_params

    parser = build_parser()
    for command in _commands():
        args = _hilir_args(command)
        if not args or args[0] != "report" or "--param" not in args:
            continue
        ns = parser.parse_args(args)
        chosen = select_notebooks(find_notebooks(), ns.only)
        resolve_params(chosen, parse_params(ns.param))  # raises on an unknown name


@pytest.mark.parametrize("args", RUN, ids=" ".join)
def test_read_only_commands_run(args: list[str]) -> None:
    documented = [a for c in _commands() if (a := _hilir_args(c)) is not None]
    assert args in documented, f"{args} is no longer in the README's Windows block"
    proc = subprocess.run(
        [sys.executable, "-m", "hilir", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip()
    if args == ["--version"]:
        assert proc.stdout.startswith("hilir ")
