"""The registry of resource kinds: every module here that defines `KIND` is one kind.

Adding a kind is adding a module (with its schema fragment beside it) and tests; nothing
else lists kinds. The registry orders kinds so that referenced kinds come first.
"""

from __future__ import annotations

import importlib
import pkgutil
from graphlib import CycleError, TopologicalSorter

from .base import Kind


def _discover() -> dict[str, Kind]:
    found: dict[str, Kind] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        kind = getattr(module, "KIND", None)
        if isinstance(kind, Kind):
            found[kind.name] = kind
    return dependency_order(found)


def dependency_order(kinds: dict[str, Kind]) -> dict[str, Kind]:
    """Referenced kinds first, otherwise by name; a cycle between kinds is a programming error."""
    graph = {
        name: sorted(r.target for r in kind.refs if r.target != name and r.target in kinds)
        for name, kind in sorted(kinds.items())
    }
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as exc:
        raise RuntimeError(
            f"resource kinds refer to each other in a cycle: {exc.args[1]}"
        ) from None
    ordered: dict[str, Kind] = {}

    def visit(name: str) -> None:  # depth first, so a kind sits right after what it needs
        if name not in ordered:
            for target in graph[name]:
                visit(target)
            ordered[name] = kinds[name]

    for name in graph:
        visit(name)
    return ordered


KINDS: dict[str, Kind] = _discover()


def get(name: str) -> Kind:
    return KINDS[name]


def names() -> list[str]:
    return list(KINDS)
