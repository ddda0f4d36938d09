"""floto's layers only point down, and no package reaches into another's private modules.

Every import in floto/ (at module level or inside a function) is read from the source with
``ast``. A package may import the packages of lower layers and its own modules; the top
package ``floto/__init__.py`` is the composition root and may import anything public.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "floto"

# Lowest first. A package may import packages of strictly lower layers (and itself).
LAYERS: list[set[str]] = [
    {"errors", "limits", "backoff", "display", "hosts"},
    {"ids", "boundedjson"},  # boundedjson: the one bounded JSON reader (errors, limits)
    {"wire", "local"},  # local (the engine) imports only errors and limits, and moto
    {"specs"},
    {"dsl", "api"},
    {"history"},
    {"worker", "decider", "presentation"},  # presentation: how a run reads, for every view
    {"viz"},
    {"launch"},
    {"notebook", "testing"},
    {"cli"},
]
RANK = {name: rank for rank, layer in enumerate(LAYERS) for name in layer}
ONLY = {"local": {"errors", "limits"}}  # packages held to an explicit list of what they import


def package_of(path: Path) -> str:
    """The top-level floto unit a source file belongs to ('' for floto/__init__.py)."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    if parts == ("__init__",):
        return ""
    return parts[0]


def floto_imports(path: Path) -> list[tuple[int, str]]:
    """(line, dotted module name) of every floto module ``path`` imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
            # `from floto.x import _y` reaches module _y too
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return [(line, name) for line, name in found if name == "floto" or name.startswith("floto.")]


def sources() -> list[Path]:
    return sorted(ROOT.rglob("*.py"))


def test_every_floto_unit_has_a_layer():
    units = {package_of(path) for path in sources()} - {""}
    assert units <= set(RANK), f"give these a layer: {sorted(units - set(RANK))}"


@pytest.mark.parametrize("path", sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_point_down_and_stay_out_of_private_modules(path):
    here = package_of(path)
    problems = []
    for line, name in floto_imports(path):
        parts = name.split(".")
        target = parts[1] if len(parts) > 1 else ""
        if here == "" or target in ("", here) or target not in RANK:
            continue  # the root, our own package, or a name imported from floto itself
        if any(part.startswith("_") and part != "__init__" for part in parts[2:]):
            problems.append(f"line {line}: {name} is private to floto.{target}")
        allowed = ONLY.get(here)
        if allowed is not None and target not in allowed:
            problems.append(f"line {line}: floto.{here} may only import {sorted(allowed)}")
        elif RANK[target] >= RANK[here]:
            problems.append(f"line {line}: floto.{here} imports floto.{target}, not below it")
    assert not problems, "\n".join(dict.fromkeys(problems))
