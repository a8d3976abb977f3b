"""Layers import one way: core <- kinds <- manifest <- engine <- service <- cli/output.

The client sits beside the engine and knows only the shared types and the engine's API port;
the emulator knows nothing of revsync at all. Only the CLI and output layers print.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import revsync

ROOT = Path(revsync.__file__).parent

# package -> the packages of revsync it may import (itself always allowed)
ALLOWED: dict[str, tuple[str, ...]] = {
    "revsync.core": (),
    "revsync.kinds": ("revsync.core",),
    "revsync.manifest": ("revsync.core", "revsync.kinds", "revsync.resources"),
    "revsync.engine": ("revsync.core", "revsync.kinds"),
    "revsync.client": ("revsync.core", "revsync.engine.api"),
    "revsync.lock": ("revsync.core",),
    "revsync.export": ("revsync.core", "revsync.kinds", "revsync.engine", "revsync.manifest"),
    "revsync.service": (
        "revsync.core",
        "revsync.kinds",
        "revsync.manifest",
        "revsync.engine",
        "revsync.lock",
    ),
    "revsync.prefetch": ("revsync.core", "revsync.kinds", "revsync.manifest", "revsync.engine"),
    "revsync.output": ("revsync.core", "revsync.kinds", "revsync.engine", "revsync.service"),
    "revsync.emulator": (),
}
PRINTS = re.compile(r"^\s*(import click|from click|print\()|\bclick\.echo", re.M)


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _package(module: str) -> str | None:
    for package in sorted(ALLOWED, key=len, reverse=True):
        if module == package or module.startswith(package + "."):
            return package
    return None


def _imports(path: Path) -> set[str]:
    module = _module_name(path)
    is_init = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                base = base[: len(base) - node.level + (1 if is_init else 0)]
                if node.module:
                    found.add(".".join([*base, node.module]))
                else:  # `from .. import kinds` imports the module revsync.kinds
                    found.update(".".join([*base, alias.name]) for alias in node.names)
            elif node.module:
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name == "revsync" or name.startswith("revsync.")}


SOURCES = sorted(p for p in ROOT.rglob("*.py") if _package(_module_name(p)))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_run_one_way(path: Path) -> None:
    package = _package(_module_name(path))
    assert package is not None
    allowed = (package, *ALLOWED[package])
    for name in _imports(path):
        ok = any(name == a or name.startswith(a + ".") for a in allowed)
        assert ok, f"{path.relative_to(ROOT)} ({package}) must not import {name}"


@pytest.mark.parametrize(
    "package", ["core", "kinds", "manifest", "engine", "client", "service.py", "export.py"]
)
def test_only_cli_and_output_print(package: str) -> None:
    target = ROOT / package
    files = [target] if target.is_file() else sorted(target.rglob("*.py"))
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert not PRINTS.search(text), f"{path.relative_to(ROOT)} prints"


def test_the_rule_itself_catches_a_bad_import(tmp_path: Path) -> None:
    """The walker sees relative imports: kinds importing the engine is reported."""
    bad = ROOT / "kinds" / "_layer_probe.py"
    bad.write_text("from ..engine import planner\n", encoding="utf-8")
    try:
        assert "revsync.engine" in _imports(bad)
        with pytest.raises(AssertionError):
            test_imports_run_one_way(bad)
    finally:
        bad.unlink()
