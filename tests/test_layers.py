"""The layers of docs/architecture.md, held by their imports: rules stay pure, SQL stays in
store/, the command line only parses, calls a service and renders."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "coi"

# Which coi packages each layer may import from (coi.errors is open to all).
ALLOWED = {
    "domain": {"domain"},
    "store": {"domain", "store"},
    "formats": {"domain", "formats"},
    "services": {"domain", "formats", "services", "store"},
    "cli": {"cli", "domain", "formats", "services"},
}


def coi_imports(path: Path) -> set[str]:
    """The coi packages a module imports, at the top or inside functions."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            parts = name.split(".")
            if parts[0] == "coi" and len(parts) > 1 and parts[1] != "errors":
                found.add(parts[1])
    return found


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_each_layer_imports_only_the_layers_beneath_it(layer: str) -> None:
    wrong = {
        str(path.relative_to(SRC)): sorted(coi_imports(path) - ALLOWED[layer])
        for path in sorted((SRC / layer).rglob("*.py"))
        if coi_imports(path) - ALLOWED[layer]
    }
    assert wrong == {}


def test_the_command_line_runs_no_query() -> None:
    for path in sorted((SRC / "cli").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        # The Session type is named (for hints); nothing else of SQLAlchemy is used.
        for needle in ("session.execute", "select(", "from sqlalchemy import", "import sqlalchemy"):
            assert needle not in text, (path.name, needle)
