"""Project-level checks: dependency lists agree, import stays light, no shared-folder paths."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
# Built from parts so that this file does not itself contain the paths it looks for.
SHARED_MARKERS = ("../" + "shared", "/work/" + "shared")


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pyproject_requirements() -> dict[str, str]:
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = list(meta["dependencies"])
    for extra in meta["optional-dependencies"].values():
        reqs += extra
    return {_name(r): r.replace(" ", "") for r in reqs}


def test_environment_yml_matches_pyproject():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = {}
    pip_lines = []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip_lines += dep["pip"]
            continue
        if _name(dep) not in {"python", "pip"}:
            conda[_name(dep)] = dep.replace(" ", "")
    # a package conda-forge does not carry is installed by pip, in the same environment
    for dep in pip_lines:
        if not dep.startswith("-"):
            conda[_name(dep)] = dep.replace(" ", "")
    assert conda == _pyproject_requirements()
    assert "-e ." in pip_lines, "environment.yml must install the package with pip install -e ."


def test_constraints_pin_every_dependency_exactly():
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"constraints.txt line {line!r} is not an exact pin"
            pins[_name(name)] = version
    missing = sorted(set(_pyproject_requirements()) - set(pins))
    assert not missing, f"constraints.txt does not pin {missing}"


#: Direct dependencies whose pin in constraints-min.txt is not their floor written out, and why.
#: The pin must still satisfy the declared requirement and begin with the floor's release.
MIN_PIN_NOT_FLOOR = {
    # versioned <pandas version>.<build date>: no release is 3.1 itself, so the floor names the
    # pandas line and constraints-min.txt pins that line's first release
    "pandas-stubs": "the first release of the declared line",
}


def _declared_floors() -> dict[str, list[Version]]:
    """Each direct dependency of pyproject.toml (core and every extra) with its ``>=`` floors."""
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = list(meta["dependencies"])
    for extra in meta["optional-dependencies"].values():
        reqs += extra
    floors: dict[str, list[Version]] = {}
    for line in reqs:
        req = Requirement(line)
        lower = [Version(s.version) for s in req.specifier if s.operator == ">="]
        assert len(lower) == 1, f"pyproject.toml: {line!r} needs exactly one '>=' floor"
        floors.setdefault(canonicalize_name(req.name), []).append(lower[0])
    return floors


def _min_pins() -> tuple[dict[str, Version], set[str]]:
    """constraints-min.txt's exact pins, and the names whose line carries a comment."""
    pins: dict[str, Version] = {}
    commented = set()
    for raw in (ROOT / "constraints-min.txt").read_text().splitlines():
        line, _, comment = raw.partition("#")
        if not line.strip():
            continue
        req = Requirement(line.strip())
        name = canonicalize_name(req.name)
        specs = list(req.specifier)
        assert len(specs) == 1 and specs[0].operator == "==", (
            f"constraints-min.txt: {raw!r} is not an exact pin"
        )
        assert name not in pins, f"constraints-min.txt pins {name} twice"
        pins[name] = Version(specs[0].version)
        if comment.strip():
            commented.add(name)
    return pins, commented


def test_constraints_min_pins_every_floor():
    """constraints-min.txt is the floors of pyproject.toml: same packages, same versions."""
    floors, (pins, commented) = _declared_floors(), _min_pins()
    missing = sorted(set(floors) - set(pins))
    assert not missing, f"constraints-min.txt does not pin the floors of {missing}"
    # a package pyproject.toml does not declare is pinned only with a comment on its line
    # saying why (`name==X  # why`)
    undeclared = sorted(set(pins) - set(floors) - commented)
    assert not undeclared, (
        f"constraints-min.txt pins {undeclared}, which pyproject.toml does not declare; "
        "remove them or say why in a comment on their line"
    )
    wrong = []
    for name, declared in sorted(floors.items()):
        pin = pins[name]
        for floor in declared:
            if name in MIN_PIN_NOT_FLOOR:
                ok = pin >= floor and pin.release[: len(floor.release)] == floor.release
            else:
                ok = pin == floor
            if not ok:
                wrong.append(f"{name}: pyproject.toml >={floor}, constraints-min.txt =={pin}")
    assert not wrong, "constraints-min.txt and pyproject.toml disagree on floors: " + "; ".join(
        wrong
    )


def test_lower_bounds_declared():
    for name, req in _pyproject_requirements().items():
        assert ">=" in req, f"{name} has no lower bound in pyproject.toml"


def test_import_is_light():
    code = (
        "import sys, hilir; "
        "heavy = [m for m in ('matplotlib', 'statsmodels', 'pandas') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_project_code_never_reads_shared():
    offenders = []
    for folder in ("src", "tests", "notebooks", "benchmarks", "Makefile", ".ci"):
        base = ROOT / folder
        files = [base] if base.is_file() else [p for p in base.rglob("*") if p.is_file()]
        for path in files:
            if path.suffix in {".md", ".png", ".svg", ".parquet", ".xlsx"}:
                continue
            try:
                text = path.read_text(encoding="utf-8")
            except (UnicodeDecodeError, OSError):
                continue
            if any(marker in text for marker in SHARED_MARKERS):
                offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, f"these files reference the shared reference folder: {offenders}"


def test_readme_source_table_matches_sidecars(capsys):
    """README's data table is generated; regenerate with the command it names."""
    from hilir.cli import main

    assert main(["data", "sources", "--overview", "--format", "markdown"]) == 0
    generated = capsys.readouterr().out.strip()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("<!-- sources-overview:start -->") + len("<!-- sources-overview:start -->")
    end = readme.index("<!-- sources-overview:end -->")
    assert readme[start:end].strip() == generated


def test_readme_shows_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make report" in readme and "make test" in readme
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci


#: What a notebook may import: the package, its authoring kit and its charts (nothing else).
NOTEBOOK_IMPORTS = ("hilir", "hilir.brief", "hilir.plots")


def _notebook_import_offences(path: Path) -> list[str]:
    """The import statements of a notebook's code cells that reach past the allowed modules."""
    import ast
    import json

    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    offences = []
    for number, cell in enumerate(cells, start=1):
        if cell.get("cell_type") != "code":
            continue
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
        for node in ast.walk(ast.parse("\n".join(lines))):
            if isinstance(node, ast.Import):
                bad = [a.name for a in node.names if a.name != "hilir"]
            elif isinstance(node, ast.ImportFrom):
                module = node.module or ""
                allowed = node.level == 0 and (
                    module in NOTEBOOK_IMPORTS or module.startswith("hilir.brief.")
                )
                bad = [] if allowed else [module or "." * node.level]
            else:
                continue
            offences += [f"{path.name} cell {number}: {name}" for name in bad]
    return offences


def test_notebooks_import_only_hilir_brief_and_plots():
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    assert notebooks, "no notebooks found"
    offences = [o for path in notebooks for o in _notebook_import_offences(path)]
    assert not offences, f"notebooks import past hilir, hilir.brief and hilir.plots: {offences}"
