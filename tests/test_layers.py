"""Imports only go down: every import in `kabot_models/**` against the layer table of docs/architecture.md.

Every `import`/`from ... import` counts, wherever it is written (inside functions, under
`if TYPE_CHECKING:`), relative forms resolved the way Python resolves them; `from . import x`
counts as importing the submodule `x` when there is one, else the package.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "kabot_models"
ARCHITECTURE = REPO / "docs" / "architecture.md"


def layer_table() -> list[tuple[int, str, list[str]]]:
    """(number, name, module patterns) from the ```layers block of docs/architecture.md."""
    block = re.search(r"```layers\n(.*?)```", ARCHITECTURE.read_text(encoding="utf-8"), re.S)
    assert block, "docs/architecture.md has no ```layers block"
    rows = []
    for line in block.group(1).strip().splitlines():
        number, rest = line.split(" ", 1)
        name, modules = rest.split(":", 1)
        rows.append((int(number), name.strip(), modules.split()))
    return rows


def modules() -> dict[str, Path]:
    """Dotted module name (without `kabot_models.`; the package itself is `kabot_models`) -> file."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts) or "kabot_models"] = path
    return out


def layer_of(module: str, table: list[tuple[int, str, list[str]]]) -> int | None:
    for number, _, patterns in table:
        for pattern in patterns:
            if module == pattern or (pattern.endswith(".*") and module.startswith(pattern[:-1])):
                return number
    return None


def imports(module: str, path: Path, known: dict[str, Path]) -> list[tuple[int, str]]:
    """(line, imported module) for every import of a `kabot_models` module in `path`."""
    is_package = path.name == "__init__.py"
    own = [] if module == "kabot_models" else module.split(".")
    package = own if is_package else own[:-1]

    def name_of(parts: list[str]) -> str:
        return ".".join(parts) or "kabot_models"

    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "kabot_models" or alias.name.startswith("kabot_models."):
                    found.append((node.lineno, name_of(alias.name.split(".")[1:])))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)] if node.level > 1 else list(package)
                if node.level - 1 > len(package):
                    raise AssertionError(f"{path}:{node.lineno}: relative import above the package")
                target = base + (node.module.split(".") if node.module else [])
            elif node.module and (node.module == "kabot_models" or node.module.startswith("kabot_models.")):
                target = node.module.split(".")[1:]
            else:
                continue
            for alias in node.names:
                sub = name_of(target + [alias.name])
                found.append((node.lineno, sub if sub in known else name_of(target)))
    return [(line, m) for line, m in found if m != module]


TABLE = layer_table()
KNOWN = modules()


def test_every_module_has_a_layer() -> None:
    missing = [m for m in KNOWN if layer_of(m, TABLE) is None]
    assert not missing, f"add these modules to the ```layers table in docs/architecture.md: {missing}"


@pytest.mark.parametrize("module", sorted(KNOWN))
def test_imports_only_go_down(module: str) -> None:
    own = layer_of(module, TABLE)
    upward = []
    for line, target in imports(module, KNOWN[module], KNOWN):
        theirs = layer_of(target, TABLE)
        if own is not None and theirs is not None and theirs > own:
            upward.append(f"kabot_models/{KNOWN[module].relative_to(PACKAGE)}:{line} imports {target} (layer {theirs}) from layer {own}")
    assert not upward, "\n".join(upward)


def test_the_import_graph_has_no_circle() -> None:
    graph = {m: sorted({t for _, t in imports(m, p, KNOWN) if t in KNOWN}) for m, p in KNOWN.items()}
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in graph[node]:
            if state.get(nxt) == 1:
                cycle = path[path.index(nxt):] + [nxt] if nxt in path else [node, nxt]
                raise AssertionError("import circle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = 2

    for module in graph:
        if module not in state:
            visit(module, [module])


@pytest.mark.parametrize(("source", "expected"), [
    ("from .registry import Registry", "registry"),
    ("from . import paths", "paths"),
    ("from .. import loader", "loader"),
    ("from ..loader import load_registry", "loader"),
    ("import kabot_models.cli", "cli"),
    ("def f():\n    from .cli import app", "cli"),
])
def test_the_walker_sees_every_form(tmp_path: Path, source: str, expected: str) -> None:
    """The checker itself: each form of import is seen (a check that cannot fail would prove nothing)."""
    where = tmp_path / "plugins" / "probe.py"
    where.parent.mkdir()
    where.write_text(source + "\n")
    module = "plugins.probe" if source.startswith("from ..") else "probe"
    if module == "probe":
        where = tmp_path / "probe.py"
        where.write_text(source + "\n")
    assert [t for _, t in imports(module, where, KNOWN)] == [expected]


def test_no_module_stands_in_for_typing() -> None:
    # `TYPE_CHECKING = False` saves importing `typing`; the budget is met by loading less instead.
    stand_ins = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "TYPE_CHECKING" for t in node.targets):
                stand_ins.append(f"kabot_models/{path.relative_to(PACKAGE)}:{node.lineno}")
    assert not stand_ins, f"use `from typing import TYPE_CHECKING`: {stand_ins}"
