"""The architecture guard: hilir's layers, checked on every import at any scope.

Every module of ``src/hilir`` is parsed with :mod:`ast`; every ``import`` and ``from ...
import`` anywhere in it (module level, inside functions, under ``TYPE_CHECKING``) is an edge.
The rules, each with a test below that shows the checker failing on a deliberately bad module:

1. an import never climbs a layer (:data:`LAYERS`, lowest first); two packages on the same
   floor do not import each other;
2. models (:data:`MODELS`) and plots never import the I/O layers (:data:`IO_LAYERS`), apart
   from the named defaults modules (:data:`DEFAULTS_MODULES`) and the figure writer;
3. plots never import a model, nor the trade and price verbs: they draw model outputs;
4. no module imports another package's private module or name (a leading underscore);
5. there is no import cycle between modules;
6. no public name of a package shadows one of its submodules, and every package defines
   ``__all__``.

The README's "Architecture" section shows the same picture.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"

#: Floors, lowest first. A module may import its own package and any lower floor.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("hilir.errors", "hilir.version", "hilir.paths", "hilir.tempfiles", "hilir.progress"),
    ("hilir.fileio", "hilir.checks"),
    ("hilir.schema", "hilir.hs"),
    ("hilir.provenance", "hilir.refdata", "hilir.i18n"),
    ("hilir.registry",),
    ("hilir.sources", "hilir.fetch"),
    ("hilir.data",),
    ("hilir.trade", "hilir.prices"),
    ("hilir.policy", "hilir.value", "hilir.jobs"),
    ("hilir.markets",),
    ("hilir.plots",),
    ("hilir.brief",),
    ("hilir.report",),
    ("hilir.cli",),
    ("hilir.__main__", "hilir"),
)
MODELS = ("hilir.value", "hilir.jobs", "hilir.policy", "hilir.markets")
PLOTS = ("hilir.plots",)
#: Reading and writing files: models and plots stay clear of these.
IO_LAYERS = ("hilir.sources", "hilir.data", "hilir.fileio")
#: The one module per model package that may load a default input through ``hilir.data``.
DEFAULTS_MODULES = frozenset({"hilir.jobs.defaults", "hilir.markets.defaults"})
#: Modules that may write files although their package may not read them.
WRITERS = {"hilir.plots.save": ("hilir.fileio",)}
#: What a plot must not compute with.
PLOT_FORBIDDEN = (*MODELS, "hilir.trade", "hilir.prices")


@dataclass(frozen=True)
class Module:
    """A module's source as the checker sees it."""

    name: str
    source: str
    is_package: bool = False


@dataclass(frozen=True)
class Edge:
    """One import: ``importer`` imports ``target`` (a module), naming ``names`` from it."""

    importer: str
    target: str
    names: tuple[str, ...]
    line: int

    def __str__(self) -> str:
        return f"{self.importer}:{self.line} imports {self.target}"


def walk_package(src: Path = SRC) -> dict[str, Module]:
    """Every module of ``src/hilir`` by dotted name."""
    out = {}
    for path in sorted((src / "hilir").rglob("*.py")):
        parts = list(path.relative_to(src).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts = parts[:-1]
        name = ".".join(parts)
        out[name] = Module(name, path.read_text(encoding="utf-8"), is_package)
    return out


def _absolute(module: Module, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    base = module.name.split(".")
    if not module.is_package:
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


@functools.cache
def _parse(source: str) -> ast.Module:
    return ast.parse(source)


def edges(modules: Mapping[str, Module]) -> list[Edge]:
    """Every import of a hilir module by a hilir module, at any scope."""
    out = []
    for module in modules.values():
        for node in ast.walk(_parse(module.source)):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name == "hilir" or alias.name.startswith("hilir."):
                        out.append(Edge(module.name, alias.name, (), node.lineno))
            elif isinstance(node, ast.ImportFrom):
                target = _absolute(module, node)
                if target != "hilir" and not target.startswith("hilir."):
                    continue
                plain = []
                for alias in node.names:
                    sub = f"{target}.{alias.name}"
                    if sub in modules:  # ``from pkg import submodule``
                        out.append(Edge(module.name, sub, (), node.lineno))
                    else:
                        plain.append(alias.name)
                if plain or not node.names:
                    out.append(Edge(module.name, target, tuple(plain), node.lineno))
    return out


def _within(name: str, prefixes: Iterable[str]) -> str | None:
    """The longest prefix (a package or module) that ``name`` is or lies inside."""
    best = None
    for prefix in prefixes:
        if (name == prefix or name.startswith(prefix + ".")) and len(prefix) > len(best or ""):
            best = prefix
    return best


def _floor(name: str) -> tuple[int, str]:
    for rank, floor in enumerate(LAYERS):
        owner = _within(name, [p for p in floor if p != "hilir"])
        if owner:
            return rank, owner
    if name == "hilir":
        return len(LAYERS) - 1, "hilir"
    raise AssertionError(f"{name} is on no floor of LAYERS: add it where it belongs")


def layer_violations(modules: Mapping[str, Module]) -> list[str]:
    """Rules 1-3: no climbing, no I/O in models or plots, no model in plots."""
    out = []
    for edge in edges(modules):
        (src_rank, src_pkg), (dst_rank, dst_pkg) = _floor(edge.importer), _floor(edge.target)
        if dst_pkg != src_pkg and dst_rank >= src_rank:
            how = "climbs a layer" if dst_rank > src_rank else "crosses a floor"
            out.append(f"{edge} ({how}: {src_pkg} -> {dst_pkg})")
        if _within(edge.importer, (*MODELS, *PLOTS)) and _within(edge.target, IO_LAYERS):
            allowed = edge.importer in DEFAULTS_MODULES
            allowed = allowed and bool(_within(edge.target, ["hilir.data"]))
            allowed |= bool(_within(edge.target, WRITERS.get(edge.importer, ())))
            if not allowed:
                out.append(f"{edge} (a model or plot reads or writes data)")
        if _within(edge.importer, PLOTS) and _within(edge.target, PLOT_FORBIDDEN):
            out.append(f"{edge} (a plot computes a model)")
    return out


def _package_of(name: str) -> str:
    """``hilir.value.uplift`` -> ``hilir.value``; ``hilir.trade`` -> ``hilir.trade``."""
    parts = name.split(".")
    return ".".join(parts[:2])


def private_violations(modules: Mapping[str, Module]) -> list[str]:
    """Rule 4: no import of another package's private module or name."""
    out = []
    for edge in edges(modules):
        if _package_of(edge.importer) == _package_of(edge.target):
            continue
        private = [p for p in edge.target.split(".")[1:] if p.startswith("_") and p != "__init__"]
        private += [n for n in edge.names if n.startswith("_") and n != "__version__"]
        if private:
            out.append(f"{edge} (private: {', '.join(private)})")
    return out


def cycles(modules: Mapping[str, Module]) -> list[list[str]]:
    """Rule 5: strongly connected groups of more than one module (Tarjan's algorithm)."""
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for edge in edges(modules):
        if edge.target in modules and edge.target != edge.importer:
            graph[edge.importer].add(edge.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                group.append(top)
                if top == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _bound_names(tree: ast.Module) -> dict[str, ast.AST]:
    out: dict[str, ast.AST] = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            out[node.name] = node
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                out[alias.asname or alias.name] = node
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    out[target.id] = node
    return out


def package_violations(modules: Mapping[str, Module]) -> list[str]:
    """Rule 6: ``__all__`` in every package; no public name that shadows a submodule."""
    out = []
    for pkg in (m for m in modules.values() if m.is_package):
        tree = _parse(pkg.source)
        bound = _bound_names(tree)
        if "__all__" not in bound:
            out.append(f"{pkg.name} defines no __all__")
        subs = {
            n.rsplit(".", 1)[1] for n in modules if "." in n and n.rsplit(".", 1)[0] == pkg.name
        }
        for name in sorted(subs & bound.keys()):
            node = bound[name]
            imports_module = isinstance(node, ast.ImportFrom) and (_absolute(pkg, node) == pkg.name)
            if not imports_module:
                out.append(f"{pkg.name}.{name} is a public name and a submodule")
    return out


def all_violations(modules: Mapping[str, Module]) -> list[str]:
    """Every rule's findings, one line each."""
    found = layer_violations(modules) + private_violations(modules) + package_violations(modules)
    found += [f"import cycle: {' -> '.join(group)}" for group in cycles(modules)]
    return found


# --- the real package --------------------------------------------------------------------


@pytest.fixture(scope="module")
def package() -> dict[str, Module]:
    return walk_package()


def test_every_module_has_a_floor(package: dict[str, Module]) -> None:
    for name in package:
        _floor(name)


def test_no_layer_is_climbed(package: dict[str, Module]) -> None:
    assert layer_violations(package) == []


def test_no_private_import_across_packages(package: dict[str, Module]) -> None:
    assert private_violations(package) == []


def test_no_import_cycle(package: dict[str, Module]) -> None:
    assert cycles(package) == []


def test_packages_define_all_and_shadow_nothing(package: dict[str, Module]) -> None:
    assert package_violations(package) == []


def test_edges_are_found_at_every_scope(package: dict[str, Module]) -> None:
    # the checker sees imports inside functions: the CLI imports its commands lazily
    inner = [e for e in edges(package) if e.importer == "hilir.cli"]
    assert len(inner) > 5


# --- the checker fails on each violation -------------------------------------------------


def _fake(**sources: str) -> dict[str, Module]:
    base = {
        "hilir": Module("hilir", "__all__ = []\n", True),
        "hilir.errors": Module("hilir.errors", ""),
        "hilir.data": Module("hilir.data", "__all__ = []\n", True),
        "hilir.data.load": Module("hilir.data.load", ""),
        "hilir.value": Module("hilir.value", "__all__ = []\n", True),
        "hilir.value.uplift": Module("hilir.value.uplift", "def uplift(): ...\n"),
        "hilir.value._util": Module("hilir.value._util", ""),
        "hilir.plots": Module("hilir.plots", "__all__ = []\n", True),
        "hilir.registry": Module("hilir.registry", "__all__ = []\n", True),
        "hilir.registry.tables": Module("hilir.registry.tables", ""),
        "hilir.registry.mapping": Module("hilir.registry.mapping", ""),
        "hilir.sources": Module("hilir.sources", "__all__ = []\n", True),
    }
    for name, src in sources.items():
        dotted = name.replace("__", ".")
        is_package = dotted in base and base[dotted].is_package
        base[dotted] = Module(dotted, src, is_package)
    return base


def test_a_clean_fake_package_passes() -> None:
    assert all_violations(_fake()) == []


def test_fails_on_a_climbing_import_inside_a_function() -> None:
    bad = _fake(hilir__registry__tables="def f():\n    from hilir.sources import x\n")
    assert any("climbs a layer" in v for v in layer_violations(bad))


def test_fails_on_a_model_reading_data() -> None:
    bad = _fake(hilir__value__uplift="from hilir.data.load import load_exports\n")
    assert any("reads or writes data" in v for v in layer_violations(bad))


def test_only_the_named_defaults_module_may_load_data() -> None:
    ok = _fake(hilir__jobs__defaults="from hilir.data.load import load_exports\n")
    ok["hilir.jobs"] = Module("hilir.jobs", "__all__ = []\n", True)
    assert layer_violations(ok) == []
    bad = dict(ok)
    bad["hilir.jobs.scenario"] = Module("hilir.jobs.scenario", "import hilir.data.load\n")
    assert [v.split(" (")[0] for v in layer_violations(bad)] == [
        "hilir.jobs.scenario:1 imports hilir.data.load"
    ]


def test_fails_on_a_plot_computing_a_model() -> None:
    bad = _fake(hilir__plots="__all__ = []\nfrom hilir.value.uplift import uplift\n")
    assert any("computes a model" in v for v in layer_violations(bad))


def test_fails_on_a_private_import() -> None:
    bad = _fake(hilir__registry__mapping="from hilir.value._util import x\n")
    assert private_violations(bad)
    bad = _fake(hilir__registry__mapping="from hilir.errors import _secret\n")
    assert private_violations(bad)


def test_fails_on_a_cycle() -> None:
    bad = _fake(
        hilir__registry__tables="from hilir.registry.mapping import m\n",
        hilir__registry__mapping="def f():\n    from hilir.registry.tables import t\n",
    )
    assert cycles(bad) == [["hilir.registry.mapping", "hilir.registry.tables"]]


def test_fails_on_a_name_that_shadows_a_submodule() -> None:
    bad = _fake(hilir__value="__all__ = ['uplift']\nfrom hilir.value.uplift import uplift\n")
    assert package_violations(bad) == ["hilir.value.uplift is a public name and a submodule"]


def test_fails_on_a_package_without_all() -> None:
    bad = _fake(hilir__plots="x = 1\n")
    assert package_violations(bad) == ["hilir.plots defines no __all__"]
