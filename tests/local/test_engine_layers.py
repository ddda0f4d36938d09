"""The engine's modules import in one direction only: the layers of floto.local's docstring.

Every import is checked, at the top of a module or inside a function, under TYPE_CHECKING or
not: a module may import only from lower layers, and nothing of floto but floto.errors and
floto.limits.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import floto.local

ENGINE_DIR = Path(floto.local.__file__).parent
ALLOWED_FLOTO = {"floto.errors", "floto.limits"}


def _layers() -> dict[str, int]:
    layers = {}
    for line in (floto.local.__doc__ or "").splitlines():
        match = re.match(r"(\d+)\. (.+?)(?: -- .*)?$", line.strip())
        if match:
            for name in match.group(2).split(","):
                layers[name.strip()] = int(match.group(1))
    return layers


def _imports(path: Path) -> list[tuple[str, int]]:
    """(module imported, line) for every import of a floto module in ``path``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "floto.local":  # from floto.local import _x
                found += [(f"floto.local.{alias.name}", node.lineno) for alias in node.names]
            else:
                found.append((node.module, node.lineno))
        elif isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
    return [(name, line) for name, line in found if name.split(".")[0] == "floto"]


def test_every_engine_module_has_a_layer() -> None:
    modules = {path.stem for path in ENGINE_DIR.glob("*.py") if path.stem != "__init__"}
    assert modules == set(_layers())


def test_imports_only_point_down() -> None:
    layers = _layers()
    wrong = []
    for path in sorted(ENGINE_DIR.glob("*.py")):
        here = layers.get(path.stem, 99)  # __init__ sits above everything
        for name, line in _imports(path):
            if name.startswith("floto.local."):
                target = name.split(".")[2]
                if layers[target] >= here:
                    wrong.append(f"{path.name}:{line} imports {target} (layer {layers[target]})")
            elif name not in ALLOWED_FLOTO:
                wrong.append(f"{path.name}:{line} imports {name}")
    assert wrong == []
