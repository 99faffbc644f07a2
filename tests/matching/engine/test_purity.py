"""The engine stands alone: the standard library, NumPy and itself, nothing else."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import matching.engine

ENGINE = Path(matching.engine.__file__).parent


def imported_roots(path: Path) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            roots.add(node.module)
    return roots


def test_the_engine_imports_only_the_standard_library_numpy_and_itself():
    modules = sorted(ENGINE.glob("*.py"))
    foreign = {
        (path.name, name)
        for path in modules
        for name in imported_roots(path)
        if not (
            name.split(".")[0] in sys.stdlib_module_names
            or name.split(".")[0] == "numpy"
            or name.startswith("matching.engine")
        )
    }

    assert len(modules) >= 5
    assert foreign == set()
