"""Ordering changes by their declared dependencies."""

from __future__ import annotations

from collections.abc import Iterable


def levels(
    nodes: Iterable[str], depends_on: dict[str, set[str]]
) -> tuple[list[list[str]], set[str]]:
    """Topological levels (each level only depends on earlier ones) and nodes left in cycles."""
    remaining = {n: set(depends_on.get(n, set())) for n in nodes}
    for deps in remaining.values():
        deps &= remaining.keys()
    out: list[list[str]] = []
    while remaining:
        ready = sorted(n for n, deps in remaining.items() if not deps)
        if not ready:
            return out, set(remaining)
        out.append(ready)
        for n in ready:
            del remaining[n]
        for deps in remaining.values():
            deps.difference_update(ready)
    return out, set()


def closure(start: Iterable[str], depends_on: dict[str, set[str]]) -> set[str]:
    """`start` and everything it depends on, transitively."""
    seen: set[str] = set()
    stack = list(start)
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        stack.extend(depends_on.get(node, ()))
    return seen


def dependants(node: str, depends_on: dict[str, set[str]]) -> set[str]:
    """Everything that depends on `node`, transitively."""
    reverse: dict[str, set[str]] = {}
    for n, deps in depends_on.items():
        for d in deps:
            reverse.setdefault(d, set()).add(n)
    return closure(reverse.get(node, set()), reverse)
