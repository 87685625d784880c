"""No import runs up the layers (docs/architecture.md draws them): each package imports only
packages below it, and the ground (core) imports nothing of ours."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAYERS = [  # bottom first
    "core",
    "extractors",
    "classifiers",
    "rules",
    "pipeline",
    "samples",
    "storage",
    "outbound",
    "referrals",
    "workers",
    "intake",
    "review",
    "faxintake",
]


def imported_packages(path: Path) -> set[tuple[str, int]]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {(alias.name.split(".")[0], node.lineno) for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add((node.module.split(".")[0], node.lineno))
    return found


def test_no_import_runs_up_the_layers():
    upward = []
    for level, package in enumerate(LAYERS):
        for path in (ROOT / package).rglob("*.py"):
            for imported, line in imported_packages(path):
                if imported in LAYERS and LAYERS.index(imported) > level:
                    upward.append(f"{path.relative_to(ROOT)}:{line} imports {imported}")
    assert upward == []


def test_every_package_has_a_layer():
    packages = {p.name for p in ROOT.iterdir() if (p / "__init__.py").exists()} - {"tests", "bench"}
    assert packages == set(LAYERS)
