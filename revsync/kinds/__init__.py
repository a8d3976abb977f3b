"""The registry of resource kinds: every module here that defines `KIND` is one kind.

Adding a kind is adding a module (plus its `$defs` entry in the schema, and tests);
nothing else lists kinds. The registry orders kinds so that referenced kinds come first.
"""

from __future__ import annotations

import importlib
import pkgutil

from .base import Kind

_HELPERS = {"base", "normalize", "paths"}


def _discover() -> dict[str, Kind]:
    found: dict[str, Kind] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name in _HELPERS or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        kind = getattr(module, "KIND", None)
        if isinstance(kind, Kind):
            found[kind.name] = kind
    return _dependency_order(found)


def _dependency_order(kinds: dict[str, Kind]) -> dict[str, Kind]:
    ordered: dict[str, Kind] = {}
    visiting: set[str] = set()

    def visit(name: str) -> None:
        if name in ordered or name in visiting:
            return
        visiting.add(name)
        for ref in kinds[name].refs:
            if ref.target != name and ref.target in kinds:
                visit(ref.target)
        visiting.discard(name)
        ordered[name] = kinds[name]

    for name in sorted(kinds):
        visit(name)
    return ordered


KINDS: dict[str, Kind] = _discover()


def get(name: str) -> Kind:
    return KINDS[name]


def names() -> list[str]:
    return list(KINDS)
