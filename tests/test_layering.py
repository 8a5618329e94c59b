"""Dependencies point one way: no stage imports a stage after it.

litsieve's areas form layers, from the top (the command line) to the bottom (errors).
A module may import its own area and the areas below it, never one above: importers
must not know about search, nor search about the report. Command-line modules
(``cli.py``, ``*_cli.py``) sit above everything: they wire areas together for people.
The check reads the import statements of every module (no import-linter needed for a
single ordered list of layers).
"""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import REPO

PACKAGE = REPO / "src" / "litsieve"
#: From the top down. An area may import any area after it in this list.
LAYERS: tuple[str, ...] = (
    "cli", "serve", "people", "report", "screening", "ranking", "dedup", "search", "query", "importers",
    "studies", "stagefiles", "personfile", "records_io", "protocol", "concepts", "config", "record", "logs", "fileio", "xlsx",
    "text", "errors",
    "litsieve",  # the package itself: __version__
)


def area(module: str) -> str:
    parts = module.split(".")
    if parts[-1] == "cli" or parts[-1].endswith("_cli"):
        return "cli"
    return parts[1] if len(parts) > 1 else "litsieve"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("litsieve") and not node.level:
            found += [(node.lineno, node.module)]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names if alias.name.startswith("litsieve")]
    return found


def test_every_area_has_a_layer() -> None:
    areas = {area(module_name(p)) for p in PACKAGE.rglob("*.py")}
    assert areas <= set(LAYERS), f"add to LAYERS: {sorted(areas - set(LAYERS))}"


def test_no_area_imports_one_above_it() -> None:
    rank = {name: i for i, name in enumerate(LAYERS)}
    upward = []
    for path in sorted(PACKAGE.rglob("*.py")):
        source = module_name(path)
        for line, target in imports(path):
            if rank[area(target)] < rank[area(source)]:
                upward.append(f"{path.relative_to(REPO)}:{line}: {source} ({area(source)}) imports {target}")
    assert not upward, "\n".join(upward)


def test_the_check_sees_an_upward_import(tmp_path: Path) -> None:
    module = tmp_path / "bad.py"
    module.write_text("from litsieve.search.snapshot import import_snapshot\n", encoding="utf-8")
    assert imports(module) == [(1, "litsieve.search.snapshot")]
    assert LAYERS.index(area("litsieve.search.snapshot")) < LAYERS.index(area("litsieve.importers.workflow"))
